"""Arithmetic, comparison, logical and reduction ops, each defined once with its gradient.

Every public function here builds one op through the registry; Python operators on tensors
(``a + b``) call these same functions (see ``overloads``).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import Tensor, get_default_graph, name_scope
from graphflow.framework.registry import NOT_DIFFERENTIABLE, GradExample, OpDef, register
from graphflow.framework.tensor_shape import broadcast_dims, format_dims
from graphflow.ops import array_ops
from graphflow.ops.constant_op import constant, constant_value, convert_to_tensor
from graphflow.ops.fast_reduce import extreme_over, sum_over
from graphflow.ops.op_util import (
    BOOL,
    FLOATS,
    INDEX,
    NUMERIC,
    SIGNED,
    BinaryElementwise,
    UnaryElementwise,
    build_op,
    check_dtype,
    check_rank,
    check_same_dtype,
    ufunc_kernel,
)


def binary_operands(x: Any, y: Any, names: tuple = ("x", "y")) -> tuple[Tensor, Tensor]:
    """Converts the operands of a binary op: a non-tensor takes the other operand's dtype,
    as TF1 does for ``tensor + 1``; two tensors must already agree. Constants made here are
    named after the argument (``mul/y``), as TF1 names them."""
    x_name, y_name = names
    if _is_tensor_like(x):
        x = convert_to_tensor(x)
        y_dtype = None if _is_tensor_like(y) else x.dtype.base_dtype
        return x, convert_to_tensor(y, dtype=y_dtype, name=y_name)
    if _is_tensor_like(y):
        y = convert_to_tensor(y)
        return convert_to_tensor(x, dtype=y.dtype.base_dtype, name=x_name), y
    x = convert_to_tensor(x, name=x_name)
    return x, convert_to_tensor(y, dtype=x.dtype.base_dtype, name=y_name)


def _is_tensor_like(value: Any) -> bool:
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_tensor")


def _binary(op_type: str, x: Any, y: Any, name: str | None) -> Tensor:
    with name_scope(name, op_type, [x, y]) as scope:
        x, y = binary_operands(x, y)
        return build_op(op_type, [x, y], scope)


def _unary(op_type: str, x: Any, name: str | None) -> Tensor:
    return build_op(op_type, [convert_to_tensor(x)], name)


# -- reducing a broadcast gradient back to an input's shape --------------------------------
def sum_to_shape_of(grad: Tensor, x: Tensor, other: Tensor) -> Tensor:
    """Sums ``grad`` (shaped like ``x`` broadcast with ``other``) down to ``x``'s shape.

    Decided statically when ``x``'s shape is fully known; otherwise with TF1's
    ``BroadcastGradientArgs``, so dims known only at run time reduce correctly too.
    """
    x_dims = x.shape.as_tuple()
    g_dims = grad.shape.as_tuple()
    if x_dims is not None and g_dims is not None and x_dims == g_dims and None not in x_dims:
        return grad
    if _never_broadcast(x_dims, other.shape.as_tuple()):
        return grad
    if x.shape.is_fully_defined() and g_dims is not None:
        lead = len(g_dims) - len(x_dims)
        axes = list(range(lead)) + [
            lead + i for i, d in enumerate(x_dims) if d == 1 and g_dims[lead + i] != 1
        ]
        if not axes:
            return grad
        summed = reduce_sum(grad, axes)
        return summed if summed.shape.as_tuple() == x_dims else array_ops.reshape(summed, x_dims)
    axes_x, _ = broadcast_gradient_args(array_ops.shape(x), array_ops.shape(other))
    return array_ops.reshape(reduce_sum(grad, axes_x), array_ops.shape(x))


def _never_broadcast(x_dims: tuple | None, other_dims: tuple | None) -> bool:
    """True when broadcasting ``x`` with ``other`` can never expand ``x``, whatever the unknown
    dims turn out to be (``[?, 10]`` with ``[10]``): its gradient needs no reduction."""
    if x_dims is None or other_dims is None or len(other_dims) > len(x_dims):
        return False
    offset = len(x_dims) - len(other_dims)
    for i, dim in enumerate(x_dims):
        other_dim = other_dims[i - offset] if i >= offset else 1
        if dim is None and other_dim != 1 or dim == 1 and other_dim != 1:
            return False
    return True


@register("BroadcastGradientArgs")
class BroadcastGradientArgs(OpDef):
    """The axes along which each of two broadcast shapes was expanded (for gradients)."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, s0: Tensor, s1: Tensor) -> list:
        return [(s0.dtype, [None]), (s0.dtype, [None])]

    def kernel(self, op: Any) -> Any:
        def axes(s0: np.ndarray, s1: np.ndarray) -> tuple:
            rank = max(len(s0), len(s1))
            a = np.concatenate([np.ones(rank - len(s0), s0.dtype), s0])
            b = np.concatenate([np.ones(rank - len(s1), s1.dtype), s1])
            out = np.broadcast_shapes(tuple(a), tuple(b))
            r0 = [i for i in range(rank) if a[i] == 1 and (out[i] != 1 or i < rank - len(s0))]
            r1 = [i for i in range(rank) if b[i] == 1 and (out[i] != 1 or i < rank - len(s1))]
            return np.array(r0, s0.dtype), np.array(r1, s0.dtype)

        return axes


def broadcast_gradient_args(s0: Tensor, s1: Tensor, name: str | None = None) -> list:
    op = get_default_graph().create_op("BroadcastGradientArgs", [s0, s1], None,
                                       name or "BroadcastGradientArgs")
    return op.outputs


# -- arithmetic ----------------------------------------------------------------------------
@register("Add")
class Add(BinaryElementwise):
    """x + y."""

    kernel = ufunc_kernel(np.add)

    def grad(self, op: Any, grad: Tensor) -> list:
        x, y = op.inputs
        return [sum_to_shape_of(grad, x, y), sum_to_shape_of(grad, y, x)]


@register("Sub")
class Sub(BinaryElementwise):
    """x - y."""

    kernel = ufunc_kernel(np.subtract)

    def grad(self, op: Any, grad: Tensor) -> list:
        x, y = op.inputs
        return [sum_to_shape_of(grad, x, y), sum_to_shape_of(negative(grad), y, x)]


@register("Mul")
class Mul(BinaryElementwise):
    """x * y."""

    kernel = ufunc_kernel(np.multiply)

    def grad(self, op: Any, grad: Tensor) -> list:
        x, y = op.inputs
        return [sum_to_shape_of(multiply(grad, y), x, y), sum_to_shape_of(multiply(x, grad), y, x)]


@register("RealDiv")
class RealDiv(BinaryElementwise):
    """x / y for floating-point tensors."""
    grad_examples = [GradExample(e.inputs, low=0.5, high=2.0)
                     for e in BinaryElementwise.grad_examples]

    allowed = FLOATS
    kernel = ufunc_kernel(np.true_divide)

    def grad(self, op: Any, grad: Tensor) -> list:
        x, y = op.inputs
        gx = real_div(grad, y)
        gy = multiply(grad, real_div(real_div(negative(x), y), y))
        return [sum_to_shape_of(gx, x, y), sum_to_shape_of(gy, y, x)]


@register("FloorDiv")
class FloorDiv(BinaryElementwise):
    """x // y, rounding toward negative infinity as Python does."""

    grad = NOT_DIFFERENTIABLE

    def kernel(self, op: Any) -> Any:
        return _checked_integer(np.floor_divide) if op.outputs[0].dtype.is_integer else \
            np.floor_divide


def _checked_integer(ufunc: Any) -> Any:
    """``ufunc`` for integers, refusing division by zero (NumPy would return 0 silently)."""

    def divide(x: Any, y: Any) -> Any:
        if not np.all(y):
            raise ValueError("Integer division by zero")
        return ufunc(x, y)

    return divide


@register("FloorMod")
class FloorMod(BinaryElementwise):
    """x % y with the sign of y, as Python's ``%``."""
    grad_examples = [GradExample(e.inputs, low=0.5, high=2.0)
                     for e in BinaryElementwise.grad_examples]

    def kernel(self, op: Any) -> Any:
        return _checked_integer(np.mod) if op.outputs[0].dtype.is_integer else np.mod

    def grad(self, op: Any, grad: Tensor) -> list:
        x, y = op.inputs
        gy = multiply(negative(grad), floor(real_div(x, y)))
        return [sum_to_shape_of(grad, x, y), sum_to_shape_of(gy, y, x)]


@register("Pow")
class Pow(BinaryElementwise):
    """x ** y elementwise."""
    grad_examples = [GradExample(e.inputs, low=0.5, high=2.0)
                     for e in BinaryElementwise.grad_examples]

    def kernel(self, op: Any) -> Any:
        if op.outputs[0].dtype.is_integer:
            return _integer_power
        return np.power

    def grad(self, op: Any, grad: Tensor) -> list:
        x, y = op.inputs
        z = op.outputs[0]
        gx = multiply(grad, multiply(y, pow(x, subtract(y, constant(1, dtype=y.dtype)))))
        zero = array_ops.zeros_like(x)
        safe_log = array_ops.where(greater(x, zero), log(x), zero)
        gy = multiply(grad, multiply(z, safe_log))
        return [sum_to_shape_of(gx, x, y), sum_to_shape_of(gy, y, x)]


def _integer_power(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if np.any(np.asarray(y) < 0):
        raise ValueError("Integers to negative integer powers are not allowed.")
    return np.power(x, y)


@register("Maximum")
class Maximum(BinaryElementwise):
    """The larger of x and y; the gradient goes to x where x >= y."""

    kernel = ufunc_kernel(np.maximum)

    def grad(self, op: Any, grad: Tensor) -> list:
        x, y = op.inputs
        return _select_grads(grad, greater_equal(x, y), x, y)


@register("Minimum")
class Minimum(BinaryElementwise):
    """The smaller of x and y; the gradient goes to x where x <= y."""

    kernel = ufunc_kernel(np.minimum)

    def grad(self, op: Any, grad: Tensor) -> list:
        x, y = op.inputs
        return _select_grads(grad, less_equal(x, y), x, y)


def _select_grads(grad: Tensor, x_wins: Tensor, x: Tensor, y: Tensor) -> list:
    zeros = array_ops.zeros_like(grad)
    gx = array_ops.where(x_wins, grad, zeros)
    gy = array_ops.where(x_wins, zeros, grad)
    return [sum_to_shape_of(gx, x, y), sum_to_shape_of(gy, y, x)]


@register("SquaredDifference")
class SquaredDifference(BinaryElementwise):
    """(x - y) ** 2 elementwise, in one op."""

    allowed = FLOATS | INDEX
    kernel = ufunc_kernel(lambda x, y: np.square(np.subtract(x, y)))

    def grad(self, op: Any, grad: Tensor) -> list:
        x, y = op.inputs
        gx = multiply(multiply(grad, 2), subtract(x, y))
        return [sum_to_shape_of(gx, x, y), sum_to_shape_of(negative(gx), y, x)]


def squared_difference(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.squared_difference``: (x - y) ** 2 elementwise, in one op."""
    return _binary("SquaredDifference", x, y, name or "SquaredDifference")


@register("Neg")
class Neg(UnaryElementwise):
    """-x."""

    allowed = SIGNED
    kernel = ufunc_kernel(np.negative)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [negative(grad)]


@register("Abs")
class Abs(UnaryElementwise):
    """|x|; its gradient is sign(x)."""

    allowed = SIGNED
    kernel = ufunc_kernel(np.abs)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [multiply(grad, sign(op.inputs[0]))]


@register("Sign")
class Sign(UnaryElementwise):
    """-1, 0 or 1 by the sign of x; zero gradient everywhere."""

    allowed = SIGNED
    kernel = ufunc_kernel(np.sign)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [array_ops.zeros_like(op.inputs[0])]


@register("Square")
class Square(UnaryElementwise):
    """x * x."""

    kernel = ufunc_kernel(np.square)

    def grad(self, op: Any, grad: Tensor) -> list:
        x = op.inputs[0]
        return [multiply(grad, multiply(constant(2, dtype=x.dtype), x))]


@register("Log")
class Log(UnaryElementwise):
    """Natural logarithm."""
    grad_examples = [GradExample([(2, 3)], low=0.5, high=2.0)]

    allowed = FLOATS
    kernel = ufunc_kernel(np.log)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [real_div(grad, op.inputs[0])]


@register("Exp")
class Exp(UnaryElementwise):
    """e ** x."""

    allowed = FLOATS
    kernel = ufunc_kernel(np.exp)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [multiply(grad, op.outputs[0])]


@register("Floor")
class Floor(UnaryElementwise):
    """Rounds toward negative infinity; zero gradient (as TF1's Floor gives None)."""

    allowed = FLOATS
    kernel = ufunc_kernel(np.floor)
    grad = NOT_DIFFERENTIABLE


@register("AddN")
class AddN(OpDef):
    """The elementwise sum of N tensors of one dtype and shape."""
    grad_examples = [GradExample([(2, 3)] * 3), GradExample([()])]

    def infer(self, *inputs: Tensor) -> tuple:
        if not inputs:
            raise ValueError("AddN needs at least one input")
        shape = inputs[0].shape
        for tensor in inputs[1:]:
            check_same_dtype(self.type, inputs[0], tensor, ("inputs", "inputs"))
            if not shape.is_compatible_with(tensor.shape):
                raise ValueError(f"Shapes must be equal, but are {shape} and {tensor.shape}")
            shape = shape.merge_with(tensor.shape)
        check_dtype(self.type, "inputs", inputs[0], NUMERIC)
        return inputs[0].dtype.base_dtype, shape

    def kernel(self, op: Any) -> Any:
        def add_n_kernel(*values: Any) -> Any:
            total = values[0] + values[1] if len(values) > 1 else values[0]
            for value in values[2:]:
                total += value  # `total` is a fresh array by now: adding in place is safe
            return total

        return add_n_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        return [grad] * len(op.inputs)


def add_n(inputs: list, name: str | None = None) -> Tensor:
    """``tf.add_n``: the sum of a list of tensors of one shape."""
    tensors = [convert_to_tensor(t) for t in inputs]
    if len(tensors) == 1 and name is None:
        return tensors[0]
    return build_op("AddN", tensors, name or "AddN")


@register("Ceil")
class Ceil(UnaryElementwise):
    """Rounds toward positive infinity; no gradient flows (as TF1's Ceil gives None)."""

    allowed = FLOATS
    kernel = ufunc_kernel(np.ceil)
    grad = NOT_DIFFERENTIABLE


@register("Round")
class Round(UnaryElementwise):
    """Rounds to the nearest integer, halves to even (banker's rounding); no gradient (TF1)."""

    allowed = FLOATS
    kernel = ufunc_kernel(np.rint)
    grad = NOT_DIFFERENTIABLE


def round(x: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF1's name
    """``tf.round``: the nearest integer, halves to even (banker's rounding); integer tensors
    are returned as they are."""
    x = convert_to_tensor(x)
    if x.dtype.is_integer:
        return x
    return build_op("Round", [x], name or "Round")


_POSITIVE_EXAMPLES = [GradExample([(2, 3)], low=0.5, high=2.0),
                      GradExample([()], low=0.5, high=2.0)]


@register("Sqrt")
class Sqrt(UnaryElementwise):
    """The square root; its gradient is 0.5 / sqrt(x)."""

    allowed = FLOATS
    grad_examples = _POSITIVE_EXAMPLES
    kernel = ufunc_kernel(np.sqrt)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [real_div(multiply(grad, 0.5), op.outputs[0])]


def sqrt(x: Any, name: str | None = None) -> Tensor:
    """``tf.sqrt``: the square root elementwise."""
    return _unary("Sqrt", x, name or "Sqrt")


@register("Rsqrt")
class Rsqrt(UnaryElementwise):
    """1 / sqrt(x); its gradient is -0.5 * y ** 3."""

    allowed = FLOATS
    grad_examples = _POSITIVE_EXAMPLES
    kernel = ufunc_kernel(lambda x: np.reciprocal(np.sqrt(x)))

    def grad(self, op: Any, grad: Tensor) -> list:
        y = op.outputs[0]
        return [multiply(multiply(grad, -0.5), multiply(y, square(y)))]


def rsqrt(x: Any, name: str | None = None) -> Tensor:
    """``tf.rsqrt``: 1 / sqrt(x) elementwise."""
    return _unary("Rsqrt", x, name or "Rsqrt")


@register("Log1p")
class Log1p(UnaryElementwise):
    """log(1 + x), accurate for small x."""

    allowed = FLOATS
    grad_examples = _POSITIVE_EXAMPLES
    kernel = ufunc_kernel(np.log1p)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [real_div(grad, add(op.inputs[0], 1))]


def log1p(x: Any, name: str | None = None) -> Tensor:
    """``tf.log1p``: log(1 + x) elementwise, accurate for small x."""
    return _unary("Log1p", x, name or "Log1p")


@register("Reciprocal")
class Reciprocal(UnaryElementwise):
    """1 / x; its gradient is -y ** 2."""

    allowed = FLOATS
    grad_examples = _POSITIVE_EXAMPLES
    kernel = ufunc_kernel(np.reciprocal)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [multiply(grad, negative(square(op.outputs[0])))]


def reciprocal(x: Any, name: str | None = None) -> Tensor:
    """``tf.reciprocal``: 1 / x elementwise."""
    return _unary("Reciprocal", x, name or "Reciprocal")


@register("Sin")
class Sin(UnaryElementwise):
    """The sine, in radians."""

    allowed = FLOATS
    kernel = ufunc_kernel(np.sin)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [multiply(grad, cos(op.inputs[0]))]


def sin(x: Any, name: str | None = None) -> Tensor:
    """``tf.sin``: the sine elementwise."""
    return _unary("Sin", x, name or "Sin")


@register("Cos")
class Cos(UnaryElementwise):
    """The cosine, in radians."""

    allowed = FLOATS
    kernel = ufunc_kernel(np.cos)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [negative(multiply(grad, sin(op.inputs[0])))]


def cos(x: Any, name: str | None = None) -> Tensor:
    """``tf.cos``: the cosine elementwise."""
    return _unary("Cos", x, name or "Cos")


@register("Sigmoid")
class Sigmoid(UnaryElementwise):
    """The logistic function 1 / (1 + e ** -x), without overflow for large |x|."""

    allowed = FLOATS
    grad_examples = [GradExample([(2, 3)], low=-6.0, high=6.0), GradExample([()])]
    # exp(-log(1 + e ** -x)) stays finite and accurate in float32 at both ends of the range.
    kernel = ufunc_kernel(lambda x: np.exp(-np.logaddexp(0, -x)))

    def grad(self, op: Any, grad: Tensor) -> list:
        y = op.outputs[0]
        return [multiply(grad, multiply(y, subtract(1, y)))]


def sigmoid(x: Any, name: str | None = None) -> Tensor:
    """``tf.sigmoid`` (also ``tf.nn.sigmoid``): the logistic function 1 / (1 + exp(-x))."""
    return _unary("Sigmoid", x, name or "Sigmoid")


@register("Tanh")
class Tanh(UnaryElementwise):
    """The hyperbolic tangent; its gradient is 1 - y ** 2."""

    allowed = FLOATS
    kernel = ufunc_kernel(np.tanh)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [multiply(grad, subtract(1, square(op.outputs[0])))]


def tanh(x: Any, name: str | None = None) -> Tensor:
    """``tf.tanh`` (also ``tf.nn.tanh``): the hyperbolic tangent elementwise."""
    return _unary("Tanh", x, name or "Tanh")


class _FloatPredicate(UnaryElementwise):
    """A bool test of each element of a floating-point tensor; outputs carry no gradient."""

    allowed = FLOATS
    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor) -> tuple:
        check_dtype(self.type, "x", x, self.allowed)
        return dtypes.bool, x.shape


@register("IsNan")
class IsNan(_FloatPredicate):
    kernel = ufunc_kernel(np.isnan)


def is_nan(x: Any, name: str | None = None) -> Tensor:
    """``tf.is_nan``: True where x is NaN."""
    return _unary("IsNan", x, name or "IsNan")


@register("IsInf")
class IsInf(_FloatPredicate):
    kernel = ufunc_kernel(np.isinf)


def is_inf(x: Any, name: str | None = None) -> Tensor:
    """``tf.is_inf``: True where x is +inf or -inf."""
    return _unary("IsInf", x, name or "IsInf")


@register("IsFinite")
class IsFinite(_FloatPredicate):
    kernel = ufunc_kernel(np.isfinite)


def is_finite(x: Any, name: str | None = None) -> Tensor:
    """``tf.is_finite``: True where x is neither NaN nor infinite."""
    return _unary("IsFinite", x, name or "IsFinite")


# -- comparisons and logic -----------------------------------------------------------------
class _Comparison(BinaryElementwise):
    returns_bool = True
    grad = NOT_DIFFERENTIABLE


@register("Less")
class Less(_Comparison):
    kernel = ufunc_kernel(np.less)


@register("LessEqual")
class LessEqual(_Comparison):
    kernel = ufunc_kernel(np.less_equal)


@register("Greater")
class Greater(_Comparison):
    kernel = ufunc_kernel(np.greater)


@register("GreaterEqual")
class GreaterEqual(_Comparison):
    kernel = ufunc_kernel(np.greater_equal)


@register("Equal")
class Equal(_Comparison):
    allowed = NUMERIC | BOOL | {dtypes.string}
    kernel = ufunc_kernel(np.equal)


@register("NotEqual")
class NotEqual(_Comparison):
    allowed = NUMERIC | BOOL | {dtypes.string}
    kernel = ufunc_kernel(np.not_equal)


@register("LogicalAnd")
class LogicalAnd(_Comparison):
    allowed = BOOL
    kernel = ufunc_kernel(np.logical_and)


@register("LogicalOr")
class LogicalOr(_Comparison):
    allowed = BOOL
    kernel = ufunc_kernel(np.logical_or)


@register("LogicalNot")
class LogicalNot(UnaryElementwise):
    allowed = BOOL
    kernel = ufunc_kernel(np.logical_not)
    grad = NOT_DIFFERENTIABLE


# -- casts ---------------------------------------------------------------------------------
@register("Cast")
class Cast(OpDef):
    """x converted to ``DstT``; the gradient flows back only between floating types."""
    grad_examples = [GradExample([(2, 3)], {"DstT": dtypes.float64})]

    attrs = {"DstT": None}

    def infer(self, x: Tensor, *, DstT: dtypes.DType) -> tuple:  # noqa: N803 - TF1's attr name
        return DstT, x.shape

    def kernel(self, op: Any) -> Any:
        np_type = op.attrs["DstT"].as_numpy_dtype
        if op.attrs["DstT"] == dtypes.bool:
            return lambda x: np.asarray(x) != 0
        return lambda x: np.asarray(x).astype(np_type)

    def forwards_input(self, op: Any) -> bool:
        return op.inputs[0].dtype.base_dtype == op.attrs["DstT"]

    def grad(self, op: Any, grad: Tensor) -> list:
        source = op.inputs[0].dtype.base_dtype
        if source in FLOATS and op.attrs["DstT"] in FLOATS:
            return [cast(grad, source)]
        return [None]


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """``tf.cast``: ``x`` as ``dtype`` (floats to ints truncate toward zero, as TF1)."""
    x = convert_to_tensor(x)
    dtype = dtypes.as_dtype(dtype).base_dtype
    if x.dtype.base_dtype == dtype:
        return x
    return build_op("Cast", [x], name or "Cast", {"DstT": dtype})


# -- matrix product ------------------------------------------------------------------------
@register("MatMul")
class MatMul(OpDef):
    """C = op(A) @ op(B) for matrices, op transposing when ``transpose_a``/``transpose_b``."""
    grad_examples = [
        GradExample([(2, 3), (3, 4)]),
        GradExample([(3, 2), (3, 4)], {"transpose_a": True}),
        GradExample([(2, 3), (4, 3)], {"transpose_b": True}),
        GradExample([(3, 2), (4, 3)], {"transpose_a": True, "transpose_b": True}),
    ]

    attrs = {"transpose_a": False, "transpose_b": False}

    def infer(self, a: Tensor, b: Tensor, *, transpose_a: bool, transpose_b: bool) -> tuple:
        check_same_dtype(self.type, a, b, ("a", "b"))
        check_dtype(self.type, "a", a, NUMERIC)
        check_rank(a, 2)
        check_rank(b, 2)
        a_dims = a.shape.as_tuple() or (None, None)
        b_dims = b.shape.as_tuple() or (None, None)
        return a.dtype.base_dtype, _product_dims(a_dims, b_dims, transpose_a, transpose_b)

    def kernel(self, op: Any) -> Any:
        ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
        if not ta and not tb:
            return _matmul
        return lambda a, b: _matmul(a.T if ta else a, b.T if tb else b)

    def grad(self, op: Any, grad: Tensor) -> list:
        a, b = op.inputs
        return _matmul_grads(a, b, grad, op.attrs["transpose_a"], op.attrs["transpose_b"])


def _product_dims(a_dims: tuple, b_dims: tuple, transpose_a: bool, transpose_b: bool) -> tuple:
    """The (rows, columns) of op(A) @ op(B) from the last two dims of A and B (None: unknown);
    ValueError when the inner dims differ."""
    m, k = a_dims[-1:-3:-1] if transpose_a else a_dims[-2:]
    k2, n = b_dims[-1:-3:-1] if transpose_b else b_dims[-2:]
    if k is not None and k2 is not None and k != k2:
        raise ValueError(f"Dimensions must be equal, but are {k} and {k2}")
    return m, n


def _matmul_grads(a: Tensor, b: Tensor, grad: Tensor, transpose_a: bool,
                  transpose_b: bool) -> list:
    """The gradients of op(a) @ op(b) for a and b, before any batch broadcasting is undone."""
    if not transpose_a and not transpose_b:
        return [matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)]
    if not transpose_a:
        return [matmul(grad, b), matmul(grad, a, transpose_a=True)]
    if not transpose_b:
        return [matmul(b, grad, transpose_b=True), matmul(a, grad)]
    return [matmul(b, grad, transpose_a=True, transpose_b=True),
            matmul(grad, a, transpose_a=True, transpose_b=True)]


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.shape[1] != b.shape[0]:
        raise ValueError(
            f"Matrix size-incompatible: In[0]: [{a.shape[0]},{a.shape[1]}], "
            f"In[1]: [{b.shape[0]},{b.shape[1]}]"
        )
    return a @ b


@register("BatchMatMulV2")
class BatchMatMulV2(OpDef):
    """Matrix products batch by batch: the last two dims of x and y hold the matrices (taken
    transposed when ``adj_x``/``adj_y``), the leading batch dims broadcast against each other."""
    grad_examples = [
        GradExample([(2, 2, 3), (2, 3, 4)]),
        GradExample([(2, 2, 3), (3, 4)]),
        GradExample([(3, 1, 3, 2), (2, 3, 4)], {"adj_x": True}),
        GradExample([(2, 3), (2, 1, 4, 3)], {"adj_y": True}),
        GradExample([(1, 3, 2), (2, 4, 3)], {"adj_x": True, "adj_y": True}),
    ]

    attrs = {"adj_x": False, "adj_y": False}

    def infer(self, x: Tensor, y: Tensor, *, adj_x: bool, adj_y: bool) -> tuple:
        check_same_dtype(self.type, x, y)
        check_dtype(self.type, "x", x, NUMERIC)
        x_dims, y_dims = x.shape.as_tuple(), y.shape.as_tuple()
        for dims in (x_dims, y_dims):
            if dims is not None and len(dims) < 2:
                raise ValueError(f"Shape must be at least rank 2 but is rank {len(dims)}")
        if x_dims is None or y_dims is None:
            return x.dtype.base_dtype, None
        m, n = _product_dims(x_dims, y_dims, adj_x, adj_y)
        return x.dtype.base_dtype, broadcast_dims(x_dims[:-2], y_dims[:-2]) + (m, n)

    def kernel(self, op: Any) -> Any:
        adj_x, adj_y = op.attrs["adj_x"], op.attrs["adj_y"]

        def batch_matmul(x: np.ndarray, y: np.ndarray) -> np.ndarray:
            try:
                return np.matmul(np.swapaxes(x, -1, -2) if adj_x else x,
                                 np.swapaxes(y, -1, -2) if adj_y else y)
            except ValueError:
                shapes = f"{format_dims(np.shape(x))} vs. {format_dims(np.shape(y))}"
                raise ValueError(f"Matrix size-incompatible or batch dimensions that do not "
                                 f"broadcast: In[0] and In[1] are {shapes}") from None

        return batch_matmul

    def grad(self, op: Any, grad: Tensor) -> list:
        x, y = op.inputs
        gx, gy = _matmul_grads(x, y, grad, op.attrs["adj_x"], op.attrs["adj_y"])
        return [sum_to_shape_of(gx, x, gx), sum_to_shape_of(gy, y, gy)]


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, name: str | None = None) -> Tensor:
    """``tf.matmul``: the matrix product of ``a`` and ``b`` (optionally transposed). Operands of
    rank > 2 (or unknown rank) multiply batch by batch, their leading dims broadcasting."""
    if (transpose_a and adjoint_a) or (transpose_b and adjoint_b):
        raise ValueError("Only one of transpose_a and adjoint_a (transpose_b and adjoint_b) "
                         "can be True.")
    a, b = binary_operands(a, b)
    ta, tb = transpose_a or adjoint_a, transpose_b or adjoint_b
    ranks = (a.shape.ndims, b.shape.ndims)
    if None in ranks or max(ranks) > 2:
        return build_op("BatchMatMulV2", [a, b], name or "MatMul", {"adj_x": ta, "adj_y": tb})
    return build_op("MatMul", [a, b], name or "MatMul", {"transpose_a": ta, "transpose_b": tb})


# -- tensor contraction --------------------------------------------------------------------
def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """``tf.tensordot``: sums the products of ``a`` and ``b`` over pairs of axes, as
    ``numpy.tensordot``; ``axes`` is N (the last N axes of a with the first N of b) or a pair of
    axis lists. Built from transpose, reshape and matmul, so its gradient comes with them."""
    a, b = binary_operands(a, b)
    with name_scope(name, "Tensordot", [a, b]) as scope:
        a_axes, b_axes = _tensordot_axes(a, b, axes)
        a_matrix, a_free, flip_a = _contraction_matrix(a, a_axes, free_first=True)
        b_matrix, b_free, flip_b = _contraction_matrix(b, b_axes, free_first=False)
        product = matmul(a_matrix, b_matrix, transpose_a=flip_a, transpose_b=flip_b)
        out_dims = _dims_of(a, a_free) + _dims_of(b, b_free)
        if all(t.shape.is_fully_defined() for t in (a, b)) and product.shape == out_dims:
            return product
        return array_ops.reshape(product, _shape_tensor(out_dims), name=scope)


def _tensordot_axes(a: Tensor, b: Tensor, axes: Any) -> tuple[list, list]:
    """The contracted axes of a and of b (non-negative), checked against both shapes."""
    ranks = a.shape.ndims, b.shape.ndims
    if None in ranks:
        raise ValueError(f"tensordot needs operands of known rank, got shapes {a.shape} and "
                         f"{b.shape}")
    if _is_tensor_like(axes):
        axes = constant_value(convert_to_tensor(axes))
        if axes is None:
            raise ValueError("tensordot needs 'axes' known when the graph is built")
    axes = axes.tolist() if isinstance(axes, (np.ndarray, np.integer)) else axes
    if isinstance(axes, int):
        if not 0 <= axes <= min(ranks):
            raise ValueError(f"'axes' must be in [0, {min(ranks)}] (the smaller rank of a and b), "
                             f"got {axes}")
        a_axes, b_axes = list(range(ranks[0] - axes, ranks[0])), list(range(axes))
    elif isinstance(axes, (list, tuple)) and len(axes) == 2:
        a_axes, b_axes = ([list(ax) if isinstance(ax, (list, tuple)) else [ax] for ax in axes])
        if len(a_axes) != len(b_axes):
            raise ValueError(f"Different number of contraction axes 'a' and 'b', "
                             f"{len(a_axes)} != {len(b_axes)}")
    else:
        raise ValueError(f"'axes' must be an integer or a pair of axis lists, got {axes!r}")
    a_axes = [_checked_axis(axis, ranks[0], "a") for axis in a_axes]
    b_axes = [_checked_axis(axis, ranks[1], "b") for axis in b_axes]
    if len(set(a_axes)) != len(a_axes) or len(set(b_axes)) != len(b_axes):
        raise ValueError(f"Contraction axes must be unique, got {a_axes} and {b_axes}")
    for i, j in zip(a_axes, b_axes):
        da, db = a.shape.as_tuple()[i], b.shape.as_tuple()[j]
        if da is not None and db is not None and da != db:
            raise ValueError(f"Dimensions must be equal, but are {da} and {db} (axis {i} of a, "
                             f"axis {j} of b)")
    return a_axes, b_axes


def _checked_axis(axis: int, rank: int, operand: str) -> int:
    if not -rank <= axis < rank:
        raise ValueError(f"Contraction axis {axis} is out of range for '{operand}' of rank {rank}")
    return axis % rank


def _contraction_matrix(x: Tensor, axes: list, free_first: bool) -> tuple:
    """x as a matrix for tensordot's matmul, its free axes, and whether matmul must transpose it.

    The matrix's rows are x's free axes and its columns the contracted ones when
    ``free_first``, else the reverse. When x's axes already lie in the other order, matmul
    transposes instead of the data being moved; otherwise x is transposed first.
    """
    rank = x.shape.ndims
    free = [i for i in range(rank) if i not in axes]
    layouts = {True: free + axes, False: axes + free}
    natural = list(range(rank))
    rows_first, source = free_first, x
    if layouts[free_first] != natural:
        if layouts[not free_first] == natural:
            rows_first = not free_first
        else:
            source = array_ops.transpose(x, layouts[free_first])
    groups = (free, axes) if rows_first else (axes, free)
    target = [_product(_dims_of(x, group)) for group in groups]
    if source.shape.is_fully_defined() and source.shape == target:
        return source, free, rows_first != free_first
    return array_ops.reshape(source, _shape_tensor(target)), free, rows_first != free_first


def _dims_of(x: Tensor, axes: list) -> list:
    """The dims of x along ``axes``: ints where known statically, else scalar tensors."""
    static = x.shape.as_tuple()
    dynamic = None if all(static[i] is not None for i in axes) else array_ops.shape(x)
    return [static[i] if static[i] is not None else array_ops.getitem(dynamic, i) for i in axes]


def _product(dims: list) -> Any:
    """The product of ``dims`` (ints and scalar tensors): an int when all are known."""
    if all(isinstance(d, int) for d in dims):
        return int(np.prod(dims, dtype=np.int64))
    return reduce_prod(_shape_tensor(dims))


def _shape_tensor(dims: list) -> Any:
    """A shape list for reshape: the list itself when all dims are ints, else a stacked tensor."""
    if all(isinstance(d, int) for d in dims):
        return dims
    return array_ops.stack([convert_to_tensor(d, dtype=dtypes.int32) for d in dims])


# -- scans and index reductions ------------------------------------------------------------
@register("Cumsum")
class Cumsum(OpDef):
    """Running sums along ``axis``; ``exclusive`` leaves each element out of its own sum and
    ``reverse`` sums from the end."""
    grad_examples = [
        GradExample([(2, 3), np.array(1, np.int32)]),
        GradExample([(2, 3), np.array(0, np.int32)], {"exclusive": True}),
        GradExample([(4,), np.array(-1, np.int32)], {"reverse": True}),
        GradExample([(2, 3, 2), np.array(1, np.int32)], {"exclusive": True, "reverse": True}),
    ]

    attrs = {"exclusive": False, "reverse": False}

    def infer(self, x: Tensor, axis: Tensor, *, exclusive: bool, reverse: bool) -> tuple:
        check_dtype(self.type, "x", x, NUMERIC)
        check_dtype(self.type, "axis", axis, INDEX)
        check_rank(axis, 0)
        rank, value = x.shape.ndims, constant_value(axis)
        if rank is not None and value is not None and not -rank <= value < rank:
            raise ValueError(f"Expected scan axis in the range [{-rank}, {rank}), but got {value}")
        return x.dtype.base_dtype, x.shape

    def kernel(self, op: Any) -> Any:
        exclusive, reverse = op.attrs["exclusive"], op.attrs["reverse"]
        np_type = op.outputs[0].dtype.as_numpy_dtype

        def cumsum_kernel(x: np.ndarray, axis: Any) -> np.ndarray:
            axis = int(axis) % np.ndim(x)
            if reverse:
                x = np.flip(x, axis)
            if exclusive:  # out[i] = sum(x[:i]): shifted by one, exactly 0 first
                out = np.zeros_like(x, dtype=np_type)
                lead = (slice(None),) * axis
                np.cumsum(x[lead + (slice(None, -1),)], axis=axis, dtype=np_type,
                          out=out[lead + (slice(1, None),)])
            else:
                out = np.cumsum(x, axis=axis, dtype=np_type)
            return np.flip(out, axis) if reverse else out

        return cumsum_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        exclusive, reverse = op.attrs["exclusive"], op.attrs["reverse"]
        return [cumsum(grad, op.inputs[1], exclusive=exclusive, reverse=not reverse), None]


class _ArgExtremum(OpDef):
    """The index of the extreme element along ``dimension``, as ``output_type``. Ties go to the
    first; NaN is never chosen over a number (TF's CPU kernel). Subclasses give ``find`` and the
    value that stands in for NaN."""

    attrs = {"output_type": dtypes.int64}
    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor, dimension: Tensor, *, output_type: dtypes.DType) -> tuple:
        check_dtype(self.type, "input", x, NUMERIC)
        check_dtype(self.type, "dimension", dimension, INDEX)
        check_rank(dimension, 0)
        if output_type not in INDEX:
            raise TypeError(f"Value for attr 'output_type' of {output_type.name} is not in the "
                            "list of allowed values: int32, int64")
        dims, axis = x.shape.as_tuple(), constant_value(dimension)
        if dims is None:
            return output_type, None
        if axis is None:
            return output_type, [None] * (len(dims) - 1)
        if not -len(dims) <= axis < len(dims):
            raise ValueError(f"Dimension ({axis}) must be in the range [{-len(dims)}, "
                             f"{len(dims)}), where {len(dims)} is the number of dimensions in "
                             "the input")
        axis = int(axis) % len(dims)
        return output_type, dims[:axis] + dims[axis + 1:]

    def kernel(self, op: Any) -> Any:
        np_type = op.attrs["output_type"].as_numpy_dtype
        find, nan_stand_in = self.find, self.nan_stand_in
        if not op.inputs[0].dtype.is_floating:
            return lambda x, axis: find(x, axis=int(axis)).astype(np_type)

        def arg_extremum(x: np.ndarray, axis: Any) -> Any:
            nan = np.isnan(x)
            x = np.where(nan, nan_stand_in, x) if nan.any() else x
            return find(x, axis=int(axis)).astype(np_type)

        return arg_extremum


@register("ArgMax")
class ArgMax(_ArgExtremum):
    find = staticmethod(np.argmax)
    nan_stand_in = -np.inf


@register("ArgMin")
class ArgMin(_ArgExtremum):
    find = staticmethod(np.argmin)
    nan_stand_in = np.inf


def _arg_extremum(op_type: str, x: Any, axis: Any, name: str | None, dimension: Any,
                  output_type: Any) -> Tensor:
    if axis is not None and dimension is not None:
        raise ValueError("Cannot specify both 'axis' and 'dimension'.")
    axis = dimension if axis is None else axis
    return build_op(op_type, [convert_to_tensor(x), _index_tensor(0 if axis is None else axis)],
               name or op_type, {"output_type": dtypes.as_dtype(output_type)})


def _index_tensor(value: Any, name: str | None = None) -> Tensor:
    """An axis argument as a tensor: Python ints and lists become int32, tensors pass as is."""
    if _is_tensor_like(value):
        return convert_to_tensor(value)
    return convert_to_tensor(value, dtype=dtypes.int32, name=name)


# -- reductions ----------------------------------------------------------------------------
class _Reduction(OpDef):
    """Reduces ``input`` over the axes listed in ``reduction_indices``; ``keep_dims`` keeps the
    reduced axes with length 1. ``numpy_reduce(op)`` gives f(x, axis=tuple, keepdims=bool)."""

    attrs = {"keep_dims": False}
    allowed = NUMERIC

    def infer(self, x: Tensor, axes: Tensor, *, keep_dims: bool) -> tuple:
        check_dtype(self.type, "input", x, self.allowed)
        check_dtype(self.type, "reduction_indices", axes, INDEX)
        dims = x.shape.as_tuple()
        axes_value = constant_value(axes)
        if dims is None or axes_value is None:
            rank = dims and len(dims)
            return x.dtype.base_dtype, ([None] * rank if keep_dims and rank is not None else None)
        reduced = _normalize_axes(axes_value, len(dims))
        if keep_dims:
            return x.dtype.base_dtype, [1 if i in reduced else d for i, d in enumerate(dims)]
        return x.dtype.base_dtype, [d for i, d in enumerate(dims) if i not in reduced]

    def kernel(self, op: Any) -> Any:
        reduce = self.numpy_reduce(op)
        keep = op.attrs["keep_dims"]
        # (axes array, as a tuple) seen last: constant axes, the same array on every run, are
        # converted once. One tuple in one slot, so concurrent runs never mix two entries.
        last = [(None, ())]

        def reduction(x: Any, axes: Any) -> Any:
            entry = last[0]
            if entry[0] is not axes:
                entry = last[0] = (axes, tuple(np.ravel(axes).tolist()))
            return reduce(x, axis=entry[1], keepdims=keep)

        return reduction


_REDUCTION_EXAMPLES = [
    GradExample([(2, 3, 4), np.array([1], np.int32)]),
    GradExample([(2, 3, 4), np.array([0, 2], np.int32)], {"keep_dims": True}),
    GradExample([(2, 3), np.array([0, 1], np.int32)]),
    GradExample([(3,), np.array([-1], np.int32)], {"keep_dims": True}),
    GradExample([(2, 3), np.array(0, np.int32)]),
]


def _normalize_axes(axes: Any, rank: int) -> set:
    out = set()
    for axis in np.ravel(axes).tolist():
        if not -rank <= axis < rank:
            raise ValueError(f"Invalid reduction dimension {axis} for input with {rank} dimensions")
        out.add(axis % rank)
    return out


@register("Sum")
class Sum(_Reduction):
    """Sum of elements over the given axes."""
    grad_examples = _REDUCTION_EXAMPLES

    def numpy_reduce(self, op: Any) -> Any:
        if op.inputs[0].dtype.is_floating:  # NumPy sums floats in their own type
            return sum_over
        return functools.partial(sum_over, dtype=op.inputs[0].dtype.as_numpy_dtype)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_broadcast_reduced_grad(op, grad), None]


@register("Mean")
class Mean(_Reduction):
    """Mean of elements over the given axes; integer means truncate toward zero, as TF."""
    grad_examples = _REDUCTION_EXAMPLES

    def numpy_reduce(self, op: Any) -> Any:
        np_type = op.inputs[0].dtype.as_numpy_dtype
        if op.inputs[0].dtype.is_integer:
            return _integer_mean(np_type)
        return _float_mean(np_type)

    def grad(self, op: Any, grad: Tensor) -> list:
        # The incoming gradient is divided by the count before it is broadcast back to x's
        # shape: the division runs on the small reduced array.
        x, out = op.inputs[0], op.outputs[0]
        reduced = out.shape.num_elements()  # None unless the output's shape is known
        if x.shape.is_fully_defined() and reduced is not None:
            factor = constant(x.shape.num_elements() // max(reduced, 1), dtype=grad.dtype)
        elif reduced:  # e.g. the mean over a batch of unknown size: one Size op
            count = array_ops.size(x)
            factor = cast(count if reduced == 1 else floordiv(count, reduced), grad.dtype)
        else:
            sizes = [reduce_prod(array_ops.shape(t)) for t in (x, out)]
            factor = cast(floordiv(sizes[0], maximum(sizes[1], 1)), grad.dtype)
        return [_broadcast_reduced_grad(op, real_div(grad, factor)), None]


def _float_mean(np_type: type) -> Any:
    """The sum over the axes divided by their size; an empty axis gives nan without the
    warning ``np.mean`` would print (TF1 is silent)."""

    def float_mean(x: np.ndarray, axis: tuple, keepdims: bool) -> Any:
        shape = x.shape  # kernels get arrays or NumPy scalars: both have one
        count = 1
        for a in axis:
            count *= shape[a]
        return sum_over(x, axis, keepdims, np_type) / np_type(count)

    return float_mean


def _integer_mean(np_type: type) -> Any:
    """TF's integer mean: the sum in a 64-bit accumulator (so int8 and int32 sums do not wrap),
    divided by the count with truncation toward zero, cast back to the input's dtype."""
    accumulator = np.uint64 if np.issubdtype(np_type, np.unsignedinteger) else np.int64

    def integer_mean(x: np.ndarray, axis: tuple, keepdims: bool) -> Any:
        total = np.sum(x, axis=axis, dtype=accumulator, keepdims=keepdims)
        count = max(np.size(x) // max(np.size(total), 1), 1)
        return ((total - np.fmod(total, count)) // count).astype(np_type)

    return integer_mean


class _Extremum(_Reduction):
    """Max or Min. An empty reduction gives the identity (-inf or +inf, the integer range's end),
    and the gradient is split evenly among the elements that tie for the result, as TF1."""

    grad_examples = _REDUCTION_EXAMPLES
    ufunc: Any = None
    upper = False  # True: the identity of the reduction is the top of the dtype's range

    def numpy_reduce(self, op: Any) -> Any:
        np_type = op.inputs[0].dtype.as_numpy_dtype
        if np.issubdtype(np_type, np.floating):
            identity = np.inf if self.upper else -np.inf
        else:
            identity = np.iinfo(np_type).max if self.upper else np.iinfo(np_type).min
        return functools.partial(extreme_over, self.ufunc, initial=identity)

    def grad(self, op: Any, grad: Tensor) -> list:
        x, axes = op.inputs
        y = _with_reduced_dims(op, op.outputs[0])
        indicators = cast(equal(y, x), grad.dtype)
        num_selected = reduce_sum(indicators, axes, keepdims=True)
        return [multiply(real_div(indicators, num_selected), _with_reduced_dims(op, grad)), None]


@register("Max")
class Max(_Extremum):
    """The largest element over the given axes."""

    ufunc = np.maximum


@register("Min")
class Min(_Extremum):
    """The smallest element over the given axes."""

    ufunc = np.minimum
    upper = True


@register("Prod")
class Prod(_Reduction):
    """The product of elements over the given axes; its gradient stays right with zeros."""
    grad_examples = _REDUCTION_EXAMPLES

    def numpy_reduce(self, op: Any) -> Any:
        return functools.partial(np.prod, dtype=op.inputs[0].dtype.as_numpy_dtype)

    def grad(self, op: Any, grad: Tensor) -> list:
        # d prod / d x_i is the product of the other elements of x_i's slice: the product of the
        # slice's nonzero elements, divided by x_i unless x_i is 0, and 0 if another element is 0.
        x, axes = op.inputs
        is_zero = equal(x, 0)
        zeros = cast(is_zero, x.dtype)
        nonzero = array_ops.where(is_zero, array_ops.ones_like(x), x)
        others = real_div(reduce_prod(nonzero, axes, keepdims=True), nonzero)
        zeros_elsewhere = subtract(reduce_sum(zeros, axes, keepdims=True), zeros)
        others = multiply(others, cast(equal(zeros_elsewhere, 0), x.dtype))
        return [multiply(_with_reduced_dims(op, grad), others), None]


class _LogicalReduction(_Reduction):
    allowed = BOOL
    grad = NOT_DIFFERENTIABLE


@register("Any")
class ReduceAny(_LogicalReduction):
    """True where any element over the given axes is True."""

    def numpy_reduce(self, op: Any) -> Any:
        return np.any


@register("All")
class ReduceAll(_LogicalReduction):
    """True where every element over the given axes is True."""

    def numpy_reduce(self, op: Any) -> Any:
        return np.all


def _with_reduced_dims(op: Any, t: Tensor) -> Tensor:
    """``t``, shaped like the output of the reduction ``op``, with the reduced axes put back
    with length 1 (so it broadcasts against the input); as it is when ``keep_dims`` was set."""
    if op.attrs["keep_dims"]:
        return t
    x, axes = op.inputs
    x_dims, axes_value = x.shape.as_tuple(), constant_value(axes)
    if x_dims is not None and axes_value is not None:
        reduced = _normalize_axes(axes_value, len(x_dims))
        kept = [1 if i in reduced else -1 if d is None else d for i, d in enumerate(x_dims)]
        if kept.count(-1) <= 1:
            return array_ops.reshape(t, kept)
    return array_ops.reshape(t, array_ops.reduced_shape(array_ops.shape(x), axes))


def _broadcast_reduced_grad(op: Any, grad: Tensor) -> Tensor:
    """The gradient of a sum: ``grad`` with the reduced axes restored, tiled to x's shape."""
    return multiply(_with_reduced_dims(op, grad), array_ops.ones_like(op.inputs[0]))


def _reduction_args(axis: Any, keepdims: Any, reduction_indices: Any, keep_dims: Any) -> tuple:
    """TF1's two spellings of the axes and of keepdims, resolved to (axis, keepdims)."""
    if axis is not None and reduction_indices is not None:
        raise ValueError("Cannot specify both 'axis' and 'reduction_indices'.")
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'.")
    axis = reduction_indices if axis is None else axis
    return axis, bool(keep_dims if keepdims is None else keepdims)


def _reduction(op_type: str, input_tensor: Any, axis: Any, keepdims: Any, name: str | None,
               reduction_indices: Any, keep_dims: Any) -> Tensor:
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    x = convert_to_tensor(input_tensor)
    # Named as TF1 names them: all axes are a "Const" beside the op, given axes are
    # "<op>/reduction_indices" inside its scope.
    axes = _all_axes(x) if axis is None else None
    with name_scope(name, op_type, [x]) as scope:
        if axes is None:
            axes = _index_tensor(axis, name="reduction_indices")
        out = build_op(op_type, [x, axes], scope, {"keep_dims": keep})
    return _full_reduction_is_scalar(out, axis, keep)


def _full_reduction_is_scalar(out: Tensor, axis: Any, keep: bool) -> Tensor:
    """Reducing all axes gives a scalar even when the input's rank is unknown (TF1 knows it)."""
    if axis is None and not keep:
        out.set_shape(())
    return out


def _all_axes(x: Tensor) -> Tensor:
    rank = x.shape.ndims
    if rank is not None:
        return constant(np.arange(rank, dtype=np.int32), name="Const")
    return array_ops.range_(0, array_ops.rank(x))


def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.reduce_sum``: the sum over ``axis`` (all axes when None)."""
    return _reduction("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
                reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.reduce_mean``: the mean over ``axis`` (all axes when None); integer means truncate
    toward zero."""
    return _reduction("Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_max(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.reduce_max``: the largest element over ``axis`` (all axes when None)."""
    return _reduction("Max", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_min(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.reduce_min``: the smallest element over ``axis`` (all axes when None)."""
    return _reduction("Min", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_prod(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
                reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.reduce_prod``: the product over ``axis`` (all axes when None)."""
    return _reduction("Prod", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_any(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.reduce_any``: logical or of a bool tensor over ``axis`` (all axes when None)."""
    return _reduction("Any", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_all(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.reduce_all``: logical and of a bool tensor over ``axis`` (all axes when None)."""
    return _reduction("All", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: Any = None,
                     name: str | None = None, reduction_indices: Any = None,
                     keep_dims: Any = None) -> Tensor:
    """``tf.reduce_logsumexp``: log(sum(exp(x))) over ``axis``, shifted by the maximum so that
    large inputs do not overflow (the shift carries no gradient, as TF1)."""
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    x = convert_to_tensor(input_tensor)
    with name_scope(name, "ReduceLogSumExp", [x]) as scope:
        raw_max = reduce_max(x, axis, keepdims=True)
        shift = array_ops.stop_gradient(
            array_ops.where(is_finite(raw_max), raw_max, array_ops.zeros_like(raw_max)))
        result = log(reduce_sum(exp(subtract(x, shift)), axis, keepdims=keep))
        if not keep:
            shift = array_ops.reshape(shift, array_ops.shape(result))
        result = add(result, shift, name=scope)
    return _full_reduction_is_scalar(result, axis, keep)


def count_nonzero(input_tensor: Any = None, axis: Any = None, keepdims: Any = None,
                  dtype: Any = dtypes.int64, name: str | None = None,
                  reduction_indices: Any = None, keep_dims: Any = None,
                  input: Any = None) -> Tensor:  # noqa: A002 - TF1's name
    """``tf.count_nonzero``: how many elements over ``axis`` are not zero (not False, not the
    empty string), as ``dtype``."""
    if input is not None and input_tensor is not None:
        raise ValueError("Cannot specify both 'input' and 'input_tensor'.")
    axis, keep = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    x = convert_to_tensor(input_tensor if input is None else input)
    with name_scope(name, "count_nonzero", [x]):
        zero = constant(b"" if x.dtype == dtypes.string else 0, dtype=x.dtype, name="zeros")
        nonzero = cast(not_equal(x, zero), dtypes.int64)
        return cast(reduce_sum(nonzero, axis, keepdims=keep), dtype)


def argmax(input: Any, axis: Any = None, name: str | None = None,  # noqa: A002 - TF1's name
           dimension: Any = None, output_type: Any = dtypes.int64) -> Tensor:
    """``tf.argmax``: the index of the largest element along ``axis`` (0 when None;
    ``dimension`` is its old name), as ``output_type``."""
    return _arg_extremum("ArgMax", input, axis, name, dimension, output_type)


def argmin(input: Any, axis: Any = None, name: str | None = None,  # noqa: A002 - TF1's name
           dimension: Any = None, output_type: Any = dtypes.int64) -> Tensor:
    """``tf.argmin``: the index of the smallest element along ``axis`` (0 when None;
    ``dimension`` is its old name), as ``output_type``."""
    return _arg_extremum("ArgMin", input, axis, name, dimension, output_type)


def cumsum(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
           name: str | None = None) -> Tensor:
    """``tf.cumsum``: running sums of ``x`` along ``axis`` (``exclusive``: each element left out
    of its own sum; ``reverse``: from the end)."""
    x = convert_to_tensor(x)
    with name_scope(name, "Cumsum", [x]) as scope:
        return build_op("Cumsum", [x, _index_tensor(axis)], scope,
                   {"exclusive": exclusive, "reverse": reverse})


# -- public wrappers -----------------------------------------------------------------------
def add(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.add``: x + y with broadcasting."""
    return _binary("Add", x, y, name or "Add")


def subtract(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.subtract``: x - y with broadcasting."""
    return _binary("Sub", x, y, name or "Sub")


def multiply(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.multiply``: x * y elementwise with broadcasting."""
    return _binary("Mul", x, y, name or "Mul")


def real_div(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary("RealDiv", x, y, name or "RealDiv")


def truediv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.truediv``: x / y; integers are first cast to float (int32 to float64, as TF1)."""
    x, y = binary_operands(x, y)
    with name_scope(name, "truediv", [x, y]) as scope:
        check_same_dtype("RealDiv", x, y)
        if x.dtype.is_integer:
            target = dtypes.float32 if x.dtype.size <= 2 else dtypes.float64
            x, y = cast(x, target), cast(y, target)
        return build_op("RealDiv", [x, y], scope)


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.divide``: x / y (Python 3 division)."""
    return truediv(x, y, name or "truediv")


def floordiv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.floordiv``: x // y, rounding toward negative infinity."""
    return _binary("FloorDiv", x, y, name or "floordiv")


def floormod(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.floormod``/``tf.mod``: x % y with the sign of y."""
    return _binary("FloorMod", x, y, name or "FloorMod")


mod = floormod  # tf.mod and tf.math.mod are TF1's names for floormod


def pow(x: Any, y: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF1's name
    """``tf.pow``: x ** y elementwise."""
    return _binary("Pow", x, y, name or "Pow")


def maximum(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary("Maximum", x, y, name or "Maximum")


def minimum(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary("Minimum", x, y, name or "Minimum")


def negative(x: Any, name: str | None = None) -> Tensor:
    """``tf.negative``: -x."""
    return _unary("Neg", x, name or "Neg")


def abs(x: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF1's name
    """``tf.abs``: |x|."""
    return _unary("Abs", x, name or "Abs")


def sign(x: Any, name: str | None = None) -> Tensor:
    return _unary("Sign", x, name or "Sign")


def square(x: Any, name: str | None = None) -> Tensor:
    """``tf.square``: x * x."""
    return _unary("Square", x, name or "Square")


def log(x: Any, name: str | None = None) -> Tensor:
    return _unary("Log", x, name or "Log")


def exp(x: Any, name: str | None = None) -> Tensor:
    return _unary("Exp", x, name or "Exp")


def floor(x: Any, name: str | None = None) -> Tensor:
    return _unary("Floor", x, name or "Floor")


def ceil(x: Any, name: str | None = None) -> Tensor:
    return _unary("Ceil", x, name or "Ceil")


def less(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary("Less", x, y, name or "Less")


def less_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary("LessEqual", x, y, name or "LessEqual")


def greater(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary("Greater", x, y, name or "Greater")


def greater_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary("GreaterEqual", x, y, name or "GreaterEqual")


def equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.equal``: elementwise x == y (the ``==`` operator compares identity, as TF1)."""
    return _binary("Equal", x, y, name or "Equal")


def not_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary("NotEqual", x, y, name or "NotEqual")


def logical_and(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary("LogicalAnd", x, y, name or "LogicalAnd")


def logical_or(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary("LogicalOr", x, y, name or "LogicalOr")


def logical_not(x: Any, name: str | None = None) -> Tensor:
    return _unary("LogicalNot", x, name or "LogicalNot")


def logical_xor(x: Any, y: Any, name: str = "LogicalXor") -> Tensor:
    """``tf.math.logical_xor``: x XOR y elementwise, built as TF1 builds it: (x | y) & ~(x & y)."""
    x, y = binary_operands(x, y)
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


def div(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.div`` (deprecated in TF1): x / y with Python 2 semantics: floor division for
    integers, true division for floats."""
    x, y = binary_operands(x, y)
    with name_scope(name, "div", [x, y]) as scope:
        check_same_dtype("div", x, y)
        return build_op("RealDiv" if x.dtype.is_floating else "FloorDiv", [x, y], scope)



def to_float(x: Any, name: str = "ToFloat") -> Tensor:
    """``tf.to_float`` (deprecated in TF1): ``tf.cast(x, tf.float32)``."""
    return cast(x, dtypes.float32, name=name)


def to_double(x: Any, name: str = "ToDouble") -> Tensor:
    """``tf.to_double`` (deprecated in TF1): ``tf.cast(x, tf.float64)``."""
    return cast(x, dtypes.float64, name=name)


def to_int32(x: Any, name: str = "ToInt32") -> Tensor:
    """``tf.to_int32`` (deprecated in TF1): ``tf.cast(x, tf.int32)``."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x: Any, name: str = "ToInt64") -> Tensor:
    """``tf.to_int64`` (deprecated in TF1): ``tf.cast(x, tf.int64)``."""
    return cast(x, dtypes.int64, name=name)


# -- clipping ------------------------------------------------------------------------------
def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any,
                  name: str | None = None) -> Tensor:
    """``tf.clip_by_value``: t limited to [clip_value_min, clip_value_max] (the bounds may
    broadcast against t); the gradient is 0 where t was clipped, as TF1."""
    t = convert_to_tensor(t)
    with name_scope(name, "clip_by_value", [t]) as scope:
        upper = minimum(t, clip_value_max)
        _check_unchanged_shape("clip_by_value", t, upper)
        out = maximum(upper, clip_value_min, name=scope)
        _check_unchanged_shape("clip_by_value", t, out)
    return out


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """``tf.clip_by_norm``: t scaled down so that its L2 norm over ``axes`` (all when None) is
    at most ``clip_norm``; unchanged where the norm is already smaller."""
    t = convert_to_tensor(t)
    with name_scope(name, "clip_by_norm", [t]) as scope:
        l2sum = reduce_sum(multiply(t, t), axes, keepdims=True)
        positive = greater(l2sum, 0)
        # The two-sided where keeps the gradient of sqrt finite where the norm is 0 (TF1).
        l2sum_safe = array_ops.where(positive, l2sum, array_ops.ones_like(l2sum))
        l2norm = array_ops.where(positive, sqrt(l2sum_safe), l2sum)
        scaled = multiply(t, clip_norm)
        _check_unchanged_shape("clip_by_norm", t, scaled)
        return array_ops.identity(truediv(scaled, maximum(l2norm, clip_norm)), name=scope)


def _check_unchanged_shape(function: str, t: Tensor, out: Tensor) -> None:
    """Clipping must not broadcast t to a larger shape (TF1 checks the same)."""
    if not t.shape.is_compatible_with(out.shape):
        raise ValueError(f"{function}: the clip arguments must broadcast to the shape of t "
                         f"{t.shape}, but give shape {out.shape}")
