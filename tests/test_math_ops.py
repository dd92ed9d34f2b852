"""Math ops: values, static shapes, op names and gradients against TensorFlow; build-time errors;
second-order gradients; the lecture's idioms.

The fixture ``golden/math_ops.json`` was produced by ``golden/make_math_golden.py`` with
``tensorflow.compat.v1``; CI only reads it. Each case feeds placeholders whose static shapes may
have unknown dims (or an unknown rank), exactly as the generator built them in TensorFlow.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import graphflow as tf
from graphflow.ops import array_ops, math_ops

GOLDEN = json.loads((Path(__file__).parent / "golden" / "math_ops.json").read_text())
# TF 2's compat.v1 builds AddV2 where TF1 built Add; graphflow follows TF1.
TF1_OP_TYPE = {"AddV2": "Add"}


def _case_id(index: int, case: dict) -> str:
    shapes = ",".join("u" if s["static"] == "unknown" else "x".join(map(str, s["static"]))
                      .replace("None", "?") for s in case["inputs"])
    return f"{index}-{case['fn']}-{case['inputs'][0]['dtype']}-{shapes}"


CASES = [pytest.param(case, id=_case_id(i, case)) for i, case in enumerate(GOLDEN["cases"])]


def _literal(value: object) -> object:
    return tf.as_dtype(value["dtype"]) if isinstance(value, dict) else value


def _input_value(spec: dict) -> np.ndarray:
    if spec["dtype"] == "string":
        return np.array([[s.encode() for s in row] for row in spec["value"]], dtype=object)
    np_type = tf.as_dtype(spec["dtype"]).as_numpy_dtype
    return np.array(spec["value"], dtype=np_type).reshape(spec["shape"])


def _build(case: dict) -> tuple:
    """The case's graph in graphflow: (placeholders, feed, output)."""
    placeholders = [
        tf.placeholder(tf.as_dtype(s["dtype"]), None if s["static"] == "unknown" else s["static"],
                       name=f"x{i}")
        for i, s in enumerate(case["inputs"])
    ]

    def resolve(arg: object) -> object:
        if isinstance(arg, dict) and "input" in arg:
            return placeholders[arg["input"]]
        return _literal(arg)

    function = getattr(math_ops, case["fn"])
    out = function(*[resolve(a) for a in case["args"]],
                   **{k: resolve(v) for k, v in case["kwargs"].items()})
    feed = {p: _input_value(s) for p, s in zip(placeholders, case["inputs"])}
    return placeholders, feed, out


def _assert_close(actual: object, expected: object, dtype: str, shape: list | None = None) -> None:
    """``actual`` equals the golden ``expected`` (reshaped to ``shape`` when given: JSON keeps
    no shape for empty arrays), exactly for ints and bools."""
    np_type = tf.as_dtype(dtype).as_numpy_dtype
    assert np.asarray(actual).dtype == np_type
    expected = np.array(expected, dtype=np_type)
    if shape is not None:
        expected = expected.reshape(shape)
    if dtype in ("float32", "float64"):
        rtol, atol = (2e-5, 1e-6) if dtype == "float32" else (1e-10, 1e-12)
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)
    else:
        np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize("case", CASES)
def test_matches_tensorflow(case: dict) -> None:
    placeholders, feed, out = _build(case)
    expected = case["expected"]
    assert out.dtype.name == expected["dtype"]
    assert out.shape.as_tuple() == (None if expected["shape"] is None
                                    else tuple(expected["shape"]))
    assert out.op.type == TF1_OP_TYPE.get(expected["op_type"], expected["op_type"])
    assert out.op.name == expected["op_name"]
    sess = tf.Session()
    _assert_close(sess.run(out, feed), expected["value"], expected["dtype"])
    if "grads" not in case:
        return
    weights = tf.constant(np.array(case["weights"], out.dtype.as_numpy_dtype))
    grads = tf.gradients(math_ops.reduce_sum(out * weights), placeholders)
    for grad, spec, golden in zip(grads, case["inputs"], case["grads"]):
        assert (grad is None) == (golden is None), spec
        if grad is not None:
            _assert_close(sess.run(grad, feed), golden, spec["dtype"], spec["shape"])


# -- second-order gradients ----------------------------------------------------------------
UNARY = ["sqrt", "rsqrt", "log1p", "reciprocal", "sin", "cos", "sigmoid", "tanh"]


def _second_derivative_check(build: object, value: np.ndarray) -> None:
    """d/dx of the symbolic first gradient against central differences of that gradient."""
    x = tf.placeholder(tf.float64, value.shape)
    y = build(x)
    first = tf.gradients(math_ops.reduce_sum(y), x)[0]
    weights = np.linspace(0.5, 1.5, value.size).reshape(value.shape)
    second = tf.gradients(math_ops.reduce_sum(first * tf.constant(weights)), x)[0]
    sess = tf.Session()
    symbolic = sess.run(second, {x: value})
    numeric = np.zeros_like(value)
    eps = 1e-6
    for index in np.ndindex(value.shape):
        plus, minus = value.copy(), value.copy()
        plus[index] += eps
        minus[index] -= eps
        f_plus = np.sum(sess.run(first, {x: plus}) * weights)
        f_minus = np.sum(sess.run(first, {x: minus}) * weights)
        numeric[index] = (f_plus - f_minus) / (2 * eps)
    np.testing.assert_allclose(symbolic, numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("fn", UNARY)
def test_unary_second_order_gradient(fn: str) -> None:
    value = np.random.RandomState(0).uniform(0.5, 2.0, (2, 3))
    _second_derivative_check(getattr(math_ops, fn), value)


@pytest.mark.parametrize("build", [
    lambda x: math_ops.reduce_prod(x, 1),
    lambda x: math_ops.reduce_logsumexp(x, 0),
    lambda x: math_ops.squared_difference(x, math_ops.reduce_mean(x)),
    lambda x: math_ops.matmul(array_ops.reshape(x, [1, 2, 3]), array_ops.reshape(x, [2, 3, 1])),
    lambda x: math_ops.clip_by_norm(x, 1.0),
    lambda x: math_ops.tensordot(x, x, [[0], [0]]),
], ids=["prod", "logsumexp", "squared_difference", "batch_matmul", "clip_by_norm", "tensordot"])
def test_composite_second_order_gradient(build: object) -> None:
    value = np.random.RandomState(1).uniform(0.5, 2.0, (2, 3))
    _second_derivative_check(build, value)


# -- values the fixture cannot pin down ----------------------------------------------------
def test_sigmoid_float32_extremes_are_finite_and_accurate() -> None:
    value = np.array([-1000.0, -80.0, -20.0, -1e-3, 0.0, 15.0, 40.0, 1000.0], np.float32)
    x = tf.placeholder(tf.float32, [None])
    result = tf.Session().run(math_ops.sigmoid(x), {x: value})
    with np.errstate(over="ignore"):  # exp(1000) is inf in float64 too: 1 / inf is 0
        expected = (1.0 / (1.0 + np.exp(-value.astype(np.float64)))).astype(np.float32)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result, expected, rtol=1e-6, atol=0)


def test_integer_mean_truncates_toward_zero() -> None:
    value = np.array([[-3, -4], [3, 4], [-7, 2]], np.int32)
    mean = tf.Session().run(math_ops.reduce_mean(tf.constant(value), 1))
    assert mean.dtype == np.int32
    np.testing.assert_array_equal(mean, np.trunc(value.mean(axis=1)).astype(np.int32))


def test_integer_mean_sums_without_wrapping() -> None:
    value = np.array([120, 100, 90], np.int8)
    mean = tf.Session().run(math_ops.reduce_mean(tf.constant(value)))
    assert mean.dtype == np.int8 and mean == int(value.astype(np.int64).sum()) // value.size


def test_prod_gradient_with_zeros_matches_products_of_the_others() -> None:
    value = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 4.0], [1.5, 2.0, -3.0]])
    x = tf.placeholder(tf.float64, [None, None])
    grad = tf.gradients(math_ops.reduce_prod(x, 1), x)[0]
    expected = np.array([[np.prod(np.delete(row, j)) for j in range(3)] for row in value])
    np.testing.assert_allclose(tf.Session().run(grad, {x: value}), expected)


def test_max_gradient_splits_evenly_among_ties() -> None:
    value = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], np.float32)
    x = tf.constant(value)
    grad = tf.gradients(math_ops.reduce_max(x, 1), x)[0]
    is_max = value == value.max(axis=1, keepdims=True)
    expected = is_max / is_max.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(tf.Session().run(grad), expected)


def test_reduction_axes_may_be_an_int64_tensor() -> None:
    value = np.arange(6, dtype=np.float32).reshape(2, 3)
    total = math_ops.reduce_sum(tf.constant(value), tf.constant([1], tf.int64))
    assert total.shape.as_list() == [2]
    np.testing.assert_allclose(tf.Session().run(total), value.sum(axis=1))


def test_round_is_bankers_rounding() -> None:
    value = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 2.4999], np.float32)
    rounded = tf.Session().run(math_ops.round(tf.constant(value)))
    assert rounded.dtype == np.float32
    np.testing.assert_array_equal(rounded, np.round(value))


def test_div_is_python2_division() -> None:
    ints = np.array([-7, -6, 7, 6], np.int32)
    floats = ints.astype(np.float64)
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(math_ops.div(tf.constant(ints), 2)), ints // 2)
    np.testing.assert_allclose(sess.run(math_ops.div(tf.constant(floats), 2.0)), floats / 2.0)


def test_lecture_accuracy_idiom() -> None:
    rs = np.random.RandomState(3)
    logits, labels = rs.randn(8, 3).astype(np.float32), rs.randint(0, 3, 8)
    X = tf.placeholder(tf.float32, [None, 3])
    Y = tf.placeholder(tf.float32, [None, 3])
    hypothesis = math_ops.sigmoid(X)
    correct = tf.equal(math_ops.argmax(hypothesis, 1), math_ops.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, dtype=tf.float32))
    predicted = tf.cast(math_ops.sigmoid(X) > 0.5, dtype=tf.float32)
    feed = {X: logits, Y: np.eye(3, dtype=np.float32)[labels]}
    acc, pred = tf.Session().run([accuracy, predicted], feed)
    np.testing.assert_allclose(acc, np.mean(logits.argmax(1) == labels))
    np.testing.assert_array_equal(pred, (logits > 0).astype(np.float32))


def test_argmax_defaults() -> None:
    x = tf.placeholder(tf.float32, [2, 3])
    assert math_ops.argmax(x).dtype == tf.int64
    assert math_ops.argmax(x).shape.as_list() == [3]  # axis=None means 0
    assert math_ops.argmax(x, dimension=1).shape.as_list() == [2]


def test_arg_max_and_arg_min_are_tf1s_older_names() -> None:
    """Lab 7-4 writes ``tf.arg_max(hypothesis, 1)``: the dimension comes second."""
    values = np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]], np.float32)
    x = tf.constant(values)
    with tf.Session() as sess:
        got = sess.run([tf.arg_max(x, 1), tf.arg_min(x, 1), tf.arg_max(x, dimension=0)])
    np.testing.assert_array_equal(got[0], values.argmax(1))
    np.testing.assert_array_equal(got[1], values.argmin(1))
    np.testing.assert_array_equal(got[2], values.argmax(0))
    assert got[0].dtype == np.int64


def test_matmul_keeps_rank_2_on_matmul_and_batches_on_batch_matmul_v2() -> None:
    a = tf.placeholder(tf.float32, [2, 3])
    assert math_ops.matmul(a, tf.placeholder(tf.float32, [3, 4])).op.type == "MatMul"
    batch = math_ops.matmul(a, tf.placeholder(tf.float32, [5, 3, 4]))
    assert batch.op.type == "BatchMatMulV2" and batch.shape.as_list() == [5, 2, 4]


def test_batch_matmul_run_time_mismatch_is_invalid_argument() -> None:
    a = tf.placeholder(tf.float32, [None, None, None])
    b = tf.placeholder(tf.float32, [None, None, None])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[2,2,3\] vs\. \[2,4,5\]"):
        tf.Session().run(math_ops.matmul(a, b), {a: np.ones((2, 2, 3)), b: np.ones((2, 4, 5))})


def test_deprecated_casts_name_their_ops() -> None:
    ints = tf.constant([1, 2])
    floats = tf.constant([1.5, -2.5])
    assert math_ops.to_float(ints).op.name == "ToFloat"
    assert math_ops.to_double(ints).dtype == tf.float64
    assert math_ops.to_int64(floats).dtype == tf.int64
    assert math_ops.to_float(floats) is floats
    np.testing.assert_array_equal(tf.Session().run(math_ops.to_int32(floats)), [1, -2])


def test_mod_is_floormod() -> None:
    assert math_ops.mod is math_ops.floormod


# -- build-time errors ---------------------------------------------------------------------
def _float(shape: list) -> tf.Tensor:
    return tf.placeholder(tf.float32, shape)


ERRORS = [
    ("sqrt of int", lambda: math_ops.sqrt(tf.constant([1, 2])), TypeError,
     r"DataType int32 not in list of allowed values: float16, float32, float64"),
    ("sigmoid of int", lambda: math_ops.sigmoid(tf.constant([1])), TypeError, r"int32"),
    ("is_nan of int", lambda: math_ops.is_nan(tf.constant([1])), TypeError, r"int32"),
    ("squared_difference dtypes",
     lambda: math_ops.squared_difference(_float([2]), tf.constant([1.0], tf.float64)),
     TypeError, r"type float64 that does not match type float32"),
    ("squared_difference shapes",
     lambda: math_ops.squared_difference(_float([2, 3]), _float([4])),
     ValueError, r"Dimensions must be equal, but are 3 and 4"),
    ("div dtypes", lambda: math_ops.div(tf.constant([1]), tf.constant([1.0])), TypeError,
     r"float32 that does not match type int32"),
    ("logical_xor of floats", lambda: math_ops.logical_xor(_float([2]), _float([2])),
     TypeError, r"float32 not in list of allowed values: bool"),
    ("batch matmul inner dims", lambda: math_ops.matmul(_float([2, 2, 3]), _float([2, 4, 5])),
     ValueError, r"Dimensions must be equal, but are 3 and 4.*\[2,2,3\], \[2,4,5\]"),
    ("batch matmul batch dims", lambda: math_ops.matmul(_float([2, 2, 3]), _float([3, 3, 4])),
     ValueError, r"Dimensions must be equal, but are 2 and 3"),
    ("batch matmul rank 1", lambda: math_ops.matmul(_float([3]), _float([2, 3, 4])),
     ValueError, r"at least rank 2 but is rank 1"),
    ("matmul dtypes", lambda: math_ops.matmul(_float([2, 2, 3]), tf.constant(np.ones((3, 2)))),
     TypeError, r"float64 that does not match type float32"),
    ("matmul transpose and adjoint",
     lambda: math_ops.matmul(_float([2, 2]), _float([2, 2]), transpose_a=True, adjoint_a=True),
     ValueError, r"Only one of transpose_a and adjoint_a"),
    ("argmax axis", lambda: math_ops.argmax(_float([2, 3]), 2), ValueError,
     r"Dimension \(2\) must be in the range \[-2, 2\)"),
    ("argmax output_type", lambda: math_ops.argmax(_float([2, 3]), 1, output_type=tf.float32),
     TypeError, r"output_type' of float32 is not in the list of allowed values: int32, int64"),
    ("argmax axis and dimension", lambda: math_ops.argmax(_float([2, 3]), 1, dimension=1),
     ValueError, r"Cannot specify both 'axis' and 'dimension'"),
    ("argmax axis vector", lambda: math_ops.argmax(_float([2, 3]), [0, 1]), ValueError,
     r"Shape must be rank 0 but is rank 1"),
    ("argmax of bool", lambda: math_ops.argmax(tf.constant([True])), TypeError, r"bool"),
    ("cumsum axis", lambda: math_ops.cumsum(_float([2, 3]), 2), ValueError,
     r"Expected scan axis in the range \[-2, 2\), but got 2"),
    ("cumsum axis float", lambda: math_ops.cumsum(_float([2, 3]), tf.constant(1.0)), TypeError,
     r"parameter 'axis' has DataType float32"),
    ("reduce_any of floats", lambda: math_ops.reduce_any(_float([2])), TypeError,
     r"float32 not in list of allowed values: bool"),
    ("reduce_max of bools", lambda: math_ops.reduce_max(tf.constant([True])), TypeError,
     r"DataType bool not in list"),
    ("reduce_prod axis", lambda: math_ops.reduce_prod(_float([2, 3]), 2), ValueError,
     r"Invalid reduction dimension 2 for input with 2 dimensions"),
    ("reduce_sum of a scalar over axis 0", lambda: math_ops.reduce_sum(tf.constant(2.0), 0),
     ValueError, r"Invalid reduction dimension 0 for input with 0 dimensions"),
    ("reduce_min both axes", lambda: math_ops.reduce_min(_float([2]), 0, reduction_indices=0),
     ValueError, r"Cannot specify both 'axis' and 'reduction_indices'"),
    ("reduce_logsumexp both keepdims",
     lambda: math_ops.reduce_logsumexp(_float([2]), keepdims=True, keep_dims=True),
     ValueError, r"Cannot specify both 'keepdims' and 'keep_dims'"),
    ("count_nonzero both inputs",
     lambda: math_ops.count_nonzero(_float([2]), input=_float([2])),
     ValueError, r"Cannot specify both 'input' and 'input_tensor'"),
    ("clip bounds broadcast t", lambda: math_ops.clip_by_value(_float([3]), _float([2, 3]), 1.0),
     ValueError, r"clip arguments must broadcast to the shape of t \(3,\), but give shape"),
    ("clip bound dtype", lambda: math_ops.clip_by_value(_float([3]), 0.0, tf.constant(1)),
     TypeError, r"int32 that does not match type float32"),
    ("clip_by_norm of ints", lambda: math_ops.clip_by_norm(tf.constant([3, 4]), 1), TypeError,
     r"int32 not in list of allowed values"),
    ("tensordot negative axes", lambda: math_ops.tensordot(_float([2, 3]), _float([3]), -1),
     ValueError, r"'axes' must be in \[0, 1\]"),
    ("tensordot axes count", lambda: math_ops.tensordot(_float([2, 3]), _float([3, 2]),
                                                        [[0, 1], [0]]),
     ValueError, r"Different number of contraction axes 'a' and 'b', 2 != 1"),
    ("tensordot dims", lambda: math_ops.tensordot(_float([2, 3]), _float([4, 2]), 1),
     ValueError, r"Dimensions must be equal, but are 3 and 4 \(axis 1 of a, axis 0 of b\)"),
    ("tensordot axis range", lambda: math_ops.tensordot(_float([2, 3]), _float([3, 2]),
                                                        [[2], [0]]),
     ValueError, r"Contraction axis 2 is out of range for 'a' of rank 2"),
    ("tensordot repeated axis", lambda: math_ops.tensordot(_float([3, 3]), _float([3, 3]),
                                                           [[0, -2], [0, 1]]),
     ValueError, r"Contraction axes must be unique, got \[0, 0\] and \[0, 1\]"),
    ("tensordot unknown rank", lambda: math_ops.tensordot(_float(None), _float([3, 2]), 1),
     ValueError, r"known rank"),
    ("tensordot axes form", lambda: math_ops.tensordot(_float([2, 3]), _float([3]), [1, 0, 1]),
     ValueError, r"'axes' must be an integer or a pair of axis lists"),
]


@pytest.mark.parametrize("build,error,pattern", [pytest.param(*e[1:], id=e[0]) for e in ERRORS])
def test_build_time_errors(build: object, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        build()
