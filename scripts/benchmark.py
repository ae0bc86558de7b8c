"""benchmark: how fast the 04_01 model trains and predicts, graph vs eager vs Keras 3.

Every mode trains the same network (GRU layers [32, 16] -> concat of final states ->
dropout -> dense(1), plain gradient descent) on the same batches of 64 training windows
(24 steps of the energy data's 28 features), in this one process:

  graph dynamic_rnn + feed_dict      what the tutorial does: the scripts' own graph, with
                                     the dropout switch and the decaying learning rate
  graph dynamic_rnn + tf.data        the bare step the eager and Keras modes take (dropout
                                     on, a constant rate), batches from a tf.data iterator
  graph static_rnn + feed_dict       the scripts' graph unrolled over the 24 steps
  graph static_rnn + make_callable   ... run through Session.make_callable (the scripts' default)
  graph static_rnn + fixed-shape feed  the bare step unrolled, fed, batch shape fixed at 64
  graph static_rnn + tf.data         the bare step unrolled, batches from a tf.data iterator
  eager shim                         the bare step, eagerly (track_tf1_style_variables)
  eager shim + tf.function           ... traced once (static and dynamic unrolling)
  Keras 3 train_on_batch             the native Keras 3 model, GRU(reset_after=False)
  Keras 3 tf.function step           ... with a hand-written tf.function training step

All modes are built first and timed in interleaved rounds, so drift in the machine's
speed touches them alike. It prints the training-step time (median and interquartile
spread after warm-up), steps per second, the ratio to the fastest non-graph mode and the
prediction throughput; then sweeps the window length and the layer width for the graph
modes and the fastest eager mode. Speed is measured here, never asserted by a test.

    python scripts/benchmark.py [--quick] [--json table.json] [--window STEPS]
"""

import argparse
import collections
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

OPTIONS = argparse.ArgumentParser(prog="benchmark.py", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
OPTIONS.add_argument("--quick", action="store_true", help="fewer steps and no sweeps")
OPTIONS.add_argument("--json", metavar="PATH", help="write the tutorial-size table here")
OPTIONS.add_argument("--window", type=int, default=24, metavar="STEPS",
                     help="steps per window of the main table (default: the tutorial's 24)")
options.answer_early(__name__, OPTIONS)  # --help and option errors: at once, not after TF loads

import numpy as np  # noqa: E402

from graphrnn import eager, energy, graph_holder, keras_twins  # noqa: E402
from graphrnn.compat import tf, v1  # noqa: E402
from graphrnn.config import STATIC_UNROLL_MAX_STEPS, Config  # noqa: E402

import keras  # noqa: E402  (Keras 3, beside tf.keras which graphrnn routes to tf-keras)

# 04_01's own graph functions, from its script: every graph and eager mode builds them
DROPOUT = graph_holder.load_script(Path(__file__).resolve().parent / "04_01_dropout.py").TUTORIAL

TUTORIAL = Config(INPUT_SEQUENCE_LENGTH=24, RNN_LAYERS=[{"units": 32}, {"units": 16}],
                  BATCH_SIZE=64, DROPOUT_RATE=0.1, INITIAL_LEARNING_RATE=0.05)

# How long to measure: rounds x steps timed training steps per mode after `warmup`; a mode
# past `budget` seconds of timed steps sits out the later rounds. Prediction throughput is
# measured on `predict_windows` test windows.
Effort = collections.namedtuple("Effort", "rounds steps warmup budget predict_windows")
FULL = Effort(rounds=10, steps=20, warmup=20, budget=5.0, predict_windows=2048)
QUICK = Effort(rounds=4, steps=5, warmup=3, budget=0.5, predict_windows=512)
SWEEP = Effort(rounds=4, steps=5, warmup=3, budget=2.0, predict_windows=256)


def batches(config, count, predict_windows):
    """`count` training batches (inputs (B, T, F), targets (B, 1, 1)) of real windows, and
    `predict_windows` test windows (N, T, F)."""
    data = energy.prepare_energy(energy.load_energy(), config)
    order = np.random.default_rng(0).permutation(len(data.train))
    size = config.BATCH_SIZE
    picked = [order[i * size:(i + 1) * size] for i in range(count)]
    return ([(data.train.inputs[p], data.train.targets[p]) for p in picked],
            data.test.inputs[:predict_windows])


# ------------------------------------------------------------------ the modes
# Each takes (config, train batches, predict inputs, built) and returns
# (train_step(i) -> loss, predict() -> (N, 1)), built and initialised. `built` is the one
# measurement's {(builder, repr(config)): what it built}, so that modes calling one graph
# in different ways share it (its Session and weights) within that measurement only.


def built_once(built, name, config, build):
    """build() once per builder and config within one measurement."""
    key = name, repr(config)
    if key not in built:
        built[key] = build()
    return built[key]


def scripts_graph(config, n_features):
    """(model, session): the scripts' 04_01 graph, initialised."""
    model = graph_holder.build(DROPOUT, config, n_features, 1)
    session = model.new_session()
    session.run(model.initializer)
    return model, session


def graph_feed(config, train_batches, predict_inputs, built, use_callable=False):
    model, session = built_once(
        built, "scripts", config,
        lambda: scripts_graph(config, train_batches[0][0].shape[-1]))
    if use_callable:
        step = session.make_callable([model.train_op, model.loss],
                                     [model.predictors, model.target, model.dropout_switch])
        return (lambda i: step(*train_batches[i % len(train_batches)], True)[1],
                lambda: session.run(model.prediction, {model.predictors: predict_inputs}))

    def train_step(i):
        x, y = train_batches[i % len(train_batches)]
        return session.run([model.train_op, model.loss], {
            model.predictors: x, model.target: y, model.dropout_switch: True})[1]
    return train_step, lambda: session.run(model.prediction, {model.predictors: predict_inputs})


def bare_step_graph(config, train_batches, predict_inputs):
    """The step the eager and Keras modes take (dropout on, a constant learning rate) as a
    graph whose batch shape is fixed at (64, T, F). Its inputs are placeholders whose
    default is the next batch of a tf.data iterator inside the graph: run without a feed,
    a step pulls its batch from the iterator; fed, the iterator is left out of the run.

    Returns (session, train_op, loss, inputs, targets, predict)."""
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(0)
        inputs = np.stack([x for x, _ in train_batches])  # (batches, B, T, F)
        targets = np.stack([y for _, y in train_batches])  # (batches, B, 1, 1)
        dataset = tf.data.Dataset.from_tensor_slices((inputs, targets)).repeat().prefetch(2)
        next_x, next_y = v1.data.make_one_shot_iterator(dataset).get_next()
        x = v1.placeholder_with_default(next_x, inputs.shape[1:], "predictors")
        y = v1.placeholder_with_default(next_y, targets.shape[1:], "target")
        prediction = DROPOUT.network(x, True, config, 1)
        loss = v1.losses.mean_squared_error(labels=tf.squeeze(y, axis=1),  # (64, 1)
                                            predictions=prediction)
        train_op = v1.train.GradientDescentOptimizer(config.INITIAL_LEARNING_RATE).minimize(loss)
        with v1.variable_scope("", reuse=True):
            predict = DROPOUT.network(tf.constant(predict_inputs), False, config, 1)
        initializer = v1.global_variables_initializer()
    session = v1.Session(graph=graph)
    session.run(initializer)
    return session, train_op, loss, x, y, predict


def bare_graph(config, train_batches, predict_inputs, built, pipeline):
    """The bare step fed from its tf.data iterator (pipeline=True) or through its
    fixed-shape placeholders."""
    session, train_op, loss, x, y, predict = built_once(
        built, "bare", config, lambda: bare_step_graph(config, train_batches, predict_inputs))
    if pipeline:
        step = session.make_callable([train_op, loss])
        return lambda i: step()[1], lambda: session.run(predict)
    step = session.make_callable([train_op, loss], [x, y])
    return (lambda i: step(*train_batches[i % len(train_batches)])[1],
            lambda: session.run(predict))


def eager_shim(config, train_batches, predict_inputs, compiled):
    twin = eager.EagerNetwork(DROPOUT, config, 1)
    twin.create_variables(train_batches[0][0].shape[-1])

    def step(x, y):
        return eager.gradient_descent_step(twin, x, y, config.INITIAL_LEARNING_RATE, True)
    predict = twin
    if compiled:
        step = tf.function(step)
        predict = tf.function(lambda x: twin(x))
    return (lambda i: step(*train_batches[i % len(train_batches)]),
            lambda: predict(predict_inputs))


def keras3_model(config, n_features):
    """04_01 in Keras 3 (graphrnn.keras_twins): GRU(reset_after=False) per RNN_LAYERS
    entry, concat of final states, dropout, dense; Keras' own initial weights."""
    stack = keras_twins.Stack("gru", config.RNN_LAYERS, config.INPUT_SEQUENCE_LENGTH,
                              n_features, 1, head="states", dropout_rate=config.DROPOUT_RATE)
    return keras_twins.keras_twin(stack)


def keras3(config, train_batches, predict_inputs, compiled):
    model = keras3_model(config, train_batches[0][0].shape[-1])
    optimizer = keras.optimizers.SGD(config.INITIAL_LEARNING_RATE)
    if not compiled:
        model.compile(optimizer=optimizer, loss="mse")

        def train_step(i):
            x, y = train_batches[i % len(train_batches)]
            return model.train_on_batch(x, y[:, 0])
        return train_step, lambda: model.predict_on_batch(predict_inputs)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x, training=True) - y[:, 0]))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss
    predict = tf.function(lambda x: model(x, training=False))
    return (lambda i: step(*train_batches[i % len(train_batches)]),
            lambda: predict(predict_inputs))


MODES = {
    "graph dynamic_rnn + feed_dict": lambda c, b, p, built: graph_feed(
        c.replace(UNROLL="dynamic"), b, p, built),
    "graph dynamic_rnn + tf.data": lambda c, b, p, built: bare_graph(
        c.replace(UNROLL="dynamic"), b, p, built, True),
    "graph static_rnn + feed_dict": lambda c, b, p, built: graph_feed(
        c.replace(UNROLL="static"), b, p, built),
    "graph static_rnn + make_callable": lambda c, b, p, built: graph_feed(
        c.replace(UNROLL="static"), b, p, built, use_callable=True),
    "graph static_rnn + fixed-shape feed": lambda c, b, p, built: bare_graph(
        c.replace(UNROLL="static"), b, p, built, False),
    "graph static_rnn + tf.data": lambda c, b, p, built: bare_graph(
        c.replace(UNROLL="static"), b, p, built, True),
    "eager shim": lambda c, b, p, built: eager_shim(c.replace(UNROLL="dynamic"), b, p, False),
    "eager shim + tf.function (dynamic)": lambda c, b, p, built: eager_shim(
        c.replace(UNROLL="dynamic"), b, p, True),
    "eager shim + tf.function (static)": lambda c, b, p, built: eager_shim(
        c.replace(UNROLL="static"), b, p, True),
    "Keras 3 train_on_batch": lambda c, b, p, built: keras3(c, b, p, False),
    "Keras 3 tf.function step": lambda c, b, p, built: keras3(c, b, p, True),
}


# ------------------------------------------------------------------ measuring


def measure(modes, config, train_batches, predict_inputs, effort):
    """[{mode, ms_per_step, spread_ms, steps, steps_per_second, predict_windows_per_second}].

    Every mode is built and warmed up first; then each of effort.rounds rounds times
    effort.steps training steps of every mode in turn, so a machine that speeds up or
    slows down during the run slows all modes alike. A mode whose timed steps add up to
    effort.budget seconds sits out the later rounds (plain eager is ~30 times slower).
    """
    shared = {}  # the graphs this measurement builds, shared by the modes that call them
    built = {mode: MODES[mode](config, train_batches, predict_inputs, shared)
             for mode in modes}
    for train_step, _ in built.values():
        warm_start = time.perf_counter()
        for i in range(effort.warmup):
            train_step(i)
            if i >= 2 and time.perf_counter() - warm_start > effort.budget / 4:
                break  # a slow mode is warm after a few steps
    times = {mode: [] for mode in modes}
    for _ in range(effort.rounds):
        for mode, (train_step, _) in built.items():
            if sum(times[mode]) > effort.budget:
                continue
            for i in range(len(times[mode]), len(times[mode]) + effort.steps):
                start = time.perf_counter()
                train_step(i)
                times[mode].append(time.perf_counter() - start)
    predict_times = {mode: [] for mode in modes}
    for _, predict in built.values():
        predict()  # warm-up
    for _ in range(3):
        for mode, (_, predict) in built.items():
            start = time.perf_counter()
            np.asarray(predict())
            predict_times[mode].append(time.perf_counter() - start)
    rows = []
    for mode in modes:
        quartiles = statistics.quantiles(times[mode], n=4)
        median = statistics.median(times[mode])
        rows.append({"mode": mode, "ms_per_step": 1000 * median,
                     "spread_ms": 1000 * (quartiles[2] - quartiles[0]),
                     "steps": len(times[mode]), "steps_per_second": 1.0 / median,
                     "predict_windows_per_second":
                         len(predict_inputs) / statistics.median(predict_times[mode])})
    return rows


def add_ratios(rows):
    """ratio = ms per step / ms per step of the fastest mode that is not a graph mode."""
    fastest_other = min(r["ms_per_step"] for r in rows if not r["mode"].startswith("graph"))
    for row in rows:
        row["ratio_to_fastest_non_graph"] = row["ms_per_step"] / fastest_other
    return rows


def print_table(rows):
    print(f"{'mode':36s} {'ms/step':>8s} {'IQR ms':>7s} {'steps/s':>8s} {'ratio':>6s} "
          f"{'predict windows/s':>18s}")
    for row in rows:
        print(f"{row['mode']:36s} {row['ms_per_step']:8.2f} {row['spread_ms']:7.2f} "
              f"{row['steps_per_second']:8.1f} {row['ratio_to_fastest_non_graph']:6.2f} "
              f"{row['predict_windows_per_second']:18.0f}")


STATIC_MAX_STEPS = STATIC_UNROLL_MAX_STEPS


def sweep(modes, base, values, change, label):
    """ms per step of each mode as one setting grows; prints one row per mode."""
    print(f"\n{label}: ms per training step", flush=True)
    cells = {mode: {} for mode in modes}
    for value in values:
        config = change(base, value)
        # Building a static_rnn graph takes 18 s at 192 steps and 80 s at 768 here: past
        # the length where UNROLL="auto" switches to dynamic_rnn, static modes sit out.
        measured = [mode for mode in modes
                    if "static" not in mode or config.INPUT_SEQUENCE_LENGTH <= STATIC_MAX_STEPS]
        train_batches, predict_inputs = synthetic_batches(config)
        for row in measure(measured, config, train_batches, predict_inputs, SWEEP):
            cells[row["mode"]][value] = f"{row['ms_per_step']:8.2f}"
    print(f"{'mode':36s} " + " ".join(f"{value:>8}" for value in values))
    for mode in modes:
        print(f"{mode:36s} " + " ".join(cells[mode].get(value, f"{'-':>8}") for value in values))
    if any(len(row) < len(values) for row in cells.values()):
        print(f"- : static unrolling beyond {STATIC_MAX_STEPS} steps is not measured: building "
              "its graph takes 18 s at 192 steps and 80 s at 768 here")


def synthetic_batches(config, count=8):
    """Random batches of the config's shape (the sweep needs windows longer than the data)."""
    rng = np.random.default_rng(0)
    shape = (config.BATCH_SIZE, config.INPUT_SEQUENCE_LENGTH, 28)
    train = [(rng.random(shape, np.float32), rng.random((config.BATCH_SIZE, 1, 1), np.float32))
             for _ in range(count)]
    return train, rng.random((SWEEP.predict_windows,) + shape[1:], np.float32)


def main(argv=None):
    args = OPTIONS.parse_args(argv)
    if args.json and not os.path.isdir(os.path.dirname(os.path.abspath(args.json))):
        print(f"benchmark.py: error: the folder of {args.json} does not exist", file=sys.stderr)
        return 2
    if not 1 <= args.window <= STATIC_MAX_STEPS:
        print(f"benchmark.py: error: --window must be between 1 and {STATIC_MAX_STEPS} (the "
              f"static modes unroll every step), got {args.window}", file=sys.stderr)
        return 2
    config = TUTORIAL.replace(INPUT_SEQUENCE_LENGTH=args.window)
    effort = QUICK if args.quick else FULL
    started = time.perf_counter()

    train_batches, predict_inputs = batches(config, 50, effort.predict_windows)
    size = "the tutorial's size" if args.window == 24 else f"a {args.window}-step window"
    print(f"04_01 at {size}: batch 64, {args.window} steps, 28 features, GRU [32, 16]; "
          f"median of up to {effort.rounds * effort.steps} steps per mode, timed in "
          f"{effort.rounds} interleaved rounds after {effort.warmup} warm-up steps; "
          f"prediction on {len(predict_inputs)} windows\n", flush=True)
    rows = measure(list(MODES), config, train_batches, predict_inputs, effort)
    print_table(add_ratios(rows))
    graph_best = min((r for r in rows if r["mode"].startswith("graph")),
                     key=lambda r: r["ms_per_step"])
    other_best = min((r for r in rows if not r["mode"].startswith("graph")),
                     key=lambda r: r["ms_per_step"])
    print(f"\nfastest graph mode: {graph_best['mode']}, "
          f"{other_best['ms_per_step'] / graph_best['ms_per_step']:.2f}x faster per step than "
          f"the fastest other mode ({other_best['mode']})")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(rows, handle, indent=2)
            handle.write("\n")

    swept = ["graph dynamic_rnn + feed_dict", "graph static_rnn + make_callable",
             "graph dynamic_rnn + tf.data", other_best["mode"]]
    if args.quick:
        print("\n--quick: no sweeps of window length and width")
    else:
        sweep(swept, TUTORIAL, (12, 48, 192, 768),
              lambda c, t: c.replace(INPUT_SEQUENCE_LENGTH=t),
              "window length (steps), GRU [32, 16]")
        sweep(swept, TUTORIAL, (32, 128, 512),
              lambda c, w: c.replace(RNN_LAYERS=[{"units": w}, {"units": w // 2}]),
              "first layer width (units; second is half), 24 steps")
    print(f"\nbenchmark took {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
