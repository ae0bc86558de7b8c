"""Metrics in the data's own units and the files a run leaves: metrics.json,
predictions.csv, forecast.png; a classifier's cross-entropy and per-class table. No
TensorFlow here."""

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


def mape(actual, predicted):
    """Mean absolute percentage error, in %, over the points whose actual value is not 0."""
    actual = np.asarray(actual, np.float64).ravel()
    error = np.asarray(predicted, np.float64).ravel() - actual
    kept = actual != 0
    return float(100.0 * np.mean(np.abs(error[kept] / actual[kept])))


def rmse_per_step(actual, predicted):
    """[RMSE of output step 1, ..., step T] of two (N, T) arrays."""
    error = np.asarray(predicted, np.float64) - np.asarray(actual, np.float64)
    return [float(value) for value in np.sqrt(np.mean(error**2, axis=0))]


METRICS_FILE = "metrics.json"


def write_json(path, values):
    with open(path, "w") as handle:
        json.dump(values, handle, indent=2, sort_keys=True)
        handle.write("\n")


def write_metrics(run_dir, values):
    """The one writer of a run's metrics.json: written whole, then moved into place, so
    a reader never sees half a file."""
    path = os.path.join(run_dir, METRICS_FILE)
    write_json(path + ".tmp", values)
    os.replace(path + ".tmp", path)


def write_predictions(path, columns):
    """The one writer of a run's predictions.csv: {column name: values} (all of one
    length), floats to four decimals, text quoted where it needs to be (a product name
    with commas), written whole and then moved into place."""
    pd.DataFrame(columns).to_csv(path + ".tmp", index=False, float_format="%.4f")
    os.replace(path + ".tmp", path)


def forecast_columns(timestamps, actual, predicted):
    """A forecast's predictions.csv columns, one row per test window and output step:
    timestamp, actual, predicted for one-step windows; window and step (1-based) in front
    for several steps; window, actual, predicted for records, which have no clock. All
    arrays are (N, T_out).
    """
    actual, predicted = np.asarray(actual), np.asarray(predicted)
    count, steps = actual.shape
    columns = {}
    if steps > 1 or timestamps is None:
        columns["window"] = np.repeat(np.arange(count), steps)
    if steps > 1:
        columns["step"] = np.tile(np.arange(1, steps + 1), count)
    if timestamps is not None:
        columns["timestamp"] = pd.to_datetime(np.asarray(timestamps).ravel())
    columns.update(actual=actual.ravel(), predicted=predicted.ravel())
    return columns


def pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only, no screen needed
    import matplotlib.pyplot as plt

    return plt


BASELINE_STYLES = {"persistence": "tab:orange", "linear": "tab:green"}
BASELINE_LABELS = {"linear": "linear baseline (ridge)"}


# TensorBoard draws an image in a card about 450 px wide (its grid's columns are at least
# 335 px; the legacy Images tab's cards 350 px): a card's image is 960 x 440 px, its text
# 16 pt at 100 dpi (22 px), so that shrunk to the card it still reads at 10 px or more.
CARD_SIZE, CARD_DPI = (9.6, 4.4), 100
CARD_STYLE = {"font.size": 16, "legend.fontsize": 14, "axes.titlesize": 16}


def plot_forecast(path, timestamps, actual, predicted, baselines, title, unit="Wh",
                  zoom_steps=288, card=False):
    """forecast.png, for whatever the test windows hold (arrays (N, T_out), data units;
    baselines maps a name, "persistence" or "linear", to such an array):

    one output step with timestamps: the whole test period and its last two days (288
    readings) up close; several output steps: one test window's predicted sequence
    against the actual one; no timestamps (records): predicted against actual.
    card=True: the image for TensorBoard's card (CARD_SIZE, large text; of a series only
    the close-up). path: a file name or a binary file object.
    """
    actual, predicted = np.asarray(actual), np.asarray(predicted)
    with pyplot().rc_context(CARD_STYLE if card else {}):
        if timestamps is None:
            _plot_scatter(path, actual[:, 0], predicted[:, 0],
                          {name: values[:, 0] for name, values in baselines.items()}, title,
                          unit, card)
        elif actual.shape[1] > 1:
            middle = len(actual) // 2
            _plot_sequence(path, timestamps[middle], actual[middle], predicted[middle],
                           {name: values[middle] for name, values in baselines.items()},
                           f"{title}: test window {middle}", unit, card)
        else:
            _plot_series(path, timestamps[:, 0], actual[:, 0], predicted[:, 0],
                         {name: values[:, 0] for name, values in baselines.items()}, title,
                         unit, zoom_steps, card)


def _plot_series(path, timestamps, actual, predicted, baselines, title, unit, zoom_steps,
                 card):
    plt = pyplot()
    times = pd.to_datetime(timestamps)
    close_up = slice(-zoom_steps, None)
    if card:  # the last two days only, lines twice as thick
        figure, close = plt.subplots(figsize=CARD_SIZE)
        panels, width = [(close, close_up)], 2.0
        close.set_title("the last two days of the test period")  # the card names the run
    else:
        figure, (whole, close) = plt.subplots(2, 1, figsize=(11, 7))
        panels, width = [(whole, slice(None)), (close, close_up)], 1.0
        whole.set_title(f"{title}: test period")
        close.set_title("last two days of the test period")
    for axes, part in panels:
        axes.plot(times[part], actual[part], color="0.55", linewidth=0.8 * width, label="actual")
        for name, values in baselines.items():
            axes.plot(times[part], values[part], color=BASELINE_STYLES.get(name),
                      linestyle="--", linewidth=0.6 * width, alpha=0.8,
                      label=BASELINE_LABELS.get(name, name))
        axes.plot(times[part], predicted[part], color="tab:blue", linewidth=0.9 * width,
                  label="predicted")
        _time_axis(axes, unit, card)
    panels[0][0].legend(loc="upper right")
    save_figure(plt, figure, path, card)


def _plot_sequence(path, timestamps, actual, predicted, baselines, title, unit, card):
    plt = pyplot()
    times = pd.to_datetime(timestamps)
    figure, axes = plt.subplots(figsize=CARD_SIZE if card else (10, 4.5))
    axes.plot(times, actual, color="0.4", marker="o", markersize=3, label="actual")
    axes.plot(times, predicted, color="tab:blue", marker="o", markersize=3, label="predicted")
    for name, values in baselines.items():
        axes.plot(times, values, color=BASELINE_STYLES.get(name), linestyle="--",
                  linewidth=0.9, label=BASELINE_LABELS.get(name, name))
    axes.set_title(title)
    _time_axis(axes, unit, card)
    axes.legend(loc="upper right")
    save_figure(plt, figure, path, card)


def _time_axis(axes, unit, card=False):
    """Dates with their year on x (a zoomed axis would otherwise read "30 23:00"), the
    unit on y; on a card, at most five dates, so that the large ones do not overlap."""
    import matplotlib.dates as mdates

    if card:  # hours at a round step that gives at most five ticks
        low, high = axes.get_xlim()  # in days
        step = next((hours for hours in (1, 2, 3, 4, 6, 12) if (high - low) * 24 / hours <= 4),
                    None)
        axes.xaxis.set_major_locator(mdates.HourLocator(interval=step) if step
                                     else mdates.AutoDateLocator(minticks=3, maxticks=7))
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d\n%H:%M"))
    axes.set_xlabel("time of the target reading")
    axes.set_ylabel(unit)
    axes.grid(alpha=0.3)


def _plot_scatter(path, actual, predicted, baselines, title, unit, card):
    plt = pyplot()
    figure, axes = plt.subplots(figsize=CARD_SIZE if card else (6, 6))
    for name, values in baselines.items():
        axes.scatter(actual, values, s=6, color=BASELINE_STYLES.get(name), alpha=0.4,
                     label=BASELINE_LABELS.get(name, name))
    axes.scatter(actual, predicted, s=6, color="tab:blue", alpha=0.6, label="predicted")
    low, high = float(np.min(actual)), float(np.max(actual))
    axes.plot([low, high], [low, high], color="0.3", linewidth=0.8)
    axes.set_xlabel(f"actual {unit}".strip())
    axes.set_ylabel(f"predicted {unit}".strip())
    axes.set_title(f"{title}: test records")
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left")
    save_figure(plt, figure, path, card)


def confusion_matrix(labels, predicted, classes):
    """(classes, classes) counts: row = the true class, column = the predicted one."""
    matrix = np.zeros((classes, classes), np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def plot_confusion(path, matrices, title, card=False):
    """confusion.png: one panel per {name: confusion matrix}, counts written in the cells.
    card=True: the image for TensorBoard's card (CARD_SIZE, large text), no suptitle."""
    plt = pyplot()
    with plt.rc_context(CARD_STYLE if card else {}):
        size = CARD_SIZE if card else (5.2 * len(matrices), 4.8)
        figure, axes_row = plt.subplots(1, len(matrices), figsize=size)
        for axes, (name, matrix) in zip(np.atleast_1d(axes_row), matrices.items()):
            axes.imshow(matrix, cmap="Blues")
            for (row, column), count in np.ndenumerate(matrix):
                if count:
                    axes.text(column, row, str(count), ha="center", va="center",
                              fontsize=12 if card else 7,
                              color="white" if count > matrix.max() / 2 else "black")
            axes.set(title=f"{name}: accuracy {np.trace(matrix) / matrix.sum():.3f}",
                     xlabel="predicted class", ylabel="true class",
                     xticks=range(len(matrix)), yticks=range(len(matrix)))
        if not card:
            figure.suptitle(title)
        save_figure(plt, figure, path, card)


def save_figure(plt, figure, path, card=False):
    """Write the figure as PNG (to a file name or a binary file object) and close it."""
    figure.tight_layout()
    figure.savefig(path, dpi=CARD_DPI if card else 90, format="png")
    plt.close(figure)


def cross_entropy(labels, probabilities):
    """The mean -log probability of each true class (clipped at 1e-12)."""
    chosen = probabilities[np.arange(len(labels)), labels]
    return float(-np.mean(np.log(np.maximum(chosen, 1e-12))))


def class_table(classes, labels, predicted, count_name="count"):
    """{class name: {precision, recall, f1, <count_name>}} of one model's predictions."""
    table = {}
    for index, name in enumerate(classes):
        true_positive = np.sum((predicted == index) & (labels == index))
        precision = true_positive / max(1, np.sum(predicted == index))
        recall = true_positive / max(1, np.sum(labels == index))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[name] = {"precision": float(precision), "recall": float(recall), "f1": float(f1),
                       count_name: int(np.sum(labels == index))}
    return table


def class_table_text(classes, tables, titles, names=("class", "count", "count")):
    """Precision / recall / F1 of each class, a column per model ({key: title}); names:
    the class column's title, class_table's count_name and the count column's title."""
    class_title, count_name, count_title = names
    header = f"{class_title:20s} {count_title:>5s}   " + "   ".join(
        f"{title + ' P / R / F1':20s}" for title in titles.values())
    rows = [header]
    for name in classes:
        cells = [tables[key][name] for key in titles]
        rows.append(f"{name:20.20s} {cells[0][count_name]:5d}   " + "   ".join(
            f"{c['precision']:.2f} / {c['recall']:.2f} / {c['f1']:.2f}  " for c in cells))
    return "\n".join(rows)


def majority_warning(accuracy, training_texts):
    """One sentence when neither network ("graph", "keras3") beats the majority class
    by 5 points, else None."""
    best = max(accuracy["graph"], accuracy["keras3"])
    if best >= accuracy["majority_class"] + 0.05:
        return None
    return (f"neither network beats the majority class by 5 points (best {best:.4f}, "
            f"majority {accuracy['majority_class']:.4f}): {training_texts} training texts "
            f"are likely too few for an LSTM that learns its word vectors from scratch; try "
            f"more texts or more epochs (--epochs), and meanwhile trust the bag-of-words "
            f"model ({accuracy['bag_of_words']:.4f})")


def run_files(run_dir):
    """The paths of the files a finished run holds, by name."""
    return {name: os.path.join(run_dir, name)
            for name in (METRICS_FILE, "predictions.csv", "forecast.png")}
