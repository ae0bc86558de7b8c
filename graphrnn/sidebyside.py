"""The Keras tutorials' models twice: the script's tf.compat.v1 graph (a graph_holder.GraphModel)
and the same model in Keras 3, given the graph's initial weights and trained the same way
(same batches in the same order, Adam with TF1's epsilon), then scored side by side.

Usage::

    with both_sides(net, make_keras_model, seed, run_dir) as (session, model, graph_predict):
        train_both(session, net, keras_train_step(model, rate), x, y, epochs, batch, seed)
    order = epoch_order(len(x), epoch, seed)           # the batches both sides see
    step = keras_train_step(keras_model, learning_rate)  # tf.function: (x, y) -> loss
    keras_predict(keras_model)(x)                        # tf.function: (N, T, F) -> numpy
    print_table({"graph": scores, "Keras 3": scores})
"""

import contextlib
import io
import itertools

import numpy as np

from graphrnn import board, eager, report, tags
from graphrnn.compat import quiet_native_stderr, tf
from graphrnn.train import batches, epoch_order, train_epochs, training_step

import keras  # noqa: E402  (Keras 3; graphrnn.compat has set up TensorFlow first)

TF1_ADAM_EPSILON = 1e-8  # tf.compat.v1.train.AdamOptimizer's; Keras 3's default is 1e-7


@contextlib.contextmanager
def both_sides(net, make_keras_model, seed, run_dir):
    """Both sides from the same start: a Session on net's graph, initialised, and the Keras 3
    model make_keras_model(session's weights), with Keras' random seed set.

    Yields (session, keras model, graph_predict: inputs (N, T, 1) -> (N, 1), dropout off).
    When the block ends without an error, the graph goes to <run_dir>/graph for
    TensorBoard; the Session is closed either way. It is not entered as a `with Session`
    block: that would make the graph the default one, and Keras must run eagerly beside it.
    """
    session = net.new_session()
    try:
        session.run(net.initializer)
        keras.utils.set_random_seed(seed)  # Keras 3's dropout masks follow the seed too
        model = make_keras_model(eager.session_weights(session))

        def graph_predict(inputs):  # the dropout switch keeps its default, off
            return session.run(net.prediction, {net.predictors: inputs})

        yield session, model, graph_predict
        board.writer(f"{run_dir}/graph", graph=net.graph).close()
    finally:
        session.close()


def graph_weights(session, net):
    """(get, set) of the graph's trainable variables in this session: get() -> [arrays],
    set([arrays]) assigns them (for EarlyStopping's keep_best). The assign ops are built
    once, under `checkpoints` beside the savers, where the graph keeps its bookkeeping."""
    variables = net.graph.get_collection(tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES)
    with net.graph.as_default(), tf.compat.v1.name_scope("checkpoints/best_weights/"):
        values = [tf.compat.v1.placeholder(v.dtype.base_dtype, v.shape) for v in variables]
        assign = tf.group(*[v.assign(value) for v, value in zip(variables, values)])

    def set_weights(arrays):
        session.run(assign, dict(zip(values, arrays)))
    return (lambda: session.run(variables)), set_weights


def initial_gap(graph_predict, keras_predict, inputs, keras_inputs=None):
    """Print and return the largest difference between the graph's and the Keras twin's
    predictions (dropout off): near 0 when the weights were converted right. keras_inputs:
    the same examples as the Keras model reads them, when not as the graph does."""
    keras_inputs = inputs if keras_inputs is None else keras_inputs
    gap = float(np.abs(keras_predict(keras_inputs) - graph_predict(inputs)).max())
    print(f"before training, graph and Keras 3 predictions differ by at most {gap:.2g}")
    return gap


def train_both(session, net, keras_step, inputs, targets, epochs, batch_size, seed,
               after_epoch=None, keras_inputs=None):
    """Train the graph (dropout on) and its Keras twin on the same shuffled batches, through
    train.train_epochs (epochs numbered from 1).

    inputs (N, T, F) (09_02: (N,) texts); targets (N, G) for a regression (the graph
    takes them as (B, 1, G)), or (N,) class labels, which both sides take as they are;
    keras_inputs: the same examples as the Keras model reads them (09_02: word ids),
    when not as the graph does. after_epoch(epoch, {"graph": losses, "keras3": losses})
    (a train.Validation, say) may return the sides that stop training (early stopping);
    training ends when both have stopped or after `epochs`."""
    keras_inputs = inputs if keras_inputs is None else keras_inputs
    graph_step = training_step(session, net)  # (inputs, targets, dropout=...)

    def graph_on(batch):
        y = targets[batch]
        return graph_step(inputs[batch], y[:, None] if y.ndim == 2 else y, dropout=True)[1]

    def batches_of(epoch):
        # epoch e shuffles with (seed, e - 1): the order these runs had when they counted
        # epochs from 0, so that their numbers stay
        return batches(epoch_order(len(inputs), epoch - 1, seed), batch_size)

    train_epochs(epochs, batches_of, {
        "graph": graph_on,
        "keras3": lambda batch: keras_step(keras_inputs[batch], targets[batch])}, after_epoch)


def keras_train_step(model, learning_rate, classes=False):
    """A tf.function training step of a Keras 3 model: Adam on the MSE (or, with
    classes=True, on the sparse categorical cross-entropy of class labels (B,) against
    the model's softmax), dropout on; (x, y) -> the batch's loss.

    Traced once for any batch size (the batch dimension is None in its signature): each
    trace of a stacked LSTM's gradient costs seconds."""
    optimizer = keras.optimizers.Adam(learning_rate, epsilon=TF1_ADAM_EPSILON)
    # its moments made now, not in the first call: a tf.function that creates variables
    # is traced twice
    optimizer.build(model.trainable_variables)
    loss_of = (keras.losses.SparseCategoricalCrossentropy() if classes
               else keras.losses.MeanSquaredError())

    signature = _batch_signature(model, targets="classes" if classes else True)

    @tf.function(input_signature=signature)
    def traced_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_of(y, model(x, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    def step(x, y):
        if traced_step.experimental_get_tracing_count():
            return traced_step(x, y)
        with quiet_native_stderr():  # the first call traces: hide C++ notes about Keras 3
            return traced_step(x, y)

    return step


def keras_predict(model):
    """inputs (N, T, F) -> numpy (N, G): the model with dropout off, traced once (an eager
    call of a recurrent Keras 3 layer steps through time in Python)."""
    signature = _batch_signature(model)
    traced = tf.function(lambda x: model(x, training=False), input_signature=signature)
    dtype = signature[0].dtype.as_numpy_dtype
    return lambda inputs: traced(np.asarray(inputs, dtype)).numpy()


def _batch_signature(model, targets=False):
    """[x spec (None, T, F) (or (None, T) int32 word ids)] (and the targets' spec: (None, G)
    values, or (None,) int32 class labels for targets="classes") of a one-input model."""
    specs = [tf.TensorSpec((None,) + tuple(model.input_shape[1:]), model.inputs[0].dtype)]
    if targets == "classes":
        specs.append(tf.TensorSpec((None,), tf.int32))
    elif targets:
        specs.append(tf.TensorSpec((None,) + tuple(model.output_shape[1:]), tf.float32))
    return specs


def finish_regression(run_dir, script, results, baselines, unit, step, settings):
    """TensorBoard's view of a regression trained side by side (08_xx): each side's test
    errors in its run (graph/, keras3/) at the last training step `step`, with an HParams
    row `<script>/<run folder>/<side>` of `settings`; each baseline's in a run of its own,
    as flat lines. results: {side: scores()}; baselines: {run name: scores()}, in `unit`."""
    errors = tags.test_errors(unit)

    def named(row):
        return {errors[key]: row[key] for key in ("mse", "mae", "mape")}

    for side in SIDES:
        board.write_results(f"{run_dir}/{side}", named(results[side]), step,
                            session=(board.trial_name(script, run_dir, side),
                                     {**settings, "SIDE": side}))
    for name, row in baselines.items():
        board.write_results(f"{run_dir}/{name}", named(row), step, flat=True)


def scores(actual, predicted):
    """MSE, MAE and MAPE (%) of two same-shaped arrays."""
    values = report.regression_metrics(actual, predicted)
    return {"mse": values["mse"], "mae": values["mae"], "mape": report.mape(actual, predicted)}


def print_table(rows, unit=""):
    """One line per model: test MSE, MAE, MAPE."""
    print(f"{'test errors' + (f' ({unit})' if unit else ''):24s} {'MSE':>10s} {'MAE':>9s} "
          f"{'MAPE %':>8s}")
    for name, row in rows.items():
        print(f"{name:24s} {row['mse']:10.5f} {row['mae']:9.5f} {row['mape']:8.2f}")


def plot(path, x_axis, actual, predictions, title, xlabel):
    """actual and every model's predictions over the test points."""
    plt = report.pyplot()
    figure, axes = plt.subplots(figsize=(10, 4.5))
    axes.plot(x_axis, actual, color="0.4", linewidth=1.2, label="actual")
    for (name, values), style in zip(predictions.items(), itertools.cycle(("-", "--", ":", "-."))):
        axes.plot(x_axis, values, linestyle=style, linewidth=1.0, label=name)
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper right")
    report.save_figure(plt, figure, path)


def recursive_forecast(predict, window, steps):
    """Forecast `steps` values ahead by feeding each prediction back in.

    Args:
      predict: (1, T, 1) array -> one value (anything np.asarray makes a scalar of).
      window: (T,) the last T known values.
    Returns:
      (steps,) array: prediction k is made from a window whose last k values are
      predictions 0 .. k-1.
    """
    window = np.asarray(window, np.float32).copy()
    forecast = []
    for _ in range(steps):
        value = float(np.asarray(predict(window[None, :, None])).ravel()[0])
        forecast.append(value)
        window = np.append(window[1:], np.float32(value))
    return np.array(forecast)


# ------------------------------------------------------------ the classifiers (09_xx)

SIDES = ("graph", "keras3")  # their TensorBoard runs: <run_dir>/graph, <run_dir>/keras3
SIDE_LABELS = {"graph": "graph", "keras3": "Keras 3"}  # how the epoch lines name them


def side_writers(run_dir):
    """{side: FileWriter on <run_dir>/<side>}: both sides' curves under the same tags."""
    return {side: board.writer(f"{run_dir}/{side}") for side in SIDES}


def finish_classifier(run_dir, writers, labels, predicted, classes, title, step, baselines=None,
                      session=None):
    """Both sides' confusion matrices (returned, by side) drawn into confusion.png and,
    drawn for the card, into the graph run as an image; the writers closed; each side's
    test accuracy as a scalar at the last training step `step`. labels and
    predicted[side]: (N,) class numbers below `classes`. baselines: {name: test
    accuracy}, each written into a run of its own (<run_dir>/<name>) as a flat line, so
    TensorBoard draws it in the sides' chart. session: (script, {hparam: value}): each
    side's run becomes an HParams row named `<script>/<run folder>/<side>`, with its test
    accuracy among its metrics."""
    names = tags.classifier()
    matrices = {side: report.confusion_matrix(labels, predicted[side], classes)
                for side in SIDES}
    path = f"{run_dir}/confusion.png"
    by_label = {"graph": matrices["graph"], "Keras 3": matrices["keras3"]}
    report.plot_confusion(path, by_label, title)
    card = io.BytesIO()  # the same matrices drawn for TensorBoard's image card
    report.plot_confusion(card, by_label, title, card=True)
    tag, description = names["confusion_matrix"]
    writers["graph"].add_summary(board.image(tag, card.getvalue(), description), step)
    for side in SIDES:
        writers[side].close()
        accuracy = np.trace(matrices[side]) / matrices[side].sum()
        row = None if session is None else (board.trial_name(session[0], run_dir, side),
                                            {**session[1], "SIDE": side})
        board.write_results(f"{run_dir}/{side}", {names["test_accuracy"]: accuracy}, step,
                            session=row)
    for name, accuracy in (baselines or {}).items():
        board.write_results(f"{run_dir}/{name}", {names["test_accuracy"]: accuracy}, step,
                            flat=True)
    return matrices
