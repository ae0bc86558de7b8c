"""tf.contrib.seq2seq.sequence_loss (TF 1.15's tensorflow/contrib/seq2seq/python/ops/loss.py):
the weighted cross-entropy of a sequence of logits."""

from graphrnn.compat import tf, v1


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, sum_over_timesteps=False, sum_over_batch=False,
                  softmax_loss_function=None, name=None):
    """tf.contrib.seq2seq.sequence_loss: the weighted cross-entropy of a sequence.

    Args:
      logits: [batch_size, sequence_length, num_classes] float.
      targets: [batch_size, sequence_length] int, the true classes.
      weights: [batch_size, sequence_length] float; 0 masks a step out.
      average_across_timesteps / average_across_batch: sum over that axis and divide by
        the weights' sum over it.
      sum_over_timesteps / sum_over_batch: sum over that axis and divide by the number of
        non-zero weights over it (TF 1.15's meaning).
      softmax_loss_function: (labels=, logits=) -> per-row loss, instead of the sparse
        softmax cross-entropy.

    Returns:
      A scalar when both axes are reduced; [sequence_length] when only the batch is;
      [batch_size] when only time is; [batch_size, sequence_length] when neither.

    Raises:
      ValueError: a rank other than 3 / 2 / 2, or an axis both averaged and summed.
    """
    if logits.shape.rank != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if targets.shape.rank != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if weights.shape.rank != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to "
                         "True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True at "
                         "same time.")
    with v1.name_scope(name, "sequence_loss", [logits, targets, weights]):
        num_classes = tf.shape(logits)[2]
        flat_logits = tf.reshape(logits, [-1, num_classes])  # (B * T, C)
        flat_targets = tf.reshape(targets, [-1])             # (B * T,)
        if softmax_loss_function is None:
            crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=flat_targets, logits=flat_logits)
        else:
            crossent = softmax_loss_function(labels=flat_targets, logits=flat_logits)
        crossent *= tf.reshape(weights, [-1])
        averaged = [average_across_batch, average_across_timesteps]  # axis 0, axis 1
        summed = [sum_over_batch, sum_over_timesteps]
        if all(averaged) or all(summed):  # one number for the whole batch
            total = tf.reduce_sum(crossent)
            return tf.math.divide_no_nan(total, _divisor(weights, None, all(averaged)))
        crossent = tf.reshape(crossent, tf.shape(logits)[0:2])  # (B, T)
        # one axis: averaging wins over summing when both are asked for (as TF 1.15)
        reduced = averaged if any(averaged) else summed
        if any(reduced):
            axis = [0] if reduced[0] else [1]
            total = tf.reduce_sum(crossent, axis=axis)
            return tf.math.divide_no_nan(total, _divisor(weights, axis, any(averaged)))
        return crossent


def _divisor(weights, axis, averaging):
    """The weights' sum (averaging), or the count of non-zero weights (summing)."""
    if averaging:
        return tf.reduce_sum(weights, axis=axis)
    return tf.cast(tf.math.count_nonzero(weights, axis=axis), weights.dtype)
