"""05_01_rnn_seq and 05_02_rnn_variable_seq end to end: their shared --quick runs
(conftest.quick_run), a second run for the same numbers, and their bad input, all
in-process through the scripts' main()."""

import json
import math
import os

import numpy as np
import pandas as pd
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import run_in_process, run_main, uses_quick_runs


def quick(name, logdir, *args):
    """Run `name --quick --seed 3` in this process; return (result, its run folder)."""
    process = run_main(name, "--quick", "--seed", "3", "--logdir", str(logdir), *args,
                       cwd=logdir)
    assert process.returncode == 0, process.stderr
    (run_dir,) = (logdir / name).iterdir()
    return process, run_dir


def graph_node_names(run_dir):
    events = EventAccumulator(str(run_dir / "train"))
    events.Reload()
    return {node.name for node in events.Graph().node}


@pytest.fixture
def seq_run(quick_run):
    return quick_run


@pytest.fixture
def variable_run(quick_run):
    return quick_run


@uses_quick_runs
@pytest.mark.parametrize("quick_run", ["05_01_rnn_seq"], indirect=True)
def test_05_01_reports_rmse_for_every_output_step(seq_run):
    process, run_dir = seq_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    per_step = metrics["test_rmse_per_step"]
    assert len(per_step) == 12 and len(metrics["persistence_rmse_per_step"]) == 12
    # the overall MSE is the mean of the per-step MSEs
    assert metrics["test_rmse"] == pytest.approx(math.sqrt(np.mean(np.square(per_step))))
    table = pd.read_csv(run_dir / "predictions.csv", parse_dates=["timestamp"])
    assert list(table.columns) == ["window", "step", "timestamp", "actual", "predicted"]
    assert len(table) == 12 * metrics["test_windows"]
    by_step = table.groupby("step").apply(
        lambda rows: np.sqrt(np.mean((rows.actual - rows.predicted) ** 2)), include_groups=False)
    np.testing.assert_allclose(by_step.to_numpy(), per_step, rtol=1e-3)
    # within a window the steps are 10 minutes apart
    first = table[table.window == 0]
    assert (first.timestamp.diff().dropna() == pd.Timedelta(minutes=10)).all()
    lines = process.stdout.splitlines()
    header = lines.index("test RMSE by output step (Wh):")
    assert lines[header + 2].split()[:2] == ["1", f"{per_step[0]:.2f}"]
    assert lines[header + 13].split()[0] == "12"
    assert (run_dir / "forecast.png").read_bytes()[:4] == b"\x89PNG"
    assert "predictions/output_projection/dense/kernel" in graph_node_names(run_dir)


@uses_quick_runs
@pytest.mark.parametrize("quick_run", ["05_02_rnn_variable_seq"], indirect=True)
def test_05_02_feeds_lengths_and_predicts_one_value_per_record(variable_run):
    process, run_dir = variable_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["model"] == "05_02_rnn_variable_seq" and metrics["target"] == "signal"
    assert "test_rmse_per_step" not in metrics
    table = pd.read_csv(run_dir / "predictions.csv")
    assert list(table.columns) == ["window", "actual", "predicted"]
    assert len(table) == metrics["test_windows"] == 135
    rmse = np.sqrt(np.mean((table.actual - table.predicted) ** 2))
    assert rmse == pytest.approx(metrics["test_rmse"], rel=1e-3)
    assert "900 generated records" in process.stdout
    assert "inputs/sequence_length" in graph_node_names(run_dir)
    assert (run_dir / "forecast.png").read_bytes()[:4] == b"\x89PNG"


@uses_quick_runs
@pytest.mark.parametrize("quick_run", ["05_02_rnn_variable_seq"], indirect=True)
def test_05_02_same_seed_same_numbers(variable_run, tmp_path):
    _, first = variable_run
    _, second = quick("05_02_rnn_variable_seq", tmp_path)
    assert (second / "predictions.csv").read_bytes() == (first / "predictions.csv").read_bytes()


@pytest.mark.parametrize("name, args, message", [
    ("05_01_rnn_seq", ["--set", "INPUT_SEQUENCE_LENGTH=48"],
     "05_01_rnn_seq.py: error: 05_01_rnn_seq predicts one value per input step, so "
     "OUTPUT_SEQUENCE_LENGTH must equal INPUT_SEQUENCE_LENGTH (48), got 12"),
    ("05_02_rnn_variable_seq", ["--set", "VALIDATION_FRACTION=0.9"],
     "05_02_rnn_variable_seq.py: error: VALIDATION_FRACTION + TEST_FRACTION must leave rows"),
])
def test_chapter_5_bad_input_exits_2_with_no_run_folder(tmp_path, name,
                                                        args, message):
    status, _, err = run_in_process(name, ["--quick", "--logdir", "logs", *args], tmp_path)
    assert status == 2
    assert message in err and err.count("\n") == 1
    assert not os.path.exists(tmp_path / "logs")


def test_05_02_offers_no_data_option(tmp_path):
    status, _, err = run_in_process("05_02_rnn_variable_seq",
                                    ["--quick", "--data", "energy.csv"], tmp_path)
    assert status == 2
    assert "05_02_rnn_variable_seq.py: error: unrecognized arguments: --data energy.csv" in err
