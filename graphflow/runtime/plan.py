"""Plan compilation: everything about a ``Session.run`` that can be decided before data arrives.

For one set of fetches and fed tensors the compiler

1. prunes the graph to the ops the fetches need, stopping at fed tensors;
2. orders them topologically (networkx; ties broken by creation order, so runs are repeatable);
3. decides which variable reads must see this run's writes (``runtime/state.py``);
4. binds each op's kernel from the op registry;
5. generates one Python function that calls the kernels in order, keeps each value in a local
   variable and deletes it after its last use (``runtime/codegen.py``); the ops of a
   ``tf.cond`` branch go inside an ``if``, so only the taken branch runs.

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
from graphflow.runtime.codegen import PlanSource
from graphflow.runtime.state import BindContext, VariableStore, uninitialized_error


def _owned(value: Any) -> Any:
    """A fetched value as TF1 returns it: a NumPy scalar for rank 0, and a copy of arrays the
    Session keeps (constants and variable values are read-only), so the caller may modify it."""
    if type(value) is np.ndarray:
        if value.ndim == 0:
            return value[()]
        if not value.flags.writeable:
            return value.copy()
    return value


def _variable_value(value: Any, name: str) -> Any:
    """A fetched variable reference: its value, which must exist."""
    if value is None:
        raise uninitialized_error(name, None)
    return _owned(value)


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


def needed_ops(fetches: list, fed: set[Tensor]) -> list[Operation]:
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
    needed = needed_ops(fetches, fed)
    for op in needed:
        if op.type == "Placeholder":
            raise InvalidArgumentError(None, op, placeholder_message(op) + _where(op))
    order, digraph = _execution_order(needed, fed)
    context = BindContext(store, _reads_after_writes(order, digraph))
    kernels = {op: op._opdef.bind(op, context) for op in order}
    writer = PlanSource(order, feeds, fetches, kernels)
    source = writer.render()
    namespace = dict(writer.namespace, _owned=_owned, _variable_value=_variable_value)
    exec(compile(source, f"<graphflow plan {id(namespace):x}>", "exec"), namespace)
    stateful = any(op._opdef.stateful for op in order)
    return Plan(fetches, feeds, order, source, namespace["run_plan"], writer.line_to_op,
                stateful)


def _where(op: Operation) -> str:
    filename, line, _ = op.traceback
    return f"\n\t [[node {op.name} (defined at {filename}:{line}) ]]"


def where_defined(op: Operation | None) -> str:
    """The suffix TF1 adds to run-time error messages, pointing at the op's source line."""
    return "" if op is None else _where(op)
