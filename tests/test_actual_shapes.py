"""An actual written as a number and a suffix (107436元) is read without the parser: exactly as the parser reads it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalengine.errors import TargetSyntaxError
from evalengine.language.parser import TargetParser, _normalise, parse_actual, parser_for
from evalengine.language.predicates import Quantity
from evalengine.language.words import default_vocabulary

VOCAB = default_vocabulary()
UNITS = sorted({u for u, _, _ in VOCAB.units})
MAGNITUDES = sorted({m for m, _ in VOCAB.magnitudes})


def fields(q: Any) -> tuple[Any, ...]:
    """Everything a Quantity carries, exponents included (Decimal('1E+4') is not Decimal('10000') in print)."""
    assert isinstance(q, Quantity)
    return (str(q.value), q.unit, q.text, str(q.scale), q.shown, str(q.unit_scale), q.known)


def by_the_parser(parser: TargetParser, text: str) -> Any:
    norm, cols = _normalise(text)
    return parser._parse(norm, cols, text, "actual_start")


def compare(text: str) -> None:
    parser = TargetParser(VOCAB)  # a fresh one: no shape remembered from another test
    norm, _cols = _normalise(text)
    for _ in range(2):  # the first reading learns the suffix, the second uses it
        quick = parser._number_in_shape(norm)
        if quick is None:
            return
        assert fields(quick) == fields(by_the_parser(parser, text)), text


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
