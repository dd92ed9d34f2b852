"""The ``graphflow`` command: the demo (the main job), the labs list and runner, rendering,
the benchmark suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import numpy as np

from graphflow import cli, demo


def test_demo_trains_and_writes_graph_and_loss_curve(tmp_path: Path, capsys) -> None:
    result = demo.run(tmp_path, epochs=2)
    out = capsys.readouterr().out
    assert "Epoch: 0001 cost =" in out and "Accuracy:" in out
    assert result["accuracy"] > 0.5  # ten classes: chance is 0.1
    losses = np.array(result["losses"])
    assert losses[-5:].mean() < losses[:5].mean()
    svg = ElementTree.fromstring(Path(result["graph"]).read_bytes())
    assert svg.tag.endswith("svg")
    assert Path(result["curve"]).read_bytes().startswith(b"\x89PNG")


def test_labs_lists_every_example(capsys) -> None:
    assert cli.main(["labs"]) == 0
    listing = capsys.readouterr().out
    for path in cli.EXAMPLES.glob("lab*.py"):
        assert path.name in listing


def test_labs_run_one_and_unknown_lab(capsys) -> None:
    done = subprocess.run([sys.executable, "-m", "graphflow", "labs", "run", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Hello, TensorFlow!" in done.stdout
    assert cli.main(["labs", "run", "99"]) == 2
    assert "No lab 99" in capsys.readouterr().err


def test_render_command(tmp_path: Path) -> None:
    script = tmp_path / "tiny.py"
    script.write_text("import tensorflow as tf\nx = tf.placeholder(tf.float32, name='x')\n"
                      "y = tf.square(x, name='y')\n")
    out = tmp_path / "tiny.svg"
    assert cli.main(["render", str(script), "-o", str(out)]) == 0
    assert b"Square" in out.read_bytes()


def test_benchmarks_command_runs_the_suite(tmp_path: Path, monkeypatch, capsys) -> None:
    done = subprocess.run([sys.executable, "-m", "graphflow", "benchmarks", "--quick", "--only",
                           "W1"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "W1: losses agree: True" in done.stdout
    assert "W2:" not in done.stdout  # --only reached the runner
    monkeypatch.setattr(cli, "BENCHMARKS", tmp_path / "absent")  # installed without the source
    assert cli.main(["benchmarks", "--quick"]) == 1
    assert "No benchmarks found" in capsys.readouterr().err
