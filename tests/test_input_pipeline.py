"""Queues, readers, decode_csv and the queue-runner input pipelines of TF1 (lab 4-4). Error
texts are TF1's, as TensorFlow 2.21's ``compat.v1`` prints them."""

from __future__ import annotations

import csv
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import graphflow as tf
from graphflow.framework.errors import (
    CancelledError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
)


@pytest.fixture(autouse=True)
def fresh_graph() -> None:
    tf.reset_default_graph()


def _in_thread(function: object) -> threading.Thread:
    thread = threading.Thread(target=function, daemon=True)
    thread.start()
    return thread


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("".join(line + "\n" for line in lines))
    return str(path)


# -- FIFOQueue ---------------------------------------------------------------------------------
def test_fifo_queue_keeps_order_and_stacks_dequeue_many() -> None:
    queue = tf.FIFOQueue(10, [tf.float32, tf.int32], shapes=[[2], []])
    x, label = tf.placeholder(tf.float32, [2]), tf.placeholder(tf.int32, [])
    enqueue = queue.enqueue([x, label])
    one, many = queue.dequeue(), queue.dequeue_many(2)
    assert [t.shape.as_list() for t in one] == [[2], []]
    assert [t.shape.as_list() for t in many] == [[2, 2], [2]]
    assert [t.dtype for t in many] == [tf.float32, tf.int32]
    with tf.Session() as sess:
        for i in range(4):
            sess.run(enqueue, {x: [i, -i], label: i})
        assert sess.run(queue.size()) == 4
        first = sess.run(one)
        np.testing.assert_array_equal(first[0], [0, 0])
        assert first[1] == 0
        rows, labels = sess.run(many)
        np.testing.assert_array_equal(rows, [[1, -1], [2, -2]])
        np.testing.assert_array_equal(labels, [1, 2])
        assert sess.run(queue.size()) == 1


def test_enqueue_many_splits_along_the_first_axis() -> None:
    queue = tf.FIFOQueue(10, tf.float32, shapes=[[3]])
    batch = tf.placeholder(tf.float32, [None, 3])
    with tf.Session() as sess:
        sess.run(queue.enqueue_many(batch), {batch: np.arange(12.0).reshape(4, 3)})
        np.testing.assert_array_equal(sess.run(queue.dequeue_many(4)),
                                      np.arange(12.0).reshape(4, 3))


def test_the_queue_keeps_copies_of_what_was_fed() -> None:
    queue = tf.FIFOQueue(10, tf.float32, shapes=[[2]])
    x, rows = tf.placeholder(tf.float32, [2]), tf.placeholder(tf.float32, [None, 2])
    one, many = np.array([1.0, 2.0], np.float32), np.array([[3.0, 4.0]], np.float32)
    with tf.Session() as sess:
        sess.run(queue.enqueue(x), {x: one})
        sess.run(queue.enqueue_many(rows), {rows: many})
        one[:] = many[:] = -1.0
        np.testing.assert_array_equal(sess.run(queue.dequeue_many(2)), [[1, 2], [3, 4]])


def test_closed_queue_gives_what_is_left_then_out_of_range() -> None:
    queue = tf.FIFOQueue(10, tf.int32, shapes=[[]])
    up_to, dequeue = queue.dequeue_up_to(2), queue.dequeue()
    assert up_to.shape.as_list() == [None]
    with tf.Session() as sess:
        sess.run(queue.enqueue_many([[1, 2, 3]]))
        sess.run(queue.close())
        assert sess.run(queue.is_closed())
        np.testing.assert_array_equal(sess.run(up_to), [1, 2])
        np.testing.assert_array_equal(sess.run(up_to), [3])  # the smaller, final batch
        with pytest.raises(OutOfRangeError, match=r"FIFOQueue '.*fifo_queue' is closed and has "
                           r"insufficient elements \(requested 1, current size 0\)"):
            sess.run(dequeue)
        with pytest.raises(CancelledError, match="FIFOQueue '.*fifo_queue' is closed."):
            sess.run(queue.enqueue(4))


def test_enqueue_checks_shapes_when_built_and_when_run() -> None:
    queue = tf.FIFOQueue(3, tf.float32, shapes=[[2]])
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        queue.enqueue(tf.zeros([3]))
    with pytest.raises(ValueError, match="Expected 1 components, got 2"):
        queue.enqueue([tf.zeros([2]), tf.zeros([2])])
    x, rows = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None, None])
    enqueue, enqueue_many = queue.enqueue(x), queue.enqueue_many(rows)
    with tf.Session() as sess:
        with pytest.raises(InvalidArgumentError, match=r"Shape mismatch in tuple component 0. "
                           r"Expected \[2\], got \[3\]"):
            sess.run(enqueue, {x: [1, 2, 3]})
        with pytest.raises(InvalidArgumentError, match=r"Expected \[1,2\], got \[1,3\]"):
            sess.run(enqueue_many, {rows: [[1, 2, 3]]})
        assert sess.run(queue.size()) == 0  # nothing of a refused element went in


def test_dequeue_many_needs_the_shapes_of_the_components() -> None:
    with pytest.raises(ValueError, match="requires the queue's components to have specified "
                                         "shapes"):
        tf.FIFOQueue(3, tf.float32).dequeue_many(2)


def test_a_waiting_dequeue_lets_other_runs_go_ahead() -> None:
    """A dequeue of an empty queue waits without holding the Session's run lock: another
    thread's training steps and its enqueue still run, and end the wait."""
    queue = tf.FIFOQueue(5, tf.float32, shapes=[[]])
    counter = tf.Variable(0.0)
    step = tf.assign_add(counter, 1.0)
    total = tf.Variable(0.0)
    consume = tf.assign_add(total, queue.dequeue())  # reads, waits, then writes a variable
    value = tf.placeholder(tf.float32, [])
    enqueue = queue.enqueue(value)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        results = []
        waiter = _in_thread(lambda: results.append(sess.run(consume)))
        time.sleep(0.05)
        assert waiter.is_alive()
        for _ in range(3):
            sess.run(step)  # would deadlock if the waiting run held the lock
        sess.run(enqueue, {value: 7.0})
        waiter.join(5)
        assert not waiter.is_alive()
        assert results == [7.0]
        assert sess.run([counter, total]) == [3.0, 7.0]


def test_a_waiting_run_keeps_its_own_writes() -> None:
    """Writes a run made before it waited are set aside while other runs commit, and committed
    with the run itself."""
    queue = tf.FIFOQueue(5, tf.float32, shapes=[[]])
    a, b = tf.Variable(0.0), tf.Variable(0.0)
    write_a = tf.assign(a, 5.0)
    with tf.control_dependencies([write_a]):
        then_dequeue = tf.identity(queue.dequeue())
    failing = tf.assign(b, tf.check_numerics(tf.constant(np.nan, tf.float32), "nan"))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        done = []
        waiter = _in_thread(lambda: done.append(sess.run(then_dequeue)))
        time.sleep(0.05)
        with pytest.raises(InvalidArgumentError):
            sess.run(failing)  # its discard must not drop the waiting run's write to a
        assert sess.run(a) == 0.0  # not committed while the run waits
        sess.run(queue.enqueue(1.0))
        waiter.join(5)
        assert done == [1.0] and sess.run(a) == 5.0


def _cancelled_in_thread(sess: tf.Session, fetch: object) -> tuple[threading.Thread, list]:
    """A thread that runs ``fetch`` (which waits), and the list its CancelledError goes to."""
    errors: list = []

    def wait() -> None:
        try:
            sess.run(fetch)
        except CancelledError as error:
            errors.append(error)

    waiter = _in_thread(wait)
    time.sleep(0.05)
    assert waiter.is_alive()
    return waiter, errors


def test_closing_the_session_cancels_waiting_runs() -> None:
    queue = tf.FIFOQueue(1, tf.float32, shapes=[[]])
    sess = tf.Session()
    waiter, errors = _cancelled_in_thread(sess, queue.dequeue())
    sess.close()
    waiter.join(5)
    assert not waiter.is_alive()
    assert "Session has been closed." in str(errors[0])


def test_ctrl_c_ends_a_waiting_run_and_changes_no_variable() -> None:
    """A program stuck on an empty queue can be stopped with Ctrl-C; the interrupted run's
    write is dropped."""
    queue = tf.FIFOQueue(1, tf.float32, shapes=[[]])
    counter = tf.Variable(1.0)
    with tf.control_dependencies([tf.assign(counter, 2.0)]):
        stuck = tf.identity(queue.dequeue())
    with tf.Session() as sess:
        sess.run(counter.initializer)
        timer = threading.Timer(0.05, signal.pthread_kill,  # the user's Ctrl-C
                                [threading.main_thread().ident, signal.SIGINT])
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            sess.run(stuck)
        timer.join()
        assert sess.run(counter) == 1.0


def test_cancel_pending_enqueues_ends_a_full_queues_waiting_enqueue() -> None:
    queue = tf.FIFOQueue(1, tf.float32, shapes=[[]])
    enqueue = queue.enqueue(1.0)
    with tf.Session() as sess:
        sess.run(enqueue)
        waiter, errors = _cancelled_in_thread(sess, enqueue)  # the queue is full
        sess.run(queue.close(cancel_pending_enqueues=True))
        waiter.join(5)
        assert "Enqueue operation was cancelled" in str(errors[0])
        assert sess.run(queue.dequeue()) == 1.0  # what was in it stays


def test_timeout_in_ms_ends_a_wait_with_deadline_exceeded() -> None:
    """``RunOptions(timeout_in_ms=...)`` bounds a run's waits on queues; the timed-out run
    changes no variable, and later runs wait as long as they must."""
    queue = tf.FIFOQueue(1, tf.float32, shapes=[[]])
    counter = tf.Variable(0.0)
    with tf.control_dependencies([tf.assign_add(counter, 1.0)]):
        counted_dequeue = tf.identity(queue.dequeue())
    enqueue = queue.enqueue(2.0)
    options = tf.RunOptions(timeout_in_ms=30)
    with tf.Session() as sess:
        sess.run(counter.initializer)
        with pytest.raises(tf.errors.DeadlineExceededError,
                           match="Timed out waiting for notification"):
            sess.run(counted_dequeue, options=options)
        assert sess.run(counter) == 0.0
        sess.run(enqueue)
        with pytest.raises(tf.errors.DeadlineExceededError):
            sess.run(enqueue, options=options)  # full
        feeder = threading.Timer(0.05, lambda: sess.run(enqueue))
        assert sess.run(counted_dequeue) == 2.0  # no deadline: the queue had one
        feeder.start()
        assert sess.run(counted_dequeue) == 2.0  # waits for the timer's enqueue
        feeder.join()
        assert sess.run(counter) == 2.0


# -- RandomShuffleQueue ------------------------------------------------------------------------
def test_random_shuffle_queue_is_a_seeded_permutation() -> None:
    def drawn() -> np.ndarray:
        tf.reset_default_graph()
        queue = tf.RandomShuffleQueue(100, 0, tf.int32, shapes=[[]], seed=5)
        with tf.Session() as sess:
            sess.run(queue.enqueue_many([np.arange(50)]))
            return sess.run(queue.dequeue_many(50))

    first = drawn()
    assert sorted(first) == list(range(50))
    assert list(first) != list(range(50))
    np.testing.assert_array_equal(drawn(), first)


def test_random_shuffle_queue_keeps_min_after_dequeue_until_closed() -> None:
    queue = tf.RandomShuffleQueue(10, 3, tf.int32, shapes=[[]], seed=1)
    dequeue = queue.dequeue()
    with tf.Session() as sess:
        sess.run(queue.enqueue_many([[1, 2, 3]]))
        results = []
        waiter = _in_thread(lambda: results.append(sess.run(dequeue)))
        time.sleep(0.05)
        assert waiter.is_alive()  # 3 elements: a dequeue would leave fewer than 3
        sess.run(queue.enqueue(4))
        waiter.join(5)
        assert results[0] in (1, 2, 3, 4) and sess.run(queue.size()) == 3
        sess.run(queue.close())
        rest = sess.run(queue.dequeue_up_to(5))  # closed: the last ones come out
        assert sorted([*rest, results[0]]) == [1, 2, 3, 4]


# -- CountUpTo ---------------------------------------------------------------------------------
def test_count_up_to_counts_then_raises_and_changes_nothing() -> None:
    counter = tf.Variable(0, name="counter")
    count = counter.count_up_to(2)
    assert count.dtype == tf.int32 and count.shape.as_list() == []
    with tf.Session() as sess:
        sess.run(counter.initializer)
        assert [sess.run(count), sess.run(count)] == [0, 1]
        with pytest.raises(OutOfRangeError, match="Reached limit of 2"):
            sess.run(count)
        assert sess.run(counter) == 2
    with pytest.raises(TypeError, match="float"):
        tf.count_up_to(tf.Variable(0.0), 3)


# -- decode_csv --------------------------------------------------------------------------------
def test_decode_csv_matches_pythons_csv_module() -> None:
    lines = ['1e3,-4,"a,b",2', "2.5,7,plain,-1", '-0.25,0,"say ""hi""",8']
    records = tf.placeholder(tf.string, [None])
    columns = tf.decode_csv(records, [[0.0], [0], [""], [0.0]])
    assert [c.dtype for c in columns] == [tf.float32, tf.int32, tf.string, tf.float32]
    assert [c.shape.as_list() for c in columns] == [[None]] * 4
    with tf.Session() as sess:
        got = sess.run(columns, {records: lines})
    rows = list(csv.reader(lines))
    np.testing.assert_array_equal(got[0], np.float32([float(r[0]) for r in rows]))
    np.testing.assert_array_equal(got[1], np.int32([int(r[1]) for r in rows]))
    assert list(got[2]) == [r[2].encode() for r in rows]
    np.testing.assert_array_equal(got[3], np.float32([float(r[3]) for r in rows]))


def test_decode_csv_defaults_delimiters_and_selected_columns() -> None:
    record = tf.placeholder(tf.string, [])
    with tf.Session() as sess:
        empty = sess.run(tf.decode_csv(record, [[0.5], [7], ["x"], tf.constant([3], tf.int64)]),
                         {record: ",,,"})
        assert [np.asarray(v).tolist() for v in empty] == [0.5, 7, b"x", 3]
        assert empty[3].dtype == np.int64
        picked = sess.run(tf.decode_csv(record, [[0.0], [0]], field_delim=";",
                                        select_cols=[0, 2]), {record: "1;2;3"})
        assert [np.asarray(v).tolist() for v in picked] == [1.0, 3]
        missing = sess.run(tf.decode_csv(record, [[1.5], [2]], na_value="NA"),
                           {record: "NA,NA"})
        assert [np.asarray(v).tolist() for v in missing] == [1.5, 2]


@pytest.mark.parametrize("defaults,line,message", [
    ([[0.0], [0]], "1,2,3", "Expect 2 fields but have 3 in record 0"),
    ([[], [0]], ",2", "Field 0 is required but missing in record 0!"),
    ([[0.0], [0]], "x,2", "Field 0 in record 0 is not a valid float: x"),
    ([[0.0], [0]], "1,2.5", "Field 1 in record 0 is not a valid int32: 2.5"),
    ([[0.0], [0]], "1,99999999999", "Field 1 in record 0 is not a valid int32: 99999999999"),
])
def test_decode_csv_refuses_bad_records(defaults: list, line: str, message: str) -> None:
    record = tf.placeholder(tf.string, [None])
    columns = tf.decode_csv(record, defaults)
    with tf.Session() as sess, pytest.raises(InvalidArgumentError, match=message):
        sess.run(columns, {record: [line]})


def test_decode_csv_checks_its_arguments_when_built() -> None:
    record = tf.placeholder(tf.string, [])
    with pytest.raises(ValueError, match="field_delim should be only 1 char"):
        tf.decode_csv(record, [[0.0]], field_delim=";;")
    with pytest.raises(ValueError, match="Shape must be at most rank 1 but is rank 2"):
        tf.decode_csv(record, [[[0.0]]])
    with pytest.raises(TypeError, match="DataType bool not in list of allowed values"):
        tf.decode_csv(record, [[True]])


# -- TextLineReader ----------------------------------------------------------------------------
def test_text_line_reader_reads_every_line_of_every_file(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.csv", ["header", "1,2", "3,4"])
    second = _write(tmp_path / "b.csv", ["header", "5,6"])
    queue = tf.FIFOQueue(5, tf.string, shapes=[[]])
    reader = tf.TextLineReader(skip_header_lines=1)
    key, value = reader.read(queue)
    with tf.Session() as sess:
        sess.run(queue.enqueue_many([[first, second]]))
        sess.run(queue.close())
        records = [sess.run([key, value]) for _ in range(3)]
        assert records == [[f"{first}:2".encode(), b"1,2"], [f"{first}:3".encode(), b"3,4"],
                           [f"{second}:2".encode(), b"5,6"]]
        assert sess.run(reader.num_records_produced()) == 3
        with pytest.raises(OutOfRangeError, match="is closed and has insufficient elements"):
            sess.run(value)


def test_text_line_reader_names_a_missing_file(tmp_path: Path) -> None:
    queue = tf.FIFOQueue(5, tf.string, shapes=[[]])
    value = tf.TextLineReader().read(queue)[1]
    with tf.Session() as sess:
        sess.run(queue.enqueue(str(tmp_path / "missing.csv")))
        with pytest.raises(NotFoundError, match="missing.csv; No such file or directory") as info:
            sess.run(value)
        assert info.value.op.type == "ReaderReadV2"


# -- producers, batches and the threads that run them ------------------------------------------
def _run_until_out_of_range(fetch: object) -> list:
    """The results of running ``fetch`` in a new Session, its queue runners started, until
    the pipeline's input runs out: an OutOfRangeError, and nothing else, ends the loop."""
    results = []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        with pytest.raises(OutOfRangeError):
            while True:
                results.append(sess.run(fetch))
        coord.request_stop()
        coord.join(threads)
    return results


def test_string_input_producer_runs_num_epochs_then_ends(tmp_path: Path) -> None:
    path = _write(tmp_path / "data.csv", ["1", "2", "3"])
    filenames = tf.train.string_input_producer([path], num_epochs=2, shuffle=False)
    value = tf.TextLineReader().read(filenames)[1]
    assert [s.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)] == \
        ["input_producer/fraction_of_32_full:0"]
    assert _run_until_out_of_range(value) == [b"1", b"2", b"3"] * 2


def test_several_threads_share_one_reader_without_deadlock(tmp_path: Path) -> None:
    """Three enqueue threads read through one reader while the file-name queue (capacity 1)
    runs dry between files: a thread waiting for the reader must not hold the run lock that
    the file-name producer needs."""
    paths = [_write(tmp_path / f"{i}.csv", [f"{i}{j}" for j in range(3)]) for i in range(4)]
    filenames = tf.train.string_input_producer(paths, num_epochs=2, shuffle=False, capacity=1)
    value = tf.TextLineReader().read(filenames)[1]
    batch = tf.train.batch([value], batch_size=4, num_threads=3,
                           allow_smaller_final_batch=True)
    lines: list = []
    sess = tf.Session()
    sess.run(tf.local_variables_initializer())
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess, coord)

    def consume() -> None:
        try:
            while True:
                lines.extend(sess.run(batch)[0])
        except OutOfRangeError:
            pass

    consumer = _in_thread(consume)
    consumer.join(20)
    finished = not consumer.is_alive()
    coord.request_stop()
    sess.close()  # ends any wait, so that a failure does not hang the suite
    coord.join(threads, stop_grace_period_secs=5)
    assert finished
    assert sorted(lines) == sorted([f"{i}{j}".encode() for i in range(4) for j in range(3)] * 2)


def test_shuffled_producers_give_each_epoch_in_a_new_order() -> None:
    tf.set_random_seed(3)
    queue = tf.train.range_input_producer(20, num_epochs=3, shuffle=True, capacity=60)
    drawn = queue.dequeue_up_to(60)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        values = sess.run(drawn)
        coord.request_stop()
        coord.join(threads)
    epochs = values.reshape(3, 20)
    for epoch in epochs:
        assert sorted(epoch) == list(range(20))
    assert len({tuple(epoch) for epoch in epochs}) == 3


def test_batch_keeps_the_structure_and_adds_a_dimension() -> None:
    images = tf.constant(np.arange(12, dtype=np.float32).reshape(6, 2))
    labels = tf.constant(np.arange(6))
    image, label = tf.train.slice_input_producer([images, labels], shuffle=False)
    listed = tf.train.batch([image, label], batch_size=4)
    named = tf.train.batch({"x": image, "y": label}, batch_size=4)
    single = tf.train.batch(image, batch_size=4)
    assert [t.shape.as_list() for t in listed] == [[4, 2], [4]]
    assert sorted(named) == ["x", "y"] and named["x"].shape.as_list() == [4, 2]
    assert single.shape.as_list() == [4, 2]
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        x, y = sess.run(listed)
        coord.request_stop()
        coord.join(threads)
    np.testing.assert_array_equal(x, np.arange(12).reshape(6, 2)[y])  # rows stay together
    assert list(y) == [0, 1, 2, 3]


def test_batch_of_a_finite_input_ends_with_a_smaller_batch(tmp_path: Path) -> None:
    path = _write(tmp_path / "xy.csv", [f"{i},{10 * i}" for i in range(7)])
    filenames = tf.train.string_input_producer([path], num_epochs=1, shuffle=False)
    x, y = tf.decode_csv(tf.TextLineReader().read(filenames)[1], [[0.0], [0]])
    xs, ys = tf.train.batch([x, y], batch_size=3, allow_smaller_final_batch=True)
    assert xs.shape.as_list() == [None]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        batches = []
        try:
            while not coord.should_stop():
                batches.append(sess.run([xs, ys]))
        except OutOfRangeError:
            coord.request_stop()
        coord.join(threads)
    assert [len(b[0]) for b in batches] == [3, 3, 1]
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), np.arange(7.0))
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), np.arange(7) * 10)


def test_shuffle_batch_gives_every_example_once_per_epoch() -> None:
    value = tf.train.range_input_producer(30, num_epochs=1, shuffle=False).dequeue()
    batches = tf.train.shuffle_batch([value], batch_size=4, capacity=20, min_after_dequeue=5,
                                     num_threads=2, seed=1, allow_smaller_final_batch=True)
    seen = [value for batch in _run_until_out_of_range(batches) for value in batch[0]]
    assert sorted(seen) == list(range(30))
    assert seen != list(range(30))


def test_batch_needs_fully_defined_shapes() -> None:
    with pytest.raises(ValueError, match="All shapes must be fully defined"):
        tf.train.batch([tf.placeholder(tf.float32, [None])], 2)
    with pytest.raises(ValueError, match="capacity 5 must be bigger than min_after_dequeue 5."):
        tf.train.shuffle_batch([tf.zeros([2])], 2, capacity=5, min_after_dequeue=5)
    with pytest.raises(ValueError, match="requires a non-null input tensor"):
        tf.train.string_input_producer([])
    with pytest.raises(ValueError, match="`element_shape` must be specified"):
        tf.train.input_producer(tf.placeholder(tf.float32, [None, None]))


def test_an_error_in_a_runner_thread_reaches_coordinator_join(tmp_path: Path) -> None:
    filenames = tf.train.string_input_producer([str(tmp_path / "absent.csv")])
    value = tf.TextLineReader().read(filenames)[1]
    batch = tf.train.batch([value], batch_size=2)
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        assert coord.wait_for_stop(5)
        with pytest.raises(NotFoundError, match="absent.csv"):
            coord.join(threads)
        assert coord.joined
        del batch


def test_start_queue_runners_needs_a_session() -> None:
    tf.train.batch([tf.zeros([2])], 2)
    with pytest.raises(ValueError, match="No default session is registered"):
        tf.train.start_queue_runners()
    with tf.Session() as sess:
        threads = tf.train.start_queue_runners()  # the default session
        assert tf.train.start_queue_runners(sess) == []  # already running there
        sess.close()
    for thread in threads:
        thread.join(5)


# -- Coordinator -------------------------------------------------------------------------------
def test_coordinator_stops_threads_and_reraises_the_first_error() -> None:
    coord = tf.train.Coordinator()

    def worker(fail: bool) -> None:
        with coord.stop_on_exception():
            while not coord.should_stop():
                if fail:
                    raise KeyError("first")
                time.sleep(0.001)

    threads = [threading.Thread(target=worker, args=(fail,)) for fail in (False, True)]
    for thread in threads:
        thread.start()
    with pytest.raises(KeyError, match="first"):
        coord.join(threads)
    assert not any(t.is_alive() for t in threads)
    coord.clear_stop()
    assert not coord.should_stop() and not coord.joined


def test_coordinator_clean_stops_and_live_threads() -> None:
    coord = tf.train.Coordinator()
    coord.request_stop(OutOfRangeError(None, None, "input ran out"))
    coord.join([])  # a clean stop: nothing raised
    coord.clear_stop()
    stuck = threading.Event()
    thread = _in_thread(stuck.wait)
    coord.register_thread(thread)
    coord.request_stop()
    with pytest.raises(RuntimeError, match="Coordinator stopped with threads still running"):
        coord.join(stop_grace_period_secs=0.01)
    stuck.set()
    with pytest.raises(ValueError, match="late"):  # after join, a request raises at once
        coord.request_stop(ValueError("late"))


# -- the lab -----------------------------------------------------------------------------------
def test_lab_4_4_trains_on_batches_read_by_the_graph(tmp_path: Path) -> None:
    """The lecture's lab 4-4 as written, with its initial weights fixed: each step is one
    gradient-descent step on the next 10 rows of the file, going round it."""
    data = np.random.RandomState(0).randint(40, 100, size=(25, 4)).astype(np.float64)
    path = _write(tmp_path / "scores.csv", [",".join(map(str, map(int, r))) for r in data])
    filename_queue = tf.train.string_input_producer([path], shuffle=False,
                                                    name="filename_queue")
    reader = tf.TextLineReader()
    key, value = reader.read(filename_queue)
    xy = tf.decode_csv(value, record_defaults=[[0.], [0.], [0.], [0.]])
    train_x_batch, train_y_batch = tf.train.batch([xy[0:-1], xy[-1:]], batch_size=10)
    X = tf.placeholder(tf.float32, shape=[None, 3])
    Y = tf.placeholder(tf.float32, shape=[None, 1])
    W0, b0 = np.float32([[0.1], [0.2], [0.3]]), np.float32([0.5])
    W, b = tf.Variable(W0, name="weight"), tf.Variable(b0, name="bias")
    hypothesis = tf.matmul(X, W) + b
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    train = tf.train.GradientDescentOptimizer(learning_rate=1e-5).minimize(cost)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    costs = []
    for _ in range(12):
        x_batch, y_batch = sess.run([train_x_batch, train_y_batch])
        costs.append(sess.run([cost, train], feed_dict={X: x_batch, Y: y_batch})[0])
    coord.request_stop()
    coord.join(threads)
    final_W = sess.run(W)
    sess.close()

    want_W, want_b = W0.astype(np.float64), b0.astype(np.float64)
    for step, got in enumerate(costs):
        rows = data[np.arange(10 * step, 10 * step + 10) % 25]
        error = rows[:, :3] @ want_W + want_b - rows[:, 3:]
        assert got == pytest.approx(np.mean(error ** 2), rel=1e-5)
        want_W = want_W - 1e-5 * 2 * rows[:, :3].T @ error / 10
        want_b = want_b - 1e-5 * 2 * error.mean(axis=0)
    np.testing.assert_allclose(final_W, want_W, rtol=1e-5)
