"""Small helpers shared by op definitions: dtype groups, argument checks and the base classes
for elementwise ops, so that each op is a few lines of kernel and gradient."""

from __future__ import annotations

from typing import Any

from graphflow.framework import dtypes
from graphflow.framework.graph import Tensor, get_default_graph
from graphflow.framework.registry import GradExample, OpDef
from graphflow.framework.tensor_shape import broadcast_dims

FLOATS = frozenset({dtypes.float16, dtypes.float32, dtypes.float64})
INTEGERS = frozenset({dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
                      dtypes.uint16})
SIGNED = FLOATS | {dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64}
NUMERIC = FLOATS | INTEGERS
BOOL = frozenset({dtypes.bool})
INDEX = frozenset({dtypes.int32, dtypes.int64})
ALL = NUMERIC | BOOL | {dtypes.string}


def build_op(op_type: str, inputs: list, name: str | None, attrs: dict | None = None) -> Tensor:
    """Builds one op in the default graph and returns its (only) output."""
    return get_default_graph().create_op(op_type, inputs, attrs, name).outputs[0]


def check_dtype(op_type: str, arg: str, tensor: Tensor, allowed: frozenset) -> None:
    """TypeError in TF1's words when ``tensor``'s dtype is not among ``allowed``."""
    dtype = tensor.dtype.base_dtype
    if dtype not in allowed:
        names = ", ".join(sorted(d.name for d in allowed))
        raise TypeError(
            f"Value passed to parameter '{arg}' has DataType {dtype.name} not in list of allowed "
            f"values: {names}"
        )


def check_same_dtype(op_type: str, x: Tensor, y: Tensor, names: tuple = ("x", "y")) -> None:
    """TF1 never promotes: both operands of a binary op must have one dtype."""
    if x.dtype.base_dtype != y.dtype.base_dtype:
        raise TypeError(
            f"Input '{names[1]}' of '{op_type}' Op has type {y.dtype.base_dtype.name} that does "
            f"not match type {x.dtype.base_dtype.name} of argument '{names[0]}'"
        )


def check_rank(tensor: Tensor, rank: int) -> None:
    ndims = tensor.shape.ndims
    if ndims is not None and ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {ndims}")


class UnaryElementwise(OpDef):
    """y = f(x) elementwise; y has x's dtype and shape. Subclasses give kernel and grad."""

    allowed = NUMERIC
    grad_examples = [GradExample([(2, 3)]), GradExample([()])]

    def infer(self, x: Tensor) -> tuple:
        check_dtype(self.type, "x", x, self.allowed)
        return x.dtype.base_dtype, x.shape


class BinaryElementwise(OpDef):
    """z = f(x, y) elementwise with NumPy broadcasting; x and y share one dtype.

    ``returns_bool`` makes the output bool (comparisons); subclasses give kernel and grad.
    """

    allowed = NUMERIC
    returns_bool = False
    grad_examples = [  # equal shapes, and each way NumPy broadcasting can go
        GradExample([(2, 3), (2, 3)]),
        GradExample([(3, 4), (4,)]),
        GradExample([(2, 1, 3), (4, 1)]),
        GradExample([(), (2, 3)]),
    ]

    def infer(self, x: Tensor, y: Tensor) -> tuple:
        check_same_dtype(self.type, x, y)
        check_dtype(self.type, "x", x, self.allowed)
        dims = broadcast_dims(x.shape.as_tuple(), y.shape.as_tuple())
        return (dtypes.bool if self.returns_bool else x.dtype.base_dtype), dims


def ufunc_kernel(ufunc: Any) -> Any:
    """A kernel factory that returns ``ufunc`` itself: the cheapest possible run-time call."""

    def kernel(self: OpDef, op: Any) -> Any:
        return ufunc

    return kernel
