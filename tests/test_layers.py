"""The builders in a Session: scopes and names, the learning-rate staircase, the GRU
equations in NumPy, and the dropout switch."""

import dataclasses

import numpy as np
import pytest

import reference_cells as reference
from conftest import SCRIPTS, gru_stack
from graphrnn import graph_holder
from graphrnn.compat import tf, v1
from graphrnn.config import Config
from tutorials import ALL, DROPOUT, RNN_DROPOUT, RNN_L2


def numpy_gru(inputs, gates_kernel, gates_bias, candidate_kernel, candidate_bias):
    """TF1 GRUCell in NumPy (tests/reference_cells.py): inputs (B, T, F) -> (B, T, H)."""
    weights = {"gates/kernel": gates_kernel, "gates/bias": gates_bias,
               "candidate/kernel": candidate_kernel, "candidate/bias": candidate_bias}
    state = np.zeros((len(inputs), candidate_kernel.shape[1]))
    return reference.run(reference.gru_step(weights), inputs, state)[0]


def test_stacked_gru_matches_numpy_equations():
    rng = np.random.default_rng(3)
    inputs = rng.normal(size=(4, 7, 3)).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(1)
        predictors = v1.placeholder(tf.float32, [None, 7, 3])
        outputs, state = gru_stack(predictors, [5, 2])
        variables = {v.name.split("/gru_cell/")[1].split(":")[0] + v.name.split("/")[3]: v
                     for v in v1.trainable_variables()}
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            # biases are 1.0 (gates) and 0 (candidate) at init: make them random too
            for variable in variables.values():
                variable.load(rng.normal(size=variable.shape.as_list()), session)
            got_outputs, got_state = session.run([outputs, state], {predictors: inputs})
            weights = session.run(variables)

    def cell(index):
        return [weights[f"{name}cell_{index}"] for name in
                ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")]

    first = numpy_gru(inputs.astype(np.float64), *cell(0))
    second = numpy_gru(first, *cell(1))
    assert got_outputs.shape == (4, 7, 2)
    assert [s.shape for s in got_state] == [(4, 5), (4, 2)]
    np.testing.assert_allclose(got_outputs, second, atol=1e-5)
    np.testing.assert_allclose(got_state[0], first[:, -1], atol=1e-5)
    np.testing.assert_allclose(got_state[1], second[:, -1], atol=1e-5)
    assert weights["gates/kernelcell_0"].shape == (3 + 5, 2 * 5)  # [F+H, 2H]: r then u
    assert weights["candidate/kernelcell_1"].shape == (5 + 2, 2)


@pytest.mark.parametrize("k", [1, 3])
def test_learning_rate_is_a_staircase(k):
    config = Config(INPUT_SEQUENCE_LENGTH=2, INITIAL_LEARNING_RATE=0.4,
                    LEARNING_RATE_DECAY_STEPS=50, LEARNING_RATE_DECAY_RATE=0.5)
    model = graph_holder.build(DROPOUT, config, 3, 1)
    with model.new_session() as session:
        session.run(model.initializer)
        for step in (0, k * 50 - 1, k * 50):
            model.global_step.load(step, session)
            expected = 0.4 * 0.5 ** np.floor(step / 50)
            assert session.run(model.learning_rate) == pytest.approx(expected, rel=1e-6)


def test_training_step_advances_global_step_and_lowers_the_loss():
    config = Config(INPUT_SEQUENCE_LENGTH=5, RNN_LAYERS=[{"units": 4}], DROPOUT_RATE=0.0,
                    INITIAL_LEARNING_RATE=0.1)
    model = graph_holder.build(DROPOUT, config, 2, 1)
    rng = np.random.default_rng(0)
    x = rng.random((16, 5, 2)).astype(np.float32)
    y = x[:, -1:, :1]  # learnable: the last value of the first feature
    feed = {model.predictors: x, model.target: y}
    with model.new_session() as session:
        session.run(model.initializer)
        first = session.run(model.loss, feed)
        for _ in range(30):
            session.run(model.train_op, feed)
        assert session.run(model.global_step) == 30
        assert session.run(model.loss, feed) < 0.5 * first


def test_graph_scopes_and_names():
    model = graph_holder.build(DROPOUT, Config(UNROLL="dynamic"), 28, 1)  # the loop builds fast
    assert model.predictors.name == "inputs/predictors:0"
    assert model.predictors.shape.as_list() == [None, 24, 28]
    assert model.target.name == "inputs/target:0"
    assert model.target.shape.as_list() == [None, 1, 1]
    assert model.dropout_switch.name == "inputs/dropout_switch:0"
    assert model.dropout_switch.op.type == "PlaceholderWithDefault"
    assert model.learning_rate.name.startswith("inputs/learning_rate/")
    assert model.prediction.shape.as_list() == [None, 1]


# Every variable of the chapter-4 graphs as the tutorial's code makes it: name, shape, dtype
# (at the default config, 28 features). tf.Variable(0, trainable=False) is int32.
GRU_32, GRU_16 = (f"recurrent_layer/rnn/multi_rnn_cell/cell_{i}/gru_cell/" for i in (0, 1))
TUTORIAL_VARIABLES = {
    "inputs/learning_rate/global_step": ([], "int32"),
    GRU_32 + "gates/kernel": ([28 + 32, 64], "float32"),
    GRU_32 + "gates/bias": ([64], "float32"),
    GRU_32 + "candidate/kernel": ([28 + 32, 32], "float32"),
    GRU_32 + "candidate/bias": ([32], "float32"),
    GRU_16 + "gates/kernel": ([32 + 16, 32], "float32"),
    GRU_16 + "gates/bias": ([32], "float32"),
    GRU_16 + "candidate/kernel": ([32 + 16, 16], "float32"),
    GRU_16 + "candidate/bias": ([16], "float32"),
}
PREDICTION_48 = {"predictions/prediction/kernel": ([48, 1], "float32"),  # concat 32 + 16
                 "predictions/prediction/bias": ([1], "float32")}
FROBENIUS = {"Frobenius_regularization/dense/kernel": ([16, 16], "float32"),  # rnn_state[-1]
             "Frobenius_regularization/dense/bias": ([16], "float32"),
             "predictions/prediction/kernel": ([16, 1], "float32"),
             "predictions/prediction/bias": ([1], "float32")}


@pytest.mark.parametrize("tutorial, expected", [
    (DROPOUT, {**TUTORIAL_VARIABLES, **PREDICTION_48}),
    (RNN_DROPOUT, {**TUTORIAL_VARIABLES, **PREDICTION_48}),
    (RNN_L2, {**TUTORIAL_VARIABLES, **FROBENIUS}),
], ids=lambda v: getattr(v, "name", ""))
def test_chapter_4_variables_have_the_tutorials_names_shapes_and_dtypes(tutorial, expected):
    # a short window and the while loop build quickly; no variable depends on either
    config = Config(INPUT_SEQUENCE_LENGTH=3, UNROLL="dynamic",
                    RNN_LAYERS=[{"units": 32, "keep_prob": 0.9}, {"units": 16, "keep_prob": 0.9}])
    model = graph_holder.build(tutorial, config, 28, 1)
    found = {v.op.name: (v.shape.as_list(), v.dtype.base_dtype.name)
             for v in model.graph.get_collection(v1.GraphKeys.GLOBAL_VARIABLES)}
    assert found == expected
    assert not model.global_step.trainable


@pytest.mark.parametrize("tutorial", [DROPOUT, RNN_DROPOUT, RNN_L2], ids=lambda t: t.name)
def test_optimizer_adam_adds_only_adams_slots_and_the_scripts_default_to_it(tutorial):
    config = Config(INPUT_SEQUENCE_LENGTH=3, UNROLL="dynamic", OPTIMIZER="adam")
    model = graph_holder.build(tutorial, config, 28, 1)
    names = {v.op.name for v in model.graph.get_collection(v1.GraphKeys.GLOBAL_VARIABLES)}
    trainable = {v.op.name for v in model.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)}
    # beside the tutorial's variables: Adam's two moments per variable and its beta powers
    assert names - trainable - {"inputs/learning_rate/global_step"} == (
        {f"training/{name}/{slot}" for name in trainable for slot in ("Adam", "Adam_1")}
        | {"training/beta1_power", "training/beta2_power"})
    script = graph_holder.load_script(SCRIPTS / f"{tutorial.name}.py")
    assert (script.CONFIG.OPTIMIZER, script.CONFIG.CALENDAR_FEATURES) == ("adam", True)


def test_dropout_switch_is_off_by_default():
    config = Config(INPUT_SEQUENCE_LENGTH=4, RNN_LAYERS=[{"units": 8}], DROPOUT_RATE=0.5)
    model = graph_holder.build(DROPOUT, config, 2, 1)
    x = np.random.default_rng(1).random((32, 4, 2)).astype(np.float32)
    with model.new_session() as session:
        session.run(model.initializer)
        plain = [session.run(model.prediction, {model.predictors: x}) for _ in range(2)]
        dropped = [session.run(model.prediction, {model.predictors: x, model.dropout_switch: True})
                   for _ in range(2)]
    np.testing.assert_array_equal(plain[0], plain[1])
    assert not np.allclose(dropped[0], plain[0])
    assert not np.allclose(dropped[0], dropped[1])  # a new mask every run


def test_chapter_4_models_refuse_several_output_steps():
    with pytest.raises(ValueError, match="OUTPUT_SEQUENCE_LENGTH must be 1, got 3"):
        graph_holder.build(DROPOUT, Config(OUTPUT_SEQUENCE_LENGTH=3), 3, 1)


def small_config(**changes):
    """4-step windows, GRU layers [6 (keep_prob 0.7), 4], L2 scale 0.01."""
    return Config(INPUT_SEQUENCE_LENGTH=4, REGULARISATION_SCALE=0.01,
                  RNN_LAYERS=[{"units": 6, "keep_prob": 0.7}, {"units": 4}], **changes)


def initialise_to(session, model, variables, weights):
    """Initialise, then load `weights` ({name: value}) if given; return the session's
    weights. So two graphs built with different settings start from the same point."""
    session.run(model.initializer)
    if weights is None:
        return {v.name: value for v, value in zip(variables, session.run(variables))}
    for variable in variables:
        variable.load(weights[variable.name], session)
    return weights


@pytest.mark.slow
@pytest.mark.parametrize("variant", [DROPOUT, RNN_L2], ids=lambda v: v.name)
def test_static_and_dynamic_unrolling_compute_the_same(variant):
    """Same weights, same batch: same predictions, loss and gradients, dropout off.
    (04_03's graph is 04_02's with the regulariser added: 04_02 is covered by it.)
    The gradients are read off one plain gradient-descent step, (before - after) / rate:
    the model's own training op, not a second gradient graph through its tf.cond."""
    rng = np.random.default_rng(5)
    x = rng.random((8, 4, 3)).astype(np.float32)
    y = rng.random((8, 1, 1)).astype(np.float32)
    results, weights = {}, None
    for unroll in ("dynamic", "static"):
        model = graph_holder.build(variant, small_config(UNROLL=unroll, OPTIMIZER="sgd"), 3, 1)
        with model.graph.as_default():
            variables = v1.trainable_variables()
        with model.new_session() as session:
            weights = initialise_to(session, model, variables, weights)
            feed = {model.predictors: x, model.target: y}
            prediction, loss, rate = session.run(
                [model.prediction, model.loss, model.learning_rate], feed)
            session.run(model.train_op, feed)
            gradients = {v.name: (weights[v.name] - after) / rate
                         for v, after in zip(variables, session.run(variables))}
            results[unroll] = prediction, loss, gradients
    dynamic, static = results["dynamic"], results["static"]
    np.testing.assert_allclose(static[0], dynamic[0], atol=1e-6)
    assert static[1] == pytest.approx(dynamic[1], rel=1e-6)
    assert static[2].keys() == dynamic[2].keys() and len(static[2]) >= 6
    assert max(np.abs(g).max() for g in dynamic[2].values()) > 1e-3  # the step moved them
    for name, gradient in dynamic[2].items():
        np.testing.assert_allclose(static[2][name], gradient, atol=1e-5, err_msg=name)


def test_grappler_is_off_by_default_only_for_the_cell_dropout_models():
    def grappler_disabled(variant, **changes):
        proto = graph_holder.session_config(variant, Config(**changes))
        return proto.graph_options.rewrite_options.disable_meta_optimizer

    assert [grappler_disabled(v) for v in ALL] == [
        v.name in ("04_02_rnn_dropout", "04_03_rnn_l2") for v in ALL]
    assert grappler_disabled(DROPOUT, GRAPPLER="off")
    assert not grappler_disabled(RNN_DROPOUT, GRAPPLER="on")
    config = Config(INPUT_SEQUENCE_LENGTH=5, RNN_LAYERS=[{"units": 3, "keep_prob": 0.5}])
    model = graph_holder.build(RNN_L2, config, 2, 1)
    assert model.session_config.graph_options.rewrite_options.disable_meta_optimizer


@pytest.mark.slow
def test_grappler_on_and_off_train_the_same():
    """04_03 (dropout wrapper, tf.cond, L2): one training step with dropout on, then
    predictions with it off, in a Session with Grappler on and one with it off."""
    rng = np.random.default_rng(6)
    x = rng.random((8, 4, 3)).astype(np.float32)
    y = rng.random((8, 1, 1)).astype(np.float32)
    results = {}
    model = graph_holder.build(RNN_L2, small_config(), 3, 1)  # Grappler is a Session setting
    for grappler in ("on", "off"):
        config = graph_holder.session_config(RNN_L2, small_config(GRAPPLER=grappler))
        with v1.Session(graph=model.graph, config=config) as session:
            session.run(model.initializer)  # seeded: the same weights in both Sessions
            _, loss = session.run([model.train_op, model.loss], {
                model.predictors: x, model.target: y, model.dropout_switch: True})
            results[grappler] = loss, session.run(model.prediction, {model.predictors: x})
    assert results["off"][0] == pytest.approx(results["on"][0], rel=1e-6)
    np.testing.assert_allclose(results["off"][1], results["on"][1], atol=1e-6)


def test_the_tutorial_flags_are_read_off_the_graph_and_a_contradiction_stops_the_build():
    # every build checks them (every other test builds all five tutorials); here 04_03's
    # are read off its graph, then a wrong one is caught
    model = graph_holder.build(RNN_L2, Config(INPUT_SEQUENCE_LENGTH=4), 3, 1)
    assert graph_holder.graph_flags(model, model.graph) == {
        "cell_dropout": True, "regularised": True, "every_step": False,
        "variable_length": False}
    wrong = dataclasses.replace(RNN_L2, regularised=False)
    with pytest.raises(ValueError, match="04_03_rnn_l2's Tutorial says regularised=False, but "
                                         "its graph\\(\\) builds a graph with regularised=True"):
        graph_holder.build(wrong, Config(INPUT_SEQUENCE_LENGTH=4), 3, 1)
