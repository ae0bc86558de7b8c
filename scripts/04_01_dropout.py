"""04_01_dropout: predict the appliances' energy use one hour ahead with stacked GRUs.

The tutorial's graph, built with tf.compat.v1 on TensorFlow 2:

  inputs           predictors [None, 24, 28], target [None, 1, 1], the dropout switch
                   (placeholder_with_default(False)); learning_rate: global_step and
                   exponential_decay(staircase=True)
  recurrent_layer  GRUCell per RNN_LAYERS entry -> MultiRNNCell -> dynamic_rnn
                   (unrolled by static_rnn for windows up to 96 steps: the same numbers,
                   faster; --unroll dynamic keeps the tutorial's loop)
  predictions      concat(final states) -> dropout(training=switch) -> dense(1)
  loss, training   mean squared error; GradientDescentOptimizer.minimize(global_step)

Each run writes TensorBoard logs, a checkpoint, metrics.json, predictions.csv and
forecast.png into logs/04_01_dropout/<run-id>/. Open the curves with
`tensorboard --logdir logs`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import cli, models  # noqa: E402  (imports TensorFlow, quietly)
from graphrnn.config import Config  # noqa: E402

# Hyperparameters, under the tutorial's names.
CONFIG = Config(
    INPUT_SEQUENCE_LENGTH=24,  # four hours of 10-minute readings
    OUTPUT_SEQUENCE_LENGTH=1,
    OUTPUT_SEQUENCE_STEPS_AHEAD=6,  # the reading one hour after the window
    RNN_LAYERS=[{"units": 32, "keep_prob": 1.0}, {"units": 16, "keep_prob": 1.0}],
    DROPOUT_RATE=0.1,
    INITIAL_LEARNING_RATE=0.05,  # 0.08 already diverges in the first epoch
    LEARNING_RATE_DECAY_STEPS=2000,
    LEARNING_RATE_DECAY_RATE=0.8,
    BATCH_SIZE=64,
    EPOCHS=20,
)

if __name__ == "__main__":
    sys.exit(cli.main("04_01_dropout", CONFIG, models.dropout_model, __doc__))
