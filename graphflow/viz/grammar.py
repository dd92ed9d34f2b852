"""The visual grammar of rendered graphs, kept in one place.

Every op is given one *kind*; each kind has one look. ``docs/visual-grammar.md`` shows the
same table with pictures.
"""

from __future__ import annotations

from typing import Any

from graphflow.framework.graph import Graph, GraphKeys, Operation, Tensor
from graphflow.framework.tensor_shape import TensorShape

# kind -> graphviz node attributes
STYLES: dict[str, dict[str, str]] = {
    "placeholder": {"shape": "invhouse", "style": "filled", "fillcolor": "#fde68a",
                    "color": "#b45309"},
    "fed": {"shape": "invhouse", "style": "filled,bold", "fillcolor": "#fcd34d",
            "color": "#92400e", "penwidth": "2"},
    "variable": {"shape": "cylinder", "style": "filled", "fillcolor": "#bbf7d0",
                 "color": "#15803d"},
    "variable (not trainable)": {"shape": "cylinder", "style": "filled,dashed",
                                 "fillcolor": "#e5e7eb", "color": "#4b5563"},
    "constant": {"shape": "note", "style": "filled", "fillcolor": "#f3f4f6",
                 "color": "#9ca3af", "fontcolor": "#4b5563"},
    "op": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dbeafe",
           "color": "#1d4ed8"},
    "gradient": {"shape": "box", "style": "rounded,filled", "fillcolor": "#fce7f3",
                 "color": "#be185d"},
    "optimizer": {"shape": "box", "style": "filled", "fillcolor": "#ede9fe",
                  "color": "#6d28d9"},
    "initializer": {"shape": "box", "style": "filled,dotted", "fillcolor": "#ecfccb",
                    "color": "#4d7c0f"},
    "collapsed": {"shape": "box3d", "style": "filled", "fillcolor": "#e0e7ff",
                  "color": "#3730a3"},
    "nan": {"shape": "box", "style": "rounded,filled,bold", "fillcolor": "#fecaca",
            "color": "#dc2626", "penwidth": "3"},
}

# Cost-coloured pictures (``run_metadata=``): an op's fill is its traced time relative to the
# slowest node drawn, white -> orange -> red; the darkest steps take white text. Ops without a
# time (constants, values folded or forwarded when the plan was compiled, ops the run did not
# execute) keep their shape, drawn hollow and grey.
COST_SCALE = ("#fff7ed", "#ffedd5", "#fed7aa", "#fdba74", "#fb923c", "#f97316", "#ea580c",
              "#dc2626", "#b91c1c")
COST_DARK_STEPS = 2
UNTIMED = {"style": "filled,dashed", "fillcolor": "#ffffff", "color": "#9ca3af",
           "fontcolor": "#6b7280"}

CONTROL_EDGE = {"style": "dashed", "color": "#6b7280", "arrowhead": "odot"}
DATA_EDGE = {"color": "#374151", "fontsize": "9", "fontcolor": "#374151"}
CLUSTER = {"style": "rounded,dashed", "color": "#9ca3af", "fontcolor": "#4b5563",
           "fontsize": "10"}
GRAPH = {"rankdir": "BT", "fontname": "Helvetica", "nodesep": "0.25", "ranksep": "0.35"}
NODE = {"fontname": "Helvetica", "fontsize": "10"}
# Big graphs: fewer crossing-minimization and network-simplex passes, so dot stays fast.
BIG_GRAPH_ATTRS = {"mclimit": "0.3", "nslimit": "3", "nslimit1": "3"}

_GRADIENT_SCOPE_PREFIX = "gradients"


def edge_label(tensor: Tensor) -> str:
    """``float32 [?, 3]``: a tensor's dtype and static shape."""
    return f"{tensor.dtype.base_dtype.name} {shape_text(tensor.shape)}"


def shape_text(shape: TensorShape | tuple | None) -> str:
    dims = shape.as_tuple() if isinstance(shape, TensorShape) else shape
    if dims is None:
        return "<unknown>"
    return "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"


def top_scope(name: str) -> str:
    return name.split("/", 1)[0]


def is_gradient_scope(scope: str) -> bool:
    """``gradients``, ``gradients_1``...: where tf.gradients builds its ops."""
    head, _, suffix = scope.partition("_")
    return head == _GRADIENT_SCOPE_PREFIX and (not suffix or suffix.isdigit())


class Classifier:
    """Decides the kind of every op of one graph (from its type, name and collections)."""

    def __init__(self, graph: Graph):
        variables = graph.get_collection(GraphKeys.GLOBAL_VARIABLES) + graph.get_collection(
            GraphKeys.LOCAL_VARIABLES)
        trainable = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        self._trainable = {v.op for v in trainable if hasattr(v, "op")}
        self._initializers = {v.initializer for v in variables if hasattr(v, "initializer")}
        operations = graph.get_operations()
        for op in operations:
            if op.type == "NoOp" and op.control_inputs and all(
                    c in self._initializers for c in op.control_inputs):
                self._initializers.add(op)
        # Ops that exist only to compute initial values (random_normal feeding W/Assign).
        for op in reversed(operations):
            consumers = [c for t in op.outputs for c in t.consumers()]
            if consumers and op.type != "VariableV2" and all(
                    c in self._initializers for c in consumers):
                self._initializers.add(op)
        self._optimizer_scopes = {
            top_scope(op.name) for op in graph.get_operations() if op.type.startswith("Apply")
        } | {top_scope(op.name) for op in graph.get_collection(GraphKeys.TRAIN_OP)
             if isinstance(op, Operation)}

    def kind(self, op: Operation) -> str:
        if op.type in ("Placeholder", "PlaceholderWithDefault"):
            return "placeholder"
        if op.type == "VariableV2":
            return "variable" if op in self._trainable else "variable (not trainable)"
        if op in self._initializers or "/Initializer/" in op.name or op.name.endswith(
                "/initial_value"):
            return "initializer"
        scope = top_scope(op.name)
        if is_gradient_scope(scope):
            return "gradient"
        if scope in self._optimizer_scopes and "/" in op.name or op.type.startswith("Apply") \
                or op.name in self._optimizer_scopes:
            return "optimizer"
        if op.type == "Const":
            return "constant"
        return "op"

    def default_collapse(self, ops: list[Operation]) -> set[str]:
        """The scopes a big graph folds by default: gradients and optimizers."""
        gradients = {top_scope(op.name) for op in ops if is_gradient_scope(top_scope(op.name))}
        return set(self._optimizer_scopes) | gradients


def node_label(op: Operation) -> str:
    """Op type over name (the name without its scope: the cluster shows the scope)."""
    short = op.name.rsplit("/", 1)[-1]
    return op.type if short == op.type else f"{op.type}\\n{short}"


def node_style(kind: str) -> dict[str, Any]:
    return dict(STYLES[kind])


def cost_style(kind: str, fraction: float | None) -> dict[str, Any]:
    """The look of a node in a cost-coloured picture: its kind's shape, filled by ``fraction``
    (its time over the slowest drawn node's, 0 to 1), or drawn as untimed for None."""
    style = node_style(kind)
    if fraction is None:
        rounded = "rounded," if "rounded" in style["style"] else ""
        style.update(UNTIMED, style=rounded + UNTIMED["style"])
        return style
    step = min(len(COST_SCALE) - 1, int(fraction * len(COST_SCALE)))
    style["fillcolor"] = COST_SCALE[step]
    if step >= len(COST_SCALE) - COST_DARK_STEPS:
        style["fontcolor"] = "#ffffff"
    return style


def cost_label(micros: float | None, total: float, constant: bool = False) -> str:
    """The line a cost-coloured picture adds to a node: its time and share of the traced total
    (``12.5 µs, 31.2%``), or that it has none."""
    if micros is None:
        return "no time (constant)" if constant else "no time"
    return f"{micros:,.1f} µs, {100 * micros / total:.1f}%"


def cost_legend_label() -> str:
    """An HTML-like graphviz label showing the cost scale, from an untimed op to the slowest."""
    cells = "".join(f'<td bgcolor="{colour}" width="16"> </td>' for colour in COST_SCALE)
    return ('<<table border="0" cellspacing="0" cellpadding="3"><tr>'
            f'<td border="1" style="dashed" color="{UNTIMED["color"]}">no time</td>'
            f'<td>  0</td>{cells}<td>slowest op</td></tr>'
            f'<tr><td colspan="{len(COST_SCALE) + 3}">run_metadata: time relative to the '
            "slowest op drawn</td></tr></table>>")
