"""A TF1-era LSTM written out by hand from tf.get_variable (the from-scratch tutorials'
style): four gates from one concatenated kernel, unrolled over the steps with a Python
loop, the state carried in an LSTMStateTuple.

    python lstm_from_get_variable.py RESULT.npz
"""
import sys

import numpy as np
import tensorflow as tf
import tensorflow.contrib.rnn as contrib_rnn

tf.set_random_seed(11)
n_steps, n_inputs, n_units = 5, 3, 4
x = tf.placeholder(tf.float32, [None, n_steps, n_inputs])

with tf.variable_scope("lstm"):
    kernel = tf.get_variable("kernel", [n_inputs + n_units, 4 * n_units],
                             initializer=tf.contrib.layers.xavier_initializer())
    bias = tf.get_variable("bias", [4 * n_units], initializer=tf.zeros_initializer())
    batch_size = tf.shape(x)[0]
    state = contrib_rnn.LSTMStateTuple(tf.zeros([batch_size, n_units]),
                                       tf.zeros([batch_size, n_units]))
    outputs = []
    for t in range(n_steps):
        gates = tf.matmul(tf.concat([x[:, t], state.h], axis=1), kernel) + bias
        i, j, f, o = tf.split(gates, 4, axis=1)  # input, candidate, forget, output
        c = tf.sigmoid(f) * state.c + tf.sigmoid(i) * tf.tanh(j)
        h = tf.sigmoid(o) * tf.tanh(c)
        state = contrib_rnn.LSTMStateTuple(c, h)
        outputs.append(h)
    outputs = tf.stack(outputs, axis=1)

inputs = np.random.RandomState(1).randn(2, n_steps, n_inputs).astype(np.float32)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    outputs_val, c_val, kernel_val, bias_val = sess.run([outputs, state.c, kernel, bias],
                                                        {x: inputs})
print(outputs_val.shape)
np.savez(sys.argv[1], inputs=inputs, outputs=outputs_val, c=c_val, kernel=kernel_val,
         bias=bias_val)
