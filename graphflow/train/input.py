"""TF1's queue-based input pipelines: producers that fill a queue with file names or slices
(``string_input_producer``, ``slice_input_producer``...) and batchers that collect examples
into batches (``batch``, ``shuffle_batch``). Each adds a :class:`QueueRunner` to the graph;
``tf.train.start_queue_runners`` starts their threads.

Lab 4 of the lecture reads its CSV file this way::

    filename_queue = tf.train.string_input_producer(["data.csv"], shuffle=False)
    key, value = tf.TextLineReader().read(filename_queue)
    xy = tf.decode_csv(value, record_defaults=[[0.], [0.], [0.], [0.]])
    x_batch, y_batch = tf.train.batch([xy[0:-1], xy[-1:]], batch_size=10)
"""

from __future__ import annotations

from typing import Any

from graphflow.framework import dtypes
from graphflow.framework.graph import GraphKeys, Tensor, control_dependencies, name_scope
from graphflow.framework.tensor_shape import TensorShape, as_shape
from graphflow.ops import array_ops, math_ops, random_ops
from graphflow.ops.constant_op import convert_to_tensor
from graphflow.ops.data_flow_ops import FIFOQueue, QueueBase, RandomShuffleQueue
from graphflow.ops.debug_ops import Assert
from graphflow.train.queue_runner import QueueRunner, add_queue_runner
from graphflow.variables import Variable


def limit_epochs(tensor: Any, num_epochs: int | None = None, name: str | None = None) -> Tensor:
    """``tensor``, which raises OutOfRangeError once it has been computed ``num_epochs`` times
    (counted in a local variable: run ``tf.local_variables_initializer()``)."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    with name_scope(name, "limit_epochs", [tensor]) as scope:
        epochs = Variable(convert_to_tensor(0, dtype=dtypes.int64), name="epochs",
                          trainable=False, collections=[GraphKeys.LOCAL_VARIABLES])
        with control_dependencies([epochs.count_up_to(num_epochs)]):
            return array_ops.identity(tensor, name=scope[:-1] + "/")


def input_producer(input_tensor: Any, element_shape: Any = None, num_epochs: int | None = None,
                   shuffle: bool = True, seed: int | None = None, capacity: int = 32,
                   shared_name: str | None = None, summary_name: str | None = None,
                   name: str | None = None, cancel_op: Any = None) -> QueueBase:
    """A queue that a QueueRunner fills with the rows of ``input_tensor``, ``num_epochs``
    times (forever if None), each epoch shuffled if ``shuffle``."""
    with name_scope(name, "input_producer", [input_tensor]) as scope:
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        shape = input_tensor.shape[1:] if input_tensor.shape.ndims else TensorShape(None)
        shape = shape.merge_with(as_shape(element_shape) if element_shape is not None
                                 else TensorShape(None))
        if not shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or "
                             "`element_shape` must be specified")
        if shuffle:
            input_tensor = random_ops.random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        queue = FIFOQueue(capacity, [input_tensor.dtype.base_dtype], [shape],
                          shared_name=shared_name, name=scope)
        enqueue = queue.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(queue, [enqueue], cancel_op=cancel_op))
        if summary_name is not None:
            _fraction_full(summary_name, queue, capacity)
        return queue


def _fraction_full(name: str, queue: QueueBase, capacity: int, minimum: int = 0) -> None:
    """The summary TF1 adds to each pipeline queue: how full it is (above ``minimum``)."""
    from graphflow.summary import scalar

    size = math_ops.cast(queue.size(), dtypes.float32)
    if minimum:
        size = math_ops.maximum(0.0, size - minimum)
    scalar(name, size * (1.0 / (capacity - minimum)))


def string_input_producer(string_tensor: Any, num_epochs: int | None = None,
                          shuffle: bool = True, seed: int | None = None, capacity: int = 32,
                          shared_name: str | None = None, name: str | None = None,
                          cancel_op: Any = None) -> QueueBase:
    """A queue of the strings (usually file names) in ``string_tensor``, for a reader's
    ``read``: each epoch in order, or shuffled if ``shuffle``."""
    message = "string_input_producer requires a non-null input tensor"
    if not isinstance(string_tensor, Tensor) and not len(string_tensor):
        raise ValueError(message)
    with name_scope(name, "input_producer", [string_tensor]) as scope:
        string_tensor = convert_to_tensor(string_tensor, dtype=dtypes.string)
        with control_dependencies([Assert(math_ops.greater(array_ops.size(string_tensor), 0),
                                          [message])]):  # the same, for a tensor when run
            string_tensor = array_ops.identity(string_tensor)
        return input_producer(string_tensor, [], num_epochs, shuffle, seed, capacity,
                              shared_name, f"fraction_of_{capacity}_full", scope, cancel_op)


def range_input_producer(limit: int, num_epochs: int | None = None, shuffle: bool = True,
                         seed: int | None = None, capacity: int = 32,
                         shared_name: str | None = None, name: str | None = None) -> QueueBase:
    """A queue of the integers 0 to ``limit`` - 1, epoch after epoch."""
    with name_scope(name, "input_producer", [limit]) as scope:
        return input_producer(array_ops.range_(limit), [], num_epochs, shuffle, seed, capacity,
                              shared_name, f"fraction_of_{capacity}_full", scope)


def slice_input_producer(tensor_list: list, num_epochs: int | None = None, shuffle: bool = True,
                         seed: int | None = None, capacity: int = 32,
                         shared_name: str | None = None, name: str | None = None) -> list:
    """One row of each tensor in ``tensor_list`` (all with the same first dimension) at a
    time, epoch after epoch."""
    with name_scope(name, "input_producer", tensor_list):
        tensors = [convert_to_tensor(t) for t in tensor_list]
        if not tensors:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        size = tensors[0].shape[0] if tensors[0].shape.ndims else None
        count = size.value if hasattr(size, "value") else size
        if count is None:
            count = array_ops.shape(tensors[0], out_type=dtypes.int32)[0]
        queue = range_input_producer(count, num_epochs, shuffle, seed, capacity, shared_name)
        index = queue.dequeue()
        return [array_ops.gather(t, index) for t in tensors]


# -- batching ----------------------------------------------------------------------------------
def _tensor_list(tensors: Any) -> list:
    if isinstance(tensors, dict):
        return [tensors[key] for key in sorted(tensors)]
    if isinstance(tensors, (list, tuple)):
        return list(tensors)
    return [tensors]


def _original_type(tensors: Any, dequeued: list) -> Any:
    if isinstance(tensors, dict):
        return dict(zip(sorted(tensors), dequeued))
    if isinstance(tensors, (list, tuple)):
        return dequeued
    return dequeued[0]


def _batch_queue(queue_class: type, tensors: Any, num_threads: int, capacity: int,
                 enqueue_many: bool, shapes: Any, **queue_args: Any) -> QueueBase:
    """The queue of :func:`batch` and :func:`shuffle_batch`: it holds single examples, and a
    QueueRunner fills it with ``num_threads`` enqueue ops of ``tensors``."""
    listed = [convert_to_tensor(t) for t in _tensor_list(tensors)]
    if not listed:
        raise ValueError("Expected at least one tensor in batch().")
    if shapes is None:
        shapes = [t.shape[1:] if enqueue_many else t.shape for t in listed]
    shapes = [as_shape(s) for s in shapes]
    for tensor, shape in zip(listed, shapes):
        if not shape.is_fully_defined():
            raise ValueError(f"All shapes must be fully defined: {shapes} ({tensor.name} has "
                             f"{shape})")
    queue = queue_class(capacity=capacity, dtypes=[t.dtype.base_dtype for t in listed],
                        shapes=shapes, **queue_args)
    enqueue = queue.enqueue_many if enqueue_many else queue.enqueue
    add_queue_runner(QueueRunner(queue, [enqueue(listed) for _ in range(num_threads)]))
    return queue


def _dequeue_batch(queue: QueueBase, tensors: Any, batch_size: int, smaller_final: bool,
                   name: str) -> Any:
    """``batch_size`` examples from ``queue``, in the structure of ``tensors``."""
    dequeue = queue.dequeue_up_to if smaller_final else queue.dequeue_many
    dequeued = dequeue(batch_size, name=name)
    return _original_type(tensors, dequeued if isinstance(dequeued, list) else [dequeued])


def batch(tensors: Any, batch_size: int, num_threads: int = 1, capacity: int = 32,
          enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
          allow_smaller_final_batch: bool = False, shared_name: str | None = None,
          name: str | None = None) -> Any:
    """``tf.train.batch``: batches of ``batch_size`` examples, in order. ``tensors`` (a list,
    dict or single tensor, each one example; with ``enqueue_many``, each a batch of them) are
    computed by a QueueRunner's threads; the result has the same structure, each tensor with a
    new first dimension."""
    if dynamic_pad:
        raise NotImplementedError("tf.train.batch(dynamic_pad=True) is not supported")
    with name_scope(name, "batch", _tensor_list(tensors)) as scope:
        queue = _batch_queue(FIFOQueue, tensors, num_threads, capacity, enqueue_many, shapes,
                             shared_name=shared_name)
        _fraction_full(f"fraction_of_{capacity}_full", queue, capacity)
        return _dequeue_batch(queue, tensors, batch_size, allow_smaller_final_batch, scope)


def shuffle_batch(tensors: Any, batch_size: int, capacity: int, min_after_dequeue: int,
                  num_threads: int = 1, seed: int | None = None, enqueue_many: bool = False,
                  shapes: Any = None, allow_smaller_final_batch: bool = False,
                  shared_name: str | None = None, name: str | None = None) -> Any:
    """``tf.train.shuffle_batch``: :func:`batch`, with examples drawn at random from a
    RandomShuffleQueue that holds at least ``min_after_dequeue`` of them after each batch
    (until its input runs out), so that consecutive examples are mixed."""
    if min_after_dequeue >= capacity:
        raise ValueError(f"capacity {capacity} must be bigger than min_after_dequeue "
                         f"{min_after_dequeue}.")
    with name_scope(name, "shuffle_batch", _tensor_list(tensors)) as scope:
        queue = _batch_queue(RandomShuffleQueue, tensors, num_threads, capacity, enqueue_many,
                             shapes, min_after_dequeue=min_after_dequeue, seed=seed,
                             shared_name=shared_name)
        _fraction_full(f"fraction_over_{min_after_dequeue}_of_"
                       f"{capacity - min_after_dequeue}_full", queue, capacity,
                       min_after_dequeue)
        return _dequeue_batch(queue, tensors, batch_size, allow_smaller_final_batch, scope)
