"""Cells of TF 1.15's `tf.contrib.rnn` whose equations are published, rebuilt on the
tf-keras legacy cell base for graphrnn-tf1, with TF1's variable names.

    LayerNormBasicLSTMCell  Ba et al. 2016 (layer normalisation inside an LSTM) with
                            Semeniuta et al.'s recurrent dropout: <cell>/kernel, and
                            gamma / beta under input, transform, forget, output, state
    NASCell                 Zoph & Le 2017: <cell>/kernel, recurrent_kernel (8 branches),
                            bias (use_bias), projection_weights (num_proj)
    UGRNNCell               Collins et al. 2017: <cell>/kernel, bias (update gate, candidate)
    IntersectionRNNCell     Collins et al. 2017: <cell>/kernel, bias, and in_projection/...
    CoupledInputForgetGateLSTMCell  Greff et al. 2015 (CIFG), with Sak et al.'s peepholes
                            and projection: W_0.., B, W_F_diag, W_O_diag, W_P_0..
    IndRNNCell, IndyGRUCell, IndyLSTMCell  Li et al. 2018 and its gated kin: diagonal
                            recurrent weights (kernel_u)
    HighwayWrapper          Srivastava et al. 2015: carry_w, carry_b (transform_w, _b)
    AttentionCellWrapper    Cheng et al. 2016: attention over the cell's last outputs
    PhasedLSTMCell          Neil et al. 2016: mask_gates/, new_input/, output_gate/
                            (kernel, bias), period, phase, ratio_on
    GLSTMCell               Kuchaiev & Ginsburg 2017: group<g>/kernel, bias_i, bias_j,
                            bias_f, bias_o, projection/kernel

PAPER_CELLS, the table of tf.contrib.rnn's cells of papers, also holds those of
grid_cells (TimeFreqLSTMCell, GridLSTMCell, BidirectionalGridLSTMCell) and
conv_lstm_cells (ConvLSTMCell, Conv1D/2D/3DLSTMCell).

Each is checked against a NumPy transcription of its paper's equations in the tests.
"""

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.layers.layers import layer_norm
from graphrnn.tf1.api.contrib.rnn.conv_lstm_cells import CONV_LSTM_CELLS
from graphrnn.tf1.api.contrib.rnn.grid_cells import GRID_CELLS
from graphrnn.tf1.api.contrib.rnn.wrappers import Linear, input_width, sharded_weight
from graphrnn.tf1.api.python.ops.rnn_cell_impl import LAYER_RNN_CELL, known_depth

_CELLS = v1.nn.rnn_cell


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


class NASCell(LAYER_RNN_CELL):
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
        input_width(inputs)
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
        input_size = input_width(inputs)
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


class CoupledInputForgetGateLSTMCell(_CELLS.RNNCell):
    """tf.contrib.rnn.CoupledInputForgetGateLSTMCell (Greff et al. 2015's CIFG): the input
    gate is 1 - the forget gate. j, f, o = split([x, m] @ W + B); c' = f c + (1 - f) tanh(j)
    (f with forget_bias and the W_F_diag peephole); m' = sigmoid(o) tanh(c') (o with the
    W_O_diag peephole), projected by W_P (num_proj). Variables W_0.., B, W_F_diag,
    W_O_diag, W_P_0..; with layer_norm, gamma / beta under transform, forget, output, state
    instead of B's use."""

    def __init__(self, num_units, use_peepholes=False, initializer=None, num_proj=None,
                 proj_clip=None, num_unit_shards=1, num_proj_shards=1, forget_bias=1.0,
                 state_is_tuple=True, activation=tf.tanh, reuse=None, layer_norm=False,
                 norm_gain=1.0, norm_shift=0.0):
        super().__init__(_reuse=reuse)
        self._num_units, self._use_peepholes = num_units, use_peepholes
        self._initializer, self._num_proj, self._proj_clip = initializer, num_proj, proj_clip
        self._num_unit_shards, self._num_proj_shards = num_unit_shards, num_proj_shards
        self._forget_bias, self._state_is_tuple = forget_bias, state_is_tuple
        self._activation, self._layer_norm = activation, layer_norm
        self._norm_gain, self._norm_shift = norm_gain, norm_shift
        width = num_proj or num_units
        self._state_size = (_CELLS.LSTMStateTuple(num_units, width) if state_is_tuple
                            else num_units + width)
        self._output_size = width

    state_size = property(lambda self: self._state_size)
    output_size = property(lambda self: self._output_size)

    def _norm(self, inputs, scope):
        with v1.variable_scope(scope):
            v1.get_variable("gamma", shape=inputs.shape[-1:],
                            initializer=v1.constant_initializer(self._norm_gain))
            v1.get_variable("beta", shape=inputs.shape[-1:],
                            initializer=v1.constant_initializer(self._norm_shift))
        return layer_norm(inputs, reuse=True, scope=scope)

    def call(self, inputs, state):
        sigmoid, units = tf.sigmoid, self._num_units
        num_proj = self._num_proj or units
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev, m_prev = state[:, :units], state[:, units:units + num_proj]
        dtype, input_size = inputs.dtype, input_width(inputs)
        weights = sharded_weight("W", [input_size + num_proj, 3 * units], dtype,
                                 self._num_unit_shards)
        bias = v1.get_variable("B", shape=[3 * units], initializer=v1.zeros_initializer(),
                               dtype=dtype)
        matrix = tf.matmul(tf.concat([inputs, m_prev], 1), weights)
        if not self._layer_norm:
            matrix = tf.nn.bias_add(matrix, bias)
        j, f, o = tf.split(matrix, 3, axis=1)
        if self._layer_norm:
            j, f, o = (self._norm(g, n) for g, n in zip((j, f, o),
                                                        ("transform", "forget", "output")))
        if self._use_peepholes:
            w_f_diag = v1.get_variable("W_F_diag", shape=[units], dtype=dtype)
            w_o_diag = v1.get_variable("W_O_diag", shape=[units], dtype=dtype)
            f_act = sigmoid(f + self._forget_bias + w_f_diag * c_prev)
        else:
            f_act = sigmoid(f + self._forget_bias)
        c = f_act * c_prev + (1 - f_act) * self._activation(j)
        if self._layer_norm:
            c = self._norm(c, "state")
        o_act = sigmoid(o + w_o_diag * c) if self._use_peepholes else sigmoid(o)
        m = o_act * self._activation(c)
        if self._num_proj is not None:
            m = tf.matmul(m, sharded_weight("W_P", [units, self._num_proj], dtype,
                                            self._num_proj_shards))
            if self._proj_clip is not None:
                m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = (_CELLS.LSTMStateTuple(c, m) if self._state_is_tuple
                     else tf.concat([c, m], 1))
        return m, new_state


class IndRNNCell(LAYER_RNN_CELL):
    """tf.contrib.rnn.IndRNNCell (Li et al. 2018): h' = activation(x @ kernel_w +
    kernel_u * h + bias), each unit seeing only its own state (kernel_u [1, H])."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units, self._activation = num_units, activation or tf.tanh

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, inputs_shape):
        depth = known_depth(inputs_shape)
        self._kernel_w = self.add_weight("kernel_w", shape=[depth, self._num_units])
        self._kernel_u = self.add_weight("kernel_u", shape=[1, self._num_units],
                                         initializer=v1.random_uniform_initializer(-1, 1))
        self._bias = self.add_weight("bias", shape=[self._num_units],
                                     initializer=v1.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        output = self._activation(tf.nn.bias_add(
            tf.matmul(inputs, self._kernel_w) + state * self._kernel_u, self._bias))
        return output, output


class IndyGRUCell(LAYER_RNN_CELL):
    """tf.contrib.rnn.IndyGRUCell: a GRUCell whose recurrent matrices are diagonal
    (gates/kernel_u, candidate/kernel_u [1, .]): r, u = sigmoid(x W_g + tile(h) u_g + b_g);
    h' = u h + (1 - u) activation(x W_c + u_c (r h) + b_c). TF1's names: gates/kernel_w,
    gates/kernel_u, gates/bias (starts at 1), candidate/kernel, candidate/kernel_u,
    candidate/bias."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units, self._activation = num_units, activation or tf.tanh
        self._kernel_initializer, self._bias_initializer = kernel_initializer, bias_initializer

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, inputs_shape):
        depth, units = known_depth(inputs_shape), self._num_units
        uniform = v1.random_uniform_initializer(-1, 1)
        self._gate_w = self.add_weight("gates/kernel_w", shape=[depth, 2 * units],
                                       initializer=self._kernel_initializer)
        self._gate_u = self.add_weight("gates/kernel_u", shape=[1, 2 * units],
                                       initializer=uniform)
        self._gate_bias = self.add_weight(
            "gates/bias", shape=[2 * units],
            initializer=self._bias_initializer or v1.constant_initializer(1.0))
        self._candidate_w = self.add_weight("candidate/kernel", shape=[depth, units],
                                            initializer=self._kernel_initializer)
        self._candidate_u = self.add_weight("candidate/kernel_u", shape=[1, units],
                                            initializer=uniform)
        self._candidate_bias = self.add_weight(
            "candidate/bias", shape=[units],
            initializer=self._bias_initializer or v1.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        gates = tf.sigmoid(tf.nn.bias_add(tf.matmul(inputs, self._gate_w)
                                          + tf.tile(state, [1, 2]) * self._gate_u,
                                          self._gate_bias))
        r, u = tf.split(gates, 2, axis=1)
        candidate = tf.nn.bias_add(tf.matmul(inputs, self._candidate_w)
                                   + (r * state) * self._candidate_u, self._candidate_bias)
        new_h = u * state + (1 - u) * self._activation(candidate)
        return new_h, new_h


class IndyLSTMCell(LAYER_RNN_CELL):
    """tf.contrib.rnn.IndyLSTMCell: a BasicLSTMCell whose recurrent matrices are diagonal
    (kernel_u [1, 4H]): i, j, f, o = split(x kernel_w + tile(h) kernel_u + bias);
    c' = c sigmoid(f + forget_bias) + sigmoid(i) activation(j), h' = activation(c')
    sigmoid(o)."""

    def __init__(self, num_units, forget_bias=1.0, activation=None, reuse=None,
                 kernel_initializer=None, bias_initializer=None, name=None, dtype=None):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units, self._forget_bias = num_units, forget_bias
        self._activation = activation or tf.tanh
        self._kernel_initializer, self._bias_initializer = kernel_initializer, bias_initializer

    @property
    def state_size(self):
        return _CELLS.LSTMStateTuple(self._num_units, self._num_units)

    output_size = property(lambda self: self._num_units)

    def build(self, inputs_shape):
        depth, width = known_depth(inputs_shape), 4 * self._num_units
        self._kernel_w = self.add_weight("kernel_w", shape=[depth, width],
                                         initializer=self._kernel_initializer)
        self._kernel_u = self.add_weight("kernel_u", shape=[1, width],
                                         initializer=v1.random_uniform_initializer(-1, 1))
        self._bias = self.add_weight("bias", shape=[width],
                                     initializer=self._bias_initializer or v1.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        c, h = state
        gates = tf.nn.bias_add(tf.matmul(inputs, self._kernel_w)
                               + tf.tile(h, [1, 4]) * self._kernel_u, self._bias)
        i, j, f, o = tf.split(gates, 4, axis=1)
        new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * self._activation(j)
        new_h = self._activation(new_c) * tf.sigmoid(o)
        return new_h, _CELLS.LSTMStateTuple(new_c, new_h)


class HighwayWrapper:
    """tf.contrib.rnn.HighwayWrapper (Srivastava et al. 2015): the wrapped cell's output
    mixed with its input, out' = x * carry + out * transform, carry = sigmoid(x carry_w +
    carry_b) (starts at carry_bias_init), transform = 1 - carry or its own gate. As TF1,
    carry_w / carry_b (transform_w / _b) are made in the scope the wrapper is called in."""

    def __init__(self, cell, couple_carry_transform_gates=True, carry_bias_init=1.0):
        self._cell = cell
        self._couple, self._carry_bias_init = couple_carry_transform_gates, carry_bias_init

    state_size = property(lambda self: self._cell.state_size)
    output_size = property(lambda self: self._cell.output_size)

    def zero_state(self, batch_size, dtype):
        with v1.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return self._cell.zero_state(batch_size, dtype)

    def _highway(self, inputs, outputs):
        size = input_width(inputs)
        carry = tf.sigmoid(v1.nn.xw_plus_b(
            inputs, v1.get_variable("carry_w", [size, size]),
            v1.get_variable("carry_b", [size],
                            initializer=v1.constant_initializer(self._carry_bias_init))))
        if self._couple:
            transform = 1 - carry
        else:
            transform = tf.sigmoid(v1.nn.xw_plus_b(
                inputs, v1.get_variable("transform_w", [size, size]),
                v1.get_variable("transform_b", [size],
                                initializer=v1.constant_initializer(-self._carry_bias_init))))
        return inputs * carry + outputs * transform

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self._cell(inputs, state, scope=scope)
        tf.nest.assert_same_structure(inputs, outputs)
        tf.nest.map_structure(lambda x, y: x.shape.assert_is_compatible_with(y.shape),
                              inputs, outputs)
        return tf.nest.map_structure(self._highway, inputs, outputs), new_state


class AttentionCellWrapper(_CELLS.RNNCell):
    """tf.contrib.rnn.AttentionCellWrapper (Cheng et al. 2016): the cell attends over its
    last attn_length outputs. Each step: x' = Linear([x, attention]); the cell; a new
    attention read of the window (attention/attn_w, attn_v, Linear of the state); the
    output = Linear([cell output, attention]) in attn_output_projection, which joins the
    window. State: (cell state, attention, window flattened)."""

    def __init__(self, cell, attn_length, attn_size=None, attn_vec_size=None,
                 input_size=None, state_is_tuple=True, reuse=None):
        super().__init__(_reuse=reuse)
        if tf.nest.is_nested(cell.state_size) and not state_is_tuple:
            raise ValueError("Cell returns tuple of states, but the flag state_is_tuple is "
                             f"not set. State size is: {cell.state_size}")
        if attn_length <= 0:
            raise ValueError(f"attn_length should be greater than zero, got {attn_length}")
        self._cell, self._attn_length, self._input_size = cell, attn_length, input_size
        self._attn_size = attn_size or cell.output_size
        self._attn_vec_size = attn_vec_size or self._attn_size
        self._state_is_tuple = state_is_tuple
        self._linear1 = self._linear2 = self._linear3 = None

    @property
    def state_size(self):
        size = (self._cell.state_size, self._attn_size, self._attn_size * self._attn_length)
        return size if self._state_is_tuple else sum(size)

    output_size = property(lambda self: self._attn_size)

    def call(self, inputs, state):
        if self._state_is_tuple:
            state, attns, window = state
        else:
            cell_size = self._cell.state_size
            state, attns, window = (state[:, :cell_size],
                                    state[:, cell_size:cell_size + self._attn_size],
                                    state[:, cell_size + self._attn_size:])
        window = tf.reshape(window, [-1, self._attn_length, self._attn_size])
        if self._linear1 is None:
            self._linear1 = Linear([inputs, attns],
                                   self._input_size or inputs.shape.as_list()[1], True)
        cell_output, new_state = self._cell(self._linear1([inputs, attns]), state)
        query = tf.concat(tf.nest.flatten(new_state), 1) if self._state_is_tuple else new_state
        new_attns, window = self._attention(query, window)
        with v1.variable_scope("attn_output_projection"):
            if self._linear2 is None:
                self._linear2 = Linear([cell_output, new_attns], self._attn_size, True)
            output = self._linear2([cell_output, new_attns])
        window = tf.reshape(tf.concat([window, tf.expand_dims(output, 1)], 1),
                            [-1, self._attn_length * self._attn_size])
        new_state = (new_state, new_attns, window)
        return output, (new_state if self._state_is_tuple else tf.concat(list(new_state), 1))

    def _attention(self, query, window):
        """(the read of the window [B, attn_size], the window without its oldest entry)."""
        with v1.variable_scope("attention"):
            kernel = v1.get_variable("attn_w", [1, 1, self._attn_size, self._attn_vec_size])
            v = v1.get_variable("attn_v", [self._attn_vec_size])
            hidden = tf.reshape(window, [-1, self._attn_length, 1, self._attn_size])
            features = tf.nn.conv2d(hidden, kernel, [1, 1, 1, 1], "SAME")
            if self._linear3 is None:
                self._linear3 = Linear(query, self._attn_vec_size, True)
            y = tf.reshape(self._linear3(query), [-1, 1, 1, self._attn_vec_size])
            weights = tf.nn.softmax(tf.reduce_sum(v * tf.tanh(features + y), [2, 3]))
            read = tf.reduce_sum(tf.reshape(weights, [-1, self._attn_length, 1, 1]) * hidden,
                                 [1, 2])
            return tf.reshape(read, [-1, self._attn_size]), window[:, 1:, :]


def _random_exp_initializer(minval, maxval, seed=None, dtype=tf.float32):
    """exp(U(log minval, log maxval)): PhasedLSTMCell's periods, spread over decades."""

    def initializer(shape, dtype=dtype, partition_info=None):
        return tf.exp(v1.random_uniform(shape, tf.math.log(minval), tf.math.log(maxval),
                                        dtype, seed=seed))
    return initializer


class PhasedLSTMCell(_CELLS.RNNCell):
    """tf.contrib.rnn.PhasedLSTMCell (Neil et al. 2016): an LSTM step (c~, h~) whose update
    a time gate k lets through: c' = k c~ + (1 - k) c, h' = k h~ + (1 - k) h. With
    phi = ((t - phase) mod period) / period, k = 2 phi / r_on while phi < r_on / 2,
    2 - 2 phi / r_on while phi < r_on, else leak * phi. Inputs are (time (B, 1), x).

    Variables: mask_gates/kernel, bias (i and f, from [x, h] and with use_peepholes c),
    new_input/kernel, bias, output_gate/kernel, bias ([x, h], and the new c), period
    (exp-uniform in [period_init_min, period_init_max]), phase (uniform in [0, period)),
    ratio_on (trainable_ratio_on)."""

    def __init__(self, num_units, use_peepholes=False, leak=0.001, ratio_on=0.1,
                 trainable_ratio_on=True, period_init_min=1.0, period_init_max=1000.0,
                 reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units, self._use_peepholes, self._leak = num_units, use_peepholes, leak
        self._ratio_on, self._trainable_ratio_on = ratio_on, trainable_ratio_on
        self._period_init_min, self._period_init_max = period_init_min, period_init_max
        self._linear1 = self._linear2 = self._linear3 = None

    state_size = property(lambda self: _CELLS.LSTMStateTuple(self._num_units, self._num_units))
    output_size = property(lambda self: self._num_units)

    def _cycle_ratio(self, time, phase, period):
        """((time - phase) mod period) / period in time's dtype, then float32; the mod
        passes time's gradient through (stop_gradient(mod - x) + x, as TF1)."""
        phase, period = tf.cast(phase, time.dtype), tf.cast(period, time.dtype)
        shifted = time - phase
        modulo = tf.stop_gradient(tf.math.floormod(shifted, period) - shifted) + shifted
        return tf.cast(modulo / period, tf.float32)

    def call(self, inputs, state):
        c_prev, h_prev = state
        time, x = inputs
        mask_inputs = [x, h_prev] + ([c_prev] if self._use_peepholes else [])
        with v1.variable_scope("mask_gates"):
            if self._linear1 is None:
                self._linear1 = Linear(mask_inputs, 2 * self._num_units, True)
            input_gate, forget_gate = tf.split(tf.sigmoid(self._linear1(mask_inputs)), 2, 1)
        with v1.variable_scope("new_input"):
            if self._linear2 is None:
                self._linear2 = Linear([x, h_prev], self._num_units, True)
            new_input = tf.tanh(self._linear2([x, h_prev]))
        new_c = c_prev * forget_gate + input_gate * new_input
        output_inputs = [x, h_prev] + ([new_c] if self._use_peepholes else [])
        with v1.variable_scope("output_gate"):
            if self._linear3 is None:
                self._linear3 = Linear(output_inputs, self._num_units, True)
            output_gate = tf.sigmoid(self._linear3(output_inputs))
        new_h = tf.tanh(new_c) * output_gate

        period = v1.get_variable("period", [self._num_units], initializer=(
            _random_exp_initializer(self._period_init_min, self._period_init_max)))
        phase = v1.get_variable("phase", [self._num_units], initializer=(
            v1.random_uniform_initializer(0.0, period.initial_value)))
        ratio_on = v1.get_variable("ratio_on", [self._num_units],
                                   initializer=v1.constant_initializer(self._ratio_on),
                                   trainable=self._trainable_ratio_on)
        cycle = self._cycle_ratio(time, phase, period)  # (B, H)
        k_up = 2 * cycle / ratio_on
        k = tf.where(cycle < ratio_on, 2 - k_up, self._leak * cycle)
        k = tf.where(cycle < 0.5 * ratio_on, k_up, k)
        new_c = k * new_c + (1 - k) * c_prev
        new_h = k * new_h + (1 - k) * h_prev
        return new_h, _CELLS.LSTMStateTuple(new_c, new_h)


class GLSTMCell(_CELLS.RNNCell):
    """tf.contrib.rnn.GLSTMCell (Kuchaiev & Ginsburg 2017's group LSTM): the input and m
    are cut into number_of_groups equal parts; group g computes its share of i, j, f, o
    from [x_g, m_g] @ group<g>/kernel alone; the parts are joined and biased (bias_i,
    bias_j, bias_f, bias_o), then c' = sigmoid(f + forget_bias) c + sigmoid(i) tanh(j),
    m' = sigmoid(o) activation(c'), projected by projection/kernel (num_proj)."""

    def __init__(self, num_units, initializer=None, num_proj=None, number_of_groups=1,
                 forget_bias=1.0, activation=tf.tanh, reuse=None):
        super().__init__(_reuse=reuse)
        if num_units % number_of_groups:
            raise ValueError("num_units must be divisible by number_of_groups")
        if num_proj and num_proj % number_of_groups:
            raise ValueError("num_proj must be divisible by number_of_groups")
        self._num_units, self._initializer, self._num_proj = num_units, initializer, num_proj
        self._forget_bias, self._activation = forget_bias, activation
        self._groups = number_of_groups
        # (width of a group's share of m, of its share of the units)
        self._group_shape = [(num_proj or num_units) // number_of_groups,
                             num_units // number_of_groups]
        self._state_size = _CELLS.LSTMStateTuple(num_units, num_proj or num_units)
        self._output_size = num_proj or num_units
        self._linear1 = [None] * number_of_groups
        self._linear2 = None

    state_size = property(lambda self: self._state_size)
    output_size = property(lambda self: self._output_size)

    def call(self, inputs, state):
        c_prev, m_prev = state
        input_size = tf.compat.dimension_value(inputs.shape[1])
        if input_size is None:
            raise ValueError("input size must be statically known")
        if input_size % self._groups:
            raise ValueError(f"input size ({input_size}) must be divisible by "
                             f"number_of_groups ({self._groups})")
        x_size, (m_size, unit_size) = input_size // self._groups, self._group_shape
        parts = []  # per group: its (B, unit_size) shares of i, j, f, o
        with v1.variable_scope(v1.get_variable_scope(), initializer=self._initializer):
            for g in range(self._groups):
                with v1.variable_scope(f"group{g}"):
                    group_inputs = tf.concat([inputs[:, g * x_size:(g + 1) * x_size],
                                              m_prev[:, g * m_size:(g + 1) * m_size]], 1)
                    if self._linear1[g] is None:
                        self._linear1[g] = Linear(group_inputs, 4 * unit_size, False)
                    parts.append(tf.split(self._linear1[g](group_inputs), 4, 1))
            i, j, f, o = (
                tf.nn.bias_add(tf.concat([p[n] for p in parts], 1), v1.get_variable(
                    f"bias_{gate}", [self._num_units], dtype=inputs.dtype,
                    initializer=v1.constant_initializer(0.0, dtype=inputs.dtype)))
                for n, gate in enumerate("ijfo"))
        c = tf.sigmoid(f + self._forget_bias) * c_prev + tf.sigmoid(i) * tf.tanh(j)
        m = tf.sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            with v1.variable_scope("projection"):
                if self._linear2 is None:
                    self._linear2 = Linear(m, self._num_proj, False)
                m = self._linear2(m)
        return m, _CELLS.LSTMStateTuple(c, m)


PAPER_CELLS = {"LayerNormBasicLSTMCell": LayerNormBasicLSTMCell, "NASCell": NASCell,
               "UGRNNCell": UGRNNCell, "IntersectionRNNCell": IntersectionRNNCell,
               "CoupledInputForgetGateLSTMCell": CoupledInputForgetGateLSTMCell,
               "IndRNNCell": IndRNNCell, "IndyGRUCell": IndyGRUCell,
               "IndyLSTMCell": IndyLSTMCell, "HighwayWrapper": HighwayWrapper,
               "AttentionCellWrapper": AttentionCellWrapper, "PhasedLSTMCell": PhasedLSTMCell,
               "GLSTMCell": GLSTMCell, **GRID_CELLS, **CONV_LSTM_CELLS}
