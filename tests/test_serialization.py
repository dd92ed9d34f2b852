"""GraphDef / MetaGraphDef round trips over the whole op registry, import options, and hostile
documents that must be refused with a clear error."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

import graphflow as tf
from graphflow.framework import serialization
from graphflow.framework.registry import registered_ops
from graphflow.framework.serialization import (
    export_meta_graph,
    graph_to_graph_def,
    import_graph_def,
    import_meta_graph,
)

EXAMPLES = [(name, i) for name, opdef in sorted(registered_ops().items())
            for i in range(len(opdef.grad_examples))]


def _roundtrip(graph: tf.Graph, name: str = "") -> tf.Graph:
    """A new graph holding ``graph`` imported from its GraphDef passed through JSON text."""
    text = json.dumps(graph_to_graph_def(graph))
    imported = tf.Graph()
    with imported.as_default():
        import_graph_def(json.loads(text), name=name)
    return imported


def _assert_same(got: list, want: list) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want):
        g, w = np.asarray(g), np.asarray(w)
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_array_equal(g, w)


def _build_example(name: str, index: int) -> tf.Graph:
    """The op of one registry example, its inputs constants with random values: float64, or
    bool or int32 for ops that inherit examples but take other dtypes (LogicalAnd)."""
    example = registered_ops()[name].grad_examples[index]
    rng = np.random.RandomState(index)
    values = [rng.uniform(example.low, example.high, size=spec) if isinstance(spec, tuple)
              else None for spec in example.inputs]
    for dtype in (np.float64, np.bool_, np.int32):
        graph = tf.Graph()
        with graph.as_default():
            inputs = [tf.constant(spec) if value is None else tf.constant(value.astype(dtype))
                      for spec, value in zip(example.inputs, values)]
            try:
                graph.create_op(name, inputs, dict(example.attrs), name="op")
            except TypeError:
                continue
        return graph
    raise AssertionError(f"no input dtype fits the example {name}-{index}")


@pytest.mark.parametrize("name,index", EXAMPLES, ids=[f"{n}-{i}" for n, i in EXAMPLES])
def test_every_registry_example_roundtrips(name: str, index: int) -> None:
    graph = _build_example(name, index)
    imported = _roundtrip(graph, "import")
    original = graph.get_operation_by_name("op")
    copy_ = imported.get_operation_by_name("import/op")
    assert copy_.type == name and copy_.attrs.keys() == original.attrs.keys()
    for a, b in zip(original.outputs, copy_.outputs):
        assert a.dtype == b.dtype and a.shape.as_list() == b.shape.as_list()
    with tf.Session(graph=graph) as sess:
        want = sess.run(original.outputs)
    with tf.Session(graph=imported) as sess:
        got = sess.run(copy_.outputs)
    _assert_same(got, want)


def _model_graph() -> tuple[tf.Graph, list[str], list[str]]:
    """A graph with every op type that has no registry example: variables and all optimizers,
    random ops (seeded), shape and index ops. Returns it, names to run first, names to fetch."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(7)
        x = tf.placeholder(tf.float32, [None, None], name="x")
        w = tf.Variable(tf.random_normal([3, 2]), name="w")
        b = tf.Variable(tf.truncated_normal([2]), name="b")
        logits = tf.matmul(x, w) + b
        loss = tf.reduce_mean(tf.square(logits))
        trains = [opt.minimize(loss) for opt in (
            tf.train.GradientDescentOptimizer(0.1), tf.train.MomentumOptimizer(0.1, 0.9),
            tf.train.AdagradOptimizer(0.1), tf.train.AdadeltaOptimizer(0.1),
            tf.train.RMSPropOptimizer(0.1), tf.train.RMSPropOptimizer(0.1, centered=True),
            tf.train.AdamOptimizer(0.1))]
        counter = tf.Variable(0, name="counter")
        updates = [tf.assign_add(counter, 3), tf.assign_sub(counter, 1),
                   tf.assign(w, w * 2.0)]
        init = tf.global_variables_initializer()
        ints = tf.constant([3, 1, 3, 0], name="ints")
        fetches = [
            tf.is_variable_initialized(w), tf.report_uninitialized_variables(),
            tf.argmax(logits, 1), tf.argmin(logits, 0), tf.reduce_all(logits > 0, 1),
            tf.reduce_any(logits > 0), tf.nn.in_top_k(logits, tf.constant([0, 1]), 1),
            tf.invert_permutation(tf.constant([2, 0, 1])), tf.linspace(0.0, 1.0, 5),
            tf.one_hot(ints, 4), tf.linalg.qr(tf.constant(np.eye(3) + 1.0))[0],
            tf.random_shuffle(tf.range(6)), tf.multinomial(tf.constant([[0.0, 1.0]]), 5),
            tf.random_uniform([2]), tf.random_uniform([2], maxval=9, dtype=tf.int32),
            tf.unique(ints)[1], tf.where(ints > 1), tf.rank(logits), tf.shape(logits),
            tf.size(logits), tf.stop_gradient(logits), tf.zeros_like(logits),
            tf.ones_like(logits), tf.fill([2], 1.5), logits, tf.no_op(),
            tf.gradients(tf.reduce_sum(x * x, tf.placeholder_with_default(1, [])), x)[0],
        ]
        summaries = [tf.summary.scalar("loss", loss), tf.summary.histogram("logits", logits),
                     tf.summary.image("image", tf.reshape(tf.sigmoid(logits), [1, 2, 2, 1])),
                     tf.summary.text("note", tf.constant("graphflow"))]
        fetches += [*summaries, tf.summary.merge(summaries)]
    return graph, [init.name, *[t.name for t in trains], *[u.name for u in updates]], \
        [t.name for t in fetches]


def _run_model(graph: tf.Graph, steps: list[str], fetches: list[str]) -> list:
    feed = {"x:0": np.arange(6, dtype=np.float32).reshape(2, 3) / 6}
    with tf.Session(graph=graph) as sess:
        before = sess.run(fetches[:2], feed)  # nothing initialized yet
        for step in steps:
            sess.run(step, feed)
        return before + sess.run(fetches, feed)


def test_model_graph_with_state_random_and_shape_ops_roundtrips() -> None:
    graph, steps, fetches = _model_graph()
    imported = _roundtrip(graph)
    assert [op.name for op in imported.get_operations()] == \
        [op.name for op in graph.get_operations()]
    _assert_same(_run_model(imported, steps, fetches), _run_model(graph, steps, fetches))


def _pipeline_graph(path: str) -> tf.Graph:
    """A graph with every queue, reader and parsing op: a file's lines, decoded and batched."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(3)
        files = tf.FIFOQueue(4, tf.string, shapes=[[]], name="files")
        files.enqueue_many([[path]], name="add_files")
        files.close(name="close_files")
        reader = tf.TextLineReader(skip_header_lines=1, name="reader")
        value = reader.read(files, name="read")[1]
        x, y = tf.decode_csv(value, [[0.0], [0]], name="decode")
        rows = tf.FIFOQueue(8, [tf.float32, tf.int32], shapes=[[], []], name="rows")
        rows.enqueue([x, y], name="add_row")
        rows.dequeue_many(2, name="two")
        rows.dequeue_up_to(2, name="up_to_two")
        rows.dequeue(name="one")
        shuffled = tf.RandomShuffleQueue(8, 0, tf.int32, shapes=[[]], name="shuffled")
        shuffled.enqueue(y, name="add_shuffled")
        tf.identity(shuffled.dequeue(), name="drawn")
        tf.identity(rows.size(), name="size")
        tf.identity(rows.is_closed(), name="is_closed")
        tf.identity(reader.num_records_produced(), name="records")
        reader.reset(name="reset")
        counter = tf.Variable(0, name="counter")
        tf.identity(counter.count_up_to(5), name="count")
    return graph


def _run_pipeline(graph: tf.Graph) -> list:
    with tf.Session(graph=graph) as sess:
        sess.run(["add_files", "close_files", "counter/Assign"])
        for _ in range(3):
            sess.run(["add_row", "add_shuffled"])
        results = sess.run(["size:0", "is_closed:0", "records:0", "count:0"])
        results += sess.run(["drawn:0", "one:0", "one:1"])
        results += sess.run(["two:0", "two:1"]) + sess.run(["reset"])
        return results + sess.run(["records:0"])


def test_pipeline_graph_with_queues_and_readers_roundtrips(tmp_path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("x,y\n0.5,1\n1.5,2\n2.5,3\n")
    graph = _pipeline_graph(str(path))
    imported = _roundtrip(graph)
    want = _run_pipeline(graph)
    assert want[:4] == [3, False, 3, 0]
    _assert_same(_run_pipeline(imported), want)


def test_every_registered_op_type_is_covered(tmp_path) -> None:
    graphs = [_model_graph()[0], _pipeline_graph(str(tmp_path))]
    covered = {name for name, _ in EXAMPLES} | {op.type for graph in graphs
                                                for op in graph.get_operations()}
    assert sorted(set(registered_ops()) - covered) == []


def test_import_with_input_map_and_return_elements() -> None:
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        tf.multiply(x, 3.0, name="y")
    graph_def = graph_to_graph_def(graph)
    with tf.Graph().as_default() as target:
        z = tf.constant([[1.0, 2.0]], name="z")
        y, op = import_graph_def(graph_def, input_map={"x": z}, return_elements=["y:0", "y"])
        assert y.name == "import/y:0" and op is y.op
        again = import_graph_def(graph_def, return_elements=["y:0"])[0]
        assert again.name == "import_1/y:0"
        with tf.Session(graph=target) as sess:
            np.testing.assert_array_equal(sess.run(y), np.array([[1.0, 2.0]], np.float32) * 3)
        with pytest.raises(ValueError, match="not found in graph_def"):
            import_graph_def(graph_def, input_map={"nope:0": z})
        with pytest.raises(ValueError, match="return_element 'q:0'"):
            import_graph_def(graph_def, return_elements=["q:0"])


def test_control_inputs_and_refined_shapes_survive() -> None:
    graph = tf.Graph()
    with graph.as_default():
        v = tf.Variable(1.0, name="v")
        update = tf.assign_add(v, 1.0)
        with tf.control_dependencies([update]):
            tf.identity(v.read_value(), name="after")
        p = tf.placeholder(tf.float32, name="p")
        p.set_shape([2])
    imported = _roundtrip(graph)
    after = imported.get_operation_by_name("after")
    assert [c.name for c in after.inputs[0].op.control_inputs] == [update.op.name]
    assert imported.get_tensor_by_name("p:0").shape.as_list() == [2]
    with tf.Session(graph=imported) as sess:
        sess.run("v/Assign")
        assert sess.run("after:0") == 2.0


def test_cond_graphs_round_trip_with_their_branches_and_gradients() -> None:
    x = tf.placeholder(tf.float32, [], name="x")
    p = tf.placeholder(tf.bool, [], name="p")
    q = tf.cond(p, lambda: tf.cond(x > 1, lambda: x * 10.0, lambda: x * x * 100.0),
                lambda: -x)
    grad = tf.gradients(q, x)[0]
    graph_def = json.loads(json.dumps(graph_to_graph_def(tf.get_default_graph())))
    assert {c["name"] for c in graph_def["cond_contexts"]} == {"cond/", "cond/cond/"}
    with tf.Graph().as_default():
        q2, grad2 = import_graph_def(graph_def, return_elements=[q.name, grad.name])
        branch_ops = [op for op in q2.graph.get_operations() if op.branch is not None]
        assert branch_ops and all(op.branch[0].name.startswith("import/") for op in branch_ops)
        sess2 = tf.Session()
    sess = tf.Session()
    for xv, pv in [(2.0, True), (0.5, True), (2.0, False)]:
        assert sess.run([q, grad], {x: xv, p: pv}) == sess2.run(
            [q2, grad2], {"import/x:0": xv, "import/p:0": pv})


def test_malformed_cond_contexts_are_clear_errors() -> None:
    x = tf.placeholder(tf.bool, [], name="x")
    tf.cond(x, lambda: tf.constant(1), lambda: tf.constant(2))
    graph_def = graph_to_graph_def(tf.get_default_graph())
    for broken in ({"cond_contexts": {}}, {"cond_contexts": [{"name": 3}]},
                   {"cond_contexts": []}):
        with tf.Graph().as_default():
            with pytest.raises(ValueError, match="cond context|cond_contexts"):
                import_graph_def({**graph_def, **broken})


def test_unserializable_attr_is_a_clear_error() -> None:
    graph = tf.Graph()
    with graph.as_default():
        graph.create_op("Merge", [tf.constant(True), tf.constant(1), tf.constant(2)],
                        {"context": object()}, name="m")
    with pytest.raises(ValueError, match="attr 'context' of op 'm'.*object"):
        graph_to_graph_def(graph)


def _simple_def() -> dict:
    graph = tf.Graph()
    with graph.as_default():
        a = tf.constant([1.0, 2.0], name="a")
        tf.reshape(tf.add(a, a, name="b"), [2, 1], name="c")
    return graph_to_graph_def(graph)


def _broken(change) -> dict:
    graph_def = copy.deepcopy(_simple_def())
    change(graph_def["node"])
    return graph_def


def _set(node: dict, key: str, value) -> None:
    node[key] = value


@pytest.mark.parametrize("change,message", [
    (lambda n: _set(n[1], "op", "os.system"), "Op type not registered 'os.system'"),
    (lambda n: _set(n[1], "op", "__class__"), "Op type not registered"),
    (lambda n: n.reverse(), "not an earlier node"),
    (lambda n: _set(n[0], "input", ["b:0"]), "not an earlier node"),
    (lambda n: _set(n[1], "input", ["zz:0", "a:0"]), "not an earlier node"),
    (lambda n: _set(n[1], "input", ["a:7", "a:0"]), "missing output 'a:7'"),
    (lambda n: _set(n[1], "name", "a"), "duplicate node name"),
    (lambda n: _set(n[1], "name", "b:0"), "invalid or duplicate node name"),
    (lambda n: _set(n[0]["attr"], "dtype", {"i": 3}), "attr 'dtype' has a value of type int"),
    (lambda n: _set(n[2]["attr"], "T", {"b": True}), "no attr named 'T'"),
    (lambda n: _set(n[0]["attr"], "dtype", {"type": "object"}), "unknown dtype"),
    (lambda n: _set(n[0]["attr"], "dtype", {"pickle": "cos\nsystem"}), "unknown attribute"),
    (lambda n: _set(n[0]["attr"]["value"]["tensor"], "shape", [2**40, 2**40]), "too large"),
    (lambda n: _set(n[0]["attr"]["value"]["tensor"], "shape", [3]), "needs 12"),
    (lambda n: _set(n[0]["attr"]["value"]["tensor"], "shape", [-1]), "invalid dimension"),
    (lambda n: _set(n[0]["attr"]["value"]["tensor"], "data", "@@@"), "base64"),
    (lambda n: _set(n[0]["attr"], "value", {"i": 1}), "attr 'value' has a value of type int"),
    (lambda n: _set(n[0], "output_shapes", [[10**30]]), "invalid dimension"),
    (lambda n: _set(n[0], "output_shapes", [[5]]), "Invalid GraphDef node 0"),
    (lambda n: _set(n[2], "attr", {"nonsense": {"b": True}}), "no attr named 'nonsense'"),
    (lambda n: n.append("node"), "must be an object"),
])
def test_malformed_graph_defs_are_refused(change, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        import_graph_def(_broken(change))


def test_failed_import_leaves_the_graph_unchanged() -> None:
    graph_def = _broken(lambda n: _set(n[2], "op", "Nope"))
    tf.constant(1.0, name="a")
    before = [op.name for op in tf.get_default_graph().get_operations()]
    for name in ("import", ""):
        with pytest.raises(ValueError, match="Nope|already exists"):
            import_graph_def(graph_def, name=name)
    with pytest.raises(ValueError, match="Node 'a' already exists"):
        import_graph_def(_simple_def(), name="")
    assert [op.name for op in tf.get_default_graph().get_operations()] == before


def test_wrong_document_kind_and_version() -> None:
    with pytest.raises(ValueError, match="Not a graphflow.GraphDef"):
        import_graph_def({"node": []})
    with pytest.raises(ValueError, match="version"):
        import_graph_def({**_simple_def(), "version": 99})


def test_meta_graph_without_variables_has_no_saver() -> None:
    tf.constant(1.0, name="c")
    meta = export_meta_graph()
    with tf.Graph().as_default():
        assert import_meta_graph(meta) is None
        assert tf.get_default_graph().get_operation_by_name("c").type == "Const"


def test_deeply_nested_meta_graph_is_refused(tmp_path) -> None:
    path = tmp_path / "deep.meta"
    path.write_text("[" * 100000 + "]" * 100000)
    with pytest.raises(tf.errors.DataLossError, match="deep.meta"):
        import_meta_graph(str(path))


def test_attr_values_roundtrip_by_type() -> None:
    values = [None, True, 3, 2.5, float("inf"), "NHWC", tf.int64, tf.as_dtype("float32_ref"),
              tf.TensorShape(None), tf.TensorShape([None, 4]), (1, 2), [tf.bool, [1.5]],
              np.array([[1, 2]], np.int16), np.array([b"a", b"\xff"], dtype=object)]
    for value in values:
        text = json.dumps(serialization.encode_attr(value, "test"))
        back = serialization.decode_attr(json.loads(text))
        if isinstance(value, np.ndarray):
            assert back.dtype == value.dtype
            np.testing.assert_array_equal(back, value)
        elif isinstance(value, tf.TensorShape):
            assert back.as_list() == value.as_list() if value.ndims is not None else \
                back.ndims is None
        else:
            assert back == value and type(back) is type(value)


def test_meta_graph_restores_collections_and_variables() -> None:
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[1.0], [2.0]], name="w")
    step = tf.Variable(0, trainable=False, name="step")
    y = tf.matmul(x, w, name="y")
    tf.add_to_collection("outputs", y)
    tf.add_to_collection("notes", "hello")
    tf.add_to_collection("train", tf.assign_add(step, 1).op)
    meta = json.loads(json.dumps(export_meta_graph()))
    with tf.Graph().as_default() as graph:
        saver = import_meta_graph(meta, import_scope="m")
        assert [v["key"] for v in saver.saver_def["variables"]] == ["m/step", "m/w"]
        assert [v.name for v in tf.global_variables()] == ["m/w:0", "m/step:0"]
        assert [v.name for v in tf.trainable_variables()] == ["m/w:0"]
        assert tf.get_collection("outputs")[0].name == "m/y:0"
        assert tf.get_collection("notes") == ["hello"]
        with tf.Session(graph=graph) as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.get_collection("train"))
            assert sess.run(tf.global_variables()[1]) == 1
            np.testing.assert_allclose(sess.run("m/y:0", {"m/x:0": [[1.0, 1.0]]}), [[3.0]])


@pytest.mark.parametrize("change,message", [
    (lambda d: d.update(max_to_keep="many"), "Invalid saver_def"),
    (lambda d: d.update(restore_op_name="os.system"), "missing element"),
    (lambda d: d["variables"][0].update(value_name="v:0"), "variables, placeholders"),
    (lambda d: d["variables"][0].update(variable_name="v/read:0"), "variables, placeholders"),
    (lambda d: d.pop("variables"), "Invalid saver_def"),
])
def test_malformed_saver_defs_are_refused(change, message: str) -> None:
    from graphflow.train.saver import Saver

    tf.Variable(1.0, name="v")
    meta = export_meta_graph(saver_def=Saver().saver_def)
    change(meta["saver_def"])
    with tf.Graph().as_default(), pytest.raises(ValueError, match=message):
        import_meta_graph(json.loads(json.dumps(meta)))
