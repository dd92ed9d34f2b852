"""Reading files in the graph: ``tf.TextLineReader`` and ``tf.decode_csv``, as TF1's input
pipelines use them (lab 4's "reading data from files").

A reader op outputs a ``resource`` handle to a reader the Session keeps
(``runtime/queues.py``); ``reader.read(filename_queue)`` dequeues a file name when it needs
the next file, and gives one ``(key, value)`` record per run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.graph import Tensor, get_default_graph, name_scope
from graphflow.framework.registry import NOT_DIFFERENTIABLE, OpDef, register
from graphflow.ops.constant_op import convert_to_tensor
from graphflow.ops.data_flow_ops import (
    QueueBase,
    ResourceAccess,
    ResourceHandle,
    ResourceQuery,
    check_handle,
    kernel_result,
)
from graphflow.ops.op_util import check_dtype
from graphflow.runtime.queues import TextLineReader as _Reader
from graphflow.runtime.queues import decode_csv as _decode_csv

CSV_TYPES = frozenset({dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                       dtypes.string})


@register("TextLineReaderV2")
class TextLineReaderV2(ResourceHandle):
    """A line reader's handle."""

    attrs = {"skip_header_lines": 0, **ResourceHandle.attrs}

    def factory(self, op: Any, state: Any) -> Any:
        skip = op.attrs["skip_header_lines"]
        return lambda: _Reader(skip)


@register("ReaderReadV2")
class ReaderReadV2(ResourceAccess):
    """The next record (``key``, ``value``) of the files named in a queue."""

    def infer(self, reader_handle: Tensor, queue_handle: Tensor) -> list:
        check_handle(self.type, reader_handle)
        check_handle(self.type, queue_handle)
        return [(dtypes.string, []), (dtypes.string, [])]

    def bind(self, op: Any, state: Any) -> Any:
        store = state.store

        def read(reader: _Reader, queue: Any) -> tuple:
            key, value = reader.read(store, queue)
            return np.array(key, object), np.array(value, object)

        return read


@register("ReaderNumRecordsProducedV2")
class ReaderNumRecordsProducedV2(ResourceQuery):
    """How many records the reader has produced."""

    dtype = dtypes.int64
    query = staticmethod(lambda reader: reader.records_produced)


@register("ReaderResetV2")
class ReaderResetV2(ResourceAccess):
    """Returns the reader to its initial state: no file open, no records produced."""

    def infer(self, reader_handle: Tensor) -> list:
        check_handle(self.type, reader_handle)
        return []

    def kernel(self, op: Any) -> Any:
        return lambda reader: reader.reset()


@register("DecodeCSV")
class DecodeCSV(OpDef):
    """Splits each string of ``records`` into fields, one output per column, each shaped like
    ``records``, with the dtype of the column's default (``record_defaults``)."""

    attrs = {"OUT_TYPE": None, "field_delim": ",", "use_quote_delim": True, "na_value": "",
             "select_cols": []}
    grad = NOT_DIFFERENTIABLE

    def infer(self, records: Tensor, *record_defaults: Tensor, OUT_TYPE: list,  # noqa: N803
              field_delim: str, use_quote_delim: bool, na_value: str,
              select_cols: list) -> list:
        check_dtype(self.type, "records", records, frozenset({dtypes.string}))
        if len(field_delim) != 1:
            raise ValueError("field_delim should be only 1 char")
        if select_cols and list(select_cols) != sorted(set(select_cols)):
            raise ValueError("select_cols is not strictly increasing")
        for index, default in enumerate(record_defaults):
            check_dtype(self.type, f"record_defaults[{index}]", default, CSV_TYPES)
            if default.shape.ndims is not None and default.shape.ndims > 1:
                raise ValueError(f"Shape must be at most rank 1 but is rank "
                                 f"{default.shape.ndims}: record_defaults[{index}]")
        return [(default.dtype.base_dtype, records.shape) for default in record_defaults]

    def kernel(self, op: Any) -> Any:
        attrs = op.attrs
        np_types = [dtype.as_numpy_dtype for dtype in attrs["OUT_TYPE"]]
        options = (attrs["field_delim"], attrs["use_quote_delim"], attrs["na_value"],
                   list(attrs["select_cols"]))

        def decode(records: Any, *defaults: Any) -> Any:
            columns = _decode_csv(records, [np.asarray(d) for d in defaults], np_types,
                                  *options)
            return kernel_result(columns)

        return decode


# -- the Python API ----------------------------------------------------------------------------
class ReaderBase:
    """``tf.ReaderBase``: a reader's handle and the ops that use it."""

    def __init__(self, op_type: str, attrs: dict, name: str) -> None:
        self._op = get_default_graph().create_op(op_type, [], attrs, name)
        self.reader_ref = self._op.outputs[0]

    def read(self, queue: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
        """The next record, ``(key, value)``, taking a new file name from ``queue`` (a queue
        of strings) whenever the current file is done."""
        queue_ref = queue.queue_ref if isinstance(queue, QueueBase) else queue
        op = get_default_graph().create_op("ReaderReadV2", [self.reader_ref, queue_ref], {},
                                           name or "ReaderReadV2")
        return op.outputs[0], op.outputs[1]

    def num_records_produced(self, name: str | None = None) -> Tensor:
        return get_default_graph().create_op("ReaderNumRecordsProducedV2", [self.reader_ref],
                                             {}, name or "ReaderNumRecordsProducedV2").outputs[0]

    def reset(self, name: str | None = None) -> Any:
        return get_default_graph().create_op("ReaderResetV2", [self.reader_ref], {},
                                             name or "ReaderResetV2")


class TextLineReader(ReaderBase):
    """``tf.TextLineReader``: one record per line of each file, the line ending removed; keys
    are ``b"file:line"``."""

    def __init__(self, skip_header_lines: int | None = None, name: str | None = None) -> None:
        super().__init__("TextLineReaderV2", {"skip_header_lines": skip_header_lines or 0},
                         name or "TextLineReaderV2")


def decode_csv(records: Any, record_defaults: list, field_delim: str = ",",
               use_quote_delim: bool = True, name: str | None = None, na_value: str = "",
               select_cols: list | None = None) -> list[Tensor]:
    """``tf.decode_csv``: the columns of CSV ``records``, one tensor per entry of
    ``record_defaults``. Each default is a list of one value (used for empty fields; its dtype
    is the column's) or empty (the field is required)."""
    with name_scope(name, "DecodeCSV", [records]) as scope:
        records = convert_to_tensor(records, dtype=dtypes.string, name="records")
        defaults = [_default(value, index) for index, value in enumerate(record_defaults)]
        if select_cols is not None and len(select_cols) != len(defaults):
            raise ValueError("Length of select_cols and record_defaults do not match.")
        attrs = {"OUT_TYPE": [d.dtype.base_dtype for d in defaults], "field_delim": field_delim,
                 "use_quote_delim": use_quote_delim, "na_value": na_value,
                 "select_cols": list(select_cols or [])}
        return list(get_default_graph().create_op("DecodeCSV", [records, *defaults], attrs,
                                                  scope).outputs)


def _default(value: Any, index: int) -> Tensor:
    if isinstance(value, Tensor):
        return value
    floats = np.asarray(value).dtype.kind == "f"  # [0.] and [] (a required column): float32
    return convert_to_tensor(value, dtype=dtypes.float32 if floats else None,
                             name=f"record_defaults_{index}")
