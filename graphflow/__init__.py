"""graphflow: a TensorFlow-1-style static graph engine on NumPy.

``import graphflow as tf`` (or ``import graphflow.compat.v1 as tf``) runs TF1 programs: build a
graph of placeholders, variables and ops, then ``tf.Session().run`` it. This module only
re-exports public names; the implementation lives in the subpackages.
"""

from graphflow import (
    client,
    contrib,
    debugging,
    initializers,
    layers,
    linalg,
    losses,
    math,
    nn,
    random,
    summary,
    train,
)
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
    resource,
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
from graphflow.framework.serialization import import_graph_def
from graphflow.framework.tensor_shape import Dimension, TensorShape
from graphflow.initializers import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    orthogonal_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from graphflow.ops import overloads as _overloads  # noqa: F401 - installs Tensor operators
from graphflow.ops.array_ops import (
    boolean_mask,
    concat,
    diag,
    diag_part,
    expand_dims,
    eye,
    fill,
    gather,
    gather_nd,
    identity,
    invert_permutation,
    lin_space,
    linspace,
    matrix_diag,
    matrix_diag_part,
    matrix_set_diag,
    matrix_transpose,
    newaxis,
    one_hot,
    ones,
    ones_like,
    pad,
    rank,
    reshape,
    reverse,
    reverse_v2,
    scatter_nd,
    sequence_mask,
    shape,
    size,
    split,
    squeeze,
    stack,
    stop_gradient,
    strided_slice,
    tile,
    transpose,
    unique,
    unsorted_segment_sum,
    unstack,
    where,
    where_v2,
    zeros,
    zeros_like,
)
from graphflow.ops.array_ops import range_ as range  # noqa: A004 - TF1's name
from graphflow.ops.array_ops import slice_ as slice  # noqa: A004 - TF1's name
from graphflow.ops.constant_op import (
    constant,
    convert_to_tensor,
    placeholder,
    placeholder_with_default,
)
from graphflow.ops.control_flow import case, cond
from graphflow.ops.control_ops import group, no_op
from graphflow.ops.data_flow_ops import FIFOQueue, QueueBase, RandomShuffleQueue
from graphflow.ops.debug_ops import (
    Assert,
    Print,
    add_check_numerics_ops,
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_rank,
    assert_rank_at_least,
    assert_type,
    check_numerics,
)
from graphflow.ops.debug_ops import print_ as print  # noqa: A004 - TF1's name
from graphflow.ops.io_ops import ReaderBase, TextLineReader, decode_csv
from graphflow.ops.math_ops import (
    abs,
    add,
    add_n,
    argmax,
    argmin,
    cast,
    ceil,
    clip_by_norm,
    clip_by_value,
    cos,
    count_nonzero,
    cumsum,
    div,
    divide,
    equal,
    exp,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    is_finite,
    is_inf,
    is_nan,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    matmul,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    pow,
    reciprocal,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    squared_difference,
    subtract,
    tanh,
    tensordot,
    to_double,
    to_float,
    to_int32,
    to_int64,
    truediv,
)
from graphflow.ops.math_ops import argmax as arg_max  # TF1's older names
from graphflow.ops.math_ops import argmin as arg_min
from graphflow.ops.random_ops import (
    multinomial,
    random_normal,
    random_shuffle,
    random_uniform,
    set_random_seed,
    truncated_normal,
)
from graphflow.ops.state_ops import (
    assign,
    assign_add,
    assign_sub,
    count_up_to,
    is_variable_initialized,
)
from graphflow.ops.variable_scope import (
    AUTO_REUSE,
    VariableScope,
    get_local_variable,
    get_variable,
    get_variable_scope,
    variable_scope,
)
from graphflow.runtime.trace import RunMetadata
from graphflow.session import InteractiveSession, RunOptions, Session, get_default_session
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


def __getattr__(name: str):  # noqa: ANN202 - module-level lazy attribute (PEP 562)
    """``tf.viz`` is imported on first use, keeping ``import graphflow`` fast."""
    if name == "viz":
        import graphflow.viz

        return graphflow.viz
    raise AttributeError(f"module 'graphflow' has no attribute '{name}'")


from graphflow import compat  # noqa: E402 - compat.v1 re-exports the names above
