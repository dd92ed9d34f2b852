"""``tf.train.QueueRunner``: threads that keep running a queue's enqueue ops, so that the
training loop always finds data waiting; ``tf.train.start_queue_runners`` starts those of a
graph's ``QUEUE_RUNNERS`` collection."""

from __future__ import annotations

import threading
import weakref
from typing import Any

from graphflow.framework import errors
from graphflow.framework.graph import GraphKeys, Operation, add_to_collection, get_collection


class QueueRunner:
    """One thread per enqueue op runs it again and again in a Session. When an enqueue raises
    one of ``queue_closed_exception_types`` (by default OutOfRangeError: its input ran out),
    its thread ends, and the last thread to end closes the queue, so that dequeues then take
    what is left and raise OutOfRangeError. Any other error stops the Coordinator, or, without
    one, is raised in the thread and kept in :attr:`exceptions_raised`. When the Coordinator
    stops, ``cancel_op`` ends enqueues that wait on a full queue; when the Session closes,
    the threads end quietly."""

    def __init__(self, queue: Any = None, enqueue_ops: list | None = None,
                 close_op: Operation | None = None, cancel_op: Operation | None = None,
                 queue_closed_exception_types: tuple | None = None) -> None:
        if queue is None or not enqueue_ops:
            raise ValueError("Queue and enqueue_ops are required")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = (cancel_op if cancel_op is not None
                           else queue.close(cancel_pending_enqueues=True))
        self._closed_types = queue_closed_exception_types or (errors.OutOfRangeError,)
        self._lock = threading.Lock()
        self._running: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Session: count
        self._exceptions_raised: list[BaseException] = []

    @property
    def queue(self) -> Any:
        return self._queue

    @property
    def enqueue_ops(self) -> list:
        return list(self._enqueue_ops)

    @property
    def close_op(self) -> Operation:
        return self._close_op

    @property
    def cancel_op(self) -> Operation:
        return self._cancel_op

    @property
    def exceptions_raised(self) -> list[BaseException]:
        return list(self._exceptions_raised)

    @property
    def name(self) -> str:
        return self._queue.name

    def create_threads(self, sess: Any, coord: Any = None, daemon: bool = False,
                       start: bool = False) -> list[threading.Thread]:
        """The threads that run the enqueue ops in ``sess`` (none if they already run there),
        plus, with a Coordinator, one that runs ``cancel_op`` when it stops. All are
        registered with ``coord``."""
        with self._lock:
            if self._running.get(sess, 0) > 0:
                return []
            self._running[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [threading.Thread(target=self._run, args=(sess, op, coord),
                                    name=f"QueueRunnerThread-{self.name}-{op.name}")
                   for op in self._enqueue_ops]
        if coord is not None:
            threads.append(threading.Thread(target=self._cancel_on_stop, args=(sess, coord),
                                            name=f"QueueRunnerThread-{self.name}-close_on_stop"))
        for thread in threads:
            if coord is not None:
                coord.register_thread(thread)
            thread.daemon = daemon
            if start:
                thread.start()
        return threads

    def _run(self, sess: Any, enqueue_op: Operation, coord: Any) -> None:
        try:
            while coord is None or not coord.should_stop():
                sess.run(enqueue_op)
        except self._closed_types:
            self._finished(sess, close=True)
            return
        except Exception as error:  # noqa: BLE001 - handed to the Coordinator
            if getattr(sess, "_closed", False):  # the program is done with the Session
                self._finished(sess, close=False)
                return
            if coord is None:
                with self._lock:
                    self._exceptions_raised.append(error)
                self._finished(sess, close=False)
                raise
            coord.request_stop(error)
        self._finished(sess, close=False)

    def _finished(self, sess: Any, close: bool) -> None:
        """One thread is done; the last one, ended by a closed input, closes the queue."""
        with self._lock:
            self._running[sess] -= 1
            last = self._running[sess] == 0
        if close and last:
            _run_unless_closed(sess, self._close_op)

    def _cancel_on_stop(self, sess: Any, coord: Any) -> None:
        coord.wait_for_stop()
        _run_unless_closed(sess, self._cancel_op)


def _run_unless_closed(sess: Any, op: Operation) -> None:
    """Runs ``op`` (closing a queue), unless the Session has closed meanwhile."""
    try:
        sess.run(op)
    except (errors.OpError, RuntimeError):
        pass


def add_queue_runner(qr: QueueRunner, collection: str = GraphKeys.QUEUE_RUNNERS) -> None:
    """``tf.train.add_queue_runner``: adds ``qr`` to the graph's collection."""
    add_to_collection(collection, qr)


def start_queue_runners(sess: Any = None, coord: Any = None, daemon: bool = True,
                        start: bool = True, collection: str = GraphKeys.QUEUE_RUNNERS
                        ) -> list[threading.Thread]:
    """``tf.train.start_queue_runners``: starts the threads of every QueueRunner in the
    graph's collection, in ``sess`` (by default, the default Session); returns them."""
    if sess is None:
        from graphflow.session import get_default_session

        sess = get_default_session()
        if sess is None:
            raise ValueError("Cannot start queue runners: No default session is registered. "
                             "Use `with sess.as_default()` or pass an explicit session to "
                             "tf.start_queue_runners(sess=sess)")
    with sess.graph.as_default():
        runners = get_collection(collection)
    threads = []
    for runner in runners:
        threads.extend(runner.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads
