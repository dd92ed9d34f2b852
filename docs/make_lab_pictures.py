"""Renders the pictures of the lab pages in docs/images/labs: each lab's graph, pruned to its
cost, through ``python -m graphflow.viz``, and the loss curve of the labs whose ``main()``
returns its costs. Run from the repository root: ``python docs/make_lab_pictures.py [OUT]``."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend

ROOT = Path(__file__).resolve().parent.parent

# lab page -> (example, script arguments for a few steps, the op to prune the graph to or None)
GRAPHS: dict[str, tuple[str, list[str], str | None]] = {
    "lab01": ("lab01_basics", [], None),
    "lab02": ("lab02_linear_regression", ["--steps", "3"], "Mean"),
    "lab03": ("lab03_minimize_cost", ["--steps", "2"], "Mean"),
    "lab04": ("lab04_multi_variable_regression", ["--steps", "3"], "Mean_2"),
    "lab05": ("lab05_logistic_regression", ["--steps", "3"], "Mean"),
    "lab06": ("lab06_softmax_classification", ["--steps", "3"], "Mean_1"),
    "lab07": ("lab07_learning_rate_and_normalization", ["--steps", "3"], "Mean_7"),
    "lab08": ("lab08_tensor_manipulation", [], "Mean_5"),
    "lab09": ("lab09_xor_and_deep_nets", ["--steps", "3"], "Mean_2"),
    "lab09_4": ("lab09_4_xor_tensorboard", ["--steps", "3"], "Cost/Mean"),
    "lab10": ("lab10_mnist_nn", ["--epochs", "1", "--models", "dropout"], "Mean"),
    "lab11_1": ("lab11_1_cnn_basics", [], None),
    "lab11": ("lab11_cnn_mnist", ["--epochs", "1"], "Mean"),
}

# lab page -> (example, main()'s arguments, {curve label: its costs in main()'s result}, x label)
Curves = Callable[[dict], dict[str, list[float]]]
LOSS_CURVES: dict[str, tuple[str, dict, Curves, str]] = {
    "lab02": ("lab02_linear_regression", {"steps": 2001, "log_every": 10**6},
              lambda r: {"H(x) = Wx + b": r["costs"]}, "step"),
    "lab03": ("lab03_minimize_cost", {"steps": 21},
              lambda r: {"W := W - 0.1 * gradient": r["costs"]}, "step"),
    "lab05": ("lab05_logistic_regression", {"steps": 2001, "log_every": 10**6},
              lambda r: {"six points": r["points"]["costs"],
                         "diabetes-like CSV": r["diabetes"]["costs"]}, "step"),
    "lab06": ("lab06_softmax_classification", {"steps": 2001, "log_every": 10**6},
              lambda r: {"one-hot labels": r["onehot"]["costs"],
                         "zoo-like CSV": r["zoo"]["costs"]}, "step"),
    "lab09": ("lab09_xor_and_deep_nets", {"steps": 2001, "log_every": 10**6},
              lambda r: {name: run["costs"] for name, run in r.items()
                         if isinstance(run, dict) and "costs" in run}, "step"),
    "lab04": ("lab04_multi_variable_regression", {"steps": 2001, "log_every": 10**6},
              lambda r: {"data-01-test-score.csv": r["file"]["costs"]}, "step"),
    "lab07": ("lab07_learning_rate_and_normalization", {"steps": 201, "log_every": 10**6},
              lambda r: {"learning rate 1e-10": r["small"]["costs"],
                         "learning rate 0.1": r["good"]["costs"],
                         "stock prices, MinMax-scaled": r["scaled"]["costs"]}, "step"),
    "lab09_4": ("lab09_4_xor_tensorboard", {"steps": 2001, "log_every": 10**6},
                lambda r: {"XOR, Adam": r["costs"]}, "step"),
    "lab10": ("lab10_mnist_nn", {"training_epochs": 5},
              lambda r: {name: run["epoch_costs"] for name, run in r.items()
                         if isinstance(run, dict)},
              "epoch"),
    "lab11": ("lab11_cnn_mnist", {"training_epochs": 3}, lambda r: {"CNN": r["costs"]}, "epoch"),
}


def load_example(name: str) -> ModuleType:
    """Imports ``examples/NAME.py`` as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_graph(page: str, out: Path) -> Path:
    """Runs the lab's example for a few steps under the renderer; writes ``out/PAGE.svg``."""
    example, args, fetch = GRAPHS[page]
    path = out / f"{page}.svg"
    command = [sys.executable, "-m", "graphflow.viz", f"examples/{example}.py", "-o", str(path)]
    command += ["--fetch", fetch] if fetch else []
    subprocess.run([*command, "--", *args], cwd=ROOT, check=True, capture_output=True)
    return path


def plot_loss(page: str, out: Path) -> Path:
    """Trains the lab's example and plots the costs its ``main()`` returns to ``out/PAGE.png``."""
    example, kwargs, curves, x_label = LOSS_CURVES[page]
    result = load_example(example).main(**kwargs)
    figure, axes = plt.subplots(figsize=(6, 3.5), dpi=80)
    for label, costs in curves(result).items():
        axes.plot(range(len(costs)), costs, label=label)
    axes.set_xlabel(x_label)
    axes.set_ylabel("cost")
    axes.set_yscale("log")
    axes.legend()
    figure.tight_layout()
    path = out / f"{page}_loss.png"
    figure.savefig(path)
    plt.close(figure)
    return path


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for page in GRAPHS:
        print("wrote", render_graph(page, out))
    for page in LOSS_CURVES:
        print("wrote", plot_loss(page, out))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "labs")
