"""Reading the user's files: encodings, YAML with positions, nothing executed.

YAML is composed into nodes and built here by hand, so that every value keeps the line it came
from, duplicate keys are caught (PyYAML silently keeps the last), and numbers stay text until a
schema turns them into Decimal (no float ever exists).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from evalengine.errors import InputError, KeyPath, Location, ReadError, keypath_text
from evalengine.i18n import N_, _
from evalengine.limits import MAX_DEPTH, MAX_TEXT_BYTES, MIB

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


def inputs_read() -> frozenset[tuple[int, int]]:
    """The files read so far in this run, as (device, inode): what a worker process hands back to the run."""
    return frozenset(_INPUTS)


def remember_inputs(files: Iterable[tuple[int, int]]) -> None:
    """Note files another process of this run has read (`inputs_read` there)."""
    _INPUTS.update(files)


def forget_inputs() -> None:
    """A new run begins (the command line calls this once per command)."""
    _INPUTS.clear()


def open_regular(path: Path, limit: int, where: Location | None = None) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes.

    Devices (/dev/zero), FIFOs and directories are refused before they are opened: reading them
    would never end or block. `where` locates the reference to the file (a `targets:` line) if any.
    """
    loc = where or Location(str(path))
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ReadError(_("file not found: {path}", path=path), loc) from None
    except OSError as exc:
        raise ReadError(_("cannot read {path}: {reason}", path=path, reason=exc.strerror), loc) from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(_("expected a file, found a directory: {path}", path=path), loc)
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(_("{path} is not a regular file (a device, a pipe or a socket); give a file", path=path), loc)
    if info.st_size > limit:
        raise ReadError(
            _(
                "{path} is {size}; evalengine reads files of at most {limit}",
                path=path,
                size=_size(info.st_size),
                limit=_size(limit),
            ),
            loc,
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ReadError(_("cannot read {path}: {reason}", path=path, reason=exc.strerror), loc) from None
    if len(data) > limit:  # it grew while we looked
        raise ReadError(
            _("{path} is larger than {limit}, the most evalengine reads", path=path, limit=_size(limit)), loc
        )
    remember_input(path)
    return data


def _size(n: int) -> str:
    return f"{n / MIB:.1f} MiB" if n >= MIB else _("{n} bytes", n=n)


# GB18030 is the superset Windows and Excel actually write under the name GBK (cp936): a file that
# decodes as GB18030 is what the user meant by gbk, and GBK alone refuses some of its bytes
_GB_FAMILY = frozenset({"gbk", "gb2312", "cp936", "gb18030"})


def read_text(path: Path, encoding: str | None = None, limit: int = MAX_TEXT_BYTES) -> str:
    """Read a text file as UTF-8 (a BOM is fine), or in `encoding` when the user names one."""
    return read_text_bytes(path, encoding, limit)[0]


def read_text_bytes(path: Path, encoding: str | None = None, limit: int = MAX_TEXT_BYTES) -> tuple[str, bytes | None]:
    """read_text, and the file's bytes when they are the text's UTF-8 (read as UTF-8, a BOM dropped): what
    parse_json would otherwise encode again (None when the user named an encoding)."""
    data = open_regular(path, limit)
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise ReadError(
                _("unknown encoding {encoding!r}", encoding=encoding), Location(str(path)), hint=_("try utf-8 or gbk")
            ) from None
        if name in _GB_FAMILY:
            name = "gb18030"
        try:
            return data.decode(name).lstrip("\ufeff"), None
        except LookupError as exc:  # base64 and the like are codecs, not text encodings
            codec = f"{name!r} is not a text encoding; use codecs.decode() to handle arbitrary codecs"
            raise ReadError(
                _(
                    "cannot decode as {encoding}: {name!r} is not a text encoding; use codecs.decode() to handle "
                    "arbitrary codecs",
                    encoding=encoding,
                    name=name,
                )
                if str(exc) == codec
                else _("cannot decode as {encoding}: {reason}", encoding=encoding, reason=exc),
                Location(str(path)),
                hint=_("try utf-8 or gbk"),
            ) from None
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ReadError(
                _(
                    "cannot decode as {encoding}: byte {byte!r} is not {encoding}",
                    encoding=encoding,
                    byte=data[exc.start : exc.start + 1],
                ),
                Location(str(path), line),
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        looks_gbk = _decodes(data, "gb18030")
        raise ReadError(
            _("file is not UTF-8 (it looks like GBK/GB18030, as Excel and Notepad save on a Chinese Windows)")
            if looks_gbk
            else _("file is not UTF-8"),
            Location(str(path), line),
            hint=_("save the file as UTF-8, or pass --encoding gbk"),
        ) from None
    # UTF-8 decodes no surrogate, and utf-8-sig drops one BOM: the rest is the text encoded again
    return text, data[3:] if data.startswith(codecs.BOM_UTF8) else data


# C0 and C1 control characters, and DEL; tab and newline are text. A control character in a name
# reaches the terminal (ESC sequences) and breaks the Excel writer, so it is refused where it is read; so
# are U+FFFE and U+FFFF, which are no characters at all and which XML (so xlsx and docx) cannot hold, and
# a lone surrogate (U+D800 to U+DFFF, which only a JSON or YAML escape such as \udc00 can make: decoded
# text holds none), which no output can be written in (UTF-8 refuses it).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def control_character(text: str) -> str | None:
    """A description of the first control character in `text` (U+001B ESC), or None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return f"U+{ord(found.group()):04X}{_NAMES.get(found.group(), '')}"


_NAMES = {"\x00": " NUL", "\x07": " BEL", "\x08": " BS", "\x0c": " FF", "\x0d": " CR", "\x1b": " ESC", "\x7f": " DEL"}


def refuse_control_lines(text: str, path: Path, allowed: str = "") -> None:
    """Refuse a control character anywhere in a text file, located by line and column."""
    for number, line in enumerate(text.splitlines(), start=1):
        if _CONTROL.search(line.translate({ord(ch): " " for ch in allowed})):
            refuse_control(line.translate({ord(ch): " " for ch in allowed}), Location(str(path), number), "the line")


# what refuse_control says, by the `what` its callers name (any other `what` gets the last, with its words)
_HOLDS_CONTROL = {
    "text": N_("text holds the control character {bad}, column {column}"),
    "the line": N_("the line holds the control character {bad}, column {column}"),
    "a key": N_("a key holds the control character {bad}, column {column}"),
    "the target": N_("the target holds the control character {bad}, column {column}"),
}


CONTROL_HINT = N_("control characters are never part of a name, target or explanation: delete it")


def refuse_control(text: str, where: Location, what: str = "text") -> None:
    bad = control_character(text)
    if bad is not None:
        column = _CONTROL.search(text).start() + 1  # type: ignore[union-attr]
        message = (
            _(_HOLDS_CONTROL[what], bad=bad, column=column)
            if what in _HOLDS_CONTROL
            else _("{what} holds the control character {bad}, column {column}", what=what, bad=bad, column=column)
        )
        raise InputError(message, where, hint=_(CONTROL_HINT))


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
    notes: list[str] = field(default_factory=list)  # what reading it decided (the mapping a form was read with)

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


# What the YAML and JSON readers say, in their words: marked here so that the catalogue translates them
# (any other text of theirs is given back unchanged); braces are doubled, as in every message
LIBRARY_WORDS = (
    N_("could not find expected ':'"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}}'"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected <document start>"),
    N_("did not find expected key"),
    N_("did not find expected node content"),  # libyaml's words (PyYAML's C loader) from here
    N_("block sequence entries are not allowed in this context"),
    N_("found a tab character where an indentation space is expected"),
    N_("found unexpected ':'"),
    N_("while parsing a node"),
    N_("while parsing a block node"),
    N_("while parsing a flow node"),
    N_("found a tab character that violates indentation"),
    N_("found character that cannot start any token"),
    N_("found undefined alias"),
    N_("found unexpected end of stream"),
    N_("found unknown directive name"),
    N_("found unknown escape character"),
    N_("mapping values are not allowed in this context"),
    N_("mapping values are not allowed here"),
    N_("exceeded maximum nesting depth"),
    N_("control characters are not allowed"),
    N_("special characters are not allowed"),
    N_("invalid leading UTF-8 octet"),
    N_("incomplete UTF-8 octet sequence"),
    N_("while parsing a block collection"),
    N_("while parsing a block mapping"),
    N_("while parsing a flow mapping"),
    N_("while parsing a flow sequence"),
    N_("while parsing a quoted scalar"),
    N_("while scanning a directive"),
    N_("while scanning a plain scalar"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a simple key"),
    N_("while scanning for the next token"),
    N_("Expecting ':' delimiter"),
    N_("Expecting ',' delimiter"),
    N_("Expecting property name enclosed in double quotes"),
    N_("Expecting value"),
    N_("Extra data"),
    N_("Unterminated string starting at"),
    N_("Invalid control character at"),
    N_("Invalid \\escape"),
    N_("Invalid \\uXXXX escape"),
)


def library_words(text: str) -> str:
    """What the YAML or JSON reader said, in the language of the run when the catalogue has it."""
    escaped = text.replace("{", "{{").replace("}", "}}")
    said = _(escaped)
    return text if said == escaped else said.format()


def parse_yaml(text: str, file: str) -> Document:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or _("malformed YAML")
        raise ReadError(
            _("malformed YAML: {problem}", problem=library_words(problem)),
            Location(file, line, column),
            hint=_("check indentation and that every 'key: value' has a space after the colon"),
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: located from its position
        at = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts bytes of UTF-8, not characters
            at = len(text.encode("utf-8")[:at].decode("utf-8", "ignore"))
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise ReadError(
            _(
                "malformed YAML: the character {what} is not allowed: {reason}",
                what=what,
                reason=library_words(exc.reason),
            ),
            Location(file, line, column),
        ) from None
    except yaml.YAMLError as exc:
        raise ReadError(_("malformed YAML: {problem}", problem=exc), Location(file)) from None
    doc = Document(None, file)
    doc.data = _build(node, (), doc, set()) if node is not None else None
    return doc


def load_yaml(path: Path, encoding: str | None = None, limit: int = MAX_TEXT_BYTES) -> Document:
    """A YAML file (packs, the vocabulary); users' data files are read through `dispatch.read_document`."""
    return parse_yaml(read_text(path, encoding, limit), str(path))


def parse_json(text: str, file: str, raw: bytes | None = None) -> Document:
    """JSON with the guarantees of parse_yaml: numbers stay text (never float), duplicate keys are errors.

    The json module keeps no positions, so values are located by key path; a syntax error by line.
    `raw`: the text's _utf8 bytes, when the caller has them (the file as read), else made here.

    A hook given every object's pairs (to see a repeated key) cost a fifth of the reading (a list of pairs
    for each object, then a dict made of it): the text is read into dicts as json.loads makes them, and
    their keys are counted instead. Outside strings a valid JSON text has a colon for every key of every
    object, and the dicts read hold every key but a repeated one: the counts differ exactly when some
    object repeats a key. Then, or when anything else is wrong (a syntax error, NaN, too deep),
    the text is read again as before (`_parse_json_by_pairs`), which says what and where, as it always did.
    """
    raw = _utf8(text) if raw is None else raw
    sizes: list[int] = []  # how many keys each mapping read holds
    size = sizes.append

    def counted(mapping: dict[str, Any]) -> dict[str, Any]:  # json.loads's dict, as it made it
        size(len(mapping))
        return mapping

    try:
        data = json.loads(text, parse_float=str, parse_int=str, parse_constant=_no_constant, object_hook=counted)
    except (json.JSONDecodeError, RecursionError, _Constant):
        return _parse_json_by_pairs(text, file, raw)
    outside = _outside(text, raw)
    if _depth_of(outside) > MAX_DEPTH or outside.count(b":") != sum(sizes):
        return _parse_json_by_pairs(text, file, raw)
    if _may_hold_control(text, raw):
        _check_json(text, data, file, raw)
    return Document(data, file)


def _parse_json_by_pairs(text: str, file: str, raw: bytes) -> Document:
    """parse_json as it reads a faulty text: every object's pairs seen, so a repeated key is named."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):  # only then look for the key that repeats
            seen: set[str] = set()
            key = next(k for k, _ in items if k in seen or seen.add(k))  # type: ignore[func-returns-value]
            raise InputError(
                _("duplicate key {key!r}", key=key), Location(file), hint=_("each key may appear once in an object")
            )
        return out

    try:
        data = json.loads(text, parse_float=str, parse_int=str, parse_constant=_no_constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise ReadError(
            _("malformed JSON: {reason}", reason=library_words(exc.msg)), Location(file, exc.lineno, exc.colno)
        ) from None
    except RecursionError:
        raise ReadError(_too_deep(), Location(file)) from None
    except _Constant as exc:
        raise ReadError(
            _("{name} is not a number evalengine accepts", name=exc.name), Location(file, *_constant_at(text, exc.name))
        ) from None
    _check_json(text, data, file, raw)
    return Document(data, file)


class _Constant(Exception):
    def __init__(self, name: str):
        self.name = name


def _no_constant(name: str) -> Any:
    raise _Constant(name)


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def _constant_at(text: str, name: str) -> tuple[int | None, int | None]:
    """Line and column of the first NaN or Infinity outside a string (json.loads does not say)."""
    for match in _JSON_TOKENS.finditer(text):
        if match.group(1):
            start = match.start(1)
            line = text.count("\n", 0, start) + 1
            return line, start - (text.rfind("\n", 0, start) + 1) + 1
    return None, None


def _too_deep() -> str:
    return _("the file nests mappings and lists deeper than {depth} levels, the most evalengine reads", depth=MAX_DEPTH)


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # the unrolled loop: one step per run of plain text


_NOT_OUTSIDE = re.compile(r"[^\[\]{}:]+")  # outside strings, all but the brackets and colons


# what may put a refused character in a JSON string: a C0 character only as an escape (json.loads refuses it
# raw); DEL, C1, U+FFFE and U+FFFF escaped or raw; a lone surrogate as an escape (an escaped pair, which
# json.loads joins into one character, matches too), or raw in a str handed to parse_json (a file's UTF-8
# holds none). A match (an escaped backslash may look like one) only
# sends the data to be walked, where each string is checked. The escapes and DEL and C1 are looked for in the
# text's UTF-8 bytes, each first by one byte that must be there, which memchr finds at C speed (a character
# class over 2 million characters costs as much as json.loads's strings): DEL is 7F; C1 is C2 80 to C2 9F (C2
# only ever leads a character); a surrogate, encoded with surrogatepass, ED A0 to ED BF. U+FFFE and U+FFFF are
# looked for in the text, where one character is found at C speed too (their UTF-8 bytes would be a search of
# three bytes, slower by far).
_ESCAPED_CONTROL = re.compile(rb"\\u(?:00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|[fF]{3}[eEfF]|[dD][89a-fA-F])")
_RAW_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_RAW_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")


def _may_hold_control(text: str, raw: bytes) -> bool:
    """Whether a JSON text (`raw`: its _utf8 bytes) may hold a refused character (see above)."""
    return bool(
        "\ufffe" in text
        or "\uffff" in text
        or b"\x7f" in raw
        or (b"\xc2" in raw and _RAW_C1.search(raw))
        or (b"\xed" in raw and _RAW_SURROGATE.search(raw))
        or (b"\\" in raw and _ESCAPED_CONTROL.search(raw))
    )


# The bytes that can shape a JSON document: brackets, colons (one a key), quotes, and backslashes (which escape
# a quote). UTF-8 writes every other character, whatever its length, in bytes none of these can be.
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}:"\\')


_BYTE_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


_ONE_BRACKET = bytes.maketrans(b"{}", b"[]")  # for the depth a mapping and a list are alike


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a str handed to parse_json may hold a lone surrogate


def _depth(text: str, raw: bytes | None = None) -> int:
    """How deep the brackets outside strings nest (`raw`: the text's _utf8 bytes, when already made)."""
    return _depth_of(_outside(text, _utf8(text) if raw is None else raw))


def _depth_of(outside: bytes) -> int:
    """How deep the brackets of `outside` (what _outside keeps) nest."""
    brackets = outside.translate(_ONE_BRACKET, b":")
    # every round takes away the innermost pairs, [] side by side (a JSON text's brackets are balanced, it
    # was read): a level each round, at C speed. A file nests a few levels; past the cap the count is exact
    depth = 0
    while brackets and depth <= MAX_DEPTH:
        brackets, depth = brackets.replace(b"[]", b""), depth + 1
    if not brackets:
        return depth
    return max(accumulate(map(_BYTE_STEP.__getitem__, outside.translate(None, b":"))))


def _outside(text: str, raw: bytes) -> bytes:
    """The brackets and colons outside strings, in order, at C speed: only the bytes that matter are kept.
    When every quote is one of a pair side by side (counted from the left, as bytes.count and replace do),
    each string was only its two quotes (nothing of it was kept: it holds no bracket, colon, quote or
    backslash), and the quotes are dropped. Else the empty pairs are dropped and every other piece between
    quotes is outside a string (with no escaped quote; else the strings are cut out by pattern)."""
    marks = raw.translate(None, _NOT_STRUCTURE)
    if b"\\" in marks and '\\"' in text:  # the marks are short: the text is looked at only if need be
        return _NOT_OUTSIDE.sub("", _JSON_STRING.sub("", text)).encode("ascii")
    if marks.count(b'"') == 2 * marks.count(b'""'):
        return marks.translate(None, b'"')
    # dropping two quotes side by side removes nothing outside (there is nothing between them) and
    # keeps the count of quotes before every bracket even or odd: inside stays inside
    return b"".join(marks.replace(b'""', b"").split(b'"')[::2]).translate(None, b"\\")


def _check_json(text: str, data: Any, file: str, raw: bytes) -> None:
    """Depth and control characters of a JSON document (`raw`: its _utf8 bytes). The text is scanned
    first, at C speed; the data is walked (without recursion) only to locate a fault the scan found."""
    deep = _depth(text, raw) > MAX_DEPTH
    if not deep and not _may_hold_control(text, raw):
        return
    stack: list[tuple[Any, KeyPath]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise ReadError(_too_deep(), Location(file, path=path))
        if isinstance(value, dict):
            for key, item in value.items():
                refuse_control(key, Location(file, path=(*path, key)), "a key")
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, (*path, i)) for i, item in enumerate(value))
        elif isinstance(value, str):
            refuse_control(value, Location(file, path=path or None))


_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _build(node: yaml.Node, path: KeyPath, doc: Document, seen: set[int]) -> Any:
    if id(node) in seen:
        # an alias (*name) is the node its anchor made, met again: refused, so a few lines cannot expand
        # into billions of values (the YAML bomb), and every value has the one position an error can name
        line, column = doc.marks.get(path) or doc.marks.get(path[:-1]) or (None, None)
        raise ReadError(
            _("YAML aliases (*name) are not supported; write the value out"),
            Location(doc.file, line, column, path or None),
            hint=_("anchors and aliases repeat a value by reference; evalengine reads each value where it is written"),
        )
    seen.add(id(node))
    doc.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if len(path) > MAX_DEPTH:
        raise ReadError(_too_deep(), doc.where(path))
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
        raise InputError(
            _("unsupported YAML tag {tag}; tags are never executed, write plain values", tag=node.tag), doc.where(path)
        )
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(_("a key must be plain text"), doc.where(path))
            key = str(key_node.value)
            if key == "<<":
                raise InputError(_("YAML merge keys (<<) are not supported; write the keys out"), doc.where(path))
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in out:
                raise InputError(
                    _("duplicate key {key!r}", key=key),
                    Location(doc.file, line, column, keypath_text(path + (key,))),
                    hint=_("each key may appear once in a mapping"),
                )
            if _CONTROL.search(key):
                refuse_control(key, Location(doc.file, line, column, (*path, key)), "a key")
            # a keyed value is located at its key: that is the line a user looks for
            doc.marks[(*path, key)] = (line, column)
            out[key] = _build(value_node, (*path, key), doc, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), doc, seen) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    tag = node.tag.rsplit(":", 1)[-1]
    if tag == "null":
        return None
    if tag == "bool":
        return _BOOL[node.value.lower()]
    if tag not in ("str", "int", "float", "timestamp"):
        raise InputError(
            _("unsupported YAML tag {tag}; tags are never executed, write plain values", tag=node.tag), doc.where(path)
        )
    if _CONTROL.search(node.value):  # located only when found: where() is not free for every scalar
        refuse_control(node.value, doc.where(path))
    return node.value  # numbers and dates stay text; schemas convert them exactly
