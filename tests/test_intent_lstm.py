"""09_02_intent_lstm: the in-graph tokenisation against the Python one, graph and Keras 3
from the same weights, what a run writes and reports, early stopping, and bad input."""

import numpy as np
import pandas as pd
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

from conftest import BoardRun, load_script, run_in_process
from graphrnn import bag_of_words, complaints, report, train
from graphrnn.compat import tf, v1
from test_lessons import lesson_run

NAME = "09_02_intent_lstm"
SCRIPT = load_script(NAME)


def test_the_graph_tokenises_as_python_does():
    texts = ["My XXXX account (see XX/XX/XXXX) was charged {$200.00}; Tax!",
             "Ünïcode – and_underscores 3.5% fee FEE fee",  # case, accents, unknown words
             "", "nothing known here",
             " ".join(["fee", "loan", "tax"] * 60)]  # 180 words: cut to the first 150
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


def test_early_stopping_waits_four_epochs_without_a_1e_4_gain():
    stopping = train.EarlyStopping(SCRIPT.PATIENCE, SCRIPT.MIN_DELTA)
    assert [stopping.stop(loss) for loss in (1.0, 0.9, 0.89995, 0.9, 0.95, 0.91)] == [
        False, False, False, False, False, True]


def test_early_stopping_keeps_and_restores_the_best_epochs_weights():
    weights = {"now": None}
    stopping = train.EarlyStopping(2, 1e-4, keep_best=(lambda: weights["now"],
                                                       lambda kept: weights.update(now=kept)))
    stopped = []
    for epoch, loss in enumerate((1.0, 0.8, 0.9, 0.85), start=1):
        weights["now"] = f"after epoch {epoch}"
        stopped.append(stopping.stop(loss))
    assert stopped == [False, False, False, True]  # two epochs without beating 0.8
    assert stopping.restore() == 2 and weights["now"] == "after epoch 2"
    assert train.EarlyStopping(2, 1e-4).restore() == 0  # nothing kept, nothing restored


@pytest.mark.slow
def test_both_sides_start_equal_learn_and_report_alike(tmp_path):
    # the whole generated corpus for 4 of the 20 epochs: enough to learn, a fifth the time
    process, metrics, run_dir = lesson_run(NAME, tmp_path, "--epochs", "4")
    assert metrics["initial_max_abs_difference"] < 1e-5  # dropout off, the same weights
    assert metrics["in_graph_ids_equal_python_ids"] is True
    assert metrics["texts"] == {"train": 945, "validation": 105, "test": 450}
    accuracy = metrics["test_accuracy"]
    assert 0.35 < accuracy["majority_class"] < 0.5  # Credit reporting, as generated
    assert accuracy["graph"] > 0.6 and accuracy["keras3"] > 0.6
    assert metrics["warning"] is None
    for side in ("graph", "keras3"):  # the kept weights: the lowest validation loss's
        losses = metrics[f"{side}_validation_loss"]
        assert metrics["best_epoch"][side] == 1 + int(np.argmin(losses))
    assert "generated complaints (not real ones" in process.stdout.splitlines()[0]
    table = pd.read_csv(run_dir / "predictions.csv")
    assert list(table.columns) == ["row", "product", "graph", "keras3", "bag_of_words"]
    assert len(table) == 450
    for side in ("graph", "keras3", "bag_of_words"):
        assert np.mean(table[side] == table["product"]) == pytest.approx(accuracy[side])
    assert metrics["bag_of_words_accuracy"] == accuracy["bag_of_words"]
    assert metrics["bag_of_words"]["strength_C"] in bag_of_words.STRENGTHS
    for side in ("graph", "keras3"):
        matrix = np.array(metrics["confusion_matrix"][side])
        recall = np.diag(matrix) / matrix.sum(axis=1)
        found = [metrics["products"][side][name]["recall"] for name in metrics["classes"]]
        np.testing.assert_allclose(found, recall)
    assert (run_dir / "confusion.png").is_file()
    # TensorBoard: every model's test accuracy in one chart, a run each, the baselines as
    # flat lines; the x axis counts training steps (945 texts: 15 batches of 64 an epoch)
    last_step = 15 * max(metrics["epochs_trained"].values())
    for run in ("graph", "keras3", "bag_of_words", "majority_class"):
        board_run = BoardRun(run_dir / run)
        steps = [last_step] if run in ("graph", "keras3") else [0, last_step]
        assert board_run.scalars["1_accuracy/test"] == [
            (step, pytest.approx(accuracy[run], abs=1e-6)) for step in steps]
        assert "0 to 1" in board_run.descriptions["1_accuracy/test"]
    for side in ("graph", "keras3"):
        board_run = BoardRun(run_dir / side)
        epochs = metrics["epochs_trained"][side]
        assert board_run.steps("2_loss/validation_cross_entropy") == [
            15 * epoch for epoch in range(1, epochs + 1)]
        np.testing.assert_allclose(board_run.values("2_loss/validation_cross_entropy"),
                                   metrics[f"{side}_validation_loss"], rtol=1e-6)
    for side in ("graph", "keras3"):  # an HParams row per side, named by script and run
        events = EventAccumulator(str(run_dir / side))
        events.Reload()
        content = events.SummaryMetadata("_hparams_/session_start_info").plugin_data.content
        session = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info
        assert session.group_name == f"{NAME}/{run_dir.name}/{side}"
        assert session.hparams["UNITS"].string_value == "64"
        assert session.hparams["EPOCHS"].string_value == "4"
    assert "bag of words (TF-IDF + logistic regression, C " in process.stdout
    header = next(line for line in process.stdout.splitlines() if line.startswith("product"))
    assert header.endswith("   bag of words P / R / F1")


def test_the_warning_names_the_likely_cause_only_below_majority_plus_5_points():
    scores = {"graph": 0.48, "keras3": 0.51, "majority_class": 0.47, "bag_of_words": 0.74}
    sentence = report.majority_warning(scores, 965)
    assert sentence.startswith("neither network beats the majority class by 5 points "
                               "(best 0.5100, majority 0.4700): 965 training texts")
    assert "(0.7400)" in sentence and sentence.count(".") == 3  # one sentence: only numbers
    assert "too few for an LSTM" in sentence and "--epochs" in sentence  # cause, remedy
    assert report.majority_warning({**scores, "keras3": 0.52}, 965) is None


def test_the_bag_of_words_picks_its_strength_on_the_validation_texts():
    rng = np.random.default_rng(0)
    words = {0: "escrow mortgage", 1: "card charge", 2: "debt collector"}
    labels = rng.integers(0, 3, size=60)
    texts = [f"{words[label]} my account was {rng.choice(['late', 'wrong', 'closed'])}"
             for label in labels]
    model = bag_of_words.fit_bag_of_words(texts[:40], labels[:40], texts[40:], labels[40:],
                                          strengths=(0.001, 10.0))
    assert model.strength == 10.0 and model.validation_accuracy == 1.0  # 0.001: one class
    np.testing.assert_array_equal(model.predict(["card charge", "escrow", "debt"]), [1, 0, 2])


def write_csv(path, rows):
    pd.DataFrame(rows, columns=[complaints.LABEL, complaints.TEXT]).to_csv(path, index=False)


@pytest.mark.parametrize("args, message", [
    (["--data", "gone.csv"], "no such data file: gone.csv"),
    (["--data", "one.csv"], "every complaint is about one product ('Mortgage')"),
    (["--data", "masks.csv"], "is empty after cleaning"),
    (["--epochs", "0"], "--epochs must be greater than 0, got 0"),
    (["--data", "three.csv"], "the training part (1 of the 3 texts) is about one product"),
])
def test_bad_input_gets_one_sentence_and_leaves_nothing(tmp_path, args, message):
    write_csv(tmp_path / "one.csv", [("Mortgage", "escrow wrong")] * 3)
    write_csv(tmp_path / "masks.csv", [("Mortgage", "XXXX"), ("Credit card", "XX/XX/XXXX")])
    write_csv(tmp_path / "three.csv", [("Mortgage", "escrow wrong"), ("Credit card", "fee"),
                                       ("Mortgage", "my escrow")])
    status, _, err = run_in_process(NAME, ["--quick", *args, "--logdir", "logs"], tmp_path)
    (line,) = err.strip().splitlines()
    assert status == 2 and line.startswith(f"{NAME}.py: error: ") and message in line
    assert not (tmp_path / "logs").exists()
