"""Properties of the engine over random packs, targets and actuals (hypothesis)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evalengine.language.parser import parse_actual, parse_target
from evalengine.language.predicates import Quantity
from evalengine.model import Execution, Finding, Indicator, Observation, Project, ProjectActuals
from evalengine.packs.load import load_pack
from evalengine.packs.model import Pack
from evalengine.packs.schema import FORWARD_METHODS, RANGE_METHODS, REVERSE_METHODS
from evalengine.scoring.engine import Scorer, score_project
from evalengine.text import nfkc

BASE = load_pack("mof-2020")
weights = st.decimals(min_value=Decimal("0.5"), max_value=50, places=2)
amounts = st.decimals(min_value=0, max_value=Decimal("1e6"), places=3)


@st.composite
def packs(draw: st.DrawFn, *, deduct: bool = True) -> Pack:
    action = draw(st.sampled_from(["flag", "explain", "deduct"] if deduct else ["flag", "explain"]))
    return dataclasses.replace(
        BASE,
        forward=draw(st.sampled_from(FORWARD_METHODS)),
        reverse=draw(st.sampled_from(REVERSE_METHODS)),
        equality=draw(st.sampled_from(["forward", "binary"])),
        range=draw(st.sampled_from(RANGE_METHODS)),
        places=draw(st.integers(0, 4)),
        mode=draw(st.sampled_from(["half_up", "half_even", "down"])),
        over_threshold=draw(st.sampled_from([None, Decimal("1.15"), Decimal("1.3")])),
        over_action=action,
        over_deduct=Decimal(2) if action == "deduct" else Decimal(0),
        not_applicable=draw(st.sampled_from(["rescale", "redistribute"])),
    )


def _score(pack: Pack, target: str, weight: Decimal, obs: Observation) -> Decimal:
    predicate = parse_target(target)
    ind = Indicator("产出指标", "数量指标", "x", target, predicate)
    project = Project("P", "p", Decimal(100), (ind,))
    findings: list[Finding] = []
    result = Scorer(pack).indicator(ind, weight, obs, project, Execution(Decimal(50)), 2024, findings)
    return result.score


comparison_targets = st.tuples(
    st.sampled_from(["≥", "≤", ">", "<", "="]), amounts, st.sampled_from(["%", "元", "万元", "次"])
).map(lambda t: f"{t[0]}{t[1].normalize():f}{t[2]}")


@settings(max_examples=400)
@given(packs(), comparison_targets, amounts, weights)
def test_comparison_scores_lie_within_the_weight(pack: Pack, target: str, actual: Decimal, weight: Decimal) -> None:
    score = _score(pack, target, weight, Observation(value=Quantity(actual, None)))
    assert 0 <= score <= weight


@settings(max_examples=400)
@given(packs(deduct=False), comparison_targets, amounts, amounts, weights)
def test_a_better_actual_never_scores_lower(pack: Pack, target: str, a: Decimal, b: Decimal, w: Decimal) -> None:
    low, high = sorted([a, b])
    s_low = _score(pack, target, w, Observation(value=Quantity(low, None)))
    s_high = _score(pack, target, w, Observation(value=Quantity(high, None)))
    predicate = parse_target(target)
    assert predicate.quantity is not None  # type: ignore[union-attr]
    zero_equality = target[0] == "=" and predicate.quantity.value == 0  # type: ignore[union-attr]
    if target[0] in "≥>=" and not zero_equality:  # =0 is met only by A ≤ 0: less is better there
        assert s_low <= s_high
    else:
        assert s_low >= s_high


@settings(max_examples=200)
@given(packs(), st.sampled_from(["90%-100%", "5万元-10万元", "[0,10]"]), amounts, weights)
def test_range_scores_lie_within_the_weight(pack: Pack, target: str, actual: Decimal, weight: Decimal) -> None:
    assert 0 <= _score(pack, target, weight, Observation(value=Quantity(actual, None))) <= weight


@settings(max_examples=200)
@given(
    packs(),
    st.sampled_from(["积极向上", "按合同约定", "只减不增", "保持稳定", "12月底前"]),
    st.sampled_from(["达成", "部分达成", "未达成"]),
    weights,
)
def test_tiers_score_within_the_weight(pack: Pack, target: str, tier: str, weight: Decimal) -> None:
    assert 0 <= _score(pack, target, weight, Observation(tier=tier)) <= weight


ROW_TARGETS = [
    "≥95%",
    "≤404万元",
    "<2%",
    "=100%",
    "90%-100%",
    "12月底前",
    "只减不增",
    "积极向上",
    "在预算范围内",
    "≥610人",
]


@st.composite
def projects(draw: st.DrawFn) -> tuple[Project, ProjectActuals]:
    levels = (
        ["产出指标"] * draw(st.integers(1, 5))
        + ["效益指标"] * draw(st.integers(0, 2))
        + ["满意度指标"] * draw(st.integers(0, 2))
    )
    indicators, observations = [], {}
    for i, level1 in enumerate(levels):
        target = draw(st.sampled_from(ROW_TARGETS))
        ind = Indicator(level1, "二级", f"指标{i}", target, parse_target(target))
        indicators.append(ind)
        kind = ind.predicate.kind
        if draw(st.integers(0, 9)) == 0:
            obs = Observation(na=True)
        elif kind in ("comparison", "range"):
            obs = Observation(value=Quantity(draw(amounts), None))
        elif kind == "deadline":
            obs = Observation(value=draw(st.dates()))
        else:
            obs = Observation(tier=draw(st.sampled_from(["达成", "部分达成", "未达成"])))
        observations[nfkc(ind.name)] = obs
    budget = draw(st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2))
    spent = draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=2000, places=2)))
    project = Project("P", "p", budget, tuple(indicators))
    return project, ProjectActuals("P", Execution(spent), observations)


@settings(max_examples=300)
@given(packs(), projects())
def test_totals_lie_within_0_and_100_and_scoring_is_deterministic(
    pack: Pack, case: tuple[Project, ProjectActuals]
) -> None:
    project, actuals = case
    card = score_project(project, actuals, pack, 2024)
    assert 0 <= card.total <= 100
    assert all(0 <= r.score <= r.weight for r in card.indicators)
    assert card.grade in {g for g, _ in pack.grades}
    assert score_project(project, actuals, pack, 2024) == card
    assert repr(score_project(project, actuals, pack, 2024)) == repr(card)


_VOCAB = BASE.vocabulary
_UNITS = [u for u, _, _ in _VOCAB.units]
_MAGNITUDES = [(m, f) for m, f in _VOCAB.magnitudes]
# 千米 and 千克 are units of their own, so "3千米" cannot also mean 3千 米: leave those pairs out
_AMBIGUOUS = {m + u for m, _ in _MAGNITUDES for u in _UNITS} & set(_UNITS)


@settings(max_examples=400)
@given(
    packs(),
    st.sampled_from(["≥", "≤", "="]),
    st.sampled_from(_UNITS),
    st.sampled_from([("", Decimal(1)), *_MAGNITUDES]),
    st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
    st.sampled_from(_MAGNITUDES),
    st.decimals(min_value=0, max_value=1000, places=2),
)
def test_a_magnitude_in_an_actual_scales_the_targets_own_unit(
    pack: Pack,
    op: str,
    unit: str,
    target_magnitude: tuple[str, Decimal],
    t: Decimal,
    magnitude: tuple[str, Decimal],
    x: Decimal,
) -> None:
    # x万, x万<unit> and x×10000 <unit> are one amount: 1.2万 against ≥1万元 is 1.2万元 = 12000元
    word, factor = magnitude
    assume(word + unit not in _AMBIGUOUS and target_magnitude[0] + unit not in _AMBIGUOUS)
    target = f"{op}{t.normalize():f}{target_magnitude[0]}{unit}"
    forms = [f"{x.normalize():f}{word}", f"{x.normalize():f}{word}{unit}", f"{(x * factor).normalize():f} {unit}"]
    scores = {form: _score(pack, target, Decimal(10), _observe(form)) for form in forms}
    assert len(set(scores.values())) == 1, (target, scores)


def _observe(text: str) -> Observation:
    value = parse_actual(text)
    assert isinstance(value, Quantity)
    return Observation(value=value, text=text)
