"""Scoring cases in their compact, readable form: the compliance files and a pack's `examples:`.

An indicator case: {target, actual, weight, score, status, tier?, findings?, budget?, spent?, year?}.
A project case: {id?, budget, rows: [[level1, level2, name, target, weight?]], actuals, expect}.
`actual` is written exactly as in an actuals file. Both kinds run through the real engine.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from evalengine.errors import InputError, Location
from evalengine.i18n import LANGUAGES, _, language, set_language
from evalengine.inputs.observations import observation
from evalengine.language.parser import parse_target
from evalengine.model import Execution, Finding, Indicator, Project, ProjectActuals
from evalengine.numbers import to_decimal
from evalengine.packs.model import Pack
from evalengine.scoring.engine import Scorer, scorer_for
from evalengine.scoring.results import IndicatorResult, Scorecard
from evalengine.text import nfkc


def _dec(value: Any) -> Decimal | None:
    return None if value is None else to_decimal(str(value))


def score_indicator(
    pack: Pack, case: dict[str, Any], where: Location | None = None
) -> tuple[IndicatorResult, list[Finding]]:
    """Score one indicator case under `pack`; input errors propagate as InputError."""
    where = where or Location("case")
    predicate = parse_target(str(case["target"]), pack.vocabulary, where)
    indicator = Indicator("产出指标", "数量指标", "指标", str(case["target"]), predicate)
    obs = observation(case.get("actual"), predicate, pack.vocabulary, where)
    project = Project("P", "项目", _dec(case.get("budget", 100)) or Decimal(100), (indicator,))
    execution = Execution(spent=_dec(case.get("spent")))
    findings: list[Finding] = []
    weight = _dec(case.get("weight"))
    if weight is None:
        raise InputError(_("an example needs weight:"), where)
    result = Scorer(pack).indicator(indicator, weight, obs, project, execution, int(case.get("year", 2024)), findings)
    return result, findings


def score_project(pack: Pack, case: dict[str, Any], where: Location | None = None) -> Scorecard:
    where = where or Location("case")
    indicators = []
    for row in case["rows"]:
        level1, level2, name, target = (str(x) for x in row[:4])
        weight = _dec(row[4]) if len(row) > 4 else None
        indicators.append(
            Indicator(level1, level2, name, target, parse_target(target, pack.vocabulary, where), weight=weight)
        )
    project = Project("P", "项目", _dec(case["budget"]) or Decimal(0), tuple(indicators))
    by_name = {nfkc(ind.name): ind for ind in indicators}
    actuals = case.get("actuals") or {}
    observations = {}
    for name, entry in (actuals.get("indicators") or {}).items():
        ind = by_name.get(nfkc(name))
        if ind is None:
            raise InputError(_("the example's actuals name {name!r}, which is not one of its rows", name=name), where)
        observations[nfkc(name)] = observation(entry, ind.predicate, pack.vocabulary, where)
    ex = actuals.get("execution") or {}
    execution = Execution(
        _dec(ex.get("spent")),
        _dec(ex.get("budget")),
        _dec(ex.get("initial_budget")),
        _dec(ex.get("adjusted_budget")),
        ex.get("explanation"),
    )
    return scorer_for(pack).score(project, ProjectActuals("P", execution, observations), int(case.get("year", 2024)))


def _refusal(score: Callable[..., Any], pack: Pack, case: dict[str, Any], where: Location | None) -> str | None:
    """The error that refuses the case, or None when it scores."""
    try:
        score(pack, case, where)
    except InputError as exc:
        return str(exc)
    return None


def _expected_error(score: Callable[..., Any], pack: Pack, case: dict[str, Any], where: Location | None) -> list[str]:
    """A case that must be refused: empty when it is, with the expected message.

    The expected message may be written in any language evalengine speaks (a pack's author writes
    English or Chinese): a run in Chinese holds an example that expects the English, and the reverse."""
    expected = str(case["error"])
    said = _refusal(score, pack, case, where)
    if said is None:
        return [_("expected the error {error!r}, but it scored", error=case["error"])]
    if expected in said:
        return []
    current = language()
    try:
        for lang in LANGUAGES:
            if lang != current:
                set_language(lang)
                other = _refusal(score, pack, case, where)
                if other is not None and expected in other:
                    return []
    finally:
        set_language(current)
    return [_("expected the error {error!r}, got: {got}", error=case["error"], got=said)]


def _differs(key: str, expected: object, got: object) -> str:
    return _("{key}: expected {expected}, got {got}", key=key, expected=expected, got=got)


def check_indicator(
    pack: Pack, case: dict[str, Any], where: Location | None = None, *, strict: bool = False
) -> list[str]:
    """What differs between the case's expectations and the engine's result (empty when it holds).

    A pack's example states what its author cares about. `strict` (the compliance files) also holds
    what a case leaves unstated: no tier, no findings, and a score and status always given.
    """
    if "error" in case:
        return _expected_error(score_indicator, pack, case, where)
    result, findings = score_indicator(pack, case, where)
    problems = []
    if strict:
        case = {"tier": None, "findings": [], **case}
        problems += [_("the case gives no {key}:", key=key) for key in ("score", "status") if key not in case]
        if not result.trace:
            problems.append(_("the score has no trace"))
    if "score" in case and result.score != Decimal(str(case["score"])):
        problems.append(_differs("score", case["score"], result.score))
    if "status" in case and result.status != case["status"]:
        problems.append(_differs("status", case["status"], result.status))
    if "tier" in case and result.tier != case["tier"]:
        problems.append(_differs("tier", case["tier"], result.tier))
    if "trace" in case and result.trace != case["trace"]:  # by which rule: ≥ met, or = by ratio, read alike
        problems.append(_differs("trace", case["trace"], result.trace))
    if "findings" in case and sorted(f.code for f in findings) != sorted(case["findings"] or []):
        problems.append(_differs("findings", sorted(case["findings"] or []), sorted(f.code for f in findings)))
    if problems:
        problems.append(_("the engine's reasoning: {trace}", trace=result.trace))
    return problems


def check_project(pack: Pack, case: dict[str, Any], where: Location | None = None) -> list[str]:
    if "error" in case:
        return _expected_error(score_project, pack, case, where)
    card = score_project(pack, case, where)
    expect = case.get("expect") or {}
    problems = []
    if "execution" in expect and card.execution.score != Decimal(str(expect["execution"])):
        problems.append(_differs("execution", expect["execution"], card.execution.score))
    if "weights" in expect and [r.weight for r in card.indicators] != [Decimal(str(w)) for w in expect["weights"]]:
        problems.append(_differs("weights", expect["weights"], [str(r.weight) for r in card.indicators]))
    if "scores" in expect and [r.score for r in card.indicators] != [Decimal(str(s)) for s in expect["scores"]]:
        problems.append(_differs("scores", expect["scores"], [str(r.score) for r in card.indicators]))
    if "total" in expect and card.total != Decimal(str(expect["total"])):
        problems.append(_differs("total", expect["total"], card.total))
    if "grade" in expect and card.grade != expect["grade"]:
        problems.append(_differs("grade", expect["grade"], card.grade))
    if "findings" in expect and sorted({f.code for f in card.findings}) != sorted(expect["findings"] or []):
        problems.append(_differs("findings", sorted(expect["findings"] or []), sorted({f.code for f in card.findings})))
    if problems:
        problems += [
            _("the engine's reasoning: {name}: {trace}", name=r.indicator.name, trace=r.trace) for r in card.indicators
        ]
        problems += [_("the engine's reasoning: {trace}", trace=n) for n in card.notes]
    return problems
