"""09_01_rnn_image_rows end to end: graph and Keras 3 from the same weights, their accuracy
on the built-in digits, what the run writes, an MNIST-shaped file, and bad input."""

import numpy as np
import pandas as pd
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

from conftest import BoardRun, run_in_process
from test_digits import fake_mnist
from test_lessons import lesson_run

NAME = "09_01_rnn_image_rows"


@pytest.mark.slow
def test_defaults_reach_95_percent_on_both_sides_and_the_files_agree(tmp_path):
    process, metrics, run_dir = lesson_run(NAME, tmp_path)
    assert metrics["initial_max_abs_difference"] < 1e-5  # same weights, same predictions
    assert metrics["images"] == {"train": 1257, "validation": 270, "test": 270}
    scores = metrics["test_accuracy"]
    assert scores["graph"] >= 0.95 and scores["keras3"] >= 0.95
    assert scores["majority_class"] == pytest.approx(0.1, abs=0.01)  # 27 of 270
    # in_top_k in the graph counts what argmax of its probabilities counts (ties aside)
    assert metrics["graph_in_top_k_accuracy"] == pytest.approx(scores["graph"], abs=1 / 270)
    # predictions.csv, the confusion matrices and the per-class table tell the same story
    table = pd.read_csv(run_dir / "predictions.csv")
    assert list(table.columns) == ["image", "label", "graph", "keras3"] and len(table) == 270
    for side in ("graph", "keras3"):
        assert np.mean(table[side] == table["label"]) == pytest.approx(scores[side])
        matrix = np.array(metrics["confusion_matrix"][side])
        assert matrix.sum() == 270 and np.trace(matrix) / 270 == pytest.approx(scores[side])
        np.testing.assert_allclose(metrics["per_class_accuracy"][side],
                                   np.diag(matrix) / matrix.sum(axis=1))
    assert len(metrics["graph_validation_accuracy"]) == metrics["epochs"] == 10
    assert f"test accuracy: graph (tf.compat.v1) {scores['graph']:.4f}" in process.stdout
    assert (run_dir / "confusion.png").stat().st_size > 10_000
    # TensorBoard: both sides' curves under the same tags, against training steps as the
    # forecasts' (an epoch: 1257 images in 40 batches of 32); the graph, the confusion image
    for side in ("graph", "keras3"):
        board_run = BoardRun(run_dir / side)
        assert set(board_run.scalars) == {"1_accuracy/validation", "1_accuracy/test",
                                          "2_loss/training_cross_entropy"}
        assert all(board_run.descriptions[tag] for tag in board_run.scalars)
        np.testing.assert_allclose(board_run.values("1_accuracy/validation"),
                                   metrics[f"{side}_validation_accuracy"], rtol=1e-6)
        assert board_run.steps("1_accuracy/validation") == [40 * epoch for epoch in range(1, 11)]
        assert board_run.scalars["1_accuracy/test"] == [
            (400, pytest.approx(scores[side], abs=1e-6))]
        events = EventAccumulator(str(run_dir / side))
        events.Reload()
        tags = events.Tags()
        content = events.SummaryMetadata("_hparams_/session_start_info").plugin_data.content
        session = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info
        assert session.group_name == f"09_01_rnn_image_rows/{run_dir.name}/{side}"
        assert session.hparams["UNITS"].string_value == "150"
    assert tags["graph"] is False  # the Keras side has no TF1 graph
    events = EventAccumulator(str(run_dir / "graph"))
    events.Reload()
    assert events.Tags()["graph"] and events.Tags()["images"] == ["1_accuracy/confusion_matrix"]


@pytest.mark.slow
def test_an_mnist_file_gives_28_steps_of_28(tmp_path):
    fake_mnist(tmp_path / "mnist.npz", train=80, test=30)
    process, metrics, _ = lesson_run(NAME, tmp_path, "--quick", "--data",
                                     str(tmp_path / "mnist.npz"))
    assert "of 28 rows x 28 pixels" in process.stdout.splitlines()[0]
    assert metrics["images"] == {"train": 72, "validation": 8, "test": 30}
    assert metrics["initial_max_abs_difference"] < 1e-5


@pytest.mark.parametrize("args, message", [
    (["--data", "gone.npz"], "no such data file: gone.npz"),
    (["--data", "single.npz"], "y_train holds a single class (3)"),
    (["--epochs", "0"], "--epochs must be greater than 0, got 0"),
])
def test_bad_input_gets_one_sentence_and_leaves_nothing(tmp_path, args, message):
    fake_mnist(tmp_path / "single.npz", y_train=np.full(50, 3, np.uint8))
    status, out, err = run_in_process(NAME, ["--quick", *args, "--logdir", "logs"], tmp_path)
    (line,) = err.strip().splitlines()
    assert status == 2 and line.startswith(f"{NAME}.py: error: ") and message in line
    assert not (tmp_path / "logs").exists()
