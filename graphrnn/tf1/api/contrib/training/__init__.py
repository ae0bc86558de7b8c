"""tf.contrib.training, as RNN programs used it (TF 1.15's tensorflow/contrib/training/).

    hparams  HParams, with TF 1.15's parsing (TRAINING, the names it gives; no TensorFlow)
"""
