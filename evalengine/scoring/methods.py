"""Scoring methods: the formula for an actual short of its target, registered under its pack name.

A pack chooses one method per direction (`methods: {forward: ratio, reverse: linear, …}`) from the
menu in `packs.schema.METHODS`. Each formula here registers under its names with `@method`; a name
the menu lacks, or a menu name left without a formula, stops the import, so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from evalengine.language.predicates import Quantity
from evalengine.numbers import HUNDRED, ONE, ZERO
from evalengine.packs.model import Band
from evalengine.packs.schema import METHODS
from evalengine.scoring import explain
from evalengine.scoring.results import Outcome


class Shortfall(NamedTuple):
    """An actual short of its target: the fields every formula takes, in this order."""

    a: Decimal  # the actual, in the bound's unit
    t: Decimal  # the bound it missed (for a range: the end it fell outside)
    w: Decimal  # the indicator's weight
    rel: str  # how a stands to t, as the trace shows it: <, >, =, or 低于 / 高于 for a range
    bound: Quantity  # the target's bound, which knows the unit it was written in
    head: str  # what the trace calls the actual (实际, 全年执行数)
    label: str  # what it calls the bound (目标, 预算数)
    target: str = ""  # the target's canonical text (ranges show it)


@dataclass(frozen=True, slots=True)
class Rules:
    """What the formulas take from the pack (slotted: every formula reads `r`)."""

    r: Callable[[Decimal], Decimal]  # rounding at the pack's places and mode
    bands: tuple[tuple[Band, Decimal], ...]  # deviation bands, for the bands method


# A formula takes the eight fields of a Shortfall as they are, then the rules: a shortfall is scored for many
# indicators of a batch, and building the named tuple and unpacking it again cost as much as the formula's
# arithmetic. `formula(d, n)(*shortfall, rules)` scores a Shortfall made the ordinary way.
Formula = Callable[[Decimal, Decimal, Decimal, str, Quantity, str, str, str, Rules], Outcome]
_FORMULAS: dict[tuple[str, str], Formula] = {}


def method(direction: str, *names: str) -> Callable[[Formula], Formula]:
    """Register a formula as method `name` for targets of `direction` (forward, reverse, …)."""

    def register(formula: Formula) -> Formula:
        for name in names:
            if name not in METHODS.get(direction, ()):
                raise AssertionError(f"{direction}: {name} is not on the menu in packs.schema.METHODS")
            _FORMULAS[direction, name] = formula
        return formula

    return register


def formula(direction: str, name: str) -> Formula:
    """The formula a pack named; validation has already checked the name against the menu."""
    return _FORMULAS[direction, name]


def short(score: Decimal, why: explain.Why, bound: Quantity, a: Decimal, rules: Rules) -> Outcome:
    """A shortfall of actual `a` against `bound`, `score` already rounded: partial while anything is left,
    else unmet."""
    if score > ZERO:
        return score, "partial", None, why, (bound, a), False
    return rules.r(ZERO), "unmet", None, why, (bound, a), False


@method("forward", "binary")
@method("reverse", "binary")
@method("equality", "binary")
@method("tolerance", "binary")
def zero(
    a: Decimal, t: Decimal, w: Decimal, rel: str, bound: Quantity, head: str, label: str, target: str, rules: Rules
) -> Outcome:
    """All or nothing: short of the target scores 0."""
    return short(ZERO, (explain.zero, head, bound, a, rel, label, t, "未达到"), bound, a, rules)


@method("forward", "ratio")
def forward_ratio(
    a: Decimal, t: Decimal, w: Decimal, rel: str, bound: Quantity, head: str, label: str, target: str, rules: Rules
) -> Outcome:
    """actual ÷ target × weight."""
    # rules.r is a slot holding a closure, not a method: `rules.r(x)` compiles to a LOAD_METHOD that CPython 3.11
    # cannot specialise; read as an attribute (specialised), then called. A shortfall is scored for many indicators
    r = rules.r
    score = r(a / t * w if a < t else w) if a > ZERO else ZERO
    return short(score, (explain.ratio, head, bound, a, rel, label, t, a, t, w, score), bound, a, rules)


@method("equality", "forward")
def equality_forward(
    a: Decimal, t: Decimal, w: Decimal, rel: str, bound: Quantity, head: str, label: str, target: str, rules: Rules
) -> Outcome:
    """= scored like forward: actual ÷ target × weight, a negative actual counting as 0."""
    score = rules.r(max(a, ZERO) / t * w)
    return short(score, (explain.ratio, head, bound, a, rel, label, t, a, t, w, score), bound, a, rules)


@method("reverse", "ratio")
def reverse_ratio(
    a: Decimal, t: Decimal, w: Decimal, rel: str, bound: Quantity, head: str, label: str, target: str, rules: Rules
) -> Outcome:
    """target ÷ actual × weight."""
    r = rules.r  # (see forward_ratio)
    score = r(t / a * w if a > t else w)
    return short(score, (explain.ratio, head, bound, a, rel, label, t, t, a, w, score), bound, a, rules)


@method("reverse", "linear")
def reverse_linear(
    a: Decimal, t: Decimal, w: Decimal, rel: str, bound: Quantity, head: str, label: str, target: str, rules: Rules
) -> Outcome:
    """(1 − (actual − target) ÷ target) × weight: 0 at twice the target."""
    score = rules.r(max(ZERO, ONE - (a - t) / t) * w)
    return short(score, (explain.linear, head, bound, a, label, t, w, score), bound, a, rules)


@method("forward", "bands")
@method("reverse", "bands")
def banded(
    a: Decimal, t: Decimal, w: Decimal, rel: str, bound: Quantity, head: str, label: str, target: str, rules: Rules
) -> Outcome:
    """按偏离度分档: the share of the weight kept by the band the miss falls in; beyond every band, 0."""
    miss = (a - t) / t if rel == ">" else (t - a) / t
    shown = (head, bound, a, rel, label, t)
    if miss <= ZERO:  # <2% with exactly 2%: short of a strict bound by nothing, full marks as with ratio
        return short(w, (explain.banded, *shown, ZERO, "", ONE, w, w), bound, a, rules)
    for band, points in rules.bands:
        if miss in band:
            score = rules.r(points * w)
            return short(
                score, (explain.banded, *shown, rules.r(miss * HUNDRED), str(band), points, w, score), bound, a, rules
            )
    return short(ZERO, (explain.banded, *shown, rules.r(miss * HUNDRED), "", ZERO, w, ZERO), bound, a, rules)


@method("tolerance", "ratio")
def tolerance_ratio(
    a: Decimal, t: Decimal, w: Decimal, rel: str, bound: Quantity, head: str, label: str, target: str, rules: Rules
) -> Outcome:
    """Outside ±t: t ÷ |deviation| × weight."""
    score = rules.r(t / a * w)
    return short(score, (explain.ratio, head, bound, a, rel, label, t, t, a, w, score), bound, a, rules)


@method("range", "binary")
def range_zero(
    a: Decimal, t: Decimal, w: Decimal, rel: str, bound: Quantity, head: str, label: str, target: str, rules: Rules
) -> Outcome:
    """Outside the range scores 0."""
    return short(ZERO, (explain.range_zero, bound, a, target), bound, a, rules)


@method("range", "ratio")
def range_ratio(
    a: Decimal, t: Decimal, w: Decimal, rel: str, bound: Quantity, head: str, label: str, target: str, rules: Rules
) -> Outcome:
    """Below: actual ÷ low × weight; above: high ÷ actual × weight."""
    if rel == "低于":
        score = rules.r(max(a, ZERO) / t * w)
        return short(score, (explain.range_out, bound, a, rel, target, a, t, w, score), bound, a, rules)
    score = rules.r(t / a * w)
    return short(score, (explain.range_out, bound, a, rel, target, t, a, w, score), bound, a, rules)


_missing = [f"{d}: {n}" for d, names in METHODS.items() for n in names if (d, n) not in _FORMULAS]
if _missing:
    raise AssertionError(f"methods on the menu without a formula: {', '.join(_missing)}")
