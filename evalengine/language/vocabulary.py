"""The words of the target language (grammar/vocabulary.yaml), validated and extensible by packs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

OPS = (">=", "<=", ">", "<")


TRENDS = ("increasing", "decreasing", "non_increasing", "non_decreasing", "stable")


TIERS = ("达成", "部分达成", "未达成")


GRADES = ("优", "良", "中", "差")  # the grades of a graded target (95%/90%/85%/80%（优/良/中/差）), best first


SECTIONS = (
    "comparators",
    "postfix",
    "magnitudes",
    "units",
    "trends",
    "qualitative",
    "budget",
    "deadlines",
    "references",
    "tiers",
    "on_schedule",
    "grades",
    "tolerance",
    "change_bases",
)


@dataclass(frozen=True)
class Vocabulary:
    """Every word the parser knows, each already NFKC-normalised."""

    comparators: tuple[tuple[str, str], ...]  # (word, op)
    postfix: tuple[tuple[str, str], ...]  # (word, op)
    magnitudes: tuple[tuple[str, Decimal], ...]
    units: tuple[tuple[str, str, Decimal], ...]  # (unit, base, factor)
    phrases: tuple[tuple[str, str, str], ...]  # (phrase, kind, meaning): kind trend|qualitative|budget|deadline|plan
    references: tuple[str, ...]
    tiers: tuple[tuple[str, str], ...]  # (label, tier)
    grades: tuple[tuple[str, str], ...] = ()  # (label, grade): 优秀 -> 优
    tolerance: tuple[str, ...] = ()  # words naming a deviation: 偏差率
    change_bases: tuple[str, ...] = ()  # words naming the baseline of a change: 较上年
