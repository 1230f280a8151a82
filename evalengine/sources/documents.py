"""Reading the user's files: encodings, YAML with positions, nothing executed.

YAML is composed into nodes and built here by hand, so that every value keeps the line it came
from, duplicate keys are caught (PyYAML silently keeps the last), and numbers stay text until a
schema turns them into Decimal (no float ever exists).
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evalengine.errors import InputError, KeyPath, Location, ReadError, keypath_text

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_INPUTS: set[tuple[int, int]] = set()  # (device, inode) of every regular file read in this run


def remember_input(path: Path) -> None:
    """Note that `path` was read, so that no output of this run may replace it."""
    try:
        st = os.stat(path)
    except OSError:
        return
    if stat.S_ISREG(st.st_mode):
        _INPUTS.add((st.st_dev, st.st_ino))


def is_input(path: Path) -> bool:
    """Whether `path` is (a link to) a file read in this run."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) in _INPUTS


def forget_inputs() -> None:
    """A new run begins (the command line calls this once per command)."""
    _INPUTS.clear()


def read_text(path: Path, encoding: str | None = None) -> str:
    """Read a text file as UTF-8 (a BOM is fine), or in `encoding` when the user names one."""
    try:
        data = path.read_bytes()
        remember_input(path)
    except FileNotFoundError:
        raise ReadError(f"file not found: {path}", Location(str(path))) from None
    except IsADirectoryError:
        raise ReadError(f"expected a file, found a directory: {path}", Location(str(path))) from None
    except OSError as exc:
        raise ReadError(f"cannot read {path}: {exc.strerror}", Location(str(path))) from None
    if encoding:
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError) as exc:
            raise ReadError(f"cannot decode as {encoding}: {exc}", Location(str(path))) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        looks_gbk = _decodes(data, "gb18030")
        raise ReadError(
            "file is not UTF-8"
            + (" (it looks like GBK/GB18030, as Excel and Notepad save on a Chinese Windows)" if looks_gbk else ""),
            Location(str(path), line),
            hint="save the file as UTF-8, or pass --encoding gbk",
        ) from None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class Document:
    """A parsed YAML file: plain data plus the position of every value by key path."""

    data: Any
    file: str
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    cells: dict[KeyPath, str] = field(default_factory=dict)  # for spreadsheets: the cell of each value

    def where(self, path: KeyPath) -> Location:
        """The location of the value at `path`, or of its nearest ancestor that has one.

        Called for every value read, used only for errors: kept cheap (the key path is written out
        only when an error is shown, and JSON documents have no lines to look up).
        """
        if self.cells:
            probe = path
            while probe and probe not in self.cells:
                probe = probe[:-1]
            return Location(self.file, None, None, path or None, self.cells.get(probe))
        mark = self.marks.get(path)
        if mark is None and self.marks:
            probe = path
            while probe and probe not in self.marks:
                probe = probe[:-1]
            mark = self.marks.get(probe)
        line, column = mark if mark else (None, None)
        return Location(self.file, line, column, path or None)


def parse_yaml(text: str, file: str) -> Document:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise ReadError(
            f"malformed YAML: {problem}",
            Location(file, line, column),
            hint="check indentation and that every 'key: value' has a space after the colon",
        ) from None
    except yaml.YAMLError as exc:
        raise ReadError(f"malformed YAML: {exc}", Location(file)) from None
    doc = Document(None, file)
    doc.data = _build(node, (), doc) if node is not None else None
    return doc


def load_yaml(path: Path, encoding: str | None = None) -> Document:
    """A YAML file (packs, the vocabulary); users' data files are read through `dispatch.read_document`."""
    return parse_yaml(read_text(path, encoding), str(path))


def parse_json(text: str, file: str) -> Document:
    """JSON with the guarantees of parse_yaml: numbers stay text (never float), duplicate keys are errors.

    The json module keeps no positions, so values are located by key path; a syntax error by line.
    """

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):  # only then look for the key that repeats
            seen: set[str] = set()
            key = next(k for k, _ in items if k in seen or seen.add(k))  # type: ignore[func-returns-value]
            raise InputError(f"duplicate key {key!r}", Location(file), hint="each key may appear once in an object")
        return out

    try:
        data = json.loads(text, parse_float=str, parse_int=str, parse_constant=_no_constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise ReadError(f"malformed JSON: {exc.msg}", Location(file, exc.lineno, exc.colno)) from None
    return Document(data, file)


def _no_constant(name: str) -> Any:
    raise ReadError(f"{name} is not a number evalengine accepts")


_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _build(node: yaml.Node, path: KeyPath, doc: Document) -> Any:
    doc.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
        raise InputError(
            f"unsupported YAML tag {node.tag}; tags are never executed, write plain values", doc.where(path)
        )
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError("a key must be plain text", doc.where(path))
            key = str(key_node.value)
            if key == "<<":
                raise InputError("YAML merge keys (<<) are not supported; write the keys out", doc.where(path))
            if key in out:
                line = key_node.start_mark.line + 1
                raise InputError(
                    f"duplicate key {key!r}",
                    Location(doc.file, line, key_node.start_mark.column + 1, keypath_text(path + (key,))),
                    hint="each key may appear once in a mapping",
                )
            # a keyed value is located at its key: that is the line a user looks for
            doc.marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _build(value_node, (*path, key), doc)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), doc) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    tag = node.tag.rsplit(":", 1)[-1]
    if tag == "null":
        return None
    if tag == "bool":
        return _BOOL[node.value.lower()]
    if tag not in ("str", "int", "float", "timestamp"):
        raise InputError(
            f"unsupported YAML tag {node.tag}; tags are never executed, write plain values", doc.where(path)
        )
    return node.value  # numbers and dates stay text; schemas convert them exactly
