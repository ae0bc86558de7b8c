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
    try:
        exec(code, namespace)
    finally:
        habits.close()
    return namespace, habits


def test_numpy_prints_scalars_as_numpy_1_while_the_habits_are_open():
    before = np.get_printoptions()
    habits = numpy1.Habits()
    habits.print_as_numpy_1()
    try:
        assert str([np.int32(5), np.float64(0.5)]) == "[5, 0.5]"  # what the author saw
    finally:
        habits.close()
    assert str([np.int32(5)]) == "[np.int32(5)]" and np.get_printoptions() == before


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


def test_names_numpy_2_removed_are_what_numpy_1_had():
    namespace, habits = run(
        "a = np.lib.pad(np.ones(2), 1, 'constant')\nb = np.float_(2)\nc = np.NaN\n"
        "d = np.product([2, 3])\ne = np.asfarray([1, 2])\nf = np.NINF\n"
        "g = np.msort(np.array([[3, 1], [2, 4]]))\nh = np.in1d([1, 5], [5])\n"
        "i = np.string_(b'x')\nj = np.pad(np.ones(1), 1)\nk = np.float64(1)\n")
    np.testing.assert_array_equal(namespace["a"], [0, 1, 1, 0])
    assert type(namespace["b"]) is np.float64 and np.isnan(namespace["c"])
    assert namespace["d"] == 6 and namespace["e"].dtype == np.float64
    assert namespace["f"] == -np.inf
    np.testing.assert_array_equal(namespace["g"], [[2, 1], [3, 4]])  # sorted down axis 0
    np.testing.assert_array_equal(namespace["h"], [False, True])
    assert type(namespace["i"]) is np.bytes_
    assert list(habits.seen) == ["np.lib.pad", "np.float_", "np.NaN", "np.product",
                                 "np.asfarray", "np.NINF", "np.msort", "np.in1d", "np.string_"]
    assert habits.seen["np.lib.pad"] == ("prog.py", 1)


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
