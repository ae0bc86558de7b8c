"""graphrnn-tf1 --to-keras: the recurrent stack of a TF1 checkpoint as a Keras 3 model,
proven before it is written.

    graphrnn-tf1 --to-keras model.ckpt-1000 model.keras [--scope PREFIX] [--last]
                 [--dense SCOPE] [--activation NAME] [--forget-bias X]

graphrnn.tf1.converter.checkpoint finds the cells by their names and shapes; graphrnn.weights moves
each cell's weights into its Keras 3 layer (gate orders, TF1's forget_bias). The model
reads (batch, time, features), time free, and returns what dynamic_rnn returned as its
outputs: the top layer's output at every step (with --last, the last step only), then
the dense layer of --dense when asked for. What a checkpoint does not hold, each cell's
activation and an LSTM's forget_bias, comes from an option, else from the .meta graph
beside the checkpoint, else from TF1's defaults (tanh, 1.0); the output says which.

Before anything is written, the cells are rebuilt as TF1 cells in a graph holding the
checkpoint's values, and both run on the same random inputs: above export.TOLERANCE,
nothing is written. The file is written whole, loaded back and checked again
(export.save_checked, as --export does).
"""

import os

import numpy as np

from graphrnn import export, keras_twins
from graphrnn import weights as layout
from graphrnn.compat import tf, v1
from graphrnn.tf1.converter import checkpoint
from graphrnn.tf1.refusal import Refusal

import keras  # noqa: E402  (Keras 3, after graphrnn.compat has set up TensorFlow)

CHECK_SHAPE = (4, 7)  # batch, time of the random inputs both models read
TF1_CELLS = {"BasicRNNCell": v1.nn.rnn_cell.BasicRNNCell, "GRUCell": v1.nn.rnn_cell.GRUCell,
             "BasicLSTMCell": v1.nn.rnn_cell.BasicLSTMCell, "LSTMCell": v1.nn.rnn_cell.LSTMCell}


class Mismatch(RuntimeError):
    """The Keras 3 model does not compute what the TF1 cells compute: nothing was written."""


def read_checkpoint(prefix):
    """A checkpoint's reader; Refusal when there is none at prefix."""
    try:
        reader = tf.train.load_checkpoint(prefix)
    except (ValueError, tf.errors.OpError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Refusal(f"{prefix} is not a TF1 checkpoint prefix that can be read "
                      f"(give the path without .index / .data-*; {reason})") from None
    return reader


def pick_stack(shapes, scope):
    """The one stack to convert; Refusal listing them when there are several."""
    stacks = checkpoint.find_stacks(shapes, scope)
    if len(stacks) > 1:
        names = ", ".join(stack.scope for stack in stacks)
        raise Refusal(f"the checkpoint holds {len(stacks)} recurrent stacks ({names}): choose "
                      "one with --scope")
    return stacks[0]


def dense_weights(reader, shapes, scope):
    """[kernel, bias] of a tf.layers.dense / fully_connected under scope."""
    prefix = scope.rstrip("/") + "/"
    for kernel, bias in (("kernel", "bias"), ("weights", "biases")):
        if prefix + kernel in shapes and prefix + bias in shapes:
            return [reader.get_tensor(prefix + kernel), reader.get_tensor(prefix + bias)]
    found = sorted(name for name in shapes if name.startswith(prefix))
    raise Refusal(f"--dense {scope}: no kernel and bias (or weights and biases) there; "
                  f"it holds {found or 'nothing'}")


def layer_weights(layer, values):
    """{graphrnn.weights name: array} of one cell of a checkpoint (a checkpoint.Layer)."""
    return {weight: values[name] for weight, name in layer.names.items()}


# TensorFlow's op types of the cells' activations (the gates' Sigmoid aside)
ACTIVATION_OPS = {"Tanh": "tanh", "Relu": "relu", "Elu": "elu", "Softsign": "softsign"}
DEFAULTS = {"activation": "tanh", "forget_bias": 1.0}  # TF1's, for every cell


def meta_settings(meta_path, stack):
    """[{"activation": name, "forget_bias": value}] per layer, as far as the graph in the
    .meta file shows them ({} where it does not). A cell's ops are found by the end of its
    scope (".../multi_rnn_cell/cell_1/lstm_cell/") inside the stack's outermost scope,
    wherever that sits: dynamic_rnn puts them in a while loop, whose name scope differs
    from the variables', and ops can sit under an outer name scope the variables lack
    ("inference/rnn/basic_lstm_cell/" for "rnn/basic_lstm_cell/kernel")."""
    meta = v1.MetaGraphDef()
    with open(meta_path, "rb") as handle:
        meta.ParseFromString(handle.read())
    nodes = list(meta.graph_def.node)
    for function in meta.graph_def.library.function:  # control flow v2 keeps loops here
        nodes += list(function.node_def)
    settings = []
    for layer in stack.layers:
        parts = layer.scope.split("/")
        size = 3 if "multi_rnn_cell" in parts else 1  # multi_rnn_cell/cell_k/gru_cell
        tail = "/".join(parts[-size:]) + "/"
        outer = "/".join(parts[:-size]) + "/" if len(parts) > size else ""  # "encoder/rnn/"
        ops = [node for node in nodes if f"/{tail}" in f"/{node.name}"
               and f"/{outer}" in f"/{node.name}" and "Initializer" not in node.name
               and not node.name.startswith("gradients")]
        found = {}
        kinds = {ACTIVATION_OPS[node.op] for node in ops if node.op in ACTIVATION_OPS}
        if len(kinds) == 1:
            found["activation"] = kinds.pop()
        elif not kinds and any(node.op == "MatMul" for node in ops):
            found["activation"] = "linear"  # the cell's ops are there, with no activation
        if layer.kind == "lstm":
            biases = [node.attr["value"].tensor.float_val[0] for node in ops
                      if node.op == "Const" and node.attr["value"].tensor.dtype == 1
                      and not node.attr["value"].tensor.tensor_shape.dim
                      and node.attr["value"].tensor.float_val]
            if len(set(biases)) == 1:  # forget_bias, added to the forget gate (at every step)
                # as the float32 reads: 0.8, not 0.800000011920929
                found["forget_bias"] = float(str(np.float32(biases[0])))
        settings.append(found)
    return settings


def layer_settings(stack, prefix, activation, forget_bias):
    """[{"activation": (value, source), "forget_bias": (value, source)}] per layer: an
    option given wins, then the .meta graph beside the checkpoint, then TF1's default."""
    meta_path = f"{prefix}.meta"
    from_meta = (meta_settings(meta_path, stack) if os.path.exists(meta_path)
                 else [{} for _ in stack.layers])
    given = {"activation": activation, "forget_bias": forget_bias}
    settings = []
    for layer, found in zip(stack.layers, from_meta):
        chosen = {}
        for name, default in DEFAULTS.items():
            if name == "forget_bias" and layer.kind != "lstm":
                continue
            if given[name] is not None:
                chosen[name] = (given[name], "given")
            elif name in found:
                chosen[name] = (found[name], f"read from {os.path.basename(meta_path)}")
            else:
                chosen[name] = (default, "TF1's default (not in the checkpoint"
                                + ("" if os.path.exists(meta_path) else ", and no .meta")
                                + ")")
        settings.append(chosen)
    return settings


def keras_model(stack, values, settings, last, dense, dense_activation):
    """The Keras 3 model of the stack, holding the checkpoint's values: one RNN layer per
    level, in keras.layers.Bidirectional (concatenated) for a bidirectional level.

    A builder of its own beside graphrnn.keras_twins.keras_twin on purpose: a checkpoint's
    stack may mix cell kinds, activations and forget biases layer by layer and reads
    windows of any length, where a twin mirrors one tutorial Stack (one cell kind, a fixed
    window, the tutorials' heads). Both take their layers from keras_twins.RECURRENT_LAYERS
    and their weights through graphrnn.weights."""
    inputs = keras.Input((None, stack.input_size), name="inputs")  # (B, T, F), T free
    x, cells = inputs, iter(zip(stack.layers, settings))
    for index, level in enumerate(stack.levels):
        top = index == len(stack.levels) - 1
        parts = []
        for backward in (False, True)[:len(level)]:  # forward (and backward)
            layer, chosen = next(cells)
            options = {"reset_after": False} if layer.kind == "gru" else {}
            name = f"layer_{index}_{'backward_' if backward else ''}{layer.kind}"
            rnn = keras_twins.RECURRENT_LAYERS[layer.kind](
                layer.units, activation=chosen["activation"][0],
                return_sequences=not (top and last), go_backwards=backward, name=name,
                **options)
            forget_bias = chosen.get("forget_bias", (1.0,))[0]
            parts.append((rnn, layout.tf1_to_keras(layer.kind, layer_weights(layer, values),
                                                   layer.input_size, forget_bias)))
        if len(parts) == 1:
            (rnn, converted), = parts
            x = rnn(x)  # (B, T, H_i), or (B, H) for the top level with --last
            rnn.set_weights(converted)
        else:  # the backward layer reads the steps in reverse, as TF1's bw cell did
            both = keras.layers.Bidirectional(parts[0][0], backward_layer=parts[1][0],
                                              merge_mode="concat",
                                              name=f"layer_{index}_bidirectional")
            x = both(x)  # (B, T, H_fw + H_bw), or the two final outputs with --last
            both.set_weights(parts[0][1] + parts[1][1])
    if dense is not None:
        output = keras.layers.Dense(dense[0].shape[1], activation=dense_activation,
                                    name="dense")
        x = output(x)  # on the last axis: every step at once
        output.set_weights(dense)
    return keras.Model(inputs, x, name="tf1_checkpoint")


def tf1_outputs(stack, values, settings, inputs, last, dense, dense_activation):
    """What the TF1 cells compute on inputs (B, T, F): the cells rebuilt with TF1's own
    classes in a fresh graph, given the checkpoint's values, run by dynamic_rnn (a
    bidirectional level by bidirectional_dynamic_rnn, its outputs concatenated). With
    --last: the last step's output; for a bidirectional top, the two directions' final
    outputs (forward at the last step, backward at the first), as output_states hold."""
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, None, stack.input_size])
        built = []
        for layer, chosen in zip(stack.layers, settings):
            options = {} if layer.kind != "lstm" else {"forget_bias": chosen["forget_bias"][0]}
            built.append(TF1_CELLS[layer.cell](layer.units, activation=_tf_activation(
                chosen["activation"][0]), **options))
        if stack.bidirectional:
            outputs, cells = x, iter(built)
            for index, _ in enumerate(stack.levels):
                (forward, backward), _ = v1.nn.bidirectional_dynamic_rnn(
                    next(cells), next(cells), outputs, dtype=tf.float32, scope=f"level_{index}")
                outputs = tf.concat([forward, backward], 2)  # (B, T, H_fw + H_bw)
            if last:
                outputs = tf.concat([forward[:, -1], backward[:, 0]], 1)
        else:
            cell = v1.nn.rnn_cell.MultiRNNCell(built) if len(built) > 1 else built[0]
            outputs, _ = v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)  # (B, T, H)
            if last:
                outputs = outputs[:, -1]  # (B, H)
        if dense is not None:
            outputs = _tf_activation(dense_activation)(
                tf.tensordot(outputs, dense[0], [[outputs.shape.rank - 1], [0]]) + dense[1])
        assigns = []
        for layer, cell in zip(stack.layers, built):
            by_weight = {_weight_name(variable): variable for variable in cell.weights}
            for weight, value in layer_weights(layer, values).items():
                assigns.append(by_weight[weight].assign(value))
        with v1.Session(graph=graph) as session:
            session.run(assigns)
            return session.run(outputs, {x: inputs})


def _weight_name(variable):
    """"rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel:0" -> "gates/kernel"."""
    name = variable.name.split(":")[0]
    for scope in checkpoint.CELLS:
        if f"{scope}/" in name:
            return name.split(f"{scope}/", 1)[1]
    raise ValueError(f"{name} is not a cell's weight")


def _tf_activation(name):
    return (lambda x: x) if name == "linear" else getattr(tf.nn, name)


def convert(prefix, out_path, scope=None, last=False, dense_scope=None, activation=None,
            forget_bias=None, dense_activation="linear", print_line=print):
    """Convert, check and write; returns the largest difference of the written file.
    Refusal (one sentence) for what it will not convert; Mismatch when the check fails."""
    if not str(out_path).endswith(".keras"):
        raise Refusal(f"{out_path}: the Keras 3 file must end in .keras")
    if not os.path.isdir(os.path.dirname(os.path.abspath(out_path))):
        raise Refusal(f"{out_path}: its folder does not exist")
    reader = read_checkpoint(prefix)
    shapes = reader.get_variable_to_shape_map()
    stack = pick_stack(shapes, scope)
    dense = dense_weights(reader, shapes, dense_scope) if dense_scope else None
    # only the stack's weights are read: a checkpoint also holds optimizer slots and more
    values = {name: reader.get_tensor(name) for layer in stack.layers
              for name in layer.names.values()}
    if dense is not None and dense[0].shape[0] != stack.output_size:
        raise Refusal(f"--dense {dense_scope} reads {dense[0].shape[0]} inputs, but the stack "
                      f"gives {stack.output_size}")
    settings = layer_settings(stack, prefix, activation, forget_bias)
    kind = "bidirectional recurrent" if stack.bidirectional else "recurrent"
    print_line(f"{prefix}: {len(stack.levels)} {kind} layer(s) under {stack.scope}")
    for index, line in enumerate(checkpoint.describe(stack)):
        print_line(line)
        for name, (value, source) in settings[index].items():
            print_line(f"    {name} {value}: {source}")
    model = keras_model(stack, values, settings, last, dense, dense_activation)
    inputs = np.random.default_rng(0).standard_normal(
        CHECK_SHAPE + (stack.input_size,)).astype(np.float32)
    expected = tf1_outputs(stack, values, settings, inputs, last, dense, dense_activation)

    def mismatch(what, difference):
        return Mismatch(f"{what} differs from the TF1 cells by up to {difference:.2g} on "
                        f"random inputs (allowed: {export.TOLERANCE:g}), so nothing was written")
    difference = export.save_checked(model, out_path, inputs, expected, mismatch)
    print_line(f"wrote {out_path} (Keras 3): largest difference from the TF1 cells on random "
               f"inputs {difference:.2g}")
    return difference
