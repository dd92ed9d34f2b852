"""``tf.linalg``: matrix functions under their TF 1.15 namespace names."""

from graphflow.initializers import qr  # noqa: F401
from graphflow.ops.array_ops import eye  # noqa: F401
from graphflow.ops.array_ops import matrix_diag as diag  # noqa: F401
from graphflow.ops.array_ops import matrix_diag_part as diag_part  # noqa: F401
from graphflow.ops.array_ops import matrix_set_diag as set_diag  # noqa: F401
from graphflow.ops.array_ops import matrix_transpose as transpose  # noqa: F401
from graphflow.ops.math_ops import matmul, tensordot  # noqa: F401
