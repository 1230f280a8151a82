"""The scoring engine: (project targets, actuals, rule pack) -> scorecard. No I/O, no printing.

Every number is a Decimal; each indicator score and the execution score are rounded once, through
`numbers.round_to`, with the pack's places and mode; the total sums those rounded scores.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from evalengine.errors import InputError
from evalengine.language.predicates import (
    SYMBOLS,
    Comparison,
    Deadline,
    Qualitative,
    Quantity,
    Range,
    Reference,
    Trend,
    align,
)
from evalengine.model import (
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
from evalengine.numbers import HUNDRED, ONE, WAN, ZERO, fixed, plain, round_to
from evalengine.packs.model import Pack
from evalengine.scoring import explain
from evalengine.text import nfkc

STATUS_OF_TIER = {"达成": "met", "部分达成": "partial", "未达成": "unmet"}


# (rounded score, status, tier, why, seen, over-achieved): built per indicator, so a plain tuple
Judged = tuple[Decimal, str, str | None, "explain.Why", "str | tuple[Quantity, Decimal]", bool]


class ScoringError(InputError):
    """An actual that cannot be scored against its target (wrong kind, unit, or out-of-band score)."""

    indicator: str | None = None


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
        self._weights: dict[tuple[object, ...], list[Decimal | None]] = {}
        self.r: Callable[[Decimal], Decimal] = functools.partial(round_to, places=pack.places, mode=pack.mode)
        self.zero = self.r(ZERO)  # 0.00 at the pack's places

    def f(self, value: Decimal) -> str:
        return fixed(value, self.pack.places)

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
        pack = self.pack
        observations = actuals.indicators
        seen = [observations.get(nfkc(ind.name), _EMPTY) for ind in project.indicators]
        skip = frozenset(i for i, obs in enumerate(seen) if obs.na) if pack.not_applicable == "redistribute" else None
        weights = self.weights(project, skip or frozenset())
        findings: list[Finding] = []
        results = [
            self.indicator(ind, weight or ZERO, obs, project, actuals.execution, year, findings)
            for ind, weight, obs in zip(project.indicators, weights, seen, strict=True)
        ]
        execution = self.execution(project, actuals.execution, findings)

        notes: list[str] = []
        applicable, scored = execution.weight, execution.score
        by_level: dict[str, list[Decimal]] = {name: [ZERO, ZERO, ZERO] for name, _ in pack.level1}  # weight, score, n
        for r in results:
            sums = by_level[nfkc(r.indicator.level1)]
            sums[2] += 1
            if r.status != "na":
                sums[0] += r.weight
                sums[1] += r.score
                applicable += r.weight
                scored += r.score
        levels = []
        for name, level_weight in pack.level1:
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
            missing: explain.Why = (explain.text, "缺少全年执行数，计0分")
            return ExecutionResult(budget, ZERO, ZERO, weight, ZERO, execution.explanation, missing, pack.places)
        spent = execution.spent
        if spent < 0:
            raise ScoringError(f"project {project.code} spent {plain(spent)}万元; spending cannot be negative")
        rate = spent / budget
        counted = min(rate, pack.exec_cap)
        score = min(self.r(counted * weight), weight)
        pct = self.r(rate * HUNDRED)
        cap = pack.exec_cap * HUNDRED if rate > pack.exec_cap else None
        why = (explain.execution, spent, budget, pct, cap, self.r(counted * HUNDRED), weight, score)
        below = pack.exec_explain_below
        if below is not None and rate < below and not execution.explanation:
            findings.append(
                Finding(
                    "error",
                    "execution-explanation",
                    "预算执行率",
                    f"执行率{self.f(pct)}%低于{plain(below * HUNDRED)}%，须说明原因",
                )
            )
        return ExecutionResult(budget, spent, rate, weight, score, execution.explanation, why, pack.places)

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
        places = self.pack.places
        if obs.na:
            why = (explain.text, "不适用，不计分，总分按适用分值折算")
            return IndicatorResult(ind, weight, ZERO, "na", None, obs.explanation, obs.evidence, why, "不适用", places)
        try:
            judged = self._judge(ind, weight, obs, project, execution, year)
        except InputError as exc:
            error = ScoringError(f"indicator {name!r} (target {ind.target}): {exc.message}", hint=exc.hint)
            error.indicator = name
            raise error from None
        if judged is None:
            findings.append(Finding("error", "missing-actual", name, f"{name}缺少实际完成值，计0分"))
            why = (explain.text, "缺少实际完成值，计0分")
            return IndicatorResult(ind, weight, ZERO, "missing", None, obs.explanation, obs.evidence, why, "", places)
        score, status, tier, why, seen, over = judged
        if score > weight:  # rounding to fewer places than the weight has (0.5 at places 0) must not lift it
            score = weight
        if status == "partial" and score == weight:  # <2% with 2%: short of the target, yet the formula gives all
            status = "met"
        if over:
            score, why = self._over(name, score, why, obs, findings)
        if score < weight and not obs.explanation:
            findings.append(
                Finding(
                    "error",
                    "missing-explanation",
                    name,
                    f"{name}得分{self.f(score)}低于分值{self.f(weight)}，须填写偏差原因分析及改进措施",
                )
            )
        return IndicatorResult(ind, weight, score, status, tier, obs.explanation, obs.evidence, why, seen, places)

    def _over(
        self, name: str, score: Decimal, why: explain.Why, obs: Observation, findings: list[Finding]
    ) -> tuple[Decimal, explain.Why]:
        pack = self.pack
        assert pack.over_threshold is not None
        limit = plain(pack.over_threshold * HUNDRED)
        if pack.over_action == "deduct":
            after = max(ZERO, score - pack.over_deduct)
            message = f"{name}实际值达到目标的{limit}%以上，扣{plain(pack.over_deduct)}分"
            findings.append(Finding("warning", "over-achievement", name, message))
            return after, (explain.deduct, why, limit, score, pack.over_deduct, after)
        if obs.explanation and pack.over_action == "explain":
            return score, (explain.over, why, limit)
        if pack.over_action == "flag":
            message = f"{name}实际值达到目标的{limit}%以上，请核实目标设定"
            findings.append(Finding("warning", "over-achievement", name, message))
        else:
            message = f"{name}实际值达到目标的{limit}%以上，须说明原因（目标是否设定过低）"
            findings.append(Finding("error", "over-achievement", name, message))
        return score, (explain.over, why, limit)

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
    def quantity(self, obs: Observation, target: Quantity) -> Quantity | None:
        """The observation as a quantity comparable with `target`: a value, a ratio or a survey."""
        if obs.tier is not None or obs.score is not None:
            raise InputError("this target is quantitative: give the actual value, not a tier or a score")
        if obs.numerator is not None or obs.denominator is not None:
            if obs.numerator is None or obs.denominator is None:
                raise InputError("give both numerator and denominator")
            if obs.denominator <= 0 or obs.numerator < 0:
                raise InputError(f"cannot take a rate of {plain(obs.numerator)} out of {plain(obs.denominator)}")
            if target.unit != "%":
                unit = target.unit or "no unit"
                raise InputError(f"numerator/denominator give a percentage, but the target is in {unit}")
            return Quantity(obs.numerator / obs.denominator * HUNDRED, "%")
        if obs.survey is not None:
            if target.unit != "%":
                raise InputError(f"survey counts give a percentage, but the target is in {target.unit or 'no unit'}")
            total = sum((count for _, count in obs.survey), ZERO)
            if total <= 0:
                raise InputError("the survey has no answers")
            satisfied = sum((n for answer, n in obs.survey if nfkc(answer) in self.pack.satisfied), ZERO)
            return Quantity(satisfied / total * HUNDRED, "%")
        value = obs.value
        if value is None:
            return None
        if not isinstance(value, Quantity):
            raise InputError(f"expected a number, found the date {value}")
        if value.unit is None:
            if value.scale != 1:  # a magnitude scales the target's own unit: 1.2万 vs ≥1万元 is 1.2万元
                return Quantity(value.value * target.unit_scale, target.unit)
            # a bare number is in the unit the target was written in: 12 vs ≥15万条
            return Quantity(value.value * target.scale, target.unit)
        return value

    def _comparison(
        self, p: Comparison, w: Decimal, obs: Observation, project: Project, execution: Execution
    ) -> Judged | None:
        if p.ref == "budget":
            bound = Quantity(project.budget * WAN, "元", f"{plain(project.budget)}万元", WAN, "万元")
            q = self.quantity(obs, bound)
            head = "实际"
            if q is None and execution.spent is not None:  # spending within budget: the year's spending is the actual
                q = Quantity(execution.spent * WAN, "元")
                head = "全年执行数"
            label = "预算数"
        else:
            bound = p.quantity  # type: ignore[assignment]
            q = self.quantity(obs, bound)
            head, label = "实际", "目标"
        if q is None:
            return None
        a, t = align(q, bound.unit), bound.value
        direction = p.direction
        if direction == "forward":
            return self._forward(p.op, a, t, w, head, label, bound)
        if direction == "reverse":
            return self._reverse(p.op, a, t, w, head, label, bound)
        return self._equality(a, t, w, head, label, bound)

    def _short(self, score: Decimal, why: explain.Why, seen: tuple[Quantity, Decimal]) -> Judged:
        """A shortfall, `score` already rounded: partial while anything is left, else unmet."""
        if score <= 0:
            score = self.zero
        return score, "partial" if score > 0 else "unmet", None, why, seen, False

    def _forward(self, op: str, a: Decimal, t: Decimal, w: Decimal, head: str, label: str, bound: Quantity) -> Judged:
        over = self.pack.over_threshold is not None and t > 0 and a >= t * self.pack.over_threshold
        if t == 0:
            return w, "met", None, (explain.met_zero_target, head, bound, a, label, w), (bound, a), over
        if a >= t if op == ">=" else a > t:
            return w, "met", None, (explain.met, head, bound, a, SYMBOLS[op], label, t, w), (bound, a), over
        rel = "<" if a < t else "="
        if self.pack.forward == "binary" or t < 0:
            return self._short(ZERO, (explain.zero, head, bound, a, rel, label, t, "未达到"), (bound, a))
        if self.pack.forward == "bands":
            return self._banded((t - a) / t, w, (head, bound, a, rel, label, t))
        score = self.r(a / t * w if a < t else w) if a > 0 else ZERO
        return self._short(score, (explain.ratio, head, bound, a, rel, label, t, a, t, w, score), (bound, a))

    def _reverse(self, op: str, a: Decimal, t: Decimal, w: Decimal, head: str, label: str, bound: Quantity) -> Judged:
        if a <= t if op == "<=" else a < t:
            return w, "met", None, (explain.met, head, bound, a, SYMBOLS[op], label, t, w), (bound, a), False
        rel = ">" if a > t else "="
        method = self.pack.reverse
        if t <= 0 or method == "binary":
            return self._short(ZERO, (explain.zero, head, bound, a, rel, label, t, "未达到"), (bound, a))
        if method == "bands":
            return self._banded((a - t) / t, w, (head, bound, a, rel, label, t))
        if method == "linear":
            score = self.r(max(ZERO, ONE - (a - t) / t) * w)
            return self._short(score, (explain.linear, head, bound, a, label, t, w, score), (bound, a))
        score = self.r(t / a * w if a > t else w)
        return self._short(score, (explain.ratio, head, bound, a, rel, label, t, t, a, w, score), (bound, a))

    def _banded(self, miss: Decimal, w: Decimal, shown: tuple[str, Quantity, Decimal, str, str, Decimal]) -> Judged:
        """按偏离度分档: the share of the weight kept by the band the miss falls in; beyond every band, 0."""
        if miss <= 0:  # <2% with exactly 2%: short of a strict bound by nothing, full marks as with ratio
            return self._short(w, (explain.banded, *shown, ZERO, "", ONE, w, w), (shown[1], shown[2]))
        for band, points in self.pack.bands:
            if miss in band:
                score = self.r(points * w)
                why = (explain.banded, *shown, self.r(miss * HUNDRED), str(band), points, w, score)
                return self._short(score, why, (shown[1], shown[2]))
        why = (explain.banded, *shown, self.r(miss * HUNDRED), "", ZERO, w, ZERO)
        return self._short(ZERO, why, (shown[1], shown[2]))

    def _equality(self, a: Decimal, t: Decimal, w: Decimal, head: str, label: str, bound: Quantity) -> Judged:
        if t == 0:
            if a <= 0:
                return w, "met", None, (explain.met, head, bound, a, "=", label, t, w), (bound, a), False
            return self._short(ZERO, (explain.zero, head, bound, a, "≠", label, t, "目标为0"), (bound, a))
        if a >= t:
            sym = "=" if a == t else ">"
            return w, "met", None, (explain.met, head, bound, a, sym, label, t, w), (bound, a), False
        if self.pack.equality == "binary" or t < 0:
            return self._short(ZERO, (explain.zero, head, bound, a, "<", label, t, "未达到"), (bound, a))
        score = self.r(max(a, ZERO) / t * w)
        return self._short(score, (explain.ratio, head, bound, a, "<", label, t, a, t, w, score), (bound, a))

    def _range(self, p: Range, w: Decimal, obs: Observation) -> Judged | None:
        bound = p.high
        q = self.quantity(obs, bound)
        if q is None:
            return None
        a = align(q, bound.unit)
        lo, hi = p.low.value, p.high.value
        text = p.canonical()
        if lo <= a <= hi:
            return w, "met", None, (explain.range_in, bound, a, text, w), (bound, a), False
        if self.pack.range == "binary" or (a < lo and lo <= 0):
            return self._short(ZERO, (explain.range_zero, bound, a, text), (bound, a))
        if a < lo:
            score = self.r(max(a, ZERO) / lo * w)
            return self._short(score, (explain.range_out, bound, a, "低于", text, a, lo, w, score), (bound, a))
        score = self.r(hi / a * w)
        return self._short(score, (explain.range_out, bound, a, "高于", text, hi, a, w, score), (bound, a))

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
        done = obs.value.isoformat()
        if obs.value <= due:
            return w, "met", None, (explain.on_time, done, due.isoformat(), w), done, False
        return self._tier_outcome(self.pack.deadline_late, None, w, f"{done}完成，晚于{due.isoformat()}，按", done)

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
        tier = self.trend_tier(p.trend, a, b)
        if obs.tier is not None and obs.tier != tier:
            raise InputError(f"the tier given ({obs.tier}) contradicts the numbers, which give {tier}")
        head = f"实际{obs.baseline.written(a)}，基线{obs.baseline.written(b)}，{p.canonical()}："
        return self._tier_outcome(tier, obs.score, w, head, obs.baseline.written(a))

    def trend_tier(self, trend: str, a: Decimal, b: Decimal) -> str:
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

    def _tier_outcome(self, tier: str | None, given: Decimal | None, w: Decimal, head: str, seen: str) -> Judged:
        if tier is None:
            assert given is not None
            tier = self._tier_of_score(given, w)
        t = self.tiers[tier]
        if given is None:
            score = self.r(t.default * w)
            why: explain.Why = (explain.tier_default, head, tier, t.default, w, score)
            return score, STATUS_OF_TIER[tier], tier, why, seen or tier, False
        band = t.band
        low, high = self.r(band.low * w), self.r(band.high * w)
        left, right = "[" if band.low_closed else "(", "]" if band.high_closed else ")"
        shown_band = f"{left}{self.f(low)}, {self.f(high)}{right}"
        if not (w == 0 and given == 0) and (w == 0 or given / w not in band):
            weight = self.f(w)
            raise InputError(f"score {plain(given)} lies outside {tier}'s band {shown_band} for a weight of {weight}")
        score = self.r(given)
        why = (explain.tier_given, head, tier, score, shown_band)
        return score, STATUS_OF_TIER[tier], tier, why, seen or tier, False

    def _tier_of_score(self, given: Decimal, w: Decimal) -> str:
        for tier in self.pack.tiers:
            if w > 0 and given / w in tier.band:
                return tier.name
        raise InputError(f"score {plain(given)} is not within 0–{self.f(w)}")


_EMPTY = Observation()  # an indicator without an actual; actuals are keyed by NFKC-normalised name


_SCORERS: dict[int, tuple[Pack, Scorer]] = {}  # by identity: hashing a Pack walks all its fields


def scorer_for(pack: Pack) -> Scorer:
    entry = _SCORERS.get(id(pack))
    if entry is None or entry[0] is not pack:
        entry = _SCORERS[id(pack)] = (pack, Scorer(pack))
    return entry[1]


def score_project(project: Project, actuals: ProjectActuals, pack: Pack, year: int) -> Scorecard:
    """Score one project's self-evaluation under `pack` for budget `year`."""
    return scorer_for(pack).score(project, actuals, year)
