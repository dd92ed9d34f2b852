"""The graphflow Graph as a serialized TensorFlow ``GraphDef``, for TensorBoard's graph tab.

Each op becomes a NodeDef with its name (TensorBoard groups nodes into name scopes by the
``/`` in names), type, inputs (``op`` for output 0, ``op:1`` for others, ``^op`` for control
inputs) and attributes: the op's own (dtypes, shapes, numbers, strings, constant values),
``T`` (the dtype of the first input, where the op has no ``T`` of its own) and
``_output_shapes``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import Graph, Operation, Tensor
from graphflow.framework.tensor_shape import TensorShape
from graphflow.summary import proto


def graph_def(graph: Graph) -> bytes:
    """The serialized GraphDef of ``graph``: one ``node`` (1) per operation."""
    return b"".join(proto.bytes_field(1, node_def(op)) for op in graph.get_operations())


def node_def(op: Operation) -> bytes:
    """A NodeDef: ``name`` (1), ``op`` (2), ``input`` (3) and the ``attr`` map (5), whose
    entries are messages of ``key`` (1) and ``value`` (2)."""
    inputs = [_input_name(t) for t in op.inputs] + ["^" + c.name for c in op.control_inputs]
    attrs = {key: attr for key, value in op.attrs.items()
             if (attr := attr_value(value)) is not None}
    if op.inputs and "T" not in attrs:
        attrs["T"] = attr_value(op.inputs[0].dtype)
    shapes = b"".join(proto.bytes_field(7, proto.tensor_shape(t.shape.as_tuple()))
                      for t in op.outputs)
    attrs["_output_shapes"] = proto.bytes_field(1, shapes)
    entries = [proto.bytes_field(1, key) + proto.bytes_field(2, attrs[key])
               for key in sorted(attrs)]
    return (proto.bytes_field(1, op.name) + proto.bytes_field(2, op.type)
            + b"".join(proto.bytes_field(3, name) for name in inputs)
            + b"".join(proto.bytes_field(5, entry) for entry in entries))


def _input_name(tensor: Tensor) -> str:
    return tensor.op.name if tensor.value_index == 0 else tensor.name


def attr_value(value: Any) -> bytes | None:
    """An AttrValue: ``s`` (2), ``i`` (3), ``f`` (4), ``b`` (5), ``type`` (6), ``shape`` (7),
    ``tensor`` (8), or ``list`` (1) of ints, floats, strings or dtypes; None for values that
    GraphDef cannot express (a ``tf.cond`` context)."""
    if isinstance(value, dtypes.DType):
        return proto.int_field(6, proto.data_type(value))
    if isinstance(value, TensorShape):
        return proto.bytes_field(7, proto.tensor_shape(value.as_tuple()))
    if isinstance(value, (bool, np.bool_)):
        return proto.int_field(5, value)
    if isinstance(value, (int, np.integer)):
        return proto.int_field(3, value)
    if isinstance(value, (float, np.floating)):
        return proto.float_field(4, value)
    if isinstance(value, (str, bytes)):
        return proto.bytes_field(2, value)
    if isinstance(value, np.ndarray):
        dtype = dtypes.string if value.dtype == object else dtypes.as_dtype(value.dtype)
        return proto.bytes_field(8, proto.tensor(value, dtype))
    if isinstance(value, (list, tuple)) and not any(isinstance(v, (list, tuple)) for v in value):
        # ListValue numbers its repeated fields as AttrValue numbers its single values
        # (s 2, i 3, f 4, b 5, type 6, shape 7, tensor 8): the items' encodings concatenate.
        items = [attr_value(item) for item in value]
        return None if None in items else proto.bytes_field(1, b"".join(items))
    return None
