"""What every data module shares (the energy data, 05_02's records, 09_01's digits,
09_02's complaints): the error a data problem raises, one windowed part of a data set,
where a chronological split cuts, and the check of zero-padded records' lengths. NumPy
only.
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


def check_lengths(lengths, width, count=None):
    """Raise DataError unless lengths is a (count,) array of integers in [1, width]."""
    lengths = np.asarray(lengths)
    if lengths.ndim != 1 or (count is not None and len(lengths) != count):
        raise DataError(f"sequence lengths must be one number per record ({count}), "
                        f"got an array of shape {lengths.shape}")
    if not np.issubdtype(lengths.dtype, np.integer):
        raise DataError(f"sequence lengths must be integers, got {lengths.dtype}")
    bad = np.flatnonzero((lengths < 1) | (lengths > width))
    if len(bad):
        raise DataError(
            f"record {bad[0]} has sequence length {lengths[bad[0]]}, but a length must be "
            f"between 1 and the padded width {width}")
