"""``tf.contrib.layers.batch_norm`` and ``dropout`` and ``tf.contrib.framework.arg_scope``, as
lab 10-7 ("MNIST with the higher-level API") uses them. TF2 has no ``tf.contrib``, so the
references are NumPy versions of TF1's documented math."""

from __future__ import annotations

import numpy as np
import pytest

import graphflow as tf
from graphflow.contrib.framework import add_arg_scope, arg_scope
from graphflow.contrib.layers import batch_norm, dropout, flatten, fully_connected


@pytest.fixture(autouse=True)
def fresh_graph() -> None:
    tf.reset_default_graph()


def _batch(seed: int = 0, shape: tuple = (8, 3)) -> np.ndarray:
    return np.random.RandomState(seed).normal(2.0, 3.0, size=shape).astype(np.float32)


def test_batch_norm_trains_with_forced_updates_like_lab_10_7() -> None:
    """``updates_collections=None``: the moving averages move with every training run (by
    1 - decay, the variance Bessel-corrected as TF1's fused kernel does for 2-D inputs), and
    a run with ``is_training`` false normalizes with them and moves nothing."""
    x = tf.placeholder(tf.float32, [None, 3])
    train_mode = tf.placeholder(tf.bool)
    y = batch_norm(x, decay=0.9, updates_collections=None, is_training=train_mode)
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == ["BatchNorm/beta", "BatchNorm/moving_mean", "BatchNorm/moving_variance"]
    assert [v.op.name for v in tf.trainable_variables()] == ["BatchNorm/beta"]
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    moving_mean, moving_var = np.zeros(3), np.ones(3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for seed in range(3):
            batch = _batch(seed)
            got = sess.run(y, {x: batch, train_mode: True})
            mean, var = batch.mean(0), batch.var(0)
            np.testing.assert_allclose(got, (batch - mean) / np.sqrt(var + 0.001), rtol=1e-4,
                                       atol=1e-5)
            moving_mean = 0.9 * moving_mean + 0.1 * mean
            moving_var = 0.9 * moving_var + 0.1 * var * len(batch) / (len(batch) - 1)
        np.testing.assert_allclose(sess.run("BatchNorm/moving_mean:0"), moving_mean, rtol=1e-5)
        np.testing.assert_allclose(sess.run("BatchNorm/moving_variance:0"), moving_var,
                                   rtol=1e-5)
        test = _batch(9)
        got = sess.run(y, {x: test, train_mode: False})
        np.testing.assert_allclose(got, (test - moving_mean) / np.sqrt(moving_var + 0.001),
                                   rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(sess.run("BatchNorm/moving_mean:0"), moving_mean, rtol=1e-5)


def test_a_run_that_is_not_training_moves_no_average_even_on_one_example() -> None:
    """Predicting one example (lab 10-7 does, after training) runs the forced updates with
    ``is_training`` false: they must leave the averages exactly as they were. (A batch of one
    has no unbiased variance: n / (n - 1) is infinite.)"""
    x = tf.placeholder(tf.float32, [None, 3])
    train_mode = tf.placeholder(tf.bool)
    y = batch_norm(x, updates_collections=None, is_training=train_mode)
    layer = tf.layers.batch_normalization(x, training=train_mode)
    averages = [v for v in tf.global_variables() if "moving" in v.op.name]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([y, layer, *tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
                 {x: _batch(3), train_mode: True})
        before = sess.run(averages)
        sess.run([y, layer, *tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
                 {x: _batch(4)[:1], train_mode: False})
        after = sess.run(averages)
    assert len(averages) == 4
    for old, new in zip(before, after):
        np.testing.assert_array_equal(new, old)


def test_batch_norm_with_update_ops_scale_and_activation() -> None:
    """By default the updates go to UPDATE_OPS (2-D inputs: TF1's non-fused layer, with the
    biased variance), ``scale`` adds ``gamma``, and the activation comes last."""
    x = tf.placeholder(tf.float32, [None, 3])
    y = batch_norm(x, scale=True, activation_fn=tf.nn.relu, scope="bn",
                   param_initializers={"gamma": tf.constant_initializer(2.0),
                                       "beta": tf.constant_initializer(0.5)})
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 2
    batch = _batch(1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run([y, *updates], {x: batch})[0]
        mean, var = batch.mean(0), batch.var(0)
        want = np.maximum(2.0 * (batch - mean) / np.sqrt(var + 0.001) + 0.5, 0.0)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(sess.run("bn/moving_variance:0"), 0.999 + 0.001 * var,
                                   rtol=1e-5)


def test_batch_norm_when_not_training_uses_the_moving_averages_only() -> None:
    x = tf.constant(_batch(2))
    y = batch_norm(x, is_training=False)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(y), _batch(2) / np.sqrt(1.001), rtol=1e-5)
    with pytest.raises(NotImplementedError, match="NHWC"):
        batch_norm(x, data_format="NCHW")


def test_contrib_dropout_keeps_with_keep_prob_only_while_training() -> None:
    x = tf.ones([200, 50])
    train_mode = tf.placeholder(tf.bool)
    y = dropout(x, 0.7, is_training=train_mode)
    with tf.Session() as sess:
        trained = sess.run(y, {train_mode: True})
        np.testing.assert_array_equal(sess.run(y, {train_mode: False}), np.ones((200, 50)))
    kept = trained != 0
    np.testing.assert_allclose(trained[kept], 1 / 0.7, rtol=1e-6)
    assert abs(kept.mean() - 0.7) < 0.02  # 10,000 draws: 5 standard deviations is 0.023


def test_arg_scope_gives_defaults_that_calls_override() -> None:
    x = tf.placeholder(tf.float32, [None, 4])
    init = tf.constant_initializer(0.5)
    with arg_scope([fully_connected], activation_fn=None, weights_initializer=init,
                   biases_initializer=None) as scope:
        plain = fully_connected(x, 2, scope="plain")
        relu = fully_connected(x, 2, activation_fn=tf.nn.relu, scope="relu")
        with arg_scope([fully_connected], weights_initializer=tf.zeros_initializer()):
            zero = fully_connected(x, 2, scope="zero")
    outside = fully_connected(x, 2, scope="outside")
    with arg_scope(scope):
        again = fully_connected(x, 2, scope="again")
    assert plain.op.type == "MatMul" and relu.op.type == "Relu" and again.op.type == "MatMul"
    assert outside.op.type == "Relu"  # fully_connected's own default is back
    assert "outside/biases:0" in {v.name for v in tf.global_variables()}
    batch = np.arange(8, dtype=np.float32).reshape(2, 4) - 3
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run([plain, relu, zero], {x: batch})
    want = batch @ np.full((4, 2), 0.5)
    np.testing.assert_allclose(got[0], want)
    np.testing.assert_allclose(got[1], np.maximum(want, 0))
    np.testing.assert_array_equal(got[2], np.zeros((2, 2)))


def test_arg_scope_refuses_undecorated_functions() -> None:
    with pytest.raises(ValueError, match="relu is not decorated with @add_arg_scope"):
        with arg_scope([tf.nn.relu], name="x"):
            pass

    @add_arg_scope
    def scaled(value: float, factor: float = 1.0) -> float:
        return value * factor

    with arg_scope([scaled, flatten], factor=3.0):
        assert scaled(2.0) == 6.0
    assert scaled(2.0) == 2.0


def test_lab_10_7_network_builds_and_learns() -> None:
    """Lab 10-7's network (batch norm and dropout inside an arg_scope), on a small problem:
    its training cost falls."""
    tf.set_random_seed(777)
    X = tf.placeholder(tf.float32, [None, 8])
    Y = tf.placeholder(tf.float32, [None, 2])
    train_mode = tf.placeholder(tf.bool, name="train_mode")
    bn_params = {"is_training": train_mode, "decay": 0.9, "updates_collections": None}
    with arg_scope([fully_connected], activation_fn=tf.nn.relu,
                   weights_initializer=tf.contrib.layers.xavier_initializer(),
                   biases_initializer=None, normalizer_fn=batch_norm,
                   normalizer_params=bn_params):
        hidden = fully_connected(X, 16, scope="h1")
        hidden = dropout(hidden, 0.7, is_training=train_mode)
        hypothesis = fully_connected(hidden, 2, activation_fn=None, scope="hypothesis")
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=hypothesis,
                                                                      labels=Y))
    optimizer = tf.train.AdamOptimizer(learning_rate=0.01).minimize(cost)
    rng = np.random.RandomState(0)
    xs = rng.normal(size=(200, 8)).astype(np.float32)
    ys = np.eye(2, dtype=np.float32)[(xs[:, 0] + xs[:, 1] > 0).astype(int)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(cost, {X: xs, Y: ys, train_mode: False})
        for _ in range(100):
            sess.run(optimizer, {X: xs, Y: ys, train_mode: True})
        after = sess.run(cost, {X: xs, Y: ys, train_mode: False})
    assert after < before / 3
