"""tf.contrib.crf as graphrnn-tf1 rebuilds it, against brute force over every tag
sequence of a small batch: the sequence scores, the partition function, the
log-likelihood with its `transitions` variable, and both Viterbi decoders."""

import itertools

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib import crf

RNG = np.random.default_rng(4)
B, T, O = 4, 4, 3  # noqa: E741 (O tags, as the CRF papers write it)
INPUTS = RNG.normal(size=(B, T, O)).astype(np.float32)
TRANSITIONS = RNG.normal(size=(O, O)).astype(np.float32)
LENGTHS = np.array([4, 2, 1, 3], np.int32)
TAGS = RNG.integers(0, O, size=(B, T)).astype(np.int32)


def score(unary, transitions, tags):
    """One sentence's unnormalised score: sum of unary[t, tag_t] + transitions."""
    return (sum(unary[t, tag] for t, tag in enumerate(tags))
            + sum(transitions[a, b] for a, b in zip(tags, tags[1:])))


def brute_force(unary, transitions, length):
    """(log Z, the best tags, their score) over every sequence of `length` tags."""
    scores = {tags: score(unary, transitions, tags)
              for tags in itertools.product(range(O), repeat=length)}
    best = max(scores, key=scores.get)
    return np.logaddexp.reduce(list(scores.values())), list(best), scores[best]


def run(*fetches):
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        return session.run(list(fetches))


def test_log_likelihood_and_decoding_match_brute_force():
    with tf.Graph().as_default():
        inputs, lengths = tf.constant(INPUTS), tf.constant(LENGTHS)
        with v1.variable_scope("crf_layer"):
            log_likelihood, transitions = crf.crf_log_likelihood(inputs, tf.constant(TAGS),
                                                                 lengths)
        assert transitions.op.name == "crf_layer/transitions"
        assert transitions.shape.as_list() == [O, O]
        tags, best = crf.crf_decode(inputs, transitions, lengths)
        ll, trans, got_tags, got_best, log_norm = run(
            log_likelihood, transitions, tags, best,
            crf.crf_log_norm(inputs, lengths, transitions))
    assert got_tags.dtype == np.int32 and got_tags.shape == (B, T)
    for b in range(B):
        length = LENGTHS[b]
        unary = INPUTS[b, :length]
        want_norm, want_tags, want_best = brute_force(unary, trans, length)
        assert log_norm[b] == pytest.approx(want_norm, abs=1e-4)
        assert ll[b] == pytest.approx(score(unary, trans, TAGS[b, :length]) - want_norm,
                                      abs=1e-4)
        assert list(got_tags[b, :length]) == want_tags
        assert got_best[b] == pytest.approx(want_best, abs=1e-4)
        numpy_tags, numpy_best = crf.viterbi_decode(unary, trans)
        assert list(numpy_tags) == want_tags
        assert numpy_best == pytest.approx(want_best, abs=1e-4)


def test_scores_and_the_single_step_and_empty_cases():
    lengths = np.array([1, 0, 1, 1], np.int32)
    with tf.Graph().as_default():
        transitions = tf.constant(TRANSITIONS)
        unary = crf.crf_unary_score(tf.constant(TAGS), tf.constant(LENGTHS),
                                    tf.constant(INPUTS))
        binary = crf.crf_binary_score(tf.constant(TAGS), tf.constant(LENGTHS), transitions)
        one_step = tf.constant(INPUTS[:, :1])
        single = [crf.crf_sequence_score(one_step, tf.constant(TAGS[:, :1]),
                                         tf.constant(lengths), transitions),
                  crf.crf_log_norm(one_step, tf.constant(lengths), transitions),
                  *crf.crf_decode(one_step, transitions, tf.constant(lengths))]
        bitmap = np.eye(O, dtype=bool)[TAGS]  # one tag allowed per step: one sequence
        multitag = crf.crf_multitag_sequence_score(tf.constant(INPUTS), tf.constant(bitmap),
                                                   tf.constant(LENGTHS), transitions)
        sequence = crf.crf_sequence_score(tf.constant(INPUTS), tf.constant(TAGS),
                                          tf.constant(LENGTHS), transitions)
        got_unary, got_binary, got_single, got_multitag, got_sequence = run(
            unary, binary, single, multitag, sequence)
    for b in range(B):
        length = LENGTHS[b]
        assert got_unary[b] == pytest.approx(INPUTS[b, np.arange(length), TAGS[b, :length]]
                                             .sum(), abs=1e-5)
        assert got_binary[b] == pytest.approx(sum(
            TRANSITIONS[a, c] for a, c in zip(TAGS[b, :length], TAGS[b, 1:length])), abs=1e-5)
    np.testing.assert_allclose(got_multitag, got_sequence, atol=1e-4)
    sequence_score, log_norm, tags, best = got_single
    want_score = INPUTS[np.arange(B), 0, TAGS[:, 0]] * (lengths > 0)
    np.testing.assert_allclose(sequence_score, want_score, atol=1e-6)
    want_norm = np.logaddexp.reduce(INPUTS[:, 0], axis=1) * (lengths > 0)
    np.testing.assert_allclose(log_norm, want_norm, atol=1e-5)
    np.testing.assert_array_equal(tags[:, 0], INPUTS[:, 0].argmax(1))
    np.testing.assert_allclose(best, INPUTS[:, 0].max(1), atol=1e-6)


def test_a_tagger_trains_on_the_crf_loss():
    """Gradient descent on -log_likelihood, through `transitions` and the unary scores:
    the loss falls and the decoded tags reach the gold ones."""
    with tf.Graph().as_default():
        v1.set_random_seed(0)
        unary = v1.get_variable("unary", [B, T, O])
        log_likelihood, transitions = crf.crf_log_likelihood(unary, tf.constant(TAGS),
                                                             tf.constant(LENGTHS))
        loss = tf.reduce_mean(-log_likelihood)
        train = v1.train.GradientDescentOptimizer(0.5).minimize(loss)
        tags, _ = crf.crf_decode(unary, transitions, tf.constant(LENGTHS))
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            first = session.run(loss)
            for _ in range(60):
                session.run(train)
            last, got = session.run([loss, tags])
    assert last < 0.1 * first
    for b in range(B):
        np.testing.assert_array_equal(got[b, :LENGTHS[b]], TAGS[b, :LENGTHS[b]])


def test_the_crf_is_there_under_its_tf1_paths():
    from graphrnn.tf1.runner import view

    root = view.tf1_namespace()
    assert root.contrib.crf.crf_decode is crf.crf_decode
    assert root.contrib.crf.python.ops.crf.viterbi_decode is crf.viterbi_decode
