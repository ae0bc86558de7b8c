"""The session loop: feed shuffled mini-batches, write summaries, keep the best
checkpoint, then evaluate it on the test windows in the data's own units.

It knows GraphModel's tensors, not which cells or layers made them.

Usage::

    metrics = train_and_evaluate(model, data, config, run_dir)
"""

import dataclasses
import math
import os
import time

import numpy as np

from graphrnn import report
from graphrnn.compat import v1


class TrainingDiverged(ValueError):
    """The training loss stopped being a finite number."""


@dataclasses.dataclass
class History:
    """What happened during fit(): one entry per epoch."""

    train_mse: list = dataclasses.field(default_factory=list)
    validation_mse: list = dataclasses.field(default_factory=list)
    learning_rate: list = dataclasses.field(default_factory=list)
    best_epoch: int = 0
    checkpoint: str = ""
    seconds: float = 0.0


def feed(model, inputs, targets=None, dropout=False):
    """The feed_dict for one batch; dropout=True turns the training switch on."""
    values = {model.predictors: inputs, model.dropout_switch: dropout}
    if targets is not None:
        values[model.target] = targets
    return values


def predict(session, model, inputs, batch_size=2048):
    """Predictions (N, G) with dropout off, in chunks to bound memory."""
    chunks = [session.run(model.prediction, feed(model, inputs[start:start + batch_size]))
              for start in range(0, len(inputs), batch_size)]
    return np.concatenate(chunks, axis=0)


def mean_squared_error(session, model, windows, batch_size=2048):
    """Scaled MSE over all windows, dropout off (the graph's loss, averaged over chunks)."""
    prediction = predict(session, model, windows.inputs, batch_size)
    return float(np.mean((prediction - windows.targets[:, 0, :]) ** 2))


def fit(session, model, data, config, run_dir, progress=print, summary_every=20):
    """Train for config.EPOCHS epochs, saving the epoch with the lowest validation MSE.

    Summaries go to <run_dir>/train (every `summary_every` steps, graph written once)
    and <run_dir>/validation (once per epoch), so TensorBoard shows both curves.
    """
    history = History()
    rng = np.random.default_rng(config.SEED)
    train = data.train
    best = math.inf
    report_every = max(1, config.EPOCHS // 10)
    checkpoint_prefix = os.path.join(run_dir, "checkpoints", "model")
    train_writer = v1.summary.FileWriter(os.path.join(run_dir, "train"), graph=session.graph)
    validation_writer = v1.summary.FileWriter(os.path.join(run_dir, "validation"))
    step = session.run(model.global_step)  # each train_op run adds one
    start = time.perf_counter()
    try:
        for epoch in range(1, config.EPOCHS + 1):
            order = rng.permutation(len(train))
            losses = []
            for first in range(0, len(order), config.BATCH_SIZE):
                batch = order[first:first + config.BATCH_SIZE]
                fetches = [model.train_op, model.loss]
                if step % summary_every == 0:  # summaries see the weights before this step
                    fetches.append(model.summaries)
                values = session.run(
                    fetches, feed(model, train.inputs[batch], train.targets[batch], dropout=True))
                losses.append(values[1])
                if len(values) == 3:
                    train_writer.add_summary(values[2], step)
                step += 1
            train_mse = float(np.mean(losses))
            if not math.isfinite(train_mse):
                raise TrainingDiverged(
                    f"training diverged in epoch {epoch} (loss {train_mse}); "
                    f"try a smaller INITIAL_LEARNING_RATE than {config.INITIAL_LEARNING_RATE}")

            validation = data.validation
            validation_mse = mean_squared_error(session, model, validation)
            rate = session.run(model.learning_rate)
            validation_writer.add_summary(
                session.run(model.summaries, feed(model, validation.inputs, validation.targets)),
                step)
            history.train_mse.append(train_mse)
            history.validation_mse.append(validation_mse)
            history.learning_rate.append(float(rate))
            if validation_mse < best:
                best = validation_mse
                history.best_epoch = epoch
                history.checkpoint = model.saver.save(session, checkpoint_prefix, global_step=step)
            if epoch == 1 or epoch % report_every == 0 or epoch == config.EPOCHS:
                progress(f"epoch {epoch:3d}/{config.EPOCHS}  train MSE {train_mse:.5f}  "
                         f"validation MSE {validation_mse:.5f}  learning rate {rate:.4g}  "
                         f"{time.perf_counter() - start:5.1f}s")
    finally:
        train_writer.close()
        validation_writer.close()
    history.seconds = time.perf_counter() - start
    return history


def evaluate(session, model, data, history):
    """Restore the best checkpoint; test metrics in data units next to persistence."""
    model.saver.restore(session, history.checkpoint)
    test = data.test
    predicted = data.to_units(predict(session, model, test.inputs))  # (N, G)
    actual = data.to_units(test.targets[:, 0, :])
    persistence = data.to_units(test.persistence[:, 0, :])
    model_scores = report.regression_metrics(actual, predicted)
    baseline = report.regression_metrics(actual, persistence)
    metrics = {f"test_{name}": value for name, value in model_scores.items()}
    metrics.update(persistence_rmse=baseline["rmse"], persistence_mae=baseline["mae"],
                   test_windows=len(test))
    return metrics, actual, predicted


def train_and_evaluate(model, data, config, run_dir, progress=print):
    """fit + evaluate + write metrics.json, predictions.csv and forecast.png into run_dir."""
    with v1.Session(graph=model.graph) as session:
        session.run(model.initializer)
        history = fit(session, model, data, config, run_dir, progress)
        metrics, actual, predicted = evaluate(session, model, data, history)
    metrics.update(
        model=model.name, target=data.target_columns[0], epochs=config.EPOCHS, best_epoch=history.best_epoch,
        best_validation_mse=min(history.validation_mse), seed=config.SEED,
        train_seconds=history.seconds, checkpoint=os.path.relpath(history.checkpoint, run_dir),
        history={"train_mse": history.train_mse, "validation_mse": history.validation_mse,
                 "learning_rate": history.learning_rate},
        config=config.to_dict())
    files = report.run_files(run_dir)
    timestamps = data.test.timestamps[:, 0]
    report.write_predictions(files["predictions.csv"], timestamps, actual, predicted)
    report.plot_forecast(files["forecast.png"], timestamps, actual, predicted,
                         f"{model.name}, {data.target_columns[0]}")
    report.write_json(files["metrics.json"], metrics)
    return metrics
