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
    tested = {"lab01_basics", "lab02_linear_regression", "lab03_minimize_cost"}
    assert {p.stem for p in EXAMPLES.glob("*.py")} == tested


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
