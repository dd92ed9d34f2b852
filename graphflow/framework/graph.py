"""The static graph: Operations joined by Tensors, with name scopes and collections.

A Graph is data only: it is append-only, holds no run-time values, and every op in it was
validated and given output dtypes and static shapes when it was built (see ``registry``).
Sessions execute it.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Iterator
from typing import Any

from graphflow.framework import dtypes as _dtypes
from graphflow.framework.registry import get_opdef
from graphflow.framework.tensor_shape import TensorShape, format_dims

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _user_frame() -> tuple[str, int, str]:
    """(file, line, function) of the innermost caller outside graphflow: where the user built
    the op, so that errors can point at it."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    if frame is None:
        return ("<unknown>", 0, "<unknown>")
    return (frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)


class GraphKeys:
    """Standard collection names, as in TF1."""

    GLOBAL_VARIABLES = "variables"
    VARIABLES = GLOBAL_VARIABLES
    LOCAL_VARIABLES = "local_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"


class Tensor:
    """One output of an Operation: a symbolic value with a dtype and a static shape."""

    # NumPy must defer to our reflected operators: ``np.array(...) + tensor`` builds an op.
    __array_priority__ = 100

    __slots__ = ("_op", "_value_index", "_dtype", "_shape", "_consumers", "__weakref__")

    def __init__(self, op: Operation, value_index: int, dtype: _dtypes.DType, shape: TensorShape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape
        # A list from the first consumer on: an empty tuple is one object for all tensors, and
        # one object fewer per op for Python's garbage collector to walk while a graph grows.
        self._consumers: list[Operation] | tuple = ()

    @property
    def op(self) -> Operation:
        return self._op

    @property
    def value_index(self) -> int:
        return self._value_index

    @property
    def graph(self) -> Graph:
        return self._op._graph

    @property
    def name(self) -> str:
        return f"{self._op._name}:{self._value_index}"

    @property
    def dtype(self) -> _dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape: Any) -> None:
        """Refines the static shape; ValueError if ``shape`` contradicts what is known."""
        self._shape = self._shape.merge_with(shape)

    def consumers(self) -> list[Operation]:
        """The operations that take this tensor as an input."""
        return list(self._consumers)

    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        """The value of this tensor in ``session`` (default: the default session)."""
        from graphflow.session import _session_for_eval

        return _session_for_eval(session, self.graph, "tensor").run(self, feed_dict)

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self) -> str:
        if self._shape.ndims is None:  # TF1 leaves out a shape it knows nothing about
            return f'Tensor("{self.name}", dtype={self._dtype.name})'
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'

    # TF1 compares tensors by identity (tf.equal compares values); object's own methods do
    # that at C speed, which matters where sessions look fetches up in dicts.
    __hash__ = object.__hash__
    __eq__ = object.__eq__

    def __bool__(self) -> bool:
        raise TypeError(
            "Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` "
            "instead of `if t:` to test if a tensor is defined, and use TensorFlow ops such as "
            "tf.cond to execute subgraphs conditioned on the value of a tensor."
        )

    def __iter__(self) -> Iterator:
        raise TypeError(
            "Tensor objects are only iterable when eager execution is enabled. "
            "To iterate over this tensor use tf.map_fn."
        )


class Operation:
    """A node of the graph: an op type with inputs, attributes and output Tensors."""

    __slots__ = (
        "_graph",
        "_name",
        "_opdef",
        "_inputs",
        "_control_inputs",
        "_attrs",
        "_outputs",
        "_id",
        "_traceback",
        "_branch",
        "__weakref__",
    )

    def __init__(self, graph: Graph, name: str, opdef: Any, inputs: tuple, attrs: dict,
                 control_inputs: tuple, op_id: int, traceback: tuple):
        self._graph = graph
        self._name = name
        self._opdef = opdef
        self._inputs = inputs
        self._attrs = attrs
        self._control_inputs = control_inputs
        self._id = op_id
        self._traceback = traceback
        self._outputs: tuple[Tensor, ...] = ()
        self._branch = graph._branch_stack[-1] if graph._branch_stack else None

    @property
    def name(self) -> str:
        return self._name

    @property
    def type(self) -> str:
        return self._opdef.type

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def inputs(self) -> tuple[Tensor, ...]:
        return self._inputs

    @property
    def outputs(self) -> list[Tensor]:
        return list(self._outputs)

    def values(self) -> tuple[Tensor, ...]:
        return self._outputs

    @property
    def control_inputs(self) -> list[Operation]:
        return list(self._control_inputs)

    @property
    def attrs(self) -> dict[str, Any]:
        return self._attrs

    @property
    def opdef(self) -> Any:
        return self._opdef

    @property
    def branch(self) -> tuple | None:
        """``(cond context, True|False)`` when the op was built inside a ``tf.cond`` branch:
        it then runs only when the condition has that value."""
        return self._branch

    @property
    def traceback(self) -> tuple[str, int, str]:
        """(file, line, function) of the user code that built this op."""
        return self._traceback

    @property
    def node_def(self) -> dict[str, Any]:
        """A NodeDef-like description: name, op, inputs (``^name`` for control inputs), attrs."""
        return {
            "name": self._name,
            "op": self.type,
            "input": [t.name for t in self._inputs] + ["^" + c._name for c in self._control_inputs],
            "attr": dict(self._attrs),
        }

    def get_attr(self, name: str) -> Any:
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None

    def run(self, feed_dict: Any = None, session: Any = None) -> None:
        """Runs this operation in ``session`` (default: the default session)."""
        from graphflow.session import _session_for_eval

        _session_for_eval(session, self._graph, "operation").run(self, feed_dict)

    def source_line(self) -> str:
        """``file:line`` where the op was built, as error messages cite it."""
        filename, line, _ = self._traceback
        return f"{filename}:{line}"

    def __repr__(self) -> str:
        return f"<tf.Operation '{self._name}' type={self.type}>"

    def __str__(self) -> str:
        lines = [f'name: "{self._name}"', f'op: "{self.type}"']
        lines += [f'input: "{name}"' for name in self.node_def["input"]]
        for key, value in sorted(self._attrs.items()):
            lines.append(f"attr {{ key: \"{key}\" value: {_attr_text(value)} }}")
        return "\n".join(lines) + "\n"

    __hash__ = object.__hash__  # identity, at C speed
    __eq__ = object.__eq__


def _attr_text(value: Any) -> str:
    if isinstance(value, _dtypes.DType):
        return f"{{ type: DT_{value.base_dtype.name.upper()} }}"
    if isinstance(value, TensorShape):
        return f"{{ shape: {format_dims(value.as_tuple())} }}"
    return "{ " + repr(value) + " }" if not hasattr(value, "shape") else "{ tensor }"


class Graph:
    """A TF1 graph: Operations in creation order, name scopes, control dependencies and
    collections. Append-only: ops are never removed or rewired once built."""

    def __init__(self) -> None:
        self._ops: list[Operation] = []
        self._ops_by_name: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}
        self._name_stack = ""
        self._control_dependencies: list[list[Operation]] = []
        # (CondContext, taken-when) of the tf.cond branch being built, innermost last
        self._branch_stack: list[tuple] = []
        self._collections: dict[str, list] = {}
        self._finalized = False
        self._lock = threading.RLock()
        self.seed: int | None = None

    # -- basic queries ---------------------------------------------------------------------
    @property
    def version(self) -> int:
        """Grows by one with each op added."""
        return len(self._ops)

    @property
    def finalized(self) -> bool:
        return self._finalized

    def finalize(self) -> None:
        """Makes the graph read-only: building an op afterwards raises RuntimeError."""
        self._finalized = True

    def get_operations(self) -> list[Operation]:
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        element = self.as_graph_element(name, allow_tensor=False, allow_operation=True)
        return element

    def get_tensor_by_name(self, name: str) -> Tensor:
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj: Any, allow_tensor: bool = True,
                         allow_operation: bool = True) -> Any:
        """Resolves a Tensor, Operation, name (``"op"`` or ``"op:0"``) or an object with
        ``_as_graph_element`` (a Variable) to an element of this graph, as TF1 does."""
        if hasattr(obj, "_as_graph_element"):
            obj = obj._as_graph_element()
        if isinstance(obj, str):
            return self._element_by_name(obj, allow_tensor, allow_operation)
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj._graph is not self:
                raise ValueError(f"Operation {obj!r} is not an element of this graph.")
            return obj
        wanted = " or ".join(
            w for w, ok in (("Tensor", allow_tensor), ("Operation", allow_operation)) if ok
        )
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {wanted}.")

    def _element_by_name(self, name: str, allow_tensor: bool, allow_operation: bool) -> Any:
        if ":" in name:
            if not allow_tensor:
                raise ValueError(f"Name '{name}' appears to refer to a Tensor, not an Operation.")
            op_name, _, index_text = name.rpartition(":")
            try:
                index = int(index_text)
            except ValueError:
                raise ValueError(
                    f"The name '{name}' looks a like a Tensor name, but is not a valid one. "
                    "Tensor names must be of the form \"<op_name>:<output_index>\"."
                ) from None
            op = self._ops_by_name.get(op_name)
            if op is None:
                raise KeyError(
                    f"The name '{name}' refers to a Tensor which does not exist. "
                    f"The operation, '{op_name}', does not exist in the graph."
                )
            if not 0 <= index < len(op._outputs):
                raise KeyError(
                    f"The name '{name}' refers to a Tensor which does not exist. The operation, "
                    f"'{op_name}', exists but only has {len(op._outputs)} outputs."
                )
            return op._outputs[index]
        if not allow_operation:
            raise ValueError(
                f"The name '{name}' refers to an Operation, not a Tensor. Tensor names must be "
                "of the form \"<op_name>:<output_index>\"."
            )
        op = self._ops_by_name.get(name)
        if op is None:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph.")
        return op

    # -- building ops ----------------------------------------------------------------------
    def create_op(self, op_type: str, inputs: list | tuple = (), attrs: dict | None = None,
                  name: str | None = None) -> Operation:
        """Builds one op: looks up its OpDef, fills attribute defaults, infers output dtypes
        and shapes (raising at the user's line when inputs do not fit), and appends it."""
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        opdef = get_opdef(op_type)
        full_attrs = dict(opdef.attrs)
        for key, value in (attrs or {}).items():
            if key not in full_attrs:
                raise TypeError(f"Op type '{op_type}' has no attr named '{key}'.")
            full_attrs[key] = value
        inputs = tuple(inputs)
        for tensor in inputs:
            if not isinstance(tensor, Tensor):
                raise TypeError(f"Input of op '{op_type}' must be a Tensor, got {tensor!r}.")
            if tensor.graph is not self:
                raise ValueError(
                    f"Tensor {tensor} must be from the same graph as the op '{op_type}' "
                    "being built."
                )
        with self._lock:
            if name is not None and name.endswith("/"):
                op_name = name[:-1]  # the exact name a name scope handed out: already unique
                self._names_in_use.setdefault(op_name.lower(), 1)
            else:
                op_name = self.unique_name(name or op_type)
            traceback = _user_frame()
            try:
                specs = opdef.infer(*inputs, **full_attrs)
            except (ValueError, TypeError) as error:
                shapes = ", ".join(format_dims(t.shape.as_tuple()) for t in inputs)
                message = f"{str(error).rstrip('.')} for '{op_name}' (op: '{op_type}')"
                if inputs:
                    message += f" with input shapes: {shapes}"
                message += f". Defined at {traceback[0]}:{traceback[1]}"
                raise type(error)(message) from None
            control_inputs = self._current_control_inputs(inputs)
            op = Operation(self, op_name, opdef, inputs, full_attrs, control_inputs,
                           len(self._ops), traceback)
            if not isinstance(specs, list):
                specs = [specs]
            op._outputs = tuple(
                Tensor(op, i, _dtypes.as_dtype(dtype), TensorShape(shape))
                for i, (dtype, shape) in enumerate(specs)
            )
            for tensor in inputs:
                if tensor._consumers:
                    tensor._consumers.append(op)
                else:
                    tensor._consumers = [op]
            self._ops.append(op)
            self._ops_by_name[op_name] = op
        return op

    def _current_control_inputs(self, inputs: tuple) -> tuple[Operation, ...]:
        if not self._control_dependencies:
            return ()
        input_ops = {t._op for t in inputs}
        seen: list[Operation] = []
        for frame in self._control_dependencies:
            for op in frame:
                if op not in input_ops and op not in seen:
                    seen.append(op)
        return tuple(seen)

    # -- names -----------------------------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """``name`` inside the current name scope, suffixed ``_1``, ``_2``... when taken.
        As in TF1, names are compared case-insensitively (``Add``, ``Add_1``, ``add_2``)."""
        if self._name_stack:
            name = f"{self._name_stack}/{name}"
        key = name.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count == 0:
            return name
        base_key = key
        while key in self._names_in_use:
            key = f"{base_key}_{count}"
            count += 1
        if mark_as_used:
            self._names_in_use[key] = 1
        return f"{name}_{count - 1}"

    def get_name_scope(self) -> str:
        return self._name_stack

    def name_scope(self, name: str | None) -> _NameScope:
        """Opens a name scope (a ``with`` block) and gives its full name with a trailing ``/``.

        A name seen before in the same scope is made unique (``inner_1``); a name ending in
        ``/`` re-enters that exact scope; ``None`` or ``""`` goes back to the top level.
        """
        return _NameScope(self, name)

    # -- control dependencies --------------------------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs: Any) -> Iterator[None]:
        """Ops built inside run only after ``control_inputs`` (ops, tensors or variables).
        ``None`` clears the dependencies in effect."""
        if control_inputs is None:
            saved = self._control_dependencies
            self._control_dependencies = []
            try:
                yield
            finally:
                self._control_dependencies = saved
            return
        ops = []
        for item in control_inputs:
            if hasattr(item, "_ref"):  # a variable: depend on the variable op itself
                item = item._ref().op
            elif hasattr(item, "_as_graph_element"):
                item = item._as_graph_element()
            if isinstance(item, Tensor):
                item = item.op
            if not isinstance(item, Operation):
                raise TypeError(f"Can not convert a {type(item).__name__} into an Operation.")
            if item._graph is not self:
                raise ValueError(f"Operation {item!r} is not an element of this graph.")
            ops.append(item)
        self._control_dependencies.append(ops)
        try:
            yield
        finally:
            self._control_dependencies.pop()

    @contextlib.contextmanager
    def _building_branch(self, branch: tuple | None) -> Iterator[None]:
        """Ops built inside belong to ``branch`` (a ``(CondContext, bool)`` pair, or None for
        the top level)."""
        saved = self._branch_stack
        self._branch_stack = saved + [branch] if branch is not None else []
        try:
            yield
        finally:
            self._branch_stack = saved

    # -- collections -----------------------------------------------------------------------
    def add_to_collection(self, name: str, value: Any) -> None:
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names: Any, value: Any) -> None:
        for name in [names] if isinstance(names, str) else set(names):
            self.add_to_collection(name, value)

    def get_collection_ref(self, name: str) -> list:
        return self._collections.setdefault(name, [])

    def get_collection(self, name: str, scope: str | None = None) -> list:
        """A copy of the collection; with ``scope``, only items whose name matches it."""
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        pattern = re.compile(scope)
        return [item for item in items if hasattr(item, "name") and pattern.match(item.name)]

    def get_all_collection_keys(self) -> list[str]:
        return [key for key, items in self._collections.items() if items]

    def clear_collection(self, name: str) -> None:
        self._collections.pop(name, None)

    # -- default graph ---------------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self) -> Iterator[Graph]:
        """Makes this the default graph inside the ``with`` (per thread)."""
        _graph_stack().append(self)
        try:
            yield self
        finally:
            _graph_stack().pop()

    def as_graph_def(self, from_version: int | None = None, add_shapes: bool = False) -> dict:
        """The GraphDef of this graph: a JSON-ready dict (see docs/checkpoints.md)."""
        from graphflow.framework.serialization import graph_to_graph_def

        return graph_to_graph_def(self)

    def to_networkx(self) -> Any:
        """A ``networkx.DiGraph`` of the ops: nodes are op names with ``type`` and ``op``
        attributes; edges carry ``tensor`` (data) or ``control=True``."""
        import networkx as nx

        digraph = nx.DiGraph()
        for op in self._ops:
            digraph.add_node(op._name, type=op.type, op=op)
            for tensor in op._inputs:
                digraph.add_edge(tensor._op._name, op._name, tensor=tensor, control=False)
            for control in op._control_inputs:
                if not digraph.has_edge(control._name, op._name):
                    digraph.add_edge(control._name, op._name, tensor=None, control=True)
        return digraph


_VALID_SCOPE = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


def _check_scope_name(name: str) -> None:
    if not _VALID_SCOPE.match(name):
        raise ValueError(f"'{name}' is not a valid scope name")


class _NameScope:
    """The context manager of ``Graph.name_scope``; a class rather than a generator, because
    every op a wrapper builds enters one (a third of the cost of building ``x * 2.0``)."""

    __slots__ = ("_graph", "_name", "_outer")

    def __init__(self, graph: Graph, name: str | None):
        self._graph, self._name = graph, name

    def __enter__(self) -> str:
        graph, name = self._graph, self._name
        self._outer = graph._name_stack
        if not name:
            new_stack = ""
        elif name.endswith("/"):
            new_stack = name[:-1]
        else:
            _check_scope_name(name)
            new_stack = graph.unique_name(name)
        graph._name_stack = new_stack
        return new_stack + "/" if new_stack else ""

    def __exit__(self, *_: Any) -> None:
        self._graph._name_stack = self._outer


# -- the default graph ---------------------------------------------------------------------
_global_default_graph = Graph()
_local = threading.local()


def _graph_stack() -> list[Graph]:
    stack = getattr(_local, "graphs", None)
    if stack is None:
        stack = _local.graphs = []
    return stack


def get_default_graph() -> Graph:
    """The graph that new ops go into: the innermost ``as_default`` graph, else the global one."""
    stack = _graph_stack()
    return stack[-1] if stack else _global_default_graph


def reset_default_graph() -> None:
    """Replaces the global default graph with a new, empty one."""
    global _global_default_graph
    if _graph_stack():
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph."
        )
    _global_default_graph = Graph()


class name_scope:  # noqa: N801 - TF1's name, and a class there too
    """``tf.name_scope``: a name scope in the default graph, or in the graph of the tensors in
    ``values``, which is then the default graph inside (as TF1). Entering gives the scope's
    full name with a trailing ``/``."""

    __slots__ = ("_name", "_values", "_entered")

    def __init__(self, name: str | None, default_name: str | None = None, values: Any = None):
        self._name = name if name is not None else default_name
        self._values = values

    def __enter__(self) -> str:
        graph = default = get_default_graph()
        for value in self._values or ():
            value = value._as_graph_element() if hasattr(value, "_as_graph_element") else value
            if isinstance(value, Tensor):
                graph = value.graph
                break
        scope = graph.name_scope(self._name)
        self._entered = [scope] if graph is default else [graph.as_default(), scope]
        for context in self._entered[:-1]:
            context.__enter__()
        return scope.__enter__()

    def __exit__(self, *error: Any) -> None:
        for context in reversed(self._entered):
            context.__exit__(*error)


def control_dependencies(control_inputs: Any) -> Any:
    return get_default_graph().control_dependencies(control_inputs)


def add_to_collection(name: str, value: Any) -> None:
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    get_default_graph().add_to_collections(names, value)


def get_collection(key: str, scope: str | None = None) -> list:
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list:
    return get_default_graph().get_collection_ref(key)
