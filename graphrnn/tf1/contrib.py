"""The parts of TF1's `tf.contrib` that the recurrent-network tutorials use, rebuilt on
tf.compat.v1 (the cells come from tf-keras' legacy implementation) with TF1's semantics
and variable names, for graphrnn-tf1.

    RNN     BasicRNNCell, BasicLSTMCell, LSTMCell, GRUCell, LSTMBlockCell, GRUBlockCell,
            GRUBlockCellV2, MultiRNNCell, DropoutWrapper, ResidualWrapper, DeviceWrapper,
            LSTMStateTuple, static_rnn, static_bidirectional_rnn,
            stack_bidirectional_dynamic_rnn, and from rnn_wrappers EmbeddingWrapper,
            InputProjectionWrapper, OutputProjectionWrapper
    LAYERS  l2_regularizer, l1_regularizer, xavier_initializer, fully_connected, linear,
            flatten

contrib's other cells (NASCell, LayerNormBasicLSTMCell, UGRNNCell, ...) have no
implementation left in TensorFlow 2 or tf-keras: the runner names each with its nearest
Keras layer (graphrnn.tf1.migration).
"""

import functools

from graphrnn.compat import tf, v1
from graphrnn.tf1 import rnn_wrappers
from graphrnn.layers import l1_regularizer, l2_regularizer  # TF1's, shared with 04_03

_CELLS = v1.nn.rnn_cell
RNN = {
    "BasicRNNCell": _CELLS.BasicRNNCell,
    "BasicLSTMCell": _CELLS.BasicLSTMCell,
    "LSTMCell": _CELLS.LSTMCell,
    "GRUCell": _CELLS.GRUCell,
    "MultiRNNCell": _CELLS.MultiRNNCell,
    "DropoutWrapper": _CELLS.DropoutWrapper,
    "LSTMStateTuple": _CELLS.LSTMStateTuple,
    "RNNCell": _CELLS.RNNCell,
    "ResidualWrapper": _CELLS.ResidualWrapper,
    "DeviceWrapper": _CELLS.DeviceWrapper,
    "static_rnn": v1.nn.static_rnn,
    "static_bidirectional_rnn": v1.nn.static_bidirectional_rnn,
}


def LSTMBlockCell(num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                  dtype=None, reuse=None, name="lstm_cell"):
    """tf.contrib.rnn.LSTMBlockCell: TF1's fused-kernel LSTM. Its math, gate order
    (i, j, f, o), state (c, h) and variables (lstm_cell/kernel [F + H, 4H], lstm_cell/bias
    [4H], w_i_diag / w_f_diag / w_o_diag with peepholes) are LSTMCell's, so this is an
    LSTMCell with the block cell's defaults: a checkpoint of either restores into it."""
    return _CELLS.LSTMCell(num_units, use_peepholes=use_peephole, cell_clip=cell_clip,
                           forget_bias=forget_bias, reuse=reuse, name=name, dtype=dtype)


def GRUBlockCell(num_units=None, cell_size=None, reuse=None, name="gru_cell"):
    """tf.contrib.rnn.GRUBlockCell (and GRUBlockCellV2): TF1's fused-kernel GRU, whose
    math and variables (gru_cell/gates/kernel [F + H, 2H] r then u, gates/bias,
    candidate/kernel, candidate/bias) are GRUCell's. `cell_size` is its old name for
    num_units."""
    if (num_units is None) == (cell_size is None):
        raise ValueError("Exactly one of num_units or cell_size must be provided.")
    return _CELLS.GRUCell(num_units or cell_size, reuse=reuse, name=name)


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                                    initial_states_bw=None, dtype=None,
                                    sequence_length=None, parallel_iterations=None,
                                    time_major=False, scope=None, swap_memory=False):
    """tf.contrib.rnn.stack_bidirectional_dynamic_rnn: bidirectional layers, each reading
    the previous layer's [forward, backward] outputs, in scopes
    stack_bidirectional_rnn/cell_k/bidirectional_rnn/fw|bw.

    Returns (outputs [B, T, 2 * H_last], final forward states, final backward states)."""
    if not cells_fw or len(cells_fw) != len(cells_bw):
        raise ValueError("cells_fw and cells_bw must be non-empty lists of the same length")
    states_fw, states_bw, layer_inputs = [], [], inputs
    with v1.variable_scope(scope or "stack_bidirectional_rnn"):
        for k, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with v1.variable_scope(f"cell_{k}"):
                (out_fw, out_bw), (state_fw, state_bw) = v1.nn.bidirectional_dynamic_rnn(
                    cell_fw, cell_bw, layer_inputs,
                    initial_state_fw=initial_states_fw[k] if initial_states_fw else None,
                    initial_state_bw=initial_states_bw[k] if initial_states_bw else None,
                    sequence_length=sequence_length, parallel_iterations=parallel_iterations,
                    dtype=dtype, swap_memory=swap_memory, time_major=time_major)
                layer_inputs = tf.concat([out_fw, out_bw], 2)  # (B, T, H_fw + H_bw)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer_inputs, tuple(states_fw), tuple(states_bw)


RNN.update(LSTMBlockCell=LSTMBlockCell, GRUBlockCell=GRUBlockCell,
           GRUBlockCellV2=GRUBlockCell,
           stack_bidirectional_dynamic_rnn=stack_bidirectional_dynamic_rnn,
           **rnn_wrappers.WRAPPERS)

# contrib's truncated normal had stddev sqrt(1.3 * factor / fan); tf.compat.v1's divides
# sqrt(scale / fan) by 0.8796..., so this scale gives contrib's exact spread
_CONTRIB_TRUNCATED_SCALE = 1.3 * 0.87962566103423978 ** 2


def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
    """TF1's tf.contrib.layers.xavier_initializer: Glorot, uniform or truncated normal."""
    if uniform:
        return v1.variance_scaling_initializer(1.0, "fan_avg", "uniform", seed, dtype)
    return v1.variance_scaling_initializer(_CONTRIB_TRUNCATED_SCALE, "fan_avg",
                                           "truncated_normal", seed, dtype)


def fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=None,
                    weights_regularizer=None, biases_initializer=v1.zeros_initializer(),
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """TF1's tf.contrib.layers.fully_connected: <scope>/weights and <scope>/biases
    (scope "fully_connected" by default), relu unless activation_fn says otherwise.

    inputs (..., n) -> (..., num_outputs); with a normalizer_fn there are no biases."""
    del variables_collections  # TF1 added the variables to extra collections; none here
    initializer = weights_initializer or xavier_initializer()
    with v1.variable_scope(scope, "fully_connected", [inputs], reuse=reuse):
        inputs = tf.convert_to_tensor(inputs)
        weights = v1.get_variable("weights", [int(inputs.shape[-1]), num_outputs],
                                  dtype=inputs.dtype, initializer=initializer,
                                  regularizer=weights_regularizer, trainable=trainable)
        if inputs.shape.rank == 2:
            outputs = tf.matmul(inputs, weights)
        else:  # (..., n) x (n, num_outputs)
            outputs = tf.tensordot(inputs, weights, [[inputs.shape.rank - 1], [0]])
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        elif biases_initializer is not None:
            biases = v1.get_variable("biases", [num_outputs], dtype=inputs.dtype,
                                     initializer=biases_initializer,
                                     regularizer=biases_regularizer, trainable=trainable)
            outputs = tf.nn.bias_add(outputs, biases)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        if outputs_collections:
            for collection in outputs_collections:
                v1.add_to_collection(collection, outputs)
        return outputs


# tf.contrib.layers.linear was exactly this partial: fully_connected with no activation
linear = functools.partial(fully_connected, activation_fn=None)


def flatten(inputs, outputs_collections=None, scope=None):
    """TF1's tf.contrib.layers.flatten: (B, ...) -> (B, product of the rest)."""
    with v1.name_scope(scope, "Flatten", [inputs]):
        outputs = v1.layers.flatten(inputs)
    for collection in outputs_collections or ():
        v1.add_to_collection(collection, outputs)
    return outputs


LAYERS = {
    "l2_regularizer": l2_regularizer,
    "l1_regularizer": l1_regularizer,
    "xavier_initializer": xavier_initializer,
    "xavier_initializer_conv2d": xavier_initializer,
    "fully_connected": fully_connected,
    "linear": linear,
    "flatten": flatten,
}
