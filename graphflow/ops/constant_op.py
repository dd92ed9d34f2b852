"""Constants, placeholders and the conversion of Python values into tensors.

TF1's rules: Python floats become float32 and ints int32 (int64 when they do not fit), NumPy
arrays keep their dtype, strings become ``string`` tensors holding bytes. A value is converted to
a requested dtype only when nothing is lost; TF1 silently truncated ``1.5`` to an int, graphflow
raises TypeError instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.errors import InvalidArgumentError
from graphflow.framework.graph import Tensor, get_default_graph
from graphflow.framework.registry import NOT_DIFFERENTIABLE, GradExample, OpDef, register
from graphflow.framework.tensor_shape import TensorShape, as_shape, format_dims

_INT32 = np.iinfo(np.int32)


def _default_dtype(array: np.ndarray, from_python: bool) -> dtypes.DType:
    """TF1's dtype for a value that came without one."""
    kind = array.dtype.kind
    if kind in "SUO":
        return dtypes.string
    if not from_python:
        return dtypes.as_dtype(array.dtype)
    if kind == "f":
        return dtypes.float32
    if kind in "iu":
        fits = array.size == 0 or (_INT32.min <= array.min() and array.max() <= _INT32.max)
        return dtypes.int32 if fits else dtypes.int64
    return dtypes.as_dtype(array.dtype)


def _to_strings(array: np.ndarray) -> np.ndarray:
    out = np.empty(array.shape, dtype=object)
    for index, item in np.ndenumerate(array):
        if isinstance(item, str):
            item = item.encode("utf-8")
        if not isinstance(item, bytes):
            raise TypeError(f"Expected string, but got {item!r} of type '{type(item).__name__}'.")
        out[index] = item
    return out


def to_numpy(value: Any, dtype: Any = None) -> np.ndarray:
    """Converts ``value`` into an ndarray of ``dtype`` (or TF1's default dtype for it).

    Raises TypeError when the conversion would lose information (a float to an int, a number to
    a string) and ValueError for ragged nested lists.
    """
    from_python = not isinstance(value, (np.ndarray, np.generic))
    try:
        array = np.asarray(value, dtype=object if _has_text(value) else None)
    except ValueError as error:
        raise ValueError(
            f"Can't convert non-rectangular Python sequence to Tensor. ({error})"
        ) from None
    if array.dtype == object and not _has_text(value):
        raise TypeError(f"Failed to convert object of type {type(value).__name__} to Tensor.")
    if dtype is None:
        target = _default_dtype(array, from_python)
    else:
        target = dtypes.as_dtype(dtype).base_dtype
    if target == dtypes.string:
        return _to_strings(array)
    if array.dtype.kind in "SUO":
        raise TypeError(
            f"Expected {target.name}, but got {value!r} of type '{type(value).__name__}'."
        )
    np_type = target.as_numpy_dtype
    converted = array.astype(np_type, copy=False)
    if array.dtype.kind in "fc" and target.is_integer or target.is_bool and array.dtype.kind != "b":
        if not np.array_equal(converted, array):
            bad = array.flat[int(np.argmax(converted.ravel() != array.ravel()))]
            raise TypeError(
                f"Expected {target.name}, but got {bad!r} of type '{type(bad.item()).__name__}'."
            )
    elif target.is_integer and array.dtype.kind in "iu" and array.size:
        info = np.iinfo(np_type)
        if array.min() < info.min or array.max() > info.max:
            raise TypeError(f"Value out of range for {target.name}: {value!r}")
    return converted


def _has_text(value: Any) -> bool:
    """True for strings and (nested) lists that contain strings."""
    while isinstance(value, (list, tuple)) and value:
        value = value[0]
    return isinstance(value, (str, bytes)) or (
        isinstance(value, np.ndarray) and value.dtype.kind in "SUO"
    )


@register("Const")
class Const(OpDef):
    """A value fixed at graph-build time."""

    attrs = {"value": None, "dtype": None}
    grad = NOT_DIFFERENTIABLE

    def infer(self, *, value: np.ndarray, dtype: dtypes.DType) -> tuple:
        return dtype, value.shape

    def kernel(self, op: Any) -> Any:
        value = op.attrs["value"]
        result = value[()] if value.ndim == 0 else value  # scalars as NumPy scalars, as TF1
        return lambda: result


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const",
             verify_shape: bool = False) -> Tensor:
    """``tf.constant``: a tensor whose value is fixed; ``shape`` reshapes or fills from a scalar."""
    array = np.array(to_numpy(value, dtype))  # a private copy: later edits to `value` don't leak in
    if shape is not None:
        shape = as_shape(shape)
        if not shape.is_fully_defined():
            raise TypeError(f"Expected a fully defined shape, got {shape}")
        target = tuple(shape.as_list())
        if array.shape != target:
            if verify_shape:
                raise TypeError(f"Expected Tensor's shape: {target}, got {array.shape}.")
            if array.size == 1:
                array = np.full(target, array.reshape(()), dtype=array.dtype)
            elif array.size == int(np.prod(target)):
                array = array.reshape(target)
            else:
                raise TypeError(
                    f"Eager execution of tf.constant with unsupported shape. Tried to convert "
                    f"value of {array.size} elements into shape {format_dims(target)}."
                )
    array.flags.writeable = False  # constants never change; Session.run copies what it returns
    out_dtype = dtypes.as_dtype(array.dtype) if array.dtype != object else dtypes.string
    op = get_default_graph().create_op("Const", [], {"value": array, "dtype": out_dtype}, name)
    return op.outputs[0]


def convert_to_tensor(value: Any, dtype: Any = None, name: str | None = None,
                      preferred_dtype: Any = None, dtype_hint: Any = None) -> Tensor:
    """Returns ``value`` as a Tensor: tensors pass through (their dtype checked against
    ``dtype``), variables give their value, anything else becomes a constant."""
    if hasattr(value, "_as_graph_tensor"):
        value = value._as_graph_tensor()
    if isinstance(value, Tensor):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(
                f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for Tensor "
                f"with dtype {value.dtype.name}: {value!r}"
            )
        return value
    if hasattr(value, "_as_graph_element") or hasattr(value, "_graph"):
        raise TypeError(f"Can not convert a {type(value).__name__} into a Tensor.")
    if isinstance(value, (list, tuple)) and _holds_tensor(value):
        return _autopack(value, dtype, name)
    if dtype is None:
        preferred = preferred_dtype if preferred_dtype is not None else dtype_hint
        if preferred is not None:
            try:
                return constant(to_numpy(value, preferred), name=name or "Const")
            except (TypeError, ValueError):
                pass
    return constant(value, dtype, name=name or "Const")


def _holds_tensor(value: Any) -> bool:
    """True for (nested) lists and tuples with a Tensor or Variable somewhere inside."""
    if isinstance(value, (list, tuple)):
        return any(_holds_tensor(item) for item in value)
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_tensor")


def _first_tensor_dtype(value: Any) -> Any:
    for item in value:
        if isinstance(item, (list, tuple)):
            found = _first_tensor_dtype(item)
            if found is not None:
                return found
        elif isinstance(item, Tensor) or hasattr(item, "_as_graph_tensor"):
            return convert_to_tensor(item).dtype.base_dtype
    return None


def _autopack(value: Any, dtype: Any, name: str | None) -> Tensor:
    """``[t1, 2.0]`` with tensors inside becomes ``tf.stack`` of its items (TF1's ``packed``);
    plain numbers take the dtype of the first tensor."""
    from graphflow.ops.array_ops import stack

    dtype = dtype if dtype is not None else _first_tensor_dtype(value)
    items = [_autopack(item, dtype, None) if isinstance(item, (list, tuple))
             else convert_to_tensor(item, dtype=dtype) for item in value]
    return stack(items, name=name or "packed")


def convert_n_to_tensor(values: Any, dtype: Any = None) -> list[Tensor]:
    return [convert_to_tensor(v, dtype) for v in values]


def constant_value(tensor: Tensor) -> np.ndarray | None:
    """The value of ``tensor`` when it is known at build time (a constant, or the shape of a
    fully defined tensor), else None. Shape inference uses it for shape and axis arguments."""
    op = tensor.op
    if op.type == "Const":
        return op.attrs["value"]
    if op.type == "Shape" and op.inputs[0].shape.is_fully_defined():
        return np.array(op.inputs[0].shape.as_list(), dtype=op.attrs["out_type"].as_numpy_dtype)
    if op.type == "Identity":
        return constant_value(op.inputs[0])
    return None


def constant_value_as_shape(tensor: Tensor) -> TensorShape:
    """The shape that a 1-D int tensor denotes, as far as it is known at build time: exact for
    a constant, the static shape of ``x`` for ``tf.shape(x)``, else dims of unknown size."""
    value = constant_value(tensor)
    if value is not None:
        return TensorShape([None if d < 0 else int(d) for d in np.ravel(value)])
    op = tensor.op
    if op.type == "Shape":
        return op.inputs[0].shape
    if op.type == "Pack" and all(t.shape.ndims == 0 for t in op.inputs):
        values = [constant_value(t) for t in op.inputs]
        return TensorShape([None if v is None or v < 0 else int(v) for v in values])
    length = tensor.shape.as_tuple()
    return TensorShape(None if not length or length[0] is None else [None] * length[0])


# -- placeholders --------------------------------------------------------------------------
@register("Placeholder")
class Placeholder(OpDef):
    """A tensor whose value must be fed to each run that needs it."""

    attrs = {"dtype": None, "shape": None}
    grad = NOT_DIFFERENTIABLE

    def infer(self, *, dtype: dtypes.DType, shape: TensorShape) -> tuple:
        return dtype, shape

    def kernel(self, op: Any) -> Any:
        def unfed() -> None:  # the plan compiler reports this before running; kept for safety
            raise InvalidArgumentError(None, None, "You must feed a value for placeholder tensor")

        return unfed


def placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> Tensor:
    """``tf.placeholder``: an input to be fed at run time; ``None`` dims accept any size."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    op = get_default_graph().create_op(
        "Placeholder", [], {"dtype": dtype, "shape": as_shape(shape)}, name or "Placeholder"
    )
    return op.outputs[0]


@register("PlaceholderWithDefault")
class PlaceholderWithDefault(OpDef):
    """Its input's value unless fed; the static shape may be looser than the default's."""
    grad_examples = [GradExample([(2, 3)], {"shape": TensorShape([None, 3])})]

    attrs = {"shape": None}

    def infer(self, default: Tensor, *, shape: TensorShape) -> tuple:
        if not shape.is_compatible_with(default.shape):
            raise ValueError(f"Shape of the default {default.shape} is incompatible with {shape}")
        return default.dtype, shape

    def kernel(self, op: Any) -> Any:
        return identity_kernel

    def forwards_input(self, op: Any) -> bool:
        return True  # a plan where it is fed does not run it

    def grad(self, op: Any, grad: Tensor) -> list:
        return [grad]


def identity_kernel(x: Any) -> Any:
    """The kernel of ops whose output is their input (Identity, StopGradient, ...)."""
    return x


def placeholder_with_default(input: Any, shape: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``tf.placeholder_with_default``: ``input`` unless a value is fed."""
    default = convert_to_tensor(input)
    op = get_default_graph().create_op(
        "PlaceholderWithDefault", [default], {"shape": as_shape(shape)},
        name or "PlaceholderWithDefault",
    )
    return op.outputs[0]


def placeholder_message(op: Any) -> str:
    """TF1's message for a placeholder that a run needs but was not fed."""
    dtype = op.attrs["dtype"]
    dims = op.attrs["shape"].as_tuple()
    message = (f"You must feed a value for placeholder tensor '{op.name}' with dtype "
               f"{dtype._proto_name}")
    return message + (f" and shape {format_dims(dims)}" if dims else "")  # TF1: rank >= 1 only
