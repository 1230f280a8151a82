"""What issue 19 made lazy or resolved once must behave as what it replaced."""

from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

from evalengine.errors import InputError, Location
from evalengine.inputs.actuals import load_job
from evalengine.inputs.collect import Collector, Deferred
from evalengine.language.parser import parse_target
from evalengine.language.predicates import Quantity, Range
from evalengine.model import Execution, Indicator, Observation, Project
from evalengine.numbers import ROUNDING_MODES, fixed, fixer, round_to, rounder
from evalengine.packs.load import load_pack
from evalengine.packs.schema import METHODS
from evalengine.scoring.explain import render
from evalengine.scoring.indicator import IndicatorScorer
from evalengine.scoring.methods import Rules, Shortfall, formula
from evalengine.sources.documents import parse_json, parse_yaml

YAML = "projects:\n  - code: P1\n    indicators:\n      a: 96%\n"


def test_a_deferred_location_is_the_location_it_stands_for() -> None:
    doc = parse_yaml(YAML, "x.yaml")
    path = ("projects", 0, "indicators", "a")
    later, now = Collector(doc).later(path), doc.where(path)
    assert (later.file, later.line, later.column, later.path, later.cell) == (now.file, 4, 7, path, None)
    assert isinstance(later, Deferred)
    assert later == now and now == later and hash(later) == hash(now)
    assert str(later) == str(now) == "x.yaml:4:7 (projects[0].indicators.a)"
    assert later.keypath == now.keypath
    back = pickle.loads(pickle.dumps(later))
    assert type(back) is Location and back == now


def test_an_error_collected_holds_a_plain_location() -> None:
    doc = parse_json('{"a": 1}', "x.json")
    c = Collector(doc)

    def fail(where: Location) -> None:
        raise InputError("bad", where)

    c.attempt(fail, c.later(("a",)))
    [error] = c.errors
    assert type(error.location) is Location
    assert error.location == Location("x.json", None, None, ("a",))


def test_a_bad_value_is_still_located_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "year: 2024\nprojects:\n  - code: P1\n    name: p\n    budget: 10\n    indicators:\n"
        "      - {level1: 产出指标, level2: 数量指标, name: a, target: ≥95%}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.yaml").write_text(
        "targets: t.yaml\nyear: 2024\nprojects:\n  - code: P1\n    execution: {spent: 9}\n"
        "    indicators:\n      a: 9 5%\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_job(tmp_path / "a.yaml")
    assert caught.value.location is not None
    assert type(caught.value.location) is Location
    assert caught.value.location.line == 7


@pytest.mark.parametrize("mode", sorted(ROUNDING_MODES))
@pytest.mark.parametrize("places", [0, 1, 2, 4])
def test_rounder_rounds_as_round_to(places: int, mode: str) -> None:
    r = rounder(places, mode)
    for text in ["0", "1.005", "2.675", "-1.005", "12.345678", "0.5", "1.5", "99.995", "1E+3"]:
        value = Decimal(text)
        assert r(value) == round_to(value, places, mode)
        assert str(r(value)) == str(round_to(value, places, mode))


@pytest.mark.parametrize("places", [0, 1, 2, 4])
def test_fixer_prints_as_fixed(places: int) -> None:
    f = fixer(places)
    for text in ["0", "12.5", "12.50", "-1.005", "99.995", "1E+3", "0.001"]:
        assert f(Decimal(text)) == fixed(Decimal(text), places)


# (direction, target, an actual short of it, the shortfall's rel, and for ranges the end missed)
_SHORT = {
    "forward": ("≥95%", Decimal(90), "<", Decimal(95)),
    "reverse": ("≤2%", Decimal(3), ">", Decimal(2)),
    "equality": ("=100%", Decimal(90), "<", Decimal(100)),
    "range": ("90%-100%", Decimal(85), "低于", Decimal(90)),
    "tolerance": ("±5%", Decimal(8), ">", Decimal(5)),
}


@pytest.mark.parametrize(("direction", "name"), [(d, n) for d, names in METHODS.items() for n in names])
def test_a_shortfall_is_scored_as_its_formula_scores_the_named_tuple(direction: str, name: str) -> None:
    """The engine builds shortfalls without the named tuple's constructor and formulas unpack all eight
    fields: every method on the menu must score what it scores for Shortfall(...) made the ordinary way."""
    pack = load_pack("mof-2020")
    pack = dataclasses.replace(pack, methods=dataclasses.replace(pack.methods, **{direction: name}))
    target, a, rel, t = _SHORT[direction]
    p = parse_target(target)
    ind = Indicator("产出指标", "数量指标", "x", target, p)
    w = Decimal("12.50")
    result = IndicatorScorer(pack).indicator(
        ind,
        w,
        Observation(value=Quantity(a, "%")),
        Project("P", "p", Decimal(100), ()),
        Execution(Decimal(90)),
        2024,
        [],
    )
    bound = p.high if isinstance(p, Range) else p.quantity
    assert bound is not None
    head, label = ("偏差", "允许偏差±") if direction == "tolerance" else ("实际", "目标")
    text = p.canonical() if direction in ("range", "tolerance") else ""
    shortfall = Shortfall(a, t, w, rel, bound, head, label, text)
    score, status, _tier, why, _seen, over = formula(direction, name)(shortfall, Rules(rounder(2), pack.methods.bands))
    assert (result.score, result.status, result.why) == (score, status, why)
    assert not over
    assert result.trace == render(why, 2)
