"""TF 1.15's `tf.contrib.crf`, rebuilt on tf.compat.v1 for graphrnn-tf1: the linear-chain
CRF of every TF1 sequence tagger (Lafferty et al. 2001; the forward algorithm for the
partition function, Viterbi for decoding).

    log_likelihood, transitions = crf_log_likelihood(unary_scores, tags, lengths)
    tags, score = crf_decode(unary_scores, transitions, lengths)

`crf_log_likelihood` makes the variable `transitions` [num_tags, num_tags] in the current
variable scope when none is given, as TF1 did, so taggers' checkpoints restore.
`viterbi_decode` is NumPy, as TF1's was. Sequences of length 0 score 0.
"""

import numpy as np

from graphrnn.compat import tf, v1


def _smart_cond(pred, true_fn, false_fn):
    """A Python branch when `pred` is known while building, else tf.cond (TF1's
    layers.utils.smart_cond)."""
    static = tf.get_static_value(pred)
    if static is not None:
        return true_fn() if static else false_fn()
    return tf.cond(pred, true_fn, false_fn)


def _max_len_is_one(inputs):
    return tf.equal(tf.compat.dimension_value(inputs.shape[1]) or tf.shape(inputs)[1], 1)


def crf_unary_score(tag_indices, sequence_lengths, inputs):
    """sum over t < length of inputs[b, t, tag_t]: [batch_size]."""
    batch_size, max_seq_len, num_tags = (tf.shape(inputs)[i] for i in range(3))
    offsets = tf.expand_dims(tf.range(batch_size) * max_seq_len * num_tags, 1)
    offsets += tf.expand_dims(tf.range(max_seq_len) * num_tags, 0)  # (B, T) flat offsets
    if tag_indices.dtype == tf.int64:
        offsets = tf.cast(offsets, tf.int64)
    scores = tf.reshape(tf.gather(tf.reshape(inputs, [-1]),
                                  tf.reshape(offsets + tag_indices, [-1])),
                        [batch_size, max_seq_len])
    masks = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1],
                             dtype=tf.float32)
    return tf.reduce_sum(scores * masks, 1)


def crf_binary_score(tag_indices, sequence_lengths, transition_params):
    """sum over 0 < t < length of transitions[tag_{t-1}, tag_t]: [batch_size]."""
    num_tags = tf.compat.dimension_value(transition_params.shape[0])
    num_transitions = tf.shape(tag_indices)[1] - 1
    starts = tf.slice(tag_indices, [0, 0], [-1, num_transitions])
    ends = tf.slice(tag_indices, [0, 1], [-1, num_transitions])
    scores = tf.gather(tf.reshape(transition_params, [-1]), starts * num_tags + ends)
    masks = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1],
                             dtype=tf.float32)
    return tf.reduce_sum(scores * tf.slice(masks, [0, 1], [-1, -1]), 1)


def crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params):
    """The unnormalised score of the given tag sequences: unary + binary, [batch_size]."""
    def single():
        batch_size = tf.shape(inputs, out_type=tag_indices.dtype)[0]
        rows = tf.reshape(tf.range(batch_size, dtype=tag_indices.dtype), [-1, 1])
        scores = tf.gather_nd(tf.squeeze(inputs, [1]), tf.concat([rows, tag_indices], 1))
        return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(scores), scores)

    def multi():
        return (crf_unary_score(tag_indices, sequence_lengths, inputs)
                + crf_binary_score(tag_indices, sequence_lengths, transition_params))
    return _smart_cond(_max_len_is_one(inputs), single, multi)


def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths, transition_params):
    """The log of the summed scores of every tag sequence that tag_bitmap [batch, T,
    num_tags] (bool) allows: [batch_size]."""
    filtered = tf.where(tag_bitmap, inputs, tf.fill(tf.shape(inputs), float("-inf")))
    return _smart_cond(
        _max_len_is_one(inputs),
        lambda: tf.reduce_logsumexp(filtered, axis=[1, 2]),
        lambda: crf_log_norm(filtered, sequence_lengths, transition_params))


class CrfForwardRnnCell:
    """tf.contrib.crf.CrfForwardRnnCell: one step of the forward algorithm,
    alpha' = inputs + logsumexp over the previous tag of (alpha + transitions)."""

    def __init__(self, transition_params):
        self._transition_params = tf.expand_dims(transition_params, 0)  # (1, O, O)
        self._num_tags = tf.compat.dimension_value(transition_params.shape[0])

    state_size = property(lambda self: self._num_tags)
    output_size = property(lambda self: self._num_tags)

    def zero_state(self, batch_size, dtype):
        return tf.zeros([batch_size, self._num_tags], dtype)

    def __call__(self, inputs, state, scope=None):
        """inputs, state: [batch, num_tags] -> (new alphas, new alphas)."""
        scores = tf.expand_dims(state, 2) + self._transition_params  # (B, O, O)
        alphas = inputs + tf.reduce_logsumexp(scores, [1])
        return alphas, alphas


def crf_log_norm(inputs, sequence_lengths, transition_params):
    """log Z, the log of the summed scores of all tag sequences (the forward
    algorithm run by dynamic_rnn): [batch_size]."""
    first_input = tf.squeeze(tf.slice(inputs, [0, 0, 0], [-1, 1, -1]), [1])  # (B, O)

    def masked(log_norm):
        return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(log_norm),
                        log_norm)

    def multi():
        rest = tf.slice(inputs, [0, 1, 0], [-1, -1, -1])
        lengths_less_one = tf.maximum(tf.constant(0, sequence_lengths.dtype),
                                      sequence_lengths - 1)
        _, alphas = v1.nn.dynamic_rnn(CrfForwardRnnCell(transition_params), rest,
                                      sequence_length=lengths_less_one,
                                      initial_state=first_input, dtype=tf.float32)
        return masked(tf.reduce_logsumexp(alphas, [1]))
    return _smart_cond(_max_len_is_one(inputs),
                       lambda: masked(tf.reduce_logsumexp(first_input, [1])), multi)


def crf_log_likelihood(inputs, tag_indices, sequence_lengths, transition_params=None):
    """tf.contrib.crf.crf_log_likelihood: (log p(tags | inputs) [batch_size], the
    transition matrix), making the variable `transitions` if none is given.

    Args:
      inputs: [batch_size, max_seq_len, num_tags] unary scores.
      tag_indices: [batch_size, max_seq_len] int, the gold tags.
      sequence_lengths: [batch_size] int.
    """
    num_tags = tf.compat.dimension_value(inputs.shape[2])
    if transition_params is None:
        transition_params = v1.get_variable("transitions", [num_tags, num_tags])
    sequence_scores = crf_sequence_score(inputs, tag_indices, sequence_lengths,
                                         transition_params)
    log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
    return sequence_scores - log_norm, transition_params


def viterbi_decode(score, transition_params):
    """tf.contrib.crf.viterbi_decode, in NumPy: the best tag sequence for one sentence's
    score [seq_len, num_tags]; returns (a list of tag ids, its score)."""
    trellis = np.zeros_like(score)
    backpointers = np.zeros_like(score, dtype=np.int32)
    trellis[0] = score[0]
    for t in range(1, score.shape[0]):
        v = np.expand_dims(trellis[t - 1], 1) + transition_params  # (previous, next)
        trellis[t] = score[t] + np.max(v, 0)
        backpointers[t] = np.argmax(v, 0)
    viterbi = [np.argmax(trellis[-1])]
    for pointers in reversed(backpointers[1:]):
        viterbi.append(pointers[viterbi[-1]])
    viterbi.reverse()
    return viterbi, np.max(trellis[-1])


class CrfDecodeForwardRnnCell(CrfForwardRnnCell):
    """tf.contrib.crf.CrfDecodeForwardRnnCell: one Viterbi step forward,
    (backpointers [batch, num_tags] int32, new scores [batch, num_tags])."""

    def __call__(self, inputs, state, scope=None):
        scores = tf.expand_dims(state, 2) + self._transition_params  # (B, O, O)
        new_state = inputs + tf.reduce_max(scores, [1])
        return tf.cast(tf.argmax(scores, 1), tf.int32), new_state


class CrfDecodeBackwardRnnCell:
    """tf.contrib.crf.CrfDecodeBackwardRnnCell: one step of following the backpointers,
    the state being the next step's tag [batch, 1]."""

    def __init__(self, num_tags):
        self._num_tags = num_tags

    state_size = property(lambda self: 1)
    output_size = property(lambda self: 1)

    def zero_state(self, batch_size, dtype):
        return tf.zeros([batch_size, 1], dtype)

    def __call__(self, inputs, state, scope=None):
        state = tf.squeeze(state, axis=[1])  # (B,)
        indices = tf.stack([tf.range(tf.shape(inputs)[0]), state], axis=1)
        new_tags = tf.expand_dims(tf.gather_nd(inputs, indices), axis=-1)  # (B, 1)
        return new_tags, new_tags


def crf_decode(potentials, transition_params, sequence_length):
    """tf.contrib.crf.crf_decode: Viterbi in the graph; (the best tags [batch_size,
    max_seq_len] int32, their scores [batch_size])."""
    def single():
        squeezed = tf.squeeze(potentials, [1])
        tags = tf.expand_dims(tf.argmax(squeezed, axis=1), 1)
        return tf.cast(tags, tf.int32), tf.reduce_max(squeezed, axis=1)

    def multi():
        num_tags = tf.compat.dimension_value(potentials.shape[2])
        initial = tf.squeeze(tf.slice(potentials, [0, 0, 0], [-1, 1, -1]), axis=[1])
        inputs = tf.slice(potentials, [0, 1, 0], [-1, -1, -1])  # (B, T - 1, O)
        lengths_less_one = tf.maximum(tf.constant(0, sequence_length.dtype),
                                      sequence_length - 1)
        backpointers, last_score = v1.nn.dynamic_rnn(
            CrfDecodeForwardRnnCell(transition_params), inputs=inputs,
            sequence_length=lengths_less_one, initial_state=initial, time_major=False,
            dtype=tf.int32)  # (B, T - 1, O), (B, O)
        backpointers = tf.reverse_sequence(backpointers, lengths_less_one, seq_axis=1,
                                           batch_axis=0)
        last_tag = tf.expand_dims(tf.cast(tf.argmax(last_score, axis=1), tf.int32), -1)
        tags, _ = v1.nn.dynamic_rnn(
            CrfDecodeBackwardRnnCell(num_tags), inputs=backpointers,
            sequence_length=lengths_less_one, initial_state=last_tag, time_major=False,
            dtype=tf.int32)  # (B, T - 1, 1)
        tags = tf.concat([last_tag, tf.squeeze(tags, axis=[2])], axis=1)  # (B, T)
        tags = tf.reverse_sequence(tags, sequence_length, seq_axis=1, batch_axis=0)
        return tags, tf.reduce_max(last_score, axis=1)
    return _smart_cond(_max_len_is_one(potentials), single, multi)


CRF = {
    "crf_sequence_score": crf_sequence_score, "crf_log_norm": crf_log_norm,
    "crf_log_likelihood": crf_log_likelihood, "crf_unary_score": crf_unary_score,
    "crf_binary_score": crf_binary_score, "CrfForwardRnnCell": CrfForwardRnnCell,
    "viterbi_decode": viterbi_decode, "crf_decode": crf_decode,
    "CrfDecodeForwardRnnCell": CrfDecodeForwardRnnCell,
    "CrfDecodeBackwardRnnCell": CrfDecodeBackwardRnnCell,
    "crf_multitag_sequence_score": crf_multitag_sequence_score,
}
