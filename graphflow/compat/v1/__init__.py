"""``import graphflow.compat.v1 as tf``: the same public names as ``import graphflow as tf``."""

import graphflow as _graphflow
from graphflow import *  # noqa: F403 - this namespace is exactly the top-level one


def __getattr__(name: str):  # noqa: ANN202 - module-level lazy attribute (PEP 562)
    """Names the top level adds later (``viz`` on first use) are found there too."""
    return getattr(_graphflow, name)
