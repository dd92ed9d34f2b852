"""``tf.contrib.framework``: ``arg_scope``, which gives a group of layer functions default
arguments for a block, and ``add_arg_scope``, which makes a function take them.

Lab 10-7 of the lecture builds five ``fully_connected`` layers that share an initializer, a
normalizer and an activation this way::

    with arg_scope([fully_connected], activation_fn=tf.nn.relu, normalizer_fn=batch_norm):
        hidden = fully_connected(X, 512, scope="h1")
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from typing import Any

_local = threading.local()  # each thread builds its graph under its own scopes


def _current() -> dict:
    """The innermost arg_scope: function key to default keyword arguments."""
    stack = getattr(_local, "stack", None)
    return stack[-1] if stack else {}


def _key(function: Callable) -> tuple[str, str]:
    function = getattr(function, "__wrapped__", function)
    return function.__module__, function.__name__


def add_arg_scope(function: Callable) -> Callable:
    """Decorates ``function`` so that calls take default keyword arguments from the enclosing
    :func:`arg_scope`s; arguments given in the call win."""
    key = _key(function)

    @functools.wraps(function)
    def with_scope(*args: Any, **kwargs: Any) -> Any:
        defaults = _current().get(key)
        return function(*args, **({**defaults, **kwargs} if defaults else kwargs))

    with_scope._arg_scope_key = key  # noqa: SLF001 - marks the function as decorated
    return with_scope


def has_arg_scope(function: Callable) -> bool:
    return hasattr(function, "_arg_scope_key")


@contextlib.contextmanager
def arg_scope(list_ops_or_scope: Any, **kwargs: Any) -> Iterator[dict]:
    """Within the block, calls of the functions in ``list_ops_or_scope`` (each decorated with
    :func:`add_arg_scope`) take ``kwargs`` as defaults, on top of those of enclosing scopes.
    Yields the scope; passing it back (``with arg_scope(scope):``) reenters it."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, "
                             "kwargs must be empty.")
        scope = list_ops_or_scope
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reused scope "
                            "(i.e. dict)")
        scope = dict(_current())
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError(f"{getattr(op, '__name__', op)} is not decorated with "
                                 "@add_arg_scope")
            key = op._arg_scope_key  # noqa: SLF001
            scope[key] = {**scope.get(key, {}), **kwargs}
    stack = _local.__dict__.setdefault("stack", [])
    stack.append(scope)
    try:
        yield scope
    finally:
        stack.pop()
