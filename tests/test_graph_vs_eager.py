"""The same builders in a Session and eagerly (track_tf1_style_variables) compute the
same numbers: same weights (copied from the session), same inputs, and the same dropout
masks (DeterministicRandomTestTool in "constant" mode: every random op gets the seed
(42, 0), so the graph's dropout op and the eager dropout call draw the same first mask)."""

import numpy as np
import pytest

from graphrnn import eager, models
from graphrnn.compat import v1
from graphrnn.config import Config

N_FEATURES, N_TARGETS = 3, 2


@pytest.fixture
def config():
    return Config(INPUT_SEQUENCE_LENGTH=6, RNN_LAYERS=[{"units": 5}, {"units": 3}],
                  DROPOUT_RATE=0.5, INITIAL_LEARNING_RATE=0.3)


@pytest.fixture
def batch():
    rng = np.random.default_rng(0)
    return (rng.random((8, 6, N_FEATURES)).astype(np.float32),
            rng.random((8, 1, N_TARGETS)).astype(np.float32))


def eager_twin(config, weights):
    """A twin holding the given session weights (built outside any Session block)."""
    twin = eager.DropoutTwin(config, N_TARGETS)
    twin.create_variables(N_FEATURES)  # no random op: dropout is off
    eager.load_weights(twin, weights)
    return twin


@pytest.mark.parametrize("switch", [False, True])
def test_forward_pass_matches(config, batch, switch):
    x, _ = batch
    tool = v1.keras.utils.DeterministicRandomTestTool(mode="constant")
    with tool.scope():
        model = models.dropout_model(config, N_FEATURES, N_TARGETS)
        with v1.Session(graph=model.graph) as session:
            session.run(model.initializer)
            graph_out = session.run(model.prediction,
                                    {model.predictors: x, model.dropout_switch: switch})
            graph_plain = session.run(model.prediction, {model.predictors: x})
            weights = eager.session_weights(session)
    tool = v1.keras.utils.DeterministicRandomTestTool(mode="constant")
    with tool.scope():
        twin = eager_twin(config, weights)
        eager_out = twin(x, dropout_switch=switch).numpy()
    assert eager_out.shape == graph_out.shape == (8, N_TARGETS)
    np.testing.assert_allclose(eager_out, graph_out, atol=1e-6, rtol=0)
    if switch:  # the comparison is only meaningful if dropout changed something
        assert np.abs(graph_out - graph_plain).max() > 1e-2


def test_three_training_steps_match_without_dropout(config, batch):
    x, y = batch
    model = models.dropout_model(config, N_FEATURES, N_TARGETS)
    feed = {model.predictors: x, model.target: y}
    with v1.Session(graph=model.graph) as session:
        session.run(model.initializer)
        initial = eager.session_weights(session)
        graph_losses = [session.run([model.train_op, model.loss], feed)[1] for _ in range(3)]
        trained = eager.session_weights(session)
    twin = eager_twin(config, initial)
    eager_losses = [float(eager.gradient_descent_step(twin, x, y, config.INITIAL_LEARNING_RATE))
                    for _ in range(3)]
    np.testing.assert_allclose(eager_losses, graph_losses, atol=1e-5, rtol=0)
    assert graph_losses[2] < graph_losses[0]  # the steps did something
    for variable in twin.trainable_variables:  # and the updated weights agree too
        np.testing.assert_allclose(variable.numpy(), trained[eager.scoped_name(variable)],
                                   atol=1e-5)


def test_three_training_steps_match_with_dropout(config, batch):
    """Dropout on. Every eager dropout call draws the first mask of seed (42, 0); a
    Session's stateful random op draws that mask only on its first run and moves on. So
    each graph step runs in a fresh Session that carries the weights over."""
    x, y = batch
    tool = v1.keras.utils.DeterministicRandomTestTool(mode="constant")
    with tool.scope():
        model = models.dropout_model(config, N_FEATURES, N_TARGETS)
        feed = {model.predictors: x, model.target: y, model.dropout_switch: True}
        variables = model.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)
        values, graph_losses = None, []
        for step in range(3):
            with v1.Session(graph=model.graph) as session:
                session.run(model.initializer)
                if values is None:
                    initial = eager.session_weights(session)
                else:
                    for variable, value in zip(variables, values):
                        variable.load(value, session)
                model.global_step.load(step, session)
                graph_losses.append(session.run([model.train_op, model.loss], feed)[1])
                values = session.run(variables)
    tool = v1.keras.utils.DeterministicRandomTestTool(mode="constant")
    with tool.scope():
        twin = eager_twin(config, initial)
        eager_losses = [float(eager.gradient_descent_step(
            twin, x, y, config.INITIAL_LEARNING_RATE, dropout_switch=True)) for _ in range(3)]
    np.testing.assert_allclose(eager_losses, graph_losses, atol=1e-5, rtol=0)
    # dropout really acted: the loss differs from the loss without it
    assert abs(float(eager.layers.mean_squared_error(twin(x), y)) - eager_losses[-1]) > 1e-4


def test_copy_refuses_a_twin_of_another_shape(config):
    model = models.dropout_model(config, N_FEATURES, N_TARGETS)
    with v1.Session(graph=model.graph) as session:
        session.run(model.initializer)
        weights = eager.session_weights(session)
    other = eager.DropoutTwin(config.replace(RNN_LAYERS=[{"units": 5}]), N_TARGETS)
    other.create_variables(N_FEATURES)
    with pytest.raises(ValueError, match="only in the graph.*cell_1"):
        eager.load_weights(other, weights)
    narrow = eager.DropoutTwin(config.replace(RNN_LAYERS=[{"units": 5}, {"units": 4}]),
                               N_TARGETS)
    narrow.create_variables(N_FEATURES)
    with pytest.raises(ValueError, match="graph shape"):
        eager.load_weights(narrow, weights)
