"""Shared fixtures: every test starts with a fresh, empty default graph and no default session."""

from __future__ import annotations

import inspect
import sys
import threading
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

import graphflow as tf

# Hypothesis tests build a new graph per example (``with tf.Graph().as_default()``), so the
# function-scoped autouse fixture below does not leak state between examples.
HYPOTHESIS_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def fresh_default_graph():
    """Replaces the global default graph before each test and checks that the test left no
    default session behind (an InteractiveSession that was never closed, say)."""
    tf.reset_default_graph()
    yield tf.get_default_graph()
    leaked = tf.get_default_session()
    if leaked is not None:
        leaked.close()
        pytest.fail(f"test left a default session behind: {leaked!r}")


def next_line() -> int:
    """The line number just after the caller's line: call it on the line above an op that is
    built, to know the ``file:line`` that graphflow must cite for that op."""
    return inspect.currentframe().f_back.f_lineno + 1


def run_at_once(targets: list[Callable[[], None]], start: threading.Barrier) -> None:
    """Runs each target in a thread of its own, all released together by ``start`` (whose
    parties are the targets and this thread), with Python switching threads as often as it
    can, so that races would show; returns when all have finished."""
    workers = [threading.Thread(target=target) for target in targets]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for worker in workers:
            worker.start()
        start.wait()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(interval)
