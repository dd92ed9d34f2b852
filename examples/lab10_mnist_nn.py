"""Lab 10 of "모두를 위한 딥러닝": classifying handwritten digits with ever better nets.

The lecture's MNIST programs, run on scikit-learn's bundled 8x8 digits (1797 images, 64 pixels
scaled to [0, 1]; no download): softmax regression (10-1), a three-layer ReLU net (10-2), the
same with Xavier initialization through ``tf.get_variable`` (10-3), a deeper and wider net
(10-4) and that net with dropout, fed a ``keep_prob`` placeholder: 0.7 while training, 1 when
testing (10-5). Lab 10-X adds batch normalization between the dense layers of a small net:
``tf.layers.batch_normalization`` normalizes with each batch's statistics while a ``training``
placeholder is true and with its moving averages when it is false; the training op runs the
averages' updates (``tf.GraphKeys.UPDATE_OPS``) as control dependencies. Lab 10-7 builds
batch-normalized layers with dropout from ``tf.contrib.layers`` inside an ``arg_scope``, its
averages updated by the layers themselves. All train with Adam on
mini-batches and print the average cost of each epoch and the accuracy on the test images. The
batches hold 25 images and Adam's learning rate is 0.003, not the lecture's 100 and 0.001: there
are 1500 training digits, against MNIST's 55,000. Needs scikit-learn
(``pip install scikit-learn``).
"""

import argparse
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

import graphflow as tf


class DataSet:
    """Images and one-hot labels, served in shuffled mini-batches like the lecture's
    ``mnist.train``."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, seed: int = 0) -> None:
        self.images = images
        self.labels = labels
        self.num_examples = len(images)
        self._rng = np.random.RandomState(seed)
        self._queue = np.arange(0)

    def next_batch(self, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        """The next ``batch_size`` examples; each pass over the data is in a new random order."""
        if len(self._queue) < batch_size:
            self._queue = np.concatenate([self._queue, self._rng.permutation(self.num_examples)])
        take, self._queue = self._queue[:batch_size], self._queue[batch_size:]
        return self.images[take], self.labels[take]


class DataSets(NamedTuple):
    """The training and test images, as the lecture's ``mnist``."""

    train: DataSet
    test: DataSet


# A model: its logits, and what to feed besides X and Y when training and when testing
Model = tuple[tf.Tensor, dict, dict]


def read_digits(test_size: int = 297, seed: int = 0) -> DataSets:
    """scikit-learn's 8x8 digits as float32 pixels in [0, 1] and one-hot float32 labels, split
    at random (fixed seed) into training and test images."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.data / 16.0).astype(np.float32)
    labels = np.eye(10, dtype=np.float32)[digits.target]
    order = np.random.RandomState(seed).permutation(len(images))
    test, train = order[:test_size], order[test_size:]
    return DataSets(DataSet(images[train], labels[train], seed),
                    DataSet(images[test], labels[test]))


def softmax_classifier(X: tf.Tensor) -> Model:
    """Lab 10-1: softmax regression, the logits XW + b."""
    W = tf.Variable(tf.random_normal([64, 10]))
    b = tf.Variable(tf.random_normal([10]))
    hypothesis = tf.matmul(X, W) + b
    return hypothesis, {}, {}


def nn(X: tf.Tensor) -> Model:
    """Lab 10-2: two hidden ReLU layers of 256 units, weights from random_normal."""
    W1 = tf.Variable(tf.random_normal([64, 256]))
    b1 = tf.Variable(tf.random_normal([256]))
    L1 = tf.nn.relu(tf.matmul(X, W1) + b1)

    W2 = tf.Variable(tf.random_normal([256, 256]))
    b2 = tf.Variable(tf.random_normal([256]))
    L2 = tf.nn.relu(tf.matmul(L1, W2) + b2)

    W3 = tf.Variable(tf.random_normal([256, 10]))
    b3 = tf.Variable(tf.random_normal([10]))
    hypothesis = tf.matmul(L2, W3) + b3
    return hypothesis, {}, {}


def nn_xavier(X: tf.Tensor) -> Model:
    """Lab 10-3: the same net, its weights Xavier-initialized."""
    # http://stackoverflow.com/questions/33640581/how-to-do-xavier-initialization-on-tensorflow
    W1 = tf.get_variable("W1", shape=[64, 256],
                         initializer=tf.contrib.layers.xavier_initializer())
    b1 = tf.Variable(tf.random_normal([256]))
    L1 = tf.nn.relu(tf.matmul(X, W1) + b1)

    W2 = tf.get_variable("W2", shape=[256, 256],
                         initializer=tf.contrib.layers.xavier_initializer())
    b2 = tf.Variable(tf.random_normal([256]))
    L2 = tf.nn.relu(tf.matmul(L1, W2) + b2)

    W3 = tf.get_variable("W3", shape=[256, 10],
                         initializer=tf.contrib.layers.xavier_initializer())
    b3 = tf.Variable(tf.random_normal([10]))
    hypothesis = tf.matmul(L2, W3) + b3
    return hypothesis, {}, {}


def deep_layers(X: tf.Tensor, keep_prob: tf.Tensor | None = None) -> tf.Tensor:
    """Labs 10-4 and 10-5: four hidden ReLU layers of 512 units, Xavier-initialized; with
    ``keep_prob``, each hidden layer is followed by dropout."""
    W1 = tf.get_variable("W1", shape=[64, 512],
                         initializer=tf.contrib.layers.xavier_initializer())
    b1 = tf.Variable(tf.random_normal([512]))
    L1 = tf.nn.relu(tf.matmul(X, W1) + b1)
    if keep_prob is not None:
        L1 = tf.nn.dropout(L1, keep_prob=keep_prob)

    W2 = tf.get_variable("W2", shape=[512, 512],
                         initializer=tf.contrib.layers.xavier_initializer())
    b2 = tf.Variable(tf.random_normal([512]))
    L2 = tf.nn.relu(tf.matmul(L1, W2) + b2)
    if keep_prob is not None:
        L2 = tf.nn.dropout(L2, keep_prob=keep_prob)

    W3 = tf.get_variable("W3", shape=[512, 512],
                         initializer=tf.contrib.layers.xavier_initializer())
    b3 = tf.Variable(tf.random_normal([512]))
    L3 = tf.nn.relu(tf.matmul(L2, W3) + b3)
    if keep_prob is not None:
        L3 = tf.nn.dropout(L3, keep_prob=keep_prob)

    W4 = tf.get_variable("W4", shape=[512, 512],
                         initializer=tf.contrib.layers.xavier_initializer())
    b4 = tf.Variable(tf.random_normal([512]))
    L4 = tf.nn.relu(tf.matmul(L3, W4) + b4)
    if keep_prob is not None:
        L4 = tf.nn.dropout(L4, keep_prob=keep_prob)

    W5 = tf.get_variable("W5", shape=[512, 10],
                         initializer=tf.contrib.layers.xavier_initializer())
    b5 = tf.Variable(tf.random_normal([10]))
    return tf.matmul(L4, W5) + b5


def nn_deep(X: tf.Tensor) -> Model:
    """Lab 10-4: deeper and wider."""
    return deep_layers(X), {}, {}


def nn_dropout(X: tf.Tensor) -> Model:
    """Lab 10-5: deeper and wider, with dropout while training."""
    # dropout (keep_prob) rate  0.7 on training, but should be 1 for testing
    keep_prob = tf.placeholder(tf.float32)
    return deep_layers(X, keep_prob), {keep_prob: 0.7}, {keep_prob: 1}


def nn_batchnorm(X: tf.Tensor, hidden_dims: tuple = (32, 32)) -> Model:
    """Lab 10-X: dense layers, each batch-normalized before its ReLU, then a dense output
    layer; the placeholder ``mode`` is true while training, false when testing."""
    mode = tf.placeholder(tf.bool, name='train_mode')
    net = X
    for i, h_dim in enumerate(hidden_dims):
        with tf.variable_scope(f'layer{i}'):
            net = tf.layers.dense(net, h_dim)
            net = tf.layers.batch_normalization(net, training=mode)
            net = tf.nn.relu(net)
    hypothesis = tf.layers.dense(net, 10)
    return hypothesis, {mode: True}, {mode: False}


def nn_higher_level_api(X: tf.Tensor, hidden_dims: tuple = (64, 64)) -> Model:
    """Lab 10-7: the same ideas with ``tf.contrib.layers``. An ``arg_scope`` gives every
    ``fully_connected`` layer Xavier initialization, batch normalization (its moving averages
    updated as it trains: ``updates_collections=None``) and ReLU; dropout keeps 70%."""
    from graphflow.contrib.framework import arg_scope
    from graphflow.contrib.layers import batch_norm, dropout, fully_connected

    train_mode = tf.placeholder(tf.bool, name='train_mode')
    keep_prob = 0.7
    xavier_init = tf.contrib.layers.xavier_initializer()
    bn_params = {
        'is_training': train_mode,
        'decay': 0.9,
        'updates_collections': None
    }
    # We can build short code using 'arg_scope' to avoid duplicate code
    # same function with different arguments
    with arg_scope([fully_connected],
                   activation_fn=tf.nn.relu,
                   weights_initializer=xavier_init,
                   biases_initializer=None,
                   normalizer_fn=batch_norm,
                   normalizer_params=bn_params
                   ):
        net = X
        for i, h_dim in enumerate(hidden_dims):
            net = fully_connected(net, h_dim, scope=f"h{i + 1}")
            net = dropout(net, keep_prob, is_training=train_mode)
        hypothesis = fully_connected(net, 10, activation_fn=None, scope="hypothesis")
    return hypothesis, {train_mode: True}, {train_mode: False}


MODELS = {"softmax": softmax_classifier, "nn": nn, "xavier": nn_xavier, "deep": nn_deep,
          "dropout": nn_dropout, "batchnorm": nn_batchnorm, "higher_level": nn_higher_level_api}


def train_and_evaluate(model: Callable[[tf.Tensor], Model], mnist: DataSets,
                       training_epochs: int, batch_size: int, learning_rate: float) -> dict:
    """The lecture's program around ``model``: the softmax cross-entropy cost of its logits,
    Adam, ``training_epochs`` passes over the training images, then the test accuracy."""
    # input place holders
    X = tf.placeholder(tf.float32, [None, 64])
    Y = tf.placeholder(tf.float32, [None, 10])
    hypothesis, train_feed, test_feed = model(X)
    # what the model keeps besides its weights: batch normalization's moving averages
    statistics = [v for v in tf.global_variables() if v not in tf.trainable_variables()]

    # define cost/loss & optimizer
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=hypothesis, labels=Y))
    # batch normalization's moving averages are updated with each training step
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)

    # initialize
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    initial_statistics = sess.run(statistics)

    # train my model
    epoch_costs = []
    for epoch in range(training_epochs):
        avg_cost = 0
        total_batch = int(mnist.train.num_examples / batch_size)

        for _ in range(total_batch):
            batch_xs, batch_ys = mnist.train.next_batch(batch_size)
            feed_dict = {X: batch_xs, Y: batch_ys, **train_feed}
            c, _ = sess.run([cost, optimizer], feed_dict=feed_dict)
            avg_cost += c / total_batch

        print(f"Epoch: {epoch + 1:04d} cost = {avg_cost:.9f}")
        epoch_costs.append(float(avg_cost))

    print('Learning Finished!')

    # Test model and check accuracy
    prediction = tf.argmax(hypothesis, 1)
    correct_prediction = tf.equal(prediction, tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    acc, predicted = sess.run([accuracy, prediction], feed_dict={
        X: mnist.test.images, Y: mnist.test.labels, **test_feed})
    print('Accuracy:', acc)

    # Get one and predict
    r = np.random.RandomState(777).randint(0, mnist.test.num_examples)
    print("Label: ", sess.run(tf.argmax(mnist.test.labels[r:r + 1], 1)))
    print("Prediction: ", sess.run(tf.argmax(hypothesis, 1),
                                   feed_dict={X: mnist.test.images[r:r + 1], **test_feed}))
    statistics = {v.op.name: (initial, final) for v, initial, final
                  in zip(statistics, initial_statistics, sess.run(statistics))}
    sess.close()
    return {"epoch_costs": epoch_costs, "accuracy": float(acc), "predicted": predicted,
            "statistics": statistics}


def main(training_epochs: int = 15, models: tuple = tuple(MODELS), batch_size: int = 25,
         learning_rate: float = 0.003) -> dict:
    results = {}
    for name in models:
        print(f"---------- {name} ----------")
        # Each is its own program in the lecture: a new graph with the same seed, same batches
        tf.reset_default_graph()
        tf.set_random_seed(777)  # reproducibility
        mnist = read_digits()
        results[name] = train_and_evaluate(MODELS[name], mnist, training_epochs, batch_size,
                                           learning_rate)
        results["test_labels"] = mnist.test.labels
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=list(MODELS))
    args = parser.parse_args()
    main(args.epochs, tuple(args.models))
