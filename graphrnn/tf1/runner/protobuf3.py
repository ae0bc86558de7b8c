"""tf.Summary as TF 1.x's protobuf took it: a float field given a NumPy array of one
element (a loss fetched with shape (1,) or ()) took its value; today's protobuf refuses it
("has type ndarray, but expected one of: float"). Summary here makes the real tf.Summary
and tf.Summary.Value, such values turned into floats and reported through `notify`.

    Summary(value=[Summary.Value(tag="loss", simple_value=np.array([0.5]))])
"""

import numpy as np

from graphrnn.compat import v1


def notify(description):
    """Replaced by the runner to note the habit in use."""


def Value(*args, **fields):
    """tf.Summary.Value(tag=..., simple_value=...), a one-element array taken as a float."""
    value = fields.get("simple_value")
    if isinstance(value, np.ndarray) and value.size == 1:
        notify("a NumPy array as Summary.Value's simple_value")
        fields["simple_value"] = float(value.item())
    return v1.Summary.Value(*args, **fields)


class _RealSummary(type):
    """The class attributes and isinstance of the real tf.Summary."""

    def __getattr__(cls, name):
        return getattr(v1.Summary, name)

    def __instancecheck__(cls, instance):
        return isinstance(instance, v1.Summary)


class Summary(metaclass=_RealSummary):
    """tf.Summary(...): the real message; its Value taking what TF 1.x's protobuf took."""
    Value = staticmethod(Value)

    def __new__(cls, *args, **fields):
        return v1.Summary(*args, **fields)
