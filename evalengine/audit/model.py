"""What an audit finds: a verdict for every row, 资金 row, weight sum and total, with reason codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from evalengine.errors import Location

Verdict = Literal["consistent", "inconsistent", "unchecked"]
TableVerdict = Literal["consistent", "inconsistent", "incomplete"]
VERDICTS: tuple[Verdict, ...] = ("consistent", "inconsistent", "unchecked")
TABLE_VERDICTS: tuple[TableVerdict, ...] = ("consistent", "inconsistent", "incomplete")


# Every reason code, in the order reports list them, with its title (the reports' Chinese vocabulary).
REASONS: dict[str, str] = {
    "met-docked": "目标已完成却未得满分",
    "missed-full-marks": "目标未完成却得满分",
    "off-rule": "得分不是评分规则给出的分数",
    "non-monotone": "完成情况更好的指标得分率反而更低",
    "score-above-weight": "得分超过分值",
    "execution-mismatch": "预算执行得分与执行率不符",
    "weights-not-100": "分值合计不是100分",
    "total-not-sum": "总分不等于各项得分之和",
    "total-mismatch": "总分与复算总分不符",
}


@dataclass(frozen=True)
class Convention:
    """How a table rounds its printed scores: `places` decimals, half_up or down (truncated)."""

    places: int
    mode: str
    evidence: tuple[tuple[str, int], ...] = ()  # mode -> rows whose printed score agrees at these places


@dataclass
class Check:
    """One printed number and what the rules give: a verdict, its reasons (the first is the main one)
    and a one-line explanation, in the language of the run."""

    printed: str | None  # as printed (trailing 分 dropped)
    recomputed: Decimal | None  # exact, before any rounding
    verdict: Verdict = "unchecked"
    reasons: list[str] = field(default_factory=list)
    explanation: str | None = None


@dataclass
class RowAudit:
    """An indicator row of the table."""

    name: str
    level1: str
    level2: str
    target: str
    actual: str
    weight: Decimal | None  # as printed
    check: Check
    location: Location
    scored: bool = True  # False for a 其中 row
    status: str | None = None  # met / partial / unmet / na, as the rules judge the actual
    tier: str | None = None
    trace: str | None = None  # the rules' arithmetic, where recomputed
    band: tuple[Decimal, Decimal] | None = None  # the points a tier allows, for tiered rows


@dataclass
class BudgetAudit:
    """The 资金 row: its score against the execution rate."""

    weight: Decimal | None
    rate: Decimal | None  # as recomputed (a fraction), when the amounts or the printed rate give one
    printed_rate: str | None
    check: Check
    trace: str | None = None


@dataclass
class TableAudit:
    """One published table audited."""

    project: str
    code: str
    department: str
    file: str
    location: Location
    convention: Convention
    budget: BudgetAudit
    rows: list[RowAudit]
    weights: Check  # printed: the sum of the printed 分值
    total: Check
    sum_of_printed: Decimal | None
    problems: list[tuple[str, Location]]  # what could not be read, located; the rest is still audited
    total_places: int = 2
    notes: list[tuple[str, Location]] = field(default_factory=list)  # the reader's warnings (empty target …)

    @property
    def verdict(self) -> TableVerdict:
        """inconsistent when anything contradicts the rules, incomplete when something could not be checked."""
        checks = [self.budget.check, self.weights, self.total, *(r.check for r in self.rows)]
        if any(c.verdict == "inconsistent" for c in checks):
            return "inconsistent"
        if self.problems or any(c.verdict == "unchecked" for c in checks):
            return "incomplete"
        return "consistent"
