"""``python -m graphflow.viz SCRIPT.py -o graph.svg``: run a TF1 script under graphflow and
render the graph it built.

The script runs unchanged: ``import tensorflow as tf`` (and ``tensorflow.compat.v1``) resolve
to graphflow while it runs. ``--fetch NAME`` draws only what running NAME executes.
"""

from __future__ import annotations

import argparse
import runpy
import sys
from collections.abc import Sequence

import graphflow
from graphflow.viz import render

_ALIASES = ("tensorflow", "tensorflow.compat", "tensorflow.compat.v1")


def run_script(path: str, argv: Sequence[str] = ()) -> graphflow.Graph:
    """Runs ``path`` as ``__main__`` with TensorFlow imports pointing at graphflow, starting
    from a fresh default graph; returns the default graph the script leaves."""
    saved_modules = {name: sys.modules.get(name) for name in _ALIASES}
    saved_argv = sys.argv
    sys.modules["tensorflow"] = graphflow
    sys.modules["tensorflow.compat"] = graphflow.compat
    sys.modules["tensorflow.compat.v1"] = graphflow.compat.v1
    sys.argv = [path, *argv]
    graphflow.reset_default_graph()
    try:
        runpy.run_path(path, run_name="__main__")
    finally:
        sys.argv = saved_argv
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return graphflow.get_default_graph()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graphflow.viz", description=__doc__,
                                     epilog="Arguments after -- are passed to the script.",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("script", help="a TF1 program")
    parser.add_argument("-o", "--output", default="graph.svg",
                        help="the picture to write (.svg, .png or .pdf; default graph.svg)")
    parser.add_argument("--fetch", action="append", default=[],
                        help="draw only what running this tensor or op needs (repeatable)")
    parser.add_argument("--collapse", action="append", default=None,
                        help="fold this name scope into one node (repeatable)")
    argv = list(sys.argv[1:] if argv is None else argv)
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    graph = run_script(args.script, argv[split + 1:])
    try:
        target = [graph.as_graph_element(name) for name in args.fetch] if args.fetch else graph
    except (KeyError, ValueError) as error:
        parser.error(f"--fetch: {error.args[0]}")
    path = render(target, args.output, collapse=args.collapse)
    print(f"wrote {path} ({len(graph.get_operations())} ops in the graph)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
