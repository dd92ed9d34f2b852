"""``tf.contrib``: the TF1 contrib functions lecture code uses (``tf.contrib.layers`` and
``tf.contrib.framework.arg_scope``). TF2 removed ``tf.contrib``; graphflow keeps the parts
that lecture programs need."""

from graphflow.contrib import framework, layers

__all__ = ["framework", "layers"]
