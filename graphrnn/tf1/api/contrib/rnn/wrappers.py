"""TF 1.15's `core_rnn_cell` pieces of `tf.contrib.rnn`, rebuilt for graphrnn-tf1: the
`_Linear` map that legacy_seq2seq and the wrappers build on, the sharded weights of
contrib's LSTM variants (`W_0`, `W_1`, ...), and `EmbeddingWrapper`,
`InputProjectionWrapper`, `OutputProjectionWrapper`.

Variable names are TF1's: a Linear makes `kernel` [sum of input widths, output size] and
`bias` in the variable scope it is made in; the wrappers are cells named
`embedding_wrapper` (with its `embedding`), `input_projection_wrapper` and
`output_projection_wrapper` (with `kernel` and `bias`), the wrapped cell under them.
"""

import math

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.python.ops.rnn_cell_impl import Linear  # TF1's _Linear, kept there

nest = tf.nest
_RNNCell = v1.nn.rnn_cell.RNNCell


def check_cell(name, cell):
    """TF1's assert_like_rnncell: output_size, state_size, zero_state and a call."""
    missing = [attr for attr in ("output_size", "state_size", "zero_state")
               if not hasattr(cell, attr)] + ([] if callable(cell) else ["__call__"])
    if missing:
        raise TypeError(f"The argument {name!r} ({cell}) is not an RNNCell: "
                        f"it lacks {', '.join(missing)}.")


def is_layer(layer):
    """A tf.layers-style layer: callable, with compute_output_shape. Duck-typed, so that
    tf-keras' layers and TensorFlow's internal ones (tensorflow.python.layers.core.Dense,
    which old scripts import) both pass."""
    return callable(layer) and hasattr(layer, "compute_output_shape")


def input_width(inputs, message="Could not infer input size from inputs.get_shape()[-1]"):
    """The known width of a [batch, width] input; ValueError(message), TF1's words for
    the cell at hand, when the graph does not know it."""
    width = tf.compat.dimension_value(inputs.shape.with_rank(2)[-1])
    if width is None:
        raise ValueError(message)
    return width


def sharded_weight(name, shape, dtype, num_shards):
    """TF1's _get_concat_variable: a [rows, cols] weight kept as num_shards row blocks
    <name>_0, <name>_1, ... (as even as can be, the first ones a row longer)."""
    if num_shards > shape[0]:
        raise ValueError(f"Too many shards: shape={shape}, num_shards={num_shards}")
    size, extra = divmod(shape[0], num_shards)
    shards = [v1.get_variable(f"{name}_{i}", [size + (i < extra), *shape[1:]], dtype=dtype)
              for i in range(num_shards)]
    return shards[0] if num_shards == 1 else tf.concat(shards, 0, name=f"{name}/concat")


class _Wrapper(_RNNCell):
    """A cell around another: its state, and zero_state, are the wrapped cell's."""

    def __init__(self, cell, reuse=None):
        super().__init__(_reuse=reuse)
        check_cell("cell", cell)
        self._cell = cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def zero_state(self, batch_size, dtype):
        with v1.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return self._cell.zero_state(batch_size, dtype)


class EmbeddingWrapper(_Wrapper):
    """tf.contrib.rnn.EmbeddingWrapper: the input is [batch] (or [batch, 1]) int ids,
    looked up in `embedding` [embedding_classes, embedding_size] (uniform in +-sqrt(3)
    unless an initializer is given or the scope has one) before the wrapped cell."""

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None,
                 reuse=None):
        super().__init__(cell, reuse)
        if embedding_classes <= 0 or embedding_size <= 0:
            raise ValueError("Both embedding_classes and embedding_size must be > 0: "
                             f"{embedding_classes}, {embedding_size}.")
        self._embedding_classes, self._embedding_size = embedding_classes, embedding_size
        self._initializer = initializer

    def call(self, inputs, state):
        with tf.device("/cpu:0"):
            initializer = (self._initializer or v1.get_variable_scope().initializer
                           or v1.random_uniform_initializer(-math.sqrt(3), math.sqrt(3)))
            dtype = state[0].dtype if isinstance(state, tuple) else state.dtype
            embedding = v1.get_variable(
                "embedding", [self._embedding_classes, self._embedding_size],
                initializer=initializer, dtype=dtype)
            embedded = v1.nn.embedding_lookup(embedding, tf.reshape(inputs, [-1]))
        return self._cell(embedded, state)


class InputProjectionWrapper(_Wrapper):
    """tf.contrib.rnn.InputProjectionWrapper: a Linear (with bias) of the input to
    num_proj units, then `activation`, before the wrapped cell."""

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super().__init__(cell, reuse)
        self._num_proj, self._activation, self._linear = num_proj, activation, None

    def call(self, inputs, state):
        if self._linear is None:
            self._linear = Linear(inputs, self._num_proj, True)
        projected = self._linear(inputs)
        if self._activation:
            projected = self._activation(projected)
        return self._cell(projected, state)


class OutputProjectionWrapper(_Wrapper):
    """tf.contrib.rnn.OutputProjectionWrapper: the wrapped cell's output through a Linear
    (with bias) to output_size, then `activation`."""

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(cell, reuse)
        if output_size < 1:
            raise ValueError(f"Parameter output_size must be > 0: {output_size}.")
        self._output_size, self._activation, self._linear = output_size, activation, None

    @property
    def output_size(self):
        return self._output_size

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        if self._linear is None:
            self._linear = Linear(output, self._output_size, True)
        projected = self._linear(output)
        if self._activation:
            projected = self._activation(projected)
        return projected, new_state


WRAPPERS = {"EmbeddingWrapper": EmbeddingWrapper,
            "InputProjectionWrapper": InputProjectionWrapper,
            "OutputProjectionWrapper": OutputProjectionWrapper}
