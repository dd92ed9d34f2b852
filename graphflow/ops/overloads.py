"""Python operators on Tensors and Variables, mapped to ops as TF1 maps them.

``a + b`` builds an ``Add`` op named ``add``; a Python number or list on either side becomes a
constant of the other operand's dtype. ``==`` stays identity, as in TF1 (use ``tf.equal``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphflow.framework.graph import Tensor
from graphflow.ops import array_ops, math_ops
from graphflow.variables import Variable

_BINARY = {
    "add": (math_ops.add, "add"),
    "sub": (math_ops.subtract, "sub"),
    "mul": (math_ops.multiply, "mul"),
    "truediv": (math_ops.truediv, "truediv"),
    "floordiv": (math_ops.floordiv, "floordiv"),
    "mod": (math_ops.floormod, "mod"),
    "pow": (math_ops.pow, "pow"),
    "matmul": (math_ops.matmul, "matmul"),
    "and": (math_ops.logical_and, "and"),
    "or": (math_ops.logical_or, "or"),
    "xor": (math_ops.logical_xor, "xor"),
}

_COMPARISONS = {
    "lt": math_ops.less,
    "le": math_ops.less_equal,
    "gt": math_ops.greater,
    "ge": math_ops.greater_equal,
}


def _binary(function: Callable, name: str) -> tuple[Callable, Callable]:
    def forward(x: Any, y: Any) -> Tensor:
        return function(x, y, name=name)

    def reflected(y: Any, x: Any) -> Tensor:
        return function(x, y, name=name)

    return forward, reflected


def _install(cls: type) -> None:
    for dunder, (function, name) in _BINARY.items():
        forward, reflected = _binary(function, name)
        setattr(cls, f"__{dunder}__", forward)
        setattr(cls, f"__r{dunder}__", reflected)
    for dunder, function in _COMPARISONS.items():
        setattr(cls, f"__{dunder}__", lambda x, y, f=function: f(x, y))
    cls.__neg__ = lambda x: math_ops.negative(x)
    cls.__abs__ = lambda x: math_ops.abs(x)
    cls.__invert__ = lambda x: math_ops.logical_not(x)
    cls.__getitem__ = lambda x, key: array_ops.getitem(
        x if isinstance(x, Tensor) else x.value(), key)


_install(Tensor)
_install(Variable)
