"""The recurrent cells of a TF1 checkpoint, found by their variable names and shapes.
No TensorFlow here: it works on {variable name: shape} (a checkpoint reader's
get_variable_to_shape_map()).

    stacks = find_stacks(shapes)   # [CheckpointStack(scope, direction, layers), ...]

A cell is known by its scope and the names of its weights, whatever scope encloses it:

    .../basic_rnn_cell/{kernel,bias}                       BasicRNNCell
    .../gru_cell/{gates,candidate}/{kernel,bias}           GRUCell
    .../basic_lstm_cell/{kernel,bias}                      BasicLSTMCell
    .../lstm_cell/{kernel,bias}                            LSTMCell
    TF <= 1.1 named them weights / biases.

Cells inside a MultiRNNCell sit in .../multi_rnn_cell/cell_<k>/; a stack is the cells
under one scope, in order. The two directions of bidirectional_dynamic_rnn /
static_bidirectional_rnn sit in .../bidirectional_rnn/fw|bw/; such levels stack when
their scopes differ only in a number (stack_bidirectional_rnn/cell_<k>/, layer_<k>/).
"""

import dataclasses
import re

from graphrnn.tf1.refusal import Refusal

# the cell's scope name -> (its kind in graphrnn.weights, its TF1 class); LSTMCell and
# BasicLSTMCell share a kind
CELLS = {"basic_rnn_cell": ("basic_rnn", "BasicRNNCell"), "gru_cell": ("gru", "GRUCell"),
         "basic_lstm_cell": ("lstm", "BasicLSTMCell"), "lstm_cell": ("lstm", "LSTMCell")}
# the weights of each kind, by their TF >= 1.2 names
WEIGHT_NAMES = {"basic_rnn": ("kernel", "bias"), "lstm": ("kernel", "bias"),
                "gru": ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")}
OLD_NAMES = {"kernel": "weights", "bias": "biases"}  # TF <= 1.1
PEEPHOLES = ("w_f_diag", "w_i_diag", "w_o_diag")
CELL_PATTERN = re.compile(
    r"^(?P<prefix>(?:.*/)?)(?P<cell>basic_rnn_cell|gru_cell|basic_lstm_cell|lstm_cell)/"
    r"(?P<weight>.+)$")
MULTI = re.compile(r"^(?P<stack>(?:.*/)?multi_rnn_cell)/cell_(?P<index>\d+)/$")
DIRECTION = re.compile(r"^(?P<scope>(?:.*/)?bidirectional_rnn)/(?P<direction>fw|bw)/(?P<rest>.*)$")
NUMBERED = re.compile(r"^(?P<stack>.*?)(?P<index>\d+)/$")  # ".../cell_0/", ".../layer_1/"
OPAQUE = re.compile(r"(^|/)(cudnn|opaque_kernel|CudnnRNN|cudnn_[a-z]+)", re.IGNORECASE)
# an optimizer's slot of a cell weight: the weight's name and one more part (Adam, Adam_1,
# Momentum, RMSProp, Adagrad, ... or an optimizer's own name), beside the weight or under
# a scope of its own (optimizer/encoder/rnn/.../kernel/Adam); never a cell's weight
SLOT = re.compile(r"^(?:gates/|candidate/|projection/)?"
                  r"(?:kernel|bias|weights|biases|w_[ifo]_diag)/[^/]+$")


@dataclasses.dataclass(frozen=True)
class Layer:
    """One cell of a stack: where its weights are and their sizes."""

    scope: str  # the cell's own scope, ".../multi_rnn_cell/cell_0/gru_cell"
    kind: str  # "basic_rnn", "gru" or "lstm"
    cell: str  # its TF1 class: BasicRNNCell, GRUCell, BasicLSTMCell or LSTMCell
    units: int  # H
    input_size: int  # F of its inputs
    names: dict  # {weight name as graphrnn.weights calls it: the checkpoint's variable name}


@dataclasses.dataclass(frozen=True)
class CheckpointStack:
    """The cells under one scope, bottom first: each level one cell, or, bidirectional,
    a (forward, backward) pair whose outputs are concatenated for the level above."""

    scope: str  # ".../rnn/multi_rnn_cell"; ".../rnn" for a lone cell; ".../cell_*" levels
    levels: tuple  # ((Layer,), ...) or ((forward Layer, backward Layer), ...)

    @property
    def bidirectional(self):
        return len(self.levels[0]) == 2

    @property
    def layers(self):
        """Every cell, bottom first (forward before backward)."""
        return tuple(layer for level in self.levels for layer in level)

    @property
    def input_size(self):
        return self.levels[0][0].input_size

    @property
    def output_size(self):
        """The width of the outputs: the top level's units (forward + backward)."""
        return sum(layer.units for layer in self.levels[-1])


def find_stacks(shapes, scope=None):
    """[CheckpointStack] of every recurrent stack in {variable name: shape}, or of those under
    `scope` (a prefix). Raises Refusal for cells with no Keras counterpart (peepholes,
    projections), cuDNN-opaque parameters, and a checkpoint without recurrent cells."""
    if scope:
        shapes = {name: shape for name, shape in shapes.items()
                  if name == scope or name.startswith(scope.rstrip("/") + "/")}
    opaque = sorted(name for name in shapes if OPAQUE.search(name))
    if opaque:
        raise Refusal(f"{opaque[0]} holds cuDNN's opaque parameters, which have no cell layout "
                      "to convert: save the model with CudnnCompatibleLSTMCell / "
                      "CudnnCompatibleGRUCell weights (tf.contrib.cudnn_rnn) first")
    cells = {}  # cell scope -> {weight name: variable name}
    for name in shapes:
        match = CELL_PATTERN.match(name)
        if match and not SLOT.match(match["weight"]):
            cell_scope = match["prefix"] + match["cell"]
            cells.setdefault(cell_scope, {})[match["weight"]] = name
    if not cells:
        where = f" under {scope}" if scope else ""
        raise Refusal(f"the checkpoint holds no BasicRNNCell, GRUCell, BasicLSTMCell or "
                      f"LSTMCell weights{where} (found {len(shapes)} other variables)")
    layers = [cell_layer(cell_scope, weights, shapes) for cell_scope, weights in cells.items()]
    return _stacks(layers)


def cell_layer(cell_scope, weights, shapes):
    """A Layer from a cell's {weight: variable name}; Refusal for what Keras lacks."""
    cell = cell_scope.rsplit("/", 1)[-1]
    kind, class_name = CELLS[cell]
    for peephole in PEEPHOLES:
        if peephole in weights:
            raise Refusal(f"{cell_scope} is an LSTMCell with peepholes ({weights[peephole]}), "
                          "which no Keras 3 layer computes")
    if any(weight.startswith("projection/") for weight in weights):
        raise Refusal(f"{cell_scope} is an LSTMCell with a projection (num_proj), which no "
                      "Keras 3 layer computes")
    names = {}
    for weight in WEIGHT_NAMES[kind]:
        head, _, last = weight.rpartition("/")
        old = (head + "/" if head else "") + OLD_NAMES[last]
        found = weights.get(weight) or weights.get(old)
        if found is None:
            raise Refusal(f"{cell_scope} lacks its {weight} (or {old}): it has "
                          f"{sorted(weights)}")
        names[weight] = found
    bias_name = names["candidate/bias" if kind == "gru" else "bias"]
    units = shapes[bias_name][0] // (4 if kind == "lstm" else 1)
    kernel_rows = shapes[names["candidate/kernel" if kind == "gru" else "kernel"]][0]
    return Layer(cell_scope, kind, class_name, units, kernel_rows - units, names)


def _stacks(layers):
    """Group cells into stacks: by MultiRNNCell scope (ordered by cell_<k>), a lone cell
    being a stack of one; bidirectional levels by the number their scopes end in
    (stack_bidirectional_rnn/cell_<k>/, layer_<k>/), one level when there is none."""
    groups, pairs = {}, {}  # stack scope -> [(k, Layer)]; -> {k: {"fw": Layer, "bw": ...}}
    for layer in layers:
        split = DIRECTION.match(layer.scope)
        if split:
            if "multi_rnn_cell" in split["rest"]:
                raise Refusal(f"{layer.scope} is a MultiRNNCell inside one direction of a "
                              "bidirectional RNN, which this graphrnn-tf1 does not convert "
                              "yet (one cell per direction and level)")
            parent = split["scope"][:-len("bidirectional_rnn")]
            numbered = NUMBERED.match(parent)
            key, order = ((numbered["stack"] + "*", int(numbered["index"])) if numbered
                          else (split["scope"], 0))
            pairs.setdefault(key, {}).setdefault(order, {})[split["direction"]] = layer
            continue
        parent = layer.scope[:len(layer.scope) - len(layer.scope.rsplit("/", 1)[-1])]
        multi = MULTI.match(parent)
        order, stack_scope = (int(multi["index"]), multi["stack"]) if multi else (
            0, parent.rstrip("/"))
        groups.setdefault(stack_scope, []).append((order, (layer,)))
    for key, levels in pairs.items():
        for order, directions in levels.items():
            if set(directions) != {"fw", "bw"}:
                raise Refusal(f"{key} level {order} has only its {', '.join(directions)} "
                              "cell: not a bidirectional RNN")
            forward, backward = directions["fw"], directions["bw"]
            if (forward.cell, forward.units) != (backward.cell, backward.units):
                raise Refusal(f"{forward.scope} ({forward.cell}, {forward.units} units) and its "
                              f"backward cell ({backward.cell}, {backward.units} units) differ: "
                              "Keras 3's Bidirectional needs the two directions alike")
        groups[key] = [(order, (d["fw"], d["bw"])) for order, d in levels.items()]
    stacks = []
    for stack_scope, members in sorted(groups.items()):
        members.sort(key=lambda member: member[0])
        orders = [order for order, _ in members]
        if orders != list(range(orders[0], orders[0] + len(members))):
            raise Refusal(f"{stack_scope} has the levels {orders}, not one after another: not "
                          "one stack")
        stack = CheckpointStack(stack_scope, tuple(level for _, level in members))
        for below, above in zip(stack.levels, stack.levels[1:]):
            width = sum(layer.units for layer in below)
            if above[0].input_size != width:
                raise Refusal(f"{above[0].scope} reads {above[0].input_size} inputs but the "
                              f"level below gives {width}: not one stack")
        stacks.append(stack)
    return stacks


def describe(stack):
    """One line per cell, in stack.layers' order: level, scope, cell, units, input size."""
    rows = []
    for index, level in enumerate(stack.levels):
        directions = (" forward", " backward") if len(level) == 2 else ("",)
        for layer, direction in zip(level, directions):
            rows.append(f"  layer {index}{direction}: {layer.scope}  {layer.cell}  "
                        f"{layer.units} units  input size {layer.input_size}")
    return rows
