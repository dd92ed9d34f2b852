"""Turns an ordered list of ops into the source of one straight-line Python function.

Each value is a local variable (``t3``), deleted after its last use. Ops built inside a
``tf.cond`` branch are moved into an ``if``/``else`` at their cond's ``Merge``, so they run only
when their branch is taken. The function's line numbers map back to ops, which is how a failing
kernel is named in the error.

With ``check_numerics``, each op with floating-point outputs is followed by a call
``_check_finite(i, outputs, inputs)`` that stops the run at the first NaN or Inf (see
``runtime/plan.py``); without it, the function has no line more than it needs. With ``trace``
(``tf.RunOptions(trace_level=FULL_TRACE)``), each kernel call is timed: the function takes a
second argument ``_record`` and calls ``_record(i, start_ns, outputs)`` after the ``i``-th op
(see ``runtime/trace.py``).

A plan of more than ``PART_STATEMENTS`` statements is written as several functions ``_part0``,
``_part1``, ... called in turn by ``run_plan``, each compiled on its own: CPython's compiler holds
the syntax tree of a whole function at once, about 3 KB a statement, so one 11,000-statement
function took 34 MB to compile. A value computed in one part and used in a later one crosses in a
list ``_v``: stored once after its part, loaded where it is used, cleared after its last use.
"""

from __future__ import annotations

from typing import Any

from graphflow.framework.graph import Operation, Tensor
from graphflow.ops.control_flow import encloses
from graphflow.runtime.rewrite import Rewritten

PART_STATEMENTS = 400  # the most top-level statements one generated function holds


def _child_branch(branch: tuple | None, current: tuple | None) -> tuple | None:
    """The branch directly inside ``current`` that leads to ``branch`` (None: ``branch`` is
    ``current`` itself, i.e. the op belongs to the block being built)."""
    if branch == current:
        return None
    while branch is not None:
        parent = branch[0].parent
        if parent == current:
            return branch
        branch = parent
    raise ValueError("an op outside a tf.cond branch was scheduled inside it")


def _check_visible(op: Operation, tensors: Any, current: tuple | None) -> None:
    """A value computed inside a cond branch exists only there (and in branches within)."""
    for tensor in tensors:
        branch = tensor.op._branch
        if branch != current and not encloses(branch, current):
            raise ValueError(
                f"'{tensor.op.name}' is computed inside a tf.cond branch; its value exists only "
                f"inside that branch, but '{op.name}' uses it. Use the cond's outputs instead."
            )


def _structure(ops: list[Operation], current: tuple | None) -> list:
    """Statements of one block: ``("op", op)`` or ``("if", merge_op, true_block, false_block)``.
    Branch ops wait until their cond's Merge, then form the bodies of its ``if``."""
    statements: list = []
    waiting: dict[tuple, list[Operation]] = {}
    for op in ops:
        child = _child_branch(op._branch, current)
        if child is not None:
            waiting.setdefault(child, []).append(op)
        elif op.type == "Merge" and op.attrs["context"] is not None:
            context = op.attrs["context"]
            _check_visible(op, op._inputs[:1], current)
            statements.append(("if", op,
                               _structure(waiting.pop((context, True), []), (context, True)),
                               _structure(waiting.pop((context, False), []), (context, False))))
        else:
            _check_visible(op, op._inputs, current)
            statements.append(("op", op))
    if waiting:
        op = next(iter(waiting.values()))[0]
        raise ValueError(
            f"'{op.name}' is computed inside a tf.cond branch; its value exists only inside "
            "that branch. Fetch or use the cond's outputs instead."
        )
    return statements


def _ops_of(statement: tuple) -> list[Operation]:
    """Every op of a statement, including those inside its nested blocks."""
    if statement[0] == "op":
        return [statement[1]]
    _, merge, true_block, false_block = statement
    return [merge] + [op for inner in true_block + false_block for op in _ops_of(inner)]


def _inputs_of(statement: tuple) -> list[Tensor]:
    """Every tensor a statement reads, including inside nested blocks (before aliasing)."""
    if statement[0] == "op":
        return list(statement[1]._inputs)
    _, merge, true_block, false_block = statement
    tensors = list(merge._inputs)
    for inner in true_block + false_block:
        tensors.extend(_inputs_of(inner))
    return tensors


class PlanSource:
    """Writes the plan function for the ops, constants and aliases of ``rewritten`` (see
    ``runtime/rewrite.py``); ``kernels`` maps each op to its bound kernel."""

    def __init__(self, rewritten: Rewritten, feeds: list[Tensor], fetches: list,
                 kernels: dict[Operation, Any], check_numerics: bool = False,
                 trace: bool = False):
        order = rewritten.order
        self.feeds = feeds
        self.fetches = fetches
        self.kernels = kernels
        self.aliases = rewritten.aliases
        self.names: dict[Tensor, str] = {t: f"feed{i}" for i, t in enumerate(feeds)}
        fed = set(feeds)
        for op in order:  # number values in the order they are computed
            for tensor in op._outputs:
                if tensor not in fed:
                    self.names[tensor] = f"t{len(self.names) - len(feeds)}"
        # Constants are computed at compile time: the plan reads them as globals c0, c1, ...
        self.constants = rewritten.constants
        self.namespace: dict[str, Any] = {}
        for index, (tensor, value) in enumerate(self.constants.items()):
            self.names[tensor] = f"c{index}"
            self.namespace[f"c{index}"] = value
        for tensor, target in self.aliases.items():
            if target in self.names:
                self.names[tensor] = self.names[target]
        self.used = {self.resolve(t) for op in order for t in op._inputs}
        self.used.update(self.resolve(e) for e in fetches if isinstance(e, Tensor))
        self.check_numerics = check_numerics
        self.checked: list[Operation] = []  # the ops of the _check_finite calls, by index
        self.trace = trace
        self.traced: list[Operation] = []  # the ops of the _record calls, by index
        if check_numerics or trace:  # every output gets a name, to be checked or measured
            self.used.update(t for op in order for t in op._outputs)
        self.fed = fed
        self.kernel_count = 0
        self.lines: list[str] = []
        self.line_to_op: dict[int, Operation] = {}
        self.statements = _structure(order, None)
        for element in fetches:
            op = element if isinstance(element, Operation) else element.op
            if op._branch is not None:
                raise ValueError(f"'{op.name}' runs inside a tf.cond branch and cannot be "
                                 "fetched; fetch the cond's outputs instead.")

    def resolve(self, tensor: Tensor) -> Tensor:
        """The tensor whose value ``tensor`` has (itself unless a rewrite aliased it)."""
        return self.aliases.get(tensor, tensor)

    def render(self) -> str:
        """The plan's source; ``chunks`` then holds (first line index, text) of each part of it
        to compile on its own."""
        count = len(self.statements)
        fetched = {self.resolve(e) for e in self.fetches if isinstance(e, Tensor)}
        last_use: dict[Tensor, int] = {}
        for index, statement in enumerate(self.statements):
            for tensor in _inputs_of(statement):
                last_use[self.resolve(tensor)] = index
        deaths: dict[int, list[str]] = {}
        for tensor, index in last_use.items():
            top_level = tensor.op._branch is None and tensor not in self.fed
            if top_level and tensor not in fetched and tensor not in self.constants:
                deaths.setdefault(index, []).append(self.names[tensor])
        self.lines, starts = [], []
        ranges = self._part_ranges(last_use)
        if len(ranges) == 1:
            starts.append(len(self.lines))
            self.lines.append(f"def run_plan({self._parameters('feeds')}):")
            if self.feeds:
                self.lines.append(f"    {', '.join(self.names[t] for t in self.feeds)}, = feeds")
            self._block(range(count), deaths)
            self._return(self.names)
        else:
            self._parts(ranges, fetched, last_use, deaths, starts)
        starts.append(len(self.lines))
        self.chunks = [(first, "\n".join(self.lines[first:after]) + "\n")
                       for first, after in zip(starts, starts[1:])]
        return "\n".join(self.lines) + "\n"

    def _parameters(self, first: str) -> str:
        return f"{first}, _record" if self.trace else first

    def _block(self, indices: range, deaths: dict[int, list[str]]) -> None:
        """The top-level statements ``indices``, each followed by its dead values' ``del``."""
        for index in indices:
            self._statement(self.statements[index], 1)
            if index in deaths:
                self.lines.append(f"    del {', '.join(deaths[index])}")

    def _return(self, names: dict) -> None:
        results = [self._result(e, names) for e in self.fetches]
        self.lines.append(f"    return ({', '.join(results)},)" if results else "    return ()")

    def _part_ranges(self, last_use: dict[Tensor, int]) -> list[range]:
        """Top-level statement indices of each part: ``PART_STATEMENTS`` or a few more, as a
        part cannot end between two statements of one cond that share a value computed inside
        its branch (each Merge of the cond has an ``if`` of its own)."""
        count = len(self.statements)
        reach = list(range(count))  # a part ending at i must hold every statement up to reach[i]
        for index, statement in enumerate(self.statements):
            for op in _ops_of(statement):
                if op._branch is not None:
                    for tensor in op._outputs:
                        reach[index] = max(reach[index], last_use.get(tensor, index))
        ranges, start, furthest = [], 0, 0
        for index in range(count):
            furthest = max(furthest, reach[index])
            if index == furthest and (index + 1 - start >= PART_STATEMENTS or index == count - 1):
                ranges.append(range(start, index + 1))
                start = index + 1
        return ranges or [range(0)]

    def _parts(self, ranges: list[range], fetched: set, last_use: dict[Tensor, int],
               deaths: dict[int, list[str]], starts: list[int]) -> None:
        """Writes ``_part0``, ``_part1``, ... and the ``run_plan`` that calls them (see the
        module docstring); appends each function's first line index to ``starts``."""
        part_of = [part for part, indices in enumerate(ranges) for _ in indices]
        home = dict.fromkeys(self.feeds, -1)  # the part that computes each top-level value
        for index, statement in enumerate(self.statements):
            for tensor in statement[1]._outputs:  # an op's, or a cond's Merge's
                if tensor in self.used and tensor not in self.fed:
                    home[tensor] = part_of[index]
        last_part = {t: part_of[i] for t, i in last_use.items()}
        last_part.update(dict.fromkeys(fetched, len(ranges)))  # read by run_plan's return
        crossing = list(self.feeds) + [t for t in home if t not in self.fed
                                       and last_part.get(t, -1) > home[t]]
        slot = {t: f"_v[{i}]" for i, t in enumerate(crossing)}
        for part, indices in enumerate(ranges):
            read = {self.resolve(t) for i in indices for t in _inputs_of(self.statements[i])}
            loads = [t for t in crossing if home[t] < part and t in read]
            starts.append(len(self.lines))
            self.lines.append(f"def _part{part}({self._parameters('_v')}):")
            if loads:
                self.lines.append(f"    {', '.join(self.names[t] for t in loads)}, = "
                                  f"{', '.join(slot[t] for t in loads)},")
            cleared = [slot[t] for t in loads if last_part[t] == part and t not in self.fed]
            if cleared:
                self.lines.append(f"    {' = '.join(cleared)} = None")
            self._block(indices, deaths)
            stores = [t for t in crossing if home[t] == part]
            if stores:
                self.lines.append(f"    {', '.join(slot[t] for t in stores)}, = "
                                  f"{', '.join(self.names[t] for t in stores)},")
        starts.append(len(self.lines))
        self.lines.append(f"def run_plan({self._parameters('feeds')}):")
        self.lines.append(f"    _v = [*feeds, *[None] * {len(crossing) - len(self.feeds)}]")
        self.lines += [f"    _part{part}({self._parameters('_v')})" for part in range(len(ranges))]
        self._return(slot)

    def _result(self, element: Tensor | Operation, names: dict) -> str:
        """The expression returning one fetch: None for an op, the value of a variable for its
        reference (an error if uninitialized), else the value as the caller should own it.
        ``names`` gives the expression holding each value."""
        if isinstance(element, Operation):
            return "None"
        value = self.resolve(element)
        name = names[value] if value in names else self.names[value]  # else: a constant
        if element.dtype.is_ref_dtype:
            return f"_variable_value({name}, {element.op.name!r})"
        return f"_owned({name})"

    def _statement(self, statement: tuple, depth: int) -> None:
        indent = "    " * depth
        if statement[0] == "op":
            op = statement[1]
            kernel = f"k{self.kernel_count}"
            self.kernel_count += 1
            self.namespace[kernel] = self.kernels[op]
            call = f"{kernel}({', '.join(self.names[t] for t in op._inputs)})"
            if self.trace:
                self.lines.append(f"{indent}_start = _clock()")
            self._emit(indent, self._targets(op), call, op)
            if self.trace:
                self._record(indent, op)
            if self.check_numerics:
                self._check(indent, op)
            return
        _, merge, true_block, false_block = statement
        n = merge.attrs["n"]
        self.lines.append(f"{indent}if {self.names[merge._inputs[0]]}:  # {merge.name} (Merge)")
        self.line_to_op[len(self.lines)] = merge
        for label, block, values in (("", true_block, merge._inputs[1:n + 1]),
                                     ("else:", false_block, merge._inputs[n + 1:])):
            if label:
                self.lines.append(f"{indent}{label}")
            for inner in block:
                self._statement(inner, depth + 1)
            targets = [self.names[t] for t in merge._outputs if t in self.used]
            sources = [self.names[v] for t, v in zip(merge._outputs, values) if t in self.used]
            if targets:
                self.lines.append(f"{indent}    {', '.join(targets)}, = {', '.join(sources)},")
            elif not block:
                self.lines.append(f"{indent}    pass")

    def _targets(self, op: Operation) -> str:
        outputs = [self.names[t] if t in self.used and t not in self.fed else None
                   for t in op._outputs]
        if len(outputs) == 1:
            return outputs[0] or ""
        return f"{', '.join(o or '_' for o in outputs)}," if any(outputs) else ""

    def _emit(self, indent: str, targets: str, call: str, op: Operation) -> None:
        statement = f"{targets} = {call}" if targets else call
        self.lines.append(f"{indent}{statement}  # {op.name} ({op.type})")
        self.line_to_op[len(self.lines)] = op

    def _record(self, indent: str, op: Operation) -> None:
        """Emits the call that records ``op``'s time and outputs (None for references)."""
        outputs = "".join(
            "None, " if t.dtype.is_ref_dtype or t in self.fed else f"{self.names[t]}, "
            for t in op._outputs)
        self.lines.append(f"{indent}_record({len(self.traced)}, _start, ({outputs}))")
        self.traced.append(op)

    def _check(self, indent: str, op: Operation) -> None:
        """Emits the NaN/Inf check of ``op``'s floating-point outputs, passing its inputs along
        for the error message."""
        outputs = [self.names[t] for t in op._outputs
                   if t.dtype.is_floating and not t.dtype.is_ref_dtype and t not in self.fed]
        if not outputs:
            return
        inputs = "".join(f"{self.names[t]}, " for t in op._inputs)
        self.lines.append(f"{indent}_check_finite({len(self.checked)}, ({', '.join(outputs)},), "
                          f"({inputs}))")
        self.checked.append(op)
