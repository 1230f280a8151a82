"""The engine's specification: tests/compliance/scoring.yaml, one parametrised test per case."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from conftest import COMPLIANCE
from scoring_harness import pack_for

from evalengine.cases import score_indicator, score_project
from evalengine.errors import InputError
from evalengine.sources import load_yaml

SPEC = load_yaml(COMPLIANCE / "scoring.yaml").data  # read as users' files are: every scalar stays text


def _indicator_cases() -> list[Any]:
    out = []
    for group, cases in SPEC["indicators"].items():
        for i, case in enumerate(cases, 1):
            out.append(pytest.param(case, id=f"{group}-{i:02d}-{case['target']}"))
    return out


def test_spec_has_enough_cases() -> None:
    count = sum(len(c) for c in SPEC["indicators"].values()) + len(SPEC["projects"])
    assert count >= 120


@pytest.mark.parametrize("case", _indicator_cases())
def test_indicator(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(InputError) as info:
            score_indicator(pack_for(case), case)
        assert case["error"] in str(info.value)
        return
    result, findings = score_indicator(pack_for(case), case)
    assert result.score == Decimal(case["score"]), result.trace
    assert result.status == case["status"], result.trace
    assert result.tier == case.get("tier")
    assert sorted(f.code for f in findings) == sorted(case.get("findings") or [])
    assert result.trace  # every score explains itself
    if "trace" in case:  # and says by which rule: ≥ met, or = scored by ratio, read the same score
        assert result.trace == case["trace"]


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in SPEC["projects"]])
def test_project(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(InputError) as info:
            score_project(pack_for(case), case)
        assert case["error"] in str(info.value)
        return
    card = score_project(pack_for(case), case)
    expect = case["expect"]
    if "execution" in expect:
        assert card.execution.score == Decimal(expect["execution"]), card.execution.trace
    if "weights" in expect:
        assert [r.weight for r in card.indicators] == [Decimal(w) for w in expect["weights"]]
    if "scores" in expect:
        assert [r.score for r in card.indicators] == [Decimal(s) for s in expect["scores"]], [
            r.trace for r in card.indicators
        ]
    assert card.total == Decimal(expect["total"]), card.notes
    if "grade" in expect:
        assert card.grade == expect["grade"]
    if "findings" in expect:
        assert sorted({f.code for f in card.findings}) == sorted(expect["findings"] or [])
