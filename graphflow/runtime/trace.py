"""Per-op timing of one run: ``tf.RunOptions(trace_level=FULL_TRACE)`` and ``tf.RunMetadata``.

A traced run executes a separate plan (the ordinary one has no timing code at all) that reads
the clock around every kernel call and records each op's start, end and outputs. The Session
then fills the caller's :class:`RunMetadata` the way TF1 did: ``step_stats.dev_stats[0]
.node_stats`` holds one :class:`NodeExecStats` per executed op, in execution order. On top of
TF1's fields, :meth:`RunMetadata.profile_table` prints the ops sorted by time, and
``tf.viz.render(..., run_metadata=...)`` colours the graph by cost.

Constants and constant-folded values do not appear: they were computed when the plan was
compiled and cost nothing at run time. The figures include each kernel call's Python overhead,
which is what a learner's small graphs spend most time on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


@dataclass
class TensorOutput:
    """One output of a traced op: its slot, dtype, shape and size in bytes."""

    slot: int
    dtype: str
    shape: tuple
    bytes: int


@dataclass
class NodeExecStats:
    """What one op did in a traced run: the fields of TF's ``NodeExecStats`` proto (times
    in microseconds and, as newer TF versions added, nanoseconds); ``op_type`` and ``inputs``
    (the names of the tensors the op read) are graphflow's additions, TF1 put both in
    ``timeline_label``."""

    node_name: str
    op_type: str
    all_start_nanos: int
    all_end_rel_nanos: int
    output: list[TensorOutput] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)

    @property
    def all_start_micros(self) -> int:
        return self.all_start_nanos // 1000

    @property
    def all_end_rel_micros(self) -> int:
        return self.all_end_rel_nanos // 1000

    # An op here is one kernel call: its "op" span is its whole span.
    op_start_rel_nanos = op_start_rel_micros = 0
    op_end_rel_nanos = property(lambda self: self.all_end_rel_nanos)
    op_end_rel_micros = property(lambda self: self.all_end_rel_micros)

    @property
    def timeline_label(self) -> str:
        return f"{self.node_name} = {self.op_type}({', '.join(self.inputs)})"

    @property
    def micros(self) -> float:
        """How long the op took, in microseconds (with the clock's resolution)."""
        return self.all_end_rel_nanos / 1000


@dataclass
class DeviceStepStats:
    device: str = DEVICE
    node_stats: list[NodeExecStats] = field(default_factory=list)


@dataclass
class StepStats:
    dev_stats: list[DeviceStepStats] = field(default_factory=list)


class RunMetadata:
    """Filled by ``Session.run(..., options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
    run_metadata=run_metadata)`` with the per-op timing of that run (each traced run replaces
    the previous figures)."""

    def __init__(self) -> None:
        self.step_stats = StepStats()
        self.partition_graphs: list = []

    def node_stats(self) -> list[NodeExecStats]:
        """Every traced op's statistics, in execution order."""
        return [node for device in self.step_stats.dev_stats for node in device.node_stats]

    def op_micros(self) -> dict[str, float]:
        """Op name to its time in microseconds."""
        times: dict[str, float] = {}
        for node in self.node_stats():
            times[node.node_name] = times.get(node.node_name, 0) + node.micros
        return times

    def profile_table(self, top: int | None = None) -> str:
        """The traced ops sorted by time, most expensive first: name, type, microseconds, share
        of the total and the outputs' dtypes, shapes and sizes; ``top`` keeps the first ``top``
        rows."""
        if top is not None and top < 0:
            raise ValueError(f"top must be None or at least 0, not {top}")
        nodes = sorted(self.node_stats(), key=lambda n: n.micros, reverse=True)
        if not nodes:
            return ("No trace: run with options=tf.RunOptions("
                    "trace_level=tf.RunOptions.FULL_TRACE) and run_metadata=this object.")
        total = sum(n.micros for n in nodes) or 1.0
        shown = nodes[:top]
        width = max([2] + [len(n.node_name) for n in shown])
        type_width = max([4] + [len(n.op_type) for n in shown])
        lines = [f"{'op':{width}s}  {'type':{type_width}s} {'µs':>9s} {'share':>6s}  outputs"]
        for node in shown:
            outputs = ", ".join(f"{o.dtype}{list(o.shape)} {_size(o.bytes)}" for o in node.output)
            lines.append(f"{node.node_name:{width}s}  {node.op_type:{type_width}s} "
                         f"{node.micros:9.1f} {100 * node.micros / total:5.1f}%  {outputs}")
        if len(nodes) > len(shown):
            lines.append(f"... {len(nodes) - len(shown)} more ops")
        lines.append(f"total {total:.1f} µs in {len(nodes)} ops (kernel calls only; the "
                     "Session's own work per run is not included)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<RunMetadata: {len(self.node_stats())} traced ops>"


def _size(nbytes: int) -> str:
    if nbytes < 1024:
        return f"{nbytes} B"
    if nbytes < 1024 ** 2:
        return f"{nbytes / 1024:.1f} KB"
    return f"{nbytes / 1024 ** 2:.1f} MB"


def _describe(slot: int, value: Any) -> TensorOutput:
    array = np.asarray(value)  # the array itself, or a NumPy scalar as a 0-d array
    return TensorOutput(slot, array.dtype.name, array.shape, array.nbytes)


class Recorder:
    """Collects one traced run: the generated plan calls ``record(i, start_ns, outputs)`` after
    the kernel of its ``i``-th traced op returns."""

    clock = staticmethod(time.perf_counter_ns)

    def __init__(self, ops: list) -> None:
        self.ops = ops
        self.start_ns = time.perf_counter_ns()
        self.epoch_ns = time.time_ns()
        self.entries: list[tuple[int, int, int, tuple]] = []

    def record(self, index: int, start_ns: int, outputs: tuple) -> None:
        self.entries.append((index, start_ns, time.perf_counter_ns(), outputs))

    def fill(self, run_metadata: RunMetadata) -> None:
        """Replaces ``run_metadata``'s step stats with this run's."""
        nodes = []
        for index, start, end, outputs in self.entries:
            op = self.ops[index]
            nodes.append(NodeExecStats(
                node_name=op.name, op_type=op.type,
                all_start_nanos=self.epoch_ns + start - self.start_ns,
                all_end_rel_nanos=end - start,
                output=[_describe(slot, value) for slot, value in enumerate(outputs)
                        if value is not None],
                inputs=[tensor.name for tensor in op.inputs],
            ))
        run_metadata.step_stats = StepStats([DeviceStepStats(DEVICE, nodes)])
