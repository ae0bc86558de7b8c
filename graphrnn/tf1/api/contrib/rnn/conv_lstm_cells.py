"""tf.contrib.rnn's convolutional LSTMs (Shi et al. 2015), rebuilt for graphrnn-tf1 with
TF 1.15's variable names: ConvLSTMCell and its Conv1DLSTMCell, Conv2DLSTMCell and
Conv3DLSTMCell, whose variables are <name>/kernel [*kernel_shape, C_in + C_out, 4 C_out]
and <name>/biases [4 C_out] (name conv_1d_lstm_cell, conv_2d_lstm_cell, ...).

Keras 3's counterpart is keras.layers.ConvLSTM1D/2D/3D, whose kernel is split in two
(input and recurrent) and whose gates are ordered i, f, c, o, not i, j, f, o.
"""

from graphrnn.compat import tf, v1

_CELLS = v1.nn.rnn_cell


class ConvLSTMCell(_CELLS.RNNCell):
    """tf.contrib.rnn.ConvLSTMCell: i, j, f, o = split(conv([x, h], kernel) + biases) on
    the channel axis, with a 'SAME' convolution of stride 1; c' = sigmoid(f + forget_bias)
    c + sigmoid(i) tanh(j), h' = tanh(c') sigmoid(o). skip_connection appends x to h'.

    input_shape excludes the batch: (width, C) for conv_ndims 1, (height, width, C) for 2.
    `initializers` is accepted and unused, as in TF 1.15."""

    def __init__(self, conv_ndims, input_shape, output_channels, kernel_shape, use_bias=True,
                 skip_connection=False, forget_bias=1.0, initializers=None,
                 name="conv_lstm_cell"):
        super().__init__(name=name)
        if conv_ndims != len(input_shape) - 1:
            raise ValueError(f"Invalid input_shape {input_shape} for conv_ndims={conv_ndims}.")
        self._conv_ndims, self._input_shape = conv_ndims, list(input_shape)
        self._output_channels, self._kernel_shape = output_channels, list(kernel_shape)
        self._use_bias, self._forget_bias = use_bias, forget_bias
        self._skip_connection = skip_connection
        total_channels = output_channels + (input_shape[-1] if skip_connection else 0)
        state_shape = tf.TensorShape(self._input_shape[:-1] + [output_channels])
        self._state_size = _CELLS.LSTMStateTuple(state_shape, state_shape)
        self._output_size = tf.TensorShape(self._input_shape[:-1] + [total_channels])

    state_size = property(lambda self: self._state_size)
    output_size = property(lambda self: self._output_size)

    def call(self, inputs, state, scope=None):
        cell, hidden = state
        gates = tf.split(self._convolve(tf.concat([inputs, hidden], -1)), 4,
                         axis=self._conv_ndims + 1)
        input_gate, new_input, forget_gate, output_gate = gates
        new_cell = (tf.sigmoid(forget_gate + self._forget_bias) * cell
                    + tf.sigmoid(input_gate) * tf.tanh(new_input))
        output = tf.tanh(new_cell) * tf.sigmoid(output_gate)
        if self._skip_connection:
            output = tf.concat([output, inputs], axis=-1)
        return output, _CELLS.LSTMStateTuple(new_cell, output)

    def _convolve(self, inputs):
        """(B, *spatial, C_in + C_out) -> (B, *spatial, 4 C_out), as TF1's _conv."""
        channels, features = inputs.shape[-1], 4 * self._output_channels
        kernel = v1.get_variable("kernel", self._kernel_shape + [channels, features],
                                 dtype=inputs.dtype)
        result = tf.nn.convolution(inputs, kernel, padding="SAME")
        if not self._use_bias:
            return result
        biases = v1.get_variable("biases", [features], dtype=inputs.dtype,
                                 initializer=v1.constant_initializer(0.0, dtype=inputs.dtype))
        return result + biases


class Conv1DLSTMCell(ConvLSTMCell):
    """tf.contrib.rnn.Conv1DLSTMCell: ConvLSTMCell with conv_ndims=1."""

    def __init__(self, name="conv_1d_lstm_cell", **kwargs):
        super().__init__(conv_ndims=1, name=name, **kwargs)


class Conv2DLSTMCell(ConvLSTMCell):
    """tf.contrib.rnn.Conv2DLSTMCell: ConvLSTMCell with conv_ndims=2."""

    def __init__(self, name="conv_2d_lstm_cell", **kwargs):
        super().__init__(conv_ndims=2, name=name, **kwargs)


class Conv3DLSTMCell(ConvLSTMCell):
    """tf.contrib.rnn.Conv3DLSTMCell: ConvLSTMCell with conv_ndims=3."""

    def __init__(self, name="conv_3d_lstm_cell", **kwargs):
        super().__init__(conv_ndims=3, name=name, **kwargs)


CONV_LSTM_CELLS = {"ConvLSTMCell": ConvLSTMCell, "Conv1DLSTMCell": Conv1DLSTMCell,
                   "Conv2DLSTMCell": Conv2DLSTMCell, "Conv3DLSTMCell": Conv3DLSTMCell}
