"""Carry a trained graph model over to Keras 3: `to_keras` builds the equivalent native
Keras 3 model (built-in layers only) holding the session's weights, and `export_run`
saves a run's best checkpoint as `model.keras`.

Usage::

    weights = graphrnn.eager.session_weights(session)  # a trained 04_01 session
    model = to_keras(script.TUTORIAL, config, weights, n_features=28, n_targets=1)
    model.predict(windows)  # what the session predicts with dropout off

The saved file loads with `keras.models.load_model("model.keras")` in a process that
never imported graphrnn, and takes the same scaled windows the session took.

  TF1 graph (graphrnn)                          Keras 3
  recurrent_layer: GRUCell(H_i) in MultiRNNCell GRU(H_i, reset_after=False,
                                                    return_sequences, return_state)
  DropoutWrapper(output_keep_prob=p)            Dropout(1 - p) on that layer's outputs
  concat(final states)                          Concatenate()
  Frobenius_regularization: the last state ->   Dense(tanh, kernel_regularizer=L2(scale / 2))
    dense tanh, scale * tf.nn.l2_loss(kernel)     on the last GRU's state
  predictions: dropout -> dense `prediction`    Dropout(DROPOUT_RATE) -> Dense
  predictions/output_projection (reshape trick) Dense on every step of a (B, T, H) input
"""

import os

from graphrnn import eager  # importing graphrnn.compat, which sets up TensorFlow

import keras  # noqa: E402  (Keras 3, after graphrnn.compat has set up TensorFlow)

CELLS = "recurrent_layer/rnn/multi_rnn_cell/cell_{}/gru_cell/"
MODEL_FILE = "model.keras"


class NotExportable(ValueError):
    """The model has no Keras 3 equivalent made of built-in layers."""


def check_exportable(tutorial):
    if tutorial.variable_length:
        raise NotExportable(
            f"{tutorial.name} cannot be exported: its sequence_length input has no built-in "
            "Keras 3 counterpart (a Masking layer would also hide real zeros)")


def _weights_under(weights, prefix):
    """{name after prefix: array} of every weight whose scoped name starts with prefix."""
    found = {name[len(prefix):]: value for name, value in weights.items()
             if name.startswith(prefix)}
    if not found:
        raise ValueError(f"no weights under {prefix!r}; the graph has {sorted(weights)}")
    return found


def _dense(weights, prefix):
    """[kernel, bias] of a tf.compat.v1.layers.dense under prefix, for Dense.set_weights."""
    found = _weights_under(weights, prefix)
    return [found["kernel"], found["bias"]]


def to_keras(tutorial, config, weights, n_features, n_targets):
    """A Keras 3 model computing what the tutorial's graph computes, with its weights.

    Args:
      tutorial: the models.Tutorial of 04_01, 04_02, 04_03 or 05_01.
      weights: eager.session_weights(session) of the trained graph model.
    Returns:
      keras.Model: (B, T, F) scaled windows -> (B, G), or (B, T, G) for RNN_SEQ.
    """
    check_exportable(tutorial)
    inputs = keras.Input((config.INPUT_SEQUENCE_LENGTH, n_features), name="predictors")
    sequence, states, recurrent, width = inputs, [], [], n_features
    for index, layer in enumerate(config.RNN_LAYERS):
        gru = keras.layers.GRU(layer["units"], reset_after=False, return_sequences=True,
                               return_state=True, name=f"gru_{index}")
        sequence, state = gru(sequence)  # (B, T, H_i), (B, H_i)
        states.append(state)
        recurrent.append((gru, width))
        width = layer["units"]
        if tutorial.cell_dropout and layer["keep_prob"] < 1.0:  # DropoutWrapper: outputs only
            sequence = keras.layers.Dropout(1.0 - layer["keep_prob"],
                                            name=f"cell_dropout_{index}")(sequence)

    dense_weights = []  # (Keras layer, [kernel, bias])
    if tutorial.every_step:
        dropped = keras.layers.Dropout(config.DROPOUT_RATE, name="dropout")(sequence)
        output_layer = keras.layers.Dense(n_targets, name="output_projection")
        outputs = output_layer(dropped)  # Dense acts on the last axis: every step at once
        dense_weights.append(
            (output_layer, _dense(weights, "predictions/output_projection/dense/")))
    else:
        if tutorial.regularised:  # the last layer's state only, as the tutorial's listing
            state = states[-1]  # (B, H_last)
        elif len(states) > 1:
            state = keras.layers.Concatenate(name="final_states")(states)  # (B, sum H_i)
        else:
            state = states[0]
        if tutorial.regularised:
            # Keras' L2(l2) adds l2 * sum(w^2); the tutorial's scale * l2_loss is half that
            frobenius = keras.layers.Dense(
                config.RNN_LAYERS[-1]["units"], activation="tanh",
                kernel_regularizer=keras.regularizers.L2(config.REGULARISATION_SCALE / 2),
                name="frobenius_regularization")
            state = frobenius(state)
            dense_weights.append(
                (frobenius, _dense(weights, "Frobenius_regularization/dense/")))
        dropped = keras.layers.Dropout(config.DROPOUT_RATE, name="dropout")(state)
        output_layer = keras.layers.Dense(n_targets, name="prediction")
        outputs = output_layer(dropped)
        dense_weights.append((output_layer, _dense(weights, "predictions/prediction/")))
    model = keras.Model(inputs, outputs, name=tutorial.name)

    for index, (gru, n_inputs) in enumerate(recurrent):
        gru.set_weights(eager.tf1_to_keras("gru", _weights_under(weights, CELLS.format(index)),
                                           n_inputs))
    for layer, values in dense_weights:
        layer.set_weights(values)
    return model


def export_run(model, config, run_dir, checkpoint, check_inputs):
    """Save the checkpoint's weights as <run_dir>/model.keras (written atomically).

    Returns the largest absolute difference between the saved model's predictions and
    the session's on check_inputs (N, T, F): the proof that the file holds the model.
    """
    with model.new_session() as session:
        model.best_saver.restore(session, os.path.join(run_dir, checkpoint))
        weights = eager.session_weights(session)
        expected = session.run(model.prediction, {model.predictors: check_inputs})
    keras_model = to_keras(model.tutorial, config, weights, check_inputs.shape[2],
                           int(model.prediction.shape[-1]))
    path = os.path.join(run_dir, MODEL_FILE)
    keras_model.save(path + ".tmp.keras")
    os.replace(path + ".tmp.keras", path)
    loaded = keras.models.load_model(path)
    # a direct call, not predict(): predict's tf.data pipeline prints C++ warnings
    predicted = keras.ops.convert_to_numpy(loaded(check_inputs, training=False))
    return float(abs(predicted - expected).max())
