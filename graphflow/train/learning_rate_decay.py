"""TF1's learning-rate schedules: tensors computed from the global step at run time."""

from __future__ import annotations

from typing import Any

from graphflow.framework.graph import Tensor, name_scope
from graphflow.ops import array_ops, math_ops
from graphflow.ops.constant_op import convert_to_tensor


def _step_ratio(learning_rate: Tensor, global_step: Any, decay_steps: Any) -> Tensor:
    dtype = learning_rate.dtype
    step = math_ops.cast(convert_to_tensor(global_step), dtype)
    return math_ops.truediv(step, math_ops.cast(convert_to_tensor(decay_steps), dtype))


def _decayed(kind: str, learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
             staircase: bool, name: str | None, formula: Any) -> Tensor:
    """``formula(lr, rate, p)`` with p = global_step / decay_steps (floored with
    ``staircase``), named ``kind`` as TF1 names the schedule's result."""
    if global_step is None:
        raise ValueError(f"global_step is required for {kind}.")
    with name_scope(name, kind) as scope:
        lr = convert_to_tensor(learning_rate, name="learning_rate")
        p = _step_ratio(lr, global_step, decay_steps)
        if staircase:
            p = math_ops.floor(p)
        rate = math_ops.cast(convert_to_tensor(decay_rate), lr.dtype)
        return formula(lr, rate, p, scope[:-1] + "/")


def exponential_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                      staircase: bool = False, name: str | None = None) -> Tensor:
    """``learning_rate * decay_rate ** (global_step / decay_steps)``; with ``staircase`` the
    exponent is floored, so the rate drops every ``decay_steps`` steps."""
    return _decayed("ExponentialDecay", learning_rate, global_step, decay_steps, decay_rate,
                    staircase, name, lambda lr, rate, p, out: math_ops.multiply(
                        lr, math_ops.pow(rate, p), name=out))


def inverse_time_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                       staircase: bool = False, name: str | None = None) -> Tensor:
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)`` (floored ratio with
    ``staircase``)."""
    return _decayed("InverseTimeDecay", learning_rate, global_step, decay_steps, decay_rate,
                    staircase, name, lambda lr, rate, p, out: math_ops.truediv(
                        lr, math_ops.add(1.0, math_ops.multiply(rate, p)), name=out))


def natural_exp_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                      staircase: bool = False, name: str | None = None) -> Tensor:
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)``."""
    return _decayed("NaturalExpDecay", learning_rate, global_step, decay_steps, decay_rate,
                    staircase, name, lambda lr, rate, p, out: math_ops.multiply(
                        lr, math_ops.exp(math_ops.negative(math_ops.multiply(rate, p))),
                        name=out))


def polynomial_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                     end_learning_rate: Any = 0.0001, power: Any = 1.0, cycle: bool = False,
                     name: str | None = None) -> Tensor:
    """Decays from ``learning_rate`` to ``end_learning_rate`` over ``decay_steps`` along
    ``(1 - step / decay_steps) ** power``; with ``cycle`` it restarts each ``decay_steps``."""
    if global_step is None:
        raise ValueError("global_step is required for polynomial_decay.")
    with name_scope(name, "PolynomialDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="learning_rate")
        dtype = lr.dtype
        step = math_ops.cast(convert_to_tensor(global_step), dtype)
        steps = math_ops.cast(convert_to_tensor(decay_steps), dtype)
        if cycle:
            multiplier = array_ops.where(math_ops.equal(step, 0.0),
                                         convert_to_tensor(1.0, dtype=dtype),
                                         math_ops.ceil(math_ops.truediv(step, steps)))
            steps = math_ops.multiply(steps, multiplier)
        else:
            step = math_ops.minimum(step, steps)
        end = math_ops.cast(convert_to_tensor(end_learning_rate), dtype)
        fraction = math_ops.subtract(1.0, math_ops.truediv(step, steps))
        decayed = math_ops.multiply(math_ops.subtract(lr, end),
                                    math_ops.pow(fraction, math_ops.cast(
                                        convert_to_tensor(power), dtype)))
        return math_ops.add(decayed, end, name=scope[:-1] + "/")


def piecewise_constant(x: Any, boundaries: list, values: list,
                       name: str | None = None) -> Tensor:
    """``values[0]`` while ``x <= boundaries[0]``, ``values[i]`` while ``boundaries[i-1] < x
    <= boundaries[i]``, and ``values[-1]`` after the last boundary."""
    if len(values) != len(boundaries) + 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with name_scope(name, "PiecewiseConstant"):
        x = convert_to_tensor(x)
        value_tensors = [convert_to_tensor(v) for v in values]
        for v in value_tensors[1:]:
            if v.dtype.base_dtype != value_tensors[0].dtype.base_dtype:
                raise ValueError(f"Values must have elements all with the same dtype "
                                 f"({value_tensors[0].dtype.name} vs {v.dtype.name}).")
        result = value_tensors[-1]
        for boundary, value in reversed(list(zip(boundaries, value_tensors[:-1]))):
            bound = convert_to_tensor(boundary, dtype=x.dtype.base_dtype)
            result = array_ops.where(math_ops.less_equal(x, bound), value, result)
        return result
