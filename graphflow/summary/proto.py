"""A small Protocol Buffers encoder for the few TensorFlow messages TensorBoard reads.

Only the wire format is needed (https://protobuf.dev/programming-guides/encoding/). A message is
a concatenation of fields; each field is a key ``(number << 3) | wire_type`` written as a
varint, then its value: a varint (wire type 0: ints, bools, enums), 8 little-endian bytes
(type 1: doubles), a length-prefixed byte string (type 2: strings, bytes, nested messages and
packed repeated numbers) or 4 little-endian bytes (type 5: floats). Concatenating two
serialized messages merges them (repeated fields append), which is how ``MergeSummary``
combines summaries. Field numbers are those of TensorFlow's ``.proto`` files, named at each use.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

from graphflow.framework import dtypes

# TensorFlow's DataType enum (types.proto); a reference type is its base type + 100.
DATA_TYPES = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6,
              "string": 7, "int64": 9, "bool": 10, "uint16": 17, "float16": 19}


def varint(value: int) -> bytes:
    """``value`` as a base-128 varint; negative numbers as 64-bit two's complement, as int64."""
    value &= (1 << 64) - 1
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def int_field(number: int, value: int) -> bytes:
    """A varint field: int32, int64, bool or enum."""
    return varint(number << 3) + varint(int(value))


def double_field(number: int, value: float) -> bytes:
    return varint(number << 3 | 1) + struct.pack("<d", value)


def float_field(number: int, value: float) -> bytes:
    return varint(number << 3 | 5) + struct.pack("<f", value)


def bytes_field(number: int, value: bytes | str) -> bytes:
    """A length-delimited field: a string (UTF-8), bytes, or an already encoded message."""
    data = value.encode() if isinstance(value, str) else bytes(value)
    return varint(number << 3 | 2) + varint(len(data)) + data


def packed_doubles(number: int, values: Any) -> bytes:
    """A packed ``repeated double`` field of ``values`` (a sequence or array of numbers)."""
    return bytes_field(number, np.asarray(values, "<f8").tobytes())


def data_type(dtype: dtypes.DType) -> int:
    """The DataType enum value of a graphflow dtype."""
    code = DATA_TYPES[dtype.base_dtype.name]
    return code + 100 if dtype.is_ref_dtype else code


def tensor_shape(dims: tuple | None) -> bytes:
    """A TensorShapeProto: ``dim`` (2) messages of ``size`` (1, -1 when unknown), or
    ``unknown_rank`` (3)."""
    if dims is None:
        return int_field(3, True)
    return b"".join(bytes_field(2, int_field(1, -1 if d is None else d)) for d in dims)


def tensor(value: np.ndarray, dtype: dtypes.DType) -> bytes:
    """A TensorProto: ``dtype`` (1), ``tensor_shape`` (2), then strings as ``string_val`` (8)
    or numbers as little-endian ``tensor_content`` (4)."""
    value = np.asarray(value)
    head = int_field(1, data_type(dtype)) + bytes_field(2, tensor_shape(value.shape))
    if dtype.base_dtype == dtypes.string:
        return head + b"".join(bytes_field(8, item) for item in value.flat)
    little = value.astype(value.dtype.newbyteorder("<"), copy=False)
    return head + bytes_field(4, np.ascontiguousarray(little).tobytes())


def event(wall_time: float, step: int | None = None, file_version: str | None = None,
          graph_def: bytes | None = None, summary: bytes | None = None) -> bytes:
    """An Event: ``wall_time`` (1), ``step`` (2), and one of ``file_version`` (3),
    ``graph_def`` (4, a serialized GraphDef) or ``summary`` (5, a serialized Summary)."""
    out = double_field(1, wall_time)
    if step is not None:
        out += int_field(2, step)
    if file_version is not None:
        out += bytes_field(3, file_version)
    if graph_def is not None:
        out += bytes_field(4, graph_def)
    if summary is not None:
        out += bytes_field(5, summary)
    return out
