"""TF1's `tf.contrib.seq2seq` and `tf.contrib.legacy_seq2seq` as graphrnn-tf1 gives them:
the losses and `rnn_decoder` here, and the tables that put this module's and
graphrnn.tf1.decoding's, .attention's and .beam_search's pieces under TF 1.15's names.

    SEQ2SEQ          tf.contrib.seq2seq: sequence_loss, the decoders and helpers,
                     attention and beam search
    SEQ2SEQ_MODULES  the same under TF 1.15's module paths
                     (tensorflow.contrib.seq2seq.python.ops.attention_wrapper, ...)
    LEGACY_SEQ2SEQ   sequence_loss_by_example, sequence_loss, rnn_decoder
"""

from graphrnn.compat import tf, v1
from graphrnn.tf1 import attention, beam_search, decoding


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


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """tf.contrib.legacy_seq2seq.sequence_loss_by_example: the log-perplexity of each
    sequence.

    Args:
      logits: list over time of [batch_size, num_classes] float.
      targets: list over time of [batch_size] int.
      weights: list over time of [batch_size] float.
      average_across_timesteps: divide by the weights' sum over time (+ 1e-12, as TF1).

    Returns:
      [batch_size] float.
    """
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError("Lengths of logits, weights, and targets must be the same "
                         f"{len(logits)}, {len(weights)}, {len(targets)}.")
    with v1.name_scope(name, "sequence_loss_by_example", logits + targets + weights):
        per_step = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=tf.reshape(target, [-1]), logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            per_step.append(crossent * weight)
        log_perplexities = tf.add_n(per_step)
        if average_across_timesteps:
            log_perplexities /= tf.add_n(weights) + 1e-12  # TF1's guard against all-0 weights
        return log_perplexities


def legacy_sequence_loss(logits, targets, weights, average_across_timesteps=True,
                         average_across_batch=True, softmax_loss_function=None, name=None):
    """tf.contrib.legacy_seq2seq.sequence_loss: the sum of sequence_loss_by_example over
    the batch, divided by the batch size when average_across_batch. A scalar."""
    with v1.name_scope(name, "sequence_loss", logits + targets + weights):
        cost = tf.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            return cost / tf.cast(tf.shape(targets[0])[0], cost.dtype)
        return cost


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """tf.contrib.legacy_seq2seq.rnn_decoder: run `cell` over a list of inputs.

    Args:
      decoder_inputs: list over time of [batch_size, input_size].
      initial_state: the cell's state, [batch_size, state_size] (or a tuple of them).
      cell: an RNN cell; its variables live under `scope` ("rnn_decoder").
      loop_function: (previous output, step i) -> the input for step i, used from the
        second step on instead of decoder_inputs[i] (feeding back a sampled symbol); it
        runs in variable scope "loop_function" with reuse=True.

    Returns:
      (outputs, state): a list over time of [batch_size, output_size], the last state.
    """
    with v1.variable_scope(scope or "rnn_decoder"):
        state, outputs, previous = initial_state, [], None
        for step, inputs in enumerate(decoder_inputs):
            if loop_function is not None and previous is not None:
                with v1.variable_scope("loop_function", reuse=True):
                    inputs = loop_function(previous, step)
            if step > 0:
                v1.get_variable_scope().reuse_variables()
            output, state = cell(inputs, state)
            outputs.append(output)
            if loop_function is not None:
                previous = output
    return outputs, state


def _pick(table, *names):
    return {name: table[name] for name in names}


# TF 1.15's tensorflow/contrib/seq2seq/python/ops/<module>.py and what each defines
SEQ2SEQ_MODULES = {
    "decoder": _pick(decoding.DECODING, "Decoder", "dynamic_decode"),
    "basic_decoder": _pick(decoding.DECODING, "BasicDecoder", "BasicDecoderOutput"),
    "helper": _pick(decoding.DECODING, "Helper", "CustomHelper", "TrainingHelper",
                    "GreedyEmbeddingHelper", "SampleEmbeddingHelper",
                    "ScheduledEmbeddingTrainingHelper", "ScheduledOutputTrainingHelper",
                    "InferenceHelper"),
    "attention_wrapper": dict(attention.ATTENTION),
    "beam_search_decoder": _pick(beam_search.BEAM_SEARCH, "BeamSearchDecoder",
                                 "BeamSearchDecoderOutput", "BeamSearchDecoderState",
                                 "FinalBeamSearchDecoderOutput", "tile_batch"),
    "beam_search_ops": _pick(beam_search.BEAM_SEARCH, "gather_tree"),
    "loss": {"sequence_loss": sequence_loss},
}
SEQ2SEQ = {name: value for module in SEQ2SEQ_MODULES.values() for name, value in module.items()}
LEGACY_SEQ2SEQ = {
    "sequence_loss_by_example": sequence_loss_by_example,
    "sequence_loss": legacy_sequence_loss,
    "rnn_decoder": rnn_decoder,
}
