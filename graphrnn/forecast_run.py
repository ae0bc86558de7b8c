"""A forecast run from training to its files: `train_and_evaluate` trains with
graphrnn.train, scores the best checkpoint on the test windows in the data's own units
beside the baselines (persistence; a ridge on the same windows; and, where the target is
an input, a ridge on the target's own readings and the calendar), and writes what a
finished run holds: metrics.json, predictions.csv, forecast.png and the test summaries.

Usage::

    metrics = train_and_evaluate(model, data, config, run_dir)
    metrics = train_and_evaluate(model, data, config, run_dir, history=load_state(run_dir)[0])
"""

import io
import os

from graphrnn import baseline, board, energy, report
from graphrnn.train import (Checkpoints, History, TrainingDiverged, TrainingInterrupted, fit,
                            predict)


def units(data):
    """metrics.json's `units` entry: what each number is measured in."""
    unit = data.unit or "the data's own units"
    scaled = ("scaled to [0, 1] by the training part's minimum and maximum" if data.scaled
              else "the data's own units, squared")
    return {"test_rmse": unit, "test_mae": unit,
            "test_mse": f"{data.unit}^2" if data.unit else "the data's own units, squared",
            "persistence_rmse": unit, "linear_rmse": unit, "lag_linear_rmse": unit,
            "test_r2": "none",
            "history.train_mse": scaled, "history.validation_mse": scaled,
            "history.train_rmse": unit, "history.validation_rmse": unit,
            "train_seconds": "seconds"}


def evaluate(session, model, data, history, checkpoints):
    """Restore the best checkpoint; test metrics in data units next to the baselines:
    persistence, a linear ridge regression on the same windows, and (metrics only,
    `lag_linear_*`) a ridge on the target's own readings in the window and the calendar
    columns at its last step (graphrnn.baseline).

    Returns:
      (metrics, actual, predicted, baselines): the arrays are (N, T_out) in data units;
      baselines maps "persistence" and "linear" to such arrays. For several output steps
      the metrics also hold per-step RMSE lists.
    """
    checkpoints.restore(session, history.best_checkpoint)
    test = data.test
    predicted = predict(session, model, test.inputs, lengths=test.lengths)
    predicted = data.to_units(predicted.reshape(test.targets.shape)[..., 0])  # (N, T_out)
    actual = data.to_units(test.targets[..., 0])
    ridge, linear = fit_ridge_on(data, lambda part: part.inputs)
    baselines = {"persistence": data.to_units(test.persistence[..., 0]), "linear": linear}
    metrics = {f"test_{name}": value
               for name, value in report.regression_metrics(actual, predicted).items()}
    for name, values in baselines.items():
        scores = report.regression_metrics(actual, values)
        metrics.update({f"{name}_rmse": scores["rmse"], f"{name}_mae": scores["mae"]})
    metrics.update(linear_alpha=ridge.alpha, test_windows=len(test))
    target = data.target_columns[0]
    if target in data.features and len(data.features) > 1:
        # a serious linear model: the target's lags + calendar (nothing new where the
        # target is the only input, as in 05_02)
        lag_ridge, lag_linear = fit_ridge_on(data, lambda part: baseline.own_lags(
            part.inputs, data.features, target, energy.CALENDAR))  # (N, T + C)
        scores = report.regression_metrics(actual, lag_linear)
        metrics.update(lag_linear_rmse=scores["rmse"], lag_linear_mae=scores["mae"],
                       lag_linear_alpha=lag_ridge.alpha)
    if actual.shape[1] > 1:  # one RMSE per output step: how the error grows along the window
        metrics["test_rmse_per_step"] = report.rmse_per_step(actual, predicted)
        for name, values in baselines.items():
            metrics[f"{name}_rmse_per_step"] = report.rmse_per_step(actual, values)
    return metrics, actual, predicted, baselines


def fit_ridge_on(data, inputs_of):
    """A ridge on inputs_of(part) of the training windows, its strength chosen on the
    validation ones; returns it and its test predictions (N, T_out) in data units."""
    ridge = baseline.fit_ridge(inputs_of(data.train), data.train.targets,
                               inputs_of(data.validation), data.validation.targets)
    return ridge, data.to_units(ridge.predict(inputs_of(data.test))[..., 0])


def run_summary(model, data, config, history):
    """The metrics.json fields every run has, finished or not."""
    return dict(model=model.name, target=data.target_columns[0], epochs=config.EPOCHS,
                epochs_completed=history.epochs_done, best_epoch=history.best_epoch,
                best_validation_mse=history.best_validation_mse, seed=config.SEED,
                train_seconds=history.seconds, checkpoint=history.best_checkpoint,
                history=history.curves(), config=config.to_dict())


def train_and_evaluate(model, data, config, run_dir, history=None, run_info=None,
                       progress=print):
    """fit + evaluate + write metrics.json, predictions.csv and forecast.png into run_dir.

    With a History from load_state(run_dir), training resumes from its last checkpoint.
    An interrupted or diverged run still gets a metrics.json saying so, then the
    TrainingInterrupted or TrainingDiverged exception goes on to the caller.
    """
    files = report.run_files(run_dir)
    run_info = run_info or {}
    checkpoints = Checkpoints(model, run_dir)  # the savers join the graph before the Session
    with model.new_session() as session:
        if history is None:
            history = History()
            session.run(model.initializer)
        else:
            checkpoints.restore(session, history.last_checkpoint)
        try:
            fit(session, model, data, config, run_dir, checkpoints, history, run_info,
                progress)
        except (TrainingInterrupted, TrainingDiverged) as stop:
            stop.run_dir = run_dir
            status = "interrupted" if isinstance(stop, TrainingInterrupted) else "diverged"
            report.write_metrics(run_dir, {
                "status": status, "message": str(stop), **run_summary(model, data, config, history),
                "last_checkpoint": history.last_checkpoint})
            raise
        metrics, actual, predicted, baselines = evaluate(session, model, data, history,
                                                         checkpoints)
        step = int(session.run(model.global_step))
    metrics.update(status="finished", **run_summary(model, data, config, history),
                   units=units(data))
    timestamps = data.test.timestamps  # (N, T_out), or None for records without a clock
    report.write_predictions(files["predictions.csv"],
                             report.forecast_columns(timestamps, actual, predicted))
    source = (os.path.basename(run_info["data"]) if run_info.get("data")
              else "built-in synthetic data")
    title = (f"{model.name}: {data.target_columns[0]}, {config.OUTPUT_SEQUENCE_STEPS_AHEAD} "
             f"readings ahead ({source})")
    report.plot_forecast(files["forecast.png"], timestamps, actual, predicted, baselines, title,
                         unit=data.unit)
    card = io.BytesIO()  # the same plot drawn for TensorBoard's image card
    report.plot_forecast(card, timestamps, actual, predicted, baselines, title, unit=data.unit,
                         card=True)
    board.write_test_summaries(run_dir, metrics, config, step, data, run_info, card.getvalue())
    report.write_metrics(run_dir, metrics)
    return metrics
