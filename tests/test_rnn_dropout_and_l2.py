"""04_02's shared weights under tf.cond and 04_03's Frobenius regularisation, in a Session."""

import numpy as np
import pytest

from graphrnn import eager, graph_holder
from graphrnn.compat import tf, v1
from graphrnn.config import Config
from tutorials import DROPOUT, RNN_DROPOUT, RNN_L2

N_FEATURES = 3
RNN_LAYERS = [{"units": 5, "keep_prob": 1.0}, {"units": 3, "keep_prob": 1.0}]


def gru_kernels(graph):
    return [v for v in graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)
            if v.name.endswith("gates/kernel:0")]


# 04_02's network at keep_prob 1 and no dense dropout: the tf.cond branches differ only in
# their DropoutWrappers, which then keep every unit
CONFIG = Config(INPUT_SEQUENCE_LENGTH=6, RNN_LAYERS=RNN_LAYERS, DROPOUT_RATE=0.0,
                UNROLL="dynamic")


def rnn_dropout_network(predictors, switch):
    """04_02's network(): one set of GRU weights shared by both tf.cond branches."""
    return RNN_DROPOUT.network(predictors, switch, CONFIG, 1)


def tutorial_original_network(predictors, switch):
    """The flaw graphrnn fixes: the two tf.cond branches in two variable scopes, then the
    same predictions as 04_02."""
    def recurrent(scope, with_dropout):
        with v1.variable_scope(scope):
            cells = [v1.nn.rnn_cell.GRUCell(layer["units"]) for layer in RNN_LAYERS]
            if with_dropout:
                cells = [v1.nn.rnn_cell.DropoutWrapper(c, output_keep_prob=layer["keep_prob"])
                         for c, layer in zip(cells, RNN_LAYERS)]
            return v1.nn.dynamic_rnn(v1.nn.rnn_cell.MultiRNNCell(cells), predictors,
                                     dtype=tf.float32)[1]
    state = tf.cond(switch, lambda: recurrent("with_dropout", True),
                    lambda: recurrent("without_dropout", False))
    with v1.variable_scope("predictions"):
        return v1.layers.dense(tf.concat(state, axis=1), units=1, name="prediction")


def build_regressor(network, seed=0):
    """A tiny graph: network(x, switch) -> (B, 1) -> MSE -> gradient descent."""
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(seed)
        x = v1.placeholder(tf.float32, [None, 6, N_FEATURES])
        y = v1.placeholder(tf.float32, [None, 1, 1])
        switch = v1.placeholder_with_default(False, shape=None)
        prediction = network(x, switch)
        loss = v1.losses.mean_squared_error(labels=tf.squeeze(y, axis=1), predictions=prediction)
        train = v1.train.GradientDescentOptimizer(0.5).minimize(loss)
        init = v1.global_variables_initializer()
    return graph, x, y, switch, prediction, train, init


def make_batch():
    rng = np.random.default_rng(0)
    x = rng.random((16, 6, N_FEATURES)).astype(np.float32)
    return x, x[:, -1:, :1] * 0.5 + 0.2  # (16, 1, 1), as the chapter-4 targets


@pytest.fixture
def batch():
    return make_batch()


@pytest.mark.parametrize("network, sets", [
    (rnn_dropout_network, 1),
    (tutorial_original_network, 2),  # shows the check below catches the flaw
])
def test_one_set_of_recurrent_weights(network, sets):
    graph, *_ = build_regressor(network)
    assert len(gru_kernels(graph)) == sets * len(RNN_LAYERS)


@pytest.mark.parametrize("network, shared", [
    (rnn_dropout_network, True),
    (tutorial_original_network, False),
])
def test_evaluation_uses_the_trained_weights(network, shared, batch):
    """Train with the switch on; with every keep_prob 1 the switch-off predictions must
    have moved and equal the switch-on ones. The tutorial's layout moves too (its shared
    dense layer trained) but evaluates with recurrent weights that never trained."""
    x, y = batch
    graph, xs, ys, switch, prediction, train, init = build_regressor(network)
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


def test_keep_prob_one_equals_the_plain_04_01_network(batch):
    """04_02's network at keep_prob 1, switch on or off, predicts what 04_01's does with
    the same weights: the DropoutWrappers and tf.cond change nothing else."""
    x, _ = batch
    predictions = {}
    for name, tutorial in (("plain", DROPOUT), ("wrapped", RNN_DROPOUT)):
        graph = tf.Graph()
        with graph.as_default():
            v1.set_random_seed(0)
            predictors = v1.placeholder(tf.float32, [None, 6, N_FEATURES])
            switch = v1.placeholder_with_default(False, shape=None)
            prediction = tutorial.network(predictors, switch, CONFIG, 1)
            with v1.Session(graph=graph) as session:
                session.run(v1.global_variables_initializer())
                if name == "plain":
                    weights = eager.session_weights(session)
                else:  # the same weights, by name
                    assert set(weights) == {eager.scoped_name(v)
                                            for v in v1.trainable_variables()}
                    for variable in v1.trainable_variables():
                        variable.load(weights[eager.scoped_name(variable)], session)
                predictions[name] = [session.run(prediction, {predictors: x, switch: on})
                                     for on in (False, True)]
    for on in (0, 1):
        assert predictions["plain"][on].shape == (16, 1)
        np.testing.assert_allclose(predictions["wrapped"][on], predictions["plain"][on],
                                   atol=1e-6)


# ------------------------------------------------------------ 04_03


def l2_config(scale):
    return Config(INPUT_SEQUENCE_LENGTH=6, RNN_LAYERS=[{"units": 5, "keep_prob": 0.8}],
                  DROPOUT_RATE=0.0, INITIAL_LEARNING_RATE=0.2, REGULARISATION_SCALE=scale)


def regularised_numbers(scale, batch, weights=None):
    """Build 04_03, optionally load weights, run one step; return what the tests read."""
    x, y = batch
    model = graph_holder.build(RNN_L2, l2_config(scale), N_FEATURES, 1)
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
    model = graph_holder.build(RNN_L2, l2_config(0.01), N_FEATURES, 1)
    names = [v.name for v in model.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)]
    assert "Frobenius_regularization/dense/kernel:0" in names
    assert len([n for n in names if n.startswith("recurrent_layer/")]) == 4  # one GRU set
    assert model.graph.get_tensor_by_name("summaries/regularisation_loss:0") is not None
