"""Cells of TF 1.15's `tf.contrib.rnn` whose equations are published, rebuilt on the
tf-keras legacy cell base for graphrnn-tf1, with TF1's variable names.

    LayerNormBasicLSTMCell  Ba et al. 2016 (layer normalisation inside an LSTM) with
                            Semeniuta et al.'s recurrent dropout: <cell>/kernel, and
                            gamma / beta under input, transform, forget, output, state
    NASCell                 Zoph & Le 2017: <cell>/kernel, recurrent_kernel (8 branches),
                            bias (use_bias), projection_weights (num_proj)
    UGRNNCell               Collins et al. 2017: <cell>/kernel, bias (update gate, candidate)
    IntersectionRNNCell     Collins et al. 2017: <cell>/kernel, bias, and in_projection/...

Each is checked against a NumPy transcription of its paper's equations in the tests.
"""

from graphrnn.compat import tf, v1
from graphrnn.tf1.contrib_layers import layer_norm
from graphrnn.tf1.rnn_wrappers import Linear

_CELLS = v1.nn.rnn_cell
# tf-keras exports no LayerRNNCell (the base whose build() makes the variables in the
# cell's own scope, as TF1's NASCell had): it is GRUCell's base
_LAYER_RNN_CELL = _CELLS.GRUCell.__mro__[1]
assert _LAYER_RNN_CELL.__name__ == "LayerRNNCell", _LAYER_RNN_CELL


def _input_width(inputs):
    width = tf.compat.dimension_value(inputs.shape.with_rank(2)[1])
    if width is None:
        raise ValueError("Could not infer input size from inputs.get_shape()[-1]")
    return width


class LayerNormBasicLSTMCell(_CELLS.RNNCell):
    """tf.contrib.rnn.LayerNormBasicLSTMCell: i, j, f, o = split([x, h] @ kernel), each
    layer-normalised (gain norm_gain, shift norm_shift), then c' = LN(c * sigmoid(f +
    forget_bias) + sigmoid(i) * dropout(tanh(j))), h' = tanh(c') * sigmoid(o). Without
    layer_norm, a bias replaces the normalisations."""

    def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=tf.tanh,
                 layer_norm=True, norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0,
                 dropout_prob_seed=None, reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units, self._activation = num_units, activation
        self._forget_bias, self._keep_prob = forget_bias, dropout_keep_prob
        self._seed, self._layer_norm = dropout_prob_seed, layer_norm
        self._norm_gain, self._norm_shift = norm_gain, norm_shift

    @property
    def state_size(self):
        return _CELLS.LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def _norm(self, inputs, scope, dtype):
        shape = inputs.shape[-1:]
        with v1.variable_scope(scope):
            v1.get_variable("gamma", shape=shape, dtype=dtype,
                            initializer=v1.constant_initializer(self._norm_gain))
            v1.get_variable("beta", shape=shape, dtype=dtype,
                            initializer=v1.constant_initializer(self._norm_shift))
        return layer_norm(inputs, reuse=True, scope=scope)

    def call(self, inputs, state):
        c, h = state
        args = tf.concat([inputs, h], 1)
        kernel = v1.get_variable("kernel", [args.shape[-1], 4 * self._num_units],
                                 dtype=args.dtype)
        concat = tf.matmul(args, kernel)
        if not self._layer_norm:
            bias = v1.get_variable("bias", [4 * self._num_units], dtype=args.dtype)
            concat = tf.nn.bias_add(concat, bias)
        i, j, f, o = tf.split(concat, 4, axis=1)
        if self._layer_norm:
            i, j, f, o = (self._norm(gate, name, args.dtype) for gate, name in zip(
                (i, j, f, o), ("input", "transform", "forget", "output")))
        g = self._activation(j)
        if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
            g = v1.nn.dropout(g, rate=1 - self._keep_prob, seed=self._seed)
        new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * g
        if self._layer_norm:
            new_c = self._norm(new_c, "state", args.dtype)
        new_h = self._activation(new_c) * tf.sigmoid(o)
        return new_h, _CELLS.LSTMStateTuple(new_c, new_h)


class NASCell(_LAYER_RNN_CELL):
    """tf.contrib.rnn.NASCell: the recurrent cell Zoph & Le's architecture search found,
    eight branches of x @ kernel and h @ recurrent_kernel combined in three layers;
    state (c, m), with an optional projection of m to num_proj."""

    _NAS_BASE = 8

    def __init__(self, num_units, num_proj=None, use_bias=False, reuse=None, **kwargs):
        super().__init__(_reuse=reuse, **kwargs)
        self._num_units, self._num_proj, self._use_bias = num_units, num_proj, use_bias
        width = num_units if num_proj is None else num_proj
        self._state_size = _CELLS.LSTMStateTuple(num_units, width)
        self._output_size = width

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        input_size = tf.compat.dimension_value(tf.TensorShape(inputs_shape).with_rank(2)[1])
        if input_size is None:
            raise ValueError("Could not infer input size from inputs.get_shape()[-1]")
        num_proj = self._num_units if self._num_proj is None else self._num_proj
        width = self._NAS_BASE * self._num_units
        self.recurrent_kernel = self.add_weight("recurrent_kernel", [num_proj, width])
        self.kernel = self.add_weight("kernel", [input_size, width])
        if self._use_bias:
            self.bias = self.add_weight("bias", shape=[width],
                                        initializer=v1.zeros_initializer())
        if self._num_proj is not None:
            self.projection_weights = self.add_weight("projection_weights",
                                                      [self._num_units, self._num_proj])
        self.built = True

    def call(self, inputs, state):
        c_prev, m_prev = state
        m_matrix = tf.matmul(m_prev, self.recurrent_kernel)
        if self._use_bias:
            m_matrix = tf.nn.bias_add(m_matrix, self.bias)
        m = tf.split(m_matrix, self._NAS_BASE, axis=1)
        x = tf.split(tf.matmul(inputs, self.kernel), self._NAS_BASE, axis=1)
        sigmoid, tanh, relu = tf.sigmoid, tf.tanh, tf.nn.relu
        layer1 = [sigmoid(x[0] + m[0]), relu(x[1] + m[1]), sigmoid(x[2] + m[2]),
                  relu(x[3] * m[3]), tanh(x[4] + m[4]), sigmoid(x[5] + m[5]),
                  tanh(x[6] + m[6]), sigmoid(x[7] + m[7])]
        l2_0 = tanh(tanh(layer1[0] * layer1[1]) + c_prev)  # the cell injected
        l2_1 = tanh(layer1[2] + layer1[3])
        l2_2 = tanh(layer1[4] * layer1[5])
        l2_3 = sigmoid(layer1[6] + layer1[7])
        new_c = l2_0 * l2_1
        new_m = tanh(new_c * tanh(l2_2 + l2_3))
        if self._num_proj is not None:
            new_m = tf.matmul(new_m, self.projection_weights)
        return new_m, _CELLS.LSTMStateTuple(new_c, new_m)


class UGRNNCell(_CELLS.RNNCell):
    """tf.contrib.rnn.UGRNNCell: g, c = split(Linear([x, h])); g = sigmoid(g +
    forget_bias), h' = g * h + (1 - g) * activation(c)."""

    def __init__(self, num_units, initializer=None, forget_bias=1.0, activation=tf.tanh,
                 reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units, self._initializer = num_units, initializer
        self._forget_bias, self._activation = forget_bias, activation
        self._linear = None

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def call(self, inputs, state):
        _input_width(inputs)
        with v1.variable_scope(v1.get_variable_scope(), initializer=self._initializer):
            cell_inputs = tf.concat([inputs, state], 1)
            if self._linear is None:
                self._linear = Linear(cell_inputs, 2 * self._num_units, True)
            g_act, c_act = tf.split(self._linear(cell_inputs), 2, axis=1)
            g = tf.sigmoid(g_act + self._forget_bias)
            new_state = g * state + (1.0 - g) * self._activation(c_act)
        return new_state, new_state


class IntersectionRNNCell(_CELLS.RNNCell):
    """tf.contrib.rnn.IntersectionRNNCell (+RNN): gates through time (gh) and through
    depth (gy): h' = gh * h + (1 - gh) * tanh(.), y = gy * x + (1 - gy) * y_activation(.);
    inputs wider or narrower than num_units need num_in_proj (a Linear in in_projection)."""

    def __init__(self, num_units, num_in_proj=None, initializer=None, forget_bias=1.0,
                 y_activation=tf.nn.relu, reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units, self._num_input_proj = num_units, num_in_proj
        self._initializer, self._forget_bias = initializer, forget_bias
        self._y_activation = y_activation
        self._linear1 = self._linear2 = None

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def call(self, inputs, state):
        input_size = _input_width(inputs)
        with v1.variable_scope(v1.get_variable_scope(), initializer=self._initializer):
            if input_size != self._num_units:
                if not self._num_input_proj:
                    raise ValueError("Must have input size == output size for Intersection "
                                     "RNN. To fix, num_in_proj should be set to num_units "
                                     "at cell init.")
                with v1.variable_scope("in_projection"):
                    if self._linear1 is None:
                        self._linear1 = Linear(inputs, self._num_units, True)
                    inputs = self._linear1(inputs)
            n = self._num_units
            cell_inputs = tf.concat([inputs, state], 1)
            if self._linear2 is None:
                self._linear2 = Linear(cell_inputs, 4 * n, True)
            matrix = self._linear2(cell_inputs)  # (B, 4n): gh, h, gy, y
            gh = tf.sigmoid(matrix[:, :n] + self._forget_bias)
            h = tf.tanh(matrix[:, n:2 * n])
            gy = tf.sigmoid(matrix[:, 2 * n:3 * n] + self._forget_bias)
            y = self._y_activation(matrix[:, 3 * n:])
            new_state = gh * state + (1.0 - gh) * h
            new_y = gy * inputs + (1.0 - gy) * y
        return new_y, new_state


PAPER_CELLS = {"LayerNormBasicLSTMCell": LayerNormBasicLSTMCell, "NASCell": NASCell,
               "UGRNNCell": UGRNNCell, "IntersectionRNNCell": IntersectionRNNCell}
