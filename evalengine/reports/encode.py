"""JSON written fast and byte for byte as the json module writes it (`indent=2`, or one line for NDJSON).

orjson writes the bytes; the json module remains the reference, and the fallback for what orjson
refuses (an integer beyond 64 bits, a lone surrogate): the report view holds only strings, integers,
booleans, None, lists and str-keyed dicts, where both write the same bytes (tests/test_encode.py
compares them). Never used for reading: input JSON keeps the json module, whose hooks keep numbers
as text and catch duplicate keys.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - a declared dependency; the json module gives the same bytes, slower
    orjson = None  # type: ignore[assignment]


def _orjson(value: Any) -> bytes | None:
    """orjson's indented bytes, or None where only the json module writes `value` (an integer beyond 64
    bits, a lone surrogate, a key that is not a string). The view never holds a float, the one type
    both write but differently (1e+16 against 1e16)."""
    if orjson is None:
        return None
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except (orjson.JSONEncodeError, TypeError):
        return None


def indented(value: Any, level: int = 0) -> bytes:
    """`json.dumps(value, ensure_ascii=False, indent=2)` as UTF-8, its lines after the first indented by
    `level` steps (a value nested `level` deep in a document)."""
    if level:
        out = nested(value, level)
        if out is not None:
            return out[2 * level :]
    out = _orjson(value)
    if out is None:
        out = json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")
    if level:  # a JSON string never holds a raw line break, so every break is the layout's
        out = out.replace(b"\n", b"\n" + b"  " * level)
    return out


def nested(value: Any, level: int) -> bytes | None:
    """`value` as orjson writes it `level` lists deep, its first line indented too, or None where only the
    json module writes it. orjson indents the value itself as it writes the lists around it: no pass over
    the bytes to indent every line again (encoding 2,000 projects: 172 -> 124 million instructions).
    Called once for every project of a JSON report: written out, without _orjson's call (the same)."""
    if orjson is None:
        return None
    for _ in range(level):
        value = [value]
    try:
        out = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except (orjson.JSONEncodeError, TypeError):
        return None
    # the lists' own lines around the value: "[\n", "  [\n" … before it (2n + 2 bytes for the nth, from 0),
    # "\n  ]", "\n]" after it
    head = level * (level + 1)
    return out[head : len(out) - head]


def line(value: Any) -> bytes:
    """`json.dumps(value, ensure_ascii=False)` as UTF-8: one line, `, ` and `: ` between items."""
    out = _orjson(value)
    if out is None:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    # The indented layout puts each item on a line of its own: joined back with json's separators. A JSON
    # string never holds a raw line break, so every break is the layout's, and the spaces that begin a line
    # are its indentation (a line begins with a token: a quote, a bracket, a digit, a letter of a literal).
    # A space after each item's comma, then the lines without their indentation: done in C, by bytes
    # methods: 2,000 projects' lines cost 548 million instructions to encode, 721 with two regular expressions.
    return b"".join(map(bytes.lstrip, out.replace(b",\n", b", \n").split(b"\n")))


def document(value: Any) -> str:
    """A whole JSON report, as `to_json` has always written it (with the final newline)."""
    return indented(value).decode("utf-8") + "\n"
