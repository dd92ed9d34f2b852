"""``tf.train.Coordinator``: stops a group of threads together, and hands the first error one
of them hit to the thread that joins them."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterable, Iterator

from graphflow.framework import errors


class Coordinator:
    """Threads check :meth:`should_stop` in their loops; any of them (or the main thread) calls
    :meth:`request_stop`, passing the exception that ended it, if any; :meth:`join` waits for
    them and re-raises that exception. Exceptions of ``clean_stop_exception_types`` (by default
    OutOfRangeError: an input pipeline ran out) stop the threads without being re-raised."""

    def __init__(self, clean_stop_exception_types: tuple | None = None) -> None:
        self._clean_stop = (clean_stop_exception_types if clean_stop_exception_types is not None
                            else (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info: tuple | None = None
        self._registered: set[threading.Thread] = set()
        self._joined = False

    def request_stop(self, ex: BaseException | tuple | None = None) -> None:
        """Asks every thread to stop. ``ex`` (an exception or a ``sys.exc_info()`` triple) is
        kept for :meth:`join` to raise, unless an earlier request came first or it is a clean
        stop."""
        with self._lock:
            exc_info = _exc_info(ex)
            if exc_info and isinstance(exc_info[1], self._clean_stop):
                exc_info = None
            if self._joined:  # nobody will join again: raise it here, or never
                if exc_info:
                    raise exc_info[1].with_traceback(exc_info[2])
                return
            if not self._stop_event.is_set():
                self._exc_info = exc_info
                self._stop_event.set()

    def clear_stop(self) -> None:
        """Forgets the stop request and its exception, so the threads can be started again."""
        with self._lock:
            self._joined = False
            self._exc_info = None
            self._stop_event.clear()

    def should_stop(self) -> bool:
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self) -> Iterator[None]:
        """Runs the block; an exception in it requests a stop (with that exception) instead of
        propagating."""
        try:
            yield
        except Exception:  # noqa: BLE001 - handed to join(), which raises it
            self.request_stop(sys.exc_info())

    def wait_for_stop(self, timeout: float | None = None) -> bool:
        """Waits until a stop is requested (or ``timeout`` seconds); True if one was."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread: threading.Thread) -> None:
        """Adds ``thread`` to those :meth:`join` waits for."""
        with self._lock:
            self._registered.add(thread)

    def join(self, threads: Iterable[threading.Thread] | None = None,
             stop_grace_period_secs: float = 120, ignore_live_threads: bool = False) -> None:
        """Waits until the threads have ended or a stop is requested, then gives them
        ``stop_grace_period_secs`` to end. Raises RuntimeError naming those still running
        (unless ``ignore_live_threads``), then the exception passed to :meth:`request_stop`."""
        with self._lock:
            threads = set(self._registered) | set(threads or ())
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(0.05):
            pass
        deadline = time.monotonic() + stop_grace_period_secs
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            self._joined = True
            self._registered = set()
            exc_info = self._exc_info
        alive = [t.name for t in threads if t.is_alive()]
        if exc_info:
            raise exc_info[1].with_traceback(exc_info[2])
        if alive and not ignore_live_threads:
            raise RuntimeError(f"Coordinator stopped with threads still running: "
                               f"{' '.join(sorted(alive))}")

    @property
    def joined(self) -> bool:
        return self._joined

    def raise_requested_exception(self) -> None:
        """Raises the exception passed to :meth:`request_stop`, if there was one."""
        with self._lock:
            exc_info = self._exc_info
        if exc_info:
            raise exc_info[1].with_traceback(exc_info[2])


def _exc_info(ex: BaseException | tuple | None) -> tuple | None:
    if ex is None:
        return None
    if isinstance(ex, tuple):
        return ex if ex[1] is not None else None
    return type(ex), ex, ex.__traceback__
