"""A TF1-era script that trains a whole model for two steps and saves it, for
graphrnn-tf1 --to-keras --input --output to convert. LAYOUT picks the model:

    char_model     ids (B, T) -> embedding -> MultiRNNCell of 2 LSTMs, each in a
                   DropoutWrapper fed keep_prob -> reshape (B*T, H) -> softmax_w / softmax_b
                   -> "probs" (B*T, V)
    classifier     ids, lengths -> embedding -> bidirectional_dynamic_rnn, a MultiRNNCell of
                   2 GRUs each way, sequence_length -> each direction's final state of its
                   top layer, concatenated -> tf.layers.dense -> softmax "probs"
    tagger         ids, lengths -> embedding -> bidirectional LSTM -> concat -> dropout
                   under placeholder_with_default -> the dense reshape trick -> "logits"
                   (B, T, tags)
    unrolled       char-rnn's way: softmax_w / softmax_b under rnnlm/, ids (B, 6) ->
                   embedding -> tf.split into 6 steps -> legacy_seq2seq.rnn_decoder(scope=
                   "rnnlm") of 2 LSTMCells from a zero_state (ops under rnnlm_1/) ->
                   concat, reshape (B*6, H) -> "probs"
    fed_state      a TF 1.1 program's way, under name_scope("inference"): floats (B, 10, 1)
                   -> transpose, reshape (10*B, 1), matmul + bias, tf.split into 10 steps
                   -> static_rnn of BasicLSTMCell(forget_bias=0.8, state_is_tuple=False)
                   from a fed initial state "istate" (zeros) -> matmul + bias on the last
                   step
    forecaster     floats (B, T, 2) -> MultiRNNCell of 2 GRUs (dynamic_rnn) ->
                   outputs[:, -1, :] -> fully_connected(relu) -> matmul + bias "forecast"

    python save_whole_model.py LAYOUT CHECKPOINT_PREFIX RESULT.npz

RESULT.npz holds the inputs it checked (ids / lengths / x) and the output the graph
computed for them at inference (dropout off)."""
import sys

import numpy as np
import tensorflow as tf

layout, prefix, result_path = sys.argv[1:4]
tf.set_random_seed(7)
rng = np.random.RandomState(0)
VOCABULARY, EMBEDDING, HIDDEN, TAGS, CLASSES = 11, 6, 5, 4, 3


def embedded(ids):
    with tf.variable_scope("embedding"):
        table = tf.get_variable("embedding", [VOCABULARY, EMBEDDING])
    return tf.nn.embedding_lookup(table, ids)  # (B, T, E)


def two_grus():
    return tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(HIDDEN) for _ in range(2)])


feeds, train_feeds, inference = {}, {}, {}
if layout in ("char_model", "classifier", "tagger", "unrolled"):
    ids = tf.placeholder(tf.int32, [None, 6 if layout == "unrolled" else None],
                         name="input_ids")
    feeds["ids"] = ids
if layout == "char_model":
    keep_prob = tf.placeholder(tf.float32, [], name="keep_prob")
    targets = tf.placeholder(tf.int32, [None, None])
    cells = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(HIDDEN),
                                           output_keep_prob=keep_prob) for _ in range(2)]
    cell = tf.nn.rnn_cell.MultiRNNCell(cells)
    inputs = tf.nn.dropout(embedded(ids), keep_prob)
    outputs, last_state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
    output = tf.reshape(outputs, [-1, HIDDEN])  # (B*T, H)
    with tf.variable_scope("rnnlm"):
        softmax_w = tf.get_variable("softmax_w", [HIDDEN, VOCABULARY])
        softmax_b = tf.get_variable("softmax_b", [VOCABULARY])
    logits = tf.matmul(output, softmax_w) + softmax_b
    probs = tf.nn.softmax(logits, name="probs")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.reshape(targets, [-1]), logits=logits))
    batch = {"ids": rng.randint(0, VOCABULARY, (6, 8))}
    train_feeds = {targets: rng.randint(0, VOCABULARY, (6, 8)), keep_prob: 0.5}
    inference = {keep_prob: 1.0}
    result = probs
elif layout == "unrolled":
    targets = tf.placeholder(tf.int32, [None, 6])
    cell = tf.contrib.rnn.MultiRNNCell([tf.contrib.rnn.LSTMCell(HIDDEN) for _ in range(2)])
    with tf.variable_scope("rnnlm"):
        softmax_w = tf.get_variable("softmax_w", [HIDDEN, VOCABULARY])
        softmax_b = tf.get_variable("softmax_b", [VOCABULARY])
    steps = [tf.squeeze(step, [1]) for step in tf.split(embedded(ids), 6, 1)]
    start = cell.zero_state(tf.shape(ids)[0], tf.float32)
    outputs, _ = tf.contrib.legacy_seq2seq.rnn_decoder(steps, start, cell, scope="rnnlm")
    logits = tf.matmul(tf.reshape(tf.concat(outputs, 1), [-1, HIDDEN]), softmax_w) + softmax_b
    result = tf.nn.softmax(logits, name="probs")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.reshape(targets, [-1]), logits=logits))
    batch = {"ids": rng.randint(0, VOCABULARY, (6, 6))}
    train_feeds = {targets: rng.randint(0, VOCABULARY, (6, 6))}
elif layout in ("classifier", "tagger"):
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    feeds["lengths"] = lengths
    inputs = embedded(ids)
    if layout == "classifier":
        labels = tf.placeholder(tf.int32, [None])
        _, (forward, backward) = tf.nn.bidirectional_dynamic_rnn(
            two_grus(), two_grus(), inputs, sequence_length=lengths, dtype=tf.float32)
        final = tf.concat([forward[-1], backward[-1]], 1)  # top layers' final states (B, 2H)
        logits = tf.layers.dense(final, CLASSES, name="classes")
        result = tf.nn.softmax(logits, name="probs")
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train_feeds = {labels: rng.randint(0, CLASSES, 6)}
    else:
        is_training = tf.placeholder_with_default(False, [], name="is_training")
        tags = tf.placeholder(tf.int32, [None, None])
        (forward, backward), _ = tf.nn.bidirectional_dynamic_rnn(
            tf.nn.rnn_cell.LSTMCell(HIDDEN), tf.nn.rnn_cell.LSTMCell(HIDDEN), inputs,
            sequence_length=lengths, dtype=tf.float32)
        both = tf.layers.dropout(tf.concat([forward, backward], -1), 0.5,
                                 training=is_training)  # (B, T, 2H)
        steps = tf.shape(ids)[1]
        flat = tf.reshape(both, [-1, 2 * HIDDEN])  # the dense reshape trick
        with tf.variable_scope("proj"):
            w = tf.get_variable("W", [2 * HIDDEN, TAGS])
            b = tf.get_variable("b", [TAGS], initializer=tf.constant_initializer(0.1))
        result = tf.reshape(tf.matmul(flat, w) + b, [-1, steps, TAGS], name="logits")
        mask = tf.sequence_mask(lengths, steps)
        loss = tf.reduce_mean(tf.boolean_mask(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tags, logits=result), mask))
        train_feeds = {tags: rng.randint(0, TAGS, (6, 8)), is_training: True}
    batch = {"ids": rng.randint(0, VOCABULARY, (6, 8)), "lengths": rng.randint(1, 9, 6)}
elif layout == "fed_state":
    x = tf.placeholder(tf.float32, [None, 10, 1], name="input")
    feeds["x"] = x
    state = tf.placeholder(tf.float32, [None, 2 * HIDDEN], name="istate")
    y = tf.placeholder(tf.float32, [None, 1])
    with tf.name_scope("inference"):
        w1, b1 = tf.Variable(tf.random_normal([1, HIDDEN]), name="w1"), tf.Variable(
            tf.zeros([HIDDEN]), name="b1")
        w2, b2 = tf.Variable(tf.random_normal([HIDDEN, 1]), name="w2"), tf.Variable(
            tf.zeros([1]), name="b2")
        steps = tf.split(tf.matmul(tf.reshape(tf.transpose(x, [1, 0, 2]), [-1, 1]), w1) + b1,
                         10, 0)  # 10 x (B, H)
        cell = tf.contrib.rnn.BasicLSTMCell(HIDDEN, forget_bias=0.8, state_is_tuple=False)
        outputs, _ = tf.contrib.rnn.static_rnn(cell, steps, initial_state=state)
        result = tf.matmul(outputs[-1], w2) + b2
    loss = tf.losses.mean_squared_error(y, result)
    batch = {"x": rng.randn(6, 10, 1).astype(np.float32)}
    train_feeds = {y: rng.randn(6, 1), state: np.zeros((6, 2 * HIDDEN))}
    inference = {state: np.zeros((5, 2 * HIDDEN))}
else:  # forecaster
    x = tf.placeholder(tf.float32, [None, None, 2], name="x")
    feeds["x"] = x
    y = tf.placeholder(tf.float32, [None, 1])
    outputs, _ = tf.nn.dynamic_rnn(two_grus(), x, dtype=tf.float32)
    hidden = tf.contrib.layers.fully_connected(outputs[:, -1, :], 4)  # relu
    w = tf.Variable(tf.random_normal([4, 1]), name="out_w")
    b = tf.Variable(tf.zeros([1]), name="out_b")
    result = tf.add(tf.matmul(hidden, w), b, name="forecast")
    loss = tf.losses.mean_squared_error(y, result)
    batch = {"x": rng.randn(6, 8, 2).astype(np.float32)}
    train_feeds = {y: rng.randn(6, 1)}

train_op = tf.train.AdamOptimizer(0.05).minimize(loss)
saver = tf.train.Saver()
check = {name: (rng.randint(1, 9, 5) if name == "lengths" else
                rng.randint(0, VOCABULARY, (5, 6 if layout == "unrolled" else 9))
                if name == "ids" else
                rng.randn(5, 10, 1).astype(np.float32) if layout == "fed_state" else
                rng.randn(5, 9, 2).astype(np.float32)) for name in feeds}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(2):  # a few steps: trained weights, not the initial ones
        sess.run(train_op, {**{feeds[k]: v for k, v in batch.items()}, **train_feeds})
    saver.save(sess, prefix)
    computed = sess.run(result, {**{feeds[k]: v for k, v in check.items()}, **inference})
np.savez(result_path, output=computed, **check)
print("saved", prefix, result.name)
