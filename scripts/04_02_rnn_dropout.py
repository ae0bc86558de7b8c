"""04_02_rnn_dropout: 04_01 plus dropout between the recurrent layers.

What this script adds to 04_01_dropout, in the recurrent_layer scope:

  each GRUCell wrapped in DropoutWrapper(output_keep_prob=keep_prob), with the keep_prob
  of its RNN_LAYERS entry; tf.cond(dropout_switch, with_dropout, without_dropout) picks
  the network. Both branches are built in one variable scope with reuse=AUTO_REUSE, so
  they share one set of weights (the tutorial used two scopes, and so evaluated with
  weights that never trained).

Each run writes into logs/04_02_rnn_dropout/<run-id>/; see 04_01_dropout.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from graphrnn import cli, models  # noqa: E402  (imports TensorFlow, quietly)
from graphrnn.config import Config  # noqa: E402

# 04_01's hyperparameters (the Config defaults), with a keep_prob for every GRU layer.
CONFIG = Config(
    RNN_LAYERS=[{"units": 32, "keep_prob": 0.9}, {"units": 16, "keep_prob": 0.9}],
)

if __name__ == "__main__":
    sys.exit(cli.main("04_02_rnn_dropout", CONFIG, models.rnn_dropout_model, __doc__))
