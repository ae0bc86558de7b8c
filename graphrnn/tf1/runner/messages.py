"""Sentences for what stops a TF1 script on today's Python and NumPy. No TensorFlow here.

    Refusal(sentence)                  (graphrnn.tf1.refusal) exit status 2, no traceback
    python2_syntax(source)             "line 3 is Python 2 syntax: print x; ..." or None
    known_change(error)                "int() or float() of a NumPy array ..." or None

A script written for Python 2 cannot run at all, so the runner refuses it before it starts
(exit status 2). An error that a known NumPy 2 or Python 3 change causes is still the
script's own: the runner prints its traceback, then the sentence (exit status 1).
"""

import re
import warnings

from graphrnn.tf1.refusal import Refusal  # noqa: F401  (the runner's parts raise it)


# Python 2 statements that Python 3 reads as syntax errors: (pattern on the line, what
# it is, what Python 3 writes instead)
PYTHON2_STATEMENTS = [
    (re.compile(r"^\s*print\s*>>"), "print >>file, x", "print(x, file=file)"),
    (re.compile(r"^\s*print(\s+[^\s=(]|\s*$)"), "print x", "print(x)"),
    (re.compile(r"^\s*exec\s+[\"'\w]"), "exec code", "exec(code)"),
    (re.compile(r"^\s*except\s+[\w.]+\s*,\s*\w+\s*:"), "except Error, e:",
     "except Error as e:"),
    (re.compile(r"^\s*raise\s+[\w.]+\s*,"), "raise Error, message", "raise Error(message)"),
    (re.compile(r"`[^`]+`"), "`x` (backquotes)", "repr(x)"),
    (re.compile(r"\b0[0-7]+\b"), "an octal literal like 0777", "0o777"),
    (re.compile(r"\bur[\"']"), "a ur'' string", "r''"),
]


def python2_syntax(source):
    """A sentence naming the line and the Python 2 construct, when `source` does not
    compile as Python 3 because of one; else None (valid code, or another error)."""
    try:
        with warnings.catch_warnings():  # the run itself shows the script's warnings, once
            warnings.simplefilter("ignore")
            compile(source, "<script>", "exec")
    except SyntaxError as error:
        line = (source.splitlines()[error.lineno - 1:error.lineno] or [""])[0]
        for pattern, old, new in PYTHON2_STATEMENTS:
            if pattern.search(line):
                return (f"line {error.lineno} is Python 2 syntax ({old}), which Python 3 "
                        f"cannot run: write {new} there (2to3 or futurize converts a whole "
                        f"script)")
    return None


# Errors whose message shows a known change: (exception type name, pattern on the message,
# what changed, what to write instead)
KNOWN_CHANGES = [
    ("TypeError", re.compile(r"only (0-dimensional|length-1|size-1) arrays can be converted"),
     "int() or float() of a NumPy array with one element, which NumPy 2 refuses (NumPy 1.25 "
     "deprecated it)", "take the element first: int(x.item()), int(x[0]) or float(x.squeeze())"),
    ("AttributeError", re.compile(r"module 'numpy' has no attribute '(float|int|bool|object|"
                                  r"str|long|unicode|complex)'"),
     "np.{0}, an alias NumPy 1.24 removed", "write the built-in {0} (or np.{0}64 / np.{0}_)"),
    ("TypeError", re.compile(r"unsupported operand type\(s\) for >>: "
                             r"'builtin_function_or_method'"),
     "print >>file, x, Python 2's print statement", "write print(x, file=file)"),
    ("AttributeError", re.compile(r"'str' object has no attribute '(decode)'"),
     "str.decode, which Python 3's str lacks (Python 2's str was bytes, so programs "
     "decoded what they read)", "drop the .decode(...): the text is already str"),
    ("NameError", re.compile(r"name '(xrange)' is not defined"),
     "xrange, which Python 3 renamed", "write range"),
    ("NameError", re.compile(r"name '(raw_input)' is not defined"),
     "raw_input, which Python 3 renamed", "write input"),
    ("NameError", re.compile(r"name '(unicode|basestring)' is not defined"),
     "{0}, which Python 3 replaced by str", "write str"),
    ("NameError", re.compile(r"name '(reduce)' is not defined"),
     "reduce, which Python 3 moved", "import it: from functools import reduce"),
    ("AttributeError", re.compile(r"object has no attribute '(iteritems|itervalues|iterkeys|"
                                  r"has_key)'"),
     "dict.{0}, which Python 3 removed", "write items() / values() / keys(), or `key in d`"),
    ("ModuleNotFoundError", re.compile(r"No module named '(cPickle|urllib2|Queue|"
                                       r"ConfigParser|StringIO)'"),
     "the Python 2 module {0}", "import its Python 3 name (pickle, urllib.request, queue, "
                                "configparser, io)"),
]


def known_change(error):
    """What known NumPy 2 / Python 3 change the error shows, and the fix, as the middle of
    a sentence ("uses ..., which ...; take ..."); None when it shows none."""
    for type_name, pattern, change, fix in KNOWN_CHANGES:
        match = pattern.search(str(error))
        if type(error).__name__ == type_name and match:
            name = match.group(1) if match.groups() else ""
            return f"{change.format(name)}; {fix.format(name)}"
    return None
