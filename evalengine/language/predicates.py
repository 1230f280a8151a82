"""Targets as frozen predicate objects: they judge an actual and print back as canonical text.

Nothing here knows about the grammar. `parse_target(p.canonical()) == p` holds for every predicate
the parser builds; fields marked compare=False only remember how the user wrote the value.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from evalengine.errors import InputError
from evalengine.numbers import plain, round_to

SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


TREND_TEXT = {
    "increasing": "持续提高",
    "decreasing": "逐年下降",
    "non_increasing": "只减不增",
    "non_decreasing": "不减少",
    "stable": "保持稳定",
}


DIRECTIONS = {">=": "forward", ">": "forward", "<=": "reverse", "<": "reverse", "=": "equality"}


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


def _holds(op: str, a: Decimal, t: Decimal) -> bool:
    if op == ">=":
        return a >= t
    if op == ">":
        return a > t
    if op == "<=":
        return a <= t
    if op == "<":
        return a < t
    return a == t


@dataclass(frozen=True)
class Comparison:
    """≥95%, ≤404万元, =100%, or a bound by the project's own budget (在预算范围内, ref='budget')."""

    op: str
    quantity: Quantity | None = None
    ref: str | None = None
    text: str = field(default="", compare=False)

    kind = "comparison"

    @property
    def direction(self) -> str:
        return DIRECTIONS[self.op]

    def meets(self, actual: Quantity, budget: Quantity | None = None) -> bool:
        bound = budget if self.ref == "budget" else self.quantity
        if bound is None:
            raise InputError("a budget bound needs the project's budget")
        return _holds(self.op, align(actual, bound.unit), bound.value)

    def canonical(self) -> str:
        if self.ref:
            return self.text or "在预算范围内"
        assert self.quantity is not None
        return SYMBOLS[self.op] + str(self.quantity)

    def to_json(self) -> dict[str, Any]:
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

    kind = "range"

    def meets(self, actual: Quantity) -> bool:
        a = align(actual, self.high.unit)
        return self.low.value <= a <= self.high.value

    def canonical(self) -> str:
        return f"{self.low}-{self.high}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "low": plain(self.low.value), "high": plain(self.high.value), "unit": self.high.unit}


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class Deadline:
    """12月底前 (month end), 6月30日前, 2024年12月31日前; the budget year fills a missing year."""

    month: int
    day: int | None = None  # None: the end of the month
    year: int | None = None

    kind = "deadline"

    def resolve(self, budget_year: int) -> date:
        year = self.year or budget_year
        return date(year, self.month, self.day or last_day(year, self.month))

    def meets(self, completed: date, budget_year: int) -> bool:
        return completed <= self.resolve(budget_year)

    def canonical(self) -> str:
        head = f"{self.year}年" if self.year else ""
        tail = f"{self.day}日前" if self.day else "底前"
        return f"{head}{self.month}月{tail}"

    def by(self) -> str:
        day = self.day or last_day(self.year or 2023, self.month)
        head = f"{self.year:04d}-" if self.year else ""
        return f"{head}{self.month:02d}-{day:02d}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "by": self.by()}
        if self.day is None:
            out["month_end"] = True
        return out


@dataclass(frozen=True)
class Trend:
    """只减不增, 持续提高, 保持稳定 …: judged against a baseline, usually last year's value."""

    trend: str
    text: str = field(default="", compare=False)

    kind = "trend"

    def meets(self, actual: Decimal, baseline: Decimal) -> bool:
        if self.trend == "increasing":
            return actual > baseline
        if self.trend == "decreasing":
            return actual < baseline
        if self.trend == "non_increasing":
            return actual <= baseline
        if self.trend == "non_decreasing":
            return actual >= baseline
        return abs(actual - baseline) <= abs(baseline) / 10 if baseline else actual == 0

    def canonical(self) -> str:
        return self.text or TREND_TEXT[self.trend]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "trend": self.trend}


@dataclass(frozen=True)
class Qualitative:
    """积极向上, 保障到位 …: the evaluator judges it in tiers. Unknown phrases are recognized=False."""

    text: str
    recognized: bool = True

    kind = "qualitative"

    def meets(self, tier: str) -> bool:
        return tier == "达成"

    def canonical(self) -> str:
        return self.text

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "recognized": self.recognized}


@dataclass(frozen=True)
class Reference:
    """按司法救助小组审批数据: met when the outside standard is; judged in tiers."""

    source: str
    word: str = field(default="按", compare=False)

    kind = "reference"

    def meets(self, tier: str) -> bool:
        return tier == "达成"

    def canonical(self) -> str:
        return self.word + self.source

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "source": self.source}


Predicate = Comparison | Range | Deadline | Trend | Qualitative | Reference


def predicate_json(text: str, predicate: Predicate) -> dict[str, Any]:
    """The public JSON form of a parsed target (see `evalengine parse --format json`)."""
    return {"input": text, **predicate.to_json(), "canonical": predicate.canonical()}
