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
         # the TF1 runner's wing: its shared exception, then the rebuilt API, the
         # converter and the runner; "tf1" is the wing's package __init__
         "tf1.refusal",
         "tf1.api.contrib.training.hparams", "tf1.api.contrib.training",
         "tf1.api.contrib.learn.preprocessing", "tf1.api.contrib.learn.model_fn",
         "tf1.api.contrib.learn",
         "tf1.api.contrib.framework.arg_scope", "tf1.api.contrib.framework.variables",
         "tf1.api.contrib.framework",
         "tf1.api.python.ops.rnn_cell_impl", "tf1.api.python.ops", "tf1.api.python.util.nest",
         "tf1.api.python.util", "tf1.api.python.training.saver", "tf1.api.python.training",
         "tf1.api.python", "tf1.api.renamed",
         "tf1.api.contrib.rnn.wrappers", "tf1.api.contrib.rnn.core",
         "tf1.api.contrib.layers.layers", "tf1.api.contrib.layers",
         "tf1.api.contrib.rnn.grid_cells", "tf1.api.contrib.rnn.conv_lstm_cells",
         "tf1.api.contrib.rnn.paper_cells", "tf1.api.contrib.rnn.fused", "tf1.api.contrib.rnn",
         "tf1.api.contrib.seq2seq.decoding", "tf1.api.contrib.seq2seq.attention",
         "tf1.api.contrib.seq2seq.beam_search", "tf1.api.contrib.seq2seq.loss",
         "tf1.api.contrib.seq2seq.release_1_0",
         "tf1.api.contrib.seq2seq", "tf1.api.contrib.legacy_seq2seq", "tf1.api.contrib.crf",
         "tf1.api.contrib.data", "tf1.api.contrib.lookup", "tf1.api.contrib.metrics",
         "tf1.api.contrib.cudnn_rnn",
         "tf1.api.contrib",
         "tf1.api.examples.tutorials.mnist.input_data", "tf1.api.examples.tutorials.mnist",
         "tf1.api.examples.tutorials", "tf1.api.examples", "tf1.api",
         "tf1.converter.checkpoint", "tf1.converter.stack", "tf1.converter.recurrent_region",
         "tf1.converter.ops", "tf1.converter.graph", "tf1.converter",
         "tf1.runner.migration", "tf1.runner.messages", "tf1.runner.numpy1",
         "tf1.runner.flags", "tf1.runner.distributed", "tf1.runner.protobuf3", "tf1.runner.notes",
         "tf1.runner.view",
         "tf1.runner.checklist", "tf1.runner.command", "tf1.runner",
         "tf1.__main__", "tf1"]
TF1_PACKAGES = ("tf1.api", "tf1.converter", "tf1.runner")
TENSORFLOW_FREE = ["options", "config", "data_common", "energy", "digits", "complaints",
                   "bag_of_words", "sine_records", "weights", "baseline",
                   "report", "tags", "tf1.refusal", "tf1.runner.migration",
                   "tf1.runner.messages", "tf1.runner.numpy1",
                   "tf1.api.contrib.training.hparams", "tf1.api.contrib.learn.preprocessing",
                   "tf1.api.contrib.learn.model_fn", "tf1.api.contrib.framework.arg_scope",
                   "tf1.converter.checkpoint"]


def source_file(module):
    """graphrnn/tf1/runner/command.py for "tf1.runner.command"; graphrnn/tf1/__init__.py for
    "tf1"."""
    path = PACKAGE.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def as_module(dotted):
    """"graphrnn.tf1.runner.command" -> "tf1.runner.command"; "graphrnn.tf1" -> "tf1"."""
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


def test_each_tf1_package_docstring_names_each_of_its_modules():
    """A package's __init__ docstring is its table of contents: every module and
    subpackage directly inside it is named at the start of an indented line."""
    import importlib
    packages = [m for m in ORDER if m.startswith("tf1") and source_file(m).name == "__init__.py"]
    for package in packages:
        listed = {line.split()[0] for line in
                  importlib.import_module(f"graphrnn.{package}").__doc__.splitlines()
                  if line.startswith("    ") and line.split()}
        children = {m.rsplit(".", 1)[1] for m in ORDER
                    if m.startswith(package + ".") and m.count(".") == package.count(".") + 1}
        assert children - {"__main__"} <= listed, (package, sorted(children - listed))


def test_the_tf1_wing_is_three_packages_and_its_exception():
    top = {m.split(".")[1] for m in ORDER if m.startswith("tf1.")}
    assert top == {"api", "converter", "runner", "refusal", "__main__"}


def tf1_imports_of(package):
    """{module of the package: the TF1-wing modules it imports}."""
    return {module: {m for m in graphrnn_imports(module) if m.startswith("tf1")}
            for module in ORDER if module == package or module.startswith(package + ".")}


def test_the_rebuilt_api_imports_neither_the_runner_nor_the_converter():
    for module, imported in tf1_imports_of("tf1.api").items():
        assert all(m.startswith("tf1.api") or m == "tf1.refusal" for m in imported), \
            (module, sorted(imported))


def test_the_converter_does_not_import_the_runner():
    for module, imported in tf1_imports_of("tf1.converter").items():
        assert all(m.startswith("tf1.converter") or m == "tf1.refusal" for m in imported), \
            (module, sorted(imported))


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
