"""Python operators on tensors and variables, the basic math ops, and __getitem__; values are
checked against NumPy, broadcasting and indexing also with hypothesis."""

from __future__ import annotations

import operator
import warnings

import numpy as np
import pytest
from conftest import HYPOTHESIS_SETTINGS
from hypothesis import event, given, settings
from hypothesis import strategies as st

import graphflow as tf


def run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict)


# -- op names and types --------------------------------------------------------------------

FLOAT_OPERATORS = [
    (operator.add, "add", "Add"),
    (operator.sub, "sub", "Sub"),
    (operator.mul, "mul", "Mul"),
    (operator.truediv, "truediv", "RealDiv"),
    (operator.floordiv, "floordiv", "FloorDiv"),
    (operator.mod, "mod", "FloorMod"),
    (operator.pow, "pow", "Pow"),
    (operator.matmul, "matmul", "MatMul"),
    (operator.lt, "Less", "Less"),
    (operator.le, "LessEqual", "LessEqual"),
    (operator.gt, "Greater", "Greater"),
    (operator.ge, "GreaterEqual", "GreaterEqual"),
]


@pytest.mark.parametrize("fn,name,op_type", FLOAT_OPERATORS)
def test_binary_operator_names_and_types(fn, name: str, op_type: str) -> None:
    a = tf.placeholder(tf.float32, [2, 2])
    b = tf.placeholder(tf.float32, [2, 2])
    out = fn(a, b)
    assert out.op.type == op_type
    assert out.name == f"{name}:0"
    assert list(out.op.inputs) == [a, b]
    assert fn(a, b).name == f"{name}_1:0"


def test_unary_and_index_operator_names() -> None:
    a = tf.placeholder(tf.float32, [3])
    assert (-a).name == "Neg:0" and (-a).op.type == "Neg"
    assert abs(a).name == "Abs:0" and abs(a).op.type == "Abs"
    first = a[0]
    assert first.name == "strided_slice:0" and first.op.type == "StridedSlice"
    assert a[1:].name == "strided_slice_1:0"
    b = tf.placeholder(tf.bool, [3])
    assert (b & b).name == "and:0" and (b & b).op.type == "LogicalAnd"
    assert (b | b).name == "or:0" and (b | b).op.type == "LogicalOr"
    assert (~b).name == "LogicalNot:0" and (~b).op.type == "LogicalNot"
    assert (b ^ b).name == "xor:0"


def test_equality_operator_is_identity_not_an_op() -> None:
    a = tf.constant([1.0, 2.0])
    n_ops = len(tf.get_default_graph().get_operations())
    assert (a == a) is True
    assert (a == 1.0) is False
    assert (a != a) is False
    assert len(tf.get_default_graph().get_operations()) == n_ops
    eq = tf.equal(a, [1.0, 3.0])
    assert eq.dtype is tf.bool
    np.testing.assert_array_equal(run(eq), [True, False])
    np.testing.assert_array_equal(run(tf.not_equal(a, [1.0, 3.0])), [False, True])


# -- values against NumPy ------------------------------------------------------------------

X = np.array([[-7.5, 3.25, 0.5], [4.0, -2.0, 9.0]], dtype=np.float32)
Y = np.array([[2.0, -1.5, 4.0], [-3.0, 0.75, 2.5]], dtype=np.float32)
XI = np.array([[-7, 7, 0], [9, -9, 13]], dtype=np.int32)
YI = np.array([[2, -2, 3], [-4, 4, 5]], dtype=np.int32)


@pytest.mark.parametrize(
    "fn",
    [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
     operator.mod, operator.lt, operator.le, operator.gt, operator.ge],
)
@pytest.mark.parametrize("x,y", [(X, Y), (XI, YI)], ids=["float32", "int32"])
def test_binary_operators_match_numpy(fn, x: np.ndarray, y: np.ndarray) -> None:
    a = tf.placeholder(tf.as_dtype(x.dtype), x.shape)
    b = tf.constant(y)
    out = fn(a, b)
    expected = fn(x, y)
    result = run(out, {a: x})
    assert result.dtype == expected.dtype
    assert out.dtype == tf.as_dtype(expected.dtype)
    np.testing.assert_allclose(result, expected, rtol=1e-6)


def test_pow_matches_numpy() -> None:
    base = np.array([0.5, 2.0, 3.0], np.float32)
    exp = np.array([2.0, -1.0, 0.5], np.float32)
    np.testing.assert_allclose(run(tf.constant(base) ** tf.constant(exp)), base**exp, rtol=1e-6)
    ib = np.array([2, 3, -4], np.int32)
    ie = np.array([3, 2, 3], np.int32)
    out = run(tf.constant(ib) ** tf.constant(ie))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, ib**ie)


def test_float_division_by_zero_gives_inf_and_nan_without_warnings() -> None:
    x = np.array([1.0, -1.0, 0.0], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = run(tf.constant(x) / 0.0)
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(out, x / np.float32(0.0))


@pytest.mark.parametrize("reduce", [tf.reduce_mean, tf.reduce_sum],
                         ids=["reduce_mean", "reduce_sum"])
def test_reductions_over_empty_tensors_are_silent(reduce) -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    value = np.zeros((0, 3), np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = run(reduce(x, axis=0), {x: value})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = np.mean(value, axis=0) if reduce is tf.reduce_mean else value.sum(axis=0)
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("fn", [operator.floordiv, operator.mod])
def test_integer_division_by_zero_is_invalid_argument(fn) -> None:
    out = fn(tf.constant([1, 2]), tf.constant([0, 1]))
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(out)
    assert info.value.op is out.op


def test_integer_true_division_gives_float64() -> None:
    out = tf.constant(XI) / tf.constant(YI)
    assert out.dtype is tf.float64
    np.testing.assert_allclose(run(out), XI / YI)
    small = tf.constant(XI.astype(np.int16)) / tf.constant(YI.astype(np.int16))
    assert small.dtype is tf.float32


def test_unary_operators_match_numpy() -> None:
    a = tf.constant(X)
    neg, absolute = run([-a, abs(a)])
    np.testing.assert_array_equal(neg, -X)
    np.testing.assert_array_equal(absolute, np.abs(X))
    np.testing.assert_array_equal(run(-tf.constant(XI)), -XI)
    np.testing.assert_array_equal(run(tf.abs(tf.constant(XI))), np.abs(XI))


def test_matmul_operator_matches_numpy() -> None:
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    b = np.arange(12, dtype=np.float64).reshape(3, 4) - 5
    out = tf.constant(a) @ tf.constant(b)
    assert out.shape.as_list() == [2, 4]
    np.testing.assert_allclose(run(out), a @ b)
    # a nested list on either side becomes a constant
    np.testing.assert_allclose(run(tf.constant(a) @ b.tolist()), a @ b)
    np.testing.assert_allclose(run(a.tolist() @ tf.constant(b)), a @ b)


BOOLS_A = np.array([True, True, False, False])
BOOLS_B = np.array([True, False, True, False])


def test_logical_operators_on_bools() -> None:
    a = tf.constant(BOOLS_A)
    b = tf.placeholder(tf.bool, [4])
    got = run([a & b, a | b, ~a, a ^ b], {b: BOOLS_B})
    np.testing.assert_array_equal(got[0], BOOLS_A & BOOLS_B)
    np.testing.assert_array_equal(got[1], BOOLS_A | BOOLS_B)
    np.testing.assert_array_equal(got[2], ~BOOLS_A)
    np.testing.assert_array_equal(got[3], BOOLS_A ^ BOOLS_B)
    assert all(g.dtype == np.bool_ for g in got)
    np.testing.assert_array_equal(run(True & a), BOOLS_A)
    np.testing.assert_array_equal(run(a ^ True), ~BOOLS_A)


def test_logical_operators_reject_non_bools() -> None:
    f = tf.constant([1.0])
    with pytest.raises(TypeError):
        _ = ~f
    with pytest.raises(TypeError):
        _ = f & f
    with pytest.raises(TypeError):
        _ = -tf.constant([True])


def test_python_values_take_the_tensor_dtype() -> None:
    f64 = tf.constant(np.array([1.0, 2.0]))
    i64 = tf.constant(np.array([1, 2], dtype=np.int64))
    f32 = tf.placeholder(tf.float32, [2])
    cases = [
        (f64 * 2.0, tf.float64, np.array([2.0, 4.0])),
        (2 * f64, tf.float64, np.array([2.0, 4.0])),
        (i64 + 1, tf.int64, np.array([2, 3])),
        (10 - i64, tf.int64, np.array([9, 8])),
        (f32 + [1, 2], tf.float32, np.array([11.0, 22.0])),
        ([1.0, 2.0] + f32, tf.float32, np.array([11.0, 22.0])),
        (2 / f32, tf.float32, np.array([0.2, 0.1])),
        (np.array([1.0, 2.0]) + f32, tf.float32, np.array([11.0, 22.0])),
        (f32 + np.float64(0.5), tf.float32, np.array([10.5, 20.5])),
        (3.0 ** f32, tf.float32, 3.0 ** np.array([10.0, 20.0])),
        (25.0 % f32, tf.float32, np.array([5.0, 5.0])),
        (25.0 // f32, tf.float32, np.array([2.0, 1.0])),
        (f32 > 15, tf.bool, np.array([False, True])),
        (15 < f32, tf.bool, np.array([False, True])),
    ]
    for out, dtype, expected in cases:
        assert out.dtype is dtype, out
        result = run(out, {f32: [10.0, 20.0]})
        assert result.dtype == dtype.as_numpy_dtype
        np.testing.assert_allclose(result, expected, rtol=1e-6)


def test_lossy_python_operand_is_type_error() -> None:
    # documented difference from TF1: graphflow does not truncate 1.5 into an int32 tensor
    with pytest.raises(TypeError):
        tf.constant([1, 2]) + 1.5


def test_operators_on_variables() -> None:
    w = tf.Variable([[1.0, -2.0], [3.0, 4.0]], name="w")
    value = np.array([[1.0, -2.0], [3.0, 4.0]], np.float32)
    exprs = [w + 1.0, 1.0 - w, w * w, w / 2.0, -w, abs(w), w[0], w[:, 1], w @ w, w > 0.0]
    with tf.Session() as sess:
        sess.run(w.initializer)
        got = sess.run(exprs)
    expected = [value + 1, 1 - value, value * value, value / 2, -value, np.abs(value), value[0],
                value[:, 1], value @ value, value > 0]
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e)
    assert exprs[6].name == "strided_slice:0"


# -- math functions ------------------------------------------------------------------------


def test_math_functions_match_numpy() -> None:
    a = tf.placeholder(tf.float64, [None, 3])
    b = tf.constant(Y.astype(np.float64))
    x = X.astype(np.float64)
    y = Y.astype(np.float64)
    outs = run([tf.add(a, b), tf.subtract(a, b), tf.multiply(a, b), tf.divide(a, b),
                tf.square(a), tf.matmul(a, b, transpose_b=True),
                tf.matmul(a, b, transpose_a=True)], {a: x})
    expected = [x + y, x - y, x * y, x / y, x**2, x @ y.T, x.T @ y]
    for got, want in zip(outs, expected):
        assert got.dtype == np.float64
        np.testing.assert_allclose(got, want)


@pytest.mark.parametrize(
    "kwargs,np_kwargs",
    [
        ({}, {}),
        ({"axis": 0}, {"axis": 0}),
        ({"axis": 1}, {"axis": 1}),
        ({"axis": -1}, {"axis": -1}),
        ({"axis": [0, 2]}, {"axis": (0, 2)}),
        ({"axis": 1, "keepdims": True}, {"axis": 1, "keepdims": True}),
        ({"axis": 2, "keep_dims": True}, {"axis": 2, "keepdims": True}),
        ({"keepdims": True}, {"keepdims": True}),
        ({"reduction_indices": 0}, {"axis": 0}),
    ],
)
def test_reductions_match_numpy(kwargs: dict, np_kwargs: dict) -> None:
    value = np.random.RandomState(0).uniform(-3, 3, size=(2, 3, 4))
    x = tf.placeholder(tf.float64, [None, 3, None])
    total, mean = run([tf.reduce_sum(x, **kwargs), tf.reduce_mean(x, **kwargs)], {x: value})
    np.testing.assert_allclose(total, np.sum(value, **np_kwargs))
    np.testing.assert_allclose(mean, np.mean(value, **np_kwargs))
    assert np.shape(total) == np.shape(np.sum(value, **np_kwargs))


def test_integer_reduce_mean_truncates_like_tf1() -> None:
    values = np.array([[1, 2], [-1, -2], [7, 0]], dtype=np.int32)
    out = run(tf.reduce_mean(tf.constant(values), axis=1))
    assert out.dtype == np.int32
    # TF1 divides the integer sum by the count, rounding toward zero
    np.testing.assert_array_equal(out, np.trunc(values.sum(axis=1) / 2).astype(np.int32))
    assert run(tf.reduce_sum(tf.constant(values))) == values.sum()


def test_matmul_runtime_values_with_unknown_dims() -> None:
    a = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None, None])
    av = np.arange(6, dtype=np.float32).reshape(3, 2)
    bv = np.arange(8, dtype=np.float32).reshape(2, 4)
    np.testing.assert_allclose(run(tf.matmul(a, b), {a: av, b: bv}), av @ bv)


# -- hypothesis: broadcasting of + - * -----------------------------------------------------


@st.composite
def shape_pairs(draw):
    """Two shapes that often, but not always, broadcast: the second is derived from the first
    dim by dim (same, 1, or random) and may be shorter or longer."""
    first = draw(st.lists(st.integers(1, 4), min_size=0, max_size=4))
    second = []
    for d in first:
        second.append(draw(st.sampled_from([d, 1, d, draw(st.integers(1, 4))])))
    cut = draw(st.integers(0, len(second)))
    second = second[cut:]
    extra = draw(st.lists(st.integers(1, 3), max_size=2))
    second = extra + second
    if draw(st.booleans()):
        first, second = second, first
    return tuple(first), tuple(second)


def _hide_dims(shape: tuple, mask: list) -> list:
    return [None if hide else d for d, hide in zip(shape, mask)]


def _expected_static(a: list, b: list) -> list:
    """TF1's static broadcast of two shapes that may contain None."""
    rank = max(len(a), len(b))
    a = [1] * (rank - len(a)) + a
    b = [1] * (rank - len(b)) + b
    out = []
    for x, y in zip(a, b):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        else:
            out.append(x)
    return out


@settings(HYPOTHESIS_SETTINGS, max_examples=100)
@given(shapes=shape_pairs(), data=st.data())
def test_broadcasting_matches_numpy(shapes, data) -> None:
    a_shape, b_shape = shapes
    hide_a = data.draw(st.lists(st.booleans(), min_size=len(a_shape), max_size=len(a_shape)))
    hide_b = data.draw(st.lists(st.booleans(), min_size=len(b_shape), max_size=len(b_shape)))
    rng = np.random.RandomState(len(a_shape) * 7 + len(b_shape))
    av = rng.uniform(-5, 5, size=a_shape)
    bv = rng.uniform(-5, 5, size=b_shape)
    try:
        np_shape = np.broadcast_shapes(a_shape, b_shape)
    except ValueError:
        np_shape = None
    event("incompatible" if np_shape is None else "broadcastable")
    with tf.Graph().as_default():
        # fully known shapes: the static shape is exact, and bad shapes fail at build time
        a = tf.constant(av)
        b = tf.placeholder(tf.float64, b_shape)
        for fn in (operator.add, operator.sub, operator.mul):
            if np_shape is None:
                with pytest.raises(ValueError, match="Dimensions must be equal"):
                    fn(a, b)
                with pytest.raises(ValueError):
                    fn(b, a)
                continue
            out = fn(a, b)
            assert out.dtype is tf.float64
            assert tuple(out.shape.as_list()) == np_shape
            np.testing.assert_array_equal(tf.Session().run(out, {b: bv}), fn(av, bv))
        if np_shape is None:
            return
        # dims hidden as None: the static shape is what TF1 infers, the value NumPy's
        pa = tf.placeholder(tf.float64, _hide_dims(a_shape, hide_a))
        pb = tf.placeholder(tf.float64, _hide_dims(b_shape, hide_b))
        expected = _expected_static(pa.shape.as_list(), pb.shape.as_list())
        outs = [pa + pb, pa - pb, pa * pb]
        results = tf.Session().run(outs, {pa: av, pb: bv})
        for out, result, fn in zip(outs, results, (operator.add, operator.sub, operator.mul)):
            assert out.shape.as_list() == expected
            assert out.shape.is_compatible_with(np_shape)
            np.testing.assert_array_equal(result, fn(av, bv))


# -- __getitem__ ---------------------------------------------------------------------------


def test_getitem_examples() -> None:
    value = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    x = tf.placeholder(tf.float32, [None, 3, 4])
    keys = [0, -1, (1, 2), (slice(None), 1), (Ellipsis, 2), (None, 0), (0, tf.newaxis, 1),
            slice(None, None, -1), (slice(None), slice(None, None, 2), slice(3, 0, -2)),
            (Ellipsis, None), (1, Ellipsis, slice(-3, None))]
    outs = [x[k] for k in keys]
    results = run(outs, {x: value})
    for k, out, result in zip(keys, outs, results):
        expected = value[k]
        np.testing.assert_array_equal(result, expected)
        assert out.shape.is_compatible_with(expected.shape), k
        assert out.shape.ndims == expected.ndim, k


def test_getitem_with_scalar_tensor_index() -> None:
    value = np.arange(12).reshape(3, 4)
    x = tf.constant(value)
    i = tf.placeholder(tf.int32, [])
    np.testing.assert_array_equal(run(x[i], {i: 2}), value[2])
    np.testing.assert_array_equal(run(x[:, i], {i: -1}), value[:, -1])


def test_getitem_static_errors() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    with pytest.raises(ValueError):
        x[:, 3]  # out of bounds
    with pytest.raises(ValueError):
        x[:, -4]
    with pytest.raises(ValueError):
        x[0, 0, 0]  # too many indices
    with pytest.raises(ValueError):
        x[::0]  # zero step
    with pytest.raises(TypeError):
        x[1.5]
    with pytest.raises(TypeError):
        x["a"]
    with pytest.raises(ValueError):
        tf.constant(5)[0]


def test_getitem_multiple_ellipses_is_build_time_error() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    with pytest.raises(ValueError):
        x[..., ...]


def test_getitem_out_of_range_at_run_time_is_invalid_argument() -> None:
    x = tf.placeholder(tf.float32, [None])
    y = x[5]
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(y, {x: np.zeros(3)})
    assert info.value.op is y.op


@st.composite
def index_cases(draw):
    """A shape and an index tuple of ints (in range), slices (any start/stop, steps of either
    sign), None and at most one Ellipsis, consuming no more dims than the shape has."""
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)))
    n_consumed = draw(st.integers(0, len(shape)))
    use_ellipsis = draw(st.booleans())
    kinds = [draw(st.sampled_from(["int", "slice", "slice"])) for _ in range(n_consumed)]
    bound = st.one_of(st.none(), st.integers(-7, 7))
    step = st.sampled_from([None, 1, 2, 3, -1, -2, -3])
    items: list = []
    for kind in kinds:
        if kind == "int":
            items.append("int")
        else:
            items.append(slice(draw(bound), draw(bound), draw(step)))
    for _ in range(draw(st.integers(0, 2))):
        items.insert(draw(st.integers(0, len(items))), None)
    if use_ellipsis:
        items.insert(draw(st.integers(0, len(items))), Ellipsis)
    key, position = [], 0
    for item in items:
        if item is Ellipsis:
            position += len(shape) - n_consumed
            key.append(item)
        elif item is None:
            key.append(None)
        elif item == "int":
            d = shape[position]
            key.append(draw(st.integers(-d, d - 1)))
            position += 1
        else:
            key.append(item)
            position += 1
    single = len(key) == 1 and draw(st.booleans())
    return shape, (key[0] if single else tuple(key))


@settings(HYPOTHESIS_SETTINGS, max_examples=100)
@given(case=index_cases(), hide=st.lists(st.booleans(), min_size=3, max_size=3))
def test_getitem_matches_numpy(case, hide) -> None:
    shape, key = case
    value = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    expected = value[key]
    with tf.Graph().as_default():
        known = tf.constant(value)[key]
        partial_input = tf.placeholder(tf.int32, _hide_dims(shape, hide))
        partial = partial_input[key]
        assert known.op.type == "StridedSlice"
        assert known.dtype is tf.int32
        assert tuple(known.shape.as_list()) == expected.shape
        assert partial.shape.ndims == expected.ndim
        assert partial.shape.is_compatible_with(expected.shape)
        got_known, got_partial = tf.Session().run([known, partial], {partial_input: value})
    np.testing.assert_array_equal(got_known, expected)
    np.testing.assert_array_equal(got_partial, expected)
    assert np.shape(got_partial) == expected.shape


def test_lists_holding_tensors_are_packed_as_tf1_does() -> None:
    x = tf.placeholder(tf.float32, [2], name="x")
    packed = tf.convert_to_tensor([x, [3.0, 4.0]])
    assert packed.op.type == "Pack" and packed.shape.as_list() == [2, 2]
    value = np.array([1.0, 2.0], np.float32)
    np.testing.assert_array_equal(run(packed, {x: value}), np.stack([value, [3.0, 4.0]]))
    with pytest.raises((TypeError, ValueError)):
        tf.convert_to_tensor([x, tf.constant([1, 2])])  # int32 next to float32: no promotion
