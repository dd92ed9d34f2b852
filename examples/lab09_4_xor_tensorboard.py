"""Lab 9-4 of "모두를 위한 딥러닝": the XOR net, watched in TensorBoard.

The two-layer XOR net, with ``tf.summary.histogram`` on its weights, biases and layer outputs
and ``tf.summary.scalar`` on the cost and the accuracy, merged by ``tf.summary.merge_all`` and
written each step by a ``tf.summary.FileWriter`` together with the graph. Then run
``tensorboard --logdir <the logdir printed>`` and open http://localhost:6006.
"""

import argparse
import tempfile

import numpy as np

import graphflow as tf

# The lecture's seed 777 starts graphflow's net in the XOR local minimum (two points stuck at
# 0.5, cost ln(2)/2); this seed starts it where Adam learns all four points.
SEED = 1

x_data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_data = np.array([[0], [1], [1], [0]], dtype=np.float32)


def main(logdir: str | None = None, steps: int = 10001, log_every: int = 100,
         seed: int = SEED) -> dict:
    """Trains the net for ``steps`` steps, writing summaries and the graph to ``logdir``
    (default: a new temporary directory)."""
    logdir = logdir or tempfile.mkdtemp(prefix="xor_logs_")
    tf.reset_default_graph()
    tf.set_random_seed(seed)  # for reproducibility

    X = tf.placeholder(tf.float32, [None, 2], name="x")
    Y = tf.placeholder(tf.float32, [None, 1], name="y")

    with tf.name_scope("Layer1"):
        W1 = tf.Variable(tf.random_normal([2, 2]), name="weight_1")
        b1 = tf.Variable(tf.random_normal([2]), name="bias_1")
        layer1 = tf.sigmoid(tf.matmul(X, W1) + b1)

        tf.summary.histogram("W1", W1)
        tf.summary.histogram("b1", b1)
        tf.summary.histogram("Layer1", layer1)

    with tf.name_scope("Layer2"):
        W2 = tf.Variable(tf.random_normal([2, 1]), name="weight_2")
        b2 = tf.Variable(tf.random_normal([1]), name="bias_2")
        hypothesis = tf.sigmoid(tf.matmul(layer1, W2) + b2)

        tf.summary.histogram("W2", W2)
        tf.summary.histogram("b2", b2)
        tf.summary.histogram("Hypothesis", hypothesis)

    # cost/loss function
    with tf.name_scope("Cost"):
        cost = -tf.reduce_mean(Y * tf.log(hypothesis) + (1 - Y) * tf.log(1 - hypothesis))
        tf.summary.scalar("Cost", cost)

    with tf.name_scope("Train"):
        train = tf.train.AdamOptimizer(learning_rate=0.01).minimize(cost)

    # Accuracy computation: True if hypothesis > 0.5 else False
    predicted = tf.cast(hypothesis > 0.5, dtype=tf.float32)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), dtype=tf.float32))
    tf.summary.scalar("accuracy", accuracy)

    # Launch graph
    with tf.Session() as sess:
        # tensorboard --logdir=<logdir>
        merged_summary = tf.summary.merge_all()
        writer = tf.summary.FileWriter(logdir)
        writer.add_graph(sess.graph)  # Show the graph

        # Initialize TensorFlow variables
        sess.run(tf.global_variables_initializer())

        costs, accuracies = [], []
        for step in range(steps):
            _, summary, cost_val, acc_val = sess.run(
                [train, merged_summary, cost, accuracy], feed_dict={X: x_data, Y: y_data})
            writer.add_summary(summary, global_step=step)
            costs.append(cost_val)
            accuracies.append(acc_val)
            if step % log_every == 0:
                print(step, cost_val)
        writer.close()

        # Accuracy report
        h, p, a = sess.run([hypothesis, predicted, accuracy], feed_dict={X: x_data, Y: y_data})
        print(f"\nHypothesis:\n{h} \nPredicted:\n{p} \nAccuracy:\n{a}")
    print(f"\nEvent files in {logdir}: run `tensorboard --logdir {logdir}`")
    return {"logdir": logdir, "costs": costs, "accuracies": accuracies, "accuracy": float(a)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logdir", default=None, help="where to write (default: a temp dir)")
    parser.add_argument("--steps", type=int, default=10001)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    main(args.logdir, args.steps, seed=args.seed)
