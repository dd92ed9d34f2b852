"""``tf.cond`` and ``tf.case``: graphs whose ops run only on the branch that is taken.

Both branches are built into the graph (each op remembers its branch: ``op.branch``), and one
``Merge`` op per cond selects the outputs. The plan compiler turns a Merge into a Python
``if``: the ops of a branch run only when the condition has that branch's value, so a branch
that would fail (a log of a negative number, an out-of-range gather) costs nothing when it is
not taken.

graphflow's ``Merge`` takes ``(pred, true values..., false values...)``; TF1 built the same
selection from ``Switch`` and ``Merge`` pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import Operation, Tensor, get_default_graph, name_scope
from graphflow.framework.registry import GradExample, OpDef, register
from graphflow.ops import array_ops
from graphflow.ops.constant_op import convert_to_tensor


class CondContext:
    """One ``tf.cond``: its boolean predicate and the branch it was built in (if nested)."""

    def __init__(self, pred: Tensor, parent: tuple | None, name: str):
        self.pred = pred
        self.parent = parent
        self.name = name

    def __repr__(self) -> str:
        return f"<CondContext {self.name}>"


@register("Merge")
class Merge(OpDef):
    """Selects ``n`` values: the true-branch ones when ``pred`` holds, else the false ones.

    Inputs are ``[pred, t_1..t_n, f_1..f_n]``. Compiled into an ``if`` by the plan compiler,
    so only the selected branch's ops run; its kernel is the eager fallback.
    """

    attrs = {"n": 1, "context": None}
    grad_examples = [GradExample([np.array(True), (2, 3), (2, 3)]),
                     GradExample([np.array(False), (3,), (), (3,), ()], {"n": 2})]

    def infer(self, pred: Tensor, *values: Tensor, n: int, context: Any) -> list:
        if pred.dtype.base_dtype != dtypes.bool or pred.shape.ndims not in (None, 0):
            raise ValueError(f"The condition of tf.cond must be a bool scalar, got {pred}")
        specs = []
        for true, false in zip(values[:n], values[n:]):
            if true.dtype.base_dtype != false.dtype.base_dtype:
                raise TypeError(
                    f"Outputs of true_fn and false_fn must have the same type: "
                    f"{true.dtype.base_dtype.name}, {false.dtype.base_dtype.name}"
                )
            shape = (true.shape.merge_with(false.shape)
                     if true.shape.is_compatible_with(false.shape) else None)
            if shape is None and true.shape.ndims == false.shape.ndims:
                shape = [None] * true.shape.ndims
            specs.append((true.dtype.base_dtype, shape))
        return specs

    def kernel(self, op: Operation) -> Callable:
        n = op.attrs["n"]

        if n == 1:
            return lambda pred, true, false: true if pred else false

        def merge(pred: Any, *values: Any) -> tuple:
            return tuple(values[:n] if pred else values[n:])

        return merge

    def grad(self, op: Operation, *grads: Tensor) -> list:
        n, context = op.attrs["n"], op.attrs["context"]
        pred = op.inputs[0]
        out: list = [None]
        for side, values in ((True, op.inputs[1:n + 1]), (False, op.inputs[n + 1:])):
            for value, grad in zip(values, grads):
                # Ops of the branch only run when it is taken, so their gradients need no gate;
                # a value captured from outside must get zero when the branch is not taken.
                inside = context is not None and value.op.branch == (context, side)
                out.append(grad if inside else gate(pred, grad, side))
        return out


def _merge(pred: Tensor, true_values: list, false_values: list, name: str,
           context: CondContext | None = None) -> list:
    op = get_default_graph().create_op(
        "Merge", [pred, *true_values, *false_values],
        {"n": len(true_values), "context": context}, name)
    return op.outputs


def gate(pred: Tensor, value: Tensor, side: bool) -> Tensor:
    """``value`` when ``pred == side``, zeros otherwise (the zeros never touch the branch)."""
    zeros = array_ops.zeros_like(value)
    pair = [value, zeros] if side else [zeros, value]
    return _merge(pred, pair[:1], pair[1:], "cond_grad/Merge")[0]


def encloses(outer: tuple | None, inner: tuple | None) -> bool:
    """True when branch ``outer`` strictly contains branch ``inner`` (None: the top level)."""
    while inner is not None:
        inner = inner[0].parent
        if inner == outer:
            return True
    return False


def exit_gradient(context: CondContext, side: bool, grad: Tensor, tensor: Tensor) -> Tensor:
    """The gradient that ``context``'s ``side`` branch sends to ``tensor`` outside it: ``grad``
    when that branch ran, zeros shaped like ``tensor`` otherwise."""
    zeros = array_ops.zeros_like(tensor)
    pair = [grad, zeros] if side else [zeros, grad]
    return _merge(context.pred, pair[:1], pair[1:], "cond_grad/Merge", context)[0]


def _flatten(structure: Any) -> tuple[list, Callable[[list], Any]]:
    if isinstance(structure, (list, tuple)):
        kind = type(structure)
        return list(structure), (lambda items: kind(items) if kind in (list, tuple)
                                 else kind(*items))
    if isinstance(structure, dict):
        keys = list(structure)
        return [structure[k] for k in keys], lambda items: dict(zip(keys, items))
    return [structure], lambda items: items[0]


def cond(pred: Any, true_fn: Callable | None = None, false_fn: Callable | None = None,
         strict: bool = False, name: str | None = None, fn1: Callable | None = None,
         fn2: Callable | None = None) -> Any:
    """``tf.cond``: ``true_fn()`` if ``pred`` else ``false_fn()``, deciding at run time.

    Both functions are called once, now, to build their branch; each must return the same
    structure of tensors (a tensor, list, tuple or dict). Only the taken branch runs.
    """
    true_fn = true_fn or fn1
    false_fn = false_fn or fn2
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("true_fn and false_fn must be callable.")
    if isinstance(pred, bool):
        raise TypeError("pred must not be a Python bool")
    graph = get_default_graph()
    with name_scope(name, "cond") as scope:
        pred = convert_to_tensor(pred, dtype=dtypes.bool)
        context = CondContext(pred, graph._branch_stack[-1] if graph._branch_stack else None,
                              scope)
        results = {}
        for side, fn in ((True, true_fn), (False, false_fn)):
            with graph._building_branch((context, side)):
                results[side] = fn()
        true_flat, rebuild = _flatten(results[True])
        false_flat, _ = _flatten(results[False])
        if len(true_flat) != len(false_flat):
            raise ValueError(
                "true_fn and false_fn must return the same number of outputs: "
                f"{len(true_flat)} and {len(false_flat)}"
            )
        if not true_flat:
            return None
        operations = [isinstance(v, Operation) for v in true_flat + false_flat]
        if any(operations):
            raise TypeError("tf.cond branches must return tensors (use tf.identity under "
                            "tf.control_dependencies to return the effect of an op)")
        true_tensors = [convert_to_tensor(v) for v in true_flat]
        false_tensors = [convert_to_tensor(v) for v in false_flat]
        outputs = _merge(pred, true_tensors, false_tensors, "Merge", context)
    return rebuild(list(outputs))


def case(pred_fn_pairs: Any, default: Callable | None = None, exclusive: bool = False,
         strict: bool = False, name: str = "case") -> Any:
    """``tf.case``: the function of the first true predicate (or ``default``), as nested
    ``tf.cond``s. ``exclusive=True`` is accepted; graphflow evaluates predicates in order."""
    pairs = list(pred_fn_pairs.items() if isinstance(pred_fn_pairs, dict) else pred_fn_pairs)
    if default is None:
        if not pairs:
            raise ValueError("tf.case needs at least one pair or a default")
        *pairs, (_, default) = pairs
    with name_scope(name, "case"):
        result = default
        for pred, fn in reversed(pairs):
            result = _case_step(pred, fn, result)
        return result()


def _case_step(pred: Any, fn: Callable, otherwise: Callable) -> Callable:
    return lambda: cond(pred, fn, otherwise)
