"""tf.Summary as TF 1.x's protobuf took it (graphrnn.tf1.runner.protobuf3): a NumPy array
of one element for a float field, noted; the real message class otherwise."""

import numpy as np
import pytest

from graphrnn.compat import v1
from graphrnn.tf1.runner import protobuf3


def test_a_one_element_array_is_a_float_and_the_message_is_the_real_one(monkeypatch):
    seen = []
    monkeypatch.setattr(protobuf3, "notify", seen.append)
    summary = protobuf3.Summary(value=[
        protobuf3.Summary.Value(tag="loss", simple_value=np.array([0.25])),
        protobuf3.Summary.Value(tag="accuracy", simple_value=np.float32(0.5))])
    assert type(summary) is v1.Summary and isinstance(summary, protobuf3.Summary)
    values = [(v.tag, v.simple_value) for v in summary.value]
    assert values == [("loss", 0.25), ("accuracy", 0.5)]
    assert seen == ["a NumPy array as Summary.Value's simple_value"]  # not for a scalar
    again = protobuf3.Summary.FromString(summary.SerializeToString())
    assert again == summary
    with pytest.raises(TypeError, match="has type ndarray"):  # two elements: refused then too
        protobuf3.Summary.Value(tag="loss", simple_value=np.array([0.25, 0.5]))
