"""Lab 2 of "모두를 위한 딥러닝": linear regression H(x) = Wx + b with gradient descent.

First on fixed Python lists, then with placeholders fed at run time, as the lecture does.
"""

import argparse

import graphflow as tf


def main(steps: int = 2001, log_every: int = 20) -> dict:
    tf.reset_default_graph()
    tf.set_random_seed(777)  # for reproducibility

    # X and Y data
    x_train = [1, 2, 3]
    y_train = [1, 2, 3]

    W = tf.Variable(tf.random_normal([1]), name="weight")
    b = tf.Variable(tf.random_normal([1]), name="bias")

    # Our hypothesis XW+b
    hypothesis = x_train * W + b

    # cost/loss function
    cost = tf.reduce_mean(tf.square(hypothesis - y_train))

    # Minimize
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.01)
    train = optimizer.minimize(cost)

    # Launch the graph in a session.
    sess = tf.Session()
    # Initializes global variables in the graph.
    sess.run(tf.global_variables_initializer())

    costs = []
    for step in range(steps):
        _, cost_val, W_val, b_val = sess.run([train, cost, W, b])
        costs.append(float(cost_val))
        if step % log_every == 0:
            print(step, cost_val, W_val, b_val)

    # Now with placeholders: the same model, data fed when it runs.
    X = tf.placeholder(tf.float32, shape=[None])
    Y = tf.placeholder(tf.float32, shape=[None])
    hypothesis = X * W + b
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    train = tf.train.GradientDescentOptimizer(learning_rate=0.01).minimize(cost)
    for step in range(steps):
        _, cost_val, W_val, b_val = sess.run(
            [train, cost, W, b],
            feed_dict={X: [1, 2, 3, 4, 5], Y: [2.1, 3.1, 4.1, 5.1, 6.1]})
        if step % log_every == 0:
            print(step, cost_val, W_val, b_val)

    # Testing our model
    predictions = sess.run(hypothesis, feed_dict={X: [5, 2.5, 1.5, 3.5]})
    print(predictions)
    return {"costs": costs, "first_cost": costs[0], "last_cost": float(cost_val),
            "W": float(W_val[0]), "b": float(b_val[0]), "predictions": predictions}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=2001)
    main(parser.parse_args().steps)
