"""05_01_rnn_seq: many to many. Predict, at every step of a 4-hour window, the appliances'
energy use one hour later, with one dense layer applied to all steps at once.

The chapter's graph, written with tf.compat.v1 on TensorFlow 2, in its scope order:

  inputs             in_seq [None, 24, 28], out_seq [None, 24, 1] (each input step's
                     reading shifted one hour ahead), the training switch, learning_rate
  recurrent_layer    GRUCell per RNN_LAYERS entry -> MultiRNNCell -> dynamic_rnn
  predictions        dropout(training=training) on every step's output, then
    output_projection  the dense reshape trick: reshape (B*24, 16) -> dense(1)
                       -> reshape (B, 24, 1)
  loss, training     mean squared error over every step; AdamOptimizer

Step t of the prediction has seen t+1 readings, so the error falls along the window;
the run prints the test RMSE of each step next to persistence (the reading at step t).
Each run writes TensorBoard logs, checkpoints, metrics.json, predictions.csv (one row
per window and step) and forecast.png (one test window) into logs/05_01_rnn_seq/<run-id>/.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

OPTIONS = options.tutorial("05_01_rnn_seq", __doc__)
options.answer_early(__name__, OPTIONS)  # --help and option errors: at once, not after TF loads

from graphrnn import graph_holder, layers, runs, tutorial_script  # noqa: E402  (TensorFlow)
from graphrnn.compat import tf, v1  # noqa: E402
from graphrnn.config import Config  # noqa: E402

# Hyperparameters, under the tutorial's names.
CONFIG = Config(
    INPUT_SEQUENCE_LENGTH=24,  # four hours of 10-minute readings
    OUTPUT_SEQUENCE_LENGTH=24,  # one prediction per input step
    OUTPUT_SEQUENCE_STEPS_AHEAD=6,  # each one hour after its input step
    RNN_LAYERS=[{"units": 32, "keep_prob": 1.0}, {"units": 16, "keep_prob": 1.0}],
    DROPOUT_RATE=0.1,
    OPTIMIZER="adam",
    INITIAL_LEARNING_RATE=0.005,  # Adam's
    LEARNING_RATE_DECAY_STEPS=2000,
    LEARNING_RATE_DECAY_RATE=0.8,
    BATCH_SIZE=64,
    EPOCHS=20,
)


def network(in_seq, training, config, n_targets):
    """recurrent_layer -> predictions: windows (B, T, F) -> predictions (B, T, n_targets).

    graphrnn.eager.EagerNetwork runs this same function eagerly, with training a bool.
    """
    # Every scope draws its initial weights from the graph seed (tf-keras cells alone
    # would draw fresh seeds in Python, and --seed would not repeat a run).
    with v1.variable_scope("recurrent_layer", initializer=layers.seeded_glorot()):
        gru_cells = [v1.nn.rnn_cell.GRUCell(num_units=layer["units"])
                     for layer in config.RNN_LAYERS]
        rnn_cells = v1.nn.rnn_cell.MultiRNNCell(cells=gru_cells)
        # tf.nn.dynamic_rnn; UNROLL="static" (the default up to 96 steps) runs static_rnn
        # instead: the same variables and numbers, faster
        rnn_output, rnn_state = layers.dynamic_rnn(rnn_cells, in_seq, config.UNROLLING)

    with v1.variable_scope("predictions", initializer=layers.seeded_glorot()):
        output = v1.layers.dropout(rnn_output, rate=config.DROPOUT_RATE, training=training)
        # The dense reshape trick: one dense layer, one kernel, applied to every step at once.
        steps, units = config.INPUT_SEQUENCE_LENGTH, config.RNN_LAYERS[-1]["units"]
        with v1.variable_scope("output_projection"):
            output = tf.reshape(output, [-1, units])  # (B*T, H)
            output = v1.layers.dense(output, units=n_targets, name="dense")  # (B*T, G)
            return tf.reshape(output, [-1, steps, n_targets])  # (B, T, G)


def graph(config, n_features, n_targets):
    """The tutorial's graph, built into the default graph."""
    with v1.variable_scope("inputs"):
        in_seq = v1.placeholder(tf.float32, [None, config.INPUT_SEQUENCE_LENGTH, n_features],
                                name="predictors")
        out_seq = v1.placeholder(tf.float32, [None, config.OUTPUT_SEQUENCE_LENGTH, n_targets],
                                 name="target")
        # training feeds True; evaluation and prediction leave the default
        training = v1.placeholder_with_default(False, shape=None, name="dropout_switch")
        with v1.variable_scope("learning_rate"):
            global_step = tf.Variable(0, trainable=False, name="global_step")
            learning_rate = v1.train.exponential_decay(
                config.INITIAL_LEARNING_RATE, global_step, config.LEARNING_RATE_DECAY_STEPS,
                config.LEARNING_RATE_DECAY_RATE, staircase=True, name="learning_rate")

    prediction = network(in_seq, training, config, n_targets)

    with v1.name_scope("loss"):
        # (B, T, G) against (B, T, G): the mean over every step
        loss = v1.losses.mean_squared_error(labels=out_seq, predictions=prediction)
    with v1.variable_scope("training"):
        # the chapter's Adam (OPTIMIZER="adam", as in CONFIG) or plain gradient descent
        optimizer = (v1.train.AdamOptimizer(learning_rate) if config.OPTIMIZER == "adam"
                     else v1.train.GradientDescentOptimizer(learning_rate))
        train_step = optimizer.minimize(loss, global_step=global_step)
    return graph_holder.Tensors(predictors=in_seq, target=out_seq, dropout_switch=training,
                                global_step=global_step, learning_rate=learning_rate,
                                prediction=prediction, mse=loss, loss=loss, train_op=train_step)


TUTORIAL = graph_holder.Tutorial("05_01_rnn_seq", graph, network, every_step=True)


def main(argv=None):
    """Run the script with these command-line arguments; return its exit status."""
    return tutorial_script.main(TUTORIAL, CONFIG, OPTIONS, argv,
                                source=tutorial_script.ENERGY_EVERY_STEP)


if __name__ == "__main__":
    runs.prepare_process()  # the process is the script's: line-buffered, deterministic ops
    sys.exit(main())
