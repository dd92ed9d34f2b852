"""``import graphflow.compat.v1 as tf``: the same public names as ``import graphflow as tf``."""

from graphflow import *  # noqa: F403 - this namespace is exactly the top-level one
