"""Convolution and pooling ops on NHWC images (``tf.nn.conv2d``, ``conv2d_transpose``,
``depthwise_conv2d``, ``max_pool``, ``avg_pool``), each defined once with its gradient.

No kernel loops over pixels. A strided view of the padded input holds every window
(``as_strided``); a convolution, forward or backward, is one BLAS matrix product over those
windows (im2col); gradients for the input add window-shaped values back with one strided
addition per kernel offset (col2im). Padding follows TF1 exactly: "VALID" keeps only whole
windows, "SAME" gives ceil(size / stride) outputs and pads the odd row or column at the
bottom/right. The gradient ops are ops of their own with gradients, so second order works.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from graphflow.framework import dtypes
from graphflow.framework.graph import Tensor, get_default_graph, name_scope
from graphflow.framework.registry import GradExample, OpDef, register
from graphflow.framework.tensor_shape import TensorShape, format_dims
from graphflow.ops import array_ops, math_ops
from graphflow.ops.constant_op import constant_value_as_shape, convert_to_tensor
from graphflow.ops.op_util import (
    FLOATS,
    INDEX,
    NUMERIC,
    check_dtype,
    check_rank,
    check_same_dtype,
)

Dims = tuple  # four dims, each an int or None


def _op(op_type: str, inputs: list, name: str | None, attrs: dict) -> Tensor:
    return get_default_graph().create_op(op_type, inputs, attrs, name).outputs[0]


def _sibling(op_type: str, inputs: list, op: Any) -> Tensor:
    """An op of ``op_type`` with ``op``'s attributes: a gradient op of ``op``'s family."""
    return _op(op_type, inputs, op_type, dict(op.attrs))


# -- window geometry: TF1's padding arithmetic ---------------------------------------------
def _window(size: int, k: int, stride: int, dilation: int, padding: str) -> tuple:
    """(output size, padding before, padding after) along one spatial dimension."""
    span = (k - 1) * dilation + 1
    if padding == "VALID":
        if size < span:
            raise ValueError(f"Negative dimension size caused by subtracting {span} from {size}")
        return (size - span) // stride + 1, 0, 0
    out = -(-size // stride)
    pad = max((out - 1) * stride + span - size, 0)
    return out, pad // 2, pad - pad // 2


class _Geometry(NamedTuple):
    """Where the windows lie in one concrete input: per spatial dimension (rows, columns)."""

    kernel: tuple
    strides: tuple
    dilations: tuple
    out: tuple
    pads: tuple  # ((top, bottom), (left, right))


@functools.lru_cache(maxsize=512)
def _geometry(size: tuple, kernel: tuple, strides: tuple, dilations: tuple,
              padding: str) -> _Geometry:
    rows, cols = (_window(*args, padding) for args in zip(size, kernel, strides, dilations))
    return _Geometry(kernel, strides, dilations, (rows[0], cols[0]), (rows[1:], cols[1:]))


def _static_spatial(size: tuple, kernel: tuple, attrs: dict) -> tuple:
    """The output's (height, width) at build time; None where an input dim is unknown."""
    return tuple(
        None if n is None or k is None else _window(n, k, s, d, attrs["padding"])[0]
        for n, k, s, d in zip(size, kernel, _spatial(attrs["strides"]),
                              _spatial(attrs.get("dilations", (1, 1, 1, 1))))
    )


def _spatial(four: tuple) -> tuple:
    return tuple(four[1:3])


def _pad(x: np.ndarray, g: _Geometry, value: Any) -> np.ndarray:
    """``x`` padded as ``g`` says with ``value`` (``x`` itself when no padding is needed)."""
    (top, bottom), (left, right) = g.pads
    if not (top or bottom or left or right):
        return x
    n, h, w, c = x.shape
    out = np.full((n, h + top + bottom, w + left + right, c), value, dtype=x.dtype)
    out[:, top:top + h, left:left + w] = x
    return out


def _windows(padded: np.ndarray, g: _Geometry) -> np.ndarray:
    """A read-only view [batch, out_h, out_w, k_h, k_w, channels] of every window."""
    n, _, _, c = padded.shape
    sn, sh, sw, sc = padded.strides
    (rh, rw), (dh, dw) = g.strides, g.dilations
    return as_strided(padded, (n, *g.out, *g.kernel, c),
                      (sn, sh * rh, sw * rw, sh * dh, sw * dw, sc), writeable=False)


@functools.lru_cache(maxsize=512)
def _offsets(g: _Geometry) -> tuple:
    """(i, j, rows, cols) for each kernel offset in row-major order: ``padded[:, rows, cols]``
    is the [batch, out_h, out_w, channels] view of that offset in every window."""
    (oh, ow), (sh, sw), (dh, dw) = g.out, g.strides, g.dilations
    return tuple((i, j, slice(i * dh, i * dh + (oh - 1) * sh + 1, sh),
                  slice(j * dw, j * dw + (ow - 1) * sw + 1, sw))
                 for i in range(g.kernel[0]) for j in range(g.kernel[1]))


def _col2im(piece: Callable[[int, int], np.ndarray], shape: tuple, dtype: Any,
            g: _Geometry) -> np.ndarray:
    """The input-shaped sum of window values: ``piece(i, j)`` [batch, out_h, out_w, channels]
    is added where kernel offset (i, j) of every window lies; padding is cut off. Windows that
    tile the padded input exactly (a 2x2 pool with stride 2) each cover their elements once:
    the pieces are then stored, not added to zeros."""
    n, h, w, c = shape
    (top, bottom), (left, right) = g.pads
    padded = (h + top + bottom, w + left + right)
    tiled = (g.strides == g.kernel and g.dilations == (1, 1)
             and all(o * k == p for o, k, p in zip(g.out, g.kernel, padded)))
    out = (np.empty if tiled else np.zeros)((n, *padded, c), dtype)
    for i, j, rows, cols in _offsets(g):
        if tiled:
            out[:, rows, cols] = piece(i, j)
        else:
            out[:, rows, cols] += piece(i, j)
    return out[:, top:top + h, left:left + w]


def _reduce_windows(ufunc: np.ufunc, padded: np.ndarray, g: _Geometry) -> np.ndarray:
    """``ufunc`` (maximum, add) folded over each window, one kernel offset at a time."""
    offsets = iter(_offsets(g))
    _, _, rows, cols = next(offsets)
    out = padded[:, rows, cols].copy()
    for _, _, rows, cols in offsets:
        ufunc(out, padded[:, rows, cols], out=out)
    return out


# -- attribute checks ----------------------------------------------------------------------
def _get_sequence(value: Any, name: str) -> tuple:
    """TF1's ``_get_sequence``: an int or 1, 2 or 4 ints as the 4 NHWC values (batch and
    channel 1); None gives all ones."""
    if value is None:
        return (1, 1, 1, 1)
    values = [value] if np.ndim(value) == 0 else list(np.ravel(value))
    if len(values) == 4:
        return tuple(int(v) for v in values)
    if len(values) == 1:
        values = values * 2
    elif len(values) != 2:
        raise ValueError(f"{name} should be of length 1, 2 or 4. Received: {name}={value} of "
                         f"length {len(values)}")
    return (1, int(values[0]), int(values[1]), 1)


def _check_four(name: str, value: Any) -> tuple:
    if value is None or len(value) != 4:
        raise ValueError(f"Sliding window {name} field must specify 4 dimensions, got {value}")
    if any(int(v) < 1 for v in value):
        raise ValueError(f"{name} must be positive, got {list(value)}")
    return tuple(value)


def _check_data_format(data_format: str | None) -> str:
    """NHWC (the default) is the only layout graphflow computes; say so for NCHW at once."""
    data_format = "NHWC" if data_format is None else data_format
    if data_format != "NHWC":
        raise ValueError(f"graphflow supports only the NHWC data format on CPU (as TF1's CPU "
                         f"kernels), got data_format={data_format!r}")
    return data_format


def _check_window_attrs(strides: Any, padding: Any, data_format: Any) -> None:
    _check_data_format(data_format)
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    strides = _check_four("strides", strides)
    if strides[0] != 1 or strides[3] != 1:
        raise ValueError("Current implementation does not yet support strides in the batch and "
                         f"depth dimensions (strides[0] and strides[3] must be 1), got "
                         f"{list(strides)}")


def _dims4(tensor: Tensor) -> Dims:
    check_rank(tensor, 4)
    dims = tensor.shape.as_tuple()
    return (None,) * 4 if dims is None else dims


def _sizes4(op_type: str, sizes: Tensor, name: str) -> Dims:
    """The four dims a shape vector (``input_sizes``, ``filter_sizes``) holds at build time."""
    check_dtype(op_type, name, sizes, INDEX)
    check_rank(sizes, 1)
    shape = constant_value_as_shape(sizes)
    if shape.ndims is None:
        return (None,) * 4
    if shape.ndims != 4:
        raise ValueError(f"{name} must be a 4-element vector, got {shape.ndims} elements")
    return shape.as_tuple()


def _merge(a: int | None, b: int | None, what: str) -> int | None:
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions must be equal, but are {a} and {b} ({what})")
    return a if a is not None else b


def _check_shape(name: str, dims: Dims, expected: Dims) -> Dims:
    """``dims`` merged with ``expected``: ValueError naming both when they disagree."""
    if not TensorShape(dims).is_compatible_with(expected):
        raise ValueError(f"{name} must have shape {format_dims(expected)}, got "
                         f"{format_dims(dims)}")
    return TensorShape(dims).merge_with(expected).as_tuple()


def _check_value_shape(name: str, value: np.ndarray, expected: tuple) -> None:
    """The run-time twin of ``_check_shape`` for values whose dims were unknown when built."""
    if np.shape(value) != tuple(expected):
        raise ValueError(f"{name} must have shape {format_dims(expected)}, got "
                         f"{format_dims(np.shape(value))}")


# -- the matrix products: dense (Conv2D) and depthwise filters -----------------------------
class _DenseFilters:
    """Conv2D's filter [k_h, k_w, in, out]: each output channel sums over all input channels,
    so the windows, flattened to rows of k_h * k_w * in values, multiply the filter matrix."""

    @staticmethod
    def out_channels(in_channels: int | None, filter_out: int | None) -> int | None:
        return filter_out

    @staticmethod
    def forward(windows: np.ndarray, f: np.ndarray) -> np.ndarray:
        n, oh, ow, kh, kw, c = windows.shape
        cols = windows.reshape(n * oh * ow, kh * kw * c)
        return (cols @ f.reshape(kh * kw * c, f.shape[3])).reshape(n, oh, ow, f.shape[3])

    @staticmethod
    def window_grads(dy: np.ndarray, f: np.ndarray) -> np.ndarray:
        """The gradient of every window, [k_h, k_w, batch, out_h, out_w, in]: one product
        batched over the kernel offsets, so that each offset's piece is contiguous."""
        kh, kw, c, o = f.shape
        per_offset = f.reshape(kh * kw, c, o).transpose(0, 2, 1)
        return np.matmul(dy.reshape(-1, o), per_offset).reshape(kh, kw, *dy.shape[:3], c)

    @staticmethod
    def filter_grad(windows: np.ndarray, dy: np.ndarray) -> np.ndarray:
        n, oh, ow, kh, kw, c = windows.shape
        cols = windows.reshape(n * oh * ow, kh * kw * c)
        o = dy.shape[3]
        return (cols.T @ dy.reshape(n * oh * ow, o)).reshape(kh, kw, c, o)


class _DepthwiseFilters:
    """DepthwiseConv2dNative's filter [k_h, k_w, in, multiplier]: output channel
    c * multiplier + m sees input channel c only, so the product is batched over channels."""

    @staticmethod
    def out_channels(in_channels: int | None, multiplier: int | None) -> int | None:
        return None if in_channels is None or multiplier is None else in_channels * multiplier

    @staticmethod
    def _channel_major(windows: np.ndarray) -> np.ndarray:
        """The windows copied as [in, batch * out_h * out_w, k_h * k_w]."""
        n, oh, ow, kh, kw, c = windows.shape
        return np.ascontiguousarray(windows.transpose(5, 0, 1, 2, 3, 4)).reshape(
            c, n * oh * ow, kh * kw)

    @staticmethod
    def _per_channel(f: np.ndarray) -> np.ndarray:
        kh, kw, c, m = f.shape
        return f.reshape(kh * kw, c, m).transpose(1, 0, 2)  # [in, k_h * k_w, multiplier]

    @classmethod
    def forward(cls, windows: np.ndarray, f: np.ndarray) -> np.ndarray:
        n, oh, ow, _, _, c = windows.shape
        out = np.matmul(cls._channel_major(windows), cls._per_channel(f))
        return out.transpose(1, 0, 2).reshape(n, oh, ow, c * f.shape[3])

    @classmethod
    def window_grads(cls, dy: np.ndarray, f: np.ndarray) -> np.ndarray:
        kh, kw, c, m = f.shape
        n, oh, ow, _ = dy.shape
        per_channel = dy.reshape(n * oh * ow, c, m).transpose(1, 0, 2)
        cols = np.matmul(per_channel, cls._per_channel(f).transpose(0, 2, 1))  # [in, P, K]
        return cols.transpose(2, 1, 0).reshape(kh, kw, n, oh, ow, c)

    @classmethod
    def filter_grad(cls, windows: np.ndarray, dy: np.ndarray) -> np.ndarray:
        n, oh, ow, kh, kw, c = windows.shape
        m = dy.shape[3] // c
        per_channel = dy.reshape(n * oh * ow, c, m).transpose(1, 0, 2)
        grad = np.matmul(cls._channel_major(windows).transpose(0, 2, 1), per_channel)
        return grad.transpose(1, 0, 2).reshape(kh, kw, c, m)


# -- convolutions --------------------------------------------------------------------------
class _Family(NamedTuple):
    """The three op types of one kind of convolution and how its filters multiply."""

    forward: str
    backprop_input: str
    backprop_filter: str
    filters: Any


_CONV2D = _Family("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", _DenseFilters)
_DEPTHWISE = _Family("DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput",
                     "DepthwiseConv2dNativeBackpropFilter", _DepthwiseFilters)


class _Convolution(OpDef):
    """Shared by the convolutions and their gradient ops: attributes, checks and geometry."""

    attrs = {"strides": None, "padding": None, "data_format": "NHWC",
             "dilations": (1, 1, 1, 1)}
    family: _Family = _CONV2D

    def _check_attrs(self, attrs: dict) -> None:
        _check_window_attrs(attrs["strides"], attrs["padding"], attrs["data_format"])
        dilations = _check_four("dilations", attrs["dilations"])
        if dilations[0] != 1 or dilations[3] != 1:
            raise ValueError("Current implementation does not yet support dilations in the batch "
                             f"and depth dimensions, got {list(dilations)}")

    def _output_dims(self, x: Dims, f: Dims, attrs: dict) -> Dims:
        """The convolution's output dims for input dims ``x`` and filter dims ``f``."""
        depth = _merge(x[3], f[2], "the input's depth and the filter's in_channels")
        out_channels = self.family.filters.out_channels(depth, f[3])
        return (x[0], *_static_spatial(x[1:3], f[0:2], attrs), out_channels)

    @staticmethod
    def _geometry_for(op: Any) -> Callable:
        """A function (input dims, filter dims) -> _Geometry with the op's attributes bound."""
        attrs = op.attrs
        strides, dilations = _spatial(attrs["strides"]), _spatial(attrs["dilations"])
        padding = attrs["padding"]

        def geometry(x_shape: tuple, f_shape: tuple) -> _Geometry:
            if x_shape[3] != f_shape[2]:
                raise ValueError(f"input depth must match filter depth: {x_shape[3]} vs "
                                 f"{f_shape[2]}")
            return _geometry(tuple(x_shape[1:3]), tuple(f_shape[:2]), strides, dilations,
                             padding)

        return geometry



class _ConvForward(_Convolution):
    """output[b, i, j, :] = the window of ``input`` at (i, j) contracted with ``filter``."""

    def infer(self, x: Tensor, f: Tensor, **attrs: Any) -> tuple:
        self._check_attrs(attrs)
        check_same_dtype(self.type, x, f, ("input", "filter"))
        check_dtype(self.type, "input", x, FLOATS)
        return x.dtype.base_dtype, self._output_dims(_dims4(x), _dims4(f), attrs)

    def kernel(self, op: Any) -> Any:
        geometry, forward = self._geometry_for(op), self.family.filters.forward

        def convolution(x: np.ndarray, f: np.ndarray) -> np.ndarray:
            g = geometry(x.shape, f.shape)
            return forward(_windows(_pad(x, g, 0), g), f)

        return convolution

    def grad(self, op: Any, grad: Tensor) -> list:
        x, f = op.inputs
        family = self.family
        return [_sibling(family.backprop_input, [array_ops.shape(x), f, grad], op),
                _sibling(family.backprop_filter, [x, array_ops.shape(f), grad], op)]


class _ConvBackpropInput(_Convolution):
    """The gradient of a convolution with respect to its input (of shape ``input_sizes``),
    given ``filter`` and the gradient ``out_backprop`` of its output: ``conv2d_transpose``."""

    def infer(self, input_sizes: Tensor, f: Tensor, dy: Tensor, **attrs: Any) -> tuple:
        self._check_attrs(attrs)
        check_same_dtype(self.type, f, dy, ("filter", "out_backprop"))
        check_dtype(self.type, "filter", f, FLOATS)
        sizes = _sizes4(self.type, input_sizes, "input_sizes")
        f_dims, dy_dims = _dims4(f), _dims4(dy)
        sizes = (_merge(sizes[0], dy_dims[0], "the batch of input_sizes and out_backprop"),
                 sizes[1], sizes[2],
                 _merge(sizes[3], f_dims[2], "the depth of input_sizes and the filter's "
                                             "in_channels"))
        _check_shape("out_backprop", dy_dims, self._output_dims(sizes, f_dims, attrs))
        return f.dtype.base_dtype, sizes

    def kernel(self, op: Any) -> Any:
        geometry, window_grads = self._geometry_for(op), self.family.filters.window_grads

        def backprop_input(input_sizes: np.ndarray, f: np.ndarray, dy: np.ndarray) -> Any:
            shape = tuple(int(d) for d in input_sizes)
            g = geometry(shape, f.shape)
            out_channels = self.family.filters.out_channels(f.shape[2], f.shape[3])
            _check_value_shape("out_backprop", dy, (shape[0], *g.out, out_channels))
            cols = window_grads(dy, f)
            return _col2im(lambda i, j: cols[i, j], shape, dy.dtype, g)

        return backprop_input

    def grad(self, op: Any, grad: Tensor) -> list:
        _, f, dy = op.inputs
        family = self.family
        return [None,
                _sibling(family.backprop_filter, [grad, array_ops.shape(f), dy], op),
                _sibling(family.forward, [grad, f], op)]


class _ConvBackpropFilter(_Convolution):
    """The gradient of a convolution with respect to its filter (of shape ``filter_sizes``),
    given ``input`` and the gradient ``out_backprop`` of its output."""

    def infer(self, x: Tensor, filter_sizes: Tensor, dy: Tensor, **attrs: Any) -> tuple:
        self._check_attrs(attrs)
        check_same_dtype(self.type, x, dy, ("input", "out_backprop"))
        check_dtype(self.type, "input", x, FLOATS)
        sizes = _sizes4(self.type, filter_sizes, "filter_sizes")
        x_dims, dy_dims = _dims4(x), _dims4(dy)
        sizes = (*sizes[:2], _merge(sizes[2], x_dims[3], "the filter's in_channels and the "
                                                        "input's depth"), sizes[3])
        _check_shape("out_backprop", dy_dims, self._output_dims(x_dims, sizes, attrs))
        return x.dtype.base_dtype, sizes

    def kernel(self, op: Any) -> Any:
        geometry, filter_grad = self._geometry_for(op), self.family.filters.filter_grad

        def backprop_filter(x: np.ndarray, filter_sizes: np.ndarray, dy: np.ndarray) -> Any:
            shape = tuple(int(d) for d in filter_sizes)
            g = geometry(x.shape, shape)
            out_channels = self.family.filters.out_channels(shape[2], shape[3])
            _check_value_shape("out_backprop", dy, (x.shape[0], *g.out, out_channels))
            return filter_grad(_windows(_pad(x, g, 0), g), dy)

        return backprop_filter

    def grad(self, op: Any, grad: Tensor) -> list:
        x, _, dy = op.inputs
        family = self.family
        return [_sibling(family.backprop_input, [array_ops.shape(x), grad, dy], op),
                None,
                _sibling(family.forward, [x, grad], op)]


def _attrs(strides: Any, padding: str, dilations: Any = None) -> dict:
    return {"strides": _get_sequence(strides, "strides"), "padding": padding,
            "dilations": _get_sequence(dilations, "dilations")}


def _conv_examples(filter_in: int, filter_out: int) -> list:
    """Gradient-check examples of a convolution: both paddings, strides (the SAME one with
    an odd padding), dilations (with and without strides) and a non-square kernel."""
    x, f = (1, 5, 4, 2), (3, 2, filter_in, filter_out)
    return [
        GradExample([x, f], _attrs(1, "SAME")),
        GradExample([x, f], _attrs([2, 1], "VALID")),
        GradExample([(1, 4, 5, 2), f], _attrs(2, "SAME")),
        GradExample([(2, 5, 5, 2), (2, 2, filter_in, filter_out)], _attrs(1, "SAME", 2)),
        GradExample([(1, 6, 5, 2), f], _attrs(2, "SAME", 2)),
    ]


def _backprop_examples(filter_out: int, out_channels: int) -> tuple:
    """Gradient-check examples of the two backprop ops: (input ops', filter ops')."""
    sizes = np.array([1, 5, 4, 2], np.int32)
    f_sizes = np.array([3, 2, 2, filter_out], np.int32)
    f = (3, 2, 2, filter_out)
    same, valid = _attrs(2, "SAME"), _attrs(1, "VALID", [1, 2])
    return ([GradExample([sizes, f, (1, 3, 2, out_channels)], same),
             GradExample([sizes, f, (1, 3, 2, out_channels)], valid)],
            [GradExample([(1, 5, 4, 2), f_sizes, (1, 3, 2, out_channels)], same),
             GradExample([(1, 5, 4, 2), f_sizes, (1, 3, 2, out_channels)], valid)])


_CONV_BACKPROP_EXAMPLES = _backprop_examples(3, 3)
_DEPTHWISE_BACKPROP_EXAMPLES = _backprop_examples(2, 4)


@register("Conv2D")
class Conv2D(_ConvForward):
    """2-D convolution of ``input`` [batch, height, width, in] with ``filter``
    [k_h, k_w, in, out] (a cross-correlation, as in TF1)."""

    grad_examples = _conv_examples(2, 3)


@register("Conv2DBackpropInput")
class Conv2DBackpropInput(_ConvBackpropInput):
    """Conv2D's gradient for its input; also ``tf.nn.conv2d_transpose``."""

    grad_examples = _CONV_BACKPROP_EXAMPLES[0]


@register("Conv2DBackpropFilter")
class Conv2DBackpropFilter(_ConvBackpropFilter):
    """Conv2D's gradient for its filter."""

    grad_examples = _CONV_BACKPROP_EXAMPLES[1]


@register("DepthwiseConv2dNative")
class DepthwiseConv2dNative(_ConvForward):
    """Depthwise 2-D convolution: input channel c convolved with ``filter[:, :, c, m]`` gives
    output channel c * multiplier + m."""

    family = _DEPTHWISE
    grad_examples = _conv_examples(2, 2)


@register("DepthwiseConv2dNativeBackpropInput")
class DepthwiseConv2dNativeBackpropInput(_ConvBackpropInput):
    """DepthwiseConv2dNative's gradient for its input."""

    family = _DEPTHWISE
    grad_examples = _DEPTHWISE_BACKPROP_EXAMPLES[0]


@register("DepthwiseConv2dNativeBackpropFilter")
class DepthwiseConv2dNativeBackpropFilter(_ConvBackpropFilter):
    """DepthwiseConv2dNative's gradient for its filter."""

    family = _DEPTHWISE
    grad_examples = _DEPTHWISE_BACKPROP_EXAMPLES[1]


# -- pooling -------------------------------------------------------------------------------
class _Pool(OpDef):
    """Shared by the pooling ops and their gradients: attributes, checks and geometry."""

    attrs = {"ksize": None, "strides": None, "padding": None, "data_format": "NHWC"}

    def _pooled_dims(self, x: Dims, attrs: dict) -> Dims:
        """Checks the attributes; the pooled output's dims for input dims ``x``."""
        _check_window_attrs(attrs["strides"], attrs["padding"], attrs["data_format"])
        ksize = _check_four("ksize", attrs["ksize"])
        if ksize[0] != 1:
            raise ValueError("Pooling is not yet supported on the batch dimension.")
        if ksize[3] != 1:
            raise ValueError(f"graphflow does not pool across the depth dimension: ksize[3] must "
                             f"be 1, got {list(ksize)}")
        return (x[0], *_static_spatial(x[1:3], _spatial(ksize), attrs), x[3])

    @staticmethod
    def _geometry_for(op: Any) -> Callable:
        """A function (input shape) -> _Geometry with the op's attributes bound."""
        kernel, strides = _spatial(op.attrs["ksize"]), _spatial(op.attrs["strides"])
        padding = op.attrs["padding"]
        return lambda shape: _geometry(tuple(shape[1:3]), kernel, strides, (1, 1), padding)


def _pool_attrs(ksize: Any, strides: Any, padding: str) -> dict:
    return {"ksize": _get_sequence(ksize, "ksize"), "strides": _get_sequence(strides, "strides"),
            "padding": padding}


# The pooling ops' gradient-check cases: (input shape, pooled shape, attrs); VALID, SAME with
# uneven padding and overlapping windows, and a non-square window.
_POOL_CASES = [
    ((2, 4, 4, 2), (2, 2, 2, 2), _pool_attrs(2, 2, "VALID")),
    ((1, 5, 4, 2), (1, 3, 2, 2), _pool_attrs(3, 2, "SAME")),
    ((1, 4, 5, 1), (1, 4, 5, 1), _pool_attrs([2, 3], 1, "SAME")),
    ((1, 7, 6, 2), (1, 4, 3, 2), _pool_attrs(2, 2, "SAME")),  # tiles the input and its padding
]


@register("MaxPool")
class MaxPool(_Pool):
    """The maximum of each window; padding never wins."""

    grad_examples = [GradExample([x], attrs) for x, _, attrs in _POOL_CASES]

    def infer(self, x: Tensor, **attrs: Any) -> tuple:
        check_dtype(self.type, "input", x, NUMERIC)
        return x.dtype.base_dtype, self._pooled_dims(_dims4(x), attrs)

    def kernel(self, op: Any) -> Any:
        geometry, lowest = self._geometry_for(op), _lowest(op.outputs[0].dtype)

        def max_pool(x: np.ndarray) -> np.ndarray:
            g = geometry(x.shape)
            return _reduce_windows(np.maximum, _pad(x, g, lowest), g)

        return max_pool

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_sibling("MaxPoolGrad", [op.inputs[0], op.outputs[0], grad], op)]


def _lowest(dtype: dtypes.DType) -> Any:
    """The padding value that never wins a maximum."""
    dtype = dtype.base_dtype
    return -np.inf if dtype.is_floating else np.iinfo(dtype.as_numpy_dtype).min


def _first_maxima(x: np.ndarray, g: _Geometry, lowest: Any) -> list:
    """For each kernel offset (row-major), a mask [batch, out_h, out_w, channels] of the
    windows whose first maximum lies there: TF1 routes each window's gradient to it."""
    padded = _pad(x, g, lowest)
    best = _reduce_windows(np.maximum, padded, g)
    free = np.ones(best.shape, bool)
    masks = []
    for _, _, rows, cols in _offsets(g):
        hit = padded[:, rows, cols] == best
        hit &= free
        free ^= hit
        masks.append(hit)
    return masks


def _masked(values: np.ndarray, mask: np.ndarray, finite: bool) -> np.ndarray:
    """``values`` where ``mask`` holds, else 0: a product with the mask when the values are
    all finite (several times faster than np.where), np.where otherwise (inf * 0 is nan)."""
    return values * mask if finite else np.where(mask, values, values.dtype.type(0))


class _MaxPoolGradBase(_Pool):
    """MaxPool's gradient ops take (orig_input, orig_output, grad); ``grad_input`` says which
    of the pool's sides ``grad`` lies on (input side: MaxPoolGradGrad)."""

    grad_input = False

    def infer(self, orig_input: Tensor, orig_output: Tensor, grad: Tensor, **attrs: Any) -> tuple:
        check_same_dtype(self.type, orig_input, orig_output, ("orig_input", "orig_output"))
        check_same_dtype(self.type, orig_input, grad, ("orig_input", "grad"))
        check_dtype(self.type, "orig_input", orig_input, NUMERIC)
        x_dims = _dims4(orig_input)
        pooled = _check_shape("orig_output", _dims4(orig_output), self._pooled_dims(x_dims, attrs))
        if self.grad_input:
            _check_shape("grad", _dims4(grad), x_dims)
            return orig_input.dtype.base_dtype, pooled
        _check_shape("grad", _dims4(grad), pooled)
        return orig_input.dtype.base_dtype, x_dims

    def _zero_and(self, op: Any, other: str, grad: Tensor) -> list:
        orig_input, orig_output, _ = op.inputs
        return [array_ops.zeros_like(orig_input), array_ops.zeros_like(orig_output),
                _sibling(other, [orig_input, orig_output, grad], op)]


@register("MaxPoolGrad")
class MaxPoolGrad(_MaxPoolGradBase):
    """MaxPool's gradient: each window's gradient goes to its first maximum."""

    grad_examples = [GradExample([x, y, y], attrs) for x, y, attrs in _POOL_CASES]

    def kernel(self, op: Any) -> Any:
        geometry, lowest = self._geometry_for(op), _lowest(op.inputs[0].dtype)

        def max_pool_grad(orig_input: np.ndarray, orig_output: Any, grad: np.ndarray) -> Any:
            g = geometry(orig_input.shape)
            _check_value_shape("grad", grad, (orig_input.shape[0], *g.out, orig_input.shape[3]))
            masks, kw = _first_maxima(orig_input, g, lowest), g.kernel[1]
            finite = bool(np.isfinite(grad).all())
            return _col2im(lambda i, j: _masked(grad, masks[i * kw + j], finite),
                           orig_input.shape, grad.dtype, g)

        return max_pool_grad

    def grad(self, op: Any, grad: Tensor) -> list:
        return self._zero_and(op, "MaxPoolGradGrad", grad)


@register("MaxPoolGradGrad")
class MaxPoolGradGrad(_MaxPoolGradBase):
    """MaxPoolGrad's gradient: for each window, ``grad`` (shaped like the pool's input) at the
    window's first maximum."""

    grad_input = True
    grad_examples = [GradExample([x, y, x], attrs) for x, y, attrs in _POOL_CASES]

    def kernel(self, op: Any) -> Any:
        geometry, lowest = self._geometry_for(op), _lowest(op.inputs[0].dtype)

        def max_pool_grad_grad(orig_input: np.ndarray, orig_output: Any,
                               grad: np.ndarray) -> np.ndarray:
            g = geometry(orig_input.shape)
            _check_value_shape("grad", grad, orig_input.shape)
            padded, finite = _pad(grad, g, 0), bool(np.isfinite(grad).all())
            out = np.zeros((grad.shape[0], *g.out, grad.shape[3]), grad.dtype)
            for (_, _, rows, cols), mask in zip(_offsets(g), _first_maxima(orig_input, g, lowest)):
                out += _masked(padded[:, rows, cols], mask, finite)
            return out

        return max_pool_grad_grad

    def grad(self, op: Any, grad: Tensor) -> list:
        return self._zero_and(op, "MaxPoolGrad", grad)


@functools.lru_cache(maxsize=256)
def _window_counts(g: _Geometry, sizes: tuple, np_type: Any) -> np.ndarray:
    """How many input (not padding) elements each window holds, shaped [1, out_h, out_w, 1]:
    AvgPool divides by it, as TF1 does."""
    counts = []
    for size, out, k, stride, (before, _) in zip(sizes, g.out, g.kernel, g.strides, g.pads):
        start = np.arange(out) * stride - before
        counts.append(np.minimum(start + k, size) - np.maximum(start, 0))
    out = np.multiply.outer(*counts).astype(np_type)[None, :, :, None]
    out.flags.writeable = False  # cached: shared by every run
    return out


@register("AvgPool")
class AvgPool(_Pool):
    """The mean of each window, over its input elements only (padding is not counted)."""

    grad_examples = [GradExample([x], attrs) for x, _, attrs in _POOL_CASES]

    def infer(self, x: Tensor, **attrs: Any) -> tuple:
        check_dtype(self.type, "value", x, FLOATS)
        return x.dtype.base_dtype, self._pooled_dims(_dims4(x), attrs)

    def kernel(self, op: Any) -> Any:
        geometry = self._geometry_for(op)

        def avg_pool(x: np.ndarray) -> np.ndarray:
            g = geometry(x.shape)
            sums = _reduce_windows(np.add, _pad(x, g, 0), g)
            return sums / _window_counts(g, x.shape[1:3], x.dtype.type)

        return avg_pool

    def grad(self, op: Any, grad: Tensor) -> list:
        return [_sibling("AvgPoolGrad", [array_ops.shape(op.inputs[0]), grad], op)]


@register("AvgPoolGrad")
class AvgPoolGrad(_Pool):
    """AvgPool's gradient: each window's gradient shared equally by its input elements."""

    grad_examples = [GradExample([np.array(x, np.int32), y], attrs) for x, y, attrs in _POOL_CASES]

    def infer(self, orig_input_shape: Tensor, grad: Tensor, **attrs: Any) -> tuple:
        check_dtype(self.type, "grad", grad, FLOATS)
        sizes = _sizes4(self.type, orig_input_shape, "orig_input_shape")
        _check_shape("grad", _dims4(grad), self._pooled_dims(sizes, attrs))
        return grad.dtype.base_dtype, sizes

    def kernel(self, op: Any) -> Any:
        geometry = self._geometry_for(op)

        def avg_pool_grad(orig_input_shape: np.ndarray, grad: np.ndarray) -> np.ndarray:
            shape = tuple(int(d) for d in orig_input_shape)
            g = geometry(shape)
            _check_value_shape("grad", grad, (shape[0], *g.out, shape[3]))
            shares = grad / _window_counts(g, shape[1:3], grad.dtype.type)
            return _col2im(lambda i, j: shares, shape, grad.dtype, g)

        return avg_pool_grad

    def grad(self, op: Any, grad: Tensor) -> list:
        return [None, _sibling("AvgPool", [grad], op)]


# -- public functions ----------------------------------------------------------------------
def _lookup(new_name: str, new: Any, old_name: str, old: Any) -> Any:
    if new is not None and old is not None:
        raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}'.")
    return old if new is None else new


def _conv(op_type: str, x: Any, f: Any, strides: Any, padding: str, data_format: str | None,
          dilations: Any, name: str | None) -> Tensor:
    x, f = math_ops.binary_operands(x, f)
    attrs = _attrs(strides, padding, dilations)
    attrs["data_format"] = _check_data_format(data_format)
    return _op(op_type, [x, f], name or op_type, attrs)


def conv2d(input: Any, filter: Any = None, strides: Any = None,  # noqa: A002 - TF1's names
           padding: str | None = None, use_cudnn_on_gpu: bool = True,
           data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1), name: str | None = None,
           filters: Any = None) -> Tensor:
    """``tf.nn.conv2d``: slides ``filter`` [k_h, k_w, in, out] over ``input`` [batch, h, w, in]
    with ``strides`` and ``padding`` ("SAME" or "VALID"): the layer of a CNN."""
    f = _lookup("filters", filters, "filter", filter)
    return _conv("Conv2D", input, f, strides, padding, data_format, dilations, name)


def conv2d_v2(input: Any, filters: Any, strides: Any, padding: str,  # noqa: A002
              data_format: str = "NHWC", dilations: Any = None,
              name: str | None = None) -> Tensor:
    """``tf.nn.conv2d`` of TF2 (``tf.compat.v2.nn.conv2d``): as ``conv2d``, with ``filters``."""
    return _conv("Conv2D", input, filters, strides, padding, data_format, dilations, name)


def depthwise_conv2d_native(input: Any, filter: Any, strides: Any,  # noqa: A002
                            padding: str, data_format: str = "NHWC",
                            dilations: Any = (1, 1, 1, 1), name: str | None = None) -> Tensor:
    """``tf.nn.depthwise_conv2d_native``: convolves each input channel with its own
    ``multiplier`` filters [k_h, k_w, in, multiplier], giving in * multiplier channels."""
    return _conv("DepthwiseConv2dNative", input, filter, strides, padding, data_format,
                 dilations, name)


def depthwise_conv2d(input: Any, filter: Any, strides: Any, padding: str,  # noqa: A002
                     rate: Any = None, name: str | None = None, data_format: str | None = None,
                     dilations: Any = None) -> Tensor:
    """``tf.nn.depthwise_conv2d``: a depthwise convolution (each input channel filtered on its
    own), ``rate`` (or ``dilations``) spacing the filter taps apart."""
    rate = _lookup("dilations", dilations, "rate", rate)
    with name_scope(name, "depthwise", [input, filter]) as scope:
        return _conv("DepthwiseConv2dNative", input, filter, strides, padding, data_format, rate,
                     scope)


def _backprop(op_type: str, sizes: Any, first: Any, dy: Any, sizes_first: bool, strides: Any,
              padding: str, data_format: str | None, dilations: Any,
              name: str | None) -> Tensor:
    """A convolution's backprop op: inputs (sizes, filter, dy) or (input, sizes, dy)."""
    first, dy = math_ops.binary_operands(first, dy)
    sizes = _shape_tensor(sizes)
    attrs = _attrs(strides, padding, dilations)
    attrs["data_format"] = _check_data_format(data_format)
    inputs = [sizes, first, dy] if sizes_first else [first, sizes, dy]
    return _op(op_type, inputs, name or op_type, attrs)


def _shape_tensor(sizes: Any) -> Tensor:
    """A shape given as a tensor, a list of ints or a list mixing ints and scalar tensors (such
    as ``[tf.shape(x)[0], 14, 14, 32]``) as one int32 vector."""
    if isinstance(sizes, Tensor):
        return sizes
    if any(isinstance(d, Tensor) for d in sizes):
        return array_ops.stack([convert_to_tensor(d, dtype=dtypes.int32) for d in sizes])
    return convert_to_tensor([int(d) for d in sizes], dtype=dtypes.int32)


def conv2d_backprop_input(input_sizes: Any, filter: Any = None,  # noqa: A002 - TF1's names
                          out_backprop: Any = None, strides: Any = None,
                          padding: str | None = None, use_cudnn_on_gpu: bool = True,
                          data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                          name: str | None = None, filters: Any = None) -> Tensor:
    """``tf.nn.conv2d_backprop_input``: the gradient of ``conv2d`` with respect to its input
    (of shape ``input_sizes``), given the filter and the output's gradient."""
    f = _lookup("filters", filters, "filter", filter)
    return _backprop("Conv2DBackpropInput", input_sizes, f, out_backprop, True, strides, padding,
                     data_format, dilations, name)


def conv2d_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any,  # noqa: A002
                           strides: Any, padding: str, use_cudnn_on_gpu: bool = True,
                           data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                           name: str | None = None) -> Tensor:
    """``tf.nn.conv2d_backprop_filter``: the gradient of ``conv2d`` with respect to its filter
    (of shape ``filter_sizes``), given the input and the output's gradient."""
    return _backprop("Conv2DBackpropFilter", filter_sizes, input, out_backprop, False, strides,
                     padding, data_format, dilations, name)


def depthwise_conv2d_native_backprop_input(input_sizes: Any, filter: Any,  # noqa: A002
                                           out_backprop: Any, strides: Any, padding: str,
                                           data_format: str = "NHWC",
                                           dilations: Any = (1, 1, 1, 1),
                                           name: str | None = None) -> Tensor:
    """``tf.nn.depthwise_conv2d_native_backprop_input``: the gradient of a depthwise
    convolution with respect to its input (of shape ``input_sizes``)."""
    return _backprop("DepthwiseConv2dNativeBackpropInput", input_sizes, filter, out_backprop,
                     True, strides, padding, data_format, dilations, name)


def depthwise_conv2d_native_backprop_filter(input: Any, filter_sizes: Any,  # noqa: A002
                                            out_backprop: Any, strides: Any, padding: str,
                                            data_format: str = "NHWC",
                                            dilations: Any = (1, 1, 1, 1),
                                            name: str | None = None) -> Tensor:
    """``tf.nn.depthwise_conv2d_native_backprop_filter``: the gradient of a depthwise
    convolution with respect to its filter (of shape ``filter_sizes``)."""
    return _backprop("DepthwiseConv2dNativeBackpropFilter", filter_sizes, input, out_backprop,
                     False, strides, padding, data_format, dilations, name)


def conv2d_transpose(value: Any = None, filter: Any = None,  # noqa: A002 - TF1's names
                     output_shape: Any = None, strides: Any = None, padding: str = "SAME",
                     data_format: str = "NHWC", name: str | None = None, input: Any = None,  # noqa: A002
                     filters: Any = None, dilations: Any = None) -> Tensor:
    """``tf.nn.conv2d_transpose``: the transpose (gradient) of ``conv2d``, upsampling ``value``
    to ``output_shape`` with ``filter`` [k_h, k_w, out_channels, in_channels]."""
    value = _lookup("input", input, "value", value)
    f = _lookup("filters", filters, "filter", filter)
    with name_scope(name, "conv2d_transpose", [value, f]) as scope:
        return _backprop("Conv2DBackpropInput", output_shape, f, value, True, strides, padding,
                         data_format, dilations, scope)


def conv2d_transpose_v2(input: Any, filters: Any, output_shape: Any,  # noqa: A002
                        strides: Any, padding: str = "SAME", data_format: str = "NHWC",
                        dilations: Any = None, name: str | None = None) -> Tensor:
    """``tf.nn.conv2d_transpose`` of TF2: as ``conv2d_transpose``, arguments reordered."""
    return conv2d_transpose(input, filters, output_shape, strides, padding, data_format, name,
                            dilations=dilations)


def _pool(op_type: str, value: Any, ksize: Any, strides: Any, padding: str,
          data_format: str | None, name: str | None) -> Tensor:
    with name_scope(name, op_type, [value]) as scope:
        attrs = _pool_attrs(ksize, strides, padding)
        attrs["data_format"] = _check_data_format(data_format)
        return _op(op_type, [convert_to_tensor(value)], scope, attrs)


def max_pool(value: Any, ksize: Any, strides: Any, padding: str, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:  # noqa: A002 - TF1's name
    """``tf.nn.max_pool``: the maximum over each ``ksize`` window moved by ``strides``: shrinks
    feature maps, keeping the strongest response."""
    value = _lookup("input", input, "value", value)
    return _pool("MaxPool", value, ksize, strides, padding, data_format, name)


def max_pool_v2(input: Any, ksize: Any, strides: Any, padding: str,  # noqa: A002
                data_format: str | None = None, name: str | None = None) -> Tensor:
    """``tf.nn.max_pool`` of TF2 (also ``tf.nn.max_pool2d``): as ``max_pool`` on 4-D input."""
    return _pool("MaxPool", input, ksize, strides, padding, data_format, name)


def avg_pool(value: Any, ksize: Any, strides: Any, padding: str, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:  # noqa: A002 - TF1's name
    """``tf.nn.avg_pool``: the mean over each ``ksize`` window moved by ``strides`` (padding
    is not counted): smooths and shrinks feature maps."""
    value = _lookup("input", input, "value", value)
    return _pool("AvgPool", value, ksize, strides, padding, data_format, name)


def avg_pool_v2(input: Any, ksize: Any, strides: Any, padding: str,  # noqa: A002
                data_format: str | None = None, name: str | None = None) -> Tensor:
    """``tf.nn.avg_pool`` of TF2 (also ``tf.nn.avg_pool2d``): as ``avg_pool`` on 4-D input."""
    return _pool("AvgPool", input, ksize, strides, padding, data_format, name)


max_pool2d = max_pool_v2
avg_pool2d = avg_pool_v2
