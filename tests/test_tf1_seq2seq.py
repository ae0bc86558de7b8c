"""tf.contrib's seq2seq losses, legacy rnn_decoder, layers.linear and the block cells, as
graphrnn-tf1 rebuilds them: each checked against NumPy (or TensorFlow's own fused kernel),
with TF1's variable names."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.rnn import core as contrib
from graphrnn.tf1.api.contrib.layers import layers as contrib_layers
from graphrnn.tf1.api.contrib import legacy_seq2seq
from graphrnn.tf1.api.contrib import seq2seq
from reference_cells import crossent

RNG = np.random.default_rng(7)
B, T, C = 3, 4, 5
LOGITS = RNG.normal(size=(B, T, C)).astype(np.float32)
TARGETS = RNG.integers(0, C, size=(B, T)).astype(np.int32)
WEIGHTS = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [0.5, 2, 1, 1]], np.float32)


def run(*fetches):
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        return session.run(list(fetches))


LOSS = crossent(LOGITS, TARGETS) * WEIGHTS  # (B, T)
NONZERO = (WEIGHTS != 0).astype(np.float32)


@pytest.mark.parametrize("flags, expected", [
    ({}, LOSS.sum() / WEIGHTS.sum()),
    ({"average_across_batch": False}, LOSS.sum(1) / WEIGHTS.sum(1)),
    ({"average_across_timesteps": False}, LOSS.sum(0) / WEIGHTS.sum(0)),
    ({"average_across_timesteps": False, "average_across_batch": False}, LOSS),
    ({"average_across_timesteps": False, "average_across_batch": False,
      "sum_over_timesteps": True, "sum_over_batch": True}, LOSS.sum() / NONZERO.sum()),
    ({"average_across_timesteps": False, "average_across_batch": False,
      "sum_over_timesteps": True}, LOSS.sum(1) / NONZERO.sum(1)),
    ({"average_across_timesteps": False, "average_across_batch": False,
      "sum_over_batch": True}, LOSS.sum(0) / NONZERO.sum(0)),
    # TF 1.15: one averaged axis wins over a summed other axis
    ({"average_across_batch": False, "sum_over_batch": True}, LOSS.sum(1) / WEIGHTS.sum(1)),
])
def test_sequence_loss_matches_numpy_for_every_reduction(flags, expected):
    with tf.Graph().as_default():
        loss = seq2seq.loss.sequence_loss(tf.constant(LOGITS), tf.constant(TARGETS),
                                     tf.constant(WEIGHTS), **flags)
        assert loss.op.name.startswith("sequence_loss")
        (value,) = run(loss)
    assert value.shape == np.shape(expected)
    np.testing.assert_allclose(value, expected, rtol=1e-5)


def test_sequence_loss_takes_a_softmax_loss_function_and_checks_its_arguments():
    seen = {}

    def squared(labels, logits):  # named arguments, as TF1 required
        seen["shapes"] = (labels.shape.as_list(), logits.shape.as_list())
        return tf.reduce_sum(tf.square(logits), axis=1) + tf.cast(labels, tf.float32)

    with tf.Graph().as_default():
        loss = seq2seq.loss.sequence_loss(tf.constant(LOGITS), tf.constant(TARGETS),
                                     tf.constant(WEIGHTS), softmax_loss_function=squared)
        (value,) = run(loss)
        with pytest.raises(ValueError, match="Logits must be a"):
            seq2seq.loss.sequence_loss(tf.constant(LOGITS[0]), tf.constant(TARGETS),
                                  tf.constant(WEIGHTS))
        with pytest.raises(ValueError, match="cannot be set to True at same time"):
            seq2seq.loss.sequence_loss(tf.constant(LOGITS), tf.constant(TARGETS),
                                  tf.constant(WEIGHTS), sum_over_batch=True)
    assert seen["shapes"] == ([B * T], [B * T, C])  # flattened: one row per step
    per_step = (LOGITS ** 2).sum(-1) + TARGETS
    assert value == pytest.approx((per_step * WEIGHTS).sum() / WEIGHTS.sum(), rel=1e-5)


def test_legacy_sequence_loss_by_example_and_sequence_loss_match_numpy():
    with tf.Graph().as_default():
        logits = [tf.constant(LOGITS[:, t]) for t in range(T)]
        targets = [tf.constant(TARGETS[:, t]) for t in range(T)]
        weights = [tf.constant(WEIGHTS[:, t]) for t in range(T)]
        by_example = legacy_seq2seq.sequence_loss_by_example(logits, targets, weights)
        summed = legacy_seq2seq.sequence_loss_by_example(logits, targets, weights,
                                                         average_across_timesteps=False)
        mean = legacy_seq2seq.sequence_loss(logits, targets, weights)
        total = legacy_seq2seq.sequence_loss(logits, targets, weights,
                                             average_across_batch=False)
        values = run(by_example, summed, mean, total)
        with pytest.raises(ValueError, match="must be the same 4, 3, 4"):
            legacy_seq2seq.sequence_loss_by_example(logits, targets, weights[:3])
    per_sequence = LOSS.sum(1) / (WEIGHTS.sum(1) + 1e-12)
    np.testing.assert_allclose(values[0], per_sequence, rtol=1e-5)
    np.testing.assert_allclose(values[1], LOSS.sum(1), rtol=1e-5)
    assert values[2] == pytest.approx(per_sequence.sum() / B, rel=1e-5)
    assert values[3] == pytest.approx(per_sequence.sum(), rel=1e-5)


def test_rnn_decoder_feeds_back_its_outputs_through_loop_function_and_names_its_scope():
    inputs = RNG.normal(size=(T, B, 3)).astype(np.float32)
    start = RNG.normal(size=(B, 3)).astype(np.float32)
    with tf.Graph().as_default():
        cell = v1.nn.rnn_cell.BasicRNNCell(3)
        steps = [tf.constant(x) for x in inputs]
        fed, fed_state = legacy_seq2seq.rnn_decoder(steps, tf.constant(start), cell)
        looped, _ = legacy_seq2seq.rnn_decoder(
            steps, tf.constant(start), cell, scope="rnn_decoder",
            loop_function=lambda previous, step: previous * 0.5 + float(step))
        names = [v.name for v in v1.global_variables()]
        kernel, bias = cell.variables
        values = run(fed, fed_state, looped, kernel, bias)
    assert names == ["rnn_decoder/basic_rnn_cell/kernel:0", "rnn_decoder/basic_rnn_cell/bias:0"]
    fed_out, fed_state_out, looped_out, w, b = values

    def decode(loop):
        h, outputs, previous = start, [], None
        for t, x in enumerate(inputs):
            if loop and previous is not None:
                x = previous * 0.5 + t
            h = np.tanh(np.concatenate([x, h], 1) @ w + b)
            outputs.append(h)
            previous = h
        return outputs

    np.testing.assert_allclose(fed_out, decode(False), atol=1e-5)
    np.testing.assert_allclose(fed_state_out, decode(False)[-1], atol=1e-5)
    np.testing.assert_allclose(looped_out, decode(True), atol=1e-5)
    assert np.abs(np.array(looped_out) - np.array(fed_out)).max() > 1e-2


def test_layers_linear_is_fully_connected_without_an_activation():
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    with tf.Graph().as_default():
        out = contrib_layers.linear(tf.constant(x), 4, scope="projection",
                                    biases_initializer=v1.constant_initializer(-10.0))
        names = [v.name for v in v1.trainable_variables()]
        w, b = v1.trainable_variables()
        value, w, b = run(out, w, b)
    assert names == ["projection/weights:0", "projection/biases:0"]
    np.testing.assert_allclose(value, x @ w + b, atol=1e-6)
    assert (value < 0).all()  # no relu: it would have made them 0


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


# TF 1.15's API page for tf.contrib.seq2seq (tensorflow.org/versions/r1.15): its classes
# and functions, as reference facts
TF115_SEQ2SEQ = [
    "AttentionMechanism", "AttentionWrapper", "AttentionWrapperState", "BahdanauAttention",
    "BahdanauMonotonicAttention", "BasicDecoder", "BasicDecoderOutput", "BeamSearchDecoder",
    "BeamSearchDecoderOutput", "BeamSearchDecoderState", "CustomHelper", "Decoder",
    "FinalBeamSearchDecoderOutput", "GreedyEmbeddingHelper", "Helper", "InferenceHelper",
    "LuongAttention", "LuongMonotonicAttention", "SampleEmbeddingHelper",
    "ScheduledEmbeddingTrainingHelper", "ScheduledOutputTrainingHelper", "TrainingHelper",
    "dynamic_decode", "gather_tree", "hardmax", "monotonic_attention", "safe_cumprod",
    "sequence_loss", "tile_batch"]


def test_the_whole_seq2seq_api_is_there_under_its_public_and_module_paths():
    from graphrnn.tf1.runner import migration, view

    assert sorted(seq2seq.SEQ2SEQ) == sorted(TF115_SEQ2SEQ)
    root = view.tf1_namespace()
    for module, names in seq2seq.SEQ2SEQ_MODULES.items():
        for name in names:
            deep = view.resolve(root, f"tf.contrib.seq2seq.python.ops.{module}.{name}")
            assert deep is view.resolve(root, f"tf.contrib.seq2seq.{name}")
    with pytest.raises(view.RemovedSymbol):
        view.resolve(root, "tf.contrib.seq2seq.python.ops.helper.NoSuchHelper")
    row = migration.lookup("tf.contrib.seq2seq.python.ops.beam_search_decoder.BeamSearchDecoder")
    assert row.tf1 == "tf.contrib.seq2seq.BeamSearchDecoder"
