"""The TF1 view of TensorFlow that graphrnn-tf1 gives a script's `import tensorflow`:
tf.compat.v1 (v2 behaviour off in the runner's process), its cells and layers from tf-keras,
tf.contrib's rnn, layers, seq2seq (also under its module paths,
tf.contrib.seq2seq.python.ops.attention_wrapper, ...), legacy_seq2seq and crf, the small
parts of framework, training, learn and data, and tf.examples.tutorials.mnist.input_data,
all from the rebuilt API (graphrnn.tf1.api). A symbol it lacks raises RemovedSymbol.

    root = tf1_namespace()
    resolve(root, "tf.contrib.rnn.GRUCell")      # the object, or AttributeError
    provided(root, "tf.contrib.rnn.LSTMBlockFusedCell")  # False
"""

import importlib
import sys
import types

from graphrnn.tf1.runner import migration


class RemovedSymbol(AttributeError):
    """A TF1 symbol graphrnn-tf1 does not provide; `where` is (file, line) of the user's
    code that asked for it, when known."""

    def __init__(self, symbol, where=None):
        super().__init__(f"{symbol} is not provided by graphrnn-tf1")
        self.symbol, self.where = symbol, where


class Missing:
    """What an import of a symbol the runner lacks binds when nothing catches the import's
    ImportError: the import succeeds, as in TF 1.x; the first use (a call, a subclass, an
    isinstance, iteration, a value read from it) raises RemovedSymbol naming the symbol
    and the line that used it. Its attributes are Missing too (cudnn_rnn_ops.CudnnLSTM)."""

    def __init__(self, symbol, find_user_line):
        self._symbol, self._find_user_line = symbol, find_user_line

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return Missing(f"{self._symbol}.{attr}", self._find_user_line)

    def _used(self, *args, **kwargs):
        raise RemovedSymbol(self._symbol, self._find_user_line())

    __call__ = __iter__ = __getitem__ = __enter__ = __bool__ = __len__ = _used
    __instancecheck__ = __subclasscheck__ = __mro_entries__ = _used
    __add__ = __radd__ = __mul__ = __rmul__ = __sub__ = __truediv__ = __neg__ = _used

    def __repr__(self):
        return f"<{self._symbol}, which graphrnn-tf1 does not provide>"


class Namespace(types.ModuleType):
    """A read-only view of a TensorFlow module under its TF1 name ("tf.nn.rnn_cell"):
    attributes from `overrides` first, then from `base`; submodules come wrapped in turn.
    Anything missing raises RemovedSymbol, naming the line of user code that asked."""

    def __init__(self, name, base=None, overrides=None, is_user_file=None,
                 submodules=False):
        super().__init__(name)
        self._base, self._overrides = base, dict(overrides or {})
        self._is_user_file = is_user_file or (lambda filename: False)
        self._submodules = submodules  # import base's submodules on first use (tf.python)
        self._wrapped = {}

    def __getattr__(self, attr):  # only called when ordinary lookup fails
        if attr in self._overrides:
            return self._overrides[attr]
        if attr in self._wrapped:
            return self._wrapped[attr]
        try:
            value = getattr(self._base, attr)
        except AttributeError:
            value = self._submodule(attr)
            if value is None:
                if attr.startswith("__"):
                    raise AttributeError(attr) from None
                raise RemovedSymbol(f"{self.__name__}.{attr}", self._user_line()) from None
        if isinstance(value, types.ModuleType) and not isinstance(value, Namespace):
            value = self._wrapped[attr] = Namespace(f"{self.__name__}.{attr}", value,
                                                    is_user_file=self._is_user_file,
                                                    submodules=self._submodules)
        return value

    def missing(self, attr):
        """Hold a Missing under `attr` (an import of it that nothing guards): later
        lookups get it too, and fail at their first use."""
        self._wrapped[attr] = Missing(f"{self.__name__}.{attr}", self._user_line)
        return self._wrapped[attr]

    def _submodule(self, attr):
        """base's submodule `attr`, imported now, for a view of TensorFlow's own package
        tree, whose submodules are attributes only once imported; else None."""
        if not (self._submodules and isinstance(self._base, types.ModuleType)):
            return None
        try:
            return importlib.import_module(f"{self._base.__name__}.{attr}")
        except ImportError:
            return None

    def __dir__(self):
        return sorted(set(dir(self._base) if self._base is not None else ())
                      | set(self._overrides))

    def _user_line(self):
        """(file, line) of the innermost frame of user code on the stack, or None."""
        frame = sys._getframe(1)
        while frame is not None:
            if self._is_user_file(frame.f_code.co_filename):
                return frame.f_code.co_filename, frame.f_lineno
            frame = frame.f_back
        return None


def tf1_namespace(is_user_file=None):
    """The `tf` a TF1 script sees: tf.compat.v1, plus tf.contrib's rnn, layers, seq2seq and
    legacy_seq2seq, tf.examples.tutorials.mnist.input_data, TensorFlow's own modules as
    TF 1.x had them, and TF 0.12's names."""
    from graphrnn.compat import v1
    from graphrnn.tf1.api import renamed  # the rebuilt API (imports TensorFlow, quietly)
    from graphrnn.tf1.api.examples.tutorials.mnist import input_data
    from graphrnn.tf1.api.python.training import saver
    from graphrnn.tf1.runner import distributed, flags, protobuf3

    def view(name, base=None, overrides=None):
        return Namespace(name, base, overrides, is_user_file)

    mnist = view("tf.examples.tutorials.mnist", overrides={"input_data": input_data})
    examples = view("tf.examples", overrides={
        "tutorials": view("tf.examples.tutorials", overrides={"mnist": mnist})})
    tf1_flags = view("tf.flags", v1.flags, flags.FLAGS_MODULE)
    app = view("tf.app", v1.app, {"flags": tf1_flags})
    train = view("tf.train", v1.train, {**distributed.TRAIN, **renamed.TRAIN,
                                        **saver.TRAINING})
    return view("tf", v1, {**renamed.TF, "Summary": protobuf3.Summary,
                           "contrib": contrib_namespace(view),
                           "examples": examples, "flags": tf1_flags, "app": app,
                           "train": train, **own_modules(view, is_user_file)})


def contrib_namespace(view):
    """tf.contrib: the rebuilt namespaces, and one that names what it lacks for each of
    contrib's modules that are gone. view(name, base, overrides) makes a Namespace."""
    from graphrnn.tf1.api import renamed
    from graphrnn.compat import v1
    from graphrnn.tf1.api.contrib import (crf, cudnn_rnn, data, framework, legacy_seq2seq,
                                          lookup, metrics, rnn, seq2seq)
    from graphrnn.tf1.api.contrib.layers import layers
    from graphrnn.tf1.api.contrib.learn import model_fn, preprocessing
    from graphrnn.tf1.api.contrib.seq2seq import release_1_0
    from graphrnn.tf1.api.contrib.training import hparams

    def with_ops(name, names, modules):
        """tf.contrib.X with its names, and each of TF 1.15's modules that held them under
        tf.contrib.X.python.ops.<module> (as `from ... import <module>` reaches them)."""
        ops = view(f"{name}.python.ops", overrides={
            module: view(f"{name}.python.ops.{module}", overrides=module_names)
            for module, module_names in modules.items()})
        python = view(f"{name}.python", overrides={"ops": ops})
        return view(name, overrides={**names, "python": python})

    modules = {  # contrib's modules that are gone: any symbol in one is named
        name: view(f"tf.contrib.{name}") for name in migration.REMOVED_CONTRIB_MODULES}
    modules.update(
        rnn=with_ops("tf.contrib.rnn", rnn.RNN, rnn.MODULES),
        layers=view("tf.contrib.layers", overrides=layers.LAYERS),
        slim=view("tf.contrib.slim", overrides=layers.SLIM),
        seq2seq=with_ops("tf.contrib.seq2seq",  # TF 1.15's, and TF 1.0's decoder functions
                         {**seq2seq.SEQ2SEQ, **release_1_0.SEQ2SEQ_1_0},
                         {**seq2seq.SEQ2SEQ_MODULES, **release_1_0.MODULES_1_0}),
        legacy_seq2seq=with_ops("tf.contrib.legacy_seq2seq", legacy_seq2seq.LEGACY_SEQ2SEQ,
                                {"seq2seq": legacy_seq2seq.LEGACY_SEQ2SEQ}),
        crf=with_ops("tf.contrib.crf", crf.CRF, {"crf": crf.CRF}),
        framework=view("tf.contrib.framework", overrides=framework.FRAMEWORK),
        training=view("tf.contrib.training", overrides=hparams.TRAINING),
        learn=view("tf.contrib.learn", overrides={**model_fn.LEARN, "preprocessing": view(
            "tf.contrib.learn.preprocessing", overrides=preprocessing.PREPROCESSING)}),
        data=view("tf.contrib.data", overrides=data.DATA),
        cudnn_rnn=view("tf.contrib.cudnn_rnn", overrides={
            **cudnn_rnn.CUDNN_RNN, "python": view("tf.contrib.cudnn_rnn.python", overrides={
                "ops": view("tf.contrib.cudnn_rnn.python.ops", overrides={"cudnn_rnn_ops": view(
                    "tf.contrib.cudnn_rnn.python.ops.cudnn_rnn_ops", overrides=cudnn_rnn.CELLS)}),
                "layers": view("tf.contrib.cudnn_rnn.python.layers", overrides={"cudnn_rnn": view(
                    "tf.contrib.cudnn_rnn.python.layers.cudnn_rnn", overrides={
                        **cudnn_rnn.LAYERS, **cudnn_rnn.CELLS})})})}),
        lookup=view("tf.contrib.lookup", overrides=lookup.LOOKUP),
        metrics=view("tf.contrib.metrics", overrides=metrics.METRICS),
        keras=view("tf.contrib.keras", v1.keras),  # TF 1.2-1.3's: Keras, as tf-keras has it
        tensorboard=view("tf.contrib.tensorboard", overrides={"plugins": view(
            "tf.contrib.tensorboard.plugins", overrides={"projector": _projector()})}),
        deprecated=view("tf.contrib.deprecated", overrides={  # TF 1.0's summary ops
            name: renamed.TF[name] for name in (
                "scalar_summary", "histogram_summary", "image_summary", "audio_summary",
                "merge_summary", "merge_all_summaries")}))
    return view("tf.contrib", overrides=modules)


def _projector():
    """TensorBoard's projector plugin, which tf.contrib.tensorboard.plugins.projector was."""
    from tensorboard.plugins import projector
    return projector


def own_modules(view, is_user_file):
    """{"python": tf.python, "nn": tf.nn}: TensorFlow's own tree with the names TF 1.x
    programs imported from it, and tf.nn with TF 0.12's (rnn, seq2seq, rnn_cell's
    wrappers and _linear, the cross-entropies by position)."""
    from graphrnn.compat import tf, v1
    from graphrnn.tf1.api import renamed
    from graphrnn.tf1.api.contrib import legacy_seq2seq
    from graphrnn.tf1.api.contrib.rnn import wrappers
    from graphrnn.tf1.api.python.ops import rnn_cell_impl
    from graphrnn.tf1.api.python.util import nest

    def private(name, overrides=None):
        """TensorFlow's own module tensorflow.<name> (TF 2.21's), with overrides."""
        return Namespace(f"tf.{name}", importlib.import_module(f"tensorflow.{name}"),
                         overrides, is_user_file, submodules=True)

    legacy = legacy_seq2seq.LEGACY_SEQ2SEQ  # TF 0.12's tf.nn.seq2seq, named so in 1.x
    python = private("python", {
        "util": private("python.util", {"nest": private("python.util.nest", nest.NEST)}),
        "ops": private("python.ops", {
            "rnn_cell_impl": private("python.ops.rnn_cell_impl", rnn_cell_impl.RNN_CELL_IMPL),
            "rnn_cell": view("tf.python.ops.rnn_cell", overrides=rnn_cell_impl.RNN_CELL),
            "seq2seq": view("tf.python.ops.seq2seq", overrides=legacy),
            # stack and unstack moved to array_ops_stack in TF 2.13; pack, unpack and
            # concat's order are TF 0.12's
            "constant_op": private("python.framework.constant_op"),  # TF 0.x's place
            "array_ops": private("python.ops.array_ops", {
                "stack": tf.stack, "unstack": tf.unstack,
                **{name: renamed.TF[name] for name in ("pack", "unpack", "concat", "split")}}),
        })})
    nn = view("tf.nn", v1.nn, {
        **renamed.NN, "seq2seq": view("tf.nn.seq2seq", overrides=legacy),
        "rnn_cell": view("tf.nn.rnn_cell", v1.nn.rnn_cell, {
            **wrappers.WRAPPERS, "_linear": rnn_cell_impl.RNN_CELL_IMPL["_linear"]})})
    return {"python": python, "nn": nn}


def resolve(module, symbol):
    """The object a dotted name ("tf.contrib.rnn.GRUCell", "tensorflow.contrib") names,
    its first part standing for `module`; AttributeError if a part is missing."""
    target = module
    for part in symbol.split(".")[1:]:
        target = getattr(target, part)
    return target


def provided(root, symbol):
    """Does a script get "tf.a.b.c": from the TF1 view, or, for TensorFlow's internals
    that a script imports by their module path (tensorflow.python.framework.ops), from the
    real module the runner's import hook hands over?"""
    try:
        resolve(root, symbol)
    except (AttributeError, ImportError):
        return _real_internal(symbol)
    return True


def _real_internal(symbol):
    """Does "tf.python.framework.ops.name_scope" name a real module's attribute?"""
    parts = ["tensorflow", *symbol.split(".")[1:]]
    for split in range(len(parts), 1, -1):  # the longest importable module path
        try:
            module = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                module = getattr(module, attribute)
        except AttributeError:
            return False
        return True
    return False
