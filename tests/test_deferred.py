"""What issue 19 made lazy or resolved once must behave as what it replaced."""

from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal, localcontext
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalengine import i18n
from evalengine.errors import ErrorGroup, InputError, Location
from evalengine.i18n import LANGUAGES, Template, _, set_language
from evalengine.inputs.actuals import load_job
from evalengine.inputs.collect import Collector, Deferred
from evalengine.inputs.observations import observed
from evalengine.inputs.targets import row
from evalengine.language.parser import parse_target
from evalengine.language.predicates import DIRECTIONS, Comparison, Op, Quantity, Range
from evalengine.model import Execution, Indicator, Observation, Project
from evalengine.numbers import ROUNDING_MODES, fixed, fixer, round_to, rounder
from evalengine.packs.load import load_pack
from evalengine.packs.schema import METHODS
from evalengine.reports.view import _rowspans
from evalengine.scoring.explain import render
from evalengine.scoring.indicator import (
    BELOW_WEIGHT,
    OVER_DEDUCTED,
    OVER_FLAGGED,
    OVER_UNEXPLAINED,
    IndicatorScorer,
    meets_of,
)
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


_DECIMALS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.sampled_from(["0", "12", "1E+3", "1.2E+5", "1.23E+5", "0E-7", "-0.00", "1E-9", "-Infinity"]).map(Decimal),
)


@given(value=_DECIMALS, places=st.integers(0, 8), capitals=st.sampled_from([0, 1]))
def test_fixer_prints_every_decimal_as_format_does(value: Decimal, places: int, capitals: int) -> None:
    """fixer's str() path (a value already at its places) against the format specification it skips."""
    with localcontext() as context:
        context.capitals = capitals  # str() writes 1.2e+5 then: still never taken for 1.2 at places 1
        try:
            expected: object = format(value, f".{places}f")
        except ValueError as exc:  # sNaN
            expected = type(exc)
        try:
            got: object = fixer(places)(value)
        except ValueError as exc:
            got = type(exc)
    assert got == expected


_FIELDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("template", [BELOW_WEIGHT, OVER_DEDUCTED, OVER_FLAGGED, OVER_UNEXPLAINED])
@given(values=st.lists(_FIELDS, min_size=3, max_size=3))
def test_a_template_writes_what_the_catalogue_writes(template: Template, lang: str, values: list[str]) -> None:
    """A finding's message filled by position, as `_` fills it by keyword, in the language of the moment."""
    given = values[: len(template.fields)]
    before = i18n._current
    try:
        set_language(lang)
        assert template(*given) == _(template.message, **dict(zip(template.fields, given, strict=True)))
    finally:
        i18n._current = before


def test_a_template_follows_the_language_chosen_after_it_was_filled() -> None:
    before = i18n._current
    try:
        for lang in ["zh", "en", "zh"]:
            set_language(lang)
            assert BELOW_WEIGHT("a", "1.00", "2.00") == _(BELOW_WEIGHT.message, name="a", score="1.00", weight="2.00")
        assert "得分" in BELOW_WEIGHT("a", "1.00", "2.00")
    finally:
        i18n._current = before


def test_a_template_with_fields_reordered_or_a_percent_sign() -> None:
    """A translation may put the fields in another order; a literal % stays one."""
    t = Template("{a} then {b}: 100%", "b", "a")
    assert t("x", "y") == "y then x: 100%"
    with pytest.raises(ValueError):
        Template("{a:>5}", "a")
    with pytest.raises(ValueError):
        Template("{a} and {b}", "a")
    with pytest.raises(ValueError):
        Template("{a}", "a", "b")


_NUMBERS = st.decimals(allow_nan=False, allow_infinity=False, min_value=-1000, max_value=1000, places=3)


@pytest.mark.parametrize("op", sorted(DIRECTIONS))
@given(actual=st.one_of(_NUMBERS, st.just(Decimal(0))), bound=st.one_of(_NUMBERS, st.just(Decimal(0))))
def test_a_judge_tests_as_the_comparison_itself(op: Op, actual: Decimal, bound: Decimal) -> None:
    """A judge's test (the operator itself for ≥ > ≤ <) against Comparison.meets, at the bound and about it."""
    for a in (actual, bound, bound + Decimal("0.001"), bound - Decimal("0.001")):
        assert meets_of(op)(a, bound) is Comparison(op).meets(a, bound)


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
    score, status, _tier, why, _seen, over = formula(direction, name)(*shortfall, Rules(rounder(2), pack.methods.bands))
    assert (result.score, result.status, result.why) == (score, status, why)
    assert not over
    assert result.trace == render(why, 2)


def _files(tmp_path: Path, code: str, budget: str, share: str, spent: str, target: str = "≥95%") -> Path:
    (tmp_path / "t.yaml").write_text(
        f"year: 2024\nprojects:\n  - code: {code}\n    name: p\n    budget: {budget}\n"
        f"    spending_plan: {{6月底: {share}, 12月底: 100%}}\n    indicators:\n"
        f"      - {{level1: 产出指标, level2: 数量指标, name: a, target: '{target}'}}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.yaml").write_text(
        f"targets: t.yaml\nyear: 2024\nprojects:\n  - code: {code}\n    execution: {{spent: {spent}}}\n"
        "    indicators:\n      a: 96%\n",
        encoding="utf-8",
    )
    return tmp_path / "a.yaml"


def test_full_width_codes_and_numbers_still_fold(tmp_path: Path) -> None:
    """ASCII skips NFKC (it is its own); anything else is still folded: ＰＸ１ is PX1, １２．５ is 12.5."""
    wide = load_job(_files(tmp_path, "ＰＸ１", "１２．５", "５０％", "９．５"))
    [project] = wide.targets.projects
    assert project.code == "PX1" and project.budget == Decimal("12.5")
    assert project.spending_plan[0].share == Decimal("50")
    assert wide.actuals["PX1"].execution.spent == Decimal("9.5")


def test_a_bad_target_is_located_at_its_line_in_the_targets_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_job(_files(tmp_path, "P1", "10", "50%", "9", target="≥9 5%"))
    assert caught.value.location is not None and type(caught.value.location) is Location
    assert caught.value.location.file.endswith("t.yaml") and caught.value.location.line == 8


def _rowspan_one_by_one(names: list[str], n: int) -> int:
    """The span of row n as the view counted it before, row by row."""
    if n and names[n - 1] == names[n]:
        return 0
    span = 1
    while n + span < len(names) and names[n + span] == names[n]:
        span += 1
    return span


@given(st.lists(st.sampled_from(["产出指标", "效益指标", "满意度指标", ""]), max_size=12))
def test_rowspans_in_one_pass_are_the_spans_row_by_row(names: list[str]) -> None:
    card: Any = SimpleNamespace(indicators=[SimpleNamespace(indicator=SimpleNamespace(level1=n)) for n in names])
    assert _rowspans(card) == [_rowspan_one_by_one(names, n) for n in range(len(names))]


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"na": True, "text": "不适用"},
        {"tier": "达成", "text": "达成", "evidence": ("a.pdf",)},
        {"value": Decimal("96"), "text": "96%", "notes": ("n",), "warnings": (("w", "m"),)},
        {"survey": (("满意", Decimal(3)),), "numerator": Decimal(1), "denominator": Decimal(2), "outlook": "有可能"},
    ],
)
def test_an_observation_made_quickly_is_the_one_its_constructor_makes(fields: dict[str, Any]) -> None:
    quick, made = observed(**fields), Observation(**fields)
    assert type(quick) is Observation
    assert quick == made and hash(quick) == hash(made) and repr(quick) == repr(made)
    assert list(vars(quick).items()) == list(vars(made).items())  # every field, in order
    assert pickle.loads(pickle.dumps(quick)) == made
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.na = True  # type: ignore[misc]


def test_an_observation_with_a_wrong_field_is_refused_as_by_its_constructor() -> None:
    with pytest.raises(TypeError):
        observed(valu=1)


def test_a_row_made_quickly_is_the_indicator_its_constructor_makes() -> None:
    args = (
        "产出指标",
        "数量指标",
        "覆盖率",
        "≥95%",
        Comparison(">=", Quantity(Decimal(95), "%")),
        "d",
        "b",
        Decimal(10),
    )
    quick, made = row(*args), Indicator(*args)
    assert type(quick) is Indicator and quick.scored is True
    assert quick == made and hash(quick) == hash(made) and repr(quick) == repr(made)
    assert list(vars(quick).items()) == list(vars(made).items())
    assert pickle.loads(pickle.dumps(quick)) == made
    assert dataclasses.replace(quick, weight=None, scored=False) == dataclasses.replace(made, weight=None, scored=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize("indicators", ["5", "[96%]", "text", "true"])
def test_indicators_that_are_not_a_mapping_are_refused_at_their_line(tmp_path: Path, indicators: str) -> None:
    path = _files(tmp_path, "P1", "10", "50%", "9")
    path.write_text(path.read_text(encoding="utf-8").replace("\n      a: 96%", f" {indicators}"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_job(path)
    assert "indicators" in caught.value.message and caught.value.location is not None
    assert caught.value.location.line == 6


def test_an_entry_and_the_indicator_it_names_share_one_place(tmp_path: Path) -> None:
    job = load_job(_files(tmp_path, "P1", "10", "50%", "9"))
    assert job.where[("P1", "a")] == Location(str(tmp_path / "a.yaml"), 7, 7, ("projects", 0, "indicators", "a"))


def test_unknown_keys_are_still_each_reported_where_they_are(tmp_path: Path) -> None:
    path = _files(tmp_path, "P1", "10", "50%", "9")
    targets = tmp_path / "t.yaml"
    targets.write_text(targets.read_text(encoding="utf-8").replace("name: a,", "name: a, nme: b, tagret: c,"))
    with pytest.raises(ErrorGroup) as caught:
        load_job(path)
    assert [(e.message.split("'")[1], e.location and e.location.line) for e in caught.value.errors] == [
        ("nme", 8),
        ("tagret", 8),
    ]
    targets.write_text(targets.read_text(encoding="utf-8").replace(" nme: b, tagret: c,", ""))
    path.write_text(path.read_text(encoding="utf-8").replace("a: 96%", "a: {value: 96%, evidnce: x.pdf}"))
    with pytest.raises(InputError) as one:
        load_job(path)
    assert "evidnce" in one.value.message and one.value.location is not None and one.value.location.line == 7


def test_unique_ascii_values_stay_out_of_the_nfkc_cache() -> None:
    """Codes and amounts seldom repeat: ASCII (its own NFKC) is not cached, anything else is folded."""
    from evalengine.text import nfkc, nfkc_unique

    nfkc.cache_clear()
    assert nfkc_unique("P001") == "P001" and nfkc.cache_info().currsize == 0
    assert nfkc_unique("ＰＸ１") == "PX1" and nfkc.cache_info().currsize == 1
