"""Random tensors with TF1's seed rules.

``tf.set_random_seed(s)`` sets the graph-level seed; an op's own ``seed`` sets the op-level one.
With either set, a program draws the same numbers every time it runs (each Session starts the
sequence afresh); with neither, runs differ. Each run of a random op draws new values: its
generator lives in the Session, one per op.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import Tensor, get_default_graph, name_scope
from graphflow.framework.registry import NOT_DIFFERENTIABLE, OpDef, register
from graphflow.ops import math_ops
from graphflow.ops.constant_op import constant_value, constant_value_as_shape, convert_to_tensor
from graphflow.ops.op_util import FLOATS, INDEX, NUMERIC, check_dtype, check_rank

DEFAULT_GRAPH_SEED = 87654321


def set_random_seed(seed: int | None) -> None:
    """``tf.set_random_seed``: the graph-level seed of the default graph."""
    get_default_graph().seed = seed


def get_seed(op_seed: int | None) -> tuple[int | None, int | None]:
    """TF1's (graph seed, op seed) pair for a new random op."""
    graph = get_default_graph()
    if graph.seed is not None:
        return graph.seed, op_seed if op_seed is not None else graph.version
    if op_seed is not None:
        return DEFAULT_GRAPH_SEED, op_seed
    return None, None


def _check_attr_dtype(attr: str, dtype: dtypes.DType, allowed: frozenset) -> None:
    if dtype not in allowed:
        raise TypeError(f"Value for attr '{attr}' of {dtype.name} is not in the list of "
                        f"allowed values: {', '.join(sorted(d.name for d in allowed))}")


class _Random(OpDef):
    """A random tensor of the shape given by a 1-D int input; a fresh draw on every run."""

    attrs = {"dtype": dtypes.float32, "seed": 0, "seed2": 0}
    stateful = True
    grad = NOT_DIFFERENTIABLE
    allowed = FLOATS

    def infer(self, shape: Tensor, *, dtype: dtypes.DType, seed: int, seed2: int) -> tuple:
        check_dtype(self.type, "shape", shape, INDEX)
        _check_attr_dtype("dtype", dtype, self.allowed)
        return dtype, constant_value_as_shape(shape)

    def bind(self, op: Any, state: Any) -> Any:
        generator = state.generator(op)
        np_type = op.attrs["dtype"].as_numpy_dtype
        draw = self.draw
        return lambda shape: draw(generator, tuple(np.ravel(shape).tolist())).astype(np_type)

    def draw(self, generator: np.random.Generator, shape: tuple) -> np.ndarray:
        raise NotImplementedError


@register("RandomStandardNormal")
class RandomStandardNormal(_Random):
    """Samples of the standard normal distribution."""

    def draw(self, generator: np.random.Generator, shape: tuple) -> np.ndarray:
        return generator.standard_normal(shape)


@register("RandomUniform")
class RandomUniform(_Random):
    """Samples uniform in [0, 1)."""

    def draw(self, generator: np.random.Generator, shape: tuple) -> np.ndarray:
        return generator.random(shape)


@register("TruncatedNormal")
class TruncatedNormal(_Random):
    """Standard normal samples, redrawn until they lie within two standard deviations."""

    def draw(self, generator: np.random.Generator, shape: tuple) -> np.ndarray:
        out = generator.standard_normal(shape)
        outside = np.abs(out) > 2.0
        while outside.any():
            out[outside] = generator.standard_normal(int(outside.sum()))
            outside = np.abs(out) > 2.0
        return out


@register("RandomUniformInt")
class RandomUniformInt(OpDef):
    """Integers uniform in [minval, maxval)."""

    attrs = {"seed": 0, "seed2": 0}
    stateful = True
    grad = NOT_DIFFERENTIABLE

    def infer(self, shape: Tensor, minval: Tensor, maxval: Tensor, *, seed: int,
              seed2: int) -> tuple:
        check_dtype(self.type, "shape", shape, INDEX)
        check_dtype(self.type, "minval", minval, INDEX)
        return minval.dtype.base_dtype, constant_value_as_shape(shape)

    def bind(self, op: Any, state: Any) -> Any:
        generator = state.generator(op)
        np_type = op.outputs[0].dtype.as_numpy_dtype

        def draw(shape: Any, minval: Any, maxval: Any) -> np.ndarray:
            if minval >= maxval:
                raise ValueError(f"Need minval < maxval: {minval} >= {maxval}")
            size = tuple(np.ravel(shape).tolist())
            return generator.integers(minval, maxval, size=size, dtype=np_type)

        return draw


@register("RandomShuffle")
class RandomShuffle(OpDef):
    """Its input with the slices along the first dimension in a random order."""

    attrs = {"seed": 0, "seed2": 0}
    stateful = True
    grad = NOT_DIFFERENTIABLE

    def infer(self, value: Tensor, *, seed: int, seed2: int) -> tuple:
        return value.dtype.base_dtype, value.shape

    def bind(self, op: Any, state: Any) -> Any:
        permutation = state.generator(op).permutation
        return lambda value: permutation(value) if np.ndim(value) else value


@register("Multinomial")
class Multinomial(OpDef):
    """For each row of logits, ``num_samples`` class indices drawn with probabilities
    softmax(row)."""

    attrs = {"seed": 0, "seed2": 0, "output_dtype": dtypes.int64}
    stateful = True
    grad = NOT_DIFFERENTIABLE

    def infer(self, logits: Tensor, num_samples: Tensor, *, seed: int, seed2: int,
              output_dtype: dtypes.DType) -> tuple:
        check_dtype(self.type, "logits", logits, NUMERIC)
        check_dtype(self.type, "num_samples", num_samples, frozenset({dtypes.int32}))
        _check_attr_dtype("output_dtype", output_dtype, INDEX)
        check_rank(logits, 2)
        check_rank(num_samples, 0)
        dims = logits.shape.as_tuple()
        count = constant_value(num_samples)
        return output_dtype, (None if dims is None else dims[0],
                              None if count is None else int(count))

    def bind(self, op: Any, state: Any) -> Any:
        generator = state.generator(op)
        np_type = op.attrs["output_dtype"].as_numpy_dtype

        def draw(logits: np.ndarray, num_samples: Any) -> np.ndarray:
            batch, classes = logits.shape
            if classes == 0:
                raise ValueError("num_classes should be positive, got 0")
            if num_samples < 0:
                raise ValueError(f"num_samples should be nonnegative, got {num_samples}")
            # How often each class is drawn, then those draws in a random order per row.
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True), dtype=np.float64)
            counts = generator.multinomial(num_samples, shifted / shifted.sum(1, keepdims=True))
            classes_in_order = np.repeat(np.tile(np.arange(classes, dtype=np_type), batch),
                                         counts.ravel())
            return generator.permuted(classes_in_order.reshape(batch, num_samples), axis=1)

        return draw


def _shape_tensor(shape: Any) -> Tensor:
    if isinstance(shape, Tensor):
        return shape
    return convert_to_tensor(shape.as_list() if hasattr(shape, "as_list") else shape,
                             dtype=dtypes.int32)


def seed_attrs(seed: int | None) -> dict:
    """The ``seed`` and ``seed2`` attributes of a new random op (0 where unset)."""
    graph_seed, op_seed = get_seed(seed)
    return {"seed": graph_seed or 0, "seed2": op_seed or 0}


def _random(op_type: str, shape: Any, dtype: Any, seed: int | None, name: str) -> Tensor:
    attrs = {"dtype": dtypes.as_dtype(dtype), **seed_attrs(seed)}
    return get_default_graph().create_op(op_type, [_shape_tensor(shape)], attrs,
                                         name).outputs[0]


def _scaled(sample: Tensor, scale: Any, offset: Any, name: str) -> Tensor:
    dtype = sample.dtype
    scaled = math_ops.multiply(sample, convert_to_tensor(scale, dtype=dtype, name="stddev"))
    return math_ops.add(scaled, convert_to_tensor(offset, dtype=dtype, name="mean"), name=name)


def random_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                  seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random_normal``: samples of N(mean, stddev**2)."""
    with name_scope(name, "random_normal") as scope:
        sample = _random("RandomStandardNormal", shape, dtype, seed, "RandomStandardNormal")
        return _scaled(sample, stddev, mean, scope[:-1] + "/")


def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                     seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.truncated_normal``: normal samples redrawn beyond two standard deviations."""
    with name_scope(name, "truncated_normal") as scope:
        sample = _random("TruncatedNormal", shape, dtype, seed, "TruncatedNormal")
        return _scaled(sample, stddev, mean, scope[:-1] + "/")


def random_uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = dtypes.float32,
                   seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random_uniform``: floats in [minval, maxval) (maxval defaults to 1), or integers
    in [minval, maxval) for an integer dtype (maxval required)."""
    dtype = dtypes.as_dtype(dtype)
    with name_scope(name, "random_uniform") as scope:
        if dtype.is_integer:
            if maxval is None:
                raise ValueError(f"Must specify maxval for integer dtype {dtype.name}")
            return get_default_graph().create_op(
                "RandomUniformInt",
                [_shape_tensor(shape), convert_to_tensor(minval, dtype=dtype, name="min"),
                 convert_to_tensor(maxval, dtype=dtype, name="max")],
                seed_attrs(seed), scope[:-1] + "/").outputs[0]
        sample = _random("RandomUniform", shape, dtype, seed, "RandomUniform")
        low = convert_to_tensor(minval, dtype=dtype, name="min")
        high = convert_to_tensor(1.0 if maxval is None else maxval, dtype=dtype, name="max")
        return math_ops.add(math_ops.multiply(sample, math_ops.subtract(high, low)), low,
                            name=scope[:-1] + "/")


def random_shuffle(value: Any, seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random_shuffle``: ``value`` with its first dimension in a random order, drawn anew on
    each run (e.g. to shuffle a batch of examples)."""
    return get_default_graph().create_op("RandomShuffle", [convert_to_tensor(value)],
                                         seed_attrs(seed), name or "RandomShuffle").outputs[0]


def _categorical(logits: Any, num_samples: Any, dtype: Any, seed: int | None) -> Tensor:
    attrs = {"output_dtype": dtypes.as_dtype(dtype or dtypes.int64), **seed_attrs(seed)}
    inputs = [convert_to_tensor(logits, name="logits"),
              convert_to_tensor(num_samples, dtype=dtypes.int32, name="num_samples")]
    return get_default_graph().create_op("Multinomial", inputs, attrs, "Multinomial").outputs[0]


def multinomial(logits: Any, num_samples: Any, seed: int | None = None, name: str | None = None,
                output_dtype: Any = None) -> Tensor:
    """``tf.multinomial``: ``num_samples`` class indices per row of the 2-D ``logits``
    (unnormalized log-probabilities), as int64 unless ``output_dtype`` says int32."""
    with name_scope(name, "multinomial", [logits]):
        return _categorical(logits, num_samples, output_dtype, seed)


def categorical(logits: Any, num_samples: Any, dtype: Any = None, seed: int | None = None,
                name: str | None = None) -> Tensor:
    """``tf.random.categorical``: :func:`multinomial` under its TF2 name, ``dtype`` for
    ``output_dtype``."""
    with name_scope(name, "categorical", [logits]):
        return _categorical(logits, num_samples, dtype, seed)
