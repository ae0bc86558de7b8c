"""tf.contrib.rnn's fused cells (TF 1.15's lstm_ops.py and fused_rnn_cell.py): a cell that
runs the whole sequence in one op, on time-major inputs.

    LSTMBlockFusedCell(num_units)    TensorFlow's BlockLSTM kernel: the equations and
                                     variables of LSTMCell (<name>/kernel [F + H, 4H],
                                     <name>/bias [4H]; w_i_diag, w_f_diag, w_o_diag with
                                     peepholes), name "lstm_cell" by default
    FusedRNNCellAdaptor(cell)        any RNNCell as a fused cell (static_rnn, or dynamic_rnn
                                     with use_dynamic_rnn)
    TimeReversedFusedRNN(cell)       a fused cell run on the sequences reversed (each within
                                     its length), its outputs reversed back

A fused cell is called as cell(inputs, initial_state=None, dtype=None,
sequence_length=None, scope=None) with inputs [time, batch, features] (or a list of
[batch, features]) and returns (outputs of the same form, final state); past a sequence's
length the outputs are zeros and the final state is that of its last step.
"""

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.python.ops.rnn_cell_impl import known_depth

_CELLS = v1.nn.rnn_cell


class LSTMBlockFusedCell(v1.layers.Layer):
    """tf.contrib.rnn.LSTMBlockFusedCell: i, j, f, o = split([x, h] @ kernel + bias);
    c = sigmoid(f + forget_bias) * c + sigmoid(i) * tanh(j) (clipped to cell_clip);
    h = sigmoid(o) * tanh(c), with TF1's optional peepholes on c."""

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 reuse=None, dtype=None, name="lstm_cell"):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units, self._forget_bias = num_units, forget_bias
        self._cell_clip = -1.0 if cell_clip is None else cell_clip  # the kernel's "none"
        self._use_peephole = use_peephole

    @property
    def num_units(self):
        return self._num_units

    def build(self, input_shape):
        width, units = known_depth(input_shape), self._num_units
        self._kernel = self.add_weight("kernel", [width + units, 4 * units])
        self._bias = self.add_weight("bias", [4 * units],
                                     initializer=v1.constant_initializer(0.0))
        self._peepholes = [self.add_weight(name, [units]) if self._use_peephole
                           else tf.zeros([units], self.dtype)
                           for name in ("w_i_diag", "w_f_diag", "w_o_diag")]
        self.built = True

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        is_list = isinstance(inputs, (list, tuple))
        if is_list:
            inputs = tf.stack(inputs)  # (T, B, F)
        with v1.variable_scope(scope or v1.get_variable_scope()):
            outputs, state = super().__call__(inputs, initial_state=initial_state,
                                              sequence_length=sequence_length,
                                              cell_dtype=dtype)
        return (tf.unstack(outputs) if is_list else outputs), state

    def call(self, inputs, initial_state=None, sequence_length=None, cell_dtype=None):
        """inputs (T, B, F) -> (outputs (T, B, H), LSTMStateTuple(c, h) of each sequence's
        last step)."""
        time, batch = tf.shape(inputs)[0], tf.shape(inputs)[1]
        if initial_state is None:
            zeros = tf.zeros(tf.stack([batch, self._num_units]), cell_dtype or inputs.dtype)
            initial_state = (zeros, zeros)
        c_prev, h_prev = initial_state
        steps = tf.cast(time if sequence_length is None else tf.reduce_max(sequence_length),
                        tf.int64)
        # BlockLSTM's outputs: i, cs (the cell states), f, o, ci, co, h
        _, cells, _, _, _, _, outputs = tf.raw_ops.BlockLSTM(
            seq_len_max=steps, x=inputs, cs_prev=c_prev, h_prev=h_prev, w=self._kernel,
            wci=self._peepholes[0], wcf=self._peepholes[1], wco=self._peepholes[2],
            b=self._bias, forget_bias=self._forget_bias, cell_clip=self._cell_clip,
            use_peephole=self._use_peephole)
        if sequence_length is None:
            return outputs, _CELLS.LSTMStateTuple(cells[-1], outputs[-1])
        mask = tf.transpose(tf.sequence_mask(sequence_length, time, outputs.dtype))[:, :, None]
        cells, outputs = cells * mask, outputs * mask  # zeros past each length, as TF1
        # each sequence's state after its last step; step 0 is the initial state
        last = tf.stack([tf.cast(sequence_length, tf.int32), tf.range(batch)], axis=1)
        final_c = tf.gather_nd(tf.concat([c_prev[None], cells], 0), last)
        final_h = tf.gather_nd(tf.concat([h_prev[None], outputs], 0), last)
        return outputs, _CELLS.LSTMStateTuple(final_c, final_h)


class FusedRNNCellAdaptor:
    """tf.contrib.rnn.FusedRNNCellAdaptor: an RNNCell run over time-major inputs by
    static_rnn (its variables under rnn/), or dynamic_rnn(time_major=True)."""

    def __init__(self, cell, use_dynamic_rnn=False):
        self._cell, self._use_dynamic_rnn = cell, use_dynamic_rnn

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        is_list = isinstance(inputs, (list, tuple))
        if self._use_dynamic_rnn:
            outputs, state = v1.nn.dynamic_rnn(
                self._cell, tf.stack(inputs) if is_list else inputs,
                sequence_length=sequence_length, initial_state=initial_state, dtype=dtype,
                time_major=True, scope=scope)
            return (tf.unstack(outputs) if is_list else outputs), state
        outputs, state = v1.nn.static_rnn(
            self._cell, list(inputs) if is_list else tf.unstack(inputs),
            initial_state=initial_state, dtype=dtype, sequence_length=sequence_length,
            scope=scope)
        return (outputs if is_list else tf.stack(outputs)), state


class TimeReversedFusedRNN:
    """tf.contrib.rnn.TimeReversedFusedRNN: the fused cell on each sequence reversed within
    its length (reverse_sequence), its outputs reversed back; a list is reversed whole."""

    def __init__(self, cell):
        self._cell = cell

    @staticmethod
    def _reverse(t, lengths):
        if isinstance(t, (list, tuple)):
            return list(reversed(t))
        if lengths is None:
            return tf.reverse(t, [0])
        return tf.reverse_sequence(t, lengths, seq_axis=0, batch_axis=1)

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        outputs, state = self._cell(self._reverse(inputs, sequence_length),
                                    initial_state=initial_state, dtype=dtype,
                                    sequence_length=sequence_length, scope=scope)
        return self._reverse(outputs, sequence_length), state


FUSED = {"LSTMBlockFusedCell": LSTMBlockFusedCell, "FusedRNNCellAdaptor": FusedRNNCellAdaptor,
         "TimeReversedFusedRNN": TimeReversedFusedRNN}
