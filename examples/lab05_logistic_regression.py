"""Lab 5 of "모두를 위한 딥러닝": logistic regression (binary classification).

H(X) = sigmoid(XW + b) with the cross-entropy cost, first on six points in the plane, then on a
diabetes-like CSV file read with ``numpy.loadtxt`` (759 patients, eight measurements scaled to
[-1, 1], and whether the disease progressed). The example generates that CSV with a fixed seed
and writes it into a temporary directory first.
"""

import argparse
import tempfile
from pathlib import Path

import numpy as np

import graphflow as tf


def write_diabetes(path: Path, rows: int = 759, seed: int = 0) -> None:
    """Writes ``rows`` lines of eight features in [-1, 1] and a 0/1 label drawn from a logistic
    model of those features, so about three in four labels are predictable from the features."""
    rng = np.random.RandomState(seed)
    x = rng.uniform(-1.0, 1.0, size=(rows, 8))
    logit = x @ [-1.0, -2.5, -0.3, 0.2, -0.3, -1.5, -0.6, 0.1] + 0.6
    y = rng.uniform(size=rows) < 1.0 / (1.0 + np.exp(-logit))
    np.savetxt(path, np.column_stack([x, y]), fmt="%.6f", delimiter=",")


def main(steps: int = 10001, log_every: int = 200, data_dir: str | None = None) -> dict:
    tf.reset_default_graph()
    tf.set_random_seed(777)  # for reproducibility
    results = {}

    # 1. Six points: y is 1 when the first coordinate is large
    x_data = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]]
    y_data = [[0], [0], [0], [1], [1], [1]]

    # placeholders for a tensor that will be always fed.
    X = tf.placeholder(tf.float32, shape=[None, 2])
    Y = tf.placeholder(tf.float32, shape=[None, 1])
    W = tf.Variable(tf.random_normal([2, 1]), name='weight')
    b = tf.Variable(tf.random_normal([1]), name='bias')

    # Hypothesis using sigmoid: tf.div(1., 1. + tf.exp(tf.matmul(X, W)))
    hypothesis = tf.sigmoid(tf.matmul(X, W) + b)
    # cost/loss function
    cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
    train = tf.train.GradientDescentOptimizer(learning_rate=0.01).minimize(cost)

    # Accuracy computation: True if hypothesis > 0.5 else False
    predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        costs = []
        for step in range(steps):
            cost_val, _ = sess.run([cost, train], feed_dict={X: x_data, Y: y_data})
            costs.append(cost_val)
            if step % log_every == 0:
                print(step, cost_val)

        # Accuracy report
        h, c, a = sess.run([hypothesis, predicted, accuracy], feed_dict={X: x_data, Y: y_data})
        print("\nHypothesis: ", h, "\nCorrect (Y): ", c, "\nAccuracy: ", a)
    results["points"] = {"costs": [float(c) for c in costs],
                         "first_cost": float(costs[0]), "last_cost": float(costs[-1]),
                         "hypothesis": h, "predicted": c, "accuracy": float(a)}

    # 2. Diabetes: eight features from a CSV file
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(data_dir or tmp) / "data-03-diabetes.csv"
        write_diabetes(csv_path)
        xy = np.loadtxt(csv_path, delimiter=',', dtype=np.float32)
    x_data = xy[:, 0:-1]
    y_data = xy[:, [-1]]
    print(x_data.shape, y_data.shape)

    X = tf.placeholder(tf.float32, shape=[None, 8])
    Y = tf.placeholder(tf.float32, shape=[None, 1])
    W = tf.Variable(tf.random_normal([8, 1]), name='weight')
    b = tf.Variable(tf.random_normal([1]), name='bias')
    hypothesis = tf.sigmoid(tf.matmul(X, W) + b)
    cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
    train = tf.train.GradientDescentOptimizer(learning_rate=0.01).minimize(cost)
    predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        costs = []
        for step in range(steps):
            cost_val, _ = sess.run([cost, train], feed_dict={X: x_data, Y: y_data})
            costs.append(cost_val)
            if step % log_every == 0:
                print(step, cost_val)

        h, c, a = sess.run([hypothesis, predicted, accuracy], feed_dict={X: x_data, Y: y_data})
        print("\nHypothesis: ", h, "\nCorrect (Y): ", c, "\nAccuracy: ", a)
        W_val, b_val = sess.run([W, b])
    results["diabetes"] = {"costs": [float(c) for c in costs],
                           "x_data": x_data, "y_data": y_data, "first_cost": float(costs[0]),
                           "last_cost": float(costs[-1]), "W": W_val, "b": b_val,
                           "hypothesis": h, "accuracy": float(a)}
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=10001)
    parser.add_argument("--data-dir", help="where to write the CSV (default: a temporary dir)")
    args = parser.parse_args()
    main(args.steps, data_dir=args.data_dir)
