"""Lab 9 of "모두를 위한 딥러닝": XOR, which one logistic unit cannot learn and a net can.

Logistic regression on the four XOR points stays at 50% accuracy; a two-layer net, a wide and
deep (four-layer) net, and the two-layer net trained by backpropagation written out by hand
(d_l2, d_b2, d_W2, ... with ``tf.matmul`` and ``tf.transpose``, applied with ``tf.assign``)
all learn it. The net trained by hand follows the same path as the one trained by
``minimize``: both start from the same seed, and the hand-derived gradients are the true ones.
"""

import argparse

import numpy as np

import graphflow as tf

# The lecture's seed 777 starts graphflow's 2-2-1 net in the well-known XOR local minimum
# (two points stuck at 0.5, as about three seeds in ten do); this seed starts it where it learns.
SEED = 773

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)


def train_and_report(X: tf.Tensor, Y: tf.Tensor, hypothesis: tf.Tensor, learning_rate: float,
                     steps: int, log_every: int) -> dict:
    """The lecture's loop: gradient descent on the cross-entropy cost of ``hypothesis``,
    printing the cost, then the hypothesis, the predictions and the accuracy on the four
    points."""
    # cost/loss function
    cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
    train = tf.train.GradientDescentOptimizer(learning_rate=learning_rate).minimize(cost)

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
        print("\nHypothesis: ", h, "\nCorrect: ", c, "\nAccuracy: ", a)
    return {"costs": [float(c) for c in costs], "first_cost": float(costs[0]),
            "last_cost": float(costs[-1]), "hypothesis": h,
            "predicted": c, "accuracy": float(a)}


def backprop_by_hand(X: tf.Tensor, Y: tf.Tensor, learning_rate: float, steps: int,
                     log_every: int) -> dict:
    """Lab 9-x: the two-layer net, with the gradients derived and applied by hand."""
    W1 = tf.Variable(tf.random_normal([2, 2]), name='weight1')
    b1 = tf.Variable(tf.random_normal([2]), name='bias1')
    l1 = tf.sigmoid(tf.matmul(X, W1) + b1)

    W2 = tf.Variable(tf.random_normal([2, 1]), name='weight2')
    b2 = tf.Variable(tf.random_normal([1]), name='bias2')
    Y_pred = tf.sigmoid(tf.matmul(l1, W2) + b2)

    # cost/loss function
    cost = -tf.reduce_mean(Y * tf.log(Y_pred) + (1 - Y) * tf.log(1 - Y_pred))

    # Network
    #          p1     a1           l1     p2     a2           l2 (y_pred)
    # X -> (*) -> (+) -> (sigmoid) -> (*) -> (+) -> (sigmoid) -> (loss)
    #       ^      ^                   ^      ^
    #       |      |                   |      |
    #       W1     b1                  W2     b2

    # Loss derivative
    d_Y_pred = (Y_pred - Y) / (Y_pred * (1.0 - Y_pred) + 1e-7)

    # Layer 2
    d_sigma2 = Y_pred * (1 - Y_pred)
    d_a2 = d_Y_pred * d_sigma2
    d_p2 = d_a2
    d_b2 = d_a2
    d_W2 = tf.matmul(tf.transpose(l1), d_p2)

    # Mean
    d_b2_mean = tf.reduce_mean(d_b2, axis=[0])
    d_W2_mean = d_W2 / tf.cast(tf.shape(l1)[0], dtype=tf.float32)

    # Layer 1
    d_l1 = tf.matmul(d_p2, tf.transpose(W2))
    d_sigma1 = l1 * (1 - l1)
    d_a1 = d_l1 * d_sigma1
    d_b1 = d_a1
    d_W1 = tf.matmul(tf.transpose(X), d_a1)

    # Mean
    d_W1_mean = d_W1 / tf.cast(tf.shape(X)[0], dtype=tf.float32)
    d_b1_mean = tf.reduce_mean(d_b1, axis=[0])

    # Weight update
    step = [
        tf.assign(W2, W2 - learning_rate * d_W2_mean),
        tf.assign(b2, b2 - learning_rate * d_b2_mean),
        tf.assign(W1, W1 - learning_rate * d_W1_mean),
        tf.assign(b1, b1 - learning_rate * d_b1_mean)
    ]

    # The same gradients from tf.gradients, to compare with
    by_hand = [d_W1_mean, d_b1_mean, d_W2_mean, d_b2_mean]
    automatic = tf.gradients(cost, [W1, b1, W2, b2])

    # Accuracy computation: True if hypothesis > 0.5 else False
    predicted = tf.cast(Y_pred > 0.5, dtype=tf.float32)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print("shape", sess.run(tf.shape(X)[0], feed_dict={X: x_data}))
        initial = sess.run([W1, b1, W2, b2])
        first_gradients = sess.run([by_hand, automatic], feed_dict={X: x_data, Y: y_data})
        costs = []
        for i in range(steps):
            _, cost_val = sess.run([step, cost], feed_dict={X: x_data, Y: y_data})
            costs.append(cost_val)
            if i % log_every == 0:
                print(i, sess.run([cost, d_W1], feed_dict={X: x_data, Y: y_data}),
                      sess.run([W1, W2]))

        # Accuracy report
        h, c, a = sess.run([Y_pred, predicted, accuracy], feed_dict={X: x_data, Y: y_data})
        print("\nHypothesis: ", h, "\nCorrect: ", c, "\nAccuracy: ", a)
    return {"costs": [float(c) for c in costs], "first_cost": float(costs[0]),
            "last_cost": float(costs[-1]), "hypothesis": h,
            "predicted": c, "accuracy": float(a), "initial": initial,
            "first_gradients": first_gradients}


def logistic_regression(X: tf.Tensor) -> tf.Tensor:
    """Lab 9-1: one logistic unit; one line cannot separate XOR."""
    W = tf.Variable(tf.random_normal([2, 1]), name='weight')
    b = tf.Variable(tf.random_normal([1]), name='bias')
    return tf.sigmoid(tf.matmul(X, W) + b)


def neural_net(X: tf.Tensor) -> tf.Tensor:
    """Lab 9-2: two layers; the hidden layer's two units make XOR linearly separable."""
    W1 = tf.Variable(tf.random_normal([2, 2]), name='weight1')
    b1 = tf.Variable(tf.random_normal([2]), name='bias1')
    layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)

    W2 = tf.Variable(tf.random_normal([2, 1]), name='weight2')
    b2 = tf.Variable(tf.random_normal([1]), name='bias2')
    return tf.sigmoid(tf.matmul(layer1, W2) + b2)


def wide_and_deep(X: tf.Tensor) -> tf.Tensor:
    """Lab 9-3: ten units per hidden layer, three hidden layers."""
    W1 = tf.Variable(tf.random_normal([2, 10]), name='weight1')
    b1 = tf.Variable(tf.random_normal([10]), name='bias1')
    layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)

    W2 = tf.Variable(tf.random_normal([10, 10]), name='weight2')
    b2 = tf.Variable(tf.random_normal([10]), name='bias2')
    layer2 = tf.sigmoid(tf.matmul(layer1, W2) + b2)

    W3 = tf.Variable(tf.random_normal([10, 10]), name='weight3')
    b3 = tf.Variable(tf.random_normal([10]), name='bias3')
    layer3 = tf.sigmoid(tf.matmul(layer2, W3) + b3)

    W4 = tf.Variable(tf.random_normal([10, 1]), name='weight4')
    b4 = tf.Variable(tf.random_normal([1]), name='bias4')
    return tf.sigmoid(tf.matmul(layer3, W4) + b4)


def main(steps: int = 10001, log_every: int = 1000, learning_rate: float = 0.1,
         seed: int = SEED) -> dict:
    results = {}
    models = {"logistic": logistic_regression, "nn": neural_net, "wide_deep": wide_and_deep,
              "backprop": None}
    for name, model in models.items():
        print(f"---------- {name} ----------")
        # Each is its own program in the lecture: a new graph with the same seed
        tf.reset_default_graph()
        tf.set_random_seed(seed)  # for reproducibility
        X = tf.placeholder(tf.float32, [None, 2])
        Y = tf.placeholder(tf.float32, [None, 1])
        if model is None:
            results[name] = backprop_by_hand(X, Y, learning_rate, steps, log_every)
        else:
            results[name] = train_and_report(X, Y, model(X), learning_rate, steps, log_every)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=10001)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    main(args.steps, learning_rate=args.learning_rate, seed=args.seed)
