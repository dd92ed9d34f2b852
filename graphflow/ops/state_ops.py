"""Variable ops: the variable itself, and the ops that read, assign and update it.

A variable's op outputs a *reference* (``float32_ref``). Reads are ``Identity`` ops of that
reference; writers (``Assign``, ``AssignAdd``, optimizer updates...) name in ``writes`` which
reference inputs they write, which is all the plan compiler needs to order reads (see
``runtime/state.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.errors import InvalidArgumentError, OutOfRangeError
from graphflow.framework.graph import Tensor, get_default_graph
from graphflow.framework.registry import NO_GRADIENT, NOT_DIFFERENTIABLE, OpDef, register
from graphflow.framework.tensor_shape import TensorShape, format_dims


@register("VariableV2")
class VariableV2(OpDef):
    """A variable: state that persists across runs of one Session."""

    attrs = {"shape": None, "dtype": None, "container": "", "shared_name": ""}
    stateful = True
    grad = NOT_DIFFERENTIABLE

    def infer(self, *, shape: TensorShape, dtype: dtypes.DType, **_: Any) -> tuple:
        return dtype._as_ref, shape

    def bind(self, op: Any, state: Any) -> Any:
        key, values = op.name, state.store.values
        return lambda: values.get(key)  # the pre-run value, for ops that take the ref directly


class Writer(OpDef):
    """Base of ops that write the variables whose references are their inputs ``writes``."""

    stateful = True
    writes: tuple[int, ...] = (0,)
    grad = NO_GRADIENT


def check_ref(op_type: str, ref: Tensor) -> None:
    if not ref.dtype.is_ref_dtype:
        raise TypeError(f"'{op_type}' Op requires that input 'ref' be a mutable tensor")


def _check_value(op_type: str, ref: Tensor, value: Tensor) -> None:
    if value.dtype.base_dtype != ref.dtype.base_dtype:
        raise TypeError(
            f"Input 'value' of '{op_type}' Op has type {value.dtype.base_dtype.name} that does "
            f"not match type {ref.dtype.name} of argument 'ref'"
        )


@register("Assign")
class Assign(Writer):
    """Sets the variable to ``value``; outputs the new value."""

    attrs = {"validate_shape": True, "use_locking": True}

    def infer(self, ref: Tensor, value: Tensor, *, validate_shape: bool,
              use_locking: bool) -> tuple:
        check_ref(self.type, ref)
        _check_value(self.type, ref, value)
        if validate_shape:
            if not ref.shape.is_compatible_with(value.shape):
                raise ValueError(f"Shapes must be equal rank, but are {ref.shape.ndims} and "
                                 f"{value.shape.ndims}" if ref.shape.ndims != value.shape.ndims
                                 else f"Dimensions must be equal for {ref.shape} and {value.shape}")
            return ref.dtype.base_dtype, ref.shape.merge_with(value.shape)
        return ref.dtype.base_dtype, value.shape

    def bind(self, op: Any, state: Any) -> Any:
        write = state.writer(op.inputs[0].op)
        expected = op.inputs[0].shape.as_tuple() if op.attrs["validate_shape"] else None
        if expected is None or None in expected:
            return lambda _ref, value: write(value)

        def assign(_ref: Any, value: Any) -> np.ndarray:
            if np.shape(value) != expected:
                raise InvalidArgumentError(
                    None, op, f"Assign requires shapes of both tensors to match. lhs shape= "
                    f"{format_dims(expected)} rhs shape= {format_dims(np.shape(value))}"
                )
            return write(value)

        return assign


class _Update(Writer):
    """``ref = combine(ref, value)`` for a value of the variable's shape; outputs the result."""

    attrs = {"use_locking": False}

    def infer(self, ref: Tensor, value: Tensor, *, use_locking: bool) -> tuple:
        check_ref(self.type, ref)
        _check_value(self.type, ref, value)
        if not ref.shape.is_compatible_with(value.shape):
            raise ValueError(f"Shapes {ref.shape} and {value.shape} are incompatible")
        return ref.dtype.base_dtype, ref.shape

    def bind(self, op: Any, state: Any) -> Any:
        variable = op.inputs[0].op
        current, write = state.current(variable, op), state.writer(variable)
        combine = self.combine

        def update(_ref: Any, value: Any) -> np.ndarray:
            old = current()
            if np.shape(value) != np.shape(old):
                raise InvalidArgumentError(
                    None, op, f"Update shape {format_dims(np.shape(value))} must match ref shape "
                    f"{format_dims(np.shape(old))}"
                )
            return write(combine(old, value))

        return update


@register("AssignAdd")
class AssignAdd(_Update):
    """Adds ``value`` to the variable."""

    combine = staticmethod(np.add)


@register("AssignSub")
class AssignSub(_Update):
    """Subtracts ``value`` from the variable."""

    combine = staticmethod(np.subtract)


@register("IsVariableInitialized")
class IsVariableInitialized(OpDef):
    """Whether the variable has a value in this Session."""

    stateful = True
    grad = NOT_DIFFERENTIABLE

    def infer(self, ref: Tensor) -> tuple:
        return dtypes.bool, []

    def bind(self, op: Any, state: Any) -> Any:
        initialized = state.is_initialized(op.inputs[0].op)
        return lambda _ref: np.bool_(initialized())


@register("ReportUninitializedVariables")
class ReportUninitializedVariables(OpDef):
    """The names (bytes) of those input variables that have no value yet."""

    stateful = True
    grad = NOT_DIFFERENTIABLE

    def infer(self, *refs: Tensor) -> tuple:
        return dtypes.string, [None]

    def bind(self, op: Any, state: Any) -> Any:
        checks = [(ref.op.name.encode(), state.is_initialized(ref.op)) for ref in op.inputs]

        def report(*_refs: Any) -> np.ndarray:
            names = [name for name, initialized in checks if not initialized()]
            return np.array(names, dtype=object).reshape(len(names))

        return report


def _ref_of(variable: Any) -> Tensor:
    ref = variable._ref() if hasattr(variable, "_ref") else variable
    if not isinstance(ref, Tensor) or not ref.dtype.is_ref_dtype:
        raise TypeError(f"Expected a variable (a mutable tensor), got {variable!r}")
    return ref


def _write(op_type: str, ref: Any, value: Any, attrs: dict, name: str | None) -> Tensor:
    from graphflow.ops.constant_op import convert_to_tensor

    ref = _ref_of(ref)
    # A tensor keeps its dtype (a mismatch is the op's TypeError); other values convert.
    is_tensor = isinstance(value, Tensor) or hasattr(value, "_as_graph_tensor")
    value = convert_to_tensor(value, dtype=None if is_tensor else ref.dtype.base_dtype)
    return get_default_graph().create_op(op_type, [ref, value], attrs, name or op_type).outputs[0]


def assign(ref: Any, value: Any, validate_shape: bool | None = None,
           use_locking: bool | None = None, name: str | None = None) -> Tensor:
    """``tf.assign``: sets the variable ``ref`` to ``value`` when run; outputs the new value."""
    attrs = {"validate_shape": True if validate_shape is None else validate_shape}
    return _write("Assign", ref, value, attrs, name)


def assign_add(ref: Any, value: Any, use_locking: bool | None = None,
               name: str | None = None) -> Tensor:
    """``tf.assign_add``: adds ``value`` to the variable when run; outputs the new value."""
    return _write("AssignAdd", ref, value, {}, name)


def assign_sub(ref: Any, value: Any, use_locking: bool | None = None,
               name: str | None = None) -> Tensor:
    """``tf.assign_sub``: subtracts ``value`` from the variable when run."""
    return _write("AssignSub", ref, value, {}, name)


def is_variable_initialized(variable: Any) -> Tensor:
    """``tf.is_variable_initialized``: a bool scalar tensor."""
    return get_default_graph().create_op(
        "IsVariableInitialized", [_ref_of(variable)], None, "IsVariableInitialized").outputs[0]


@register("CountUpTo")
class CountUpTo(Writer):
    """Adds one to an integer scalar variable and outputs its value from before; once that
    value has reached ``limit``, raises OutOfRangeError instead (how ``num_epochs`` ends an
    input pipeline)."""

    attrs = {"limit": None}
    grad = NOT_DIFFERENTIABLE

    def infer(self, ref: Tensor, *, limit: int) -> tuple:
        check_ref(self.type, ref)
        if ref.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError(f"Value passed to parameter 'ref' has DataType "
                            f"{ref.dtype.base_dtype.name} not in list of allowed values: int32, "
                            "int64")
        if ref.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {ref.shape.ndims}")
        return ref.dtype.base_dtype, []

    def bind(self, op: Any, state: Any) -> Any:
        variable = op.inputs[0].op
        current, write = state.current(variable, op), state.writer(variable)
        limit = op.attrs["limit"]

        def count_up_to(_ref: Any) -> np.ndarray:
            before = current()
            if before >= limit:
                raise OutOfRangeError(None, op, f"Reached limit of {limit}")
            write(before + 1)
            return before

        return count_up_to


def count_up_to(ref: Any, limit: int, name: str | None = None) -> Tensor:
    """``tf.count_up_to``: increments the integer variable ``ref`` until it reaches ``limit``;
    outputs the value before the increment."""
    return get_default_graph().create_op("CountUpTo", [_ref_of(ref)], {"limit": limit},
                                         name or "CountUpTo").outputs[0]
