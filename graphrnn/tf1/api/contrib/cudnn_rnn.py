"""tf.contrib.cudnn_rnn as TF 1.15 had it (tensorflow/contrib/cudnn_rnn/), on a CPU.

cuDNN's RNNs ran only on a GPU; TF1 saved their weights in a canonical form, which the
cuDNN-compatible cells read on a CPU. Here the layers are those cells stacked, with the
canonical names, so a checkpoint a GPU wrote restores into either:

    CudnnCompatibleLSTMCell(H)  LSTMBlockCell with forget_bias 0 (cuDNN's LSTM):
                                cudnn_compatible_lstm_cell/kernel [F + H, 4H] (i, j, f, o),
                                /bias [4H] (cuDNN's input and recurrent biases summed)
    CudnnCompatibleGRUCell(H)   cuDNN's GRU: r, u = sigmoid([x, h] @ gates/kernel + bias);
                                h~ = tanh(x @ candidate/input_projection/kernel + bias
                                     + r * (h @ candidate/hidden_projection/kernel + bias));
                                h' = (1 - u) h~ + u h
    CudnnLSTM, CudnnGRU, CudnnRNNTanh, CudnnRNNRelu (num_layers, num_units, direction=...)
                                layers over time-major inputs [T, B, F]: (outputs
                                [T, B, H * directions], states [layers * directions, B, H]
                                each, (h, c) for the LSTM); their variables
                                <name>/rnn/multi_rnn_cell/cell_k/<cell>/... (unidirectional) or
                                <name>/stack_bidirectional_rnn/cell_k/bidirectional_rnn/fw|bw/
                                <cell>/..., the names TF1's canonical checkpoint used

    CUDNN_RNN  the names tf.contrib.cudnn_rnn gives
"""

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.rnn.core import LSTMBlockCell, stack_bidirectional_dynamic_rnn
from graphrnn.tf1.api.python.ops.rnn_cell_impl import LAYER_RNN_CELL, known_depth

_CELLS = v1.nn.rnn_cell


def CudnnCompatibleLSTMCell(num_units, reuse=None):
    """tf.contrib.cudnn_rnn.CudnnCompatibleLSTMCell: an LSTMBlockCell with forget_bias 0,
    named cudnn_compatible_lstm_cell."""
    return LSTMBlockCell(num_units, forget_bias=0.0, reuse=reuse,
                         name="cudnn_compatible_lstm_cell")


class CudnnCompatibleGRUCell(LAYER_RNN_CELL):
    """tf.contrib.cudnn_rnn.CudnnCompatibleGRUCell: a GRU whose candidate adds the input's
    projection to the reset gate times the state's (cuDNN's form), with TF 1.15's names."""

    def __init__(self, num_units, reuse=None, kernel_initializer=None):
        super().__init__(_reuse=reuse, name="cudnn_compatible_gru_cell")
        self._num_units, self._kernel_initializer = num_units, kernel_initializer

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, inputs_shape):
        depth = known_depth(inputs_shape)
        units, init = self._num_units, self._kernel_initializer
        self._gate_kernel = self.add_weight("gates/kernel", [depth + units, 2 * units],
                                            initializer=init)
        self._gate_bias = self.add_weight("gates/bias", [2 * units],
                                          initializer=v1.constant_initializer(1.0))
        self._input_kernel = self.add_weight("candidate/input_projection/kernel",
                                             [depth, units], initializer=init)
        self._hidden_kernel = self.add_weight("candidate/hidden_projection/kernel",
                                              [units, units], initializer=init)
        self._input_bias = self.add_weight("candidate/input_projection/bias", [units],
                                           initializer=v1.zeros_initializer())
        self._hidden_bias = self.add_weight("candidate/hidden_projection/bias", [units],
                                            initializer=v1.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        gates = tf.sigmoid(tf.nn.bias_add(tf.concat([inputs, state], 1) @ self._gate_kernel,
                                          self._gate_bias))
        r, u = tf.split(gates, 2, axis=1)
        candidate = tf.tanh(tf.nn.bias_add(inputs @ self._input_kernel, self._input_bias)
                            + r * tf.nn.bias_add(state @ self._hidden_kernel,
                                                 self._hidden_bias))
        new_h = (1 - u) * candidate + u * state
        return new_h, new_h


class _CudnnRNN(v1.layers.Layer):
    """A stack of cuDNN-compatible cells over time-major inputs, as a TF1 cuDNN layer."""

    _kind = None  # "lstm", "gru", "rnn_tanh", "rnn_relu"

    def __init__(self, num_layers, num_units, input_mode="linear_input",
                 direction="unidirectional", dropout=0.0, seed=None, dtype=tf.float32,
                 kernel_initializer=None, bias_initializer=None, name=None):
        if direction not in ("unidirectional", "bidirectional"):
            raise ValueError(f"Invalid direction: {direction}, expecting unidirectional or "
                             "bidirectional")
        if input_mode != "linear_input":
            raise ValueError(f"input_mode {input_mode!r} is cuDNN's own (GPU only): "
                             "graphrnn-tf1 runs linear_input, the default")
        super().__init__(dtype=dtype, name=name)
        self.num_layers, self.num_units, self.direction = num_layers, num_units, direction
        self._dropout, self._seed = dropout, seed
        self._initializer = kernel_initializer

    @property
    def num_dirs(self):
        return 1 if self.direction == "unidirectional" else 2

    def _cell(self):
        units = self.num_units
        return {"lstm": lambda: CudnnCompatibleLSTMCell(units),
                "gru": lambda: CudnnCompatibleGRUCell(units),
                "rnn_tanh": lambda: _CELLS.BasicRNNCell(units),
                "rnn_relu": lambda: _CELLS.BasicRNNCell(units, activation=tf.nn.relu)}[
                    self._kind]()

    def state_shape(self, batch_size):
        shape = [self.num_layers * self.num_dirs, batch_size, self.num_units]
        return (shape, shape) if self._kind == "lstm" else (shape,)

    def call(self, inputs, initial_state=None, training=True):
        """inputs (T, B, F) -> (outputs (T, B, H * directions), states as cuDNN gives
        them: (h, c) for the LSTM, (h,) for the others, each (layers * directions, B, H))."""
        with v1.variable_scope(v1.get_variable_scope(), initializer=self._initializer):
            if self.direction == "unidirectional":
                return self._unidirectional(inputs, initial_state, training)
            return self._bidirectional(inputs, initial_state, training)

    def _dropped(self, cells, training):
        """cuDNN's dropout: on every layer's outputs but the last's, in training."""
        if not self._dropout or not training:
            return cells
        keep = 1.0 - self._dropout
        return [_CELLS.DropoutWrapper(cell, output_keep_prob=keep, seed=self._seed)
                for cell in cells[:-1]] + cells[-1:]

    def _to_cell_states(self, initial_state, layer_slice=slice(None)):
        """cuDNN's (h[, c]) [layers, B, H] as the cells' states, per layer."""
        if initial_state is None:
            return None
        h = tf.unstack(initial_state[0])[layer_slice]
        if self._kind != "lstm":
            return tuple(h)
        c = tf.unstack(initial_state[1])[layer_slice]
        return tuple(_CELLS.LSTMStateTuple(c_k, h_k) for c_k, h_k in zip(c, h))

    def _from_cell_states(self, states):
        """The cells' final states, per layer, as cuDNN's (h[, c]) [layers, B, H]."""
        if self._kind != "lstm":
            return (tf.stack(list(states)),)
        return tf.stack([s.h for s in states]), tf.stack([s.c for s in states])

    def _unidirectional(self, inputs, initial_state, training):
        cells = self._dropped([self._cell() for _ in range(self.num_layers)], training)
        outputs, states = v1.nn.dynamic_rnn(
            _CELLS.MultiRNNCell(cells), inputs, initial_state=self._to_cell_states(
                initial_state), dtype=tf.as_dtype(self.dtype), time_major=True, scope="rnn")
        return outputs, self._from_cell_states(states)

    def _bidirectional(self, inputs, initial_state, training):
        # cuDNN's state rows: layer 0 forward, layer 0 backward, layer 1 forward, ...
        fw, bw = (self._to_cell_states(initial_state, slice(start, None, 2))
                  for start in (0, 1))
        outputs, states_fw, states_bw = stack_bidirectional_dynamic_rnn(
            self._dropped([self._cell() for _ in range(self.num_layers)], training),
            self._dropped([self._cell() for _ in range(self.num_layers)], training),
            inputs, initial_states_fw=fw, initial_states_bw=bw, dtype=tf.as_dtype(self.dtype),
            time_major=True)
        interleaved = [s for pair in zip(states_fw, states_bw) for s in pair]
        return outputs, self._from_cell_states(interleaved)


class CudnnLSTM(_CudnnRNN):
    """tf.contrib.cudnn_rnn.CudnnLSTM on a CPU: CudnnCompatibleLSTMCells."""
    _kind = "lstm"


class CudnnGRU(_CudnnRNN):
    """tf.contrib.cudnn_rnn.CudnnGRU on a CPU: CudnnCompatibleGRUCells."""
    _kind = "gru"


class CudnnRNNTanh(_CudnnRNN):
    """tf.contrib.cudnn_rnn.CudnnRNNTanh on a CPU: BasicRNNCells."""
    _kind = "rnn_tanh"


class CudnnRNNRelu(_CudnnRNN):
    """tf.contrib.cudnn_rnn.CudnnRNNRelu on a CPU: BasicRNNCells with relu."""
    _kind = "rnn_relu"


# TF 1.15's modules: tf.contrib.cudnn_rnn.python.ops.cudnn_rnn_ops (the cells; its own
# CudnnLSTM there was TF 1.0's op API on an opaque buffer, GPU only) and .python.layers.
# cudnn_rnn (the layers)
CELLS = {"CudnnCompatibleLSTMCell": CudnnCompatibleLSTMCell,
         "CudnnCompatibleGRUCell": CudnnCompatibleGRUCell}
LAYERS = {"CudnnLSTM": CudnnLSTM, "CudnnGRU": CudnnGRU, "CudnnRNNTanh": CudnnRNNTanh,
          "CudnnRNNRelu": CudnnRNNRelu}
CUDNN_RNN = {"CudnnCompatibleLSTMCell": CudnnCompatibleLSTMCell,
             "CudnnCompatibleGRUCell": CudnnCompatibleGRUCell, "CudnnLSTM": CudnnLSTM,
             "CudnnGRU": CudnnGRU, "CudnnRNNTanh": CudnnRNNTanh, "CudnnRNNRelu": CudnnRNNRelu,
             "CUDNN_RNN_UNIDIRECTION": "unidirectional",
             "CUDNN_RNN_BIDIRECTION": "bidirectional",
             "CUDNN_INPUT_LINEAR_MODE": "linear_input"}
