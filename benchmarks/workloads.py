"""The benchmark workloads of issue 8, each written three times: once as a TF1 program (run by
graphflow or by TensorFlow's ``compat.v1``, passed in as ``tf``), once as hand-written NumPy
doing the same math in float32 (forward pass and manual backprop), and once as a compiled
``pytensor.function`` with ``updates=`` (PyTensor's autodiff, float32).

Every workload takes its data and initial weights from a ``.npz`` file made by ``run.py``, so
all implementations start from the same numbers and their losses must agree. Each returns a
dict with ``build`` (seconds to build the graph and Session; for PyTensor, the graph and
``pytensor.function``), ``first`` (the first run, in which graphflow compiles its plan and Numba
compiles PyTensor's function), ``steps`` (seconds per timed step) and ``losses``; W5 adds the
same for its gradient (``grad_build``, ``grad_first``, ``grad_steps``, ``grad_losses``).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8  # tf.train.AdamOptimizer's defaults


def _timed(step: Callable[[], float], count: int) -> tuple[float, list[float], list[float],
                                                         dict]:
    """(first-run seconds, per-step seconds, losses, memory) of ``count`` calls after the first.

    Under tracemalloc (``run.py``'s memory pass), memory holds ``peak``, the most traced until
    the steps end, and ``steps``, the most the steps held above what the first run left: the
    steps' own working memory, apart from the model's."""
    start = time.perf_counter()
    first_loss = float(step())
    first = time.perf_counter() - start
    losses, times = [first_loss] + [0.0] * count, [0.0] * count  # made now: not counted below
    tracing = tracemalloc.is_tracing()
    if tracing:
        settled, peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
    for i in range(count):
        start = time.perf_counter()
        losses[i + 1] = float(step())
        times[i] = time.perf_counter() - start
    memory = {}
    if tracing:
        steps_peak = tracemalloc.get_traced_memory()[1]
        memory = {"peak": max(peak, steps_peak), "steps": steps_peak - settled}
    return first, times, losses, memory


def _result(build: float, step: Callable[[], float], steps: int) -> dict:
    """Runs ``step`` once (the first run) and ``steps`` more times, each timed."""
    first, times, losses, memory = _timed(step, steps)
    return {"build": build, "first": first, "steps": times, "losses": losses, "memory": memory}


def _pytensor() -> tuple[Any, Any]:
    """``pytensor`` and ``pytensor.tensor``, with float32 as the default float type (so
    that Python constants do not promote the graph to float64)."""
    import pytensor
    import pytensor.tensor as pt

    pytensor.config.floatX = "float32"
    return pytensor, pt


def _softmax_xent(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy of one-hot ``labels`` and its gradient wrt ``logits``."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    cost = np.mean(np.log(total)[:, 0] - (shifted * labels).sum(axis=1))
    return cost, (exp / total - labels) / np.float32(len(logits))


def _pt_xent(pt: Any, logits: Any, labels: Any) -> Any:
    """The same loss as a PyTensor expression (its stable log-softmax)."""
    return -(labels * pt.special.log_softmax(logits, axis=1)).sum(axis=1).mean()


class _Adam:
    """tf.train.AdamOptimizer's update in NumPy float32: the step size from running powers of
    the betas, moments updated as ``m += (g - m) * (1 - beta1)``."""

    def __init__(self, params: dict[str, np.ndarray], learning_rate: float = 1e-3) -> None:
        self.params = params
        self.m = {k: np.zeros_like(p) for k, p in params.items()}
        self.v = {k: np.zeros_like(p) for k, p in params.items()}
        self.lr = np.float32(learning_rate)
        self.beta1, self.beta2 = np.float32(BETA1), np.float32(BETA2)
        self.powers = [self.beta1, self.beta2]

    def apply(self, grads: dict[str, np.ndarray]) -> None:
        beta1, beta2, eps = self.beta1, self.beta2, np.float32(EPSILON)
        lr_t = self.lr * np.sqrt(1 - self.powers[1]) / (1 - self.powers[0])
        for k, g in grads.items():
            m, v = self.m[k], self.v[k]
            m += (g - m) * (1 - beta1)
            v += (g * g - v) * (1 - beta2)
            self.params[k] = self.params[k] - lr_t * m / (np.sqrt(v) + eps)
        self.powers = [self.powers[0] * beta1, self.powers[1] * beta2]


def _pt_adam(pytensor: Any, pt: Any, cost: Any, params: list, learning_rate: float = 1e-3
             ) -> list[tuple[Any, Any]]:
    """The same Adam as ``updates=`` pairs for ``pytensor.function``."""
    shared = pytensor.shared
    power1, power2 = shared(np.float32(BETA1)), shared(np.float32(BETA2))
    lr_t = learning_rate * pt.sqrt(1 - power2) / (1 - power1)
    updates = [(power1, power1 * BETA1), (power2, power2 * BETA2)]
    for p, g in zip(params, pytensor.grad(cost, params)):
        m, v = shared(np.zeros_like(p.get_value())), shared(np.zeros_like(p.get_value()))
        m_new = m + (g - m) * (1 - BETA1)
        v_new = v + (g * g - v) * (1 - BETA2)
        updates += [(m, m_new), (v, v_new), (p, p - lr_t * m_new / (pt.sqrt(v_new) + EPSILON))]
    return updates


# -- W1 tiny: lab 2's linear regression --------------------------------------------------------
W1_X = [1.0, 2.0, 3.0]


def w1_tf(tf: Any, data: dict, steps: int) -> dict:
    start = time.perf_counter()
    x_train, y_train = W1_X, W1_X
    W = tf.Variable(data["w1_W"], name="weight")
    b = tf.Variable(data["w1_b"], name="bias")
    hypothesis = x_train * W + b
    cost = tf.reduce_mean(tf.square(hypothesis - y_train))
    train = tf.train.GradientDescentOptimizer(learning_rate=0.01).minimize(cost)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return _result(time.perf_counter() - start, lambda: sess.run([train, cost, W, b])[1], steps)


def w1_numpy(data: dict, steps: int) -> dict:
    x = np.array(W1_X, np.float32)
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

    return _result(0.0, step, steps)


def w1_pytensor(data: dict, steps: int) -> dict:
    pytensor, pt = _pytensor()
    start = time.perf_counter()
    x = np.array(W1_X, np.float32)
    W = pytensor.shared(data["w1_W"], "weight", shape=(1,))  # broadcasts against x
    b = pytensor.shared(data["w1_b"], "bias", shape=(1,))
    cost = pt.mean(pt.square(x * W + b - x))
    updates = [(p, p - 0.01 * g) for p, g in zip((W, b), pytensor.grad(cost, [W, b]))]
    train = pytensor.function([], [cost, W, b], updates=updates)
    return _result(time.perf_counter() - start, lambda: train()[0], steps)


# -- W2 softmax regression on the digits, full batch --------------------------------------------
def w2_tf(tf: Any, data: dict, steps: int) -> dict:
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
    feed = {X: data["digits_x"], Y: data["digits_y"]}
    return _result(time.perf_counter() - start, lambda: sess.run([train, cost], feed)[1], steps)


def w2_numpy(data: dict, steps: int) -> dict:
    x, y = data["digits_x"], data["digits_y"]
    state = {"W": data["w2_W"].copy(), "b": data["w2_b"].copy()}
    lr = np.float32(0.1)

    def step() -> float:
        cost, grad = _softmax_xent(x @ state["W"] + state["b"], y)
        state["W"] = state["W"] - lr * (x.T @ grad)
        state["b"] = state["b"] - lr * grad.sum(axis=0)
        return cost

    return _result(0.0, step, steps)


def w2_pytensor(data: dict, steps: int) -> dict:
    pytensor, pt = _pytensor()
    start = time.perf_counter()
    X, Y = pt.matrix("X"), pt.matrix("Y")
    W, b = pytensor.shared(data["w2_W"], "weight"), pytensor.shared(data["w2_b"], "bias")
    cost = _pt_xent(pt, X @ W + b, Y)
    updates = [(p, p - 0.1 * g) for p, g in zip((W, b), pytensor.grad(cost, [W, b]))]
    train = pytensor.function([X, Y], cost, updates=updates)
    return _result(time.perf_counter() - start,
                   lambda: train(data["digits_x"], data["digits_y"]), steps)


# -- W3 784-256-256-10 ReLU MLP with Adam --------------------------------------------------------
W3_PARAMS = ["W1", "b1", "W2", "b2", "W3", "b3"]


def _batches(data: dict) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
    """The next batch of 100 (images, labels) of the synthetic set, in a fixed order."""
    order, position = data["w3_order"], [0]

    def next_batch() -> tuple[np.ndarray, np.ndarray]:
        start = position[0] % len(order)
        position[0] += 100
        index = order[start:start + 100]
        return data["mlp_x"][index], data["mlp_y"][index]

    return next_batch


def w3_tf(tf: Any, data: dict, steps: int) -> dict:
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
    next_batch = _batches(data)

    def step() -> float:
        x, y = next_batch()
        return sess.run([train, cost], {X: x, Y: y})[1]

    return _result(time.perf_counter() - start, step, steps)


def w3_numpy(data: dict, steps: int) -> dict:
    adam = _Adam({k: data[f"w3_{k}"].copy() for k in W3_PARAMS})
    next_batch = _batches(data)

    def step() -> float:
        x, y = next_batch()
        p = adam.params
        h1 = np.maximum(x @ p["W1"] + p["b1"], 0)
        h2 = np.maximum(h1 @ p["W2"] + p["b2"], 0)
        cost, d3 = _softmax_xent(h2 @ p["W3"] + p["b3"], y)
        d2 = (d3 @ p["W3"].T) * (h2 > 0)
        d1 = (d2 @ p["W2"].T) * (h1 > 0)
        adam.apply({"W3": h2.T @ d3, "b3": d3.sum(0), "W2": h1.T @ d2, "b2": d2.sum(0),
                    "W1": x.T @ d1, "b1": d1.sum(0)})
        return cost

    return _result(0.0, step, steps)


def w3_pytensor(data: dict, steps: int) -> dict:
    pytensor, pt = _pytensor()
    start = time.perf_counter()
    X, Y = pt.matrix("X"), pt.matrix("Y")
    p = {k: pytensor.shared(data[f"w3_{k}"], k) for k in W3_PARAMS}
    L1 = pt.maximum(X @ p["W1"] + p["b1"], 0)
    L2 = pt.maximum(L1 @ p["W2"] + p["b2"], 0)
    cost = _pt_xent(pt, L2 @ p["W3"] + p["b3"], Y)
    train = pytensor.function([X, Y], cost,
                              updates=_pt_adam(pytensor, pt, cost, list(p.values())))
    next_batch = _batches(data)
    return _result(time.perf_counter() - start, lambda: train(*next_batch()), steps)


# -- W4 cnn: lab 11's CNN, one batch of 64 28x28x1 images, Adam ---------------------------------
W4_PARAMS = ["W1", "b1", "W2", "b2", "W3", "b3"]
W4_CONVS = (("W1", "b1"), ("W2", "b2"))


def w4_tf(tf: Any, data: dict, steps: int) -> dict:
    start = time.perf_counter()
    X = tf.placeholder(tf.float32, [None, 28, 28, 1])
    Y = tf.placeholder(tf.float32, [None, 10])
    var = {k: tf.Variable(data[f"w4_{k}"], name=k) for k in W4_PARAMS}
    layer = X
    for k, b in W4_CONVS:
        conv = tf.nn.conv2d(layer, var[k], [1, 1, 1, 1], "SAME")
        layer = tf.nn.relu(tf.nn.bias_add(conv, var[b]))
        layer = tf.nn.max_pool(layer, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    logits = tf.matmul(tf.reshape(layer, [-1, 7 * 7 * 64]), var["W3"]) + var["b3"]
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=logits))
    train = tf.train.AdamOptimizer(1e-3).minimize(cost)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    feed = {X: data["w4_images"], Y: data["w4_labels"]}
    return _result(time.perf_counter() - start, lambda: sess.run([train, cost], feed)[1], steps)


def _im2col(x: np.ndarray) -> np.ndarray:
    """[n*h*w, 9*c] rows of every 3x3 window of x padded by one (SAME, stride 1)."""
    n, h, w, c = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    windows = sliding_window_view(padded, (3, 3), axis=(1, 2))  # n, h, w, c, 3, 3
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(n * h * w, 9 * c)


def _col2im(cols: np.ndarray, shape: tuple) -> np.ndarray:
    """The adjoint of ``_im2col``: each window's rows added back at their offset."""
    n, h, w, c = shape
    cols = cols.reshape(n, h, w, 3, 3, c)
    padded = np.zeros((n, h + 2, w + 2, c), cols.dtype)
    for i in range(3):
        for j in range(3):
            padded[:, i:i + h, j:j + w] += cols[:, :, :, i, j]
    return padded[:, 1:-1, 1:-1]


def _pool(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2x2 max pooling of even-sized x: (pooled, where each window had its maximum)."""
    n, h, w, c = x.shape
    blocks = x.reshape(n, h // 2, 2, w // 2, 2, c)
    pooled = blocks.max(axis=(2, 4))
    return pooled, blocks == pooled[:, :, None, :, None]


def _unpool(grad: np.ndarray, at_max: np.ndarray) -> np.ndarray:
    """The pooling's gradient, routed to the maxima (a tie would share it: after a relu the
    tied windows are all-zero ones, whose gradient the relu stops anyway)."""
    n, h, w, c = grad.shape
    return (at_max * grad[:, :, None, :, None]).reshape(n, 2 * h, 2 * w, c)


def w4_numpy(data: dict, steps: int) -> dict:
    """im2col with one matrix product per convolution and per gradient, col2im over the nine
    kernel offsets, pooling by reshaping into 2x2 blocks: what a careful person writes."""
    adam = _Adam({k: data[f"w4_{k}"].copy() for k in W4_PARAMS})
    images, labels = data["w4_images"], data["w4_labels"]

    def step() -> float:
        w, saved, layer = adam.params, [], images
        for k, b in W4_CONVS:
            cols = _im2col(layer)
            pre = (cols @ w[k].reshape(-1, w[k].shape[3])).reshape(*layer.shape[:3], -1)
            pre += w[b]
            act = np.maximum(pre, 0)
            pooled, at_max = _pool(act)
            saved.append((layer.shape, cols, act, at_max))
            layer = pooled
        flat = layer.reshape(len(images), -1)
        cost, dlogits = _softmax_xent(flat @ w["W3"] + w["b3"], labels)
        grads = {"W3": flat.T @ dlogits, "b3": dlogits.sum(axis=0)}
        grad = (dlogits @ w["W3"].T).reshape(layer.shape)
        for (k, b), (shape, cols, act, at_max) in zip(reversed(W4_CONVS), reversed(saved)):
            dpre = (_unpool(grad, at_max) * (act > 0)).reshape(-1, act.shape[3])
            grads[k] = (cols.T @ dpre).reshape(w[k].shape)
            grads[b] = dpre.sum(axis=0)
            if k == "W2":
                grad = _col2im(dpre @ w[k].reshape(-1, w[k].shape[3]).T, shape)
        adam.apply(grads)
        return cost

    return _result(0.0, step, steps)


def w4_pytensor(data: dict, steps: int) -> dict:
    """PyTensor 3 has no conv2d or max-pool op, so this is the NumPy version's math as a
    graph: im2col from nine shifted slices, pooling by reshaping into 2x2 blocks; PyTensor
    derives the backprop."""
    pytensor, pt = _pytensor()
    start = time.perf_counter()
    X, Y = pt.tensor4("X"), pt.matrix("Y")
    p = {k: pytensor.shared(data[f"w4_{k}"], k) for k in W4_PARAMS}
    layer, (n, size) = X, data["w4_images"].shape[:2]
    for k, b in W4_CONVS:
        padded = pt.pad(layer, ((0, 0), (1, 1), (1, 1), (0, 0)))
        cols = pt.concatenate([padded[:, i:i + size, j:j + size] for i in range(3)
                               for j in range(3)], axis=3)
        channels = data[f"w4_{k}"].shape[3]
        pre = cols.reshape((n * size * size, -1)) @ p[k].reshape((-1, channels)) + p[b]
        act = pt.maximum(pre, 0).reshape((n, size, size, channels))
        size //= 2
        layer = act.reshape((n, size, 2, size, 2, -1)).max(axis=(2, 4))
    cost = _pt_xent(pt, layer.reshape((n, -1)) @ p["W3"] + p["b3"], Y)
    train = pytensor.function([X, Y], cost,
                              updates=_pt_adam(pytensor, pt, cost, list(p.values())))
    return _result(time.perf_counter() - start,
                   lambda: train(data["w4_images"], data["w4_labels"]), steps)


# -- W5 deep: a chain of 2,000 elementwise ops (``w5_chain`` in the data) -------------------------
def _chain(data: dict, x: Any, tanh: Callable[[Any], Any], factor: Any) -> Any:
    """The chain itself, for any of the three: alternately times ``factor`` and tanh."""
    y = x
    for i in range(int(data["w5_chain"])):
        y = tanh(y) if i % 2 else y * factor
    return y


def _with_gradient(result: dict, build: float, step: Callable[[], float], steps: int) -> dict:
    """``result`` with the gradient's build, first run, step times and losses added."""
    first, times, losses, memory = _timed(step, steps)
    both = {key: max(result["memory"][key], memory[key]) for key in memory}
    return {**result, "grad_build": build, "grad_first": first, "grad_steps": times,
            "grad_losses": losses, "memory": both}


def w5_tf(tf: Any, data: dict, steps: int) -> dict:
    start = time.perf_counter()
    x = tf.placeholder(tf.float32, [100])
    y = _chain(data, x, tf.tanh, 1.001)
    build = time.perf_counter() - start
    sess = tf.Session()
    feed = {x: data["w5_x"]}
    result = _result(build, lambda: sess.run(y, feed).sum(), steps)
    start = time.perf_counter()
    grad = tf.gradients(tf.reduce_sum(y), x)[0]
    return _with_gradient(result, time.perf_counter() - start,
                          lambda: sess.run(grad, feed).sum(), steps)


def w5_numpy(data: dict, steps: int) -> dict:
    x, factor = data["w5_x"], np.float32(1.001)

    def gradient() -> float:
        values = [x]
        for i in range(int(data["w5_chain"])):
            values.append(np.tanh(values[-1]) if i % 2 else values[-1] * factor)
        grad = np.ones_like(x)
        for i in reversed(range(len(values) - 1)):
            grad = grad * (1 - values[i + 1] ** 2) if i % 2 else grad * factor
        return grad.sum()

    result = _result(0.0, lambda: _chain(data, x, np.tanh, factor).sum(), steps)
    return _with_gradient(result, 0.0, gradient, steps)


def w5_pytensor(data: dict, steps: int) -> dict:
    """The forward chain only. PyTensor 3.0.7 does not compile the gradient of the 2,000-op
    chain: its rewrites merge the chain's 1,000 multiplications into one Mul of over 1,000
    inputs, past the 1,000-element tuple limit of its default Numba backend (after 1.5 minutes;
    with fusion or the Mul canonicalizer turned off, it had not compiled after 5)."""
    pytensor, pt = _pytensor()
    # the graph rewrites recurse along the chain, a few frames per op
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * int(data["w5_chain"])))
    start = time.perf_counter()
    x = pt.vector("x")
    forward = pytensor.function([x], _chain(data, x, pt.tanh, 1.001))
    return _result(time.perf_counter() - start, lambda: forward(data["w5_x"]).sum(), steps)


class Workload(NamedTuple):
    """One workload's three implementations and its number of timed steps."""

    tf: Callable[[Any, dict, int], dict]
    numpy: Callable[[dict, int], dict]
    pytensor: Callable[[dict, int], dict]
    steps: int


WORKLOADS = {
    "W1": Workload(w1_tf, w1_numpy, w1_pytensor, 2000),
    "W2": Workload(w2_tf, w2_numpy, w2_pytensor, 500),
    "W3": Workload(w3_tf, w3_numpy, w3_pytensor, 300),
    "W4": Workload(w4_tf, w4_numpy, w4_pytensor, 30),
    "W5": Workload(w5_tf, w5_numpy, w5_pytensor, 30),
}
