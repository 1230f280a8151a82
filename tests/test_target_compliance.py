"""The target language's specification: tests/compliance/targets.yaml, one parametrised test each."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import load_compliance

from evalengine.errors import TargetSyntaxError
from evalengine.language.parser import parse_actual, parse_target
from evalengine.language.predicates import Completion, Quantity, predicate_json
from evalengine.numbers import plain

SPEC = load_compliance("targets.yaml")
META = {"target", "actual", "error"}


def _target_cases() -> list[Any]:
    cases = [pytest.param(c, id=f"seed-{i:02d}-{c['target']}") for i, c in enumerate(SPEC["seed"], 1)]
    for group, items in SPEC["cases"].items():
        cases += [pytest.param(c, id=f"{group}-{c['target']}") for c in items]
    return cases


def test_spec_covers_the_seed_and_enough_more() -> None:
    assert len(SPEC["seed"]) == 72
    assert sum(len(items) for items in SPEC["cases"].values()) >= 150 + 200  # issue 14 added 200 at least


@pytest.mark.parametrize("case", _target_cases())
def test_target(case: dict[str, Any]) -> None:
    text = case["target"]
    if "error" in case:
        with pytest.raises(TargetSyntaxError) as info:
            parse_target(text)
        assert info.value.column == case["error"]["column"]
        assert case["error"]["message"] in info.value.message
        return
    predicate = parse_target(text)
    expected = {k: v for k, v in case.items() if k not in META}
    got = predicate_json(text, predicate)
    assert got.pop("input") == text
    assert got == expected
    assert parse_target(predicate.canonical()) == predicate  # canonical text round-trips


@pytest.mark.parametrize("case", [pytest.param(c, id=c["actual"] or "empty") for c in SPEC["actuals"]])
def test_actual(case: dict[str, Any]) -> None:
    text = case["actual"]
    if "error" in case:
        with pytest.raises(TargetSyntaxError) as info:
            parse_actual(text)
        assert info.value.column == case["error"]["column"]
        assert case["error"]["message"] in info.value.message
        return
    value = parse_actual(text)
    if "date" in case:
        assert value == date.fromisoformat(case["date"])
    elif "completion" in case:  # 已完成, 12月20日, 2024年12月: a deadline's actual without a full date
        assert isinstance(value, Completion)
        fields = {"done": value.done, "on_time": value.on_time, "year": value.year, "month": value.month}
        fields["day"] = value.day
        expected = {"on_time": False, "year": None, "month": None, "day": None, **case["completion"]}
        assert fields == expected
    else:
        assert isinstance(value, Quantity)
        assert (plain(value.value), value.unit) == (case["value"], case["unit"])
