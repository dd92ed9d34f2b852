"""The benchmark programs run, and every implementation computes the same losses.

Nothing is timed here: speed is measured by running ``benchmarks/run.py`` by hand.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_every_workload_runs_and_implementations_agree(capsys) -> None:
    spec = importlib.util.spec_from_file_location("benchmark_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    summary = module.main(["--quick"])
    assert set(summary) == {"W1", "W2", "W3", "W5"}
    for name, result in summary.items():
        assert result["agree"], name
        assert set(result["rows"]) == {"graphflow", "numpy"}
    assert "losses agree: True" in capsys.readouterr().out
