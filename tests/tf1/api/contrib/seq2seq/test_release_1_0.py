"""tf.contrib.seq2seq's TF 1.0 API (graphrnn.tf1.api.contrib.seq2seq.release_1_0): the
decoder under simple_decoder_fn_train equals dynamic_rnn from the encoder's state; greedy
inference equals a loop unrolled by hand; the attention pieces against NumPy (Bahdanau's
and Luong's scores, the construct layer) with TF 1.0's variable names; training and
inference decoders sharing one set of weights."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.seq2seq import release_1_0 as s2s

RNG = np.random.default_rng(13)
B, T, E, H, V, L = 3, 4, 5, 6, 7, 4  # batch, time, embedding, units, vocabulary, memory
INPUTS = RNG.normal(size=(B, T, E)).astype(np.float32)
LENGTHS = np.array([4, 2, 3], np.int32)
STATE = RNG.normal(size=(B, H)).astype(np.float32)
MEMORY = RNG.normal(size=(B, L, H)).astype(np.float32)


def run(fetches):
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        variables = {v.op.name: v for v in v1.global_variables()}
        return session.run([fetches, variables])


def test_the_training_decoder_is_dynamic_rnn_from_the_encoders_state():
    with tf.Graph().as_default():
        cell = v1.nn.rnn_cell.GRUCell(H)
        with v1.variable_scope("decoder") as scope:
            outputs, state, context = s2s.dynamic_rnn_decoder(
                cell, s2s.simple_decoder_fn_train(tf.constant(STATE)), tf.constant(INPUTS),
                sequence_length=tf.constant(LENGTHS), scope=scope)
            scope.reuse_variables()
            want, want_state = v1.nn.dynamic_rnn(cell, tf.constant(INPUTS), LENGTHS,
                                                 initial_state=tf.constant(STATE))
        assert context is None
        (got, got_state, want, want_state), variables = run(
            (outputs, state, want, want_state))
    assert sorted(variables) == sorted(f"decoder/gru_cell/{n}" for n in (
        "gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"))
    np.testing.assert_allclose(got, want, atol=1e-6)  # zeros past each length in both
    np.testing.assert_allclose(got_state, want_state, atol=1e-6)


def test_greedy_inference_feeds_back_the_argmax_until_the_end_or_the_maximum_length():
    embeddings = RNG.normal(size=(V, E)).astype(np.float32)
    with tf.Graph().as_default():
        cell = v1.nn.rnn_cell.GRUCell(H)
        with v1.variable_scope("decoder") as scope:
            def output_fn(x):
                return s2s.linear(x, V, scope=scope)
            decoder_fn = s2s.simple_decoder_fn_inference(
                output_fn, tf.constant(STATE), tf.constant(embeddings), 1, 0, 5, V)
            logits, _, _ = s2s.dynamic_rnn_decoder(cell, decoder_fn, scope=scope)
            scope.reuse_variables()
            # by hand: start id 1, then the argmax, for 7 steps
            ids, state, by_hand = tf.ones([B], tf.int32), tf.constant(STATE), []
            for _ in range(7):
                out, state = cell(tf.gather(embeddings, ids), state)
                step = output_fn(out)
                by_hand.append(step)
                ids = tf.cast(tf.argmax(step, 1), tf.int32)
        (got, want), _ = run((logits, tf.stack(by_hand, 1)))
    steps = got.shape[1]
    assert 1 <= steps <= 7  # it stops when all have emitted 0, or after time 5 + 1
    finished = np.zeros(B, bool)
    for t in range(steps):
        live = ~finished
        np.testing.assert_allclose(got[live, t], want[live, t], atol=1e-5)
        assert not got[finished, t].any()  # zeros once a sequence is done
        finished |= want[:, t].argmax(1) == 0


def numpy_softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


@pytest.mark.parametrize("option", ["bahdanau", "luong"])
def test_attention_scores_and_the_construct_layer_match_numpy(option):
    query = RNG.normal(size=(B, H)).astype(np.float32)
    with tf.Graph().as_default():
        keys, values, score_fn, construct_fn = s2s.prepare_attention(
            tf.constant(MEMORY), option, H)
        context = score_fn(tf.constant(query), keys, values)
        attention = construct_fn(tf.constant(query), keys, values)
        (k, c, a), w = run((keys, context, attention))
    expected_names = ["attention_construct/weights", "attention_keys/weights"] + (
        ["attention_score/attnV", "attention_score/attnW"] if option == "bahdanau" else [])
    assert sorted(w) == expected_names
    np.testing.assert_allclose(k, MEMORY @ w["attention_keys/weights"], rtol=1e-5, atol=1e-6)
    if option == "bahdanau":
        q = (query @ w["attention_score/attnW"])[:, None, :]
        scores = (w["attention_score/attnV"] * np.tanh(k + q)).sum(2)
    else:
        scores = (k * query[:, None, :]).sum(2)
    want_context = (numpy_softmax(scores)[:, :, None] * MEMORY).sum(1)
    np.testing.assert_allclose(c, want_context, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(a, np.concatenate([query, want_context], 1)
                               @ w["attention_construct/weights"], rtol=1e-5, atol=1e-5)


def test_attention_decoders_for_training_and_inference_share_one_set_of_weights():
    embeddings = RNG.normal(size=(V, E)).astype(np.float32)
    with tf.Graph().as_default():
        cell = v1.nn.rnn_cell.GRUCell(H)
        with v1.variable_scope("Decoder") as scope:
            def output_fn(x):
                return s2s.linear(x, V, scope=scope)
            keys, values, score_fn, construct_fn = s2s.prepare_attention(
                tf.constant(MEMORY), "bahdanau", H)
            train_fn = s2s.attention_decoder_fn_train(tf.constant(STATE), keys, values,
                                                      score_fn, construct_fn)
            outputs, _, _ = s2s.dynamic_rnn_decoder(
                cell, train_fn, tf.constant(INPUTS), sequence_length=LENGTHS, scope=scope)
            logits_train = output_fn(outputs)
            created = len(v1.global_variables())
            scope.reuse_variables()
            infer_fn = s2s.attention_decoder_fn_inference(
                output_fn, tf.constant(STATE), keys, values, score_fn, construct_fn,
                tf.constant(embeddings), 1, 0, 4, V)
            logits, _, _ = s2s.dynamic_rnn_decoder(cell, infer_fn, scope=scope)
        assert len(v1.global_variables()) == created  # inference made none of its own
        (train, infer), names = run((logits_train, logits))
    assert "Decoder/gru_cell/gates/kernel" in names and "Decoder/weights" in names
    assert names["Decoder/gru_cell/gates/kernel"].shape == (E + H + H, 2 * H)  # [x, attn, h]
    assert train.shape == (B, T, V) and infer.shape[0] == B and infer.shape[2] == V
    assert np.isfinite(train).all() and np.isfinite(infer).all()


def test_dynamic_attention_wrapper_is_tf_1_1s_attention_wrapper_with_its_state():
    """TF 1.1's DynamicAttentionWrapper (Bahdanau, attention_size 5) under dynamic_rnn,
    against the NumPy attention step on its weights read by TF 1.1's names."""
    from graphrnn.tf1.api.contrib.seq2seq import attention
    from reference_cells import gru_step
    from reference_seq2seq import attention_step, bahdanau_score, softmax
    with tf.Graph().as_default():
        mechanism = attention.BahdanauAttention(H, tf.constant(MEMORY))
        cell = s2s.DynamicAttentionWrapper(v1.nn.rnn_cell.GRUCell(H), mechanism, 5)
        initial = cell.zero_state(B, tf.float32)
        assert isinstance(initial, s2s.DynamicAttentionWrapperState)
        initial = initial._replace(cell_state=tf.constant(STATE))
        outputs, state = v1.nn.dynamic_rnn(cell, tf.constant(INPUTS), initial_state=initial)
        assert isinstance(state, s2s.DynamicAttentionWrapperState)
        (got, attention_out), w = run((outputs, state.attention))
    prefix = "rnn/dynamic_attention_wrapper/"
    assert sorted(w) == sorted(
        [prefix + "attention_layer/kernel", prefix + "bahdanau_attention/attention_v",
         prefix + "bahdanau_attention/query_layer/kernel", "memory_layer/kernel"]
        + [prefix + f"gru_cell/{n}" for n in ("gates/kernel", "gates/bias",
                                              "candidate/kernel", "candidate/bias")])
    keys = MEMORY @ w["memory_layer/kernel"]

    def alignment(query, previous):
        processed = query @ w[prefix + "bahdanau_attention/query_layer/kernel"]
        return softmax(bahdanau_score(processed, keys,
                                      w[prefix + "bahdanau_attention/attention_v"]))
    gru = gru_step({n: w[prefix + f"gru_cell/{n}"] for n in (
        "gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")})
    step = attention_step(gru, [(alignment, MEMORY)], [w[prefix + "attention_layer/kernel"]])
    state, want = (STATE, np.zeros((B, 5)), [np.zeros((B, L))]), []
    for t in range(T):
        output, state = step(INPUTS[:, t], state)
        want.append(output)
    np.testing.assert_allclose(got, np.stack(want, 1), atol=2e-5)
    np.testing.assert_allclose(attention_out, state[1], atol=2e-5)
