"""The same builders in a Session and eagerly (track_tf1_style_variables) compute the
same numbers, for every chapter 4 model: same weights (copied from the session), same
inputs, and the same dropout masks.

Masks: DeterministicRandomTestTool in "constant" mode gives every random op the seed
(42, 0). A Session's stateful dropout op draws that seed's first mask on its first run
and moves on to the second, third, ...; so does the op of a traced tf.function on each
call (an eager op outside one draws the first mask every time). So the eager side runs
dropout-on calls in a tf.function traced for the test (DropoutWrapper's ops sit inside
dynamic_rnn's loop, which must be one op per layer as in the graph), called as many
times as the Session runs its graph.
"""

import numpy as np
import pytest

from graphrnn import eager, graph_holder
from graphrnn.compat import tf, v1
from graphrnn.config import Config
from tutorials import DROPOUT, RNN_DROPOUT, RNN_L2

N_FEATURES, N_TARGETS = 3, 2
VARIANTS = [DROPOUT, RNN_DROPOUT, RNN_L2]


@pytest.fixture
def config():
    return Config(INPUT_SEQUENCE_LENGTH=6,
                  RNN_LAYERS=[{"units": 5, "keep_prob": 0.6}, {"units": 3, "keep_prob": 0.8}],
                  DROPOUT_RATE=0.5, INITIAL_LEARNING_RATE=0.3, REGULARISATION_SCALE=0.05)


@pytest.fixture
def batch():
    rng = np.random.default_rng(0)
    return (rng.random((8, 6, N_FEATURES)).astype(np.float32),
            rng.random((8, 1, N_TARGETS)).astype(np.float32))


def eager_twin(variant, config, weights):
    """A twin holding the given session weights (built outside any Session block)."""
    twin = eager.EagerNetwork(variant, config, N_TARGETS)
    twin.create_variables(N_FEATURES)  # no random op: dropout is off
    eager.load_weights(twin, weights)
    return twin


def fresh(function):
    """`function` in a newly traced tf.function: its random ops start from their seed."""
    return tf.function(function)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_forward_pass_matches(variant, config, batch):
    x, _ = batch
    with v1.keras.utils.DeterministicRandomTestTool(mode="constant").scope():
        model = graph_holder.build(variant, config, N_FEATURES, N_TARGETS)
    for switch in (False, True):  # one graph (its build is the cost), a Session for each
        with model.new_session() as session:  # a fresh Session: dropout's first mask again
            session.run(model.initializer)
            graph_out = session.run(model.prediction,
                                    {model.predictors: x, model.dropout_switch: switch})
            graph_plain = session.run(model.prediction, {model.predictors: x})
            weights = eager.session_weights(session)
        with v1.keras.utils.DeterministicRandomTestTool(mode="constant").scope():
            twin = eager_twin(variant, config, weights)
            plain_eager = twin(x).numpy()  # no tf.function at all
            eager_out = fresh(lambda inputs: twin(inputs, dropout_switch=switch))(x).numpy()
        assert eager_out.shape == graph_out.shape == (8, N_TARGETS)
        np.testing.assert_allclose(eager_out, graph_out, atol=1e-6, rtol=0)
        np.testing.assert_allclose(plain_eager, graph_plain, atol=1e-6, rtol=0)
        if switch:  # the comparison is only meaningful if dropout changed something
            assert np.abs(graph_out - graph_plain).max() > 1e-2


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_three_training_steps_match_without_dropout(variant, config, batch):
    x, y = batch
    model = graph_holder.build(variant, config, N_FEATURES, N_TARGETS)
    feed = {model.predictors: x, model.target: y}
    with model.new_session() as session:
        session.run(model.initializer)
        initial = eager.session_weights(session)
        graph_losses = [session.run([model.train_op, model.loss], feed)[1] for _ in range(3)]
        trained = eager.session_weights(session)
    twin = eager_twin(variant, config, initial)
    eager_losses = [float(eager.gradient_descent_step(twin, x, y, config.INITIAL_LEARNING_RATE))
                    for _ in range(3)]
    np.testing.assert_allclose(eager_losses, graph_losses, atol=1e-5, rtol=0)
    assert graph_losses[2] < graph_losses[0]  # the steps did something
    for variable in twin.trainable_variables:  # and the updated weights agree too
        np.testing.assert_allclose(variable.numpy(), trained[eager.scoped_name(variable)],
                                   atol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_three_training_steps_match_with_dropout(variant, config, batch):
    """Three steps in one Session against one traced step called three times: both draw
    the first, second and third mask of each dropout op (same seeds, same ops)."""
    x, y = batch
    with v1.keras.utils.DeterministicRandomTestTool(mode="constant").scope():
        model = graph_holder.build(variant, config, N_FEATURES, N_TARGETS)
        feed = {model.predictors: x, model.target: y, model.dropout_switch: True}
        with model.new_session() as session:
            session.run(model.initializer)
            initial = eager.session_weights(session)
            graph_losses = [session.run([model.train_op, model.loss], feed)[1]
                            for _ in range(3)]
    with v1.keras.utils.DeterministicRandomTestTool(mode="constant").scope():
        twin = eager_twin(variant, config, initial)
        step = fresh(lambda: eager.gradient_descent_step(
            twin, x, y, config.INITIAL_LEARNING_RATE, dropout_switch=True))
        eager_losses = [float(step()) for _ in range(3)]
        plain_losses = float(eager.loss(twin, x, y))
    np.testing.assert_allclose(eager_losses, graph_losses, atol=1e-5, rtol=0)
    assert len(set(graph_losses)) == 3  # the steps moved the weights
    assert abs(plain_losses - eager_losses[-1]) > 1e-4  # dropout really acted


def test_load_weights_refuses_an_eager_network_of_another_shape(config):
    model = graph_holder.build(DROPOUT, config, N_FEATURES, N_TARGETS)
    with model.new_session() as session:
        session.run(model.initializer)
        weights = eager.session_weights(session)
    other = eager.EagerNetwork(DROPOUT, config.replace(RNN_LAYERS=[{"units": 5}]), N_TARGETS)
    other.create_variables(N_FEATURES)
    with pytest.raises(ValueError, match="only in the graph.*cell_1"):
        eager.load_weights(other, weights)
    narrow = eager.EagerNetwork(
        DROPOUT, config.replace(RNN_LAYERS=[{"units": 5}, {"units": 4}]), N_TARGETS)
    narrow.create_variables(N_FEATURES)
    with pytest.raises(ValueError, match="graph shape"):
        eager.load_weights(narrow, weights)
