"""TF1's `tensorflow.examples.tutorials.mnist.input_data`, for graphrnn-tf1: a script run
by the runner gets this module when it imports that name.

    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    batch_x, batch_y = mnist.train.next_batch(128)   # (128, 784) float32 in [0, 1], (128, 10)

It reads the four standard files (train-images-idx3-ubyte.gz, ...) from `train_dir`, as
TF1 did: relative to the working folder, or absolute. A file that is not there is
downloaded from TF1's source as TF1 did; when that fails (no network), the run stops with
one sentence naming the four files and the folder, and nothing is left behind: no partial
file, and no folder the download created.

The semantics are TF1's: the first `validation_size` training images are the validation
set; `next_batch` shuffles at the start of the first epoch and of every later epoch, and
a batch that crosses the end of an epoch is the rest of the old epoch followed by the
start of the new one. Shuffling uses NumPy's global generator, seeded as TF1 seeded it:
from `seed`, or else from the graph seed (`tf.set_random_seed`).
"""

import collections
import gzip
import os
import shutil
import tempfile
import urllib.request
from pathlib import Path

import numpy as np

from graphrnn.compat import tf, v1
from graphrnn.tf1.refusal import Refusal

DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
FILES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049  # the first 4 bytes of an IDX file, big-endian
DOWNLOAD_TIMEOUT_SECONDS = 30

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


def _read32(stream):
    """The next big-endian uint32 of an IDX header."""
    return int(np.frombuffer(stream.read(4), dtype=">u4")[0])


def extract_images(f):
    """An IDX3 file object (gzip) -> uint8 array [index, rows, cols, 1]."""
    print("Extracting", f.name)
    with gzip.GzipFile(fileobj=f) as stream:
        magic = _read32(stream)
        if magic != IMAGES_MAGIC:
            raise ValueError(f"Invalid magic number {magic} in MNIST image file: {f.name}")
        count, rows, cols = _read32(stream), _read32(stream), _read32(stream)
        data = np.frombuffer(stream.read(rows * cols * count), dtype=np.uint8)
        return data.reshape(count, rows, cols, 1)


def dense_to_one_hot(labels_dense, num_classes):
    """[n] class numbers -> [n, num_classes] float64 one-hot rows, as TF1 returned."""
    one_hot = np.zeros((labels_dense.shape[0], num_classes))
    one_hot[np.arange(labels_dense.shape[0]), labels_dense.ravel()] = 1
    return one_hot


def extract_labels(f, one_hot=False, num_classes=10):
    """An IDX1 file object (gzip) -> uint8 labels [index], or one-hot rows."""
    print("Extracting", f.name)
    with gzip.GzipFile(fileobj=f) as stream:
        magic = _read32(stream)
        if magic != LABELS_MAGIC:
            raise ValueError(f"Invalid magic number {magic} in MNIST label file: {f.name}")
        labels = np.frombuffer(stream.read(_read32(stream)), dtype=np.uint8)
        return dense_to_one_hot(labels, num_classes) if one_hot else labels


class DataSet:
    """Images and labels with TF1's `next_batch`; images [n, rows * cols] when reshaped,
    float32 in [0, 1] unless dtype is uint8."""

    def __init__(self, images, labels, fake_data=False, one_hot=False, dtype=tf.float32,
                 reshape=True, seed=None):
        seed1, seed2 = v1.random.get_seed(seed)
        np.random.seed(seed1 if seed is None else seed2)  # TF1 reseeded NumPy here
        dtype = tf.as_dtype(dtype).base_dtype
        if dtype not in (tf.uint8, tf.float32):
            raise TypeError(f"Invalid image dtype {dtype!r}, expected uint8 or float32")
        if fake_data:
            self._num_examples, self.one_hot = 10000, one_hot
        else:
            if images.shape[0] != labels.shape[0]:
                raise ValueError(f"images.shape: {images.shape} labels.shape: {labels.shape}")
            self._num_examples = images.shape[0]
            if reshape:  # [n, rows, cols, 1] -> [n, rows * cols]
                images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == tf.float32:
                images = images.astype(np.float32) * np.float32(1.0 / 255.0)
        self._images, self._labels = images, labels
        self._epochs_completed = self._index_in_epoch = 0

    images = property(lambda self: self._images)
    labels = property(lambda self: self._labels)
    num_examples = property(lambda self: self._num_examples)
    epochs_completed = property(lambda self: self._epochs_completed)

    def _shuffle(self):
        order = np.arange(self._num_examples)
        np.random.shuffle(order)
        self._images, self._labels = self._images[order], self._labels[order]

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """The next `batch_size` (images, labels)."""
        if fake_data:
            label = [1] + [0] * 9 if self.one_hot else 0
            return [[1] * 784] * batch_size, [label] * batch_size
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch = end = start + batch_size
            return self._images[start:end], self._labels[start:end]
        # the batch crosses the epoch's end: the rest of this epoch, then the next one's start
        self._epochs_completed += 1
        rest_images, rest_labels = self._images[start:], self._labels[start:]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - (self._num_examples - start)
        end = self._index_in_epoch
        return (np.concatenate((rest_images, self._images[:end]), axis=0),
                np.concatenate((rest_labels, self._labels[:end]), axis=0))


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=tf.float32, reshape=True,
                   validation_size=5000, seed=None, source_url=DEFAULT_SOURCE_URL):
    """TF1's read_data_sets: Datasets(train, validation, test) from the four files in
    train_dir (downloaded from source_url when missing)."""
    if fake_data:
        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)
        return Datasets(train=fake(), validation=fake(), test=fake())
    paths = ensure_files(train_dir, source_url or DEFAULT_SOURCE_URL)
    with open(paths[TRAIN_IMAGES], "rb") as f:
        train_images = extract_images(f)
    with open(paths[TRAIN_LABELS], "rb") as f:
        train_labels = extract_labels(f, one_hot=one_hot)
    with open(paths[TEST_IMAGES], "rb") as f:
        test_images = extract_images(f)
    with open(paths[TEST_LABELS], "rb") as f:
        test_labels = extract_labels(f, one_hot=one_hot)
    if not 0 <= validation_size <= len(train_images):
        raise ValueError(f"Validation size should be between 0 and {len(train_images)}. "
                         f"Received: {validation_size}.")
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    return Datasets(
        train=DataSet(train_images[validation_size:], train_labels[validation_size:], **options),
        validation=DataSet(train_images[:validation_size], train_labels[:validation_size],
                           **options),
        test=DataSet(test_images, test_labels, **options))


def load_mnist(train_dir="MNIST-data"):
    return read_data_sets(train_dir)


def ensure_files(train_dir, source_url):
    """{file name: path} of the four files in train_dir, downloading the missing ones.
    Raises Refusal (one sentence) when a download fails, after removing what it wrote."""
    folder = Path(train_dir)
    missing = [name for name in FILES if not (folder / name).is_file()]
    created = [] if folder.is_dir() else _folders_to_create(folder)
    try:
        for name in missing:
            _download(source_url + name, folder / name)
    except OSError as error:
        for path in reversed(created):  # only what the download itself created
            shutil.rmtree(path, ignore_errors=True)
        absent = ("none of them is there" if len(missing) == len(FILES)
                  else f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing")
        raise Refusal(
            f"input_data.read_data_sets needs the MNIST files {', '.join(FILES)} in "
            f"{folder.resolve()}; {absent}, and the download from {source_url} failed "
            f"({_reason(error)}): copy the files there, or use "
            f"tf.keras.datasets.mnist.load_data() in TF2 code.") from None
    return {name: folder / name for name in FILES}


def _folders_to_create(folder):
    """The folders that do not exist yet on the way to `folder`, outermost first."""
    missing = []
    for path in [folder, *folder.parents]:
        if path.exists():
            break
        missing.append(path)
    return list(reversed(missing))


def _download(url, path):
    """url -> path, through a temporary file in the same folder: a path exists only whole."""
    print(f"Downloading {url}")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(
                url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            shutil.copyfileobj(response, out)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    print("Successfully downloaded", path.name, path.stat().st_size, "bytes.")


def _reason(error):
    """A short reason for a failed download."""
    reason = getattr(error, "reason", None) or error.strerror or str(error)
    return str(reason).strip() or type(error).__name__
