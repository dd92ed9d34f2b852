"""Arithmetic, comparison, logical and reduction ops, each defined once with its gradient.

Every public function here builds one op through the registry; Python operators on tensors
(``a + b``) call these same functions (see ``overloads``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import Tensor, get_default_graph, name_scope
from graphflow.framework.registry import NOT_DIFFERENTIABLE, GradExample, OpDef, register
from graphflow.ops import array_ops
from graphflow.ops.constant_op import constant, constant_value, convert_to_tensor
from graphflow.ops.op_util import (
    BOOL,
    FLOATS,
    NUMERIC,
    SIGNED,
    BinaryElementwise,
    UnaryElementwise,
    check_dtype,
    check_rank,
    check_same_dtype,
    ufunc_kernel,
)


def _op(op_type: str, inputs: list, name: str | None, attrs: dict | None = None) -> Tensor:
    return get_default_graph().create_op(op_type, inputs, attrs, name).outputs[0]


def binary_operands(x: Any, y: Any) -> tuple[Tensor, Tensor]:
    """Converts the operands of a binary op: a non-tensor takes the other operand's dtype,
    as TF1 does for ``tensor + 1``; two tensors must already agree."""
    if isinstance(x, Tensor) or hasattr(x, "_as_graph_tensor"):
        x = convert_to_tensor(x)
        return x, convert_to_tensor(y, dtype=None if _is_tensor_like(y) else x.dtype.base_dtype)
    if _is_tensor_like(y):
        y = convert_to_tensor(y)
        return convert_to_tensor(x, dtype=y.dtype.base_dtype), y
    x = convert_to_tensor(x)
    return x, convert_to_tensor(y, dtype=x.dtype.base_dtype)


def _is_tensor_like(value: Any) -> bool:
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_tensor")


def _binary(op_type: str, x: Any, y: Any, name: str | None) -> Tensor:
    x, y = binary_operands(x, y)
    return _op(op_type, [x, y], name)


def _unary(op_type: str, x: Any, name: str | None) -> Tensor:
    return _op(op_type, [convert_to_tensor(x)], name)


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

    kernel = ufunc_kernel(np.floor_divide)
    grad = NOT_DIFFERENTIABLE


@register("FloorMod")
class FloorMod(BinaryElementwise):
    """x % y with the sign of y, as Python's ``%``."""
    grad_examples = [GradExample(e.inputs, low=0.5, high=2.0)
                     for e in BinaryElementwise.grad_examples]

    kernel = ufunc_kernel(np.mod)

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
    return _op("AddN", tensors, name or "AddN")


@register("Ceil")
class Ceil(UnaryElementwise):
    """Rounds toward positive infinity; no gradient flows (as TF1's Ceil gives None)."""

    allowed = FLOATS
    kernel = ufunc_kernel(np.ceil)
    grad = NOT_DIFFERENTIABLE


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
    return _op("Cast", [x], name or "Cast", {"DstT": dtype})


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
        m, k = a_dims[::-1] if transpose_a else a_dims
        k2, n = b_dims[::-1] if transpose_b else b_dims
        if k is not None and k2 is not None and k != k2:
            raise ValueError(f"Dimensions must be equal, but are {k} and {k2}")
        return a.dtype.base_dtype, (m, n)

    def kernel(self, op: Any) -> Any:
        ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
        if not ta and not tb:
            return _matmul
        return lambda a, b: _matmul(a.T if ta else a, b.T if tb else b)

    def grad(self, op: Any, grad: Tensor) -> list:
        a, b = op.inputs
        ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
        if not ta and not tb:
            return [matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)]
        if not ta and tb:
            return [matmul(grad, b), matmul(grad, a, transpose_a=True)]
        if ta and not tb:
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


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, name: str | None = None) -> Tensor:
    """``tf.matmul``: the matrix product of ``a`` and ``b`` (optionally transposed)."""
    a, b = binary_operands(a, b)
    attrs = {"transpose_a": transpose_a or adjoint_a, "transpose_b": transpose_b or adjoint_b}
    return _op("MatMul", [a, b], name or "MatMul", attrs)


# -- reductions ----------------------------------------------------------------------------
class _Reduction(OpDef):
    """Reduces ``input`` over the axes in ``reduction_indices`` (all when empty is given
    as the full list); ``keep_dims`` keeps reduced axes with length 1."""

    attrs = {"keep_dims": False}
    allowed = NUMERIC

    def infer(self, x: Tensor, axes: Tensor, *, keep_dims: bool) -> tuple:
        check_dtype(self.type, "input", x, self.allowed)
        check_dtype(self.type, "reduction_indices", axes, frozenset({dtypes.int32, dtypes.int64}))
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
        return lambda x, axes: reduce(x, tuple(np.ravel(axes).tolist()), keep)


def _normalize_axes(axes: Any, rank: int) -> set:
    out = set()
    for axis in np.ravel(axes).tolist():
        if not -rank <= axis < max(rank, 1):
            raise ValueError(f"Invalid reduction dimension {axis} for input with {rank} dimensions")
        out.add(axis % rank if rank else 0)
    return out


@register("Sum")
class Sum(_Reduction):
    """Sum of elements over the given axes."""
    grad_examples = [
        GradExample([(2, 3, 4), np.array([1], np.int32)]),
        GradExample([(2, 3, 4), np.array([0, 2], np.int32)], {"keep_dims": True}),
        GradExample([(2, 3), np.array([0, 1], np.int32)]),
        GradExample([(3,), np.array([-1], np.int32)], {"keep_dims": True}),
    ]

    def numpy_reduce(self, op: Any) -> Any:
        np_type = op.inputs[0].dtype.as_numpy_dtype
        return lambda x, axis, keepdims: np.sum(x, axis=axis, dtype=np_type, keepdims=keepdims)

    def grad(self, op: Any, grad: Tensor) -> list:
        x = op.inputs[0]
        return [_broadcast_reduced_grad(op, grad, x), None]


@register("Mean")
class Mean(_Reduction):
    """Mean of elements over the given axes (integer means truncate, as TF1)."""
    grad_examples = [
        GradExample([(2, 3, 4), np.array([1], np.int32)]),
        GradExample([(2, 3, 4), np.array([0, 2], np.int32)], {"keep_dims": True}),
        GradExample([(2, 3), np.array([0, 1], np.int32)]),
        GradExample([(3,), np.array([-1], np.int32)], {"keep_dims": True}),
    ]

    def numpy_reduce(self, op: Any) -> Any:
        np_type = op.inputs[0].dtype.as_numpy_dtype
        if op.inputs[0].dtype.is_integer:
            def int_mean(x: np.ndarray, axis: tuple, keepdims: bool) -> np.ndarray:
                return np.asarray(np.mean(x, axis=axis, keepdims=keepdims)).astype(np_type)

            return int_mean
        return lambda x, axis, keepdims: np.mean(x, axis=axis, dtype=np_type, keepdims=keepdims)

    def grad(self, op: Any, grad: Tensor) -> list:
        x = op.inputs[0]
        summed = _broadcast_reduced_grad(op, grad, x)
        out = op.outputs[0]
        if x.shape.is_fully_defined() and out.shape.is_fully_defined():
            count = max(x.shape.num_elements() // max(out.shape.num_elements(), 1), 1)
            return [real_div(summed, constant(count, dtype=summed.dtype)), None]
        count = cast(real_div(cast(array_ops.size(x), dtypes.float64),
                              cast(array_ops.size(out), dtypes.float64)), x.dtype)
        return [real_div(summed, count), None]


def _broadcast_reduced_grad(op: Any, grad: Tensor, x: Tensor) -> Tensor:
    """The gradient of a sum: ``grad`` with the reduced axes restored, tiled to x's shape."""
    axes = op.inputs[1]
    if not op.attrs["keep_dims"]:
        x_dims = x.shape.as_tuple()
        axes_value = constant_value(axes)
        if x_dims is not None and axes_value is not None:
            reduced = _normalize_axes(axes_value, len(x_dims))
            kept = [1 if i in reduced else d if d is not None else -1 for i, d in enumerate(x_dims)]
            if kept.count(-1) > 1:
                kept_shape = array_ops.reduced_shape(array_ops.shape(x), axes)
            else:
                kept_shape = kept
        else:
            kept_shape = array_ops.reduced_shape(array_ops.shape(x), axes)
        grad = array_ops.reshape(grad, kept_shape)
    return multiply(grad, array_ops.ones_like(x))


def _reduction(op_type: str, input_tensor: Any, axis: Any, keepdims: Any, name: str | None,
               reduction_indices: Any, keep_dims: Any, default_name: str) -> Tensor:
    if axis is not None and reduction_indices is not None:
        raise ValueError("Cannot specify both 'axis' and 'reduction_indices'.")
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'.")
    axis = reduction_indices if axis is None else axis
    keep = bool(keep_dims if keepdims is None else keepdims)
    x = convert_to_tensor(input_tensor)
    with name_scope(name, default_name, [x]) as scope:
        axes = _all_axes(x) if axis is None else convert_to_tensor(axis, dtype=dtypes.int32)
        return _op(op_type, [x, axes], scope, {"keep_dims": keep})


def _all_axes(x: Tensor) -> Tensor:
    rank = x.shape.ndims
    if rank is not None:
        return constant(np.arange(rank, dtype=np.int32), name="Const")
    return array_ops.range_(0, array_ops.rank(x))


def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
               reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.reduce_sum``: the sum over ``axis`` (all axes when None)."""
    return _reduction("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims,
                      "Sum")


def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
                reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.reduce_mean``: the mean over ``axis`` (all axes when None)."""
    return _reduction("Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims,
                      "Mean")


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
        return _op("RealDiv", [x, y], scope)


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.divide``: x / y (Python 3 division)."""
    return truediv(x, y, name or "truediv")


def floordiv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.floordiv``: x // y, rounding toward negative infinity."""
    return _binary("FloorDiv", x, y, name or "floordiv")


def floormod(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.floormod``/``tf.mod``: x % y with the sign of y."""
    return _binary("FloorMod", x, y, name or "FloorMod")


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
