"""Parse targets (指标值) and actual values (实际完成值) into predicates and quantities.

The only module that imports lark. Parse trees never leave it: callers get frozen objects from
`evalengine.predicates`, or a TargetSyntaxError with the column as the user wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache
from itertools import pairwise
from typing import Any, cast

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from evalengine.errors import Location, TargetSyntaxError
from evalengine.i18n import N_, _
from evalengine.language.predicates import (
    DIRECTIONS,
    SYMBOLS,
    Change,
    ChangeDirection,
    Comparison,
    Completion,
    Deadline,
    Grade,
    Graded,
    Op,
    PlanDeadline,
    Predicate,
    Qualitative,
    Quantity,
    Range,
    Reference,
    Tolerance,
    Trend,
    TrendKind,
    last_day,
)
from evalengine.language.vocabulary import GRADES, Vocabulary
from evalengine.language.words import default_vocabulary
from evalengine.limits import MAX_QUANTITY
from evalengine.numbers import to_decimal
from evalengine.resources import grammar_path

Actual = Quantity | date | Completion


# What each terminal is, in words an evaluator understands (for "expected ..." in errors).
_EXPECTED = {
    "NUMBER": N_("a number"),
    "PLAIN_NUMBER": N_("a number"),
    "UNIT": N_("a unit (%, 元, 人, 次 …)"),
    "MAGNITUDE": "万/千/亿",
    "CMP_SYMBOL": N_("a comparison (≥ ≤ > < =)"),
    "CMP_WORD": N_("a comparison word (不低于 …)"),
    "POSTFIX_WORD": "以上/以内/以下",
    "PHRASE": N_("a known phrase"),
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
    "REF_TEXT": N_("the standard referred to"),
    "TOL_WORD": "偏差率 …",
    "CHANGE_BASE": "较上年 …",
    "PLUS_MINUS": "±",
    "NEXT_YEAR": "次年",
    "MONTH_PART": "份",
    "NOTE_OPEN": "(",
    "LPAR": "(",
    "RPAR": ")",
    "$END": N_("the end of the text"),
}


_FREE_PHRASE_BLOCKERS = re.compile(r"[0-9%<>=≥≤≧≦⩾⩽]")


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


_TRAILING = "。；;，,、 \t\r\n"


_DOTTED_DATE = re.compile(r"[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}")


# One plain number among words without digits (96%, 107436元, ≥98%, ≤12万元): the only NUMBER token, so
# the words around it are read the same whatever its digits
_ONE_NUMBER = re.compile(r"([^0-9]*)([0-9]+(?:\.[0-9]+)?)([^0-9]*)")


_SHAPES_KEPT = 1 << 12  # distinct suffixes remembered per parser: open units must not fill memory


# 实际完成值 of a deadline written in words
_COMPLETIONS = {
    **dict.fromkeys(
        ["按时完成", "如期完成", "按期完成", "已按时完成", "已如期完成", "已按期完成", "按计划完成"], (True, True)
    ),
    **dict.fromkeys(["已完成", "完成", "已全部完成", "全部完成", "已办结", "已完工", "已竣工"], (True, False)),
    **dict.fromkeys(["未完成", "没有完成", "未按期完成", "尚未完成"], (False, False)),
}


_UNSEEN: Any = object()


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


def _escape(word: str) -> str:
    return re.escape(word).replace("/", "\\/")


def _alternation(words: list[str], hidden: dict[str, list[str]] | None = None) -> str:
    """One regex matching any of `words`, longest first; a word in `hidden` is not read where it starts
    one of the longer words listed for it (高 is not read at the start of 高于)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    parts = []
    for w in ordered:
        rests = (hidden or {}).get(w)
        guard = f"(?!{'|'.join(_escape(r) for r in sorted(rests, key=lambda r: (-len(r), r)))})" if rests else ""
        parts.append(_escape(w) + guard)
    return "/(?:" + "|".join(parts) + ")/"


_LETTER = r"[A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# Words that may follow a unit: an open unit stops before them (35只以上, 5万元至10万元, 30日内)
_AFTER_UNIT = ("前", "之前", "以前", "至", "到", "完成", "完工", "办结", "竣工", "底", "末")


def _hidden(words: list[str], longer: list[str]) -> dict[str, list[str]]:
    """For each word, the rests of the longer words in `longer` that start with it."""
    out: dict[str, list[str]] = {}
    for w in words:
        rests = [x[len(w) :] for x in longer if x != w and x.startswith(w)]
        if rests:
            out[w] = rests
    return out


def _grammar_text(vocab: Vocabulary) -> str:
    base = grammar_path().read_text(encoding="utf-8")
    units = [u for u, _, _ in vocab.units if u not in ("年", "月", "日")]
    magnitudes = [w for w, _ in vocab.magnitudes]
    phrases = [p for p, _, _ in vocab.phrases]
    starters = [w for w, _ in vocab.comparators] + list(vocab.references) + list(vocab.tolerance)
    starters += list(vocab.change_bases)
    generated = {
        "CMP_WORD": _alternation([w for w, _ in vocab.comparators]),
        "POSTFIX_WORD": _alternation([w for w, _ in vocab.postfix]),
        # 千 is not a magnitude where it starts a unit: 千米, 千瓦
        "MAGNITUDE": _alternation(magnitudes, _hidden(magnitudes, units)),
        "PHRASE": _alternation(phrases, _hidden(phrases, starters)),
        "REF_WORD": _alternation(list(vocab.references)),
        "TOL_WORD": _alternation(list(vocab.tolerance) or ["偏差率"]),
        "CHANGE_BASE": _alternation(list(vocab.change_bases) or ["较上年"]),
    }
    # UNIT: the known units that are not plain letters (%, ‰, m2), else any run of letters that starts no
    # word which may follow a unit. Lowest priority: every named word wins over it.
    symbolic = [u for u in units if not re.fullmatch(f"{_LETTER}+", u) and not set(u) & set("/·・*×")]
    # sorted by length, then text: the grammar's text must not vary between runs (it keys lark's cache)
    stops = sorted({w for w, _ in vocab.postfix} | set(_AFTER_UNIT), key=lambda w: (-len(w), w))
    run = f"(?:(?!{'|'.join(_escape(w) for w in stops)}){_LETTER})+"
    unit = "/(?:" + "|".join([_escape(u) for u in sorted(symbolic, key=lambda u: (-len(u), u))] + [run]) + ")/"
    lines = [base]
    lines += [f"{name}: {regex}" for name, regex in generated.items()]
    lines.append(f"UNIT.-1: {unit}")
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


def _in_unit_of(bare: Quantity, other: Quantity) -> Quantity:
    """A bare number read in `other`'s unit as written."""
    text = bare.text + other.shown
    return Quantity(bare.value * other.scale, other.unit, text, other.scale, other.shown, other.unit_scale, other.known)


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
        known = True
        note = None
        for item in items[1:]:
            if item is None:
                continue
            if isinstance(item, tuple) and item[0] == "mag":
                factor *= item[1]
                text += item[2]
            elif isinstance(item, tuple) and item[0] == "unit":
                unit, unit_factor, unit_text, known = item[1], item[2], item[3], item[4]
                factor *= unit_factor
                unit_scale = unit_factor
                text += unit_text
            elif isinstance(item, tuple) and item[0] == "note":
                note = item
        if note is not None:
            _note, n_factor, n_unit, n_scale, n_known, n_text, n_pos = note
            if unit is None and factor == 1:  # 95(%), 404(万元): the note gives the unit
                unit, factor, unit_scale, known = n_unit, n_factor, n_scale, n_known
                text += n_text
            elif (n_unit, n_factor) != (unit, factor if n_factor != 1 else unit_scale):
                raise _Semantic(
                    n_pos,
                    _(
                        "the note ({note}) does not repeat the unit {unit}",
                        note=n_text,
                        unit=text[len(str(number)) :],
                    ),
                )
        suffix = text[len(str(number)) :]
        if abs(value * factor) >= MAX_QUANTITY:  # the magnitude or unit took it out of exact arithmetic's reach
            raise _Semantic(
                number.start_pos,
                _("{number} is out of range: it must be smaller than 10^20 in its base unit", number=text),
            )
        q = Quantity(value * factor, unit, text, factor, suffix, unit_scale, known)
        return _Q(q, number.start_pos, suffix, factor)

    def bracket_quantity(self, items: list[Any]) -> _Q:
        return self.quantity(items)

    def unit_note(self, items: list[Any]) -> tuple[Any, ...]:
        paren, mag, unit = items
        factor = unit[2] * (mag[1] if mag else 1)
        text = (mag[2] if mag else "") + unit[3]
        return ("note", factor, unit[1], unit[2], unit[4], text, paren.start_pos)

    def magnitude(self, items: list[Token]) -> tuple[str, Decimal, str]:
        return ("mag", self.mags[str(items[0])], str(items[0]))

    def unit(self, items: list[Token]) -> tuple[str, str, Decimal, str, bool, int]:
        """A unit, simple or compound (元/人·月): its base, its factor, as written, whether it is known."""
        written = "".join(str(t) for t in items)
        whole = self.units.get(written)
        if whole is not None and len(items) > 1:  # 人/次 is a unit of its own (人次)
            return ("unit", whole[0], whole[1], written, True, items[0].start_pos or 0)
        bases: list[str] = []
        factor = Decimal(1)
        known = True
        for tok in items:
            word = str(tok)
            if tok.type == "UNIT_JOIN":
                # 元/人/月 and 元/人*月 are both 元/人·月: after the first /, every join multiplies
                bases.append("/" if word == "/" and "/" not in bases else "·")
                continue
            spec = self.units.get(word)
            if spec is None:
                doubled = self._doubled(word)
                if doubled:
                    raise _Semantic(
                        (tok.start_pos or 0) + len(doubled), _("the unit {unit} is written twice", unit=doubled)
                    )
                spec, known = (word, Decimal(1)), False  # an open unit: itself, converted to nothing
            base, f = spec
            if bases and bases[-1] in "/·":
                if f != 1:  # 元/公里: a scaled unit after / stays as written (it converts to nothing)
                    base = word
            else:
                factor *= f
            bases.append(base)
        return ("unit", "".join(bases), factor, written, known, items[0].start_pos or 0)

    def joined_unit(self, items: list[Token]) -> Token:
        return Token.new_borrow_pos("UNIT", "".join(str(t) for t in items), items[0])

    def per_unit(self, items: list[Token]) -> tuple[str, str, Decimal, str, bool, int]:
        unit = self.unit(items)  # 万/年: the magnitude before it was folded into the value
        return unit

    def _doubled(self, word: str) -> str | None:
        half = len(word) // 2
        if len(word) % 2 == 0 and word[:half] == word[half:] and word[:half] in self.units:
            return word[:half]
        return None

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
        (op, _pos), q = items[0], items[1].q
        if len(items) > 2 and items[2] is not None:
            post, pos = items[2]
            if op != post:
                raise _Semantic(
                    pos,
                    _(
                        "{after} after the number contradicts {before} before it",
                        after=SYMBOLS[post],
                        before=SYMBOLS[op],
                    ),
                )
        return Comparison(op, q)

    def postfixed(self, items: list[Any]) -> Comparison:
        q, (op, _) = items
        return Comparison(op, q.q)

    def bare(self, items: list[Any]) -> Comparison:
        return Comparison("=", items[0].q)

    # -- ranges
    def range_sep(self, items: list[Token]) -> Token:
        return items[0]

    def range(self, items: list[Any]) -> Range | Deadline:
        low, high = [i for i in items if isinstance(i, _Q)]
        months = (low.suffix in ("", "月"), high.suffix == "月")
        if all(months) and all(q.q.value == q.q.value.to_integral_value() for q in (low, high)):
            first, last = int(low.q.value), int(high.q.value)  # 1-12月, 1月-12月: a period, not a range
            if 1 <= first <= last <= 12:
                return Deadline(last, start=first)
        if not low.suffix and high.suffix:  # 90-100% means 90%-100%
            low = low.adopt_unit(high)
        elif not high.suffix and low.suffix:
            high = high.adopt_unit(low)
        if low.q.unit != high.q.unit:
            raise _Semantic(
                high.pos,
                _(
                    "the range mixes {first} and {second}",
                    first=low.q.unit or _("no unit"),
                    second=high.q.unit or _("no unit"),
                ),
            )
        if low.q.value > high.q.value:
            raise _Semantic(
                low.pos, _("the range starts above its end ({low} > {high})", low=low.q.text, high=high.q.text)
            )
        return Range(low.q, high.q)

    # -- deadlines
    def _month(self, tok: Token) -> int:
        month = int(self._whole(tok))
        if not 1 <= month <= 12:
            raise _Semantic(tok.start_pos, _("there is no month {month}", month=tok))
        return month

    def _whole(self, tok: Token) -> str:
        if not str(tok).isdigit():
            raise _Semantic(tok.start_pos, _("expected a whole number, found {found}", found=tok))
        return str(tok)

    def _year(self, tok: Token) -> int:
        year = int(self._whole(tok))
        if not 1900 <= year <= 2200:
            raise _Semantic(tok.start_pos, _("{year} is not a plausible year", year=tok))
        return year

    def _day(self, tok: Token, month: int, year: int | None) -> int:
        day = int(self._whole(tok))
        if not 1 <= day <= last_day(year or 2024, month):
            raise _Semantic(tok.start_pos, _("there is no day {day} in month {month}", day=day, month=month))
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

    def by_month_lenient(self, items: list[Any]) -> Deadline:
        # 9月前, 9月份前: the end of September, the reading evaluators use
        deadline = Deadline(self._month(items[1]))
        return self._next_year(items[0], deadline)

    def by_year_month(self, items: list[Any]) -> Deadline:
        # 2025年12月, 2024年12月完成: that month's last day
        return Deadline(self._month(items[2]), None, self._year(items[0]))

    def by_year_phrase(self, items: list[Any]) -> Deadline:
        # 2025年年底前, 2024年全年: a deadline phrase in a given year
        year, word = self._year(items[0]), items[2]
        kind, meaning = self.phrases[str(word)]
        if kind != "deadline":
            raise _Semantic(
                word.start_pos, _("{word} cannot follow a year; expected a deadline such as 年底前", word=word)
            )
        deadline = self._deadline_phrase(meaning)
        return replace(deadline, year=year, start_year=year if deadline.start else None)

    def period(self, items: list[Any]) -> Deadline:
        # 2024年1月-12月, 2024年1月--2024年11月
        year, first = self._year(items[0]), self._month(items[2])
        end_year = self._year(items[5]) if items[5] is not None else year
        last = self._month(items[7])
        if (end_year, last) < (year, first):
            raise _Semantic(
                items[7].start_pos, _("the period ends ({year}年{month}月) before it starts", year=end_year, month=last)
            )
        return Deadline(last, None, end_year, start=first, start_year=year)

    def _next_year(self, tok: Token | None, deadline: Deadline) -> Deadline:
        return replace(deadline, year_offset=1) if tok is not None else deadline

    def deadline(self, items: list[Any]) -> Deadline:
        deadline: Deadline = items[1]
        if items[0] is not None and deadline.year is not None:
            raise _Semantic(items[0].start_pos, _("{word} and a year cannot both be written", word=items[0]))
        return self._next_year(items[0], deadline)

    def _deadline_phrase(self, meaning: str) -> Deadline:
        first, _, last = meaning.partition("-")
        return Deadline(int(last), start=int(first)) if last else Deadline(int(first))

    # -- phrases, tolerances and changes
    def phrase(self, items: list[Any]) -> Predicate:
        base, tok, finish = items
        word = str(tok)
        kind, meaning = self.phrases[word]
        if finish is not None and kind != "deadline":
            raise _Semantic(finish.start_pos, _("{word} can only follow a deadline", word=finish))
        if base is not None and kind != "trend":
            raise _Semantic(tok.start_pos, _("{word} must be followed by a change such as 提高5%", word=base))
        if kind == "trend":
            return Trend(cast(TrendKind, meaning), word)
        if kind == "budget":
            return Comparison("<=", None, "budget", word)
        if kind == "deadline":
            return self._deadline_phrase(meaning)
        if kind == "plan":
            return PlanDeadline(12, text=word)
        return Qualitative(word, True)

    def tolerance(self, items: list[Any]) -> Tolerance:
        if len(items) == 5:
            word, cmp, pm, q, post = items
        else:
            word, (cmp, pm, q, post) = None, items
        for op in (cmp, post):
            if op is not None and op[0] not in ("<=", "<"):
                raise _Semantic(
                    op[1], _("a tolerance is a bound on the deviation; {symbol} cannot bound it", symbol=SYMBOLS[op[0]])
                )
        if q.q.value < 0:
            raise _Semantic(q.pos, _("a tolerance cannot be negative"))
        text = f"{word or ''}{'±' if pm is not None else ''}{q.q.text}"
        return Tolerance(q.q, text)

    def change(self, items: list[Any]) -> Change:
        _base, tok, cmp, q, post = items
        word = str(tok)
        kind, meaning = self.phrases[word]
        if kind != "trend" or meaning not in ("increasing", "decreasing"):
            raise _Semantic(
                q.pos, _("{word} cannot take a number; a change is written 提高5% or 下降2个百分点", word=word)
            )
        op: Op = ">="
        if cmp is not None:
            op = cast(Op, cmp[0])
        if post is not None:
            if cmp is not None and post[0] != cmp[0]:
                raise _Semantic(
                    post[1],
                    _(
                        "{after} after the number contradicts {before} before it",
                        after=SYMBOLS[post[0]],
                        before=SYMBOLS[cmp[0]],
                    ),
                )
            op = cast(Op, post[0])
        if op == "=":
            op = ">="
        if q.q.value < 0:
            raise _Semantic(q.pos, _("write the change as a positive number after {word}", word=word))
        direction: ChangeDirection = "increase" if meaning == "increasing" else "decrease"
        return Change(direction, op, q.q, word + q.q.text)

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

    def month_day(self, items: list[Token]) -> Completion:
        month = self._month(items[0])
        return Completion(True, month=month, day=self._day(items[2], month, None))

    def year_month(self, items: list[Token]) -> Completion:
        return Completion(True, month=self._month(items[2]), year=self._year(items[0]))

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
        self.grades = {label: grade for label, grade in vocab.grades}
        self.completions = {w: Completion(done, on_time) for w, (done, on_time) in _COMPLETIONS.items()}
        self.target = lru_cache(maxsize=1 << 16)(self.parse_target_uncached)
        # actual values rarely repeat (96%, 2024-12-20 …): a small cache, so a province's batch cannot fill memory
        self.actual = lru_cache(maxsize=1 << 12)(self.parse_actual_uncached)
        # (start, words before, words after) a number -> what the grammar reads with the number 1 there (a
        # Quantity, or a Comparison for a target); None: anything else, left to the parser
        self._shapes: dict[tuple[str, str, str], Quantity | Comparison | None] = {}

    def parse_target_uncached(self, text: str) -> Predicate:
        """Parse a target without the cache (benchmarks measure both)."""
        norm, cols = _normalise(text)
        if not ("/" in norm and norm.endswith(")")):  # a graded target is read by _graded, never by the grammar
            shaped: Comparison | None = self._number_in_shape(norm, "start")
            if shaped is not None:
                return shaped
        try:
            graded = self._graded(norm, cols, text) if "/" in norm and norm.endswith(")") else None
            result: Predicate = graded or self._parse(norm, cols, text, "start")
        except _Truncated as exc:
            raise exc.error from None  # 不低于 or 按 alone: a structured target cut short, never a phrase
        except TargetSyntaxError:
            self._number_missing(norm, cols, text)
            if _CJK.search(norm) and not _FREE_PHRASE_BLOCKERS.search(norm):
                return Qualitative(norm, False)
            raise
        return result

    @cached_property
    def _unit_alone(self) -> re.Pattern[str]:
        """A unit or magnitude alone, with a comparison before it or a postfix word after. Compiled when first
        asked for (a target that does not parse): a long alternation, which most runs never need."""
        vocab = self.vocab
        mags = "|".join(_escape(w) for w, _ in sorted(vocab.magnitudes, key=lambda m: -len(m[0])))
        units = "|".join(_escape(u) for u, _, _ in sorted(vocab.units, key=lambda u: -len(u[0])))
        cmp = "|".join(_escape(w) for w, _ in vocab.comparators)
        return re.compile(
            f"(?:[≥≤<>=]=?|{cmp})?\\s*(?P<unit>(?:{mags})?\\s*(?:{units})?)"
            f"(?:{'|'.join(_escape(w) for w, _ in vocab.postfix)})?"
        )

    def _number_missing(self, norm: str, cols: list[int], text: str) -> None:
        """公里, 万人, %, ≥万元: a unit or magnitude with no number is an error, never a phrase."""
        match = self._unit_alone.fullmatch(norm)
        if match and match.group("unit").strip():
            pos = match.start("unit")
            column = cols[pos] + 1
            raise TargetSyntaxError(
                text, column, _("the number is missing before {unit}", unit=match.group("unit").strip())
            )

    def _graded(self, norm: str, cols: list[int], text: str) -> Graded | None:
        """95%/90%/85%/80%（优/良/中/差）: thresholds split by /, the grades' labels in brackets."""
        open_at = norm.rfind("(")
        labels = [label.strip() for label in re.split(r"[/、,]", norm[open_at + 1 : -1])]
        if open_at <= 0 or len(labels) < 2 or not all(label in self.grades for label in labels):
            return None
        head = norm[:open_at].rstrip()
        cuts = [0] + [m.end() for m in re.finditer(r"/(?=\s*[0-9≥≤<>=±-])", head)]
        pieces = [
            (start, head[start : end - 1] if end < len(head) + 1 else head[start:])
            for start, end in zip(cuts, cuts[1:] + [len(head) + 1], strict=True)
        ]
        if len(pieces) != len(labels):
            need = _("{n} grades need {n} values separated by /, found {found}", n=len(labels), found=len(pieces))
            raise TargetSyntaxError(text, cols[open_at] + 1, need)
        grades: list[Grade] = []
        for (start, piece), label in zip(pieces, labels, strict=True):
            lead = len(piece) - len(piece.lstrip())
            part = piece.strip()
            if not part:
                raise TargetSyntaxError(text, cols[start] + 1, _("a grade's value is missing"))
            found = self._parse(part, cols[start + lead : start + lead + len(part)], text, "start")
            if not (isinstance(found, Comparison) and found.quantity is not None):
                raise TargetSyntaxError(
                    text, cols[start + lead] + 1, _("expected a value such as 95% for {grade}", grade=label)
                )
            grades.append(Grade(self.grades[label], found.op, found.quantity))
        names = [g.grade for g in grades]
        if len(set(names)) != len(names) or names != sorted(names, key=GRADES.index):
            raise TargetSyntaxError(
                text, cols[open_at] + 1, _("the grades must run from best to worst ({grades})", grades="/".join(GRADES))
            )
        return Graded(self._grade_ops(grades, text, cols[0] + 1))

    def _grade_ops(self, grades: list[Grade], text: str, column: int) -> tuple[Grade, ...]:
        """Bare values take their direction from their order: falling values are floors (≥), rising ceilings (≤)."""
        last = grades[-1].quantity
        if last.unit:  # 95/90/85%（优/良/中）: a bare value is in the unit written last
            grades = [g if g.quantity.unit else replace(g, quantity=_in_unit_of(g.quantity, last)) for g in grades]
        values = [g.quantity.value for g in grades]
        if len({g.quantity.unit for g in grades}) > 1:
            raise TargetSyntaxError(text, column, _("the grades' values mix units"))
        falling = all(a > b for a, b in pairwise(values))
        rising = all(a < b for a, b in pairwise(values))
        if not (falling or rising):
            raise TargetSyntaxError(
                text, column, _("the grades' values must rise or fall from the best grade to the worst")
            )
        bare: Op = ">=" if falling else "<="
        out = []
        for g in grades:
            op = bare if g.op == "=" else g.op
            if DIRECTIONS[op] != DIRECTIONS[bare]:
                raise TargetSyntaxError(
                    text,
                    column,
                    _("{symbol} does not fit values that fall", symbol=SYMBOLS[op])
                    if falling
                    else _("{symbol} does not fit values that rise", symbol=SYMBOLS[op]),
                )
            out.append(replace(g, op=op))
        return tuple(out)

    def parse_actual_uncached(self, text: str) -> Actual:
        """Parse an actual value without the cache."""
        norm, cols = _normalise(text)
        word = self.completions.get(norm)
        if word is not None:
            return replace(word, text=norm)
        quick: Quantity | None = self._number_in_shape(norm)
        if quick is not None:
            return quick
        dotted = _DOTTED_DATE.fullmatch(norm)
        if dotted:  # 2024.12.20: a decimal number would swallow 2024.12
            norm = norm.replace(".", "-")
        try:
            result: Actual = self._parse(norm, cols, text, "actual_start")
        except _Truncated as exc:
            raise exc.error from None
        if isinstance(result, Completion):
            return replace(result, text=norm)
        return result

    def _number_in_shape(self, norm: str, start: str = "actual_start") -> Any:
        """One number among words without digits (107436元, ≥98%, ≤12万元) read without the parser, or None
        to leave it to the parser: a Quantity for an actual, a Comparison for a target.

        Unique amounts make most texts a miss of the cache, and the parser is slow: the words around the
        number are parsed once, around the number 1, and every other number in them is that quantity scaled.
        The same steps as `_Build.quantity`: the number read exactly, multiplied by the factor of its suffix,
        its text the number and the suffix as written. Anything else (an error, a date, a deadline, a range,
        a sign) goes to the parser."""
        match = _ONE_NUMBER.fullmatch(norm)
        if match is None:
            return None
        prefix, number, suffix = match.groups()
        key = (start, prefix, suffix)
        shape = self._shapes.get(key, _UNSEEN)
        if shape is _UNSEEN:
            shape = self._shape(key)
        if shape is None:
            return None
        try:
            value = to_decimal(number)
        except ValueError:
            return None
        one: Quantity = shape if start == "actual_start" else shape.quantity
        scaled = value * one.scale
        if abs(scaled) >= MAX_QUANTITY:
            return None
        unit, shown = one.unit, one.shown
        quantity = Quantity(scaled, unit, number + shown, one.scale, shown, one.unit_scale, one.known)
        return quantity if start == "actual_start" else Comparison(shape.op, quantity)

    def _shape(self, key: tuple[str, str, str]) -> Quantity | Comparison | None:
        """What the parser reads with the number 1 in these words; None when it is not a plain quantity (or
        a comparison with one)."""
        if len(self._shapes) >= _SHAPES_KEPT:
            return None
        start, prefix, suffix = key
        read: Any
        try:
            read = self._lark.parse(prefix + "1" + suffix, start=start)
        except Exception:  # any failure: the parser reads such texts itself, and says why
            read = None
        one: Any = None
        if start == "actual_start":
            one = read if type(read) is Quantity and not prefix else None
        elif type(read) is Comparison and read.ref is None and not read.text:
            one = read.quantity
        if type(one) is not Quantity or one.text != "1" + one.shown or one.value != one.scale:
            read = None
        self._shapes[key] = read
        return cast(Quantity | Comparison | None, read)

    def _parse(self, norm: str, cols: list[int], text: str, start: str) -> Any:
        if not norm:
            message = (
                _("the text is empty; expected a target such as ≥95%")
                if start == "start"
                else _("the text is empty; expected a value such as 96% or 2024-12-20")
            )
            raise TargetSyntaxError(text, 1, message)

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
        names -= {"DASH", "PLUS_MINUS"}  # a sign is only ever the start of a number
    words = sorted({_EXPECTED.get(n, n) for n in names if not n.startswith("__")}, key=lambda w: (len(w) < 3, w))
    return ", ".join(_(w) for w in words[:7]) if words else _("nothing more")


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
            text,
            column(pos),
            _('found "{found}", expected {expected}', found=norm[pos], expected=_expected(set(exc.allowed or ()))),
        )
    if isinstance(exc, UnexpectedEOF):
        return TargetSyntaxError(
            text, column(len(norm)), _("the text ends too early; expected {expected}", expected=_expected(exc.expected))
        )
    assert isinstance(exc, UnexpectedToken)
    tok = exc.token
    expected = _expected(_accepted(exc))
    if tok.type == "$END":
        return TargetSyntaxError(
            text, column(len(norm)), _("the text ends too early; expected {expected}", expected=expected)
        )
    pos = tok.start_pos or 0
    found = norm[pos] if tok.type == "REF_TEXT" else str(tok)  # REF_TEXT swallows the rest of the line
    return TargetSyntaxError(
        text, column(pos), _('found "{found}", expected {expected}', found=found, expected=expected)
    )


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
