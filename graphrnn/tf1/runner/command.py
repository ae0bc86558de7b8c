"""graphrnn-tf1: run a TF1 tutorial's own code, unmodified, on TensorFlow 2.21.

    graphrnn-tf1 path/to/script.py [the script's own arguments]
    graphrnn-tf1 -m package.module [its arguments]   # as python -m runs it
    graphrnn-tf1 --report path/to/script.py   # a migration checklist; nothing is run
    graphrnn-tf1 --report path/to/folder      # one table for every script in a folder
    graphrnn-tf1 --table                      # the TF1 -> TF2 / Keras 3 table (Markdown)
    graphrnn-tf1 --to-keras model.ckpt out.keras   # a checkpoint's RNN stack as Keras 3
    graphrnn-tf1 --to-keras model.ckpt out.keras --input ids --output probs  # whole model
    python -m graphrnn.tf1 ...                # the same

In the script (and in modules beside it or on PYTHONPATH), `import tensorflow as tf` gives the
TF1 view of TensorFlow (graphrnn.tf1.runner.view), with v2 behaviour off for this process
only; an import of what it lacks binds a placeholder that stops the run at its first use,
unless a `try` catches the import's ImportError. TensorFlow's
own modules, and every other library, keep the real `tensorflow`. The script runs as
`__main__` with its arguments in sys.argv; its file is only read.

Exit statuses: 0, or the script's own; 1 for an error in the script's code, shown with its
usual traceback (followed by one sentence when a known NumPy 2 or Python 3 change caused
it), or, with one sentence, for a task of a distributed run that lost its ps; 2, with
one sentence and no traceback, for a TF1 symbol the runner does not provide (its name, the
line, its nearest TF2 / Keras 3 replacement), a Python 2 script, or data the runner cannot
get (input_data offline).
"""

import argparse
import ast
import builtins
import functools
import importlib.util
import os
import runpy
import sys
import traceback
from pathlib import Path

from graphrnn.tf1.refusal import Refusal
from graphrnn.tf1.runner import distributed, messages, migration, notes, numpy1
from graphrnn.tf1.runner.view import Namespace, RemovedSymbol, resolve, tf1_namespace

EXIT_ERROR, EXIT_UNSUPPORTED = 1, 2
ACTIVATIONS = ("tanh", "relu", "sigmoid", "elu", "softsign", "linear")  # --to-keras
LIBRARY_FOLDERS = ("site-packages", "dist-packages")


def user_file_test(script):
    """A predicate on file names: the script itself, or a module beside it or in a folder
    the user put on PYTHONPATH (the program's own modules, as `PYTHONPATH=.. graphrnn-tf1
    examples/train.py` finds them), not one of an installed library, nor graphrnn's own."""
    script = Path(script).resolve()
    package = Path(__file__).resolve().parents[2]  # graphrnn/
    folders = [script.parent] + [Path(entry).resolve() for entry in
                                 os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]

    def is_user_file(filename):
        if not filename or filename.startswith("<"):
            return False
        path = Path(filename).resolve()
        return path == script or (
            any(folder in path.parents for folder in folders) and package not in path.parents
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
            frame = sys._getframe(1)  # the import statement's, unless __import__ was called
            importer = frame if frame.f_globals is globals else None
            try:
                target = resolve(root, name)  # tensorflow.contrib.rnn
            except RemovedSymbol as removed:
                if is_real_module(name):
                    # TensorFlow's internals (tensorflow.core.protobuf): as TF 2.21 has them
                    return real_import(name, globals, locals, fromlist, level)
                if guarded(importer):
                    raise _import_error(removed, name) from removed
                target = missing_from(root, name)
            for part in fromlist or ():  # from tensorflow.contrib import seq2seq
                if part != "*" and isinstance(target, Namespace):
                    try:
                        getattr(target, part)
                    except RemovedSymbol as removed:
                        if guarded(importer):
                            raise _import_error(removed, name) from removed
                        target.missing(part)
            return target if fromlist else root
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = tf1_import
    return lambda: setattr(builtins, "__import__", real_import)


def guarded(frame):
    """Is the import statement running in `frame` inside a `try` whose handler catches
    ImportError? Then a missing symbol raises ImportError there, and the program takes its
    fallback, as under TF 2.x; elsewhere the import succeeds and the first use stops the
    run (an import is not a use). None (an explicit __import__ call) counts as guarded."""
    from graphrnn.tf1.runner import checklist
    if frame is None:
        return True
    try:
        tree = _parsed(frame.f_code.co_filename)
    except (OSError, SyntaxError, ValueError):
        return True  # the source is not there to read: fail at the import, as before
    return frame.f_lineno in checklist.lines_guarded_against_import_error(tree)


@functools.lru_cache(maxsize=64)
def _parsed(filename):
    return ast.parse(Path(filename).read_text(errors="replace"))


def missing_from(root, name):
    """A Missing for "tensorflow.contrib.grid_rnn.python.ops", held in the deepest
    Namespace on its path that exists, where `import a.b.c` walks to it."""
    parts, target = name.split(".")[1:], root
    for index, part in enumerate(parts):
        try:
            target = getattr(target, part)
        except RemovedSymbol:
            target = target.missing(part)
            for rest in parts[index + 1:]:
                target = getattr(target, rest)
            return target
    return target


def _import_error(removed, module):
    """The ImportError an import of a removed symbol raises, as Python's own would: a
    script's `except ImportError:` fallback catches it; uncaught, the runner finds the
    RemovedSymbol behind it (removed_symbol_in) and names it in one sentence."""
    return ImportError(str(removed), name=module)


def is_real_module(name):
    """Can the real `name` ("tensorflow.python.client") be imported?"""
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:  # a missing parent: tensorflow.contrib.rnn
        return False


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


def python2_refusal(path):
    """The sentence that refuses a Python 2 file, or None."""
    problem = messages.python2_syntax(Path(path).read_text(errors="replace"))
    return f"graphrnn-tf1: {Path(path).name} {problem}." if problem else None


def module_file(module, folder):
    """The file `python -m module` runs from `folder`: package/module.py, or a package's
    __main__.py; None if there is none."""
    path = Path(folder, *module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__main__.py"):
        if candidate.is_file():
            return candidate
    return None


def run_script(script, arguments, module=None, keep_numpy1=True):
    """Run the script as __main__ in TF1 graph mode; return its exit status. With
    `module`, run it as `python -m module` does (the script is its file, the current
    folder first on sys.path, its package's relative imports working). With keep_numpy1,
    the program's own files keep NumPy 1's habits (graphrnn.tf1.runner.numpy1), and the run ends
    with one line naming those it met. sys.argv and sys.path are the script's while it
    runs, and restored after.

    It turns TensorFlow's v2 behaviour off (v1.disable_v2_behavior) for the rest of the
    calling process, which nothing undoes: call it in a process of its own, as the
    graphrnn-tf1 command is."""
    refusal = python2_refusal(script)
    if refusal:  # it cannot even start
        print(refusal, file=sys.stderr)
        return EXIT_UNSUPPORTED
    from graphrnn.compat import v1

    v1.disable_v2_behavior()  # this process only: graph mode, TF1 variables and control flow
    distributed.stop_when_a_task_is_lost()
    is_user_file = user_file_test(script)
    remove_hook = install_import_hook(tf1_namespace(is_user_file), is_user_file)
    habits = numpy1.Habits() if keep_numpy1 else None
    kept = notes.watch(is_user_file)  # TF 0.12's names, old checkpoints, ...
    finder = numpy1.Finder(is_user_file, habits) if habits else None
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [str(Path(script).resolve()) if module else script, *arguments]
    sys.path.insert(0, os.getcwd() if module else str(Path(script).resolve().parent))
    if finder:
        sys.meta_path.insert(0, finder)
        habits.print_as_numpy_1()
    try:
        if module:
            runpy.run_module(module, init_globals=habits and habits.helpers(script),
                             run_name="__main__", alter_sys=True)
        elif habits:
            numpy1.run_main(script, habits)
        else:
            runpy.run_path(script, run_name="__main__")
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except Refusal as refusal:  # a part of the runner stopped it, e.g. input_data
        print(f"graphrnn-tf1: {refusal}", file=sys.stderr)
        return EXIT_UNSUPPORTED
    except (Exception, KeyboardInterrupt) as error:  # the script's own, or a removed symbol
        return report_failure(error, script, is_user_file)
    finally:
        remove_hook()
        if finder:
            sys.meta_path.remove(finder)
        sys.argv, sys.path[:] = saved_argv, saved_path
        sys.stdout.flush()
        notes.unwatch()
        if habits:
            habits.close()
        for summary in (habits and habits.summary(), *(note.summary() for note in kept)):
            if summary:
                print(summary, file=sys.stderr)
    return 0


def report_failure(error, script, is_user_file):
    """Print what stopped the script; return the exit status."""
    removed = removed_symbol_in(error)
    if removed is not None:
        print(unsupported_message(removed, script), file=sys.stderr)
        return EXIT_UNSUPPORTED
    if isinstance(error, SyntaxError) and error.filename and is_user_file(error.filename):
        refusal = python2_refusal(error.filename)  # a Python 2 module beside the script
        if refusal:
            print(refusal, file=sys.stderr)
            return EXIT_UNSUPPORTED
    print_script_traceback(error, script)
    change = messages.known_change(error)
    if change:
        print(f"graphrnn-tf1: the error at {error_place(error, is_user_file, script)} comes "
              f"from {change}.", file=sys.stderr)
    return 130 if isinstance(error, KeyboardInterrupt) else EXIT_ERROR


def error_place(error, is_user_file, script):
    """"model.py line 113": the innermost frame of user code in the error's traceback."""
    place = Path(script).name
    for frame, line in traceback.walk_tb(error.__traceback__):
        if is_user_file(frame.f_code.co_filename):
            place = f"{Path(frame.f_code.co_filename).name} line {line}"
    return place


def print_script_traceback(error, script):
    """The traceback as Python prints it for `python script.py`: the runner's frames
    (runpy, this module) left out."""
    frames = error.__traceback__
    script = str(Path(script).resolve())
    while frames is not None and str(Path(frames.tb_frame.f_code.co_filename).resolve()) != script:
        frames = frames.tb_next
    traceback.print_exception(type(error), error, frames or error.__traceback__)


def main(argv=None):
    """graphrnn-tf1's command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    keep_numpy1 = argv[:1] != ["--numpy2"]
    if not keep_numpy1 and argv[1:2] == ["-m"]:
        argv = argv[1:]
    if argv[:1] == ["-m"]:  # graphrnn-tf1 -m package.module args: as python -m runs it
        return run_module(argv[1] if len(argv) > 1 else None, argv[2:], keep_numpy1)
    parser = command_line()
    args = parser.parse_args(argv)
    if args.table:
        print(migration.markdown_table(), end="")
        return 0
    if args.to_keras:
        return convert_checkpoint(args)
    if args.script is None:
        parser.error("give the path of a TF1 script (or --table)")
    if args.report:
        from graphrnn.tf1.runner import checklist
        return checklist.main(args.script)
    if not Path(args.script).is_file():
        print(f"graphrnn-tf1: {args.script} is not a file", file=sys.stderr)
        return EXIT_UNSUPPORTED
    return run_script(args.script, args.arguments, keep_numpy1=not args.numpy2)


def command_line():
    """graphrnn-tf1's options (-m and --numpy2 before -m are read by main first)."""
    parser = argparse.ArgumentParser(
        prog="graphrnn-tf1", description=__doc__.split("\n\n")[0],
        epilog="Everything after the script's path is passed to the script. graphrnn-tf1 "
               "-m package.module [arguments] runs a module as python -m does.")
    parser.add_argument("--report", action="store_true",
                        help="list the TF1 symbols of a script (and the modules beside it "
                             "that it imports), or of every script in a folder, with their "
                             "TF2 / Keras 3 counterparts, instead of running it")
    parser.add_argument("--numpy2", action="store_true",
                        help="run the program's own code under NumPy 2's rules: int() of a "
                             "one-element array, ragged np.array and np.float fail (by "
                             "default they work as in NumPy 1, and the run names them)")
    parser.add_argument("--table", action="store_true",
                        help="print the TF1 -> TF2 / Keras 3 table (Markdown) and exit")
    convert = parser.add_argument_group(
        "checkpoints", "graphrnn-tf1 --to-keras CHECKPOINT_PREFIX OUT.keras: the recurrent "
        "cells of a TF1 checkpoint as a Keras 3 model, checked against the TF1 cells first; "
        "with --input and --output, the whole model from its .meta graph")
    convert.add_argument("--to-keras", nargs=2, metavar=("CHECKPOINT_PREFIX", "OUT.keras"))
    convert.add_argument("--input", metavar="NAME[,NAME...]",
                         help="with --output: convert the whole graph from these "
                              "placeholders (names as the TF1 graph has them)")
    convert.add_argument("--output", metavar="NAME",
                         help="with --input: the tensor the Keras 3 model returns")
    convert.add_argument("--scope", help="convert the stack under this scope prefix")
    convert.add_argument("--last", action="store_true",
                         help="output the last step only, not every step")
    convert.add_argument("--dense", metavar="SCOPE",
                         help="apply the tf.layers.dense / fully_connected layer under SCOPE")
    convert.add_argument("--activation", choices=ACTIVATIONS,
                         help="the cells' activation (TF1's default: tanh)")
    convert.add_argument("--forget-bias", type=float,
                         help="the LSTM cells' forget_bias (TF1's default: 1.0)")
    convert.add_argument("--dense-activation", choices=ACTIVATIONS, default="linear",
                         help="the --dense layer's activation (tf.layers.dense: linear, the "
                              "default; fully_connected: relu)")
    parser.add_argument("script", nargs="?", help="a TF1 Python script (a folder with --report)")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="the script's arguments")
    return parser


def run_module(module, arguments, keep_numpy1=True):
    """-m MODULE: find the module's file under the current folder and run it."""
    if not module:
        print("graphrnn-tf1: -m needs a module name, as python -m does", file=sys.stderr)
        return EXIT_UNSUPPORTED
    script = module_file(module, os.getcwd())
    if script is None:
        print(f"graphrnn-tf1: no module {module} in {os.getcwd()} (neither "
              f"{module.replace('.', '/')}.py nor a package with __main__.py)", file=sys.stderr)
        return EXIT_UNSUPPORTED
    return run_script(str(script), arguments, module=module, keep_numpy1=keep_numpy1)


def convert_checkpoint(args):
    """--to-keras; returns the exit status (2: refused, 1: the check failed)."""
    from graphrnn.tf1.converter import graph, stack  # TensorFlow and Keras 3: when asked for

    if (args.input is None) != (args.output is None):
        print("graphrnn-tf1: --input and --output go together (the placeholders and the "
              "tensor of the whole model)", file=sys.stderr)
        return EXIT_UNSUPPORTED
    stack_options = [name for name, given in (
        ("--scope", args.scope), ("--last", args.last), ("--dense", args.dense),
        ("--activation", args.activation), ("--forget-bias", args.forget_bias),
        ("--dense-activation", args.dense_activation != "linear")) if given]
    if args.input is not None and stack_options:
        print(f"graphrnn-tf1: {', '.join(stack_options)} set the stack conversion; with "
              "--input and --output the whole graph says what they would", file=sys.stderr)
        return EXIT_UNSUPPORTED
    try:
        if args.input is not None:
            graph.convert(*args.to_keras, args.input.split(","), args.output)
            return 0
        stack.convert(*args.to_keras, scope=args.scope, last=args.last,
                      dense_scope=args.dense, activation=args.activation,
                      forget_bias=args.forget_bias, dense_activation=args.dense_activation)
    except Refusal as refusal:
        print(f"graphrnn-tf1: {refusal}", file=sys.stderr)
        return EXIT_UNSUPPORTED
    except stack.Mismatch as mismatch:
        print(f"graphrnn-tf1: {mismatch}", file=sys.stderr)
        return EXIT_ERROR
    return 0


def console_main():
    """The graphrnn-tf1 console script."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:  # `graphrnn-tf1 --report x | head`: the reader left early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = EXIT_ERROR
    sys.exit(status)
