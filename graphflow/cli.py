"""The ``graphflow`` command (also ``python -m graphflow``).

* ``graphflow demo``: train the lecture's MNIST network on the bundled digits, print progress,
  cost and test accuracy, and write the rendered graph and the loss curve.
* ``graphflow labs``: list the lecture's example programs; ``graphflow labs run N`` runs one.
* ``graphflow render SCRIPT.py``: run a TF1 script under graphflow and render its graph.
* ``graphflow benchmarks [--quick] [--only W1 ...] [--rounds N] [--threads N]
  [--tf-python PY] [--pytensor-python PY] [--markdown]``: run the repository's benchmark suite
  (``benchmarks/run.py``, which needs the source checkout) with this Python.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _examples() -> dict[str, Path]:
    """Lab number ("01", "09_4") to example script, from the repository's examples/."""
    found = {}
    for path in sorted(EXAMPLES.glob("lab*.py")):
        match = re.match(r"lab(\d+(?:_\d+)?)_", path.name)
        if match:
            found[match.group(1)] = path
    return found


def _summary(path: Path) -> str:
    """The first line of the example's docstring."""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().strip('"').strip()
        if line:
            return line
    return ""


def _labs(args: argparse.Namespace) -> int:
    labs = _examples()
    if not labs:
        print(f"No examples found: they live in the repository's examples/ ({EXAMPLES}).")
        return 1
    if args.action is None:
        for number, path in labs.items():
            print(f"  {number:5s} {path.name:42s} {_summary(path)}")
        print("\nRun one with: graphflow labs run NUMBER")
        return 0
    number = args.number.zfill(2) if args.number and args.number.isdigit() else args.number
    if number not in labs:
        print(f"No lab {args.number}; choose one of: {', '.join(labs)}", file=sys.stderr)
        return 2
    return subprocess.call([sys.executable, str(labs[number]), *args.script_args])


def _demo(args: argparse.Namespace) -> int:
    from graphflow import demo

    result = demo.run(args.out, epochs=args.epochs, batch_size=args.batch_size)
    print(f"Output folder: {Path(args.out).resolve()}")
    return 0 if result["accuracy"] > 0 else 1


def _benchmarks(forwarded: list[str]) -> int:
    """Runs benchmarks/run.py with this Python and ``forwarded`` arguments; the suite is part
    of the source checkout, not of the installed package."""
    runner = BENCHMARKS / "run.py"
    if not runner.exists():
        print(f"No benchmarks found: they live in the repository's benchmarks/ ({BENCHMARKS}); "
              "run this command from a source checkout (pip install -e .).", file=sys.stderr)
        return 1
    return subprocess.call([sys.executable, str(runner), *forwarded])


def _render(args: argparse.Namespace) -> int:
    from graphflow.viz.__main__ import main as render_main

    return render_main(args.rest)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="graphflow", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="train lab 10's network on the bundled digits")
    demo.add_argument("--out", default="graphflow-demo", help="output folder")
    demo.add_argument("--epochs", type=int, default=15)
    demo.add_argument("--batch-size", type=int, default=100)
    demo.set_defaults(run=_demo)
    labs = commands.add_parser("labs", help="list the lecture's examples, or run one")
    labs.add_argument("action", nargs="?", choices=["run"])
    labs.add_argument("number", nargs="?", help="the lab number, e.g. 2 or 09_4")
    labs.add_argument("script_args", nargs="*", help="arguments for the example")
    labs.set_defaults(run=_labs)
    render = commands.add_parser("render", help="render the graph a TF1 script builds",
                                 add_help=False)
    render.add_argument("rest", nargs=argparse.REMAINDER)
    render.set_defaults(run=_render)
    commands.add_parser("benchmarks", add_help=False,
                        help="run the benchmark suite (options: graphflow benchmarks --help)")
    args, forwarded = parser.parse_known_args(argv)
    if args.command == "benchmarks":  # every option is benchmarks/run.py's
        return _benchmarks(forwarded)
    if forwarded:
        parser.error(f"unrecognized arguments: {' '.join(forwarded)}")
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
