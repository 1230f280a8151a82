"""What scoring returns: a scorecard per project, with every number and the arithmetic behind it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

from evalengine.language.predicates import Quantity
from evalengine.model import Finding, Indicator, Project, made_plainly
from evalengine.scoring.explain import Why, render

Status = Literal["met", "partial", "unmet", "na", "missing"]
Seen = str | tuple[Quantity, Decimal]  # the actual: display text, or (the bound it was judged in, value)


# One indicator judged: (score, rounded; status; tier; why: the formatter from scoring.explain and its
# numbers; seen: the actual; over: at or above the pack's over-achievement threshold). A plain tuple, not a
# named one: one is made for every indicator of a batch and unpacked at once by IndicatorScorer.indicator,
# and a named tuple costs three tuples (tuple.__new__ of a subclass) where a display builds one.
Outcome = tuple[Decimal, Status, str | None, Why, Seen, bool]


class IndicatorResult(NamedTuple):
    """One indicator's score. A named tuple: a batch creates hundreds of thousands of these.

    `trace` and `actual` are written on demand from `why` and `seen`, the numbers the engine used.
    """

    indicator: Indicator
    weight: Decimal
    score: Decimal  # rounded; 0 for na (excluded from totals)
    status: Status
    tier: str | None
    explanation: str | None
    evidence: tuple[str, ...]
    why: Why  # (formatter from evalengine.explain, *numbers)
    seen: Seen
    places: int = 2

    @property
    def trace(self) -> str:
        """One line of arithmetic, in Chinese: 实际90% < 目标95%，90÷95×12.50=11.84"""
        return render(self.why, self.places)

    @property
    def actual(self) -> str:
        """The actual as reports show it, in the unit the target was written in."""
        seen = self.seen
        return seen if isinstance(seen, str) else seen[0].written(seen[1], self.places)


# an indicator's result, made for every indicator of a batch: built as new_outcome is
new_result: Callable[
    [tuple[Indicator, Decimal, Decimal, Status, str | None, str | None, tuple[str, ...], Why, Seen, int]],
    IndicatorResult,
] = functools.partial(tuple.__new__, IndicatorResult)


@dataclass(frozen=True)
class ExecutionResult:
    """预算执行率: the rate of spending and its score."""

    budget: Decimal  # the denominator used, 万元
    spent: Decimal
    rate: Decimal  # a fraction, unrounded
    weight: Decimal
    score: Decimal  # rounded
    explanation: str | None
    why: Why
    places: int = 2

    @property
    def trace(self) -> str:
        """执行率4.85÷5=97.00%，97%×10=9.70"""
        return render(self.why, self.places)


class Level1Result(NamedTuple):
    """The applicable weight and the score of one level-1 indicator (产出指标 …) in a project."""

    name: str
    weight: Decimal  # applicable weight
    score: Decimal


@dataclass(frozen=True)
class Scorecard:
    """A project's self-evaluation result: every number, and how it was reached."""

    project: Project
    pack: str
    execution: ExecutionResult
    indicators: tuple[IndicatorResult, ...]
    level1: tuple[Level1Result, ...]
    total: Decimal  # rounded, after rescaling and caps
    grade: str
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()  # how the total was reached beyond the plain sum


# the engine makes one of each per project with model.made, without the frozen __init__'s setattr per field
made_plainly(ExecutionResult, ("budget", "spent", "rate", "weight", "score", "explanation", "why", "places"))
made_plainly(Scorecard, ("project", "pack", "execution", "indicators", "level1", "total", "grade", "findings", "notes"))
