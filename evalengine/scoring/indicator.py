"""One indicator scored: its target judged against its actual under a pack, with findings and a trace.

Dispatch on the kind of target is one `match` with `assert_never` (in `_judged`, the general path of
`indicator`): a new kind makes mypy point here (and at the monitor) until it is handled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import assert_never

from evalengine.errors import InputError, ScoringError
from evalengine.i18n import N_, Template, _
from evalengine.language.predicates import (
    _HOLDS,
    DIRECTIONS,
    SYMBOLS,
    Change,
    Comparison,
    Completion,
    Deadline,
    Graded,
    Op,
    Predicate,
    Qualitative,
    Quantity,
    Range,
    Reference,
    TierName,
    Tolerance,
    Trend,
    align,
)
from evalengine.model import Execution, Finding, Indicator, Observation, Project
from evalengine.numbers import HUNDRED, ZERO, fixer, plain, rounder
from evalengine.packs.model import Pack
from evalengine.scoring import explain
from evalengine.scoring.measure import Measured, measure, quantity
from evalengine.scoring.methods import Rules, formula, range_zero, zero
from evalengine.scoring.results import IndicatorResult, Outcome, Status, new_result

# A comparison's actual against its bound: (weight, actual in the bound's unit, bound, what the trace calls
# the actual, what it calls the bound) -> the outcome (IndicatorScorer._judge makes one per operator)
Judge = Callable[[Decimal, Decimal, Quantity, str, str], Outcome]

# the findings drawn for many indicators of a batch: filled by position, through the catalogue (i18n.Template)
BELOW_WEIGHT = Template(
    N_("{name} scored {score}, below its weight {weight}: fill in the explanation"), "name", "score", "weight"
)
OVER_DEDUCTED = Template(
    N_("{name}'s actual reached {limit}% of the target or more: {deduct} points deducted"), "name", "limit", "deduct"
)
OVER_FLAGGED = Template(
    N_("{name}'s actual reached {limit}% of the target or more: please check how the target was set"), "name", "limit"
)
OVER_UNEXPLAINED = Template(
    N_("{name}'s actual reached {limit}% of the target or more: say why (was the target set too low?)"),
    "name",
    "limit",
)


def meets_of(op: Op) -> Callable[[Decimal, Decimal], bool]:
    """Whether an actual meets a bound of operator `op`, as Comparison(op).meets says: for ≥ > ≤ < the very
    operator it applies (without the method's call, made for every comparison scored); = is reached, not
    matched, so its own method."""
    return Comparison(op).meets if op == "=" else _HOLDS[op]


# an indicator's result, made as results.new_result makes it but without its partial's call (one per indicator),
# and the findings drawn for many indicators of a batch (a score below its weight without an explanation, an
# over-achievement): without the Python-level call of the named-tuple constructor, nor a partial's
tuple_new = tuple.__new__

STATUS_OF_TIER: dict[str, Status] = {"达成": "met", "部分达成": "partial", "未达成": "unmet"}
STATUS_ZH: dict[Status, str] = {
    "met": "达成",
    "partial": "部分达成",
    "unmet": "未达成",
    "na": "不适用",
    "missing": "缺少实际值",
}


class IndicatorScorer:
    """Scores single indicators under one pack."""

    def __init__(self, pack: Pack):
        self.pack = pack
        self.tiers = {t.name: t for t in pack.tiers}
        self.r: Callable[[Decimal], Decimal] = rounder(pack.rounding.places, pack.rounding.mode)
        self.rules = Rules(self.r, pack.methods.bands)
        self.places = pack.rounding.places
        self.f: Callable[[Decimal], str] = fixer(self.places)  # a score as shown: fixed to the pack's places
        # where fixer finds the point of a number it prints by str(): `places` from the end (none at places 0: the
        # slice is empty); and whether an exponent could put a point there (only at 4 places or more)
        self.dot = slice(-(self.places + 1), -self.places)
        self.sci = self.places >= 4
        # looked up once: these are read for every indicator of a batch
        self.threshold = pack.over_achievement.threshold
        # the threshold as the over-achievement findings and traces print it (130)
        self.over_limit = "" if self.threshold is None else plain(self.threshold * HUNDRED)
        self.satisfied = pack.satisfaction.satisfied
        self.forward = formula("forward", pack.methods.forward)
        self.reverse = formula("reverse", pack.methods.reverse)
        self.equality = formula("equality", pack.methods.equality)
        self.range = formula("range", pack.methods.range)
        # a comparison's judge per operator (≥, >, ≤, <, =), resolved once here rather than per indicator
        self.judges: dict[Op, Judge] = {op: self._judge(op) for op in DIRECTIONS}

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
        """Score `ind` with weight `weight`; its findings are appended to `findings`."""
        p = ind.predicate
        value = obs.value
        # The common case first: a bound of its own (≥95%) and a plain value already in its unit, nothing else
        # given (no tier, ratio or survey; not 不适用; no notes on how it was read). That is what `quantity`
        # and the match below would find after a dozen tests and a call; any other case goes their way.
        if (
            p.__class__ is Comparison
            and value.__class__ is Quantity
            and (bound := p.quantity) is not None
            and (unit := value.unit) is not None
            and unit == bound.unit
            and obs.tier is None
            and obs.score is None
            and obs.numerator is None
            and obs.denominator is None
            and obs.survey is None
            and not obs.na
            and not obs.notes
            and not obs.warnings
        ):
            outcome: Outcome | None = self.judges[p.op](weight, value.value, bound, "实际", "目标")
        elif (
            (p.__class__ is Qualitative or p.__class__ is Reference)
            and (tier := obs.tier) is not None
            and obs.score is None
            and value is None
            and obs.numerator is None
            and obs.survey is None
            and not obs.na
            and not obs.notes
            and not obs.warnings
        ):
            # The next most common case: a tier named for a tiered target (积极向上: 达成), no score within its
            # band, nothing else given. It scores the tier's default share, as _tiered and _tier_outcome would
            # find after two calls and the match's class tests; tests/test_fast_core.py compares the two.
            share = self.tiers[tier].default
            # self.r is a closure stored on the instance, not a method: `self.r(x)` compiles to a LOAD_METHOD
            # that CPython 3.11 cannot specialise (a generic lookup through the class first); read as an
            # attribute, then called
            r = self.r
            score = r(share * weight)
            why: explain.Why = (explain.tier_default, "评价为", tier, share, weight, score)
            if score < weight and obs.explanation and ind.scored:
                # below its weight (部分达成, 未达成) and explained: nothing for the checks below to cap, correct
                # or find, so the result at once, without an outcome built and unpacked (compared as above)
                return tuple_new(
                    IndicatorResult,
                    (
                        ind,
                        weight,
                        score,
                        STATUS_OF_TIER[tier],
                        tier,
                        obs.explanation,
                        obs.evidence,
                        why,
                        obs.text or tier,
                        self.places,
                    ),
                )
            outcome = (score, STATUS_OF_TIER[tier], tier, why, obs.text or tier, False)
        else:
            if obs.na:
                why = (explain.text, "不适用，不计分，总分按适用分值折算")
                return IndicatorResult(
                    ind, weight, ZERO, "na", None, obs.explanation, obs.evidence, why, "不适用", self.places
                )
            # every other case, judged in a method of its own: its locals (a dozen) would otherwise be set up and
            # cleared in this frame for every indicator of a batch, the common cases above included
            outcome = self._judged(p, ind, weight, obs, project, execution, year, findings)
        if outcome is None:
            return self._missing(ind, weight, obs, findings)
        score, status, tier, why, seen, over = outcome
        if not ind.scored:  # a 其中 row: judged, never scored, never asked to explain
            why = (explain.sub_row, STATUS_ZH[status])  # its trace tells the status only
            return new_result(
                (ind, weight, self.r(ZERO), status, tier, obs.explanation, obs.evidence, why, seen, self.places)
            )
        # a target met scores the weight itself (the same object): nothing to cap, nothing to explain
        if score is weight:
            if status == "partial":  # the formula handed back the weight itself (a band of no miss): met
                status = "met"
            if not over:
                return tuple_new(
                    IndicatorResult,
                    (ind, weight, score, status, tier, obs.explanation, obs.evidence, why, seen, self.places),
                )
            below = False
        elif score < weight:
            below = True
        else:
            if score > weight:  # rounding to fewer places than the weight has (0.5 at places 0) must not lift it
                score = weight
            if status == "partial":  # <2% with 2%: short of the target, yet the formula gives all
                status = "met"
            below = False
        if over:
            score, why = self._over(ind.name, score, why, obs, findings)
            below = score < weight
        if below and not obs.explanation:
            name = ind.name
            # The score and the weight as self.f (numbers.fixer) prints them, its str() shortcut written out
            # here: this finding is drawn for one indicator in five of a batch, and each call of the closure
            # cost about 2,500 instructions, str() about 760 of them (a microbenchmark). Anything the shortcut
            # does not print (another number of places, an exponent; at places 0 the slice is empty) goes
            # to self.f. tests/test_fast_core.py compares both with self.f.
            # (the point's place taken by a slice made once; an exponent looked for only at 4 places or more: at
            # fewer, the character the slice takes from a number printed with one (1.5E+5, 1E-7) is never the point)
            # (read from self, not kept in locals: each local of this frame is set up and cleared for every
            # indicator of a batch, this path taken or not)
            shown, weight_shown = str(score), str(weight)
            if shown[self.dot] != "." or (self.sci and ("E" in shown or "e" in shown)):
                shown = self.f(score)
            if weight_shown[self.dot] != "." or (self.sci and ("E" in weight_shown or "e" in weight_shown)):
                weight_shown = self.f(weight)
            pieces = BELOW_WEIGHT.pieces()  # the message joined here, not %-formatted by a call (i18n)
            if pieces is None:
                message = BELOW_WEIGHT(name, shown, weight_shown)
            else:
                # (the pieces: head, after the name, after the score, tail; indexed, not unpacked into locals)
                message = f"{pieces[0]}{name}{pieces[1]}{shown}{pieces[2]}{weight_shown}{pieces[3]}"
            findings.append(tuple_new(Finding, ("error", "missing-explanation", name, message)))
        return tuple_new(
            IndicatorResult, (ind, weight, score, status, tier, obs.explanation, obs.evidence, why, seen, self.places)
        )

    def _judged(
        self,
        p: Predicate,
        ind: Indicator,
        weight: Decimal,
        obs: Observation,
        project: Project,
        execution: Execution,
        year: int,
        findings: list[Finding],
    ) -> Outcome | None:
        """Any target judged by its kind (the general path of `indicator`), with the notes on how the actual was
        read drawn as findings; None: no actual."""
        try:
            # what kind of target decides how the actual is judged; mypy lists this match for a new kind.
            # The cases go by how common each kind is (they are disjoint classes): comparisons first, then tiers,
            # so most indicators pass one or two class tests.
            match p:
                case Comparison():  # read in its bound's unit, then judged by its operator's judge
                    bound = p.quantity
                    if bound is None:  # 在预算范围内: the budget is the bound, spending may stand in for the actual
                        m = measure(p, obs, project, execution.spent, self.satisfied)
                        outcome = None if m is None else self.judges[p.op](weight, *m)
                    else:
                        q = quantity(obs, bound, self.satisfied)
                        if q is None:
                            outcome = None
                        else:  # already in the bound's unit (or read in it) for nearly every actual
                            unit = q.unit
                            a = q.value if unit is None or unit == bound.unit else align(q, bound.unit)
                            outcome = self.judges[p.op](weight, a, bound, "实际", "目标")
                case Qualitative() | Reference():
                    outcome = self._tiered(p, weight, obs)
                case Range():
                    outcome = self._range(p, weight, obs, project)
                case Deadline():
                    outcome = self._deadline(p, weight, obs, year)
                case Trend():
                    outcome = self._trend(p, weight, obs)
                case Graded():
                    outcome = self._graded(p, weight, obs)
                case Tolerance():
                    outcome = self._tolerance(p, weight, obs)
                case Change():
                    outcome = self._change(p, weight, obs)
                case _:
                    assert_never(p)
        except InputError as exc:
            name = ind.name
            said = _(
                "indicator {name!r} (target {target}): {message}", name=name, target=ind.target, message=exc.message
            )
            error = ScoringError(said, hint=exc.hint)
            error.indicator = name
            raise error from None
        if obs.notes or obs.warnings:
            name = ind.name
            for note in obs.notes:
                said = _("{name}: {message}", name=name, message=note)
                findings.append(Finding("warning", "actual-read-as", name, said))
            for code, message in obs.warnings:
                said = _("{name}: {message}", name=name, message=message)
                findings.append(Finding("warning", code, name, said))
        return outcome

    def _missing(self, ind: Indicator, weight: Decimal, obs: Observation, findings: list[Finding]) -> IndicatorResult:
        """An indicator without an actual: a sub-row is only noted, a scored row scores 0."""
        name = ind.name
        if not ind.scored:
            message = _("{name} (a sub-row, not scored) has no actual value", name=name)
            findings.append(Finding("warning", "missing-actual", name, message))
            why = (explain.text, "其中项，不计分；缺少实际完成值")
        else:
            findings.append(
                Finding("error", "missing-actual", name, _("{name} has no actual value: it scores 0", name=name))
            )
            why = (explain.text, "缺少实际完成值，计0分")
        return IndicatorResult(ind, weight, ZERO, "missing", None, obs.explanation, obs.evidence, why, "", self.places)

    def _over(
        self, name: str, score: Decimal, why: explain.Why, obs: Observation, findings: list[Finding]
    ) -> tuple[Decimal, explain.Why]:
        over = self.pack.over_achievement
        assert over.threshold is not None
        limit = self.over_limit
        if over.action == "deduct":
            after = max(ZERO, score - over.deduct)
            message = OVER_DEDUCTED(name, limit, plain(over.deduct))
            findings.append(tuple_new(Finding, ("warning", "over-achievement", name, message)))
            return after, (explain.deduct, why, limit, score, over.deduct, after)
        if obs.explanation and over.action == "explain":
            return score, (explain.over, why, limit)
        if over.action == "flag":
            message = OVER_FLAGGED(name, limit)
            findings.append(tuple_new(Finding, ("warning", "over-achievement", name, message)))
        else:
            # (drawn for many over-achieving indicators of a batch: joined from the template's pieces, as the
            # below-weight finding is, unless the language reorders the fields)
            pieces = OVER_UNEXPLAINED.pieces()
            if pieces is None:
                message = OVER_UNEXPLAINED(name, limit)
            else:
                head, after_name, tail = pieces
                message = f"{head}{name}{after_name}{limit}{tail}"
            findings.append(tuple_new(Finding, ("error", "over-achievement", name, message)))
        return score, (explain.over, why, limit)

    # -- quantities (a comparison is measured and judged in `indicator` itself: the most common kind)
    def _bounded(self, p: Comparison, w: Decimal, m: Measured) -> Outcome:
        """A measured actual against a bound in the direction of `p` (≥, ≤ or =): its operator's judge."""
        return self.judges[p.op](w, *m)

    def _judge(self, op: Op) -> Judge:
        """How an actual is judged against a bound of operator `op` under this pack, worked out once per
        operator when the pack is loaded: its direction, its test, its formula and its symbol are chosen
        here, not for every indicator. The formulas themselves are those of scoring.methods."""
        rules = self.rules
        sym = SYMBOLS[op]
        meets = meets_of(op)  # the predicate's own test for the operator
        met = explain.met
        match DIRECTIONS[op]:
            case "forward":
                threshold = self.threshold
                forward = self.forward

                def judge_forward(w: Decimal, a: Decimal, bound: Quantity, head: str, label: str) -> Outcome:
                    t = bound.value
                    if not t:
                        return w, "met", None, (explain.met_zero_target, head, bound, a, label, w), (bound, a), False
                    if meets(a, t):  # over-achievement only matters when met (a shortfall's formula ignores it)
                        over = threshold is not None and t > ZERO and a >= t * threshold
                        return w, "met", None, (met, head, bound, a, sym, label, t, w), (bound, a), over
                    rel = "<" if a < t else "="
                    return (forward if t > ZERO else zero)(a, t, w, rel, bound, head, label, "", rules)

                return judge_forward
            case "reverse":
                reverse = self.reverse

                def judge_reverse(w: Decimal, a: Decimal, bound: Quantity, head: str, label: str) -> Outcome:
                    t = bound.value
                    if meets(a, t):
                        return (w, "met", None, (met, head, bound, a, sym, label, t, w), (bound, a), False)
                    rel = ">" if a > t else "="
                    return (reverse if t > ZERO else zero)(a, t, w, rel, bound, head, label, "", rules)

                return judge_reverse
            case "equality":
                equality = self.equality
                r = self.r

                def judge_equality(w: Decimal, a: Decimal, bound: Quantity, head: str, label: str) -> Outcome:
                    t = bound.value
                    seen = (bound, a)
                    if meets(a, t):
                        shown = "=" if a == t or not t else ">"
                        return (w, "met", None, (met, head, bound, a, shown, label, t, w), seen, False)
                    if not t:
                        nought: explain.Why = (explain.zero, head, bound, a, "≠", label, t, "目标为0")
                        return (r(ZERO), "unmet", None, nought, seen, False)
                    return (equality if t > ZERO else zero)(a, t, w, "<", bound, head, label, "", rules)

                return judge_equality
            case _:
                assert_never(DIRECTIONS[op])

    def _range(self, p: Range, w: Decimal, obs: Observation, project: Project) -> Outcome | None:
        m = measure(p, obs, project, None, self.satisfied)
        if m is None:
            return None
        a, bound, head, label = m
        lo, hi = p.low.value, p.high.value
        text = p.canonical()
        if p.meets(a):
            return (w, "met", None, (explain.range_in, bound, a, text, w), (bound, a), False)
        below = a < lo
        end, side = (lo, "低于") if below else (hi, "高于")
        return (range_zero if below and lo <= 0 else self.range)(a, end, w, side, bound, head, label, text, self.rules)

    # -- deadlines, trends, tiers
    def _deadline(self, p: Deadline, w: Decimal, obs: Observation, year: int) -> Outcome | None:
        due = p.resolve(year)
        deadline = self.pack.methods.deadline
        if obs.tier is not None or obs.score is not None:
            return self._tier_outcome(obs.tier, obs.score, w, f"截止{due.isoformat()}，评价为", obs.text or "")
        if obs.completed is False:
            return self._tier_outcome(deadline.missed, None, w, f"截止{due.isoformat()}未完成，按", "未完成")
        if obs.value is None:
            if obs.completed:  # 已完成, 按时完成: done, and said to be in time
                return w, "met", None, (explain.done, obs.text or "已完成", due.isoformat(), w), obs.text, False
            return None
        if isinstance(obs.value, Completion):
            return self._completion(obs.value, due, w, year)
        if not isinstance(obs.value, date):
            raise InputError(
                _("expected the completion date (e.g. {due}), found {value}", due=due.isoformat(), value=obs.value)
            )
        done = obs.value.isoformat()
        if p.meets(obs.value, year):
            return (w, "met", None, (explain.on_time, done, due.isoformat(), w), done, False)
        return self._tier_outcome(deadline.late, None, w, f"{done}完成，晚于{due.isoformat()}，按", done)

    def _completion(self, c: Completion, due: date, w: Decimal, year: int) -> Outcome:
        """已完成, 按时完成, 未完成, 12月20日, 2024年12月, 7月 against the due date."""
        deadline = self.pack.methods.deadline
        text = str(c)
        if not c.done:
            return self._tier_outcome(deadline.missed, None, w, f"截止{due.isoformat()}未完成，按", text)
        if c.on_time:
            return w, "met", None, (explain.attested, text, due.isoformat(), w), text, False
        on_time = c.on_or_before(due, year)
        if on_time is None:  # 已完成 without a date: the self-evaluation is made at the year's end
            if due >= date(year, 12, 31):
                return w, "met", None, (explain.done_by_year_end, text, due.isoformat(), w), text, False
            head = f"{text}但未注明完成时间，期限{due.isoformat()}早于年末，按逾期"
            return self._tier_outcome(deadline.late, None, w, head, text)
        when = c.when(year) or text
        if on_time:
            return w, "met", None, (explain.on_time, when, due.isoformat(), w), text, False
        return self._tier_outcome(deadline.late, None, w, f"{when}完成，晚于{due.isoformat()}，按", text)

    # -- graded targets, tolerances and changes
    def _graded(self, p: Graded, w: Decimal, obs: Observation) -> Outcome | None:
        top = p.grades[0].quantity
        q = quantity(obs, top, self.satisfied)
        if q is None:
            return None
        a = align(q, top.unit)
        grade = p.reached(a)
        share = self.pack.methods.grade_share(grade.grade) if grade else ZERO
        score = self.r(share * w)
        status: Status = "met" if score == w else ("partial" if score > 0 else "unmet")
        bound = grade.quantity if grade else p.grades[-1].quantity
        reached = f"{grade.grade}（{SYMBOLS[grade.op]}{grade.quantity}）" if grade else ""
        lowest = f"{SYMBOLS[p.grades[-1].op]}{p.grades[-1].quantity}"
        why = (explain.graded, top, a, reached, lowest, share, w, score)
        return score, status, None, why, (bound, a), False

    def _tolerance(self, p: Tolerance, w: Decimal, obs: Observation) -> Outcome | None:
        bound = p.quantity
        q = quantity(obs, bound, self.satisfied)
        if q is None:
            return None
        deviation = align(q, bound.unit)
        off, t = abs(deviation), bound.value
        if p.meets(deviation):
            return w, "met", None, (explain.met, "偏差", bound, off, "≤", "允许偏差±", t, w), (bound, deviation), False
        score, status, tier, why, _seen, over = formula("tolerance", self.pack.methods.tolerance)(
            off, t, w, ">", bound, "偏差", "允许偏差±", p.canonical(), self.rules
        )
        return score, status, tier, why, (bound, deviation), over

    def _change(self, p: Change, w: Decimal, obs: Observation) -> Outcome | None:
        target = p.quantity
        if obs.value is None:
            if obs.baseline is not None:
                raise InputError(_("{target}: give the year's value beside its baseline", target=p.canonical()))
            if obs.tier is not None or obs.score is not None:
                raise InputError(
                    _("{target} is judged on the numbers: give value and baseline, not a tier", target=p.canonical())
                )
            return None
        if not isinstance(obs.value, Quantity):
            raise InputError(_("expected a number, found {value}", value=obs.value))
        bound = Comparison(p.op, target, text=p.canonical())
        if obs.baseline is None:  # the value is the change achieved itself: 4个百分点, 6%
            achieved = align(self._in_unit(obs.value, target), target.unit)
            return self._bounded(bound, w, (achieved, target, "实际" + p.canonical()[:2], "目标"))
        base_unit = "%" if target.unit == "百分点" else (None if p.relative else target.unit)
        rate = target.unit == "百分点"
        a = self._in_unit(obs.value, target, rate)
        b = self._in_unit(obs.baseline, target, rate)
        if a.unit != b.unit:
            raise InputError(
                _(
                    "the value {value} and the baseline {baseline} are in different units",
                    value=obs.value,
                    baseline=obs.baseline,
                )
            )
        if base_unit is not None and a.unit not in (base_unit, None):
            raise InputError(
                _(
                    "{target} needs values in {unit}, found {value}",
                    target=p.canonical(),
                    unit=base_unit,
                    value=obs.value,
                )
            )
        try:
            achieved = p.achieved(a.value, b.value)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        shown = obs.baseline if obs.baseline.unit else obs.value
        places = self.pack.rounding.places
        head = f"实际{shown.written(a.value, places)}，基线{shown.written(b.value, places)}，{p.canonical()[:2]}"
        if obs.baseline_year is not None:
            head = f"基线取自{obs.baseline_year}年记录：{obs.baseline}；{head}"
        return self._bounded(bound, w, (achieved, target, head, "目标"))

    @staticmethod
    def _in_unit(value: Quantity, target: Quantity, rate: bool = False) -> Quantity:
        """A bare number in the target's unit as written; for a change in 百分点, in %."""
        if value.unit is not None:
            return value
        if rate:
            return Quantity(value.value, "%")
        return Quantity(value.value * (target.scale if value.scale == 1 else target.unit_scale), target.unit)

    def _trend(self, p: Trend, w: Decimal, obs: Observation) -> Outcome | None:
        if obs.value is None and obs.baseline is None:
            if obs.tier is None and obs.score is None:
                return None
            return self._tier_outcome(obs.tier, obs.score, w, f"{p.canonical()}，评价为", obs.text)
        if obs.value is None or obs.baseline is None:
            raise InputError(
                _("{target} is judged against a baseline: give both value and baseline", target=p.canonical())
            )
        if not isinstance(obs.value, Quantity):
            raise InputError(_("expected a number, found the date {value}", value=obs.value))
        a = align(obs.value, obs.baseline.unit)
        b = obs.baseline.value
        tier = p.tier(a, b, self.pack.methods.trend)
        if obs.tier is not None and obs.tier != tier:
            raise InputError(
                _("the tier given ({given}) contradicts the numbers, which give {tier}", given=obs.tier, tier=tier)
            )
        head = f"实际{obs.baseline.written(a)}，基线{obs.baseline.written(b)}，{p.canonical()}："
        if obs.baseline_year is not None:
            head = f"基线取自{obs.baseline_year}年记录：{obs.baseline}；{head}"
        return self._tier_outcome(tier, obs.score, w, head, obs.baseline.written(a))

    def _tiered(self, p: Qualitative | Reference, w: Decimal, obs: Observation) -> Outcome | None:
        if obs.value is not None or obs.numerator is not None or obs.survey is not None:
            raise InputError(
                _("{target} is judged in tiers: give tier: 达成 / 部分达成 / 未达成", target=p.canonical())
            )
        if obs.tier is None and obs.score is None:
            return None
        return self._tier_outcome(obs.tier, obs.score, w, "评价为", obs.text)

    def _tier_outcome(
        self, tier: TierName | str | None, given: Decimal | None, w: Decimal, head: str, seen: str
    ) -> Outcome:
        if tier is None:
            assert given is not None
            tier = self._tier_of_score(given, w)
        t = self.tiers[tier]
        if given is None:
            score = self.r(t.default * w)
            why: explain.Why = (explain.tier_default, head, tier, t.default, w, score)
            return (score, STATUS_OF_TIER[tier], tier, why, seen or tier, False)
        band = t.band
        low, high = self.r(band.low * w), self.r(band.high * w)
        left, right = "[" if band.low_closed else "(", "]" if band.high_closed else ")"
        shown_band = f"{left}{self.f(low)}, {self.f(high)}{right}"
        if not (w == 0 and given == 0) and (w == 0 or given / w not in band):
            weight = self.f(w)
            raise InputError(
                _(
                    "score {score} lies outside {tier}'s band {band} for a weight of {weight}",
                    score=plain(given),
                    tier=tier,
                    band=shown_band,
                    weight=weight,
                )
            )
        score = self.r(given)
        why = (explain.tier_given, head, tier, score, shown_band)
        return (score, STATUS_OF_TIER[tier], tier, why, seen or tier, False)

    def _tier_of_score(self, given: Decimal, w: Decimal) -> str:
        for tier in self.pack.tiers:
            if w > 0 and given / w in tier.band:
                return tier.name
        raise InputError(_("score {score} is not within 0–{weight}", score=plain(given), weight=self.f(w)))
