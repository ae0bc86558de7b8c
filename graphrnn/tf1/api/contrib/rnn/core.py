"""TF1's `tf.contrib.rnn`, rebuilt on tf.compat.v1 (the cells come from tf-keras' legacy
implementation) with TF1's semantics and variable names, for graphrnn-tf1.

    RNN     BasicRNNCell, BasicLSTMCell, LSTMCell, GRUCell, LSTMBlockCell, GRUBlockCell,
            GRUBlockCellV2, MultiRNNCell, DropoutWrapper, ResidualWrapper, DeviceWrapper,
            LSTMStateTuple, static_rnn, static_bidirectional_rnn,
            stack_bidirectional_dynamic_rnn, and from rnn_wrappers EmbeddingWrapper,
            InputProjectionWrapper, OutputProjectionWrapper

The cells of the papers (NASCell, LayerNormBasicLSTMCell, UGRNNCell, ...) are in
paper_cells beside it; those not rebuilt yet the runner names with their nearest Keras
layer (graphrnn.tf1.runner.migration).
"""

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.rnn import wrappers as rnn_wrappers

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
