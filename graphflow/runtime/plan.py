"""Plan compilation: everything about a ``Session.run`` that can be decided before data arrives.

For one set of fetches and fed tensors the compiler

1. prunes the graph to the ops the fetches need, stopping at fed tensors;
2. orders them topologically (ties broken by creation order, so runs are repeatable);
3. decides which variable reads must see this run's writes (``runtime/state.py``);
4. binds each op's kernel from the op registry;
5. generates one Python function that calls the kernels in order, keeps each value in a local
   variable and deletes it after its last use (``runtime/codegen.py``; a long plan is split into
   parts, each compiled on its own); the ops of a ``tf.cond`` branch go inside an ``if``, so
   only the taken branch runs.

The generated source is kept on the plan (``plan.source``) so a learner can read exactly what a
run executes. The line of a failing call tells which op failed.

A plan compiled with ``check_numerics`` (``tf.RunOptions(check_numerics=True)``) checks each
floating-point value right after the op that computed it and stops the run at the first NaN or
Inf, naming that op, its type and summaries of its inputs. It is a separate plan: the ordinary
one has no check at all.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

import numpy as np

from graphflow.framework.errors import InvalidArgumentError
from graphflow.framework.graph import Operation, Tensor
from graphflow.ops.constant_op import placeholder_message
from graphflow.runtime.codegen import PlanSource
from graphflow.runtime.rewrite import simplify
from graphflow.runtime.state import BindContext, VariableStore, uninitialized_error
from graphflow.runtime.trace import Recorder


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
    """A compiled run: ``run(feed_values)`` returns the values of ``fetches`` in order, with
    NumPy's floating-point warnings off. ``filename`` is the name the generated source was
    compiled under, and ``line_to_op`` maps its lines to ops."""

    def __init__(self, fetches: list, feeds: list[Tensor], ops: list[Operation], source: str,
                 function: Callable, filename: str, line_to_op: dict[int, Operation],
                 stateful: bool, traced: list[Operation] | None = None,
                 constants: dict | None = None):
        self.fetches = fetches
        self.feeds = feeds
        self.ops = ops  # the ops whose kernels run, in order
        self.constants = constants or {}  # tensor -> value computed at compile time
        self.source = source
        self.run = function
        self.stateful = stateful
        self.traced = traced or []  # a traced plan's ops, in the order its recorder numbers them
        self._filename = filename
        self._line_to_op = line_to_op

    def failed_op(self, traceback: Any) -> Operation | None:
        """The op whose kernel raised, found from the line number in the generated source."""
        failed = None
        while traceback is not None:  # the innermost frame of the plan's source (a part's)
            if traceback.tb_frame.f_code.co_filename == self._filename:
                failed = self._line_to_op.get(traceback.tb_lineno)
            traceback = traceback.tb_next
        return failed


def _summary(tensor: Tensor, value: Any) -> str:
    """``name dtype [shape] min .. mean .. max ..`` of one value, for error messages."""
    if value is None:
        return f"{tensor.name}: uninitialized"
    array = np.asarray(value)
    text = f"{tensor.name}: {tensor.dtype.base_dtype.name} [{', '.join(map(str, array.shape))}]"
    if array.size and array.dtype.kind in "biuf":
        numbers = array.astype(np.float64)
        text += f" min {numbers.min():.4g} mean {numbers.mean():.4g} max {numbers.max():.4g}"
    return text


def _finite_checker(ops: list[Operation]) -> Callable:
    """The ``_check_finite(i, outputs, inputs)`` of a checking plan: InvalidArgumentError when
    an output of ``ops[i]`` holds NaN or Inf."""

    def check_finite(index: int, outputs: tuple, inputs: tuple) -> None:
        for value in outputs:
            if not np.isfinite(value).all():
                raise _non_finite_error(ops[index], outputs, inputs)

    return check_finite


def _non_finite_error(op: Operation, outputs: tuple, inputs: tuple) -> InvalidArgumentError:
    floats = [t for t in op._outputs if t.dtype.is_floating and not t.dtype.is_ref_dtype]
    found = []
    for tensor, value in zip(floats, outputs):
        nans, infs = int(np.isnan(value).sum()), int(np.isinf(value).sum())
        if nans or infs:
            found.append(f"{tensor.name} has {nans} NaN and {infs} Inf of {np.size(value)} "
                         "values")
    lines = [f"check_numerics: op '{op.name}' (op type: {op.type}) produced NaN or Inf: "
             + "; ".join(found)]
    lines += [f"  input {_summary(t, v)}" for t, v in zip(op._inputs, inputs)] or ["  no inputs"]
    return InvalidArgumentError(None, op, "\n".join(lines))


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


def _execution_order(ops: list[Operation], fed: set[Tensor]
                     ) -> tuple[list[Operation], dict[Operation, list[Operation]]]:
    """A topological order of ``ops`` (Kahn's algorithm; among ready ops the earliest built
    first, so every run of a program executes the same sequence) and each op's dependents among
    them, by data and control edges."""
    members = set(ops)
    dependents: dict[Operation, list[Operation]] = {op: [] for op in ops}
    waiting: dict[Operation, int] = {}
    for op in ops:
        needs = {t.op for t in op._inputs if t not in fed and t.op in members}
        needs.update(c for c in op._control_inputs if c in members)
        waiting[op] = len(needs)
        for need in needs:
            dependents[need].append(op)
    ready = [(op._id, op) for op in ops if not waiting[op]]  # ids are unique: ops never compared
    heapq.heapify(ready)
    order = []
    while ready:
        _, op = heapq.heappop(ready)
        order.append(op)
        for later in dependents[op]:
            waiting[later] -= 1
            if not waiting[later]:
                heapq.heappush(ready, (later._id, later))
    return order, dependents


def _reads_after_writes(order: list[Operation],
                        dependents: dict[Operation, list[Operation]]) -> frozenset:
    """Variable reads that depend on a write to their own variable in the same run."""
    after = set()
    for op in order:
        writes = getattr(op._opdef, "writes", ())
        if not writes:
            continue
        written = {op._inputs[i].op for i in writes}
        seen: set[Operation] = set()
        stack = list(dependents[op])
        while stack:  # every op that depends on this write
            later = stack.pop()
            if later in seen:
                continue
            seen.add(later)
            stack.extend(dependents[later])
            if (later.type == "Identity" and later._inputs[0].dtype.is_ref_dtype
                    and later._inputs[0].op in written):
                after.add(later)
    return frozenset(after)


# The least a run's queued updates must hold, variables and slots together, to be done in place:
# the commit's fixed cost, about 4 µs, against the copies it saves. Measured with one variable
# and Adam's two slots: the same cost at 64 KiB a variable (192 KiB in all), 13% faster at 256.
IN_PLACE_MIN_BYTES = 256 * 1024


def _updates_in_place(order: list[Operation], fetches: list, reads_after_write: frozenset,
                      check_numerics: bool, trace: bool) -> frozenset:
    """The update ops (``updates_in_place`` OpDefs) of a plan to queue for the commit, where
    they update the stored arrays in place (``runtime/state.py``): those whose new values
    nothing in the run uses (no op takes their output, no fetch, no read after the write), on
    variables no other op of the plan writes; none unless together they update at least
    ``IN_PLACE_MIN_BYTES``. A checking or traced plan runs every update at once, so that it is
    checked or timed as its own op."""
    if check_numerics or trace:
        return frozenset()
    used = {t for op in order for t in op._inputs} | {e for e in fetches if isinstance(e, Tensor)}
    writers: dict[Operation, int] = {}
    for op in order:
        for i in getattr(op._opdef, "writes", ()):
            writers[op._inputs[i].op] = writers.get(op._inputs[i].op, 0) + 1
    read_after = {read._inputs[0].op for read in reads_after_write}
    chosen, total = set(), 0
    for op in order:
        if not getattr(op._opdef, "updates_in_place", False) or op._outputs[0] in used:
            continue
        variables = [op._inputs[i].op for i in op._opdef.writes]
        if all(writers[v] == 1 and v not in read_after for v in variables):
            chosen.add(op)
            size = op._outputs[0].shape.num_elements()
            total += IN_PLACE_MIN_BYTES if size is None else \
                size * op._outputs[0].dtype.size * len(variables)
    return frozenset(chosen) if total >= IN_PLACE_MIN_BYTES else frozenset()


def compile_plan(fetches: list, feeds: list[Tensor], store: VariableStore,
                 check_numerics: bool = False, trace: bool = False) -> Plan:
    """Compiles the plan for ``fetches`` (Tensors and Operations) given values for ``feeds``;
    ``check_numerics`` adds a NaN/Inf check after every op with floating-point outputs, and
    ``trace`` times every kernel call (the plan's function then takes a recorder)."""
    fed = set(feeds)
    needed = needed_ops(fetches, fed)
    for op in needed:
        if op.type == "Placeholder":
            raise InvalidArgumentError(None, op, placeholder_message(op) + where_defined(op))
    order, dependents = _execution_order(needed, fed)
    reads_after_write = _reads_after_writes(order, dependents)
    context = BindContext(store, reads_after_write, _updates_in_place(
        order, fetches, reads_after_write, check_numerics, trace))

    def kernel_of(op: Operation) -> Callable:
        return op._opdef.bind(op, context)

    rewritten = simplify(order, fed, fetches, kernel_of, optimize=not check_numerics)
    kernels = {op: kernel_of(op) for op in rewritten.order}
    writer = PlanSource(rewritten, feeds, fetches, kernels, check_numerics, trace)
    source = writer.render()
    namespace = dict(writer.namespace, _owned=_owned, _variable_value=_variable_value,
                     _check_finite=_finite_checker(writer.checked), _clock=Recorder.clock)
    filename = f"<graphflow plan {id(namespace):x}>"
    for first_line, text in writer.chunks:  # blank lines first: line numbers match ``source``
        exec(compile("\n" * first_line + text, filename, "exec"), namespace)
    stateful = any(op._opdef.stateful for op in rewritten.order)
    quiet = np.errstate(all="ignore")(namespace["run_plan"])  # TF1 gives inf/nan, no warnings
    return Plan(fetches, feeds, rewritten.order, source, quiet, filename, writer.line_to_op,
                stateful, writer.traced, rewritten.constants)


def where_defined(op: Operation | None) -> str:
    """The suffix TF1 adds to run-time error messages, pointing at the op's source line."""
    if op is None:
        return ""
    filename, line, _ = op.traceback
    return f"\n\t [[node {op.name} (defined at {filename}:{line}) ]]"
