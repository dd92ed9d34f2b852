"""``tf.client``: the helpers TF1 kept in ``tensorflow.python.client``; ``timeline`` writes a
traced run as a Chrome trace."""

from graphflow.client import timeline

__all__ = ["timeline"]
