"""tf.contrib.training.HParams as graphrnn-tf1 rebuilds it: TF 1.15's parsing and typing
rules."""

import json

import pytest

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
