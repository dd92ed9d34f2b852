"""``tf.losses``: TF1's loss functions, their weighting and reductions, and the loss collections.

Each loss computes per-element losses and hands them to :func:`compute_weighted_loss`, which
multiplies them by ``weights`` (a scalar, or a tensor of the losses' rank whose dimensions are 1
or equal to the losses'), reduces them as ``reduction`` says and adds the result to
``loss_collection``. As in TF1, the regression losses cast their inputs to float32 and the
cross-entropies keep the logits' dtype.
"""

from __future__ import annotations

from typing import Any

from graphflow.framework import dtypes
from graphflow.framework.graph import (
    GraphKeys,
    Tensor,
    add_to_collection,
    get_collection,
    name_scope,
)
from graphflow.ops import array_ops, math_ops, nn_ops
from graphflow.ops.constant_op import constant, convert_to_tensor


class Reduction:
    """``tf.losses.Reduction``: how :func:`compute_weighted_loss` reduces weighted losses.

    ``NONE`` keeps their shape; ``SUM`` adds them up; ``MEAN`` divides the sum by the sum of
    the weights; ``SUM_OVER_BATCH_SIZE`` by the number of elements; ``SUM_BY_NONZERO_WEIGHTS``
    (alias ``SUM_OVER_NONZERO_WEIGHTS``, TF1's default) by the number of non-zero weights.
    """

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple:
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE,
                cls.SUM_OVER_NONZERO_WEIGHTS, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key: str) -> None:
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


# -- weighting and reduction -----------------------------------------------------------------
def _check_broadcastable(weights: Tensor, values: Tensor) -> bool:
    """TF1's rule: ``weights`` is a scalar, or has the rank of ``values`` with each dimension 1
    or equal. ValueError when the static shapes break it; returns whether the shapes leave it
    open until run time."""
    w_dims, v_dims = weights.shape.as_tuple(), values.shape.as_tuple()
    if w_dims is None or v_dims is None:
        return True
    if not w_dims:
        return False
    if len(w_dims) != len(v_dims):
        raise ValueError(f"weights can not be broadcast to values. values.rank={len(v_dims)}. "
                         f"weights.rank={len(w_dims)}. values.shape={values.shape}. "
                         f"weights.shape={weights.shape}.")
    open_dims = False
    for i, (w, v) in enumerate(zip(w_dims, v_dims)):
        if w is not None and v is not None and w not in (1, v):
            raise ValueError(f"weights can not be broadcast to values. Mismatch at dim {i}. "
                             f"values.shape={values.shape}, weights.shape={weights.shape}.")
        # only a values dimension that may be 1 at run time can be broadcast up by weights
        open_dims |= w != 1 and v in (None, 1)
    return open_dims


def _as_float(value: Any, dtype: dtypes.DType) -> Tensor:
    """A tensor cast to ``dtype``, or a Python value converted straight to it."""
    if isinstance(value, Tensor) or hasattr(value, "_as_graph_tensor"):
        return math_ops.cast(value, dtype)
    return convert_to_tensor(value, dtype=dtype)


def _safe_div(numerator: Tensor, denominator: Tensor) -> Tensor:
    """numerator / denominator, or 0 where the denominator is 0 (TF1's ``div_no_nan``)."""
    is_zero = math_ops.equal(denominator, 0.0)
    safe = array_ops.where(is_zero, array_ops.ones_like(denominator), denominator)
    return array_ops.where(is_zero, array_ops.zeros_like(numerator),
                           math_ops.real_div(numerator, safe), name="value")


def _num_elements(losses: Tensor) -> Tensor:
    with name_scope(None, "num_elements", [losses]) as scope:
        return math_ops.cast(array_ops.size(losses, name=scope), losses.dtype)


def _num_present(losses: Tensor, weights: Any, weights_tensor: Tensor) -> Tensor:
    """The number of losses with a non-zero weight (all of them for a non-zero float)."""
    if isinstance(weights, float) and weights != 0.0:
        return _num_elements(losses)
    with name_scope(None, "num_present", [losses, weights_tensor]) as scope:
        is_zero = math_ops.equal(weights_tensor, 0.0)
        present = array_ops.where(is_zero, array_ops.zeros_like(weights_tensor),
                                  array_ops.ones_like(weights_tensor))
        if not (present.shape.is_fully_defined() and losses.shape.is_fully_defined()
                and present.shape.is_compatible_with(losses.shape)):
            present = math_ops.multiply(present, array_ops.ones_like(losses))
        return math_ops.reduce_sum(present, name=scope)


def compute_weighted_loss(losses: Any, weights: Any = 1.0, scope: str | None = None,
                          loss_collection: str | None = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.compute_weighted_loss``: ``losses * weights`` reduced as ``reduction`` says
    (by default: summed and divided by the number of non-zero weights) and added to
    ``loss_collection``. The result has the losses' dtype; float64 losses are reduced in
    float64 (TF1 rounds them through float32), all others in float32."""
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", [losses, weights]):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype.base_dtype
        dtype = dtypes.float64 if input_dtype == dtypes.float64 else dtypes.float32
        losses = math_ops.cast(losses, dtype)
        weights_tensor = _as_float(weights, dtype)
        open_at_run_time = _check_broadcastable(weights_tensor, losses)
        weighted = math_ops.multiply(losses, weights_tensor)
        if open_at_run_time:  # fails at run time if weights enlarged the losses by broadcasting
            weighted = array_ops.reshape(weighted, array_ops.shape(losses))
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = math_ops.reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                total_weight = math_ops.reduce_sum(
                    math_ops.multiply(array_ops.ones_like(losses), weights_tensor))
                loss = _safe_div(loss, total_weight)
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = _safe_div(loss, _num_present(losses, weights, weights_tensor))
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = _safe_div(loss, _num_elements(losses))
        loss = math_ops.cast(loss, input_dtype)
        add_loss(loss, loss_collection)
        return loss


# -- the losses ------------------------------------------------------------------------------
def _require(**arguments: Any) -> None:
    for name, value in arguments.items():
        if value is None:
            raise ValueError(f"{name} must not be None.")


def _float32_pair(predictions: Any, labels: Any) -> tuple[Tensor, Tensor]:
    """Both cast to float32 (TF1's ``to_float``), with shapes that must agree exactly."""
    predictions = math_ops.cast(convert_to_tensor(predictions), dtypes.float32)
    labels = math_ops.cast(convert_to_tensor(labels), dtypes.float32)
    predictions.shape.assert_is_compatible_with(labels.shape)
    return predictions, labels


def absolute_difference(labels: Any, predictions: Any, weights: Any = 1.0,
                        scope: str | None = None, loss_collection: str | None = GraphKeys.LOSSES,
                        reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.absolute_difference``: the weighted |predictions - labels| (L1 loss)."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "absolute_difference", [predictions, labels, weights]) as scope:
        predictions, labels = _float32_pair(predictions, labels)
        losses = math_ops.abs(math_ops.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def mean_squared_error(labels: Any, predictions: Any, weights: Any = 1.0,
                       scope: str | None = None, loss_collection: str | None = GraphKeys.LOSSES,
                       reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.mean_squared_error``: the weighted (predictions - labels) ** 2."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "mean_squared_error", [predictions, labels, weights]) as scope:
        predictions, labels = _float32_pair(predictions, labels)
        losses = math_ops.squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def huber_loss(labels: Any, predictions: Any, weights: Any = 1.0, delta: float = 1.0,
               scope: str | None = None, loss_collection: str | None = GraphKeys.LOSSES,
               reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.huber_loss``: 0.5 * e ** 2 for |e| <= delta, else delta * (|e| - delta / 2):
    squared error that grows only linearly for outliers."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "huber_loss", [predictions, labels, weights]) as scope:
        predictions, labels = _float32_pair(predictions, labels)
        abs_error = math_ops.abs(math_ops.subtract(predictions, labels))
        quadratic = math_ops.minimum(abs_error, delta)
        linear = math_ops.subtract(abs_error, quadratic)  # max(|e| - delta, 0), exactly
        losses = math_ops.add(math_ops.multiply(0.5, math_ops.multiply(quadratic, quadratic)),
                              math_ops.multiply(delta, linear))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def log_loss(labels: Any, predictions: Any, weights: Any = 1.0, epsilon: float = 1e-7,
             scope: str | None = None, loss_collection: str | None = GraphKeys.LOSSES,
             reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.log_loss``: the cross-entropy of probabilities ``predictions`` against
    binary ``labels``; ``epsilon`` keeps the logs finite at 0 and 1."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "log_loss", [predictions, labels, weights]) as scope:
        predictions, labels = _float32_pair(predictions, labels)
        positive = math_ops.multiply(labels, math_ops.log(math_ops.add(predictions, epsilon)))
        negative = math_ops.multiply(
            math_ops.subtract(1.0, labels),
            math_ops.log(math_ops.add(math_ops.subtract(1.0, predictions), epsilon)))
        losses = math_ops.subtract(math_ops.negative(positive), negative)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def hinge_loss(labels: Any, logits: Any, weights: Any = 1.0, scope: str | None = None,
               loss_collection: str | None = GraphKeys.LOSSES,
               reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.hinge_loss``: max(0, 1 - y * logits) with labels 0/1 mapped to y = -1/+1,
    the SVM loss."""
    _require(labels=labels, logits=logits)
    with name_scope(scope, "hinge_loss", [logits, labels, weights]) as scope:
        logits, labels = _float32_pair(logits, labels)
        all_ones = array_ops.ones_like(labels)
        signs = math_ops.subtract(math_ops.multiply(2.0, labels), all_ones)
        losses = nn_ops.relu(math_ops.subtract(all_ones, math_ops.multiply(signs, logits)))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def _labels_like(labels: Any, logits: Tensor) -> Tensor:
    """Labels cast to the logits' dtype, with a shape that must agree with theirs."""
    labels = math_ops.cast(convert_to_tensor(labels), logits.dtype.base_dtype)
    logits.shape.assert_is_compatible_with(labels.shape)
    return labels


def sigmoid_cross_entropy(multi_class_labels: Any, logits: Any, weights: Any = 1.0,
                          label_smoothing: float = 0, scope: str | None = None,
                          loss_collection: str | None = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.sigmoid_cross_entropy``: the weighted logistic loss of independent binary
    labels; ``label_smoothing`` pulls the labels towards 1/2."""
    _require(multi_class_labels=multi_class_labels, logits=logits)
    with name_scope(scope, "sigmoid_cross_entropy_loss",
                    [logits, multi_class_labels, weights]) as scope:
        logits = convert_to_tensor(logits)
        labels = _labels_like(multi_class_labels, logits)
        if label_smoothing > 0:
            labels = math_ops.add(math_ops.multiply(labels, 1 - label_smoothing),
                                  0.5 * label_smoothing)
        losses = nn_ops.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                          name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels: Any, logits: Any, weights: Any = 1.0,
                          label_smoothing: float = 0, scope: str | None = None,
                          loss_collection: str | None = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.softmax_cross_entropy``: the weighted softmax cross-entropy of one-hot (or
    probability) labels, which get no gradient; ``label_smoothing`` spreads that much of each
    label's mass evenly over the classes."""
    _require(onehot_labels=onehot_labels, logits=logits)
    with name_scope(scope, "softmax_cross_entropy_loss",
                    [logits, onehot_labels, weights]) as scope:
        logits = convert_to_tensor(logits)
        labels = _labels_like(onehot_labels, logits)
        if label_smoothing > 0:
            classes = labels.shape.as_tuple() and labels.shape.as_tuple()[-1]
            if classes is None:
                classes = math_ops.cast(array_ops.shape(labels)[-1], logits.dtype)
                negatives = math_ops.truediv(label_smoothing, classes)
            else:
                negatives = label_smoothing / classes
            labels = math_ops.add(math_ops.multiply(labels, 1.0 - label_smoothing), negatives)
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
        losses = nn_ops.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits,
                                                             name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def _remove_squeezable_dimensions(labels: Tensor, logits: Tensor, weights: Any) -> tuple:
    """TF1's fix-up for sparse labels: labels of shape [batch, 1] lose their last dimension,
    and so do weights one rank above the labels."""
    labels_rank, logits_rank = labels.shape.ndims, logits.shape.ndims
    if labels_rank is not None and logits_rank is not None:
        if labels_rank == logits_rank and labels.shape[-1].is_compatible_with(1):
            labels = array_ops.squeeze(labels, [-1])
    weights = convert_to_tensor(weights)
    if labels.shape.ndims is not None and weights.shape.ndims == labels.shape.ndims + 1:
        weights = array_ops.squeeze(weights, [-1])
    return labels, weights


def sparse_softmax_cross_entropy(labels: Any, logits: Any, weights: Any = 1.0,
                                 scope: str | None = None,
                                 loss_collection: str | None = GraphKeys.LOSSES,
                                 reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.sparse_softmax_cross_entropy``: the weighted softmax cross-entropy of
    integer class ids (shape [batch] or [batch, 1])."""
    _require(labels=labels, logits=logits)
    with name_scope(scope, "sparse_softmax_cross_entropy_loss",
                    [logits, labels, weights]) as scope:
        logits = convert_to_tensor(logits)
        labels, weights_tensor = _remove_squeezable_dimensions(convert_to_tensor(labels), logits,
                                                               weights)
        losses = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                                 name="xentropy")
        weights = weights if isinstance(weights, float) else weights_tensor
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


# -- the loss collections --------------------------------------------------------------------
def add_loss(loss: Tensor, loss_collection: str | None = GraphKeys.LOSSES) -> None:
    """``tf.losses.add_loss``: adds an externally defined loss to ``loss_collection``."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def get_losses(scope: str | None = None, loss_collection: str = GraphKeys.LOSSES) -> list:
    """``tf.losses.get_losses``: the losses in ``loss_collection`` (names matching ``scope``)."""
    return get_collection(loss_collection, scope)


def get_regularization_losses(scope: str | None = None) -> list:
    """``tf.losses.get_regularization_losses``: the ``REGULARIZATION_LOSSES`` collection."""
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope: str | None = None,
                            name: str = "total_regularization_loss") -> Tensor:
    """``tf.losses.get_regularization_loss``: the sum of the regularization losses, or 0.0
    when there are none."""
    losses = get_regularization_losses(scope)
    if losses:
        return math_ops.add_n(losses, name=name)
    return constant(0.0)


def get_total_loss(add_regularization_losses: bool = True, name: str = "total_loss",
                   scope: str | None = None) -> Tensor:
    """``tf.losses.get_total_loss``: the sum of the collected losses, plus the
    regularization losses unless ``add_regularization_losses`` is False."""
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    return math_ops.add_n(losses, name=name)
