"""tensorflow.python.ops.rnn_cell_impl's private names of every TF 1.x release, which
research code imported (TF 2.21's module keeps RNNCell, LayerRNNCell and the cells):

    _RNNCell        TF 1.0-1.1's name for RNNCell
    _LayerRNNCell   TF 1.4-1.5's name for LayerRNNCell
    _linear         TF 1.2-1.4: concat(args) @ kernel + bias, in the current scope
    _Linear         TF 1.5-1.6 (then contrib's core_rnn_cell): the same as a class, its
                    variables made once
    RNN_CELL_IMPL   these, and the cells as tf.nn.rnn_cell gives them, over TF 2.21's
                    rnn_cell_impl

and the other modules that held them: CORE_RNN_CELL_IMPL (tf.contrib.rnn.python.ops.
core_rnn_cell_impl of TF 1.0-1.1, whose _linear named its variables weights / biases) and
RNN_CELL (TF 0.12's tensorflow.python.ops.rnn_cell, whose _linear made Linear/Matrix and
Linear/Bias).
"""

from graphrnn.compat import tf, v1

_CELLS = v1.nn.rnn_cell
nest = tf.nest
# tf-keras exports no LayerRNNCell (the base whose build() makes a cell's variables in its
# own scope): it is GRUCell's base. The cells rebuilt here and in contrib derive from it.
LAYER_RNN_CELL = _CELLS.GRUCell.__mro__[1]
assert LAYER_RNN_CELL.__name__ == "LayerRNNCell", LAYER_RNN_CELL


def known_depth(inputs_shape):
    """The input's last dimension, which a cell's build() needs to size its kernel."""
    depth = tf.compat.dimension_value(tf.TensorShape(inputs_shape)[-1])
    if depth is None:
        raise ValueError(f"Expected inputs.shape[-1] to be known, saw shape: {inputs_shape}")
    return depth


class Linear:
    """TF1's _Linear (rnn_cell_impl in TF 1.5-1.6, contrib's core_rnn_cell after):
    concat(args, 1) @ kernel (+ bias), the variables made once, in the current variable
    scope, when the Linear is made.

    Args:
      args: a [batch, n] tensor or a list of them (their widths must be known).
      output_size: int. build_bias: add `bias` (zeros by default).
      names: the two variables' names: TF 1.2-1.15's ("kernel", "bias"); TF 1.0-1.1
        named them ("weights", "biases").
    """

    def __init__(self, args, output_size, build_bias, bias_initializer=None,
                 kernel_initializer=None, names=("kernel", "bias")):
        if args is None or (nest.is_nested(args) and not args):
            raise ValueError("`args` must be specified")
        self._is_sequence = nest.is_nested(args)
        args = nest.flatten(args) if self._is_sequence else [args]
        total_size = 0
        for arg in args:
            if arg.shape.rank != 2:
                raise ValueError(f"linear is expecting 2D arguments: {[a.shape for a in args]}")
            width = tf.compat.dimension_value(arg.shape[1])
            if width is None:
                raise ValueError(f"linear expects shape[1] to be provided for shape "
                                 f"{arg.shape}, but saw {width}")
            total_size += width
        dtype = args[0].dtype
        scope = v1.get_variable_scope()
        with v1.variable_scope(scope) as outer_scope:
            self._weights = v1.get_variable(names[0], [total_size, output_size], dtype=dtype,
                                            initializer=kernel_initializer)
            self._biases = None
            if build_bias:
                with v1.variable_scope(outer_scope) as inner_scope:
                    inner_scope.set_partitioner(None)
                    self._biases = v1.get_variable(
                        names[1], [output_size], dtype=dtype,
                        initializer=bias_initializer or v1.constant_initializer(0.0, dtype))

    def __call__(self, args):
        args = nest.flatten(args) if self._is_sequence else [args]
        result = args[0] @ self._weights if len(args) == 1 else tf.matmul(
            tf.concat(args, 1), self._weights)
        return result if self._biases is None else tf.nn.bias_add(result, self._biases)


def _linear(args, output_size, bias, bias_initializer=None, kernel_initializer=None):
    """TF 1.2-1.4's rnn_cell_impl._linear: sum_i args[i] @ W_i + b as one matmul of the
    concatenated args ([batch, n] each) with `kernel` [sum n, output_size], plus `bias`
    [output_size] (zeros by default), both in the current variable scope. A number as
    bias_initializer is the bias's value (older releases' bias_start, given by position).

    Returns [batch, output_size]."""
    if isinstance(bias_initializer, (int, float)):
        bias_initializer = v1.constant_initializer(bias_initializer)
    return Linear(args, output_size, bias, bias_initializer, kernel_initializer)(args)


def linear_1_0(args, output_size, bias, bias_start=0.0, scope=None):
    """TF 1.0-1.1's core_rnn_cell_impl._linear: the same product, its variables named
    `weights` and `biases` (filled with bias_start), in `scope` if given, else the
    current one."""
    with v1.variable_scope(scope or v1.get_variable_scope()):
        return Linear(args, output_size, bias, v1.constant_initializer(bias_start),
                      names=("weights", "biases"))(args)


def linear_0_12(args, output_size, bias, bias_start=0.0, scope=None):
    """TF 0.12's rnn_cell._linear: the product in a `Linear` scope (or `scope`), with
    variables `Matrix` and `Bias`."""
    with v1.variable_scope(scope or "Linear"):
        return Linear(args, output_size, bias, v1.constant_initializer(bias_start),
                      names=("Matrix", "Bias"))(args)


# the cells as tf.nn.rnn_cell gives them (tf-keras'): TF 2.21's own rnn_cell_impl hands out
# TensorFlow's internal copies, which tf-keras' MultiRNNCell and dynamic_rnn do not know
CELLS = {name: getattr(_CELLS, name) for name in (
    "RNNCell", "BasicRNNCell", "GRUCell", "BasicLSTMCell", "LSTMCell", "LSTMStateTuple",
    "MultiRNNCell", "DropoutWrapper", "ResidualWrapper", "DeviceWrapper")}
RNN_CELL_IMPL = {**CELLS, "LayerRNNCell": LAYER_RNN_CELL, "_RNNCell": _CELLS.RNNCell,
                 "_LayerRNNCell": LAYER_RNN_CELL, "_linear": _linear, "_Linear": Linear}
CORE_RNN_CELL_IMPL = {**CELLS, "_RNNCell": _CELLS.RNNCell, "_linear": linear_1_0}
RNN_CELL = {**CORE_RNN_CELL_IMPL, "_linear": linear_0_12}
