"""tf.contrib.metrics' streaming metrics as TF 1.15 had them (tensorflow/contrib/metrics/):
each is tf.compat.v1.metrics' metric with contrib's argument order, predictions first
(TF 1.x's tf.metrics put labels first). Each returns (value, update_op) and keeps its
counts in local variables (tf.local_variables_initializer()).

    METRICS  the names tf.contrib.metrics gives
"""

from graphrnn.compat import tf, v1


def _predictions_first(metric):
    """contrib's streaming_X(predictions, labels, ...) as tf.metrics.X(labels, predictions)."""
    def streaming(predictions, labels, *args, **kwargs):
        return metric(labels, predictions, *args, **kwargs)
    streaming.__name__ = f"streaming_{metric.__name__}"
    streaming.__doc__ = f"tf.contrib.metrics.streaming_{metric.__name__}(predictions, labels, ...)"
    return streaming


def accuracy(predictions, labels, weights=None, name=None):
    """tf.contrib.metrics.accuracy: the (weighted) fraction of predictions equal to labels,
    at once (not streaming)."""
    with v1.name_scope(name, "accuracy", [predictions, labels, weights]):
        hits = tf.cast(tf.equal(predictions, labels), tf.float32)
        if weights is None:
            return tf.reduce_mean(hits)
        weights = tf.cast(weights, tf.float32)
        return tf.reduce_sum(hits * weights) / tf.reduce_sum(weights)


METRICS = {
    "accuracy": accuracy, "streaming_mean": v1.metrics.mean,
    **{f"streaming_{name}": _predictions_first(getattr(v1.metrics, name)) for name in (
        "accuracy", "precision", "recall", "auc", "mean_absolute_error",
        "mean_squared_error", "root_mean_squared_error", "mean_iou",
        "mean_relative_error", "true_positives", "false_positives", "false_negatives",
        "true_negatives", "mean_cosine_distance")},
    "streaming_sparse_precision_at_k": _predictions_first(v1.metrics.precision_at_k),
    "streaming_sparse_recall_at_k": _predictions_first(v1.metrics.recall_at_k),
    "aggregate_metrics": lambda *pairs: tuple(map(list, zip(*pairs))),
    "aggregate_metric_map": lambda names_to_pairs: (
        {name: pair[0] for name, pair in names_to_pairs.items()},
        {name: pair[1] for name, pair in names_to_pairs.items()}),
}
