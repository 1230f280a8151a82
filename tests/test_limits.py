"""The readers' limits, tested below the command line: numbers, aliases, JSON constants, encodings."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from bilingual import LANGS, check_messages, speaking
from hypothesis import given, settings
from hypothesis import strategies as st

from evalengine.errors import InputError, ReadError
from evalengine.limits import MAX_AMOUNT, MAX_NUMBER, MAX_POINTS
from evalengine.numbers import NumberRangeError, plain, to_decimal
from evalengine.sources.documents import _depth, parse_json, parse_yaml, read_text


@pytest.mark.parametrize("text", ["²", "١٢", "1_000", " 1", "Infinity", "NaN", "1e400e"])
def test_to_decimal_reads_ascii_numbers_only(text: str) -> None:
    with pytest.raises(ValueError):
        to_decimal(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1e400", "out of range"),
        ("9" * 5000, "too long"),
        ("0.1234567890123456789", "significant digits"),
        ("1e-13", "decimal places"),
        ("1e15", "10\\^15"),
    ],
)
def test_to_decimal_says_which_bound(text: str, says: str) -> None:
    with pytest.raises(NumberRangeError, match=says):
        to_decimal(text)


def test_to_decimal_keeps_what_is_in_range() -> None:
    assert to_decimal("1,200.50") == to_decimal("1200.5")
    assert to_decimal("999999999999999") < MAX_NUMBER
    assert str(to_decimal("-0.000000000001")) == "-1E-12"


@given(
    st.one_of(
        st.from_regex(r"[0-9]{1,19}(\.[0-9]{1,14})?", fullmatch=True),
        st.sampled_from(["0", "000000000000000000", "999999999999999", "1000000000000000", "0.000000000001"]),
        st.sampled_from(["0.0000000000001", "123456789012345678", "1234567890123456789", "99.5", "100"]),
    ),
    st.sampled_from([MAX_NUMBER, MAX_AMOUNT, MAX_POINTS + 1]),
)
@settings(max_examples=300, deadline=None)
def test_a_short_number_reads_as_the_full_checks_read_it(text: str, limit: Decimal) -> None:
    """A plain unsigned number takes a short way; written with a + it takes every check: the same outcome."""
    try:
        quick: object = to_decimal(text, limit)
    except NumberRangeError:
        quick = NumberRangeError
    try:
        checked: object = to_decimal("+" + text, limit)
    except NumberRangeError:
        checked = NumberRangeError
    assert repr(quick) == repr(checked)


@pytest.mark.parametrize("lang", LANGS)  # located the same in Chinese (tests/bilingual.py)
def test_an_alias_is_refused_at_the_line_that_uses_it(lang: str) -> None:
    text = "a: &x 1\nb: 2\nc: *x\n"
    with speaking(lang), pytest.raises(ReadError) as info:
        parse_yaml(text, "f.yaml")
    assert str(info.value).startswith("f.yaml:3:1 (c)")
    check_messages(str(info.value), lang, ["aliases"], text)


def test_an_anchor_alone_is_harmless() -> None:
    assert parse_yaml("a: &x 1\nb: 2\n", "f.yaml").data == {"a": "1", "b": "2"}


@pytest.mark.parametrize("lang", LANGS)
def test_nan_in_json_is_located_in_its_file(lang: str) -> None:
    text = '{"a": "NaN",\n "b": NaN}'
    with speaking(lang), pytest.raises(ReadError) as info:
        parse_json(text, "f.json")
    assert str(info.value).startswith("f.json:2:7: ")
    check_messages(str(info.value), lang, ["f.json:2:7", "NaN"], text)


def test_control_characters_are_refused_but_tab_and_newline_are_text() -> None:
    assert parse_yaml('a: "x\\ty\\nz"', "f.yaml").data == {"a": "x\ty\nz"}
    with pytest.raises(InputError, match="U\\+001B ESC"):
        parse_yaml('a: "x\\ey"', "f.yaml")


def test_gbk_is_read_as_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("𠀀达标".encode("gb18030"))  # 𠀀 is in GB18030, not in GBK
    assert read_text(path, "gbk") == "𠀀达标"


def _depth_by_the_text(text: str) -> int:
    """The depth as the reader measured it before: the strings cut out of the text itself."""
    outside = "".join(text.split('"')[::2]) if '\\"' not in text else re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"', "", text)
    depth = deepest = 0
    for ch in outside:
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(ch, 0)
        deepest = max(deepest, depth)
    return deepest


_WORDS = st.text(st.sampled_from('[]{}"\\:,a中 \n'), max_size=6)
_JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _WORDS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_WORDS, inner, max_size=3),
    max_leaves=30,
)


@given(_JSON_VALUES, st.booleans(), st.booleans())
@settings(max_examples=300, deadline=None)
def test_the_depth_of_a_json_text_is_the_nesting_of_its_brackets(value: object, ascii: bool, indent: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii, indent=2 if indent else None)
    assert _depth(text) == _depth_by_the_text(text)


def test_a_json_file_nested_too_deep_is_refused_and_brackets_in_strings_are_text() -> None:
    assert parse_json('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', "f.json").data == {"a": "[" * 38}
    with pytest.raises(ReadError):
        parse_json("[" * 40 + "]" * 40, "f.json")


def _plain_by_quantize(value: Decimal) -> str:
    """plain() as it was written before: a whole number quantized to units."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@given(
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(lambda d: abs(d) < Decimal(10) ** 26),
        st.builds(lambda n, e: Decimal(n).scaleb(e), st.integers(-(10**12), 10**12), st.integers(-14, 12)),
        st.sampled_from([Decimal("-0"), Decimal("-0.00"), Decimal("0E-5"), Decimal("0E+3"), Decimal("1E+3")]),
    )
)
@settings(max_examples=500, deadline=None)
def test_plain_prints_as_before(value: Decimal) -> None:
    assert plain(value) == _plain_by_quantize(value)
