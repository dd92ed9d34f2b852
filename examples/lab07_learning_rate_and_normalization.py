"""Lab 7 of "모두를 위한 딥러닝": learning rate, evaluation on test data, and normalization.

A softmax classifier trained on a training set and evaluated on a separate test set, with a
learning rate that is too large (the cost overflows to nan), too small (nothing is learned) and
about right; then linear regression on stock prices whose volume column is a million times
larger than the prices: gradient descent blows up on the raw data and works once each column is
MinMax-scaled to [0, 1].
"""

import argparse

import numpy as np

import graphflow as tf


def softmax_with_learning_rate(learning_rate: float, steps: int, log_every: int) -> dict:
    """Lab 7-1: trains on x_data/y_data with ``learning_rate``, then predicts x_test."""
    x_data = [[1, 2, 1], [1, 3, 2], [1, 3, 4], [1, 5, 5],
              [1, 7, 5], [1, 2, 5], [1, 6, 6], [1, 7, 7]]
    y_data = [[0, 0, 1], [0, 0, 1], [0, 0, 1], [0, 1, 0],
              [0, 1, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0]]

    # Evaluation our model using this test dataset
    x_test = [[2, 1, 1], [3, 1, 2], [3, 3, 4]]
    y_test = [[0, 0, 1], [0, 0, 1], [0, 0, 1]]

    X = tf.placeholder("float", [None, 3])
    Y = tf.placeholder("float", [None, 3])
    W = tf.Variable(tf.random_normal([3, 3]))
    b = tf.Variable(tf.random_normal([3]))

    # tf.nn.softmax computes softmax activations
    # softmax = exp(logits) / reduce_sum(exp(logits), dim)
    hypothesis = tf.nn.softmax(tf.matmul(X, W) + b)
    # Cross entropy cost/loss
    cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.log(hypothesis), axis=1))
    # Try to change learning_rate to small numbers
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(cost)

    # Correct prediction Test model
    prediction = tf.argmax(hypothesis, 1)
    is_correct = tf.equal(prediction, tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(is_correct, tf.float32))

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        W_init = sess.run(W)
        costs = []
        for step in range(steps):
            cost_val, W_val, _ = sess.run([cost, W, optimizer], feed_dict={X: x_data, Y: y_data})
            costs.append(cost_val)
            if step % log_every == 0:
                print(step, cost_val, W_val)

        # predict
        predicted = sess.run(prediction, feed_dict={X: x_test})
        print("Prediction:", predicted)
        # Calculate the accuracy
        test_accuracy = sess.run(accuracy, feed_dict={X: x_test, Y: y_test})
        print("Accuracy: ", test_accuracy)
        W_final = sess.run(W)
    return {"costs": np.array(costs), "W_init": W_init, "W": W_final, "prediction": predicted,
            "accuracy": float(test_accuracy)}


def MinMaxScaler(data: np.ndarray) -> np.ndarray:
    """Scales each column to [0, 1]."""
    numerator = data - np.min(data, 0)
    denominator = np.max(data, 0) - np.min(data, 0)
    # noise term prevents the zero division
    return numerator / (denominator + 1e-7)


def stock_regression(xy: np.ndarray, steps: int, log_every: int) -> dict:
    """Lab 7-2: linear regression of the closing price on open, high, volume and low."""
    x_data = xy[:, 0:-1]
    y_data = xy[:, [-1]]

    # placeholders for a tensor that will be always fed.
    X = tf.placeholder(tf.float32, shape=[None, 4])
    Y = tf.placeholder(tf.float32, shape=[None, 1])
    W = tf.Variable(tf.random_normal([4, 1]), name='weight')
    b = tf.Variable(tf.random_normal([1]), name='bias')

    # Hypothesis
    hypothesis = tf.matmul(X, W) + b
    # Simplified cost/loss function
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    # Minimize
    train = tf.train.GradientDescentOptimizer(learning_rate=1e-5).minimize(cost)

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        costs = []
        for step in range(steps):
            cost_val, hy_val, _ = sess.run([cost, hypothesis, train],
                                           feed_dict={X: x_data, Y: y_data})
            costs.append(cost_val)
            if step % log_every == 0:
                print(step, "Cost: ", cost_val, "\nPrediction:\n", hy_val)
    return {"costs": np.array(costs), "prediction": hy_val}


def main(steps: int = 201, log_every: int = 20) -> dict:
    tf.reset_default_graph()
    tf.set_random_seed(777)  # for reproducibility
    results = {}

    # 1. Learning rate: too big, too small, and about right; evaluated on the test data
    for label, learning_rate in [("big", 1.5), ("small", 1e-10), ("good", 0.1)]:
        print(f"---------- learning_rate={learning_rate} ----------")
        results[label] = softmax_with_learning_rate(learning_rate, steps, log_every)

    # 2. Normalized inputs: prices near 800 and a volume near 1,000,000
    xy = np.array([[828.659973, 833.450012, 908100, 828.349976, 831.659973],
                   [823.02002, 828.070007, 1828100, 821.655029, 828.070007],
                   [819.929993, 824.400024, 1438100, 818.97998, 824.159973],
                   [816, 820.958984, 1008100, 815.48999, 819.23999],
                   [819.359985, 823, 1188100, 818.469971, 818.97998],
                   [819, 823, 1198100, 816, 820.450012],
                   [811.700012, 815.25, 1098100, 809.780029, 813.669983],
                   [809.51001, 816.659973, 1398100, 804.539978, 809.559998]])
    print("---------- raw data ----------")
    results["raw"] = stock_regression(xy, steps, log_every)

    # very important. It does not work without it.
    xy = MinMaxScaler(xy)
    print(xy)
    print("---------- MinMax-scaled data ----------")
    results["scaled"] = stock_regression(xy, steps, log_every)
    results["scaled_xy"] = xy
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=201)
    main(parser.parse_args().steps)
