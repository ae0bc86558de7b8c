"""tf.contrib.legacy_seq2seq's losses and rnn_decoder as graphrnn-tf1 rebuilds them,
checked against NumPy, with TF1's scope names."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib import legacy_seq2seq
# the same logits, targets and weights as sequence_loss's tests, and their NumPy losses
from tf1.api.contrib.seq2seq.test_loss import B, LOGITS, LOSS, RNG, T, TARGETS, WEIGHTS, run


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
