"""A TF 1.x program's habits of the libraries around TensorFlow, as NumPy 1 and protobuf 3
had them: a list of NumPy scalars printed, np.lib.pad, and a summary whose value is the
loss fetched as a one-element array. Writes what it printed and wrote as JSON.

    python old_library_habits.py OUT.json LOGDIR
"""
import json
import sys

import numpy as np
import tensorflow as tf

lengths = [np.int32(5), np.int32(22)]
padded = np.lib.pad(np.ones(2), 1, "constant")
loss = tf.reduce_mean(tf.ones([1, 1]) * 0.25, axis=0)  # shape (1,), as fetched losses were
with tf.Session() as sess:
    value = sess.run(loss)
writer = tf.summary.FileWriter(sys.argv[2])
writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="loss", simple_value=value)]), 1)
writer.close()
print(lengths)
json.dump({"printed": str(lengths), "padded": padded.tolist()}, open(sys.argv[1], "w"))
