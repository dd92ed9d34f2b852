"""Generate golden values for graphflow's math ops.

Produces ``tests/golden/math_ops.json`` next to this script. Each case names a TF1 function
(``sqrt``, ``reduce_max``, ``matmul``, ...), its arguments (tensor inputs fed through
placeholders whose static shapes may have unknown dims or an unknown rank, and literal Python
arguments) and records what real TensorFlow 1 gives:

* the forward value and its dtype;
* TF's static output shape (a list with null for unknown dims, or null for unknown rank);
* the type and name of the op that produced the output;
* for float outputs, the gradients ``tf.gradients(reduce_sum(out * w), inputs)`` for fixed
  random weights ``w`` (stored too), with respect to each floating-point input (null where TF
  gives no gradient).

Real TensorFlow is only an oracle; graphflow never imports it and CI never runs this script.
Run it by hand, from the repository root, with a Python that has TensorFlow installed::

    /path/to/tf-venv/bin/python tests/golden/make_math_golden.py

Everything is deterministic: each case draws its inputs and weights from its own
``np.random.RandomState(seed)``.
"""

import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "math_ops.json")
NAN, INF = float("nan"), float("inf")


# -- inputs --------------------------------------------------------------------------------
def draw(rs, kind, shape, dtype):
    """Values of one input: ``kind`` says which range (some ops need positive inputs, ties,
    exact halves or zeros)."""
    size = int(np.prod(shape))
    if kind == "normal":
        values = rs.randn(size)
    elif kind == "positive":
        values = rs.uniform(0.5, 2.0, size)
    elif kind == "wide":  # saturates sigmoid/tanh
        values = rs.uniform(-20.0, 20.0, size)
    elif kind == "halves":  # exact .5 ties for round
        values = rs.randint(-8, 9, size) / 2.0 + np.where(rs.rand(size) < 0.5, 0.0, 0.01)
    elif kind == "quarters":  # lands exactly on clip bounds
        values = rs.randint(-6, 7, size) / 4.0
    elif kind == "ties":
        values = rs.randint(0, 3, size).astype(np.float64)
    elif kind == "zeros":  # slices with no zero, one zero and two zeros
        values = rs.uniform(0.5, 2.0, size) * np.where(rs.rand(size) < 0.5, -1, 1)
        values[[i for i in (1, 4, 5) if i < size]] = 0.0
    elif kind == "int":
        values = rs.randint(-9, 10, size)
    elif kind == "nonzero_int":
        values = rs.randint(1, 5, size) * np.where(rs.rand(size) < 0.5, -1, 1)
    elif kind == "big_int8":
        values = np.full(size, 100)
    elif kind == "bool":
        values = rs.rand(size) < 0.5
    elif kind == "special":
        values = np.resize([NAN, INF, -INF, 0.0, 1.5, -2.0, NAN], size)
    elif kind == "nan_mixed":
        values = np.resize([NAN, 1.0, 3.0, -INF, NAN, NAN, 2.0, 5.0, NAN], size)
    elif kind == "large":
        values = rs.randn(size) + np.resize([1000.0, -1000.0, 0.0], size)
    elif kind == "neg_inf":
        values = np.resize([-INF, 1.0, -INF, -INF, 2.0, 0.5], size)
    elif kind == "text":
        values = np.resize(np.array([b"a", b"", b"bc", b"", b"d", b"e"], dtype=object), size)
    else:
        raise ValueError(kind)
    if dtype == "string":
        return values.reshape(shape)
    return np.asarray(values).astype(dtype).reshape(shape)


def x(shape, dtype="float32", kind="normal", static=None):
    """An input spec: the value's shape, dtype and kind; ``static`` is the placeholder's shape
    (default: the value's shape; a list with None entries, or "unknown" for unknown rank)."""
    return {"shape": list(shape), "dtype": dtype, "kind": kind,
            "static": list(shape) if static is None else static}


def case(fn, inputs, args=None, kwargs=None, tag=""):
    """``fn(*args, **kwargs)``; in args/kwargs, ``{"input": i}`` stands for the i-th input (by
    default the inputs are the positional arguments)."""
    if args is None:
        args = [{"input": i} for i in range(len(inputs))]
    return {"fn": fn, "inputs": inputs, "args": args, "kwargs": kwargs or {}, "tag": tag}


def inp(i):
    return {"input": i}


def dt(name):
    return {"dtype": name}


# -- the grid ------------------------------------------------------------------------------
def unary_cases():
    kinds = {"sqrt": "positive", "rsqrt": "positive", "log1p": "positive",
             "reciprocal": "positive", "round": "halves", "sin": "normal", "cos": "normal",
             "sigmoid": "wide", "tanh": "wide", "is_nan": "special", "is_inf": "special",
             "is_finite": "special"}
    cases = []
    for fn, kind in kinds.items():
        cases += [
            case(fn, [x((2, 3), kind=kind)]),
            case(fn, [x((2, 3), kind=kind, static=[None, 3])]),
            case(fn, [x((2, 3), kind=kind, static="unknown")]),
            case(fn, [x((), kind=kind)]),
            case(fn, [x((2, 3), "float64", kind)]),
        ]
    cases.append(case("sigmoid", [x((2, 3), kind="normal")], tag="moderate"))
    cases.append(case("round", [x((2, 3), "int32", "int")], tag="int is returned as is"))
    return cases


def binary_cases():
    cases = []
    for fn, kind in (("squared_difference", "normal"), ("div", "positive"), ("mod", "positive")):
        cases += [
            case(fn, [x((2, 3), kind=kind), x((2, 3), kind=kind)]),
            case(fn, [x((2, 3), kind=kind), x((3,), kind=kind)]),
            case(fn, [x((2, 1, 3), kind=kind, static=[None, 1, 3]), x((4, 1), kind=kind)]),
            case(fn, [x((2, 3), "float64", kind), x((), "float64", kind)]),
            case(fn, [x((2, 3), kind=kind)], args=[inp(0), 1.5]),
        ]
    for fn in ("div", "mod", "squared_difference"):
        cases += [
            case(fn, [x((2, 3), "int32", "int"), x((2, 3), "int32", "nonzero_int")]),
            case(fn, [x((2, 3), "int64", "int")], args=[inp(0), 4]),
        ]
    cases += [
        case("logical_xor", [x((2, 3), "bool", "bool"), x((2, 3), "bool", "bool")]),
        case("logical_xor", [x((2, 3), "bool", "bool"), x((3,), "bool", "bool")]),
    ]
    return cases


def cast_cases():
    return [
        case("to_float", [x((2, 3), "int32", "int")]),
        case("to_float", [x((2, 3), "float64", "normal", static=[None, 3])]),
        case("to_double", [x((2, 3), "float32", "normal")]),
        case("to_double", [x((2, 3), "int64", "int")]),
        case("to_int32", [x((2, 3), "float32", "halves")]),
        case("to_int64", [x((2, 3), "float64", "halves", static="unknown")]),
    ]


def clip_cases():
    return [
        case("clip_by_value", [x((2, 3), kind="quarters")], args=[inp(0), -0.5, 0.5]),
        case("clip_by_value", [x((3, 4), kind="quarters", static=[None, 4])],
             args=[inp(0), -0.25, 1.0]),
        case("clip_by_value", [x((2, 3), kind="quarters"), x((3,), kind="quarters"),
                               x((2, 1), kind="positive")]),
        case("clip_by_value", [x((2, 3), "float64", "quarters"), x((), "float64", "quarters")],
             args=[inp(0), inp(1), 0.75]),
        case("clip_by_value", [x((2, 3), "int32", "int")], args=[inp(0), -3, 4]),
        case("clip_by_value", [x((2, 3), kind="quarters", static="unknown")],
             args=[inp(0), -0.5, 0.5]),
        case("clip_by_norm", [x((2, 3))], args=[inp(0), 1.0]),
        case("clip_by_norm", [x((2, 3))], args=[inp(0), 10.0]),
        case("clip_by_norm", [x((3, 4))], args=[inp(0), 1.0], kwargs={"axes": [1]}),
        case("clip_by_norm", [x((3, 4), static=[None, 4])], args=[inp(0), 1.2],
             kwargs={"axes": [0]}),
        case("clip_by_norm", [x((2, 3)), x((), kind="positive")]),
        case("clip_by_norm", [x((3, 2), "float64", "zeros")], args=[inp(0), 1.0],
             kwargs={"axes": 1}),
    ]


def matmul_cases():
    return [
        case("matmul", [x((2, 3)), x((3, 4))]),
        case("matmul", [x((3, 2)), x((4, 3))],
             kwargs={"transpose_a": True, "transpose_b": True}),
        case("matmul", [x((2, 3), static=[None, 3]), x((3, 4))]),
        case("matmul", [x((2, 2, 3)), x((2, 3, 4))]),
        case("matmul", [x((2, 2, 3)), x((3, 4))]),
        case("matmul", [x((2, 3)), x((2, 2, 3, 4))]),
        case("matmul", [x((3, 1, 2, 3)), x((2, 3, 4))]),
        case("matmul", [x((2, 3, 2)), x((2, 4, 3))], kwargs={"adjoint_a": True,
                                                             "adjoint_b": True}),
        case("matmul", [x((2, 3, 2)), x((3, 4))], kwargs={"transpose_a": True}),
        case("matmul", [x((2, 2, 3), static=[None, 2, 3]), x((1, 3, 4), static=[1, None, 4])]),
        case("matmul", [x((2, 2, 3), static=[None, None, None]), x((2, 3, 4))]),
        case("matmul", [x((2, 2, 3), static="unknown"), x((3, 4))]),
        case("matmul", [x((2, 2, 3), "float64"), x((2, 3, 4), "float64")]),
        case("matmul", [x((2, 2, 3), "int32", "int"), x((3, 2), "int32", "int")]),
    ]


def tensordot_cases():
    return [
        case("tensordot", [x((2, 3, 4)), x((4, 5))], args=[inp(0), inp(1), 1]),
        case("tensordot", [x((2, 3, 4)), x((3, 4, 5))], args=[inp(0), inp(1), 2]),
        case("tensordot", [x((2, 3)), x((4,))], args=[inp(0), inp(1), 0]),
        case("tensordot", [x((2, 3)), x((3, 4))], args=[inp(0), inp(1), 1]),
        case("tensordot", [x((3, 2)), x((3, 4))], args=[inp(0), inp(1), [[0], [0]]]),
        case("tensordot", [x((2, 3)), x((4, 3))], args=[inp(0), inp(1), [[1], [1]]]),
        case("tensordot", [x((2, 3, 4)), x((5, 2, 3))], args=[inp(0), inp(1), [[0, 1], [1, 2]]]),
        case("tensordot", [x((2, 3, 4)), x((3, 4, 5))], args=[inp(0), inp(1), [[-2, -1], [0, 1]]]),
        case("tensordot", [x((2, 3, 4), static=[None, 3, 4]), x((4, 5))],
             args=[inp(0), inp(1), 1]),
        case("tensordot", [x((2, 3, 4), static=[None, None, 4]), x((4, 5), static=[4, None])],
             args=[inp(0), inp(1), [[2], [0]]]),
        case("tensordot", [x((2, 3), static=[2, None]), x((3, 5), static=[None, 5])],
             args=[inp(0), inp(1), 1]),
        case("tensordot", [x((2, 3, 4), "float64"), x((4, 3), "float64")],
             args=[inp(0), inp(1), [[1, 2], [1, 0]]], tag="needs a transpose"),
        case("tensordot", [x((2, 3, 4)), x((3, 5))], args=[inp(0), inp(1), [[1], [0]]],
             tag="needs a transpose"),
    ]


def reduction_cases():
    cases = []
    float_reductions = ("reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
                        "reduce_logsumexp")
    for fn in float_reductions:
        kind = "ties" if fn in ("reduce_max", "reduce_min") else "normal"
        cases += [
            case(fn, [x((2, 3, 4), kind=kind)]),
            case(fn, [x((2, 3, 4), kind=kind)], kwargs={"axis": 1}),
            case(fn, [x((2, 3, 4), kind=kind)], kwargs={"axis": [0, 2], "keepdims": True}),
            case(fn, [x((2, 3, 4), kind=kind)], kwargs={"axis": -1, "keep_dims": True}),
            case(fn, [x((2, 3, 4), kind=kind)], kwargs={"reduction_indices": [1]}),
            case(fn, [x((3, 4), kind=kind, static=[None, 4])], kwargs={"axis": 0}),
            case(fn, [x((3, 4), kind=kind, static=[None, None])]),
            case(fn, [x((3, 4), kind=kind, static="unknown")]),
            case(fn, [x((3, 4), kind=kind, static="unknown")],
                 kwargs={"axis": 1, "keepdims": True}),
            case(fn, [x((3, 4), "float64", kind)], kwargs={"axis": 1}),
            case(fn, [x((2, 3), kind=kind)], kwargs={"axis": []}),
            case(fn, [x((), kind=kind)]),
        ]
    for fn in ("reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod"):
        cases += [
            case(fn, [x((3, 4), "int32", "int")], kwargs={"axis": 1}),
            case(fn, [x((3, 4), "int64", "int")]),
        ]
    cases += [
        case("reduce_prod", [x((2, 3), kind="zeros")], kwargs={"axis": 1}),
        case("reduce_prod", [x((2, 3), kind="zeros")], kwargs={"axis": 0}),
        case("reduce_prod", [x((2, 3), kind="zeros", static="unknown")]),
        case("reduce_prod", [x((3, 4), "float64", "zeros", static=[None, 4])],
             kwargs={"axis": 1, "keepdims": True}),
        case("reduce_max", [x((2, 3), kind="ties", static=[None, 3])], kwargs={"axis": 1}),
        case("reduce_min", [x((2, 3), kind="ties", static="unknown")]),
        case("reduce_max", [x((0, 3))], kwargs={"axis": 0}, tag="empty"),
        case("reduce_min", [x((0, 3), "int32", "int")], kwargs={"axis": 0}, tag="empty"),
        case("reduce_mean", [x((3,), "int8", "big_int8")], tag="int8 sum past 127"),
        case("reduce_mean", [x((2, 3), "int32", "int")], kwargs={"axis": 1}),
        case("reduce_mean", [x((2, 3), "uint8", "ties")], kwargs={"axis": 0}),
        case("reduce_logsumexp", [x((2, 3), kind="large")], kwargs={"axis": 1}),
        case("reduce_logsumexp", [x((3, 2), kind="neg_inf")], kwargs={"axis": 1}),
    ]
    for fn in ("reduce_any", "reduce_all"):
        cases += [
            case(fn, [x((2, 3), "bool", "bool")]),
            case(fn, [x((2, 3), "bool", "bool")], kwargs={"axis": 1}),
            case(fn, [x((2, 3), "bool", "bool", static=[None, 3])],
                 kwargs={"axis": 0, "keepdims": True}),
            case(fn, [x((2, 3), "bool", "bool", static="unknown")]),
        ]
    cases += [
        case("count_nonzero", [x((2, 3), kind="zeros")]),
        case("count_nonzero", [x((2, 3), kind="zeros")], kwargs={"axis": 1}),
        case("count_nonzero", [x((2, 3), "int32", "int")],
             kwargs={"axis": 0, "keepdims": True, "dtype": dt("int32")}),
        case("count_nonzero", [x((2, 3), "bool", "bool", static=[None, 3])],
             kwargs={"reduction_indices": [1]}),
        case("count_nonzero", [x((2, 3), kind="zeros", static="unknown")]),
        case("count_nonzero", [x((2, 3), "string", "text")], kwargs={"axis": 1}),
    ]
    return cases


def index_cases():
    cases = []
    for fn in ("argmax", "argmin"):
        cases += [
            case(fn, [x((2, 3, 4))], kwargs={"axis": 1}),
            case(fn, [x((2, 3, 4))]),
            case(fn, [x((2, 3, 4))], kwargs={"dimension": 2}),
            case(fn, [x((2, 3, 4))], kwargs={"axis": -1, "output_type": dt("int32")}),
            case(fn, [x((3, 4), static=[None, 4])], args=[inp(0), 1]),
            case(fn, [x((3, 4), static="unknown")], kwargs={"axis": 0}),
            case(fn, [x((3, 4), "int32", "int")], kwargs={"axis": 1}),
            case(fn, [x((3, 4), "float32", "ties")], kwargs={"axis": 1}),
            case(fn, [x((3, 3), "float32", "nan_mixed")], kwargs={"axis": 1}),
            case(fn, [x((3, 3), "float64", "nan_mixed")], kwargs={"axis": 0}),
        ]
    return cases


def cumsum_cases():
    return [
        case("cumsum", [x((2, 3))]),
        case("cumsum", [x((2, 3))], kwargs={"axis": 1}),
        case("cumsum", [x((2, 3))], kwargs={"axis": 1, "exclusive": True}),
        case("cumsum", [x((2, 3))], kwargs={"axis": 0, "reverse": True}),
        case("cumsum", [x((2, 3, 2))], kwargs={"axis": -2, "exclusive": True, "reverse": True}),
        case("cumsum", [x((4,), static=[None])], kwargs={"exclusive": True}),
        case("cumsum", [x((2, 3), static="unknown")], kwargs={"axis": 1, "reverse": True}),
        case("cumsum", [x((2, 3), "int32", "int")], kwargs={"axis": 1, "exclusive": True}),
        case("cumsum", [x((2, 3), "float64")], kwargs={"axis": 1, "reverse": True}),
    ]


# -- running one case in TensorFlow -------------------------------------------------------
def encode(value, dtype):
    """JSON-able nested lists; float32 values as the shortest decimal that round-trips."""
    arr = np.asarray(value)
    if dtype == "string":
        return np.vectorize(lambda b: b.decode("utf-8"), otypes=[object])(arr).tolist()
    if dtype == "float32":
        return np.vectorize(lambda v: float(str(np.float32(v))), otypes=[object])(arr).tolist()
    return arr.tolist()


def decode_literal(value):
    if isinstance(value, dict) and "dtype" in value:
        return tf.as_dtype(value["dtype"])
    return value


def run_case(index, spec):
    rs = np.random.RandomState(1000 + index)
    values = [draw(rs, s["kind"], s["shape"], s["dtype"]) for s in spec["inputs"]]
    with tf.Graph().as_default():
        placeholders = [
            tf.placeholder(s["dtype"], None if s["static"] == "unknown" else s["static"],
                           name=f"x{i}")
            for i, s in enumerate(spec["inputs"])
        ]

        def resolve(arg):
            if isinstance(arg, dict) and "input" in arg:
                return placeholders[arg["input"]]
            return decode_literal(arg)

        out = getattr(tf, spec["fn"])(*[resolve(a) for a in spec["args"]],
                                      **{k: resolve(v) for k, v in spec["kwargs"].items()})
        feed = dict(zip(placeholders, values))
        record = dict(spec)
        record["inputs"] = [dict(s, value=encode(v, s["dtype"])) for s, v in
                            zip(spec["inputs"], values)]
        static = out.shape
        record["expected"] = {
            "dtype": out.dtype.name,
            "shape": None if static.ndims is None else static.as_list(),
            "op_type": out.op.type,
            "op_name": out.op.name,
        }
        with tf.Session() as sess:
            value = sess.run(out, feed)
            record["expected"]["value"] = encode(value, out.dtype.name)
            float_inputs = [p for p in placeholders if p.dtype.is_floating]
            if out.dtype.is_floating and float_inputs:
                weights = rs.uniform(0.5, 1.5, np.shape(value)).astype(out.dtype.as_numpy_dtype)
                loss = tf.reduce_sum(out * weights)
                grads = tf.gradients(loss, placeholders)
                record["weights"] = encode(weights, out.dtype.name)
                record["grads"] = [
                    None if g is None else encode(sess.run(g, feed), p.dtype.name)
                    for p, g in zip(placeholders, grads)
                ]
    return record


def main():
    specs = (unary_cases() + binary_cases() + cast_cases() + clip_cases() + matmul_cases()
             + tensordot_cases() + reduction_cases() + index_cases() + cumsum_cases())
    golden = {
        "tensorflow_version": tf.__version__,
        "generated_by": "tests/golden/make_math_golden.py",
        "cases": [run_case(i, spec) for i, spec in enumerate(specs)],
    }
    with open(OUT_PATH, "w") as f:
        json.dump(golden, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(golden['cases'])} cases to {OUT_PATH}")


if __name__ == "__main__":
    main()
