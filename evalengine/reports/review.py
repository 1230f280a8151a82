"""The review view: the JSON contract of `evalengine review`, which every format renders. A plain dict
of strings, lists and counts, like the score and monitor views; nothing here checks anything."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from evalengine.errors import Location
from evalengine.numbers import HUNDRED, fixed, round_to
from evalengine.packs.model import Pack
from evalengine.review.checks import TITLES
from evalengine.review.model import SEVERITIES, ProjectReview, ReviewFinding, TableReview

REVIEW_SEVERITY_ZH = {"error": "错误", "warning": "提示", "notice": "关注"}


VERDICT_ZH = {"return": "退回修改", "confirm": "请核实", "pass": "通过"}


def _share(part: int, whole: int) -> str | None:
    return fixed(round_to(Decimal(part) * HUNDRED / whole, 2)) if whole else None


def _location(location: Location) -> dict[str, Any]:
    at = location.cell or (f"第 {location.line} 行" if location.line is not None else "")
    return {
        "text": str(location),
        "place": " ".join(part for part in (at, location.keypath or "") if part),  # within its file
        "file": location.file,
        "line": location.line,
        "cell": location.cell,
        "path": location.keypath,
    }


def _finding(f: ReviewFinding) -> dict[str, Any]:
    return {
        "code": f.code,
        "title": TITLES[f.code],
        "severity": f.severity,
        "indicator": f.indicator,
        "message": f.message,
        "location": _location(f.location),
    }


def _verdict(findings: tuple[ReviewFinding, ...]) -> str:
    severities = {f.severity for f in findings}
    return "return" if "error" in severities else "confirm" if "warning" in severities else "pass"


def _project(p: ProjectReview, table: TableReview) -> dict[str, Any]:
    counts = Counter(f.severity for f in p.findings)
    return {
        "code": p.code,
        "name": p.name,
        "department": table.department,
        "file": table.file,
        "budget": None if p.budget is None else fixed(round_to(p.budget, 2)),
        "indicators": p.indicators,
        "quantified": p.quantified,
        "quantified_share": _share(p.quantified, p.indicators),
        "location": _location(p.location),
        "verdict": _verdict(p.findings),
        "counts": {s: counts[s] for s in SEVERITIES},
        "findings": [_finding(f) for f in p.findings],
    }


def build_review(tables: list[TableReview], pack: Pack) -> dict[str, Any]:
    """Every table's projects and findings, and the department summary (findings by code and severity,
    the share of quantified indicators)."""
    projects = [_project(p, t) for t in tables for p in t.projects]
    every = [f for t in tables for f in t.findings] + [f for t in tables for p in t.projects for f in p.findings]
    by_code = Counter((f.code, f.severity) for f in every)
    indicators = sum(p["indicators"] for p in projects)
    quantified = sum(p["quantified"] for p in projects)
    verdicts = Counter(p["verdict"] for p in projects)
    years = sorted({t.year for t in tables if t.year is not None})
    return {
        "kind": "review",
        "rules": pack.name,
        "rules_title": pack.title,
        "departments": list(dict.fromkeys(t.department for t in tables if t.department)),
        "year": years[0] if len(years) == 1 else None,
        "summary": {
            "files": len(tables),
            "projects": len(projects),
            "indicators": indicators,
            "quantified": quantified,
            "quantified_share": _share(quantified, indicators),
            "verdicts": {v: verdicts[v] for v in VERDICT_ZH},
            "findings": {s: sum(n for (_, sev), n in by_code.items() if sev == s) for s in SEVERITIES},
            "by_code": [
                {"code": code, "title": TITLES[code], "severity": severity, "count": by_code[(code, severity)]}
                for code in TITLES
                for severity in SEVERITIES
                if by_code[(code, severity)]
            ],
        },
        "tables": [
            {
                "file": t.file,
                "department": t.department,
                "year": t.year,
                "projects": len(t.projects),
                "notes": list(t.notes),
                "findings": [_finding(f) for f in t.findings],
            }
            for t in tables
        ],
        "projects": projects,
    }
