"""``tf.compat``: version namespaces; ``compat.v1`` is graphflow's whole public API."""

from graphflow.compat import v1
