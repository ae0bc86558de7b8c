"""06_02_random_walk: forecast a random walk with one BasicRNNCell and the dense reshape
trick, as the TF1 time-series tutorial did.

The series: 222 monthly points from January 2001 (pd.date_range), the cumulative sum of
uniform(-18, 18) draws (seeded by --seed). The first 201 points train; the last 21 test.
Windows of 20 steps, one input and one output: the 200 training inputs are cut into 10
windows and each target window is its input window shifted by one month.

The tutorial's graph, built with tf.compat.v1 on TensorFlow 2:

  inputs           predictors [None, 20, 1], target [None, 20, 1]
  recurrent_layer  BasicRNNCell(120, activation=relu) -> dynamic_rnn
  predictions      output_projection: the dense reshape trick, (B*20, 120) -> dense(1)
                   -> (B, 20, 1)
  loss, training   reduce_sum(square(outputs - y)); AdamOptimizer(0.001), 1500 iterations
                   on all 10 windows, the loss printed every 150

The original built its test windows from the training array by mistake; here they come
from the 21 held-out points (inputs 201..220, targets 202..221). The run prints the test
RMSE next to persistence (next month = this month), and writes forecast.png,
predictions.csv, metrics.json and TensorBoard logs.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

ITERATIONS, QUICK_ITERATIONS = 1500, 150
OPTIONS = options.lesson("06_02_random_walk", __doc__)
OPTIONS.add_argument("--iterations", type=int,
                     help=f"training iterations (default {ITERATIONS}; --quick {QUICK_ITERATIONS})")
options.answer_early(__name__, OPTIONS)  # --help and option errors: at once, not after TF loads

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from graphrnn import board, graph_holder, layers, report, runs, tags, train  # noqa: E402
from graphrnn.compat import tf, v1  # noqa: E402

POINTS, TRAIN_POINTS, WINDOW = 222, 201, 20
NUM_UNITS, LEARNING_RATE = 120, 0.001
PRINT_EVERY = 150


def random_walk(seed):
    """The tutorial's series: monthly dates and the cumulative sum of uniform(-18, 18)."""
    dates = pd.date_range(start="2001-01-01", periods=POINTS, freq="MS")
    steps = np.random.default_rng(seed).uniform(-18, 18, size=POINTS)
    return pd.Series(steps.cumsum(), index=dates, name="random_walk")


def windows(values):
    """Inputs values[:-1] and targets values[1:] cut into (N, 20, 1) windows."""
    count = (len(values) - 1) // WINDOW
    inputs = values[:count * WINDOW].reshape(count, WINDOW, 1)
    targets = values[1:count * WINDOW + 1].reshape(count, WINDOW, 1)
    return inputs.astype(np.float32), targets.astype(np.float32)


def graph():
    """The tutorial's graph (for graph_holder.build_graph, which seeds it)."""
    with v1.variable_scope("inputs"):
        predictors = v1.placeholder(tf.float32, [None, WINDOW, 1], name="predictors")  # X
        target = v1.placeholder(tf.float32, [None, WINDOW, 1], name="target")  # y

    outputs, _ = layers.basic_rnn_layer(predictors, NUM_UNITS, activation=tf.nn.relu)
    with v1.variable_scope("predictions", initializer=layers.seeded_glorot()):
        prediction = layers.dense_reshape(outputs, 1)  # (B, 20, 1)
    with v1.name_scope("loss"):
        loss = tf.reduce_sum(tf.square(prediction - target))  # a sum, not a mean
    with v1.variable_scope("training"):
        global_step = tf.Variable(0, trainable=False, name="global_step")
        train_op = v1.train.AdamOptimizer(LEARNING_RATE).minimize(loss, global_step=global_step)
    layers.scalar_summary(  # tf.summary.scalar, under `summaries`
        "2_loss/sum_of_squares", loss, "The loss the optimiser minimises: the sum of the "
        "squared errors over the training windows' 200 months (no unit; the series' own "
        f"scale, squared), at the start, every {PRINT_EVERY} iterations and at the end. "
        f"{tags.STEPS}")
    return graph_holder.Tensors(predictors=predictors, target=target, global_step=global_step,
                                prediction=prediction, loss=loss, train_op=train_op)


def run(args, run_dir):
    default = QUICK_ITERATIONS if args.quick else ITERATIONS
    iterations = default if args.iterations is None else args.iterations
    runs.positive("--iterations", iterations)
    series = random_walk(args.seed)
    train_x, train_y = windows(series.to_numpy()[:TRAIN_POINTS])  # (10, 20, 1) each
    test_x, test_y = windows(series.to_numpy()[TRAIN_POINTS:])  # (1, 20, 1) each
    print(f"06_02_random_walk: {POINTS} monthly points; {len(train_x)} training windows of "
          f"{WINDOW}, {len(test_x)} test window; {iterations} iterations")

    model = graph_holder.build_graph("06_02_random_walk", graph, args.seed)
    train_feed = {model.predictors: train_x, model.target: train_y}
    losses = []
    with model.new_session() as session, \
            board.writer(f"{run_dir}/train", graph=model.graph) as writer:
        session.run(model.initializer)
        step = train.training_step(session, model)  # (inputs, targets) -> [None, loss]

        def report_loss(iteration):  # the loss after `iteration` training steps
            value, summary = session.run([model.loss, model.summaries], train_feed)
            writer.add_summary(summary, iteration)
            losses.append(float(value))
            print(f"iteration {iteration:5d}  loss (sum of squares) {value:12.2f}")

        # the tutorial's full-batch training: each iteration is one step on all 10
        # windows, its loss printed before the step every PRINT_EVERY (and the last)
        for iteration in range(iterations):
            if iteration % PRINT_EVERY == 0 or iteration == iterations - 1:
                report_loss(iteration)
            step(train_x, train_y)
        predicted = session.run(model.prediction, {model.predictors: test_x})  # (1, 20, 1)

    actual, predicted = test_y.ravel(), predicted.ravel()
    persistence = test_x.ravel()  # next month = this month
    scores = report.regression_metrics(actual, predicted)
    baseline = report.regression_metrics(actual, persistence)
    print(f"test RMSE {scores['rmse']:.2f} (persistence {baseline['rmse']:.2f}) on the "
          f"{len(actual)} held-out months")
    dates = series.index[TRAIN_POINTS + 1:].to_numpy()  # the 20 target months
    report.write_predictions(f"{run_dir}/predictions.csv", report.forecast_columns(
        dates[:, None], actual[:, None], predicted[:, None]))
    report.plot_forecast(f"{run_dir}/forecast.png", dates[None, :], actual[None, :],
                         predicted[None, :], {"persistence": persistence[None, :]},
                         "06_02_random_walk", unit="")
    errors = tags.test_errors(unit="")  # TensorBoard: the test run and persistence's
    settings = {"NUM_UNITS": NUM_UNITS, "LEARNING_RATE": LEARNING_RATE,
                "ITERATIONS": iterations, "SEED": args.seed, "QUICK": bool(args.quick)}
    board.write_results(f"{run_dir}/test", {errors["rmse"]: scores["rmse"],
                                            errors["mae"]: scores["mae"]}, iterations,
                        session=(board.trial_name("06_02_random_walk", run_dir), settings))
    board.write_results(f"{run_dir}/persistence", {errors["rmse"]: baseline["rmse"],
                                                   errors["mae"]: baseline["mae"]},
                        iterations, flat=True)
    return {"test_rmse": scores["rmse"], "test_mae": scores["mae"],
            "persistence_rmse": baseline["rmse"], "losses": losses,
            "iterations": iterations, "series": series.round(6).tolist(),
            "predicted": predicted.tolist()}


def main(argv=None):
    """Run the lesson with these command-line arguments; return its exit status."""
    return runs.lesson("06_02_random_walk", OPTIONS, run, argv)


if __name__ == "__main__":
    runs.prepare_process()  # the process is the script's: line-buffered, deterministic ops
    sys.exit(main())
