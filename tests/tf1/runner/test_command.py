"""graphrnn-tf1 runs TF1-era scripts unmodified: the scripts in tests/tf1_scripts/ run
through it in subprocesses (it turns v2 behaviour off, which no test process may do),
and their numbers are checked against NumPy, the checkpoint, or scripts/04_01_dropout.py.
The contrib pieces, the table and --report are checked in this process."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import ROOT, once_per_session, uses_quick_runs
from graphrnn import energy, graph_holder
from graphrnn.compat import tf, v1
from graphrnn.config import Config
from graphrnn.tf1.api.contrib.layers import layers as contrib_layers
from graphrnn.tf1.api.contrib.seq2seq import decoding
from graphrnn.tf1.runner import migration, command as runner, view
from tf1_runs import TF1_SCRIPTS, run_in_one_process
from tutorials import DROPOUT

FIXTURES = TF1_SCRIPTS
PORTING_GUIDE = ROOT / "docs" / "tf1-to-tf2.md"
RUNNER = Path(sys.executable).parent / "graphrnn-tf1"  # the console script pip installed


def run_tf1(script, *args, cwd, runner=(sys.executable, "-m", "graphrnn.tf1")):
    return subprocess.run([*runner, str(script), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# ------------------------------------------------------------ TF1 scripts, run unmodified


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory):
    """basic_rnn_toy_batch.py, copied into a fresh folder and run once per session by the
    console script: (process, folder, the script's bytes before the run)."""
    def make(folder):
        script = folder / "toy.py"
        shutil.copy(FIXTURES / "basic_rnn_toy_batch.py", script)
        process = run_tf1(script, "out.npz", cwd=folder, runner=(str(RUNNER),))
        return {"returncode": process.returncode, "stdout": process.stdout,
                "stderr": process.stderr}

    outcome, folder = once_per_session(tmp_path_factory, "tf1-toy", make)
    before = (FIXTURES / "basic_rnn_toy_batch.py").read_bytes()
    return subprocess.CompletedProcess("toy.py", **outcome), folder, before


def test_basic_rnn_toy_batch_runs_unmodified_and_computes_tanh_of_x_w_plus_b(toy_run):
    process, folder, before = toy_run
    assert process.returncode == 0, process.stderr
    assert process.stdout.splitlines() == ["(4, 2, 5) (4, 5)", "rnn/basic_rnn_cell/kernel:0"]
    assert process.stderr == ""  # TensorFlow's start-up noise stays off stderr
    # the script is only read: nothing rewritten, no copy left beside it
    assert (folder / "toy.py").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["out.npz", "toy.py"]
    result = np.load(folder / "out.npz")
    state = np.zeros((4, 5), np.float32)
    for t in range(2):  # BasicRNNCell: h = tanh([x, h] W + b)
        state = np.tanh(np.concatenate([result["inputs"][:, t], state], 1) @ result["kernel"]
                        + result["bias"])
        np.testing.assert_allclose(result["outputs"][:, t], state, atol=1e-5)
    np.testing.assert_allclose(result["states"], state, atol=1e-5)


# Scripts whose numbers are what is checked run in turn in one fresh process
# (tf1_runs.run_in_one_process). Exit status and stderr of a real process are checked by the
# runs above and the failures below.
IN_TURN_RUNS = {  # script in tests/tf1_scripts: its arguments, paths in its folder
    "basic_rnn_toy_batch.py": ["again.npz"],
    "gru_forecaster.py": ["logs", "r.npz"],
    "dropout_cond_l2.py": ["r.npz"],
    "lstm_from_get_variable.py": ["r.npz"],
    "import_fallback.py": ["cells.txt"],
}


@pytest.fixture(scope="session")
def run_in_turn(tmp_path_factory):
    """{script: its folder}, after IN_TURN ran every IN_TURN_RUNS script with exit status 0
    (each in a folder of its own)."""
    def make(top):
        folders = {script: top / script.removesuffix(".py") for script in IN_TURN_RUNS}
        jobs = []
        for script, paths in IN_TURN_RUNS.items():
            folders[script].mkdir()
            jobs.append([str(folders[script]), str(FIXTURES / script),
                         *(str(folders[script] / path) for path in paths)])
        results = run_in_one_process(jobs)
        assert [status for status, _ in results] == [0] * len(jobs), results
        return {script: str(folder) for script, folder in folders.items()}

    folders, _ = once_per_session(tmp_path_factory, "tf1-in-turn", make)
    return {script: Path(folder) for script, folder in folders.items()}


@pytest.mark.slow
def test_an_import_error_fallback_runs_as_python_would(run_in_turn):
    # SRUCell is not provided: its import raises ImportError and the script's handler
    # takes GRUCell; LayerNormBasicLSTMCell is, so the second handler never runs
    cells = (run_in_turn["import_fallback.py"] / "cells.txt").read_text()
    assert cells == "GRUCell LayerNormBasicLSTMCell\n"


@pytest.mark.slow
def test_set_random_seed_repeats_a_run(toy_run, run_in_turn):
    again = run_in_turn["basic_rnn_toy_batch.py"] / "again.npz"
    first, second = np.load(toy_run[1] / "out.npz"), np.load(again)
    np.testing.assert_array_equal(first["kernel"], second["kernel"])
    np.testing.assert_array_equal(first["outputs"], second["outputs"])


@pytest.mark.slow
def test_gru_forecaster_trains_decays_writes_summaries_and_a_checkpoint(run_in_turn):
    folder = run_in_turn["gru_forecaster.py"]
    result = np.load(folder / "r.npz")
    # exponential_decay(0.1, decay_steps=10, rate 0.5, staircase) on the global step
    np.testing.assert_allclose(result["rates"], np.repeat([0.1, 0.05, 0.025, 0.0125], 10),
                               rtol=1e-6)
    losses = result["losses"]
    assert losses[-5:].mean() < 0.5 * losses[:5].mean()  # it learned the sine
    assert float(result["test_loss"]) < 0.1
    reader = tf.train.load_checkpoint(str(result["checkpoint"]))
    assert str(result["checkpoint"]).endswith("model.ckpt-40")
    assert reader.get_tensor("inputs/global_step") == 40
    np.testing.assert_array_equal(reader.get_tensor("predictions/prediction/kernel"),
                                  result["kernel"])
    events = EventAccumulator(str(folder / "logs"))
    events.Reload()
    assert set(events.Tags()["scalars"]) == {"loss", "learning_rate"}
    assert [event.step for event in events.Scalars("loss")] == list(range(40))
    np.testing.assert_allclose([e.value for e in events.Scalars("loss")], losses, rtol=1e-6)
    assert events.Tags()["graph"]


@pytest.mark.slow
def test_dropout_wrapper_under_tf_cond_and_an_l2_regularised_dense_layer(run_in_turn):
    result = np.load(run_in_turn["dropout_cond_l2.py"] / "r.npz")
    names = list(result["names"])
    # one weight set under tf.cond: 2 GRU cells x (gates, candidate) x (kernel, bias) + dense
    assert len(names) == len(set(names)) == 10
    assert "recurrent_layer/rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel:0" in names
    kernel = result["kernel"].astype(np.float64)
    assert float(result["penalty"]) == pytest.approx(
        float(result["scale"]) * np.sum(kernel ** 2) / 2, rel=1e-5)
    assert np.abs(result["dropped"] - result["plain"]).max() > 1e-3  # the switch took effect


@pytest.mark.slow
def test_lstm_from_get_variable_matches_numpy(run_in_turn):
    r = np.load(run_in_turn["lstm_from_get_variable.py"] / "r.npz")
    assert r["kernel"].shape == (3 + 4, 16) and np.abs(r["kernel"]).max() > 0
    h, c = np.zeros((2, 4)), np.zeros((2, 4))
    for t in range(5):
        i, j, f, o = np.split(np.concatenate([r["inputs"][:, t], h], 1) @ r["kernel"]
                              + r["bias"], 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(j)
        h = sigmoid(o) * np.tanh(c)
        np.testing.assert_allclose(r["outputs"][:, t], h, atol=1e-5)
    np.testing.assert_allclose(r["c"], c, atol=1e-5)


@uses_quick_runs
@pytest.mark.parametrize("quick_run", ["04_01_dropout"], indirect=True)
def test_the_tutorials_04_01_predicts_what_the_script_predicts_from_its_checkpoint(
        quick_run, tmp_path):
    _, run_dir = quick_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    config = Config(**metrics["config"])
    checkpoint = run_dir / metrics["checkpoint"]
    n_features = (len(config.INPUT_COLUMNS) or 28) + (
        len(energy.CALENDAR) if config.CALENDAR_FEATURES else 0)
    model = graph_holder.build(DROPOUT, config, n_features, 1)
    windows = np.random.default_rng(0).random(
        (16, config.INPUT_SEQUENCE_LENGTH, n_features), dtype=np.float32)
    with model.graph.as_default():
        saver = v1.train.Saver()
    with model.new_session() as session:
        saver.restore(session, str(checkpoint))
        expected = session.run(model.prediction, {model.predictors: windows})
    np.save(tmp_path / "windows.npy", windows)
    units = [layer["units"] for layer in config.RNN_LAYERS]
    process = run_tf1(FIXTURES / "tutorial_04_01.py", checkpoint, "windows.npy", "out.npy",
                      *units, cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    step = tf.train.load_checkpoint(str(checkpoint)).get_tensor("inputs/learning_rate/global_step")
    assert process.stdout == f"global step {step}\n" and step > 0
    predicted = np.load(tmp_path / "out.npy")
    assert predicted.shape == expected.shape == (16, 1)
    np.testing.assert_allclose(predicted, expected, atol=1e-6)


# ------------------------------------------------------------ what is not provided


@pytest.mark.slow
def test_an_unsupported_symbol_stops_with_one_sentence_and_status_2(tmp_path):
    (tmp_path / "old.py").write_text("import tensorflow as tf\nx = tf.placeholder(tf.float32)\n"
                                     "lstm = tf.contrib.grid_rnn.Grid2LSTMCell\n")
    process = run_tf1(tmp_path / "old.py", cwd=tmp_path)
    assert process.returncode == 2
    assert process.stderr == (
        "graphrnn-tf1: old.py line 3 uses tf.contrib.grid_rnn.Grid2LSTMCell, which "
        "TensorFlow 2 removed and graphrnn-tf1 does not provide (nearest TF2 / Keras 3 "
        "replacement: a cell of your own for keras.layers.RNN).\n")


def test_the_import_hook_serves_user_code_only_and_names_a_missing_import(tmp_path):
    script = tmp_path / "old.py"
    is_user_file = runner.user_file_test(script)
    root = view.tf1_namespace(is_user_file)
    user = {"__name__": "old", "__file__": str(script)}
    library = {"__name__": "keras", "__file__": keras_file()}
    remove_hook = runner.install_import_hook(root, is_user_file)
    try:
        assert __import__("tensorflow", user) is root
        # import tensorflow.contrib.rnn as rnn: the top module, whose attributes Python walks
        assert __import__("tensorflow.contrib.rnn", user) is root
        assert __import__("tensorflow.contrib", user, None, ("rnn",)) is root.contrib
        assert __import__("tensorflow", library) is tf  # everyone else: the real one
        # TensorFlow's internals that the TF1 view has no name for: the real modules
        client = __import__("tensorflow.python.client", user, None, ("device_lib",))
        assert client.device_lib.list_local_devices()[0].device_type == "CPU"
        # what is not provided fails as Python's own imports do, so a fallback can catch it
        with pytest.raises(ImportError) as caught:
            __import__("tensorflow.contrib", user, None, ("ffmpeg",))
    finally:
        remove_hook()
    assert __import__("tensorflow", user) is tf
    removed = runner.removed_symbol_in(caught.value)
    assert isinstance(removed, view.RemovedSymbol) and removed.symbol == "tf.contrib.ffmpeg"
    message = runner.unsupported_message(removed, script)
    assert message.startswith("graphrnn-tf1: old.py uses tf.contrib.ffmpeg, which")


def keras_file():
    import keras
    return keras.__file__


UNUSED_IMPORTS = """import tensorflow as tf
from tensorflow.contrib.grid_rnn.python.ops import grid_rnn_cell
import tensorflow.contrib.ffmpeg as ffmpeg
try:
    from tensorflow.contrib.rnn import SRUCell
except ImportError:
    SRUCell = None
cell = tf.contrib.rnn.GRUCell(3)
"""


def run_with_the_hook(script, source):
    """Run source as the file `script` (written there) under the import hook; its globals."""
    script.write_text(source)
    is_user_file = runner.user_file_test(script)
    remove_hook = runner.install_import_hook(view.tf1_namespace(is_user_file), is_user_file)
    scope = {"__name__": "__main__", "__file__": str(script)}
    try:
        exec(compile(source, str(script), "exec"), scope)
    finally:
        remove_hook()
    return scope


def test_an_import_is_not_a_use_and_a_guarded_import_still_falls_back(tmp_path):
    scope = run_with_the_hook(tmp_path / "train.py", UNUSED_IMPORTS)
    assert scope["SRUCell"] is None  # the try's ImportError, as Python's own import gives
    assert isinstance(scope["grid_rnn_cell"], view.Missing)
    assert isinstance(scope["ffmpeg"], view.Missing)
    assert scope["cell"].output_size == 3


@pytest.mark.parametrize("use, symbol", [
    ("cell = grid_rnn_cell.Grid2LSTMCell(4)",
     "tf.contrib.grid_rnn.python.ops.grid_rnn_cell.Grid2LSTMCell"),
    ("class Grid(grid_rnn_cell.Grid2LSTMCell):\n    pass",
     "tf.contrib.grid_rnn.python.ops.grid_rnn_cell.Grid2LSTMCell"),
    ("ok = isinstance(3, ffmpeg.Decoder)", "tf.contrib.ffmpeg.Decoder"),
    ("audio = ffmpeg.decode_audio(b'', 'wav', 16000, 1)", "tf.contrib.ffmpeg.decode_audio"),
])
def test_the_first_use_of_a_missing_import_names_it_and_its_line(tmp_path, use, symbol):
    script = tmp_path / "train.py"
    with pytest.raises(view.RemovedSymbol) as caught:
        run_with_the_hook(script, UNUSED_IMPORTS + "\n" + use + "\n")
    assert caught.value.symbol == symbol
    assert caught.value.where == (str(script), 10)
    assert runner.unsupported_message(caught.value, script).startswith(
        f"graphrnn-tf1: train.py line 10 uses {symbol}, which TensorFlow 2 removed")


def test_the_programs_files_are_beside_it_or_on_the_pythonpath_it_was_given(
        tmp_path, monkeypatch):
    """As `cd examples && PYTHONPATH=.. graphrnn-tf1 train.py` runs a repository whose
    cell lives one folder up: that module's `import tensorflow` gets the TF1 view too."""
    (tmp_path / "examples" / "data").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    script = tmp_path / "examples" / "train.py"
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "examples" / ".."))
    is_user_file = runner.user_file_test(script)
    assert is_user_file(str(script)) and is_user_file(str(tmp_path / "examples/data/io.py"))
    assert is_user_file(str(tmp_path / "ind_rnn_cell.py"))  # on PYTHONPATH
    assert not is_user_file(keras_file()) and not is_user_file(runner.__file__)
    monkeypatch.delenv("PYTHONPATH")
    is_user_file = runner.user_file_test(script)
    assert not is_user_file(str(tmp_path / "ind_rnn_cell.py"))
    assert not is_user_file(str(tmp_path / "elsewhere" / "model.py"))


@pytest.mark.slow
def test_an_error_in_the_script_keeps_its_own_traceback(tmp_path):
    (tmp_path / "broken.py").write_text(
        "import tensorflow as tf\n\ndef f():\n    return 1 / 0\n\n"
        "x = tf.placeholder(tf.float32)\nf()\n")
    process = run_tf1(tmp_path / "broken.py", cwd=tmp_path)
    assert process.returncode == 1
    lines = process.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1].endswith('broken.py", line 7, in <module>')
    assert lines[-1] == "ZeroDivisionError: division by zero"
    assert "runpy" not in process.stderr and "graphrnn" not in process.stderr


def test_a_missing_script_is_one_sentence_and_status_2(tmp_path, capsys):
    assert runner.main([str(tmp_path / "gone.py")]) == 2
    assert capsys.readouterr().err == f"graphrnn-tf1: {tmp_path / 'gone.py'} is not a file\n"


def test_the_tf1_view_names_what_it_lacks():
    root = view.tf1_namespace()
    assert root.placeholder is v1.placeholder
    assert root.contrib.rnn.GRUCell is v1.nn.rnn_cell.GRUCell
    assert root.contrib.layers.l2_regularizer is contrib_layers.l2_regularizer
    assert root.contrib.seq2seq.BasicDecoder is decoding.BasicDecoder
    assert not hasattr(root.contrib.grid_rnn, "Grid2LSTMCell")  # hasattr sees an AttributeError
    with pytest.raises(view.RemovedSymbol) as caught:
        root.contrib.learn.DNNClassifier  # a removed contrib module: the symbol is named
    assert caught.value.symbol == "tf.contrib.learn.DNNClassifier"
    with pytest.raises(view.RemovedSymbol) as caught:
        root.nn.rnn_cell.LayerNormBasicLSTMCell
    assert caught.value.symbol == "tf.nn.rnn_cell.LayerNormBasicLSTMCell"


# ------------------------------------------------------------ contrib, with TF1 semantics


# ------------------------------------------------------------ the table and --report


def test_the_porting_guide_shows_the_table_the_report_uses():
    assert migration.markdown_table() in PORTING_GUIDE.read_text()


def test_table_lookup_takes_the_most_specific_row():
    assert migration.lookup("tf.contrib.rnn.GRUCell").tf1 == "tf.contrib.rnn.GRUCell"
    assert migration.lookup("tf.contrib.rnn.UGRNNCell").tf1 == "tf.contrib.rnn.*"
    assert migration.lookup("tf.contrib.rnn.NASCell").tf1 == "tf.contrib.rnn.NASCell"
    assert migration.lookup("tf.contrib.seq2seq").tf1 == "tf.contrib.seq2seq.*"
    assert migration.lookup("tf.contrib.bayesflow.x").tf1 == "tf.contrib.*"
    assert migration.lookup("tf.placeholder_with_default").tf1 == "tf.placeholder_with_default"
    assert migration.lookup("tf.reduce_mean") is None


def test_report_lists_exactly_the_symbols_a_script_uses(capsys):
    assert runner.main(["--report", str(FIXTURES / "dropout_cond_l2.py")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("dropout_cond_l2.py: 20 TensorFlow symbols, 20 provided by "
                        "graphrnn-tf1, 0 not")
    assert lines[1].split() == ["line", "symbol", "graphrnn-tf1", "TF2", "/", "Keras", "3"]
    rows = [line.split(maxsplit=3) for line in lines[2:]]
    assert [(int(row[0]), row[1]) for row in rows] == [  # read off the script by hand
        (12, "tf.set_random_seed"), (14, "tf.float32"), (14, "tf.placeholder"),
        (15, "tf.placeholder_with_default"), (19, "tf.AUTO_REUSE"), (19, "tf.variable_scope"),
        (20, "tf.nn.rnn_cell.DropoutWrapper"), (20, "tf.nn.rnn_cell.GRUCell"),
        (23, "tf.nn.dynamic_rnn"), (23, "tf.nn.rnn_cell.MultiRNNCell"), (28, "tf.cond"),
        (30, "tf.contrib.layers.l2_regularizer"), (31, "tf.layers.dense"),
        (32, "tf.GraphKeys.REGULARIZATION_LOSSES"), (32, "tf.get_collection"),
        (32, "tf.reduce_sum"), (35, "tf.Session"), (36, "tf.global_variables_initializer"),
        (39, "tf.get_default_graph"), (41, "tf.trainable_variables")]
    assert {row[2] for row in rows} == {"yes"}
    by_symbol = {row[1]: row[3] for row in rows}
    assert by_symbol["tf.contrib.layers.l2_regularizer"].startswith(
        "keras.regularizers.L2(scale / 2)")
    assert by_symbol["tf.reduce_sum"] == "tf.reduce_sum (the same in TF2)"
    assert by_symbol["tf.get_collection"] == "tf.compat.v1.get_collection (no TF2 name)"


def test_report_follows_contrib_imports_and_flags_what_is_missing():
    source = ("import tensorflow as tf\nimport tensorflow.contrib.rnn as rnn\n"
              "from tensorflow.contrib import layers\nfrom tensorflow.contrib.rnn import GRUCell\n"
              "cell = rnn.MultiRNNCell([GRUCell(4)])\nreg = layers.l2_regularizer(0.1)\n"
              "lstm = tf.contrib.grid_rnn.Grid2LSTMCell\n")
    assert migration.symbols_used(source) == [
        ("tf.contrib.rnn.GRUCell", 5), ("tf.contrib.rnn.MultiRNNCell", 5),
        ("tf.contrib.layers.l2_regularizer", 6), ("tf.contrib.grid_rnn.Grid2LSTMCell", 7)]
    root = view.tf1_namespace()
    assert view.provided(root, "tf.contrib.rnn.GRUCell")
    assert not view.provided(root, "tf.contrib.grid_rnn.Grid2LSTMCell")


def test_a_missing_module_for_dash_m_is_one_sentence(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert runner.main(["-m", "nmt.nmt", "--src=vi"]) == runner.EXIT_UNSUPPORTED
    assert capsys.readouterr().err == (
        f"graphrnn-tf1: no module nmt.nmt in {tmp_path} (neither nmt/nmt.py nor a package "
        "with __main__.py)\n")
    assert runner.main(["-m"]) == runner.EXIT_UNSUPPORTED
    assert "-m needs a module name" in capsys.readouterr().err
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__main__.py").write_text("")
    assert runner.module_file("pkg", tmp_path) == tmp_path / "pkg" / "__main__.py"
