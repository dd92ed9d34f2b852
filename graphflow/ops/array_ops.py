"""Shape and array ops: reshape, shape queries, slicing, joining and splitting, gathering,
padding, fills, selection and matrix diagonals."""

from __future__ import annotations

import operator
from collections import namedtuple
from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import Tensor, get_default_graph, name_scope
from graphflow.framework.registry import (
    NO_GRADIENT,
    NOT_DIFFERENTIABLE,
    GradExample,
    OpDef,
    register,
)
from graphflow.framework.tensor_shape import TensorShape, broadcast_dims
from graphflow.ops.constant_op import (
    constant,
    constant_value,
    constant_value_as_shape,
    convert_to_tensor,
    identity_kernel,
)
from graphflow.ops.op_util import (
    BOOL,
    FLOATS,
    INDEX,
    NUMERIC,
    build_op,
    check_dtype,
    check_rank,
    check_same_dtype,
    ufunc_kernel,
)

newaxis = None



def _math() -> Any:
    """``graphflow.ops.math_ops``, imported when first needed (it imports this module)."""
    from graphflow.ops import math_ops

    return math_ops


def _const_ints(tensor: Tensor) -> list[int] | None:
    """The values of an integer tensor known at build time as a flat list, else None."""
    value = constant_value(tensor)
    return None if value is None else [int(v) for v in np.ravel(value)]


def _const_axis(tensor: Tensor, rank: int | None, extra: int = 0) -> int | None:
    """A constant scalar axis, made non-negative for ``rank`` (+``extra`` allowed positions);
    None when the axis or the rank is unknown. ValueError when out of range."""
    value = _const_ints(tensor)
    if value is None or rank is None:
        return None
    if len(value) != 1:
        raise ValueError(f"axis must be a scalar, got {value}")
    bound = rank + extra
    if not -bound <= value[0] < max(bound, 1):
        raise ValueError(f"Expected axis in the range [{-bound}, {bound}), but got {value[0]}")
    return value[0] % bound if bound else 0


def _shape_value(x: Tensor, out_type: Any = dtypes.int32) -> Any:
    """x's shape: an array when fully known at build time, else the tensor ``tf.shape(x)``."""
    np_type = dtypes.as_dtype(out_type).as_numpy_dtype
    if x.shape.is_fully_defined():
        return np.array(x.shape.as_list(), dtype=np_type)
    return shape(x, out_type=out_type)


def _dims_of(x: Tensor) -> list:
    """The dims of ``x`` (of known rank): ints where known statically, else the scalar tensors
    ``tf.shape(x)[i]``; ``_stack_indices`` turns the list into one shape tensor."""
    dims = x.shape.as_tuple()
    dynamic = shape(x) if None in dims else None
    return [dynamic[i] if d is None else d for i, d in enumerate(dims)]


def _is_tensor_like(value: Any) -> bool:
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_tensor")


def _lookup(new_name: str, new: Any, old_name: str, old: Any) -> Any:
    """The value of an argument that TF1 also accepted under a deprecated name."""
    if new is not None and old is not None:
        raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}'.")
    return old if new is None else new


# -- identity and friends ------------------------------------------------------------------
@register("Identity")
class Identity(OpDef):
    """Its input, unchanged. Reading a variable (``W/read``) is an Identity of its reference."""
    grad_examples = [GradExample([(2, 3)])]

    def infer(self, x: Tensor) -> tuple:
        return x.dtype.base_dtype, x.shape

    def kernel(self, op: Any) -> Any:
        return identity_kernel

    def bind(self, op: Any, state: Any) -> Any:
        if op.inputs[0].dtype.is_ref_dtype:
            return state.reader(op)
        return identity_kernel

    def forwards_input(self, op: Any) -> bool:
        return not op.inputs[0].dtype.is_ref_dtype  # reading a variable is not an identity

    def grad(self, op: Any, grad: Tensor) -> list:
        return [grad]


def identity(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF1's name
    """``tf.identity``: the same value as a new tensor (useful under control dependencies)."""
    return build_op("Identity", [convert_to_tensor(input)], name or "Identity")


@register("StopGradient")
class StopGradient(OpDef):
    """Its input, unchanged, but treated as a constant by backprop."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor) -> tuple:
        return x.dtype.base_dtype, x.shape

    def kernel(self, op: Any) -> Any:
        return identity_kernel

    def forwards_input(self, op: Any) -> bool:
        return True


def stop_gradient(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.stop_gradient``: blocks gradients from flowing through."""
    return build_op("StopGradient", [convert_to_tensor(input)], name or "StopGradient")


# -- shape queries -------------------------------------------------------------------------
@register("Shape")
class Shape(OpDef):
    """The dynamic shape of a tensor as a 1-D int tensor."""

    attrs = {"out_type": dtypes.int32}
    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor, *, out_type: dtypes.DType) -> tuple:
        return out_type, [x.shape.ndims]

    def kernel(self, op: Any) -> Any:
        np_type = op.attrs["out_type"].as_numpy_dtype
        return lambda x: np.array(np.shape(x), dtype=np_type)

    def static_value(self, op: Any) -> Any:
        shape = op.inputs[0].shape
        if shape.is_fully_defined():
            return np.array(shape.as_list(), dtype=op.attrs["out_type"].as_numpy_dtype)
        return None


def shape(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:  # noqa: A002
    """``tf.shape``: the run-time shape (use ``tensor.shape`` for the static one)."""
    return build_op("Shape", [convert_to_tensor(input)], name or "Shape",
               {"out_type": dtypes.as_dtype(out_type)})


@register("Size")
class Size(OpDef):
    """The number of elements, as a scalar."""

    attrs = {"out_type": dtypes.int32}
    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor, *, out_type: dtypes.DType) -> tuple:
        return out_type, []

    def kernel(self, op: Any) -> Any:
        np_type = op.attrs["out_type"].as_numpy_dtype
        return lambda x: np_type(np.size(x))

    def static_value(self, op: Any) -> Any:
        shape = op.inputs[0].shape
        if shape.is_fully_defined():
            return op.attrs["out_type"].as_numpy_dtype(shape.num_elements())
        return None


def size(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:  # noqa: A002
    """``tf.size``: the number of elements at run time."""
    return build_op("Size", [convert_to_tensor(input)], name or "Size",
               {"out_type": dtypes.as_dtype(out_type)})


@register("Rank")
class Rank(OpDef):
    """The number of dimensions, as an int32 scalar."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor) -> tuple:
        return dtypes.int32, []

    def kernel(self, op: Any) -> Any:
        return lambda x: np.int32(np.ndim(x))

    def static_value(self, op: Any) -> Any:
        rank = op.inputs[0].shape.ndims
        return None if rank is None else np.int32(rank)


def rank(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.rank``: the number of dimensions at run time."""
    return build_op("Rank", [convert_to_tensor(input)], name or "Rank")


# -- reshape -------------------------------------------------------------------------------
@register("Reshape")
class Reshape(OpDef):
    """The same elements in a new shape; one dimension may be -1 (inferred)."""
    grad_examples = [GradExample([(2, 3), np.array([3, 2], np.int32)]),
                     GradExample([(2, 3), np.array([-1], np.int32)])]

    def infer(self, x: Tensor, new_shape: Tensor) -> tuple:
        check_dtype(self.type, "shape", new_shape, INDEX)
        target = constant_value(new_shape)
        if target is None:
            return x.dtype.base_dtype, constant_value_as_shape(new_shape)
        target = [int(d) for d in np.ravel(target)]
        if target.count(-1) > 1:
            raise ValueError("Cannot infer multiple unknown dimensions in shape")
        known = int(np.prod([d for d in target if d != -1]))
        total = x.shape.num_elements()
        if -1 in target:
            out = [None if d == -1 else d for d in target]
            if total is not None:
                if known == 0 or total % known:
                    raise ValueError(
                        f"Cannot reshape a tensor with {total} elements to shape {target}"
                    )
                out[target.index(-1)] = total // known
            return x.dtype.base_dtype, out
        if total is not None and total != known:
            raise ValueError(
                f"Cannot reshape a tensor with {total} elements to shape {target} "
                f"({known} elements)"
            )
        return x.dtype.base_dtype, target

    def forwards_input(self, op: Any) -> bool:
        before, after = op.inputs[0].shape, op.outputs[0].shape
        return before.is_fully_defined() and after.is_fully_defined() and before == after

    def kernel(self, op: Any) -> Any:
        def reshape_kernel(x: np.ndarray, new_shape: np.ndarray) -> np.ndarray:
            try:  # the method: half the cost of np.reshape; NumPy scalars have it too
                return x.reshape(new_shape)
            except ValueError:
                raise ValueError(
                    f"Input to reshape is a tensor with {np.size(x)} values, but the requested "
                    f"shape has {int(np.prod(new_shape[new_shape >= 0]))}"
                ) from None

        return reshape_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        x = op.inputs[0]
        return [reshape(grad, _shape_value(x)), None]


def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.reshape``: ``tensor`` with the same elements in ``shape`` (-1 infers one dim)."""
    x = convert_to_tensor(tensor)
    if isinstance(shape, (list, tuple)):
        shape = _stack_indices([-1 if d is None else d for d in shape])
    target = shape if isinstance(shape, Tensor) else convert_to_tensor(shape, dtype=dtypes.int32)
    return build_op("Reshape", [x, target], name or "Reshape")


@register("ReducedShape")
class ReducedShape(OpDef):
    """``input_shape`` with the entries in ``axes`` set to 1 (for reduction gradients)."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, input_shape: Tensor, axes: Tensor) -> tuple:
        return input_shape.dtype, input_shape.shape

    def kernel(self, op: Any) -> Any:
        def reduced(input_shape: np.ndarray, axes: np.ndarray) -> np.ndarray:
            out = np.array(input_shape)
            out[np.ravel(axes) % max(len(out), 1)] = 1
            return out

        return reduced


def reduced_shape(input_shape: Tensor, axes: Tensor) -> Tensor:
    return build_op("ReducedShape", [input_shape, axes], "ReducedShape")


# -- fills ---------------------------------------------------------------------------------
class _FilledLike(OpDef):
    """A constant-filled tensor with the shape and dtype of the input."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor) -> tuple:
        return x.dtype.base_dtype, x.shape


@register("ZerosLike")
class ZerosLike(_FilledLike):
    """Zeros with the shape and dtype of the input."""

    kernel = ufunc_kernel(np.zeros_like)


@register("OnesLike")
class OnesLike(_FilledLike):
    """Ones with the shape and dtype of the input."""

    kernel = ufunc_kernel(np.ones_like)


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None,
               optimize: bool = True) -> Tensor:
    """``tf.zeros_like``: zeros with ``tensor``'s shape and dtype (or ``dtype``); a constant when
    the shape is known at build time and ``optimize``, as in TF1."""
    return _filled_like(tensor, dtype, name, optimize, "zeros_like", "ZerosLike", zeros)


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None,
              optimize: bool = True) -> Tensor:
    """``tf.ones_like``: ones with ``tensor``'s shape and dtype (or ``dtype``); a constant when
    the shape is known at build time and ``optimize``, as in TF1."""
    return _filled_like(tensor, dtype, name, optimize, "ones_like", "OnesLike", ones)


def _filled_like(tensor: Any, dtype: Any, name: str | None, optimize: bool, default_name: str,
                 like_type: str, filled: Any) -> Tensor:
    with name_scope(name, default_name, [tensor]) as scope:
        x = convert_to_tensor(tensor)
        dtype = x.dtype.base_dtype if dtype is None else dtypes.as_dtype(dtype).base_dtype
        if optimize and x.shape.is_fully_defined():
            return filled(x.shape.as_list(), dtype, name=scope)
        if dtype != x.dtype.base_dtype:
            out = filled(shape(x), dtype, name=scope)
            out.set_shape(x.shape)
            return out
        return build_op(like_type, [x], scope)


@register("Fill")
class Fill(OpDef):
    """A tensor of shape ``dims`` with every element equal to the scalar ``value``."""
    grad_examples = [GradExample([np.array([2, 3], np.int32), ()])]

    def infer(self, dims: Tensor, value: Tensor) -> tuple:
        check_dtype(self.type, "dims", dims, INDEX)
        check_rank(dims, 1)
        check_rank(value, 0)
        known = _const_ints(dims)
        if known is not None and min(known, default=0) < 0:
            raise ValueError(f"Fill dimensions must be >= 0, got {known}")
        return value.dtype.base_dtype, constant_value_as_shape(dims)

    def kernel(self, op: Any) -> Any:
        np_type = op.outputs[0].dtype.as_numpy_dtype
        return lambda dims, value: np.full(tuple(dims), value, dtype=np_type)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [None, _math().reduce_sum(grad)]


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """``tf.fill``: a tensor of shape ``dims`` whose every element is ``value``."""
    return build_op("Fill", [_shape_tensor(dims), convert_to_tensor(value)], name or "Fill")


def zeros(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.zeros``: a tensor of ``shape`` (a list, TensorShape or 1-D int tensor) of zeros."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    zero = False if dtype.is_bool else b"" if dtype == dtypes.string else 0
    return _filled(shape, zero, dtype, name, "zeros")


def ones(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.ones``: a tensor of ``shape`` (a list, TensorShape or 1-D int tensor) of ones."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    return _filled(shape, True if dtype.is_bool else 1, dtype, name, "ones")


def _filled(dims: Any, value: Any, dtype: dtypes.DType, name: str | None,
            default_name: str) -> Tensor:
    """``value`` in a tensor of shape ``dims``: a constant when the shape is known and has
    fewer than 1000 elements, else a Fill op (TF1's rule, keeping graphs small)."""
    with name_scope(name, default_name, [dims]) as scope:
        if not isinstance(dims, Tensor):
            static = _static_dims(dims)
            if static is not None and int(np.prod(static)) < 1000:
                return constant(value, dtype=dtype, shape=static, name=scope)
        dims = _shape_tensor(dims)
        if dims.shape.ndims == 0:
            dims = reshape(dims, [-1])
        return build_op("Fill", [dims, constant(value, dtype=dtype)], scope)


def _static_dims(dims: Any) -> list[int] | None:
    """A shape given as Python values, as a list of ints; None when it holds tensors."""
    if isinstance(dims, TensorShape):
        if not dims.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape to a Tensor: {dims}")
        return dims.as_list()
    values = np.ravel(dims).tolist() if isinstance(dims, (np.ndarray, int, np.integer)) else dims
    if any(_is_tensor_like(d) for d in values):
        return None
    if any(d is None for d in values):
        raise ValueError(f"Cannot convert a partially known shape {dims} to a Tensor")
    return [operator.index(d) for d in values]


def _shape_tensor(dims: Any) -> Tensor:
    """A shape argument as an int tensor: tensors pass through; lists may hold scalar tensors."""
    if isinstance(dims, (list, tuple)) and _static_dims(dims) is None:
        return stack([convert_to_tensor(d) for d in dims])
    if isinstance(dims, TensorShape):
        return convert_to_tensor(_static_dims(dims))
    return convert_to_tensor(dims)


def _cast(x: Tensor, dtype: Any) -> Tensor:
    from graphflow.ops.math_ops import cast

    return cast(x, dtype)


@register("Range")
class Range(OpDef):
    """start, start + delta, ... up to (not including) limit."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, start: Tensor, limit: Tensor, delta: Tensor) -> tuple:
        values = [constant_value(t) for t in (start, limit, delta)]
        if any(v is None for v in values):
            return start.dtype, [None]
        if values[2] == 0:
            raise ValueError("Requires delta != 0")
        return start.dtype, [len(np.arange(*values))]

    def kernel(self, op: Any) -> Any:
        np_type = op.outputs[0].dtype.as_numpy_dtype
        return lambda start, limit, delta: np.arange(start, limit, delta, dtype=np_type)


def range_(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,
           name: str = "range") -> Tensor:
    """``tf.range``: like Python's range, as a 1-D tensor."""
    if limit is None:
        start, limit = 0, start
    inputs = [start, limit, delta]
    if dtype is None:
        tensors = [convert_to_tensor(v) for v in inputs if isinstance(v, Tensor)]
        is_float = any(isinstance(v, float) for v in inputs) or any(
            t.dtype.is_floating for t in tensors)
        dtype = dtypes.float32 if is_float else dtypes.int32
        for t in tensors:
            dtype = t.dtype.base_dtype if t.dtype.size > dtype.size else dtype
    with name_scope(name, "Range") as scope:
        start, limit, delta = (_cast_if_needed(convert_to_tensor(v), dtype) for v in inputs)
        return build_op("Range", [start, limit, delta], scope)


def _cast_if_needed(x: Tensor, dtype: Any) -> Tensor:
    return x if x.dtype.base_dtype == dtype else _cast(x, dtype)


# -- selection -----------------------------------------------------------------------------
@register("Select")
class Select(OpDef):
    """``condition ? x : y`` elementwise; a vector condition selects whole rows (TF1)."""
    grad_examples = [
        GradExample([np.array([[True, False, True], [False, False, True]]), (2, 3), (2, 3)]),
        GradExample([np.array([True, False]), (2, 3), (2, 3)]),
    ]

    def infer(self, condition: Tensor, x: Tensor, y: Tensor) -> tuple:
        check_dtype(self.type, "condition", condition, BOOL)
        if x.dtype.base_dtype != y.dtype.base_dtype:
            raise TypeError(
                f"Input 'e' of 'Select' Op has type {y.dtype.base_dtype.name} that does not "
                f"match type {x.dtype.base_dtype.name} of argument 't'"
            )
        if not x.shape.is_compatible_with(y.shape):
            raise ValueError(f"Shapes must be equal rank, but are {x.shape} and {y.shape}")
        merged = x.shape.merge_with(y.shape)
        c_rank, x_rank = condition.shape.ndims, merged.ndims
        if c_rank == 1 and x_rank is not None and x_rank > 1:
            if not condition.shape[0].is_compatible_with(merged[0]):
                raise ValueError(f"Dimensions must be equal, but are {condition.shape[0]} and "
                                 f"{merged[0]}")
        elif not condition.shape.is_compatible_with(merged):
            raise ValueError(f"Shapes must be equal rank, but are {condition.shape} and {merged}")
        return x.dtype.base_dtype, merged

    def kernel(self, op: Any) -> Any:
        def select(condition: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
            condition = np.asarray(condition)
            if condition.ndim == 1 and np.ndim(x) > 1:
                condition = condition.reshape((-1,) + (1,) * (np.ndim(x) - 1))
            elif np.shape(condition) != np.shape(x) or np.shape(x) != np.shape(y):
                raise ValueError(
                    f"'then' and 'else' must have the same size. but received: "
                    f"{np.shape(x)} vs. {np.shape(y)} and condition {np.shape(condition)}"
                )
            return np.where(condition, x, y)

        return select

    def grad(self, op: Any, grad: Tensor) -> list:
        condition = op.inputs[0]
        zeros = zeros_like(grad)
        return [None, where(condition, grad, zeros), where(condition, zeros, grad)]


# -- slicing -------------------------------------------------------------------------------
_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _index_tuple(begin: Any, end: Any, strides: Any, masks: dict) -> tuple:
    """The NumPy index that a StridedSlice spec denotes."""
    index = []
    for i, (b, e, s) in enumerate(zip(np.ravel(begin).tolist(), np.ravel(end).tolist(),
                                      np.ravel(strides).tolist())):
        bit = 1 << i
        if masks["ellipsis_mask"] & bit:
            index.append(Ellipsis)
        elif masks["new_axis_mask"] & bit:
            index.append(None)
        elif masks["shrink_axis_mask"] & bit:
            index.append(b)
        else:
            index.append(slice(None if masks["begin_mask"] & bit else b,
                               None if masks["end_mask"] & bit else e, s))
    return tuple(index)


# Index items whose values are unknown at build time: a dropped dimension, a slice.
_SOME_INDEX = "some index"
_SOME_RANGE = "some range"


def _vague_index(strides: Any, masks: dict) -> tuple:
    """The index of a StridedSlice whose begin and end are unknown at build time: as in TF1,
    new axes, dropped (shrunk) dims and slices masked at both ends stay known."""
    unknown = np.zeros(np.size(strides), np.int64)
    full = masks["begin_mask"] & masks["end_mask"]
    index = []
    for i, item in enumerate(_index_tuple(unknown, unknown, strides, masks)):
        if isinstance(item, int):
            item = _SOME_INDEX
        elif isinstance(item, slice) and not full >> i & 1:
            item = _SOME_RANGE
        index.append(item)
    return tuple(index)


def _sliced_dims(index: tuple, dims: tuple) -> list:
    """The static output dims of ``x[index]`` for input dims ``dims`` (entries may be None)."""
    consuming = sum(1 for item in index if item is not None and item is not Ellipsis)
    if consuming > len(dims):
        raise ValueError(f"Index out of range using input dim {len(dims)}")
    out: list = []
    position = 0
    for item in index:
        if item is Ellipsis:
            count = len(dims) - consuming
            out.extend(dims[position:position + count])
            position += count
        elif item is None:
            out.append(1)
        elif item is _SOME_INDEX:
            position += 1
        elif item is _SOME_RANGE:
            out.append(None)
            position += 1
        elif isinstance(item, int):
            dim = dims[position]
            if dim is not None and not -dim <= item < dim:
                raise ValueError(f"slice index {item} of dimension {position} out of bounds")
            position += 1
        else:
            if item.step == 0:
                raise ValueError("strides must be non-zero")
            dim = dims[position]
            out.append(None if dim is None else len(range(*item.indices(dim))))
            position += 1
    return out + list(dims[position:])


@register("StridedSlice")
class StridedSlice(OpDef):
    """``x[begin:end:strides]`` per dimension, with TF1's masks for ``...``, new axes and
    integer indices (which drop the dimension)."""
    grad_examples = [  # x[1:, ::-2], x[..., 1], x[None, :, 0]
        GradExample([(3, 4), np.array([1, 0], np.int32), np.array([0, 0], np.int32),
                     np.array([1, -2], np.int32)], {"end_mask": 3, "begin_mask": 2}),
        GradExample([(2, 3, 4), np.array([0, 1], np.int32), np.array([0, 2], np.int32),
                     np.array([1, 1], np.int32)], {"ellipsis_mask": 1, "shrink_axis_mask": 2}),
        GradExample([(3, 4), np.array([0, 0, 0], np.int32), np.array([0, 0, 1], np.int32),
                     np.array([1, 1, 1], np.int32)],
                    {"new_axis_mask": 1, "begin_mask": 2, "end_mask": 2, "shrink_axis_mask": 4}),
    ]

    attrs = dict.fromkeys(_MASKS, 0)

    def infer(self, x: Tensor, begin: Tensor, end: Tensor, strides: Tensor, **masks: int) -> tuple:
        for name, t in (("begin", begin), ("end", end), ("strides", strides)):
            check_dtype(self.type, name, t, INDEX)
        begin_value, end_value, strides_value = (constant_value(t) for t in (begin, end, strides))
        dims = x.shape.as_tuple()
        if dims is None or strides_value is None:
            return x.dtype.base_dtype, None
        if begin_value is None or end_value is None:
            index = _vague_index(strides_value, masks)
        else:
            index = _index_tuple(begin_value, end_value, strides_value, masks)
        return x.dtype.base_dtype, _sliced_dims(index, dims)

    def kernel(self, op: Any) -> Any:
        masks = {k: op.attrs[k] for k in _MASKS}

        def strided_slice_kernel(x: np.ndarray, begin: Any, end: Any, strides: Any) -> Any:
            index = _index_tuple(begin, end, strides, masks)
            try:
                return np.asarray(x)[index]
            except IndexError as error:
                raise ValueError(f"slice index out of bounds: {error}") from None

        return strided_slice_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        x, begin, end, strides = op.inputs
        masks = {k: op.attrs[k] for k in _MASKS}
        out = build_op("StridedSliceGrad",
                  [convert_to_tensor(_shape_value(x)), begin, end, strides, grad],
                  "StridedSliceGrad", masks)
        return [out, None, None, None]


@register("StridedSliceGrad")
class StridedSliceGrad(OpDef):
    """Zeros of ``shape`` with ``dy`` written where StridedSlice read: its gradient."""
    grad_examples = [
        GradExample([np.array([3, 4], np.int32), np.array([1, 0], np.int32),
                     np.array([0, 0], np.int32), np.array([1, -2], np.int32), (2, 2)],
                    {"end_mask": 3, "begin_mask": 2}),
    ]

    attrs = dict.fromkeys(_MASKS, 0)

    def infer(self, shape_: Tensor, begin: Tensor, end: Tensor, strides: Tensor, dy: Tensor,
              **masks: int) -> tuple:
        known = constant_value(shape_)
        dims = None if known is None else [int(d) for d in known]
        if dims is None and shape_.shape.as_tuple() and shape_.shape.as_tuple()[0] is not None:
            dims = [None] * shape_.shape.as_tuple()[0]
        return dy.dtype.base_dtype, dims

    def kernel(self, op: Any) -> Any:
        masks = {k: op.attrs[k] for k in _MASKS}
        np_type = op.outputs[0].dtype.as_numpy_dtype

        def strided_slice_grad(shape_: Any, begin: Any, end: Any, strides: Any, dy: Any) -> Any:
            out = np.zeros(tuple(np.ravel(shape_)), dtype=np_type)
            out[_index_tuple(begin, end, strides, masks)] = dy
            return out

        return strided_slice_grad

    def grad(self, op: Any, grad: Tensor) -> list:
        _, begin, end, strides, _ = op.inputs
        masks = {k: op.attrs[k] for k in _MASKS}
        return [None, None, None, None, strided_slice(grad, begin, end, strides, **masks)]


def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None, begin_mask: int = 0,
                  end_mask: int = 0, ellipsis_mask: int = 0, new_axis_mask: int = 0,
                  shrink_axis_mask: int = 0, name: str | None = None) -> Tensor:
    """``tf.strided_slice``: TF1's general slice (``x[...]`` builds one of these)."""
    x = convert_to_tensor(input_)
    begin = convert_to_tensor(begin, dtype=dtypes.int32)
    end = convert_to_tensor(end, dtype=dtypes.int32)
    strides = convert_to_tensor(np.ones(len(np.ravel(constant_value(begin))), np.int32)
                                if strides is None else strides, dtype=dtypes.int32)
    masks = {"begin_mask": begin_mask, "end_mask": end_mask, "ellipsis_mask": ellipsis_mask,
             "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask}
    return build_op("StridedSlice", [x, begin, end, strides], name or "StridedSlice", masks)


def _stack_indices(values: list) -> Any:
    """A 1-D int32 tensor from ints and scalar tensors (a constant when all are ints)."""
    if not any(_is_tensor_like(v) for v in values):
        return np.array([operator.index(v) for v in values], dtype=np.int32)
    return stack([convert_to_tensor(v, dtype=dtypes.int32) for v in values])


def _is_scalar_index(item: Any) -> bool:
    if isinstance(item, Tensor):
        return item.dtype.base_dtype in INDEX and item.shape.ndims == 0
    return isinstance(item, (int, np.integer)) and not isinstance(item, bool)


def getitem(tensor: Tensor, key: Any) -> Tensor:
    """``tensor[key]`` with ints, slices (steps, negatives), ``None``/``tf.newaxis`` and ``...``,
    following TF1's translation into one StridedSlice."""
    if not isinstance(key, tuple):
        key = (key,)
    if sum(item is Ellipsis for item in key) > 1:
        raise ValueError("Multiple ellipses in slice spec not allowed")
    begin, end, strides = [], [], []
    masks = dict.fromkeys(_MASKS, 0)
    for i, item in enumerate(key):
        bit = 1 << i
        if isinstance(item, slice):
            begin.append(0 if item.start is None else item.start)
            end.append(0 if item.stop is None else item.stop)
            strides.append(1 if item.step is None else item.step)
            masks["begin_mask"] |= bit if item.start is None else 0
            masks["end_mask"] |= bit if item.stop is None else 0
        elif item is None:
            begin.append(0), end.append(0), strides.append(1)
            masks["new_axis_mask"] |= bit
        elif item is Ellipsis:
            begin.append(0), end.append(0), strides.append(1)
            masks["ellipsis_mask"] |= bit
        elif _is_scalar_index(item):
            begin.append(item)
            end.append(item + 1)  # ignored for a shrunk axis, but kept as TF1 writes it
            strides.append(1)
            masks["shrink_axis_mask"] |= bit
        else:
            raise TypeError(
                "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                f"tf.int32/tf.int64 tensors are valid indices, got {item!r}"
            )
    with name_scope(None, "strided_slice", [tensor]) as scope:
        return build_op("StridedSlice", [tensor, convert_to_tensor(_stack_indices(begin)),
                                    convert_to_tensor(_stack_indices(end)),
                                    convert_to_tensor(_stack_indices(strides))], scope, masks)


@register("Pack")
class Pack(OpDef):
    """Stacks N tensors of one shape along a new axis."""
    grad_examples = [GradExample([(2, 3), (2, 3)]), GradExample([(2,)] * 3, {"axis": 1})]

    attrs = {"axis": 0}

    def infer(self, *values: Tensor, axis: int) -> tuple:
        first = values[0]
        merged = first.shape
        for value in values[1:]:
            if value.dtype.base_dtype != first.dtype.base_dtype:
                raise TypeError("Tensors passed to stack must have one dtype")
            merged = merged.merge_with(value.shape)
        dims = merged.as_tuple()
        if dims is None:
            return first.dtype.base_dtype, None
        rank = len(dims) + 1
        if not -rank <= axis < rank:
            raise ValueError(f"axis = {axis} not in [{-rank}, {rank})")
        out = list(dims)
        out.insert(axis % rank, len(values))
        return first.dtype.base_dtype, out

    def kernel(self, op: Any) -> Any:
        axis = op.attrs["axis"]
        return lambda *values: np.stack(values, axis=axis)

    def grad(self, op: Any, grad: Tensor) -> list:
        return unstack(grad, len(op.inputs), op.attrs["axis"])


@register("Unpack")
class Unpack(OpDef):
    """Splits a tensor along ``axis`` into ``num`` tensors with that axis removed."""
    grad_examples = [GradExample([(3, 2)], {"num": 3}),
                     GradExample([(2, 4)], {"num": 4, "axis": -1})]

    attrs = {"num": None, "axis": 0}

    def infer(self, value: Tensor, *, num: int, axis: int) -> list:
        dims = value.shape.as_tuple()
        if dims is None:
            return [(value.dtype.base_dtype, None)] * num
        if not -len(dims) <= axis < len(dims):
            raise ValueError(f"axis = {axis} not in [{-len(dims)}, {len(dims)})")
        axis %= len(dims)
        if dims[axis] is not None and dims[axis] != num:
            raise ValueError(f"Dimension {axis} has {dims[axis]} elements, not num = {num}")
        return [(value.dtype.base_dtype, dims[:axis] + dims[axis + 1:])] * num

    def kernel(self, op: Any) -> Any:
        axis = op.attrs["axis"]
        return lambda value: tuple(np.moveaxis(np.asarray(value), axis, 0))

    def grad(self, op: Any, *grads: Tensor) -> list:
        return [build_op("Pack", list(grads), "stack", {"axis": op.attrs["axis"]})]


def unstack(value: Any, num: int | None = None, axis: int = 0, name: str = "unstack") -> list:
    """``tf.unstack``: the slices of ``value`` along ``axis`` as a list of tensors."""
    value = convert_to_tensor(value)
    if num is None:
        dims = value.shape.as_tuple()
        num = None if dims is None else dims[axis]
        if num is None:
            raise ValueError(f"Cannot infer num from shape {value.shape}")
    return get_default_graph().create_op("Unpack", [value], {"num": num, "axis": axis},
                                         name).outputs


def stack(values: list, axis: int = 0, name: str = "stack") -> Tensor:
    """``tf.stack``: tensors of one shape joined along a new ``axis``."""
    return build_op("Pack", [convert_to_tensor(v) for v in values], name, {"axis": axis})


# -- transposes and axes of length one -----------------------------------------------------
@register("Transpose")
class Transpose(OpDef):
    """Permutes the dimensions of ``x``: output dimension i is input dimension ``perm[i]``."""
    grad_examples = [GradExample([(2, 3, 4), np.array([2, 0, 1], np.int32)]),
                     GradExample([(2, 3), np.array([1, 0], np.int64)])]

    def infer(self, x: Tensor, perm: Tensor) -> tuple:
        check_dtype(self.type, "perm", perm, INDEX)
        check_rank(perm, 1)
        dims = x.shape.as_tuple()
        length = perm.shape.as_tuple()[0] if perm.shape.ndims else None
        if dims is not None and length is not None and length != len(dims):
            raise ValueError(f"Dimension must be {len(dims)} but is {length}")
        order = _const_ints(perm)
        if order is None:
            rank_ = len(dims) if dims is not None else length
            return x.dtype.base_dtype, None if rank_ is None else [None] * rank_
        if sorted(order) != list(range(len(order))):
            raise ValueError(f"perm {order} is not a permutation of 0..{len(order) - 1}")
        dims = (None,) * len(order) if dims is None else dims
        return x.dtype.base_dtype, [dims[i] for i in order]

    def kernel(self, op: Any) -> Any:
        return np.transpose

    def grad(self, op: Any, grad: Tensor) -> list:
        perm = op.inputs[1]
        order = _const_ints(perm)
        inverse = (invert_permutation(perm) if order is None
                   else np.argsort(order).astype(perm.dtype.as_numpy_dtype))
        return [transpose(grad, inverse), None]


def transpose(a: Any, perm: Any = None, name: str = "transpose",
              conjugate: bool = False) -> Tensor:
    """``tf.transpose``: ``a`` with its dimensions permuted by ``perm`` (default: reversed).
    ``conjugate`` is accepted as in TF1; graphflow has no complex dtypes, so it changes nothing."""
    with name_scope(name, "transpose", [a]) as scope:
        a = convert_to_tensor(a)
        if perm is None:
            known_rank = a.shape.ndims
            perm = (range_(_math().subtract(rank(a), 1), -1, -1) if known_rank is None
                    else np.arange(known_rank - 1, -1, -1, dtype=np.int32))
        return build_op("Transpose", [a, convert_to_tensor(perm, name="perm")], scope)


def matrix_transpose(a: Any, name: str = "matrix_transpose", conjugate: bool = False
                     ) -> Tensor:
    """``tf.matrix_transpose`` / ``tf.linalg.transpose``: ``a`` (a batch of matrices, rank >= 2)
    with its last two dimensions swapped."""
    with name_scope(name, "matrix_transpose", [a]):
        a = convert_to_tensor(a)
        known_rank = a.shape.ndims
        if known_rank is None:
            math = _math()
            last = math.subtract(rank(a), 1)
            second_last = math.subtract(last, 1)
            perm: Any = concat([range_(second_last), stack([last, second_last])], 0)
        elif known_rank < 2:
            raise ValueError(f"Argument 'a' should be a (batch) matrix, with rank >= 2.  Found: "
                             f"{a.shape}")
        else:
            perm = [*range(known_rank - 2), known_rank - 1, known_rank - 2]
        return transpose(a, perm, conjugate=conjugate)


@register("InvertPermutation")
class InvertPermutation(OpDef):
    """The inverse of a permutation ``x`` of 0..n-1: ``y[x[i]] = i``."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor) -> tuple:
        check_dtype(self.type, "x", x, INDEX)
        check_rank(x, 1)
        return x.dtype.base_dtype, x.shape

    def kernel(self, op: Any) -> Any:
        def invert(x: np.ndarray) -> np.ndarray:
            inverse = np.argsort(x).astype(x.dtype)
            if not np.array_equal(x[inverse], np.arange(len(x))):
                raise ValueError(f"{x.tolist()} is not a permutation of 0..{len(x) - 1}")
            return inverse

        return invert


def invert_permutation(x: Any, name: str | None = None) -> Tensor:
    """``tf.invert_permutation``: the permutation that undoes ``x``."""
    return build_op("InvertPermutation", [convert_to_tensor(x)], name or "InvertPermutation")


@register("ExpandDims")
class ExpandDims(OpDef):
    """``input`` with a dimension of length 1 inserted at index ``dim`` of the output."""
    grad_examples = [GradExample([(2, 3), np.array(1, np.int32)]),
                     GradExample([(2, 3), np.array(-1, np.int64)])]

    def infer(self, x: Tensor, dim: Tensor) -> tuple:
        check_dtype(self.type, "dim", dim, INDEX)
        dims = x.shape.as_tuple()
        axis = _const_axis(dim, None if dims is None else len(dims), extra=1)
        if axis is None:
            return x.dtype.base_dtype, None
        return x.dtype.base_dtype, dims[:axis] + (1,) + dims[axis:]

    def kernel(self, op: Any) -> Any:
        return lambda x, dim: np.expand_dims(x, int(np.ravel(dim)[0]))

    def grad(self, op: Any, grad: Tensor) -> list:
        return [reshape(grad, _shape_value(op.inputs[0])), None]


def expand_dims(input: Any, axis: Any = None, name: str | None = None,  # noqa: A002
                dim: Any = None) -> Tensor:
    """``tf.expand_dims``: inserts a dimension of length 1 at ``axis`` (TF1's old name:
    ``dim``); -1 appends one."""
    axis = _lookup("axis", axis, "dim", dim)
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    return build_op("ExpandDims", [convert_to_tensor(input), convert_to_tensor(axis)],
               name or "ExpandDims")


@register("Squeeze")
class Squeeze(OpDef):
    """``input`` without the dimensions of length 1 in ``squeeze_dims`` (all of them when
    empty)."""
    grad_examples = [GradExample([(2, 1, 3, 1)]), GradExample([(1, 2, 1)], {"squeeze_dims": [-1]})]

    attrs = {"squeeze_dims": ()}

    def infer(self, x: Tensor, *, squeeze_dims: Any) -> tuple:
        dims = x.shape.as_tuple()
        if dims is None:
            return x.dtype.base_dtype, None
        axes = set()
        for axis in squeeze_dims:
            if not -len(dims) <= axis < len(dims):
                raise ValueError(f"Tried to squeeze dim index {axis} for tensor with "
                                 f"{len(dims)} dimensions")
            axes.add(axis % len(dims))
        if not axes:
            if None in dims:  # which dims go is only known at run time
                return x.dtype.base_dtype, None
            return x.dtype.base_dtype, [d for d in dims if d != 1]
        for axis in sorted(axes):
            if dims[axis] not in (None, 1):
                raise ValueError(f"Can not squeeze dim[{axis}], expected a dimension of 1, got "
                                 f"{dims[axis]}")
        return x.dtype.base_dtype, [d for i, d in enumerate(dims) if i not in axes]

    def kernel(self, op: Any) -> Any:
        axes = tuple(op.attrs["squeeze_dims"]) or None
        return lambda x: np.squeeze(x, axis=axes)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [reshape(grad, _shape_value(op.inputs[0]))]


def squeeze(input: Any, axis: Any = None, name: str | None = None,  # noqa: A002
            squeeze_dims: Any = None) -> Tensor:
    """``tf.squeeze``: removes dimensions of length 1 (only those in ``axis`` when given; TF1's
    old name: ``squeeze_dims``)."""
    axis = _lookup("axis", axis, "squeeze_dims", squeeze_dims)
    axes = [] if axis is None else [int(a) for a in np.ravel(axis)]
    return build_op("Squeeze", [convert_to_tensor(input)], name or "Squeeze",
                    {"squeeze_dims": axes})


# -- joining and splitting -----------------------------------------------------------------
@register("ConcatV2")
class ConcatV2(OpDef):
    """Joins the tensors ``values`` (all inputs but the last) along the existing dimension
    ``axis`` (the last input); their other dimensions must agree."""
    grad_examples = [GradExample([(2, 3), (2, 1), np.array(1, np.int32)]),
                     GradExample([(1, 2), (3, 2), (2, 2), np.array(-2, np.int64)])]

    def infer(self, *inputs: Tensor) -> tuple:
        *values, axis = inputs
        if len(values) < 2:
            raise ValueError(f"ConcatV2 needs at least 2 values, got {len(values)}")
        for value in values[1:]:
            check_same_dtype(self.type, values[0], value, ("values", "values"))
        check_dtype(self.type, "axis", axis, INDEX)
        dtype = values[0].dtype.base_dtype
        ranks = {v.shape.ndims for v in values} - {None}
        if len(ranks) > 1:
            raise ValueError(f"Shapes of all values must have one rank, got ranks {sorted(ranks)}")
        rank_ = ranks.pop() if ranks else None
        if rank_ == 0:
            raise ValueError("Can't concatenate scalars (use tf.stack instead)")
        index = _const_axis(axis, rank_)
        if index is None:
            return dtype, None if rank_ is None else [None] * rank_
        out: list = [None] * rank_
        total: int | None = 0
        for value in values:
            dims = value.shape.as_tuple() or (None,) * rank_
            total = None if total is None or dims[index] is None else total + dims[index]
            for i, d in enumerate(dims):
                if i != index and d is not None:
                    if out[i] not in (None, d):
                        raise ValueError(f"Dimension {i} in both shapes must be equal, but are "
                                         f"{out[i]} and {d}")
                    out[i] = d
        out[index] = total
        return dtype, out

    def kernel(self, op: Any) -> Any:
        return lambda *inputs: np.concatenate(inputs[:-1], axis=int(inputs[-1]))

    def grad(self, op: Any, grad: Tensor) -> list:
        *values, axis = op.inputs
        index = _const_ints(axis)
        sizes = [_dim(v, axis if index is None else index[0]) for v in values]
        return split(grad, _stack_indices(sizes), axis, num=len(values)) + [None]


def _dim(x: Tensor, axis: Any) -> Any:
    """Dimension ``axis`` of ``x``: an int when known at build time, else a scalar tensor."""
    dims = x.shape.as_tuple()
    if isinstance(axis, int) and dims is not None and dims[axis] is not None:
        return dims[axis]
    return shape(x)[axis]


def _convert_like(values: list) -> list[Tensor]:
    """``values`` as tensors; Python values take the dtype of the first tensor among them."""
    tensors = [convert_to_tensor(v) for v in values if _is_tensor_like(v)]
    dtype = tensors[0].dtype.base_dtype if tensors else None
    return [convert_to_tensor(v, dtype=None if _is_tensor_like(v) else dtype) for v in values]


def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """``tf.concat``: ``values`` joined along their existing dimension ``axis`` (negative counts
    from the end)."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        return identity(values[0], name=name)
    return build_op("ConcatV2", _convert_like(list(values)) + [convert_to_tensor(axis)], name)


def _split_dims(value: Tensor, axis: Tensor, pieces: list) -> list:
    """The output specs of splitting ``value`` along ``axis`` into ``pieces`` (ints or None)."""
    dims = value.shape.as_tuple()
    index = _const_axis(axis, None if dims is None else len(dims))
    dtype = value.dtype.base_dtype
    if index is None:
        return [(dtype, None if dims is None else [None] * len(dims))] * len(pieces)
    return [(dtype, dims[:index] + (p,) + dims[index + 1:]) for p in pieces]


@register("Split")
class Split(OpDef):
    """Splits ``value`` along ``split_dim`` into ``num_split`` equal pieces."""
    grad_examples = [GradExample([np.array(1, np.int32), (2, 4)], {"num_split": 2}),
                     GradExample([np.array(0, np.int32), (3, 2)], {"num_split": 3})]

    attrs = {"num_split": None}

    def infer(self, split_dim: Tensor, value: Tensor, *, num_split: int) -> list:
        check_dtype(self.type, "split_dim", split_dim, INDEX)
        if num_split < 1:
            raise ValueError(f"num_split must be at least 1, got {num_split}")
        dims = value.shape.as_tuple()
        index = _const_axis(split_dim, None if dims is None else len(dims))
        size_ = None if index is None else dims[index]
        if size_ is not None and size_ % num_split:
            raise ValueError(f"Dimension size must be evenly divisible by {num_split} but is "
                             f"{size_}")
        piece = None if size_ is None else size_ // num_split
        return _split_dims(value, split_dim, [piece] * num_split)

    def kernel(self, op: Any) -> Any:
        num = op.attrs["num_split"]
        return lambda split_dim, value: tuple(np.split(value, num, axis=int(split_dim)))

    def grad(self, op: Any, *grads: Tensor) -> list:
        return [None, concat(list(grads), op.inputs[0])]


@register("SplitV")
class SplitV(OpDef):
    """Splits ``value`` along ``split_dim`` into pieces of ``size_splits`` (one may be -1: the
    rest)."""
    grad_examples = [GradExample([(2, 5), np.array([1, -1, 2], np.int32), np.array(1, np.int32)],
                                 {"num_split": 3}),
                     GradExample([(3, 2), np.array([2, 1], np.int64), np.array(-2, np.int32)],
                                 {"num_split": 2})]

    attrs = {"num_split": None}

    def infer(self, value: Tensor, size_splits: Tensor, split_dim: Tensor, *,
              num_split: int) -> list:
        check_dtype(self.type, "size_splits", size_splits, INDEX)
        check_dtype(self.type, "split_dim", split_dim, INDEX)
        check_rank(size_splits, 1)
        sizes = _const_ints(size_splits)
        if sizes is None:
            return _split_dims(value, split_dim, [None] * num_split)
        if len(sizes) != num_split:
            raise ValueError(f"size_splits has {len(sizes)} entries but num_split is {num_split}")
        if sizes.count(-1) > 1 or min(sizes, default=0) < -1:
            raise ValueError(f"size_splits may hold sizes >= 0 and at most one -1, got {sizes}")
        dims = value.shape.as_tuple()
        index = _const_axis(split_dim, None if dims is None else len(dims))
        size_ = None if index is None else dims[index]
        known = sum(s for s in sizes if s != -1)
        if size_ is not None and (known > size_ or -1 not in sizes and known != size_):
            raise ValueError(f"The sizes {sizes} do not split a dimension of size {size_}")
        rest = None if size_ is None else size_ - known
        return _split_dims(value, split_dim, [rest if s == -1 else s for s in sizes])

    def kernel(self, op: Any) -> Any:
        num = op.attrs["num_split"]

        def split_v(value: np.ndarray, size_splits: np.ndarray, split_dim: Any) -> tuple:
            axis = int(split_dim)
            size_ = np.shape(value)[axis]
            sizes = np.array(size_splits)
            unknown = sizes == -1
            sizes[unknown] = size_ - sizes[~unknown].sum()
            if len(sizes) != num or (sizes < 0).any() or sizes.sum() != size_:
                raise ValueError(f"The sizes {np.ravel(size_splits).tolist()} do not split a "
                                 f"dimension of size {size_} into {num} pieces")
            return tuple(np.split(value, np.cumsum(sizes)[:-1], axis=axis))

        return split_v

    def grad(self, op: Any, *grads: Tensor) -> list:
        return [concat(list(grads), op.inputs[2]), None, None]


def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: int | None = None,
          name: str = "split") -> list:
    """``tf.split``: ``value`` cut along ``axis`` into ``num_or_size_splits`` equal pieces (an
    int) or pieces of the listed sizes (one may be -1); returns a list of tensors."""
    value = convert_to_tensor(value)
    graph = get_default_graph()
    if isinstance(num_or_size_splits, (int, np.integer)) and not isinstance(
            num_or_size_splits, bool):
        inputs = [convert_to_tensor(axis), value]
        attrs = {"num_split": int(num_or_size_splits)}
        return graph.create_op("Split", inputs, attrs, name).outputs
    sizes = convert_to_tensor(num_or_size_splits)
    if sizes.shape.ndims == 0:
        raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits argument "
                         f"to split. Argument provided: {num_or_size_splits}")
    if num is None:
        num = sizes.shape.as_tuple()[0] if sizes.shape.ndims else None
        if num is None:
            raise ValueError(f"Cannot infer num from shape {num_or_size_splits}")
    inputs = [value, sizes, convert_to_tensor(axis)]
    return graph.create_op("SplitV", inputs, {"num_split": num}, name).outputs


# -- tiling, padding and slicing -----------------------------------------------------------
@register("Tile")
class Tile(OpDef):
    """``input`` repeated ``multiples[i]`` times along each dimension i."""
    grad_examples = [GradExample([(2, 3), np.array([2, 1], np.int32)]),
                     GradExample([(1, 2, 1), np.array([3, 2, 2], np.int64)])]

    def infer(self, x: Tensor, multiples: Tensor) -> tuple:
        check_dtype(self.type, "multiples", multiples, INDEX)
        check_rank(multiples, 1)
        dims = x.shape.as_tuple()
        length = multiples.shape.as_tuple()[0] if multiples.shape.ndims else None
        if dims is not None and length is not None and length != len(dims):
            raise ValueError(f"Expected multiples of length {len(dims)}, but got {length}")
        reps = _const_ints(multiples)
        rank_ = len(dims) if dims is not None else length
        if reps is None or rank_ is None:
            return x.dtype.base_dtype, None if rank_ is None else [None] * rank_
        if min(reps, default=0) < 0:
            raise ValueError(f"Expected multiples to be non-negative, got {reps}")
        dims = (None,) * rank_ if dims is None else dims
        return x.dtype.base_dtype, [0 if m == 0 else None if d is None else d * m
                                    for d, m in zip(dims, reps)]

    def kernel(self, op: Any) -> Any:
        def tile_kernel(x: Any, multiples: np.ndarray) -> np.ndarray:
            if len(multiples) != np.ndim(x):
                raise ValueError(f"Expected multiples of length {np.ndim(x)}, but got "
                                 f"{len(multiples)}")
            return np.tile(x, multiples)

        return tile_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        # Viewed as [m0, d0, m1, d1, ...], the gradient sums over the copies m0, m1, ...
        x, multiples = op.inputs
        reps = _const_ints(multiples)
        if reps is not None and x.shape.is_fully_defined():
            split_shape: Any = [n for pair in zip(reps, x.shape.as_list()) for n in pair]
            axes: Any = list(range(0, len(split_shape), 2))
        else:
            pairs = stack([multiples, shape(x, out_type=multiples.dtype)])
            split_shape = reshape(transpose(pairs), [-1])
            axes = range_(0, size(split_shape), 2)
        summed = _math().reduce_sum(reshape(grad, split_shape), axes)
        summed.set_shape(x.shape)
        return [summed, None]


def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.tile``: ``input`` repeated ``multiples[i]`` times along each dimension i."""
    return build_op("Tile", [convert_to_tensor(input), convert_to_tensor(multiples)],
                    name or "Tile")


def _padding_pairs(x: Tensor, paddings: Tensor) -> tuple:
    """(input dims, [(before, after), ...] or None) for a pad op, checking the paddings'
    shape [rank, 2] and signs; the dims are None for unknown rank."""
    check_dtype("Pad", "paddings", paddings, INDEX)
    dims = x.shape.as_tuple()
    pad_dims = paddings.shape.as_tuple()
    if pad_dims is not None:
        rows = None if dims is None else len(dims)
        if len(pad_dims) != 2 or pad_dims[1] not in (None, 2) or pad_dims[0] not in (None, rows):
            raise ValueError(f"paddings must be a matrix of shape [{rows or '?'}, 2] (the rank "
                             f"of the input by 2), got {list(pad_dims)}")
        if dims is None and pad_dims[0] is not None:
            dims = (None,) * pad_dims[0]
    values = _const_ints(paddings)
    if values is None or dims is None:
        return dims, None
    if min(values, default=0) < 0:
        raise ValueError(f"Paddings must be non-negative, got {values}")
    return dims, list(zip(values[0::2], values[1::2]))


def _check_paddings(x: Any, paddings: np.ndarray) -> None:
    if np.shape(paddings) != (np.ndim(x), 2) or (paddings < 0).any():
        raise ValueError(f"paddings must be non-negative with shape [{np.ndim(x)}, 2], got "
                         f"{np.asarray(paddings).tolist()}")


def _check_mirror(dims: tuple, pairs: list, mode: str) -> None:
    """REFLECT pads at most dim - 1 values per side, SYMMETRIC at most dim (TF1's limits)."""
    if mode not in ("REFLECT", "SYMMETRIC"):
        raise ValueError(f"mode must be REFLECT or SYMMETRIC, got {mode!r}")
    limit_offset = 1 if mode == "REFLECT" else 0
    for d, (before, after) in zip(dims, pairs):
        if d is not None and max(before, after) > d - limit_offset:
            relation = "less than" if limit_offset else "no greater than"
            raise ValueError(f"paddings must be {relation} the dimension size: {before}, "
                             f"{after} not {relation} {d}")


@register("Pad")
class Pad(OpDef):
    """``input`` with ``paddings[i] = [before, after]`` zeros added around dimension i."""
    grad_examples = [GradExample([(2, 3), np.array([[1, 0], [2, 1]], np.int32)]),
                     GradExample([(3,), np.array([[0, 2]], np.int64)])]

    def infer(self, x: Tensor, paddings: Tensor) -> tuple:
        dims, pairs = _padding_pairs(x, paddings)
        if pairs is None:
            return x.dtype.base_dtype, None if dims is None else [None] * len(dims)
        return x.dtype.base_dtype, [None if d is None else d + b + a
                                    for d, (b, a) in zip(dims, pairs)]

    def kernel(self, op: Any) -> Any:
        def pad_kernel(x: Any, paddings: np.ndarray) -> np.ndarray:
            _check_paddings(x, paddings)
            return np.pad(x, paddings)

        return pad_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        x, paddings = op.inputs[:2]
        known = constant_value(paddings)
        begin = paddings[:, 0] if known is None else np.asarray(known)[:, 0]
        return [slice_(grad, begin, _shape_value(x, paddings.dtype.base_dtype)), None]


@register("PadV2")
class PadV2(Pad):
    """``input`` with ``paddings[i] = [before, after]`` copies of the scalar
    ``constant_values`` added around dimension i."""
    grad_examples = [GradExample([(2, 3), np.array([[1, 0], [0, 2]], np.int32), ()])]

    def infer(self, x: Tensor, paddings: Tensor, constant_values: Tensor) -> tuple:
        check_same_dtype(self.type, x, constant_values, ("input", "constant_values"))
        check_rank(constant_values, 0)
        return super().infer(x, paddings)

    def kernel(self, op: Any) -> Any:
        def pad_v2(x: Any, paddings: np.ndarray, constant_values: Any) -> np.ndarray:
            _check_paddings(x, paddings)
            return np.pad(x, paddings, constant_values=constant_values)

        return pad_v2

    def grad(self, op: Any, grad: Tensor) -> list:
        # TF1 gives constant_values no gradient; graphflow gives the true one: the sum of the
        # gradient over the padded border.
        x_grad = super().grad(op, grad)[0]
        math = _math()
        border = math.subtract(math.reduce_sum(grad), math.reduce_sum(x_grad))
        return [x_grad, None, border]


@register("MirrorPad")
class MirrorPad(OpDef):
    """``input`` padded with mirror images of itself: ``REFLECT`` leaves out the edge value,
    ``SYMMETRIC`` repeats it."""
    grad_examples = [GradExample([(3, 4), np.array([[2, 1], [1, 3]], np.int32)]),
                     GradExample([(2, 3), np.array([[2, 1], [0, 3]], np.int64)],
                                 {"mode": "SYMMETRIC"})]

    attrs = {"mode": "REFLECT"}

    def infer(self, x: Tensor, paddings: Tensor, *, mode: str) -> tuple:
        dims, pairs = _padding_pairs(x, paddings)
        if pairs is None:
            _check_mirror((), [], mode)
            return x.dtype.base_dtype, None if dims is None else [None] * len(dims)
        _check_mirror(dims, pairs, mode)
        return x.dtype.base_dtype, [None if d is None else d + b + a
                                    for d, (b, a) in zip(dims, pairs)]

    def kernel(self, op: Any) -> Any:
        mode = op.attrs["mode"]

        def mirror_pad(x: Any, paddings: np.ndarray) -> np.ndarray:
            _check_paddings(x, paddings)
            _check_mirror(np.shape(x), paddings.tolist(), mode)
            return np.pad(x, paddings, mode=mode.lower())

        return mirror_pad

    def grad(self, op: Any, grad: Tensor) -> list:
        paddings = op.inputs[1]
        return [build_op("MirrorPadGrad", [grad, paddings], "MirrorPadGrad", dict(op.attrs)), None]


@register("MirrorPadGrad")
class MirrorPadGrad(OpDef):
    """The gradient of MirrorPad: the padded border of ``input`` folded back onto the values
    it copied, leaving the shape before padding."""
    grad_examples = [GradExample([(7, 8), np.array([[2, 1], [1, 3]], np.int32)]),
                     GradExample([(5, 6), np.array([[2, 1], [0, 3]], np.int32)],
                                 {"mode": "SYMMETRIC"})]

    attrs = {"mode": "REFLECT"}

    def infer(self, x: Tensor, paddings: Tensor, *, mode: str) -> tuple:
        dims, pairs = _padding_pairs(x, paddings)
        if pairs is None:
            _check_mirror((), [], mode)
            return x.dtype.base_dtype, None if dims is None else [None] * len(dims)
        out = [None if d is None else d - b - a for d, (b, a) in zip(dims, pairs)]
        if min((d for d in out if d is not None), default=0) < 0:
            raise ValueError(f"paddings {pairs} are larger than the input dimensions {dims}")
        _check_mirror(out, pairs, mode)
        return x.dtype.base_dtype, out

    def kernel(self, op: Any) -> Any:
        offset = 1 if op.attrs["mode"] == "REFLECT" else 0
        mode = op.attrs["mode"]

        def mirror_pad_grad(x: Any, paddings: np.ndarray) -> np.ndarray:
            _check_paddings(x, paddings)
            out = np.asarray(x)
            for axis, (before, after) in enumerate(paddings.tolist()):
                padded = np.moveaxis(out, axis, 0)
                n = padded.shape[0] - before - after
                _check_mirror((n,), [(before, after)], mode)
                core = padded[before:before + n].copy()
                core[offset:offset + before] += padded[:before][::-1]
                core[n - offset - after:n - offset] += padded[before + n:][::-1]
                out = np.moveaxis(core, 0, axis)
            return out

        return mirror_pad_grad

    def grad(self, op: Any, grad: Tensor) -> list:
        paddings = op.inputs[1]
        return [build_op("MirrorPad", [grad, paddings], "MirrorPad", dict(op.attrs)), None]


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", name: str | None = None,
        constant_values: Any = 0) -> Tensor:
    """``tf.pad``: ``tensor`` with ``paddings[i] = [before, after]`` values added around
    dimension i: ``constant_values`` (mode CONSTANT) or a mirror image (REFLECT, SYMMETRIC)."""
    x = convert_to_tensor(tensor)
    paddings = convert_to_tensor(paddings)
    mode = mode.upper()
    if mode == "CONSTANT":
        if not isinstance(constant_values, Tensor) and np.all(np.asarray(constant_values) == 0):
            return build_op("Pad", [x, paddings], name or "Pad")
        _, value = _math().binary_operands(x, constant_values)
        return build_op("PadV2", [x, paddings, value], name or "PadV2")
    if mode in ("REFLECT", "SYMMETRIC"):
        return build_op("MirrorPad", [x, paddings], name or "MirrorPad", {"mode": mode})
    raise ValueError(f"Unknown padding mode: {mode}")


@register("Slice")
class Slice(OpDef):
    """The block of ``input`` that starts at ``begin`` and has ``size`` elements along each
    dimension (-1: all the remaining ones)."""
    grad_examples = [
        GradExample([(3, 4), np.array([1, 0], np.int32), np.array([2, -1], np.int32)]),
        GradExample([(2, 3, 4), np.array([0, 1, 1], np.int64), np.array([1, 2, 3], np.int64)]),
    ]

    def infer(self, x: Tensor, begin: Tensor, size: Tensor) -> tuple:
        check_dtype(self.type, "begin", begin, INDEX)
        check_same_dtype(self.type, begin, size, ("begin", "size"))
        check_rank(begin, 1)
        check_rank(size, 1)
        dims = x.shape.as_tuple()
        lengths = {len(dims)} if dims is not None else set()
        lengths |= {t.shape.as_tuple()[0] for t in (begin, size) if t.shape.ndims} - {None}
        if len(lengths) > 1:
            raise ValueError(f"Expected begin and size arguments to be 1-D tensors of size "
                             f"{x.shape.ndims}, but got shapes {begin.shape} and {size.shape}")
        if not lengths:
            return x.dtype.base_dtype, None
        rank_ = lengths.pop()
        dims = dims or (None,) * rank_
        starts = _const_ints(begin) or [None] * rank_
        sizes = _const_ints(size) or [None] * rank_
        out = []
        for i, (d, b, s) in enumerate(zip(dims, starts, sizes)):
            if b is not None and (b < 0 or d is not None and b > d):
                raise ValueError(f"Expected begin[{i}] in [0, {d}], but got {b}")
            if s is not None and (s < -1 or None not in (d, b) and s > d - b):
                raise ValueError(f"Expected size[{i}] in [0, {'?' if d is None else d - (b or 0)}],"
                                 f" but got {s}")
            out.append((None if None in (d, b) else d - b) if s == -1 else s)
        return x.dtype.base_dtype, out

    def kernel(self, op: Any) -> Any:
        return _slice_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        x, begin, _ = op.inputs
        starts = _const_ints(begin)
        if starts is not None and x.shape.is_fully_defined() and grad.shape.is_fully_defined():
            paddings: Any = [[b, d - b - s] for b, d, s in
                             zip(starts, x.shape.as_list(), grad.shape.as_list())]
        else:
            math = _math()
            index_type = begin.dtype.base_dtype
            after = math.subtract(math.subtract(shape(x, out_type=index_type), begin),
                                  shape(grad, out_type=index_type))
            paddings = stack([begin, after], axis=1)
        return [pad(grad, paddings), None, None]


def _slice_kernel(x: Any, begin: np.ndarray, size: np.ndarray) -> Any:
    dims = np.shape(x)
    if len(begin) != len(dims) or len(size) != len(dims):
        raise ValueError(f"Expected begin and size of length {len(dims)}, got {begin.tolist()} "
                         f"and {size.tolist()}")
    end = np.where(size == -1, dims, begin + size)
    if (begin < 0).any() or (end > dims).any() or (end < begin).any():
        raise ValueError(f"Expected a slice of begin {begin.tolist()} and size {size.tolist()} "
                         f"within shape {list(dims)}")
    return x[tuple(map(slice, begin.tolist(), end.tolist()))]


def slice_(input_: Any, begin: Any, size: Any, name: str | None = None) -> Tensor:
    """``tf.slice``: the block of ``input_`` that starts at ``begin`` with ``size`` elements
    per dimension (-1 takes all the remaining ones)."""
    begin, size = _math().binary_operands(begin, size)
    return build_op("Slice", [convert_to_tensor(input_), begin, size], name or "Slice")


# -- gathering and scattering --------------------------------------------------------------
def _check_indices(indices: Any, limit: int) -> None:
    """TF1's run-time error for an index outside [0, limit) (NumPy would wrap or clip)."""
    indices = np.asarray(indices)
    bad = (indices < 0) | (indices >= limit)
    if bad.any():
        position = np.unravel_index(int(np.argmax(bad)), indices.shape)
        raise ValueError(f"indices[{','.join(map(str, position))}] = {indices[position]} is not "
                         f"in [0, {limit})")


def _check_index_vectors(indices: np.ndarray, dims: tuple) -> tuple:
    """The index vectors in the last dimension of ``indices`` as a NumPy index tuple; an error
    for a vector that does not index into ``dims``."""
    bad = ((indices < 0) | (indices >= np.asarray(dims, dtype=np.int64))).any(axis=-1)
    if bad.any():
        position = np.unravel_index(int(np.argmax(bad)), bad.shape)
        raise ValueError(f"indices[{','.join(map(str, position))}] = {indices[position].tolist()}"
                         f" does not index into param shape {list(dims)}")
    return tuple(np.moveaxis(indices, -1, 0))


@register("GatherV2")
class GatherV2(OpDef):
    """The slices of ``params`` along ``axis`` at ``indices``: the output's shape is
    ``params.shape[:axis] + indices.shape + params.shape[axis + 1:]``."""
    grad_examples = [  # repeated indices accumulate; inner axes; a scalar index
        GradExample([(4, 3), np.array([2, 0, 2, 3], np.int32), np.array(0, np.int32)]),
        GradExample([(2, 3, 4), np.array([[1, 1], [0, 3]], np.int64), np.array(2, np.int32)]),
        GradExample([(3, 2), np.array(1, np.int32), np.array(-1, np.int64)]),
    ]

    def infer(self, params: Tensor, indices: Tensor, axis: Tensor) -> tuple:
        check_dtype(self.type, "indices", indices, INDEX)
        check_dtype(self.type, "axis", axis, INDEX)
        check_rank(axis, 0)
        dims, index_dims = params.shape.as_tuple(), indices.shape.as_tuple()
        if dims == ():
            raise ValueError("params must be at least 1 dimensional")
        index = _const_axis(axis, None if dims is None else len(dims))
        if dims is None or index_dims is None:
            return params.dtype.base_dtype, None
        if index is None:
            return params.dtype.base_dtype, [None] * (len(dims) + len(index_dims) - 1)
        return params.dtype.base_dtype, dims[:index] + index_dims + dims[index + 1:]

    def kernel(self, op: Any) -> Any:
        def gather_kernel(params: Any, indices: Any, axis: Any) -> np.ndarray:
            axis = int(axis)
            _check_indices(indices, np.shape(params)[axis])
            return np.take(params, indices, axis=axis)

        return gather_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        # Scatter-add the gradient rows back: for axis 0 directly, else with the index
        # dimensions moved to the front and the result's first dimension moved to ``axis``.
        params, indices, axis = op.inputs
        rank_, index_rank = params.shape.ndims, indices.shape.ndims
        index = 0 if _const_ints(axis) == [0] else _const_axis(axis, rank_)
        if index is None or index and index_rank is None:
            raise ValueError("The gradient of GatherV2 needs a constant axis, and params and "
                             "indices of known rank unless the axis is 0")
        num = _dim(params, index)
        if index == 0:
            return [unsorted_segment_sum(grad, indices, num), None, None]
        grad_rank = rank_ + index_rank - 1
        front = [*range(index, index + index_rank), *range(index),
                 *range(index + index_rank, grad_rank)]
        summed = unsorted_segment_sum(transpose(grad, front), indices, num)
        back = [*range(1, index + 1), 0, *range(index + 1, rank_)]
        return [transpose(summed, back), None, None]


def gather(params: Any, indices: Any, validate_indices: Any = None, name: str | None = None,
           axis: Any = None, batch_dims: int = 0) -> Tensor:
    """``tf.gather``: the slices of ``params`` along ``axis`` (default 0) at ``indices``; an
    index outside the dimension is an error at run time. ``validate_indices`` is ignored, as
    in TF1."""
    if batch_dims:
        raise NotImplementedError("tf.gather with batch_dims != 0 is not supported")
    inputs = [convert_to_tensor(params), convert_to_tensor(indices),
              convert_to_tensor(0 if axis is None else axis)]
    return build_op("GatherV2", inputs, name or "GatherV2")


@register("UnsortedSegmentSum")
class UnsortedSegmentSum(OpDef):
    """Sums the slices of ``data`` into ``num_segments`` rows by ``segment_ids`` (a prefix of
    data's shape): repeated ids accumulate, negative ids are dropped. Gather's gradient."""
    grad_examples = [
        GradExample([(4, 2), np.array([1, 0, 1, -1], np.int32), np.array(3, np.int32)]),
        GradExample([(2, 2, 3), np.array([[0, 2], [2, 2]], np.int64), np.array(4, np.int64)]),
    ]

    def infer(self, data: Tensor, segment_ids: Tensor, num_segments: Tensor) -> tuple:
        check_dtype(self.type, "data", data, NUMERIC)
        check_dtype(self.type, "segment_ids", segment_ids, INDEX)
        check_dtype(self.type, "num_segments", num_segments, INDEX)
        check_rank(num_segments, 0)
        num = _const_ints(num_segments)
        if num is not None and num[0] < 0:
            raise ValueError(f"num_segments must be non-negative, got {num[0]}")
        dims, id_dims = data.shape.as_tuple(), segment_ids.shape.as_tuple()
        if dims is None or id_dims is None:
            return data.dtype.base_dtype, None
        if not TensorShape(dims[:len(id_dims)]).is_compatible_with(id_dims):
            raise ValueError(f"segment_ids.shape = {list(id_dims)} does not match a prefix of "
                             f"data.shape = {list(dims)}")
        return data.dtype.base_dtype, (num and num[0],) + dims[len(id_dims):]

    def kernel(self, op: Any) -> Any:
        np_type = op.outputs[0].dtype.as_numpy_dtype

        def segment_sum(data: Any, segment_ids: Any, num_segments: Any) -> np.ndarray:
            data, ids, num = np.asarray(data), np.asarray(segment_ids), int(num_segments)
            if data.shape[:ids.ndim] != ids.shape:
                raise ValueError(f"segment_ids.shape = {list(ids.shape)} does not match a "
                                 f"prefix of data.shape = {list(data.shape)}")
            _check_indices(np.maximum(ids, 0), num)
            out = np.zeros((num,) + data.shape[ids.ndim:], dtype=np_type)
            keep = ids >= 0
            if not keep.all():
                data, ids = data[keep], ids[keep]
            np.add.at(out, ids, data)
            return out

        return segment_sum

    def grad(self, op: Any, grad: Tensor) -> list:
        # Each slice of data gets its segment's gradient; dropped (negative) ids get zeros.
        data, ids, _ = op.inputs
        math = _math()
        gathered = gather(grad, math.maximum(ids, 0))
        keep = math.greater_equal(ids, 0)
        if data.shape.ndims is None or ids.shape.ndims is None:
            raise ValueError("The gradient of UnsortedSegmentSum needs data and segment_ids of "
                             "known rank")
        extra = data.shape.ndims - ids.shape.ndims
        if extra:
            keep = reshape(keep, _stack_indices(_dims_of(ids) + [1] * extra))
        return [where_v2(keep, gathered, zeros([], grad.dtype)), None, None]


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any,
                         name: str | None = None) -> Tensor:
    """``tf.unsorted_segment_sum``: ``out[i] = sum of data[j...]`` over ``segment_ids[j...] ==
    i``, for i in [0, num_segments)."""
    inputs = [convert_to_tensor(data), convert_to_tensor(segment_ids),
              convert_to_tensor(num_segments)]
    return build_op("UnsortedSegmentSum", inputs, name or "UnsortedSegmentSum")


@register("GatherNd")
class GatherNd(OpDef):
    """The elements or slices of ``params`` at the index vectors that form the last dimension
    of ``indices``: shape ``indices.shape[:-1] + params.shape[indices.shape[-1]:]``."""
    grad_examples = [GradExample([(3, 4), np.array([[0, 1], [2, 3], [0, 1]], np.int32)]),
                     GradExample([(3, 2, 2), np.array([[[1], [1]], [[0], [2]]], np.int64)])]

    def infer(self, params: Tensor, indices: Tensor) -> tuple:
        check_dtype(self.type, "indices", indices, INDEX)
        dims, index_dims = params.shape.as_tuple(), indices.shape.as_tuple()
        if index_dims == ():
            raise ValueError("indices must be at least rank 1")
        if dims is None or index_dims is None or index_dims[-1] is None:
            return params.dtype.base_dtype, None
        if index_dims[-1] > len(dims):
            raise ValueError(f"indices.shape[-1] must be <= params.rank, but saw indices shape: "
                             f"{list(index_dims)} and params shape: {list(dims)}")
        return params.dtype.base_dtype, index_dims[:-1] + dims[index_dims[-1]:]

    def kernel(self, op: Any) -> Any:
        def gather_nd(params: Any, indices: Any) -> np.ndarray:
            params, indices = np.asarray(params), np.asarray(indices)
            depth = indices.shape[-1]
            if depth > params.ndim:
                raise ValueError(f"indices.shape[-1] = {depth} exceeds params rank {params.ndim}")
            if depth == 0:
                return np.broadcast_to(params, indices.shape[:-1] + params.shape)
            return params[_check_index_vectors(indices, params.shape[:depth])]

        return gather_nd

    def grad(self, op: Any, grad: Tensor) -> list:
        params, indices = op.inputs
        ref_shape = _shape_value(params, indices.dtype.base_dtype)
        return [scatter_nd(indices, grad, ref_shape), None]


def gather_nd(params: Any, indices: Any, name: str | None = None, batch_dims: int = 0) -> Tensor:
    """``tf.gather_nd``: the elements (or slices) of ``params`` at the index vectors in the last
    dimension of ``indices``."""
    if batch_dims:
        raise NotImplementedError("tf.gather_nd with batch_dims != 0 is not supported")
    return build_op("GatherNd", [convert_to_tensor(params), convert_to_tensor(indices)],
               name or "GatherNd")


@register("ScatterNd")
class ScatterNd(OpDef):
    """Zeros of ``shape`` with ``updates`` added at the index vectors in ``indices`` (repeated
    indices accumulate): the gradient of GatherNd."""
    grad_examples = [GradExample([np.array([[0, 1], [2, 0], [0, 1]], np.int32), (3,),
                                  np.array([3, 2], np.int32)]),
                     GradExample([np.array([[1], [1]], np.int64), (2, 3),
                                  np.array([2, 3], np.int64)])]

    def infer(self, indices: Tensor, updates: Tensor, shape_: Tensor) -> tuple:
        check_dtype(self.type, "indices", indices, INDEX)
        check_same_dtype(self.type, indices, shape_, ("indices", "shape"))
        check_rank(shape_, 1)
        out = constant_value_as_shape(shape_)
        index_dims, out_dims = indices.shape.as_tuple(), out.as_tuple()
        if None not in (index_dims, out_dims) and index_dims and index_dims[-1] is not None:
            expected = TensorShape(index_dims[:-1] + out_dims[index_dims[-1]:])
            if not expected.is_compatible_with(updates.shape):
                raise ValueError(f"updates must have shape {expected} for indices of shape "
                                 f"{list(index_dims)} and output shape {list(out_dims)}, got "
                                 f"{updates.shape}")
        return updates.dtype.base_dtype, out

    def kernel(self, op: Any) -> Any:
        np_type = op.outputs[0].dtype.as_numpy_dtype

        def scatter_nd_kernel(indices: Any, updates: Any, shape_: Any) -> np.ndarray:
            out = np.zeros(tuple(np.ravel(shape_)), dtype=np_type)
            indices = np.asarray(indices)
            np.add.at(out, _check_index_vectors(indices, out.shape[:indices.shape[-1]]), updates)
            return out

        return scatter_nd_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        return [None, gather_nd(grad, op.inputs[0]), None]


def scatter_nd(indices: Any, updates: Any, shape: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.scatter_nd``: zeros of ``shape`` with ``updates`` added at ``indices``."""
    indices = convert_to_tensor(indices)
    shape = shape if isinstance(shape, Tensor) else convert_to_tensor(shape, dtype=indices.dtype)
    return build_op("ScatterNd", [indices, convert_to_tensor(updates), shape], name or "ScatterNd")


# -- one-hot, ranges and reversal ----------------------------------------------------------
@register("OneHot")
class OneHot(OpDef):
    """``on_value`` where the position along the new dimension ``axis`` equals the index, else
    ``off_value``; an index outside [0, depth) gives a row of ``off_value``."""

    attrs = {"axis": -1}
    grad = NOT_DIFFERENTIABLE

    def infer(self, indices: Tensor, depth: Tensor, on_value: Tensor, off_value: Tensor, *,
              axis: int) -> tuple:
        check_dtype(self.type, "indices", indices, INDEX | {dtypes.uint8})
        check_dtype(self.type, "depth", depth, frozenset({dtypes.int32}))
        for tensor in (depth, on_value, off_value):
            check_rank(tensor, 0)
        check_same_dtype(self.type, on_value, off_value, ("on_value", "off_value"))
        num = _const_ints(depth)
        if num is not None and num[0] < 0:
            raise ValueError(f"depth must be non-negative, got: {num[0]}")
        dims = indices.shape.as_tuple()
        if axis < -1 or dims is not None and axis > len(dims):
            raise ValueError(f"Expected axis to be -1 or between [0, "
                             f"{'?' if dims is None else len(dims) + 1}). But received: {axis}")
        if dims is None:
            return on_value.dtype.base_dtype, None
        position = len(dims) if axis == -1 else axis
        return on_value.dtype.base_dtype, dims[:position] + (num and num[0],) + dims[position:]

    def kernel(self, op: Any) -> Any:
        axis = op.attrs["axis"]

        def one_hot_kernel(indices: Any, depth: Any, on_value: Any, off_value: Any) -> Any:
            indices = np.asarray(indices)
            position = indices.ndim if axis == -1 else axis
            depths = np.arange(depth).reshape((-1,) + (1,) * (indices.ndim - position))
            return np.where(np.expand_dims(indices, position) == depths, on_value, off_value)

        return one_hot_kernel


def one_hot(indices: Any, depth: Any, on_value: Any = None, off_value: Any = None,
            axis: int | None = None, dtype: Any = None, name: str | None = None) -> Tensor:
    """``tf.one_hot``: a new dimension ``axis`` (default: last) of length ``depth`` holding
    ``on_value`` (default 1) at each index and ``off_value`` (default 0) elsewhere; the dtype
    comes from ``dtype``, else from the given values, else float32."""
    with name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
        # As TF1 (TF2 later converted them with dtype as a hint): a Python 1.0 is float32.
        on, off = (None if value is None else convert_to_tensor(value, name=label)
                   for label, value in (("on_value", on_value), ("off_value", off_value)))
        given = [t for t in (on, off) if t is not None]
        if dtype is None:
            dtype = given[0].dtype.base_dtype if given else dtypes.float32
        for label, tensor in (("on_value", on), ("off_value", off)):
            if tensor is not None and tensor.dtype.base_dtype != dtype:
                raise TypeError(f"dtype {tensor.dtype.name} of {label} does not match dtype "
                                f"{dtype.name}")
        on = constant(1, dtype=dtype, name="on_value") if on is None else on
        off = constant(0, dtype=dtype, name="off_value") if off is None else off
        inputs = [convert_to_tensor(indices, name="indices"),
                  convert_to_tensor(depth, name="depth"), on, off]
        return build_op("OneHot", inputs, scope, {"axis": -1 if axis is None else axis})


@register("LinSpace")
class LinSpace(OpDef):
    """``num`` evenly spaced values from ``start`` to ``stop``, both included."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, start: Tensor, stop: Tensor, num: Tensor) -> tuple:
        check_dtype(self.type, "start", start, FLOATS)
        check_same_dtype(self.type, start, stop, ("start", "stop"))
        check_dtype(self.type, "num", num, INDEX)
        for tensor in (start, stop, num):
            check_rank(tensor, 0)
        count = _const_ints(num)
        if count is not None and count[0] <= 0:
            raise ValueError(f"Requires num > 0: {count[0]}")
        return start.dtype.base_dtype, [count and count[0]]

    def kernel(self, op: Any) -> Any:
        np_type = op.outputs[0].dtype.as_numpy_dtype

        def lin_space(start: Any, stop: Any, num: Any) -> np.ndarray:
            if num <= 0:
                raise ValueError(f"Requires num > 0: {num}")
            # As TF1's kernel: start + i * step in the input's precision, the last value exact.
            step = (stop - start) / np_type(max(num - 1, 1))
            out = start + step * np.arange(num, dtype=np_type)
            if num > 1:
                out[-1] = stop
            return out

        return lin_space


def linspace(start: Any, stop: Any, num: Any, name: str | None = None) -> Tensor:
    """``tf.linspace`` / ``tf.lin_space``: ``num`` evenly spaced values from ``start`` to
    ``stop`` inclusive (float32 or float64)."""
    start, stop = _math().binary_operands(start, stop)
    return build_op("LinSpace", [start, stop, convert_to_tensor(num)], name or "LinSpace")


lin_space = linspace


@register("ReverseV2")
class ReverseV2(OpDef):
    """``tensor`` with the order of its elements reversed along each dimension in ``axis``."""
    grad_examples = [GradExample([(2, 3, 4), np.array([0, 2], np.int32)]),
                     GradExample([(3,), np.array([-1], np.int64)])]

    def infer(self, x: Tensor, axis: Tensor) -> tuple:
        check_dtype(self.type, "axis", axis, INDEX)
        check_rank(axis, 1)
        dims, axes = x.shape.as_tuple(), _const_ints(axis)
        if dims is not None and axes is not None:
            for a in axes:
                if not -len(dims) <= a < len(dims):
                    raise ValueError(f"'axis' = {a} is out of valid range [{-len(dims)}, "
                                     f"{len(dims)})")
            if len({a % len(dims) for a in axes}) != len(axes):
                raise ValueError(f"axis {axes} names a dimension more than once")
        return x.dtype.base_dtype, x.shape

    def kernel(self, op: Any) -> Any:
        return lambda x, axis: np.flip(x, tuple(np.ravel(axis).tolist()))

    def grad(self, op: Any, grad: Tensor) -> list:
        return [reverse(grad, op.inputs[1]), None]


def reverse(tensor: Any, axis: Any, name: str | None = None) -> Tensor:
    """``tf.reverse`` / ``tf.reverse_v2``: ``tensor`` reversed along the dimensions in
    ``axis``."""
    return build_op("ReverseV2", [convert_to_tensor(tensor), convert_to_tensor(axis)],
               name or "ReverseV2")


reverse_v2 = reverse


# -- masks ---------------------------------------------------------------------------------
def boolean_mask(tensor: Any, mask: Any, name: str = "boolean_mask", axis: int | None = None
                 ) -> Tensor:
    """``tf.boolean_mask``: the slices of ``tensor`` where the k-dimensional ``mask`` is true,
    dimensions ``axis..axis+k-1`` flattened into one of unknown length (as TF1 builds it: a
    reshape, ``where`` and ``gather``)."""
    with name_scope(name, "boolean_mask", [tensor, mask]):
        tensor = convert_to_tensor(tensor, name="tensor")
        mask = convert_to_tensor(mask, name="mask")
        check_dtype("boolean_mask", "mask", mask, BOOL)
        k = mask.shape.ndims
        if k == 0:
            raise ValueError("mask cannot be scalar.")
        if k is None:
            raise ValueError("Number of mask dimensions must be specified, even if some "
                             "dimensions are None.  E.g. shape=[None] is ok, but shape=None "
                             "is not.")
        axis = 0 if axis is None else axis
        dims = tensor.shape.as_tuple()
        if dims is None:  # the target shape is only known at run time
            outer = shape(tensor)
            target = concat([outer[:axis], reshape(size(mask), [1]), outer[axis + k:]], 0)
        else:
            if not 0 <= axis <= len(dims) - k:
                raise ValueError(f"axis {axis} does not fit a mask of rank {k} in a tensor of "
                                 f"rank {len(dims)}")
            masked = TensorShape(dims[axis:axis + k])
            if not masked.is_compatible_with(mask.shape):
                raise ValueError(f"Shapes {masked} and {mask.shape} are incompatible")
            outer = _dims_of(tensor)
            leading = masked.merge_with(mask.shape).num_elements()
            target = _stack_indices(
                outer[:axis] + [size(mask) if leading is None else leading] + outer[axis + k:])
        flat = reshape(tensor, target)
        indices = squeeze(where(reshape(mask, [-1])), axis=[1])
        return gather(flat, indices, axis=axis)


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = dtypes.bool,
                  name: str | None = None) -> Tensor:
    """``tf.sequence_mask``: ``mask[..., j] = j < lengths[...]`` for j in [0, maxlen); maxlen
    defaults to the largest length."""
    math = _math()
    with name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = convert_to_tensor(lengths)
        known = constant_value(lengths)
        if maxlen is None and known is not None:  # TF folds this at build time, fixing the shape
            maxlen = constant(max(0, int(np.max(known, initial=0))), dtype=lengths.dtype)
        elif maxlen is None:
            maxlen = math.maximum(0, math.reduce_max(lengths))
        else:
            maxlen = convert_to_tensor(maxlen)
        if maxlen.shape.ndims not in (None, 0):
            raise ValueError("maxlen must be scalar for sequence_mask")
        index_type = maxlen.dtype.base_dtype
        row = range_(constant(0, index_type), maxlen, constant(1, index_type))
        result = math.less(row, math.cast(expand_dims(lengths, -1), index_type))
        return math.cast(result, dtype)


# -- diagonals -----------------------------------------------------------------------------
@register("Diag")
class Diag(OpDef):
    """The tensor of rank 2k with ``diagonal`` (rank k) on its diagonal and zeros elsewhere:
    ``out[i..., i...] = diagonal[i...]``."""
    grad_examples = [GradExample([(3,)]), GradExample([(2, 2)])]

    def infer(self, diagonal: Tensor) -> tuple:
        dims = diagonal.shape.as_tuple()
        if dims == ():
            raise ValueError("Shape must be at least rank 1 but is rank 0")
        return diagonal.dtype.base_dtype, None if dims is None else dims + dims

    def kernel(self, op: Any) -> Any:
        return lambda diagonal: np.diag(np.ravel(diagonal)).reshape(np.shape(diagonal) * 2)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [diag_part(grad)]


@register("DiagPart")
class DiagPart(OpDef):
    """The diagonal ``out[i...] = input[i..., i...]`` of a tensor of rank 2k: Diag's inverse."""
    grad_examples = [GradExample([(3, 3)]), GradExample([(2, 1, 2, 1)])]

    def infer(self, x: Tensor) -> tuple:
        dims = x.shape.as_tuple()
        if dims is None:
            return x.dtype.base_dtype, None
        if not dims or len(dims) % 2:
            raise ValueError(f"Input must have even and non-zero rank, got rank {len(dims)}")
        half = len(dims) // 2
        return x.dtype.base_dtype, TensorShape(dims[:half]).merge_with(dims[half:])

    def kernel(self, op: Any) -> Any:
        def diag_part_kernel(x: Any) -> np.ndarray:
            dims = np.shape(x)
            half = dims[:len(dims) // 2]
            if dims[len(half):] != half:
                raise ValueError(f"Invalid shape {list(dims)}: the two halves must be equal")
            n = int(np.prod(half))
            return np.reshape(x, (n, n)).diagonal().reshape(half)

        return diag_part_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        return [diag(grad)]


def diag(diagonal: Any, name: str | None = None) -> Tensor:
    """``tf.diag``: a tensor of twice the rank with ``diagonal`` on its diagonal."""
    return build_op("Diag", [convert_to_tensor(diagonal)], name or "Diag")


def diag_part(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.diag_part``: the diagonal of a tensor of rank 2k (Diag's inverse)."""
    return build_op("DiagPart", [convert_to_tensor(input)], name or "DiagPart")


def _matrix_dims(x: Tensor, least_rank: int) -> tuple | None:
    dims = x.shape.as_tuple()
    if dims is not None and len(dims) < least_rank:
        raise ValueError(f"Shape must be at least rank {least_rank} but is rank {len(dims)}")
    return dims


def _diagonal_length(rows: int | None, columns: int | None) -> int | None:
    return None if rows is None or columns is None else min(rows, columns)


@register("MatrixDiag")
class MatrixDiag(OpDef):
    """Batched diagonal matrices: ``out[..., i, i] = diagonal[..., i]``, zeros elsewhere."""
    grad_examples = [GradExample([(3,)]), GradExample([(2, 3)])]

    def infer(self, diagonal: Tensor) -> tuple:
        dims = _matrix_dims(diagonal, 1)
        return diagonal.dtype.base_dtype, None if dims is None else dims + dims[-1:]

    def kernel(self, op: Any) -> Any:
        def matrix_diag_kernel(diagonal: Any) -> np.ndarray:
            diagonal = np.asarray(diagonal)
            out = np.zeros(diagonal.shape + diagonal.shape[-1:], dtype=diagonal.dtype)
            steps = np.arange(diagonal.shape[-1])
            out[..., steps, steps] = diagonal
            return out

        return matrix_diag_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        return [matrix_diag_part(grad)]


@register("MatrixDiagPart")
class MatrixDiagPart(OpDef):
    """The main diagonals of a batch of matrices: ``out[..., i] = input[..., i, i]``."""
    grad_examples = [GradExample([(3, 3)]), GradExample([(2, 2, 3)])]

    def infer(self, x: Tensor) -> tuple:
        dims = _matrix_dims(x, 2)
        if dims is None:
            return x.dtype.base_dtype, None
        return x.dtype.base_dtype, dims[:-2] + (_diagonal_length(*dims[-2:]),)

    def kernel(self, op: Any) -> Any:
        return lambda x: np.diagonal(x, axis1=-2, axis2=-1)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [matrix_set_diag(zeros_like(op.inputs[0]), grad)]


@register("MatrixSetDiag")
class MatrixSetDiag(OpDef):
    """A batch of matrices with their main diagonals replaced by ``diagonal``."""
    grad_examples = [GradExample([(3, 3), (3,)]), GradExample([(2, 2, 3), (2, 2)])]

    def infer(self, x: Tensor, diagonal: Tensor) -> tuple:
        check_same_dtype(self.type, x, diagonal, ("input", "diagonal"))
        dims = _matrix_dims(x, 2)
        _matrix_dims(diagonal, 1)
        if dims is not None:
            expected = TensorShape(dims[:-2] + (_diagonal_length(*dims[-2:]),))
            if not expected.is_compatible_with(diagonal.shape):
                raise ValueError(f"diagonal must have shape {expected}, got {diagonal.shape}")
        return x.dtype.base_dtype, x.shape

    def kernel(self, op: Any) -> Any:
        def matrix_set_diag_kernel(x: Any, diagonal: Any) -> np.ndarray:
            out = np.array(x)
            steps = np.arange(min(out.shape[-2:]))
            out[..., steps, steps] = diagonal
            return out

        return matrix_set_diag_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        return [matrix_set_diag(grad, zeros_like(op.inputs[1])), matrix_diag_part(grad)]


def matrix_diag(diagonal: Any, name: str = "diag") -> Tensor:
    """``tf.matrix_diag`` / ``tf.linalg.diag``: batched square matrices with ``diagonal``'s last
    dimension on their diagonals."""
    return build_op("MatrixDiag", [convert_to_tensor(diagonal)], name)


def matrix_diag_part(input: Any, name: str = "diag_part") -> Tensor:  # noqa: A002
    """``tf.matrix_diag_part`` / ``tf.linalg.diag_part``: the main diagonals of a batch of
    matrices."""
    return build_op("MatrixDiagPart", [convert_to_tensor(input)], name)


def matrix_set_diag(input: Any, diagonal: Any, name: str = "set_diag") -> Tensor:  # noqa: A002
    """``tf.matrix_set_diag`` / ``tf.linalg.set_diag``: ``input`` with its main diagonals
    replaced by ``diagonal``."""
    x, diagonal = _math().binary_operands(input, diagonal)
    return build_op("MatrixSetDiag", [x, diagonal], name)


def eye(num_rows: Any, num_columns: Any = None, batch_shape: Any = None,
        dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.eye``: identity matrices of shape ``batch_shape + [num_rows, num_columns]`` (square
    by default), built as TF1 builds them from ``matrix_diag`` / ``matrix_set_diag``."""
    with name_scope(name, "eye", [num_rows, num_columns, batch_shape]):
        is_square = num_columns is None
        num_columns = num_rows if num_columns is None else num_columns
        batch = [] if batch_shape is None else batch_shape
        if isinstance(num_rows, Tensor) or isinstance(num_columns, Tensor):
            diag_size = _math().minimum(num_rows, num_columns)
        else:
            if not all(isinstance(n, (int, np.integer)) for n in (num_rows, num_columns)):
                raise TypeError("num_rows and num_columns must be positive integer values.")
            is_square = num_rows == num_columns
            diag_size = min(num_rows, num_columns)
        if isinstance(batch, Tensor):
            diag_shape: Any = concat([batch, _stack_indices([diag_size])], 0)
            full_shape: Any = concat([batch, _stack_indices([num_rows, num_columns])], 0)
        else:
            diag_shape = _stack_indices([*batch, diag_size])
            full_shape = _stack_indices([*batch, num_rows, num_columns])
        diag_ones = ones(diag_shape, dtype=dtype)
        if is_square:
            return matrix_diag(diag_ones)
        return matrix_set_diag(zeros(full_shape, dtype=dtype), diag_ones)


# -- unique and where ----------------------------------------------------------------------
UniqueOutput = namedtuple("Unique", ["y", "idx"])


@register("Unique")
class Unique(OpDef):
    """The distinct elements of a 1-D tensor in order of first appearance (``y``) and, for each
    element, its position in ``y`` (``idx``), so that ``x = gather(y, idx)``."""

    attrs = {"out_idx": dtypes.int32}
    grad = NO_GRADIENT

    def infer(self, x: Tensor, *, out_idx: dtypes.DType) -> list:
        check_rank(x, 1)
        if out_idx not in INDEX:
            raise TypeError(f"out_idx must be int32 or int64, got {out_idx}")
        return [(x.dtype.base_dtype, [None]), (out_idx, x.shape)]

    def kernel(self, op: Any) -> Any:
        np_type = op.attrs["out_idx"].as_numpy_dtype

        def unique_kernel(x: np.ndarray) -> tuple:
            values, first, inverse = np.unique(x, return_index=True, return_inverse=True)
            order = np.argsort(first)  # the sorted distinct values, by first appearance
            position = np.empty(len(order), dtype=np_type)
            position[order] = np.arange(len(order), dtype=np_type)
            return values[order], position[np.ravel(inverse)]

        return unique_kernel


def unique(x: Any, out_idx: Any = dtypes.int32, name: str | None = None) -> UniqueOutput:
    """``tf.unique``: the pair ``(y, idx)`` of the distinct elements of the 1-D ``x`` in order
    of appearance and the index into ``y`` of each element."""
    op = get_default_graph().create_op("Unique", [convert_to_tensor(x)],
                                       {"out_idx": dtypes.as_dtype(out_idx)}, name or "Unique")
    return UniqueOutput(*op.outputs)


@register("Where")
class Where(OpDef):
    """The coordinates of the true (non-zero) elements of ``condition`` in row-major order:
    an int64 matrix of shape [number of true elements, rank]."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, condition: Tensor) -> tuple:
        check_dtype(self.type, "input", condition, NUMERIC | BOOL)
        return dtypes.int64, [None, condition.shape.ndims]

    def kernel(self, op: Any) -> Any:
        return lambda condition: np.argwhere(condition).astype(np.int64, copy=False)


@register("SelectV2")
class SelectV2(OpDef):
    """``condition ? x : y`` elementwise, with NumPy broadcasting of all three."""
    grad_examples = [GradExample([np.array([[True], [False]]), (2, 3), (3,)]),
                     GradExample([np.array([True, False, True]), (), (2, 3)])]

    def infer(self, condition: Tensor, x: Tensor, y: Tensor) -> tuple:
        check_dtype(self.type, "condition", condition, BOOL)
        check_same_dtype(self.type, x, y, ("t", "e"))
        values = broadcast_dims(x.shape.as_tuple(), y.shape.as_tuple())
        return x.dtype.base_dtype, broadcast_dims(condition.shape.as_tuple(), values)

    def kernel(self, op: Any) -> Any:
        return np.where

    def grad(self, op: Any, grad: Tensor) -> list:
        condition, x, y = op.inputs
        out = op.outputs[0]
        zero = zeros([], grad.dtype)
        sum_to_shape_of = _math().sum_to_shape_of
        return [None, sum_to_shape_of(where_v2(condition, grad, zero), x, out),
                sum_to_shape_of(where_v2(condition, zero, grad), y, out)]


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.where``: with ``x`` and ``y``, the elements of ``x`` where ``condition`` is true,
    else of ``y`` (a vector condition selects whole rows); with neither, the int64 coordinates
    of the true elements, shape [num_true, rank]."""
    return _where("Select", condition, x, y, name)


def where_v2(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.where_v2``: as ``tf.where``, but ``condition``, ``x`` and ``y`` broadcast against
    each other (TF2's semantics)."""
    return _where("SelectV2", condition, x, y, name)


def _where(select_type: str, condition: Any, x: Any, y: Any, name: str | None) -> Tensor:
    if x is None and y is None:
        with name_scope(name, "Where", [condition]) as scope:
            condition = convert_to_tensor(condition, preferred_dtype=dtypes.bool)
            return build_op("Where", [condition], scope)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x, y = _math().binary_operands(x, y)
    return build_op(select_type, [convert_to_tensor(condition, dtype=dtypes.bool), x, y],
               name or select_type)
