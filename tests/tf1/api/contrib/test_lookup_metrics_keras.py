"""tf.contrib.lookup, tf.contrib.metrics' streaming metrics, tf.contrib.keras and the
projector plugin as graphrnn-tf1 gives them: tables against the vocabulary file, metrics
against NumPy over two updates (predictions first, as contrib had them)."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib import lookup, metrics
from graphrnn.tf1.runner import view


def test_vocabulary_tables_map_words_to_ids_and_back(tmp_path):
    (tmp_path / "words.txt").write_text("the\ncat\nsat\n")
    with tf.Graph().as_default():
        to_id = lookup.LOOKUP["index_table_from_file"](str(tmp_path / "words.txt"))
        with_oov = lookup.LOOKUP["index_table_from_file"](str(tmp_path / "words.txt"),
                                                          num_oov_buckets=2)
        to_word = lookup.LOOKUP["index_to_string_table_from_file"](str(tmp_path / "words.txt"))
        words = tf.constant(["cat", "the", "dog"])
        ids, oov, back = to_id.lookup(words), with_oov.lookup(words), to_word.lookup(
            tf.constant([2, 0, 7], tf.int64))
        with v1.Session() as session:
            session.run(v1.tables_initializer())
            ids, oov, back = session.run([ids, oov, back])
    assert ids.tolist() == [1, 0, -1]
    assert oov.tolist()[:2] == [1, 0] and oov[2] in (3, 4)  # a bucket past the 3 words
    assert back.tolist() == [b"sat", b"the", b"UNK"]


def test_streaming_metrics_take_predictions_first_and_accumulate():
    predictions = [np.array([1, 0, 1, 1]), np.array([0, 0, 1, 0])]
    labels = [np.array([1, 1, 1, 0]), np.array([0, 1, 1, 0])]
    with tf.Graph().as_default():
        p, y = v1.placeholder(tf.int64, [None]), v1.placeholder(tf.int64, [None])
        pairs = {name: metrics.METRICS[f"streaming_{name}"](p, y) for name in (
            "accuracy", "precision", "recall")}
        squared = metrics.METRICS["streaming_mean_squared_error"](
            tf.cast(p, tf.float32), tf.cast(y, tf.float32))
        now = metrics.METRICS["accuracy"](p, y, weights=tf.constant([1.0, 0.0, 1.0, 1.0]))
        with v1.Session() as session:
            session.run(v1.local_variables_initializer())
            for batch in range(2):
                fed = {p: predictions[batch], y: labels[batch]}
                session.run([pair[1] for pair in pairs.values()] + [squared[1]], fed)
            first = session.run(now, {p: predictions[0], y: labels[0]})
            values = session.run({name: pair[0] for name, pair in pairs.items()})
            mse = session.run(squared[0])
    P, Y = np.concatenate(predictions), np.concatenate(labels)
    assert values["accuracy"] == pytest.approx((P == Y).mean())
    assert values["precision"] == pytest.approx(((P == 1) & (Y == 1)).sum() / (P == 1).sum())
    assert values["recall"] == pytest.approx(((P == 1) & (Y == 1)).sum() / (Y == 1).sum())
    assert mse == pytest.approx(((P - Y) ** 2).mean())
    assert first == pytest.approx(2 / 3)  # weights 1, 0, 1, 1: hits at 0 and 2, miss at 3


def test_contrib_keras_and_the_projector_are_there_under_their_tf1_names(tmp_path):
    root = view.tf1_namespace()
    assert view.resolve(root, "tf.contrib.keras.layers.Dense") is v1.keras.layers.Dense
    projector = view.resolve(root, "tf.contrib.tensorboard.plugins.projector")
    config = projector.ProjectorConfig()
    config.embeddings.add(tensor_name="embedding", metadata_path="words.tsv")
    with tf.Graph().as_default():
        writer = v1.summary.FileWriter(str(tmp_path))
        projector.visualize_embeddings(writer, config)  # TF1 passed the writer
        writer.close()
    text = (tmp_path / "projector_config.pbtxt").read_text()
    assert 'tensor_name: "embedding"' in text and 'metadata_path: "words.tsv"' in text
