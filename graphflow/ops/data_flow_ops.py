"""Queues: ``tf.FIFOQueue`` and ``tf.RandomShuffleQueue``, the ops that feed TF1's input
pipelines (``tf.train.batch`` and friends, in ``train/input.py``).

A queue op outputs a ``resource`` handle; the queue itself lives in the Session
(``runtime/queues.py``). Elements are tuples of tensors with the queue's ``dtypes`` and, where
given, ``shapes``, checked when an enqueue op is built and again when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphflow.framework import dtypes
from graphflow.framework.graph import Operation, Tensor, get_default_graph, name_scope
from graphflow.framework.registry import NOT_DIFFERENTIABLE, OpDef, register
from graphflow.framework.tensor_shape import TensorShape, as_shape, unknown_shape
from graphflow.ops.constant_op import constant_value, convert_to_tensor
from graphflow.ops.op_util import check_dtype, check_rank
from graphflow.ops.random_ops import seed_attrs
from graphflow.runtime.queues import Queue


# -- the ops -----------------------------------------------------------------------------------
class ResourceHandle(OpDef):
    """The handle of a resource (a queue, a reader) that the Session makes on the op's first
    run and keeps, under the op's ``shared_name`` or else its name. ``factory(op, state)``
    gives the function that makes it."""

    attrs = {"container": "", "shared_name": ""}
    stateful = True
    grad = NOT_DIFFERENTIABLE

    def infer(self, **_: Any) -> tuple:
        return dtypes.resource, []

    def bind(self, op: Any, state: Any) -> Any:
        key, make = op.attrs["shared_name"] or op.name, self.factory(op, state)
        return lambda: state.store.resource(key, make)

    def factory(self, op: Any, state: Any) -> Callable[[], Any]:
        raise NotImplementedError


class _QueueOp(ResourceHandle):
    """A queue's handle."""

    attrs = {"component_types": None, "shapes": [], "capacity": -1, **ResourceHandle.attrs}

    def infer(self, *, component_types: list, shapes: list, **attrs: Any) -> tuple:
        if shapes and len(shapes) != len(component_types):
            raise ValueError("Queue shapes must have the same length as dtypes")
        return super().infer(**attrs)

    def factory(self, op: Any, state: Any) -> Callable[[], Queue]:
        attrs = op.attrs
        np_types = [dtype.as_numpy_dtype for dtype in attrs["component_types"]]
        shapes = [shape.as_tuple() for shape in attrs["shapes"]] or [None] * len(np_types)
        name, extra = attrs["shared_name"] or op.name, self.extra(op, state)
        return lambda: Queue(self.kind, name, attrs["capacity"], np_types, shapes, **extra)

    def extra(self, op: Any, state: Any) -> dict:
        return {}


@register("FIFOQueueV2")
class FIFOQueueV2(_QueueOp):
    """A queue that dequeues in the order it was filled."""

    kind = "FIFOQueue"


@register("RandomShuffleQueueV2")
class RandomShuffleQueueV2(_QueueOp):
    """A queue that dequeues at random, keeping ``min_after_dequeue`` elements to mix with."""

    kind = "RandomShuffleQueue"
    attrs = {**_QueueOp.attrs, "min_after_dequeue": 0, "seed": 0, "seed2": 0}

    def extra(self, op: Any, state: Any) -> dict:
        return {"min_after_dequeue": op.attrs["min_after_dequeue"],
                "generator": state.generator(op)}


def check_handle(op_type: str, handle: Tensor) -> None:
    if handle.dtype != dtypes.resource:
        raise TypeError(f"Input 'handle' of '{op_type}' Op has type {handle.dtype.name} that "
                        "does not match expected type of resource.")


class ResourceAccess(OpDef):
    """Base of the ops that take a resource's handle (a queue's, a reader's) as their first
    input; where one may wait, its ``bind`` hands the store to the resource, which waits
    outside the run lock."""

    stateful = True
    grad = NOT_DIFFERENTIABLE


class ResourceQuery(ResourceAccess):
    """A fact about a resource now, a scalar of ``dtype``: ``query(resource)``."""

    dtype = dtypes.int32

    def infer(self, handle: Tensor) -> tuple:
        check_handle(self.type, handle)
        return self.dtype, []

    def kernel(self, op: Any) -> Any:
        query, np_type = self.query, self.dtype.as_numpy_dtype
        return lambda resource: np_type(query(resource))


def kernel_result(values: tuple) -> Any:
    """A kernel's result: the value itself for one output, a tuple for several."""
    return values[0] if len(values) == 1 else values


@register("QueueEnqueueV2")
class QueueEnqueueV2(ResourceAccess):
    """Adds one element (one tensor per component) to the queue."""

    attrs = {"Tcomponents": None, "timeout_ms": -1}
    many = False

    def infer(self, handle: Tensor, *components: Tensor, Tcomponents: list,  # noqa: N803
              timeout_ms: int) -> list:
        check_handle(self.type, handle)
        return []

    def bind(self, op: Any, state: Any) -> Any:
        store, many = state.store, self.many
        return lambda queue, *components: queue.enqueue(store, components, many)


@register("QueueEnqueueManyV2")
class QueueEnqueueManyV2(QueueEnqueueV2):
    """Adds the slices of its components along axis 0 as elements, one by one."""

    many = True


@register("QueueDequeueV2")
class QueueDequeueV2(ResourceAccess):
    """Takes one element; waits while the queue is empty."""

    attrs = {"component_types": None, "timeout_ms": -1}

    def infer(self, handle: Tensor, *, component_types: list, timeout_ms: int) -> list:
        check_handle(self.type, handle)
        shapes = handle.op.attrs["shapes"] or [None] * len(component_types)
        return [(dtype, shape) for dtype, shape in zip(component_types, shapes)]

    def bind(self, op: Any, state: Any) -> Any:
        store = state.store
        return lambda queue: kernel_result(queue.dequeue(store, None))


@register("QueueDequeueManyV2")
class QueueDequeueManyV2(ResourceAccess):
    """Takes ``n`` elements, stacked along a new axis 0; waits until the queue holds them."""

    attrs = {"component_types": None, "timeout_ms": -1}
    up_to = False

    def infer(self, handle: Tensor, n: Tensor, *, component_types: list,
              timeout_ms: int) -> list:
        check_handle(self.type, handle)
        check_dtype(self.type, "n", n, frozenset({dtypes.int32}))
        check_rank(n, 0)
        shapes = handle.op.attrs["shapes"]
        if not shapes:
            raise ValueError(f"{self.type} requires the queue's components to have specified "
                             "shapes")
        count = constant_value(n)
        batch = None if self.up_to or count is None else int(count)
        return [(dtype, [batch, *shape.as_list()])
                for dtype, shape in zip(component_types, shapes)]

    def bind(self, op: Any, state: Any) -> Any:
        store, up_to = state.store, self.up_to

        def dequeue_many(queue: Queue, n: Any) -> Any:
            if int(n) < 0:
                raise ValueError(f"Dequeue size must be non-negative, got {int(n)}")
            return kernel_result(queue.dequeue(store, int(n), up_to))

        return dequeue_many


@register("QueueDequeueUpToV2")
class QueueDequeueUpToV2(QueueDequeueManyV2):
    """``QueueDequeueManyV2``, but a closed queue gives what it has left (at least one)."""

    up_to = True


@register("QueueCloseV2")
class QueueCloseV2(ResourceAccess):
    """Closes the queue: see :meth:`Queue.close`."""

    attrs = {"cancel_pending_enqueues": False}

    def infer(self, handle: Tensor, *, cancel_pending_enqueues: bool) -> list:
        check_handle(self.type, handle)
        return []

    def kernel(self, op: Any) -> Any:
        cancel = op.attrs["cancel_pending_enqueues"]
        return lambda queue: queue.close(cancel)


@register("QueueSizeV2")
class QueueSizeV2(ResourceQuery):
    """The number of elements in the queue now."""

    query = staticmethod(len)


@register("QueueIsClosedV2")
class QueueIsClosedV2(ResourceQuery):
    """Whether the queue is closed."""

    dtype = dtypes.bool
    query = staticmethod(lambda queue: queue.closed)


# -- the Python classes ------------------------------------------------------------------------
def _shapes(shapes: Any, count: int) -> list[TensorShape]:
    if shapes is None:
        return []
    shapes = [as_shape(shape) for shape in shapes]
    if len(shapes) != count:
        raise ValueError("Queue shapes must have the same length as dtypes")
    return shapes


class QueueBase:
    """``tf.QueueBase``: a queue's handle and the ops that use it."""

    def __init__(self, op_type: str, capacity: int, dtypes_: Any, shapes: Any,
                 shared_name: str | None, name: str, extra: dict | None = None) -> None:
        if not isinstance(dtypes_, (list, tuple)):
            dtypes_ = [dtypes_]
        self._dtypes = [dtypes.as_dtype(dtype) for dtype in dtypes_]
        self._shapes = _shapes(shapes, len(self._dtypes))
        attrs = {"component_types": self._dtypes, "shapes": self._shapes, "capacity": capacity,
                 "shared_name": shared_name or "", **(extra or {})}
        self._op = get_default_graph().create_op(op_type, [], attrs, name)
        self.queue_ref = self._op.outputs[0]
        self._name = self._op.name.split("/")[-1]  # its ops' names start with it, as in TF1

    @property
    def name(self) -> str:
        return self._op.name

    @property
    def dtypes(self) -> list:
        return list(self._dtypes)

    @property
    def shapes(self) -> list[TensorShape]:
        return list(self._shapes) or [unknown_shape() for _ in self._dtypes]

    def _components(self, op_type: str, vals: Any, many: bool) -> list[Tensor]:
        values = list(vals) if isinstance(vals, (list, tuple)) else [vals]
        if len(values) != len(self._dtypes):
            raise ValueError(f"Expected {len(self._dtypes)} components, got {len(values)}")
        tensors = [convert_to_tensor(value, dtype=dtype)
                   for value, dtype in zip(values, self._dtypes)]
        for index, (tensor, shape) in enumerate(zip(tensors, self.shapes)):
            element = tensor.shape[1:] if many and tensor.shape.ndims else tensor.shape
            if many and tensor.shape.ndims == 0:
                raise ValueError(f"{op_type}: component {index} must have rank at least 1")
            if not element.is_compatible_with(shape):
                raise ValueError(f"Shapes {element} and {shape} are incompatible: component "
                                 f"{index} of an element of queue '{self._name}'")
        return tensors

    def enqueue(self, vals: Any, name: str | None = None) -> Operation:
        """An op that adds one element: a tensor, or a list or tuple of one per component."""
        with name_scope(name, f"{self._name}_enqueue", [vals]) as scope:
            inputs = [self.queue_ref, *self._components("enqueue", vals, False)]
            return get_default_graph().create_op(
                "QueueEnqueueV2", inputs, {"Tcomponents": self._dtypes}, scope)

    def enqueue_many(self, vals: Any, name: str | None = None) -> Operation:
        """An op that adds the slices along axis 0 of ``vals`` as elements."""
        with name_scope(name, f"{self._name}_EnqueueMany", [vals]) as scope:
            inputs = [self.queue_ref, *self._components("enqueue_many", vals, True)]
            return get_default_graph().create_op(
                "QueueEnqueueManyV2", inputs, {"Tcomponents": self._dtypes}, scope)

    def _dequeued(self, op: Operation) -> Any:
        return op.outputs[0] if len(op.outputs) == 1 else list(op.outputs)

    def dequeue(self, name: str | None = None) -> Any:
        """One element: a tensor, or a list of one per component."""
        op = get_default_graph().create_op("QueueDequeueV2", [self.queue_ref],
                                           {"component_types": self._dtypes},
                                           name or f"{self._name}_Dequeue")
        return self._dequeued(op)

    def _dequeue_n(self, op_type: str, n: Any, name: str) -> Any:
        count = convert_to_tensor(n, dtype=dtypes.int32, name="n")
        op = get_default_graph().create_op(op_type, [self.queue_ref, count],
                                           {"component_types": self._dtypes}, name)
        return self._dequeued(op)

    def dequeue_many(self, n: Any, name: str | None = None) -> Any:
        """``n`` elements, each component stacked along a new axis 0."""
        return self._dequeue_n("QueueDequeueManyV2", n, name or f"{self._name}_DequeueMany")

    def dequeue_up_to(self, n: Any, name: str | None = None) -> Any:
        """``dequeue_many``, except that a closed queue gives its last, smaller batch."""
        return self._dequeue_n("QueueDequeueUpToV2", n, name or f"{self._name}_DequeueUpTo")

    def close(self, cancel_pending_enqueues: bool = False, name: str | None = None
              ) -> Operation:
        """An op that closes the queue (and, with ``cancel_pending_enqueues``, ends the
        enqueues that wait on it)."""
        return get_default_graph().create_op(
            "QueueCloseV2", [self.queue_ref],
            {"cancel_pending_enqueues": cancel_pending_enqueues}, name or f"{self._name}_Close")

    def size(self, name: str | None = None) -> Tensor:
        """The number of elements in the queue when the op runs."""
        return get_default_graph().create_op("QueueSizeV2", [self.queue_ref], {},
                                             name or f"{self._name}_Size").outputs[0]

    def is_closed(self, name: str | None = None) -> Tensor:
        return get_default_graph().create_op("QueueIsClosedV2", [self.queue_ref], {},
                                             name or f"{self._name}_IsClosed").outputs[0]


def _no_names(names: Any) -> None:
    if names is not None:
        raise NotImplementedError("Queues with named components (names=) are not supported: "
                                  "pass the components as a list")


class FIFOQueue(QueueBase):
    """``tf.FIFOQueue``: first in, first out; ``capacity`` elements at most."""

    def __init__(self, capacity: int, dtypes: Any, shapes: Any = None, names: Any = None,
                 shared_name: str | None = None, name: str = "fifo_queue") -> None:
        _no_names(names)
        super().__init__("FIFOQueueV2", capacity, dtypes, shapes, shared_name, name)


class RandomShuffleQueue(QueueBase):
    """``tf.RandomShuffleQueue``: dequeues elements at random. Until it is closed, a dequeue
    leaves at least ``min_after_dequeue`` elements behind, so that what it takes is well
    mixed. Seeds follow ``tf.set_random_seed``'s rules."""

    def __init__(self, capacity: int, min_after_dequeue: int, dtypes: Any, shapes: Any = None,
                 names: Any = None, seed: int | None = None, shared_name: str | None = None,
                 name: str = "random_shuffle_queue") -> None:
        _no_names(names)
        extra = {"min_after_dequeue": min_after_dequeue, **seed_attrs(seed)}
        super().__init__("RandomShuffleQueueV2", capacity, dtypes, shapes, shared_name, name,
                         extra)
