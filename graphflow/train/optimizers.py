"""TF1's optimizers. Each one chooses its slots and builds its ``Apply*`` update op
(``ops/training_ops.py``); defaults are TF1's."""

from __future__ import annotations

from typing import Any

from graphflow.framework.graph import Operation, Tensor, get_default_graph
from graphflow.ops import control_ops, state_ops
from graphflow.ops.math_ops import multiply
from graphflow.ops.training_ops import apply_op
from graphflow.train.optimizer import Optimizer
from graphflow.variables import Variable


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * gradient."""

    def __init__(self, learning_rate: Any, use_locking: bool = False,
                 name: str = "GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _prepare(self) -> None:
        self._lr = self._hyper(self._learning_rate, "learning_rate")

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        return apply_op("ApplyGradientDescent", [var], [self._cast(self._lr, var), grad]).op


class MomentumOptimizer(Optimizer):
    """Momentum (optionally Nesterov): accum = momentum * accum + grad; var -= lr * accum."""

    def __init__(self, learning_rate: Any, momentum: Any, use_locking: bool = False,
                 name: str = "Momentum", use_nesterov: bool = False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list: list) -> None:
        for var in var_list:
            self._zeros_slot(var, "momentum")

    def _prepare(self) -> None:
        self._lr = self._hyper(self._learning_rate, "learning_rate")
        self._mu = self._hyper(self._momentum, "momentum")

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        accum = self.get_slot(var, "momentum")
        return apply_op("ApplyMomentum", [var, accum],
                        [self._cast(self._lr, var), grad, self._cast(self._mu, var)],
                        use_nesterov=self._use_nesterov).op


class AdagradOptimizer(Optimizer):
    """Adagrad: per-coordinate rates shrinking with the sum of squared gradients."""

    def __init__(self, learning_rate: Any, initial_accumulator_value: float = 0.1,
                 use_locking: bool = False, name: str = "Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list: list) -> None:
        for var in var_list:
            self._make_slot(var, self._initial_accumulator_value, "accumulator")

    def _prepare(self) -> None:
        self._lr = self._hyper(self._learning_rate, "learning_rate")

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        accum = self.get_slot(var, "accumulator")
        return apply_op("ApplyAdagrad", [var, accum], [self._cast(self._lr, var), grad]).op


class AdadeltaOptimizer(Optimizer):
    """Adadelta (Zeiler, 2012) with TF1's defaults."""

    def __init__(self, learning_rate: Any = 0.001, rho: Any = 0.95, epsilon: Any = 1e-8,
                 use_locking: bool = False, name: str = "Adadelta"):
        super().__init__(use_locking, name)
        self._learning_rate, self._rho, self._epsilon = learning_rate, rho, epsilon

    def _create_slots(self, var_list: list) -> None:
        for var in var_list:
            self._zeros_slot(var, "accum")
            self._zeros_slot(var, "accum_update")

    def _prepare(self) -> None:
        self._lr = self._hyper(self._learning_rate, "lr")
        self._rho_t = self._hyper(self._rho, "rho")
        self._epsilon_t = self._hyper(self._epsilon, "epsilon")

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        slots = [self.get_slot(var, "accum"), self.get_slot(var, "accum_update")]
        dense = [self._cast(t, var) for t in (self._lr, self._rho_t, self._epsilon_t)]
        return apply_op("ApplyAdadelta", [var, *slots], [*dense, grad]).op


class RMSPropOptimizer(Optimizer):
    """RMSProp; ``centered`` normalizes by the estimated variance of the gradient."""

    def __init__(self, learning_rate: Any, decay: Any = 0.9, momentum: Any = 0.0,
                 epsilon: Any = 1e-10, use_locking: bool = False, centered: bool = False,
                 name: str = "RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate, self._decay = learning_rate, decay
        self._momentum, self._epsilon, self._centered = momentum, epsilon, centered

    def _create_slots(self, var_list: list) -> None:
        for var in var_list:
            self._make_slot(var, 1.0, "rms")  # TF1 starts the mean square at one
            self._zeros_slot(var, "momentum")
            if self._centered:
                self._zeros_slot(var, "mg")

    def _prepare(self) -> None:
        self._lr = self._hyper(self._learning_rate, "learning_rate")
        self._decay_t = self._hyper(self._decay, "decay")
        self._momentum_t = self._hyper(self._momentum, "momentum")
        self._epsilon_t = self._hyper(self._epsilon, "epsilon")

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        dense = [self._cast(t, var)
                 for t in (self._lr, self._decay_t, self._momentum_t, self._epsilon_t)]
        rms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        if self._centered:
            mg = self.get_slot(var, "mg")
            return apply_op("ApplyCenteredRMSProp", [var, mg, rms, mom], [*dense, grad]).op
        return apply_op("ApplyRMSProp", [var, rms, mom], [*dense, grad]).op


class AdamOptimizer(Optimizer):
    """Adam (Kingma and Ba, 2015) as TF1 implements it, with ``beta1_power`` and
    ``beta2_power`` accumulators updated after every step."""

    def __init__(self, learning_rate: Any = 0.001, beta1: Any = 0.9, beta2: Any = 0.999,
                 epsilon: Any = 1e-8, use_locking: bool = False, name: str = "Adam"):
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon

    def _create_slots(self, var_list: list) -> None:
        self._non_slot("beta1_power", float(self._beta1))
        self._non_slot("beta2_power", float(self._beta2))
        for var in var_list:
            self._zeros_slot(var, "m")
            self._zeros_slot(var, "v")

    def _get_beta_accumulators(self) -> tuple[Variable, Variable]:
        return self._non_slot_variables["beta1_power"], self._non_slot_variables["beta2_power"]

    def _prepare(self) -> None:
        self._lr_t = self._hyper(self._lr, "learning_rate")
        self._beta1_t = self._hyper(self._beta1, "beta1")
        self._beta2_t = self._hyper(self._beta2, "beta2")
        self._epsilon_t = self._hyper(self._epsilon, "epsilon")

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        beta1_power, beta2_power = self._get_beta_accumulators()
        dense = [self._cast(t, var) for t in (beta1_power.value(), beta2_power.value(),
                                              self._lr_t, self._beta1_t, self._beta2_t,
                                              self._epsilon_t)]
        slots = [self.get_slot(var, "m"), self.get_slot(var, "v")]
        return apply_op("ApplyAdam", [var, *slots], [*dense, grad]).op

    def _finish(self, update_ops: list, name_scope: str) -> Operation:
        beta1_power, beta2_power = self._get_beta_accumulators()
        with get_default_graph().control_dependencies(update_ops):
            update_beta1 = state_ops.assign(beta1_power, multiply(beta1_power, self._beta1_t))
            update_beta2 = state_ops.assign(beta2_power, multiply(beta2_power, self._beta2_t))
        return control_ops.group(*update_ops, update_beta1, update_beta2, name=name_scope)
