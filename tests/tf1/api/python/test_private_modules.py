"""TensorFlow's own modules as TF 1.x programs imported them (graphrnn.tf1.api.python):
nest.is_sequence, rnn_cell_impl's private names of each release with that release's
variable names, each _linear against NumPy; and, through the runner's view, the rest of
each module as TF 2.21 has it, and a name it lacks as RemovedSymbol (the one sentence)."""

import collections

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.python.ops import rnn_cell_impl
from graphrnn.tf1.api.python.util import nest
from graphrnn.tf1.runner import view

RNG = np.random.default_rng(11)
X = RNG.normal(size=(2, 3)).astype(np.float32)
H = RNG.normal(size=(2, 4)).astype(np.float32)


def test_is_sequence_is_true_for_structures_and_false_for_leaves():
    pair = collections.namedtuple("Pair", "c h")
    assert all(nest.is_sequence(s) for s in ([1], (1, 2), {"a": 1}, pair(1, 2), []))
    assert not any(nest.is_sequence(s) for s in ("ab", b"ab", 3, 2.5, np.zeros(2), None))
    assert not nest.is_sequence(tf.constant([1, 2]))


def linear_values(build):
    """(output, {variable name: value}) of build(x, h) in a fresh graph."""
    with tf.Graph().as_default():
        out = build(tf.constant(X), tf.constant(H))
        variables = v1.global_variables()
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            value, weights = session.run([out, {v.op.name: v for v in variables}])
    return value, weights


@pytest.mark.parametrize("release, build, kernel, bias, bias_value", [
    ("1.2-1.4 _linear", lambda x, h: rnn_cell_impl._linear(
        [x, h], 5, True, bias_initializer=v1.constant_initializer(0.5)),
     "cell/kernel", "cell/bias", 0.5),
    ("1.5-1.6 _Linear", lambda x, h: rnn_cell_impl.RNN_CELL_IMPL["_Linear"](
        [x, h], 5, True)([x, h]), "cell/kernel", "cell/bias", 0.0),
    ("1.0-1.1 _linear", lambda x, h: rnn_cell_impl.linear_1_0([x, h], 5, True, 1.0),
     "cell/weights", "cell/biases", 1.0),
    ("1.0-1.1 _linear in a scope", lambda x, h: rnn_cell_impl.linear_1_0(
        [x, h], 5, True, 1.0, scope="gates"), "cell/gates/weights", "cell/gates/biases", 1.0),
    ("0.12 _linear", lambda x, h: rnn_cell_impl.linear_0_12([x, h], 5, True, 0.25),
     "cell/Linear/Matrix", "cell/Linear/Bias", 0.25),
])
def test_each_releases_linear_names_its_variables_as_it_did_and_computes_x_h_w_plus_b(
        release, build, kernel, bias, bias_value):
    def in_cell_scope(x, h):
        with v1.variable_scope("cell"):
            return build(x, h)
    value, weights = linear_values(in_cell_scope)
    assert sorted(weights) == sorted([kernel, bias])
    assert weights[kernel].shape == (3 + 4, 5)
    np.testing.assert_array_equal(weights[bias], np.full(5, bias_value, np.float32))
    expected = np.concatenate([X, H], 1) @ weights[kernel] + weights[bias]
    np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6)


def test_linear_without_bias_and_of_one_argument():
    value, weights = linear_values(lambda x, h: rnn_cell_impl._linear(h, 2, False))
    assert sorted(weights) == ["kernel"]
    np.testing.assert_allclose(value, H @ weights["kernel"], rtol=1e-5, atol=1e-6)


def test_old_names_of_the_cell_bases_are_the_bases():
    cells = v1.nn.rnn_cell
    assert rnn_cell_impl.RNN_CELL_IMPL["_RNNCell"] is cells.RNNCell

    class Doubling(rnn_cell_impl.RNN_CELL_IMPL["_LayerRNNCell"]):
        """A TF 1.5-style cell: build() makes its variable with add_variable."""

        @property
        def state_size(self):
            return 4

        @property
        def output_size(self):
            return 4

        def build(self, inputs_shape):
            self._kernel = self.add_variable("kernel", [inputs_shape[-1], 4])
            self.built = True

        def call(self, inputs, state):
            out = 2.0 * state + inputs @ self._kernel
            return out, out

    value, weights = linear_values(
        lambda x, h: v1.nn.dynamic_rnn(Doubling(name="doubling"), x[:, None, :],
                                       initial_state=h)[0])
    assert sorted(weights) == ["rnn/doubling/kernel"]
    np.testing.assert_allclose(value[:, 0], 2 * H + X @ weights["rnn/doubling/kernel"],
                               rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def root():
    return view.tf1_namespace()


def test_the_view_puts_them_over_tensorflows_own_modules(root):
    assert view.resolve(root, "tf.python.util.nest.is_sequence") is nest.is_sequence
    assert view.resolve(root, "tf.python.util.nest.flatten")([[1], (2,)]) == [1, 2]
    impl = "tf.python.ops.rnn_cell_impl"
    assert view.resolve(root, f"{impl}._linear") is rnn_cell_impl._linear
    assert view.resolve(root, f"{impl}.LSTMStateTuple") is v1.nn.rnn_cell.LSTMStateTuple
    assert view.resolve(root, "tf.python.ops.rnn_cell._linear") is rnn_cell_impl.linear_0_12
    assert view.resolve(root, "tf.contrib.rnn.python.ops.core_rnn_cell_impl._linear") is \
        rnn_cell_impl.linear_1_0
    assert view.resolve(root, "tf.contrib.rnn.python.ops.core_rnn_cell._Linear") is \
        rnn_cell_impl.RNN_CELL_IMPL["_Linear"]
    assert view.resolve(root, f"{impl}.LayerRNNCell") is \
        rnn_cell_impl.RNN_CELL_IMPL["_LayerRNNCell"]
    # array_ops' stack and unstack (moved in TF 2.13), 0.12's pack and concat order
    from graphrnn.tf1.api import renamed
    assert view.resolve(root, "tf.python.ops.array_ops.unstack") is tf.unstack
    assert view.resolve(root, "tf.python.ops.array_ops.concat") is renamed.concat
    assert view.resolve(root, "tf.python.ops.array_ops.pack") is renamed.pack
    assert callable(view.resolve(root, "tf.python.ops.array_ops.reshape"))  # TF 2.21's own
    assert view.resolve(root, "tf.python.ops.constant_op.constant")(2.0).dtype == tf.float32
    from graphrnn.tf1.api.contrib import legacy_seq2seq
    assert view.resolve(
        root, "tf.contrib.legacy_seq2seq.python.ops.seq2seq.sequence_loss_by_example") is \
        legacy_seq2seq.LEGACY_SEQ2SEQ["sequence_loss_by_example"]
    # a module of TensorFlow's that nothing imported yet, reached by attribute as in TF 1.x
    assert callable(view.resolve(root, "tf.python.ops.gen_sdca_ops.sdca_optimizer"))


@pytest.mark.parametrize("symbol", ["tf.python.util.nest.no_such_function",
                                    "tf.python.ops.rnn_cell_impl._no_such_name",
                                    "tf.python.ops.no_such_module"])
def test_a_name_tensorflows_modules_lack_is_a_removed_symbol(root, symbol):
    with pytest.raises(view.RemovedSymbol) as caught:
        view.resolve(root, symbol)
    assert caught.value.symbol == symbol
