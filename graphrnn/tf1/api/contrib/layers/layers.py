"""TF 1.15's `tf.contrib.layers` (and the same functions in `tf.contrib.slim`), rebuilt on
tf.compat.v1 for graphrnn-tf1, with TF1's defaults and variable names.

    LAYERS  fully_connected (`weights`, `biases`), linear, flatten, embed_sequence
            (`EmbedSequence/embeddings`), layer_norm (`LayerNorm/beta`, `gamma`),
            batch_norm (`BatchNorm/beta`, `gamma`, `moving_mean`, `moving_variance`),
            conv2d (`Conv/weights`, `biases`), max_pool2d, avg_pool2d, dropout,
            optimize_loss (`OptimizeLoss/...`), the regularizers and initializers, and
            arg_scope / add_arg_scope
    SLIM    tf.contrib.slim's names for the same functions

Each layer takes its defaults from an enclosing arg_scope, as TF1's did.
"""

import functools

from graphrnn.compat import tf, v1
from graphrnn.layers import l1_regularizer, l2_regularizer  # TF1's, shared with 04_03
from graphrnn.tf1.api.contrib.framework.arg_scope import ARG_SCOPE, add_arg_scope, arg_scope
from graphrnn.tf1.refusal import Refusal

# contrib's truncated normal had stddev sqrt(1.3 * factor / fan); tf.compat.v1's divides
# sqrt(scale / fan) by 0.8796..., so this factor gives contrib's exact spread
_CONTRIB_TRUNCATED_SCALE = 1.3 * 0.87962566103423978 ** 2


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=tf.float32):
    """tf.contrib.layers.variance_scaling_initializer: uniform in +-sqrt(3 factor / n),
    or truncated normal of stddev sqrt(1.3 factor / n), n the fan in, out or average."""
    if not tf.as_dtype(dtype).is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")
    if uniform:
        return v1.variance_scaling_initializer(factor, mode.lower(), "uniform", seed, dtype)
    return v1.variance_scaling_initializer(factor * _CONTRIB_TRUNCATED_SCALE, mode.lower(),
                                           "truncated_normal", seed, dtype)


def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
    """TF1's tf.contrib.layers.xavier_initializer: Glorot, uniform or truncated normal."""
    return variance_scaling_initializer(1.0, "FAN_AVG", uniform, seed, dtype)


def _collect(outputs_collections, outputs):
    for collection in outputs_collections or ():
        v1.add_to_collection(collection, outputs)
    return outputs


def _normalize_or_add_biases(outputs, num_outputs, normalizer_fn, normalizer_params,
                             biases_initializer, biases_regularizer, trainable):
    """What fully_connected and conv2d do after their product: the normalizer if one is
    given (no biases then, as TF1), else the variable `biases` when biases_initializer is
    set."""
    if normalizer_fn is not None:
        return normalizer_fn(outputs, **(normalizer_params or {}))
    if biases_initializer is None:
        return outputs
    biases = v1.get_variable("biases", [num_outputs], dtype=outputs.dtype,
                             initializer=biases_initializer, regularizer=biases_regularizer,
                             trainable=trainable)
    return tf.nn.bias_add(outputs, biases)


@add_arg_scope
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
        outputs = _normalize_or_add_biases(outputs, num_outputs, normalizer_fn,
                                           normalizer_params, biases_initializer,
                                           biases_regularizer, trainable)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs_collections, outputs)


# tf.contrib.layers.linear was exactly this partial: fully_connected with no activation
linear = functools.partial(fully_connected, activation_fn=None)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """TF1's tf.contrib.layers.flatten: (B, ...) -> (B, product of the rest)."""
    with v1.name_scope(scope, "Flatten", [inputs]):
        outputs = v1.layers.flatten(inputs)
    return _collect(outputs_collections, outputs)


@add_arg_scope
def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None,
                   regularizer=None, trainable=True, scope=None, reuse=None):
    """tf.contrib.layers.embed_sequence: ids [batch, T] -> [batch, T, embed_dim] through
    the variable <scope>/embeddings [vocab_size, embed_dim] (scope "EmbedSequence")."""
    if not (vocab_size and embed_dim):
        raise ValueError("Must specify vocab size and embedding dimension when not "
                         "providing pretrained embedding matrix.")
    with v1.variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        embeddings = v1.get_variable("embeddings", shape=[vocab_size, embed_dim],
                                     initializer=initializer, regularizer=regularizer,
                                     trainable=trainable)
        if unique:
            unique_ids, positions = tf.unique(tf.reshape(ids, [-1]))
            looked_up = tf.gather(v1.nn.embedding_lookup(embeddings, unique_ids), positions)
            return tf.reshape(looked_up, tf.concat([tf.shape(ids), [embed_dim]], 0))
        return v1.nn.embedding_lookup(embeddings, ids)


@add_arg_scope
def layer_norm(inputs, center=True, scale=True, activation_fn=None, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               begin_norm_axis=1, begin_params_axis=-1, scope=None):
    """tf.contrib.layers.layer_norm (Ba et al. 2016): normalise over the axes from
    begin_norm_axis on (epsilon 1e-12, as TF1), then gamma and beta over those from
    begin_params_axis on, in scope "LayerNorm"."""
    del variables_collections
    with v1.variable_scope(scope, "LayerNorm", [inputs], reuse=reuse):
        inputs = tf.convert_to_tensor(inputs)
        rank = inputs.shape.rank
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank.")
        if begin_norm_axis < 0:
            begin_norm_axis += rank
        if begin_params_axis < 0:
            begin_params_axis += rank
        if begin_norm_axis >= rank or begin_params_axis >= rank:
            raise ValueError(f"begin_params_axis ({begin_params_axis}) and begin_norm_axis "
                             f"({begin_norm_axis}) must be < rank(inputs) ({rank})")
        params_shape = inputs.shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name}: shape(inputs)[{begin_params_axis}:] is "
                             f"not fully defined: {inputs.shape}")
        beta = v1.get_variable("beta", params_shape, dtype=inputs.dtype,
                               initializer=v1.zeros_initializer(),
                               trainable=trainable) if center else None
        gamma = v1.get_variable("gamma", params_shape, dtype=inputs.dtype,
                                initializer=v1.ones_initializer(),
                                trainable=trainable) if scale else None
        mean, variance = tf.nn.moments(inputs, list(range(begin_norm_axis, rank)),
                                       keepdims=True)
        epsilon = 1e-3 if inputs.dtype == tf.float16 else 1e-12
        outputs = tf.nn.batch_normalization(inputs, mean, variance, offset=beta,
                                            scale=gamma, variance_epsilon=epsilon)
        outputs.set_shape(inputs.shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs_collections, outputs)


def _moving_average(variable, value, decay):
    """TF1's assign_moving_average without zero-debias: v -= (v - value) * (1 - decay)."""
    return v1.assign_sub(variable, (variable - value) * (1.0 - decay))


def _smart_cond(pred, true_fn, false_fn):
    static = tf.get_static_value(pred) if tf.is_tensor(pred) else pred
    if static is not None:
        return true_fn() if static else false_fn()
    return tf.cond(pred, true_fn, false_fn)


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001,
               activation_fn=None, param_initializers=None, param_regularizers=None,
               updates_collections=v1.GraphKeys.UPDATE_OPS, is_training=True, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC",
               zero_debias_moving_mean=False, scope=None, renorm=False,
               renorm_clipping=None, renorm_decay=0.99, adjustment=None):
    """tf.contrib.layers.batch_norm (Ioffe & Szegedy 2015), in scope "BatchNorm" with
    `beta`, `gamma` (scale=True), `moving_mean` and `moving_variance`, the moving
    averages updated through updates_collections (UPDATE_OPS) or in place (None).

    As TF 1.15: rank-2 inputs (and rank 4 with other updates_collections) go through
    the fused kernel as [B, 1, 1, C], others through tf.layers' BatchNormalization (an
    RNN's [batch, time, units] unfused).
    """
    del variables_collections
    if data_format != "NHWC":
        raise Refusal("batch_norm's data_format='NCHW' is not provided by "
                      "graphrnn-tf1 (a layout for GPUs): use the default NHWC")
    if zero_debias_moving_mean or batch_weights is not None or renorm or adjustment:
        raise Refusal(
            "batch_norm with zero_debias_moving_mean, batch_weights, renorm or adjustment "
            "is not provided by graphrnn-tf1 (nearest TF2 / Keras 3 replacement: "
            "keras.layers.BatchNormalization)")
    inputs = tf.convert_to_tensor(inputs)
    rank = inputs.shape.rank
    initializers = param_initializers or {}
    fused = True if fused is None else fused
    if fused and rank in (2, 4) and (
            rank == 2 or updates_collections is not v1.GraphKeys.UPDATE_OPS):
        return _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn,
                                 initializers, updates_collections, is_training, reuse,
                                 outputs_collections, trainable, scope)
    if updates_collections is not v1.GraphKeys.UPDATE_OPS:
        raise Refusal(
            f"batch_norm of a rank-{rank} input with updates_collections other than "
            "UPDATE_OPS is not provided by graphrnn-tf1 (it is for rank 2 and 4)")
    regularizers = param_regularizers or {}
    with v1.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        layer = v1.layers.BatchNormalization(
            axis=-1, momentum=decay, epsilon=epsilon, center=center, scale=scale,
            beta_initializer=initializers.get("beta", v1.zeros_initializer()),
            gamma_initializer=initializers.get("gamma", v1.ones_initializer()),
            moving_mean_initializer=initializers.get("moving_mean", v1.zeros_initializer()),
            moving_variance_initializer=initializers.get("moving_variance",
                                                         v1.ones_initializer()),
            beta_regularizer=regularizers.get("beta"),
            gamma_regularizer=regularizers.get("gamma"), trainable=trainable,
            name=sc.name, _scope=sc, _reuse=reuse, fused=fused and rank == 4)
        outputs = layer.apply(inputs, training=is_training)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs_collections, outputs)


def _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, initializers,
                      updates_collections, is_training, reuse, outputs_collections,
                      trainable, scope):
    """TF1's contrib _fused_batch_norm: [B, C] is seen as [B, 1, 1, C]."""
    with v1.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse):
        original = inputs
        channels = tf.compat.dimension_value(inputs.shape[-1])
        if channels is None:
            raise ValueError("`C` dimension must be known but is None")
        if inputs.shape.rank == 2:
            inputs = tf.reshape(inputs, [-1, 1, 1, channels])
        dtype, shape = inputs.dtype.base_dtype, [channels]

        def variable(name, default, trainable_):
            return v1.get_variable(name, shape, dtype=dtype, trainable=trainable_,
                                   initializer=initializers.get(name, default),
                                   collections=[v1.GraphKeys.GLOBAL_VARIABLES,
                                                v1.GraphKeys.MODEL_VARIABLES])
        beta = (variable("beta", v1.zeros_initializer(), trainable) if center
                else tf.constant(0.0, shape=shape))
        gamma = (variable("gamma", v1.ones_initializer(), trainable) if scale
                 else tf.constant(1.0, shape=shape))
        moving_mean = variable("moving_mean", v1.zeros_initializer(), False)
        moving_variance = variable("moving_variance", v1.ones_initializer(), False)
        outputs, mean, variance = _smart_cond(
            is_training,
            lambda: v1.nn.fused_batch_norm(inputs, gamma, beta, epsilon=epsilon),
            lambda: v1.nn.fused_batch_norm(inputs, gamma, beta, mean=moving_mean,
                                           variance=moving_variance, epsilon=epsilon,
                                           is_training=False))
        training = tf.get_static_value(is_training) if tf.is_tensor(is_training) else is_training
        if training is None or training:  # the moving averages follow the batches
            def updates():
                return (_moving_average(moving_mean, mean, decay),
                        _moving_average(moving_variance, variance, decay))
            if updates_collections is None:
                def forced():
                    with tf.control_dependencies(updates()):
                        return tf.identity(outputs)
                outputs = _smart_cond(is_training, forced, lambda: outputs)
            else:
                update_mean, update_variance = _smart_cond(
                    is_training, updates, lambda: (moving_mean, moving_variance))
                v1.add_to_collections(updates_collections, update_mean)
                v1.add_to_collections(updates_collections, update_variance)
        outputs.set_shape(inputs.shape)
        if original.shape.rank == 2:
            outputs = tf.reshape(outputs, tf.shape(original))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs_collections, outputs)


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


@add_arg_scope
def conv2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
           rate=1, activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
           weights_initializer=None, weights_regularizer=None,
           biases_initializer=v1.zeros_initializer(), biases_regularizer=None, reuse=None,
           variables_collections=None, outputs_collections=None, trainable=True,
           scope=None):
    """tf.contrib.layers.conv2d (convolution2d) on NHWC inputs: <scope>/weights
    [kh, kw, in, out] and <scope>/biases (scope "Conv"), relu by default."""
    del variables_collections
    if data_format not in (None, "NHWC"):
        raise Refusal("conv2d's data_format='NCHW' is not provided by "
                      "graphrnn-tf1 (a layout for GPUs): use the default NHWC")
    with v1.variable_scope(scope, "Conv", [inputs], reuse=reuse):
        inputs = tf.convert_to_tensor(inputs)
        kernel_shape = [*_pair(kernel_size), int(inputs.shape[-1]), num_outputs]
        weights = v1.get_variable("weights", kernel_shape, dtype=inputs.dtype,
                                  initializer=weights_initializer or xavier_initializer(),
                                  regularizer=weights_regularizer, trainable=trainable)
        outputs = tf.nn.conv2d(inputs, weights, strides=[1, *_pair(stride), 1],
                               padding=padding, dilations=[1, *_pair(rate), 1])
        outputs = _normalize_or_add_biases(outputs, num_outputs, normalizer_fn,
                                           normalizer_params, biases_initializer,
                                           biases_regularizer, trainable)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs_collections, outputs)


def _pool(kind, default_name):
    @add_arg_scope
    def pool(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
             outputs_collections=None, scope=None):
        if data_format != "NHWC":
            raise Refusal(f"{kind}'s data_format='NCHW' is not provided by "
                          "graphrnn-tf1: use the default NHWC")
        with v1.name_scope(scope, default_name, [inputs]):
            op = tf.nn.max_pool2d if kind == "max_pool2d" else tf.nn.avg_pool2d
            outputs = op(inputs, ksize=[1, *_pair(kernel_size), 1],
                         strides=[1, *_pair(stride), 1], padding=padding)
        return _collect(outputs_collections, outputs)
    pool.__name__ = pool.__qualname__ = kind
    pool.__doc__ = (f"tf.contrib.layers.{kind} on NHWC inputs (stride 2 and VALID "
                    "padding by default).")
    return pool


max_pool2d = _pool("max_pool2d", "MaxPool2D")
avg_pool2d = _pool("avg_pool2d", "AvgPool2D")


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True,
            outputs_collections=None, scope=None, seed=None):
    """tf.contrib.layers.dropout: keep each value with keep_prob (scaled by 1 / keep_prob)
    while is_training; tf.layers.Dropout in scope "Dropout"."""
    with v1.variable_scope(scope, "Dropout", [inputs]) as sc:
        layer = v1.layers.Dropout(rate=1 - keep_prob, noise_shape=noise_shape, seed=seed,
                                  name=sc.name, _scope=sc)
        return _collect(outputs_collections, layer.apply(inputs, training=is_training))


OPTIMIZER_CLS_NAMES = {
    "Adagrad": v1.train.AdagradOptimizer, "Adam": v1.train.AdamOptimizer,
    "Ftrl": v1.train.FtrlOptimizer,
    "Momentum": lambda learning_rate: v1.train.MomentumOptimizer(learning_rate, momentum=0.9),
    "RMSProp": v1.train.RMSPropOptimizer, "SGD": v1.train.GradientDescentOptimizer,
}
OPTIMIZER_SUMMARIES = ["learning_rate", "loss", "gradients", "gradient_norm",
                       "global_gradient_norm"]


def _make_optimizer(optimizer, learning_rate, lr):
    """An Optimizer from a name, a class, an instance or a function, as TF1 took them."""
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError("Learning rate is None, but should be specified if optimizer "
                             f"is string ({optimizer}).")
        if optimizer not in OPTIMIZER_CLS_NAMES:
            raise ValueError(f"Optimizer name should be one of [{', '.join(OPTIMIZER_CLS_NAMES)}]"
                             f", you provided {optimizer}.")
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)
    if isinstance(optimizer, type) and issubclass(optimizer, v1.train.Optimizer):
        if lr is None:
            raise ValueError("Learning rate is None, but should be specified if optimizer "
                             f"is class ({optimizer}).")
        return optimizer(learning_rate=lr)
    if isinstance(optimizer, v1.train.Optimizer):
        return optimizer
    if callable(optimizer):
        made = optimizer(lr) if learning_rate is not None else optimizer()
        if not isinstance(made, v1.train.Optimizer):
            raise ValueError("Unrecognized optimizer: function should return subclass of "
                             f"Optimizer. Got {made}.")
        return made
    raise ValueError("Unrecognized optimizer: should be string, subclass of Optimizer, "
                     "instance of subclass of Optimizer or function with one argument. "
                     f"Got {optimizer}.")


def _learning_rate(learning_rate):
    """A scalar tensor as it is, or a float as the variable `learning_rate`."""
    if learning_rate is None:
        return None
    if tf.is_tensor(learning_rate) and learning_rate.shape.rank == 0:
        return learning_rate
    if isinstance(learning_rate, float):
        if learning_rate < 0.0:
            raise ValueError(f"Invalid learning_rate {learning_rate}.")
        return v1.get_variable("learning_rate", [], trainable=False,
                               initializer=v1.constant_initializer(learning_rate))
    raise ValueError("Learning rate should be 0d Tensor or float. Got "
                     f"{learning_rate} of type {type(learning_rate)}")


def _adjust_gradients(gradients, noise_scale, multipliers):
    """Gaussian noise of stddev noise_scale added; some gradients multiplied."""
    adjusted = []
    for gradient, variable in gradients:
        if gradient is not None and noise_scale is not None:
            gradient = gradient + tf.random.normal(tf.shape(gradient)) * noise_scale
        if gradient is not None and multipliers is not None:
            key = variable if variable in multipliers else variable.name
            if key in multipliers:
                gradient = gradient * tf.constant(multipliers[key], dtype=gradient.dtype)
        adjusted.append((gradient, variable))
    return adjusted


def _checked_summaries(summaries):
    """The summaries asked for (TF1's default: loss, learning_rate, global norm)."""
    if summaries is None:
        return ["loss", "learning_rate", "global_gradient_norm"]
    for kind in summaries:
        if kind not in OPTIMIZER_SUMMARIES:
            raise ValueError(f"Summaries should be one of [{', '.join(OPTIMIZER_SUMMARIES)}]"
                             f", you provided {kind}.")
    return summaries


def _gradient_summaries(gradients, summaries):
    """Each gradient's histogram and norm, as asked for."""
    for gradient, variable in gradients:
        if gradient is None:
            continue
        values = gradient.values if isinstance(gradient, tf.IndexedSlices) else gradient
        var_name = variable.name.replace(":", "_")
        if "gradients" in summaries:
            v1.summary.histogram(f"gradients/{var_name}", values)
        if "gradient_norm" in summaries:
            v1.summary.scalar(f"gradient_norm/{var_name}", tf.linalg.global_norm([values]))


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None,
                  gradient_multipliers=None, clip_gradients=None,
                  learning_rate_decay_fn=None, update_ops=None, variables=None, name=None,
                  summaries=None, colocate_gradients_with_ops=False,
                  increment_global_step=True):
    """tf.contrib.layers.optimize_loss: the training op in scope "OptimizeLoss" (a float
    learning rate becomes the variable OptimizeLoss/learning_rate): UPDATE_OPS run first,
    gradients (noised, multiplied, clipped by global norm if clip_gradients is a float),
    summaries, apply_gradients named "train". Returns the loss, computed after the update
    has run (TF1's train tensor).

    optimizer: a name in OPTIMIZER_CLS_NAMES, an Optimizer class or instance, or a
    function of the learning rate returning one."""
    loss = tf.convert_to_tensor(loss)
    if loss.shape.rank != 0:
        raise ValueError(f"Expected scalar shape for {loss.name}, saw shape: {loss.shape}.")
    if global_step is None:
        global_step = v1.train.get_global_step()
    with v1.variable_scope(name, "OptimizeLoss", [loss, global_step]):
        update_ops = set(v1.get_collection(v1.GraphKeys.UPDATE_OPS)) if update_ops is None \
            else update_ops
        if update_ops:
            with tf.control_dependencies(list(update_ops)):
                loss = tf.identity(loss)
        lr = _learning_rate(learning_rate)
        summaries = _checked_summaries(summaries)
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
            if "learning_rate" in summaries:
                v1.summary.scalar("learning_rate", lr)
        opt = _make_optimizer(optimizer, learning_rate, lr)
        gradients = opt.compute_gradients(
            loss, variables if variables is not None else v1.trainable_variables(),
            colocate_gradients_with_ops=colocate_gradients_with_ops)
        gradients = _adjust_gradients(gradients, gradient_noise_scale, gradient_multipliers)
        norms = "global_gradient_norm" in summaries or "gradient_norm" in summaries
        if norms:
            v1.summary.scalar("global_norm/gradient_norm",
                              tf.linalg.global_norm([g for g, _ in gradients]))
        if isinstance(clip_gradients, float):
            clipped, _ = tf.clip_by_global_norm([g for g, _ in gradients], clip_gradients)
            gradients = list(zip(clipped, [v for _, v in gradients]))
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError(f"Unknown type {type(clip_gradients)} for clip_gradients")
        if "loss" in summaries:
            v1.summary.scalar("loss", loss)
        _gradient_summaries(gradients, summaries)
        if clip_gradients is not None and norms:
            v1.summary.scalar("global_norm/clipped_gradient_norm",
                              tf.linalg.global_norm([g for g, _ in gradients]))
        update = opt.apply_gradients(
            gradients, global_step=global_step if increment_global_step else None,
            name="train")
        with tf.control_dependencies([update]):
            return tf.identity(loss)


LAYERS = {
    "l2_regularizer": l2_regularizer, "l1_regularizer": l1_regularizer,
    "xavier_initializer": xavier_initializer, "xavier_initializer_conv2d": xavier_initializer,
    "variance_scaling_initializer": variance_scaling_initializer,
    "fully_connected": fully_connected, "linear": linear, "flatten": flatten,
    "embed_sequence": embed_sequence, "layer_norm": layer_norm, "batch_norm": batch_norm,
    "conv2d": conv2d, "convolution2d": conv2d, "max_pool2d": max_pool2d,
    "avg_pool2d": avg_pool2d, "dropout": dropout, "optimize_loss": optimize_loss,
    "OPTIMIZER_CLS_NAMES": OPTIMIZER_CLS_NAMES, **ARG_SCOPE,
}
SLIM = {name: LAYERS[name] for name in (
    "fully_connected", "flatten", "layer_norm", "batch_norm", "conv2d", "max_pool2d",
    "avg_pool2d", "dropout", "l2_regularizer", "l1_regularizer", "xavier_initializer",
    "variance_scaling_initializer", "arg_scope", "add_arg_scope")}
SLIM["arg_scope"] = arg_scope
