"""``tf.contrib.layers``: TF1's layer functions, initializers and regularizers.

``fully_connected`` creates its variables with ``tf.get_variable`` in a variable scope (named
``fully_connected``, ``fully_connected_1``, ... unless ``scope`` is given), so layers can be
reused by scope name as in TF1; ``flatten`` turns [batch, ...] into [batch, features].
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from graphflow import initializers, layers
from graphflow.contrib.framework import add_arg_scope
from graphflow.framework import dtypes
from graphflow.framework.graph import (
    GraphKeys,
    Tensor,
    add_to_collections,
    control_dependencies,
    name_scope,
)
from graphflow.ops import array_ops, math_ops, nn_ops, random_ops
from graphflow.ops import variable_scope as vs
from graphflow.ops.constant_op import convert_to_tensor

# TF1's defaults: contrib's xavier_initializer() (Glorot uniform) and zeros, created once
_XAVIER_UNIFORM = initializers.glorot_uniform_initializer()
_ZEROS = initializers.zeros_initializer()
_ONES = initializers.ones_initializer()


def _variable_collections(variables_collections: Any, name: str) -> list:
    """TF1's model-variable collections, plus the extra ones given for ``name`` (a list for
    all variables, or a dict keyed by "weights"/"biases")."""
    extra = variables_collections
    if isinstance(extra, dict):
        extra = extra.get(name)
    if isinstance(extra, str):
        extra = [extra]
    return [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES] + list(extra or [])


def _output(outputs: Tensor, activation_fn: Callable | None, outputs_collections: Any
            ) -> Tensor:
    """A layer's result: ``activation_fn`` applied, if any, and added to the collections."""
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    if outputs_collections:
        add_to_collections(outputs_collections, outputs)
    return outputs


@add_arg_scope
def fully_connected(inputs: Any, num_outputs: int,
                    activation_fn: Callable | None = nn_ops.relu,
                    normalizer_fn: Callable | None = None,
                    normalizer_params: dict | None = None,
                    weights_initializer: Any = _XAVIER_UNIFORM,
                    weights_regularizer: Callable | None = None,
                    biases_initializer: Any = _ZEROS,
                    biases_regularizer: Callable | None = None, reuse: Any = None,
                    variables_collections: Any = None, outputs_collections: Any = None,
                    trainable: bool = True, scope: str | None = None) -> Tensor:
    """``tf.contrib.layers.fully_connected``: activation_fn(inputs @ weights + biases), with
    the variables ``<scope>/weights`` (Xavier/Glorot uniform by default) and
    ``<scope>/biases`` (zeros) made by ``tf.get_variable``: a dense layer in one call.

    With ``normalizer_fn`` the biases are left out and the normalizer is applied before the
    activation. Inputs of rank > 2 are multiplied along their last dimension.
    """
    if isinstance(num_outputs, bool) or not isinstance(num_outputs, (int, np.integer)):
        raise ValueError(f"num_outputs should be int or long, got {num_outputs}.")
    with vs.variable_scope(scope, "fully_connected", [inputs], reuse=reuse) as layer_scope:
        inputs = convert_to_tensor(inputs)
        dims = inputs.shape.as_tuple()
        if dims is not None and len(dims) < 2:
            raise ValueError(f"Input 0 of layer {layer_scope.name} is incompatible with the "
                             f"layer: expected min_ndim=2, found ndim={len(dims)}.")
        if dims is None or dims[-1] is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                             "Found `None`.")
        dtype = inputs.dtype.base_dtype
        weights = vs.get_variable(
            "weights", shape=[dims[-1], num_outputs], dtype=dtype,
            initializer=weights_initializer, regularizer=weights_regularizer,
            trainable=trainable, collections=_variable_collections(variables_collections,
                                                                   "weights"))
        if len(dims) == 2:
            outputs = math_ops.matmul(inputs, weights)
        else:
            outputs = math_ops.tensordot(inputs, weights, [[len(dims) - 1], [0]])
            outputs.set_shape(list(dims[:-1]) + [num_outputs])
        if normalizer_fn is None and biases_initializer is not None:
            biases = vs.get_variable(
                "biases", shape=[num_outputs], dtype=dtype, initializer=biases_initializer,
                regularizer=biases_regularizer, trainable=trainable,
                collections=_variable_collections(variables_collections, "biases"))
            outputs = nn_ops.bias_add(outputs, biases)
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        return _output(outputs, activation_fn, outputs_collections)


@add_arg_scope
def batch_norm(inputs: Any, decay: float = 0.999, center: bool = True, scale: bool = False,
               epsilon: float = 0.001, activation_fn: Callable | None = None,
               param_initializers: dict | None = None, param_regularizers: dict | None = None,
               updates_collections: Any = GraphKeys.UPDATE_OPS, is_training: Any = True,
               reuse: Any = None, variables_collections: Any = None,
               outputs_collections: Any = None, trainable: bool = True,
               batch_weights: Any = None, fused: bool | None = None,
               data_format: str = "NHWC", zero_debias_moving_mean: bool = False,
               scope: str | None = None, renorm: bool = False) -> Tensor:
    """``tf.contrib.layers.batch_norm``: normalizes ``inputs`` along their last axis with the
    batch's mean and variance while ``is_training`` (a bool or a bool tensor), else with the
    moving averages, then shifts by ``beta`` (and, with ``scale``, scales by ``gamma``).

    The moving averages move by ``1 - decay`` towards each training batch's statistics. The
    updates go to ``updates_collections``; with ``updates_collections=None`` they run with
    the layer itself, as lab 10-7 uses it. Where TF1 takes its fused kernel (4-D inputs, or 2-D
    ones with ``updates_collections`` other than UPDATE_OPS), the moving variance is updated
    with the unbiased batch variance, n / (n - 1) times the one it normalizes with.
    """
    if batch_weights is not None or renorm or zero_debias_moving_mean:
        raise NotImplementedError("graphflow's batch_norm supports neither batch_weights, "
                                  "renorm nor zero_debias_moving_mean")
    if data_format != "NHWC":
        raise NotImplementedError("graphflow's batch_norm supports only data_format='NHWC'")
    initial = {"beta": _ZEROS, "gamma": _ONES, "moving_mean": _ZEROS, "moving_variance": _ONES,
               **(param_initializers or {})}
    regularize = param_regularizers or {}
    with vs.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse):
        inputs = convert_to_tensor(inputs)
        ndims = inputs.shape.ndims
        if ndims is None or inputs.shape[-1].value is None:
            raise ValueError(f"Inputs {inputs.name} has undefined last dimension "
                             f"{inputs.shape}.")
        stats = layers._BatchNormStats(
            inputs, ndims - 1, inputs.shape[-1].value, decay,
            (initial["beta"], initial["gamma"], initial["moving_mean"],
             initial["moving_variance"]),
            (regularize.get("beta"), regularize.get("gamma")), (None, None), center, scale,
            trainable)
        for name in ("beta", "gamma", "moving_mean", "moving_variance"):
            variable = getattr(stats, name)
            if variable is not None:
                add_to_collections(_variable_collections(variables_collections, name)[1:],
                                   variable)
        known = layers._static_bool(is_training)
        if known is False:
            outputs = stats.normalize(stats.moving_mean, stats.moving_variance, epsilon)
        else:
            unbiased = fused is not False and (ndims == 4 or (
                ndims == 2 and updates_collections != GraphKeys.UPDATE_OPS))
            mean, variance, updates = stats.batch(is_training, known, unbiased)
            if updates_collections is None:  # the updates run whenever the layer does
                with control_dependencies(updates):
                    mean, variance = array_ops.identity(mean), array_ops.identity(variance)
            else:
                for update in updates:
                    add_to_collections(updates_collections, update)
            outputs = stats.normalize(mean, variance, epsilon)
        return _output(outputs, activation_fn, outputs_collections)


@add_arg_scope
def dropout(inputs: Any, keep_prob: Any = 0.5, noise_shape: Any = None,
            is_training: Any = True, outputs_collections: Any = None,
            scope: str | None = None, seed: int | None = None) -> Tensor:
    """``tf.contrib.layers.dropout``: while ``is_training`` (a bool or a bool tensor), keeps
    each element with probability ``keep_prob`` and scales it by 1 / keep_prob; otherwise
    passes ``inputs`` through."""
    with name_scope(scope, "Dropout", [inputs]):
        rate = 1.0 - keep_prob if isinstance(keep_prob, numbers.Real) else \
            math_ops.subtract(1.0, keep_prob)
        outputs = layers.dropout(inputs, rate=rate, noise_shape=noise_shape, seed=seed,
                                 training=is_training)
        return _output(outputs, None, outputs_collections)


@add_arg_scope
def flatten(inputs: Any, outputs_collections: Any = None, scope: str | None = None) -> Tensor:
    """``tf.contrib.layers.flatten``: reshapes [batch, d1, d2, ...] to [batch, d1 * d2 * ...],
    keeping the batch dimension (and, when known, the static feature count)."""
    with name_scope(scope, "Flatten", [inputs]):
        inputs = convert_to_tensor(inputs)
        dims = inputs.shape.as_tuple()
        if dims is None or not dims:
            raise ValueError(f"Inputs to flatten must have rank at least 1, got shape "
                             f"{inputs.shape}")
        batch, features = dims[0], dims[1:]
        if None not in features:
            size = int(np.prod(features, dtype=np.int64))
            outputs = array_ops.reshape(inputs, [-1, size])
        elif batch is not None:
            size = None
            outputs = array_ops.reshape(inputs, [batch, -1])
        else:
            size = None
            outputs = array_ops.reshape(inputs, array_ops.stack([array_ops.shape(inputs)[0], -1]))
        outputs.set_shape([batch, size])
        return _output(outputs, None, outputs_collections)


# -- initializers and regularizers (TF1 contrib's own semantics) ------------------------------
def variance_scaling_initializer(factor: float = 2.0, mode: str = "FAN_IN", uniform: bool = False,
                                 seed: int | None = None, dtype: Any = dtypes.float32) -> Callable:
    """``tf.contrib.layers.variance_scaling_initializer``: samples with variance ``factor / n``
    (``n``: fan-in, fan-out or their average, by ``mode``) to keep the activations' scale
    through layers; the default is He et al.'s ReLU initialization.

    Contrib's own rules, unlike ``tf.variance_scaling_initializer``: upper-case modes, no
    ``max(1, n)`` guard, and normal samples truncated at two standard deviations of
    ``sqrt(1.3 * factor / n)``; ``uniform`` draws from [-limit, limit] with
    ``limit = sqrt(3 * factor / n)``.
    """
    if not dtypes.as_dtype(dtype).is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")

    def _initializer(shape: Any, dtype: Any = dtype, partition_info: Any = None) -> Tensor:
        if not dtypes.as_dtype(dtype).is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        fan_in, fan_out = initializers.compute_fans(shape)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return random_ops.random_uniform(shape, -limit, limit, dtype, seed=seed)
        return random_ops.truncated_normal(shape, 0.0, math.sqrt(1.3 * factor / n), dtype,
                                           seed=seed)

    return _initializer


def xavier_initializer(uniform: bool = True, seed: int | None = None,
                       dtype: Any = dtypes.float32) -> Callable:
    """``tf.contrib.layers.xavier_initializer``: Glorot & Bengio's initialization, keeping the
    gradients' scale across layers: uniform in [-x, x] with ``x = sqrt(6 / (fan_in + fan_out))``,
    or (``uniform=False``) truncated normal with stddev ``sqrt(2.6 / (fan_in + fan_out))``."""
    return variance_scaling_initializer(1.0, "FAN_AVG", uniform, seed, dtype)


xavier_initializer_conv2d = xavier_initializer


def _regularizer(scale: Any, scope: str | None, default_name: str,
                 penalty: Callable[[Any], Tensor]) -> Callable:
    """``weights -> scale * penalty(weights)``, named ``scope`` (default ``default_name``);
    a scale of 0.0 disables it (it then returns None), as in TF1."""
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale:g}.")
        if scale == 0.0:
            return lambda _: None

    def regularize(weights: Any) -> Tensor:
        with name_scope(scope, default_name, [weights]) as name:
            my_scale = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return math_ops.multiply(my_scale, penalty(weights), name=name)

    return regularize


def l1_regularizer(scale: Any, scope: str | None = None) -> Callable:
    """``tf.contrib.layers.l1_regularizer``: ``weights -> scale * sum(|weights|)``, a penalty
    that drives weights to exactly zero (sparsity); e.g. the ``regularizer`` of get_variable."""
    return _regularizer(scale, scope, "l1_regularizer",
                        lambda weights: math_ops.reduce_sum(math_ops.abs(weights)))


def l2_regularizer(scale: Any, scope: str | None = None) -> Callable:
    """``tf.contrib.layers.l2_regularizer``: ``weights -> scale * sum(weights ** 2) / 2``
    (weight decay, against overfitting); e.g. the ``regularizer`` of get_variable."""
    return _regularizer(scale, scope, "l2_regularizer", nn_ops.l2_loss)
