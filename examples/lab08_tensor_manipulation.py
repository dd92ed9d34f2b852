"""Lab 8 of "모두를 위한 딥러닝": tensor manipulation, one small demonstration at a time.

Ranks, shapes and axes; matmul versus elementwise multiply and broadcasting; reduce_mean and
reduce_sum along an axis (an integer mean stays an integer); argmax; reshape, squeeze and
expand_dims; one_hot; cast; stack and concat; ones_like and zeros_like; transpose. Each result
is printed, as in the lecture's notebook, and returned under a short label.
"""

import pprint

import numpy as np

import graphflow as tf


def main() -> dict:
    tf.reset_default_graph()
    tf.set_random_seed(777)  # for reproducibility
    pp = pprint.PrettyPrinter(indent=4)
    sess = tf.InteractiveSession()
    results = {}

    def show(label: str, value: np.ndarray) -> None:
        """Prints a demonstration's result and keeps it under ``label``."""
        print(f"{label}:")
        pp.pprint(value)
        results[label] = value

    # Simple array (NumPy)
    t = np.array([0., 1., 2., 3., 4., 5., 6.])
    pp.pprint(t)
    print(t.ndim)  # rank
    print(t.shape)  # shape
    print(t[0], t[1], t[-1])
    print(t[2:5], t[4:-1])
    print(t[:2], t[3:])

    # 2D array (NumPy)
    t = np.array([[1., 2., 3.], [4., 5., 6.], [7., 8., 9.], [10., 11., 12.]])
    pp.pprint(t)
    print(t.ndim)  # rank
    print(t.shape)  # shape

    # Shape, rank, axis
    t = tf.constant([1, 2, 3, 4])
    show("shape_1d", tf.shape(t).eval())
    t = tf.constant([[1, 2],
                     [3, 4]])
    show("shape_2d", tf.shape(t).eval())
    t = tf.constant([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]],
                      [[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]]]])
    show("shape_4d", tf.shape(t).eval())
    show("rank_4d", tf.rank(t).eval())

    # Matmul vs multiply
    matrix1 = tf.constant([[3., 3.]])
    matrix2 = tf.constant([[2.], [2.]])
    show("matmul", tf.matmul(matrix1, matrix2).eval())
    show("multiply", (matrix1 * matrix2).eval())

    # Watch out broadcasting
    show("broadcast_add", (matrix1 + matrix2).eval())
    matrix2 = tf.constant([[2., 2.]])
    show("same_shape_add", (matrix1 + matrix2).eval())

    # Random values for variable initializations
    show("random_normal", tf.random_normal([3]).eval())
    show("random_uniform", tf.random_uniform([2, 3]).eval())

    # Reduce mean/sum
    show("int_mean", tf.reduce_mean([1, 2], axis=0).eval())
    x = [[1., 2.],
         [3., 4.]]
    show("mean", tf.reduce_mean(x).eval())
    show("mean_axis0", tf.reduce_mean(x, axis=0).eval())
    show("mean_axis1", tf.reduce_mean(x, axis=1).eval())
    show("mean_axis-1", tf.reduce_mean(x, axis=-1).eval())
    show("sum", tf.reduce_sum(x).eval())
    show("sum_axis0", tf.reduce_sum(x, axis=0).eval())
    show("sum_axis-1", tf.reduce_sum(x, axis=-1).eval())
    show("mean_of_sum", tf.reduce_mean(tf.reduce_sum(x, axis=-1)).eval())
    show("max_axis0", tf.reduce_max(x, axis=0).eval())

    # Argmax with axis
    x = [[0, 1, 2],
         [2, 1, 0]]
    show("argmax_axis0", tf.argmax(x, axis=0).eval())
    show("argmax_axis1", tf.argmax(x, axis=1).eval())
    show("argmax_axis-1", tf.argmax(x, axis=-1).eval())

    # Reshape, squeeze, expand_dims
    t = np.array([[[0, 1, 2],
                   [3, 4, 5]],

                  [[6, 7, 8],
                   [9, 10, 11]]])
    print(t.shape)
    show("reshape_-1_3", tf.reshape(t, shape=[-1, 3]).eval())
    show("reshape_-1_1_3", tf.reshape(t, shape=[-1, 1, 3]).eval())
    show("squeeze", tf.squeeze([[0], [1], [2]]).eval())
    show("expand_dims", tf.expand_dims([0, 1, 2], 1).eval())

    # One hot
    show("one_hot", tf.one_hot([[0], [1], [2], [0]], depth=3).eval())
    t = tf.one_hot([[0], [1], [2], [0]], depth=3)
    show("one_hot_reshaped", tf.reshape(t, shape=[-1, 3]).eval())

    # Casting
    show("cast_float", tf.cast([1.8, 2.2, 3.3, 4.9], tf.int32).eval())
    show("cast_bool", tf.cast([True, False, 1 == 1, 0 == 1], tf.int32).eval())

    # Stack
    x = [1, 4]
    y = [2, 5]
    z = [3, 6]
    # Pack along first dim.
    show("stack", tf.stack([x, y, z]).eval())
    show("stack_axis1", tf.stack([x, y, z], axis=1).eval())

    # Concat: join along an existing dimension
    show("concat_axis0", tf.concat([[x], [y], [z]], axis=0).eval())
    show("concat_axis1", tf.concat([[x], [y], [z]], axis=1).eval())

    # Ones like and zeros like
    x = [[0, 1, 2],
         [2, 1, 0]]
    show("ones_like", tf.ones_like(x).eval())
    show("zeros_like", tf.zeros_like(x).eval())

    # Zip
    for x, y in zip([1, 2, 3], [4, 5, 6]):
        print(x, y)
    for x, y, z in zip([1, 2, 3], [4, 5, 6], [7, 8, 9]):
        print(x, y, z)

    # Transpose
    t = np.array([[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]])
    pp.pprint(t.shape)
    pp.pprint(t)
    t1 = tf.transpose(t, [1, 0, 2])
    show("transpose_102", sess.run(t1))
    t = tf.transpose(t1, [1, 0, 2])
    show("transpose_back", sess.run(t))
    t2 = tf.transpose(t, [1, 2, 0])
    show("transpose_120", sess.run(t2))
    t = tf.transpose(t2, [2, 0, 1])
    show("transpose_201", sess.run(t))

    sess.close()
    return results


if __name__ == "__main__":
    main()
