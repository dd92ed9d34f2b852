"""tf.Session: fetch structures, feeds, pruning, plan caching, default sessions, and the
errors a run raises (tf.errors)."""

from __future__ import annotations

import collections
import os

import numpy as np
import pytest
from conftest import HYPOTHESIS_SETTINGS, next_line
from hypothesis import given, settings
from hypothesis import strategies as st

import graphflow as tf
import graphflow.session as session_module

Pair = collections.namedtuple("Pair", ["first", "second"])


# -- fetches -------------------------------------------------------------------------------


def test_fetch_kinds() -> None:
    a = tf.constant([1.0, 2.0], name="a")
    d = tf.multiply(a, 3.0, name="d")
    v = tf.Variable(7, name="v")
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        assert sess.run(init) is None
        np.testing.assert_array_equal(sess.run(d), [3.0, 6.0])
        np.testing.assert_array_equal(sess.run("d:0"), [3.0, 6.0])
        assert sess.run("d") is None  # an op name fetches the op
        assert sess.run(d.op) is None
        assert sess.run(v) == 7
        assert sess.run("v/read:0") == 7
        assert sess.run(tf.no_op()) is None


def test_fetch_nested_structures_keep_their_shape() -> None:
    a = tf.constant(1.0)
    b = tf.constant([2, 3])
    op = tf.no_op()
    fetches = {
        "list": [a, (b, op)],
        "pair": Pair(a, [b]),
        "dict": {"x": a, "y": {"z": b}},
        "ordered": collections.OrderedDict([("q", b), ("p", a)]),
        "name": "Const:0",
    }
    with tf.Session() as sess:
        out = sess.run(fetches)
    assert set(out) == set(fetches)
    assert isinstance(out["list"], list) and isinstance(out["list"][1], tuple)
    assert out["list"][0] == 1.0
    np.testing.assert_array_equal(out["list"][1][0], [2, 3])
    assert out["list"][1][1] is None
    assert isinstance(out["pair"], Pair)
    assert out["pair"].first == 1.0
    np.testing.assert_array_equal(out["pair"].second[0], [2, 3])
    assert out["dict"]["x"] == 1.0
    np.testing.assert_array_equal(out["dict"]["y"]["z"], [2, 3])
    assert isinstance(out["ordered"], collections.OrderedDict)
    assert list(out["ordered"]) == ["q", "p"]
    assert out["name"] == 1.0


def test_fetch_tuple_and_namedtuple_at_top_level() -> None:
    a = tf.constant(1)
    b = tf.constant(2)
    with tf.Session() as sess:
        assert sess.run((a, b)) == (1, 2)
        assert sess.run(Pair(b, a)) == Pair(2, 1)
        assert sess.run([a]) == [1]


@pytest.mark.parametrize("fetches", [[], (), {}, [[]], {"a": []}])
def test_fetch_empty_structures(fetches) -> None:
    tf.constant(1.0)
    with tf.Session() as sess:
        assert sess.run(fetches) == fetches


def test_fetch_defaultdict() -> None:
    c = tf.constant(3.0)
    fetches = collections.defaultdict(list, {"a": c})
    with tf.Session() as sess:
        out = sess.run(fetches)
    assert isinstance(out, collections.defaultdict)
    assert out.default_factory is list
    assert out["a"] == 3.0


def test_result_types_are_numpy() -> None:
    f = tf.constant(1.5)
    i = tf.constant(3)
    arr = tf.constant([[1, 2]], dtype=tf.int64)
    s = tf.constant("hi")
    w = tf.Variable(2.0)
    p = tf.placeholder(tf.float32, [])
    with tf.Session() as sess:
        sess.run(w.initializer)
        out_f, out_i, out_arr, out_s, out_sum = sess.run([f, i, arr, s, f + f])
        assert type(out_f) is np.float32
        assert type(out_i) is np.int32
        assert type(out_sum) is np.float32
        assert type(out_arr) is np.ndarray and out_arr.dtype == np.int64
        assert out_arr.shape == (1, 2)
        assert type(out_s) is bytes
        # computed scalars and variable values are NumPy scalars too, as in TF1
        assert type(sess.run(w)) is np.float32
        assert type(sess.run(w.assign(3.0))) is np.float32
        assert type(sess.run(p * 2.0, {p: 2.0})) is np.float32
        assert sess.run(p, {p: 2.0}) == 2.0


def test_results_can_be_modified_without_changing_the_session() -> None:
    c = tf.constant([1.0, 2.0])
    w = tf.Variable([3.0, 4.0])
    with tf.Session() as sess:
        sess.run(w.initializer)
        got_c, got_w = sess.run([c, w])
        got_c[0] = 100.0
        got_w[0] = 100.0
        np.testing.assert_array_equal(sess.run(c), [1.0, 2.0])
        np.testing.assert_array_equal(sess.run(w), [3.0, 4.0])


def test_each_op_runs_once_per_call() -> None:
    counter = tf.Variable(0, name="counter")
    inc = tf.assign_add(counter, 1)
    uses = inc * 10
    with tf.Session() as sess:
        sess.run(counter.initializer)
        out = sess.run([inc, inc, inc.op, {"again": inc}, uses])
        assert out[0] == 1 and out[1] == 1 and out[2] is None
        assert out[3] == {"again": 1}
        assert out[4] == 10
        assert sess.run(counter) == 1
        assert sess.run([inc, "AssignAdd:0"]) == [2, 2]
        assert sess.run(counter) == 2


def test_duplicate_fetches_of_one_tensor_give_equal_values() -> None:
    x = tf.placeholder(tf.float32, [2])
    y = x * 2.0
    with tf.Session() as sess:
        first, second, third = sess.run([y, y, "mul:0"], {x: [1.0, 2.0]})
    for got in (first, second, third):
        np.testing.assert_array_equal(got, [2.0, 4.0])


# -- feeds ---------------------------------------------------------------------------------


def test_feed_keys_tensors_and_names() -> None:
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = x + 1.0
    value = np.array([[1.0, 2.0]], np.float32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: value}), value + 1)
        np.testing.assert_array_equal(sess.run(y, {"x:0": value}), value + 1)
        np.testing.assert_array_equal(sess.run(y, feed_dict={x: value}), value + 1)


@pytest.mark.parametrize(
    "value,dtype,expected",
    [
        (3, tf.float32, np.float32(3.0)),
        (2.5, tf.float64, np.float64(2.5)),
        ([1, 2], tf.float32, np.array([1.0, 2.0], np.float32)),
        (np.array([1.0, 2.0], np.float64), tf.float32, np.array([1.0, 2.0], np.float32)),
        (np.array([1, 2], np.int64), tf.int32, np.array([1, 2], np.int32)),
        ([True, False], tf.bool, np.array([True, False])),
        ([True, False], tf.int32, np.array([1, 0], np.int32)),
        (2.0, tf.int32, np.int32(2)),
        (["a", b"b"], tf.string, np.array([b"a", b"b"], dtype=object)),
    ],
)
def test_feed_values_are_converted_to_the_tensor_dtype(value, dtype, expected) -> None:
    p = tf.placeholder(dtype)
    with tf.Session() as sess:
        out = sess.run(p, {p: value})
    assert np.asarray(out).dtype == np.asarray(expected).dtype
    assert np.shape(out) == np.shape(expected)
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize(
    "value,dtype",
    [
        (1.5, tf.int32),  # documented difference: TF1 truncates, graphflow refuses
        ([1, 2.5], tf.int64),
        ([2**40], tf.int32),
        (-1, tf.uint8),
        (2, tf.bool),
    ],
)
def test_lossy_feed_is_type_error(value, dtype) -> None:
    p = tf.placeholder(dtype)
    with tf.Session() as sess:
        with pytest.raises(TypeError, match=p.name):
            sess.run(p, {p: value})


def test_feeding_text_to_a_number_is_an_error() -> None:
    p = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        with pytest.raises((TypeError, ValueError)):
            sess.run(p, {p: "text"})


def test_feeding_intermediate_tensors_and_constants() -> None:
    x = tf.placeholder(tf.float32, [None], name="x")
    hidden = x * 2.0
    c = tf.constant(10.0)
    out = hidden + c
    with tf.Session() as sess:
        # the upstream placeholder need not be fed: `hidden` is not computed
        np.testing.assert_array_equal(sess.run(out, {hidden: [1.0, 2.0]}), [11.0, 12.0])
        np.testing.assert_array_equal(sess.run(out, {hidden: [1.0], c: -1.0}), [0.0])
        np.testing.assert_array_equal(sess.run(out, {x: [1.0], c: 0.5}), [2.5])
        assert sess.run(c, {c: 4.0}) == 4.0
        fed = sess.run(hidden, {hidden: [5.0]})
        np.testing.assert_array_equal(fed, [5.0])


def test_unneeded_feeds_are_accepted_but_still_checked() -> None:
    x = tf.placeholder(tf.float32, [2], name="x")
    unused = tf.placeholder(tf.float32, [2], name="unused")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(x, {x: [1, 2], unused: [3, 4]}), [1.0, 2.0])
        with pytest.raises(ValueError, match="'unused:0'"):
            sess.run(x, {x: [1, 2], unused: [3, 4, 5]})


def test_pruning_ignores_unneeded_placeholders() -> None:
    x = tf.placeholder(tf.float32, name="x")
    unused = tf.placeholder(tf.float32, name="unused")
    needed = x + 1.0
    branch = unused * 2.0 + needed
    with tf.Session() as sess:
        assert sess.run(needed, {x: 1.0}) == 2.0
        plan, _ = next(iter(sess._plans.values()))
        assert [op.name for op in plan.ops] == ["add"]  # x is fed, not run
        assert [t.name for t in plan.constants] == ["add/y:0"]
        assert "unused" not in plan.source
        # a branch that needs the unfed placeholder does fail
        with pytest.raises(tf.errors.InvalidArgumentError, match="'unused'"):
            sess.run(branch, {x: 1.0})


def test_placeholder_with_default() -> None:
    p = tf.placeholder_with_default([1.0, 2.0], shape=[None])
    assert p.shape.as_list() == [None]
    assert p.dtype is tf.float32
    doubled = p * 2.0
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(doubled), [2.0, 4.0])
        np.testing.assert_array_equal(sess.run(doubled, {p: [5.0, 6.0, 7.0]}), [10.0, 12.0, 14.0])
        with pytest.raises(ValueError):
            sess.run(doubled, {p: [[1.0]]})
    with pytest.raises(ValueError):
        tf.placeholder_with_default([1.0, 2.0], shape=[3])


# -- hypothesis: feed shape validation -----------------------------------------------------


static_shapes = st.one_of(
    st.none(),
    st.lists(st.one_of(st.none(), st.integers(1, 3)), min_size=0, max_size=3),
)
fed_shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple)


def _accepts(static, fed: tuple) -> bool:
    if static is None:
        return True
    return len(static) == len(fed) and all(s is None or s == f for s, f in zip(static, fed))


@settings(HYPOTHESIS_SETTINGS, max_examples=100)
@given(static=static_shapes, fed=fed_shapes, as_list=st.booleans())
def test_feed_shape_validation(static, fed: tuple, as_list: bool) -> None:
    value = np.arange(int(np.prod(fed)), dtype=np.float64).reshape(fed) - 2.5
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape=static, name="x")
        out = x * 2.0
        dynamic = tf.shape(x)
        sess = tf.Session()
        feed = value.tolist() if as_list else value
        if _accepts(static, fed):
            got, got_shape = sess.run([out, dynamic], {x: feed})
            np.testing.assert_array_equal(got, value.astype(np.float32) * 2)
            assert np.asarray(got).dtype == np.float32
            assert tuple(got_shape) == fed
        else:
            with pytest.raises(ValueError) as info:
                sess.run(out, {x: feed})
            expected_shape = str(tf.TensorShape(static))
            assert str(info.value) == (f"Cannot feed value of shape {fed} for Tensor 'x:0', "
                                       f"which has shape '{expected_shape}'")


def test_feed_shape_error_message() -> None:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.Session() as sess:
        with pytest.raises(ValueError) as info:
            sess.run(x, {x: [[1.0, 2.0]]})
    assert str(info.value) == ("Cannot feed value of shape (1, 2) for Tensor 'x:0', which has "
                               "shape '(?, 3)'")


# -- plans ---------------------------------------------------------------------------------


def test_plans_are_cached_per_fetch_and_feed_signature(monkeypatch) -> None:
    compiled = []
    real_compile = session_module.compile_plan

    def counting_compile(*args, **kwargs):
        compiled.append(args)
        return real_compile(*args, **kwargs)

    monkeypatch.setattr(session_module, "compile_plan", counting_compile)
    x = tf.placeholder(tf.float32, [None], name="x")
    y = x * 2.0
    z = y + 1.0
    with tf.Session() as sess:
        sess.run(z, {x: [1.0]})
        assert len(compiled) == 1 and len(sess._plans) == 1
        sess.run(z, {x: [2.0, 3.0]})  # other values, same signature
        sess.run(z, {"x:0": [4.0]})  # a name resolves to the same tensor
        assert len(compiled) == 1 and len(sess._plans) == 1
        sess.run([z, y], {x: [1.0]})  # other fetches
        sess.run(z, {y: [1.0]})  # other feeds
        assert len(compiled) == 3 and len(sess._plans) == 3
        np.testing.assert_array_equal(sess.run(z, {x: [5.0]}), [11.0])
        assert len(compiled) == 3


def test_plan_source_is_visible() -> None:
    x = tf.placeholder(tf.float32, [None], name="x")
    out = tf.square(x, name="sq") + 1.0
    with tf.Session() as sess:
        sess.run(out, {x: [1.0]})
        (plan, _), = sess._plans.values()
    assert isinstance(plan.source, str)
    assert plan.source.startswith("def ")
    for name in ("sq", "add"):
        assert name in plan.source
    assert [op.name for op in plan.ops] == ["sq", "add"]
    assert [t.name for t in plan.constants] == ["add/y:0"]  # TF1 names the 1.0 add/y
    compile(plan.source, "<plan>", "exec")  # it is real Python


# -- sessions: lifetime and defaults -------------------------------------------------------


def test_session_graph_argument_and_property() -> None:
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(5.0)
    sess = tf.Session(graph=g)
    assert sess.graph is g
    assert sess.run(c) == 5.0
    assert tf.Session().graph is tf.get_default_graph()
    sess.close()


def test_session_context_manager_sets_defaults_and_closes() -> None:
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(2.0)
    assert tf.get_default_session() is None
    with tf.Session(graph=g) as sess:
        assert tf.get_default_session() is sess
        assert tf.get_default_graph() is g
        assert c.eval() == 2.0
    assert tf.get_default_session() is None
    assert tf.get_default_graph() is not g
    with pytest.raises(RuntimeError):
        sess.run(c)


def test_as_default_and_close() -> None:
    c = tf.constant(4.0)
    sess = tf.Session()
    with sess.as_default() as entered:
        assert entered is sess
        assert tf.get_default_session() is sess
        assert c.eval() == 4.0
    assert tf.get_default_session() is None
    assert sess.run(c) == 4.0  # as_default does not close
    sess.close()
    with pytest.raises(RuntimeError, match="closed"):
        sess.run(c)


def test_interactive_session_is_default_until_closed() -> None:
    c = tf.constant(3.0)
    sess = tf.InteractiveSession()
    try:
        assert isinstance(sess, tf.Session)
        assert tf.get_default_session() is sess
        assert c.eval() == 3.0
        assert (c * 2.0).eval() == 6.0
    finally:
        sess.close()
    assert tf.get_default_session() is None
    with pytest.raises(RuntimeError):
        sess.run(c)


def test_run_on_empty_graph_is_runtime_error() -> None:
    with pytest.raises(RuntimeError, match="empty"):
        tf.Session().run([])
    with pytest.raises(RuntimeError):
        tf.Session(graph=tf.Graph()).run("x:0")


# -- errors --------------------------------------------------------------------------------

ERROR_CODES = [
    ("CancelledError", 1), ("UnknownError", 2), ("InvalidArgumentError", 3),
    ("DeadlineExceededError", 4), ("NotFoundError", 5), ("AlreadyExistsError", 6),
    ("PermissionDeniedError", 7), ("ResourceExhaustedError", 8), ("FailedPreconditionError", 9),
    ("AbortedError", 10), ("OutOfRangeError", 11), ("UnimplementedError", 12),
    ("InternalError", 13), ("UnavailableError", 14), ("DataLossError", 15),
    ("UnauthenticatedError", 16),
]


@pytest.mark.parametrize("name,code", ERROR_CODES)
def test_error_classes_and_codes(name: str, code: int) -> None:
    cls = getattr(tf.errors, name)
    assert issubclass(cls, tf.errors.OpError)
    assert issubclass(cls, Exception)
    op = tf.no_op(name="culprit")
    error = cls("node", op, "went wrong")
    assert error.op is op
    assert error.node_def == "node"
    assert error.message == "went wrong"
    assert str(error) == "went wrong"
    assert error.error_code == code
    constant_name = "".join(
        "_" + ch if ch.isupper() and i else ch for i, ch in enumerate(name[:-5])).upper()
    assert getattr(tf.errors, constant_name) == code
    with pytest.raises(tf.errors.OpError):
        raise error


def test_op_error_base_class() -> None:
    error = tf.errors.OpError(None, None, "msg", tf.errors.INTERNAL)
    assert error.error_code == 13
    assert error.op is None and error.message == "msg"
    assert tf.errors.OK == 0


def test_missing_feed_is_invalid_argument_naming_the_placeholder() -> None:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = x * 2.0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(y)
    error = info.value
    assert isinstance(error, tf.errors.OpError)
    assert error.error_code == tf.errors.INVALID_ARGUMENT
    assert error.op is x.op
    assert error.message.startswith(
        "You must feed a value for placeholder tensor 'x' with dtype float and shape [?,3]")
    assert error.message == str(error)


@pytest.mark.parametrize(
    "dtype,shape,text",
    [
        (tf.int32, [None], "with dtype int32 and shape [?]"),
        (tf.float64, [2, None], "with dtype double and shape [2,?]"),
        (tf.bool, [1], "with dtype bool and shape [1]"),
    ],
)
def test_missing_feed_message_uses_tf1_type_names(dtype, shape, text) -> None:
    p = tf.placeholder(dtype, shape, name="p")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"placeholder tensor 'p' " +
                       text.replace("[", r"\[").replace("]", r"\]").replace("?", r"\?")):
        tf.Session().run(tf.identity(p))


@pytest.mark.parametrize("shape", [None, []], ids=["unknown", "scalar"])
def test_missing_feed_message_without_shape(shape) -> None:
    p = tf.placeholder(tf.float32, shape, name="p")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.Session().run(p + 1.0)
    first_line = info.value.message.splitlines()[0]
    assert first_line == "You must feed a value for placeholder tensor 'p' with dtype float"


def test_uninitialized_variable_is_failed_precondition() -> None:
    w = tf.Variable([1.0], name="W")
    out = w * 2.0
    with tf.Session() as sess:
        for fetch in (w, out, "W/read:0"):
            with pytest.raises(tf.errors.FailedPreconditionError) as info:
                sess.run(fetch)
            assert "Attempting to use uninitialized value W" in info.value.message
            assert info.value.error_code == tf.errors.FAILED_PRECONDITION


def test_fetching_uninitialized_variable_ref_is_failed_precondition() -> None:
    tf.Variable([1.0], name="W")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run("W:0")


def test_run_time_kernel_error_names_op_and_line() -> None:
    a = tf.placeholder(tf.float32, [None, None], name="a")
    b = tf.placeholder(tf.float32, [None, None], name="b")
    line = next_line()
    product = tf.matmul(a, b, name="product")
    total = tf.reduce_sum(product)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(total, {a: np.ones((2, 3)), b: np.ones((4, 5))})
    error = info.value
    assert error.op is product.op
    assert error.error_code == tf.errors.INVALID_ARGUMENT
    assert f"{__file__}:{line}" in error.message
    assert "product" in error.message
    assert "[2,3]" in error.message and "[4,5]" in error.message


def test_run_time_error_carries_node_def_of_failing_op() -> None:
    a = tf.placeholder(tf.float32, [None, None], name="a")
    product = tf.matmul(a, a, name="product")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.Session().run(product, {a: np.ones((2, 3))})
    assert info.value.op is product.op
    assert info.value.node_def is not None
    assert info.value.node_def == product.op.node_def


def test_fetch_from_another_graph_is_value_error() -> None:
    tf.constant(1.0)
    g = tf.Graph()
    with g.as_default():
        foreign = tf.constant(2.0)
        foreign_var = tf.Variable(1.0)
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="is not an element of this graph"):
            sess.run(foreign)
        with pytest.raises(ValueError, match="is not an element of this graph"):
            sess.run([foreign.op])
        with pytest.raises(ValueError, match="is not an element of this graph"):
            sess.run(foreign_var)


def test_fetch_of_unknown_name_is_value_error() -> None:
    tf.constant(1.0, name="c")
    with tf.Session() as sess:
        for name in ("nope:0", "nope", "c:1"):
            with pytest.raises(ValueError):
                sess.run(name)


@pytest.mark.parametrize("bad", [5, 2.5, None, object(), [tf.constant(1.0).name, 3]])
def test_fetch_of_wrong_type_is_type_error(bad) -> None:
    tf.constant(1.0)
    with tf.Session() as sess:
        with pytest.raises(TypeError):
            sess.run(bad)


def test_bad_feed_keys_are_type_errors() -> None:
    x = tf.placeholder(tf.float32, name="x")
    g = tf.Graph()
    with g.as_default():
        foreign = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        for key in ("nope:0", "x", 5, foreign):
            with pytest.raises(TypeError):
                sess.run(x, {x: 1.0, key: 1.0})


def test_feeding_a_tensor_value_is_type_error() -> None:
    x = tf.placeholder(tf.float32, name="x")
    with tf.Session() as sess:
        with pytest.raises(TypeError):
            sess.run(x, {x: tf.constant(1.0)})


def test_failed_run_leaves_variables_unchanged() -> None:
    w = tf.Variable([1.0, 2.0], name="W")
    counter = tf.Variable(0, name="counter")
    a = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None, None])
    assign = w.assign([10.0, 20.0])
    bump = tf.assign_add(counter, 1)
    with tf.control_dependencies([assign, bump]):
        product = tf.matmul(a, b)  # runs after both writes, and may fail
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(product, {a: np.ones((2, 3)), b: np.ones((4, 5))})
        np.testing.assert_array_equal(sess.run(w), [1.0, 2.0])
        assert sess.run(counter) == 0
        # the same run with good inputs commits both writes
        sess.run(product, {a: np.ones((2, 3)), b: np.ones((3, 5))})
        np.testing.assert_array_equal(sess.run(w), [10.0, 20.0])
        assert sess.run(counter) == 1


def test_feed_errors_happen_before_any_write() -> None:
    v = tf.Variable(0, name="v")
    x = tf.placeholder(tf.float32, [2])
    with tf.control_dependencies([tf.assign_add(v, 1)]):
        out = x * 1.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(ValueError):
            sess.run(out, {x: [1.0, 2.0, 3.0]})
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(out)
        assert sess.run(v) == 0


def test_errors_module_is_importable_by_path() -> None:
    from graphflow.framework import errors

    assert tf.errors is errors
    assert os.path.basename(errors.__file__) == "errors.py"


def test_session_graph_def_describes_its_graph() -> None:
    a = tf.constant(1.0, name="a")
    tf.add(a, a, name="b")
    with tf.Session() as sess:
        names = [node["name"] for node in sess.graph_def["node"]]
    assert names == ["a", "b"]
