"""05_02_rnn_variable_seq: records of different lengths, zero-padded, through dynamic_rnn
with their true lengths. Predict where each record's wave will be 3 steps after it ends.

The data is generated, as in the tutorial: every record is a stretch of its own sine
wave (random amplitude, period 8-40 steps, phase, a little noise), 8 to 30 readings
long, zero-padded at the end to 30 steps, with its true length kept beside it.

The tutorial's graph, built with tf.compat.v1 on TensorFlow 2:

  inputs           predictors [None, 30, 1], target [None, 1, 1], sequence_length [None],
                   the dropout switch, learning_rate
  recurrent_layer  GRUCell per RNN_LAYERS entry -> MultiRNNCell ->
                   dynamic_rnn(..., sequence_length=sequence_length): past a record's
                   length the outputs are zero and the state stays as it was
  predictions      concat(final states) -> dropout(training=switch) -> dense(1)
  loss, training   mean squared error; AdamOptimizer

Persistence here is each record's last real reading. A length of 0 or one longer than
the padded width is refused before the session runs. Each run writes TensorBoard logs,
checkpoints, metrics.json, predictions.csv and forecast.png (predicted against actual)
into logs/05_02_rnn_variable_seq/<run-id>/.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import cli, models  # noqa: E402  (imports TensorFlow, quietly)
from graphrnn.config import Config  # noqa: E402

# Hyperparameters, under the tutorial's names.
CONFIG = Config(
    INPUT_SEQUENCE_LENGTH=30,  # the padded width; each record is 8 to 30 steps long
    OUTPUT_SEQUENCE_LENGTH=1,
    OUTPUT_SEQUENCE_STEPS_AHEAD=3,  # the wave 3 steps after the record's last reading
    RNN_LAYERS=[{"units": 32, "keep_prob": 1.0}, {"units": 16, "keep_prob": 1.0}],
    DROPOUT_RATE=0.0,
    INITIAL_LEARNING_RATE=0.005,  # Adam's
    LEARNING_RATE_DECAY_STEPS=2000,
    LEARNING_RATE_DECAY_RATE=0.8,
    BATCH_SIZE=64,
    EPOCHS=20,
    UNROLL="dynamic",  # the tutorial's dynamic_rnn; static_rnn takes sequence_length too
)

if __name__ == "__main__":
    sys.exit(cli.main("05_02_rnn_variable_seq", CONFIG, models.rnn_variable_seq_model,
                      __doc__, source=cli.RECORDS))
