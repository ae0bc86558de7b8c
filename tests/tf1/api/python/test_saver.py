"""tf.train.Saver as graphrnn-tf1 gives it (graphrnn.tf1.api.python.training.saver): a
checkpoint whose RNN cells carry TF 0.12's or TF 1.0-1.1's variable names restores into
the TF 1.x graph that builds the same cells, value for value; anything else missing still
fails as TF 1.15's Saver does."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.python.training import saver

RNG = np.random.default_rng(29)
F, H = 3, 4


@pytest.mark.parametrize("name, older", [
    ("rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel",
     ["rnn/multi_rnn_cell/cell_0/gru_cell/gates/weights",
      "RNN/MultiRNNCell/Cell0/GRUCell/Gates/Linear/Matrix"]),
    ("rnn/basic_lstm_cell/bias", ["rnn/basic_lstm_cell/biases",
                                  "RNN/BasicLSTMCell/Linear/Bias"]),
    ("encoder/rnn/lstm_cell/kernel",
     ["encoder/rnn/lstm_cell/weights", "encoder/RNN/LSTMCell/W_0"]),
    ("rnn/lstm_cell/w_f_diag", ["RNN/LSTMCell/W_F_diag"]),
    ("bidirectional_rnn/fw/basic_rnn_cell/kernel",
     ["bidirectional_rnn/fw/basic_rnn_cell/weights", "BiRNN/FW/BasicRNNCell/Linear/Matrix"]),
    ("dense/kernel", ["dense/weights"]),
    ("global_step", []),
])
def test_older_names(name, older):
    assert saver.older_names(name) == older


def save(tmp_path, values):
    with tf.Graph().as_default():
        variables = {name: tf.Variable(value, name=name) for name, value in values.items()}
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            return v1.train.Saver(variables).save(session, str(tmp_path / "old.ckpt"))


def restore_gru_stack(prefix):
    """{variable name: value} after Saver().restore of a 2-layer GRU under dynamic_rnn."""
    with tf.Graph().as_default():
        cells = v1.nn.rnn_cell.MultiRNNCell([v1.nn.rnn_cell.GRUCell(H) for _ in range(2)])
        v1.nn.dynamic_rnn(cells, tf.zeros([2, 5, F]), dtype=tf.float32)
        with v1.Session() as session:
            saver.Saver().restore(session, prefix)
            return session.run({v.op.name: v for v in v1.global_variables()})


def gru_values(name_of):
    """Values for a 2-layer GRU stack under the names name_of(layer, part, leaf) gives."""
    values = {}
    for layer, width in enumerate((F, H)):
        for part, columns in (("gates", 2 * H), ("candidate", H)):
            values[name_of(layer, part, "kernel")] = RNG.normal(
                size=(width + H, columns)).astype(np.float32)
            values[name_of(layer, part, "bias")] = RNG.normal(size=columns).astype(np.float32)
    return values


def name_0_12(layer, part, leaf):
    return (f"RNN/MultiRNNCell/Cell{layer}/GRUCell/{part.capitalize()}/Linear/"
            f"{'Matrix' if leaf == 'kernel' else 'Bias'}")


def name_1_0(layer, part, leaf):
    return (f"rnn/multi_rnn_cell/cell_{layer}/gru_cell/{part}/"
            f"{'weights' if leaf == 'kernel' else 'biases'}")


@pytest.mark.parametrize("name_of", [name_0_12, name_1_0])
def test_an_old_releases_checkpoint_restores_into_the_1x_cells(tmp_path, monkeypatch, name_of):
    seen = []
    monkeypatch.setattr(saver, "notify", seen.append)
    values = gru_values(name_of)
    restored = restore_gru_stack(save(tmp_path, values))
    for layer in range(2):
        for part in ("gates", "candidate"):
            for leaf in ("kernel", "bias"):
                np.testing.assert_array_equal(
                    restored[f"rnn/multi_rnn_cell/cell_{layer}/gru_cell/{part}/{leaf}"],
                    values[name_of(layer, part, leaf)])
    assert seen == ["a checkpoint with TF 0.12-1.1's names for RNN cells' variables"]


def test_a_variable_the_checkpoint_lacks_by_every_name_still_fails(tmp_path):
    values = gru_values(
        lambda layer, part, leaf: f"rnn/multi_rnn_cell/cell_{layer}/gru_cell/{part}/{leaf}")
    del values["rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias"]
    with pytest.raises(tf.errors.NotFoundError):
        restore_gru_stack(save(tmp_path, values))
