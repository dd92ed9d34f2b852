"""Plan-time rewrites (graphflow/runtime/rewrite.py): what they remove from a run, and that
every value and effect stays as it was."""

from __future__ import annotations

import numpy as np
import pytest

import graphflow as tf
from graphflow.framework.errors import InvalidArgumentError
from graphflow.runtime import rewrite


@pytest.fixture(autouse=True)
def fresh_graph() -> None:
    tf.reset_default_graph()


def plan_of(sess: tf.Session, fetches: object, feed_dict: dict | None = None):
    """The plan the session compiled for the last distinct run."""
    sess.run(fetches, feed_dict)
    return list(sess._plans.values())[-1][0]


def ran(plan) -> list[str]:
    return [op.name for op in plan.ops]


def test_constant_subexpressions_are_folded_once() -> None:
    x = tf.placeholder(tf.float32, [None], name="x")
    scale = tf.multiply(tf.constant(2.0), tf.constant(3.0), name="scale")
    y = tf.multiply(x, scale, name="y")
    sess = tf.Session()
    plan = plan_of(sess, y, {x: [1.0, 2.0]})
    assert ran(plan) == ["y"]
    assert "scale:0" in [t.name for t in plan.constants]
    np.testing.assert_array_equal(sess.run(y, {x: [1.0, 2.0]}), np.float32([6.0, 12.0]))


def test_fetching_a_folded_value_returns_a_copy_the_caller_may_change() -> None:
    scale = tf.add(tf.constant([1.0, 2.0]), 1.0, name="scale")
    sess = tf.Session()
    first = sess.run(scale)
    first[0] = 100.0
    np.testing.assert_array_equal(sess.run(scale), [2.0, 3.0])


def test_shapes_known_statically_become_constants_and_their_source_is_not_run() -> None:
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    y = tf.exp(x, name="y")
    shape, size, rank = tf.shape(y), tf.size(y), tf.rank(y)
    sess = tf.Session()
    plan = plan_of(sess, [shape, size, rank], {x: np.ones((2, 3))})
    assert ran(plan) == []  # y's value is never needed
    got = sess.run([shape, size, rank], {x: np.ones((2, 3))})
    np.testing.assert_array_equal(got[0], [2, 3])
    assert got[0].dtype == np.int32 and got[1] == 6 and got[2] == 2


def test_shapes_with_unknown_dimensions_are_computed_at_run_time() -> None:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    shape = tf.shape(x, name="shape")
    sess = tf.Session()
    assert ran(plan_of(sess, shape, {x: np.ones((5, 3))})) == ["shape"]
    np.testing.assert_array_equal(sess.run(shape, {x: np.ones((4, 3))}), [4, 3])


def test_identities_forward_their_input_but_variable_reads_still_read() -> None:
    x = tf.placeholder(tf.float32, [2], name="x")
    w = tf.Variable([1.0, 2.0], name="w")
    y = tf.identity(tf.stop_gradient(x * w, name="stop"), name="same")
    z = tf.cast(y, tf.float32, name="cast") + tf.reshape(y, [2], name="reshape")
    sess = tf.Session()
    sess.run(w.initializer)
    plan = plan_of(sess, z, {x: [3.0, 4.0]})
    assert ran(plan) == ["w", "w/read", "mul", "add"]
    np.testing.assert_array_equal(sess.run(z, {x: [3.0, 4.0]}), [6.0, 16.0])


def test_repeated_subexpressions_are_computed_once() -> None:
    x = tf.placeholder(tf.float32, [None], name="x")
    a = tf.exp(x, name="a")
    b = tf.exp(x, name="b")
    c = tf.exp(x * 2.0, name="c")  # another input: not the same
    total = a + b + c
    sess = tf.Session()
    plan = plan_of(sess, total, {x: [0.5]})
    assert "b" not in ran(plan) and {"a", "c"} <= set(ran(plan))
    np.testing.assert_allclose(sess.run([total, b], {x: [0.5]}),
                               [[2 * np.exp(0.5) + np.exp(1.0)], [np.exp(0.5)]], rtol=1e-6)


def test_ops_with_different_attributes_are_not_merged() -> None:
    x = tf.placeholder(tf.float32, [2, 3])
    sums = [tf.reduce_sum(x, axis=0), tf.reduce_sum(x, axis=0, keepdims=True)]
    sess = tf.Session()
    value = np.arange(6, dtype=np.float32).reshape(2, 3)
    got = sess.run(sums, {x: value})
    assert got[0].shape == (3,) and got[1].shape == (1, 3)


def test_stateful_ops_with_constant_inputs_are_never_folded_or_merged() -> None:
    draws = [tf.random_uniform([3], seed=1), tf.random_uniform([3], seed=1)]
    counter = tf.Variable(0, name="counter")
    increment = tf.assign_add(counter, tf.constant(1))
    sess = tf.Session()
    sess.run(counter.initializer)
    first, second = sess.run(draws), sess.run(draws)
    assert not np.array_equal(first[0], second[0])  # a new draw on every run
    for _ in range(3):
        sess.run(increment)
    assert sess.run(counter) == 3


def test_no_ops_are_dropped_but_what_they_group_runs() -> None:
    v = tf.Variable(1.0)
    step = tf.group(tf.assign_add(v, 1.0), tf.assign_add(v, 10.0), name="step")
    sess = tf.Session()
    sess.run(v.initializer)
    plan = plan_of(sess, step)
    assert "step" not in ran(plan)
    assert sess.run(step) is None
    assert sess.run(v) == 23.0  # both updates ran in each of the two runs


def test_control_dependencies_of_removed_identities_still_run() -> None:
    v = tf.Variable(0.0)
    x = tf.placeholder(tf.float32, [])
    with tf.control_dependencies([tf.assign_add(v, 1.0)]):
        y = tf.identity(x)
    sess = tf.Session()
    sess.run(v.initializer)
    assert sess.run(y, {x: 5.0}) == 5.0
    assert sess.run(v) == 1.0


def test_a_fold_that_fails_is_left_to_fail_at_run_time_naming_the_op() -> None:
    bad = tf.floordiv(tf.constant(1), tf.constant(0), name="bad")
    sess = tf.Session()
    with pytest.raises(InvalidArgumentError, match="bad"):
        sess.run(bad)


def test_large_folded_values_are_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rewrite, "MAX_FOLDED_BYTES", 64)
    big = tf.multiply(tf.ones([100]), 2.0, name="big")
    small = tf.multiply(tf.ones([4]), 2.0, name="small")
    sess = tf.Session()
    plan = plan_of(sess, [big, small])
    assert ran(plan) == ["big"]
    np.testing.assert_array_equal(sess.run(big), np.full(100, 2.0, np.float32))


def test_the_check_numerics_plan_checks_constant_subexpressions_too() -> None:
    nan = tf.log(tf.constant(-1.0), name="log_of_negative")
    sess = tf.Session()
    assert np.isnan(sess.run(nan))
    with pytest.raises(InvalidArgumentError, match="log_of_negative"):
        sess.run(nan, options=tf.RunOptions(check_numerics=True))


def test_rewrites_keep_a_training_step_exactly_as_numpy_computes_it() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 1])
    w = tf.Variable(np.float32([[0.1], [0.2], [0.3]]))
    b = tf.Variable(np.float32([0.5]))
    cost = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    xs = np.float32([[1, 2, 3], [4, 5, 6]])
    ys = np.float32([[1], [2]])
    sess.run(train, {x: xs, y: ys})
    error = xs @ np.float32([[0.1], [0.2], [0.3]]) + 0.5 - ys
    grad = 2 * error / len(xs)
    np.testing.assert_allclose(sess.run(w), [[0.1], [0.2], [0.3]] - 0.1 * xs.T @ grad,
                               rtol=1e-6)
    np.testing.assert_allclose(sess.run(b), 0.5 - 0.1 * grad.sum(0), rtol=1e-6)
