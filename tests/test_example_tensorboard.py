"""The lab 9-4 example writes its cost and accuracy where TensorBoard reads them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "lab09_4_xor_tensorboard.py"


def test_lab09_4_writes_scalars_histograms_and_the_graph(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    spec = importlib.util.spec_from_file_location("lab09_4_xor_tensorboard", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.main(logdir=str(tmp_path), steps=30, log_every=10)
    assert str(tmp_path) in capsys.readouterr().out
    accumulator = EventAccumulator(str(tmp_path), size_guidance={"scalars": 0, "histograms": 0})
    accumulator.Reload()
    costs = accumulator.Scalars("Cost/Cost")
    assert [e.step for e in costs] == list(range(30))
    np.testing.assert_array_equal([e.value for e in costs], np.float32(result["costs"]))
    assert [e.value for e in accumulator.Scalars("accuracy")] == result["accuracies"]
    assert result["costs"][-1] < result["costs"][0]  # Adam is descending
    sizes = {"Layer1/W1": 4, "Layer1/b1": 2, "Layer1/Layer1": 8, "Layer2/W2": 2, "Layer2/b2": 1,
             "Layer2/Hypothesis": 4}  # the four XOR points through a 2-2-1 net
    assert sorted(accumulator.Tags()["histograms"]) == sorted(sizes)
    for tag, size in sizes.items():
        events = accumulator.Histograms(tag)
        assert [e.step for e in events] == list(range(30))
        assert {e.histogram_value.num for e in events} == {size}
    names = {node.name for node in accumulator.Graph().node}
    assert {"x", "y", "Layer1/weight_1", "Layer2/weight_2", "Cost/Cost"} <= names
