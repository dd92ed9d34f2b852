"""The public namespace, DTypes, value conversion, TensorShape and build-time shape inference."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from conftest import next_line

import graphflow as tf
import graphflow.compat.v1 as tf_v1

# -- the namespace -------------------------------------------------------------------------

SPEC_NAMES = [
    "Graph", "Operation", "Tensor", "Session", "InteractiveSession", "Variable", "TensorShape",
    "Dimension", "DType", "GraphKeys", "as_dtype", "constant", "placeholder",
    "placeholder_with_default", "add", "subtract", "multiply", "divide", "square", "reduce_sum",
    "reduce_mean", "matmul", "shape", "rank", "size", "identity", "group", "no_op",
    "control_dependencies", "name_scope", "get_default_graph", "reset_default_graph",
    "add_to_collection", "get_collection", "assign", "assign_add", "assign_sub",
    "global_variables_initializer", "variables_initializer", "local_variables_initializer",
    "report_uninitialized_variables", "global_variables", "trainable_variables", "errors",
    "newaxis", "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool",
    "string", "disable_v2_behavior", "disable_eager_execution",
]


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_both_import_paths_expose_the_same_object(name: str) -> None:
    assert hasattr(tf, name), name
    assert getattr(tf_v1, name) is getattr(tf, name)


def test_compat_v1_is_reachable_as_attribute_and_module() -> None:
    assert tf.compat.v1 is tf_v1
    assert importlib.import_module("graphflow.compat.v1") is tf_v1
    public = {n for n in dir(tf) if not n.startswith("_")} - {"compat"}
    missing = sorted(n for n in public if not hasattr(tf_v1, n))
    assert missing == []
    different = sorted(n for n in public if getattr(tf_v1, n) is not getattr(tf, n))
    assert different == []


def test_v2_switches_exist_and_do_nothing() -> None:
    assert tf.disable_v2_behavior() is None
    assert tf.disable_eager_execution() is None
    assert tf.executing_eagerly() is False
    # still graph mode: an op is symbolic, not a value
    assert isinstance(tf.constant(1.0) + 1.0, tf.Tensor)


# -- DTypes --------------------------------------------------------------------------------

DTYPES = [
    ("float16", np.float16),
    ("float32", np.float32),
    ("float64", np.float64),
    ("int8", np.int8),
    ("int16", np.int16),
    ("int32", np.int32),
    ("int64", np.int64),
    ("uint8", np.uint8),
    ("bool", np.bool_),
]


@pytest.mark.parametrize("name,np_type", DTYPES)
def test_dtype_name_base_numpy_and_as_dtype(name: str, np_type: type) -> None:
    dtype = getattr(tf, name)
    assert isinstance(dtype, tf.DType)
    assert dtype.name == name
    assert dtype.base_dtype is dtype
    assert dtype.as_numpy_dtype is np_type
    assert tf.as_dtype(name) is dtype
    assert tf.as_dtype(np_type) is dtype
    assert tf.as_dtype(np.dtype(np_type)) is dtype
    assert tf.as_dtype(dtype) is dtype
    assert dtype == name and dtype == np_type
    assert str(dtype) == f"<dtype: '{name}'>"
    assert repr(dtype) == f"tf.{name}"


def test_string_dtype() -> None:
    assert tf.string.name == "string"
    assert tf.as_dtype("string") is tf.string
    assert tf.as_dtype(np.str_) is tf.string
    assert tf.as_dtype(np.bytes_) is tf.string
    assert np.dtype(tf.string.as_numpy_dtype) == np.dtype(object)


def test_string_as_numpy_dtype_is_builtin_object() -> None:
    assert tf.string.as_numpy_dtype is object


def test_dtype_aliases_and_properties() -> None:
    assert tf.half is tf.float16
    assert tf.double is tf.float64
    assert tf.as_dtype("float") is tf.float32
    assert tf.as_dtype("double") is tf.float64
    assert tf.as_dtype(float) is tf.float32
    assert tf.as_dtype(bool) is tf.bool
    assert tf.float32.is_floating and not tf.float32.is_integer
    assert tf.int32.is_integer and not tf.int32.is_floating
    assert tf.uint8.is_unsigned and not tf.int8.is_unsigned
    assert tf.bool.is_bool
    assert tf.float32 != tf.float64
    assert len({tf.float32, tf.as_dtype("float32"), tf.float64}) == 2
    assert tf.int8.min == np.iinfo(np.int8).min and tf.int8.max == np.iinfo(np.int8).max
    assert tf.float16.max == np.finfo(np.float16).max


@pytest.mark.parametrize("bad", ["foo", object(), "float33"])
def test_as_dtype_rejects_non_types(bad: object) -> None:
    with pytest.raises(TypeError):
        tf.as_dtype(bad)


def test_variable_dtype_is_a_reference_type() -> None:
    v = tf.Variable([1.0, 2.0])
    assert v.dtype.name == "float32_ref"
    assert v.dtype.is_ref_dtype
    assert v.dtype.base_dtype is tf.float32
    assert v.dtype != tf.float32
    assert v.dtype.as_numpy_dtype is np.float32
    assert tf.as_dtype("float32_ref") is v.dtype
    assert str(v.dtype) == "<dtype: 'float32_ref'>"
    # what expressions consume is the plain type
    assert (v + 1.0).dtype is tf.float32
    assert v.value().dtype is tf.float32


# -- conversion of Python and NumPy values -------------------------------------------------

@pytest.mark.parametrize(
    "value,expected",
    [
        (1.5, tf.float32),
        (3, tf.int32),
        (True, tf.bool),
        ([1, 2, 3], tf.int32),
        ([1, 2.5], tf.float32),
        ([[1.0, 2.0], [3.0, 4.0]], tf.float32),
        (2**40, tf.int64),
        ("text", tf.string),
        (np.array([1.0, 2.0], dtype=np.float64), tf.float64),
        (np.zeros((2, 3), dtype=np.float16), tf.float16),
        (np.array([1, 2], dtype=np.int64), tf.int64),
        (np.array([1, 2], dtype=np.uint8), tf.uint8),
        (np.float64(2.0), tf.float64),
        (np.int64(2), tf.int64),
        (np.float32(2.0), tf.float32),
    ],
)
def test_constant_default_dtypes(value: object, expected: tf.DType) -> None:
    t = tf.constant(value)
    assert t.dtype is expected
    assert t.shape.as_list() == list(np.shape(value))
    result = tf.Session().run(t)
    if expected is tf.string:
        assert result == value.encode()
    else:
        assert np.asarray(result).dtype == expected.as_numpy_dtype
        np.testing.assert_array_equal(result, np.asarray(value))


def test_constant_hello_returns_bytes() -> None:
    hello = tf.constant("Hello")
    assert hello.dtype is tf.string
    assert hello.shape.as_list() == []
    with tf.Session() as sess:
        out = sess.run(hello)
        assert out == b"Hello"
        assert isinstance(out, bytes)
        words = sess.run(tf.constant(["ab", "c"]))
    assert words.tolist() == [b"ab", b"c"]


def test_constant_with_explicit_dtype_converts_value() -> None:
    t = tf.constant([1, 2, 3], dtype=tf.float64)
    assert t.dtype is tf.float64
    out = tf.Session().run(t)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [1.0, 2.0, 3.0])
    assert tf.constant(1.0, tf.int32).dtype is tf.int32  # lossless: allowed


def test_constant_shape_argument_fills_and_reshapes() -> None:
    filled = tf.constant(7.0, shape=[2, 3])
    reshaped = tf.constant([1, 2, 3, 4, 5, 6], shape=(3, 2))
    assert filled.shape.as_list() == [2, 3]
    assert reshaped.shape.as_list() == [3, 2]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(filled), np.full((2, 3), 7.0, np.float32))
        np.testing.assert_array_equal(sess.run(reshaped), np.arange(1, 7).reshape(3, 2))


def test_constant_name_argument() -> None:
    assert tf.constant(1, name="answer").name == "answer:0"
    assert tf.constant(1, name="answer").name == "answer_1:0"


def test_constant_value_is_copied_at_build_time() -> None:
    source = np.array([1.0, 2.0])
    t = tf.constant(source)
    source[0] = 100.0
    np.testing.assert_array_equal(tf.Session().run(t), [1.0, 2.0])


def test_lossy_constant_conversion_is_type_error() -> None:
    # documented difference from TF1: graphflow refuses to lose information
    with pytest.raises(TypeError):
        tf.constant(1.5, dtype=tf.int32)
    with pytest.raises(TypeError):
        tf.constant(300, dtype=tf.uint8)
    with pytest.raises(TypeError):
        tf.constant("a", dtype=tf.float32)


def test_ragged_list_is_value_error() -> None:
    with pytest.raises(ValueError):
        tf.constant([[1, 2], [3]])


@pytest.mark.parametrize(
    "build,op_type,y_type,x_type",
    [
        (lambda a, b: tf.add(a, b), "Add", "int32", "float32"),
        (lambda a, b: a + b, "Add", "int32", "float32"),
        (lambda a, b: b - a, "Sub", "float32", "int32"),
        (lambda a, b: a * b, "Mul", "int32", "float32"),
        (lambda a, b: tf.matmul(a, b), "MatMul", "int32", "float32"),
    ],
)
def test_mixing_dtypes_is_type_error_at_build_time(build, op_type, y_type, x_type) -> None:
    a = tf.constant([[1.0]])
    b = tf.constant([[1]])
    n_ops = len(tf.get_default_graph().get_operations())
    with pytest.raises(TypeError) as info:
        build(a, b)
    message = str(info.value)
    arg_names = ("b", "a") if op_type == "MatMul" else ("y", "x")
    assert (f"Input '{arg_names[0]}' of '{op_type}' Op has type {y_type} that does not match "
            f"type {x_type} of argument '{arg_names[1]}'") in message
    assert len(tf.get_default_graph().get_operations()) == n_ops  # nothing half-built


def test_float64_and_float32_tensors_do_not_mix() -> None:
    with pytest.raises(TypeError, match="float64"):
        tf.constant(np.array([1.0])) + tf.constant([1.0])


# -- TensorShape ---------------------------------------------------------------------------

def test_tensor_shape_known_and_partial() -> None:
    s = tf.TensorShape([None, 3])
    assert s.ndims == 2
    assert s.rank == 2
    assert s.as_list() == [None, 3]
    assert len(s) == 2
    assert not s.is_fully_defined()
    assert s.num_elements() is None
    assert s[1] == 3 and s[1].value == 3
    assert s[0].value is None
    assert str(s) == "(?, 3)"
    assert repr(s) == "TensorShape([Dimension(None), Dimension(3)])"
    full = tf.TensorShape([2, 3, 4])
    assert full.is_fully_defined()
    assert full.num_elements() == 24
    assert full[1:].as_list() == [3, 4]
    assert [int(d) for d in full] == [2, 3, 4]
    assert str(tf.TensorShape([5])) == "(5,)"
    assert str(tf.TensorShape([])) == "()"
    assert tf.TensorShape([]).ndims == 0
    assert tf.TensorShape([]).num_elements() == 1


def test_tensor_shape_unknown_rank() -> None:
    s = tf.TensorShape(None)
    assert s.ndims is None
    assert str(s) == "<unknown>"
    assert repr(s) == "TensorShape(None)"
    assert not s.is_fully_defined()
    with pytest.raises(ValueError):
        s.as_list()
    with pytest.raises(ValueError):
        len(s)
    assert s.is_compatible_with([1, 2, 3])
    assert s.is_compatible_with(tf.TensorShape([]))


def test_tensor_shape_equality() -> None:
    assert tf.TensorShape([1, None]) == tf.TensorShape([1, None])
    assert tf.TensorShape([1, 2]) == [1, 2]
    assert tf.TensorShape([1, 2]) != tf.TensorShape([1, 3])
    assert tf.TensorShape([1, 2]) != tf.TensorShape([1, 2, 1])
    assert tf.TensorShape(None) == tf.TensorShape(None)


@pytest.mark.parametrize(
    "a,b,compatible",
    [
        ([None, 3], [2, 3], True),
        ([None, 3], [2, 4], False),
        ([None, 3], [2, 3, 1], False),
        ([None, None], [7, 8], True),
        ([], [], True),
        ([], [1], False),
        (None, [2, 3], True),
        ([2, 3], None, True),
    ],
)
def test_is_compatible_with(a, b, compatible: bool) -> None:
    assert tf.TensorShape(a).is_compatible_with(tf.TensorShape(b)) is compatible
    assert tf.TensorShape(b).is_compatible_with(a) is compatible


def test_merge_with() -> None:
    assert tf.TensorShape([None, 3]).merge_with([2, None]).as_list() == [2, 3]
    assert tf.TensorShape([None, 3]).merge_with(None).as_list() == [None, 3]
    assert tf.TensorShape(None).merge_with([4]).as_list() == [4]
    with pytest.raises(ValueError):
        tf.TensorShape([None, 3]).merge_with([2, 4])
    with pytest.raises(ValueError):
        tf.TensorShape([3]).merge_with([3, 1])


def test_dimension() -> None:
    assert tf.Dimension(3) == 3
    assert tf.Dimension(3) != 4
    assert (tf.Dimension(None) == 3) is None
    assert int(tf.Dimension(5)) == 5
    assert str(tf.Dimension(None)) == "?"
    assert tf.Dimension(None).is_compatible_with(7)
    assert tf.Dimension(2).merge_with(None).value == 2
    with pytest.raises(ValueError):
        tf.Dimension(2).merge_with(3)
    with pytest.raises(ValueError):
        tf.Dimension(-1)


def test_tensor_static_shape_accessors() -> None:
    x = tf.placeholder(tf.float32, shape=[None, 3], name="x")
    assert x.shape == x.get_shape()
    assert x.shape.as_list() == [None, 3]
    assert x.shape.ndims == 2
    assert x.get_shape()[1] == 3
    unknown = tf.placeholder(tf.float32)
    assert unknown.shape.ndims is None
    scalar = tf.placeholder(tf.int32, shape=[])
    assert scalar.shape.as_list() == []


def test_set_shape_refines_and_rejects() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    x.set_shape([4, 3])
    assert x.shape.as_list() == [4, 3]
    with pytest.raises(ValueError):
        x.set_shape([5, 3])


# -- run-time shape ops --------------------------------------------------------------------

@pytest.mark.parametrize(
    "static,value_shape",
    [([None, 3], (4, 3)), ([None, None], (2, 5)), (None, (2, 3, 4)), ([], ()), (None, ())],
)
def test_shape_rank_size_give_run_time_values(static, value_shape) -> None:
    x = tf.placeholder(tf.float32, shape=static)
    shape_t, rank_t, size_t = tf.shape(x), tf.rank(x), tf.size(x)
    assert shape_t.dtype is tf.int32 and rank_t.dtype is tf.int32 and size_t.dtype is tf.int32
    assert rank_t.shape.as_list() == [] and size_t.shape.as_list() == []
    assert shape_t.shape.as_list() == [None if static is None else len(static)]
    value = np.zeros(value_shape, np.float32)
    with tf.Session() as sess:
        s, r, n = sess.run([shape_t, rank_t, size_t], {x: value})
    np.testing.assert_array_equal(s, np.array(value.shape))
    assert s.dtype == np.int32
    assert r == value.ndim
    assert n == value.size


def test_shape_out_type_int64() -> None:
    x = tf.constant(np.zeros((2, 5)))
    t = tf.shape(x, out_type=tf.int64)
    assert t.dtype is tf.int64
    out = tf.Session().run(t)
    assert out.dtype == np.int64
    assert out.tolist() == [2, 5]


# -- build-time inference and its errors ---------------------------------------------------

@pytest.mark.parametrize(
    "a_shape,b_shape,expected",
    [
        ([2, 3], [3], [2, 3]),
        ([None, 3], [3], [None, 3]),
        ([None, 1], [5], [None, 5]),
        ([None, 1], [None], [None, None]),
        ([None, 1], [5, 1, 1], [5, None, 1]),
        ([4, 1], [1, 6], [4, 6]),
        (None, [2], None),
        ([], [2, 2], [2, 2]),
    ],
)
def test_binary_op_static_shape(a_shape, b_shape, expected) -> None:
    a = tf.placeholder(tf.float32, a_shape)
    b = tf.placeholder(tf.float32, b_shape)
    for out in (a + b, a - b, a * b, tf.add(a, b), tf.multiply(b, a)):
        assert out.dtype is tf.float32
        if expected is None:
            assert out.shape.ndims is None
        else:
            assert out.shape.as_list() == expected


def test_incompatible_shapes_error_names_op_shapes_and_line() -> None:
    a = tf.placeholder(tf.float32, [2, 3], name="a")
    b = tf.placeholder(tf.float32, [4], name="b")
    with pytest.raises(ValueError) as info:
        line = next_line()
        tf.add(a, b, name="my_add")
    message = str(info.value)
    assert "Dimensions must be equal, but are 3 and 4" in message
    assert "'my_add'" in message
    assert "'Add'" in message
    assert "[2,3], [4]" in message
    assert f"Defined at {__file__}:{line}" in message
    assert "my_add" not in [op.name for op in tf.get_default_graph().get_operations()]


def test_operator_shape_error_cites_user_line() -> None:
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.placeholder(tf.float32, [2, 2])
    with pytest.raises(ValueError) as info:
        line = next_line()
        _ = a * b
    assert f"{__file__}:{line}" in str(info.value)
    assert "'mul'" in str(info.value)
    assert "[?,3], [2,2]" in str(info.value)


@pytest.mark.parametrize(
    "a_shape,b_shape,kwargs,expected",
    [
        ([2, 3], [3, 4], {}, [2, 4]),
        ([None, 3], [3, 1], {}, [None, 1]),
        ([3, 2], [3, 4], {"transpose_a": True}, [2, 4]),
        ([2, 3], [4, 3], {"transpose_b": True}, [2, 4]),
        ([3, 2], [4, 3], {"transpose_a": True, "transpose_b": True}, [2, 4]),
        ([None, None], [None, 7], {}, [None, 7]),
        ([2, 3, 1], [1, 3], {}, [2, 3, 3]),  # rank > 2: batch matmul, as TF1
        (None, [3, 5], {}, None),  # unknown rank: batch matmul of unknown shape, as TF1
    ],
)
def test_matmul_static_shape(a_shape, b_shape, kwargs, expected) -> None:
    a = tf.placeholder(tf.float64, a_shape)
    b = tf.placeholder(tf.float64, b_shape)
    out = tf.matmul(a, b, **kwargs)
    assert out.dtype is tf.float64
    if expected is None:
        assert out.shape.ndims is None
    else:
        assert out.shape.as_list() == expected


@pytest.mark.parametrize(
    "a_shape,b_shape,fragment",
    [
        ([2, 3], [4, 5], "Dimensions must be equal, but are 3 and 4"),
        ([2, 3], [4], "Shape must be rank 2 but is rank 1"),
        ([3], [3, 3], "Shape must be rank 2 but is rank 1"),
    ],
)
def test_matmul_shape_errors(a_shape, b_shape, fragment: str) -> None:
    a = tf.placeholder(tf.float32, a_shape)
    b = tf.placeholder(tf.float32, b_shape)
    with pytest.raises(ValueError) as info:
        line = next_line()
        tf.matmul(a, b)
    assert fragment in str(info.value)
    assert "'MatMul'" in str(info.value)
    assert f"{__file__}:{line}" in str(info.value)


@pytest.mark.parametrize(
    "shape,kwargs,expected",
    [
        ([None, 3], {}, []),
        ([None, 3], {"axis": 0}, [3]),
        ([None, 3], {"axis": 1}, [None]),
        ([None, 3], {"axis": -1, "keepdims": True}, [None, 1]),
        ([None, 3], {"axis": [0, 1], "keepdims": True}, [1, 1]),
        ([2, 3, 4], {"axis": [0, 2]}, [3]),
        ([2, 3, 4], {"axis": 1, "keep_dims": True}, [2, 1, 4]),
        ([2, 3, 4], {"reduction_indices": [1]}, [2, 4]),
        ([2, 3], {"axis": []}, [2, 3]),
    ],
)
def test_reduction_static_shapes(shape, kwargs, expected) -> None:
    x = tf.placeholder(tf.float32, shape)
    for reduce in (tf.reduce_sum, tf.reduce_mean):
        out = reduce(x, **kwargs)
        assert out.dtype is tf.float32
        assert out.shape.as_list() == expected


def test_reduction_axis_out_of_range_is_value_error() -> None:
    x = tf.constant([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="Invalid reduction dimension 2"):
        tf.reduce_sum(x, axis=2)
    with pytest.raises(ValueError):
        tf.reduce_mean(x, axis=-3)


def test_reduction_keepdims_and_keep_dims_together_is_error() -> None:
    x = tf.constant([1.0])
    with pytest.raises(ValueError):
        tf.reduce_sum(x, keepdims=True, keep_dims=True)


def test_full_reduction_of_unknown_rank_is_scalar() -> None:
    x = tf.placeholder(tf.float32)
    assert tf.reduce_sum(x).shape.as_list() == []
    assert tf.reduce_mean(x).shape.as_list() == []


def test_full_reduction_of_unknown_rank_runs() -> None:
    x = tf.placeholder(tf.float32)
    value = np.arange(12, dtype=np.float32).reshape(3, 4)
    with tf.Session() as sess:
        total, mean = sess.run([tf.reduce_sum(x), tf.reduce_mean(x)], {x: value})
    assert total == value.sum()
    assert mean == pytest.approx(value.mean())


def test_unknown_rank_propagates() -> None:
    x = tf.placeholder(tf.float32)
    assert (x + 1.0).shape.ndims is None
    assert tf.square(x).shape.ndims is None
    assert tf.reduce_sum(x, axis=1).shape.ndims is None


def test_op_outputs_infer_dtype() -> None:
    i = tf.placeholder(tf.int32, [3])
    f = tf.placeholder(tf.float64, [3])
    assert (i < 2).dtype is tf.bool
    assert (i / 2).dtype is tf.float64  # TF1: int32 true division gives float64
    assert (tf.cast(i, tf.int16) / 2).dtype is tf.float32
    assert tf.square(f).dtype is tf.float64
    assert tf.reduce_mean(i).dtype is tf.int32
    assert tf.shape(f).dtype is tf.int32
