"""Where a Session keeps variable values, and how one run reads and writes them.

Values live in the Session (two Sessions on one graph never share them). A run changes nothing
while it runs: its writes go to ``pending``, and the optimizer updates that the plan compiler
chose to do in place (see ``_updates_in_place`` in ``runtime/plan.py``) are queued in
``deferred``. Both are committed together when the run succeeds, so a failed run leaves every
variable as it was. A queued update runs at the commit on the stored arrays themselves, so a
training step needs no second copy of its weights; an array that anything outside the store
still references (a refcount above the dictionary's own) is updated in a copy instead, so no
value a caller holds ever changes. The commit allocates everything first and holds back Ctrl-C
while it updates, so it cannot stop half-way.

Reads within one run are deterministic (TF1 left their order undefined): a read that does not
depend, by data or control edges, on a write to its variable in the same run sees the value from
before the run; a read that does depend on such a write sees the written value. The plan
compiler decides which reads are which and hands that set to :class:`BindContext`.
"""

from __future__ import annotations

import _signal
import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from graphflow.framework.errors import FailedPreconditionError


class VariableStore:
    """The committed values of one Session's variables, keyed by the variable op's name."""

    def __init__(self) -> None:
        self.values: dict[str, np.ndarray] = {}
        self.pending: dict[str, np.ndarray] = {}
        # (variable names, update, dense inputs, scratch arrays it needs): see ops.training_ops
        self.deferred: list[tuple[list[str], Callable, tuple, int]] = []
        self.generators: dict[str, np.random.Generator] = {}  # one per random op
        self.resources: dict[str, Any] = {}  # queues and readers (runtime/queues.py), by op
        self._deadlines = threading.local()  # see waits_until()
        self.lock = threading.RLock()  # runs that touch variables are serialized
        self._scratch: dict[np.dtype, np.ndarray] = {}  # see scratch()
        self._views: dict[tuple, list[np.ndarray]] = {}

    def scratch(self, like: np.ndarray, count: int) -> list[np.ndarray]:
        """``count`` arrays shaped like ``like`` for an update's intermediate results: views of
        one buffer per dtype that the store keeps, used by one update at a time (the lock
        serializes runs that update). Allocating and freeing them each step would cost more
        than the update: glibc returns large freed blocks to the system, so each new one
        starts with page faults."""
        key = (like.shape, like.dtype, count)
        views = self._views.get(key)
        if views is None:
            size, buffer = like.size, self._scratch.get(like.dtype)
            if buffer is None or buffer.size < size * count:
                buffer = self._scratch[like.dtype] = np.empty(size * count, like.dtype)
                self._views.clear()  # views of the old buffer would keep it alive
            views = self._views[key] = [buffer[i * size:(i + 1) * size].reshape(like.shape)
                                        for i in range(count)]
        return views

    def commit(self) -> None:
        """Makes a successful run's writes the stored values, and runs its queued updates."""
        if not self.deferred:
            self.values.update(self.pending)
            self.pending.clear()
            return
        try:
            jobs = self._allocate()  # may fail (MemoryError): then nothing has changed
        except BaseException:
            self.discard()
            raise
        with _InterruptsHeld(), np.errstate(all="ignore"):
            self.values.update(self.pending)
            self.pending.clear()
            self.deferred.clear()
            for keys, arrays, update, dense, scratch_count in jobs:
                for array in arrays:
                    array.setflags(write=True)
                update(arrays, self.scratch(arrays[0], scratch_count), *dense)
                for key, array in zip(keys, arrays):
                    array.setflags(write=False)
                    self.values[key] = array

    def _allocate(self) -> list[tuple]:
        """For each queued update: the arrays it updates, the stored ones where only the store
        references them, else copies; and the scratch buffer, grown to the largest need."""
        values, jobs = self.values, []
        for keys, update, dense, scratch_count in self.deferred:
            arrays = [values[key] if _store_only(values, key) else values[key].copy()
                      for key in keys]
            self.scratch(arrays[0], scratch_count)
            jobs.append((keys, arrays, update, dense, scratch_count))
        return jobs

    def discard(self) -> None:
        self.pending.clear()
        self.deferred.clear()

    def resource(self, key: str, create: Callable[[], Any]) -> Any:
        """The resource (a queue or reader) of op ``key``, made by ``create`` on first use."""
        resource = self.resources.get(key)
        if resource is None:
            resource = self.resources.setdefault(key, create())  # one wins a race
        return resource

    @contextlib.contextmanager
    def waits_until(self, deadline: float) -> Iterator[None]:
        """Within the block, this thread's waits on queues end at ``deadline`` (a
        ``time.monotonic()`` time): ``RunOptions(timeout_in_ms=...)``."""
        previous = getattr(self._deadlines, "value", None)
        self._deadlines.value = deadline
        try:
            yield
        finally:
            self._deadlines.value = previous

    def deadline(self) -> float | None:
        """When this thread's current run must stop waiting, or None for never."""
        return getattr(self._deadlines, "value", None)

    @contextlib.contextmanager
    def released(self) -> Iterator[None]:
        """Lets other runs go ahead while this thread waits on a queue. If this thread holds
        the run lock, its run's writes are set aside and the lock released; when the block
        ends, the lock is taken back and the writes restored. (Every other run finished or set
        its own writes aside before the lock came back, so none are mixed.) Reads after the
        wait may see what other runs committed meanwhile, as in TF1, which has no run lock."""
        lock = self.lock
        if not lock._is_owned():  # the RLock protocol threading.Condition uses
            yield
            return
        pending, deferred = dict(self.pending), list(self.deferred)
        self.discard()
        saved = lock._release_save()
        try:
            yield
        finally:
            lock._acquire_restore(saved)
            self.pending.update(pending)
            self.deferred.extend(deferred)

    def clear(self) -> None:
        """Forgets every value (a closed Session), and ends every wait on its queues."""
        for resource in list(self.resources.values()):
            if hasattr(resource, "cancel"):
                resource.cancel()
        self.resources.clear()
        self.values.clear()
        self._scratch.clear()
        self._views.clear()
        self.discard()


def _store_only(values: dict, key: str) -> bool:
    """Whether only ``values`` references the array stored under ``key``, which owns its data:
    then nothing else can see it change. (2: the dictionary's reference and the argument's.)"""
    return sys.getrefcount(values[key]) == 2 and values[key].flags.owndata


class _InterruptsHeld:
    """Holds Ctrl-C (SIGINT) back until the block has finished, then delivers it. Python runs
    signal handlers in the main thread only, so elsewhere there is nothing to hold. It calls
    ``_signal``, the C module under ``signal``, directly: ``signal``'s enum conversions made
    each call ten times dearer, and every commit of an in-place update enters this block."""

    __slots__ = ("previous", "received")

    def __enter__(self) -> None:
        self.previous, self.received = None, []
        if threading.current_thread() is threading.main_thread():
            previous = _signal.getsignal(signal.SIGINT)
            if previous is not None:  # None: set outside Python, so left alone
                _signal.signal(signal.SIGINT, lambda number, frame: self.received.append(frame))
                self.previous = previous

    def __exit__(self, *error: Any) -> None:
        previous = self.previous
        if previous is None:
            return
        _signal.signal(signal.SIGINT, previous)
        if self.received and callable(previous):
            previous(signal.SIGINT, self.received[0])
        elif self.received and previous == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)


def uninitialized_error(variable_name: str, op: Any) -> FailedPreconditionError:
    return FailedPreconditionError(
        None, op, f"Attempting to use uninitialized value {variable_name}"
    )


def freeze(value: Any, np_type: Any) -> np.ndarray:
    """A private, read-only copy of ``value`` to store as a variable's value."""
    array = np.array(value, dtype=np_type)
    array.flags.writeable = False
    return array


class BindContext:
    """What the kernels of one compiled plan are bound to: the Session's store, the set of
    read ops that must see this run's writes and the set of updates to do in place (see the
    module docstring)."""

    def __init__(self, store: VariableStore, reads_after_write: frozenset = frozenset(),
                 in_place: frozenset = frozenset()):
        self.store = store
        self.reads_after_write = reads_after_write
        self.in_place = in_place  # the update ops to queue for the commit

    def reader(self, read_op: Any) -> Callable:
        """The kernel of a variable read (``Identity`` of a reference)."""
        key = read_op.inputs[0].op.name
        values, pending = self.store.values, self.store.pending

        if read_op in self.reads_after_write:
            def read_current(_ref: Any) -> np.ndarray:
                if key in pending:
                    return pending[key]
                try:
                    return values[key]
                except KeyError:
                    raise uninitialized_error(key, read_op) from None

            return read_current

        def read_snapshot(_ref: Any) -> np.ndarray:
            try:
                return values[key]
            except KeyError:
                raise uninitialized_error(key, read_op) from None

        return read_snapshot

    def current(self, variable_op: Any, user_op: Any) -> Callable[[], np.ndarray]:
        """A function giving a variable's latest value in this run (for read-modify-write)."""
        key = variable_op.name
        values, pending = self.store.values, self.store.pending

        def current_value() -> np.ndarray:
            if key in pending:
                return pending[key]
            try:
                return values[key]
            except KeyError:
                raise uninitialized_error(key, user_op) from None

        return current_value

    def writer(self, variable_op: Any, fresh: bool = False) -> Callable[[Any], np.ndarray]:
        """A function that records a new value for the variable (committed after the run).

        ``fresh`` promises that every value written is a new array nothing else holds (an
        optimizer's update result): it is then stored without a copy.
        """
        key = variable_op.name
        pending = self.store.pending
        np_type = variable_op.outputs[0].dtype.as_numpy_dtype

        def write(value: Any) -> np.ndarray:
            stored = pending[key] = freeze(value, np_type)
            return stored

        def write_fresh(value: Any) -> np.ndarray:
            if type(value) is not np.ndarray or value.dtype != np_type:
                return write(value)
            value.setflags(write=False)
            pending[key] = value
            return value

        return write_fresh if fresh else write

    def generator(self, random_op: Any) -> np.random.Generator:
        """The Session's random generator for ``random_op``: seeded from the op's ``seed`` and
        ``seed2`` attributes when either is set, else from fresh entropy."""
        generators = self.store.generators
        if random_op.name not in generators:
            seeds = [random_op.attrs["seed"], random_op.attrs["seed2"]]
            generators[random_op.name] = np.random.default_rng(seeds if any(seeds) else None)
        return generators[random_op.name]

    def is_initialized(self, variable_op: Any) -> Callable[[], bool]:
        key = variable_op.name
        values = self.store.values
        return lambda: key in values
