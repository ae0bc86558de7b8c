"""report.write_predictions, the one writer of every run's predictions.csv."""

import numpy as np
import pandas as pd

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
