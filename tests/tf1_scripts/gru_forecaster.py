"""A TF1-era forecaster: two stacked GRUs (MultiRNNCell) read 10 steps of a noisy sine and
predict the next value; dropout before the output layer behind a placeholder_with_default
switch; exponential_decay on a global_step; summaries, a FileWriter and a Saver.

    python gru_forecaster.py LOGDIR RESULT.npz
"""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib import rnn

logdir, result_path = sys.argv[1], sys.argv[2]
tf.set_random_seed(7)
rng = np.random.RandomState(7)
series = np.sin(np.arange(700) * 0.1) + 0.1 * rng.randn(700)
windows = np.stack([series[i:i + 10] for i in range(680)])[:, :, None].astype(np.float32)
targets = series[10:690][:, None].astype(np.float32)

with tf.variable_scope("inputs"):
    x = tf.placeholder(tf.float32, [None, 10, 1], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    global_step = tf.Variable(0, trainable=False, name="global_step")
    learning_rate = tf.train.exponential_decay(0.1, global_step, decay_steps=10,
                                               decay_rate=0.5, staircase=True)

with tf.variable_scope("recurrent_layer"):
    cells = rnn.MultiRNNCell([rnn.GRUCell(16), rnn.GRUCell(8)])
    outputs, states = tf.nn.dynamic_rnn(cells, x, dtype=tf.float32)

with tf.variable_scope("predictions"):
    hidden = tf.layers.dropout(states[-1], rate=0.2, training=training)
    prediction = tf.layers.dense(hidden, 1, name="prediction")

loss = tf.losses.mean_squared_error(y, prediction)
train_op = tf.train.AdamOptimizer(learning_rate).minimize(loss, global_step=global_step)
tf.summary.scalar("loss", loss)
tf.summary.scalar("learning_rate", learning_rate)
merged = tf.summary.merge_all()
saver = tf.train.Saver()

losses, rates = [], []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    writer = tf.summary.FileWriter(logdir, sess.graph)
    for step in range(40):
        batch = slice((step * 32) % 640, (step * 32) % 640 + 32)
        rates.append(sess.run(learning_rate))
        summary, _, value = sess.run([merged, train_op, loss],
                                     {x: windows[batch], y: targets[batch], training: True})
        writer.add_summary(summary, step)
        losses.append(value)
    writer.close()
    test_loss = sess.run(loss, {x: windows[640:], y: targets[640:]})
    saved = saver.save(sess, logdir + "/model.ckpt", global_step=global_step)
    kernel = sess.run(tf.get_default_graph().get_tensor_by_name(
        "predictions/prediction/kernel:0"))
print("first loss %.5f, last loss %.5f, test loss %.5f" % (losses[0], losses[-1], test_loss))
np.savez(result_path, losses=losses, rates=rates, test_loss=test_loss, kernel=kernel,
         checkpoint=saved)
