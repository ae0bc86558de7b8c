"""What every data module shares (the energy data, 05_02's records, 09_01's digits,
09_02's complaints): the error a data problem raises, one windowed part of a data set,
and where a chronological split cuts. NumPy only.
"""

import dataclasses

import numpy as np


class DataError(ValueError):
    """The data cannot be used as given; the message says why in one sentence."""


def split_points(rows, validation_fraction, test_fraction):
    """(validation_start, test_start): where a chronological split of `rows` rows cuts."""
    test_start = rows - int(round(rows * test_fraction))
    return test_start - int(round(rows * validation_fraction)), test_start


@dataclasses.dataclass(frozen=True)
class Windows:
    """One part of the data, windowed and scaled."""

    inputs: np.ndarray  # (N, INPUT_SEQUENCE_LENGTH, F) float32, scaled
    targets: np.ndarray  # (N, OUTPUT_SEQUENCE_LENGTH, G) float32, scaled
    timestamps: np.ndarray  # (N, OUTPUT_SEQUENCE_LENGTH) datetime64 of each target, or None
    persistence: np.ndarray  # (N, OUTPUT_SEQUENCE_LENGTH, G) last observed target, scaled
    lengths: np.ndarray = None  # (N,) int32 true lengths of zero-padded records (05_02)

    def __len__(self):
        return len(self.inputs)
