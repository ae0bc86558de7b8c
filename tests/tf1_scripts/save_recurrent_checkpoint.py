"""A TF1-era script that trains a recurrent model for a few steps and saves it, for
graphrnn-tf1 --to-keras to convert. LAYOUT picks the model:

    lone_relu   one BasicRNNCell(6, relu) under dynamic_rnn's default scope
    mixed       encoder/: MultiRNNCell of GRUCell(5), LSTMCell(4, forget_bias=0.5),
                BasicLSTMCell(3)
    two_stacks  encoder/ and decoder/: a GRU stack each
    old_names   mixed, saved under TF <= 1.1's names (weights / biases)
    bidirectional          bidirectional_dynamic_rnn of GRUCell(4) each way
    stacked_bidirectional  stack_bidirectional_dynamic_rnn: LSTMCell(4), then LSTMCell(3),
                           each direction

Every model ends in tf.layers.dense(..., 2, name="head") on the last step's outputs (for
the bidirectional one, the final states: forward's last output and backward's first).

    python save_recurrent_checkpoint.py LAYOUT CHECKPOINT_PREFIX RESULT.npz
"""
import sys

import numpy as np
import tensorflow as tf

layout, prefix, result_path = sys.argv[1:4]
tf.set_random_seed(5)
x = tf.placeholder(tf.float32, [None, None, 3])  # (B, T, 3), T free
y = tf.placeholder(tf.float32, [None, 2])


def stack(scope, cells):
    with tf.variable_scope(scope):
        outputs, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), x, dtype=tf.float32)
    return outputs


if layout == "lone_relu":
    outputs, _ = tf.nn.dynamic_rnn(tf.contrib.rnn.BasicRNNCell(6, activation=tf.nn.relu), x,
                                   dtype=tf.float32)
elif layout in ("mixed", "old_names"):
    outputs = stack("encoder", [tf.nn.rnn_cell.GRUCell(5),
                                tf.nn.rnn_cell.LSTMCell(4, forget_bias=0.5),
                                tf.contrib.rnn.BasicLSTMCell(3, forget_bias=0.5)])
elif layout == "two_stacks":
    stack("decoder", [tf.nn.rnn_cell.GRUCell(4)])
    outputs = stack("encoder", [tf.nn.rnn_cell.GRUCell(5), tf.nn.rnn_cell.GRUCell(4)])
elif layout == "bidirectional":
    (forward, backward), _ = tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)
    outputs = tf.concat([forward, backward], 2)
    final = tf.concat([forward[:, -1], backward[:, 0]], 1)  # the final states' outputs
else:  # stacked_bidirectional
    outputs, _, _ = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
        [tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.LSTMCell(3)],
        [tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.LSTMCell(3)], x, dtype=tf.float32)
if layout != "bidirectional":
    final = outputs[:, -1]
head = tf.layers.dense(final, 2, name="head")
loss = tf.losses.mean_squared_error(y, head)
train_op = tf.train.AdamOptimizer(0.05).minimize(loss)

variables = tf.global_variables()
if layout == "old_names":  # TF <= 1.1 called them weights and biases
    names = {v.op.name.replace("/kernel", "/weights").replace("/bias", "/biases"): v
             for v in variables if "Adam" not in v.op.name and "power" not in v.op.name}
    saver = tf.train.Saver(names)
else:
    saver = tf.train.Saver()

rng = np.random.RandomState(0)
check = rng.randn(3, 6, 3).astype(np.float32)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train_op, {x: rng.randn(8, 5, 3), y: rng.randn(8, 2)})
    saver.save(sess, prefix)
    every_step, last = sess.run([outputs, head], {x: check})
np.savez(result_path, x=check, outputs=every_step, head=last)
print("saved", prefix)
