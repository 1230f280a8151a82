"""The review's specification: tests/compliance/review.yaml, one parametrised test per case."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import COMPLIANCE
from scoring_harness import pack_for

from evalengine import i18n
from evalengine.packs.schema import REVIEW_CHECKS
from evalengine.review.checks import review_table
from evalengine.sources.documents import Document, load_yaml

SPEC = load_yaml(COMPLIANCE / "review.yaml").data
CASES = SPEC["cases"]


def _row(row: list[str]) -> dict[str, Any]:
    level1, level2, name, target, *rest = row
    description = rest[0] if rest else name
    basis = rest[1] if len(rest) > 1 else "年初工作计划"
    return {
        "level1": level1,
        "level2": level2,
        "name": name,
        "description": description,
        "target": target,
        "basis": basis,
    }


def _table(case: dict[str, Any]) -> dict[str, Any]:
    base = copy.deepcopy(SPEC["base"])
    rows = [_row(r) for r in base.pop("rows")]
    for index, row in (case.get("replace") or {}).items():
        rows[int(index)] = _row(row)
    for index, keys in (case.get("extra") or {}).items():
        rows[int(index)].update(keys)
    rows = [r for i, r in enumerate(rows) if str(i) not in {str(d) for d in case.get("drop") or []}]
    rows += [_row(r) for r in case.get("add") or []]
    project = {**base, **(case.get("project") or {}), "indicators": rows}
    return {"department": "测试部门", "year": case.get("year", "2024"), "projects": [project]}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_review_case(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_current", "en")
    review = review_table(Document(_table(case), "case.yaml"), pack_for(case))
    assert not review.findings, review.findings
    findings = review.projects[0].findings
    assert sorted(f.code for f in findings) == sorted(case["expect"]), [(f.code, f.message) for f in findings]
    if "message" in case:
        assert case["message"] in findings[0].message
    if "severity" in case:
        assert findings[0].severity == case["severity"]
    if "message_zh" in case:  # the same findings, in the same places, said in Chinese
        monkeypatch.setattr(i18n, "_current", "zh")
        chinese = review_table(Document(_table(case), "case.yaml"), pack_for(case)).projects[0].findings
        placed = [(f.code, f.severity, f.location) for f in findings]
        assert [(f.code, f.severity, f.location) for f in chinese] == placed
        assert case["message_zh"] in chinese[0].message


def test_every_check_has_a_case_that_triggers_it_and_one_that_does_not() -> None:
    for code in REVIEW_CHECKS:
        ids = [c["id"] for c in CASES if c["id"].startswith(code + "/")]
        assert any(code in c["expect"] for c in CASES if c["id"] in ids), f"{code}: no case triggers it"
        assert any(code not in c["expect"] for c in CASES if c["id"] in ids), f"{code}: no case passes it"
