"""The naive reference of issue 19: a plain loop that reads the JSON files and computes the default scores.

    python benchmarks/naive.py ACTUALS.json

No validation, no findings, no report: json.load with exact decimals, each distinct target parsed
once, the national default formulas (forward A/T, reverse T/A, tiers, execution rate × 10), a total
per project. What a careful script written for one batch would do; nothing is asserted about time.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from evalengine.language.parser import parse_target
from evalengine.language.predicates import Comparison

TIERS = {"达成": Decimal(1), "部分达成": Decimal("0.7"), "未达成": Decimal("0.3")}
UNITS = {"万元": Decimal(10000), "元": Decimal(1), "%": Decimal(1), "万": Decimal(10000)}


@cache
def target(text: str) -> Any:
    return parse_target(text)


def number(entry: Any) -> Decimal | None:
    if isinstance(entry, dict):
        if "numerator" in entry:
            return Decimal(entry["numerator"]) / Decimal(entry["denominator"]) * 100
        entry = entry.get("value")
    if not isinstance(entry, str):
        return None if entry is None else Decimal(entry)
    for unit, scale in UNITS.items():
        if entry.endswith(unit):
            try:
                return Decimal(entry[: -len(unit)]) * scale
            except ArithmeticError:
                return None
    try:
        return Decimal(entry)
    except ArithmeticError:
        return None


def score(actuals_path: Path) -> dict[str, Decimal]:
    actuals = json.loads(actuals_path.read_text(encoding="utf-8"), parse_float=Decimal)
    targets = json.loads((actuals_path.parent / actuals["targets"]).read_text(encoding="utf-8"), parse_float=Decimal)
    given = {p["code"]: p for p in actuals["projects"]}
    totals: dict[str, Decimal] = {}
    for project in targets["projects"]:
        acts = given.get(project["code"], {})
        inds = project["indicators"]
        weight = Decimal(90) / len(inds)
        total = Decimal(0)
        for ind in inds:
            entry = acts.get("indicators", {}).get(ind["name"])
            predicate = target(ind["target"])
            if isinstance(entry, dict) and entry.get("tier") in TIERS:
                total += TIERS[entry["tier"]] * weight
            elif isinstance(predicate, Comparison) and predicate.quantity is not None:
                a, t = number(entry), predicate.quantity.value
                if a is None or not t:
                    continue
                met = a >= t if predicate.op in (">=", ">", "=") else a <= t
                total += weight if met else (min(a / t, Decimal(1)) if ">" in predicate.op else t / a) * weight
            else:
                total += weight
        spent = Decimal(str(acts.get("execution", {}).get("spent") or 0))
        budget = Decimal(str(project.get("budget") or 1))
        total += min(spent / budget, Decimal(1)) * 10 if budget else 0
        totals[project["code"]] = total.quantize(Decimal("0.01"))
    return totals


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(name, len(score(Path(name))), "projects")
