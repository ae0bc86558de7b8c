"""The from-scratch tutorial's cells: every weight made with get_variable, the time loop
unrolled in Python. Graph builders like graphrnn.layers: tensors in, tensors out.

  RNN   h_t = sigmoid(x_t W_x + h_{t-1} W_h + b)
  LSTM  i, f, o = sigmoid(x_t W_x* + h_{t-1} W_h* + b_*);  g = tanh(x_t W_xg + h_{t-1} W_hg + b_g)
        c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)

The tutorial's LSTM had f = sigmoid(<g's pre-activation>): its forget gate copied the
candidate's input and its own weights never trained. original_forget_gate=True rebuilds
that, for comparison. The same weights give what tf.compat.v1.nn.rnn_cell.BasicRNNCell
(activation=sigmoid) and LSTMCell(forget_bias=0) give (see tests/test_lessons.py).

Usage::

    last_h = rnn(predictors, 4)       # predictors (B, T, F) -> (B, 4)
    last_h = lstm(predictors, 4)
    prediction = linear_output(last_h, 1)
"""

from graphrnn.compat import tf, v1
from graphrnn.layers import seeded_glorot

LSTM_GATES = ("i", "f", "o", "g")


def _gate(name, n_inputs, units):
    """get_variable W_x<name> (F, H), W_h<name> (H, H), b_<name> (H,)."""
    return (v1.get_variable(f"W_x{name}", [n_inputs, units]),
            v1.get_variable(f"W_h{name}", [units, units]),
            v1.get_variable(f"b_{name}", [units], initializer=v1.zeros_initializer()))


def _pre_activation(x, h, weights):
    w_x, w_h, b = weights
    return tf.matmul(x, w_x) + tf.matmul(h, w_h) + b  # (B, H)


def rnn(predictors, units):
    """Scope `rnn_from_scratch`: the sigmoid RNN over (B, T, F); returns the last h (B, H)."""
    steps, n_inputs = predictors.shape[1], predictors.shape[2]
    with v1.variable_scope("rnn_from_scratch", initializer=seeded_glorot()):
        weights = _gate("", n_inputs, units)
        h = tf.zeros([tf.shape(predictors)[0], units])
        for t in range(steps):  # unrolled in Python: one copy of the step per time step
            h = tf.sigmoid(_pre_activation(predictors[:, t], h, weights))
    return h


def lstm(predictors, units, original_forget_gate=False):
    """Scope `lstm_from_scratch`: the LSTM over (B, T, F); returns the last h (B, H)."""
    steps, n_inputs = predictors.shape[1], predictors.shape[2]
    with v1.variable_scope("lstm_from_scratch", initializer=seeded_glorot()):
        weights = {gate: _gate(gate, n_inputs, units) for gate in LSTM_GATES}
        h = c = tf.zeros([tf.shape(predictors)[0], units])
        for t in range(steps):
            x = predictors[:, t]
            pre = {gate: _pre_activation(x, h, weights[gate]) for gate in LSTM_GATES}
            forget = tf.sigmoid(pre["g"] if original_forget_gate else pre["f"])
            c = forget * c + tf.sigmoid(pre["i"]) * tf.tanh(pre["g"])
            h = tf.sigmoid(pre["o"]) * tf.tanh(c)
    return h


def linear_output(hidden, n_outputs):
    """Scope `output`: y = h W_y + b_y, (B, H) -> (B, n_outputs)."""
    with v1.variable_scope("output", initializer=seeded_glorot()):
        w_y = v1.get_variable("W_y", [hidden.shape[1], n_outputs])
        b_y = v1.get_variable("b_y", [n_outputs], initializer=v1.zeros_initializer())
        return tf.matmul(hidden, w_y) + b_y
