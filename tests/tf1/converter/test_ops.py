"""The converter's op table (graphrnn.tf1.converter.ops.CONVERTERS), one case per op type:
a TF1 graph in which that op lies on the path from the placeholders to the output, whose
Keras 3 conversion computes what the TF1 graph computes on the converter's random inputs.
Every op type in the table has its case here, so a new entry cannot come without one.

All cases are built into one graph and saved once; each converts its own output."""

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.converter import graph as graph_walk
from graphrnn.tf1.converter import ops, stack
from graphrnn.tf1.refusal import Refusal
from tf1_runs import save_checkpoint as save

B, T, F = 3, 4, 3  # the x placeholder: (batch, time, features)


def last_step(x):
    return x[:, -1, :]  # (B, F)


def dense_weights(name, units=2, resource=False):
    kernel = v1.get_variable(f"{name}/kernel", [F, units], use_resource=resource)
    bias = v1.get_variable(f"{name}/bias", [units], use_resource=resource,
                           initializer=v1.random_normal_initializer(seed=1))
    return kernel, bias


def embedding_table(name, resource=False):
    return v1.get_variable(name, [7, 5], use_resource=resource)


def with_noise(x):
    """x plus zero times a random draw: the same value, but a branch that draws."""
    return x + 0.0 * v1.random_uniform(tf.shape(x))


def dense_on_every_step(x):
    """The dense reshape trick: (B, T, F) -> (-1, F) -> dense -> (B, T, 2)."""
    kernel, bias = dense_weights("trick")
    flat = tf.reshape(x, [-1, F])
    return tf.reshape(tf.matmul(flat, kernel) + bias, [-1, T, 2])


# op type: (the placeholders the case reads, build(x, ids) -> its output)
CASES = {
    "Identity": (["x"], lambda x, ids: tf.identity(x)),
    "StopGradient": (["x"], lambda x, ids: tf.stop_gradient(x)),
    "Snapshot": (["x"], lambda x, ids: tf.raw_ops.Snapshot(input=x)),
    "PreventGradient": (["x"], lambda x, ids: tf.raw_ops.PreventGradient(input=x)),
    "Switch": (["x"], lambda x, ids: tf.raw_ops.Switch(data=x, pred=tf.constant(True))[1]),
    "PlaceholderWithDefault": (["x"], lambda x, ids: v1.placeholder_with_default(
        x * 2.0, [None, T, F])),
    # both branches ready: Merge hands on either, so they hold the same values
    "Merge": (["x"], lambda x, ids: tf.raw_ops.Merge(inputs=[with_noise(x * 3.0), x * 3.0])[0]),
    "GatherV2": (["ids"], lambda x, ids: tf.gather(embedding_table("table_v2"), ids)),
    "Gather": (["ids"], lambda x, ids: tf.raw_ops.Gather(
        params=embedding_table("table"), indices=ids)),
    "ResourceGather": (["ids"], lambda x, ids: v1.nn.embedding_lookup(
        embedding_table("resource_table", resource=True), ids)),
    "MatMul": (["x"], lambda x, ids: tf.matmul(last_step(x), dense_weights("matmul")[0])),
    "BiasAdd": (["x"], lambda x, ids: tf.nn.bias_add(
        tf.matmul(last_step(x), dense_weights("bias_add")[0]),
        v1.get_variable("bias_add/b", [2]))),
    "Add": (["x"], lambda x, ids: tf.raw_ops.Add(
        x=tf.matmul(last_step(x), dense_weights("add")[0]), y=dense_weights("add_b")[1])),
    "AddV2": (["x"], lambda x, ids: dense_on_every_step(x) + 1.5),
    **{kind: (["x"], lambda x, ids, kind=kind: getattr(tf.raw_ops, kind)(
        **{"logits" if "Softmax" in kind else "features": x}))
       for kind in ops.ACTIVATIONS if kind not in ("Tanh", "Sigmoid")},
    "Tanh": (["x"], lambda x, ids: tf.tanh(x)),
    "Sigmoid": (["x"], lambda x, ids: tf.sigmoid(x)),
    "Sub": (["x"], lambda x, ids: 1.0 - x),
    "Mul": (["x"], lambda x, ids: x * x),
    "RealDiv": (["x"], lambda x, ids: x / 4.0),
    "Maximum": (["x"], lambda x, ids: tf.maximum(x, 0.1)),
    "Minimum": (["x"], lambda x, ids: tf.minimum(x, 0.1)),
    "Neg": (["x"], lambda x, ids: -x),
    "Cast": (["ids"], lambda x, ids: tf.cast(ids, tf.float32)),
    "Reshape": (["x"], lambda x, ids: tf.reshape(x, [-1, T * F])),
    "Transpose": (["x"], lambda x, ids: tf.transpose(x, [0, 2, 1])),
    "Squeeze": (["x"], lambda x, ids: tf.squeeze(x[:, :1, :], axis=1)),
    "ExpandDims": (["x"], lambda x, ids: tf.expand_dims(x, 1)),
    "ReverseV2": (["x"], lambda x, ids: tf.reverse(x, [1])),
    "ConcatV2": (["x"], lambda x, ids: tf.concat([x, 2.0 * x], axis=2)),
    "Pack": (["x"], lambda x, ids: tf.stack([x, -x], axis=1)),
    "Unpack": (["x"], lambda x, ids: tf.unstack(x, axis=1)[2]),
    "Split": (["x"], lambda x, ids: tf.split(x, 2, axis=1)[1]),
    "SplitV": (["x"], lambda x, ids: tf.split(x, [1, 2], axis=2)[1]),
    "StridedSlice": (["x"], lambda x, ids: x[:, -1, 1:]),
    "Mean": (["x"], lambda x, ids: tf.reduce_mean(x, axis=1)),
    "Sum": (["x"], lambda x, ids: tf.reduce_sum(x, axis=[1, 2], keepdims=True)),
    "Max": (["x"], lambda x, ids: tf.reduce_max(x, axis=2)),
    "ArgMax": (["x"], lambda x, ids: tf.argmax(x, axis=2)),
}
REFUSED = {  # op type: the sentence its case is refused with
    "Placeholder": "the path reads the placeholder extra, which is not among --input",
}


def build_every_case():
    x = v1.placeholder(tf.float32, [None, T, F], name="x")
    ids = v1.placeholder(tf.int32, [None, T], name="ids")
    for kind, (_, build) in CASES.items():
        with v1.variable_scope(f"case_{kind}"):
            output = build(x, ids)
        tf.identity(output, name=f"out_{kind}")
    extra = v1.placeholder(tf.float32, [None, T, F], name="extra")
    tf.identity(x * extra, name="out_Placeholder")


@pytest.fixture(scope="module")
def saved_graph(tmp_path_factory):
    """(graph, session, .meta path, checkpoint reader) of every case, restored."""
    prefix = save(tmp_path_factory.mktemp("ops"), build_every_case)
    graph, session, meta_path = graph_walk.load(prefix)
    yield graph, session, meta_path, stack.read_checkpoint(prefix)
    session.close()


def walk_to(saved_graph, inputs, output):
    """A converter walking to `output` from `inputs`, and the TF1 tensor of `output`."""
    graph, session, meta_path, reader = saved_graph
    walk = graph_walk.GraphConverter(graph, session, meta_path, reader, inputs,
                                     print_line=lambda line: None)
    return walk, walk.tensor(output)


def test_every_op_in_the_table_has_a_case():
    assert sorted(CASES) + sorted(REFUSED) == sorted(
        sorted(ops.CONVERTERS), key=lambda kind: kind in REFUSED)


@pytest.mark.parametrize("kind", CASES)
def test_the_op_converts_to_what_the_tf1_graph_computes(kind, saved_graph):
    inputs, _ = CASES[kind]
    walk, output = walk_to(saved_graph, inputs, f"out_{kind}")
    assert kind in {op.type for op in walk.ancestors(output)}  # the case uses its op
    model = walk.model(output)
    fed = [walk.feed[placeholder] for placeholder in walk.placeholders]
    predicted = np.asarray(model(fed if len(fed) > 1 else fed[0]))
    expected = walk.run(output)
    assert predicted.shape == expected.shape
    np.testing.assert_allclose(predicted, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kind", REFUSED)
def test_the_op_is_refused_in_one_sentence(kind, saved_graph):
    walk, output = walk_to(saved_graph, ["x"], f"out_{kind}")
    with pytest.raises(Refusal, match=REFUSED[kind]):
        walk.model(output)
