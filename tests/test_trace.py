"""Per-op tracing: ``Session.run(..., options=tf.RunOptions(trace_level=FULL_TRACE),
run_metadata=md)`` fills ``md`` with each executed op's time and outputs, and the timeline
writes it as a Chrome trace."""

from __future__ import annotations

import json

import numpy as np
import pytest

import graphflow as tf
from graphflow.client import timeline
from graphflow.runtime.trace import (
    DeviceStepStats,
    NodeExecStats,
    RunMetadata,
    StepStats,
    TensorOutput,
)

FULL = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)


def linear_model() -> dict:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    W = tf.Variable(np.array([[0.5], [-1.0], [2.0]], np.float32), name="W")
    b = tf.Variable(np.array([0.25], np.float32), name="b")
    hypothesis = tf.matmul(x, W, name="hypothesis") + b
    cost = tf.reduce_mean(tf.square(hypothesis - y), name="cost")
    train = tf.train.GradientDescentOptimizer(0.05).minimize(cost)
    feed = {x: np.arange(12, dtype=np.float32).reshape(4, 3) / 10,
            y: np.array([[1.0], [2.0], [3.0], [4.0]], np.float32)}
    return dict(x=x, y=y, W=W, b=b, hypothesis=hypothesis, cost=cost, train=train, feed=feed)


def traced_training_step() -> tuple[tf.Session, RunMetadata]:
    """A Session that ran one traced training step of ``linear_model``, and its metadata."""
    m = linear_model()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    md = tf.RunMetadata()
    sess.run(m["train"], m["feed"], options=FULL, run_metadata=md)
    return sess, md


def traced_plan(sess: tf.Session):
    """The one plan of ``sess`` compiled for a traced run."""
    plans = [plan for signature, (plan, _) in sess._plans.items() if signature[-1]]
    assert len(plans) == 1
    return plans[0]


def test_one_record_per_executed_kernel_in_execution_order() -> None:
    sess, md = traced_training_step()
    plan = traced_plan(sess)
    names = [node.node_name for node in md.node_stats()]
    assert names == [op.name for op in plan.ops]  # each op the plan runs is one kernel call
    assert {"hypothesis", "gradients/hypothesis_grad/MatMul_1",
            "GradientDescent/update_W/ApplyGradientDescent"} <= set(names)
    assert not any(op.type == "Const" for op in plan.traced)
    assert len(md.step_stats.dev_stats) == 1
    nodes = md.node_stats()
    assert all(node.all_end_rel_nanos > 0 and node.micros > 0 for node in nodes)
    for earlier, later in zip(nodes, nodes[1:]):  # one after the other, never overlapping
        assert later.all_start_nanos >= earlier.all_start_nanos + earlier.all_end_rel_nanos
    assert md.op_micros() == {node.node_name: node.micros for node in nodes}
    by_name = {node.node_name: node for node in nodes}
    assert by_name["hypothesis"].op_type == "MatMul"
    assert by_name["hypothesis"].inputs == ["x:0", "W/read:0"]
    assert by_name["hypothesis"].timeline_label == "hypothesis = MatMul(x:0, W/read:0)"


def test_outputs_have_the_dtype_shape_and_size_of_the_fetched_values() -> None:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    doubled = tf.multiply(x, 2.0, name="doubled")
    rows = tf.reduce_sum(doubled, axis=1, name="rows")
    shape = tf.shape(doubled, name="shape")
    first, second = tf.unstack(tf.cast(doubled[:2], tf.float64), num=2, name="split")
    sess = tf.Session()
    md = tf.RunMetadata()
    fetches = [doubled, rows, shape, first, second]
    values = sess.run(fetches, {x: np.ones((5, 3))}, options=FULL, run_metadata=md)
    by_name = {node.node_name: node for node in md.node_stats()}
    for tensor, value in zip(fetches, values):
        output = next(o for o in by_name[tensor.op.name].output if o.slot == tensor.value_index)
        assert (output.dtype, output.shape, output.bytes) == (value.dtype.name, value.shape,
                                                              value.nbytes), tensor.name
    assert by_name["shape"].output == [TensorOutput(0, "int32", (2,), 8)]
    assert [o.slot for o in by_name["split"].output] == [0, 1]
    assert by_name["split"].output[1] == TensorOutput(1, "float64", (3,), 24)


def synthetic(times: dict[str, float]) -> RunMetadata:
    """A RunMetadata holding ops of the given microseconds, in the given order."""
    md = RunMetadata()
    nodes = [NodeExecStats(name, "Add", 1000 * i, int(1000 * micros),
                           [TensorOutput(0, "float32", (2, 2), 16)])
             for i, (name, micros) in enumerate(times.items())]
    md.step_stats = StepStats([DeviceStepStats(node_stats=nodes)])
    return md


def table_rows(table: str) -> list[list[str]]:
    lines = table.split("\n")
    return [line.split() for line in lines[1:] if not line.startswith(("...", "total"))]


def test_profile_table_is_sorted_by_time_and_shares_add_up() -> None:
    md = synthetic({"cheap": 2.0, "dear": 60.0, "middle": 18.0, "cheaper": 1.0})
    table = md.profile_table()
    assert table.split("\n")[0].split() == ["op", "type", "µs", "share", "outputs"]
    rows = table_rows(table)
    assert [row[0] for row in rows] == ["dear", "middle", "cheap", "cheaper"]
    assert [row[2] for row in rows] == ["60.0", "18.0", "2.0", "1.0"]
    assert [row[3] for row in rows] == ["74.1%", "22.2%", "2.5%", "1.2%"]
    assert rows[0][4:] == ["float32[2,", "2]", "16", "B"]
    assert table.split("\n")[-1].startswith("total 81.0 µs in 4 ops")


def test_profile_table_top_keeps_the_most_expensive_and_counts_the_rest() -> None:
    md = synthetic({"a": 3.0, "b": 9.0, "c": 1.0, "d": 5.0, "e": 7.0})
    lines = md.profile_table(top=2).split("\n")
    assert [row[0] for row in table_rows("\n".join(lines))] == ["b", "e"]
    assert lines[-2] == "... 3 more ops"
    assert lines[-1].startswith("total 25.0 µs in 5 ops")  # the total counts every op
    assert md.profile_table(top=0).split("\n")[1] == "... 5 more ops"
    assert "more ops" not in md.profile_table(top=5)
    with pytest.raises(ValueError, match="top"):
        md.profile_table(top=-1)
    assert "No trace" in RunMetadata().profile_table()


def test_profile_table_of_a_real_run_is_sorted() -> None:
    sess, md = traced_training_step()
    micros = [float(row[2].replace(",", "")) for row in table_rows(md.profile_table())]
    assert len(micros) == len(md.node_stats())
    assert micros == sorted(micros, reverse=True)


@pytest.mark.parametrize("taken", [True, False])
def test_ops_of_a_cond_branch_appear_only_when_it_is_taken(taken: bool) -> None:
    p = tf.placeholder(tf.bool, [], name="p")
    x = tf.placeholder(tf.float32, [3], name="x")
    out = tf.cond(p, lambda: tf.sin(x, name="yes"), lambda: tf.cos(x, name="no"))
    md = tf.RunMetadata()
    value = tf.Session().run(out, {p: taken, x: [1.0, 2.0, 3.0]}, options=FULL,
                             run_metadata=md)
    np.testing.assert_allclose(value, (np.sin if taken else np.cos)([1.0, 2.0, 3.0]), 1e-6)
    assert [node.node_name for node in md.node_stats()] == ["cond/yes" if taken else "cond/no"]


@pytest.mark.parametrize("level", [tf.RunOptions.SOFTWARE_TRACE, tf.RunOptions.HARDWARE_TRACE,
                                   tf.RunOptions.FULL_TRACE])
def test_traced_training_gives_the_same_results_and_updates_as_untraced(level: int) -> None:
    m = linear_model()
    plain, traced = tf.Session(), tf.Session()
    init = tf.global_variables_initializer()
    plain.run(init)
    traced.run(init)
    md = tf.RunMetadata()
    for _ in range(5):
        expected = plain.run([m["cost"], m["train"]], m["feed"])
        got = traced.run([m["cost"], m["train"]], m["feed"],
                         options=tf.RunOptions(trace_level=level), run_metadata=md)
        assert got[0] == expected[0] and got[1] is None
    for variable in (m["W"], m["b"]):
        np.testing.assert_array_equal(traced.run(variable), plain.run(variable))
    assert not np.array_equal(plain.run(m["W"]), [[0.5], [-1.0], [2.0]])  # it did train
    assert md.node_stats()


@pytest.mark.parametrize("options", [None, FULL])
def test_failed_traced_run_changes_no_variable_and_raises_like_an_untraced_one(options) -> None:
    a = tf.placeholder(tf.float32, [None, None], name="a")
    counter = tf.Variable(1.0, name="counter")
    bump = tf.assign_add(counter, 1.0)
    with tf.control_dependencies([bump]):
        product = tf.matmul(a, a, name="product")  # fails for a non-square a
    sess = tf.Session()
    sess.run(counter.initializer)
    md = tf.RunMetadata()
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(product, {a: np.ones((2, 3))}, options=options, run_metadata=md)
    assert info.value.op is product.op
    assert "product" in info.value.message
    assert sess.run(counter) == 1.0
    np.testing.assert_array_equal(
        sess.run(product, {a: np.ones((2, 2))}, options=options, run_metadata=md), 2.0)
    assert sess.run(counter) == 2.0


def test_full_trace_without_run_metadata_runs_the_ordinary_plan() -> None:
    m = linear_model()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    expected = sess.run(m["cost"], m["feed"])
    assert sess.run(m["cost"], m["feed"], options=FULL, run_metadata=None) == expected
    assert all(not plan.traced for plan, _ in sess._plans.values())
    md = tf.RunMetadata()
    sess.run(m["cost"], m["feed"], options=tf.RunOptions(), run_metadata=md)
    sess.run(m["cost"], m["feed"], run_metadata=md)
    assert md.node_stats() == []


@pytest.mark.parametrize("level", [4, -1, "FULL_TRACE", None])
def test_unknown_trace_level_is_value_error(level) -> None:
    with pytest.raises(ValueError, match="trace_level"):
        tf.RunOptions(trace_level=level)


def test_a_second_traced_run_replaces_the_figures() -> None:
    x = tf.placeholder(tf.float32, [None, None], name="x")
    square = tf.matmul(x, x, name="square")
    total = tf.reduce_sum(square, name="total")
    sess = tf.Session()
    md = tf.RunMetadata()
    sess.run(total, {x: np.ones((64, 64))}, options=FULL, run_metadata=md)
    first = md.node_stats()
    sess.run(total, {x: np.ones((2, 2))}, options=FULL, run_metadata=md)
    second = md.node_stats()
    assert [n.node_name for n in second] == [n.node_name for n in first] == ["square", "total"]
    assert second[0].output[0].shape == (2, 2) and first[0].output[0].shape == (64, 64)
    assert second[0].all_start_nanos > first[-1].all_start_nanos


def test_timeline_is_a_chrome_trace_with_one_complete_event_per_op() -> None:
    sess, md = traced_training_step()
    trace = json.loads(timeline.Timeline(md.step_stats).generate_chrome_trace_format())
    events = trace["traceEvents"]
    ops = [e for e in events if e["ph"] == "X"]
    nodes = md.node_stats()
    assert [e["args"]["name"] for e in ops] == [n.node_name for n in nodes]
    assert [e["name"] for e in ops] == [e["args"]["op"] for e in ops] == [n.op_type for n in nodes]
    assert all(e["dur"] >= 0 and e["ts"] >= 0 for e in ops)
    assert ops[0]["ts"] == 0  # microseconds from the run's first op
    for event, node in zip(ops, nodes):
        assert event["dur"] == pytest.approx(node.micros)
        assert event["ts"] == pytest.approx((node.all_start_nanos - nodes[0].all_start_nanos)
                                            / 1000)
        inputs = [value for key, value in sorted(event["args"].items()) if key.startswith("input")]
        assert inputs == node.inputs
        assert (event["pid"], event["tid"]) == (0, 0)
    assert {"name": "process_name", "ph": "M", "pid": 0,
            "args": {"name": f"{md.step_stats.dev_stats[0].device} Compute"}} in events


def test_timeline_dataflow_arrows_join_producers_to_consumers() -> None:
    x = tf.placeholder(tf.float32, [3], name="x")
    s = tf.sin(x, name="s")
    total = tf.add(s, tf.cos(s, name="c"), name="total")
    md = tf.RunMetadata()
    tf.Session().run(total, {x: [1.0, 2.0, 3.0]}, options=FULL, run_metadata=md)
    tl = timeline.Timeline(step_stats=md.step_stats)
    events = json.loads(tl.generate_chrome_trace_format())["traceEvents"]
    start = {e["args"]["name"]: e["ts"] for e in events if e["ph"] == "X"}
    starts = {e["id"]: e for e in events if e["ph"] == "s"}
    finishes = {e["id"]: e for e in events if e["ph"] == "f"}
    assert starts.keys() == finishes.keys() and len(starts) == 3  # s->c, s->total, c->total
    arrows = sorted((starts[i]["name"], starts[i]["ts"], finishes[i]["ts"]) for i in starts)
    assert arrows == sorted([("s:0", start["s"], start["c"]), ("s:0", start["s"], start["total"]),
                             ("c:0", start["c"], start["total"])])
    assert all(e["bp"] == "e" and e["cat"] == "DataFlow" for e in finishes.values())
    quiet = json.loads(tl.generate_chrome_trace_format(show_dataflow=False))["traceEvents"]
    assert not [e for e in quiet if e["ph"] in "sf"]
    assert len([e for e in quiet if e["ph"] == "X"]) == 3
    memory = json.loads(tl.generate_chrome_trace_format(show_memory=True))["traceEvents"]
    counters = [e for e in memory if e["ph"] == "C"]
    assert [c["args"]["bytes"] for c in counters] == [12, 12, 12]


def test_timeline_is_reachable_as_tf1_programs_reach_it() -> None:
    import graphflow.client.timeline as module

    assert tf.client.timeline is module is timeline
    assert tf.compat.v1.client.timeline is module
    assert json.loads(timeline.Timeline(RunMetadata().step_stats)
                      .generate_chrome_trace_format()) == {"traceEvents": []}
