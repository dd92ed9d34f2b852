"""The optimizers' update ops, one per TF1 ``Apply*`` kernel.

Each reads the current values of the variable and its slots (the reference inputs listed in
``writes``), computes their new values from the gradient and hyperparameters with NumPy, and
writes them back; the Session commits the writes only when the whole run succeeds. The formulas
are TF1's, checked against golden values from TensorFlow (``tests/golden``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graphflow.framework.errors import InvalidArgumentError
from graphflow.framework.graph import Tensor, get_default_graph
from graphflow.framework.registry import register
from graphflow.framework.tensor_shape import format_dims
from graphflow.ops.state_ops import Writer, check_ref


class Apply(Writer):
    """Base of update ops: inputs are the references in ``writes`` followed by dense tensors.
    ``update(out, *current_values, *dense_inputs, **attrs)`` writes the new value of each
    reference into ``out`` (writable arrays shaped like the current values, never one of the
    inputs), mostly in place: an update allocates no variable-sized temporary where NumPy's
    ``out=`` avoids it. The op outputs the variable's new value."""

    attrs: dict = {"use_locking": False}
    grad_index = -1  # where the gradient is among the inputs
    grad_name = "grad"  # its name in TF1's messages

    def infer(self, *inputs: Tensor, **attrs: Any) -> tuple:
        var = inputs[0]
        for position, tensor in enumerate(inputs):
            if position in self.writes:
                check_ref(self.type, tensor)
            if tensor.dtype.base_dtype != var.dtype.base_dtype:
                raise TypeError(
                    f"Input {position} of '{self.type}' Op has type {tensor.dtype.base_dtype.name}"
                    f" that does not match type {var.dtype.base_dtype.name} of argument 'var'"
                )
        grad = inputs[self.grad_index]
        if not var.shape.is_compatible_with(grad.shape):
            raise ValueError(f"var and grad do not have the same shape: {var.shape} {grad.shape}")
        return var.dtype.base_dtype, var.shape

    def bind(self, op: Any, state: Any) -> Callable:
        refs = [op.inputs[i].op for i in self.writes]  # the leading inputs
        readers = [state.current(ref, op) for ref in refs]
        writers = [state.writer(ref, fresh=True) for ref in refs]  # out's arrays are new
        count, grad_at = len(refs), self.grad_index % len(op.inputs)
        others = range(1, count)
        attrs = {k: v for k, v in op.attrs.items() if k != "use_locking"}
        update, grad_name = self.update, self.grad_name

        def apply(*args: Any) -> np.ndarray:
            current = [read() for read in readers]
            grad_shape, var_shape = getattr(args[grad_at], "shape", ()), current[0].shape
            if grad_shape != var_shape:  # possible where the gradient's static shape is unknown
                raise InvalidArgumentError(
                    None, op, f"var and {grad_name} do not have the same shape"
                    f"{format_dims(var_shape)} {format_dims(grad_shape)}")
            out = [np.empty_like(value) for value in current]
            update(out, *current, *args[count:], **attrs)
            for index in others:
                writers[index](out[index])
            return writers[0](out[0])

        return apply

    def update(self, out: list, *args: Any, **attrs: Any) -> None:
        raise NotImplementedError


@register("ApplyGradientDescent")
class ApplyGradientDescent(Apply):
    """var -= alpha * delta."""

    grad_name = "delta"

    def update(self, out: list, var: Any, alpha: Any, delta: Any) -> None:
        new_var, = out
        np.multiply(alpha, delta, out=new_var)
        np.subtract(var, new_var, out=new_var)


@register("ApplyMomentum")
class ApplyMomentum(Apply):
    """accum = momentum * accum + grad; var -= lr * accum (Nesterov: lr * (grad +
    momentum * accum))."""

    writes = (0, 1)
    attrs = {"use_locking": False, "use_nesterov": False}
    grad_index = 3

    def update(self, out: list, var: Any, accum: Any, lr: Any, grad: Any, momentum: Any, *,
               use_nesterov: bool) -> None:
        new_var, new_accum = out
        np.multiply(accum, momentum, out=new_accum)
        new_accum += grad
        if use_nesterov:
            np.multiply(momentum, new_accum, out=new_var)
            new_var += grad
            new_var *= lr
        else:
            np.multiply(lr, new_accum, out=new_var)
        np.subtract(var, new_var, out=new_var)


@register("ApplyAdagrad")
class ApplyAdagrad(Apply):
    """accum += grad ** 2; var -= lr * grad / sqrt(accum)."""

    writes = (0, 1)

    def update(self, out: list, var: Any, accum: Any, lr: Any, grad: Any) -> None:
        new_var, new_accum = out
        np.multiply(grad, grad, out=new_accum)
        new_accum += accum
        np.sqrt(new_accum, out=new_var)
        np.divide(lr * grad, new_var, out=new_var)
        np.subtract(var, new_var, out=new_var)


@register("ApplyAdadelta")
class ApplyAdadelta(Apply):
    """Adadelta: step = sqrt(accum_update + eps) / sqrt(accum + eps) * grad; var -= lr * step."""

    writes = (0, 1, 2)

    def update(self, out: list, var: Any, accum: Any, accum_update: Any, lr: Any, rho: Any,
               epsilon: Any, grad: Any) -> None:
        new_var, new_accum, new_update = out
        np.multiply(rho, accum, out=new_accum)
        new_accum += (1 - rho) * grad * grad
        step = np.sqrt(accum_update + epsilon) / np.sqrt(new_accum + epsilon) * grad
        np.multiply(rho, accum_update, out=new_update)
        new_update += (1 - rho) * step * step
        np.multiply(lr, step, out=new_var)
        np.subtract(var, new_var, out=new_var)


@register("ApplyRMSProp")
class ApplyRMSProp(Apply):
    """ms = rho * ms + (1 - rho) * grad ** 2; mom = momentum * mom + lr * grad /
    sqrt(ms + eps); var -= mom."""

    writes = (0, 1, 2)

    def update(self, out: list, var: Any, ms: Any, mom: Any, lr: Any, rho: Any, momentum: Any,
               epsilon: Any, grad: Any) -> None:
        new_var, new_ms, new_mom = out
        np.multiply(rho, ms, out=new_ms)
        new_ms += (1 - rho) * grad * grad
        np.multiply(momentum, mom, out=new_mom)
        new_mom += lr * grad / np.sqrt(new_ms + epsilon)
        np.subtract(var, new_mom, out=new_var)


@register("ApplyCenteredRMSProp")
class ApplyCenteredRMSProp(Apply):
    """RMSProp normalized by the variance estimate ms - mg ** 2 instead of ms."""

    writes = (0, 1, 2, 3)

    def update(self, out: list, var: Any, mg: Any, ms: Any, mom: Any, lr: Any, rho: Any,
               momentum: Any, epsilon: Any, grad: Any) -> None:
        new_var, new_mg, new_ms, new_mom = out
        np.multiply(rho, mg, out=new_mg)
        new_mg += (1 - rho) * grad
        np.multiply(rho, ms, out=new_ms)
        new_ms += (1 - rho) * grad * grad
        np.multiply(momentum, mom, out=new_mom)
        new_mom += lr * grad / np.sqrt(new_ms - new_mg * new_mg + epsilon)
        np.subtract(var, new_mom, out=new_var)


@register("ApplyAdam")
class ApplyAdam(Apply):
    """Adam with TF1's bias-corrected step lr * sqrt(1 - beta2^t) / (1 - beta1^t)."""

    writes = (0, 1, 2)

    def update(self, out: list, var: Any, m: Any, v: Any, beta1_power: Any, beta2_power: Any,
               lr: Any, beta1: Any, beta2: Any, epsilon: Any, grad: Any) -> None:
        new_var, new_m, new_v = out
        lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
        np.subtract(grad, m, out=new_m)  # m + (grad - m) * (1 - beta1)
        new_m *= 1 - beta1
        new_m += m
        np.multiply(grad, grad, out=new_v)  # v + (grad * grad - v) * (1 - beta2)
        new_v -= v
        new_v *= 1 - beta2
        new_v += v
        np.sqrt(new_v, out=new_var)  # var - lr_t * m / (sqrt(v) + epsilon)
        new_var += epsilon
        np.divide(new_m, new_var, out=new_var)
        new_var *= lr_t
        np.subtract(var, new_var, out=new_var)


def apply_op(op_type: str, refs: list, dense: list, name: str | None = None,
             **attrs: Any) -> Tensor:
    """Builds an ``Apply*`` op: ``refs`` are variables (or reference tensors), ``dense`` the
    hyperparameter and gradient tensors in the op's input order."""
    ref_tensors = [r._ref() if hasattr(r, "_ref") else r for r in refs]
    return get_default_graph().create_op(op_type, ref_tensors + list(dense), attrs,
                                         name or op_type).outputs[0]
