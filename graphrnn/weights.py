"""The TF1 weight layout of graphrnn's graphs, named once: where each tutorial keeps its
cell and dense weights, and their conversion to and from Keras 3 layers. NumPy only:
no TensorFlow here.

Weights travel as {scoped name: array}, the names a graph gives its variables without
":0" (graphrnn.eager.session_weights(session) makes such a dict):

  recurrent_layer/rnn/multi_rnn_cell/cell_<i>/gru_cell/{gates,candidate}/{kernel,bias}
  recurrent_layer/rnn/multi_rnn_cell/cell_<i>/lstm_cell/{kernel,bias}
  recurrent_layer/rnn/basic_rnn_cell/{kernel,bias}      (a lone cell, not in a MultiRNNCell)
  recurrent_layer/layer_<i>/bidirectional_rnn/{fw,bw}/lstm_cell/{kernel,bias}
                                                        (08_02 --bidirectional)
  Frobenius_regularization/dense/{kernel,bias}          (04_03)
  embedding/embedding                                   (09_02's word vectors)
  predictions/prediction/{kernel,bias}                  (the output layer)
  predictions/output_projection/dense/{kernel,bias}     (05_01's dense reshape trick)

Usage::

    cell = cell_weights(weights, "gru", index=0)         # {"gates/kernel": ..., ...}
    gru_layer.set_weights(tf1_to_keras("gru", cell, n_inputs=28))
    dense_layer.set_weights(dense_weights(weights, PREDICTION))
"""

import numpy as np

RECURRENT_LAYER, FROBENIUS_SCOPE, PREDICTIONS = (
    "recurrent_layer/", "Frobenius_regularization/", "predictions/")
TOP_SCOPES = (RECURRENT_LAYER, FROBENIUS_SCOPE, PREDICTIONS)  # a tutorial network's scopes
RECURRENT = RECURRENT_LAYER + "rnn/"
CELL_SCOPES = {"basic_rnn": "basic_rnn_cell", "gru": "gru_cell", "lstm": "lstm_cell"}
FROBENIUS = FROBENIUS_SCOPE + "dense/"
PREDICTION = PREDICTIONS + "prediction/"
EMBEDDING = "embedding/embedding"  # 09_02's word vectors, (vocabulary, width)
OUTPUT_PROJECTION = PREDICTIONS + "output_projection/dense/"


def cell_prefix(kind, index=None):
    """The scope of a cell's weights: cell `index` of a MultiRNNCell, or a lone cell
    (index None)."""
    if kind not in CELL_SCOPES:
        raise ValueError(f"kind must be one of {tuple(CELL_SCOPES)}, got {kind!r}")
    if index is None:
        return f"{RECURRENT}{CELL_SCOPES[kind]}/"
    return f"{RECURRENT}multi_rnn_cell/cell_{index}/{CELL_SCOPES[kind]}/"


def bidirectional_prefix(kind, index, direction):
    """The scope of one direction's cell ("fw" or "bw") in level `index` of a stack of
    bidirectional_dynamic_rnn layers."""
    if kind not in CELL_SCOPES:
        raise ValueError(f"kind must be one of {tuple(CELL_SCOPES)}, got {kind!r}")
    if direction not in ("fw", "bw"):
        raise ValueError(f"direction must be 'fw' or 'bw', got {direction!r}")
    return f"{RECURRENT_LAYER}layer_{index}/bidirectional_rnn/{direction}/{CELL_SCOPES[kind]}/"


def weights_under(weights, prefix):
    """{name after prefix: array} of every weight whose scoped name starts with prefix;
    ValueError, listing what there is, if none does."""
    found = {name[len(prefix):]: value for name, value in weights.items()
             if name.startswith(prefix)}
    if not found:
        raise ValueError(f"no weights under {prefix!r}; the graph has {sorted(weights)}")
    return found


def cell_weights(weights, kind, index=None):
    """A cell's TF1 weights ({"kernel", "bias"} or GRU's four) for tf1_to_keras."""
    return weights_under(weights, cell_prefix(kind, index))


def dense_weights(weights, prefix):
    """[kernel, bias] of a tf.compat.v1.layers.dense under prefix, for Dense.set_weights."""
    found = weights_under(weights, prefix)
    return [found["kernel"], found["bias"]]


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
