"""09_01's images as sequences of rows: scikit-learn's 8x8 handwritten digits (built in) or a
Keras MNIST file, scaled to [0, 1] and split into training, validation and test parts.

No TensorFlow here: arrays in, arrays out.

Usage::

    images = load_images()                    # the digits: 1,797 images of 8 rows of 8
    images = load_images("mnist.npz")         # x_train, y_train, x_test, y_test: 28 x 28
    images.train_x.shape   # (N, rows, columns) float32: one time step per image row
    images.train_y.shape   # (N,) int32 class labels 0..9

Every problem with a file raises DataError (a ValueError) with one sentence.
"""

import dataclasses
import os
import zipfile

import numpy as np

from graphrnn.data_common import DataError

CLASSES = 10
VALIDATION_FRACTION = TEST_FRACTION = 0.15  # the digits' stratified split
MNIST_VALIDATION_FRACTION = 0.1  # cut from the end of MNIST's training images
MNIST_KEYS = ("x_train", "y_train", "x_test", "y_test")


@dataclasses.dataclass(frozen=True)
class Images:
    """Images (N, rows, columns) float32 in [0, 1] and labels (N,) int32, by part."""

    train_x: np.ndarray
    train_y: np.ndarray
    validation_x: np.ndarray
    validation_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    description: str  # where they came from, for the run's first line

    @property
    def shape(self):
        """(rows, columns) of one image: time steps and features per step."""
        return self.train_x.shape[1:]


def load_images(path=None, seed=0):
    """The built-in digits split with `seed`, or the MNIST .npz at `path`."""
    return load_digits(seed) if path is None else load_mnist(path)


def load_digits(seed=0):
    """scikit-learn's 8x8 digits (pixel values 0-16, divided by 16), split 70/15/15 with
    every class in the same proportion in each part (stratified), shuffled by `seed`."""
    from sklearn.datasets import load_digits as sklearn_digits  # ships its own file
    from sklearn.model_selection import train_test_split

    digits = sklearn_digits()
    images = (digits.images / 16.0).astype(np.float32)  # (1797, 8, 8)
    labels = digits.target.astype(np.int32)
    held_out = VALIDATION_FRACTION + TEST_FRACTION
    train_x, rest_x, train_y, rest_y = train_test_split(
        images, labels, test_size=held_out, stratify=labels, random_state=seed)
    validation_x, test_x, validation_y, test_y = train_test_split(
        rest_x, rest_y, test_size=TEST_FRACTION / held_out, stratify=rest_y,
        random_state=seed)
    return Images(train_x, train_y, validation_x, validation_y, test_x, test_y,
                  f"built-in 8x8 digits (scikit-learn, {len(images)} images)")


def load_mnist(path):
    """A Keras MNIST file (mnist.npz): its own test images; the last tenth of its training
    images for validation. Pixels 0-255 are divided by 255."""
    if not os.path.isfile(path):
        raise DataError(f"no such data file: {path}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in MNIST_KEYS if key in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile):
        raise DataError(f"{path} is not a NumPy .npz file") from None
    missing = [key for key in MNIST_KEYS if key not in arrays]
    if missing:
        raise DataError(f"{path} has no {', '.join(missing)}; a Keras MNIST file holds "
                        f"{', '.join(MNIST_KEYS)}")
    for part in ("train", "test"):
        _check_part(path, part, arrays[f"x_{part}"], arrays[f"y_{part}"])
    if arrays["x_train"].shape[1:] != arrays["x_test"].shape[1:]:
        raise DataError(f"{path}: training images are {_size(arrays['x_train'])} but test "
                        f"images {_size(arrays['x_test'])}")
    train_x = (arrays["x_train"] / 255.0).astype(np.float32)
    train_y = arrays["y_train"].astype(np.int32)
    cut = len(train_x) - max(1, int(len(train_x) * MNIST_VALIDATION_FRACTION))
    return Images(train_x[:cut], train_y[:cut], train_x[cut:], train_y[cut:],
                  (arrays["x_test"] / 255.0).astype(np.float32),
                  arrays["y_test"].astype(np.int32),
                  f"{path} ({len(train_x) + len(arrays['x_test'])} images of "
                  f"{_size(train_x)})")


def _size(images):
    return "x".join(str(side) for side in images.shape[1:])


def _check_part(path, part, images, labels):
    """One sentence (DataError) if a part's images or labels cannot be used."""
    if images.ndim != 3 or min(images.shape) < 1:
        raise DataError(f"{path}: x_{part} must hold images as (count, rows, columns), got "
                        f"shape {images.shape}")
    if labels.shape != (len(images),):
        raise DataError(f"{path}: y_{part} must hold one label per image ({len(images)}), got "
                        f"shape {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0 or labels.max() >= CLASSES:
        raise DataError(f"{path}: y_{part} must hold class numbers 0 to {CLASSES - 1}")
    if not np.issubdtype(images.dtype, np.number) or images.min() < 0 or images.max() > 255:
        raise DataError(f"{path}: x_{part} must hold pixel values from 0 to 255")
    if part == "train" and len(np.unique(labels)) < 2:
        raise DataError(f"{path}: y_train holds a single class ({labels[0]}); a classifier "
                        "needs at least two")
