"""Metrics in the data's own units and the files a run leaves: metrics.json,
predictions.csv, forecast.png. No TensorFlow here."""

import json
import os

import numpy as np
import pandas as pd


def regression_metrics(actual, predicted):
    """MSE, RMSE, MAE and R^2 of two same-shaped arrays in data units."""
    actual = np.asarray(actual, np.float64).ravel()
    predicted = np.asarray(predicted, np.float64).ravel()
    error = predicted - actual
    mse = float(np.mean(error**2))
    total = float(np.sum((actual - actual.mean()) ** 2))
    return {
        "mse": mse,
        "rmse": float(np.sqrt(mse)),
        "mae": float(np.mean(np.abs(error))),
        "r2": float(1.0 - np.sum(error**2) / total) if total > 0 else float("nan"),
    }


def write_json(path, values):
    with open(path, "w") as handle:
        json.dump(values, handle, indent=2, sort_keys=True)
        handle.write("\n")


def write_predictions(path, timestamps, actual, predicted):
    """predictions.csv: timestamp, actual, predicted (one row per test window)."""
    pd.DataFrame({
        "timestamp": pd.to_datetime(np.asarray(timestamps).ravel()),
        "actual": np.asarray(actual).ravel(),
        "predicted": np.asarray(predicted).ravel(),
    }).to_csv(path, index=False, float_format="%.4f")


def plot_forecast(path, timestamps, actual, predicted, title, unit="Wh", zoom_steps=288):
    """forecast.png: the whole test period, and its last two days (288 readings) up close."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no screen needed
    import matplotlib.pyplot as plt

    times = pd.to_datetime(np.asarray(timestamps).ravel())
    actual, predicted = np.asarray(actual).ravel(), np.asarray(predicted).ravel()
    figure, (whole, close) = plt.subplots(2, 1, figsize=(11, 7))
    for axes, part in ((whole, slice(None)), (close, slice(-zoom_steps, None))):
        axes.plot(times[part], actual[part], color="0.55", linewidth=0.8, label="actual")
        axes.plot(times[part], predicted[part], color="tab:blue", linewidth=0.9, label="predicted")
        axes.set_ylabel(unit)
        axes.grid(alpha=0.3)
        axes.tick_params(axis="x", labelrotation=20)
    whole.set_title(f"{title}: test period")
    close.set_title("last two days of the test period")
    whole.legend(loc="upper right")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def run_files(run_dir):
    """The paths of the files a finished run holds, by name."""
    return {name: os.path.join(run_dir, name)
            for name in ("metrics.json", "predictions.csv", "forecast.png")}
