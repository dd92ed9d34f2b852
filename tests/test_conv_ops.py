"""Convolution and pooling ops: values, static shapes, op names and gradients against
TensorFlow; a direct NumPy reference over random geometries; max-pool tie routing;
second-order gradients; build-time and run-time errors; the lecture's CNN idioms.

The fixture ``golden/conv_ops.json`` was produced by ``golden/make_conv_golden.py`` with
``tensorflow.compat.v1``; CI only reads it. Each case feeds placeholders whose static shapes may
have unknown dims (or an unknown rank), exactly as the generator built them in TensorFlow.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import graphflow as tf
from graphflow.ops import array_ops, conv_ops, math_ops
from tests.conftest import HYPOTHESIS_SETTINGS

GOLDEN = json.loads((Path(__file__).parent / "golden" / "conv_ops.json").read_text())


def _case_id(index: int, case: dict) -> str:
    shapes = ",".join("u" if s["static"] == "unknown" else "x".join(map(str, s["static"]))
                      .replace("None", "?") for s in case["inputs"])
    return f"{index}-{case['fn']}-{case['inputs'][0]['dtype']}-{shapes}"


CASES = [pytest.param(case, id=_case_id(i, case)) for i, case in enumerate(GOLDEN["cases"])]


def _input_value(spec: dict) -> np.ndarray:
    np_type = tf.as_dtype(spec["dtype"]).as_numpy_dtype
    return np.array(spec["value"], dtype=np_type).reshape(spec["shape"])


def _assert_close(actual: object, expected: object, dtype: str, shape: list) -> None:
    np_type = tf.as_dtype(dtype).as_numpy_dtype
    assert np.asarray(actual).dtype == np_type
    expected = np.array(expected, dtype=np_type).reshape(shape)
    if dtype == "float32":
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=2e-6)
    elif dtype == "float64":
        np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-12)
    else:
        np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize("case", CASES)
def test_matches_tensorflow(case: dict) -> None:
    placeholders = [
        tf.placeholder(tf.as_dtype(s["dtype"]), None if s["static"] == "unknown" else s["static"],
                       name=f"x{i}")
        for i, s in enumerate(case["inputs"])
    ]
    out = getattr(conv_ops, case["fn"])(*placeholders, **case["kwargs"])
    expected = case["expected"]
    assert out.dtype.name == expected["dtype"]
    assert out.shape.as_tuple() == (None if expected["shape"] is None
                                    else tuple(expected["shape"]))
    if "rate" in case["kwargs"]:
        # TF1 builds a dilated depthwise_conv2d from SpaceToBatchND, the depthwise op and
        # BatchToSpaceND; graphflow builds the one op with its dilations attribute.
        assert (out.op.type, out.op.name) == ("DepthwiseConv2dNative", "depthwise")
    else:
        assert (out.op.type, out.op.name) == (expected["op_type"], expected["op_name"])
    feed = {p: _input_value(s) for p, s in zip(placeholders, case["inputs"])}
    value = tf.Session().run(out, feed)
    _assert_close(value, expected["value"], expected["dtype"], np.shape(value))
    if "grads" not in case:
        return
    weights = tf.constant(np.array(case["weights"], out.dtype.as_numpy_dtype))
    grads = tf.gradients(math_ops.reduce_sum(out * weights), placeholders)
    for grad, spec, golden in zip(tf.Session().run(grads, feed), case["inputs"], case["grads"]):
        _assert_close(grad, golden, spec["dtype"], spec["shape"])


def test_golden_grid_covers_the_geometry() -> None:
    """The fixture really holds what the tests rely on: uneven SAME padding, ties, dilations."""
    kwargs = [c["kwargs"] for c in GOLDEN["cases"]]
    assert {"conv2d", "conv2d_transpose", "depthwise_conv2d", "max_pool", "avg_pool"} == {
        c["fn"] for c in GOLDEN["cases"]}
    assert any("dilations" in k and "grads" in c for k, c in zip(kwargs, GOLDEN["cases"]))
    assert any(s["kind"] == "ties" for c in GOLDEN["cases"] for s in c["inputs"])
    assert {k["padding"] for k in kwargs} == {"SAME", "VALID"}


# -- a direct reference: loops over output positions, in float64 -------------------------
def _reference_conv(x: np.ndarray, f: np.ndarray, strides: tuple, dilations: tuple,
                    padding: str) -> np.ndarray:
    """Conv2D computed the plain way: pad as TF1 documents, then one window at a time."""
    n, h, w, c = x.shape
    kh, kw, _, o = f.shape
    spans = [(kh - 1) * dilations[0] + 1, (kw - 1) * dilations[1] + 1]
    pads, outs = [], []
    for size, span, stride in zip((h, w), spans, strides):
        if padding == "VALID":
            outs.append((size - span) // stride + 1)
            pads.append((0, 0))
        else:
            out = -(-size // stride)
            total = max((out - 1) * stride + span - size, 0)
            outs.append(out)
            pads.append((total // 2, total - total // 2))
    padded = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    result = np.zeros((n, outs[0], outs[1], o))
    for i in range(outs[0]):
        for j in range(outs[1]):
            top, left = i * strides[0], j * strides[1]
            window = padded[:, top:top + spans[0]:dilations[0], left:left + spans[1]:dilations[1]]
            result[:, i, j] = np.tensordot(window, f, axes=3)
    return result


@HYPOTHESIS_SETTINGS
@given(size=st.tuples(st.integers(3, 8), st.integers(3, 8)),
       kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       strides=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       dilations=st.tuples(st.integers(1, 2), st.integers(1, 2)),
       padding=st.sampled_from(["SAME", "VALID"]),
       seed=st.integers(0, 1000))
def test_conv2d_and_its_transpose_match_a_direct_reference(size: tuple, kernel: tuple,
                                                           strides: tuple, dilations: tuple,
                                                           padding: str, seed: int) -> None:
    spans = [(k - 1) * d + 1 for k, d in zip(kernel, dilations)]
    if padding == "VALID" and any(s < span for s, span in zip(size, spans)):
        return  # no output: covered by the error tests
    rs = np.random.RandomState(seed)
    x = rs.randn(2, *size, 2)
    f = rs.randn(*kernel, 2, 3)
    expected = _reference_conv(x, f, strides, dilations, padding)
    dy = rs.randn(*expected.shape)
    with tf.Graph().as_default():
        out = conv_ops.conv2d(x, f, strides, padding, dilations=dilations)
        # conv2d_transpose is the adjoint of conv2d: <conv(x), dy> == <x, conv^T(dy)>
        back = conv_ops.conv2d_transpose(dy, f, x.shape, strides, padding, dilations=dilations)
        value, transposed = tf.Session().run([out, back])
    np.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(np.vdot(transposed, x), np.vdot(dy, expected), rtol=1e-10)


def test_depthwise_conv2d_is_a_conv2d_per_channel() -> None:
    rs = np.random.RandomState(3)
    x, f = rs.randn(2, 7, 6, 3), rs.randn(3, 2, 3, 2)
    out = conv_ops.depthwise_conv2d(x, f, [1, 2, 1, 1], "SAME", rate=[1, 2])
    value = tf.Session().run(out)
    for c in range(3):
        expected = _reference_conv(x[..., c:c + 1], f[:, :, c:c + 1], (2, 1), (1, 2), "SAME")
        np.testing.assert_allclose(value[..., 2 * c:2 * c + 2], expected, rtol=1e-10)


def test_pools_match_numpy_on_tiled_windows() -> None:
    rs = np.random.RandomState(5)
    x = rs.randn(2, 6, 4, 3).astype(np.float32)
    tiles = x.reshape(2, 3, 2, 2, 2, 3)
    max_out = conv_ops.max_pool(x, 2, 2, "VALID")
    avg_out = conv_ops.avg_pool(x, 2, 2, "VALID")
    max_value, avg_value = tf.Session().run([max_out, avg_out])
    np.testing.assert_array_equal(max_value, tiles.max(axis=(2, 4)))
    np.testing.assert_allclose(avg_value, tiles.mean(axis=(2, 4)), rtol=1e-6)
    assert max_value.dtype == avg_value.dtype == np.float32


def test_avg_pool_divides_by_the_input_elements_of_each_window() -> None:
    x = np.ones((1, 3, 3, 1), np.float32)
    x[0, 2, 2, 0] = 4.0
    value = tf.Session().run(conv_ops.avg_pool(x, 2, 2, "SAME"))
    # windows: 2x2 (mean 1), 2x1 and 1x2 (mean 1), and the lone corner (4): padding not counted
    np.testing.assert_array_equal(value[0, :, :, 0], [[1.0, 1.0], [1.0, 4.0]])


# -- max-pool gradient routing -------------------------------------------------------------
def test_max_pool_gradient_goes_to_the_first_maximum_of_each_window() -> None:
    """TF1 routes a window's gradient to its first maximum in row-major order, also when
    windows overlap, so an element can collect the gradients of several windows."""
    x = tf.placeholder(tf.float32, [1, 3, 3, 1])
    pooled = conv_ops.max_pool(x, 2, 1, "SAME")
    grad = tf.gradients(pooled, x)[0]
    value = np.array([[0, 3, 3], [3, 0, 3], [3, 3, 0]], np.float32).reshape(1, 3, 3, 1)
    routed = tf.Session().run(grad, {x: value})
    np.testing.assert_array_equal(routed.reshape(3, 3), [[0, 2, 1], [1, 0, 2], [1, 1, 1]])
    assert grad.op.type == "MaxPoolGrad"


def test_max_pool_gradient_of_a_flat_window_goes_to_its_top_left() -> None:
    x = tf.constant(np.full((1, 2, 2, 2), 7.0, np.float32))
    grad = tf.gradients(conv_ops.max_pool(x, 2, 2, "VALID"), x)[0]
    routed = tf.Session().run(grad)
    np.testing.assert_array_equal(routed[0, :, :, 0], [[1, 0], [0, 0]])
    np.testing.assert_array_equal(routed[0, :, :, 1], [[1, 0], [0, 0]])


def test_max_pool_gradient_routes_infinities_without_making_nans() -> None:
    x = tf.constant(np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1))
    grad = tf.placeholder(tf.float32, [1, 2, 2, 1])
    pooled = conv_ops.max_pool(x, 2, 2, "VALID")
    routed = tf.gradients(pooled, x, grad_ys=grad)[0]
    back = tf.gradients(routed, grad, grad_ys=x)[0]  # MaxPoolGradGrad
    feed = {grad: np.array([np.inf, 1, -np.inf, 2], np.float32).reshape(1, 2, 2, 1)}
    routed_value, back_value = tf.Session().run([routed, back], feed)
    expected = np.zeros((4, 4), np.float32)
    expected[1, 1], expected[1, 3], expected[3, 1], expected[3, 3] = np.inf, 1, -np.inf, 2
    np.testing.assert_array_equal(routed_value[0, :, :, 0], expected)
    np.testing.assert_array_equal(back_value.ravel(), [5, 7, 13, 15])


def test_int_max_pool_pads_with_the_lowest_int() -> None:
    x = np.full((1, 3, 3, 1), -5, np.int32)
    value = tf.Session().run(conv_ops.max_pool(x, 2, 2, "SAME"))
    assert value.dtype == np.int32
    np.testing.assert_array_equal(value, np.full((1, 2, 2, 1), -5))


# -- gradients as ops, second order --------------------------------------------------------
def test_gradients_build_tf1s_backprop_ops() -> None:
    x = tf.placeholder(tf.float32, [None, 8, 8, 2])
    f = tf.constant(np.ones((3, 3, 2, 4), np.float32))
    y = conv_ops.avg_pool(conv_ops.conv2d(x, f, 1, "SAME"), 2, 2, "VALID")
    gx, gf = tf.gradients(math_ops.reduce_sum(y), [x, f])
    assert gx.op.type == "Conv2DBackpropInput" and gx.shape.as_tuple() == (None, 8, 8, 2)
    assert gf.op.type == "Conv2DBackpropFilter" and gf.shape.as_tuple() == (3, 3, 2, 4)
    assert gx.op.inputs[2].op.type == "AvgPoolGrad"


def _numeric_gradient(function: object, value: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    numeric = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        plus, minus = value.copy(), value.copy()
        plus[index] += eps
        minus[index] -= eps
        numeric[index] = (function(plus) - function(minus)) / (2 * eps)
    return numeric


@pytest.mark.parametrize("strides,padding,dilations", [(1, "SAME", 1), (2, "VALID", 1),
                                                       (2, "SAME", 2)])
def test_second_order_gradient_of_conv2d(strides: int, padding: str, dilations: int) -> None:
    """d/df of (d loss/dx . v), through Conv2DBackpropInput's own gradient, against central
    differences of the first gradient; loss is cubic in the conv so the result depends on f."""
    rs = np.random.RandomState(11)
    x_value, f_value = rs.randn(1, 5, 5, 2), rs.randn(2, 2, 2, 3)
    x, f = tf.placeholder(tf.float64, [None, 5, 5, 2]), tf.placeholder(tf.float64, None)
    y = conv_ops.conv2d(x, f, strides, padding, dilations=dilations)
    first = tf.gradients(math_ops.reduce_sum(y * y * y), x)[0]
    v = tf.constant(rs.randn(1, 5, 5, 2))
    second = tf.gradients(math_ops.reduce_sum(first * v), f)[0]
    sess = tf.Session()
    v_value = sess.run(v)
    symbolic = sess.run(second, {x: x_value, f: f_value})
    numeric = _numeric_gradient(
        lambda fv: np.sum(sess.run(first, {x: x_value, f: fv}) * v_value), f_value)
    np.testing.assert_allclose(symbolic, numeric, rtol=1e-6, atol=1e-8)


def test_second_order_gradient_of_max_pool_is_routed_like_the_first() -> None:
    rs = np.random.RandomState(2)
    x_value = rs.randn(1, 4, 4, 2)
    x = tf.placeholder(tf.float64, x_value.shape)
    pooled = conv_ops.max_pool(x, 3, 1, "SAME")
    first = tf.gradients(math_ops.reduce_sum(pooled * pooled), x)[0]
    second = tf.gradients(math_ops.reduce_sum(first), x)[0]
    symbolic = tf.Session().run(second, {x: x_value})
    numeric = _numeric_gradient(lambda xv: np.sum(tf.Session().run(first, {x: xv})), x_value)
    np.testing.assert_allclose(symbolic, numeric, rtol=1e-6, atol=1e-8)


# -- static shapes and names ---------------------------------------------------------------
def test_lab11_shapes_and_names() -> None:
    """The shapes the lecture prints for its CNN, and TF1's default op names."""
    X = tf.placeholder(tf.float32, [None, 784])
    X_img = tf.reshape(X, [-1, 28, 28, 1])
    W1 = tf.Variable(tf.random_normal([3, 3, 1, 32], stddev=0.01))
    L1 = conv_ops.conv2d(X_img, W1, strides=[1, 1, 1, 1], padding="SAME")
    assert str(L1) == 'Tensor("Conv2D:0", shape=(?, 28, 28, 32), dtype=float32)'
    L1 = conv_ops.max_pool(L1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    assert str(L1) == 'Tensor("MaxPool:0", shape=(?, 14, 14, 32), dtype=float32)'
    W2 = tf.Variable(tf.random_normal([3, 3, 32, 64], stddev=0.01))
    L2 = conv_ops.max_pool(conv_ops.conv2d(L1, W2, [1, 1, 1, 1], "SAME"), [1, 2, 2, 1],
                           [1, 2, 2, 1], "SAME", name="pool2")
    assert str(L2) == 'Tensor("pool2:0", shape=(?, 7, 7, 64), dtype=float32)'
    assert conv_ops.avg_pool(L2, 2, 2, "VALID").op.name == "AvgPool"
    assert conv_ops.conv2d(L1, W2, 1, "SAME", name="c").op.name == "c"


def test_conv2d_transpose_takes_its_static_shape_from_output_shape() -> None:
    """TF1 reads the whole static shape from a constant ``output_shape`` (TF 2.21's compat
    mode leaves the batch unknown when the input's batch is unknown)."""
    value = tf.placeholder(tf.float32, [None, 4, 4, 3])
    f = array_ops.zeros([3, 3, 2, 3])
    out = conv_ops.conv2d_transpose(value, f, [5, 8, 8, 2], [1, 2, 2, 1])
    assert out.shape.as_tuple() == (5, 8, 8, 2)
    assert (out.op.type, out.op.name) == ("Conv2DBackpropInput", "conv2d_transpose")
    batch = tf.shape(value)[0]
    dynamic = conv_ops.conv2d_transpose(value, f, [batch, 8, 8, 2], 2, "SAME")
    assert dynamic.shape.as_tuple() == (None, 8, 8, 2)
    result = tf.Session().run(dynamic, {value: np.ones((3, 4, 4, 3), np.float32)})
    assert result.shape == (3, 8, 8, 2)


def test_aliases_build_the_same_ops() -> None:
    x = tf.placeholder(tf.float32, [None, 6, 6, 2])
    f = array_ops.zeros([3, 3, 2, 4])
    assert conv_ops.conv2d_v2(x, f, 2, "SAME").shape.as_tuple() == (None, 3, 3, 4)
    assert conv_ops.conv2d(x, filters=f, strides=2, padding="SAME").op.type == "Conv2D"
    assert conv_ops.max_pool2d(x, 3, 2, "VALID").shape.as_tuple() == (None, 2, 2, 2)
    assert conv_ops.avg_pool_v2(x, 2, 2, "VALID").op.type == "AvgPool"
    out = conv_ops.depthwise_conv2d_native(x, array_ops.zeros([3, 3, 2, 3]), [1, 1, 1, 1], "VALID")
    assert (out.op.name, out.shape.as_tuple()) == ("DepthwiseConv2dNative", (None, 4, 4, 6))
    y = conv_ops.conv2d_transpose_v2(array_ops.zeros([1, 3, 3, 4]), f, [1, 6, 6, 2], 2)
    assert y.shape.as_tuple() == (1, 6, 6, 2)


def test_backprop_functions_agree_with_tf_gradients() -> None:
    rs = np.random.RandomState(4)
    x_value, f_value = rs.randn(2, 6, 5, 3), rs.randn(3, 2, 3, 2)
    x, f = tf.constant(x_value), tf.constant(f_value)
    y = conv_ops.conv2d(x, f, [1, 2, 1, 1], "SAME")
    dy = tf.constant(rs.randn(2, 3, 5, 2))
    gx, gf = tf.gradients(math_ops.reduce_sum(y * dy), [x, f])
    bx = conv_ops.conv2d_backprop_input([2, 6, 5, 3], f, dy, [1, 2, 1, 1], "SAME")
    bf = conv_ops.conv2d_backprop_filter(x, [3, 2, 3, 2], dy, [1, 2, 1, 1], "SAME")
    sess = tf.Session()
    for a, b in zip(sess.run([gx, gf]), sess.run([bx, bf])):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    g = tf.constant(rs.randn(2, 3, 5, 6))
    depthwise = conv_ops.depthwise_conv2d_native(x, tf.constant(rs.randn(3, 2, 3, 2)),
                                                 [1, 2, 1, 1], "SAME")
    dx = tf.gradients(math_ops.reduce_sum(depthwise * g), x)[0]
    same = conv_ops.depthwise_conv2d_native_backprop_input([2, 6, 5, 3], depthwise.op.inputs[1],
                                                           g, [1, 2, 1, 1], "SAME")
    np.testing.assert_allclose(*sess.run([dx, same]), rtol=1e-12)


# -- errors --------------------------------------------------------------------------------
def _zeros(*shape: int, dtype: tf.DType = tf.float32) -> tf.Tensor:
    return array_ops.zeros(list(shape), dtype)


BUILD_ERRORS = [
    (lambda: conv_ops.conv2d(_zeros(1, 2, 2, 1), _zeros(3, 3, 1, 1), 1, "VALID"),
     ValueError, "Negative dimension size caused by subtracting 3 from 2"),
    (lambda: conv_ops.conv2d(_zeros(1, 5, 5, 3), _zeros(3, 3, 2, 1), 1, "VALID"),
     ValueError, "are 3 and 2 \\(the input's depth and the filter's in_channels\\)"),
    (lambda: conv_ops.conv2d(_zeros(1, 5, 5), _zeros(3, 3, 3, 1), 1, "VALID"),
     ValueError, "Shape must be rank 4 but is rank 3 for 'Conv2D'"),
    (lambda: conv_ops.conv2d(_zeros(1, 5, 5, 3), _zeros(3, 3, 3, 1, dtype=tf.float64), 1,
                             "SAME"),
     TypeError, "Input 'filter' of 'Conv2D' Op has type float64 that does not match type "
                "float32 of argument 'input'"),
    (lambda: conv_ops.conv2d(_zeros(1, 5, 5, 3, dtype=tf.int32), _zeros(3, 3, 3, 1, dtype=tf.int32),
                             1, "SAME"),
     TypeError, "DataType int32 not in list of allowed values"),
    (lambda: conv_ops.conv2d(_zeros(1, 5, 5, 3), _zeros(3, 3, 3, 1), 1, "same"),
     ValueError, "padding must be 'SAME' or 'VALID', got 'same'"),
    (lambda: conv_ops.conv2d(_zeros(1, 5, 5, 3), _zeros(3, 3, 3, 1), 1, None),
     ValueError, "padding must be 'SAME' or 'VALID', got None"),
    (lambda: conv_ops.conv2d(_zeros(1, 5, 5, 3), _zeros(3, 3, 3, 1), [2, 1, 1, 1], "SAME"),
     ValueError, "strides in the batch and depth dimensions"),
    (lambda: conv_ops.conv2d(_zeros(1, 5, 5, 3), _zeros(3, 3, 3, 1), [1, 1, 1], "SAME"),
     ValueError, "strides should be of length 1, 2 or 4"),
    (lambda: conv_ops.conv2d(_zeros(1, 5, 5, 3), _zeros(3, 3, 3, 1), 0, "SAME"),
     ValueError, "strides must be positive"),
    (lambda: conv_ops.conv2d(_zeros(1, 3, 5, 5), _zeros(3, 3, 3, 1), 1, "SAME",
                             data_format="NCHW"),
     ValueError, "only the NHWC data format"),
    (lambda: conv_ops.conv2d(_zeros(1, 5, 5, 3), _zeros(3, 3, 3, 1), 1, "SAME",
                             dilations=[2, 1, 1, 1]),
     ValueError, "dilations in the batch and depth dimensions"),
    (lambda: conv_ops.max_pool(_zeros(1, 5, 5, 3), [2, 2, 2, 1], 1, "VALID"),
     ValueError, "Pooling is not yet supported on the batch dimension"),
    (lambda: conv_ops.max_pool(_zeros(1, 5, 5, 3), [1, 2, 2, 3], 1, "VALID"),
     ValueError, "ksize\\[3\\] must be 1"),
    (lambda: conv_ops.max_pool(_zeros(1, 5, 5, 3), [1, 0, 2, 1], 1, "VALID"),
     ValueError, "ksize must be positive"),
    (lambda: conv_ops.avg_pool(_zeros(1, 1, 5, 3), 2, 1, "VALID"),
     ValueError, "Negative dimension size caused by subtracting 2 from 1 for 'AvgPool'"),
    (lambda: conv_ops.avg_pool(_zeros(1, 4, 5, 3, dtype=tf.int32), 2, 1, "VALID"),
     TypeError, "Value passed to parameter 'value' has DataType int32"),
    (lambda: conv_ops.conv2d_transpose(_zeros(1, 4, 4, 2), _zeros(3, 3, 2, 3),
                                       [1, 8, 8, 2], 2),
     ValueError, "out_backprop must have shape \\[1,4,4,3\\], got \\[1,4,4,2\\]"),
    (lambda: conv_ops.conv2d_transpose(_zeros(1, 4, 4, 3), _zeros(3, 3, 2, 3),
                                       [1, 8, 8, 5], 2),
     ValueError, "are 5 and 2 \\(the depth of input_sizes and the filter's in_channels\\)"),
    (lambda: conv_ops.conv2d_transpose(_zeros(1, 4, 4, 3), _zeros(3, 3, 2, 3),
                                       [1, 10, 10, 2], 2),
     ValueError, "out_backprop must have shape \\[1,5,5,3\\], got \\[1,4,4,3\\]"),
    (lambda: conv_ops.conv2d_transpose(_zeros(1, 4, 4, 3), _zeros(3, 3, 2, 3),
                                       [8, 8, 2], 2),
     ValueError, "input_sizes must be a 4-element vector, got 3 elements"),
    (lambda: conv_ops.conv2d_backprop_filter(_zeros(1, 4, 4, 3), [3, 3, 3, 2],
                                             _zeros(1, 4, 4, 3), 1, "SAME"),
     ValueError, "out_backprop must have shape \\[1,4,4,2\\], got \\[1,4,4,3\\]"),
]


@pytest.mark.parametrize("build,error,message", BUILD_ERRORS)
def test_bad_arguments_fail_when_built(build: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        build()


def test_a_python_list_filter_takes_the_input_dtype() -> None:
    x = tf.placeholder(tf.float64, [1, 3, 3, 1])
    out = conv_ops.conv2d(x, [[[[1]]]], 1, "VALID")
    assert out.dtype == tf.float64
    np.testing.assert_array_equal(tf.Session().run(out, {x: np.ones((1, 3, 3, 1))}),
                                  np.ones((1, 3, 3, 1)))


@pytest.mark.parametrize("build,feed_shape,message", [
    (lambda x: conv_ops.conv2d(x, array_ops.zeros([3, 3, 2, 1]), 1, "SAME"), (1, 5, 5, 3),
     "input depth must match filter depth: 3 vs 2"),
    (lambda x: conv_ops.conv2d(x, array_ops.zeros([3, 3, 3, 1]), 1, "VALID"), (1, 2, 5, 3),
     "Negative dimension size caused by subtracting 3 from 2"),
    (lambda x: conv_ops.conv2d_transpose(x, array_ops.zeros([3, 3, 2, 3]), [1, 8, 8, 2], 2),
     (1, 3, 4, 3), "out_backprop must have shape \\[1,4,4,3\\], got \\[1,3,4,3\\]"),
])
def test_shapes_known_only_at_run_time_are_checked_when_run(build: object, feed_shape: tuple,
                                                            message: str) -> None:
    x = tf.placeholder(tf.float32, [None, None, None, None])
    out = build(x)
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        tf.Session().run(out, {x: np.zeros(feed_shape, np.float32)})
