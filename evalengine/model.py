"""What the engine reads and writes: projects with their targets, the year's actuals, scorecards.

Plain frozen dataclasses. Amounts of money in projects and execution are in 万元, as the target
tables print them; indicator quantities are in their base units (see predicates.Quantity).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any, Literal, NamedTuple, TypeVar

from evalengine.language.predicates import Completion, Deadline, Predicate, Quantity


@dataclass(frozen=True)
class Indicator:
    """One row of a 绩效目标表: 一级 / 二级 / 三级指标, its 指标值 and, optionally, a set weight."""

    level1: str
    level2: str
    name: str
    target: str
    predicate: Predicate
    description: str = ""
    basis: str = ""
    weight: Decimal | None = None
    scored: bool = True  # False for a 其中 row: shown and judged, but it carries no score


@dataclass(frozen=True)
class TableWeights:
    """The 分值 a table prints beyond its rows': the 资金 row's, and blocks' from their labels (产出指标(50分))
    or the project's `weights:`. Absent ones fall back to the pack's split."""

    execution: Decimal | None = None
    level1: tuple[tuple[str, Decimal], ...] = ()  # NFKC block name -> points
    level2: tuple[tuple[str, str, Decimal], ...] = ()  # (level 1, level 2) -> points

    def __bool__(self) -> bool:
        return self.execution is not None or bool(self.level1) or bool(self.level2)


class PlanPoint(NamedTuple):
    """A checkpoint of the spending plan (资金支出计划): 6月底, 60% of the budget spent by then."""

    label: str  # as written: 6月底
    share: Decimal  # cumulative, in %
    due: Deadline


@dataclass(frozen=True)
class Project:
    """A budget project's target table (项目绩效目标表)."""

    code: str
    name: str
    budget: Decimal  # 预算数, 万元
    indicators: tuple[Indicator, ...]
    fiscal: Decimal | None = None  # 其中：财政资金
    other: Decimal | None = None  # 其他资金
    unit: str = ""
    purpose: str = ""
    spending_plan: tuple[PlanPoint, ...] = ()
    goals: tuple[str, ...] = ()
    weights: TableWeights = TableWeights()
    findings: tuple[Finding, ...] = ()  # what the table itself gets wrong (an empty target cell …), for reports


@dataclass(frozen=True)
class Observation:
    """One indicator's 实际完成值, in whichever form the evaluator had it."""

    value: Quantity | date | Completion | None = None  # Completion: 已完成, 12月20日 … for a deadline
    completed: bool | None = None  # for deadlines: False means not completed (未完成)
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    survey: tuple[tuple[str, Decimal], ...] | None = None  # answer category -> count
    tier: str | None = None  # 达成 / 部分达成 / 未达成
    score: Decimal | None = None  # the evaluator's score inside a tier's band
    baseline: Quantity | None = None  # for trends: usually last year's value
    baseline_year: int | None = None  # the baseline was not written but taken from that year's recorded actual
    na: bool = False  # 不适用
    explanation: str | None = None  # 偏差原因分析及改进措施
    evidence: tuple[str, ...] = ()  # 佐证材料
    text: str = ""  # the actual as the evaluator wrote it, for reports
    cause: str | None = None  # in-year monitoring: why a red light (偏差原因)
    outlook: str | None = None  # in-year monitoring: 确定能 / 有可能 / 完全不可能
    notes: tuple[str, ...] = ()  # how a value written loosely was read (≥90% read as 90%), for findings
    warnings: tuple[tuple[str, str], ...] = ()  # (code, message) of other warnings about the value as written


@dataclass(frozen=True)
class Execution:
    """The year's spending, 万元. `budget` overrides the target table's 预算数 (全年预算数)."""

    spent: Decimal | None
    budget: Decimal | None = None
    initial_budget: Decimal | None = None  # 年初预算数
    adjusted_budget: Decimal | None = None  # 调整后预算数
    explanation: str | None = None
    history: tuple[tuple[date, Decimal], ...] = ()  # dated cumulative amounts, for in-year monitoring
    cause: str | None = None
    outlook: str | None = None
    rate: Decimal | None = None  # 执行率 as the table prints it (a fraction), when the amounts are not given


@dataclass(frozen=True)
class ProjectActuals:
    """One project's actuals: the year's spending and each indicator's observation, by NFKC name."""

    code: str
    execution: Execution
    indicators: Mapping[str, Observation] = field(default_factory=dict)


Severity = Literal["error", "warning"]  # an error blocks a complete report (with --strict); a warning informs


class Finding(NamedTuple):
    """Something the evaluator must look at: an error blocks a complete report (with --strict)."""

    severity: Severity
    code: str  # missing-explanation | over-achievement | missing-actual | execution-explanation | …
    indicator: str | None
    message: str


_T = TypeVar("_T")


def made(cls: type[_T], values: dict[str, Any]) -> _T:
    """cls(**values) for a frozen dataclass given every field in order, made as its __init__ makes it (the
    fields in the instance's __dict__) without a call of object.__setattr__ per field: for the objects a
    file is read into by the thousand (rows, projects, their places, executions). Only for a class that
    `made_plainly` has vouched for; tests compare what it makes with what the constructor makes."""
    obj = _new(cls)
    _set(obj, "__dict__", values)
    return obj


# bound once: object.__new__ and object.__setattr__ looked up on the type cost two attribute loads per call
_new = object.__new__
_set = object.__setattr__


def made_plainly(cls: type[Any], names: tuple[str, ...]) -> None:
    """Stop the import unless `cls` has exactly the fields `names`, in order, and nothing its __init__ would
    check or work out (no __post_init__) or store elsewhere (no __slots__): what `made` relies on."""
    if [f.name for f in fields(cls)] != list(names) or hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        raise AssertionError(f"{cls.__name__} is no longer made plainly by model.made: update its callers")
