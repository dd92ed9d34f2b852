"""Generate golden values for graphflow's initializers, variable scopes, contrib initializers and
regularizers, ``Qr``, ``random_shuffle`` and ``multinomial``.

Produces ``tests/golden/initializers.json`` next to this script:

* ``fills``: values and static shapes of zeros/ones/constant initializers (shapes given as lists
  and as partially known shape tensors);
* ``random``: static shapes and sample statistics (mean, std, min, max) of every random
  initializer over large shapes, 2-D and 4-D (conv kernels); TF's random streams cannot be
  matched, so the tests compare statistics, with tolerances;
* ``contrib``: the same for ``tf.contrib.layers`` xavier / variance-scaling initializers, and
  values, gradients and names of ``l1_regularizer`` / ``l2_regularizer``. TF 2.21 has no
  contrib: ``ContribLayers`` below is TF 1.15's contrib code, unchanged, on TF's core ops;
* ``qr``, ``random_shuffle``, ``multinomial``: static shapes, QR values, sample frequencies;
* ``scopes``: what the ``SCENARIOS`` below observe (variable and op names, reuse, errors,
  collections, values of deterministic initializers). The scenarios use only TF1 API names, so
  ``tests/test_variable_scope.py`` runs the very same functions on graphflow and compares.

Real TensorFlow is only an oracle; graphflow never imports it, and importing this module does not
import TensorFlow either (only ``main`` does). Run it by hand, from the repository root, with a
Python that has TensorFlow installed::

    /path/to/tf-venv/bin/python tests/golden/make_initializers_golden.py

Deterministic: inputs come from ``np.random.RandomState`` with fixed seeds, and TF's graph seed
is fixed, so the file only changes when TensorFlow's behaviour does.
"""

import json
import math
import os

import numpy as np

OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "initializers.json")
SEED = 1234


def f32(value):
    """JSON-able floats rounded to float32 (shortest round-tripping decimal), nested lists for
    arrays."""
    arr = np.asarray(value, dtype=np.float32)
    if arr.ndim == 0:
        return float(str(arr[()]))
    return [f32(item) for item in arr]


def floats(value, dtype):
    """JSON-able values of a float32 or float64 computation, without losing float64 digits."""
    if dtype == "float32":
        return f32(value)
    return np.asarray(value, dtype=np.float64).tolist()


def static_shape(tensor):
    """A static shape as JSON: a list with None for unknown dims, or None for unknown rank."""
    dims = tensor.shape.as_list() if tensor.shape.ndims is not None else None
    return dims


def stats(values):
    values = np.asarray(values, dtype=np.float64)
    return {"mean": f32(values.mean()), "std": f32(values.std()), "min": f32(values.min()),
            "max": f32(values.max())}


def error_of(function):
    """Calls ``function``; returns the type name and message of what it raises, or None."""
    try:
        function()
    except (ValueError, TypeError) as error:
        return [type(error).__name__, str(error).split(" Originally defined at")[0]]
    return None


# -- the initializer specs, shared by the generator and the tests ----------------------------
FILL_INITIALIZERS = ["zeros_initializer", "ones_initializer"]
FILL_SHAPES = [[], [3], [2, 3], [2, 3, 4], [40, 30]]  # values kept for fewer than 100
FILL_DTYPES = ["float32", "float64", "int32", "int64", "bool"]
CONSTANT_CASES = [  # (value, shape, dtype, verify_shape)
    (0.5, [], "float32", False),
    (0.5, [2, 3], "float64", False),
    ([1, 2, 3], [3], "float32", False),
    ([1, 2, 3], [2, 4], "float32", False),
    (np.arange(6).reshape(2, 3).tolist(), [3, 2], "float32", False),
    ([[1.5, 2.5], [3.5, 4.5]], [4], "float64", False),
    (5, [2], "int32", False),
    (7, [2, 2], "int64", False),
    ([True, False], [3], "bool", False),
    ([1, 2, 3], [3], "float32", True),
    ([1, 2, 3], [2], "float32", False),  # too many values: ValueError
    ([1, 2, 3], [3, 1], "float32", True),  # shape differs: TypeError
    ([1.5], [2], "int32", False),  # not an int32: TypeError
]

BIG_2D = [300, 200]
BIG_2D_WIDE = [200, 300]
CONV = [3, 3, 32, 64]
RANDOM_CASES = [  # (initializer name, kwargs, shape, dtype)
    ("random_normal_initializer", {"mean": 1.0, "stddev": 2.0}, BIG_2D, "float32"),
    ("random_normal_initializer", {}, BIG_2D, "float64"),
    ("truncated_normal_initializer", {"mean": -1.0, "stddev": 0.5}, BIG_2D, "float32"),
    ("truncated_normal_initializer", {}, CONV, "float64"),
    ("random_uniform_initializer", {"minval": -3.0, "maxval": 2.0}, BIG_2D, "float32"),
    ("random_uniform_initializer", {}, BIG_2D, "float64"),
    ("random_uniform_initializer", {"minval": 0, "maxval": 10}, BIG_2D, "int32"),
    ("glorot_uniform_initializer", {}, BIG_2D, "float32"),
    ("glorot_uniform_initializer", {}, CONV, "float32"),
    ("glorot_normal_initializer", {}, BIG_2D, "float32"),
    ("glorot_normal_initializer", {}, CONV, "float64"),
    ("he_normal", {}, CONV, "float32"),
    ("he_uniform", {}, CONV, "float32"),
    ("lecun_normal", {}, BIG_2D, "float32"),
    ("lecun_uniform", {}, BIG_2D, "float32"),
    ("orthogonal_initializer", {}, BIG_2D, "float32"),
    ("orthogonal_initializer", {"gain": 2.0}, BIG_2D_WIDE, "float64"),
    ("orthogonal_initializer", {"gain": 0.5}, [4, 5, 30], "float32"),
] + [
    ("variance_scaling_initializer",
     {"scale": scale, "mode": mode, "distribution": distribution}, shape, "float32")
    for scale, shape in ((1.0, CONV), (2.5, BIG_2D))
    for mode in ("fan_in", "fan_out", "fan_avg")
    for distribution in ("normal", "truncated_normal", "untruncated_normal", "uniform")
] + [
    ("variance_scaling_initializer", {"distribution": "uniform"}, [20000], "float32"),
    ("variance_scaling_initializer", {"mode": "fan_avg"}, [], "float32"),
    ("variance_scaling_initializer", {}, [0, 3], "float32"),
]
# Initializers that accept a shape tensor: (name, kwargs, placeholder shape of the tensor whose
# tf.shape is passed, or None to pass a 1-D int placeholder of that length).
SHAPE_TENSOR_CASES = [
    ("zeros_initializer", {}, [None, 3]),
    ("ones_initializer", {}, [None, None]),
    ("random_normal_initializer", {}, [4, None, 2]),
    ("truncated_normal_initializer", {}, [None]),
    ("random_uniform_initializer", {}, [5, 6]),
]
CONTRIB_CASES = [  # (function, kwargs, shape)
    ("xavier_initializer", {}, BIG_2D),
    ("xavier_initializer", {"uniform": False}, CONV),
    ("variance_scaling_initializer", {}, CONV),
    ("variance_scaling_initializer", {"factor": 1.0, "mode": "FAN_AVG", "uniform": True}, BIG_2D),
    ("variance_scaling_initializer", {"factor": 3.0, "mode": "FAN_OUT"}, BIG_2D),
    ("variance_scaling_initializer", {"mode": "FAN_IN", "uniform": True}, [20000]),
]
REGULARIZER_CASES = [  # (function, scale, weight shape, dtype)
    ("l2_regularizer", 0.1, [3], "float32"),
    ("l2_regularizer", 0.25, [2, 3], "float64"),
    ("l1_regularizer", 0.1, [2, 3], "float32"),
    ("l1_regularizer", 0.5, [2, 2, 3], "float64"),
]
QR_CASES = [([4, 3], False), ([3, 4], False), ([2, 4, 3], False), ([4, 3], True), ([3, 3], True)]
QR_SHAPES = [([None, 5, 3], False), ([3, None], False), ([5, 3], True), ([None, None], True),
             (None, False)]
SHUFFLE_SHAPES = [[None, 3], [4, 2, 3], [], None, [None]]
MULTINOMIAL_SHAPES = [  # (logits shape, num_samples constant or None for a placeholder, dtype)
    ([None, 5], 7, None),
    ([2, 5], None, "int32"),
    (None, 3, "int64"),
]
MULTINOMIAL_LOGITS = [[0.0, 1.0, 2.0, -np.inf], [-1.0, -1.0, 0.5, 3.0], [0.0, 0.0, 0.0, 0.0]]
MULTINOMIAL_SAMPLES = 20000


def regularizer_weights(shape, dtype, index):
    rs = np.random.RandomState(100 + index)
    return rs.uniform(-2.0, 2.0, size=shape).astype(dtype), float(rs.uniform(0.5, 1.5))


def qr_input(shape, index):
    return np.random.RandomState(200 + index).randn(*shape).astype(np.float32)


# -- scope scenarios: each takes a TF1-like module (and contrib layers), returns what it sees ---
def scenario_naming(tf, layers):
    seen = {}
    with tf.Graph().as_default():
        with tf.variable_scope("layer") as scope:
            w = tf.get_variable("w", [2, 3])
            seen["w"] = [w.name, static_shape(w), w.dtype.base_dtype.name]
            seen["inner_op"] = tf.constant(1.0).name
            seen["scope"] = [scope.name, scope.original_name_scope]
            seen["initial_value"] = w.initializer.inputs[1].name
        with tf.variable_scope("layer") as again:
            seen["reentered"] = [again.name, again.original_name_scope, tf.constant(1.0).name,
                                 tf.get_variable("v", [1]).name]
        with tf.variable_scope(scope) as by_object:
            seen["by_object"] = [by_object.name, by_object.original_name_scope,
                                 tf.constant(1.0).name]
        with tf.variable_scope("outer"):
            with tf.name_scope("ns"):
                seen["name_scope_ignored"] = tf.get_variable("x", [1]).name
            with tf.variable_scope(scope) as nested_object:
                seen["object_in_outer"] = [nested_object.name, tf.constant(1.0).name,
                                           tf.get_variable("u", [1]).name]
            with tf.variable_scope("inner") as inner:
                seen["nested"] = [inner.name, inner.original_name_scope,
                                  tf.get_variable("k", [2]).name, tf.constant(0).name]
        for _ in range(3):
            with tf.variable_scope(None, default_name="dense") as dense:
                seen.setdefault("default_name", []).append(
                    [dense.name, tf.get_variable("kernel", [1]).name, tf.constant(0).name])
        with tf.variable_scope("parent"):
            for _ in range(2):
                with tf.variable_scope(None, default_name="block"):
                    seen.setdefault("default_in_parent", []).append(
                        tf.get_variable("b", [1]).name)
        with tf.variable_scope("plain", auxiliary_name_scope=False) as plain:
            seen["no_aux_name_scope"] = [plain.name, plain.original_name_scope,
                                         tf.constant(0).name]
        tf.constant(0.0, name="taken")
        seen["name_taken_by_op"] = tf.get_variable("taken", [1]).name
        seen["root"] = [tf.get_variable_scope().name, tf.get_variable_scope().reuse]
    return seen


def scenario_reuse(tf, layers):
    seen = {}
    with tf.Graph().as_default():
        with tf.variable_scope("layer"):
            w = tf.get_variable("w", [2, 2])
        with tf.variable_scope("layer", reuse=True) as scope:
            seen["same"] = tf.get_variable("w", [2, 2]) is w
            seen["without_shape"] = tf.get_variable("w") is w
            seen["reuse"] = scope.reuse
            with tf.variable_scope("inner") as inner:
                seen["inherited"] = inner.reuse
            with tf.variable_scope("inner2", reuse=False) as inner:
                seen["false_inherits"] = inner.reuse
        with tf.variable_scope("auto", reuse=tf.AUTO_REUSE) as auto:
            first = tf.get_variable("a", [3])
            seen["auto"] = [first.name, tf.get_variable("a", [3]) is first,
                            auto.reuse is tf.AUTO_REUSE]
        with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
            seen["auto_again"] = tf.get_variable("a") is first
        with tf.variable_scope("later"):
            x = tf.get_variable("x", [1])
            tf.get_variable_scope().reuse_variables()
            seen["reuse_variables"] = [tf.get_variable_scope().reuse,
                                       tf.get_variable("x") is x]
        with tf.variable_scope("later") as fresh:
            seen["not_sticky"] = fresh.reuse
        with tf.variable_scope("layer", reuse=True) as reusing:
            with tf.variable_scope(tf.get_variable_scope()) as copy:
                seen["object_keeps_reuse"] = copy.reuse
        with tf.variable_scope(reusing) as entered:
            seen["entered_reusing_object"] = [entered.reuse, tf.get_variable("w") is w]
        seen["collections"] = [[v.name for v in tf.global_variables()],
                               [v.name for v in tf.trainable_variables()]]
    return seen


def scenario_errors(tf, layers):
    seen = {}
    with tf.Graph().as_default():
        with tf.variable_scope("layer"):
            tf.get_variable("w", [2, 2])
            tf.get_variable("i", [2], dtype=tf.int32)

        def in_layer(**kwargs):
            def build(name, *args, **get_kwargs):
                def call():
                    with tf.variable_scope("layer", **kwargs):
                        tf.get_variable(name, *args, **get_kwargs)
                return call
            return build

        seen["exists"] = error_of(in_layer()("w", [2, 2]))
        seen["missing"] = error_of(in_layer(reuse=True)("zz", [2, 2]))
        seen["shape"] = error_of(in_layer(reuse=True)("w", [3, 4]))
        seen["dtype"] = error_of(in_layer(reuse=True)("w", [2, 2], dtype=tf.float64))
        seen["int_default_dtype"] = error_of(in_layer(reuse=True)("i"))
        seen["no_shape"] = error_of(lambda: tf.get_variable("noshape"))
        seen["constant_with_shape"] = error_of(
            lambda: tf.get_variable("c", [2], initializer=tf.constant([1.0, 2.0])))
        seen["constant_dtype"] = error_of(
            lambda: tf.get_variable("c", initializer=tf.constant([1.0, 2.0]), dtype=tf.float64))
        seen["partial_shape_type"] = (error_of(
            lambda: tf.get_variable("p", [None, 2], initializer=tf.zeros_initializer())) or
            [None])[0]
        seen["bad_reuse"] = (error_of(lambda: tf.variable_scope("s", reuse="yes")) or [None])[0]
        seen["reuse_without_name"] = error_of(
            lambda: tf.variable_scope(None, default_name="d", reuse=True).__enter__())
        seen["no_name"] = error_of(lambda: tf.variable_scope(None))
        seen["bad_name_type"] = error_of(lambda: tf.variable_scope(3).__enter__())
    return seen


def scenario_initializers(tf, layers):
    seen = {}
    with tf.Graph().as_default():
        with tf.variable_scope("vs", initializer=tf.constant_initializer(0.5), dtype=tf.float64):
            v = tf.get_variable("v", [2])
            with tf.variable_scope("in", initializer=tf.ones_initializer()) as inner:
                u = tf.get_variable("u", [2, 1])
                seen["inherited_dtype"] = inner.dtype.name
            own = tf.get_variable("own", [2], dtype=tf.float32,
                                  initializer=tf.zeros_initializer())
        ints = tf.get_variable("ints", [3], dtype=tf.int32)
        flags = tf.get_variable("flags", [2], dtype=tf.bool)
        from_value = tf.get_variable("from_value", initializer=tf.constant([[1, 2], [3, 4]]))
        from_list = tf.get_variable("from_list", initializer=[1.5, 2.5])
        from_callable = tf.get_variable("from_callable", initializer=lambda: tf.constant(7.0))
        from_class = tf.get_variable("from_class", [2], initializer=tf.ones_initializer)
        local = tf.get_local_variable("local", [2], initializer=tf.zeros_initializer())
        frozen = tf.get_variable("frozen", [1], trainable=False,
                                 initializer=tf.zeros_initializer())
        mine = tf.get_variable("mine", [1], collections=["my_vars"],
                               initializer=tf.zeros_initializer())
        variables = [v, u, own, ints, flags, from_value, from_list, from_callable, from_class,
                     local, frozen, mine]
        seen["initial_values"] = [var.initializer.inputs[1].name for var in variables]
        seen["dtypes"] = [var.dtype.base_dtype.name for var in variables]
        seen["shapes"] = [static_shape(var) for var in variables]
        seen["collections"] = {
            "global": [var.name for var in tf.global_variables()],
            "trainable": [var.name for var in tf.trainable_variables()],
            "local": [var.name for var in tf.local_variables()],
            "mine": [var.name for var in tf.get_collection("my_vars")],
        }
        with tf.Session() as sess:
            sess.run([var.initializer for var in variables])
            values = sess.run(variables)
        seen["values"] = [np.asarray(value).tolist() for value in values]
    return seen


def scenario_regularizers(tf, layers):
    seen = {}
    with tf.Graph().as_default():
        with tf.variable_scope("layer", regularizer=layers.l2_regularizer(0.1)):
            w = tf.get_variable("w", [2, 2], initializer=tf.ones_initializer())
            tf.get_variable("b", [2], regularizer=lambda t: None)
            tf.get_variable("s", [2], initializer=tf.ones_initializer(),
                            regularizer=layers.l1_regularizer(0.5, scope="my_l1"))
            tf.get_variable("off", [2], regularizer=layers.l2_regularizer(0.0))
        with tf.name_scope("outer"):
            tf.get_variable("plain", [2], initializer=tf.ones_initializer(),
                            regularizer=lambda t: tf.reduce_sum(t))
        with tf.variable_scope("layer", reuse=True):
            tf.get_variable("w")  # reusing adds no second loss
        losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        seen["names"] = [loss.name for loss in losses]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            seen["values"] = [f32(value) for value in sess.run(losses)]
        with tf.name_scope("direct"):
            seen["direct"] = layers.l2_regularizer(0.5)(w).name
        seen["bad_scales"] = [error_of(lambda s=s: layers.l2_regularizer(s))
                              for s in (1, -0.5)]
    return seen


def scenario_custom_getter(tf, layers):
    seen = {}

    def renaming(getter, name, *args, **kwargs):
        return getter(name + "_custom", *args, **kwargs)

    def frozen(getter, *args, **kwargs):
        kwargs["trainable"] = False
        return getter(*args, **kwargs)

    with tf.Graph().as_default():
        with tf.variable_scope("outer", custom_getter=renaming):
            with tf.variable_scope("inner", custom_getter=frozen):
                w = tf.get_variable("w", [2])
        seen["nested"] = [w.name, [v.name for v in tf.trainable_variables()]]
    return seen


SCENARIOS = {
    "naming": scenario_naming,
    "reuse": scenario_reuse,
    "errors": scenario_errors,
    "initializers": scenario_initializers,
    "regularizers": scenario_regularizers,
    "custom_getter": scenario_custom_getter,
}


# -- TF 1.15's contrib.layers, on TF's core ops (TF 2.21 has no contrib) ----------------------
def contrib_layers(tf):
    """The four contrib functions as TF 1.15 defined them (error messages as f-strings)."""
    import numbers
    from types import SimpleNamespace

    def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                     dtype=tf.float32):
        if not dtype.is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        if mode not in ["FAN_IN", "FAN_OUT", "FAN_AVG"]:
            raise TypeError("Unknown mode %s [FAN_IN, FAN_OUT, FAN_AVG]", mode)

        def _initializer(shape, dtype=dtype, partition_info=None):
            if shape:
                fan_in = float(shape[-2]) if len(shape) > 1 else float(shape[-1])
                fan_out = float(shape[-1])
            else:
                fan_in = 1.0
                fan_out = 1.0
            for dim in shape[:-2]:
                fan_in *= float(dim)
                fan_out *= float(dim)
            n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
            if uniform:
                limit = math.sqrt(3.0 * factor / n)
                return tf.random_uniform(shape, -limit, limit, dtype, seed=seed)
            trunc_stddev = math.sqrt(1.3 * factor / n)
            return tf.truncated_normal(shape, 0.0, trunc_stddev, dtype, seed=seed)

        return _initializer

    def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
        return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform,
                                            seed=seed, dtype=dtype)

    def _check_scale(scale):
        if isinstance(scale, numbers.Integral):
            raise ValueError(f"scale cannot be an integer: {scale}")
        if isinstance(scale, numbers.Real):
            if scale < 0.0:
                raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale:g}.")
            return scale != 0.0
        return True

    def l1_regularizer(scale, scope=None):
        if not _check_scale(scale):
            return lambda _: None

        def l1(weights):
            with tf.name_scope(scope, "l1_regularizer", [weights]) as name:
                my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype,
                                                name="scale")
                return tf.multiply(my_scale, tf.reduce_sum(tf.abs(weights)), name=name)

        return l1

    def l2_regularizer(scale, scope=None):
        if not _check_scale(scale):
            return lambda _: None

        def l2(weights):
            with tf.name_scope(scope, "l2_regularizer", [weights]) as name:
                my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype,
                                                name="scale")
                return tf.multiply(my_scale, tf.nn.l2_loss(weights), name=name)

        return l2

    return SimpleNamespace(variance_scaling_initializer=variance_scaling_initializer,
                           xavier_initializer=xavier_initializer,
                           l1_regularizer=l1_regularizer, l2_regularizer=l2_regularizer)


# -- the generator ----------------------------------------------------------------------------
def sample(tf, tensor):
    with tf.Session() as sess:
        return sess.run(tensor)


def make_fills(tf):
    cases = []
    for init_name in FILL_INITIALIZERS:
        for shape in FILL_SHAPES:
            for dtype in FILL_DTYPES:
                with tf.Graph().as_default():
                    out = getattr(tf, init_name)()(shape, dtype=tf.as_dtype(dtype))
                    value = np.asarray(sample(tf, out))
                    cases.append({"init": init_name, "shape": shape, "dtype": dtype,
                                  "static_shape": static_shape(out), "out_dtype": out.dtype.name,
                                  "value": value.tolist() if value.size < 100 else None})
    for value, shape, dtype, verify in CONSTANT_CASES:
        with tf.Graph().as_default():
            init = tf.constant_initializer(value, dtype=tf.as_dtype(dtype), verify_shape=verify)
            case = {"init": "constant_initializer", "init_value": value, "shape": shape,
                    "dtype": dtype, "verify_shape": verify}
            try:
                out = init(shape)
            except (TypeError, ValueError) as error:
                case["error"] = type(error).__name__
            else:
                case.update(static_shape=static_shape(out), out_dtype=out.dtype.name,
                            value=np.asarray(sample(tf, out)).tolist())
            cases.append(case)
    tensor_shapes = []
    for init_name, kwargs, placeholder_shape in SHAPE_TENSOR_CASES:
        with tf.Graph().as_default():
            shape = tf.shape(tf.placeholder(tf.float32, placeholder_shape))
            out = getattr(tf, init_name)(**kwargs)(shape)
            tensor_shapes.append({"init": init_name, "placeholder_shape": placeholder_shape,
                                  "static_shape": static_shape(out)})
    return {"cases": cases, "shape_tensors": tensor_shapes}


def random_stats(tf, init, shape, dtype):
    with tf.Graph().as_default():
        tf.set_random_seed(SEED)
        out = init(shape, dtype=tf.as_dtype(dtype))
        value = sample(tf, out)
    entry = {"static_shape": static_shape(out), "dtype": out.dtype.name}
    if value.size:
        entry.update(stats(value))
    return entry, value


def make_random(tf):
    cases = []
    for init_name, kwargs, shape, dtype in RANDOM_CASES:
        init = getattr(tf.initializers, init_name.replace("_initializer", ""))(**kwargs)
        entry, value = random_stats(tf, init, shape, dtype)
        if init_name == "orthogonal_initializer":
            matrix = value.reshape(-1, shape[-1]).astype(np.float64)
            gram = matrix.T @ matrix if matrix.shape[0] >= matrix.shape[1] else matrix @ matrix.T
            entry["gram_error"] = f32(np.abs(gram - kwargs.get("gain", 1.0) ** 2
                                             * np.eye(len(gram))).max())
        cases.append({"init": init_name, "kwargs": kwargs, "shape": shape, "dtype": dtype,
                      **entry})
    return cases


def make_contrib(tf):
    layers = contrib_layers(tf)
    initializers = []
    for name, kwargs, shape in CONTRIB_CASES:
        entry, _ = random_stats(tf, getattr(layers, name)(**kwargs), shape, "float32")
        initializers.append({"function": name, "kwargs": kwargs, "shape": shape, **entry})
    regularizers = []
    for index, (name, scale, shape, dtype) in enumerate(REGULARIZER_CASES):
        weights, weight = regularizer_weights(shape, dtype, index)
        with tf.Graph().as_default():
            w = tf.placeholder(tf.as_dtype(dtype), shape)
            out = getattr(layers, name)(scale)(w)
            grad = tf.gradients(tf.reduce_sum(out * weight), w)[0]
            with tf.Session() as sess:
                value, grad_value = sess.run([out, grad], {w: weights})
        regularizers.append({"function": name, "scale": scale, "shape": shape, "dtype": dtype,
                             "name": out.name, "static_shape": static_shape(out),
                             "value": floats(value, dtype), "grad": floats(grad_value, dtype)})
    return {"initializers": initializers, "regularizers": regularizers}


def make_qr(tf):
    values = []
    for index, (shape, full) in enumerate(QR_CASES):
        with tf.Graph().as_default():
            q, r = tf.linalg.qr(tf.constant(qr_input(shape, index)), full_matrices=full)
            q_value, r_value = sample(tf, [q, r])
        values.append({"shape": shape, "full_matrices": full, "q": f32(q_value),
                       "r": f32(r_value)})
    shapes = []
    for shape, full in QR_SHAPES:
        with tf.Graph().as_default():
            q, r = tf.linalg.qr(tf.placeholder(tf.float64, shape), full_matrices=full)
            shapes.append({"shape": shape, "full_matrices": full, "q": static_shape(q),
                           "r": static_shape(r)})
    return {"values": values, "static_shapes": shapes}


def make_random_ops(tf):
    shuffle = []
    for shape in SHUFFLE_SHAPES:
        for dtype in ("float32", "int32"):
            with tf.Graph().as_default():
                out = tf.random_shuffle(tf.placeholder(tf.as_dtype(dtype), shape), seed=3)
                shuffle.append({"shape": shape, "dtype": dtype, "static_shape": static_shape(out),
                                "out_dtype": out.dtype.name, "op": [out.op.name, out.op.type]})
    multinomial_shapes = []
    for shape, count, dtype in MULTINOMIAL_SHAPES:
        with tf.Graph().as_default():
            logits = tf.placeholder(tf.float32, shape)
            num = tf.placeholder(tf.int32, []) if count is None else count
            out = tf.multinomial(logits, num, output_dtype=dtype and tf.as_dtype(dtype))
            multinomial_shapes.append({"shape": shape, "num_samples": count, "dtype": dtype,
                                       "static_shape": static_shape(out),
                                       "out_dtype": out.dtype.name, "op": out.op.name})
    with tf.Graph().as_default():
        tf.set_random_seed(SEED)
        out = tf.multinomial(tf.constant(MULTINOMIAL_LOGITS, tf.float32), MULTINOMIAL_SAMPLES)
        drawn = sample(tf, out)
    frequencies = [f32(np.bincount(row, minlength=len(MULTINOMIAL_LOGITS[0]))
                       / MULTINOMIAL_SAMPLES) for row in drawn]
    return {"shuffle": shuffle, "multinomial_shapes": multinomial_shapes,
            "multinomial_frequencies": frequencies}


def make_scopes(tf):
    layers = contrib_layers(tf)
    return {name: scenario(tf, layers) for name, scenario in SCENARIOS.items()}


def main():
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    golden = {
        "fills": make_fills(tf),
        "random": make_random(tf),
        "contrib": make_contrib(tf),
        "qr": make_qr(tf),
        "random_ops": make_random_ops(tf),
        "scopes": make_scopes(tf),
    }
    with open(OUT_PATH, "w") as out:
        json.dump(golden, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
