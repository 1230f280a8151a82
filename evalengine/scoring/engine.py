"""The scoring engine: (project targets, actuals, rule pack) -> scorecard. No I/O, no printing.

Every number is a Decimal; each indicator score and the execution score are rounded once, through
`numbers.rounder` (round_to with the pack's places and mode fixed once per pack); the total sums those
rounded scores. A project's indicators are weighted (scoring.weights) and judged one by one
(scoring.indicator); here they are summed, rescaled, capped and graded, and the execution rate is scored.
"""

from __future__ import annotations

from decimal import Decimal, getcontext
from itertools import compress, repeat
from operator import and_, attrgetter, is_, itemgetter, ne

from evalengine.errors import ScoringError
from evalengine.i18n import N_, _, language
from evalengine.model import Execution, Finding, Observation, Project, ProjectActuals, made
from evalengine.numbers import HUNDRED, ZERO, fixed, plain, rounder
from evalengine.packs.model import Pack
from evalengine.scoring import explain
from evalengine.scoring.indicator import IndicatorScorer, tuple_new
from evalengine.scoring.results import ExecutionResult, IndicatorResult, Level1Result, Scorecard
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
        self._plans: dict[tuple[object, ...], _Plan] = {}  # by indicator structure: see _plan
        self._grades: dict[str, str] = {}  # by a total's text: see grade
        self.redistribute = pack.not_applicable == "redistribute"
        total = pack.rounding.total
        self.r_total = rounder(total.places, total.mode)
        execution = pack.rounding.execution
        self.r_execution = rounder(execution.places, execution.mode)

    # ---- the project
    def weights(self, project: Project, skip: frozenset[int]) -> Allocation:
        """allocate, remembered per indicator structure: a department's projects mostly share one."""
        return self._plan(project, skip)[0]

    def _plan(self, project: Project, skip: frozenset[int]) -> _Plan:
        """What scoring a project takes from its indicator structure alone, worked out once per structure (a
        department's projects mostly share one; one-10000 has seven): the allocation, and from it each
        indicator's weight as the core takes it, each block's members and the notes on the blocks without
        indicators. Keyed by exactly what allocate reads: each row's (level1, level2, weight, scored), the
        table's weights by their fields (a TableWeights' own hash is a Python-level call; equal fields are an
        equal TableWeights), `skip`, the language its findings are written in, and the decimal context's
        precision and rounding (allocate divides; the plan's sums add)."""
        key = (tuple(map(_ROW, project.indicators)), _TABLE(project.weights), skip, language(), *_EXACT(getcontext()))
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) > 4096:
                self._plans.clear()
            plan = self._plans[key] = self._planned(allocate(project, self.pack, skip))
        return plan

    def _planned(self, allocation: Allocation) -> _Plan:
        pack = self.pack
        if allocation.table:  # the table's blocks are the whole: the pack's others are not missing from it
            blocks = [name for name, _ in allocation.blocks]
        else:
            blocks = [name for name, _ in pack.weights.level1]
        levels = allocation.levels
        if not set(levels) <= set(blocks):  # never, as allocate works; the sums by block would have failed so
            raise KeyError(next(level for level in levels if level not in blocks))
        present = set(levels)  # the blocks with indicators (其中 rows count)
        absent = tuple(
            f"{name}无指标，其{plain(pack.weights.level1_weight(name) or ZERO)}分不计入，总分按适用分值折算"
            for name in blocks
            if name not in present
        )
        members = tuple((name, tuple(level == name for level in levels)) for name in blocks)
        weights = tuple(weight or ZERO for weight in allocation.weights)
        # The weights' sums of a project none of whose indicators is 不适用, each result carrying its weight from
        # here (as IndicatorScorer.indicator's results do) and the execution the allocation's: the applicable
        # weight from the execution's, each block's from 0, added in order as Scorer.score adds them otherwise
        # (the same additions under the same context: the key holds its precision and rounding)
        applicable = sum(weights, allocation.execution)
        # the goal the total is rescaled to (Scorer.score: 100, or what the table's weights sum to when the pack
        # takes their sum) and whether the applicable weight of a project with every indicator applicable is not it
        declared = allocation.declared
        goal = declared if declared != HUNDRED and pack.weights.not_100 == "sum" else HUNDRED
        every = (
            applicable,
            tuple((name, mask, sum(compress(weights, mask), ZERO)) for name, mask in members),
            applicable != goal and applicable > 0,
        )
        return (allocation, weights, members, absent, every, declared == HUNDRED)

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
        indicators = project.indicators
        # each indicator's actual by its NFKC name, _EMPTY without one: looked up in C (map), no frame per indicator
        seen = list(map(actuals.indicators.get, map(nfkc, map(_NAME, indicators)), repeat(_EMPTY)))
        skip = _NO_SKIP
        if self.redistribute and any(map(_NA, seen)):
            skip = frozenset(i for i, obs in enumerate(seen) if obs.na)
        allocation, weights, members, absent, every, whole = self._plan(project, skip)
        findings: list[Finding] = [*first, *project.findings, *allocation.findings]
        execution_given = actuals.execution
        # each indicator scored in turn (IndicatorScorer.indicator), called from C by map: no comprehension's
        # frame and no tuple unpacked per indicator; the repeated arguments are the project's
        results = tuple(
            map(
                self.indicators.indicator,
                indicators,
                weights,
                seen,
                repeat(project),
                repeat(execution_given),
                repeat(year),
                repeat(findings),
            )
        )
        execution = self.execution(project, execution_given, findings, allocation.execution)

        # The applicable weight and the score, summed over the indicators not 不适用 in their order (from the
        # execution's), and each block's from 0: sum() adds as a loop of += would, one number after the other,
        # so the sums are the very same Decimals; compress picks the live members in C
        scores = list(map(_SCORE, results))
        if (
            "na" not in map(_STATUS, results)
            and execution.weight is allocation.execution
            and all(map(is_, map(_WEIGHT, results), weights))
        ):
            # every indicator live, with the plan's weights: their sums are the plan's, added as below once
            applicable, blocks, rescale = every
            scored = sum(scores, execution.score)
            # (loops, not comprehensions, here: a comprehension is a function of its own, made for each project,
            # and the names it reads become cells of this frame)
            levels = []
            for name, mask, weight_sum in blocks:
                levels.append(tuple_new(Level1Result, (name, weight_sum, sum(compress(scores, mask), ZERO))))
        else:
            rescale = None  # worked out below, once the goal is known
            shares = list(map(_WEIGHT, results))
            live = list(map(ne, map(_STATUS, results), repeat("na")))
            applicable = sum(compress(shares, live), execution.weight)
            scored = sum(compress(scores, live), execution.score)
            levels = []
            for name, mask in members:
                mask = tuple(map(and_, mask, live))
                weight_sum = sum(compress(shares, mask), ZERO)
                levels.append(tuple_new(Level1Result, (name, weight_sum, sum(compress(scores, mask), ZERO))))
        notes = list(absent)
        declared = allocation.declared
        goal = HUNDRED
        if not whole:  # the table's weights do not sum to 100 (the plan's declared != HUNDRED)
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
        if rescale is None:
            rescale = applicable != goal and applicable > 0
        if rescale:
            total = self.r_total(scored * goal / applicable)
            notes.append(
                f"适用分值{plain(applicable)}，总分折算：{self.f(scored)}×{plain(goal)}÷{plain(applicable)}"
                f"={fixed(total, pack.rounding.total.places)}"
            )
        else:
            total = self.r_total(scored)
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
        return made(
            Scorecard,
            {
                "project": project,
                "pack": pack.name,
                "execution": execution,
                "indicators": results,
                "level1": tuple(levels),
                "total": total,
                "grade": self.grade(total),
                "findings": (*findings, *last),
                "notes": tuple(notes),
            },
        )

    def grade(self, total: Decimal) -> str:
        """The grade of `total`: the first of the pack's bands that holds it, else the last grade. Remembered
        by the total's exact text (str() of a Decimal is its value and exponent, so two totals of one text are
        one number; a Decimal's own hash costs several times its str()): a batch's totals repeat, at most
        10,001 of them at 2 places, and each band test is a Python-level call."""
        text = str(total)
        grade = self._grades.get(text)
        if grade is None:
            if len(self._grades) > 4096:
                self._grades.clear()
            grades = self.pack.grades
            grade = self._grades[text] = next((name for name, band in grades if total in band), grades[-1][0])
        return grade

    # ---- 预算执行率
    def execution(
        self, project: Project, execution: Execution, findings: list[Finding], weight: Decimal | None = None
    ) -> ExecutionResult:
        """预算执行率: the rate of spending against the pack's chosen budget, and its score (`weight`: the
        资金 row's 分值, the pack's unless the table prints its own)."""
        pack = self.pack
        places = pack.rounding.execution.places
        budget = _BUDGET_OF[pack.execution.denominator](execution)
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
        ceiling = pack.execution.cap
        # min(rate, ceiling) and min(scaled, weight) as min answers them (its first argument unless the second is
        # less), written out: the builtin's general loop over its arguments cost ~900 instructions a call
        counted = ceiling if ceiling < rate else rate
        r = self.r  # a closure kept on the instance: read once, then called (see IndicatorScorer.indicator)
        scaled = self.r_execution(counted * weight)
        score = weight if weight < scaled else scaled
        pct = r(rate * HUNDRED)
        cap = None if counted is rate else ceiling * HUNDRED  # the rate itself unless it is over the cap
        # the rate counted is the rate itself unless over the cap: its percentage is then pct, worked out once
        shown = pct if counted is rate else r(counted * HUNDRED)
        why = (explain.execution, spent, budget, pct, cap, shown, weight, score)
        if execution.rate is not None and abs(execution.rate - rate) >= _RATE_TOLERANCE:
            message = _(
                "the table's rate {printed}% differs from spending ÷ budget, {computed}%; the spending is used",
                printed=plain(execution.rate * HUNDRED),
                computed=self.f(pct),
            )
            findings.append(Finding("warning", "execution-rate-differs", "预算执行率", message))
        if pack.execution.explain_below is not None:  # most packs ask for none: no call
            self._explain_below(rate, pct, execution, findings)
        # made without the frozen __init__'s setattr per field (model.made; results.py vouches for the class)
        return made(
            ExecutionResult,
            {
                "budget": budget,
                "spent": spent,
                "rate": rate,
                "weight": weight,
                "score": score,
                "explanation": execution.explanation,
                "why": why,
                "places": places,
            },
        )

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
_BUDGET_OF = {name: attrgetter(name) for name in _DENOMINATORS}  # the pack's denominator read off an Execution


_RATE_TOLERANCE = Decimal("0.005")  # a printed rate and spent ÷ budget may differ by rounding to 1%


_EMPTY = Observation()  # an indicator without an actual; actuals are keyed by NFKC-normalised name


# what allocate reads of each indicator and of the table's weights: the key of a plan (Scorer._plan)
_ROW = attrgetter("level1", "level2", "weight", "scored")
_TABLE = attrgetter("execution", "level1", "level2")
_NO_SKIP: frozenset[int] = frozenset()
# what of the decimal context the sums worked out for a plan (and allocate's divisions) depend on, short of
# numbers beyond its exponent limits: the precision and the rounding
_EXACT = attrgetter("prec", "rounding")

# What Scorer.score takes from a project's indicator structure (Scorer._plan): the allocation; each indicator's
# weight as the core takes it (0 for one redistributed away); each block's name with which indicators are in it,
# in the order the card lists the blocks; the notes on the blocks without indicators; the applicable weight and
# each block's name, members and weight, and whether the total is rescaled, when every indicator is applicable;
# whether the table's weights sum to 100
_Plan = tuple[
    Allocation,
    tuple[Decimal, ...],
    tuple[tuple[str, tuple[bool, ...]], ...],
    tuple[str, ...],
    tuple[Decimal, tuple[tuple[str, tuple[bool, ...], Decimal], ...], bool],
    bool,
]

_NAME = attrgetter("name")
_NA = attrgetter("na")
# an IndicatorResult's weight, score and status, by position (a named tuple's fields)
_WEIGHT, _SCORE, _STATUS = (itemgetter(IndicatorResult._fields.index(f)) for f in ("weight", "score", "status"))


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
