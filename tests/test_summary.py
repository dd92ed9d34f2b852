"""tf.summary and FileWriter: event files that TensorBoard's own reader reads back."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import crc32c as crc32c_package
import numpy as np
import pytest
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.compat.proto import summary_pb2
from tensorboard.util import tensor_util

import graphflow as tf
from graphflow.framework.errors import InvalidArgumentError
from graphflow.summary import (
    FileWriter,
    histogram,
    image,
    merge,
    merge_all,
    scalar,
    text,
)
from graphflow.summary.records import crc32c_python, frame, masked_crc32c

ALL = {"scalars": 0, "histograms": 0, "images": 0, "tensors": 0}


def read_back(logdir: Path) -> EventAccumulator:
    accumulator = EventAccumulator(str(logdir), size_guidance=ALL)
    accumulator.Reload()
    return accumulator


def parse(summary: bytes) -> summary_pb2.Summary:
    message = summary_pb2.Summary()
    message.ParseFromString(summary)
    return message


# -- records -------------------------------------------------------------------------------
def test_python_crc32c_agrees_with_the_package() -> None:
    rng = np.random.default_rng(0)
    for size in (0, 1, 9, 100, 1000):
        data = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        assert crc32c_python(data) == crc32c_package.crc32c(data)


def test_a_record_is_length_crcs_and_data() -> None:
    data = b"some event bytes"
    record = frame(data)
    assert len(record) == 8 + 4 + len(data) + 4
    assert int.from_bytes(record[:8], "little") == len(data)
    assert int.from_bytes(record[8:12], "little") == masked_crc32c(record[:8])
    assert record[12:-4] == data
    crc = crc32c_package.crc32c(data)
    masked = (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF
    assert int.from_bytes(record[-4:], "little") == masked


# -- scalars, histograms, images, text ------------------------------------------------------
def test_scalars_come_back_with_their_steps_and_values(tmp_path: Path) -> None:
    x = tf.placeholder(tf.float32, [], name="x")
    with tf.name_scope("train"):
        cost = scalar("cost", x * 2.0)
    fed = np.float32([0.5, -1.25, 3.0, 7.75])
    with tf.Session() as sess, FileWriter(tmp_path) as writer:
        for step, value in enumerate(fed):
            writer.add_summary(sess.run(cost, {x: value}), global_step=10 * step)
    assert cost.op.name == "train/cost"
    events = read_back(tmp_path).Scalars("train/cost")
    assert [e.step for e in events] == [0, 10, 20, 30]
    np.testing.assert_array_equal([e.value for e in events], fed * 2)


def test_a_scalar_summary_needs_a_single_value() -> None:
    with pytest.raises(ValueError, match="tags and values not the same shape"):
        scalar("pair", tf.constant([1.0, 2.0]))
    unknown = tf.placeholder(tf.float32)
    summary = scalar("unknown", unknown)
    with tf.Session() as sess, pytest.raises(InvalidArgumentError, match="not the same shape"):
        sess.run(summary, {unknown: [1.0, 2.0]})


def test_scalar_family_prefixes_the_tag() -> None:
    summary = scalar("loss", tf.constant(1.0), family="losses")
    assert summary.op.name == "losses/loss"
    with tf.Session() as sess:
        assert [v.tag for v in parse(sess.run(summary)).value] == ["losses/losses/loss"]


def test_histogram_buckets_count_the_data(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    data = np.concatenate([rng.normal(size=500), np.zeros(20), [1e-3, -4e5]])
    values = tf.placeholder(tf.float64, [None])
    summary = histogram("weights", values)
    with tf.Session() as sess, FileWriter(tmp_path) as writer:
        writer.add_summary(sess.run(summary, {values: data}), 3)
    event, = read_back(tmp_path).Histograms("weights")
    histo = event.histogram_value
    assert event.step == 3
    assert (histo.min, histo.max, histo.num) == (data.min(), data.max(), data.size)
    assert histo.sum == pytest.approx(data.sum())
    assert histo.sum_squares == pytest.approx(np.sum(data ** 2))
    # Bucket i holds the values in [limit[i-1], limit[i]); edges grow by 10% from 1e-12.
    lower = np.concatenate([[-np.inf], histo.bucket_limit[:-1]])
    counts = [np.sum((data >= lo) & (data < hi)) for lo, hi in zip(lower, histo.bucket_limit)]
    np.testing.assert_array_equal(histo.bucket, counts)
    assert not any(a == b == 0 for a, b in zip(histo.bucket, histo.bucket[1:]))  # runs merged
    assert histo.bucket_limit[-1] == sys.float_info.max
    filled = np.array(histo.bucket) > 0
    upper, lower = np.array(histo.bucket_limit)[filled], lower[filled]
    positive = lower > 0
    np.testing.assert_allclose(upper[positive] / lower[positive], 1.1, rtol=1e-9)


def test_a_histogram_of_nan_fails_at_run_time() -> None:
    summary = histogram("h", tf.constant([1.0, np.nan]))
    with tf.Session() as sess, pytest.raises(InvalidArgumentError, match="Nan in summary"):
        sess.run(summary)


def decode(event) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(event.encoded_image_string)))


def test_uint8_images_decode_to_the_same_pixels(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    batch = rng.integers(0, 256, (4, 5, 7, 3), dtype=np.uint8)
    grey = rng.integers(0, 256, (1, 6, 2, 1), dtype=np.uint8)
    summaries = merge([image("rgb", tf.constant(batch), max_outputs=2),
                       image("grey", tf.constant(grey), max_outputs=1)])
    with tf.Session() as sess, FileWriter(tmp_path) as writer:
        writer.add_summary(sess.run(summaries), 0)
    accumulator = read_back(tmp_path)
    assert sorted(accumulator.Tags()["images"]) == ["grey/image", "rgb/image/0", "rgb/image/1"]
    for index in range(2):
        event, = accumulator.Images(f"rgb/image/{index}")
        assert (event.height, event.width) == (5, 7)
        np.testing.assert_array_equal(decode(event), batch[index])
    event, = accumulator.Images("grey/image")
    assert (event.height, event.width) == (6, 2)
    np.testing.assert_array_equal(decode(event), grey[0, :, :, 0])


def test_float_images_are_scaled_as_tf1_scales_them() -> None:
    rng = np.random.default_rng(3)
    positive = rng.uniform(0, 4, (1, 3, 4, 1)).astype(np.float32)
    mixed = rng.uniform(-2, 1, (1, 3, 4, 1)).astype(np.float32)
    with tf.Session() as sess:
        found = [parse(sess.run(image(name, tf.constant(data), max_outputs=1))).value[0]
                 for name, data in (("pos", positive), ("mixed", mixed))]
    pixels = [np.asarray(Image.open(io.BytesIO(v.image.encoded_image_string))) for v in found]
    positive, mixed = positive[0, :, :, 0].astype(float), mixed[0, :, :, 0].astype(float)
    # scaled, then truncated to uint8
    np.testing.assert_array_equal(pixels[0], np.uint8(positive * (255 / positive.max())))
    np.testing.assert_array_equal(pixels[1], np.uint8(mixed * (127 / np.abs(mixed).max()) + 128))
    assert found[0].image.colorspace == 1


def test_non_finite_pixels_are_drawn_red() -> None:
    picture = np.full((1, 2, 2, 3), 0.5)
    picture[0, 1, 0, 2] = np.nan
    with tf.Session() as sess:
        value, = parse(sess.run(image("nan", tf.constant(picture)))).value
    pixels = np.asarray(Image.open(io.BytesIO(value.image.encoded_image_string)))
    np.testing.assert_array_equal(pixels[1, 0], [255, 0, 0])
    np.testing.assert_array_equal(pixels[[0, 0, 1], [0, 1, 1]], np.full((3, 3), 255))


def test_image_needs_one_three_or_four_channels() -> None:
    with pytest.raises(ValueError, match="last dim 1, 3, or 4"):
        image("bad", tf.zeros([1, 2, 2, 2]))


def test_text_is_a_string_tensor_for_the_text_plugin(tmp_path: Path) -> None:
    words = np.array([b"hello", b"graph"], dtype=object)
    summary = text("notes", tf.constant(words))
    with tf.Session() as sess, FileWriter(tmp_path) as writer:
        writer.add_summary(sess.run(summary), 1)
    accumulator = read_back(tmp_path)
    event, = accumulator.Tensors("notes")
    np.testing.assert_array_equal(tensor_util.make_ndarray(event.tensor_proto), words)
    assert accumulator.SummaryMetadata("notes").plugin_data.plugin_name == "text"
    with pytest.raises(ValueError, match="dtype string"):
        text("number", tf.constant(1.0))


def test_merge_all_merges_the_summaries_collection() -> None:
    assert merge_all() is None
    a = scalar("a", tf.constant(1.5))
    b = histogram("b", tf.constant([1.0, 2.0]))
    scalar("elsewhere", tf.constant(2.0), collections=["mine"])
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [a, b]
    merged = merge_all()
    assert merged.op.type == "MergeSummary" and merged.op.name == "Merge/MergeSummary"
    with tf.Session() as sess:
        summary = parse(sess.run(merged))
        mine = parse(sess.run(merge_all("mine")))
    assert [v.tag for v in summary.value] == ["a", "b"]
    assert summary.value[0].simple_value == 1.5 and summary.value[1].histo.num == 2
    assert [(v.tag, v.simple_value) for v in mine.value] == [("elsewhere", 2.0)]


# -- the graph -----------------------------------------------------------------------------
def test_the_graph_tab_gets_every_node_with_inputs_and_attributes(tmp_path: Path) -> None:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.name_scope("layer"):
        W = tf.Variable(tf.ones([3, 2]), name="W")
        y = tf.matmul(x, W)
    with tf.control_dependencies([y]):
        done = tf.no_op(name="done")
    squeezed = tf.squeeze(y[:, :1], axis=[1])
    chosen = tf.cond(tf.constant(True), lambda: squeezed, lambda: -squeezed)
    FileWriter(tmp_path, graph=tf.get_default_graph()).close()
    graph_def = read_back(tmp_path).Graph()
    nodes = {node.name: node for node in graph_def.node}
    assert list(nodes) == [op.name for op in tf.get_default_graph().get_operations()]
    matmul = nodes[y.op.name]
    assert matmul.op == "MatMul" and list(matmul.input) == ["x", "layer/W/read"]
    assert list(nodes[done.name].input) == ["^" + y.op.name]
    assert nodes["x"].attr["dtype"].type == 1  # DT_FLOAT
    assert [d.size for d in nodes["x"].attr["shape"].shape.dim] == [-1, 3]
    assert matmul.attr["T"].type == 1
    assert [d.size for d in matmul.attr["_output_shapes"].list.shape[0].dim] == [-1, 2]
    assert nodes["layer/W"].attr["dtype"].type == 1
    assert nodes["layer/W"].attr["_output_shapes"].list.shape[0].dim[0].size == 3
    assert list(nodes[squeezed.op.name].attr["squeeze_dims"].list.i) == [1]
    assert nodes[chosen.op.name].op == "Merge"  # its cond context has no GraphDef form
    assert "context" not in nodes[chosen.op.name].attr
    ones = tensor_util.make_ndarray(nodes["layer/ones"].attr["value"].tensor)
    np.testing.assert_array_equal(ones, np.ones((3, 2), np.float32))
    assert ones.dtype == np.float32


# -- the writer ----------------------------------------------------------------------------
def test_the_file_is_named_as_tf1_names_it(tmp_path: Path) -> None:
    before = int(time.time())
    FileWriter(tmp_path / "run", filename_suffix=".v2").close()
    name, = os.listdir(tmp_path / "run")
    match = re.fullmatch(r"events\.out\.tfevents\.(\d{10})\.(.+)\.v2", name)
    assert match and match.group(2) == socket.gethostname()
    assert before <= int(match.group(1)) <= time.time()


def test_events_are_written_by_the_timer_without_flush(tmp_path: Path) -> None:
    writer = FileWriter(tmp_path, flush_secs=0.05)
    path = tmp_path / os.listdir(tmp_path)[0]
    writer.add_summary(summary_pb2.Summary(value=[summary_pb2.Summary.Value(
        tag="t", simple_value=4.0)]), 1)
    deadline = time.time() + 5
    while time.time() < deadline and not read_back(tmp_path).Tags()["scalars"]:
        time.sleep(0.02)
    assert [e.value for e in read_back(tmp_path).Scalars("t")] == [4.0]
    assert path.stat().st_size > 0
    writer.close()


def test_a_full_queue_is_written_without_waiting_for_the_timer(tmp_path: Path) -> None:
    writer = FileWriter(tmp_path, max_queue=3, flush_secs=1000)
    for step in range(3):
        writer.add_summary(summary_pb2.Summary(value=[summary_pb2.Summary.Value(
            tag="t", simple_value=step)]), step)
    deadline = time.time() + 5
    while time.time() < deadline and len(read_back(tmp_path).Tags()["scalars"]) == 0:
        time.sleep(0.02)
    assert [e.step for e in read_back(tmp_path).Scalars("t")][:2] == [0, 1]
    writer.close()


def test_a_program_that_never_closes_its_writer_loses_no_event(tmp_path: Path) -> None:
    """Lab 9-4 ends without ``writer.close()``: the events still waiting are written at exit."""
    program = (
        "import graphflow as tf\n"
        "x = tf.placeholder(tf.float32, [])\n"
        "merged = tf.summary.scalar('x', x)\n"
        f"writer = tf.summary.FileWriter({str(tmp_path)!r})\n"
        "sess = tf.Session()\n"
        "for step in range(5):\n"
        "    writer.add_summary(sess.run(merged, {x: step * 1.5}), step)\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True, timeout=60)
    assert [(e.step, e.value) for e in read_back(tmp_path).Scalars("x")] == \
        [(step, step * 1.5) for step in range(5)]


def test_close_writes_and_later_events_need_reopen(tmp_path: Path) -> None:
    value = tf.placeholder(tf.float32, [])
    summary = scalar("v", value)
    writer = FileWriter(tmp_path, max_queue=1000, flush_secs=1000)
    with tf.Session() as sess:
        writer.add_summary(sess.run(summary, {value: 1.0}), 1)
        writer.close()
        writer.add_summary(sess.run(summary, {value: 2.0}), 2)  # ignored: closed
        assert [e.step for e in read_back(tmp_path).Scalars("v")] == [1]
        writer.reopen()
        writer.add_summary(sess.run(summary, {value: 3.0}), 3)
        writer.flush()
    assert [(e.step, e.value) for e in read_back(tmp_path).Scalars("v")] == [(1, 1.0), (3, 3.0)]
    writer.close()


def test_a_truncated_last_record_keeps_the_earlier_ones(tmp_path: Path) -> None:
    value = tf.placeholder(tf.float32, [])
    summary = scalar("v", value)
    with tf.Session() as sess, FileWriter(tmp_path) as writer:
        for step in range(5):
            writer.add_summary(sess.run(summary, {value: step / 2}), step)
    path = tmp_path / os.listdir(tmp_path)[0]
    size = path.stat().st_size
    with open(path, "r+b") as file:  # a process killed while writing the last record
        file.truncate(size - 10)
    events = read_back(tmp_path).Scalars("v")
    assert [(e.step, e.value) for e in events] == [(s, s / 2) for s in range(4)]


def test_graphflow_writes_events_without_tensorboard_or_crc32c(tmp_path: Path) -> None:
    program = (
        "import sys; sys.modules['tensorboard'] = sys.modules['crc32c'] = None\n"
        "import graphflow as tf\n"
        "from graphflow.summary import FileWriter, scalar, records\n"
        "assert records.crc32c is records.crc32c_python\n"
        "s = scalar('c', tf.constant(2.0))\n"
        f"w = FileWriter({str(tmp_path)!r}, graph=tf.get_default_graph())\n"
        "w.add_summary(tf.Session().run(s), 7); w.close()\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True, timeout=60)
    accumulator = read_back(tmp_path)
    assert [(e.step, e.value) for e in accumulator.Scalars("c")] == [(7, 2.0)]
    assert {n.name for n in accumulator.Graph().node} >= {"c", "c/tags"}
