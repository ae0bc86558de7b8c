"""graphrnn-tf1 --to-keras PREFIX OUT.keras --input NAMES --output NAME: the inference path
of a TF1 graph, from its placeholders to one tensor, as a Keras 3 model.

The .meta graph beside the checkpoint is imported and restored; the converter walks back
from the output tensor, op by op, and builds the same computation with Keras 3 layers and
keras.ops (every one of which keras.saving.load_model knows without graphrnn). What scopes
say comes first (a recurrent call, dropout, a Tensordot); every other op is built by its
entry in the op table, graphrnn.tf1.converter.ops.CONVERTERS:

    embedding_lookup (GatherV2 on a variable)        -> Embedding
    MatMul on a variable (+ bias), tf.layers.dense   -> Dense
    dynamic_rnn / bidirectional_dynamic_rnn / ...    -> SimpleRNN, GRU, LSTM layers
                                                        (graphrnn.tf1.converter.recurrent_region)
    dropout (a dropout/ scope, or a cond around it)  -> nothing: identity at inference
    Reshape to (-1, H) before a dense head and back  -> the head on every step (B, T, H)
    concat, slices, transpose, reshape, activations  -> keras.ops / Activation

Recurrent outputs are matched to TF1's tensors by value on random inputs (see
recurrent_region). Before writing, the whole TF1 graph and the Keras model run on the
same random inputs; above export.TOLERANCE nothing is written. Any op on the path it does
not convert is refused with one sentence naming it.
"""

import os
import re

import numpy as np

from graphrnn import export
from graphrnn.compat import tf, v1
from graphrnn.tf1.converter import checkpoint, ops, recurrent_region, stack
from graphrnn.tf1.refusal import Refusal

import keras  # noqa: E402  (Keras 3, after graphrnn.compat has set up TensorFlow)

BATCH, STEPS = 3, 7  # the random inputs' batch and free dimensions (time)
VARIABLES = {"VariableV2", "Variable", "VarHandleOp"}
DROPOUT_SCOPE = re.compile(r"^(?P<scope>(?:.*/)?dropout(?:_\d+)?/)")
TENSORDOT = re.compile(r"^(?P<scope>(?:.*/)?Tensordot(?:_\d+)?)(?:/|$)")


def tensor_name(name):
    return name if ":" in name else f"{name}:0"


class GraphConverter:
    """Walks a restored TF1 graph back from one tensor and builds its Keras 3 model."""

    def __init__(self, graph, session, meta_path, reader, input_names, print_line):
        self.graph, self.session, self.meta_path = graph, session, meta_path
        self.reader = reader  # the checkpoint's
        self.shapes = reader.get_variable_to_shape_map()  # {variable name: shape}
        self.print_line = print_line
        self.placeholders = [self.tensor(name) for name in input_names]
        self.inputs = {}  # placeholder tensor name -> keras.Input
        self.converted = {}  # TF1 tensor name -> Keras tensor or Folded
        self.regions = {}  # root -> (Region, {candidate: Keras tensor}, {candidate: array})
        self.roots = {}  # op-name root of a recurrent call -> its cells' variable root
        self.steps_used = {}  # root -> the tensors taken as a static_rnn's step outputs
        self.zero_states = []  # (B, H) placeholders fed zeros: initial states, it is hoped
        self.dense_layers = {}  # (kernel variable, bias variable, transposed) -> Dense
        self.embeddings = {}  # table variable -> Embedding (a table looked up twice: one)
        self.ancestor_ops = {}  # op name -> the ops it depends on
        self.feed = self.random_feed()

    # ----------------------------------------------------------- the TF1 graph

    def tensor(self, name):
        try:
            return self.graph.get_tensor_by_name(tensor_name(name))
        except (KeyError, ValueError):
            raise Refusal(f"the graph in {os.path.basename(self.meta_path)} has no tensor "
                          f"{name}") from None

    def random_feed(self):
        """Random values for the --input placeholders (ids below the smallest embedding
        table, lengths from 1 to STEPS with one full), and inference values for every other
        plain placeholder: keep_prob 1.0, a dropout rate 0.0, is_training False, zeros for
        a (B, H) one, as an initial state (placeholder_with_default keeps its default)."""
        rng = np.random.default_rng(0)
        tables = [op.inputs[0].shape[0] for op in self.graph.get_operations()
                  if op.type in ("GatherV2", "ResourceGather") and op.inputs[0].shape.rank]
        vocabulary = min([size for size in tables if size] or [2])
        feed = {}
        for placeholder in self.placeholders:
            shape = placeholder.shape
            if shape.rank is None:
                raise Refusal(f"--input {placeholder.op.name} has no known rank")
            dims = [BATCH if (index == 0 and dim is None) else STEPS if dim is None else dim
                    for index, dim in enumerate(shape.as_list())]
            if placeholder.dtype.is_integer and len(dims) == 1:  # sequence lengths
                value = rng.integers(1, STEPS + 1, dims)
                value[0] = STEPS
            elif placeholder.dtype.is_integer:
                value = rng.integers(0, vocabulary, dims)
            elif placeholder.dtype == tf.bool:
                value = np.zeros(dims, bool)
            else:
                value = rng.standard_normal(dims)
            feed[placeholder] = value.astype(placeholder.dtype.as_numpy_dtype)
        for op in self.graph.get_operations():
            output = op.outputs[0] if op.type == "Placeholder" else None
            if output is None or output in feed:
                continue
            value = self.inference_value(op)
            if value is None and output.dtype.is_floating and output.shape.rank == 2 \
                    and output.shape[1] is not None:  # an initial state the program feeds
                value = np.zeros((len(feed[self.placeholders[0]]), output.shape[1]),
                                 output.dtype.as_numpy_dtype)
                self.zero_states.append(op.name)
            if value is not None:
                feed[output] = value
        return feed

    def inference_value(self, op):
        """keep_prob 1.0, a dropout rate 0.0, a training switch False, for a scalar
        placeholder; None for any other."""
        output = op.outputs[0]
        if output.shape.rank != 0:
            return None
        if output.dtype == tf.bool:
            return False
        if not output.dtype.is_floating:
            return None
        for consumer in output.consumers():
            first = consumer.inputs[0]
            if (consumer.type == "Sub" and first is not output
                    and tf.get_static_value(first) == 1) or (
                    consumer.type in ("RealDiv", "Div") and consumer.inputs[1] is output):
                return 1.0  # used as 1 - keep_prob, or x / keep_prob
        return 0.0

    def run(self, fetches):
        try:
            return self.session.run(fetches, self.feed)
        except tf.errors.InvalidArgumentError as error:
            placeholder = re.search(r"placeholder tensor '([^']+)'", str(error))
            if placeholder:
                raise Refusal(f"the path reads the placeholder {placeholder[1]}, which is not "
                              "among --input: name it there") from None
            raise

    def ancestors(self, tensor):
        """Every op tensor depends on (data inputs, through loops too); kept, as the walk
        asks again and again."""
        if tensor.op.name not in self.ancestor_ops:
            seen, todo = {}, [tensor.op]
            while todo:
                op = todo.pop()
                if op.name not in seen:
                    seen[op.name] = op
                    todo.extend(inp.op for inp in op.inputs)
            self.ancestor_ops[tensor.op.name] = set(seen.values())
        return self.ancestor_ops[tensor.op.name]

    def is_parameter(self, tensor):
        """A variable's value (read, transposed, reshaped): no placeholder, no randomness."""
        types = {op.type for op in self.ancestors(tensor)}
        return bool(types & VARIABLES) and not types & {"Placeholder", "RandomUniform",
                                                        "PlaceholderWithDefault"}

    def constant(self, tensor):
        """The value of a tensor that depends on nothing fed, or None."""
        value = tf.get_static_value(tensor)
        if value is not None:
            return value
        types = {op.type for op in self.ancestors(tensor)}
        if not types & (VARIABLES | {"Placeholder", "PlaceholderWithDefault",
                                     "RandomUniform"}):
            return self.session.run(tensor)
        return None

    # ----------------------------------------------------------- conversion

    def convert(self, tensor):
        """The Keras tensor (or Folded) computing `tensor`; Refusal for an op it lacks."""
        if tensor.name not in self.converted:
            self.converted[tensor.name] = self.convert_op(tensor)
        return self.converted[tensor.name]

    def convert_op(self, tensor):
        """What the scopes say first (an --input, a recurrent call, dropout, a Tensordot),
        then the op table (ops.CONVERTERS) by op type."""
        op = tensor.op
        if any(tensor is placeholder for placeholder in self.placeholders):
            return self.keras_input(tensor)
        root = self.root_of(op)
        if root is None and op.type in ("ReverseSequence", "ReverseV2"):
            root = self.root_of(op.inputs[0].op)  # a backward direction's outputs in order
        if root is not None:
            return self.region_output(root, tensor)
        dropout = DROPOUT_SCOPE.match(op.name)
        if dropout:
            return self.convert(self.dropout_input(dropout["scope"], tensor))
        tensordot = TENSORDOT.match(op.name)
        if tensordot and op.name == tensordot["scope"]:
            return ops.dense(self, tensor, bias=None)
        converter = ops.CONVERTERS.get(op.type)
        value = converter(self, op, tensor.value_index) if converter else None
        if value is None:
            raise Refusal(f"{op.name}, a {op.type} op on the path to the output, is not one "
                          "--to-keras converts (embedding lookups, recurrent layers, dense "
                          "layers, dropout, concat, slices, reshape, transpose, activations)")
        return value

    def keras_value(self, tensor):
        """The Keras tensor computing `tensor`, unfolded to (-1, H) if it was Folded."""
        return ops.unfold(self.convert(tensor))

    def root_of(self, op):
        """The recurrent region op belongs to, or None."""
        return next((root for root in sorted(self.roots, key=len, reverse=True)
                     if op.name.startswith(root)), None)

    def find_regions(self, output):
        """{op-name root: variable root} of each recurrent call on the path to output. The
        ops' scope can differ from the variables' ("rnnlm_1/rnnlm/" for variables under
        "rnnlm/" when the scope was entered twice): it is the common scope of the ops on
        the path that read the cells' weights, outside any while loop."""
        path = {op.name for op in self.ancestors(output)}
        cells = {}  # variable root -> the cells' variable names
        for name in self.shapes:
            match = checkpoint.CELL_PATTERN.match(name)
            if match and not checkpoint.SLOT.match(match["weight"]):
                root = recurrent_region.region_root(match["prefix"] + match["cell"])
                cells.setdefault(root, []).append(name)
        for variable_root, names in cells.items():
            readers = [reader for name in names for reader in self.readers(name)
                       if reader in path]
            if readers:
                common = os.path.commonprefix(readers)
                common = common[:common.rfind("/") + 1]
                loop = re.match(r"^(?P<outer>(?:.*?/)?)while(?:_\d+)?/", common)
                self.roots[loop["outer"] if loop else common] = variable_root

    def readers(self, variable_name):
        """Names of the ops that read a variable, past its read Identity, Enter and
        ReadVariableOp (those under the variable's own scope left out)."""
        try:
            todo = [self.graph.get_operation_by_name(variable_name)]
        except KeyError:
            return []
        found = []
        while todo:
            op = todo.pop()
            for output in op.outputs:
                for consumer in output.consumers():
                    if not consumer.name.startswith(variable_name + "/"):
                        found.append(consumer.name)
                    if consumer.type in ("Identity", "Enter", "ReadVariableOp"):
                        todo.append(consumer)
        return found

    def keras_input(self, placeholder):
        shape = placeholder.shape.as_list()
        layer = keras.Input(tuple(shape[1:]), dtype=placeholder.dtype.name,
                            name=re.sub(r"\W", "_", placeholder.op.name))
        self.inputs[placeholder.name] = layer
        return layer

    def dropout_input(self, scope, tensor):
        """The tensor a dropout scope drops from: its one outside input of the output's
        rank (keep_prob, the rate and the noise are scalars or computed inside)."""
        ops = [op for op in self.graph.get_operations() if op.name.startswith(scope)]
        names = {op.name for op in ops}
        outside = {inp.name: inp for op in ops for inp in op.inputs
                   if inp.op.name not in names and inp.shape.rank
                   and inp.dtype.is_floating and inp.shape.rank == tensor.shape.rank}
        if len(outside) != 1:
            raise Refusal(f"the dropout under {scope} reads {sorted(outside) or 'no'} tensors "
                          "of its output's rank: cannot tell which it drops from")
        self.print_line(f"  {scope}: dropout, identity at inference")
        return next(iter(outside.values()))

    def is_dense(self, tensor):
        op = tensor.op
        if op.type == "MatMul":
            return self.is_parameter(op.inputs[1])
        match = TENSORDOT.match(op.name)
        return bool(match) and op.name == match["scope"]

    def variable_of(self, tensor):
        """The name of the one variable a parameter tensor reads (its value's tensor name
        when it reads several)."""
        found = [op.name for op in self.ancestors(tensor) if op.type in VARIABLES]
        return found[0] if len(found) == 1 else tensor.name

    def tensordot_input(self, scope):
        """The tensor a Tensordot scope multiplies: its one outside input that is not a
        parameter or a constant."""
        ops = [op for op in self.graph.get_operations() if op.name.startswith(scope + "/")]
        names = {op.name for op in ops}
        outside = {inp.name: inp for op in ops for inp in op.inputs
                   if inp.op.name not in names and not self.is_parameter(inp)
                   and self.constant(inp) is None}
        if len(outside) != 1:
            raise Refusal(f"{scope} multiplies {sorted(outside)}: not a dense layer")
        return next(iter(outside.values()))

    def layer_name(self, tensor, fallback):
        """A Keras layer name from the variable a tensor reads: "rnnlm/softmax_w/read" ->
        "rnnlm_softmax_w"."""
        return re.sub(r"\W", "_", self.variable_of(tensor).split(":")[0]) or fallback

    # ----------------------------------------------------------- recurrent regions

    def region_output(self, root, tensor):
        """The Keras tensor of a tensor that leaves the recurrent region under root,
        found among the region's outputs and final states by value."""
        if root not in self.regions:
            self.regions[root] = self.build_region(root)
        region, candidates, values = self.regions[root]
        wanted = self.run(tensor)
        for name, value in values.items():
            if value.shape == wanted.shape and np.abs(value - wanted).max() < 1e-4:
                if " at step " in name:  # static_rnn: one line for all its steps
                    self.steps_used.setdefault(root, []).append(tensor.name)
                else:
                    self.print_line(f"  {tensor.name}: {root} {name}")
                return candidates[name]
        raise Refusal(f"{tensor.name} ({tensor.op.type}) inside the recurrent ops under "
                      f"{root} is none of their outputs or final states")

    def build_region(self, root):
        """(Region, {candidate: Keras tensor on the model's path}, {candidate: its value on
        the TF1 graph's random inputs}) of the recurrent call under root."""
        directions = recurrent_region.region_layers(self.shapes, self.roots[root])
        recurrent_region.check_supported(directions, root)
        steps, lengths = self.region_inputs(root)
        static = steps[0].shape.rank == 2  # a list of (B, F) steps, as static_rnn reads
        read = self.run(steps + ([lengths] if lengths is not None else []))  # as TF1 gave them
        x_value = np.stack(read[:len(steps)], axis=1) if static else read[0]
        length_value = read[-1] if lengths is not None else None
        batch = len(self.feed[self.placeholders[0]])
        time_major = not static and x_value.shape[0] != batch and x_value.shape[1] == batch
        layers = [layer for members in directions.values() for _, layer in members]
        meta = stack.meta_settings(self.meta_path, checkpoint.CheckpointStack(
            root, tuple((layer,) for layer in layers)))
        settings = {layer.scope: {**stack.DEFAULTS, **found}
                    for layer, found in zip(layers, meta)}
        # the cells' weights as the checkpoint holds them (the session restored the same)
        weights = {name: self.reader.get_tensor(name) for layer in layers
                   for name in layer.names.values()}
        region = recurrent_region.Region(root, directions, weights, settings)
        # the candidates on stand-in inputs, to tell them apart by value
        probe_x = keras.Input(x_value.shape[1:], batch_size=x_value.shape[0])
        probe_lengths = None if lengths is None else keras.Input(
            (), batch_size=x_value.shape[0], dtype=lengths.dtype.name)
        found = region.candidates(probe_x, probe_lengths, time_major, static)
        region.set_weights()
        probe = keras.Model([probe_x] + ([probe_lengths] if lengths is not None else []),
                            list(found.values()))
        computed = probe([x_value] + ([length_value] if lengths is not None else []))
        values = {name: keras.ops.convert_to_numpy(value)
                  for name, value in zip(found, computed)}
        x = (keras.ops.stack([self.keras_value(step) for step in steps], axis=1) if static
             else self.keras_value(steps[0]))
        candidates = region.candidates(
            x, None if lengths is None else self.keras_value(lengths), time_major, static)
        for name in self.zero_states:
            if any(consumer.name.startswith(root) for consumer in
                   self.graph.get_operation_by_name(name).outputs[0].consumers()):
                self.print_line(f"  {name}: fed zeros, the initial state of {root} (the Keras "
                                "layers start from zeros)")
        count = sum(len(members) for members in directions.values())
        kinds = sorted({layer.cell for layer in layers})
        self.print_line(f"  {root}: {count} recurrent layer(s) ({', '.join(kinds)}), "
                        + ("bidirectional, " if len(directions) == 2 else "")
                        + (f"unrolled over {len(steps)} steps, " if static else "")
                        + ("sequence_length, " if lengths is not None else "")
                        + self.describe_settings(layers, settings))
        return region, candidates, values

    @staticmethod
    def describe_settings(layers, settings):
        """"activation tanh, forget_bias 0.8": what the cells' ops in the .meta graph set
        (else TF1's defaults), listed once when every layer agrees."""
        parts = []
        for name in ("activation", "forget_bias"):
            chosen = [settings[layer.scope][name] for layer in layers
                      if name != "forget_bias" or layer.kind == "lstm"]
            if chosen and len(set(chosen)) == 1:
                parts.append(f"{name} {chosen[0]}")
            elif chosen:
                parts.append(f"{name} {', '.join(map(str, chosen))} by layer")
        return ", ".join(parts)

    def region_inputs(self, root):
        """(steps, sequence_length or None): what the region reads from the model's inputs,
        steps being [x (B, T, F)] for dynamic_rnn or [x_0, ..., x_T-1] (B, F) in time order
        for static_rnn / legacy_seq2seq.rnn_decoder; the rest it reads are parameters,
        dropout knobs or zero initial states."""
        ops = self.graph.get_operations()
        order = {op.name: index for index, op in enumerate(ops)}  # creation order
        inside = [op for op in ops if op.name.startswith(root)]
        names = {op.name for op in inside}
        fed = {p.op.name for p in self.placeholders}
        data, lengths, flat = {}, {}, {}  # tensor name -> (first reader's order, tensor)
        for op in inside:
            for inp in op.inputs:
                if inp.op.name in names or self.is_parameter(inp):
                    continue
                if not fed & {a.name for a in self.ancestors(inp)}:
                    continue  # keep_prob, batch size, constants
                rank, floating = inp.shape.rank, inp.dtype.is_floating
                kind = (data if rank == 3 and floating else flat if rank == 2 and floating
                        else lengths if rank == 1 and inp.dtype.is_integer else None)
                if kind is None:
                    raise Refusal(f"the recurrent ops under {root} read {inp.name}, which "
                                  "is neither their inputs nor sequence lengths")
                kind.setdefault(inp.name, (order[op.name], inp))
        for name, (_, tensor) in list(flat.items()):
            if not np.any(self.run(tensor)):  # cell.zero_state(batch) made outside
                del flat[name]
            elif data:
                raise Refusal(f"the recurrent ops under {root} start from {name}, an initial "
                              "state that is not zeros, which --to-keras does not convert")
        if len(data) > 1 or len(lengths) > 1 or (data and flat) or not (data or flat):
            found = sorted(data) + sorted(flat)
            raise Refusal(f"the recurrent ops under {root} read {found or 'nothing'} from the "
                          "inputs: --to-keras converts recurrent calls on one (batch, time, "
                          "features) tensor or on a list of (batch, features) steps")
        steps = [tensor for _, tensor in sorted((data or flat).values(),
                                                key=lambda item: item[0])]
        return steps, next((tensor for _, tensor in lengths.values()), None)

    def model(self, output):
        self.find_regions(output)
        value = self.keras_value(output)
        for root, tensors in self.steps_used.items():
            self.print_line(f"  {tensors[0]} ... ({len(tensors)} tensors): {root} outputs, "
                            "step by step")
        missing = [p.name for p in self.placeholders if p.name not in self.inputs]
        if missing:
            raise Refusal(f"--input {missing[0]} is not on the path to {output.name}")
        inputs = [self.inputs[p.name] for p in self.placeholders]
        return keras.Model(inputs if len(inputs) > 1 else inputs[0], value,
                           name="tf1_graph")


def load(prefix):
    """(graph, session, meta path): the .meta graph beside the checkpoint, restored."""
    meta_path = f"{prefix}.meta"
    if not os.path.exists(meta_path):
        raise Refusal(f"{prefix} has no .meta graph beside it ({meta_path}): --input / "
                      "--output convert the graph the checkpoint was saved from")
    graph = tf.Graph()
    with graph.as_default():
        try:
            saver = v1.train.import_meta_graph(meta_path, clear_devices=True)
        except (KeyError, ValueError, tf.errors.OpError) as error:
            reason = str(error).strip().splitlines()[0]
            raise Refusal(f"{meta_path} cannot be imported here ({reason})") from None
        session = v1.Session(graph=graph)
        saver.restore(session, prefix)
    return graph, session, meta_path


def convert(prefix, out_path, input_names, output_name, print_line=print):
    """Convert the path from input_names to output_name, check it and write out_path;
    returns the largest difference. Refusal (one sentence) for what it will not convert;
    stack.Mismatch when the check fails (nothing written either way)."""
    if not str(out_path).endswith(".keras"):
        raise Refusal(f"{out_path}: the Keras 3 file must end in .keras")
    if not os.path.isdir(os.path.dirname(os.path.abspath(out_path))):
        raise Refusal(f"{out_path}: its folder does not exist")
    reader = stack.read_checkpoint(prefix)
    graph, session, meta_path = load(prefix)
    try:  # not `with session`: that would make Keras calls build into the TF1 graph
        converter = GraphConverter(graph, session, meta_path, reader, input_names, print_line)
        output = converter.tensor(output_name)
        print_line(f"{prefix}: from {', '.join(p.op.name for p in converter.placeholders)} "
                   f"to {output.name}")
        model = converter.model(output)
        expected = converter.run(output)
        if not np.array_equal(expected, converter.run(output)):
            raise Refusal(f"{output.name} differs from run to run with dropout's switches "
                          "at their inference values: the graph draws random numbers that "
                          "--to-keras cannot remove")
        inputs = [converter.feed[p] for p in converter.placeholders]

    finally:
        session.close()

    def mismatch(what, difference):
        return stack.Mismatch(f"{what} differs from the TF1 graph by up to "
                              f"{difference:.2g} on random inputs (allowed: "
                              f"{export.TOLERANCE:g}), so nothing was written")
    difference = export.save_checked(model, out_path, inputs if len(inputs) > 1 else inputs[0],
                                     expected, mismatch)
    print_line(f"wrote {out_path} (Keras 3): largest difference from the TF1 graph on random "
               f"inputs {difference:.2g}")
    return difference
