"""The benchmark workloads of issue 8, each written once as a TF1 program (run by graphflow or
by TensorFlow's ``compat.v1``, passed in as ``tf``) and once as hand-written NumPy doing the
same math in float32: forward pass and manual backprop.

Every workload takes its data and initial weights from a ``.npz`` file made by ``run.py``, so
all implementations start from the same numbers and their losses must agree. Each returns a
dict with ``build`` (seconds to build the graph), ``first`` (the first run), ``steps`` (seconds
per timed step) and ``losses``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np


def _timed(step: Callable[[], float], count: int) -> tuple[float, list[float], list[float]]:
    """(first-run seconds, per-step seconds, losses) of ``count`` calls after the first."""
    start = time.perf_counter()
    losses = [float(step())]
    first = time.perf_counter() - start
    times = []
    for _ in range(count):
        start = time.perf_counter()
        losses.append(float(step()))
        times.append(time.perf_counter() - start)
    return first, times, losses


# -- W1 tiny: lab 2's linear regression --------------------------------------------------------
def w1_tf(tf, data: dict, steps: int) -> dict:
    start = time.perf_counter()
    x_train, y_train = [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]
    W = tf.Variable(data["w1_W"], name="weight")
    b = tf.Variable(data["w1_b"], name="bias")
    hypothesis = x_train * W + b
    cost = tf.reduce_mean(tf.square(hypothesis - y_train))
    train = tf.train.GradientDescentOptimizer(learning_rate=0.01).minimize(cost)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    build = time.perf_counter() - start
    first, times, losses = _timed(lambda: sess.run([train, cost, W, b])[1], steps)
    return {"build": build, "first": first, "steps": times, "losses": losses}


def w1_numpy(data: dict, steps: int) -> dict:
    x = np.array([1.0, 2.0, 3.0], np.float32)
    y = x.copy()
    state = {"W": data["w1_W"].copy(), "b": data["w1_b"].copy()}
    lr = np.float32(0.01)

    def step() -> float:
        W, b = state["W"], state["b"]
        error = x * W + b - y
        cost = np.mean(np.square(error))
        grad = np.float32(2.0 / x.size) * error
        state["W"] = W - lr * np.sum(grad * x, keepdims=True).reshape(W.shape)
        state["b"] = b - lr * np.sum(grad, keepdims=True).reshape(b.shape)
        return cost

    first, times, losses = _timed(step, steps)
    return {"build": 0.0, "first": first, "steps": times, "losses": losses}


# -- W2 softmax regression on the digits, full batch --------------------------------------------
def w2_tf(tf, data: dict, steps: int) -> dict:
    start = time.perf_counter()
    X = tf.placeholder(tf.float32, [None, 64])
    Y = tf.placeholder(tf.float32, [None, 10])
    W = tf.Variable(data["w2_W"], name="weight")
    b = tf.Variable(data["w2_b"], name="bias")
    logits = tf.matmul(X, W) + b
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=logits))
    train = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(cost)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    build = time.perf_counter() - start
    feed = {X: data["digits_x"], Y: data["digits_y"]}
    first, times, losses = _timed(lambda: sess.run([train, cost], feed)[1], steps)
    return {"build": build, "first": first, "steps": times, "losses": losses}


def w2_numpy(data: dict, steps: int) -> dict:
    x, y = data["digits_x"], data["digits_y"]
    state = {"W": data["w2_W"].copy(), "b": data["w2_b"].copy()}
    lr, n = np.float32(0.1), np.float32(len(x))

    def step() -> float:
        logits = x @ state["W"] + state["b"]
        shifted = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        cost = np.mean(np.log(total)[:, 0] - (shifted * y).sum(axis=1))
        grad = (exp / total - y) / n
        state["W"] = state["W"] - lr * (x.T @ grad)
        state["b"] = state["b"] - lr * grad.sum(axis=0)
        return cost

    first, times, losses = _timed(step, steps)
    return {"build": 0.0, "first": first, "steps": times, "losses": losses}


# -- W3 784-256-256-10 ReLU MLP with Adam --------------------------------------------------------
def _batches(data: dict, steps: int) -> list[np.ndarray]:
    order = data["w3_order"]
    return [order[(i * 100) % len(order):(i * 100) % len(order) + 100] for i in range(steps + 1)]


def w3_tf(tf, data: dict, steps: int) -> dict:
    start = time.perf_counter()
    X = tf.placeholder(tf.float32, [None, 784])
    Y = tf.placeholder(tf.float32, [None, 10])
    W1, b1 = tf.Variable(data["w3_W1"]), tf.Variable(data["w3_b1"])
    W2, b2 = tf.Variable(data["w3_W2"]), tf.Variable(data["w3_b2"])
    W3, b3 = tf.Variable(data["w3_W3"]), tf.Variable(data["w3_b3"])
    L1 = tf.nn.relu(tf.matmul(X, W1) + b1)
    L2 = tf.nn.relu(tf.matmul(L1, W2) + b2)
    logits = tf.matmul(L2, W3) + b3
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=logits))
    train = tf.train.AdamOptimizer(learning_rate=1e-3).minimize(cost)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    build = time.perf_counter() - start
    batches = iter(_batches(data, steps))

    def step() -> float:
        index = next(batches)
        return sess.run([train, cost], {X: data["mlp_x"][index], Y: data["mlp_y"][index]})[1]

    first, times, losses = _timed(step, steps)
    return {"build": build, "first": first, "steps": times, "losses": losses}


def w3_numpy(data: dict, steps: int) -> dict:
    names = ["W1", "b1", "W2", "b2", "W3", "b3"]
    params = {k: data[f"w3_{k}"].copy() for k in names}
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    lr, beta1, beta2, eps = np.float32(1e-3), np.float32(0.9), np.float32(0.999), np.float32(1e-8)
    powers = {"beta1": np.float32(beta1), "beta2": np.float32(beta2)}
    batches = iter(_batches(data, steps))

    def step() -> float:
        index = next(batches)
        x, y = data["mlp_x"][index], data["mlp_y"][index]
        p = params
        h1 = np.maximum(x @ p["W1"] + p["b1"], 0)
        h2 = np.maximum(h1 @ p["W2"] + p["b2"], 0)
        logits = h2 @ p["W3"] + p["b3"]
        shifted = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        cost = np.mean(np.log(total)[:, 0] - (shifted * y).sum(axis=1))
        d3 = (exp / total - y) / np.float32(len(x))
        d2 = (d3 @ p["W3"].T) * (h2 > 0)
        d1 = (d2 @ p["W2"].T) * (h1 > 0)
        grads = {"W3": h2.T @ d3, "b3": d3.sum(0), "W2": h1.T @ d2, "b2": d2.sum(0),
                 "W1": x.T @ d1, "b1": d1.sum(0)}
        lr_t = lr * np.sqrt(1 - powers["beta2"]) / (1 - powers["beta1"])
        for k in names:
            m[k] += (grads[k] - m[k]) * (1 - beta1)
            v[k] += (grads[k] * grads[k] - v[k]) * (1 - beta2)
            p[k] = p[k] - lr_t * m[k] / (np.sqrt(v[k]) + eps)
        powers["beta1"] *= beta1
        powers["beta2"] *= beta2
        return cost

    first, times, losses = _timed(step, steps)
    return {"build": 0.0, "first": first, "steps": times, "losses": losses}


# -- W5 deep: a chain of 2,000 elementwise ops ----------------------------------------------------
CHAIN = 2000


def w5_tf(tf, data: dict, steps: int) -> dict:
    start = time.perf_counter()
    x = tf.placeholder(tf.float32, [100])
    y = x
    for i in range(CHAIN):
        y = tf.tanh(y) if i % 2 else y * 1.001
    build = time.perf_counter() - start
    sess = tf.Session()
    feed = {x: data["w5_x"]}
    first, times, losses = _timed(lambda: sess.run(y, feed).sum(), steps)
    start = time.perf_counter()
    grad = tf.gradients(tf.reduce_sum(y), x)[0]
    grad_build = time.perf_counter() - start
    _, grad_times, grad_losses = _timed(lambda: sess.run(grad, feed).sum(), steps)
    return {"build": build, "first": first, "steps": times, "losses": losses,
            "grad_build": grad_build, "grad_steps": grad_times, "grad_losses": grad_losses}


def w5_numpy(data: dict, steps: int) -> dict:
    x = data["w5_x"]
    factor = np.float32(1.001)

    def forward() -> float:
        y = x
        for i in range(CHAIN):
            y = np.tanh(y) if i % 2 else y * factor
        return y.sum()

    def gradient() -> float:
        values = [x]
        for i in range(CHAIN):
            values.append(np.tanh(values[-1]) if i % 2 else values[-1] * factor)
        grad = np.ones_like(x)
        for i in reversed(range(CHAIN)):
            grad = grad * (1 - values[i + 1] ** 2) if i % 2 else grad * factor
        return grad.sum()

    first, times, losses = _timed(forward, steps)
    _, grad_times, grad_losses = _timed(gradient, steps)
    return {"build": 0.0, "first": first, "steps": times, "losses": losses, "grad_build": 0.0,
            "grad_steps": grad_times, "grad_losses": grad_losses}


WORKLOADS = {
    "W1": (w1_tf, w1_numpy, 2000),
    "W2": (w2_tf, w2_numpy, 500),
    "W3": (w3_tf, w3_numpy, 300),
    "W5": (w5_tf, w5_numpy, 30),
}
