"""TF 1.15's `tf.contrib.seq2seq` dynamic decoding, rebuilt on tf.compat.v1 for graphrnn-tf1:
`Decoder`, `BasicDecoder`, `BasicDecoderOutput`, `dynamic_decode` and the helpers that feed
a decoder its next input (`TrainingHelper`, `GreedyEmbeddingHelper`, `SampleEmbeddingHelper`,
`ScheduledEmbeddingTrainingHelper`, `ScheduledOutputTrainingHelper`, `InferenceHelper`,
`CustomHelper`).

    helper = GreedyEmbeddingHelper(embedding, start_tokens, end_token)
    decoder = BasicDecoder(cell, helper, initial_state, output_layer=Dense(vocab_size))
    (outputs, state, lengths) = dynamic_decode(decoder, maximum_iterations=20)
    outputs.rnn_output  # [batch_size, time, vocab_size]; outputs.sample_id [batch_size, time]

Variables are TF1's: dynamic_decode opens variable scope `decoder` (or `scope`), and the
cell and output layer called inside it name theirs there (`decoder/basic_lstm_cell/kernel`,
`decoder/dense/kernel`), so checkpoints written by TF 1.x restore.
"""

import abc
import collections

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.rnn.wrappers import check_cell, is_layer

nest = tf.nest


class BasicDecoderOutput(collections.namedtuple("BasicDecoderOutput",
                                                ("rnn_output", "sample_id"))):
    """One decoding step's output: the cell's (or output layer's) output and the sample."""


def _transpose_batch_time(tensor):
    """[batch, time, ...] <-> [time, batch, ...]; tensors of rank < 2 pass through."""
    rank = tensor.shape.rank
    if rank is not None and rank < 2:
        return tensor
    return tf.transpose(tensor, tf.concat([[1, 0], tf.range(2, tf.rank(tensor))], 0))


def zero_state_tensors(size, batch_size, dtype):
    """Zeros of shape [batch_size] + size for every size in a nest, a size being an int,
    a TensorShape or a scalar tensor (TF1's rnn_cell_impl._zero_state_tensors)."""
    def zeros(one_size):
        if tf.is_tensor(one_size):  # known only at run time: a memory's length
            dims, static = tf.reshape(one_size, [1]), tf.TensorShape([None])
        else:
            static = tf.TensorShape(one_size)
            dims = tf.constant(static.as_list(), tf.int32)
        tensor = tf.zeros(tf.concat([tf.reshape(batch_size, [1]), dims], 0), dtype=dtype)
        tensor.set_shape(tf.TensorShape([tf.get_static_value(batch_size)]).concatenate(static))
        return tensor
    return nest.map_structure(zeros, size)


def _unstack_time_major(inputs):
    """A TensorArray over time of a [time, batch, ...] tensor."""
    array = tf.TensorArray(dtype=inputs.dtype, size=tf.shape(inputs)[0],
                           element_shape=inputs.shape[1:])
    return array.unstack(inputs)


def embedding_function(embedding):
    """`embedding` as a function of ids: itself if callable, else a lookup in it."""
    if callable(embedding):
        return embedding
    return lambda ids: v1.nn.embedding_lookup(embedding, ids)


class Decoder(abc.ABC):
    """tf.contrib.seq2seq.Decoder: what dynamic_decode drives. A subclass gives batch_size,
    output_size, output_dtype, initialize() -> (finished, inputs, state) and
    step(time, inputs, state) -> (outputs, next_state, next_inputs, finished); it may give
    finalize(outputs, final_state, sequence_lengths) and tracks_own_finished."""

    @property
    def batch_size(self):
        raise NotImplementedError

    @property
    def output_size(self):
        raise NotImplementedError

    @property
    def output_dtype(self):
        raise NotImplementedError

    @abc.abstractmethod
    def initialize(self, name=None):
        raise NotImplementedError

    @abc.abstractmethod
    def step(self, time, inputs, state, name=None):
        raise NotImplementedError

    def finalize(self, outputs, final_state, sequence_lengths):
        raise NotImplementedError

    @property
    def tracks_own_finished(self):
        """True when the decoder reorders its batch entries (beam search), so that
        dynamic_decode must take its `finished` as it is rather than OR it."""
        return False


def dynamic_decode(decoder, output_time_major=False, impute_finished=False,
                   maximum_iterations=None, parallel_iterations=32, swap_memory=False,
                   scope=None):
    """tf.contrib.seq2seq.dynamic_decode: call decoder.initialize() once, then
    decoder.step() in a while loop until every entry is finished or maximum_iterations.

    Args:
      decoder: a Decoder.
      output_time_major: return [time, batch, ...] outputs instead of [batch, time, ...].
      impute_finished: after an entry finishes, emit zeros for it and carry its state
        through unchanged (so the final state is the one at its end).
      maximum_iterations: int32 scalar, the most steps to run.
      scope: the variable scope; "decoder" by default.

    Returns:
      (final_outputs, final_state, final_sequence_lengths [batch] int32): a sequence's
      length counts the step on which it finished.

    Raises:
      TypeError: `decoder` is not a Decoder. ValueError: maximum_iterations not a scalar.
    """
    if not isinstance(decoder, Decoder):
        raise TypeError(f"Expected decoder to be type Decoder, but saw: {type(decoder)}")
    with v1.variable_scope(scope, "decoder") as varscope:
        if not tf.executing_eagerly() and varscope.caching_device is None:
            varscope.set_caching_device(lambda op: op.device)  # as TF1: read once per step
        if maximum_iterations is not None:
            maximum_iterations = tf.convert_to_tensor(
                maximum_iterations, dtype=tf.int32, name="maximum_iterations")
            if maximum_iterations.shape.rank != 0:
                raise ValueError("maximum_iterations must be a scalar")
        initial_finished, initial_inputs, initial_state = decoder.initialize()
        if maximum_iterations is not None:
            initial_finished = tf.logical_or(initial_finished, 0 >= maximum_iterations)
        initial_lengths = tf.zeros_like(initial_finished, dtype=tf.int32)
        outputs_arrays = nest.map_structure(
            lambda size, dtype: tf.TensorArray(
                dtype=dtype, size=0, dynamic_size=True,
                element_shape=_element_shape(decoder.batch_size, size)),
            decoder.output_size, decoder.output_dtype)

        def not_all_finished(time, arrays, state, inputs, finished, lengths):
            return tf.logical_not(tf.reduce_all(finished))

        result = v1.while_loop(
            not_all_finished, _decoding_step(decoder, impute_finished),
            loop_vars=(tf.constant(0, tf.int32), outputs_arrays, initial_state,
                       initial_inputs, initial_finished, initial_lengths),
            parallel_iterations=parallel_iterations, maximum_iterations=maximum_iterations,
            swap_memory=swap_memory)
        final_outputs = nest.map_structure(lambda array: array.stack(), result[1])
        final_state, final_lengths = result[2], result[5]
        try:
            final_outputs, final_state = decoder.finalize(final_outputs, final_state,
                                                          final_lengths)
        except NotImplementedError:
            pass
        if not output_time_major:
            final_outputs = nest.map_structure(_transpose_batch_time, final_outputs)
    return final_outputs, final_state, final_lengths


def _decoding_step(decoder, impute_finished):
    """The while loop's body: one decoder.step, the finished flags and lengths kept, the
    outputs written (zeros, and the state carried, for finished entries if imputing)."""
    zero_outputs = nest.map_structure(
        lambda size, dtype: zero_state_tensors(size, decoder.batch_size, dtype),
        decoder.output_size, decoder.output_dtype)

    def body(time, arrays, state, inputs, finished, lengths):
        outputs, next_state, next_inputs, step_finished = decoder.step(time, inputs, state)
        next_finished = (step_finished if decoder.tracks_own_finished
                         else tf.logical_or(step_finished, finished))
        # an entry still running at this step has length time + 1
        lengths = tf.where(tf.logical_not(finished),
                           tf.fill(tf.shape(lengths), time + 1), lengths)
        nest.assert_same_structure(state, next_state)
        nest.assert_same_structure(inputs, next_inputs)
        if impute_finished:
            outputs = nest.map_structure(
                lambda out, zero: v1.where(finished, zero, out), outputs, zero_outputs)
            next_state = nest.map_structure(
                lambda new, old: _copy_if_finished(finished, new, old), next_state, state)
        arrays = nest.map_structure(lambda array, out: array.write(time, out),
                                    arrays, outputs)
        return time + 1, arrays, next_state, next_inputs, next_finished, lengths
    return body


def _element_shape(batch_size, size):
    """[batch] + size for a TensorShape output size of rank > 0; else unknown (TF1's)."""
    if not isinstance(size, tf.TensorShape) or size.rank == 0:
        return None
    return tf.TensorShape([tf.get_static_value(batch_size)]).concatenate(size)


def _copy_if_finished(finished, new, old):
    """The old state where an entry had finished; TensorArrays and scalars pass through."""
    if isinstance(old, tf.TensorArray):
        return new
    new.set_shape(old.shape)
    if new.shape.rank == 0:
        return new
    return v1.where(finished, old, new)  # TF1's where: a [batch] condition picks rows


class BasicDecoder(Decoder):
    """tf.contrib.seq2seq.BasicDecoder: one cell step per decoding step, the helper
    choosing each sample and next input.

    Args:
      cell: an RNNCell.
      helper: a Helper.
      initial_state: the cell's initial state (nest of [batch_size, ...]).
      output_layer: an optional tf.layers.Layer (Dense) applied to the cell's output before
        the helper samples from it.
    """

    def __init__(self, cell, helper, initial_state, output_layer=None):
        check_cell("cell", cell)
        if not isinstance(helper, Helper):
            raise TypeError(f"helper must be a Helper, received: {type(helper)}")
        if output_layer is not None and not is_layer(output_layer):
            raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")
        self._cell, self._helper = cell, helper
        self._initial_state, self._output_layer = initial_state, output_layer

    @property
    def batch_size(self):
        return self._helper.batch_size

    def _rnn_output_size(self):
        size = self._cell.output_size
        if self._output_layer is None:
            return size
        shapes = nest.map_structure(lambda s: tf.TensorShape([None]).concatenate(s), size)
        layer_shapes = self._output_layer.compute_output_shape(shapes)
        return nest.map_structure(lambda s: s[1:], layer_shapes)

    @property
    def output_size(self):
        return BasicDecoderOutput(rnn_output=self._rnn_output_size(),
                                  sample_id=self._helper.sample_ids_shape)

    @property
    def output_dtype(self):
        dtype = nest.flatten(self._initial_state)[0].dtype
        return BasicDecoderOutput(
            nest.map_structure(lambda _: dtype, self._rnn_output_size()),
            self._helper.sample_ids_dtype)

    def initialize(self, name=None):
        """(finished, first inputs) from the helper, and the initial state."""
        return self._helper.initialize() + (self._initial_state,)

    def step(self, time, inputs, state, name=None):
        """(BasicDecoderOutput, next_state, next_inputs, finished) for one step."""
        with v1.name_scope(name, "BasicDecoderStep", (time, inputs, state)):
            cell_outputs, cell_state = self._cell(inputs, state)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            sample_ids = self._helper.sample(time=time, outputs=cell_outputs, state=cell_state)
            finished, next_inputs, next_state = self._helper.next_inputs(
                time=time, outputs=cell_outputs, state=cell_state, sample_ids=sample_ids)
        return BasicDecoderOutput(cell_outputs, sample_ids), next_state, next_inputs, finished


class Helper(abc.ABC):
    """tf.contrib.seq2seq.Helper: how a BasicDecoder samples and what it reads next."""

    @property
    def batch_size(self):
        raise NotImplementedError

    @property
    def sample_ids_shape(self):
        raise NotImplementedError

    @property
    def sample_ids_dtype(self):
        raise NotImplementedError

    @abc.abstractmethod
    def initialize(self, name=None):
        """(finished [batch] bool, first inputs)."""

    @abc.abstractmethod
    def sample(self, time, outputs, state, name=None):
        """The sample ids of this step."""

    @abc.abstractmethod
    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        """(finished, next inputs, next state)."""


class CustomHelper(Helper):
    """tf.contrib.seq2seq.CustomHelper: the three steps given as functions.

    initialize_fn() -> (finished, next_inputs); sample_fn(time, outputs, state) ->
    sample_ids; next_inputs_fn(time, outputs, state, sample_ids) -> (finished,
    next_inputs, next_state). The batch size is read off `finished` at initialize()."""

    def __init__(self, initialize_fn, sample_fn, next_inputs_fn, sample_ids_shape=None,
                 sample_ids_dtype=None):
        self._initialize_fn, self._sample_fn = initialize_fn, sample_fn
        self._next_inputs_fn = next_inputs_fn
        self._sample_ids_shape = tf.TensorShape(sample_ids_shape or [])
        self._sample_ids_dtype = sample_ids_dtype or tf.int32
        self._batch_size = None

    @property
    def batch_size(self):
        if self._batch_size is None:
            raise ValueError("batch_size accessed before initialize was called")
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_ids_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_ids_dtype

    def initialize(self, name=None):
        with v1.name_scope(name, f"{type(self).__name__}Initialize"):
            finished, next_inputs = self._initialize_fn()
            if self._batch_size is None:
                self._batch_size = tf.size(finished)
        return finished, next_inputs

    def sample(self, time, outputs, state, name=None):
        with v1.name_scope(name, f"{type(self).__name__}Sample", (time, outputs, state)):
            return self._sample_fn(time=time, outputs=outputs, state=state)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with v1.name_scope(name, f"{type(self).__name__}NextInputs",
                           (time, outputs, state)):
            return self._next_inputs_fn(time=time, outputs=outputs, state=state,
                                        sample_ids=sample_ids)


class TrainingHelper(Helper):
    """tf.contrib.seq2seq.TrainingHelper: teacher forcing. Step t reads inputs[:, t]; an
    entry is finished once t + 1 reaches its sequence_length.

    Args:
      inputs: [batch_size, time, ...] (or [time, batch_size, ...] with time_major).
      sequence_length: [batch_size] int32.
    """

    def __init__(self, inputs, sequence_length, time_major=False, name=None):
        with v1.name_scope(name, "TrainingHelper", [inputs, sequence_length]):
            inputs = tf.convert_to_tensor(inputs, name="inputs")
            self._inputs = inputs
            if not time_major:
                inputs = nest.map_structure(_transpose_batch_time, inputs)
            self._input_arrays = nest.map_structure(_unstack_time_major, inputs)
            self._sequence_length = tf.convert_to_tensor(sequence_length,
                                                         name="sequence_length")
            if self._sequence_length.shape.rank != 1:
                raise ValueError("Expected sequence_length to be a vector, but received "
                                 f"shape: {self._sequence_length.shape}")
            self._zero_inputs = nest.map_structure(lambda step: tf.zeros_like(step[0, :]),
                                                   inputs)
            self._batch_size = tf.size(sequence_length)

    @property
    def inputs(self):
        return self._inputs

    @property
    def sequence_length(self):
        return self._sequence_length

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return tf.TensorShape([])

    @property
    def sample_ids_dtype(self):
        return tf.int32

    def _read(self, time):
        return nest.map_structure(lambda array: array.read(time), self._input_arrays)

    def initialize(self, name=None):
        with v1.name_scope(name, "TrainingHelperInitialize"):
            finished = tf.equal(0, self._sequence_length)
            next_inputs = tf.cond(tf.reduce_all(finished), lambda: self._zero_inputs,
                                  lambda: self._read(0))
            return finished, next_inputs

    def sample(self, time, outputs, name=None, **unused_kwargs):
        with v1.name_scope(name, "TrainingHelperSample", [time, outputs]):
            return tf.cast(tf.argmax(outputs, axis=-1), tf.int32)

    def next_inputs(self, time, outputs, state, name=None, **unused_kwargs):
        with v1.name_scope(name, "TrainingHelperNextInputs", [time, outputs, state]):
            next_time = time + 1
            finished = next_time >= self._sequence_length
            next_inputs = tf.cond(tf.reduce_all(finished), lambda: self._zero_inputs,
                                  lambda: self._read(next_time))
            return finished, next_inputs, state


def _bernoulli(probability, batch_size, seed):
    """[batch_size] bool draws, True with `probability` (TF1's Bernoulli.sample)."""
    uniform = tf.random.uniform([batch_size], seed=seed, dtype=probability.dtype)
    return uniform < probability


def _categorical(logits, seed):
    """One id per row of [batch, classes] logits (TF1's Categorical.sample)."""
    return tf.cast(tf.reshape(v1.multinomial(logits, 1, seed=seed), [-1]), tf.int32)


def _check_probability(probability):
    probability = tf.convert_to_tensor(probability, name="sampling_probability")
    if probability.shape.rank not in (0, 1):
        raise ValueError("sampling_probability must be either a scalar or a vector. "
                         f"saw shape: {probability.shape}")
    return probability


def _merge_rows(take_new, new_rows, base):
    """Rows of `base`, with rows where take_new replaced by new_rows (gathered for them
    only): TF1's scatter_nd of the sampled and the not-sampled rows."""
    where_new = tf.cast(tf.where(take_new), tf.int32)
    where_base = tf.cast(tf.where(tf.logical_not(take_new)), tf.int32)
    shape = tf.shape(base)
    return (tf.scatter_nd(where_new, new_rows(where_new), shape)
            + tf.scatter_nd(where_base, tf.gather_nd(base, where_base), shape))


class ScheduledEmbeddingTrainingHelper(TrainingHelper):
    """tf.contrib.seq2seq.ScheduledEmbeddingTrainingHelper: teacher forcing, except that
    with `sampling_probability` an entry's next input is the embedding of an id sampled
    from its logits (Bengio et al., 2015). sample() gives -1 where it did not sample."""

    def __init__(self, inputs, sequence_length, embedding, sampling_probability,
                 time_major=False, seed=None, scheduling_seed=None, name=None):
        with v1.name_scope(name, "ScheduledEmbeddingSamplingWrapper",
                           [embedding, sampling_probability]):
            self._embedding_fn = embedding_function(embedding)
            self._sampling_probability = _check_probability(sampling_probability)
            self._seed, self._scheduling_seed = seed, scheduling_seed
            super().__init__(inputs=inputs, sequence_length=sequence_length,
                             time_major=time_major, name=name)

    def sample(self, time, outputs, state, name=None):
        with v1.name_scope(name, "ScheduledEmbeddingTrainingHelperSample",
                           [time, outputs, state]):
            select = _bernoulli(self._sampling_probability, self.batch_size,
                                self._scheduling_seed)
            return tf.where(select, _categorical(outputs, self._seed),
                            tf.fill([self.batch_size], -1))

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with v1.name_scope(name, "ScheduledEmbeddingTrainingHelperNextInputs",
                           [time, outputs, state, sample_ids]):
            finished, base_next_inputs, state = super().next_inputs(
                time=time, outputs=outputs, state=state, sample_ids=sample_ids, name=name)

            def sampled():
                return _merge_rows(
                    sample_ids > -1,
                    lambda where: self._embedding_fn(tf.gather_nd(sample_ids, where)),
                    base_next_inputs)

            next_inputs = tf.cond(tf.reduce_all(finished), lambda: base_next_inputs,
                                  sampled)
            return finished, next_inputs, state


class ScheduledOutputTrainingHelper(TrainingHelper):
    """tf.contrib.seq2seq.ScheduledOutputTrainingHelper: teacher forcing, except that with
    `sampling_probability` an entry's next input is this step's output (through
    next_inputs_fn if given, with auxiliary_inputs of the next step appended). sample()
    gives the bool choice."""

    def __init__(self, inputs, sequence_length, sampling_probability, time_major=False,
                 seed=None, next_inputs_fn=None, auxiliary_inputs=None, name=None):
        with v1.name_scope(name, "ScheduledOutputTrainingHelper",
                           [inputs, auxiliary_inputs, sampling_probability]):
            self._sampling_probability = _check_probability(sampling_probability)
            if auxiliary_inputs is None:
                maybe_concatenated = inputs
                self._auxiliary_arrays = None
            else:
                inputs = tf.convert_to_tensor(inputs, name="inputs")
                auxiliary_inputs = tf.convert_to_tensor(auxiliary_inputs,
                                                        name="auxiliary_inputs")
                maybe_concatenated = tf.concat([inputs, auxiliary_inputs], -1)
                if not time_major:
                    auxiliary_inputs = _transpose_batch_time(auxiliary_inputs)
                self._auxiliary_arrays = _unstack_time_major(auxiliary_inputs)
            self._seed, self._next_inputs_fn = seed, next_inputs_fn
            super().__init__(inputs=maybe_concatenated, sequence_length=sequence_length,
                             time_major=time_major, name=name)

    @property
    def sample_ids_dtype(self):
        return tf.bool

    def sample(self, time, outputs, state, name=None):
        with v1.name_scope(name, "ScheduledOutputTrainingHelperSample",
                           [time, outputs, state]):
            return _bernoulli(self._sampling_probability, self.batch_size, self._seed)

    def _with_auxiliary(self, outputs, next_time, where=None):
        if self._auxiliary_arrays is None:
            return outputs
        auxiliary = self._auxiliary_arrays.read(next_time)
        if where is not None:
            auxiliary = tf.gather_nd(auxiliary, where)
        return tf.concat([outputs, auxiliary], -1)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with v1.name_scope(name, "ScheduledOutputTrainingHelperNextInputs",
                           [time, outputs, state, sample_ids]):
            finished, base_next_inputs, state = super().next_inputs(
                time=time, outputs=outputs, state=state, sample_ids=sample_ids, name=name)
            sample_ids = tf.cast(sample_ids, tf.bool)
            next_time = time + 1

            def sampled():
                if self._next_inputs_fn is None:
                    return v1.where(sample_ids,
                                    self._with_auxiliary(outputs, next_time),
                                    base_next_inputs)
                return _merge_rows(
                    sample_ids,
                    lambda where: self._with_auxiliary(
                        self._next_inputs_fn(tf.gather_nd(outputs, where)), next_time, where),
                    base_next_inputs)

            no_samples = tf.logical_not(tf.reduce_any(sample_ids))
            next_inputs = tf.cond(tf.logical_or(tf.reduce_all(finished), no_samples),
                                  lambda: base_next_inputs, sampled)
            return finished, next_inputs, state


class GreedyEmbeddingHelper(Helper):
    """tf.contrib.seq2seq.GreedyEmbeddingHelper: inference that feeds back the embedding of
    the argmax id; an entry finishes when it emits end_token.

    Args:
      embedding: a callable of ids, or the params of embedding_lookup.
      start_tokens: [batch_size] int32. end_token: int32 scalar.
    """

    def __init__(self, embedding, start_tokens, end_token):
        self._embedding_fn = embedding_function(embedding)
        self._start_tokens = tf.convert_to_tensor(start_tokens, dtype=tf.int32,
                                                  name="start_tokens")
        self._end_token = tf.convert_to_tensor(end_token, dtype=tf.int32, name="end_token")
        if self._start_tokens.shape.rank != 1:
            raise ValueError("start_tokens must be a vector")
        if self._end_token.shape.rank != 0:
            raise ValueError("end_token must be a scalar")
        self._batch_size = tf.size(start_tokens)
        self._start_inputs = self._embedding_fn(self._start_tokens)

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return tf.TensorShape([])

    @property
    def sample_ids_dtype(self):
        return tf.int32

    def initialize(self, name=None):
        return tf.tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        if not tf.is_tensor(outputs):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        return tf.argmax(outputs, axis=-1, output_type=tf.int32)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        finished = tf.equal(sample_ids, self._end_token)
        next_inputs = tf.cond(tf.reduce_all(finished), lambda: self._start_inputs,
                              lambda: self._embedding_fn(sample_ids))
        return finished, next_inputs, state


class SampleEmbeddingHelper(GreedyEmbeddingHelper):
    """tf.contrib.seq2seq.SampleEmbeddingHelper: as GreedyEmbeddingHelper, but the id is
    drawn from softmax(logits / softmax_temperature)."""

    def __init__(self, embedding, start_tokens, end_token, softmax_temperature=None,
                 seed=None):
        super().__init__(embedding, start_tokens, end_token)
        self._softmax_temperature, self._seed = softmax_temperature, seed

    def sample(self, time, outputs, state, name=None):
        if not tf.is_tensor(outputs):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        logits = outputs if self._softmax_temperature is None else (
            outputs / self._softmax_temperature)
        return _categorical(logits, self._seed)


class InferenceHelper(Helper):
    """tf.contrib.seq2seq.InferenceHelper: inference on continuous outputs.
    sample_fn(outputs) -> sample ids of sample_shape / sample_dtype; end_fn(sample_ids) ->
    finished; the next input is next_inputs_fn(sample_ids), or the outputs themselves."""

    def __init__(self, sample_fn, sample_shape, sample_dtype, start_inputs, end_fn,
                 next_inputs_fn=None):
        self._sample_fn, self._end_fn = sample_fn, end_fn
        self._sample_shape = tf.TensorShape(sample_shape)
        self._sample_dtype, self._next_inputs_fn = sample_dtype, next_inputs_fn
        self._start_inputs = tf.convert_to_tensor(start_inputs, name="start_inputs")
        self._batch_size = tf.shape(self._start_inputs)[0]

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_dtype

    def initialize(self, name=None):
        return tf.tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        return self._sample_fn(outputs)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        next_inputs = (outputs if self._next_inputs_fn is None
                       else self._next_inputs_fn(sample_ids))
        return self._end_fn(sample_ids), next_inputs, state


DECODING = {
    "Decoder": Decoder, "BasicDecoder": BasicDecoder, "BasicDecoderOutput": BasicDecoderOutput,
    "dynamic_decode": dynamic_decode, "Helper": Helper, "CustomHelper": CustomHelper,
    "TrainingHelper": TrainingHelper, "GreedyEmbeddingHelper": GreedyEmbeddingHelper,
    "SampleEmbeddingHelper": SampleEmbeddingHelper,
    "ScheduledEmbeddingTrainingHelper": ScheduledEmbeddingTrainingHelper,
    "ScheduledOutputTrainingHelper": ScheduledOutputTrainingHelper,
    "InferenceHelper": InferenceHelper,
}
