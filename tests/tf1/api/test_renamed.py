"""TF 0.12's names and argument orders (graphrnn.tf1.api.renamed), each against NumPy or
the TF 1.15 function it became; every old form used is reported through `notify`."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api import renamed
from reference_cells import crossent

RNG = np.random.default_rng(5)
A = RNG.normal(size=(2, 3)).astype(np.float32)
B = RNG.normal(size=(2, 3)).astype(np.float32)


@pytest.fixture
def noted(monkeypatch):
    """The descriptions renamed.notify received during the test."""
    seen = []
    monkeypatch.setattr(renamed, "notify", seen.append)
    return seen


def run(*fetches):
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        return session.run(list(fetches))


def test_renamed_arithmetic_and_stacking(noted):
    with tf.Graph().as_default():
        a, b = tf.constant(A), tf.constant(B)
        ops = renamed.TF
        values = run(ops["mul"](a, b), ops["sub"](a, b), ops["neg"](a), ops["pack"]([a, b], 1),
                     ops["unpack"](a)[1], ops["select"](a > 0, a, b),
                     ops["batch_matmul"](a[None], tf.transpose(b)[None]),
                     ops["concat_v2"]([a, b], 1))
    expected = [A * B, A - B, -A, np.stack([A, B], 1), A[1], np.where(A > 0, A, B),
                (A @ B.T)[None], np.concatenate([A, B], 1)]
    for value, want in zip(values, expected):
        np.testing.assert_allclose(value, want, rtol=1e-6)
    assert noted == ["tf.mul", "tf.sub", "tf.neg", "tf.pack", "tf.unpack", "tf.select",
                     "tf.batch_matmul", "tf.concat_v2"]


def test_concat_and_split_take_either_releases_order(noted):
    with tf.Graph().as_default():
        a, b = tf.constant(A), tf.constant(B)
        new = run(renamed.concat([a, b], 1), *renamed.split(a, 3, axis=1))
        assert noted == []
        old = run(renamed.concat(1, [a, b]), *renamed.split(1, 3, a),
                  *renamed.split(split_dim=0, num_split=2, value=a))
    np.testing.assert_array_equal(new[0], np.concatenate([A, B], 1))
    for got, want in zip(new[1:] + old[1:4], [A[:, i:i + 1] for i in range(3)] * 2):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(old[0], new[0])
    np.testing.assert_array_equal(old[4], A[:1])
    assert noted == ["tf.concat(axis, values)", "tf.split(split_dim, num_split, value)",
                     "tf.split(split_dim, num_split, value)"]


def test_cross_entropies_take_logits_and_labels_by_position(noted):
    labels = np.eye(3, dtype=np.float32)[[0, 2]]
    with tf.Graph().as_default():
        by_position = renamed.NN["softmax_cross_entropy_with_logits"](tf.constant(A), labels)
        by_name = renamed.NN["softmax_cross_entropy_with_logits"](logits=A, labels=labels)
        sparse = renamed.NN["sparse_softmax_cross_entropy_with_logits"](A, np.array([0, 2]))
        sigmoid = renamed.NN["sigmoid_cross_entropy_with_logits"](A, labels)
        values = run(by_position, by_name, sparse, sigmoid)
    want = crossent(A, np.array([0, 2]))
    for value in values[:3]:
        np.testing.assert_allclose(value, want, rtol=1e-5)
    p = 1 / (1 + np.exp(-A))
    np.testing.assert_allclose(values[3], -(labels * np.log(p) + (1 - labels) * np.log(1 - p)),
                               rtol=1e-5)
    assert len(noted) == 3  # the call by name is 1.x's own


def test_nn_rnn_is_static_rnn_and_summaries_are_tf_summary(tmp_path, noted):
    with tf.Graph().as_default():
        steps = [tf.constant(A) for _ in range(2)]
        outputs, state = renamed.NN["rnn"](v1.nn.rnn_cell.BasicLSTMCell(4), steps,
                                           dtype=tf.float32)
        assert len(outputs) == 2 and outputs[0].shape.as_list() == [2, 4]
        names = sorted(v.op.name for v in v1.global_variables())
        assert names == ["rnn/basic_lstm_cell/bias", "rnn/basic_lstm_cell/kernel"]
        loss = renamed.TF["scalar_summary"]("loss", tf.reduce_mean(outputs[-1]))
        renamed.TF["histogram_summary"]("h", state.h)
        merged = renamed.TF["merge_all_summaries"]()
        writer = renamed.TRAIN["SummaryWriter"](str(tmp_path))
        summary = tf.compat.v1.Summary.FromString(run(merged)[0])
        writer.add_summary(summary.SerializeToString(), 0)
        writer.close()
    assert loss.op.type == "ScalarSummary"
    assert [value.tag for value in summary.value] == ["loss", "h"]
    assert list(tmp_path.glob("events.out.tfevents.*"))
    assert noted[:1] == ["tf.nn.rnn"] and "tf.train.SummaryWriter" in noted
