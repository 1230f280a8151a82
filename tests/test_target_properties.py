"""Properties of the target language, checked by hypothesis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from evalengine.errors import TargetSyntaxError
from evalengine.language.parser import parse_actual, parse_target
from evalengine.language.predicates import Comparison, Deadline, Range
from evalengine.language.words import default_vocabulary

VOCAB = default_vocabulary()
SYMBOLS = ["≥", "≤", ">", "<", "=", "≧", "≦", "⩾", "⩽", ">=", "<=", "＞", "＜", "＝"]
COMPARATORS = [w for w, _ in VOCAB.comparators]
POSTFIX = [w for w, _ in VOCAB.postfix]
UNITS = [u for u, _, _ in VOCAB.units]
MAGNITUDES = [m for m, _ in VOCAB.magnitudes]
PHRASES = [p for p, _, _ in VOCAB.phrases]

numbers = st.decimals(min_value=0, max_value=Decimal("1e9"), places=2, allow_nan=False, allow_infinity=False)
number_text = numbers.map(lambda d: format(d.normalize(), "f"))
unit_text = st.one_of(
    st.just(""),
    st.sampled_from(UNITS),
    st.tuples(st.sampled_from(MAGNITUDES), st.sampled_from(["元", "人", "条", "次"])).map("".join),
)
quantity_text = st.tuples(number_text, unit_text).map("".join)
space = st.sampled_from(["", " ", "  "])

comparison_text = st.one_of(
    st.tuples(st.sampled_from(SYMBOLS + COMPARATORS), space, quantity_text).map("".join),
    st.tuples(quantity_text, st.sampled_from(POSTFIX)).map("".join),
    quantity_text,
)


@st.composite
def range_text(draw: st.DrawFn) -> str:
    low, high = sorted([draw(numbers), draw(numbers)])
    unit = draw(st.sampled_from(["%", "元", "万元", "人", ""]))
    sep = draw(st.sampled_from(["-", "~", "至", "到", "—"]))
    return f"{format(low.normalize(), 'f')}{unit}{sep}{format(high.normalize(), 'f')}{unit}"


@st.composite
def deadline_text(draw: st.DrawFn) -> str:
    month = draw(st.integers(1, 12))
    tail = draw(st.sampled_from(["", "前", "之前", "以前"])) + draw(st.sampled_from(["", "完成"]))
    year = draw(st.sampled_from(["", "2024年", "2025年"]))
    if draw(st.booleans()):
        return f"{year}{month}月{draw(st.sampled_from(['底', '末']))}{tail}"
    return f"{year}{month}月{draw(st.integers(1, 28))}日{tail}"


generated_targets = st.one_of(
    comparison_text,
    range_text(),
    deadline_text(),
    st.sampled_from(PHRASES),
    st.tuples(
        st.sampled_from([w for w in VOCAB.references]), st.text(alphabet="合同标准审批数据文件", min_size=1, max_size=8)
    ).map("".join),
)


@settings(max_examples=300)
@given(st.text(max_size=20))
def test_any_text_parses_or_raises_our_error(text: str) -> None:
    try:
        parse_target(text)
    except TargetSyntaxError as exc:
        assert 1 <= exc.column <= len(text) + 1
        assert exc.message


@settings(max_examples=300)
@given(st.text(alphabet="≥≤<>=%0123456789.,元万人次月底前日年-~[]按好 ", max_size=12))
def test_symbol_soup_parses_or_raises_our_error(text: str) -> None:
    try:
        parse_target(text)
    except TargetSyntaxError as exc:
        assert 1 <= exc.column <= len(text) + 1


@settings(max_examples=500)
@given(generated_targets)
def test_generated_forms_parse_and_round_trip(text: str) -> None:
    predicate = parse_target(text)
    again = parse_target(predicate.canonical())
    assert again == predicate
    assert again.canonical() == predicate.canonical()


@given(st.sampled_from(SYMBOLS[:5]), numbers, st.sampled_from(["万元", "千元", "亿元"]))
def test_magnitudes_fold_into_the_value(symbol: str, number: Decimal, unit: str) -> None:
    predicate = parse_target(f"{symbol}{format(number.normalize(), 'f')}{unit}")
    assert isinstance(predicate, Comparison) and predicate.quantity is not None
    factor = {"万元": 10000, "千元": 1000, "亿元": 100000000}[unit]
    assert predicate.quantity.value == number * factor
    assert predicate.quantity.unit == "元"


@given(range_text())
def test_ranges_are_ordered(text: str) -> None:
    predicate = parse_target(text)
    assert isinstance(predicate, Range)
    assert predicate.low.value <= predicate.high.value


@given(deadline_text(), st.integers(2000, 2100))
def test_deadlines_resolve_in_any_year(text: str, year: int) -> None:
    predicate = parse_target(text)
    assert isinstance(predicate, Deadline)
    assert predicate.resolve(year).month == predicate.month


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_actual_dates_round_trip(day: date) -> None:
    assert parse_actual(str(day)) == day
