"""Initializers: objects that build a variable's initial value for a given shape and dtype.

``tf.get_variable(name, shape, initializer=init)`` calls ``init(shape, dtype=dtype)``, and
``tf.Variable(init(shape))`` works too. Random initializers build random ops with TF1's seed
rules, so each Session draws its own values. This module is also the ``tf.initializers``
namespace (``tf.initializers.zeros``, ``.glorot_uniform``, ...).
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import Tensor, get_default_graph
from graphflow.framework.registry import NO_GRADIENT, OpDef, register
from graphflow.framework.tensor_shape import as_shape
from graphflow.ops import array_ops, constant_op, math_ops, random_ops
from graphflow.ops.op_util import check_dtype
from graphflow.variables import (
    global_variables_initializer,
    local_variables_initializer,
    variables_initializer,
)

# The standard deviation of a standard normal truncated to [-2, 2]: truncated-normal
# initializers divide by it so that their samples have the intended standard deviation.
_TRUNCATED_STDDEV = 0.87962566103423978


# -- the QR decomposition (for orthogonal_initializer) ---------------------------------------
@register("Qr")
class Qr(OpDef):
    """The QR decomposition of (a batch of) matrices: q with orthonormal columns, r upper
    triangular, q @ r = input."""

    attrs = {"full_matrices": False}
    grad = NO_GRADIENT

    def infer(self, input: Tensor, *, full_matrices: bool) -> list:  # noqa: A002 - TF1's name
        check_dtype(self.type, "input", input, frozenset({dtypes.float32, dtypes.float64}))
        dtype = input.dtype.base_dtype
        dims = input.shape.as_tuple()
        if dims is None:
            return [(dtype, None), (dtype, None)]
        if len(dims) < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {len(dims)}")
        *batch, m, n = dims
        k = m if full_matrices else (None if m is None or n is None else min(m, n))
        return [(dtype, (*batch, m, k)), (dtype, (*batch, k, n))]

    def kernel(self, op: Any) -> Any:
        mode = "complete" if op.attrs["full_matrices"] else "reduced"
        return lambda a: tuple(np.linalg.qr(a, mode=mode))


QrResult = namedtuple("Qr", ["q", "r"])


def qr(input: Any, full_matrices: bool = False, name: str | None = None) -> QrResult:  # noqa: A002
    """``tf.qr`` / ``tf.linalg.qr``: the QR decomposition of the inner-most matrices, as a
    pair ``(q, r)``."""
    op = get_default_graph().create_op("Qr", [constant_op.convert_to_tensor(input)],
                                       {"full_matrices": full_matrices}, name or "Qr")
    return QrResult(*op.outputs)


# -- helpers ---------------------------------------------------------------------------------
def _static_dims(shape: Any) -> tuple[int, ...]:
    """The dims of ``shape`` (a list, tuple or TensorShape), which must be fully defined: the
    initializers that scale by fan-in or fill values need them at build time."""
    if isinstance(shape, Tensor):
        raise TypeError(f"This initializer needs a shape known at build time, not the tensor "
                        f"{shape.name}")
    dims = as_shape(shape).as_tuple()
    if dims is None or None in dims:
        raise ValueError(f"This initializer needs a fully defined shape, got {as_shape(shape)}")
    return dims


def _float_dtype(dtype: Any) -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype).base_dtype
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype}.")
    return dtype


def compute_fans(shape: Any) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight shape: a matrix is [in, out]; a convolution kernel
    [..., in, out] counts each position of its receptive field."""
    dims = _static_dims(shape)
    if not dims:
        return 1, 1
    if len(dims) == 1:
        return dims[0], dims[0]
    receptive_field = math.prod(dims[:-2])
    return dims[-2] * receptive_field, dims[-1] * receptive_field


# -- the initializers ------------------------------------------------------------------------
class Initializer:
    """Base class: ``init(shape, dtype=None, partition_info=None)`` builds the initial value
    (``dtype`` defaults to the one given to the constructor)."""

    dtype: dtypes.DType = dtypes.float32

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict:
        """The constructor arguments, so that ``from_config(get_config())`` makes a copy."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        return cls(**config)

    def _dtype(self, dtype: Any) -> dtypes.DType:
        return self.dtype if dtype is None else dtypes.as_dtype(dtype).base_dtype


class _Fill(Initializer):
    """Every element the same: ``fill(shape, dtype)`` builds the tensor."""

    fill: Any = None

    def __init__(self, dtype: Any = dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype).base_dtype

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return self.fill(shape, self._dtype(dtype))

    def get_config(self) -> dict:
        return {"dtype": self.dtype.name}


class Zeros(_Fill):
    """``tf.zeros_initializer``: all zeros (biases, counters)."""

    fill = staticmethod(array_ops.zeros)


class Ones(_Fill):
    """``tf.ones_initializer``: all ones (e.g. batch-norm scales)."""

    fill = staticmethod(array_ops.ones)


class Constant(Initializer):
    """``tf.constant_initializer``: the given values, in row-major order; when there are fewer
    values than elements, the last value fills the rest (TF1's rule)."""

    def __init__(self, value: Any = 0, dtype: Any = dtypes.float32, verify_shape: bool = False):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(f"Invalid type for initial value: {value} (expected Python scalar, "
                            "list or tuple of values, or numpy.ndarray).")
        self.value = value
        self.dtype = dtypes.as_dtype(dtype).base_dtype
        self._verify_shape = verify_shape

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None,
                 verify_shape: bool | None = None) -> Tensor:
        dims = _static_dims(shape)
        value = constant_op.to_numpy(self.value, self._dtype(dtype))
        if self._verify_shape if verify_shape is None else verify_shape:
            if value.shape != dims:
                raise TypeError(f"Expected Tensor's shape: {dims}, got {value.shape}.")
        size = math.prod(dims)
        if value.size > size:
            raise ValueError(f"Too many elements provided. Needed at most {size}, but received "
                             f"{value.size}")
        filled = np.pad(value.ravel(), (0, size - value.size), mode="edge").reshape(dims)
        return constant_op.constant(filled, name="Const")

    def get_config(self) -> dict:
        return {"value": self.value, "dtype": self.dtype.name}


class RandomUniform(Initializer):
    """``tf.random_uniform_initializer``: uniform in [minval, maxval) (maxval defaults to 1 for
    floats and is required for integers)."""

    def __init__(self, minval: Any = 0.0, maxval: Any = None, seed: int | None = None,
                 dtype: Any = dtypes.float32):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed
        self.dtype = dtypes.as_dtype(dtype).base_dtype

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return random_ops.random_uniform(shape, self.minval, self.maxval, self._dtype(dtype),
                                         seed=self.seed)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed,
                "dtype": self.dtype.name}


class _Normal(Initializer):
    """Samples of a normal distribution drawn by ``sample(shape, mean, stddev, dtype, seed)``."""

    sample: Any = None

    def __init__(self, mean: Any = 0.0, stddev: Any = 1.0, seed: int | None = None,
                 dtype: Any = dtypes.float32):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return self.sample(shape, self.mean, self.stddev, self._dtype(dtype), seed=self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed,
                "dtype": self.dtype.name}


class RandomNormal(_Normal):
    """``tf.random_normal_initializer``: samples of N(mean, stddev**2)."""

    sample = staticmethod(random_ops.random_normal)


class TruncatedNormal(_Normal):
    """``tf.truncated_normal_initializer``: normal samples redrawn beyond two standard
    deviations, so that no weight starts far out."""

    sample = staticmethod(random_ops.truncated_normal)


class VarianceScaling(Initializer):
    """``tf.variance_scaling_initializer``: samples whose variance is ``scale / n``, with ``n``
    the fan-in, fan-out or their average, so that activations keep their scale through layers.

    ``distribution`` "truncated_normal" (or its old name "normal") corrects the standard
    deviation for the truncation; "untruncated_normal" does not truncate; "uniform" draws from
    [-limit, limit] with ``limit = sqrt(3 * scale / n)``.
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed: int | None = None,
                 dtype: Any = dtypes.float32):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be a positive float. Received: {scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("Argument `mode` should be one of ('fan_in', 'fan_out', 'fan_avg')."
                             f" Received: {mode}")
        distribution = distribution.lower()
        if distribution not in ("normal", "uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError("Argument `distribution` should be one of ('normal', 'uniform', "
                             f"'truncated_normal', 'untruncated_normal'). Received: "
                             f"{distribution}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.seed = seed
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dtype = self._dtype(dtype)
        full_shape = shape if partition_info is None else partition_info.full_shape
        fan_in, fan_out = compute_fans(full_shape)
        fans = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, fans[self.mode])
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(scale) / _TRUNCATED_STDDEV
            return random_ops.truncated_normal(shape, 0.0, stddev, dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_ops.random_normal(shape, 0.0, math.sqrt(scale), dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_ops.random_uniform(shape, -limit, limit, dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "dtype": self.dtype.name}


class _Glorot(VarianceScaling):
    """Variance scaling by the average of fan-in and fan-out (Glorot & Bengio, 2010)."""

    glorot_distribution = ""

    def __init__(self, seed: int | None = None, dtype: Any = dtypes.float32):
        super().__init__(1.0, "fan_avg", self.glorot_distribution, seed, dtype)

    def get_config(self) -> dict:
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotUniform(_Glorot):
    """``tf.glorot_uniform_initializer`` (Xavier): uniform in [-limit, limit] with
    ``limit = sqrt(6 / (fan_in + fan_out))``; the default of ``tf.get_variable``."""

    glorot_distribution = "uniform"


class GlorotNormal(_Glorot):
    """``tf.glorot_normal_initializer``: truncated normal with standard deviation
    ``sqrt(2 / (fan_in + fan_out))``."""

    glorot_distribution = "truncated_normal"


class Orthogonal(Initializer):
    """``tf.orthogonal_initializer``: a random orthogonal matrix times ``gain`` (orthonormal
    columns, or rows when there are fewer rows); a shape of rank > 2 is treated as the matrix
    [prod(shape[:-1]), shape[-1]] and reshaped back."""

    def __init__(self, gain: float = 1.0, seed: int | None = None, dtype: Any = dtypes.float32):
        self.gain = gain
        self.seed = seed
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dims = _static_dims(shape)
        if len(dims) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional, got "
                             f"shape {list(dims)}")
        num_rows, num_cols = math.prod(dims[:-1]), dims[-1]
        flat_shape = (max(num_rows, num_cols), min(num_rows, num_cols))
        sample = random_ops.random_normal(flat_shape, dtype=self._dtype(dtype), seed=self.seed)
        q, r = qr(sample)
        # Signs from r's diagonal make q uniformly distributed over orthogonal matrices.
        q = math_ops.multiply(q, math_ops.sign(array_ops.diag_part(r)))
        if num_rows < num_cols:
            q = array_ops.transpose(q)
        return math_ops.multiply(self.gain, array_ops.reshape(q, dims))

    def get_config(self) -> dict:
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


def lecun_normal(seed: int | None = None) -> VarianceScaling:
    """``tf.initializers.lecun_normal``: truncated normal with variance 1 / fan_in (for SELU)."""
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed: int | None = None) -> VarianceScaling:
    """``tf.initializers.lecun_uniform``: uniform with variance 1 / fan_in."""
    return VarianceScaling(1.0, "fan_in", "uniform", seed)


def he_normal(seed: int | None = None) -> VarianceScaling:
    """``tf.initializers.he_normal``: truncated normal with variance 2 / fan_in (for ReLU)."""
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed: int | None = None) -> VarianceScaling:
    """``tf.initializers.he_uniform``: uniform with variance 2 / fan_in (for ReLU)."""
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


# TF1's lowercase names (tf.zeros_initializer, ...).
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal

# The tf.initializers namespace.
zeros = Zeros
ones = Ones
constant = Constant
random_uniform = RandomUniform
random_normal = RandomNormal
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
orthogonal = Orthogonal
global_variables = global_variables_initializer
local_variables = local_variables_initializer
variables = variables_initializer
