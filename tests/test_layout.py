"""The package's layout: imports run one way, from the top of ORDER down, and the modules
that hold no graph code stay free of TensorFlow (see also test_compat.py). Two wings: the
tutorials (graphrnn/*.py) and the TF1 runner (graphrnn/tf1/), which may use the tutorials'
bottom layers but is used by none of them."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "graphrnn"
# bottom first: a module may import only modules before it in this list
ORDER = ["options", "compat", "config", "data_common", "energy", "digits", "complaints",
         "bag_of_words", "sine_records", "weights", "baseline",
         "report", "runs", "tags", "layers", "graph_holder", "board", "train", "forecast_run",
         "scratch", "eager", "keras_twins", "export", "sidebyside", "tutorial_script",
         "board_command",
         # the TF1 runner's wing; "tf1" is its package's __init__
         "tf1.migration", "tf1.messages", "tf1.numpy1", "tf1.hparams",
         "tf1.preprocessing", "tf1.arg_scope", "tf1.rnn_wrappers", "tf1.contrib",
         "tf1.contrib_layers", "tf1.grid_cells", "tf1.conv_lstm_cells", "tf1.paper_cells",
         "tf1.decoding", "tf1.attention", "tf1.beam_search", "tf1.legacy_seq2seq",
         "tf1.seq2seq", "tf1.crf", "tf1.framework", "tf1.flags", "tf1.input_data",
         "tf1.distributed",
         "tf1.view", "tf1.checklist", "tf1.checkpoint", "tf1.to_keras",
         "tf1.recurrent_region", "tf1.graph_to_keras", "tf1.runner",
         "tf1.__main__", "tf1"]
TENSORFLOW_FREE = ["options", "config", "data_common", "energy", "digits", "complaints",
                   "bag_of_words", "sine_records", "weights", "baseline",
                   "report", "tags", "tf1.migration", "tf1.messages", "tf1.hparams",
                   "tf1.preprocessing", "tf1.arg_scope", "tf1.numpy1",
                   "tf1.checkpoint"]


def source_file(module):
    """graphrnn/tf1/runner.py for "tf1.runner"; graphrnn/tf1/__init__.py for "tf1"."""
    path = PACKAGE.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def as_module(dotted):
    """"graphrnn.tf1.runner" -> "tf1.runner"; "graphrnn.tf1" -> "tf1"."""
    return dotted.split(".", 1)[1]


def graphrnn_imports(module):
    """The graphrnn modules a module imports, at its top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(source_file(module).read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("graphrnn"):
            for alias in node.names:  # from graphrnn.tf1 import runner: a module, or a name
                candidate = f"{node.module}.{alias.name}"
                found.add(as_module(candidate) if (PACKAGE.parent / candidate.replace(".", "/")
                                                   ).with_suffix(".py").exists()
                          or (PACKAGE.parent / candidate.replace(".", "/")).is_dir()
                          else as_module(node.module))
        elif isinstance(node, ast.Import):
            found.update(as_module(alias.name) for alias in node.names
                         if alias.name.startswith("graphrnn."))
    return found


def test_every_module_is_in_the_order():
    modules = {".".join(path.relative_to(PACKAGE).with_suffix("").parts)
               for path in PACKAGE.rglob("*.py")}
    modules = {name.removesuffix(".__init__") for name in modules} - {"__init__"}
    assert modules == set(ORDER)


def test_the_tf1_package_docstring_names_each_of_its_modules():
    import graphrnn.tf1  # its docstring is the wing's table of contents
    listed = {line.split()[0] for line in graphrnn.tf1.__doc__.splitlines()
              if line.startswith("    ") and line.split()}
    modules = {module.split(".", 1)[1] for module in ORDER if module.startswith("tf1.")}
    assert modules - {"__main__"} <= listed, sorted(modules - {"__main__"} - listed)


def test_the_tutorials_do_not_use_the_tf1_runner():
    tutorials = [module for module in ORDER if not module.startswith("tf1")]
    for module in tutorials:
        assert not {m for m in graphrnn_imports(module) if m.startswith("tf1")}, module


def test_imports_run_one_way_down():
    for position, module in enumerate(ORDER):
        above = set(ORDER[position:])
        assert not graphrnn_imports(module) & above, (module, graphrnn_imports(module) & above)


def imported_modules(module):
    """Every module name an import statement of the module names."""
    names = set()
    for node in ast.walk(ast.parse(source_file(module).read_text())):
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


def test_the_trainer_knows_no_data_set():
    # train.py takes prepared data through its interface (train, validation, to_units,
    # unit, scaled); which data set it came from is the scripts' business
    assert not graphrnn_imports("train") & {"energy", "sine_records", "digits", "complaints"}


def test_at_most_two_functions_run_over_60_lines():
    # keras_twins.keras_twin (every layout of twin in one place) and
    # energy.synthetic_energy (one generator, read top to bottom) are the two
    long = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.end_lineno - node.lineno + 1 > 60:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.name}")
    assert len(long) <= 2, sorted(long)
