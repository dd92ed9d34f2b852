"""Reductions of 2-D-like float arrays by the cheapest NumPy path.

``np.add.reduce`` and ``np.maximum.reduce`` are slow on the shapes learners' models reduce most:
over a short last axis (a row of 10 class scores: about 10x slower per element than a long
row) or over the batch axis (column sums). Measured on a (1797, 10) float32 array, summing either
axis with a BLAS matrix-vector product against ones is 5-10x faster, and a row maximum over a
transposed copy is about 8x faster. These functions take that path where it pays and is as
accurate (NumPy sums outer axes sequentially anyway; a short last axis is below the length
where its pairwise summation starts), and fall back to the ufunc everywhere else.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_BLAS_TYPES = (np.dtype(np.float32), np.dtype(np.float64))
SHORT_ROW = 32  # the longest last axis that a transposed copy reduces faster (measured)
BLAS_ROW = 128  # NumPy's pairwise summation works in blocks of this length: keep it above


def _split(x: Any, axes: tuple) -> tuple[int, int, bool] | None:
    """(outer size, inner size, reduce the outer part?) when ``axes`` are the leading or the
    trailing axes of a C-contiguous float array (not all of them), else None."""
    if type(x) is not np.ndarray:
        return None
    ndim, count = x.ndim, len(axes)
    if count == 0 or count >= ndim or x.dtype not in _BLAS_TYPES or not x.flags.c_contiguous \
            or x.size == 0:
        return None
    ordered = sorted(a % ndim for a in axes)
    if ordered == list(range(count)):
        leading = True
    elif ordered == list(range(ndim - count, ndim)):
        leading = False
    else:
        return None
    split = count if leading else ndim - count
    outer = 1
    for d in x.shape[:split]:
        outer *= d
    return outer, x.size // outer, leading


def _result_shape(x: np.ndarray, axes: tuple, keepdims: bool) -> tuple:
    reduced = {a % x.ndim for a in axes}
    if keepdims:
        return tuple(1 if i in reduced else d for i, d in enumerate(x.shape))
    return tuple(d for i, d in enumerate(x.shape) if i not in reduced)


def sum_over(x: Any, axis: tuple, keepdims: bool = False, dtype: Any = None) -> Any:
    """``np.add.reduce(x, axis=axis, dtype=dtype, keepdims=keepdims)``, by BLAS when it pays."""
    split = _split(x, axis)
    if split is None or (dtype is not None and np.dtype(dtype) != x.dtype):
        return np.add.reduce(x, axis=axis, dtype=dtype, keepdims=keepdims)
    outer, inner, leading = split
    matrix = x.reshape(outer, inner)
    if leading:
        total = np.ones(outer, x.dtype) @ matrix
    elif inner <= BLAS_ROW:
        total = matrix @ np.ones(inner, x.dtype)
    else:
        return np.add.reduce(x, axis=axis, dtype=dtype, keepdims=keepdims)
    return total.reshape(_result_shape(x, axis, keepdims))


def extreme_over(ufunc: Any, x: Any, axis: tuple, keepdims: bool = False,
                 initial: Any = None) -> Any:
    """``ufunc.reduce`` (np.maximum or np.minimum) over ``axis`` (a tuple); a short last axis
    is reduced over a transposed copy, where the ufunc runs along contiguous rows."""
    split = _split(x, axis)
    if split is None or split[2] or split[1] > SHORT_ROW or split[0] < 4 * split[1]:
        if initial is None:
            return ufunc.reduce(x, axis=axis, keepdims=keepdims)
        return ufunc.reduce(x, axis=axis, keepdims=keepdims, initial=initial)
    outer, inner, _ = split
    columns = np.ascontiguousarray(x.reshape(outer, inner).T)
    return ufunc.reduce(columns, axis=0).reshape(_result_shape(x, axis, keepdims))
