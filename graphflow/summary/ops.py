"""Summary ops: each produces a serialized ``Summary`` protocol buffer (a string scalar) at run
time, for ``FileWriter.add_summary``.

A Summary (summary.proto) is a list of ``value`` (1) messages, each with a ``tag`` (1) and one
of ``simple_value`` (2), ``image`` (4), ``histo`` (5) or ``tensor`` (8), plus ``metadata`` (9).
The public functions name ops and tags as TF1 does: ``tf.summary.scalar("cost", c)`` inside
``tf.name_scope("train")`` builds the op ``train/cost`` with the tag ``train/cost``.
"""

from __future__ import annotations

import contextlib
import re
import struct
import sys
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import GraphKeys, Tensor, get_default_graph, name_scope
from graphflow.framework.registry import NOT_DIFFERENTIABLE, OpDef, register
from graphflow.ops.constant_op import constant, convert_to_tensor
from graphflow.ops.op_util import FLOATS, NUMERIC, check_dtype, check_rank
from graphflow.summary import proto

STRINGS = frozenset({dtypes.string})


def _strings(value: Any) -> np.ndarray:
    """A run-time string value (``bytes`` for a scalar, as Const gives it) as an array."""
    return np.asarray(value, dtype=object)


def _value(tag: bytes, field: bytes) -> bytes:
    """One ``Summary.value`` entry: the tag and its already encoded payload field."""
    return proto.bytes_field(1, proto.bytes_field(1, tag) + field)


class _SummaryOp(OpDef):
    """An op whose first input is the tag (a string scalar) and whose output is a serialized
    Summary."""

    grad = NOT_DIFFERENTIABLE
    allowed = NUMERIC

    def infer(self, tag: Tensor, values: Tensor, *rest: Tensor, **attrs: Any) -> tuple:
        check_dtype(self.type, "tag", tag, STRINGS)
        check_rank(tag, 0)
        check_dtype(self.type, "values", values, self.allowed)
        return dtypes.string, ()


# -- scalars -------------------------------------------------------------------------------
@register("ScalarSummary")
class ScalarSummary(_SummaryOp):
    """One ``simple_value`` per element of ``tags`` and ``values``, which share one shape."""

    def infer(self, tags: Tensor, values: Tensor) -> tuple:
        check_dtype(self.type, "tags", tags, STRINGS)
        check_dtype(self.type, "values", values, self.allowed)
        if not tags.shape.is_compatible_with(values.shape):
            raise ValueError(f"tags and values not the same shape: {tags.shape} != "
                             f"{values.shape}")
        return dtypes.string, ()

    def kernel(self, op: Any) -> Any:
        def summarize(tags: Any, values: Any) -> bytes:
            tags, values = _strings(tags), np.asarray(values)
            if tags.shape != values.shape:
                raise ValueError(f"tags and values not the same shape: {list(tags.shape)} != "
                                 f"{list(values.shape)}")
            return b"".join(_value(tag, proto.float_field(2, value))
                            for tag, value in zip(tags.flat, values.flat))

        return summarize


# -- histograms ----------------------------------------------------------------------------
def _default_bucket_limits() -> np.ndarray:
    """TensorFlow's histogram bucket edges: +-1e-12 growing by 1.1 up to 1e20, 0, and +-DBL_MAX.
    Bucket ``i`` counts the values in ``[limit[i-1], limit[i])``."""
    positive = []
    edge = 1.0e-12
    while edge < 1.0e20:
        positive.append(edge)
        edge *= 1.1
    positive.append(sys.float_info.max)
    return np.array([-v for v in reversed(positive)] + [0.0] + positive)


BUCKET_LIMITS = _default_bucket_limits()


def histogram_proto(values: np.ndarray) -> bytes:
    """A HistogramProto of ``values``: ``min`` (1), ``max`` (2), ``num`` (3), ``sum`` (4),
    ``sum_squares`` (5), and the bucket edges (6) and counts (7). As TensorFlow does, each run
    of empty buckets is written as one empty bucket ending where the run ends."""
    values = np.asarray(values, np.float64).ravel()
    index = np.searchsorted(BUCKET_LIMITS, values, side="right")
    counts = np.bincount(np.minimum(index, len(BUCKET_LIMITS) - 1), minlength=len(BUCKET_LIMITS))
    filled = counts > 0
    kept = np.flatnonzero(filled | np.r_[True, filled[:-1]])  # filled, or first of an empty run
    ends = np.r_[kept[1:] - 1, len(counts) - 1]  # an empty run ends before the next kept bucket
    low, high = (values.min(), values.max()) if values.size else (sys.float_info.max,
                                                                  -sys.float_info.max)
    return (proto.double_field(1, low) + proto.double_field(2, high)
            + proto.double_field(3, values.size) + proto.double_field(4, values.sum())
            + proto.double_field(5, np.dot(values, values))
            + proto.packed_doubles(6, BUCKET_LIMITS[ends]) + proto.packed_doubles(7, counts[kept]))


@register("HistogramSummary")
class HistogramSummary(_SummaryOp):
    """A histogram of all the values of a real tensor."""

    def kernel(self, op: Any) -> Any:
        def summarize(tag: bytes, values: Any) -> bytes:
            if not np.all(np.isfinite(values)):
                raise ValueError(f"Nan in summary histogram for: {tag.decode()}")
            return _value(tag, proto.bytes_field(5, histogram_proto(values)))

        return summarize


# -- images --------------------------------------------------------------------------------
def encode_png(image: np.ndarray) -> bytes:
    """An 8-bit PNG of ``image`` ([height, width, channels] uint8; 1, 3 or 4 channels)."""
    height, width, channels = image.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]  # grey, RGB, RGBA
    rows = np.hstack([np.zeros((height, 1), np.uint8), image.reshape(height, -1)])  # filter 0

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes())) + chunk(b"IEND", b""))


def to_uint8(image: np.ndarray) -> np.ndarray:
    """A float image scaled to [0, 255] as TensorFlow does (truncating): if all non-negative,
    the largest value becomes 255; otherwise 0.0 becomes 128 and the largest magnitude 127 away
    from it. Non-finite pixels are drawn red."""
    if image.dtype == np.uint8:
        return image
    finite = np.isfinite(image)
    values = np.where(finite, image, 0.0).astype(np.float64)
    low, high = values.min(initial=0.0), values.max(initial=0.0)
    if low < 0:
        top = max(-low, high)
        scaled = values * (127.0 / top if top > 1e-6 else 0.0) + 128.0
    else:
        scaled = values * (255.0 / high if high > 1e-6 else 0.0)
    pixels = np.clip(scaled, 0, 255).astype(np.uint8)
    pixels[~finite.all(axis=-1)] = [255, 0, 0, 255][:image.shape[-1]]
    return pixels


@register("ImageSummary")
class ImageSummary(_SummaryOp):
    """Up to ``max_images`` images of a [batch, height, width, channels] tensor, as PNGs."""

    attrs = {"max_images": 3}
    allowed = FLOATS | {dtypes.uint8}

    def infer(self, tag: Tensor, tensor: Tensor, *, max_images: int) -> tuple:
        super().infer(tag, tensor)
        check_rank(tensor, 4)
        channels = tensor.shape.as_tuple()[-1] if tensor.shape.ndims else None
        if channels not in (None, 1, 3, 4):
            raise ValueError(f"Tensor must be 4-D with last dim 1, 3, or 4, not "
                             f"{tensor.shape}")
        if max_images < 1:
            raise ValueError(f"max_images must be at least 1, not {max_images}")
        return dtypes.string, ()

    def kernel(self, op: Any) -> Any:
        max_images = op.attrs["max_images"]

        def summarize(tag: bytes, images: np.ndarray) -> bytes:
            base = tag.decode()
            out = []
            for index, image in enumerate(map(to_uint8, images[:max_images])):
                height, width, channels = image.shape
                message = (proto.int_field(1, height) + proto.int_field(2, width)
                           + proto.int_field(3, channels) + proto.bytes_field(4, encode_png(image)))
                name = f"{base}/image/{index}" if max_images > 1 else f"{base}/image"
                out.append(_value(name.encode(), proto.bytes_field(4, message)))
            return b"".join(out)

        return summarize


# -- tensors (text) ------------------------------------------------------------------------
@register("TensorSummaryV2")
class TensorSummaryV2(_SummaryOp):
    """A whole tensor as a TensorProto, with plugin metadata (a serialized SummaryMetadata)."""

    allowed = NUMERIC | {dtypes.bool, dtypes.string}

    def kernel(self, op: Any) -> Any:
        dtype = op.inputs[1].dtype

        def summarize(tag: bytes, value: Any, metadata: bytes) -> bytes:
            payload = (proto.bytes_field(8, proto.tensor(value, dtype))
                       + proto.bytes_field(9, metadata))
            return _value(tag, payload)

        return summarize


def plugin_metadata(plugin_name: str) -> bytes:
    """A SummaryMetadata naming the TensorBoard plugin that displays a tensor summary:
    ``plugin_data`` (1) with ``plugin_name`` (1)."""
    return proto.bytes_field(1, proto.bytes_field(1, plugin_name))


# -- merging -------------------------------------------------------------------------------
@register("MergeSummary")
class MergeSummary(OpDef):
    """The union of the values of several serialized Summaries."""

    grad = NOT_DIFFERENTIABLE

    def infer(self, *inputs: Tensor) -> tuple:
        if not inputs:
            raise ValueError("MergeSummary needs at least one input")
        for tensor in inputs:
            check_dtype(self.type, "inputs", tensor, STRINGS)
        return dtypes.string, ()

    def kernel(self, op: Any) -> Any:
        def merge_summaries(*summaries: Any) -> bytes:
            # Concatenated messages merge: their ``value`` lists append.
            return b"".join(b"".join(_strings(s).flat) for s in summaries)

        return merge_summaries


# -- the public functions ------------------------------------------------------------------
def _clean_tag(name: str | None) -> str | None:
    """``name`` with characters TensorFlow does not allow in op names replaced by ``_``."""
    if name is None:
        return None
    return re.sub(r"[^-/\w\.]", "_", name).lstrip("/")


@contextlib.contextmanager
def _summary_scope(name: str, family: str | None, values: list) -> Iterator[tuple[str, str]]:
    """Opens the name scope of a summary op and yields ``(tag, scope)`` as TF1 names them."""
    name, family = _clean_tag(name), _clean_tag(family)
    base = name if family is None else f"{family}/{name}"
    with name_scope(base, values=values) as scope:
        tag = scope.rstrip("/")
        yield (tag if family is None else f"{family}/{tag}"), scope


def _summary(op_type: str, name: str, value: Any, family: str | None,
             collections: list | None, extra: tuple = (), attrs: dict | None = None,
             tag_name: str = "tag") -> Tensor:
    value = convert_to_tensor(value)
    with _summary_scope(name, family, [value]) as (tag, scope):
        tag_tensor = constant(tag, name=tag_name)
        inputs = [tag_tensor, value] + [constant(data, name=n) for n, data in extra]
        summary = get_default_graph().create_op(op_type, inputs, attrs, scope).outputs[0]
    _collect(summary, collections)
    return summary


def _collect(summary: Tensor, collections: list | None) -> None:
    for key in [GraphKeys.SUMMARIES] if collections is None else collections:
        summary.graph.add_to_collection(key, summary)


def scalar(name: str, tensor: Any, collections: list | None = None,
           family: str | None = None) -> Tensor:
    """``tf.summary.scalar``: a Summary with the single value of ``tensor`` under ``name``."""
    return _summary("ScalarSummary", name, tensor, family, collections, tag_name="tags")


def histogram(name: str, values: Any, collections: list | None = None,
              family: str | None = None) -> Tensor:
    """``tf.summary.histogram``: a Summary with a histogram of all the elements of ``values``."""
    return _summary("HistogramSummary", name, values, family, collections)


def image(name: str, tensor: Any, max_outputs: int = 3, collections: list | None = None,
          family: str | None = None) -> Tensor:
    """``tf.summary.image``: up to ``max_outputs`` images of a [batch, height, width,
    channels] tensor (uint8, or floats scaled as TF1 does), tagged ``name/image/0``..."""
    return _summary("ImageSummary", name, tensor, family, collections,
                    attrs={"max_images": max_outputs})


def text(name: str, tensor: Any, collections: list | None = None) -> Tensor:
    """``tf.summary.text``: a string tensor for TensorBoard's text tab."""
    tensor = convert_to_tensor(tensor)
    if tensor.dtype.base_dtype != dtypes.string:
        raise ValueError(f"Expected tensor {tensor.name} to have dtype string, got "
                         f"{tensor.dtype.name}")
    return _summary("TensorSummaryV2", name, tensor, None, collections,
                    extra=(("serialized_summary_metadata", plugin_metadata("text")),))


def merge(inputs: list, collections: list | None = None, name: str | None = None) -> Tensor:
    """``tf.summary.merge``: one Summary holding the values of all ``inputs``."""
    inputs = [convert_to_tensor(t) for t in inputs]
    with name_scope(name, "Merge", inputs):
        merged = get_default_graph().create_op("MergeSummary", inputs, None,
                                               "MergeSummary").outputs[0]
    for key in collections or []:
        merged.graph.add_to_collection(key, merged)
    return merged


def merge_all(key: str = GraphKeys.SUMMARIES, scope: str | None = None,
              name: str | None = None) -> Tensor | None:
    """``tf.summary.merge_all``: merges the summaries in collection ``key``; None if empty."""
    summaries = get_default_graph().get_collection(key, scope=scope)
    return merge(summaries, name=name) if summaries else None
