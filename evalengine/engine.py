"""The scoring engine: (project targets, actuals, rule pack) -> scorecard. No I/O, no printing.

Every number is a Decimal; each indicator score and the execution score are rounded once, through
`numbers.round_to`, with the pack's places and mode; the total sums those rounded scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import InputError
from .models import (
    Execution,
    ExecutionResult,
    Finding,
    Indicator,
    IndicatorResult,
    Level1Result,
    Observation,
    Project,
    ProjectActuals,
    Scorecard,
)
from .numbers import HUNDRED, ONE, ZERO, fixed, plain, round_to
from .packs import Pack
from .predicates import SYMBOLS, Comparison, Deadline, Qualitative, Quantity, Range, Reference, Trend, align
from .vocabulary import nfkc

WAN = Decimal(10000)
STATUS_OF_TIER = {"达成": "met", "部分达成": "partial", "未达成": "unmet"}


@dataclass(slots=True)
class Judged:
    """An indicator's unrounded score and how it was reached, before findings are drawn."""

    score: Decimal
    status: str
    trace: str
    actual: str
    tier: str | None = None
    over: bool = False


class ScoringError(InputError):
    """An actual that cannot be scored against its target (wrong kind, unit, or out-of-band score)."""


def allocate_weights(project: Project, pack: Pack, skip: frozenset[int] = frozenset()) -> list[Decimal | None]:
    """Each indicator's weight: explicit ones as given, else the level-1 weight shared out.

    Indicators whose index is in `skip` (not applicable, with `not_applicable: redistribute`) get None
    and their level's weight goes to the rest.
    """
    groups: dict[str, list[int]] = {}
    for i, ind in enumerate(project.indicators):
        level1 = nfkc(ind.level1)
        if pack.level1_weight(level1) is None:
            names = ", ".join(n for n, _ in pack.level1)
            raise ScoringError(
                f"indicator {ind.name!r} is under level 1 {ind.level1!r}, which pack {pack.name} does not weight",
                hint=f"the pack weights: {names}",
            )
        groups.setdefault(level1, []).append(i)
    weights: list[Decimal | None] = [None] * len(project.indicators)
    for level1, members in groups.items():
        total = pack.level1_weight(level1)
        assert total is not None
        live = [i for i in members if i not in skip] or members
        explicit = [project.indicators[i].weight for i in members]
        if any(w is not None for w in explicit):
            if any(w is None for w in explicit):
                raise ScoringError(f"some indicators under {level1} have a weight and some do not; give all or none")
            given = sum((w for w in explicit if w is not None), ZERO)
            if given != total:
                raise ScoringError(f"the weights given under {level1} sum to {plain(given)}, not {plain(total)}")
            if len(live) == len(members):
                for i in members:
                    weights[i] = project.indicators[i].weight
                continue
            live_total = sum(project.indicators[i].weight or ZERO for i in live)
            shares = [(project.indicators[i].weight or ZERO) * total / live_total for i in live]
        elif pack.share == "by_level2":
            by_level2: dict[str, list[int]] = {}
            for i in live:
                by_level2.setdefault(nfkc(project.indicators[i].level2), []).append(i)
            group_shares = _split(total, len(by_level2), pack)
            shares_by_index: dict[int, Decimal] = {}
            for share, ids in zip(group_shares, by_level2.values(), strict=True):
                for i, w in zip(ids, _split(share, len(ids), pack), strict=True):
                    shares_by_index[i] = w
            shares = [shares_by_index[i] for i in live]
        else:
            shares = _split(total, len(live), pack)
        rounded = [round_to(s, pack.places, pack.mode) for s in shares]
        rounded[-1] += total - sum(rounded)  # the last indicator takes the rounding remainder
        for i, w in zip(live, rounded, strict=True):
            weights[i] = w
    return weights


def _split(total: Decimal, n: int, pack: Pack) -> list[Decimal]:
    if n == 0:
        return []
    part = round_to(total / n, pack.places, pack.mode)
    return [part] * (n - 1) + [total - part * (n - 1)]


class Scorer:
    """Scores projects under one pack. Build once per pack; `score` is a pure function."""

    def __init__(self, pack: Pack):
        self.pack = pack
        self.tiers = {t.name: t for t in pack.tiers}

    def r(self, value: Decimal) -> Decimal:
        return round_to(value, self.pack.places, self.pack.mode)

    def f(self, value: Decimal) -> str:
        return fixed(value, self.pack.places)

    # ---- the project
    def score(self, project: Project, actuals: ProjectActuals, year: int) -> Scorecard:
        pack = self.pack
        observations = actuals.indicators
        na = frozenset(i for i, ind in enumerate(project.indicators) if _observed(observations, ind).na)
        skip = na if pack.not_applicable == "redistribute" else frozenset()
        weights = allocate_weights(project, pack, skip)
        findings: list[Finding] = []
        results = []
        for ind, weight in zip(project.indicators, weights, strict=True):
            obs = _observed(observations, ind)
            results.append(self.indicator(ind, weight or ZERO, obs, project, actuals.execution, year, findings))
        execution = self.execution(project, actuals.execution, findings)

        notes: list[str] = []
        applicable = execution.weight + sum(r.weight for r in results if r.status != "na")
        scored = execution.score + sum(r.score for r in results if r.status != "na")
        levels = []
        for name, level_weight in pack.level1:
            members = [r for r in results if nfkc(r.indicator.level1) == name and r.status != "na"]
            if not any(nfkc(r.indicator.level1) == name for r in results):
                notes.append(f"{name}无指标，其{plain(level_weight)}分不计入，总分按适用分值折算")
            levels.append(
                Level1Result(name, sum((r.weight for r in members), ZERO), sum((r.score for r in members), ZERO))
            )
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
        pack = self.pack
        budget = {
            "budget": execution.budget,
            "initial_budget": execution.initial_budget,
            "adjusted_budget": execution.adjusted_budget,
        }[pack.exec_denominator]
        budget = project.budget if budget is None else budget
        weight = pack.execution_weight
        if budget <= 0:
            raise ScoringError(f"project {project.code} has a budget of {plain(budget)}万元; it must be above 0")
        if execution.spent is None:
            findings.append(Finding("error", "missing-actual", "预算执行率", "缺少全年执行数，执行率计0分"))
            return ExecutionResult(budget, ZERO, ZERO, weight, ZERO, "缺少全年执行数，计0分", execution.explanation)
        spent = execution.spent
        if spent < 0:
            raise ScoringError(f"project {project.code} spent {plain(spent)}万元; spending cannot be negative")
        rate = spent / budget
        counted = min(rate, pack.exec_cap)
        score = min(self.r(counted * weight), weight)
        pct = self.f(self.r(rate * HUNDRED))
        trace = f"执行率{plain(spent)}÷{plain(budget)}={pct}%"
        trace += f"，按{plain(pack.exec_cap * HUNDRED)}%计" if rate > pack.exec_cap else ""
        trace += f"，{plain(self.r(counted * HUNDRED))}%×{plain(weight)}={self.f(score)}"
        below = pack.exec_explain_below
        if below is not None and rate < below and not execution.explanation:
            findings.append(
                Finding(
                    "error",
                    "execution-explanation",
                    "预算执行率",
                    f"执行率{pct}%低于{plain(below * HUNDRED)}%，须说明原因",
                )
            )
        return ExecutionResult(budget, spent, rate, weight, score, trace, execution.explanation)

    # ---- one indicator
    def indicator(
        self,
        ind: Indicator,
        weight: Decimal,
        obs: Observation,
        project: Project,
        execution: Execution,
        year: int,
        findings: list[Finding],
    ) -> IndicatorResult:
        name = ind.name
        if obs.na:
            return IndicatorResult(
                ind,
                weight,
                ZERO,
                "na",
                None,
                "不适用",
                "不适用，不计分，总分按适用分值折算",
                obs.explanation,
                obs.evidence,
            )
        try:
            outcome = self._judge(ind, weight, obs, project, execution, year)
        except InputError as exc:
            raise ScoringError(f"indicator {name!r} (target {ind.target}): {exc.message}", hint=exc.hint) from None
        if outcome is None:
            findings.append(Finding("error", "missing-actual", name, f"{name}缺少实际完成值，计0分"))
            return IndicatorResult(
                ind, weight, ZERO, "missing", None, "", "缺少实际完成值，计0分", obs.explanation, obs.evidence
            )
        # rounding to fewer places than the weight has (0.5 at places 0) must not lift a score past it
        score, trace, status = min(self.r(outcome.score), weight), outcome.trace, outcome.status
        if status == "partial" and score == weight:  # <2% with 2%: short of the target, yet the formula gives all
            status = "met"
        if outcome.over:
            score, trace = self._over(name, score, trace, obs, findings)
        if score < weight and not obs.explanation:
            findings.append(
                Finding(
                    "error",
                    "missing-explanation",
                    name,
                    f"{name}得分{self.f(score)}低于分值{self.f(weight)}，须填写偏差原因分析及改进措施",
                )
            )
        return IndicatorResult(
            ind, weight, score, status, outcome.tier, outcome.actual, trace, obs.explanation, obs.evidence
        )

    def _over(
        self, name: str, score: Decimal, trace: str, obs: Observation, findings: list[Finding]
    ) -> tuple[Decimal, str]:
        pack = self.pack
        assert pack.over_threshold is not None
        limit = plain(pack.over_threshold * HUNDRED)
        if pack.over_action == "deduct":
            new = max(ZERO, score - pack.over_deduct)
            cut = plain(pack.over_deduct)
            trace += f"；超过目标{limit}%，扣{cut}分：{self.f(score)}−{cut}={self.f(new)}"
            findings.append(
                Finding(
                    "warning",
                    "over-achievement",
                    name,
                    f"{name}实际值达到目标的{limit}%以上，扣{plain(pack.over_deduct)}分",
                )
            )
            return new, trace
        trace += f"；实际值达到目标的{limit}%以上"
        if obs.explanation and pack.over_action == "explain":
            return score, trace
        if pack.over_action == "flag":
            findings.append(
                Finding("warning", "over-achievement", name, f"{name}实际值达到目标的{limit}%以上，请核实目标设定")
            )
        else:
            findings.append(
                Finding(
                    "error",
                    "over-achievement",
                    name,
                    f"{name}实际值达到目标的{limit}%以上，须说明原因（目标是否设定过低）",
                )
            )
        return score, trace

    def _judge(
        self, ind: Indicator, w: Decimal, obs: Observation, project: Project, execution: Execution, year: int
    ) -> Judged | None:
        p = ind.predicate
        if isinstance(p, Comparison):
            return self._comparison(p, w, obs, project, execution)
        if isinstance(p, Range):
            return self._range(p, w, obs)
        if isinstance(p, Deadline):
            return self._deadline(p, w, obs, year)
        if isinstance(p, Trend):
            return self._trend(p, w, obs)
        return self._tiered(p, w, obs)

    # -- quantities
    def _quantity(self, obs: Observation, target: Quantity) -> Quantity | None:
        """The observation as a quantity comparable with `target`: a value, a ratio or a survey."""
        if obs.tier is not None or obs.score is not None:
            raise InputError("this target is quantitative: give the actual value, not a tier or a score")
        if obs.numerator is not None or obs.denominator is not None:
            if obs.numerator is None or obs.denominator is None:
                raise InputError("give both numerator and denominator")
            if obs.denominator <= 0 or obs.numerator < 0:
                raise InputError(f"cannot take a rate of {plain(obs.numerator)} out of {plain(obs.denominator)}")
            if target.unit != "%":
                raise InputError(
                    f"numerator/denominator give a percentage, but the target is in {target.unit or 'no unit'}"
                )
            return Quantity(obs.numerator / obs.denominator * HUNDRED, "%")
        if obs.survey is not None:
            if target.unit != "%":
                raise InputError(f"survey counts give a percentage, but the target is in {target.unit or 'no unit'}")
            total = sum((count for _, count in obs.survey), ZERO)
            if total <= 0:
                raise InputError("the survey has no answers")
            satisfied = sum((n for answer, n in obs.survey if nfkc(answer) in self.pack.satisfied), ZERO)
            return Quantity(satisfied / total * HUNDRED, "%")
        if obs.value is None:
            return None
        if not isinstance(obs.value, Quantity):
            raise InputError(f"expected a number, found the date {obs.value}")
        if obs.value.unit is None:  # a bare number is in the unit the target was written in: 12 vs ≥15万条
            return Quantity(obs.value.value * target.scale, target.unit)
        return obs.value

    def _comparison(
        self, p: Comparison, w: Decimal, obs: Observation, project: Project, execution: Execution
    ) -> Judged | None:
        if p.ref == "budget":
            bound = Quantity(project.budget * WAN, "元", f"{plain(project.budget)}万元", WAN, "万元")
            q = self._quantity(obs, bound)
            head = "实际"
            if q is None and execution.spent is not None:  # spending within budget: the year's spending is the actual
                q = Quantity(execution.spent * WAN, "元")
                head = "全年执行数"
            label = "预算数"
        else:
            assert p.quantity is not None
            bound = p.quantity
            q = self._quantity(obs, bound)
            head, label = "实际", "目标"
        if q is None:
            return None
        a, t = align(q, bound.unit), bound.value
        head += bound.written(a)
        goal = f"{label}{bound.written(t)}"
        if p.direction == "reverse":
            return self._reverse(p.op, a, t, w, head, goal, bound)
        if p.direction == "equality":
            return self._equality(a, t, w, head, goal, bound)
        return self._forward(p.op, a, t, w, head, goal, bound)

    def _met(self, w: Decimal, text: str, actual: str, over: bool = False) -> Judged:
        return Judged(w, "met", f"{text}，得满分{self.f(w)}", actual, over=over)

    def _short(self, score: Decimal, text: str, actual: str) -> Judged:
        """A shortfall: partial while anything is left after rounding, else unmet."""
        score = max(ZERO, score)
        return Judged(score, "partial" if self.r(score) > 0 else "unmet", text, actual)

    def _ratio_text(self, head: str, num: Decimal, den: Decimal, w: Decimal, score: Decimal, bound: Quantity) -> str:
        return f"{head}，{plain(num / bound.scale)}÷{plain(den / bound.scale)}×{self.f(w)}={self.f(self.r(score))}"

    def _forward(self, op: str, a: Decimal, t: Decimal, w: Decimal, head: str, goal: str, bound: Quantity) -> Judged:
        shown = bound.written(a)
        over = self.pack.over_threshold is not None and t > 0 and a >= t * self.pack.over_threshold
        if t == 0 or (a >= t if op == ">=" else a > t):
            return self._met(w, f"{head} {SYMBOLS[op]} {goal}" if t != 0 else f"{head}，{goal}", shown, over)
        rel = f"{head} {'<' if a < t else '='} {goal}"
        if self.pack.forward == "binary" or t < 0:
            return self._short(ZERO, f"{rel}，未达到，计0分", shown)
        score = min(max(a, ZERO) / t, ONE) * w
        return self._short(score, self._ratio_text(rel, a, t, w, score, bound), shown)

    def _reverse(self, op: str, a: Decimal, t: Decimal, w: Decimal, head: str, goal: str, bound: Quantity) -> Judged:
        shown = bound.written(a)
        if a <= t if op == "<=" else a < t:
            return self._met(w, f"{head} {SYMBOLS[op]} {goal}", shown)
        rel = f"{head} {'>' if a > t else '='} {goal}"
        if t <= 0 or self.pack.reverse == "binary":
            return self._short(ZERO, f"{rel}，未达到，计0分", shown)
        if self.pack.reverse == "linear":
            score = max(ZERO, ONE - (a - t) / t) * w
            sa, st = plain(a / bound.scale), plain(t / bound.scale)
            return self._short(score, f"{rel}，(1−({sa}−{st})÷{st})×{self.f(w)}={self.f(self.r(score))}", shown)
        score = min(t / a, ONE) * w
        return self._short(score, self._ratio_text(rel, t, a, w, score, bound), shown)

    def _equality(self, a: Decimal, t: Decimal, w: Decimal, head: str, goal: str, bound: Quantity) -> Judged:
        shown = bound.written(a)
        if t == 0:
            if a <= 0:
                return self._met(w, f"{head} = {goal}", shown)
            return self._short(ZERO, f"{head} ≠ {goal}，目标为0，计0分", shown)
        if a >= t:
            return self._met(w, f"{head} {'=' if a == t else '>'} {goal}", shown)
        rel = f"{head} < {goal}"
        if self.pack.equality == "binary" or t < 0:
            return self._short(ZERO, f"{rel}，未达到，计0分", shown)
        score = max(a, ZERO) / t * w
        return self._short(score, self._ratio_text(rel, a, t, w, score, bound), shown)

    def _range(self, p: Range, w: Decimal, obs: Observation) -> Judged | None:
        q = self._quantity(obs, p.high)
        if q is None:
            return None
        a = align(q, p.high.unit)
        lo, hi = p.low.value, p.high.value
        shown = p.high.written(a)
        head, goal = f"实际{shown}", f"区间{p.canonical()}"
        if lo <= a <= hi:
            return self._met(w, f"{head}在{goal}内", shown)
        if self.pack.range == "binary" or (a < lo and lo <= 0):
            return self._short(ZERO, f"{head}不在{goal}内，计0分", shown)
        if a < lo:
            score = max(a, ZERO) / lo * w
            return self._short(score, self._ratio_text(f"{head}低于{goal}", a, lo, w, score, p.high), shown)
        score = hi / a * w
        return self._short(score, self._ratio_text(f"{head}高于{goal}", hi, a, w, score, p.high), shown)

    # -- deadlines, trends, tiers
    def _deadline(self, p: Deadline, w: Decimal, obs: Observation, year: int) -> Judged | None:
        due = p.resolve(year)
        if obs.tier is not None or obs.score is not None:
            return self._tier_outcome(obs.tier, obs.score, w, f"截止{due.isoformat()}，评价为", obs.text or "")
        if obs.completed is False:
            return self._tier_outcome(self.pack.deadline_missed, None, w, f"截止{due.isoformat()}未完成，按", "未完成")
        if obs.value is None:
            return None
        if not isinstance(obs.value, date):
            raise InputError(f"expected the completion date (e.g. {due.isoformat()}), found {obs.value}")
        done = obs.value
        if done <= due:
            return self._met(w, f"{done.isoformat()}完成，不晚于{due.isoformat()}", done.isoformat())
        return self._tier_outcome(
            self.pack.deadline_late, None, w, f"{done.isoformat()}完成，晚于{due.isoformat()}，按", done.isoformat()
        )

    def _trend(self, p: Trend, w: Decimal, obs: Observation) -> Judged | None:
        if obs.value is None and obs.baseline is None:
            if obs.tier is None and obs.score is None:
                return None
            return self._tier_outcome(obs.tier, obs.score, w, f"{p.canonical()}，评价为", obs.text)
        if obs.value is None or obs.baseline is None:
            raise InputError(f"{p.canonical()} is judged against a baseline: give both value and baseline")
        if not isinstance(obs.value, Quantity):
            raise InputError(f"expected a number, found the date {obs.value}")
        a = align(obs.value, obs.baseline.unit)
        b = obs.baseline.value
        tier = self._trend_tier(p.trend, a, b)
        if obs.tier is not None and obs.tier != tier:
            raise InputError(f"the tier given ({obs.tier}) contradicts the numbers, which give {tier}")
        head = f"实际{obs.baseline.written(a)}，基线{obs.baseline.written(b)}，{p.canonical()}："
        return self._tier_outcome(tier, obs.score, w, head, obs.baseline.written(a))

    def _trend_tier(self, trend: str, a: Decimal, b: Decimal) -> str:
        if trend in ("increasing", "decreasing"):
            better = a > b if trend == "increasing" else a < b
            return "达成" if better else (self.pack.trend_equal if a == b else "未达成")
        if trend == "non_increasing":
            return "达成" if a <= b else "未达成"
        if trend == "non_decreasing":
            return "达成" if a >= b else "未达成"
        if b == 0:
            return "达成" if a == 0 else "未达成"
        drift = abs(a - b) / abs(b)
        if drift <= self.pack.stable_met:
            return "达成"
        return "部分达成" if drift <= self.pack.stable_partial else "未达成"

    def _tiered(self, p: Qualitative | Reference, w: Decimal, obs: Observation) -> Judged | None:
        if obs.value is not None or obs.numerator is not None or obs.survey is not None:
            raise InputError(f"{p.canonical()} is judged in tiers: give tier: 达成 / 部分达成 / 未达成")
        if obs.tier is None and obs.score is None:
            return None
        return self._tier_outcome(obs.tier, obs.score, w, "评价为", obs.text)

    def _tier_outcome(
        self, tier: str | None, given: Decimal | None, w: Decimal, head: str, actual: str
    ) -> Judged | None:
        if tier is None:
            assert given is not None
            tier = self._tier_of_score(given, w)
        band = self.tiers[tier].band
        low, high = self.r(band.low * w), self.r(band.high * w)
        shown_band = f"{'[' if band.low_closed else '('}{self.f(low)}, {self.f(high)}{']' if band.high_closed else ')'}"
        if given is not None:
            if w == 0 and given == 0:
                pass
            elif w == 0 or given / w not in band:
                raise InputError(
                    f"score {plain(given)} lies outside {tier}'s band {shown_band} for a weight of {self.f(w)}"
                )
            score = given
            trace = f"{head}{tier}，自评得分{self.f(self.r(score))}（{tier}区间{shown_band}）"
        else:
            share = self.tiers[tier].default
            score = share * w
            trace = f"{head}{tier}，默认{plain(share * HUNDRED)}%×{self.f(w)}={self.f(self.r(score))}"
        return Judged(score, STATUS_OF_TIER[tier], trace, actual or tier, tier)

    def _tier_of_score(self, given: Decimal, w: Decimal) -> str:
        for tier in self.pack.tiers:
            if w > 0 and given / w in tier.band:
                return tier.name
        raise InputError(f"score {plain(given)} is not within 0–{self.f(w)}")


_EMPTY = Observation()


def _observed(observations: Mapping[str, Observation], ind: Indicator) -> Observation:
    """The indicator's observation; actuals are keyed by NFKC-normalised indicator name."""
    return observations.get(nfkc(ind.name), _EMPTY)


_SCORERS: dict[Pack, Scorer] = {}


def score_project(project: Project, actuals: ProjectActuals, pack: Pack, year: int) -> Scorecard:
    """Score one project's self-evaluation under `pack` for budget `year`."""
    scorer = _SCORERS.get(pack)
    if scorer is None:
        scorer = _SCORERS[pack] = Scorer(pack)
    return scorer.score(project, actuals, year)
