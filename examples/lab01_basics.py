"""Lab 1 of "모두를 위한 딥러닝": TensorFlow basics, run on graphflow.

Builds a graph of constants and placeholders, runs it in a Session, and prints what the lecture
prints: tensors (with their shape and dtype), values, and the rank/shape/dtype of a few arrays.
"""

import numpy as np

import graphflow as tf


def main() -> dict:
    # Hello TensorFlow: a string constant runs and returns bytes.
    hello = tf.constant("Hello, TensorFlow!")
    sess = tf.Session()
    print(sess.run(hello))

    # Computational graph: build first, run later.
    node1 = tf.constant(3.0, tf.float32)
    node2 = tf.constant(4.0)  # also tf.float32 implicitly
    node3 = tf.add(node1, node2)
    print("node1:", node1, "node2:", node2)
    print("node3: ", node3)
    print("sess.run(node1, node2): ", sess.run([node1, node2]))
    print("sess.run(node3): ", sess.run(node3))

    # Placeholders: values are fed when the graph runs.
    a = tf.placeholder(tf.float32)
    b = tf.placeholder(tf.float32)
    adder_node = a + b  # + provides a shortcut for tf.add(a, b)
    added = sess.run(adder_node, feed_dict={a: 3, b: 4.5})
    print(added)
    print(sess.run(adder_node, feed_dict={a: [1, 3], b: [2, 4]}))
    add_and_triple = adder_node * 3.0
    tripled = sess.run(add_and_triple, feed_dict={a: 3, b: 4.5})
    print(tripled)

    # Everything is a tensor: rank, shape and dtype, static (known when built) and dynamic.
    arrays = {
        "scalar": 3.0,
        "vector": [1.0, 2.0, 3.0],
        "matrix": [[1, 2, 3], [4, 5, 6]],
        "rank-3": np.zeros((2, 3, 4), dtype=np.float64),
    }
    shapes = {}
    for label, value in arrays.items():
        t = tf.constant(value)
        rank, shape = sess.run([tf.rank(t), tf.shape(t)])
        print(f"{label:7s} {t}  rank={rank} shape={shape.tolist()} dtype={t.dtype.name}")
        shapes[label] = shape.tolist()

    x = tf.placeholder(tf.float32, shape=[None, 3], name="x")
    print(x, "static shape:", x.shape, "as list:", x.shape.as_list())
    fed = sess.run(tf.shape(x), feed_dict={x: [[1, 2, 3], [4, 5, 6]]})
    print("dynamic shape when fed two rows:", fed.tolist())
    sess.close()
    return {"added": added, "tripled": tripled, "shapes": shapes, "fed_shape": fed.tolist()}


if __name__ == "__main__":
    main()
