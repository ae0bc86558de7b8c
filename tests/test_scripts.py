"""The chapter-4 scripts end to end, as a user runs them: one shared --quick run per script
in a subprocess (conftest.quick_run), the bad-input matrix in-process through the same
graphrnn.tutorial_script code, and one bad input in a subprocess for the exit status and stderr."""

import json
import math
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

from conftest import (ROOT, BoardRun, assert_ends_with_the_run_folder, run_in_process,
                      run_main, run_script, uses_quick_runs)
from graphrnn import baseline, energy, tutorial_script
from graphrnn.compat import tf
from graphrnn.config import Config

NAME = "04_01_dropout"
SCRIPTS = ["04_01_dropout", "04_02_rnn_dropout", "04_03_rnn_l2"]


def quick_run_windows(metrics):
    """The windows a --quick run of the energy data trained and was tested on."""
    data, _ = tutorial_script.energy_windows(None, tutorial_script.QUICK_ROWS,
                                             Config(**metrics["config"]))
    return data


# every test below that takes quick_run runs once per script, on the shared quick runs
per_script = pytest.mark.parametrize("quick_run", SCRIPTS, indirect=True)


@uses_quick_runs
@per_script
def test_quick_run_reports_finite_metrics(quick_run):
    process, run_dir = quick_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    for key in ("test_mse", "test_rmse", "test_mae", "test_r2", "persistence_rmse",
                "linear_rmse", "linear_mae", "train_seconds"):
        assert math.isfinite(metrics[key]), key
    assert metrics["linear_alpha"] in baseline.ALPHAS
    assert metrics["test_rmse"] == pytest.approx(math.sqrt(metrics["test_mse"]))
    assert metrics["epochs"] == 2 and metrics["seed"] == 3
    assert metrics["model"] == run_dir.parent.name
    assert metrics["config"]["SEED"] == 3 and metrics["config"]["GRAPPLER"] == "auto"
    assert len(metrics["history"]["validation_mse"]) == 2
    lines = process.stdout.strip().splitlines()
    assert_ends_with_the_run_folder(process.stdout, run_dir)
    assert any(line.startswith("epoch   2/2") for line in lines)
    (result,) = [line for line in lines if "test RMSE" in line]
    # a smoke test, and it says so
    assert result.startswith(tutorial_script.QUICK_NOTE + "test RMSE ")
    assert f"linear {metrics['linear_rmse']:.2f} Wh" in result
    if metrics["model"] == "05_02_rnn_variable_seq":  # its only input is the target
        assert "lag_linear_rmse" not in metrics and "own lags" not in result
    else:
        assert math.isfinite(metrics["lag_linear_rmse"]) and metrics["lag_linear_alpha"] > 0
        assert f"linear on own lags {metrics['lag_linear_rmse']:.2f} Wh" in result
    assert "Traceback" not in process.stderr


def ridge_test_rmse(data, inputs_of, alpha):
    """Test RMSE in Wh of a ridge of strength alpha on inputs_of(part), fitted here."""
    ridge = baseline.fit_ridge(inputs_of(data.train), data.train.targets,
                               inputs_of(data.validation), data.validation.targets,
                               alphas=(alpha,))
    predicted = data.to_units(ridge.predict(inputs_of(data.test))[..., 0])
    actual = data.to_units(data.test.targets[..., 0])
    return float(np.sqrt(np.mean((predicted - actual) ** 2)))


@uses_quick_runs
@pytest.mark.parametrize("quick_run", ["04_01_dropout"], indirect=True)
def test_the_linear_baseline_is_a_ridge_on_the_runs_own_windows(quick_run):
    _, run_dir = quick_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    data = quick_run_windows(metrics)
    rmse = ridge_test_rmse(data, lambda part: part.inputs, metrics["linear_alpha"])
    assert metrics["linear_rmse"] == pytest.approx(rmse, rel=1e-6)
    assert metrics["linear_rmse"] < metrics["persistence_rmse"]  # it reads the whole window


@uses_quick_runs
@pytest.mark.parametrize("quick_run", ["04_01_dropout"], indirect=True)
def test_the_second_linear_baseline_reads_the_targets_lags_and_the_calendar(quick_run):
    _, run_dir = quick_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    data = quick_run_windows(metrics)
    target = data.features.index("Appliances")
    calendar = [data.features.index(name) for name in energy.CALENDAR]

    def lags(part):  # (N, T + 4): Appliances at every step, the calendar at the last
        return np.concatenate([part.inputs[:, :, target], part.inputs[:, -1, calendar]], 1)
    rmse = ridge_test_rmse(data, lags, metrics["lag_linear_alpha"])
    assert lags(data.test).shape[1] == metrics["config"]["INPUT_SEQUENCE_LENGTH"] + 4
    assert metrics["lag_linear_rmse"] == pytest.approx(rmse, rel=1e-6)


@uses_quick_runs
@per_script
def test_quick_run_writes_predictions_in_wh(quick_run):
    _, run_dir = quick_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    table = pd.read_csv(run_dir / "predictions.csv", parse_dates=["timestamp"])
    assert list(table.columns) == ["timestamp", "actual", "predicted"]
    assert len(table) == metrics["test_windows"]
    assert table["timestamp"].is_monotonic_increasing
    assert (table["actual"] % 10 == 0).all() and table["actual"].min() >= 10  # meter units
    rmse = np.sqrt(np.mean((table["actual"] - table["predicted"]) ** 2))
    assert rmse == pytest.approx(metrics["test_rmse"], rel=1e-3)


@uses_quick_runs
@per_script
def test_quick_run_writes_figure_and_checkpoint(quick_run):
    _, run_dir = quick_run
    assert (run_dir / "forecast.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    checkpoints = run_dir / "checkpoints"
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert (run_dir / (metrics["checkpoint"] + ".index")).is_file()
    assert "model_checkpoint_path" in (checkpoints / "checkpoint").read_text()


# what TensorBoard shows of a forecast run, its groups in the order Time Series opens them
ERROR, LOSS, TRAINING = "1_error_Wh", "2_loss_on_scaled_data", "3_training"


@uses_quick_runs
@per_script
@pytest.mark.parametrize("run", ["train", "validation"])
def test_event_files_hold_graph_and_scalars(quick_run, run):
    _, run_dir = quick_run
    events = BoardRun(run_dir / run)
    regularised = run_dir.parent.name == "04_03_rnn_l2"
    expected = {f"{ERROR}/RMSE", f"{LOSS}/MSE", f"{LOSS}/RMSE"}
    if run == "train":  # written once, by the training run; global_step is the x axis
        expected |= {f"{TRAINING}/learning_rate"} | (
            {f"{LOSS}/regularisation_loss"} if regularised else set())
    assert set(events.scalars) == expected
    for tag in expected:  # each says what it measures, in which unit
        assert events.descriptions[tag], tag
    assert "in Wh" in events.descriptions[f"{ERROR}/RMSE"]
    assert "scaled to [0, 1]" in events.descriptions[f"{LOSS}/MSE"]
    if regularised and run == "train":
        assert all(value > 0 for value in events.values(f"{LOSS}/regularisation_loss"))
    steps = events.steps(f"{LOSS}/MSE")
    assert steps == sorted(steps) and len(steps) >= 2
    assert all(math.isfinite(value) for value in events.values(f"{LOSS}/RMSE"))
    history = json.loads((run_dir / "metrics.json").read_text())["history"]
    if run == "train":  # the graph is written once, with the training run
        assert events.graph is not None
        # every trainable variable and its gradient, after epochs 1 and 2 (the last), under
        # short names: weights/layer_0/gates/kernel for .../multi_rnn_cell/cell_0/gru_cell/...
        reader = tf.train.load_checkpoint(str(run_dir / "checkpoints"))
        names = [name for name in reader.get_variable_to_shape_map()
                 if name.startswith(("recurrent_layer/", "predictions/",
                                     "Frobenius_regularization/"))]
        histograms = EventAccumulator(str(run_dir / run), size_guidance={"histograms": 0})
        histograms.Reload()
        short = {name: name.replace("recurrent_layer/rnn/multi_rnn_cell/cell_", "layer_")
                 .replace("/gru_cell", "") for name in names}
        assert set(histograms.Tags()["histograms"]) == (
            {f"{'biases' if name.endswith('/bias') else 'weights'}/{short[name]}"
             for name in names} | {f"gradients/{short[name]}" for name in names})
        assert "weights/layer_0/gates/kernel" in histograms.Tags()["histograms"]
        for name in names:  # the last histogram is of the last checkpoint's values
            kind = "biases" if name.endswith("/bias") else "weights"
            last = histograms.Histograms(f"{kind}/{short[name]}")[-1].histogram_value
            value = reader.get_tensor(name)
            assert (last.num, last.min, last.max) == pytest.approx(
                (value.size, value.min(), value.max()), rel=1e-6)
            assert len(histograms.Histograms(f"gradients/{short[name]}")) == 2
            assert name in events.descriptions[f"gradients/{short[name]}"]  # the full name
        graph = events.graph
        # the top level: the tutorial's scopes, then bookkeeping under two scopes of its own
        scopes = {node.name.split("/")[0] for node in graph.node}
        tutorial = {"inputs", "recurrent_layer", "predictions", "loss", "training"}
        assert scopes == tutorial | {"summaries", "checkpoints"} | (
            {"Frobenius_regularization"} if regularised else set())
        assert {"summaries/MSE", "summaries/RMSE", "summaries/learning_rate",
                "checkpoints/best_saver/SaveV2", "checkpoints/last_saver/SaveV2",
                "checkpoints/init"} <= {node.name for node in graph.node}
        assert "inputs/dropout_switch" in {node.name for node in graph.node}
        # the training step's MSE every 20 steps: the graph's own summary of the batch
        assert events.steps(f"{LOSS}/MSE")[:2] == [0, 20]
    else:
        np.testing.assert_allclose(events.values(f"{LOSS}/MSE"), history["validation_mse"],
                                   rtol=1e-6)
        np.testing.assert_allclose(events.values(f"{LOSS}/RMSE"),
                                   np.sqrt(history["validation_mse"]), rtol=1e-6)
    # the epoch's RMSE in Wh, on both runs: one point per epoch, as metrics.json has it
    np.testing.assert_allclose(events.values(f"{ERROR}/RMSE"), history[f"{run}_rmse"],
                               rtol=1e-5)


@uses_quick_runs
@per_script
def test_a_finished_run_writes_its_test_metrics_text_and_hparams_for_tensorboard(quick_run):
    _, run_dir = quick_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    test = BoardRun(run_dir / "test")
    final_step = BoardRun(run_dir / "validation").steps(f"{ERROR}/RMSE")[-1]
    expected = {f"{ERROR}/RMSE": "test_rmse", f"{ERROR}/test_MAE": "test_mae",
                f"{ERROR}/test_R2": "test_r2"}
    assert set(test.scalars) == set(expected)
    for tag, key in expected.items():
        assert test.scalars[tag] == [(final_step, pytest.approx(metrics[key], rel=1e-6))]
        assert test.descriptions[tag]
    # each baseline a run of its own: a flat line in the RMSE chart, from step 0
    for run, key in (("persistence", "persistence"), ("linear", "linear"),
                     ("linear_on_own_lags", "lag_linear")):
        baseline_run = BoardRun(run_dir / run)
        assert baseline_run.scalars[f"{ERROR}/RMSE"] == [
            (0, pytest.approx(metrics[f"{key}_rmse"], rel=1e-6)),
            (final_step, pytest.approx(metrics[f"{key}_rmse"], rel=1e-6))]
        assert baseline_run.values(f"{ERROR}/test_MAE")[-1] == pytest.approx(
            metrics[f"{key}_mae"], rel=1e-6)
    events = EventAccumulator(str(run_dir / "test"))
    events.Reload()
    # the forecast drawn for TensorBoard's card (960 x 440 px, large text), not forecast.png
    (image,) = events.Images(f"{ERROR}/forecast")
    png = image.encoded_image_string
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and image.step == final_step
    assert (image.width, image.height) == struct.unpack(">II", png[16:24]) == (960, 440)
    assert png != (run_dir / "forecast.png").read_bytes()
    assert test.descriptions[f"{ERROR}/forecast"] and test.descriptions["run_summary"]
    (text,) = events.Tensors("run_summary")
    summary = text.tensor_proto.string_val[0].decode()  # a short Markdown table
    for row in (f"| script | {metrics['model']} |", "| data | built-in synthetic data |",
                f"| test RMSE | {metrics['test_rmse']:.2f} Wh |",
                f"| linear RMSE | {metrics['linear_rmse']:.2f} Wh |",
                "| best epoch | {} of 2 |".format(metrics["best_epoch"]), "| seed | 3 (--quick) |"):
        assert row in summary.splitlines(), row
    assert "| RNN_LAYERS | 8, 4 units, keep " in summary and len(summary.splitlines()) <= 18
    content = events.SummaryMetadata("_hparams_/session_start_info").plugin_data.content
    session = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info
    assert session.group_name == f"{metrics['model']}/{run_dir.name}"
    assert session.hparams["RNN_LAYERS"].string_value == "8,4"
    assert session.hparams["INPUT_COLUMNS"].string_value == "Appliances,lights"
    assert session.hparams["QUICK"].bool_value is True
    assert session.hparams["EPOCHS"].string_value == "2"  # a whole number shows as 2
    assert session.hparams["INITIAL_LEARNING_RATE"].number_value == pytest.approx(
        metrics["config"]["INITIAL_LEARNING_RATE"])
    assert session.group_name == f"{metrics['model']}/{run_dir.name}"  # the HParams row's name


@uses_quick_runs
@pytest.mark.parametrize("quick_run", ["04_01_dropout"], indirect=True)
def test_the_epoch_lines_and_metrics_say_which_numbers_are_scaled_and_which_are_wh(quick_run):
    process, run_dir = quick_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    history = metrics["history"]
    data = quick_run_windows(metrics)
    span = data.scaler.maximum[0] - data.scaler.minimum[0]  # Appliances' training range, Wh
    assert data.scaler.columns[0] == "Appliances"
    for part in ("train", "validation"):  # RMSE in Wh = sqrt(scaled MSE) x the range
        np.testing.assert_allclose(history[f"{part}_rmse"],
                                   np.sqrt(history[f"{part}_mse"]) * span, rtol=1e-6)
    assert metrics["units"]["test_rmse"] == "Wh" and metrics["units"]["test_mse"] == "Wh^2"
    assert metrics["units"]["history.validation_mse"].startswith("scaled to [0, 1]")
    assert metrics["units"]["history.validation_rmse"] == "Wh"
    lines = process.stdout.splitlines()
    # the first line says what the inputs are: the chosen columns and the calendar
    assert lines[0].endswith("; inputs: Appliances, lights (INPUT_COLUMNS), and hour of day "
                             "and day of week as sine and cosine (CALENDAR_FEATURES); windows "
                             "train " + lines[0].split("windows train ")[1])
    first = next(i for i, line in enumerate(lines) if line.startswith("epoch"))
    assert lines[first - 1].startswith("(MSE: the loss the optimiser minimises, on data "
                                       "scaled to [0, 1]; RMSE: the same error in Wh; time:")
    assert lines[first] == (
        f"epoch   1/2  train MSE {history['train_mse'][0]:.5f} (RMSE "
        f"{history['train_rmse'][0]:.1f} Wh)  validation MSE {history['validation_mse'][0]:.5f}"
        f" (RMSE {history['validation_rmse'][0]:.1f} Wh)  learning rate "
        f"{history['learning_rate'][0]:.4g}  time "
        + lines[first].rsplit("time ", 1)[1])
    assert lines[first].endswith("s")


# One script is enough: all three train through graphrnn.train, and 04_02's DropoutWrapper
# masks under tf.cond are the hardest numbers to repeat. (The lessons and chapter 5 have
# their own same-seed tests.)
@uses_quick_runs
@pytest.mark.parametrize("quick_run", ["04_02_rnn_dropout"], indirect=True)
def test_same_seed_repeats_the_numbers(quick_run, tmp_path):
    _, run_dir = quick_run
    name = run_dir.parent.name
    # again in this test process, at another point of its life (and, under pytest -n, often
    # in another process than the shared run): nothing left in a process may change a number
    again = run_main(name, "--quick", "--seed", "3", "--logdir", str(tmp_path), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    (second,) = (tmp_path / name).iterdir()
    first_metrics = json.loads((run_dir / "metrics.json").read_text())
    second_metrics = json.loads((second / "metrics.json").read_text())
    for key in ("test_mse", "test_rmse", "test_mae", "test_r2", "best_validation_mse",
                "history", "best_epoch"):
        assert second_metrics[key] == first_metrics[key], key
    assert (second / "predictions.csv").read_bytes() == (run_dir / "predictions.csv").read_bytes()


@uses_quick_runs
@pytest.mark.parametrize("quick_run", ["04_01_dropout"], indirect=True)
def test_another_seed_gives_other_numbers(quick_run, tmp_path):
    _, run_dir = quick_run
    # one epoch of the shared run's two is enough: its numbers depend on nothing but the seed
    other = run_main(NAME, "--quick", "--seed", "4", "--epochs", "1", "--logdir", str(tmp_path),
                     cwd=tmp_path)
    assert other.returncode == 0, other.stderr
    (second,) = (tmp_path / NAME).iterdir()
    first_metrics = json.loads((run_dir / "metrics.json").read_text())
    second_metrics = json.loads((second / "metrics.json").read_text())
    assert second_metrics["seed"] == 4 and first_metrics["seed"] == 3
    for curve in ("train_mse", "validation_mse"):
        first, second = first_metrics["history"][curve], second_metrics["history"][curve]
        assert len(first) == 2 and len(second) == 1 and second[0] != first[0], curve


def write_bad_files(folder):
    header = ("date,Appliances,lights,T1,RH_1,T2,RH_2,T3,RH_3,T4,RH_4,T5,RH_5,T6,RH_6,T7,RH_7,"
              "T8,RH_8,T9,RH_9,T_out,Press_mm_hg,RH_out,Windspeed,Visibility,Tdewpoint,rv1,rv2")
    (folder / "bad.csv").write_text(f"{header}\n2016-01-11 17:00:00,lots{',1' * 27}\n")
    rows = "".join(f"2016-01-11 17:{m:02d}:00{',1' * 28}\n" for m in range(0, 60, 10))
    (folder / "short.csv").write_text(f"{header}\n{rows}")


@pytest.mark.parametrize("args, message", [
    (["--data", "no/such.csv"], "no such data file: no/such.csv"),
    (["--epochs", "0"], "EPOCHS must be an integer >= 1, got 0"),
    (["--batch-size", "-4"], "BATCH_SIZE must be an integer >= 1, got -4"),
    (["--data", "bad.csv"], "the value 'lots' in column Appliances on line 2"),
    (["--data", "short.csv"], "too few rows"),
])
def test_bad_input_exits_2_with_one_line_and_no_run_folder(tmp_path, args,
                                                           message):
    write_bad_files(tmp_path)
    status, _, err = run_in_process(NAME, [*args, "--quick", "--logdir", "logs"], tmp_path)
    assert status == 2
    error_lines = err.strip().splitlines()
    assert len(error_lines) == 1, err
    assert error_lines[0].startswith(f"{NAME}.py: error: ") and message in error_lines[0]
    assert not (tmp_path / "logs").exists()


@pytest.mark.slow
def test_bad_input_in_a_real_process_is_one_line_and_status_2(tmp_path):
    write_bad_files(tmp_path)
    process = run_script(NAME, "--data", "bad.csv", "--quick", "--logdir", "logs", cwd=tmp_path)
    assert process.returncode == 2
    assert process.stderr == (f"{NAME}.py: error: bad.csv has the value 'lots' in column "
                              "Appliances on line 2; every cell must be a number\n")
    assert process.stdout == "" and not (tmp_path / "logs").exists()


@pytest.mark.parametrize("name", SCRIPTS[1:])
def test_later_scripts_refuse_a_missing_file_too(tmp_path, name):
    status, _, err = run_in_process(name, ["--data", "gone.csv", "--logdir", "logs"],
                                    tmp_path)
    assert status == 2
    assert err.strip() == f"{name}.py: error: no such data file: gone.csv"
    assert not (tmp_path / "logs").exists()


def test_help_lists_the_options(tmp_path):
    # the options are shared (graphrnn.tutorial_script); one script shows them
    status, out, _ = run_in_process(SCRIPTS[-1], ["--help"], tmp_path)
    assert status == 0
    assert out.startswith(f"usage: {SCRIPTS[-1]}.py")
    for option in ("--data", "--epochs", "--batch-size", "--learning-rate", "--seed", "--set",
                   "--unroll", "--grappler", "--logdir", "--quick", "--resume", "--export"):
        assert option in out


# Run in a fresh Python: every script's --help, then a mistyped option; after each, is
# TensorFlow loaded? (It takes about 5 s to load; the options are parsed before it.)
OPTIONS_BEFORE_TENSORFLOW = """
import contextlib, io, runpy, sys
for path in sys.argv[1:]:
    for argv in (["--help"], ["--no-such-option"]):
        sys.argv = [path, *argv]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                runpy.run_path(path, run_name="__main__")
                status = None
            except SystemExit as exit:
                status = exit.code
        print(path, argv[0], status, "tensorflow" in sys.modules, repr(out.getvalue()[:60]),
              repr(err.getvalue().splitlines()[-1:] or ""))
"""


def test_help_and_option_errors_answer_before_tensorflow_is_imported():
    scripts = sorted(str(path) for path in (ROOT / "scripts").glob("*.py"))
    assert len(scripts) == 14  # 04_01 .. 09_02 and the two benchmarks
    result = subprocess.run([sys.executable, "-c", OPTIONS_BEFORE_TENSORFLOW, *scripts],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    lines = [line.split(" ", 4) for line in result.stdout.splitlines()]
    assert len(lines) == 2 * len(scripts), result.stderr
    for path, option, status, tensorflow_loaded, output in lines:
        name = Path(path).name
        assert tensorflow_loaded == "False", f"{name} {option} imported TensorFlow"
        if option == "--help":
            assert status == "0" and output.startswith(f"'usage: {name}"), (name, output)
        else:
            assert status == "2", (name, status)
            assert "unrecognized arguments: --no-such-option" in output, (name, output)
