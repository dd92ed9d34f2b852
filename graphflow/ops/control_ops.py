"""Ops that order execution without computing: no_op and group."""

from __future__ import annotations

from typing import Any

from graphflow.framework.graph import Operation, get_default_graph
from graphflow.framework.registry import NOT_DIFFERENTIABLE, OpDef, register


@register("NoOp")
class NoOp(OpDef):
    """Does nothing; with control inputs it makes one op that runs them all."""

    grad = NOT_DIFFERENTIABLE

    def infer(self) -> list:
        return []

    def kernel(self, op: Any) -> Any:
        return _nothing


def _nothing() -> None:
    return None


def no_op(name: str | None = None) -> Operation:
    """``tf.no_op``: an op that does nothing (a target for control dependencies)."""
    return get_default_graph().create_op("NoOp", [], None, name or "NoOp")


def group(*inputs: Any, name: str | None = None) -> Operation:
    """``tf.group``: one op that runs after all ``inputs`` (ops, tensors or variables)."""
    flat: list = []
    pending = list(inputs)
    while pending:
        item = pending.pop(0)
        if isinstance(item, (list, tuple)):
            pending[:0] = list(item)
        elif item is not None:
            flat.append(item)
    graph = get_default_graph()
    with graph.control_dependencies(flat):
        return no_op(name or "group_deps")
