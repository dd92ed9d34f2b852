"""Symbolic reverse-mode differentiation: ``tf.gradients`` and a graph-mode ``GradientTape``.

Backprop adds ordinary ops to the same graph. It visits the ops between ``xs`` and ``ys`` in
reverse topological order (iteratively, so graph depth is no limit); each op's gradient comes
from its OpDef's ``grad`` in the registry. Several gradients reaching one tensor are summed with
``AddN``. Because the result is made of ordinary ops, it can be run, rendered and
differentiated again.
"""

from __future__ import annotations

import contextlib
import gc
from collections import deque
from collections.abc import Iterator
from typing import Any

from graphflow.framework import dtypes
from graphflow.framework.graph import Operation, Tensor
from graphflow.framework.registry import NO_GRADIENT, NOT_DIFFERENTIABLE
from graphflow.ops import array_ops, math_ops
from graphflow.ops.constant_op import convert_to_tensor

_DIFFERENTIABLE = frozenset({dtypes.float16, dtypes.float32, dtypes.float64})


def _carries_gradient(tensor: Tensor) -> bool:
    """Only floating-point tensors carry gradients; integer and bool paths give None."""
    return tensor.dtype.base_dtype in _DIFFERENTIABLE


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _as_source(x: Any) -> Tensor:
    """A variable is differentiated through its reference (as TF1 does); tensors as they are."""
    if hasattr(x, "_ref"):
        return x._ref()
    if not isinstance(x, Tensor):
        raise TypeError(f"Expected a Tensor or Variable to differentiate by, got {x!r}")
    return x


def _between_ops(ys: list[Tensor], xs: list[Tensor], stops: set[Tensor],
                 allowed: set[Operation] | None) -> set[Operation]:
    """Ops on a data path from some x to some y (not passing through a stopped tensor)."""
    forward: set[Operation] = set()
    queue = deque(consumer for x in xs for consumer in x._consumers)
    while queue:
        op = queue.popleft()
        if op in forward or (allowed is not None and op not in allowed):
            continue
        forward.add(op)
        for output in op._outputs:
            if output not in stops:
                queue.extend(output._consumers)
    between: set[Operation] = set()
    queue = deque(y.op for y in ys if y.op in forward)
    while queue:
        op = queue.popleft()
        if op in between:
            continue
        between.add(op)
        queue.extend(t.op for t in op._inputs if t.op in forward and t not in stops)
    return between


def _aggregate(grads: list[Tensor]) -> Tensor | None:
    if not grads:
        return None
    if len(grads) == 1:
        return grads[0]
    return math_ops.add_n(grads)


def gradients(ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients",
              colocate_gradients_with_ops: bool = False, gate_gradients: bool = False,
              aggregation_method: Any = None, stop_gradients: Any = None,
              unconnected_gradients: str = "none", _allowed_ops: set | None = None) -> list:
    """``tf.gradients``: symbolic d(sum of ys)/dx for each x in ``xs``.

    Returns one tensor per x, or None where x does not reach any y (``unconnected_gradients=
    "zero"`` gives zeros instead). ``grad_ys`` seeds the backward pass (default: ones);
    ``stop_gradients`` are treated as constants.
    """
    ys = [convert_to_tensor(y) for y in _as_list(ys)]
    xs = [_as_source(x) for x in _as_list(xs)]
    seeds = _as_list(grad_ys) if grad_ys is not None else [None] * len(ys)
    if len(seeds) != len(ys):
        raise ValueError(f"Passed {len(seeds)} grad_ys for {len(ys)} ys")
    stops = {convert_to_tensor(t) for t in _as_list(stop_gradients or [])}
    graph = ys[0].graph
    with graph.name_scope(name), _collector_paused():
        between = _between_ops(ys, xs, stops, _allowed_ops)
        pending: dict[Operation, int] = dict.fromkeys(between, 0)
        for op in between:
            for tensor in op._inputs:
                if tensor.op in between and tensor not in stops:
                    pending[tensor.op] += 1

        grads: dict[Tensor, list[Tensor]] = {}
        for i, (y, seed) in enumerate(zip(ys, seeds)):
            if seed is None:
                if not _carries_gradient(y):
                    raise TypeError(f"Gradients of {y.dtype.name} tensors are not defined: {y}")
                seed = array_ops.ones_like(y, name=f"grad_ys_{i}")
            else:
                seed = convert_to_tensor(seed, dtype=y.dtype.base_dtype)
            grads.setdefault(y, []).append(seed)

        ready = deque(op for op in between if pending[op] == 0)
        while ready:
            op = ready.popleft()
            _backprop_op(op, grads, between, stops)
            for tensor in op._inputs:
                if tensor.op in between and tensor not in stops:
                    pending[tensor.op] -= 1
                    if pending[tensor.op] == 0:
                        ready.append(tensor.op)

        results = []
        for x in xs:
            total = _aggregate(grads.get(x, []))
            if total is None and unconnected_gradients == "zero":
                total = array_ops.zeros_like(x)
            results.append(total)
    return results


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector while a gradient graph is built: the new ops
    live as long as the graph, and collections walking the growing graph took a tenth of the
    time to build a 2,000-op chain's gradient (benchmarks/README.md, W5)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _backprop_op(op: Operation, grads: dict, between: set, stops: set) -> None:
    """Turns the gradients reaching ``op``'s outputs into gradients of its inputs.

    The gradient ops of an op built in a ``tf.cond`` branch are built in the same branch, so
    they run only when it is taken; a gradient leaving the branch for a tensor outside it goes
    through a ``Merge`` that gives zeros when the branch is not taken.
    """
    graph = op.graph
    with graph._building_branch(op._branch):
        out_grads = [_aggregate(grads.get(t, [])) for t in op._outputs]
    for tensor, total in zip(op._outputs, out_grads):
        if total is not None:
            grads[tensor] = [total]
    if all(g is None for g in out_grads):
        return
    rule = op._opdef.grad
    if rule == NOT_DIFFERENTIABLE:
        return
    if rule == NO_GRADIENT:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})")
    with graph.name_scope(op.name + "_grad"), graph._building_branch(op._branch):
        out_grads = [
            g if g is not None or not _carries_gradient(t) else array_ops.zeros_like(t)
            for t, g in zip(op._outputs, out_grads)
        ]
        in_grads = rule(op, *out_grads)
    if len(in_grads) != len(op._inputs):
        raise ValueError(f"Gradient of {op.type} returned {len(in_grads)} values for "
                         f"{len(op._inputs)} inputs")
    for tensor, grad in zip(op._inputs, in_grads):
        if grad is None or tensor in stops or not _carries_gradient(tensor):
            continue
        grads.setdefault(tensor, []).append(_leave_branches(grad, op._branch, tensor))


def _leave_branches(grad: Tensor, branch: tuple | None, tensor: Tensor) -> Tensor:
    """``grad``, computed inside ``branch``, made usable where ``tensor`` lives: one gating
    Merge per cond level between them (zeros when that branch is not taken)."""
    from graphflow.ops.control_flow import encloses, exit_gradient

    while branch != tensor.op._branch and encloses(tensor.op._branch, branch):
        context, side = branch
        with tensor.graph._building_branch(context.parent):
            grad = exit_gradient(context, side, grad, tensor)
        branch = context.parent
    return grad


class GradientTape:
    """``tf.GradientTape`` for graph mode: records the ops built inside its ``with`` block;
    ``gradient`` returns symbolic gradient tensors of a target with respect to sources.

    Trainable variables used inside are watched automatically; other tensors must be passed to
    ``watch``. Sources that were not watched get None.
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = persistent
        self._watch_variables = watch_accessed_variables
        self._watched: list = []
        self._graph = None
        self._start = 0
        self._end: int | None = None
        self._used = False

    def __enter__(self) -> GradientTape:
        from graphflow.framework.graph import get_default_graph

        self._graph = get_default_graph()
        self._start = self._graph.version
        self._end = None
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._end = self._graph.version

    def watch(self, tensor: Any) -> None:
        """Records gradients with respect to ``tensor`` (a tensor, variable or list)."""
        self._watched.extend(_as_list(tensor))

    def watched_variables(self) -> list:
        return [w for w in self._watched if hasattr(w, "_ref")]

    def gradient(self, target: Any, sources: Any, output_gradients: Any = None,
                 unconnected_gradients: str = "none") -> Any:
        """d target / d source for each source, built from the ops recorded on this tape."""
        if self._graph is None:
            raise RuntimeError("GradientTape.gradient called on a tape that never recorded")
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        self._used = True
        end = self._end if self._end is not None else self._graph.version
        recorded = set(self._graph.get_operations()[self._start:end])
        flat_sources = _as_list(sources)
        inputs = []
        for source in flat_sources:
            if hasattr(source, "_ref"):  # a variable: its value tensor is what ops consumed
                watched = (self._watch_variables and source.trainable) or any(
                    source is w for w in self._watched)
                inputs.append(source.value() if watched else None)
            else:
                inputs.append(source if any(source is w for w in self._watched) else None)
        connected = [t for t in inputs if t is not None]
        grads = gradients(target, connected, grad_ys=output_gradients,
                          unconnected_gradients=unconnected_gradients,
                          _allowed_ops=recorded) if connected else []
        by_source = iter(grads)
        results = [next(by_source) if t is not None else None for t in inputs]
        return results if isinstance(sources, (list, tuple)) else results[0]
