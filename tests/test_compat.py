"""graphrnn.compat: legacy Keras is switched on, and a Keras 3 set-up is named clearly."""

import os
import subprocess
import sys

from graphrnn.compat import tf, v1


def test_tf1_cells_and_layers_come_from_tf_keras():
    assert os.environ["TF_USE_LEGACY_KERAS"] == "1"
    assert v1.nn.rnn_cell.GRUCell.__module__.startswith("tf_keras")
    assert tf.__version__.startswith("2.21")
    assert tf.executing_eagerly()  # graphrnn never turns eager execution off


def test_tensorflow_set_up_with_keras_3_gives_a_clear_error():
    code = ("import tensorflow as tf\n"
            "try:\n    tf.compat.v1.nn.rnn_cell.GRUCell\nexcept Exception:\n    pass\n"
            "import graphrnn\n")
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    process = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, timeout=300)
    assert process.returncode != 0
    last = process.stderr.strip().splitlines()[-1]
    assert last.startswith("graphrnn.compat.LegacyKerasError:")
    assert "import graphrnn before" in last and "TF_USE_LEGACY_KERAS=1" in last
