"""Robustness: graph size is no limit (a chain of 20,000 ops builds, runs, differentiates and
renders without recursion), one Session may be run from several threads, and random shapes and
values either agree with NumPy or raise the documented error class, never another exception."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from conftest import HYPOTHESIS_SETTINGS, run_at_once
from hypothesis import given
from hypothesis import strategies as st

import graphflow as tf
import graphflow.viz

CHAIN = 20_000
InvalidArgumentError = tf.errors.InvalidArgumentError


# -- a chain of 20,000 ops -----------------------------------------------------------------
@pytest.fixture(scope="module")
def chain() -> tuple:
    """x -> sin -> *0.999 -> sin -> ... (20,000 ops) in a graph of its own."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, [3], name="x")
        y = x
        for i in range(CHAIN):
            y = tf.sin(y) if i % 2 == 0 else y * 0.999
    return graph, x, y


def _numpy_chain(value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The chain's value and its derivative (forward mode), computed with NumPy."""
    derivative = np.ones_like(value)
    for i in range(CHAIN):
        if i % 2 == 0:
            derivative = derivative * np.cos(value)
            value = np.sin(value)
        else:
            derivative, value = derivative * 0.999, value * 0.999
    return value, derivative


def test_long_chain_builds_runs_and_differentiates(chain: tuple) -> None:
    graph, x, y = chain
    value = np.array([0.5, -1.0, 2.0])
    expected, derivative = _numpy_chain(value)
    with graph.as_default():
        (grad,) = tf.gradients(y, x)
        sess = tf.Session()
        np.testing.assert_allclose(sess.run(y, {x: value}), expected, rtol=1e-9)
        np.testing.assert_allclose(sess.run(grad, {x: value}), derivative, rtol=1e-9)


def test_long_chain_renders(chain: tuple) -> None:
    graph, x, y = chain
    source = graphflow.viz.to_dot(y).source
    assert '"x"' in source or " x " in source or "x [" in source
    assert f'"{y.op.name}"' in source or f"{y.op.name} [" in source


# -- threads -------------------------------------------------------------------------------
def test_concurrent_runs_lose_no_update_and_tear_no_value() -> None:
    counter = tf.Variable(np.zeros(100_000, np.int64), name="counter")
    increment = tf.assign_add(counter, np.ones(100_000, np.int64))
    x = tf.placeholder(tf.float64, [None])
    doubled = x * 2.0
    sess = tf.Session()
    sess.run(counter.initializer)
    threads, runs = 4, 200
    problems: list = []
    start = threading.Barrier(threads + 2)  # the adders, the observer and this thread

    def add() -> None:
        start.wait()
        for _ in range(runs):
            sess.run(increment)

    def observe(seed: int) -> None:
        rng = np.random.RandomState(seed)
        start.wait()
        for _ in range(runs):
            seen = sess.run(counter)
            if not np.all(seen == seen[0]):  # a torn value: some elements updated, not all
                problems.append(seen)
            value = rng.randn(5)
            if not np.array_equal(sess.run(doubled, {x: value}), value * 2.0):
                problems.append(value)

    run_at_once([add] * threads + [lambda: observe(1)], start)
    assert problems == []
    np.testing.assert_array_equal(sess.run(counter), np.full(100_000, threads * runs))


# -- property tests: agree with NumPy or raise the documented error ------------------------
DOCUMENTED = (ValueError, TypeError, InvalidArgumentError)
dims = st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple)


def _placeholder(shape: tuple, known: list[bool]) -> tf.Tensor:
    """A float64 placeholder for values of ``shape``; dims not ``known`` are None."""
    return tf.placeholder(tf.float64, [d if k else None for d, k in zip(shape, known)])


@HYPOTHESIS_SETTINGS
@given(static=dims, fed=st.lists(st.integers(0, 3), max_size=3).map(tuple),
       known=st.lists(st.booleans(), min_size=3, max_size=3),
       dtype=st.sampled_from([tf.float32, tf.int32]), integral=st.booleans())
def test_feed_validation(static: tuple, fed: tuple, known: list, dtype, integral: bool) -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(dtype, [d if k else None for d, k in zip(static, known)])
        value = np.random.RandomState(0).uniform(-5, 5, size=fed)
        value = np.round(value) if integral else value + 0.25
        fits = len(fed) == len(static) and all(
            not k or d == f for d, f, k in zip(static, fed, known))
        loses = dtype == tf.int32 and not integral and value.size > 0
        try:
            result = tf.Session().run(x, {x: value})
        except ValueError:
            assert not fits
            return
        except TypeError:
            assert loses
            return
        assert fits and not loses
        np.testing.assert_allclose(result, value.astype(dtype.as_numpy_dtype), rtol=1e-6)


@HYPOTHESIS_SETTINGS
@given(a=dims, b=dims, known_a=st.lists(st.booleans(), min_size=3, max_size=3),
       known_b=st.lists(st.booleans(), min_size=3, max_size=3))
def test_broadcasting(a: tuple, b: tuple, known_a: list, known_b: list) -> None:
    rng = np.random.RandomState(1)
    u, v = rng.randn(*a), rng.randn(*b)
    try:
        expected = u + v
    except ValueError:
        expected = None
    with tf.Graph().as_default():
        x, y = _placeholder(a, known_a), _placeholder(b, known_b)
        try:
            total = x + y
        except ValueError:
            assert expected is None
            return
        assert total.shape.is_compatible_with(np.shape(expected) if expected is not None
                                              else total.shape)
        try:
            result = tf.Session().run(total, {x: u, y: v})
        except InvalidArgumentError:  # only when some dims were unknown at build time
            assert expected is None and not (all(known_a) and all(known_b))
            return
        assert expected is not None
        np.testing.assert_array_equal(result, expected)


index_item = st.one_of(
    st.integers(-4, 4),
    st.builds(slice, st.none() | st.integers(-4, 4), st.none() | st.integers(-4, 4),
              st.none() | st.sampled_from([-3, -2, -1, 1, 2, 3])),
    st.just(None),
    st.just(Ellipsis),
)


@HYPOTHESIS_SETTINGS
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
       key=st.lists(index_item, min_size=1, max_size=3).map(tuple), known=st.booleans())
def test_slicing(shape: tuple, key: tuple, known: bool) -> None:
    value = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    try:
        expected = value[key]
    except IndexError:
        expected = None
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, shape if known else None)
        try:
            sliced = x[key]
            result = tf.Session().run(sliced, {x: value})
        except DOCUMENTED as error:
            assert expected is None, error
            return
        assert expected is not None, (shape, key)
        np.testing.assert_array_equal(result, expected)
        assert sliced.shape.is_compatible_with(np.shape(expected))


@HYPOTHESIS_SETTINGS
@given(shape=dims, target=st.lists(st.integers(-1, 6), max_size=3), known=st.booleans())
def test_reshape(shape: tuple, target: list, known: bool) -> None:
    value = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    try:
        expected = value.reshape(target) if target.count(-1) <= 1 else None
    except ValueError:
        expected = None
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, shape if known else None)
        try:
            reshaped = tf.reshape(x, target)
        except ValueError:
            assert expected is None
            return
        try:
            result = tf.Session().run(reshaped, {x: value})
        except InvalidArgumentError:
            assert expected is None
            return
        assert expected is not None, (shape, target)
        np.testing.assert_array_equal(result, expected)
        assert reshaped.shape.is_compatible_with(expected.shape)
