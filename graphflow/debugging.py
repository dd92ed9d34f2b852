"""``tf.debugging``: run-time checks of values, ranks and dtypes, and NaN/Inf detection (the
same functions as ``tf.X``)."""

from graphflow.ops.debug_ops import (
    Assert,
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_rank,
    assert_rank_at_least,
    assert_type,
    check_numerics,
)
from graphflow.ops.math_ops import is_finite, is_inf, is_nan

__all__ = [
    "Assert",
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_less",
    "assert_less_equal",
    "assert_near",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
    "assert_rank",
    "assert_rank_at_least",
    "assert_type",
    "check_numerics",
    "is_finite",
    "is_inf",
    "is_nan",
]
