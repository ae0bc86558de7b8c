"""report: predictions.csv, the one writer of every run's, and the plots for files and cards."""

import io
import struct

import numpy as np
import pandas as pd
import pytest

from graphrnn import report


def test_predictions_csv_keeps_text_with_commas_and_four_decimals(tmp_path):
    path = str(tmp_path / "predictions.csv")
    product = "Credit reporting, credit repair services, or other personal consumer reports"
    report.write_predictions(path, {"row": np.array([3, 7]), "product": [product, "Mortgage"],
                                    "predicted": np.array([1.234567, 2.0])})
    table = pd.read_csv(path)
    assert list(table.columns) == ["row", "product", "predicted"]
    assert table["product"].tolist() == [product, "Mortgage"]
    assert table["predicted"].tolist() == [1.2346, 2.0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["predictions.csv"]  # no .tmp left


def test_forecast_columns_name_windows_and_steps():
    columns = report.forecast_columns(None, np.ones((2, 3)), np.zeros((2, 3)))
    assert list(columns) == ["window", "step", "actual", "predicted"]
    assert columns["window"].tolist() == [0, 0, 0, 1, 1, 1]
    assert columns["step"].tolist() == [1, 2, 3, 1, 2, 3]


def png_size(png):
    """(width, height) from a PNG's header."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_card_images_are_drawn_for_tensorboards_card_width(tmp_path):
    # TensorBoard shows an image about 450 px wide: the card version is 960 x 440 px with
    # 16-pt text (22 px), so that it reads at 10 px there; the file keeps its own size
    times = pd.date_range("2016-05-20", periods=400, freq="10min").to_numpy()
    actual = np.linspace(50.0, 300.0, 400)[:, None]
    baselines = {"persistence": actual + 5, "linear": actual - 5}
    card = io.BytesIO()
    report.plot_forecast(card, times[:, None], actual, actual + 1, baselines, "t", card=True)
    assert png_size(card.getvalue()) == (960, 440)
    report.plot_forecast(tmp_path / "forecast.png", times[:, None], actual, actual + 1,
                         baselines, "t")
    assert png_size((tmp_path / "forecast.png").read_bytes()) == (990, 630)  # 11 x 7 in
    windows = np.tile(times[:24], (3, 1))  # several output steps: one window's sequence
    card = io.BytesIO()
    report.plot_forecast(card, windows, np.ones((3, 24)), np.ones((3, 24)), {}, "t", card=True)
    assert png_size(card.getvalue()) == (960, 440)
    card = io.BytesIO()
    matrix = np.eye(3, dtype=int) * 5
    report.plot_confusion(card, {"graph": matrix, "Keras 3": matrix}, "t", card=True)
    assert png_size(card.getvalue()) == (960, 440)


def test_classifier_metrics_on_a_small_example():
    labels, predicted = np.array([0, 0, 1, 2, 2]), np.array([0, 1, 1, 2, 0])
    table = report.class_table(["a", "b", "c"], labels, predicted)
    assert table["a"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "count": 2}
    assert table["b"] == {"precision": 0.5, "recall": 1.0, "f1": pytest.approx(2 / 3),
                          "count": 1}
    assert table["c"]["precision"] == 1.0 and table["c"]["recall"] == 0.5
    text = report.class_table_text(["a", "b", "c"], {"m": table}, {"m": "model"})
    assert text.splitlines()[1].split() == ["a", "2", "0.50", "/", "0.50", "/", "0.50"]
    probabilities = np.array([[0.5, 0.5], [0.1, 0.9]])
    assert report.cross_entropy(np.array([0, 1]), probabilities) == pytest.approx(
        -(np.log(0.5) + np.log(0.9)) / 2)
    assert report.majority_warning({"graph": 0.9, "keras3": 0.5, "majority_class": 0.5,
                                    "bag_of_words": 0.8}, 100) is None
