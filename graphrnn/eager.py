"""Eager twins: the same graphrnn builders, run eagerly in TF2; and the conversion of
TF1 cell weights to Keras 3 RNN layers and back (tf1_to_keras, keras_to_tf1).

`Twin` is a Keras layer whose `call` is decorated with
`tf.compat.v1.keras.utils.track_tf1_style_variables` (TensorFlow's migration shim): the
tf.compat.v1 cells, layers and get_variable calls inside the builders create ordinary
tracked variables on the first call and reuse them afterwards; a regulariser's term
lands in `twin.losses`. Nothing here uses a placeholder or a Session.

Usage::

    twin = Twin(script.TUTORIAL, config, n_targets=1)  # script: a numbered script's module
    twin.create_variables(n_features=28)
    load_weights(twin, weights)  # weights = session_weights(session) of a graph model
    prediction = twin(inputs, dropout_switch=False)    # (B, G), eager tensor
"""

import numpy as np

from graphrnn import layers
from graphrnn.compat import tf, v1


class Twin(tf.keras.layers.Layer):
    """A tutorial script's network() as an eager Keras layer."""

    def __init__(self, tutorial, config, n_targets, **kwargs):
        super().__init__(**kwargs)
        self.tutorial = tutorial
        self.config = config
        self.n_targets = n_targets

    def create_variables(self, n_features):
        """Run once on a (1, T, F) zero batch, dropout off, so every variable exists."""
        width = self.config.INPUT_SEQUENCE_LENGTH
        lengths = tf.constant([width]) if self.tutorial.variable_length else None
        self(tf.zeros([1, width, n_features]), dropout_switch=False, sequence_length=lengths)

    @v1.keras.utils.track_tf1_style_variables
    def call(self, predictors, dropout_switch=False, sequence_length=None):
        lengths = {} if sequence_length is None else {"sequence_length": sequence_length}
        return self.tutorial.network(predictors, dropout_switch, self.config, self.n_targets,
                                     **lengths)


def scoped_name(variable):
    """'recurrent_layer/rnn/.../kernel' from a graph or eager variable name.

    Eager variables carry the layer's own name in front and ':0' behind.
    """
    name = variable.name.split(":")[0]
    for scope in ("recurrent_layer/", "Frobenius_regularization/", "predictions/"):
        if scope in name:
            return name[name.index(scope):]
    return name


def session_weights(session):
    """{scoped name: value} of every trainable variable of the session's graph."""
    variables = session.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)
    return {scoped_name(v): value for v, value in zip(variables, session.run(variables))}


def load_weights(twin, weights):
    """Give the eager twin the values of session_weights(session).

    Call it outside any `with Session(...)` block (a session's graph is the default
    graph inside it). Every twin variable must have a value of the same scoped name and
    shape; otherwise ValueError names the variable.
    """
    twin_names = {scoped_name(v) for v in twin.trainable_variables}
    if twin_names != set(weights):
        raise ValueError(
            f"the graph and the twin have different variables: only in the graph "
            f"{sorted(set(weights) - twin_names)}, only in the twin "
            f"{sorted(twin_names - set(weights))}")
    for variable in twin.trainable_variables:
        value = weights[scoped_name(variable)]
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(f"{scoped_name(variable)}: graph shape {value.shape}, "
                             f"twin shape {tuple(variable.shape)}")
        variable.assign(value)


def loss(twin, predictors, target, dropout_switch=False, sequence_length=None):
    """The graph's loss, eagerly: MSE plus the twin's regularisation terms."""
    prediction = twin(predictors, dropout_switch=dropout_switch, sequence_length=sequence_length)
    mse = layers.mean_squared_error(prediction, target)
    return tf.add_n([mse] + twin.losses) if twin.losses else mse


def gradient_descent_step(twin, predictors, target, rate, dropout_switch=False):
    """One plain gradient-descent step on the twin's loss; returns the loss before it."""
    return optimizer_step(twin, v1.train.GradientDescentOptimizer(rate), predictors, target,
                          dropout_switch)


def optimizer_step(twin, optimizer, predictors, target, dropout_switch=False,
                   sequence_length=None):
    """One step of a tf.compat.v1.train optimizer (eagerly, e.g. AdamOptimizer(rate)) on
    the twin's loss; returns the loss before it. Keep one optimizer for every step: it
    holds Adam's moments."""
    with tf.GradientTape() as tape:
        value = loss(twin, predictors, target, dropout_switch, sequence_length)
    gradients = tape.gradient(value, twin.trainable_variables)
    optimizer.apply_gradients(zip(gradients, twin.trainable_variables))
    return value


# ------------------------------------------------ TF1 cell weights <-> Keras 3 RNN layers
#
# TF1 cells keep one kernel over [x, h]; Keras 3 keeps `kernel` (for x) and
# `recurrent_kernel` (for h) apart, with the gates in another order:
#
#   BasicRNNCell  kernel (F+H, H), bias (H,)            SimpleRNN  kernel (F, H), (H, H), (H,)
#   GRUCell       gates/kernel (F+H, 2H): r, u          GRU(reset_after=False)
#                 gates/bias (2H,)                        kernel (F, 3H): z(=u), r, h
#                 candidate/kernel (F+H, H), bias (H,)    recurrent (H, 3H), bias (3H,)
#   LSTMCell,     kernel (F+H, 4H): i, j, f, o          LSTM  kernel (F, 4H): i, f, c(=j), o
#   BasicLSTMCell bias (4H,), + forget_bias at run time        recurrent (H, 4H), bias (4H,)
#
# Keras has no forget_bias, so it is folded into the forget gate's bias (and taken out
# again on the way back). Every array's shape is checked against the cell's sizes.

CELL_KINDS = ("basic_rnn", "gru", "lstm")  # "lstm" serves LSTMCell and BasicLSTMCell


def _checked(name, array, shape):
    """np.asarray(array), or ValueError naming the weight if its shape is not `shape`."""
    array = np.asarray(array)
    if array.shape != tuple(shape):
        raise ValueError(f"{name} should have shape {tuple(shape)}, got {array.shape}")
    return array


def _units(kind, bias):
    """H from a TF1 bias (basic_rnn: H, gru candidate: H, lstm: 4H)."""
    size = np.shape(bias)[0]
    return size // 4 if kind == "lstm" else size


def tf1_to_keras(kind, tf1, n_inputs, forget_bias=1.0):
    """TF1 cell weights -> [kernel, recurrent_kernel, bias] for the Keras 3 layer's set_weights.

    Args:
      kind: "basic_rnn", "gru" or "lstm".
      tf1: {"kernel", "bias"} (basic_rnn, lstm) or {"gates/kernel", "gates/bias",
        "candidate/kernel", "candidate/bias"} (gru), as NumPy arrays.
      n_inputs: F, the width of the cell's input.
      forget_bias: an LSTM cell's forget_bias (1.0 unless the cell was built otherwise).
    """
    if kind not in CELL_KINDS:
        raise ValueError(f"kind must be one of {CELL_KINDS}, got {kind!r}")
    if kind == "gru":
        units = _units(kind, tf1["candidate/bias"])
        gates = _checked("gates/kernel", tf1["gates/kernel"], (n_inputs + units, 2 * units))
        gates_bias = _checked("gates/bias", tf1["gates/bias"], (2 * units,))
        candidate = _checked("candidate/kernel", tf1["candidate/kernel"],
                             (n_inputs + units, units))
        reset, update = gates[:, :units], gates[:, units:]  # TF1: r first, then u
        joined = np.concatenate([update, reset, candidate], axis=1)  # Keras: z, r, h
        bias = np.concatenate([gates_bias[units:], gates_bias[:units], tf1["candidate/bias"]])
        return [joined[:n_inputs], joined[n_inputs:], bias]
    units = _units(kind, tf1["bias"])
    width = 4 * units if kind == "lstm" else units
    kernel = _checked("kernel", tf1["kernel"], (n_inputs + units, width))
    bias = _checked("bias", tf1["bias"], (width,)).copy()
    if kind == "lstm":
        i, j, f, o = np.split(kernel, 4, axis=1)
        kernel = np.concatenate([i, f, j, o], axis=1)  # Keras: i, f, c, o
        bi, bj, bf, bo = np.split(bias, 4)
        bias = np.concatenate([bi, bf + forget_bias, bj, bo])
    return [kernel[:n_inputs], kernel[n_inputs:], bias]


def keras_to_tf1(kind, keras_weights, forget_bias=1.0):
    """[kernel, recurrent_kernel, bias] of a Keras 3 layer -> the TF1 cell's weights (the
    inverse of tf1_to_keras)."""
    if kind not in CELL_KINDS:
        raise ValueError(f"kind must be one of {CELL_KINDS}, got {kind!r}")
    kernel, recurrent, bias = (np.asarray(w) for w in keras_weights)
    gates = {"basic_rnn": 1, "gru": 3, "lstm": 4}[kind]
    n_inputs, units = kernel.shape[0], bias.shape[0] // gates
    _checked("kernel", kernel, (n_inputs, gates * units))
    _checked("recurrent_kernel", recurrent, (units, gates * units))
    _checked("bias", bias, (gates * units,))
    joined = np.concatenate([kernel, recurrent], axis=0)  # (F+H, gates*H) over [x, h]
    if kind == "basic_rnn":
        return {"kernel": joined, "bias": bias}
    if kind == "gru":
        update, reset, candidate = np.split(joined, 3, axis=1)
        bz, br, bh = np.split(bias, 3)
        return {"gates/kernel": np.concatenate([reset, update], axis=1),
                "gates/bias": np.concatenate([br, bz]),
                "candidate/kernel": candidate, "candidate/bias": bh}
    i, f, c, o = np.split(joined, 4, axis=1)
    bi, bf, bc, bo = np.split(bias, 4)
    return {"kernel": np.concatenate([i, c, f, o], axis=1),
            "bias": np.concatenate([bi, bc, bf - forget_bias, bo])}
