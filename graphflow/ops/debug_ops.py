"""Ops for debugging: ``tf.check_numerics``, ``tf.Assert`` and the ``tf.debugging.assert_*``
checks, ``tf.print`` and the old ``tf.Print``.

Checks whose operands are constants are decided when the graph is built, as TF1 does: a failing
one raises right there (InvalidArgumentError for values, ValueError for ranks, TypeError for
dtypes). Otherwise they build an ``Assert`` op that raises InvalidArgumentError when it runs;
like any op, it runs only when fetched or a control dependency of something fetched.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.errors import InvalidArgumentError
from graphflow.framework.graph import Operation, Tensor, get_default_graph, name_scope
from graphflow.framework.registry import NOT_DIFFERENTIABLE, GradExample, OpDef, register
from graphflow.ops import array_ops, math_ops
from graphflow.ops.constant_op import constant_value, convert_to_tensor
from graphflow.ops.control_ops import group, no_op
from graphflow.ops.op_util import BOOL, FLOATS, INDEX, check_dtype, check_rank


def _create(op_type: str, inputs: list, attrs: dict, name: str | None) -> Operation:
    return get_default_graph().create_op(op_type, inputs, attrs, name)


# -- formatting values as TF1 prints them --------------------------------------------------
def _element_text(value: Any) -> str:
    """One element: bytes decoded, bools as 1/0, floats without a trailing ``.0``."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (bool, np.bool_)):
        return str(int(value))
    text = str(value)
    return text[:-2] if isinstance(value, np.floating) and text.endswith(".0") else text


def summarize(value: Any, limit: int) -> str:
    """TF1's summary of a value (``tf.Assert``, ``tf.Print``): its first ``limit`` elements in
    nested brackets (all of them when ``limit`` < 0), ``...`` where some were left out."""
    array = np.asarray(value)
    flat = array.reshape(-1)
    limit = flat.size if limit < 0 else min(limit, flat.size)
    if array.ndim == 0:
        return _element_text(flat[0])
    parts: list[str] = []
    index = 0

    def dim(axis: int) -> None:  # recursion depth is the rank, never the size
        nonlocal index
        if index >= limit:
            return
        if axis == array.ndim - 1:
            for i in range(array.shape[axis]):
                if index >= limit:
                    if axis:
                        parts.append("...")
                    return
                parts.append(f"{' ' if i else ''}{_element_text(flat[index])}")
                index += 1
            return
        for _ in range(array.shape[axis]):
            opened = index < limit
            parts.append("[" if opened else "")
            dim(axis + 1)
            parts.append("]" if opened else "")

    dim(0)
    return "".join(parts) + ("..." if flat.size > limit else "")


def _format_v2(value: Any, limit: int) -> str:
    """``tf.print``'s layout: NumPy-like rows, the first and last ``limit`` items of each
    dimension (all when ``limit`` < 0)."""
    array = np.asarray(value)
    if array.ndim == 0:
        return _element_text(array[()])
    return np.array2string(array, max_line_width=sys.maxsize, separator=" ",
                           threshold=sys.maxsize if limit < 0 else 0, edgeitems=max(limit, 0),
                           formatter={"all": _element_text})


# -- CheckNumerics ---------------------------------------------------------------------------
@register("CheckNumerics")
class CheckNumerics(OpDef):
    """Its input, unchanged; InvalidArgumentError at run time if the input holds NaN or Inf."""

    attrs = {"message": ""}
    stateful = True  # stopping the run is its effect: a plan never folds, merges or drops it
    grad_examples = [GradExample([(2, 3)])]

    def infer(self, tensor: Tensor, *, message: str) -> tuple:
        check_dtype(self.type, "tensor", tensor, FLOATS)
        return tensor.dtype.base_dtype, tensor.shape

    def kernel(self, op: Any) -> Any:
        message = op.attrs["message"]

        def check(x: Any) -> Any:
            if np.isfinite(x).all():
                return x
            kinds = " and ".join(k for k, bad in (("Inf", np.isinf(x).any()),
                                                  ("NaN", np.isnan(x).any())) if bad)
            raise InvalidArgumentError(None, op, f"{message} : Tensor had {kinds} values")

        return check

    def grad(self, op: Any, grad: Tensor) -> list:
        return [check_numerics(grad, "Not a number (NaN) or infinity (Inf) values detected in "
                                     f"gradient. {op.attrs['message']}")]


def check_numerics(tensor: Any, message: str, name: str | None = None) -> Tensor:
    """``tf.check_numerics``: ``tensor`` unchanged, or InvalidArgumentError naming ``message``
    when it holds NaN or Inf at run time."""
    return _create("CheckNumerics", [convert_to_tensor(tensor)], {"message": message},
                   name).outputs[0]


def add_check_numerics_ops() -> Operation:
    """``tf.add_check_numerics_ops``: one op that checks every floating-point tensor of the
    default graph (built so far) for NaN and Inf, in creation order."""
    graph = get_default_graph()
    checks: list[Operation] = []
    for op in graph.get_operations():
        for output in op.outputs:
            if output.dtype.is_ref_dtype or output.dtype not in FLOATS:
                continue
            if op.branch is not None:
                raise ValueError("`tf.add_check_numerics_ops() is not compatible with TensorFlow "
                                 "control flow operations such as `tf.cond()` or "
                                 "`tf.while_loop()`.")
            with graph.control_dependencies(checks):
                checks = [check_numerics(output, f"{op.name}:{output.value_index}").op]
    return group(*checks)


# -- Assert ------------------------------------------------------------------------------------
@register("Assert")
class AssertOp(OpDef):
    """Raises InvalidArgumentError with a summary of its data inputs when its condition (a bool
    scalar) is false."""

    attrs = {"summarize": 3}
    stateful = True  # a side effect: never folded away
    grad = NOT_DIFFERENTIABLE
    grad_examples = [GradExample([np.array(True), (2, 3)])]  # builds it for registry-wide tests

    def infer(self, condition: Tensor, *data: Tensor, summarize: int) -> list:
        check_dtype(self.type, "condition", condition, BOOL)
        check_rank(condition, 0)
        return []

    def kernel(self, op: Any) -> Any:
        limit = op.attrs["summarize"]

        def check(condition: Any, *data: Any) -> None:
            if np.ndim(condition) != 0:
                raise InvalidArgumentError(None, op, "In[0] should be a scalar: "
                                                     f"{np.shape(condition)}")
            if not condition:
                text = " ".join(f"[{summarize(value, limit)}]" for value in data)
                raise InvalidArgumentError(None, op, f"assertion failed: {text}")

        return check


def Assert(condition: Any, data: list, summarize: int | None = None,  # noqa: N802 - TF1 name
           name: str | None = None) -> Operation:
    """``tf.Assert``: an op that raises InvalidArgumentError listing ``data`` (tensors or
    strings; the first ``summarize`` elements of each) when ``condition`` is false."""
    with name_scope(name, "Assert", [condition, *data]) as scope:
        inputs = [convert_to_tensor(condition)] + [convert_to_tensor(d) for d in data]
        return _create("Assert", inputs, {"summarize": 3 if summarize is None else summarize},
                       scope)


def _static_text(item: Any) -> str:
    value = constant_value(item) if isinstance(item, Tensor) else None
    return str(item) if value is None else str(value)


def _binary_assert(symbol: str, default_name: str, op_func: Any, np_func: Any, x: Any, y: Any,
                   data: list | None, summarize: int | None, message: str | None,
                   name: str | None) -> Operation:
    """The shared body of ``assert_equal``, ``assert_less``, ...: ``op_func(x, y)`` must hold
    for every element; decided at build time when both operands are constants."""
    with name_scope(name, default_name, [x, y]):
        x, y = math_ops.binary_operands(x, y)
        condition = math_ops.reduce_all(op_func(x, y))
        if data is None:
            data = [f"Condition x {symbol} y did not hold element-wise:", f"x ({x.name}) = ", x,
                    f"y ({y.name}) = ", y]
        if message is not None:
            data = [message, *data]
        x_static, y_static = constant_value(x), constant_value(y)
        if x_static is not None and y_static is not None and not np.all(np_func(x_static,
                                                                                y_static)):
            raise InvalidArgumentError(None, None, "\n".join(_static_text(d) for d in data))
        return Assert(condition, data, summarize)


def assert_equal(x: Any, y: Any, data: list | None = None, summarize: int | None = None,
                 message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_equal``: x == y must hold for every element."""
    return _binary_assert("==", "assert_equal", math_ops.equal, np.equal, x, y, data, summarize,
                          message, name)


def assert_none_equal(x: Any, y: Any, data: list | None = None, summarize: int | None = None,
                      message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_none_equal``: x != y must hold for every element."""
    return _binary_assert("!=", "assert_none_equal", math_ops.not_equal, np.not_equal, x, y,
                          data, summarize, message, name)


def assert_less(x: Any, y: Any, data: list | None = None, summarize: int | None = None,
                message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_less``: x < y must hold for every element."""
    return _binary_assert("<", "assert_less", math_ops.less, np.less, x, y, data, summarize,
                          message, name)


def assert_less_equal(x: Any, y: Any, data: list | None = None, summarize: int | None = None,
                      message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_less_equal``: x <= y must hold for every element."""
    return _binary_assert("<=", "assert_less_equal", math_ops.less_equal, np.less_equal, x, y,
                          data, summarize, message, name)


def assert_greater(x: Any, y: Any, data: list | None = None, summarize: int | None = None,
                   message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_greater``: x > y must hold for every element."""
    return _binary_assert(">", "assert_greater", math_ops.greater, np.greater, x, y, data,
                          summarize, message, name)


def assert_greater_equal(x: Any, y: Any, data: list | None = None, summarize: int | None = None,
                         message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_greater_equal``: x >= y must hold for every element."""
    return _binary_assert(">=", "assert_greater_equal", math_ops.greater_equal, np.greater_equal,
                          x, y, data, summarize, message, name)


def _sign_assert(symbol: str, default_name: str, check: Any, zero_first: bool, x: Any,
                 data: list | None, summarize: int | None, message: str | None,
                 name: str | None) -> Operation:
    """``assert_positive`` and its kin: ``check(0, x)`` or ``check(x, 0)`` (``assert_less`` or
    ``assert_less_equal``) in a name scope of its own, as TF1 builds them."""
    with name_scope(name, default_name, [x]):
        x = convert_to_tensor(x, name="x")
        if data is None:
            data = [f"Condition x {symbol} 0 did not hold element-wise:", f"x ({x.name}) = ", x]
        if message is not None:
            data = [message, *data]
        zero = convert_to_tensor(0, dtype=x.dtype.base_dtype)
        return check(*((zero, x) if zero_first else (x, zero)), data=data, summarize=summarize)


def assert_positive(x: Any, data: list | None = None, summarize: int | None = None,
                    message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_positive``: x > 0 must hold for every element."""
    return _sign_assert(">", "assert_positive", assert_less, True, x, data, summarize, message,
                        name)


def assert_negative(x: Any, data: list | None = None, summarize: int | None = None,
                    message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_negative``: x < 0 must hold for every element."""
    return _sign_assert("<", "assert_negative", assert_less, False, x, data, summarize, message,
                        name)


def assert_non_negative(x: Any, data: list | None = None, summarize: int | None = None,
                        message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_non_negative``: x >= 0 must hold for every element."""
    return _sign_assert(">=", "assert_non_negative", assert_less_equal, True, x, data, summarize,
                        message, name)


def assert_non_positive(x: Any, data: list | None = None, summarize: int | None = None,
                        message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_non_positive``: x <= 0 must hold for every element."""
    return _sign_assert("<=", "assert_non_positive", assert_less_equal, False, x, data,
                        summarize, message, name)


def assert_near(x: Any, y: Any, rtol: Any = None, atol: Any = None, data: list | None = None,
                summarize: int | None = None, message: str | None = None,
                name: str | None = None) -> Operation:
    """``tf.debugging.assert_near``: |x - y| <= atol + rtol * |y| for every element (floats;
    both tolerances default to 10 machine epsilons of the dtype)."""
    with name_scope(name, "assert_near", [x, y]):
        x, y = math_ops.binary_operands(x, y)
        check_dtype("assert_near", "x", x, FLOATS)
        eps = float(np.finfo(x.dtype.as_numpy_dtype).eps)
        rtol = 10 * eps if rtol is None else rtol
        atol = 10 * eps if atol is None else atol
        if data is None:
            data = [f"x and y not equal to tolerance rtol = {rtol}, atol = {atol}",
                    f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
        if message is not None:
            data = [message, *data]
        dtype = x.dtype.base_dtype
        tolerance = math_ops.add(convert_to_tensor(atol, dtype=dtype, name="atol"),
                                 math_ops.multiply(convert_to_tensor(rtol, dtype=dtype,
                                                                     name="rtol"),
                                                   math_ops.abs(y)))
        distance = math_ops.abs(math_ops.subtract(x, y))
        condition = math_ops.reduce_all(math_ops.less_equal(distance, tolerance))
        x_static, y_static = constant_value(x), constant_value(y)
        if x_static is not None and y_static is not None and not np.all(
                np.abs(x_static - y_static) <= atol + rtol * np.abs(y_static)):
            raise InvalidArgumentError(None, None, "\n".join(_static_text(d) for d in data))
        return Assert(condition, data, summarize)


def _rank_assert(word: str, default_name: str, holds: Any, x: Any, rank: Any,
                 data: list | None, summarize: int | None, message: str | None,
                 name: str | None) -> Operation:
    """``assert_rank`` and ``assert_rank_at_least``: ``holds(actual, wanted)`` on ranks; a
    ValueError at build time when both ranks are known there."""
    with name_scope(name, default_name, [x, rank]):
        x = convert_to_tensor(x, name="x")
        rank = convert_to_tensor(rank, name="rank")
        check_dtype(default_name, "rank", rank, INDEX)
        if rank.shape.ndims not in (None, 0):
            raise ValueError("Rank must be a scalar.")
        wanted, actual = constant_value(rank), x.shape.ndims
        if wanted is not None and actual is not None:
            if not holds(actual, int(wanted)):
                prefix = f"{message}.  " if message else ""
                raise ValueError(f"{prefix}Tensor {x.name} must have {word} {int(wanted)}.  "
                                 f"Received rank {actual}, shape {x.shape}")
            return no_op(name="static_checks_determined_all_ok")
        if data is None:
            data = [f"Tensor {x.name} must have {word}", rank, "Received shape: ",
                    array_ops.shape(x)]
        if message is not None:
            data = [message, *data]
        actual_rank = math_ops.cast(array_ops.rank(x), rank.dtype.base_dtype)
        return Assert(holds(actual_rank, rank), data, summarize)


def assert_rank(x: Any, rank: Any, data: list | None = None, summarize: int | None = None,
                message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_rank``: x must have rank ``rank``."""
    return _rank_assert("rank", "assert_rank", _equal, x, rank, data, summarize, message, name)


def assert_rank_at_least(x: Any, rank: Any, data: list | None = None,
                         summarize: int | None = None, message: str | None = None,
                         name: str | None = None) -> Operation:
    """``tf.debugging.assert_rank_at_least``: x must have rank ``rank`` or more."""
    return _rank_assert("rank at least", "assert_rank_at_least", _at_least, x, rank, data,
                        summarize, message, name)


def _equal(a: Any, b: Any) -> Any:
    return a == b if isinstance(a, int) else math_ops.equal(a, b)


def _at_least(a: Any, b: Any) -> Any:
    return a >= b if isinstance(a, int) else math_ops.greater_equal(a, b)


def assert_type(tensor: Any, tf_type: Any, message: str | None = None,
                name: str | None = None) -> Operation:
    """``tf.debugging.assert_type``: a TypeError at build time unless ``tensor`` has dtype
    ``tf_type``; returns a no-op."""
    tensor = convert_to_tensor(tensor)
    wanted = dtypes.as_dtype(tf_type).base_dtype
    if tensor.dtype.base_dtype != wanted:
        raise TypeError(f"{message or ''}{tensor.name} must be of type tf.{wanted.name}; "
                        f"got tf.{tensor.dtype.base_dtype.name}")
    with name_scope(name, "assert_type", [tensor]):
        return no_op(name="statically_determined_correct_type")


# -- printing ----------------------------------------------------------------------------------
_IMPORT_STREAMS = {"stdout": sys.stdout, "stderr": sys.stderr}  # print_'s default argument
_STREAMS = ("stderr", "stdout", "log(info)", "log(warning)", "log(error)")


def _writer(stream: str) -> Any:
    """A function writing text to ``stream`` (looked up when it runs, so redirection works)."""
    if stream in ("stderr", "stdout"):
        return lambda text: getattr(sys, stream).write(text)
    if stream.startswith("file://"):
        path = stream[len("file://"):]

        def append(text: str) -> None:
            with open(path, "a", encoding="utf-8") as out:
                out.write(text)

        return append
    level = getattr(logging, stream[4:-1].upper())
    return lambda text: logging.getLogger("graphflow").log(level, text.rstrip("\n"))


@register("PrintV2")
class PrintV2(OpDef):
    """Writes its inputs, formatted between the text ``pieces``, to ``output_stream``."""

    attrs = {"pieces": ("",), "output_stream": "stderr", "summarize": 3, "end": "\n"}
    stateful = True
    grad = NOT_DIFFERENTIABLE
    grad_examples = [GradExample([(2, 3)], attrs={"pieces": ("value: ", "")})]

    def infer(self, *inputs: Tensor, pieces: tuple, output_stream: str, summarize: int,
              end: str) -> list:
        if len(pieces) != len(inputs) + 1:
            raise ValueError(f"{len(inputs)} inputs need {len(inputs) + 1} text pieces, "
                             f"got {len(pieces)}")
        if output_stream not in _STREAMS and not output_stream.startswith("file://"):
            raise ValueError(f"Unsupported output stream, logging level, or file: "
                             f"{output_stream!r}. Supported: sys.stdout, sys.stderr, "
                             f"{', '.join(_STREAMS[2:])}, or 'file://<path>'")
        return []

    def kernel(self, op: Any) -> Any:
        pieces, limit, end = op.attrs["pieces"], op.attrs["summarize"], op.attrs["end"]
        write = _writer(op.attrs["output_stream"])

        def print_values(*values: Any) -> None:
            texts = [_format_v2(value, limit) for value in values]
            write(pieces[0] + "".join(t + p for t, p in zip(texts, pieces[1:])) + end)

        return print_values


def _stream_name(stream: Any) -> str:
    """The attribute value for ``output_stream``: sys.stdout and sys.stderr (as they are now,
    originally, or were when graphflow was imported) by name; strings as they are."""
    if isinstance(stream, str):
        return stream
    for name in ("stdout", "stderr"):
        if any(stream is known for known in (getattr(sys, name), getattr(sys, f"__{name}__"),
                                             _IMPORT_STREAMS[name])):
            return name
    raise ValueError(f"Unsupported output stream, logging level, or file: {stream!r}")


def _layout(value: Any, top_level: bool, pieces: list[str], tensors: list[Tensor]) -> None:
    """Lays out one argument of ``tf.print``: text goes into ``pieces``, each tensor starts a new
    piece. Strings print as they are at the top level and quoted inside structures."""
    if isinstance(value, str):
        pieces[-1] += value if top_level else repr(value)
    elif isinstance(value, dict):
        pieces[-1] += "{"
        for i, (key, item) in enumerate(value.items()):
            pieces[-1] += f"{', ' if i else ''}{key!r}: "
            _layout(item, False, pieces, tensors)
        pieces[-1] += "}"
    elif isinstance(value, (list, tuple)):
        pieces[-1] += "[" if isinstance(value, list) else "("
        for i, item in enumerate(value):
            pieces[-1] += ", " if i else ""
            _layout(item, False, pieces, tensors)
        pieces[-1] += "]" if isinstance(value, list) else ")"
    else:
        tensors.append(convert_to_tensor(value))
        pieces.append("")


def print_(*inputs: Any, output_stream: Any = sys.stderr, summarize: int = 3, sep: str = " ",
           end: str = "\n", name: str | None = None) -> Operation:
    """``tf.print``: an op that prints ``inputs`` (tensors, strings, or lists and dicts of
    them) when it runs; use it as a fetch or a control dependency."""
    stream = _stream_name(output_stream)
    pieces: list[str] = [""]
    tensors: list[Tensor] = []
    for i, value in enumerate(inputs):
        pieces[-1] += sep if i else ""
        _layout(value, True, pieces, tensors)
    attrs = {"pieces": tuple(pieces), "output_stream": stream, "summarize": summarize,
             "end": end}
    return _create("PrintV2", tensors, attrs, name)


@register("Print")
class PrintOp(OpDef):
    """Its first input, unchanged; prints ``message`` and summaries of the other inputs to
    stderr each time it runs (only the first ``first_n`` times when that is positive; as in
    TF1, counted per compiled run signature)."""

    attrs = {"message": "", "first_n": -1, "summarize": 3}
    stateful = True
    grad_examples = [GradExample([(2, 3)])]

    def infer(self, input_: Tensor, *data: Tensor, message: str, first_n: int,
              summarize: int) -> tuple:
        return input_.dtype.base_dtype, input_.shape

    def kernel(self, op: Any) -> Any:
        message, first_n, limit = op.attrs["message"], op.attrs["first_n"], op.attrs["summarize"]
        runs = 0

        def print_data(value: Any, *data: Any) -> Any:
            nonlocal runs
            runs += 1
            if first_n < 0 or runs <= first_n:
                text = "".join(f"[{summarize(d, limit)}]" for d in data)
                sys.stderr.write(f"{message}{text}\n")
            return value

        return print_data

    def grad(self, op: Any, grad: Tensor) -> list:
        return [grad] + [None] * (len(op.inputs) - 1)


def Print(input_: Any, data: list, message: str | None = None,  # noqa: N802 - TF1's name
          first_n: int | None = None, summarize: int | None = None,
          name: str | None = None) -> Tensor:
    """``tf.Print`` (deprecated in TF1 for ``tf.print``): ``input_`` unchanged; running it
    prints ``message`` followed by the first ``summarize`` elements of each tensor in
    ``data`` to stderr."""
    inputs = [convert_to_tensor(input_)] + [convert_to_tensor(d) for d in data]
    attrs = {"message": message or "", "first_n": -1 if first_n is None else first_n,
             "summarize": 3 if summarize is None else summarize}
    return _create("Print", inputs, attrs, name).outputs[0]
