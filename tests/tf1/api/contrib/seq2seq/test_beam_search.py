"""tf.contrib.seq2seq's beam search as graphrnn-tf1 rebuilds it: tile_batch, gather_tree
against NumPy, and BeamSearchDecoder against exhaustive search over a tiny vocabulary
(with and without the length penalty, TF 1.15's scoring rules), against greedy decoding at
width 1, and with an AttentionWrapper, a coverage penalty and a reordered alignment
history."""

import itertools

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.seq2seq import attention, beam_search, decoding
from reference_cells import basic_rnn_step
from reference_seq2seq import dense, gather_tree, length_penalty, log_softmax

RNG = np.random.default_rng(2)
SEED = 2  # the attention test's memory and weights: some beams end early, not all
V, E, H, END = 3, 2, 5, 0  # vocabulary, embedding width, units, end token
EMBEDDING = RNG.normal(size=(V + 1, E)).astype(np.float32)  # id V is the start token
START = V


def run(fetches, names=None):
    variables = {v.op.name: v for v in v1.global_variables()}
    if names is not None:
        assert sorted(variables) == sorted(names)
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        return session.run([fetches, variables])


def test_tile_batch_repeats_each_entry_in_place():
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    with tf.Graph().as_default():
        tiled = beam_search.tile_batch({"a": tf.constant(x), "b": tf.constant([1, 2, 3])}, 2)
        assert tiled["a"].shape.as_list() == [6, 2]
        (values,), _ = run([tiled])
    np.testing.assert_array_equal(values["a"], np.repeat(x, 2, axis=0))
    np.testing.assert_array_equal(values["b"], [1, 1, 2, 2, 3, 3])


def test_gather_tree_matches_the_kernels_rules():
    steps, batch, width, end = 6, 3, 4, 9
    step_ids = RNG.integers(0, 5, size=(steps, batch, width)).astype(np.int32)
    step_ids[2, 0, 1] = step_ids[3, 1, :2] = end  # beams that end early
    parent_ids = RNG.integers(0, width, size=(steps, batch, width)).astype(np.int32)
    lengths = np.array([6, 4, 0], np.int32)
    with tf.Graph().as_default():
        (got,), _ = run([beam_search.gather_tree(step_ids, parent_ids, lengths, end)])
    want = gather_tree(step_ids, parent_ids, lengths, end)
    np.testing.assert_array_equal(got, want)
    assert (got[4:, 1] == end).all() and (got[:, 2] == end).all()


def build_beam_search(width, alpha, scope="decoder", batch=2, maximum_iterations=3):
    v1.set_random_seed(7)  # fixed weights: no near-ties among the beams' scores
    cell = v1.nn.rnn_cell.BasicRNNCell(H)
    layer = v1.layers.Dense(V)
    initial = tf.constant(np.repeat(INITIAL[:batch], width, axis=0))
    decoder = beam_search.BeamSearchDecoder(
        cell, tf.constant(EMBEDDING), tf.fill([batch], START), END, initial, width,
        output_layer=layer, length_penalty_weight=alpha)
    outputs, state, _ = decoding.dynamic_decode(decoder, maximum_iterations=maximum_iterations,
                                                scope=scope)
    return cell, layer, outputs, state


INITIAL = RNG.normal(size=(2, H)).astype(np.float32)
NAMES = ["decoder/basic_rnn_cell/kernel", "decoder/basic_rnn_cell/bias",
         "decoder/dense/kernel", "decoder/dense/bias"]


def exhaustive(weights, initial, length, alpha, width):
    """Every canonical sequence of `length` tokens (end_token repeated once it appears),
    scored as TF 1.15's beam search scores it at the last step: the log-probability up to
    and including the first end_token, over the length penalty of the length it is scored
    with (tokens before end_token, plus end_token when it came before the last step).
    Returns the `width` best (score, tokens)."""
    step = basic_rnn_step({"kernel": weights[NAMES[0]], "bias": weights[NAMES[1]]})
    project = dense(weights[NAMES[2]], weights[NAMES[3]])
    results = []
    for tokens in itertools.product(range(V), repeat=length):
        first_end = tokens.index(END) if END in tokens else None
        if first_end is not None and any(t != END for t in tokens[first_end:]):
            continue  # not canonical
        state, x, log_prob = initial[None], EMBEDDING[START][None], 0.0
        for t, token in enumerate(tokens[:(length if first_end is None else first_end + 1)]):
            out, state = step(x, state)
            log_prob += log_softmax(project(out))[0, token]
            x = EMBEDDING[token][None]
        if first_end is None:
            scored_length = length
        else:
            scored_length = first_end + (1 if first_end < length - 1 else 0)
        score = log_prob / (length_penalty(scored_length, alpha) if alpha else 1.0)
        results.append((score, tokens))
    return sorted(results, reverse=True)[:width]


@pytest.mark.parametrize("alpha", [0.0, 0.8])
def test_beam_search_equals_exhaustive_search_on_a_tiny_vocabulary(alpha):
    width, length = 9, 3  # 9 beams hold every prefix of length 2 (3 ** 2)
    with tf.Graph().as_default():
        _, _, outputs, state = build_beam_search(width, alpha)
        (ids, scores, lengths), w = run(
            (outputs.predicted_ids, outputs.beam_search_decoder_output.scores, state.lengths),
            NAMES)
    assert ids.shape == (2, length, width)
    for b in range(2):
        best = exhaustive(w, INITIAL[b], length, alpha, width)
        np.testing.assert_allclose(scores[b, -1], [s for s, _ in best], rtol=1e-5)
        np.testing.assert_array_equal(ids[b].T, [tokens for _, tokens in best])
        # a stored length counts end_token: the tokens up to and including the first one
        want_lengths = [tokens.index(END) + 1 if END in tokens else length
                        for _, tokens in best]
        np.testing.assert_array_equal(lengths[b], want_lengths)


def test_width_one_is_greedy_decoding():
    with tf.Graph().as_default():
        cell, layer, outputs, _ = build_beam_search(1, 0.0, maximum_iterations=6)
        helper = decoding.GreedyEmbeddingHelper(tf.constant(EMBEDDING), tf.fill([2], START), END)
        greedy = decoding.BasicDecoder(cell, helper, tf.constant(INITIAL), output_layer=layer)
        greedy_outputs, _, greedy_lengths = decoding.dynamic_decode(
            greedy, maximum_iterations=6, scope="decoder")
        (beam_ids, greedy_ids, lengths), _ = run(
            (outputs.predicted_ids, greedy_outputs.sample_id, greedy_lengths), NAMES)
    for b in range(2):
        np.testing.assert_array_equal(beam_ids[b, :lengths[b], 0], greedy_ids[b, :lengths[b]])


def test_beam_search_over_attention_with_coverage_penalty_and_sorted_history():
    """An AttentionWrapper over tiled memory, decoded by two BeamSearchDecoders sharing
    its weights: the alignment history of the one that reorders equals the other's raw
    history gathered along gather_tree's beam ids; the last scores follow the coverage
    formula on the final state."""
    batch, width, memory_time, beta = 2, 3, 4, 0.4
    # its own generator: RNG's state depends on which tests ran before in this process
    memory = np.random.default_rng(SEED).normal(size=(batch, memory_time, H))
    memory = memory.astype(np.float32)
    # weights from a seeded initialiser (tf-keras' own initialisers draw Python seeds, so
    # the graph seed alone left them to the test order): some beams end early, not all
    seeded = v1.random_uniform_initializer(-0.6, 0.6, seed=SEED)
    with tf.Graph().as_default(), v1.variable_scope("", initializer=seeded):
        tiled = beam_search.tile_batch(tf.constant(memory), width)
        mechanism = attention.BahdanauAttention(H, tiled, beam_search.tile_batch(
            tf.constant([4, 2]), width))
        cell = attention.AttentionWrapper(v1.nn.rnn_cell.GRUCell(H), mechanism,
                                          attention_layer_size=H, alignment_history=True)
        layer = v1.layers.Dense(V)
        results = []
        for reorder in (True, False):
            decoder = beam_search.BeamSearchDecoder(
                cell, tf.constant(EMBEDDING), tf.fill([batch], START), END,
                cell.zero_state(batch * width, tf.float32), width, output_layer=layer,
                coverage_penalty_weight=beta, reorder_tensor_arrays=reorder)
            results.append(decoding.dynamic_decode(decoder, maximum_iterations=5))
        (sorted_out, sorted_state, _), (raw_out, raw_state, _) = results
        names = {v.op.name for v in v1.global_variables()}
        (history, raw_history, parents, lengths, final, scores), _ = run((
            sorted_state.cell_state.alignment_history,
            raw_state.cell_state.alignment_history.stack(),
            raw_out.beam_search_decoder_output.parent_ids, raw_state.lengths,
            raw_state._replace(cell_state=()),
            raw_out.beam_search_decoder_output.scores))
    assert "decoder/attention_wrapper/bahdanau_attention/attention_v" in names
    assert "decoder/attention_wrapper/attention_layer/kernel" in names
    steps = parents.shape[1]
    assert history.shape == raw_history.shape == (steps, batch * width, memory_time)
    beam_ids = np.tile(np.arange(width), (steps, batch, 1))
    order = gather_tree(beam_ids, parents.transpose(1, 0, 2), lengths.max(1), width + 1)
    in_bounds = np.arange(steps)[:, None, None] < lengths[None]
    order = np.where(in_bounds, order, beam_ids)
    grouped = raw_history.reshape(steps, batch, width, memory_time)
    want = np.take_along_axis(grouped, order[..., None], axis=2)
    np.testing.assert_allclose(history, want.reshape(history.shape), atol=1e-6)
    # coverage: a beam finished before the last step (its stored length, which counts
    # end_token, is shorter than the steps) scores log_prob + beta * sum over the memory
    # of log(min(its summed attention, 1)); the others score their log_prob
    acc = np.where(final.accumulated_attention_probs == 0, 1.0,
                   final.accumulated_attention_probs)
    finished_before = final.lengths < steps
    assert finished_before.any() and not finished_before.all()
    coverage = np.log(np.minimum(acc, 1.0)).sum(-1) * finished_before
    np.testing.assert_allclose(scores[:, -1], final.log_probs + beta * coverage, rtol=1e-5)


def test_beam_search_refusals_match_tf1():
    with tf.Graph().as_default():
        cell = v1.nn.rnn_cell.BasicRNNCell(H)
        with pytest.raises(ValueError, match="start_tokens must be a vector"):
            beam_search.BeamSearchDecoder(cell, EMBEDDING, START, END, tf.zeros([2, H]), 2)
        with pytest.raises(ValueError, match="Perhaps you forgot to create a zero_state"):
            beam_search.BeamSearchDecoder(cell, EMBEDDING, [START, START], END,
                                          tf.zeros([4, H + 1]), 2)
        decoder = beam_search.BeamSearchDecoder(cell, EMBEDDING, [START, START], END,
                                                tf.zeros([4, H]), 2,
                                                coverage_penalty_weight=0.5)
        with pytest.raises(ValueError, match="must be 0.0 if no cell is attentional"):
            decoding.dynamic_decode(decoder)
        with pytest.raises(ValueError, match="t must have statically known rank"):
            beam_search.tile_batch(tf.constant(1.0), 2)
