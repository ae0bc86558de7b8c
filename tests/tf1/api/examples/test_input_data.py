"""tensorflow.examples.tutorials.mnist.input_data as graphrnn-tf1 provides it: IDX files
the tests write themselves, read back and checked against NumPy with TF1's split, scaling
and next_batch rules; the download TF1 did, from a local server; and the one sentence when
the files are missing and there is no network."""

import functools
import http.server
import threading

import numpy as np
import pytest

from graphrnn.compat import tf
from graphrnn.tf1.api.examples.tutorials.mnist import input_data
from graphrnn.tf1.refusal import Refusal
from tf1_runs import write_mnist_files

ROWS, COLS = 4, 3


def write_idx(folder, n_train=12, n_test=5):
    """The four files of 4 x 3 images (not square: a reshape that mixes rows and columns
    shows)."""
    return write_mnist_files(folder, n_train, n_test, rows=ROWS, cols=COLS)


def test_read_data_sets_splits_scales_and_reshapes_as_tf1(tmp_path, monkeypatch):
    arrays = write_idx(tmp_path)
    monkeypatch.chdir(tmp_path.parent)  # train_dir relative to the working folder
    data = input_data.read_data_sets(tmp_path.name, validation_size=4)
    train_images, train_labels = arrays["train"]
    assert (data.train.num_examples, data.validation.num_examples, data.test.num_examples) == (
        8, 4, 5)
    assert data.train.images.dtype == np.float32 and data.train.images.shape == (8, ROWS * COLS)
    # the first validation_size training images are the validation set, the rest train
    np.testing.assert_allclose(data.validation.images,
                               train_images[:4].reshape(4, -1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(data.train.labels, train_labels[4:])
    np.testing.assert_allclose(data.test.images, arrays["t10k"][0].reshape(5, -1) / 255.0,
                               rtol=1e-6)
    assert data.train.images.min() >= 0 and data.train.images.max() <= 1


def test_one_hot_uint8_and_unreshaped_images(tmp_path):
    arrays = write_idx(tmp_path)
    data = input_data.read_data_sets(str(tmp_path), one_hot=True, dtype=tf.uint8,
                                     reshape=False, validation_size=0)
    assert data.train.images.shape == (12, ROWS, COLS, 1) and data.train.images.dtype == np.uint8
    np.testing.assert_array_equal(data.train.images[..., 0], arrays["train"][0])
    expected = np.eye(10)[arrays["train"][1]]
    np.testing.assert_array_equal(data.train.labels, expected)
    assert data.validation.num_examples == 0


def test_next_batch_follows_tf1s_epoch_rules(tmp_path):
    write_idx(tmp_path)
    data = input_data.read_data_sets(str(tmp_path), validation_size=2)  # 10 training images
    train = data.train
    unshuffled = [train.next_batch(4, shuffle=False) for _ in range(3)]
    # 4 + 4, then the last 2 of epoch one followed by the first 2 of epoch two
    images = data.train.images
    np.testing.assert_array_equal(unshuffled[0][0], images[0:4])
    np.testing.assert_array_equal(unshuffled[2][0], np.concatenate([images[8:10], images[0:2]]))
    assert train.epochs_completed == 1


def test_shuffled_batches_cover_an_epoch_and_repeat_with_the_seed(tmp_path):
    write_idx(tmp_path)

    def first_epoch(seed):
        data = input_data.read_data_sets(str(tmp_path), validation_size=2, seed=seed)
        labels = [data.train.next_batch(5)[1] for _ in range(2)]
        return np.concatenate(labels), data

    one, data = first_epoch(3)
    again, _ = first_epoch(3)
    np.testing.assert_array_equal(one, again)
    assert sorted(one) == sorted(data.train.labels)  # every example once per epoch
    assert data.train.epochs_completed == 0  # 10 of 10 taken: the epoch is not over yet
    data.train.next_batch(1)
    assert data.train.epochs_completed == 1


def test_a_file_of_the_wrong_kind_is_refused_by_its_magic_number(tmp_path):
    write_idx(tmp_path)
    labels = (tmp_path / "train-labels-idx1-ubyte.gz").read_bytes()
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(labels)
    with pytest.raises(ValueError, match="Invalid magic number 2049 in MNIST image file"):
        input_data.read_data_sets(str(tmp_path))


def test_missing_files_offline_give_one_sentence_and_leave_nothing(tmp_path):
    target = tmp_path / "new" / "MNIST_data"
    with pytest.raises(Refusal) as refused:  # port 9 (discard) refuses at once
        input_data.read_data_sets(str(target), source_url="http://127.0.0.1:9/")
    sentence = str(refused.value)
    assert sentence.startswith(
        "input_data.read_data_sets needs the MNIST files train-images-idx3-ubyte.gz, "
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz "
        f"in {target}; ")
    assert "none of them is there, and the download from http://127.0.0.1:9/ failed" in sentence
    assert sentence.endswith("use tf.keras.datasets.mnist.load_data() in TF2 code.")
    assert "\n" not in sentence
    assert list(tmp_path.iterdir()) == []  # the folders it made for the download are gone


def test_missing_files_are_downloaded_whole_from_the_source(tmp_path):
    source = tmp_path / "server"
    source.mkdir()
    arrays = write_idx(source)
    handler = functools.partial(QuietHandler, directory=str(source))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        target = tmp_path / "data"
        try:
            data = input_data.read_data_sets(
                str(target), source_url=f"http://127.0.0.1:{server.server_port}/",
                validation_size=0)
        finally:
            server.shutdown()
    assert sorted(p.name for p in target.iterdir()) == sorted(input_data.FILES)  # no partials
    np.testing.assert_array_equal(data.test.labels, arrays["t10k"][1])


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
