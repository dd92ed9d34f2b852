"""Runs the benchmark suite: graphflow against hand-written NumPy and, when a Python with
TensorFlow is given, against ``tensorflow.compat.v1`` — each workload in fresh processes,
implementations alternating, all from the same data and initial weights.

Prints per-step medians, build and first-run times, peak memory, the ratios graphflow/TF1 and
graphflow/NumPy, and whether the losses agree. From the repository root::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/run.py \\
        [--tf-python /path/to/tf-venv/bin/python] [--rounds 3] [--only W1 W3] [--quick]

(``--quick`` runs a few steps only: the test suite uses it to check that every workload runs
and that the implementations agree; it never times anything.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def make_data(path: Path) -> None:
    """Data and initial weights for every workload, from fixed seeds (glorot-uniform kernels)."""
    rs = np.random.RandomState(0)

    def glorot(fan_in: int, fan_out: int) -> np.ndarray:
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rs.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)

    try:
        from sklearn.datasets import load_digits

        digits = load_digits()
        digits_x, digits_label = digits.data / 16.0, digits.target
    except ImportError:  # the same shapes, so the suite still runs without scikit-learn
        digits_x, digits_label = rs.uniform(0, 1, (1797, 64)), rs.randint(0, 10, 1797)
    mlp_label = rs.randint(0, 10, 10000)
    np.savez(
        path,
        w1_W=rs.randn(1).astype(np.float32), w1_b=rs.randn(1).astype(np.float32),
        digits_x=digits_x.astype(np.float32),
        digits_y=np.eye(10, dtype=np.float32)[digits_label],
        w2_W=glorot(64, 10), w2_b=np.zeros(10, np.float32),
        mlp_x=rs.uniform(0, 1, (10000, 784)).astype(np.float32),
        mlp_y=np.eye(10, dtype=np.float32)[mlp_label],
        w3_order=rs.permutation(10000),
        w3_W1=glorot(784, 256), w3_b1=np.zeros(256, np.float32),
        w3_W2=glorot(256, 256), w3_b2=np.zeros(256, np.float32),
        w3_W3=glorot(256, 10), w3_b3=np.zeros(10, np.float32),
        w5_x=rs.uniform(-1, 1, 100).astype(np.float32),
    )


def worker(workload: str, implementation: str, data_path: str, steps: int) -> None:
    """Runs one workload in this process and prints its figures as JSON."""
    sys.path.insert(0, str(HERE))
    from workloads import WORKLOADS

    data = dict(np.load(data_path))
    build_tf, numpy_version, _ = WORKLOADS[workload]
    if implementation == "numpy":
        result = numpy_version(data, steps)
    else:
        if implementation == "graphflow":
            import graphflow as tf
        else:
            import tensorflow.compat.v1 as tf

            tf.disable_v2_behavior()
        result = build_tf(tf, data, steps)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_one(python: str, workload: str, implementation: str, data_path: Path,
            steps: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([python, __file__, "--worker", workload, implementation,
                           str(data_path), str(steps)], capture_output=True, text=True, env=env,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{workload} on {implementation} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def loss_gaps(results: dict[str, dict], key: str = "losses") -> dict[str, float]:
    """Each implementation's largest relative difference from the NumPy losses."""
    reference = np.array(results["numpy"][key])
    return {impl: float(np.max(np.abs(np.array(r[key]) - reference)
                               / np.maximum(np.abs(reference), 1e-6)))
            for impl, r in results.items()}


# graphflow must follow NumPy closely; TensorFlow's oneDNN kernels sum in another order, which
# hundreds of Adam steps amplify to about 1% (its first 40 W3 steps agree to the last digit).
TOLERANCE = {"graphflow": 2e-3, "numpy": 0.0, "tf1": 2e-2}


def losses_agree(results: dict[str, dict], key: str = "losses") -> bool:
    return all(gap <= TOLERANCE[impl] for impl, gap in loss_gaps(results, key).items())


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf-python", help="a Python that can import tensorflow")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--quick", action="store_true", help="few steps, one round")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from workloads import WORKLOADS

    implementations = {"graphflow": sys.executable, "numpy": sys.executable}
    if args.tf_python:
        implementations["tf1"] = args.tf_python
    summary = {}
    with tempfile.TemporaryDirectory() as scratch:
        data_path = Path(scratch) / "data.npz"
        make_data(data_path)
        for name, (_, _, default_steps) in WORKLOADS.items():
            if args.only and name not in args.only:
                continue
            steps = 3 if args.quick else default_steps
            runs: dict[str, list[dict]] = {impl: [] for impl in implementations}
            for _ in range(1 if args.quick else args.rounds):
                for impl, python in implementations.items():  # alternate implementations
                    runs[impl].append(run_one(python, name, impl, data_path, steps))
            summary[name] = _report(name, runs)
    return summary


def _report(name: str, runs: dict[str, list[dict]]) -> dict:
    last = {impl: results[-1] for impl, results in runs.items()}
    rows = {}
    for impl, results in runs.items():
        rows[impl] = {
            "step_ms": statistics.median(t for r in results for t in r["steps"]) * 1e3,
            "build_ms": statistics.median(r["build"] for r in results) * 1e3,
            "first_ms": statistics.median(r["first"] for r in results) * 1e3,
            "peak_mb": max(r["peak_mb"] for r in results),
        }
        if "grad_steps" in results[0]:
            rows[impl]["grad_step_ms"] = statistics.median(
                t for r in results for t in r["grad_steps"]) * 1e3
            rows[impl]["grad_build_ms"] = statistics.median(
                r["grad_build"] for r in results) * 1e3
    agree = losses_agree(last) and ("grad_losses" not in last["numpy"]
                                    or losses_agree(last, "grad_losses"))
    gaps = ", ".join(f"{impl} {gap:.1e}" for impl, gap in loss_gaps(last).items()
                     if impl != "numpy")
    print(f"\n{name}: losses agree: {agree} (largest relative gap to NumPy: {gaps})")
    print(f"  {'':10s} {'step ms':>9s} {'build ms':>9s} {'first ms':>9s} {'peak MB':>8s}")
    for impl, row in rows.items():
        print(f"  {impl:10s} {row['step_ms']:9.4f} {row['build_ms']:9.1f} "
              f"{row['first_ms']:9.2f} {row['peak_mb']:8.0f}")
    gf = rows["graphflow"]
    for other in ("numpy", "tf1"):
        if other in rows:
            ratio = gf["step_ms"] / rows[other]["step_ms"]
            print(f"  graphflow/{other}: step {ratio:.2f}x", end="")
            if "grad_step_ms" in gf:
                print(f", gradient step {gf['grad_step_ms'] / rows[other]['grad_step_ms']:.2f}x",
                      end="")
            if other == "tf1":
                print(f", build {gf['build_ms'] / max(rows[other]['build_ms'], 1e-9):.2f}x",
                      end="")
            print()
    return {"agree": agree, "rows": rows}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        main()
