"""The from-scratch cells (graphrnn.scratch) against TF1's own cells with the same weights:
the hand-built RNN is BasicRNNCell(activation=sigmoid), the corrected hand-built LSTM is
LSTMCell(forget_bias=0), and the tutorial's original LSTM is not."""

import numpy as np
import pytest

from graphrnn import scratch
from graphrnn.compat import tf, v1

UNITS, STEPS, FEATURES = 4, 9, 2


def run_both(build_scratch, build_cell, to_cell_weights):
    """Final h of a scratch builder and of a TF1 cell holding the same (random) weights."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, STEPS, FEATURES)).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        predictors = v1.placeholder(tf.float32, [None, STEPS, FEATURES])
        scratch_h = build_scratch(predictors)
        scratch_variables = v1.trainable_variables()
        with v1.variable_scope("tf1"):
            _, state = v1.nn.dynamic_rnn(build_cell(), predictors, dtype=tf.float32)
        cell_h = state.h if isinstance(state, v1.nn.rnn_cell.LSTMStateTuple) else state
        cell_variables = [v for v in v1.trainable_variables() if v.name.startswith("tf1/")]
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            weights = {}
            for variable in scratch_variables:  # random biases too
                value = rng.normal(0.0, 0.5, variable.shape.as_list()).astype(np.float32)
                variable.load(value, session)
                weights[variable.name.split("/")[-1].split(":")[0]] = value
            for variable, value in zip(cell_variables, to_cell_weights(weights)):
                variable.load(value, session)
            return session.run([scratch_h, cell_h], {predictors: x})


def rnn_cell_weights(w):
    return [np.concatenate([w["W_x"], w["W_h"]]), w["b_"]]  # kernel over [x, h], bias


def lstm_cell_weights(w):
    """LSTMCell: kernel (F+H, 4H) and bias in the order i, j (= g), f, o."""
    order = ("i", "g", "f", "o")
    kernel = np.concatenate([np.concatenate([w[f"W_x{g}"], w[f"W_h{g}"]]) for g in order], 1)
    return [kernel, np.concatenate([w[f"b_{g}"] for g in order])]


def test_hand_built_rnn_is_basic_rnn_cell_with_sigmoid():
    mine, theirs = run_both(lambda x: scratch.rnn(x, UNITS),
                            lambda: v1.nn.rnn_cell.BasicRNNCell(UNITS, activation=tf.sigmoid),
                            rnn_cell_weights)
    assert mine.shape == (5, UNITS)
    np.testing.assert_allclose(mine, theirs, atol=1e-6)


@pytest.mark.parametrize("original", [False, True], ids=["corrected", "original"])
def test_corrected_hand_built_lstm_is_lstm_cell_with_forget_bias_0(original):
    mine, theirs = run_both(lambda x: scratch.lstm(x, UNITS, original_forget_gate=original),
                            lambda: v1.nn.rnn_cell.LSTMCell(UNITS, forget_bias=0.0),
                            lstm_cell_weights)
    if original:  # the tutorial's forget gate is another network
        assert np.abs(mine - theirs).max() > 1e-2
    else:
        np.testing.assert_allclose(mine, theirs, atol=1e-6)
