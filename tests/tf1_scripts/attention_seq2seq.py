"""A TF1-era attention translation model in the style of TensorFlow's NMT tutorial, on a
toy task: write a digit sequence backwards. A GRU encoder, Luong attention over its
outputs, an AttentionWrapper decoder trained with TrainingHelper and sequence_loss and
saved by a Saver; then, as the tutorial does, greedy decoding (GreedyEmbeddingHelper) and
beam search (BeamSearchDecoder, tile_batch) each in a graph of its own that restores the
checkpoint by name. Writes what a test reads.

    python attention_seq2seq.py RESULT.npz CHECKPOINT_PREFIX
"""
import sys

import numpy as np
import tensorflow as tf
import tensorflow.contrib.seq2seq as seq2seq
from tensorflow.contrib.seq2seq.python.ops import beam_search_decoder

PAD, GO, EOS, VOCAB = 0, 1, 2, 10  # digits are ids 3..9
UNITS, EMBED, BEAM, BATCH, STEPS, MAX_LEN = 32, 16, 3, 64, 120, 6
rng = np.random.RandomState(0)


def make_batch(n):
    lengths = rng.randint(3, MAX_LEN + 1, size=n)
    source = np.zeros((n, MAX_LEN), np.int32)
    decoder_in = np.zeros((n, MAX_LEN + 1), np.int32)
    target = np.zeros((n, MAX_LEN + 1), np.int32)
    for i, length in enumerate(lengths):
        digits = rng.randint(3, VOCAB, size=length)
        source[i, :length] = digits
        decoder_in[i, :length + 1] = [GO] + list(digits[::-1])
        target[i, :length + 1] = list(digits[::-1]) + [EOS]
    return source, lengths, decoder_in, target, lengths + 1


def build(mode):
    """The model for mode "train", "greedy" or "beam" in a graph of its own, as the NMT
    tutorial builds its train and inference models; the same variable names in each."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1)
        source = tf.placeholder(tf.int32, [None, None], name="source")
        source_length = tf.placeholder(tf.int32, [None], name="source_length")
        batch_size = tf.shape(source)[0]
        with tf.variable_scope("embeddings"):
            embedding = tf.get_variable("shared", [VOCAB, EMBED])
        with tf.variable_scope("encoder"):
            encoder_outputs, encoder_state = tf.nn.dynamic_rnn(
                tf.contrib.rnn.GRUCell(UNITS), tf.nn.embedding_lookup(embedding, source),
                sequence_length=source_length, dtype=tf.float32)
        with tf.variable_scope("decoder") as decoder_scope:
            memory, memory_length, state, rows = (encoder_outputs, source_length,
                                                  encoder_state, batch_size)
            if mode == "beam":  # the memory, its lengths and the state tiled beam by beam
                memory, memory_length, state = (seq2seq.tile_batch(t, BEAM) for t in (
                    encoder_outputs, source_length, encoder_state))
                rows = batch_size * BEAM
            mechanism = seq2seq.LuongAttention(UNITS, memory,
                                               memory_sequence_length=memory_length,
                                               scale=True)
            cell = seq2seq.AttentionWrapper(tf.contrib.rnn.GRUCell(UNITS), mechanism,
                                            attention_layer_size=UNITS, name="attention")
            initial = cell.zero_state(rows, tf.float32).clone(cell_state=state)
            projection = tf.layers.Dense(VOCAB, use_bias=False, name="output_projection")
            start_tokens = tf.fill([batch_size], GO)
            if mode == "train":
                decoder_inputs = tf.placeholder(tf.int32, [None, None], name="decoder_inputs")
                target_length = tf.placeholder(tf.int32, [None], name="target_length")
                helper = seq2seq.TrainingHelper(
                    tf.nn.embedding_lookup(embedding, decoder_inputs), target_length)
                decoder = seq2seq.BasicDecoder(cell, helper, initial, output_layer=projection)
            elif mode == "greedy":
                helper = seq2seq.GreedyEmbeddingHelper(embedding, start_tokens, EOS)
                decoder = seq2seq.BasicDecoder(cell, helper, initial, output_layer=projection)
            else:
                decoder = beam_search_decoder.BeamSearchDecoder(
                    cell, embedding, start_tokens, EOS, initial, BEAM,
                    output_layer=projection, length_penalty_weight=0.6)
            outputs, _, _ = seq2seq.dynamic_decode(
                decoder, impute_finished=(mode == "train"),
                maximum_iterations=None if mode == "train" else 2 * MAX_LEN,
                scope=decoder_scope)
        model = {"graph": graph, "source": source, "source_length": source_length,
                 "saver": None}
        if mode == "train":
            logits = outputs.rnn_output
            targets = tf.placeholder(tf.int32, [None, None], name="targets")
            mask = tf.sequence_mask(target_length, tf.shape(logits)[1], dtype=tf.float32)
            loss = seq2seq.sequence_loss(logits, targets[:, :tf.shape(logits)[1]], mask)
            model.update(decoder_inputs=decoder_inputs, target_length=target_length,
                         targets=targets, loss=loss,
                         train=tf.train.AdamOptimizer(0.01).minimize(loss))
        elif mode == "greedy":
            model["ids"] = outputs.sample_id
        else:
            model["ids"] = outputs.predicted_ids[:, :, 0]  # the best beam
            model["beams"] = outputs.predicted_ids
        model["saver"] = tf.train.Saver()
    return model


def decoded(ids):
    """Each row up to its first EOS."""
    rows = []
    for row in ids:
        row = list(row)
        rows.append(row[:row.index(EOS)] if EOS in row else row)
    return rows


train_model = build("train")
with tf.Session(graph=train_model["graph"]) as sess:
    sess.run(tf.global_variables_initializer())
    losses = []
    for step in range(STEPS):
        src, src_len, dec_in, tgt, tgt_len = make_batch(BATCH)
        m = train_model
        value, _ = sess.run([m["loss"], m["train"]], {
            m["source"]: src, m["source_length"]: src_len, m["decoder_inputs"]: dec_in,
            m["targets"]: tgt, m["target_length"]: tgt_len})
        losses.append(value)
        if step % 100 == 0:
            print("step %d loss %.4f" % (step, value))
    train_model["saver"].save(sess, sys.argv[2])
    names = [v.name for v in tf.global_variables()]

src, src_len, _, _, _ = make_batch(200)
truth = [list(row[:n][::-1]) for row, n in zip(src, src_len)]
exact = {}
for mode in ("greedy", "beam"):
    model = build(mode)
    with tf.Session(graph=model["graph"]) as sess:
        model["saver"].restore(sess, sys.argv[2])  # the trained weights, by name
        ids = sess.run(model["ids"], {model["source"]: src, model["source_length"]: src_len})
    exact[mode] = np.mean([a == b for a, b in zip(decoded(ids), truth)])
    print("%s: exact %.3f; %s -> %s" % (mode, exact[mode], [int(d) for d in src[0][:src_len[0]]],
                                        [int(d) for d in decoded(ids)[0]]))
np.savez(sys.argv[1], losses=np.array(losses), greedy=exact["greedy"], beam=exact["beam"],
         names=np.array(names))
