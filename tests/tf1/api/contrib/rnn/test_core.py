"""tf.contrib.rnn's block cells and stack_bidirectional_dynamic_rnn as graphrnn-tf1
rebuilds them: each checked against TensorFlow's own fused kernel or NumPy, with TF1's
variable names."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.rnn import core as contrib

RNG = np.random.default_rng(7)
B = 3


def run(*fetches):
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        return session.run(list(fetches))


@pytest.mark.parametrize("peephole, clip", [(False, None), (True, 0.5)])
def test_lstm_block_cell_matches_tensorflows_fused_lstm_kernel(peephole, clip):
    x = RNG.normal(size=(B, 3)).astype(np.float32)
    c = RNG.normal(size=(B, 4)).astype(np.float32)
    h = RNG.normal(size=(B, 4)).astype(np.float32)
    with tf.Graph().as_default():
        cell = contrib.RNN["LSTMBlockCell"](4, forget_bias=0.7, cell_clip=clip,
                                            use_peephole=peephole)
        out, (new_c, new_h) = cell(tf.constant(x), v1.nn.rnn_cell.LSTMStateTuple(c, h))
        names = sorted(v.name for v in v1.trainable_variables())
        by_name = {v.name.split("/")[-1][:-2]: v for v in v1.trainable_variables()}
        zeros = tf.zeros([4])
        fused = tf.raw_ops.LSTMBlockCell(  # TensorFlow's own kernel of TF1's LSTMBlockCell
            x=x, cs_prev=c, h_prev=h, w=by_name["kernel"], b=by_name["bias"],
            wci=by_name.get("w_i_diag", zeros), wcf=by_name.get("w_f_diag", zeros),
            wco=by_name.get("w_o_diag", zeros), forget_bias=0.7,
            cell_clip=-1 if clip is None else clip, use_peephole=peephole)
        got_out, got_c, want_c, want_h = run(out, new_c, fused.cs, fused.h)
    expected = ["lstm_cell/bias:0", "lstm_cell/kernel:0"]
    if peephole:
        expected += ["lstm_cell/w_f_diag:0", "lstm_cell/w_i_diag:0", "lstm_cell/w_o_diag:0"]
    assert names == sorted(expected)
    np.testing.assert_allclose(got_c, want_c, atol=1e-5)
    np.testing.assert_allclose(got_out, want_h, atol=1e-5)
    if clip is not None:
        assert np.abs(got_c).max() <= clip + 1e-6


def test_gru_block_cell_matches_tensorflows_fused_gru_kernel():
    x = RNG.normal(size=(B, 3)).astype(np.float32)
    h = RNG.normal(size=(B, 4)).astype(np.float32)
    with tf.Graph().as_default():
        cell = contrib.RNN["GRUBlockCell"](cell_size=4)
        out, _ = cell(tf.constant(x), tf.constant(h))
        by_name = {v.name: v for v in v1.trainable_variables()}
        fused = tf.raw_ops.GRUBlockCell(
            x=x, h_prev=h, w_ru=by_name["gru_cell/gates/kernel:0"],
            w_c=by_name["gru_cell/candidate/kernel:0"], b_ru=by_name["gru_cell/gates/bias:0"],
            b_c=by_name["gru_cell/candidate/bias:0"])
        got, want = run(out, fused.h)
    assert sorted(by_name) == ["gru_cell/candidate/bias:0", "gru_cell/candidate/kernel:0",
                               "gru_cell/gates/bias:0", "gru_cell/gates/kernel:0"]
    np.testing.assert_allclose(got, want, atol=1e-5)
    with pytest.raises(ValueError, match="Exactly one of num_units or cell_size"):
        contrib.RNN["GRUBlockCell"](4, cell_size=4)


def test_stack_bidirectional_dynamic_rnn_feeds_each_layer_both_directions():
    x = RNG.normal(size=(2, 5, 3)).astype(np.float32)
    with tf.Graph().as_default():
        cells = [[v1.nn.rnn_cell.BasicRNNCell(n) for n in (4, 2)] for _ in "fb"]
        outputs, states_fw, states_bw = contrib.RNN["stack_bidirectional_dynamic_rnn"](
            cells[0], cells[1], tf.constant(x), dtype=tf.float32)
        variables = {v.name: v for v in v1.trainable_variables()}
        values = run(outputs, states_fw[-1], states_bw[-1], variables)
    out, last_fw, last_bw, weights = values
    prefix = "stack_bidirectional_rnn/cell_{}/bidirectional_rnn/{}/basic_rnn_cell/{}:0"

    def direction(inputs, layer, side):
        w, b = (weights[prefix.format(layer, side, name)] for name in ("kernel", "bias"))
        steps = inputs if side == "fw" else inputs[:, ::-1]
        h, hs = np.zeros((inputs.shape[0], b.shape[0])), []
        for t in range(inputs.shape[1]):
            h = np.tanh(np.concatenate([steps[:, t], h], 1) @ w + b)
            hs.append(h)
        hs = np.stack(hs, 1)
        return hs if side == "fw" else hs[:, ::-1]

    layer_0 = np.concatenate([direction(x, 0, "fw"), direction(x, 0, "bw")], 2)
    top = np.concatenate([direction(layer_0, 1, "fw"), direction(layer_0, 1, "bw")], 2)
    assert out.shape == (2, 5, 4)
    np.testing.assert_allclose(out, top, atol=1e-5)
    np.testing.assert_allclose(last_fw, top[:, -1, :2], atol=1e-5)
    np.testing.assert_allclose(last_bw, top[:, 0, 2:], atol=1e-5)
