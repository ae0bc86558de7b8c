"""The parts of TF1's `tf.contrib` that the recurrent-network tutorials use, rebuilt on
tf.compat.v1 (the cells come from tf-keras' legacy implementation) with TF1's semantics
and variable names, for graphrnn-tf1.

    RNN     BasicRNNCell, BasicLSTMCell, LSTMCell, GRUCell, MultiRNNCell, DropoutWrapper,
            LSTMStateTuple, static_rnn
    LAYERS  l2_regularizer, l1_regularizer, xavier_initializer, fully_connected, flatten
"""

import numbers

from graphrnn.compat import tf, v1

_CELLS = v1.nn.rnn_cell
RNN = {
    "BasicRNNCell": _CELLS.BasicRNNCell,
    "BasicLSTMCell": _CELLS.BasicLSTMCell,
    "LSTMCell": _CELLS.LSTMCell,
    "GRUCell": _CELLS.GRUCell,
    "MultiRNNCell": _CELLS.MultiRNNCell,
    "DropoutWrapper": _CELLS.DropoutWrapper,
    "LSTMStateTuple": _CELLS.LSTMStateTuple,
    "RNNCell": _CELLS.RNNCell,
    "static_rnn": v1.nn.static_rnn,
    "static_bidirectional_rnn": v1.nn.static_bidirectional_rnn,
}

# contrib's truncated normal had stddev sqrt(1.3 * factor / fan); tf.compat.v1's divides
# sqrt(scale / fan) by 0.8796..., so this scale gives contrib's exact spread
_CONTRIB_TRUNCATED_SCALE = 1.3 * 0.87962566103423978 ** 2


def _checked_scale(scale):
    """contrib's checks: no integer, nothing below 0 (a tensor passes unchecked)."""
    if isinstance(scale, numbers.Integral) and not isinstance(scale, bool):
        raise ValueError(f"scale cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real) and scale < 0.0:
        raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}")
    return scale


def _regularizer(scale, scope, default_name, penalty):
    """w -> scale * penalty(w) named like contrib's (None for scale 0, as TF1 returned)."""
    if isinstance(_checked_scale(scale), numbers.Real) and scale == 0.0:
        return lambda _: None

    def regularize(weights):
        with v1.name_scope(scope, default_name, [weights]) as name:
            my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return tf.multiply(my_scale, penalty(weights), name=name)
    return regularize


def l2_regularizer(scale, scope=None):
    """TF1's tf.contrib.layers.l2_regularizer: w -> scale * tf.nn.l2_loss(w), which is
    scale * sum(w^2) / 2."""
    return _regularizer(scale, scope, "l2_regularizer", tf.nn.l2_loss)


def l1_regularizer(scale, scope=None):
    """TF1's tf.contrib.layers.l1_regularizer: w -> scale * sum(|w|)."""
    return _regularizer(scale, scope, "l1_regularizer",
                        lambda weights: tf.reduce_sum(tf.abs(weights)))


def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
    """TF1's tf.contrib.layers.xavier_initializer: Glorot, uniform or truncated normal."""
    if uniform:
        return v1.variance_scaling_initializer(1.0, "fan_avg", "uniform", seed, dtype)
    return v1.variance_scaling_initializer(_CONTRIB_TRUNCATED_SCALE, "fan_avg",
                                           "truncated_normal", seed, dtype)


def fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=None,
                    weights_regularizer=None, biases_initializer=v1.zeros_initializer(),
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """TF1's tf.contrib.layers.fully_connected: <scope>/weights and <scope>/biases
    (scope "fully_connected" by default), relu unless activation_fn says otherwise.

    inputs (..., n) -> (..., num_outputs); with a normalizer_fn there are no biases."""
    del variables_collections  # TF1 added the variables to extra collections; none here
    initializer = weights_initializer or xavier_initializer()
    with v1.variable_scope(scope, "fully_connected", [inputs], reuse=reuse):
        inputs = tf.convert_to_tensor(inputs)
        weights = v1.get_variable("weights", [int(inputs.shape[-1]), num_outputs],
                                  dtype=inputs.dtype, initializer=initializer,
                                  regularizer=weights_regularizer, trainable=trainable)
        if inputs.shape.rank == 2:
            outputs = tf.matmul(inputs, weights)
        else:  # (..., n) x (n, num_outputs)
            outputs = tf.tensordot(inputs, weights, [[inputs.shape.rank - 1], [0]])
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        elif biases_initializer is not None:
            biases = v1.get_variable("biases", [num_outputs], dtype=inputs.dtype,
                                     initializer=biases_initializer,
                                     regularizer=biases_regularizer, trainable=trainable)
            outputs = tf.nn.bias_add(outputs, biases)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        if outputs_collections:
            for collection in outputs_collections:
                v1.add_to_collection(collection, outputs)
        return outputs


def flatten(inputs, outputs_collections=None, scope=None):
    """TF1's tf.contrib.layers.flatten: (B, ...) -> (B, product of the rest)."""
    with v1.name_scope(scope, "Flatten", [inputs]):
        outputs = v1.layers.flatten(inputs)
    for collection in outputs_collections or ():
        v1.add_to_collection(collection, outputs)
    return outputs


LAYERS = {
    "l2_regularizer": l2_regularizer,
    "l1_regularizer": l1_regularizer,
    "xavier_initializer": xavier_initializer,
    "xavier_initializer_conv2d": xavier_initializer,
    "fully_connected": fully_connected,
    "flatten": flatten,
}
