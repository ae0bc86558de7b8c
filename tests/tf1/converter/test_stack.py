"""graphrnn-tf1 --to-keras: TF1 checkpoints of scripts run through graphrnn-tf1 (a lone
cell, a mixed stack, two stacks, TF <= 1.1's names) become Keras 3 files that a fresh
process with Keras 3 alone loads, predicting what the TF1 script computed (the slow test,
in test_tf1_graph_to_keras.py, runs these helpers); and every checkpoint it must refuse
gets one sentence, exit status 2 and no file."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.converter import checkpoint
from graphrnn.tf1.runner import command as runner
from tf1_runs import TF1_SCRIPTS, save_checkpoint as save

SCRIPT = TF1_SCRIPTS / "save_recurrent_checkpoint.py"
LAYOUTS = ("lone_relu", "mixed", "two_stacks", "old_names", "bidirectional",
           "stacked_bidirectional")
# layout: (--to-keras options, what the file should compute: "outputs" every step, or
# "head", the script's dense layer on the last step)
CONVERSIONS = {  # relu and forget_bias 0.5 read from the .meta graph, or given
    "lone_relu": ([], "outputs"),
    "mixed": (["--last", "--dense", "head"], "head"),
    "two_stacks": (["--scope", "encoder", "--last", "--dense", "head"], "head"),
    "old_names": (["--forget-bias", "0.5"], "outputs"),
    "bidirectional": (["--last", "--dense", "head"], "head"),
    "stacked_bidirectional": ([], "outputs"),
}


def stack_jobs(folder):
    """(run_in_one_process jobs that train and save every layout under folder, {layout:
    (its checkpoint prefix, the script's result .npz)}). The slow test that runs them,
    with the whole-model converter's, is in test_tf1_graph_to_keras.py: one process for
    both sets of TF1 scripts, and one with Keras 3 alone for both sets of files."""
    jobs, saved = [], {}
    for layout in LAYOUTS:
        (folder / layout).mkdir(parents=True)
        jobs.append([str(folder), str(SCRIPT), layout, str(folder / layout / "model.ckpt"),
                     str(folder / f"{layout}.npz")])
        saved[layout] = folder / layout / "model.ckpt", folder / f"{layout}.npz"
    return jobs, saved


def convert_stacks(saved, tmp_path, capsys):
    """Convert every saved layout with its options, checking what the runner prints;
    returns [(file, .npz of its inputs "x" and expected "output", ["x"])] for the process
    with Keras 3 alone."""
    checks, reports = [], {}
    for layout, (options, fetched) in CONVERSIONS.items():
        prefix, result = saved[layout]
        out = tmp_path / f"{layout}.keras"
        assert runner.main(["--to-keras", str(prefix), str(out), *options]) == 0
        printed = capsys.readouterr().out
        assert f"wrote {out} (Keras 3): largest difference from the TF1 cells" in printed
        reports[layout] = printed.splitlines()
        data = np.load(result)
        np.savez(tmp_path / f"{layout}_check.npz", x=data["x"], output=data[fetched])
        checks.append([str(out), str(tmp_path / f"{layout}_check.npz"), ["x"]])
    # where each setting came from: the .meta graph, or the option given
    prefix = saved["old_names"][0]
    assert reports["old_names"][:9] == [
        f"{prefix}: 3 recurrent layer(s) under encoder/rnn/multi_rnn_cell",
        "  layer 0: encoder/rnn/multi_rnn_cell/cell_0/gru_cell  GRUCell  5 units  input size 3",
        "    activation tanh: read from model.ckpt.meta",
        "  layer 1: encoder/rnn/multi_rnn_cell/cell_1/lstm_cell  LSTMCell  4 units  input size 5",
        "    activation tanh: read from model.ckpt.meta",
        "    forget_bias 0.5: given",  # an option wins over the .meta graph
        "  layer 2: encoder/rnn/multi_rnn_cell/cell_2/basic_lstm_cell  BasicLSTMCell  3 units  "
        "input size 4",
        "    activation tanh: read from model.ckpt.meta",
        "    forget_bias 0.5: given"]
    names = tf.train.load_checkpoint(str(prefix)).get_variable_to_shape_map()
    assert "encoder/rnn/multi_rnn_cell/cell_1/lstm_cell/weights" in names  # TF <= 1.1's
    return checks


def check_without_a_meta_file_tf1s_defaults_apply_and_options_set_the_rest(
        saved, tmp_path, capsys):
    tmp_path.mkdir()
    prefix, result = saved["lone_relu"]  # a relu cell
    for path in prefix.parent.iterdir():  # the checkpoint without its .meta
        if not path.name.endswith(".meta"):
            (tmp_path / path.name).write_bytes(path.read_bytes())
    bare = tmp_path / prefix.name
    assert runner.main(["--to-keras", str(bare), str(tmp_path / "tanh.keras")]) == 0
    assert ("    activation tanh: TF1's default (not in the checkpoint, and no .meta)"
            in capsys.readouterr().out.splitlines())
    assert runner.main(["--to-keras", str(bare), str(tmp_path / "relu.keras"),
                        "--activation", "relu"]) == 0
    capsys.readouterr()
    data = np.load(result)
    import keras
    relu = keras.saving.load_model(tmp_path / "relu.keras")(data["x"]).numpy()
    tanh = keras.saving.load_model(tmp_path / "tanh.keras")(data["x"]).numpy()
    np.testing.assert_allclose(relu, data["outputs"], atol=1e-5)  # what the script computed
    assert np.abs(tanh - data["outputs"]).max() > 1e-2  # a tanh cell computes another thing


# ------------------------------------------------------------ what it refuses


def run_cells(*cells, scope="rnn"):
    x = v1.placeholder(tf.float32, [None, 4, 3])
    cell = v1.nn.rnn_cell.MultiRNNCell(list(cells)) if len(cells) > 1 else cells[0]
    v1.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope=scope)


def one_direction():
    """The forward GRU of a bidirectional RNN, without its backward one."""
    for name, shape in (("gates/kernel", [6, 6]), ("gates/bias", [6]),
                        ("candidate/kernel", [6, 3]), ("candidate/bias", [3])):
        v1.get_variable(f"bidirectional_rnn/fw/gru_cell/{name}", shape)


REFUSED = {
    "peepholes": (lambda: run_cells(v1.nn.rnn_cell.LSTMCell(4, use_peepholes=True)),
                  "rnn/lstm_cell is an LSTMCell with peepholes (rnn/lstm_cell/w_f_diag), which "
                  "no Keras 3 layer computes"),
    "projection": (lambda: run_cells(v1.nn.rnn_cell.LSTMCell(4, num_proj=2)),
                   "rnn/lstm_cell is an LSTMCell with a projection (num_proj), which no Keras 3 "
                   "layer computes"),
    "cudnn": (lambda: v1.get_variable("cudnn_lstm/opaque_kernel", [120]),
              "cudnn_lstm/opaque_kernel holds cuDNN's opaque parameters, which have no cell "
              "layout to convert"),
    "no cells": (lambda: v1.layers.dense(tf.zeros([2, 3]), 4, name="head"),
                 "the checkpoint holds no BasicRNNCell, GRUCell, BasicLSTMCell or LSTMCell "
                 "weights (found 2 other variables)"),
    "two stacks": (lambda: (run_cells(v1.nn.rnn_cell.GRUCell(3), scope="a"),
                            run_cells(v1.nn.rnn_cell.GRUCell(3), scope="b")),
                   "the checkpoint holds 2 recurrent stacks (a, b): choose one with --scope"),
    "unlike directions": (lambda: v1.nn.bidirectional_dynamic_rnn(
        v1.nn.rnn_cell.GRUCell(4), v1.nn.rnn_cell.GRUCell(3),
        v1.placeholder(tf.float32, [None, 5, 3]), dtype=tf.float32),
        "bidirectional_rnn/fw/gru_cell (GRUCell, 4 units) and its backward cell (GRUCell, "
        "3 units) differ: Keras 3's Bidirectional needs the two directions alike"),
    "one direction only": (lambda: one_direction(),
                           "bidirectional_rnn level 0 has only its fw cell: not a "
                           "bidirectional RNN"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_it_refuses_gets_one_sentence_status_2_and_no_file(case, tmp_path, capsys):
    build, sentence = REFUSED[case]
    prefix = save(tmp_path, build)
    out = tmp_path / "model.keras"
    assert runner.main(["--to-keras", prefix, str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"graphrnn-tf1: {sentence}")
    assert captured.err.count("\n") == 1
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".keras"]


def test_a_missing_checkpoint_and_a_wrong_output_name_are_refused(tmp_path, capsys):
    assert runner.main(["--to-keras", str(tmp_path / "none.ckpt"), str(tmp_path / "m.keras")]) == 2
    assert capsys.readouterr().err.startswith(
        f"graphrnn-tf1: {tmp_path / 'none.ckpt'} is not a TF1 checkpoint prefix that can be read")
    assert runner.main(["--to-keras", "x.ckpt", str(tmp_path / "m.h5")]) == 2
    assert capsys.readouterr().err == (
        f"graphrnn-tf1: {tmp_path / 'm.h5'}: the Keras 3 file must end in .keras\n")


def test_find_stacks_reads_names_and_shapes_only():
    shapes = {"model/rnn/multi_rnn_cell/cell_1/basic_rnn_cell/kernel": [9, 4],
              "model/rnn/multi_rnn_cell/cell_1/basic_rnn_cell/bias": [4],
              "model/rnn/multi_rnn_cell/cell_0/gru_cell/gates/weights": [8, 10],
              "model/rnn/multi_rnn_cell/cell_0/gru_cell/gates/biases": [10],
              "model/rnn/multi_rnn_cell/cell_0/gru_cell/candidate/weights": [8, 5],
              "model/rnn/multi_rnn_cell/cell_0/gru_cell/candidate/biases": [5],
              "model/out/kernel": [4, 1], "global_step": []}
    (stack,) = checkpoint.find_stacks(shapes)
    assert stack.scope == "model/rnn/multi_rnn_cell"
    assert [(layer.kind, layer.units, layer.input_size) for layer in stack.layers] == [
        ("gru", 5, 3), ("basic_rnn", 4, 5)]
    assert stack.layers[0].names["gates/kernel"].endswith("gates/weights")


def test_optimizer_slots_are_never_cells():
    """A checkpoint TF 1.x wrote with Adam slots under a scope of their own
    (optimizer/encoder/rnn/.../kernel/Adam) and beside the weights holds one stack."""
    cell = "encoder/rnn/multi_rnn_cell/cell_0/lstm_cell"
    shapes = {f"{cell}/kernel": [7, 16], f"{cell}/bias": [16],
              "encoder/rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel": [8, 8],
              "encoder/rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias": [8],
              "encoder/rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel": [8, 4],
              "encoder/rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias": [4],
              "beta1_power": [], "beta2_power": []}
    for name, shape in list(shapes.items()):
        if "/" in name:
            for slot in ("Adam", "Adam_1"):
                shapes[f"optimizer/{name}/{slot}"] = shape  # a scope of their own
                shapes[f"{name}/{slot}"] = shape  # beside the weight
            shapes[f"{name}/Momentum"] = shape
    (stack,) = checkpoint.find_stacks(shapes)
    assert stack.scope == "encoder/rnn/multi_rnn_cell"
    assert [(layer.cell, layer.units, layer.input_size) for layer in stack.layers] == [
        ("LSTMCell", 4, 3), ("GRUCell", 4, 4)]
    assert stack.layers[0].names == {"kernel": f"{cell}/kernel", "bias": f"{cell}/bias"}


def test_settings_are_read_from_cells_under_an_outer_name_scope(tmp_path, capsys):
    """A TF 1.1 program (Aplain/rnnRepo's rnn.py) built its static_rnn under
    name_scope("inference"): the ops sit in inference/rnn/basic_lstm_cell/ while the
    variables sit in rnn/basic_lstm_cell/, and every step adds forget_bias again."""
    def build():
        x = v1.placeholder(tf.float32, [None, 4, 3])
        with tf.name_scope("inference"):
            cell = v1.nn.rnn_cell.BasicLSTMCell(5, forget_bias=0.8, state_is_tuple=False)
            v1.nn.static_rnn(cell, tf.unstack(x, axis=1), dtype=tf.float32)
    prefix = save(tmp_path, build)
    assert runner.main(["--to-keras", prefix, str(tmp_path / "m.keras")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[1:4] == [
        "  layer 0: rnn/basic_lstm_cell  BasicLSTMCell  5 units  input size 3",
        "    activation tanh: read from model.ckpt.meta",
        "    forget_bias 0.8: read from model.ckpt.meta"]
