"""A validated rule pack and its parts (bands, tiers). Plain frozen data: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from evalengine.errors import KeyPath, Location
from evalengine.language.vocabulary import Vocabulary


@dataclass(frozen=True)
class Band:
    """An interval such as [80%, 100%] or [60, 80): fractions for tiers and rates, points for grades."""

    low: Decimal
    high: Decimal
    low_closed: bool = True
    high_closed: bool = False
    text: str = field(default="", compare=False)

    def __contains__(self, x: Decimal) -> bool:
        above = x >= self.low if self.low_closed else x > self.low
        below = x <= self.high if self.high_closed else x < self.high
        return above and below

    def __str__(self) -> str:
        return (
            self.text or f"{'[' if self.low_closed else '('}{self.low}, {self.high}{']' if self.high_closed else ')'}"
        )


@dataclass(frozen=True)
class Tier:
    """A qualitative tier: its band and default points, as fractions of the indicator's weight."""

    name: str
    band: Band
    default: Decimal


@dataclass(frozen=True)
class Pack:
    name: str
    title: str
    source: str
    execution_weight: Decimal
    level1: tuple[tuple[str, Decimal], ...]
    share: str
    forward: str
    reverse: str
    equality: str
    range: str
    deadline_late: str
    deadline_missed: str
    trend_equal: str
    bands: tuple[tuple[Band, Decimal], ...]  # 按偏离度分档: (miss as a share of the target, points as a share of w)
    stable_met: Decimal
    stable_partial: Decimal
    tiers: tuple[Tier, ...]
    over_threshold: Decimal | None
    over_action: str
    over_deduct: Decimal
    not_applicable: str
    exec_denominator: str
    exec_cap: Decimal
    exec_explain_below: Decimal | None
    caps: tuple[tuple[Band, Decimal], ...]
    grades: tuple[tuple[str, Band], ...]
    places: int
    mode: str
    satisfied: frozenset[str]
    vocabulary: Vocabulary
    monitor_checkpoint: str  # last: the last checkpoint of the spending plan passed; interpolate: linear between
    monitor_red: Decimal  # progress below this share of plan is red
    monitor_yellow: Decimal  # below this, yellow; otherwise green
    monitor_blue: Decimal  # a forward indicator at or above this share of its pro-rated target is blue (ahead)
    monitor_cumulative: frozenset[str]  # units that accumulate through the year: targets in them are pro-rated
    examples: tuple[tuple[KeyPath, dict[str, Any]], ...] = field(default=(), compare=False, hash=False, repr=False)
    origins: Mapping[KeyPath, Location] = field(default_factory=dict, compare=False, hash=False, repr=False)
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def tier(self, name: str) -> Tier:
        for tier in self.tiers:
            if tier.name == name:
                return tier
        raise KeyError(name)

    def level1_weight(self, name: str) -> Decimal | None:
        for level1, weight in self.level1:
            if level1 == name:
                return weight
        return None
