"""A TF1-era MNIST tutorial: an LSTM reads each image row by row (static_rnn over the
unstacked rows), a softmax on its last output, Adam. Reads the four MNIST files through
tensorflow.examples.tutorials.mnist.input_data, as the tutorials did.

    python mnist_row_lstm.py DATA_DIR ROWS RESULT.npz
"""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib import rnn
from tensorflow.examples.tutorials.mnist import input_data

data_dir, rows, result_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
mnist = input_data.read_data_sets(data_dir, one_hot=True, validation_size=20, seed=5)
tf.set_random_seed(5)

timesteps = num_input = rows  # one row of pixels per step
X = tf.placeholder("float", [None, timesteps, num_input])
Y = tf.placeholder("float", [None, 10])
weights = tf.Variable(tf.random_normal([16, 10]))
biases = tf.Variable(tf.random_normal([10]))

x = tf.unstack(X, timesteps, 1)
lstm_cell = rnn.BasicLSTMCell(16, forget_bias=1.0)
outputs, states = rnn.static_rnn(lstm_cell, x, dtype=tf.float32)
logits = tf.matmul(outputs[-1], weights) + biases

loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
train_op = tf.train.AdamOptimizer(learning_rate=0.05).minimize(loss_op)
correct_pred = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))

losses, first_batch = [], None
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(60):
        batch_x, batch_y = mnist.train.next_batch(32)
        if first_batch is None:
            first_batch = batch_x
        batch_x = batch_x.reshape((-1, timesteps, num_input))
        _, loss = sess.run([train_op, loss_op], feed_dict={X: batch_x, Y: batch_y})
        losses.append(loss)
    test_images = mnist.test.images.reshape((-1, timesteps, num_input))
    test_accuracy = sess.run(accuracy, feed_dict={X: test_images, Y: mnist.test.labels})
print("Testing Accuracy:", test_accuracy)
np.savez(result_path, losses=losses, accuracy=test_accuracy, first_batch=first_batch,
         epochs=mnist.train.epochs_completed)
