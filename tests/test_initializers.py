"""Initializers (core and contrib), contrib regularizers, ``Qr``, ``random_shuffle`` and
``multinomial``, checked against TF's golden fixture (``tests/golden/initializers.json``, made
by ``make_initializers_golden.py``), NumPy, and the distributions the initializers promise.

TF's random streams cannot be matched, so random initializers are checked by their statistics
on large samples: mean and standard deviation against the values implied by the documented
formulas (fans computed here from the shape) and against TF's sample, and the bounds exactly.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import graphflow as tf
from graphflow import initializers
from graphflow.contrib import layers
from graphflow.framework.errors import InvalidArgumentError
from graphflow.ops import random_ops

GOLDEN = json.loads((Path(__file__).parent / "golden" / "initializers.json").read_text())
SEED = 1234
# The standard deviation of a standard normal truncated to [-2, 2], derived from its density.
TRUNCATED_STD = math.sqrt(1 - 4 * math.exp(-2) / math.sqrt(2 * math.pi) / math.erf(math.sqrt(2)))


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict)


def dims_of(tensor):
    return None if tensor.shape.ndims is None else tensor.shape.as_list()


def fans(shape):
    """(fan_in, fan_out): [in, out] matrices, [h, w, in, out] kernels, [n] vectors, scalars."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    field = int(np.prod(shape[:-2]))
    return shape[-2] * field, shape[-1] * field


# -- zeros, ones, constant -------------------------------------------------------------------
@pytest.mark.parametrize("case", GOLDEN["fills"]["cases"],
                         ids=lambda c: f"{c['init']}-{c['shape']}-{c['dtype']}")
def test_fill_and_constant_initializers_match_tf(case) -> None:
    dtype = tf.as_dtype(case["dtype"])
    if case["init"] == "constant_initializer":
        init = initializers.constant_initializer(case["init_value"], dtype=dtype,
                                                 verify_shape=case["verify_shape"])
        if "error" in case:
            with pytest.raises({"TypeError": TypeError, "ValueError": ValueError}[case["error"]]):
                init(case["shape"])
            return
        out = init(case["shape"])
    else:
        out = getattr(initializers, case["init"])()(case["shape"], dtype=dtype)
    value = run(out)
    assert dims_of(out) == case["static_shape"]
    assert out.dtype.name == case["out_dtype"] == np.asarray(value).dtype.name
    if case["value"] is None:  # large: all zeros or all ones
        expected = np.full(case["shape"], case["init"] == "ones_initializer")
        np.testing.assert_array_equal(value, expected)
    else:
        np.testing.assert_array_equal(value, np.asarray(case["value"], dtype=value.dtype))


def test_constant_initializer_errors_name_the_problem() -> None:
    with pytest.raises(ValueError, match="Too many elements provided. Needed at most 2, but "
                                         "received 3"):
        initializers.constant_initializer([1, 2, 3])([2])
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(3, 1\), got \(3,\)"):
        initializers.constant_initializer([1, 2, 3], verify_shape=True)([3, 1])
    with pytest.raises(TypeError, match="Invalid type for initial value"):
        initializers.constant_initializer({1: 2})
    with pytest.raises(TypeError, match="Expected int32"):
        initializers.constant_initializer(1.5)([2], dtype=tf.int32)


@pytest.mark.parametrize("case", GOLDEN["fills"]["shape_tensors"], ids=lambda c: c["init"])
def test_initializers_accept_shape_tensors_like_tf(case) -> None:
    placeholder = tf.placeholder(tf.float32, case["placeholder_shape"])
    out = getattr(initializers, case["init"])()(tf.shape(placeholder))
    assert dims_of(out) == case["static_shape"]
    feed = np.ones([3 if d is None else d for d in case["placeholder_shape"]], np.float32)
    assert run(out, {placeholder: feed}).shape == feed.shape


# -- random initializers ---------------------------------------------------------------------
def expected_distribution(name: str, kwargs: dict, shape: list) -> dict:
    """What the documented formulas promise: the samples' mean and standard deviation, and the
    closed bounds they stay within (None: unbounded)."""
    fan_in, fan_out = fans(shape)

    def scaled(scale, n, distribution):
        variance = scale / max(1.0, n)
        if distribution == "uniform":
            limit = math.sqrt(3 * variance)
            return {"mean": 0.0, "std": limit / math.sqrt(3), "bounds": (-limit, limit)}
        if distribution == "untruncated_normal":
            return {"mean": 0.0, "std": math.sqrt(variance), "bounds": None}
        stddev = math.sqrt(variance) / TRUNCATED_STD
        return {"mean": 0.0, "std": math.sqrt(variance), "bounds": (-2 * stddev, 2 * stddev)}

    if name == "random_normal_initializer":
        return {"mean": kwargs.get("mean", 0.0), "std": kwargs.get("stddev", 1.0),
                "bounds": None}
    if name == "truncated_normal_initializer":
        mean, stddev = kwargs.get("mean", 0.0), kwargs.get("stddev", 1.0)
        return {"mean": mean, "std": stddev * TRUNCATED_STD,
                "bounds": (mean - 2 * stddev, mean + 2 * stddev)}
    if name == "random_uniform_initializer":
        low, high = kwargs.get("minval", 0.0), kwargs.get("maxval", 1.0)
        if isinstance(low, int):  # integers in [low, high)
            count = high - low
            return {"mean": (low + high - 1) / 2, "std": math.sqrt((count ** 2 - 1) / 12),
                    "bounds": (low, high - 1)}
        return {"mean": (low + high) / 2, "std": (high - low) / math.sqrt(12),
                "bounds": (low, high)}
    if name == "glorot_uniform_initializer":
        return scaled(1.0, (fan_in + fan_out) / 2, "uniform")  # limit sqrt(6 / (in + out))
    if name == "glorot_normal_initializer":
        return scaled(1.0, (fan_in + fan_out) / 2, "truncated_normal")
    if name in ("he_normal", "he_uniform", "lecun_normal", "lecun_uniform"):
        scale = 2.0 if name.startswith("he") else 1.0
        return scaled(scale, fan_in, "uniform" if name.endswith("uniform") else "normal")
    if name == "orthogonal_initializer":
        long_side = max(int(np.prod(shape[:-1])), shape[-1])
        return {"mean": 0.0, "std": kwargs.get("gain", 1.0) / math.sqrt(long_side),
                "bounds": None}
    assert name == "variance_scaling_initializer"
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}
    return scaled(kwargs.get("scale", 1.0), n[kwargs.get("mode", "fan_in")],
                  kwargs.get("distribution", "truncated_normal"))


def check_sample(value: np.ndarray, expected: dict, golden: dict) -> None:
    """``value``'s statistics against the formulas and against TF's sample of the same size."""
    n = value.size
    sample = value.astype(np.float64)
    if expected["bounds"] is not None:
        low, high = expected["bounds"]
        slack = 1e-6 * max(abs(low), abs(high))  # float32 rounding of mean + stddev * z
        assert low - slack <= sample.min() and sample.max() <= high + slack
    if n < 1000:
        return
    std = expected["std"]
    assert abs(sample.mean() - expected["mean"]) < 5 * std / math.sqrt(n)
    assert sample.std() == pytest.approx(std, rel=0.03)
    assert abs(sample.mean() - golden["mean"]) < 7 * std / math.sqrt(n)
    assert sample.std() == pytest.approx(golden["std"], rel=0.03)
    if expected["bounds"] is not None:  # a bounded sample reaches close to its bounds
        spread = golden["max"] - golden["min"]
        assert sample.min() == pytest.approx(golden["min"], abs=0.02 * spread)
        assert sample.max() == pytest.approx(golden["max"], abs=0.02 * spread)


def sample_initializer(init, shape, dtype):
    with tf.Graph().as_default():
        tf.set_random_seed(SEED)
        out = init(shape, dtype=tf.as_dtype(dtype))
        return out, run(out)


@pytest.mark.parametrize("case", GOLDEN["random"],
                         ids=lambda c: f"{c['init']}-{c['kwargs']}-{c['shape']}-{c['dtype']}")
def test_random_initializer_statistics_match_formulas_and_tf(case) -> None:
    name, kwargs, shape = case["init"], case["kwargs"], case["shape"]
    out, value = sample_initializer(getattr(initializers, name)(**kwargs), shape, case["dtype"])
    assert dims_of(out) == case["static_shape"]
    assert out.dtype.name == case["dtype"] == value.dtype.name
    if value.size:
        check_sample(value, expected_distribution(name, kwargs, shape), case)
    if name == "orthogonal_initializer":
        matrix = value.reshape(-1, shape[-1]).astype(np.float64)
        gram = matrix.T @ matrix if matrix.shape[0] >= matrix.shape[1] else matrix @ matrix.T
        error = np.abs(gram - kwargs.get("gain", 1.0) ** 2 * np.eye(len(gram))).max()
        assert error <= max(10 * case["gram_error"], 1e-5 if value.dtype == np.float32 else 1e-12)


def test_integer_uniform_initializer_draws_every_value_in_range() -> None:
    value = run(initializers.random_uniform_initializer(-2, 3, dtype=tf.int32)([5000]))
    assert value.dtype == np.int32
    assert set(np.unique(value)) == {-2, -1, 0, 1, 2}


def test_initializers_follow_tf1_seed_rules() -> None:
    seeded = initializers.truncated_normal_initializer(seed=7)
    unseeded = initializers.random_normal_initializer()
    a, b, c, d = seeded([50]), seeded([50]), unseeded([50]), unseeded([50])
    first = run([a, b, c, d])
    np.testing.assert_array_equal(first[0], first[1])  # same op seed: the same numbers
    assert not np.array_equal(first[2], first[3])
    np.testing.assert_array_equal(run(a), first[0])  # and again in a new Session


def test_glorot_and_he_limits_for_dense_and_conv_kernels() -> None:
    for shape in ([30, 20], [3, 3, 16, 8]):
        fan_in, fan_out = fans(shape)
        glorot = run(initializers.glorot_uniform_initializer(seed=1)(shape))
        he = run(initializers.he_uniform(seed=1)(shape))
        assert np.abs(glorot).max() <= math.sqrt(6 / (fan_in + fan_out))
        assert np.abs(glorot).max() > 0.9 * math.sqrt(6 / (fan_in + fan_out))
        assert np.abs(he).max() <= math.sqrt(6 / fan_in)
        assert np.abs(he).max() > 0.9 * math.sqrt(6 / fan_in)


def test_variance_scaling_uses_the_full_shape_of_a_partition() -> None:
    class Partition:
        full_shape = [3000, 1]

    value = run(initializers.variance_scaling_initializer(distribution="uniform")(
        [10, 1], partition_info=Partition()))
    assert np.abs(value).max() <= math.sqrt(3 / 3000)


def test_orthogonal_initializer_of_a_conv_kernel_has_orthonormal_columns() -> None:
    value = run(initializers.orthogonal_initializer(seed=3, dtype=tf.float64)([3, 3, 4, 5]))
    matrix = value.reshape(-1, 5)
    np.testing.assert_allclose(matrix.T @ matrix, np.eye(5), atol=1e-12)


@pytest.mark.parametrize("cls,kwargs", [
    (initializers.Zeros, {"dtype": tf.int64}),
    (initializers.Ones, {}),
    (initializers.Constant, {"value": [1, 2], "dtype": tf.float64}),
    (initializers.RandomUniform, {"minval": -1, "maxval": 2, "seed": 3}),
    (initializers.RandomNormal, {"mean": 1.0, "stddev": 0.5, "seed": 3}),
    (initializers.TruncatedNormal, {"stddev": 0.5}),
    (initializers.VarianceScaling, {"scale": 2.0, "mode": "fan_avg", "distribution": "uniform"}),
    (initializers.GlorotUniform, {"seed": 4}),
    (initializers.GlorotNormal, {"dtype": tf.float64}),
    (initializers.Orthogonal, {"gain": 2.0, "seed": 5}),
])
def test_get_config_round_trips(cls, kwargs) -> None:
    original = cls(**kwargs)
    config = original.get_config()
    json.dumps(config)  # JSON-serializable, as TF promises
    copy = cls.from_config(config)
    assert copy.get_config() == config
    assert copy.dtype == original.dtype


def test_namespace_and_lowercase_aliases() -> None:
    assert initializers.zeros is initializers.zeros_initializer is initializers.Zeros
    assert initializers.glorot_uniform is initializers.GlorotUniform
    assert initializers.variance_scaling is initializers.variance_scaling_initializer
    assert initializers.orthogonal is initializers.orthogonal_initializer
    assert initializers.global_variables is tf.global_variables_initializer
    he = initializers.he_normal(seed=2)
    assert (he.scale, he.mode, he.distribution, he.seed) == (2.0, "fan_in", "truncated_normal",
                                                             2)
    assert initializers.lecun_uniform().get_config()["distribution"] == "uniform"


def test_glorot_initializers_honor_their_dtype_argument() -> None:
    # TF1 passed dtype on to VarianceScaling (TF 2.21's compat.v1 drops it).
    assert initializers.glorot_uniform_initializer(dtype=tf.float64)([2, 2]).dtype == tf.float64
    assert initializers.glorot_normal_initializer(dtype=tf.float64)([2, 2]).dtype == tf.float64


def test_initializer_argument_errors() -> None:
    with pytest.raises(ValueError, match="Expected floating point type, got <dtype: 'int32'>"):
        initializers.random_normal_initializer(dtype=tf.int32)
    with pytest.raises(ValueError, match="`scale` must be a positive float. Received: 0"):
        initializers.variance_scaling_initializer(scale=0)
    with pytest.raises(ValueError, match="`mode` should be one of .* Received: FAN_IN"):
        initializers.variance_scaling_initializer(mode="FAN_IN")
    with pytest.raises(ValueError, match="`distribution` should be one of .* Received: gauss"):
        initializers.variance_scaling_initializer(distribution="gauss")
    with pytest.raises(ValueError, match="at least two-dimensional, got shape \\[3\\]"):
        initializers.orthogonal_initializer()([3])
    with pytest.raises(ValueError, match=r"fully defined shape, got \(2, \?\)"):
        initializers.glorot_uniform_initializer()([2, None])
    with pytest.raises(TypeError, match="needs a shape known at build time"):
        initializers.glorot_uniform_initializer()(tf.placeholder(tf.int32, [2]))
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype"):
        initializers.random_uniform_initializer(dtype=tf.int32)([3])
    with pytest.raises(TypeError, match="float32, float64"):
        initializers.orthogonal_initializer()([2, 2], dtype=tf.float16)


def test_initializers_make_variables_directly() -> None:
    w = tf.Variable(initializers.glorot_normal_initializer(seed=1)([4, 3]), name="w")
    b = tf.Variable(initializers.constant_initializer(0.1)([3]), name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w_value, b_value = sess.run([w, b])
    assert w_value.shape == (4, 3) and w_value.dtype == np.float32
    np.testing.assert_array_equal(b_value, np.full(3, 0.1, np.float32))


# -- contrib.layers ----------------------------------------------------------------------------
def contrib_expected(name: str, kwargs: dict, shape: list) -> dict:
    """TF1 contrib's own formulas: no max(1, n) guard, and truncated normal samples drawn with
    stddev sqrt(1.3 * factor / n) (not core's 1 / 0.8796 correction)."""
    factor = kwargs.get("factor", 1.0 if name == "xavier_initializer" else 2.0)
    mode = "FAN_AVG" if name == "xavier_initializer" else kwargs.get("mode", "FAN_IN")
    uniform = kwargs.get("uniform", name == "xavier_initializer")
    fan_in, fan_out = fans(shape)
    n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2}[mode]
    if uniform:
        limit = math.sqrt(3 * factor / n)
        return {"mean": 0.0, "std": limit / math.sqrt(3), "bounds": (-limit, limit)}
    stddev = math.sqrt(1.3 * factor / n)
    return {"mean": 0.0, "std": stddev * TRUNCATED_STD, "bounds": (-2 * stddev, 2 * stddev)}


@pytest.mark.parametrize("case", GOLDEN["contrib"]["initializers"],
                         ids=lambda c: f"{c['function']}-{c['kwargs']}-{c['shape']}")
def test_contrib_initializers_match_tf1_contrib(case) -> None:
    name, kwargs, shape = case["function"], case["kwargs"], case["shape"]
    out, value = sample_initializer(getattr(layers, name)(**kwargs), shape, "float32")
    assert dims_of(out) == case["static_shape"]
    assert value.dtype == np.float32
    check_sample(value, contrib_expected(name, kwargs, shape), case)


def test_contrib_initializer_errors() -> None:
    with pytest.raises(TypeError, match="Cannot create initializer for non-floating point"):
        layers.xavier_initializer(dtype=tf.int32)
    with pytest.raises(TypeError, match="Unknown mode fan_in"):
        layers.variance_scaling_initializer(mode="fan_in")
    with pytest.raises(TypeError, match="Cannot create initializer for non-floating point"):
        layers.variance_scaling_initializer()([2, 2], dtype=tf.int32)
    assert layers.xavier_initializer_conv2d is layers.xavier_initializer


@pytest.mark.parametrize("case", GOLDEN["contrib"]["regularizers"],
                         ids=lambda c: f"{c['function']}-{c['shape']}-{c['dtype']}")
def test_regularizer_values_and_gradients_match_tf(case) -> None:
    index = GOLDEN["contrib"]["regularizers"].index(case)
    rs = np.random.RandomState(100 + index)  # the generator's inputs
    weights = rs.uniform(-2.0, 2.0, size=case["shape"]).astype(case["dtype"])
    weight = float(rs.uniform(0.5, 1.5))
    w = tf.placeholder(tf.as_dtype(case["dtype"]), case["shape"])
    out = getattr(layers, case["function"])(case["scale"])(w)
    grad = tf.gradients(tf.reduce_sum(out * weight), w)[0]
    value, grad_value = run([out, grad], {w: weights})
    assert out.name == case["name"]
    assert dims_of(out) == case["static_shape"]
    assert value.dtype == weights.dtype and grad_value.dtype == weights.dtype
    rtol = 1e-5 if case["dtype"] == "float32" else 1e-12
    np.testing.assert_allclose(value, case["value"], rtol=rtol)
    np.testing.assert_allclose(grad_value, case["grad"], rtol=rtol, atol=1e-7)


def test_regularizer_scale_rules() -> None:
    assert layers.l2_regularizer(0.0)(tf.constant([1.0])) is None
    assert layers.l1_regularizer(0.0)(tf.constant([1.0])) is None
    with pytest.raises(ValueError, match="scale cannot be an integer: 1"):
        layers.l1_regularizer(1)
    with pytest.raises(ValueError, match="less than 0 on a regularizer: -0.5"):
        layers.l2_regularizer(-0.5)
    scale = tf.placeholder(tf.float32, [])
    out = layers.l2_regularizer(scale, scope="decay")(tf.constant([3.0, 4.0]))
    assert out.name == "decay:0"
    assert run(out, {scale: 0.5}) == pytest.approx(0.5 * 25 / 2)


# -- Qr ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", GOLDEN["qr"]["static_shapes"], ids=str)
def test_qr_static_shapes_match_tf(case) -> None:
    q, r = initializers.qr(tf.placeholder(tf.float64, case["shape"]), case["full_matrices"])
    assert (dims_of(q), dims_of(r)) == (case["q"], case["r"])


@pytest.mark.parametrize("case", GOLDEN["qr"]["values"], ids=str)
def test_qr_values_match_tf_up_to_signs(case) -> None:
    index = GOLDEN["qr"]["values"].index(case)
    a = np.random.RandomState(200 + index).randn(*case["shape"]).astype(np.float32)
    q, r = run(initializers.qr(a, full_matrices=case["full_matrices"]))
    assert q.dtype == r.dtype == np.float32
    np.testing.assert_allclose(q @ r, a, atol=1e-5)

    def canonical(q_value, r_value):  # QR is unique up to the signs of r's diagonal
        k = min(r_value.shape[-2:])
        signs = np.sign(np.diagonal(r_value, axis1=-2, axis2=-1))[..., :k]
        return q_value[..., :k] * signs[..., None, :], r_value[..., :k, :] * signs[..., :, None]

    for mine, golden in zip(canonical(q, r), canonical(np.array(case["q"]), np.array(case["r"]))):
        np.testing.assert_allclose(mine, golden, rtol=1e-4, atol=1e-5)


def test_qr_errors_and_no_gradient() -> None:
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):
        initializers.qr(tf.placeholder(tf.int32, [3, 3]))
    with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
        initializers.qr(tf.placeholder(tf.float32, [3]))
    x = tf.placeholder(tf.float32, [3, 3])
    with pytest.raises(LookupError, match="Qr"):
        tf.gradients(tf.reduce_sum(initializers.qr(x).q), x)


# -- random_shuffle ------------------------------------------------------------------------------
@pytest.mark.parametrize("case", GOLDEN["random_ops"]["shuffle"], ids=str)
def test_random_shuffle_static_shape_and_name_match_tf(case) -> None:
    out = random_ops.random_shuffle(tf.placeholder(tf.as_dtype(case["dtype"]), case["shape"]),
                                    seed=3)
    assert dims_of(out) == case["static_shape"]
    assert out.dtype.name == case["out_dtype"]
    assert [out.op.name, out.op.type] == case["op"]
    assert (out.op.get_attr("seed"), out.op.get_attr("seed2")) == (87654321, 3)


def test_random_shuffle_permutes_the_first_dimension() -> None:
    value = np.arange(60, dtype=np.int32).reshape(20, 3)
    out = random_ops.random_shuffle(value)
    with tf.Session() as sess:
        draws = [sess.run(out) for _ in range(3)]
    for drawn in draws:
        assert drawn.dtype == np.int32
        np.testing.assert_array_equal(np.sort(drawn[:, 0]), value[:, 0])
        np.testing.assert_array_equal(drawn, value[drawn[:, 0] // 3])  # whole rows move
    assert not all(np.array_equal(draws[0], d) for d in draws[1:])  # a new order each run
    assert run(random_ops.random_shuffle(np.float32(2.5))) == np.float32(2.5)
    words = run(random_ops.random_shuffle(["a", "b", "c"]))
    assert sorted(words) == [b"a", b"b", b"c"]


def test_random_shuffle_is_reproducible_with_a_seed() -> None:
    out = random_ops.random_shuffle(np.arange(50), seed=11)
    np.testing.assert_array_equal(run(out), run(out))


def test_random_shuffle_has_no_gradient() -> None:
    x = tf.placeholder(tf.float32, [4])
    assert tf.gradients(tf.reduce_sum(random_ops.random_shuffle(x)), x) == [None]


# -- multinomial ---------------------------------------------------------------------------------
@pytest.mark.parametrize("case", GOLDEN["random_ops"]["multinomial_shapes"], ids=str)
def test_multinomial_static_shape_and_name_match_tf(case) -> None:
    logits = tf.placeholder(tf.float32, case["shape"])
    count = tf.placeholder(tf.int32, []) if case["num_samples"] is None else case["num_samples"]
    out = random_ops.multinomial(logits, count,
                                 output_dtype=case["dtype"] and tf.as_dtype(case["dtype"]))
    assert dims_of(out) == case["static_shape"]
    assert out.dtype.name == case["out_dtype"]
    assert out.op.name == case["op"] and out.op.type == "Multinomial"


def test_multinomial_frequencies_match_softmax_and_tf() -> None:
    logits = np.array([[0.0, 1.0, 2.0, -np.inf], [-1.0, -1.0, 0.5, 3.0], [0.0, 0.0, 0.0, 0.0]],
                      np.float32)
    count = 20000
    tf.set_random_seed(SEED)
    drawn = run(random_ops.multinomial(logits, count))
    assert drawn.dtype == np.int64 and drawn.shape == (3, count)
    probabilities = np.exp(logits - logits.max(1, keepdims=True))
    probabilities /= probabilities.sum(1, keepdims=True)
    golden = np.array(GOLDEN["random_ops"]["multinomial_frequencies"])
    for row, p, tf_frequency in zip(drawn, probabilities, golden):
        frequency = np.bincount(row, minlength=4) / count
        sigma = np.sqrt(p * (1 - p) / count)
        assert np.all(np.abs(frequency - p) <= 5 * sigma)
        assert np.all(np.abs(frequency - tf_frequency) <= 7 * sigma)
    assert not np.any(drawn[0] == 3)  # a -inf logit is never drawn


def test_multinomial_shuffles_the_samples_of_a_row() -> None:
    drawn = run(random_ops.multinomial([[0.0, 0.0]], 2000, seed=1))[0]
    assert 400 < np.count_nonzero(drawn[:1000]) < 600  # not sorted by class


def test_multinomial_edge_cases_and_errors() -> None:
    assert run(random_ops.categorical([[1.0, 2.0]], 0, dtype=tf.int32)).shape == (1, 0)
    assert run(random_ops.multinomial(np.zeros((0, 3), np.float64), 4)).shape == (0, 4)
    assert run(random_ops.multinomial([[1, 2]], 3)).dtype == np.int64  # integer logits
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1"):
        random_ops.multinomial([1.0, 2.0], 3)
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        random_ops.multinomial([[1.0, 2.0]], [3])
    with pytest.raises(TypeError, match="Expected int32"):
        random_ops.multinomial([[1.0, 2.0]], 2.5)
    with pytest.raises(TypeError, match="'output_dtype' of float32 is not in the list"):
        random_ops.multinomial([[1.0, 2.0]], 2, output_dtype=tf.float32)
    count = tf.placeholder(tf.int32, [])
    out = random_ops.multinomial([[1.0, 2.0]], count)
    with pytest.raises(InvalidArgumentError, match="num_samples should be nonnegative, got -1"):
        run(out, {count: -1})
    with pytest.raises(InvalidArgumentError, match="num_classes should be positive"):
        run(random_ops.multinomial(np.zeros((2, 0), np.float32), 3))
