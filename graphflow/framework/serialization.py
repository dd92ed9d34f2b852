"""Graphs as data: GraphDef and MetaGraphDef documents in JSON, and their import.

A GraphDef lists the nodes in creation order (always a topological order); each node names
its op type, inputs (``"op:0"``, ``"^op"`` for control inputs), attributes (tagged by type,
see ``docs/checkpoints.md``) and output shapes. Import rebuilds every node through
``Graph.create_op`` and the op registry, so it validates exactly as building did, and never
runs code from the document: an unknown op type, a malformed attribute, a reference to a
missing or later node (which also rules out cycles) or an implausible shape is a ValueError.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import secrets
import warnings
from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.errors import DataLossError
from graphflow.framework.graph import Graph, Operation, Tensor, get_default_graph
from graphflow.framework.registry import registered_ops
from graphflow.framework.tensor_shape import TensorShape

GRAPH_FORMAT = "graphflow.GraphDef"
META_FORMAT = "graphflow.MetaGraphDef"
VERSION = 1
MAX_RANK = 64
MAX_DIM = 2**48  # larger dimensions cannot be real: they are rejected as malformed
MAX_CONST_BYTES = 2**31
_VALID_NODE_NAME = re.compile(r"[A-Za-z0-9.][A-Za-z0-9_.\-/>]*")


# -- writing files ---------------------------------------------------------------------------
def write_atomically(path: str, data: bytes) -> None:
    """Writes ``data`` to ``path`` so that a crash leaves either the old file or the new one:
    a temporary file in the same folder, flushed and fsynced, renamed over ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    temp = f"{path}.{secrets.token_hex(4)}.tmp"
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # mode as umask says
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power loss
    finally:
        os.close(directory)


# -- attribute values --------------------------------------------------------------------------
def _dims_to_json(shape: TensorShape) -> list | None:
    return None if shape.ndims is None else list(shape.as_tuple())


def _dims_from_json(value: Any) -> tuple | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_RANK:
        raise ValueError(f"a shape must be a list of at most {MAX_RANK} dims, got {value!r:.80}")
    for dim in value:
        if dim is not None and (type(dim) is not int or not 0 <= dim <= MAX_DIM):
            raise ValueError(f"invalid dimension {dim!r:.40} in shape")
    return tuple(value)


def encode_array(array: np.ndarray) -> dict:
    """An array as JSON: dtype, shape and base64 of its little-endian bytes (strings: a list
    of base64 elements)."""
    dtype = dtypes.as_dtype(array.dtype)
    if dtype == dtypes.string:
        items = [base64.b64encode(v if isinstance(v, bytes) else str(v).encode()).decode()
                 for v in array.ravel()]
        return {"dtype": "string", "shape": list(array.shape), "items": items}
    data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return {"dtype": dtype.name, "shape": list(array.shape),
            "data": base64.b64encode(data).decode()}


def decode_array(value: Any) -> np.ndarray:
    """The array that :func:`encode_array` wrote; ValueError for anything malformed."""
    if not isinstance(value, dict):
        raise ValueError("a tensor value must be an object")
    dtype = _dtype_from_json(value.get("dtype"))
    shape = _dims_from_json(value.get("shape"))
    if shape is None or None in shape:
        raise ValueError("a tensor value needs a fully defined shape")
    count = math.prod(shape)
    if dtype == dtypes.string:
        items = value.get("items")
        if not isinstance(items, list) or len(items) != count:
            raise ValueError(f"a string tensor of shape {list(shape)} needs {count} items")
        decoded = [base64.b64decode(_str(item), validate=True) for item in items]
        array = np.empty(count, dtype=object)
        array[:] = decoded
        return array.reshape(shape)
    np_type = np.dtype(dtype.as_numpy_dtype).newbyteorder("<")
    if count * np_type.itemsize > MAX_CONST_BYTES:
        raise ValueError(f"a tensor value of shape {list(shape)} is too large")
    data = base64.b64decode(_str(value.get("data")), validate=True)
    if len(data) != count * np_type.itemsize:
        raise ValueError(f"tensor data has {len(data)} bytes, shape {list(shape)} of "
                         f"{dtype.name} needs {count * np_type.itemsize}")
    return np.frombuffer(data, dtype=np_type).astype(np_type.newbyteorder("=")).reshape(shape)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    return value


def _dtype_from_json(value: Any) -> dtypes.DType:
    if not isinstance(value, str) or value not in _DTYPE_NAMES:
        raise ValueError(f"unknown dtype {value!r:.40}")
    return dtypes.as_dtype(value)


_DTYPE_NAMES = {d.name for d in map(dtypes.as_dtype, (
    "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
    "bool", "string"))}
_DTYPE_NAMES |= {name + "_ref" for name in _DTYPE_NAMES}


def encode_attr(value: Any, where: str) -> dict:
    """One attribute value as a one-key object naming its type; ValueError for a value that
    has no serialized form (a cond context, a function...)."""
    if value is None:
        return {"none": None}
    if isinstance(value, (bool, np.bool_)):
        return {"b": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"i": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"f": float(value)}
    if isinstance(value, str):
        return {"s": value}
    if isinstance(value, dtypes.DType):
        return {"type": value.name}
    if isinstance(value, TensorShape):
        return {"shape": _dims_to_json(value)}
    if isinstance(value, np.ndarray):
        return {"tensor": encode_array(value)}
    if isinstance(value, (list, tuple)):
        kind = "list" if isinstance(value, list) else "tuple"
        return {kind: [encode_attr(item, where) for item in value]}
    if _is_cond_context(value):
        return {"cond": value.name}
    raise ValueError(f"Cannot serialize {where}: a value of type {type(value).__name__} "
                     f"({value!r:.60}) has no GraphDef form")


def decode_attr(value: Any) -> Any:
    """The attribute value that :func:`encode_attr` wrote; ValueError for malformed input."""
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError(f"an attribute must be a one-key object, got {value!r:.60}")
    (kind, item), = value.items()
    checks = {"b": bool, "i": int, "f": (int, float), "s": str}
    if kind == "none" and item is None:
        return None
    if kind in checks:
        if not isinstance(item, checks[kind]) or (kind != "b" and isinstance(item, bool)):
            raise ValueError(f"attribute of kind {kind!r} has a value of type "
                             f"{type(item).__name__}")
        return float(item) if kind == "f" else item
    if kind == "type":
        return _dtype_from_json(item)
    if kind == "shape":
        return TensorShape(_dims_from_json(item))
    if kind == "tensor":
        array = decode_array(item)
        array.flags.writeable = False
        return array
    if kind in ("list", "tuple") and isinstance(item, list):
        items = [decode_attr(x) for x in item]
        return items if kind == "list" else tuple(items)
    if kind == "cond" and isinstance(item, str):
        return _CondName(item)
    raise ValueError(f"unknown attribute kind {kind!r:.40}")


class _CondName(str):
    """A ``tf.cond`` context named in a GraphDef, resolved when its node is imported."""


def _is_cond_context(value: Any) -> bool:
    from graphflow.ops.control_flow import CondContext

    return isinstance(value, CondContext)


def _cond_contexts(graph: Graph) -> list[dict]:
    """The ``tf.cond`` contexts of ``graph``, enclosing ones first: name, predicate tensor and
    the branch each was built in."""
    found: dict = {}

    def add(context: Any) -> None:
        if context not in found:
            if context.parent is not None:
                add(context.parent[0])
            found[context] = {"name": context.name, "pred": context.pred.name,
                              "parent": None if context.parent is None
                              else [context.parent[0].name, context.parent[1]]}

    for op in graph.get_operations():
        if op.branch is not None:
            add(op.branch[0])
        for value in op.attrs.values():
            if _is_cond_context(value):
                add(value)
    return list(found.values())


class _ContextBuilder:
    """Rebuilds the cond contexts of a GraphDef as their nodes are imported."""

    def __init__(self, specs: Any, prefix: str):
        if not isinstance(specs, list):
            raise ValueError("GraphDef 'cond_contexts' must be a list")
        self.specs = {}
        for spec in specs:
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or \
                    not isinstance(spec.get("pred"), str):
                raise ValueError("a cond context needs a string 'name' and 'pred'")
            self.specs[spec["name"]] = spec
        self.prefix = prefix
        self.built: dict[str, Any] = {}

    def context(self, name: Any, imported: dict, depth: int = 0) -> Any:
        from graphflow.ops.control_flow import CondContext

        if name in self.built:
            return self.built[name]
        spec = self.specs.get(name)
        if spec is None or depth > len(self.specs):
            raise ValueError(f"unknown (or cyclic) cond context {name!r:.60}")
        pred = _source(imported, spec["pred"], f"cond context '{name}'")
        context = self.built[name] = CondContext(pred, self.branch(spec["parent"], imported,
                                                                   depth + 1),
                                                 self.prefix + name)
        return context

    def branch(self, value: Any, imported: dict, depth: int = 0) -> tuple | None:
        if value is None:
            return None
        if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], bool)):
            raise ValueError(f"a branch must be [context name, bool], got {value!r:.60}")
        return (self.context(value[0], imported, depth), value[1])


# -- GraphDef ----------------------------------------------------------------------------------
def graph_to_graph_def(graph: Graph) -> dict:
    """The GraphDef of ``graph``: a JSON-ready dict of its nodes in creation order."""
    nodes = []
    for op in graph.get_operations():
        node = op.node_def
        node["attr"] = {key: encode_attr(value, f"attr '{key}' of op '{op.name}'")
                        for key, value in sorted(op.attrs.items())}
        node["output_shapes"] = [_dims_to_json(t.shape) for t in op.outputs]
        if op.branch is not None:  # built inside a tf.cond branch: [context, taken when]
            node["branch"] = [op.branch[0].name, op.branch[1]]
        nodes.append(node)
    graph_def = {"format": GRAPH_FORMAT, "version": VERSION, "node": nodes}
    contexts = _cond_contexts(graph)
    if contexts:
        graph_def["cond_contexts"] = contexts
    return graph_def


def _check_document(document: Any, kind: str) -> None:
    if not isinstance(document, dict) or document.get("format") != kind:
        raise ValueError(f"Not a {kind} document")
    if document.get("version") != VERSION:
        raise ValueError(f"Unsupported {kind} version {document.get('version')!r:.20}")


def import_graph_def(graph_def: dict, input_map: dict | None = None,
                     return_elements: list | None = None, name: str | None = "import",
                     op_dict: Any = None, producer_op_list: Any = None) -> list | None:
    """``tf.import_graph_def``: adds the nodes of ``graph_def`` to the default graph under the
    name scope ``name``, replacing inputs named in ``input_map`` (``{"x:0": tensor}``).

    Returns the imported elements named in ``return_elements`` (op or tensor names), if given.
    """
    _check_document(graph_def, GRAPH_FORMAT)
    nodes = graph_def.get("node")
    if not isinstance(nodes, list):
        raise ValueError("GraphDef 'node' must be a list")
    graph = get_default_graph()
    mapping = {_tensor_name(key): value for key, value in (input_map or {}).items()}
    for key, tensor in mapping.items():
        if not isinstance(tensor, Tensor) or tensor.graph is not graph:
            raise ValueError(f"input_map value for '{key}' must be a Tensor of the default graph")
    # A rehearsal in a scratch graph finds any error before the real graph is touched.
    scratch = Graph()
    stand_ins = {key: scratch.create_op("Placeholder", [], {
        "dtype": tensor.dtype.base_dtype, "shape": tensor.shape}).outputs[0]
        for key, tensor in mapping.items()}
    contexts = graph_def.get("cond_contexts", [])
    _import_nodes(scratch, nodes, None, stand_ins, contexts)
    if not name:
        taken = [node["name"] for node in nodes if node["name"] in graph._ops_by_name]
        if taken:
            raise ValueError(f"Node '{taken[0]}' already exists in the graph")
    imported = _import_nodes(graph, nodes, name, mapping, contexts)
    if return_elements is None:
        return None
    return [_element(imported, item) for item in return_elements]


def _import_nodes(graph: Graph, nodes: list, name: str | None, mapping: dict,
                  contexts: Any = ()) -> dict:
    """Adds ``nodes`` to ``graph`` under the name scope ``name``; returns them by node name."""
    used: set[str] = set()
    imported: dict[str, Operation] = {}
    with graph.control_dependencies(None), graph._building_branch(None), \
            graph.name_scope(name or None) as prefix:
        builder = _ContextBuilder(list(contexts), prefix)
        for index, node in enumerate(nodes):
            try:
                op = _import_node(graph, node, prefix, imported, mapping, used, builder)
            except (ValueError, TypeError, KeyError) as error:
                reason = error.args[0] if error.args else error
                raise ValueError(f"Invalid GraphDef node {index}: {reason}") from None
            imported[node["name"]] = op
    unused = sorted(set(mapping) - used)
    if unused:
        raise ValueError(f"Attempted to map inputs that were not found in graph_def: {unused}")
    return imported


def _tensor_name(name: str) -> str:
    return name if ":" in name or name.startswith("^") else name + ":0"


def _import_node(graph: Graph, node: Any, prefix: str, imported: dict, mapping: dict,
                 used: set, contexts: _ContextBuilder) -> Operation:
    if not isinstance(node, dict):
        raise ValueError("a node must be an object")
    name, op_type = _str(node.get("name")), _str(node.get("op"))
    if not _VALID_NODE_NAME.fullmatch(name) or name in imported:
        raise ValueError(f"invalid or duplicate node name {name!r:.60}")
    opdefs = registered_ops()
    if op_type not in opdefs:
        raise ValueError(f"Op type not registered '{op_type:.60}' (node '{name:.60}')")
    full_name = prefix + name
    attrs = node.get("attr", {})
    if not isinstance(attrs, dict):
        raise ValueError(f"node '{name}': 'attr' must be an object")
    attrs = {_str(key): decode_attr(value) for key, value in attrs.items()}
    for key, value in attrs.items():
        if isinstance(value, _CondName):
            attrs[key] = contexts.context(value, imported)
        else:
            _check_attr_type(opdefs[op_type].attrs, key, value)
    branch = contexts.branch(node.get("branch"), imported)
    inputs, controls = [], []
    for ref in node.get("input", []):
        ref = _str(ref)
        if ref.startswith("^"):
            controls.append(_source_op(imported, ref[1:], name))
        elif ref in mapping:
            used.add(ref)
            inputs.append(mapping[ref])
        else:
            inputs.append(_source(imported, ref, name))
    with graph.control_dependencies(controls), graph._building_branch(branch):
        op = graph.create_op(op_type, inputs, attrs, full_name + "/")
    shapes = node.get("output_shapes", [])
    if not isinstance(shapes, list) or len(shapes) > len(op.outputs):
        raise ValueError(f"node '{name}': 'output_shapes' does not match its outputs")
    for tensor, dims in zip(op.outputs, shapes):
        tensor.set_shape(TensorShape(_dims_from_json(dims)))
    return op


_DTYPE_ATTRS = {"dtype", "DstT", "out_type", "output_type", "output_dtype", "out_idx"}


def _check_attr_type(defaults: dict, key: str, value: Any) -> None:
    """TypeError when ``value`` is not of the type the op's attribute ``key`` takes: the type of
    its default, or for attributes without one, a DType, shape or tensor by their name."""
    default = defaults.get(key)
    if default is not None:
        expected = (list, tuple) if isinstance(default, (list, tuple)) else type(default)
    elif key in _DTYPE_ATTRS:
        expected = dtypes.DType
    elif key == "shape":
        expected = (TensorShape, type(None))
    elif key == "value":
        expected = np.ndarray
    else:
        return
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise TypeError(f"attr '{key}' has a value of type {type(value).__name__}, expected "
                        f"that of {default!r:.40}" if default is not None else
                        f"attr '{key}' has a value of type {type(value).__name__}")


def _source_op(imported: dict, op_name: str, consumer: str) -> Operation:
    op = imported.get(op_name)
    if op is None:
        raise ValueError(f"node '{consumer}' refers to '{op_name:.60}', which is not an earlier "
                         "node (missing, later, or part of a cycle)")
    return op


def _source(imported: dict, ref: str, consumer: str) -> Tensor:
    op_name, _, index = ref.rpartition(":")
    op = _source_op(imported, op_name, consumer)
    if not index.isdigit() or int(index) >= len(op.outputs):
        raise ValueError(f"node '{consumer}' refers to a missing output '{ref:.60}'")
    return op.outputs[int(index)]


def _element(imported: dict, name: str) -> Any:
    op_name, _, index = name.partition(":")
    if op_name not in imported:
        raise ValueError(f"Requested return_element '{name}' not found in graph_def.")
    op = imported[op_name]
    if not index:
        return op
    if not index.isdigit() or int(index) >= len(op.outputs):
        raise ValueError(f"Requested return_element '{name}' not found in graph_def.")
    return op.outputs[int(index)]


# -- MetaGraphDef ------------------------------------------------------------------------------
def _encode_item(item: Any) -> dict | None:
    """A collection item as JSON, or None for a kind that has no serialized form."""
    if hasattr(item, "initializer") and hasattr(item, "_ref"):  # a tf.Variable
        return {"variable": {
            "variable_name": item._ref().name, "initializer_name": item.initializer.name,
            "snapshot_name": item.value().name, "initial_value_name": item.initial_value.name,
            "trainable": bool(item.trainable)}}
    if isinstance(item, Tensor):
        return {"tensor": item.name}
    if isinstance(item, Operation):
        return {"operation": item.name}
    if isinstance(item, (bool, int, float, str)):
        return {"value": item}
    return None


def _collections_to_json(graph: Graph, keys: list | None) -> dict:
    out = {}
    for key in keys if keys is not None else graph.get_all_collection_keys():
        items = [_encode_item(item) for item in graph.get_collection(key)]
        if None in items:
            warnings.warn(f"Collection '{key}' holds items that cannot be serialized; "
                          "it is left out of the MetaGraphDef", stacklevel=3)
            continue
        out[key] = items
    return out


def export_meta_graph(filename: str | None = None, meta_info_def: Any = None,
                      graph_def: dict | None = None, saver_def: dict | None = None,
                      collection_list: list | None = None, as_text: bool = False,
                      graph: Graph | None = None, export_scope: str | None = None,
                      clear_devices: bool = False, **kwargs: Any) -> dict:
    """``tf.train.export_meta_graph``: the graph, its collections and the saver's description
    as one JSON-ready dict, also written (atomically) to ``filename`` when given."""
    graph = graph or get_default_graph()
    meta = {
        "format": META_FORMAT,
        "version": VERSION,
        "graph_def": graph_def if graph_def is not None else graph_to_graph_def(graph),
        "collections": _collections_to_json(graph, collection_list),
        "saver_def": saver_def,
    }
    if filename is not None:
        write_atomically(filename, json.dumps(meta, indent=1 if as_text else None).encode())
    return meta


def read_json(path: str) -> Any:
    """The JSON document in ``path``; DataLossError naming the file when it is not JSON."""
    with open(path, "rb") as file:
        data = file.read()
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:
        raise DataLossError(None, None, f"Unable to parse {path}: {error}") from None


def import_meta_graph(meta_graph_or_file: dict | str, clear_devices: bool = False,
                      import_scope: str | None = None, **kwargs: Any) -> Any:
    """``tf.train.import_meta_graph``: imports the graph and collections of a MetaGraphDef (a
    dict or a file) into the default graph; returns its Saver (a new one for its variables
    when it has none), or None when it has no variables."""
    meta = meta_graph_or_file
    if isinstance(meta, (str, os.PathLike)):
        meta = read_json(os.fspath(meta))
    _check_document(meta, META_FORMAT)
    try:
        import_graph_def(meta.get("graph_def"), name=import_scope)
        _import_collections(meta.get("collections") or {}, import_scope)
    except RecursionError:
        raise ValueError("MetaGraphDef is nested too deeply") from None
    from graphflow.train.saver import Saver

    saver_def = meta.get("saver_def")
    if saver_def is not None:
        return Saver(saver_def=saver_def, name=import_scope)
    variables = get_default_graph().get_collection("variables", import_scope)
    return Saver(variables) if variables else None


def _import_collections(collections: Any, scope: str | None) -> None:
    if not isinstance(collections, dict):
        raise ValueError("MetaGraphDef 'collections' must be an object")
    graph = get_default_graph()
    variables: dict[str, Any] = {}
    for key, items in collections.items():
        if not isinstance(items, list):
            raise ValueError(f"collection {key!r:.40} must be a list")
        for item in items:
            graph.add_to_collection(key, _decode_item(graph, item, scope, variables))


def scoped(graph: Graph, name: Any, scope: str | None) -> Any:
    """The element of ``graph`` that ``name`` (a name in the exported graph) became on import
    under ``scope``; ValueError when there is none."""
    try:
        return graph.as_graph_element(f"{scope}/{_str(name)}" if scope else _str(name))
    except (KeyError, ValueError, TypeError) as error:
        raise ValueError(f"MetaGraphDef refers to a missing element: {error}") from None


def _decode_item(graph: Graph, item: Any, scope: str | None, variables: dict) -> Any:
    if not isinstance(item, dict) or len(item) != 1:
        raise ValueError(f"invalid collection item {item!r:.60}")
    (kind, value), = item.items()
    if kind in ("tensor", "operation"):
        return scoped(graph, value, scope)
    if kind == "value" and isinstance(value, (bool, int, float, str)):
        return value
    if kind == "variable" and isinstance(value, dict):
        name = _str(value.get("variable_name"))
        if name not in variables:
            variables[name] = _variable_from_def(graph, value, scope)
        return variables[name]
    raise ValueError(f"invalid collection item {item!r:.60}")


def _variable_from_def(graph: Graph, variable_def: dict, scope: str | None) -> Any:
    """A ``tf.Variable`` object for variable ops that were imported (TF1's VariableDef)."""
    from graphflow.variables import Variable

    ref = scoped(graph, variable_def["variable_name"], scope)
    if not isinstance(ref, Tensor) or ref.op.type != "VariableV2":
        raise ValueError(f"'{ref.name}' is not a variable")
    variable = Variable.__new__(Variable)
    variable._variable = ref
    variable._initializer_op = scoped(graph, variable_def.get("initializer_name"), scope)
    variable._snapshot = scoped(graph, variable_def.get("snapshot_name"), scope)
    variable._initial_value = scoped(graph, variable_def.get("initial_value_name"), scope)
    variable._trainable = bool(variable_def.get("trainable", True))
    variable._constraint = None
    return variable
