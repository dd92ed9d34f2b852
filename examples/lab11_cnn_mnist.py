"""Lab 11 of "모두를 위한 딥러닝": a convolutional network for handwritten digits.

Two convolution + max-pool layers and a fully connected layer, written twice as the lecture
does: with the raw ops (``tf.nn.conv2d``, ``tf.nn.max_pool``) and with ``tf.layers``. The data
is MNIST-shaped (28x28): the lecture's ``input_data.read_data_sets`` reads (or downloads) MNIST
and, with ``source="auto"``, serves the bundled digits when that fails; ``source="digits"``
always serves the digits (see docs/datasets.md).
"""

import argparse

import graphflow as tf
from graphflow.examples.tutorials.mnist import input_data


def raw_ops_model(X, Y, keep_prob, learning_rate: float) -> dict:
    """Lab 11-2: conv 3x3x32, pool, conv 3x3x64, pool, fully connected 3136 -> 10."""
    X_img = tf.reshape(X, [-1, 28, 28, 1])  # img 28x28x1 (black/white)

    # L1 ImgIn shape=(?, 28, 28, 1)
    W1 = tf.Variable(tf.random_normal([3, 3, 1, 32], stddev=0.01))
    #    Conv     -> (?, 28, 28, 32)
    #    Pool     -> (?, 14, 14, 32)
    L1 = tf.nn.conv2d(X_img, W1, strides=[1, 1, 1, 1], padding='SAME')
    L1 = tf.nn.relu(L1)
    L1 = tf.nn.max_pool(L1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')
    L1 = tf.nn.dropout(L1, keep_prob=keep_prob)

    # L2 ImgIn shape=(?, 14, 14, 32)
    W2 = tf.Variable(tf.random_normal([3, 3, 32, 64], stddev=0.01))
    #    Conv      ->(?, 14, 14, 64)
    #    Pool      ->(?, 7, 7, 64)
    L2 = tf.nn.conv2d(L1, W2, strides=[1, 1, 1, 1], padding='SAME')
    L2 = tf.nn.relu(L2)
    L2 = tf.nn.max_pool(L2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')
    L2_flat = tf.reshape(L2, [-1, 7 * 7 * 64])
    print(L2_flat)

    # Final FC 7x7x64 inputs -> 10 outputs
    W3 = tf.get_variable("W3", shape=[7 * 7 * 64, 10],
                         initializer=tf.contrib.layers.xavier_initializer())
    b = tf.Variable(tf.random_normal([10]))
    logits = tf.matmul(L2_flat, W3) + b
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
    optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)
    return {"logits": logits, "cost": cost, "optimizer": optimizer}


def layers_model(X, Y, training, learning_rate: float) -> dict:
    """Lab 11-5: the same network with tf.layers."""
    X_img = tf.reshape(X, [-1, 28, 28, 1])
    conv1 = tf.layers.conv2d(inputs=X_img, filters=32, kernel_size=[3, 3], padding="SAME",
                             activation=tf.nn.relu)
    pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], padding="SAME", strides=2)
    dropout1 = tf.layers.dropout(inputs=pool1, rate=0.3, training=training)
    conv2 = tf.layers.conv2d(inputs=dropout1, filters=64, kernel_size=[3, 3], padding="SAME",
                             activation=tf.nn.relu)
    pool2 = tf.layers.max_pooling2d(inputs=conv2, pool_size=[2, 2], padding="SAME", strides=2)
    flat = tf.reshape(pool2, [-1, 64 * 7 * 7])
    logits = tf.layers.dense(inputs=flat, units=10)
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
    optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)
    return {"logits": logits, "cost": cost, "optimizer": optimizer}


def main(training_epochs: int = 15, batch_size: int = 100, use_layers: bool = False,
         learning_rate: float = 0.001, data_dir: str = "MNIST_data/",
         source: str = "auto") -> dict:
    tf.reset_default_graph()
    tf.set_random_seed(777)  # reproducibility
    mnist = input_data.read_data_sets(data_dir, one_hot=True, source=source)

    X = tf.placeholder(tf.float32, [None, 784])
    Y = tf.placeholder(tf.float32, [None, 10])
    keep_prob = tf.placeholder(tf.float32)  # dropout (keep_prob) rate 0.7~0.5 on training
    training = tf.placeholder(tf.bool)
    if use_layers:
        model = layers_model(X, Y, training, learning_rate)
        train_feed, test_feed = {training: True}, {training: False}
    else:
        model = raw_ops_model(X, Y, keep_prob, learning_rate)
        train_feed, test_feed = {keep_prob: 0.7}, {keep_prob: 1.0}

    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    print('Learning started. It takes sometime.')
    costs = []
    for epoch in range(training_epochs):
        avg_cost = 0
        total_batch = int(mnist.train.num_examples / batch_size)
        for _ in range(total_batch):
            batch_xs, batch_ys = mnist.train.next_batch(batch_size)
            feed_dict = {X: batch_xs, Y: batch_ys, **train_feed}
            c, _ = sess.run([model["cost"], model["optimizer"]], feed_dict=feed_dict)
            avg_cost += c / total_batch
        costs.append(float(avg_cost))
        print('Epoch:', f'{epoch + 1:04d}', 'cost =', f'{avg_cost:.9f}')
    print('Learning Finished!')

    correct_prediction = tf.equal(tf.argmax(model["logits"], 1), tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    test_accuracy = sess.run(accuracy, feed_dict={X: mnist.test.images, Y: mnist.test.labels,
                                                  **test_feed})
    print('Accuracy:', test_accuracy)
    return {"costs": costs, "accuracy": float(test_accuracy)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--layers", action="store_true", help="the tf.layers version")
    args = parser.parse_args()
    main(args.epochs, use_layers=args.layers)
