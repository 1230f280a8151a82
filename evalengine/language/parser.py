"""Parse targets (指标值) and actual values (实际完成值) into predicates and quantities.

The only module that imports lark. Parse trees never leave it: callers get frozen objects from
`evalengine.predicates`, or a TargetSyntaxError with the column as the user wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, cast

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from evalengine.errors import Location, TargetSyntaxError
from evalengine.language.predicates import (
    SYMBOLS,
    Comparison,
    Deadline,
    Predicate,
    Qualitative,
    Quantity,
    Range,
    Reference,
    Trend,
    TrendKind,
    last_day,
)
from evalengine.language.vocabulary import Vocabulary
from evalengine.language.words import default_vocabulary
from evalengine.limits import MAX_QUANTITY
from evalengine.numbers import to_decimal
from evalengine.resources import grammar_path

Actual = Quantity | date


# What each terminal is, in words an evaluator understands (for "expected ..." in errors).
_EXPECTED = {
    "NUMBER": "a number",
    "PLAIN_NUMBER": "a number",
    "UNIT": "a unit (%, 元, 人, 次 …)",
    "MAGNITUDE": "万/千/亿",
    "CMP_SYMBOL": "a comparison (≥ ≤ > < =)",
    "CMP_WORD": "a comparison word (不低于 …)",
    "POSTFIX_WORD": "以上/以内/以下",
    "PHRASE": "a known phrase",
    "REF_WORD": "按…",
    "DASH": "-",
    "TILDE": "~",
    "TO": "至",
    "UNIT_JOIN": "/",
    "YEAR": "年",
    "MONTH": "月",
    "DAY": "日",
    "BEFORE": "前",
    "FINISH": "完成",
    "MONTH_END": "底",
    "LSQB": "[",
    "RSQB": "]",
    "COMMA": ",",
    "SLASH": "/",
    "REF_TEXT": "the standard referred to",
    "$END": "the end of the text",
}


_FREE_PHRASE_BLOCKERS = re.compile(r"[0-9%<>=≥≤≧≦⩾⩽]")


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


_TRAILING = "。；;，,、 \t\r\n"


class _Truncated(Exception):
    """The text ended where the grammar needed more: carries the error to report."""

    def __init__(self, error: TargetSyntaxError):
        super().__init__(error.message)
        self.error = error


class _Semantic(Exception):
    """Raised inside the transformer; carries the offending position in the normalised text."""

    def __init__(self, pos: int | None, message: str):
        super().__init__(message)
        self.pos = pos or 0
        self.message = message


def _alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "/(?:" + "|".join(re.escape(w).replace("/", "\\/") for w in ordered) + ")/"


def _grammar_text(vocab: Vocabulary) -> str:
    base = grammar_path().read_text(encoding="utf-8")
    units = [u for u, _, _ in vocab.units if u not in ("年", "月", "日")]
    generated = {
        "CMP_WORD": [w for w, _ in vocab.comparators],
        "POSTFIX_WORD": [w for w, _ in vocab.postfix],
        "MAGNITUDE": [w for w, _ in vocab.magnitudes],
        "UNIT": units,
        "PHRASE": [p for p, _, _ in vocab.phrases],
        "REF_WORD": list(vocab.references),
    }
    lines = [base]
    lines += [f"{name}: {_alternation(words)}" for name, words in generated.items()]
    return "\n".join(lines) + "\n"


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFKC per character, keeping for each output character the index of its source character."""
    out: list[str] = []
    cols: list[int] = []
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFKC", ch)
        out.append(norm)
        cols.extend([i] * len(norm))
    joined = "".join(out)
    end = len(joined)
    while end and joined[end - 1] in _TRAILING:
        end -= 1
    return joined[:end], cols[:end]


@dataclass(frozen=True)
class _Q:
    """A quantity while parsing: where it starts, and its unit suffix as written with its factor."""

    q: Quantity
    pos: int
    suffix: str
    factor: Decimal

    def adopt_unit(self, other: _Q) -> _Q:
        """This bare number in `other`'s unit as written (the 90 of 90-100万元 is 90万元)."""
        q = Quantity(
            self.q.value * other.factor,
            other.q.unit,
            self.q.text + other.suffix,
            other.factor,
            other.suffix,
            other.q.unit_scale,
        )
        return _Q(q, self.pos, other.suffix, other.factor)


class _Build(Transformer[Token, Any]):
    """Parse tree -> predicates. Errors are raised as _Semantic with a position."""

    def __init__(self, vocab: Vocabulary):
        super().__init__()
        self.ops = dict(vocab.comparators)
        self.post = dict(vocab.postfix)
        self.mags = dict(vocab.magnitudes)
        self.units = {u: (b, f) for u, b, f in vocab.units}
        self.phrases = {p: (k, m) for p, k, m in vocab.phrases}

    # -- quantities
    def _number(self, tok: Token) -> Decimal:
        try:
            return to_decimal(str(tok))
        except ValueError as exc:  # too many digits for exact arithmetic: said at the number's column
            raise _Semantic(tok.start_pos, str(exc)) from None

    def quantity(self, items: list[Any]) -> _Q:
        number = items[0]
        value = self._number(number)
        text = str(number)
        factor = unit_scale = Decimal(1)
        unit: str | None = None
        for item in items[1:]:
            if item is None:
                continue
            if isinstance(item, tuple) and item[0] == "mag":
                factor *= item[1]
                text += item[2]
            elif isinstance(item, tuple) and item[0] == "unit":
                unit, unit_factor, unit_text = item[1], item[2], item[3]
                factor *= unit_factor
                unit_scale = unit_factor
                text += unit_text
        suffix = text[len(str(number)) :]
        if abs(value * factor) >= MAX_QUANTITY:  # the magnitude or unit took it out of exact arithmetic's reach
            raise _Semantic(number.start_pos, f"{text} is out of range: it must be smaller than 10^20 in its base unit")
        return _Q(Quantity(value * factor, unit, text, factor, suffix, unit_scale), number.start_pos, suffix, factor)

    bracket_quantity = quantity

    def magnitude(self, items: list[Token]) -> tuple[str, Decimal, str]:
        return ("mag", self.mags[str(items[0])], str(items[0]))

    def unit(self, items: list[Token]) -> tuple[str, str, Decimal, str]:
        bases: list[str] = []
        factor = Decimal(1)
        text = ""
        for tok in items:
            word = str(tok)
            if tok.type == "UNIT_JOIN":
                bases.append("/" if word == "/" else "·")
                text += word
                continue
            if word not in self.units:
                raise _Semantic(tok.start_pos, f"{word!r} is not a unit")
            base, f = self.units[word]
            if bases and bases[-1] in "/·":
                if f != 1:
                    raise _Semantic(
                        tok.start_pos, f"{word!r} cannot follow / in a compound unit; use its base {base!r}"
                    )
            else:
                factor *= f
            bases.append(base)
            text += word
        return ("unit", "".join(bases), factor, text)

    def signed_quantity(self, items: list[Any]) -> _Q:
        if items[0] is not None:
            q = items[1]
            negative = Quantity(-q.q.value, q.q.unit, "-" + q.q.text, q.factor, q.suffix, q.q.unit_scale)
            return _Q(negative, items[0].start_pos, q.suffix, q.factor)
        return items[1]  # type: ignore[no-any-return]

    # -- comparisons
    def cmp_op(self, items: list[Token]) -> tuple[str, int | None]:
        tok = items[0]
        word = str(tok)
        if tok.type == "CMP_WORD":
            return self.ops[word], tok.start_pos
        return {"≥": ">=", "≧": ">=", "⩾": ">=", "≤": "<=", "≦": "<=", "⩽": "<="}.get(word, word), tok.start_pos

    def postfix(self, items: list[Token]) -> tuple[str, int | None]:
        return self.post[str(items[0])], items[0].start_pos

    def prefixed(self, items: list[Any]) -> Comparison:
        (op, _), q = items[0], items[1].q
        if len(items) > 2 and items[2] is not None:
            post, pos = items[2]
            if op != post:
                raise _Semantic(pos, f"{SYMBOLS[post]} after the number contradicts {SYMBOLS[op]} before it")
        return Comparison(op, q)

    def postfixed(self, items: list[Any]) -> Comparison:
        q, (op, _) = items
        return Comparison(op, q.q)

    def bare(self, items: list[Any]) -> Comparison:
        return Comparison("=", items[0].q)

    # -- ranges
    def range_sep(self, items: list[Token]) -> Token:
        return items[0]

    def range(self, items: list[Any]) -> Range:
        low, high = [i for i in items if isinstance(i, _Q)]
        if not low.suffix and high.suffix:  # 90-100% means 90%-100%
            low = low.adopt_unit(high)
        elif not high.suffix and low.suffix:
            high = high.adopt_unit(low)
        if low.q.unit != high.q.unit:
            raise _Semantic(high.pos, f"the range mixes {low.q.unit or 'no unit'} and {high.q.unit or 'no unit'}")
        if low.q.value > high.q.value:
            raise _Semantic(low.pos, f"the range starts above its end ({low.q.text} > {high.q.text})")
        return Range(low.q, high.q)

    # -- deadlines
    def _month(self, tok: Token) -> int:
        month = int(self._whole(tok))
        if not 1 <= month <= 12:
            raise _Semantic(tok.start_pos, f"there is no month {tok}")
        return month

    def _whole(self, tok: Token) -> str:
        if not str(tok).isdigit():
            raise _Semantic(tok.start_pos, f"expected a whole number, found {tok}")
        return str(tok)

    def _year(self, tok: Token) -> int:
        year = int(self._whole(tok))
        if not 1900 <= year <= 2200:
            raise _Semantic(tok.start_pos, f"{tok} is not a plausible year")
        return year

    def _day(self, tok: Token, month: int, year: int | None) -> int:
        day = int(self._whole(tok))
        if not 1 <= day <= last_day(year or 2024, month):
            raise _Semantic(tok.start_pos, f"there is no day {day} in month {month}")
        return day

    def by_month_end(self, items: list[Any]) -> Deadline:
        return Deadline(self._month(items[0]))

    def by_month_day(self, items: list[Any]) -> Deadline:
        month = self._month(items[0])
        return Deadline(month, self._day(items[2], month, None))

    def by_year_month_end(self, items: list[Any]) -> Deadline:
        return Deadline(self._month(items[2]), None, self._year(items[0]))

    def by_year_month_day(self, items: list[Any]) -> Deadline:
        year, month = self._year(items[0]), self._month(items[2])
        return Deadline(month, self._day(items[4], month, year), year)

    def deadline(self, items: list[Any]) -> Deadline:
        return items[0]  # type: ignore[no-any-return]

    # -- phrases and references
    def phrase(self, items: list[Any]) -> Predicate:
        word = str(items[0])
        kind, meaning = self.phrases[word]
        if len(items) > 1 and items[1] is not None and kind != "deadline":
            raise _Semantic(items[1].start_pos, f"{items[1]} can only follow a deadline")
        if kind == "trend":
            return Trend(cast(TrendKind, meaning), word)
        if kind == "budget":
            return Comparison("<=", None, "budget", word)
        if kind == "deadline":
            return Deadline(int(meaning))
        return Qualitative(word, True)

    def reference(self, items: list[Token]) -> Reference:
        return Reference(str(items[1]).strip(), str(items[0]))

    # -- actual values
    def _date(self, items: list[Token], y: int, m: int, d: int) -> date:
        year, month = self._year(items[y]), self._month(items[m])
        return date(year, month, self._day(items[d], month, year))

    def iso_date(self, items: list[Token]) -> date:
        return self._date(items, 0, 2, 4)

    def slash_date(self, items: list[Token]) -> date:
        return self._date(items, 0, 1, 2)

    def cn_date(self, items: list[Token]) -> date:
        return self._date(items, 0, 2, 4)

    def start(self, items: list[Any]) -> Any:
        return items[0]

    def actual_start(self, items: list[Any]) -> Any:
        item = items[0]
        return item.q if isinstance(item, _Q) else item


class TargetParser:
    """A parser for one vocabulary. Build it once; parsing is cached per distinct text."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self._lark = Lark(
            _grammar_text(vocab),
            parser="lalr",
            lexer="contextual",
            start=["start", "actual_start"],
            transformer=_Build(vocab),
            maybe_placeholders=True,
            cache=True,  # lark keeps the LALR tables in the temp folder, keyed by the grammar's text
            propagate_positions=False,
        )
        self.target = lru_cache(maxsize=1 << 16)(self.parse_target_uncached)
        # actual values rarely repeat (96%, 2024-12-20 …): a small cache, so a province's batch cannot fill memory
        self.actual = lru_cache(maxsize=1 << 12)(self.parse_actual_uncached)

    def parse_target_uncached(self, text: str) -> Predicate:
        """Parse a target without the cache (benchmarks measure both)."""
        norm, cols = _normalise(text)
        try:
            result: Predicate = self._parse(norm, cols, text, "start")
        except _Truncated as exc:
            raise exc.error from None  # 不低于 or 按 alone: a structured target cut short, never a phrase
        except TargetSyntaxError:
            if _CJK.search(norm) and not _FREE_PHRASE_BLOCKERS.search(norm):
                return Qualitative(norm, False)
            raise
        return result

    def parse_actual_uncached(self, text: str) -> Actual:
        """Parse an actual value without the cache."""
        norm, cols = _normalise(text)
        try:
            result: Actual = self._parse(norm, cols, text, "actual_start")
        except _Truncated as exc:
            raise exc.error from None
        return result

    def _parse(self, norm: str, cols: list[int], text: str, start: str) -> Any:
        if not norm:
            example = "a target such as ≥95%" if start == "start" else "a value such as 96% or 2024-12-20"
            raise TargetSyntaxError(text, 1, f"the text is empty; expected {example}")

        def column(pos: int) -> int:
            return cols[pos] + 1 if pos < len(cols) else len(text.rstrip(_TRAILING)) + 1

        try:
            return self._lark.parse(norm, start=start)
        except VisitError as exc:
            orig = exc.orig_exc
            if isinstance(orig, _Semantic):
                raise TargetSyntaxError(text, column(orig.pos), orig.message) from None
            raise
        except _Semantic as exc:
            raise TargetSyntaxError(text, column(exc.pos), exc.message) from None
        except UnexpectedInput as exc:
            error = _syntax_error(exc, norm, text, column)
            if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
                raise _Truncated(error) from None
            raise error from None


def _expected(names: Iterable[str]) -> str:
    names = set(names)
    if "NUMBER" in names or "PLAIN_NUMBER" in names:
        names -= {"DASH"}  # a minus sign is only ever the start of a number
    words = sorted({_EXPECTED.get(n, n) for n in names if not n.startswith("__")}, key=lambda w: (len(w) < 3, w))
    return ", ".join(words[:7]) if words else "nothing more"


def _accepted(exc: UnexpectedToken) -> set[str]:
    """The terminals the parser could really take at the failure (LALR state merging widens exc.expected)."""
    try:
        return set(exc.interactive_parser.accepts())  # type: ignore[no-untyped-call]
    except Exception:  # accepts() replays the transformer; any failure there just means: use the wide set
        return set(exc.expected)


def _syntax_error(exc: UnexpectedInput, norm: str, text: str, column: Any) -> TargetSyntaxError:
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        return TargetSyntaxError(
            text, column(pos), f'found "{norm[pos]}", expected {_expected(set(exc.allowed or ()))}'
        )
    if isinstance(exc, UnexpectedEOF):
        return TargetSyntaxError(
            text, column(len(norm)), f"the text ends too early; expected {_expected(exc.expected)}"
        )
    assert isinstance(exc, UnexpectedToken)
    tok = exc.token
    expected = _expected(_accepted(exc))
    if tok.type == "$END":
        return TargetSyntaxError(text, column(len(norm)), f"the text ends too early; expected {expected}")
    pos = tok.start_pos or 0
    found = norm[pos] if tok.type == "REF_TEXT" else str(tok)  # REF_TEXT swallows the rest of the line
    return TargetSyntaxError(text, column(pos), f'found "{found}", expected {expected}')


_PARSERS: dict[Vocabulary, TargetParser] = {}  # by value: packs with the same words share a parser


_BY_ID: dict[int, tuple[Vocabulary, TargetParser]] = {}  # by identity: hashing a Vocabulary walks every word


def parser_for(vocab: Vocabulary | None = None) -> TargetParser:
    """The parser for `vocab` (the default vocabulary when None), built once per vocabulary."""
    vocab = vocab or default_vocabulary()
    entry = _BY_ID.get(id(vocab))
    if entry is not None and entry[0] is vocab:
        return entry[1]
    parser = _PARSERS.get(vocab)
    if parser is None:
        parser = _PARSERS[vocab] = TargetParser(vocab)
    _BY_ID[id(vocab)] = (vocab, parser)
    return parser


def parse_target(text: str, vocab: Vocabulary | None = None, location: Location | None = None) -> Predicate:
    """Parse one 指标值 into a predicate; raises TargetSyntaxError with the column."""
    try:
        return parser_for(vocab).target(text)
    except TargetSyntaxError as exc:
        if location is not None:
            exc.location = location
        raise


def parse_actual(text: str, vocab: Vocabulary | None = None, location: Location | None = None) -> Actual:
    """Parse one 实际完成值: a quantity (96%, 4.8万元) or a date (2024-12-20, 2024年12月20日)."""
    try:
        return parser_for(vocab).actual(text)
    except TargetSyntaxError as exc:
        if location is not None:
            exc.location = location
        raise
