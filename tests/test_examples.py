"""Every example runs, with few steps, and learns what it is meant to learn."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_example_has_a_test() -> None:
    tested = {"lab01_basics", "lab02_linear_regression", "lab03_minimize_cost",
              "lab04_multi_variable_regression", "lab05_logistic_regression",
              "lab06_softmax_classification", "lab07_learning_rate_and_normalization",
              "lab08_tensor_manipulation", "lab09_xor_and_deep_nets", "lab10_mnist_nn",
              "lab11_1_cnn_basics", "lab11_cnn_mnist"}
    tested_elsewhere = {"lab09_4_xor_tensorboard"}  # tests/test_example_tensorboard.py
    assert {p.stem for p in EXAMPLES.glob("*.py")} == tested | tested_elsewhere


def test_lab01_basics(capsys: pytest.CaptureFixture) -> None:
    result = load("lab01_basics").main()
    out = capsys.readouterr().out
    assert "b'Hello, TensorFlow!'" in out
    assert 'Tensor("Add:0", shape=(), dtype=float32)' in out
    assert result["added"] == pytest.approx(3 + 4.5)
    assert result["tripled"] == pytest.approx((3 + 4.5) * 3)
    assert result["shapes"] == {"scalar": [], "vector": [3], "matrix": [2, 3],
                                "rank-3": [2, 3, 4]}
    assert result["fed_shape"] == [2, 3]


def test_lab02_learns_the_line(capsys: pytest.CaptureFixture) -> None:
    result = load("lab02_linear_regression").main(steps=301, log_every=100)
    assert result["last_cost"] < 0.05
    assert result["last_cost"] < result["first_cost"]
    # The fed data lie on y = x + 1.1: predictions approach that line.
    np.testing.assert_allclose(result["predictions"], np.array([5, 2.5, 1.5, 3.5]) + 1.1,
                               atol=0.5)
    assert "300" in capsys.readouterr().out


def test_lab03_three_ways_agree(capsys: pytest.CaptureFixture) -> None:
    result = load("lab03_minimize_cost").main(steps=21)
    assert result["hand_W"] == pytest.approx(1.0, abs=1e-3)
    assert result["minimize_W"] == pytest.approx(1.0, abs=1e-3)
    for hand, computed in result["gradient_pairs"]:
        assert computed == pytest.approx(hand, rel=1e-5)
    # W starts at 5 and descends toward the optimum at 1.
    assert result["gradient_pairs"][0][0] == pytest.approx(2 * (5 - 1) * np.mean([1, 4, 9]))


def test_lab01_runs_as_a_script() -> None:
    done = subprocess.run([sys.executable, str(EXAMPLES / "lab01_basics.py")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Hello, TensorFlow!" in done.stdout


# -- labs 4 to 10 --------------------------------------------------------------------------


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def linear_regression_by_numpy(x: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray,
                               learning_rate: float, steps: int) -> tuple:
    """Gradient descent on mean((xW + b - y) ** 2) in float64: the cost before each step, and
    the final W and b."""
    x, y, W, b = (np.asarray(a, dtype=np.float64) for a in (x, y, W, b))
    costs = []
    for _ in range(steps):
        error = x @ W + b - y
        costs.append(np.mean(error ** 2))
        W = W - learning_rate * 2 * x.T @ error / error.size
        b = b - learning_rate * 2 * error.mean(axis=0)
    return np.array(costs), W, b


def test_lab04_matches_gradient_descent_in_numpy(capsys: pytest.CaptureFixture,
                                                 tmp_path: Path) -> None:
    module = load("lab04_multi_variable_regression")
    result = module.main(steps=201, log_every=100, data_dir=str(tmp_path))
    y_data = np.array([152., 185., 180., 196., 142.])
    for form in ("variables", "matrix"):
        learned = result[form]
        assert learned["last_cost"] < learned["first_cost"] / 10
        np.testing.assert_allclose(np.ravel(learned["prediction"]), y_data, atol=15)

    # The CSV the example wrote and read back: test scores, 25 students
    loaded = np.loadtxt(tmp_path / "data-01-test-score.csv", delimiter=",")
    assert loaded.shape == (25, 4)
    file = result["file"]
    np.testing.assert_array_equal(file["x_data"], loaded[:, :3])
    np.testing.assert_array_equal(file["y_data"], loaded[:, [3]])

    # Every step is gradient descent with learning rate 1e-5 from the initial W and b
    costs, W, b = linear_regression_by_numpy(file["x_data"], file["y_data"], file["W_init"],
                                             file["b_init"], 1e-5, len(file["costs"]))
    np.testing.assert_allclose(file["costs"], costs, rtol=1e-3)
    assert costs[-1] < costs[0] / 50
    np.testing.assert_allclose(file["W"], W, rtol=1e-3)
    np.testing.assert_allclose(file["your_score"], [[100, 70, 101]] @ W + b, rtol=1e-3)
    np.testing.assert_allclose(file["other_scores"], [[60, 70, 110], [90, 100, 80]] @ W + b,
                               rtol=1e-3)
    # Read by the graph's queue pipeline: batches of 10 rows, in file order, going round
    reader = result["reader"]
    rows = [np.arange(10 * step, 10 * step + 10) % 25 for step in range(len(reader["costs"]))]
    for batch, indices in zip(reader["x_batches"], rows):
        np.testing.assert_array_equal(batch, loaded[indices, :3])
    W, b = reader["W_init"].astype(np.float64), reader["b_init"].astype(np.float64)
    for cost, indices in zip(reader["costs"], rows):
        want, W, b = linear_regression_by_numpy(loaded[indices, :3], loaded[indices, 3:], W, b,
                                                1e-5, 1)
        assert cost == pytest.approx(want[0], rel=1e-3)
    out = capsys.readouterr().out
    assert "Your score will be" in out and "200 Cost:" in out


def test_lab05_logistic_regression_classifies(capsys: pytest.CaptureFixture) -> None:
    result = load("lab05_logistic_regression").main(steps=2001, log_every=1000)
    points = result["points"]
    y_points = np.array([[0], [0], [0], [1], [1], [1]])
    assert points["last_cost"] < points["first_cost"] / 4
    np.testing.assert_array_equal(points["predicted"], points["hypothesis"] > 0.5)
    assert points["accuracy"] == pytest.approx(np.mean(points["predicted"] == y_points))
    assert points["accuracy"] > 0.8

    diabetes = result["diabetes"]
    assert diabetes["x_data"].shape == (759, 8) and diabetes["y_data"].shape == (759, 1)
    assert set(np.unique(diabetes["y_data"])) == {0.0, 1.0}
    h = sigmoid(diabetes["x_data"].astype(np.float64) @ diabetes["W"] + diabetes["b"])
    np.testing.assert_allclose(diabetes["hypothesis"], h, rtol=1e-5)
    accuracy = np.mean((h > 0.5) == diabetes["y_data"])
    assert diabetes["accuracy"] == pytest.approx(accuracy)
    majority = max(diabetes["y_data"].mean(), 1 - diabetes["y_data"].mean())
    assert accuracy > majority + 0.1
    # how far the cost falls depends on the random start; learning shows in the accuracy above
    assert diabetes["last_cost"] < diabetes["first_cost"] * 0.8
    assert "Accuracy: " in capsys.readouterr().out


def test_lab06_softmax_classifiers(capsys: pytest.CaptureFixture) -> None:
    result = load("lab06_softmax_classification").main(steps=1001, log_every=500)
    onehot = result["onehot"]
    assert onehot["last_cost"] < onehot["first_cost"] / 5
    # Trained on samples of the classes 2, 2, 2, 1, 1, 1, 0, 0
    np.testing.assert_array_equal(onehot["train_classes"], [2, 2, 2, 1, 1, 1, 0, 0])
    np.testing.assert_allclose(onehot["probabilities"].sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(onehot["classes"], onehot["probabilities"].argmax(axis=1))

    zoo = result["zoo"]
    assert zoo["one_hot_shape"] == [None, 7]
    labels = zoo["y_data"].ravel().astype(int)
    assert zoo["logits"].shape == (101, 7) and set(labels) == set(range(7))
    # The cost per animal is the cross entropy of softmax(logits) against the one-hot label
    logits = zoo["logits"].astype(np.float64)
    log_softmax = logits - logits.max(axis=1, keepdims=True)
    log_softmax -= np.log(np.exp(log_softmax).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(zoo["cost_i"], -log_softmax[np.arange(101), labels], rtol=1e-4,
                               atol=1e-6)
    np.testing.assert_array_equal(zoo["prediction"], logits.argmax(axis=1))
    assert zoo["accuracy"] == pytest.approx(np.mean(zoo["prediction"] == labels))
    assert zoo["accuracy"] > 0.95
    assert zoo["last_cost"] < zoo["first_cost"] / 10
    out = capsys.readouterr().out
    assert "one_hot: Tensor(\"one_hot:0\", shape=(?, 1, 7), dtype=float32)" in out
    assert "Step:  1000\tCost:" in out


def test_lab07_learning_rate_and_normalization(capsys: pytest.CaptureFixture) -> None:
    result = load("lab07_learning_rate_and_normalization").main(steps=201, log_every=100)
    big, small, good = result["big"], result["small"], result["good"]
    # Too big: the steps overshoot and the cost jumps up (in TF it overflowed to nan)
    assert np.nanmax(big["costs"]) > 2 * big["costs"][0]
    assert not big["costs"][-1] <= good["costs"][-1]
    # Too small: nothing moves
    np.testing.assert_allclose(small["W"], small["W_init"], atol=1e-6)
    np.testing.assert_allclose(small["costs"], small["costs"][0], rtol=1e-6)
    # About right: the cost falls and all three test samples (class 2) are classified right
    assert good["costs"][-1] < good["costs"][0] / 3
    np.testing.assert_array_equal(good["prediction"], [2, 2, 2])
    assert good["accuracy"] == 1.0

    # Raw stock data: gradient descent diverges; scaled to [0, 1]: it descends
    assert not np.isfinite(result["raw"]["costs"][-1])
    scaled = result["scaled"]["costs"]
    assert np.all(np.isfinite(scaled)) and np.all(np.diff(scaled) < 0)
    xy = result["scaled_xy"]
    np.testing.assert_allclose(xy.min(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(xy.max(axis=0), 1, atol=1e-6)
    assert "Prediction:" in capsys.readouterr().out


def test_lab08_tensor_manipulation_matches_numpy(capsys: pytest.CaptureFixture) -> None:
    result = load("lab08_tensor_manipulation").main()
    t4 = np.arange(1, 25).reshape(1, 2, 3, 4)
    m1, m2 = np.array([[3., 3.]], np.float32), np.array([[2.], [2.]], np.float32)
    x = np.array([[1., 2.], [3., 4.]], np.float32)
    ix = np.array([[0, 1, 2], [2, 1, 0]], np.int32)
    t = np.arange(12).reshape(2, 2, 3)
    xyz = np.array([[1, 4], [2, 5], [3, 6]], np.int32)
    one_hot = np.eye(3, dtype=np.float32)[[0, 1, 2, 0]]
    expected = {
        "shape_1d": np.array([4], np.int32),
        "shape_2d": np.array([2, 2], np.int32),
        "shape_4d": np.array(t4.shape, np.int32),
        "rank_4d": np.int32(t4.ndim),
        "matmul": m1 @ m2,
        "multiply": m1 * m2,
        "broadcast_add": m1 + m2,
        "same_shape_add": m1 + np.array([[2., 2.]], np.float32),
        "int_mean": np.int32(np.array([1, 2]).sum() // 2),  # an int32 mean stays int32
        "mean": x.mean(),
        "mean_axis0": x.mean(axis=0),
        "mean_axis1": x.mean(axis=1),
        "mean_axis-1": x.mean(axis=-1),
        "sum": x.sum(),
        "sum_axis0": x.sum(axis=0),
        "sum_axis-1": x.sum(axis=-1),
        "mean_of_sum": x.sum(axis=-1).mean(),
        "max_axis0": x.max(axis=0),
        "argmax_axis0": ix.argmax(axis=0).astype(np.int64),
        "argmax_axis1": ix.argmax(axis=1).astype(np.int64),
        "argmax_axis-1": ix.argmax(axis=-1).astype(np.int64),
        "reshape_-1_3": t.reshape(-1, 3),
        "reshape_-1_1_3": t.reshape(-1, 1, 3),
        "squeeze": np.array([0, 1, 2], np.int32),
        "expand_dims": np.array([[0], [1], [2]], np.int32),
        "one_hot": one_hot[:, None, :],
        "one_hot_reshaped": one_hot,
        "cast_float": np.trunc([1.8, 2.2, 3.3, 4.9]).astype(np.int32),
        "cast_bool": np.array([True, False, True, False]).astype(np.int32),
        "stack": xyz,
        "stack_axis1": xyz.T,
        "concat_axis0": np.concatenate([xyz[[0]], xyz[[1]], xyz[[2]]], axis=0),
        "concat_axis1": np.concatenate([xyz[[0]], xyz[[1]], xyz[[2]]], axis=1),
        "ones_like": np.ones_like(ix),
        "zeros_like": np.zeros_like(ix),
        "transpose_102": t.transpose(1, 0, 2),
        "transpose_back": t,
        "transpose_120": t.transpose(1, 2, 0),
        "transpose_201": t,
    }
    random = {"random_normal": (3,), "random_uniform": (2, 3)}
    assert set(result) == set(expected) | set(random)
    for label, want in expected.items():
        got = result[label]
        assert np.asarray(got).dtype == want.dtype, label
        np.testing.assert_allclose(got, want, rtol=1e-6, err_msg=label)
    for label, shape in random.items():
        assert result[label].shape == shape and result[label].dtype == np.float32
    assert np.all((0 <= result["random_uniform"]) & (result["random_uniform"] < 1))
    out = capsys.readouterr().out
    assert "transpose_120:" in out and "1 4 7" in out


def test_lab09_xor_needs_a_hidden_layer(capsys: pytest.CaptureFixture) -> None:
    module = load("lab09_xor_and_deep_nets")
    # learning rate 1.0 for 1001 steps takes about the path of the lecture's 0.1 for 10001
    result = module.main(steps=1001, log_every=500, learning_rate=1.0)
    xor = np.array([[0], [1], [1], [0]])
    # One logistic unit: stuck at 0.5 everywhere, cost log(2)
    assert result["logistic"]["accuracy"] == 0.5
    assert result["logistic"]["last_cost"] == pytest.approx(np.log(2), rel=1e-3)
    for name in ("nn", "wide_deep", "backprop"):
        assert result[name]["accuracy"] == 1.0, name
        np.testing.assert_array_equal(result[name]["predicted"], xor)
        assert result[name]["last_cost"] < 0.05, name

    # The gradients written by hand are the true ones: tf.gradients, and NumPy in float64
    backprop = result["backprop"]
    by_hand, automatic = backprop["first_gradients"]
    W1, b1, W2, b2 = (a.astype(np.float64) for a in backprop["initial"])
    x = module.x_data.astype(np.float64)
    l1 = sigmoid(x @ W1 + b1)
    d_a2 = (sigmoid(l1 @ W2 + b2) - xor) / len(x)  # d mean(cross entropy) / d pre-activation
    d_a1 = d_a2 @ W2.T * l1 * (1 - l1)
    numpy_grads = [x.T @ d_a1, d_a1.sum(axis=0), l1.T @ d_a2, d_a2.sum(axis=0)]
    for hand, auto, want in zip(by_hand, automatic, numpy_grads):
        np.testing.assert_allclose(hand, want, rtol=1e-4, atol=1e-7)
        np.testing.assert_allclose(auto, want, rtol=1e-4, atol=1e-7)
    # Same seed, same initial weights, same gradients: the same path as minimize()
    np.testing.assert_allclose(backprop["hypothesis"], result["nn"]["hypothesis"], atol=1e-4)
    out = capsys.readouterr().out
    assert "shape 4" in out and "Accuracy:  1.0" in out


def test_lab10_nets_learn_the_digits(capsys: pytest.CaptureFixture) -> None:
    module = load("lab10_mnist_nn")
    shallow = module.main(training_epochs=6, models=("softmax", "nn", "xavier", "batchnorm",
                                                     "higher_level"))
    deep = module.main(training_epochs=2, models=("deep", "dropout"))
    thresholds = {"softmax": 0.5, "nn": 0.9, "xavier": 0.95, "deep": 0.85, "dropout": 0.85,
                  "batchnorm": 0.9, "higher_level": 0.9}
    for name, threshold in thresholds.items():
        result = shallow if name in shallow else deep
        learned = result[name]
        labels = result["test_labels"].argmax(axis=1)
        assert learned["accuracy"] == pytest.approx(np.mean(learned["predicted"] == labels))
        assert learned["accuracy"] > threshold, name
        # the training cost of 10-7 is measured with dropout on, which keeps it higher
        fall = 1.8 if name == "higher_level" else 2.5
        assert learned["epoch_costs"][-1] < learned["epoch_costs"][0] / fall, name
    # Xavier initialization starts far better than random_normal's unit variance
    assert shallow["xavier"]["epoch_costs"][0] < shallow["nn"]["epoch_costs"][0] / 10

    # Only batch normalization keeps statistics: a moving mean and variance per layer, which
    # the UPDATE_OPS run with each training step moved away from their initial 0 and 1
    # (lab 10-7's contrib batch_norm updates them itself, with no UPDATE_OPS)
    for name in thresholds:
        result = shallow if name in shallow else deep
        assert (result[name]["statistics"] == {}) == (name not in ("batchnorm", "higher_level"))
    statistics = shallow["batchnorm"]["statistics"]
    assert set(statistics) == {f"layer{i}/batch_normalization/moving_{kind}"
                               for i in (0, 1) for kind in ("mean", "variance")}
    contrib_statistics = shallow["higher_level"]["statistics"]
    assert set(contrib_statistics) == {f"{layer}/BatchNorm/moving_{kind}"
                                       for layer in ("h1", "h2", "hypothesis")
                                       for kind in ("mean", "variance")}
    for name, (initial, final) in {**statistics, **contrib_statistics}.items():
        assert initial.shape == final.shape == (10 if name.startswith("hyp") else
                                                64 if name.startswith("h") else 32,), name
        np.testing.assert_array_equal(initial, 0 if name.endswith("mean") else 1)
        moved = np.abs(final - initial) > 1e-3  # (a feature of 10-7's may average near 0)
        assert moved.all() if name in statistics else moved.mean() > 0.9, name
        assert np.all(np.isfinite(final)), name
        if name.endswith("variance"):
            assert np.all(final > 0), name
    out = capsys.readouterr().out
    assert "Epoch: 0006 cost =" in out and "Learning Finished!" in out


def test_lab07_runs_as_a_script() -> None:
    script = EXAMPLES / "lab07_learning_rate_and_normalization.py"
    done = subprocess.run([sys.executable, str(script), "--steps", "3"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "MinMax-scaled data" in done.stdout


@pytest.mark.parametrize("use_layers", [False, True], ids=["raw_ops", "tf_layers"])
def test_lab11_cnn_learns_the_digits(use_layers: bool, tmp_path) -> None:
    result = load("lab11_cnn_mnist").main(training_epochs=3, use_layers=use_layers,
                                          source="digits",
                                          data_dir=str(tmp_path))
    costs = result["costs"]
    assert costs[-1] < 0.8 * costs[0]
    assert result["accuracy"] > 0.6  # ten classes: chance is 0.1


def conv2d_by_numpy(x: np.ndarray, w: np.ndarray, stride: int, padding: str) -> np.ndarray:
    """NHWC convolution (cross-correlation) in float64, with TF's padding: SAME pads the
    output to ceil(size / stride), the odd padding pixel at the end."""
    x, w = x.astype(np.float64), w.astype(np.float64)
    return windows_by_numpy(x, w.shape[:2], stride, padding, 0.0,
                            lambda window: np.einsum("nhwc,hwcf->nf", window, w))


def max_pool_by_numpy(x: np.ndarray, size: int, stride: int, padding: str) -> np.ndarray:
    """NHWC max pooling; SAME pads with -inf, so padding never wins."""
    return windows_by_numpy(x.astype(np.float64), (size, size), stride, padding, -np.inf,
                            lambda window: window.max(axis=(1, 2)))


def windows_by_numpy(x: np.ndarray, kernel: tuple, stride: int, padding: str, fill: float,
                     reduce) -> np.ndarray:
    """``reduce`` applied to every kernel-sized window of ``x`` (padded with ``fill``)."""
    pads, sizes = [], []
    for size, k in zip(x.shape[1:3], kernel):
        out = -(-size // stride) if padding == "SAME" else (size - k) // stride + 1
        total = max((out - 1) * stride + k - size, 0)
        pads.append((total // 2, total - total // 2))
        sizes.append(out)
    x = np.pad(x, [(0, 0), *pads, (0, 0)], constant_values=fill)
    return np.stack([np.stack([reduce(x[:, i * stride:i * stride + kernel[0],
                                        j * stride:j * stride + kernel[1]])
                               for j in range(sizes[1])], axis=1)
                     for i in range(sizes[0])], axis=1)


def test_lab11_1_cnn_basics_match_numpy(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    result = load("lab11_1_cnn_basics").main(plot_dir=str(tmp_path / "plots"), source="digits",
                                             data_dir=str(tmp_path / "MNIST_data"))
    out = capsys.readouterr().out
    image = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)
    np.testing.assert_array_equal(result["image"], image)
    ones = np.ones((2, 2, 1, 1), np.float32)
    three = np.ones((2, 2, 1, 3), np.float32) * np.array([1, 10, -1], np.float32)
    convolutions = {"valid": (ones, 1, "VALID"), "same": (ones, 1, "SAME"),
                    "same_stride_2": (ones, 2, "SAME"), "three_filters": (three, 1, "SAME")}
    for label, (weight, stride, padding) in convolutions.items():
        want = conv2d_by_numpy(image, weight, stride, padding)
        got = result[label]
        assert got.dtype == np.float32 and got.shape == want.shape, label
        np.testing.assert_allclose(got, want, rtol=1e-6, err_msg=label)
        # printed as the lecture does: the shapes, then each filter's image
        printed = [f"image.shape {image.shape}", f"weight.shape {weight.shape}",
                   f"conv2d_img.shape {want.shape}"]
        printed += [str(want[0, :, :, f].astype(np.float32)) for f in range(want.shape[3])]
        assert "\n".join(printed) in out, label

    pool_image = result["pool_image"]
    assert pool_image.shape == (1, 2, 2, 1)
    for padding in ("VALID", "SAME"):
        want = max_pool_by_numpy(pool_image, 2, 1, padding)
        got = result[f"pool_{padding.lower()}"]
        np.testing.assert_array_equal(got, want)
        assert f"{want.shape}\n{want.astype(np.float32)}" in out, padding

    # One digit, five random 3x3 filters at stride 2, then a 2x2 max pool at stride 2
    digit = result["mnist_image"]
    assert digit.shape == (1, 28, 28, 1) and 0 <= digit.min() and digit.max() <= 1
    assert digit.max() > 0.5
    filters = result["mnist_filters"]
    assert filters.shape == (3, 3, 1, 5) and 0 < filters.std() < 0.05
    want = conv2d_by_numpy(digit, filters, 2, "SAME")
    assert result["mnist_conv"].shape == want.shape == (1, 14, 14, 5)
    np.testing.assert_allclose(result["mnist_conv"], want, rtol=1e-4, atol=1e-7)
    want = max_pool_by_numpy(result["mnist_conv"], 2, 2, "SAME")
    assert result["mnist_pool"].shape == want.shape == (1, 7, 7, 5)
    np.testing.assert_array_equal(result["mnist_pool"], want)
    assert "shape=(1, 14, 14, 5), dtype=float32)" in out
    assert "shape=(1, 7, 7, 5), dtype=float32)" in out

    pictures = sorted(p.name for p in (tmp_path / "plots").iterdir())
    assert pictures == sorted(f"{name}.png" for name in (
        "image", *convolutions, "mnist_image", "mnist_conv", "mnist_pool"))
    for picture in pictures:
        assert (tmp_path / "plots" / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
