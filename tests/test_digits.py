"""09_01's images: the built-in digits' stratified split, the MNIST file reader, and the
one-sentence error for every file it cannot use."""

import numpy as np
import pytest

from graphrnn import digits
from graphrnn.data_common import DataError


def test_built_in_digits_split_by_class_and_scaled_to_one():
    images = digits.load_digits(seed=0)
    parts = [(images.train_x, images.train_y), (images.validation_x, images.validation_y),
             (images.test_x, images.test_y)]
    assert [len(x) for x, _ in parts] == [1257, 270, 270]  # 1,797 images, 70/15/15
    assert images.shape == (8, 8) and images.train_x.dtype == np.float32
    everything = np.concatenate([x for x, _ in parts])
    assert everything.min() == 0.0 and everything.max() == 1.0  # 0..16, divided by 16
    # no image in two parts
    flat = {image.tobytes() for image in everything}
    assert len(flat) >= 1790  # (the digits hold a few duplicate images of their own)
    # stratified: each part holds every class in about the whole set's proportion
    whole = np.bincount(np.concatenate([y for _, y in parts]), minlength=10) / len(everything)
    for x, y in parts:
        share = np.bincount(y, minlength=10) / len(y)
        np.testing.assert_allclose(share, whole, atol=0.01)
    assert "built-in 8x8 digits" in images.description


def test_the_seed_decides_the_split():
    a, b, c = digits.load_digits(1), digits.load_digits(1), digits.load_digits(2)
    np.testing.assert_array_equal(a.test_x, b.test_x)
    assert not np.array_equal(a.test_y, c.test_y)


def fake_mnist(path, train=50, test=20, size=28, **changes):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (train, size, size), np.uint8),
              "y_train": rng.integers(0, 10, train).astype(np.uint8),
              "x_test": rng.integers(0, 256, (test, size, size), np.uint8),
              "y_test": rng.integers(0, 10, test).astype(np.uint8)}
    arrays.update(changes)
    np.savez(path, **{key: value for key, value in arrays.items() if value is not None})
    return arrays


def test_an_mnist_file_keeps_its_test_set_and_cuts_validation_from_training(tmp_path):
    arrays = fake_mnist(tmp_path / "mnist.npz")
    images = digits.load_images(str(tmp_path / "mnist.npz"))
    assert (len(images.train_x), len(images.validation_x), len(images.test_x)) == (45, 5, 20)
    assert images.shape == (28, 28)
    np.testing.assert_allclose(images.test_x, arrays["x_test"] / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(images.validation_y, arrays["y_train"][45:])
    assert images.train_y.dtype == np.int32
    assert images.description.endswith("(70 images of 28x28)")


@pytest.mark.parametrize("changes, message", [
    ({"y_test": None}, "has no y_test; a Keras MNIST file holds x_train, y_train"),
    ({"x_train": np.zeros((50, 28), np.uint8)}, "x_train must hold images as (count, rows, "
                                                "columns), got shape (50, 28)"),
    ({"y_train": np.zeros(49, np.uint8)}, "y_train must hold one label per image (50)"),
    ({"y_train": np.full(50, 12, np.uint8)}, "y_train must hold class numbers 0 to 9"),
    ({"y_train": np.full(50, 3, np.uint8)}, "y_train holds a single class (3)"),
    ({"x_test": np.full((20, 28, 28), 300.0)}, "x_test must hold pixel values from 0 to 255"),
    ({"x_test": np.zeros((20, 8, 8), np.uint8)}, "training images are 28x28 but test images 8x8"),
])
def test_a_file_it_cannot_use_gets_one_sentence(tmp_path, changes, message):
    fake_mnist(tmp_path / "bad.npz", **changes)
    with pytest.raises(DataError) as caught:
        digits.load_images(str(tmp_path / "bad.npz"))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_file_or_one_that_is_no_npz(tmp_path):
    with pytest.raises(DataError, match="no such data file: gone.npz"):
        digits.load_images("gone.npz")
    (tmp_path / "text.npz").write_text("x_train,y_train\n1,2\n")
    with pytest.raises(DataError, match="is not a NumPy .npz file"):
        digits.load_images(str(tmp_path / "text.npz"))
