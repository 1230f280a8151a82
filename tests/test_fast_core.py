"""The scoring core's fast paths (issue 19) must score, explain and find exactly what the general path does."""

from __future__ import annotations

import dataclasses
import decimal
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalengine.errors import ScoringError
from evalengine.i18n import Template, _, set_language
from evalengine.language.parser import parse_target
from evalengine.language.predicates import Qualitative, Quantity, Reference
from evalengine.model import Execution, Finding, Indicator, Observation, Project, ProjectActuals, TableWeights
from evalengine.numbers import HUNDRED, ZERO, fixed, plain, rounder
from evalengine.packs.load import load_pack
from evalengine.packs.model import OverAchievement, Pack
from evalengine.packs.schema import METHODS
from evalengine.scoring import indicator
from evalengine.scoring.engine import Scorer
from evalengine.scoring.indicator import IndicatorScorer
from evalengine.scoring.results import ExecutionResult, Level1Result, Scorecard
from evalengine.scoring.weights import allocate


@dataclass(frozen=True)
class _Slow(Quantity):
    """A Quantity the fast path does not take (it tests the class itself): the same value, the general path."""


_BASE = load_pack("mof-2020")


def _pack(forward: str, reverse: str, equality: str, action: str, places: int) -> Pack:
    methods = dataclasses.replace(_BASE.methods, forward=forward, reverse=reverse, equality=equality)
    over = OverAchievement(Decimal("1.3"), action, Decimal(2))
    rounding = dataclasses.replace(_BASE.rounding, places=places)
    return dataclasses.replace(_BASE, methods=methods, over_achievement=over, rounding=rounding)


_SCORERS: dict[tuple[str, str, str, str, int], IndicatorScorer] = {}


def _scorer(key: tuple[str, str, str, str, int]) -> IndicatorScorer:
    if key not in _SCORERS:
        _SCORERS[key] = IndicatorScorer(_pack(*key))
    return _SCORERS[key]


_TARGETS = [
    f"{op}{n}{unit}"
    for op in ("≥", ">", "≤", "<", "=")
    for n in ("0", "2", "95", "0.5")
    for unit in ("%", "万元", "次")
]
_NUMBERS = st.decimals(min_value=-50, max_value=300, places=2, allow_nan=False, allow_infinity=False)
_WEIGHTS = st.sampled_from([Decimal("12.50"), Decimal("10"), Decimal("0"), Decimal("16.67"), Decimal("3.3333")])


@settings(max_examples=400, deadline=None)
@given(
    key=st.tuples(
        st.sampled_from(METHODS["forward"]),
        st.sampled_from(METHODS["reverse"]),
        st.sampled_from(METHODS["equality"]),
        st.sampled_from(["explain", "flag", "deduct"]),
        st.sampled_from([0, 2, 3]),
    ),
    target=st.sampled_from(_TARGETS),
    number=_NUMBERS,
    weight=_WEIGHTS,
    explanation=st.sampled_from([None, "", "说明"]),
    scored=st.booleans(),
)
def test_a_plain_value_scores_as_the_general_path_scores_it(
    key: tuple[str, str, str, str, int],
    target: str,
    number: Decimal,
    weight: Decimal,
    explanation: str | None,
    scored: bool,
) -> None:
    """A comparison with a plain value in its bound's unit (the fast path) against the same value as a
    Quantity subclass, which `quantity` and the kind's `match` read: same result, trace and findings."""
    scorer = _scorer(key)
    p = parse_target(target)
    bound = p.quantity  # type: ignore[union-attr]
    assert bound is not None
    value = number * bound.scale
    ind = Indicator("产出指标", "数量指标", "指标", target, p, scored=scored)
    project, execution = Project("P", "p", Decimal(100), ()), Execution(Decimal(90))
    fast_findings: list[Finding] = []
    slow_findings: list[Finding] = []
    fast_obs = Observation(value=Quantity(value, bound.unit), explanation=explanation)
    slow_obs = Observation(value=_Slow(value, bound.unit), explanation=explanation)
    fast = scorer.indicator(ind, weight, fast_obs, project, execution, 2024, fast_findings)
    slow = scorer.indicator(ind, weight, slow_obs, project, execution, 2024, slow_findings)
    assert fast == slow
    assert str(fast.score) == str(slow.score)  # the same digits, not only the same value
    assert (fast.trace, fast.actual) == (slow.trace, slow.actual)
    assert fast_findings == slow_findings


def test_the_fast_path_is_the_one_taken_for_a_plain_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """The differential test above compares something: a plain value skips `quantity`, the subclass does not."""

    def refuse(*args: object) -> None:
        raise AssertionError("the general path")

    monkeypatch.setattr(indicator, "quantity", refuse)
    scorer = _scorer(("ratio", "ratio", "forward", "explain", 2))
    p = parse_target("≥95%")
    ind = Indicator("产出指标", "数量指标", "指标", "≥95%", p)
    project, execution = Project("P", "p", Decimal(100), ()), Execution(Decimal(90))
    obs = Observation(value=Quantity(Decimal(90), "%"))
    assert scorer.indicator(ind, Decimal(10), obs, project, execution, 2024, []).score == Decimal("9.47")
    with pytest.raises(AssertionError, match="general"):
        slow = Observation(value=_Slow(Decimal(90), "%"))
        scorer.indicator(ind, Decimal(10), slow, project, execution, 2024, [])


_ODD_WEIGHTS = st.sampled_from(
    [
        Decimal("12.50"),
        Decimal("12.5"),
        Decimal("5"),
        Decimal("3.3333"),
        Decimal("1E+1"),
        Decimal("0.000001"),
        Decimal("30.000"),
        Decimal("1.5E+5"),
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    places=st.sampled_from([0, 1, 2, 3, 4]),
    number=_NUMBERS,
    weight=_ODD_WEIGHTS,
    target=st.sampled_from(["≥95%", "≤27万元", ">0.5次"]),
    lang=st.sampled_from(["zh", "en"]),
)
def test_the_below_weight_finding_reads_as_the_template_writes_it(
    places: int, number: Decimal, weight: Decimal, target: str, lang: str
) -> None:
    """The finding's numbers printed by str() in `indicator` (fixer's shortcut written out) and its message
    joined from the template's pieces: the same text as the template filled with fixer's prints."""
    scorer = _scorer(("ratio", "ratio", "forward", "explain", places))
    p = parse_target(target)
    bound = p.quantity  # type: ignore[union-attr]
    assert bound is not None
    ind = Indicator("产出指标", "数量指标", "指标%", target, p)
    obs = Observation(value=Quantity(number * bound.scale, bound.unit))
    found: list[Finding] = []
    set_language(lang)
    try:
        result = scorer.indicator(
            ind, weight, obs, Project("P", "p", Decimal(100), ()), Execution(Decimal(90)), 2024, found
        )
        expected = _(
            indicator.BELOW_WEIGHT.message,
            name="指标%",
            score=fixed(result.score, places),
            weight=fixed(weight, places),
        )
    finally:
        set_language(None)
    below = [f for f in found if f.code == "missing-explanation"]
    assert [f.message for f in below] == ([expected] if result.score < weight else [])
    assert all(type(f) is Finding for f in found)


_ANY_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False) | st.builds(
    Decimal, st.from_regex(r"-?[0-9](\.[0-9]{1,4})?E[+-][0-9]{1,3}", fullmatch=True)
)


@settings(max_examples=600, deadline=None)
@given(places=st.sampled_from([0, 1, 2, 3, 4, 5, 6]), value=_ANY_DECIMALS, capitals=st.sampled_from([0, 1]))
def test_the_below_weight_prints_take_str_only_where_fixer_would(places: int, value: Decimal, capitals: int) -> None:
    """`indicator` prints the finding's numbers by str() where the point stands `places` from the end (the
    scorer's `dot`) and, at 4 places or more (`sci`), no exponent is written: exactly where that str() is
    what fixer prints. Below 4 places the exponent is not looked for: the slice never finds a point in a
    number printed with one (any mantissa, exponents of 1 to 3 digits, either capital)."""
    scorer = _scorer(("ratio", "ratio", "forward", "explain", places))
    with decimal.localcontext() as context:
        context.capitals = capitals
        shown = str(value)
        taken = not (shown[scorer.dot] != "." or (scorer.sci and ("E" in shown or "e" in shown)))
        assert taken == (places > 0 and shown[-places - 1 : -places] == "." and "E" not in shown and "e" not in shown)
        if taken:
            assert shown == fixed(value, places)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["指标%", "{name}", "a%sb"])
def test_the_unexplained_over_achievement_reads_as_the_template_writes_it(lang: str, name: str) -> None:
    """The over-achievement finding joined from the template's pieces in `_over`: the template's own text."""
    scorer = _scorer(("ratio", "ratio", "forward", "explain", 2))
    p = parse_target("≥80%")
    ind = Indicator("产出指标", "数量指标", name, "≥80%", p)
    found: list[Finding] = []
    set_language(lang)
    try:
        obs = Observation(value=Quantity(Decimal(120), "%"))
        scorer.indicator(
            ind, Decimal(10), obs, Project("P", "p", Decimal(100), ()), Execution(Decimal(90)), 2024, found
        )
        expected = _(indicator.OVER_UNEXPLAINED.message, name=name, limit="130")
    finally:
        set_language(None)
    assert found == [Finding("error", "over-achievement", name, expected)]
    assert type(found[0]) is Finding


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_templates_pieces_join_as_it_fills(lang: str) -> None:
    """Template.pieces against the template's own call, in both languages; None where a language
    reorders the fields (the caller then calls the template)."""
    set_language(lang)
    try:
        for template in (indicator.BELOW_WEIGHT, indicator.OVER_UNEXPLAINED, Template("{a}%{{b}} then {b}", "a", "b")):
            values = [f"v{i}%s" for i in range(len(template.fields))]
            pieces = template.pieces()
            assert pieces is not None and len(pieces) == len(values) + 1
            joined = pieces[0] + "".join(v + piece for v, piece in zip(values, pieces[1:], strict=True))
            assert joined == template(*values)
        assert Template("{a} then {b}", "b", "a").pieces() is None
    finally:
        set_language(None)


@dataclass(frozen=True)
class _SlowQualitative(Qualitative):
    """A Qualitative the tier fast path does not take (it tests the class itself): the general path."""


@dataclass(frozen=True)
class _SlowReference(Reference):
    """A Reference the tier fast path does not take: the general path."""


@settings(max_examples=300, deadline=None)
@given(
    places=st.sampled_from([0, 2, 3]),
    tier=st.sampled_from(["达成", "部分达成", "未达成"]),
    weight=_ODD_WEIGHTS,
    explanation=st.sampled_from([None, "", "说明"]),
    text=st.sampled_from(["", "较好"]),
    scored=st.booleans(),
    reference=st.booleans(),
)
def test_a_plain_tier_scores_as_the_general_path_scores_it(
    places: int, tier: str, weight: Decimal, explanation: str | None, text: str, scored: bool, reference: bool
) -> None:
    """A tier named for a tiered target (the fast path) against the same target as a subclass, which the
    match, _tiered and _tier_outcome read: same result, digits, trace and findings."""
    scorer = _scorer(("ratio", "ratio", "forward", "explain", places))
    fast_p: Qualitative | Reference = Reference("审批数据") if reference else Qualitative("积极向上")
    slow_p: Qualitative | Reference = _SlowReference("审批数据") if reference else _SlowQualitative("积极向上")
    obs = Observation(tier=tier, explanation=explanation, text=text)
    project, execution = Project("P", "p", Decimal(100), ()), Execution(Decimal(90))
    results, findings = [], []
    for p in (fast_p, slow_p):
        found: list[Finding] = []
        ind = Indicator("产出指标", "数量指标", "指标", "积极向上", p, scored=scored)
        results.append(scorer.indicator(ind, weight, obs, project, execution, 2024, found))
        findings.append(found)
    fast, slow = results
    assert fast[1:] == slow[1:]
    assert str(fast.score) == str(slow.score)
    assert (fast.trace, fast.actual) == (slow.trace, slow.actual)
    assert findings[0] == findings[1]


def test_the_tier_fast_path_is_the_one_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """The differential test above compares something: a plain tier skips _tiered, the subclass does not."""

    def refuse(*args: object) -> None:
        raise AssertionError("the general path")

    scorer = IndicatorScorer(_BASE)
    monkeypatch.setattr(scorer, "_tiered", refuse)
    project, execution = Project("P", "p", Decimal(100), ()), Execution(Decimal(90))
    obs = Observation(tier="部分达成")
    ind = Indicator("产出指标", "数量指标", "指标", "积极向上", Qualitative("积极向上"))
    assert scorer.indicator(ind, Decimal(10), obs, project, execution, 2024, []).status == "partial"
    with pytest.raises(AssertionError, match="general"):
        slow = Indicator("产出指标", "数量指标", "指标", "积极向上", _SlowQualitative("积极向上"))
        scorer.indicator(slow, Decimal(10), obs, project, execution, 2024, [])


# ---- the project's bookkeeping (Scorer.score): plans per indicator structure, sums in C, grades by text

_LEVELS = ["产出指标", "效益指标", "满意度指标", "产出指标 ", "ｅｘｔｒａ"]  # a trailing space; a block no pack weights


def _project(rows: list[tuple[int, int, Decimal | None, bool]], code: str = "P") -> Project:
    indicators = tuple(
        Indicator(
            _LEVELS[level1], f"二级{level2}", f"指标{i}", "≥90%", parse_target("≥90%"), weight=weight, scored=scored
        )
        for i, (level1, level2, weight, scored) in enumerate(rows)
    )
    return Project(code, "p", Decimal(100), indicators)


def _as_before(card: Scorecard, project: Project, pack: Pack, skip: frozenset[int]) -> tuple[object, ...]:
    """The blocks' sums, the notes on absent blocks and the rescaling, the weights handed to the core and the
    grade, worked out as Scorer.score did before its plans: a loop over the results, summed by level."""
    allocation = allocate(project, pack, skip)
    blocks = [name for name, _ in (allocation.blocks if allocation.table else pack.weights.level1)]
    by_level = {name: [ZERO, ZERO] for name in blocks}
    applicable, scored = card.execution.weight, card.execution.score
    for r, level in zip(card.indicators, allocation.levels, strict=True):
        sums = by_level[level]
        if r.status != "na":
            sums[0] += r.weight
            sums[1] += r.score
            applicable += r.weight
            scored += r.score
    present = set(allocation.levels)
    notes = [
        f"{name}无指标，其{plain(pack.weights.level1_weight(name) or ZERO)}分不计入，总分按适用分值折算"
        for name in blocks
        if name not in present
    ]
    r_total = rounder(pack.rounding.total.places, pack.rounding.total.mode)
    total = r_total(scored)
    declared = allocation.declared
    goal = declared if declared != HUNDRED and pack.weights.not_100 == "sum" else HUNDRED
    if applicable != goal and applicable > 0:
        total = r_total(scored * goal / applicable)
        notes.append(
            f"适用分值{plain(applicable)}，总分折算：{fixed(scored, pack.rounding.places)}×{plain(goal)}÷"
            f"{plain(applicable)}={fixed(total, pack.rounding.total.places)}"
        )
    levels = tuple(Level1Result(name, *by_level[name]) for name in blocks)
    weights = [repr(w or ZERO) for w in allocation.weights]
    grade = next((name for name, band in pack.grades if card.total in band), pack.grades[-1][0])
    return repr(levels), notes, weights, grade, allocation.findings


_ROWS = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.integers(0, 2),
        st.sampled_from([None, None, None, Decimal("10"), Decimal("12.5"), Decimal("0"), Decimal("1E+1")]),
        st.sampled_from([True, True, True, False]),
    ),
    min_size=1,
    max_size=9,
)
_ACTUALS = st.sampled_from(["95%", "80%", "na", "none", "0%"])


@settings(max_examples=300, deadline=None)
@given(
    projects=st.lists(st.tuples(_ROWS, st.lists(_ACTUALS, min_size=9, max_size=9)), min_size=1, max_size=6),
    not_applicable=st.sampled_from(["rescale", "redistribute"]),
    not_100=st.sampled_from(["rescale", "sum", "refuse"]),
    lang=st.sampled_from(["zh", "en"]),
)
def test_a_project_is_summed_noted_and_graded_as_before(
    projects: list[tuple[list[tuple[int, int, Decimal | None, bool]], list[str]]],
    not_applicable: str,
    not_100: str,
    lang: str,
) -> None:
    """Projects scored in a row by one Scorer (its plans shared between them, and with the examples before)
    against the loop the engine summed by before, and against a new Scorer for each project: the same cards
    (their numbers' very digits), the same errors."""
    weights = dataclasses.replace(_BASE.weights, not_100=not_100)
    pack = dataclasses.replace(_BASE, not_applicable=not_applicable, weights=weights)
    shared = Scorer(pack)
    set_language(lang)
    try:
        for n, (rows, written) in enumerate(projects):
            project = _project(rows, f"P{n}")
            observations = {}
            for ind, text in zip(project.indicators, written, strict=False):
                if text == "na":
                    observations[ind.name] = Observation(na=True)
                elif text != "none":
                    observations[ind.name] = Observation(value=Quantity(Decimal(text[:-1]) / 100, "%"))
            actuals = ProjectActuals(project.code, Execution(Decimal("87.5")), observations)
            outcomes = []
            for scorer in (shared, Scorer(pack)):
                try:
                    outcomes.append(repr(scorer.score(project, actuals, 2024)))
                except ScoringError as exc:
                    outcomes.append(repr((exc.message, exc.hint)))
            assert outcomes[0] == outcomes[1]
            if outcomes[0].startswith("("):
                continue
            card = shared.score(project, actuals, 2024)
            na = frozenset(
                i for i, ind in enumerate(project.indicators) if ind.name in observations and observations[ind.name].na
            )
            skip = na if not_applicable == "redistribute" else frozenset()
            levels, notes, weights, grade, found = _as_before(card, project, pack, skip)
            assert repr(card.level1) == levels
            assert list(card.notes) == notes
            assert [repr(r.weight) for r in card.indicators] == weights
            assert card.grade == grade
            assert card.findings[: len(found)] == found
    finally:
        set_language(None)


def test_a_plan_is_kept_for_each_language() -> None:
    """The allocation's findings are written in the language of the run: a plan made in one is not used in
    the other (the weights remembered before this round were keyed without it)."""
    pack = _BASE
    scorer = Scorer(pack)
    project = dataclasses.replace(
        _project([(0, 0, Decimal(20), True), (0, 1, Decimal(20), True)]),
        weights=TableWeights(level1=(("产出指标", Decimal(50)),)),
    )
    actuals = ProjectActuals("P", Execution(Decimal(90)), {})
    said = {}
    try:
        for lang in ("zh", "en", "zh"):
            set_language(lang)
            said.setdefault(lang, []).append([f.message for f in scorer.score(project, actuals, 2024).findings])
            assert said[lang][-1] == [f.message for f in Scorer(pack).score(project, actuals, 2024).findings]
    finally:
        set_language(None)
    assert said["zh"][0] == said["zh"][1] != said["en"][0]
    assert any("weights-mismatch" == f.code for f in scorer.score(project, actuals, 2024).findings)


@pytest.mark.parametrize(
    "total",
    [
        "100",
        "100.00",
        "90",
        "90.00",
        "89.99",
        "80",
        "79.995",
        "60.00",
        "59.99",
        "0",
        "0.00",
        "-0",
        "-0.00",
        "1E+2",
        "0E+2",
        "-1",
        "100.01",
        "95.5",
    ],
)
def test_a_grade_kept_by_its_total_text_is_the_bands_grade(total: str) -> None:
    """Scorer.grade (remembered by the total's str()) against the pack's bands, each asked twice and after
    a total of the same value written otherwise."""
    scorer = Scorer(_BASE)
    grades = _BASE.grades
    for text in (total, total, str(Decimal(total).normalize()), total):
        value = Decimal(text)
        assert scorer.grade(value) == next((name for name, band in grades if value in band), grades[-1][0])


def test_cards_and_executions_made_without_init_are_as_made_with_it() -> None:
    """model.made builds Scorecard and ExecutionResult without their frozen __init__: the same objects."""
    project = _project([(0, 0, None, True), (1, 0, None, True), (2, 0, None, True)])
    actuals = ProjectActuals("P", Execution(Decimal(90)), {})
    card = Scorer(_BASE).score(project, actuals, 2024)
    rebuilt = Scorecard(*(getattr(card, f.name) for f in dataclasses.fields(Scorecard)))
    execution = ExecutionResult(*(getattr(card.execution, f.name) for f in dataclasses.fields(ExecutionResult)))
    assert (card, card.execution) == (rebuilt, execution)
    assert (repr(card), vars(card), hash(card.execution.why)) == (repr(rebuilt), vars(rebuilt), hash(execution.why))
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.total = ZERO  # type: ignore[misc]


def test_a_plan_is_kept_for_each_decimal_context() -> None:
    """A plan's weights and sums are worked out under the decimal context of the run: one made under another
    precision is not used (five digits round 33.333 + 33.333 + 33.334 to 100.00, not 100.000)."""
    project = _project(
        [(0, 0, Decimal("33.333"), True), (0, 1, Decimal("33.333"), True), (0, 2, Decimal("33.334"), True)]
    )
    observations = {ind.name: Observation(value=Quantity(Decimal("0.95"), "%")) for ind in project.indicators}
    actuals = ProjectActuals("P", Execution(Decimal("87.5")), observations)
    scorer = Scorer(_BASE)
    cards = []
    for prec in (28, 5, 28, 5):
        with decimal.localcontext() as context:
            context.prec = prec
            cards.append(repr(scorer.score(project, actuals, 2024)))
            assert cards[-1] == repr(Scorer(_BASE).score(project, actuals, 2024))
    assert cards[0] == cards[2] != cards[1] == cards[3]
