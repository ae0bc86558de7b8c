"""The package's layout: imports run one way, from the top of ORDER down, and the modules
that hold no graph code stay free of TensorFlow (see also test_compat.py)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "graphrnn"
# bottom first: a module may import only modules before it in this list
ORDER = ["options", "compat", "config", "data", "digits", "complaints", "records", "weights", "baseline",
         "report", "migration", "runs", "layers", "contrib", "models", "board", "train",
         "scratch", "eager", "keras_twins", "export", "sidebyside", "cli", "tf1"]
TENSORFLOW_FREE = ["options", "config", "data", "digits", "complaints", "records", "weights", "baseline",
                   "report", "migration"]


def graphrnn_imports(module):
    """The graphrnn modules a module imports, at its top or inside functions."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("graphrnn"):
            if node.module == "graphrnn":
                found.update(alias.name for alias in node.names)
            else:
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names
                         if alias.name.startswith("graphrnn."))
    return found


def test_every_module_is_in_the_order():
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules == set(ORDER)


def test_imports_run_one_way_down():
    for position, module in enumerate(ORDER):
        above = set(ORDER[position:])
        assert not graphrnn_imports(module) & above, (module, graphrnn_imports(module) & above)


def imported_modules(module):
    """Every module name an import statement of the module names."""
    names = set()
    for node in ast.walk(ast.parse((PACKAGE / f"{module}.py").read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_options_module_imports_only_argparse():
    # the scripts parse their options with it before TensorFlow loads (--help at once)
    assert imported_modules("options") == {"argparse"}


def test_numpy_modules_import_neither_tensorflow_nor_compat():
    for module in TENSORFLOW_FREE:
        imported = imported_modules(module)
        assert not {name for name in imported if name.split(".")[0] in ("tensorflow", "keras")}
        assert "compat" not in graphrnn_imports(module)
