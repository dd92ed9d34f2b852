"""``tf.summary``: summary ops and the FileWriter that writes them for TensorBoard."""

from graphflow.summary.ops import histogram, image, merge, merge_all, scalar, text
from graphflow.summary.writer import FileWriter

__all__ = ["FileWriter", "histogram", "image", "merge", "merge_all", "scalar", "text"]
