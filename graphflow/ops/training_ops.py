"""The optimizers' update ops, one per TF1 ``Apply*`` kernel.

Each updates the values of the variable and its slots (the reference inputs listed in
``writes``) from the gradient and hyperparameters with NumPy; nothing changes before the whole
run has succeeded (see ``Apply``). The formulas are TF1's, checked against golden values from
TensorFlow (``tests/golden``) on both of an update's paths.
"""

from __future__ import annotations

import functools
import inspect
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
    ``update(arrays, scratch, *dense_inputs, **attrs)`` updates ``arrays`` (the current values
    of the references) in place, using the ``scratch`` arrays of the same shape instead of
    NumPy temporaries. The op outputs the variable's new value.

    Where the plan compiler allows it (``runtime/plan.py``), the update is queued and runs at
    the commit on the stored arrays themselves (``runtime/state.py``); otherwise it runs at once
    on copies that become the pending values."""

    attrs: dict = {"use_locking": False}
    grad_index = -1  # where the gradient is among the inputs
    scratch = 1  # the scratch arrays ``update`` needs
    updates_in_place = True

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
        for position, _ in self._hyperparameters(len(inputs)):
            rank = inputs[position].shape.ndims
            if rank not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {rank}")
        return var.dtype.base_dtype, var.shape

    def _dense_names(self) -> list[str]:
        """TF1's names of the dense inputs (``alpha``, ``lr``, ``grad``...), in order: the
        parameters of ``update`` after (arrays, scratch)."""
        parameters = inspect.signature(self.update).parameters.values()
        return [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD][2:]

    def _hyperparameters(self, count: int) -> list[tuple[int, str]]:
        """(input position, name) of each scalar input: the dense inputs but the gradient."""
        first, grad_at = len(self.writes), self.grad_index % count
        return [(position, name) for position, name in zip(range(first, count), self._dense_names())
                if position != grad_at]

    def bind(self, op: Any, state: Any) -> Callable:
        refs = [op.inputs[i].op for i in self.writes]  # the leading inputs
        readers = [state.current(ref, op) for ref in refs]
        count, grad_at = len(refs), self.grad_index % len(op.inputs)
        grad_name = self._dense_names()[grad_at - count]
        attrs = {k: v for k, v in op.attrs.items() if k != "use_locking"}
        update = functools.partial(self.update, **attrs) if attrs else self.update
        scratch = self.scratch
        scalars = [(position, name) for position, name in self._hyperparameters(len(op.inputs))
                   if op.inputs[position].shape.ndims != 0]  # not known to be scalars yet

        def current_values(args: tuple) -> list:
            """The references' values; an error if one is uninitialized, or where shapes that
            were unknown when the graph was built are wrong: the gradient's must be the
            variable's, and each hyperparameter must be a scalar."""
            current = [read() for read in readers]
            grad_shape, var_shape = getattr(args[grad_at], "shape", ()), current[0].shape
            if grad_shape != var_shape:
                raise InvalidArgumentError(
                    None, op, f"var and {grad_name} do not have the same shape"
                    f"{format_dims(var_shape)} {format_dims(grad_shape)}")
            for position, name in scalars:
                shape = getattr(args[position], "shape", ())
                if shape:
                    raise InvalidArgumentError(
                        None, op, f"{name} is not a scalar: {format_dims(shape)}")
            return current

        if op in state.in_place:
            keys, deferred = [ref.name for ref in refs], state.store.deferred

            def apply_at_commit(*args: Any) -> None:
                current_values(args)  # a failure here fails the run, before anything changed
                deferred.append((keys, update, args[count:], scratch))

            return apply_at_commit
        writers = [state.writer(ref, fresh=True) for ref in refs]  # the copies are new
        store = state.store
        others = range(1, count)

        def apply(*args: Any) -> np.ndarray:
            arrays = [value.copy() for value in current_values(args)]
            update(arrays, store.scratch(arrays[0], scratch), *args[count:])
            for index in others:
                writers[index](arrays[index])
            return writers[0](arrays[0])

        return apply

    def update(self, arrays: list, scratch: list, *args: Any, **attrs: Any) -> None:
        raise NotImplementedError


@register("ApplyGradientDescent")
class ApplyGradientDescent(Apply):
    """var -= alpha * delta."""

    def update(self, arrays: list, scratch: list, alpha: Any, delta: Any) -> None:
        var, = arrays
        step, = scratch
        np.multiply(alpha, delta, out=step)
        var -= step


@register("ApplyMomentum")
class ApplyMomentum(Apply):
    """accum = momentum * accum + grad; var -= lr * accum (Nesterov: lr * (grad +
    momentum * accum))."""

    writes = (0, 1)
    attrs = {"use_locking": False, "use_nesterov": False}
    grad_index = 3

    def update(self, arrays: list, scratch: list, lr: Any, grad: Any, momentum: Any, *,
               use_nesterov: bool) -> None:
        var, accum = arrays
        step, = scratch
        accum *= momentum
        accum += grad
        if use_nesterov:
            np.multiply(momentum, accum, out=step)
            step += grad
            step *= lr
        else:
            np.multiply(lr, accum, out=step)
        var -= step


@register("ApplyAdagrad")
class ApplyAdagrad(Apply):
    """accum += grad ** 2; var -= lr * grad / sqrt(accum)."""

    writes = (0, 1)

    def update(self, arrays: list, scratch: list, lr: Any, grad: Any) -> None:
        var, accum = arrays
        step, = scratch
        np.multiply(grad, grad, out=step)
        accum += step
        np.sqrt(accum, out=step)
        np.divide(grad, step, out=step)
        step *= lr
        var -= step


def _moving_average(average: np.ndarray, term: np.ndarray, rho: Any) -> None:
    """average = rho * average + (1 - rho) * term, in place (``term`` is scratch)."""
    term *= 1 - rho
    average *= rho
    average += term


def _scaled_step(var: np.ndarray, mom: np.ndarray, step: np.ndarray, grad: Any, lr: Any,
                 momentum: Any) -> None:
    """RMSProp's end, ``step`` holding the denominator's square: mom = momentum * mom +
    lr * grad / sqrt(step); var -= mom."""
    np.sqrt(step, out=step)
    np.divide(grad, step, out=step)
    step *= lr
    mom *= momentum
    mom += step
    var -= mom


@register("ApplyAdadelta")
class ApplyAdadelta(Apply):
    """Adadelta: step = sqrt(accum_update + eps) / sqrt(accum + eps) * grad; var -= lr * step."""

    writes = (0, 1, 2)
    scratch = 2

    def update(self, arrays: list, scratch: list, lr: Any, rho: Any, epsilon: Any,
               grad: Any) -> None:
        var, accum, accum_update = arrays
        step, work = scratch
        np.multiply(grad, grad, out=work)
        _moving_average(accum, work, rho)
        np.add(accum_update, epsilon, out=step)
        np.sqrt(step, out=step)
        np.add(accum, epsilon, out=work)
        np.sqrt(work, out=work)
        step /= work
        step *= grad
        np.multiply(step, step, out=work)
        _moving_average(accum_update, work, rho)
        step *= lr
        var -= step


@register("ApplyRMSProp")
class ApplyRMSProp(Apply):
    """ms = rho * ms + (1 - rho) * grad ** 2; mom = momentum * mom + lr * grad /
    sqrt(ms + eps); var -= mom."""

    writes = (0, 1, 2)

    def update(self, arrays: list, scratch: list, lr: Any, rho: Any, momentum: Any,
               epsilon: Any, grad: Any) -> None:
        var, ms, mom = arrays
        step, = scratch
        np.multiply(grad, grad, out=step)
        _moving_average(ms, step, rho)
        np.add(ms, epsilon, out=step)
        _scaled_step(var, mom, step, grad, lr, momentum)


@register("ApplyCenteredRMSProp")
class ApplyCenteredRMSProp(Apply):
    """RMSProp normalized by the variance estimate ms - mg ** 2 instead of ms."""

    writes = (0, 1, 2, 3)

    def update(self, arrays: list, scratch: list, lr: Any, rho: Any, momentum: Any,
               epsilon: Any, grad: Any) -> None:
        var, mg, ms, mom = arrays
        step, = scratch
        np.copyto(step, grad)
        _moving_average(mg, step, rho)
        np.multiply(grad, grad, out=step)
        _moving_average(ms, step, rho)
        np.multiply(mg, mg, out=step)
        np.subtract(ms, step, out=step)
        step += epsilon
        _scaled_step(var, mom, step, grad, lr, momentum)


@register("ApplyAdam")
class ApplyAdam(Apply):
    """Adam with TF1's bias-corrected step lr * sqrt(1 - beta2^t) / (1 - beta1^t)."""

    writes = (0, 1, 2)

    def update(self, arrays: list, scratch: list, beta1_power: Any, beta2_power: Any, lr: Any,
               beta1: Any, beta2: Any, epsilon: Any, grad: Any) -> None:
        var, m, v = arrays
        step, = scratch
        lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
        np.subtract(grad, m, out=step)  # m += (grad - m) * (1 - beta1)
        step *= 1 - beta1
        m += step
        np.multiply(grad, grad, out=step)  # v += (grad * grad - v) * (1 - beta2)
        step -= v
        step *= 1 - beta2
        v += step
        np.sqrt(v, out=step)  # var -= lr_t * m / (sqrt(v) + epsilon)
        step += epsilon
        np.divide(m, step, out=step)
        step *= lr_t
        var -= step


def apply_op(op_type: str, refs: list, dense: list, name: str | None = None,
             **attrs: Any) -> Tensor:
    """Builds an ``Apply*`` op: ``refs`` are variables (or reference tensors), ``dense`` the
    hyperparameter and gradient tensors in the op's input order."""
    ref_tensors = [r._ref() if hasattr(r, "_ref") else r for r in refs]
    return get_default_graph().create_op(op_type, ref_tensors + list(dense), attrs,
                                         name or op_type).outputs[0]
