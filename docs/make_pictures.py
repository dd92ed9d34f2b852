"""Renders the pictures in docs/images: the visual grammar's legend and the graphs of a few
lecture labs. Run from the repository root: ``python docs/make_pictures.py [OUTPUT_DIR]``."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import graphflow as tf
from graphflow import viz


def linear_regression() -> dict:
    """Lab 2: H(x) = Wx + b with gradient descent."""
    x = tf.placeholder(tf.float32, [None], name="x")
    y = tf.placeholder(tf.float32, [None], name="y")
    W = tf.Variable(tf.random_normal([1]), name="weight")
    b = tf.Variable(tf.random_normal([1]), name="bias")
    hypothesis = x * W + b
    cost = tf.reduce_mean(tf.square(hypothesis - y), name="cost")
    train = tf.train.GradientDescentOptimizer(learning_rate=0.01).minimize(cost)
    return {"x": x, "y": y, "cost": cost, "train": train}


def xor_network() -> dict:
    """Lab 9: a 2-2-1 sigmoid network learning XOR."""
    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")
    with tf.name_scope("layer1"):
        W1 = tf.Variable(tf.random_normal([2, 2]), name="weight1")
        b1 = tf.Variable(tf.random_normal([2]), name="bias1")
        layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)
    with tf.name_scope("layer2"):
        W2 = tf.Variable(tf.random_normal([2, 1]), name="weight2")
        b2 = tf.Variable(tf.random_normal([1]), name="bias2")
        hypothesis = tf.sigmoid(tf.matmul(layer1, W2) + b2)
    with tf.name_scope("cost"):
        cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
    train = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(cost)
    return {"X": X, "Y": Y, "cost": cost, "train": train}


def cnn() -> dict:
    """Lab 11: two convolution + max-pool layers and a fully connected layer."""
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    X_img = tf.reshape(X, [-1, 28, 28, 1])
    with tf.name_scope("conv1"):
        W1 = tf.Variable(tf.random_normal([3, 3, 1, 32], stddev=0.01), name="W1")
        L1 = tf.nn.relu(tf.nn.conv2d(X_img, W1, strides=[1, 1, 1, 1], padding="SAME"))
        L1 = tf.nn.max_pool(L1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    with tf.name_scope("conv2"):
        W2 = tf.Variable(tf.random_normal([3, 3, 32, 64], stddev=0.01), name="W2")
        L2 = tf.nn.relu(tf.nn.conv2d(L1, W2, strides=[1, 1, 1, 1], padding="SAME"))
        L2 = tf.nn.max_pool(L2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    with tf.name_scope("fc"):
        W3 = tf.Variable(tf.random_normal([7 * 7 * 64, 10], stddev=0.01), name="W3")
        b = tf.Variable(tf.zeros([10]), name="b")
        logits = tf.matmul(tf.reshape(L2, [-1, 7 * 7 * 64]), W3) + b
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y),
                          name="cost")
    train = tf.train.AdamOptimizer(0.001).minimize(cost)
    return {"X": X, "Y": Y, "cost": cost, "train": train}


def mnist_network() -> dict:
    """Lab 10: a 784-256-10 ReLU network with softmax cross-entropy and gradient descent."""
    X = tf.placeholder(tf.float32, [None, 784], name="X")
    Y = tf.placeholder(tf.float32, [None, 10], name="Y")
    with tf.name_scope("layer1"):
        W1 = tf.Variable(tf.random_normal([784, 256], stddev=0.05), name="W1")
        b1 = tf.Variable(tf.zeros([256]), name="b1")
        L1 = tf.nn.relu(tf.matmul(X, W1) + b1)
    with tf.name_scope("layer2"):
        W2 = tf.Variable(tf.random_normal([256, 10], stddev=0.05), name="W2")
        b2 = tf.Variable(tf.zeros([10]), name="b2")
        logits = tf.matmul(L1, W2) + b2
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y),
                          name="cost")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
    return {"X": X, "Y": Y, "cost": cost, "train": train}


def input_pipeline() -> dict:
    """Lab 4-4: file names, lines, CSV columns and batches, each stage a queue that a
    QueueRunner's thread fills."""
    filename_queue = tf.train.string_input_producer(["data-01-test-score.csv"], shuffle=False,
                                                    name="filename_queue")
    key, value = tf.TextLineReader().read(filename_queue)
    xy = tf.decode_csv(value, record_defaults=[[0.], [0.], [0.], [0.]])
    x_batch, y_batch = tf.train.batch([xy[0:-1], xy[-1:]], batch_size=10)
    return {"x_batch": x_batch, "y_batch": y_batch}


def traced_step(out: Path) -> Path:
    """One training step of lab 10's network on a batch of 100, coloured by each op's time
    (on a busy machine, render it with ``OPENBLAS_NUM_THREADS=1``: see docs/profiling.md)."""
    tf.reset_default_graph()
    tf.set_random_seed(777)
    lab10 = mnist_network()
    rng = np.random.default_rng(0)
    feed = {lab10["X"]: rng.random((100, 784), np.float32),
            lab10["Y"]: np.eye(10, dtype=np.float32)[rng.integers(0, 10, 100)]}
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    for _ in range(5):  # warm up: the first runs pay for compiling the plans
        sess.run(lab10["train"], feed)
    traces = [tf.RunMetadata() for _ in range(5)]
    for run_metadata in traces:
        sess.run(lab10["train"], feed, run_metadata=run_metadata,
                 options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE))
    # The quickest of five runs: the one least disturbed by whatever else the machine did.
    quickest = min(traces, key=lambda run_metadata: sum(run_metadata.op_micros().values()))
    return Path(viz.render(lab10["train"], str(out / "lab10_cost_coloured.svg"), feed_dict=feed,
                           run_metadata=quickest))


def main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "legend.svg"]
    written[0].write_bytes(viz.legend().pipe(format="svg"))

    tf.reset_default_graph()
    tf.set_random_seed(777)
    lab2 = linear_regression()
    feed = {lab2["x"]: [1.0, 2.0, 3.0], lab2["y"]: [1.0, 2.0, 3.0]}
    written.append(Path(viz.render(None, str(out / "lab02_graph.svg"))))
    written.append(Path(viz.render(lab2["cost"], str(out / "lab02_cost.svg"), feed_dict=feed)))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    written.append(Path(viz.render(lab2["train"], str(out / "lab02_train_step.svg"),
                                   feed_dict=feed, session=sess)))

    tf.reset_default_graph()
    tf.set_random_seed(777)
    xor_network()
    written.append(Path(viz.render(None, str(out / "lab09_xor.svg"),
                                   collapse=["gradients", "GradientDescent"])))

    tf.reset_default_graph()
    input_pipeline()
    written.append(Path(viz.render(None, str(out / "input_pipeline.svg"))))

    tf.reset_default_graph()
    lab11 = cnn()
    written.append(Path(viz.render(lab11["cost"], str(out / "lab11_cnn.svg"))))

    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None], name="x")
    ratio = tf.divide(tf.log(x), x, name="ratio")
    total = tf.reduce_sum(ratio, name="total")
    written.append(Path(viz.render(total, str(out / "nan_marked.svg"),
                                   feed_dict={x: np.array([1.0, 2.0, -1.0], np.float32)},
                                   session=tf.Session())))
    written.append(traced_step(out))
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "images"
    for path in main(target):
        print("wrote", path)
