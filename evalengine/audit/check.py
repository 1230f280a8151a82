"""A published table audited: each printed score recomputed under a pack, row by row, within the table's
own rounding, and every contradiction given a reason code.

The rules are the scoring engine's: rows are weighted by `Scorer.weights`, judged by
`IndicatorScorer.indicator` and the 资金 row by `Scorer.execution`, and the total is `Scorer.score`'s, so
every kind of target the engine scores is audited without a line here. What the audit adds is the
comparison: the rounding convention the table prints in, inferred from its own scores, and the verdicts.
Explanations and problems speak the language of the run (evalengine.i18n); the traces of the rules'
arithmetic are the reports' Chinese, as the scoring engine writes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from evalengine.audit.model import BudgetAudit, Check, Convention, RowAudit, TableAudit
from evalengine.audit.read import AuditFile, Printed, printed_number, printed_rate
from evalengine.errors import ErrorGroup, EvalEngineError, InputError, KeyPath, Location
from evalengine.i18n import _
from evalengine.inputs.collect import money
from evalengine.inputs.observations import observation
from evalengine.inputs.targets import read_project
from evalengine.language.predicates import Deadline
from evalengine.model import Execution, Finding, Indicator, Observation, Project, ProjectActuals
from evalengine.numbers import HUNDRED, ONE, ZERO, fixed, plain, round_to
from evalengine.packs.model import Pack, Rounding
from evalengine.scoring.engine import Scorer
from evalengine.scoring.results import IndicatorResult
from evalengine.sources.documents import Document
from evalengine.text import nfkc

EXACT = 12  # places of the exact recomputation: the table's convention rounds once, from these
MODES = ("half_up", "down")  # the conventions tables print in: rounded, or truncated
_PRINTED_ONLY = ("actual", "score", "explanation", "evidence")  # a row's keys the targets reader does not take


class _Scorers:
    """The engine under one pack, at the exact places and at each rounding convention tried."""

    def __init__(self, pack: Pack):
        self.pack = pack
        self._made: dict[tuple[int, str, int], Scorer] = {}

    def at(self, places: int, mode: str = "half_up", total_places: int | None = None) -> Scorer:
        key = (places, mode, places if total_places is None else total_places)
        scorer = self._made.get(key)
        if scorer is None:
            total = Rounding(key[2], mode) if key[2] != places else None
            rounding = Rounding(places, mode, None, total)
            scorer = self._made[key] = Scorer(dataclasses.replace(self.pack, rounding=rounding))
        return scorer

    @property
    def exact(self) -> Scorer:
        return self.at(EXACT)


_SCORERS: dict[int, tuple[Pack, _Scorers]] = {}


def scorers_for(pack: Pack) -> _Scorers:
    """The audit's scorers of `pack`, built once per pack object."""
    entry = _SCORERS.get(id(pack))
    if entry is None or entry[0] is not pack:
        entry = _SCORERS[id(pack)] = (pack, _Scorers(pack))
    return entry[1]


class _Renamed(Document):
    """The published table seen as a targets-file project (name: for project:, weights.execution for
    budget.weight, the rows the reader takes), every error still located in the file as written."""

    def __init__(self, doc: Document, at: KeyPath, rows: list[int]):
        super().__init__(doc.data, doc.file, doc.marks, doc.cells)
        self.base, self.at, self.rows = doc, at, rows

    def where(self, path: KeyPath) -> Location:
        n = len(self.at)
        if path[:n] == self.at and len(path) > n:
            rest = path[n:]
            if rest[0] == "name":
                rest = ("project", *rest[1:])
            elif rest[0] == "weights":
                rest = ("budget", "weight")
            elif rest[0] == "indicators" and len(rest) > 1 and isinstance(rest[1], int) and rest[1] < len(self.rows):
                rest = ("indicators", self.rows[rest[1]], *rest[2:])
            path = (*self.at, *rest)
        return self.base.where(path)


class _Row:
    """What the audit knows of one printed row while it works."""

    def __init__(self, j: int, item: dict[str, Any], where: Location):
        self.j = j
        self.item = item
        self.where = where
        self.weight = Printed(None)
        self.score = Printed(None)
        self.ind: Indicator | None = None
        self.obs: Observation | None = None
        self.result: IndicatorResult | None = None  # exact
        self.audit: RowAudit | None = None
        self.problem: str | None = None  # why it cannot be checked


def _errors(exc: EvalEngineError) -> list[EvalEngineError]:
    return list(exc.errors) if isinstance(exc, ErrorGroup) else [exc]


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return "" if value is None else str(value)
    return str(value).strip()


def _unknown(key: Any, where: Location, allowed: tuple[str, ...]) -> InputError:
    """A key the table does not take (the words of evalengine.text.unknown_key, without a suggestion)."""
    message = _("unknown key {key!r}{suggestion}", key=key, suggestion="")
    return InputError(message, where, _("allowed here: {keys}", keys=", ".join(allowed)))


def _then(first: str | None, then: str) -> str:
    """Two explanations of one verdict, one after the other."""
    return _("{first}; {then}", first=first, then=then) if first else then


def audit_table(f: AuditFile, at: tuple[str, int], pack: Pack) -> TableAudit:
    """Audit the table at `at` in `f` under `pack`. Never raises on what the table prints: what cannot be
    read is a located problem, and its row (or check) is unchecked; everything else is audited."""
    doc = f.doc
    entry = doc.data["tables"][at[-1]]
    where = doc.where(at)
    problems: list[tuple[str, Location]] = []
    notes: list[tuple[str, Location]] = []
    s = scorers_for(pack)

    def problem(exc: EvalEngineError) -> None:
        for e in _errors(exc):
            problems.append((e.message, e.location or where))

    if not isinstance(entry, dict):
        problem(InputError(_("expected a table (project:, budget:, indicators:, total:)"), where))
        entry = {}
    from evalengine.audit.read import BUDGET_KEYS, TABLE_KEYS

    for key in entry:
        if key not in TABLE_KEYS:
            problem(_unknown(key, doc.where((*at, key)), TABLE_KEYS))
    name = _text(entry.get("project"))
    code = _text(entry.get("code"))
    department = _text(entry.get("department")) or f.department

    # ---- the 资金 row as printed
    budget: dict[str, Any] = entry["budget"] if isinstance(entry.get("budget"), dict) else {}
    if entry.get("budget") is not None and not isinstance(entry.get("budget"), dict):
        keys = "{initial:, adjusted:, spent:, rate:, weight:, score:}"
        problem(InputError(_("budget: expected {keys}", keys=keys), doc.where((*at, "budget"))))
    for key in budget:
        if key not in BUDGET_KEYS:
            problem(_unknown(key, doc.where((*at, "budget", key)), BUDGET_KEYS))

    def attempt(fn: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        try:
            return fn(*args)
        except EvalEngineError as exc:
            problem(exc)
            return default

    def b_where(key: str) -> Location:
        return doc.where((*at, "budget", key))

    amounts: dict[str, Decimal | None] = {}
    for key in ("initial", "adjusted", "spent"):
        value = budget.get(key)
        empty = value is None or nfkc(str(value)).strip() in ("", "—", "-", "/")
        amounts[key] = None if empty else attempt(money, value, b_where(key), key)
    b_weight = attempt(printed_number, budget.get("weight"), b_where("weight"), "weight", default=Printed(None))
    b_score = attempt(printed_number, budget.get("score"), b_where("score"), "score", default=Printed(None))
    b_rate = attempt(printed_rate, budget.get("rate"), b_where("rate"), default=Printed(None))
    total = attempt(printed_number, entry.get("total"), doc.where((*at, "total")), "total", default=Printed(None))

    # ---- the rows as printed, and as the targets reader takes them
    items = entry.get("indicators")
    if not isinstance(items, list) or not items:
        problem(
            InputError(_("indicators: expected the table's list of indicator rows"), doc.where((*at, "indicators")))
        )
        items = []
    rows: list[_Row] = []
    taken: list[dict[str, Any]] = []
    taken_rows: list[int] = []
    for j, item in enumerate(items):
        here: KeyPath = (*at, "indicators", j)
        row = _Row(j, item if isinstance(item, dict) else {}, doc.where(here))
        rows.append(row)
        if not isinstance(item, dict):
            row.problem = _("expected an indicator row (level1:, name:, target:, actual:, weight:, score:)")
            problem(InputError(row.problem, row.where))
            continue
        try:
            row.weight = printed_number(item.get("weight"), doc.where((*here, "weight")), "weight")
            row.score = printed_number(item.get("score"), doc.where((*here, "score")), "score")
            if row.weight.na:
                raise InputError(
                    _("weight: 分值 cannot be 不适用; 不适用 goes in the score or actual"), doc.where((*here, "weight"))
                )
        except EvalEngineError as exc:
            row.problem = exc.message
            problem(exc)
            continue
        taken.append({k: v for k, v in item.items() if k not in _PRINTED_ONLY})
        taken_rows.append(j)
    adjusted, initial, spent = amounts["adjusted"], amounts["initial"], amounts["spent"]
    base = next((a for a in (adjusted, initial) if a is not None and a > 0), None)
    project_map: dict[str, Any] = {
        "code": code or f"表{at[-1] + 1}",
        "name": name or f"表{at[-1] + 1}",
        "budget": plain(base) if base is not None else "1",
        "indicators": taken,
    }
    if b_weight.value is not None:
        project_map["weights"] = {"execution": b_weight.text}
    project: Project | None = None
    if taken:
        renamed = _Renamed(doc, at, taken_rows)
        project, errors, notices = read_project(renamed, project_map, at, pack.vocabulary)
        for e in errors:
            path = e.location.path if e.location is not None else None
            if isinstance(path, tuple) and len(path) > len(at) + 1 and path[len(at)] == "indicators":
                index = path[len(at) + 1]
                if isinstance(index, int) and index < len(rows) and rows[index].problem is None:
                    rows[index].problem = e.message
            problem(e)
        for n in notices:
            notes.append((n.finding.message, n.where))
    if project is not None:  # which printed row each indicator the reader kept came from
        pending = [rows[j] for j in taken_rows]
        k = 0
        for ind in project.indicators:
            while k < len(pending) and nfkc(_text(pending[k].item.get("name"))) != nfkc(ind.name):
                k += 1
            if k < len(pending):
                pending[k].ind = ind
                k += 1
    for row in rows:
        if row.ind is None and row.problem is None:
            row.problem = _("this row could not be read (see the table's problems)")

    # ---- actuals, read as the target asks
    execution = Execution(
        spent if base is not None else None,
        adjusted if adjusted is not None and adjusted > 0 else None,
        initial,
        adjusted if adjusted is not None and adjusted > 0 else None,
        rate=b_rate.value,
    )
    if spent is not None and base is None and b_rate.value is None:
        problem(InputError(_("the 资金 row gives 全年执行数 but no 预算数 to divide it by"), b_where("spent")))
    for row in rows:
        if row.ind is None:
            continue
        here = (*at, "indicators", row.j)
        actual = row.item.get("actual")
        explanation = _text(row.item.get("explanation")) or None
        if row.score.na and (actual is None or _text(actual) == ""):
            actual = "不适用"
        if actual is None or (isinstance(actual, str) and not actual.strip()):
            continue
        try:
            obs = observation(actual, row.ind.predicate, pack.vocabulary, doc.where((*here, "actual")))
        except EvalEngineError as exc:
            row.problem = exc.message
            problem(exc)
            continue
        row.obs = dataclasses.replace(obs, explanation=obs.explanation or explanation)

    year = f.year
    weights: list[Decimal | None] = [None] * len(rows)
    allocated_execution: Decimal | None = None
    if project is not None:
        kept = [r for r in rows if r.ind is not None]
        na = frozenset(i for i, r in enumerate(kept) if r.obs is not None and r.obs.na)
        skip = na if pack.not_applicable == "redistribute" else frozenset()
        try:
            allocation = s.exact.weights(project, skip)
            for r, w in zip(kept, allocation.weights, strict=True):
                weights[r.j] = w
            allocated_execution = allocation.execution
        except EvalEngineError as exc:
            problem(exc)
            project = None

    # ---- each row recomputed exactly
    scratch: list[Finding] = []
    for row in rows:
        if project is None or row.ind is None or row.obs is None:
            continue
        if isinstance(row.ind.predicate, Deadline) and row.ind.predicate.year is None and year is None:
            row.problem = _("no year (year:): the due date cannot be worked out")
            continue
        try:
            row.result = s.exact.indicator(
                row.ind, weights[row.j] or ZERO, row.obs, project, execution, year or 2000, scratch
            )
        except EvalEngineError as exc:
            fallback = _by_printed_score(row, weights[row.j], project, execution, year, s)
            if fallback is None:
                row.problem = exc.message
                problem(exc)
            else:
                row.result = fallback
    # ---- the 资金 row recomputed exactly
    b_exact = None
    budget_weight = b_weight.value if b_weight.value is not None else allocated_execution
    if project is not None and (execution.spent is not None or execution.rate is not None):
        try:
            b_exact = s.exact.execution(project, execution, [], budget_weight)
        except EvalEngineError as exc:
            problem(exc)

    # ---- the table's rounding convention, from its own printed scores
    convention = _infer(rows, weights, b_score, b_exact, budget_weight, project, execution, year, s)
    conv = s.at(convention.places, convention.mode)

    # ---- verdicts
    for row in rows:
        row.audit = _judge_row(row, weights[row.j], convention, conv, project, execution, year, pack)
    _non_monotone(rows)
    budget_audit = _judge_budget(
        b_score, b_weight, b_rate, b_exact, budget_weight, convention, conv, project, execution
    )
    weights_check = _judge_weights(rows, b_weight)
    total_check, printed_sum, total_places = _judge_total(
        total, rows, b_score, b_weight, budget_audit, convention, s, project, execution, year, pack
    )
    audits = [r.audit for r in rows if r.audit is not None]
    return TableAudit(
        name,
        code,
        department,
        doc.file,
        where,
        convention,
        budget_audit,
        audits,
        weights_check,
        total_check,
        printed_sum,
        problems,
        total_places,
        notes,
    )


def _by_printed_score(
    row: _Row, weight: Decimal | None, project: Project, execution: Execution, year: int | None, s: _Scorers
) -> IndicatorResult | None:
    """A target judged in tiers whose actual does not decide the tier (保持稳定 with only this year's
    count): the evaluator's tier is the one the printed score falls in, as the engine reads a score alone."""
    assert row.ind is not None and row.obs is not None
    if row.ind.predicate.tiers == "never" or row.score.value is None or weight is None:
        return None
    obs = Observation(score=row.score.value, text=row.obs.text, explanation=row.obs.explanation)
    try:
        return s.exact.indicator(row.ind, weight, obs, project, execution, year or 2000, [])
    except EvalEngineError:
        return None


def _infer(
    rows: list[_Row],
    weights: list[Decimal | None],
    b_score: Printed,
    b_exact: Any,
    budget_weight: Decimal | None,
    project: Project | None,
    execution: Execution,
    year: int | None,
    s: _Scorers,
) -> Convention:
    """The convention under which most printed scores are what the rules give: places no fewer than the
    table writes, then fewest places, then the pack's mode. Tiered rows (a band, not one score) do not vote."""
    written = [r.score for r in rows if r.score.value is not None] + ([b_score] if b_score.value is not None else [])
    least = max((p.places for p in written), default=0)
    votes: list[tuple[Decimal, Callable[[Scorer], Decimal]]] = []
    if project is not None:
        for r in rows:
            result = r.result
            if result is None or result.tier is not None or r.score.value is None or r.ind is None or not r.ind.scored:
                continue
            if r.obs is None or r.obs.na or r.weight.value is None:
                continue
            ind, obs, w = r.ind, r.obs, weights[r.j] or ZERO

            def again(scorer: Scorer, ind: Indicator = ind, obs: Observation = obs, w: Decimal = w) -> Decimal:
                return scorer.indicator(ind, w, obs, project, execution, year or 2000, []).score

            votes.append((r.score.value, again))
        if b_exact is not None and b_score.value is not None:

            def execution_again(scorer: Scorer) -> Decimal:
                return scorer.execution(project, execution, [], budget_weight).score

            votes.append((b_score.value, execution_again))
    preferred = s.pack.rounding.mode if s.pack.rounding.mode in MODES else "half_up"
    modes = (preferred, *(m for m in MODES if m != preferred))
    best: tuple[int, int, int] | None = None
    chosen = (least, preferred)
    agree: dict[tuple[int, str], int] = {}
    for places in range(least, max(least, 2) + 1):
        for rank, mode in enumerate(modes):
            scorer = s.at(places, mode)
            n = sum(1 for printed, again in votes if _same(printed, again, scorer))
            agree[(places, mode)] = n
            key = (n, -places, -rank)
            if best is None or key > best:
                best, chosen = key, (places, mode)
    evidence = tuple((mode, agree.get((chosen[0], mode), 0)) for mode in MODES)
    return Convention(chosen[0], chosen[1], evidence)


def _same(printed: Decimal, again: Callable[[Scorer], Decimal], scorer: Scorer) -> bool:
    try:
        return again(scorer) == printed
    except EvalEngineError:
        return False


def _shown(value: Decimal, places: int) -> str:
    return fixed(round_to(value, places), places)


def _interval(p: Decimal, c: Convention) -> tuple[Decimal, Decimal]:
    """The exact scores that print as `p` under convention `c`: [low, high)."""
    unit = ONE.scaleb(-c.places)
    return (p - unit / 2, p + unit / 2) if c.mode == "half_up" else (p, p + unit)


def _in_band(p: Decimal, w: Decimal, tier: str, c: Convention, pack: Pack) -> tuple[bool, Decimal, Decimal]:
    """Whether some score of tier `tier`'s band would print as `p` in this table; and the band in points."""
    band = pack.tier(tier).band
    low, high = band.low * w, band.high * w
    if w <= 0:
        return p == 0, low, high
    a, b = _interval(p, c)
    lower, upper = max(a, low), min(b, high)
    if lower < upper:
        return True, low, high
    if lower == upper:
        return (a <= lower < b) and (lower / w in band), low, high
    return False, low, high


def _judge_row(
    row: _Row,
    weight: Decimal | None,
    c: Convention,
    conv: Scorer,
    project: Project | None,
    execution: Execution,
    year: int | None,
    pack: Pack,
) -> RowAudit:
    item = row.item
    ind = row.ind
    name = ind.name if ind is not None else _text(item.get("name"))
    level1 = ind.level1 if ind is not None else _text(item.get("level1"))
    level2 = ind.level2 if ind is not None else _text(item.get("level2"))
    target = ind.target if ind is not None else _text(item.get("target"))
    actual = _text(item.get("actual"))
    p = row.score
    check = Check(p.text, None)
    audit = RowAudit(name, level1, level2, target, actual, row.weight.value, check, row.where)
    audit.scored = ind.scored if ind is not None else not nfkc(name).startswith("其中")
    result = row.result
    if result is not None:
        audit.status, audit.tier = result.status, result.tier

    def verdict(v: str, reason: str | None = None, why: str | None = None) -> RowAudit:
        check.verdict = v  # type: ignore[assignment]
        check.reasons = [reason] if reason else []
        check.explanation = why
        return audit

    if row.problem is not None and not (ind is not None and not ind.scored and (p.value or ZERO) == 0):
        return verdict("unchecked", None, _("cannot check: {problem}", problem=row.problem))
    if ind is not None and not ind.scored:  # a 其中 row: the rules give it nothing
        if p.value is None or p.value == 0:
            audit.trace = "其中项，不计分"
            check.recomputed = ZERO if p.value is not None else None
            return verdict("consistent")
        if not nfkc(ind.name).startswith("其中"):
            why = _(
                "no weight given, so the row counts as a 其中 row that scores nothing: "
                "its score {score} cannot be checked",
                score=p.text,
            )
            return verdict("unchecked", None, why)
        check.recomputed = ZERO
        why = _("a 其中 row scores nothing, but the table gives it {score}", score=p.text)
        return verdict("inconsistent", "off-rule", why)
    na = row.obs is not None and row.obs.na
    if na:
        check.recomputed = ZERO
        audit.status = "na"
        audit.trace = "不适用，不计分，总分按适用分值折算"
        if p.value is None or p.value == 0:
            return verdict("consistent")
        why = _("the actual value is 不适用 and scores nothing, but the table gives {score}", score=p.text)
        return verdict("inconsistent", "off-rule", why)
    if p.na:
        why = _("the score is given as 不适用, but the actual value is {actual}", actual=actual)
        return verdict("inconsistent", "off-rule", why)
    if p.value is None:
        return verdict("unchecked", None, _("no score given: nothing to check"))
    if row.weight.value is None:
        return verdict("unchecked", None, _("no weight given: the score cannot be checked"))
    if row.obs is None:
        return verdict("unchecked", None, _("no actual value given: the score cannot be checked"))
    if result is None or project is None or ind is None:
        return verdict("unchecked", None, _("the score cannot be recomputed"))
    w = row.weight.value
    score = p.value
    if result.tier is not None:  # a band of the weight: the evaluator's score anywhere inside it is the rule's
        ok, low, high = _in_band(score, w, result.tier, c, pack)
        audit.band = (low, high)
        audit.trace = f"{result.tier}，得分区间{_band_text(low, high, pack.tier(result.tier).band, c)}"
        if ok and score <= w:
            check.recomputed = score
            return verdict("consistent")
        check.recomputed = result.score  # the tier's default share, as the rules give without a judgment
        band = _band_text(low, high, pack.tier(result.tier).band, c)
        if score > w:
            return verdict("inconsistent", "score-above-weight", _above(p.text, w))
        if score == w and result.tier != pack.tiers[0].name:
            why = _(
                "judged {tier} (scores {band}), yet given full marks, {score}",
                tier=result.tier,
                band=band,
                score=p.text,
            )
            return verdict("inconsistent", "missed-full-marks", why)
        why = _(
            "judged {tier}: the score should lie in {band}, the table gives {score}",
            tier=result.tier,
            band=band,
            score=p.text,
        )
        return verdict("inconsistent", "off-rule", why)
    check.recomputed = result.score
    expected_result = conv.indicator(ind, weight or ZERO, row.obs, project, execution, year or 2000, [])
    expected = expected_result.score
    audit.trace = expected_result.trace
    shown = fixed(expected, c.places)
    if score > w:
        return verdict("inconsistent", "score-above-weight", _above(p.text, w))
    if score == expected:
        return verdict("consistent")
    actual, target = audit.actual, audit.target
    if result.status == "met" and expected == w and score < w:
        why = _(
            "actual {actual}, target {target}: met, so full marks, {expected}; the table gives {score}",
            actual=actual,
            target=target,
            expected=shown,
            score=p.text,
        )
        return verdict("inconsistent", "met-docked", why)
    if result.status != "met" and score == w:
        why = _(
            "actual {actual}, target {target}: not met, so {expected} under the rules; the table gives full marks, "
            "{score}",
            actual=actual,
            target=target,
            expected=shown,
            score=p.text,
        )
        return verdict("inconsistent", "missed-full-marks", why)
    why = _(
        "{expected} under the rules ({trace}); the table gives {score}",
        expected=shown,
        trace=expected_result.trace,
        score=p.text,
    )
    return verdict("inconsistent", "off-rule", why)


def _above(score: str | None, weight: Decimal) -> str:
    return _("the score {score} is above the weight {weight}", score=score, weight=plain(weight))


def _band_text(low: Decimal, high: Decimal, band: Any, c: Convention) -> str:
    left, right = "[" if band.low_closed else "(", "]" if band.high_closed else ")"
    places = max(c.places, 2)
    return f"{left}{_shown(low, places)}, {_shown(high, places)}{right}"


def _non_monotone(rows: list[_Row]) -> None:
    """An inconsistent row whose score ranks it against another row the other way round from its result
    (both as shares of their weights): non-monotone, naming the other row."""
    ranked = [
        r
        for r in rows
        if r.audit is not None
        and r.result is not None
        and r.audit.tier is None
        and r.audit.status in ("met", "partial", "unmet")
        and r.audit.check.verdict != "unchecked"
        and r.audit.check.recomputed is not None
        and r.score.value is not None
        and r.weight.value
    ]
    for r in ranked:
        a = r.audit
        assert a is not None and a.check.recomputed is not None and r.weight.value and r.score.value is not None
        if a.check.verdict != "inconsistent" or a.check.reasons[0] in ("score-above-weight",):
            continue
        mine, got = a.check.recomputed / r.weight.value, r.score.value / r.weight.value
        for other in ranked:
            o = other.audit
            if other is r or o is None or o.check.recomputed is None or other.score.value is None:
                continue
            assert other.weight.value
            theirs, their_got = o.check.recomputed / other.weight.value, other.score.value / other.weight.value
            better = mine > theirs and got < their_got
            worse = mine < theirs and got > their_got
            if not (better or worse):
                continue
            share, other_share = _pct(got), _pct(their_got)
            if better:
                note = _(
                    "did better than {other!r} but scores a lower share ({share}% against {other_share}%)",
                    other=o.name,
                    share=share,
                    other_share=other_share,
                )
            else:
                note = _(
                    "did worse than {other!r} but scores a higher share ({share}% against {other_share}%)",
                    other=o.name,
                    share=share,
                    other_share=other_share,
                )
            if a.check.reasons[0] == "off-rule":
                a.check.reasons.insert(0, "non-monotone")
            else:
                a.check.reasons.append("non-monotone")
            a.check.explanation = _then(a.check.explanation, note)
            break


def _pct(fraction: Decimal) -> str:
    return fixed(round_to(fraction * HUNDRED, 1), 1)


def _judge_budget(
    p: Printed,
    weight: Printed,
    rate: Printed,
    exact: Any,
    budget_weight: Decimal | None,
    c: Convention,
    conv: Scorer,
    project: Project | None,
    execution: Execution,
) -> BudgetAudit:
    check = Check(p.text, exact.score if exact is not None else None)
    audit = BudgetAudit(weight.value, exact.rate if exact is not None else None, rate.text, check)
    if p.value is None:
        check.explanation = _("the 资金 row gives no score: nothing to check")
        return audit
    if weight.value is None:
        check.explanation = _("the 资金 row gives no weight: its score cannot be checked")
        return audit
    if exact is None or project is None:
        check.explanation = _(
            "the 资金 row gives neither the amount spent (with the budget) nor the rate: it cannot be recomputed"
        )
        return audit
    findings: list[Finding] = []
    expected_result = conv.execution(project, execution, findings, budget_weight)
    expected = expected_result.score
    audit.trace = expected_result.trace
    if p.value > weight.value:
        check.verdict, check.reasons = "inconsistent", ["score-above-weight"]
        check.explanation = _(
            "the 资金 row's score {score} is above its weight {weight}", score=p.text, weight=plain(weight.value)
        )
    elif p.value == expected:
        check.verdict = "consistent"
    else:
        check.verdict, check.reasons = "inconsistent", ["execution-mismatch"]
        why = _("{trace}; the table gives {score}", trace=expected_result.trace, score=p.text)
        for f in findings:
            if f.code == "execution-rate-differs":
                why = _then(why, f.message)
        check.explanation = why
    return audit


def _judge_weights(rows: list[_Row], b_weight: Printed) -> Check:
    scored = [r for r in rows if r.audit is not None and r.audit.scored]
    if b_weight.value is None or any(r.weight.value is None for r in scored):
        return Check(None, None, "unchecked", [], _("some weights are not given: their sum cannot be checked"))
    total = b_weight.value + sum((r.weight.value or ZERO for r in scored), ZERO)
    check = Check(plain(total), HUNDRED)
    if total == HUNDRED:
        check.verdict = "consistent"
    else:
        parts = "+".join(plain(w) for w in [b_weight.value, *(r.weight.value or ZERO for r in scored)])
        check.verdict, check.reasons = "inconsistent", ["weights-not-100"]
        check.explanation = _("the weights add up to {total} ({parts}), not 100", total=plain(total), parts=parts)
    return check


def _judge_total(
    p: Printed,
    rows: list[_Row],
    b_score: Printed,
    b_weight: Printed,
    budget: BudgetAudit,
    c: Convention,
    s: _Scorers,
    project: Project | None,
    execution: Execution,
    year: int | None,
    pack: Pack,
) -> tuple[Check, Decimal | None, int]:
    places = p.places or c.places  # a total printed to fewer places than its scores is rounded; 100 is not 99.7
    check = Check(p.text, None)
    scored = [r for r in rows if r.audit is not None and r.audit.scored]
    applicable = [r for r in scored if r.audit is not None and r.audit.status != "na" and not r.score.na]
    printed_sum: Decimal | None = None
    recomputed_ok, shown_total = False, ""
    if b_score.value is not None and all(r.score.value is not None for r in applicable):
        printed_sum = b_score.value + sum((r.score.value or ZERO for r in applicable), ZERO)
    # the score the table would have under the rules: only when every row could be recomputed
    if (
        project is not None
        and budget.check.recomputed is not None
        and all(
            r.audit is not None and r.audit.check.verdict != "unchecked" and r.audit.check.recomputed is not None
            for r in scored
        )
    ):
        observations: dict[str, Observation] = {}
        for r in rows:
            if r.ind is None or r.obs is None:
                continue
            obs = r.obs
            a = r.audit
            if a is not None and a.tier is not None and a.check.recomputed is not None:
                w = r.weight.value or ZERO
                given = a.check.recomputed
                inside = w > 0 and given / w in pack.tier(a.tier).band
                obs = Observation(tier=a.tier, score=given if inside else None, explanation=obs.explanation)
            observations[nfkc(r.ind.name)] = obs
        actuals = ProjectActuals(project.code, execution, observations)
        try:
            exact = s.exact.score(project, actuals, year or 2000)
            printed_way = s.at(c.places, c.mode, places).score(project, actuals, year or 2000)
            check.recomputed = exact.total
            recomputed_ok = p.value is not None and p.value in (
                printed_way.total,
                round_to(exact.total, places, c.mode),
            )
            shown_total = fixed(printed_way.total, places)
        except EvalEngineError:
            check.recomputed = None
    if p.value is None:
        check.explanation = _("no total given: nothing to check")
        return check, printed_sum, places
    reasons: list[str] = []
    why: list[str] = []
    if printed_sum is not None:
        candidates = [printed_sum]
        weights = [b_weight.value, *(r.weight.value for r in applicable)]
        if all(w is not None for w in weights):
            applicable_weight = sum((w or ZERO for w in weights), ZERO)
            if applicable_weight and applicable_weight != HUNDRED:
                candidates.append(printed_sum * HUNDRED / applicable_weight)
        rate = budget.rate
        capped = []
        for value in candidates:
            capped.append(value)
            value = min(value, HUNDRED)
            capped.append(value)
            for band, cap in pack.caps:
                if rate is not None and rate in band and value > cap:
                    capped.append(cap)
        if not any(p.value == round_to(v, places, c.mode) for v in capped):
            reasons.append("total-not-sum")
            added = fixed(printed_sum, max(c.places, 0))
            why.append(_("the scores add up to {added}, the table's total is {total}", added=added, total=p.text))
    if check.recomputed is not None:
        if not recomputed_ok:
            reasons.append("total-mismatch")
            why.append(
                _(
                    "the total recomputed under the rules is {expected}, the table's is {total}",
                    expected=shown_total,
                    total=p.text,
                )
            )
    if reasons:
        explanation = why[0]
        for more in why[1:]:
            explanation = _then(explanation, more)
        check.verdict, check.reasons, check.explanation = "inconsistent", reasons, explanation
    elif printed_sum is not None and check.recomputed is not None:
        check.verdict = "consistent"
    else:
        check.explanation = _("some scores are not given or cannot be recomputed: the total is only partly checked")
    return check, printed_sum, places
