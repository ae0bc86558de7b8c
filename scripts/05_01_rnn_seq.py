"""05_01_rnn_seq: many to many. Predict, at every step of a 4-hour window, the appliances'
energy use one hour later, with one dense layer applied to all steps at once.

The tutorial's graph, built with tf.compat.v1 on TensorFlow 2:

  inputs             predictors [None, 24, 28], target [None, 24, 1] (each input step's
                     reading shifted one hour ahead), the dropout switch, learning_rate
  recurrent_layer    GRUCell per RNN_LAYERS entry -> MultiRNNCell -> dynamic_rnn
                     (static_rnn for windows up to 96 steps: the same numbers, faster)
  predictions        dropout(training=switch) on every step's output, then
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

from graphrnn import cli, models  # noqa: E402  (imports TensorFlow, quietly)
from graphrnn.config import Config  # noqa: E402

# Hyperparameters, under the tutorial's names.
CONFIG = Config(
    INPUT_SEQUENCE_LENGTH=24,  # four hours of 10-minute readings
    OUTPUT_SEQUENCE_LENGTH=24,  # one prediction per input step
    OUTPUT_SEQUENCE_STEPS_AHEAD=6,  # each one hour after its input step
    RNN_LAYERS=[{"units": 32, "keep_prob": 1.0}, {"units": 16, "keep_prob": 1.0}],
    DROPOUT_RATE=0.1,
    INITIAL_LEARNING_RATE=0.005,  # Adam's
    LEARNING_RATE_DECAY_STEPS=2000,
    LEARNING_RATE_DECAY_RATE=0.8,
    BATCH_SIZE=64,
    EPOCHS=20,
)

if __name__ == "__main__":
    sys.exit(cli.main("05_01_rnn_seq", CONFIG, models.rnn_seq_model, __doc__,
                      source=cli.ENERGY_EVERY_STEP))
