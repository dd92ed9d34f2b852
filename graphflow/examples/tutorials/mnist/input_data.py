"""TF1's ``tensorflow.examples.tutorials.mnist.input_data``, so the lecture's line
``mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)`` works unchanged."""

from graphflow.datasets.mnist import (
    DEFAULT_SOURCE_URL,
    DataSet,
    dense_to_one_hot,
    extract_images,
    extract_labels,
    maybe_download,
    read_data_sets,
)

__all__ = [
    "DEFAULT_SOURCE_URL",
    "DataSet",
    "dense_to_one_hot",
    "extract_images",
    "extract_labels",
    "maybe_download",
    "read_data_sets",
]
