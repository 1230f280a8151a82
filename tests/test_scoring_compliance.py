"""The engine's specification: tests/compliance/scoring.yaml, one parametrised test per case."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import COMPLIANCE
from scoring_harness import pack_for

from evalengine.authoring.cases import check_indicator, check_project
from evalengine.sources.documents import load_yaml

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
    assert check_indicator(pack_for(case), case, strict=True) == []


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in SPEC["projects"]])
def test_project(case: dict[str, Any]) -> None:
    assert "error" in case or "total" in case["expect"]
    assert check_project(pack_for(case), case) == []
