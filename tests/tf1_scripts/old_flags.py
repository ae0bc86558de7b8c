"""Flags as TF 1.0-1.4 programs used them (cnn-text-classification-tf's habits): read
before tf.app.run, FLAGS._parse_flags(), the parameters printed from FLAGS.__flags, an
unknown command-line flag tolerated. Writes what it saw as JSON.

    python old_flags.py OUT.json [--batch_size N] [--anything else]
"""
import json
import sys

import tensorflow as tf

tf.flags.DEFINE_integer("batch_size", 64, "Batch Size")
tf.flags.DEFINE_float("dropout_keep_prob", 0.5, "Dropout keep probability")
tf.app.flags.DEFINE_string("cell", "lstm", "cell type")
FLAGS = tf.flags.FLAGS
seen = {"before_run": FLAGS.batch_size}
FLAGS._parse_flags()
print("\nParameters:")
for attr, value in sorted(FLAGS.__flags.items()):
    print("{}={}".format(attr.upper(), value))
seen["flags"] = dict(FLAGS.__flags)


def main(_):
    seen["in_main"] = [FLAGS.batch_size, FLAGS.dropout_keep_prob, FLAGS.cell]
    with open(sys.argv[1], "w") as f:
        json.dump(seen, f)


if __name__ == "__main__":
    tf.app.run()
