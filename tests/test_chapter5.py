"""Chapter 5: the dense reshape trick (05_01) and variable-length records (05_02).

Graph builders are checked against NumPy and tensordot, the whole models against their
eager networks (track_tf1_style_variables) with the same weights, forward and Adam steps.
"""

import numpy as np
import pytest

from conftest import gru_stack
from graphrnn import energy
from graphrnn import eager, graph_holder, layers, sine_records, train
from graphrnn.compat import tf, v1
from graphrnn.config import Config
from tutorials import RNN_SEQ, RNN_VARIABLE_SEQ

N_FEATURES = 3


def run_dense_reshape(outputs, n_outputs):
    """(projected, kernel, bias, variable names) of dense_reshape on a (B, T, H) batch."""
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(1)
        placeholder = v1.placeholder(tf.float32, [None, *outputs.shape[1:]])
        with v1.variable_scope("predictions", initializer=layers.seeded_glorot()):
            projected = layers.dense_reshape(placeholder, n_outputs)
        kernel_variable, bias_variable = v1.trainable_variables()
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            # a random bias: the zeros it starts with would hide a bias added wrongly
            bias = np.random.default_rng(2).normal(size=n_outputs).astype(np.float32)
            bias_variable.load(bias, session)
            return (session.run(projected, {placeholder: outputs}), session.run(kernel_variable),
                    bias, [kernel_variable.name, bias_variable.name])


def test_dense_reshape_trick_applies_one_kernel_at_every_step():
    rng = np.random.default_rng(0)
    outputs = rng.normal(size=(5, 7, 4)).astype(np.float32)  # (B, T, H)
    projected, kernel, bias, names = run_dense_reshape(outputs, 2)
    assert names == ["predictions/output_projection/dense/kernel:0",
                     "predictions/output_projection/dense/bias:0"]
    assert projected.shape == (5, 7, 2) and kernel.shape == (4, 2)
    per_step = np.stack([outputs[:, t] @ kernel + bias for t in range(7)], axis=1)  # NumPy
    np.testing.assert_allclose(projected, per_step, atol=1e-6)
    contracted = (tf.tensordot(outputs, kernel, axes=1) + bias).numpy()  # eager tensordot
    np.testing.assert_allclose(projected, contracted, atol=1e-6)


def test_dense_reshape_needs_known_steps_and_units():
    with tf.Graph().as_default():
        unknown = v1.placeholder(tf.float32, [None, None, 4])
        with pytest.raises(ValueError, match="needs a known"):
            layers.dense_reshape(unknown, 1)


@pytest.fixture
def seq_config():
    return Config(INPUT_SEQUENCE_LENGTH=6, OUTPUT_SEQUENCE_LENGTH=6, DROPOUT_RATE=0.5,
                  RNN_LAYERS=[{"units": 5}, {"units": 3}], INITIAL_LEARNING_RATE=0.01,
                  OPTIMIZER="adam")  # the chapter's


@pytest.fixture
def variable_config():
    return Config(INPUT_SEQUENCE_LENGTH=7, RNN_LAYERS=[{"units": 5}, {"units": 3}],
                  INITIAL_LEARNING_RATE=0.01, UNROLL="dynamic", OPTIMIZER="adam")


def test_05_01_predicts_every_step_for_any_batch_size(seq_config):
    model = graph_holder.build(RNN_SEQ, seq_config, N_FEATURES, 2)
    assert model.prediction.name.startswith("predictions/output_projection/")
    assert model.target.shape.as_list() == [None, 6, 2]
    rng = np.random.default_rng(1)
    with model.new_session() as session:
        session.run(model.initializer)
        for batch in (1, 37):  # 37: a batch size the graph has never seen
            x = rng.random((batch, 6, N_FEATURES)).astype(np.float32)
            assert session.run(model.prediction, {model.predictors: x}).shape == (batch, 6, 2)


def test_05_01_loss_is_the_mse_over_every_step(seq_config):
    model = graph_holder.build(RNN_SEQ, seq_config, N_FEATURES, 1)
    rng = np.random.default_rng(2)
    x = rng.random((4, 6, N_FEATURES)).astype(np.float32)
    y = rng.random((4, 6, 1)).astype(np.float32)
    with model.new_session() as session:
        session.run(model.initializer)
        prediction, mse = session.run([model.prediction, model.mse],
                                      {model.predictors: x, model.target: y})
    assert mse == pytest.approx(np.mean((prediction - y) ** 2), rel=1e-5)
    optimizers = {op.type for op in model.graph.get_operations() if op.name.startswith("training")}
    assert "ResourceApplyAdam" in optimizers


def test_05_01_refuses_an_output_length_other_than_the_input_length():
    with pytest.raises(ValueError, match="must equal INPUT_SEQUENCE_LENGTH \\(6\\), got 1"):
        graph_holder.build(RNN_SEQ, Config(INPUT_SEQUENCE_LENGTH=6), N_FEATURES, 1)


def twin_with(variant, config, weights, n_targets):
    twin = eager.EagerNetwork(variant, config, n_targets)
    twin.create_variables(N_FEATURES)
    eager.load_weights(twin, weights)
    return twin


def batch_for(variant, config, n_targets, rng):
    """(x, y, lengths) of 8 windows: y is (8, T, G) for 05_01, lengths only for 05_02."""
    width = config.INPUT_SEQUENCE_LENGTH
    x = rng.random((8, width, N_FEATURES)).astype(np.float32)
    y = rng.random((8, config.OUTPUT_SEQUENCE_LENGTH, n_targets)).astype(np.float32)
    lengths = None
    if variant.variable_length:
        lengths = np.array([7, 1, 3, 7, 5, 2, 6, 4], np.int32)
        x[np.arange(width)[None, :] >= lengths[:, None]] = 0.0  # zero padding
    return x, y, lengths


def graph_feed(model, x, y, lengths):
    values = {model.predictors: x, model.target: y}
    if lengths is not None:
        values[model.sequence_length] = lengths
    return values


@pytest.mark.parametrize("variant_name", ["RNN_SEQ", "RNN_VARIABLE_SEQ"])
def test_chapter_5_graph_and_eager_agree_forward_and_for_three_adam_steps(
        variant_name, seq_config, variable_config):
    variant = {"RNN_SEQ": RNN_SEQ, "RNN_VARIABLE_SEQ": RNN_VARIABLE_SEQ}[variant_name]
    config = seq_config if variant.every_step else variable_config
    x, y, lengths = batch_for(variant, config, 2, np.random.default_rng(3))
    model = graph_holder.build(variant, config, N_FEATURES, 2)
    feed = graph_feed(model, x, y, lengths)
    with model.new_session() as session:
        session.run(model.initializer)
        initial = eager.session_weights(session)
        graph_prediction = session.run(model.prediction, feed)
        graph_losses = [session.run([model.train_op, model.loss], feed)[1] for _ in range(3)]
        trained = eager.session_weights(session)

    twin = twin_with(variant, config, initial, 2)
    eager_prediction = twin(x, sequence_length=lengths).numpy()
    np.testing.assert_allclose(eager_prediction, graph_prediction, atol=1e-6)
    optimizer = v1.train.AdamOptimizer(config.INITIAL_LEARNING_RATE)
    eager_losses = [float(eager.optimizer_step(twin, optimizer, x, y, sequence_length=lengths))
                    for _ in range(3)]
    np.testing.assert_allclose(eager_losses, graph_losses, atol=1e-5, rtol=0)
    assert graph_losses[2] < graph_losses[0]
    for variable in twin.trainable_variables:
        np.testing.assert_allclose(variable.numpy(), trained[eager.scoped_name(variable)],
                                   atol=1e-5)


def test_05_01_dropout_on_every_step_matches_eager(seq_config):
    x, _, _ = batch_for(RNN_SEQ, seq_config, 1, np.random.default_rng(4))
    with v1.keras.utils.DeterministicRandomTestTool(mode="constant").scope():
        model = graph_holder.build(RNN_SEQ, seq_config, N_FEATURES, 1)
    for switch in (False, True):  # one graph, a fresh Session (the first masks) for each
        with model.new_session() as session:
            session.run(model.initializer)
            graph_out = session.run(model.prediction,
                                    {model.predictors: x, model.dropout_switch: switch})
            plain = session.run(model.prediction, {model.predictors: x})
            weights = eager.session_weights(session)
        with v1.keras.utils.DeterministicRandomTestTool(mode="constant").scope():
            twin = twin_with(RNN_SEQ, seq_config, weights, 1)
            eager_out = tf.function(lambda inputs: twin(inputs, dropout_switch=switch))(x)
        np.testing.assert_allclose(eager_out.numpy(), graph_out, atol=1e-6)
        assert (np.abs(graph_out - plain).max() > 1e-3) == switch


# ------------------------------------------------------------------ 05_02: sequence_length


def rnn_outputs_and_states(records_batch, lengths, weights=None):
    """Run two GRU layers (dynamic_rnn) on (B, T, F) with optional lengths.

    Returns (outputs, last layer's final state, weights) so a second call can reuse them.
    """
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(0)
        predictors = v1.placeholder(tf.float32, [None, None, N_FEATURES])
        length_input = v1.placeholder(tf.int32, [None]) if lengths is not None else None
        outputs, state = gru_stack(predictors, [5, 3], length_input)
        variables = v1.trainable_variables()
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            if weights is not None:
                for variable, value in zip(variables, weights):
                    variable.load(value, session)
            feed = {predictors: records_batch}
            if lengths is not None:
                feed[length_input] = lengths
            values = session.run([outputs, state[-1]], feed)
            return values[0], values[1], session.run(variables)


def test_outputs_past_each_length_are_zero_and_states_are_those_of_the_unpadded_record():
    rng = np.random.default_rng(5)
    lengths = np.array([5, 2, 7], np.int32)
    padded = rng.normal(size=(3, 7, N_FEATURES)).astype(np.float32)
    padded[np.arange(7)[None, :] >= lengths[:, None]] = 0.0
    outputs, states, weights = rnn_outputs_and_states(padded, lengths)
    for record, length in enumerate(lengths):
        assert np.all(outputs[record, length:] == 0.0)
        assert np.all(np.abs(outputs[record, :length]).sum(axis=-1) > 0)
        _, alone, _ = rnn_outputs_and_states(padded[record:record + 1, :length], None, weights)
        np.testing.assert_allclose(states[record], alone[0], atol=1e-6)
        np.testing.assert_allclose(states[record], outputs[record, length - 1], atol=1e-6)


@pytest.mark.parametrize("unroll", ["dynamic", "static"])
def test_05_02_ignores_whatever_lies_past_each_length(variable_config, unroll):
    model = graph_holder.build(RNN_VARIABLE_SEQ, variable_config.replace(UNROLL=unroll),
                               N_FEATURES, 1)
    x, _, lengths = batch_for(RNN_VARIABLE_SEQ, variable_config, 1,
                              np.random.default_rng(6))
    noisy = x.copy()
    padding = np.arange(7)[None, :] >= lengths[:, None]
    noisy[padding] = 9.0  # garbage instead of zeros in the padding
    with model.new_session() as session:
        session.run(model.initializer)
        clean = train.predict(session, model, x, lengths=lengths)
        garbage = train.predict(session, model, noisy, lengths=lengths)
        unmasked = session.run(model.prediction, {model.predictors: noisy,
                                                  model.sequence_length: np.full(8, 7)})
    np.testing.assert_allclose(garbage, clean, atol=1e-6)
    assert np.abs(unmasked - clean).max() > 1e-3  # without the lengths the garbage counts


@pytest.mark.parametrize("lengths, message", [
    ([3, 0, 2], "record 1 has sequence length 0, but a length must be between 1 and the "
                "padded width 7"),
    ([3, 8, 2], "record 1 has sequence length 8"),
    ([3, 2], "one number per record \\(3\\)"),
    ([3.0, 2.0, 1.0], "must be integers"),
])
def test_bad_lengths_are_refused_before_the_session_runs(variable_config, lengths, message):
    model = graph_holder.build(RNN_VARIABLE_SEQ, variable_config, N_FEATURES, 1)
    x = np.zeros((3, 7, N_FEATURES), np.float32)

    class NoSession:
        def run(self, *args, **kwargs):
            raise AssertionError("the session ran")

    with pytest.raises(energy.DataError, match=message):
        train.predict(NoSession(), model, x, lengths=np.array(lengths))
    with pytest.raises(ValueError, match="needs the records' sequence lengths"):
        train.feed(model, x)


# ------------------------------------------------------------------ data


def test_every_step_windows_shift_each_input_step_by_steps_ahead(small_frame):
    config = Config(INPUT_SEQUENCE_LENGTH=6, OUTPUT_SEQUENCE_LENGTH=6,
                    OUTPUT_SEQUENCE_STEPS_AHEAD=2)
    data = energy.prepare_energy(small_frame, config, every_step=True)
    train_part = data.train
    assert train_part.inputs.shape[1:] == (6, 28) and train_part.targets.shape[1:] == (6, 1)
    column = data.features.index("Appliances")
    # the target at step t is the input reading two steps later: window i's step t + 2,
    # which is window (i + 2)'s step t
    np.testing.assert_array_equal(train_part.targets[:-2, :, 0],
                                  train_part.inputs[2:, :, column])
    np.testing.assert_array_equal(train_part.persistence[..., 0], train_part.inputs[..., column])
    gap = (train_part.timestamps[0] - small_frame["date"].to_numpy()[:6])
    assert (gap == np.timedelta64(20, "m")).all()
    train_rows, _ = energy.split_points(len(small_frame), config.VALIDATION_FRACTION,
                                        config.TEST_FRACTION)
    assert len(train_part) == train_rows - 6 - 2 + 1  # the last target is the last row


def test_records_are_zero_padded_with_their_lengths_and_persistence():
    config = Config(INPUT_SEQUENCE_LENGTH=20, OUTPUT_SEQUENCE_STEPS_AHEAD=3)
    data = sine_records.make_records(config, count=400)
    assert (len(data.train), len(data.validation), len(data.test)) == (280, 60, 60)
    for part in (data.train, data.validation, data.test):
        assert part.inputs.shape[1:] == (20, 1) and part.targets.shape[1:] == (1, 1)
        assert part.lengths.min() >= 5 and part.lengths.max() <= 20
        padding = np.arange(20)[None, :] >= part.lengths[:, None]
        assert np.all(part.inputs[padding] == 0) and np.all(part.inputs[~padding] != 0)
        last = part.inputs[np.arange(len(part)), part.lengths - 1, 0]
        np.testing.assert_array_equal(part.persistence[:, 0, 0], last)
    assert len(np.unique(data.train.lengths)) > 10
    again = sine_records.make_records(config, count=400)
    np.testing.assert_array_equal(again.test.inputs, data.test.inputs)


def test_records_refuse_too_few_to_split():
    with pytest.raises(energy.DataError, match="at least 3 records"):
        sine_records.make_records(Config(), count=2)


@pytest.mark.slow
def test_05_02_static_and_dynamic_unrolling_give_the_same_predictions(variable_config):
    x, _, lengths = batch_for(RNN_VARIABLE_SEQ, variable_config, 1,
                              np.random.default_rng(8))
    results, weights = {}, None
    for unroll in ("dynamic", "static"):
        model = graph_holder.build(RNN_VARIABLE_SEQ, variable_config.replace(UNROLL=unroll),
                                   N_FEATURES, 1)
        variables = model.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)
        with model.new_session() as session:
            session.run(model.initializer)
            if weights is None:
                weights = eager.session_weights(session)
            else:
                for variable in variables:
                    variable.load(weights[eager.scoped_name(variable)], session)
            results[unroll] = train.predict(session, model, x, lengths=lengths)
    np.testing.assert_allclose(results["static"], results["dynamic"], atol=1e-6)
