"""Runs the benchmark suite W1-W5: graphflow against hand-written NumPy and, when Pythons that
have them are given, against TensorFlow's ``compat.v1`` and a compiled PyTensor function. Each
workload runs in fresh processes, implementations alternating, all from the same data and
initial weights; then one short pass per implementation measures peak memory (tracemalloc).

Prints per-step medians, build times, first-run times (PyTensor compiles in its first run; its
first round compiles from an empty cache), peak memory, the ratios graphflow/NumPy,
graphflow/TF1 and graphflow/PyTensor, and whether the losses agree (the exit status is 1 where
they do not). From the repository root (or as ``graphflow benchmarks ...``)::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/run.py \\
        [--tf-python /work/tfvenv/bin/python] [--pytensor-python /work/ptvenv/bin/python] \\
        [--rounds 3] [--threads 1] [--only W1 W3] [--quick] [--markdown]

(``--quick`` runs a few steps only: the test suite uses it to check that every workload runs
and that the implementations agree; it never times anything.)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUICK_STEPS = 3  # steps of a --quick run and of every memory pass: the peak comes in step one
CHAIN, QUICK_CHAIN = 2000, 200  # W5's ops; a --quick run's shorter chain takes the same paths

# The largest relative gaps to the NumPy losses that still count as agreeing: over the first
# EARLY_STEPS steps, where a wrong gradient shows, and over all. Kernels that sum in another order
# (BLAS with another thread count or layout, oneDNN) agree to about 1e-7 at first (W4 to 2e-5),
# but W3 fits random labels, a chaotic trajectory in which 300 Adam steps amplify that float32
# rounding to about 1% (graphflow 0.5%, TF1 1.1%, PyTensor 1.3%). PyTensor's default Numba
# backend compiles with fastmath, which lets LLVM approximate exp, log and sqrt: 5e-4 on W3
# within 10 steps (3e-7 with PYTENSOR_FLAGS=numba__fastmath=False).
EARLY_STEPS = 10
TOLERANCE = {"graphflow": (1e-4, 5e-2), "numpy": (0.0, 0.0), "tf1": (1e-4, 5e-2),
             "pytensor": (2e-3, 5e-2)}
# Where tracemalloc sees an implementation's arrays: NumPy's allocator and Numba's (PyTensor's
# default backend) report to it, TensorFlow's own allocator does not.
TRACED = {"graphflow", "numpy", "pytensor"}
NAMES = {"graphflow": "graphflow", "numpy": "NumPy", "tf1": "TF1", "pytensor": "PyTensor"}


def make_data(path: Path, chain: int = CHAIN) -> None:
    """Data and initial weights for every workload, from fixed seeds (glorot-uniform kernels),
    and the length of W5's chain."""
    rs = np.random.RandomState(0)

    def glorot(*shape: int) -> np.ndarray:
        receptive = int(np.prod(shape[:-2]))  # 1 for a dense kernel, 9 for a 3x3 one
        limit = np.sqrt(6.0 / (receptive * (shape[-2] + shape[-1])))
        return rs.uniform(-limit, limit, shape).astype(np.float32)

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
        w5_x=rs.uniform(-1, 1, 100).astype(np.float32), w5_chain=chain,
        w4_images=rs.uniform(0, 1, (64, 28, 28, 1)).astype(np.float32),
        w4_labels=np.eye(10, dtype=np.float32)[rs.randint(0, 10, 64)],
        w4_W1=glorot(3, 3, 1, 32), w4_b1=rs.uniform(-0.05, 0.05, 32).astype(np.float32),
        w4_W2=glorot(3, 3, 32, 64), w4_b2=rs.uniform(-0.05, 0.05, 64).astype(np.float32),
        w4_W3=glorot(7 * 7 * 64, 10), w4_b3=rs.uniform(-0.05, 0.05, 10).astype(np.float32),
    )


def _rss_mb(field: str) -> float | None:
    """This process's resident memory (``VmRSS``) or its peak (``VmHWM``) in MB; None where
    there is no /proc (not Linux)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return None
    line = next(line for line in status.read_text().splitlines() if line.startswith(field))
    return int(line.split()[1]) / 1024


def _implementation(workload: str, implementation: str) -> tuple[Callable[[dict, int], dict], str]:
    """The function running ``workload`` on ``implementation`` (its framework imported now),
    and the versions it runs on."""
    sys.path.insert(0, str(HERE))
    from workloads import WORKLOADS

    functions = WORKLOADS[workload]
    if implementation == "numpy":
        return functions.numpy, f"NumPy {np.__version__}"
    if implementation == "pytensor":
        import pytensor
        from pytensor.compile.mode import get_default_mode

        linker = type(get_default_mode().linker).__name__
        return functions.pytensor, f"PyTensor {pytensor.__version__} ({linker})"
    if implementation == "graphflow":
        import graphflow as tf
    else:
        import tensorflow.compat.v1 as tf

        tf.disable_v2_behavior()
    version = f"{NAMES[implementation]} {tf.__version__} (NumPy {np.__version__})"

    def run(data: dict, steps: int) -> dict:
        # A graph of its own: the memory pass runs a workload twice in one process, and in a
        # shared default graph the second model's global_variables_initializer would also
        # initialize (and its Session hold) the first model's variables.
        with tf.Graph().as_default():
            return functions.tf(tf, data, steps)

    return run, version


def worker(workload: str, implementation: str, data_path: str, steps: int,
           memory: bool = False) -> None:
    """Runs one workload in this process and prints its figures as JSON.

    With ``memory``, it runs the workload once untraced for one step first (so that what a
    framework imports or caches once per process, such as Numba's compiler, is not
    counted), then builds and runs it afresh under tracemalloc (which slows it:
    the timings of such a run mean nothing) and adds the peak memory traced, the most the timed
    steps held above what the first run left (``workloads._timed``), and how far the process's
    peak RSS rose above its RSS before that run. None counts the interpreter, the framework's
    modules or the data file."""
    run, version = _implementation(workload, implementation)
    data = dict(np.load(data_path))
    if memory:
        run(data, 1)
        rss_before = _rss_mb("VmRSS")
        if rss_before is not None:
            Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
        tracemalloc.start()
    result = run(data, steps)
    if memory:
        peaks = [tracemalloc.get_traced_memory()[1], result["memory"]["peak"]]
        result["traced_mb"] = max(peaks) / 2**20
        result["steps_mb"] = result["memory"]["steps"] / 2**20
        tracemalloc.stop()
        result["rss_mb"] = None if rss_before is None else _rss_mb("VmHWM") - rss_before
    print(json.dumps({**result, "version": version}))


def thread_variables(threads: int | None) -> dict[str, str]:
    """The environment that gives every implementation ``threads`` threads: OpenBLAS (NumPy,
    so graphflow too), Numba (PyTensor) and TensorFlow's op pool (its inter-op pool gets
    one); none where ``threads`` is None (each library's default: all cores)."""
    if threads is None:
        return {}
    count = str(threads)
    return {"OPENBLAS_NUM_THREADS": count, "OMP_NUM_THREADS": count, "NUMBA_NUM_THREADS": count,
            "TF_NUM_INTRAOP_THREADS": count, "TF_NUM_INTEROP_THREADS": "1"}


def run_one(python: str, workload: str, implementation: str, data_path: Path, steps: int,
            memory: bool = False, threads: int | None = None) -> dict:
    """One fresh worker process's figures. PyTensor compiles into a folder beside the data
    file, one per workload, so that its first run of each workload compiles from an empty
    cache and later runs load what that one compiled (Numba's file cache, on by default)."""
    compiledir = f"base_compiledir={data_path.parent / ('pytensor-' + workload)}"
    flags = ",".join(filter(None, [os.environ.get("PYTENSOR_FLAGS"), compiledir]))
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3", PYTENSOR_FLAGS=flags,
               **thread_variables(threads))
    command = [python, __file__, "--worker", workload, implementation, str(data_path),
               str(steps)] + (["--memory"] if memory else [])
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{workload} on {implementation} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def loss_gaps(results: dict[str, dict], key: str = "losses",
              steps: int | None = None) -> dict[str, float]:
    """Each implementation's largest relative difference from the NumPy losses, over the first
    run and ``steps`` steps (all where None), for those that computed them (PyTensor has no W5
    gradient)."""
    end = None if steps is None else steps + 1
    reference = np.array(results["numpy"][key][:end])
    return {impl: float(np.max(np.abs(np.array(r[key][:end]) - reference)
                               / np.maximum(np.abs(reference), 1e-6)))
            for impl, r in results.items() if key in r}


def losses_agree(results: dict[str, dict]) -> bool:
    """Whether every implementation's losses (and W5's gradient sums) are within tolerance."""
    keys = ["losses"] + (["grad_losses"] if "grad_losses" in results["numpy"] else [])
    return all(gap <= TOLERANCE[impl][stage] for key in keys
               for stage, steps in enumerate((EARLY_STEPS, None))
               for impl, gap in loss_gaps(results, key, steps).items())


def main(argv: list[str] | None = None) -> dict:
    """Runs the suite; returns, per workload, whether the losses agree, the figures of each
    implementation and graphflow's ratios to the others."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf-python", help="a Python that can import tensorflow")
    parser.add_argument("--pytensor-python", help="a Python that can import pytensor")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="workloads to run, e.g. W1 W4")
    parser.add_argument("--quick", action="store_true",
                        help="few steps, one round, a shorter W5 chain")
    parser.add_argument("--threads", type=int,
                        help="threads for every library (default: theirs, all cores)")
    parser.add_argument("--markdown", action="store_true",
                        help="also print the results as markdown tables (benchmarks/README.md)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from workloads import WORKLOADS

    pythons = {"graphflow": sys.executable, "numpy": sys.executable,
               "tf1": args.tf_python, "pytensor": args.pytensor_python}
    implementations = {impl: python for impl, python in pythons.items() if python}
    summary = {}
    with tempfile.TemporaryDirectory() as scratch:
        data_path = Path(scratch) / "data.npz"
        make_data(data_path, QUICK_CHAIN if args.quick else CHAIN)
        for name, workload in WORKLOADS.items():
            if args.only and name not in args.only:
                continue
            steps = QUICK_STEPS if args.quick else workload.steps
            runs: dict[str, list[dict]] = {impl: [] for impl in implementations}
            for _ in range(1 if args.quick else args.rounds):
                for impl, python in implementations.items():  # alternate implementations
                    runs[impl].append(run_one(python, name, impl, data_path, steps,
                                              threads=args.threads))
            memory = {impl: run_one(python, name, impl, data_path, QUICK_STEPS, memory=True,
                                    threads=args.threads)
                      for impl, python in implementations.items()}
            summary[name] = _report(name, runs, memory)
    versions = {r["version"] for result in summary.values() for r in result["rows"].values()}
    threads = args.threads or "each library's default (all cores)"
    print(f"\nthreads: {threads}; " + "; ".join(sorted(versions)))
    if args.markdown:
        print("\n" + markdown(summary))
    return summary


def _median_ms(results: list[dict], key: str) -> float | None:
    """The median over all runs of a per-step list or a per-run figure, in milliseconds; None
    where the implementation has no such figure."""
    if key not in results[0]:
        return None
    values = [v for r in results for v in (r[key] if isinstance(r[key], list) else [r[key]])]
    return statistics.median(values) * 1e3


def _figure(value: float | None, digits: str = ".3g") -> str:
    return "n/a" if value is None else format(value, digits)


HEADINGS = {"steps": "step ms", "build": "build ms", "first": "first ms",
            "grad_steps": "grad ms", "grad_build": "gbuild ms", "grad_first": "gfirst ms"}


def _setup_ms(result: dict) -> float:
    """Milliseconds from the start of the build to the first result (W5: of the forward chain)."""
    return (result["build"] + result["first"]) * 1e3


def _report(name: str, runs: dict[str, list[dict]], memory: dict[str, dict]) -> dict:
    """Prints one workload's figures and ratios; returns them."""
    keys = [key for key in HEADINGS if key in runs["numpy"][0]]
    rows = {impl: {key: _median_ms(results, key) for key in keys}
            | {"version": results[0]["version"],
               "setup": statistics.median(_setup_ms(r) for r in results),
               "cold_setup": _setup_ms(results[0]),
               "traced_mb": memory[impl]["traced_mb"] if impl in TRACED else None,
               "steps_mb": memory[impl]["steps_mb"] if impl in TRACED else None,
               "rss_mb": memory[impl]["rss_mb"]}
            for impl, results in runs.items()}
    gf = rows["graphflow"]
    ratios = {other: {key: gf[key] / max(row[key], 1e-9) for key in [*keys, "setup"]
                      if row[key] is not None}
              for other, row in rows.items() if other != "graphflow"}
    if "pytensor" in rows:
        ratios["pytensor"]["cold_setup"] = gf["setup"] / rows["pytensor"]["cold_setup"]
    for other in ratios.keys() & TRACED:
        ratios[other]["memory"] = gf["traced_mb"] / max(rows[other]["traced_mb"], 1e-9)
        ratios[other]["steps_memory"] = gf["steps_mb"] / max(rows[other]["steps_mb"], 1e-9)
    last = {impl: results[-1] for impl, results in runs.items()}
    agree = losses_agree(last)
    early, overall = loss_gaps(last, steps=EARLY_STEPS), loss_gaps(last)
    gaps = ", ".join(f"{impl} {early[impl]:.1e} / {overall[impl]:.1e}" for impl in early
                     if impl != "numpy")
    print(f"\n{name}: losses agree: {agree} (largest relative gap to NumPy in the first "
          f"{EARLY_STEPS} steps / in all: {gaps})")
    print(f"  {'':10s}" + "".join(f"{HEADINGS[k]:>10s}" for k in keys)
          + f"{'traced MB':>10s}{'steps MB':>9s}{'RSS+ MB':>9s}")
    for impl, row in rows.items():
        print(f"  {impl:10s}" + "".join(f"{_figure(row[k], '.3f'):>10s}" for k in keys)
              + f"{_figure(row['traced_mb']):>10s}{_figure(row['steps_mb']):>9s}"
              + f"{_figure(row['rss_mb']):>9s}")
    if "pytensor" in rows:
        print(f"  pytensor's first run, compiling from an empty cache, took "
              f"{rows['pytensor']['cold_setup']:.0f} ms from the build to its first result")
    for other, ratio in ratios.items():
        parts = [f"{HEADINGS[k].split()[0]} {ratio[k]:.3g}x" for k in keys
                 if k in ratio and (other != "numpy" or k in ("steps", "grad_steps"))]
        if "cold_setup" in ratio:
            parts.append(f"to first result vs its cold compile {ratio['cold_setup']:.3g}x")
        if "memory" in ratio:
            parts.append(f"traced memory {ratio['memory']:.3g}x (steps "
                         f"{ratio['steps_memory']:.3g}x)")
        print(f"  graphflow/{other}: " + ", ".join(parts))
    return {"agree": agree, "rows": rows, "ratios": ratios}


def markdown(summary: dict) -> str:
    """Two markdown tables for benchmarks/README.md: graphflow's time ratios to the others
    (W5: forward / gradient), and each implementation's peak memory."""
    others = [impl for impl in NAMES if impl != "graphflow"
              and any(impl in result["ratios"] for result in summary.values())]
    columns = [(f"step / {NAMES[o]}", o, "steps") for o in others]
    columns += [(f"{kind} / {NAMES[o]}", o, key)
                for kind, key in (("build", "build"), ("first run", "first"))
                for o in others if o != "numpy"]
    if "pytensor" in others:
        columns.append(("to first result / PyTensor's cold compile", "pytensor", "cold_setup"))

    def cell(name: str, other: str, key: str) -> str:
        ratio = summary[name]["ratios"][other]
        if f"grad_{key}" in summary[name]["rows"]["graphflow"]:
            return f"{ratio[key]:.3g} / {_figure(ratio.get(f'grad_{key}'))}"
        return f"{ratio[key]:.3g}"

    lines = ["| | " + " | ".join(title for title, _, _ in columns) + " | losses agree |",
             "|---" * (len(columns) + 2) + "|"]
    lines += [f"| {name} | " + " | ".join(cell(name, o, key) for _, o, key in columns)
              + f" | {result['agree']} |" for name, result in summary.items()]
    impls = ["graphflow", *others]
    lines += ["", "| peak MB | " + " | ".join(NAMES[i] for i in impls) + " | graphflow / NumPy"
              " | steps: graphflow | steps: NumPy | steps: graphflow / NumPy |",
              "|---" * (len(impls) + 5) + "|"]
    for name, result in summary.items():
        rows, ratios = result["rows"], result["ratios"]["numpy"]
        cells = [_figure(rows[i]["traced_mb"]) if i in TRACED
                 else f"RSS +{_figure(rows[i]['rss_mb'])}"
                 for i in impls]
        cells += [f"{ratios['memory']:.3g}", _figure(rows["graphflow"]["steps_mb"]),
                  _figure(rows["numpy"]["steps_mb"]), f"{ratios['steps_memory']:.3g}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]),
               memory="--memory" in sys.argv[6:])
    else:
        sys.exit(0 if all(r["agree"] for r in main().values()) else 1)
