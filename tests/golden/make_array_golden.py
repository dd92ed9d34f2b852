"""Generate golden values for graphflow's array ops (``tests/test_array_ops.py``).

Produces ``tests/golden/array_ops.json`` next to this script: for each case (an array function
such as ``transpose``, ``gather`` or ``x[...]`` applied to fixed inputs) the output values and
dtypes, TensorFlow's static output shapes (a list with null for unknown dims, or null for an
unknown rank) and the gradients ``tf.gradients(reduce_sum(out * w), x)`` with respect to each
fed floating-point input ``x`` (``w``: fixed random weights, stored too).

Inputs marked as placeholders are built with the same partially unknown shapes that the test
uses in graphflow, so the static shapes are comparable.

Real TensorFlow is only an oracle; graphflow never imports it and CI never runs this script.
Run it by hand, from the repository root, with a Python that has TensorFlow installed::

    /path/to/tf-venv/bin/python tests/golden/make_array_golden.py

Everything is deterministic: the inputs and weights come from ``np.random.RandomState`` with a
fixed seed per case.
"""

import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "array_ops.json")


# -- case specs (decoded the same way by tests/test_array_ops.py) ---------------------------
# An argument is one of
#   {"t": {"value", "dtype", "shape"}}  a placeholder of that (partial) shape, fed the value
#   {"c": {"value", "dtype"}}           a constant tensor
#   {"v": value}                        a Python value passed as it is
#   {"l": [arguments]}                  a Python list of arguments
#   {"dt": "int64"}                     a dtype
#   {"k": [items]}                      a __getitem__ key: items are ints, "..." (Ellipsis),
#                                       null (tf.newaxis), {"s": [start, stop, step]} (a slice)
#                                       or {"t": ...} (a scalar tensor)
def placeholder(value, dtype="float32", shape="static"):
    """A fed placeholder; shape "static" means the value's shape, None an unknown rank."""
    value = np.asarray(value, dtype=dtype)
    shape = list(value.shape) if shape == "static" else shape
    return {"t": {"value": value, "dtype": dtype, "shape": shape}}


def const(value, dtype):
    return {"c": {"value": np.asarray(value, dtype=dtype), "dtype": dtype}}


def py(value):
    return {"v": value}


def listed(*items):
    return {"l": list(items)}


def dtype_arg(name):
    return {"dt": name}


def key(*items):
    return {"k": list(items)}


def s(start=None, stop=None, step=None):
    return {"s": [start, stop, step]}


class Cases:
    """Collects cases; each gets its own RandomState so adding one changes no other."""

    def __init__(self):
        self.cases = []

    def rand(self, *shape, dtype="float32"):
        rng = np.random.RandomState(1000 + len(self.cases))
        if dtype.startswith("int"):
            return rng.randint(-5, 6, size=shape).astype(dtype)
        return rng.uniform(-2.0, 2.0, size=shape).astype(dtype)

    def add(self, case_id, fn, *args, **kwargs):
        self.cases.append({"id": case_id, "fn": fn, "args": list(args), "kwargs": kwargs})


def build_cases():
    c = Cases()
    r = c.rand
    # transpose
    c.add("transpose/perm", "transpose", placeholder(r(2, 3, 4)), py([2, 0, 1]))
    c.add("transpose/perm_partial", "transpose", placeholder(r(2, 3, 4), shape=[None, 3, None]),
          perm=py([2, 0, 1]))
    c.add("transpose/default_f64", "transpose", placeholder(r(2, 3, dtype="float64")))
    c.add("transpose/default_partial", "transpose", placeholder(r(2, 3, 4), shape=[None, 3, 4]))
    c.add("transpose/unknown_rank_perm", "transpose", placeholder(r(2, 3), shape=None),
          py([1, 0]))
    c.add("transpose/int32", "transpose", placeholder(r(2, 3, dtype="int32")), py([1, 0]))
    c.add("transpose/conjugate", "transpose", placeholder(r(3, 2)), conjugate=py(True))
    c.add("matrix_transpose/batch", "matrix_transpose", placeholder(r(2, 3, 4), shape=[None, 3, 4]))
    c.add("matrix_transpose/unknown_rank", "matrix_transpose", placeholder(r(2, 2, 3), shape=None))
    # expand_dims / squeeze
    for axis in (0, 1, 2, -1, -3):
        c.add(f"expand_dims/axis{axis}", "expand_dims",
              placeholder(r(2, 3), shape=[None, 3]), py(axis))
    c.add("expand_dims/dim_kwarg", "expand_dims", placeholder(r(2, 3)), dim=py(1))
    c.add("expand_dims/scalar", "expand_dims", placeholder(r()), py(0))
    c.add("expand_dims/unknown_rank", "expand_dims", placeholder(r(2), shape=None), py(0))
    c.add("squeeze/all", "squeeze", placeholder(r(1, 2, 1, 3)))
    c.add("squeeze/all_partial", "squeeze", placeholder(r(1, 2, 1, 3), shape=[1, None, 1, 3]))
    c.add("squeeze/axes", "squeeze", placeholder(r(1, 2, 1, 3), shape=[None, 2, None, 3]),
          py([0, 2]))
    c.add("squeeze/negative_int", "squeeze", placeholder(r(2, 1, 3)), py(-2))
    c.add("squeeze/squeeze_dims", "squeeze", placeholder(r(2, 1, 1)), squeeze_dims=py([2]))
    c.add("squeeze/unknown_rank", "squeeze", placeholder(r(1, 2), shape=None), py([0]))
    # concat
    c.add("concat/axis1", "concat", listed(placeholder(r(2, 3)), placeholder(r(2, 1))), py(1))
    c.add("concat/three_axis0", "concat",
          listed(placeholder(r(1, 2)), placeholder(r(3, 2)), placeholder(r(2, 2))), py(0))
    c.add("concat/negative_axis_partial", "concat",
          listed(placeholder(r(1, 2), shape=[None, 2]), placeholder(r(3, 2))), py(-2))
    c.add("concat/partial_other_dims", "concat",
          listed(placeholder(r(2, 3), shape=[None, 3]), placeholder(r(2, 1), shape=[2, None])),
          py(1))
    c.add("concat/unknown_rank_member", "concat",
          listed(placeholder(r(2, 3, 4), shape=[None, None, 4]),
                 placeholder(r(2, 3, 4), shape=None)), py(0))
    c.add("concat/f64_3d", "concat",
          listed(placeholder(r(2, 1, 2, dtype="float64")),
                 placeholder(r(2, 2, 2, dtype="float64"))), axis=py(1))
    c.add("concat/int32", "concat",
          listed(placeholder(r(2, 2, dtype="int32")), placeholder(r(1, 2, dtype="int32"))), py(0))
    c.add("concat/single", "concat", listed(placeholder(r(2, 3))), py(0))
    # split
    c.add("split/num_axis0", "split", placeholder(r(4, 6)), py(2))
    c.add("split/num_axis1_partial", "split", placeholder(r(4, 6), shape=[None, 6]), py(3), py(1))
    c.add("split/sizes", "split", placeholder(r(2, 5)), py([1, -1, 2]), axis=py(1))
    c.add("split/sizes_partial", "split", placeholder(r(4, 3), shape=[None, 3]), py([1, 3]))
    c.add("split/sizes_negative_axis", "split", placeholder(r(2, 5), shape=[2, None]),
          py([2, 3]), py(-1))
    c.add("split/int32", "split", placeholder(r(6, dtype="int32")), py(3))
    # tile
    c.add("tile/2d", "tile", placeholder(r(2, 3)), py([2, 1]))
    c.add("tile/3d", "tile", placeholder(r(1, 2, 1)), py([3, 2, 2]))
    c.add("tile/partial", "tile", placeholder(r(2, 3), shape=[None, 3]), py([2, 3]))
    c.add("tile/zero", "tile", placeholder(r(2, 3), shape=[None, 3]), py([1, 0]))
    c.add("tile/int32", "tile", placeholder(r(3, dtype="int32")), py([2]))
    # pad
    c.add("pad/constant", "pad", placeholder(r(2, 3)), py([[1, 0], [2, 1]]))
    c.add("pad/constant_partial", "pad", placeholder(r(2, 3), shape=[None, 3]),
          py([[1, 0], [2, 1]]))
    c.add("pad/constant_values", "pad", placeholder(r(2, 3)), py([[1, 1], [0, 2]]),
          constant_values=py(1.5))
    c.add("pad/reflect", "pad", placeholder(r(3, 4)), py([[2, 1], [1, 3]]), mode=py("REFLECT"))
    c.add("pad/reflect_lower", "pad", placeholder(r(3, 4, dtype="float64"), shape=[None, 4]),
          py([[1, 2], [3, 0]]), py("reflect"))
    c.add("pad/symmetric", "pad", placeholder(r(2, 3)), py([[2, 1], [0, 3]]),
          mode=py("SYMMETRIC"))
    c.add("pad/int32", "pad", placeholder(r(2, 2, dtype="int32")), py([[0, 1], [1, 0]]),
          constant_values=py(7))
    # slice
    c.add("slice/minus_one", "slice", placeholder(r(3, 4)), py([1, 0]), py([2, -1]))
    c.add("slice/3d", "slice", placeholder(r(2, 3, 4)), py([0, 1, 1]), py([1, 2, 3]))
    c.add("slice/partial", "slice", placeholder(r(3, 4), shape=[None, 4]), py([1, 1]),
          py([-1, 2]))
    c.add("slice/f64", "slice", placeholder(r(4, 2, dtype="float64")), py([2, 0]), py([2, 1]))
    # gather
    c.add("gather/repeated", "gather", placeholder(r(4, 3)), py([2, 0, 2, 3]))
    c.add("gather/axis2_2d_indices", "gather", placeholder(r(2, 3, 4)),
          const([[1, 1], [0, 3]], "int64"), axis=py(2))
    c.add("gather/scalar_index_negative_axis", "gather", placeholder(r(3, 2)), py(1), axis=py(-1))
    c.add("gather/partial", "gather", placeholder(r(5, 3), shape=[None, 3]),
          placeholder([[4, 4], [0, 1]], "int32", shape=[None, 2]))
    c.add("gather/axis1_partial", "gather", placeholder(r(2, 3, dtype="float64"), shape=[None, 3]),
          py([2, 2, 0]), axis=py(1))
    c.add("gather/int32_params", "gather", placeholder(r(4, dtype="int32")), py([3, 1]))
    # gather_nd
    c.add("gather_nd/elements", "gather_nd", placeholder(r(3, 4)),
          py([[0, 1], [2, 3], [0, 1]]))
    c.add("gather_nd/slices", "gather_nd", placeholder(r(3, 2, 2)),
          const([[[1], [1]], [[0], [2]]], "int64"))
    c.add("gather_nd/partial", "gather_nd", placeholder(r(3, 4), shape=[None, None]),
          py([[2], [0]]))
    # one_hot
    c.add("one_hot/defaults", "one_hot", py([0, 2, -1, 7]), py(3))
    c.add("one_hot/on_off_int", "one_hot", py([0, 2, 1]), py(4), on_value=py(5),
          off_value=py(-1))
    c.add("one_hot/axis0", "one_hot", py([[0, 2], [1, 5]]), py(3), axis=py(0))
    c.add("one_hot/axis1", "one_hot", placeholder([[0, 2], [1, -1]], "int32", shape=[None, 2]),
          py(3), axis=py(1))
    c.add("one_hot/dtype_f64", "one_hot", const([1, 0], "int64"), py(2),
          dtype=dtype_arg("float64"))
    c.add("one_hot/on_value_only", "one_hot", const([3, 0], "uint8"), py(4), on_value=py(2.0))
    c.add("one_hot/unknown_rank", "one_hot", placeholder([1, 0], "int32", shape=None), py(2))
    # zeros, ones, fill, *_like
    c.add("zeros/list", "zeros", py([2, 3]))
    c.add("zeros/int32", "zeros", py([2, 3]), dtype_arg("int32"))
    c.add("zeros/bool", "zeros", py((2,)), dtype=dtype_arg("bool"))
    c.add("zeros/shape_tensor", "zeros", placeholder([2, 3], "int32", shape=[2]))
    c.add("ones/tuple_f64", "ones", py((3, 1)), dtype_arg("float64"))
    c.add("ones/int64", "ones", py([2]), dtype=dtype_arg("int64"))
    c.add("fill/float", "fill", py([2, 3]), py(1.5))
    c.add("fill/int", "fill", py([4]), py(7))
    c.add("fill/value_tensor", "fill", py([2, 2]), placeholder(r()))
    c.add("zeros_like/partial", "zeros_like", placeholder(r(2, 3), shape=[None, 3]))
    c.add("zeros_like/dtype", "zeros_like", placeholder(r(2, 3)), dtype=dtype_arg("int32"))
    c.add("ones_like/partial_dtype", "ones_like", placeholder(r(2, 3), shape=[None, 3]),
          dtype=dtype_arg("float64"))
    c.add("ones_like/static", "ones_like", placeholder(r(2, 3)))
    # linspace
    c.add("linspace/f32", "linspace", py(0.0), py(1.0), py(7))
    c.add("linspace/f64", "linspace", const(-1.0, "float64"), const(2.0, "float64"), py(5))
    c.add("linspace/single", "linspace", py(3.0), py(5.0), py(1))
    c.add("lin_space/alias", "lin_space", py(2.0), py(-2.0), py(4))
    # reverse
    c.add("reverse/two_axes", "reverse", placeholder(r(2, 3, 4)), py([0, 2]))
    c.add("reverse/negative_partial", "reverse", placeholder(r(2, 3), shape=[None, None]),
          py([-1]))
    c.add("reverse_v2/int32", "reverse_v2", placeholder(r(3, 2, dtype="int32")), py([0]))
    # boolean_mask
    c.add("boolean_mask/rows", "boolean_mask", placeholder(r(3, 4)), py([True, False, True]))
    c.add("boolean_mask/mask_2d", "boolean_mask", placeholder(r(2, 3, 4)),
          py([[True, False, True], [False, False, True]]))
    c.add("boolean_mask/axis1", "boolean_mask", placeholder(r(2, 3, 4)),
          py([False, True, True]), axis=py(1))
    c.add("boolean_mask/partial", "boolean_mask", placeholder(r(3, 2), shape=[None, 2]),
          placeholder([True, True, False], "bool", shape=[None]))
    c.add("boolean_mask/partial_mask_2d", "boolean_mask",
          placeholder(r(2, 2, 3, dtype="float64"), shape=[None, None, 3]),
          placeholder([[False, True], [True, True]], "bool", shape=[None, None]))
    c.add("boolean_mask/unknown_rank", "boolean_mask", placeholder(r(3, 2), shape=None),
          py([False, True, True]))
    # sequence_mask
    c.add("sequence_mask/default", "sequence_mask", py([1, 3, 2]))
    c.add("sequence_mask/maxlen", "sequence_mask", py([1, 3, 0]), py(4))
    c.add("sequence_mask/float", "sequence_mask", py([2, 1]), py(3), dtype=dtype_arg("float32"))
    c.add("sequence_mask/2d_partial", "sequence_mask",
          placeholder([[1, 2], [0, 3]], "int32", shape=[None, 2]), maxlen=py(3))
    c.add("sequence_mask/lengths_partial", "sequence_mask",
          placeholder([2, 0, 1], "int32", shape=[None]))
    # eye and diagonals
    c.add("eye/square", "eye", py(3))
    c.add("eye/rect", "eye", py(2), py(3))
    c.add("eye/batch", "eye", py(3), py(2), py([2]))
    c.add("eye/int32_batch", "eye", py(2), batch_shape=py([2, 1]), dtype=dtype_arg("int32"))
    c.add("diag/vector", "diag", placeholder(r(3)))
    c.add("diag/matrix_f64", "diag", placeholder(r(2, 2, dtype="float64"), shape=[None, 2]))
    c.add("diag_part/matrix", "diag_part", placeholder(r(3, 3)))
    c.add("diag_part/rank4_partial", "diag_part",
          placeholder(r(2, 3, 2, 3), shape=[None, 3, 2, None]))
    c.add("matrix_diag/batch", "matrix_diag", placeholder(r(2, 3), shape=[None, 3]))
    c.add("matrix_diag_part/rect", "matrix_diag_part", placeholder(r(2, 2, 3)))
    c.add("matrix_set_diag/rect", "matrix_set_diag", placeholder(r(2, 3, 2)), placeholder(r(2, 2)))
    # unique, where
    c.add("unique/int32", "unique", py([1, 1, 2, 4, 4, 4, 7, 8, 8]))
    c.add("unique/float_int64_idx", "unique",
          placeholder([2.5, -1.0, 2.5, 0.0, -1.0], shape=[None]), out_idx=dtype_arg("int64"))
    c.add("where/coordinates", "where",
          placeholder([[True, False, True], [False, False, True]], "bool"))
    c.add("where/coordinates_int", "where",
          placeholder([[0, 3], [-1, 0]], "int32", shape=[None, 2]))
    c.add("where/coordinates_3d", "where", placeholder(r(2, 2, 2) > 0, "bool"))
    c.add("where/coordinates_unknown_rank", "where",
          placeholder([False, True, True], "bool", shape=None))
    c.add("where/select", "where", placeholder([[True, False, True], [False, False, True]], "bool"),
          placeholder(r(2, 3)), placeholder(r(2, 3)))
    c.add("where/select_rows", "where", placeholder([True, False], "bool"),
          placeholder(r(2, 3)), placeholder(r(2, 3), shape=[None, 3]))
    c.add("where_v2/broadcast", "where_v2", placeholder([[True], [False]], "bool"),
          placeholder(r(2, 3)), py(0.5))
    c.add("where_v2/broadcast_all", "where_v2", placeholder([True, False, True], "bool"),
          placeholder(r(2, 1, dtype="float64"), shape=[None, 1]),
          placeholder(r(3, dtype="float64")))
    c.add("where_v2/coordinates", "where_v2", py([[False, True], [True, True]]))
    # small relatives
    c.add("invert_permutation/int32", "invert_permutation", py([2, 0, 3, 1]))
    c.add("unsorted_segment_sum/negative_ids", "unsorted_segment_sum", placeholder(r(4, 2)),
          py([1, 0, 1, -1]), py(3))
    c.add("scatter_nd/repeated", "scatter_nd", py([[0, 1], [2, 0], [0, 1]]), placeholder(r(3)),
          py([3, 2]))
    c.add("stack/axis1", "stack",
          listed(placeholder(r(2, 3)), placeholder(r(2, 3), shape=[None, 3])), axis=py(1))
    # __getitem__ (StridedSlice)
    x = lambda: placeholder(r(4, 3, 5), shape=[None, 3, None])  # noqa: E731
    c.add("getitem/column", "getitem", x(), key(s(), 1))
    c.add("getitem/last_ellipsis", "getitem", x(), key(..., -1))
    c.add("getitem/reverse", "getitem", x(), key(s(None, None, -1)))
    c.add("getitem/step_negative_stop", "getitem", x(), key(s(1, -1, 2)))
    c.add("getitem/newaxis_ellipsis", "getitem", x(), key(None, ...))
    c.add("getitem/int", "getitem", x(), key(1))
    c.add("getitem/negative_int_and_step", "getitem", placeholder(r(4, 3, 5)),
          key(-1, s(None, None, 2)))
    c.add("getitem/newaxis_middle", "getitem", placeholder(r(4, 3, 5)),
          key(s(), None, s(2, 0, -1)))
    c.add("getitem/trailing_newaxis", "getitem", x(), key(..., None))
    c.add("getitem/range", "getitem", x(), key(s(1, 3)))
    c.add("getitem/out_of_range_clips", "getitem", placeholder(r(4, 3, 5)), key(s(2, 10), s(-7, 2)))
    c.add("getitem/known_dim_slice", "getitem", x(), key(s(), s(0, 2), s(None, None, 3)))
    c.add("getitem/scalar_tensor", "getitem", x(), key(placeholder(2, "int32")))
    c.add("getitem/scalar_tensor_inner", "getitem", placeholder(r(4, 3, 5)),
          key(s(), placeholder(-1, "int32"), s(1, None)))
    c.add("getitem/unknown_rank", "getitem", placeholder(r(4, 3), shape=None), key(1))
    c.add("getitem/int32_values", "getitem", placeholder(r(3, 4, dtype="int32")),
          key(..., s(1, None)))
    return c.cases


# -- running the cases in TensorFlow --------------------------------------------------------
FUNCTIONS = {"slice": tf.slice, "getitem": lambda x, k: x[k]}


def to_tf(arg, feeds):
    """The TF object for an argument spec; fed placeholders are added to ``feeds``."""
    if "t" in arg:
        spec = arg["t"]
        node = tf.placeholder(spec["dtype"], spec["shape"])
        feeds.append((node, spec["value"]))
        return node
    if "c" in arg:
        return tf.constant(arg["c"]["value"])
    if "v" in arg:
        return arg["v"]
    if "l" in arg:
        return [to_tf(item, feeds) for item in arg["l"]]
    if "dt" in arg:
        return tf.as_dtype(arg["dt"])
    return tuple(key_item(item, feeds) for item in arg["k"])


def key_item(item, feeds):
    if item is Ellipsis or item is None or isinstance(item, int):
        return item
    if "s" in item:
        return slice(*item["s"])
    return to_tf(item, feeds)


def jsonable(value, dtype):
    """Values as JSON: float32 through its shortest round-trip string, others exactly."""
    value = np.asarray(value)
    if dtype != "float32":
        return value.tolist()
    if value.ndim == 0:
        return float(str(np.float32(value)))
    return [jsonable(item, dtype) for item in value]


def shape_of(tensor):
    dims = tensor.shape
    return None if dims.ndims is None else [d.value if hasattr(d, "value") else d for d in dims]


def encode_arg(arg):
    if "t" in arg or "c" in arg:
        kind = "t" if "t" in arg else "c"
        spec = dict(arg[kind])
        spec["value"] = jsonable(spec["value"], spec["dtype"])
        return {kind: spec}
    if "l" in arg:
        return {"l": [encode_arg(item) for item in arg["l"]]}
    if "k" in arg:
        return {"k": [encode_key_item(item) for item in arg["k"]]}
    return arg


def encode_key_item(item):
    if item is Ellipsis:
        return "..."
    if item is None or isinstance(item, int) or "s" in item:
        return item
    return encode_arg(item)


def run_case(case, index):
    graph = tf.Graph()
    with graph.as_default():
        feeds = []
        fn = FUNCTIONS.get(case["fn"]) or getattr(tf, case["fn"])
        args = [to_tf(a, feeds) for a in case["args"]]
        kwargs = {k: to_tf(a, feeds) for k, a in case["kwargs"].items()}
        result = fn(*args, **kwargs)
        outputs = list(result) if isinstance(result, (list, tuple)) else [result]
        feed_dict = dict(feeds)
        with tf.Session() as sess:
            values = sess.run(outputs, feed_dict)
            float_outputs = [(t, v) for t, v in zip(outputs, values) if t.dtype.is_floating]
            float_inputs = [p for p, _ in feeds if p.dtype.is_floating]
            weights, grads = [], None
            if float_outputs and float_inputs:
                rng = np.random.RandomState(5000 + index)
                terms = []
                for tensor, value in float_outputs:
                    w = rng.uniform(0.5, 1.5, size=np.shape(value)).astype(
                        tensor.dtype.as_numpy_dtype)
                    weights.append(jsonable(w, tensor.dtype.name))
                    terms.append(tf.reduce_sum(tensor * w))
                try:
                    symbolic = tf.gradients(tf.add_n(terms), float_inputs)
                except LookupError:  # an op without a gradient: the test expects the same
                    grads = "LookupError"
                else:
                    grads = [None if v is None else jsonable(v, p.dtype.name)
                             for v, p in zip(_gradient_values(symbolic, sess, feed_dict),
                                             float_inputs)]
    return {
        "id": case["id"],
        "fn": case["fn"],
        "args": [encode_arg(a) for a in case["args"]],
        "kwargs": {k: encode_arg(a) for k, a in case["kwargs"].items()},
        "outputs": [{"value": jsonable(v, t.dtype.name), "dtype": t.dtype.name,
                     "shape": shape_of(t)} for t, v in zip(outputs, values)],
        "weights": weights,
        "grads": grads,
    }


def _gradient_values(symbolic, sess, feed_dict):
    """The values of the gradient tensors, None where TF gives no gradient."""
    present = [tf.convert_to_tensor(g) for g in symbolic if g is not None]  # IndexedSlices too
    values = iter(sess.run(present, feed_dict))
    return [None if g is None else next(values) for g in symbolic]


def main():
    cases = [run_case(case, i) for i, case in enumerate(build_cases())]
    with open(OUT_PATH, "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {OUT_PATH} ({os.path.getsize(OUT_PATH)} bytes)")


if __name__ == "__main__":
    main()
