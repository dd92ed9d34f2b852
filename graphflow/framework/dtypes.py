"""Data types of tensors, named and behaving as in TensorFlow 1.

A :class:`DType` pairs a TF1 name (``float32``) with the NumPy dtype its kernels compute in.
Variables hold *reference* types (``float32_ref``) whose ``base_dtype`` is the plain type,
exactly as TF1 prints them.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np


class DType:
    """One tensor element type; compare with ``==`` and convert with :func:`as_dtype`."""

    __slots__ = ("name", "_np", "_is_ref", "_proto_name")

    def __init__(self, name: str, np_dtype: Any, proto_name: str, is_ref: bool = False):
        self.name = name + ("_ref" if is_ref else "")
        self._np = np.dtype(np_dtype)
        self._is_ref = is_ref
        self._proto_name = proto_name

    @property
    def base_dtype(self) -> DType:
        """The non-reference type: ``float32`` for ``float32_ref``."""
        return _BY_NAME[self.name[:-4]] if self._is_ref else self

    @property
    def _as_ref(self) -> DType:
        return self if self._is_ref else _BY_NAME[self.name + "_ref"]

    @property
    def is_ref_dtype(self) -> bool:
        return self._is_ref

    @property
    def as_numpy_dtype(self) -> type:
        """The NumPy scalar type (``numpy.float32``); ``object`` for strings."""
        return object if self._np.kind == "O" else self._np.type

    @property
    def is_floating(self) -> bool:
        return self._np.kind == "f"

    @property
    def is_integer(self) -> bool:
        return self._np.kind in "iu"

    @property
    def is_unsigned(self) -> bool:
        return self._np.kind == "u"

    @property
    def is_bool(self) -> bool:
        return self._np.kind == "b"

    @property
    def is_numpy_compatible(self) -> bool:
        return True

    @property
    def size(self) -> int:
        return self._np.itemsize

    @property
    def min(self) -> Any:
        """Smallest representable value (TF1's ``dtype.min``)."""
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self) -> Any:
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    def is_compatible_with(self, other: Any) -> bool:
        """True when a value of ``other`` may be used where this type is expected."""
        return self.base_dtype == as_dtype(other).base_dtype

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DType):
            return self.name == other.name
        try:
            return self.name == as_dtype(other).name
        except TypeError:
            return False

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"

    def __reduce__(self) -> tuple:
        return as_dtype, (self.name,)


_SPECS = [
    # name, numpy dtype, protobuf enum name (used in TF1's error messages)
    ("float16", np.float16, "half"),
    ("float32", np.float32, "float"),
    ("float64", np.float64, "double"),
    ("int8", np.int8, "int8"),
    ("int16", np.int16, "int16"),
    ("int32", np.int32, "int32"),
    ("int64", np.int64, "int64"),
    ("uint8", np.uint8, "uint8"),
    ("uint16", np.uint16, "uint16"),
    ("bool", np.bool_, "bool"),
    ("string", np.object_, "string"),
]

_BY_NAME: dict[str, DType] = {}
for _name, _np_type, _proto in _SPECS:
    _BY_NAME[_name] = DType(_name, _np_type, _proto)
    _BY_NAME[_name + "_ref"] = DType(_name, _np_type, _proto, is_ref=True)

float16 = half = _BY_NAME["float16"]
float32 = _BY_NAME["float32"]
float64 = double = _BY_NAME["float64"]
int8 = _BY_NAME["int8"]
int16 = _BY_NAME["int16"]
int32 = _BY_NAME["int32"]
int64 = _BY_NAME["int64"]
uint8 = _BY_NAME["uint8"]
uint16 = _BY_NAME["uint16"]
bool = _BY_NAME["bool"]  # noqa: A001 - TF1's public name
string = _BY_NAME["string"]

_BY_NUMPY = {d._np: d for d in _BY_NAME.values() if not d._is_ref}
# A handle to Session state (a queue, a reader): a Python object, never converted from data.
resource = _BY_NAME["resource"] = DType("resource", np.object_, "resource")
_ALIASES = {"float": float32, "double": float64, "half": float16}
_BY_PYTHON_TYPE = {float: float32, int: int32, builtins.bool: bool, str: string, bytes: string}


def as_dtype(type_value: Any) -> DType:
    """Converts a DType, its name, a NumPy dtype or a Python type into a :class:`DType`.

    Raises TypeError, as TF1 does, for anything that names no tensor type.
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        found = _BY_NAME.get(type_value) or _ALIASES.get(type_value)
        if found is not None:
            return found
    if isinstance(type_value, type) and type_value in _BY_PYTHON_TYPE:
        return _BY_PYTHON_TYPE[type_value]
    try:
        np_dtype = np.dtype(type_value)
    except (TypeError, ValueError):
        np_dtype = None
    if np_dtype is not None:
        if np_dtype.kind in "SU":
            return string
        if np_dtype in _BY_NUMPY:
            return _BY_NUMPY[np_dtype]
    raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType.")
