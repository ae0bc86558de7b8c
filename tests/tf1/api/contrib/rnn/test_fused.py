"""tf.contrib.rnn's fused cells as graphrnn-tf1 rebuilds them: LSTMBlockFusedCell against
a NumPy LSTM (TF1's i, j, f, o equations, forget_bias, peepholes, cell_clip) on the
weights read by their TF1 names, with sequence lengths; the adaptor and the time
reversal against the cells they wrap."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib import rnn
from reference_cells import lstm_step, run as reference_run

RNG = np.random.default_rng(21)
T, B, F, H = 5, 3, 4, 6
X = RNG.normal(size=(T, B, F)).astype(np.float32)
LENGTHS = np.array([5, 2, 3], np.int32)


def numpy_lstm(x, w, forget_bias, lengths, peepholes=None, clip=None):
    """TF1's LSTM (reference_cells) over time-major x: outputs (T, B, H), zero past each
    length, and the final (c, h) of each sequence's last step."""
    step = lstm_step(w, forget_bias, peepholes, clip)
    outputs, (c, h) = reference_run(step, x.transpose(1, 0, 2), (np.zeros((B, H)),) * 2,
                                    lengths)
    return outputs.transpose(1, 0, 2), c, h


def run(build):
    """(fetched values, {variable name: value}) of build() in a fresh graph."""
    with tf.Graph().as_default():
        fetches = build()
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            variables = {v.op.name: v for v in v1.global_variables()}
            return session.run([fetches, variables])


@pytest.mark.parametrize("peephole, clip", [(False, None), (True, 0.4)])
def test_lstm_block_fused_cell_is_tf1s_lstm_with_lengths_and_lstmcells_names(peephole, clip):
    def build():
        cell = rnn.RNN["LSTMBlockFusedCell"](H, forget_bias=0.5, use_peephole=peephole,
                                             cell_clip=clip)
        with v1.variable_scope("fw"):
            outputs, state = cell(tf.constant(X), dtype=tf.float32,
                                  sequence_length=tf.constant(LENGTHS))
        return outputs, state.c, state.h
    (outputs, c, h), variables = run(build)
    names = ["fw/lstm_cell/kernel", "fw/lstm_cell/bias"] + (
        [f"fw/lstm_cell/{n}" for n in ("w_i_diag", "w_f_diag", "w_o_diag")] if peephole else [])
    assert sorted(variables) == sorted(names)
    assert variables["fw/lstm_cell/kernel"].shape == (F + H, 4 * H)
    weights = {"kernel": variables["fw/lstm_cell/kernel"], "bias": variables["fw/lstm_cell/bias"]}
    peepholes = [variables[f"fw/lstm_cell/{n}"] for n in ("w_i_diag", "w_f_diag", "w_o_diag")
                 ] if peephole else None
    want, want_c, want_h = numpy_lstm(X, weights, 0.5, LENGTHS, peepholes, clip)
    np.testing.assert_allclose(outputs, want, atol=1e-5)
    np.testing.assert_allclose(c, want_c, atol=1e-5)
    np.testing.assert_allclose(h, want_h, atol=1e-5)


def test_the_fused_cell_equals_lstmcell_under_dynamic_rnn_and_takes_a_list():
    def build():
        fused = rnn.RNN["LSTMBlockFusedCell"](H)
        listed, _ = fused(list(tf.unstack(tf.constant(X))), dtype=tf.float32)
        adaptor = rnn.RNN["FusedRNNCellAdaptor"](v1.nn.rnn_cell.LSTMCell(H), True)
        with v1.variable_scope("other"):
            adapted, _ = adaptor(tf.constant(X), dtype=tf.float32)
        return listed, adapted
    (listed, adapted), variables = run(build)
    assert isinstance(listed, list) and len(listed) == T
    kernel = {"kernel": variables["lstm_cell/kernel"], "bias": variables["lstm_cell/bias"]}
    want, _, _ = numpy_lstm(X, kernel, 1.0, np.full(B, T))
    np.testing.assert_allclose(np.stack(listed), want, atol=1e-5)
    assert "other/rnn/lstm_cell/kernel" in variables  # dynamic_rnn's own scope, as TF1
    other = {"kernel": variables["other/rnn/lstm_cell/kernel"],
             "bias": variables["other/rnn/lstm_cell/bias"]}
    np.testing.assert_allclose(adapted, numpy_lstm(X, other, 1.0, np.full(B, T))[0], atol=1e-5)


def test_time_reversed_runs_each_sequence_backwards_within_its_length():
    def build():
        fw = rnn.RNN["LSTMBlockFusedCell"](H)
        bw = rnn.RNN["TimeReversedFusedRNN"](rnn.RNN["LSTMBlockFusedCell"](H))
        lengths = tf.constant(LENGTHS)
        with v1.variable_scope("fw"):
            forward, _ = fw(tf.constant(X), dtype=tf.float32, sequence_length=lengths)
        with v1.variable_scope("bw"):
            backward, state = bw(tf.constant(X), dtype=tf.float32, sequence_length=lengths)
        return forward, backward, state.h
    (forward, backward, h), variables = run(build)
    assert sorted(variables) == ["bw/lstm_cell/bias", "bw/lstm_cell/kernel",
                                 "fw/lstm_cell/bias", "fw/lstm_cell/kernel"]
    weights = {"kernel": variables["bw/lstm_cell/kernel"], "bias": variables["bw/lstm_cell/bias"]}
    for b, length in enumerate(LENGTHS):
        reversed_x = X.copy()
        reversed_x[:length, b] = X[:length, b][::-1]
        want, _, want_h = numpy_lstm(reversed_x, weights, 1.0, LENGTHS)
        np.testing.assert_allclose(backward[:length, b], want[:length, b][::-1], atol=1e-5)
        np.testing.assert_allclose(h[b], want_h[b], atol=1e-5)  # it read the first step last
        assert not backward[length:, b].any()
    assert forward.shape == backward.shape
