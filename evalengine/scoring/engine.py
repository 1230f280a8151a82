"""The scoring engine: (project targets, actuals, rule pack) -> scorecard. No I/O, no printing.

Every number is a Decimal; each indicator score and the execution score are rounded once, through
`numbers.rounder` (round_to with the pack's places and mode fixed once per pack); the total sums those
rounded scores. A project's indicators are weighted (scoring.weights) and judged one by one
(scoring.indicator); here they are summed, rescaled, capped and graded, and the execution rate is scored.
"""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter

from evalengine.errors import ScoringError
from evalengine.i18n import N_, _
from evalengine.model import Execution, Finding, Observation, Project, ProjectActuals
from evalengine.numbers import HUNDRED, ZERO, fixed, plain, rounder
from evalengine.packs.model import Pack
from evalengine.scoring import explain
from evalengine.scoring.indicator import IndicatorScorer
from evalengine.scoring.results import ExecutionResult, Level1Result, Scorecard
from evalengine.scoring.weights import Allocation, allocate
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
        self._weights: dict[tuple[object, ...], Allocation] = {}
        total = pack.rounding.total
        self.r_total = rounder(total.places, total.mode)
        execution = pack.rounding.execution
        self.r_execution = rounder(execution.places, execution.mode)

    # ---- the project
    def weights(self, project: Project, skip: frozenset[int]) -> Allocation:
        """allocate, remembered per indicator structure: a department's projects mostly share one."""
        key = (tuple(map(_ROW, project.indicators)), project.weights, skip)
        weights = self._weights.get(key)
        if weights is None:
            if len(self._weights) > 4096:
                self._weights.clear()
            weights = self._weights[key] = allocate(project, self.pack, skip)
        return weights

    def score(
        self,
        project: Project,
        actuals: ProjectActuals,
        year: int,
        first: tuple[Finding, ...] = (),
        last: tuple[Finding, ...] = (),
    ) -> Scorecard:
        """The project's scorecard under this scorer's pack for budget `year`; `first` and `last` are findings
        the caller draws about the project (pipeline: a project missing from the actuals), put before and after
        the scorer's own, so the card is made once and not copied to add them."""
        pack = self.pack
        observations = actuals.indicators
        seen = [observations.get(nfkc(ind.name), _EMPTY) for ind in project.indicators]
        skip = frozenset(i for i, obs in enumerate(seen) if obs.na) if pack.not_applicable == "redistribute" else None
        allocation = self.weights(project, skip or frozenset())
        findings: list[Finding] = [*first, *project.findings, *allocation.findings]
        indicator = self.indicators.indicator
        execution_given = actuals.execution
        results = [
            indicator(ind, weight or ZERO, obs, project, execution_given, year, findings)
            for ind, weight, obs in zip(project.indicators, allocation.weights, seen, strict=True)
        ]
        execution = self.execution(project, execution_given, findings, allocation.execution)

        notes: list[str] = []
        applicable, scored = execution.weight, execution.score
        if allocation.table:  # the table's blocks are the whole: the pack's others are not missing from it
            blocks = [name for name, _ in allocation.blocks]
        else:
            blocks = [name for name, _ in pack.weights.level1]
        by_level: dict[str, list[Decimal]] = {name: [ZERO, ZERO] for name in blocks}  # weight, score
        for r, level in zip(results, allocation.levels, strict=True):
            sums = by_level[level]
            if r.status != "na":
                weight, score = r.weight, r.score
                sums[0] += weight
                sums[1] += score
                applicable += weight
                scored += score
        present = set(allocation.levels)  # the blocks with indicators (其中 rows count)
        levels = []
        for name in blocks:
            weight_sum, score_sum = by_level[name]
            if name not in present:
                level_weight = pack.weights.level1_weight(name) or ZERO
                notes.append(f"{name}无指标，其{plain(level_weight)}分不计入，总分按适用分值折算")
            levels.append(Level1Result(name, weight_sum, score_sum))
        declared = allocation.declared
        goal = HUNDRED
        if declared != HUNDRED:
            parts = "+".join(plain(w) for w in (allocation.execution, *(w for _, w in allocation.blocks)))
            if pack.weights.not_100 == "refuse":
                raise ScoringError(
                    _(
                        "project {code}: the table's weights sum to {total} ({parts}), not 100",
                        code=project.code,
                        total=plain(declared),
                        parts=parts,
                    ),
                    hint=_(
                        "correct the table's 分值, or use a pack with weights: {setting}", setting="{not_100: rescale}"
                    ),
                )
            if pack.weights.not_100 == "rescale":
                how = N_("the table's weights sum to {total} ({parts}), not 100; the total is rescaled to 100")
            else:
                how = N_(
                    "the table's weights sum to {total} ({parts}), not 100; the total is the scores' sum, at most 100"
                )
            message = _(how, total=plain(declared), parts=parts)
            findings.append(Finding("error", "weights-not-100", None, message))
            if pack.weights.not_100 == "sum":
                goal = declared
        total = self.r_total(scored)
        if applicable != goal and applicable > 0:
            total = self.r_total(scored * goal / applicable)
            notes.append(
                f"适用分值{plain(applicable)}，总分折算：{self.f(scored)}×{plain(goal)}÷{plain(applicable)}"
                f"={fixed(total, pack.rounding.total.places)}"
            )
        if total > HUNDRED:
            notes.append(f"总分{fixed(total, pack.rounding.total.places)}超过100分，按100分计")
            total = self.r_total(HUNDRED)
        for band, cap in pack.caps:
            if execution.rate in band and total > cap:
                notes.append(
                    f"预算执行率{self.f(self.r(execution.rate * HUNDRED))}%在{band}区间，总分封顶{plain(cap)}分"
                )
                capped = _("the total {total} is capped at {cap}", total=self.f(total), cap=plain(cap))
                findings.append(Finding("warning", "total-capped", None, capped))
                total = self.r_total(cap)
                break
        grade = next((name for name, band in pack.grades if total in band), pack.grades[-1][0])
        return Scorecard(
            project, pack.name, execution, tuple(results), tuple(levels), total, grade, (*findings, *last), tuple(notes)
        )

    # ---- 预算执行率
    def execution(
        self, project: Project, execution: Execution, findings: list[Finding], weight: Decimal | None = None
    ) -> ExecutionResult:
        """预算执行率: the rate of spending against the pack's chosen budget, and its score (`weight`: the
        资金 row's 分值, the pack's unless the table prints its own)."""
        pack = self.pack
        places = pack.rounding.execution.places
        budget = {
            "budget": execution.budget,
            "initial_budget": execution.initial_budget,
            "adjusted_budget": execution.adjusted_budget,
        }[pack.execution.denominator]
        if budget is not None and budget <= 0:  # 年初预算数 0: a project funded during the year
            message = _(
                "{denominator} is {budget}: the rate is taken against 全年预算数",
                denominator=_DENOMINATORS[pack.execution.denominator],
                budget=plain(budget),
            )
            findings.append(Finding("warning", "execution-denominator", "预算执行率", message))
            budget = execution.budget
        budget = project.budget if budget is None else budget
        weight = pack.weights.execution if weight is None else weight
        if budget <= 0:
            raise ScoringError(
                _(
                    "project {code} has a budget of {budget}万元; it must be above 0",
                    code=project.code,
                    budget=plain(budget),
                )
            )
        if execution.spent is None and execution.rate is not None:
            return self._printed_rate(budget, execution, weight, findings)
        if execution.spent is None:
            message = _("the year's spending (全年执行数) is missing: the rate scores 0")
            findings.append(Finding("error", "missing-actual", "预算执行率", message))
            missing: explain.Why = (explain.text, "缺少全年执行数，计0分")
            return ExecutionResult(budget, ZERO, ZERO, weight, ZERO, execution.explanation, missing, places)
        spent = execution.spent
        if spent < 0:
            raise ScoringError(
                _(
                    "project {code} spent {spent}万元; spending cannot be negative",
                    code=project.code,
                    spent=plain(spent),
                )
            )
        rate = spent / budget
        counted = min(rate, pack.execution.cap)
        score = min(self.r_execution(counted * weight), weight)
        pct = self.r(rate * HUNDRED)
        cap = pack.execution.cap * HUNDRED if rate > pack.execution.cap else None
        why = (explain.execution, spent, budget, pct, cap, self.r(counted * HUNDRED), weight, score)
        if execution.rate is not None and abs(execution.rate - rate) >= _RATE_TOLERANCE:
            message = _(
                "the table's rate {printed}% differs from spending ÷ budget, {computed}%; the spending is used",
                printed=plain(execution.rate * HUNDRED),
                computed=self.f(pct),
            )
            findings.append(Finding("warning", "execution-rate-differs", "预算执行率", message))
        self._explain_below(rate, pct, execution, findings)
        return ExecutionResult(budget, spent, rate, weight, score, execution.explanation, why, places)

    def _printed_rate(
        self, budget: Decimal, execution: Execution, weight: Decimal, findings: list[Finding]
    ) -> ExecutionResult:
        """A 资金 row printed only as a rate (执行率76%): scored from the rate, spending taken as rate × budget."""
        pack = self.pack
        rate = execution.rate
        assert rate is not None
        counted = min(rate, pack.execution.cap)
        score = min(self.r_execution(counted * weight), weight)
        pct = self.r(rate * HUNDRED)
        why = (explain.printed_rate, pct, self.r(counted * HUNDRED), weight, score)
        self._explain_below(rate, pct, execution, findings)
        places = pack.rounding.execution.places
        return ExecutionResult(budget, budget * rate, rate, weight, score, execution.explanation, why, places)

    def _explain_below(self, rate: Decimal, pct: Decimal, execution: Execution, findings: list[Finding]) -> None:
        below = self.pack.execution.explain_below
        if below is not None and rate < below and not execution.explanation:
            findings.append(
                Finding(
                    "error",
                    "execution-explanation",
                    "预算执行率",
                    _("the rate {rate}% is below {below}%: say why", rate=self.f(pct), below=plain(below * HUNDRED)),
                )
            )


_DENOMINATORS = {"budget": "全年预算数", "initial_budget": "年初预算数", "adjusted_budget": "调整后预算数"}


_RATE_TOLERANCE = Decimal("0.005")  # a printed rate and spent ÷ budget may differ by rounding to 1%


_EMPTY = Observation()  # an indicator without an actual; actuals are keyed by NFKC-normalised name


# what allocate reads of each indicator: the key of the weights remembered per indicator structure
_ROW = attrgetter("level1", "level2", "weight", "scored")


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
