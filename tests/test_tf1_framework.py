"""The small contrib families graphrnn-tf1 gives TF1 programs: contrib.training.HParams
(TF 1.15's parsing and typing rules), contrib.framework's nest, global step, checkpoint
readers and variable lookups, contrib.learn.ModeKeys and contrib.data's transformations."""

import json

import numpy as np
import pytest

from graphrnn.compat import tf, v1
from graphrnn.tf1.api.contrib.framework import variables as framework
from graphrnn.tf1.runner import view
from graphrnn.tf1.api.contrib.training.hparams import HParams, parse_values


def test_hparams_hold_typed_values_and_parse_overrides():
    hparams = HParams(learning_rate=0.1, units=64, cell="gru", residual=False,
                      layers=[32, 16])
    assert hparams.learning_rate == 0.1 and hparams.layers == [32, 16]
    hparams.parse("learning_rate=1,cell=lstm,residual=true,layers=[8, 4,2]")
    assert hparams.values() == {"learning_rate": 1.0, "units": 64, "cell": "lstm",
                                "residual": True, "layers": [8, 4, 2]}
    assert type(hparams.learning_rate) is float  # an int is cast to the float type
    assert "units" in hparams and "dropout" not in hparams
    assert hparams.get("dropout", 0.5) == 0.5 and hparams.get("units") == 64
    hparams.add_hparam("dropout", 0.2)
    hparams.parse_json(json.dumps({"dropout": 0.3}))
    assert json.loads(hparams.to_json(sort_keys=True))["dropout"] == 0.3
    assert str(HParams(a=1, b="x")) == "a=1,b=x"
    assert repr(HParams(b=2, a=1)) == "HParams([('a', 1), ('b', 2)])"
    hparams.del_hparam("dropout")
    assert "dropout" not in hparams and not hasattr(hparams, "dropout")


@pytest.mark.parametrize("text, message", [
    ("units=1.5", "Could not parse hparam 'units' of type 'int' with value '1.5'"),
    ("units=1,units=2", "Multiple assignments to variable 'units'"),
    ("depth=3", "Unknown hyperparameter type for depth"),
    ("units[0]=[1]", "Assignment of a list to a list index"),
    ("units=", "Could not parse hparam 'units'"),
    ("=3", "Malformed hyperparameter value: =3"),
])
def test_hparams_parse_refuses_what_tf1_refused(text, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        HParams(units=64, rate=0.1).parse(text)


def test_hparams_type_rules():
    hparams = HParams(units=64, name="a", flag=True, sizes=[1, 2])
    for name, value, message in [
            ("units", 1.5, "Could not cast hparam 'units'"),
            ("name", 3, "Could not cast hparam 'name'"),
            ("flag", 1, "Could not cast hparam 'flag'"),
            ("units", [1], "Must not pass a list for single-valued parameter"),
            ("sizes", 3, "Must pass a list for multi-valued parameter")]:
        with pytest.raises(ValueError, match=message):
            hparams.set_hparam(name, value)
    with pytest.raises(KeyError):
        hparams.set_hparam("depth", 1)
    with pytest.raises(ValueError, match="Hyperparameter name is reserved: values"):
        HParams(values=1)
    with pytest.raises(ValueError, match="Multi-valued hyperparameters cannot be empty"):
        HParams(sizes=[])
    with pytest.raises(ValueError, match="is incompatible with default=x"):
        hparams.get("units", "x")
    assert parse_values("x=5,L=[1,2],arr[1]=3", {"x": int, "L": int, "arr": int}) == {
        "x": 5, "L": [1, 2], "arr": {1: 3}}
    assert parse_values("x=5,y=2", {"x": int}, ignore_unknown=True) == {"x": 5}
    assert parse_values("on=0,off=False", {"on": bool, "off": bool}) == {"on": False,
                                                                         "off": False}


def test_framework_variables_global_step_and_checkpoint_readers(tmp_path):
    with tf.Graph().as_default():
        with v1.variable_scope("encoder"):
            kernel = v1.get_variable("kernel", [2, 3])
            v1.get_variable("bias", [3])
        with v1.variable_scope("decoder"):
            v1.get_variable("kernel", [3, 1])
        step = framework.FRAMEWORK["get_or_create_global_step"]()
        assert step.op.name == "global_step"
        assert framework.FRAMEWORK["get_global_step"]() is step
        names = lambda variables: [v.op.name for v in variables]  # noqa: E731
        assert names(framework.get_variables("encoder")) == ["encoder/kernel", "encoder/bias"]
        assert names(framework.get_variables_by_name("kernel")) == [
            "encoder/kernel", "decoder/kernel"]
        assert names(framework.get_variables_to_restore(exclude=["encoder", "global"])) == [
            "decoder/kernel"]
        assert names(framework.get_trainable_variables(suffix="bias")) == ["encoder/bias"]
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            saved = session.run(kernel)
            v1.train.Saver().save(session, str(tmp_path / "model.ckpt"))
    prefix = str(tmp_path / "model.ckpt")
    assert ("encoder/kernel", [2, 3]) in framework.FRAMEWORK["list_variables"](prefix)
    reader = framework.FRAMEWORK["load_checkpoint"](prefix)
    np.testing.assert_array_equal(reader.get_tensor("encoder/kernel"), saved)


def test_nest_modekeys_and_data_under_their_tf1_names():
    root = view.tf1_namespace()
    nest = root.contrib.framework.nest
    assert nest.is_sequence((1, 2)) and not nest.is_sequence(1)
    assert nest.map_structure(lambda x: x * 2, {"a": (1, 2)}) == {"a": (2, 4)}
    assert nest.flatten({"b": [1, 2], "a": 3}) == [3, 1, 2]
    keys = root.contrib.learn.ModeKeys
    assert (keys.TRAIN, keys.EVAL, keys.INFER) == ("train", "eval", "infer")
    assert root.contrib.training.HParams is HParams
    with pytest.raises(view.RemovedSymbol):
        root.contrib.learn.DNNClassifier
    dataset = tf.data.Dataset.range(10).apply(root.contrib.data.group_by_window(
        key_func=lambda x: x % 2, reduce_func=lambda key, window: window.batch(5),
        window_size=5))
    batches = sorted(sorted(b.tolist()) for b in dataset.as_numpy_iterator())
    assert batches == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]
    dropped = tf.data.Dataset.range(7).apply(root.contrib.data.batch_and_drop_remainder(3))
    assert [b.tolist() for b in dropped.as_numpy_iterator()] == [[0, 1, 2], [3, 4, 5]]
