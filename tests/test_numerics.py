"""Numerics you can debug: tf.check_numerics, add_check_numerics_ops, tf.Assert and the
tf.debugging.assert_* checks, tf.print / tf.Print, and the Session option that stops a run at
the first NaN or Inf."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from conftest import next_line

import graphflow as tf
from graphflow.debugging import (
    Assert,
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_rank,
    assert_rank_at_least,
    assert_type,
    check_numerics,
)
from graphflow.ops.debug_ops import Print, add_check_numerics_ops, print_, summarize
from graphflow.session import RunOptions

InvalidArgumentError = tf.errors.InvalidArgumentError
CHECK = RunOptions(check_numerics=True)


# -- check_numerics ------------------------------------------------------------------------
def test_check_numerics_passes_finite_values_through() -> None:
    x = tf.placeholder(tf.float64, [None])
    checked = check_numerics(x, "x is bad")
    value = np.random.RandomState(0).randn(5)
    np.testing.assert_array_equal(tf.Session().run(checked, {x: value}), value)


@pytest.mark.parametrize("bad,kinds", [([np.nan], "NaN"), ([np.inf], "Inf"),
                                       ([-np.inf, np.nan], "Inf and NaN")])
def test_check_numerics_names_the_message_and_what_it_found(bad: list, kinds: str) -> None:
    x = tf.placeholder(tf.float32, [None])
    line = next_line()
    checked = check_numerics(x, "x is bad", name="guard")
    with pytest.raises(InvalidArgumentError) as info:
        tf.Session().run(checked, {x: [1.0] + bad})
    assert f"x is bad : Tensor had {kinds} values" in info.value.message
    assert info.value.op is checked.op
    assert f"[[node guard (defined at {__file__}:{line}) ]]" in info.value.message


def test_check_numerics_refuses_integers_at_build_time() -> None:
    with pytest.raises(TypeError, match="int32"):
        check_numerics(tf.constant([1, 2]), "ints")


def test_check_numerics_gradient_passes_through_with_a_check() -> None:
    x = tf.placeholder(tf.float64, [3])
    y = check_numerics(tf.square(x), "square")
    (grad,) = tf.gradients(y, x)
    value = np.array([1.0, -2.0, 0.5])
    sess = tf.Session()
    np.testing.assert_allclose(sess.run(grad, {x: value}), 2 * value)
    upstream = tf.placeholder(tf.float64, [3])
    (checked_grad,) = tf.gradients(y, x, grad_ys=upstream)
    with pytest.raises(InvalidArgumentError, match="detected in gradient. square"):
        sess.run(checked_grad, {x: value, upstream: [1.0, np.nan, 1.0]})


def test_add_check_numerics_ops_checks_every_float_tensor() -> None:
    x = tf.placeholder(tf.float32, [None], name="x")
    w = tf.Variable([1.0, 2.0], name="w")
    y = tf.log(x * w, name="log")
    tf.reduce_sum(y, name="total")
    tf.constant([1, 2], name="ints")
    floats = [t for op in tf.get_default_graph().get_operations() for t in op.outputs
              if t.dtype in (tf.float32,)]  # refs (float32_ref) and ints are not checked
    check_all = add_check_numerics_ops()
    checks = [op for op in tf.get_default_graph().get_operations() if op.type == "CheckNumerics"]
    assert sorted(op.inputs[0].name for op in checks) == sorted(t.name for t in floats)
    sess = tf.Session()
    sess.run(w.initializer)
    assert sess.run(check_all, {x: [1.0, 3.0]}) is None
    with pytest.raises(InvalidArgumentError, match="log:0 : Tensor had NaN values"):
        sess.run(check_all, {x: [-1.0, 3.0]})


def test_add_check_numerics_ops_refuses_cond() -> None:
    x = tf.placeholder(tf.float32, [])
    tf.cond(x > 0, lambda: x * 2.0, lambda: x * 3.0)
    with pytest.raises(ValueError, match="control flow"):
        add_check_numerics_ops()


# -- tf.Assert and its summaries -----------------------------------------------------------
@pytest.mark.parametrize("value,limit,text", [  # as TF 2.21's tf.Assert and tf.Print write them
    (np.array([1, -2, 3, 4]), 2, "1 -2..."),
    (np.array([[1, 2], [3, 4]]), 3, "[1 2][3...]..."),
    (np.arange(24).reshape(2, 3, 4), 3, "[[0 1 2...]]..."),
    (np.array([1.5, 2.0]), 3, "1.5 2"),
    (np.array(7), 3, "7"),
    (np.array(b"text"), 3, "text"),
    (np.array([True, False]), 3, "1 0"),
    (np.zeros((0,)), 3, ""),
])
def test_summaries_follow_tf1(value: np.ndarray, limit: int, text: str) -> None:
    assert summarize(value, limit) == text


def test_summarize_negative_limit_shows_everything() -> None:
    value = np.arange(7)
    assert summarize(value, -1) == " ".join(map(str, value))


def test_assert_raises_with_its_data_only_when_condition_fails() -> None:
    x = tf.placeholder(tf.int32, [None])
    check = Assert(tf.reduce_all(x > 0), ["x must be positive", x], summarize=2)
    assert isinstance(check, tf.Operation) and check.type == "Assert"
    sess = tf.Session()
    assert sess.run(check, {x: [1, 2, 3]}) is None
    with pytest.raises(InvalidArgumentError) as info:
        sess.run(check, {x: [5, -2, 3]})
    assert "assertion failed: [x must be positive] [5 -2...]" in info.value.message
    assert info.value.op is check


def test_assert_as_control_dependency_guards_a_value() -> None:
    x = tf.placeholder(tf.float32, [None])
    with tf.control_dependencies([Assert(tf.reduce_all(x < 10.0), [x])]):
        y = tf.identity(x) * 2.0
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(y, {x: [1.0, 2.0]}), [2.0, 4.0])
    with pytest.raises(InvalidArgumentError, match="assertion failed"):
        sess.run(y, {x: [1.0, 20.0]})


def test_assert_condition_must_be_a_bool_scalar() -> None:
    with pytest.raises(TypeError):
        Assert(tf.constant(1), ["int"])
    with pytest.raises(ValueError, match="rank 0"):
        Assert(tf.constant([True, False]), ["vector"])


# -- tf.debugging.assert_* ------------------------------------------------------------------
BINARY = [(assert_equal, np.equal), (assert_none_equal, np.not_equal), (assert_less, np.less),
          (assert_less_equal, np.less_equal), (assert_greater, np.greater),
          (assert_greater_equal, np.greater_equal)]
UNARY = [(assert_positive, lambda v: v > 0), (assert_negative, lambda v: v < 0),
         (assert_non_negative, lambda v: v >= 0), (assert_non_positive, lambda v: v <= 0)]


@pytest.mark.parametrize("check,predicate", BINARY, ids=lambda f: getattr(f, "__name__", ""))
def test_binary_asserts_agree_with_numpy_at_run_time(check, predicate) -> None:
    x = tf.placeholder(tf.int32, [None])
    y = tf.placeholder(tf.int32, [None])
    op = check(x, y, message="custom words")
    sess = tf.Session()
    rng = np.random.RandomState(7)
    outcomes = set()
    for _ in range(30):
        a, b = rng.randint(0, 3, size=2), rng.randint(0, 3, size=2)
        holds = bool(np.all(predicate(a, b)))
        outcomes.add(holds)
        if holds:
            assert sess.run(op, {x: a, y: b}) is None
        else:
            with pytest.raises(InvalidArgumentError, match="custom words") as info:
                sess.run(op, {x: a, y: b})
            assert f"x ({x.name}) = ] [{' '.join(map(str, a))}]" in info.value.message
    assert outcomes == {True, False}


@pytest.mark.parametrize("check,predicate", BINARY, ids=lambda f: getattr(f, "__name__", ""))
def test_binary_asserts_on_constants_are_decided_at_build_time(check, predicate) -> None:
    rng = np.random.RandomState(3)
    for _ in range(8):
        a, b = rng.randint(0, 2, size=2), rng.randint(0, 2, size=2)
        if np.all(predicate(a, b)):
            assert tf.Session().run(check(tf.constant(a), tf.constant(b))) is None
        else:
            with pytest.raises(InvalidArgumentError, match="did not hold") as info:
                check(tf.constant(a), tf.constant(b), message="static")
            assert info.value.message.startswith("static\nCondition x")
            assert str(a) in info.value.message and str(b) in info.value.message


@pytest.mark.parametrize("check,predicate", UNARY, ids=lambda f: getattr(f, "__name__", ""))
def test_sign_asserts_agree_with_numpy(check, predicate) -> None:
    x = tf.placeholder(tf.float32, [None])
    op = check(x)
    sess = tf.Session()
    for value in ([1.0, 2.0], [-1.0, -2.0], [0.0, 0.0], [-1.0, 1.0]):
        if np.all(predicate(np.array(value))):
            assert sess.run(op, {x: value}) is None
        else:
            with pytest.raises(InvalidArgumentError, match="did not hold element-wise"):
                sess.run(op, {x: value})


def test_assert_near_uses_rtol_and_atol() -> None:
    x = tf.placeholder(tf.float64, [None])
    y = tf.placeholder(tf.float64, [None])
    rtol, atol = 0.1, 0.01
    op = assert_near(x, y, rtol=rtol, atol=atol)
    sess = tf.Session()
    rng = np.random.RandomState(5)
    outcomes = set()
    for _ in range(20):
        b = rng.uniform(-1, 1, size=3)
        a = b + rng.uniform(-0.15, 0.15, size=3) * np.abs(b)
        holds = bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))
        outcomes.add(holds)
        if holds:
            assert sess.run(op, {x: a, y: b}) is None
        else:
            with pytest.raises(InvalidArgumentError, match="not equal to tolerance"):
                sess.run(op, {x: a, y: b})
    assert outcomes == {True, False}
    with pytest.raises(InvalidArgumentError, match="tolerance"):
        assert_near(tf.constant([1.0]), tf.constant([1.5]))
    with pytest.raises(TypeError):
        assert_near(tf.constant([1]), tf.constant([1]))


def test_assert_rank_static_and_dynamic() -> None:
    with pytest.raises(ValueError, match=r"words.  Tensor .* must have rank 2.  Received rank 1"):
        assert_rank(tf.constant([1, 2]), 2, message="words")
    with pytest.raises(ValueError, match="must have rank at least 3"):
        assert_rank_at_least(tf.zeros([2, 2]), 3)
    assert assert_rank(tf.zeros([2, 2]), 2).type == "NoOp"
    with pytest.raises(ValueError, match="Rank must be a scalar"):
        assert_rank(tf.zeros([2]), tf.constant([1]))
    x = tf.placeholder(tf.float32)  # rank known only at run time
    exact, at_least = assert_rank(x, 2), assert_rank_at_least(x, 2)
    sess = tf.Session()
    for rank in range(4):
        value = np.zeros((1,) * rank)
        for op, holds in ((exact, rank == 2), (at_least, rank >= 2)):
            if holds:
                assert sess.run(op, {x: value}) is None
            else:
                with pytest.raises(InvalidArgumentError, match="must have rank"):
                    sess.run(op, {x: value})


def test_assert_type() -> None:
    with pytest.raises(TypeError, match="must be of type tf.float32; got tf.int32"):
        assert_type(tf.constant([1, 2]), tf.float32)
    assert assert_type(tf.constant([1.0]), tf.float32).type == "NoOp"


# -- printing ------------------------------------------------------------------------------
def test_tf_print_writes_at_run_time(capsys) -> None:
    x = tf.placeholder(tf.int32, [None])
    printer = print_("x is", x, {"x": x}, output_stream=sys.stdout)
    assert capsys.readouterr().out == ""  # building prints nothing
    tf.Session().run(printer, {x: [1, 2, 3]})
    assert capsys.readouterr().out == "x is [1 2 3] {'x': [1 2 3]}\n"


def test_tf_print_summarizes_long_dimensions(capsys) -> None:
    value = np.arange(10)
    tf.Session().run(print_(tf.constant(value), summarize=2, sep="|", end="!"))
    err = capsys.readouterr().err
    assert err == "[0 1 ... 8 9]!"
    tf.Session().run(print_(tf.constant(value), summarize=-1))
    assert capsys.readouterr().err == f"[{' '.join(map(str, value))}]\n"


def test_tf_print_to_a_file(tmp_path) -> None:
    path = tmp_path / "log.txt"
    x = tf.placeholder(tf.float32, [])
    op = print_("x =", x, output_stream=f"file://{path}")
    sess = tf.Session()
    for value in (1.5, 2.0):
        sess.run(op, {x: value})
    assert path.read_text() == "x = 1.5\nx = 2\n"
    with pytest.raises(ValueError, match="Unsupported output stream"):
        print_("x", output_stream="nowhere")


def test_old_print_is_an_identity_that_prints(capsys) -> None:
    x = tf.placeholder(tf.float64, [None])
    y = Print(x, [x, tf.constant(7)], message="values: ", first_n=2, summarize=2)
    loss = tf.reduce_sum(tf.square(y))
    (grad,) = tf.gradients(loss, x)
    sess = tf.Session()
    value = np.array([1.0, 2.0, 3.0])
    for _ in range(3):
        np.testing.assert_array_equal(sess.run(y, {x: value}), value)
    assert capsys.readouterr().err == "values: [1 2...][7]\n" * 2  # first_n=2
    np.testing.assert_allclose(sess.run(grad, {x: value}), 2 * value)


# -- the Session option: stop at the first NaN or Inf --------------------------------------
def test_check_numerics_option_names_the_first_bad_op() -> None:
    x = tf.placeholder(tf.float32, [None], name="x")
    scaled = x * 2.0
    line = next_line()
    logged = tf.log(scaled, name="logged")
    total = tf.reduce_sum(tf.exp(logged), name="total")  # NaN propagates; Log is the culprit
    sess = tf.Session()
    value = np.array([-1.0, 2.0, 4.0], np.float32)
    assert np.isnan(sess.run(total, {x: value}))  # without the option: NaN, as TF1
    with pytest.raises(InvalidArgumentError) as info:
        sess.run(total, {x: value}, options=CHECK)
    message = info.value.message
    assert info.value.op is logged.op
    assert "op 'logged' (op type: Log)" in message
    assert "logged:0 has 1 NaN and 0 Inf of 3 values" in message
    doubled = value * 2
    assert (f"input mul:0: float32 [3] min {doubled.min():.4g} mean {doubled.mean():.4g} "
            f"max {doubled.max():.4g}") in message
    assert f"(defined at {__file__}:{line})" in message
    assert sess.run(total, {x: abs(value)}, options=CHECK) == pytest.approx(
        np.exp(np.log(2 * abs(value))).sum(), rel=1e-6)


def test_check_numerics_option_has_its_own_plan_and_costs_nothing_when_off() -> None:
    x = tf.placeholder(tf.float32, [None])
    y = tf.sqrt(x)
    sess = tf.Session()
    sess.run(y, {x: [4.0]})
    sess.run(y, {x: [4.0]}, options=CHECK)
    sess.run(y, {x: [4.0]}, options=RunOptions())
    plans = {key[2]: plan for key, (plan, _) in sess._plans.items()}
    assert len(sess._plans) == 2
    assert "_check_finite" not in plans[False].source
    assert plans[True].source.count("_check_finite") == 1


def test_check_numerics_option_leaves_variables_unchanged_on_failure() -> None:
    w = tf.Variable([1.0, 2.0])
    x = tf.placeholder(tf.float32, [2])
    loss = tf.reduce_sum(tf.square(w * x))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = tf.Session()
    sess.run(w.initializer)
    with pytest.raises(InvalidArgumentError, match="NaN"):
        sess.run(train, {x: [np.nan, 1.0]}, options=CHECK)
    np.testing.assert_array_equal(sess.run(w), [1.0, 2.0])
    sess.run(train, {x: [1.0, 1.0]}, options=CHECK)
    np.testing.assert_allclose(sess.run(w), [1.0 - 0.2 * 1.0, 2.0 - 0.2 * 2.0])


def test_check_numerics_option_inside_a_cond_branch() -> None:
    x = tf.placeholder(tf.float32, [])
    out = tf.cond(x > 0, lambda: tf.log(x - 5.0, name="risky"), lambda: x * 1.0)
    sess = tf.Session()
    assert sess.run(out, {x: -1.0}, options=CHECK) == -1.0  # the bad branch is not taken
    with pytest.raises(InvalidArgumentError, match="risky"):
        sess.run(out, {x: 1.0}, options=CHECK)


def test_tf_print_to_the_log(caplog) -> None:
    x = tf.placeholder(tf.int32, [2])
    op = print_("x:", x, output_stream="log(warning)")
    with caplog.at_level("WARNING", logger="graphflow"):
        tf.Session().run(op, {x: [4, 5]})
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [("WARNING", "x: [4 5]")]
