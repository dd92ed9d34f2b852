"""Neural-network ops (``tf.nn``): activations, softmax, the fused cross-entropies, bias_add,
l2_loss, top-k, and the functions composed from other ops (dropout, moments, l2_normalize,
embedding_lookup), each op defined once with its gradient.

Activations differentiate through TF1's fused gradient ops (``ReluGrad``, ``EluGrad``, ...),
which have gradients of their own, so second derivatives work. The cross-entropies are single
fused ops that never take the log of a softmax: they stay finite for logits like +-1000.
"""

from __future__ import annotations

import collections
import numbers
import warnings
from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import Tensor, get_default_graph, name_scope
from graphflow.framework.registry import NOT_DIFFERENTIABLE, GradExample, OpDef, register
from graphflow.framework.tensor_shape import TensorShape
from graphflow.ops import array_ops, math_ops, random_ops
from graphflow.ops.constant_op import constant_value, convert_to_tensor
from graphflow.ops.fast_reduce import extreme_over, sum_over
from graphflow.ops.op_util import (
    FLOATS,
    INDEX,
    NUMERIC,
    build_op,
    check_dtype,
    check_rank,
    check_same_dtype,
)

SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717



def _outputs(op_type: str, inputs: list, name: str | None, attrs: dict | None = None) -> list:
    return get_default_graph().create_op(op_type, inputs, attrs, name).outputs


def _np_type(op: Any) -> Any:
    """The NumPy scalar type of ``op``'s first output, for typed kernel constants."""
    return op.outputs[0].dtype.as_numpy_dtype


def _check_rank_at_least(tensor: Tensor, rank: int) -> None:
    ndims = tensor.shape.ndims
    if ndims is not None and ndims < rank:
        raise ValueError(f"Shape must be at least rank {rank} but is rank {ndims}")


def _merged_shape(a: Tensor, b: Tensor) -> TensorShape:
    """The shape two tensors that must agree exactly have: ValueError if they cannot."""
    if not a.shape.is_compatible_with(b.shape):
        raise ValueError(f"Incompatible shapes: {a.shape} vs. {b.shape}")
    return a.shape.merge_with(b.shape)


def _is_zero(tensor: Tensor) -> bool:
    """True when ``tensor`` is known to be all zeros (an unused output's gradient)."""
    if tensor.op.type == "ZerosLike":
        return True
    value = constant_value(tensor)
    return value is not None and not np.any(value)


# -- activations -----------------------------------------------------------------------------
class _Activation(OpDef):
    """y = f(features) elementwise, with features' dtype and shape."""

    allowed = FLOATS
    grad_examples = [GradExample([(2, 3)]), GradExample([()])]

    def infer(self, features: Tensor, **attrs: Any) -> tuple:
        check_dtype(self.type, "features", features, self.allowed)
        return features.dtype.base_dtype, features.shape


class _ActivationGrad(OpDef):
    """The fused gradient of an activation: dy/dx * ``gradients``, computed from the
    activation's input or output (``features``), which has the same dtype and shape."""

    grad_examples = [GradExample([(2, 3), (2, 3)]), GradExample([(), ()])]

    def infer(self, gradients: Tensor, features: Tensor, **attrs: Any) -> tuple:
        check_same_dtype(self.type, gradients, features, ("gradients", "features"))
        check_dtype(self.type, "gradients", gradients, FLOATS)
        return gradients.dtype.base_dtype, _merged_shape(gradients, features)


def _activation_grad(op_type: str, gradients: Tensor, features: Tensor,
                     attrs: dict | None = None) -> Tensor:
    return build_op(op_type, [gradients, features], op_type, attrs)


@register("Relu")
class Relu(_Activation):
    """max(features, 0)."""

    allowed = NUMERIC

    def kernel(self, op: Any) -> Any:
        zero = _np_type(op)(0)
        return lambda features: np.maximum(features, zero)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_activation_grad("ReluGrad", grad, op.outputs[0])]


@register("ReluGrad")
class ReluGrad(_ActivationGrad):
    """gradients where features > 0, else 0."""

    def kernel(self, op: Any) -> Any:
        return lambda gradients, features: gradients * (features > 0)

    def grad(self, op: Any, grad: Tensor) -> list:
        features = op.inputs[1]
        return [_activation_grad("ReluGrad", grad, features), array_ops.zeros_like(features)]


@register("Relu6")
class Relu6(_Activation):
    """min(max(features, 0), 6)."""

    allowed = NUMERIC
    grad_examples = [GradExample([(3, 4)], low=-3.0, high=9.0)]

    def kernel(self, op: Any) -> Any:
        zero, six = _np_type(op)(0), _np_type(op)(6)
        return lambda features: np.clip(features, zero, six)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_activation_grad("Relu6Grad", grad, op.outputs[0])]


@register("Relu6Grad")
class Relu6Grad(_ActivationGrad):
    """gradients where 0 < features < 6, else 0."""

    grad_examples = [GradExample([(3, 4), (3, 4)], low=-3.0, high=9.0)]

    def kernel(self, op: Any) -> Any:
        return lambda gradients, features: gradients * ((features > 0) & (features < 6))

    def grad(self, op: Any, grad: Tensor) -> list:
        features = op.inputs[1]
        return [_activation_grad("Relu6Grad", grad, features), array_ops.zeros_like(features)]


@register("Elu")
class Elu(_Activation):
    """exp(features) - 1 where features < 0, else features."""

    def kernel(self, op: Any) -> Any:
        return lambda features: np.where(features < 0, np.expm1(features), features)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_activation_grad("EluGrad", grad, op.outputs[0])]


@register("EluGrad")
class EluGrad(_ActivationGrad):
    """gradients * (outputs + 1) where the Elu output is negative, else gradients."""

    def kernel(self, op: Any) -> Any:
        one = _np_type(op)(1)
        return lambda gradients, outputs: np.where(outputs < 0, gradients * (outputs + one),
                                                   gradients)

    def grad(self, op: Any, grad: Tensor) -> list:
        gradients, outputs = op.inputs
        return [_activation_grad("EluGrad", grad, outputs),
                _where_negative(outputs, math_ops.multiply(grad, gradients))]


def _where_negative(outputs: Tensor, value: Tensor) -> Tensor:
    """``value`` where ``outputs`` < 0, else 0 (the second derivative of Elu and Selu)."""
    zeros = array_ops.zeros_like(outputs)
    return array_ops.where(math_ops.less(outputs, zeros), value, zeros)


@register("Selu")
class Selu(_Activation):
    """scale * alpha * (exp(features) - 1) where features < 0, else scale * features."""

    def kernel(self, op: Any) -> Any:
        scale, scale_alpha = _np_type(op)(SELU_SCALE), _np_type(op)(SELU_SCALE * SELU_ALPHA)
        return lambda features: np.where(features < 0, scale_alpha * np.expm1(features),
                                          scale * features)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_activation_grad("SeluGrad", grad, op.outputs[0])]


@register("SeluGrad")
class SeluGrad(_ActivationGrad):
    """gradients * (outputs + scale * alpha) where the Selu output is negative, else
    gradients * scale."""

    def kernel(self, op: Any) -> Any:
        scale, scale_alpha = _np_type(op)(SELU_SCALE), _np_type(op)(SELU_SCALE * SELU_ALPHA)
        return lambda gradients, outputs: np.where(
            outputs < 0, gradients * (outputs + scale_alpha), gradients * scale)

    def grad(self, op: Any, grad: Tensor) -> list:
        gradients, outputs = op.inputs
        return [_activation_grad("SeluGrad", grad, outputs),
                _where_negative(outputs, math_ops.multiply(grad, gradients))]


def _alpha(op: Any) -> Any:
    """LeakyRelu's slope as TF1 applies it: a float32 attribute, then the features' dtype."""
    return _np_type(op)(np.float32(op.attrs["alpha"]))


@register("LeakyRelu")
class LeakyRelu(_Activation):
    """features where features > 0, else alpha * features."""

    attrs = {"alpha": 0.2}
    grad_examples = [GradExample([(2, 3)]), GradExample([(4,)], {"alpha": 0.5})]

    def kernel(self, op: Any) -> Any:
        alpha = _alpha(op)
        return lambda features: np.where(features > 0, features, features * alpha)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_activation_grad("LeakyReluGrad", grad, op.inputs[0], op.attrs)]


@register("LeakyReluGrad")
class LeakyReluGrad(_ActivationGrad):
    """gradients where features > 0, else alpha * gradients."""

    attrs = {"alpha": 0.2}
    grad_examples = [GradExample([(2, 3), (2, 3)], {"alpha": 0.3})]

    def kernel(self, op: Any) -> Any:
        alpha = _alpha(op)
        return lambda gradients, features: np.where(features > 0, gradients, gradients * alpha)

    def grad(self, op: Any, grad: Tensor) -> list:
        features = op.inputs[1]
        return [_activation_grad("LeakyReluGrad", grad, features, op.attrs),
                array_ops.zeros_like(features)]


@register("Softplus")
class Softplus(_Activation):
    """log(exp(features) + 1), computed without overflow."""

    def kernel(self, op: Any) -> Any:
        zero = _np_type(op)(0)
        return lambda features: np.logaddexp(zero, features)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_activation_grad("SoftplusGrad", grad, op.inputs[0])]


@register("SoftplusGrad")
class SoftplusGrad(_ActivationGrad):
    """gradients * sigmoid(features) = gradients / (exp(-features) + 1)."""

    def kernel(self, op: Any) -> Any:
        one = _np_type(op)(1)
        return lambda gradients, features: gradients / (np.exp(-features) + one)

    def grad(self, op: Any, grad: Tensor) -> list:
        gradients, features = op.inputs
        # d sigmoid(x) / dx = 1 / (exp(-x) + 2 + exp(x)), finite for any x
        denominator = math_ops.add(math_ops.add(math_ops.exp(math_ops.negative(features)), 2.0),
                                   math_ops.exp(features))
        d_features = math_ops.real_div(math_ops.multiply(grad, gradients), denominator)
        return [_activation_grad("SoftplusGrad", grad, features), d_features]


@register("Softsign")
class Softsign(_Activation):
    """features / (|features| + 1)."""

    def kernel(self, op: Any) -> Any:
        one = _np_type(op)(1)
        return lambda features: features / (np.abs(features) + one)

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_activation_grad("SoftsignGrad", grad, op.inputs[0])]


@register("SoftsignGrad")
class SoftsignGrad(_ActivationGrad):
    """gradients / (|features| + 1) ** 2."""

    def kernel(self, op: Any) -> Any:
        one = _np_type(op)(1)
        return lambda gradients, features: gradients / np.square(np.abs(features) + one)

    def grad(self, op: Any, grad: Tensor) -> list:
        gradients, features = op.inputs
        # d/dx (|x| + 1) ** -2 = -2 sign(x) / (|x| + 1) ** 3
        scaled = _activation_grad("SoftsignGrad", math_ops.multiply(grad, gradients), features)
        factor = math_ops.real_div(math_ops.multiply(-2.0, math_ops.sign(features)),
                                   math_ops.add(math_ops.abs(features), 1.0))
        return [_activation_grad("SoftsignGrad", grad, features),
                math_ops.multiply(scaled, factor)]


def relu(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.relu``: max(features, 0), the rectifier of most hidden layers."""
    return build_op("Relu", [convert_to_tensor(features)], name or "Relu")


def relu6(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.relu6``: min(max(features, 0), 6), a rectifier that saturates at 6."""
    return build_op("Relu6", [convert_to_tensor(features)], name or "Relu6")


def elu(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.elu``: exp(x) - 1 for x < 0, else x; smooth where ReLU has a kink."""
    return build_op("Elu", [convert_to_tensor(features)], name or "Elu")


def selu(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.selu``: the scaled ELU whose fixed point keeps activations normalized."""
    return build_op("Selu", [convert_to_tensor(features)], name or "Selu")


def leaky_relu(features: Any, alpha: float = 0.2, name: str | None = None) -> Tensor:
    """``tf.nn.leaky_relu``: x for x > 0, else alpha * x, so negative units still learn.
    Integer features are cast to float32 first, as TF1 does."""
    x = convert_to_tensor(features)
    if x.dtype.is_integer:
        x = math_ops.cast(x, dtypes.float32)
    return build_op("LeakyRelu", [x], name or "LeakyRelu", {"alpha": float(np.asarray(alpha))})


def softplus(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.softplus``: log(exp(x) + 1), a smooth ReLU; stable for large |x|."""
    return build_op("Softplus", [convert_to_tensor(features)], name or "Softplus")


def softsign(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.softsign``: x / (|x| + 1), a tanh-like squashing function."""
    return build_op("Softsign", [convert_to_tensor(features)], name or "Softsign")


# -- softmax ---------------------------------------------------------------------------------
class _SoftmaxBase(OpDef):
    """A normalization over the last axis of ``logits`` (rank >= 1)."""

    grad_examples = [GradExample([(2, 3)]), GradExample([(4,)]), GradExample([(2, 2, 3)])]

    def infer(self, logits: Tensor) -> tuple:
        check_dtype(self.type, "logits", logits, FLOATS)
        _check_rank_at_least(logits, 1)
        return logits.dtype.base_dtype, logits.shape


def _shifted(logits: np.ndarray) -> np.ndarray:
    """logits minus their maximum along the last axis (a new array): exp() cannot overflow."""
    return logits - extreme_over(np.maximum, logits, (-1,), keepdims=True)


def _softmax_kernel(logits: np.ndarray) -> np.ndarray:
    out = _shifted(logits)
    np.exp(out, out=out)
    out /= sum_over(out, (-1,), keepdims=True)
    return out


def _log_softmax_kernel(logits: np.ndarray) -> np.ndarray:
    out = _shifted(logits)
    out -= np.log(sum_over(np.exp(out), (-1,), keepdims=True))
    return out


def _softmax_jvp(grad: Tensor, probabilities: Tensor) -> Tensor:
    """The softmax Jacobian (diag(p) - p p^T) applied to ``grad`` along the last axis."""
    inner = math_ops.reduce_sum(math_ops.multiply(grad, probabilities), -1, keepdims=True)
    return math_ops.multiply(math_ops.subtract(grad, inner), probabilities)


@register("Softmax")
class Softmax(_SoftmaxBase):
    """exp(logits) / sum(exp(logits)) along the last axis."""

    def kernel(self, op: Any) -> Any:
        return _softmax_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_softmax_jvp(grad, op.outputs[0])]


@register("LogSoftmax")
class LogSoftmax(_SoftmaxBase):
    """logits - log(sum(exp(logits))) along the last axis, without forming the softmax."""

    def kernel(self, op: Any) -> Any:
        return _log_softmax_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        probabilities = math_ops.exp(op.outputs[0])
        total = math_ops.reduce_sum(grad, -1, keepdims=True)
        return [math_ops.subtract(grad, math_ops.multiply(total, probabilities))]


def _axis_argument(axis: Any, dim: Any) -> Any:
    """TF1's deprecated ``dim=`` spelling of ``axis=``."""
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'.")
    return dim if axis is None else axis


def _inner_axis(axis: int, tensor: Tensor, what: str) -> int | None:
    """``axis`` as a non-negative index, or None when it is the last axis (no transposes
    needed). Other axes need a known rank."""
    rank = tensor.shape.ndims
    if axis == -1 or (rank is not None and axis == rank - 1):
        return None
    if rank is None:
        raise ValueError(f"{what} along axis {axis} needs a tensor of known rank")
    if not -rank <= axis < rank:
        raise ValueError(f"`dim` must be in the range [{-rank}, {rank}) where {rank} is the "
                         f"number of dimensions in the input. Received: dim={axis}")
    return axis % rank


def _along_axis(op_type: str, logits: Any, axis: Any, name: str | None) -> Tensor:
    """Applies a last-axis op along ``axis``: other axes are swapped to the end and back, with
    Transposes, as TF1 does."""
    x = convert_to_tensor(logits)
    axis = _inner_axis(-1 if axis is None else int(axis), x, op_type)
    if axis is None:
        return build_op(op_type, [x], name or op_type)
    perm = list(range(x.shape.ndims))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    swapped = build_op(op_type, [array_ops.transpose(x, perm)], op_type)
    out = array_ops.transpose(swapped, perm, name=name or "transpose")
    out.set_shape(x.shape)
    return out


def softmax(logits: Any, axis: int | None = None, name: str | None = None,
            dim: int | None = None) -> Tensor:
    """``tf.nn.softmax``: exp(logits) / sum(exp(logits)) along ``axis`` (default last), the
    class probabilities of a classifier; computed stably."""
    return _along_axis("Softmax", logits, _axis_argument(axis, dim), name)


def log_softmax(logits: Any, axis: int | None = None, name: str | None = None,
                dim: int | None = None) -> Tensor:
    """``tf.nn.log_softmax``: logits - log(sum(exp(logits))) along ``axis``; exact even where
    the softmax itself underflows to 0."""
    return _along_axis("LogSoftmax", logits, _axis_argument(axis, dim), name)


# -- fused cross-entropies -------------------------------------------------------------------
def _xent_stats(features: np.ndarray) -> tuple:
    """(shifted logits, their exp, the sum of the exp along the last axis, with keepdims)."""
    shifted = _shifted(features)
    exp = np.exp(shifted)
    return shifted, exp, sum_over(exp, (-1,), keepdims=True)


@register("SoftmaxCrossEntropyWithLogits")
class SoftmaxCrossEntropyWithLogits(OpDef):
    """loss = -sum(labels * log_softmax(features)) along the last axis, and ``backprop``, its
    gradient with respect to features: softmax * sum(labels) - labels. (TF1's kernel returns
    softmax - labels, which is that gradient only when each row of labels sums to 1.)"""

    grad_examples = [GradExample([(3, 4), (3, 4)]), GradExample([(5,), (5,)])]

    def infer(self, features: Tensor, labels: Tensor) -> list:
        check_same_dtype(self.type, features, labels, ("features", "labels"))
        check_dtype(self.type, "features", features, FLOATS)
        _check_rank_at_least(features, 1)
        shape = _merged_shape(features, labels)
        dtype = features.dtype.base_dtype
        return [(dtype, None if shape.ndims is None else shape[:-1]), (dtype, shape)]

    def kernel(self, op: Any) -> Any:
        def softmax_xent(features: np.ndarray, labels: np.ndarray) -> tuple:
            if np.shape(features) != np.shape(labels):
                raise ValueError("logits and labels must be same size: logits_size="
                                 f"{list(np.shape(features))} labels_size={list(np.shape(labels))}")
            shifted, exp, sum_exp = _xent_stats(features)
            # No full-size temporary: shifted becomes labels * shifted, and exp becomes the
            # backprop, in place (both are this call's own arrays); the row factors are small.
            label_sums = sum_over(labels, (-1,), keepdims=True)
            loss = (np.log(sum_exp) * label_sums)[..., 0]
            loss -= sum_over(np.multiply(labels, shifted, out=shifted), (-1,))
            exp *= label_sums / sum_exp
            exp -= labels
            return loss, exp

        return softmax_xent

    def grad(self, op: Any, grad_loss: Tensor, grad_backprop: Tensor) -> list:
        logits, labels = op.inputs
        grad = array_ops.expand_dims(grad_loss, -1)
        grad_logits = math_ops.multiply(grad, op.outputs[1])
        grad_labels = math_ops.multiply(grad, math_ops.negative(log_softmax(logits)))
        if not _is_zero(grad_backprop):  # backprop = softmax(logits) * sum(labels) - labels
            probabilities = softmax(logits)
            inner = math_ops.reduce_sum(math_ops.multiply(grad_backprop, probabilities), -1,
                                        keepdims=True)
            total = math_ops.reduce_sum(labels, -1, keepdims=True)
            grad_logits = math_ops.add(
                grad_logits, math_ops.multiply(_softmax_jvp(grad_backprop, probabilities), total))
            grad_labels = math_ops.add(grad_labels, math_ops.subtract(inner, grad_backprop))
        return [grad_logits, grad_labels]


@register("SparseSoftmaxCrossEntropyWithLogits")
class SparseSoftmaxCrossEntropyWithLogits(OpDef):
    """loss = -log_softmax(features)[label] along the last axis, and ``backprop``, its gradient
    with respect to features (softmax - one_hot(labels)). Labels outside [0, classes) are an
    error when the op runs."""

    grad_examples = [GradExample([(4, 3), np.array([0, 2, 1, 2], np.int32)]),
                     GradExample([(2, 2, 3), np.array([[0, 1], [2, 2]], np.int64)])]

    def infer(self, features: Tensor, labels: Tensor) -> list:
        check_dtype(self.type, "features", features, FLOATS)
        check_dtype(self.type, "labels", labels, INDEX)
        _check_rank_at_least(features, 1)
        dims, label_dims = features.shape.as_tuple(), labels.shape.as_tuple()
        if dims is not None and label_dims is not None and len(label_dims) != len(dims) - 1:
            raise ValueError(f"Rank mismatch: Rank of labels (received {len(label_dims)}) "
                             f"should equal rank of logits minus 1 (received {len(dims)})")
        if dims is None:
            return [(features.dtype.base_dtype, labels.shape), (features.dtype.base_dtype, None)]
        if not labels.shape.is_compatible_with(dims[:-1]):
            raise ValueError(f"Shape mismatch: The shape of labels (received {labels.shape}) "
                             "should equal the shape of logits except for the last dimension "
                             f"(received {features.shape})")
        batch = labels.shape.merge_with(dims[:-1])
        return [(features.dtype.base_dtype, batch),
                (features.dtype.base_dtype, list(batch.as_tuple()) + [dims[-1]])]

    def kernel(self, op: Any) -> Any:
        def sparse_softmax_xent(features: np.ndarray, labels: np.ndarray) -> tuple:
            if np.shape(labels) != np.shape(features)[:-1]:
                raise ValueError("logits and labels must have the same first dimension, got "
                                 f"logits shape {list(np.shape(features))} and labels shape "
                                 f"{list(np.shape(labels))}")
            classes = np.shape(features)[-1]
            outside = (labels < 0) | (labels >= classes)
            if np.any(outside):
                raise ValueError(
                    f"Received a label value of {np.asarray(labels)[outside].flat[0]} which is "
                    f"outside the valid range of [0, {classes}).  Label values: "
                    + " ".join(str(v) for v in np.ravel(labels)))
            shifted, exp, sum_exp = _xent_stats(features)
            index = np.expand_dims(labels, -1)
            picked = np.take_along_axis(shifted, index, axis=-1)
            loss = (np.log(sum_exp) - picked)[..., 0]
            exp /= sum_exp  # now the softmax, and below the backprop
            np.put_along_axis(exp, index, np.take_along_axis(exp, index, -1) - 1, -1)
            return loss, exp

        return sparse_softmax_xent

    def grad(self, op: Any, grad_loss: Tensor, grad_backprop: Tensor) -> list:
        logits = op.inputs[0]
        grad_logits = math_ops.multiply(array_ops.expand_dims(grad_loss, -1), op.outputs[1])
        if not _is_zero(grad_backprop):  # backprop = softmax(logits) - one_hot(labels)
            grad_logits = math_ops.add(grad_logits, _softmax_jvp(grad_backprop, softmax(logits)))
        return [grad_logits, None]


@register("SigmoidCrossEntropyWithLogits")
class SigmoidCrossEntropyWithLogits(OpDef):
    """max(x, 0) - x * z + log(1 + exp(-|x|)) for logits x and labels z of one shape: the
    logistic loss, without overflow for any x. (TF1 composes it from several ops.)"""

    grad_examples = [GradExample([(2, 3), (2, 3)]), GradExample([(), ()])]

    def infer(self, logits: Tensor, labels: Tensor) -> tuple:
        check_same_dtype(self.type, logits, labels, ("logits", "labels"))
        check_dtype(self.type, "logits", logits, FLOATS)
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError(f"logits and labels must have the same shape ({logits.shape} vs "
                             f"{labels.shape})")
        return logits.dtype.base_dtype, logits.shape.merge_with(labels.shape)

    def kernel(self, op: Any) -> Any:
        zero = _np_type(op)(0)

        def sigmoid_xent(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
            if np.shape(logits) != np.shape(labels):
                raise ValueError(f"logits and labels must have the same shape "
                                 f"({list(np.shape(logits))} vs {list(np.shape(labels))})")
            return np.logaddexp(zero, logits) - logits * labels  # softplus(x) - x * z

        return sigmoid_xent

    def grad(self, op: Any, grad: Tensor) -> list:
        logits, labels = op.inputs
        return [math_ops.multiply(grad, math_ops.subtract(math_ops.sigmoid(logits), labels)),
                math_ops.multiply(grad, math_ops.negative(logits))]


def _ensure_named(function: str, sentinel: Any, labels: Any, logits: Any) -> None:
    """TF1's check that a cross-entropy was called with ``labels=`` and ``logits=``."""
    if sentinel is not None:
        raise ValueError(f"Only call `{function}` with named arguments (labels=..., "
                         "logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")


def _precise(logits: Tensor) -> Tensor:
    """float16 logits are computed in float32, as TF1 does."""
    return math_ops.cast(logits, dtypes.float32) if logits.dtype == dtypes.float16 else logits


def _back_to(loss: Tensor, logits: Tensor) -> Tensor:
    return math_ops.cast(loss, logits.dtype.base_dtype)


def softmax_cross_entropy_with_logits_v2(labels: Any, logits: Any, axis: int | None = None,
                                         name: str | None = None,
                                         dim: int | None = None) -> Tensor:
    """``tf.nn.softmax_cross_entropy_with_logits_v2``: -sum(labels * log_softmax(logits))
    along ``axis``, by one fused, stable op; gradients flow into logits and labels."""
    axis = _axis_argument(axis, dim)
    axis = -1 if axis is None else int(axis)
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        precise = _precise(logits)
        labels = math_ops.cast(convert_to_tensor(labels, name="labels"), precise.dtype)
        if labels.shape.ndims is not None and labels.shape.ndims != logits.shape.ndims:
            # TF1 flattens both to [examples, classes]: labels [1, ?, 7] fit logits [?, 7]
            labels = array_ops.reshape(labels, array_ops.shape(precise))
        axis = _inner_axis(axis, logits, "softmax_cross_entropy_with_logits")
        if axis is not None:  # move the class axis to the end; the loss keeps the other axes
            perm = [i for i in range(logits.shape.ndims) if i != axis] + [axis]
            precise = array_ops.transpose(precise, perm)
            labels = array_ops.transpose(labels, perm)
        loss = _outputs("SoftmaxCrossEntropyWithLogits", [precise, labels], scope)[0]
        return _back_to(loss, logits)


def softmax_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None,
                                      logits: Any = None, dim: int = -1,
                                      name: str | None = None,
                                      axis: int | None = None) -> Tensor:
    """``tf.nn.softmax_cross_entropy_with_logits`` (deprecated in TF1): as the ``_v2``, but
    labels are treated as constants (no gradient flows into them)."""
    _ensure_named("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    warnings.warn(
        "softmax_cross_entropy_with_logits (from graphflow.ops.nn_ops) is deprecated and will "
        "be removed in a future version.\nInstructions for updating:\n\nFuture major versions "
        "of TensorFlow will allow gradients to flow\ninto the labels input on backprop by "
        "default.\n\nSee `tf.nn.softmax_cross_entropy_with_logits_v2`.\n",
        FutureWarning, stacklevel=2)
    dim = dim if axis is None else axis
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=dim,
                                                name=scope)


def sparse_softmax_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None,
                                             logits: Any = None,
                                             name: str | None = None) -> Tensor:
    """``tf.nn.sparse_softmax_cross_entropy_with_logits``: -log_softmax(logits)[labels] for
    integer class ids, by one fused, stable op; ids outside [0, classes) fail at run time."""
    _ensure_named("sparse_softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        if logits.shape.ndims == 0:
            raise ValueError(f"Logits cannot be scalars - received shape {logits.shape}.")
        loss = _outputs("SparseSoftmaxCrossEntropyWithLogits", [_precise(logits), labels],
                        name or "SparseSoftmaxCrossEntropyWithLogits")[0]
        return _back_to(loss, logits)


def sigmoid_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None,
                                      logits: Any = None, name: str | None = None) -> Tensor:
    """``tf.nn.sigmoid_cross_entropy_with_logits``: the logistic loss of each logit against its
    label in [0, 1], computed as max(x, 0) - x * z + log(1 + exp(-|x|)) so it never
    overflows."""
    _ensure_named("sigmoid_cross_entropy_with_logits", _sentinel, labels, logits)
    logits, labels = math_ops.binary_operands(logits, labels)
    return build_op("SigmoidCrossEntropyWithLogits", [logits, labels], name or "logistic_loss")


def weighted_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                       pos_weight: Any = None, name: str | None = None,
                                       targets: Any = None) -> Tensor:
    """``tf.nn.weighted_cross_entropy_with_logits``: the logistic loss with positive examples
    weighted by ``pos_weight`` (recall against precision); ``targets`` is TF1's old name for
    ``labels``."""
    if labels is not None and targets is not None:
        raise ValueError("Cannot specify both 'labels' and 'targets'.")
    labels = targets if labels is None else labels
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits, labels = math_ops.binary_operands(logits, labels)
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError(f"logits and targets must have the same shape ({logits.shape} vs "
                             f"{labels.shape})")
        labels, pos_weight = math_ops.binary_operands(labels, pos_weight)
        # (1 - z) * x + (1 + (q - 1) * z) * softplus(-x), stable for any x
        log_weight = math_ops.add(1.0, math_ops.multiply(math_ops.subtract(pos_weight, 1.0),
                                                         labels))
        return math_ops.add(math_ops.multiply(math_ops.subtract(1.0, labels), logits),
                            math_ops.multiply(log_weight, softplus(math_ops.negative(logits))),
                            name=scope)


# -- bias_add ------------------------------------------------------------------------------
def _channel_axis(data_format: str, rank: int) -> int:
    return 1 if data_format == "NCHW" else rank - 1


@register("BiasAdd")
class BiasAdd(OpDef):
    """value + bias, the 1-D bias added along the channel dimension (the last one for
    ``NHWC``, dimension 1 for ``NCHW``)."""

    attrs = {"data_format": "NHWC"}
    grad_examples = [GradExample([(3, 4), (4,)]), GradExample([(2, 3, 2), (2,)]),
                     GradExample([(2, 3, 2), (3,)], {"data_format": "NCHW"})]

    def infer(self, value: Tensor, bias: Tensor, *, data_format: str) -> tuple:
        check_same_dtype(self.type, value, bias, ("value", "bias"))
        check_dtype(self.type, "value", value, NUMERIC)
        check_rank(bias, 1)
        _check_rank_at_least(value, 3 if data_format == "NCHW" else 2)
        dims = value.shape.as_tuple()
        if dims is None:
            return value.dtype.base_dtype, None
        axis = _channel_axis(data_format, len(dims))
        channels, biases = dims[axis], bias.shape.as_tuple()[0]
        if channels is not None and biases is not None and channels != biases:
            raise ValueError(f"Dimensions must be equal, but are {channels} and {biases}")
        out = list(dims)
        out[axis] = channels if channels is not None else biases
        return value.dtype.base_dtype, out

    def kernel(self, op: Any) -> Any:
        data_format = op.attrs["data_format"]

        def bias_add_kernel(value: np.ndarray, bias: np.ndarray) -> np.ndarray:
            axis = _channel_axis(data_format, np.ndim(value))
            if np.shape(bias)[0] != np.shape(value)[axis]:
                raise ValueError(f"Must provide as many biases as the channel dimension of the "
                                 f"input tensor: {list(np.shape(bias))} vs. "
                                 f"{list(np.shape(value))}")
            return value + bias.reshape((-1,) + (1,) * (np.ndim(value) - 1 - axis))

        return bias_add_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        bias_grad = build_op("BiasAddGrad", [grad], "BiasAddGrad", dict(op.attrs))
        return [grad, bias_grad]


@register("BiasAddGrad")
class BiasAddGrad(OpDef):
    """The sum of ``out_backprop`` over all but the channel dimension: BiasAdd's bias
    gradient."""

    attrs = {"data_format": "NHWC"}
    grad_examples = [GradExample([(3, 4)]), GradExample([(2, 3, 2)], {"data_format": "NCHW"})]

    def infer(self, out_backprop: Tensor, *, data_format: str) -> tuple:
        check_dtype(self.type, "out_backprop", out_backprop, NUMERIC)
        _check_rank_at_least(out_backprop, 3 if data_format == "NCHW" else 2)
        dims = out_backprop.shape.as_tuple()
        channels = None if dims is None else dims[_channel_axis(data_format, len(dims))]
        return out_backprop.dtype.base_dtype, [channels]

    def kernel(self, op: Any) -> Any:
        data_format = op.attrs["data_format"]
        np_type = _np_type(op)

        def bias_add_grad(out_backprop: np.ndarray) -> np.ndarray:
            rank = np.ndim(out_backprop)
            channel = _channel_axis(data_format, rank)
            axes = tuple(i for i in range(rank) if i != channel)
            return sum_over(out_backprop, axes, dtype=np_type)

        return bias_add_grad

    def grad(self, op: Any, grad: Tensor) -> list:
        out_backprop = op.inputs[0]  # the gradient of a sum: grad broadcast along the channels
        return [build_op("BiasAdd", [array_ops.zeros_like(out_backprop), grad], "BiasAdd",
                    dict(op.attrs))]


def bias_add(value: Any, bias: Any, data_format: str | None = None,
             name: str | None = None) -> Tensor:
    """``tf.nn.bias_add``: adds the 1-D ``bias`` along the channel dimension of ``value``
    (the last one, or dimension 1 for ``data_format="NC..."``)."""
    if data_format is not None and data_format.startswith("NC"):
        data_format = "NCHW"
    elif data_format is None or (data_format.startswith("N") and data_format.endswith("C")):
        data_format = "NHWC"
    else:
        raise ValueError(f"data_format must be of the form `N...C` or `NC...`, got "
                         f"{data_format!r}")
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return build_op("BiasAdd", [value, bias], scope, {"data_format": data_format})


def xw_plus_b(x: Any, weights: Any, biases: Any, name: str | None = None) -> Tensor:
    """``tf.nn.xw_plus_b``: matmul(x, weights) + biases, the affine layer."""
    with name_scope(name, "xw_plus_b", [x, weights, biases]) as scope:
        return bias_add(math_ops.matmul(x, weights), biases, name=scope)


# -- losses and normalization ----------------------------------------------------------------
@register("L2Loss")
class L2Loss(OpDef):
    """sum(t ** 2) / 2, a scalar."""

    grad_examples = [GradExample([(2, 3)]), GradExample([()])]

    def infer(self, t: Tensor) -> tuple:
        check_dtype(self.type, "t", t, FLOATS)
        return t.dtype.base_dtype, []

    def kernel(self, op: Any) -> Any:
        half = _np_type(op)(0.5)

        def l2_loss_kernel(t: np.ndarray) -> Any:
            flat = t.ravel()
            return np.dot(flat, flat) * half

        return l2_loss_kernel

    def grad(self, op: Any, grad: Tensor) -> list:
        return [math_ops.multiply(op.inputs[0], grad)]


def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """``tf.nn.l2_loss``: sum(t ** 2) / 2, the usual weight-decay penalty."""
    return build_op("L2Loss", [convert_to_tensor(t)], name or "L2Loss")


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: str | None = None,
                 dim: Any = None) -> Tensor:
    """``tf.nn.l2_normalize``: x / sqrt(max(sum(x ** 2, axis), epsilon)), so that the slices
    along ``axis`` (all axes when None) have unit norm."""
    axis = _axis_argument(axis, dim)
    with name_scope(name, "l2_normalize", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        square_sum = math_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
        x_inv_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(x, x_inv_norm, name=scope)


def batch_normalization(x: Any, mean: Any, variance: Any, offset: Any, scale: Any,
                        variance_epsilon: float, name: str | None = None) -> Tensor:
    """``tf.nn.batch_normalization``: ``(x - mean) / sqrt(variance + epsilon) * scale +
    offset``, built from ordinary ops as TF1 builds it (``offset``/``scale`` may be None)."""
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        x = convert_to_tensor(x)
        inv = math_ops.rsqrt(math_ops.add(convert_to_tensor(variance, dtype=x.dtype.base_dtype),
                                          variance_epsilon))
        if scale is not None:
            inv = math_ops.multiply(inv, convert_to_tensor(scale, dtype=x.dtype.base_dtype))
        shift = math_ops.multiply(convert_to_tensor(mean, dtype=x.dtype.base_dtype), inv)
        if offset is not None:
            shift = math_ops.subtract(convert_to_tensor(offset, dtype=x.dtype.base_dtype), shift)
        else:
            shift = math_ops.negative(shift)
        return math_ops.add(math_ops.multiply(x, inv), shift)


def moments(x: Any, axes: Any, shift: Any = None, name: str | None = None,
            keep_dims: bool | None = None, keepdims: bool | None = None) -> tuple:
    """``tf.nn.moments``: the mean and (biased) variance of ``x`` over ``axes``, as used by
    batch normalization; ``shift`` is accepted and unused, as in TF1."""
    if keep_dims is not None and keepdims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    keep = bool(keep_dims if keepdims is None else keepdims)
    with name_scope(name, "moments", [x, axes]):
        x = convert_to_tensor(x)
        y = math_ops.cast(x, dtypes.float32) if x.dtype == dtypes.float16 else x
        mean = math_ops.reduce_mean(y, axes, keepdims=True, name="mean")
        # the gradient through the mean in the variance is zero: stop it, as TF1 does
        variance = math_ops.reduce_mean(
            math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes, keepdims=True,
            name="variance")
        if not keep:
            mean = array_ops.squeeze(mean, axes)
            variance = array_ops.squeeze(variance, axes)
        return math_ops.cast(mean, x.dtype), math_ops.cast(variance, x.dtype)


# -- dropout -------------------------------------------------------------------------------
def _static_number(value: Any) -> float | None:
    """A Python number, or the value of a constant scalar tensor, else None."""
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, Tensor):
        known = constant_value(value)
        if known is not None and np.ndim(known) == 0:
            return float(known)
    return None


def _noise_shape(x: Tensor, noise_shape: Any) -> Any:
    """TF1's noise shape: ``shape(x)`` by default; None entries take x's known dims."""
    if noise_shape is None:
        return array_ops.shape(x)
    if isinstance(noise_shape, (list, tuple)) and x.shape.ndims == len(noise_shape):
        return [d if d is not None else x_dim
                for d, x_dim in zip(noise_shape, x.shape.as_tuple())]
    return noise_shape


def dropout(x: Any, keep_prob: Any = None, noise_shape: Any = None, seed: int | None = None,
            name: str | None = None, rate: Any = None) -> Tensor:
    """``tf.nn.dropout``: keeps each element with probability ``keep_prob`` (or 1 - ``rate``,
    TF1.15's spelling) scaled by 1 / keep_prob, and zeroes the rest, so the expected sum is
    unchanged. ``keep_prob`` may be a tensor (a placeholder fed 1.0 to evaluate)."""
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'rate' and 'keep_prob'.")
    if keep_prob is None and rate is None:
        raise ValueError("You must provide a rate to dropout.")
    known_keep = _static_number(keep_prob)
    known_rate = _static_number(rate)
    if keep_prob is not None and known_keep is not None and not 0 < known_keep <= 1:
        raise ValueError("keep_prob must be a scalar tensor or a float in the range (0, 1], "
                         f"got {known_keep:g}")
    if rate is not None and known_rate is not None and not 0 <= known_rate < 1:
        raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), got "
                         f"{known_rate:g}")
    with name_scope(name, "dropout", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("x has to be a floating point tensor since it's going to be "
                             f"scaled. Got a {x.dtype.name} tensor instead.")
        if known_keep == 1 or known_rate == 0:
            return x
        if keep_prob is None:
            keep_prob = math_ops.subtract(1.0, convert_to_tensor(rate, dtype=x.dtype,
                                                                 name="rate"))
        keep_prob = convert_to_tensor(keep_prob, dtype=x.dtype, name="keep_prob")
        if not keep_prob.shape.is_compatible_with([]):
            raise ValueError(f"keep_prob must be a scalar, got shape {keep_prob.shape}")
        noise = random_ops.random_uniform(_noise_shape(x, noise_shape), seed=seed,
                                          dtype=x.dtype)
        kept = math_ops.cast(math_ops.less(noise, keep_prob), x.dtype)  # P(kept) = keep_prob
        out = math_ops.multiply(math_ops.real_div(x, keep_prob), kept, name=scope)
        out.set_shape(x.shape)
        return out


# -- top-k -----------------------------------------------------------------------------------
TopKV2Result = collections.namedtuple("TopKV2", ["values", "indices"])


@register("TopKV2")
class TopKV2(OpDef):
    """The ``k`` largest entries along the last axis, in descending order (ties: lower index
    first), and their int32 indices."""

    attrs = {"sorted": True}
    grad_examples = [GradExample([(3, 5), np.array(2, np.int32)]),
                     GradExample([(6,), np.array(6, np.int32)])]

    def infer(self, x: Tensor, k: Tensor, *, sorted: bool) -> list:  # noqa: A002 - TF1's attr
        check_dtype(self.type, "input", x, NUMERIC)
        check_dtype(self.type, "k", k, frozenset({dtypes.int32}))
        check_rank(k, 0)
        _check_rank_at_least(x, 1)
        known_k = constant_value(k)
        if known_k is not None and known_k < 0:
            raise ValueError(f"Need k >= 0, got {int(known_k)}")
        dims = x.shape.as_tuple()
        if dims is None:
            return [(x.dtype.base_dtype, None), (dtypes.int32, None)]
        if known_k is not None and dims[-1] is not None and dims[-1] < known_k:
            raise ValueError(f"input must have last dimension >= k = {int(known_k)} but is "
                             f"{dims[-1]}")
        out = list(dims[:-1]) + [None if known_k is None else int(known_k)]
        return [(x.dtype.base_dtype, out), (dtypes.int32, out)]

    def kernel(self, op: Any) -> Any:
        floating = op.inputs[0].dtype.is_floating

        def top_k_kernel(x: np.ndarray, k: Any) -> tuple:
            x = np.asarray(x)
            if not 0 <= k <= x.shape[-1]:
                raise ValueError(f"input must have at least k columns (k >= 0). Had "
                                 f"{x.shape[-1]}, needed {k}")
            descending = -x if floating else ~x  # ~ reverses integer order without overflow
            indices = np.argsort(descending, axis=-1, kind="stable")[..., :k]
            return np.take_along_axis(x, indices, -1), indices.astype(np.int32)

        return top_k_kernel

    def grad(self, op: Any, grad_values: Tensor, grad_indices: Any = None) -> list:
        x, indices = op.inputs[0], op.outputs[1]
        depth = x.shape.as_tuple() and x.shape.as_tuple()[-1]
        if depth is None:
            depth = array_ops.shape(x)[-1]
        positions = array_ops.one_hot(indices, depth, dtype=grad_values.dtype)  # [..., k, n]
        spread = math_ops.multiply(array_ops.expand_dims(grad_values, -1), positions)
        return [math_ops.reduce_sum(spread, -2), None]


def top_k(input: Any, k: Any = 1, sorted: bool = True,  # noqa: A002 - TF1's names
          name: str | None = None) -> TopKV2Result:
    """``tf.nn.top_k``: the ``k`` largest entries of the last axis and their indices, as a
    ``(values, indices)`` named tuple; values are sorted in descending order."""
    x = convert_to_tensor(input)
    values, indices = _outputs("TopKV2", [x, convert_to_tensor(k, dtype=dtypes.int32)],
                               name or "TopKV2", {"sorted": sorted})
    return TopKV2Result(values, indices)


@register("InTopKV2")
class InTopKV2(OpDef):
    """Whether each target's prediction is among the ``k`` largest of its row (ties with the
    k-th value count as in); False where a prediction in the row is not finite or the target
    is out of range."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, predictions: Tensor, targets: Tensor, k: Tensor) -> tuple:
        check_dtype(self.type, "predictions", predictions, frozenset({dtypes.float32}))
        check_dtype(self.type, "targets", targets, INDEX)
        check_same_dtype(self.type, targets, k, ("targets", "k"))
        check_rank(predictions, 2)
        check_rank(targets, 1)
        check_rank(k, 0)
        batch = predictions.shape[:1] if predictions.shape.ndims is not None else [None]
        if not targets.shape.is_compatible_with(batch):
            raise ValueError(f"Dimensions must be equal, but are {batch[0]} and "
                             f"{targets.shape[0]}")
        return dtypes.bool, targets.shape.merge_with(batch)

    def kernel(self, op: Any) -> Any:
        def in_top_k_kernel(predictions: np.ndarray, targets: np.ndarray, k: Any) -> np.ndarray:
            batch, classes = np.shape(predictions)
            if np.shape(targets) != (batch,):
                raise ValueError(f"First dimension of predictions {batch} must match length "
                                 f"of targets {np.shape(targets)[0]}")
            valid = (targets >= 0) & (targets < classes)
            target_values = predictions[np.arange(batch), np.where(valid, targets, 0)]
            larger = np.count_nonzero(predictions > target_values[:, None], axis=1)
            finite = np.isfinite(predictions).all(axis=1)
            return valid & finite & (larger < k)

        return in_top_k_kernel


def in_top_k(predictions: Any, targets: Any, k: Any, name: str | None = None) -> Tensor:
    """``tf.nn.in_top_k``: for each row, whether ``predictions[i, targets[i]]`` is among the
    ``k`` largest predictions of the row (top-k accuracy)."""
    with name_scope(name, "in_top_k"):
        predictions = convert_to_tensor(predictions)
        targets = convert_to_tensor(targets)
        k = convert_to_tensor(k, dtype=targets.dtype.base_dtype)
        return build_op("InTopKV2", [predictions, targets, k], name or "InTopKV2")


# -- embedding lookup ------------------------------------------------------------------------
def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod",
                     name: str | None = None, validate_indices: bool = True,
                     max_norm: float | None = None) -> Tensor:
    """``tf.nn.embedding_lookup``: the rows ``params[ids]`` (any shape of ids), whose gradient
    adds up the contributions of repeated ids; ``max_norm`` clips each row's L2 norm."""
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise ValueError("embedding_lookup over several partitioned params tensors is not "
                             f"supported; got {len(params)} (concatenate them first)")
        params = params[0]
    with name_scope(name, "embedding_lookup", [params, ids]) as scope:
        params = convert_to_tensor(params, name="params")
        ids = convert_to_tensor(ids, name="ids")
        result = array_ops.gather(params, ids)
        if max_norm is not None:
            ids_rank, rows_rank = ids.shape.ndims, result.shape.ndims
            if ids_rank is None or rows_rank is None:
                raise ValueError("embedding_lookup with max_norm needs ids and params of known "
                                 "rank")
            result = math_ops.clip_by_norm(result, max_norm,
                                           axes=list(range(ids_rank, rows_rank)))
        return array_ops.identity(result, name=scope)
