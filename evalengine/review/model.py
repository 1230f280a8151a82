"""What a review (绩效目标审核) finds: located findings per project, and the department's counts.

Plain frozen data: the report view (reports/review.py) renders it, nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from evalengine.errors import Location

ReviewSeverity = Literal["error", "warning", "notice"]  # error: send back; warning: ask; notice: look at
SEVERITIES: tuple[ReviewSeverity, ...] = ("error", "warning", "notice")


@dataclass(frozen=True)
class ReviewFinding:
    """One thing a bureau would send back: its check, severity, where, and a one-line reason (in the
    language of the run; the code stays English)."""

    code: str
    severity: ReviewSeverity
    indicator: str | None  # the 三级指标 at fault, when one is
    location: Location
    message: str


@dataclass(frozen=True)
class ProjectReview:
    """One project's table, reviewed."""

    code: str
    name: str
    budget: Decimal | None  # 预算数, 万元, when it could be read
    indicators: int
    quantified: int  # indicators whose target is quantified (定量), by the pack's review.quantified
    location: Location
    findings: tuple[ReviewFinding, ...] = ()


@dataclass(frozen=True)
class TableReview:
    """One targets file (or imported table) reviewed: its department and projects."""

    file: str
    department: str
    year: int | None
    projects: tuple[ProjectReview, ...]
    findings: tuple[ReviewFinding, ...] = ()  # about the file itself: an unplaced line, an unreadable year
    notes: tuple[str, ...] = field(default=())  # what was not checked, and why (no budget year given …)
