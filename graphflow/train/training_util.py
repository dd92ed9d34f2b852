"""The global step: an int64 counter variable that ``minimize(global_step=...)`` increments."""

from __future__ import annotations

from graphflow.framework import dtypes
from graphflow.framework.graph import Graph, GraphKeys, get_default_graph
from graphflow.ops.constant_op import constant
from graphflow.variables import Variable


def get_global_step(graph: Graph | None = None) -> Variable | None:
    """The graph's global step variable, or None if it has none."""
    graph = graph or get_default_graph()
    steps = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(steps) > 1:
        raise TypeError("There should be only one global step.")
    return steps[0] if steps else None


def create_global_step(graph: Graph | None = None) -> Variable:
    """Creates the ``global_step`` variable (int64, starting at 0, not trainable)."""
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError("'global_step' already exists.")
    with graph.as_default(), graph.name_scope(None):
        return Variable(lambda: constant(0, dtype=dtypes.int64, name="zeros"), trainable=False,
                        name="global_step",
                        collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph: Graph | None = None) -> Variable:
    """The graph's global step, created on first use."""
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    return create_global_step(graph) if step is None else step
