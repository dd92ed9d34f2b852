"""Lab 6 of "모두를 위한 딥러닝": softmax classification into several classes.

First the eight-sample example with one-hot labels and the cross entropy written out,
-reduce_sum(Y * log(softmax)); then the "fancy" version on zoo-like data (101 animals, 16
features, 7 classes, generated with a fixed seed and written to a CSV file first) with integer
labels turned into one-hot by ``tf.one_hot`` + ``tf.reshape`` and the cost from
``tf.nn.softmax_cross_entropy_with_logits_v2``.
"""

import argparse
import tempfile
from pathlib import Path

import numpy as np

import graphflow as tf


def write_zoo(path: Path, seed: int = 0) -> None:
    """Writes 101 animals like the lecture's data-04-zoo.csv: 15 yes/no features and a number
    of legs (column 12), then the type 0 ~ 6. Each type has its own typical features, and each
    animal differs from its type's typical values in a feature with probability 1/10."""
    rng = np.random.RandomState(seed)
    counts = [41, 20, 5, 13, 4, 8, 10]
    typical = rng.randint(0, 2, size=(7, 16))
    typical[:, 12] = [4, 2, 0, 4, 0, 6, 0]  # legs
    y = np.repeat(np.arange(7), counts)
    x = typical[y]
    flip = rng.uniform(size=x.shape) < 0.1
    flip[:, 12] = False
    x = np.where(flip, 1 - x, x)
    order = rng.permutation(len(y))
    np.savetxt(path, np.column_stack([x, y])[order], fmt="%d", delimiter=",")


def main(steps: int = 2001, log_every: int = 200, data_dir: str | None = None) -> dict:
    tf.reset_default_graph()
    tf.set_random_seed(777)  # for reproducibility
    results = {}

    # 1. Eight samples of four features, three classes as one-hot rows
    x_data = [[1, 2, 1, 1], [2, 1, 3, 2], [3, 1, 3, 4], [4, 1, 5, 5],
              [1, 7, 5, 5], [1, 2, 5, 6], [1, 6, 6, 6], [1, 7, 7, 7]]
    y_data = [[0, 0, 1], [0, 0, 1], [0, 0, 1], [0, 1, 0],
              [0, 1, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0]]

    X = tf.placeholder("float", [None, 4])
    Y = tf.placeholder("float", [None, 3])
    nb_classes = 3

    W = tf.Variable(tf.random_normal([4, nb_classes]), name='weight')
    b = tf.Variable(tf.random_normal([nb_classes]), name='bias')

    # tf.nn.softmax computes softmax activations
    # softmax = exp(logits) / reduce_sum(exp(logits), dim)
    hypothesis = tf.nn.softmax(tf.matmul(X, W) + b)

    # Cross entropy cost/loss
    cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.log(hypothesis), axis=1))
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(cost)

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        costs = []
        for step in range(steps):
            _, cost_val = sess.run([optimizer, cost], feed_dict={X: x_data, Y: y_data})
            costs.append(cost_val)
            if step % log_every == 0:
                print(step, cost_val)

        print('--------------')
        # Testing & One-hot encoding
        a = sess.run(hypothesis, feed_dict={X: [[1, 11, 7, 9]]})
        print(a, sess.run(tf.argmax(a, 1)))

        print('--------------')
        b = sess.run(hypothesis, feed_dict={X: [[1, 3, 4, 3]]})
        print(b, sess.run(tf.argmax(b, 1)))

        print('--------------')
        c = sess.run(hypothesis, feed_dict={X: [[1, 1, 0, 1]]})
        print(c, sess.run(tf.argmax(c, 1)))

        print('--------------')
        all_ = sess.run(hypothesis, feed_dict={X: [[1, 11, 7, 9], [1, 3, 4, 3], [1, 1, 0, 1]]})
        all_classes = sess.run(tf.argmax(all_, 1))
        print(all_, all_classes)

        train_classes = sess.run(tf.argmax(hypothesis, 1), feed_dict={X: x_data})
    results["onehot"] = {"costs": [float(c) for c in costs],
                         "first_cost": float(costs[0]), "last_cost": float(costs[-1]),
                         "probabilities": all_, "classes": all_classes,
                         "train_classes": train_classes}

    # 2. Fancy softmax classifier: animals, labels 0 ~ 6 as integers in a CSV file
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(data_dir or tmp) / "data-04-zoo.csv"
        write_zoo(csv_path)
        xy = np.loadtxt(csv_path, delimiter=',', dtype=np.float32)
    x_data = xy[:, 0:-1]
    y_data = xy[:, [-1]]
    print(x_data.shape, y_data.shape)

    nb_classes = 7  # 0 ~ 6

    X = tf.placeholder(tf.float32, [None, 16])
    Y = tf.placeholder(tf.int32, [None, 1])  # 0 ~ 6

    Y_one_hot = tf.one_hot(Y, nb_classes)  # one hot
    print("one_hot:", Y_one_hot)
    Y_one_hot = tf.reshape(Y_one_hot, [-1, nb_classes])
    print("reshape one_hot:", Y_one_hot)

    W = tf.Variable(tf.random_normal([16, nb_classes]), name='weight')
    b = tf.Variable(tf.random_normal([nb_classes]), name='bias')

    # tf.nn.softmax computes softmax activations
    # softmax = exp(logits) / reduce_sum(exp(logits), dim)
    logits = tf.matmul(X, W) + b
    hypothesis = tf.nn.softmax(logits)

    # Cross entropy cost/loss
    cost_i = tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits,
                                                        labels=tf.stop_gradient([Y_one_hot]))
    cost = tf.reduce_mean(cost_i)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(cost)

    prediction = tf.argmax(hypothesis, 1)
    correct_prediction = tf.equal(prediction, tf.argmax(Y_one_hot, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        costs = []
        for step in range(steps):
            _, cost_val, acc_val = sess.run([optimizer, cost, accuracy],
                                            feed_dict={X: x_data, Y: y_data})
            costs.append(cost_val)
            if step % log_every == 0:
                print(f"Step: {step:5}\tCost: {cost_val:.3f}\tAcc: {acc_val:.2%}")

        # Let's see if we can predict
        pred, logits_val, cost_i_val = sess.run([prediction, logits, cost_i],
                                                feed_dict={X: x_data, Y: y_data})
        # y_data: (N,1) = flatten => (N, ) matches pred.shape
        for p, y in zip(pred, y_data.flatten()):
            print(f"[{p == int(y)}] Prediction: {p} True Y: {int(y)}")
    results["zoo"] = {"costs": [float(c) for c in costs],
                      "first_cost": float(costs[0]), "last_cost": float(costs[-1]),
                      "accuracy": float(acc_val), "prediction": pred, "y_data": y_data,
                      "logits": logits_val, "cost_i": cost_i_val,
                      "one_hot_shape": Y_one_hot.shape.as_list()}
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=2001)
    parser.add_argument("--data-dir", help="where to write the CSV (default: a temporary dir)")
    args = parser.parse_args()
    main(args.steps, data_dir=args.data_dir)
