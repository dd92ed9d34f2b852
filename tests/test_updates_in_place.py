"""Optimizer updates queued for the commit and done on the stored arrays
(``runtime/state.py``, ``_updates_in_place`` in ``runtime/plan.py``): they happen only where
nothing can see the difference, and a failed or interrupted run still changes nothing."""

from __future__ import annotations

import functools
import signal

import numpy as np
import pytest
from conftest import run_at_once

import graphflow as tf
from graphflow.ops import training_ops
from graphflow.runtime import plan as plan_module
from graphflow.runtime.state import _InterruptsHeld

SHAPE = (512, 512)  # 1 MiB of float32: over IN_PLACE_MIN_BYTES with one optimizer alone


def _model(optimizer=None):
    x = tf.placeholder(tf.float32, [None, SHAPE[0]], name="x")
    w = tf.Variable(np.full(SHAPE, 0.5, np.float32), name="w")
    cost = tf.reduce_mean(tf.square(tf.matmul(x, w)))
    train = (optimizer or tf.train.AdamOptimizer(0.1)).minimize(cost)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    feed = {x: np.linspace(-1, 1, 3 * SHAPE[0], dtype=np.float32).reshape(3, SHAPE[0])}
    return sess, w, cost, train, feed


def _stored(sess, name: str = "w") -> int:
    """The identity of the array the Session stores for ``name`` (holding the array itself
    would be a second reference, which forces the copy)."""
    return id(sess._store.values[name])


def _expected_after_steps(steps: int, in_place: bool, monkeypatch) -> np.ndarray:
    with monkeypatch.context() as patch, tf.Graph().as_default():
        patch.setattr(plan_module, "IN_PLACE_MIN_BYTES", 0 if in_place else 1 << 62)
        sess, w, _, train, feed = _model()
        for _ in range(steps):
            sess.run(train, feed)
        return sess.run(w)


def test_a_training_step_updates_the_stored_arrays_themselves() -> None:
    sess, w, cost, train, feed = _model()
    before = {name: _stored(sess, name) for name in ("w", "w/Adam", "w/Adam_1")}
    for _ in range(3):
        sess.run([train, cost], feed)
    assert {name: _stored(sess, name) for name in before} == before
    assert not sess._store.deferred and not sess._store.pending


def test_in_place_and_on_copies_give_the_same_values(monkeypatch) -> None:
    np.testing.assert_array_equal(_expected_after_steps(3, True, monkeypatch),
                                  _expected_after_steps(3, False, monkeypatch))


def test_an_array_referenced_elsewhere_is_updated_in_a_copy() -> None:
    sess, w, _, train, feed = _model()
    held = sess._store.values["w"]  # as a kernel or a caller's view of it might
    snapshot = held.copy()
    sess.run(train, feed)
    np.testing.assert_array_equal(held, snapshot)  # what was handed out never changes
    assert sess._store.values["w"] is not held
    assert not np.array_equal(sess.run(w), snapshot)


@pytest.mark.parametrize("case", ["fetched output", "small run", "check_numerics",
                                  "traced"])
def test_updates_whose_result_is_seen_run_at_once_on_copies(case: str) -> None:
    if case == "small run":  # updates of less than IN_PLACE_MIN_BYTES in all
        sess, w, _, train, feed = _model()
        with sess.graph.as_default():
            small = tf.Variable(np.ones(3, np.float32), name="small")
            fetch = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(small * small))
        sess.run(small.initializer)
        name = "small"
    else:
        sess, w, _, train, feed = _model(tf.train.GradientDescentOptimizer(0.1))
        fetch, name = train, "w"
        if case == "fetched output":  # the update op's output: the new value, in this run
            fetch = sess.graph.get_operation_by_name(
                "GradientDescent/update_w/ApplyGradientDescent").outputs[0]
    options = {"check_numerics": tf.RunOptions(check_numerics=True),
               "traced": tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)}.get(case)
    before = _stored(sess, name)
    old = sess.run(tf.identity(sess.graph.get_tensor_by_name(f"{name}:0")))
    result = sess.run(fetch, feed, options=options, run_metadata=tf.RunMetadata())
    assert _stored(sess, name) != before
    new = sess.run(sess.graph.get_tensor_by_name(f"{name}:0"))
    assert not np.array_equal(new, old)
    if case == "fetched output":
        np.testing.assert_array_equal(result, new)


def test_check_numerics_names_an_update_that_makes_nan() -> None:
    sess, w, cost, train, feed = _model(tf.train.GradientDescentOptimizer(np.float32(np.inf)))
    before = sess.run(w)
    with pytest.raises(tf.errors.InvalidArgumentError, match="ApplyGradientDescent"):
        sess.run(train, feed, options=tf.RunOptions(check_numerics=True))
    np.testing.assert_array_equal(sess.run(w), before)


def test_a_failed_run_queues_nothing_for_later(monkeypatch) -> None:
    sess, w, cost, train, feed = _model()
    with sess.graph.as_default():
        a = tf.placeholder(tf.float32, [None, None])
        bad = tf.matmul(a, a)  # fails for a non-square a, after the update was queued
    before = sess.run(w)
    with pytest.raises(tf.errors.InvalidArgumentError):
        sess.run([train, bad], {**feed, a: np.ones((2, 3), np.float32)})
    np.testing.assert_array_equal(sess.run(w), before)
    assert not sess._store.deferred
    sess.run(train, feed)  # one step, not two
    np.testing.assert_array_equal(sess.run(w), _expected_after_steps(1, True, monkeypatch))


def test_a_commit_that_cannot_allocate_changes_nothing(monkeypatch) -> None:
    sess, w, cost, train, feed = _model()
    before = sess.run(w)

    def no_memory(*_: object) -> None:
        raise MemoryError

    monkeypatch.setattr(sess._store, "scratch", no_memory)
    with pytest.raises(MemoryError):
        sess.run(train, feed)
    monkeypatch.undo()
    np.testing.assert_array_equal(sess.run(w), before)
    assert not sess._store.deferred and not sess._store.pending


def test_ctrl_c_during_the_commit_waits_until_every_update_is_done(monkeypatch) -> None:
    expected = _expected_after_steps(1, True, monkeypatch)
    sess, w, cost, train, feed = _model()
    update = training_ops.ApplyAdam.update

    @functools.wraps(update)  # the signature, which names the op's inputs in messages
    def interrupted(self, arrays, scratch, *args):
        signal.raise_signal(signal.SIGINT)  # Ctrl-C half-way through the commit
        update(self, arrays, scratch, *args)

    monkeypatch.setattr(training_ops.ApplyAdam, "update", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sess.run(train, feed)
    monkeypatch.undo()
    np.testing.assert_array_equal(sess.run(w), expected)  # the whole step, not part of it
    for slot in ("w/Adam", "w/Adam_1"):
        assert np.isfinite(sess._store.values[slot]).all()


def test_held_interrupts_arrive_once_the_block_ends() -> None:
    events = []
    with pytest.raises(KeyboardInterrupt):
        with _InterruptsHeld():
            signal.raise_signal(signal.SIGINT)
            events.append("finished")
    assert events == ["finished"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_concurrent_training_loses_no_step_and_tears_no_value() -> None:
    """Updates done in place still commit under the Session's lock: four threads of training
    and a reader see whole steps only, and a value once fetched never changes."""
    import threading

    size = 200_000  # 1.6 MB of float64: updated in place
    w = tf.Variable(np.zeros(size), name="w")
    train = tf.train.GradientDescentOptimizer(1.0).minimize(tf.reduce_sum(w))  # w -= 1
    sess = tf.Session()
    sess.run(w.initializer)
    threads, runs = 4, 100
    problems: list = []
    start = threading.Barrier(threads + 2)

    def step() -> None:
        start.wait()
        for _ in range(runs):
            sess.run(train)

    def observe() -> None:
        start.wait()
        kept = []
        for _ in range(runs):
            seen = sess.run(w)
            if not np.all(seen == seen[0]):  # a torn value: part of a step
                problems.append(seen)
            kept.append((seen, seen[0]))
        problems.extend(value for value, first in kept if not np.all(value == first))

    run_at_once([step] * threads + [observe], start)
    assert problems == []
    np.testing.assert_array_equal(sess.run(w), np.full(size, -float(threads * runs)))
