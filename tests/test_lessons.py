"""The lesson scripts of the other source tutorials (06_xx to 08_xx), end to end (in a
subprocess, or in-process through their main() where the process is not what is tested),
their numbers checked against NumPy where the tutorial's point is a number."""

import json

import numpy as np
import pandas as pd
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import reference_cells as reference
from conftest import (SCRIPTS, BoardRun, assert_ends_with_the_run_folder, run_in_process,
                      run_main, run_script)


def lesson_run(name, tmp_path, *args, subprocess=False):
    """(process or in-process result, metrics.json, run folder) of a successful run."""
    run = run_script if subprocess else run_main
    process = run(name, *args, "--logdir", str(tmp_path), cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    (run_dir,) = (tmp_path / name).iterdir()
    assert_ends_with_the_run_folder(process.stdout, run_dir)
    assert "Traceback" not in process.stderr
    return process, json.loads((run_dir / "metrics.json").read_text()), run_dir


def test_06_01_toy_batch_outputs_states_and_numpy(tmp_path):
    process, metrics, run_dir = lesson_run("06_01_toy_batch", tmp_path)
    outputs, states = np.array(metrics["outputs"]), np.array(metrics["states"])
    assert outputs.shape == (3, 2, 6) and states.shape == (3, 6)
    np.testing.assert_array_equal(states, outputs[:, -1])  # the state is the last output
    x = np.array([[[0, 1, 2, 5], [9, 8, 7, 4]], [[3, 4, 5, 2], [0, 0, 0, 0]],
                  [[6, 7, 8, 5], [6, 5, 4, 2]]], np.float64)
    weights = {"kernel": np.array(metrics["kernel"]), "bias": np.array(metrics["bias"])}
    assert weights["kernel"].shape == (4 + 6, 6)
    expected, _ = reference.run(reference.basic_rnn_step(weights), x, np.zeros((3, 6)))
    np.testing.assert_allclose(outputs, expected, atol=1e-5)
    expected_cut, last = reference.run(reference.basic_rnn_step(weights), x, np.zeros((3, 6)),
                                       lengths=[2, 1, 2])
    np.testing.assert_allclose(metrics["outputs_with_lengths"], expected_cut, atol=1e-5)
    np.testing.assert_allclose(metrics["states_with_lengths"], last, atol=1e-5)
    assert "states == outputs[:, -1] (the last output of each sequence): True" in process.stdout
    assert list(run_dir.glob("events.out.tfevents.*"))  # the graph, for TensorBoard


def lesson_in_process(name, tmp_path, *args):
    """(status, stdout, stderr, run folders) of scripts/<name>.py's main(), in-process."""
    status, out, err = run_in_process(name, [*args, "--logdir", "logs"], tmp_path)
    folder = tmp_path / "logs" / name
    return status, out, err, sorted(folder.iterdir()) if folder.exists() else []


def test_lesson_bad_seed_exits_2_and_leaves_nothing(tmp_path):
    status, _, err, runs = lesson_in_process("06_01_toy_batch", tmp_path,
                                             "--seed", "-1")
    assert status == 2
    assert err.strip() == "06_01_toy_batch.py: error: --seed must be >= 0, got -1"
    assert runs == []


def test_a_scripts_main_leaves_op_determinism_to_its_entry_point(tmp_path):
    from tensorflow.python.framework import config as tf_config
    lesson_run("06_01_toy_batch", tmp_path)  # main(), in this process
    assert not tf_config.is_op_determinism_enabled()  # only `__main__` turns it on
    source = (SCRIPTS / "06_01_toy_batch.py").read_text()
    assert source.endswith('if __name__ == "__main__":\n    runs.prepare_process()  # the '
                           "process is the script's: line-buffered, deterministic ops\n"
                           "    sys.exit(main())\n")


def test_06_01_same_seed_same_weights_other_seed_others(tmp_path):
    runs = {}
    for folder, seed in (("a", "1"), ("b", "1"), ("c", "2")):
        (tmp_path / folder).mkdir()
        status, _, err, (run_dir,) = lesson_in_process("06_01_toy_batch", tmp_path / folder,
                                                       "--seed", seed)
        assert status == 0, err
        runs[folder] = json.loads((run_dir / "metrics.json").read_text())
    assert runs["a"]["kernel"] == runs["b"]["kernel"]
    assert runs["a"]["outputs"] == runs["b"]["outputs"]
    assert runs["a"]["kernel"] != runs["c"]["kernel"]


@pytest.mark.slow
def test_06_02_random_walk_tests_on_held_out_points(tmp_path):
    process, metrics, run_dir = lesson_run("06_02_random_walk", tmp_path, "--quick",
                                           "--iterations", "30")
    series = np.array(metrics["series"])
    assert series.shape == (222,)
    steps = np.diff(series)
    assert steps.min() >= -18 and steps.max() <= 18  # a walk of uniform(-18, 18) steps
    table = pd.read_csv(run_dir / "predictions.csv", parse_dates=["timestamp"])
    assert list(table.columns) == ["timestamp", "actual", "predicted"]
    # the 20 test targets are months 202..221, never seen in training (months 0..200)
    np.testing.assert_allclose(table["actual"], series[202:], atol=1e-3)
    assert table["timestamp"].iloc[0] == pd.Timestamp("2001-01-01") + pd.DateOffset(months=202)
    rmse = np.sqrt(np.mean((table["actual"] - table["predicted"]) ** 2))
    assert rmse == pytest.approx(metrics["test_rmse"], rel=1e-3)
    persistence = np.sqrt(np.mean((series[202:] - series[201:221]) ** 2))
    assert metrics["persistence_rmse"] == pytest.approx(persistence, rel=1e-5)
    assert len(metrics["losses"]) == 2 and metrics["losses"][1] < metrics["losses"][0]
    assert "iteration     0  loss (sum of squares)" in process.stdout
    assert (run_dir / "forecast.png").read_bytes()[:4] == b"\x89PNG"
    # TensorBoard: the loss against iterations, the test errors with an HParams row, and
    # persistence as a flat line beside them
    train = BoardRun(run_dir / "train")
    assert train.steps("2_loss/sum_of_squares") == [0, 29]  # the first and the last
    np.testing.assert_allclose(train.values("2_loss/sum_of_squares"), metrics["losses"],
                               rtol=1e-6)
    test = BoardRun(run_dir / "test")
    assert test.scalars == {
        "1_error_data_units/test_RMSE": [(30, pytest.approx(metrics["test_rmse"], rel=1e-6))],
        "1_error_data_units/test_MAE": [(30, pytest.approx(metrics["test_mae"], rel=1e-6))]}
    assert test.session.group_name == f"06_02_random_walk/{run_dir.name}"
    assert test.session.hparams["ITERATIONS"].string_value == "30"
    assert BoardRun(run_dir / "persistence").scalars["1_error_data_units/test_RMSE"] == [
        (step, pytest.approx(metrics["persistence_rmse"], rel=1e-6)) for step in (0, 30)]
    assert all(train.descriptions.values()) and all(test.descriptions.values())


def test_lesson_rejects_a_nonsense_iteration_count(tmp_path):
    status, _, err, runs = lesson_in_process("06_02_random_walk", tmp_path,
                                             "--iterations", "0")
    assert status == 2
    assert err.strip() == "06_02_random_walk.py: error: --iterations must be greater than 0, got 0"
    assert runs == []


@pytest.mark.slow
def test_07_01_reports_each_model_next_to_the_published_mse(tmp_path):
    process, metrics, run_dir = lesson_run("07_01_rnn_lstm_from_scratch", tmp_path, "--quick")
    assert set(metrics["test_mse"]) == {"rnn", "lstm", "lstm_original"}
    for name, mse in metrics["test_mse"].items():  # a TensorBoard run and HParams row each
        board_run = BoardRun(run_dir / name)
        assert board_run.scalars["1_error_data_units/test_MSE"] == [
            (20, pytest.approx(mse, rel=1e-6))]
        assert board_run.steps("2_loss/train_MSE") == [20]  # after the 20 --quick steps
        assert board_run.session.group_name == (
            f"07_01_rnn_lstm_from_scratch/{run_dir.name}/{name}")
        assert board_run.session.hparams["MODEL"].string_value == name
    assert all(0 < value < 50 for value in metrics["test_mse"].values())
    assert metrics["published_test_mse"] == {"rnn": 0.2066, "lstm_original": 0.1189}
    lines = process.stdout.splitlines()
    row = next(line for line in lines if line.startswith("RNN (sigmoid)"))
    assert row.split()[-2:] == [f"{metrics['test_mse']['rnn']:.4f}", "0.2066"]


@pytest.mark.slow
def test_08_01_graph_and_keras3_start_equal_and_are_scored_side_by_side(tmp_path):
    # a subprocess: the C++ notes this checks for go to file descriptor 2, not sys.stderr
    process, metrics, run_dir = lesson_run("08_01_keras_simple_rnn", tmp_path, "--quick",
                                           subprocess=True)
    assert metrics["initial_max_abs_difference"] < 1e-5  # converted weights: same model
    assert len(metrics["graph_predictions"]) == len(metrics["keras3_predictions"]) == 200
    t = np.linspace(0.0, 30.0, 800)[600:]
    actual = np.sin(t) / 3 + 2 * np.sin(5 * t)
    for name in ("graph", "keras3"):
        predicted = np.array(metrics[f"{name}_predictions"])
        assert metrics[name]["mse"] == pytest.approx(np.mean((predicted - actual) ** 2),
                                                     rel=1e-3)
        assert metrics[name]["mse"] < np.var(actual)  # it learned something in 2 epochs
    header = next(line for line in process.stdout.splitlines() if line.startswith("test errors"))
    assert header.split()[-4:] == ["MSE", "MAE", "MAPE", "%"]
    assert "Keras 3" in process.stdout and "graph (tf.compat.v1)" in process.stdout
    assert process.stderr == ""  # no C++ notes from tracing Keras 3
    # TensorBoard: each side's test errors and HParams row at the last step (2 epochs of
    # 580 windows in batches of 32: 38), persistence a flat line beside them
    for side in ("graph", "keras3"):
        board_run = BoardRun(run_dir / side)
        assert board_run.scalars["1_error_data_units/test_MSE"] == [
            (38, pytest.approx(metrics[side]["mse"], rel=1e-6))]
        assert board_run.session.group_name == f"08_01_keras_simple_rnn/{run_dir.name}/{side}"
        assert board_run.session.hparams["SIDE"].string_value == side
    assert BoardRun(run_dir / "persistence").scalars["1_error_data_units/test_MAE"] == [
        (step, pytest.approx(metrics["persistence"]["mae"], rel=1e-6)) for step in (0, 38)]


@pytest.mark.slow
def test_08_02_recursive_forecast_starts_with_the_one_step_prediction(tmp_path):
    process, metrics, run_dir = lesson_run("08_02_keras_stacked_lstm", tmp_path, "--quick",
                                           "--epochs", "1", "--horizon", "5")
    assert metrics["initial_max_abs_difference"] < 1e-5
    for name in ("graph", "Keras 3"):
        recursive = metrics["recursive_predictions"][name]
        one_step = metrics["one_step_predictions"][name]
        assert len(recursive) == 5 and len(one_step) == metrics["test_days"]
        # both start from the first test window: the first recursive step is that window's
        # one-step prediction; later steps differ as predictions replace actual days
        assert recursive[0] == pytest.approx(one_step[0], abs=1e-6)
        assert recursive[1] != pytest.approx(one_step[1], abs=1e-6)
    assert set(metrics["one_step"]["graph"]) == {"mse", "mae", "mape"}
    assert set(metrics["one_step"]) == {"graph", "Keras 3", "linear", "persistence"}
    assert len(metrics["recursive_predictions"]["linear"]) == 5
    assert (run_dir / "forecast.png").read_bytes()[:4] == b"\x89PNG"
    # TensorBoard: the one-day-ahead errors in kWh, a run per side and baseline
    for run, name in (("graph", "graph"), ("keras3", "Keras 3"), ("linear", "linear"),
                      ("persistence", "persistence")):
        board_run = BoardRun(run_dir / run)
        assert board_run.values("1_error_kWh/test_MAPE")[-1] == pytest.approx(
            metrics["one_step"][name]["mape"], rel=1e-6)
        assert "in kWh" in board_run.descriptions["1_error_kWh/test_MAE"]
    assert BoardRun(run_dir / "keras3").session.hparams["RNN_LAYERS"].string_value == (
        "8, 8 units, keep 0.8")
    # the same seed again: Keras 3's dropout masks follow --seed too
    (tmp_path / "again").mkdir()
    _, again, _ = lesson_run("08_02_keras_stacked_lstm", tmp_path / "again", "--quick",
                             "--epochs", "1", "--horizon", "5")
    assert again["one_step_predictions"] == metrics["one_step_predictions"]


@pytest.mark.slow
def test_08_02_bidirectional_starts_equal_and_its_graph_shows_fw_and_bw(tmp_path):
    process, metrics, run_dir = lesson_run("08_02_keras_stacked_lstm", tmp_path, "--quick",
                                           "--epochs", "1", "--horizon", "2",
                                           "--bidirectional")
    assert metrics["bidirectional"] is True
    assert metrics["initial_max_abs_difference"] < 1e-5  # same weights, both directions
    assert set(metrics["one_step"]) == {"graph", "Keras 3", "linear", "persistence"}
    events = EventAccumulator(str(run_dir / "graph"))
    events.Reload()
    names = [node.name for node in events.Graph().node]
    for direction in ("fw", "bw"):  # TensorBoard's graph shows both directions
        assert any(f"recurrent_layer/layer_1/bidirectional_rnn/{direction}/lstm_cell/kernel"
                   == name for name in names)


def test_recursive_forecast_feeds_each_prediction_back():
    from graphrnn import sidebyside

    def mean_of_last_two(x):  # (1, T, 1) -> one value
        return x[0, -2:, 0].mean()

    forecast = sidebyside.recursive_forecast(mean_of_last_two, [0.0, 0.0, 2.0, 4.0], 3)
    np.testing.assert_allclose(forecast, [3.0, 3.5, 3.25])
