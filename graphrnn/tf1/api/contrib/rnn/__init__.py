"""tf.contrib.rnn, rebuilt with TF 1.15's semantics and variable names (TF 1.15's
tensorflow/contrib/rnn/); this file gathers the names, as TF's own __init__ did.

    core             the core cells from tf-keras, the block cells, static_rnn,
                     stack_bidirectional_dynamic_rnn
    wrappers         TF1's _Linear, Embedding/Input/OutputProjectionWrapper
    paper_cells      the cells of papers: LayerNormBasicLSTMCell, NASCell, ... (PAPER_CELLS)
    grid_cells       TimeFreqLSTMCell, GridLSTMCell, BidirectionalGridLSTMCell
    conv_lstm_cells  ConvLSTMCell, Conv1D/2D/3DLSTMCell
    fused            LSTMBlockFusedCell, FusedRNNCellAdaptor, TimeReversedFusedRNN

    RNN      every name tf.contrib.rnn gives
    MODULES  {TF 1.15 module of tf.contrib.rnn.python.ops: the names it gave}
"""

from graphrnn.tf1.api.contrib.rnn import core, fused, paper_cells
from graphrnn.tf1.api.python.ops import rnn_cell_impl

RNN = {**core.RNN, **paper_cells.PAPER_CELLS, **fused.FUSED}
MODULES = {
    "rnn_cell": dict(paper_cells.PAPER_CELLS),
    # TF 1.0-1.1's module of the core cells and _linear (variables weights / biases)
    "core_rnn_cell_impl": dict(rnn_cell_impl.CORE_RNN_CELL_IMPL),
    # TF 1.2-1.15's: the wrappers, and _linear (1.2-1.4) then _Linear (1.5 on)
    "core_rnn_cell": {"_linear": rnn_cell_impl.RNN_CELL_IMPL["_linear"],
                      "_Linear": rnn_cell_impl.RNN_CELL_IMPL["_Linear"],
                      **{name: core.RNN[name] for name in (
                          "EmbeddingWrapper", "InputProjectionWrapper",
                          "OutputProjectionWrapper")}},
    **{module: {name: core.RNN[name] for name in names} for module, names in (
        ("rnn", ("stack_bidirectional_dynamic_rnn",)),
        ("gru_ops", ("GRUBlockCell", "GRUBlockCellV2")))},
    "lstm_ops": {"LSTMBlockCell": core.RNN["LSTMBlockCell"],
                 "LSTMBlockFusedCell": fused.LSTMBlockFusedCell},
    "fused_rnn_cell": {name: fused.FUSED[name] for name in (
        "FusedRNNCellAdaptor", "TimeReversedFusedRNN")},
}
