"""tf.train.Saver and checkpoint files: round trips, retention, the state file, TF1's errors,
the documented file format, crash safety under SIGKILL, and restoring in another process."""

from __future__ import annotations

import json
import os
import random
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zlib

import numpy as np
import pytest

import graphflow as tf
from graphflow.framework.serialization import import_meta_graph
from graphflow.train import saver as saver_module
from graphflow.train.saver import (
    Saver,
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
    list_variables,
    load_variable,
)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _model() -> tuple:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="w")
    b = tf.Variable(tf.zeros([2], tf.float64), name="b")
    flag = tf.Variable(np.array([True, False]), name="flag")
    step = tf.train.get_or_create_global_step()
    y = tf.add(tf.matmul(x, w), tf.cast(b, tf.float32), name="y")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_mean(tf.square(y - 1)),
                                                            global_step=step)
    return x, w, b, flag, step, y, train


def _read_by_the_docs(path: str) -> dict:
    """An independent reader of the format in docs/checkpoints.md (NumPy + standard library)."""
    with open(path, "rb") as file:
        data = file.read()
    magic, length, crc = struct.unpack_from("<8sQI", data)
    assert magic == b"GFCKPT\x00\x01"
    header = data[20:20 + length]
    assert zlib.crc32(header) == crc
    out = {}
    for entry in json.loads(header)["tensors"]:
        chunk = data[20 + length + entry["offset"]:][:entry["size"]]
        assert zlib.crc32(chunk) == entry["crc32"]
        out[entry["name"]] = np.frombuffer(chunk, np.dtype(entry["dtype"]).newbyteorder("<")) \
            .reshape(entry["shape"])
    return out


def test_save_and_restore_roundtrip(tmp_path) -> None:
    x, w, b, flag, step, y, train = _model()
    saver = Saver()
    feed = {x: np.ones((2, 3), np.float32)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(7):
            sess.run(train, feed)
        path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step)
        assert path == str(tmp_path / "model.ckpt-7")
        want = sess.run([w, b, flag, step, y], feed)
    assert checkpoint_exists(path) and os.path.exists(path + ".meta")
    assert _read_by_the_docs(path + ".index")["w"].tolist() == want[0].tolist()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.restore(sess, path)
        got = sess.run([w, b, flag, step, y], feed)
    for g, v in zip(got, want):
        assert np.asarray(g).dtype == np.asarray(v).dtype
        np.testing.assert_array_equal(g, v)


def test_state_file_and_lookup_functions(tmp_path) -> None:
    x, w, b, flag, step, y, train = _model()
    saver = Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        paths = [saver.save(sess, str(tmp_path / "m"), global_step=i) for i in (1, 2, 3)]
        w_value = sess.run(w)
    state = get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == paths[-1]
    assert state.all_model_checkpoint_paths == paths[1:] == saver.last_checkpoints
    assert (tmp_path / "checkpoint").read_text().splitlines()[0] == 'model_checkpoint_path: "m-3"'
    assert not checkpoint_exists(paths[0]) and not os.path.exists(paths[0] + ".meta")
    assert latest_checkpoint(str(tmp_path)) == paths[-1]
    assert list_variables(str(tmp_path)) == [("b", [2]), ("flag", [2]), ("global_step", []),
                                             ("w", [3, 2])]
    np.testing.assert_array_equal(load_variable(paths[-1], "w:0"), w_value)
    assert load_variable(str(tmp_path), "global_step") == 0
    with pytest.raises(tf.errors.NotFoundError, match="Key nope not found"):
        load_variable(str(tmp_path), "nope")
    with pytest.raises(tf.errors.NotFoundError):
        list_variables(str(tmp_path / "missing"))
    os.mkdir(tmp_path / "empty")
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file"):
        list_variables(str(tmp_path / "empty"))
    assert get_checkpoint_state(str(tmp_path / "empty")) is None
    assert latest_checkpoint(str(tmp_path / "empty")) is None


def test_max_to_keep_none_keeps_everything(tmp_path) -> None:
    tf.Variable(1.0, name="v")
    saver = Saver(max_to_keep=None)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        paths = [saver.save(sess, str(tmp_path / "m"), global_step=i) for i in range(7)]
    assert all(checkpoint_exists(p) for p in paths)
    assert get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths == paths


def test_keep_checkpoint_every_n_hours(tmp_path, monkeypatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(saver_module.time, "time", lambda: clock[0])
    tf.Variable(1.0, name="v")
    saver = Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for offset in (0, 1800, 3700, 4000, 7300):
            clock[0] = 1000.0 + offset
            saver.save(sess, str(tmp_path / "m"), global_step=offset, write_meta_graph=False)
    kept = sorted(p for p in os.listdir(tmp_path) if p.endswith(".index"))
    assert kept == ["m-3700.index", "m-7300.index"]  # the first one after each hour, the newest


def test_var_list_dict_restores_under_other_names(tmp_path) -> None:
    a = tf.Variable([1.0, 2.0], name="a")
    saver = Saver({"weights": a})
    with tf.Session() as sess:
        sess.run(a.initializer)
        path = saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
    assert path == str(tmp_path / "m") and [n for n, _ in list_variables(path)] == ["weights"]
    with tf.Graph().as_default():
        other = tf.Variable([0.0, 0.0], name="other")
        with tf.Session() as sess:
            Saver({"weights": other}).restore(sess, path)
            np.testing.assert_array_equal(sess.run(other), [1.0, 2.0])


def test_meta_graph_import_under_a_scope_restores(tmp_path) -> None:
    x, w, b, flag, step, y, train = _model()
    feed = np.ones((1, 3), np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: feed})
        path = Saver().save(sess, str(tmp_path / "m"))
        want = sess.run(y, {x: feed})
    with tf.Graph().as_default() as graph:
        saver = import_meta_graph(path + ".meta", import_scope="copy")
        with tf.Session(graph=graph) as sess:
            saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run("copy/y:0", {"copy/x:0": feed}), want)
            assert sess.run(tf.train.get_global_step()) == 1


def test_saver_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="No variables to save"):
        Saver()
    a = tf.Variable(1.0, name="a")
    with pytest.raises(TypeError, match="not a Variable"):
        Saver([a.value()])
    assert Saver([a, a]).saver_def["variables"][0]["key"] == "a"
    assert len(Saver([a, a]).saver_def["variables"]) == 1


def test_restore_errors_as_tf1(tmp_path) -> None:
    a = tf.Variable(np.zeros((2, 3), np.float32), name="a")
    saver_a = Saver([a])
    with tf.Session() as sess:
        sess.run(a.initializer)
        path = saver_a.save(sess, str(tmp_path / "m"), write_meta_graph=False)
        with pytest.raises(ValueError, match="save_path when it is None"):
            saver_a.restore(sess, None)
        with pytest.raises(ValueError, match="not a valid checkpoint"):
            saver_a.restore(sess, str(tmp_path / "nothing"))
        with pytest.raises(ValueError, match="Parent directory of .*nowhere"):
            saver_a.save(sess, str(tmp_path / "nowhere" / "m"))
    with tf.Graph().as_default():
        a, missing = tf.Variable(np.ones(3, np.float32), name="a"), tf.Variable(1.0, name="zz")
        saver = Saver([a, missing])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.NotFoundError, match="Key zz not found in checkpoint"):
                Saver([missing]).restore(sess, path)
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"'a'\)\. lhs shape= \[3\] rhs shape= \[2,3\]"):
                saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(a), np.ones(3))  # nothing was restored
            b = tf.Variable(np.ones((2, 3), np.int32), name="b")
            with pytest.raises(tf.errors.InvalidArgumentError, match="'a' has dtype float32"):
                Saver({"a": b}).restore(sess, path)


def test_corrupt_or_truncated_files_are_data_loss(tmp_path) -> None:
    v = tf.Variable(np.arange(100, dtype=np.float64), name="v")
    saver = Saver([v])
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
        good = (tmp_path / "m.index").read_bytes()
        damaged = {
            "truncated": good[:-9], "short": good[:10], "empty": b"",
            "flipped data": good[:-50] + bytes([good[-50] ^ 1]) + good[-49:],
            "flipped header": good[:30] + bytes([good[30] ^ 1]) + good[31:],
            "extra bytes": good + b"\0", "not a checkpoint": b"PK\x03\x04" + good[4:],
        }
        for data in damaged.values():
            (tmp_path / "m.index").write_bytes(data)
            with pytest.raises(tf.errors.DataLossError, match="m.index"):
                saver.restore(sess, path)


def test_malformed_state_file_is_ignored_with_a_warning(tmp_path) -> None:
    (tmp_path / "checkpoint").write_text("model_checkpoint_path: os.system('x')\n")
    with pytest.warns(UserWarning, match="checkpoint state ignored"):
        assert get_checkpoint_state(str(tmp_path)) is None


_CRASH_STEPS = 20


def test_killed_saves_never_lose_the_previous_checkpoint(tmp_path) -> None:
    """A child process saves over and over; it is SIGKILLed at random moments (spread over a
    few save durations), and after each kill the state file and every checkpoint it lists are
    intact and restorable."""
    size = 300_000
    v = tf.Variable(np.zeros(size, np.float32), name="v")
    value = tf.placeholder(tf.float32, [size])
    update = tf.assign(v, value)
    saver = Saver([v], max_to_keep=3)
    prefix = str(tmp_path / "model.ckpt")
    rng = random.Random(0)
    sess = tf.Session()
    sess.run(update, {value: np.zeros(size, np.float32)})
    started = time.perf_counter()
    saver.save(sess, prefix, global_step=0)
    save_seconds = time.perf_counter() - started
    completed, state = 0, get_checkpoint_state(str(tmp_path))
    for _ in range(_CRASH_STEPS):
        pid = os.fork()
        if pid == 0:
            try:  # a restarted trainer: resumes from the checkpoints on disk
                saver.recover_last_checkpoints(state.all_model_checkpoint_paths)
                for step in range(completed + 1, completed + 10_000):
                    sess.run(update, {value: np.full(size, step, np.float32)})
                    saver.save(sess, prefix, global_step=step)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 4 * save_seconds))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        state = get_checkpoint_state(str(tmp_path))
        assert state is not None
        for path in state.all_model_checkpoint_paths:
            step = int(path.rsplit("-", 1)[1])
            saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(v), np.full(size, step, np.float32))
        latest = int(state.model_checkpoint_path.rsplit("-", 1)[1])
        assert latest >= completed and state.model_checkpoint_path == \
            state.all_model_checkpoint_paths[-1]
        completed = latest
    sess.close()


_TRAIN = """
import json, sys
import numpy as np
import graphflow as tf
from graphflow.train.saver import Saver
x = tf.placeholder(tf.float32, [None, 2], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
w = tf.Variable(tf.random_normal([2, 1], seed=1), name="w")
b = tf.Variable(0.0, name="b")
prediction = tf.sigmoid(tf.matmul(x, w) + b, name="prediction")
loss = tf.reduce_mean(tf.square(prediction - y))
tf.add_to_collection("prediction", prediction)
train = tf.train.AdamOptimizer(0.1).minimize(loss)
data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(30):
        sess.run(train, {x: data, y: [[0], [1], [1], [1]]})
    Saver().save(sess, sys.argv[1], global_step=30)
    print(json.dumps(sess.run(prediction, {x: data}).tolist()))
"""

_PREDICT = """
import json, sys
import numpy as np
import graphflow as tf
from graphflow.framework.serialization import import_meta_graph
saver = import_meta_graph(sys.argv[1] + "-30.meta")
prediction = tf.get_collection("prediction")[0]
data = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
with tf.Session() as sess:
    saver.restore(sess, sys.argv[1] + "-30")
    print(json.dumps(sess.run(prediction, {"x:0": data}).tolist()))
"""


def _python(script: str, *args: str) -> list:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_model_saved_by_one_process_predicts_the_same_in_another(tmp_path) -> None:
    prefix = str(tmp_path / "model")
    trained = _python(_TRAIN, prefix)
    restored = _python(_PREDICT, prefix)
    assert restored == trained
    assert len({round(p[0], 3) for p in trained}) > 1
