"""Chapter 4's first listing as its readers wrote it in TF1: stacked GRUs, dropout before
the output layer behind a placeholder_with_default switch, a staircase learning rate.
Instead of training, it restores a checkpoint written by scripts/04_01_dropout.py (the
variable names are the tutorial's) and predicts the windows of a .npy file.

    python tutorial_04_01.py CHECKPOINT WINDOWS.npy PREDICTIONS.npy UNITS [UNITS ...]
"""
import sys

import numpy as np
import tensorflow as tf

checkpoint, windows_path, predictions_path = sys.argv[1:4]
RNN_LAYERS = [{"units": int(units)} for units in sys.argv[4:]]
windows = np.load(windows_path)  # (N, T, F)
_, INPUT_SEQUENCE_LENGTH, N_FEATURES = windows.shape

with tf.variable_scope("inputs"):
    in_seq = tf.placeholder(tf.float32, [None, INPUT_SEQUENCE_LENGTH, N_FEATURES],
                            name="predictors")
    out_seq = tf.placeholder(tf.float32, [None, 1, 1], name="target")
    training = tf.placeholder_with_default(False, shape=None, name="dropout_switch")
    with tf.variable_scope("learning_rate"):
        global_step = tf.Variable(0, trainable=False, name="global_step")
        learning_rate = tf.train.exponential_decay(0.05, global_step, 2000, 0.8,
                                                   staircase=True, name="learning_rate")

with tf.variable_scope("recurrent_layer"):
    gru_cells = [tf.contrib.rnn.GRUCell(num_units=layer["units"]) for layer in RNN_LAYERS]
    rnn_cells = tf.contrib.rnn.MultiRNNCell(cells=gru_cells)
    rnn_output, rnn_state = tf.nn.dynamic_rnn(cell=rnn_cells, inputs=in_seq, dtype=tf.float32)

with tf.variable_scope("predictions"):
    output = tf.concat(rnn_state, axis=1)
    output = tf.layers.dropout(output, rate=0.1, training=training)
    prediction = tf.layers.dense(output, units=1, name="prediction")

saver = tf.train.Saver()
with tf.Session() as sess:
    saver.restore(sess, checkpoint)
    predicted = sess.run(prediction, feed_dict={in_seq: windows})
    print("global step", sess.run(global_step))
np.save(predictions_path, predicted)
