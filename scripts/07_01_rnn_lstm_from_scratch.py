"""07_01_rnn_lstm_from_scratch: an RNN and an LSTM built by hand from get_variable, their
time loop unrolled in Python, as the from-scratch TF1 tutorial did.

The data: 1,000 sequences of 10 values, x_0 uniform in [0, 1) (NumPy seed 1, as in the
tutorial; --seed changes the weights only) and x_t = 1.1 x_{t-1} + 0.3. The first nine
values predict the tenth; the first 800 sequences train, the last 200 test.

The graphs (graphrnn.scratch):

  rnn_from_scratch   h_t = sigmoid(x_t W_x + h_{t-1} W_h + b), 4 hidden units
  lstm_from_scratch  gates i, f, o (sigmoid) and g (tanh), 4 hidden units;
                     c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)
  output             y = h_9 W_y + b_y
  training           mean squared error; AdamOptimizer(0.1), 100 steps on all 800

The tutorial's LSTM computed its forget gate as f = sigmoid(g): the candidate's
pre-activation. graphrnn's LSTM uses the forget gate's own weights; --forget-gate
original rebuilds the tutorial's version, and the default (both) trains all three
models and prints their test MSE next to the published 0.2066 (RNN) and 0.1189 (LSTM).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

STEPS, QUICK_STEPS = 100, 20
OPTIONS = options.lesson("07_01_rnn_lstm_from_scratch", __doc__)
OPTIONS.add_argument("--forget-gate", choices=("correct", "original", "both"), default="both",
                     help="the LSTM's forget gate: sigmoid of its own pre-activation "
                          "(correct), the tutorial's sigmoid(g) (original), or both")
OPTIONS.add_argument("--steps", type=int,
                     help=f"Adam steps (default {STEPS}; --quick {QUICK_STEPS})")
options.answer_early(__name__, OPTIONS)  # --help and option errors: at once, not after TF loads

import numpy as np  # noqa: E402

from graphrnn import board, graph_holder, layers, report, runs, scratch, tags, train  # noqa: E402
from graphrnn.compat import tf, v1  # noqa: E402

SEQUENCES, LENGTH, TRAIN = 1000, 10, 800
DATA_SEED = 1
UNITS, LEARNING_RATE = 4, 0.1
PUBLISHED = {"rnn": 0.2066, "lstm_original": 0.1189}
MODELS = {  # name: (description, builder)
    "rnn": ("RNN (sigmoid)", lambda x: scratch.rnn(x, UNITS)),
    "lstm": ("LSTM, forget gate sigmoid(f)", lambda x: scratch.lstm(x, UNITS)),
    "lstm_original": ("LSTM, tutorial's sigmoid(g)",
                      lambda x: scratch.lstm(x, UNITS, original_forget_gate=True)),
}


def sequences():
    """(1000, 10) float32: x_0 uniform in [0, 1), then x_t = 1.1 x_{t-1} + 0.3."""
    values = np.empty((SEQUENCES, LENGTH))
    values[:, 0] = np.random.RandomState(DATA_SEED).rand(SEQUENCES)
    for t in range(1, LENGTH):
        values[:, t] = 1.1 * values[:, t - 1] + 0.3
    return values.astype(np.float32)


def graph(name):
    """The graph function of one model (for graph_holder.build_graph, which seeds it)."""
    def build():
        x = v1.placeholder(tf.float32, [None, LENGTH - 1, 1], name="x")
        y = v1.placeholder(tf.float32, [None, 1], name="y")
        prediction = scratch.linear_output(MODELS[name][1](x), 1)
        mse = v1.losses.mean_squared_error(labels=y, predictions=prediction)
        global_step = tf.Variable(0, trainable=False, name="global_step")
        with v1.variable_scope("training"):
            train_op = v1.train.AdamOptimizer(LEARNING_RATE).minimize(
                mse, global_step=global_step)
        layers.scalar_summary(  # tf.summary.scalar, under `summaries`
            "2_loss/train_MSE", mse, "The loss the optimiser minimises: the mean squared "
            "error on the 800 training sequences (no unit), after the last step. "
            + tags.STEPS)
        return graph_holder.Tensors(predictors=x, target=y, prediction=prediction, mse=mse,
                                    loss=mse, train_op=train_op, global_step=global_step)
    return build


def train_and_test(name, data, steps, seed, run_dir):
    """Train one model on the first 800 sequences; its test MSE on the last 200. Its
    TensorBoard run <run_dir>/<name> holds its graph, its training and test MSE and an
    HParams row."""
    inputs, targets = data[:, :-1, None], data[:, -1:]  # (N, 9, 1), (N, 1)
    model = graph_holder.build_graph(name, graph(name), seed)
    with model.new_session() as session, \
            board.writer(f"{run_dir}/{name}", graph=model.graph) as writer:
        session.run(model.initializer)
        step = train.training_step(session, model)  # (x, y) -> [None, loss]
        # the tutorial's full-batch training: each epoch is one step on all 800 sequences
        train.train_epochs(steps, lambda epoch: [slice(0, TRAIN)],
                           {name: lambda rows: step(inputs[rows], targets[rows])[1]})
        writer.add_summary(session.run(model.summaries, {model.predictors: inputs[:TRAIN],
                                                         model.target: targets[:TRAIN]}), steps)
        predicted = session.run(model.prediction, {model.predictors: inputs[TRAIN:]})
    mse = report.regression_metrics(targets[TRAIN:], predicted)["mse"]
    settings = {"MODEL": name, "UNITS": UNITS, "LEARNING_RATE": LEARNING_RATE,
                "STEPS": steps, "SEED": seed}
    trial = board.trial_name("07_01_rnn_lstm_from_scratch", run_dir, name)
    board.write_results(f"{run_dir}/{name}", {tags.test_errors(unit="")["mse"]: mse}, steps,
                        session=(trial, settings))
    return mse


def run(args, run_dir):
    steps = (QUICK_STEPS if args.quick else STEPS) if args.steps is None else args.steps
    runs.positive("--steps", steps)
    names = ["rnn"] + {"correct": ["lstm"], "original": ["lstm_original"],
                       "both": ["lstm", "lstm_original"]}[args.forget_gate]
    data = sequences()
    print(f"07_01_rnn_lstm_from_scratch: {SEQUENCES} sequences x_t = 1.1 x_(t-1) + 0.3, "
          f"{TRAIN} train, {SEQUENCES - TRAIN} test; {steps} Adam steps")
    results = {name: train_and_test(name, data, steps, args.seed, run_dir) for name in names}
    print(f"{'model':32s} {'test MSE':>9s} {'published':>10s}")
    for name, mse in results.items():
        published = f"{PUBLISHED[name]:.4f}" if name in PUBLISHED else "-"
        print(f"{MODELS[name][0]:32s} {mse:9.4f} {published:>10s}")
    return {"test_mse": results, "published_test_mse": PUBLISHED, "steps": steps}


def main(argv=None):
    """Run the lesson with these command-line arguments; return its exit status."""
    return runs.lesson("07_01_rnn_lstm_from_scratch", OPTIONS, run, argv)


if __name__ == "__main__":
    runs.prepare_process()  # the process is the script's: line-buffered, deterministic ops
    sys.exit(main())
