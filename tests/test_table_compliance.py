"""Tables as printed: tests/compliance/tables.yaml, one parametrised test per case.

Each case's table and actuals are written as a targets file and an actuals file and run through the
real loaders and the scorer, as `evalengine score` runs them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import COMPLIANCE
from scoring_harness import pack_for

from evalengine.errors import InputError
from evalengine.inputs.actuals import load_job
from evalengine.pipeline import score_job
from evalengine.scoring.results import Scorecard
from evalengine.sources.documents import load_yaml

SPEC = load_yaml(COMPLIANCE / "tables.yaml").data  # read as users' files are: every scalar stays text


def _score(case: dict[str, Any], folder: Path) -> Scorecard:
    pack = pack_for(case)
    targets = {"department": "测试单位", "year": 2024, "projects": [case["table"]]}
    entry = {"code": case["table"]["code"], "summary": "全年目标完成", **case["actuals"]}
    actuals = {"targets": "targets.yaml", "rules": pack.name, "year": 2024, "projects": [entry]}
    for name, data in (("targets.yaml", targets), ("actuals.yaml", actuals)):
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    [card] = score_job(load_job(folder / "actuals.yaml", str(pack.name) if "/" in pack.name else None))
    return card


def _same(got: list[Decimal], expected: list[Any]) -> bool:
    return len(got) == len(expected) and all(g == Decimal(str(e)) for g, e in zip(got, expected, strict=True))


def check(case: dict[str, Any], folder: Path) -> list[str]:
    """What differs between the case and the engine (empty when the case holds)."""
    if "error" in case:
        try:
            _score(case, folder)
        except InputError as exc:
            return [] if str(case["error"]) in str(exc) else [f"expected the error {case['error']!r}, got: {exc}"]
        return [f"expected the error {case['error']!r}, but it scored"]
    card = _score(case, folder)
    expect = case["expect"]
    problems = []
    if "execution" in expect and card.execution.score != Decimal(expect["execution"]):
        problems.append(f"execution: expected {expect['execution']}, got {card.execution.score}")
    if "weights" in expect and not _same([r.weight for r in card.indicators], expect["weights"]):
        problems.append(f"weights: expected {expect['weights']}, got {[str(r.weight) for r in card.indicators]}")
    if "scores" in expect and not _same([r.score for r in card.indicators], expect["scores"]):
        problems.append(f"scores: expected {expect['scores']}, got {[str(r.score) for r in card.indicators]}")
    if "statuses" in expect and [r.status for r in card.indicators] != expect["statuses"]:
        problems.append(f"statuses: expected {expect['statuses']}, got {[r.status for r in card.indicators]}")
    if "levels" in expect:
        got = {lvl.name: [lvl.weight, lvl.score] for lvl in card.level1}
        want = {name: [Decimal(str(w)), Decimal(str(s))] for name, (w, s) in expect["levels"].items()}
        if got != want:
            problems.append(f"levels: expected {expect['levels']}, got {got}")
    if "total" in expect and str(card.total) != expect["total"]:  # exactly: the places are part of the rule
        problems.append(f"total: expected {expect['total']}, got {card.total}")
    if "grade" in expect and card.grade != expect["grade"]:
        problems.append(f"grade: expected {expect['grade']}, got {card.grade}")
    codes = sorted({f.code for f in card.findings})
    if "findings" in expect and codes != sorted(expect["findings"]):
        problems.append(f"findings: expected {sorted(expect['findings'])}, got {codes}")
    for code, severity in (expect.get("severities") or {}).items():
        if {f.severity for f in card.findings if f.code == code} != {severity}:
            problems.append(f"{code} should be a {severity}")
    if problems:
        problems += [f"the engine's reasoning: {r.indicator.name}: {r.trace}" for r in card.indicators]
        problems += [f"the engine's reasoning: {n}" for n in card.notes]
        problems += [f"finding: {f.code}: {f.message}" for f in card.findings]
    return problems


def test_spec_covers_the_issue() -> None:
    assert len(SPEC["cases"]) >= 30


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in SPEC["cases"]])
def test_table(case: dict[str, Any], tmp_path: Path) -> None:
    assert check(case, tmp_path) == []
