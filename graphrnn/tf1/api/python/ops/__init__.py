"""tensorflow.python.ops.

    rnn_cell_impl  RNN_CELL_IMPL and RNN_CELL (TF 0.12's module): the private names of
                   every 1.x release, over TF 2.21's rnn_cell_impl
"""
