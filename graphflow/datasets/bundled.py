"""Small datasets that ship with scikit-learn, served as MNIST-style ``Datasets`` (no download).

``load_digits`` gives the 1,797 handwritten 8x8 digits, optionally upsampled to MNIST's 28x28
layout so MNIST programs run unchanged; ``load_iris``, ``load_wine``, ``load_breast_cancer`` and
``load_diabetes`` give the tabular sets for the classification and regression labs. Each split
into train, validation and test sets with a fixed shuffle, the same on every run. scikit-learn is
an optional extra, imported only when one of these functions is called.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from graphflow.datasets.mnist import DataSet, Datasets, dense_to_one_hot
from graphflow.framework import dtypes

SPLIT_SEED = 0  # the fixed shuffle that assigns examples to train, validation and test


def _sklearn_datasets() -> ModuleType:
    try:
        from sklearn import datasets
    except ImportError as e:
        raise ImportError("graphflow's bundled datasets come from scikit-learn, which is not "
                          "installed: pip install graphflow-tf1[examples]") from e
    return datasets


def _split(images: np.ndarray, labels: np.ndarray, validation_size: int, test_size: int,
           **options: Any) -> Datasets:
    """Train, validation and test DataSets after the fixed shuffle: test first, then
    validation, the rest for training."""
    count = len(images)
    for name, size in (("validation_size", validation_size), ("test_size", test_size)):
        if not 0 <= size <= count:
            raise ValueError(f"{name} should be between 0 and {count}. Received: {size}.")
    if validation_size + test_size > count:
        raise ValueError(f"validation_size + test_size ({validation_size} + {test_size}) "
                         f"exceeds the {count} examples")
    order = np.random.RandomState(SPLIT_SEED).permutation(count)
    test, validation, train = np.split(order, [test_size, test_size + validation_size])
    return Datasets(*(DataSet(images[part], labels[part], **options)
                      for part in (train, validation, test)))


def _resize_matrix(size: int, new_size: int) -> np.ndarray:
    """The [new_size, size] matrix of bilinear interpolation weights (pixel centers aligned)."""
    centers = np.clip((np.arange(new_size) + 0.5) * size / new_size - 0.5, 0, size - 1)
    low = np.floor(centers).astype(int)
    high = np.minimum(low + 1, size - 1)
    weights = np.zeros((new_size, size))
    np.add.at(weights, (np.arange(new_size), low), 1 - (centers - low))
    np.add.at(weights, (np.arange(new_size), high), centers - low)
    return weights


def _mnist_layout(images: np.ndarray) -> np.ndarray:
    """8x8 images in [0, 1] to 28x28: upsampled to a 20x20 box centered with a 4-pixel
    margin, as MNIST centers its digits."""
    resize = _resize_matrix(8, 20)
    boxes = resize @ images @ resize.T
    return np.pad(boxes, ((0, 0), (4, 4), (4, 4)))


def load_digits(image_size: int = 8, one_hot: bool = False, dtype: Any = dtypes.float32,
                reshape: bool = True, validation_size: int = 0, test_size: int = 297,
                seed: int | None = None) -> Datasets:
    """scikit-learn's handwritten digits as MNIST ``Datasets``: uint8 images [N, size, size, 1]
    (flattened and scaled to [0, 1] as ``read_data_sets`` does them) with labels 0-9."""
    if image_size not in (8, 28):
        raise ValueError(f"image_size must be 8 or 28, got {image_size}")
    digits = _sklearn_datasets().load_digits()
    images = digits.images / 16.0
    if image_size == 28:
        images = _mnist_layout(images)
    images = np.round(np.clip(images, 0, 1) * 255).astype(np.uint8)[..., np.newaxis]
    labels = digits.target.astype(np.uint8)
    if one_hot:
        labels = dense_to_one_hot(labels, 10)
    return _split(images, labels, validation_size, test_size, dtype=dtype, reshape=reshape,
                  seed=seed)


def _tabular(loader: str, classes: bool, one_hot: bool, validation_size: int, test_size: int,
             seed: int | None) -> Datasets:
    """A tabular scikit-learn set: float32 feature rows as ``images``; int32 class labels [N]
    (one-hot rows when asked) or float32 regression targets [N, 1] as ``labels``."""
    data = getattr(_sklearn_datasets(), loader)()
    features = data.data.astype(np.float32)
    if not classes:
        labels = data.target.astype(np.float32).reshape(-1, 1)
    elif one_hot:
        labels = dense_to_one_hot(data.target, len(data.target_names))
    else:
        labels = data.target.astype(np.int32)
    return _split(features, labels, validation_size, test_size, seed=seed)


def load_iris(one_hot: bool = False, validation_size: int = 0, test_size: int = 30,
              seed: int | None = None) -> Datasets:
    """Iris: 150 flowers, 4 measurements each, 3 species."""
    return _tabular("load_iris", True, one_hot, validation_size, test_size, seed)


def load_wine(one_hot: bool = False, validation_size: int = 0, test_size: int = 36,
              seed: int | None = None) -> Datasets:
    """Wine: 178 wines, 13 chemical measurements each, 3 cultivars."""
    return _tabular("load_wine", True, one_hot, validation_size, test_size, seed)


def load_breast_cancer(one_hot: bool = False, validation_size: int = 0, test_size: int = 114,
                       seed: int | None = None) -> Datasets:
    """Breast cancer (Wisconsin): 569 tumours, 30 features each, malignant (0) or benign (1)."""
    return _tabular("load_breast_cancer", True, one_hot, validation_size, test_size, seed)


def load_diabetes(validation_size: int = 0, test_size: int = 89,
                  seed: int | None = None) -> Datasets:
    """Diabetes: 442 patients, 10 standardized features, a disease-progression target [N, 1]."""
    return _tabular("load_diabetes", False, False, validation_size, test_size, seed)
