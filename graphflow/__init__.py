"""graphflow: a TensorFlow-1-style static graph engine on NumPy.

``import graphflow as tf`` (or ``import graphflow.compat.v1 as tf``) runs TF1 programs: build a
graph of placeholders, variables and ops, then ``tf.Session().run`` it. This module only
re-exports public names; the implementation lives in the subpackages.
"""

from graphflow import train
from graphflow.autodiff import GradientTape, gradients
from graphflow.framework import dtypes, errors
from graphflow.framework.dtypes import (
    DType,
    as_dtype,
    bool,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
    uint16,
)
from graphflow.framework.graph import (
    Graph,
    GraphKeys,
    Operation,
    Tensor,
    add_to_collection,
    add_to_collections,
    control_dependencies,
    get_collection,
    get_collection_ref,
    get_default_graph,
    name_scope,
    reset_default_graph,
)
from graphflow.framework.tensor_shape import Dimension, TensorShape
from graphflow.ops import overloads as _overloads  # noqa: F401 - installs Tensor operators
from graphflow.ops.array_ops import (
    identity,
    newaxis,
    ones_like,
    rank,
    reshape,
    shape,
    size,
    stack,
    stop_gradient,
    strided_slice,
    unstack,
    where,
    zeros_like,
)
from graphflow.ops.array_ops import range_ as range  # noqa: A004 - TF1's name
from graphflow.ops.constant_op import (
    constant,
    convert_to_tensor,
    placeholder,
    placeholder_with_default,
)
from graphflow.ops.control_flow import case, cond
from graphflow.ops.control_ops import group, no_op
from graphflow.ops.math_ops import (
    abs,
    add,
    add_n,
    cast,
    ceil,
    divide,
    equal,
    exp,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    logical_and,
    logical_not,
    logical_or,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    pow,
    reduce_mean,
    reduce_sum,
    sign,
    square,
    subtract,
    truediv,
)
from graphflow.ops.math_ops import floormod as mod
from graphflow.ops.random_ops import (
    random_normal,
    random_uniform,
    set_random_seed,
    truncated_normal,
)
from graphflow.ops.state_ops import assign, assign_add, assign_sub, is_variable_initialized
from graphflow.session import InteractiveSession, Session, get_default_session
from graphflow.variables import (
    Variable,
    global_variables,
    global_variables_initializer,
    local_variables,
    local_variables_initializer,
    report_uninitialized_variables,
    trainable_variables,
    variables_initializer,
)

__version__ = "0.1.0"


def disable_v2_behavior() -> None:
    """Kept for TF1 programs that call it: graphflow always behaves as TF1, so it does nothing."""


def disable_eager_execution() -> None:
    """Kept for TF1 programs that call it: graphflow has only graph mode."""


def executing_eagerly() -> bool:
    """Always False: graphflow builds graphs and runs them in Sessions."""
    return False


from graphflow import compat  # noqa: E402 - compat.v1 re-exports the names above
