"""A script written for two TensorFlows: it imports what it can and falls back on
ImportError. Writes the two cell classes it ended up with to the file it is given.

    python import_fallback.py out.txt
"""
import sys

import tensorflow as tf

try:
    from tensorflow.contrib.rnn import SRUCell as Cell
except ImportError:
    Cell = tf.nn.rnn_cell.GRUCell
try:
    from tensorflow.contrib.rnn import LayerNormBasicLSTMCell as NormCell
except ImportError:
    NormCell = tf.contrib.rnn.NTMCell
cell = Cell(3)
with open(sys.argv[1], "w") as out:
    out.write("%s %s\n" % (type(cell).__name__, NormCell.__name__))
