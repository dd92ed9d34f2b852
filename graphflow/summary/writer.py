"""``tf.summary.FileWriter``: writes Events to a TensorBoard event file.

One writer writes one file, ``<logdir>/events.out.tfevents.<seconds>.<hostname><suffix>`` as
TF1 names it, of TFRecord-framed ``Event`` messages; the first event gives the file version.
Adding an event only frames it and appends it to a list in memory, so training is not slowed;
a background thread writes the list out every ``flush_secs`` seconds, or as soon as
``max_queue`` events are waiting, and ``flush`` and ``close`` write it at once. When the
program ends, what open writers still hold is written too: lecture programs (lab 9-4) often
never close their writer.
"""

from __future__ import annotations

import atexit
import os
import socket
import threading
import time
import weakref
from typing import Any, BinaryIO

from graphflow.framework.graph import Graph
from graphflow.summary import proto
from graphflow.summary.graph_def import graph_def
from graphflow.summary.records import frame

FILE_VERSION = "brain.Event:2"
_OPEN: weakref.WeakSet = weakref.WeakSet()  # the writers whose file is open


@atexit.register
def _flush_open_writers() -> None:
    """At exit, writes the events that open writers still hold."""
    for writer in list(_OPEN):
        writer.flush()


class FileWriter:
    """Writes summaries and the graph to an event file in ``logdir`` for TensorBoard."""

    def __init__(self, logdir: str, graph: Graph | None = None, max_queue: int = 10,
                 flush_secs: float = 120, filename_suffix: str | None = None) -> None:
        self._logdir = str(logdir)
        self._max_queue = max_queue
        self._flush_secs = flush_secs
        self._suffix = filename_suffix or ""
        self._lock = threading.Lock()
        self._pending: list[bytes] = []
        self._file: BinaryIO | None = None
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.reopen()
        if graph is not None:
            self.add_graph(graph)

    def get_logdir(self) -> str:
        """The directory the event file is in."""
        return self._logdir

    def reopen(self) -> None:
        """Opens a new event file after ``close``; does nothing while the writer is open."""
        with self._lock:
            if self._file is not None:
                return
            os.makedirs(self._logdir, exist_ok=True)
            name = f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}"
            # Appending: a writer reopened within the same second continues the same file.
            self._file = open(os.path.join(self._logdir, name + self._suffix), "ab")
            self._pending = [frame(proto.event(time.time(), file_version=FILE_VERSION))]
            self._wake = threading.Event()
            self._thread = threading.Thread(target=self._write_periodically,
                                            args=(self._file, self._wake),
                                            name="FileWriter", daemon=True)
            self._thread.start()
            _OPEN.add(self)

    def add_event(self, event: Any) -> None:
        """Queues one Event (serialized bytes, or a message with ``SerializeToString``);
        ignored once the writer is closed, as in TF1."""
        data = event if isinstance(event, bytes) else event.SerializeToString()
        with self._lock:
            if self._file is None:
                return
            self._pending.append(frame(data))
            if len(self._pending) >= self._max_queue:
                self._wake.set()

    def add_summary(self, summary: Any, global_step: int | None = None) -> None:
        """Queues a Summary (the bytes a summary op returns, or a Summary message) at
        ``global_step``."""
        data = summary if isinstance(summary, bytes) else summary.SerializeToString()
        step = None if global_step is None else int(global_step)
        self.add_event(proto.event(time.time(), step=step, summary=data))

    def add_graph(self, graph: Graph, global_step: int | None = None) -> None:
        """Queues ``graph`` (a ``tf.Graph``, e.g. ``sess.graph``) as a GraphDef for TensorBoard's
        graph tab."""
        if not isinstance(graph, Graph):
            raise TypeError(f"add_graph expects a tf.Graph, not {type(graph).__name__}")
        step = None if global_step is None else int(global_step)
        self.add_event(proto.event(time.time(), step=step, graph_def=graph_def(graph)))

    def flush(self) -> None:
        """Writes every queued event to disk."""
        with self._lock:
            if self._file is not None:
                self._write_pending(self._file)

    def close(self) -> None:
        """Writes every queued event and closes the file; ``reopen`` starts a new one."""
        with self._lock:
            file, self._file = self._file, None
            if file is None:
                return
            _OPEN.discard(self)
            self._write_pending(file)
            file.close()
            self._wake.set()
        self._thread.join()

    def _write_pending(self, file: BinaryIO) -> None:
        """Writes the queue to ``file`` and flushes it; the caller holds the lock."""
        file.write(b"".join(self._pending))
        file.flush()
        self._pending = []

    def _write_periodically(self, file: BinaryIO, wake: threading.Event) -> None:
        """The background thread of one open file: writes the queue on each timeout or wake-up,
        until the file is closed."""
        while True:
            wake.wait(self._flush_secs)
            with self._lock:
                if self._file is not file:
                    return
                wake.clear()
                self._write_pending(file)

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()
