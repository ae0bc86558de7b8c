"""Reliability of the scripts: resume, Ctrl-C, divergence, concurrent runs, and the
bad-input matrix (one sentence, exit 2, no run folder)."""

import io
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from conftest import SCRIPTS, BoardRun, run_main
from graphrnn import energy, runs
from graphrnn.compat import tf

NAME = "04_01_dropout"
SHORT = ("--set", "INPUT_SEQUENCE_LENGTH=4")  # --quick with a 4-step window: a faster build


def only_run(logdir, name=NAME):
    (folder,) = (logdir / name).iterdir()
    return folder


def read_json(path):
    return json.loads(path.read_text())


# ------------------------------------------------------------ resume
# (same seed, same numbers and another seed, other numbers: tests/test_scripts.py)


def final_weights(run_dir):
    """{variable: value} of the last checkpoint of a run folder."""
    reader = tf.train.load_checkpoint(str(run_dir / "checkpoints"))
    return {name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()}


@pytest.mark.slow
def test_two_plus_resumed_two_epochs_equal_four(tmp_path):
    """Dropout off: a session's dropout masks restart with a new session, so with dropout
    on a resumed run is equivalent in distribution, not number for number."""
    common = ["--quick", *SHORT, "--set", "DROPOUT_RATE=0.0",
              "--set", "LEARNING_RATE_DECAY_STEPS=50"]
    straight = run_main(NAME, *common, "--epochs", "4", "--logdir", str(tmp_path / "a"),
                        cwd=tmp_path)
    assert straight.returncode == 0, straight.stderr
    first = run_main(NAME, *common, "--epochs", "2", "--logdir", str(tmp_path / "b"),
                     cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    resumed_dir = only_run(tmp_path / "b")
    # nothing carries over but the folder (a resume in a new process: the Ctrl-C test below)
    resumed = run_main(NAME, "--resume", str(resumed_dir), "--epochs", "4", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming {resumed_dir} after epoch 2" in resumed.stdout
    # still a --quick run, and its result line says so
    assert "\nsmoke test (--quick: a tiny model trained for seconds" in resumed.stdout

    a, b = read_json(only_run(tmp_path / "a") / "metrics.json"), read_json(
        resumed_dir / "metrics.json")
    assert b["epochs_completed"] == 4 and b["status"] == "finished"
    for curve in ("train_mse", "validation_mse", "learning_rate"):
        np.testing.assert_allclose(b["history"][curve], a["history"][curve], rtol=1e-5)
    assert a["history"]["learning_rate"][-1] < 0.05  # the schedule carried on across resume
    assert b["best_epoch"] == a["best_epoch"]
    assert b["test_rmse"] == pytest.approx(a["test_rmse"], rel=1e-5)
    weights_a, weights_b = final_weights(only_run(tmp_path / "a")), final_weights(resumed_dir)
    assert weights_a.keys() == weights_b.keys()
    for name in weights_a:
        np.testing.assert_allclose(weights_b[name], weights_a[name], atol=1e-5, err_msg=name)
    # the event files of both sessions form one run per curve
    steps = BoardRun(resumed_dir / "validation").steps("2_loss_on_scaled_data/MSE")
    assert len(steps) == 4 and steps == sorted(steps)


# ------------------------------------------------------------ Ctrl-C and divergence


@pytest.mark.slow
def test_ctrl_c_keeps_the_last_epoch_and_resume_finishes(tmp_path):
    # A shell that starts jobs in the background (as CI may) makes them ignore SIGINT, and
    # Python then installs no KeyboardInterrupt handler: give the child the default back.
    process = subprocess.Popen(
        [sys.executable, str(SCRIPTS / f"{NAME}.py"), "--quick", *SHORT, "--epochs", "500",
         "--logdir", str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=tmp_path, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for line in process.stdout:
            if line.startswith("epoch"):  # one epoch is done: interrupt the next
                process.send_signal(signal.SIGINT)
                break
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    run_dir = only_run(tmp_path)
    assert run_dir.name.endswith("-quick-interrupted")  # the name says what happened
    (message,) = stderr.strip().splitlines()
    assert "interrupted in epoch" in message and f"--resume {run_dir}" in message
    metrics = read_json(run_dir / "metrics.json")
    assert metrics["status"] == "interrupted" and metrics["epochs_completed"] >= 1
    assert (run_dir / (metrics["last_checkpoint"] + ".index")).is_file()

    done = metrics["epochs_completed"]
    resumed = run_main(NAME, "--resume", str(run_dir), "--epochs", str(done + 1), cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    finished_dir = only_run(tmp_path)  # finished, it drops -interrupted
    assert finished_dir.name == run_dir.name.removesuffix("-interrupted")
    assert resumed.stdout.splitlines()[-3] == f"run folder: {finished_dir}"
    finished = read_json(finished_dir / "metrics.json")
    assert finished["status"] == "finished" and finished["epochs_completed"] == done + 1
    assert len(finished["history"]["train_mse"]) == done + 1


@pytest.mark.slow
def test_divergence_stops_with_one_sentence_and_keeps_a_checkpoint(tmp_path):
    # plain gradient descent: Adam's steps are bounded by the rate, and its loss stays finite
    process = run_main(NAME, "--quick", *SHORT, "--set", "OPTIMIZER=sgd", "--learning-rate",
                       "1e6", "--logdir", str(tmp_path), cwd=tmp_path)
    assert process.returncode == runs.EXIT_DIVERGED == 3
    (message,) = process.stderr.strip().splitlines()
    assert "training diverged in epoch 1" in message and "learning rate 1e+06" in message
    run_dir = only_run(tmp_path)
    assert run_dir.name.endswith("-quick-diverged") and f"(run folder {run_dir})" in message
    metrics = read_json(run_dir / "metrics.json")
    assert metrics["status"] == "diverged"
    assert (run_dir / (metrics["last_checkpoint"] + ".index")).is_file()
    assert not (run_dir / "predictions.csv").exists()


# ------------------------------------------------------------ concurrent runs


CLAIM_A_FOLDER = """
import sys, time
from graphrnn import runs
while time.time() < float(sys.argv[2]):  # every process starts its claim at the same instant
    pass
print(runs.new_run_dir(sys.argv[1], "04_01_dropout", 0))
"""


def test_runs_started_in_the_same_second_get_their_own_folders(tmp_path):
    """Six processes claim a run folder at the same instant (the name has a one-second
    resolution): each gets its own. runs.new_run_dir is what every script calls first."""
    start = time.time() + 2.0  # after every interpreter has started (graphrnn.runs: no TF)
    processes = [subprocess.Popen([sys.executable, "-c", CLAIM_A_FOLDER, str(tmp_path),
                                   str(start)], stdout=subprocess.PIPE, text=True)
                 for _ in range(6)]
    named = [process.communicate(timeout=60)[0].strip() for process in processes]
    assert [process.returncode for process in processes] == [0] * 6
    folders = sorted((tmp_path / NAME).iterdir())
    assert sorted(named) == [str(folder) for folder in folders] and len(folders) == 6
    # six claims within a clock second or two: some shared a name and took the next suffix
    assert any(folder.name.endswith("-seed0-2") for folder in folders)


# ------------------------------------------------------------ the bad-input matrix


def csv_text(rows=30, separator=","):
    frame = energy.load_energy(rows=rows)
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d %H:%M:%S")
    return frame.to_csv(index=False, sep=separator)


def edit_cell(column, value):
    frame = pd.read_csv(io.StringIO(csv_text()), dtype=str, keep_default_na=False)
    frame.loc[3, column] = value
    return frame.to_csv(index=False)


CSV_CASES = {
    "empty file": ("", "is not a readable CSV file"),
    "header only": (",".join(energy.ENERGY_COLUMNS) + "\n", "has a header but no data rows"),
    "missing Appliances": (csv_text().replace("Appliances", "Watts", 1),
                           "lacks the column(s) Appliances"),
    "text in a number column": (edit_cell("T2", "warm"), "the value 'warm' in column T2 on line 5"),
    "NaN": (edit_cell("RH_3", "NaN"), "a missing value ('NaN') in column RH_3 on line 5"),
    "empty cell": (edit_cell("lights", ""), "an empty cell in column lights on line 5"),
    "duplicate timestamps": (edit_cell("date", "2016-01-11 17:10:00"),
                             "has the timestamp 2016-01-11 17:10:00 more than once"),
    "semicolon delimiter": (csv_text(separator=";"), "separates its columns with semicolons"),
    "dates that do not parse": (edit_cell("date", "the 5th of May"),
                                "energy.csv has the date 'the 5th of May' on line 5, which "
                                "cannot be read"),
    "too few rows for a window": (csv_text(rows=30), "too few rows for one"),
}

OPTION_CASES = {
    "zero units": (["--set", 'RNN_LAYERS=[{"units": 0}]'],
                   'RNN_LAYERS[0]["units"] must be an integer >= 1, got 0'),
    "negative units": (["--set", 'RNN_LAYERS=[{"units": 8}, {"units": -4}]'],
                       'RNN_LAYERS[1]["units"] must be an integer >= 1, got -4'),
    "keep_prob 0": (["--set", 'RNN_LAYERS=[{"units": 8, "keep_prob": 0}]'],
                    'RNN_LAYERS[0]["keep_prob"] must be in (0, 1], got 0'),
    "keep_prob above 1": (["--set", 'RNN_LAYERS=[{"units": 8, "keep_prob": 1.2}]'],
                          'RNN_LAYERS[0]["keep_prob"] must be in (0, 1], got 1.2'),
    "decay rate 0": (["--set", "LEARNING_RATE_DECAY_RATE=0"],
                     "LEARNING_RATE_DECAY_RATE must be a number in (0.0, inf), got 0"),
    "negative decay rate": (["--set", "LEARNING_RATE_DECAY_RATE=-0.5"],
                            "LEARNING_RATE_DECAY_RATE must be a number in (0.0, inf), got -0.5"),
    "window longer than the data": (["--set", "INPUT_SEQUENCE_LENGTH=5000"],
                                    "too few rows for one train window"),
    "batch size 0": (["--batch-size", "0"], "BATCH_SIZE must be an integer >= 1, got 0"),
    "zero learning rate": (["--learning-rate", "0"], "INITIAL_LEARNING_RATE must be a number"),
    "unknown hyperparameter": (["--set", "LEARNING_RATE=0.1"], "--set takes NAME=VALUE"),
    "unreadable --set value": (["--set", "EPOCHS=[1,"], "'[1,' is not a number, word"),
    "a word where a number belongs": (["--set", "EPOCHS=many"],
                                      "EPOCHS must be an integer >= 1, got 'many'"),
    "unknown optimiser": (["--set", "OPTIMIZER=rmsprop"], 'OPTIMIZER must be "sgd" or "adam"'),
    "missing --data file": (["--data", "no/such.csv"], "no such data file: no/such.csv"),
    "unwritable --logdir": (["--logdir", "a_file/logs"], "cannot create a run folder in"),
    "--resume of a folder that is not a run": (["--resume", "."],
                                               ". is not a run folder (it has no state.json)"),
    "--resume with other settings": (["--resume", "a_run", "--seed", "4"],
                                     "only --epochs can change, not --seed"),
}


def run_04_01(args, tmp_path):
    """04_01's main with these arguments in tmp_path, beside a file and a fake run folder
    the cases name; returns (status, stdout, stderr)."""
    (tmp_path / "a_file").write_text("not a folder")
    run = tmp_path / "a_run"
    run.mkdir()
    (run / "state.json").write_text("{}")
    args = args if "--logdir" in args else args + ["--logdir", "logs"]
    result = run_main(NAME, *(["--quick", *args] if "--resume" not in args else args),
                      cwd=tmp_path)
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("case", list(CSV_CASES))
def test_bad_csv(case, tmp_path):
    text, message = CSV_CASES[case]
    (tmp_path / "energy.csv").write_text(text)
    status, _, err = run_04_01(["--data", "energy.csv"], tmp_path)
    assert status == 2
    assert err.count("\n") == 1 and err.startswith(f"{NAME}.py: error: ")
    assert message in err
    assert not (tmp_path / "logs").exists()


@pytest.mark.parametrize("case", list(OPTION_CASES))
def test_bad_option(case, tmp_path):
    args, message = OPTION_CASES[case]
    status, _, err = run_04_01(list(args), tmp_path)
    assert status == 2
    assert err.count("\n") == 1 and err.startswith(f"{NAME}.py: error: ")
    assert message in err
    assert not (tmp_path / "logs").exists()
    assert not (tmp_path / "a_file").is_dir()


@pytest.mark.slow
def test_unsorted_rows_are_sorted_with_a_note(tmp_path):
    lines = csv_text(rows=600).splitlines()
    shuffled = [lines[0]] + lines[1:][::-1]  # newest first, as a spreadsheet sort may leave it
    (tmp_path / "energy.csv").write_text("\n".join(shuffled) + "\n")
    status, out, err = run_04_01(["--data", "energy.csv", "--epochs", "1", *SHORT], tmp_path)
    assert status == 0, err
    assert "note: the rows of energy.csv were not in time order; they were sorted by date" in out
    predictions = pd.read_csv(only_run(tmp_path / "logs") / "predictions.csv")
    assert pd.to_datetime(predictions["timestamp"]).is_monotonic_increasing


def test_run_folder_names_say_quick_interrupted_and_diverged(tmp_path):
    quick = runs.new_run_dir(str(tmp_path), NAME, 3, quick=True)
    assert quick.endswith("-seed3-quick") and os.path.isdir(quick)
    interrupted = runs.mark_run_dir(quick, "interrupted")
    assert interrupted == quick + "-interrupted" and not os.path.exists(quick)
    diverged = runs.mark_run_dir(interrupted, "diverged")  # resumed, then diverged
    assert diverged == quick + "-diverged"
    assert runs.mark_run_dir(diverged) == quick and os.path.isdir(quick)  # resumed, finished
    assert runs.mark_run_dir(quick) == quick
    os.mkdir(quick + "-interrupted")  # the new name is taken: the folder keeps its own
    assert runs.mark_run_dir(quick, "interrupted") == quick and os.path.isdir(quick)
