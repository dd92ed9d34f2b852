"""TF1's ``timeline``: a traced run's step stats as a Chrome trace, for ``chrome://tracing`` or
https://ui.perfetto.dev::

    run_metadata = tf.RunMetadata()
    sess.run(train, feed, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
             run_metadata=run_metadata)
    trace = tf.client.timeline.Timeline(run_metadata.step_stats)
    with open("timeline.json", "w") as f:
        f.write(trace.generate_chrome_trace_format())

Each op is one complete event (``"ph": "X"``) on its device's row, named by its type, with its
name and input tensors as arguments (``name``, ``op``, ``input0``, ... as TF1 wrote them).
Times are microseconds from the run's first op.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from graphflow.runtime.trace import NodeExecStats, StepStats

__all__ = ["Timeline"]


class Timeline:
    """The trace-event view of one traced run's ``step_stats``."""

    def __init__(self, step_stats: StepStats, graph: Any = None) -> None:
        """``graph`` is accepted for TF1's signature and not needed: the step stats name each
        op's inputs."""
        self._step_stats = step_stats

    def generate_chrome_trace_format(self, show_dataflow: bool = True,
                                     show_memory: bool = False) -> str:
        """The trace as Chrome trace-event JSON: a ``process_name`` event per device, a
        complete event per op; ``show_dataflow`` adds a flow arrow from each op to every op
        that read one of its outputs, ``show_memory`` a counter of each op's output bytes."""
        nodes = [n for device in self._step_stats.dev_stats for n in device.node_stats]
        origin = min((n.all_start_nanos for n in nodes), default=0)
        events: list[dict[str, Any]] = []
        producers: dict[str, dict[str, Any]] = {}  # op name -> its complete event
        flow_ids = itertools.count()
        for pid, device in enumerate(self._step_stats.dev_stats):
            events.append({"name": "process_name", "ph": "M", "pid": pid,
                           "args": {"name": f"{device.device} Compute"}})
            for node in device.node_stats:
                event = _op_event(node, pid, (node.all_start_nanos - origin) / 1000)
                if show_dataflow:
                    events.extend(_flows(node, event, producers, flow_ids))
                events.append(event)
                producers[node.node_name] = event
                if show_memory:
                    events.append({"name": "output bytes", "ph": "C", "pid": pid,
                                   "ts": event["ts"] + event["dur"],
                                   "args": {"bytes": sum(o.bytes for o in node.output)}})
        return json.dumps({"traceEvents": events}, indent=1)


def _op_event(node: NodeExecStats, pid: int, ts: float) -> dict[str, Any]:
    args = {"name": node.node_name, "op": node.op_type}
    args.update({f"input{i}": name for i, name in enumerate(node.inputs)})
    return {"name": node.op_type, "cat": "Op", "ph": "X", "pid": pid, "tid": 0, "ts": ts,
            "dur": node.all_end_rel_nanos / 1000, "args": args}


def _flows(node: NodeExecStats, event: dict[str, Any], producers: dict[str, dict[str, Any]],
           ids: Iterator[int]) -> list[dict[str, Any]]:
    """A start ("s") at the producer and a finish ("f", bound to the enclosing slice) at
    ``node`` for each input that an op of this trace computed."""
    flows = []
    for tensor in node.inputs:
        source = producers.get(tensor.rsplit(":", 1)[0])
        if source is None:  # fed, constant, or a variable's reference
            continue
        flow = {"name": tensor, "cat": "DataFlow", "id": next(ids)}
        flows.append(dict(flow, ph="s", pid=source["pid"], tid=source["tid"], ts=source["ts"]))
        flows.append(dict(flow, ph="f", bp="e", pid=event["pid"], tid=event["tid"],
                          ts=event["ts"]))
    return flows
