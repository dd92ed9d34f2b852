"""Lab 4 of "모두를 위한 딥러닝": linear regression with several input variables.

The same model of final exam scores four ways: one variable per quiz (x1 * w1 + x2 * w2 +
x3 * w3 + b), the matrix form H(X) = XW + b, the matrix form on data read from a CSV file
with ``numpy.loadtxt``, and on batches the graph reads from that file itself with TF1's queue
pipeline (lab 4-4: ``string_input_producer``, ``TextLineReader``, ``decode_csv``,
``tf.train.batch`` and queue-runner threads). The CSV (test scores generated with a fixed
seed, like the lecture's data-01-test-score.csv) is written into a temporary directory first.
"""

import argparse
import tempfile
from pathlib import Path

import numpy as np

import graphflow as tf


def write_test_scores(path: Path, rows: int = 25, seed: int = 0) -> None:
    """Writes ``rows`` lines of "EXAM1,EXAM2,EXAM3,FINAL": the final score is about
    0.35 * EXAM1 + 0.55 * EXAM2 + 1.1 * EXAM3, give or take a few points."""
    rng = np.random.RandomState(seed)
    exams = rng.randint(45, 101, size=(rows, 3))
    final = np.rint(exams @ [0.35, 0.55, 1.1] + rng.normal(0.0, 2.0, size=rows))
    np.savetxt(path, np.column_stack([exams, final]), fmt="%d", delimiter=",",
               header="EXAM1,EXAM2,EXAM3,FINAL")


def main(steps: int = 2001, log_every: int = 10, data_dir: str | None = None) -> dict:
    tf.reset_default_graph()
    tf.set_random_seed(777)  # for reproducibility
    results = {}

    # 1. One variable per input: x1 * w1 + x2 * w2 + x3 * w3 + b
    x1_data = [73., 93., 89., 96., 73.]
    x2_data = [80., 88., 91., 98., 66.]
    x3_data = [75., 93., 90., 100., 70.]
    y_data = [152., 185., 180., 196., 142.]

    # placeholders for a tensor that will be always fed.
    x1 = tf.placeholder(tf.float32)
    x2 = tf.placeholder(tf.float32)
    x3 = tf.placeholder(tf.float32)
    Y = tf.placeholder(tf.float32)

    w1 = tf.Variable(tf.random_normal([1]), name='weight1')
    w2 = tf.Variable(tf.random_normal([1]), name='weight2')
    w3 = tf.Variable(tf.random_normal([1]), name='weight3')
    b = tf.Variable(tf.random_normal([1]), name='bias')
    hypothesis = x1 * w1 + x2 * w2 + x3 * w3 + b
    print(hypothesis)

    # cost/loss function
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    # Minimize. Need a very small learning rate for this data set
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=1e-5)
    train = optimizer.minimize(cost)

    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    costs = []
    for step in range(steps):
        cost_val, hy_val, _ = sess.run([cost, hypothesis, train],
                                       feed_dict={x1: x1_data, x2: x2_data, x3: x3_data,
                                                  Y: y_data})
        costs.append(cost_val)
        if step % log_every == 0:
            print(step, "Cost: ", cost_val, "\nPrediction:\n", hy_val)
    results["variables"] = {"first_cost": float(costs[0]), "last_cost": float(costs[-1]),
                            "prediction": hy_val}

    # 2. The matrix form: H(X) = XW + b, one row per student
    x_data = [[73., 80., 75.],
              [93., 88., 93.],
              [89., 91., 90.],
              [96., 98., 100.],
              [73., 66., 70.]]
    y_data = [[152.], [185.], [180.], [196.], [142.]]

    X = tf.placeholder(tf.float32, shape=[None, 3])
    Y = tf.placeholder(tf.float32, shape=[None, 1])
    W = tf.Variable(tf.random_normal([3, 1]), name='weight')
    b = tf.Variable(tf.random_normal([1]), name='bias')
    hypothesis = tf.matmul(X, W) + b
    print(hypothesis)
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    train = tf.train.GradientDescentOptimizer(learning_rate=1e-5).minimize(cost)

    sess.run(tf.global_variables_initializer())
    costs = []
    for step in range(steps):
        cost_val, hy_val, _ = sess.run([cost, hypothesis, train],
                                       feed_dict={X: x_data, Y: y_data})
        costs.append(cost_val)
        if step % log_every == 0:
            print(step, "Cost: ", cost_val, "\nPrediction:\n", hy_val)
    results["matrix"] = {"first_cost": float(costs[0]), "last_cost": float(costs[-1]),
                         "prediction": hy_val}

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(data_dir or tmp) / "data-01-test-score.csv"
        write_test_scores(csv_path)
        results["file"] = from_file(sess, csv_path, X, Y, steps, log_every)
        results["reader"] = from_file_by_queues(sess, csv_path, X, Y, steps, log_every)
    sess.close()
    return results


def matrix_model(X: tf.Tensor, Y: tf.Tensor) -> tuple:
    """H(X) = XW + b with fresh random W and b, its cost, and a gradient-descent step."""
    W = tf.Variable(tf.random_normal([3, 1]), name='weight')
    b = tf.Variable(tf.random_normal([1]), name='bias')
    hypothesis = tf.matmul(X, W) + b
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    train = tf.train.GradientDescentOptimizer(learning_rate=1e-5).minimize(cost)
    return W, b, hypothesis, cost, train


def from_file(sess: tf.Session, csv_path: Path, X: tf.Tensor, Y: tf.Tensor, steps: int,
              log_every: int) -> dict:
    """Part 3: the matrix form on data loaded from the CSV file with ``numpy.loadtxt``."""
    xy = np.loadtxt(csv_path, delimiter=',', dtype=np.float32)
    x_data = xy[:, 0:-1]
    y_data = xy[:, [-1]]

    # Make sure the shape and data are OK
    print(x_data.shape, x_data, len(x_data))
    print(y_data.shape, y_data)

    W, b, hypothesis, cost, train = matrix_model(X, Y)

    sess.run(tf.global_variables_initializer())
    W_init, b_init = sess.run([W, b])
    costs = []
    for step in range(steps):
        cost_val, hy_val, _ = sess.run([cost, hypothesis, train],
                                       feed_dict={X: x_data, Y: y_data})
        costs.append(cost_val)
        if step % log_every == 0:
            print(step, "Cost: ", cost_val, "\nPrediction:\n", hy_val)

    # Ask my score
    your_score = sess.run(hypothesis, feed_dict={X: [[100, 70, 101]]})
    print("Your score will be ", your_score)
    other_scores = sess.run(hypothesis, feed_dict={X: [[60, 70, 110], [90, 100, 80]]})
    print("Other scores will be ", other_scores)
    return {"x_data": x_data, "y_data": y_data, "W_init": W_init, "b_init": b_init,
            "costs": np.array(costs), "W": sess.run(W), "b": sess.run(b),
            "your_score": your_score, "other_scores": other_scores}


def from_file_by_queues(sess: tf.Session, csv_path: Path, X: tf.Tensor, Y: tf.Tensor,
                        steps: int, log_every: int) -> dict:
    """Part 4 (lab 4-4): the same file read by the graph itself, in batches of 10 that
    queue-runner threads prepare while the loop trains."""
    filename_queue = tf.train.string_input_producer(
        [str(csv_path)], shuffle=False, name='filename_queue')

    reader = tf.TextLineReader(skip_header_lines=1)  # the file starts with a header line
    key, value = reader.read(filename_queue)

    # Default values, in case of empty columns. Also specifies the type of the
    # decoded result.
    record_defaults = [[0.], [0.], [0.], [0.]]
    xy = tf.decode_csv(value, record_defaults=record_defaults)

    # collect batches of csv in
    train_x_batch, train_y_batch = \
        tf.train.batch([xy[0:-1], xy[-1:]], batch_size=10)

    W, b, hypothesis, cost, train = matrix_model(X, Y)

    sess.run(tf.global_variables_initializer())
    W_init, b_init = sess.run([W, b])

    # Start populating the filename queue.
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)

    costs, x_batches = [], []
    for step in range(steps):
        x_batch, y_batch = sess.run([train_x_batch, train_y_batch])
        cost_val, hy_val, _ = sess.run(
            [cost, hypothesis, train], feed_dict={X: x_batch, Y: y_batch})
        costs.append(cost_val)
        x_batches.append(x_batch)
        if step % log_every == 0:
            print(step, "Cost: ", cost_val, "\nPrediction:\n", hy_val)

    coord.request_stop()
    coord.join(threads)
    return {"W_init": W_init, "b_init": b_init, "costs": np.array(costs),
            "x_batches": x_batches}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=2001)
    parser.add_argument("--data-dir", help="where to write the CSV (default: a temporary dir)")
    args = parser.parse_args()
    main(args.steps, data_dir=args.data_dir)
