"""tf.contrib.seq2seq.sequence_loss as graphrnn-tf1 rebuilds it, checked against NumPy for
every reduction, and the whole seq2seq namespace under its public and module paths."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib import seq2seq
from graphrnn.tf1.api.contrib.seq2seq.loss import sequence_loss
from reference_cells import crossent

RNG = np.random.default_rng(7)
B, T, C = 3, 4, 5
LOGITS = RNG.normal(size=(B, T, C)).astype(np.float32)
TARGETS = RNG.integers(0, C, size=(B, T)).astype(np.int32)
WEIGHTS = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [0.5, 2, 1, 1]], np.float32)


def run(*fetches):
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        return session.run(list(fetches))


LOSS = crossent(LOGITS, TARGETS) * WEIGHTS  # (B, T)
NONZERO = (WEIGHTS != 0).astype(np.float32)


@pytest.mark.parametrize("flags, expected", [
    ({}, LOSS.sum() / WEIGHTS.sum()),
    ({"average_across_batch": False}, LOSS.sum(1) / WEIGHTS.sum(1)),
    ({"average_across_timesteps": False}, LOSS.sum(0) / WEIGHTS.sum(0)),
    ({"average_across_timesteps": False, "average_across_batch": False}, LOSS),
    ({"average_across_timesteps": False, "average_across_batch": False,
      "sum_over_timesteps": True, "sum_over_batch": True}, LOSS.sum() / NONZERO.sum()),
    ({"average_across_timesteps": False, "average_across_batch": False,
      "sum_over_timesteps": True}, LOSS.sum(1) / NONZERO.sum(1)),
    ({"average_across_timesteps": False, "average_across_batch": False,
      "sum_over_batch": True}, LOSS.sum(0) / NONZERO.sum(0)),
    # TF 1.15: one averaged axis wins over a summed other axis
    ({"average_across_batch": False, "sum_over_batch": True}, LOSS.sum(1) / WEIGHTS.sum(1)),
])
def test_sequence_loss_matches_numpy_for_every_reduction(flags, expected):
    with tf.Graph().as_default():
        loss = sequence_loss(tf.constant(LOGITS), tf.constant(TARGETS),
                             tf.constant(WEIGHTS), **flags)
        assert loss.op.name.startswith("sequence_loss")
        (value,) = run(loss)
    assert value.shape == np.shape(expected)
    np.testing.assert_allclose(value, expected, rtol=1e-5)


def test_sequence_loss_takes_a_softmax_loss_function_and_checks_its_arguments():
    seen = {}

    def squared(labels, logits):  # named arguments, as TF1 required
        seen["shapes"] = (labels.shape.as_list(), logits.shape.as_list())
        return tf.reduce_sum(tf.square(logits), axis=1) + tf.cast(labels, tf.float32)

    with tf.Graph().as_default():
        loss = sequence_loss(tf.constant(LOGITS), tf.constant(TARGETS),
                             tf.constant(WEIGHTS), softmax_loss_function=squared)
        (value,) = run(loss)
        with pytest.raises(ValueError, match="Logits must be a"):
            sequence_loss(tf.constant(LOGITS[0]), tf.constant(TARGETS),
                          tf.constant(WEIGHTS))
        with pytest.raises(ValueError, match="cannot be set to True at same time"):
            sequence_loss(tf.constant(LOGITS), tf.constant(TARGETS),
                          tf.constant(WEIGHTS), sum_over_batch=True)
    assert seen["shapes"] == ([B * T], [B * T, C])  # flattened: one row per step
    per_step = (LOGITS ** 2).sum(-1) + TARGETS
    assert value == pytest.approx((per_step * WEIGHTS).sum() / WEIGHTS.sum(), rel=1e-5)


# TF 1.15's API page for tf.contrib.seq2seq (tensorflow.org/versions/r1.15): its classes
# and functions, as reference facts
TF115_SEQ2SEQ = [
    "AttentionMechanism", "AttentionWrapper", "AttentionWrapperState", "BahdanauAttention",
    "BahdanauMonotonicAttention", "BasicDecoder", "BasicDecoderOutput", "BeamSearchDecoder",
    "BeamSearchDecoderOutput", "BeamSearchDecoderState", "CustomHelper", "Decoder",
    "FinalBeamSearchDecoderOutput", "GreedyEmbeddingHelper", "Helper", "InferenceHelper",
    "LuongAttention", "LuongMonotonicAttention", "SampleEmbeddingHelper",
    "ScheduledEmbeddingTrainingHelper", "ScheduledOutputTrainingHelper", "TrainingHelper",
    "dynamic_decode", "gather_tree", "hardmax", "monotonic_attention", "safe_cumprod",
    "sequence_loss", "tile_batch"]


def test_the_whole_seq2seq_api_is_there_under_its_public_and_module_paths():
    from graphrnn.tf1.runner import migration, view

    assert sorted(seq2seq.SEQ2SEQ) == sorted(TF115_SEQ2SEQ)
    root = view.tf1_namespace()
    for module, names in seq2seq.SEQ2SEQ_MODULES.items():
        for name in names:
            deep = view.resolve(root, f"tf.contrib.seq2seq.python.ops.{module}.{name}")
            assert deep is view.resolve(root, f"tf.contrib.seq2seq.{name}")
    with pytest.raises(view.RemovedSymbol):
        view.resolve(root, "tf.contrib.seq2seq.python.ops.helper.NoSuchHelper")
    row = migration.lookup("tf.contrib.seq2seq.python.ops.beam_search_decoder.BeamSearchDecoder")
    assert row.tf1 == "tf.contrib.seq2seq.BeamSearchDecoder"
