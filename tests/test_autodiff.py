"""tf.gradients and GradientTape: what reaches which tensor, and what the values are.

Values are compared with hand-derived NumPy formulas or central differences in float64.
"""

from __future__ import annotations

import numpy as np
import pytest

import graphflow as tf


@pytest.fixture(autouse=True)
def fresh_graph() -> None:
    tf.reset_default_graph()


def _numeric_grad(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad


def test_gradient_tape_example_from_the_seed_notes() -> None:
    x_data = [1.0, 2.0, 3.0, 4.0, 5.0]
    y_data = [1.0, 2.0, 3.0, 4.0, 5.0]
    W = tf.Variable(2.0)
    b = tf.Variable(0.5)
    with tf.GradientTape() as tape:
        hypothesis = W * x_data + b
        cost = tf.reduce_mean(tf.square(hypothesis - y_data))
    W_grad, b_grad = tape.gradient(cost, [W, b])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w_value, b_value = sess.run([W_grad, b_grad])
    x = np.array(x_data)
    residual = 2.0 * x + 0.5 - x
    assert w_value == pytest.approx(np.mean(2 * residual * x)) == 25.0
    assert b_value == pytest.approx(np.mean(2 * residual)) == 7.0


def test_tape_needs_watch_for_plain_tensors_and_is_single_use() -> None:
    x = tf.constant(3.0)
    y = tf.constant(4.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = x * x * y
    gx, gy = tape.gradient(z, [x, y])
    assert gy is None
    assert tf.Session().run(gx) == pytest.approx(2 * 3.0 * 4.0)
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.gradient(z, x)
    with tf.GradientTape(persistent=True) as tape2:
        tape2.watch(y)
        w = x * y
    assert tf.Session().run(tape2.gradient(w, y)) == pytest.approx(3.0)
    assert tf.Session().run(tape2.gradient(w, y)) == pytest.approx(3.0)


def test_tape_ignores_ops_built_outside_it() -> None:
    x = tf.constant(2.0)
    outside = x * x
    with tf.GradientTape() as tape:
        tape.watch(x)
        inside = outside * x
    # Only the multiplication by x was recorded: d(outside * x)/dx with outside constant.
    assert tf.Session().run(tape.gradient(inside, x)) == pytest.approx(4.0)


def test_gradients_live_in_a_gradients_scope_uniquified_per_call() -> None:
    x = tf.placeholder(tf.float32, [3])
    y = tf.reduce_sum(x * x)
    g1 = tf.gradients(y, x)[0]
    g2 = tf.gradients(y, x)[0]
    assert g1.name.startswith("gradients/")
    assert g2.name.startswith("gradients_1/")
    value = np.array([1.0, -2.0, 0.5], np.float32)
    np.testing.assert_allclose(tf.Session().run(g1, {x: value}), 2 * value)


def test_unconnected_and_integer_paths_give_none() -> None:
    x = tf.placeholder(tf.float32, [2])
    unrelated = tf.placeholder(tf.float32, [2])
    through_int = tf.cast(tf.cast(x, tf.int32), tf.float32)
    y = tf.reduce_sum(through_int) + tf.reduce_sum(x)
    gx, gu = tf.gradients(y, [x, unrelated])
    assert gu is None
    # Only the direct path carries gradient; the cast to int32 blocks its path.
    np.testing.assert_allclose(tf.Session().run(gx, {x: [1.5, 2.5]}), [1.0, 1.0])
    zero = tf.gradients(y, unrelated, unconnected_gradients="zero")[0]
    np.testing.assert_allclose(tf.Session().run(zero, {unrelated: [1, 2]}), [0.0, 0.0])


def test_stop_gradient_op_and_argument() -> None:
    x = tf.placeholder(tf.float64, [])
    y = x * x
    z = tf.stop_gradient(y) * x + y
    assert tf.Session().run(tf.gradients(z, x)[0], {x: 3.0}) == pytest.approx(9.0 + 6.0)
    w = y * x
    g = tf.gradients(w, x, stop_gradients=[y])[0]
    assert tf.Session().run(g, {x: 3.0}) == pytest.approx(9.0)


def test_several_ys_are_summed_and_paths_aggregated_with_add_n() -> None:
    x = tf.placeholder(tf.float64, [])
    a, b = x * 2.0, x * x
    g = tf.gradients([a, b], x)[0]
    assert tf.Session().run(g, {x: 3.0}) == pytest.approx(2.0 + 6.0)
    c = tf.exp(x)
    d = c * c + c  # three paths reach c: summed with AddN
    gd = tf.gradients(d, x)[0]
    scope = gd.name.split("/")[0] + "/"
    types = {op.type for op in tf.get_default_graph().get_operations()
             if op.name.startswith(scope)}
    assert "AddN" in types
    expected = _numeric_grad(lambda v: float(np.exp(v) ** 2 + np.exp(v)), np.array(0.7))
    assert tf.Session().run(gd, {x: 0.7}) == pytest.approx(float(expected), rel=1e-6)


def test_grad_ys_seeds_the_backward_pass() -> None:
    x = tf.placeholder(tf.float64, [3])
    y = x * x
    seed = np.array([1.0, 10.0, 100.0])
    g = tf.gradients(y, x, grad_ys=tf.constant(seed))[0]
    value = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(tf.Session().run(g, {x: value}), 2 * value * seed)


def test_broadcast_gradient_reduced_with_dims_known_only_at_run_time() -> None:
    a = tf.placeholder(tf.float64, [None, None])
    b = tf.placeholder(tf.float64, [None])
    y = tf.reduce_sum((a + b) * b)
    ga, gb = tf.gradients(y, [a, b])
    av = np.random.RandomState(0).randn(4, 3)
    bv = np.random.RandomState(1).randn(3)
    got_a, got_b = tf.Session().run([ga, gb], {a: av, b: bv})
    np.testing.assert_allclose(got_a, np.broadcast_to(bv, av.shape))
    np.testing.assert_allclose(got_b, (av + 2 * bv).sum(axis=0))
    # The same graph runs with other run-time shapes: the reduction is decided per run.
    bv1 = np.array([0.5])
    got_b1 = tf.Session().run(gb, {a: av, b: bv1})
    np.testing.assert_allclose(got_b1, [(av + 2 * bv1).sum()])


def test_second_order_gradients() -> None:
    x = tf.placeholder(tf.float64, [2])
    y = tf.reduce_sum(x * x * x)
    g = tf.gradients(y, x)[0]
    h = tf.gradients(tf.reduce_sum(g), x)[0]
    value = np.array([1.5, -2.0])
    np.testing.assert_allclose(tf.Session().run(h, {x: value}), 6 * value)


def test_gradient_graph_is_ordinary_ops_in_the_same_graph() -> None:
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.Variable(np.ones((2, 1), np.float32))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
    before = len(tf.get_default_graph().get_operations())
    g = tf.gradients(loss, w)[0]
    new_ops = tf.get_default_graph().get_operations()[before:]
    assert new_ops and all(op.name.startswith("gradients/") for op in new_ops)
    assert g.graph is tf.get_default_graph()


def test_lookup_error_for_an_op_without_gradient() -> None:
    v = tf.Variable(1.0)
    updated = tf.assign(v, v.value() * 2.0)
    y = updated * 3.0
    message = r"No gradient defined for operation '.*' \(op type: Assign\)"
    with pytest.raises(LookupError, match=message):
        tf.gradients(y, v)


def test_lab3_hand_written_update_agrees_with_compute_gradients() -> None:
    x_data = [1.0, 2.0, 3.0]
    y_data = [1.0, 2.0, 3.0]
    W = tf.Variable(5.0)
    X = tf.placeholder(tf.float32)
    Y = tf.placeholder(tf.float32)
    hypothesis = X * W
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    learning_rate = 0.1
    gradient = tf.reduce_mean((W * X - Y) * X)  # the lecture's hand-derived gradient (halved)
    update = W.assign(W - learning_rate * gradient)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1)
    (computed, _), = optimizer.compute_gradients(cost, [W])
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    feed = {X: x_data, Y: y_data}
    for _ in range(3):
        hand, auto = sess.run([gradient, computed], feed)
        assert auto == pytest.approx(2 * hand)
        sess.run(update, feed)
    w_now = sess.run(W)
    x, y = np.array(x_data), np.array(y_data)
    w = 5.0
    for _ in range(3):
        w = w - 0.1 * np.mean((w * x - y) * x)
    assert w_now == pytest.approx(w, rel=1e-6)


def test_no_run_time_reduction_where_broadcasting_cannot_expand_the_input() -> None:
    x = tf.placeholder(tf.float64, [None, 4])
    b = tf.Variable(np.arange(4.0), name="b")
    y = tf.reduce_sum((x + b) ** 2.0)
    gx, gb = tf.gradients(y, [x, b])
    # [?, 4] + [4] never expands x: its gradient is used as is; b's is summed statically.
    grad_ops = [op for op in tf.get_default_graph().get_operations()
                if op.name.startswith("gradients/add_grad")]
    assert not any(op.type == "BroadcastGradientArgs" for op in grad_ops)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    xv = np.random.RandomState(3).randn(5, 4)
    got_x, got_b = sess.run([gx, gb], {x: xv})
    np.testing.assert_allclose(got_x, 2 * (xv + np.arange(4.0)))
    np.testing.assert_allclose(got_b, (2 * (xv + np.arange(4.0))).sum(axis=0))


def test_building_gradients_pauses_the_cyclic_collector_and_restores_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    x = tf.placeholder(tf.float32, [3])
    y = tf.reduce_sum(tf.square(x))
    square = y.op.inputs[0].op._opdef
    enabled_while_building = []
    original = square.grad

    def recording_grad(op: object, grad: object) -> list:
        enabled_while_building.append(gc.isenabled())
        return original(op, grad)

    monkeypatch.setattr(square, "grad", recording_grad)
    grad = tf.gradients(y, x)[0]
    assert enabled_while_building == [False] and gc.isenabled()
    gc.disable()
    try:
        tf.gradients(y, x)
        assert not gc.isenabled()  # a collector the caller paused stays paused
    finally:
        gc.enable()
    np.testing.assert_allclose(tf.Session().run(grad, {x: [1.0, 2.0, 3.0]}), [2.0, 4.0, 6.0])
