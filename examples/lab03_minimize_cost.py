"""Lab 3 of "모두를 위한 딥러닝": how gradient descent minimizes cost(W) for H(x) = Wx.

Three ways to take the same steps: the derivative written by hand and applied with
``W.assign``, the optimizer's ``minimize``, and ``compute_gradients``/``apply_gradients``
with the hand-written gradient printed next to the computed one.
"""

import argparse

import graphflow as tf


def main(steps: int = 21) -> dict:
    tf.reset_default_graph()
    tf.set_random_seed(777)
    x_data = [1, 2, 3]
    y_data = [1, 2, 3]

    # 1. The derivative by hand: W := W - learning_rate * mean((W * X - Y) * X)
    W = tf.Variable(tf.random_normal([1]), name="weight")
    X = tf.placeholder(tf.float32)
    Y = tf.placeholder(tf.float32)
    hypothesis = X * W
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    learning_rate = 0.1
    gradient = tf.reduce_mean((W * X - Y) * X)
    descent = W - learning_rate * gradient
    update = W.assign(descent)

    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    costs = []
    for step in range(steps):
        sess.run(update, feed_dict={X: x_data, Y: y_data})
        costs.append(float(sess.run(cost, feed_dict={X: x_data, Y: y_data})))
        print(step, costs[-1], sess.run(W))
    hand_W = float(sess.run(W)[0])

    # 2. The optimizer does the same, starting from W = 5.0.
    W = tf.Variable(5.0)
    hypothesis = X * W
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1)
    train = optimizer.minimize(cost)
    sess.run(tf.global_variables_initializer())
    for step in range(steps):
        print(step, sess.run(W))
        sess.run(train, feed_dict={X: x_data, Y: y_data})
    minimize_W = float(sess.run(W))

    # 3. compute_gradients / apply_gradients, with the hand-written gradient alongside.
    W = tf.Variable(5.0)
    hypothesis = X * W
    gradient = tf.reduce_mean((W * X - Y) * X) * 2
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.01)
    gvs = optimizer.compute_gradients(cost, [W])
    apply_gradients = optimizer.apply_gradients(gvs)
    sess.run(tf.global_variables_initializer())
    pairs = []
    for step in range(steps):
        gradient_val, W_val, gvs_val = sess.run([gradient, W, gvs],
                                                feed_dict={X: x_data, Y: y_data})
        print(step, [gradient_val, W_val, gvs_val])
        pairs.append((float(gradient_val), float(gvs_val[0][0])))
        sess.run(apply_gradients, feed_dict={X: x_data, Y: y_data})
    return {"costs": costs, "hand_W": hand_W, "minimize_W": minimize_W,
            "gradient_pairs": pairs}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=21)
    main(parser.parse_args().steps)
