"""Generate golden values for graphflow's neural-network ops (``tf.nn``) and losses
(``tf.losses``).

Produces ``tests/golden/nn_ops.json`` next to this script: for each case (a function, its
tensor inputs with the static shapes of the placeholders they are fed through, and its other
arguments) the forward values, TensorFlow's static output shapes (a list with null for unknown
dims, or null for unknown rank), the fixed random weights ``w`` of each floating output, and the
gradients of ``sum(reduce_sum(out * w))`` with respect to each floating input (null where TF
gives None). The grid covers shapes with and without None dims, broadcasting of weights and
biases, float32 and float64, attributes, large logits (+-1000) for the cross-entropies, and
every ``tf.losses`` function with scalar, per-example and full weights under each reduction.

Real TensorFlow is only an oracle; graphflow never imports it and CI never runs this script.
Run it by hand, from the repository root, with a Python that has TensorFlow installed::

    /path/to/tf-venv/bin/python tests/golden/make_nn_golden.py

Everything is deterministic: every input is drawn from ``np.random.RandomState`` with a fixed
seed per case.
"""

import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_ops.json")
REDUCTIONS = ["none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
              "weighted_sum_by_nonzero_weights"]


def encode(value, dtype):
    """JSON-able nested lists; float32 values as the shortest decimal that round-trips."""
    array = np.asarray(value)
    if array.dtype == np.float32 or dtype == "float32":
        return json.loads(json.dumps(np.vectorize(lambda v: float(str(np.float32(v))),
                                                  otypes=[float])(array).tolist()))
    if array.dtype.kind == "f":
        return array.astype(float).tolist()
    if array.dtype.kind == "b":
        return array.tolist()
    return array.astype(int).tolist()


def static_shape(tensor):
    shape = tensor.get_shape()
    return None if shape.ndims is None else shape.as_list()


class Input:
    """A tensor argument: ``value`` fed through a placeholder of static shape ``shape``."""

    def __init__(self, value, shape="same"):
        self.value = np.asarray(value)
        self.shape = list(self.value.shape) if shape == "same" else shape


def run_case(fn, inputs, attrs, seed):
    """Builds ``fn(**inputs, **attrs)`` on placeholders and returns the case's record."""
    rs = np.random.RandomState(seed + 1000)
    module, name = fn.split(".")
    function = getattr(getattr(tf, module), name)
    with tf.Graph().as_default():
        placeholders, feed = {}, {}
        for arg, spec in inputs.items():
            ph = tf.placeholder(tf.as_dtype(spec.value.dtype), spec.shape, name=arg)
            placeholders[arg] = ph
            feed[ph] = spec.value
        result = function(**placeholders, **attrs)
        outputs = list(result) if isinstance(result, (tuple, list)) else [result]
        with tf.Session() as sess:
            values = sess.run(outputs, feed)
            weights, terms = [], []
            for out, value in zip(outputs, values):
                if out.dtype.is_floating:
                    w = rs.uniform(0.5, 1.5, size=np.shape(value)).astype(out.dtype.as_numpy_dtype)
                    weights.append(w)
                    terms.append(tf.reduce_sum(out * w))
                else:
                    weights.append(None)
            float_inputs = [arg for arg, ph in placeholders.items() if ph.dtype.is_floating]
            grads = {}
            if terms and float_inputs:
                symbolic = tf.gradients(tf.add_n(terms), [placeholders[a] for a in float_inputs])
                # dense gradients (embedding_lookup's is an IndexedSlices in TF)
                connected = [tf.convert_to_tensor(g) for g in symbolic if g is not None]
                grad_values = iter(sess.run(connected, feed))
                for arg, g in zip(float_inputs, symbolic):
                    dtype = placeholders[arg].dtype.name
                    grads[arg] = None if g is None else encode(next(grad_values), dtype)
    return {
        "fn": fn,
        "inputs": {arg: {"dtype": spec.value.dtype.name, "shape": spec.shape,
                         "value": encode(spec.value, spec.value.dtype.name)}
                   for arg, spec in inputs.items()},
        "attrs": attrs,
        "outputs": [{"dtype": out.dtype.name, "shape": static_shape(out),
                     "value": encode(value, out.dtype.name)}
                    for out, value in zip(outputs, values)],
        "weights": [None if w is None else encode(w, w.dtype.name) for w in weights],
        "grads": grads,
    }


def unknown_batch(shape):
    return [None] + list(shape[1:])


def softmax_rows(rs, shape, dtype):
    logits = rs.standard_normal(shape)
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype(dtype)


def nn_cases():
    """(fn, inputs, attrs) for the tf.nn functions."""
    cases = []
    rs = np.random.RandomState(0)

    def add(fn, inputs, attrs=None):
        cases.append((fn, inputs, attrs or {}))

    for dtype in ("float32", "float64"):
        for fn, scale, attrs in [("relu", 2, {}), ("relu6", 4, {}), ("elu", 2, {}),
                                 ("selu", 2, {}), ("softplus", 3, {}), ("softsign", 2, {}),
                                 ("leaky_relu", 2, {}), ("leaky_relu", 2, {"alpha": 0.01}),
                                 ("l2_loss", 1, {})]:
            shapes = [((2, 3), "same"), ((2, 3), [None, 3]), ((), "same"), ((2, 2, 2), None)]
            for shape, static in shapes if dtype == "float32" else shapes[1:3]:
                x = (scale * rs.uniform(-1.5, 1.5, size=shape)).astype(dtype)
                add("nn." + fn, {"features" if fn != "l2_loss" else "t": Input(x, static)},
                    attrs)
        for fn in ("softmax", "log_softmax"):
            grid = [((3, 4), [None, 4], {}), ((2, 3, 4), [None, 3, 4], {"axis": 1}),
                    ((3, 4), [None, 4], {"axis": 0}), ((5,), "same", {}),
                    ((2, 3, 4), "same", {"dim": 0}), ((2, 3), "same", {})]
            for shape, static, attrs in grid if dtype == "float32" else grid[:3]:
                logits = (rs.standard_normal(shape) * 3).astype(dtype)
                add("nn." + fn, {"logits": Input(logits, static)}, attrs)
        for fn in ("softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2"):
            for shape, static, attrs in [((4, 3), "same", {}), ((4, 3), [None, 3], {}),
                                         ((2, 2, 3), [None, 2, 3], {}), ((3,), "same", {}),
                                         ((3, 4), [3, None], {"dim" if fn.endswith("logits")
                                                              else "axis": 0})]:
                labels = softmax_rows(rs, shape, dtype)
                if attrs:
                    labels = softmax_rows(rs, shape[::-1], dtype).T.copy()
                logits = (rs.standard_normal(shape) * 2).astype(dtype)
                add("nn." + fn, {"labels": Input(labels, static), "logits": Input(logits, static)},
                    attrs)
            big = np.array([[1000, -1000, 0], [-1000, -1000, 1000], [1000, 1000, -1000]], dtype)
            onehot = np.eye(3, dtype=dtype)[[1, 2, 0]]
            add("nn." + fn, {"labels": Input(onehot), "logits": Input(big)})
        for label_dtype in ("int32", "int64"):
            fn = "nn.sparse_softmax_cross_entropy_with_logits"
            for shape, static, label_static in [((4, 3), "same", "same"),
                                                ((4, 3), [None, 3], [None]),
                                                ((2, 2, 3), [None, 2, 3], [None, 2]),
                                                ((3,), "same", "same")]:
                labels = rs.randint(0, shape[-1], size=shape[:-1]).astype(label_dtype)
                logits = (rs.standard_normal(shape) * 2).astype(dtype)
                add(fn, {"labels": Input(labels, label_static), "logits": Input(logits, static)})
            big = np.array([[1000, -1000, 0], [-1000, -1000, 1000]], dtype)
            add(fn, {"labels": Input(np.array([1, 2], label_dtype)), "logits": Input(big)})
        for shape, static in [((3, 4), "same"), ((3, 4), [None, 4]), ((), "same")]:
            add("nn.sigmoid_cross_entropy_with_logits",
                {"labels": Input(rs.uniform(0, 1, size=shape).astype(dtype), static),
                 "logits": Input((rs.standard_normal(shape) * 3).astype(dtype), static)})
        add("nn.sigmoid_cross_entropy_with_logits",
            {"labels": Input(np.array([0, 1, 0, 1], dtype)),
             "logits": Input(np.array([1000, 1000, -1000, -1000], dtype))})
        for pos_weight in (Input(np.array(2.5, dtype)), Input(rs.uniform(0.5, 3, 4).astype(dtype))):
            add("nn.weighted_cross_entropy_with_logits",
                {"labels": Input(rs.uniform(0, 1, (3, 4)).astype(dtype), [None, 4]),
                 "logits": Input((rs.randn(3, 4) * 3).astype(dtype), [None, 4]),
                 "pos_weight": pos_weight})
        add("nn.weighted_cross_entropy_with_logits",
            {"labels": Input(np.array([0, 1, 1], dtype)),
             "logits": Input(np.array([-1000, 1000, -1000], dtype))}, {"pos_weight": 3.0})
        for shape, static, attrs in [((3, 4), "same", {}), ((3, 4), [None, 4], {"axis": 1}),
                                     ((3, 4), "same", {"axis": 0}),
                                     ((2, 3, 4), [None, 3, 4], {"axis": [1, 2]}),
                                     ((3, 4), "same", {"dim": 1, "epsilon": 1e-3})]:
            x = (rs.standard_normal(shape)).astype(dtype)
            if "epsilon" in attrs:
                x[0] *= 1e-3  # a row whose norm falls below sqrt(epsilon)
            add("nn.l2_normalize", {"x": Input(x, static)}, attrs)
        for shape, static, bias_static, attrs in [((3, 4), "same", "same", {}),
                                                  ((3, 4), [None, 4], [None], {}),
                                                  ((2, 2, 2, 3), [None, 2, 2, 3], "same", {}),
                                                  ((2, 3, 2, 2), [None, 3, 2, 2], "same",
                                                   {"data_format": "NCHW"})]:
            channels = shape[1] if attrs else shape[-1]
            add("nn.bias_add", {"value": Input(rs.standard_normal(shape).astype(dtype), static),
                                "bias": Input(rs.randn(channels).astype(dtype), bias_static)},
                attrs)
        for shape, static, attrs in [((4, 3), "same", {"axes": [0]}),
                                     ((4, 3), [None, 3], {"axes": [0], "keep_dims": True}),
                                     ((2, 3, 4), [None, 3, 4], {"axes": [0, 1]}),
                                     ((2, 3, 4), "same", {"axes": [1], "keep_dims": True}),
                                     ((5,), "same", {"axes": [0]})]:
            x = (rs.standard_normal(shape) * 2 + 1).astype(dtype)
            add("nn.moments", {"x": Input(x, static)}, attrs)
        for ids, ids_static in [(np.array([0, 3, 3, 1]), [None]),
                                (np.array([[4, 0], [4, 4]]), "same"), (np.array(2), "same")]:
            add("nn.embedding_lookup",
                {"params": Input(rs.randn(5, 3).astype(dtype), [None, 3]),
                 "ids": Input(ids.astype(np.int32), ids_static)})
        for shape, static, k in [((3, 5), "same", 2), ((3, 5), [None, 5], 3), ((6,), "same", 6),
                                 ((2, 2, 4), [None, 2, 4], 1)]:
            x = rs.standard_normal(shape).astype(dtype)
            add("nn.top_k", {"input": Input(x, static)}, {"k": k})
    ties = np.array([[3, 1, 3, 2, 3], [0, 0, 0, 0, 0]], np.int32)
    add("nn.top_k", {"input": Input(ties)}, {"k": 3})
    add("nn.top_k", {"input": Input(ties.astype(np.float32), [None, 5])}, {"k": 2})
    predictions = np.array([[0.1, 0.5, 0.5, 0.2], [0.9, 0.1, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0],
                            [0.3, np.inf, 0.2, 0.1], [0.2, 0.3, 0.1, 0.4]], np.float32)
    for targets, static, k in [([1, 1, 3, 0, 3], "same", 1), ([2, 0, 0, 0, 1], [None], 2),
                               ([0, 1, 2, 0, 0], "same", 3), ([4, -1, 2, 0, 1], "same", 2)]:
        for index_dtype in ("int32", "int64"):
            add("nn.in_top_k", {"predictions": Input(predictions, [None, 4]),
                                "targets": Input(np.array(targets, index_dtype), static)},
                {"k": k})
    return cases


def loss_cases():
    """(fn, inputs, attrs) for the tf.losses functions. mean_squared_error gets every weight
    variant (scalars 1.0 and 2.5, per-example and full weights, with zeros so that the
    reductions differ) under each reduction; the other losses the scalar 2.5 and per-example
    weights under each reduction, plus attribute variants with the default weights and
    reduction."""
    cases = []
    rs = np.random.RandomState(1)
    shape = (4, 3)

    def weight_variants(batch_shape):
        per_example = rs.uniform(0.5, 2, size=batch_shape[:1] + (1,) * (len(batch_shape) - 1))
        per_example[1] = 0.0
        variants = [("attr", 1.0), ("attr", 2.5), ("input", per_example.astype(np.float32))]
        if len(batch_shape) > 1:
            full = rs.uniform(0.5, 2, size=batch_shape)
            full[0, 0] = full[2, 1] = 0.0
            variants.append(("input", full.astype(np.float32)))
        return variants

    def add(fn, inputs, attrs, batch_shape=shape, grid="scalar and per-example"):
        """Cases for each reduction with the weights of ``grid``: "all" variants, the scalar
        and per-example ones, or only "default" weights and reduction."""
        if grid == "default":
            cases.append(("losses." + fn, inputs, attrs))
            return
        variants = weight_variants(batch_shape)
        for kind, weights in variants if grid == "all" else variants[1:3]:
            for reduction in REDUCTIONS:
                case_inputs, case_attrs = dict(inputs), dict(attrs, reduction=reduction)
                if kind == "attr":
                    case_attrs["weights"] = weights
                else:
                    case_inputs["weights"] = Input(weights)
                cases.append(("losses." + fn, case_inputs, case_attrs))

    labels = rs.standard_normal(shape).astype(np.float32)
    predictions = rs.standard_normal(shape).astype(np.float32)
    for fn, attrs, grid in [("mean_squared_error", {}, "all"),
                            ("absolute_difference", {}, "scalar and per-example"),
                            ("huber_loss", {}, "scalar and per-example"),
                            ("huber_loss", {"delta": 0.5}, "default")]:
        add(fn, {"labels": Input(labels, [None, 3]), "predictions": Input(predictions)}, attrs,
            grid=grid)
    binary = rs.randint(0, 2, size=shape).astype(np.float32)
    add("log_loss", {"labels": Input(binary), "predictions": Input(
        rs.uniform(0.01, 0.99, size=shape).astype(np.float32), [None, 3])}, {})
    add("hinge_loss", {"labels": Input(binary), "logits": Input(
        rs.standard_normal(shape).astype(np.float32) * 2)}, {})
    for smoothing, grid in ((0.1, "scalar and per-example"), (0, "default")):
        logits = (rs.standard_normal(shape) * 2).astype(np.float32)
        add("sigmoid_cross_entropy", {"multi_class_labels": Input(binary, [None, 3]),
                                      "logits": Input(logits)},
            {"label_smoothing": smoothing}, grid=grid)
        onehot = np.eye(3, dtype=np.float32)[rs.randint(0, 3, 4)]
        logits = (rs.standard_normal(shape) * 2).astype(np.float32)
        add("softmax_cross_entropy", {"onehot_labels": Input(onehot),
                                      "logits": Input(logits, [None, 3])},
            {"label_smoothing": smoothing}, batch_shape=(4,), grid=grid)
    class_ids = rs.randint(0, 3, 4).astype(np.int32)
    logits = rs.standard_normal(shape).astype(np.float32) * 2
    add("sparse_softmax_cross_entropy", {"labels": Input(class_ids, [None]),
                                         "logits": Input(logits)}, {}, batch_shape=(4,))
    add("sparse_softmax_cross_entropy",  # labels [batch, 1] and weights [batch, 1] are squeezed
        {"labels": Input(class_ids[:, None]), "logits": Input(logits),
         "weights": Input(np.array([[1.0], [0.0], [2.0], [0.5]], np.float32))}, {},
        grid="default")
    for reduction in REDUCTIONS:
        cases.append(("losses.compute_weighted_loss",
                      {"losses": Input(rs.uniform(0, 2, size=shape).astype(np.float64)),
                       "weights": Input(np.array([[1.0], [0.0], [3.0], [0.5]]), [None, 1])},
                      {"reduction": reduction}))
    return cases


def main():
    records = []
    for seed, (fn, inputs, attrs) in enumerate(nn_cases() + loss_cases()):
        records.append(run_case(fn, inputs, attrs, seed))
    with open(OUT_PATH, "w") as f:
        json.dump({"tensorflow_version": tf.__version__, "cases": records}, f,
                  separators=(",", ":"))
    print(f"wrote {len(records)} cases to {OUT_PATH} ({os.path.getsize(OUT_PATH)} bytes)")


if __name__ == "__main__":
    main()
