"""In-year monitoring's specification: tests/compliance/monitoring.yaml, one parametrised test each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from conftest import COMPLIANCE
from scoring_harness import pack_for

from evalengine.errors import InputError, Location
from evalengine.inputs.observations import observation
from evalengine.language.parser import parse_target
from evalengine.language.predicates import Deadline
from evalengine.model import Execution, Indicator, PlanPoint, Project, ProjectActuals
from evalengine.scoring.monitor import indicator_light, monitor_project, spending
from evalengine.sources.documents import load_yaml
from evalengine.text import nfkc

SPEC = load_yaml(COMPLIANCE / "monitoring.yaml").data
SEED_PLAN = {"3月底": "30", "6月底": "60", "10月底": "90", "12月底": "100"}


HALF_CENT = Decimal("0.005")


def _shows(value: Decimal | None, expected: str | None) -> bool:
    """Whether the exact `value` is the one the report prints as the literal `expected` (2 places, half
    away from zero): it lies within half a hundredth of it. No rounding of the engine's is used here."""
    if value is None or expected is None:
        return value is None and expected is None
    assert len(expected.split(".")[1]) == 2, f"write {expected!r} with 2 places"
    shown = Decimal(expected)
    if value < 0 or shown < 0:  # -20.005 is printed -20.01
        return shown - HALF_CENT < value <= shown + HALF_CENT
    return shown - HALF_CENT <= value < shown + HALF_CENT


def _percent(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else fraction * 100


def _as_of(case: dict[str, Any]) -> date:
    return date.fromisoformat(case.get("as_of") or "2024-06-30")


def _due(label: str) -> Deadline:
    due = parse_target(f"{label}前")
    assert isinstance(due, Deadline), label
    return due


def _project(case: dict[str, Any], indicators: tuple[Indicator, ...] = ()) -> Project:
    plan = case.get("plan", SEED_PLAN)
    shares = tuple(
        PlanPoint(label, Decimal(str(share).rstrip("%")), _due(label)) for label, share in (plan or {}).items()
    )
    return Project("P", "项目", Decimal(str(case.get("budget", 10))), indicators, spending_plan=shares)


def _execution(case: dict[str, Any]) -> Execution:
    history = tuple((date.fromisoformat(d), Decimal(a)) for d, a in case.get("history") or [])
    spent = Decimal(str(case["spent"])) if case.get("spent") is not None else (history[-1][1] if history else None)
    return Execution(spent, history=history, cause=case.get("cause"), outlook=case.get("outlook"))


@pytest.mark.parametrize("case", SPEC["spending"], ids=[f"spending-{i}" for i in range(len(SPEC["spending"]))])
def test_spending(case: dict[str, Any]) -> None:
    pack = pack_for(case)
    if "error" in case:
        with pytest.raises(InputError, match=case["error"]):
            spending(_project(case), _execution(case), pack, _as_of(case))
        return
    light = spending(_project(case), _execution(case), pack, _as_of(case))
    assert light.light == case["light"]
    assert _shows(_percent(light.planned), case["planned"]), (light.planned, case["planned"])
    assert _shows(_percent(light.ratio), case["ratio"]), (light.ratio, case["ratio"])
    if "actual" in case:
        assert _shows(_percent(light.actual), case["actual"]), (light.actual, case["actual"])
    if "lag" in case:
        assert _shows(light.lag, case["lag"]), (light.lag, case["lag"])
    if "basis" in case:
        assert light.basis == case["basis"]


@pytest.mark.parametrize(
    "case", SPEC["indicators"], ids=[f"{c['target']}-{c.get('light')}" for c in SPEC["indicators"]]
)
def test_indicator_light(case: dict[str, Any]) -> None:
    pack = pack_for(case)
    ind = Indicator("产出指标", "数量指标", "指标", case["target"], parse_target(case["target"], pack.vocabulary))
    obs = observation(case.get("actual"), ind.predicate, pack.vocabulary, Location("case"))
    project = _project(case, (ind,))
    result = indicator_light(ind, obs, project, _execution(case), pack, _as_of(case))
    assert result.light == case["light"], result.note
    if "progress" in case:
        assert _shows(_percent(result.progress), case["progress"]), (result.progress, case["progress"])
    if "due" in case:
        assert result.expected == case["due"]
    if "note" in case:
        assert result.note == case["note"]


@pytest.mark.parametrize("case", SPEC["projects"], ids=[f"project-{i}" for i in range(len(SPEC["projects"]))])
def test_project_light(case: dict[str, Any]) -> None:
    pack = pack_for(case)
    inds = tuple(Indicator("产出指标", "数量指标", f"指标{i}", t, parse_target(t)) for i, t in enumerate(case["rows"]))
    observations = {
        nfkc(ind.name): observation(a, ind.predicate, pack.vocabulary, Location("case"))
        for ind, a in zip(inds, case["actuals"], strict=True)
    }
    card = monitor_project(
        _project(case, inds), ProjectActuals("P", _execution(case), observations), pack, _as_of(case)
    )
    assert card.light == case["light"]
    assert sorted({f.code for f in card.findings}) == sorted(case["findings"])
