"""Neural-network ops (``tf.nn``) and ``tf.contrib.layers``: values, static shapes and gradients
against golden values from TensorFlow, numerical stability, errors, dropout's statistics and
second derivatives through the fused cross-entropies.

The fixture ``golden/nn_ops.json`` was produced by ``golden/make_nn_golden.py`` with
``tensorflow.compat.v1``; CI only reads it. The op-level gradient checks against central
differences live in ``test_gradient_check.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import test_gradient_check as generic

import graphflow as tf
from graphflow import losses, nn
from graphflow.contrib import layers
from graphflow.framework.registry import registered_ops
from graphflow.ops import math_ops, nn_ops

GOLDEN = json.loads((Path(__file__).parent / "golden" / "nn_ops.json").read_text())["cases"]
NAMESPACES = {"nn": nn, "losses": losses}


def _ones(shape: list, dtype: object = tf.float32) -> tf.Tensor:
    return tf.constant(np.ones(shape, tf.as_dtype(dtype).as_numpy_dtype))


def golden_params(namespace: str) -> list:
    return [pytest.param(case, id=f"{case['fn']}-{i}") for i, case in enumerate(GOLDEN)
            if case["fn"].split(".")[0] == namespace]


def _assert_close(actual: np.ndarray, expected: list, dtype: str, float32_math: bool) -> None:
    expected = np.asarray(expected)
    if expected.dtype.kind in "biu":
        np.testing.assert_array_equal(actual, expected)
    elif dtype == "float64" and not float32_math:
        np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-12)
    else:
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=2e-6)


def check_golden_case(case: dict, float32_math: bool = False) -> None:
    """Builds ``case["fn"]`` on placeholders as the generator did; compares the output dtypes,
    static shapes, values and the gradients of sum(out * weights) with TensorFlow's.
    ``float32_math``: TensorFlow computed in float32 whatever the input dtype (tf.losses)."""
    namespace, name = case["fn"].split(".")
    function = getattr(NAMESPACES[namespace], name)
    with tf.Graph().as_default():
        placeholders, feed = {}, {}
        for arg, spec in case["inputs"].items():
            placeholders[arg] = tf.placeholder(spec["dtype"], spec["shape"])
            feed[placeholders[arg]] = np.array(spec["value"], dtype=spec["dtype"])
        result = function(**placeholders, **case["attrs"])
        outputs = list(result) if isinstance(result, (tuple, list)) else [result]
        assert len(outputs) == len(case["outputs"])
        terms = []
        for out, expected, weights in zip(outputs, case["outputs"], case["weights"]):
            assert out.dtype.name == expected["dtype"]
            assert (None if out.shape.ndims is None else out.shape.as_list()) == expected["shape"]
            if weights is not None:
                w = tf.constant(np.array(weights, dtype=out.dtype.as_numpy_dtype))
                terms.append(tf.reduce_sum(out * w))
        float_args = [arg for arg in case["grads"]]
        grads = tf.gradients(tf.add_n(terms), [placeholders[a] for a in float_args]) \
            if terms and float_args else []
        with tf.Session() as sess:
            values = sess.run(outputs, feed)
            grad_values = sess.run([g for g in grads if g is not None], feed)
    for value, expected in zip(values, case["outputs"]):
        assert np.shape(value) == np.shape(expected["value"])
        _assert_close(value, expected["value"], expected["dtype"], float32_math)
    computed = iter(grad_values)
    for arg, grad in zip(float_args, grads):
        expected = case["grads"][arg]
        assert (grad is None) == (expected is None), arg
        if grad is not None:
            _assert_close(next(computed), expected, case["inputs"][arg]["dtype"], float32_math)


@pytest.mark.filterwarnings("ignore:softmax_cross_entropy_with_logits:FutureWarning")
@pytest.mark.parametrize("case", golden_params("nn"))
def test_matches_tensorflow(case: dict) -> None:
    check_golden_case(case)


def test_generic_checks_cover_every_nn_op() -> None:
    """The generic checks run over the ops that ``import graphflow`` registers. Until
    ``graphflow/__init__.py`` imports ``graphflow.nn``, they miss the ops defined here: run
    them for those (nothing runs twice once the import is there)."""
    missed = [(name, index) for name, opdef in registered_ops().items()
              if type(opdef).__module__ == nn_ops.__name__ and opdef.differentiable
              and name not in generic.DIFFERENTIABLE
              for index in range(len(opdef.grad_examples))]
    for name, index in missed:
        for unknown_dims in (False, True):
            generic.test_gradient_matches_central_differences(name, index, unknown_dims)
        for dtype in (np.float32, np.float64):
            generic.test_kernel_output_matches_inferred_dtype_and_shape(name, index, dtype)


# -- numerical stability -----------------------------------------------------------------------
BIG = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0], [3.0, 1000.0, -1000.0]])


def _log_softmax_reference(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropies_stay_finite_for_huge_logits(dtype: type) -> None:
    logits = tf.constant(BIG.astype(dtype))
    onehot = np.eye(3, dtype=dtype)[[1, 2, 0]]
    dense = nn.softmax_cross_entropy_with_logits_v2(labels=onehot, logits=logits)
    sparse = nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 2, 0], logits=logits)
    sigmoid = nn.sigmoid_cross_entropy_with_logits(labels=onehot, logits=logits)
    weighted = nn.weighted_cross_entropy_with_logits(labels=onehot, logits=logits, pos_weight=2.0)
    log_probs = nn.log_softmax(logits)
    outputs = [dense, sparse, sigmoid, weighted, log_probs]
    grads = tf.gradients(tf.add_n([tf.reduce_sum(t) for t in outputs]), logits)
    with tf.Session() as sess:
        dense_v, sparse_v, sigmoid_v, weighted_v, log_probs_v, grad_v = sess.run(outputs + grads)
    expected_xent = -(onehot * _log_softmax_reference(BIG)).sum(-1)
    np.testing.assert_allclose(dense_v, expected_xent, rtol=1e-6)
    np.testing.assert_allclose(sparse_v, expected_xent, rtol=1e-6)
    np.testing.assert_allclose(log_probs_v, _log_softmax_reference(BIG), rtol=1e-6)
    np.testing.assert_allclose(sigmoid_v, np.logaddexp(0.0, BIG) - BIG * onehot, rtol=1e-6)
    # (1 - z) x + (1 + (q - 1) z) log(1 + exp(-x)) with q = 2
    np.testing.assert_allclose(weighted_v, (1 - onehot) * BIG
                               + (1 + onehot) * np.logaddexp(0.0, -BIG), rtol=1e-6)
    assert np.all(np.isfinite(grad_v))


def test_softplus_and_softmax_are_exact_at_extremes() -> None:
    x = tf.constant(np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0], np.float32))
    with tf.Session() as sess:
        softplus, softmax = sess.run([nn.softplus(x), nn.softmax(x)])
    np.testing.assert_allclose(softplus, np.logaddexp(0.0, [-1000.0, -30.0, 0.0, 30.0, 1000.0]),
                               rtol=1e-6)
    np.testing.assert_allclose(softmax, [0, 0, 0, 0, 1], atol=1e-30)


# -- gradients that TF1's fused ops define specially -----------------------------------------
def test_v1_softmax_cross_entropy_blocks_labels_and_warns() -> None:
    logits = tf.placeholder(tf.float64, [None, 3])
    labels = tf.placeholder(tf.float64, [None, 3])
    with pytest.warns(FutureWarning, match="deprecated"):
        v1 = nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    v2 = nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    assert tf.gradients(v1, [labels]) == [None]
    d_logits, d_labels = tf.gradients(v2, [logits, labels])
    rng = np.random.RandomState(0)
    x, z = rng.randn(4, 3), rng.uniform(0, 1, (4, 3))
    with tf.Session() as sess:
        g_logits, g_labels = sess.run([d_logits, d_labels], {logits: x, labels: z})
    log_probs = _log_softmax_reference(x)
    np.testing.assert_allclose(g_labels, -log_probs, rtol=1e-12)
    # labels need not sum to 1: the gradient is that of the loss actually computed
    np.testing.assert_allclose(g_logits, np.exp(log_probs) * z.sum(-1, keepdims=True) - z,
                               rtol=1e-12)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_second_derivative_through_fused_cross_entropy(sparse: bool) -> None:
    rng = np.random.RandomState(1)
    x0, v = rng.randn(2, 3), rng.randn(2, 3)
    logits = tf.placeholder(tf.float64, [2, 3])
    if sparse:
        loss = nn.sparse_softmax_cross_entropy_with_logits(labels=[2, 0], logits=logits)
    else:
        labels = tf.constant(rng.uniform(0, 1, (2, 3)))
        loss = nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    (grad,) = tf.gradients(loss, logits)
    (hessian_v,) = tf.gradients(tf.reduce_sum(grad * v), logits)
    eps = 1e-6
    with tf.Session() as sess:
        expected = (sess.run(grad, {logits: x0 + eps * v}) -
                    sess.run(grad, {logits: x0 - eps * v})) / (2 * eps)
        np.testing.assert_allclose(sess.run(hessian_v, {logits: x0}), expected, rtol=1e-6,
                                   atol=1e-9)


def test_embedding_gradient_adds_up_repeated_ids() -> None:
    params = tf.placeholder(tf.float32, [5, 2])
    ids = tf.constant([[3, 0], [3, 3]])
    rows = nn.embedding_lookup(params, ids)
    upstream = np.arange(8, dtype=np.float32).reshape(2, 2, 2)
    (grad,) = tf.gradients(tf.reduce_sum(rows * upstream), params)
    table = np.random.RandomState(2).randn(5, 2).astype(np.float32)
    with tf.Session() as sess:
        rows_v, grad_v = sess.run([rows, grad], {params: table})
    expected = np.zeros((5, 2), np.float32)
    np.add.at(expected, np.array([[3, 0], [3, 3]]), upstream)
    np.testing.assert_array_equal(rows_v, table[[[3, 0], [3, 3]]])
    np.testing.assert_allclose(grad_v, expected)
    assert rows.name == "embedding_lookup:0"


def test_embedding_lookup_max_norm_clips_rows() -> None:
    table = np.array([[3.0, 4.0], [0.3, 0.4]], np.float32)
    rows = nn.embedding_lookup(table, [0, 1, 0], max_norm=1.0)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(rows), [[0.6, 0.8], [0.3, 0.4], [0.6, 0.8]],
                                   rtol=1e-6)


# -- dropout -------------------------------------------------------------------------------
def test_dropout_scales_kept_units_and_keeps_the_expected_fraction() -> None:
    x = _ones([200, 500])
    keep_prob = tf.placeholder(tf.float32)
    dropped = nn.dropout(x, keep_prob=keep_prob)
    by_rate = nn.dropout(x, rate=0.25)
    (grad,) = tf.gradients(tf.reduce_sum(dropped * 3.0), x)
    assert dropped.shape.as_list() == [200, 500]
    with tf.Session() as sess:
        assert np.array_equal(sess.run(dropped, {keep_prob: 1.0}), np.ones((200, 500)))
        half, grad_v = sess.run([dropped, grad], {keep_prob: 0.5})
        quarter_dropped = sess.run(by_rate)
    assert set(np.unique(half)) == {0.0, 2.0}
    assert abs((half > 0).mean() - 0.5) < 0.01  # 100000 draws: 5 standard deviations is 0.008
    np.testing.assert_array_equal(grad_v, 3.0 * half)  # the same mask, scaled by 1 / keep_prob
    assert set(np.unique(quarter_dropped)) == {0.0, np.float32(1 / 0.75)}
    assert abs((quarter_dropped > 0).mean() - 0.75) < 0.01


def test_dropout_noise_shape_and_seed() -> None:
    x = _ones([300, 4])
    tf.set_random_seed(7)
    rows = nn.dropout(x, keep_prob=0.5, noise_shape=[300, 1], seed=3)
    with tf.Session() as first:
        value = first.run(rows)
    with tf.Session() as second:
        np.testing.assert_array_equal(second.run(rows), value)  # seeded: same in every Session
    assert np.all((value == 0).all(axis=1) | (value == 2).all(axis=1))  # whole rows kept
    assert 0.35 < (value[:, 0] > 0).mean() < 0.65


def test_dropout_with_static_keep_prob_one_is_the_input() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    assert nn.dropout(x, keep_prob=1.0) is x
    assert nn.dropout(x, rate=0.0) is x


@pytest.mark.parametrize("kwargs,match", [
    ({"keep_prob": 0.0}, r"range \(0, 1\], got 0"),
    ({"keep_prob": 1.5}, r"range \(0, 1\], got 1.5"),
    ({"rate": 1.0}, r"range \[0, 1\), got 1"),
    ({"keep_prob": 0.5, "rate": 0.5}, "both"),
    ({}, "provide a rate"),
])
def test_dropout_rejects_bad_probabilities(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        nn.dropout(_ones([2, 2]), **kwargs)


def test_dropout_rejects_integer_input_and_constant_bad_keep_prob() -> None:
    with pytest.raises(ValueError, match="floating point tensor.*int32"):
        nn.dropout(tf.constant([1, 2]), keep_prob=0.5)
    with pytest.raises(ValueError, match=r"range \(0, 1\]"):
        nn.dropout(_ones([2]), keep_prob=tf.constant(0.0))


# -- other behaviour -----------------------------------------------------------------------
def test_default_op_names_follow_tf1() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    labels = tf.placeholder(tf.int32, [None])
    assert nn.relu(x).name == "Relu:0"
    assert nn.softmax(x).name == "Softmax:0"
    assert nn.bias_add(x, [1.0, 2.0, 3.0]).name == "BiasAdd:0"
    assert nn.l2_loss(x).name == "L2Loss:0"
    assert nn.sigmoid_cross_entropy_with_logits(labels=x, logits=x).name == "logistic_loss:0"
    assert nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x).name == \
        "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0"
    assert nn.in_top_k(x, labels, 1).name == "in_top_k/InTopKV2:0"
    values, indices = nn.top_k(x, 2)
    assert (values.name, indices.name) == ("TopKV2:0", "TopKV2:1")
    assert nn.sigmoid is math_ops.sigmoid and nn.tanh is math_ops.tanh


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_function_keeps_the_float_dtype(dtype: type) -> None:
    x = tf.constant(np.random.RandomState(3).randn(2, 3).astype(dtype))
    results = [f(x) for f in (nn.relu, nn.relu6, nn.elu, nn.selu, nn.leaky_relu, nn.softplus,
                              nn.softsign, nn.softmax, nn.log_softmax, nn.l2_loss,
                              nn.l2_normalize)]
    results += [nn.bias_add(x, np.ones(3, dtype)), nn.top_k(x, 2).values,
                nn.softmax_cross_entropy_with_logits_v2(labels=x, logits=x),
                nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=x),
                nn.sigmoid_cross_entropy_with_logits(labels=x, logits=x), *nn.moments(x, [0])]
    with tf.Session() as sess:
        for tensor, value in zip(results, sess.run(results)):
            assert tensor.dtype.as_numpy_dtype == dtype
            assert np.asarray(value).dtype == dtype, tensor


def test_top_k_orders_unsigned_and_extreme_integers() -> None:
    unsigned = nn.top_k(np.array([3, 0, 255, 3, 1], np.uint8), 3)
    extreme = nn.top_k(np.array([-2**31, 5, 2**31 - 1, -2**31], np.int32), 4)
    with tf.Session() as sess:
        (u_values, u_indices), (e_values, e_indices) = sess.run([unsigned, extreme])
    assert u_values.dtype == np.uint8 and u_values.tolist() == [255, 3, 3]
    assert u_indices.tolist() == [2, 0, 3]  # ties: the lower index first
    assert e_values.tolist() == [2**31 - 1, 5, -2**31, -2**31]
    assert e_indices.tolist() == [2, 1, 0, 3]


def test_leaky_relu_casts_integers_to_float32() -> None:
    out = nn.leaky_relu(tf.constant([-10, 0, 5]), alpha=0.1)
    assert out.dtype == tf.float32
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out), [-1.0, 0.0, 5.0])


def test_relu_on_integers() -> None:
    out = nn.relu(tf.constant([-3, 0, 4]))
    with tf.Session() as sess:
        value = sess.run(out)
    assert value.dtype == np.int32 and value.tolist() == [0, 0, 4]


@pytest.mark.parametrize("build,error,match", [
    (lambda: nn.elu(tf.constant([1, 2])), TypeError, "'features' has DataType int32"),
    (lambda: nn.softmax(tf.constant(1.0)), ValueError, "at least rank 1 but is rank 0"),
    (lambda: nn.softmax(_ones([2, 3]), axis=2), ValueError, r"range \[-2, 2\)"),
    (lambda: nn.softmax_cross_entropy_with_logits_v2(labels=_ones([2, 3]), logits=_ones([2, 3]),
                                                     axis=-3),
     ValueError, r"range \[-2, 2\)"),
    (lambda: nn.bias_add(_ones([2, 3]), _ones([4])), ValueError, "equal, but are 3 and 4"),
    (lambda: nn.bias_add(_ones([3]), _ones([3])), ValueError, "at least rank 2"),
    (lambda: nn.bias_add(_ones([2, 3]), _ones([1, 3])), ValueError, "must be rank 1"),
    (lambda: nn.bias_add(_ones([2, 3]), _ones([3]), data_format="CHW"), ValueError,
     "data_format"),
    (lambda: nn.softmax_cross_entropy_with_logits_v2(labels=_ones([2, 3]),
                                                     logits=_ones([2, 4])),
     ValueError, "Incompatible shapes"),
    (lambda: nn.sparse_softmax_cross_entropy_with_logits(labels=_ones([2, 3], tf.int32),
                                                         logits=_ones([2, 3])),
     ValueError, "Rank mismatch"),
    (lambda: nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1, 2],
                                                         logits=_ones([2, 3])),
     ValueError, "Shape mismatch"),
    (lambda: nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0, 1.0],
                                                         logits=_ones([2, 3])),
     TypeError, "'labels' has DataType float32"),
    (lambda: nn.sparse_softmax_cross_entropy_with_logits(_ones([2]), _ones([2, 3])),
     ValueError, "named arguments"),
    (lambda: nn.sigmoid_cross_entropy_with_logits(labels=_ones([2, 3]),
                                                  logits=_ones([3, 2])),
     ValueError, "same shape"),
    (lambda: nn.sigmoid_cross_entropy_with_logits(labels=_ones([2], tf.float64),
                                                  logits=_ones([2])),
     TypeError, "float64 that does not match type float32"),
    (lambda: nn.top_k(_ones([2, 3]), 4), ValueError, "last dimension >= k = 4 but is 3"),
    (lambda: nn.in_top_k(_ones([2, 3], tf.float64), [0, 1], 1), TypeError, "float64"),
    (lambda: nn.in_top_k(_ones([2, 3]), [0, 1, 2], 1), ValueError, "equal, but are 2 and 3"),
    (lambda: nn.embedding_lookup([_ones([2, 3]), _ones([2, 3])], [0]), ValueError,
     "several partitioned"),
    (lambda: nn.l2_loss(tf.constant([1, 2])), TypeError, "'t' has DataType int32"),
])
def test_bad_inputs_fail_when_the_graph_is_built(build: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        build()


def test_errors_found_only_at_run_time() -> None:
    logits = tf.placeholder(tf.float32, [None, 3])
    labels = tf.placeholder(tf.int32, [None])
    bias = tf.placeholder(tf.float32, [None])
    k = tf.placeholder(tf.int32, [])
    sparse = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    added = nn.bias_add(logits, bias)
    top = nn.top_k(logits, k)
    with tf.Session() as sess:
        for bad_k in (-1, 4):
            with pytest.raises(tf.errors.InvalidArgumentError, match="at least k columns"):
                sess.run(top, {logits: np.zeros((2, 3)), k: bad_k})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"label value of 3 which is outside the valid range of \[0, 3\)"):
            sess.run(sparse, {logits: np.zeros((2, 3)), labels: [0, 3]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="same first dimension"):
            sess.run(sparse, {logits: np.zeros((2, 3)), labels: [0, 1, 2]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="as many biases"):
            sess.run(added, {logits: np.zeros((2, 3)), bias: [1.0]})


def test_softmax_along_other_axes_matches_numpy() -> None:
    x = np.random.RandomState(4).randn(2, 3, 4)
    outputs = [nn.softmax(x, axis=0), nn.softmax(x, dim=1), nn.log_softmax(x, axis=-2)]
    with tf.Session() as sess:
        axis0, axis1, log_axis1 = sess.run(outputs)
    for value, axis in ((axis0, 0), (axis1, 1)):
        e = np.exp(x - x.max(axis, keepdims=True))
        np.testing.assert_allclose(value, e / e.sum(axis, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(log_axis1, np.log(axis1), rtol=1e-12)
    with pytest.raises(ValueError, match="both"):
        nn.softmax(x, axis=0, dim=0)


def test_xw_plus_b_and_weighted_cross_entropy_targets_alias() -> None:
    x, w, b = np.ones((2, 3), np.float32), np.full((3, 4), 0.5, np.float32), np.arange(4.0)
    affine = nn.xw_plus_b(x, w, b.astype(np.float32))
    logits = np.array([-2.0, 0.5, 3.0])
    by_targets = nn.weighted_cross_entropy_with_logits(targets=[0.0, 1.0, 1.0], logits=logits,
                                                       pos_weight=4.0)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(affine), x @ w + b)
        z = np.array([0.0, 1.0, 1.0])
        expected = -(4.0 * z * np.log(1 / (1 + np.exp(-logits)))
                     + (1 - z) * np.log(1 - 1 / (1 + np.exp(-logits))))
        np.testing.assert_allclose(sess.run(by_targets), expected, rtol=1e-12)
    assert affine.name == "xw_plus_b:0"


# -- tf.contrib.layers ---------------------------------------------------------------------
def test_fully_connected_builds_relu_affine_layer_with_scoped_variables() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    hidden = layers.fully_connected(x, 4)
    out = layers.fully_connected(hidden, 2, activation_fn=None, scope="logits")
    names = [v.name for v in tf.global_variables()]
    assert names == ["fully_connected/weights:0", "fully_connected/biases:0",
                     "logits/weights:0", "logits/biases:0"]
    assert [v.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)] == names
    assert hidden.name == "fully_connected/Relu:0" and out.name == "logits/BiasAdd:0"
    assert out.shape.as_list() == [None, 2]
    data = np.random.RandomState(5).randn(6, 3).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w1, b1, w2, b2 = sess.run(tf.global_variables())
        np.testing.assert_allclose(sess.run(out, {x: data}),
                                   np.maximum(data @ w1 + b1, 0) @ w2 + b2, rtol=1e-5)
    limit = np.sqrt(6.0 / (3 + 4))  # Xavier/Glorot uniform
    assert np.all(np.abs(w1) <= limit) and np.abs(w1).max() > limit / 4
    assert not b1.any()


def test_fully_connected_reuse_regularizer_normalizer_and_rank3() -> None:
    x = tf.placeholder(tf.float32, [None, 5, 3])
    first = layers.fully_connected(x, 2, scope="shared",
                                   weights_regularizer=lambda w: tf.reduce_sum(w * w))
    second = layers.fully_connected(x, 2, scope="shared", reuse=True)
    normalized = layers.fully_connected(x, 2, normalizer_fn=lambda t: t * 2.0,
                                        activation_fn=None)
    assert first.shape.as_list() == [None, 5, 2]
    # shared/weights, shared/biases, and fully_connected/weights: no biases when normalized
    assert len(tf.global_variables()) == 3
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1
    data = np.random.RandomState(6).randn(4, 5, 3).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([first, second], {x: data})
        w = sess.run(tf.global_variables()[0])
        w_normalized = sess.run(tf.global_variables()[2])
        np.testing.assert_allclose(sess.run(normalized, {x: data}), 2 * data @ w_normalized,
                                   rtol=1e-5)
        np.testing.assert_allclose(sess.run(losses.get_regularization_loss()), (w * w).sum(),
                                   rtol=1e-5)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a, np.maximum(data @ w, 0), rtol=1e-5)


@pytest.mark.parametrize("build,match", [
    (lambda: layers.fully_connected(tf.placeholder(tf.float32, [None, None]), 3),
     "last dimension of the inputs"),
    (lambda: layers.fully_connected(_ones([3]), 3), "min_ndim=2"),
    (lambda: layers.fully_connected(_ones([2, 3]), 2.5), "num_outputs should be int"),
    (lambda: layers.flatten(tf.constant(1.0)), "rank at least 1"),
])
def test_layer_errors(build: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        build()


@pytest.mark.parametrize("static,value_shape,expected", [
    ([None, 2, 3], (4, 2, 3), [None, 6]),
    ([4, None, 3], (4, 5, 3), [4, None]),
    ([None, None], (2, 7), [None, None]),
    ([5], (5,), [5, 1]),
])
def test_flatten_keeps_the_batch_dimension(static: list, value_shape: tuple,
                                           expected: list) -> None:
    x = tf.placeholder(tf.float32, static)
    flat = layers.flatten(x)
    assert flat.shape.as_list() == expected
    data = np.arange(np.prod(value_shape), dtype=np.float32).reshape(value_shape)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(flat, {x: data}),
                                      data.reshape(value_shape[0], -1))


def test_lecture_labels_with_an_extra_outer_dimension_are_flattened_as_tf1() -> None:
    # lab 06-2 writes labels=tf.stop_gradient([Y_one_hot]): labels [1, ?, 7], logits [?, 7]
    logits = tf.placeholder(tf.float32, [None, 7])
    labels = tf.placeholder(tf.float32, [None, 7])
    cost = tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits,
                                                      labels=tf.stop_gradient([labels]))
    assert cost.shape.as_list() == [None]
    rng = np.random.RandomState(0)
    x = rng.randn(3, 7).astype(np.float32)
    y = np.eye(7, dtype=np.float32)[[1, 4, 6]]
    shifted = x - x.max(axis=1, keepdims=True)
    expected = -(y * (shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))).sum(axis=1)
    np.testing.assert_allclose(tf.Session().run(cost, {logits: x, labels: y}), expected,
                               rtol=1e-5)


def test_batch_normalization_matches_numpy_and_its_gradient() -> None:
    rng = np.random.RandomState(5)
    xv = rng.randn(6, 3)
    x = tf.placeholder(tf.float64, [None, 3])
    mean, variance = tf.nn.moments(x, axes=[0])
    scale = tf.constant(rng.uniform(0.5, 2, 3))
    offset = tf.constant(rng.randn(3))
    y = tf.nn.batch_normalization(x, mean, variance, offset, scale, variance_epsilon=1e-3)
    plain = tf.nn.batch_normalization(x, mean, variance, None, None, variance_epsilon=1e-3)
    sess = tf.Session()
    expected = (xv - xv.mean(0)) / np.sqrt(xv.var(0) + 1e-3)
    got, got_plain = sess.run([y, plain], {x: xv})
    np.testing.assert_allclose(got, expected * sess.run(scale) + sess.run(offset), rtol=1e-10)
    np.testing.assert_allclose(got_plain, expected, rtol=1e-10)
    weights = rng.randn(6, 3)
    grad = sess.run(tf.gradients(tf.reduce_sum(plain * weights), x)[0], {x: xv})

    def loss(v: np.ndarray) -> float:
        return float(np.sum((v - v.mean(0)) / np.sqrt(v.var(0) + 1e-3) * weights))

    numeric = np.zeros_like(xv)
    for index in np.ndindex(xv.shape):
        step = np.zeros_like(xv)
        step[index] = 1e-6
        numeric[index] = (loss(xv + step) - loss(xv - step)) / 2e-6
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-7)
