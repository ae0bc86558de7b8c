"""The LSTMs of tf.contrib.rnn that recur over frequency as well as time, rebuilt for
graphrnn-tf1 with TF 1.15's variable names and state layouts.

    TimeFreqLSTMCell           Sainath & Li 2016: one LSTM slid over frequency slices of
                               the input, each slice also reading the slice before's m;
                               W_0.., B, W_F_diag, W_I_diag, W_O_diag
    GridLSTMCell               Kalchbrenner et al. 2016 (with Sainath & Li's peepholes): a
                               frequency LSTM and a time LSTM per slice, in blocks;
                               W_f_<block>_0.., B_f_<block>, W_t_.., B_t_.., and peepholes
                               W_{F,I,O}_diag_{freq,time}{f,t}_<block>
    BidirectionalGridLSTMCell  the grid run over frequency both ways, under fwd/ and bwd/

A frequency slice k of an input row x (B, input_size) is x[:, start + k * frequency_skip :
... + feature_size]. Each is checked against a NumPy transcription in the tests.
"""

import collections

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.rnn.wrappers import input_width, sharded_weight

_CELLS = v1.nn.rnn_cell


def _input_size(inputs):
    return input_width(inputs, "Cannot infer input_size from static shape inference.")


def _pair(state, k, units):
    """(c, m) of slice k in a concatenated state [c_0, m_0, c_1, m_1, ...]."""
    return (state[:, 2 * k * units:(2 * k + 1) * units],
            state[:, (2 * k + 1) * units:(2 * k + 2) * units])


def _batch_size(inputs):
    return tf.compat.dimension_value(inputs.shape[0]) or tf.shape(inputs)[0]


def _slices(inputs, start, count, feature_size, skip):
    """count (B, feature_size) slices of inputs, the k-th from column start + k * skip."""
    return [inputs[:, start + k * skip:start + k * skip + feature_size] for k in range(count)]


def _slice_count(width, feature_size, skip):
    return int((width - feature_size) / skip) + 1


def _clip(c, cell_clip):
    return c if cell_clip is None else tf.clip_by_value(c, -cell_clip, cell_clip)


class TimeFreqLSTMCell(_CELLS.RNNCell):
    """tf.contrib.rnn.TimeFreqLSTMCell: for each frequency slice x_k in turn,
    i, j, f, o = split([x_k, m_k(t-1), m_{k-1}(t)] @ W + B), then the LSTM update of
    c_k (peepholes on c_k(t-1) for i and f, on the new c_k for o; cell_clip). The output is
    [m_0, m_1, ...] and the state [c_0, m_0, c_1, m_1, ...], both concatenated.

    As in TF 1.15, state_size and output_size count one slice (the number of slices is
    known only from the input): with several, give the cell an initial state of width
    2 * num_units * slices, and run it without sequence_length."""

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_unit_shards=1, forget_bias=1.0, feature_size=None, frequency_skip=1,
                 reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units, self._use_peepholes, self._cell_clip = num_units, use_peepholes, cell_clip
        self._num_unit_shards, self._forget_bias = num_unit_shards, forget_bias
        self._feature_size, self._frequency_skip = feature_size, frequency_skip

    state_size = property(lambda self: 2 * self._num_units)
    output_size = property(lambda self: self._num_units)

    def call(self, inputs, state):
        units, dtype, sigmoid = self._num_units, inputs.dtype, tf.sigmoid
        count = _slice_count(_input_size(inputs), self._feature_size, self._frequency_skip)
        slices = _slices(inputs, 0, count, self._feature_size, self._frequency_skip)
        weights = sharded_weight("W", [self._feature_size + 2 * units, 4 * units], dtype,
                                 self._num_unit_shards)
        bias = v1.get_variable("B", shape=[4 * units], initializer=v1.zeros_initializer(),
                               dtype=dtype)
        if self._use_peepholes:
            w_f, w_i, w_o = (v1.get_variable(f"W_{g}_diag", shape=[units], dtype=dtype)
                             for g in "FIO")
        m_below = tf.zeros([_batch_size(inputs), units], dtype)  # m of the slice before
        outputs, states = [], []
        for k, x in enumerate(slices):
            c_prev, m_prev = _pair(state, k, units)
            matrix = tf.nn.bias_add(tf.matmul(tf.concat([x, m_prev, m_below], 1), weights),
                                    bias)
            i, j, f, o = tf.split(matrix, 4, axis=1)
            if self._use_peepholes:
                f, i = f + w_f * c_prev, i + w_i * c_prev
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * tf.tanh(j)
            c = _clip(c, self._cell_clip)
            m = sigmoid(o + w_o * c if self._use_peepholes else o) * tf.tanh(c)
            m_below = m
            outputs.append(m)
            states += [c, m]
        return tf.concat(outputs, 1), tf.concat(states, 1)


class GridLSTMCell(_CELLS.RNNCell):
    """tf.contrib.rnn.GridLSTMCell: in each block, for each frequency slice x_k in turn,
    a frequency LSTM and a time LSTM both read [x_k, m_time_k(t-1), m_freq_{k-1}(t)]; the
    frequency LSTM carries (c_freq, m_freq) to the next slice, the time LSTM carries
    (c_time, m_time) to the next step. Peepholes see both cells (the previous ones for i
    and f, the new ones for o). couple_input_forget_gates makes f = 1 - i (3 gates);
    share_time_frequency_weights gives the time LSTM the frequency LSTM's weights.

    The state is a GridLSTMStateTuple (state_f<k>_b<block>_c, _m: the time LSTM's) or
    their concatenation; the output concatenates [m_time_k, m_freq_k] over slices and
    blocks: (B, 2 * num_units * slices)."""

    def __init__(self, num_units, use_peepholes=False, share_time_frequency_weights=False,
                 cell_clip=None, initializer=None, num_unit_shards=1, forget_bias=1.0,
                 feature_size=None, frequency_skip=None, num_frequency_blocks=None,
                 start_freqindex_list=None, end_freqindex_list=None,
                 couple_input_forget_gates=False, state_is_tuple=True, reuse=None):
        super().__init__(_reuse=reuse)
        if num_frequency_blocks is None:
            raise ValueError("Must specify num_frequency_blocks")
        self._num_units, self._use_peepholes = num_units, use_peepholes
        self._share_weights = share_time_frequency_weights
        self._couple_gates, self._state_is_tuple = couple_input_forget_gates, state_is_tuple
        self._cell_clip, self._num_unit_shards = cell_clip, num_unit_shards
        self._forget_bias, self._feature_size = forget_bias, feature_size
        self._frequency_skip, self._num_frequency_blocks = frequency_skip, num_frequency_blocks
        self._start_freqindex_list = start_freqindex_list
        self._end_freqindex_list = end_freqindex_list
        self._total_blocks = sum(int(n) for n in num_frequency_blocks)
        self._state_tuple_type = self._named_state("GridLSTMStateTuple", ["state"])
        if state_is_tuple:
            self._state_size = self._state_tuple_type(*[num_units] * 2 * self._total_blocks)
        else:
            self._state_tuple_type = None
            self._state_size = num_units * self._total_blocks * 2
        self._output_size = num_units * self._total_blocks * 2

    state_size = property(lambda self: self._state_size)
    output_size = property(lambda self: self._output_size)
    state_tuple_type = property(lambda self: self._state_tuple_type)

    def _named_state(self, type_name, prefixes):
        fields = [f"{prefix}_f{k:02d}_b{block:02d}_{part}" for prefix in prefixes
                  for block, count in enumerate(self._num_frequency_blocks)
                  for k in range(count) for part in "cm"]
        return collections.namedtuple(type_name, fields)

    def call(self, inputs, state):
        batch_size, outputs, states = _batch_size(inputs), [], []
        for block, slices in enumerate(self._frequency_blocks(inputs)):
            block_outputs, block_states = self._compute(slices, block, state, batch_size,
                                                        "state", self._state_is_tuple)
            outputs += block_outputs
            states += block_states
        new_state = (self._state_tuple_type(*states) if self._state_is_tuple
                     else tf.concat(states, 1))
        return tf.concat(outputs, 1), new_state

    def _lstm_weights(self, lstm, block, input_width, dtype):
        """(W, B) of the "f"requency or "t"ime LSTM of a block."""
        gates = 3 if self._couple_gates else 4
        weights = sharded_weight(f"W_{lstm}_{block}", [input_width, gates * self._num_units],
                                 dtype, self._num_unit_shards)
        bias = v1.get_variable(f"B_{lstm}_{block}", shape=[gates * self._num_units],
                               initializer=v1.zeros_initializer(), dtype=dtype)
        return weights, bias

    def _peepholes(self, block, dtype):
        """{(gate, lstm): (weight on the frequency cell, weight on the time cell)}."""
        if not self._use_peepholes:
            return {}
        gates = "IO" if self._couple_gates else "FIO"
        lstms = ["freq"] if self._share_weights else ["freq", "time"]
        weights = {(gate, lstm): tuple(
            v1.get_variable(f"W_{gate}_diag_{lstm}{source}_{block}", shape=[self._num_units],
                            dtype=dtype) for source in "ft") for lstm in lstms for gate in gates}
        if self._share_weights:
            weights.update({(gate, "time"): weights[gate, "freq"] for gate in gates})
        return weights

    def _gates(self, matrix, lstm, peepholes, c_freq, c_time):
        """The input and forget gates of one LSTM and its pre-activations j and o."""
        if self._couple_gates:
            i, j, o = tf.split(matrix, 3, axis=1)
        else:
            i, j, f, o = tf.split(matrix, 4, axis=1)
        if peepholes:
            w_freq, w_time = peepholes["I", lstm]
            i = i + w_freq * c_freq + w_time * c_time
        i = tf.sigmoid(i)
        if self._couple_gates:
            return i, 1.0 - i, j, o
        if peepholes:
            w_freq, w_time = peepholes["F", lstm]
            f = f + w_freq * c_freq + w_time * c_time
        return i, tf.sigmoid(f + self._forget_bias), j, o

    def _compute(self, slices, block, state, batch_size, prefix, state_is_tuple):
        """One step of a block over its slices: (outputs, states), lists of (B, H)."""
        units, dtype = self._num_units, slices[0].dtype
        width = slices[0].shape[1] + 2 * units
        freq_weights = self._lstm_weights("f", block, width, dtype)
        time_weights = (freq_weights if self._share_weights
                        else self._lstm_weights("t", block, width, dtype))
        peepholes = self._peepholes(block, dtype)
        m_freq = c_freq = tf.zeros([batch_size, units], dtype)
        outputs, states = [], []
        for k, x in enumerate(slices):
            if state_is_tuple:
                name = f"{prefix}_f{k:02d}_b{block:02d}"
                c_time, m_time = getattr(state, name + "_c"), getattr(state, name + "_m")
            else:
                c_time, m_time = _pair(state, k, units)
            cell_inputs = tf.concat([x, m_time, m_freq], 1)
            freq = self._gates(tf.nn.bias_add(cell_inputs @ freq_weights[0], freq_weights[1]),
                               "freq", peepholes, c_freq, c_time)
            time = self._gates(tf.nn.bias_add(cell_inputs @ time_weights[0], time_weights[1]),
                               "time", peepholes, c_freq, c_time)
            new_c_freq = _clip(freq[1] * c_freq + freq[0] * tf.tanh(freq[2]), self._cell_clip)
            new_c_time = _clip(time[1] * c_time + time[0] * tf.tanh(time[2]), self._cell_clip)
            o_freq, o_time = freq[3], time[3]
            if peepholes:
                o_freq += (peepholes["O", "freq"][0] * new_c_freq
                           + peepholes["O", "freq"][1] * new_c_time)
                o_time += (peepholes["O", "time"][0] * new_c_freq
                           + peepholes["O", "time"][1] * new_c_time)
            m_freq = tf.sigmoid(o_freq) * tf.tanh(new_c_freq)
            m_time = tf.sigmoid(o_time) * tf.tanh(new_c_time)
            c_freq = new_c_freq
            states += [new_c_time, m_time]
            outputs += [m_time, m_freq]
        return outputs, states

    def _frequency_blocks(self, inputs, slice_offset=0):
        """A list per block of its (B, feature_size) slices; slice_offset > 0 pads the end
        and starts that far in, < 0 pads the front (BidirectionalGridLSTMCell's backward
        view)."""
        input_size = _input_size(inputs)
        if slice_offset > 0:
            inputs = tf.pad(inputs, [[0, 0], [0, slice_offset]])
        elif slice_offset < 0:
            inputs, slice_offset = tf.pad(inputs, [[0, 0], [-slice_offset, 0]]), 0
        size, skip = self._feature_size, self._frequency_skip
        if not self._start_freqindex_list:
            if len(self._num_frequency_blocks) != 1:
                raise ValueError(f"Length of num_frequency_blocks is not 1, but instead is "
                                 f"{len(self._num_frequency_blocks)}")
            spans = [(0, input_size)]
        else:
            if len(self._start_freqindex_list) != len(self._end_freqindex_list):
                raise ValueError(f"Length of start and end freqindex_list does not match "
                                 f"{len(self._start_freqindex_list)} "
                                 f"{len(self._end_freqindex_list)}")
            if len(self._num_frequency_blocks) != len(self._start_freqindex_list):
                raise ValueError(f"Length of num_frequency_blocks is not equal to "
                                 f"start_freqindex_list {len(self._num_frequency_blocks)} "
                                 f"{len(self._start_freqindex_list)}")
            spans = list(zip(self._start_freqindex_list, self._end_freqindex_list))
        blocks = []
        for expected, (start, end) in zip(self._num_frequency_blocks, spans):
            count = _slice_count(end - start, size, skip)
            if count != expected:
                raise ValueError(f"Invalid num_frequency_blocks, requires {expected} but "
                                 f"gets {count}, please check the input size and filter "
                                 f"config are correct.")
            blocks.append(_slices(inputs, start + slice_offset, count, size, skip))
        return blocks


class BidirectionalGridLSTMCell(GridLSTMCell):
    """tf.contrib.rnn.BidirectionalGridLSTMCell: a GridLSTMCell under fwd/ over the slices
    and another under bwd/ over them in reverse order (from backward_slice_offset), its
    own weights. The state is a BidirectionalGridLSTMStateTuple (fwd_state_..., then
    bwd_state_...); the output [forward outputs, backward outputs]."""

    def __init__(self, num_units, use_peepholes=False, share_time_frequency_weights=False,
                 cell_clip=None, initializer=None, num_unit_shards=1, forget_bias=1.0,
                 feature_size=None, frequency_skip=None, num_frequency_blocks=None,
                 start_freqindex_list=None, end_freqindex_list=None,
                 couple_input_forget_gates=False, backward_slice_offset=0, reuse=None):
        super().__init__(num_units, use_peepholes, share_time_frequency_weights, cell_clip,
                         initializer, num_unit_shards, forget_bias, feature_size,
                         frequency_skip, num_frequency_blocks, start_freqindex_list,
                         end_freqindex_list, couple_input_forget_gates, True, reuse)
        self._backward_slice_offset = int(backward_slice_offset)
        self._state_tuple_type = self._named_state("BidirectionalGridLSTMStateTuple",
                                                   ["fwd_state", "bwd_state"])
        self._state_size = self._state_tuple_type(*[num_units] * 4 * self._total_blocks)
        self._output_size = 2 * num_units * self._total_blocks * 2

    def call(self, inputs, state):
        batch_size = _batch_size(inputs)
        forward = self._frequency_blocks(inputs)
        backward = (self._frequency_blocks(inputs, self._backward_slice_offset)
                    if self._backward_slice_offset else forward)
        outputs, states = {}, {}
        for direction, blocks in (("fwd", forward), ("bwd", [b[::-1] for b in backward])):
            outputs[direction], states[direction] = [], []
            with v1.variable_scope(direction):
                for block, slices in enumerate(blocks):
                    block_outputs, block_states = self._compute(
                        slices, block, state, batch_size, f"{direction}_state", True)
                    outputs[direction] += block_outputs
                    states[direction] += block_states
        return (tf.concat(outputs["fwd"] + outputs["bwd"], 1),
                self._state_tuple_type(*states["fwd"], *states["bwd"]))


GRID_CELLS = {"TimeFreqLSTMCell": TimeFreqLSTMCell, "GridLSTMCell": GridLSTMCell,
              "BidirectionalGridLSTMCell": BidirectionalGridLSTMCell}
