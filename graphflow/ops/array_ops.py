"""Shape and array ops: reshape, shape queries, slicing, identity, fills, selection."""

from __future__ import annotations

from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import Tensor, get_default_graph, name_scope
from graphflow.framework.registry import NOT_DIFFERENTIABLE, GradExample, OpDef, register
from graphflow.ops.constant_op import (
    constant_value,
    constant_value_as_shape,
    convert_to_tensor,
)
from graphflow.ops.op_util import BOOL, INDEX, check_dtype

newaxis = None


def _op(op_type: str, inputs: list, name: str | None, attrs: dict | None = None) -> Tensor:
    return get_default_graph().create_op(op_type, inputs, attrs, name).outputs[0]


# -- identity and friends ------------------------------------------------------------------
@register("Identity")
class Identity(OpDef):
    """Its input, unchanged. Reading a variable (``W/read``) is an Identity of its reference."""
    grad_examples = [GradExample([(2, 3)])]

    def infer(self, x: Tensor) -> tuple:
        return x.dtype.base_dtype, x.shape

    def kernel(self, op: Any) -> Any:
        return _identity

    def bind(self, op: Any, state: Any) -> Any:
        if op.inputs[0].dtype.is_ref_dtype:
            return state.reader(op)
        return _identity

    def grad(self, op: Any, grad: Tensor) -> list:
        return [grad]


def _identity(x: Any) -> Any:
    return x


def identity(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF1's name
    """``tf.identity``: the same value as a new tensor (useful under control dependencies)."""
    return _op("Identity", [convert_to_tensor(input)], name or "Identity")


@register("StopGradient")
class StopGradient(OpDef):
    """Its input, unchanged, but treated as a constant by backprop."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor) -> tuple:
        return x.dtype.base_dtype, x.shape

    def kernel(self, op: Any) -> Any:
        return _identity


def stop_gradient(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.stop_gradient``: blocks gradients from flowing through."""
    return _op("StopGradient", [convert_to_tensor(input)], name or "StopGradient")


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


def shape(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:  # noqa: A002
    """``tf.shape``: the run-time shape (use ``tensor.shape`` for the static one)."""
    return _op("Shape", [convert_to_tensor(input)], name or "Shape",
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


def size(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:  # noqa: A002
    """``tf.size``: the number of elements at run time."""
    return _op("Size", [convert_to_tensor(input)], name or "Size",
               {"out_type": dtypes.as_dtype(out_type)})


@register("Rank")
class Rank(OpDef):
    """The number of dimensions, as an int32 scalar."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor) -> tuple:
        return dtypes.int32, []

    def kernel(self, op: Any) -> Any:
        return lambda x: np.int32(np.ndim(x))


def rank(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.rank``: the number of dimensions at run time."""
    return _op("Rank", [convert_to_tensor(input)], name or "Rank")


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

    def kernel(self, op: Any) -> Any:
        def reshape_kernel(x: np.ndarray, new_shape: np.ndarray) -> np.ndarray:
            try:
                return np.reshape(x, new_shape)
            except ValueError:
                raise ValueError(
                    f"Input to reshape is a tensor with {np.size(x)} values, but the requested "
                    f"shape has {int(np.prod(new_shape[new_shape >= 0]))}"
                ) from None

        return reshape_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        x = op.inputs[0]
        target = x.shape.as_list() if x.shape.is_fully_defined() else shape(x)
        return [reshape(grad, target), None]


def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.reshape``: ``tensor`` with the same elements in ``shape`` (-1 infers one dim)."""
    x = convert_to_tensor(tensor)
    if isinstance(shape, (list, tuple)):
        shape = [-1 if d is None else d for d in shape]
    return _op("Reshape", [x, convert_to_tensor(shape, dtype=dtypes.int32)], name or "Reshape")


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
    return _op("ReducedShape", [input_shape, axes], "ReducedShape")


# -- fills ---------------------------------------------------------------------------------
@register("ZerosLike")
class ZerosLike(OpDef):
    """Zeros with the shape and dtype of the input."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor) -> tuple:
        return x.dtype.base_dtype, x.shape

    def kernel(self, op: Any) -> Any:
        return np.zeros_like


@register("OnesLike")
class OnesLike(OpDef):
    """Ones with the shape and dtype of the input."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, x: Tensor) -> tuple:
        return x.dtype.base_dtype, x.shape

    def kernel(self, op: Any) -> Any:
        return np.ones_like


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None) -> Tensor:
    """``tf.zeros_like``."""
    x = convert_to_tensor(tensor)
    out = _op("ZerosLike", [x], name or "zeros_like")
    return out if dtype is None else _cast(out, dtype)


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None) -> Tensor:
    """``tf.ones_like``."""
    x = convert_to_tensor(tensor)
    out = _op("OnesLike", [x], name or "ones_like")
    return out if dtype is None else _cast(out, dtype)


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
        return _op("Range", [start, limit, delta], scope)


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


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.where`` (three arguments): elements of ``x`` where ``condition``, else of ``y``."""
    if x is None or y is None:
        raise NotImplementedError("tf.where with one argument is not supported yet")
    from graphflow.ops.math_ops import binary_operands

    x, y = binary_operands(x, y)
    return _op("Select", [convert_to_tensor(condition, dtype=dtypes.bool), x, y],
               name or "Select")


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
        values = [constant_value(t) for t in (begin, end, strides)]
        dims = x.shape.as_tuple()
        if dims is None or any(v is None for v in values):
            return x.dtype.base_dtype, None
        return x.dtype.base_dtype, _sliced_dims(_index_tuple(*values, masks), dims)

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
        x_shape = x.shape.as_list() if x.shape.is_fully_defined() else shape(x)
        masks = {k: op.attrs[k] for k in _MASKS}
        out = _op("StridedSliceGrad",
                  [convert_to_tensor(x_shape, dtype=dtypes.int32), begin, end, strides, grad],
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
    return _op("StridedSlice", [x, begin, end, strides], name or "StridedSlice", masks)


def _stack_indices(values: list) -> Any:
    """A 1-D int32 tensor from ints and scalar tensors (a constant when all are ints)."""
    if all(isinstance(v, (int, np.integer)) for v in values):
        return np.array(values, dtype=np.int32)
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
        return _op("StridedSlice", [tensor, convert_to_tensor(_stack_indices(begin)),
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
        return [_op("Pack", list(grads), "stack", {"axis": op.attrs["axis"]})]


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
    return _op("Pack", [convert_to_tensor(v) for v in values], name, {"axis": axis})
