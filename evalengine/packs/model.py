"""A validated rule pack and its parts (bands, tiers). Plain frozen data: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from evalengine.errors import KeyPath, Location
from evalengine.language.predicates import TierName, TrendRules
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
class Weights:
    """weights: how the 100 points are split."""

    execution: Decimal
    level1: tuple[tuple[str, Decimal], ...]
    share: str  # equal | by_level2
    not_100: str = "rescale"  # a table whose own weights do not sum to 100: rescale | sum | refuse

    def level1_weight(self, name: str) -> Decimal | None:
        """The weight of level-1 indicator `name` (NFKC-normalised), or None when the pack has none."""
        for level1, weight in self.level1:
            if level1 == name:
                return weight
        return None


@dataclass(frozen=True)
class DeadlineRules:
    """methods.deadline: the tiers of late and of missed work."""

    late: TierName
    missed: TierName


@dataclass(frozen=True)
class Methods:
    """methods: the formula for a shortfall, by the target's direction (names from schema.METHODS)."""

    forward: str
    reverse: str
    equality: str
    range: str
    bands: tuple[tuple[Band, Decimal], ...]  # 按偏离度分档: (miss as a share of the target, points as a share of w)
    deadline: DeadlineRules
    trend: TrendRules
    tolerance: str = "ratio"  # ±5% outside the tolerance: ratio or binary
    graded: tuple[tuple[str, Decimal], ...] = ()  # (grade, share of the weight): 优 100%, 良 80% …

    def grade_share(self, grade: str) -> Decimal:
        """The share of the weight a graded target's `grade` earns."""
        return dict(self.graded)[grade]


@dataclass(frozen=True)
class OverAchievement:
    """over_achievement: results at or above `threshold` of a forward target."""

    threshold: Decimal | None
    action: str  # flag | explain | deduct
    deduct: Decimal


@dataclass(frozen=True)
class ExecutionRules:
    """execution: how the execution rate (预算执行率) is computed."""

    denominator: str  # budget | initial_budget | adjusted_budget
    cap: Decimal
    explain_below: Decimal | None


@dataclass(frozen=True)
class Rounding:
    """rounding: places and mode of the indicator scores, and of the execution score and the total unless
    they have rules of their own."""

    places: int
    mode: str
    for_execution: Rounding | None = None
    for_total: Rounding | None = None

    @property
    def execution(self) -> Rounding:
        """How the execution score (预算执行率得分) is rounded."""
        return self.for_execution or self

    @property
    def total(self) -> Rounding:
        """How the total (总分) is rounded."""
        return self.for_total or self


@dataclass(frozen=True)
class Satisfaction:
    """satisfaction: which survey answers count as satisfied."""

    satisfied: frozenset[str]


@dataclass(frozen=True)
class Lights:
    """monitoring.lights: progress thresholds, as fractions of plan."""

    red: Decimal  # progress below this share of plan is red
    yellow: Decimal  # below this, yellow; otherwise green
    blue: Decimal  # a forward indicator at or above this share of its pro-rated target is blue (ahead)


@dataclass(frozen=True)
class Monitoring:
    """monitoring: in-year lights (绩效运行监控)."""

    checkpoint: str  # last: the last checkpoint of the spending plan passed; interpolate: linear between
    lights: Lights
    cumulative: frozenset[str]  # units that accumulate through the year: targets in them are pro-rated


@dataclass(frozen=True)
class Review:
    """review: the checks of `evalengine review` (绩效目标审核), their severities and thresholds."""

    checks: Mapping[str, str]  # check code -> error | warning | notice | off
    required_level1: tuple[str, ...]
    level2: tuple[tuple[str, tuple[str, ...]], ...]  # level 1 -> the level-2 names it may hold
    quantified: frozenset[str]  # predicate kinds counted as quantified (定量)
    quantified_share: Decimal  # a fraction: 0.5
    satisfaction: tuple[Decimal, Decimal]  # fractions, both ends included
    satisfaction_words: tuple[str, ...]
    rate_words: tuple[str, ...]
    placeholders: tuple[str, ...]
    lower_is_better: tuple[str, ...]
    higher_is_better: tuple[str, ...]
    cost_words: tuple[str, ...]
    per_unit: tuple[str, ...]

    def severity(self, code: str) -> str:
        """The severity of check `code`, or off."""
        return self.checks.get(code, "off")


@dataclass(frozen=True)
class Pack:
    """A validated rule pack: its sections mirror the YAML's (see packs/schema.py)."""

    name: str
    title: str
    source: str
    weights: Weights
    methods: Methods
    tiers: tuple[Tier, ...]
    over_achievement: OverAchievement
    not_applicable: str  # rescale | redistribute
    execution: ExecutionRules
    caps: tuple[tuple[Band, Decimal], ...]
    grades: tuple[tuple[str, Band], ...]
    rounding: Rounding
    satisfaction: Satisfaction
    vocabulary: Vocabulary
    monitoring: Monitoring
    review: Review
    examples: tuple[tuple[KeyPath, dict[str, Any]], ...] = field(default=(), compare=False, hash=False, repr=False)
    origins: Mapping[KeyPath, Location] = field(default_factory=dict, compare=False, hash=False, repr=False)
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def tier(self, name: str) -> Tier:
        """The tier called `name` (达成 / 部分达成 / 未达成)."""
        for tier in self.tiers:
            if tier.name == name:
                return tier
        raise KeyError(name)
