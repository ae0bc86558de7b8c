"""The graph holder: a tutorial script's graph, built in its own tf.Graph, and the tensors
the trainer feeds and fetches.

Each numbered script (04_01 ... 05_02) writes its chapter's graph code itself, in two
functions, and describes itself with a `Tutorial`:

  network(in_seq, training, config, n_targets[, sequence_length])
      the scopes between the inputs and the loss (recurrent_layer, Frobenius_regularization,
      predictions): windows (B, T, F) -> predictions. It runs in a graph and also eagerly
      (graphrnn.eager.EagerNetwork), where `training` is a Python bool.
  graph(config, n_features, n_targets)
      the whole tutorial graph in the default graph: inputs, network(...), loss and
      training; returns a `Tensors`.

Lessons (06_xx to 09_xx) put their graphs in the same holder with build_graph.

Usage::

    model = build(script.TUTORIAL, config, n_features=28, n_targets=1)
    with model.new_session() as session:
        session.run(model.initializer)
        session.run(model.train_op, {model.predictors: x, model.target: y,
                                     model.dropout_switch: True})
"""

import dataclasses
import importlib.util
import typing

from graphrnn import layers, tags
from graphrnn.compat import tf, v1
from graphrnn.config import ConfigError


@dataclasses.dataclass(frozen=True)
class Tutorial:
    """A tutorial script's graph functions and what its network holds (for the Keras 3
    export and the session settings)."""

    name: str  # the script's name, e.g. "04_02_rnn_dropout"
    graph: typing.Callable  # (config, n_features, n_targets) -> Tensors
    network: typing.Callable  # (in_seq, training, config, n_targets, ...) -> prediction
    cell_dropout: bool = False  # DropoutWrapper on every GRU cell, chosen by tf.cond
    regularised: bool = False  # a Frobenius-regularised dense tanh layer before the predictions
    every_step: bool = False  # predict at every input step (dense reshape trick), not once
    variable_length: bool = False  # records zero-padded to the window, fed with their lengths


@dataclasses.dataclass(frozen=True)
class Tensors:
    """What a graph function returns: the tensors the trainer and the scripts feed and
    fetch, under graphrnn's names (a lesson leaves out what its graph lacks)."""

    predictors: tf.Tensor  # in_seq, (B, T_in, F) placeholder
    prediction: tf.Tensor  # (B, G), or (B, T_out, G) for an every-step model
    target: tf.Tensor = None  # out_seq, (B, T_out, G) placeholder
    dropout_switch: tf.Tensor = None  # training, bool, False unless fed
    global_step: tf.Variable = None  # one more after every training step
    learning_rate: tf.Tensor = None
    mse: tf.Tensor = None
    loss: tf.Tensor = None  # what the optimizer minimises: MSE (+ regularisation)
    train_op: tf.Operation = None
    sequence_length: tf.Tensor = None  # (B,) int32 placeholder of a variable-length model
    fetches: dict = dataclasses.field(default_factory=dict)  # other tensors, by name


@dataclasses.dataclass(frozen=True)
class GraphModel(Tensors):
    """The one graph holder: a built tf.Graph, its Tensors, and how to run it."""

    name: str = ""
    graph: tf.Graph = None
    tutorial: Tutorial = None  # a numbered script's (None for a lesson's graph)
    summaries: tf.Tensor = None  # every summary the graph defines, merged (or None)
    initializer: tf.Operation = None
    session_config: v1.ConfigProto = None  # how a Session should run the graph

    def new_session(self):
        """A tf.compat.v1.Session on this graph, with the model's session config."""
        return v1.Session(graph=self.graph, config=self.session_config)


def build_graph(name, graph_fn, seed, session_config=None, tutorial=None):
    """Any graph into the one holder: graph_fn() builds into a fresh tf.Graph seeded with
    `seed` and returns Tensors; its summaries are merged, an initializer added."""
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(seed)
        tensors = graph_fn()
        with v1.name_scope("summaries/"):  # bookkeeping stays out of the tutorial's scopes
            summaries = v1.summary.merge_all()
        with v1.name_scope("checkpoints/"):  # beside the savers: how variables get values
            # every variable, and the lookup tables of a graph that has some (09_02)
            initializer = v1.group(v1.variables_initializer(v1.global_variables()),
                                   v1.tables_initializer(), name="init")
    fields = {field.name: getattr(tensors, field.name) for field in dataclasses.fields(Tensors)}
    return GraphModel(**fields, name=name, graph=graph, tutorial=tutorial,
                      summaries=summaries, initializer=initializer,
                      session_config=session_config)


def grappler_on(tutorial, config):
    """Whether TensorFlow's graph optimizer (Grappler) should rewrite the tutorial's graph.

    GRAPPLER="auto" turns it off where the GRU cells sit in a DropoutWrapper under tf.cond
    (04_02, 04_03): there it spends seconds optimising each new set of fetches (the
    training step, the step with summaries, validation, prediction) and makes the steps
    no faster. For 04_01 and chapter 5 it pays for itself. docs/performance.md has the
    measured times.
    """
    if config.GRAPPLER != "auto":
        return config.GRAPPLER == "on"
    return not tutorial.cell_dropout


def session_config(tutorial, config):
    """The ConfigProto a Session for this tutorial's graph is created with."""
    proto = v1.ConfigProto()
    proto.graph_options.rewrite_options.disable_meta_optimizer = not grappler_on(tutorial,
                                                                                 config)
    return proto


def check_config(tutorial, config):
    """Raise ConfigError if the config's output length does not fit the tutorial."""
    if tutorial.every_step:
        if config.OUTPUT_SEQUENCE_LENGTH != config.INPUT_SEQUENCE_LENGTH:
            raise ConfigError(
                f"{tutorial.name} predicts one value per input step, so OUTPUT_SEQUENCE_LENGTH "
                f"must equal INPUT_SEQUENCE_LENGTH ({config.INPUT_SEQUENCE_LENGTH}), got "
                f"{config.OUTPUT_SEQUENCE_LENGTH}")
    elif config.OUTPUT_SEQUENCE_LENGTH != 1:
        raise ConfigError(
            f"{tutorial.name} predicts one step, so OUTPUT_SEQUENCE_LENGTH must be 1, "
            f"got {config.OUTPUT_SEQUENCE_LENGTH}")


def build(tutorial, config, n_features, n_targets, unit="Wh", scaled=True):
    """A tutorial script's graph() in the one holder, seeded with config.SEED, with the
    tutorial's TensorBoard scalars (learning_rate, MSE, RMSE; 04_03 also
    regularisation_loss), named and described for data in `unit`, `scaled` to [0, 1] or
    not (graphrnn.tags.forecast)."""
    check_config(tutorial, config)

    def graph_with_scalars():
        tensors = tutorial.graph(config, n_features, n_targets)
        check_flags(tutorial, tensors, v1.get_default_graph())
        terms = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
        with v1.name_scope("summaries/"):  # the sum for its scalar; the loss has its own
            regularisation = tf.add_n(terms, name="regularisation") if terms else None
        layers.scalar_summaries(tensors.learning_rate, tensors.mse,
                                tags.forecast(unit, scaled), regularisation_loss=regularisation)
        return tensors

    return build_graph(tutorial.name, graph_with_scalars, config.SEED,
                       session_config(tutorial, config), tutorial)


def graph_flags(tensors, graph):
    """What a built graph shows of the Tutorial flags, read off its variables, ops and
    tensors: {flag: bool}."""
    variables = [v.op.name for v in graph.get_collection(v1.GraphKeys.GLOBAL_VARIABLES)]
    return {
        # the dropout switch reaches into the recurrent layer: the chapter's tf.cond
        # between the DropoutWrapper network and the plain one
        "cell_dropout": tensors.dropout_switch is not None and any(
            op.name.startswith("recurrent_layer/") for op in _users(tensors.dropout_switch)),
        "regularised": any(name.startswith("Frobenius_regularization/") for name in variables),
        "every_step": tensors.prediction.shape.rank == 3,  # (B, T_out, G)
        "variable_length": tensors.sequence_length is not None,
    }


def _users(tensor):
    """The ops that read `tensor`, looking through Identity ops."""
    found, queue = [], list(tensor.consumers())
    while queue:
        op = queue.pop()
        found.append(op)
        if op.type == "Identity":
            queue += op.outputs[0].consumers()
    return found


def check_flags(tutorial, tensors, graph):
    """ValueError naming the first Tutorial flag that says something else than the graph."""
    for flag, built in graph_flags(tensors, graph).items():
        if getattr(tutorial, flag) != built:
            raise ValueError(f"{tutorial.name}'s Tutorial says {flag}={getattr(tutorial, flag)}"
                             f", but its graph() builds a graph with {flag}={built}")


def tutorial_checkpoint_names(variables):
    """{name in a checkpoint saved by the tutorial's own 04_02/04_03 code: variable}.

    The tutorial built its tf.cond branches in two variable scopes, so its checkpoints
    hold two GRU sets: `recurrent_layer/with_dropout/rnn/...`, the one that trained, and
    `recurrent_layer/without_dropout/rnn/...`, which never did (yet evaluated the model).
    graphrnn's one shared set takes the trained one; every other variable keeps its name.
    A checkpoint of the tutorial's 04_01 needs no mapping: its names are graphrnn's.

    Usage::

        saver = tf.compat.v1.train.Saver(tutorial_checkpoint_names(model.graph.get_collection(
            tf.compat.v1.GraphKeys.GLOBAL_VARIABLES)))
        saver.restore(session, "path/to/the/tutorial's/checkpoint")
    """
    def checkpoint_name(variable):
        name = variable.op.name
        if name.startswith("recurrent_layer/"):
            return "recurrent_layer/with_dropout/" + name[len("recurrent_layer/"):]
        return name
    return {checkpoint_name(variable): variable for variable in variables}


def load_script(path):
    """Import a numbered script (its name starts with a digit) as a module, without
    running its `if __name__ == "__main__"` part: tests and the benchmark build the
    script's own graph functions."""
    name = "tutorial_" + str(path).replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".py")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
