"""Render graphs with graphviz: what you built, what backprop added, what one run executes.

``to_dot(target)`` returns a ``graphviz.Digraph`` (shown inline in Jupyter); ``render(target,
path)`` writes SVG, PNG or PDF with the ``dot`` program. ``target`` is a Graph (default: the
default graph) or fetches (a tensor, op, variable, name or list of them): then only the ops
``Session.run(fetches, feed_dict)`` would execute are drawn, and fed tensors appear as inputs.
With ``session=``, the fetches are run once and every edge shows the run-time shape and a
summary of the value; ops whose output holds NaN or Inf are drawn in red. With
``run_metadata=`` (filled by a traced run: ``tf.RunOptions(trace_level=FULL_TRACE)``), every
op is coloured by its time and labelled with its time and share of the run.

The look of each kind of op is defined in ``grammar.py`` and documented in
``docs/visual-grammar.md``.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import graphviz
import numpy as np

from graphflow.framework.graph import Graph, Operation, Tensor, get_default_graph
from graphflow.viz import grammar

BIG_GRAPH = 300  # ops; beyond this, gradient and optimizer scopes are collapsed by default
MAX_FAN = 24  # a folded scope with more neighbours than this lists them as a count

__all__ = ["legend", "render", "to_dot"]


def _resolve(target: Any, feed_dict: dict | None) -> tuple[Graph, list[Operation], list[Tensor],
                                                        list]:
    """(graph, ops to draw, fed tensors, fetch elements) for a graph or a fetch target."""
    if target is None:
        target = get_default_graph()
    if isinstance(target, Graph):
        return target, target.get_operations(), [], []
    from graphflow.runtime.plan import needed_ops

    items = target if isinstance(target, (list, tuple)) else [target]
    graph = _graph_of(items[0])
    fetches = [graph.as_graph_element(item) for item in items]
    fed = [graph.as_graph_element(key, allow_operation=False) for key in (feed_dict or {})]
    ops = needed_ops(fetches, set(fed))
    return graph, sorted(ops, key=lambda op: op._id), fed, fetches


def _graph_of(item: Any) -> Graph:
    if hasattr(item, "graph"):
        return item.graph
    return get_default_graph()


def _summary(value: Any) -> str:
    array = np.asarray(value)
    if array.dtype == object or array.size == 0:
        return f"[{', '.join(map(str, array.shape))}]"
    if array.ndim == 0:
        return f"= {array.item():.4g}" if array.dtype.kind == "f" else f"= {array.item()}"
    numbers = array.astype(np.float64)
    return (f"[{', '.join(map(str, array.shape))}] min {numbers.min():.3g} "
            f"mean {numbers.mean():.3g} max {numbers.max():.3g}")


def _non_finite(value: Any) -> bool:
    array = np.asarray(value)
    return array.dtype.kind in "fc" and not np.all(np.isfinite(array))


def _run_values(session: Any, ops: list[Operation], fed: list[Tensor], fetches: list,
                feed_dict: dict | None) -> dict:
    """Runs ``fetches`` once, also fetching the fed tensors and every output of the drawn ops
    that a run can see (not references, not values inside a cond branch)."""
    visible = list(fed) + [t for op in ops if op.branch is None for t in op.outputs
                           if not t.dtype.is_ref_dtype]
    values = session.run(visible + fetches, feed_dict)
    return dict(zip(visible, values[:len(visible)]))


def to_dot(target: Any = None, feed_dict: dict | None = None, *, session: Any = None,
           run_metadata: Any = None, collapse: Any = None, depth: int | None = None,
           show_shapes: bool = True, name: str = "graphflow") -> graphviz.Digraph:
    """A ``graphviz.Digraph`` of ``target`` (a Graph, or fetches: see the module docstring).

    ``collapse`` names scopes to fold into one node each (``["gradients", "Adam"]``), or is an
    int: fold every scope deeper than that. Graphs of more than ``BIG_GRAPH`` ops fold their
    gradient and optimizer scopes unless ``collapse=[]`` is given.

    ``run_metadata`` (a traced run's ``tf.RunMetadata``) colours each node by its time, white
    to red relative to the slowest node drawn, and adds its microseconds and share of the
    traced total to its label; a folded scope costs the sum of its ops. Ops without a time
    (constants, values the plan computed when it was compiled, ops the run did not execute)
    are drawn hollow.
    """
    graph, ops, fed, fetches = _resolve(target, feed_dict)
    classifier = grammar.Classifier(graph)
    if isinstance(collapse, int) and not isinstance(collapse, bool):
        depth, collapse = collapse, None
    if collapse is None:
        collapse = classifier.default_collapse(ops) if len(ops) > BIG_GRAPH else set()
    values: dict = {}
    if session is not None:
        if not fetches:
            raise ValueError("Run-annotated rendering needs fetches to run, not a whole graph: "
                             "to_dot(fetches, feed_dict, session=sess)")
        values = _run_values(session, ops, fed, fetches, feed_dict)

    node_of = {op: _node_id(op.name, set(collapse), depth) for op in ops}
    costs = _Costs(run_metadata, node_of)
    fed_nodes = {t: f"[fed {t.op.name}_{t.value_index}]" for t in fed}
    edges, hidden = _limit_fan(_edges(ops, node_of, fed_nodes))

    clusters: dict = {"nodes": [], "children": {}}
    inline = _inline_scopes([op.name for op in ops])
    folded: dict[str, int] = {}
    feeding = {tail for tail, _, tensor in edges if tensor is not None}
    for op in ops:
        if node_of[op] != op.name:
            folded[node_of[op]] = folded.get(node_of[op], 0) + 1
            continue
        kind = classifier.kind(op)
        label = grammar.node_label(op)
        if any(_non_finite(values[t]) for t in op.outputs if t in values):
            kind = "nan"
        if op.name not in feeding and op.outputs and op.outputs[0] in values:
            label += "\\n" + _edge_text(op.outputs[0], values)  # a result: show its value
        node = (op.name, *costs.annotate(op.name, kind, label, op.type == "Const"))
        _place(clusters, op.name, node, inline)
    for node, count in folded.items():
        scope = node[1:-1]
        label = f"{scope}/\\n({count} ops{hidden.get(node, '')})"
        _place(clusters, scope, (node, *costs.annotate(node, "collapsed", label)), inline)
    for tensor, node in fed_nodes.items():
        _place(clusters, "", (node, f"fed\\n{tensor.name}", grammar.node_style("fed")), inline)

    graph_attr = dict(grammar.GRAPH, **(grammar.BIG_GRAPH_ATTRS if len(ops) > BIG_GRAPH else {}))
    dot = graphviz.Digraph(name=name, graph_attr=graph_attr, node_attr=grammar.NODE)
    _emit_clusters(dot, clusters)
    for tail, head, tensor in edges:
        if tensor is None:
            dot.edge(tail, head, **grammar.CONTROL_EDGE)
        else:
            label = _edge_text(tensor, values) if show_shapes else None
            dot.edge(tail, head, label=label, **grammar.DATA_EDGE)
    return dot


class _Costs:
    """The traced time of each drawn node (a folded scope's is the sum of its ops') and how a
    node shows it; without ``run_metadata`` nodes keep their kind's look."""

    def __init__(self, run_metadata: Any, node_of: dict[Operation, str]) -> None:
        self.micros: dict[str, float] | None = None
        if run_metadata is None:
            return
        times = run_metadata.op_micros()
        if not times:
            raise ValueError("run_metadata holds no trace: fill it with sess.run(..., options="
                             "tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), "
                             "run_metadata=run_metadata)")
        self.total = sum(times.values()) or 1.0
        self.micros = {}
        for op, node in node_of.items():
            if op.name in times:
                self.micros[node] = self.micros.get(node, 0.0) + times[op.name]
        self.slowest = max(self.micros.values(), default=0.0) or 1.0

    def annotate(self, node: str, kind: str, label: str,
                 constant: bool = False) -> tuple[str, dict[str, Any]]:
        """(label, graphviz attributes) of ``node``: with a trace, its time is added to the
        label and its fill shows it (an op marked NaN stays red)."""
        if self.micros is None:
            return label, grammar.node_style(kind)
        micros = self.micros.get(node)
        label += "\\n" + grammar.cost_label(micros, self.total, constant)
        if kind == "nan":
            return label, grammar.node_style(kind)
        fraction = None if micros is None else micros / self.slowest
        return label, grammar.cost_style(kind, fraction)


def _node_id(op_name: str, collapse: set[str], depth: int | None) -> str:
    """The op's own name, or ``[scope]`` for the node of the folded scope that holds it."""
    for scope in collapse:
        if op_name == scope or op_name.startswith(scope + "/"):
            return f"[{scope}]"
    if depth is not None:
        parts = op_name.split("/")
        if len(parts) > depth + 1:
            return "[" + "/".join(parts[:depth]) + "]"
    return op_name


def _edges(ops: list[Operation], node_of: dict, fed_nodes: dict) -> list[tuple]:
    """(tail, head, tensor) data edges and (tail, head, None) control edges between drawn
    nodes; a folded scope gets one edge per neighbour, not one per tensor."""
    edges, seen = [], set()
    for op in ops:
        head = node_of[op]
        for tensor in op.inputs:
            tail = fed_nodes.get(tensor) or node_of.get(tensor.op)
            if tail is None or tail == head:
                continue
            key = (tail, head) if "[" in tail[:1] + head[:1] else (tail, head, tensor)
            if key not in seen:
                seen.add(key)
                edges.append((tail, head, tensor))
        for control in op.control_inputs:
            tail = node_of.get(control)
            if tail is not None and tail != head and (tail, head, None) not in seen:
                seen.add((tail, head, None))
                edges.append((tail, head, None))
    return edges


def _limit_fan(edges: list[tuple]) -> tuple[list[tuple], dict[str, str]]:
    """Drops the edges of a folded node that touches more than ``MAX_FAN`` neighbours (dot's
    layout time explodes on such hubs); the node's label then counts them instead."""
    fan: dict[tuple[str, str], int] = {}
    for tail, head, _ in edges:
        if tail.startswith("["):
            fan[(tail, "out")] = fan.get((tail, "out"), 0) + 1
        if head.startswith("["):
            fan[(head, "in")] = fan.get((head, "in"), 0) + 1
    hubs = {key for key, count in fan.items() if count > MAX_FAN}
    kept = [e for e in edges if (e[0], "out") not in hubs and (e[1], "in") not in hubs]
    hidden: dict[str, str] = {}
    for node, direction in sorted(hubs):
        word = "inputs from" if direction == "in" else "outputs to"
        hidden[node] = hidden.get(node, "") + f"; {word} {fan[(node, direction)]} ops"
    return kept, hidden


def _edge_text(tensor: Tensor, values: dict) -> str:
    if tensor in values:
        return f"{tensor.dtype.base_dtype.name} {_summary(values[tensor])}"
    return grammar.edge_label(tensor)


def _inline_scopes(names: list[str]) -> set[str]:
    """Scopes named after an op that hold only that op's own helpers, like ``mul/y`` (the
    constant TF1 makes for ``x * 2``): they get no cluster, their nodes sit beside the op."""
    nested = set()
    for name in names:
        parts = name.split("/")
        nested.update("/".join(parts[:depth]) for depth in range(1, len(parts) - 1))
    return set(names) - nested


def _place(tree: dict, op_name: str, node: tuple, inline: set[str]) -> None:
    """Puts a node into the cluster of its name scope (creating nested clusters), except for
    the scopes in ``inline``."""
    parts = op_name.split("/")[:-1]
    for depth in range(len(parts)):
        scope = "/".join(parts[:depth + 1])
        if scope in inline:
            break
        tree = tree["children"].setdefault(scope, {"nodes": [], "children": {}})
    tree["nodes"].append(node)


def _emit_clusters(dot: graphviz.Digraph, tree: dict) -> None:
    """Emits a scope tree: its nodes, then one nested ``cluster_<scope>`` per child scope."""
    for node_id, label, attrs in tree["nodes"]:
        dot.node(node_id, label=label, **attrs)
    for child_scope, child in tree["children"].items():
        with dot.subgraph(name=f"cluster_{child_scope}") as sub:
            sub.attr(label=child_scope.rsplit("/", 1)[-1], **grammar.CLUSTER)
            _emit_clusters(sub, child)


def legend() -> graphviz.Digraph:
    """One node of each kind, as the visual grammar draws it, the two kinds of edge, and the
    colour scale of cost-coloured pictures."""
    dot = graphviz.Digraph(name="legend", graph_attr=grammar.GRAPH, node_attr=grammar.NODE)
    kinds = list(grammar.STYLES)
    for row in range(0, len(kinds), 4):
        with dot.subgraph() as same_rank:
            same_rank.attr(rank="same")
            for kind in kinds[row:row + 4]:
                same_rank.node(kind, label=kind, **grammar.node_style(kind))
    for upper, lower in zip(kinds[4:], kinds):
        dot.edge(lower, upper, style="invis")
    dot.node("tensor", label="", shape="point")
    dot.edge("tensor", "op", label="data: dtype [shape]", **grammar.DATA_EDGE)
    dot.edge("initializer", "op", label="control", fontsize="9", **grammar.CONTROL_EDGE)
    dot.node("cost", label=grammar.cost_legend_label(), shape="plaintext")
    dot.edge(kinds[-1], "cost", style="invis")
    return dot


def render(target: Any = None, path: str = "graph.svg", format: str | None = None,  # noqa: A002
           feed_dict: dict | None = None, **options: Any) -> str:
    """Writes the picture of ``target`` to ``path`` with the ``dot`` program; the format comes
    from ``format`` or the file's suffix (svg, png, pdf). Returns ``path``."""
    fmt = format or os.path.splitext(path)[1].lstrip(".") or "svg"
    data = to_dot(target, feed_dict, **options).pipe(format=fmt)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".partial")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)  # mkstemp makes private files; a picture is for sharing
    os.replace(temporary, path)
    return path
