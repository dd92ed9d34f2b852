"""The Session-side state of TF1's input pipelines: queues and the readers that fill them.

A queue op (``FIFOQueueV2``, ``RandomShuffleQueueV2``) outputs a handle: the :class:`Queue`
object that its Session creates on the op's first run and keeps until it closes. Enqueue and
dequeue ops take that handle, so every run of one Session shares the queue, and the threads of
``tf.train.start_queue_runners`` fill it while the training loop empties it.

An enqueue on a full queue and a dequeue from an empty one wait. A waiting run first lets go of
the Session's run lock (see :meth:`VariableStore.released`): the run that would fill or empty
the queue needs that lock to start.
"""

from __future__ import annotations

import csv
import threading
import time
from typing import Any

import numpy as np

from graphflow.framework.errors import (
    CancelledError,
    DeadlineExceededError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
)
from graphflow.framework.tensor_shape import format_dims
from graphflow.runtime.state import VariableStore


class Queue:
    """A bounded queue of elements, each a tuple of arrays with the queue's dtypes and shapes.

    ``kind`` is TF1's class name (``FIFOQueue``), used in messages. With a ``generator``, a
    dequeue takes elements at random (``RandomShuffleQueue``) and, until the queue is closed,
    leaves at least ``min_after_dequeue`` behind, so that what it takes is well mixed."""

    def __init__(self, kind: str, name: str, capacity: int, np_types: list,
                 shapes: list[tuple | None], min_after_dequeue: int = 0,
                 generator: np.random.Generator | None = None) -> None:
        self.kind, self.name = kind, name
        self.capacity = capacity if capacity >= 0 else np.inf
        self.np_types, self.shapes = np_types, shapes
        self.min_after_dequeue = min_after_dequeue
        self.generator = generator
        self.closed = False
        self._items: list[tuple] = []
        self._changed = threading.Condition()
        self._enqueues_cancelled = False
        self._session_closed = False

    def __len__(self) -> int:
        return len(self._items)

    # -- enqueue -------------------------------------------------------------------------------
    def enqueue(self, store: VariableStore, components: tuple, many: bool) -> None:
        """Adds one element, or (``many``) the slices along axis 0 of ``components``, waiting
        while the queue is full. The queue keeps copies: a fed array the program changes
        later does not change what is queued."""
        arrays = [np.array(value, np_type) for value, np_type in zip(components, self.np_types)]
        elements = self._split(arrays) if many else [tuple(self._checked(arrays))]
        for element in elements:
            with self._changed:
                self._check_open()
                if len(self._items) < self.capacity:
                    self._append(element)
                    continue
            with store.released(), self._changed:  # full: let the runs that dequeue go first
                while len(self._items) >= self.capacity:
                    self._check_open()
                    _wait(self._changed.wait, store)
                self._check_open()
                self._append(element)

    def _append(self, element: tuple) -> None:
        self._items.append(element)
        self._changed.notify_all()

    def _check_open(self) -> None:
        if self._session_closed:
            raise CancelledError(None, None, "Session has been closed.")
        if self._enqueues_cancelled:
            raise CancelledError(None, None, "Enqueue operation was cancelled")
        if self.closed:
            raise CancelledError(None, None, f"{self.kind} '{self.name}' is closed.")

    def _checked(self, arrays: list[np.ndarray], skip: int = 0) -> list[np.ndarray]:
        """``arrays``, after checking each against its component's shape (ignoring the first
        ``skip`` dimensions: the batch of an enqueue_many)."""
        for index, (array, shape) in enumerate(zip(arrays, self.shapes)):
            if shape is not None and array.shape[skip:] != shape:
                expected = array.shape[:skip] + shape
                raise InvalidArgumentError(
                    None, None, f"Shape mismatch in tuple component {index}. Expected "
                                f"{format_dims(expected)}, got {format_dims(array.shape)}")
        return arrays

    def _split(self, arrays: list[np.ndarray]) -> list[tuple]:
        for array in arrays:
            if array.ndim == 0:
                raise InvalidArgumentError(None, None, "Input tensor must have rank at least 1 "
                                                       "for enqueue_many")
        counts = {len(array) for array in arrays}
        if len(counts) > 1:
            raise InvalidArgumentError(None, None, "Expected the components of enqueue_many to "
                                                   f"have the same first dimension, got {counts}")
        self._checked(arrays, skip=1)
        return list(zip(*arrays))

    # -- dequeue -------------------------------------------------------------------------------
    def dequeue(self, store: VariableStore, count: int | None, up_to: bool = False) -> tuple:
        """One element (``count`` None), or ``count`` of them stacked along a new axis 0; with
        ``up_to``, fewer once the queue is closed. Waits until the queue holds enough."""
        wanted = 1 if count is None else count
        with self._changed:
            taken = self._take(wanted, up_to) if self._ready(wanted) else None
        if taken is None:
            with store.released(), self._changed:  # empty: let the runs that enqueue go first
                while not self._ready(wanted):
                    _wait(self._changed.wait, store)
                taken = self._take(wanted, up_to)
        if count is None:
            return taken[0]
        if not taken:
            return tuple(np.empty((0, *shape), np_type)
                         for shape, np_type in zip(self.shapes, self.np_types))
        return tuple(np.stack(component) for component in zip(*taken))

    def _ready(self, count: int) -> bool:
        """Whether a dequeue of ``count`` can end now: enough elements, or a closed queue."""
        if self.closed:
            return True
        return len(self._items) >= count + (self.min_after_dequeue if self.generator else 0)

    def _take(self, count: int, up_to: bool) -> list[tuple]:
        items = self._items
        if self._session_closed:
            raise CancelledError(None, None, "Session has been closed.")
        if len(items) < count and not (up_to and items):
            raise OutOfRangeError(
                None, None, f"{self.kind} '{self.name}' is closed and has insufficient "
                            f"elements (requested {count}, current size {len(items)})")
        count = min(count, len(items))
        if self.generator is None:
            taken, items[:count] = items[:count], []
        else:
            taken = []
            for _ in range(count):  # swap a random element to the end and take it from there
                index = int(self.generator.integers(len(items)))
                items[index], items[-1] = items[-1], items[index]
                taken.append(items.pop())
        self._changed.notify_all()
        return taken

    # -- closing -------------------------------------------------------------------------------
    def close(self, cancel_pending_enqueues: bool = False) -> None:
        """No more enqueues; dequeues take what is left, then raise OutOfRangeError. With
        ``cancel_pending_enqueues``, enqueues that wait now end with CancelledError."""
        with self._changed:
            self.closed = True
            self._enqueues_cancelled |= cancel_pending_enqueues
            self._changed.notify_all()

    def cancel(self) -> None:
        """Ends every waiting enqueue and dequeue with CancelledError: the Session closed."""
        with self._changed:
            self.closed = self._session_closed = True
            self._changed.notify_all()


def _wait(wait: Any, store: VariableStore) -> None:
    """Calls ``wait`` (a condition's ``wait``, a lock's ``acquire``), with the time left
    before the run's deadline if it has one; DeadlineExceededError when that time runs out."""
    deadline = store.deadline()
    if deadline is None:
        wait()
    elif not wait(timeout=max(0.0, deadline - time.monotonic())):
        raise DeadlineExceededError(None, None, "Timed out waiting for notification")


class TextLineReader:
    """Reads the lines of the files whose names it dequeues from a queue of file names, one
    line a read: TF1's ``TextLineReader``. Keys are ``b"file:line"`` (lines count from 1, the
    skipped header lines included); values are the lines without their line ending."""

    def __init__(self, skip_header_lines: int = 0) -> None:
        self.skip_header_lines = skip_header_lines
        self.records_produced = 0
        self._file: bytes = b""
        self._lines: list[bytes] = []
        self._line = 0
        self._lock = threading.Lock()  # one read at a time: each takes the next line

    def read(self, store: VariableStore, queue: Queue) -> tuple[bytes, bytes]:
        """The next ``(key, value)``, taking a new file name from ``queue`` when the current
        file is done. Several threads may read at once (``tf.train.batch`` with
        ``num_threads``): one reads while the others wait, outside the run lock, since the
        reading thread may itself be waiting for the runs that fill ``queue``."""
        if not self._lock.acquire(blocking=False):
            with store.released():
                _wait(self._lock.acquire, store)
        try:
            while self._line >= len(self._lines):
                self._open(queue.dequeue(store, None)[0])
            self._line += 1
            self.records_produced += 1
            return b"%s:%d" % (self._file, self._line), self._lines[self._line - 1]
        finally:
            self._lock.release()

    def _open(self, filename: Any) -> None:
        name = np.asarray(filename).item()  # a scalar of the string queue
        name = name if isinstance(name, bytes) else str(name).encode()
        try:
            with open(name, "rb") as file:
                lines = file.read().splitlines()
        except OSError as error:
            raise NotFoundError(None, None, f"{name.decode(errors='replace')}; "
                                            f"{error.strerror}") from None
        self._file, self._lines = name, lines
        self._line = min(self.skip_header_lines, len(lines))

    def reset(self) -> None:
        with self._lock:
            self._file, self._lines, self._line, self.records_produced = b"", [], 0, 0


def decode_csv(records: np.ndarray, defaults: list[np.ndarray], np_types: list,
               field_delim: str, use_quote_delim: bool, na_value: str,
               select_cols: list[int]) -> tuple[np.ndarray, ...]:
    """TF1's ``DecodeCSV`` kernel: one array per column, shaped like ``records``. An empty
    field (or one equal to ``na_value``) takes its column's default; a column without one
    (``[]``) must be present."""
    flat = np.asarray(records, object).reshape(-1)
    columns = [np.empty(flat.shape, np_type) for np_type in np_types]
    quoting = {"quotechar": '"'} if use_quote_delim else {"quoting": csv.QUOTE_NONE}
    for row, record in enumerate(flat):
        text = record.decode() if isinstance(record, bytes) else str(record)
        fields = next(csv.reader([text], delimiter=field_delim, **quoting), [""])
        if select_cols:
            if select_cols[-1] >= len(fields):
                raise InvalidArgumentError(None, None, f"Expect {len(select_cols)} fields but "
                                                       f"have {len(fields)} in record {row}")
            fields = [fields[i] for i in select_cols]
        if len(fields) != len(columns):
            raise InvalidArgumentError(None, None, f"Expect {len(columns)} fields but have "
                                                   f"{len(fields)} in record {row}")
        for index, (field, default, column) in enumerate(zip(fields, defaults, columns)):
            column[row] = _field_value(field, default, column.dtype, index, row, na_value)
    return tuple(column.reshape(np.shape(records)) for column in columns)


def _field_value(field: str, default: np.ndarray, dtype: np.dtype, index: int, row: int,
                 na_value: str) -> Any:
    if field == "" or field == na_value:
        if default.size == 0:
            raise InvalidArgumentError(None, None, f"Field {index} is required but missing in "
                                                   f"record {row}!")
        return default.reshape(-1)[0]
    if dtype.kind == "O":
        return field.encode()
    try:
        value = float(field) if dtype.kind == "f" else int(field)
    except ValueError:
        kind = "float" if dtype.kind == "f" else dtype.name
        raise InvalidArgumentError(None, None, f"Field {index} in record {row} is not a valid "
                                               f"{kind}: {field}") from None
    if dtype.kind == "i" and not np.iinfo(dtype).min <= value <= np.iinfo(dtype).max:
        raise InvalidArgumentError(None, None, f"Field {index} in record {row} is not a valid "
                                               f"{dtype.name}: {field}")
    return value
