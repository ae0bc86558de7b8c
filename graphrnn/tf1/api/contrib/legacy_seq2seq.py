"""TF 1.15's `tf.contrib.legacy_seq2seq`, rebuilt on tf.compat.v1 for graphrnn-tf1: the
statically unrolled models of the 2015 translation tutorial, over Python lists of
[batch, ...] tensors, one per step.

    decoders  rnn_decoder, embedding_rnn_decoder, attention_decoder (Vinyals et al. 2015,
              "Grammar as a foreign language"), embedding_attention_decoder
    models    basic_rnn_seq2seq, tied_rnn_seq2seq, embedding_rnn_seq2seq,
              embedding_tied_rnn_seq2seq, embedding_attention_seq2seq, one2many_rnn_seq2seq,
              model_with_buckets
    losses    sequence_loss_by_example, sequence_loss

Variable names are TF 1.15's (`embedding_attention_seq2seq/rnn/embedding_wrapper/embedding`,
`.../embedding_attention_decoder/attention_decoder/AttnW_0`, `AttnV_0`, `Attention_0/kernel`,
`AttnOutputProjection/kernel`, ...), so checkpoints of the translate tutorial restore.
`feed_previous` may be a bool or a scalar bool tensor (both decoders built, picked by
tf.cond, sharing weights).
"""

import copy
import weakref

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.rnn.wrappers import EmbeddingWrapper, Linear, OutputProjectionWrapper

nest = tf.nest


def _extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """A loop_function: the embedding of the argmax of the previous output (projected
    by output_projection = (W, B) first, if given)."""
    def loop_function(prev, _):
        if output_projection is not None:
            prev = v1.nn.xw_plus_b(prev, output_projection[0], output_projection[1])
        embedded = v1.nn.embedding_lookup(embedding, tf.argmax(prev, 1))
        return embedded if update_embedding else tf.stop_gradient(embedded)
    return loop_function


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """tf.contrib.legacy_seq2seq.rnn_decoder: run `cell` over a list of inputs.

    Args:
      decoder_inputs: list over time of [batch_size, input_size].
      initial_state: the cell's state, [batch_size, state_size] (or a tuple of them).
      cell: an RNN cell; its variables live under `scope` ("rnn_decoder").
      loop_function: (previous output, step i) -> the input for step i, used from the
        second step on instead of decoder_inputs[i] (feeding back a sampled symbol); it
        runs in variable scope "loop_function" with reuse=True.

    Returns:
      (outputs, state): a list over time of [batch_size, output_size], the last state.
    """
    with v1.variable_scope(scope or "rnn_decoder"):
        state, outputs, previous = initial_state, [], None
        for step, inputs in enumerate(decoder_inputs):
            if loop_function is not None and previous is not None:
                with v1.variable_scope("loop_function", reuse=True):
                    inputs = loop_function(previous, step)
            if step > 0:
                v1.get_variable_scope().reuse_variables()
            output, state = cell(inputs, state)
            outputs.append(output)
            if loop_function is not None:
                previous = output
    return outputs, state


def copied(cell):
    """copy.deepcopy(cell), as TF 1.x's models copied the encoder's cell; one copy per cell
    and variable scope. model_with_buckets builds each bucket in the same scope with
    reuse=True, where TF 1.x's fresh copy took the first bucket's weights by name: here the
    first bucket's copy is that copy (a copy made now, of a cell that has run, would hold
    graph objects that TensorFlow 2.21 cannot copy in a graph)."""
    key = (v1.get_default_graph(), v1.get_variable_scope().name)
    copies = _COPIES.setdefault(cell, {})
    if key not in copies:
        copies[key] = copy.deepcopy(cell)
    return copies[key]


_COPIES = weakref.WeakKeyDictionary()  # cell -> {(graph, scope name): its copy}


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=tf.float32, scope=None):
    """tf.contrib.legacy_seq2seq.basic_rnn_seq2seq: static_rnn over encoder_inputs with a
    copy of `cell`, then rnn_decoder from its last state; no weights shared."""
    with v1.variable_scope(scope or "basic_rnn_seq2seq"):
        _, encoder_state = v1.nn.static_rnn(copied(cell), encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, encoder_state, cell)


def tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, loop_function=None,
                     dtype=tf.float32, scope=None):
    """tf.contrib.legacy_seq2seq.tied_rnn_seq2seq: as basic_rnn_seq2seq, one set of
    weights for encoder and decoder (scope "combined_tied_rnn_seq2seq/tied_rnn_seq2seq")."""
    with v1.variable_scope("combined_tied_rnn_seq2seq"):
        scope = scope or "tied_rnn_seq2seq"
        _, encoder_state = v1.nn.static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
        v1.get_variable_scope().reuse_variables()
        return rnn_decoder(decoder_inputs, encoder_state, cell, loop_function=loop_function,
                           scope=scope)


def _check_projection(output_projection, num_symbols, dtype):
    """output_projection's (W [?, num_symbols], B [num_symbols]) shapes, as TF1 checks."""
    if output_projection is None:
        return
    weights = tf.convert_to_tensor(output_projection[0], dtype=dtype)
    weights.shape.assert_is_compatible_with([None, num_symbols])
    biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
    biases.shape.assert_is_compatible_with([num_symbols])


def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size,
                          output_projection=None, feed_previous=False,
                          update_embedding_for_previous=True, scope=None):
    """tf.contrib.legacy_seq2seq.embedding_rnn_decoder: rnn_decoder over the embeddings
    (`embedding` [num_symbols, embedding_size]) of decoder_inputs, a list of [batch] int
    ids; with feed_previous, greedy: each step reads the argmax of the last output."""
    with v1.variable_scope(scope or "embedding_rnn_decoder") as scope:
        _check_projection(output_projection, num_symbols, scope.dtype)
        embedding = v1.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = _extract_argmax_and_embed(
            embedding, output_projection, update_embedding_for_previous) if feed_previous else None
        embedded = (v1.nn.embedding_lookup(embedding, i) for i in decoder_inputs)
        return rnn_decoder(embedded, initial_state, cell, loop_function=loop_function)


def _decode_by_feed_previous(feed_previous, build, template_state):
    """The decoder for feed_previous, as TF1 built it. build(flag, update_embedding) ->
    (outputs, state). A Python bool: built once, the embedding updated through the fed
    back symbols. A tensor: built twice (feeding back first, then reusing its weights for
    the teacher-forced one, update_embedding False), one picked by tf.cond; the state is
    packed like template_state (or template_state(), a callable made only then)."""
    if isinstance(feed_previous, bool):
        return build(feed_previous, True)
    if callable(template_state):
        template_state = template_state()

    def decoder(flag):
        with v1.variable_scope(v1.get_variable_scope(), reuse=None if flag else True):
            outputs, state = build(flag, False)
        return outputs + nest.flatten(state)

    outputs_and_state = tf.cond(feed_previous, lambda: decoder(True), lambda: decoder(False))
    count = len(outputs_and_state) - len(nest.flatten(template_state))
    state_list = outputs_and_state[count:]
    state = state_list[0]
    if nest.is_nested(template_state):
        state = nest.pack_sequence_as(template_state, state_list)
    return outputs_and_state[:count], state


def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                          num_decoder_symbols, embedding_size, output_projection=None,
                          feed_previous=False, dtype=None, scope=None):
    """tf.contrib.legacy_seq2seq.embedding_rnn_seq2seq: an EmbeddingWrapper'd copy of
    `cell` encodes; embedding_rnn_decoder decodes from its state, through an
    OutputProjectionWrapper to num_decoder_symbols unless output_projection is given."""
    with v1.variable_scope(scope or "embedding_rnn_seq2seq") as scope:
        if dtype is not None:
            scope.set_dtype(dtype)
        else:
            dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(copied(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        _, encoder_state = v1.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)

        def build(flag, update_embedding):
            return embedding_rnn_decoder(
                decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                output_projection=output_projection, feed_previous=flag,
                update_embedding_for_previous=update_embedding)

        return _decode_by_feed_previous(feed_previous, build, encoder_state)


def embedding_tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_symbols,
                               embedding_size, num_decoder_symbols=None,
                               output_projection=None, feed_previous=False, dtype=None,
                               scope=None):
    """tf.contrib.legacy_seq2seq.embedding_tied_rnn_seq2seq: one `embedding` for both
    sides and tied_rnn_seq2seq between them; outputs over num_decoder_symbols (or
    num_symbols) through an OutputProjectionWrapper unless output_projection is given."""
    with v1.variable_scope(scope or "embedding_tied_rnn_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        _check_projection(output_projection, num_symbols, dtype)
        embedding = v1.get_variable("embedding", [num_symbols, embedding_size], dtype=dtype)
        embedded_encoder = [v1.nn.embedding_lookup(embedding, x) for x in encoder_inputs]
        embedded_decoder = [v1.nn.embedding_lookup(embedding, x) for x in decoder_inputs]
        output_symbols = num_symbols if num_decoder_symbols is None else num_decoder_symbols
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, output_symbols)

        def build(flag, update_embedding):
            loop_function = _extract_argmax_and_embed(
                embedding, output_projection, update_embedding) if flag else None
            return tied_rnn_seq2seq(embedded_encoder, embedded_decoder, cell,
                                    loop_function=loop_function, dtype=dtype)

        batch_size = (tf.compat.dimension_value(encoder_inputs[0].shape[0])
                      or tf.shape(encoder_inputs[0])[0])
        return _decode_by_feed_previous(feed_previous, build,
                                        lambda: cell.zero_state(batch_size, dtype))


def _attention_reads(query, hidden, hidden_features, attention_v, attention_vec_size, dtype):
    """Each head a: mask = softmax(sum(v_a * tanh(W_a h_j + U_a q))) over the attention
    states h_j, read = sum_j mask_j h_j; U_a q is a Linear in scope Attention_a.
    hidden: [batch, length, 1, size]; returns a list of [batch, size]."""
    if nest.is_nested(query):  # an LSTM or multi-layer state: concatenated
        query = tf.concat(nest.flatten(query), 1)
    attn_length, attn_size = tf.shape(hidden)[1], tf.compat.dimension_value(hidden.shape[3])
    reads = []
    for head, (features, v) in enumerate(zip(hidden_features, attention_v)):
        with v1.variable_scope(f"Attention_{head}"):
            y = Linear(query, attention_vec_size, True)(query)
            y = tf.cast(tf.reshape(y, [-1, 1, 1, attention_vec_size]), dtype)
            score = tf.reduce_sum(v * tf.tanh(features + y), [2, 3])  # (B, length)
            mask = tf.cast(tf.nn.softmax(tf.cast(score, tf.float32)), dtype)
            read = tf.reduce_sum(tf.reshape(mask, [-1, attn_length, 1, 1]) * hidden, [1, 2])
            reads.append(tf.reshape(read, [-1, attn_size]))
    return reads


def attention_decoder(decoder_inputs, initial_state, attention_states, cell, output_size=None,
                      num_heads=1, loop_function=None, dtype=None, scope=None,
                      initial_state_attention=False):
    """tf.contrib.legacy_seq2seq.attention_decoder: each step runs the cell on
    Linear([input, previous reads]), reads the attention states with every head
    (queried by the new state), and outputs Linear([cell output, reads]) in scope
    AttnOutputProjection.

    Args:
      decoder_inputs: list over time of [batch_size, input_size].
      attention_states: [batch_size, attn_length, attn_size]; attn_size must be known.
      output_size: the outputs' width (the cell's output size by default).
      num_heads: how many attention reads per step (AttnW_k, AttnV_k, Attention_k).
      initial_state_attention: start from reads of the initial state (else zeros).

    Returns:
      (outputs: list over time of [batch_size, output_size], the last state).
    """
    if not decoder_inputs:
        raise ValueError("Must provide at least 1 input to attention decoder.")
    if num_heads < 1:
        raise ValueError("With less than 1 heads, use a non-attention decoder.")
    attn_size = tf.compat.dimension_value(attention_states.shape[2])
    if attn_size is None:
        raise ValueError(f"Shape[2] of attention_states must be known: {attention_states.shape}")
    output_size = output_size or cell.output_size
    with v1.variable_scope(scope or "attention_decoder", dtype=dtype) as scope:
        dtype = scope.dtype
        batch_size = tf.shape(decoder_inputs[0])[0]
        attn_length = (tf.compat.dimension_value(attention_states.shape[1])
                       or tf.shape(attention_states)[1])
        # W_a h_j for every state as a 1x1 convolution: (B, length, 1, size)
        hidden = tf.reshape(attention_states, [-1, attn_length, 1, attn_size])
        hidden_features, attention_v = [], []
        for head in range(num_heads):
            kernel = v1.get_variable(f"AttnW_{head}", [1, 1, attn_size, attn_size], dtype=dtype)
            hidden_features.append(tf.nn.conv2d(hidden, kernel, [1, 1, 1, 1], "SAME"))
            attention_v.append(v1.get_variable(f"AttnV_{head}", [attn_size], dtype=dtype))

        def reads_of(query):
            return _attention_reads(query, hidden, hidden_features, attention_v, attn_size,
                                    dtype)

        reads = [tf.zeros(tf.stack([batch_size, attn_size]), dtype=dtype)
                 for _ in range(num_heads)]
        for read in reads:
            read.set_shape([None, attn_size])
        if initial_state_attention:
            reads = reads_of(initial_state)
        return _attention_steps(decoder_inputs, initial_state, cell, reads, reads_of,
                                output_size, loop_function, initial_state_attention, dtype)


def _attention_steps(decoder_inputs, state, cell, reads, reads_of, output_size,
                     loop_function, initial_state_attention, dtype):
    """attention_decoder's unrolled steps, in its variable scope: (outputs, last state)."""
    outputs, previous = [], None
    for step, inputs in enumerate(decoder_inputs):
        if step > 0:
            v1.get_variable_scope().reuse_variables()
        if loop_function is not None and previous is not None:
            with v1.variable_scope("loop_function", reuse=True):
                inputs = loop_function(previous, step)
        if tf.compat.dimension_value(inputs.shape.with_rank(2)[1]) is None:
            raise ValueError(f"Could not infer input size from input: {inputs.name}")
        input_size = tf.compat.dimension_value(inputs.shape[1])
        cell_inputs = [tf.cast(x, dtype) for x in [inputs] + reads]
        cell_output, state = cell(Linear(cell_inputs, input_size, True)(cell_inputs), state)
        if step == 0 and initial_state_attention:
            with v1.variable_scope(v1.get_variable_scope(), reuse=True):
                reads = reads_of(state)
        else:
            reads = reads_of(state)
        with v1.variable_scope("AttnOutputProjection"):
            projected = [tf.cast(cell_output, dtype)] + reads
            output = Linear(projected, output_size, True)(projected)
        if loop_function is not None:
            previous = output
        outputs.append(output)
    return outputs, state


def embedding_attention_decoder(decoder_inputs, initial_state, attention_states, cell,
                                num_symbols, embedding_size, num_heads=1, output_size=None,
                                output_projection=None, feed_previous=False,
                                update_embedding_for_previous=True, dtype=None, scope=None,
                                initial_state_attention=False):
    """tf.contrib.legacy_seq2seq.embedding_attention_decoder: attention_decoder over the
    embeddings of [batch] int decoder inputs; greedy with feed_previous."""
    output_size = output_size or cell.output_size
    if output_projection is not None:
        biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
        biases.shape.assert_is_compatible_with([num_symbols])
    with v1.variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
        embedding = v1.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = _extract_argmax_and_embed(
            embedding, output_projection, update_embedding_for_previous) if feed_previous else None
        embedded = [v1.nn.embedding_lookup(embedding, i) for i in decoder_inputs]
        return attention_decoder(embedded, initial_state, attention_states, cell,
                                 output_size=output_size, num_heads=num_heads,
                                 loop_function=loop_function,
                                 initial_state_attention=initial_state_attention)


def embedding_attention_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                                num_decoder_symbols, embedding_size, num_heads=1,
                                output_projection=None, feed_previous=False, dtype=None,
                                scope=None, initial_state_attention=False):
    """tf.contrib.legacy_seq2seq.embedding_attention_seq2seq: the translate tutorial's
    model. An EmbeddingWrapper'd copy of `cell` encodes (static_rnn); its outputs are the
    attention states of an embedding_attention_decoder started from its state, through
    an OutputProjectionWrapper to num_decoder_symbols unless output_projection is given."""
    with v1.variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(copied(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        encoder_outputs, encoder_state = v1.nn.static_rnn(encoder_cell, encoder_inputs,
                                                          dtype=dtype)
        attention_states = tf.concat(
            [tf.reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs], 1)
        output_size = None
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols

        def build(flag, update_embedding):
            return embedding_attention_decoder(
                decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols,
                embedding_size, num_heads=num_heads, output_size=output_size,
                output_projection=output_projection, feed_previous=flag,
                update_embedding_for_previous=update_embedding,
                initial_state_attention=initial_state_attention)

        return _decode_by_feed_previous(feed_previous, build, encoder_state)


def one2many_rnn_seq2seq(encoder_inputs, decoder_inputs_dict, enc_cell, dec_cells_dict,
                         num_encoder_symbols, num_decoder_symbols_dict, embedding_size,
                         feed_previous=False, dtype=None, scope=None):
    """tf.contrib.legacy_seq2seq.one2many_rnn_seq2seq: one embedding encoder, one
    embedding_rnn_decoder per name (scope one2many_decoder_<name>), each through an
    OutputProjectionWrapper. Returns ({name: outputs}, {name: state})."""
    if not isinstance(enc_cell, v1.nn.rnn_cell.RNNCell):
        raise TypeError(f"enc_cell is not an RNNCell: {type(enc_cell)}")
    if set(dec_cells_dict) != set(decoder_inputs_dict):
        raise ValueError("keys of dec_cells_dict != keys of decodre_inputs_dict")
    for dec_cell in dec_cells_dict.values():
        if not isinstance(dec_cell, v1.nn.rnn_cell.RNNCell):
            raise TypeError(f"dec_cell is not an RNNCell: {type(dec_cell)}")
    outputs_dict, state_dict = {}, {}
    with v1.variable_scope(scope or "one2many_rnn_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        enc_cell = EmbeddingWrapper(enc_cell, embedding_classes=num_encoder_symbols,
                                    embedding_size=embedding_size)
        _, encoder_state = v1.nn.static_rnn(enc_cell, encoder_inputs, dtype=dtype)
        for name, decoder_inputs in decoder_inputs_dict.items():
            symbols = num_decoder_symbols_dict[name]
            with v1.variable_scope(f"one2many_decoder_{name}"):
                dec_cell = OutputProjectionWrapper(dec_cells_dict[name], symbols)

                def build(flag, _, inputs=decoder_inputs, cell=dec_cell, symbols=symbols):
                    # TF1's one2many updates the embedding under tf.cond too
                    return embedding_rnn_decoder(inputs, encoder_state, cell, symbols,
                                                 embedding_size, feed_previous=flag)

                outputs, state = _decode_by_feed_previous(feed_previous, build,
                                                          encoder_state)
            outputs_dict[name], state_dict[name] = outputs, state
    return outputs_dict, state_dict


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """tf.contrib.legacy_seq2seq.sequence_loss_by_example: the log-perplexity of each
    sequence.

    Args:
      logits: list over time of [batch_size, num_classes] float.
      targets: list over time of [batch_size] int.
      weights: list over time of [batch_size] float.
      average_across_timesteps: divide by the weights' sum over time (+ 1e-12, as TF1).

    Returns:
      [batch_size] float.
    """
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError("Lengths of logits, weights, and targets must be the same "
                         f"{len(logits)}, {len(weights)}, {len(targets)}.")
    with v1.name_scope(name, "sequence_loss_by_example", logits + targets + weights):
        per_step = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=tf.reshape(target, [-1]), logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            per_step.append(crossent * weight)
        log_perplexities = tf.add_n(per_step)
        if average_across_timesteps:
            log_perplexities /= tf.add_n(weights) + 1e-12  # TF1's guard against all-0 weights
        return log_perplexities


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, softmax_loss_function=None, name=None):
    """tf.contrib.legacy_seq2seq.sequence_loss: the sum of sequence_loss_by_example over
    the batch, divided by the batch size when average_across_batch. A scalar."""
    with v1.name_scope(name, "sequence_loss", logits + targets + weights):
        cost = tf.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            return cost / tf.cast(tf.shape(targets[0])[0], cost.dtype)
        return cost


def model_with_buckets(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq,
                       softmax_loss_function=None, per_example_loss=False, name=None):
    """tf.contrib.legacy_seq2seq.model_with_buckets: seq2seq(encoder_inputs[:i],
    decoder_inputs[:o]) for every bucket (i, o), the weights shared (reuse after the
    first), each with its loss (sequence_loss, or per example).

    Returns:
      (outputs: a list per bucket, losses: a scalar, or [batch] per example, per bucket).
    """
    last_in, last_out = buckets[-1]
    for label, items, need in (("encoder_inputs", encoder_inputs, last_in),
                               ("targets", targets, last_out), ("weights", weights, last_out)):
        if len(items) < need:
            raise ValueError(f"Length of {label} ({len(items)}) must be at least that of last "
                             f"bucket ({need}).")
    outputs, losses = [], []
    with v1.name_scope(name, "model_with_buckets",
                       encoder_inputs + decoder_inputs + targets + weights):
        for j, (inputs_length, outputs_length) in enumerate(buckets):
            with v1.variable_scope(v1.get_variable_scope(), reuse=True if j > 0 else None):
                bucket_outputs, _ = seq2seq(encoder_inputs[:inputs_length],
                                            decoder_inputs[:outputs_length])
                outputs.append(bucket_outputs)
                loss = sequence_loss_by_example if per_example_loss else sequence_loss
                losses.append(loss(bucket_outputs, targets[:outputs_length],
                                   weights[:outputs_length],
                                   softmax_loss_function=softmax_loss_function))
    return outputs, losses


LEGACY_SEQ2SEQ = {
    "rnn_decoder": rnn_decoder, "basic_rnn_seq2seq": basic_rnn_seq2seq,
    "tied_rnn_seq2seq": tied_rnn_seq2seq, "embedding_rnn_decoder": embedding_rnn_decoder,
    "embedding_rnn_seq2seq": embedding_rnn_seq2seq,
    "embedding_tied_rnn_seq2seq": embedding_tied_rnn_seq2seq,
    "attention_decoder": attention_decoder,
    "embedding_attention_decoder": embedding_attention_decoder,
    "embedding_attention_seq2seq": embedding_attention_seq2seq,
    "one2many_rnn_seq2seq": one2many_rnn_seq2seq, "model_with_buckets": model_with_buckets,
    "sequence_loss_by_example": sequence_loss_by_example, "sequence_loss": sequence_loss,
}
