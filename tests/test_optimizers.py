"""Optimizers and learning-rate schedules against golden values from TensorFlow 1 semantics.

The fixture ``golden/optimizers.json`` was produced by ``golden/make_optimizer_golden.py`` with
``tensorflow.compat.v1``; CI only reads it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import graphflow as tf
from graphflow.runtime import plan as plan_module

GOLDEN = json.loads((Path(__file__).parent / "golden" / "optimizers.json").read_text())
CASES = {case["name"]: case for case in GOLDEN["cases"]}


def _problem() -> tuple:
    problem = GOLDEN["problem"]
    graph = tf.Graph()
    with graph.as_default():
        W = tf.Variable(np.array(problem["W0"], np.float32), name="W")
        b = tf.Variable(np.array(problem["b0"], np.float32), name="b")
        X = tf.constant(np.array(problem["X"], np.float32))
        Y = tf.constant(np.array(problem["Y"], np.float32))
        loss = tf.reduce_mean(tf.square(tf.matmul(X, W) + b - Y))
    return graph, W, b, loss


@pytest.mark.parametrize("in_place", [False, True], ids=["on-copies", "in-place"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_optimizer_matches_tensorflow(name: str, in_place: bool, monkeypatch) -> None:
    """Both ways an update runs (``runtime/state.py``): at once on copies, and queued for the
    commit, in place; these variables are small, so the threshold decides."""
    monkeypatch.setattr(plan_module, "IN_PLACE_MIN_BYTES", 0 if in_place else 1 << 62)
    case = CASES[name]
    graph, W, b, loss = _problem()
    with graph.as_default():
        kwargs = dict(case["kwargs"])
        if case.get("learning_rate_is_tensor"):
            kwargs["learning_rate"] = tf.constant(kwargs["learning_rate"])
        optimizer = getattr(tf.train, case["optimizer"])(**kwargs)
        global_step = tf.train.get_or_create_global_step() if "global_step" in case else None
        train = optimizer.minimize(loss, global_step=global_step)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
    for step in range(case["steps"]):
        before = sess.run(loss)
        _, fetched_loss = sess.run([train, loss])
        np.testing.assert_allclose(before, case["losses"][step], rtol=2e-5)
        # In one run, the loss is computed from the variables before the update.
        np.testing.assert_allclose(fetched_loss, before, rtol=1e-6)
        np.testing.assert_allclose(sess.run(W), case["W"][step], rtol=2e-5, atol=1e-6)
        np.testing.assert_allclose(sess.run(b), case["b"][step], rtol=2e-5, atol=1e-6)
        if global_step is not None:
            assert sess.run(global_step) == case["global_step"][step]
    assert optimizer.get_slot_names() == sorted(case["slots"])
    for slot, expected in case["slots"].items():
        np.testing.assert_allclose(sess.run(optimizer.get_slot(W, slot)), expected["W"],
                                   rtol=5e-5, atol=1e-6)
        np.testing.assert_allclose(sess.run(optimizer.get_slot(b, slot)), expected["b"],
                                   rtol=5e-5, atol=1e-6)
    if case["non_slot"]:
        beta1_power, beta2_power = optimizer._get_beta_accumulators()
        np.testing.assert_allclose(sess.run(beta1_power), case["non_slot"]["beta1_power"],
                                   rtol=1e-6)
        np.testing.assert_allclose(sess.run(beta2_power), case["non_slot"]["beta2_power"],
                                   rtol=1e-6)


def test_defaults_match_tensorflow() -> None:
    import inspect

    for cls_name, defaults in GOLDEN["optimizer_defaults"].items():
        signature = inspect.signature(getattr(tf.train, cls_name).__init__)
        for param, value in defaults.items():
            assert signature.parameters[param].default == value, (cls_name, param)


@pytest.mark.parametrize("schedule", GOLDEN["schedules"], ids=lambda s: s["name"])
def test_schedule_matches_tensorflow(schedule: dict) -> None:
    graph = tf.Graph()
    with graph.as_default():
        step = tf.placeholder(tf.int64, [])
        kwargs = dict(schedule["kwargs"])
        if schedule["function"] == "piecewise_constant":
            rate = tf.train.piecewise_constant(step, **kwargs)
        else:
            rate = getattr(tf.train, schedule["function"])(global_step=step, **kwargs)
        sess = tf.Session()
    values = [sess.run(rate, {step: s}) for s in schedule["steps"]]
    np.testing.assert_allclose(values, schedule["values"], rtol=1e-6)


def test_slot_and_accumulator_names_follow_tf1() -> None:
    graph, W, b, loss = _problem()
    with graph.as_default():
        optimizer = tf.train.AdamOptimizer(0.01)
        optimizer.minimize(loss)
        names = {v.op.name for v in tf.global_variables()}
        trainable = {v.op.name for v in tf.trainable_variables()}
    assert names == {"W", "b", "W/Adam", "W/Adam_1", "b/Adam", "b/Adam_1", "beta1_power",
                     "beta2_power"}
    assert trainable == {"W", "b"}
    assert optimizer.get_slot(W, "m").op.name == "W/Adam"
    assert optimizer.get_slot(W, "v").op.name == "W/Adam_1"


def test_optimizers_built_in_scopes_name_their_variables_as_tf1() -> None:
    """Slots are named in the variable scope the optimizer is built in (TF1's slot creator
    opens a variable scope named after the variable, hence ``m1/m1/V/Adam``), and Adam's
    accumulators in the name scope; so ``tf.global_variables("m1")`` finds all of a model's
    variables. The names are what TensorFlow 2.21's ``compat.v1`` gives for this program."""
    W = tf.Variable([1.0], name="W")
    loss = tf.reduce_sum(W * W)
    with tf.name_scope("train"):
        tf.train.AdamOptimizer(0.1).minimize(loss)
    with tf.variable_scope("m1"):
        V = tf.get_variable("V", [2])
        tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(V * V))
    with tf.variable_scope("m2"):
        tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.reduce_sum(V * V))
    tf.train.AdamOptimizer(0.1).minimize(loss)
    assert [v.name for v in tf.global_variables()] == [
        "W:0", "train/beta1_power:0", "train/beta2_power:0", "W/Adam:0", "W/Adam_1:0",
        "m1/V:0", "m1/beta1_power:0", "m1/beta2_power:0", "m1/m1/V/Adam:0",
        "m1/m1/V/Adam_1:0", "m2/m1/V/Momentum:0", "beta1_power:0", "beta2_power:0",
        "W/Adam_2:0", "W/Adam_3:0"]
    assert [v.name for v in tf.global_variables(scope="m1")] == [
        "m1/V:0", "m1/beta1_power:0", "m1/beta2_power:0", "m1/m1/V/Adam:0",
        "m1/m1/V/Adam_1:0"]


@pytest.mark.parametrize("make, grad_name", [
    (lambda: tf.train.GradientDescentOptimizer(0.1), "delta"),
    (lambda: tf.train.AdamOptimizer(0.1), "grad"),
    (lambda: tf.train.MomentumOptimizer(0.1, 0.9), "grad"),
])
def test_a_gradient_of_the_wrong_shape_is_refused_at_run_time(make, grad_name) -> None:
    """A gradient whose static shape is unknown is checked when the update runs, as TF1's
    kernels do: NumPy would broadcast [1] over [3] and update every element."""
    w = tf.Variable(np.array([1.0, 2.0, 3.0], np.float32), name="w")
    g = tf.placeholder(tf.float32, None, name="g")
    train = make().apply_gradients([(g, w)])
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=rf"var and {grad_name} do not have the same shape\[3\] \[1\]") as info:
        sess.run(train, {g: np.array([1.0], np.float32)})
    assert info.value.op.type.startswith("Apply")
    np.testing.assert_array_equal(sess.run(w), [1.0, 2.0, 3.0])
    sess.run(train, {g: np.ones(3, np.float32)})
    assert (sess.run(w) < [1.0, 2.0, 3.0]).all()


@pytest.mark.parametrize("make, name", [
    (tf.train.GradientDescentOptimizer, "alpha"),
    (lambda lr: tf.train.MomentumOptimizer(lr, 0.9), "lr"),
    (tf.train.AdagradOptimizer, "lr"),
    (tf.train.AdadeltaOptimizer, "lr"),
    (tf.train.RMSPropOptimizer, "lr"),
    (lambda lr: tf.train.RMSPropOptimizer(lr, centered=True), "lr"),
    (tf.train.AdamOptimizer, "lr"),
])
def test_a_hyperparameter_must_be_a_scalar(make, name) -> None:
    """As in TF1: a rank-1 learning rate is refused when the graph is built, and one whose
    shape was unknown then is refused when the update runs (NumPy would apply it elementwise)."""
    with tf.Graph().as_default():
        w = tf.Variable(np.array([1.0, 2.0, 3.0], np.float32), name="w")
        with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
            make(tf.constant([0.1, 0.2, 0.3])).minimize(tf.reduce_sum(w))
    with tf.Graph().as_default():
        w = tf.Variable(np.array([1.0, 2.0, 3.0], np.float32), name="w")
        lr = tf.placeholder(tf.float32, None)
        train = make(lr).minimize(tf.reduce_sum(w))
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        for value, shape in (([0.1, 0.2, 0.3], "[3]"), ([0.1], "[1]")):
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=rf"{name} is not a scalar: \[{shape[1:-1]}\]"):
                sess.run(train, {lr: np.array(value, np.float32)})
        np.testing.assert_array_equal(sess.run(w), [1.0, 2.0, 3.0])
        sess.run(train, {lr: 0.1})
        assert (sess.run(w) < [1.0, 2.0, 3.0]).all()
