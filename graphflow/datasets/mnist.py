"""TF1's MNIST reader (``tensorflow.contrib.learn.datasets.mnist``): IDX files and ``DataSet``.

``read_data_sets`` reads the four standard IDX files (gzipped or not) from ``train_dir``,
downloading the missing ones from ``source_url`` as TF1 did. ``DataSet.next_batch`` serves
shuffled mini-batches with TF1's exact epoch rules. Setting ``GRAPHFLOW_MNIST=digits`` (or
``auto``) serves scikit-learn's bundled digits instead, so the lecture runs offline; see
``docs/datasets.md``.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
import warnings
from collections import namedtuple
from typing import IO, Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.ops.random_ops import get_seed

DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
SOURCES = ("download", "auto", "digits")

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049

Datasets = namedtuple("Datasets", ["train", "validation", "test"])


# -- IDX files ------------------------------------------------------------------------------
def _read_idx(f: IO[bytes], magic: int, header_ints: int) -> tuple[list[int], np.ndarray]:
    """The header integers after the magic number and the uint8 payload of one IDX file,
    gzipped or not; every inconsistency is a ValueError naming the file."""
    name = getattr(f, "name", "<stream>")
    raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise ValueError(f"Corrupt gzip data in MNIST file {name}: {e}") from None
    header_size = 4 * (1 + header_ints)
    if len(raw) < header_size:
        raise ValueError(f"Truncated MNIST file {name}: {len(raw)} bytes, shorter than its "
                         f"{header_size}-byte header")
    found, *header = (int(v) for v in np.frombuffer(raw[:header_size], dtype=">u4"))
    if found != magic:
        raise ValueError(f"Invalid magic number {found} in MNIST file {name}: expected {magic}")
    expected = int(np.prod(header, dtype=np.int64))
    payload = len(raw) - header_size
    if payload != expected:
        what = "Truncated" if payload < expected else "Trailing bytes in"
        raise ValueError(f"{what} MNIST file {name}: header {header} promises {expected} "
                         f"data bytes, found {payload}")
    return header, np.frombuffer(raw, dtype=np.uint8, offset=header_size)


def extract_images(f: IO[bytes]) -> np.ndarray:
    """Reads an IDX image file into a uint8 array [index, y, x, depth], as TF1 does."""
    (count, rows, cols), data = _read_idx(f, IMAGES_MAGIC, 3)
    return data.reshape(count, rows, cols, 1)


def dense_to_one_hot(labels_dense: np.ndarray, num_classes: int) -> np.ndarray:
    """Class numbers to one-hot rows (float64, as TF1 returns them)."""
    labels_dense = np.asarray(labels_dense).ravel()
    if labels_dense.size and not 0 <= labels_dense.min() <= labels_dense.max() < num_classes:
        raise ValueError(f"Labels must lie in [0, {num_classes}), found "
                         f"[{labels_dense.min()}, {labels_dense.max()}]")
    one_hot = np.zeros((labels_dense.size, num_classes))
    one_hot[np.arange(labels_dense.size), labels_dense] = 1
    return one_hot


def extract_labels(f: IO[bytes], one_hot: bool = False, num_classes: int = 10) -> np.ndarray:
    """Reads an IDX label file into a uint8 array [index] (one-hot rows when asked)."""
    _, labels = _read_idx(f, LABELS_MAGIC, 1)
    if one_hot:
        try:
            return dense_to_one_hot(labels, num_classes)
        except ValueError as e:
            raise ValueError(f"{e} in MNIST file {getattr(f, 'name', '<stream>')}") from None
    return labels


# -- DataSet --------------------------------------------------------------------------------
class DataSet:
    """Examples and labels served in mini-batches by ``next_batch``, with TF1's epoch rules.

    uint8 images [N, rows, cols, 1] are flattened to [N, rows*cols] when ``reshape`` and scaled
    to [0, 1] when ``dtype`` is float32, as TF1 does; rows that are already flat or already
    floating point (the bundled tabular sets) are kept as they are.
    """

    def __init__(self, images: Any, labels: Any, fake_data: bool = False, one_hot: bool = False,
                 dtype: Any = dtypes.float32, reshape: bool = True, seed: int | None = None):
        seed1, seed2 = get_seed(seed)
        self._rng = np.random.RandomState(seed1 if seed is None else seed2)
        dtype = dtypes.as_dtype(dtype).base_dtype
        if dtype not in (dtypes.uint8, dtypes.float32):
            raise TypeError(f"Invalid image dtype {dtype.name!r}, expected uint8 or float32")
        self.one_hot = one_hot
        if fake_data:
            self._num_examples = 10000
        else:
            images, labels = np.asarray(images), np.asarray(labels)
            if images.shape[0] != labels.shape[0]:
                raise ValueError(f"images and labels differ in count: images.shape: "
                                 f"{images.shape} labels.shape: {labels.shape}")
            self._num_examples = images.shape[0]
            if reshape and images.ndim == 4:
                if images.shape[3] != 1:
                    raise ValueError(f"reshape needs images of depth 1, got {images.shape}")
                images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == dtypes.float32 and images.dtype == np.uint8:
                images = images.astype(np.float32) * np.float32(1.0 / 255.0)
            elif dtype == dtypes.float32:
                images = images.astype(np.float32)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self) -> np.ndarray:
        return self._images

    @property
    def labels(self) -> np.ndarray:
        return self._labels

    @property
    def num_examples(self) -> int:
        return self._num_examples

    @property
    def epochs_completed(self) -> int:
        return self._epochs_completed

    def _shuffle(self) -> None:
        perm = np.arange(self._num_examples)
        self._rng.shuffle(perm)
        self._images = self._images[perm]
        self._labels = self._labels[perm]

    def next_batch(self, batch_size: int, fake_data: bool = False,
                   shuffle: bool = True) -> tuple[Any, Any]:
        """The next ``batch_size`` examples and labels; the data is shuffled on the first call
        and at each new epoch, and a batch that crosses an epoch's end takes the rest of that
        epoch followed by the start of the next."""
        if fake_data:
            fake_image = [1] * 784
            fake_label = [1] + [0] * 9 if self.one_hot else 0
            return [fake_image] * batch_size, [fake_label] * batch_size
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch = end = start + batch_size
            return self._images[start:end], self._labels[start:end]
        self._epochs_completed += 1
        images_rest, labels_rest = self._images[start:], self._labels[start:]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - (self._num_examples - start)
        end = self._index_in_epoch
        return (np.concatenate((images_rest, self._images[:end]), axis=0),
                np.concatenate((labels_rest, self._labels[:end]), axis=0))


# -- files and downloads --------------------------------------------------------------------
def maybe_download(filename: str, work_directory: str, source_url: str) -> str:
    """The path of ``filename`` in ``work_directory``, downloading it from ``source_url`` first
    when missing; the file appears only once complete."""
    filepath = os.path.join(work_directory, filename)
    if os.path.exists(filepath):
        return filepath
    import urllib.error
    import urllib.request

    os.makedirs(work_directory, exist_ok=True)
    fd, temp_path = tempfile.mkstemp(dir=work_directory, prefix=f".{filename}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(source_url, timeout=60) as resp:
            shutil.copyfileobj(resp, out)
            promised = resp.headers.get("Content-Length")
            if promised is not None and out.tell() != int(promised):
                raise urllib.error.ContentTooShortError(
                    f"retrieval incomplete: got only {out.tell()} out of {promised} bytes", None)
        os.replace(temp_path, filepath)
    except BaseException:
        os.unlink(temp_path)
        raise
    print("Successfully downloaded", filename, os.path.getsize(filepath), "bytes.")
    return filepath


def _local_or_download(filename: str, train_dir: str, source_url: str) -> str:
    """An existing copy of ``filename`` (``name.gz`` or the unzipped ``name``), else a download;
    a failed download is an OSError naming the URL."""
    unzipped = os.path.join(train_dir, filename[: -len(".gz")])
    if not os.path.exists(os.path.join(train_dir, filename)) and os.path.exists(unzipped):
        return unzipped
    import http.client

    url = source_url + filename
    try:
        return maybe_download(filename, train_dir, url)
    except (OSError, http.client.HTTPException) as e:
        raise OSError(f"Cannot download {url}: {e}. To run without the MNIST files, set "
                      "GRAPHFLOW_MNIST=digits (scikit-learn's bundled digits, 28x28)") from e


def _read_pair(images_path: str, labels_path: str, one_hot: bool) -> tuple[np.ndarray, ...]:
    """The images and labels of two matching IDX files."""
    print("Extracting", images_path)
    with open(images_path, "rb") as f:
        images = extract_images(f)
    print("Extracting", labels_path)
    with open(labels_path, "rb") as f:
        labels = extract_labels(f, one_hot)
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"MNIST files do not match: {images_path} holds {images.shape[0]} "
                         f"images but {labels_path} holds {labels.shape[0]} labels")
    return images, labels


def _source(source: str | None) -> str:
    source = source or os.environ.get("GRAPHFLOW_MNIST") or "download"
    if source not in SOURCES:
        raise ValueError(f"MNIST source must be one of {SOURCES} (argument source= or "
                         f"environment variable GRAPHFLOW_MNIST), got {source!r}")
    return source


def _digits(one_hot: bool, dtype: Any, reshape: bool, seed: int | None) -> Datasets:
    from graphflow.datasets.bundled import load_digits

    return load_digits(image_size=28, one_hot=one_hot, dtype=dtype, reshape=reshape, seed=seed)


def read_data_sets(train_dir: str, fake_data: bool = False, one_hot: bool = False,
                   dtype: Any = dtypes.float32, reshape: bool = True,
                   validation_size: int = 5000, seed: int | None = None,
                   source_url: str = DEFAULT_SOURCE_URL, *,
                   source: str | None = None) -> Datasets:
    """MNIST's train, validation and test ``DataSet``s, read from (or downloaded to)
    ``train_dir``; ``source`` ("download", "auto" or "digits", default from GRAPHFLOW_MNIST)
    can serve the bundled 28x28 digits instead, see docs/datasets.md."""
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    if fake_data:
        return Datasets(*(DataSet([], [], fake_data=True, one_hot=one_hot, **options)
                          for _ in range(3)))
    source = _source(source)
    if source == "digits":
        return _digits(one_hot, **options)
    try:
        paths = [_local_or_download(name, train_dir, source_url or DEFAULT_SOURCE_URL)
                 for name in (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)]
    except OSError as e:
        if source == "download":
            raise
        warnings.warn(f"MNIST unavailable ({e.__cause__}); source 'auto' is serving "
                      "scikit-learn's bundled 28x28 digits instead", stacklevel=2)
        return _digits(one_hot, **options)
    train_images, train_labels = _read_pair(paths[0], paths[1], one_hot)
    test_images, test_labels = _read_pair(paths[2], paths[3], one_hot)
    if not 0 <= validation_size <= len(train_images):
        raise ValueError(f"Validation size should be between 0 and {len(train_images)}. "
                         f"Received: {validation_size}.")
    return Datasets(
        DataSet(train_images[validation_size:], train_labels[validation_size:], **options),
        DataSet(train_images[:validation_size], train_labels[:validation_size], **options),
        DataSet(test_images, test_labels, **options))
