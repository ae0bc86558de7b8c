"""graphrnn-tf1 --report sees what a run would see: the modules beside a script that it
imports, symbols that only a TensorFlow-version check reaches, and every script of a
folder with the total that would run. Nothing is run."""

from graphrnn.tf1.runner import checklist, command as runner
from tf1_runs import TF1_SCRIPTS

TRAIN = """import tensorflow as tf
from model import Model
import utils

model = Model()
sess = tf.Session()
"""
MODEL = """import tensorflow as tf
from tensorflow.contrib import rnn, legacy_seq2seq
from tensorflow.python.framework import ops

class Model:
    def __init__(self):
        cell = rnn.SRUCell(8)
        outputs, state = legacy_seq2seq.rnn_decoder([], None, cell)
        ops.convert_to_tensor(1.0)  # an internal module: the real one, as in TF 2.21
"""
UTILS = "import numpy as np\n\ndef batches():\n    return np.arange(3)\n"
VERSION_CHECKED = """import tensorflow as tf

if tf.__version__.startswith("0."):
    cell = tf.nn.rnn_cell.OldLSTMCell(4)
else:
    cell = tf.contrib.rnn.LSTMCell(4)
fft = tf.batch_fft if tf.VERSION < "1.0" else tf.signal.fft
"""


def write(folder, files):
    for name, source in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(source)


def test_report_follows_the_modules_the_script_imports(tmp_path, capsys):
    write(tmp_path, {"train.py": TRAIN, "model.py": MODEL, "utils.py": UTILS})
    assert runner.main(["--report", str(tmp_path / "train.py")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("train.py (and model.py, utils.py, which it imports): 4 TensorFlow "
                        "symbols, 3 provided by graphrnn-tf1, 1 not")
    rows = [line.split(maxsplit=3)[:3] for line in lines[2:]]
    assert rows == [["6", "tf.Session", "yes"],
                    ["model.py:7", "tf.contrib.rnn.SRUCell", "NO"],
                    ["model.py:8", "tf.contrib.legacy_seq2seq.rnn_decoder", "yes"],
                    ["model.py:9", "tf.python.framework.ops.convert_to_tensor", "yes"]]
    assert "TensorFlow 2 and Keras have no other contrib cell" in lines[3]


def test_a_symbol_only_a_version_check_reaches_is_not_missing(tmp_path, capsys):
    write(tmp_path, {"old.py": VERSION_CHECKED})
    assert runner.main(["--report", str(tmp_path / "old.py")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("old.py: 6 TensorFlow symbols, 4 provided by graphrnn-tf1, 0 not, "
                        "2 only inside TensorFlow-version checks")
    status = {line.split()[1]: line.split()[2] for line in lines[2:]}
    assert status["tf.nn.rnn_cell.OldLSTMCell"] == "in"  # "in check"
    assert status["tf.batch_fft"] == "in"
    assert status["tf.contrib.rnn.LSTMCell"] == status["tf.signal.fft"] == "yes"


OPTIONAL_CELL = """import argparse
import tensorflow as tf

model = argparse.ArgumentParser().parse_args().model
if model == "nas":
    cell = tf.contrib.rnn.SRUCell(4)
else:
    cell = tf.contrib.rnn.GRUCell(4)
"""


def test_a_missing_symbol_inside_an_if_is_a_branch_the_run_may_avoid(tmp_path, capsys):
    write(tmp_path, {"char.py": OPTIONAL_CELL})
    assert runner.main(["--report", str(tmp_path / "char.py")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("char.py: 2 TensorFlow symbols, 1 provided by graphrnn-tf1, 1 not "
                        "(1 of them only inside an if)")
    assert lines[2].split()[:4] == ["6", "tf.contrib.rnn.SRUCell", "NO", "in"]
    assert runner.main(["--report", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split(maxsplit=5)[5] == "runs, unless a branch reaches tf.contrib.rnn.SRUCell"
    assert lines[-1] == ("total: 1 of 1 scripts use only what graphrnn-tf1 provides and "
                         "would run (given their data files; 1 of them unless they take a "
                         "branch that uses a missing symbol); 0 would stop")


def test_report_on_a_folder_gives_one_line_per_script_and_the_total(tmp_path, capsys):
    write(tmp_path, {
        "char/train.py": TRAIN, "char/model.py": MODEL, "char/utils.py": UTILS,
        "lab_01.py": "import tensorflow as tf\nx = tf.contrib.layers.linear\n",
        "lab_02.py": "import tensorflow as tf\nprint 'hello'\n",
        "version.py": VERSION_CHECKED,
        # an attribute the script sets on tf is its own, not TensorFlow's
        "lab_03.py": "import tensorflow as tf\ntf.model = tf.keras.Sequential()\n"
                     "tf.model.fit()\n",
        "notes.py": "print('no TensorFlow here')\n",
        ".hidden/skip.py": "import tensorflow as tf\ntf.contrib.bogus\n"})
    assert runner.main(["--report", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{tmp_path}: 5 TF1 scripts (and 2 modules they import)"
    assert lines[1].split() == ["script", "symbols", "provided", "not", "in", "check",
                                "graphrnn-tf1"]
    table = {line.split()[0]: line.split(maxsplit=5)[1:] for line in lines[2:-1]}
    assert table == {
        "char/train.py": ["4", "3", "1", "0", "stops: tf.contrib.rnn.SRUCell"],
        "lab_01.py": ["1", "1", "0", "0", "runs"],
        "lab_02.py": ["0", "0", "0", "0", "stops: lab_02.py line 2 is Python 2 syntax "
                      "(print x), which Python 3 cannot run: write print(x) there (2to3 or "
                      "futurize converts a whole script)"],
        "lab_03.py": ["1", "1", "0", "0", "runs"],
        "version.py": ["6", "4", "0", "2", "runs"]}
    assert lines[-1] == ("total: 3 of 5 scripts use only what graphrnn-tf1 provides and "
                         "would run (given their data files); 2 would stop")


def test_report_refuses_what_it_cannot_read_in_one_sentence(tmp_path, capsys):
    (tmp_path / "old.py").write_text("print 'x'\n")
    assert runner.main(["--report", str(tmp_path / "old.py")]) == 2
    assert capsys.readouterr().err == (
        f"graphrnn-tf1: cannot read {tmp_path / 'old.py'} as Python 3: line 1 is Python 2 "
        "syntax (print x), which Python 3 cannot run: write print(x) there (2to3 or futurize "
        "converts a whole script)\n")
    (tmp_path / "old.py").unlink()
    (tmp_path / "notes.py").write_text("x = 1\n")
    assert runner.main(["--report", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"graphrnn-tf1: {tmp_path} holds no Python script that uses TensorFlow\n")
    assert runner.main(["--report", str(tmp_path / "gone")]) == 2
    assert capsys.readouterr().err == f"graphrnn-tf1: {tmp_path / 'gone'} is not a file or folder\n"


def test_version_checked_lines_cover_both_branches_only():
    import ast
    lines = checklist.version_checked_lines(ast.parse(VERSION_CHECKED))
    assert lines == {4, 6, 7}


def test_import_fallbacks_count_as_python_runs_them(capsys):
    script = TF1_SCRIPTS / "import_fallback.py"
    assert runner.main(["--report", str(script)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("import_fallback.py: 4 TensorFlow symbols, 2 provided by graphrnn-tf1, "
                        "0 not, 2 replaced by, or only inside, its `except ImportError` "
                        "fallbacks")
    status = {line.split()[1]: " ".join(line.split()[2:4]) for line in lines[2:]}
    assert status["tf.contrib.rnn.SRUCell"] == "falls back"  # its handler replaces it
    assert status["tf.contrib.rnn.NTMCell"] == "in fallback"  # its handler never runs
    # test_tf1_runner runs it: it takes the first fallback, as Python would


def test_each_tf_train_symbol_gets_its_own_counterpart(tmp_path):
    from graphrnn.compat import tf
    from graphrnn.tf1.runner import checklist

    assert checklist.counterpart(tf, "tf.train.MomentumOptimizer").startswith(
        "keras.optimizers.SGD(momentum=m, nesterov=use_nesterov)")
    assert checklist.counterpart(tf, "tf.train.shuffle_batch") == (
        "tf.data.Dataset.shuffle(n).batch(b)")
    assert checklist.counterpart(tf, "tf.train.StopAtStepHook") == (
        "model.fit(epochs=..., steps_per_epoch=...)")
    assert checklist.counterpart(tf, "tf.train.Example") == "tf.train.Example (the same in TF2)"
    assert checklist.counterpart(tf, "tf.train.batch_join") == (
        "tf.compat.v1.train.batch_join (no TF2 name)")


def tensorflow_or_keras_name(expression):
    """"tf.summary.scalar" from "`tf.summary.scalar(name, value, step=step)`"; None for
    what is not a TensorFlow or Keras name."""
    import re
    match = re.match(r"((?:tf|keras)(?:\.\w+)+)", expression)
    return match[1] if match else None


def test_every_counterpart_the_report_names_exists_in_tensorflow_2_21_or_keras_3():
    """The table's TF2 column, and the fallback for symbols without a row, name only what
    a user of TF 2.21 and Keras 3 can call."""
    import re

    import keras

    from graphrnn.compat import tf
    from graphrnn.tf1.runner import migration
    named = {tensorflow_or_keras_name(expression) for row in migration.TABLE
             for expression in re.findall(r"`([^`]+)`", row.tf2)} - {None}
    named |= {tensorflow_or_keras_name(checklist.counterpart(tf, symbol)) for symbol in (
        "tf.nn.relu", "tf.random_normal", "tf.mul", "tf.pack", "tf.nn.rnn",
        "tf.scalar_summary", "tf.train.SummaryWriter", "tf.python.util.nest.is_sequence",
        "tf.no_such_function")} - {None}
    missing = []
    for name in sorted(named):
        target = tf if name.startswith("tf.") else keras
        try:
            for part in name.split(".")[1:]:
                target = getattr(target, part)
        except AttributeError:
            missing.append(name)
    assert missing == []
    assert len(named) > 60
    assert checklist.counterpart(tf, "tf.python.util.nest.is_sequence").startswith("none: ")
    assert checklist.counterpart(tf, "tf.no_such_function").startswith(
        "none in TensorFlow 2.21: see ")


MAIN_PATH = """import tensorflow as tf


def main(_):
    cell = tf.contrib.rnn.GRUCell(4)


if __name__ == "__main__":
    x = tf.contrib.rnn.SRUCell(3)
    tf.app.run()
"""


def test_if_name_is_main_is_the_main_path_not_a_branch(tmp_path, capsys):
    write(tmp_path, {"train.py": MAIN_PATH})
    assert runner.main(["--report", str(tmp_path / "train.py")]) == 0
    lines = capsys.readouterr().out.splitlines()
    # not "(1 of them only inside an if)": the main path is where the run goes
    assert lines[0] == "train.py: 3 TensorFlow symbols, 2 provided by graphrnn-tf1, 1 not"
    rows = {line.split()[1]: line.split()[2:] for line in lines[2:]}
    assert rows["tf.contrib.rnn.SRUCell"][0] == "NO"  # no "in if" after it
