"""A TF1-era character model in the style of char-rnn and the lab-12 lectures: an
embedding, two LSTMs run by legacy_seq2seq.rnn_decoder, a linear layer
(tf.contrib.layers.linear), and the loss three ways: contrib.seq2seq.sequence_loss,
legacy_seq2seq.sequence_loss_by_example and legacy_seq2seq.sequence_loss. Trains a few
Adam steps on one repeated sentence and saves what a test needs to redo the losses.

    python char_seq2seq.py RESULT.npz
"""
import sys

import numpy as np
import tensorflow as tf
from tensorflow.contrib import legacy_seq2seq, rnn

text = "if you want to build a ship, don't drum up people to collect wood. " * 2
chars = sorted(set(text))
ids = np.array([chars.index(c) for c in text])
batch_size, seq_length, vocab = 4, 10, len(chars)
starts = np.arange(batch_size) * 25
x_data = np.stack([ids[s:s + seq_length] for s in starts])
y_data = np.stack([ids[s + 1:s + seq_length + 1] for s in starts])

tf.set_random_seed(3)
input_data = tf.placeholder(tf.int32, [batch_size, seq_length])
targets = tf.placeholder(tf.int32, [batch_size, seq_length])
cell = rnn.MultiRNNCell([rnn.BasicLSTMCell(24) for _ in range(2)])
initial_state = cell.zero_state(batch_size, tf.float32)
with tf.variable_scope("rnnlm"):
    embedding = tf.get_variable("embedding", [vocab, 12])
    inputs = tf.split(tf.nn.embedding_lookup(embedding, input_data), seq_length, 1)
    inputs = [tf.squeeze(step, [1]) for step in inputs]
outputs, last_state = legacy_seq2seq.rnn_decoder(inputs, initial_state, cell, scope="rnnlm")
output = tf.reshape(tf.concat(outputs, 1), [-1, 24])
logits = tf.contrib.layers.linear(output, vocab, scope="softmax")

weights = tf.ones([batch_size, seq_length])
loss_3d = tf.contrib.seq2seq.sequence_loss(
    tf.reshape(logits, [batch_size, seq_length, vocab]), targets, weights)
by_example = legacy_seq2seq.sequence_loss_by_example(
    [logits], [tf.reshape(targets, [-1])], [tf.ones([batch_size * seq_length])])
legacy_loss = legacy_seq2seq.sequence_loss(
    [logits], [tf.reshape(targets, [-1])], [tf.ones([batch_size * seq_length])])
train_op = tf.train.AdamOptimizer(0.01).minimize(loss_3d)

feed = {input_data: x_data, targets: y_data}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    losses = [sess.run([loss_3d, train_op], feed)[0] for _ in range(40)]
    final_logits, final_3d, final_by_example, final_legacy = sess.run(
        [logits, loss_3d, by_example, legacy_loss], feed)
    names = [v.name for v in tf.trainable_variables()]
print("loss", losses[0], "->", losses[-1])
np.savez(sys.argv[1], losses=losses, logits=final_logits, targets=y_data, loss_3d=final_3d,
         by_example=final_by_example, legacy=final_legacy, names=names)
