"""Array ops: values, dtypes, static shapes and gradients against TensorFlow's (the fixture
``golden/array_ops.json``, made by ``golden/make_array_golden.py`` with ``tensorflow.compat.v1``;
CI only reads it), then the TF1 details the fixture cannot show: op types and names, build-time
errors and run-time index checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import graphflow as tf
from graphflow.ops import array_ops, math_ops

GOLDEN = json.loads((Path(__file__).parent / "golden" / "array_ops.json").read_text())["cases"]
FUNCTIONS = {"slice": array_ops.slice_, "getitem": array_ops.getitem}


def _build(arg: dict, feeds: list) -> object:
    """The graphflow object for a fixture argument (see make_array_golden.py for the format);
    placeholders are appended to ``feeds`` with their values, in the generator's order."""
    if "t" in arg:
        spec = arg["t"]
        node = tf.placeholder(spec["dtype"], spec["shape"])
        feeds.append((node, np.array(spec["value"], dtype=spec["dtype"])))
        return node
    if "c" in arg:
        return tf.constant(np.array(arg["c"]["value"], dtype=arg["c"]["dtype"]))
    if "v" in arg:
        return arg["v"]
    if "l" in arg:
        return [_build(item, feeds) for item in arg["l"]]
    if "dt" in arg:
        return tf.as_dtype(arg["dt"])
    return tuple(_key_item(item, feeds) for item in arg["k"])


def _key_item(item: object, feeds: list) -> object:
    if item == "...":
        return Ellipsis
    if item is None or isinstance(item, int):
        return item
    if "s" in item:
        return slice(*item["s"])
    return _build(item, feeds)


def _run_case(case: dict) -> tuple:
    feeds: list = []
    fn = FUNCTIONS.get(case["fn"]) or getattr(array_ops, case["fn"])
    args = [_build(a, feeds) for a in case["args"]]
    kwargs = {k: _build(a, feeds) for k, a in case["kwargs"].items()}
    result = fn(*args, **kwargs)
    outputs = list(result) if isinstance(result, (list, tuple)) else [result]
    return outputs, feeds


def _assert_values_equal(got: object, expected: object, dtype: str) -> None:
    expected = np.array(expected, dtype=dtype)
    assert np.asarray(got).dtype == expected.dtype
    if expected.dtype.kind == "f":
        rtol = 1e-5 if expected.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol)
    else:
        np.testing.assert_array_equal(got, expected)
    assert np.shape(got) == expected.shape


@pytest.mark.parametrize("case", GOLDEN, ids=[case["id"] for case in GOLDEN])
def test_matches_tensorflow(case: dict) -> None:
    outputs, feeds = _run_case(case)
    assert len(outputs) == len(case["outputs"])
    feed_dict = dict(feeds)
    sess = tf.Session()
    values = sess.run(outputs, feed_dict)
    for tensor, value, expected in zip(outputs, values, case["outputs"]):
        assert tensor.dtype.name == expected["dtype"]
        assert tensor.shape.as_tuple() == (None if expected["shape"] is None
                                           else tuple(expected["shape"])), tensor
        _assert_values_equal(value, expected["value"], expected["dtype"])
    if case["grads"] is None:
        return
    float_outputs = [t for t in outputs if t.dtype.is_floating]
    float_inputs = [p for p, _ in feeds if p.dtype.is_floating]
    terms = [math_ops.reduce_sum(t * tf.constant(np.array(w, t.dtype.as_numpy_dtype)))
             for t, w in zip(float_outputs, case["weights"])]
    if case["grads"] == "LookupError":
        with pytest.raises(LookupError):
            tf.gradients(math_ops.add_n(terms), float_inputs)
        return
    grads = tf.gradients(math_ops.add_n(terms), float_inputs)
    assert [g is None for g in grads] == [g is None for g in case["grads"]]
    present = [g for g in grads if g is not None]
    got = iter(sess.run(present, feed_dict))
    for grad, placeholder, expected in zip(grads, float_inputs, case["grads"]):
        if grad is not None:
            _assert_values_equal(next(got), expected, placeholder.dtype.name)


def test_golden_covers_every_new_function() -> None:
    covered = {case["fn"] for case in GOLDEN}
    assert covered >= {
        "transpose", "expand_dims", "squeeze", "concat", "split", "tile", "pad", "slice",
        "gather", "gather_nd", "one_hot", "zeros", "ones", "fill", "linspace", "lin_space",
        "reverse", "reverse_v2", "boolean_mask", "sequence_mask", "eye", "diag", "diag_part",
        "unique", "where", "where_v2", "zeros_like", "ones_like", "getitem", "matrix_transpose",
        "matrix_diag", "matrix_diag_part", "matrix_set_diag", "invert_permutation",
        "unsorted_segment_sum", "scatter_nd",
    }


# -- op types and names as TF1 builds them -----------------------------------------------------
def test_op_types_and_default_names() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    built = {
        array_ops.transpose(x): ("Transpose", "transpose"),
        array_ops.expand_dims(x, 0): ("ExpandDims", "ExpandDims"),
        array_ops.squeeze(x): ("Squeeze", "Squeeze"),
        array_ops.concat([x, x], 0): ("ConcatV2", "concat"),
        array_ops.split(x, 3, axis=1)[0]: ("Split", "split"),
        array_ops.split(x, [1, 2], axis=1)[0]: ("SplitV", "split_1"),
        array_ops.tile(x, [1, 2]): ("Tile", "Tile"),
        array_ops.pad(x, [[1, 1], [0, 0]]): ("Pad", "Pad"),
        array_ops.pad(x, [[1, 1], [0, 0]], constant_values=2.0): ("PadV2", "PadV2"),
        array_ops.pad(x, [[1, 1], [0, 0]], "SYMMETRIC"): ("MirrorPad", "MirrorPad"),
        array_ops.slice_(x, [0, 0], [-1, 1]): ("Slice", "Slice"),
        array_ops.gather(x, [0]): ("GatherV2", "GatherV2"),
        array_ops.gather_nd(x, [[0, 0]]): ("GatherNd", "GatherNd"),
        array_ops.one_hot([0, 1], 3): ("OneHot", "one_hot"),
        array_ops.fill([2], 1.0): ("Fill", "Fill"),
        array_ops.linspace(0.0, 1.0, 3): ("LinSpace", "LinSpace"),
        array_ops.reverse(x, [0]): ("ReverseV2", "ReverseV2"),
        array_ops.where(x > 0): ("Where", "Where"),
        array_ops.where(x > 0, x, x): ("Select", "Select"),
        array_ops.where_v2(x > 0, x, 0.0): ("SelectV2", "SelectV2"),
        array_ops.diag([1.0, 2.0]): ("Diag", "Diag"),
        array_ops.eye(2): ("MatrixDiag", "eye/diag"),
        array_ops.eye(2, 3): ("MatrixSetDiag", "eye_1/set_diag"),
        array_ops.boolean_mask(x, [True, False]): ("GatherV2", "boolean_mask/GatherV2"),
        array_ops.sequence_mask([1, 2], 3): ("Less", "SequenceMask/Less"),
    }
    for tensor, (op_type, name) in built.items():
        assert (tensor.op.type, tensor.op.name) == (op_type, name)


def test_zeros_and_ones_are_constants_when_small_and_known() -> None:
    assert array_ops.zeros([2, 3]).op.type == "Const"
    assert array_ops.zeros([2, 3]).op.name == "zeros_1"  # the first took "zeros"
    big = array_ops.ones([100, 10], tf.int32)
    assert big.op.type == "Fill" and big.shape.as_list() == [100, 10]
    assert tf.Session().run(big).sum() == 1000


def test_zeros_like_and_ones_like_follow_optimize_and_dtype() -> None:
    known = tf.constant([[1.5, 2.0]])
    partial = tf.placeholder(tf.float32, [None, 2])
    assert array_ops.zeros_like(known).op.type == "Const"
    assert array_ops.zeros_like(known, optimize=False).op.type == "ZerosLike"
    assert array_ops.ones_like(partial).op.type == "OnesLike"
    as_int = array_ops.zeros_like(partial, dtype=tf.int32)
    assert as_int.op.type == "Fill" and as_int.dtype == tf.int32
    assert as_int.shape.as_list() == [None, 2]
    as_string = array_ops.zeros_like(known, dtype=tf.string)
    assert tf.Session().run(as_string).tolist() == [[b"", b""]]


def test_unique_returns_tf1_namedtuple() -> None:
    result = array_ops.unique(tf.constant([3, 1, 3, 2]))
    assert type(result).__name__ == "Unique" and result._fields == ("y", "idx")
    y, idx = tf.Session().run(result)
    np.testing.assert_array_equal(y, [3, 1, 2])
    np.testing.assert_array_equal(y[idx], [3, 1, 3, 2])


def test_transpose_of_unknown_rank_reverses_at_run_time() -> None:
    x = tf.placeholder(tf.float32)
    value = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    out = array_ops.transpose(x)
    assert out.shape.ndims is None
    np.testing.assert_array_equal(tf.Session().run(out, {x: value}), value.T)


def test_one_hot_positions_by_axis_match_numpy() -> None:
    indices = np.array([[0, 2, 5], [1, -1, 1]])
    eye = np.eye(3, dtype=np.float32)
    padded = np.concatenate([eye, np.zeros((1, 3), np.float32)])  # row 3: out of range
    expected = padded[np.where((indices >= 0) & (indices < 3), indices, 3)]  # [2, 3, depth]
    sess = tf.Session()
    for axis, order in ((-1, (0, 1, 2)), (0, (2, 0, 1)), (1, (0, 2, 1)), (2, (0, 1, 2))):
        got = sess.run(array_ops.one_hot(indices, 3, axis=axis))
        np.testing.assert_array_equal(got, expected.transpose(order))


def test_gather_gradient_accumulates_repeated_indices() -> None:
    params = tf.placeholder(tf.float64, [None, 2])
    value = np.arange(8, dtype=np.float64).reshape(4, 2)
    indices = np.array([[3, 3], [0, 3]])
    weights = np.random.RandomState(0).uniform(size=(2, 2, 2))
    loss = math_ops.reduce_sum(array_ops.gather(params, indices) * weights)
    grad = tf.Session().run(tf.gradients(loss, params)[0], {params: value})
    expected = np.zeros_like(value)
    np.add.at(expected, indices, weights)
    np.testing.assert_allclose(grad, expected)


def test_second_order_through_gather_and_mirror_pad() -> None:
    x = tf.placeholder(tf.float64, [3])
    value = np.array([0.5, -1.0, 2.0])
    gathered = array_ops.gather(array_ops.pad(x, [[2, 1]], "REFLECT"), [0, 0, 5])
    y = math_ops.reduce_sum(gathered ** 3)
    (g,) = tf.gradients(y, x)
    (h,) = tf.gradients(math_ops.reduce_sum(g), x)
    # padded = [v2, v1, v0, v1, v2, v1]; picks v2, v2, v1: y = 2 v2^3 + v1^3.
    expected_g = [0.0, 3 * value[1] ** 2, 6 * value[2] ** 2]
    expected_h = [0.0, 6 * value[1], 12 * value[2]]
    got_g, got_h = tf.Session().run([g, h], {x: value})
    np.testing.assert_allclose(got_g, expected_g)
    np.testing.assert_allclose(got_h, expected_h)


def test_concat_gradient_splits_back_with_unknown_dims() -> None:
    a = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None, None])
    out = array_ops.concat([a, b], -1)
    weights = tf.placeholder(tf.float32, [None, None])
    grads = tf.gradients(math_ops.reduce_sum(out * weights), [a, b])
    w = np.arange(10, dtype=np.float32).reshape(2, 5)
    got = tf.Session().run(grads, {a: np.ones((2, 2)), b: np.ones((2, 3)), weights: w})
    np.testing.assert_array_equal(got[0], w[:, :2])
    np.testing.assert_array_equal(got[1], w[:, 2:])


def test_pad_v2_constant_values_gets_the_border_gradient() -> None:
    x = tf.placeholder(tf.float64, [2, 2])
    c = tf.placeholder(tf.float64, [])
    out = array_ops.pad(x, [[1, 0], [0, 2]], constant_values=c)
    weights = np.arange(12, dtype=np.float64).reshape(3, 4)
    (grad_c,) = tf.gradients(math_ops.reduce_sum(out * weights), [c])
    border = weights.sum() - weights[1:, :2].sum()
    assert tf.Session().run(grad_c, {x: np.ones((2, 2)), c: 3.0}) == border


def test_lab08_tensor_manipulation() -> None:
    """The calls of the lecture's 'tensor manipulation' lab, checked against NumPy."""
    t = np.array([[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]], dtype=np.float32)
    sess = tf.Session()
    x = tf.constant(t)
    np.testing.assert_array_equal(sess.run(array_ops.shape(x)), [2, 2, 3])
    assert sess.run(array_ops.rank(x)) == 3
    np.testing.assert_array_equal(sess.run(array_ops.reshape(x, [-1, 3])), t.reshape(-1, 3))
    np.testing.assert_array_equal(sess.run(array_ops.reshape(x, [-1, 1, 3])),
                                  t.reshape(-1, 1, 3))
    np.testing.assert_array_equal(sess.run(array_ops.squeeze([[0], [1], [2]])), [0, 1, 2])
    np.testing.assert_array_equal(sess.run(array_ops.expand_dims([0, 1, 2], 1)),
                                  [[0], [1], [2]])
    hot = array_ops.one_hot([[0], [1], [2], [0]], depth=3)
    assert hot.shape.as_list() == [4, 1, 3]
    np.testing.assert_array_equal(sess.run(array_ops.reshape(hot, [-1, 3])),
                                  np.eye(3, dtype=np.float32)[[0, 1, 2, 0]])
    np.testing.assert_array_equal(sess.run(math_ops.cast([1.8, 2.2, 3.3, 4.9], tf.int32)),
                                  [1, 2, 3, 4])
    xs, ys, zs = [1, 4], [2, 5], [3, 6]
    np.testing.assert_array_equal(sess.run(array_ops.stack([xs, ys, zs], axis=1)),
                                  np.stack([xs, ys, zs], axis=1))
    m = tf.constant([[0, 1, 2], [2, 1, 0]])
    np.testing.assert_array_equal(sess.run(array_ops.ones_like(m)), np.ones((2, 3), np.int32))
    np.testing.assert_array_equal(sess.run(array_ops.zeros_like(m)), np.zeros((2, 3), np.int32))
    assert [tuple(p) for p in zip([1, 2, 3], [4, 5, 6])] == [(1, 4), (2, 5), (3, 6)]
    np.testing.assert_array_equal(sess.run(array_ops.transpose(x, [1, 0, 2])),
                                  t.transpose(1, 0, 2))
    np.testing.assert_array_equal(sess.run(array_ops.transpose(x, [2, 1, 0])), t.T)
    np.testing.assert_array_equal(sess.run(array_ops.concat([t[0], t[1]], axis=-1)),
                                  np.concatenate([t[0], t[1]], -1))
    np.testing.assert_array_equal(sess.run(math_ops.reduce_mean(x, axis=-1)), t.mean(-1))


# -- errors ---------------------------------------------------------------------------------
P = tf.placeholder  # partially known inputs for the error cases below

BUILD_ERRORS = [
    ("transpose perm of wrong length", ValueError,
     lambda: array_ops.transpose(P(tf.float32, [2, 3]), [1, 0, 2])),
    ("transpose non-permutation", ValueError,
     lambda: array_ops.transpose(P(tf.float32, [2, 3]), [1, 1])),
    ("expand_dims axis out of range", ValueError,
     lambda: array_ops.expand_dims(P(tf.float32, [2, 3]), 3)),
    ("expand_dims without axis", ValueError, lambda: array_ops.expand_dims([1, 2])),
    ("expand_dims axis and dim", ValueError, lambda: array_ops.expand_dims([1], 0, dim=0)),
    ("expand_dims float axis", TypeError, lambda: array_ops.expand_dims([1], 0.0)),
    ("squeeze dim not 1", ValueError, lambda: array_ops.squeeze(P(tf.float32, [1, 3]), [1])),
    ("squeeze axis out of range", ValueError, lambda: array_ops.squeeze(P(tf.float32, [1]), [1])),
    ("concat dims differ", ValueError,
     lambda: array_ops.concat([P(tf.float32, [None, 3]), P(tf.float32, [2, 4])], 0)),
    ("concat ranks differ", ValueError,
     lambda: array_ops.concat([P(tf.float32, [2, 3]), P(tf.float32, [2])], 0)),
    ("concat dtypes differ", TypeError,
     lambda: array_ops.concat([P(tf.float32, [2]), P(tf.int32, [2])], 0)),
    ("concat scalars", ValueError, lambda: array_ops.concat([1.0, 2.0], 0)),
    ("concat axis out of range", ValueError,
     lambda: array_ops.concat([P(tf.float32, [2]), P(tf.float32, [2])], 1)),
    ("split unevenly", ValueError, lambda: array_ops.split(P(tf.float32, [5, 2]), 2)),
    ("split sizes not summing", ValueError,
     lambda: array_ops.split(P(tf.float32, [5, 2]), [2, 2])),
    ("split two -1 sizes", ValueError,
     lambda: array_ops.split(P(tf.float32, [5, 2]), [-1, -1])),
    ("split unknown number of sizes", ValueError,
     lambda: array_ops.split(P(tf.float32, [5, 2]), P(tf.int32, [None]))),
    ("tile multiples of wrong length", ValueError,
     lambda: array_ops.tile(P(tf.float32, [2, 3]), [2])),
    ("tile negative multiples", ValueError, lambda: array_ops.tile([1.0], [-1])),
    ("pad paddings of wrong shape", ValueError,
     lambda: array_ops.pad(P(tf.float32, [2, 3]), [[1, 1]])),
    ("pad negative paddings", ValueError, lambda: array_ops.pad([1.0], [[-1, 0]])),
    ("pad reflect beyond dim - 1", ValueError,
     lambda: array_ops.pad(P(tf.float32, [None, 3]), [[0, 0], [3, 0]], "REFLECT")),
    ("pad symmetric beyond dim", ValueError,
     lambda: array_ops.pad(P(tf.float32, [2]), [[0, 3]], "SYMMETRIC")),
    ("pad unknown mode", ValueError, lambda: array_ops.pad([1.0], [[1, 1]], "WRAP")),
    ("pad constant_values dtype", TypeError,
     lambda: array_ops.pad([1.0], [[1, 1]], constant_values=P(tf.float64, []))),
    ("slice beyond the end", ValueError,
     lambda: array_ops.slice_(P(tf.float32, [None, 3]), [0, 2], [1, 2])),
    ("slice negative begin", ValueError, lambda: array_ops.slice_([1.0, 2.0], [-1], [1])),
    ("slice begin of wrong length", ValueError,
     lambda: array_ops.slice_(P(tf.float32, [2, 3]), [0], [1])),
    ("gather float indices", TypeError, lambda: array_ops.gather([1.0, 2.0], [0.0])),
    ("gather axis out of range", ValueError,
     lambda: array_ops.gather(P(tf.float32, [2, 3]), [0], axis=2)),
    ("gather from a scalar", ValueError, lambda: array_ops.gather(1.0, [0])),
    ("gather_nd index vectors too long", ValueError,
     lambda: array_ops.gather_nd(P(tf.float32, [2, 3]), [[0, 0, 0]])),
    ("one_hot on/off dtypes differ", TypeError,
     lambda: array_ops.one_hot([0], 2, on_value=1.0, off_value=0)),
    ("one_hot value against dtype", TypeError,
     lambda: array_ops.one_hot([0], 2, on_value=1.0, dtype=tf.float64)),
    ("one_hot axis", ValueError, lambda: array_ops.one_hot([0, 1], 2, axis=3)),
    ("one_hot float indices", TypeError, lambda: array_ops.one_hot([0.0], 2)),
    ("fill non-scalar value", ValueError, lambda: array_ops.fill([2], [1.0, 2.0])),
    ("fill negative dims", ValueError, lambda: array_ops.fill([-2], 1.0)),
    ("zeros of a partial shape", ValueError, lambda: array_ops.zeros([None, 3])),
    ("linspace num 0", ValueError, lambda: array_ops.linspace(0.0, 1.0, 0)),
    ("linspace int start", TypeError, lambda: array_ops.linspace(0, 1.0, 3)),
    ("reverse one axis twice", ValueError,
     lambda: array_ops.reverse(P(tf.float32, [2, 3]), [1, -1])),
    ("reverse axis out of range", ValueError, lambda: array_ops.reverse([1.0], [1])),
    ("boolean_mask scalar mask", ValueError, lambda: array_ops.boolean_mask([1.0], True)),
    ("boolean_mask mask of unknown rank", ValueError,
     lambda: array_ops.boolean_mask([1.0], P(tf.bool))),
    ("boolean_mask incompatible mask", ValueError,
     lambda: array_ops.boolean_mask(P(tf.float32, [3, 2]), [True, False])),
    ("boolean_mask int mask", TypeError, lambda: array_ops.boolean_mask([1.0, 2.0], [1, 0])),
    ("sequence_mask vector maxlen", ValueError,
     lambda: array_ops.sequence_mask([1, 2], maxlen=[3])),
    ("eye float size", TypeError, lambda: array_ops.eye(2.5)),
    ("diag of a scalar", ValueError, lambda: array_ops.diag(1.0)),
    ("diag_part of odd rank", ValueError, lambda: array_ops.diag_part(P(tf.float32, [2, 2, 2]))),
    ("diag_part of unequal halves", ValueError,
     lambda: array_ops.diag_part(P(tf.float32, [2, 3]))),
    ("matrix_set_diag wrong diagonal", ValueError,
     lambda: array_ops.matrix_set_diag(P(tf.float32, [2, 3]), P(tf.float32, [3]))),
    ("unique of a matrix", ValueError, lambda: array_ops.unique([[1, 2]])),
    ("where with only x", ValueError, lambda: array_ops.where([True], x=[1.0])),
    ("where_v2 shapes do not broadcast", ValueError,
     lambda: array_ops.where_v2(P(tf.bool, [2]), P(tf.float32, [3]), 0.0)),
    ("where_v2 dtypes differ", TypeError,
     lambda: array_ops.where_v2([True], P(tf.float32, [1]), P(tf.float64, [1]))),
    ("getitem with two ellipses", ValueError, lambda: P(tf.float32, [None, 3])[..., ...]),
]


@pytest.mark.parametrize("description,error,build", BUILD_ERRORS,
                         ids=[case[0] for case in BUILD_ERRORS])
def test_build_time_errors(description: str, error: type, build: object) -> None:
    with pytest.raises(error):
        build()


def test_build_error_names_the_op_and_shapes() -> None:
    with pytest.raises(ValueError) as info:
        array_ops.concat([P(tf.float32, [None, 3]), P(tf.float32, [2, 4])], 0)
    message = str(info.value)
    assert "'concat' (op: 'ConcatV2')" in message
    assert "[?,3], [2,4]" in message and "3 and 4" in message


RUN_ERRORS = [  # (description, build(placeholder) -> tensor, fed value)
    ("gather index too large", lambda x: array_ops.gather(x, [0, 3]), np.zeros(3)),
    ("gather negative index", lambda x: array_ops.gather(x, [-1]), np.zeros(3)),
    ("gather_nd vector out of range", lambda x: array_ops.gather_nd(x, [[0], [4]]), np.zeros(3)),
    ("split unevenly", lambda x: array_ops.split(x, 2)[0], np.zeros(3)),
    ("split sizes not summing", lambda x: array_ops.split(x, [1, 1])[0], np.zeros(3)),
    ("slice beyond the end", lambda x: array_ops.slice_(x, [2], [2]), np.zeros(3)),
    ("pad reflect beyond dim - 1", lambda x: array_ops.pad(x, [[3, 0]], "REFLECT"), np.zeros(3)),
    ("squeeze dim not 1", lambda x: array_ops.squeeze(x, [0]), np.zeros(3)),
    ("concat dims differ", lambda x: array_ops.concat([array_ops.expand_dims(x, 0),
                                                       [[1.0, 2.0]]], 0), np.zeros(3)),
    ("scatter_nd index out of range",
     lambda x: array_ops.scatter_nd([[5]], x[:1], [3]), np.zeros(3)),
    ("segment id out of range",
     lambda x: array_ops.unsorted_segment_sum(x, [0, 1, 3], 3), np.zeros(3)),
    ("invert a non-permutation",
     lambda x: array_ops.invert_permutation(math_ops.cast(x, tf.int32)), np.zeros(3)),
]


@pytest.mark.parametrize("description,build,value", RUN_ERRORS,
                         ids=[case[0] for case in RUN_ERRORS])
def test_run_time_errors_are_invalid_argument(description: str, build: object,
                                              value: np.ndarray) -> None:
    x = tf.placeholder(tf.float64, [None])
    out = build(x)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.Session().run(out, {x: value})
    assert info.value.op is out.op
