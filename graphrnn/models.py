"""Whole tutorial models, each composed from graphrnn.layers inside its own tf.Graph.

The models differ only in what sits between the inputs and the loss:

  04_01_dropout      recurrent_layer (GRUs)                        -> predictions
  04_02_rnn_dropout  recurrent_layer (tf.cond: DropoutWrapper'd or plain GRUs, shared)
                                                                    -> predictions
  04_03_rnn_l2       as 04_02 -> Frobenius_regularization (dense tanh, L2 on its kernel)
                                                                    -> predictions
  05_01_rnn_seq      recurrent_layer -> every step's output -> predictions/output_projection
                     (the dense reshape trick); MSE over every step; Adam
  05_02_rnn_variable_seq
                     recurrent_layer fed a sequence_length -> predictions from the final
                     state (taken at each record's own last step); Adam

Usage::

    model = build(RNN_DROPOUT, config, n_features=28, n_targets=1)
    with model.new_session() as session:
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
    cell_dropout: bool = False  # DropoutWrapper on every GRU cell, chosen by tf.cond
    regularised: bool = False  # a Frobenius-regularised dense tanh layer before the predictions
    every_step: bool = False  # predict at every input step (dense reshape trick), not once
    variable_length: bool = False  # records zero-padded to the window, fed with their lengths
    optimizer: str = "gradient_descent"  # a key of layers.OPTIMIZERS


DROPOUT = Variant("04_01_dropout")
RNN_DROPOUT = Variant("04_02_rnn_dropout", cell_dropout=True)
RNN_L2 = Variant("04_03_rnn_l2", cell_dropout=True, regularised=True)
RNN_SEQ = Variant("05_01_rnn_seq", every_step=True, optimizer="adam")
RNN_VARIABLE_SEQ = Variant("05_02_rnn_variable_seq", variable_length=True, optimizer="adam")
VARIANTS = {variant.name: variant
            for variant in (DROPOUT, RNN_DROPOUT, RNN_L2, RNN_SEQ, RNN_VARIABLE_SEQ)}


def forward(variant, config, predictors, dropout_switch, n_targets, sequence_length=None):
    """predictors (B, T, F) -> predictions (B, n_targets), or (B, T, n_targets) for an
    every-step variant; graph and eager alike. sequence_length: (B,) for 05_02."""
    if variant.cell_dropout:
        outputs, state = layers.dropout_recurrent_layer(
            predictors, config.RNN_LAYERS, dropout_switch, config.UNROLLING, sequence_length)
    else:
        outputs, state = layers.recurrent_layer(predictors, config.RNN_LAYERS, config.UNROLLING,
                                                sequence_length)
    if variant.every_step:
        return layers.sequence_predictions(outputs, dropout_switch, config.DROPOUT_RATE,
                                           n_targets)
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
    target: tf.Tensor  # (B, T_out, G) placeholder
    dropout_switch: tf.Tensor  # bool, False unless fed
    global_step: tf.Variable
    learning_rate: tf.Tensor
    prediction: tf.Tensor  # (B, G), or (B, T_out, G) for an every-step model
    mse: tf.Tensor
    loss: tf.Tensor  # what the optimizer minimises: MSE (+ regularisation)
    train_op: tf.Operation
    summaries: tf.Tensor
    initializer: tf.Operation
    best_saver: v1.train.Saver  # the epoch with the lowest validation MSE
    last_saver: v1.train.Saver  # the last finished epoch, for --resume
    sequence_length: tf.Tensor = None  # (B,) int32 placeholder of a variable-length model
    session_config: v1.ConfigProto = None  # how a Session should run the graph

    def new_session(self):
        """A tf.compat.v1.Session on this graph, with the model's session config."""
        return v1.Session(graph=self.graph, config=self.session_config)


def grappler_on(variant, config):
    """Whether TensorFlow's graph optimizer (Grappler) should rewrite the variant's graph.

    GRAPPLER="auto" turns it off where the GRU cells sit in a DropoutWrapper under tf.cond
    (04_02, 04_03): there it spent about 7 s on each new set of fetches (the training
    step, the step with summaries, validation, prediction: 20-30 s of an 80-95 s default
    run) and made the steps no faster. For 04_01 and chapter 5 it pays for itself.
    """
    if config.GRAPPLER != "auto":
        return config.GRAPPLER == "on"
    return not variant.cell_dropout


def session_config(variant, config):
    """The ConfigProto a Session for this variant's graph is created with."""
    proto = v1.ConfigProto()
    proto.graph_options.rewrite_options.disable_meta_optimizer = not grappler_on(variant, config)
    return proto


def check_config(variant, config):
    """Raise ConfigError if the config's output length does not fit the variant."""
    if variant.every_step:
        if config.OUTPUT_SEQUENCE_LENGTH != config.INPUT_SEQUENCE_LENGTH:
            raise ConfigError(
                f"{variant.name} predicts one value per input step, so OUTPUT_SEQUENCE_LENGTH "
                f"must equal INPUT_SEQUENCE_LENGTH ({config.INPUT_SEQUENCE_LENGTH}), got "
                f"{config.OUTPUT_SEQUENCE_LENGTH}")
    elif config.OUTPUT_SEQUENCE_LENGTH != 1:
        raise ConfigError(
            f"{variant.name} predicts one step, so OUTPUT_SEQUENCE_LENGTH must be 1, "
            f"got {config.OUTPUT_SEQUENCE_LENGTH}")


def build(variant, config, n_features, n_targets):
    """Build a tutorial model in a new tf.Graph seeded with config.SEED."""
    check_config(variant, config)
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(config.SEED)
        ins = layers.inputs(
            config.INPUT_SEQUENCE_LENGTH, n_features, config.OUTPUT_SEQUENCE_LENGTH, n_targets,
            (config.INITIAL_LEARNING_RATE, config.LEARNING_RATE_DECAY_STEPS,
             config.LEARNING_RATE_DECAY_RATE), with_lengths=variant.variable_length)
        prediction = forward(variant, config, ins.predictors, ins.dropout_switch, n_targets,
                             ins.sequence_length)
        mse = layers.mean_squared_error(prediction, ins.target)
        loss, regularisation = (layers.regularised_loss(mse) if variant.regularised
                                else (mse, None))
        train_op = layers.OPTIMIZERS[variant.optimizer](loss, ins.learning_rate, ins.global_step)
        summaries = layers.scalar_summaries(ins.learning_rate, ins.global_step, mse,
                                            regularisation_loss=regularisation)
        initializer = v1.global_variables_initializer()
        best_saver = v1.train.Saver(max_to_keep=1, name="best_saver")
        last_saver = v1.train.Saver(max_to_keep=1, name="last_saver")
    return GraphModel(variant.name, graph, ins.predictors, ins.target, ins.dropout_switch,
                      ins.global_step, ins.learning_rate, prediction, mse, loss, train_op,
                      summaries, initializer, best_saver, last_saver, ins.sequence_length,
                      session_config(variant, config))


def dropout_model(config, n_features, n_targets):
    """04_01_dropout: GRU layers -> concat of final states -> dropout -> dense."""
    return build(DROPOUT, config, n_features, n_targets)


def rnn_dropout_model(config, n_features, n_targets):
    """04_02_rnn_dropout: 04_01 with a DropoutWrapper on each GRU cell under tf.cond."""
    return build(RNN_DROPOUT, config, n_features, n_targets)


def rnn_l2_model(config, n_features, n_targets):
    """04_03_rnn_l2: 04_02 with a Frobenius-regularised dense tanh layer before the output."""
    return build(RNN_L2, config, n_features, n_targets)


def rnn_seq_model(config, n_features, n_targets):
    """05_01_rnn_seq: GRU layers -> every step's output -> the dense reshape trick; Adam."""
    return build(RNN_SEQ, config, n_features, n_targets)


def rnn_variable_seq_model(config, n_features, n_targets):
    """05_02_rnn_variable_seq: GRU layers over zero-padded records of known lengths ->
    final state -> dense; Adam."""
    return build(RNN_VARIABLE_SEQ, config, n_features, n_targets)
