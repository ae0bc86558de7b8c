"""graphrnn-tf1, the TF1 runner: the second wing of graphrnn, beside the tutorials.

    runner      the command line: the import hook, running a script, its exit status
    view        the TF1 view of TensorFlow that a script's `import tensorflow` gets
    checklist   --report: the migration checklist of a script, its modules, or a folder
    messages    Refusal (exit 2), and sentences for NumPy 2 and Python 3 changes
    numpy1      NumPy 1 habits kept working in the program's own files (no TensorFlow)
    rnn_wrappers  TF1's _Linear and contrib.rnn's Embedding/Input/OutputProjectionWrapper
    contrib     tf.contrib.rnn rebuilt with TF1's semantics and names
    contrib_layers  tf.contrib.layers (and slim's names for them)
    paper_cells tf.contrib.rnn's cells of papers: LayerNormBasicLSTMCell, NASCell, ...
    grid_cells  tf.contrib.rnn's TimeFreqLSTMCell, GridLSTMCell, BidirectionalGridLSTMCell
    conv_lstm_cells  tf.contrib.rnn's ConvLSTMCell and Conv1D/2D/3DLSTMCell
    arg_scope   arg_scope / add_arg_scope (no TensorFlow)
    decoding    tf.contrib.seq2seq's dynamic_decode, BasicDecoder and helpers
    attention   tf.contrib.seq2seq's attention mechanisms and AttentionWrapper
    beam_search tf.contrib.seq2seq's BeamSearchDecoder, tile_batch, gather_tree
    legacy_seq2seq  tf.contrib.legacy_seq2seq: the unrolled decoders, models and losses
    seq2seq     sequence_loss, and the tables naming the seq2seq families as TF 1.15 did
    crf         tf.contrib.crf: the linear-chain CRF of TF1's taggers
    hparams     tf.contrib.training.HParams (no TensorFlow)
    preprocessing  tf.contrib.learn.preprocessing: VocabularyProcessor (no TensorFlow)
    framework   contrib.framework, training, learn.ModeKeys and data, as RNN programs use them
    flags       tf.flags with TF 1.4's FLAGS._parse_flags() and FLAGS.__flags
    input_data  tensorflow.examples.tutorials.mnist.input_data
    distributed tf.train.SyncReplicasOptimizer, and a lost ps ending the task in a sentence
    checkpoint  the recurrent cells of a TF1 checkpoint, by names and shapes (no TensorFlow)
    to_keras    --to-keras: a checkpoint's recurrent stack as a checked Keras 3 model
    graph_to_keras  --to-keras --input/--output: the whole model, op by op, as Keras 3
    recurrent_region  graph_to_keras's part for the ops of one dynamic_rnn / static_rnn call
    migration   the TF1 -> TF2 / Keras 3 table (no TensorFlow)

`graphrnn-tf1 ...` and `python -m graphrnn.tf1 ...` both run runner.console_main.
"""


def main(argv=None):
    """graphrnn-tf1's command line; returns the exit status. Running a script turns
    TensorFlow's v2 behaviour off for the rest of the calling process: run it in a
    process of its own (the graphrnn-tf1 command is one)."""
    from graphrnn.tf1 import runner
    return runner.main(argv)


def console_main():
    """The graphrnn-tf1 console script."""
    from graphrnn.tf1 import runner
    runner.console_main()
