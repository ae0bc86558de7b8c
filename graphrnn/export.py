"""Carry a trained graph model over to Keras 3: `to_keras` builds the equivalent native
Keras 3 model (built-in layers only) holding the session's weights, and `export_run`
saves a run's best checkpoint as `model.keras`.

Usage::

    weights = graphrnn.eager.session_weights(session)  # a trained 04_01 session
    model = to_keras(script.TUTORIAL, config, weights, n_features=28, n_targets=1)
    model.predict(windows)  # what the session predicts with dropout off

The saved file loads with `keras.models.load_model("model.keras")` in a process that
never imported graphrnn, and takes the same scaled windows the session took.

The Keras layers mirror the graph as graphrnn.keras_twins lays out.
"""

import os

from graphrnn import eager, keras_twins  # keras_twins sets up TensorFlow, then Keras 3
from graphrnn.compat import v1

import keras  # noqa: E402  (Keras 3, after graphrnn.compat has set up TensorFlow)

MODEL_FILE = "model.keras"
# the largest difference allowed between the Keras 3 model's predictions and the
# session's: float32 round-off of one computation done by two implementations
TOLERANCE = 1e-5


class NotExportable(ValueError):
    """The model has no Keras 3 equivalent made of built-in layers."""


class ExportMismatch(RuntimeError):
    """The Keras 3 model does not predict what the graph predicts: nothing was written."""


def check_exportable(tutorial):
    if tutorial.variable_length:
        raise NotExportable(
            f"{tutorial.name} cannot be exported: its sequence_length input has no built-in "
            "Keras 3 counterpart (a Masking layer would also hide real zeros)")


def stack_of(tutorial, config, n_features, n_targets):
    """The keras_twins.Stack of a chapter 4 or 05_01 tutorial's graph."""
    check_exportable(tutorial)
    if tutorial.every_step:
        head = "sequence"  # 05_01: the dense reshape trick
    else:
        head = "last_state" if tutorial.regularised else "states"  # 04_03: rnn_state[-1]
    frobenius = ((config.RNN_LAYERS[-1]["units"], config.REGULARISATION_SCALE)
                 if tutorial.regularised else None)
    return keras_twins.Stack("gru", config.RNN_LAYERS, config.INPUT_SEQUENCE_LENGTH,
                             n_features, n_targets, head=head,
                             cell_dropout=tutorial.cell_dropout, frobenius=frobenius,
                             dropout_rate=config.DROPOUT_RATE)


def to_keras(tutorial, config, weights, n_features, n_targets):
    """A Keras 3 model computing what the tutorial's graph computes, with its weights.

    Args:
      tutorial: the graph_holder.Tutorial of 04_01, 04_02, 04_03 or 05_01.
      weights: eager.session_weights(session) of the trained graph model.
    Returns:
      keras.Model: (B, T, F) scaled windows -> (B, G), or (B, T, G) for 05_01.
    """
    return keras_twins.keras_twin(stack_of(tutorial, config, n_features, n_targets), weights,
                                  name=tutorial.name)


def export_run(model, config, run_dir, checkpoint, check_inputs, convert=None):
    """Save the checkpoint's weights as <run_dir>/model.keras, only once proven: the Keras 3
    model, and then the file loaded back, must predict what the session predicts on
    check_inputs (N, T, F) within TOLERANCE.

    Returns the largest absolute difference of the loaded file's predictions.
    Raises ExportMismatch above TOLERANCE, with nothing written. `convert` stands in for
    to_keras (the tests hand it a broken one).
    """
    with model.graph.as_default():
        saver = v1.train.Saver(name="export_saver")
    with model.new_session() as session:
        saver.restore(session, os.path.join(run_dir, checkpoint))
        weights = eager.session_weights(session)
        expected = session.run(model.prediction, {model.predictors: check_inputs})
    keras_model = (convert or to_keras)(model.tutorial, config, weights, check_inputs.shape[2],
                                        int(model.prediction.shape[-1]))

    def mismatch(what, difference):
        return ExportMismatch(
            f"{what} differs from the session's predictions by up to {difference:.2g} on "
            f"the {len(check_inputs)} test windows (allowed: {TOLERANCE:g}), so {MODEL_FILE} "
            "was not written")
    return save_checked(keras_model, os.path.join(run_dir, MODEL_FILE), check_inputs,
                        expected, mismatch, shown_as=MODEL_FILE)


def save_checked(keras_model, path, inputs, expected, mismatch, shown_as=None):
    """Check keras_model(inputs) against `expected`, save it to `path` through a partial
    file, check the file as loaded back, then move it into place; return the loaded
    model's largest difference. Above TOLERANCE (NaN too) it raises mismatch(what,
    difference), and nothing is left at path; messages name the file `shown_as` (default:
    path). --export and graphrnn-tf1 --to-keras both write their .keras files through
    here."""
    def checked(model, what):
        # a direct call, not predict(): predict's tf.data pipeline prints C++ warnings
        predicted = keras.ops.convert_to_numpy(model(inputs, training=False))
        difference = float(abs(predicted - expected).max())
        if not difference <= TOLERANCE:
            raise mismatch(what, difference)
        return difference

    checked(keras_model, "the Keras 3 model")
    partial = str(path) + ".partial.keras"
    try:
        keras_model.save(partial)
        difference = checked(keras.models.load_model(partial),
                             f"{shown_as or path} loaded back")
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return difference
