"""In-year monitoring (绩效运行监控, the 双监控): is spending on plan, are the targets on track?

A pure function from (project, actuals so far, pack, as-of date) to lights: 红 red, 黄 yellow,
绿 green, 蓝 blue (ahead). Thresholds and the checkpoint rule come from the pack's `monitoring:`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, assert_never

from evalengine.errors import InputError
from evalengine.i18n import N_, _
from evalengine.language.predicates import (
    Change,
    Comparison,
    Completion,
    Deadline,
    Graded,
    Qualitative,
    Quantity,
    Range,
    Reference,
    Tolerance,
    Trend,
    align,
    last_day,
)
from evalengine.model import Execution, Finding, Indicator, Observation, Project, ProjectActuals
from evalengine.numbers import HUNDRED, ONE, ZERO, fixed, plain, round_to
from evalengine.packs.model import Pack
from evalengine.scoring.measure import measure, quantity
from evalengine.text import nfkc

Light = Literal["red", "yellow", "green", "blue"]  # 红 黄 绿 蓝 (ahead)
WORST_FIRST: tuple[Light, ...] = ("red", "yellow", "green", "blue")


LIGHT_ZH = {"red": "红", "yellow": "黄", "green": "绿", "blue": "蓝"}


TIER_LIGHT: dict[str, Light] = {"达成": "green", "部分达成": "yellow", "未达成": "red"}


_EMPTY = Observation()


SURVEY_NOT_DUE = "满意度调查于年末开展，尚未到期"


# the finding of an indicator without a light, by its note (the note itself is the report's Chinese)
_UNLIT = {
    "缺少当前评价": N_("{name} has no current assessment: no light"),
    "缺少当前值": N_("{name} has no current value: no light"),
}
NOT_DUE = ("未到期限", SURVEY_NOT_DUE)  # notes of indicators not yet due: they neither block 蓝 nor ask for a value


@dataclass(frozen=True)
class SpendingLight:
    """支出进度: spending so far against the plan, and its light."""

    budget: Decimal  # 万元
    spent: Decimal  # cumulative to the as-of date, 万元
    actual: Decimal  # spent ÷ budget, a fraction
    planned: Decimal  # the plan's cumulative share at the as-of date, a fraction
    basis: str  # which checkpoint (6月底) or 序时进度 (time elapsed)
    ratio: Decimal | None  # actual ÷ planned; None before anything was planned
    light: Light
    cause: str | None
    outlook: str | None

    @property
    def lag(self) -> Decimal:
        """Percentage points behind plan (negative: ahead)."""
        return (self.planned - self.actual) * HUNDRED


@dataclass(frozen=True)
class IndicatorLight:
    """One indicator's light at the monitoring date: what was due, what was done."""

    indicator: Indicator
    actual: str
    expected: str  # what was due by now: the pro-rated target, the deadline, the tier
    progress: Decimal | None  # actual ÷ what was due, a fraction, where that is a number
    light: Light | None  # None: not applicable, or no current value
    note: str
    cause: str | None
    outlook: str | None


@dataclass(frozen=True)
class MonitorCard:
    """One project's lights at the monitoring date, its own light and its findings."""

    project: Project
    as_of: date
    spending: SpendingLight
    indicators: tuple[IndicatorLight, ...]
    light: Light
    findings: tuple[Finding, ...]


def months_elapsed(as_of: date) -> Decimal:
    """序时进度 in months: whole months gone plus the share of this month's days (June 30 → 6)."""
    return Decimal(as_of.month - 1) + Decimal(as_of.day) / last_day(as_of.year, as_of.month)


def _light(progress: Decimal, pack: Pack, blue: bool = False) -> Light:
    if blue and progress >= pack.monitoring.lights.blue:
        return "blue"
    if progress < pack.monitoring.lights.red:
        return "red"
    return "yellow" if progress < pack.monitoring.lights.yellow else "green"


def planned_share(project: Project, as_of: date, pack: Pack) -> tuple[Decimal, str]:
    """The plan's cumulative share at `as_of`, and what it rests on; without a plan, time elapsed."""
    if not project.spending_plan:
        return months_elapsed(as_of) / 12, "序时进度"
    points = [(p.due.resolve(as_of.year), p.share / HUNDRED, p.label) for p in project.spending_plan]
    points.sort()
    passed = [p for p in points if p[0] <= as_of]
    if pack.monitoring.checkpoint == "last":
        return (passed[-1][1], passed[-1][2]) if passed else (ZERO, "尚未到第一个计划节点")
    start = passed[-1] if passed else (date(as_of.year - 1, 12, 31), ZERO, "年初")
    upcoming = [p for p in points if p[0] > as_of]
    if not upcoming:
        return start[1], start[2]
    end = upcoming[0]
    if as_of == start[0]:
        return start[1], start[2]
    fraction = Decimal((as_of - start[0]).days) / Decimal((end[0] - start[0]).days)
    return start[1] + (end[1] - start[1]) * fraction, f"{start[2]}至{end[2]}之间按日插值"


def spending(project: Project, execution: Execution, pack: Pack, as_of: date) -> SpendingLight:
    """The spending light at `as_of`: cumulative spending against the plan (or time elapsed)."""
    budget = execution.budget or project.budget
    spent = execution.spent
    if execution.history:  # dated cumulative amounts: the latest on or before the monitoring date
        due = [amount for when, amount in execution.history if when <= as_of]
        spent = due[-1] if due else ZERO
    spent = spent if spent is not None else ZERO
    if spent > budget:
        raise InputError(
            _(
                "project {code}: spent {spent}万元 by {as_of}, above its budget of {budget}万元",
                code=project.code,
                spent=fixed(round_to(spent, 2)),
                as_of=as_of,
                budget=fixed(round_to(budget, 2)),
            ),
            hint=_("check the amount and its unit (万元 unless written)"),
        )
    actual = spent / budget
    planned, basis = planned_share(project, as_of, pack)
    ratio = actual / planned if planned > 0 else None
    light: Light = "green" if ratio is None else _light(ratio, pack)
    return SpendingLight(budget, spent, actual, planned, basis, ratio, light, execution.cause, execution.outlook)


def indicator_light(
    ind: Indicator, obs: Observation, project: Project, execution: Execution, pack: Pack, as_of: date
) -> IndicatorLight:
    """The light of one indicator at `as_of`: what was due by then against what was done."""
    p = ind.predicate

    def made(actual: str, expected: str, progress: Decimal | None, light: Light | None, note: str) -> IndicatorLight:
        return IndicatorLight(ind, actual, expected, progress, light, note, obs.cause, obs.outlook)

    def tiered() -> IndicatorLight:
        if obs.tier is None:
            return made("", "", None, None, "缺少当前评价")
        return made(obs.tier, "", None, TIER_LIGHT[obs.tier], f"评价为{obs.tier}")

    if obs.na:
        return made("不适用", "", None, None, "不适用")
    empty = obs.value is None and obs.tier is None and obs.survey is None and obs.numerator is None
    if empty and "满意度" in nfkc(ind.level1) and as_of < date(as_of.year, 12, 1):
        return made("", "", None, None, SURVEY_NOT_DUE)  # a satisfaction survey is taken at the year's end
    match p:
        case Deadline():
            due = p.resolve(as_of.year)
            if isinstance(obs.value, date):
                on_time = p.meets(obs.value, as_of.year)
                note = "已按期完成" if on_time else "逾期完成"
                return made(obs.value.isoformat(), f"{due}前", None, "green" if on_time else "yellow", note)
            if obs.completed:  # 已完成, 按时完成
                return made(obs.text or "已完成", f"{due}前", None, "green", "已按期完成")
            if isinstance(obs.value, Completion) and obs.value.done:
                kept = True if obs.value.on_time else obs.value.on_or_before(due, as_of.year)
                if kept is not False:
                    return made(str(obs.value), f"{due}前", None, "green", "已完成")
                return made(str(obs.value), f"{due}前", None, "yellow", "逾期完成")
            if obs.tier is not None:
                return tiered()
            if as_of > due:
                return made(obs.text or "未完成", f"{due}前", None, "red", "已过期限仍未完成")
            return made(obs.text or "未完成", f"{due}前", None, "green", "未到期限")
        case Qualitative() | Reference():
            return tiered()
        case Trend():
            if obs.baseline is None:
                return tiered()
            if not isinstance(obs.value, Quantity):
                return made("", "", None, None, "缺少当前值")
            a = align(obs.value, obs.baseline.unit)
            tier = p.tier(a, obs.baseline.value, pack.methods.trend)
            note = f"{p.canonical()}：{tier}"
            if obs.baseline_year is not None:
                note = f"基线取自{obs.baseline_year}年记录：{obs.baseline}；{note}"
            shown = obs.baseline.written(a, pack.rounding.places)
            return made(shown, f"基线{obs.baseline}", None, TIER_LIGHT[tier], note)
        case Comparison() | Range():
            return _quantity_light(p, obs, project, execution, pack, as_of, made)
        case Graded():
            q = quantity(obs, p.grades[0].quantity, pack.satisfaction.satisfied)
            if q is None:
                return made("", "", None, None, "缺少当前值")
            a = align(q, p.unit)
            grade = p.reached(a)
            share = pack.methods.grade_share(grade.grade) if grade else ZERO
            note = f"达到{grade.grade}" if grade else "未达到最低档"
            shown = p.grades[0].quantity.written(a, pack.rounding.places)
            return made(shown, p.canonical(), None, _light(share, pack), note)  # lit by the grade's share
        case Tolerance():
            q = quantity(obs, p.quantity, pack.satisfaction.satisfied)
            if q is None:
                return made("", "", None, None, "缺少当前值")
            deviation = align(q, p.quantity.unit)
            within = p.meets(deviation)
            shown = p.quantity.written(deviation, pack.rounding.places)
            return made(
                shown,
                p.canonical(),
                None,
                "green" if within else "red",
                "偏差在允许范围内" if within else "偏差超出允许范围",
            )
        case Change():
            if not isinstance(obs.value, Quantity):
                return made("", "", None, None, "缺少当前值")
            if obs.baseline is None:
                achieved = align(
                    obs.value if obs.value.unit else Quantity(obs.value.value, p.quantity.unit), p.quantity.unit
                )
            else:
                a, b = align(obs.value, obs.baseline.unit), obs.baseline.value
                try:
                    achieved = p.achieved(a, b)
                except ValueError as exc:
                    raise InputError(str(exc)) from None
            t = p.quantity.value
            if Comparison(p.op, p.quantity).meets(achieved, t):
                light: Light = "green"
            elif p.op in ("<=", "<") or t <= 0:
                light = "red"
            else:
                light = _light(max(achieved, ZERO) / t, pack)
            shown = p.quantity.written(achieved, pack.rounding.places)
            return made(shown, p.canonical(), None, light, f"已{p.canonical()[:2]}{shown}（按全年目标比较）")
        case _:
            assert_never(p)


def _quantity_light(
    p: Comparison | Range,
    obs: Observation,
    project: Project,
    execution: Execution,
    pack: Pack,
    as_of: date,
    made: Callable[[str, str, Decimal | None, Light | None, str], IndicatorLight],
) -> IndicatorLight:
    satisfied = pack.satisfaction.satisfied
    m = measure(p, obs, project, None, satisfied)
    if m is None and isinstance(p, Comparison) and p.ref == "budget":  # spending so far stands in
        m = measure(p, obs, project, spending(project, execution, pack, as_of).spent, satisfied)
    if m is None:
        return made("", "", None, None, "缺少当前值")
    a, bound, _, _ = m
    shown = bound.written(a, pack.rounding.places)
    if isinstance(p, Range):
        inside = p.meets(a)
        return made(shown, p.canonical(), None, "green" if inside else "red", "在区间内" if inside else "不在区间内")
    t = bound.value
    if p.direction == "reverse":
        within = p.meets(a, t)
        return made(shown, p.canonical(), None, "green" if within else "red", "未超出目标" if within else "已超出目标")
    if t <= 0:
        return made(shown, p.canonical(), None, "green", "目标为0")
    if bound.unit not in pack.monitoring.cumulative:  # a rate or a standard: compare it as written
        owed, note = t, "按全年目标比较"
    else:
        months = months_elapsed(as_of)
        owed, note = t * months / 12, f"按序时进度{plain(round_to(months, 2))}/12折算"
    progress = a / owed if owed > 0 else ONE
    places = pack.rounding.places
    owed_shown = round_to(owed / bound.scale, places) * bound.scale  # 4次 × 5/12 reads 1.67次
    return made(shown, bound.written(owed_shown, places), progress, _light(progress, pack, blue=True), note)


def monitor_project(project: Project, actuals: ProjectActuals, pack: Pack, as_of: date) -> MonitorCard:
    """Lights for one project at `as_of`: spending against plan, each indicator against what was due."""
    execution = actuals.execution
    money = spending(project, execution, pack, as_of)
    lights = [
        indicator_light(ind, actuals.indicators.get(nfkc(ind.name), _EMPTY), project, execution, pack, as_of)
        for ind in project.indicators
    ]
    findings: list[Finding] = []
    if money.light == "red" and not (money.cause and money.outlook):
        findings.append(
            Finding(
                "error",
                "missing-cause",
                "预算执行进度",
                _(
                    "spending is red: give the cause of the shortfall (cause) and whether it will be done"
                    " (outlook: 确定能/有可能/完全不可能)"
                ),
            )
        )
    for item in lights:
        name = item.indicator.name
        if item.light == "red" and not (item.cause and item.outlook):
            findings.append(
                Finding(
                    "error",
                    "missing-cause",
                    name,
                    _(
                        "{name} is red: give the cause of the shortfall (cause) and whether it will be done"
                        " (outlook: 确定能/有可能/完全不可能)",
                        name=name,
                    ),
                )
            )
        if item.light is None and item.note != "不适用" and item.note not in NOT_DUE:
            unlit = _UNLIT.get(item.note)
            message = _(unlit, name=name) if unlit else _("{name}: {note}, no light", name=name, note=item.note)
            findings.append(Finding("warning", "missing-actual", name, message))
        for code, message in actuals.indicators.get(nfkc(name), _EMPTY).warnings:  # 0.96 against ≥95% …
            findings.append(Finding("warning", code, name, _("{name}: {message}", name=name, message=message)))
    # A project's light is its worst indicator's, as monitoring practice has it; spending keeps a light of its own, and
    # decides only when no indicator has a light yet. Indicators not yet due do not count; 蓝 (ahead)
    # needs every due indicator ahead and none without a value.
    due = [i for i in lights if i.note not in NOT_DUE]
    lit = [i.light for i in due if i.light] or [money.light]
    worst = min(lit, key=WORST_FIRST.index)
    if worst == "blue" and any(i.light is None and i.note != "不适用" for i in due):
        worst = "green"
    return MonitorCard(project, as_of, money, tuple(lights), worst, tuple(findings))
