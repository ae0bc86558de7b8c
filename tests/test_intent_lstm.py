"""09_02_intent_lstm: the in-graph tokenisation against the Python one, graph and Keras 3
from the same weights, what a run writes and reports, early stopping, and bad input."""

import numpy as np
import pandas as pd
import pytest

from conftest import load_script, run_in_process
from graphrnn import complaints, train
from graphrnn.compat import tf, v1
from test_lessons import lesson_run

NAME = "09_02_intent_lstm"
SCRIPT = load_script(NAME)


def test_the_graph_tokenises_as_python_does():
    texts = ["My XXXX account (see XX/XX/XXXX) was charged {$200.00}; Tax!",
             "Ünïcode – and_underscores 3.5% fee FEE fee",  # case, accents, unknown words
             "", "nothing known here",
             " ".join(["fee", "loan", "tax"] * 40)]  # 120 words: cut to the last 80
    vocabulary = {"account": 1, "fee": 2, "loan": 3, "ta": 4, "was": 5, "charged": 6,
                  "and_underscores": 7, "35": 8, "20000": 9}
    expected = complaints.texts_to_ids([complaints.clean_text(t) for t in texts], vocabulary)
    graph = tf.Graph()
    with graph.as_default():
        placeholder = v1.placeholder(tf.string, [None])
        word_ids = SCRIPT.tokens(placeholder, vocabulary)
        with v1.Session() as session:
            session.run(v1.tables_initializer())
            found = session.run(word_ids, {placeholder: np.array(texts, dtype=object)})
    assert found.shape == (5, complaints.TEXT_LENGTH) and found.dtype == np.int32
    np.testing.assert_array_equal(found, expected)
    assert expected[0, -5:].tolist() == [1, 5, 6, 9, 4] and not expected[2:4].any()


def test_early_stopping_waits_three_epochs_without_a_1e_4_gain():
    stopping = train.EarlyStopping(SCRIPT.PATIENCE, SCRIPT.MIN_DELTA)  # the tutorial's
    assert [stopping.stop(loss) for loss in (1.0, 0.9, 0.89995, 0.9, 0.95)] == [
        False, False, False, False, True]


@pytest.mark.slow
def test_both_sides_start_equal_learn_and_report_alike(tmp_path):
    # the whole generated corpus for 2 of the 5 epochs: enough to learn, half the time
    process, metrics, run_dir = lesson_run(NAME, tmp_path, "--epochs", "2")
    assert metrics["initial_max_abs_difference"] < 1e-5  # dropout off, the same weights
    assert metrics["in_graph_ids_equal_python_ids"] is True
    assert metrics["texts"] == {"train": 1890, "validation": 210, "test": 900}
    accuracy = metrics["test_accuracy"]
    assert accuracy["majority_class"] < 0.2  # six products
    assert accuracy["graph"] > 0.6 and accuracy["keras3"] > 0.6
    assert "generated complaints (not real ones" in process.stdout.splitlines()[0]
    table = pd.read_csv(run_dir / "predictions.csv")
    assert list(table.columns) == ["row", "product", "graph", "keras3"] and len(table) == 900
    for side in ("graph", "keras3"):
        assert np.mean(table[side] == table["product"]) == pytest.approx(accuracy[side])
        matrix = np.array(metrics["confusion_matrix"][side])
        recall = np.diag(matrix) / matrix.sum(axis=1)
        found = [metrics["products"][side][name]["recall"] for name in metrics["classes"]]
        np.testing.assert_allclose(found, recall)
    assert (run_dir / "confusion.png").is_file()


def write_csv(path, rows):
    pd.DataFrame(rows, columns=[complaints.LABEL, complaints.TEXT]).to_csv(path, index=False)


@pytest.mark.parametrize("args, message", [
    (["--data", "gone.csv"], "no such data file: gone.csv"),
    (["--data", "one.csv"], "every complaint is about one product ('Mortgage')"),
    (["--data", "masks.csv"], "is empty after cleaning"),
    (["--epochs", "0"], "--epochs must be greater than 0, got 0"),
])
def test_bad_input_gets_one_sentence_and_leaves_nothing(tmp_path, args, message):
    write_csv(tmp_path / "one.csv", [("Mortgage", "escrow wrong")] * 3)
    write_csv(tmp_path / "masks.csv", [("Mortgage", "XXXX"), ("Credit card", "XX/XX/XXXX")])
    status, _, err = run_in_process(NAME, ["--quick", *args, "--logdir", "logs"], tmp_path)
    (line,) = err.strip().splitlines()
    assert status == 2 and line.startswith(f"{NAME}.py: error: ") and message in line
    assert not (tmp_path / "logs").exists()
