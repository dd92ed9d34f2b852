"""``tf.Variable`` and the functions that list and initialize variables.

A Variable is three ops, named as TF1 names them: ``W`` (the variable, a reference),
``W/Assign`` (its initializer) and ``W/read`` (the value other ops consume).
"""

from __future__ import annotations

from typing import Any

from graphflow.framework import dtypes
from graphflow.framework.graph import (
    GraphKeys,
    Operation,
    Tensor,
    get_collection,
    get_default_graph,
)
from graphflow.framework.tensor_shape import TensorShape, unknown_shape
from graphflow.ops import array_ops, control_ops, state_ops
from graphflow.ops.constant_op import convert_to_tensor


class Variable:
    """``tf.Variable``: a tensor whose value persists across ``Session.run`` calls.

    In expressions a Variable stands for its value (``W/read:0``). Its value lives in each
    Session separately and must be initialized there before it is read.
    """

    def __init__(self, initial_value: Any = None, trainable: bool = True,
                 collections: list | None = None, validate_shape: bool = True,
                 caching_device: Any = None, name: str | None = None, variable_def: Any = None,
                 dtype: Any = None, expected_shape: Any = None, import_scope: Any = None,
                 constraint: Any = None, use_resource: Any = None, synchronization: Any = None,
                 aggregation: Any = None, shape: Any = None):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        graph = get_default_graph()
        self._trainable = trainable
        self._constraint = constraint
        with graph.control_dependencies(None), graph.name_scope(name or "Variable") as scope:
            if callable(initial_value):
                with graph.name_scope("Initializer"):
                    initial_value = initial_value()
            self._initial_value = convert_to_tensor(initial_value, dtype=dtype,
                                                    name="initial_value")
            value_shape = self._initial_value.shape if validate_shape else unknown_shape()
            if shape is not None:
                value_shape = TensorShape(shape)
            op = graph.create_op("VariableV2", [], {
                "shape": value_shape, "dtype": self._initial_value.dtype.base_dtype,
            }, scope)
            self._variable = op.outputs[0]
            self._initializer_op = state_ops.assign(
                self._variable, self._initial_value, validate_shape=validate_shape,
                name="Assign").op
            self._snapshot = array_ops.identity(self._variable, name="read")
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections = list(collections) + [GraphKeys.TRAINABLE_VARIABLES]
        graph.add_to_collections(collections, self)

    # -- identity --------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._variable.name

    @property
    def op(self) -> Operation:
        return self._variable.op

    @property
    def graph(self) -> Any:
        return self._variable.graph

    @property
    def dtype(self) -> dtypes.DType:
        return self._variable.dtype

    @property
    def shape(self) -> TensorShape:
        return self._variable.shape

    def get_shape(self) -> TensorShape:
        return self._variable.shape

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def constraint(self) -> Any:
        return self._constraint

    @property
    def initializer(self) -> Operation:
        """The op that assigns the initial value."""
        return self._initializer_op

    @property
    def initial_value(self) -> Tensor:
        return self._initial_value

    @property
    def device(self) -> str:
        return ""

    def _ref(self) -> Tensor:
        """The reference tensor ``W:0`` that assign ops write through."""
        return self._variable

    def _as_graph_tensor(self) -> Tensor:
        """The value used when the variable appears in an expression: the shared snapshot
        ``W/read``, or, under ``tf.control_dependencies``, a fresh read that runs after them
        (so ``tf.identity(v)`` there sees the dependencies' updates)."""
        if self._variable.graph._control_dependencies:
            return self.read_value()
        return self._snapshot

    def _as_graph_element(self) -> Tensor:
        return self._snapshot

    # -- values ----------------------------------------------------------------------------
    def value(self) -> Tensor:
        """The tensor ``W/read:0`` that expressions use."""
        return self._snapshot

    def read_value(self) -> Tensor:
        """A new read of the variable; under control dependencies it sees their updates."""
        return array_ops.identity(self._variable, name="read")

    def eval(self, session: Any = None) -> Any:
        return self._snapshot.eval(session=session)

    def assign(self, value: Any, use_locking: bool = False, name: str | None = None,
               read_value: bool = True) -> Any:
        out = state_ops.assign(self._variable, value, name=name)
        return out if read_value else out.op

    def assign_add(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Any:
        out = state_ops.assign_add(self._variable, delta, name=name)
        return out if read_value else out.op

    def assign_sub(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Any:
        out = state_ops.assign_sub(self._variable, delta, name=name)
        return out if read_value else out.op

    def count_up_to(self, limit: int) -> Tensor:
        """Increments this integer variable until it reaches ``limit`` (``tf.count_up_to``)."""
        return state_ops.count_up_to(self._variable, limit)

    def load(self, value: Any, session: Any = None) -> None:
        """Sets the value in ``session`` by running the initializer with ``value`` fed."""
        from graphflow.session import _session_for_eval

        _session_for_eval(session, self.graph, "variable").run(
            self._initializer_op, {self._initial_value: value})

    def set_shape(self, shape: Any) -> None:
        self._variable.set_shape(shape)
        self._snapshot.set_shape(shape)

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    __hash__ = object.__hash__  # identity, at C speed
    __eq__ = object.__eq__

    def __bool__(self) -> bool:
        raise TypeError("Using a `tf.Variable` as a Python `bool` is not allowed.")

    __array_priority__ = 100


def global_variables(scope: str | None = None) -> list[Variable]:
    """``tf.global_variables``: the variables in ``GraphKeys.GLOBAL_VARIABLES``."""
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list[Variable]:
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def trainable_variables(scope: str | None = None) -> list[Variable]:
    """``tf.trainable_variables``: the variables an optimizer updates by default."""
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def variables_initializer(var_list: list, name: str = "init") -> Operation:
    """``tf.variables_initializer``: one op that runs the initializers of ``var_list``."""
    if not var_list:
        return control_ops.no_op(name=name)
    return control_ops.group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer() -> Operation:
    """``tf.global_variables_initializer``: initializes every global variable."""
    return variables_initializer(global_variables())


def local_variables_initializer() -> Operation:
    return variables_initializer(local_variables())


def report_uninitialized_variables(var_list: list | None = None,
                                   name: str = "report_uninitialized_variables") -> Tensor:
    """``tf.report_uninitialized_variables``: names (bytes) of the variables without a value."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    refs = [v._ref() for v in var_list]
    return get_default_graph().create_op(
        "ReportUninitializedVariables", refs, None, name).outputs[0]
