"""Targets as frozen predicate objects: they judge an actual and print back as canonical text.

Nothing here knows about the grammar. `parse_target(p.canonical()) == p` holds for every predicate
the parser builds; fields marked compare=False only remember how the user wrote the value.
"""

from __future__ import annotations

import calendar
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Literal, assert_never

from evalengine.errors import InputError
from evalengine.i18n import _
from evalengine.numbers import plain, round_to

Op = Literal[">=", "<=", ">", "<", "="]
Direction = Literal["forward", "reverse", "equality"]
TrendKind = Literal["increasing", "decreasing", "non_increasing", "non_decreasing", "stable"]
TierName = Literal["达成", "部分达成", "未达成"]
# How a target takes the evaluator's tier (达成 / 部分达成 / 未达成) when it is written as a word:
# never (numbers and dates only), allowed (numbers, or a tier when they are not to hand), only.
TierUse = Literal["never", "allowed", "only"]
# Each predicate class also says, as `baseline: ClassVar[bool]`, whether it is judged against a baseline
# (usually last year's value): the pipeline fills a missing baseline from history for exactly those kinds.

SYMBOLS: dict[Op, str] = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
TREND_TEXT: dict[TrendKind, str] = {
    "increasing": "持续提高",
    "decreasing": "逐年下降",
    "non_increasing": "只减不增",
    "non_decreasing": "不减少",
    "stable": "保持稳定",
}
_HOLDS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}
DIRECTIONS: dict[Op, Direction] = {">=": "forward", ">": "forward", "<=": "reverse", "<": "reverse", "=": "equality"}


@dataclass(frozen=True)
class Quantity:
    """A number in its base unit (≤404万元 holds 4040000 元); `text` is how it was written."""

    value: Decimal
    unit: str | None = None
    text: str = field(default="", compare=False)
    scale: Decimal = field(default=Decimal(1), compare=False)  # written unit -> base unit (万元: 10000)
    shown: str = field(default="", compare=False)  # the unit as written (万元)
    unit_scale: Decimal = field(default=Decimal(1), compare=False)  # the written unit alone, no magnitude (元: 1)
    known: bool = field(default=True, compare=False)  # False: a unit the vocabulary lacks (≥35匹), converted to nothing

    def __str__(self) -> str:
        return self.text or (plain(self.value) + (self.unit or ""))

    def written(self, value: Decimal, places: int | None = None) -> str:
        """`value` (in the base unit) expressed in this quantity's written unit: 3800000 -> 380万元.

        With `places`, a percentage is shown rounded (560/615 reads 91.06%); other units are exact.
        """
        return self.number(value, places) + (self.shown if self.scale != 1 or self.shown else (self.unit or ""))

    def number(self, value: Decimal, places: int | None = None) -> str:
        """The number part of `written`."""
        shown = value / self.scale
        if places is not None and self.unit == "%":
            shown = round_to(shown, places)
        return plain(shown)


class UnitMismatch(InputError):
    """An actual in a unit that cannot be compared with the target's (人 for a % target)."""


def align(actual: Quantity, target_unit: str | None) -> Decimal:
    """The actual's value in the target's unit; a unit-less actual is read in the target's unit."""
    if actual.unit is None or actual.unit == target_unit:
        return actual.value
    raise UnitMismatch(
        _(
            "actual {actual} is in {unit}, but the target is in {target_unit}",
            actual=actual,
            unit=actual.unit,
            target_unit=target_unit,
        )
        if target_unit
        else _("actual {actual} is in {unit}, but the target is in no unit", actual=actual, unit=actual.unit),
        hint=_("write the actual in {unit}", unit=target_unit) if target_unit else _("write the actual without a unit"),
    )


@dataclass(frozen=True)
class TrendRules:
    """What a pack says about trends: a tie under 持续提高, and how close 保持稳定 must stay."""

    equal: TierName = "未达成"  # the tier when the value neither rose nor fell
    stable_met: Decimal = Decimal("0.1")  # drift (a share of the baseline) still 达成
    stable_partial: Decimal = Decimal("0.2")  # drift still 部分达成


@dataclass(frozen=True)
class Comparison:
    """≥95%, ≤404万元, =100%, or a bound by the project's own budget (在预算范围内, ref='budget')."""

    op: Op
    quantity: Quantity | None = None
    ref: Literal["budget"] | None = None
    text: str = field(default="", compare=False)

    # forward (more is better), reverse (less is better) or equality; follows from op
    direction: Direction = field(init=False, compare=False, repr=False)

    kind: ClassVar[str] = "comparison"
    tiers: ClassVar[TierUse] = "never"
    baseline: ClassVar[bool] = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "direction", DIRECTIONS[self.op])  # read for every indicator scored

    def meets(self, actual: Decimal, bound: Decimal) -> bool:
        """Whether `actual` meets the bound, both in the bound's unit.

        `=` is reached, not matched: =100% holds at 100% or above (a completion rate), =0 holds at 0 or
        below (nothing happened).
        """
        if self.op == "=":
            return actual <= 0 if bound == 0 else actual >= bound
        return _HOLDS[self.op](actual, bound)

    def canonical(self) -> str:
        """The target as canonical text: ≥95%."""
        if self.ref:
            return self.text or "在预算范围内"
        assert self.quantity is not None
        return SYMBOLS[self.op] + str(self.quantity)

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `evalengine parse`."""
        out: dict[str, Any] = {"kind": self.kind, "op": self.op}
        if self.ref:
            out["ref"] = self.ref
        else:
            assert self.quantity is not None
            out["value"] = plain(self.quantity.value)
            out["unit"] = self.quantity.unit
            if not self.quantity.known:
                out["unit_known"] = False
        out["direction"] = self.direction
        return out


@dataclass(frozen=True)
class Range:
    """90%-100%: inclusive at both ends."""

    low: Quantity
    high: Quantity

    kind: ClassVar[str] = "range"
    tiers: ClassVar[TierUse] = "never"
    baseline: ClassVar[bool] = False

    def meets(self, actual: Decimal) -> bool:
        """Whether `actual` (in the range's unit) lies inside, ends included."""
        return self.low.value <= actual <= self.high.value

    def canonical(self) -> str:
        """The target as canonical text: 90%-100%."""
        return f"{self.low}-{self.high}"

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `evalengine parse`."""
        out = {"kind": self.kind, "low": plain(self.low.value), "high": plain(self.high.value), "unit": self.high.unit}
        return out if self.high.known else {**out, "unit_known": False}


def last_day(year: int, month: int) -> int:
    """The last day of `month` in `year`."""
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class Deadline:
    """12月底前 (month end), 6月30日前, 2024年12月31日前, 次年3月底前; the budget year fills a missing year.

    A period (2024年全年, 1-12月) is a deadline at its end with the month it starts in (`start`).
    """

    month: int
    day: int | None = None  # None: the end of the month
    year: int | None = None
    year_offset: int = 0  # 次年3月底前: 1, the year after the budget year
    start: int | None = None  # a period's first month (its first day is the start)
    start_year: int | None = None

    kind: ClassVar[str] = "deadline"
    tiers: ClassVar[TierUse] = "never"
    baseline: ClassVar[bool] = False

    def resolve(self, budget_year: int) -> date:
        """The due date in `budget_year` (a year written in the target wins)."""
        year = self.year or budget_year + self.year_offset
        return date(year, self.month, self.day or last_day(year, self.month))

    def meets(self, completed: date, budget_year: int) -> bool:
        """Whether work completed on `completed` was on time."""
        return completed <= self.resolve(budget_year)

    def canonical(self) -> str:
        """The target as canonical text: 12月底前, 次年3月底前, 2024年1月-12月, 1-12月."""
        head = f"{self.year}年" if self.year else ("次年" if self.year_offset == 1 else "")
        if self.start is not None:
            if self.start_year is not None and self.start_year != self.year:
                return f"{self.start_year}年{self.start}月-{head}{self.month}月"
            return f"{head}{self.start}月-{self.month}月" if self.year else f"{self.start}-{self.month}月"
        tail = f"{self.day}日前" if self.day else "底前"
        return f"{head}{self.month}月{tail}"

    def by(self) -> str:
        """The due date as ISO text, without a year when the target has none: 12-31."""
        day = self.day or last_day(self.year or 2023, self.month)
        head = f"{self.year:04d}-" if self.year else ""
        return f"{head}{self.month:02d}-{day:02d}"

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `evalengine parse`."""
        out: dict[str, Any] = {"kind": self.kind, "by": self.by()}
        if self.day is None:
            out["month_end"] = True
        if self.year_offset:
            out["year_offset"] = self.year_offset
        if self.start is not None:
            year = self.start_year or self.year
            out["from"] = (f"{year:04d}-" if year else "") + f"{self.start:02d}-01"
        return out


@dataclass(frozen=True)
class PlanDeadline(Deadline):
    """按时完成, 在计划时间内完成: a deadline against the project's own plan, the end of the budget year.

    The evaluator may judge it in tiers, or give the completion date.
    """

    text: str = field(default="按时完成", compare=False)

    tiers: ClassVar[TierUse] = "allowed"

    def canonical(self) -> str:
        """The phrase as written."""
        return self.text

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `evalengine parse`: a deadline with "plan": true."""
        return {**super().to_json(), "plan": True}


@dataclass(frozen=True)
class Completion:
    """A deadline's actual in words or without a full date: 已完成, 按时完成, 未完成, 12月20日, 2024年12月, 7月.

    `month` without `day` is some day of that month: on time when the deadline falls in that month or later.
    """

    done: bool
    on_time: bool = False  # 按时完成 / 如期完成: the evaluator attests the deadline was kept
    month: int | None = None
    day: int | None = None
    year: int | None = None
    text: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.text or ("已完成" if self.done else "未完成")

    def on_or_before(self, due: date, budget_year: int) -> bool | None:
        """Whether the completion was no later than `due`; None when no date is known."""
        if self.month is None:
            return None
        year = self.year or budget_year
        if self.day is None:
            return (year, self.month) <= (due.year, due.month)
        return date(year, self.month, self.day) <= due

    def when(self, budget_year: int) -> str | None:
        """The completion date as ISO text (2024-12 for a month), or None."""
        if self.month is None:
            return None
        year = self.year or budget_year
        return f"{year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


@dataclass(frozen=True)
class Trend:
    """只减不增, 持续提高, 保持稳定 …: judged against a baseline, usually last year's value."""

    trend: TrendKind
    text: str = field(default="", compare=False)

    kind: ClassVar[str] = "trend"
    tiers: ClassVar[TierUse] = "allowed"
    baseline: ClassVar[bool] = True

    def tier(self, actual: Decimal, baseline: Decimal, rules: TrendRules) -> TierName:
        """The tier `actual` earns against `baseline`, under a pack's `rules`."""
        a, b = actual, baseline
        match self.trend:
            case "increasing" | "decreasing":
                better = a > b if self.trend == "increasing" else a < b
                return "达成" if better else (rules.equal if a == b else "未达成")
            case "non_increasing":
                return "达成" if a <= b else "未达成"
            case "non_decreasing":
                return "达成" if a >= b else "未达成"
            case "stable":
                if b == 0:
                    return "达成" if a == 0 else "未达成"
                drift = abs(a - b) / abs(b)
                if drift <= rules.stable_met:
                    return "达成"
                return "部分达成" if drift <= rules.stable_partial else "未达成"
            case _:
                assert_never(self.trend)

    def canonical(self) -> str:
        """The target as written, or its canonical phrase."""
        return self.text or TREND_TEXT[self.trend]

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `evalengine parse`."""
        return {"kind": self.kind, "trend": self.trend}


@dataclass(frozen=True)
class Qualitative:
    """积极向上, 保障到位 …: the evaluator judges it in tiers. Unknown phrases are recognized=False."""

    text: str
    recognized: bool = True

    kind: ClassVar[str] = "qualitative"
    tiers: ClassVar[TierUse] = "only"
    baseline: ClassVar[bool] = False

    def canonical(self) -> str:
        """The phrase itself."""
        return self.text

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `evalengine parse`."""
        return {"kind": self.kind, "recognized": self.recognized}


@dataclass(frozen=True)
class Reference:
    """按司法救助小组审批数据: met when the outside standard is; judged in tiers."""

    source: str
    word: str = field(default="按", compare=False)

    kind: ClassVar[str] = "reference"
    tiers: ClassVar[TierUse] = "only"
    baseline: ClassVar[bool] = False

    def canonical(self) -> str:
        """The reference as written: 按 + its source."""
        return self.word + self.source

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `evalengine parse`."""
        return {"kind": self.kind, "source": self.source}


@dataclass(frozen=True)
class Grade:
    """One step of a graded target: 优 at ≥95%."""

    grade: str  # 优 / 良 / 中 / 差
    op: Op
    quantity: Quantity

    def meets(self, actual: Decimal) -> bool:
        """Whether `actual` (in the grade's unit) reaches this grade."""
        return Comparison(self.op, self.quantity).meets(actual, self.quantity.value)


@dataclass(frozen=True)
class Graded:
    """95%/90%/85%/80%（优/良/中/差）: scored by the best grade the actual reaches (best first)."""

    grades: tuple[Grade, ...]

    kind: ClassVar[str] = "graded"
    tiers: ClassVar[TierUse] = "never"
    baseline: ClassVar[bool] = False

    @property
    def unit(self) -> str | None:
        """The unit every grade is in."""
        return self.grades[0].quantity.unit

    def reached(self, actual: Decimal) -> Grade | None:
        """The best grade `actual` reaches, or None below them all."""
        for grade in self.grades:
            if grade.meets(actual):
                return grade
        return None

    def canonical(self) -> str:
        """The target as canonical text: ≥95%/≥90%（优/良）."""
        values = "/".join(SYMBOLS[g.op] + str(g.quantity) for g in self.grades)
        return f"{values}({'/'.join(g.grade for g in self.grades)})"

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `evalengine parse`."""
        grades = []
        for g in self.grades:
            item = {"grade": g.grade, "op": g.op, "value": plain(g.quantity.value), "unit": g.quantity.unit}
            grades.append(item if g.quantity.known else {**item, "unit_known": False})
        return {"kind": self.kind, "grades": grades}


@dataclass(frozen=True)
class Tolerance:
    """±5%, 偏差率±5%以内: the deviation (the actual) must stay within ± value."""

    quantity: Quantity
    text: str = field(default="", compare=False)

    kind: ClassVar[str] = "tolerance"
    tiers: ClassVar[TierUse] = "never"
    baseline: ClassVar[bool] = False

    def meets(self, deviation: Decimal) -> bool:
        """Whether |deviation| (in the tolerance's unit) is within the tolerance."""
        return abs(deviation) <= self.quantity.value

    def canonical(self) -> str:
        """The target as canonical text: ±5%."""
        return f"±{self.quantity}"

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `evalengine parse`."""
        out = {"kind": self.kind, "value": plain(self.quantity.value), "unit": self.quantity.unit}
        return out if self.quantity.known else {**out, "unit_known": False}


ChangeDirection = Literal["increase", "decrease"]


@dataclass(frozen=True)
class Change:
    """提高3个百分点, 较上年提高5%, 比上年下降2%: a change against a baseline, usually last year's value.

    `%` is relative to the baseline (relative=True); 个百分点 and other units are absolute differences.
    """

    direction: ChangeDirection
    op: Op
    quantity: Quantity
    text: str = field(default="", compare=False)

    kind: ClassVar[str] = "change"
    tiers: ClassVar[TierUse] = "never"
    baseline: ClassVar[bool] = True

    @property
    def relative(self) -> bool:
        """A change in % is relative to the baseline; 个百分点 and other units are differences."""
        return self.quantity.unit == "%"

    def achieved(self, actual: Decimal, baseline: Decimal) -> Decimal:
        """The change from `baseline` to `actual` in the target's unit, positive in the target's direction.

        Raises ValueError for a relative change from a baseline of 0.
        """
        diff = actual - baseline if self.direction == "increase" else baseline - actual
        if not self.relative:
            return diff
        if baseline == 0:
            raise ValueError(_("a change in % cannot be taken from a baseline of 0"))
        return diff / abs(baseline) * 100

    def canonical(self) -> str:
        """The target as canonical text: 提高3个百分点, 下降≤2%."""
        verb = "提高" if self.direction == "increase" else "下降"
        return verb + ("" if self.op == ">=" else SYMBOLS[self.op]) + str(self.quantity)

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `evalengine parse`."""
        out: dict[str, Any] = {"kind": self.kind, "direction": self.direction, "op": self.op}
        out.update(value=plain(self.quantity.value), unit=self.quantity.unit, relative=self.relative)
        return out if self.quantity.known else {**out, "unit_known": False}


Predicate = Comparison | Range | Deadline | Trend | Qualitative | Reference | Graded | Tolerance | Change


def uses_baseline(predicate: Predicate) -> bool:
    """Whether `predicate` is judged against a baseline (只减不增, 持续提高 …), which history can supply."""
    return predicate.baseline


def percent_bounds(p: Predicate) -> tuple[Decimal, ...]:
    """The values in % an actual is held against as written (≥95% gives 95; 90%-100% gives 90 and 100), or ()
    when the target is not a percentage. A tolerance (±5%) or a change (提高5%) is not held against its value:
    its actual is a deviation or a change, where a small number is as likely as a large one."""
    match p:
        case Comparison():
            return (p.quantity.value,) if p.quantity is not None and p.quantity.unit == "%" else ()
        case Range():
            return (p.low.value, p.high.value) if p.high.unit == "%" else ()
        case Graded():
            return tuple(g.quantity.value for g in p.grades) if p.unit == "%" else ()
        case Deadline() | Trend() | Qualitative() | Reference() | Tolerance() | Change():
            return ()
        case _:
            assert_never(p)


def predicate_json(text: str, predicate: Predicate) -> dict[str, Any]:
    """The public JSON form of a parsed target (see `evalengine parse --format json`)."""
    return {"input": text, **predicate.to_json(), "canonical": predicate.canonical()}
