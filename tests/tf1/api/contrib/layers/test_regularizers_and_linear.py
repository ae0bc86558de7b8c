"""tf.contrib.layers' regularisers, fully_connected, linear and xavier initialiser as
graphrnn-tf1 rebuilds them: TF1's formulas (l2 is scale * sum(w^2) / 2), names and spread."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.layers import layers as contrib_layers

RNG = np.random.default_rng(7)


def run(*fetches):
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        return session.run(list(fetches))


def test_layers_linear_is_fully_connected_without_an_activation():
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    with tf.Graph().as_default():
        out = contrib_layers.linear(tf.constant(x), 4, scope="projection",
                                    biases_initializer=v1.constant_initializer(-10.0))
        names = [v.name for v in v1.trainable_variables()]
        w, b = v1.trainable_variables()
        value, w, b = run(out, w, b)
    assert names == ["projection/weights:0", "projection/biases:0"]
    np.testing.assert_allclose(value, x @ w + b, atol=1e-6)
    assert (value < 0).all()  # no relu: it would have made them 0


def test_contrib_l2_and_l1_regularizers_follow_tf1():
    with tf.Graph().as_default():
        weights = tf.constant([[1.0, -2.0], [3.0, 0.5]])
        l2 = contrib_layers.l2_regularizer(0.1)(weights)
        l1 = contrib_layers.l1_regularizer(0.1)(weights)
        assert l2.op.name == "l2_regularizer" and l1.op.name == "l1_regularizer"
        with v1.Session() as session:
            assert session.run(l2) == pytest.approx(0.1 * (1 + 4 + 9 + 0.25) / 2)
            assert session.run(l1) == pytest.approx(0.1 * (1 + 2 + 3 + 0.5))
    assert contrib_layers.l2_regularizer(0.0)(weights) is None  # TF1: a scale of 0 disables it
    with pytest.raises(ValueError, match="integer"):
        contrib_layers.l2_regularizer(1)
    with pytest.raises(ValueError, match="less than 0"):
        contrib_layers.l1_regularizer(-0.1)


def test_contrib_fully_connected_names_relu_and_regulariser():
    with tf.Graph().as_default():
        inputs = tf.constant([[1.0, -1.0, 2.0]])
        out = contrib_layers.fully_connected(
            inputs, 4, weights_regularizer=contrib_layers.l2_regularizer(0.5),
            biases_initializer=v1.constant_initializer(-10.0))
        names = [v.name for v in v1.trainable_variables()]
        assert names == ["fully_connected/weights:0", "fully_connected/biases:0"]
        assert len(v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)) == 1
        flat = contrib_layers.flatten(tf.zeros([2, 3, 4]))
        assert flat.shape.as_list() == [2, 12]
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            assert session.run(out).tolist() == [[0.0] * 4]  # relu of (small - 10)


def test_contrib_xavier_truncated_normal_has_tf1s_spread():
    with tf.Graph().as_default():
        values = contrib_layers.xavier_initializer(uniform=False, seed=1)([400, 600])
        with v1.Session() as session:
            drawn = session.run(values)
    # contrib: a normal of stddev sqrt(1.3 / fan_avg) cut at two stddevs, whose own
    # spread is 0.87962566 of that
    expected = np.sqrt(1.3 / 500) * 0.87962566
    assert drawn.std() == pytest.approx(expected, rel=0.01)
    assert np.abs(drawn).max() <= 2 * np.sqrt(1.3 / 500) + 1e-6
