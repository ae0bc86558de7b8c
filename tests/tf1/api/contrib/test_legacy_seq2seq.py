"""tf.contrib.legacy_seq2seq's models and contrib.rnn's projection and embedding wrappers
as graphrnn-tf1 rebuilds them: TF 1.15's variable names (those of the translate
tutorial's checkpoints) and the numbers of NumPy references on the weights read by them."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib import legacy_seq2seq as legacy
from graphrnn.tf1.api.contrib.rnn import wrappers as rnn_wrappers
from reference_cells import crossent, gru_step
from reference_seq2seq import legacy_attention_decoder

RNG = np.random.default_rng(9)
B, T_IN, T_OUT, H, E, V_IN, V_OUT = 3, 4, 3, 5, 4, 8, 6
SOURCE = RNG.integers(0, V_IN, size=(T_IN, B)).astype(np.int32)
TARGET = RNG.integers(0, V_OUT, size=(T_OUT, B)).astype(np.int32)
GRU = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")


def session_values(fetches):
    variables = {v.op.name: v for v in v1.global_variables()}
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        return session.run([fetches, variables])


def gru(weights, prefix):
    return gru_step({n: weights[f"{prefix}/{n}"] for n in GRU})


def test_wrappers_embed_project_and_name_as_tf1():
    ids = np.array([1, 0, 3], np.int32)
    state = RNG.normal(size=(B, H)).astype(np.float32)
    with tf.Graph().as_default():
        cell = rnn_wrappers.OutputProjectionWrapper(rnn_wrappers.EmbeddingWrapper(
            v1.nn.rnn_cell.GRUCell(H), embedding_classes=V_IN, embedding_size=E), V_OUT)
        inputs_cell = rnn_wrappers.InputProjectionWrapper(v1.nn.rnn_cell.GRUCell(H), 2,
                                                          activation=tf.tanh)
        assert cell.output_size == V_OUT and cell.state_size == H
        output, new_state = cell(tf.constant(ids), tf.constant(state))
        projected, _ = inputs_cell(tf.constant(state[:, :3]), tf.constant(state))
        (out, got_state, got_projected), w = session_values((output, new_state, projected))
    top = "output_projection_wrapper"
    assert sorted(w) == sorted(
        [f"{top}/embedding_wrapper/embedding", f"{top}/kernel", f"{top}/bias",
         "input_projection_wrapper/kernel", "input_projection_wrapper/bias"]
        + [f"{top}/embedding_wrapper/gru_cell/{n}" for n in GRU]
        + [f"input_projection_wrapper/gru_cell/{n}" for n in GRU])
    embedded = w[f"{top}/embedding_wrapper/embedding"][ids]
    h, _ = gru(w, f"{top}/embedding_wrapper/gru_cell")(embedded, state)
    np.testing.assert_allclose(got_state, h, atol=1e-6)
    np.testing.assert_allclose(out, h @ w[f"{top}/kernel"] + w[f"{top}/bias"], atol=1e-6)
    x = np.tanh(state[:, :3] @ w["input_projection_wrapper/kernel"]
                + w["input_projection_wrapper/bias"])
    want, _ = gru(w, "input_projection_wrapper/gru_cell")(x, state)
    np.testing.assert_allclose(got_projected, want, atol=1e-6)
    with pytest.raises(ValueError, match="output_size must be > 0"):
        rnn_wrappers.OutputProjectionWrapper(v1.nn.rnn_cell.GRUCell(H), 0)


@pytest.mark.parametrize("initial_state_attention", [False, True])
def test_attention_decoder_with_two_heads_against_its_equations(initial_state_attention):
    inputs = [RNG.normal(size=(B, 2)).astype(np.float32) for _ in range(T_OUT)]
    states = RNG.normal(size=(B, T_IN, H)).astype(np.float32)
    start = RNG.normal(size=(B, H)).astype(np.float32)
    with tf.Graph().as_default():
        outputs, state = legacy.attention_decoder(
            [tf.constant(x) for x in inputs], tf.constant(start), tf.constant(states),
            v1.nn.rnn_cell.GRUCell(H), output_size=7, num_heads=2,
            initial_state_attention=initial_state_attention)
        (got, got_state), w = session_values((outputs, state))
    scope = "attention_decoder/"
    assert sorted(w) == sorted(scope + n for n in [
        "AttnW_0", "AttnV_0", "AttnW_1", "AttnV_1", "kernel", "bias",
        "Attention_0/kernel", "Attention_0/bias", "Attention_1/kernel", "Attention_1/bias",
        "AttnOutputProjection/kernel", "AttnOutputProjection/bias",
        *(f"gru_cell/{n}" for n in GRU)])
    weights = {name[len(scope):]: value for name, value in w.items()}
    want, want_state = legacy_attention_decoder(
        gru(w, scope + "gru_cell"), weights, inputs, start, states, 2,
        initial_state_attention)
    assert len(got) == T_OUT and got[0].shape == (B, 7)
    np.testing.assert_allclose(np.stack(got), np.stack(want), atol=2e-5)
    np.testing.assert_allclose(got_state, want_state, atol=2e-5)


def embedding_attention_model(feed_previous):
    return legacy.embedding_attention_seq2seq(
        [tf.constant(x) for x in SOURCE], [tf.constant(x) for x in TARGET],
        v1.nn.rnn_cell.GRUCell(H), num_encoder_symbols=V_IN, num_decoder_symbols=V_OUT,
        embedding_size=E, feed_previous=feed_previous)


TRANSLATE_NAMES = sorted(
    ["embedding_attention_seq2seq/rnn/embedding_wrapper/embedding"]
    + [f"embedding_attention_seq2seq/rnn/embedding_wrapper/gru_cell/{n}" for n in GRU]
    + ["embedding_attention_seq2seq/embedding_attention_decoder/" + n for n in [
        "embedding", "attention_decoder/AttnW_0", "attention_decoder/AttnV_0",
        "attention_decoder/kernel", "attention_decoder/bias",
        "attention_decoder/output_projection_wrapper/kernel",
        "attention_decoder/output_projection_wrapper/bias",
        "attention_decoder/Attention_0/kernel", "attention_decoder/Attention_0/bias",
        "attention_decoder/AttnOutputProjection/kernel",
        "attention_decoder/AttnOutputProjection/bias",
        *(f"attention_decoder/output_projection_wrapper/gru_cell/{n}" for n in GRU)]])


@pytest.mark.parametrize("feed_previous", [False, True])
def test_embedding_attention_seq2seq_is_the_translate_tutorials_model(feed_previous):
    with tf.Graph().as_default():
        outputs, _ = embedding_attention_model(feed_previous)
        (got,), w = session_values([outputs])
    assert sorted(w) == TRANSLATE_NAMES
    top = "embedding_attention_seq2seq/"
    decoder = top + "embedding_attention_decoder/"
    encode = gru(w, top + "rnn/embedding_wrapper/gru_cell")
    state, memory = np.zeros((B, H)), []
    for ids in SOURCE:
        out, state = encode(w[top + "rnn/embedding_wrapper/embedding"][ids], state)
        memory.append(out)
    projection = decoder + "attention_decoder/output_projection_wrapper/"
    inner = gru(w, projection + "gru_cell")

    def cell(x, s):  # OutputProjectionWrapper(GRU)
        h, s = inner(x, s)
        return h @ w[projection + "kernel"] + w[projection + "bias"], s

    weights = {n[len(decoder + "attention_decoder/"):]: v for n, v in w.items()
               if n.startswith(decoder + "attention_decoder/")}
    embedding = w[decoder + "embedding"]
    if not feed_previous:
        want, _ = legacy_attention_decoder(cell, weights, [embedding[i] for i in TARGET],
                                           state, np.stack(memory, 1), 1)
    else:  # greedy: each step after the first reads the argmax of the last output
        want, x = [], [embedding[TARGET[0]]]
        for t in range(T_OUT):
            outs, _ = legacy_attention_decoder(cell, weights, x, state, np.stack(memory, 1), 1)
            want = outs
            x = x + [embedding[outs[-1].argmax(-1)]]
    np.testing.assert_allclose(np.stack(got), np.stack(want), atol=2e-5)


def test_a_feed_previous_tensor_picks_either_decoder_with_one_set_of_weights():
    with tf.Graph().as_default():
        switch = v1.placeholder(tf.bool, [])
        outputs, state = legacy.embedding_rnn_seq2seq(
            [tf.constant(x) for x in SOURCE], [tf.constant(x) for x in TARGET],
            v1.nn.rnn_cell.GRUCell(H), V_IN, V_OUT, E, feed_previous=switch)
        names = sorted(v.op.name for v in v1.global_variables())
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            fed = session.run(outputs, {switch: True})
            forced = session.run(outputs, {switch: False})
            w = session.run({v.op.name: v for v in v1.global_variables()})
    top = "embedding_rnn_seq2seq/"
    assert names == sorted(
        [top + "rnn/embedding_wrapper/embedding", top + "embedding_rnn_decoder/embedding",
         top + "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/kernel",
         top + "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/bias"]
        + [top + f"rnn/embedding_wrapper/gru_cell/{n}" for n in GRU]
        + [top + f"embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/gru_cell/{n}"
           for n in GRU])
    encode = gru(w, top + "rnn/embedding_wrapper/gru_cell")
    state = np.zeros((B, H))
    for ids in SOURCE:
        _, state = encode(w[top + "rnn/embedding_wrapper/embedding"][ids], state)
    wrapper = top + "embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/"
    decode = gru(w, wrapper + "gru_cell")
    embedding = w[top + "embedding_rnn_decoder/embedding"]
    for outputs_got, feed in ((forced, False), (fed, True)):
        s, x = state, embedding[TARGET[0]]
        for t in range(T_OUT):
            h, s = decode(x, s)
            logits = h @ w[wrapper + "kernel"] + w[wrapper + "bias"]
            np.testing.assert_allclose(outputs_got[t], logits, atol=2e-5)
            if t + 1 < T_OUT:
                x = embedding[logits.argmax(-1)] if feed else embedding[TARGET[t + 1]]


def test_basic_and_tied_models_share_what_tf1_shared():
    with tf.Graph().as_default():
        inputs = [tf.constant(RNG.normal(size=(B, 2)).astype(np.float32)) for _ in range(3)]
        legacy.basic_rnn_seq2seq(inputs, inputs, v1.nn.rnn_cell.GRUCell(H))
        legacy.tied_rnn_seq2seq(inputs, inputs, v1.nn.rnn_cell.GRUCell(H))
        names = sorted(v.op.name for v in v1.global_variables())
    assert names == sorted([f"basic_rnn_seq2seq/rnn/gru_cell/{n}" for n in GRU]
                           + [f"basic_rnn_seq2seq/rnn_decoder/gru_cell/{n}" for n in GRU]
                           + [f"combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/{n}"
                              for n in GRU])


def test_model_with_buckets_shares_weights_and_gives_each_bucket_its_loss():
    with tf.Graph().as_default():
        targets = [tf.constant(x) for x in TARGET]
        outputs, losses = legacy.model_with_buckets(
            [tf.constant(x) for x in SOURCE], [tf.constant(x) for x in TARGET], targets,
            [tf.constant(np.ones(B, np.float32))] * T_OUT, [(2, 2), (T_IN, T_OUT)],
            lambda x, y: legacy.embedding_rnn_seq2seq(x, y, v1.nn.rnn_cell.GRUCell(H), V_IN,
                                                      V_OUT, E))
        count = len(v1.global_variables())
        (outs, got), _ = session_values((outputs, losses))
    # one model's variables for both buckets: two embeddings, two GRUs, the projection
    assert count == 2 + 4 + 4 + 2
    assert [len(o) for o in outs] == [2, T_OUT]
    for bucket, length in enumerate((2, T_OUT)):
        per_step = [crossent(outs[bucket][t], TARGET[t]) for t in range(length)]
        assert got[bucket] == pytest.approx(np.sum(per_step, 0).sum() / length / B, rel=1e-5)
    with pytest.raises(ValueError, match="must be at least that of last bucket"):
        legacy.model_with_buckets([], [], [], [], [(2, 2)], None)


def test_one_cell_made_outside_serves_every_bucket_as_the_translate_tutorial_does():
    """TF 1.4's translate tutorial makes its cell once and builds every bucket's
    embedding_attention_seq2seq from it: the model copies it for the encoder (as TF 1.x
    deep-copied it) and the buckets share one set of weights."""
    def variables_of(buckets):
        with tf.Graph().as_default():
            cell = v1.nn.rnn_cell.GRUCell(H)
            outputs, losses = legacy.model_with_buckets(
                [tf.constant(x) for x in SOURCE], [tf.constant(x) for x in TARGET],
                [tf.constant(x) for x in TARGET],
                [tf.constant(np.ones(B, np.float32))] * T_OUT, buckets,
                lambda x, y: legacy.embedding_attention_seq2seq(x, y, cell, V_IN, V_OUT, E))
            names = sorted(v.op.name for v in v1.global_variables())
            (outs, got), _ = session_values((outputs, losses))
        return names, outs, got
    one_bucket, _, _ = variables_of([(T_IN, T_OUT)])
    names, outs, got = variables_of([(2, 2), (T_IN, T_OUT)])
    assert names == one_bucket and len(names) == 20  # one set of weights, not two
    for bucket, length in enumerate((2, T_OUT)):
        per_step = [crossent(outs[bucket][t], TARGET[t]) for t in range(length)]
        assert got[bucket] == pytest.approx(np.sum(per_step, 0).sum() / length / B, rel=1e-5)


def test_one2many_names_a_decoder_per_task():
    with tf.Graph().as_default():
        outputs, states = legacy.one2many_rnn_seq2seq(
            [tf.constant(x) for x in SOURCE],
            {"a": [tf.constant(x) for x in TARGET], "b": [tf.constant(x % 2) for x in TARGET[:2]]},
            v1.nn.rnn_cell.GRUCell(H), {"a": v1.nn.rnn_cell.GRUCell(H),
                                        "b": v1.nn.rnn_cell.GRUCell(H)},
            V_IN, {"a": V_OUT, "b": 2}, E)
        names = {v.op.name for v in v1.global_variables()}
        (outs,), _ = session_values([outputs])
    assert outs["a"][0].shape == (B, V_OUT) and len(outs["b"]) == 2 and outs["b"][0].shape == (B, 2)
    assert ("one2many_rnn_seq2seq/one2many_decoder_b/embedding_rnn_decoder/rnn_decoder/"
            "output_projection_wrapper/kernel") in names
    assert "one2many_rnn_seq2seq/rnn/embedding_wrapper/embedding" in names
