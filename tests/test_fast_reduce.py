"""graphflow/ops/fast_reduce.py against NumPy's own reductions, on every path it can take."""

from __future__ import annotations

import numpy as np
import pytest

from graphflow.ops.fast_reduce import extreme_over, sum_over

SHAPES_AND_AXES = [
    ((1797, 10), (1,)), ((1797, 10), (-1,)), ((1797, 10), (0,)),
    ((64, 7, 7, 32), (0, 1, 2)), ((6, 5, 4), (1, 2)), ((6, 5, 4), (0, 1)),
    ((300, 200), (1,)),  # a long last axis: NumPy's pairwise sum is kept
    ((6, 5, 4), (1,)),  # a middle axis: the ufunc
    ((6, 5), (0, 1)),  # every axis: the ufunc
    ((0, 5), (0,)), ((5,), (0,)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape, axes", SHAPES_AND_AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_sums_match_numpy(shape: tuple, axes: tuple, keepdims: bool, dtype: type) -> None:
    x = np.random.default_rng(0).normal(size=shape).astype(dtype)
    got = sum_over(x, axes, keepdims, dtype)
    want = np.add.reduce(x.astype(np.float64), axis=axes, keepdims=keepdims)
    assert got.dtype == dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-12,
                               atol=1e-4 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("ufunc", [np.maximum, np.minimum])
@pytest.mark.parametrize("shape, axes", SHAPES_AND_AXES[:-2])
@pytest.mark.parametrize("keepdims", [False, True])
def test_extremes_match_numpy_exactly(ufunc: np.ufunc, shape: tuple, axes: tuple,
                                      keepdims: bool) -> None:
    x = np.random.default_rng(1).normal(size=shape).astype(np.float32)
    np.testing.assert_array_equal(extreme_over(ufunc, x, axes, keepdims),
                                  ufunc.reduce(x, axis=axes, keepdims=keepdims))


def test_empty_extremes_give_the_initial_value() -> None:
    x = np.zeros((0, 3), np.float32)
    np.testing.assert_array_equal(extreme_over(np.maximum, x, (0,), initial=-np.inf),
                                  [-np.inf] * 3)


def test_nan_and_inf_propagate_as_in_numpy() -> None:
    x = np.ones((200, 10), np.float32)
    x[3, 4], x[7, 1], x[7, 2], x[9, 0] = np.nan, np.inf, -np.inf, np.inf
    with np.errstate(invalid="ignore"):  # inf - inf
        for axes in ((1,), (0,)):
            np.testing.assert_array_equal(sum_over(x, axes), np.add.reduce(x, axis=axes))
            np.testing.assert_array_equal(extreme_over(np.maximum, x, axes),
                                          np.maximum.reduce(x, axis=axes))


def test_other_arrays_take_numpy_path_unchanged() -> None:
    ints = np.arange(20, dtype=np.int32).reshape(4, 5)
    assert sum_over(ints, (0,), dtype=np.int32).dtype == np.int32
    np.testing.assert_array_equal(sum_over(ints, (0,)), ints.sum(0))
    strided = np.arange(40, dtype=np.float32).reshape(4, 10)[:, ::2]
    np.testing.assert_array_equal(sum_over(strided, (1,)), strided.sum(1))
    half = np.ones((30, 3), np.float16)
    assert sum_over(half, (0,), dtype=np.float16).dtype == np.float16
    widened = sum_over(np.ones((30, 3), np.float32), (0,), dtype=np.float64)
    assert widened.dtype == np.float64
