"""TF 1.15's `tf.contrib.seq2seq` beam search, rebuilt on tf.compat.v1 for graphrnn-tf1:
`BeamSearchDecoder` (length penalty and coverage penalty of Wu et al. 2016 as TF defined
them), `tile_batch`, `gather_tree`, and the state and output tuples.

    memory = tile_batch(encoder_outputs, multiplier=beam_width)   # [batch * beam, ...]
    decoder = BeamSearchDecoder(cell, embedding, start_tokens, end_token,
                                initial_state=tile_batch(encoder_state, beam_width),
                                beam_width=beam_width, output_layer=projection)
    outputs, state, lengths = dynamic_decode(decoder, maximum_iterations=30)
    outputs.predicted_ids  # [batch, time, beam], best beam first

TF 1.15's own rules, kept: at step 0 only the first beam is live (the others start at
log-probability -inf); a finished beam puts all its mass on end_token and so keeps its
score; the length a beam is scored with counts every token but end_token, the length it
stores counts end_token too; gather_tree fills every step after a beam's first end_token
with end_token.
"""

import collections

import numpy as np

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.seq2seq.attention import AttentionWrapperState
from graphrnn.tf1.api.contrib.seq2seq.decoding import Decoder, embedding_function
from graphrnn.tf1.api.contrib.rnn.wrappers import check_cell, is_layer

nest = tf.nest


class BeamSearchDecoderState(collections.namedtuple(
        "BeamSearchDecoderState", ("cell_state", "log_probs", "finished", "lengths",
                                   "accumulated_attention_probs"))):
    """The cell state [batch, beam, ...], each beam's log-probability, finished flag and
    length [batch, beam], and (with a coverage penalty) the summed attention."""


class BeamSearchDecoderOutput(collections.namedtuple(
        "BeamSearchDecoderOutput", ("scores", "predicted_ids", "parent_ids"))):
    """One step: each beam's score, its new token and the beam it came from [batch, beam]."""


class FinalBeamSearchDecoderOutput(collections.namedtuple(
        "FinalBeamDecoderOutput", ["predicted_ids", "beam_search_decoder_output"])):
    """predicted_ids [batch, time, beam] (best first), traced back through the parents;
    beam_search_decoder_output, the raw steps."""


def _tile_one(t, multiplier):
    t = tf.convert_to_tensor(t, name="t")
    if t.shape.rank is None or t.shape.rank < 1:
        raise ValueError("t must have statically known rank")
    shape = tf.shape(t)
    tiling = [1] * (t.shape.rank + 1)
    tiling[1] = multiplier
    tiled = tf.tile(tf.expand_dims(t, 1), tiling)  # (B, multiplier, ...)
    tiled = tf.reshape(tiled, tf.concat(([shape[0] * multiplier], shape[1:]), 0))
    static_batch = tf.compat.dimension_value(t.shape[0])
    tiled.set_shape(tf.TensorShape([None if static_batch is None else static_batch * multiplier])
                    .concatenate(t.shape[1:]))
    return tiled


def tile_batch(t, multiplier, name=None):
    """tf.contrib.seq2seq.tile_batch: repeat each batch entry `multiplier` times in place,
    [batch, ...] -> [batch * multiplier, ...] as t[0], t[0], ..., t[1], t[1], ...; for a
    nest of tensors."""
    flat = nest.flatten(t)
    with v1.name_scope(name, "tile_batch", flat + [multiplier]):
        return nest.map_structure(lambda one: _tile_one(one, multiplier), t)


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token, name=None):
    """tf.contrib.seq2seq.gather_tree: the full beams from per-step ids and parents.

    Args:
      step_ids, parent_ids: [max_time, batch, beam] int32.
      max_sequence_lengths: [batch] int32; steps at or past it are end_token.
      end_token: int32 scalar; every step after a beam's first end_token becomes it.

    Returns:
      [max_time, batch, beam] int32: beam w follows its parents back from the last step.
    """
    with v1.name_scope(name, "GatherTree", [step_ids, parent_ids, max_sequence_lengths]):
        step_ids = tf.convert_to_tensor(step_ids, name="step_ids")
        parent_ids = tf.convert_to_tensor(parent_ids, name="parent_ids")
        end_token = tf.cast(end_token, step_ids.dtype)
        lengths = tf.cast(max_sequence_lengths, tf.int32)
        max_time, batch, beam = (tf.shape(step_ids)[i] for i in range(3))
        beams_now = tf.tile(tf.range(beam)[None], [batch, 1])  # (B, W): where each beam is

        def back_one_step(carry, elements):
            _, beams_at = carry
            time, ids, parents = elements
            live = (time < lengths)[:, None]  # (B, 1): inside this batch entry's length
            token = tf.where(live, tf.gather(ids, beams_at, batch_dims=1), end_token)
            beams_at = tf.where(live, tf.gather(parents, beams_at, batch_dims=1), beams_at)
            return token, beams_at

        times = tf.range(max_time)
        tokens, _ = tf.scan(back_one_step, (times, step_ids, parent_ids),
                            initializer=(tf.zeros_like(step_ids[0]), beams_now),
                            reverse=True)
        ended_before = tf.cumsum(tf.cast(tf.equal(tokens, end_token), tf.int32), axis=0,
                                 exclusive=True) > 0
        return tf.where(ended_before, end_token, tokens)


def _length_penalty(lengths, penalty_factor):
    """((5 + length) / 6) ** penalty_factor; the scalar 1.0 when the factor is 0."""
    penalty_factor = tf.convert_to_tensor(penalty_factor, name="penalty_factor")
    penalty_factor.set_shape(())
    static = tf.get_static_value(penalty_factor)
    if static is not None and static == 0:
        return 1.0
    return tf.math.divide((5.0 + tf.cast(lengths, tf.float32)) ** penalty_factor,
                          (5.0 + 1.0) ** penalty_factor)


def _attention_probs(cell_state, coverage_penalty_weight):
    """The alignments of the AttentionWrapperState(s) in cell_state, averaged over
    mechanisms and layers, [batch, beam, memory]; None without a coverage penalty."""
    if coverage_penalty_weight == 0.0:
        return None
    states = [cell_state] if isinstance(cell_state, AttentionWrapperState) else [
        s for s in (cell_state if isinstance(cell_state, tuple) else ())
        if isinstance(s, AttentionWrapperState)]
    if not states:
        raise ValueError("coverage_penalty_weight must be 0.0 if no cell is attentional.")
    probs = [tf.reduce_mean(tf.stack(nest.flatten(s.alignments), -1), -1) for s in states]
    return probs[0] if len(probs) == 1 else tf.reduce_mean(tf.stack(probs, -1), -1)


def _scores(log_probs, lengths, length_penalty_weight, coverage_penalty_weight, finished,
            accumulated_attention_probs):
    """log_probs / length penalty, plus for finished beams coverage_penalty_weight *
    sum over memory of log(min(accumulated attention, 1)) (zeros counted as 1)."""
    scores = log_probs / tf.cast(_length_penalty(lengths, length_penalty_weight),
                                 log_probs.dtype)
    weight = tf.convert_to_tensor(coverage_penalty_weight, name="coverage_penalty_weight")
    if weight.shape.rank != 0:
        raise ValueError(f"coverage_penalty_weight should be a scalar, but saw shape: "
                         f"{weight.shape}")
    if tf.get_static_value(weight) == 0.0:
        return scores
    probs = accumulated_attention_probs
    probs = tf.where(tf.equal(probs, 0.0), tf.ones_like(probs), probs)
    coverage = tf.reduce_sum(tf.math.log(tf.minimum(probs, 1.0)), 2)
    coverage *= tf.cast(finished, tf.float32)
    return scores + tf.expand_dims(coverage * weight, 2)


def _mask_finished(log_probs, end_token, finished):
    """Finished beams' rows [batch, beam, vocab] become 0 at end_token, dtype.min
    elsewhere: a finished beam can only be continued by end_token, at no cost."""
    vocab_size = tf.shape(log_probs)[2]
    finished_row = tf.one_hot(end_token, vocab_size, dtype=log_probs.dtype,
                              on_value=tf.constant(0.0, log_probs.dtype),
                              off_value=log_probs.dtype.min)
    return tf.where(finished[:, :, None], finished_row[None, None], log_probs)


def _gather_beams(indices, values, batch_size, beam_width):
    """values [batch, beam, ...] rearranged so beam w takes values[b, indices[b, w]]."""
    if isinstance(values, tf.TensorArray) or values.shape.rank < 2:
        return values
    return tf.gather(values, indices, batch_dims=1)


def _beam_search_step(logits, next_cell_state, beam_state, batch_size, beam_width,
                      end_token, length_penalty_weight, coverage_penalty_weight):
    """One step: extend every live beam by every token, keep the beam_width best scores
    over (beam, token), carry the chosen beams' states, log-probs and lengths along."""
    previously_finished = beam_state.finished
    not_finished = tf.logical_not(previously_finished)
    step_log_probs = _mask_finished(tf.nn.log_softmax(logits), end_token, previously_finished)
    total_probs = tf.expand_dims(beam_state.log_probs, 2) + step_log_probs  # (B, W, V)
    vocab_size = tf.compat.dimension_value(logits.shape[-1]) or tf.shape(logits)[-1]
    # the length each candidate is scored with: end_token does not count
    lengths_to_add = tf.one_hot(tf.fill([batch_size, beam_width], end_token), vocab_size,
                                on_value=np.int64(0), off_value=np.int64(1), dtype=tf.int64)
    lengths_to_add *= tf.expand_dims(tf.cast(not_finished, tf.int64), 2)
    candidate_lengths = lengths_to_add + tf.expand_dims(beam_state.lengths, 2)
    accumulated = None
    attention_probs = _attention_probs(next_cell_state, coverage_penalty_weight)
    if attention_probs is not None:
        attention_probs *= tf.expand_dims(tf.cast(not_finished, tf.float32), 2)
        accumulated = beam_state.accumulated_attention_probs + attention_probs
    scores = _scores(total_probs, candidate_lengths, length_penalty_weight,
                     coverage_penalty_weight, previously_finished, accumulated)
    next_scores, word_indices = tf.nn.top_k(tf.reshape(scores, [batch_size, -1]),
                                            k=beam_width)  # (B, W) over W * V candidates
    static_batch = tf.get_static_value(batch_size)
    next_scores.set_shape([static_batch, beam_width])
    word_indices.set_shape([static_batch, beam_width])
    next_word_ids = tf.cast(tf.math.floormod(word_indices, vocab_size), tf.int32,
                            name="next_beam_word_ids")
    next_beam_ids = tf.cast(tf.math.floordiv(word_indices, vocab_size), tf.int32,
                            name="next_beam_parent_ids")
    next_log_probs = tf.gather(tf.reshape(total_probs, [batch_size, -1]), word_indices,
                               batch_dims=1, name="next_beam_probs")
    previously_finished = tf.gather(previously_finished, next_beam_ids, batch_dims=1)
    next_finished = tf.logical_or(previously_finished, tf.equal(next_word_ids, end_token),
                                  name="next_beam_finished")
    # the length a beam stores: +1 unless it had finished before, end_token included
    next_lengths = (tf.gather(beam_state.lengths, next_beam_ids, batch_dims=1)
                    + tf.cast(tf.logical_not(previously_finished), tf.int64))
    next_accumulated = () if accumulated is None else tf.gather(
        accumulated, next_beam_ids, batch_dims=1, name="next_accumulated_attention_probs")
    for beams in (next_log_probs, next_finished, next_lengths):
        beams.set_shape([static_batch, beam_width])
    next_cell_state = nest.map_structure(
        lambda values: _gather_beams(next_beam_ids, values, batch_size, beam_width),
        next_cell_state)
    state = BeamSearchDecoderState(
        cell_state=next_cell_state, log_probs=next_log_probs, lengths=next_lengths,
        finished=next_finished, accumulated_attention_probs=next_accumulated)
    return BeamSearchDecoderOutput(next_scores, next_word_ids, next_beam_ids), state


class BeamSearchDecoder(Decoder):
    """tf.contrib.seq2seq.BeamSearchDecoder: keeps beam_width hypotheses per batch entry.

    Args:
      cell: an RNNCell, over batch * beam_width rows.
      embedding: a callable of ids, or the params of embedding_lookup.
      start_tokens: [batch_size] int32. end_token: int32 scalar.
      initial_state: the cell's state for batch_size * beam_width rows (tile_batch it;
        with an AttentionWrapper, its zero_state(batch_size * beam_width) cloned).
      beam_width: int. output_layer: an optional layer giving the logits.
      length_penalty_weight: alpha of ((5 + length) / 6) ** alpha; 0 turns it off.
      coverage_penalty_weight: beta of the coverage penalty; needs an AttentionWrapper.
      reorder_tensor_arrays: sort TensorArrays in the final cell state (an alignment
        history) along the chosen beams.
    """

    def __init__(self, cell, embedding, start_tokens, end_token, initial_state, beam_width,
                 output_layer=None, length_penalty_weight=0.0, coverage_penalty_weight=0.0,
                 reorder_tensor_arrays=True):
        check_cell("cell", cell)
        if output_layer is not None and not is_layer(output_layer):
            raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")
        self._cell, self._output_layer = cell, output_layer
        self._reorder_tensor_arrays = reorder_tensor_arrays
        self._beam_width = beam_width
        self._length_penalty_weight = length_penalty_weight
        self._coverage_penalty_weight = coverage_penalty_weight
        self._embedding_fn = embedding_function(embedding)
        self._start_tokens = tf.convert_to_tensor(start_tokens, dtype=tf.int32,
                                                  name="start_tokens")
        if self._start_tokens.shape.rank != 1:
            raise ValueError("start_tokens must be a vector")
        self._end_token = tf.convert_to_tensor(end_token, dtype=tf.int32, name="end_token")
        if self._end_token.shape.rank != 0:
            raise ValueError("end_token must be a scalar")
        self._batch_size = tf.size(start_tokens)
        self._initial_cell_state = nest.map_structure(
            self._maybe_split_batch_beams, initial_state, self._cell.state_size)
        self._start_tokens = tf.tile(tf.expand_dims(self._start_tokens, 1), [1, beam_width])
        self._start_inputs = self._embedding_fn(self._start_tokens)  # (B, W, E)
        self._finished = tf.one_hot(tf.zeros([self._batch_size], tf.int32), depth=beam_width,
                                    on_value=False, off_value=True, dtype=tf.bool)

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def tracks_own_finished(self):
        return True  # beams are reordered every step

    def _rnn_output_size(self):
        size = self._cell.output_size
        if self._output_layer is None:
            return size
        shapes = nest.map_structure(lambda s: tf.TensorShape([None]).concatenate(s), size)
        return nest.map_structure(lambda s: s[1:],
                                  self._output_layer.compute_output_shape(shapes))

    @property
    def output_size(self):
        beams = tf.TensorShape([self._beam_width])
        return BeamSearchDecoderOutput(scores=beams, predicted_ids=beams, parent_ids=beams)

    @property
    def output_dtype(self):
        dtype = nest.flatten(self._initial_cell_state)[0].dtype
        return BeamSearchDecoderOutput(
            scores=nest.map_structure(lambda _: dtype, self._rnn_output_size()),
            predicted_ids=tf.int32, parent_ids=tf.int32)

    def _split_batch_beams(self, t, s):
        """[batch * beam, s] -> [batch, beam, s]."""
        reshaped = tf.reshape(t, tf.concat(([self._batch_size, self._beam_width],
                                            tf.shape(t)[1:]), 0))
        expected = tf.TensorShape([tf.get_static_value(self._batch_size), self._beam_width]
                                  ).concatenate(_as_shape(s))
        if not reshaped.shape.is_compatible_with(expected):
            raise ValueError(
                "Unexpected behavior when reshaping between beam width and batch size.  The "
                f"reshaped tensor has shape: {reshaped.shape}.  We expected it to have shape "
                f"(batch_size, beam_width, depth) == {expected}.  Perhaps you forgot to "
                "create a zero_state with batch_size=encoder_batch_size * beam_width?")
        reshaped.set_shape(expected)
        return reshaped

    def _merge_batch_beams(self, t, s):
        """[batch, beam, s] -> [batch * beam, s]."""
        reshaped = tf.reshape(t, tf.concat(([self._batch_size * self._beam_width],
                                            tf.shape(t)[2:]), 0))
        static = tf.get_static_value(self._batch_size)
        reshaped.set_shape(tf.TensorShape([None if static is None else static * self._beam_width])
                           .concatenate(_as_shape(s)))
        return reshaped

    def _maybe_split_batch_beams(self, t, s):
        if isinstance(t, tf.TensorArray) or t.shape.rank < 1:
            return t
        return self._split_batch_beams(t, s)

    def _maybe_merge_batch_beams(self, t, s):
        if isinstance(t, tf.TensorArray) or t.shape.rank < 2:
            return t
        return self._merge_batch_beams(t, s)

    def initialize(self, name=None):
        """(finished: all beams but the first, start inputs, the initial state: log-prob
        0 for the first beam and -inf for the others, so that step 0 extends one beam)."""
        dtype = nest.flatten(self._initial_cell_state)[0].dtype
        log_probs = tf.one_hot(tf.zeros([self._batch_size], tf.int32), depth=self._beam_width,
                               on_value=tf.constant(0.0, dtype),
                               off_value=tf.constant(-np.inf, dtype), dtype=dtype)
        accumulated = _attention_probs(self._initial_cell_state, self._coverage_penalty_weight)
        state = BeamSearchDecoderState(
            cell_state=self._initial_cell_state, log_probs=log_probs, finished=self._finished,
            lengths=tf.zeros([self._batch_size, self._beam_width], tf.int64),
            accumulated_attention_probs=() if accumulated is None else accumulated)
        return self._finished, self._start_inputs, state

    def step(self, time, inputs, state, name=None):
        """(BeamSearchDecoderOutput, BeamSearchDecoderState, next inputs, finished)."""
        with v1.name_scope(name, "BeamSearchDecoderStep", (time, inputs, state)):
            inputs = nest.map_structure(lambda x: self._merge_batch_beams(x, x.shape[2:]),
                                        inputs)
            cell_state = nest.map_structure(self._maybe_merge_batch_beams, state.cell_state,
                                            self._cell.state_size)
            cell_outputs, next_cell_state = self._cell(inputs, cell_state)
            cell_outputs = nest.map_structure(
                lambda out: self._split_batch_beams(out, out.shape[1:]), cell_outputs)
            next_cell_state = nest.map_structure(self._maybe_split_batch_beams,
                                                 next_cell_state, self._cell.state_size)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            output, beam_state = _beam_search_step(
                cell_outputs, next_cell_state, state, self._batch_size, self._beam_width,
                self._end_token, self._length_penalty_weight, self._coverage_penalty_weight)
            finished = beam_state.finished
            next_inputs = tf.cond(tf.reduce_all(finished), lambda: self._start_inputs,
                                  lambda: self._embedding_fn(output.predicted_ids))
        return output, beam_state, next_inputs, finished

    def finalize(self, outputs, final_state, sequence_lengths):
        """The beams traced back (gather_tree) up to the longest beam's length, and the
        cell state's TensorArrays sorted along them (reorder_tensor_arrays)."""
        max_lengths = tf.cast(tf.reduce_max(final_state.lengths, axis=1), tf.int32)
        predicted_ids = gather_tree(outputs.predicted_ids, outputs.parent_ids,
                                    max_sequence_lengths=max_lengths, end_token=self._end_token)
        if self._reorder_tensor_arrays:
            final_state = final_state._replace(cell_state=nest.map_structure(
                lambda t: self._sort_array_beams(t, outputs.parent_ids, final_state.lengths),
                final_state.cell_state))
        return FinalBeamSearchDecoderOutput(
            beam_search_decoder_output=outputs, predicted_ids=predicted_ids), final_state

    def _sort_array_beams(self, t, parent_ids, lengths):
        """A TensorArray of [batch * beam, s] (or [batch, beam, s]) stacked and sorted
        along the beams' ancestry; anything else as it is."""
        if not isinstance(t, tf.TensorArray):
            return t
        stacked = t.stack()  # (T, batch * beam, s)
        if stacked.shape.rank is None or stacked.shape.rank < 2:
            return t
        return _gather_tree_from_array(stacked, parent_ids, lengths)


def _as_shape(size):
    """A state size as a TensorShape; a size known only at run time is unknown."""
    if tf.is_tensor(size):
        return tf.TensorShape(tf.get_static_value(size))
    return tf.TensorShape(size)


def _gather_tree_from_array(t, parent_ids, sequence_length):
    """t [T, batch * beam (or batch, beam), s...] with the beams of every step put in
    the order of the beams they end in; steps past a beam's length keep their own."""
    max_time, batch_size, beam_width = (tf.shape(parent_ids)[i] for i in range(3))
    beam_ids = tf.tile(tf.range(beam_width)[None, None], [max_time, batch_size, 1])
    max_lengths = tf.cast(tf.reduce_max(sequence_length, axis=1), tf.int32)
    sorted_ids = gather_tree(beam_ids, parent_ids, max_lengths, end_token=beam_width + 1)
    in_bounds = tf.transpose(tf.sequence_mask(sequence_length, maxlen=max_time), [2, 0, 1])
    sorted_ids = tf.where(in_bounds, sorted_ids, beam_ids)
    shape = tf.shape(t)
    grouped = tf.reshape(t, [max_time, batch_size, beam_width, -1])
    ordered = tf.gather(grouped, sorted_ids, batch_dims=2)
    return tf.reshape(ordered, shape)


BEAM_SEARCH = {
    "BeamSearchDecoder": BeamSearchDecoder, "BeamSearchDecoderOutput": BeamSearchDecoderOutput,
    "BeamSearchDecoderState": BeamSearchDecoderState,
    "FinalBeamSearchDecoderOutput": FinalBeamSearchDecoderOutput, "tile_batch": tile_batch,
    "gather_tree": gather_tree,
}
