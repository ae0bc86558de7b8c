"""tf.contrib, rebuilt where TF1 recurrent-network programs used it; one module or package
per namespace, at TF 1.15's path (tensorflow/contrib/<namespace>/).

    rnn             the cells and wrappers: core, paper, grid and convolutional
    seq2seq         decoding, attention, beam search, loss
    legacy_seq2seq  the unrolled decoders, models and losses
    crf             the linear-chain CRF
    layers          tf.contrib.layers and slim's names for them
    framework       arg_scope, nest, variables, checkpoints
    training        HParams
    learn           ModeKeys and preprocessing
    data            the dataset transformations
    lookup          the vocabulary tables (index_table_from_file, ...)
    metrics         the streaming metrics, predictions first
    cudnn_rnn       the cuDNN layers on a CPU, as stacks of the cuDNN-compatible cells
"""
