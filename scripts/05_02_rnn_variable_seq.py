"""05_02_rnn_variable_seq: records of different lengths, zero-padded, through dynamic_rnn
with their true lengths. Predict where each record's wave will be 3 steps after it ends.

The data is generated, as in the tutorial: every record is a stretch of its own sine
wave (random amplitude, period 8-40 steps, phase, a little noise), 8 to 30 readings
long, zero-padded at the end to 30 steps, with its true length kept beside it.

The chapter's graph, written with tf.compat.v1 on TensorFlow 2, in its scope order:

  inputs           in_seq [None, 30, 1], out_seq [None, 1, 1], sequence_length [None],
                   the training switch, learning_rate
  recurrent_layer  GRUCell per RNN_LAYERS entry -> MultiRNNCell ->
                   dynamic_rnn(..., sequence_length=sequence_length): past a record's
                   length the outputs are zero and the state stays as it was
  predictions      concat(final states) -> dropout(training=training) -> dense `prediction`
  loss, training   mean squared error; AdamOptimizer

Persistence here is each record's last real reading. A length of 0 or one longer than
the padded width is refused before the session runs. Each run writes TensorBoard logs,
checkpoints, metrics.json, predictions.csv and forecast.png (predicted against actual)
into logs/05_02_rnn_variable_seq/<run-id>/.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import options  # noqa: E402  (argparse only)

OPTIONS = options.tutorial("05_02_rnn_variable_seq", __doc__, reads_files=False)
options.answer_early(__name__, OPTIONS)  # --help and option errors: at once, not after TF loads

from graphrnn import graph_holder, layers, runs, tutorial_script  # noqa: E402  (TensorFlow)
from graphrnn.compat import tf, v1  # noqa: E402
from graphrnn.config import Config  # noqa: E402

# Hyperparameters, under the tutorial's names.
CONFIG = Config(
    INPUT_SEQUENCE_LENGTH=30,  # the padded width; each record is 8 to 30 steps long
    OUTPUT_SEQUENCE_LENGTH=1,
    OUTPUT_SEQUENCE_STEPS_AHEAD=3,  # the wave 3 steps after the record's last reading
    RNN_LAYERS=[{"units": 32, "keep_prob": 1.0}, {"units": 16, "keep_prob": 1.0}],
    DROPOUT_RATE=0.0,
    OPTIMIZER="adam",
    INITIAL_LEARNING_RATE=0.005,  # Adam's
    LEARNING_RATE_DECAY_STEPS=2000,
    LEARNING_RATE_DECAY_RATE=0.8,
    BATCH_SIZE=64,
    EPOCHS=20,
    UNROLL="dynamic",  # the tutorial's dynamic_rnn; static_rnn takes sequence_length too
)


def network(in_seq, training, config, n_targets, sequence_length):
    """recurrent_layer -> predictions: records (B, T, F) of lengths (B,) -> (B, n_targets).

    graphrnn.eager.EagerNetwork runs this same function eagerly, with training a bool.
    """
    # Every scope draws its initial weights from the graph seed (tf-keras cells alone
    # would draw fresh seeds in Python, and --seed would not repeat a run).
    with v1.variable_scope("recurrent_layer", initializer=layers.seeded_glorot()):
        gru_cells = [v1.nn.rnn_cell.GRUCell(num_units=layer["units"])
                     for layer in config.RNN_LAYERS]
        rnn_cells = v1.nn.rnn_cell.MultiRNNCell(cells=gru_cells)
        # tf.nn.dynamic_rnn with each record's length: rnn_state holds every layer's state
        # at the record's own last step (UNROLL="static": static_rnn, the same numbers)
        rnn_output, rnn_state = layers.dynamic_rnn(rnn_cells, in_seq, config.UNROLLING,
                                                   sequence_length=sequence_length)

    with v1.variable_scope("predictions", initializer=layers.seeded_glorot()):
        output = tf.concat(rnn_state, axis=1)  # (B, 32 + 16): every layer's final state
        output = v1.layers.dropout(output, rate=config.DROPOUT_RATE, training=training)
        return v1.layers.dense(output, units=n_targets, name="prediction")  # (B, G)


def graph(config, n_features, n_targets):
    """The tutorial's graph, built into the default graph."""
    with v1.variable_scope("inputs"):
        in_seq = v1.placeholder(tf.float32, [None, config.INPUT_SEQUENCE_LENGTH, n_features],
                                name="predictors")
        out_seq = v1.placeholder(tf.float32, [None, config.OUTPUT_SEQUENCE_LENGTH, n_targets],
                                 name="target")
        # training feeds True; evaluation and prediction leave the default
        training = v1.placeholder_with_default(False, shape=None, name="dropout_switch")
        # each record's true length; the steps after it are zero padding
        sequence_length = v1.placeholder(tf.int32, [None], name="sequence_length")
        with v1.variable_scope("learning_rate"):
            global_step = tf.Variable(0, trainable=False, name="global_step")
            learning_rate = v1.train.exponential_decay(
                config.INITIAL_LEARNING_RATE, global_step, config.LEARNING_RATE_DECAY_STEPS,
                config.LEARNING_RATE_DECAY_RATE, staircase=True, name="learning_rate")

    prediction = network(in_seq, training, config, n_targets, sequence_length)

    with v1.name_scope("loss"):
        truth = tf.squeeze(out_seq, axis=1)  # (B, 1, G) -> (B, G)
        loss = v1.losses.mean_squared_error(labels=truth, predictions=prediction)
    with v1.variable_scope("training"):
        # the chapter's Adam (OPTIMIZER="adam", as in CONFIG) or plain gradient descent
        optimizer = (v1.train.AdamOptimizer(learning_rate) if config.OPTIMIZER == "adam"
                     else v1.train.GradientDescentOptimizer(learning_rate))
        train_step = optimizer.minimize(loss, global_step=global_step)
    return graph_holder.Tensors(predictors=in_seq, target=out_seq, dropout_switch=training,
                                global_step=global_step, learning_rate=learning_rate,
                                prediction=prediction, mse=loss, loss=loss, train_op=train_step,
                                sequence_length=sequence_length)


TUTORIAL = graph_holder.Tutorial("05_02_rnn_variable_seq", graph, network, variable_length=True)


def main(argv=None):
    """Run the script with these command-line arguments; return its exit status."""
    return tutorial_script.main(TUTORIAL, CONFIG, OPTIONS, argv, source=tutorial_script.RECORDS)


if __name__ == "__main__":
    runs.prepare_process()  # the process is the script's: line-buffered, deterministic ops
    sys.exit(main())
