"""``tf.random``: random tensors under their TF 1.15 namespace names."""

from graphflow.ops.random_ops import (  # noqa: F401
    categorical,
    multinomial,
    truncated_normal,  # noqa: F401
)
from graphflow.ops.random_ops import random_normal as normal  # noqa: F401
from graphflow.ops.random_ops import random_shuffle as shuffle  # noqa: F401
from graphflow.ops.random_ops import random_uniform as uniform  # noqa: F401
from graphflow.ops.random_ops import set_random_seed as set_seed  # noqa: F401
