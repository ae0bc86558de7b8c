"""tf.contrib.seq2seq's attention as graphrnn-tf1 rebuilds it: each mechanism, the
monotonic attention function, and AttentionWrapper in dynamic_decode and inside a
MultiRNNCell, against NumPy (reference_seq2seq) on the weights read by their TF 1.15
names, which are checked too."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.seq2seq import attention as seq2seq
from graphrnn.tf1.api.contrib.seq2seq import decoding
from reference_cells import gru_step, lstm_step
from reference_seq2seq import (attention_step, bahdanau_score, dense, luong_score, masked,
                               monotonic_attention, softmax)

B, TM, DM, N, T, F, V = 3, 5, 4, 6, 4, 2, 7
RNG = np.random.default_rng(5)
MEMORY = RNG.normal(size=(B, TM, DM)).astype(np.float32)
MEMORY_LENGTHS = np.array([5, 3, 1], np.int32)
MASKED_MEMORY = MEMORY * (np.arange(TM)[None, :, None] < MEMORY_LENGTHS[:, None, None])
QUERY = RNG.normal(size=(B, N)).astype(np.float32)
INPUTS = RNG.normal(size=(B, T, F)).astype(np.float32)


def session_values(fetches, assign=None):
    """Run fetches after initialising (and assigning {name: value}); also return every
    global variable's value by name."""
    variables = {v.op.name: v for v in v1.global_variables()}
    assign = assign or {}
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        for name, value in assign.items():
            variables[name].load(value, session)
        return session.run([fetches, variables])


def luong_fn(weights, prefix, memory_layer="memory_layer", monotonic=None):
    """(alignment function, values) of a Luong mechanism from its variables."""
    keys = MASKED_MEMORY @ weights[f"{memory_layer}/kernel"]
    scale = weights.get(f"{prefix}/attention_g")

    def alignments(query, previous):
        score = luong_score(query, keys, scale)
        return probabilities(score, previous, weights, prefix, monotonic)
    return alignments, MASKED_MEMORY


def bahdanau_fn(weights, prefix, memory_layer="memory_layer", monotonic=None):
    keys = MASKED_MEMORY @ weights[f"{memory_layer}/kernel"]

    def alignments(query, previous):
        score = bahdanau_score(query @ weights[f"{prefix}/query_layer/kernel"], keys,
                               weights[f"{prefix}/attention_v"],
                               weights.get(f"{prefix}/attention_g"),
                               weights.get(f"{prefix}/attention_b"))
        return probabilities(score, previous, weights, prefix, monotonic)
    return alignments, MASKED_MEMORY


def probabilities(score, previous, weights, prefix, monotonic):
    if monotonic is None:
        return softmax(masked(score, MEMORY_LENGTHS))
    score = masked(score + weights[f"{prefix}/attention_score_bias"], MEMORY_LENGTHS)
    p_choose = (score > 0).astype(float) if monotonic == "hard" else 1 / (1 + np.exp(-score))
    return monotonic_attention(p_choose, previous, monotonic)


MECHANISMS = {  # name: (build, its variables under scope "step", reference, its options)
    "luong": (lambda m, n: seq2seq.LuongAttention(N, m, n), ["luong_attention"],
              luong_fn, None),
    "luong_scale": (lambda m, n: seq2seq.LuongAttention(N, m, n, scale=True),
                    ["luong_attention/attention_g"], luong_fn, None),
    "bahdanau": (lambda m, n: seq2seq.BahdanauAttention(N, m, n),
                 ["bahdanau_attention/query_layer/kernel", "bahdanau_attention/attention_v"],
                 bahdanau_fn, None),
    "bahdanau_normalize": (lambda m, n: seq2seq.BahdanauAttention(N, m, n, normalize=True),
                           ["bahdanau_attention/query_layer/kernel",
                            "bahdanau_attention/attention_v",
                            "bahdanau_attention/attention_g",
                            "bahdanau_attention/attention_b"], bahdanau_fn, None),
    "bahdanau_monotonic": (
        lambda m, n: seq2seq.BahdanauMonotonicAttention(N, m, n, score_bias_init=-0.5),
        ["bahdanau_monotonic_attention/query_layer/kernel",
         "bahdanau_monotonic_attention/attention_v",
         "bahdanau_monotonic_attention/attention_score_bias"], bahdanau_fn, "parallel"),
    "luong_monotonic_recursive": (
        lambda m, n: seq2seq.LuongMonotonicAttention(N, m, n, scale=True, mode="recursive"),
        ["luong_monotonic_attention/attention_g",
         "luong_monotonic_attention/attention_score_bias"], luong_fn, "recursive"),
    "luong_monotonic_hard": (
        lambda m, n: seq2seq.LuongMonotonicAttention(N, m, n, mode="hard"),
        ["luong_monotonic_attention/attention_score_bias"], luong_fn, "hard"),
}


@pytest.mark.parametrize("kind", sorted(MECHANISMS))
def test_each_mechanism_against_its_equations(kind):
    build, names, reference, monotonic = MECHANISMS[kind]
    with tf.Graph().as_default():
        mechanism = build(tf.constant(MEMORY), tf.constant(MEMORY_LENGTHS))
        previous = mechanism.initial_state(B, tf.float32)
        with v1.variable_scope("step"):
            alignments, next_state = mechanism(tf.constant(QUERY), state=previous)
        assert next_state is alignments
        expected = {"memory_layer/kernel"} | {
            f"step/{n}" for n in names if "/" in n}
        assert {v.op.name for v in v1.global_variables()} == expected
        scalars = {n: 1.7 for n in expected if n.endswith(("attention_g", "score_bias"))}
        (got, start), weights = session_values((alignments, previous), scalars)
    if monotonic:
        np.testing.assert_array_equal(start, np.eye(TM)[[0, 0, 0]])  # all on the first entry
    else:
        assert not start.any()
    fn, _ = reference(weights, "step/" + names[0].split("/")[0], monotonic=monotonic)
    want = fn(QUERY, start)
    np.testing.assert_allclose(got, want, atol=2e-6)
    assert not got[2, 1:].any() and not got[1, 3:].any()  # nothing past a memory's length


@pytest.mark.parametrize("mode", ["recursive", "parallel", "hard"])
def test_monotonic_attention_modes_follow_the_recurrence(mode):
    p_choose = RNG.uniform(size=(B, TM))
    previous = softmax(RNG.normal(size=(B, TM)))
    if mode == "hard":
        p_choose = (p_choose > 0.5).astype(float)
        previous = np.eye(TM)[[0, 2, 1]]
    with tf.Graph().as_default():
        got = session_values(seq2seq.monotonic_attention(
            tf.constant(p_choose, tf.float32), tf.constant(previous, tf.float32), mode))[0]
    np.testing.assert_allclose(got, monotonic_attention(p_choose, previous, mode), atol=1e-5)
    with pytest.raises(ValueError, match="mode must be 'recursive', 'parallel', or 'hard'"):
        seq2seq.monotonic_attention(p_choose, previous, "soft")


def test_safe_cumprod_and_hardmax():
    x = RNG.uniform(0.1, 1.0, size=(B, TM)).astype(np.float32)
    logits = RNG.normal(size=(B, TM)).astype(np.float32)
    with tf.Graph().as_default():
        values = session_values([seq2seq.safe_cumprod(x, axis=1),
                                 seq2seq.safe_cumprod(x, axis=1, exclusive=True),
                                 seq2seq.hardmax(logits)])[0]
    np.testing.assert_allclose(values[0], np.cumprod(x, 1), rtol=1e-5)
    np.testing.assert_allclose(values[1][:, 1:], np.cumprod(x, 1)[:, :-1], rtol=1e-5)
    np.testing.assert_array_equal(values[2], np.eye(TM)[logits.argmax(1)])


def test_attention_wrapper_decodes_with_tf1_names_history_and_clone():
    """A BasicLSTMCell with scaled Luong attention, an attention layer of 5, the history
    of alignments and an encoder state put in by clone(), under dynamic_decode."""
    c0, h0 = (RNG.normal(size=(B, N)).astype(np.float32) for _ in range(2))
    with tf.Graph().as_default():
        mechanism = seq2seq.LuongAttention(N, tf.constant(MEMORY), MEMORY_LENGTHS, scale=True)
        cell = seq2seq.AttentionWrapper(v1.nn.rnn_cell.BasicLSTMCell(N), mechanism,
                                        attention_layer_size=5, alignment_history=True)
        initial = cell.zero_state(B, tf.float32).clone(
            cell_state=v1.nn.rnn_cell.LSTMStateTuple(tf.constant(c0), tf.constant(h0)))
        assert initial.cell_state.c.shape.as_list() == [B, N]
        decoder = decoding.BasicDecoder(
            cell, decoding.TrainingHelper(tf.constant(INPUTS), [T] * B), initial,
            output_layer=v1.layers.Dense(V))
        outputs, state, _ = decoding.dynamic_decode(decoder)
        history = state.alignment_history.stack()  # (T, B, TM)
        assert sorted(v.op.name for v in v1.global_variables()) == [
            "decoder/attention_wrapper/attention_layer/kernel",
            "decoder/attention_wrapper/basic_lstm_cell/bias",
            "decoder/attention_wrapper/basic_lstm_cell/kernel",
            "decoder/attention_wrapper/luong_attention/attention_g",
            "decoder/dense/bias", "decoder/dense/kernel", "memory_layer/kernel"]
        (out, history, attention), w = session_values(
            (outputs.rnn_output, history, state.attention),
            {"decoder/attention_wrapper/luong_attention/attention_g": 0.8})
    prefix = "decoder/attention_wrapper/"
    step = attention_step(
        lstm_step({"kernel": w[prefix + "basic_lstm_cell/kernel"],
                   "bias": w[prefix + "basic_lstm_cell/bias"]}),
        [luong_fn(w, prefix + "luong_attention")], [w[prefix + "attention_layer/kernel"]])
    project = dense(w["decoder/dense/kernel"], w["decoder/dense/bias"])
    state, logits, alignments = ((c0, h0), np.zeros((B, 5)), [np.zeros((B, TM))]), [], []
    for t in range(T):
        output, state = step(INPUTS[:, t], state)
        logits.append(project(output))
        alignments.append(state[2][0])
    np.testing.assert_allclose(out, np.stack(logits, 1), atol=2e-5)
    np.testing.assert_allclose(history, np.stack(alignments), atol=2e-6)
    np.testing.assert_allclose(attention, state[1], atol=2e-5)


def test_two_mechanisms_in_a_multi_rnn_cell_layer():
    """AttentionWrapper (GRU, Bahdanau normalised + Luong, attention layers of 3 and 2, the
    cell's output emitted) as layer 0 of a MultiRNNCell under dynamic_rnn, a GRU above."""
    with tf.Graph().as_default():
        memory = tf.constant(MEMORY)
        mechanisms = [seq2seq.BahdanauAttention(4, memory, MEMORY_LENGTHS, normalize=True),
                      seq2seq.LuongAttention(N, memory, MEMORY_LENGTHS)]
        wrapper = seq2seq.AttentionWrapper(v1.nn.rnn_cell.GRUCell(N), mechanisms,
                                           attention_layer_size=[3, 2],
                                           output_attention=False)
        assert wrapper.output_size == N and wrapper.state_size.attention == 5
        stack = v1.nn.rnn_cell.MultiRNNCell([wrapper, v1.nn.rnn_cell.GRUCell(4)])
        outputs, _ = v1.nn.dynamic_rnn(stack, tf.constant(INPUTS), dtype=tf.float32)
        names = {v.op.name for v in v1.global_variables()}
        (out,), w = session_values([outputs])
    layer0 = "rnn/multi_rnn_cell/cell_0/attention_wrapper/"
    assert names == {"memory_layer/kernel", "memory_layer_1/kernel",
                     layer0 + "attention_layer/kernel", layer0 + "attention_layer_1/kernel",
                     *(layer0 + "bahdanau_attention/" + n for n in (
                         "query_layer/kernel", "attention_v", "attention_g", "attention_b")),
                     *(layer0 + "gru_cell/" + n for n in (
                         "gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")),
                     *("rnn/multi_rnn_cell/cell_1/gru_cell/" + n for n in (
                         "gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"))}

    def gru(prefix):
        return gru_step({n: w[prefix + n] for n in (
            "gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")})

    step0 = attention_step(
        gru(layer0 + "gru_cell/"),
        [bahdanau_fn(w, layer0 + "bahdanau_attention"),
         luong_fn(w, layer0 + "luong_attention", memory_layer="memory_layer_1")],
        [w[layer0 + "attention_layer/kernel"], w[layer0 + "attention_layer_1/kernel"]],
        output_attention=False)
    step1 = gru("rnn/multi_rnn_cell/cell_1/gru_cell/")
    state0 = (np.zeros((B, N)), np.zeros((B, 5)), [np.zeros((B, TM))] * 2)
    state1, want = np.zeros((B, 4)), []
    for t in range(T):
        hidden, state0 = step0(INPUTS[:, t], state0)
        top, state1 = step1(hidden, state1)
        want.append(top)
    np.testing.assert_allclose(out, np.stack(want, 1), atol=2e-5)


def test_attention_wrapper_refusals_match_tf1():
    with tf.Graph().as_default():
        mechanism = seq2seq.LuongAttention(N, tf.constant(MEMORY))
        cell = v1.nn.rnn_cell.GRUCell(N)
        with pytest.raises(TypeError, match="must be an AttentionMechanism"):
            seq2seq.AttentionWrapper(cell, object())
        with pytest.raises(ValueError, match="exactly one integer per attention_mechanism"):
            seq2seq.AttentionWrapper(cell, [mechanism], attention_layer_size=[2, 3])
        with pytest.raises(ValueError, match="Only one of attention_layer_size"):
            seq2seq.AttentionWrapper(cell, mechanism, attention_layer_size=2,
                                     attention_layer=v1.layers.Dense(2))
        with pytest.raises(ValueError, match="Perhaps you need to set num_units"):
            mechanism(tf.constant(QUERY[:, :2]), state=None)
        wrapper = seq2seq.AttentionWrapper(cell, mechanism)
        with pytest.raises(TypeError, match="Expected state to be instance"):
            wrapper(tf.constant(INPUTS[:, 0]), tf.zeros([B, N]))
        with pytest.raises(ValueError, match="incompatible"):
            wrapper.zero_state(B, tf.float32).clone(cell_state=tf.zeros([B, N + 1]))
