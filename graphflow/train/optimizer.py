"""The ``Optimizer`` base class: gradients from the graph, updates as ops in the graph.

``minimize`` is ``compute_gradients`` (symbolic backprop, ``tf.gradients``) followed by
``apply_gradients``, which creates the optimizer's slot variables and builds one update op per
variable, grouped into the returned training op.
"""

from __future__ import annotations

from typing import Any

from graphflow.autodiff import gradients
from graphflow.framework.graph import (
    GraphKeys,
    Operation,
    Tensor,
    get_collection,
    get_default_graph,
)
from graphflow.ops import array_ops, control_ops, state_ops
from graphflow.ops import variable_scope as vs
from graphflow.ops.constant_op import constant, convert_to_tensor
from graphflow.ops.math_ops import cast
from graphflow.variables import Variable, trainable_variables


class Optimizer:
    """Base class of TF1's optimizers. Subclasses define ``_create_slots``, ``_prepare`` and
    ``_apply_dense`` (and optionally ``_finish``)."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking: bool, name: str):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots: dict[str, dict[Variable, Variable]] = {}
        self._non_slot_variables: dict[str, Variable] = {}

    def get_name(self) -> str:
        return self._name

    # -- the public steps --------------------------------------------------------------------
    def minimize(self, loss: Tensor, global_step: Any = None, var_list: list | None = None,
                 gate_gradients: int = GATE_OP, aggregation_method: Any = None,
                 colocate_gradients_with_ops: bool = False, name: str | None = None,
                 grad_loss: Any = None) -> Operation:
        """Adds ops that compute the gradients of ``loss`` and update ``var_list`` (default:
        the trainable variables); increments ``global_step`` once per run when given."""
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        if all(g is None for g, _ in grads_and_vars):
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[str(v) for _, v in grads_and_vars]} "
                f"and loss {loss}."
            )
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss: Tensor, var_list: list | None = None,
                          gate_gradients: int = GATE_OP, aggregation_method: Any = None,
                          colocate_gradients_with_ops: bool = False,
                          grad_loss: Any = None) -> list[tuple[Tensor | None, Variable]]:
        """``(gradient, variable)`` pairs; the gradient is None for a variable that ``loss``
        does not depend on."""
        if var_list is None:
            var_list = trainable_variables() + get_collection(
                GraphKeys.TRAINABLE_RESOURCE_VARIABLES)
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, var_list, grad_ys=None if grad_loss is None else [grad_loss])
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars: Any, global_step: Any = None,
                        name: str | None = None) -> Operation:
        """Builds the update ops for the non-None gradients and returns one op running them
        all (then incrementing ``global_step`` when given)."""
        grads_and_vars = [(None if g is None else convert_to_tensor(g), v)
                          for g, v in grads_and_vars]
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        present = [(g, v) for g, v in grads_and_vars if g is not None]
        if not present:
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[str(v) for _, v in grads_and_vars]}.")
        graph = get_default_graph()
        with graph.control_dependencies(None):
            self._create_slots([v for _, v in present])
        update_ops = []
        with graph.name_scope(name or self._name) as scope:
            self._prepare()
            for grad, var in present:
                with graph.name_scope("update_" + var.op.name):
                    update_ops.append(self._apply_dense(grad, var))
            if global_step is None:
                train_op = self._finish(update_ops, scope[:-1] + "/")
            else:
                with graph.control_dependencies([self._finish(update_ops, "update")]):
                    train_op = state_ops.assign_add(global_step, 1, name=scope[:-1] + "/").op
        graph.add_to_collection(GraphKeys.TRAIN_OP, train_op)
        return train_op

    # -- slots -------------------------------------------------------------------------------
    def get_slot_names(self) -> list[str]:
        """The names of the slots this optimizer keeps per variable, e.g. ``["m", "v"]``."""
        return sorted(self._slots)

    def get_slot(self, var: Variable, name: str) -> Variable | None:
        """The slot variable ``name`` of ``var`` (None if there is none)."""
        return self._slots.get(name, {}).get(var)

    def variables(self) -> list[Variable]:
        """Every variable this optimizer created (slots and non-slot accumulators)."""
        slots = [v for by_var in self._slots.values() for v in by_var.values()]
        return list(self._non_slot_variables.values()) + slots

    def _make_slot(self, var: Variable, value: float, slot_name: str) -> Variable:
        """A non-trainable variable shaped like ``var``, named ``<var>/<optimizer name>`` in
        the current variable scope, as TF1 names slots: ``W/Adam``, or ``m1/m1/W/Adam`` for an
        optimizer built inside ``tf.variable_scope("m1")``."""
        by_var = self._slots.setdefault(slot_name, {})
        if var not in by_var:
            dims, dtype = var.shape.as_list(), var.dtype.base_dtype

            def initial() -> Any:  # as TF1: a Fill op, not a constant as big as the variable
                if value == 0:
                    return array_ops.zeros(dims, dtype)
                return array_ops.fill(dims, constant(value, dtype=dtype), name="Const")

            scope = vs.get_variable_scope().name
            with get_default_graph().name_scope(f"{scope}/" if scope else None):
                by_var[var] = Variable(initial, trainable=False,
                                       name=f"{var.op.name}/{self._name}")
        return by_var[var]

    def _zeros_slot(self, var: Variable, slot_name: str) -> Variable:
        return self._make_slot(var, 0.0, slot_name)

    def _non_slot(self, name: str, initial_value: float) -> Variable:
        """An accumulator of the optimizer's own (Adam's ``beta1_power``), named in the
        current name scope as TF1 names it."""
        if name not in self._non_slot_variables:
            self._non_slot_variables[name] = Variable(initial_value, trainable=False, name=name)
        return self._non_slot_variables[name]

    # -- for subclasses ----------------------------------------------------------------------
    def _create_slots(self, var_list: list[Variable]) -> None:
        """Creates the slot variables of each variable (none by default)."""

    def _prepare(self) -> None:
        """Converts hyperparameters to tensors, once per ``apply_gradients``."""

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        raise NotImplementedError

    def _finish(self, update_ops: list, name_scope: str) -> Operation:
        return control_ops.group(*update_ops, name=name_scope)

    def _hyper(self, value: Any, name: str) -> Tensor:
        return convert_to_tensor(value, name=name)

    def _cast(self, tensor: Tensor, var: Variable) -> Tensor:
        """A hyperparameter in the variable's dtype (float64 variables get float64 rates)."""
        return cast(tensor, var.dtype.base_dtype)
