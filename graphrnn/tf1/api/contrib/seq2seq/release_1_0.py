"""tf.contrib.seq2seq as TF 1.0 and 1.1 had it, before 1.2 replaced it with decoders and
helpers: a decoder function drives raw_rnn (TF 1.0's seq2seq.py, decoder_fn.py and
attention_decoder_fn.py, rebuilt from their published behaviour), and TF 1.1's
DynamicAttentionWrapper, which 1.2 renamed AttentionWrapper.

    dynamic_rnn_decoder(cell, decoder_fn, inputs=None, sequence_length=None, ...)
        -> (outputs, final state, final context state)
    simple_decoder_fn_train / _inference        the encoder's state in, teacher forcing or
                                                greedy argmax through the embeddings
    prepare_attention(states, "bahdanau" | "luong", num_units)
        -> (keys, values, score_fn, construct_fn): attention_keys/weights,
           attention_score/attnW and attnV (bahdanau), attention_construct/weights
    attention_decoder_fn_train / _inference     the same, each step's input joined with
                                                the attention vector

    DynamicAttentionWrapper(cell, mechanism, attention_size)   TF 1.1's AttentionWrapper:
        attention_layer_size=attention_size, its state DynamicAttentionWrapperState
        (cell_state, attention), its scope dynamic_attention_wrapper

A decoder function is called as decoder_fn(time, cell_state, cell_input, cell_output,
context_state) and returns (done, next state, next input, emit output, next context).
"""

import collections

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.layers.layers import linear
from graphrnn.tf1.api.contrib.seq2seq import attention


def dynamic_rnn_decoder(cell, decoder_fn, inputs=None, sequence_length=None,
                        parallel_iterations=None, swap_memory=False, time_major=False,
                        scope=None, name=None, sequence_lengths=None):
    """The cell over time under decoder_fn, by raw_rnn (variables in `scope`, else "rnn").
    inputs [batch, time, depth] (time-major with time_major) for training, None for
    inference. Returns (outputs [batch, time, output] or time-major, final state, final
    context state or None). `sequence_lengths` is an earlier 1.0 name of sequence_length."""
    sequence_length = sequence_length if sequence_lengths is None else sequence_lengths
    with v1.name_scope(name, "dynamic_rnn_decoder"):
        if inputs is not None:
            inputs = tf.convert_to_tensor(inputs)
            if inputs.shape.rank is not None and inputs.shape.rank < 3:
                raise ValueError("Inputs must have at least three dimensions")
            if tf.compat.dimension_value(inputs.shape[-1]) is None:
                raise ValueError("Inputs must not be `None` in the feature (3'rd) dimension")
            if not time_major:
                inputs = tf.transpose(inputs, [1, 0, 2])  # (T, B, D)
            depth = int(inputs.shape[2])
            static_batch = tf.compat.dimension_value(inputs.shape[1])
            max_time = tf.compat.dimension_value(inputs.shape[0]) or tf.shape(inputs)[0]
            inputs_ta = v1.TensorArray(inputs.dtype, size=max_time).unstack(inputs)

        def loop_fn(time, cell_output, cell_state, loop_state):
            done, context = None, None
            if cell_state is not None:  # inside the loop: what the last step left
                done, context = loop_state if isinstance(loop_state, tuple) else (
                    loop_state, None)
            if inputs is None:  # inference: decoder_fn makes the next input
                cell_input = None
            elif cell_state is None:
                cell_input = inputs_ta.read(0)
            else:  # zeros past the last step, which raw_rnn never feeds
                batch = static_batch or tf.shape(done)[0]
                cell_input = tf.cond(tf.equal(time, max_time),
                                     lambda: tf.zeros([batch, depth], inputs.dtype),
                                     lambda: inputs_ta.read(time))
            next_done, next_state, next_input, emit, next_context = decoder_fn(
                time, cell_state, cell_input, cell_output, context)
            if next_done is None:  # training: the lengths decide
                next_done = time >= sequence_length
            next_loop = next_done if next_context is None else (next_done, next_context)
            return next_done, next_input, next_state, emit, next_loop

        outputs_ta, final_state, final_loop = v1.nn.raw_rnn(
            cell, loop_fn, parallel_iterations=parallel_iterations, swap_memory=swap_memory,
            scope=scope)
        outputs = outputs_ta.stack()  # (T, B, ...)
        final_context = final_loop[1] if isinstance(final_loop, tuple) else None
        if not time_major:
            outputs = tf.transpose(outputs, [1, 0, 2])
        return outputs, final_state, final_context


def simple_decoder_fn_train(encoder_state, name=None):
    """Teacher forcing: the first step starts from encoder_state; inputs pass as given."""
    def decoder_fn(time, cell_state, cell_input, cell_output, context_state):
        with v1.name_scope(name, "simple_decoder_fn_train"):
            state = encoder_state if cell_state is None else cell_state
            return None, state, cell_input, cell_output, context_state
    return decoder_fn


def _inference_setup(scope, output_fn, encoder_state, start_of_sequence_id,
                     end_of_sequence_id, maximum_length, num_decoder_symbols, dtype):
    """(output_fn, batch size, start id, end id, maximum length, number of symbols), made
    under the name scope (name, default) `scope`."""
    with v1.name_scope(*scope):
        first = tf.nest.flatten(encoder_state)[0]
        batch = tf.compat.dimension_value(first.shape[0]) or tf.shape(first)[0]
        return (output_fn or (lambda x: x), batch,
                *(tf.convert_to_tensor(value, dtype) for value in (
                    start_of_sequence_id, end_of_sequence_id, maximum_length,
                    num_decoder_symbols)))


def _expect_no_input(cell_input):
    """An inference decoder makes its own inputs: dynamic_rnn_decoder gives it none."""
    if cell_input is not None:
        raise ValueError(f"Expected cell_input to be None, but saw: {cell_input}")


def _greedy_step(time, cell_output, logits_fn, batch, start, end, symbols, embeddings,
                 maximum_length, dtype):
    """(done, next input's embedding, emit) of a greedy step: at time 0 the start id and
    zeros [symbols] as the emit template; after, the argmax of the logits; all done past
    maximum_length."""
    if cell_output is None:
        ids = tf.ones([batch], dtype) * start
        done = tf.zeros([batch], tf.bool)
        emit = tf.zeros(tf.reshape(symbols, [1]), tf.float32)
    else:
        emit = logits_fn(cell_output)
        ids = tf.cast(tf.argmax(emit, 1), dtype)
        done = tf.equal(ids, end)
    done = tf.cond(tf.greater(time, maximum_length),
                   lambda: tf.ones([batch], tf.bool), lambda: done)
    return done, tf.gather(embeddings, ids), emit


def simple_decoder_fn_inference(output_fn, encoder_state, embeddings, start_of_sequence_id,
                                end_of_sequence_id, maximum_length, num_decoder_symbols,
                                dtype=tf.int32, name=None):
    """Greedy decoding: each step's input is the embedding of the last step's argmax."""
    scope = (name, "simple_decoder_fn_inference")
    output_fn, batch, start, end, length, symbols = _inference_setup(
        scope, output_fn, encoder_state, start_of_sequence_id, end_of_sequence_id,
        maximum_length, num_decoder_symbols, dtype)

    def decoder_fn(time, cell_state, cell_input, cell_output, context_state):
        _expect_no_input(cell_input)
        with v1.name_scope(*scope):
            done, next_input, emit = _greedy_step(time, cell_output, output_fn, batch, start,
                                                  end, symbols, embeddings, length, dtype)
            state = encoder_state if cell_output is None else cell_state
            return done, state, next_input, emit, context_state
    return decoder_fn


def prepare_attention(attention_states, attention_option, num_units, reuse=False):
    """(keys, values, score_fn, construct_fn) over attention_states [batch, length, units]:
    keys = linear(states) without bias (attention_keys/weights); Bahdanau scores
    v . tanh(keys + query @ W) (attention_score/attnW, attnV) or Luong's keys . query;
    construct_fn(query) = linear([query, softmax-weighted values]) without bias
    (attention_construct/weights)."""
    with v1.variable_scope("attention_keys", reuse=reuse) as scope:
        keys = linear(attention_states, num_units, biases_initializer=None, scope=scope)
    with v1.variable_scope("attention_score", reuse=reuse):
        if attention_option == "bahdanau":
            query_w = v1.get_variable("attnW", [num_units, num_units])
            score_v = v1.get_variable("attnV", [num_units])

    def score_fn(query, keys, values):
        """The context vector [batch, units] for query [batch, units]."""
        if attention_option == "bahdanau":
            query = tf.reshape(query @ query_w, [-1, 1, num_units])
            scores = tf.reduce_sum(score_v * tf.tanh(keys + query), [2])
        elif attention_option == "luong":
            scores = tf.reduce_sum(keys * tf.reshape(query, [-1, 1, num_units]), [2])
        else:
            raise ValueError(f"Unknown attention option {attention_option}!")
        alignments = tf.nn.softmax(scores)[:, :, None]  # (B, L, 1)
        context = tf.reduce_sum(alignments * values, [1])
        context.set_shape([None, num_units])
        return context

    with v1.variable_scope("attention_construct", reuse=reuse) as construct_scope:
        def construct_fn(query, keys, values):
            joined = tf.concat([query, score_fn(query, keys, values)], 1)
            # TF 1.0 entered a kept scope with the reuse of the scope it was called in (the
            # inference decoder, built after scope.reuse_variables()); 1.2 on did not
            inherited = v1.get_variable_scope().reuse or None
            with v1.variable_scope(construct_scope, reuse=inherited) as scope:
                return linear(joined, num_units, biases_initializer=None, scope=scope)

    return keys, attention_states, score_fn, construct_fn


def _zero_attention(encoder_state):
    """Zeros shaped like the top layer's h (or state), the first attention vector."""
    top = encoder_state[-1] if isinstance(encoder_state, tuple) and not isinstance(
        encoder_state, v1.nn.rnn_cell.LSTMStateTuple) else encoder_state
    return tf.zeros_like(top.h if isinstance(top, v1.nn.rnn_cell.LSTMStateTuple) else top)


def attention_decoder_fn_train(encoder_state, attention_keys, attention_values,
                               attention_score_fn, attention_construct_fn, name=None):
    """Teacher forcing with attention: each step's input is [given input, attention], and
    the attention vector is what the step emits."""
    def decoder_fn(time, cell_state, cell_input, cell_output, context_state):
        with v1.name_scope(name, "attention_decoder_fn_train"):
            if cell_state is None:
                cell_state, attention = encoder_state, _zero_attention(encoder_state)
            else:
                attention = attention_construct_fn(cell_output, attention_keys,
                                                   attention_values)
                cell_output = attention
            return (None, cell_state, tf.concat([cell_input, attention], 1), cell_output,
                    context_state)
    return decoder_fn


def attention_decoder_fn_inference(output_fn, encoder_state, attention_keys, attention_values,
                                   attention_score_fn, attention_construct_fn, embeddings,
                                   start_of_sequence_id, end_of_sequence_id, maximum_length,
                                   num_decoder_symbols, dtype=tf.int32, name=None):
    """Greedy decoding with attention: the logits are output_fn(attention)."""
    scope = (name, "attention_decoder_fn_inference")
    output_fn, batch, start, end, length, symbols = _inference_setup(
        scope, output_fn, encoder_state, start_of_sequence_id, end_of_sequence_id,
        maximum_length, num_decoder_symbols, dtype)

    def decoder_fn(time, cell_state, cell_input, cell_output, context_state):
        _expect_no_input(cell_input)
        with v1.name_scope(*scope):
            if cell_output is None:
                cell_state, attention = encoder_state, _zero_attention(encoder_state)
            else:
                attention = attention_construct_fn(cell_output, attention_keys,
                                                   attention_values)
            done, embedded, emit = _greedy_step(
                time, None if cell_output is None else attention, output_fn, batch, start,
                end, symbols, embeddings, length, dtype)
            return (done, cell_state, tf.concat([embedded, attention], 1), emit,
                    context_state)
    return decoder_fn


class DynamicAttentionWrapperState(collections.namedtuple(
        "DynamicAttentionWrapperState", ("cell_state", "attention"))):
    """TF 1.1's attention state: the wrapped cell's state and the last attention."""


class DynamicAttentionWrapper(attention.AttentionWrapper):
    """TF 1.1's tf.contrib.seq2seq.DynamicAttentionWrapper: an AttentionWrapper with an
    attention layer of attention_size (no bias) and the two-field state of 1.1 (its
    mechanisms, Bahdanau's and Luong's, read no previous alignments). probability_fn,
    given here in 1.1, turns the scores into alignments."""

    def __init__(self, cell, attention_mechanism, attention_size, cell_input_fn=None,
                 probability_fn=None, output_attention=True, name=None):
        if probability_fn is not None:
            attention_mechanism._probability_fn = (
                lambda score, previous: probability_fn(score))
        super().__init__(cell, attention_mechanism, attention_layer_size=attention_size,
                         cell_input_fn=cell_input_fn, output_attention=output_attention,
                         name=name)

    @property
    def state_size(self):
        return DynamicAttentionWrapperState(self._cell.state_size, self._attention_layer_size)

    def zero_state(self, batch_size, dtype):
        full = super().zero_state(batch_size, dtype)
        return DynamicAttentionWrapperState(full.cell_state, full.attention)

    def call(self, inputs, state):
        mechanism = self._attention_mechanisms[0]
        batch, dtype = tf.shape(state.attention)[0], state.attention.dtype
        full = attention.AttentionWrapperState(
            cell_state=state.cell_state, attention=state.attention,
            time=tf.zeros([], tf.int32), alignment_history=(),
            alignments=mechanism.initial_alignments(batch, dtype),
            attention_state=mechanism.initial_state(batch, dtype))
        output, next_full = super().call(inputs, full)
        return output, DynamicAttentionWrapperState(next_full.cell_state, next_full.attention)


# TF 1.0's modules of tf.contrib.seq2seq.python.ops, and the names each gave
MODULES_1_0 = {
    "seq2seq": {"dynamic_rnn_decoder": dynamic_rnn_decoder},
    "decoder_fn": {"simple_decoder_fn_train": simple_decoder_fn_train,
                   "simple_decoder_fn_inference": simple_decoder_fn_inference},
    "attention_decoder_fn": {
        "prepare_attention": prepare_attention,
        "attention_decoder_fn_train": attention_decoder_fn_train,
        "attention_decoder_fn_inference": attention_decoder_fn_inference},
}
MODULES_1_0["dynamic_attention_wrapper"] = {  # TF 1.1's
    "DynamicAttentionWrapper": DynamicAttentionWrapper,
    "DynamicAttentionWrapperState": DynamicAttentionWrapperState}
SEQ2SEQ_1_0 = {name: value for module in MODULES_1_0.values() for name, value in module.items()}
