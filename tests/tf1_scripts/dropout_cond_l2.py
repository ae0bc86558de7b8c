"""A TF1-era chapter-4 pattern: GRU cells in a DropoutWrapper only while training, chosen
by tf.cond on a placeholder_with_default switch (one variable scope, reused, so one set
of weights), then a dense layer whose kernel carries a tf.contrib.layers.l2_regularizer.

    python dropout_cond_l2.py RESULT.npz
"""
import sys

import numpy as np
import tensorflow as tf

tf.set_random_seed(3)
SCALE = 0.01
x = tf.placeholder(tf.float32, [None, 6, 2])
training = tf.placeholder_with_default(False, shape=())


def network(keep_prob):
    with tf.variable_scope("recurrent_layer", reuse=tf.AUTO_REUSE):
        cells = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4),
                                               output_keep_prob=keep_prob)
                 for _ in range(2)]
        _, states = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), x,
                                      dtype=tf.float32)
        return states[-1]


state = tf.cond(training, lambda: network(0.5), lambda: network(1.0))
with tf.variable_scope("Frobenius_regularization"):
    regularizer = tf.contrib.layers.l2_regularizer(SCALE)
    output = tf.layers.dense(state, 3, kernel_regularizer=regularizer)
regularization = tf.reduce_sum(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))

batch = np.random.RandomState(0).rand(5, 6, 2).astype(np.float32)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    plain, penalty = sess.run([output, regularization], {x: batch})
    dropped = sess.run(output, {x: batch, training: True})
    kernel = sess.run(tf.get_default_graph().get_tensor_by_name(
        "Frobenius_regularization/dense/kernel:0"))
names = [v.name for v in tf.trainable_variables()]
print(len(names), "trainable variables; regularization %.6f" % penalty)
np.savez(sys.argv[1], plain=plain, dropped=dropped, penalty=penalty, kernel=kernel,
         names=names, scale=SCALE)
