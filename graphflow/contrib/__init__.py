"""``tf.contrib``: the TF1 contrib functions lecture code uses (``tf.contrib.layers``). TF2
removed ``tf.contrib``; graphflow keeps the parts that lecture programs need."""

from graphflow.contrib import layers

__all__ = ["layers"]
