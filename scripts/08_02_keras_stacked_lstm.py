"""08_02_keras_stacked_lstm: the Keras stacked-LSTM forecasting tutorial, as a
tf.compat.v1 graph and as Keras 3, trained the same way and scored side by side, with
recursive multi-step forecasting.

The data: the appliances' energy use summed to daily totals in kWh (whole days only),
min-max scaled to [0, 1] with the training days' range. Each window of 60 days predicts
the next day; the last 20 % of the days are the test targets (their windows reach back
into the training days, as in the tutorial).

  graph (tf.compat.v1, in this script)           Keras 3
  inputs: predictors [None, 60, 1], the           keras.Input((60, 1))
    dropout switch
  recurrent_layer: 4 x LSTMCell(50) in            4 x LSTM(50) (return_sequences on the
    DropoutWrapper(output_keep_prob=0.8) under      first three), each followed by
    tf.cond, MultiRNNCell, dynamic_rnn              Dropout(0.2)
  predictions: the last step's output -> dense(1) Dense(1)
  AdamOptimizer(0.001) on the MSE                 Adam(0.001, epsilon=1e-8) on the MSE

Both tables also score persistence (tomorrow = today) and a linear baseline (ridge
regression on the same windows, its strength chosen on the last fifth of the training
windows, graphrnn.baseline). Keras starts from the graph's
initial weights (LSTMCell's forget_bias folded into the
bias) and sees the same batches; the dropout masks differ. Recursive forecasting starts
from the first test window and feeds each day's prediction back in, --horizon days ahead.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

# 500 epochs: the tutorial ran 100 over ~1,200 windows; 49 windows make 2 batches an epoch
EPOCHS, QUICK_EPOCHS, HORIZON = 500, 3, 14
OPTIONS = options.lesson("08_02_keras_stacked_lstm", __doc__)
OPTIONS.add_argument("--data", metavar="CSV",
                     help="the UCI energydata_complete.csv (default: built-in synthetic data)")
OPTIONS.add_argument("--epochs", type=int,
                     help=f"passes over the training windows (default {EPOCHS}; "
                          f"--quick {QUICK_EPOCHS})")
OPTIONS.add_argument("--bidirectional", action="store_true",
                     help="the tutorial's variant: each LSTM layer bidirectional "
                          "(bidirectional_dynamic_rnn; Keras' Bidirectional)")
OPTIONS.add_argument("--horizon", type=int, default=HORIZON,
                     help=f"days of recursive forecasting (default {HORIZON})")
options.answer_early(__name__, OPTIONS)  # --help and option errors: at once, not after TF loads

import numpy as np  # noqa: E402

from graphrnn import energy  # noqa: E402  (imports TensorFlow, quietly)
from graphrnn import (baseline, board, graph_holder, keras_twins, layers, runs,  # noqa: E402
                      sidebyside)
from graphrnn.compat import tf, v1  # noqa: E402
from graphrnn.train import batch_count  # noqa: E402

WINDOW, TEST_FRACTION, READINGS_PER_DAY = 60, 0.2, 144
LAYERS = [{"units": 50, "keep_prob": 0.8}] * 4  # Keras: LSTM(50) + Dropout(0.2), four times
QUICK_LAYERS = [{"units": 8, "keep_prob": 0.8}] * 2  # --quick: the same shape, smaller
LEARNING_RATE, BATCH_SIZE = 0.001, 32


def daily_totals(frame):
    """kWh per whole day of the Appliances column (days with all 144 readings)."""
    per_day = frame.set_index("date")["Appliances"].resample("D")
    totals, counts = per_day.sum() / 1000.0, per_day.count()
    return totals[counts == READINGS_PER_DAY]


def lstm_stack(predictors, specs, with_dropout):
    """LSTMCells (one per spec), each in a DropoutWrapper if with_dropout -> MultiRNNCell ->
    dynamic_rnn: outputs (B, T, units of the last spec), final states."""
    cells = []
    for spec in specs:
        cell = v1.nn.rnn_cell.LSTMCell(num_units=spec["units"], name="lstm_cell")
        if with_dropout:
            cell = v1.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=spec["keep_prob"])
        cells.append(cell)
    # one loop iteration at a time when dropping out: the masks come in the same order
    # for the same seed
    return v1.nn.dynamic_rnn(v1.nn.rnn_cell.MultiRNNCell(cells), predictors, dtype=tf.float32,
                             scope="rnn", parallel_iterations=1 if with_dropout else None)


def recurrent(specs):
    """A builder: LSTMCells (one per spec) in DropoutWrappers under tf.cond -> the last
    step's output (B, units)."""
    def build(predictors, dropout_switch):
        # one scope with reuse=AUTO_REUSE: the second branch finds the first one's weights
        with v1.variable_scope("recurrent_layer", initializer=layers.seeded_glorot(),
                               reuse=v1.AUTO_REUSE):
            outputs, _ = tf.cond(dropout_switch, lambda: lstm_stack(predictors, specs, True),
                                 lambda: lstm_stack(predictors, specs, False))
        return outputs[:, -1]
    return build


def bidirectional_recurrent(specs):
    """A builder for --bidirectional, the tutorial's variant: per spec, a
    bidirectional_dynamic_rnn of two LSTMCells, each in a DropoutWrapper when the switch
    is on (tf.cond, one set of weights), the directions' outputs concatenated for the next
    layer -> the top layer's final outputs (B, 2 units): forward's at the last step,
    backward's at the first, as Keras' Bidirectional(LSTM) gives them."""
    def stack(predictors, with_dropout):
        x = predictors  # (B, T, 1)
        for index, spec in enumerate(specs):
            with v1.variable_scope(f"layer_{index}"):
                cells = []
                for _ in ("fw", "bw"):
                    cell = v1.nn.rnn_cell.LSTMCell(spec["units"], name="lstm_cell")
                    if with_dropout:
                        cell = v1.nn.rnn_cell.DropoutWrapper(
                            cell, output_keep_prob=spec["keep_prob"])
                    cells.append(cell)
                # one iteration at a time: the dropout masks come in order (same seed,
                # same numbers)
                (forward, backward), _ = v1.nn.bidirectional_dynamic_rnn(
                    *cells, x, dtype=tf.float32, parallel_iterations=1)
                x = tf.concat([forward, backward], 2)  # (B, T, 2 units)
        return tf.concat([forward[:, -1], backward[:, 0]], 1)  # (B, 2 units)

    def build(predictors, dropout_switch):
        with v1.variable_scope("recurrent_layer", initializer=layers.seeded_glorot(),
                               reuse=v1.AUTO_REUSE):
            return tf.cond(dropout_switch, lambda: stack(predictors, True),
                           lambda: stack(predictors, False))
    return build


def graph(recurrent_layer):
    """The Keras tutorial's model as a tf.compat.v1 graph: inputs -> recurrent_layer
    (recurrent or bidirectional_recurrent: (predictors, dropout_switch) -> (B, H)) ->
    dense(1), the MSE, Adam at a constant rate. For graph_holder.build_graph, which seeds it."""
    def build():
        with v1.variable_scope("inputs"):
            predictors = v1.placeholder(tf.float32, [None, WINDOW, 1], name="predictors")
            target = v1.placeholder(tf.float32, [None, 1, 1], name="target")  # the next day
            # training feeds True; evaluation and prediction leave the default
            dropout_switch = v1.placeholder_with_default(False, shape=None,
                                                         name="dropout_switch")

        hidden = recurrent_layer(predictors, dropout_switch)

        with v1.variable_scope("predictions", initializer=layers.seeded_glorot()):
            prediction = v1.layers.dense(hidden, units=1, name="prediction")  # (B, 1)
        with v1.name_scope("loss"):
            loss = v1.losses.mean_squared_error(labels=tf.squeeze(target, axis=1),
                                                predictions=prediction)
        with v1.variable_scope("training"):
            global_step = tf.Variable(0, trainable=False, name="global_step")
            train_op = v1.train.AdamOptimizer(LEARNING_RATE).minimize(
                loss, global_step=global_step)
        return graph_holder.Tensors(predictors=predictors, target=target,
                                    dropout_switch=dropout_switch, global_step=global_step,
                                    prediction=prediction, mse=loss, loss=loss, train_op=train_op)
    return build


def keras_model(weights, specs, bidirectional=False):
    """The tutorial's Keras model (LSTM + Dropout per entry of specs, each LSTM in
    Bidirectional with --bidirectional, then Dense(1)), holding the graph's weights
    (graphrnn.keras_twins)."""
    stack = keras_twins.Stack("lstm", specs, WINDOW, n_features=1, n_targets=1,
                              head="last_output", cell_dropout=True,
                              bidirectional=bidirectional)
    return keras_twins.keras_twin(stack, weights, name="keras_stacked_lstm")


def load(args):
    """(daily kWh series, scaled series, training min, max, first test target index)."""
    try:
        days = daily_totals(energy.load_energy(args.data))
    except energy.DataError as error:
        raise runs.BadInput(str(error)) from None
    test_start = len(days) - int(round(len(days) * TEST_FRACTION))
    if test_start <= WINDOW + 1:
        raise runs.BadInput(f"{len(days)} whole days are too few for {WINDOW}-day windows "
                            f"and a {TEST_FRACTION:.0%} test part")
    low, high = days.iloc[:test_start].min(), days.iloc[:test_start].max()
    scaled = ((days - low) / (high - low)).to_numpy()
    return days, scaled, low, high, test_start


def run(args, run_dir):
    epochs = (QUICK_EPOCHS if args.quick else EPOCHS) if args.epochs is None else args.epochs
    runs.positive("--epochs", epochs)
    runs.positive("--horizon", args.horizon)
    days, scaled, low, high, test_start = load(args)
    series = scaled[:, None].astype(np.float32)  # (points, 1)
    # data.make_windows: window i reads points i .. i+WINDOW-1; its target is point i+WINDOW
    inputs, targets, _ = energy.make_windows(series, series, WINDOW, 1, 1)
    targets = targets[:, 0]  # (N, 1): window i predicts day i + 60
    train, test = slice(0, test_start - WINDOW), slice(test_start - WINDOW, None)
    print(f"08_02_keras_stacked_lstm: {len(days)} days of Appliances totals "
          f"({days.index[0]:%Y-%m-%d} .. {days.index[-1]:%Y-%m-%d}); "
          f"{len(inputs[train])} training windows, {len(inputs[test])} test; {epochs} epochs")

    specs = QUICK_LAYERS if args.quick else LAYERS
    builder = bidirectional_recurrent(specs) if args.bidirectional else recurrent(specs)
    net = graph_holder.build_graph("graph", graph(builder), args.seed)
    both = sidebyside.both_sides(
        net, lambda weights: keras_model(weights, specs, args.bidirectional), args.seed, run_dir)
    with both as (session, model, graph_predict):
        keras_predict = sidebyside.keras_predict(model)  # traced once, dropout off
        start_gap = sidebyside.initial_gap(graph_predict, keras_predict, inputs[test])
        sidebyside.train_both(session, net, sidebyside.keras_train_step(model, LEARNING_RATE),
                              inputs[train], targets[train], epochs, BATCH_SIZE, args.seed)
        predicted = {"graph": graph_predict(inputs[test]).ravel()}
        recursive = {"graph": sidebyside.recursive_forecast(
            graph_predict, scaled[test_start - WINDOW:test_start], args.horizon)}
    predicted["Keras 3"] = keras_predict(inputs[test]).ravel()
    recursive["Keras 3"] = sidebyside.recursive_forecast(
        keras_predict, scaled[test_start - WINDOW:test_start], args.horizon)
    # the linear baseline: ridge on the same 60-day windows, chosen on the last training ones
    ridge = baseline.fit_ridge_holding_out(inputs[train], targets[train])
    predicted["linear"] = ridge.predict(inputs[test]).ravel()
    recursive["linear"] = sidebyside.recursive_forecast(
        ridge.predict, scaled[test_start - WINDOW:test_start], args.horizon)

    def kwh(values):
        return np.asarray(values) * (high - low) + low

    actual = days.to_numpy()[test_start:]
    known = min(args.horizon, len(actual))  # recursive days that have an actual value
    one_step = {name: sidebyside.scores(actual, kwh(values)) for name, values in predicted.items()}
    multi_step = {name: sidebyside.scores(actual[:known], kwh(values[:known]))
                  for name, values in recursive.items()}
    # persistence: tomorrow = today; recursively, every day = the last known day
    one_step["persistence"] = sidebyside.scores(actual, days.to_numpy()[test_start - 1:-1])
    multi_step["persistence"] = sidebyside.scores(
        actual[:known], np.full(known, days.to_numpy()[test_start - 1]))
    print("one day ahead, every test window:")
    sidebyside.print_table(one_step, unit="kWh")
    print(f"recursive, {known} days ahead from the first test window:")
    sidebyside.print_table(multi_step, unit="kWh")
    sidebyside.plot(f"{run_dir}/forecast.png", days.index[test_start:], actual,
                    {f"{name}, one day ahead": kwh(values) for name, values in predicted.items()}
                    | {"graph, recursive": np.pad(kwh(recursive["graph"][:known]),
                                                  (0, len(actual) - known),
                                                  constant_values=np.nan)},
                    "08_02_keras_stacked_lstm: daily Appliances (kWh), test days", "day")
    sidebyside.finish_regression(  # one day ahead
        run_dir, "08_02_keras_stacked_lstm",
        {"graph": one_step["graph"], "keras3": one_step["Keras 3"]},
        {name: one_step[name] for name in ("linear", "persistence")}, "kWh",
        epochs * batch_count(len(inputs[train]), BATCH_SIZE),  # the last training step
        {"RNN_LAYERS": board.layers_text(specs), "LEARNING_RATE": LEARNING_RATE,
         "BATCH_SIZE": BATCH_SIZE, "EPOCHS": epochs, "BIDIRECTIONAL": args.bidirectional,
         "SEED": args.seed, "QUICK": bool(args.quick)})
    return {"one_step": one_step, "recursive": multi_step, "epochs": epochs,
            "bidirectional": args.bidirectional,
            "initial_max_abs_difference": start_gap, "test_days": len(actual),
            "one_step_predictions": {k: v.tolist() for k, v in predicted.items()},
            "recursive_predictions": {k: v.tolist() for k, v in recursive.items()}}


def main(argv=None):
    """Run the lesson with these command-line arguments; return its exit status."""
    return runs.lesson("08_02_keras_stacked_lstm", OPTIONS, run, argv)


if __name__ == "__main__":
    runs.prepare_process()  # the process is the script's: line-buffered, deterministic ops
    sys.exit(main())
