"""graphrnn-tf1 on what public TF1 RNN tutorials use beyond the basics: MNIST through
input_data, the seq2seq losses and rnn_decoder, and the failures of old scripts on today's
Python and NumPy, each with one sentence that names the cause."""

import json
import sys

import numpy as np
import pytest

from graphrnn.tf1.runner import messages, command as runner
from reference_cells import crossent
from tf1_runs import TF1_SCRIPTS, run_in_one_process, write_mnist_files

FIXTURES = TF1_SCRIPTS


@pytest.fixture
def runs(tmp_path_factory):
    """Twelve runs in one process: {name: (exit status, stderr, folder)}."""
    folders = {name: tmp_path_factory.mktemp(name) for name in (
        "mnist", "char", "attention", "package", "flags", "absl_flags", "tf012", "libraries",
        "numpy1", "numpy2", "offline", "python2_module")}
    write_numpy1_habits(folders["numpy1"])
    write_package(folders["package"] / "toy")
    mnist = write_mnist_files(folders["mnist"] / "MNIST_data")
    np.save(folders["mnist"] / "test_labels.npy", mnist["t10k"][1])
    (folders["offline"] / "offline.py").write_text(
        "from tensorflow.examples.tutorials.mnist import input_data\n"
        "mnist = input_data.read_data_sets('MNIST_data/', one_hot=True,\n"
        "                                  source_url='http://127.0.0.1:9/')\n")
    (folders["python2_module"] / "train.py").write_text(
        "import tensorflow as tf\nimport old_model\n")
    (folders["python2_module"] / "old_model.py").write_text(
        "import tensorflow as tf\ntry:\n    x = tf.placeholder(tf.float32)\n"
        "except Exception, e:\n    pass\n")
    jobs = {
        "mnist": [FIXTURES / "mnist_row_lstm.py", "MNIST_data", "8", "r.npz"],
        "char": [FIXTURES / "char_seq2seq.py", "r.npz"],
        "attention": [FIXTURES / "attention_seq2seq.py", "r.npz", "ckpt/model"],
        "package": ["-m", "toy.main", "--hparams", "units=8,cells=[gru,lstm]"],
        "flags": [FIXTURES / "old_flags.py", "r.json", "--batch_size", "16", "--no_such", "1"],
        "absl_flags": [FIXTURES / "absl_named_flags.py", "--log_dir", "runs/a", "--hidden", "4"],
        "tf012": [FIXTURES / "tf012_names.py", "r.npz", "logs"],
        "libraries": [FIXTURES / "old_library_habits.py", "r.json", "logs"],
        "numpy1": [folders["numpy1"] / "habits.py"],
        "numpy2": ["--numpy2", FIXTURES / "numpy2_int_of_an_array.py"],
        "offline": [folders["offline"] / "offline.py"],
        "python2_module": [folders["python2_module"] / "train.py"],
    }
    results = run_in_one_process([[str(folders[name]), *map(str, job)]
                                  for name, job in jobs.items()])
    return {name: (*result, folders[name]) for name, result in zip(jobs, results)}


def write_package(folder):
    """A TF1 program as a package run with python -m, in the NMT tutorial's habits:
    relative imports, HParams overridden from a flag, ModeKeys, contrib.framework.nest."""
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "model.py").write_text(
        "import tensorflow as tf\n\n\ndef build(hparams, mode):\n"
        "    cells = [tf.contrib.rnn.GRUCell(hparams.units) if kind == 'gru' else\n"
        "             tf.contrib.rnn.BasicLSTMCell(hparams.units) for kind in hparams.cells]\n"
        "    inputs = tf.zeros([2, 3, 4])\n"
        "    outputs, state = tf.nn.dynamic_rnn(tf.contrib.rnn.MultiRNNCell(cells), inputs,\n"
        "                                       dtype=tf.float32)\n"
        "    assert mode == tf.contrib.learn.ModeKeys.TRAIN\n"
        "    return outputs, tf.contrib.framework.nest.flatten(state)\n")
    (folder / "main.py").write_text(
        "import argparse, json, sys\nimport tensorflow as tf\nfrom . import model\n\n"
        "parser = argparse.ArgumentParser()\nparser.add_argument('--hparams', default='')\n"
        "flags = parser.parse_args()\n"
        "hparams = tf.contrib.training.HParams(units=4, cells=['gru'])\n"
        "hparams.parse(flags.hparams)\n"
        "outputs, states = model.build(hparams, tf.contrib.learn.ModeKeys.TRAIN)\n"
        "with tf.Session() as sess:\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    out = sess.run(outputs)\n"
        "json.dump({'argv0': sys.argv[0], 'hparams': hparams.values(), 'shape': out.shape,\n"
        "           'states': len(states), 'name': __name__, 'package': __package__},\n"
        "          open('r.json', 'w'))\n")


def check_a_package_runs_as_python_m_runs_it(status, stderr, folder):
    assert status == 0, stderr
    r = json.loads((folder / "r.json").read_text())
    assert r["hparams"] == {"units": 8, "cells": ["gru", "lstm"]}
    assert r["shape"] == [2, 3, 8] and r["states"] == 3  # the GRU's h, the LSTM's (c, h)
    assert (r["name"], r["package"]) == ("__main__", "toy")
    assert r["argv0"] == str(folder / "toy" / "main.py")


def check_tf_1_4_flags_habits_work(status, stderr, folder):
    assert status == 0, stderr
    r = json.loads((folder / "r.json").read_text())
    assert r["before_run"] == 16  # read before tf.app.run: parsed on first use
    assert r["flags"] == {"batch_size": 16, "dropout_keep_prob": 0.5, "cell": "lstm"}
    assert r["in_main"] == [16, 0.5, "lstm"]


def check_flags_named_like_absls_are_the_programs_as_in_tf_1_13(status, stderr, folder):
    assert status == 0, stderr
    r = json.loads((folder / "r.json").read_text())
    assert r == {"log_dir": "runs/a", "logtostderr": True, "hidden": 4}
    assert stderr.splitlines()[-1] == (
        "graphrnn-tf1: the program's flags took names a library's flags hold, as TensorFlow "
        "<= 1.13 allowed (--log_dir was absl.logging's; --logtostderr was absl.logging's); "
        "TensorFlow 1.14 and later refuse them (DuplicateFlagError)")


def check_a_tf_0_12_program_runs_with_its_names_and_argument_orders(status, stderr, folder):
    assert status == 0, stderr
    r = np.load(folder / "r.npz")
    assert r["losses"][-10:].mean() < 0.5 * r["losses"][:5].mean()
    np.testing.assert_array_equal(r["piece"][0, :, 0], r["x"][:, 2, 0].astype(np.float32))
    np.testing.assert_array_equal(r["stacked"], r["outputs"])  # tf.pack of the steps
    assert list((folder / "logs").glob("events.out.tfevents.*"))
    assert stderr.splitlines()[-1] == (
        "graphrnn-tf1: TensorFlow 0.12's names and argument orders kept working in this "
        "program (tf.split(split_dim, num_split, value) at tf012_names.py line 17; "
        "tf.nn.rnn at tf012_names.py line 20; tf.pack at tf012_names.py line 21; "
        "tf.concat(axis, values) at tf012_names.py line 22; tf.mul at tf012_names.py line "
        "24; tf.nn.softmax_cross_entropy_with_logits(logits, labels) by position at "
        "tf012_names.py line 25; tf.scalar_summary at tf012_names.py line 27; "
        "tf.merge_all_summaries at tf012_names.py line 28; tf.train.SummaryWriter at "
        "tf012_names.py line 41); TensorFlow 1.0 renamed or reordered them")


def check_numpy_1_and_protobuf_3_habits_of_a_tf1_program_work(status, stderr, folder):
    assert status == 0, stderr
    r = json.loads((folder / "r.json").read_text())
    assert r == {"printed": "[5, 22]", "padded": [0.0, 1.0, 1.0, 0.0]}
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    events = EventAccumulator(str(folder / "logs"))
    events.Reload()
    assert [(e.step, e.value) for e in events.Scalars("loss")] == [(1, 0.25)]
    assert stderr.splitlines()[-2:] == [
        "graphrnn-tf1: NumPy 1 habits kept working in this program (np.lib.pad at "
        "old_library_habits.py line 14); NumPy 2 refuses them (graphrnn-tf1 --numpy2 runs "
        "without this)",
        "graphrnn-tf1: old protobuf habits kept working in this program (a NumPy array as "
        "Summary.Value's simple_value at old_library_habits.py line 19); today's protobuf "
        "refuses them"]


def check_an_mnist_tutorial_reads_its_files_through_input_data_and_learns(status, stderr, folder):
    assert status == 0, stderr
    result = np.load(folder / "r.npz")
    losses = result["losses"]
    assert losses[-10:].mean() < 0.3 * losses[:5].mean()
    assert float(result["accuracy"]) > 0.8  # the classes draw distinct rows
    # 60 batches of 32 from 180 training images (200 less 20 for validation): 10 epochs
    assert int(result["epochs"]) == 60 * 32 // 180
    first = result["first_batch"]
    assert first.shape == (32, 64) and first.dtype == np.float32 and first.max() <= 1.0


def check_a_char_model_on_legacy_seq2seq_trains_and_its_three_losses_agree(status, stderr, folder):
    assert status == 0, stderr
    r = np.load(folder / "r.npz")
    assert r["losses"][-1] < 0.6 * r["losses"][0]
    per_step = crossent(r["logits"], r["targets"].reshape(-1))  # (B * T,)
    assert float(r["loss_3d"]) == pytest.approx(per_step.mean(), rel=1e-5)
    np.testing.assert_allclose(r["by_example"], per_step, rtol=1e-5)
    assert float(r["legacy"]) == pytest.approx(per_step.mean(), rel=1e-5)
    names = list(r["names"])
    assert "rnnlm/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0" in names
    assert names[-2:] == ["softmax/weights:0", "softmax/biases:0"]


def check_an_attention_seq2seq_trains_restores_and_decodes(status, stderr, folder):
    """The NMT-style script: contrib.seq2seq's decoders, Luong attention and beam search
    under their TF 1.15 import paths; TF 1.15's variable names in its checkpoint, which
    its greedy and beam-search graphs restore by name."""
    assert status == 0, stderr
    r = np.load(folder / "r.npz")
    assert r["losses"][-20:].mean() < 0.05 * r["losses"][:5].mean()
    assert float(r["greedy"]) > 0.9 and float(r["beam"]) > 0.9  # digits written backwards
    assert sorted(r["names"]) == sorted([
        "embeddings/shared:0", "encoder/rnn/gru_cell/gates/kernel:0",
        "encoder/rnn/gru_cell/gates/bias:0", "encoder/rnn/gru_cell/candidate/kernel:0",
        "encoder/rnn/gru_cell/candidate/bias:0", "decoder/memory_layer/kernel:0",
        "decoder/attention/gru_cell/gates/kernel:0", "decoder/attention/gru_cell/gates/bias:0",
        "decoder/attention/gru_cell/candidate/kernel:0",
        "decoder/attention/gru_cell/candidate/bias:0",
        "decoder/attention/luong_attention/attention_g:0",
        "decoder/attention/attention_layer/kernel:0",
        "decoder/output_projection/kernel:0"]
        + [n for n in r["names"] if "Adam" in n or "power" in n])


def write_numpy1_habits(folder):
    """A script and a module beside it with NumPy 1 habits NumPy 2 refuses."""
    (folder / "habits.py").write_text(
        "import json\nimport numpy as np\nimport tensorflow as tf\nimport helper\n"
        "index = tf.Session().run(tf.argmax([[0.1, 0.7, 0.2]], 1))\n"
        "ragged = np.array([[1, 2], [3]])\n"
        "json.dump({'index': int(index), 'ragged': str(ragged.dtype),\n"
        "           'helper': helper.sizes(), 'float': float(np.array([[2.5]]))},\n"
        "          open('r.json', 'w'))\n")
    (folder / "helper.py").write_text(
        "import numpy as np\n\n\ndef sizes():\n"
        "    return [np.zeros(2, dtype=np.float).dtype.name, np.int(3.7)]\n")


def check_numpy_1_habits_work_in_the_programs_files_and_are_named_once(status, stderr,
                                                                       folder):
    assert status == 0, stderr
    r = json.loads((folder / "r.json").read_text())
    assert r == {"index": 1, "ragged": "object", "helper": ["float64", 3], "float": 2.5}
    assert stderr.splitlines()[-1] == (
        "graphrnn-tf1: NumPy 1 habits kept working in this program (np.array of ragged lists "
        "at habits.py line 6; int() or float() of an array with one element at habits.py "
        "line 7; np.float at helper.py line 5; np.int at helper.py line 5); NumPy 2 refuses "
        "them (graphrnn-tf1 --numpy2 runs without this)")
    assert not list(folder.glob("__pycache__/helper*"))  # no cached transformed code


def check_int_of_a_one_element_array_shows_the_traceback_then_names_numpy_2(status, stderr, folder):
    assert status == 1
    lines = stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-2] == ("TypeError: only 0-dimensional arrays can be converted to Python "
                         "scalars")
    assert lines[-1] == (
        "graphrnn-tf1: the error at numpy2_int_of_an_array.py line 10 comes from int() or "
        "float() of a NumPy array with one element, which NumPy 2 refuses (NumPy 1.25 "
        "deprecated it); take the element first: int(x.item()), int(x[0]) or "
        "float(x.squeeze()).")


def check_mnist_files_missing_offline_stop_with_one_sentence_and_nothing_written(
        status, stderr, folder):
    assert status == 2
    assert stderr.count("\n") == 1 and stderr.startswith(
        "graphrnn-tf1: input_data.read_data_sets needs the MNIST files "
        "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
        f"t10k-labels-idx1-ubyte.gz in {folder / 'MNIST_data'}; none of them is there")
    assert [p.name for p in folder.iterdir()] == ["offline.py"]


def check_a_python_2_module_beside_the_script_is_named_with_its_line(status, stderr, folder):
    assert status == 2
    assert stderr == ("graphrnn-tf1: old_model.py line 4 is Python 2 syntax (except Error, "
                      "e:), which Python 3 cannot run: write except Error as e: there (2to3 "
                      "or futurize converts a whole script).\n")


@pytest.mark.slow
def test_twelve_tf1_runs_through_the_runner_in_one_process(runs):
    """Each check reads one script's run. One test, so that the twelve runs happen once (a
    fixture shared by several tests runs once per xdist worker that gets one of them)."""
    check_an_mnist_tutorial_reads_its_files_through_input_data_and_learns(*runs["mnist"])
    check_a_char_model_on_legacy_seq2seq_trains_and_its_three_losses_agree(*runs["char"])
    check_an_attention_seq2seq_trains_restores_and_decodes(*runs["attention"])
    check_a_package_runs_as_python_m_runs_it(*runs["package"])
    check_tf_1_4_flags_habits_work(*runs["flags"])
    check_flags_named_like_absls_are_the_programs_as_in_tf_1_13(*runs["absl_flags"])
    check_a_tf_0_12_program_runs_with_its_names_and_argument_orders(*runs["tf012"])
    check_numpy_1_and_protobuf_3_habits_of_a_tf1_program_work(*runs["libraries"])
    check_numpy_1_habits_work_in_the_programs_files_and_are_named_once(*runs["numpy1"])
    check_int_of_a_one_element_array_shows_the_traceback_then_names_numpy_2(*runs["numpy2"])
    check_mnist_files_missing_offline_stop_with_one_sentence_and_nothing_written(*runs["offline"])
    check_a_python_2_module_beside_the_script_is_named_with_its_line(*runs["python2_module"])


def test_a_python_2_script_is_refused_before_it_runs(tmp_path, capsys):
    script = tmp_path / "old.py"
    script.write_text("import tensorflow as tf\n\nprint 'loss', 0.5\n")
    assert runner.run_script(str(script), []) == 2  # returns before TensorFlow's v1 mode
    assert capsys.readouterr().err == (
        "graphrnn-tf1: old.py line 3 is Python 2 syntax (print x), which Python 3 cannot run: "
        "write print(x) there (2to3 or futurize converts a whole script).\n")


@pytest.mark.parametrize("source, construct", [
    ("except ValueError, e:", "except Error, e:"),
    ("exec 'x = 1'", "exec code"),
    ("raise ValueError, 'bad'", "raise Error, message"),
    ("mode = 0755", "an octal literal like 0777"),
    ("name = `x`", "`x` (backquotes)"),
])
def test_other_python_2_statements_are_named(source, construct):
    # checked on the source only: a script that compiled would run here, in the test process
    sentence = messages.python2_syntax(f"import sys\n{source}\n")
    assert sentence.startswith(f"line 2 is Python 2 syntax ({construct}), which Python 3")


def test_print_to_a_file_python_2_style_is_named_when_it_fails():
    try:
        print >> sys.stderr, "x"  # noqa: F633 (valid Python 3; a TypeError when it runs)
    except TypeError as error:
        change = messages.known_change(error)
    assert change == ("print >>file, x, Python 2's print statement; write "
                      "print(x, file=file)")


def test_decoding_text_already_decoded_is_named_as_python_2s_str():
    """PTB readers of 2016 read text and decoded it, as Python 2's str was bytes."""
    try:
        "the cat\n".decode("utf-8")
    except AttributeError as error:
        change = messages.known_change(error)
    assert change == ("str.decode, which Python 3's str lacks (Python 2's str was bytes, so "
                      "programs decoded what they read); drop the .decode(...): the text is "
                      "already str")


def test_the_python_2_check_adds_no_warning_of_its_own(recwarn):
    assert messages.python2_syntax("if len('x') is 1:\n    pass\n") is None
    assert not [w for w in recwarn if issubclass(w.category, SyntaxWarning)]


def test_a_python_3_syntax_error_is_not_called_python_2():
    assert messages.python2_syntax("x = (1,\n") is None
    assert messages.python2_syntax("print('fine')\n") is None
    assert messages.python2_syntax("def f(:\n    print x\n") is None  # line 1 is the error
