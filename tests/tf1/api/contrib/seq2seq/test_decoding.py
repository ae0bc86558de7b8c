"""tf.contrib.seq2seq's dynamic decoding as graphrnn-tf1 rebuilds it: BasicDecoder with
each helper, run by dynamic_decode, against a NumPy decoder (reference_seq2seq) on the
weights the graph created, which are read by their TF 1.15 names."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.seq2seq import decoding as seq2seq
from reference_cells import basic_rnn_step
from reference_seq2seq import dense, greedy, replay, teacher_forced

B, T, F, H, V = 3, 5, 4, 6, 7
RNG = np.random.default_rng(11)
INPUTS = RNG.normal(size=(B, T, F)).astype(np.float32)
LENGTHS = np.array([5, 2, 3], np.int32)
EMBEDDING = RNG.normal(size=(V, F)).astype(np.float32)
INITIAL = RNG.normal(size=(B, H)).astype(np.float32)


def build(helper_fn, impute_finished=False, **decode_options):
    """A BasicRNNCell(H) decoder with a Dense(V) head; returns (outputs, state, lengths)."""
    cell = v1.nn.rnn_cell.BasicRNNCell(H)
    helper = helper_fn()
    decoder = seq2seq.BasicDecoder(cell, helper, tf.constant(INITIAL),
                                   output_layer=v1.layers.Dense(V))
    return seq2seq.dynamic_decode(decoder, impute_finished=impute_finished, **decode_options)


def run_with_weights(fetches):
    """Run fetches; also return the decoder's weights, by their TF 1.15 names."""
    names = ["decoder/basic_rnn_cell/kernel", "decoder/basic_rnn_cell/bias",
             "decoder/dense/kernel", "decoder/dense/bias"]
    variables = {v.op.name: v for v in v1.trainable_variables()}
    assert sorted(variables) == sorted(names)
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        values, weights = session.run([fetches, variables])
    step = basic_rnn_step({"kernel": weights[names[0]], "bias": weights[names[1]]})
    return values, step, dense(weights[names[2]], weights[names[3]])


@pytest.mark.parametrize("impute_finished", [False, True])
def test_training_helper_decodes_as_teacher_forcing(impute_finished):
    with tf.Graph().as_default():
        outputs, state, lengths = build(
            lambda: seq2seq.TrainingHelper(tf.constant(INPUTS), tf.constant(LENGTHS)),
            impute_finished=impute_finished)
        assert isinstance(outputs, seq2seq.BasicDecoderOutput)
        (out, state, lengths), step, project = run_with_weights((outputs, state, lengths))
    want = teacher_forced(step, project, INPUTS, LENGTHS, INITIAL, impute_finished)
    assert out.rnn_output.shape == (B, T, V) and out.sample_id.dtype == np.int32
    np.testing.assert_allclose(out.rnn_output, want[0], atol=1e-5)
    np.testing.assert_array_equal(out.sample_id, want[1])
    np.testing.assert_allclose(state, want[2], atol=1e-5)
    np.testing.assert_array_equal(lengths, LENGTHS)
    if impute_finished:  # zeros past each length
        assert not out.rnn_output[1, 2:].any() and out.rnn_output[1, 1].any()


def test_time_major_training_helper_and_time_major_output():
    with tf.Graph().as_default():
        outputs, _, _ = build(lambda: seq2seq.TrainingHelper(
            tf.constant(INPUTS.transpose(1, 0, 2)), tf.constant(LENGTHS), time_major=True),
            output_time_major=True)
        out, step, project = run_with_weights(outputs)
    want = teacher_forced(step, project, INPUTS, LENGTHS, INITIAL, False)
    np.testing.assert_allclose(out.rnn_output, want[0].transpose(1, 0, 2), atol=1e-5)


@pytest.mark.parametrize("maximum_iterations", [2, 9])
def test_greedy_embedding_helper_feeds_back_the_argmax_until_end_token(maximum_iterations):
    start, end = np.array([1, 2, 3], np.int32), 4
    with tf.Graph().as_default():
        outputs, state, lengths = build(
            lambda: seq2seq.GreedyEmbeddingHelper(tf.constant(EMBEDDING), start, end),
            maximum_iterations=maximum_iterations)
        (out, state, lengths), step, project = run_with_weights((outputs, state, lengths))
    want = greedy(step, project, EMBEDDING, start, end, INITIAL, maximum_iterations)
    np.testing.assert_array_equal(out.sample_id, want[1])
    np.testing.assert_allclose(out.rnn_output, want[0], atol=1e-5)
    np.testing.assert_allclose(state, want[2], atol=1e-5)
    np.testing.assert_array_equal(lengths, want[3])
    assert out.sample_id.shape[1] <= maximum_iterations


def test_scheduled_embedding_helper_feeds_the_embedding_of_what_it_sampled():
    with tf.Graph().as_default():
        v1.set_random_seed(3)
        outputs, _, _ = build(lambda: seq2seq.ScheduledEmbeddingTrainingHelper(
            tf.constant(INPUTS), tf.constant([T] * B), tf.constant(EMBEDDING), 0.5, seed=1,
            scheduling_seed=2))
        out, step, project = run_with_weights(outputs)
    ids = out.sample_id
    assert (ids == -1).any() and (ids >= 0).any()  # some steps sampled, some did not
    want = replay(step, project, INPUTS, EMBEDDING, ids, INITIAL)
    np.testing.assert_allclose(out.rnn_output, want, atol=1e-5)


@pytest.mark.parametrize("probability", [0.0, 1.0])
def test_scheduled_output_helper_reads_inputs_or_its_outputs(probability):
    auxiliary = RNG.normal(size=(B, T, 2)).astype(np.float32)

    def helper():  # outputs (V) + auxiliary (2) must match the inputs' width (F + 2)
        return seq2seq.ScheduledOutputTrainingHelper(
            tf.constant(INPUTS), tf.constant([T] * B), probability,
            next_inputs_fn=lambda out: out[:, :F], auxiliary_inputs=tf.constant(auxiliary))

    with tf.Graph().as_default():
        outputs, _, _ = build(helper)
        out, step, project = run_with_weights(outputs)
    assert out.sample_id.dtype == bool and (out.sample_id == bool(probability)).all()
    state, x, want = INITIAL, np.concatenate([INPUTS[:, 0], auxiliary[:, 0]], -1), []
    for t in range(T):
        output, state = step(x, state)
        want.append(project(output))
        if t + 1 < T:
            fed = want[-1][:, :F] if probability else INPUTS[:, t + 1]
            x = np.concatenate([fed, auxiliary[:, t + 1]], -1)
    np.testing.assert_allclose(out.rnn_output, np.stack(want, 1), atol=1e-5)


def test_inference_and_custom_helpers_on_continuous_outputs():
    """An InferenceHelper feeding back the first F outputs (next_inputs_fn) until one
    exceeds 0.9, and the same loop as a CustomHelper, decode alike."""
    sample_fn = lambda out: out[:, :F]  # noqa: E731
    end_fn = lambda sample: tf.reduce_max(sample, -1) > 0.9  # noqa: E731
    start = INPUTS[:, 0]

    def custom():
        return seq2seq.CustomHelper(
            lambda: (tf.tile([False], [B]), tf.constant(start)),
            lambda time, outputs, state: sample_fn(outputs),
            lambda time, outputs, state, sample_ids: (end_fn(sample_ids), sample_ids, state),
            sample_ids_shape=[F], sample_ids_dtype=tf.float32)

    for helper in (lambda: seq2seq.InferenceHelper(sample_fn, [F], tf.float32, start,
                                                   end_fn, lambda sample: sample), custom):
        with tf.Graph().as_default():
            outputs, _, lengths = build(helper, maximum_iterations=6)
            (out, lengths), step, project = run_with_weights((outputs, lengths))
        state, x, finished, want = INITIAL, start, np.zeros(B, bool), []
        want_lengths = np.zeros(B, int)
        for t in range(out.rnn_output.shape[1]):
            output, state = step(x, state)
            want.append(project(output))
            x = want[-1][:, :F]
            want_lengths[~finished] = t + 1
            finished |= x.max(-1) > 0.9
        np.testing.assert_allclose(out.rnn_output, np.stack(want, 1), atol=1e-5)
        np.testing.assert_array_equal(lengths, want_lengths)
        assert finished.all() or out.rnn_output.shape[1] == 6


def test_refusals_match_tf1():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="Expected decoder to be type Decoder"):
            seq2seq.dynamic_decode(object())
        helper = seq2seq.TrainingHelper(tf.constant(INPUTS), tf.constant(LENGTHS))
        decoder = seq2seq.BasicDecoder(v1.nn.rnn_cell.BasicRNNCell(H), helper,
                                       tf.constant(INITIAL))
        with pytest.raises(ValueError, match="maximum_iterations must be a scalar"):
            seq2seq.dynamic_decode(decoder, maximum_iterations=[3, 4])
        with pytest.raises(ValueError, match="start_tokens must be a vector"):
            seq2seq.GreedyEmbeddingHelper(EMBEDDING, 1, 2)
        with pytest.raises(ValueError, match="batch_size accessed before initialize"):
            seq2seq.CustomHelper(None, None, None).batch_size
        with pytest.raises(TypeError, match="is not an RNNCell"):
            seq2seq.BasicDecoder(object(), helper, tf.constant(INITIAL))
