"""Time one training step of lab 11's CNN in graphflow, in hand-written NumPy, and in
TensorFlow's ``compat.v1`` when it is importable.

The step: a batch of 64 images 28x28x1; conv 3x3x32 SAME + bias + relu + max-pool 2x2;
conv 3x3x64 SAME + bias + relu + max-pool 2x2; dense 3136 -> 10; mean softmax cross-entropy;
one Adam(1e-3) update of every variable. All three start from the same weights (a fixed NumPy
seed) and train on the same batch; their losses over the timed steps are printed side by side,
so a wrong implementation shows. The NumPy version is the reference a careful person would
write by hand: im2col with one matrix product per convolution and per gradient, col2im over the
nine kernel offsets, pooling by reshaping into 2x2 blocks.

Prints each contender's median seconds per step and the ratios graphflow/NumPy and
graphflow/TF1. Run it from the repository root, with TensorFlow's virtualenv for all three
(graphflow must be importable there: it needs ``networkx``) or any Python for the first two::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=. /path/to/tf-venv/bin/python \\
        benchmarks/conv_step.py [--rounds N]

By default every contender uses all cores. With ``OPENBLAS_NUM_THREADS=N`` set, NumPy's BLAS
(graphflow and the NumPy version) and TensorFlow's op pool all use N threads: on a machine
shared with other work, N=1 gives steadier figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from types import SimpleNamespace

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

BATCH, CLASSES, LEARNING_RATE = 64, 10, 1e-3
SHAPES = {"W1": (3, 3, 1, 32), "b1": (32,), "W2": (3, 3, 32, 64), "b2": (64,),
          "W3": (7 * 7 * 64, CLASSES), "b3": (CLASSES,)}


def initial_weights() -> dict:
    """Glorot-uniform kernels and small random biases, from a fixed seed."""
    rs = np.random.RandomState(0)
    weights = {}
    for name, shape in SHAPES.items():
        if len(shape) == 1:
            weights[name] = rs.uniform(-0.05, 0.05, shape).astype(np.float32)
        else:
            fan_in, fan_out = int(np.prod(shape[:-1])), shape[-1] * int(np.prod(shape[:-2]))
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            weights[name] = rs.uniform(-limit, limit, shape).astype(np.float32)
    return weights


def training_batch() -> tuple:
    rs = np.random.RandomState(1)
    images = rs.uniform(0, 1, (BATCH, 28, 28, 1)).astype(np.float32)
    labels = np.eye(CLASSES, dtype=np.float32)[rs.randint(0, CLASSES, BATCH)]
    return images, labels


# -- graphflow and TF1: the same program through the same API --------------------------------
def tf1_program(tf: SimpleNamespace, weights: dict, images: np.ndarray, labels: np.ndarray,
                config: object = None) -> Callable:
    """Builds lab 11's graph with the module ``tf`` (graphflow or TF1's API); returns a
    function running one training step (in a Session made with ``config``) and returning
    its loss."""
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    y = tf.placeholder(tf.float32, [None, CLASSES])
    var = {name: tf.Variable(value, name=name) for name, value in weights.items()}
    layer = x
    for k, b in (("W1", "b1"), ("W2", "b2")):
        conv = tf.nn.conv2d(layer, var[k], [1, 1, 1, 1], "SAME")
        layer = tf.nn.relu(tf.nn.bias_add(conv, var[b]))
        layer = tf.nn.max_pool(layer, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    logits = tf.matmul(tf.reshape(layer, [-1, 7 * 7 * 64]), var["W3"]) + var["b3"]
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(LEARNING_RATE).minimize(cost)
    sess = tf.Session(config=config)
    sess.run(tf.global_variables_initializer())
    feed = {x: images, y: labels}
    return lambda: sess.run([cost, train], feed)[0]


def graphflow_namespace() -> SimpleNamespace:
    """graphflow's TF1 API, with ``tf.nn`` completed from the op modules (the namespaces may
    not re-export every op yet)."""
    import graphflow
    from graphflow.ops import conv_ops, nn_ops

    nn = SimpleNamespace(conv2d=conv_ops.conv2d, max_pool=conv_ops.max_pool,
                         relu=nn_ops.relu, bias_add=nn_ops.bias_add,
                         softmax_cross_entropy_with_logits_v2=(
                             nn_ops.softmax_cross_entropy_with_logits_v2))
    names = ("placeholder", "float32", "Variable", "matmul", "reshape", "reduce_mean", "train",
             "Session", "global_variables_initializer")
    return SimpleNamespace(nn=nn, **{name: getattr(graphflow, name) for name in names})


def tensorflow_namespace() -> SimpleNamespace | None:
    try:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow.compat.v1 as tf
    except ImportError:
        return None
    tf.disable_v2_behavior()
    return tf


# -- hand-written NumPy ----------------------------------------------------------------------
class NumpyCNN:
    """The same network and Adam, written directly in NumPy (float32 throughout)."""

    def __init__(self, weights: dict, images: np.ndarray, labels: np.ndarray):
        self.w = {k: v.copy() for k, v in weights.items()}
        self.m = {k: np.zeros_like(v) for k, v in weights.items()}
        self.v = {k: np.zeros_like(v) for k, v in weights.items()}
        self.t = 0
        self.images, self.labels = images, labels

    @staticmethod
    def im2col(x: np.ndarray) -> np.ndarray:
        """[n*h*w, 9*c] rows of every 3x3 window of x padded by one (SAME, stride 1)."""
        n, h, w, c = x.shape
        padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
        windows = sliding_window_view(padded, (3, 3), axis=(1, 2))  # n, h, w, c, 3, 3
        return windows.transpose(0, 1, 2, 4, 5, 3).reshape(n * h * w, 9 * c)

    @staticmethod
    def col2im(cols: np.ndarray, shape: tuple) -> np.ndarray:
        n, h, w, c = shape
        cols = cols.reshape(n, h, w, 3, 3, c)
        padded = np.zeros((n, h + 2, w + 2, c), cols.dtype)
        for i in range(3):
            for j in range(3):
                padded[:, i:i + h, j:j + w] += cols[:, :, :, i, j]
        return padded[:, 1:-1, 1:-1]

    @staticmethod
    def pool(x: np.ndarray) -> tuple:
        """2x2 max pooling of even-sized x: (pooled, where each window had its maximum)."""
        n, h, w, c = x.shape
        blocks = x.reshape(n, h // 2, 2, w // 2, 2, c)
        pooled = blocks.max(axis=(2, 4))
        return pooled, blocks == pooled[:, :, None, :, None]

    @staticmethod
    def unpool(grad: np.ndarray, at_max: np.ndarray) -> np.ndarray:
        """The pooling's gradient, routed to the maxima (a tie would share it: after a relu
        the tied windows are all-zero ones, whose gradient the relu stops anyway)."""
        n, h, w, c = grad.shape
        return (at_max * grad[:, :, None, :, None]).reshape(n, 2 * h, 2 * w, c)

    def step(self) -> float:
        w, x = self.w, self.images
        saved, layer = [], x
        for k, b in (("W1", "b1"), ("W2", "b2")):
            cols = self.im2col(layer)
            pre = (cols @ w[k].reshape(-1, w[k].shape[3])).reshape(*layer.shape[:3], -1)
            pre += w[b]
            act = np.maximum(pre, 0)
            pooled, at_max = self.pool(act)
            saved.append((layer.shape, cols, act, at_max))
            layer = pooled
        flat = layer.reshape(BATCH, -1)
        logits = flat @ w["W3"] + w["b3"]
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = float(-(self.labels * log_probs).sum(axis=1).mean())
        grads = {}
        dlogits = (np.exp(log_probs) - self.labels) / np.float32(BATCH)
        grads["W3"], grads["b3"] = flat.T @ dlogits, dlogits.sum(axis=0)
        grad = (dlogits @ w["W3"].T).reshape(layer.shape)
        for (k, b), (shape, cols, act, at_max) in zip((("W2", "b2"), ("W1", "b1")),
                                                      reversed(saved)):
            dpre = self.unpool(grad, at_max) * (act > 0)
            dpre2 = dpre.reshape(-1, dpre.shape[3])
            grads[k] = (cols.T @ dpre2).reshape(w[k].shape)
            grads[b] = dpre2.sum(axis=0)
            if k == "W2":
                grad = self.col2im(dpre2 @ w[k].reshape(-1, w[k].shape[3]).T, shape)
        self.adam(grads)
        return loss

    def adam(self, grads: dict, beta1: float = 0.9, beta2: float = 0.999,
             epsilon: float = 1e-8) -> None:
        self.t += 1
        lr = np.float32(LEARNING_RATE * np.sqrt(1 - beta2 ** self.t) / (1 - beta1 ** self.t))
        for name, g in grads.items():
            self.m[name] += (1 - beta1) * (g - self.m[name])
            self.v[name] += (1 - beta2) * (g * g - self.v[name])
            self.w[name] -= lr * self.m[name] / (np.sqrt(self.v[name]) + epsilon)


# -- timing ----------------------------------------------------------------------------------
def timed(steps: dict, rounds: int, block: int = 5, warmup: int = 2) -> dict:
    """name -> (median seconds per step, losses of all steps). After ``warmup`` untimed steps
    each (plan compilation, first allocations), the contenders take turns, ``block`` steps
    each per round, so that a change in the machine's load hits them alike while one's idle
    worker threads (BLAS, TF's pool) have stopped spinning before the next one runs. Every
    contender runs the same steps from the same start, so the losses line up."""
    losses = {name: [float(step()) for _ in range(warmup)] for name, step in steps.items()}
    seconds: dict = {name: [] for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            for _ in range(block):
                start = time.perf_counter()
                losses[name].append(float(step()))
                seconds[name].append(time.perf_counter() - start)
    return {name: (statistics.median(seconds[name]), losses[name]) for name in steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=8,
                        help="rounds of 5 timed steps per contender")
    args = parser.parse_args()
    weights, (images, labels) = initial_weights(), training_batch()
    steps = {"graphflow": tf1_program(graphflow_namespace(), weights, images, labels),
             "numpy": NumpyCNN(weights, images, labels).step}
    tf = tensorflow_namespace()
    if tf is not None:
        threads = int(os.environ.get("OPENBLAS_NUM_THREADS", 0))  # 0: TF's default, all cores
        config = tf.ConfigProto(intra_op_parallelism_threads=threads,
                                inter_op_parallelism_threads=1 if threads else 0)
        steps["tf1"] = tf1_program(tf, weights, images, labels, config)
    results = timed(steps, args.rounds)
    print(f"lab-11 CNN training step, batch {BATCH}; {platform.processor() or platform.machine()}"
          f", {os.cpu_count()} CPUs, threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'all')}"
          f", NumPy {np.__version__}"
          + (f", TensorFlow {tf.__version__}" if tf is not None else ""))
    for name, (median, losses) in results.items():
        print(f"  {name:9s} median {median * 1e3:8.1f} ms/step   losses "
              + " ".join(f"{v:.4f}" for v in losses[:2] + losses[-1:]))
    gf = results["graphflow"][0]
    print(f"  graphflow/NumPy = {gf / results['numpy'][0]:.2f}")
    if "tf1" in results:
        print(f"  graphflow/TF1   = {gf / results['tf1'][0]:.2f}")


if __name__ == "__main__":
    main()
