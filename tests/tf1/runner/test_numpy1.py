"""graphrnn.tf1.runner.numpy1: NumPy 1 habits kept working in a program's own code, each noted
where first met, and everything else left as Python and NumPy 2 do it."""

import types

import numpy as np
import pytest

from graphrnn.tf1.runner import numpy1


def run(source):
    habits = numpy1.Habits()
    code = compile(numpy1.transform(source, "prog.py"), "prog.py", "exec")
    namespace = {"np": np, **habits.helpers("prog.py")}
    exec(code, namespace)
    return namespace, habits


def test_the_three_habits_work_as_in_numpy_1_and_are_named_with_their_lines():
    namespace, habits = run("a = int(np.array([7]))\nb = float(np.array([[0.5]]))\n"
                            "c = np.array([[1], [2, 3]])\nd = np.float\ne = np.object\n")
    assert (namespace["a"], namespace["b"]) == (7, 0.5)
    assert namespace["c"].dtype == object and namespace["c"][1] == [2, 3]
    assert (namespace["d"], namespace["e"]) == (float, object)
    assert habits.seen == {
        "int() or float() of an array with one element": ("prog.py", 1),
        "np.array of ragged lists": ("prog.py", 3), "np.float": ("prog.py", 4),
        "np.object": ("prog.py", 5)}
    assert habits.summary().startswith("graphrnn-tf1: NumPy 1 habits kept working in this "
                                       "program (int() or float() of an array with one "
                                       "element at prog.py line 1;")


def test_everything_else_is_left_as_it_was():
    namespace, habits = run(
        "a = int('12')\nb = int(*['3'])\nc = float(np.float64(2))\nd = np.array([1, 2])\n"
        "e = types.SimpleNamespace(float=9).float\nf = np.asarray([[1, 2], [3, 4]])\n"
        "import types\n".replace("e = types", "import types\ne = types"))
    assert (namespace["a"], namespace["b"], namespace["c"], namespace["e"]) == (12, 3, 2.0, 9)
    assert namespace["d"].dtype == np.int64 and namespace["f"].shape == (2, 2)
    assert habits.seen == {} and habits.summary() is None
    with pytest.raises(TypeError, match="only 0-dimensional arrays"):
        run("int(np.zeros(2))")  # two elements: an error in NumPy 1 too
    with pytest.raises(ValueError, match="inhomogeneous"):
        run("np.array([[1], [2, 3]], dtype=float)")  # a dtype given: NumPy 1 refused too
    with pytest.raises(AttributeError):
        run("np.no_such_alias_here")


def test_a_shadowed_int_is_the_programs_own():
    namespace, habits = run("def int(x):\n    return 'mine'\nv = int(np.array([1]))\n")
    assert namespace["v"] == "mine" and habits.seen == {}


def test_library_code_is_not_touched(tmp_path):
    """The finder takes only the program's files; a library's module loads as usual."""
    (tmp_path / "mine.py").write_text("x = int(np.array([4]))\nimport numpy as np\n"
                                      .replace("x = ", "import numpy as np\nx = "))
    finder = numpy1.Finder(lambda path: path.startswith(str(tmp_path)), numpy1.Habits())
    assert finder.find_spec("mine", [str(tmp_path)]).loader.__class__ is numpy1.Loader
    assert finder.find_spec("json") is None
    module = types.ModuleType("mine")
    spec = finder.find_spec("mine", [str(tmp_path)])
    spec.loader.exec_module(module)
    assert module.x == 4 and finder.habits.seen
