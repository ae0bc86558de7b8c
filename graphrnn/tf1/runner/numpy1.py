"""NumPy 1 habits in a TF1 program's own files, kept working for graphrnn-tf1. No
TensorFlow here.

NumPy 2 refuses what NumPy 1 took: `int()` / `float()` of an array with one element, an
`np.array` of ragged lists (an object array in NumPy < 1.24), the aliases `np.float`,
`np.int`, `np.bool`, `np.object`, `np.str`, ..., and the names NumPy 2.0 removed
(`np.float_`, `np.NaN`, `np.product`, `np.lib.pad`, ...). The runner compiles the program's own
files (never a library's) through `transform`, which routes those three forms through
`Habits`' methods: they do what NumPy 1 did and note where, so that the run can say once,
at its end, which habits it met (`Habits.summary`).

    habits = Habits()
    code = compile(transform(source, "model.py"), "model.py", "exec")
    exec(code, {**habits.helpers("model.py"), "__name__": "__main__"})
    print(habits.summary())   # None if the program has none of them
"""

import ast
import builtins
import importlib.machinery
import sys
import types
from pathlib import Path

# np.<alias> that NumPy 1.20 deprecated and 1.24 removed, and what each meant (NumPy 2
# brought np.bool and np.long back as NumPy's own types: those are left to NumPy)
ALIASES = {"float": float, "int": int, "bool": bool, "object": object, "str": str,
           "complex": complex, "long": int, "unicode": str}
# np.<name> that NumPy 2.0 (and 2.x since) removed, by what each meant
REMOVED_IN_2 = {
    "float_": "float64", "complex_": "complex128", "cfloat": "complex128",
    "longfloat": "longdouble", "unicode_": "str_", "string_": "bytes_", "int0": "intp",
    "uint0": "uintp", "bool8": "bool_", "object0": "object_", "str0": "str_",
    "bytes0": "bytes_", "NaN": "nan", "NAN": "nan", "Inf": "inf", "PINF": "inf",
    "infty": "inf", "Infinity": "inf", "product": "prod", "cumproduct": "cumprod",
    "sometrue": "any", "alltrue": "all", "round_": "round", "mat": "asmatrix",
    "in1d": "isin", "trapz": "trapezoid"}
REMOVED_IN_2_BY_HAND = {  # those that were not plain renames
    "NINF": lambda np: -np.inf,
    "asfarray": lambda np: lambda a, dtype=np.float64: np.asarray(
        a, dtype if np.issubdtype(dtype, np.inexact) else np.float64),
    "msort": lambda np: lambda a: np.sort(a, axis=0)}
LIB_REMOVED_IN_2 = {"pad": "pad"}  # np.lib.pad: np.pad
NUMPY_NAMES = set(ALIASES) | set(REMOVED_IN_2) | set(REMOVED_IN_2_BY_HAND)
SCALAR, ALIAS, ARRAY = "__graphrnn_scalar__", "__graphrnn_alias__", "__graphrnn_array__"


class Habits:
    """Does what NumPy 1 did, and remembers each habit's first place. From
    print_as_numpy_1() to close(), NumPy prints scalars as NumPy 1 did (`[5, 22]`, where
    NumPy 2 prints `[np.int32(5), np.int32(22)]`), so a program prints what its author
    saw."""

    def __init__(self):
        self.seen = {}  # habit -> (file, line) where first met
        self._printing = None  # NumPy's print options before print_as_numpy_1()

    def print_as_numpy_1(self):
        numpy = sys.modules.get("numpy") or __import__("numpy")
        self._printing = numpy.get_printoptions()
        numpy.set_printoptions(legacy="1.25")

    def close(self):
        """NumPy's own printing back."""
        if self._printing is not None:
            sys.modules["numpy"].set_printoptions(**self._printing)
            self._printing = None

    def _note(self, habit, filename, line):
        self.seen.setdefault(habit, (Path(filename).name, line))

    def helpers(self, filename):
        """The names transform()'s code calls, for a module's globals."""
        return {SCALAR: lambda convert, value, line: self.scalar(convert, value, filename, line),
                ALIAS: lambda module, name, line: self.alias(module, name, filename, line),
                ARRAY: lambda make, line, *args, **kwargs: self.array(
                    make, filename, line, *args, **kwargs)}

    def scalar(self, convert, value, filename, line):
        """int(x) / float(x); of a one-element array, of its element, as NumPy 1."""
        if convert in (int, float) and getattr(value, "ndim", 0) > 0 and \
                getattr(value, "size", 0) == 1 and hasattr(value, "item"):
            self._note("int() or float() of an array with one element", filename, line)
            return convert(value.item())
        return convert(value)

    def alias(self, module, name, filename, line):
        """module.name; numpy's removed aliases as what they stood for."""
        # vars(), not hasattr: numpy's module __getattr__ warns about these names
        owner = getattr(module, "__name__", None)
        if owner not in ("numpy", "numpy.lib") or name in vars(module):
            return getattr(module, name)
        numpy = sys.modules["numpy"]
        if owner == "numpy" and name in ALIASES:
            value = ALIASES[name]
        elif owner == "numpy" and name in REMOVED_IN_2:
            value = getattr(numpy, REMOVED_IN_2[name])
        elif owner == "numpy" and name in REMOVED_IN_2_BY_HAND:
            value = REMOVED_IN_2_BY_HAND[name](numpy)
        elif owner == "numpy.lib" and name in LIB_REMOVED_IN_2:
            value = getattr(numpy, LIB_REMOVED_IN_2[name])
        else:
            return getattr(module, name)
        self._note(f"{'np' if owner == 'numpy' else 'np.lib'}.{name}", filename, line)
        return value

    def array(self, make, filename, line, *args, **kwargs):
        """np.array / np.asarray; of ragged lists, an object array, as NumPy 1."""
        try:
            return make(*args, **kwargs)
        except ValueError as error:
            if ("inhomogeneous" not in str(error) or kwargs.get("dtype") is not None
                    or not getattr(make, "__module__", "").startswith("numpy")):
                raise
        self._note("np.array of ragged lists", filename, line)
        return make(*args, dtype=object, **kwargs)

    def summary(self):
        """One line naming each habit met and where, or None."""
        if not self.seen:
            return None
        places = "; ".join(f"{habit} at {filename} line {line}"
                           for habit, (filename, line) in self.seen.items())
        return (f"graphrnn-tf1: NumPy 1 habits kept working in this program ({places}); "
                "NumPy 2 refuses them (graphrnn-tf1 --numpy2 runs without this)")


class _Rewrite(ast.NodeTransformer):
    """int(x), float(x), <name>.<alias> and <name>.array(...) / .asarray(...) through
    the Habits helpers; every other node as it was."""

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if (isinstance(func, ast.Name) and func.id in ("int", "float")
                and len(node.args) == 1 and not node.keywords
                and not isinstance(node.args[0], ast.Starred)):
            return self._call(node, SCALAR, [func, node.args[0]])
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.attr in ("array", "asarray")):
            return ast.copy_location(ast.Call(
                func=ast.Name(ARRAY, ast.Load()),
                args=[func, ast.Constant(node.lineno), *node.args], keywords=node.keywords),
                node)
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load) and (
                isinstance(node.value, ast.Name) and node.attr in NUMPY_NAMES
                or isinstance(node.value, ast.Attribute) and node.value.attr == "lib"
                and node.attr in LIB_REMOVED_IN_2):
            return self._call(node, ALIAS, [node.value, ast.Constant(node.attr)])
        return node

    @staticmethod
    def _call(node, helper, args):
        return ast.copy_location(ast.Call(func=ast.Name(helper, ast.Load()),
                                          args=[*args, ast.Constant(node.lineno)],
                                          keywords=[]), node)


def transform(source, filename):
    """The module's AST with the three habits routed through Habits' helpers."""
    tree = _Rewrite().visit(ast.parse(source, filename))
    return ast.fix_missing_locations(tree)


class Loader(importlib.machinery.SourceFileLoader):
    """Imports a user's module through transform(), its helpers in its globals; never
    reads or writes cached bytecode (so neither the transformed code nor Python's own
    goes stale)."""

    def __init__(self, fullname, path, habits):
        super().__init__(fullname, path)
        self.habits = habits

    def get_code(self, fullname):
        source = self.get_data(self.path)
        return compile(transform(source, self.path), self.path, "exec", dont_inherit=True)

    def exec_module(self, module):
        module.__dict__.update(self.habits.helpers(self.path))
        super().exec_module(module)


class Finder:
    """A sys.meta_path finder: the user's own modules load through Loader."""

    def __init__(self, is_user_file, habits):
        self.is_user_file, self.habits = is_user_file, habits

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if (spec is None or not spec.origin or not spec.origin.endswith(".py")
                or not self.is_user_file(spec.origin)):
            return None
        spec.loader = Loader(fullname, spec.origin, self.habits)
        return spec


def run_main(path, habits):
    """Run a script as __main__ through transform() (what runpy.run_path does, with
    the helpers in its globals). Returns its globals."""
    source = Path(path).read_bytes()
    code = compile(transform(source, str(path)), str(path), "exec", dont_inherit=True)
    module = types.ModuleType("__main__")
    module.__dict__.update(__file__=str(path), __builtins__=builtins, __cached__=None,
                           __loader__=None, __package__=None, __spec__=None,
                           **habits.helpers(str(path)))
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    try:
        exec(code, module.__dict__)
    finally:
        if saved is None:
            sys.modules.pop("__main__", None)
        else:
            sys.modules["__main__"] = saved
    return module.__dict__
