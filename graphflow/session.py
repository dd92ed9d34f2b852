"""``tf.Session``: runs a graph, holding the values of its variables.

``run`` turns the fetches into a flat list of graph elements and the feed_dict into tensors and
checked arrays, finds (or compiles once) the plan for that signature, executes it, and rebuilds
the fetch structure from the results. Errors raised by a kernel become TF1's OpErrors naming
the op and the line of user code that built it; a failed run leaves all variables unchanged.
"""

from __future__ import annotations

import contextlib
import copy
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from graphflow.framework import errors
from graphflow.framework.graph import Graph, Operation, Tensor, get_default_graph
from graphflow.ops.constant_op import to_numpy
from graphflow.runtime.plan import Plan, compile_plan, where_defined
from graphflow.runtime.state import VariableStore
from graphflow.runtime.trace import Recorder

# -- fetch structures ----------------------------------------------------------------------


def _flatten(fetches: Any, out: list) -> Callable[[Any], Any]:
    """Appends the leaves of a nested fetch structure to ``out`` and returns a function that
    rebuilds the structure from an iterator over their values."""
    if isinstance(fetches, (list, tuple)):
        builders = [_flatten(item, out) for item in fetches]
        kind = type(fetches)
        if kind is list:
            return lambda values: [build(values) for build in builders]
        if kind is tuple:
            return lambda values: tuple(build(values) for build in builders)
        if hasattr(kind, "_fields"):  # a namedtuple
            return lambda values: kind(*[build(values) for build in builders])
        return lambda values: kind([build(values) for build in builders])
    if isinstance(fetches, dict):
        keys = list(fetches)
        builders = [_flatten(fetches[key], out) for key in keys]

        def rebuild(values: Any) -> dict:
            result = copy.copy(fetches)  # the same mapping type (defaultdict keeps its factory)
            result.clear()
            result.update(zip(keys, [build(values) for build in builders]))
            return result

        return rebuild
    out.append(fetches)
    return next


def _fetch_key(fetches: Any) -> tuple:
    """A key equal for equal fetch structures of graph elements and names (TypeError when
    the structure cannot be a key: a dict, a nested list). It includes the type, so a list, a
    tuple and namedtuples of the same elements stay apart."""
    if type(fetches) is list or type(fetches) is tuple:
        return (type(fetches), *fetches)
    return (type(fetches), fetches)


def _fetch_element(graph: Graph, fetch: Any) -> Tensor | Operation:
    try:
        return graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
    except TypeError as error:
        raise TypeError(
            f"Fetch argument {fetch!r} has invalid type {type(fetch)}, must be a string or "
            f"Tensor. ({error})"
        ) from None
    except (ValueError, KeyError) as error:
        reason = error.args[0] if error.args else error
        raise ValueError(f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. "
                         f"({reason})") from None


def _feed_tensor(graph: Graph, key: Any) -> Tensor:
    try:
        return graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
    except (TypeError, ValueError, KeyError) as error:
        reason = error.args[0] if error.args else error
        raise TypeError(f"Cannot interpret feed_dict key as Tensor: {reason}") from None


def _feed_converter(tensor: Tensor) -> Callable[[Any], Any]:
    """A function that checks and converts one fed value for ``tensor``: its dtype (converting
    only when nothing is lost) and its shape against the tensor's static shape."""
    dtype = tensor.dtype.base_dtype
    np_type = np.dtype(dtype.as_numpy_dtype)
    dims = tensor.shape.as_tuple()

    def shape_error(value: Any) -> ValueError:
        return ValueError(f"Cannot feed value of shape {np.shape(value)} for Tensor "
                          f"'{tensor.name}', which has shape '{tensor.shape}'")

    def convert(value: Any) -> Any:
        if isinstance(value, (Tensor, Operation)) or hasattr(value, "_as_graph_tensor"):
            raise TypeError(
                "The value of a feed cannot be a tf.Tensor object. Acceptable feed values "
                "include Python scalars, strings, lists, numpy ndarrays, or TensorHandles. For "
                f"reference, the tensor object was {value} which was passed to the feed with "
                f"key {tensor}."
            )
        if not (type(value) is np.ndarray and value.dtype == np_type):
            try:
                value = to_numpy(value, dtype)
            except (TypeError, ValueError) as error:
                raise type(error)(f"Cannot feed value {_short(value)} to Tensor '{tensor.name}' "
                                  f"of dtype {dtype.name}: {error}") from None
        if dims is not None:
            shape = value.shape
            if len(shape) != len(dims):
                raise shape_error(value)
            for want, got in zip(dims, shape):
                if want is not None and want != got:
                    raise shape_error(value)
        return value

    return convert


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _node_def(op: Operation | None) -> Any:
    return None if op is None else op.node_def


# -- default sessions ----------------------------------------------------------------------
_local = threading.local()


def _session_stack() -> list:
    stack = getattr(_local, "sessions", None)
    if stack is None:
        stack = _local.sessions = []
    return stack


def get_default_session() -> Session | None:
    """``tf.get_default_session``: the innermost session made default in this thread."""
    stack = _session_stack()
    return stack[-1] if stack else None


def _session_for_eval(session: Session | None, graph: Graph, what: str) -> Session:
    session = session or get_default_session()
    if session is None:
        raise ValueError(
            f"Cannot evaluate {what} using `eval()`: No default session is registered. Use "
            "`with sess.as_default()` or pass an explicit session to `eval(session=sess)`"
        )
    if session.graph is not graph:
        raise ValueError(
            f"Cannot use the given session to evaluate {what}: the {what}'s graph is different "
            "from the session's graph."
        )
    return session


# -- Session -------------------------------------------------------------------------------
class RunOptions:
    """Options for one ``Session.run`` (TF1's ``tf.RunOptions``).

    ``trace_level=RunOptions.FULL_TRACE`` (or SOFTWARE_TRACE / HARDWARE_TRACE, which mean the
    same here) times every op of the run into the ``run_metadata`` passed with it (see
    :class:`~graphflow.runtime.trace.RunMetadata`). ``check_numerics=True`` (graphflow's
    addition) stops the run at the first op whose output holds NaN or Inf, with an
    InvalidArgumentError naming the op, its type, summaries of its inputs and the line that
    built it. Either option runs a separately compiled plan; the ordinary one is unchanged.
    ``timeout_in_ms`` bounds how long the run waits on a queue of an input pipeline: past it,
    the run ends with DeadlineExceededError (0: no bound).
    """

    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3

    def __init__(self, trace_level: int = 0, check_numerics: bool = False,
                 timeout_in_ms: int = 0) -> None:
        if trace_level not in (0, 1, 2, 3):
            raise ValueError(f"Unknown trace_level {trace_level!r}: use RunOptions.NO_TRACE, "
                             "SOFTWARE_TRACE, HARDWARE_TRACE or FULL_TRACE")
        self.trace_level = trace_level
        self.check_numerics = check_numerics
        self.timeout_in_ms = timeout_in_ms


class Session:
    """A TF1 session: runs ops of ``graph`` and holds its own variable values."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None):
        self._graph = graph if graph is not None else get_default_graph()
        self._config = config
        self._store = VariableStore()
        self._plans: dict[tuple, tuple[Plan, list]] = {}
        self._elements: dict = {}  # fetch (tensor, op, variable or name) -> graph element
        self._prepared: dict = {}  # (fetch structure, feed keys, options) -> _prepare's result
        self._compile_lock = threading.Lock()  # each plan is compiled once, even under threads
        self._closed = False
        self._context_managers: list = []

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def graph_def(self) -> dict:
        """The session graph's GraphDef (``graph.as_graph_def()``)."""
        return self._graph.as_graph_def()

    @property
    def sess_str(self) -> str:
        return ""

    # -- running ---------------------------------------------------------------------------
    def run(self, fetches: Any, feed_dict: Any = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """Computes ``fetches`` (a tensor, op, variable, name, or a nested list/tuple/dict/
        namedtuple of them) with the values in ``feed_dict``; returns the same structure of
        NumPy values (None for ops). ``options`` is a :class:`RunOptions`; runs from several
        threads at once are safe (see docs/numerics.md)."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        check_numerics = trace = False
        timeout_ms = 0
        if options is not None:
            check_numerics = options.check_numerics
            trace = options.trace_level > 0 and run_metadata is not None
            timeout_ms = options.timeout_in_ms
        feed_values = feed_dict.values() if feed_dict else ()
        try:  # the same fetch structure and feed keys as an earlier run: all decided already
            key = (_fetch_key(fetches), tuple(feed_dict) if feed_dict else (), check_numerics,
                   trace)
            prepared = self._prepared.get(key)
        except TypeError:  # a structure that cannot be a key is prepared each time
            key = prepared = None
        if prepared is None:
            prepared = self._prepare(fetches, feed_dict, check_numerics, trace)
            if key is not None:
                self._prepared[key] = prepared
        plan, converters, positions, rebuild = prepared
        arguments = [[convert(value) for convert, value in zip(converters, feed_values)]]
        if trace:
            recorder = Recorder(plan.traced)
            arguments.append(recorder.record)
        if timeout_ms > 0:
            with self._store.waits_until(time.monotonic() + timeout_ms / 1000):
                results = self._execute(plan, arguments)
        else:
            results = self._execute(plan, arguments)
        if trace:
            recorder.fill(run_metadata)
        if positions is not None:
            results = [results[i] for i in positions]
        return rebuild(iter(results))

    def _prepare(self, fetches: Any, feed_dict: Any, check_numerics: bool,
                 trace: bool) -> tuple:
        """Everything about a run that its fetch structure and feed keys decide: the plan, the
        feed converters, where each fetch's value is among the plan's results, and the
        function that rebuilds the fetch structure."""
        graph = self._graph
        if graph.version == 0:
            raise RuntimeError(
                "The Session graph is empty. Add operations to the graph before calling run()."
            )
        leaves: list = []
        rebuild = _flatten(fetches, leaves)
        elements = [self._element(leaf) for leaf in leaves]
        unique = list(dict.fromkeys(elements))
        feed_keys = [_feed_tensor(graph, key) for key in feed_dict] if feed_dict else []
        signature = (tuple(unique), tuple(feed_keys), check_numerics, trace)
        plan, converters = self._plans.get(signature) or self._compile(signature)
        positions = None
        if len(unique) != len(elements):
            positions = [unique.index(e) for e in elements]
        return plan, converters, positions, rebuild

    def _compile(self, signature: tuple) -> tuple[Plan, list]:
        fetches, feed_keys, check_numerics, trace = signature
        if len(set(feed_keys)) != len(feed_keys):
            raise ValueError("The same tensor was fed twice (under different keys).")
        with self._compile_lock:
            cached = self._plans.get(signature)
            if cached is None:
                plan = compile_plan(list(fetches), list(feed_keys), self._store, check_numerics,
                                    trace)
                cached = self._plans[signature] = (plan, [_feed_converter(t) for t in feed_keys])
            return cached

    def _element(self, fetch: Any) -> Tensor | Operation:
        """The graph element a fetch names, remembered: names and objects of an append-only
        graph always mean the same element."""
        try:
            return self._elements[fetch]
        except (KeyError, TypeError):
            element = _fetch_element(self._graph, fetch)
            try:
                self._elements[fetch] = element
            except TypeError:  # unhashable fetches are resolved each time
                pass
            return element

    def _execute(self, plan: Plan, arguments: list) -> tuple:
        """Runs ``plan.run(*arguments)``; a run that touches variables holds the store's lock
        and commits its writes only when it succeeds."""
        store = self._store
        if not plan.stateful:
            return self._call(plan, arguments)
        with store.lock:
            try:
                results = self._call(plan, arguments)
            except BaseException:
                store.discard()
                raise
            store.commit()
            return results

    @staticmethod
    def _call(plan: Plan, arguments: list) -> tuple:
        try:
            return plan.run(*arguments)
        except errors.OpError as error:
            op = error.op or plan.failed_op(error.__traceback__)
            raise type(error)(_node_def(op), op, error.message + where_defined(op)) from None
        except (ValueError, TypeError, IndexError, ArithmeticError) as error:
            op = plan.failed_op(error.__traceback__)
            raise errors.InvalidArgumentError(_node_def(op), op,
                                              f"{error}{where_defined(op)}") from error
        except MemoryError as error:
            op = plan.failed_op(error.__traceback__)
            raise errors.ResourceExhaustedError(
                _node_def(op), op, f"OOM when computing {op.name if op else 'a value'}"
            ) from error

    def make_callable(self, fetches: Any, feed_list: list | None = None) -> Callable:
        """A function that runs ``fetches`` with positional values for ``feed_list``."""
        feed_list = list(feed_list or [])

        def run(*values: Any) -> Any:
            return self.run(fetches, dict(zip(feed_list, values)))

        return run

    # -- lifetime and defaults -------------------------------------------------------------
    def close(self) -> None:
        """Frees the session's variable values; later runs raise RuntimeError."""
        self._closed = True
        self._plans.clear()
        self._prepared.clear()
        self._store.clear()

    @contextlib.contextmanager
    def as_default(self) -> Iterator[Session]:
        """Makes this the default session (for ``Tensor.eval`` and ``Operation.run``)."""
        stack = _session_stack()
        stack.append(self)
        try:
            yield self
        finally:
            stack.remove(self)

    def __enter__(self) -> Session:
        graph_context = self._graph.as_default()
        session_context = self.as_default()
        graph_context.__enter__()
        session_context.__enter__()
        self._context_managers.append((graph_context, session_context))
        return self

    def __exit__(self, *exc_info: Any) -> None:
        graph_context, session_context = self._context_managers.pop()
        session_context.__exit__(*exc_info)
        graph_context.__exit__(*exc_info)
        self.close()

    def __del__(self) -> None:
        self._closed = True


class InteractiveSession(Session):
    """A Session that makes itself the default on creation, for shells and notebooks."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None):
        super().__init__(target, graph, config)
        self._default_context = self.as_default()
        self._default_context.__enter__()

    def close(self) -> None:
        if not self._closed:
            super().close()
            with contextlib.suppress(ValueError):
                self._default_context.__exit__(None, None, None)
