"""The TF1 side of benchmark_seq2seq.py, run by graphrnn-tf1 as a user's TF1 program is:
a GRU encoder, Luong attention, an AttentionWrapper decoder under TrainingHelper and
dynamic_decode, sequence_loss, Adam. Times each training step (Session.run) and writes
the times and losses as JSON.

    graphrnn-tf1 scripts/tf1/attention_training.py OUT.json STEPS WARMUP
"""
import json
import sys
import time

import numpy as np
import tensorflow as tf

VOCAB, EMBED, UNITS, BATCH, SOURCE_STEPS, TARGET_STEPS = 40, 32, 64, 64, 12, 12
out_path, steps, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.RandomState(0)

tf.set_random_seed(0)
source = tf.placeholder(tf.int32, [BATCH, SOURCE_STEPS])
decoder_inputs = tf.placeholder(tf.int32, [BATCH, TARGET_STEPS])
targets = tf.placeholder(tf.int32, [BATCH, TARGET_STEPS])
embedding = tf.get_variable("embedding", [VOCAB, EMBED])
with tf.variable_scope("encoder"):
    memory, state = tf.nn.dynamic_rnn(tf.contrib.rnn.GRUCell(UNITS),
                                      tf.nn.embedding_lookup(embedding, source),
                                      dtype=tf.float32)
with tf.variable_scope("decoder") as scope:
    mechanism = tf.contrib.seq2seq.LuongAttention(UNITS, memory)
    cell = tf.contrib.seq2seq.AttentionWrapper(tf.contrib.rnn.GRUCell(UNITS), mechanism,
                                               attention_layer_size=UNITS)
    helper = tf.contrib.seq2seq.TrainingHelper(tf.nn.embedding_lookup(embedding, decoder_inputs),
                                               tf.fill([BATCH], TARGET_STEPS))
    decoder = tf.contrib.seq2seq.BasicDecoder(
        cell, helper, cell.zero_state(BATCH, tf.float32).clone(cell_state=state),
        output_layer=tf.layers.Dense(VOCAB, use_bias=False))
    outputs, _, _ = tf.contrib.seq2seq.dynamic_decode(decoder, scope=scope)
loss = tf.contrib.seq2seq.sequence_loss(outputs.rnn_output, targets,
                                        tf.ones([BATCH, TARGET_STEPS]))
train = tf.train.AdamOptimizer(1e-3).minimize(loss)

times, losses = [], []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(warmup + steps):
        src = rng.randint(3, VOCAB, size=(BATCH, SOURCE_STEPS))
        tgt = src[:, ::-1]
        dec = np.concatenate([np.ones((BATCH, 1), int), tgt[:, :-1]], 1)
        start = time.perf_counter()
        value, _ = sess.run([loss, train], {source: src, decoder_inputs: dec, targets: tgt})
        if step >= warmup:
            times.append(time.perf_counter() - start)
        losses.append(float(value))
with open(out_path, "w") as f:
    json.dump({"step_seconds": times, "losses": losses}, f)
