"""graphrnn-tf1 --report: what a run would meet, without running anything.

    graphrnn-tf1 --report train.py     # every TensorFlow symbol of train.py and of the
                                       # modules beside it that it imports (model.py, ...)
    graphrnn-tf1 --report tutorials/   # one line per script in the folder, and the total

A symbol is "yes" when the runner's TF1 view resolves it, "NO" when it does not. A
symbol the runner lacks whose every use sits inside a TensorFlow-version check
(`if tf.__version__ ...`) is "in check": a branch for another TensorFlow, not counted as
missing. One whose every use sits inside another `if` is "NO in if": the script runs
unless it takes that branch (char-rnn's `--model nas`). Fallbacks count as Python runs
them: a missing symbol imported in a `try` whose `except ImportError:` handler catches the
failure is "falls back" (the handler replaces it); one whose every use sits in the handler
of a `try` whose imports are all provided is "in fallback" (the handler never runs).
Neither is counted as missing.
"""

import ast
import sys
from pathlib import Path

from graphrnn.tf1.runner import messages, migration
from graphrnn.tf1.runner.view import provided, resolve, tf1_namespace

EXIT_UNSUPPORTED = 2
SKIPPED_FOLDERS = {"__pycache__", "site-packages", "dist-packages", "node_modules"}
VERSION_NAMES = {"__version__", "VERSION", "GIT_VERSION"}  # what a version check reads


def local_modules(script):
    """[script, then every module beside it that it imports, directly or not]: the files
    whose `import tensorflow` the runner serves (paths under the script's folder)."""
    folder, found, queue = Path(script).resolve().parent, [], [Path(script).resolve()]
    while queue:
        path = queue.pop(0)
        if path in found:
            continue
        found.append(path)
        try:
            tree = ast.parse(path.read_text(errors="replace"))
        except SyntaxError:
            continue
        queue += [module for module in _imported_files(tree, folder) if module not in found]
    return found


def _imported_files(tree, folder):
    """The files under `folder` that the module's import statements name."""
    dotted = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            dotted += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            dotted.append(node.module)  # from model import Model; or a submodule:
            dotted += [f"{node.module}.{alias.name}" for alias in node.names]
    files = []
    for name in dotted:
        path = folder.joinpath(*name.split("."))
        for candidate in (path.with_suffix(".py"), path / "__init__.py"):
            if candidate.is_file() and candidate not in files:
                files.append(candidate)
    return files


def version_checked_lines(tree):
    """The lines inside the branches of an `if` (or `x if c else y`) whose condition
    reads a version (tf.__version__, tf.VERSION)."""
    return branch_lines(tree, _reads_version)


def is_main_check(test):
    """`__name__ == "__main__"`: the program's main path when run, not a branch."""
    return (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq)
            and {ast.dump(test.left), ast.dump(test.comparators[0])} == {
                ast.dump(ast.Name("__name__", ast.Load())), ast.dump(ast.Constant("__main__"))})


def branch_lines(tree, condition=lambda test: not is_main_check(test)):
    """The lines inside the branches of every `if` (or `x if c else y`) whose test
    satisfies `condition` (by default every `if` but `if __name__ == "__main__":`)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.If, ast.IfExp)) and condition(node.test):
            branches = node.body + node.orelse if isinstance(node, ast.If) else [
                node.body, node.orelse]
            for branch in branches:
                lines.update(range(branch.lineno, branch.end_lineno + 1))
    return lines


CATCHING_IMPORT_ERROR = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def catches_import_error(handler):
    """Does an `except` clause catch ImportError (by name, a base of it, or bare)?"""
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(t, ast.Name) and t.id in CATCHING_IMPORT_ERROR for t in types)


def lines_guarded_against_import_error(tree):
    """The lines of every `try` body that a handler catching ImportError guards."""
    return {line for node in ast.walk(tree)
            if isinstance(node, ast.Try) and any(map(catches_import_error, node.handlers))
            for line in range(node.body[0].lineno, node.body[-1].end_lineno + 1)}


def import_fallbacks(tree):
    """[(TensorFlow symbols the try body imports, lines of its handlers)] of every `try`
    with a handler that catches ImportError (ImportError, ModuleNotFoundError, Exception
    or bare): `from tensorflow.contrib.rnn import SRUCell` imports tf.contrib.rnn.SRUCell,
    `import tensorflow.contrib.rnn` tf.contrib.rnn."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            handlers = [h for h in node.handlers if catches_import_error(h)]
            if handlers:
                caught = {line for h in handlers
                          for line in range(h.body[0].lineno, h.body[-1].end_lineno + 1)}
                found.append((_imported_symbols(node.body), caught))
    return found


def _imported_symbols(statements):
    """The TensorFlow names that the import statements among `statements` (and inside
    them) import, spelled from tf."""
    names = []
    for node in (n for statement in statements for n in ast.walk(statement)):
        if isinstance(node, ast.Import):
            names += [migration.spelled(a.name) for a in node.names
                      if migration.is_tensorflow(a.name)]
        elif (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
              and migration.is_tensorflow(node.module)):
            names += [f"{migration.spelled(node.module)}.{a.name}" for a in node.names]
    return names


def _under(symbol, names):
    """Is symbol one of names, or inside one (tf.contrib.foo.X under tf.contrib.foo)?"""
    return any(symbol == name or symbol.startswith(name + ".") for name in names)


def _reads_version(test):
    return any((isinstance(n, ast.Attribute) and n.attr in VERSION_NAMES)
               or (isinstance(n, ast.Name) and n.id in VERSION_NAMES)
               for n in ast.walk(test))


class Checklist:
    """The TensorFlow symbols of a script and its local modules: rows of (file, line of
    first use, symbol, "yes" | "NO" | "NO in if" | "in check" | "falls back" |
    "in fallback")."""

    def __init__(self, script, root, files=None):
        """files: local_modules(script), when the caller has them already."""
        self.script = Path(script).resolve()
        self.files = files or local_modules(script)
        self.rows, self.unreadable = [], []
        for path in self.files:
            try:
                source = path.read_text(errors="replace")
                uses = migration.symbol_uses(source)
            except SyntaxError as error:
                self.unreadable.append((path, messages.python2_syntax(source)
                                        or f"line {error.lineno} is not valid Python 3"))
                continue
            tree = ast.parse(source)
            checked, branched = version_checked_lines(tree), branch_lines(tree)
            first, lines = {}, {}
            for symbol, line in uses:
                first[symbol] = min(line, first.get(symbol, line))
                lines.setdefault(symbol, set()).add(line)
            has = {symbol: provided(root, symbol) for symbol in first}
            replaced, unreached = set(), set()  # see the module's docstring
            for imported, caught in import_fallbacks(tree):
                failing = [name for name in imported if not provided(root, name)]
                replaced.update(failing)
                unreached.update(() if failing else caught)
            for symbol in sorted(first, key=lambda s: (first[s], s)):
                status = "yes" if has[symbol] else (
                    "in check" if lines[symbol] <= checked
                    else "falls back" if _under(symbol, replaced)
                    else "in fallback" if lines[symbol] <= unreached
                    else "NO in if" if lines[symbol] <= branched else "NO")
                self.rows.append((path, first[symbol], symbol, status))

    def count(self, *statuses):
        return sum(row[3] in statuses for row in self.rows)

    @property
    def missing(self):
        """The symbols it lacks that the run meets whatever branch it takes."""
        return [row[2] for row in self.rows if row[3] == "NO"]

    @property
    def missing_in_branches(self):
        """The symbols it lacks that only some `if` branch uses."""
        return [row[2] for row in self.rows if row[3] == "NO in if"]

    def would_run(self):
        """No symbol missing outside a branch, and every file Python 3."""
        return not self.missing and not self.unreadable

    def where(self, path, line):
        """"12" for the script itself, "model.py:12" for a module beside it."""
        if path == self.script:
            return str(line)
        return f"{path.relative_to(self.script.parent)}:{line}"


def print_script(checklist, tf):
    """The checklist of one script, one row per symbol."""
    names = [path.name for path in checklist.files[1:]]
    also = f" (and {', '.join(names)}, which it imports)" if names else ""
    in_checks = checklist.count("in check")
    fallbacks = checklist.count("in fallback", "falls back")
    branched = len(checklist.missing_in_branches)
    lacking = len(checklist.missing) + branched
    print(f"{checklist.script.name}{also}: {len(checklist.rows)} TensorFlow symbols, "
          f"{checklist.count('yes')} provided by graphrnn-tf1, {lacking} not"
          + (f" ({branched} of them only inside an if)" if branched else "")
          + (f", {in_checks} only inside TensorFlow-version checks" if in_checks else "")
          + (f", {fallbacks} replaced by, or only inside, its `except ImportError` "
             f"fallbacks" if fallbacks else ""))
    for path, problem in checklist.unreadable:
        print(f"{path.name}: {problem}: graphrnn-tf1 cannot run it")
    rows = [(checklist.where(path, line), symbol, status, counterpart(tf, symbol))
            for path, line, symbol, status in checklist.rows]
    where_width = max([len(row[0]) for row in rows] + [5])
    width = max([len(row[1]) for row in rows] + [6])
    print(f"{'line':>{where_width}}  {'symbol':{width}}  {'graphrnn-tf1':12}  TF2 / Keras 3")
    for where, symbol, status, replacement in rows:
        print(f"{where:>{where_width}}  {symbol:{width}}  {status:12}  {replacement}")


def print_folder(folder, checklists):
    """One line per script of a folder, and how many would run."""
    modules = sorted({path for c in checklists for path in c.files[1:]})
    print(f"{folder}: {len(checklists)} TF1 scripts"
          + (f" (and {len(modules)} modules they import)" if modules else ""))
    rows = [(str(c.script.relative_to(Path(folder).resolve())), str(len(c.rows)),
             str(c.count("yes")), str(len(c.missing) + len(c.missing_in_branches)),
             str(c.count("in check")),
             verdict(c)) for c in checklists]
    header = ("script", "symbols", "provided", "not", "in check", "graphrnn-tf1")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
    for row in [header, *rows]:
        print("  ".join([row[0].ljust(widths[0])]
                        + [cell.rjust(w) for cell, w in zip(row[1:5], widths[1:])]
                        + [row[5]]))
    runnable = sum(c.would_run() for c in checklists)
    branched = sum(c.would_run() and bool(c.missing_in_branches) for c in checklists)
    print(f"total: {runnable} of {len(checklists)} scripts use only what graphrnn-tf1 "
          f"provides and would run (given their data files"
          + (f"; {branched} of them unless they take a branch that uses a missing symbol"
             if branched else "")
          + f"); {len(checklists) - runnable} would stop")


def verdict(checklist):
    """"runs", or what stops it."""
    if checklist.unreadable:
        path, problem = checklist.unreadable[0]
        return f"stops: {path.name} {problem}"
    if checklist.missing:
        return "stops: " + ", ".join(checklist.missing)
    if checklist.missing_in_branches:
        return "runs, unless a branch reaches " + ", ".join(checklist.missing_in_branches)
    return "runs"


def scripts_in(folder):
    """{script: local_modules(script)} of the TF1 scripts of a folder and its subfolders:
    files that use TensorFlow (or import a local module that does), less the modules
    other files import. Each file is read once."""
    files = [path.resolve() for path in sorted(Path(folder).rglob("*.py"))
             if not any(part.startswith(".") or part in SKIPPED_FOLDERS
                        for part in path.relative_to(folder).parts[:-1])]
    modules = {path: local_modules(path) for path in files}
    imported = {module for found in modules.values() for module in found[1:]}
    uses_tensorflow = {path for path in files
                       if "tensorflow" in path.read_text(errors="replace")}
    return {path: found for path, found in modules.items() if path not in imported
            and any(module in uses_tensorflow for module in found)}


def counterpart(tf, symbol):
    """The table's TF2 / Keras 3 counterpart; else the same name if TF2 still has it, or
    its tf.compat.v1 name if only that has it; else the migration guide. Never a name TF
    2.21 lacks."""
    row = migration.lookup(symbol)
    if row is not None:
        return (row.tf2 + (f" ({row.note})" if row.note else "")).replace("`", "")
    for module, found in ((tf, f"{symbol} (the same in TF2)"),
                          (tf.compat.v1, f"tf.compat.v1{symbol[2:]} (no TF2 name)")):
        try:
            resolve(module, symbol)
        except AttributeError:
            continue
        return found
    if symbol.startswith("tf.python."):
        return f"none: tensorflow{symbol[2:]} is TensorFlow's internal code, not its API"
    return f"none in TensorFlow 2.21: see {migration.GUIDE}"


def main(path):
    """--report on a script or a folder; returns the exit status."""
    target = Path(path)
    if not target.exists():
        print(f"graphrnn-tf1: {path} is not a file or folder", file=sys.stderr)
        return EXIT_UNSUPPORTED
    if target.is_file():
        problem = messages.python2_syntax(target.read_text(errors="replace"))
        try:
            ast.parse(target.read_text(errors="replace"))
        except SyntaxError as error:
            print(f"graphrnn-tf1: cannot read {path} as Python 3: "
                  f"{problem or f'line {error.lineno}: {error.msg}'}", file=sys.stderr)
            return EXIT_UNSUPPORTED
    from graphrnn.compat import tf  # resolving a symbol needs TensorFlow, not the script

    root = tf1_namespace()
    if target.is_file():
        print_script(Checklist(target, root), tf)
        return 0
    scripts = scripts_in(target)
    if not scripts:
        print(f"graphrnn-tf1: {path} holds no Python script that uses TensorFlow",
              file=sys.stderr)
        return EXIT_UNSUPPORTED
    print_folder(path, [Checklist(script, root, files) for script, files in scripts.items()])
    return 0
