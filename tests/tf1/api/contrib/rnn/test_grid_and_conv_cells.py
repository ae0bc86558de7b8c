"""tf.contrib.rnn's frequency-and-time LSTMs (TimeFreqLSTMCell, GridLSTMCell,
BidirectionalGridLSTMCell) and convolutional LSTMs, run by TF against NumPy
transcriptions of their papers' equations on the weights read by their TF 1.15 names."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.rnn import conv_lstm_cells, grid_cells
from reference_cells import run as unroll
from reference_cells import sigmoid

RNG = np.random.default_rng(11)
B, T, F, H = 2, 3, 5, 3
INPUTS = RNG.normal(size=(B, T, F)).astype(np.float32)
LENGTHS = np.array([3, 2], np.int32)


def evaluate(outputs, state, assign=None):
    """outputs, state and {variable name below rnn/: value} of the graph built so far;
    assign sets chosen variables (by that name) first."""
    variables = {v.op.name.split("/", 1)[1]: v for v in v1.global_variables()}
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        for name, value in (assign or {}).items():
            variables[name].load(value, session)
        return session.run([outputs, state, variables])


def slices(x, start, count, size=2, skip=1):
    return [x[:, start + k * skip:start + k * skip + size] for k in range(count)]


def test_time_freq_lstm_cell_slides_one_lstm_over_frequency():
    count = F - 2 + 1  # slices of 2 features, one apart
    with tf.Graph().as_default():
        cell = grid_cells.TimeFreqLSTMCell(H, use_peepholes=True, cell_clip=0.8,
                                           feature_size=2, frequency_skip=1, forget_bias=0.5)
        assert (cell.state_size, cell.output_size) == (2 * H, H)  # TF 1.15's: one slice
        outputs, state = v1.nn.static_rnn(
            cell, tf.unstack(tf.constant(INPUTS), axis=1),
            initial_state=tf.zeros([B, 2 * H * count]))
        out, state, w = evaluate(tf.stack(outputs, 1), state, {
            "time_freq_lstm_cell/B": RNG.normal(size=4 * H)})
    n = {name.split("/", 1)[1]: value for name, value in w.items()}
    assert sorted(n) == ["B", "W_0", "W_F_diag", "W_I_diag", "W_O_diag"]
    assert n["W_0"].shape == (2 + 2 * H, 4 * H)

    def step(x, state):
        outputs, new_state, m_below = [], [], np.zeros((B, H))
        for k, x_k in enumerate(slices(x, 0, count)):
            c, m = state[:, 2 * k * H:(2 * k + 1) * H], state[:, (2 * k + 1) * H:(2 * k + 2) * H]
            i, j, f, o = np.split(np.concatenate([x_k, m, m_below], 1) @ n["W_0"] + n["B"], 4, 1)
            c = np.clip(sigmoid(f + 0.5 + n["W_F_diag"] * c) * c
                        + sigmoid(i + n["W_I_diag"] * c) * np.tanh(j), -0.8, 0.8)
            m = sigmoid(o + n["W_O_diag"] * c) * np.tanh(c)
            outputs.append(m)
            new_state += [c, m]
            m_below = m
        return np.concatenate(outputs, 1), np.concatenate(new_state, 1)

    want, final = unroll(step, INPUTS, np.zeros((B, 2 * H * count)))
    assert out.shape == (B, T, H * count)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state, final, atol=2e-5)


def grid_step(n, block_slices, couple, peepholes, share, forget_bias=1.0, prefix=""):
    """A NumPy step of a grid cell: n holds its weights by TF1 name (under prefix);
    block_slices(x) gives each block's slices; the state is (c_time, m_time) per slice."""
    def lstm(matrix, kind, c_freq, c_time, block):
        gates = np.split(matrix, 3 if couple else 4, 1)
        i, j, o = gates[0], gates[1], gates[-1]
        peep = "freq" if share else kind

        def diag(gate, source):
            return n.get(f"{prefix}W_{gate}_diag_{peep}{source}_{block}", 0)
        i = sigmoid(i + diag("I", "f") * c_freq + diag("I", "t") * c_time)
        f = 1 - i if couple else sigmoid(gates[2] + forget_bias + diag("F", "f") * c_freq
                                         + diag("F", "t") * c_time)
        return i, f, j, o, diag

    def step(x, state):
        outputs, new_state, index = [], [], 0
        for block, xs in enumerate(block_slices(x)):
            m_freq = c_freq = np.zeros((B, H))
            w_t = "f" if share else "t"
            for x_k in xs:
                c_time, m_time = state[2 * index], state[2 * index + 1]
                cell_inputs = np.concatenate([x_k, m_time, m_freq], 1)
                i, f, j, o, diag_f = lstm(cell_inputs @ n[f"{prefix}W_f_{block}_0"]
                                          + n[f"{prefix}B_f_{block}"], "freq", c_freq, c_time,
                                          block)
                ti, tf_, tj, to, diag_t = lstm(cell_inputs @ n[f"{prefix}W_{w_t}_{block}_0"]
                                               + n[f"{prefix}B_{w_t}_{block}"], "time", c_freq,
                                               c_time, block)
                c_freq = f * c_freq + i * np.tanh(j)
                c_time = tf_ * c_time + ti * np.tanh(tj)
                m_freq = sigmoid(o + diag_f("O", "f") * c_freq + diag_f("O", "t") * c_time
                                 ) * np.tanh(c_freq)
                m_time = sigmoid(to + diag_t("O", "f") * c_freq + diag_t("O", "t") * c_time
                                 ) * np.tanh(c_time)
                outputs += [m_time, m_freq]
                new_state += [c_time, m_time]
                index += 1
        return np.concatenate(outputs, 1), tuple(new_state)
    return step


@pytest.mark.parametrize("options", [
    {},
    {"use_peepholes": True, "couple_input_forget_gates": True},
    {"use_peepholes": True, "share_time_frequency_weights": True},
    {"use_peepholes": True, "num_frequency_blocks": [2, 2], "start_freqindex_list": [0, 2],
     "end_freqindex_list": [3, 5]},
])
def test_grid_lstm_cell_against_its_equations(options):
    options = {"num_frequency_blocks": [4], **options}
    blocks = options["num_frequency_blocks"]
    starts = options.get("start_freqindex_list", [0])
    with tf.Graph().as_default():
        cell = grid_cells.GridLSTMCell(H, feature_size=2, frequency_skip=1, forget_bias=0.5,
                                       **options)
        outputs, state = v1.nn.dynamic_rnn(cell, tf.constant(INPUTS),
                                           sequence_length=tf.constant(LENGTHS),
                                           dtype=tf.float32)
        assert cell.state_tuple_type._fields[:2] == ("state_f00_b00_c", "state_f00_b00_m")
        out, state, w = evaluate(outputs, state)
    n = {name.split("/", 1)[1]: value for name, value in w.items()}
    couple = options.get("couple_input_forget_gates", False)
    share = options.get("share_time_frequency_weights", False)
    want_names = {f"{kind}_{lstm}_{b}{shard}" for b in range(len(blocks))
                  for lstm in (["f"] if share else ["f", "t"])
                  for kind, shard in (("W", "_0"), ("B", ""))}
    if options.get("use_peepholes"):
        want_names |= {f"W_{gate}_diag_{lstm}{source}_{b}" for b in range(len(blocks))
                       for gate in ("IO" if couple else "FIO")
                       for lstm in (["freq"] if share else ["freq", "time"]) for source in "ft"}
    assert set(n) == want_names
    assert n["W_f_0_0"].shape == (2 + 2 * H, (3 if couple else 4) * H)

    step = grid_step(n, lambda x: [slices(x, s, c) for s, c in zip(starts, blocks)],
                     couple, options.get("use_peepholes"), share, forget_bias=0.5)
    zeros = tuple(np.zeros((B, H)) for _ in range(2 * sum(blocks)))
    want, final = unroll(step, INPUTS, zeros, LENGTHS)
    assert out.shape == (B, T, 2 * H * sum(blocks))
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(np.concatenate(state, 1), np.concatenate(final, 1), atol=2e-5)


def test_grid_lstm_cell_refuses_blocks_that_do_not_cover_the_input():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="requires 3 but gets 4"):
            v1.nn.dynamic_rnn(grid_cells.GridLSTMCell(H, feature_size=2, frequency_skip=1,
                                                      num_frequency_blocks=[3]),
                              tf.constant(INPUTS), dtype=tf.float32)
    with pytest.raises(ValueError, match="Must specify num_frequency_blocks"):
        grid_cells.GridLSTMCell(H)


def test_bidirectional_grid_lstm_cell_reads_the_slices_both_ways():
    with tf.Graph().as_default():
        cell = grid_cells.BidirectionalGridLSTMCell(H, feature_size=2, frequency_skip=1,
                                                    num_frequency_blocks=[4])
        outputs, state = v1.nn.dynamic_rnn(cell, tf.constant(INPUTS), dtype=tf.float32)
        out, state, w = evaluate(outputs, state)
    prefix = "bidirectional_grid_lstm_cell/"
    n = {name[len(prefix):]: value for name, value in w.items()}
    assert sorted(n) == sorted(f"{d}/{k}" for d in ("fwd", "bwd")
                               for k in ("W_f_0_0", "B_f_0", "W_t_0_0", "B_t_0"))
    assert type(state).__name__ == "BidirectionalGridLSTMStateTuple"
    assert state._fields[8] == "bwd_state_f00_b00_c"
    forward = grid_step(n, lambda x: [slices(x, 0, 4)], False, False, False, prefix="fwd/")
    backward = grid_step(n, lambda x: [slices(x, 0, 4)[::-1]], False, False, False,
                         prefix="bwd/")

    def step(x, state):
        out_f, state_f = forward(x, state[:8])
        out_b, state_b = backward(x, state[8:])
        return np.concatenate([out_f, out_b], 1), state_f + state_b

    want, final = unroll(step, INPUTS, tuple(np.zeros((B, H)) for _ in range(16)))
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(np.concatenate(state, 1), np.concatenate(final, 1), atol=2e-5)


def same_convolution(x, kernel):
    """A 'SAME', stride-1 cross-correlation of x (B, *spatial, C) with kernel
    (*k, C, D), as tf.nn.convolution computes it (odd kernel sizes)."""
    spatial = x.shape[1:-1]
    pads = [(k // 2, k // 2) for k in kernel.shape[:-2]]
    padded = np.pad(x, [(0, 0), *pads, (0, 0)])
    out = np.zeros((x.shape[0], *spatial, kernel.shape[-1]))
    for offset in np.ndindex(*kernel.shape[:-2]):
        window = padded[(slice(None),) + tuple(slice(o, o + s) for o, s in
                                               zip(offset, spatial))]
        out += window @ kernel[offset]
    return out


@pytest.mark.parametrize("cell_class, spatial, kernel", [
    (conv_lstm_cells.Conv1DLSTMCell, (6,), [3]),
    (conv_lstm_cells.Conv2DLSTMCell, (4, 5), [3, 3]),
])
def test_conv_lstm_cells_against_the_convolutional_lstm_equations(cell_class, spatial, kernel):
    channels, out_channels = 2, 3
    x = RNG.normal(size=(B, T, *spatial, channels)).astype(np.float32)
    with tf.Graph().as_default():
        cell = cell_class(input_shape=[*spatial, channels], output_channels=out_channels,
                          kernel_shape=kernel, forget_bias=0.5)
        outputs, state = v1.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.float32,
                                           sequence_length=tf.constant(LENGTHS))
        out, state, w = evaluate(outputs, state, {
            f"{cell.name}/biases": RNG.normal(size=4 * out_channels)})
    name = f"conv_{len(spatial)}d_lstm_cell"
    assert sorted(w) == [f"{name}/biases", f"{name}/kernel"]
    assert w[f"{name}/kernel"].shape == (*kernel, channels + out_channels, 4 * out_channels)

    def step(x_t, state):
        c, h = state
        gates = same_convolution(np.concatenate([x_t, h], -1), w[f"{name}/kernel"])
        i, j, f, o = np.split(gates + w[f"{name}/biases"], 4, axis=-1)
        c = sigmoid(f + 0.5) * c + sigmoid(i) * np.tanh(j)
        h = np.tanh(c) * sigmoid(o)
        return h, (c, h)

    zeros = np.zeros((B, *spatial, out_channels))
    want, (c, h) = unroll(step, x, (zeros, zeros), LENGTHS)
    np.testing.assert_allclose(out, want, atol=2e-5)
    np.testing.assert_allclose(state.c, c, atol=2e-5)


def test_conv_lstm_cell_checks_its_input_shape():
    with pytest.raises(ValueError, match=r"Invalid input_shape \[6, 2\] for conv_ndims=2"):
        conv_lstm_cells.Conv2DLSTMCell(input_shape=[6, 2], output_channels=3,
                                       kernel_shape=[3, 3])
