"""Plan compilation: everything about a ``Session.run`` that can be decided before data arrives.

For one set of fetches and fed tensors the compiler

1. prunes the graph to the ops the fetches need, stopping at fed tensors;
2. orders them topologically (networkx; ties broken by creation order, so runs are repeatable);
3. decides which variable reads must see this run's writes (``runtime/state.py``);
4. binds each op's kernel from the op registry;
5. generates one straight-line Python function that calls the kernels in order, keeps each
   value in a local variable and deletes it after its last use.

The generated source is kept on the plan (``plan.source``) so a learner can read exactly what a
run executes. The line of a failing call tells which op failed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graphflow.framework.errors import InvalidArgumentError
from graphflow.framework.graph import Operation, Tensor
from graphflow.ops.constant_op import placeholder_message
from graphflow.runtime.state import BindContext, VariableStore


def _owned(value: Any) -> Any:
    """A fetched value as TF1 returns it: a NumPy scalar for rank 0, and a copy of arrays the
    Session keeps (constants and variable values are read-only), so the caller may modify it."""
    if type(value) is np.ndarray:
        if value.ndim == 0:
            return value[()]
        if not value.flags.writeable:
            return value.copy()
    return value


class Plan:
    """A compiled run: ``run(feed_values)`` returns the values of ``fetches`` in order."""

    def __init__(self, fetches: list, feeds: list[Tensor], ops: list[Operation], source: str,
                 function: Callable, line_to_op: dict[int, Operation], stateful: bool):
        self.fetches = fetches
        self.feeds = feeds
        self.ops = ops
        self.source = source
        self.run = function
        self.stateful = stateful
        self._line_to_op = line_to_op

    def failed_op(self, traceback: Any) -> Operation | None:
        """The op whose kernel raised, found from the generated function's line number."""
        code = self.run.__code__
        while traceback is not None:
            if traceback.tb_frame.f_code is code:
                return self._line_to_op.get(traceback.tb_lineno)
            traceback = traceback.tb_next
        return None


def _needed_ops(fetches: list, fed: set[Tensor]) -> list[Operation]:
    """The ops that must run to compute ``fetches``, not looking past fed tensors."""
    needed: set[Operation] = set()
    stack = []
    for element in fetches:
        if isinstance(element, Operation):
            stack.append(element)
        elif element not in fed:
            stack.append(element.op)
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        stack.extend(t.op for t in op._inputs if t not in fed)
        stack.extend(op._control_inputs)
    return list(needed)


def _execution_order(ops: list[Operation], fed: set[Tensor]) -> tuple[list[Operation], Any]:
    import networkx as nx

    digraph = nx.DiGraph()
    digraph.add_nodes_from(ops)
    members = set(ops)
    for op in ops:
        for tensor in op._inputs:
            if tensor not in fed and tensor.op in members:
                digraph.add_edge(tensor.op, op)
        for control in op._control_inputs:
            digraph.add_edge(control, op)
    order = list(nx.lexicographical_topological_sort(digraph, key=lambda op: op._id))
    return order, digraph


def _reads_after_writes(order: list[Operation], digraph: Any) -> frozenset:
    """Variable reads that depend on a write to their own variable in the same run."""
    import networkx as nx

    after = set()
    for op in order:
        writes = getattr(op._opdef, "writes", ())
        if not writes:
            continue
        written = {op._inputs[i].op for i in writes}
        for later in nx.descendants(digraph, op):
            if (later.type == "Identity" and later._inputs[0].dtype.is_ref_dtype
                    and later._inputs[0].op in written):
                after.add(later)
    return frozenset(after)


def compile_plan(fetches: list, feeds: list[Tensor], store: VariableStore) -> Plan:
    """Compiles the plan for ``fetches`` (Tensors and Operations) given values for ``feeds``."""
    fed = set(feeds)
    needed = _needed_ops(fetches, fed)
    for op in needed:
        if op.type == "Placeholder":
            raise InvalidArgumentError(None, op, placeholder_message(op) + _where(op))
    order, digraph = _execution_order(needed, fed)
    context = BindContext(store, _reads_after_writes(order, digraph))

    names: dict[Tensor, str] = {tensor: f"feed{i}" for i, tensor in enumerate(feeds)}
    for op in order:  # number values in the order they are computed, for readable source
        for tensor in op._outputs:
            if tensor not in fed:
                names[tensor] = f"t{len(names) - len(feeds)}"
    last_use: dict[str, int] = {}
    for step, op in enumerate(order):
        for tensor in op._inputs:
            last_use[_name_for(names, tensor)] = step
    fetched_names = set()
    for element in fetches:
        if isinstance(element, Tensor):
            fetched_names.add(_name_for(names, element))

    namespace: dict[str, Any] = {"_owned": _owned}
    lines = ["def run_plan(feeds):"]
    if feeds:
        lines.append(f"    {', '.join(names[t] for t in feeds)}, = feeds")
    line_to_op: dict[int, Operation] = {}
    deaths: dict[int, list[str]] = {}
    for name, step in last_use.items():
        if name not in fetched_names and not name.startswith("feed"):
            deaths.setdefault(step, []).append(name)
    for step, op in enumerate(order):
        kernel_name = f"k{step}"
        namespace[kernel_name] = op._opdef.bind(op, context)
        args = ", ".join(names[t] for t in op._inputs)
        outputs = [None if t in fed else _kept(names, t, last_use, fetched_names)
                   for t in op._outputs]
        call = f"{kernel_name}({args})"
        if len(op._outputs) == 1 and outputs[0]:
            statement = f"{outputs[0]} = {call}"
        elif len(op._outputs) > 1 and any(outputs):
            statement = f"{', '.join(o or '_' for o in outputs)}, = {call}"
        else:
            statement = call
        lines.append(f"    {statement}  # {op.name} ({op.type})")
        line_to_op[len(lines)] = op
        if step in deaths:
            lines.append(f"    del {', '.join(deaths[step])}")
    results = ", ".join(
        "None" if isinstance(e, Operation) else f"_owned({_name_for(names, e)})" for e in fetches)
    lines.append(f"    return ({results},)")
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<graphflow plan {id(namespace):x}>", "exec"), namespace)
    stateful = any(op._opdef.stateful for op in order)
    return Plan(fetches, feeds, order, source, namespace["run_plan"], line_to_op, stateful)


def _name_for(names: dict[Tensor, str], tensor: Tensor) -> str:
    name = names.get(tensor)
    if name is None:
        name = names[tensor] = f"t{len(names)}"
    return name


def _kept(names: dict, tensor: Tensor, last_use: dict, fetched: set) -> str | None:
    """The local-variable name for an op output that something reads later, else None."""
    name = _name_for(names, tensor)
    return name if name in last_use or name in fetched else None


def _where(op: Operation) -> str:
    filename, line, _ = op.traceback
    return f"\n\t [[node {op.name} (defined at {filename}:{line}) ]]"


def where_defined(op: Operation | None) -> str:
    """The suffix TF1 adds to run-time error messages, pointing at the op's source line."""
    return "" if op is None else _where(op)
