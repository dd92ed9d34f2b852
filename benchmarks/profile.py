"""Profiles workloads' graphflow implementation with pyinstrument, a sampling profiler, and
writes each report as text to ``benchmarks/profiles/W?.txt``: the evidence behind the notes in
``benchmarks/README.md``. The tree shows the graph's build (under ``w?_tf``) apart from the
timed steps (under ``_timed``). From the repository root, after changing the engine::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/profile.py W1 W2 W3

pyinstrument is a development tool, not a dependency of graphflow: ``pip install pyinstrument``
(or ``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import make_data  # noqa: E402
from workloads import WORKLOADS  # noqa: E402


def profile(name: str, data: dict, steps: int, interval: float) -> str:
    """The text report of one run of workload ``name`` on graphflow, in a graph of its own."""
    from pyinstrument import Profiler

    import graphflow as tf

    profiler = Profiler(interval=interval)
    with tf.Graph().as_default():
        profiler.start()
        WORKLOADS[name].tf(tf, data, steps)
        profiler.stop()
    header = (f"{name} on graphflow {tf.__version__}, {steps} steps, profiled "
              f"{time.strftime('%Y-%m-%d')} (Python {platform.python_version()}, NumPy "
              f"{np.__version__}, sampling every {interval * 1e3:g} ms)\n")
    return header + profiler.output_text(unicode=False, color=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workloads", nargs="+", choices=list(WORKLOADS))
    parser.add_argument("--steps", type=int, help="default: the benchmark's own number")
    parser.add_argument("--interval", type=float, default=2e-4, help="seconds between samples")
    parser.add_argument("--out", type=Path, default=HERE / "profiles")
    args = parser.parse_args(argv)
    args.out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        make_data(Path(scratch) / "data.npz")
        with np.load(Path(scratch) / "data.npz") as npz:
            data = dict(npz)
    for name in args.workloads:
        report = profile(name, data, args.steps or WORKLOADS[name].steps, args.interval)
        path = args.out / f"{name}.txt"
        path.write_text(report, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
