"""The benchmark programs run, every implementation computes the same losses, and the memory
pass measures something.

Nothing is timed here: speed is measured by running ``benchmarks/run.py`` by hand. TensorFlow
and PyTensor take part only where this Python can import them (CI has neither).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def run_module():
    spec = importlib.util.spec_from_file_location("benchmark_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_workload_runs_and_implementations_agree(run_module, monkeypatch, capsys) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # the workers: steadier on a busy machine
    implementations = {"graphflow", "numpy"}
    args = ["--quick", "--markdown"]
    for impl, module, option in (("tf1", "tensorflow", "--tf-python"),
                                 ("pytensor", "pytensor", "--pytensor-python")):
        if importlib.util.find_spec(module) is not None:
            implementations.add(impl)
            args += [option, sys.executable]
    summary = run_module.main(args)
    out = capsys.readouterr().out
    assert set(summary) == {"W1", "W2", "W3", "W4", "W5"}
    for name, result in summary.items():
        assert result["agree"], name
        assert set(result["rows"]) == implementations
        assert f"\n{name}: losses agree: True" in out
        assert f"\n| {name} | " in out  # its rows of the markdown tables
        for impl in implementations & run_module.TRACED:
            row = result["rows"][impl]
            assert 0 < row["steps_mb"] <= row["traced_mb"], (name, impl)
            assert f"{row['steps_mb']:.3g}" in out  # in the steps columns of the memory table
    # tracemalloc sees NumPy's arrays: W4's second im2col alone is 64*14*14*288 floats, 13.8 MiB
    assert summary["W4"]["rows"]["numpy"]["traced_mb"] > 13.8
    assert "grad_steps" in summary["W5"]["rows"]["graphflow"]  # and its gradient ran


def test_agreement_check_catches_a_diverging_implementation(run_module) -> None:
    steps = run_module.EARLY_STEPS
    numpy_losses = [2.0] * (steps + 1) + [1.0]
    rounding = {"numpy": {"losses": numpy_losses},
                "graphflow": {"losses": [2.0] * (steps + 1) + [1.01]}}  # drift late: fine
    early = {"numpy": {"losses": numpy_losses},
             "graphflow": {"losses": [2.0, 2.01] + [2.0] * steps}}  # a wrong step shows early
    late = {"numpy": {"losses": numpy_losses},
            "graphflow": {"losses": [2.0] * (steps + 1) + [1.5]}}  # or diverges later
    assert run_module.losses_agree(rounding)
    assert not run_module.losses_agree(early)
    assert not run_module.losses_agree(late)
    assert run_module.loss_gaps(early, steps=steps)["graphflow"] == pytest.approx(0.005)


def test_each_run_of_a_tf_program_builds_its_own_graph(run_module, tmp_path) -> None:
    """The memory pass runs a workload twice in one process: the second run must not build into
    (and initialize the variables of) the first one's graph."""
    import numpy as np

    import graphflow as tf

    data_path = tmp_path / "data.npz"
    run_module.make_data(data_path, run_module.QUICK_CHAIN)
    data = dict(np.load(data_path))
    run, _ = run_module._implementation("W1", "graphflow")
    default_ops = len(tf.get_default_graph().get_operations())
    first, second = run(data, 1), run(data, 1)
    assert first["losses"] == second["losses"]
    assert len(tf.get_default_graph().get_operations()) == default_ops
