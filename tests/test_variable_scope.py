"""``tf.get_variable`` and ``tf.variable_scope``: naming, reuse, defaults, regularizers, errors.

The scenarios of ``tests/golden/make_initializers_golden.py`` ran on real TensorFlow to make the
fixture ``tests/golden/initializers.json``; here the same functions run on graphflow and must
observe the same names, reuse decisions, errors, collections and values.
"""

from __future__ import annotations

import importlib.util
import json
import math
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import graphflow as tf
from graphflow import initializers
from graphflow.contrib import layers
from graphflow.ops import variable_scope as vs

GOLDEN_DIR = Path(__file__).parent / "golden"
GOLDEN = json.loads((GOLDEN_DIR / "initializers.json").read_text())["scopes"]


def load_generator():
    path = GOLDEN_DIR / "make_initializers_golden.py"
    spec = importlib.util.spec_from_file_location("make_initializers_golden", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tf1_namespace() -> SimpleNamespace:
    """graphflow's public names plus the ones of this feature, as ``tf`` in TF1 programs."""
    names = {name: getattr(tf, name) for name in dir(tf) if not name.startswith("_")}
    names.update(
        get_variable=vs.get_variable, get_local_variable=vs.get_local_variable,
        variable_scope=vs.variable_scope, get_variable_scope=vs.get_variable_scope,
        AUTO_REUSE=vs.AUTO_REUSE, zeros_initializer=initializers.zeros_initializer,
        ones_initializer=initializers.ones_initializer,
        constant_initializer=initializers.constant_initializer)
    return SimpleNamespace(**names)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_scenario_observes_what_tf_observes(name: str) -> None:
    scenario = load_generator().SCENARIOS[name]
    seen = json.loads(json.dumps(scenario(tf1_namespace(), layers)))  # tuples as lists
    assert seen == GOLDEN[name]


def test_variables_are_stored_per_graph() -> None:
    first, second = tf.Graph(), tf.Graph()
    with first.as_default():
        w1 = vs.get_variable("w", [2])
    with second.as_default():
        w2 = vs.get_variable("w", [3])  # no "already exists": another graph
        with vs.variable_scope("", reuse=True):
            assert vs.get_variable("w") is w2
    assert w1.graph is first and w2.graph is second
    tf.reset_default_graph()
    assert vs.get_variable("w", [1]).graph is tf.get_default_graph()


def test_the_current_scope_is_per_thread() -> None:
    seen = []
    with vs.variable_scope("main"):
        worker = threading.Thread(target=lambda: seen.append(vs.get_variable_scope().name))
        worker.start()
        worker.join()
        assert vs.get_variable_scope().name == "main"
    assert seen == [""]


def test_improper_nesting_is_an_error() -> None:
    outer, inner = vs.variable_scope("outer"), vs.variable_scope("inner")
    outer.__enter__()
    inner.__enter__()
    with pytest.raises(RuntimeError, match="Improper nesting of variable_scope"):
        outer.__exit__(None, None, None)
    inner.__exit__(None, None, None)


def test_values_choose_the_graph() -> None:
    other = tf.Graph()
    with other.as_default():
        x = tf.constant(1.0)
    with vs.variable_scope("layer", values=[x]):
        w = vs.get_variable("w", [1])
        assert tf.get_default_graph() is other
    assert w.graph is other
    assert tf.get_default_graph() is not other


def test_default_initializer_is_glorot_uniform_for_floats() -> None:
    w = vs.get_variable("w", [40, 60])
    b = vs.get_variable("b", [3], dtype=tf.int64)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w_value, b_value = sess.run([w, b])
    limit = math.sqrt(6 / (40 + 60))
    assert np.abs(w_value).max() <= limit and np.abs(w_value).max() > 0.9 * limit
    assert w_value.std() == pytest.approx(limit / math.sqrt(3), rel=0.1)
    np.testing.assert_array_equal(b_value, np.zeros(3, np.int64))
    assert b_value.dtype == np.int64


def test_initializer_ops_are_built_outside_control_dependencies() -> None:
    trigger = tf.no_op(name="trigger")
    with tf.control_dependencies([trigger]):
        w = vs.get_variable("w", [2], regularizer=layers.l2_regularizer(0.5))
    assert w.initializer.control_inputs == []
    loss = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)[0]
    assert loss.op.control_inputs == []


def test_get_variable_trains_like_a_variable() -> None:
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with vs.variable_scope("model", regularizer=layers.l2_regularizer(0.01)):
        w = vs.get_variable("w", [2, 1], initializer=initializers.ones_initializer())
    loss = tf.reduce_sum(tf.matmul(x, w)) + tf.add_n(
        tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
    grad = tf.gradients(loss, w)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        grad_value = sess.run(grad)
    np.testing.assert_allclose(grad_value, [[4.0 + 0.01], [6.0 + 0.01]], rtol=1e-6)


def test_scope_objects_expose_their_variables() -> None:
    with vs.variable_scope("a") as scope:
        w = vs.get_variable("w", [1])
        frozen = vs.get_variable("frozen", [1], trainable=False)
    vs.get_variable("ab", [1])  # shares the prefix "a" but is not in scope "a/"
    assert scope.global_variables() == [w, frozen]
    assert scope.trainable_variables() == [w]
    assert scope.local_variables() == []


def test_scope_setters_change_later_variables() -> None:
    with vs.variable_scope("s") as scope:
        scope.set_initializer(initializers.constant_initializer(3.0))
        scope.set_dtype(tf.float64)
        w = vs.get_variable("w", [2])
    with tf.Session() as sess:
        sess.run(w.initializer)
        value = sess.run(w)
    assert value.dtype == np.float64
    np.testing.assert_array_equal(value, [3.0, 3.0])


def test_constraint_and_custom_getter_without_constraint_argument() -> None:
    def clip(t):
        return tf.maximum(t, 0.0)

    with vs.variable_scope("c", constraint=clip):
        assert vs.get_variable("w", [1]).constraint is clip

    def getter(getter, name, shape, dtype, initializer, regularizer, reuse, trainable,
               collections, caching_device, partitioner, validate_shape, use_resource,
               synchronization, aggregation):
        return getter(name + "_seen", shape, dtype, initializer, regularizer, reuse, trainable,
                      collections, caching_device, partitioner, validate_shape, use_resource,
                      synchronization=synchronization, aggregation=aggregation)

    assert vs.get_variable("v", [1], custom_getter=getter).name == "v_seen:0"


def test_unsupported_partitioner_is_an_error() -> None:
    with pytest.raises(NotImplementedError, match="does not partition variables"):
        vs.get_variable("w", [4], partitioner=lambda shape, dtype: [2])


def test_auto_reuse_creates_once_inside_a_function() -> None:
    def layer(x):
        with vs.variable_scope("shared", reuse=vs.AUTO_REUSE):
            w = vs.get_variable("w", [], initializer=initializers.constant_initializer(2.0))
            return x * w

    y = layer(tf.constant(1.0)) + layer(tf.constant(3.0))
    assert [v.name for v in tf.global_variables()] == ["shared/w:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(y) == pytest.approx(8.0)
