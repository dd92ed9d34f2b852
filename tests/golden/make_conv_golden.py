"""Generate golden values for graphflow's convolution and pooling ops.

Produces ``tests/golden/conv_ops.json`` next to this script. Each case names a ``tf.nn``
function (``conv2d``, ``conv2d_transpose``, ``depthwise_conv2d``, ``max_pool``, ``avg_pool``),
its tensor inputs (fed through placeholders whose static shapes may have unknown dims or an
unknown rank) and its other arguments, and records what TensorFlow gives:

* the forward value and its dtype, the type and name of the op that produced it;
* TF's static output shape (a list with null for unknown dims, or null for unknown rank);
* for float outputs, the fixed random weights ``w`` and the gradients
  ``tf.gradients(reduce_sum(out * w), inputs)`` with respect to each floating-point input:
  the input and filter gradients of each convolution, the routing of max-pool gradients
  (including windows whose maximum is tied) and the shares of avg-pool gradients.

The grid covers both paddings (SAME with uneven padding, which TF puts at the bottom/right),
strides, dilations, non-square kernels and windows, windows larger than the input, float32 and
float64, and int32 max pooling.

Real TensorFlow is only an oracle; graphflow never imports it and CI never runs this script.
Run it by hand, from the repository root, with a Python that has TensorFlow installed::

    /path/to/tf-venv/bin/python tests/golden/make_conv_golden.py

oneDNN is switched off (``TF_ENABLE_ONEDNN_OPTS=0``) so that TF runs its stock Eigen kernels,
the ones TF1 ran. Those kernels compute dilated ``Conv2D`` forward but reject dilation rates
above 1 in its backprop ops (TF1's CPU did too), so for the dilated ``conv2d`` cases the
gradients come from the same convolution built as ``tf.nn.convolution(dilation_rate=...)``
(TF's SpaceToBatch formulation, checked here to give the same forward values; marked
``grads_from`` in the record), and a dilated, strided case records no gradients. Everything is
deterministic: each case draws its inputs and weights from its own
``np.random.RandomState(seed)``.
"""

import json
import os

os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()

OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv_ops.json")


def x(shape, dtype="float32", kind="normal", static=None):
    """An input spec: the value's shape, dtype and kind ("normal" or "ties": small integers, so
    that pooling windows have tied maxima); ``static`` is the placeholder's shape (default:
    the value's shape; a list with None entries, or "unknown" for unknown rank)."""
    return {"shape": list(shape), "dtype": dtype, "kind": kind,
            "static": list(shape) if static is None else static}


def case(fn, inputs, **kwargs):
    """``tf.nn.<fn>(*inputs, **kwargs)``."""
    return {"fn": fn, "inputs": inputs, "kwargs": kwargs}


def draw(rs, spec):
    shape = spec["shape"]
    if spec["kind"] == "ties":
        values = rs.randint(0, 3, size=shape)
    else:
        values = rs.randn(*shape)
    return np.asarray(values).astype(spec["dtype"])


# -- the grid ------------------------------------------------------------------------------
def conv2d_cases():
    f = x((3, 3, 2, 3))
    return [
        case("conv2d", [x((1, 6, 6, 2)), f], strides=[1, 1, 1, 1], padding="SAME"),
        case("conv2d", [x((1, 6, 6, 2)), f], strides=[1, 1, 1, 1], padding="VALID"),
        case("conv2d", [x((2, 8, 8, 2)), f], strides=[1, 2, 2, 1], padding="SAME"),
        case("conv2d", [x((2, 8, 8, 2)), f], strides=2, padding="VALID"),
        case("conv2d", [x((1, 7, 5, 2)), x((2, 3, 2, 3))], strides=[1, 2, 3, 1], padding="VALID"),
        case("conv2d", [x((1, 7, 5, 2)), x((2, 3, 2, 3))], strides=[3, 2], padding="SAME"),
        case("conv2d", [x((1, 7, 7, 2)), f], strides=1, padding="SAME", dilations=2),
        case("conv2d", [x((1, 9, 9, 2)), x((3, 2, 2, 2))], strides=1, padding="VALID",
             dilations=[1, 2, 3, 1]),
        case("conv2d", [x((1, 9, 8, 2)), f], strides=2, padding="SAME", dilations=[1, 2, 2, 1]),
        case("conv2d", [x((2, 6, 6, 2), static=[None, None, None, 2]), f], strides=1,
             padding="SAME"),
        case("conv2d", [x((2, 7, 6, 2), static=[None, 7, 6, 2]), f], strides=2,
             padding="VALID"),
        case("conv2d", [x((1, 6, 6, 2), static="unknown"), f], strides=1, padding="SAME"),
        case("conv2d", [x((1, 6, 6, 2)), x((3, 3, 2, 3), static=[3, 3, None, None])],
             strides=1, padding="SAME"),
        case("conv2d", [x((2, 5, 5, 2), "float64"), x((3, 3, 2, 3), "float64")], strides=2,
             padding="SAME"),
        case("conv2d", [x((2, 4, 4, 3)), x((1, 1, 3, 2))], strides=1, padding="VALID"),
        case("conv2d", [x((1, 2, 2, 1)), x((3, 3, 1, 2))], strides=1, padding="SAME"),
        case("conv2d", [x((2, 8, 8, 1)), x((3, 3, 1, 2))], strides=1, padding="SAME"),
    ]


def conv2d_transpose_cases():
    f = x((3, 3, 2, 3))
    return [
        case("conv2d_transpose", [x((2, 4, 4, 3)), f], output_shape=[2, 8, 8, 2],
             strides=[1, 2, 2, 1], padding="SAME"),
        case("conv2d_transpose", [x((2, 4, 4, 3)), f], output_shape=[2, 7, 7, 2],
             strides=2, padding="SAME"),
        case("conv2d_transpose", [x((2, 4, 4, 3)), f], output_shape=[2, 9, 9, 2],
             strides=2, padding="VALID"),
        case("conv2d_transpose", [x((1, 5, 5, 3)), f], output_shape=[1, 5, 5, 2],
             strides=1, padding="SAME"),
        case("conv2d_transpose", [x((1, 5, 4, 3)), x((2, 3, 2, 3))], output_shape=[1, 6, 9, 2],
             strides=[1, 1, 2, 1], padding="VALID"),
        case("conv2d_transpose", [x((1, 4, 4, 3), "float64"), x((3, 3, 2, 3), "float64")],
             output_shape=[1, 8, 8, 2], strides=2, padding="SAME"),
    ]


def depthwise_cases():
    f = x((3, 3, 2, 2))
    return [
        case("depthwise_conv2d", [x((1, 6, 6, 2)), f], strides=[1, 1, 1, 1], padding="SAME"),
        case("depthwise_conv2d", [x((2, 7, 7, 2)), f], strides=[1, 2, 2, 1], padding="VALID"),
        case("depthwise_conv2d", [x((1, 8, 7, 2)), x((2, 3, 2, 1))], strides=[1, 2, 2, 1],
             padding="SAME"),
        case("depthwise_conv2d", [x((1, 7, 7, 2)), f], strides=[1, 1, 1, 1], padding="SAME",
             rate=[2, 2]),
        case("depthwise_conv2d", [x((2, 6, 6, 2), static=[None, None, None, 2]), f],
             strides=[1, 1, 1, 1], padding="VALID"),
        case("depthwise_conv2d", [x((1, 6, 6, 2), "float64"), x((3, 3, 2, 2), "float64")],
             strides=[1, 2, 2, 1], padding="SAME"),
    ]


def pool_cases():
    cases = []
    for fn in ("max_pool", "avg_pool"):
        cases += [
            case(fn, [x((2, 6, 6, 2))], ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                 padding="VALID"),
            case(fn, [x((2, 7, 7, 2))], ksize=2, strides=2, padding="SAME"),
            case(fn, [x((1, 7, 7, 2))], ksize=3, strides=2, padding="SAME"),
            case(fn, [x((1, 5, 6, 2))], ksize=[3, 2], strides=[1, 2], padding="VALID"),
            case(fn, [x((1, 5, 5, 2))], ksize=3, strides=1, padding="SAME"),
            case(fn, [x((1, 2, 3, 1))], ksize=3, strides=3, padding="SAME"),
            case(fn, [x((2, 6, 6, 2), static=[None, None, None, 2])], ksize=2, strides=2,
                 padding="SAME"),
            case(fn, [x((1, 5, 5, 2), static="unknown")], ksize=2, strides=1, padding="VALID"),
            case(fn, [x((1, 6, 5, 2), "float64")], ksize=[2, 3], strides=[2, 1],
                 padding="SAME"),
        ]
    cases += [
        case("max_pool", [x((2, 6, 6, 2), kind="ties")], ksize=2, strides=2, padding="VALID"),
        case("max_pool", [x((1, 6, 6, 2), kind="ties")], ksize=3, strides=1, padding="SAME"),
        case("max_pool", [x((1, 5, 5, 2), kind="ties")], ksize=3, strides=2, padding="SAME"),
        case("max_pool", [x((1, 6, 6, 2), "int32", "ties")], ksize=2, strides=2,
             padding="SAME"),
    ]
    return cases


# -- running one case in TensorFlow -------------------------------------------------------
def encode(value, dtype):
    """JSON-able nested lists; float32 values as the shortest decimal that round-trips."""
    array = np.asarray(value)
    if dtype == "float32":
        return np.vectorize(lambda v: float(str(np.float32(v))), otypes=[object])(array).tolist()
    return array.tolist()


def run_case(index, spec):
    rs = np.random.RandomState(5000 + index)
    values = [draw(rs, s) for s in spec["inputs"]]
    with tf.Graph().as_default():
        placeholders = [
            tf.placeholder(s["dtype"], None if s["static"] == "unknown" else s["static"],
                           name=f"x{i}")
            for i, s in enumerate(spec["inputs"])
        ]
        out = getattr(tf.nn, spec["fn"])(*placeholders, **spec["kwargs"])
        feed = dict(zip(placeholders, values))
        record = dict(spec)
        record["inputs"] = [dict(s, value=encode(v, s["dtype"]))
                            for s, v in zip(spec["inputs"], values)]
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
            if out.dtype.is_floating:
                weights = rs.uniform(0.5, 1.5, np.shape(value)).astype(out.dtype.as_numpy_dtype)
                record["weights"] = encode(weights, out.dtype.name)
                differentiated = gradient_graph(record, placeholders, out, sess, feed)
                if differentiated is not None:
                    grads = tf.gradients(tf.reduce_sum(differentiated * weights), placeholders)
                    record["grads"] = [encode(sess.run(g, feed), p.dtype.name)
                                       for p, g in zip(placeholders, grads)]
    return record


def gradient_graph(record, placeholders, out, sess, feed):
    """The output to differentiate: ``out`` itself, or for a dilated conv2d (whose backprop
    the stock CPU kernels reject) the same convolution built by ``tf.nn.convolution``; None
    when TF has no CPU gradient for the case (dilated and strided)."""
    kwargs = record["kwargs"]
    dilations = kwargs.get("dilations")
    if dilations is None:
        return out
    if kwargs["strides"] not in (1, [1, 1, 1, 1]):
        return None
    rate = [dilations] * 2 if isinstance(dilations, int) else dilations[1:3]
    same = tf.nn.convolution(*placeholders, kwargs["padding"], dilation_rate=rate)
    np.testing.assert_allclose(*sess.run([same, out], feed), rtol=1e-5, atol=1e-5)
    record["grads_from"] = "tf.nn.convolution"
    return same


def main():
    specs = conv2d_cases() + conv2d_transpose_cases() + depthwise_cases() + pool_cases()
    golden = {
        "tensorflow_version": tf.__version__,
        "generated_by": "tests/golden/make_conv_golden.py",
        "cases": [run_case(i, spec) for i, spec in enumerate(specs)],
    }
    with open(OUT_PATH, "w") as f:
        json.dump(golden, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(golden['cases'])} cases to {OUT_PATH}")


if __name__ == "__main__":
    main()
