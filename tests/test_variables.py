"""tf.Variable, assignment ops, initializers, per-Session values, and the deterministic order
of variable reads within one run."""

from __future__ import annotations

import numpy as np
import pytest

import graphflow as tf

# -- creation and naming -------------------------------------------------------------------


def test_variable_ops_are_named_like_tf1() -> None:
    w = tf.Variable([1.0], name="weight")
    ops = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    assert ops == {
        "weight/initial_value": "Const",
        "weight": "VariableV2",
        "weight/Assign": "Assign",
        "weight/read": "Identity",
    }
    assert w.name == "weight:0"
    assert w.op.name == "weight"
    assert w.op.type == "VariableV2"
    assert w.initializer.name == "weight/Assign"
    assert w.initial_value.name == "weight/initial_value:0"
    assert w.value().name == "weight/read:0"
    assert w.shape.as_list() == [1]
    assert w.get_shape().as_list() == [1]
    assert w.graph is tf.get_default_graph()
    assert w.trainable
    # the initializer writes the initial value through the variable's reference
    assert [t.name for t in w.initializer.inputs] == ["weight:0", "weight/initial_value:0"]


def test_variable_names_are_unique_and_scoped() -> None:
    a = tf.Variable(1.0, name="W")
    b = tf.Variable(1.0, name="W")
    c = tf.Variable(1.0)
    with tf.name_scope("layer1"):
        d = tf.Variable(1.0, name="W")
    assert [a.name, b.name, c.name, d.name] == ["W:0", "W_1:0", "Variable:0", "layer1/W:0"]
    assert b.initializer.name == "W_1/Assign"
    assert d.value().name == "layer1/W/read:0"


def test_variable_dtype_argument_and_defaults() -> None:
    assert tf.Variable(1.0).dtype.base_dtype is tf.float32
    assert tf.Variable(1).dtype.base_dtype is tf.int32
    assert tf.Variable(np.zeros(2)).dtype.base_dtype is tf.float64
    v = tf.Variable([1, 2], dtype=tf.float32)
    assert v.dtype.base_dtype is tf.float32
    w = tf.Variable(1.0, dtype=tf.float64)
    assert w.dtype.name == "float64_ref"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(v)
        assert out.dtype == np.float32
        np.testing.assert_array_equal(out, [1.0, 2.0])
        assert sess.run(w).dtype == np.float64


def test_variable_needs_an_initial_value() -> None:
    with pytest.raises(ValueError):
        tf.Variable()


def test_variable_from_callable_and_from_tensor() -> None:
    v = tf.Variable(lambda: tf.constant([3.0, 4.0]), name="lazy")
    assert v.initial_value.name.startswith("lazy/")
    x = tf.constant(np.arange(6.0).reshape(2, 3))
    w = tf.Variable(x * 2.0, name="from_tensor")
    assert w.shape.as_list() == [2, 3]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(v), [3.0, 4.0])
        np.testing.assert_array_equal(sess.run(w), np.arange(6.0).reshape(2, 3) * 2)


def test_variable_is_not_a_bool() -> None:
    with pytest.raises(TypeError):
        bool(tf.Variable(1.0))


# -- collections ---------------------------------------------------------------------------


def test_global_and_trainable_collections() -> None:
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b", trainable=False)
    with tf.name_scope("scope"):
        c = tf.Variable(3.0, name="c")
    assert tf.global_variables() == [a, b, c]
    assert tf.trainable_variables() == [a, c]
    assert not b.trainable
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [a, b, c]
    assert tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES) == [a, c]
    assert tf.global_variables(scope="scope") == [c]
    assert tf.trainable_variables(scope="scope") == [c]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="scope") == [c]
    assert tf.global_variables(scope="nothing") == []


def test_variables_are_per_graph() -> None:
    tf.Variable(1.0)
    g = tf.Graph()
    with g.as_default():
        assert tf.global_variables() == []
        inner = tf.Variable(2.0)
        assert tf.global_variables() == [inner]
    assert len(tf.global_variables()) == 1


# -- initializers --------------------------------------------------------------------------


def test_global_variables_initializer() -> None:
    a = tf.Variable(np.arange(3.0), name="a")
    b = tf.Variable([[1, 2]], name="b")
    init = tf.global_variables_initializer()
    assert init.name == "init"
    assert init.type == "NoOp"
    assert init.control_inputs == [a.initializer, b.initializer]
    with tf.Session() as sess:
        assert sess.run(init) is None
        got_a, got_b = sess.run([a, b])
    np.testing.assert_array_equal(got_a, np.arange(3.0))
    np.testing.assert_array_equal(got_b, [[1, 2]])


def test_variables_initializer_subset_and_report() -> None:
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    with tf.name_scope("s"):
        c = tf.Variable(3.0, name="c")
    report = tf.report_uninitialized_variables()
    assert report.dtype is tf.string
    init_a = tf.variables_initializer([a], name="init_a")
    assert init_a.name == "init_a"
    with tf.Session() as sess:
        assert sess.run(report).tolist() == [b"a", b"b", b"s/c"]
        sess.run(init_a)
        assert sess.run(a) == 1.0
        assert sess.run(report).tolist() == [b"b", b"s/c"]
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value b"):
            sess.run(b)
        assert sess.run(tf.is_variable_initialized(a))
        assert not sess.run(tf.is_variable_initialized(b))
        sess.run(tf.variables_initializer([b, c]))
        got = sess.run(report)
        assert got.shape == (0,)
        assert sess.run([a, b, c]) == [1.0, 2.0, 3.0]
    subset = tf.report_uninitialized_variables([c])
    with tf.Session() as sess:
        assert sess.run(subset).tolist() == [b"s/c"]


def test_empty_initializers_are_no_ops() -> None:
    init = tf.global_variables_initializer()
    local = tf.local_variables_initializer()
    assert init.type == "NoOp" and local.type == "NoOp"
    assert tf.variables_initializer([]).type == "NoOp"
    with tf.Session() as sess:
        assert sess.run([init, local]) == [None, None]


def test_local_variables_initializer_ignores_global_variables() -> None:
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(v)


def test_reinitializing_resets_the_value() -> None:
    v = tf.Variable(5, name="v")
    inc = tf.assign_add(v, 3)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(inc)
        assert sess.run(v) == 8
        sess.run(tf.global_variables_initializer())
        assert sess.run(v) == 5


# -- assignment ----------------------------------------------------------------------------


def test_assign_methods_and_functions() -> None:
    start = np.array([1.0, 2.0, 3.0], np.float32)
    delta = np.array([0.5, -1.0, 2.0], np.float32)
    v = tf.Variable(start, name="v")
    ops = {
        "assign": (v.assign(delta), lambda old: delta),
        "tf.assign": (tf.assign(v, delta * 2), lambda old: delta * 2),
        "assign_add": (v.assign_add(delta), lambda old: old + delta),
        "tf.assign_add": (tf.assign_add(v, delta), lambda old: old + delta),
        "assign_sub": (v.assign_sub(delta), lambda old: old - delta),
        "tf.assign_sub": (tf.assign_sub(v, delta), lambda old: old - delta),
    }
    with tf.Session() as sess:
        sess.run(v.initializer)
        current = start
        for label, (op, update) in ops.items():
            expected = update(current)
            got = sess.run(op)  # a fetched update returns the new value
            np.testing.assert_allclose(got, expected, err_msg=label)
            np.testing.assert_allclose(sess.run(v), expected, err_msg=label)
            current = expected


def test_assign_output_type_and_names() -> None:
    v = tf.Variable(1.0, name="v")
    a = v.assign(2.0)
    assert a.op.type == "Assign"
    assert a.name == "Assign:0"
    assert a.dtype is tf.float32  # documented: the base type, not float32_ref
    assert tf.assign_add(v, 1.0).op.type == "AssignAdd"
    assert tf.assign_sub(v, 1.0).op.type == "AssignSub"
    assert v.assign(3.0, name="set3").name == "set3:0"
    op_only = v.assign(4.0, read_value=False)
    assert isinstance(op_only, tf.Operation)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(op_only) is None
        assert sess.run(v) == 4.0


def test_assign_checks_shape_and_dtype_at_build_time() -> None:
    v = tf.Variable([1, 2], name="v")
    with pytest.raises(ValueError):
        v.assign([1, 2, 3])
    with pytest.raises(ValueError):
        tf.assign_add(v, [[1, 2]])
    with pytest.raises(TypeError):
        v.assign([1.5, 2])  # documented: lossy conversion is refused
    with pytest.raises(TypeError):
        tf.assign(v + 1, [1, 2])  # not a variable


@pytest.mark.parametrize("build,op_type", [
    (lambda v, t: v.assign(t), "Assign"),
    (lambda v, t: tf.assign(v, t), "Assign"),
    (lambda v, t: tf.assign_add(v, t), "AssignAdd"),
    (lambda v, t: v.assign_sub(t), "AssignSub"),
])
def test_assigning_a_tensor_of_another_dtype_is_type_error(build, op_type: str) -> None:
    v = tf.Variable([1, 2], name="v")
    with pytest.raises(TypeError) as info:
        build(v, tf.constant([1.0, 2.0]))
    assert f"Input 'value' of '{op_type}' Op has type float32" in str(info.value)


def test_assign_without_shape_validation_changes_shape() -> None:
    v = tf.Variable([1.0, 2.0], name="v")
    grow = tf.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(grow), [1.0, 2.0, 3.0])


def test_assign_at_run_time_checks_fed_shape() -> None:
    v = tf.Variable([1.0, 2.0], name="v")
    p = tf.placeholder(tf.float32, [None])
    assign = v.assign(p)
    add = v.assign_add(p)
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(assign, {p: [1.0, 2.0, 3.0]})
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(add, {p: [1.0]})
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
        np.testing.assert_array_equal(sess.run(assign, {p: [7.0, 8.0]}), [7.0, 8.0])


def test_assign_to_uninitialized_then_update_is_failed_precondition() -> None:
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
            sess.run(v.assign_add(1.0))
        sess.run(v.assign(5.0))  # a plain assign initializes it
        assert sess.run(v) == 5.0


def test_read_value_eval_and_load() -> None:
    v = tf.Variable([1.0, 2.0], name="v")
    r = v.read_value()
    assert r.op.type == "Identity"
    assert r.dtype is tf.float32
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(r), [1.0, 2.0])
        np.testing.assert_array_equal(v.eval(), [1.0, 2.0])  # the with makes sess default
        np.testing.assert_array_equal(v.eval(session=sess), [1.0, 2.0])
        v.load([5.0, 6.0], sess)
        np.testing.assert_array_equal(sess.run(v), [5.0, 6.0])
        v.load(np.array([7, 8]))  # default session; ints convert losslessly
        np.testing.assert_array_equal(sess.run(v), [7.0, 8.0])
        with pytest.raises(ValueError):
            v.load([1.0, 2.0, 3.0], sess)
        np.testing.assert_array_equal(sess.run(v), [7.0, 8.0])


def test_load_initializes_a_variable() -> None:
    v = tf.Variable(0.0, name="v")
    sess = tf.Session()
    v.load(3.0, sess)
    assert sess.run(v) == 3.0
    assert sess.run(tf.report_uninitialized_variables()).tolist() == []


def test_eval_without_session_is_value_error() -> None:
    v = tf.Variable(1.0)
    with pytest.raises(ValueError):
        v.eval()


# -- values live in the Session ------------------------------------------------------------


def test_two_sessions_do_not_share_values() -> None:
    v = tf.Variable(1.0, name="v")
    inc = tf.assign_add(v, 10.0)
    first = tf.Session()
    second = tf.Session()
    first.run(v.initializer)
    first.run(inc)
    assert first.run(v) == 11.0
    with pytest.raises(tf.errors.FailedPreconditionError):
        second.run(v)
    second.run(v.initializer)
    assert second.run(v) == 1.0
    second.run([inc])
    second.run([inc])
    assert second.run(v) == 21.0
    assert first.run(v) == 11.0
    first.close()
    assert second.run(v) == 21.0
    second.close()
    third = tf.Session()
    with pytest.raises(tf.errors.FailedPreconditionError):
        third.run(v)


# -- deterministic reads within one run ----------------------------------------------------


def test_lab3_fetching_cost_w_and_update_sees_w_before_the_update() -> None:
    x_data = np.array([1.0, 2.0, 3.0], np.float32)
    y_data = np.array([1.0, 2.0, 3.0], np.float32)
    learning_rate = np.float32(0.1)
    x = tf.placeholder(tf.float32)
    y = tf.placeholder(tf.float32)
    w_var = tf.Variable(5.0, name="weight")
    hypothesis = x * w_var
    cost = tf.reduce_mean(tf.square(hypothesis - y))
    gradient = tf.reduce_mean((w_var * x - y) * x)
    update = w_var.assign(w_var - learning_rate * gradient)
    feed = {x: x_data, y: y_data}
    w = np.float32(5.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(4):
            cost_val, w_val, new_w = sess.run([cost, w_var, update], feed_dict=feed)
            expected_cost = np.mean((x_data * w - y_data) ** 2)
            expected_new = w - learning_rate * np.mean((w * x_data - y_data) * x_data)
            if step == 0:
                assert f"{step} {w_val}" == "0 5.0"
            assert w_val == pytest.approx(w)
            assert cost_val == pytest.approx(expected_cost, rel=1e-5)
            assert new_w == pytest.approx(expected_new, rel=1e-5)
            w = np.float32(expected_new)
            assert sess.run(w_var) == pytest.approx(w, rel=1e-6)


def test_read_under_control_dependency_sees_the_update() -> None:
    v = tf.Variable(5.0, name="v")
    update = v.assign(v - 1.0)
    with tf.control_dependencies([update]):
        after = v.read_value()
        total_after = after + 0.0
    before = v.value()
    with tf.Session() as sess:
        sess.run(v.initializer)
        got_after, got_before, got_total = sess.run([after, before, total_after])
        assert got_before == 5.0  # the plain read does not depend on the update
        assert got_after == 4.0
        assert got_total == 4.0
        assert sess.run(v) == 4.0
        assert sess.run(after) == 3.0  # fetching it alone also runs the update


def test_identity_of_variable_under_control_dependency_sees_the_update() -> None:
    v = tf.Variable(5.0, name="v")
    update = v.assign(v - 1.0)
    with tf.control_dependencies([update]):
        after = tf.identity(v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        got_after, got_v = sess.run([after, v])
    assert got_v == 5.0
    assert got_after == 4.0


def test_reads_built_outside_the_control_dependency_see_the_old_value() -> None:
    v = tf.Variable(5.0, name="v")
    plus_before = v + 0.0  # built before, and outside, the control dependency
    update = v.assign_add(1.0)
    with tf.control_dependencies([update]):
        after = tf.identity(v)
    plus_after_block = v * 1.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run([plus_before, after, plus_after_block])
        assert got == [5.0, 6.0, 5.0]
        assert sess.run(v) == 6.0


def test_independent_reads_built_after_the_update_still_see_the_old_value() -> None:
    # ops run in creation order when nothing orders them, so these reads run after the write;
    # they must still see the value from before the run
    v = tf.Variable(np.array([1.0, 2.0], np.float32), name="v")
    update = v.assign([10.0, 20.0])
    late_read = v.read_value()
    late_expr = v.read_value() * 2.0
    increment = tf.assign_add(v, [1.0, 1.0])  # an unrelated second writer of v
    with tf.Session() as sess:
        sess.run(v.initializer)
        got_update, got_late, got_expr = sess.run([update, late_read, late_expr])
        np.testing.assert_array_equal(got_update, [10.0, 20.0])
        np.testing.assert_array_equal(got_late, [1.0, 2.0])
        np.testing.assert_array_equal(got_expr, [2.0, 4.0])
        np.testing.assert_array_equal(sess.run(v), [10.0, 20.0])
        got_inc, got_late = sess.run([increment, late_read])
        np.testing.assert_array_equal(got_inc, [11.0, 21.0])
        np.testing.assert_array_equal(got_late, [10.0, 20.0])


def test_updates_chained_by_control_dependencies() -> None:
    v = tf.Variable(1.0, name="v")
    first = v.assign_add(1.0)
    with tf.control_dependencies([first]):
        second = v.assign_add(10.0)
    with tf.control_dependencies([second]):
        third = tf.assign(v, v.read_value() * 3.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run([third, first, second, v])
        assert got == [36.0, 2.0, 12.0, 1.0]
        assert sess.run(v) == 36.0


def test_update_from_assign_output_chain() -> None:
    v = tf.Variable(2.0, name="v")
    doubled = v.assign(v * 2.0)
    plus = doubled + 1.0  # depends on the write through its output
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run([plus, v]) == [5.0, 2.0]
        assert sess.run(v) == 4.0


def test_reads_are_repeatable_across_runs() -> None:
    v = tf.Variable(0, name="v")
    inc = tf.assign_add(v, 1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        results = [sess.run([v, inc, v]) for _ in range(5)]
    assert results == [[i, i + 1, i] for i in range(5)]


def test_optimizer_updates_store_new_read_only_arrays_and_fetches_stay_the_callers() -> None:
    w = tf.Variable(np.float32([1.0, 2.0, 3.0]), name="w")
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(w * w))
    sess = tf.Session()
    sess.run(w.initializer)
    fetched = sess.run(w)
    before = sess._store.values["w"]
    sess.run(train)  # w <- w - 0.5 * 2w = 0
    after = sess._store.values["w"]
    assert after is not before and not after.flags.writeable
    np.testing.assert_array_equal(before, [1.0, 2.0, 3.0])  # the replaced value was not reused
    np.testing.assert_array_equal(fetched, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(sess.run(w), [0.0, 0.0, 0.0])


def test_a_run_failing_after_an_update_leaves_the_variable_as_it_was() -> None:
    w = tf.Variable(np.float32([1.0, 2.0]), name="w")
    x = tf.placeholder(tf.float32, [None])
    train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    with tf.control_dependencies([train]):
        after = tf.reshape(x, [2])  # fails, after the update ran, when x has 3 values
    failing, clean = tf.Session(), tf.Session()
    for sess in (failing, clean):
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            sess.run(train)
    before = failing.run(w)
    with pytest.raises(tf.errors.InvalidArgumentError):
        failing.run(after, {x: [1.0, 1.0, 1.0]})
    np.testing.assert_array_equal(failing.run(w), before)
    failing.run(train)
    clean.run(train)  # the same three updates, none failed
    np.testing.assert_array_equal(failing.run(w), clean.run(w))
