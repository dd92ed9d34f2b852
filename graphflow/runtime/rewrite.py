"""Graph rewrites at plan time: work a run would repeat identically is done once, or not at all.

Given the ops of a plan in execution order, :func:`simplify` decides

* **constants**: the values of ``Const`` ops, of pure ops whose inputs are all constants
  (constant folding: a gradient's shape arithmetic, ``learning_rate * 2``, ...), and of shape
  queries (``Shape``, ``Size``, ``Rank``) whose answer the static shape already gives. The
  plan reads them as globals computed at compile time.
* **aliases**: outputs that are another tensor's value: ``Identity``, ``StopGradient``, a
  ``Cast`` to the same dtype or a ``Reshape`` to the same shape forward their input (each
  OpDef says so in ``forwards_input``), and an op that repeats an earlier op (same type,
  attributes and inputs: common-subexpression elimination) gives the earlier op's outputs.
* **order**: the ops left to run. Besides the above, ops without outputs or effects
  (``NoOp``, ``tf.group``) and ops whose results are no longer used are dropped; the order of
  the rest, and so every effect, is unchanged.

Nothing stateful is touched: variables, assignments, random ops and printing always run. An
op whose folding fails (say, an integer division by zero) is left to fail at run time, with
the error it gives there. A folded value larger than ``MAX_FOLDED_BYTES`` is not kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from graphflow.framework.graph import Operation, Tensor

# A plan keeps its folded values as long as the Session keeps the plan: big ones (a variable's
# initial value built by a Fill op, say) would cost more memory than their one-off computation.
MAX_FOLDED_BYTES = 64 * 1024


@dataclass
class Rewritten:
    """The result of :func:`simplify`."""

    order: list[Operation]  # the ops to run, in execution order
    constants: dict[Tensor, Any]  # values known before the run, in the order they were found
    aliases: dict[Tensor, Tensor]  # tensor -> the tensor whose value it has


def _frozen(value: Any) -> Any:
    """A folded value as the plan keeps it: read-only, so fetching it returns a copy."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    return value


def _attr_key(value: Any) -> Any:
    """A hashable stand-in for an attribute value; TypeError where there is none."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_attr_key(v) for v in value))
    if isinstance(value, np.ndarray):
        raise TypeError("array attribute")
    hash(value)
    return (type(value).__name__, value)


def _cse_key(op: Operation, inputs: list[Tensor]) -> tuple | None:
    """Ops with equal keys compute equal values; None for ops never merged."""
    if not inputs or op._control_inputs or any(t.dtype.is_ref_dtype for t in inputs):
        return None
    try:
        attrs = tuple(sorted((name, _attr_key(v)) for name, v in op.attrs.items()))
    except TypeError:
        return None
    return (op.type, tuple(inputs), attrs, op._branch)


def _fold(op: Operation, kernel: Callable, values: list) -> list | None:
    """The op's output values computed now, or None when that fails or they are too big."""
    try:
        with np.errstate(all="ignore"):
            result = kernel(*values)
    except Exception:  # the run reports it, with the op's name and the user's line
        return None
    outputs = list(result) if len(op._outputs) > 1 else [result]
    if sum(np.asarray(v).nbytes for v in outputs) > MAX_FOLDED_BYTES:
        return None
    return [_frozen(v) for v in outputs]


def _static_outputs(op: Operation) -> list | None:
    """The op's outputs when build-time facts alone determine them (shape queries)."""
    value = op._opdef.static_value(op)
    return None if value is None else [_frozen(value)]


def simplify(order: list[Operation], fed: set[Tensor], fetches: list,
             kernel_of: Callable[[Operation], Callable], optimize: bool = True) -> Rewritten:
    """Rewrites a plan's ``order`` (see the module docstring); ``kernel_of(op)`` gives the
    kernel used to fold ``op``. With ``optimize=False`` only ``Const`` values become
    constants and every other op runs (a ``check_numerics`` plan checks every op)."""
    constants: dict[Tensor, Any] = {}
    aliases: dict[Tensor, Tensor] = {}
    seen: dict[tuple, Operation] = {}
    kept = []

    def resolve(tensor: Tensor) -> Tensor:
        return aliases.get(tensor, tensor)

    for op in order:
        opdef = op._opdef
        if any(t in fed for t in op._outputs):
            kept.append(op)
            continue
        if op.type == "Const":
            constants[op._outputs[0]] = _frozen(kernel_of(op)())
            continue
        if not optimize or opdef.stateful or op.type == "Merge":
            kept.append(op)
            continue
        if not op._outputs:  # NoOp, tf.group: only orders the ops it depends on
            continue
        inputs = [resolve(t) for t in op._inputs]
        if opdef.forwards_input(op):
            aliases[op._outputs[0]] = inputs[0]
            continue
        outputs = _static_outputs(op)
        if outputs is None and all(t in constants for t in inputs):
            outputs = _fold(op, kernel_of(op), [constants[t] for t in inputs])
        if outputs is not None:
            constants.update(zip(op._outputs, outputs))
            continue
        key = _cse_key(op, inputs)
        if key is not None:
            if key in seen:
                aliases.update(zip(op._outputs, seen[key]._outputs))
                continue
            seen[key] = op
        kept.append(op)
    if not optimize:
        return Rewritten(kept, constants, aliases)
    return Rewritten(_live(kept, fetches, resolve), constants, aliases)


def _live(kept: list[Operation], fetches: list, resolve: Callable) -> list[Operation]:
    """The kept ops that a fetch or an effect still needs: stateful ops (every one in the plan
    was asked for), fetched ops, and everything their data and control inputs need (a
    constant or forwarded input has no producer among the kept ops)."""
    producer = {t: op for op in kept for t in op._outputs}
    stack = [op for op in kept if op._opdef.stateful]
    for element in fetches:
        if isinstance(element, Operation):
            stack.append(element)
        else:
            stack.append(producer.get(resolve(element)))
    live: set[Operation] = set()
    while stack:
        op = stack.pop()
        if op is None or op in live:
            continue
        live.add(op)
        stack.extend(producer.get(resolve(t)) for t in op._inputs)
        stack.extend(op._control_inputs)
    return [op for op in kept if op in live]
