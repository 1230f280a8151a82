"""The report view: the JSON contract that every format renders. Numbers are strings with fixed
decimals; nothing here computes a score.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from json.encoder import encode_basestring
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from evalengine.inputs.actuals import Job
from evalengine.language.predicates import Quantity
from evalengine.model import Indicator
from evalengine.numbers import HUNDRED, ZERO, fixed, fixer, plain, round_to
from evalengine.pipeline import Monitored, Scored
from evalengine.scoring.explain import met as _MET
from evalengine.scoring.explain import ratio as _RATIO
from evalengine.scoring.explain import render
from evalengine.scoring.monitor import WORST_FIRST, MonitorCard
from evalengine.scoring.results import IndicatorResult, Scorecard

SEVERITY_ZH = {"error": "错误", "warning": "提示"}


STATUS_ZH = {"met": "达成", "partial": "部分达成", "unmet": "未达成", "na": "不适用", "missing": "缺少实际值"}


# fixed(value, places) by numbers.fixer (one for each places, shared): its str() path skips parsing the format
# specification for a value already at its places (every score and weight), some thirty times a project
_cents = fixer(2)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else _cents(round_to(value, 2))


def _pct(fraction: Decimal, places: int = 2) -> str:
    """A fraction as a percentage, rounded to the pack's places: scoring keeps the exact value."""
    return fixer(places)(round_to(fraction * HUNDRED, places))


def _rowspans(card: Scorecard) -> list[int]:
    """Rows the level-1 cell of each indicator spans in the 自评表 (0 when the cell above covers it): a run
    of rows with the same level 1 is one cell, as tall as the run. Worked out once for each sequence of
    level-1 names (one-2000 has seven): its 2,000 projects' spans 26.6 -> 15.7 million instructions."""
    names = tuple(map(_LEVEL1_OF, card.indicators))
    spans = _SPANS_OF.get(names)
    return _stored(_SPANS_OF, names, _runs(names)) if spans is None else spans


_LEVEL1_OF = attrgetter("indicator.level1")
# level-1 names in order -> their cells' spans, shared and so only read (the view and project_line iterate
# them); text alone, no ids, so kept for the run
_SPANS_OF: dict[tuple[str, ...], list[int]] = {}


def _runs(names: tuple[str, ...]) -> list[int]:
    spans = [0] * len(names)
    start = 0
    for n in range(1, len(names) + 1):
        if n == len(names) or names[n] != names[start]:
            spans[start] = n - start
            start = n
    return spans


# Traces and actuals as written, by what they are written from: a batch repeats the same few thousand
# (实际99% ≥ 目标98%，得满分6.25) across its indicators. A key holds the numbers themselves (the sentences
# print them by value: plain, fixed places) and each target's Quantity by id (equal quantities may be
# written in different units); the entry holds the numbers it was written from, so no id is reused while
# it stands. Kept for one file at most (forget(), when a file's view is done: what a file's entries hold,
# its targets' quantities among them, must not outlive it, or memory grows with the files of a batch) and
# cleared when full: one very large file keeps at most _KEPT.
# The entry holds the sentence as text (the view's) and, once a line asks for it, quoted as JSON in UTF-8
# (project_line's: b"" until then, so the other formats never pay for it).
_TRACES: dict[tuple[Any, ...], tuple[Any, str, bytes]] = {}
_ACTUALS: dict[tuple[int, Decimal, int | None], tuple[Quantity, str, bytes]] = {}
_KEPT = 1 << 16
_V = TypeVar("_V")  # what a memo keeps


def forget() -> None:
    """Drop the sentences kept for a file: its view is done."""
    _TRACES.clear()
    _ACTUALS.clear()
    _HEADS.clear()
    _ROWS.clear()
    _QUOTED.clear()
    _NUMBERS.clear()
    _FIXED.clear()
    _PRINTERS.clear()
    _NUMBERS_OF.clear()


def _key(why: tuple[Any, ...], places: int, score: Decimal | None = None) -> tuple[Any, ...] | None:
    """_keyed(why, places, score), the two commonest sentences (met, ratio: three rows in four) keyed by
    their parts unpacked and checked one by one rather than by the loop over them (one-2000's keys: 6,800
    -> ~4,400 instructions a met or ratio trace). The same key: tests/test_fast_view.py compares them."""
    first = why[0]
    if first is _MET and score is None and len(why) == 8:
        _, head, bound, a, sym, label, t, w = why
        if (
            type(head) is str
            and type(bound) is Quantity
            and type(a) is Decimal
            and type(sym) is str
            and type(label) is str
            and type(t) is Decimal
            and type(w) is Decimal
        ):
            return (places, first, head, id(bound), a, sym, label, t, w) if a and t and w else None
    elif first is _RATIO and score is not None and len(why) == 11 and why[10] is score:
        _, head, bound, a, rel, label, t, num, den, w, s = why
        if (
            type(head) is str
            and type(bound) is Quantity
            and type(a) is Decimal
            and type(rel) is str
            and type(label) is str
            and type(t) is Decimal
            and type(num) is Decimal
            and type(den) is Decimal
            and type(w) is Decimal
            and type(s) is Decimal
            and score is not a  # the last part alone is the result's own score
            and score is not t
            and score is not num
            and score is not den
            and score is not w
        ):
            if a and t and num and den and w and s:
                return (places, first, head, id(bound), a, rel, label, t, num, den, w, (str(s),))
            return None
    return _keyed(why, places, score)


def _keyed(why: tuple[Any, ...], places: int, score: Decimal | None = None) -> tuple[Any, ...] | None:
    """`why` as a key, or None when it holds anything but text, nonzero numbers and quantities (a zero may
    be -0, printed so but equal to 0; a trace within a trace holds quantities compared by value).

    The result's own `score` (given when it is not the weight: full marks are one of a file's few dozen
    weights, their hashes kept), where the sentence prints it, stands in the key as its text (str(), exact,
    in a tuple so no text part can equal it): such a score is a new number for nearly every indicator, and
    hashing a new Decimal costs ~5,800 instructions, its str() and the text's hash ~1,300."""
    # the formatter, always first, taken as it is; the loop asks the commonest kinds first (a trace holds
    # as many numbers as texts)
    key: list[Any] = [places, why[0]]
    for part in why[1:]:
        kind = type(part)
        if kind is Decimal:
            if not part:
                return None
            key.append(part if part is not score else (str(part),))
        elif kind is str:
            key.append(part)
        elif kind is Quantity:
            key.append(id(part))
        else:
            return None
    return tuple(key)


def _trace_json(r: IndicatorResult) -> bytes:
    """r.trace quoted as JSON in UTF-8, kept with the sentence (quoted when a line first asks for it)."""
    why = r.why
    score = r.score  # a score of its own, not the weight (full marks: a shared number, its hash kept)
    key = _key(why, r.places, None if score is r.weight else score)
    if key is None:
        return _q(r.trace).encode()
    return _quoted_once(_TRACES, key, _TRACES.get(key) or _keep(_TRACES, key, why, _render(why, r.places)))


def trace(r: IndicatorResult) -> str:
    """r.trace, written once for each distinct trace of the run."""
    why = r.why
    score = r.score  # a score of its own, not the weight (full marks: a shared number, its hash kept)
    key = _key(why, r.places, None if score is r.weight else score)
    if key is None:
        return r.trace
    known = _TRACES.get(key)
    if known is not None:
        return known[1]
    return _keep(_TRACES, key, why, _render(why, r.places))[1]


def _render(why: tuple[Any, ...], places: int) -> str:
    """r.trace for a `why` that _key keys (text, nonzero numbers, quantities), each quantity handed to the
    formatter as its _Printer: a target's number recurs in every sentence of the target, an actual's in its
    actual and often in other sentences. The sentence itself is explain.render's."""
    return render(tuple([_printer(part) if type(part) is Quantity else part for part in why]), places)


class _Printer:
    """A target's Quantity as a trace's formatter uses it (`written`, `number`), each number written once
    for the file: Quantity.written and .number (a division, a rounding, a format) cost ~6,000 instructions
    a call. Its texts are kept with the actuals (_ACTUALS: the same key, so an actual written for the view
    is found here and the other way round) and in _NUMBERS_OF, not in the printer: the file's memos hold
    them, once. A zero (perhaps -0, printed so but equal to 0) is written each time. Its fields and its text
    (str()) are the quantity's own."""

    __slots__ = ("quantity",)

    def __init__(self, quantity: Quantity) -> None:
        self.quantity = quantity  # held, so the id that finds this printer is not reused while it stands

    def written(self, value: Decimal, places: int | None = None) -> str:
        return self._once(_ACTUALS, self.quantity.written, value, places)

    def number(self, value: Decimal, places: int | None = None) -> str:
        return self._once(_NUMBERS_OF, self.quantity.number, value, places)

    def _once(
        self,
        memo: dict[tuple[int, Decimal, int | None], tuple[Quantity, str, bytes]],
        write: Callable[[Decimal, int | None], str],
        value: Decimal,
        places: int | None,
    ) -> str:
        if not value:
            return write(value, places)
        key = (id(self.quantity), value, places)
        known = memo.get(key) or _keep(memo, key, self.quantity, write(value, places))
        return known[1]

    def __str__(self) -> str:
        return str(self.quantity)

    if TYPE_CHECKING:  # the quantity's fields, read through the printer (below): for the type checker alone

        def __getattr__(self, name: str) -> Any: ...


# The quantity's fields read through its printer as properties, not by a __getattr__: a class with one has
# every attribute read through a slower hook, its own methods and `quantity` too (one-2000's view: 760.5 ->
# 742.3 million instructions without it)
for _field in fields(Quantity):
    setattr(_Printer, _field.name, property(attrgetter(f"quantity.{_field.name}")))


# the number parts a trace's formatter asked of each quantity (_Printer.number), kept as the actuals are
_NUMBERS_OF: dict[tuple[int, Decimal, int | None], tuple[Quantity, str, bytes]] = {}


# the printers of a file's quantities, by id; dropped by forget() with the sentences (they hold the quantities)
_PRINTERS: dict[int, _Printer] = {}


def _printer(quantity: Quantity) -> _Printer:
    printer = _PRINTERS.get(id(quantity))
    return _stored(_PRINTERS, id(quantity), _Printer(quantity)) if printer is None else printer


def _actual_json(r: IndicatorResult) -> bytes:
    """r.actual quoted as JSON in UTF-8, kept with the text (quoted when a line first asks for it)."""
    seen = r.seen
    if isinstance(seen, str):
        return _q(seen).encode()
    bound, value = seen
    if not value:  # -0 is printed so, but is equal to 0
        return _q(r.actual).encode()
    key = (id(bound), value, r.places)
    return _quoted_once(_ACTUALS, key, _ACTUALS.get(key) or _keep(_ACTUALS, key, bound, r.actual))


def actual(r: IndicatorResult) -> str:
    """r.actual, written once for each distinct value of each target of the run."""
    seen = r.seen
    if isinstance(seen, str):
        return seen
    bound, value = seen
    if not value:  # -0 is printed so, but is equal to 0
        return r.actual
    key = (id(bound), value, r.places)
    known = _ACTUALS.get(key)
    if known is not None:
        return known[1]
    return _keep(_ACTUALS, key, bound, r.actual)[1]


def _quoted_once(memo: dict[Any, tuple[Any, str, bytes]], key: Any, known: tuple[Any, str, bytes]) -> bytes:
    """A kept text's JSON (UTF-8, quoted), made the first time a line asks for it and kept with the text."""
    quoted = known[2]
    if not quoted:
        quoted = _q(known[1]).encode()
        memo[key] = (known[0], known[1], quoted)
    return quoted


def _keep(memo: dict[Any, tuple[Any, str, bytes]], key: Any, held: Any, text: str) -> tuple[Any, str, bytes]:
    """`text` kept under `key` with what it was written from (`held`, so no id in the key is reused while it
    stands), not yet quoted as JSON."""
    return _stored(memo, key, (held, text, b""))


def _stored(memo: dict[Any, _V], key: Any, value: _V) -> _V:
    """`value` kept in one of the file's memos under `key`, and returned; the memo emptied first when full
    (each holds at most _KEPT)."""
    if len(memo) >= _KEPT:
        memo.clear()
    memo[key] = value
    return value


# the indicators' weights and scores fixed to the pack's places, by the places and the number's id, kept with
# the number (so the id is not reused while it stands): a batch's weights are a few dozen objects, and a met
# indicator's score is its weight (half of one-2000's scores are objects seen before); dropped by forget().
# The view's text here, project_line's bytes in _NUMBERS.
_FIXED: dict[int, dict[int, tuple[Decimal, str]]] = {}


# An indicator's row of the view with the indicator's own cells filled (level 1 and the rows its cell spans,
# level 2 to basis) and the result's cells None, by the indicator's id, kept with it (so the id is not reused
# while it stands) and with the span it was made for; dropped by forget(). A batch's rows recur (one-10000:
# 70,244 rows of 4,431 indicators): a row is this dict copied (its table copied whole, in C) and its eight
# result cells set, in place, so the keys keep their order.
_HEADS: dict[int, tuple[Indicator, int, dict[str, Any]]] = {}


def _head(ind: Indicator, span: int) -> dict[str, Any]:
    head = {
        "level1": ind.level1,
        "level1_rows": span,
        "level2": ind.level2,
        "name": ind.name,
        "description": ind.description,
        "target": ind.target,
        "basis": ind.basis,
        **dict.fromkeys(_RESULT_CELLS),
    }
    return _stored(_HEADS, id(ind), (ind, span, head))[2]


# the cells a row takes from the indicator's result, in their order, each set by project_view
_RESULT_CELLS = ("actual", "weight", "score", "status", "tier", "explanation", "evidence", "trace")


def project_view(card: Scorecard, scored: Scored) -> dict[str, Any]:
    """One project in the JSON contract, plus what the 自评表 shows (department, goals, plan)."""
    job = scored.job
    project = card.project
    code = project.code
    ex = card.execution
    rounding = job.pack.rounding
    places = rounding.places
    fix = fixer(places)  # fixed(value, places), made once for every row
    fixed_at = _FIXED.get(places) or _FIXED.setdefault(places, {})
    heads = _HEADS.get
    copy = dict.copy
    rows = []
    # the result unpacked (a named tuple's fields read by name cost a lookup each); its actual and trace are
    # actual()'s and trace()'s, each written once for the file
    for r, span in zip(card.indicators, _rowspans(card), strict=True):
        ind, weight, score, status, tier, explanation, evidence, _, _, _ = r
        head = heads(id(ind))
        row = copy(head[2] if head is not None and head[1] == span else _head(ind, span))
        row["actual"] = actual(r)
        w = fixed_at.get(id(weight)) or _stored(fixed_at, id(weight), (weight, fix(weight)))
        row["weight"] = w[1]
        # a full-marks score is the weight itself; another is a number of its own, nearly always new
        row["score"] = w[1] if score is weight else fix(score)
        row["status"] = status
        row["tier"] = tier
        row["explanation"] = explanation
        row["evidence"] = [*evidence]
        row["trace"] = trace(r)
        rows.append(row)
    budget = _money(project.budget)  # the execution's budget is nearly always the project's own number
    view = {
        "code": code,
        "name": project.name,
        "department": job.targets.department,
        "unit": project.unit or job.targets.department,
        "rules": card.pack,
        "year": job.year,
        "file": str(job.path),
        "total": fixer(rounding.total.places)(card.total),
        "grade": card.grade,
        "budget": {
            "total": budget,
            "fiscal": _money(project.fiscal),
            "other": _money(project.other),
        },
        "execution": {
            "budget": budget if ex.budget is project.budget else _money(ex.budget),
            "spent": _money(ex.spent) if job.actuals[code].execution.spent is not None else None,
            "rate": _pct(ex.rate, places),
            "weight": plain(ex.weight),
            "score": fixer(rounding.execution.places)(ex.score),
            "trace": ex.trace,
            "explanation": ex.explanation,
        },
        "level1": [{"name": name, "weight": fix(w), "score": fix(s)} for name, w, s in card.level1],
        "indicators": rows,
        "findings": [
            {"severity": severity, "code": kind, "indicator": about, "message": message}
            for severity, kind, about, message in card.findings
        ],
        "notes": list(card.notes),
        "goals": list(project.goals),
        "summary": job.summaries.get(code),
        "purpose": project.purpose,
    }
    # the evaluator's own words for the Word report, only where the actuals file gives them
    if code in job.narratives:
        view["narrative"] = job.narratives[code]
    if code in job.signoffs:
        view["signoff"] = job.signoffs[code]
    if scored.priors is not None:
        view.update(_compared(card, scored))
    return view


def _compared(card: Scorecard, scored: Scored) -> dict[str, Any]:
    """With history: last year's recorded total (上年得分) and the change (同比, in points), null when not found."""
    assert scored.priors is not None
    prior = scored.priors.get(card.project.code)
    if prior is None:
        return {"previous": None, "change": None}
    places = scored.job.pack.rounding.total.places
    change = card.total - prior.total
    return {
        "previous": {"year": prior.year, "total": fixed(prior.total, places), "grade": prior.grade},
        "change": ("+" if change > 0 else "") + fixed(change, places),
    }


# A project's NDJSON line written straight from its scorecard: the bytes json.dumps(project_view(card, scored),
# ensure_ascii=False) writes in UTF-8, without the view's dicts and lists built first and walked again by an
# encoder (orjson's lines needed a pass to put json's spaces after commas). The fixed text (keys, separators)
# is written once into templates; strings are quoted by the json module's own C function and encoded once
# where they repeat: an indicator's target-table cells (the same rows recur across a batch's projects), the
# kept sentences, the names of the department, pack, grades and statuses. Assembled as bytes, not str: the
# Chinese text made a str template widen every ASCII part, and encoding it again cost more than it saved.
# Measured on one-2000 (view and encoding): NDJSON 1,401 -> 999 million instructions; the JSON report's
# indented entries written the same way cost 999 million against 978 by the view and orjson, so they stay.
# tests/test_fast_view.py compares every line with the encoded view.
_q = encode_basestring  # a str as json.dumps(ensure_ascii=False) writes it: quoted and escaped

# short names that recur in every project (department, unit, pack, file, grade, status, tier, level 1,
# severity, finding code), quoted and encoded; dropped by forget() with the sentences
_QUOTED: dict[str, bytes] = {}

# an indicator's quoted level 1 and its fixed cells from level2 to basis, by the indicator's id, kept with it
# (so the id is not reused while it stands); dropped by forget() with the sentences
_ROWS: dict[int, tuple[Indicator, bytes, bytes]] = {}

# the indicators' weights and scores fixed to the pack's places, by the places and the number's id, kept with
# the number: a batch's weights are a few dozen objects, and a met indicator's score is its weight (half of
# one-2000's scores are objects seen before); dropped by forget()
_NUMBERS: dict[int, dict[int, tuple[Decimal, bytes]]] = {}


def _quoted(text: str) -> bytes:
    return _stored(_QUOTED, text, _q(text).encode())


def _row(ind: Indicator) -> tuple[Indicator, bytes, bytes]:
    """An indicator's level 1 and its cells level2 to basis, quoted once for every project that has it."""
    cells = _CELLS % (_q(ind.level2), _q(ind.name), _q(ind.description), _q(ind.target), _q(ind.basis))
    return _stored(_ROWS, id(ind), (ind, _q(ind.level1).encode(), cells.encode()))


def _number(
    numbers: dict[int, tuple[Decimal, bytes]], value: Decimal, fix: Callable[[Decimal], str]
) -> tuple[Decimal, bytes]:
    return _stored(numbers, id(value), (value, fix(value).encode()))


def _obj(*items: str) -> str:
    return "{" + ", ".join(items) + "}"


def _list(items: list[bytes]) -> bytes:
    return b"[" + b", ".join(items) + b"]"


def _open(value: Any) -> bytes:
    """One of the view's few open values (a summary, a narrative, last year's total) as json writes it."""
    if value is None:
        return b"null"
    if type(value) is str:
        return _q(value).encode()
    return json.dumps(value, ensure_ascii=False).encode()


_PROJECT = _obj(
    *(f'"{k}": %s' for k in ("code", "name", "department", "unit", "rules", "year", "file")),
    '"total": "%s"',
    '"grade": %s',
    '"budget": ' + _obj('"total": %s', '"fiscal": %s', '"other": %s'),
    '"execution": '
    + _obj(
        *('"budget": %s', '"spent": %s', '"rate": "%s"', '"weight": "%s"', '"score": "%s"'),
        *('"trace": %s', '"explanation": %s'),
    ),
    *(f'"{k}": %s' for k in ("level1", "indicators", "findings", "notes", "goals", "summary")),
    '"purpose": %s%s',  # then the keys only some projects have, each with its separator
).encode()
_LEVEL1 = _obj('"name": %s', '"weight": "%s"', '"score": "%s"').encode()
_FINDING = _obj('"severity": %s', '"code": %s', '"indicator": %s', '"message": %s').encode()
_CELLS = ", ".join(f'"{k}": %s' for k in ("level2", "name", "description", "target", "basis"))
# an indicator's fixed text, cut where its eleven values go: joined with them by bytes.join, a little cheaper
# than a %-format parsing the template each time
_INDICATOR = (
    _obj(
        *('"level1": %s', '"level1_rows": %s', "%s", '"actual": %s', '"weight": "%s"', '"score": "%s"'),
        *('"status": %s', '"tier": %s', '"explanation": %s', '"evidence": %s', '"trace": %s'),
    )
    .encode()
    .split(b"%s")
)
_SPANS = [b"%d" % n for n in range(64)]  # a level-1 cell's rows, as JSON writes them


def _money_json(value: Decimal | None) -> bytes:
    return b"null" if value is None else b'"' + _cents(round_to(value, 2)).encode() + b'"'


def project_line(card: Scorecard, scored: Scored) -> bytes:
    """json.dumps(project_view(card, scored), ensure_ascii=False) in UTF-8 (without a line break)."""
    job = scored.job
    project = card.project
    code = project.code
    ex = card.execution
    rounding = job.pack.rounding
    places = rounding.places
    fix = fixer(places)
    department = job.targets.department
    quoted = _QUOTED.get
    rows = _ROWS
    numbers = _NUMBERS.get(places) or _NUMBERS.setdefault(places, {})
    i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11 = _INDICATOR
    join = b"".join
    indicators = []
    for r, span in zip(card.indicators, _rowspans(card), strict=True):
        ind = r.indicator
        row = rows.get(id(ind)) or _row(ind)
        status, tier, why, evidence = r.status, r.tier, r.explanation, r.evidence
        weight, score = r.weight, r.score
        w = numbers.get(id(weight)) or _number(numbers, weight, fix)
        s = numbers.get(id(score)) or _number(numbers, score, fix)
        indicators.append(
            join(
                (  # one flat tuple: a starred one is built as a list, then copied
                    i0,
                    row[1],
                    i1,
                    _SPANS[span] if span < 64 else b"%d" % span,
                    i2,
                    row[2],
                    i3,
                    _actual_json(r),
                    i4,
                    w[1],
                    i5,
                    s[1],
                    i6,
                    quoted(status) or _quoted(status),
                    i7,
                    b"null" if tier is None else quoted(tier) or _quoted(tier),
                    i8,
                    b"null" if why is None else _q(why).encode(),
                    i9,
                    _list([_q(e).encode() for e in evidence]) if evidence else b"[]",
                    i10,
                    _trace_json(r),
                    i11,
                )
            )
        )
    findings = [
        _FINDING
        % (
            quoted(f.severity) or _quoted(f.severity),
            quoted(f.code) or _quoted(f.code),
            b"null" if f.indicator is None else _q(f.indicator).encode(),
            _q(f.message).encode(),
        )
        for f in card.findings
    ]
    extra: dict[str, Any] = {}  # the keys only some projects have, as project_view adds them
    if code in job.narratives:
        extra["narrative"] = job.narratives[code]
    if code in job.signoffs:
        extra["signoff"] = job.signoffs[code]
    if scored.priors is not None:
        extra.update(_compared(card, scored))
    year = job.year
    unit = project.unit or department
    pack = card.pack
    path = str(job.path)
    grade = card.grade
    explanation = ex.explanation
    return _PROJECT % (
        _q(code).encode(),
        _q(project.name).encode(),
        quoted(department) or _quoted(department),
        quoted(unit) or _quoted(unit),
        quoted(pack) or _quoted(pack),
        b"%d" % year if type(year) is int else _open(year),
        quoted(path) or _quoted(path),
        fixer(rounding.total.places)(card.total).encode(),
        quoted(grade) or _quoted(grade),
        _money_json(project.budget),
        _money_json(project.fiscal),
        _money_json(project.other),
        _money_json(ex.budget),
        _money_json(ex.spent) if job.actuals[code].execution.spent is not None else b"null",
        _pct(ex.rate, places).encode(),
        plain(ex.weight).encode(),
        fixer(rounding.execution.places)(ex.score).encode(),
        _q(ex.trace).encode(),
        b"null" if explanation is None else _q(explanation).encode(),
        _list(
            [
                _LEVEL1 % (quoted(lvl.name) or _quoted(lvl.name), fix(lvl.weight).encode(), fix(lvl.score).encode())
                for lvl in card.level1
            ]
        ),
        _list(indicators),
        _list(findings),
        _list([_q(n).encode() for n in card.notes]),
        _list([_q(g).encode() for g in project.goals]),
        _open(job.summaries.get(code)),
        _q(project.purpose).encode(),
        b"".join(b", " + _q(k).encode() + b": " + _open(v) for k, v in extra.items()),
    )


def build(results: list[Scored]) -> dict[str, Any]:
    """The whole report: every project, and the department (or city) overview."""
    projects = [project_view(card, scored) for scored in results for card in scored.cards]
    forget()
    summary = RunningSummary()
    for scored in results:
        summary.grades_of(scored.job)
        for card in scored.cards:
            summary.add(card, scored.job)
    return assemble([Head.of(s.job, compared=s.priors is not None) for s in results], projects, summary)


def assemble(heads: list[Head], projects: list[Any], summary: RunningSummary) -> dict[str, Any]:
    """The report from its parts: the head of every file, the projects' entries, the summary."""
    compared = sorted({h.year - 1 for h in heads if h.compared})  # history: last year's totals shown beside
    history = {"history": {"compared_with": compared}} if compared else {}
    return {**report_head(heads), "projects": projects, "summary": summary.view(), **history}


@dataclass(frozen=True)
class Head:
    """What the report's head needs of one actuals file (small, so a streamed run keeps it for every file)."""

    rules: str
    rules_title: str
    year: int
    department: str
    compared: bool = False  # its projects were compared with last year's recorded run

    @classmethod
    def of(cls, job: Job, compared: bool = False) -> Head:
        """The head of one job."""
        return cls(job.pack.name, job.pack.title, job.year, job.targets.department, compared)


def report_head(heads: list[Head]) -> dict[str, Any]:
    """The keys before "projects": the rule pack (or "mixed"), the year, the departments in order."""
    packs = sorted({h.rules for h in heads})
    years = sorted({h.year for h in heads})
    return {
        "rules": packs[0] if len(packs) == 1 else "mixed",
        "rules_title": heads[0].rules_title if len(packs) == 1 else "多套规则",
        "year": years[0] if len(years) == 1 else None,
        "departments": list(dict.fromkeys(h.department for h in heads if h.department)),
    }


def _share(fraction: Decimal | None, places: int) -> str | None:
    return None if fraction is None else _pct(fraction, places)


def monitor_view(card: MonitorCard, job: Job) -> dict[str, Any]:
    s = card.spending
    places = job.pack.rounding.places
    return {
        "code": card.project.code,
        "name": card.project.name,
        "department": job.targets.department,
        "light": card.light,
        "spending": {
            "budget": _money(s.budget),
            "spent": _money(s.spent),
            "actual": _pct(s.actual, places),
            "planned": _pct(s.planned, places),
            "lag": fixed(round_to(s.lag, places), places),
            "ratio": _share(s.ratio, places),
            "basis": s.basis,
            "light": s.light,
            "cause": s.cause,
            "outlook": s.outlook,
        },
        "indicators": [
            {
                "level1": i.indicator.level1,
                "name": i.indicator.name,
                "target": i.indicator.target,
                "actual": i.actual,
                "expected": i.expected,
                "progress": _share(i.progress, places),
                "light": i.light,
                "note": i.note,
                "cause": i.cause,
                "outlook": i.outlook,
            }
            for i in card.indicators
        ],
        "findings": [
            {"severity": f.severity, "code": f.code, "indicator": f.indicator, "message": f.message}
            for f in card.findings
        ],
    }


def build_monitor(results: list[Monitored], as_of: date) -> dict[str, Any]:
    """The monitoring report, worst first: by the project's light as shown (红 > 黄 > 绿 > 蓝), then its
    spending light, then spending progress."""
    pairs = [(card, m.job) for m in results for card in m.cards]
    pairs.sort(
        key=lambda cj: (
            WORST_FIRST.index(cj[0].light),
            WORST_FIRST.index(cj[0].spending.light),
            cj[0].spending.ratio if cj[0].spending.ratio is not None else Decimal(10**6),
            cj[0].project.code,
        )
    )
    cards = [c for c, _ in pairs]
    budget = sum((c.spending.budget for c in cards), ZERO)
    spent = sum((c.spending.spent for c in cards), ZERO)
    severities = Counter(f.severity for c in cards for f in c.findings)
    packs = sorted({m.job.pack.name for m in results})
    return {
        "as_of": as_of.isoformat(),
        "rules": packs[0] if len(packs) == 1 else "mixed",
        "rules_title": results[0].job.pack.title if len(packs) == 1 and results else "多套规则",
        "year": as_of.year,
        "departments": list(dict.fromkeys(m.job.targets.department for m in results if m.job.targets.department)),
        "projects": [monitor_view(c, j) for c, j in pairs],
        "summary": {
            "projects": len(cards),
            "budget": _money(budget),
            "spent": _money(spent),
            "actual": _pct(spent / budget) if budget else None,
            "lights": {light: sum(1 for c in cards if c.light == light) for light in WORST_FIRST},
            "findings": {"error": severities.get("error", 0), "warning": severities.get("warning", 0)},
        },
    }


_SEVERITY = attrgetter("severity")


class RunningSummary:
    """The report's summary, accumulated project by project (for streamed output)."""

    def __init__(self) -> None:
        self.projects = 0
        self.budget = ZERO
        self.spent = ZERO
        self.weighted = ZERO
        self.grades: Counter[str] = Counter()
        self.grade_names: list[str] = []
        self.severities: Counter[str] = Counter()
        self.listed: object = None  # the grades of the pack last listed (a file's projects share its pack)

    def add(self, card: Scorecard, job: Job) -> None:
        ex = card.execution
        budget = ex.budget
        self.projects += 1
        self.budget += budget
        self.spent += ex.spent
        self.weighted += card.total * budget
        self.grades[card.grade] += 1
        if job.pack.grades is not self.listed:
            self.grades_of(job)
        if card.findings:  # counted in C by Counter.update (CPython's private _count_elements saves only ~0.1%)
            self.severities.update(map(_SEVERITY, card.findings))

    def grades_of(self, job: Job) -> None:
        """The grade names of a file's pack, listed in the summary even when no project earned them."""
        grades = self.listed = job.pack.grades
        self.grade_names += [g for g, _ in grades if g not in self.grade_names]

    def merge(self, other: RunningSummary) -> None:
        """Add another file's summary (scored elsewhere, in another process): the same as adding its projects."""
        self.projects += other.projects
        self.budget += other.budget
        self.spent += other.spent
        self.weighted += other.weighted
        self.grades.update(other.grades)
        self.grade_names += [g for g in other.grade_names if g not in self.grade_names]
        self.severities.update(other.severities)

    def view(self) -> dict[str, Any]:
        b = self.budget
        return {
            "projects": self.projects,
            "budget": _money(b),
            "spent": _money(self.spent),
            "rate": _pct(self.spent / b) if b else None,
            "average": fixed(round_to(self.weighted / b, 2)) if b else None,
            "grades": {g: self.grades.get(g, 0) for g in self.grade_names},
            "findings": {"error": self.severities.get("error", 0), "warning": self.severities.get("warning", 0)},
        }
