"""The main job: the lecture's MNIST network (lab 10: ReLU, Xavier initialization, dropout,
Adam), trained on the bundled handwritten digits, with its graph and loss curve written out.

It is an ordinary TF1 program, written with ``import graphflow as tf``. The digits are
scikit-learn's 1,797 8x8 images laid out as 28x28 MNIST images, so the program is exactly the
lecture's. ``graphflow demo`` runs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

import graphflow as tf


def _progress(items: Iterable, total: int, description: str) -> Iterable:
    """tqdm's bar when tqdm is installed (the ``examples`` extra), else a plain text one."""
    try:
        from tqdm import tqdm
    except ImportError:
        return _text_progress(items, total, description)
    return tqdm(items, total=total, desc=description, leave=False)


def _text_progress(items: Iterable, total: int, description: str) -> Iterable:
    width = 30
    for done, item in enumerate(items, 1):
        yield item
        filled = width * done // total
        print(f"\r{description} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
              end="" if done < total else "\r" + " " * (width + len(description) + 20) + "\r",
              flush=True)


def build_model(learning_rate: float = 0.001) -> dict[str, Any]:
    """Lab 10's network: 784-512-512-512-512-10, ReLU, Xavier init, dropout, Adam."""
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")
    layer = X
    sizes = [784, 512, 512, 512, 512, 10]
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), 1):
        with tf.variable_scope(f"layer{i}"):
            W = tf.get_variable("W", shape=[fan_in, fan_out],
                                initializer=tf.contrib.layers.xavier_initializer())
            b = tf.Variable(tf.random_normal([fan_out]), name="bias")
            layer = tf.matmul(layer, W) + b
            if i < len(sizes) - 1:
                layer = tf.nn.dropout(tf.nn.relu(layer), keep_prob=keep_prob)
    hypothesis = layer
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=hypothesis,
                                                                     labels=Y), name="cost")
    train = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)
    correct = tf.equal(tf.argmax(hypothesis, 1), tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32), name="accuracy")
    return {"X": X, "Y": Y, "keep_prob": keep_prob, "cost": cost, "train": train,
            "accuracy": accuracy}


def run(out_dir: str | Path = "graphflow-demo", epochs: int = 15, batch_size: int = 100,
        seed: int = 777, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Trains the model, prints cost per epoch and the test accuracy, and writes
    ``graph.svg`` (the rendered graph) and ``loss.png`` (the loss curve) into ``out_dir``."""
    from graphflow.datasets import load_digits

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    mnist = load_digits(image_size=28, one_hot=True, seed=seed)
    model = build_model()
    log(f"Training lab 10's network on {mnist.train.num_examples} digits "
        f"({len(tf.get_default_graph().get_operations())} ops in the graph)")
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    losses, started = [], time.perf_counter()
    batches = max(mnist.train.num_examples // batch_size, 1)
    for epoch in range(epochs):
        total = 0.0
        for _ in _progress(range(batches), batches, f"Epoch {epoch + 1:2d}"):
            batch_xs, batch_ys = mnist.train.next_batch(batch_size)
            cost, _ = sess.run([model["cost"], model["train"]],
                               {model["X"]: batch_xs, model["Y"]: batch_ys,
                                model["keep_prob"]: 0.7})
            total += cost / batches
            losses.append(float(cost))
        log(f"Epoch: {epoch + 1:04d} cost = {total:.9f}")
    log(f"Learning finished in {time.perf_counter() - started:.1f} s")
    accuracy = float(sess.run(model["accuracy"], {model["X"]: mnist.test.images,
                                                  model["Y"]: mnist.test.labels,
                                                  model["keep_prob"]: 1.0}))
    log(f"Accuracy: {accuracy:.4f}")
    graph_path = _render_graph(out / "graph.svg", log)
    curve_path = _loss_curve(losses, out / "loss.png", batches)
    log(f"Wrote {graph_path} and {curve_path}")
    return {"accuracy": accuracy, "losses": losses, "graph": graph_path, "curve": curve_path}


def _render_graph(path: Path, log: Callable[[str], None]) -> str:
    """The default graph as SVG; without Graphviz's ``dot`` program, its DOT source instead."""
    import graphviz

    try:
        return tf.viz.render(None, str(path))
    except graphviz.ExecutableNotFound:
        source = path.with_suffix(".gv")
        source.write_text(tf.viz.to_dot().source, encoding="utf-8")
        log("Graphviz's dot program is missing (Debian: apt-get install graphviz): "
            f"wrote the DOT source {source} instead of {path.name}")
        return str(source)


def _loss_curve(losses: list[float], path: Path, per_epoch: int) -> str:
    """The training loss per step (and its per-epoch mean) as a PNG, with matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4))
    steps = np.arange(1, len(losses) + 1)
    axes.plot(steps, losses, color="#93c5fd", linewidth=0.8, label="batch cost")
    epochs = np.array(losses[: len(losses) // per_epoch * per_epoch]).reshape(-1, per_epoch)
    axes.plot(np.arange(1, len(epochs) + 1) * per_epoch, epochs.mean(axis=1), "o-",
              color="#1d4ed8", label="epoch mean")
    axes.set_xlabel("training step")
    axes.set_ylabel("softmax cross-entropy")
    axes.set_yscale("log")
    axes.set_title("graphflow demo: lab 10 on the bundled digits")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return str(path)
