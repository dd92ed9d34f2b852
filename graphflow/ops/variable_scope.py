"""Variable scopes and ``tf.get_variable``: variables named by scope, created once and shared.

Inside ``tf.variable_scope("layer")``, ``tf.get_variable("w", shape)`` creates the variable
``layer/w`` (its initial value built under ``layer/w/Initializer/``), or returns the existing
one when the scope reuses variables. A variable scope also opens a name scope for the other ops
built inside it; re-entering the scope ``layer`` opens the name scope ``layer_1/`` while the
variables stay ``layer/...``, as in TF1. The variables live per graph, and the current scope
per graph and thread.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import inspect
import threading
import traceback
from typing import Any

from graphflow import initializers
from graphflow.framework import dtypes
from graphflow.framework.graph import Graph, GraphKeys, Tensor, get_default_graph
from graphflow.framework.tensor_shape import TensorShape, as_shape
from graphflow.ops.constant_op import convert_to_tensor
from graphflow.variables import Variable


class _ReuseMode(enum.Enum):
    """How ``get_variable`` treats names: ``AUTO_REUSE`` creates a variable the first time and
    returns it afterwards."""

    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


def _read_only(attr: str, doc: str) -> property:
    return property(lambda self: getattr(self, attr), doc=doc)


class VariableScope:
    """The defaults that ``get_variable`` applies inside a ``variable_scope``: the name prefix,
    reuse mode, initializer, regularizer and dtype (``tf.get_variable_scope()`` returns the
    current one)."""

    def __init__(self, reuse: Any, name: str = "", initializer: Any = None,
                 regularizer: Any = None, caching_device: Any = None, partitioner: Any = None,
                 custom_getter: Any = None, name_scope: str = "",
                 dtype: Any = dtypes.float32, use_resource: Any = None, constraint: Any = None):
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._reuse = reuse
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtypes.as_dtype(dtype)
        self._use_resource = use_resource
        self._constraint = constraint

    name = _read_only("_name", "The full name, the prefix of the variables' names.")
    original_name_scope = _read_only("_name_scope", "The name scope opened with this scope.")
    reuse = _read_only("_reuse", "False, True or AUTO_REUSE.")
    initializer = _read_only("_initializer", "The default initializer.")
    regularizer = _read_only("_regularizer", "The default regularizer.")
    dtype = _read_only("_dtype", "The default dtype.")
    caching_device = _read_only("_caching_device", "Accepted for TF1 programs; unused.")
    partitioner = _read_only("_partitioner", "Always None: graphflow does not partition.")
    custom_getter = _read_only("_custom_getter", "Called instead of the variable store.")
    use_resource = _read_only("_use_resource", "Accepted for TF1 programs; unused.")
    constraint = _read_only("_constraint", "The default projection after optimizer updates.")

    def reuse_variables(self) -> None:
        """From now on, ``get_variable`` in this scope returns existing variables."""
        self._reuse = True

    def set_initializer(self, initializer: Any) -> None:
        self._initializer = initializer

    def set_regularizer(self, regularizer: Any) -> None:
        self._regularizer = regularizer

    def set_dtype(self, dtype: Any) -> None:
        self._dtype = dtypes.as_dtype(dtype)

    def set_caching_device(self, caching_device: Any) -> None:
        self._caching_device = caching_device

    def set_partitioner(self, partitioner: Any) -> None:
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter: Any) -> None:
        self._custom_getter = custom_getter

    def set_use_resource(self, use_resource: Any) -> None:
        self._use_resource = use_resource

    def get_collection(self, name: str) -> list:
        """The items of collection ``name`` whose names start with this scope's name."""
        return get_default_graph().get_collection(name, self._name + "/" if self._name else "")

    def trainable_variables(self) -> list:
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self) -> list:
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self) -> list:
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store: _VariableStore, name: str, shape: Any = None,
                     dtype: Any = None, initializer: Any = None, regularizer: Any = None,
                     reuse: Any = None, trainable: bool | None = None,
                     collections: list | None = None, caching_device: Any = None,
                     partitioner: Any = None, validate_shape: bool = True,
                     use_resource: Any = None, custom_getter: Any = None, constraint: Any = None,
                     synchronization: Any = None, aggregation: Any = None) -> Variable:
        """``get_variable`` in this scope: the scope's defaults fill the arguments not given."""
        graph = get_default_graph()
        with graph.name_scope(None):  # a variable's name depends on the variable scope only
            if dtype is not None and initializer is not None and not callable(initializer):
                initializer = convert_to_tensor(initializer)
                init_dtype, dtype = initializer.dtype.base_dtype, dtypes.as_dtype(dtype)
                if init_dtype != dtype:
                    raise ValueError(f"Initializer type '{init_dtype}' and explicit dtype "
                                     f"'{dtype}' don't match.")
            return var_store.get_variable(
                f"{self._name}/{name}" if self._name else name, shape=shape,
                dtype=self._dtype if dtype is None else dtype,
                initializer=self._initializer if initializer is None else initializer,
                regularizer=self._regularizer if regularizer is None else regularizer,
                reuse=self._reuse if reuse is None else reuse, trainable=trainable,
                collections=collections, caching_device=caching_device or self._caching_device,
                partitioner=partitioner or self._partitioner, validate_shape=validate_shape,
                use_resource=self._use_resource if use_resource is None else use_resource,
                custom_getter=self._custom_getter if custom_getter is None else custom_getter,
                constraint=self._constraint if constraint is None else constraint,
                synchronization=synchronization, aggregation=aggregation)


class _ScopeState(threading.local):
    """One thread's current variable scope in a graph, and how often each scope name was
    opened (to make ``default_name`` scopes unique)."""

    def __init__(self) -> None:
        self.current_scope = VariableScope(False)
        self.counts: dict[str, int] = {}


class _VariableStore:
    """The variables that ``get_variable`` created in one graph, by full name, and the
    variable-scope state of that graph."""

    def __init__(self) -> None:
        self.variables: dict[str, Variable] = {}
        self.scopes = _ScopeState()

    def get_variable(self, name: str, *, custom_getter: Any, **kwargs: Any) -> Variable:
        if custom_getter is None:
            return self._true_getter(name, **kwargs)
        if not _accepts(custom_getter, "constraint"):
            kwargs.pop("constraint")
        return custom_getter(getter=self._true_getter, name=name, **kwargs)

    def _true_getter(self, name: str, shape: Any = None, dtype: Any = dtypes.float32,
                     initializer: Any = None, regularizer: Any = None, reuse: Any = None,
                     trainable: bool | None = None, collections: list | None = None,
                     caching_device: Any = None, partitioner: Any = None,
                     validate_shape: bool = True, use_resource: Any = None,
                     constraint: Any = None, synchronization: Any = None,
                     aggregation: Any = None) -> Variable:
        """Returns the variable ``name``, creating it unless it exists (as ``reuse`` allows)."""
        if partitioner is not None:
            raise NotImplementedError("graphflow does not partition variables; "
                                      f"got partitioner={partitioner!r} for {name}")
        if shape is not None and initializer is not None and not callable(initializer):
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = dtypes.as_dtype(dtype).base_dtype
        shape = None if shape is None else as_shape(shape)
        if name in self.variables:
            return self._existing(name, shape, dtype, reuse)
        if reuse is True:
            raise ValueError(f"Variable {name} does not exist, or was not created with "
                             "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                             "VarScope?")
        initial_value, value_dtype = _initial_value(name, shape, dtype, initializer)
        variable = Variable(initial_value, trainable=True if trainable is None else trainable,
                            collections=collections, validate_shape=validate_shape, name=name,
                            dtype=value_dtype, constraint=constraint)
        self.variables[name] = variable
        if regularizer:
            graph = variable.graph
            with graph.name_scope(name + "/Regularizer/"), graph.control_dependencies(None):
                loss = regularizer(variable)
            if loss is not None:
                graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return variable

    def _existing(self, name: str, shape: TensorShape | None, dtype: dtypes.DType,
                  reuse: Any) -> Variable:
        found = self.variables[name]
        if reuse is False:
            filename, line, function = found.op.traceback
            origin = "".join(traceback.format_list([traceback.FrameSummary(filename, line,
                                                                             function)]))
            raise ValueError(f"Variable {name} already exists, disallowed. Did you mean to set "
                             "reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined "
                             f"at:\n\n{origin}")
        if shape is not None and not shape.is_compatible_with(found.shape):
            raise ValueError(f"Trying to share variable {name}, but specified shape {shape} and "
                             f"found shape {found.shape}.")
        if not dtype.is_compatible_with(found.dtype):
            raise ValueError(f"Trying to share variable {name}, but specified dtype "
                             f"{dtype.name} and found dtype {found.dtype.name}.")
        return found


def _accepts(function: Any, argument: str) -> bool:
    parameters = inspect.signature(function).parameters.values()
    return any(p.name == argument or p.kind is p.VAR_KEYWORD for p in parameters)


def _initial_value(name: str, shape: TensorShape | None, dtype: dtypes.DType,
                   initializer: Any) -> tuple[Any, dtypes.DType | None]:
    """The new variable's initial value (a value, or a function the Variable calls under
    ``name/Initializer/``) and the dtype it must have (None: the value's own)."""
    if initializer is None:
        if shape is None:
            raise ValueError(f"Variable {name} did not get an initializer, so its `shape` "
                             "argument must be specified.")
        # TF1's defaults: Glorot uniform for floats, zeros (False, b"") for the other types.
        initializer = initializers.GlorotUniform() if dtype.is_floating else initializers.Zeros()
    if not callable(initializer):
        return initializer, None
    if isinstance(initializer, type):
        initializer = initializer()
    if shape is not None and shape.is_fully_defined():
        return functools.partial(initializer, shape.as_list(), dtype=dtype), dtype
    if _needs_no_arguments(initializer):
        return initializer, None
    raise ValueError(f"The initializer of variable {name} needs the shape, which is not fully "
                     f"defined: {shape if shape is not None else 'None'}. Give a fully defined "
                     "shape, or an initializer that takes no arguments.")


def _needs_no_arguments(function: Any) -> bool:
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in inspect.signature(function).parameters.values())


# -- the per-graph store ----------------------------------------------------------------------
# Kept in a graph collection, as TF1 does, so that it lives and dies with its graph.
_VARSTORE_KEY = ("__variable_store",)
_STORE_LOCK = threading.Lock()


def _store(graph: Graph | None = None) -> _VariableStore:
    collection = (graph or get_default_graph()).get_collection_ref(_VARSTORE_KEY)
    with _STORE_LOCK:
        if not collection:
            collection.append(_VariableStore())
    return collection[0]


def get_variable_scope() -> VariableScope:
    """``tf.get_variable_scope``: the current variable scope (the root scope, named "", outside
    any ``variable_scope``)."""
    return _store().scopes.current_scope


def get_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                 regularizer: Any = None, trainable: bool | None = None,
                 collections: list | None = None, caching_device: Any = None,
                 partitioner: Any = None, validate_shape: bool = True, use_resource: Any = None,
                 custom_getter: Any = None, constraint: Any = None, synchronization: Any = None,
                 aggregation: Any = None) -> Variable:
    """``tf.get_variable``: the variable ``<scope>/name``, created on first use (default
    initializer: Glorot uniform for floats, zeros otherwise) or, in a reusing scope, the
    existing one; so that layers can share weights by name."""
    return get_variable_scope().get_variable(
        _store(), name, shape=shape, dtype=dtype, initializer=initializer,
        regularizer=regularizer, trainable=trainable, collections=collections,
        caching_device=caching_device, partitioner=partitioner, validate_shape=validate_shape,
        use_resource=use_resource, custom_getter=custom_getter, constraint=constraint,
        synchronization=synchronization, aggregation=aggregation)


def get_local_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                       regularizer: Any = None, trainable: bool = False,
                       collections: list | None = None, caching_device: Any = None,
                       partitioner: Any = None, validate_shape: bool = True,
                       use_resource: Any = None, custom_getter: Any = None,
                       constraint: Any = None, synchronization: Any = None,
                       aggregation: Any = None) -> Variable:
    """``tf.get_local_variable``: as :func:`get_variable`, for a non-trainable variable in
    ``GraphKeys.LOCAL_VARIABLES`` (e.g. metric counters)."""
    return get_variable(
        name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        trainable=False, collections=list(collections or []) + [GraphKeys.LOCAL_VARIABLES],
        caching_device=caching_device, partitioner=partitioner, validate_shape=validate_shape,
        use_resource=use_resource, custom_getter=custom_getter, constraint=constraint,
        synchronization=synchronization, aggregation=aggregation)


def _graph_of(values: Any) -> Graph:
    for value in values or ():
        if isinstance(value, (Tensor, Variable)):
            return value.graph
    return get_default_graph()


def _unique_scope_name(state: _ScopeState, prefix: str) -> str:
    """``prefix``, suffixed ``_1``, ``_2``... when a scope of that name was already opened."""
    parent = state.current_scope.name
    full = f"{parent}/{prefix}" if parent else prefix
    if not state.counts.get(full):
        return prefix
    index = 1
    while state.counts.get(f"{full}_{index}"):
        index += 1
    return f"{prefix}_{index}"


def _wrap_custom_getter(custom_getter: Any, outer: Any) -> Any:
    """A nested scope's custom getter calls the enclosing scope's as its ``getter``."""
    if outer is None:
        return custom_getter
    return lambda getter, *args, **kwargs: custom_getter(functools.partial(outer, getter),
                                                         *args, **kwargs)


class variable_scope:  # noqa: N801 - TF1's name
    """``tf.variable_scope``: inside it, ``get_variable`` names variables ``scope/name`` and takes
    the scope's defaults (initializer, regularizer, reuse, dtype), inherited by nested scopes;
    it also opens a name scope for the ops built inside. ``with`` gives the VariableScope.

    ``name_or_scope`` is a name (relative to the current variable scope) or a VariableScope
    (re-entered by its full name); with None, ``default_name`` is made unique. ``reuse`` is True
    (only existing variables), ``AUTO_REUSE`` (create or reuse) or None/False (inherit).
    """

    def __init__(self, name_or_scope: str | VariableScope | None, default_name: str | None = None,
                 values: Any = None, initializer: Any = None, regularizer: Any = None,
                 caching_device: Any = None, partitioner: Any = None, custom_getter: Any = None,
                 reuse: Any = None, dtype: Any = None, use_resource: Any = None,
                 constraint: Any = None, auxiliary_name_scope: bool = True):
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if name_or_scope is not None and not isinstance(name_or_scope, (str, VariableScope)):
            raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
        if reuse is False:
            reuse = None
        if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        if name_or_scope is None and reuse:
            raise ValueError("reuse=True cannot be used without a name_or_scope")
        if not isinstance(auxiliary_name_scope, bool):
            raise TypeError("The auxiliary_name_scope must be `True` or `False`, while get "
                            f"{auxiliary_name_scope}")
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._graph = _graph_of(values)
        self._reuse = reuse
        self._constraint = constraint
        self._auxiliary_name_scope = auxiliary_name_scope
        self._overrides = {"initializer": initializer, "regularizer": regularizer,
                           "caching_device": caching_device, "partitioner": partitioner,
                           "dtype": dtype, "use_resource": use_resource}
        self._custom_getter = custom_getter
        self._exit_stacks: list[contextlib.ExitStack] = []

    def __enter__(self) -> VariableScope:
        stack = contextlib.ExitStack()
        try:
            stack.enter_context(self._graph.as_default())
            scope = self._enter(stack)
        except BaseException:
            stack.close()
            raise
        self._exit_stacks.append(stack)
        return scope

    def __exit__(self, *exc_info: Any) -> None:
        self._exit_stacks.pop().close()

    def _enter(self, stack: contextlib.ExitStack) -> VariableScope:
        graph = self._graph
        target = self._name_or_scope
        if isinstance(target, VariableScope):
            name_scope = target.name.split("/")[-1]
        else:
            name_scope = self._default_name if target is None else target
        if not self._auxiliary_name_scope:  # stay in the current name scope
            current = graph.get_name_scope()
            opened = stack.enter_context(graph.name_scope(current + "/" if current else None))
        elif name_scope:
            opened = stack.enter_context(graph.name_scope(name_scope))
        else:  # entering the root variable scope opens no name scope
            opened = None
        state = _store(graph).scopes
        old = state.current_scope
        if isinstance(target, VariableScope):
            scope = self._new_scope(target, target.name, target.original_name_scope)
            state.counts[scope.name] = state.counts.get(scope.name, 0) + 1
            saved_counts = dict(state.counts)
        else:
            if target is None:
                target = _unique_scope_name(state, self._default_name)
            name = f"{old.name}/{target}" if old.name else target
            scope = self._new_scope(old, name, target if opened is None else opened)
            state.counts[name] = state.counts.get(name, 0) + 1

        def leave() -> None:
            if state.current_scope is not scope:
                raise RuntimeError("Improper nesting of variable_scope.")
            if isinstance(self._name_or_scope, VariableScope):
                state.counts = saved_counts
            else:  # sub-scopes of a closed scope start counting afresh
                for key in state.counts:
                    if key.startswith(scope.name + "/"):
                        state.counts[key] = 0
            state.current_scope = old

        state.current_scope = scope
        stack.callback(leave)
        return scope

    def _new_scope(self, base: VariableScope, name: str, name_scope: str) -> VariableScope:
        """A scope named ``name`` with ``base``'s defaults, then this call's own arguments."""
        scope = VariableScope(
            self._reuse or base.reuse, name, initializer=base.initializer,
            regularizer=base.regularizer, caching_device=base.caching_device,
            partitioner=base.partitioner, custom_getter=base.custom_getter,
            name_scope=name_scope, dtype=base.dtype, use_resource=base.use_resource,
            constraint=self._constraint)
        for key, value in self._overrides.items():
            if value is not None:
                getattr(scope, "set_" + key)(value)
        if self._custom_getter is not None:
            scope.set_custom_getter(_wrap_custom_getter(self._custom_getter, base.custom_getter))
        return scope
