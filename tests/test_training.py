"""Optimizer behaviour beyond the update formulas: which variables are updated, errors,
global step, and atomic updates."""

from __future__ import annotations

import numpy as np
import pytest

import graphflow as tf


@pytest.fixture(autouse=True)
def fresh_graph() -> None:
    tf.reset_default_graph()


def test_minimize_defaults_to_trainable_variables_and_skips_unreached_ones() -> None:
    w = tf.Variable(3.0, name="w")
    unused = tf.Variable(7.0, name="unused")
    frozen = tf.Variable(2.0, name="frozen", trainable=False)
    loss = tf.square(w * frozen)
    grads_and_vars = tf.train.GradientDescentOptimizer(0.1).compute_gradients(loss)
    assert [v for _, v in grads_and_vars] == [w, unused]
    assert grads_and_vars[1][0] is None
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    # d/dw (w * 2)^2 = 8w = 24 at w = 3.
    assert sess.run(w) == pytest.approx(3.0 - 0.1 * 24.0)
    assert sess.run(unused) == 7.0
    assert sess.run(frozen) == 2.0


def test_no_gradient_for_any_variable_is_a_value_error() -> None:
    tf.Variable(1.0)
    x = tf.placeholder(tf.float32)
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        tf.train.AdamOptimizer().minimize(x * 2.0)


def test_no_variables_to_optimize() -> None:
    x = tf.placeholder(tf.float32)
    with pytest.raises(ValueError, match="No variables to optimize"):
        tf.train.GradientDescentOptimizer(0.1).minimize(x * x)


def test_slots_are_non_trainable_and_initialized_by_global_initializer() -> None:
    w = tf.Variable(np.ones((2, 2), np.float32), name="w")
    optimizer = tf.train.MomentumOptimizer(0.1, 0.9)
    optimizer.minimize(tf.reduce_sum(w * w))
    slot = optimizer.get_slot(w, "momentum")
    assert slot not in tf.trainable_variables()
    assert slot in tf.global_variables()
    assert optimizer.get_slot(w, "nope") is None
    assert set(optimizer.variables()) == {slot}
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    np.testing.assert_array_equal(sess.run(slot), np.zeros((2, 2)))


def test_global_step_increments_once_per_run_and_is_unique() -> None:
    step = tf.train.get_or_create_global_step()
    assert step.dtype.base_dtype == tf.int64
    assert step.op.name == "global_step"
    assert tf.train.get_or_create_global_step() is step
    assert tf.train.get_global_step() is step
    with pytest.raises(ValueError, match="already exists"):
        tf.train.create_global_step()
    w = tf.Variable(1.0)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(w * w, global_step=step)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for expected in range(1, 4):
        sess.run([train, train])  # fetched twice: one run, one increment
        assert sess.run(step) == expected


def test_learning_rate_tensor_fed_at_run_time() -> None:
    w = tf.Variable(1.0)
    lr = tf.placeholder(tf.float32, [])
    train = tf.train.GradientDescentOptimizer(lr).minimize(w * w)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train, {lr: 0.25})
    assert sess.run(w) == pytest.approx(1.0 - 0.25 * 2.0)
    sess.run(train, {lr: 0.0})
    assert sess.run(w) == pytest.approx(0.5)


def test_float64_variables_train_in_float64() -> None:
    w = tf.Variable(np.array([1.0, 2.0]), name="w64")
    assert w.dtype.base_dtype == tf.float64
    train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    value = sess.run(w)
    assert value.dtype == np.float64
    # The first Adam step moves each coordinate by lr in the direction against the gradient.
    np.testing.assert_allclose(value, [0.9, 1.9], rtol=1e-6)


def test_failed_run_leaves_variables_and_slots_untouched() -> None:
    w = tf.Variable(np.ones(3, np.float32), name="w")
    optimizer = tf.train.AdamOptimizer(0.1)
    train = optimizer.minimize(tf.reduce_sum(w * w))
    a = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None, None])
    with tf.control_dependencies([train]):
        after_update = tf.matmul(a, b)  # fails at run time when the fed shapes disagree
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    before = {v.op.name: sess.run(v) for v in tf.global_variables()}
    with pytest.raises(tf.errors.InvalidArgumentError, match="Matrix size-incompatible"):
        sess.run(after_update, {a: np.ones((2, 3)), b: np.ones((4, 5))})
    for v in tf.global_variables():
        np.testing.assert_array_equal(sess.run(v), before[v.op.name])
    sess.run(after_update, {a: np.ones((2, 3)), b: np.ones((3, 5))})
    assert not np.allclose(sess.run(w), before["w"])


@pytest.mark.parametrize("staircase", [False, True])
def test_natural_exp_decay_matches_its_formula(staircase: bool) -> None:
    step = tf.placeholder(tf.int64, [])
    rate = tf.train.natural_exp_decay(0.1, step, decay_steps=5, decay_rate=0.5,
                                      staircase=staircase)
    assert rate.op.name == "NaturalExpDecay"
    sess = tf.Session()
    for s in range(0, 23, 3):
        p = np.floor(s / 5) if staircase else s / 5
        assert sess.run(rate, {step: s}) == pytest.approx(0.1 * np.exp(-0.5 * p), rel=1e-6)
