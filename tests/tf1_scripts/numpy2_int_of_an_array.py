"""A TF1-era habit NumPy 2 refuses: int() of the one-element array that sess.run
(or .eval()) returns for a batch of one."""
import numpy as np
import tensorflow as tf

logits = tf.placeholder(tf.float32, [None, 3])
predicted = tf.argmax(logits, 1)
with tf.Session() as sess:
    index = sess.run(predicted, {logits: np.array([[0.1, 0.7, 0.2]])})
    print("predicted class", int(index))
