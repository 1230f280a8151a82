"""Properties of the target language, checked by hypothesis."""

from __future__ import annotations

import calendar
import os
import re
import subprocess
import sys
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalengine.errors import TargetSyntaxError
from evalengine.language.parser import parse_actual, parse_target
from evalengine.language.predicates import (
    Change,
    Comparison,
    Deadline,
    Graded,
    Qualitative,
    Range,
    Reference,
    Tolerance,
    Trend,
)
from evalengine.language.vocabulary import GRADES
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
def deadlines(draw: st.DrawFn) -> tuple[str, int | None, int, int | None]:
    """A deadline as written, with what it says: (text, year written or None, month, day or None for month end)."""
    month = draw(st.integers(1, 12))
    tail = draw(st.sampled_from(["", "前", "之前", "以前"])) + draw(st.sampled_from(["", "完成"]))
    year = draw(st.sampled_from([None, 2024, 2025]))
    head = f"{year}年" if year else ""
    if draw(st.booleans()):
        return f"{head}{month}月{draw(st.sampled_from(['底', '末']))}{tail}", year, month, None
    day = draw(st.integers(1, 28))
    return f"{head}{month}月{day}日{tail}", year, month, day


deadline_text = deadlines().map(lambda d: d[0])


generated_targets = st.one_of(
    comparison_text,
    range_text(),
    deadline_text,
    st.sampled_from(PHRASES),
    st.tuples(
        st.sampled_from([w for w in VOCAB.references]), st.text(alphabet="合同标准审批数据文件", min_size=1, max_size=8)
    ).map("".join),
)


TRAILING = "。；;，,、 \t\r\n"  # what a target may end with and still be read (。 ； ， …)
KINDS = (Comparison, Range, Deadline, Trend, Qualitative, Reference, Graded, Tolerance, Change)
# the messages the grammar's checks give, beside found "…" / ends too early / is empty
SEMANTIC = re.compile(
    r"is not a unit$|cannot follow / in a compound unit|after the number contradicts|^the range mixes"
    r"|^the range starts above its end|^there is no month|^expected a whole number|is not a plausible year"
    r"|^there is no day|can only follow a deadline$"
    r"|^the number is missing before |is written twice$|^the note \(.*\) does not repeat the unit |cannot take a number"
    r"|cannot follow a year|^a tolerance |^the period ends |values for \d+ grades|^the grades|^write the change as"
    r"|must be followed by a change|and a year cannot both be written|does not fit values|^a grade's value is missing"
    r"|^expected a value such as 95% for "
)


def _nfkc(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", ch) for ch in text)


def _parses_or_explains(text: str) -> None:
    """Success: a predicate of a known kind, which reads back from its canonical text as itself.
    Failure: our error, quoting the text and a column, whose message is about what is at that column."""
    try:
        predicate = parse_target(text)
    except TargetSyntaxError as exc:
        assert exc.text == text and 1 <= exc.column <= len(text) + 1
        assert str(exc).startswith(f'cannot read "{text}" at column {exc.column}: {exc.message}\n')
        assert str(exc).endswith("^")  # the caret under the column
        rest = text[exc.column - 1 :]
        if exc.message.startswith("the text is empty; expected "):
            assert _nfkc(text).strip(TRAILING) == "", exc.message
        elif exc.message.startswith("the text ends too early; expected "):
            assert _nfkc(rest).strip(TRAILING) == "", exc.message  # nothing left to read at the column
        elif exc.message.startswith('found "'):
            found = exc.message[len('found "') : exc.message.index('", expected ')]
            assert found and _nfkc(rest).find(found) in range(len(_nfkc(rest[:1]))), exc.message  # at the column
            assert exc.message.split('", expected ', 1)[1], exc.message  # says what it wanted instead
        else:
            assert SEMANTIC.search(exc.message), exc.message
        return
    assert isinstance(predicate, KINDS)
    assert parse_target(predicate.canonical()) == predicate


@settings(max_examples=300)
@given(st.text(max_size=20))
def test_any_text_parses_or_raises_our_error(text: str) -> None:
    _parses_or_explains(text)


@settings(max_examples=300)
@given(st.text(alphabet="≥≤<>=%0123456789.,元万人次月底前日年-~[]按好 ", max_size=12))
def test_symbol_soup_parses_or_raises_our_error(text: str) -> None:
    _parses_or_explains(text)


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("≥95%%", 5, 'found "%", expected '),
        ("不低于", 4, "the text ends too early; expected a number"),
        ("，", 1, "the text is empty; expected a target such as ≥95%"),
        ("13月底前", 1, "there is no month 13"),
        ("100%-90%", 1, "the range starts above its end (100% > 90%)"),
    ],
)
def test_errors_name_the_column_and_what_is_wrong(text: str, column: int, message: str) -> None:
    with pytest.raises(TargetSyntaxError) as info:
        parse_target(text)
    assert (info.value.column, info.value.message[: len(message)]) == (column, message)


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


@given(deadlines(), st.integers(2000, 2100))
def test_deadlines_resolve_in_any_year(deadline: tuple[str, int | None, int, int | None], budget_year: int) -> None:
    text, year, month, day = deadline
    predicate = parse_target(text)
    assert isinstance(predicate, Deadline)
    in_year = year or budget_year  # a year written wins over the budget year
    last = calendar.monthrange(in_year, month)[1]  # 月底 is the month's last day: 28 or 29 in February
    assert predicate.resolve(budget_year) == date(in_year, month, day or last)


def test_month_end_deadlines_know_leap_years() -> None:
    assert parse_target("2月底前").resolve(2024) == date(2024, 2, 29)
    assert parse_target("2月底前").resolve(2023) == date(2023, 2, 28)
    assert parse_target("2月底前").resolve(2100) == date(2100, 2, 28)  # divisible by 100, not by 400
    assert parse_target("2025年6月30日前").resolve(2024) == date(2025, 6, 30)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_actual_dates_round_trip(day: date) -> None:
    assert parse_actual(str(day)) == day


# -- issue 14: the open world of units, and graded targets
STOPS = [w for w, _ in VOCAB.postfix] + ["前", "之前", "以前", "至", "到", "完成", "完工", "办结", "竣工", "底", "末"]
KNOWN_UNITS = {u: (base, factor) for u, base, factor in VOCAB.units}


def _plain_unit_word(word: str) -> bool:
    """A word no other part of the grammar claims: no 以上 or 前 inside, no magnitude (万) in front, not 元元."""
    half = len(word) // 2
    doubled = len(word) % 2 == 0 and word[:half] == word[half:] and word[:half] in KNOWN_UNITS
    return not any(s in word for s in STOPS) and not word.startswith(tuple(MAGNITUDES)) and not doubled


cjk_words = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=4).filter(
    _plain_unit_word
)


@settings(max_examples=400)
@given(st.sampled_from(SYMBOLS + COMPARATORS), numbers, space, cjk_words)
def test_any_cjk_word_after_a_number_is_a_unit(symbol: str, number: Decimal, gap: str, word: str) -> None:
    predicate = parse_target(f"{symbol}{format(number.normalize(), 'f')}{gap}{word}")
    assert isinstance(predicate, Comparison) and predicate.quantity is not None
    q = predicate.quantity
    assert q.shown == word
    if word in KNOWN_UNITS:  # a known unit converts to its base
        base, factor = KNOWN_UNITS[word]
        assert (q.unit, q.value, q.known) == (base, number * factor, True)
    else:  # an open unit is itself, converted to nothing, and says so
        assert (q.unit, q.value, q.known) == (word, number, False)
        assert predicate.to_json()["unit_known"] is False
    assert parse_target(predicate.canonical()) == predicate


GRADE_LABELS = {grade: [label for label, g in VOCAB.grades if g == grade] for grade in GRADES}


@st.composite
def graded_texts(draw: st.DrawFn) -> tuple[str, list[str], list[int]]:
    """A graded target as published: values split by /, grade labels in brackets, best grade first."""
    picked = sorted(draw(st.sets(st.integers(0, 3), min_size=2, max_size=4)))
    grades = [GRADES[i] for i in picked]
    values = sorted(draw(st.lists(st.integers(0, 1000), min_size=len(grades), max_size=len(grades), unique=True)))
    floors = draw(st.booleans())  # ≥ thresholds fall from 优 to 差; ≤ ceilings rise
    if floors:
        values.reverse()
    unit = draw(st.sampled_from(["%", "分", "次", "万元", "只"]))
    explicit = draw(st.booleans())
    op = ("≥" if floors else "≤") if explicit else ""
    sep = draw(st.sampled_from(["/", " / ", "／"]))
    head = sep.join(f"{op}{v}{unit}" for v in values)
    labels = draw(st.sampled_from(["/", "、", "／"])).join(draw(st.sampled_from(GRADE_LABELS[g])) for g in grades)
    left, right = draw(st.sampled_from([("(", ")"), ("（", "）")]))
    return f"{head}{draw(space)}{left}{labels}{right}", grades, values


@settings(max_examples=300)
@given(graded_texts())
def test_graded_targets_read_their_grades_and_round_trip(case: tuple[str, list[str], list[int]]) -> None:
    text, grades, values = case
    predicate = parse_target(text)
    assert isinstance(predicate, Graded)
    assert [g.grade for g in predicate.grades] == grades
    assert [g.quantity.value / g.quantity.scale for g in predicate.grades] == values
    assert len({g.op for g in predicate.grades}) == 1
    again = parse_target(predicate.canonical())
    assert again == predicate and again.canonical() == predicate.canonical()


def test_the_grammar_text_is_the_same_in_every_process() -> None:
    """lark caches the parse tables under a hash of the grammar's text: a set's order must not leak into it."""
    code = (
        "import hashlib; from evalengine.language.parser import _grammar_text;"
        "from evalengine.language.words import default_vocabulary;"
        "print(hashlib.sha256(_grammar_text(default_vocabulary()).encode()).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        digests.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout)
    assert len(digests) == 1 and "" not in digests
