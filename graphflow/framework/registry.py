"""The op registry: every op type is defined once, as one :class:`OpDef` subclass.

An OpDef holds everything the engine knows about an op type: its attributes and their
defaults, build-time validation with dtype and static-shape inference (``infer``), the NumPy
kernel (``kernel``), and the symbolic gradient (``grad``). The graph, Session, autodiff,
rendering and serialization all read this registry; nothing else knows an op's math.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Markers for ops without a gradient method. Each registered OpDef must choose explicitly.
NOT_DIFFERENTIABLE = "not differentiable"
"""The op's outputs carry no gradient: backprop treats them as constants (TF1's
``NotDifferentiable``), e.g. comparisons, integer outputs, ``Shape``, ``StopGradient``."""

NO_GRADIENT = "no gradient"
"""No gradient is defined: differentiating through the op is a LookupError naming its type."""

Spec = tuple  # (DType, shape-like): the dtype and static shape of one output


@dataclass
class GradExample:
    """One way to build an op for the generic gradient check (``tests/test_gradient_check.py``).

    Each entry of ``inputs`` is either a shape (a tuple: a random float64 input, differentiated
    and checked against central differences) or an array (a fixed, non-differentiated input
    such as reduction axes). Random values are drawn uniformly from [low, high].
    """

    inputs: list
    attrs: dict = field(default_factory=dict)
    low: float = -2.0
    high: float = 2.0


class OpDef:
    """Base class of op definitions; subclass it and decorate with :func:`register`.

    ``infer(*inputs, **attrs)`` runs when the op is built: it receives the input Tensors and the
    attributes, validates them (raising ValueError/TypeError with a short reason, which the graph
    completes with the op's name, input shapes and the user's source line), and returns the
    output spec ``(dtype, shape)``, or a list of specs for an op with several (or no) outputs.

    ``kernel(op)`` runs when a Session compiles a plan: it returns the function that maps input
    arrays to the output array (or tuple of arrays), with the op's attributes and dtypes already
    bound, so that the hot loop only calls NumPy. Ops that touch Session state (variables)
    override ``bind`` instead.

    ``grad(op, *output_grads)`` builds the gradient ops, one entry per input (None where an
    input gets no gradient), or is one of the markers ``NOT_DIFFERENTIABLE`` / ``NO_GRADIENT``.
    """

    type: str = ""
    attrs: dict[str, Any] = {}
    stateful: bool = False  # True: has effects; never folded, merged or dropped by a plan
    grad: Any = None  # a method, NOT_DIFFERENTIABLE or NO_GRADIENT; None means "not declared"
    grad_examples: list[GradExample] = []  # how the generic gradient check builds this op

    def infer(self, *inputs: Any, **attrs: Any) -> Spec | list[Spec]:
        raise NotImplementedError(f"{type(self).__name__}.infer")

    def kernel(self, op: Any) -> Callable:
        raise NotImplementedError(f"{type(self).__name__}.kernel")

    def bind(self, op: Any, state: Any) -> Callable:
        """The run-time function for ``op`` in a Session whose variables live in ``state``."""
        return self.kernel(op)

    def forwards_input(self, op: Any) -> bool:
        """True when ``op``'s output is its first input's value, unchanged (an identity at run
        time): the plan then uses that value directly and calls no kernel."""
        return False

    def static_value(self, op: Any) -> Any:
        """``op``'s output value when build-time facts alone decide it (the shape of a tensor
        whose static shape is fully known), else None. Plans use it as a constant."""
        return None

    @property
    def differentiable(self) -> bool:
        return callable(self.grad)

    def __repr__(self) -> str:
        return f"<OpDef {self.type}>"


_REGISTRY: dict[str, OpDef] = {}


def register(type_name: str) -> Callable[[type], type]:
    """Class decorator: registers an OpDef subclass under the op type ``type_name``."""

    def decorate(cls: type) -> type:
        if type_name in _REGISTRY:
            raise KeyError(f"Op type {type_name!r} is already registered")
        if cls.grad is None:
            raise TypeError(
                f"OpDef {cls.__name__} must define grad() or set grad = NOT_DIFFERENTIABLE "
                "or NO_GRADIENT"
            )
        cls.type = type_name
        _REGISTRY[type_name] = cls()
        return cls

    return decorate


def get_opdef(type_name: str) -> OpDef:
    try:
        return _REGISTRY[type_name]
    except KeyError:
        raise KeyError(f"Op type not registered '{type_name}'") from None


def registered_ops() -> dict[str, OpDef]:
    """A copy of the registry: op type name to its OpDef."""
    return dict(_REGISTRY)
