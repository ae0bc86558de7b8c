"""Whole tutorial models, each composed from graphrnn.layers inside its own tf.Graph.

Usage::

    model = dropout_model(config, n_features=28, n_targets=1)
    with tf.compat.v1.Session(graph=model.graph) as session:
        session.run(model.initializer)
        session.run(model.train_op, {model.predictors: x, model.target: y,
                                     model.dropout_switch: True})
"""

import dataclasses

from graphrnn import layers
from graphrnn.compat import tf, v1
from graphrnn.config import ConfigError


@dataclasses.dataclass(frozen=True)
class GraphModel:
    """A built graph and the tensors the trainer feeds and fetches."""

    name: str
    graph: tf.Graph
    predictors: tf.Tensor  # (B, T_in, F) placeholder
    target: tf.Tensor  # (B, 1, G) placeholder
    dropout_switch: tf.Tensor  # bool, False unless fed
    global_step: tf.Variable
    learning_rate: tf.Tensor
    prediction: tf.Tensor  # (B, G)
    mse: tf.Tensor
    loss: tf.Tensor  # what the optimizer minimises
    train_op: tf.Operation
    summaries: tf.Tensor
    initializer: tf.Operation
    saver: v1.train.Saver


def dropout_model(config, n_features, n_targets):
    """04_01_dropout: GRU layers -> concat of final states -> dropout -> dense."""
    if config.OUTPUT_SEQUENCE_LENGTH != 1:
        raise ConfigError(
            "the chapter 4 models predict one step, so OUTPUT_SEQUENCE_LENGTH must be 1, "
            f"got {config.OUTPUT_SEQUENCE_LENGTH}")
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(config.SEED)
        ins = layers.inputs(
            config.INPUT_SEQUENCE_LENGTH, n_features, config.OUTPUT_SEQUENCE_LENGTH, n_targets,
            (config.INITIAL_LEARNING_RATE, config.LEARNING_RATE_DECAY_STEPS,
             config.LEARNING_RATE_DECAY_RATE))
        _, state = layers.recurrent_layer(ins.predictors, config.RNN_LAYERS)
        prediction = layers.predictions(state, ins.dropout_switch, config.DROPOUT_RATE, n_targets)
        mse = layers.mean_squared_error(prediction, ins.target)
        train_op = layers.gradient_descent(mse, ins.learning_rate, ins.global_step)
        summaries = layers.scalar_summaries(ins.learning_rate, ins.global_step, mse)
        initializer = v1.global_variables_initializer()
        saver = v1.train.Saver(max_to_keep=1)
    return GraphModel("04_01_dropout", graph, ins.predictors, ins.target, ins.dropout_switch,
                      ins.global_step, ins.learning_rate, prediction, mse, mse, train_op,
                      summaries, initializer, saver)
