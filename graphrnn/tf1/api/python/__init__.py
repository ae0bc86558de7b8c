"""TensorFlow's own modules (tensorflow.python.*) as TF 1.x programs imported them: the
names TF 2.21 dropped from them, rebuilt with TF 1.x's behaviour; the runner's view puts
each over the real module, so the rest of it stays TensorFlow 2.21's.

    util      nest's is_sequence
    ops       rnn_cell_impl's private names of every 1.x release (_RNNCell, _LayerRNNCell,
              _linear, _Linear), and TF 0.12's rnn_cell
    training  the Saver that reads TF 0.12-1.1's checkpoints of RNN cells
"""
