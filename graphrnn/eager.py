"""A tutorial script's network(), run eagerly in TF2 (EagerNetwork), and the weights of a
Session copied into it. ("Twin" is kept for one thing: the Keras 3 model built from a
graph's weights, graphrnn.keras_twins; TF1 cell weights <-> Keras 3 layers:
graphrnn.weights.)

`EagerNetwork` is a Keras layer whose `call` is decorated with
`tf.compat.v1.keras.utils.track_tf1_style_variables` (TensorFlow's migration shim): the
tf.compat.v1 cells, layers and get_variable calls inside network() create ordinary
tracked variables on the first call and reuse them afterwards; a regulariser's term
lands in `network.losses`. Nothing here uses a placeholder or a Session.

Usage::

    network = EagerNetwork(script.TUTORIAL, config, n_targets=1)  # a numbered script's
    network.create_variables(n_features=28)
    load_weights(network, weights)  # weights = session_weights(session) of a graph model
    prediction = network(inputs, dropout_switch=False)    # (B, G), eager tensor
"""

from graphrnn.weights import TOP_SCOPES
from graphrnn.compat import tf, v1


class EagerNetwork(tf.keras.layers.Layer):
    """A tutorial script's network() as an eager Keras layer."""

    def __init__(self, tutorial, config, n_targets, **kwargs):
        super().__init__(**kwargs)
        self.tutorial = tutorial
        self.config = config
        self.n_targets = n_targets

    def create_variables(self, n_features):
        """Run once on a (1, T, F) zero batch, dropout off, so every variable exists."""
        width = self.config.INPUT_SEQUENCE_LENGTH
        lengths = tf.constant([width]) if self.tutorial.variable_length else None
        self(tf.zeros([1, width, n_features]), dropout_switch=False, sequence_length=lengths)

    @v1.keras.utils.track_tf1_style_variables
    def call(self, predictors, dropout_switch=False, sequence_length=None):
        lengths = {} if sequence_length is None else {"sequence_length": sequence_length}
        return self.tutorial.network(predictors, dropout_switch, self.config, self.n_targets,
                                     **lengths)


def scoped_name(variable):
    """'recurrent_layer/rnn/.../kernel' from a graph or eager variable name.

    Eager variables carry the layer's own name in front and ':0' behind.
    """
    name = variable.name.split(":")[0]
    for scope in TOP_SCOPES:
        if scope in name:
            return name[name.index(scope):]
    return name


def session_weights(session):
    """{scoped name: value} of every trainable variable of the session's graph."""
    variables = session.graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)
    return {scoped_name(v): value for v, value in zip(variables, session.run(variables))}


def load_weights(network, weights):
    """Give the EagerNetwork the values of session_weights(session).

    Call it outside any `with Session(...)` block (a session's graph is the default
    graph inside it). Every variable of the network must have a value of the same scoped
    name and shape; otherwise ValueError names the variable.
    """
    names = {scoped_name(v) for v in network.trainable_variables}
    if names != set(weights):
        raise ValueError(
            f"the graph and the eager network have different variables: only in the graph "
            f"{sorted(set(weights) - names)}, only in the eager network "
            f"{sorted(names - set(weights))}")
    for variable in network.trainable_variables:
        value = weights[scoped_name(variable)]
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(f"{scoped_name(variable)}: graph shape {value.shape}, "
                             f"eager network shape {tuple(variable.shape)}")
        variable.assign(value)


def loss(network, predictors, target, dropout_switch=False, sequence_length=None):
    """The graph's loss, eagerly: MSE plus the network's regularisation terms."""
    prediction = network(predictors, dropout_switch=dropout_switch, sequence_length=sequence_length)
    if prediction.shape.rank == 2:  # one output step: the target (B, 1, G) -> (B, G)
        target = tf.squeeze(target, axis=1)
    mse = v1.losses.mean_squared_error(labels=target, predictions=prediction)
    return tf.add_n([mse] + network.losses) if network.losses else mse


def gradient_descent_step(network, predictors, target, rate, dropout_switch=False):
    """One plain gradient-descent step on the network's loss; returns the loss before it."""
    return optimizer_step(network, v1.train.GradientDescentOptimizer(rate), predictors, target,
                          dropout_switch)


def optimizer_step(network, optimizer, predictors, target, dropout_switch=False,
                   sequence_length=None):
    """One step of a tf.compat.v1.train optimizer (eagerly, e.g. AdamOptimizer(rate)) on
    the network's loss; returns the loss before it. Keep one optimizer for every step: it
    holds Adam's moments."""
    with tf.GradientTape() as tape:
        value = loss(network, predictors, target, dropout_switch, sequence_length)
    gradients = tape.gradient(value, network.trainable_variables)
    optimizer.apply_gradients(zip(gradients, network.trainable_variables))
    return value
