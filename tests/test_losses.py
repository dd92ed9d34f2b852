"""``tf.losses``: every loss against golden values from TensorFlow (scalar, per-example and full
weights under each reduction, with gradients), the loss collections, TF1's dtype and shape rules,
weights broadcasting and its errors.

The fixture ``golden/nn_ops.json`` was produced by ``golden/make_nn_golden.py``; the golden
cases are run by the helper shared with ``test_nn_ops.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_nn_ops import check_golden_case, golden_params

import graphflow as tf
from graphflow import losses
from graphflow.contrib import layers

Reduction = losses.Reduction
rng = np.random.RandomState(0)
LABELS = rng.randn(4, 3).astype(np.float32)
PREDICTIONS = rng.randn(4, 3).astype(np.float32)


@pytest.mark.parametrize("case", golden_params("losses"))
def test_matches_tensorflow(case: dict) -> None:
    # TF computes every weighted loss in float32, whatever the input dtype
    check_golden_case(case, float32_math=True)


def _run(tensor: tf.Tensor, feed: dict | None = None) -> np.ndarray:
    with tf.Session() as sess:
        return sess.run(tensor, feed)


# -- reductions --------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction,expected", [
    (Reduction.NONE, lambda v, w: v * w),
    (Reduction.SUM, lambda v, w: (v * w).sum()),
    (Reduction.MEAN, lambda v, w: (v * w).sum() / (w * np.ones_like(v)).sum()),
    (Reduction.SUM_OVER_BATCH_SIZE, lambda v, w: (v * w).sum() / v.size),
    (Reduction.SUM_BY_NONZERO_WEIGHTS,
     lambda v, w: (v * w).sum() / np.count_nonzero(w * np.ones_like(v))),
])
def test_compute_weighted_loss_reductions(reduction: str, expected: object) -> None:
    values = np.abs(LABELS).astype(np.float64)
    weights = np.array([[2.0], [0.0], [1.0], [0.5]])
    loss = losses.compute_weighted_loss(values, weights, reduction=reduction)
    assert loss.dtype == tf.float64
    np.testing.assert_allclose(_run(loss), expected(values, weights), rtol=1e-12)
    assert Reduction.SUM_OVER_NONZERO_WEIGHTS == Reduction.SUM_BY_NONZERO_WEIGHTS


def test_all_zero_weights_give_zero_not_nan() -> None:
    predictions = tf.placeholder(tf.float32, [None, 3])
    for reduction in (Reduction.MEAN, Reduction.SUM_BY_NONZERO_WEIGHTS):
        loss = losses.mean_squared_error(LABELS, predictions, weights=0.0, reduction=reduction)
        (grad,) = tf.gradients(loss, predictions)
        with tf.Session() as sess:
            value, grad_value = sess.run([loss, grad], {predictions: PREDICTIONS})
        assert value == 0.0 and np.all(grad_value == 0.0)


def test_reduction_keys_are_validated() -> None:
    assert set(Reduction.all()) == {"none", "weighted_sum", "weighted_mean",
                                    "weighted_sum_over_batch_size",
                                    "weighted_sum_by_nonzero_weights"}
    with pytest.raises(ValueError, match="Invalid Reduction Key mean"):
        losses.compute_weighted_loss(LABELS, reduction="mean")


# -- collections -------------------------------------------------------------------------------
def test_losses_collect_themselves_and_total_loss_adds_regularization() -> None:
    mse = losses.mean_squared_error(LABELS, PREDICTIONS)
    hinge = losses.hinge_loss(np.ones((4, 3), np.float32), PREDICTIONS, scope="svm")
    uncollected = losses.absolute_difference(LABELS, PREDICTIONS, loss_collection=None)
    assert losses.get_losses() == [mse, hinge] == tf.get_collection(tf.GraphKeys.LOSSES)
    assert losses.get_losses(scope="svm") == [hinge]
    assert mse.name == "mean_squared_error/value:0"
    assert _run(losses.get_regularization_loss()) == 0.0
    penalty = tf.constant(0.25)
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, penalty)
    losses.add_loss(uncollected)
    assert losses.get_regularization_losses() == [penalty]
    total = losses.get_total_loss()
    without = losses.get_total_loss(add_regularization_losses=False)
    assert total.name == "total_loss:0"
    with tf.Session() as sess:
        mse_v, hinge_v, l1_v, total_v, without_v = sess.run([mse, hinge, uncollected, total,
                                                             without])
        assert sess.run(losses.get_regularization_loss()) == np.float32(0.25)
    np.testing.assert_allclose(total_v, mse_v + hinge_v + l1_v + 0.25, rtol=1e-6)
    np.testing.assert_allclose(without_v, mse_v + hinge_v + l1_v, rtol=1e-6)


def test_regularization_loss_of_a_contrib_layer() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    layers.fully_connected(x, 2, weights_regularizer=lambda w: 0.5 * tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        weights = sess.run(tf.global_variables()[0])
        np.testing.assert_allclose(sess.run(losses.get_regularization_loss()),
                                   0.5 * (weights ** 2).sum(), rtol=1e-6)


# -- TF1's dtype and shape rules ---------------------------------------------------------------
def test_regression_losses_compute_in_float32_and_cross_entropies_keep_the_dtype() -> None:
    labels64, predictions64 = LABELS.astype(np.float64), PREDICTIONS.astype(np.float64)
    assert losses.mean_squared_error(labels64, predictions64).dtype == tf.float32
    assert losses.huber_loss([[1, 2]], [[1, 3]]).dtype == tf.float32  # int inputs too
    assert losses.sigmoid_cross_entropy(labels64 > 0, predictions64).dtype == tf.float64
    assert losses.softmax_cross_entropy(np.eye(3)[[0, 1]], predictions64[:2]).dtype == tf.float64


def test_sparse_labels_and_weights_with_a_trailing_one_are_squeezed() -> None:
    logits = PREDICTIONS
    ids = np.array([[2], [0], [1], [1]], np.int32)
    weights = np.array([[1.0], [0.0], [2.0], [1.0]], np.float32)
    loss = losses.sparse_softmax_cross_entropy(ids, logits, weights=weights,
                                               reduction=Reduction.NONE)
    assert loss.shape.as_list() == [4]
    shifted = logits - logits.max(-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    np.testing.assert_allclose(_run(loss), -log_probs[np.arange(4), ids[:, 0]] * weights[:, 0],
                               rtol=1e-5)


@pytest.mark.parametrize("build,match", [
    (lambda: losses.mean_squared_error(LABELS[:, 0], PREDICTIONS), "are incompatible"),
    (lambda: losses.mean_squared_error(LABELS, PREDICTIONS, weights=np.ones(4, np.float32)),
     "values.rank=2. weights.rank=1"),
    (lambda: losses.mean_squared_error(LABELS, PREDICTIONS, weights=np.ones((2, 3))),
     "Mismatch at dim 0"),
    (lambda: losses.log_loss(None, PREDICTIONS), "labels must not be None"),
    (lambda: losses.hinge_loss(LABELS, None), "logits must not be None"),
    (lambda: losses.softmax_cross_entropy(np.eye(3), np.zeros((3, 4))), "are incompatible"),
])
def test_bad_shapes_fail_when_the_graph_is_built(build: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        build()


def test_weights_that_would_enlarge_the_losses_fail_at_run_time() -> None:
    labels = tf.placeholder(tf.float32, [None, None])
    weights = tf.placeholder(tf.float32, [None, None])
    loss = losses.absolute_difference(labels, labels, weights=weights)
    with tf.Session() as sess:
        feed = {labels: np.ones((4, 1)), weights: np.ones((4, 3))}
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(loss, feed)
        assert sess.run(loss, {labels: np.ones((4, 3)), weights: np.ones((4, 1))}) == 0.0


# -- the formulas ------------------------------------------------------------------------------
def test_label_smoothing_and_huber_match_their_formulas() -> None:
    onehot = np.eye(3, dtype=np.float32)[[0, 2, 1, 1]]
    softmax_loss = losses.softmax_cross_entropy(onehot, PREDICTIONS, label_smoothing=0.3)
    sigmoid_loss = losses.sigmoid_cross_entropy(onehot, PREDICTIONS, label_smoothing=0.2,
                                                reduction=Reduction.NONE)
    huber = losses.huber_loss(LABELS, PREDICTIONS, delta=0.5, reduction=Reduction.NONE)
    with tf.Session() as sess:
        softmax_v, sigmoid_v, huber_v = sess.run([softmax_loss, sigmoid_loss, huber])
    smoothed = onehot * 0.7 + 0.3 / 3
    shifted = PREDICTIONS - PREDICTIONS.max(-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    np.testing.assert_allclose(softmax_v, -(smoothed * log_probs).sum(-1).mean(), rtol=1e-5)
    z = onehot * 0.8 + 0.1
    np.testing.assert_allclose(sigmoid_v, np.logaddexp(0, PREDICTIONS) - PREDICTIONS * z,
                               rtol=1e-5, atol=1e-6)
    error = np.abs(PREDICTIONS - LABELS)
    np.testing.assert_allclose(huber_v, np.where(error <= 0.5, 0.5 * error ** 2,
                                                 0.5 * (error - 0.25)), rtol=1e-5, atol=1e-7)


def test_sigmoid_cross_entropy_is_stable_for_huge_logits() -> None:
    logits = tf.constant([[1000.0, -1000.0], [-1000.0, 1000.0]])
    loss = losses.sigmoid_cross_entropy([[1, 0], [1, 0]], logits, reduction=Reduction.SUM)
    (grad,) = tf.gradients(loss, logits)
    with tf.Session() as sess:
        value, grad_value = sess.run([loss, grad])
    assert value == 2000.0
    np.testing.assert_array_equal(grad_value, [[0.0, 0.0], [-1.0, 1.0]])
