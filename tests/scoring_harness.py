"""Build engine inputs from the compliance cases' compact form (tests/compliance/scoring.yaml)."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

import yaml

from evalengine.engine import Scorer, score_project
from evalengine.errors import Location
from evalengine.models import Execution, Finding, Indicator, IndicatorResult, Project, ProjectActuals, Scorecard
from evalengine.observations import observation
from evalengine.packs import Pack, load_pack
from evalengine.targets import parse_target
from evalengine.vocabulary import nfkc

_TMP = Path(mkdtemp(prefix="evalengine-packs-"))


@cache
def _pack(spec: str) -> Pack:
    data = json.loads(spec)
    if isinstance(data, str):
        return load_pack(data)
    path = _TMP / f"inline-{abs(hash(spec))}.yaml"
    path.write_text(yaml.safe_dump({"extends": "mof-2020", **data}, allow_unicode=True), encoding="utf-8")
    return load_pack(path)


def pack_for(case: dict[str, Any]) -> Pack:
    return _pack(json.dumps(case.get("pack", "mof-2020"), ensure_ascii=False, sort_keys=True))


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def score_indicator(case: dict[str, Any]) -> tuple[IndicatorResult, list[Finding]]:
    pack = pack_for(case)
    predicate = parse_target(case["target"], pack.vocabulary)
    indicator = Indicator("产出指标", "数量指标", "指标", case["target"], predicate)
    obs = observation(case.get("actual"), predicate, pack.vocabulary, Location("case"))
    project = Project("P", "项目", Decimal(str(case.get("budget", 100))), (indicator,))
    execution = Execution(spent=_dec(case.get("spent")))
    findings: list[Finding] = []
    year = int(case.get("year", 2024))
    result = Scorer(pack).indicator(indicator, Decimal(str(case["weight"])), obs, project, execution, year, findings)
    return result, findings


def score_case_project(case: dict[str, Any]) -> Scorecard:
    pack = pack_for(case)
    indicators = []
    for row in case["rows"]:
        level1, level2, name, target = row[:4]
        weight = _dec(row[4]) if len(row) > 4 else None
        indicators.append(Indicator(level1, level2, name, target, parse_target(target, pack.vocabulary), weight=weight))
    project = Project("P", "项目", Decimal(str(case["budget"])), tuple(indicators))
    by_name = {nfkc(ind.name): ind for ind in indicators}
    actuals = case.get("actuals") or {}
    observations = {}
    for name, entry in (actuals.get("indicators") or {}).items():
        ind = by_name[nfkc(name)]
        observations[nfkc(name)] = observation(entry, ind.predicate, pack.vocabulary, Location("case", keypath=name))
    ex = actuals.get("execution") or {}
    execution = Execution(
        spent=_dec(ex.get("spent")),
        budget=_dec(ex.get("budget")),
        initial_budget=_dec(ex.get("initial_budget")),
        adjusted_budget=_dec(ex.get("adjusted_budget")),
        explanation=ex.get("explanation"),
    )
    return score_project(project, ProjectActuals("P", execution, observations), pack, int(case.get("year", 2024)))
