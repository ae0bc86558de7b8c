"""graphrnn.compat: legacy Keras is switched on, and a Keras 3 set-up is named clearly."""

import os
import subprocess
import sys

import pytest

from graphrnn.compat import tf, v1


def test_tf1_cells_and_layers_come_from_tf_keras():
    assert os.environ["TF_USE_LEGACY_KERAS"] == "1"
    assert v1.nn.rnn_cell.GRUCell.__module__.startswith("tf_keras")
    assert tf.__version__.startswith("2.21")
    assert tf.executing_eagerly()  # graphrnn never turns eager execution off


@pytest.mark.slow  # a fresh interpreter: what it tests is the import order
def test_tensorflow_set_up_with_keras_3_gives_a_clear_error():
    code = ("import tensorflow as tf\n"
            "try:\n    tf.compat.v1.nn.rnn_cell.GRUCell\nexcept Exception:\n    pass\n"
            "import graphrnn.compat\n")
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    process = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, timeout=300)
    assert process.returncode != 0
    last = process.stderr.strip().splitlines()[-1]
    assert last.startswith("graphrnn.compat.LegacyKerasError:")
    assert "import graphrnn.compat before" in last and "TF_USE_LEGACY_KERAS=1" in last


def test_the_package_and_its_numpy_modules_load_no_tensorflow():
    """config, data, records, report and weights (the TF1 weight layout) are TensorFlow-free:
    a fresh interpreter imports them without loading TensorFlow."""
    code = ("import sys\n"
            "import graphrnn, graphrnn.config, graphrnn.energy, graphrnn.sine_records, "
            "graphrnn.report, graphrnn.weights\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('tensorflow', 'keras', 'tf_keras')))\n")
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=120)
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "[]"


def test_only_tensorflows_deprecation_notices_are_silenced():
    """graphrnn hides TensorFlow's "`tf.layers.dense` is deprecated" notices, not a
    program's own "... is deprecated" warnings."""
    import warnings

    from graphrnn import compat
    from graphrnn.compat import tf, v1

    with warnings.catch_warnings(record=True) as caught:
        warnings.resetwarnings()
        warnings.simplefilter("always")
        compat.silence_tensorflow_notices()
        with tf.Graph().as_default():
            v1.layers.dense(tf.zeros([1, 2]), 3)
        warnings.warn("mine is deprecated", UserWarning)
    messages = [str(w.message) for w in caught]
    assert "mine is deprecated" in messages
    assert not [m for m in messages if "is deprecated" in m and m != "mine is deprecated"]
    with warnings.catch_warnings(record=True) as unfiltered:
        warnings.resetwarnings()
        warnings.simplefilter("always")
        with tf.Graph().as_default():
            v1.layers.dense(tf.zeros([1, 2]), 3)
    assert any(str(w.message).startswith("`tf.layers.dense` is deprecated")
               for w in unfiltered)  # what the filter hides


def test_graphrnn_board_gives_sys_argv_back(monkeypatch):
    import sys

    from graphrnn import board_command
    from tensorboard import main as tensorboard_main

    seen = []
    monkeypatch.setattr(tensorboard_main, "run_main", lambda: seen.append(list(sys.argv)))
    before = list(sys.argv)
    board_command.main(["--logdir", "logs"])
    assert seen == [["tensorboard", "--logdir", "logs", "--load_fast=false"]]
    assert sys.argv == before
