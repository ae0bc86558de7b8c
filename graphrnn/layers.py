"""Graph builders: small helpers the numbered scripts call inside their own graph code
(seeded_glorot, dynamic_rnn, l2_regularizer, scalar_summaries), and whole blocks under
the tutorials' scope names for the lessons 06_xx to 09_xx.

A builder takes tensors and returns tensors, creating its variables with tf.compat.v1
layers, cells or get_variable. So the same builder connects a subgraph inside a
`tf.Graph()` (fed by placeholders, run by a Session) and also runs eagerly inside a
layer whose `call` is decorated with `tf.compat.v1.keras.utils.track_tf1_style_variables`
(see graphrnn.eager). Only `inputs` is graph-only: placeholders have no eager meaning.

Usage, inside `with tf.Graph().as_default():`::

    ins = inputs(24, 28, 1, 1, learning_rate_args)
    _, state = recurrent_layer(ins.predictors, config.RNN_LAYERS)
    prediction = predictions(state, ins.dropout_switch, config.DROPOUT_RATE, 1)
"""

import collections
import numbers

from graphrnn.compat import tf, v1


def seeded_glorot():
    """TF1's default kernel initializer, drawing its seed from the graph seed.

    Left to themselves, the tf-keras cells and layers draw a fresh seed in Python for each
    kernel, so `tf.compat.v1.set_random_seed` would not make runs repeatable.
    """
    return v1.glorot_uniform_initializer()


Inputs = collections.namedtuple(
    "Inputs", "predictors target dropout_switch global_step learning_rate sequence_length")


def learning_rate(initial_rate, decay_steps, decay_rate):
    """Scope `learning_rate`: a non-trainable `global_step` and its staircase decay.

    rate = initial_rate * decay_rate ** floor(global_step / decay_steps)

    Returns:
      (global_step, rate): an int64 variable and a float32 scalar tensor.
    """
    with v1.variable_scope("learning_rate"):
        global_step = v1.get_variable(
            "global_step", shape=[], dtype=tf.int64, initializer=v1.zeros_initializer(),
            trainable=False,
            collections=[v1.GraphKeys.GLOBAL_VARIABLES, v1.GraphKeys.GLOBAL_STEP])
        rate = v1.train.exponential_decay(
            initial_rate, global_step, decay_steps, decay_rate, staircase=True,
            name="exponential_decay")
        if callable(rate):  # eagerly, exponential_decay returns a function of no arguments
            rate = rate()
    return global_step, rate


def inputs(input_length, n_features, output_length, n_targets, learning_rate_args,
           with_lengths=False):
    """Scope `inputs`: the placeholders, the dropout switch and the learning rate.

    Args:
      learning_rate_args: (INITIAL_LEARNING_RATE, LEARNING_RATE_DECAY_STEPS,
        LEARNING_RATE_DECAY_RATE).
      with_lengths: also a `sequence_length` placeholder (B,) for records zero-padded to
        input_length steps (05_02).
    Returns:
      Inputs(predictors (B, T_in, F), target (B, T_out, G), dropout_switch (bool scalar,
      False unless fed), global_step, learning_rate, sequence_length (B,) int32 or None).
    """
    with v1.variable_scope("inputs"):
        predictors = v1.placeholder(tf.float32, [None, input_length, n_features], "predictors")
        target = v1.placeholder(tf.float32, [None, output_length, n_targets], "target")
        # Training feeds True; evaluation and prediction leave the default.
        dropout_switch = v1.placeholder_with_default(False, shape=None, name="dropout_switch")
        lengths = (v1.placeholder(tf.int32, [None], "sequence_length") if with_lengths
                   else None)
        global_step, rate = learning_rate(*learning_rate_args)
    return Inputs(predictors, target, dropout_switch, global_step, rate, lengths)


UNROLLINGS = ("static", "dynamic")
CELLS = {  # the tutorials' cells by name; fixed names, so AUTO_REUSE finds the weights
    "gru": lambda units: v1.nn.rnn_cell.GRUCell(num_units=units, name="gru_cell"),
    "lstm": lambda units: v1.nn.rnn_cell.LSTMCell(num_units=units, name="lstm_cell"),
}


def _cell_stack(predictors, rnn_layers, with_dropout, unroll, sequence_length=None,
                cell="gru"):
    """GRU (or LSTM) cells, each in a DropoutWrapper if with_dropout -> MultiRNNCell ->
    dynamic_rnn (or static_rnn, see `dynamic_rnn` below). The cell and scope names are
    fixed, so a second call under reuse=AUTO_REUSE finds the first call's weights instead
    of making new ones.
    With sequence_length (B,), steps past a record's length output zeros and leave its
    state as it was at the record's last step.
    """
    cells = []
    for layer in rnn_layers:
        one = CELLS[cell](layer["units"])
        if with_dropout:
            one = v1.nn.rnn_cell.DropoutWrapper(one, output_keep_prob=layer["keep_prob"])
        cells.append(one)
    stacked = v1.nn.rnn_cell.MultiRNNCell(cells)
    return dynamic_rnn(stacked, predictors, unroll, sequence_length,
                       parallel_iterations=1 if with_dropout else None)


def dynamic_rnn(cell, inputs, unroll="dynamic", sequence_length=None, parallel_iterations=None):
    """tf.nn.dynamic_rnn(cell, inputs), or the same computation by static_rnn.

    unroll="dynamic" runs the tutorial's dynamic_rnn (a while loop); unroll="static"
    runs static_rnn, one copy of the cell per time step: the same variables (scope
    `rnn`) and numbers, and on a CPU about twice as fast for short windows (see
    scripts/benchmark.py).

    Args:
      cell: an RNN cell (MultiRNNCell, GRUCell, ...).
      inputs: (B, T, F) float32; T must be known for unroll="static".
      sequence_length: optional (B,) int32: past a record's length the outputs are
        zero and its state stays as it was at its last step.
      parallel_iterations: pass 1 when the cells sit in DropoutWrappers: their random
        ops do not depend on the state, so parallel loop iterations would take their
        masks in any order and the same seed would not give the same numbers.
    Returns:
      outputs (B, T, H_last) and the final state (a tuple of (B, H_i) for a MultiRNNCell).
    """
    if unroll == "static":
        steps = tf.unstack(inputs, axis=1)  # T tensors of (B, F)
        outputs, state = v1.nn.static_rnn(cell, steps, dtype=tf.float32, scope="rnn",
                                          sequence_length=sequence_length)
        return tf.stack(outputs, axis=1), state  # (B, T, H_last)
    if unroll != "dynamic":
        raise ValueError(f"unroll must be one of {UNROLLINGS}, got {unroll!r}")
    return v1.nn.dynamic_rnn(cell, inputs, dtype=tf.float32, scope="rnn",
                             sequence_length=sequence_length,
                             parallel_iterations=parallel_iterations)


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
    """The tutorial's tf.contrib.layers.l2_regularizer(scale), with TF1's checks and op
    name (graphrnn-tf1 serves this one too): w -> scale * tf.nn.l2_loss(w), which is
    scale * sum(w ** 2) / 2 (half of Keras' l2(scale))."""
    return _regularizer(scale, scope, "l2_regularizer", tf.nn.l2_loss)


def l1_regularizer(scale, scope=None):
    """TF1's tf.contrib.layers.l1_regularizer: w -> scale * sum(|w|)."""
    return _regularizer(scale, scope, "l1_regularizer",
                        lambda weights: tf.reduce_sum(tf.abs(weights)))


def recurrent_layer(predictors, rnn_layers, unroll="dynamic", sequence_length=None,
                    cell="gru"):
    """Scope `recurrent_layer`: stacked GRU (or LSTM) cells run by dynamic_rnn (or static_rnn).

    Args:
      predictors: (B, T, F) float32.
      rnn_layers: RNN_LAYERS, a sequence of {"units": H_i, ...}.
      unroll: "dynamic" (the tutorial's while loop) or "static" (unrolled, faster).
      sequence_length: optional (B,) int32, each record's true length (05_02); the
        final state is then taken at that step and later outputs are zero.
      cell: "gru" (chapters 4 and 5) or "lstm" (LSTMCell, forget_bias 1).
    Returns:
      outputs (B, T, H_last) and the final states, a tuple of (B, H_i) per layer (an
      LSTMStateTuple (c, h) per layer for LSTM cells).
    """
    with v1.variable_scope("recurrent_layer", initializer=seeded_glorot()):
        return _cell_stack(predictors, rnn_layers, False, unroll, sequence_length, cell)


def basic_rnn_layer(predictors, units, activation=tf.tanh, sequence_length=None):
    """Scope `recurrent_layer` of the time-series tutorials: one BasicRNNCell, dynamic_rnn.

    h_t = activation([x_t, h_{t-1}] @ kernel + bias), kernel (F+H, H).
    Returns:
      outputs (B, T, H) and the final state (B, H): the last output of each record
      (at its sequence_length, if given).
    """
    with v1.variable_scope("recurrent_layer", initializer=seeded_glorot()):
        cell = v1.nn.rnn_cell.BasicRNNCell(units, activation=activation)
        return v1.nn.dynamic_rnn(cell, predictors, sequence_length=sequence_length,
                                 dtype=tf.float32, scope="rnn")


def dropout_recurrent_layer(predictors, rnn_layers, dropout_switch, unroll="dynamic",
                            sequence_length=None, cell="gru"):
    """Scope `recurrent_layer` of 04_02: tf.cond(switch, GRUs in DropoutWrappers, plain GRUs).

    Both branches are built in the same variable scope with reuse=AUTO_REUSE, so they
    share one set of weights. (The tutorial built them in two scopes: it trained one set
    and evaluated with another that never trained.)

    Args:
      predictors: (B, T, F); rnn_layers: RNN_LAYERS with each layer's "keep_prob";
      dropout_switch: bool tensor (or Python bool, eagerly); unroll, sequence_length, cell:
      as recurrent_layer.
    Returns:
      outputs (B, T, H_last) and the final states, a tuple of (B, H_i) per layer.
    """
    with v1.variable_scope("recurrent_layer", initializer=seeded_glorot(),
                           reuse=v1.AUTO_REUSE):
        if isinstance(dropout_switch, bool):  # eagerly, a fixed choice needs no tf.cond
            return _cell_stack(predictors, rnn_layers, dropout_switch, unroll, sequence_length,
                               cell)
        return tf.cond(
            dropout_switch,
            lambda: _cell_stack(predictors, rnn_layers, True, unroll, sequence_length, cell),
            lambda: _cell_stack(predictors, rnn_layers, False, unroll, sequence_length, cell))


def predictions(rnn_state, dropout_switch, dropout_rate, n_outputs):
    """Scope `predictions`: concat the final states, dropout, dense `prediction`.

    Args:
      rnn_state: tuple of (B, H_i); dropout_switch: bool tensor (or Python bool).
    Returns:
      (B, n_outputs) float32.
    """
    with v1.variable_scope("predictions", initializer=seeded_glorot()):
        state = tf.concat(rnn_state, axis=1)  # (B, sum H_i)
        dropped = v1.layers.dropout(state, rate=dropout_rate, training=dropout_switch)
        return v1.layers.dense(dropped, units=n_outputs, name="prediction")  # (B, G)


def dense_reshape(outputs, n_outputs, name="output_projection"):
    """The dense reshape trick: one dense layer applied to every time step at once.

    (B, T, H) -> reshape (B*T, H) -> dense -> (B*T, G) -> reshape (B, T, G). The same
    kernel and bias serve every step, exactly as if the layer ran once per step.
    T and H must be known when the graph is built.
    """
    steps, units = outputs.shape[1], outputs.shape[2]
    if steps is None or units is None:
        raise ValueError(f"dense_reshape needs a known (T, H), got outputs shaped {outputs.shape}")
    with v1.variable_scope(name):
        flat = tf.reshape(outputs, [-1, units])  # (B*T, H)
        projected = v1.layers.dense(flat, units=n_outputs, name="dense")  # (B*T, G)
        return tf.reshape(projected, [-1, steps, n_outputs])  # (B, T, G)


def mean_squared_error(prediction, target):
    """The tutorial's loss: MSE between (B, G) predictions and the squeezed (B, 1, G)
    target, or between (B, T, G) predictions and a (B, T, G) target, over every step."""
    with v1.name_scope("loss"):
        if prediction.shape.rank == 2:
            target = tf.squeeze(target, axis=1)  # (B, G): one output step
        return v1.losses.mean_squared_error(labels=target, predictions=prediction)


def sum_squared_error(prediction, target):
    """The time-series tutorial's loss: reduce_sum(square(prediction - target)), not a mean."""
    with v1.name_scope("loss"):
        return tf.reduce_sum(tf.square(prediction - target))


def adam(loss, rate, global_step):
    """Scope `training`: one Adam step; increments global_step."""
    with v1.variable_scope("training"):
        optimizer = v1.train.AdamOptimizer(rate)
        return optimizer.minimize(loss, global_step=global_step)


def scalar_summary(tag, value):
    """tf.compat.v1.summary.scalar(tag, value), its op under the `summaries` scope so that
    the graph's top level holds only the tutorial's scopes. The tag stays `tag` (the TF1
    call inside a scope would prefix it); summary.merge_all() collects it."""
    with v1.name_scope("summaries/"):  # the trailing slash: one `summaries` scope, reused
        summary = tf.raw_ops.ScalarSummary(tags=tag, values=value, name=tag)
    v1.add_to_collection(v1.GraphKeys.SUMMARIES, summary)
    return summary


def scalar_summaries(rate, global_step, mse, regularisation_loss=None):
    """The tutorial's TensorBoard scalars, tagged `learning_rate`, `global_step`, `MSE`, `RMSE`
    (and `regularisation_loss` when given), under the `summaries` scope."""
    scalar_summary("learning_rate", rate)
    scalar_summary("global_step", global_step)
    scalar_summary("MSE", mse)
    with v1.name_scope("summaries/"):
        rmse = tf.sqrt(mse, name="RMSE_of_scaled_data")
    scalar_summary("RMSE", rmse)
    if regularisation_loss is not None:
        scalar_summary("regularisation_loss", regularisation_loss)
