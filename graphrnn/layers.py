"""Small helpers the numbered scripts call inside their own graph code: the seeded
initialiser, the unrolling switch (dynamic_rnn), the time-series tutorials' BasicRNNCell
layer, the dense reshape trick, contrib's regularisers and the TensorBoard scalars.
Each script writes its graph itself (inputs, layers, loss, training); these are only the
pieces several scripts share.

A helper takes tensors and returns tensors, creating its variables with tf.compat.v1
layers or cells, so it works inside a `tf.Graph()` and also eagerly inside a layer whose
`call` is decorated with `tf.compat.v1.keras.utils.track_tf1_style_variables` (see
graphrnn.eager).

Usage, in a script's graph code::

    with v1.variable_scope("recurrent_layer", initializer=seeded_glorot()):
        outputs, state = dynamic_rnn(v1.nn.rnn_cell.MultiRNNCell(cells), in_seq, "static")
"""

import numbers

from graphrnn.compat import tf, v1


def seeded_glorot():
    """TF1's default kernel initializer, drawing its seed from the graph seed.

    Left to themselves, the tf-keras cells and layers draw a fresh seed in Python for each
    kernel, so `tf.compat.v1.set_random_seed` would not make runs repeatable.
    """
    return v1.glorot_uniform_initializer()


UNROLLINGS = ("static", "dynamic")


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


def scalar_summary(tag, value, description=""):
    """tf.compat.v1.summary.scalar(tag, value) with a description, as TensorBoard's own TF1
    op (tensorboard.plugins.scalar.summary.op) writes it: a tensor summary marked for the
    scalars dashboard. Its op goes under the `summaries` scope, named by the tag's last
    part, so that the graph's top level holds only the tutorial's scopes; the tag stays
    `tag`; summary.merge_all() collects it."""
    metadata = v1.SummaryMetadata(
        display_name=tag, summary_description=description,
        plugin_data=v1.SummaryMetadata.PluginData(plugin_name="scalars"))
    with v1.name_scope("summaries/"):  # the trailing slash: one `summaries` scope, reused
        summary = tf.raw_ops.TensorSummaryV2(
            tag=tag, tensor=tf.cast(value, tf.float32),
            serialized_summary_metadata=metadata.SerializeToString(),
            name=tag.rsplit("/", 1)[-1])
    v1.add_to_collection(v1.GraphKeys.SUMMARIES, summary)
    return summary


def scalar_summaries(rate, mse, names, regularisation_loss=None):
    """The tutorial's TensorBoard scalars, under the `summaries` scope: the learning rate,
    the MSE and its square root, and the regularisation term when given. names:
    graphrnn.tags.forecast()'s {key: (tag, description)}. The tutorial's global_step
    scalar is left out: it is the x axis already."""
    with v1.name_scope("summaries/"):
        rmse = tf.sqrt(mse, name="RMSE_of_scaled_data")
    values = {"learning_rate": rate, "mse": mse, "scaled_rmse": rmse,
              "regularisation": regularisation_loss}
    for key, value in values.items():
        if value is not None:
            tag, description = names[key]
            scalar_summary(tag, value, description)
