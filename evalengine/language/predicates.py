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
        f"actual {actual} is in {actual.unit}, but the target is in {target_unit or 'no unit'}",
        hint=f"write the actual in {target_unit}" if target_unit else "write the actual without a unit",
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
        return {"kind": self.kind, "low": plain(self.low.value), "high": plain(self.high.value), "unit": self.high.unit}


def last_day(year: int, month: int) -> int:
    """The last day of `month` in `year`."""
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class Deadline:
    """12月底前 (month end), 6月30日前, 2024年12月31日前; the budget year fills a missing year."""

    month: int
    day: int | None = None  # None: the end of the month
    year: int | None = None

    kind: ClassVar[str] = "deadline"
    tiers: ClassVar[TierUse] = "never"
    baseline: ClassVar[bool] = False

    def resolve(self, budget_year: int) -> date:
        """The due date in `budget_year` (a year written in the target wins)."""
        year = self.year or budget_year
        return date(year, self.month, self.day or last_day(year, self.month))

    def meets(self, completed: date, budget_year: int) -> bool:
        """Whether work completed on `completed` was on time."""
        return completed <= self.resolve(budget_year)

    def canonical(self) -> str:
        """The target as canonical text: 12月底前."""
        head = f"{self.year}年" if self.year else ""
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
        return out


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


Predicate = Comparison | Range | Deadline | Trend | Qualitative | Reference


def uses_baseline(predicate: Predicate) -> bool:
    """Whether `predicate` is judged against a baseline (只减不增, 持续提高 …), which history can supply."""
    return predicate.baseline


def predicate_json(text: str, predicate: Predicate) -> dict[str, Any]:
    """The public JSON form of a parsed target (see `evalengine parse --format json`)."""
    return {"input": text, **predicate.to_json(), "canonical": predicate.canonical()}
