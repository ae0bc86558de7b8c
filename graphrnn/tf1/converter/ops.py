"""The whole-model converter's table: one function per TF op type, building the op's value
with Keras 3 layers and keras.ops, registered the way TensorFlow registers gradients.

    @converts("Transpose")
    def transpose(walk, op, index):   # index: which of op's outputs is asked for
        perm = tuple(int(d) for d in walk.constant(op.inputs[1]))
        return keras.ops.transpose(walk.keras_value(op.inputs[0]), perm)

`walk` is the graph walk (graph.GraphConverter): walk.convert(tensor) gives an input's
Keras value (a Keras tensor, or Folded), walk.keras_value(tensor) the same unfolded,
walk.constant(tensor) a value known without feeding, walk.run(tensor) the TF1 graph's value
on the random inputs. A function returns None when the op is not the pattern it converts
(a MatMul of two activations, say); the walk then refuses the op in one sentence naming it.
Adding an op is one function here and one case in tests/tf1/converter/test_ops.py.
"""

import numpy as np

from graphrnn.compat import tf
from graphrnn.tf1.refusal import Refusal

import keras  # noqa: E402  (Keras 3, after graphrnn.compat has set up TensorFlow)

CONVERTERS = {}  # TF op type -> function(walk, op, index) -> Keras value or None
ACTIVATIONS = {"Tanh": "tanh", "Relu": "relu", "Sigmoid": "sigmoid", "Elu": "elu",
               "Softsign": "softsign", "Softplus": "softplus", "Relu6": "relu6",
               "Selu": "selu", "Softmax": "softmax", "LogSoftmax": "log_softmax"}
ARITHMETIC = {"Add": keras.ops.add, "AddV2": keras.ops.add, "Sub": keras.ops.subtract,
              "Mul": keras.ops.multiply, "RealDiv": keras.ops.divide,
              "Maximum": keras.ops.maximum, "Minimum": keras.ops.minimum}
REDUCTIONS = {"Mean": keras.ops.mean, "Sum": keras.ops.sum, "Max": keras.ops.max}


def converts(*op_types):
    """Register the decorated function for these TF op types."""
    def register(function):
        for op_type in op_types:
            CONVERTERS[op_type] = function
        return function
    return register


class Folded:
    """A (B, T, ..., H) Keras tensor that the TF1 graph has reshaped to (-1, H) (the dense
    reshape trick): kept unfolded so a dense head runs on every step, and reshaped only
    where the path needs the folded form."""

    def __init__(self, tensor):
        self.tensor = tensor
        self.width = tensor.shape[-1]


def unfold(value):
    """The Keras tensor of a converted value, folded to (-1, H) if it is Folded."""
    if isinstance(value, Folded):
        return keras.ops.reshape(value.tensor, (-1, value.width))
    return value


def on_every_step(layer, value):
    """layer applied to a value, keeping it Folded (a head on every step) if it was."""
    if isinstance(value, Folded):
        return Folded(layer(value.tensor))
    return layer(value)


# ------------------------------------------------------------ reading past an op

@converts("Identity", "StopGradient", "Snapshot", "PreventGradient", "Switch",
          "PlaceholderWithDefault")
def pass_through(walk, op, index):
    """Ops that hand their first input on at inference (a placeholder_with_default keeps
    its default)."""
    return walk.convert(op.inputs[0])


@converts("Merge")
def inference_branch(walk, op, index):
    """The branch of a tf.cond that draws no random numbers: inference."""
    calm = [inp for inp in op.inputs
            if "RandomUniform" not in {a.type for a in walk.ancestors(inp)}]
    if len(calm) != 1:
        raise Refusal(f"{op.name}: a tf.cond whose branch at inference cannot be told "
                      "(neither or both draw random numbers, as dropout does)")
    return walk.convert(calm[0])


@converts("Placeholder")
def placeholder(walk, op, index):
    """A placeholder reached on the path is one --input did not name."""
    raise Refusal(f"the path reads the placeholder {op.name}, which is not among "
                  "--input: name it there")


# ------------------------------------------------------------ layers with weights

@converts("GatherV2", "ResourceGather", "Gather")
def embedding(walk, op, index):
    """embedding_lookup on a variable -> Embedding (one per table, however often read)."""
    if not walk.is_parameter(op.inputs[0]):
        return None
    if op.type == "GatherV2" and walk.constant(op.inputs[2]) != 0:
        raise Refusal(f"{op.name} gathers along another axis than 0: not an embedding")
    variable = walk.variable_of(op.inputs[0])
    ids = walk.keras_value(op.inputs[1])
    if variable in walk.embeddings:
        return walk.embeddings[variable](ids)
    table = (walk.reader.get_tensor(variable) if op.inputs[0].dtype == tf.resource
             else walk.run(op.inputs[0]))  # ResourceGather reads the variable's handle
    layer = keras.layers.Embedding(table.shape[0], table.shape[1],
                                   name=walk.layer_name(op.inputs[0], "embedding"))
    output = layer(ids)
    layer.set_weights([table])
    walk.embeddings[variable] = layer
    walk.print_line(f"  {variable}: Embedding({table.shape[0]}, {table.shape[1]})")
    return output


@converts("MatMul")
def matmul(walk, op, index):
    """x @ kernel, the kernel a variable -> Dense without bias."""
    if not walk.is_parameter(op.inputs[1]):
        return None
    return dense(walk, op.outputs[0], bias=None)


@converts("BiasAdd")
def bias_add(walk, op, index):
    """x @ kernel + bias -> Dense."""
    return dense_with_bias(walk, op)


@converts("Add", "AddV2")
def add(walk, op, index):
    """x @ kernel + bias -> Dense; any other sum -> keras.ops.add."""
    value = dense_with_bias(walk, op)
    return arithmetic(walk, op, index) if value is None else value


def dense_with_bias(walk, op):
    """Dense for a product and a parameter added in either order, or None."""
    for term, other in ((op.inputs[0], op.inputs[1]), (op.inputs[1], op.inputs[0])):
        if walk.is_parameter(other) and walk.is_dense(term):
            return dense(walk, term, bias=other)
    return None


def dense(walk, product, bias):
    """Dense for x @ kernel (+ bias): a MatMul on a variable, or tf.layers.dense's
    Tensordot on (B, T, F) inputs."""
    op = product.op
    if op.type == "MatMul":
        if op.get_attr("transpose_a"):
            raise Refusal(f"{op.name} multiplies a transposed input: not a dense layer")
        x, kernel_tensor = op.inputs
    else:  # .../Tensordot: its MatMul holds the kernel (reshaped to 2-D)
        kernel_tensor = walk.graph.get_operation_by_name(f"{op.name}/MatMul").inputs[1]
        x = walk.tensordot_input(op.name)
    transposed = op.type == "MatMul" and op.get_attr("transpose_b")
    kernel = walk.run(kernel_tensor)
    kernel = kernel.T if transposed else kernel
    value = walk.convert(x)
    # one Keras layer per TF1 variable pair: a cell unrolled by hand reuses its weights
    # at every step, and the Keras model must share them too (to keep training tied)
    key = (walk.variable_of(kernel_tensor), bias is not None and walk.variable_of(bias),
           transposed)
    layer = walk.dense_layers.get(key)
    if layer is None:
        layer = keras.layers.Dense(kernel.shape[1], use_bias=bias is not None,
                                   name=walk.layer_name(kernel_tensor, "dense"))
    output = on_every_step(layer, value)
    if key not in walk.dense_layers:
        walk.dense_layers[key] = layer
        layer.set_weights([kernel] + ([] if bias is None else [walk.run(bias)]))
        where = key[0] + ("" if bias is None else f", {key[1]}")
        walk.print_line(f"  {where}: Dense({kernel.shape[1]})")
    return output


# ------------------------------------------------------------ element-wise

@converts(*ACTIVATIONS)
def activation(walk, op, index):
    layer = keras.layers.Activation(ACTIVATIONS[op.type])
    return on_every_step(layer, walk.convert(op.inputs[0]))


@converts("Sub", "Mul", "RealDiv", "Maximum", "Minimum")
def arithmetic(walk, op, index):
    """Two operands, each a Keras value or a constant (zeros @ W counts as zeros)."""
    operands = []
    for inp in op.inputs:
        value = walk.constant(inp)
        if value is None and zeros_times_weights(walk, inp):
            value = np.zeros([d or 1 for d in inp.shape.as_list()])  # broadcasts
        if value is None and walk.is_parameter(inp):
            raise Refusal(f"{op.name} ({op.type}) uses the variable {inp.op.name} outside "
                          "a dense layer or an embedding, which --to-keras does not convert")
        operands.append(np.asarray(value, inp.dtype.as_numpy_dtype)
                        if value is not None else walk.keras_value(inp))
    return ARITHMETIC[op.type](*operands)


def zeros_times_weights(walk, tensor):
    """zeros @ W: a hand-written cell's first step from a zero state, zeros whatever W
    holds."""
    op = tensor.op
    return (op.type == "MatMul" and tensor.shape.rank == 2 and tensor.shape[1] is not None
            and (value := walk.constant(op.inputs[0])) is not None and not np.any(value))


@converts("Neg")
def negative(walk, op, index):
    return keras.ops.negative(walk.keras_value(op.inputs[0]))


@converts("Cast")
def cast(walk, op, index):
    return keras.ops.cast(walk.keras_value(op.inputs[0]), op.get_attr("DstT").name)


# ------------------------------------------------------------ shapes

@converts("Reshape")
def reshape(walk, op, index):
    """(B, T, H) -> (-1, H) stays Folded (the dense reshape trick) and back; any other
    reshape to a shape known before the run -> keras.ops.reshape."""
    value = walk.convert(op.inputs[0])
    target = shape_of(walk, op.inputs[1])  # [int or None (computed at run time)]
    if target is None:
        raise Refusal(f"{op.name} reshapes to a shape computed at run time that "
                      "--to-keras cannot follow")
    if isinstance(value, Folded) and len(target) == len(value.tensor.shape) \
            and target[-1] == value.width:
        return value.tensor  # back from (-1, H) to (B, T, H): the head ran on every step
    if (not isinstance(value, Folded) and len(value.shape) >= 3
            and len(target) == 2 and target[0] in (-1, None)
            and target[1] == value.shape[-1]):
        return Folded(value)  # (B, T, H) -> (-1, H)
    if None in target:
        raise Refusal(f"{op.name} reshapes to a shape computed at run time that "
                      "--to-keras cannot follow")
    return keras.ops.reshape(unfold(value), tuple(int(d) for d in target))


def shape_of(walk, tensor):
    """A reshape's target as [int, or None where it is computed at run time]."""
    value = walk.constant(tensor)
    if value is not None:
        return [int(d) for d in value]
    if tensor.op.type == "Pack":
        parts = [walk.constant(part) for part in tensor.op.inputs]
        return [None if part is None else int(part) for part in parts]
    return None


@converts("Transpose")
def transpose(walk, op, index):
    perm = tuple(int(d) for d in walk.constant(op.inputs[1]))
    return keras.ops.transpose(walk.keras_value(op.inputs[0]), perm)


@converts("Squeeze")
def squeeze(walk, op, index):
    axes = tuple(op.get_attr("squeeze_dims")) or None
    return keras.ops.squeeze(walk.keras_value(op.inputs[0]), axis=axes)


@converts("ExpandDims")
def expand_dims(walk, op, index):
    return keras.ops.expand_dims(walk.keras_value(op.inputs[0]),
                                 int(walk.constant(op.inputs[1])))


@converts("ReverseV2")
def reverse(walk, op, index):
    axes = [int(a) for a in np.atleast_1d(walk.constant(op.inputs[1]))]
    return keras.ops.flip(walk.keras_value(op.inputs[0]), axis=tuple(axes))


# ------------------------------------------------------------ joining and slicing

@converts("ConcatV2")
def concat(walk, op, index):
    axis = int(walk.constant(op.inputs[-1]))
    return keras.ops.concatenate([walk.keras_value(t) for t in op.inputs[:-1]], axis)


@converts("Pack")
def stack(walk, op, index):
    return keras.ops.stack([walk.keras_value(t) for t in op.inputs], axis=op.get_attr("axis"))


@converts("Unpack")
def unstack(walk, op, index):
    return keras.ops.unstack(walk.keras_value(op.inputs[0]), op.get_attr("num"),
                             axis=op.get_attr("axis"))[index]


@converts("Split", "SplitV")
def split(walk, op, index):
    """Split(axis, value); SplitV(value, sizes, axis): the index-th part."""
    inputs = list(op.inputs)
    value, axis = (inputs[1], inputs[0]) if op.type == "Split" else (inputs[0], inputs[2])
    sizes = (op.get_attr("num_split") if op.type == "Split"
             else np.cumsum(walk.constant(inputs[1]))[:-1].tolist())
    return keras.ops.split(walk.keras_value(value), sizes,
                           axis=int(walk.constant(axis)))[index]


@converts("StridedSlice")
def strided_slice(walk, op, index):
    return walk.keras_value(op.inputs[0])[slice_index(walk, op)]


def slice_index(walk, op):
    """The Python index of a StridedSlice with constant bounds: x[:, -1, :] etc."""
    begin, end, strides = (walk.constant(t) for t in op.inputs[1:])
    if begin is None or end is None or strides is None:
        raise Refusal(f"{op.name} slices with bounds computed at run time, which "
                      "--to-keras cannot follow")
    masks = {name: op.get_attr(name) for name in (
        "begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")}
    index = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if masks["ellipsis_mask"] & bit:
            index.append(Ellipsis)
        elif masks["new_axis_mask"] & bit:
            index.append(None)
        elif masks["shrink_axis_mask"] & bit:
            index.append(int(b))
        else:
            index.append(slice(None if masks["begin_mask"] & bit else int(b),
                               None if masks["end_mask"] & bit else int(e), int(s)))
    return tuple(index)


# ------------------------------------------------------------ reductions

@converts(*REDUCTIONS)
def reduction(walk, op, index):
    axis = tuple(int(a) for a in np.atleast_1d(walk.constant(op.inputs[1])))
    return REDUCTIONS[op.type](walk.keras_value(op.inputs[0]), axis=axis,
                               keepdims=op.get_attr("keep_dims"))


@converts("ArgMax")
def argmax(walk, op, index):
    return keras.ops.argmax(walk.keras_value(op.inputs[0]),
                            axis=int(walk.constant(op.inputs[1])))
