"""04_02's shared weights under tf.cond and 04_03's Frobenius regularisation, in a Session."""

import numpy as np
import pytest

from graphrnn import eager, layers, models
from graphrnn.compat import tf, v1
from graphrnn.config import Config
from tutorials import RNN_L2

N_FEATURES = 3
RNN_LAYERS = [{"units": 5, "keep_prob": 1.0}, {"units": 3, "keep_prob": 1.0}]


def gru_kernels(graph):
    return [v for v in graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)
            if v.name.endswith("gates/kernel:0")]


def tutorial_original_recurrent_layer(predictors, rnn_layers, switch):
    """The flaw graphrnn fixes: the two tf.cond branches in two variable scopes."""
    def network(scope, with_dropout):
        with v1.variable_scope(scope):
            cells = [v1.nn.rnn_cell.GRUCell(layer["units"]) for layer in rnn_layers]
            if with_dropout:
                cells = [v1.nn.rnn_cell.DropoutWrapper(c, output_keep_prob=layer["keep_prob"])
                         for c, layer in zip(cells, rnn_layers)]
            return v1.nn.dynamic_rnn(v1.nn.rnn_cell.MultiRNNCell(cells), predictors,
                                     dtype=tf.float32)
    return tf.cond(switch, lambda: network("with_dropout", True),
                   lambda: network("without_dropout", False))


def build_regressor(recurrent, seed=0):
    """A tiny graph: recurrent layer -> predictions -> MSE -> gradient descent."""
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(seed)
        x = v1.placeholder(tf.float32, [None, 6, N_FEATURES])
        y = v1.placeholder(tf.float32, [None, 1, 1])
        switch = v1.placeholder_with_default(False, shape=None)
        _, state = recurrent(x, RNN_LAYERS, switch)
        prediction = layers.predictions(state, switch, 0.0, 1)
        loss = layers.mean_squared_error(prediction, y)
        train = v1.train.GradientDescentOptimizer(0.5).minimize(loss)
        init = v1.global_variables_initializer()
    return graph, x, y, switch, prediction, train, init


def make_batch():
    rng = np.random.default_rng(0)
    x = rng.random((16, 6, N_FEATURES)).astype(np.float32)
    return x, x[:, -1:, :1] * 0.5 + 0.2


@pytest.fixture
def batch():
    return make_batch()


@pytest.mark.parametrize("recurrent, sets", [
    (layers.dropout_recurrent_layer, 1),
    (tutorial_original_recurrent_layer, 2),  # shows the check below catches the flaw
])
def test_one_set_of_recurrent_weights(recurrent, sets):
    graph, *_ = build_regressor(recurrent)
    assert len(gru_kernels(graph)) == sets * len(RNN_LAYERS)


@pytest.mark.parametrize("recurrent, shared", [
    (layers.dropout_recurrent_layer, True),
    (tutorial_original_recurrent_layer, False),
])
def test_evaluation_uses_the_trained_weights(recurrent, shared, batch):
    """Train with the switch on; with every keep_prob 1 the switch-off predictions must
    have moved and equal the switch-on ones. The tutorial's layout moves too (its shared
    dense layer trained) but evaluates with recurrent weights that never trained."""
    x, y = batch
    graph, xs, ys, switch, prediction, train, init = build_regressor(recurrent)
    with v1.Session(graph=graph) as session:
        session.run(init)
        before = session.run(prediction, {xs: x})
        for _ in range(20):
            session.run(train, {xs: x, ys: y, switch: True})
        evaluated = session.run(prediction, {xs: x})
        trained = session.run(prediction, {xs: x, switch: True})
    moved = np.abs(evaluated - before).max() > 1e-3
    same = np.allclose(evaluated, trained, atol=1e-6)
    assert moved
    assert same == shared


def test_keep_prob_one_equals_the_plain_04_01_layer(batch):
    x, _ = batch
    outputs = {}
    for name, build in (("plain", lambda p, s: layers.recurrent_layer(p, RNN_LAYERS)),
                        ("wrapped", lambda p, s: layers.dropout_recurrent_layer(
                            p, RNN_LAYERS, s))):
        graph = tf.Graph()
        with graph.as_default():
            v1.set_random_seed(0)
            predictors = v1.placeholder(tf.float32, [None, 6, N_FEATURES])
            switch = v1.placeholder_with_default(False, shape=None)
            out, state = build(predictors, switch)
            with v1.Session(graph=graph) as session:
                session.run(v1.global_variables_initializer())
                if name == "plain":
                    weights = eager.session_weights(session)
                else:  # the same weights, by name
                    for variable in v1.trainable_variables():
                        variable.load(weights[eager.scoped_name(variable)], session)
                outputs[name] = [session.run([out, state], {predictors: x, switch: on})
                                 for on in (False, True)]
    for on in (0, 1):
        np.testing.assert_allclose(outputs["wrapped"][on][0], outputs["plain"][on][0], atol=1e-6)
        for got, want in zip(outputs["wrapped"][on][1], outputs["plain"][on][1]):
            np.testing.assert_allclose(got, want, atol=1e-6)


# ------------------------------------------------------------ 04_03


def l2_config(scale):
    return Config(INPUT_SEQUENCE_LENGTH=6, RNN_LAYERS=[{"units": 5, "keep_prob": 0.8}],
                  DROPOUT_RATE=0.0, INITIAL_LEARNING_RATE=0.2, REGULARISATION_SCALE=scale)


def regularised_numbers(scale, batch, weights=None):
    """Build 04_03, optionally load weights, run one step; return what the tests read."""
    x, y = batch
    model = models.build(RNN_L2, l2_config(scale), N_FEATURES, 1)
    feed = {model.predictors: x, model.target: y}
    with model.graph.as_default():
        collected = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
        kernel = [v for v in v1.trainable_variables()
                  if v.name == "Frobenius_regularization/dense/kernel:0"][0]
    with model.new_session() as session:
        session.run(model.initializer)
        if weights is not None:
            for variable in model.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES):
                variable.load(weights[eager.scoped_name(variable)], session)
        numbers = dict(zip(("regularisation", "mse", "loss", "kernel"),
                           session.run([tf.add_n(collected) if collected else tf.constant(0.0),
                                        model.mse, model.loss, kernel], feed)))
        numbers["weights"] = eager.session_weights(session)
        session.run(model.train_op, feed)
        numbers["kernel_after"] = session.run(kernel)
        numbers["collected"] = len(collected)
    return numbers


@pytest.fixture(scope="module")
def l2_runs():
    """regularised_numbers with scale 0.05, then with scale 0 from the same weights:
    built once for the three tests below (each 04_03 build takes seconds)."""
    batch = make_batch()
    with_l2 = regularised_numbers(0.05, batch)
    return with_l2, regularised_numbers(0.0, batch, weights=with_l2["weights"])


def test_regularisation_is_half_the_scaled_squared_frobenius_norm(l2_runs):
    numbers, _ = l2_runs
    kernel = numbers["kernel"].astype(np.float64)
    assert kernel.shape == (5, 5)  # rnn_state[-1] (5 units) -> RNN_LAYERS[-1] units (5)
    assert numbers["collected"] == 1
    assert numbers["regularisation"] == pytest.approx(0.05 * np.sum(kernel**2) / 2, rel=1e-6)
    assert numbers["loss"] == pytest.approx(numbers["mse"] + numbers["regularisation"],
                                            rel=1e-6)


def test_regulariser_gradient_is_scale_times_kernel(l2_runs):
    """The same step with scale s and with scale 0 differ by -rate * s * kernel on the
    regularised kernel: the gradient of s * sum(w^2) / 2 (Keras' l2(s) would give 2 s w)."""
    with_l2, without = l2_runs
    np.testing.assert_array_equal(without["kernel"], with_l2["kernel"])
    difference = with_l2["kernel_after"] - without["kernel_after"]
    np.testing.assert_allclose(difference, -0.2 * 0.05 * with_l2["kernel"], atol=1e-6)


def test_scale_zero_is_no_regulariser(l2_runs):
    _, numbers = l2_runs
    assert numbers["regularisation"] == 0.0
    assert numbers["loss"] == numbers["mse"]


def test_04_03_graph_scopes():
    model = models.build(RNN_L2, l2_config(0.01), N_FEATURES, 1)
    names = [v.name for v in model.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)]
    assert "Frobenius_regularization/dense/kernel:0" in names
    assert len([n for n in names if n.startswith("recurrent_layer/")]) == 4  # one GRU set
    assert model.graph.get_tensor_by_name("summaries/regularisation_loss:0") is not None
