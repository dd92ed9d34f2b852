"""The generic checks over the op registry: every op that declares a gradient is checked against
central differences in float64, once with fully known shapes and once with every dimension
unknown at build time (so broadcast reductions decided at run time are covered too). The same
examples check that each kernel's output matches the dtype and static shape its op inferred.

A new op is covered by adding ``grad_examples`` to its OpDef; nobody lists ops here.
"""

from __future__ import annotations

import numpy as np
import pytest

import graphflow as tf
from graphflow.framework.registry import registered_ops

DIFFERENTIABLE = sorted(name for name, opdef in registered_ops().items() if opdef.differentiable)
CASES = [
    pytest.param(name, i, id=f"{name}-{i}")
    for name in DIFFERENTIABLE
    for i in range(len(registered_ops()[name].grad_examples))
]


def test_every_differentiable_op_has_examples() -> None:
    missing = [name for name in DIFFERENTIABLE if not registered_ops()[name].grad_examples]
    assert missing == []


def _build(name: str, index: int, unknown_dims: bool, rng: np.random.RandomState) -> tuple:
    """Builds the example's op in a fresh graph; returns (graph, placeholders, values, op)."""
    example = registered_ops()[name].grad_examples[index]
    graph = tf.Graph()
    placeholders, values, inputs = [], [], []
    with graph.as_default():
        for spec in example.inputs:
            if isinstance(spec, tuple):
                value = rng.uniform(example.low, example.high, size=spec)
                shape = [None] * len(spec) if unknown_dims else list(spec)
                placeholder = tf.placeholder(tf.float64, shape)
                placeholders.append(placeholder)
                values.append(value)
                inputs.append(placeholder)
            else:
                inputs.append(tf.constant(spec))
        op = graph.create_op(name, inputs, dict(example.attrs))
    return graph, placeholders, values, op


def _float_outputs(op: tf.Operation) -> list:
    return [t for t in op.outputs if t.dtype.is_floating]


@pytest.mark.parametrize("unknown_dims", [False, True], ids=["static", "dynamic"])
@pytest.mark.parametrize("name,index", CASES)
def test_gradient_matches_central_differences(name: str, index: int, unknown_dims: bool) -> None:
    rng = np.random.RandomState(1234 + index)
    graph, placeholders, values, op = _build(name, index, unknown_dims, rng)
    with graph.as_default():
        outputs = _float_outputs(op)
        weights = []
        terms = []
        with tf.Session() as probe:
            shapes = probe.run(outputs, dict(zip(placeholders, values)))
        for out, value in zip(outputs, shapes):
            weight = tf.constant(rng.uniform(0.5, 1.5, size=np.shape(value)))
            weights.append(weight)
            terms.append(tf.reduce_sum(out * weight))
        loss = tf.add_n(terms)
        grads = tf.gradients(loss, placeholders)
        sess = tf.Session()
        feed = dict(zip(placeholders, values))
        symbolic = sess.run(grads, feed)
        eps = 1e-6
        for placeholder, value, grad in zip(placeholders, values, symbolic):
            numeric = np.zeros_like(value)
            for index_ in np.ndindex(value.shape):
                plus, minus = value.copy(), value.copy()
                plus[index_] += eps
                minus[index_] -= eps
                f_plus = sess.run(loss, {**feed, placeholder: plus})
                f_minus = sess.run(loss, {**feed, placeholder: minus})
                numeric[index_] = (f_plus - f_minus) / (2 * eps)
            assert grad is not None
            assert np.shape(grad) == value.shape
            np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,index", CASES)
def test_kernel_output_matches_inferred_dtype_and_shape(name: str, index: int, dtype: type) -> None:
    example = registered_ops()[name].grad_examples[index]
    graph = tf.Graph()
    rng = np.random.RandomState(index)
    with graph.as_default():
        inputs = [
            tf.constant(rng.uniform(example.low, example.high, size=spec).astype(dtype))
            if isinstance(spec, tuple) else tf.constant(spec)
            for spec in example.inputs
        ]
        attrs = dict(example.attrs)
        if name == "Cast":
            attrs["DstT"] = tf.as_dtype(dtype)
        op = graph.create_op(name, inputs, attrs)
        values = tf.Session().run(op.outputs)
    for tensor, value in zip(op.outputs, values):
        assert np.asarray(value).dtype == tensor.dtype.as_numpy_dtype, tensor
        assert tensor.shape.is_compatible_with(np.shape(value)), (tensor, np.shape(value))
