"""graphflow.datasets: MNIST IDX files (read, downloaded, rejected when corrupt), TF1's DataSet
epochs, and the scikit-learn sets served through the same API."""

from __future__ import annotations

import gzip
import http.server
import os
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import scipy.ndimage
import sklearn.datasets

import graphflow as tf
from graphflow.datasets import bundled, mnist
from graphflow.datasets.mnist import DataSet, read_data_sets

NAMES = {"train_images": "train-images-idx3-ubyte.gz", "train_labels": "train-labels-idx1-ubyte.gz",
         "test_images": "t10k-images-idx3-ubyte.gz", "test_labels": "t10k-labels-idx1-ubyte.gz"}


def idx_bytes(magic: int, array: np.ndarray) -> bytes:
    """The IDX encoding written independently: big-endian magic and dims, then uint8 data."""
    dims = array.shape[:-1] if magic == 2051 and array.ndim == 4 else array.shape
    return struct.pack(f">{1 + len(dims)}I", magic, *dims) + array.astype(np.uint8).tobytes()


def write_mnist(directory: Path, gz: bool = True, train: int = 12, test: int = 5,
                rows: int = 4, cols: int = 3, seed: int = 0) -> dict[str, np.ndarray]:
    """Writes the four MNIST files of random small images and labels; returns the arrays."""
    rng = np.random.RandomState(seed)
    arrays = {"train_images": rng.randint(0, 256, (train, rows, cols)),
              "train_labels": rng.randint(0, 10, train),
              "test_images": rng.randint(0, 256, (test, rows, cols)),
              "test_labels": rng.randint(0, 10, test)}
    directory.mkdir(parents=True, exist_ok=True)
    for key, array in arrays.items():
        data = idx_bytes(2051 if "images" in key else 2049, array)
        name = NAMES[key] if gz else NAMES[key][:-3]
        (directory / name).write_bytes(gzip.compress(data) if gz else data)
    return arrays


# -- reading IDX files --------------------------------------------------------------------------
@pytest.mark.parametrize("gz", [True, False])
def test_read_data_sets_round_trip(tmp_path: Path, gz: bool) -> None:
    arrays = write_mnist(tmp_path, gz=gz)
    data = read_data_sets(str(tmp_path), validation_size=3)
    flat = arrays["train_images"].reshape(12, 12) / 255.0
    np.testing.assert_allclose(data.train.images, flat[3:], rtol=1e-6)
    np.testing.assert_allclose(data.validation.images, flat[:3], rtol=1e-6)
    np.testing.assert_allclose(data.test.images, arrays["test_images"].reshape(5, 12) / 255.0,
                               rtol=1e-6)
    assert data.train.images.dtype == np.float32
    np.testing.assert_array_equal(data.train.labels, arrays["train_labels"][3:])
    np.testing.assert_array_equal(data.test.labels, arrays["test_labels"])
    assert (data.train.num_examples, data.validation.num_examples, data.test.num_examples) == \
        (9, 3, 5)


def test_one_hot_uint8_and_unflattened(tmp_path: Path) -> None:
    arrays = write_mnist(tmp_path)
    data = read_data_sets(str(tmp_path), one_hot=True, dtype=tf.uint8, reshape=False,
                          validation_size=0)
    np.testing.assert_array_equal(data.train.images[..., 0], arrays["train_images"])
    assert data.train.images.dtype == np.uint8
    expected = np.eye(10)[arrays["train_labels"]]
    np.testing.assert_array_equal(data.train.labels, expected)
    with pytest.raises(TypeError, match="expected uint8 or float32"):
        read_data_sets(str(tmp_path), dtype=tf.int32, validation_size=0)
    with pytest.raises(ValueError, match="between 0 and 12. Received: 13"):
        read_data_sets(str(tmp_path), validation_size=13)


def test_input_data_module_is_the_lecture_import() -> None:
    from graphflow.examples.tutorials.mnist import input_data

    assert input_data.read_data_sets is read_data_sets
    assert input_data.DataSet is DataSet


# -- corrupt files ------------------------------------------------------------------------------
def corrupt(directory: Path, key: str, data: bytes) -> str:
    path = directory / NAMES[key]
    path.write_bytes(gzip.compress(data))
    return str(path)


@pytest.mark.parametrize(("key", "mangle", "message"), [
    ("train_images", lambda b: b[:-7], "Truncated MNIST file .*promises 144 data bytes, found 137"),
    ("train_labels", lambda b: b[:6], "Truncated MNIST file .*shorter than its 8-byte header"),
    ("test_images", lambda b: b + b"\0", "Trailing bytes in MNIST file .*found 61"),
    ("test_labels", lambda b: struct.pack(">I", 2051) + b[4:],
     "Invalid magic number 2051 in MNIST file .*expected 2049"),
    ("train_labels", lambda b: b[:8] + bytes([10]) + b[9:], r"Labels must lie in \[0, 10\)"),
])
def test_corrupt_file_is_named(tmp_path: Path, key: str, mangle, message: str) -> None:
    arrays = write_mnist(tmp_path)
    path = corrupt(tmp_path, key, mangle(idx_bytes(2051 if "images" in key else 2049,
                                                   arrays[key])))
    with pytest.raises(ValueError, match=message) as info:
        read_data_sets(str(tmp_path), one_hot=True, validation_size=0)
    assert path in str(info.value)


def test_corrupt_gzip_and_mismatched_counts(tmp_path: Path) -> None:
    arrays = write_mnist(tmp_path)
    path = tmp_path / NAMES["test_images"]
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(ValueError, match=f"Corrupt gzip data in MNIST file {path}"):
        read_data_sets(str(tmp_path), validation_size=0)
    write_mnist(tmp_path)
    corrupt(tmp_path, "test_labels", idx_bytes(2049, arrays["test_labels"][:4]))
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz holds 5 images but .*"
                                         "t10k-labels-idx1-ubyte.gz holds 4 labels"):
        read_data_sets(str(tmp_path), validation_size=0)


# -- downloading --------------------------------------------------------------------------------
@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    """An HTTP server on 127.0.0.1 serving a folder; yields its URL, the folder and the paths
    requested so far. Under /cut/ it hangs up after 10 of 1000 promised bytes; under /watch/
    it sends half a file, records what the client's folder ``watched`` holds once the client
    has started writing, then sends the rest."""
    served = tmp_path / "served"
    served.mkdir()
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            if self.path.startswith("/cut/"):
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"\x1f\x8b" + bytes(8))
                self.close_connection = True
            elif self.path.startswith("/watch/"):
                body = (served / self.path.removeprefix("/watch/")).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[:len(body) // 2])
                self.wfile.flush()
                watched = tmp_path / "watched"
                deadline = time.monotonic() + 2
                while not (watched.exists() and os.listdir(watched)) and \
                        time.monotonic() < deadline:
                    time.sleep(0.01)
                requests.append(f"mid-download: {sorted(os.listdir(watched))}")
                self.wfile.write(body[len(body) // 2:])
            else:
                super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            partial(Handler, directory=str(served)))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", served, requests
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_download_from_source_url(server, tmp_path: Path,
                                  capsys: pytest.CaptureFixture) -> None:
    url, served, requests = server
    arrays = write_mnist(served / "mnist")
    target = tmp_path / "MNIST_data"
    data = read_data_sets(str(target), validation_size=2, source_url=url + "mnist/")
    np.testing.assert_array_equal(data.test.labels, arrays["test_labels"])
    np.testing.assert_allclose(data.train.images, arrays["train_images"].reshape(12, 12)[2:] / 255,
                               rtol=1e-6)
    assert sorted(os.listdir(target)) == sorted(NAMES.values())
    for name in NAMES.values():
        assert (target / name).read_bytes() == (served / "mnist" / name).read_bytes()
    assert sorted(requests) == sorted(f"/mnist/{name}" for name in NAMES.values())
    out = capsys.readouterr().out
    size = (served / "mnist" / NAMES["test_labels"]).stat().st_size
    assert f"Successfully downloaded {NAMES['test_labels']} {size} bytes." in out
    assert f"Extracting {target / NAMES['train_images']}" in out
    read_data_sets(str(target), source_url=url + "mnist/", validation_size=0)
    assert len(requests) == 4  # present files are not fetched again


def test_failed_download_leaves_nothing(server, tmp_path: Path) -> None:
    url, served, _ = server
    write_mnist(served)
    (served / NAMES["test_labels"]).unlink()
    target = tmp_path / "data"
    with pytest.raises(OSError, match=f"Cannot download {url}t10k-labels-idx1-ubyte.gz: .*404"
                                      ".*GRAPHFLOW_MNIST=digits"):
        read_data_sets(str(target), source_url=url)
    assert sorted(os.listdir(target)) == sorted(set(NAMES.values()) - {NAMES["test_labels"]})


def test_interrupted_download_writes_no_file(server, tmp_path: Path) -> None:
    url, _, _ = server
    with pytest.raises(OSError, match=f"Cannot download {url}cut/train-images-idx3-ubyte.gz"):
        read_data_sets(str(tmp_path / "data"), source_url=url + "cut/")
    assert os.listdir(tmp_path / "data") == []


def test_download_appears_only_when_complete(server, tmp_path: Path) -> None:
    url, served, requests = server
    (served / "file.gz").write_bytes(os.urandom(5000))
    path = mnist.maybe_download("file.gz", str(tmp_path / "watched"), url + "watch/file.gz")
    assert Path(path).read_bytes() == (served / "file.gz").read_bytes()
    (during,) = [r for r in requests if r.startswith("mid-download")]
    assert "'file.gz'" not in during and during != "mid-download: []"


# -- offline: GRAPHFLOW_MNIST -------------------------------------------------------------------
def test_digits_source_serves_mnist_shaped_digits(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHFLOW_MNIST", "digits")
    data = read_data_sets(str(tmp_path / "MNIST_data"), one_hot=True)
    expected = bundled.load_digits(image_size=28, one_hot=True)
    np.testing.assert_array_equal(data.test.images, expected.test.images)
    assert data.train.images.shape == (1500, 784)
    assert not (tmp_path / "MNIST_data").exists()
    monkeypatch.setenv("GRAPHFLOW_MNIST", "mnist")
    with pytest.raises(ValueError, match="one of .*'download', 'auto', 'digits'.* got 'mnist'"):
        read_data_sets(str(tmp_path))


def test_auto_source_falls_back_to_digits_only_when_unavailable(server, tmp_path: Path) -> None:
    url, served, _ = server
    with pytest.warns(UserWarning, match="source 'auto' is serving scikit-learn's bundled"):
        data = read_data_sets(str(tmp_path / "a"), source_url=url, source="auto")
    assert data.test.images.shape == (297, 784)
    arrays = write_mnist(served)
    data = read_data_sets(str(tmp_path / "b"), source_url=url, source="auto", validation_size=0)
    np.testing.assert_array_equal(data.test.labels, arrays["test_labels"])


# -- DataSet.next_batch -------------------------------------------------------------------------
def expected_stream(n: int, seed: int, epochs: int) -> np.ndarray:
    """TF1's order of examples: each epoch re-permutes the previous epoch's order with
    numpy's shuffle of arange(n), drawn from the generator seeded with the op seed."""
    rng = np.random.RandomState(seed)
    order, stream = np.arange(n), []
    for _ in range(epochs):
        perm = np.arange(n)
        rng.shuffle(perm)
        order = order[perm]
        stream.append(order)
    return np.concatenate(stream)


def identity_data(n: int, **kwargs: object) -> DataSet:
    return DataSet(np.arange(n, dtype=np.float32)[:, None] * 2, np.arange(n), **kwargs)


@pytest.mark.parametrize("batch_size", [1, 3, 4, 10])
def test_next_batch_epochs_match_tf1(batch_size: int) -> None:
    n, seed, calls = 10, 123, 9
    data = identity_data(n, seed=seed)
    stream = expected_stream(n, seed, epochs=calls * batch_size // n + 1)
    for call in range(calls):
        images, labels = data.next_batch(batch_size)
        want = stream[call * batch_size:(call + 1) * batch_size]
        np.testing.assert_array_equal(labels, want)
        np.testing.assert_array_equal(images[:, 0], want * 2)
        # an epoch ends when a batch needs more than remain; a batch ending exactly at the
        # boundary does not end it yet
        assert data.epochs_completed == (call * batch_size + batch_size - 1) // n


def test_every_epoch_visits_every_example_once() -> None:
    data = identity_data(7, seed=5)
    seen = np.concatenate([data.next_batch(3)[1] for _ in range(14)])
    for epoch in range(6):
        assert sorted(seen[epoch * 7:(epoch + 1) * 7]) == list(range(7))


def test_next_batch_without_shuffle_wraps_in_order() -> None:
    data = identity_data(5)
    batches = [data.next_batch(3, shuffle=False)[1] for _ in range(4)]
    np.testing.assert_array_equal(np.concatenate(batches), np.arange(12) % 5)
    assert data.epochs_completed == 2


def test_graph_seed_makes_batches_reproducible() -> None:
    def batches() -> np.ndarray:
        with tf.Graph().as_default():
            tf.set_random_seed(777)
            data = identity_data(20)
            return np.concatenate([data.next_batch(6)[1] for _ in range(5)])

    first = batches()
    np.testing.assert_array_equal(first, batches())
    np.testing.assert_array_equal(first, expected_stream(20, 777, 2)[:30])


def test_fake_data() -> None:
    data = read_data_sets("unused", fake_data=True, one_hot=True)
    images, labels = data.train.next_batch(2, fake_data=True)
    assert np.array(images).shape == (2, 784)
    np.testing.assert_array_equal(labels, [np.eye(10)[0]] * 2)


# -- bundled scikit-learn sets ------------------------------------------------------------------
def all_rows(data: mnist.Datasets, field: str) -> np.ndarray:
    return np.concatenate([getattr(part, field) for part in data])


def sorted_rows(rows: np.ndarray) -> np.ndarray:
    rows = rows.reshape(len(rows), -1)
    return rows[np.lexsort(rows.T[::-1])]


@pytest.mark.parametrize("size", [8, 28])
def test_load_digits_images(size: int) -> None:
    data = bundled.load_digits(image_size=size, validation_size=100, test_size=200)
    assert [part.num_examples for part in data] == [1497, 100, 200]
    images = all_rows(data, "images")
    assert images.shape == (1797, size * size) and images.dtype == np.float32
    assert images.min() == 0 and images.max() == 1
    source = sklearn.datasets.load_digits().images / 16
    if size == 28:
        source = scipy.ndimage.zoom(source, (1, 2.5, 2.5), order=1, grid_mode=True,
                                    mode="nearest")
        source = np.pad(source, ((0, 0), (4, 4), (4, 4)))
    np.testing.assert_allclose(sorted_rows(images), sorted_rows(source), atol=0.5 / 255 + 1e-6)


def test_load_digits_labels_follow_images() -> None:
    plain = bundled.load_digits(one_hot=False)
    one_hot = bundled.load_digits(one_hot=True, dtype=tf.uint8, reshape=False)
    assert one_hot.train.images.shape == (1500, 8, 8, 1)
    np.testing.assert_array_equal(one_hot.test.labels.argmax(axis=1), plain.test.labels)
    np.testing.assert_array_equal(one_hot.test.labels.sum(axis=1), 1)
    # each image keeps its own label: compare with scikit-learn's pairs
    digits = sklearn.datasets.load_digits()
    by_image = {np.round(im.ravel() / 16 * 255).astype(np.uint8).tobytes(): label
                for im, label in zip(digits.images, digits.target)}
    images = np.round(plain.test.images * 255).astype(np.uint8)
    assert [by_image[im.tobytes()] for im in images] == list(plain.test.labels)
    with pytest.raises(ValueError, match="image_size must be 8 or 28"):
        bundled.load_digits(image_size=16)
    with pytest.raises(ValueError, match="exceeds the 1797 examples"):
        bundled.load_digits(validation_size=1000, test_size=1000)


@pytest.mark.parametrize(("loader", "classes"), [
    ("load_iris", 3), ("load_wine", 3), ("load_breast_cancer", 2), ("load_diabetes", None)])
def test_tabular_sets(loader: str, classes: int | None) -> None:
    source = getattr(sklearn.datasets, loader)()
    data = getattr(bundled, loader)(validation_size=10, test_size=20)
    features, labels = all_rows(data, "images"), all_rows(data, "labels")
    assert [part.num_examples for part in data] == [len(source.target) - 30, 10, 20]
    assert features.dtype == np.float32
    pairs = np.column_stack([source.data, source.target]).astype(np.float32)
    np.testing.assert_array_equal(sorted_rows(np.column_stack([features, labels])),
                                  sorted_rows(pairs))
    if classes is None:
        assert data.train.labels.shape == (len(source.target) - 30, 1)
    else:
        one_hot = getattr(bundled, loader)(one_hot=True, validation_size=10, test_size=20)
        np.testing.assert_array_equal(one_hot.test.labels, np.eye(classes)[data.test.labels])


def test_scikit_learn_is_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    code = "import sys, graphflow, graphflow.datasets; assert 'sklearn' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(ImportError, match=r"pip install graphflow-tf1\[examples\]"):
        bundled.load_iris()


def test_lecture_softmax_trains_on_28x28_digits() -> None:
    data = bundled.load_digits(image_size=28, one_hot=True, seed=0)
    X = tf.placeholder(tf.float32, [None, 784])
    Y = tf.placeholder(tf.float32, [None, 10])
    W = tf.Variable(tf.zeros([784, 10]))
    b = tf.Variable(tf.zeros([10]))
    logits = tf.matmul(X, W) + b
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
    train = tf.train.AdamOptimizer(0.01).minimize(cost)
    correct = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(60):
            batch_xs, batch_ys = data.train.next_batch(100)
            sess.run(train, feed_dict={X: batch_xs, Y: batch_ys})
        assert data.train.epochs_completed == 3
        acc = sess.run(accuracy, feed_dict={X: data.test.images, Y: data.test.labels})
    assert acc > 0.85
