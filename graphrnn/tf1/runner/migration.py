"""The TF1 -> TF2 / Keras 3 table: one source for the porting table of
docs/tf1-to-tf2.md and for `graphrnn-tf1 --report`'s checklist. No TensorFlow here.

Each row names a TF1 symbol (as a tutorial spells it, after `import tensorflow as tf`),
its nearest TF2 / Keras 3 counterpart, and a note on what differs. A row whose symbol ends
in `.*` covers everything under it. Whether graphrnn-tf1 provides a symbol is not written
here: the runner decides that by resolving the symbol in its own shim (graphrnn.tf1).

Usage::

    row = migration.lookup("tf.contrib.rnn.GRUCell")   # the most specific row, or None
    print(migration.markdown_table())                  # docs/tf1-to-tf2.md's table
    migration.symbols_used(source)                     # [(symbol, first line), ...]
"""

import ast
import collections
import re

Row = collections.namedtuple("Row", "tf1 tf2 note")
GUIDE = "TensorFlow's guide 'Migrate to TensorFlow 2' (tensorflow.org/guide/migrate)"

# tf.train's TF1-only symbols, each with its own counterpart (those TF2 kept, such as
# tf.train.Example or latest_checkpoint, the checklist names as "the same in TF2")
TRAIN_ROWS = [
    Row("tf.train.AdagradOptimizer", "`keras.optimizers.Adagrad(epsilon=0)`",
        "TF1 adds no epsilon; both start the accumulator at 0.1"),
    Row("tf.train.AdadeltaOptimizer", "`keras.optimizers.Adadelta(epsilon=1e-8)`",
        "Keras 3's default epsilon is 1e-7"),
    Row("tf.train.MomentumOptimizer",
        "`keras.optimizers.SGD(momentum=m, nesterov=use_nesterov)`",
        "TF1 scales the accumulated gradient by the current rate, Keras the new gradient: "
        "the same while the rate is constant"),
    Row("tf.train.FtrlOptimizer", "`keras.optimizers.Ftrl`", ""),
    Row("tf.train.ProximalGradientDescentOptimizer", "`keras.optimizers.SGD` with L1 / L2 "
        "regularisers on the weights", "Keras has no proximal step"),
    Row("tf.train.ProximalAdagradOptimizer", "`keras.optimizers.Adagrad` with L1 / L2 "
        "regularisers on the weights", "Keras has no proximal step"),
    Row("tf.train.Optimizer", "a subclass of `keras.optimizers.Optimizer` with "
        "`update_step`", ""),
    Row("tf.train.SyncReplicasOptimizer", "`tf.distribute.MultiWorkerMirroredStrategy` "
        "(gradients all-reduced each step)", ""),
    Row("tf.train.piecewise_constant", "`keras.optimizers.schedules.PiecewiseConstantDecay`",
        ""),
    Row("tf.train.polynomial_decay", "`keras.optimizers.schedules.PolynomialDecay`", ""),
    Row("tf.train.inverse_time_decay", "`keras.optimizers.schedules.InverseTimeDecay`", ""),
    Row("tf.train.natural_exp_decay", "`keras.optimizers.schedules.ExponentialDecay("
        "decay_rate=exp(-rate))`", ""),
    Row("tf.train.cosine_decay", "`keras.optimizers.schedules.CosineDecay`", ""),
    Row("tf.train.cosine_decay_restarts", "`keras.optimizers.schedules.CosineDecayRestarts`",
        ""),
    Row("tf.train.linear_cosine_decay", "a `keras.optimizers.schedules.LearningRateSchedule`"
        " of your own", "Keras has no linear-cosine decay"),
    Row("tf.train.get_global_step", "`optimizer.iterations`", ""),
    Row("tf.train.create_global_step", "`optimizer.iterations`", ""),
    Row("tf.train.global_step", "`int(optimizer.iterations)`", ""),
    Row("tf.train.MonitoredTrainingSession", "`model.fit` with callbacks, or a loop over a "
        "`tf.function` step", "hooks become `keras.callbacks`"),
    Row("tf.train.MonitoredSession", "`model.fit` with callbacks, or a loop over a "
        "`tf.function` step", ""),
    Row("tf.train.SingularMonitoredSession", "`model.fit` with callbacks", ""),
    Row("tf.train.SessionRunHook", "`keras.callbacks.Callback`", ""),
    Row("tf.train.StopAtStepHook", "`model.fit(epochs=..., steps_per_epoch=...)`", ""),
    Row("tf.train.CheckpointSaverHook", "`keras.callbacks.ModelCheckpoint`", ""),
    Row("tf.train.SummarySaverHook", "`keras.callbacks.TensorBoard`", ""),
    Row("tf.train.StepCounterHook", "`keras.callbacks.TensorBoard` (steps per second)", ""),
    Row("tf.train.LoggingTensorHook", "a `keras.callbacks.Callback` that prints", ""),
    Row("tf.train.NanTensorHook", "`keras.callbacks.TerminateOnNaN`", ""),
    Row("tf.train.ProfilerHook", "`keras.callbacks.TensorBoard(profile_batch=...)`", ""),
    Row("tf.train.Scaffold", "nothing: Keras creates and initialises its variables", ""),
    Row("tf.train.Supervisor", "`model.fit` with `keras.callbacks.BackupAndRestore`", ""),
    Row("tf.train.Server", "`tf.distribute.Server`", ""),
    Row("tf.train.replica_device_setter",
        "`tf.distribute.experimental.ParameterServerStrategy`", ""),
    Row("tf.train.batch", "`tf.data.Dataset.batch`", ""),
    Row("tf.train.shuffle_batch", "`tf.data.Dataset.shuffle(n).batch(b)`", ""),
    Row("tf.train.string_input_producer", "`tf.data.Dataset.list_files` / "
        "`from_tensor_slices(filenames)`", ""),
    Row("tf.train.slice_input_producer", "`tf.data.Dataset.from_tensor_slices`", ""),
    Row("tf.train.start_queue_runners", "nothing: `tf.data` needs no threads", ""),
    Row("tf.train.Coordinator", "`tf.train.Coordinator` (for your own threads); `tf.data` "
        "needs none", ""),
    Row("tf.train.import_meta_graph", "`keras.saving.load_model`, or "
        "`graphrnn-tf1 --to-keras` for a TF1 model", ""),
    Row("tf.train.export_meta_graph", "`model.save(\"model.keras\")` / "
        "`tf.saved_model.save`", ""),
    Row("tf.train.write_graph", "`tf.io.write_graph`", ""),
    Row("tf.train.checkpoint_exists", "`tf.train.get_checkpoint_state(folder)`", ""),
    Row("tf.train.NewCheckpointReader", "`tf.train.load_checkpoint`", ""),
    Row("tf.train.init_from_checkpoint", "`tf.train.Checkpoint(...).restore`", ""),
]

TABLE = [
    # graphs, sessions, variables
    Row("tf.placeholder", "`keras.Input(shape)`, or a plain function argument",
        "Keras' shape leaves out the batch dimension"),
    Row("tf.placeholder_with_default", "a Python default argument",
        "as the training switch: the `training=` argument of a layer or model call"),
    Row("tf.cond", "`tf.cond`, or Python `if` in a `tf.function`",
        "on the training switch: the `training=` argument"),
    Row("tf.Session", "call the model (under `tf.function` for speed)",
        "`Session.run(fetches, feed_dict)` becomes a call with arguments"),
    Row("tf.global_variables_initializer", "nothing: variables are created initialised", ""),
    Row("tf.get_variable", "`tf.Variable`, or `self.add_weight` in a Keras layer", ""),
    Row("tf.variable_scope", "a layer object owns its weights",
        "`reuse=AUTO_REUSE`: call the same layer again"),
    Row("tf.set_random_seed", "`tf.random.set_seed(seed)`",
        "`keras.utils.set_random_seed` also seeds Python and NumPy"),
    Row("tf.GraphKeys.REGULARIZATION_LOSSES", "`sum(model.losses)`",
        "the collection plus `add_n` in TF1"),
    # recurrent cells and loops
    Row("tf.nn.dynamic_rnn", "the RNN layer's call with `return_state=True`",
        "`sequence_length=`: `mask=tf.sequence_mask(lengths, T)` and "
        "`zero_output_for_mask=True`"),
    Row("tf.nn.static_rnn", "`keras.layers.RNN(cell, unroll=True)`", ""),
    Row("tf.nn.rnn_cell.BasicRNNCell", "`keras.layers.SimpleRNN(activation=...)`", ""),
    Row("tf.nn.rnn_cell.GRUCell", "`keras.layers.GRU(reset_after=False)`",
        "TF1 resets the state before the product; graphrnn.weights converts the kernels"),
    Row("tf.nn.rnn_cell.BasicLSTMCell", "`keras.layers.LSTM`",
        "add TF1's `forget_bias` (1.0) to the forget gate's bias"),
    Row("tf.nn.rnn_cell.LSTMCell", "`keras.layers.LSTM`",
        "add `forget_bias` to the forget gate's bias; no peepholes or projection"),
    Row("tf.nn.rnn_cell.MultiRNNCell", "one RNN layer per cell",
        "`return_sequences=True` on all but what feeds the head"),
    Row("tf.nn.rnn_cell.DropoutWrapper", "`keras.layers.Dropout(1 - output_keep_prob)`",
        "on that layer's outputs (the state is not dropped)"),
    Row("tf.nn.rnn_cell.LSTMStateTuple", "a list `[h, c]`", "TF1's order is (c, h)"),
    Row("tf.contrib.rnn.static_rnn", "`keras.layers.RNN(cell, unroll=True)`", ""),
    Row("tf.contrib.rnn.BasicRNNCell", "`keras.layers.SimpleRNN(activation=...)`", ""),
    Row("tf.contrib.rnn.GRUCell", "`keras.layers.GRU(reset_after=False)`",
        "as tf.nn.rnn_cell.GRUCell"),
    Row("tf.contrib.rnn.BasicLSTMCell", "`keras.layers.LSTM`", "as tf.nn.rnn_cell.BasicLSTMCell"),
    Row("tf.contrib.rnn.LSTMCell", "`keras.layers.LSTM`", "as tf.nn.rnn_cell.LSTMCell"),
    Row("tf.contrib.rnn.MultiRNNCell", "one RNN layer per cell", "as tf.nn.rnn_cell.MultiRNNCell"),
    Row("tf.contrib.rnn.DropoutWrapper", "`keras.layers.Dropout(1 - output_keep_prob)`",
        "as tf.nn.rnn_cell.DropoutWrapper"),
    Row("tf.contrib.rnn.LSTMStateTuple", "a list `[h, c]`", "TF1's order is (c, h)"),
    Row("tf.contrib.rnn.RNNCell", "a `keras.layers.Layer` with `state_size` and "
        "`call(inputs, states)`, run by `keras.layers.RNN`", "as tf.nn.rnn_cell.RNNCell"),
    Row("tf.contrib.rnn.LSTMBlockCell", "`keras.layers.LSTM`",
        "an LSTMCell under another name: same math and variables"),
    Row("tf.contrib.rnn.GRUBlockCell", "`keras.layers.GRU(reset_after=False)`",
        "a GRUCell under another name: same math and variables"),
    Row("tf.contrib.rnn.stack_bidirectional_dynamic_rnn",
        "`keras.layers.Bidirectional(keras.layers.LSTM(units, return_sequences=True))`, "
        "one per layer", "TF1 concatenates forward and backward outputs, as Keras' default"),
    Row("tf.contrib.rnn.NASCell", "`keras.layers.LSTM`; neither TensorFlow 2 nor Keras has "
        "a NAS cell, and the last one, TensorFlow Addons' `tfa.rnn.NASCell`, is unmaintained", ""),
    Row("tf.contrib.rnn.LayerNormBasicLSTMCell", "`keras.layers.LSTM` with "
        "`keras.layers.LayerNormalization` after it; neither TensorFlow 2 nor Keras has a "
        "layer-normalised LSTM cell, and the last one, TensorFlow Addons' "
        "`tfa.rnn.LayerNormLSTMCell`, is unmaintained", ""),
    Row("tf.contrib.rnn.LSTMBlockFusedCell", "`keras.layers.LSTM`, fused on a GPU", ""),
    *(Row(f"tf.contrib.rnn.Conv{n}DLSTMCell", f"`keras.layers.ConvLSTM{n}D(padding='same')`",
          "Keras keeps the input and recurrent kernels apart, its gates in the order i, f, c, "
          "o (TF1: one kernel over [x, h], gates i, j, f, o)") for n in (1, 2, 3)),
    Row("tf.contrib.rnn.*", "`keras.layers.LSTM` / `GRU` / `SimpleRNN`, or a cell of your "
        "own for `keras.layers.RNN`: TensorFlow 2 and Keras have no other contrib cell", ""),
    # layers, regularisers, initialisers
    Row("tf.layers.dense", "`keras.layers.Dense`",
        "on a (B, T, H) tensor it acts on the last axis: no reshape trick needed"),
    Row("tf.layers.dropout", "`keras.layers.Dropout`", "`rate` is the fraction dropped, as in TF1"),
    Row("tf.layers.*", "the `keras.layers` class of the same name", ""),
    Row("tf.contrib.layers.l2_regularizer", "`keras.regularizers.L2(scale / 2)`",
        "TF1 was scale * sum(w^2) / 2"),
    Row("tf.contrib.layers.l1_regularizer", "`keras.regularizers.L1(scale)`", ""),
    Row("tf.contrib.layers.xavier_initializer", "`keras.initializers.GlorotUniform`",
        "uniform=False: `GlorotNormal` (truncated)"),
    Row("tf.contrib.layers.fully_connected", "`keras.layers.Dense(units, activation=\"relu\")`",
        "TF1's default activation is relu"),
    Row("tf.contrib.layers.linear", "`keras.layers.Dense(units)`",
        "fully_connected without an activation"),
    Row("tf.contrib.layers.flatten", "`keras.layers.Flatten`", ""),
    Row("tf.contrib.layers.*", "`keras.layers`", ""),
    Row("tf.nn.l2_loss", "`tf.nn.l2_loss`", "unchanged"),
    # losses, training
    Row("tf.losses.mean_squared_error", "`keras.losses.MeanSquaredError`", ""),
    Row("tf.losses.get_regularization_loss", "`sum(model.losses)`", ""),
    Row("tf.losses.*", "the `keras.losses` class of the same name", ""),
    Row("tf.train.AdamOptimizer", "`keras.optimizers.Adam(epsilon=1e-8)`",
        "Keras 3's default epsilon is 1e-7"),
    Row("tf.train.GradientDescentOptimizer", "`keras.optimizers.SGD`", ""),
    Row("tf.train.RMSPropOptimizer", "`keras.optimizers.RMSprop(epsilon=1e-10)`",
        "Keras 3's default epsilon is 1e-7"),
    Row("tf.train.exponential_decay", "`keras.optimizers.schedules.ExponentialDecay`",
        "the optimizer counts its own `iterations` (no global_step)"),
    Row("tf.train.get_or_create_global_step", "`optimizer.iterations`", ""),
    Row("tf.train.Saver", "`tf.train.Checkpoint`, or `model.save(\"model.keras\")`", ""),
    *TRAIN_ROWS,
    # summaries
    Row("tf.summary.FileWriter", "`tf.summary.create_file_writer(logdir)`", ""),
    Row("tf.summary.scalar", "`tf.summary.scalar(name, value, step=step)`", "inside a writer"),
    Row("tf.summary.histogram", "`tf.summary.histogram(name, value, step=step)`", ""),
    Row("tf.summary.merge_all", "nothing: TF2 summaries are written when called", ""),
    Row("tf.summary.*", "`tf.summary` with a `step=`", ""),
    # TF 0.12's names, which TF 1.0 renamed (graphrnn-tf1 runs them, api/renamed.py)
    Row("tf.mul", "`tf.multiply`", "renamed in TF 1.0"),
    Row("tf.sub", "`tf.subtract`", "renamed in TF 1.0"),
    Row("tf.neg", "`tf.negative`", "renamed in TF 1.0"),
    Row("tf.pack", "`tf.stack`", "renamed in TF 1.0"),
    Row("tf.unpack", "`tf.unstack`", "renamed in TF 1.0"),
    Row("tf.concat_v2", "`tf.concat(values, axis)`", "TF 0.12's tf.concat took the axis first"),
    Row("tf.select", "`tf.where`", "renamed in TF 1.0"),
    Row("tf.batch_matmul", "`tf.matmul`", "which multiplies batches since TF 1.0"),
    Row("tf.scalar_summary", "`tf.summary.scalar(name, value, step=step)`", "inside a writer"),
    Row("tf.histogram_summary", "`tf.summary.histogram(name, value, step=step)`", ""),
    Row("tf.image_summary", "`tf.summary.image(name, images, step=step, max_outputs=3)`",
        "max_images became max_outputs"),
    Row("tf.audio_summary", "`tf.summary.audio(name, audio, sample_rate, step=step)`", ""),
    Row("tf.merge_summary", "nothing: TF2 summaries are written when called", ""),
    Row("tf.merge_all_summaries", "nothing: TF2 summaries are written when called", ""),
    Row("tf.train.SummaryWriter", "`tf.summary.create_file_writer(logdir)`", ""),
    Row("tf.contrib.deprecated.*", "`tf.summary` with a `step=`", "TF 1.0's summary ops"),
    Row("tf.nn.rnn", "`keras.layers.RNN(cell, unroll=True)`", "TF 1.0's static_rnn"),
    Row("tf.nn.bidirectional_rnn", "`keras.layers.Bidirectional` over "
        "`keras.layers.RNN(cell, unroll=True)`", "TF 1.0's static_bidirectional_rnn"),
    Row("tf.nn.seq2seq.*", "a `keras.layers.RNN` encoder and decoder, with "
        "`keras.layers.Attention` for attention", "TF 1.0's tf.contrib.legacy_seq2seq"),
    # contrib modules graphrnn-tf1 does not provide
    Row("tf.contrib.seq2seq.sequence_loss",
        "`keras.losses.SparseCategoricalCrossentropy(from_logits=True)` with "
        "`sample_weight=weights`", "TF1 divides by the sum of the weights"),
    Row("tf.contrib.seq2seq.dynamic_decode", "a decoding loop over a Keras RNN cell "
        "(`cell(inputs, states)`) in a `tf.function`: `tf.while_loop` or a Python loop",
        "TF1's Decoder / Helper pair has no Keras counterpart"),
    Row("tf.contrib.seq2seq.BasicDecoder", "the cell's call and a `keras.layers.Dense` head "
        "inside your decoding loop", ""),
    Row("tf.contrib.seq2seq.TrainingHelper", "`keras.layers.RNN(cell, return_sequences=True)` "
        "on the shifted targets (teacher forcing needs no loop)", ""),
    Row("tf.contrib.seq2seq.GreedyEmbeddingHelper", "`tf.argmax` of the logits fed back "
        "through the `keras.layers.Embedding` in your loop", ""),
    Row("tf.contrib.seq2seq.BahdanauAttention", "`keras.layers.AdditiveAttention`",
        "TF1 projects the query and memory first: put `keras.layers.Dense(num_units, "
        "use_bias=False)` in front of each"),
    Row("tf.contrib.seq2seq.LuongAttention", "`keras.layers.Attention`",
        "TF1 projects the memory first (`Dense(num_units, use_bias=False)`); "
        "`scale=True` is `use_scale=True`"),
    Row("tf.contrib.seq2seq.AttentionWrapper", "`keras.layers.Attention` / "
        "`AdditiveAttention` called on the cell output in your decoding loop",
        "then a `Dense(attention_layer_size, use_bias=False)` of [output, context]"),
    Row("tf.contrib.seq2seq.BeamSearchDecoder", "`keras_hub.samplers.BeamSampler` for a "
        "token model, or a beam-search loop of your own", "Keras has no RNN beam search"),
    Row("tf.contrib.seq2seq.tile_batch", "`tf.repeat(t, multiplier, axis=0)`", ""),
    Row("tf.contrib.seq2seq.hardmax", "`tf.one_hot(tf.argmax(x, -1), depth)`", ""),
    Row("tf.contrib.seq2seq.*", "a decoding loop over a Keras RNN cell in a `tf.function`; "
        "the TF2 port, TensorFlow Addons' `tfa.seq2seq`, is unmaintained",
        "decoders, attention and beam search"),
    Row("tf.contrib.legacy_seq2seq.sequence_loss_by_example",
        "`keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)` per "
        "step, weighted and summed over time", "lists over time in TF1"),
    Row("tf.contrib.legacy_seq2seq.sequence_loss",
        "`keras.losses.SparseCategoricalCrossentropy(from_logits=True)` with "
        "`sample_weight=weights`", "lists over time in TF1"),
    Row("tf.contrib.legacy_seq2seq.rnn_decoder", "`keras.layers.RNN(cell, "
        "return_sequences=True, return_state=True)`; with a loop_function, a Python loop "
        "calling the cell", ""),
    Row("tf.contrib.legacy_seq2seq.*", "a `keras.layers.RNN` encoder and decoder, with "
        "`keras.layers.Attention` for attention", ""),
    Row("tf.contrib.crf.crf_log_likelihood", "no Keras layer: the forward algorithm over "
        "the tags with `tf.reduce_logsumexp` in your loss", "TensorFlow Addons' "
        "`tfa.text.crf_log_likelihood` was the TF2 port; it is unmaintained"),
    Row("tf.contrib.crf.crf_decode", "Viterbi in a `tf.function` (`tf.reduce_max` and "
        "`tf.argmax` forward, the backpointers followed back)", ""),
    Row("tf.contrib.crf.viterbi_decode", "the same NumPy loop (it never used TensorFlow)", ""),
    Row("tf.contrib.crf.*", "no Keras layer; TensorFlow Addons' `tfa.text` (unmaintained)", ""),
    Row("tf.contrib.learn.ModeKeys", "a `training=` argument (or the strings 'train', "
        "'eval', 'infer' as plain constants, as tf.estimator's ModeKeys held them)", ""),
    Row("tf.contrib.learn.preprocessing.VocabularyProcessor",
        "`keras.layers.TextVectorization(output_sequence_length=max_document_length)`",
        "TF1 keeps words seen more than min_frequency times, ids by frequency, 0 for "
        "unknown and padding; TextVectorization keeps 0 for padding and 1 for unknown"),
    Row("tf.contrib.learn.*", "`keras.Model.fit` and `tf.data`", ""),
    Row("tf.contrib.training.HParams", "a `dataclasses.dataclass` or a dict; "
        "`keras_tuner.HyperParameters` for searches", "parse(\"a=1,b=[2,3]\") has no "
        "counterpart: argparse"),
    Row("tf.contrib.framework.nest", "`tf.nest`", "`is_sequence` is `tf.nest.is_nested`"),
    Row("tf.contrib.framework.list_variables", "`tf.train.list_variables`", ""),
    Row("tf.contrib.framework.load_checkpoint", "`tf.train.load_checkpoint`", ""),
    Row("tf.contrib.data.*", "the `tf.data.Dataset` method of the same name "
        "(`group_by_window`, `bucket_by_sequence_length`, `batch(drop_remainder=True)`)", ""),
    Row("tf.contrib.slim.*", "`keras.layers`", ""),
    Row("tf.contrib.cudnn_rnn.*", "`keras.layers.LSTM` / `GRU` (cuDNN when they can)", ""),
    Row("tf.contrib.grid_rnn.*", "a cell of your own for `keras.layers.RNN`",
        "Kalchbrenner et al.'s grid LSTM has no Keras layer"),
    Row("tf.contrib.keras.*", "`keras` (Keras 3)", "TF 1.2-1.3's copy of Keras 2"),
    Row("tf.contrib.lookup.*", "`tf.lookup.StaticVocabularyTable` / `tf.lookup.StaticHashTable`",
        "or `keras.layers.StringLookup`"),
    Row("tf.contrib.metrics.*", "a `keras.metrics` metric: `update_state`, then `result`",
        "contrib's streaming metrics took the predictions first"),
    Row("tf.contrib.tensorboard.plugins.projector.*", "tensorboard.plugins.projector",
        "the same plugin, now TensorBoard's"),
    Row("tf.contrib.*", GUIDE, "tf.contrib was removed in TensorFlow 2.0"),
    Row("tf.estimator.*", "`keras.Model.fit` / `evaluate` / `predict`",
        "tf.estimator was removed in TensorFlow 2.16"),
    # data sets
    Row("tf.examples.tutorials.mnist.input_data.read_data_sets",
        "`keras.datasets.mnist.load_data()`",
        "uint8 (60000, 28, 28) images: divide by 255 and reshape to 784 for TF1's layout"),
    Row("tf.examples.*", "`keras.datasets`", "tensorflow.examples was removed in "
        "TensorFlow 2.0"),
]


# tf.contrib's modules in TF 1.15 that graphrnn-tf1 does not rebuild: the runner gives each
# an empty view, so that a script's error names the symbol it used (tf.contrib.learn.DNN...)
REMOVED_CONTRIB_MODULES = [
    "bayesflow", "distributions", "estimator", "grid_rnn", "image",
    "losses", "opt", "predictor", "timeseries", "tpu"]


def lookup(symbol):
    """The most specific row for a dotted symbol ("tf.contrib.rnn.GRUCell"), or None. A
    contrib module's deep path (tf.contrib.seq2seq.python.ops.beam_search_decoder.X) is
    looked up under its public name (tf.contrib.seq2seq.X)."""
    symbol = re.sub(r"^(tf\.contrib\.\w+)\.python\.ops\.\w+\.", r"\1.", symbol)
    best = None
    for row in TABLE:
        if row.tf1 == symbol:
            return row
        prefix = row.tf1[:-1]  # "tf.contrib.*" -> "tf.contrib.": it and everything under it
        if row.tf1.endswith(".*") and (symbol + ".").startswith(prefix):
            if best is None or len(prefix) > len(best.tf1) - 1:
                best = row
    return best


def markdown_table():
    """The table as Markdown, as docs/tf1-to-tf2.md shows it."""
    lines = ["| TF1 (`import tensorflow as tf`) | TF2 / Keras 3 | note |",
             "| --- | --- | --- |"]
    lines += [f"| `{row.tf1}` | {row.tf2} | {row.note} |" for row in TABLE]
    return "\n".join(lines) + "\n"


def symbols_used(source):
    """[(dotted symbol spelled from `tf`, first line)] for every TensorFlow name a script
    uses, in order of first use (see symbol_uses)."""
    first = {}
    for symbol, line in symbol_uses(source):
        first[symbol] = min(line, first.get(symbol, line))
    return sorted(first.items(), key=lambda item: (item[1], item[0]))


def symbol_uses(source):
    """[(dotted symbol spelled from `tf`, line)] for every use of a TensorFlow name in a
    script. Imports are followed: `import tensorflow as tf`,
    `import tensorflow.contrib.rnn as rnn` (rnn.X -> tf.contrib.rnn.X),
    `from tensorflow.contrib import rnn`, `from tensorflow.contrib.rnn import GRUCell`.
    Only the longest chains count: tf.contrib.rnn.GRUCell, not also tf.contrib.rnn."""
    tree = ast.parse(source)
    aliases = {}  # local name -> dotted symbol spelled from tf
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if is_tensorflow(alias.name):
                    if alias.asname:
                        aliases[alias.asname] = spelled(alias.name)
                    else:  # `import tensorflow.contrib.rnn` binds `tensorflow`
                        aliases["tensorflow"] = "tf"
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and is_tensorflow(
                node.module or ""):
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{spelled(node.module)}.{alias.name}"
    uses, assigned = [], set()  # assigned: `tf.model = keras.Sequential()` is the script's
    for node in ast.walk(tree):
        names = _attribute_chain(node) or ([node.id] if isinstance(node, ast.Name) else None)
        if names and names[0] in aliases:
            symbol = _normalised(".".join([aliases[names[0]], *names[1:]]))
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                assigned.add(symbol)
            elif symbol != "tf":
                uses.append((symbol, node.lineno))
    uses = [(symbol, line) for symbol, line in uses
            if not any(symbol == name or symbol.startswith(name + ".") for name in assigned)]
    symbols = {symbol for symbol, _ in uses}
    return [(symbol, line) for symbol, line in uses
            if not any(other.startswith(symbol + ".") for other in symbols)]


def is_tensorflow(module):
    """"tensorflow" or "tensorflow.anything"."""
    return module == "tensorflow" or module.startswith("tensorflow.")


def _normalised(symbol):
    """"tf.compat.v1.placeholder" -> "tf.placeholder": the TF1 name the table uses."""
    for prefix in ("tf.compat.v1.", "tf.compat.v1"):
        if symbol.startswith(prefix):
            return "tf." + symbol[len(prefix):] if prefix.endswith(".") else "tf"
    return symbol


def spelled(module):
    """"tensorflow.contrib.rnn" -> "tf.contrib.rnn"."""
    return "tf" + module[len("tensorflow"):]


def _attribute_chain(node):
    """["tf", "contrib", "rnn", "GRUCell"] for the expression tf.contrib.rnn.GRUCell, for
    the outermost attribute of a chain only; None for anything else."""
    if not isinstance(node, ast.Attribute):
        return None
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(names)]
