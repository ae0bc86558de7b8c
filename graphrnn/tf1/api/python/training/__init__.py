"""tensorflow.python.training.

    saver  Saver, restoring TF 0.12-1.1's names for RNN cells' variables too (TRAINING)
"""
