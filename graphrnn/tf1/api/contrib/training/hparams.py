"""TF 1.15's `tf.contrib.training.HParams` for graphrnn-tf1: named hyperparameters with
types fixed by their first values, overridden from a "name=value,..." string, a dict or
JSON. No TensorFlow here.

    hparams = HParams(learning_rate=0.1, layers=[64, 32], cell="gru")
    hparams.parse("learning_rate=0.3,layers=[128,64]")
    hparams.values()  # {"learning_rate": 0.3, "layers": [128, 64], "cell": "gru"}

The protocol-buffer form (hparam_def, to_proto) is not provided.
"""

import json
import numbers
import re

# one clause of parse(): name, an optional [index], "=", one value or a [list]
CLAUSE = re.compile(r"""
  (?P<name>[a-zA-Z][\w\.]*)
  (\[\s*(?P<index>\d+)\s*\])?
  \s*=\s*
  ((?P<val>[^,\[]*) | \[(?P<vals>[^\]]*)\])
  ($|,\s*)""", re.VERBOSE)


def _cast(name, param_type, value):
    """`value` as `param_type` where TF1 allowed it: no str from non-str, no bool from
    non-bool (or back), no int from a non-integer, no number from a non-number."""
    message = f"Could not cast hparam '{name}' of type '{param_type}' from value {value!r}"
    if type(value) is param_type or issubclass(param_type, type(None)):
        return value
    if issubclass(param_type, (str, bytes)) and not isinstance(value, (str, bytes)):
        raise ValueError(message)
    if issubclass(param_type, bool) != isinstance(value, bool):
        raise ValueError(message)
    if issubclass(param_type, numbers.Integral) and not isinstance(value, numbers.Integral):
        raise ValueError(message)
    if issubclass(param_type, numbers.Number) and not isinstance(value, numbers.Number):
        raise ValueError(message)
    return param_type(value)


def _parser(name, param_type, values):
    """The function that reads one value of `param_type` from text."""
    def fail(text):
        raise ValueError(f"Could not parse hparam '{name}' of type '{param_type.__name__}' "
                         f"with value '{text}' in {values}")

    def parse(text):
        if param_type is bool:
            if text in ("true", "True"):
                return True
            if text in ("false", "False"):
                return False
        try:
            return bool(int(text)) if param_type is bool else param_type(text)
        except ValueError:
            fail(text)
    return parse


def parse_values(values, type_map, ignore_unknown=False):
    """"x=5,L=[1,2],arr[1]=3" -> {"x": 5, "L": [1, 2], "arr": {1: 3}}, each value read
    as type_map gives its name's type. Raises ValueError for malformed text, an unknown
    name (unless ignore_unknown) or a name assigned twice."""
    results, position = {}, 0
    while position < len(values):
        match = CLAUSE.match(values, position)
        if not match:
            raise ValueError(f"Malformed hyperparameter value: {values[position:]}")
        position = match.end()
        name, index = match.group("name"), match.group("index")
        if name not in type_map:
            if ignore_unknown:
                continue
            raise ValueError(f"Unknown hyperparameter type for {name}")
        parse = _parser(name, type_map[name], values)
        if match.group("val") is not None:
            _assign_scalar(results, name, index, parse(match.group("val")), values)
        else:
            if index is not None:
                raise ValueError("Assignment of a list to a list index.")
            if name in results:
                raise ValueError(f"Multiple assignments to variable '{name}' in {values}")
            results[name] = [parse(e) for e in re.split("[ ,]", match.group("vals")) if e]
    return results


def _assign_scalar(results, name, index, value, values):
    if index is None:
        if name in results:
            raise ValueError(f"Multiple assignments to variable '{name}' in {values}")
        results[name] = value
        return
    slots = results.setdefault(name, {})
    if not isinstance(slots, dict) or int(index) in slots:
        raise ValueError(f"Multiple assignments to variable '{name}[{index}]' in {values}")
    slots[int(index)] = value


class HParams:
    """tf.contrib.training.HParams: hyperparameters as attributes, each with the type of
    its first value (for a list, of its first element)."""

    _HAS_DYNAMIC_ATTRIBUTES = True

    def __init__(self, hparam_def=None, model_structure=None, **kwargs):
        if hparam_def is not None:
            raise ValueError("graphrnn-tf1's HParams does not read hparam_def protocol "
                             "buffers: pass the values as keyword arguments")
        self._hparam_types = {}
        self._model_structure = model_structure
        for name, value in kwargs.items():
            self.add_hparam(name, value)

    def add_hparam(self, name, value):
        """A new hyperparameter; its type is its value's (a list's first element's)."""
        if getattr(self, name, None) is not None:
            raise ValueError(f"Hyperparameter name is reserved: {name}")
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError(f"Multi-valued hyperparameters cannot be empty: {name}")
            self._hparam_types[name] = (type(value[0]), True)
        else:
            self._hparam_types[name] = (type(value), False)
        setattr(self, name, value)

    def set_hparam(self, name, value):
        """A new value for an existing hyperparameter, cast to its type. KeyError if it
        does not exist; ValueError if the value does not fit."""
        param_type, is_list = self._hparam_types[name]
        if isinstance(value, list):
            if not is_list:
                raise ValueError(f"Must not pass a list for single-valued parameter: {name}")
            setattr(self, name, [_cast(name, param_type, v) for v in value])
        else:
            if is_list:
                raise ValueError(f"Must pass a list for multi-valued parameter: {name}.")
            setattr(self, name, _cast(name, param_type, value))

    def del_hparam(self, name):
        if hasattr(self, name):
            delattr(self, name)
            del self._hparam_types[name]

    def parse(self, values):
        """Override values from "name=value,name=[v1,v2],...". Returns self."""
        type_map = {name: param_type for name, (param_type, _) in self._hparam_types.items()}
        return self.override_from_dict(parse_values(values, type_map))

    def override_from_dict(self, values_dict):
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    set_from_map = override_from_dict  # its deprecated name

    def set_model_structure(self, model_structure):
        self._model_structure = model_structure

    def get_model_structure(self):
        return self._model_structure

    def to_json(self, indent=None, separators=None, sort_keys=False):
        return json.dumps(self.values(), indent=indent, separators=separators,
                          sort_keys=sort_keys)

    def parse_json(self, values_json):
        return self.override_from_dict(json.loads(values_json))

    def values(self):
        """{name: value} of every hyperparameter."""
        return {name: getattr(self, name) for name in self._hparam_types}

    def get(self, key, default=None):
        """The value of `key`, or `default` if there is none (which must fit its type)."""
        if key not in self._hparam_types:
            return default
        if default is not None:
            param_type, is_list = self._hparam_types[key]
            kind = f"list<{param_type}>" if is_list else str(param_type)
            message = f"Hparam '{key}' of type '{kind}' is incompatible with default={default}"
            if is_list != isinstance(default, list):
                raise ValueError(message)
            try:
                for value in default if is_list else [default]:
                    _cast(key, param_type, value)
            except ValueError as error:
                raise ValueError(f"{message}. {error}") from None
        return getattr(self, key)

    def __contains__(self, key):
        return key in self._hparam_types

    def __str__(self):
        return ",".join(f"{key}={value}" for key, value in self.values().items())

    def __repr__(self):
        return f"{type(self).__name__}({sorted(self.values().items())})"


TRAINING = {"HParams": HParams}  # the names tf.contrib.training gives
