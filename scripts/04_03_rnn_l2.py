"""04_03_rnn_l2: 04_02 plus a Frobenius-regularised dense layer.

What this script adds to 04_02_rnn_dropout:

  Frobenius_regularization scope: the concatenated final states go through a dense tanh
  layer of RNN_LAYERS[-1]["units"] units whose kernel_regularizer is the tutorial's
  tf.contrib.layers.l2_regularizer(REGULARISATION_SCALE), i.e.
  REGULARISATION_SCALE * tf.nn.l2_loss(kernel) = scale * sum(w^2) / 2;
  loss = tf.add_n([mse] + tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)),
  and TensorBoard gets a `regularisation_loss` scalar next to MSE and RMSE.

Each run writes into logs/04_03_rnn_l2/<run-id>/; see 04_01_dropout.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import cli, models  # noqa: E402  (imports TensorFlow, quietly)
from graphrnn.config import Config  # noqa: E402

# 04_02's hyperparameters, with the regulariser's scale.
CONFIG = Config(
    RNN_LAYERS=[{"units": 32, "keep_prob": 0.9}, {"units": 16, "keep_prob": 0.9}],
    REGULARISATION_SCALE=0.001,
)

if __name__ == "__main__":
    sys.exit(cli.main("04_03_rnn_l2", CONFIG, models.rnn_l2_model, __doc__))
