"""``tf.train.Saver`` and checkpoint files: variable values saved and restored across processes.

A checkpoint ``<prefix>`` is the file ``<prefix>.index`` (every saved value; the format is in
``docs/checkpoints.md``: a JSON header and raw little-endian arrays, each with a CRC-32, read
with NumPy and the standard library only) and, optionally, the MetaGraphDef ``<prefix>.meta``.
The ``checkpoint`` state file lists a folder's checkpoints, newest last. Every file is written
atomically (temporary file, fsync, rename) and the state file last, so a process killed during
``save`` leaves the previous checkpoint and the state file intact.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import struct
import time
import warnings
import zlib
from typing import Any

import numpy as np

from graphflow.framework import dtypes
from graphflow.framework.errors import DataLossError, InvalidArgumentError, NotFoundError
from graphflow.framework.graph import GraphKeys, Operation, Tensor, get_default_graph
from graphflow.framework.serialization import (
    export_meta_graph,
    scoped,
    write_atomically,
)
from graphflow.framework.tensor_shape import TensorShape, format_dims
from graphflow.ops import control_ops, state_ops
from graphflow.ops.constant_op import placeholder

MAGIC = b"GFCKPT\x00\x01"
_PREAMBLE = struct.Struct("<8sQI")  # magic, header length, CRC-32 of the header
_CHECKPOINT_FORMAT = "graphflow.Checkpoint"
_STATE_KEYS = ("model_checkpoint_path", "all_model_checkpoint_paths")
_MISSING = ("Restoring from checkpoint failed. This is most likely due to a Variable name or "
            "other graph key that is missing from the checkpoint.")
_MISMATCH = ("Restoring from checkpoint failed. This is most likely due to a mismatch between "
             "the current graph and the graph from the checkpoint.")
_NUMERIC = ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
            "uint16", "bool")


# -- the checkpoint file ---------------------------------------------------------------------
def write_checkpoint(path: str, values: dict[str, np.ndarray]) -> None:
    """Writes ``values`` (name to array) to the checkpoint file ``path``, atomically."""
    entries, chunks, offset = [], [], 0
    for name in sorted(values):
        array = np.asarray(values[name])
        dtype = dtypes.as_dtype(array.dtype)
        if dtype.name not in _NUMERIC:
            raise TypeError(f"Cannot save '{name}': checkpoints hold numeric and bool values, "
                            f"not {dtype.name}")
        data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
        entries.append({"name": name, "dtype": dtype.name, "shape": list(array.shape),
                        "offset": offset, "size": len(data), "crc32": zlib.crc32(data)})
        chunks.append(data)
        offset += len(data)
    header = json.dumps({"format": _CHECKPOINT_FORMAT, "version": 1,
                         "tensors": entries}).encode()
    preamble = _PREAMBLE.pack(MAGIC, len(header), zlib.crc32(header))
    write_atomically(path, b"".join([preamble, header, *chunks]))


def read_checkpoint(path: str) -> dict[str, np.ndarray]:
    """The values in the checkpoint file ``path``; DataLossError naming the file when it is
    truncated, corrupt or not a checkpoint."""
    with open(path, "rb") as file:
        data = file.read()

    def corrupt(reason: str) -> DataLossError:
        return DataLossError(None, None, f"Checkpoint file {path} is corrupt: {reason}")

    if len(data) < _PREAMBLE.size:
        raise corrupt("it is truncated")
    magic, header_length, header_crc = _PREAMBLE.unpack_from(data)
    if magic != MAGIC:
        raise corrupt("it is not a graphflow checkpoint")
    start = _PREAMBLE.size + header_length
    header = data[_PREAMBLE.size:start]
    if len(data) < start or zlib.crc32(header) != header_crc:
        raise corrupt("its header is truncated or damaged")
    try:
        entries = json.loads(header)["tensors"]
        values = {entry["name"]: _array(entry, data, start) for entry in entries}
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise corrupt(str(error)) from None
    if start + sum(entry["size"] for entry in entries) != len(data):
        raise corrupt("its length does not match its header")
    return values


def _array(entry: dict, data: bytes, start: int) -> np.ndarray:
    name, shape, offset, size = entry["name"], entry["shape"], entry["offset"], entry["size"]
    if entry["dtype"] not in _NUMERIC or not all(type(d) is int and d >= 0 for d in shape):
        raise ValueError(f"bad dtype or shape for '{name}'")
    np_type = np.dtype(dtypes.as_dtype(entry["dtype"]).as_numpy_dtype).newbyteorder("<")
    if type(offset) is not int or offset < 0 or size != math.prod(shape) * np_type.itemsize:
        raise ValueError(f"bad offset or size for '{name}'")
    chunk = data[start + offset:start + offset + size]
    if len(chunk) != size or zlib.crc32(chunk) != entry["crc32"]:
        raise ValueError(f"the data of '{name}' is truncated or fails its checksum")
    return np.frombuffer(chunk, dtype=np_type).astype(np_type.newbyteorder("=")).reshape(shape)


# -- the state file ----------------------------------------------------------------------------
@dataclasses.dataclass
class CheckpointState:
    """What a folder's ``checkpoint`` file says: the newest checkpoint and all that are kept."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: list[str]


def _state_path(checkpoint_dir: str, latest_filename: str | None) -> str:
    return os.path.join(checkpoint_dir, latest_filename or "checkpoint")


def update_checkpoint_state(save_dir: str, model_checkpoint_path: str,
                            all_model_checkpoint_paths: list[str] | None = None,
                            latest_filename: str | None = None) -> None:
    """Writes the ``checkpoint`` state file of ``save_dir`` (atomically), with paths relative
    to ``save_dir`` so that the folder can be moved."""
    paths = list(all_model_checkpoint_paths or [])
    if model_checkpoint_path not in paths:
        paths.append(model_checkpoint_path)
    lines = [f"model_checkpoint_path: {json.dumps(os.path.basename(model_checkpoint_path))}"]
    lines += [f"all_model_checkpoint_paths: {json.dumps(os.path.basename(p))}" for p in paths]
    write_atomically(_state_path(save_dir, latest_filename), ("\n".join(lines) + "\n").encode())


def get_checkpoint_state(checkpoint_dir: str,
                         latest_filename: str | None = None) -> CheckpointState | None:
    """``tf.train.get_checkpoint_state``: the folder's state file, None when there is none (or,
    with a warning, when it cannot be parsed)."""
    path = _state_path(checkpoint_dir, latest_filename)
    if not os.path.exists(path):
        return None
    fields: dict[str, list[str]] = {key: [] for key in _STATE_KEYS}
    try:
        with open(path, encoding="utf-8") as file:
            for line in filter(None, map(str.strip, file)):
                key, _, value = line.partition(": ")
                value = json.loads(value)
                if key not in fields or not isinstance(value, str):
                    raise ValueError(f"unexpected line {line!r:.80}")
                fields[key].append(os.path.join(checkpoint_dir, value))
        (latest,) = fields["model_checkpoint_path"]
    except (ValueError, UnicodeDecodeError) as error:
        warnings.warn(f"{path}: {error}: checkpoint state ignored", stacklevel=2)
        return None
    return CheckpointState(latest, fields["all_model_checkpoint_paths"])


def checkpoint_exists(checkpoint_prefix: str) -> bool:
    """``tf.train.checkpoint_exists``: whether a checkpoint was saved under this prefix."""
    return os.path.isfile(checkpoint_prefix + ".index")


def latest_checkpoint(checkpoint_dir: str, latest_filename: str | None = None) -> str | None:
    """``tf.train.latest_checkpoint``: the prefix of the newest checkpoint in the folder."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


def _prefix(ckpt_dir_or_file: str) -> str:
    if os.path.isdir(ckpt_dir_or_file):
        prefix = latest_checkpoint(ckpt_dir_or_file)
        if prefix is None:
            raise ValueError("Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {ckpt_dir_or_file}")
        return prefix
    if not checkpoint_exists(ckpt_dir_or_file):
        raise NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: Failed to "
                            f"find any matching files for {ckpt_dir_or_file}")
    return ckpt_dir_or_file


def list_variables(ckpt_dir_or_file: str) -> list[tuple[str, list[int]]]:
    """``tf.train.list_variables``: ``(name, shape)`` of every value in the checkpoint."""
    values = read_checkpoint(_prefix(ckpt_dir_or_file) + ".index")
    return [(name, list(values[name].shape)) for name in sorted(values)]


def load_variable(ckpt_dir_or_file: str, name: str) -> np.ndarray:
    """``tf.train.load_variable``: the value saved under ``name`` (``"W"`` or ``"W:0"``)."""
    prefix = _prefix(ckpt_dir_or_file)
    name = name[:-2] if name.endswith(":0") else name
    values = read_checkpoint(prefix + ".index")
    if name not in values:
        raise NotFoundError(None, None, f"Key {name} not found in checkpoint {prefix}")
    return values[name]


# -- Saver -------------------------------------------------------------------------------------
def _saveables(var_list: Any) -> dict[str, Any]:
    """Checkpoint key to variable, from a list (keys are the variables' op names) or a dict."""
    if var_list is None:
        graph = get_default_graph()
        var_list = (graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
                    + graph.get_collection(GraphKeys.SAVEABLE_OBJECTS))
    named = var_list.items() if isinstance(var_list, dict) else [(None, v) for v in var_list]
    out: dict[str, Any] = {}
    for key, variable in named:
        if not hasattr(variable, "op") or variable.op.type != "VariableV2":
            raise TypeError(f"Variable to save is not a Variable: {variable!r}")
        key = variable.op.name if key is None else key
        if key in out:
            if out[key] is variable:
                continue
            raise ValueError(f"At least two variables have the same name: {key}")
        out[key] = variable
    return out


class Saver:
    """``tf.train.Saver``: saves and restores variables; keeps the newest ``max_to_keep``
    checkpoints (plus one every ``keep_checkpoint_every_n_hours``)."""

    def __init__(self, var_list: Any = None, reshape: bool = False, sharded: bool = False,
                 max_to_keep: int | None = 5, keep_checkpoint_every_n_hours: float = 10000.0,
                 name: str | None = None, restore_sequentially: bool = False,
                 saver_def: dict | None = None, builder: Any = None, defer_build: bool = False,
                 allow_empty: bool = False, write_version: int = 2,
                 pad_step_number: bool = False, save_relative_paths: bool = False,
                 filename: str | None = None):
        graph = get_default_graph()
        scope = name  # a given saver_def names ops imported under the scope ``name``
        if saver_def is None:
            saver_def = self._build(graph, _saveables(var_list), name or "save", allow_empty,
                                    max_to_keep, keep_checkpoint_every_n_hours)
            scope = None
        self._graph = graph
        self._saver_def = saver_def
        self._entries, self._restore_op = self._resolve(graph, saver_def, scope)
        try:
            self._max_to_keep = int(saver_def["max_to_keep"])
            self._keep_every = float(saver_def["keep_checkpoint_every_n_hours"]) * 3600
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"Invalid saver_def: {error!r}") from None
        self._last_preserved_time = time.time()
        self._last_checkpoints: list[tuple[str, float]] = []

    @staticmethod
    def _build(graph: Any, saveables: dict, scope: str, allow_empty: bool,
               max_to_keep: int | None, keep_every_n_hours: float) -> dict:
        """Builds a placeholder and an Assign per variable, grouped into ``restore_all``."""
        if not saveables and not allow_empty:
            raise ValueError("No variables to save")
        entries, assigns = [], []
        with graph.as_default(), graph.control_dependencies(None), graph.name_scope(scope):
            for key, variable in sorted(saveables.items()):
                ref = variable.op.outputs[0]
                value = placeholder(ref.dtype.base_dtype, ref.shape, name="restore_value")
                assigns.append(state_ops.assign(ref, value, name="Assign").op)
                entries.append({"key": key, "variable_name": ref.name, "value_name": value.name})
            restore_op = control_ops.group(*assigns, name="restore_all")
        return {"version": 1, "restore_op_name": restore_op.name, "variables": entries,
                "max_to_keep": max_to_keep or 0,
                "keep_checkpoint_every_n_hours": keep_every_n_hours}

    @staticmethod
    def _resolve(graph: Any, saver_def: dict, scope: str | None) -> tuple[dict, Operation]:
        """Checkpoint key to (variable reference, restore placeholder), and the restore op, from
        a saver_def whose names are prefixed with ``scope`` in ``graph`` (an imported
        MetaGraphDef)."""
        try:
            entries = {entry["key"]: (scoped(graph, entry["variable_name"], scope),
                                      scoped(graph, entry["value_name"], scope))
                       for entry in saver_def["variables"]}
            restore_op = scoped(graph, saver_def["restore_op_name"], scope)
        except (KeyError, TypeError) as error:
            raise ValueError(f"Invalid saver_def: {error!r}") from None
        kinds = {tuple(t.op.type if isinstance(t, Tensor) else None for t in pair)
                 for pair in entries.values()}
        if not isinstance(restore_op, Operation) or kinds - {("VariableV2", "Placeholder")}:
            raise ValueError("Invalid saver_def: it must name variables, placeholders and a "
                             "restore op")
        return entries, restore_op

    @property
    def saver_def(self) -> dict:
        """The JSON-ready description of this Saver stored in MetaGraphDefs."""
        return self._saver_def

    def as_saver_def(self) -> dict:
        return self._saver_def

    @property
    def last_checkpoints(self) -> list[str]:
        """The checkpoints this Saver still keeps, oldest first."""
        return [path for path, _ in self._last_checkpoints]

    def recover_last_checkpoints(self, checkpoint_paths: list[str]) -> None:
        """Takes over the still existing checkpoints among ``checkpoint_paths`` (after a restart,
        from ``get_checkpoint_state``) as this Saver's, so that it rotates them out in turn."""
        self._last_checkpoints = [(path, os.path.getmtime(path + ".index"))
                                  for path in checkpoint_paths if checkpoint_exists(path)]

    def save(self, sess: Any, save_path: str, global_step: Any = None,
             latest_filename: str | None = None, meta_graph_suffix: str = "meta",
             write_meta_graph: bool = True, write_state: bool = True,
             strip_default_attrs: bool = False, save_debug_info: bool = False) -> str:
        """Saves the variables' values in ``sess`` to ``save_path`` (``-<global_step>``
        appended when given); returns the checkpoint prefix."""
        if not os.path.isdir(os.path.dirname(save_path) or "."):
            raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
        if global_step is not None:
            step = global_step if isinstance(global_step, (int, np.integer)) else \
                sess.run(global_step)
            save_path = f"{save_path}-{int(step)}"
        keys = list(self._entries)
        values = sess.run([self._entries[key][0] for key in keys])
        write_checkpoint(save_path + ".index", dict(zip(keys, values)))
        if write_meta_graph:
            self.export_meta_graph(f"{save_path}.{meta_graph_suffix}")
        if write_state:
            self._record(save_path, latest_filename, meta_graph_suffix)
        return save_path

    def _record(self, save_path: str, latest_filename: str | None, meta_suffix: str) -> None:
        """Updates the state file, then deletes the checkpoints that fell out of it."""
        self._last_checkpoints = [(p, t) for p, t in self._last_checkpoints if p != save_path]
        self._last_checkpoints.append((save_path, time.time()))
        dropped = []
        while self._max_to_keep and len(self._last_checkpoints) > self._max_to_keep:
            dropped.append(self._last_checkpoints.pop(0))
        update_checkpoint_state(os.path.dirname(save_path) or ".", save_path,
                                self.last_checkpoints, latest_filename)
        for path, saved_at in dropped:
            if saved_at - self._keep_every >= self._last_preserved_time:  # one every n hours
                self._last_preserved_time = saved_at
                continue
            for suffix in (".index", "." + meta_suffix):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)

    def restore(self, sess: Any, save_path: str) -> None:
        """Sets the variables in ``sess`` to the values saved in checkpoint ``save_path``; all
        of them or, on any error, none."""
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        if not checkpoint_exists(save_path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        saved = read_checkpoint(save_path + ".index")
        feeds = {}
        for key, (ref, value_input) in self._entries.items():
            if key not in saved:
                raise NotFoundError(None, ref.op, f"{_MISSING} Key {key} not found in "
                                    f"checkpoint {save_path}")
            value, dtype = saved[key], ref.dtype.base_dtype
            if value.dtype != dtype.as_numpy_dtype:
                raise InvalidArgumentError(
                    None, ref.op, f"{_MISMATCH} Tensor '{key}' has dtype "
                    f"{dtypes.as_dtype(value.dtype).name} in checkpoint {save_path}, the graph's "
                    f"variable has dtype {dtype.name}")
            if not ref.shape.is_compatible_with(TensorShape(value.shape)):
                raise InvalidArgumentError(
                    None, ref.op, f"{_MISMATCH} Assign requires shapes of both tensors to "
                    f"match (variable '{key}'). lhs shape= "
                    f"{format_dims(ref.shape.as_tuple())} rhs shape= {format_dims(value.shape)}")
            feeds[value_input] = value
        sess.run(self._restore_op, feeds)

    def export_meta_graph(self, filename: str | None = None, collection_list: list | None = None,
                          as_text: bool = False, **kwargs: Any) -> dict:
        """The MetaGraphDef of this Saver's graph, with this Saver's description."""
        return export_meta_graph(filename, saver_def=self._saver_def,
                                 collection_list=collection_list, as_text=as_text,
                                 graph=self._graph)
