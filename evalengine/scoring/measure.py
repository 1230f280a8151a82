"""An actual measured against a quantitative target: the one reading shared by scoring and monitoring.

An observation becomes a quantity in the target's unit (a value, a ratio of two counts, or a survey),
and a target becomes its bound: its own quantity, or the project's budget for 在预算范围内.
"""

from __future__ import annotations

from decimal import Decimal
from operator import itemgetter
from typing import assert_never

from evalengine.errors import InputError
from evalengine.i18n import _
from evalengine.language.predicates import Comparison, Quantity, Range, align
from evalengine.model import Observation, Project
from evalengine.numbers import HUNDRED, WAN, ZERO, plain
from evalengine.text import nfkc

# An actual measured against its bound: (the actual aligned to the bound's unit, the bound (which also knows
# the unit it was written in), what a trace calls the actual: 实际 or 全年执行数 when spending stands in,
# what it calls the bound: 目标 or 预算数). A plain tuple: one is made for every indicator of a batch.
Measured = tuple[Decimal, Quantity, str, str]

_COUNT = itemgetter(1)  # a survey answer's count


def budget_bound(project: Project) -> Quantity:
    """The project's budget (预算数, 万元) as a bound in 元, written back in 万元."""
    return Quantity(project.budget * WAN, "元", f"{plain(project.budget)}万元", WAN, "万元")


def bound_of(p: Comparison | Range, project: Project) -> Quantity:
    """The quantity a target is judged against: the upper end of a range, or the budget."""
    match p:
        case Range():
            return p.high
        case Comparison(ref="budget"):
            return budget_bound(project)
        case Comparison():
            assert p.quantity is not None
            return p.quantity
        case _:
            assert_never(p)


def quantity(obs: Observation, target: Quantity, satisfied: frozenset[str]) -> Quantity | None:
    """The observation as a quantity comparable with `target`: a value, a ratio or a survey.

    `satisfied` names the survey answers that count as satisfied (the pack's satisfaction.satisfied).
    """
    if obs.tier is not None or obs.score is not None:
        raise InputError(_("this target is quantitative: give the actual value, not a tier or a score"))
    if obs.numerator is not None or obs.denominator is not None:
        if obs.numerator is None or obs.denominator is None:
            raise InputError(_("give both numerator and denominator"))
        if obs.denominator <= 0 or obs.numerator < 0:
            raise InputError(
                _(
                    "cannot take a rate of {numerator} out of {denominator}",
                    numerator=plain(obs.numerator),
                    denominator=plain(obs.denominator),
                )
            )
        if target.unit != "%":
            unit = target.unit or _("no unit")
            raise InputError(_("numerator/denominator give a percentage, but the target is in {unit}", unit=unit))
        return Quantity(obs.numerator / obs.denominator * HUNDRED, "%")
    if obs.survey is not None:
        if target.unit != "%":
            raise InputError(
                _("survey counts give a percentage, but the target is in {unit}", unit=target.unit or _("no unit"))
            )
        total = sum(map(_COUNT, obs.survey), ZERO)  # in C: surveys are common, a generator's frame is not free
        if total <= 0:
            raise InputError(_("the survey has no answers"))
        happy = sum((n for answer, n in obs.survey if nfkc(answer) in satisfied), ZERO)
        return Quantity(happy / total * HUNDRED, "%")
    value = obs.value
    if value is None:
        return None
    if not isinstance(value, Quantity):
        raise InputError(_("expected a number, found the date {value}", value=value))
    if value.unit is None:
        if value.scale != 1:  # a magnitude scales the target's own unit: 1.2万 vs ≥1万元 is 1.2万元
            return Quantity(value.value * target.unit_scale, target.unit)
        # a bare number is in the unit the target was written in: 12 vs ≥15万条
        return Quantity(value.value * target.scale, target.unit)
    return value


def measure(
    p: Comparison | Range, obs: Observation, project: Project, spent: Decimal | None, satisfied: frozenset[str]
) -> Measured | None:
    """The actual of `obs` against target `p`, or None when there is none.

    Under 在预算范围内 with no actual given, the spending `spent` (万元) stands in for it.
    """
    if isinstance(p, Comparison) and p.quantity is not None:  # the common case: a bound of its own
        bound = p.quantity
        q = quantity(obs, bound, satisfied)
        if q is None:
            return None
        # already in the bound's unit (or read in it) for nearly every actual: align only checks then
        return (q.value if q.unit is None or q.unit == bound.unit else align(q, bound.unit)), bound, "实际", "目标"
    bound = bound_of(p, project)
    q = quantity(obs, bound, satisfied)
    budget = isinstance(p, Comparison)  # 在预算范围内
    head = "实际"
    if q is None and budget and spent is not None:
        q, head = Quantity(spent * WAN, "元"), "全年执行数"
    if q is None:
        return None
    return align(q, bound.unit), bound, head, "预算数" if budget else "目标"
