"""TF 1.15's `arg_scope` (tf.contrib.framework, also tf.contrib.layers and slim): default
arguments for decorated layer functions within a `with` block. No TensorFlow here.

    with arg_scope([fully_connected, conv2d], activation_fn=tf.nn.elu):
        net = fully_connected(x, 64)          # activation_fn=tf.nn.elu
        net = fully_connected(net, 10, activation_fn=None)  # an explicit argument wins

Scopes nest (an inner one adds to or overrides the outer one); `arg_scope(scope)` re-enters
a scope captured with `with arg_scope(...) as scope`. A function takes part only if
decorated with `add_arg_scope`; naming another one raises ValueError, as TF1 did.
"""

import contextlib
import functools
import inspect
import threading

_STACK = threading.local()  # .scopes: a list of {function key: {argument: value}}
_DECORATED = set()  # the keys of the functions add_arg_scope decorated


def _scopes():
    if not hasattr(_STACK, "scopes"):
        _STACK.scopes = [{}]
    return _STACK.scopes


def current_arg_scope():
    """The innermost scope: {function key: {argument: default}}."""
    return _scopes()[-1]


def arg_scope_func_key(op):
    return getattr(op, "_key_op", str(op))


def has_arg_scope(func):
    return arg_scope_func_key(func) in _DECORATED


def _name_op(op):
    return (op.__module__, op.__name__)


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Defaults `kwargs` for every function of list_ops_or_scope inside the block, or the
    scope `list_ops_or_scope` (a dict from an earlier arg_scope) again. Yields the scope."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, "
                             "kwargs must be empty.")
        scope = list_ops_or_scope.copy()
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reused "
                            "scope (i.e. dict)")
        scope = current_arg_scope().copy()
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError(f"{_name_op(op)} is not decorated with @add_arg_scope")
            key = arg_scope_func_key(op)
            scope[key] = {**scope.get(key, {}), **kwargs}
    _scopes().append(scope)
    try:
        yield scope
    finally:
        _scopes().pop()


def add_arg_scope(func):
    """Let `func` take its defaults from the current arg_scope; explicit arguments win."""
    key = arg_scope_func_key(func)

    @functools.wraps(func)
    def func_with_args(*args, **kwargs):
        defaults = current_arg_scope().get(key, {})
        return func(*args, **{**defaults, **kwargs})

    _DECORATED.add(key)
    func_with_args._key_op = key  # noqa: SLF001 (TF1's attribute)
    return func_with_args


def arg_scoped_arguments(func):
    """The argument names of a decorated function (TF1: its arg_spec's args)."""
    return [name for name in inspect.signature(func).parameters]


ARG_SCOPE = {"arg_scope": arg_scope, "add_arg_scope": add_arg_scope,
             "has_arg_scope": has_arg_scope, "current_arg_scope": current_arg_scope,
             "arg_scoped_arguments": arg_scoped_arguments}
