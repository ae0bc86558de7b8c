"""A TF1-era toy: one BasicRNNCell over a batch of four sequences of two steps, with a
graph-level seed. Saves the inputs, the weights and every output to the .npz named on
the command line, so a test can redo the arithmetic with NumPy."""
import sys

import numpy as np
import tensorflow as tf

tf.set_random_seed(42)
n_inputs, n_neurons, n_steps = 3, 5, 2

X = tf.placeholder(tf.float32, [None, n_steps, n_inputs])
basic_cell = tf.contrib.rnn.BasicRNNCell(num_units=n_neurons)
outputs, states = tf.nn.dynamic_rnn(basic_cell, X, dtype=tf.float32)

X_batch = np.array([
    [[0, 1, 2], [9, 8, 7]],
    [[3, 4, 5], [0, 0, 0]],
    [[6, 7, 8], [6, 5, 4]],
    [[9, 0, 1], [3, 2, 1]],
], dtype=np.float32)

init = tf.global_variables_initializer()
with tf.Session() as sess:
    init.run()
    outputs_val, states_val = sess.run([outputs, states], feed_dict={X: X_batch})
    kernel, bias = sess.run(tf.trainable_variables())

print(outputs_val.shape, states_val.shape)
print(tf.trainable_variables()[0].name)
np.savez(sys.argv[1], inputs=X_batch, outputs=outputs_val, states=states_val,
         kernel=kernel, bias=bias)
