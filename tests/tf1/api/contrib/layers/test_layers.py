"""tf.contrib.layers (and slim) as graphrnn-tf1 rebuilds them: arg_scope, and each layer
against NumPy on the values its variables hold, read by their TF 1.15 names."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.framework.arg_scope import add_arg_scope, arg_scope
from graphrnn.tf1.api.contrib.layers import layers
from graphrnn.tf1.refusal import Refusal
from graphrnn.tf1.runner import view

RNG = np.random.default_rng(6)


def run(fetches, assign=None):
    variables = {v.op.name: v for v in v1.global_variables()}
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        for name, value in (assign or {}).items():
            variables[name].load(value, session)
        return session.run([fetches, variables])


def test_arg_scope_sets_defaults_nests_and_loses_to_explicit_arguments():
    @add_arg_scope
    def layer(x, size=1, activation="none"):
        return (x, size, activation)

    def plain(x, size=1):
        return x

    with arg_scope([layer], size=4, activation="relu") as outer:
        assert layer(0) == (0, 4, "relu")
        assert layer(0, activation="tanh") == (0, 4, "tanh")
        with arg_scope([layer], size=8):
            assert layer(0) == (0, 8, "relu")
        assert layer(0) == (0, 4, "relu")
    assert layer(0) == (0, 1, "none")
    with arg_scope(outer):
        assert layer(0) == (0, 4, "relu")
    with pytest.raises(ValueError, match="is not decorated with @add_arg_scope"):
        with arg_scope([plain], size=2):
            pass
    with pytest.raises(ValueError, match="kwargs must be empty"):
        with arg_scope(outer, size=2):
            pass


def test_fully_connected_and_conv2d_under_an_arg_scope_with_tf1_names():
    x = RNG.normal(size=(2, 5, 5, 3)).astype(np.float32)
    with tf.Graph().as_default():
        with arg_scope([layers.fully_connected, layers.conv2d], activation_fn=tf.nn.elu):
            conv = layers.conv2d(tf.constant(x), 4, [3, 3], stride=2)
            pooled = layers.max_pool2d(conv, [2, 2], stride=1)
            averaged = layers.avg_pool2d(conv, 2, stride=1)
            dense = layers.fully_connected(layers.flatten(pooled), 2, activation_fn=None)
        (c, p, a, d), w = run((conv, pooled, averaged, dense))
    assert sorted(w) == ["Conv/biases", "Conv/weights", "fully_connected/biases",
                         "fully_connected/weights"]
    assert w["Conv/weights"].shape == (3, 3, 3, 4)
    padded = np.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)])  # SAME, stride 2: 3 x 3 out
    want = np.zeros((2, 3, 3, 4))
    for i in range(3):
        for j in range(3):
            patch = padded[:, 2 * i:2 * i + 3, 2 * j:2 * j + 3, :]
            want[:, i, j] = np.einsum("bhwc,hwco->bo", patch, w["Conv/weights"])
    want = want + w["Conv/biases"]
    want = np.where(want > 0, want, np.expm1(want))  # elu from the arg_scope
    np.testing.assert_allclose(c, want, atol=1e-5)
    windows = np.stack([c[:, i:i + 2, j:j + 2] for i in range(2) for j in range(2)], 1)
    np.testing.assert_allclose(p.reshape(2, 4, 4), windows.max((2, 3)), atol=1e-6)
    np.testing.assert_allclose(a.reshape(2, 4, 4), windows.mean((2, 3)), atol=1e-6)
    np.testing.assert_allclose(d, p.reshape(2, -1) @ w["fully_connected/weights"]
                               + w["fully_connected/biases"], atol=1e-5)  # no elu: explicit


def test_embed_sequence_and_layer_norm():
    ids = np.array([[1, 2, 1], [0, 3, 3]], np.int32)
    x = RNG.normal(size=(2, 3, 4)).astype(np.float32)
    gamma, beta = RNG.normal(size=4).astype(np.float32), RNG.normal(size=4).astype(np.float32)
    with tf.Graph().as_default():
        embedded = layers.embed_sequence(tf.constant(ids), vocab_size=5, embed_dim=2)
        unique = layers.embed_sequence(tf.constant(ids), 5, 2, unique=True,
                                       scope="EmbedSequence", reuse=True)
        normed = layers.layer_norm(tf.constant(x), begin_norm_axis=-1)
        (e, u, n), w = run((embedded, unique, normed),
                           {"LayerNorm/gamma": gamma, "LayerNorm/beta": beta})
        with pytest.raises(ValueError, match="Must specify vocab size"):
            layers.embed_sequence(tf.constant(ids))
    assert sorted(w) == ["EmbedSequence/embeddings", "LayerNorm/beta", "LayerNorm/gamma"]
    np.testing.assert_array_equal(e, w["EmbedSequence/embeddings"][ids])
    np.testing.assert_array_equal(u, e)
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(n, (x - mean) / np.sqrt(var + 1e-12) * gamma + beta, atol=1e-5)


@pytest.mark.parametrize("rank", [2, 3])
def test_batch_norm_normalises_by_the_batch_and_moves_its_averages(rank):
    """Training: the batch's mean and (biased) variance; the moving averages take decay
    of the old value and (1 - decay) of the batch's, the variance Bessel-corrected by
    the fused kernel (rank 2), not by tf.layers (rank 3); inference: the moving ones."""
    shape = (6, 4) if rank == 2 else (3, 2, 4)
    x = (RNG.normal(size=shape) * 3 + 1).astype(np.float32)
    with tf.Graph().as_default():
        training = v1.placeholder_with_default(True, [])
        out = layers.batch_norm(tf.constant(x), decay=0.9, scale=True, is_training=training)
        updates = v1.get_collection(v1.GraphKeys.UPDATE_OPS)
        variables = {v.op.name: v for v in v1.global_variables()}
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            trained, _ = session.run([out, updates])
            inferred = session.run(out, {training: False})
            mm, mv = session.run([variables["BatchNorm/moving_mean"],
                                  variables["BatchNorm/moving_variance"]])
    names = sorted(variables)
    assert names == ["BatchNorm/beta", "BatchNorm/gamma", "BatchNorm/moving_mean",
                     "BatchNorm/moving_variance"]
    flat = x.reshape(-1, 4)
    mean, var = flat.mean(0), flat.var(0)
    np.testing.assert_allclose(trained, (x - mean) / np.sqrt(var + 1e-3), atol=1e-4)
    batch_var = flat.var(0, ddof=1) if rank == 2 else var
    np.testing.assert_allclose(mm, 0.1 * mean, atol=1e-5)
    np.testing.assert_allclose(mv, 0.9 + 0.1 * batch_var, atol=1e-4)
    np.testing.assert_allclose(inferred, (x - mm) / np.sqrt(mv + 1e-3), atol=1e-4)


def test_batch_norm_in_place_updates_and_refusals():
    x = RNG.normal(size=(5, 3)).astype(np.float32)
    with tf.Graph().as_default():
        out = layers.batch_norm(tf.constant(x), decay=0.5, updates_collections=None)
        assert v1.get_collection(v1.GraphKeys.UPDATE_OPS) == []
        moving_mean = v1.global_variables()[1]
        assert moving_mean.op.name == "BatchNorm/moving_mean"
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            session.run(out)  # the update runs with the output
            moved = session.run(moving_mean)
        with pytest.raises(Refusal, match="zero_debias_moving_mean"):
            layers.batch_norm(tf.constant(x), zero_debias_moving_mean=True)
    np.testing.assert_allclose(moved, 0.5 * x.mean(0), atol=1e-5)


def test_dropout_and_variance_scaling():
    with tf.Graph().as_default():
        ones = tf.ones([1000])
        kept = layers.dropout(ones, keep_prob=0.8, seed=1)
        off = layers.dropout(ones, keep_prob=0.8, is_training=False)
        uniform = layers.variance_scaling_initializer(2.0, "FAN_IN", uniform=True)([200, 50])
        normal = layers.variance_scaling_initializer(2.0, "FAN_AVG")([400, 600])
        (k, o, u, n), _ = run((kept, off, uniform, normal))
    assert set(np.round(k, 4)) == {0.0, 1.25} and 0.7 < (k > 0).mean() < 0.9
    np.testing.assert_array_equal(o, np.ones(1000))
    limit = np.sqrt(3 * 2.0 / 200)
    assert np.abs(u).max() <= limit and np.abs(u).max() > 0.95 * limit
    assert n.std() == pytest.approx(np.sqrt(1.3 * 2.0 / 500) * 0.8796, rel=0.05)  # truncated
    with pytest.raises(TypeError, match="Unknown mode"):
        layers.variance_scaling_initializer(mode="fan_in")


def test_optimize_loss_clips_updates_and_returns_the_loss():
    x = RNG.normal(size=(8, 3)).astype(np.float32)
    y = RNG.normal(size=(8, 1)).astype(np.float32)
    start = RNG.normal(size=(3, 1)).astype(np.float32)
    with tf.Graph().as_default():
        step = v1.train.get_or_create_global_step()
        w = v1.get_variable("w", initializer=start)
        loss = tf.reduce_mean(tf.square(tf.constant(x) @ w - y))
        train = layers.optimize_loss(loss, step, 0.1, "SGD", clip_gradients=0.5)
        assert "OptimizeLoss/learning_rate" in [v.op.name for v in v1.global_variables()]
        summaries = sorted(s.op.name for s in v1.get_collection(v1.GraphKeys.SUMMARIES))
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            value = session.run(train)
            after, steps = session.run([w, step])
    # TF1 writes the learning rate only when a learning_rate_decay_fn changes it
    assert summaries == ["OptimizeLoss/global_norm/clipped_gradient_norm",
                         "OptimizeLoss/global_norm/gradient_norm", "OptimizeLoss/loss"]
    residual = x @ start - y
    gradient = 2 * x.T @ residual / len(x)
    clipped = gradient * min(1.0, 0.5 / np.linalg.norm(gradient))
    assert value == pytest.approx((residual ** 2).mean(), rel=1e-5)  # before the update
    np.testing.assert_allclose(after, start - 0.1 * clipped, atol=1e-6)
    assert steps == 1
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Optimizer name should be one of"):
            layers.optimize_loss(tf.constant(1.0), None, 0.1, "Nadam")


def test_slim_and_contrib_names_resolve_to_these_functions():
    root = view.tf1_namespace()
    assert root.contrib.slim.fully_connected is layers.fully_connected
    assert root.contrib.slim.arg_scope is arg_scope
    assert root.contrib.framework.arg_scope is arg_scope
    assert root.contrib.layers.optimize_loss is layers.optimize_loss
