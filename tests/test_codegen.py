"""Long plans are written as several functions (``runtime/codegen.py``): they compute what one
function computes, name a failing op, trace, check numerics and free values as one does.

``PART_STATEMENTS`` is lowered here so that small graphs take the multi-part path; the whole
suite also passes with it set to 2.
"""

from __future__ import annotations

import numpy as np
import pytest

import graphflow as tf
from graphflow.runtime import codegen


@pytest.fixture
def short_parts(monkeypatch):
    monkeypatch.setattr(codegen, "PART_STATEMENTS", 3)


def _plan(sess):
    *_, (plan, _) = sess._plans.values()
    return plan


def _chain(x, length: int):
    """x, then alternately times 1.01 and tanh: ``length`` ops."""
    values = [x]
    for i in range(length):
        values.append(tf.tanh(values[-1]) if i % 2 else values[-1] * 1.01)
    return values


def _numpy_chain(x: np.ndarray, length: int) -> list[np.ndarray]:
    values = [x]
    for i in range(length):
        values.append(np.tanh(values[-1]) if i % 2 else values[-1] * 1.01)
    return values


def test_a_long_plan_runs_as_parts_and_computes_what_numpy_does(short_parts) -> None:
    x = tf.placeholder(tf.float64, [4], name="x")
    values = _chain(x, 20)
    grad = tf.gradients(tf.reduce_sum(values[-1]), x)[0]
    scale = tf.constant(2.0, tf.float64)
    xv = np.array([0.5, -1.0, 0.25, 2.0])
    sess = tf.Session()
    # fetched: a value from an early part, the last value, its gradient, the feed, a constant
    got = sess.run([values[3], values[-1], grad, x, scale], {x: xv})
    plan = _plan(sess)
    assert "def _part1(_v):" in plan.source and "_part1(_v)" in plan.source
    expected = _numpy_chain(xv, 20)
    np.testing.assert_allclose(got[0], expected[3], rtol=1e-12)
    np.testing.assert_allclose(got[1], expected[-1], rtol=1e-12)
    central = [(_numpy_chain(xv + e, 20)[-1].sum() - _numpy_chain(xv - e, 20)[-1].sum()) / 2e-6
               for e in np.eye(4) * 1e-6]
    np.testing.assert_allclose(got[2], central, rtol=1e-6)
    np.testing.assert_array_equal(got[3], xv)
    assert got[4] == 2.0


def test_each_part_holds_a_bounded_number_of_statements(short_parts) -> None:
    x = tf.placeholder(tf.float32, [3])
    y = _chain(x, 30)[-1]
    sess = tf.Session()
    sess.run(y, {x: np.ones(3, np.float32)})
    source = _plan(sess).source
    parts = source.split("\ndef ")[:-1]  # the last function is run_plan
    assert len(parts) == 10
    for part in parts:
        assert sum(" = k" in line for line in part.splitlines()) <= 3


def test_a_value_crossing_parts_is_released_after_its_last_use(short_parts) -> None:
    x = tf.placeholder(tf.float32, [3])
    early = x * 2.0  # used once more, far down the chain
    y = _chain(early, 12)[-1] + early
    sess = tf.Session()
    np.testing.assert_allclose(sess.run(y, {x: np.ones(3, np.float32)}),
                               _numpy_chain(np.full(3, 2.0), 12)[-1] + 2.0, rtol=1e-6)
    source = _plan(sess).source
    last_part = source.split("\ndef _part")[-1]
    # loaded from the list in the part that last uses it, and the list's reference dropped
    load = next(line for line in last_part.splitlines() if "= _v[" in line)
    slot = load.split("= ")[1].rstrip(",").split(", ")[-1]
    assert f"{slot} = None" in last_part


def test_a_failing_op_in_a_later_part_is_named(short_parts) -> None:
    a = tf.placeholder(tf.float32, [None, None], name="a")
    b = _chain(a, 9)[-1]
    product = tf.matmul(b, b, name="product")
    sess = tf.Session()
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(product, {a: np.ones((2, 3), np.float32)})
    assert info.value.op is product.op
    assert "_part3" in _plan(sess).source


def test_values_two_merges_of_one_cond_share_stay_in_one_part(short_parts) -> None:
    x = tf.placeholder(tf.float64, [3])
    w = tf.Variable(np.array([0.5, -1.0, 2.0]))
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.reduce_sum(tf.exp(x * w)), lambda: tf.reduce_sum(w * w * x))
    gx, gw = tf.gradients(y, [x, w])  # the cond's gradient: Merges sharing branch values
    sess = tf.Session()
    sess.run(w.initializer)
    xv, wv = np.array([0.1, 0.2, -0.3]), np.array([0.5, -1.0, 2.0])
    for taken, expected_x, expected_w in ((True, wv * np.exp(xv * wv), xv * np.exp(xv * wv)),
                                          (False, wv * wv, 2 * wv * xv)):
        got_x, got_w = sess.run([gx, gw], {x: xv, p: taken})
        np.testing.assert_allclose(got_x, expected_x, rtol=1e-12)
        np.testing.assert_allclose(got_w, expected_w, rtol=1e-12)
    assert "def _part1" in _plan(sess).source


def test_a_traced_long_plan_records_every_op(short_parts) -> None:
    x = tf.placeholder(tf.float32, [3])
    y = _chain(x, 10)[-1]
    sess = tf.Session()
    md = tf.RunMetadata()
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    sess.run(y, {x: np.ones(3, np.float32)}, options=options, run_metadata=md)
    plan = next(plan for plan, _ in sess._plans.values() if plan.traced)
    assert "def _part1(_v, _record):" in plan.source
    assert [node.node_name for node in md.node_stats()] == [op.name for op in plan.ops]


def test_check_numerics_names_the_op_in_a_later_part(short_parts) -> None:
    x = tf.placeholder(tf.float32, [2])
    y = _chain(x, 8)[-1]
    bad = tf.log(y - 10.0, name="bad_log")
    sess = tf.Session()
    options = tf.RunOptions(check_numerics=True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad_log") as info:
        sess.run(bad, {x: np.ones(2, np.float32)}, options=options)
    assert info.value.op is bad.op


def test_variables_update_and_failed_runs_roll_back_across_parts(short_parts) -> None:
    x = tf.placeholder(tf.float32, [None, None])
    w = tf.Variable(np.ones((2, 2), np.float32))
    cost = tf.reduce_sum(tf.matmul(_chain(x, 6)[-1], w))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
    sess = tf.Session()
    sess.run(w.initializer)
    xv = np.full((3, 2), 0.5, np.float32)
    sess.run(train, {x: xv})
    column = _numpy_chain(xv, 6)[-1].sum(axis=0)
    np.testing.assert_allclose(sess.run(w), 1.0 - 0.1 * column[:, None] * np.ones((1, 2)),
                               rtol=1e-6)
    before = sess.run(w)
    with pytest.raises(tf.errors.InvalidArgumentError):
        sess.run(train, {x: np.ones((3, 3), np.float32)})  # [3, 3] @ [2, 2] fails late
    np.testing.assert_array_equal(sess.run(w), before)


# -- the execution order -------------------------------------------------------------------
def _models() -> list:
    """Graphs with data and control edges, fed tensors and a cond: (fetches, fed tensors)."""
    cases = []
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        w = tf.Variable(np.ones((4, 3), np.float32))
        cost = tf.reduce_mean(tf.square(tf.nn.relu(tf.matmul(x, w)) - 1.0))
        train = tf.train.AdamOptimizer(0.1).minimize(cost)
        with tf.control_dependencies([train]):
            after = tf.identity(w)
        cases.append(([train, cost, after], {x}))
        hidden = tf.matmul(x, w)
        cases.append(([cost], {hidden}))  # a fed intermediate cuts the graph there
    with tf.Graph().as_default():
        p = tf.placeholder(tf.bool, [])
        x = tf.placeholder(tf.float64, [3])
        y = tf.cond(p, lambda: tf.reduce_sum(tf.exp(x)), lambda: tf.reduce_sum(x * x))
        cases.append((tf.gradients(y, x) + [y], {p, x}))
    return cases


@pytest.mark.parametrize("case", range(3))
def test_execution_order_is_networkx_lexicographic_topological_order(case: int) -> None:
    """The plan's order is the topological order that runs the earliest-built ready op first:
    what networkx's lexicographical_topological_sort gives on the same edges."""
    import networkx as nx

    from graphflow.runtime.plan import _execution_order, needed_ops

    fetches, fed = _models()[case]
    needed = needed_ops(list(fetches), fed)
    order, _ = _execution_order(needed, fed)
    digraph = nx.DiGraph()
    digraph.add_nodes_from(needed)
    digraph.add_edges_from((t.op, op) for op in needed for t in op.inputs
                           if t not in fed and t.op in digraph)
    digraph.add_edges_from((c, op) for op in needed for c in op.control_inputs)
    assert order == list(nx.lexicographical_topological_sort(digraph, key=lambda op: op._id))


def test_running_a_graph_does_not_import_networkx() -> None:
    """networkx serves ``Graph.to_networkx`` only: importing it took about 80 ms, which every
    program's first run paid when it ordered its plan."""
    import subprocess
    import sys

    code = ("import sys, numpy as np, graphflow as tf\n"
            "w = tf.Variable(np.ones(3, np.float32))\n"
            "train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(w * w))\n"
            "sess = tf.Session(); sess.run(tf.global_variables_initializer()); sess.run(train)\n"
            "assert 'networkx' not in sys.modules, 'networkx was imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True)
