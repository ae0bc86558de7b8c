"""graphrnn-tf1 --to-keras PREFIX OUT.keras --input NAMES --output NAME: whole TF1 models
(a character model, a bidirectional classifier, a tagger, char-rnn's unrolled
rnn_decoder, a TF 1.1 program's static_rnn from a fed state, a forecaster), trained and saved
by a TF1 script run through graphrnn-tf1, become Keras 3 files that a process with Keras 3
alone loads, predicting what the script's graph computed, and that keep training; what is
not converted gets one sentence, exit status 2 and no file."""

import json
import subprocess
import sys

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.layers import layers as contrib_layers
from graphrnn.tf1.converter import ops, recurrent_region
from graphrnn.tf1.runner import command as runner
from tf1.converter import test_stack
from tf1_runs import TF1_SCRIPTS, run_in_one_process, save_checkpoint as save

SCRIPT = TF1_SCRIPTS / "save_whole_model.py"
# layout: (--input, --output, the inputs in RESULT.npz, lines the conversion prints)
MODELS = {
    "char_model": ("input_ids", "probs", ["ids"], [
        "  dropout/: dropout, identity at inference",
        "  embedding/embedding: Embedding(11, 6)",
        "  rnn/: 2 recurrent layer(s) (BasicLSTMCell), activation tanh, forget_bias 1.0",
        "  rnn/transpose_1:0: rnn/ outputs",
        "  rnnlm/softmax_w, rnnlm/softmax_b: Dense(11)"]),
    "classifier": ("input_ids,lengths", "probs:0", ["ids", "lengths"], [
        "  bidirectional_rnn/: 4 recurrent layer(s) (GRUCell), bidirectional, "
        "sequence_length, activation tanh",
        "  bidirectional_rnn/fw/fw/while/Exit_4:0: bidirectional_rnn/ fw layer 1 h",
        "  bidirectional_rnn/bw/bw/while/Exit_4:0: bidirectional_rnn/ bw layer 1 h",
        "  classes/kernel, classes/bias: Dense(3)"]),
    "tagger": ("input_ids,lengths", "logits", ["ids", "lengths"], [
        "  bidirectional_rnn/fw/fw/transpose_1:0: bidirectional_rnn/ fw outputs",
        "  ReverseSequence:0: bidirectional_rnn/ bw outputs",
        "  proj/W, proj/b: Dense(4)"]),
    "unrolled": ("input_ids", "probs", ["ids"], [
        "  rnnlm_1/rnnlm/multi_rnn_cell/: 2 recurrent layer(s) (LSTMCell), unrolled over 6 "
        "steps, activation tanh, forget_bias 1.0",
        "  rnnlm_1/rnnlm/multi_rnn_cell/cell_1/lstm_cell/mul_2:0 ... (5 tensors): "
        "rnnlm_1/rnnlm/multi_rnn_cell/ outputs, step by step",
        "  rnnlm/softmax_w, rnnlm/softmax_b: Dense(11)"]),
    "fed_state": ("input", "inference/add_1", ["x"], [
        "  istate: fed zeros, the initial state of inference/rnn/basic_lstm_cell/ (the Keras "
        "layers start from zeros)",  # static_rnn on TF 2.21 puts every step in one scope
        "  inference/rnn/basic_lstm_cell/: 1 recurrent layer(s) (BasicLSTMCell), unrolled "
        "over 10 steps, activation tanh, forget_bias 0.8",
        "  inference/w2, inference/b2: Dense(1)"]),
    "forecaster": ("x", "forecast", ["x"], [
        "  rnn/: 2 recurrent layer(s) (GRUCell), activation tanh",
        "  rnn/transpose_1:0: rnn/ outputs",
        "  fully_connected/weights, fully_connected/biases: Dense(4)",
        "  out_w, out_b: Dense(1)"]),
}
# in a process that never imports graphrnn: each file predicts what the TF1 graph did, and
# the classifier keeps training with model.fit
KERAS_ALONE = """
import json, sys
import numpy as np
import keras
for path, result, names in json.loads(sys.argv[1]):
    data = np.load(result)
    inputs = [data[name] for name in names]
    model = keras.saving.load_model(path)
    predicted = np.asarray(model(inputs if len(inputs) > 1 else inputs[0]))
    print(path, predicted.shape == data["output"].shape,
          float(np.abs(predicted - data["output"]).max()))
    if path.endswith("classifier.keras"):
        model.compile(keras.optimizers.Adam(0.05), "sparse_categorical_crossentropy")
        labels = np.arange(len(inputs[0])) % 3
        history = model.fit(inputs, labels, epochs=6, batch_size=len(labels), verbose=0)
        print("loss", history.history["loss"][0], history.history["loss"][-1])
"""


@pytest.mark.slow
def test_tf1_checkpoints_convert_and_predict_in_keras_3_alone(tmp_path, capsys):
    """Both converters in one test: the TF1 scripts of whole models (here) and of recurrent
    stacks (test_stack) train in one process, and every file loads in one process
    with Keras 3 alone."""
    stack_jobs, saved_stacks = test_stack.stack_jobs(tmp_path / "stacks")
    jobs = [[str(tmp_path), str(SCRIPT), layout, f"{layout}/model.ckpt", f"{layout}.npz"]
            for layout in MODELS]
    for layout in MODELS:
        (tmp_path / layout).mkdir()
    results = run_in_one_process(stack_jobs + jobs)
    assert [status for status, _ in results] == [0] * len(results), results
    checks = test_stack.convert_stacks(saved_stacks, tmp_path / "stacks", capsys)
    test_stack.check_without_a_meta_file_tf1s_defaults_apply_and_options_set_the_rest(
        saved_stacks, tmp_path / "bare", capsys)
    for layout, (inputs, output, names, lines) in MODELS.items():
        out = tmp_path / f"{layout}.keras"
        prefix = tmp_path / layout / "model.ckpt"
        status = runner.main(["--to-keras", str(prefix), str(out), "--input", inputs,
                              "--output", output])
        printed = capsys.readouterr()
        assert status == 0, printed.err
        printed = printed.out.splitlines()
        assert printed[0].startswith(f"{prefix}: from {inputs.replace(',', ', ')} to ")
        assert [line for line in lines if line not in printed] == [], printed
        assert printed[-1].startswith(f"wrote {out} (Keras 3): largest difference from the "
                                      "TF1 graph on random inputs ")
        checks.append([str(out), str(tmp_path / f"{layout}.npz"), names])
    fresh = subprocess.run(
        [sys.executable, "-c", KERAS_ALONE, json.dumps(checks)], capture_output=True,
        text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert fresh.returncode == 0, fresh.stderr
    rows = [line.split() for line in fresh.stdout.splitlines()]
    predictions = {row[0]: (row[1], float(row[2])) for row in rows if row[0] != "loss"}
    assert sorted(predictions) == sorted(check[0] for check in checks)
    assert all(same_shape == "True" for same_shape, _ in predictions.values()), predictions
    assert max(difference for _, difference in predictions.values()) < 1e-5, predictions
    first, last = (float(v) for v in next(row for row in rows if row[0] == "loss")[1:])
    assert last < 0.8 * first  # the converted classifier learns its labels


def test_region_roots_come_from_the_cells_variable_scopes():
    assert recurrent_region.region_root("encoder/rnn/multi_rnn_cell/cell_0/gru_cell") == \
        "encoder/rnn/"
    assert recurrent_region.region_root("rnn/lstm_cell") == "rnn/"
    assert recurrent_region.region_root("lstm_cell") == ""
    assert recurrent_region.region_root(
        "bidirectional_rnn/fw/multi_rnn_cell/cell_1/gru_cell") == "bidirectional_rnn/"
    assert recurrent_region.region_root(
        "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/lstm_cell") == \
        "tagger/stack_bidirectional_rnn/"
    assert recurrent_region.region_root(
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/lstm_cell") == \
        "stack_bidirectional_rnn/"  # the outermost scope, not a level's own


def test_region_layers_order_levels_and_directions_and_skip_optimizer_slots():
    shapes = {}
    for direction in ("fw", "bw"):
        for level, (rows, units) in enumerate(((9, 4), (8, 4))):
            scope = f"bidirectional_rnn/{direction}/multi_rnn_cell/cell_{level}/lstm_cell"
            shapes[f"{scope}/kernel"] = [rows, 4 * units]
            shapes[f"{scope}/bias"] = [4 * units]
            shapes[f"{scope}/kernel/Adam"] = [rows, 4 * units]
    shapes["classes/kernel"] = [8, 3]
    found = recurrent_region.region_layers(shapes, "bidirectional_rnn/")
    assert sorted(found) == ["bw", "fw"]
    assert [(level, layer.units, layer.input_size) for level, layer in found["fw"]] == [
        (0, 4, 5), (1, 4, 4)]
    assert found["bw"][1][1].names == {
        "kernel": "bidirectional_rnn/bw/multi_rnn_cell/cell_1/lstm_cell/kernel",
        "bias": "bidirectional_rnn/bw/multi_rnn_cell/cell_1/lstm_cell/bias"}


# ------------------------------------------------------------ what it refuses


def head(x):
    return v1.layers.dense(x, 2, name="head")


def py_func_on_the_path():
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    doubled = v1.py_func(lambda value: 2 * value, [x], tf.float32, name="double")
    doubled.set_shape([None, 3])
    v1.identity(head(doubled), name="out")


def while_loop_on_the_path():
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    _, looped = v1.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * 0.5), [0, x],
                              name="halve")
    v1.identity(head(looped), name="out")


def another_placeholder_on_the_path():
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    scale = v1.placeholder(tf.float32, [None, 3], name="scale")
    v1.identity(head(x * scale), name="out")
    v1.identity(x * 2.0, name="doubled")


REFUSED = {  # case: (build, --input, --output, the sentence)
    "py_func": (py_func_on_the_path, "x", "out",
                "double, a PyFunc op on the path to the output, is not one --to-keras "
                "converts"),
    "while_loop": (while_loop_on_the_path, "x", "out", "halve"),
    "a placeholder not given": (another_placeholder_on_the_path, "x", "out:0",
                                "the path reads the placeholder scale, which is not among "
                                "--input: name it there"),
    "an input off the path": (another_placeholder_on_the_path, "x,scale", "doubled",
                              "--input scale:0 is not on the path to doubled:0"),
    "no such tensor": (another_placeholder_on_the_path, "x", "logits",
                       "the graph in model.ckpt.meta has no tensor logits"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_it_does_not_convert_gets_one_sentence_status_2_and_no_file(
        case, tmp_path, capsys):
    build, inputs, output, sentence = REFUSED[case]
    prefix = save(tmp_path, build)
    out = tmp_path / "model.keras"
    assert runner.main(["--to-keras", prefix, str(out), "--input", inputs,
                        "--output", output]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"graphrnn-tf1: {sentence}"), captured.err
    assert captured.err.count("\n") == 1
    assert not [path for path in tmp_path.iterdir() if ".keras" in path.name]


def test_the_whole_model_needs_its_meta_graph_both_names_and_no_stack_options(tmp_path, capsys):
    prefix = save(tmp_path, another_placeholder_on_the_path)
    (tmp_path / "model.ckpt.meta").unlink()
    out = str(tmp_path / "model.keras")
    assert runner.main(["--to-keras", prefix, out, "--input", "x", "--output", "out"]) == 2
    assert capsys.readouterr().err == (
        f"graphrnn-tf1: {prefix} has no .meta graph beside it ({prefix}.meta): --input / "
        "--output convert the graph the checkpoint was saved from\n")
    assert runner.main(["--to-keras", prefix, out, "--input", "x"]) == 2
    assert capsys.readouterr().err == (
        "graphrnn-tf1: --input and --output go together (the placeholders and the tensor of "
        "the whole model)\n")
    assert runner.main(["--to-keras", prefix, out, "--input", "x", "--output", "out",
                        "--last", "--forget-bias", "0.5"]) == 2
    assert capsys.readouterr().err == (
        "graphrnn-tf1: --last, --forget-bias set the stack conversion; with --input and "
        "--output the whole graph says what they would\n")
    assert list(tmp_path.glob("*.keras")) == []


def output_for(x_value):
    """What the graph's "out" computes for x_value, in a session holding the saved
    values."""
    return lambda session: session.run("out:0", {"x:0": x_value})


def bidirectional_without_lengths():
    x = v1.placeholder(tf.float32, [None, None, 3], name="x")
    (forward, backward), _ = v1.nn.bidirectional_dynamic_rnn(
        v1.nn.rnn_cell.GRUCell(4), v1.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)
    tf.concat([forward, backward], 2, name="out")  # backward: reversed back by ReverseV2


def stacked_bidirectional():
    """What tf.contrib.rnn.stack_bidirectional_dynamic_rnn builds: a bidirectional level
    per cell_<k> scope, each reading the one below's concatenated outputs."""
    x = v1.placeholder(tf.float32, [None, None, 3], name="x")
    outputs = x
    with v1.variable_scope("stack_bidirectional_rnn"):
        for level, units in enumerate((4, 3)):
            with v1.variable_scope(f"cell_{level}"):
                (forward, backward), _ = v1.nn.bidirectional_dynamic_rnn(
                    v1.nn.rnn_cell.LSTMCell(units), v1.nn.rnn_cell.LSTMCell(units), outputs,
                    dtype=tf.float32)
                outputs = tf.concat([forward, backward], 2)
    tf.identity(outputs[:, -1, :], name="out")


def time_major_embed_sequence():
    """embed_sequence, then dynamic_rnn(time_major=True) and xw_plus_b on the last step."""
    ids = v1.placeholder(tf.int32, [None, None], name="x")
    embedded = contrib_layers.embed_sequence(ids, vocab_size=7, embed_dim=4)  # (B, T, 4)
    outputs, _ = v1.nn.dynamic_rnn(v1.nn.rnn_cell.GRUCell(5), tf.transpose(embedded, [1, 0, 2]),
                                   dtype=tf.float32, time_major=True)  # (T, B, 5)
    weights, biases = v1.get_variable("w", [5, 2]), v1.get_variable("b", [2])
    v1.nn.xw_plus_b(outputs[-1], weights, biases, name="out")


GRAPHS = {  # case: (build, a line the conversion prints)
    "bidirectional without lengths": (bidirectional_without_lengths,
                                      "  ReverseV2:0: bidirectional_rnn/ bw outputs"),
    "stacked bidirectional": (
        stacked_bidirectional,
        "  stack_bidirectional_rnn/: 4 recurrent layer(s) (LSTMCell), bidirectional, "
        "activation tanh, forget_bias 1.0"),
    "time major, embed_sequence, xw_plus_b": (time_major_embed_sequence,
                                              "  w, b: Dense(2)"),
}


@pytest.mark.parametrize("case", GRAPHS)
def test_graphs_built_in_this_process_convert(case, tmp_path, capsys):
    """Built here (control flow v2: each recurrent call one While op), as graphrnn-tf1's
    graphs (v1 loops) are built in the slow test."""
    build, line = GRAPHS[case]
    rng = np.random.default_rng(3)
    x_value = (rng.integers(0, 7, (2, 5)) if "embed" in case
               else rng.standard_normal((2, 5, 3)).astype(np.float32))
    prefix, expected = save(tmp_path, build, output_for(x_value))
    out = tmp_path / "model.keras"
    assert runner.main(["--to-keras", prefix, str(out), "--input", "x", "--output", "out"]) == 0
    assert line in capsys.readouterr().out.splitlines()
    import keras
    np.testing.assert_allclose(np.asarray(keras.saving.load_model(out)(x_value)), expected,
                               atol=1e-5)


def test_a_cell_unrolled_by_hand_keeps_one_set_of_weights(tmp_path, capsys):
    """As Azizimj/POS-RNN's TF 1.13 checkpoint does: h_t = tanh(x_t W + b + h_{t-1} U)
    written out step by step from a zero state; the Keras model shares W, b and U across
    the steps, as the TF1 graph did, and computes what the graph computed."""
    steps, width, units = 4, 3, 5
    rng = np.random.default_rng(2)
    x_value = rng.standard_normal((2, steps, width)).astype(np.float32)

    def build():
        x = v1.placeholder(tf.float32, [None, steps, width], name="x")
        kernel = v1.get_variable("cell/kernel", [width, units])
        recurrent = v1.get_variable("cell/recurrent_kernel", [units, units])
        bias = v1.get_variable("cell/bias", [units], initializer=v1.constant_initializer(0.1))
        h, states = tf.zeros([1, units]), []
        for t in range(steps):
            h = tf.tanh(tf.matmul(x[:, t, :], kernel) + bias + tf.matmul(h, recurrent))
            states.append(h)
        head = v1.get_variable("head/w", [units, 2])
        tf.identity(tf.tensordot(tf.stack(states, axis=1), head, 1), name="out")
    prefix, expected = save(tmp_path, build, output_for(x_value))
    out = tmp_path / "unrolled.keras"
    assert runner.main(["--to-keras", prefix, str(out), "--input", "x", "--output", "out"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert "  cell/kernel, cell/bias: Dense(5)" in printed
    assert "  cell/recurrent_kernel: Dense(5)" in printed
    import keras
    model = keras.saving.load_model(out)
    assert sorted(tuple(w.shape) for w in model.weights) == sorted(
        [(width, units), (units,), (units, units), (units, 2)])  # once each, not per step
    np.testing.assert_allclose(np.asarray(model(x_value)), expected, atol=1e-6)


def test_a_model_that_computes_otherwise_is_not_written(tmp_path, capsys, monkeypatch):
    """The check before writing: were tanh converted as sigmoid, the Keras model would
    differ from the TF1 graph, and the run ends with status 1 and no file."""
    def build():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        tf.tanh(tf.matmul(x, v1.get_variable("w", [3, 4])), name="out")
    prefix = save(tmp_path, build)
    monkeypatch.setitem(ops.ACTIVATIONS, "Tanh", "sigmoid")
    out = tmp_path / "model.keras"
    assert runner.main(["--to-keras", prefix, str(out), "--input", "x", "--output", "out"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("graphrnn-tf1: the Keras 3 model differs from the TF1 graph by up "
                            "to "), error
    assert error.endswith("on random inputs (allowed: 1e-05), so nothing was written\n")
    assert list(tmp_path.glob("*.keras*")) == []
