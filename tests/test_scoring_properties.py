"""Properties of the engine over random packs, targets and actuals (hypothesis)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evalengine.errors import ScoringError
from evalengine.language.parser import parse_actual, parse_target
from evalengine.language.predicates import Quantity
from evalengine.model import Execution, Finding, Indicator, Observation, Project, ProjectActuals
from evalengine.numbers import ONE, ZERO
from evalengine.packs.load import load_pack
from evalengine.packs.model import OverAchievement, Pack, Rounding, Weights
from evalengine.packs.schema import METHODS
from evalengine.scoring.engine import Scorer, score_project
from evalengine.text import nfkc

BASE = load_pack("mof-2020")
weights = st.decimals(min_value=Decimal("0.5"), max_value=50, places=2)
amounts = st.decimals(min_value=0, max_value=Decimal("1e6"), places=3)


@st.composite
def packs(draw: st.DrawFn, *, deduct: bool = True) -> Pack:
    action = draw(st.sampled_from(["flag", "explain", "deduct"] if deduct else ["flag", "explain"]))
    methods = dataclasses.replace(
        BASE.methods,
        forward=draw(st.sampled_from(METHODS["forward"])),
        reverse=draw(st.sampled_from(METHODS["reverse"])),
        equality=draw(st.sampled_from(METHODS["equality"])),
        range=draw(st.sampled_from(METHODS["range"])),
    )
    over = OverAchievement(
        threshold=draw(st.sampled_from([None, Decimal("1.15"), Decimal("1.3")])),
        action=action,
        deduct=Decimal(2) if action == "deduct" else Decimal(0),
    )
    return dataclasses.replace(
        BASE,
        methods=methods,
        rounding=Rounding(draw(st.integers(0, 4)), draw(st.sampled_from(["half_up", "half_even", "down"]))),
        over_achievement=over,
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


LEVEL2 = ["数量指标", "质量指标", "时效指标", "成本指标"]
SHARE = st.sampled_from(["equal", "by_level2"])


@st.composite
def weighted_projects(draw: st.DrawFn) -> tuple[Pack, Project, ProjectActuals]:
    """A pack with any level weights, share, places, rounding and N/A mode, and a project whose levels
    have 1 to 14 rows, each level with or without explicit weights (0 allowed) and with N/A rows."""
    names = ["产出指标", "效益指标", "满意度指标"][: draw(st.integers(1, 3))]
    level_weights = [
        draw(st.one_of(st.integers(1, 60).map(Decimal), st.decimals(Decimal("0.01"), 60, places=2))) for _ in names
    ]
    weights = Weights(BASE.weights.execution, tuple(zip(names, level_weights, strict=True)), draw(SHARE))
    pack = dataclasses.replace(
        BASE,
        weights=weights,
        rounding=Rounding(draw(st.integers(0, 4)), draw(st.sampled_from(["half_up", "half_even", "down"]))),
        not_applicable=draw(st.sampled_from(["rescale", "redistribute"])),
    )
    indicators, observations = [], {}
    for name, total in zip(names, level_weights, strict=True):
        n = draw(st.integers(1, 14))
        explicit: list[Decimal | None] = [None] * n
        if draw(st.booleans()):  # n weights ≥ 0 that sum to the level's weight: the gaps between n − 1 cuts
            cents = int(total * 100)
            cuts = sorted(draw(st.lists(st.integers(0, cents), min_size=n - 1, max_size=n - 1)))
            explicit = [Decimal(b - a) / 100 for a, b in zip([0, *cuts], [*cuts, cents], strict=True)]
        for k in range(n):
            ind = Indicator(
                name, draw(st.sampled_from(LEVEL2)), f"{name}{k}", "≥1", parse_target("≥1"), weight=explicit[k]
            )
            indicators.append(ind)
            na = draw(st.integers(0, 3)) == 0
            observations[nfkc(ind.name)] = Observation(na=True) if na else Observation(value=Quantity(ONE, None))
    project = Project("P", "p", Decimal(10), tuple(indicators))
    return pack, project, ProjectActuals("P", Execution(Decimal(10)), observations)


def _exact_shares(pack: Pack, project: Project, live: list[int]) -> tuple[dict[int, Decimal], int]:
    """Each live row's unrounded share of its level's weight, and how many roundings stand between that
    share and the row's weight (by_level2 rounds the level-2 group's share, then the row's)."""
    total = pack.weights.level1_weight(project.indicators[live[0]].level1)
    assert total is not None
    given = [project.indicators[i].weight for i in live]
    if given[0] is not None:
        live_total = sum((w or ZERO for w in given), ZERO)
        return {i: (w or ZERO) * total / live_total for i, w in zip(live, given, strict=True)}, 1
    if pack.weights.share == "equal":
        return {i: total / len(live) for i in live}, 1
    groups: dict[str, list[int]] = {}
    for i in live:
        groups.setdefault(nfkc(project.indicators[i].level2), []).append(i)
    return {i: total / len(groups) / len(ids) for ids in groups.values() for i in ids}, 2


@settings(max_examples=300, deadline=None)
@given(weighted_projects())
def test_the_weights_of_each_level_sum_exactly_to_the_levels_weight(case: tuple[Pack, Project, ProjectActuals]) -> None:
    pack, project, actuals = case
    na = [actuals.indicators[nfkc(ind.name)].na for ind in project.indicators]
    levels: dict[str, list[int]] = {}
    for i, ind in enumerate(project.indicators):
        levels.setdefault(ind.level1, []).append(i)
    redistribute = pack.not_applicable == "redistribute"
    live_of = {name: [i for i in rows if not (redistribute and na[i])] or rows for name, rows in levels.items()}
    nothing_to_share = any(
        project.indicators[rows[0]].weight is not None
        and len(live_of[name]) < len(rows)
        and sum((project.indicators[i].weight or ZERO for i in live_of[name]), ZERO) == 0
        for name, rows in levels.items()
    )
    if nothing_to_share:  # N/A rows hold the whole level and the applicable ones all weigh 0
        with pytest.raises(ScoringError, match="all weigh 0"):
            score_project(project, actuals, pack, 2024)
        return
    card = score_project(project, actuals, pack, 2024)
    unit = ONE.scaleb(-pack.rounding.places)
    for name, rows in levels.items():
        total = pack.weights.level1_weight(name)
        assert total is not None
        live = live_of[name]
        got = {i: card.indicators[i].weight for i in rows}
        assert sum(got.values(), ZERO) == total, (name, total, got)  # exactly: Decimal equality, no tolerance
        assert all(w >= 0 for w in got.values()), got
        assert all(got[i] == 0 for i in rows if i not in live), got  # redistributed rows keep no weight
        if len(live) == len(rows) and project.indicators[rows[0]].weight is not None:
            assert [got[i] for i in rows] == [project.indicators[i].weight for i in rows]  # used as given
            continue
        if total % unit == 0:  # a level weight the pack's places can hold: whole units, each near its share
            shares, roundings = _exact_shares(pack, project, live)
            assert all(got[i] % unit == 0 for i in live), got
            assert all(abs(got[i] - shares[i]) < roundings * unit for i in live), (shares, got)


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


# -- issue 14: graded targets, tolerances and changes never reward a worse actual
signed = st.decimals(min_value=Decimal(-1000), max_value=Decimal(1000), places=2)
graded_targets = st.sampled_from(
    [
        "95%/90%/85%/80%（优/良/中/差）",
        "≥10次/≥8次/≥6次（优/良/中）",
        "≤1%/≤2%/≤3%（优/良/中）",
        "100/90/80分(优/良/中)",
    ]
)
grade_shares = st.lists(st.sampled_from(["0%", "20%", "50%", "60%", "80%", "90%", "100%"]), min_size=4, max_size=4)


def _with_grades(pack: Pack, shares: list[str]) -> Pack:
    ordered = sorted((Decimal(s[:-1]) / 100 for s in shares), reverse=True)  # validation keeps them falling
    graded = tuple(zip("优良中差", ordered, strict=True))
    return dataclasses.replace(pack, methods=dataclasses.replace(pack.methods, graded=graded))


@settings(max_examples=300)
@given(packs(deduct=False), grade_shares, graded_targets, amounts, amounts, weights)
def test_graded_a_better_actual_never_scores_lower(
    pack: Pack, shares: list[str], target: str, a: Decimal, b: Decimal, w: Decimal
) -> None:
    pack = _with_grades(pack, shares)
    low, high = sorted([a, b])
    s_low = _score(pack, target, w, Observation(value=Quantity(low, None)))
    s_high = _score(pack, target, w, Observation(value=Quantity(high, None)))
    assert 0 <= min(s_low, s_high) and max(s_low, s_high) <= w
    if target.startswith("≤"):  # ceilings: less is better
        assert s_low >= s_high
    else:
        assert s_low <= s_high


@settings(max_examples=300)
@given(
    packs(deduct=False),
    st.sampled_from(METHODS["tolerance"]),
    st.sampled_from(["±5%", "偏差率±3%以内", "±2天", "±0%"]),
    signed,
    signed,
    weights,
)
def test_tolerance_a_smaller_deviation_never_scores_lower(
    pack: Pack, method: str, target: str, a: Decimal, b: Decimal, w: Decimal
) -> None:
    pack = dataclasses.replace(pack, methods=dataclasses.replace(pack.methods, tolerance=method))
    near, far = sorted([a, b], key=abs)
    s_near = _score(pack, target, w, Observation(value=Quantity(near, None)))
    s_far = _score(pack, target, w, Observation(value=Quantity(far, None)))
    assert 0 <= s_far <= s_near <= w


@settings(max_examples=300)
@given(
    packs(deduct=False),
    st.sampled_from(["提高3个百分点", "较上年提高5%", "比上年下降2%", "较上年增加100人", "下降不超过2%"]),
    st.decimals(min_value=1, max_value=1000, places=2),
    signed,
    signed,
    weights,
)
def test_change_a_better_change_never_scores_lower(
    pack: Pack, target: str, baseline: Decimal, a: Decimal, b: Decimal, w: Decimal
) -> None:
    low, high = sorted([a, b])
    unit = "%" if "百分点" in target else ("人" if "人" in target else None)

    def score(value: Decimal) -> Decimal:
        obs = Observation(value=Quantity(value, unit), baseline=Quantity(baseline, unit))
        return _score(pack, target, w, obs)

    s_low, s_high = score(low), score(high)
    assert 0 <= min(s_low, s_high) and max(s_low, s_high) <= w
    if "下降" in target and "不超过" not in target:  # a decrease is better the lower the value goes
        assert s_low >= s_high
    else:  # an increase, or 下降不超过2% (a ceiling on the decrease): a higher value never scores lower
        assert s_low <= s_high
