"""tf.cond and tf.case: only the taken branch runs; values and gradients are right.

Every test runs twice: with plans as one function, and written in parts of at most two
statements (``runtime/codegen.py``), where a part must not end between two ``if`` blocks of one
cond that share a value computed in a branch."""

from __future__ import annotations

import numpy as np
import pytest

import graphflow as tf
from graphflow.runtime import codegen


@pytest.fixture(autouse=True, params=["one function", "parts of 2"])
def fresh_graph(request, monkeypatch) -> None:
    tf.reset_default_graph()
    if request.param == "parts of 2":
        monkeypatch.setattr(codegen, "PART_STATEMENTS", 2)


def test_cond_selects_the_branch_at_run_time() -> None:
    x = tf.placeholder(tf.float32, [])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.log(x) * 2.0, lambda: x * x)
    assert y.dtype == tf.float32 and y.shape.as_list() == []
    sess = tf.Session()
    assert sess.run(y, {x: 3.0, p: True}) == pytest.approx(2 * np.log(3.0))
    assert sess.run(y, {x: -3.0, p: False}) == pytest.approx(9.0)


def test_only_the_taken_branch_runs() -> None:
    counter_true = tf.Variable(0, name="counter_true")
    counter_false = tf.Variable(0, name="counter_false")
    p = tf.placeholder(tf.bool, [])
    out = tf.cond(p, lambda: tf.assign_add(counter_true, 1),
                  lambda: tf.assign_add(counter_false, 1))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for value in [True, True, False, True]:
        sess.run(out, {p: value})
    assert sess.run([counter_true, counter_false]) == [3, 1]


def test_a_failing_branch_costs_nothing_when_not_taken() -> None:
    a = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None, None])
    p = tf.placeholder(tf.bool, [])
    out = tf.cond(p, lambda: tf.matmul(a, b), lambda: a)
    sess = tf.Session()
    bad = {a: np.ones((2, 3)), b: np.ones((4, 5))}
    np.testing.assert_array_equal(sess.run(out, {**bad, p: False}), np.ones((2, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Matrix size-incompatible"):
        sess.run(out, {**bad, p: True})


def test_gradients_through_cond_match_central_differences() -> None:
    x = tf.placeholder(tf.float64, [3])
    w = tf.Variable(np.array([0.5, -1.0, 2.0]), name="w")
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.reduce_sum(tf.exp(x * w)), lambda: tf.reduce_sum(w * w * x))
    gx, gw = tf.gradients(y, [x, w])
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    xv = np.array([0.1, 0.2, -0.3])
    wv = np.array([0.5, -1.0, 2.0])
    for taken in (True, False):
        def f(xs, ws, taken=taken):
            return np.sum(np.exp(xs * ws)) if taken else np.sum(ws * ws * xs)

        expected_x = [(f(xv + e, wv) - f(xv - e, wv)) / 2e-6 for e in np.eye(3) * 1e-6]
        expected_w = [(f(xv, wv + e) - f(xv, wv - e)) / 2e-6 for e in np.eye(3) * 1e-6]
        got_x, got_w = sess.run([gx, gw], {x: xv, p: taken})
        np.testing.assert_allclose(got_x, expected_x, rtol=1e-6)
        np.testing.assert_allclose(got_w, expected_w, rtol=1e-6)


def test_captured_tensor_gets_zero_gradient_from_the_branch_not_taken() -> None:
    x = tf.placeholder(tf.float32, [])
    y = tf.cond(x > 0, lambda: x * 3.0, lambda: tf.constant(7.0))
    g = tf.gradients(y, x)[0]
    sess = tf.Session()
    assert sess.run([y, g], {x: 2.0}) == [6.0, 3.0]
    assert sess.run([y, g], {x: -2.0}) == [7.0, 0.0]


def test_nested_cond_values_and_gradients() -> None:
    x = tf.placeholder(tf.float32, [])
    p = tf.placeholder(tf.bool, [])
    q = tf.cond(p, lambda: tf.cond(x > 1, lambda: x * 10.0, lambda: x * x * 100.0),
                lambda: -x)
    g = tf.gradients(q, x)[0]
    sess = tf.Session()
    cases = [((2.0, True), 20.0, 10.0), ((0.5, True), 25.0, 100.0), ((2.0, False), -2.0, -1.0)]
    for (xv, pv), value, grad in cases:
        got = sess.run([q, g], {x: xv, p: pv})
        assert got == [pytest.approx(value), pytest.approx(grad)]


def test_cond_returns_structures() -> None:
    x = tf.placeholder(tf.float32, [])
    a, b = tf.cond(x > 0, lambda: (x, x * 2.0), lambda: (-x, x * 3.0))
    d = tf.cond(x > 0, lambda: {"v": x + 1.0}, lambda: {"v": x - 1.0})
    sess = tf.Session()
    assert sess.run([a, b, d["v"]], {x: 1.0}) == [1.0, 2.0, 2.0]
    assert sess.run([a, b, d["v"]], {x: -1.0}) == [1.0, -3.0, -2.0]


def test_case_picks_the_first_true_predicate() -> None:
    x = tf.placeholder(tf.float32, [])
    c = tf.case([(x < 0, lambda: tf.constant(-1.0)), (x < 1, lambda: tf.constant(0.5))],
                default=lambda: tf.constant(9.0))
    sess = tf.Session()
    assert [sess.run(c, {x: v}) for v in (-2.0, 0.2, 5.0)] == [-1.0, 0.5, 9.0]


def test_cond_errors() -> None:
    x = tf.placeholder(tf.float32, [])
    with pytest.raises(TypeError, match="Python bool"):
        tf.cond(True, lambda: x, lambda: x)
    with pytest.raises(TypeError, match="same type"):
        tf.cond(x > 0, lambda: x, lambda: tf.constant(1))
    with pytest.raises(ValueError, match="same number of outputs"):
        tf.cond(x > 0, lambda: (x, x), lambda: x)
    inner = []
    y = tf.cond(x > 0, lambda: inner.append(x * 2.0) or inner[0], lambda: x)
    with pytest.raises(ValueError, match="inside a tf.cond branch"):
        tf.Session().run(inner[0] + y, {x: 1.0})


def test_branch_ops_are_marked_and_named_under_the_cond_scope() -> None:
    x = tf.placeholder(tf.float32, [])
    y = tf.cond(x > 0, lambda: x * 2.0, lambda: x * 3.0)
    assert y.op.type == "Merge" and y.op.name == "cond/Merge"
    true_op = next(op for op in tf.get_default_graph().get_operations()
                   if op.name == "cond/mul")
    assert true_op.branch[1] is True
    assert x.op.branch is None
