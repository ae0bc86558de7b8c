"""TF 1.15's `tf.contrib.seq2seq` attention, rebuilt on tf.compat.v1 for graphrnn-tf1:
`BahdanauAttention` (Bahdanau et al. 2015; `normalize`: Salimans & Kingma's weight
normalisation), `LuongAttention` (Luong et al. 2015; `scale`), their monotonic forms
(Raffel et al. 2017) with `monotonic_attention` and `safe_cumprod`, `hardmax`, and
`AttentionWrapper` / `AttentionWrapperState`.

    mechanism = LuongAttention(num_units, memory, memory_sequence_length=lengths)
    cell = AttentionWrapper(cell, mechanism, attention_layer_size=num_units)
    state = cell.zero_state(batch_size, tf.float32).clone(cell_state=encoder_state)

Variable names are TF 1.15's: the memory layer is built where the mechanism is made
(`memory_layer/kernel`); inside the wrapper's scope (`.../attention_wrapper/`) come the
wrapped cell's, `attention_layer/kernel`, and the mechanism's scoring variables under
`bahdanau_attention/` (`query_layer/kernel`, `attention_v`, `attention_g`, `attention_b`),
`luong_attention/` (`attention_g`) or the monotonic scopes (`attention_score_bias`).
"""

import collections
import functools
import math

import numpy as np

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.seq2seq.decoding import zero_state_tensors
from graphrnn.tf1.api.contrib.rnn.wrappers import check_cell, is_layer

nest = tf.nest
_RNNCell = v1.nn.rnn_cell.RNNCell


def _dim(tensor, axis):
    """The static size of an axis, else its size at run time (TF1's `.value or shape`)."""
    return tf.compat.dimension_value(tensor.shape[axis]) or tf.shape(tensor)[axis]


class AttentionMechanism:
    """tf.contrib.seq2seq.AttentionMechanism: the base every mechanism derives from."""

    @property
    def alignments_size(self):
        raise NotImplementedError

    @property
    def state_size(self):
        raise NotImplementedError


def _prepare_memory(memory, memory_sequence_length, check_inner_dims_defined):
    """The memory as a tensor, its rows past each sequence's length zeroed."""
    memory = nest.map_structure(lambda m: tf.convert_to_tensor(m, name="memory"), memory)
    if check_inner_dims_defined:
        for m in nest.flatten(memory):
            if not m.shape[2:].is_fully_defined():
                raise ValueError(f"Expected memory {m.name} to have fully defined inner "
                                 f"dims, but saw shape: {m.shape}")
    if memory_sequence_length is None:
        return memory
    first = nest.flatten(memory)[0]
    mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(first)[1],
                            dtype=first.dtype)  # (B, T_memory)

    def apply(m):
        extra_ones = tf.ones([m.shape.rank - 2], tf.int32)
        return m * tf.reshape(mask, tf.concat([tf.shape(mask), extra_ones], 0))
    return nest.map_structure(apply, memory)


def _mask_score(score, memory_sequence_length, score_mask_value):
    """Scores past each memory's length set to score_mask_value (-inf by default)."""
    if memory_sequence_length is None:
        return score
    check = v1.assert_positive(
        memory_sequence_length,
        message="All values in memory_sequence_length must be greater than zero.")
    with tf.control_dependencies([check]):
        mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(score)[1])
        return tf.where(mask, score, score_mask_value * tf.ones_like(score))


class _BaseAttentionMechanism(AttentionMechanism):
    """Holds the memory (values), its projection (keys) and the probability function;
    a subclass scores a query against the keys in __call__(query, state)."""

    def __init__(self, query_layer, memory, probability_fn, memory_sequence_length=None,
                 memory_layer=None, check_inner_dims_defined=True, score_mask_value=None,
                 custom_key_value_fn=None, name=None):
        for label, layer in (("query_layer", query_layer), ("memory_layer", memory_layer)):
            if layer is not None and not is_layer(layer):
                raise TypeError(f"{label} is not a Layer: {type(layer).__name__}")
        if not callable(probability_fn):
            raise TypeError("probability_fn must be callable, saw type: "
                            f"{type(probability_fn).__name__}")
        self._query_layer, self._memory_layer = query_layer, memory_layer
        self.dtype = memory_layer.dtype
        if score_mask_value is None:
            score_mask_value = tf.as_dtype(memory_layer.dtype).as_numpy_dtype(-np.inf)
        self._probability_fn = lambda score, previous: probability_fn(
            _mask_score(score, memory_sequence_length, score_mask_value), previous)
        with v1.name_scope(name, "BaseAttentionMechanismInit", nest.flatten(memory)):
            self._values = _prepare_memory(memory, memory_sequence_length,
                                           check_inner_dims_defined)
            self._keys = memory_layer(self._values) if memory_layer else self._values
            if custom_key_value_fn is not None:
                self._keys, self._values = custom_key_value_fn(self._keys, self._values)
            self._batch_size = _dim(self._keys, 0)
            self._alignments_size = _dim(self._keys, 1)

    memory_layer = property(lambda self: self._memory_layer)
    query_layer = property(lambda self: self._query_layer)
    values = property(lambda self: self._values)
    keys = property(lambda self: self._keys)
    batch_size = property(lambda self: self._batch_size)
    alignments_size = property(lambda self: self._alignments_size)
    state_size = property(lambda self: self._alignments_size)

    def initial_alignments(self, batch_size, dtype):
        """Zeros, [batch_size, alignments_size]."""
        return zero_state_tensors(self._alignments_size, batch_size, dtype)

    def initial_state(self, batch_size, dtype):
        return self.initial_alignments(batch_size, dtype)


def _dense(num_units, name, dtype):
    return v1.layers.Dense(num_units, name=name, use_bias=False, dtype=dtype or tf.float32)


def _luong_score(query, keys, scale):
    """(B, D) . (B, T, D) -> (B, T) inner products, times the scalar `scale` if given."""
    depth, key_units = (tf.compat.dimension_value(t.shape[-1]) for t in (query, keys))
    if depth is None or depth != key_units:
        raise ValueError(
            "Incompatible or unknown inner dimensions between query and keys.  Query "
            f"({query}) has units: {depth}.  Keys ({keys}) have units: {key_units}.  "
            f"Perhaps you need to set num_units to the keys' dimension ({key_units})?")
    score = tf.squeeze(tf.matmul(tf.expand_dims(query, 1), keys, transpose_b=True), [1])
    return score if scale is None else scale * score


def _bahdanau_score(processed_query, keys, attention_v, attention_g=None, attention_b=None):
    """sum_d v_d tanh(keys + query) (B, T); normalized: v -> g v / |v|, plus bias b."""
    processed_query = tf.expand_dims(processed_query, 1)  # (B, 1, D)
    if attention_g is not None and attention_b is not None:
        normed_v = attention_g * attention_v * tf.math.rsqrt(
            tf.reduce_sum(tf.square(attention_v)))
        return tf.reduce_sum(normed_v * tf.tanh(keys + processed_query + attention_b), [2])
    return tf.reduce_sum(attention_v * tf.tanh(keys + processed_query), [2])


def _bahdanau_variables(num_units, normalize, dtype):
    """attention_v, and with normalize attention_g (sqrt(1 / num_units)) and
    attention_b (zeros), in the current variable scope."""
    attention_v = v1.get_variable("attention_v", [num_units], dtype=dtype)
    if not normalize:
        return attention_v, None, None
    attention_g = v1.get_variable(
        "attention_g", dtype=dtype, shape=(),
        initializer=v1.constant_initializer(math.sqrt(1.0 / num_units)))
    attention_b = v1.get_variable("attention_b", [num_units], dtype=dtype,
                                  initializer=v1.zeros_initializer())
    return attention_v, attention_g, attention_b


def _luong_scale(scale, dtype):
    if not scale:
        return None
    return v1.get_variable("attention_g", dtype=dtype, shape=(),
                           initializer=v1.ones_initializer())


class LuongAttention(_BaseAttentionMechanism):
    """tf.contrib.seq2seq.LuongAttention: multiplicative scores q . (W_m m_j), softmax.
    The query's depth must equal num_units. `scale` multiplies the score by a learned
    scalar `attention_g` (starts at 1)."""

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False,
                 probability_fn=None, score_mask_value=None, dtype=None,
                 custom_key_value_fn=None, name="LuongAttention"):
        probability_fn = probability_fn or tf.nn.softmax
        super().__init__(
            query_layer=None, memory_layer=_dense(num_units, "memory_layer", dtype),
            memory=memory, probability_fn=lambda score, _: probability_fn(score),
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            custom_key_value_fn=custom_key_value_fn, name=name)
        self._num_units, self._scale, self._name = num_units, scale, name

    def __call__(self, query, state):
        """(alignments [batch, T_memory], next_state (= alignments))."""
        with v1.variable_scope(None, "luong_attention", [query]):
            score = _luong_score(query, self._keys, _luong_scale(self._scale, query.dtype))
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class BahdanauAttention(_BaseAttentionMechanism):
    """tf.contrib.seq2seq.BahdanauAttention: additive scores v . tanh(W_m m_j + W_q q),
    softmax. `normalize` uses the weight-normalised v (attention_g, attention_b)."""

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False,
                 probability_fn=None, score_mask_value=None, dtype=None,
                 custom_key_value_fn=None, name="BahdanauAttention"):
        probability_fn = probability_fn or tf.nn.softmax
        super().__init__(
            query_layer=_dense(num_units, "query_layer", dtype),
            memory_layer=_dense(num_units, "memory_layer", dtype), memory=memory,
            probability_fn=lambda score, _: probability_fn(score),
            custom_key_value_fn=custom_key_value_fn,
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            name=name)
        self._num_units, self._normalize, self._name = num_units, normalize, name

    def __call__(self, query, state):
        """(alignments [batch, T_memory], next_state (= alignments))."""
        with v1.variable_scope(None, "bahdanau_attention", [query]):
            processed_query = self.query_layer(query) if self.query_layer else query
            score = _bahdanau_score(processed_query, self._keys, *_bahdanau_variables(
                self._num_units, self._normalize, query.dtype))
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def safe_cumprod(x, *args, **kwargs):
    """tf.contrib.seq2seq.safe_cumprod: cumprod as exp(cumsum(log x)), x clipped to
    [tiny, 1]; takes tf.cumsum's arguments (axis, exclusive, reverse)."""
    with v1.name_scope(None, "SafeCumprod", [x]):
        x = tf.convert_to_tensor(x, name="x")
        tiny = np.finfo(x.dtype.as_numpy_dtype).tiny
        return tf.exp(tf.cumsum(tf.math.log(tf.clip_by_value(x, tiny, 1)), *args, **kwargs))


def monotonic_attention(p_choose_i, previous_attention, mode):
    """tf.contrib.seq2seq.monotonic_attention: the expected monotonic alignment of Raffel
    et al. 2017 from choosing probabilities p_choose_i [batch, T] and the previous
    step's attention [batch, T].

    mode: 'recursive' (tf.scan over the recurrence, exact), 'parallel' (the closed form
    with cumprod and cumsum, clipped), or 'hard' (p_choose_i all 0 or 1).
    """
    p_choose_i = tf.convert_to_tensor(p_choose_i, name="p_choose_i")
    previous_attention = tf.convert_to_tensor(previous_attention, name="previous_attention")
    if mode == "recursive":
        batch_size = _dim(p_choose_i, 0)
        # [1, 1 - p_0, ..., 1 - p_{T-2}]: q_j = (1 - p_{j-1}) q_{j-1} + a_prev_j
        shifted = tf.concat([tf.ones((batch_size, 1)), 1 - p_choose_i[:, :-1]], 1)
        q = tf.scan(lambda x, yz: tf.reshape(yz[0] * x + yz[1], (batch_size,)),
                    [tf.transpose(shifted), tf.transpose(previous_attention)],
                    tf.zeros((batch_size,)))
        return p_choose_i * tf.transpose(q)
    if mode == "parallel":
        cumprod_1mp = safe_cumprod(1 - p_choose_i, axis=1, exclusive=True)
        return p_choose_i * cumprod_1mp * tf.cumsum(
            previous_attention / tf.clip_by_value(cumprod_1mp, 1e-10, 1.0), axis=1)
    if mode == "hard":
        p_choose_i *= tf.cumsum(previous_attention, axis=1)  # nothing before last time's
        return p_choose_i * tf.math.cumprod(1 - p_choose_i, axis=1, exclusive=True)
    raise ValueError("mode must be 'recursive', 'parallel', or 'hard'.")


def _monotonic_probability_fn(score, previous_alignments, sigmoid_noise, mode, seed=None):
    """Pre-sigmoid noise (if sigmoid_noise > 0), then sigmoid (a step in 'hard' mode),
    then monotonic_attention."""
    if sigmoid_noise > 0:
        score += sigmoid_noise * tf.random.normal(tf.shape(score), dtype=score.dtype,
                                                  seed=seed)
    if mode == "hard":
        p_choose_i = tf.cast(score > 0, score.dtype)
    else:
        p_choose_i = tf.sigmoid(score)
    return monotonic_attention(p_choose_i, previous_alignments, mode)


class _BaseMonotonicAttentionMechanism(_BaseAttentionMechanism):
    def initial_alignments(self, batch_size, dtype):
        """All attention on the first memory entry: [1, 0, ..., 0] per row."""
        return tf.one_hot(tf.zeros((batch_size,), dtype=tf.int32), self._alignments_size,
                          dtype=dtype)


def _score_bias(initial_value, dtype):
    return v1.get_variable("attention_score_bias", dtype=dtype, initializer=initial_value)


def _monotonic(sigmoid_noise, mode, seed):
    """The monotonic mechanisms' probability_fn, with their noise and mode."""
    return functools.partial(_monotonic_probability_fn, sigmoid_noise=sigmoid_noise,
                             mode=mode, seed=seed)


class BahdanauMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """tf.contrib.seq2seq.BahdanauMonotonicAttention: Bahdanau scores plus a learned
    scalar `attention_score_bias`, through the monotonic probability function."""

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False,
                 score_mask_value=None, sigmoid_noise=0., sigmoid_noise_seed=None,
                 score_bias_init=0., mode="parallel", dtype=None,
                 name="BahdanauMonotonicAttention"):
        super().__init__(
            query_layer=_dense(num_units, "query_layer", dtype),
            memory_layer=_dense(num_units, "memory_layer", dtype), memory=memory,
            probability_fn=_monotonic(sigmoid_noise, mode, sigmoid_noise_seed),
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            name=name)
        self._num_units, self._normalize, self._name = num_units, normalize, name
        self._score_bias_init = score_bias_init

    def __call__(self, query, state):
        with v1.variable_scope(None, "bahdanau_monotonic_attention", [query]):
            processed_query = self.query_layer(query) if self.query_layer else query
            score = _bahdanau_score(processed_query, self._keys, *_bahdanau_variables(
                self._num_units, self._normalize, query.dtype))
            score += _score_bias(self._score_bias_init, processed_query.dtype)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class LuongMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """tf.contrib.seq2seq.LuongMonotonicAttention: Luong scores plus a learned scalar
    `attention_score_bias`, through the monotonic probability function."""

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False,
                 score_mask_value=None, sigmoid_noise=0., sigmoid_noise_seed=None,
                 score_bias_init=0., mode="parallel", dtype=None,
                 name="LuongMonotonicAttention"):
        super().__init__(
            query_layer=None, memory_layer=_dense(num_units, "memory_layer", dtype),
            memory=memory,
            probability_fn=_monotonic(sigmoid_noise, mode, sigmoid_noise_seed),
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            name=name)
        self._num_units, self._scale, self._name = num_units, scale, name
        self._score_bias_init = score_bias_init

    def __call__(self, query, state):
        with v1.variable_scope(None, "luong_monotonic_attention", [query]):
            score = _luong_score(query, self._keys, _luong_scale(self._scale, query.dtype))
            score += _score_bias(self._score_bias_init, query.dtype)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def hardmax(logits, name=None):
    """tf.contrib.seq2seq.hardmax: one-hot of the argmax over the last axis."""
    with v1.name_scope(name, "Hardmax", [logits]):
        logits = tf.convert_to_tensor(logits, name="logits")
        depth = _dim(logits, -1)
        return tf.one_hot(tf.argmax(logits, -1), depth, dtype=logits.dtype)


class AttentionWrapperState(collections.namedtuple(
        "AttentionWrapperState", ("cell_state", "attention", "time", "alignments",
                                  "alignment_history", "attention_state"))):
    """The state of an AttentionWrapper: the wrapped cell's state, the last attention
    [batch, attention_size], the int32 step, the last alignments (one per mechanism),
    their history (a TensorArray per mechanism, or ()) and the mechanisms' states."""

    def clone(self, **kwargs):
        """This state with the given fields replaced; a new tensor must have a shape
        compatible with the one it replaces, and takes its static shape."""
        def with_same_shape(old, new):
            if tf.is_tensor(old) and tf.is_tensor(new) and not isinstance(
                    old, tf.TensorArray):
                if not old.shape.is_compatible_with(new.shape):
                    raise ValueError(f"Shapes {old.shape} and {new.shape} are incompatible")
                if not tf.executing_eagerly():
                    new = tf.identity(new)
                    new.set_shape(old.shape)
            return new
        return nest.map_structure(with_same_shape, self, self._replace(**kwargs))


def _compute_attention(attention_mechanism, cell_output, attention_state, attention_layer):
    """(attention, alignments, next attention state) for one mechanism: the context is
    the alignment-weighted sum of the memory; the attention is the attention layer of
    [cell output, context], or the context itself."""
    alignments, next_attention_state = attention_mechanism(cell_output, state=attention_state)
    # (B, 1, T_memory) x (B, T_memory, D_memory) -> (B, D_memory)
    context = tf.squeeze(tf.matmul(tf.expand_dims(alignments, 1),
                                   attention_mechanism.values), [1])
    if attention_layer is None:
        return context, alignments, next_attention_state
    attention = attention_layer(tf.concat([cell_output, context], 1))
    return attention, alignments, next_attention_state


def _as_tuple(value):
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


class AttentionWrapper(_RNNCell):
    """tf.contrib.seq2seq.AttentionWrapper: a cell that attends after every step.

    Each step: cell input = cell_input_fn(inputs, previous attention) (concatenation by
    default); run the cell; each mechanism scores the cell output against its memory;
    context = alignment-weighted memory; attention = attention_layer([output, context])
    (no bias) or the context; the output is the attention (output_attention) or the
    cell's output. Several mechanisms give one attention each, concatenated.

    Args:
      cell: the RNNCell to wrap.
      attention_mechanism: one AttentionMechanism or a list of them.
      attention_layer_size: an int (or a list, one per mechanism): the attention layer's
        width; None uses the context as the attention.
      alignment_history: keep every step's alignments in the state (a TensorArray).
      cell_input_fn: (inputs, attention) -> the cell's input.
      output_attention: emit the attention (Luong) rather than the cell output (Bahdanau).
      initial_cell_state: the cell state zero_state() starts from.
      attention_layer: instead of attention_layer_size, layers of your own.
      attention_fn: instead of the default, (mechanism, cell_output, attention_state,
        attention_layer) -> (attention, alignments, next_attention_state).
    """

    def __init__(self, cell, attention_mechanism, attention_layer_size=None,
                 alignment_history=False, cell_input_fn=None, output_attention=True,
                 initial_cell_state=None, name=None, attention_layer=None,
                 attention_fn=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        check_cell("cell", cell)
        self._is_multi = isinstance(attention_mechanism, (list, tuple))
        mechanisms = _as_tuple(attention_mechanism)
        for mechanism in mechanisms:
            if not isinstance(mechanism, AttentionMechanism):
                raise TypeError(
                    "attention_mechanism must be an AttentionMechanism or list of multiple "
                    f"AttentionMechanism instances, saw type: {type(mechanism).__name__}")
        if cell_input_fn is None:
            cell_input_fn = lambda inputs, attention: tf.concat([inputs, attention], -1)  # noqa: E731,E501
        elif not callable(cell_input_fn):
            raise TypeError("cell_input_fn must be callable, saw type: "
                            f"{type(cell_input_fn).__name__}")
        if attention_layer_size is not None and attention_layer is not None:
            raise ValueError("Only one of attention_layer_size and attention_layer should "
                             "be set")
        self._attention_layers, self._attention_layer_size = self._make_attention_layers(
            cell, mechanisms, attention_layer_size, attention_layer)
        self._attention_fn = attention_fn or _compute_attention
        self._cell, self._attention_mechanisms = cell, mechanisms
        self._cell_input_fn, self._output_attention = cell_input_fn, output_attention
        self._alignment_history = alignment_history
        self._initial_cell_state = None
        if initial_cell_state is not None:
            with v1.name_scope(name, "AttentionWrapperInit"):
                self._initial_cell_state = self._checked(
                    initial_cell_state, "check_initial_cell_state",
                    f"When constructing AttentionWrapper {self._base_name}: ")

    @staticmethod
    def _make_attention_layers(cell, mechanisms, attention_layer_size, attention_layer):
        """(the attention layers or None, the attention's total width)."""
        if attention_layer_size is not None:
            sizes = _as_tuple(attention_layer_size)
            if len(sizes) != len(mechanisms):
                raise ValueError(
                    "If provided, attention_layer_size must contain exactly one integer per "
                    f"attention_mechanism, saw: {len(sizes)} vs {len(mechanisms)}")
            layers = tuple(v1.layers.Dense(size, name="attention_layer", use_bias=False,
                                           dtype=mechanism.dtype)
                           for size, mechanism in zip(sizes, mechanisms))
            return layers, sum(sizes)
        widths = [tf.compat.dimension_value(m.values.shape[-1]) for m in mechanisms]
        if attention_layer is None:
            return None, sum(widths)
        layers = _as_tuple(attention_layer)
        if len(layers) != len(mechanisms):
            raise ValueError(
                "If provided, attention_layer must contain exactly one layer per "
                f"attention_mechanism, saw: {len(layers)} vs {len(mechanisms)}")
        size = sum(tf.compat.dimension_value(layer.compute_output_shape(
            [None, cell.output_size + width])[-1]) for layer, width in zip(layers, widths))
        return layers, size

    def _checked(self, state, name, context):
        """The state, behind a check that its batch size is the memory's."""
        last = nest.flatten(state)[-1]
        message = (context + "Non-matching batch sizes between the memory (encoder output) "
                   "and initial_cell_state.  Are you using the BeamSearchDecoder?  You may "
                   "need to tile your initial state via the tf.contrib.seq2seq.tile_batch "
                   "function with argument multiple=beam_width.")
        with tf.control_dependencies(self._batch_size_checks(_dim(last, 0), message)):
            return nest.map_structure(lambda s: tf.identity(s, name=name), state)

    def _batch_size_checks(self, batch_size, message):
        return [v1.assert_equal(batch_size, mechanism.batch_size, message=message)
                for mechanism in self._attention_mechanisms]

    def _item_or_tuple(self, seq):
        items = tuple(seq)
        return items if self._is_multi else items[0]

    @property
    def output_size(self):
        return self._attention_layer_size if self._output_attention else self._cell.output_size

    @property
    def state_size(self):
        mechanisms = self._attention_mechanisms
        return AttentionWrapperState(
            cell_state=self._cell.state_size, time=tf.TensorShape([]),
            attention=self._attention_layer_size,
            alignments=self._item_or_tuple(m.alignments_size for m in mechanisms),
            attention_state=self._item_or_tuple(m.state_size for m in mechanisms),
            alignment_history=self._item_or_tuple(
                m.alignments_size if self._alignment_history else () for m in mechanisms))

    def zero_state(self, batch_size, dtype):
        """The initial AttentionWrapperState: the cell's zero (or initial_cell_state),
        zero attention, each mechanism's initial alignments, empty histories."""
        with v1.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            if self._initial_cell_state is not None:
                cell_state = self._initial_cell_state
            else:
                cell_state = self._cell.zero_state(batch_size, dtype)
            message = (
                f"When calling zero_state of AttentionWrapper {self._base_name}: Non-matching "
                "batch sizes between the memory (encoder output) and the requested batch "
                "size.  Are you using the BeamSearchDecoder?  If so, make sure your encoder "
                "output has been tiled to beam_width via tf.contrib.seq2seq.tile_batch, and "
                "the batch_size= argument passed to zero_state is batch_size * beam_width.")
            with tf.control_dependencies(self._batch_size_checks(batch_size, message)):
                cell_state = nest.map_structure(
                    lambda s: tf.identity(s, name="checked_cell_state"), cell_state)
            alignments = [m.initial_alignments(batch_size, dtype)
                          for m in self._attention_mechanisms]
            return AttentionWrapperState(
                cell_state=cell_state, time=tf.zeros([], dtype=tf.int32),
                attention=zero_state_tensors(self._attention_layer_size, batch_size, dtype),
                alignments=self._item_or_tuple(alignments),
                attention_state=self._item_or_tuple(
                    m.initial_state(batch_size, dtype) for m in self._attention_mechanisms),
                alignment_history=self._item_or_tuple(
                    tf.TensorArray(dtype, size=0, dynamic_size=True,
                                   element_shape=alignment.shape)
                    if self._alignment_history else () for alignment in alignments))

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            batch_size, dtype = _dim(inputs, 0), inputs.dtype
        return self.zero_state(batch_size, dtype)

    def call(self, inputs, state):
        """(attention or cell output, next AttentionWrapperState) for one step."""
        if not isinstance(state, AttentionWrapperState):
            raise TypeError("Expected state to be instance of AttentionWrapperState. "
                            f"Received type {type(state)} instead.")
        cell_inputs = self._cell_input_fn(inputs, state.attention)
        cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
        message = (f"When applying AttentionWrapper {self.name}: Non-matching batch sizes "
                   "between the memory (encoder output) and the query (decoder output).  Are "
                   "you using the BeamSearchDecoder?  You may need to tile your memory input "
                   "via the tf.contrib.seq2seq.tile_batch function with argument "
                   "multiple=beam_width.")
        with tf.control_dependencies(self._batch_size_checks(_dim(cell_output, 0), message)):
            cell_output = tf.identity(cell_output, name="checked_cell_output")
        states = state.attention_state if self._is_multi else [state.attention_state]
        histories = state.alignment_history if self._is_multi else [state.alignment_history]
        attentions, alignments, next_states, next_histories = [], [], [], []
        for i, mechanism in enumerate(self._attention_mechanisms):
            layer = self._attention_layers[i] if self._attention_layers else None
            attention, alignment, next_attention_state = self._attention_fn(
                mechanism, cell_output, states[i], layer)
            attentions.append(attention)
            alignments.append(alignment)
            next_states.append(next_attention_state)
            next_histories.append(histories[i].write(state.time, alignment)
                                  if self._alignment_history else ())
        attention = tf.concat(attentions, 1)
        next_state = AttentionWrapperState(
            time=state.time + 1, cell_state=next_cell_state, attention=attention,
            attention_state=self._item_or_tuple(next_states),
            alignments=self._item_or_tuple(alignments),
            alignment_history=self._item_or_tuple(next_histories))
        return (attention if self._output_attention else cell_output), next_state


ATTENTION = {
    "AttentionMechanism": AttentionMechanism, "AttentionWrapper": AttentionWrapper,
    "AttentionWrapperState": AttentionWrapperState, "LuongAttention": LuongAttention,
    "BahdanauAttention": BahdanauAttention, "hardmax": hardmax, "safe_cumprod": safe_cumprod,
    "monotonic_attention": monotonic_attention,
    "BahdanauMonotonicAttention": BahdanauMonotonicAttention,
    "LuongMonotonicAttention": LuongMonotonicAttention,
}
