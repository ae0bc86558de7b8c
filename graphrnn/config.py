"""Hyperparameters of the chapter 4 tutorial models, under the tutorial's own names.

Usage::

    config = Config(RNN_LAYERS=[{"units": 32, "keep_prob": 0.9}], EPOCHS=5)
    config.RNN_LAYERS[0]["units"]  # 32

A bad value raises ConfigError (a ValueError) naming the field and the value.
"""

import dataclasses
import math
from collections.abc import Mapping
from types import MappingProxyType


STATIC_UNROLL_MAX_STEPS = 96  # UNROLL="auto" unrolls statically up to this window length


class ConfigError(ValueError):
    """A hyperparameter has a value that cannot work."""


def _layer(index, spec):
    """Return one RNN_LAYERS entry as a read-only mapping {"units", "keep_prob"}."""
    if not isinstance(spec, Mapping) or "units" not in spec:
        raise ConfigError(
            f'RNN_LAYERS[{index}] must be a dict like {{"units": 32, "keep_prob": 1.0}}, '
            f"got {spec!r}"
        )
    unknown = set(spec) - {"units", "keep_prob"}
    if unknown:
        raise ConfigError(f"RNN_LAYERS[{index}] has unknown keys {sorted(unknown)}")
    units, keep_prob = spec["units"], spec.get("keep_prob", 1.0)
    if isinstance(units, bool) or not isinstance(units, int) or units < 1:
        raise ConfigError(f'RNN_LAYERS[{index}]["units"] must be an integer >= 1, got {units!r}')
    if not _is_number(keep_prob) or not 0.0 < keep_prob <= 1.0:
        raise ConfigError(f'RNN_LAYERS[{index}]["keep_prob"] must be in (0, 1], got {keep_prob!r}')
    return MappingProxyType({"units": units, "keep_prob": float(keep_prob)})


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclasses.dataclass(frozen=True)
class Config:
    """Hyperparameters; defaults are the tutorial-sized model that trains in about a minute."""

    INPUT_SEQUENCE_LENGTH: int = 24  # 4 hours of 10-minute readings
    OUTPUT_SEQUENCE_LENGTH: int = 1
    OUTPUT_SEQUENCE_STEPS_AHEAD: int = 6  # predict the reading one hour after the window
    RNN_LAYERS: tuple = ({"units": 32, "keep_prob": 1.0}, {"units": 16, "keep_prob": 1.0})
    DROPOUT_RATE: float = 0.1  # tf.layers.dropout before the output layer
    REGULARISATION_SCALE: float = 0.001  # 04_03: scale * sum(w^2) / 2 on the dense kernel
    INITIAL_LEARNING_RATE: float = 0.05
    LEARNING_RATE_DECAY_STEPS: int = 2000
    LEARNING_RATE_DECAY_RATE: float = 0.8
    BATCH_SIZE: int = 64
    EPOCHS: int = 20
    VALIDATION_FRACTION: float = 0.15  # chronological: train, then validation, then test
    TEST_FRACTION: float = 0.15
    SEED: int = 0
    # the data columns the network reads, besides the calendar; () for every numeric
    # column, as the tutorial did
    INPUT_COLUMNS: tuple = ()
    # hour of day and day of week as sine/cosine input columns (graphrnn.energy.CALENDAR)
    CALENDAR_FEATURES: bool = False
    # "sgd" (the chapter 4 tutorial's GradientDescentOptimizer) or "adam" (AdamOptimizer)
    OPTIMIZER: str = "sgd"
    # "static" (static_rnn: faster steps, but its graph takes long to build for long
    # windows), "dynamic" (the tutorial's dynamic_rnn) or "auto": static up to 96 steps.
    UNROLL: str = "auto"
    # TensorFlow's graph optimizer (Grappler): "on", "off", or "auto": off for the models
    # whose GRU cells sit in a DropoutWrapper under tf.cond (04_02, 04_03), see graph_holder.py.
    GRAPPLER: str = "auto"

    def __post_init__(self):
        layers = self.RNN_LAYERS
        if isinstance(layers, Mapping) or not isinstance(layers, (list, tuple)) or not layers:
            raise ConfigError(f"RNN_LAYERS must be a non-empty list of layer dicts, got {layers!r}")
        object.__setattr__(self, "RNN_LAYERS", tuple(_layer(i, s) for i, s in enumerate(layers)))

        for name in ("INPUT_SEQUENCE_LENGTH", "OUTPUT_SEQUENCE_LENGTH",
                     "OUTPUT_SEQUENCE_STEPS_AHEAD", "LEARNING_RATE_DECAY_STEPS",
                     "BATCH_SIZE", "EPOCHS"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be an integer >= 1, got {value!r}")
        if isinstance(self.SEED, bool) or not isinstance(self.SEED, int) or self.SEED < 0:
            raise ConfigError(f"SEED must be an integer >= 0, got {self.SEED!r}")

        columns = self.INPUT_COLUMNS
        if isinstance(columns, str) or not isinstance(columns, (list, tuple)) or not all(
                isinstance(name, str) and name for name in columns):
            raise ConfigError(f"INPUT_COLUMNS must be a list of column names (empty: every "
                              f"numeric column), got {columns!r}")
        object.__setattr__(self, "INPUT_COLUMNS", tuple(columns))
        if not isinstance(self.CALENDAR_FEATURES, bool):
            raise ConfigError(f"CALENDAR_FEATURES must be True or False, got "
                              f"{self.CALENDAR_FEATURES!r}")
        if self.OPTIMIZER not in ("sgd", "adam"):
            raise ConfigError(f'OPTIMIZER must be "sgd" or "adam", got {self.OPTIMIZER!r}')
        if self.UNROLL not in ("auto", "static", "dynamic"):
            raise ConfigError(f'UNROLL must be "auto", "static" or "dynamic", got {self.UNROLL!r}')
        if self.GRAPPLER not in ("auto", "on", "off"):
            raise ConfigError(f'GRAPPLER must be "auto", "on" or "off", got {self.GRAPPLER!r}')
        self._check_range("DROPOUT_RATE", 0.0, 1.0, low_open=False, high_open=True)
        self._check_range("REGULARISATION_SCALE", 0.0, math.inf, low_open=False)
        self._check_range("INITIAL_LEARNING_RATE", 0.0, math.inf)
        self._check_range("LEARNING_RATE_DECAY_RATE", 0.0, math.inf)
        self._check_range("VALIDATION_FRACTION", 0.0, 1.0)
        self._check_range("TEST_FRACTION", 0.0, 1.0)
        if self.VALIDATION_FRACTION + self.TEST_FRACTION >= 1.0:
            raise ConfigError(
                "VALIDATION_FRACTION + TEST_FRACTION must leave rows for training, got "
                f"{self.VALIDATION_FRACTION} + {self.TEST_FRACTION}"
            )

    def _check_range(self, name, low, high, low_open=True, high_open=True):
        """Raise ConfigError unless getattr(self, name) is a finite number in the range."""
        value = getattr(self, name)
        below = value <= low if low_open else value < low
        above = value >= high if high_open else value > high
        if not _is_number(value) or below or above:
            bounds = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
            raise ConfigError(f"{name} must be a number in {bounds}, got {value!r}")

    @property
    def UNROLLING(self):
        """The unrolling UNROLL stands for: "static" or "dynamic"."""
        if self.UNROLL != "auto":
            return self.UNROLL
        return "static" if self.INPUT_SEQUENCE_LENGTH <= STATIC_UNROLL_MAX_STEPS else "dynamic"

    def replace(self, **changes):
        """Return a copy with some fields changed (and checked again)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self):
        """Plain-JSON view, for metrics.json."""
        values = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        values["RNN_LAYERS"] = [dict(layer) for layer in self.RNN_LAYERS]
        values["INPUT_COLUMNS"] = list(self.INPUT_COLUMNS)
        return values
