"""A TF 0.12 program's names and argument orders: tf.split(dim, n, x), tf.nn.rnn_cell,
tf.nn.rnn, tf.pack, tf.concat(dim, values), tf.mul, the cross-entropy's (logits, labels)
by position, tf.scalar_summary, tf.merge_all_summaries, tf.train.SummaryWriter,
tf.initialize_all_variables. Trains a static LSTM to tell rising from falling sequences.

    python tf012_names.py OUT.npz LOGDIR
"""
import sys

import numpy as np
import tensorflow as tf

steps, batch = 5, 16
rng = np.random.RandomState(0)
x = tf.placeholder(tf.float32, [None, steps, 1])
y = tf.placeholder(tf.float32, [None, 2])
pieces = tf.split(0, steps, tf.transpose(x, [1, 0, 2]))     # 0.12: dim, count, value
inputs = [tf.reshape(piece, [-1, 1]) for piece in pieces]
cell = tf.nn.rnn_cell.BasicLSTMCell(8)
outputs, state = tf.nn.rnn(cell, inputs, dtype=tf.float32)
stacked = tf.pack(outputs)                                   # (T, B, 8)
features = tf.concat(1, [outputs[-1], state.c])              # 0.12: dim, values
w = tf.Variable(tf.random_normal([16, 2], seed=1) * 0.1)
logits = tf.matmul(tf.mul(features, 1.0), w)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits, y))
train = tf.train.AdamOptimizer(0.05).minimize(loss)
tf.scalar_summary("loss", loss)
merged = tf.merge_all_summaries()


def toy(n):
    start = rng.uniform(-1, 1, (n, 1))
    rising = rng.randint(0, 2, n)
    slope = np.where(rising, 0.2, -0.2)[:, None]
    seqs = start + slope * np.arange(steps)[None, :]
    return seqs[:, :, None], np.eye(2)[rising]


with tf.Session() as sess:
    sess.run(tf.initialize_all_variables())
    writer = tf.train.SummaryWriter(sys.argv[2], sess.graph)
    losses = []
    for step in range(60):
        bx, by = toy(batch)
        value, summary, _ = sess.run([loss, merged, train], {x: bx, y: by})
        writer.add_summary(summary, step)
        losses.append(value)
    writer.close()
    bx, _ = toy(4)
    got = sess.run([stacked, pieces[2]] + outputs, {x: bx})
np.savez(sys.argv[1], losses=losses, stacked=got[0], piece=got[1], x=bx,
         outputs=np.stack(got[2:]))
