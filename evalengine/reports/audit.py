"""The audit view: the JSON contract of `evalengine audit`, which every format renders. Numbers are
strings; `recomputed` is shown at the pack's places, `printed` as the table prints it."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from evalengine.audit.model import REASONS, TABLE_VERDICTS, VERDICTS, Check, TableAudit
from evalengine.errors import Location
from evalengine.numbers import ZERO, fixed, round_to
from evalengine.packs.model import Pack

VERDICT_ZH = {"consistent": "一致", "inconsistent": "不一致", "unchecked": "无法核对", "incomplete": "不完整"}


MODE_ZH = {"half_up": "四舍五入", "down": "截尾"}


def _at(location: Location) -> str:
    return location.cell or (f"第 {location.line} 行" if location.line is not None else location.keypath or "")


def _shown(value: Decimal | None, places: int) -> str | None:
    return None if value is None else fixed(round_to(value, places), places)


def _check(check: Check, places: int) -> dict[str, Any]:
    return {
        "printed": check.printed,
        "recomputed": _shown(check.recomputed, places),
        "verdict": check.verdict,
        "reason": check.reasons[0] if check.reasons else None,
        "explanation": check.explanation,
        "reasons": list(check.reasons),
    }


def table_view(t: TableAudit, pack: Pack) -> dict[str, Any]:
    """One table in the JSON contract."""
    places = pack.rounding.places
    b = t.budget
    return {
        "project": t.project,
        "code": t.code,
        "department": t.department,
        "file": t.file,
        "place": _at(t.location),
        "verdict": t.verdict,
        "rounding": {
            "places": t.convention.places,
            "mode": t.convention.mode,
            "agreeing": dict(t.convention.evidence),
        },
        "budget": {
            **_check(b.check, pack.rounding.execution.places),
            "weight": None if b.weight is None else format(b.weight, "f"),
            "rate": b.printed_rate,
            "recomputed_rate": _shown(b.rate * 100, places) if b.rate is not None else None,
            "trace": b.trace,
        },
        "rows": [
            {
                "name": r.name,
                **_check(r.check, places),
                "level1": r.level1,
                "level2": r.level2,
                "target": r.target,
                "actual": r.actual,
                "weight": None if r.weight is None else format(r.weight, "f"),
                "scored": r.scored,
                "status": r.status,
                "tier": r.tier,
                "trace": r.trace,
                "place": _at(r.location),
            }
            for r in t.rows
        ],
        "weights": {
            "printed": t.weights.printed,
            "verdict": t.weights.verdict,
            "reason": t.weights.reasons[0] if t.weights.reasons else None,
            "explanation": t.weights.explanation,
        },
        "total": {
            "printed": t.total.printed,
            "sum_of_printed": _shown(t.sum_of_printed, t.convention.places),
            "recomputed": _shown(t.total.recomputed, pack.rounding.total.places),
            "verdict": t.total.verdict,
            "reason": t.total.reasons[0] if t.total.reasons else None,
            "explanation": t.total.explanation,
            "reasons": list(t.total.reasons),
        },
        "problems": [{"message": m, "place": _at(where), "location": str(where)} for m, where in t.problems],
        "notes": [{"message": m, "place": _at(where)} for m, where in t.notes],
    }


def build_audit(audited: list[tuple[TableAudit, Pack]], notes: list[str] | None = None) -> dict[str, Any]:
    """Every table audited (each under its file's pack), and the summary: tables and rows (资金 rows
    included) by verdict, every reason found, and the average printed and recomputed totals over the
    tables that have both."""
    tables = [t for t, _ in audited]
    views = [table_view(t, pack) for t, pack in audited]
    packs = list(dict.fromkeys(pack.name for _, pack in audited))
    pack = audited[0][1]
    rows = Counter(r["verdict"] for v in views for r in (v["budget"], *v["rows"]))
    reasons: Counter[str] = Counter()
    for v in views:
        for check in (v["budget"], *v["rows"], v["total"]):
            reasons.update(check["reasons"])
        if v["weights"]["reason"]:
            reasons[v["weights"]["reason"]] += 1
    both = [t for t in tables if t.total.recomputed is not None and t.total.printed is not None]
    places = pack.rounding.total.places
    printed = sum((Decimal(t.total.printed or "0") for t in both), ZERO)
    recomputed = sum((t.total.recomputed or ZERO for t in both), ZERO)
    verdicts = Counter(v["verdict"] for v in views)
    return {
        "kind": "audit",
        "rules": packs[0] if len(packs) == 1 else "mixed",
        "rules_title": pack.title if len(packs) == 1 else "多套规则",
        "departments": list(dict.fromkeys(t.department for t in tables if t.department)),
        "tables": views,
        "summary": {
            "tables": len(views),
            "rows": {v: rows.get(v, 0) for v in VERDICTS},
            "reasons": {code: reasons[code] for code in REASONS if reasons[code]},
            "verdicts": {v: verdicts.get(v, 0) for v in TABLE_VERDICTS},
            "average": {
                "tables": len(both),
                "printed": _shown(printed / len(both), places) if both else None,
                "recomputed": _shown(recomputed / len(both), places) if both else None,
            },
        },
        "notes": list(notes or []),
    }
