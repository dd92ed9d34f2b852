"""Rendering with graphviz: the real ``dot`` program runs and its SVG output is checked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest

import graphflow as tf
from graphflow import viz

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(target=None, **options) -> ElementTree.Element:
    return ElementTree.fromstring(viz.to_dot(target, **options).pipe(format="svg"))


def titles(svg: ElementTree.Element, kind: str) -> set[str]:
    """The <title> of every element of class ``kind`` (node, edge or cluster)."""
    return {g.find(f"{SVG}title").text for g in svg.iter(f"{SVG}g") if g.get("class") == kind}


def texts(svg: ElementTree.Element) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text") if t.text]


def linear_model() -> dict:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    with tf.name_scope("layer"):
        W = tf.Variable(np.ones((3, 1), np.float32), name="W")
        b = tf.Variable(np.zeros(1, np.float32), name="b")
        h = tf.matmul(x, W) + b
    cost = tf.reduce_mean(tf.square(h - y), name="cost")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
    return dict(x=x, y=y, W=W, b=b, h=h, cost=cost, train=train,
                init=tf.global_variables_initializer())


def test_dot_text_of_a_small_graph_line_by_line() -> None:
    a = tf.placeholder(tf.float32, [None, 3], name="a")
    with tf.name_scope("scale"):
        out = a * 2.0
    lines = viz.to_dot(out).source.strip().split("\n")
    assert lines == [
        "digraph graphflow {",
        "\tgraph [fontname=Helvetica nodesep=0.25 rankdir=BT ranksep=0.35]",
        "\tnode [fontname=Helvetica fontsize=10]",
        '\ta [label="Placeholder\\na" color="#b45309" fillcolor="#fde68a" shape=invhouse '
        "style=filled]",
        "\tsubgraph cluster_scale {",
        '\t\tcolor="#9ca3af" fontcolor="#4b5563" fontsize=10 label=scale style="rounded,dashed"',
        '\t\t"scale/mul/y" [label="Const\\ny" color="#9ca3af" fillcolor="#f3f4f6" '
        'fontcolor="#4b5563" shape=note style=filled]',
        '\t\t"scale/mul" [label="Mul\\nmul" color="#1d4ed8" fillcolor="#dbeafe" shape=box '
        'style="rounded,filled"]',
        "\t}",
        '\ta -> "scale/mul" [label="float32 [?, 3]" color="#374151" fontcolor="#374151" '
        "fontsize=9]",
        '\t"scale/mul/y" -> "scale/mul" [label="float32 []" color="#374151" '
        'fontcolor="#374151" fontsize=9]',
        "}",
    ]


def test_svg_has_nodes_scopes_as_clusters_and_shape_labels() -> None:
    m = linear_model()
    svg = svg_of()
    nodes = titles(svg, "node")
    assert {"x", "y", "layer/W", "layer/b", "layer/MatMul", "cost", "init"} <= nodes
    assert {"cluster_layer", "cluster_gradients", "cluster_GradientDescent"} <= titles(
        svg, "cluster")
    words = texts(svg)
    assert "float32 [?, 3]" in words  # x into MatMul
    assert "float32 [3, 1]" in words  # W's value
    assert "VariableV2" in words and "Placeholder" in words
    assert any(op.name.startswith("gradients/") for op in tf.get_default_graph().get_operations()
               if op.name in nodes)
    assert m["train"].name in nodes


def test_each_kind_has_its_own_look() -> None:
    m = linear_model()
    step = tf.Variable(0, trainable=False, name="step")
    source = viz.to_dot().source
    styles = {name: attrs for name, attrs in re.findall(r'^\t+"?([\w/]+)"? \[(.*)\]$', source,
                                                         re.M)}
    def fill(name: str) -> str:
        return re.search(r'fillcolor="([^"]+)"', styles[name]).group(1)
    grammar = viz.grammar.STYLES
    assert fill("x") == grammar["placeholder"]["fillcolor"]
    assert fill("layer/W") == grammar["variable"]["fillcolor"]
    assert fill(step.op.name) == grammar["variable (not trainable)"]["fillcolor"]
    assert fill("layer/MatMul") == grammar["op"]["fillcolor"]
    assert fill("init") == grammar["initializer"]["fillcolor"]
    grad_op = next(op.name for op in tf.get_default_graph().get_operations()
                   if op.name.startswith("gradients/") and op.type == "Mul")
    assert fill(grad_op) == grammar["gradient"]["fillcolor"]
    apply_op = next(op.name for op in tf.get_default_graph().get_operations()
                    if op.type == "ApplyGradientDescent")
    assert fill(apply_op) == grammar["optimizer"]["fillcolor"]
    assert m["cost"].op.name in styles


def test_control_dependencies_are_dashed() -> None:
    m = linear_model()
    svg_source = viz.to_dot(m["init"]).source
    assert re.search(r'"layer/W/Assign" -> init \[.*style=dashed', svg_source)


def test_collapsed_scope_is_one_node() -> None:
    linear_model()
    svg = svg_of(collapse=["gradients", "GradientDescent"])
    nodes = titles(svg, "node")
    assert "[gradients]" in nodes and "[GradientDescent]" in nodes
    assert not any(n.startswith("gradients/") or n.startswith("GradientDescent/") for n in nodes)
    count = sum(op.name.startswith("gradients/") for op in tf.get_default_graph().get_operations())
    assert f"({count} ops)" in texts(svg)


def test_collapse_by_depth() -> None:
    linear_model()
    nodes = titles(svg_of(collapse=1), "node")
    assert "[gradients]" in nodes and "[layer]" in nodes and "x" in nodes


def test_big_graphs_fold_gradients_and_optimizer_by_default() -> None:
    x = tf.placeholder(tf.float32, [4])
    y = x
    for _ in range(200):
        y = tf.sin(y) + 1.0
    w = tf.Variable(1.0)
    tf.train.AdamOptimizer().minimize(tf.reduce_sum(y * w))
    assert len(tf.get_default_graph().get_operations()) > viz.BIG_GRAPH
    nodes = titles(svg_of(), "node")
    assert "[gradients]" in nodes and "[Adam]" in nodes
    # Asking for no folding draws everything.
    assert "[gradients]" not in viz.to_dot(collapse=[]).source


def test_fetch_pruned_rendering_omits_what_the_run_does_not_need() -> None:
    m = linear_model()
    svg = svg_of(m["cost"], feed_dict={m["x"]: np.ones((2, 3)), m["y"]: np.ones((2, 1))})
    nodes = titles(svg, "node")
    assert "cost" in nodes and "layer/MatMul" in nodes
    assert not any(n.startswith("gradients") or n.startswith("GradientDescent") for n in nodes)
    assert "init" not in nodes and "x" not in nodes  # x is fed: drawn as an input instead
    assert "[fed x_0]" in nodes and "fed" in texts(svg)


def test_run_annotated_edges_and_nan_marked_in_red() -> None:
    x = tf.placeholder(tf.float32, [None], name="x")
    logs = tf.log(x, name="logs")
    total = tf.reduce_sum(logs, name="total")
    sess = tf.Session()
    value = np.array([1.0, 4.0, -1.0], np.float32)
    source = viz.to_dot(total, {x: value}, session=sess).source
    assert "float32 [3] min nan mean nan max nan" in source  # log(-1) poisons the summary
    assert "float32 = nan" in source  # the scalar total is shown by value
    red = viz.grammar.STYLES["nan"]["fillcolor"]
    assert re.search(rf'^\tlogs \[.*fillcolor="{red}"', source, re.M)
    svg = ElementTree.fromstring(viz.to_dot(total, {x: value}, session=sess).pipe(format="svg"))
    assert "logs" in titles(svg, "node")
    fine = viz.to_dot(total, {x: np.array([1.0, 2.0], np.float32)}, session=sess).source
    assert red not in fine
    assert f"float32 = {np.log(2.0):.4g}" in fine


def traced_step() -> tuple[dict, dict, tf.RunMetadata]:
    """A linear model whose MatMul on a 400x400 batch costs far more than its other ops, and
    the RunMetadata of one traced training step (after a warm-up run)."""
    x = tf.placeholder(tf.float32, [None, 400], name="x")
    with tf.name_scope("layer"):
        W = tf.Variable(np.full((400, 400), 0.01, np.float32), name="W")
        h = tf.matmul(x, W, name="big")
    cost = tf.reduce_mean(tf.square(h - 1.0), name="cost")
    train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    feed = {x: np.ones((400, 400), np.float32)}
    sess.run(train, feed)
    md = tf.RunMetadata()
    sess.run(train, feed, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
             run_metadata=md)
    return dict(x=x, train=train, cost=cost), feed, md


def node_fills(svg: ElementTree.Element) -> dict[str, set[str]]:
    """Each node's title to the fill colours drawn in it."""
    return {g.find(f"{SVG}title").text: {e.get("fill") for e in g.iter() if e.get("fill")}
            for g in svg.iter(f"{SVG}g") if g.get("class") == "node"}


def node_texts(svg: ElementTree.Element) -> dict[str, list[str]]:
    return {g.find(f"{SVG}title").text: [t.text for t in g.iter(f"{SVG}text")]
            for g in svg.iter(f"{SVG}g") if g.get("class") == "node"}


def test_cost_colouring_makes_the_slowest_op_the_hottest(tmp_path: Path) -> None:
    m, feed, md = traced_step()
    times = md.op_micros()
    slowest, cheapest = max(times, key=times.get), min(times, key=times.get)
    assert times[slowest] > 10 * times[cheapest]
    path = viz.render(m["train"], str(tmp_path / "cost.svg"), feed_dict=feed, run_metadata=md)
    svg = ElementTree.fromstring(Path(path).read_bytes())
    fills, words = node_fills(svg), node_texts(svg)
    hottest, coolest = viz.grammar.COST_SCALE[-1], viz.grammar.COST_SCALE[0]
    assert hottest in fills[slowest] and coolest in fills[cheapest]
    steps = len(viz.grammar.COST_SCALE)  # the hottest colour: within 1/steps of the slowest
    assert {name for name, colours in fills.items() if hottest in colours} == {
        name for name in times if times[name] * steps >= times[slowest] * (steps - 1)}
    total = sum(times.values())
    assert f"{times[slowest]:,.1f} µs, {100 * times[slowest] / total:.1f}%" in words[slowest]
    assert "no time (constant)" in words["sub/y"]  # folded into the plan: never run
    assert viz.grammar.UNTIMED["fillcolor"] in fills["sub/y"]


def test_cost_coloured_dot_text() -> None:
    m, feed, md = traced_step()
    times = md.op_micros()
    slowest = max(times, key=times.get)
    source = viz.to_dot(None, run_metadata=md, collapse=[]).source
    hot = viz.grammar.COST_SCALE[-1]
    line = re.search(rf'^\t+"?{re.escape(slowest)}"? \[.*$', source, re.M).group(0)
    assert f'fillcolor="{hot}"' in line and "fontcolor=\"#ffffff\"" in line
    assert f"{times[slowest]:,.1f} µs" in line
    init = next(line for line in source.split("\n") if line.strip().startswith("init "))
    assert "no time" in init and 'style="filled,dashed"' in init  # not part of the step
    assert 'Placeholder\\nx\\nno time' in source  # fed, so no kernel ran for it
    plain = viz.to_dot(None, collapse=[]).source
    assert " µs" not in plain and hot not in plain


def test_a_folded_scope_costs_the_sum_of_its_ops() -> None:
    m, feed, md = traced_step()
    times = md.op_micros()
    graph = tf.get_default_graph()
    gradients = sum(times[op.name] for op in graph.get_operations()
                    if op.name.startswith("gradients/") and op.name in times)
    share = 100 * gradients / sum(times.values())
    words = node_texts(svg_of(m["train"], feed_dict=feed, run_metadata=md,
                              collapse=["gradients"]))
    assert f"{gradients:,.1f} µs, {share:.1f}%" in words["[gradients]"]
    assert not any(name.startswith("gradients/") for name in words)


def test_cost_colouring_keeps_nan_red_and_needs_a_trace() -> None:
    x = tf.placeholder(tf.float32, [None], name="x")
    total = tf.reduce_sum(tf.log(x, name="logs"), name="total")
    sess = tf.Session()
    feed = {x: np.array([1.0, -1.0], np.float32)}
    md = tf.RunMetadata()
    sess.run(total, feed, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
             run_metadata=md)
    source = viz.to_dot(total, feed, session=sess, run_metadata=md).source
    logs = next(line for line in source.split("\n") if line.strip().startswith("logs "))
    assert viz.grammar.STYLES["nan"]["fillcolor"] in logs and " µs, " in logs
    with pytest.raises(ValueError, match="no trace"):
        viz.to_dot(total, feed, run_metadata=tf.RunMetadata())


def test_legend_shows_the_cost_scale() -> None:
    source = viz.legend().source
    assert all(colour in source for colour in viz.grammar.COST_SCALE)
    words = texts(ElementTree.fromstring(viz.legend().pipe(format="svg")))
    assert "no time" in words and "slowest op" in words


def test_render_writes_svg_png_and_pdf(tmp_path: Path) -> None:
    linear_model()
    for suffix, magic in ((".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")):
        path = viz.render(None, str(tmp_path / f"graph{suffix}"))
        assert Path(path).read_bytes().startswith(magic)
    assert not list(tmp_path.glob("*.partial"))


def test_reachable_as_tf_viz_and_displays_in_notebooks() -> None:
    assert tf.viz is viz
    linear_model()
    dot = tf.viz.to_dot()
    assert "<svg" in dot._repr_mimebundle_()["image/svg+xml"]


def test_networkx_view_of_the_graph() -> None:
    m = linear_model()
    digraph = tf.get_default_graph().to_networkx()
    assert digraph.nodes["layer/MatMul"]["type"] == "MatMul"
    assert digraph.has_edge("x", "layer/MatMul")
    assert digraph.edges["x", "layer/MatMul"]["tensor"] is m["x"]
    assert digraph.edges["layer/W/Assign", "init"]["control"] is True


def test_two_thousand_ops_render(tmp_path: Path) -> None:
    x = tf.placeholder(tf.float32, [10])
    y = x
    for _ in range(1000):
        y = tf.sin(y) + 0.5
    assert len(tf.get_default_graph().get_operations()) > 2000
    path = viz.render(None, str(tmp_path / "big.svg"))
    assert Path(path).stat().st_size > 100_000


def test_command_line_runs_a_tf1_script_unchanged(tmp_path: Path) -> None:
    script = tmp_path / "lab.py"
    script.write_text(
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None], name='x')\n"
        "W = tf.Variable(2.0, name='W')\n"
        "cost = tf.reduce_mean(tf.square(W * x - x), name='cost')\n"
        "train = tf.train.GradientDescentOptimizer(0.1).minimize(cost)\n"
        "with tf.Session() as sess:\n"
        "    sess.run(tf.global_variables_initializer())\n"
        "    print('cost', sess.run(cost, {x: [1.0, 2.0]}))\n"
    )
    out = tmp_path / "lab.svg"
    done = subprocess.run([sys.executable, "-m", "graphflow.viz", str(script), "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "cost 2.5" in done.stdout  # mean((2x - x)^2) for x = [1, 2]
    svg = ElementTree.fromstring(out.read_bytes())
    assert {"x", "W", "cost"} <= titles(svg, "node")
    pruned = tmp_path / "cost.svg"
    done = subprocess.run([sys.executable, "-m", "graphflow.viz", str(script), "-o", str(pruned),
                           "--fetch", "cost"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    nodes = titles(ElementTree.fromstring(pruned.read_bytes()), "node")
    assert "cost" in nodes and not any(n.startswith("gradients") for n in nodes)


def test_docs_pictures_script_writes_every_picture(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, str(root / "docs" / "make_pictures.py"),
                           str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    referenced = set(re.findall(r"images/([\w.]+\.svg)", (root / "docs" /
                                                          "visual-grammar.md").read_text()))
    assert referenced and referenced <= {p.name for p in tmp_path.glob("*.svg")}
    for path in tmp_path.glob("*.svg"):
        ElementTree.fromstring(path.read_bytes())  # well-formed SVG
