"""Whole tutorial models, each composed from graphrnn.layers inside its own tf.Graph.

The three chapter 4 models differ only in what sits between the inputs and the loss:

  04_01_dropout      recurrent_layer (GRUs)                        -> predictions
  04_02_rnn_dropout  recurrent_layer (tf.cond: DropoutWrapper'd or plain GRUs, shared)
                                                                    -> predictions
  04_03_rnn_l2       as 04_02 -> Frobenius_regularization (dense tanh, L2 on its kernel)
                                                                    -> predictions

Usage::

    model = build(RNN_DROPOUT, config, n_features=28, n_targets=1)
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
class Variant:
    """What one tutorial script adds to the network."""

    name: str
    cell_dropout: bool  # DropoutWrapper on every GRU cell, chosen by tf.cond
    regularised: bool  # a Frobenius-regularised dense tanh layer before the predictions


DROPOUT = Variant("04_01_dropout", cell_dropout=False, regularised=False)
RNN_DROPOUT = Variant("04_02_rnn_dropout", cell_dropout=True, regularised=False)
RNN_L2 = Variant("04_03_rnn_l2", cell_dropout=True, regularised=True)


def forward(variant, config, predictors, dropout_switch, n_targets):
    """predictors (B, T, F) -> predictions (B, n_targets); graph and eager alike."""
    if variant.cell_dropout:
        _, state = layers.dropout_recurrent_layer(predictors, config.RNN_LAYERS, dropout_switch,
                                                  config.UNROLLING)
    else:
        _, state = layers.recurrent_layer(predictors, config.RNN_LAYERS, config.UNROLLING)
    if variant.regularised:
        state = layers.frobenius_dense(state, config.RNN_LAYERS[-1]["units"],
                                       config.REGULARISATION_SCALE)
    return layers.predictions(state, dropout_switch, config.DROPOUT_RATE, n_targets)


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
    loss: tf.Tensor  # what the optimizer minimises: MSE (+ regularisation)
    train_op: tf.Operation
    summaries: tf.Tensor
    initializer: tf.Operation
    best_saver: v1.train.Saver  # the epoch with the lowest validation MSE
    last_saver: v1.train.Saver  # the last finished epoch, for --resume


def build(variant, config, n_features, n_targets):
    """Build a chapter 4 model in a new tf.Graph seeded with config.SEED."""
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
        prediction = forward(variant, config, ins.predictors, ins.dropout_switch, n_targets)
        mse = layers.mean_squared_error(prediction, ins.target)
        loss, regularisation = (layers.regularised_loss(mse) if variant.regularised
                                else (mse, None))
        train_op = layers.gradient_descent(loss, ins.learning_rate, ins.global_step)
        summaries = layers.scalar_summaries(ins.learning_rate, ins.global_step, mse,
                                            regularisation_loss=regularisation)
        initializer = v1.global_variables_initializer()
        best_saver = v1.train.Saver(max_to_keep=1, name="best_saver")
        last_saver = v1.train.Saver(max_to_keep=1, name="last_saver")
    return GraphModel(variant.name, graph, ins.predictors, ins.target, ins.dropout_switch,
                      ins.global_step, ins.learning_rate, prediction, mse, loss, train_op,
                      summaries, initializer, best_saver, last_saver)


def dropout_model(config, n_features, n_targets):
    """04_01_dropout: GRU layers -> concat of final states -> dropout -> dense."""
    return build(DROPOUT, config, n_features, n_targets)


def rnn_dropout_model(config, n_features, n_targets):
    """04_02_rnn_dropout: 04_01 with a DropoutWrapper on each GRU cell under tf.cond."""
    return build(RNN_DROPOUT, config, n_features, n_targets)


def rnn_l2_model(config, n_features, n_targets):
    """04_03_rnn_l2: 04_02 with a Frobenius-regularised dense tanh layer before the output."""
    return build(RNN_L2, config, n_features, n_targets)
