"""One number among words (107436元, ≥98%, ≤12万元) is read without the parser: exactly as the parser reads it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalengine.errors import TargetSyntaxError
from evalengine.language.parser import TargetParser, _normalise, parse_actual, parser_for
from evalengine.language.predicates import Comparison, Quantity
from evalengine.language.words import default_vocabulary

VOCAB = default_vocabulary()
UNITS = sorted({u for u, _, _ in VOCAB.units})
MAGNITUDES = sorted({m for m, _ in VOCAB.magnitudes})


def fields(q: Any) -> tuple[Any, ...]:
    """Everything a Quantity (or a Comparison of one) carries, exponents included (1E+4 is not 10000 in print)."""
    if isinstance(q, Comparison):
        return (q.op, q.ref, q.text, q.direction, *fields(q.quantity))
    assert type(q) is Quantity
    return (str(q.value), q.unit, q.text, str(q.scale), q.shown, str(q.unit_scale), q.known)


def by_the_parser(parser: TargetParser, text: str, start: str = "actual_start") -> Any:
    norm, cols = _normalise(text)
    return parser._parse(norm, cols, text, start)


def compare(text: str, start: str = "actual_start") -> None:
    parser = TargetParser(VOCAB)  # a fresh one: no shape remembered from another test
    norm, _cols = _normalise(text)
    for _ in range(2):  # the first reading learns the words, the second uses them
        quick = parser._number_in_shape(norm, start)
        if quick is None:
            return
        assert fields(quick) == fields(by_the_parser(parser, text, start)), text


SUFFIXES = st.one_of(
    st.sampled_from(["", "%", "元", "万元", "次", "万条", "月", "(%)", "(万元)", " %", "元/人", "人次", "亿元"]),
    st.builds(lambda m, u: m + u, st.sampled_from(["", *MAGNITUDES]), st.sampled_from(["", *UNITS])),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6),
)
NUMBERS = st.one_of(
    st.integers(0, 10**22).map(str),
    st.decimals(0, 10**8, allow_nan=False, allow_infinity=False, places=4).map(str),
    st.sampled_from(["0", "00", "007", "1.0", "1.50", "0.000001", "99999999999999999999", "1" * 40]),
)


@given(NUMBERS, SUFFIXES)
@settings(max_examples=400, deadline=None)
def test_a_number_in_a_known_shape_is_what_the_parser_reads(number: str, suffix: str) -> None:
    compare(number + suffix)


@pytest.mark.parametrize(
    "text", ["96%", "107436元", "28万条", "3.5", "12月", "95(%)", "4.85万元", "492人", "1.5%", "0", "7 次"]
)
def test_the_usual_actuals_take_the_quick_way(text: str) -> None:
    parser = TargetParser(VOCAB)
    assert parser._number_in_shape(_normalise(text)[0]) is not None
    compare(text)


@pytest.mark.parametrize(
    "text",
    ["2024-12-20", "2024.12.20", "1,234元", "-5%", "2024年12月", "12月20日", "5%%", "3万万元", "1" * 30 + "%"],
)
def test_anything_else_is_left_to_the_parser(text: str) -> None:
    parser = TargetParser(VOCAB)
    quick = parser._number_in_shape(_normalise(text)[0])
    try:
        slow = by_the_parser(parser, text)
    except TargetSyntaxError:
        assert quick is None  # the parser's error, with its column, is what the user sees
        return
    assert quick is None or fields(quick) == fields(slow)


PREFIXES = st.one_of(
    st.sampled_from(["", "≥", "≤", "=", ">", "<", "≦", "＜", "不低于", "不高于", "大于", "≥-", "±", "约", "≥ "]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=4),
)
POSTFIXES = st.sampled_from(["", "以上", "以下", "以内", "及以上", "左右"])


@given(PREFIXES, NUMBERS, SUFFIXES, POSTFIXES)
@settings(max_examples=400, deadline=None)
def test_a_target_in_a_known_shape_is_what_the_parser_reads(prefix: str, number: str, suffix: str, post: str) -> None:
    compare(prefix + number + suffix + post, "start")


@pytest.mark.parametrize(
    "text", ["≥98%", "≤12万元", "≥6次", "=100%", "≦5%", "≤2400 元", "＜2%", "95%以上", "不低于90%"]
)
def test_the_usual_targets_take_the_quick_way(text: str) -> None:
    parser = TargetParser(VOCAB)
    assert parser._number_in_shape(_normalise(text)[0], "start") is not None
    compare(text, "start")
    assert fields(parser.parse_target_uncached(text)) == fields(by_the_parser(TargetParser(VOCAB), text, "start"))


@pytest.mark.parametrize(
    "text", ["12月底前完成", "11月底前", "90%-100%", "≥-5%", "提高5%", "±5%", "在预算范围内", "13月底前"]
)
def test_other_targets_are_left_to_the_parser(text: str) -> None:
    assert TargetParser(VOCAB)._number_in_shape(_normalise(text)[0], "start") is None


def test_errors_are_the_parsers_own() -> None:
    for text in ["1" * 30 + "%", "9" * 17 + "亿元", "5%%"]:
        with pytest.raises(TargetSyntaxError) as quick:
            parser_for().parse_actual_uncached(text)
        with pytest.raises(TargetSyntaxError) as slow:
            by_the_parser(TargetParser(VOCAB), text)
        assert (quick.value.message, quick.value.column) == (slow.value.message, slow.value.column)


def test_a_value_scaled_by_its_suffix() -> None:
    q = parse_actual("4.85万元")
    assert isinstance(q, Quantity) and q.value == Decimal("48500") and q.text == "4.85万元"
