"""``tf.layers`` (also ``tf.compat.v1.layers``): TF1's functional layers.

Each call is one layer: it opens a variable scope named after the layer (``dense``,
``dense_1``, ... or ``name``; reused by name with ``reuse=True`` or inside a reusing scope),
creates its variables there with ``tf.get_variable`` (``dense/kernel``, ``conv2d/bias``) and
TF1's default initializers (Glorot uniform kernels, zero biases), and builds its ops under the
same name scope (``conv2d/Conv2D``, ``max_pooling2d/MaxPool``). ``batch_normalization`` in
training mode adds the updates of its moving averages to ``tf.GraphKeys.UPDATE_OPS``, which the
program must run (usually as control dependencies of the training op), as in TF1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graphflow import initializers
from graphflow.framework import dtypes
from graphflow.framework.graph import GraphKeys, Tensor, add_to_collection, name_scope
from graphflow.ops import array_ops, conv_ops, math_ops, nn_ops, state_ops
from graphflow.ops import variable_scope as vs
from graphflow.ops.constant_op import constant_value, convert_to_tensor
from graphflow.ops.control_flow import cond

_ZEROS = initializers.zeros_initializer()
_ONES = initializers.ones_initializer()


def _layer_scope(name: str | None, base_name: str, reuse: Any, inputs: Any) -> vs.variable_scope:
    """TF1's scope of a functional layer: ``name`` (or ``base_name``) made unique, unless the
    layer reuses variables, in which case exactly that name."""
    if reuse:
        return vs.variable_scope(name or base_name, reuse=reuse, values=[inputs])
    return vs.variable_scope(None, default_name=name or base_name, values=[inputs])


def _float_input(inputs: Any, layer: str, rank: int | None = None) -> Tensor:
    inputs = convert_to_tensor(inputs)
    if not inputs.dtype.is_floating:
        raise TypeError(f"Layer {layer} expects floating-point inputs, got {inputs.dtype.name}")
    ndims = inputs.shape.ndims
    if rank is not None and ndims is not None and ndims != rank:
        raise ValueError(f"Input 0 of layer {layer} is incompatible with the layer: expected "
                         f"ndim={rank}, found ndim={ndims}. Full shape received: "
                         f"{inputs.shape}")
    return inputs


def _pair(value: Any, name: str) -> tuple:
    """An int or a pair of ints (kernel size, strides, pool size) as a pair."""
    values = (value, value) if np.ndim(value) == 0 else tuple(value)
    if len(values) != 2:
        raise ValueError(f"The `{name}` argument must be a tuple of 2 integers. Received: "
                         f"{value}")
    return tuple(int(v) for v in values)


def _padding(padding: str) -> str:
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: "
                         f"{padding!r}")
    return padding.upper()


def _channels_last(data_format: str) -> None:
    if data_format != "channels_last":
        raise ValueError(f"graphflow's layers support data_format='channels_last' only (TF1's "
                         f"CPU kernels are NHWC), got {data_format!r}")


def _finish(outputs: Tensor, activation: Callable | None,
            activity_regularizer: Callable | None) -> Tensor:
    """The activation, and the activity regularizer's loss in REGULARIZATION_LOSSES."""
    if activation is not None:
        outputs = activation(outputs)
    if activity_regularizer is not None:
        with name_scope("ActivityRegularizer"):
            loss = activity_regularizer(outputs)
        if loss is not None:
            add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
    return outputs


def _weights_and_bias(kernel_shape: list, units: int, dtype: dtypes.DType, use_bias: bool,
                      kernel_initializer: Any, bias_initializer: Any,
                      kernel_regularizer: Any, bias_regularizer: Any, kernel_constraint: Any,
                      bias_constraint: Any, trainable: bool) -> tuple:
    """The variables ``kernel`` and (when ``use_bias``) ``bias`` of the current scope."""
    kernel = vs.get_variable("kernel", kernel_shape, dtype, initializer=kernel_initializer,
                             regularizer=kernel_regularizer, trainable=trainable,
                             constraint=kernel_constraint)
    bias = None
    if use_bias:
        bias = vs.get_variable("bias", [units], dtype, initializer=bias_initializer,
                               regularizer=bias_regularizer, trainable=trainable,
                               constraint=bias_constraint)
    return kernel, bias


def dense(inputs: Any, units: int, activation: Callable | None = None, use_bias: bool = True,
          kernel_initializer: Any = None, bias_initializer: Any = _ZEROS,
          kernel_regularizer: Any = None, bias_regularizer: Any = None,
          activity_regularizer: Any = None, kernel_constraint: Any = None,
          bias_constraint: Any = None, trainable: bool = True, name: str | None = None,
          reuse: Any = None) -> Tensor:
    """``tf.layers.dense``: activation(inputs @ kernel + bias), the fully connected layer,
    with variables ``<name>/kernel`` [in, units] and ``<name>/bias`` [units]; inputs of rank
    above 2 are multiplied along their last dimension."""
    with _layer_scope(name, "dense", reuse, inputs):
        inputs = _float_input(inputs, "dense")
        dims = inputs.shape.as_tuple()
        if dims is None or len(dims) < 2 or dims[-1] is None:
            raise ValueError(f"The last dimension of the inputs to `Dense` should be defined "
                             f"and the rank at least 2. Found shape {inputs.shape}.")
        kernel, bias = _weights_and_bias(
            [dims[-1], units], units, inputs.dtype.base_dtype, use_bias, kernel_initializer,
            bias_initializer, kernel_regularizer, bias_regularizer, kernel_constraint,
            bias_constraint, trainable)
        if len(dims) == 2:
            outputs = math_ops.matmul(inputs, kernel)
        else:
            outputs = math_ops.tensordot(inputs, kernel, [[len(dims) - 1], [0]])
            outputs.set_shape([*dims[:-1], units])
        if bias is not None:
            outputs = nn_ops.bias_add(outputs, bias)
        return _finish(outputs, activation, activity_regularizer)


def conv2d(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1),
           padding: str = "valid", data_format: str = "channels_last",
           dilation_rate: Any = (1, 1), activation: Callable | None = None,
           use_bias: bool = True, kernel_initializer: Any = None,
           bias_initializer: Any = _ZEROS, kernel_regularizer: Any = None,
           bias_regularizer: Any = None, activity_regularizer: Any = None,
           kernel_constraint: Any = None, bias_constraint: Any = None, trainable: bool = True,
           name: str | None = None, reuse: Any = None) -> Tensor:
    """``tf.layers.conv2d``: activation(conv2d(inputs, kernel) + bias) with ``filters``
    output channels, variables ``<name>/kernel`` [k_h, k_w, in, filters] and
    ``<name>/bias``; ``padding`` is "valid" (the default) or "same"."""
    _channels_last(data_format)
    with _layer_scope(name, "conv2d", reuse, inputs):
        inputs = _float_input(inputs, "conv2d", rank=4)
        in_channels = inputs.shape.as_tuple()[3] if inputs.shape.ndims else None
        if in_channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found "
                             "`None`.")
        kernel, bias = _weights_and_bias(
            [*_pair(kernel_size, "kernel_size"), in_channels, filters], filters,
            inputs.dtype.base_dtype, use_bias, kernel_initializer, bias_initializer,
            kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint,
            trainable)
        outputs = conv_ops.conv2d(inputs, kernel, _pair(strides, "strides"), _padding(padding),
                                  dilations=_pair(dilation_rate, "dilation_rate"))
        if bias is not None:
            outputs = nn_ops.bias_add(outputs, bias)
        return _finish(outputs, activation, activity_regularizer)


def _pooling(pool: Callable, base_name: str, inputs: Any, pool_size: Any, strides: Any,
             padding: str, data_format: str, name: str | None) -> Tensor:
    _channels_last(data_format)
    with vs.variable_scope(None, default_name=name or base_name, values=[inputs]):
        inputs = _float_input(inputs, base_name, rank=4)
        return pool(inputs, _pair(pool_size, "pool_size"), _pair(strides, "strides"),
                    _padding(padding))


def max_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> Tensor:
    """``tf.layers.max_pooling2d``: the maximum of each ``pool_size`` window, moved by
    ``strides``."""
    return _pooling(conv_ops.max_pool, "max_pooling2d", inputs, pool_size, strides, padding,
                    data_format, name)


def average_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> Tensor:
    """``tf.layers.average_pooling2d``: the mean of each ``pool_size`` window, moved by
    ``strides`` (padding is not counted)."""
    return _pooling(conv_ops.avg_pool, "average_pooling2d", inputs, pool_size, strides,
                    padding, data_format, name)


def flatten(inputs: Any, name: str | None = None, data_format: str = "channels_last") -> Tensor:
    """``tf.layers.flatten``: [batch, d1, d2, ...] as [batch, d1 * d2 * ...], for a dense
    layer after convolutions."""
    _channels_last(data_format)
    with vs.variable_scope(None, default_name=name or "flatten", values=[inputs]):
        inputs = convert_to_tensor(inputs)
        dims = inputs.shape.as_tuple()
        if dims is None or not dims:
            raise ValueError(f"Input 0 of layer flatten is incompatible with the layer: "
                             f"expected min_ndim=1, found shape {inputs.shape}")
        if None not in dims[1:]:
            size = int(np.prod(dims[1:], dtype=np.int64))
            outputs = array_ops.reshape(inputs, [-1, size])
        else:
            size = None
            outputs = array_ops.reshape(inputs, [array_ops.shape(inputs)[0], -1])
        outputs.set_shape([dims[0], size])
        return outputs


def _static_bool(training: Any) -> bool | None:
    """``training`` as a Python bool when known at build time, else None (a bool tensor)."""
    if not isinstance(training, Tensor):
        return bool(training)
    known = constant_value(training)
    return None if known is None else bool(known)


def dropout(inputs: Any, rate: Any = 0.5, noise_shape: Any = None, seed: int | None = None,
            training: Any = False, name: str | None = None) -> Tensor:
    """``tf.layers.dropout``: while ``training`` (a bool or a bool tensor), zeroes each
    element with probability ``rate`` (not the keep probability of ``tf.nn.dropout``) and
    scales the rest by 1 / (1 - rate); otherwise passes ``inputs`` through."""
    with vs.variable_scope(None, default_name=name or "dropout", values=[inputs]):
        inputs = convert_to_tensor(inputs)

        def dropped() -> Tensor:
            return nn_ops.dropout(inputs, noise_shape=noise_shape, seed=seed, rate=rate)

        known = _static_bool(training)
        if known is None:  # TF1's smart_cond: decided when run
            return cond(training, dropped, lambda: array_ops.identity(inputs))
        return dropped() if known else array_ops.identity(inputs)


def batch_normalization(inputs: Any, axis: int = -1, momentum: float = 0.99,
                        epsilon: float = 1e-3, center: bool = True, scale: bool = True,
                        beta_initializer: Any = _ZEROS, gamma_initializer: Any = _ONES,
                        moving_mean_initializer: Any = _ZEROS,
                        moving_variance_initializer: Any = _ONES,
                        beta_regularizer: Any = None, gamma_regularizer: Any = None,
                        beta_constraint: Any = None, gamma_constraint: Any = None,
                        training: Any = False, trainable: bool = True,
                        name: str | None = None, reuse: Any = None, renorm: bool = False,
                        renorm_clipping: Any = None, renorm_momentum: float = 0.99,
                        fused: bool | None = None, virtual_batch_size: int | None = None,
                        adjustment: Any = None) -> Tensor:
    """``tf.layers.batch_normalization``: normalizes ``inputs`` per channel (``axis``) with
    the batch's mean and variance while ``training``, else with the moving averages, then
    scales by ``gamma`` and shifts by ``beta``. In training the moving-average updates go to
    ``tf.GraphKeys.UPDATE_OPS``; run them with the training op, as in TF1.

    As TF1's fused kernel (used for 4-D inputs normalized along the last axis), the moving
    variance of 4-D inputs is updated with the unbiased batch variance (n / (n - 1)).
    """
    if renorm or renorm_clipping is not None or virtual_batch_size is not None or adjustment:
        raise NotImplementedError("graphflow's batch_normalization supports neither renorm, "
                                  "virtual_batch_size nor adjustment")
    with _layer_scope(name, "batch_normalization", reuse, inputs):
        inputs = _float_input(inputs, "batch_normalization")
        dims = inputs.shape.as_tuple()
        if dims is None:
            raise ValueError("Input has undefined rank.")
        channel_axis = axis % len(dims) if -len(dims) <= axis < len(dims) else None
        if channel_axis is None or dims[channel_axis] is None:
            raise ValueError(f"Invalid axis {axis} for input of shape {inputs.shape}: the "
                             f"axis must exist and have a known size.")
        if fused and (len(dims) != 4 or channel_axis != 3):
            raise ValueError("fused batch normalization needs 4-D inputs normalized along the "
                             "last axis (NHWC)")
        unbiased_update = fused is not False and len(dims) == 4 and channel_axis == 3
        stats = _BatchNormStats(inputs, channel_axis, dims[channel_axis], momentum,
                                (beta_initializer, gamma_initializer, moving_mean_initializer,
                                 moving_variance_initializer),
                                (beta_regularizer, gamma_regularizer),
                                (beta_constraint, gamma_constraint), center, scale, trainable)
        known = _static_bool(training)
        if known is False:
            return stats.normalize(stats.moving_mean, stats.moving_variance, epsilon)
        mean, variance, updates = stats.batch(training, known, unbiased_update)
        for update in updates:
            add_to_collection(GraphKeys.UPDATE_OPS, update)
        return stats.normalize(mean, variance, epsilon)


class _BatchNormStats:
    """The variables of one batch-normalization layer and the ops that use them."""

    def __init__(self, inputs: Tensor, axis: int, channels: int, momentum: float,
                 initializers_: tuple, regularizers: tuple, constraints: tuple,
                 center: bool, scale: bool, trainable: bool):
        dtype = inputs.dtype.base_dtype
        beta_init, gamma_init, mean_init, variance_init = initializers_
        self.inputs, self.axis, self.momentum = inputs, axis, momentum
        self.gamma = vs.get_variable("gamma", [channels], dtype, gamma_init,
                                     regularizers[1], trainable=trainable,
                                     constraint=constraints[1]) if scale else None
        self.beta = vs.get_variable("beta", [channels], dtype, beta_init,
                                    regularizers[0], trainable=trainable,
                                    constraint=constraints[0]) if center else None
        self.moving_mean = vs.get_variable("moving_mean", [channels], dtype, mean_init,
                                           trainable=False)
        self.moving_variance = vs.get_variable("moving_variance", [channels], dtype,
                                               variance_init, trainable=False)

    def batch(self, training: Any, known: bool | None, unbiased_update: bool) -> tuple:
        """The mean and variance to normalize with: the batch's (the moving averages when the
        bool tensor ``training`` is false at run time), and the two moving-average updates;
        with a ``training`` tensor they change nothing while it is false."""
        ndims = self.inputs.shape.ndims
        mean, variance = nn_ops.moments(self.inputs, [i for i in range(ndims) if i != self.axis])
        decay = 1.0 - self.momentum
        observed = variance
        if unbiased_update:
            with name_scope("bessel_correction"):
                count = math_ops.cast(math_ops.truediv(array_ops.size(self.inputs),
                                                       array_ops.size(variance)),
                                      variance.dtype)
                observed = math_ops.multiply(variance, count / (count - 1.0))
        if known is None:  # false at run time: the moving averages, and updates that add 0
            moving = (self.moving_mean.value(), self.moving_variance.value())
            mean, variance, observed = cond(training, lambda: (mean, variance, observed),
                                            lambda: (*moving, moving[1]))
        updates = []
        for moving, value, scope in ((self.moving_mean, mean, "AssignMovingAvg"),
                                     (self.moving_variance, observed, "AssignMovingAvg_1")):
            with name_scope(scope):
                delta = math_ops.multiply(math_ops.subtract(moving, value), decay)
                updates.append(state_ops.assign_sub(moving, delta))
        return mean, variance, updates

    def normalize(self, mean: Tensor, variance: Tensor, epsilon: float) -> Tensor:
        """TF1's ``nn.batch_normalization``: x * inv + (beta - mean * inv), inv = gamma /
        sqrt(variance + epsilon), broadcast along the channel axis."""
        with name_scope("batchnorm"):
            inv = math_ops.rsqrt(math_ops.add(variance, epsilon))
            if self.gamma is not None:
                inv = math_ops.multiply(inv, self.gamma)
            shift = math_ops.negative(math_ops.multiply(mean, inv))
            if self.beta is not None:
                shift = math_ops.add(shift, self.beta)
            ndims = self.inputs.shape.ndims
            if self.axis != ndims - 1:  # line the per-channel values up with the channel axis
                shape = [-1 if i == self.axis else 1 for i in range(ndims)]
                inv, shift = array_ops.reshape(inv, shape), array_ops.reshape(shift, shape)
            return math_ops.add(math_ops.multiply(self.inputs, inv), shift)
