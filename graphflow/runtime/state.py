"""Where a Session keeps variable values, and how one run reads and writes them.

Values live in the Session (two Sessions on one graph never share them). A run never changes
them in place: its writes go to ``pending`` and are committed together when the run succeeds, so
a failed run leaves every variable as it was.

Reads within one run are deterministic (TF1 left their order undefined): a read that does not
depend, by data or control edges, on a write to its variable in the same run sees the value from
before the run; a read that does depend on such a write sees the written value. The plan
compiler decides which reads are which and hands that set to :class:`BindContext`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from graphflow.framework.errors import FailedPreconditionError


class VariableStore:
    """The committed values of one Session's variables, keyed by the variable op's name."""

    def __init__(self) -> None:
        self.values: dict[str, np.ndarray] = {}
        self.pending: dict[str, np.ndarray] = {}
        self.generators: dict[str, np.random.Generator] = {}  # one per random op
        self.lock = threading.RLock()  # runs that touch variables are serialized

    def commit(self) -> None:
        self.values.update(self.pending)
        self.pending.clear()

    def discard(self) -> None:
        self.pending.clear()

    def clear(self) -> None:
        """Forgets every value (a closed Session)."""
        self.values.clear()
        self.pending.clear()


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
    """What the kernels of one compiled plan are bound to: the Session's store and the set of
    read ops that must see this run's writes (see the module docstring)."""

    def __init__(self, store: VariableStore, reads_after_write: frozenset = frozenset()):
        self.store = store
        self.reads_after_write = reads_after_write

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
