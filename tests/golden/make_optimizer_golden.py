"""Generate golden values for graphflow's optimizers and learning-rate schedules.

Produces ``tests/golden/optimizers.json`` next to this script: the trajectories
(pre-update loss, W, b, global step), final slot values and Adam's beta-power
accumulators of real TensorFlow 1 optimizers (``tf.compat.v1.train``) on a small
fixed least-squares problem, plus the values of the TF1 learning-rate schedules
at global steps 0..30.

Real TensorFlow is only an oracle; graphflow never imports it and CI never runs
this script. Run it by hand, from the repository root, with a Python that has
TensorFlow installed::

    /path/to/tf-venv/bin/python tests/golden/make_optimizer_golden.py

Everything is deterministic: the inputs are float32 arrays drawn from
``np.random.RandomState(0)`` and every optimizer case starts from the same values.
"""

import inspect
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

STEPS = 10
SCHEDULE_STEPS = list(range(31))
# Constructor parameters that are not hyperparameters, left out of "optimizer_defaults".
EXCLUDED_PARAMS = ("use_locking", "name", "use_own_namescope_for_non_slot_vars")
OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizers.json")


def f32(value):
    """Round a scalar or array to float32 and return JSON-able Python floats.

    Uses the shortest decimal string that round-trips to the same float32.
    """
    arr = np.asarray(value, dtype=np.float32)
    if arr.ndim == 0:
        return float(str(arr[()]))
    return [f32(item) for item in arr]


def make_problem():
    rs = np.random.RandomState(0)
    x = rs.randn(4, 3).astype(np.float32)
    y = rs.randn(4, 2).astype(np.float32)
    w0 = (0.5 * rs.randn(3, 2)).astype(np.float32)
    b0 = (0.1 * rs.randn(2)).astype(np.float32)
    return {"W0": w0, "b0": b0, "X": x, "Y": y}


# (name, optimizer class, constructor kwargs, extra case options)
OPTIMIZER_CASES = [
    ("GradientDescent", "GradientDescentOptimizer", {"learning_rate": 0.1}, {}),
    (
        "GradientDescent_tensor_lr",
        "GradientDescentOptimizer",
        {"learning_rate": 0.1},
        {"learning_rate_is_tensor": True},
    ),
    ("Momentum", "MomentumOptimizer", {"learning_rate": 0.05, "momentum": 0.9}, {}),
    (
        "Momentum_nesterov",
        "MomentumOptimizer",
        {"learning_rate": 0.05, "momentum": 0.9, "use_nesterov": True},
        {},
    ),
    ("Adagrad", "AdagradOptimizer", {"learning_rate": 0.1}, {}),
    (
        "Adagrad_init_accum",
        "AdagradOptimizer",
        {"learning_rate": 0.3, "initial_accumulator_value": 0.5},
        {},
    ),
    ("Adadelta", "AdadeltaOptimizer", {"learning_rate": 1.0, "rho": 0.95, "epsilon": 1e-6}, {}),
    ("Adadelta_defaults", "AdadeltaOptimizer", {"learning_rate": 0.5}, {}),
    ("RMSProp", "RMSPropOptimizer", {"learning_rate": 0.01}, {}),
    ("RMSProp_momentum", "RMSPropOptimizer", {"learning_rate": 0.01, "momentum": 0.5}, {}),
    ("RMSProp_centered", "RMSPropOptimizer", {"learning_rate": 0.01, "centered": True}, {}),
    (
        "RMSProp_all",
        "RMSPropOptimizer",
        {"learning_rate": 0.01, "decay": 0.8, "momentum": 0.3, "centered": True, "epsilon": 1e-6},
        {},
    ),
    ("Adam", "AdamOptimizer", {"learning_rate": 0.01}, {}),
    (
        "Adam_custom",
        "AdamOptimizer",
        {"learning_rate": 0.1, "beta1": 0.5, "beta2": 0.9, "epsilon": 1e-7},
        {},
    ),
    ("Adam_global_step", "AdamOptimizer", {"learning_rate": 0.01}, {"use_global_step": True}),
]


def run_optimizer_case(problem, name, class_name, kwargs, options):
    tensor_lr = options.get("learning_rate_is_tensor", False)
    use_global_step = options.get("use_global_step", False)
    with tf.Graph().as_default():
        x = tf.constant(problem["X"], dtype=tf.float32)
        y = tf.constant(problem["Y"], dtype=tf.float32)
        w = tf.Variable(problem["W0"], dtype=tf.float32, name="W")
        b = tf.Variable(problem["b0"], dtype=tf.float32, name="b")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))

        ctor_kwargs = dict(kwargs)
        if tensor_lr:
            ctor_kwargs["learning_rate"] = tf.constant(kwargs["learning_rate"], dtype=tf.float32)
        opt = getattr(tf.train, class_name)(**ctor_kwargs)
        global_step = tf.train.get_or_create_global_step() if use_global_step else None
        train_op = opt.minimize(loss, global_step=global_step)

        losses, w_hist, b_hist, gs_hist = [], [], [], []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(STEPS):
                # Loss before the update, fetched in its own run: within one
                # sess.run TF1 does not order the loss read against the update.
                losses.append(f32(sess.run(loss)))
                sess.run(train_op)
                w_val, b_val = sess.run([w, b])
                w_hist.append(f32(w_val))
                b_hist.append(f32(b_val))
                if global_step is not None:
                    gs_hist.append(int(sess.run(global_step)))
            final_loss = f32(sess.run(loss))

            slots = {}
            for slot_name in sorted(opt.get_slot_names()):
                slots[slot_name] = {
                    "W": f32(sess.run(opt.get_slot(w, slot_name))),
                    "b": f32(sess.run(opt.get_slot(b, slot_name))),
                }
            non_slot = {}
            if hasattr(opt, "_get_beta_accumulators"):
                beta1_power, beta2_power = opt._get_beta_accumulators()
                non_slot["beta1_power"] = f32(sess.run(beta1_power))
                non_slot["beta2_power"] = f32(sess.run(beta2_power))

    case = {"name": name, "optimizer": class_name, "kwargs": dict(kwargs)}
    if tensor_lr:
        case["learning_rate_is_tensor"] = True
    case.update(
        {
            "steps": STEPS,
            "losses": losses,
            "final_loss": final_loss,
            "W": w_hist,
            "b": b_hist,
            "slots": slots,
            "non_slot": non_slot,
        }
    )
    if global_step is not None:
        case["global_step"] = gs_hist
    return case


# (name, function under tf.train, kwargs other than global_step)
SCHEDULE_CASES = [
    (
        "exponential_decay",
        "exponential_decay",
        {"learning_rate": 0.1, "decay_steps": 5, "decay_rate": 0.5, "staircase": False},
    ),
    (
        "exponential_decay_staircase",
        "exponential_decay",
        {"learning_rate": 0.1, "decay_steps": 5, "decay_rate": 0.5, "staircase": True},
    ),
    (
        "piecewise_constant",
        "piecewise_constant",
        {"boundaries": [5, 15], "values": [1.0, 0.5, 0.1]},
    ),
    (
        "polynomial_decay",
        "polynomial_decay",
        {"learning_rate": 0.1, "decay_steps": 20, "end_learning_rate": 0.01, "power": 1.0},
    ),
    (
        "polynomial_decay_power2",
        "polynomial_decay",
        {"learning_rate": 0.1, "decay_steps": 20, "end_learning_rate": 0.01, "power": 2.0},
    ),
    (
        "polynomial_decay_cycle",
        "polynomial_decay",
        {
            "learning_rate": 0.1,
            "decay_steps": 10,
            "end_learning_rate": 0.01,
            "power": 1.0,
            "cycle": True,
        },
    ),
    (
        "inverse_time_decay",
        "inverse_time_decay",
        {"learning_rate": 0.1, "decay_steps": 5, "decay_rate": 0.5, "staircase": False},
    ),
    (
        "inverse_time_decay_staircase",
        "inverse_time_decay",
        {"learning_rate": 0.1, "decay_steps": 5, "decay_rate": 0.5, "staircase": True},
    ),
]


def run_schedule_case(name, function, kwargs):
    with tf.Graph().as_default():
        global_step = tf.Variable(0, dtype=tf.int64, trainable=False, name="global_step")
        new_step = tf.placeholder(tf.int64, shape=[])
        assign = tf.assign(global_step, new_step)
        if function == "piecewise_constant":
            lr = tf.train.piecewise_constant(global_step, **kwargs)
        else:
            lr = getattr(tf.train, function)(global_step=global_step, **kwargs)
        values = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in SCHEDULE_STEPS:
                sess.run(assign, feed_dict={new_step: step})
                values.append(f32(sess.run(lr)))
    return {
        "name": name,
        "function": function,
        "kwargs": dict(kwargs),
        "steps": list(SCHEDULE_STEPS),
        "values": values,
    }


def optimizer_defaults():
    """The constructor defaults of the TF1 optimizers used, as TF reports them."""
    defaults = {}
    for class_name in sorted({case[1] for case in OPTIMIZER_CASES}):
        sig = inspect.signature(getattr(tf.train, class_name).__init__)
        defaults[class_name] = {
            p.name: p.default
            for p in sig.parameters.values()
            if p.default is not inspect.Parameter.empty and p.name not in EXCLUDED_PARAMS
        }
    return defaults


def main():
    problem = make_problem()
    fixture = {
        "tensorflow_version": tf.__version__,
        "generated_by": "tests/golden/make_optimizer_golden.py",
        "problem": {
            "loss": "reduce_mean(square(matmul(X, W) + b - Y))",
            "W0": f32(problem["W0"]),
            "b0": f32(problem["b0"]),
            "X": f32(problem["X"]),
            "Y": f32(problem["Y"]),
        },
        "optimizer_defaults": optimizer_defaults(),
        "cases": [run_optimizer_case(problem, *case) for case in OPTIMIZER_CASES],
        "schedules": [run_schedule_case(*case) for case in SCHEDULE_CASES],
    }
    with open(OUT_PATH, "w") as fh:
        json.dump(fixture, fh, indent=1)
        fh.write("\n")
    n_cases, n_schedules = len(fixture["cases"]), len(fixture["schedules"])
    print(f"wrote {OUT_PATH} ({n_cases} cases, {n_schedules} schedules)")


if __name__ == "__main__":
    main()
