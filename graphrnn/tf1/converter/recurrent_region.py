"""The recurrent part of a TF1 graph (what one dynamic_rnn / static_rnn /
bidirectional_dynamic_rnn / stack_bidirectional_dynamic_rnn call built) as Keras 3
layers, for the whole-model converter (graphrnn.tf1.converter.graph).

A region is every op under one scope root ("rnn/", "rnnlm_1/rnnlm/multi_rnn_cell/",
"bidirectional_rnn/"), found from where the ops on the path read the cells' variables
(graph_to_keras.find_regions). What leaves the region (outputs, final states of any
layer, either direction) is known by value, not by op name: candidates() builds every
output and final state the region can give, and the converter keeps the one whose values
equal the TF1 tensor's.

    root = region_root(cell_scope)        # "bidirectional_rnn/": the cells' variable scope
    layers = region_layers(shapes, root)  # {"": [(0, Layer), ...]} or {"fw": ..., "bw": ...}
"""

import re

from graphrnn import keras_twins
from graphrnn import weights as layout
from graphrnn.tf1.converter import checkpoint
from graphrnn.tf1.refusal import Refusal

import keras  # noqa: E402  (Keras 3, after graphrnn.compat has set up TensorFlow)

# the outermost (stack_)bidirectional_rnn/ scope: lazy, so a stack's inner levels do not win
BIDIRECTIONAL = re.compile(r"^(?P<root>(?:.*?/)??(?:stack_)?bidirectional_rnn/)")
LEVEL = re.compile(r"/cell_(\d+)/bidirectional_rnn/")  # stack_bidirectional_rnn's levels
MULTI = re.compile(r"/multi_rnn_cell/cell_(\d+)/")


def region_root(cell_scope):
    """The variable scope that holds all the cells of one recurrent call, from one cell's
    scope: "encoder/rnn/multi_rnn_cell/cell_0/gru_cell" -> "encoder/rnn/";
    "stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/lstm_cell" ->
    "stack_bidirectional_rnn/". (Its ops may sit elsewhere: graph_to_keras finds them.)"""
    found = BIDIRECTIONAL.match(cell_scope)
    if found:
        return found["root"]
    before = cell_scope.split("/multi_rnn_cell/")[0] if "/multi_rnn_cell/" in cell_scope \
        else cell_scope.rsplit("/", 1)[0] if "/" in cell_scope else ""
    return before + "/" if before else ""


def region_layers(shapes, root):
    """{direction: [(level, Layer)] bottom first} of the cells under root: direction "" for
    one direction, "fw" and "bw" for a bidirectional region; level counts MultiRNNCell
    cells, or stack_bidirectional_rnn's levels."""
    cells = {}
    for name in shapes:
        match = checkpoint.CELL_PATTERN.match(name)
        if match and name.startswith(root) and not checkpoint.SLOT.match(match["weight"]):
            cells.setdefault(match["prefix"] + match["cell"], {})[match["weight"]] = name
    directions = {}
    for cell_scope, weights in cells.items():
        layer = checkpoint.cell_layer(cell_scope, weights, shapes)
        direction = re.search(r"/(fw|bw)/", "/" + cell_scope)
        level = LEVEL.search("/" + cell_scope) or MULTI.search("/" + cell_scope + "/")
        directions.setdefault(direction[1] if direction else "", []).append(
            (int(level[1]) if level else 0, layer))
    for members in directions.values():
        members.sort(key=lambda member: member[0])
    return directions


def keras_layer(layer, settings, name):
    """A Keras 3 SimpleRNN / GRU / LSTM holding the TF1 cell's weights, returning every
    step and its final states, zero outputs at masked steps (as sequence_length gives)."""
    options = {"reset_after": False} if layer.kind == "gru" else {}
    rnn = keras_twins.RECURRENT_LAYERS[layer.kind](
        layer.units, activation=settings["activation"], return_sequences=True,
        return_state=True, zero_output_for_mask=True, name=name, **options)
    return rnn


class Region:
    """One recurrent call's Keras 3 layers; candidates(x, lengths) gives its outputs."""

    def __init__(self, root, directions, values, settings):
        self.root = root
        self.directions = directions  # {direction: [(level, Layer)]}
        self.values = values  # {checkpoint variable name: array}
        self.settings = settings  # {cell scope: {"activation": .., "forget_bias": ..}}
        self.stacked = root.endswith("stack_bidirectional_rnn/")
        tag = re.sub(r"\W", "_", root.strip("/")) or "rnn"
        self.layers = {}  # cell scope -> Keras layer (built once, shared by every call)
        for direction, members in directions.items():
            for level, layer in members:
                name = f"{tag}_{direction + '_' if direction else ''}{level}_{layer.kind}"
                self.layers[layer.scope] = keras_layer(layer, settings[layer.scope], name)

    def set_weights(self):
        """Give each Keras layer its TF1 cell's weights (once the layers are built)."""
        for members in self.directions.values():
            for _, layer in members:
                cell = {weight: self.values[name] for weight, name in layer.names.items()}
                forget_bias = self.settings[layer.scope].get("forget_bias", 1.0)
                self.layers[layer.scope].set_weights(
                    layout.tf1_to_keras(layer.kind, cell, layer.input_size, forget_bias))

    def candidates(self, x, lengths, time_major, static=False):
        """{description: Keras tensor} of everything the region can give for x (B, T, F)
        (T, B, F when time_major) and lengths (B,) or None: outputs of each direction and
        their concatenation, each layer's final state (h, and c for an LSTM); static (a
        static_rnn's list of steps): the outputs at each step too."""
        if time_major:
            x = keras.ops.transpose(x, (1, 0, 2))
        mask = None
        if lengths is not None:  # (B, T): step t < length
            steps = keras.ops.cumsum(keras.ops.ones_like(x[:, :, 0]), axis=1)  # 1 .. T
            mask = keras.ops.less_equal(
                steps, keras.ops.expand_dims(keras.ops.cast(lengths, x.dtype), 1))
        found = {}
        if self.stacked:
            top = x
            for index, (forward, backward) in enumerate(self._levels()):
                forward_out = self._run([forward], top, mask, False, found, f"level {index} fw")
                backward_out = self._run([backward], top, mask, True, found,
                                         f"level {index} bw")
                top = keras.ops.concatenate([forward_out, backward_out], axis=-1)
            found["outputs"] = top
        elif set(self.directions) == {"fw", "bw"}:
            forward = [layer for _, layer in self.directions["fw"]]
            backward = [layer for _, layer in self.directions["bw"]]
            found["fw outputs"] = self._run(forward, x, mask, False, found, "fw")
            found["bw outputs"] = self._run(backward, x, mask, True, found, "bw")
            found["outputs"] = keras.ops.concatenate(
                [found["fw outputs"], found["bw outputs"]], axis=-1)
        else:
            found["outputs"] = self._run([layer for _, layer in self.directions[""]], x, mask,
                                         False, found, "")
        if time_major:
            for name in [name for name in found if name.endswith("outputs")]:
                found[name] = keras.ops.transpose(found[name], (1, 0, 2))
        if static:  # static_rnn returns a list: the outputs at step t are outputs[:, t]
            for name in [name for name in found if name.endswith("outputs")]:
                for step in range(x.shape[1]):
                    found[f"{name} at step {step}"] = found[name][:, step]
        return found

    def _levels(self):
        forward = dict(self.directions["fw"])
        backward = dict(self.directions["bw"])
        return [(forward[level], backward[level]) for level in sorted(forward)]

    def _run(self, layers, x, mask, backward, found, tag):
        """Run layers in turn over x (B, T, F), in reverse for a backward direction (the
        padded steps come first then and leave the state at zero, so each sequence is
        read from its own last step, as TF1's reverse_sequence does); record each
        layer's final states in found; return the top layer's outputs (B, T, H)."""
        if backward:
            x = keras.ops.flip(x, axis=1)
            mask = None if mask is None else keras.ops.flip(mask, axis=1)
        for index, layer in enumerate(layers):
            results = self.layers[layer.scope](x, mask=mask)
            x, states = results[0], results[1:]  # LSTM: h, c; GRU, SimpleRNN: h
            where = f"{tag} layer {index}".strip()
            found[f"{where} h"] = states[0]
            if len(states) == 2:
                found[f"{where} c"] = states[1]
        return keras.ops.flip(x, axis=1) if backward else x


def check_supported(directions, root):
    """Refusal for a region this converter does not turn into Keras layers."""
    if not directions:
        raise Refusal(f"the recurrent ops under {root} use no cell weights this converter "
                      "knows (BasicRNNCell, GRUCell, BasicLSTMCell, LSTMCell)")
    if set(directions) not in ({""}, {"fw", "bw"}):
        raise Refusal(f"{root} holds only its {', '.join(sorted(directions))} cells: not a "
                      "bidirectional RNN")
