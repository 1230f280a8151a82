"""The scoring engine: (project targets, actuals, rule pack) -> scorecard. No I/O, no printing.

Every number is a Decimal; each indicator score and the execution score are rounded once, through
`numbers.round_to`, with the pack's places and mode; the total sums those rounded scores. A project's
indicators are weighted (scoring.weights) and judged one by one (scoring.indicator); here they are
summed, rescaled, capped and graded, and the execution rate is scored.
"""

from __future__ import annotations

from decimal import Decimal

from evalengine.errors import ScoringError
from evalengine.model import Execution, Finding, Observation, Project, ProjectActuals
from evalengine.numbers import HUNDRED, ZERO, plain
from evalengine.packs.model import Pack
from evalengine.scoring import explain
from evalengine.scoring.indicator import IndicatorScorer
from evalengine.scoring.results import ExecutionResult, Level1Result, Scorecard
from evalengine.scoring.weights import allocate_weights
from evalengine.text import nfkc

__all__ = ["Scorer", "ScoringError", "score_project", "scorer_for"]


class Scorer:
    """Scores projects under one pack. Build once per pack; `score` is a pure function."""

    def __init__(self, pack: Pack):
        self.pack = pack
        self.indicators = IndicatorScorer(pack)
        self.indicator = self.indicators.indicator  # one indicator scored with a weight (IndicatorScorer.indicator)
        self.r = self.indicators.r
        self.f = self.indicators.f
        self._weights: dict[tuple[object, ...], list[Decimal | None]] = {}

    # ---- the project
    def weights(self, project: Project, skip: frozenset[int]) -> list[Decimal | None]:
        """allocate_weights, remembered per indicator structure: a department's projects mostly share one."""
        key = (tuple((ind.level1, ind.level2, ind.weight) for ind in project.indicators), skip)
        weights = self._weights.get(key)
        if weights is None:
            if len(self._weights) > 4096:
                self._weights.clear()
            weights = self._weights[key] = allocate_weights(project, self.pack, skip)
        return weights

    def score(self, project: Project, actuals: ProjectActuals, year: int) -> Scorecard:
        """The project's scorecard under this scorer's pack for budget `year`."""
        pack = self.pack
        observations = actuals.indicators
        seen = [observations.get(nfkc(ind.name), _EMPTY) for ind in project.indicators]
        skip = frozenset(i for i, obs in enumerate(seen) if obs.na) if pack.not_applicable == "redistribute" else None
        weights = self.weights(project, skip or frozenset())
        findings: list[Finding] = []
        results = [
            self.indicators.indicator(ind, weight or ZERO, obs, project, actuals.execution, year, findings)
            for ind, weight, obs in zip(project.indicators, weights, seen, strict=True)
        ]
        execution = self.execution(project, actuals.execution, findings)

        notes: list[str] = []
        applicable, scored = execution.weight, execution.score
        by_level: dict[str, list[Decimal]] = {
            name: [ZERO, ZERO, ZERO] for name, _ in pack.weights.level1
        }  # weight, score, n
        for r in results:
            sums = by_level[nfkc(r.indicator.level1)]
            sums[2] += 1
            if r.status != "na":
                sums[0] += r.weight
                sums[1] += r.score
                applicable += r.weight
                scored += r.score
        levels = []
        for name, level_weight in pack.weights.level1:
            weight_sum, score_sum, count = by_level[name]
            if not count:
                notes.append(f"{name}无指标，其{plain(level_weight)}分不计入，总分按适用分值折算")
            levels.append(Level1Result(name, weight_sum, score_sum))
        total = scored
        if applicable != HUNDRED and applicable > 0:
            total = self.r(scored * HUNDRED / applicable)
            notes.append(
                f"适用分值{plain(applicable)}，总分折算：{self.f(scored)}×100÷{plain(applicable)}={self.f(total)}"
            )
        for band, cap in pack.caps:
            if execution.rate in band and total > cap:
                notes.append(
                    f"预算执行率{self.f(self.r(execution.rate * HUNDRED))}%在{band}区间，总分封顶{plain(cap)}分"
                )
                findings.append(Finding("warning", "total-capped", None, f"总分由{self.f(total)}封顶为{plain(cap)}"))
                total = self.r(cap)
                break
        grade = next((name for name, band in pack.grades if total in band), pack.grades[-1][0])
        return Scorecard(
            project, pack.name, execution, tuple(results), tuple(levels), total, grade, tuple(findings), tuple(notes)
        )

    # ---- 预算执行率
    def execution(self, project: Project, execution: Execution, findings: list[Finding]) -> ExecutionResult:
        """预算执行率: the rate of spending against the pack's chosen budget, and its score."""
        pack = self.pack
        budget = {
            "budget": execution.budget,
            "initial_budget": execution.initial_budget,
            "adjusted_budget": execution.adjusted_budget,
        }[pack.execution.denominator]
        budget = project.budget if budget is None else budget
        weight = pack.weights.execution
        if budget <= 0:
            raise ScoringError(f"project {project.code} has a budget of {plain(budget)}万元; it must be above 0")
        if execution.spent is None:
            findings.append(Finding("error", "missing-actual", "预算执行率", "缺少全年执行数，执行率计0分"))
            missing: explain.Why = (explain.text, "缺少全年执行数，计0分")
            return ExecutionResult(
                budget, ZERO, ZERO, weight, ZERO, execution.explanation, missing, pack.rounding.places
            )
        spent = execution.spent
        if spent < 0:
            raise ScoringError(f"project {project.code} spent {plain(spent)}万元; spending cannot be negative")
        rate = spent / budget
        counted = min(rate, pack.execution.cap)
        score = min(self.r(counted * weight), weight)
        pct = self.r(rate * HUNDRED)
        cap = pack.execution.cap * HUNDRED if rate > pack.execution.cap else None
        why = (explain.execution, spent, budget, pct, cap, self.r(counted * HUNDRED), weight, score)
        below = pack.execution.explain_below
        if below is not None and rate < below and not execution.explanation:
            findings.append(
                Finding(
                    "error",
                    "execution-explanation",
                    "预算执行率",
                    f"执行率{self.f(pct)}%低于{plain(below * HUNDRED)}%，须说明原因",
                )
            )
        return ExecutionResult(budget, spent, rate, weight, score, execution.explanation, why, pack.rounding.places)


_EMPTY = Observation()  # an indicator without an actual; actuals are keyed by NFKC-normalised name


_SCORERS: dict[int, tuple[Pack, Scorer]] = {}  # by identity: hashing a Pack walks all its fields


def scorer_for(pack: Pack) -> Scorer:
    """The Scorer of `pack`, built once per pack object."""
    entry = _SCORERS.get(id(pack))
    if entry is None or entry[0] is not pack:
        entry = _SCORERS[id(pack)] = (pack, Scorer(pack))
    return entry[1]


def score_project(project: Project, actuals: ProjectActuals, pack: Pack, year: int) -> Scorecard:
    """Score one project's self-evaluation under `pack` for budget `year`."""
    return scorer_for(pack).score(project, actuals, year)
