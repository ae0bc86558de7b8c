"""graphrnn-tf1: run a TF1 tutorial's own code, unmodified, on TensorFlow 2.21.

    graphrnn-tf1 path/to/script.py [the script's own arguments]
    graphrnn-tf1 --report path/to/script.py   # a migration checklist; nothing is run
    graphrnn-tf1 --table                      # the TF1 -> TF2 / Keras 3 table (Markdown)
    python -m graphrnn.tf1 ...                # the same

In the script (and in modules beside it), `import tensorflow as tf` gives a TF1 view of
TensorFlow: tf.compat.v1 with v2 behaviour off for this process, its cells and layers from
tf-keras, plus tf.contrib.rnn and tf.contrib.layers from graphrnn.contrib. TensorFlow's own
modules, and every other library, keep the real `tensorflow`. The script runs as
`__main__` with its arguments in sys.argv; its file is only read.

A TF1 symbol the runner does not provide stops the script with one sentence (its name, the
script's line, its nearest TF2 / Keras 3 replacement from graphrnn.migration) and exit
status 2. An error in the script's own code shows its usual traceback (exit status 1).
"""

import argparse
import builtins
import os
import runpy
import sys
import traceback
import types
from pathlib import Path

from graphrnn import migration

EXIT_ERROR, EXIT_UNSUPPORTED = 1, 2
LIBRARY_FOLDERS = ("site-packages", "dist-packages")


class RemovedSymbol(AttributeError):
    """A TF1 symbol graphrnn-tf1 does not provide; `where` is (file, line) of the user's
    code that asked for it, when known."""

    def __init__(self, symbol, where=None):
        super().__init__(f"{symbol} is not provided by graphrnn-tf1")
        self.symbol, self.where = symbol, where


class Namespace(types.ModuleType):
    """A read-only view of a TensorFlow module under its TF1 name ("tf.nn.rnn_cell"):
    attributes from `overrides` first, then from `base`; submodules come wrapped in turn.
    Anything missing raises RemovedSymbol, naming the line of user code that asked."""

    def __init__(self, name, base=None, overrides=None, is_user_file=None):
        super().__init__(name)
        self._base, self._overrides = base, dict(overrides or {})
        self._is_user_file = is_user_file or (lambda filename: False)
        self._wrapped = {}

    def __getattr__(self, attr):  # only called when ordinary lookup fails
        if attr in self._overrides:
            return self._overrides[attr]
        if attr in self._wrapped:
            return self._wrapped[attr]
        try:
            value = getattr(self._base, attr)
        except AttributeError:
            if attr.startswith("__"):
                raise AttributeError(attr) from None
            raise RemovedSymbol(f"{self.__name__}.{attr}", self._user_line()) from None
        if isinstance(value, types.ModuleType) and not isinstance(value, Namespace):
            value = self._wrapped[attr] = Namespace(f"{self.__name__}.{attr}", value,
                                                    is_user_file=self._is_user_file)
        return value

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
    """The `tf` a TF1 script sees: tf.compat.v1 plus tf.contrib.rnn and tf.contrib.layers."""
    from graphrnn import contrib  # imports TensorFlow (quietly, with tf-keras' cells)
    from graphrnn.compat import v1

    def view(name, base=None, overrides=None):
        return Namespace(name, base, overrides, is_user_file)

    contrib_view = view("tf.contrib", overrides={
        "rnn": view("tf.contrib.rnn", overrides=contrib.RNN),
        "layers": view("tf.contrib.layers", overrides=contrib.LAYERS)})
    return view("tf", v1, {"contrib": contrib_view})


def user_file_test(script):
    """A predicate on file names: the script itself, or a module beside it (not one of an
    installed library, nor graphrnn's own)."""
    script = Path(script).resolve()
    folder, package = script.parent, Path(__file__).resolve().parent

    def is_user_file(filename):
        if not filename or filename.startswith("<"):
            return False
        path = Path(filename).resolve()
        return path == script or (
            folder in path.parents and package not in path.parents
            and not any(part in LIBRARY_FOLDERS for part in path.parts))
    return is_user_file


def install_import_hook(root, is_user_file):
    """Make `import tensorflow...` in user code resolve to the TF1 view (root); every
    other importer gets the real TensorFlow. Returns a function that removes the hook."""
    real_import = builtins.__import__

    def tf1_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and migration.is_tensorflow(name) and globals is not None and (
                globals.get("__name__") == "__main__"
                or is_user_file(globals.get("__file__") or "")):
            target = resolve(root, name)  # tensorflow.contrib.rnn: fail at the import
            for part in fromlist or ():  # from tensorflow.contrib import seq2seq: here too,
                if part != "*":          # before Python turns it into a bare ImportError
                    getattr(target, part)
            return target if fromlist else root
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = tf1_import
    return lambda: setattr(builtins, "__import__", real_import)


def removed_symbol_in(error):
    """The RemovedSymbol behind an error: itself, or the cause of an ImportError or
    AttributeError raised while handling it (a script may re-raise as its own); else None."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, RemovedSymbol):
            return error
        if not isinstance(error, (ImportError, AttributeError)):
            return None
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def unsupported_message(removed, script):
    """One sentence: the symbol, where the script uses it, its nearest replacement."""
    row = migration.lookup(removed.symbol)
    replacement = row.tf2.replace("`", "") if row else migration.GUIDE
    place = Path(script).name
    if removed.where:
        filename, line = removed.where
        place = f"{Path(filename).name} line {line}"
    return (f"graphrnn-tf1: {place} uses {removed.symbol}, which TensorFlow 2 removed and "
            f"graphrnn-tf1 does not provide (nearest TF2 / Keras 3 replacement: "
            f"{replacement}).")


def run_script(script, arguments):
    """Run the script as __main__ in TF1 graph mode; return its exit status."""
    from graphrnn.compat import v1

    v1.disable_v2_behavior()  # this process only: graph mode, TF1 variables and control flow
    is_user_file = user_file_test(script)
    remove_hook = install_import_hook(tf1_namespace(is_user_file), is_user_file)
    sys.argv = [script, *arguments]
    sys.path.insert(0, str(Path(script).resolve().parent))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except (Exception, KeyboardInterrupt) as error:  # the script's own, or a removed symbol
        removed = removed_symbol_in(error)
        if removed is not None:
            print(unsupported_message(removed, script), file=sys.stderr)
            return EXIT_UNSUPPORTED
        print_script_traceback(error, script)
        return 130 if isinstance(error, KeyboardInterrupt) else EXIT_ERROR
    finally:
        remove_hook()
        sys.stdout.flush()
    return 0


def print_script_traceback(error, script):
    """The traceback as Python prints it for `python script.py`: the runner's frames
    (runpy, this module) left out."""
    frames = error.__traceback__
    script = str(Path(script).resolve())
    while frames is not None and str(Path(frames.tb_frame.f_code.co_filename).resolve()) != script:
        frames = frames.tb_next
    traceback.print_exception(type(error), error, frames or error.__traceback__)


def report(script):
    """Print the migration checklist of a script: every TensorFlow symbol it uses, whether
    graphrnn-tf1 provides it, and its TF2 / Keras 3 counterpart."""
    symbols = migration.symbols_used(Path(script).read_text())
    from graphrnn.compat import tf  # resolving a symbol needs TensorFlow, not the script

    root = tf1_namespace()
    rows = [(line, symbol, provided(root, symbol), counterpart(tf, symbol))
            for symbol, line in symbols]
    missing = sum(not row[2] for row in rows)
    print(f"{Path(script).name}: {len(rows)} TensorFlow symbols, "
          f"{len(rows) - missing} provided by graphrnn-tf1, {missing} not")
    width = max([len(symbol) for _, symbol, _, _ in rows] + [6])
    print(f"{'line':>5}  {'symbol':{width}}  {'graphrnn-tf1':12}  TF2 / Keras 3")
    for line, symbol, is_provided, replacement in rows:
        print(f"{line:5d}  {symbol:{width}}  {'yes' if is_provided else 'NO':12}  "
              f"{replacement}")


def resolve(module, symbol):
    """The object a dotted name ("tf.contrib.rnn.GRUCell", "tensorflow.contrib") names,
    its first part standing for `module`; AttributeError if a part is missing."""
    target = module
    for part in symbol.split(".")[1:]:
        target = getattr(target, part)
    return target


def provided(root, symbol):
    """Does the TF1 view resolve "tf.a.b.c"?"""
    try:
        resolve(root, symbol)
    except (AttributeError, ImportError):
        return False
    return True


def counterpart(tf, symbol):
    """The table's TF2 / Keras 3 counterpart; else the same name if TF2 still has it."""
    row = migration.lookup(symbol)
    if row is not None:
        return (row.tf2 + (f" ({row.note})" if row.note else "")).replace("`", "")
    try:
        resolve(tf, symbol)
    except AttributeError:
        return f"tf.compat.v1{symbol[2:]} (no TF2 name)"
    return f"{symbol} (the same in TF2)"


def main(argv=None):
    """graphrnn-tf1's command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="graphrnn-tf1", description=__doc__.split("\n\n")[0],
        epilog="Everything after the script's path is passed to the script.")
    parser.add_argument("--report", action="store_true",
                        help="list the script's TF1 symbols and their TF2 / Keras 3 "
                             "counterparts instead of running it")
    parser.add_argument("--table", action="store_true",
                        help="print the TF1 -> TF2 / Keras 3 table (Markdown) and exit")
    parser.add_argument("script", nargs="?", help="a TF1 Python script")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="the script's arguments")
    args = parser.parse_args(argv)
    if args.table:
        print(migration.markdown_table(), end="")
        return 0
    if args.script is None:
        parser.error("give the path of a TF1 script (or --table)")
    if not Path(args.script).is_file():
        print(f"graphrnn-tf1: {args.script} is not a file", file=sys.stderr)
        return EXIT_UNSUPPORTED
    if args.report:
        try:
            report(args.script)
        except (SyntaxError, UnicodeDecodeError) as error:
            print(f"graphrnn-tf1: cannot read {args.script} as Python: {error}",
                  file=sys.stderr)
            return EXIT_UNSUPPORTED
        return 0
    return run_script(args.script, args.arguments)


def console_main():
    """The graphrnn-tf1 console script."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(main())


if __name__ == "__main__":
    console_main()
