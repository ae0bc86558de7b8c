"""08_01_keras_simple_rnn: the Keras SimpleRNN tutorial, as a tf.compat.v1 graph and as
Keras 3, trained the same way and scored side by side.

The data: y(t) = sin(t) / 3 + 2 sin(5 t) at 800 points on [0, 30]. Each window of 20
values predicts the next one; windows whose target is among the first 600 points train,
the rest test.

  graph (tf.compat.v1, in this script)           Keras 3
  inputs: predictors [None, 20, 1]               keras.Input((20, 1))
  recurrent_layer: BasicRNNCell(100, relu),      SimpleRNN(100, activation="relu")
    dynamic_rnn, final state
  predictions: dense(1)                          Dense(1)
  AdamOptimizer(0.001) on the MSE                Adam(0.001, epsilon=1e-8) on the MSE

The Keras model starts from the graph's initial weights (graphrnn.weights.tf1_to_keras)
and sees the same batches in the same order. The run prints the two models' test MSE,
MAE and MAPE side by side (and persistence's: the next value = the last one), and writes
forecast.png, metrics.json and TensorBoard logs.
MAPE is large here: the signal crosses zero, where any error is a large percentage.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

EPOCHS, QUICK_EPOCHS = 20, 2
OPTIONS = options.lesson("08_01_keras_simple_rnn", __doc__)
OPTIONS.add_argument("--epochs", type=int,
                     help=f"passes over the training windows (default {EPOCHS}; "
                          f"--quick {QUICK_EPOCHS})")
options.answer_early(__name__, OPTIONS)  # --help and option errors: at once, not after TF loads

import numpy as np  # noqa: E402

from graphrnn import energy  # noqa: E402  (imports TensorFlow, quietly)
from graphrnn import graph_holder, keras_twins, layers, runs, sidebyside  # noqa: E402
from graphrnn.compat import tf, v1  # noqa: E402
from graphrnn.train import batch_count  # noqa: E402

POINTS, WINDOW, TRAIN_POINTS = 800, 20, 600
UNITS, LEARNING_RATE, BATCH_SIZE = 100, 0.001, 32


def signal():
    """(t, y) at 800 points on [0, 30]: y = sin(t) / 3 + 2 sin(5 t)."""
    t = np.linspace(0.0, 30.0, POINTS)
    return t, (np.sin(t) / 3.0 + 2.0 * np.sin(5.0 * t)).astype(np.float32)


def graph():
    """The Keras tutorial's model as a tf.compat.v1 graph (for graph_holder.build_graph, which
    seeds it)."""
    with v1.variable_scope("inputs"):
        predictors = v1.placeholder(tf.float32, [None, WINDOW, 1], name="predictors")
        target = v1.placeholder(tf.float32, [None, 1, 1], name="target")  # the next value

    # BasicRNNCell(100, relu) under dynamic_rnn: the final state (B, 100)
    _, state = layers.basic_rnn_layer(predictors, UNITS, activation=tf.nn.relu)

    with v1.variable_scope("predictions", initializer=layers.seeded_glorot()):
        prediction = v1.layers.dense(state, units=1, name="prediction")  # (B, 1)
    with v1.name_scope("loss"):
        loss = v1.losses.mean_squared_error(labels=tf.squeeze(target, axis=1),
                                            predictions=prediction)
    with v1.variable_scope("training"):
        global_step = tf.Variable(0, trainable=False, name="global_step")
        train_op = v1.train.AdamOptimizer(LEARNING_RATE).minimize(loss, global_step=global_step)
    return graph_holder.Tensors(predictors=predictors, target=target, global_step=global_step,
                                prediction=prediction, mse=loss, loss=loss, train_op=train_op)


def keras_model(weights):
    """SimpleRNN(100, relu) + Dense(1) holding the graph's weights (graphrnn.keras_twins)."""
    # unroll=True: 20 copies of the cell, like static_rnn (and no while loop to trace)
    stack = keras_twins.Stack("basic_rnn", [{"units": UNITS}], WINDOW, n_features=1,
                              n_targets=1, head="last_state", activation="relu",
                              multi_rnn_cell=False, unroll=True)
    return keras_twins.keras_twin(stack, weights, name="keras_simple_rnn")


def run(args, run_dir):
    epochs = (QUICK_EPOCHS if args.quick else EPOCHS) if args.epochs is None else args.epochs
    runs.positive("--epochs", epochs)
    t, values = signal()
    series = values[:, None].astype(np.float32)  # (points, 1)
    # data.make_windows: window i reads points i .. i+WINDOW-1; its target is point i+WINDOW
    inputs, targets, _ = energy.make_windows(series, series, WINDOW, 1, 1)
    targets = targets[:, 0]  # (N, 1): the next value
    train = slice(0, TRAIN_POINTS - WINDOW)  # targets 20 .. 599
    test = slice(TRAIN_POINTS - WINDOW, None)  # targets 600 .. 799
    print(f"08_01_keras_simple_rnn: {POINTS} points of sin(t)/3 + 2 sin(5t); "
          f"{len(inputs[train])} training windows, {len(inputs[test])} test; {epochs} epochs")

    net = graph_holder.build_graph("graph", graph, args.seed)
    both = sidebyside.both_sides(net, keras_model, args.seed, run_dir)
    with both as (session, model, graph_predict):
        keras_predict = sidebyside.keras_predict(model)  # traced once, dropout off
        start_gap = sidebyside.initial_gap(graph_predict, keras_predict, inputs[test])
        sidebyside.train_both(session, net, sidebyside.keras_train_step(model, LEARNING_RATE),
                              inputs[train], targets[train], epochs, BATCH_SIZE, args.seed)
        graph_predicted = graph_predict(inputs[test])
    keras_predicted = keras_predict(inputs[test])

    actual = targets[test]
    rows = {"graph (tf.compat.v1)": sidebyside.scores(actual, graph_predicted),
            "Keras 3": sidebyside.scores(actual, keras_predicted),
            "persistence": sidebyside.scores(actual, inputs[test][:, -1])}  # last value
    sidebyside.print_table(rows)
    sidebyside.plot(f"{run_dir}/forecast.png", t[TRAIN_POINTS:], actual.ravel(),
                    {"graph": graph_predicted.ravel(), "Keras 3": keras_predicted.ravel()},
                    "08_01_keras_simple_rnn: test points", "t")
    sidebyside.finish_regression(
        run_dir, "08_01_keras_simple_rnn",
        {"graph": rows["graph (tf.compat.v1)"], "keras3": rows["Keras 3"]},
        {"persistence": rows["persistence"]}, "",
        epochs * batch_count(len(inputs[train]), BATCH_SIZE),  # the last training step
        {"UNITS": UNITS, "LEARNING_RATE": LEARNING_RATE, "BATCH_SIZE": BATCH_SIZE,
         "EPOCHS": epochs, "SEED": args.seed, "QUICK": bool(args.quick)})
    return {"graph": rows["graph (tf.compat.v1)"], "keras3": rows["Keras 3"],
            "persistence": rows["persistence"], "epochs": epochs,
            "initial_max_abs_difference": start_gap,
            "graph_predictions": graph_predicted.ravel().tolist(),
            "keras3_predictions": keras_predicted.ravel().tolist()}


def main(argv=None):
    """Run the lesson with these command-line arguments; return its exit status."""
    return runs.lesson("08_01_keras_simple_rnn", OPTIONS, run, argv)


if __name__ == "__main__":
    runs.prepare_process()  # the process is the script's: line-buffered, deterministic ops
    sys.exit(main())
