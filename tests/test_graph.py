"""Graphs, default graphs, names and name scopes, Operations and Tensors, collections,
control dependencies, group/no_op/identity, finalize, and the TF1 str/repr forms."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import graphflow as tf

# -- default graphs ------------------------------------------------------------------------


def test_default_graph_and_as_default() -> None:
    default = tf.get_default_graph()
    assert isinstance(default, tf.Graph)
    g = tf.Graph()
    assert g is not default
    with g.as_default() as entered:
        assert entered is g
        assert tf.get_default_graph() is g
        c = tf.constant(1.0)
        inner = tf.Graph()
        with inner.as_default():
            assert tf.get_default_graph() is inner
        assert tf.get_default_graph() is g
    assert tf.get_default_graph() is default
    assert c.graph is g
    assert c.op.graph is g
    assert g.get_operations() == [c.op]
    assert default.get_operations() == []


def test_default_graph_and_session_are_per_thread() -> None:
    g = tf.Graph()
    seen = {}

    def look() -> None:
        seen["graph"] = tf.get_default_graph()
        seen["session"] = tf.get_default_session()

    with g.as_default():
        sess = tf.Session()
        with sess.as_default():
            thread = threading.Thread(target=look)
            thread.start()
            thread.join()
            assert tf.get_default_session() is sess
    assert seen["graph"] is not g
    assert seen["graph"] is tf.get_default_graph()
    assert seen["session"] is None


def test_reset_default_graph() -> None:
    old = tf.get_default_graph()
    tf.constant(1.0)
    tf.reset_default_graph()
    new = tf.get_default_graph()
    assert new is not old
    assert new.get_operations() == []
    assert len(old.get_operations()) == 1
    # names start over in the new graph
    assert tf.constant(2.0).name == "Const:0"


def test_reset_default_graph_inside_nested_graph_is_an_error() -> None:
    with tf.Graph().as_default():
        with pytest.raises(AssertionError):
            tf.reset_default_graph()


def test_graph_version_grows_with_ops() -> None:
    g = tf.get_default_graph()
    assert g.version == 0
    tf.constant(1.0)
    tf.constant(2.0)
    assert g.version == 2


# -- names ---------------------------------------------------------------------------------


def test_unique_names_are_case_insensitive_like_tf1() -> None:
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    assert [tf.add(a, b).name, tf.add(a, b).name, (a + b).name] == ["Add:0", "Add_1:0", "add_2:0"]


def test_explicit_names_are_uniquified() -> None:
    assert tf.constant(1, name="x").name == "x:0"
    assert tf.constant(1, name="X").name == "X_1:0"
    assert tf.constant(1, name="x_1").name == "x_1_1:0"
    assert tf.constant(1, name="x").name == "x_2:0"


def test_generated_suffix_skips_names_already_taken() -> None:
    taken = tf.constant(1, name="Add_1")
    first = tf.add(1, 2)
    second = tf.add(1, 2)
    assert taken.name == "Add_1:0"
    assert first.name == "Add:0"
    assert second.name == "Add_2:0"


def test_default_op_names() -> None:
    x = tf.placeholder(tf.float32, [2, 2])
    assert x.name == "Placeholder:0"
    assert tf.placeholder(tf.float32).name == "Placeholder_1:0"
    assert tf.constant(1.0).name == "Const:0"
    assert tf.subtract(x, x).name == "Sub:0"
    assert tf.multiply(x, x).name == "Mul:0"
    assert tf.divide(x, x).name == "truediv:0"
    assert tf.square(x).name == "Square:0"
    assert tf.matmul(x, x).name == "MatMul:0"
    assert tf.identity(x).name == "Identity:0"
    assert tf.reduce_sum(x).name == "Sum:0"
    assert tf.reduce_mean(x).name == "Mean:0"
    assert tf.reduce_sum(x, name="total").name == "total:0"
    assert tf.shape(x).name == "Shape:0"
    assert tf.rank(x).name == "Rank:0"
    assert tf.size(x).name == "Size:0"
    assert tf.no_op().name == "NoOp"
    assert tf.placeholder_with_default(1.0, []).name == "PlaceholderWithDefault:0"


def test_name_scope_nesting_and_reentry() -> None:
    with tf.name_scope("outer") as outer:
        assert outer == "outer/"
        with tf.name_scope("inner") as inner:
            assert inner == "outer/inner/"
            c1 = tf.constant(1, name="c")
        with tf.name_scope("inner") as inner_again:
            assert inner_again == "outer/inner_1/"
            c2 = tf.constant(1, name="c")
        d = tf.constant(1)
    assert c1.name == "outer/inner/c:0"
    assert c2.name == "outer/inner_1/c:0"
    assert d.name == "outer/Const:0"
    # the string a scope yields re-enters that exact scope
    with tf.name_scope(outer):
        assert tf.constant(1, name="k").name == "outer/k:0"
        assert tf.get_default_graph().get_name_scope() == "outer"
    with tf.name_scope("outer") as second_outer:
        assert second_outer == "outer_1/"
    assert tf.get_default_graph().get_name_scope() == ""


def test_name_scope_none_or_empty_goes_to_top_level() -> None:
    with tf.name_scope("a"):
        with tf.name_scope(None) as top:
            assert top == ""
            assert tf.constant(1, name="top").name == "top:0"
        with tf.name_scope(""):
            assert tf.constant(1, name="top").name == "top_1:0"
        assert tf.constant(1, name="top").name == "a/top:0"


def test_name_scope_shares_names_with_ops() -> None:
    tf.constant(1, name="foo")
    with tf.name_scope("foo") as scope:
        assert scope == "foo_1/"


def test_op_names_share_names_with_scopes() -> None:
    with tf.name_scope("foo"):
        tf.constant(1)
    assert tf.constant(1, name="foo").name == "foo_1:0"


def test_name_scope_rejects_invalid_names() -> None:
    with pytest.raises(ValueError):
        with tf.name_scope("bad name"):
            pass


def test_name_scope_default_name_and_values() -> None:
    with tf.name_scope(None, "fallback") as scope:
        assert scope == "fallback/"
    g = tf.Graph()
    with g.as_default():
        t = tf.constant(1.0)
    # the scope opens in the graph of `values`
    with tf.name_scope("in_g", values=[t]) as scope:
        assert scope == "in_g/"
        assert g.get_name_scope() == "in_g"


def test_name_scope_with_values_makes_their_graph_the_default() -> None:
    g = tf.Graph()
    with g.as_default():
        t = tf.constant(1.0)
    with tf.name_scope("in_g", values=[t]):
        assert tf.get_default_graph() is g
        c = tf.constant(2.0)
        d = t + 1.0  # the 1.0 becomes a constant of g
    assert c.graph is g
    assert c.name == "in_g/Const:0"
    assert d.name == "in_g/add:0"


def test_name_scope_on_graph_object() -> None:
    g = tf.Graph()
    with g.as_default(), g.name_scope("s"):
        assert tf.constant(0).name == "s/Const:0"


# -- Operation and Tensor ------------------------------------------------------------------


def test_operation_and_tensor_attributes() -> None:
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    c = tf.add(a, b, name="c")
    op = c.op
    assert isinstance(op, tf.Operation)
    assert isinstance(c, tf.Tensor)
    assert op.name == "c"
    assert op.type == "Add"
    assert list(op.inputs) == [a, b]
    assert op.inputs[0] is a
    assert op.outputs == [c]
    assert op.control_inputs == []
    assert op.graph is tf.get_default_graph()
    assert c.name == "c:0"
    assert c.op is op
    assert c.value_index == 0
    assert c.dtype is tf.float32
    assert c.shape.as_list() == []
    assert c.graph is tf.get_default_graph()
    assert a.op.inputs == () or list(a.op.inputs) == []
    assert a.op.type == "Const"


def test_consumers() -> None:
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    c = tf.add(a, b, name="c")
    d = tf.multiply(b, b, name="d")
    assert a.consumers() == [c.op]
    assert b.consumers() == [c.op, d.op, d.op]
    assert c.consumers() == []
    # a copy: callers cannot corrupt the graph
    b.consumers().clear()
    assert len(b.consumers()) == 3


def test_get_attr() -> None:
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    assert x.op.get_attr("dtype") is tf.float32
    assert tf.TensorShape(x.op.get_attr("shape")).as_list() == [None, 2]
    m = tf.matmul(x, tf.constant([[1.0], [2.0]]), transpose_a=False, name="m")
    assert m.op.get_attr("transpose_a") is False
    assert m.op.get_attr("transpose_b") is False
    t = tf.matmul(x, x, transpose_a=True)
    assert t.op.get_attr("transpose_a") is True
    assert tf.constant([1, 2]).op.get_attr("dtype") is tf.int32
    with pytest.raises(ValueError, match="no attr named 'nope'"):
        x.op.get_attr("nope")


def test_get_operations_in_creation_order() -> None:
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    c = tf.add(a, b, name="c")
    ops = tf.get_default_graph().get_operations()
    assert [op.name for op in ops] == ["a", "b", "c"]
    assert ops[2] is c.op
    ops.clear()  # a copy
    assert len(tf.get_default_graph().get_operations()) == 3


def test_get_operation_and_tensor_by_name() -> None:
    g = tf.get_default_graph()
    with tf.name_scope("s"):
        c = tf.constant([1.0, 2.0], name="c")
    assert g.get_operation_by_name("s/c") is c.op
    assert g.get_tensor_by_name("s/c:0") is c
    with pytest.raises(KeyError):
        g.get_operation_by_name("nope")
    with pytest.raises(KeyError):
        g.get_tensor_by_name("nope:0")
    with pytest.raises(KeyError):
        g.get_tensor_by_name("s/c:1")  # only one output
    with pytest.raises(ValueError):
        g.get_tensor_by_name("s/c")  # an op name
    with pytest.raises(ValueError):
        g.get_operation_by_name("s/c:0")  # a tensor name
    with pytest.raises(TypeError):
        g.get_operation_by_name(3)
    with pytest.raises(TypeError):
        g.get_tensor_by_name(c)


def test_operation_run_and_tensor_eval() -> None:
    counter = tf.Variable(0, name="counter")
    inc = tf.assign_add(counter, 1).op
    doubled = counter * 2
    with tf.Session():  # the default session inside the with
        counter.initializer.run()
        inc.run()
        inc.run()
        assert doubled.eval() == 4
        assert counter.eval() == 2
        assert (counter + 1).eval() == 3
    x = tf.placeholder(tf.float32, [2])
    other = tf.Session()
    np.testing.assert_array_equal((x * 3.0).eval(feed_dict={x: [1.0, 2.0]}, session=other),
                                  [3.0, 6.0])
    other.run(counter.initializer)
    inc.run(session=other)
    assert counter.eval(session=other) == 1


def test_eval_without_default_session_is_value_error() -> None:
    t = tf.constant(1.0)
    with pytest.raises(ValueError, match="No default session"):
        t.eval()
    with pytest.raises(ValueError, match="No default session"):
        tf.no_op().run()


def test_eval_in_session_of_another_graph_is_value_error() -> None:
    t = tf.constant(1.0)
    g = tf.Graph()
    with g.as_default():
        tf.constant(2.0)
    sess = tf.Session(graph=g)
    with pytest.raises(ValueError):
        t.eval(session=sess)


def test_tensor_equality_is_identity_and_hashable() -> None:
    a = tf.constant(1.0)
    b = tf.constant(1.0)
    assert (a == a) is True
    assert (a == b) is False
    assert (a != b) is True
    assert len({a, b, a}) == 2
    assert {a: 1}[a] == 1
    assert (a.op == a.op) is True
    assert (a.op == b.op) is False


def test_tensor_bool_and_iteration_are_errors() -> None:
    t = tf.constant([1.0, 2.0])
    with pytest.raises(TypeError):
        bool(t)
    with pytest.raises(TypeError):
        if t:
            pass
    with pytest.raises(TypeError):
        iter(t)


def test_create_op_from_tensors_of_another_graph_is_value_error() -> None:
    g = tf.Graph()
    with g.as_default():
        foreign = tf.constant(1.0)
    with pytest.raises(ValueError):
        tf.add(foreign, tf.constant(1.0))


# -- str and repr --------------------------------------------------------------------------


def test_tensor_str_and_repr() -> None:
    x = tf.placeholder(tf.float32, [None, 1, 7], name="one_hot")
    assert str(x) == 'Tensor("one_hot:0", shape=(?, 1, 7), dtype=float32)'
    assert repr(x) == "<tf.Tensor 'one_hot:0' shape=(?, 1, 7) dtype=float32>"
    c = tf.constant(3.0)
    assert str(c) == 'Tensor("Const:0", shape=(), dtype=float32)'
    v = tf.constant([1, 2, 3])
    assert str(v) == 'Tensor("Const_1:0", shape=(3,), dtype=int32)'


def test_tensor_str_unknown_rank_omits_shape() -> None:
    x = tf.placeholder(tf.float32, name="unk")
    assert str(x) == 'Tensor("unk:0", dtype=float32)'


def test_tensor_repr_unknown_rank() -> None:
    x = tf.placeholder(tf.float32, name="unk")
    assert repr(x) == "<tf.Tensor 'unk:0' shape=<unknown> dtype=float32>"


def test_variable_and_operation_repr() -> None:
    w = tf.Variable([1.0], name="weight")
    assert repr(w) == "<tf.Variable 'weight:0' shape=(1,) dtype=float32_ref>"
    init = tf.global_variables_initializer()
    assert repr(init) == "<tf.Operation 'init' type=NoOp>"
    assert repr(w.initializer) == "<tf.Operation 'weight/Assign' type=Assign>"


def test_operation_str_lists_name_type_and_inputs() -> None:
    a = tf.constant(1.0, name="a")
    with tf.control_dependencies([a]):
        b = tf.identity(tf.constant(2.0, name="two"), name="b")
    text = str(b.op)
    assert 'name: "b"' in text
    assert 'op: "Identity"' in text
    assert 'input: "two' in text  # TF1 writes "two", graphflow "two:0"
    assert 'input: "^a"' in text


# -- collections ---------------------------------------------------------------------------


def test_graph_keys_match_tf1() -> None:
    assert tf.GraphKeys.GLOBAL_VARIABLES == "variables"
    assert tf.GraphKeys.TRAINABLE_VARIABLES == "trainable_variables"
    assert tf.GraphKeys.UPDATE_OPS == "update_ops"
    assert tf.GraphKeys.LOCAL_VARIABLES == "local_variables"
    assert tf.GraphKeys.LOSSES == "losses"


def test_collections() -> None:
    a = tf.constant(1.0, name="a")
    with tf.name_scope("block"):
        b = tf.constant(2.0, name="b")
    assert tf.get_collection("mine") == []
    tf.add_to_collection("mine", a)
    tf.add_to_collection("mine", b)
    assert tf.get_collection("mine") == [a, b]
    assert tf.get_collection("mine", scope="block") == [b]
    assert tf.get_collection("mine", scope="a") == [a]
    assert tf.get_collection("mine", scope="nothing") == []
    # get_collection returns a copy, get_collection_ref the list itself
    tf.get_collection("mine").append(3)
    assert len(tf.get_collection("mine")) == 2
    tf.get_collection_ref("mine").append(a)
    assert tf.get_collection("mine") == [a, b, a]
    tf.add_to_collections(["x", "y"], b)
    assert tf.get_collection("x") == [b] and tf.get_collection("y") == [b]


def test_update_ops_collection_is_run_through_control_dependencies() -> None:
    v = tf.Variable(0.0, name="v")
    update = tf.assign_add(v, 1.0)
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, update.op)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == [update.op]
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = tf.no_op(name="train")
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(train)
        sess.run(train)
        assert sess.run(v) == 2.0


def test_collections_are_per_graph() -> None:
    tf.add_to_collection("k", 1)
    g = tf.Graph()
    with g.as_default():
        assert tf.get_collection("k") == []
        tf.add_to_collection("k", 2)
    assert tf.get_collection("k") == [1]
    assert g.get_collection("k") == [2]


# -- control dependencies ------------------------------------------------------------------


def test_control_dependencies_attach_to_ops_built_inside() -> None:
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    with tf.control_dependencies([a]):
        c = tf.add(a, b, name="c")  # `a` is already a data input: no extra control edge
        d = tf.add(b, b, name="d")
        with tf.control_dependencies([b.op]):
            e = tf.identity(b, name="e")
            f = tf.constant(3.0, name="f")
        with tf.control_dependencies(None):
            h = tf.constant(3.0, name="h")
    after = tf.constant(4.0, name="after")
    assert c.op.control_inputs == []
    assert d.op.control_inputs == [a.op]
    assert e.op.control_inputs == [a.op]
    assert f.op.control_inputs == [a.op, b.op]
    assert h.op.control_inputs == []
    assert after.op.control_inputs == []


def test_control_dependencies_accept_tensors_ops_and_variables() -> None:
    v = tf.Variable(1.0, name="v")
    t = tf.constant(1.0, name="t")
    op = tf.no_op(name="n")
    with tf.control_dependencies([v, t, op]):
        out = tf.constant(0.0, name="out")
    names = [o.name for o in out.op.control_inputs]
    assert names[1:] == ["t", "n"]
    assert names[0] in ("v", "v/read")
    with pytest.raises(TypeError):
        with tf.control_dependencies([5]):
            pass


def test_control_dependency_on_variable_does_not_read_it() -> None:
    v = tf.Variable(1.0, name="v")
    with tf.control_dependencies([v]):
        out = tf.constant(0.0, name="out")
    assert [o.name for o in out.op.control_inputs] == ["v"]
    assert tf.Session().run(out) == 0.0


def test_control_dependency_is_run_before_fetch() -> None:
    v = tf.Variable(0, name="v")
    inc = tf.assign_add(v, 1)
    with tf.control_dependencies([inc]):
        out = tf.constant(10)
    independent = tf.constant(20)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(out) == 10
        assert sess.run(out) == 10
        assert sess.run(independent) == 20  # pruned: does not run inc
        assert sess.run(v) == 2


def test_group_no_op_identity() -> None:
    v = tf.Variable(0, name="v")
    w = tf.Variable(10, name="w")
    inc_v = tf.assign_add(v, 1)
    inc_w = tf.assign_add(w, 5)
    grouped = tf.group(inc_v, [inc_w.op], name="both")
    assert isinstance(grouped, tf.Operation)
    assert grouped.type == "NoOp"
    assert grouped.name == "both"
    assert grouped.outputs == []
    assert list(grouped.inputs) == []
    assert grouped.control_inputs == [inc_v.op, inc_w.op]
    assert tf.group(inc_v).name == "group_deps"
    nothing = tf.no_op(name="nothing")
    assert nothing.type == "NoOp" and nothing.control_inputs == []
    ident = tf.identity(v, name="ident")
    assert ident.op.type == "Identity"
    assert ident.dtype is tf.int32
    with tf.Session() as sess:
        sess.run([v.initializer, w.initializer])
        assert sess.run(grouped) is None
        assert sess.run(nothing) is None
        assert sess.run([v, w]) == [1, 15]
        assert sess.run(ident) == 1
        arr = tf.constant([[1.0, 2.0]])
        np.testing.assert_array_equal(sess.run(tf.identity(arr)), [[1.0, 2.0]])


# -- finalize ------------------------------------------------------------------------------


def test_finalize_blocks_building_but_not_running() -> None:
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(3.0, name="v")
        out = v * 2.0
        init = tf.global_variables_initializer()
        n_ops = len(g.get_operations())
        g.finalize()
        assert g.finalized
        with pytest.raises(RuntimeError):
            tf.constant(1.0)
        with pytest.raises(RuntimeError):
            out + 1.0
        with pytest.raises(RuntimeError):
            tf.Variable(1.0)
        assert len(g.get_operations()) == n_ops
        with tf.Session() as sess:
            sess.run(init)
            assert sess.run(out) == 6.0
            assert sess.run([out, out]) == [6.0, 6.0]
