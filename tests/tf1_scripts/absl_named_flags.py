"""Flags as a TF 1.13 program defined them: `log_dir` and `logtostderr`, names absl's
logging also defines (TensorFlow 1.14 and later load it, and refuse the program's). Writes
what it read as JSON.

    python absl_named_flags.py --out OUT.json [--log_dir DIR]
"""
import json

import tensorflow as tf

flags = tf.app.flags
flags.DEFINE_string("log_dir", "./logs", "where the summaries go")
flags.DEFINE_boolean("logtostderr", True, "the program's own meaning")
flags.DEFINE_integer("hidden", 8, "units")
flags.DEFINE_string("out", "r.json", "where this writes what it read")
FLAGS = flags.FLAGS


def main(_):
    with open(FLAGS.out, "w") as f:
        json.dump({"log_dir": FLAGS.log_dir, "logtostderr": FLAGS.logtostderr,
                   "hidden": FLAGS.hidden}, f)


if __name__ == "__main__":
    tf.app.run()
