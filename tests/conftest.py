"""Shared fixtures. graphrnn.compat is imported first, so TensorFlow loads with legacy Keras.

Costs: a script in a subprocess pays TensorFlow's start-up (5-8 s) on top of its run, so
scripts run in-process through their main() (`run_main`), and subprocesses are kept for
what only a process shows (exit status and stderr of a real run, a fresh interpreter,
Ctrl-C, two runs at once); those are marked slow. One --quick run per script
(`quick_run`) serves every test that reads what a run writes, on every xdist worker.

Threads: under pytest -n each worker runs TensorFlow's ops on one thread (its
intra-op pool), as do the subprocesses it starts. The workers already use every core;
two-thread pools in each only made them wait for one another (the suite took 5:30 on
2 cores, and 4:30 with one thread).
"""

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:  # read when TensorFlow loads
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")

# graphrnn.compat first: it sets TF_USE_LEGACY_KERAS before TensorFlow loads
from graphrnn import compat  # noqa: E402, F401
from graphrnn import energy  # noqa: E402
from graphrnn import graph_holder  # noqa: E402
from graphrnn.config import Config  # noqa: E402

# Grappler re-optimises a graph for every new set of fetches, which the tests ask for again
# and again; they check numbers, which it must not change (test_layers trains with it on
# and off and compares). So a Session given no config runs here without it; the scripts
# set their own (--grappler), as does the benchmark, where speed is measured.
compat.tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
EXPORTED = "04_03_rnn_l2"  # its quick run also writes model.keras (test_export.py reads it)


def uses_quick_runs(test):
    """Mark a test that reads the shared quick runs: slow (each run trains for seconds)."""
    return pytest.mark.slow(test)


@pytest.fixture(scope="session")
def small_frame():
    """2,000 rows of the built-in data: enough for every split of a small window."""
    return energy.load_energy(rows=2000)


@pytest.fixture
def tiny_config():
    return Config(INPUT_SEQUENCE_LENGTH=6, RNN_LAYERS=[{"units": 5}, {"units": 3}],
                  DROPOUT_RATE=0.5, INITIAL_LEARNING_RATE=0.1, EPOCHS=2, BATCH_SIZE=32)


def run_script(name, *args, cwd):
    """Run scripts/<name>.py in a fresh Python; returns the CompletedProcess."""
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    return subprocess.run([sys.executable, str(SCRIPTS / f"{name}.py"), *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture
def quick_run(request, tmp_path_factory):
    """shared_quick_run of the script named by parametrize(..., indirect=True)."""
    return shared_quick_run(request.param, tmp_path_factory)


def once_per_session(tmp_path_factory, name, make):
    """(make(folder)'s result (JSON), folder), made once per test session in a folder every
    xdist worker shares: the first worker to create <name>.lock calls make, the others wait for
    its result file (a fixture alone runs once per worker that uses it). If make raised,
    every caller fails with its error."""
    base = tmp_path_factory.getbasetemp()  # an xdist worker's lies in the session's folder
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared"
    shared.mkdir(exist_ok=True)
    folder, done = shared / name, shared / f"{name}.json"
    try:
        (shared / f"{name}.lock").mkdir()  # atomic: exactly one worker gets here
    except FileExistsError:
        deadline = time.monotonic() + 600
        while not done.exists():
            assert time.monotonic() < deadline, f"no {name} after 600 s"
            time.sleep(0.5)
    else:
        folder.mkdir()
        outcome = {"error": f"{name} raised"}
        try:  # whatever happens, the waiting workers get an answer
            outcome = {"result": make(folder)}
        except BaseException as error:
            outcome = {"error": f"{name} raised {error!r}"}
            raise
        finally:
            (shared / f"{name}.tmp").write_text(json.dumps(outcome))
            os.replace(shared / f"{name}.tmp", done)
    outcome = json.loads(done.read_text())
    assert "result" in outcome, outcome["error"]
    return outcome["result"], folder


def shared_quick_run(name, tmp_path_factory):
    """(result, run folder) of `<script> --quick --seed 3` (with --export for 04_03), run
    in this process on first use and shared by every test of the session (every xdist
    worker's too, once_per_session); result has the returncode, stdout and stderr a
    process would have. (A run in-process writes the same files, byte for byte, as one in
    a subprocess.)"""
    def make(logdir):
        export = ["--export"] if name == EXPORTED else []
        result = run_main(name, "--quick", "--seed", "3", *export, "--logdir", str(logdir),
                          cwd=logdir)
        return {"returncode": result.returncode, "stdout": result.stdout,
                "stderr": result.stderr}

    outcome, logdir = once_per_session(tmp_path_factory, f"quick-{name}", make)
    result = subprocess.CompletedProcess(name, **outcome)
    assert result.returncode == 0, result.stderr
    (run_dir,) = (logdir / name).iterdir()
    return result, run_dir


def assert_ends_with_the_run_folder(stdout, run_dir):
    """A run's last three lines: its folder, what the folder holds, the TensorBoard command."""
    *_, folder, holds, tensorboard = stdout.strip().splitlines()
    assert folder == f"run folder: {run_dir}"
    entries = sorted(p.name + ("/" if p.is_dir() else "") for p in Path(run_dir).iterdir())
    assert holds == f"  it holds {', '.join(entries)}"
    assert tensorboard.startswith("  open it in TensorBoard: ")
    assert tensorboard.endswith(f"graphrnn-board --logdir {run_dir} "
                                "(then open http://localhost:6006)")


def run_main(name, *args, cwd):
    """scripts/<name>.py's main(args), run in this process in `cwd`: the script's own code
    path without a new interpreter (TensorFlow's 5-8 s start-up). Returns a
    subprocess.CompletedProcess with the exit status (argparse's too) and what the script
    printed.

    Op determinism stays off: only a script's `__main__` block turns it on, for its own
    process. (The seeded scripts give the same numbers either way on a CPU.)"""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            status = load_script(name).main(list(args))
        except SystemExit as leaving:  # argparse: --help, unknown options
            status = leaving.code
    return subprocess.CompletedProcess([name, *args], status, out.getvalue(), err.getvalue())


def run_in_process(name, args, tmp_path):
    """(status, stdout, stderr) of run_main in tmp_path."""
    result = run_main(name, *args, cwd=tmp_path)
    return result.returncode, result.stdout, result.stderr


def load_script(name):
    """scripts/<name>.py as a module (its __main__ part does not run)."""
    return graph_holder.load_script(SCRIPTS / f"{name}.py")


def gru_stack(predictors, units, sequence_length=None):
    """The chapter-4/5 scripts' recurrent layer without the rest of their graph: GRUCells
    of these sizes in a MultiRNNCell under `recurrent_layer`, run by layers.dynamic_rnn.
    Returns outputs (B, T, units[-1]) and the final states, one (B, H_i) per cell."""
    from graphrnn import layers
    from graphrnn.compat import v1

    with v1.variable_scope("recurrent_layer", initializer=layers.seeded_glorot()):
        cells = v1.nn.rnn_cell.MultiRNNCell([v1.nn.rnn_cell.GRUCell(n) for n in units])
        return layers.dynamic_rnn(cells, predictors, "dynamic", sequence_length)


class BoardRun:
    """One TensorBoard run folder as TensorBoard's own reader sees it (old-style values
    migrated to tensors): scalars[tag] = [(step, value)], descriptions[tag], the plugin
    of each tag, the graph (or None) and the HParams session (its session_start_info, or
    None)."""

    def __init__(self, folder):
        from tensorboard.backend.event_processing import plugin_event_accumulator
        from tensorboard.util import tensor_util

        events = plugin_event_accumulator.EventAccumulator(
            str(folder), size_guidance={"tensors": 0})  # keep every point
        events.Reload()
        self.plugins = {tag: events.SummaryMetadata(tag).plugin_data.plugin_name
                        for tag in events.Tags()["tensors"]}
        self.descriptions = {tag: events.SummaryMetadata(tag).summary_description
                             for tag in self.plugins if not tag.startswith("_")}  # not
        # TensorBoard's own entries: __run_graph__, _hparams_/session_start_info
        self.scalars = {tag: [(event.step, float(tensor_util.make_ndarray(event.tensor_proto)))
                              for event in events.Tensors(tag)]
                        for tag, plugin in self.plugins.items() if plugin == "scalars"}
        self.graph = events.Graph() if events.Tags()["graph"] else None
        self.session = None
        if "_hparams_/session_start_info" in self.plugins:
            from tensorboard.plugins.hparams import plugin_data_pb2

            content = events.SummaryMetadata("_hparams_/session_start_info").plugin_data.content
            self.session = plugin_data_pb2.HParamsPluginData.FromString(
                content).session_start_info

    def values(self, tag):
        return [value for _, value in self.scalars[tag]]

    def steps(self, tag):
        return [step for step, _ in self.scalars[tag]]

    def tags(self, plugin):
        return sorted(tag for tag, name in self.plugins.items() if name == plugin)
