"""The names and descriptions of everything graphrnn writes for TensorBoard.

TensorBoard's Time Series sorts its tag groups (a tag's part before the first "/") by
name, digits before letters, and opens the first two. The groups are numbered so that
the answer comes first:

  1_error_Wh / 1_accuracy   the error in the data's unit (or the accuracy): train,
                            validation, test and the baselines, one chart; the forecast
                            or confusion image
  2_loss...                 what the optimiser minimises, on the values the network reads
  3_training                the learning rate
  biases, gradients, weights  the histograms, under short names (layer_0/gates/kernel)

Every tag is written with its description (the unit, what the x axis counts). No
TensorFlow here: names and text only.

Usage::

    tag, description = forecast(unit="Wh", scaled=True)["rmse"]  # "1_error_Wh/RMSE", ...
    histogram_tag("recurrent_layer/rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel")
    # -> "weights/layer_0/gates/kernel"
"""

ACCURACY = "1_accuracy"
TRAINING = "3_training"
STEPS = "The x axis counts training steps (batches)."

# scope names of tf.compat.v1's cells and wrappers, left out of the histograms' short names
CELL_SCOPES = {"rnn", "multi_rnn_cell", "gru_cell", "lstm_cell", "basic_rnn_cell",
               "basic_lstm_cell", "dropout_wrapper", "recurrent_layer"}


def error_group(unit):
    """The first group of a forecast: `1_error_Wh` (or `1_error_data_units`)."""
    return f"1_error_{unit or 'data_units'}"


def loss_group(scaled):
    """The loss's group; its name says when the loss is on data scaled to [0, 1]."""
    return "2_loss_on_scaled_data" if scaled else "2_loss"


def forecast(unit, scaled):
    """{key: (tag, description)} of a forecasting run (04_xx, 05_xx).

    Runs: train and validation (curves), test (the network on the test windows, at the
    last step), and one run per baseline (persistence, linear, linear_on_own_lags)."""
    error, loss = error_group(unit), loss_group(scaled)
    in_unit = f"in {unit}" if unit else "in the data's own units"
    on = ("on data scaled to [0, 1] by the training part's minimum and maximum (no unit)"
          if scaled else f"{in_unit}, squared")
    return {
        "rmse": (f"{error}/RMSE",
                 f"Root mean squared error {in_unit} (lower is better). Runs train and "
                 "validation: after each epoch; test: the network on the test windows, at "
                 "the end; persistence, linear and linear_on_own_lags: the baselines on "
                 f"the same test windows, drawn as flat lines. {STEPS}"),
        "mae": (f"{error}/test_MAE",
                f"Mean absolute error {in_unit} on the test windows: the network (run "
                "test) and the baselines (runs persistence, linear, linear_on_own_lags)."),
        "r2": (f"{error}/test_R2",
               "R² of the network's test predictions: no unit; 1 is perfect, 0 is no "
               "better than predicting the test windows' mean."),
        "forecast": (f"{error}/forecast",
                     f"The test windows: actual values, the network's predictions and the "
                     f"baselines, {in_unit}."),
        "mse": (f"{loss}/MSE",
                f"The loss the optimiser minimises: mean squared error {on}. Run train: "
                "the training batch's, every 20 steps; run validation: all validation "
                f"windows, after each epoch. {error}/RMSE has the same error {in_unit}. "
                f"{STEPS}"),
        "scaled_rmse": (f"{loss}/RMSE",
                        f"The square root of MSE, {on}. {STEPS}"),
        "regularisation": (f"{loss}/regularisation_loss",
                           "04_03's L2 term, REGULARISATION_SCALE * sum(w²) / 2 over the "
                           "Frobenius layer's kernel, which the loss adds to the MSE (no "
                           f"unit). {STEPS}"),
        "learning_rate": (f"{TRAINING}/learning_rate",
                          "The optimiser's learning rate: INITIAL_LEARNING_RATE times "
                          "LEARNING_RATE_DECAY_RATE once every LEARNING_RATE_DECAY_STEPS "
                          f"steps (exponential_decay, staircase); no unit. {STEPS}"),
    }


def test_errors(unit):
    """{"rmse", "mse", "mae", "mape": (tag, description)}: the test errors of a lesson's
    models (06_02, 07_01, 08_xx), each in a run of its own, the baselines' drawn as flat
    lines."""
    error = error_group(unit)
    in_unit = f"in {unit}" if unit else "in the data's own units"
    where = ("on the test points, at the end of training; a baseline's run (persistence, "
             f"linear) draws it as a flat line. {STEPS}")
    return {"rmse": (f"{error}/test_RMSE", f"Root mean squared error {in_unit} {where}"),
            "mse": (f"{error}/test_MSE", f"Mean squared error {in_unit}, squared, {where}"),
            "mae": (f"{error}/test_MAE", f"Mean absolute error {in_unit} {where}"),
            "mape": (f"{error}/test_MAPE", f"Mean absolute percentage error (%) {where}")}


def classifier():
    """{key: (tag, description)} of a classifier trained side by side (09_xx).

    Runs: graph and keras3 (curves, then the test accuracy at their last step), and one
    run per baseline (bag_of_words, majority_class) with its test accuracy."""
    return {
        "validation_accuracy": (f"{ACCURACY}/validation",
                                "The share of the validation examples classified right "
                                f"(0 to 1), after each epoch. {STEPS}"),
        "test_accuracy": (f"{ACCURACY}/test",
                          "The share of the test examples classified right (0 to 1), at "
                          "the end of training; the baselines' runs (majority_class, "
                          f"bag_of_words) as flat lines. {STEPS}"),
        "confusion_matrix": (f"{ACCURACY}/confusion_matrix",
                             "How often each true class (rows) was predicted as each class "
                             "(columns), on the test examples, both sides."),
        "loss": ("2_loss/training_cross_entropy",
                 "The loss the optimiser minimises, the mean cross-entropy (no unit) of the "
                 f"epoch's training batches, dropout on. {STEPS}"),
        "validation_loss": ("2_loss/validation_cross_entropy",
                            "The mean cross-entropy (no unit) on the validation examples, "
                            f"after each epoch; early stopping watches it. {STEPS}"),
    }


def histogram_tag(variable, gradient=False):
    """A variable's histogram tag, short: `weights/layer_0/gates/kernel`,
    `biases/layer_0/gates/bias`, `gradients/...`; cell and wrapper scopes are left out,
    `cell_N` reads `layer_N`."""
    parts = [("layer_" + part[5:] if part.startswith("cell_") and part[5:].isdigit() else part)
             for part in variable.split("/") if part not in CELL_SCOPES]
    kind = "gradients" if gradient else "biases" if parts[-1] == "bias" else "weights"
    return "/".join([kind] + parts)


def histogram_description(variable, gradient=False):
    """What a histogram shows, with the variable's full name."""
    if gradient:
        return (f"The gradient of the loss with respect to {variable}, as the optimiser "
                "applied it at the epoch's last summary step (one training batch, dropout "
                "on), after the first epoch, every fifth of the run and the last. " + STEPS)
    return (f"The values of {variable} at the end of the epoch, after the first epoch, "
            "every fifth of the run and the last. " + STEPS)
