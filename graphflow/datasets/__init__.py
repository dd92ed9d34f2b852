"""``graphflow.datasets``: MNIST as TF1 read it, and small datasets bundled with scikit-learn.

scikit-learn is imported only when a bundled set is loaded, never by ``import graphflow``.
"""

from graphflow.datasets import bundled, mnist
from graphflow.datasets.bundled import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
)
from graphflow.datasets.mnist import DataSet, Datasets, read_data_sets

__all__ = [
    "DataSet",
    "Datasets",
    "bundled",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_wine",
    "mnist",
    "read_data_sets",
]
