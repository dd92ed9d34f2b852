"""``tf.layers``: TF1's variable and op names, default initializers, reuse, values against
NumPy, dropout and batch normalization in and out of training (moving averages through
``UPDATE_OPS``), errors, and a small CNN that learns.

TF 2.21 no longer ships ``tf.compat.v1.layers`` (it needs Keras 2), so the expectations here
are TF1's documented behaviour, computed with NumPy.
"""

from __future__ import annotations

import numpy as np
import pytest

import graphflow as tf
from graphflow import initializers, layers
from graphflow.ops import array_ops, math_ops, nn_ops
from graphflow.ops import variable_scope as vs


def _names(variables: list) -> list:
    return [v.op.name for v in variables]


def test_lab11_layers_cnn_names_shapes_and_variables() -> None:
    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    conv1 = layers.conv2d(X, 32, [3, 3], padding="SAME", activation=nn_ops.relu)
    pool1 = layers.max_pooling2d(conv1, [2, 2], 2, padding="SAME")
    conv2 = layers.conv2d(pool1, 64, 3, padding="same", activation=nn_ops.relu)
    pool2 = layers.average_pooling2d(conv2, 2, 2)
    flat = layers.flatten(pool2)
    logits = layers.dense(layers.dense(flat, 16, activation=nn_ops.relu), 10)
    assert [(t.op.name, t.shape.as_tuple()) for t in (conv1, pool1, conv2, pool2, flat, logits)] \
        == [("conv2d/Relu", (None, 28, 28, 32)), ("max_pooling2d/MaxPool", (None, 14, 14, 32)),
            ("conv2d_1/Relu", (None, 14, 14, 64)), ("average_pooling2d/AvgPool", (None, 7, 7, 64)),
            ("flatten/Reshape", (None, 3136)), ("dense_1/BiasAdd", (None, 10))]
    assert conv1.op.inputs[0].op.inputs[0].op.name == "conv2d/Conv2D"
    assert [(name, v.shape.as_tuple()) for name, v in
            zip(_names(tf.trainable_variables()), tf.trainable_variables())] == [
        ("conv2d/kernel", (3, 3, 1, 32)), ("conv2d/bias", (32,)),
        ("conv2d_1/kernel", (3, 3, 32, 64)), ("conv2d_1/bias", (64,)),
        ("dense/kernel", (3136, 16)), ("dense/bias", (16,)),
        ("dense_1/kernel", (16, 10)), ("dense_1/bias", (10,))]


def test_default_initializers_are_glorot_uniform_kernels_and_zero_biases() -> None:
    x = tf.placeholder(tf.float32, [None, 6, 6, 20])
    layers.dense(layers.flatten(layers.conv2d(x, 40, 5)), 300)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    values = dict(zip(_names(tf.global_variables()), sess.run(tf.global_variables())))
    for name, fan_in, fan_out in (("conv2d/kernel", 25 * 20, 25 * 40),
                                  ("dense/kernel", 4 * 40, 300)):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        kernel = values[name]
        assert np.abs(kernel).max() <= limit
        np.testing.assert_allclose(kernel.std(), limit / np.sqrt(3), rtol=0.05)
    assert not values["conv2d/bias"].any() and not values["dense/bias"].any()


def test_layers_compute_what_numpy_computes() -> None:
    rs = np.random.RandomState(0)
    x_value = rs.randn(2, 5, 4, 3).astype(np.float32)
    x = tf.constant(x_value)
    conv = layers.conv2d(x, 2, [2, 3], strides=(1, 2), padding="valid",
                         bias_initializer=initializers.constant_initializer(0.5))
    pooled = layers.max_pooling2d(x, 2, 2, padding="same")
    dense = layers.dense(x, 4, activation=math_ops.tanh)  # rank 4: along the last axis
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    conv_kernel, _, dense_kernel, _ = tf.global_variables()
    kernel, dense_kernel = sess.run([conv_kernel, dense_kernel])
    conv_value, pooled_value, dense_value = sess.run([conv, pooled, dense])
    expected = np.zeros((2, 4, 1, 2), np.float32)
    for i in range(4):
        expected[:, i, 0] = np.tensordot(x_value[:, i:i + 2, 0:3], kernel, axes=3)
    np.testing.assert_allclose(conv_value, expected + 0.5, rtol=1e-5, atol=1e-6)
    padded = np.pad(x_value, ((0, 0), (0, 1), (0, 0), (0, 0)), constant_values=-np.inf)
    np.testing.assert_array_equal(
        pooled_value, padded.reshape(2, 3, 2, 2, 2, 3).max(axis=(2, 4)))
    np.testing.assert_allclose(dense_value, np.tanh(x_value @ dense_kernel), rtol=1e-5,
                               atol=1e-6)


def test_reuse_by_name_and_by_scope() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    first = layers.dense(x, 2, name="fc")
    shared = layers.dense(x, 2, name="fc", reuse=True)
    other = layers.dense(x, 2, name="fc")
    assert (first.op.name, shared.op.name, other.op.name) == ("fc/BiasAdd", "fc_1/BiasAdd",
                                                              "fc_2/BiasAdd")
    for _ in range(2):
        with vs.variable_scope("model", reuse=vs.AUTO_REUSE):
            layers.dense(x, 2)
    # TF1 names the third layer's variable scope fc_1 (two "fc" scopes were opened) while its
    # name scope is fc_2 (two name scopes were)
    assert _names(tf.global_variables()) == ["fc/kernel", "fc/bias", "fc_1/kernel", "fc_1/bias",
                                             "model/dense/kernel", "model/dense/bias"]
    with pytest.raises(ValueError, match="Variable nope/kernel does not exist"):
        layers.dense(x, 2, name="nope", reuse=True)


def test_dropout_drops_only_while_training() -> None:
    x_value = np.ones((200, 50), np.float32)
    training = tf.placeholder(tf.bool, [])
    dynamic = layers.dropout(x_value, rate=0.25, training=training, seed=1)
    fixed_off = layers.dropout(x_value, rate=0.25)
    fixed_on = layers.dropout(x_value, rate=0.25, training=True, seed=2)
    assert fixed_off.op.name == "dropout_1/Identity"
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(dynamic, {training: False}), x_value)
    np.testing.assert_array_equal(sess.run(fixed_off), x_value)
    for value in (sess.run(dynamic, {training: True}), sess.run(fixed_on)):
        assert set(np.unique(value)) == {0.0, np.float32(1 / 0.75)}
        assert abs((value == 0).mean() - 0.25) < 0.03


def _batch_norm_graph(shape: tuple, training: object, **kwargs: object) -> tuple:
    x = tf.placeholder(tf.float32, [None, *shape[1:]])
    y = layers.batch_normalization(x, training=training, **kwargs)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return x, y, sess


@pytest.mark.parametrize("shape,unbiased", [((6, 3, 2, 4), True), ((10, 4), False)])
def test_batch_normalization_in_training_updates_its_moving_averages(shape: tuple,
                                                                     unbiased: bool) -> None:
    """Normalizes with the batch statistics; UPDATE_OPS move the averages by 1 - momentum,
    the variance unbiased (n / (n - 1)) for 4-D inputs, as TF1's fused kernel does."""
    rs = np.random.RandomState(1)
    x_value = (rs.randn(*shape) * 3 + 2).astype(np.float32)
    x, y, sess = _batch_norm_graph(shape, True, momentum=0.9, epsilon=0.01,
                                   gamma_initializer=initializers.constant_initializer(2.0),
                                   beta_initializer=initializers.constant_initializer(-1.0))
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 2
    axes = tuple(range(len(shape) - 1))
    mean, variance = x_value.mean(axis=axes), x_value.var(axis=axes)
    expected = 2.0 * (x_value - mean) / np.sqrt(variance + 0.01) - 1.0
    np.testing.assert_allclose(sess.run(y, {x: x_value}), expected, rtol=1e-4, atol=1e-4)
    sess.run(updates, {x: x_value})
    moving_mean, moving_variance = sess.run(tf.global_variables()[2:])
    n = x_value.size // shape[-1]
    observed = variance * n / (n - 1) if unbiased else variance
    np.testing.assert_allclose(moving_mean, 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(moving_variance, 0.9 + 0.1 * observed, rtol=1e-5)


def test_batch_normalization_outside_training_uses_the_moving_averages() -> None:
    rs = np.random.RandomState(2)
    x_value = rs.randn(5, 3).astype(np.float32)
    training = tf.placeholder(tf.bool, [])
    x, y, sess = _batch_norm_graph((5, 3), training, epsilon=0.5)
    frozen = layers.batch_normalization(x, training=False, name="frozen")
    sess.run(tf.global_variables_initializer())
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    before = sess.run(tf.global_variables())
    at_rest = x_value / np.sqrt(1.5)  # moving mean 0, moving variance 1
    np.testing.assert_allclose(sess.run(y, {x: x_value, training: False}), at_rest, rtol=1e-5)
    sess.run(updates, {x: x_value, training: False})
    for old, new in zip(before, sess.run(tf.global_variables())):
        np.testing.assert_array_equal(old, new)
    np.testing.assert_allclose(sess.run(frozen, {x: x_value}), x_value / np.sqrt(1.001),
                               rtol=1e-5)
    assert len(updates) == 2  # the frozen layer adds none
    trained = sess.run(y, {x: x_value, training: True})
    np.testing.assert_allclose(trained.mean(axis=0), 0, atol=1e-5)


@pytest.mark.parametrize("build,error,message", [
    (lambda x: layers.conv2d(array_ops.reshape(x, [-1, 16]), 4, 3), ValueError,
     "expected ndim=4, found ndim=2"),
    (lambda x: layers.conv2d(x, 4, 3, padding="full"), ValueError,
     "must be one of 'valid', 'same'"),
    (lambda x: layers.conv2d(x, 4, 3, data_format="channels_first"), ValueError,
     "channels_last"),
    (lambda x: layers.conv2d(x, 4, (3, 3, 3)), ValueError,
     "`kernel_size` argument must be a tuple of 2"),
    (lambda x: layers.dense(tf.placeholder(tf.float32, [None, None]), 4), ValueError,
     "last dimension of the inputs to `Dense` should be defined"),
    (lambda x: layers.dense(tf.placeholder(tf.int32, [None, 3]), 4), TypeError,
     "floating-point inputs"),
    (lambda x: layers.batch_normalization(x, axis=4), ValueError, "Invalid axis 4"),
])
def test_bad_layer_arguments_fail_when_built(build: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        build(tf.placeholder(tf.float32, [None, 4, 4, 1]))


def test_a_small_layers_cnn_learns() -> None:
    """Vertical vs horizontal bars, through conv, batch norm (updates run with the training
    op), pooling, dropout and dense layers: the loss falls and the test batch is classified."""
    tf.set_random_seed(0)
    rs = np.random.RandomState(3)

    def bars(count: int) -> tuple:
        labels = rs.randint(0, 2, count)
        images = rs.uniform(0, 0.3, (count, 8, 8, 1)).astype(np.float32)
        for image, label, where in zip(images, labels, rs.randint(1, 7, count)):
            if label:
                image[:, where] += 1.0
            else:
                image[where, :] += 1.0
        return images, np.eye(2, dtype=np.float32)[labels]

    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    y = tf.placeholder(tf.float32, [None, 2])
    training = tf.placeholder(tf.bool, [])
    net = layers.conv2d(x, 8, 3, padding="same", activation=nn_ops.relu)
    net = layers.batch_normalization(net, training=training)
    net = layers.max_pooling2d(net, 2, 2)
    net = layers.dropout(layers.flatten(net), rate=0.2, training=training)
    logits = layers.dense(net, 2)
    cost = math_ops.reduce_mean(nn_ops.softmax_cross_entropy_with_logits_v2(labels=y,
                                                                              logits=logits))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = tf.train.AdamOptimizer(0.01).minimize(cost)
    accuracy = math_ops.reduce_mean(math_ops.cast(math_ops.equal(
        math_ops.argmax(logits, 1), math_ops.argmax(y, 1)), tf.float32))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    images, labels = bars(64)
    first = sess.run(cost, {x: images, y: labels, training: False})
    for _ in range(60):
        sess.run(train, {x: images, y: labels, training: True})
    test_images, test_labels = bars(64)
    feed = {x: test_images, y: test_labels, training: False}
    assert sess.run(cost, feed) < first / 2
    assert sess.run(accuracy, feed) >= 0.95
