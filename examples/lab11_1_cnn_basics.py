"""Lab 11-1 of "모두를 위한 딥러닝": what convolution and max pooling compute.

The lecture's notebook on CNN basics: a toy 3x3 image of the numbers 1 to 9 convolved with a
2x2 filter of ones, with VALID and with SAME padding (stride 1, then 2), and with three filters
at once; max pooling of a 2x2 image with VALID and with SAME padding; then one MNIST digit
convolved with five random 3x3 filters at stride 2 (28x28 -> 14x14) and max-pooled to 7x7.
Shapes and results print as in the lecture, one 2-D image per filter. The lecture shows the
images with matplotlib; here ``--plot-dir DIR`` saves them there as PNG files instead (needs
matplotlib). The digit comes from ``input_data.read_data_sets``, which serves the bundled digits
when the MNIST files are not on disk (see docs/datasets.md).
"""

import argparse
from pathlib import Path

import numpy as np

import graphflow as tf
from graphflow.examples.tutorials.mnist import input_data


def filter_images(conv2d_img: np.ndarray, size: int) -> list[np.ndarray]:
    """The lecture's ``np.swapaxes(img, 0, 3)``: the ``size`` x ``size`` image of each filter
    (each output channel) of a batch of one image."""
    return [one_img.reshape(size, size) for one_img in np.swapaxes(conv2d_img, 0, 3)]


def save_images(images: list[np.ndarray], plot_dir: str | None, name: str,
                cmap: str = 'gray') -> None:
    """The lecture's row of ``plt.imshow`` subplots, saved as ``plot_dir/name.png`` (nothing
    without ``plot_dir``)."""
    if plot_dir is None:
        return
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure = plt.figure()
    for i, one_img in enumerate(images):
        plt.subplot(1, len(images), i + 1), plt.imshow(one_img, cmap=cmap)
    Path(plot_dir).mkdir(parents=True, exist_ok=True)
    figure.savefig(Path(plot_dir) / f"{name}.png")
    plt.close(figure)


def convolve(image: np.ndarray, weight: tf.Tensor, strides: list, padding: str, size: int,
             plot_dir: str | None, name: str) -> np.ndarray:
    """One of the lecture's cells: convolves ``image`` with ``weight``, prints the shapes and
    each filter's ``size`` x ``size`` image; returns the convolved images."""
    print("image.shape", image.shape)
    print("weight.shape", weight.shape)
    conv2d = tf.nn.conv2d(image, weight, strides=strides, padding=padding)
    conv2d_img = conv2d.eval()
    print("conv2d_img.shape", conv2d_img.shape)
    images = filter_images(conv2d_img, size)
    for one_img in images:
        print(one_img)
    save_images(images, plot_dir, name)
    return conv2d_img


def max_pool(image: np.ndarray, padding: str) -> np.ndarray:
    """A 2x2 max pool of ``image`` at stride 1; prints its shape and value."""
    pool = tf.nn.max_pool(image, ksize=[1, 2, 2, 1],
                          strides=[1, 1, 1, 1], padding=padding)
    print(pool.shape)
    pooled = pool.eval()
    print(pooled)
    return pooled


def main(plot_dir: str | None = None, data_dir: str = "MNIST_data/",
         source: str = "auto") -> dict:
    tf.reset_default_graph()
    tf.set_random_seed(777)  # reproducibility
    sess = tf.InteractiveSession()
    results = {}

    # Toy image: 3x3x1
    image = np.array([[[[1], [2], [3]],
                       [[4], [5], [6]],
                       [[7], [8], [9]]]], dtype=np.float32)
    print(image.shape)
    save_images([image.reshape(3, 3)], plot_dir, "image", cmap='Greys')
    results["image"] = image

    # 1 filter (2,2,1,1) of ones
    print("---------- 1 filter (2,2,1,1) with padding: VALID ----------")
    weight = tf.constant([[[[1.]], [[1.]]],
                          [[[1.]], [[1.]]]])
    results["valid"] = convolve(image, weight, [1, 1, 1, 1], 'VALID', 2, plot_dir, "valid")
    print("---------- 1 filter (2,2,1,1) with padding: SAME ----------")
    results["same"] = convolve(image, weight, [1, 1, 1, 1], 'SAME', 3, plot_dir, "same")
    print("---------- 1 filter (2,2,1,1) with padding: SAME, stride 2 ----------")
    results["same_stride_2"] = convolve(image, weight, [1, 2, 2, 1], 'SAME', 2, plot_dir,
                                        "same_stride_2")

    # 3 filters (2,2,1,3)
    print("---------- 3 filters (2,2,1,3) ----------")
    weight = tf.constant([[[[1., 10., -1.]], [[1., 10., -1.]]],
                          [[[1., 10., -1.]], [[1., 10., -1.]]]])
    results["three_filters"] = convolve(image, weight, [1, 1, 1, 1], 'SAME', 3, plot_dir,
                                        "three_filters")

    # Max pooling
    print("---------- MAX POOLING ----------")
    image = np.array([[[[4], [3]],
                       [[2], [1]]]], dtype=np.float32)
    results["pool_image"] = image
    results["pool_valid"] = max_pool(image, 'VALID')
    print("---------- SAME: Zero paddings ----------")
    results["pool_same"] = max_pool(image, 'SAME')

    # One MNIST image: 5 filters of 3x3, stride 2, then a 2x2 max pool of stride 2
    print("---------- MNIST ----------")
    mnist = input_data.read_data_sets(data_dir, one_hot=True, source=source)
    img = mnist.train.images[0].reshape(28, 28)
    save_images([img], plot_dir, "mnist_image")
    img = img.reshape(-1, 28, 28, 1)
    W1 = tf.Variable(tf.random_normal([3, 3, 1, 5], stddev=0.01))
    conv2d = tf.nn.conv2d(img, W1, strides=[1, 2, 2, 1], padding='SAME')
    print(conv2d)
    sess.run(tf.global_variables_initializer())
    conv2d_img = conv2d.eval()
    save_images(filter_images(conv2d_img, 14), plot_dir, "mnist_conv")

    pool = tf.nn.max_pool(conv2d, ksize=[1, 2, 2, 1], strides=[
                          1, 2, 2, 1], padding='SAME')
    print(pool)
    pool_img = pool.eval()
    save_images(filter_images(pool_img, 7), plot_dir, "mnist_pool")
    results.update(mnist_image=img, mnist_filters=W1.eval(), mnist_conv=conv2d_img,
                   mnist_pool=pool_img)
    sess.close()
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plot-dir", help="save the lecture's images there as PNG files")
    parser.add_argument("--data-dir", default="MNIST_data/")
    args = parser.parse_args()
    main(args.plot_dir, args.data_dir)
