"""A trained graph model carried over to Keras 3: to_keras predicts what the session
predicts, trains as the session trains (SGD + staircase ExponentialDecay), and the
scripts' --export writes a model.keras that a fresh process loads without graphrnn."""

import json
import subprocess
import sys

import keras
import numpy as np
import pandas as pd
import pytest

from conftest import load_script, run_in_process, uses_quick_runs
from graphrnn import eager, export, graph_holder, keras_twins, tutorial_script
from graphrnn import energy
from graphrnn.compat import tf
from graphrnn.config import Config
from tutorials import DROPOUT, RNN_DROPOUT, RNN_L2, RNN_SEQ, RNN_VARIABLE_SEQ

CHAPTER_4 = [DROPOUT, RNN_DROPOUT, RNN_L2]


def small_config(variant, **changes):
    steps = 6
    return Config(INPUT_SEQUENCE_LENGTH=steps,
                  OUTPUT_SEQUENCE_LENGTH=steps if variant.every_step else 1,
                  RNN_LAYERS=[{"units": 5, "keep_prob": 0.7}, {"units": 3, "keep_prob": 0.8}],
                  DROPOUT_RATE=0.3, REGULARISATION_SCALE=0.05, INITIAL_LEARNING_RATE=0.1,
                  BATCH_SIZE=32).replace(**changes)


def trained_weights(model, data, config, steps=15):
    """The session's weights after a few dropout-on training steps (not the initial ones)."""
    with model.new_session() as session:
        session.run(model.initializer)
        for step in range(steps):
            batch = slice(step * config.BATCH_SIZE, (step + 1) * config.BATCH_SIZE)
            session.run(model.train_op, {model.predictors: data.train.inputs[batch],
                                         model.target: data.train.targets[batch],
                                         model.dropout_switch: True})
        weights = eager.session_weights(session)
        predicted = session.run(model.prediction, {model.predictors: data.test.inputs})
    return weights, predicted


@pytest.mark.parametrize("variant", CHAPTER_4 + [RNN_SEQ], ids=lambda v: v.name)
def test_to_keras_predicts_what_the_session_predicts_on_the_test_windows(variant, small_frame):
    config = small_config(variant)
    data = energy.prepare_energy(small_frame, config, every_step=variant.every_step)
    model = graph_holder.build(variant, config, len(data.features), 1)
    weights, session_predictions = trained_weights(model, data, config)
    keras_model = export.to_keras(variant, config, weights, len(data.features), 1)
    keras_predictions = keras_model.predict(data.test.inputs, verbose=0)
    assert keras_predictions.shape == session_predictions.shape
    assert len(keras_predictions) == len(data.test) > 100
    np.testing.assert_allclose(keras_predictions, session_predictions, atol=1e-5)
    assert all(not isinstance(layer, keras.layers.Lambda) for layer in keras_model.layers)
    if variant.regularised:  # Keras' L2(scale / 2) is the tutorial's scale * l2_loss
        kernel = weights["Frobenius_regularization/dense/kernel"]
        expected = config.REGULARISATION_SCALE * np.sum(kernel.astype(np.float64) ** 2) / 2
        assert float(sum(keras_model.losses)) == pytest.approx(expected, rel=1e-5)


def test_to_keras_refuses_a_variable_length_model():
    with pytest.raises(export.NotExportable, match="sequence_length"):
        export.to_keras(RNN_VARIABLE_SEQ, Config(), {}, 1, 1)


@pytest.mark.slow
@pytest.mark.parametrize("variant", CHAPTER_4, ids=lambda v: v.name)
def test_keras3_sgd_with_staircase_decay_trains_like_the_graph(variant, small_frame):
    """20 steps on the same batches from the same weights, dropout off on both sides."""
    config = small_config(variant, LEARNING_RATE_DECAY_STEPS=5, LEARNING_RATE_DECAY_RATE=0.5)
    data = energy.prepare_energy(small_frame, config)
    batches = [(data.train.inputs[i * 32:(i + 1) * 32], data.train.targets[i * 32:(i + 1) * 32])
               for i in range(20)]
    model = graph_holder.build(variant, config, len(data.features), 1)
    with model.new_session() as session:
        session.run(model.initializer)
        initial = eager.session_weights(session)
        graph_losses, rates = [], []
        for x, y in batches:
            rates.append(session.run(model.learning_rate))
            graph_losses.append(session.run([model.train_op, model.loss],
                                            {model.predictors: x, model.target: y})[1])

    keras_model = export.to_keras(variant, config, initial, len(data.features), 1)
    schedule = keras.optimizers.schedules.ExponentialDecay(
        config.INITIAL_LEARNING_RATE, config.LEARNING_RATE_DECAY_STEPS,
        config.LEARNING_RATE_DECAY_RATE, staircase=True)
    optimizer = keras.optimizers.SGD(schedule)
    mse = keras.losses.MeanSquaredError()

    @tf.function  # traced once: an eager recurrent Keras 3 step walks time in Python
    def keras_step(x, y):
        with tf.GradientTape() as tape:
            prediction = keras_model(x, training=False)  # dropout off, like the graph's feed
            loss = mse(y[:, 0, :], prediction) + sum(keras_model.losses)
        gradients = tape.gradient(loss, keras_model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, keras_model.trainable_variables))
        return loss

    keras_losses = [float(keras_step(x, y)) for x, y in batches]
    np.testing.assert_allclose(rates[::5], [0.1, 0.05, 0.025, 0.0125], rtol=1e-6)
    np.testing.assert_allclose(keras_losses, graph_losses, rtol=1e-4)
    assert graph_losses[-1] < graph_losses[0]


FRESH_PROCESS = """
import sys
import keras, numpy as np
model = keras.models.load_model(sys.argv[1])
np.save(sys.argv[3], model.predict(np.load(sys.argv[2]), verbose=0))
assert not any(name.startswith("graphrnn") for name in sys.modules), "graphrnn was imported"
print(keras.__version__)
"""


@uses_quick_runs  # the shared quick run of 04_03 is made with --export
@pytest.mark.parametrize("quick_run", ["04_03_rnn_l2"], indirect=True)  # its L2 must survive
def test_exported_model_loads_and_predicts_in_a_fresh_process(tmp_path, quick_run):
    process, run_dir = quick_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["keras_export_max_abs_difference"] < 1e-5
    assert f"exported {run_dir / 'model.keras'} (Keras 3)" in process.stdout

    # the run's test windows, rebuilt from its own config
    config = Config(**metrics["config"])
    every_step = config.OUTPUT_SEQUENCE_LENGTH > 1
    data = energy.prepare_energy(energy.load_energy(rows=tutorial_script.QUICK_ROWS), config,
                                 every_step=every_step)
    np.save(tmp_path / "inputs.npy", data.test.inputs)
    fresh = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(run_dir / "model.keras"),
         str(tmp_path / "inputs.npy"), str(tmp_path / "out.npy")],
        env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2"}, capture_output=True,
        text=True, timeout=300, cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.strip().startswith("3.")  # Keras 3, not tf-keras
    scaling = json.loads((run_dir / "scaling.json").read_text())
    column = scaling["columns"].index(scaling["targets"][0])
    low, high = scaling["minimum"][column], scaling["maximum"][column]
    predicted = np.load(tmp_path / "out.npy") * (high - low) + low  # Wh, as a user would
    np.testing.assert_allclose(predicted, data.to_units(np.load(tmp_path / "out.npy")))
    table = pd.read_csv(run_dir / "predictions.csv")
    np.testing.assert_allclose(predicted.ravel(), table["predicted"], atol=2e-3)  # %.4f


def test_an_export_that_does_not_predict_what_the_graph_predicts_writes_nothing(
        tmp_path, small_frame):
    config = small_config(DROPOUT)
    data = energy.prepare_energy(small_frame, config)
    model = graph_holder.build(DROPOUT, config, len(data.features), 1)
    with model.graph.as_default():
        saver = tf.compat.v1.train.Saver()
    with model.new_session() as session:
        session.run(model.initializer)
        saver.save(session, str(tmp_path / "model.ckpt"))

    def off_by_a_little(*args):  # a conversion that gets the output bias wrong
        keras_model = export.to_keras(*args)
        bias = keras_model.layers[-1].bias
        bias.assign(bias + 1e-3)
        return keras_model

    inputs = data.test.inputs[:50]
    with pytest.raises(export.ExportMismatch) as refused:
        export.export_run(model, config, tmp_path, "model.ckpt", inputs,
                          convert=off_by_a_little)
    assert str(refused.value) == (
        "the Keras 3 model differs from the session's predictions by up to 0.001 on the 50 "
        "test windows (allowed: 1e-05), so model.keras was not written")
    assert not [p.name for p in tmp_path.iterdir() if "keras" in p.name]
    difference = export.export_run(model, config, tmp_path, "model.ckpt", inputs)
    assert difference <= export.TOLERANCE and (tmp_path / "model.keras").is_file()


def test_export_of_05_02_is_refused_before_training(tmp_path):
    name = "05_02_rnn_variable_seq"
    status, _, err = run_in_process(name, ["--quick", "--export", "--logdir", "logs"],
                                    tmp_path)
    assert status == 2
    assert err.strip() == (
        f"{name}.py: error: {name} cannot be exported: its sequence_length input has no "
        "built-in Keras 3 counterpart (a Masking layer would also hide real zeros)")
    assert not (tmp_path / "logs").exists()


@pytest.mark.slow
@pytest.mark.parametrize("variant", [DROPOUT, RNN_L2], ids=lambda v: v.name)
@pytest.mark.parametrize("units", [[4], [6, 5, 3]], ids=["1 layer", "3 layers"])
def test_to_keras_takes_any_number_of_layers(variant, units, small_frame):
    config = small_config(variant, RNN_LAYERS=[{"units": u, "keep_prob": 0.9} for u in units])
    data = energy.prepare_energy(small_frame, config)
    model = graph_holder.build(variant, config, len(data.features), 1)
    weights, predicted = trained_weights(model, data, config, steps=3)
    keras_model = export.to_keras(variant, config, weights, len(data.features), 1)
    grus = [layer for layer in keras_model.layers if isinstance(layer, keras.layers.GRU)]
    assert [layer.units for layer in grus] == units
    np.testing.assert_allclose(keras_model(data.test.inputs).numpy(), predicted, atol=1e-5)


@pytest.mark.slow
def test_the_08_02_stack_of_lstms_has_a_keras_twin_that_predicts_the_same():
    """keras_twins for LSTM cells in DropoutWrappers, the last step's output: 08_02's own
    graph, three layers."""
    script = load_script("08_02_keras_stacked_lstm")
    specs = [{"units": 5, "keep_prob": 0.8}, {"units": 4, "keep_prob": 0.8},
             {"units": 3, "keep_prob": 0.8}]
    net = graph_holder.build_graph("graph", script.graph(script.recurrent(specs)), 0)
    x = np.random.default_rng(2).random((9, script.WINDOW, 1)).astype(np.float32)
    with tf.compat.v1.Session(graph=net.graph) as session:
        session.run(net.initializer)
        weights = eager.session_weights(session)
        expected = session.run(net.prediction, {net.predictors: x})
    stack = keras_twins.Stack("lstm", specs, script.WINDOW, 1, 1, head="last_output",
                              cell_dropout=True)
    twin = keras_twins.keras_twin(stack, weights)
    assert len([w for w in weights if w.endswith("lstm_cell/kernel")]) == 3
    np.testing.assert_allclose(twin(x).numpy(), expected, atol=1e-5)
