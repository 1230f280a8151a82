"""The report view: the JSON contract that every format renders. Numbers are strings with fixed
decimals; nothing here computes a score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from evalengine.inputs.actuals import Job
from evalengine.language.predicates import Quantity
from evalengine.numbers import HUNDRED, ZERO, fixed, fixer, plain, round_to
from evalengine.pipeline import Monitored, Scored
from evalengine.scoring.monitor import WORST_FIRST, MonitorCard
from evalengine.scoring.results import IndicatorResult, Scorecard

SEVERITY_ZH = {"error": "错误", "warning": "提示"}


STATUS_ZH = {"met": "达成", "partial": "部分达成", "unmet": "未达成", "na": "不适用", "missing": "缺少实际值"}


# fixed(value, places) for each pack's places, made once: the str() path of fixer skips parsing the format
# specification for a value already at its places (every score and weight), some thirty times a project
_FIXERS: dict[int, Callable[[Decimal], str]] = {}


def _fixer(places: int) -> Callable[[Decimal], str]:
    f = _FIXERS.get(places)
    if f is None:
        f = _FIXERS[places] = fixer(places)
    return f


_cents = _fixer(2)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else _cents(round_to(value, 2))


def _pct(fraction: Decimal, places: int = 2) -> str:
    """A fraction as a percentage, rounded to the pack's places: scoring keeps the exact value."""
    return fixed(round_to(fraction * HUNDRED, places), places)


def _rowspans(card: Scorecard) -> list[int]:
    """Rows the level-1 cell of each indicator spans in the 自评表 (0 when the cell above covers it): a run
    of rows with the same level 1 is one cell, as tall as the run."""
    names = [r.indicator.level1 for r in card.indicators]
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
_TRACES: dict[tuple[Any, ...], tuple[Any, str]] = {}
_ACTUALS: dict[tuple[int, Decimal, int], tuple[Quantity, str]] = {}
_KEPT = 1 << 16


def forget() -> None:
    """Drop the sentences kept for a file: its view is done."""
    _TRACES.clear()
    _ACTUALS.clear()


def _key(why: tuple[Any, ...], places: int) -> tuple[Any, ...] | None:
    """`why` as a key, or None when it holds anything but text, nonzero numbers and quantities (a zero may
    be -0, printed so but equal to 0; a trace within a trace holds quantities compared by value)."""
    # the formatter, always first, taken as it is; the loop asks the commonest kinds first (a trace holds
    # as many numbers as texts)
    key: list[Any] = [places, why[0]]
    for part in why[1:]:
        kind = type(part)
        if kind is Decimal:
            if not part:
                return None
            key.append(part)
        elif kind is str:
            key.append(part)
        elif kind is Quantity:
            key.append(id(part))
        else:
            return None
    return tuple(key)


def trace(r: IndicatorResult) -> str:
    """r.trace, written once for each distinct trace of the run."""
    why = r.why
    key = _key(why, r.places)
    if key is None:
        return r.trace
    known = _TRACES.get(key)
    if known is not None:
        return known[1]
    return _keep(_TRACES, key, why, r.trace)


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
    return _keep(_ACTUALS, key, bound, r.actual)


def _keep(memo: dict[Any, tuple[Any, str]], key: Any, held: Any, text: str) -> str:
    """`text` kept under `key` with what it was written from (`held`, so no id in the key is reused while it
    stands); the memo emptied first when full."""
    if len(memo) >= _KEPT:
        memo.clear()
    memo[key] = (held, text)
    return text


def project_view(card: Scorecard, scored: Scored) -> dict[str, Any]:
    """One project in the JSON contract, plus what the 自评表 shows (department, goals, plan)."""
    job = scored.job
    project = card.project
    ex = card.execution
    rounding = job.pack.rounding
    places = rounding.places
    fix = _fixer(places)  # fixed(value, places), made once for every row
    return {
        "code": project.code,
        "name": project.name,
        "department": job.targets.department,
        "unit": project.unit or job.targets.department,
        "rules": card.pack,
        "year": job.year,
        "file": str(job.path),
        "total": _fixer(rounding.total.places)(card.total),
        "grade": card.grade,
        "budget": {
            "total": _money(project.budget),
            "fiscal": _money(project.fiscal),
            "other": _money(project.other),
        },
        "execution": {
            "budget": _money(ex.budget),
            "spent": _money(ex.spent) if job.actuals[project.code].execution.spent is not None else None,
            "rate": _pct(ex.rate, places),
            "weight": plain(ex.weight),
            "score": _fixer(rounding.execution.places)(ex.score),
            "trace": ex.trace,
            "explanation": ex.explanation,
        },
        "level1": [{"name": lvl.name, "weight": fix(lvl.weight), "score": fix(lvl.score)} for lvl in card.level1],
        "indicators": [
            {
                "level1": ind.level1,
                "level1_rows": span,
                "level2": ind.level2,
                "name": ind.name,
                "description": ind.description,
                "target": ind.target,
                "basis": ind.basis,
                "actual": actual(r),
                "weight": fix(r.weight),
                "score": fix(r.score),
                "status": r.status,
                "tier": r.tier,
                "explanation": r.explanation,
                "evidence": list(r.evidence),
                "trace": trace(r),
            }
            for r, span in zip(card.indicators, _rowspans(card), strict=True)
            for ind in [r.indicator]
        ],
        "findings": [
            {"severity": f.severity, "code": f.code, "indicator": f.indicator, "message": f.message}
            for f in card.findings
        ],
        "notes": list(card.notes),
        "goals": list(project.goals),
        "summary": job.summaries.get(project.code),
        "purpose": project.purpose,
        # the evaluator's own words for the Word report, only where the actuals file gives them
        **({"narrative": job.narratives[project.code]} if project.code in job.narratives else {}),
        **({"signoff": job.signoffs[project.code]} if project.code in job.signoffs else {}),
        **(_compared(card, scored) if scored.priors is not None else {}),
    }


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

    def add(self, card: Scorecard, job: Job) -> None:
        self.projects += 1
        self.budget += card.execution.budget
        self.spent += card.execution.spent
        self.weighted += card.total * card.execution.budget
        self.grades[card.grade] += 1
        self.grades_of(job)
        self.severities.update(f.severity for f in card.findings)

    def grades_of(self, job: Job) -> None:
        """The grade names of a file's pack, listed in the summary even when no project earned them."""
        self.grade_names += [g for g, _ in job.pack.grades if g not in self.grade_names]

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
