"""Records of different lengths for 05_02: smooth signals, zero-padded at the end.

Each record is a stretch of its own sine wave (random amplitude, period and phase, a
little noise), between MIN_LENGTH_FRACTION of the padded width and the whole width long.
Its target is the wave's value OUTPUT_SEQUENCE_STEPS_AHEAD steps after the record's own
last step, so a model has to read the state at each record's true length: the padding
carries no information. No TensorFlow here.

Usage::

    data = make_records(config, count=4000)
    data.train.inputs   # (N, INPUT_SEQUENCE_LENGTH, 1) float32, zeros past each length
    data.train.lengths  # (N,) int32 in [1, INPUT_SEQUENCE_LENGTH]
"""

import dataclasses

import numpy as np

from graphrnn.data_common import DataError, Windows, check_lengths, split_points

RECORDS = 6000  # the default number of records
QUICK_RECORDS = 900  # --quick
RECORDS_SEED = 2005  # the records are the same for every --seed, like the energy data
MIN_LENGTH_FRACTION = 0.25  # the shortest record spans a quarter of the padded width
NOISE = 0.02  # standard deviation of the noise on every reading


@dataclasses.dataclass(frozen=True)
class RecordData:
    """Train / validation / test records, shaped like graphrnn.energy.EnergyData."""

    features: tuple
    target_columns: tuple
    train: Windows
    validation: Windows
    test: Windows
    unit = ""  # the waves have no physical unit
    scaled = False  # the model sees the records as they are

    def to_units(self, values, target=0):
        """The records are not scaled: their values are already in the signal's units."""
        return np.asarray(values, np.float64)


def make_records(config, count=RECORDS, seed=RECORDS_SEED):
    """count records padded to INPUT_SEQUENCE_LENGTH steps, split like the energy data."""
    width, ahead = config.INPUT_SEQUENCE_LENGTH, config.OUTPUT_SEQUENCE_STEPS_AHEAD
    if count < 3:
        raise DataError(f"05_02 needs at least 3 records to split, got {count}")
    rng = np.random.default_rng(seed)
    shortest = max(1, int(np.ceil(MIN_LENGTH_FRACTION * width)))
    lengths = rng.integers(shortest, width + 1, size=count).astype(np.int32)  # (N,)
    amplitude = rng.uniform(0.5, 1.5, size=(count, 1))
    period = rng.uniform(8.0, 40.0, size=(count, 1))  # in steps
    phase = rng.uniform(0.0, 2 * np.pi, size=(count, 1))
    steps = np.arange(width + ahead)[None, :]  # (1, width + ahead)
    waves = amplitude * np.sin(2 * np.pi * steps / period + phase)  # (N, width + ahead)
    waves += rng.normal(0.0, NOISE, size=waves.shape)

    rows = np.arange(count)
    inputs = np.where(steps[:, :width] < lengths[:, None], waves[:, :width], 0.0)  # (N, width)
    targets = waves[rows, lengths - 1 + ahead]  # (N,): `ahead` steps after the last reading
    last_seen = waves[rows, lengths - 1]  # (N,): persistence
    check_lengths(lengths, width, count)

    def part(index):
        return Windows(inputs[index, :, None].astype(np.float32),  # (n, width, 1)
                       targets[index, None, None].astype(np.float32),  # (n, 1, 1)
                       None, last_seen[index, None, None].astype(np.float32), lengths[index])

    # cut where the energy data is cut; the records are independent, so this is a plain
    # split in the order they were drawn
    validation_start, test_start = split_points(count, config.VALIDATION_FRACTION,
                                                config.TEST_FRACTION)
    parts = np.split(rows, [validation_start, test_start])
    for name, index in zip(("train", "validation", "test"), parts):
        if len(index) == 0:
            raise DataError(f"the {name} part is empty: {count} records are too few to split")
    return RecordData(("signal",), ("signal",), *(part(index) for index in parts))
