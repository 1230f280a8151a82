"""What a file reads once and reuses (issue 19) must read as the general path reads every value."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evalengine import pipeline
from evalengine.errors import ErrorGroup, EvalEngineError
from evalengine.i18n import _, set_language
from evalengine.inputs import actuals, targets
from evalengine.inputs.actuals import load_job
from evalengine.inputs.targets import load_targets
from evalengine.language.parser import parse_target
from evalengine.language.predicates import Quantity, Range
from evalengine.language.words import default_vocabulary
from evalengine.model import Execution, Finding, Indicator, Observation, Project
from evalengine.packs.load import load_pack
from evalengine.packs.schema import METHODS
from evalengine.reports import view
from evalengine.scoring.indicator import IndicatorScorer

# Cells of a targets row, plain and awkward: labels with points that agree or not, empty and placeholder
# targets (a notice), directions that agree, conflict (a notice) or are unknown (an error), weights as text
# and as numbers, an unknown key, a bad target.
_ROW_CELLS: dict[str, list[Any]] = {
    "level1": ["产出指标", "产出指标(50分)", "产出指标（40分）", "效益指标", 7],
    "level2": ["数量指标", "质量指标(10分)", "", None],
    "name": ["指标1", "指标2", "其中：指标3", "指标4", ""],
    "target": ["≥98%", "≤12万元", "12月底前完成", "效果显著", "", "-", "98%", "≥9 5%", None],
    "basis": ["年初工作计划", None],
    "direction": [None, "正向", "反向", "forward", "sideways"],
    "weight": [None, "10", "10分", "5", 5, "-1"],
    "colour": [None, "red"],
}
_PLANS: list[Any] = [
    {"3月底": "30%", "6月底": "60%", "12月底": "100%"},
    {"6月底": "50%", "12月底": "100%"},
    {"6月底": "五成"},
    {"明年": "50%"},
    {"6月底": "150%"},
    {"6月底": 50},
    None,
]


def _row(choice: dict[str, int]) -> dict[str, Any]:
    row = {key: cells[choice[key] % len(cells)] for key, cells in _ROW_CELLS.items()}
    return {key: value for key, value in row.items() if value is not None}


_rows = st.fixed_dictionaries({key: st.integers(0, 9) for key in _ROW_CELLS}).map(_row)


def _outcome(path: Path) -> Any:
    """Everything a targets file gives: its projects (every field, as repr shows it) and notices, or its errors."""
    try:
        read = load_targets(path, default_vocabulary())
    except EvalEngineError as exc:
        return _said(exc)
    return repr(read.projects), repr(read.notices), repr(read.where)


def _said(exc: EvalEngineError) -> list[tuple[str, str, str | None, str]]:
    """Each error of a failed read: its kind, message, hint and location."""
    errors = exc.errors if isinstance(exc, ErrorGroup) else [exc]
    return [(type(e).__name__, e.message, e.hint, repr(e.location)) for e in errors]


def _reads_alike_with_nothing_kept(
    path: Path, data: Any, outcome: Any, module: Any, key_maker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`data` written to `path` reads the same (by `outcome`) as when the memo's `key_maker` keeps nothing."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    kept = outcome(path)
    with monkeypatch.context() as m:
        m.setattr(module, key_maker, _never_kept)
        assert outcome(path) == kept


def _never_kept(mapping: Any) -> None:
    return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(_rows, min_size=1, max_size=4),
    picks=st.lists(st.lists(st.integers(0, 3), min_size=1, max_size=4), min_size=1, max_size=4),
    plans=st.lists(st.sampled_from(range(len(_PLANS))), min_size=4, max_size=4),
    fmt=st.sampled_from(["json", "yaml"]),
)
def test_rows_and_plans_read_once_read_as_each_read_alone(
    tmp_path: Path,
    rows: list[dict[str, Any]],
    picks: list[list[int]],
    plans: list[int],
    fmt: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Projects repeating rows and plans (some with notices, some wrong): the file reads the same, error for
    error and notice for notice, line for line, as when nothing is kept between projects."""
    projects = []
    for n, pick in enumerate(picks):
        project: dict[str, Any] = {"code": f"P{n}", "name": f"项目{n}", "budget": "12.5"}
        if _PLANS[plans[n]] is not None:
            project["spending_plan"] = _PLANS[plans[n]]
        project["indicators"] = [rows[i % len(rows)] for i in pick]
        projects.append(project)
    data = {"year": 2024, "projects": projects}
    path = tmp_path / f"t.{fmt}"  # YAML in flow style: JSON text, read by the YAML reader (5 is a number there)
    _reads_alike_with_nothing_kept(path, data, _outcome, targets, "_text_key", monkeypatch)


def test_a_repeated_row_is_read_once(tmp_path: Path) -> None:
    """The fast path is taken: the second project's rows are the first's."""
    row = {"level1": "产出指标", "level2": "数量指标", "name": "a", "target": "≥95%"}
    data = {"projects": [{"code": c, "name": c, "budget": "1", "indicators": [row]} for c in ("P1", "P2")]}
    (tmp_path / "t.json").write_text(json.dumps(data), encoding="utf-8")
    first, second = load_targets(tmp_path / "t.json", default_vocabulary()).projects
    assert first.indicators[0] is second.indicators[0]


# Actual entries, plain and awkward, for targets ≥95%, ≤12万元, 12月底前完成 and 效果显著: values that read,
# that warn (0.96 against ≥95% looks like a fraction, and the warning names its place), that note (≥96%),
# that fail, mappings with surveys and unknown keys; each may stand in several projects.
_ENTRIES: list[Any] = [
    "96%",
    "0.96",
    "≥96%",
    "11万元",
    "2024-12-20",
    "未完成",
    "达成",
    "部分达成",
    "不适用",
    "abc",
    "5人",
    "",
    {"value": "96%", "explanation": "按台账"},
    {"value": "0.5"},
    {"tier": "达成", "explanation": "按台账评价"},
    {"tier": "很好"},
    {"survey": {"满意": "40", "不满意": "2"}},
    {"survey": {"满意": "-1"}},
    {"numerator": "56", "denominator": "60"},
    {"value": "20次", "baseline": "18次"},
    {"value": "96%", "colour": "red"},
    {"evidence": ["a.pdf"], "tier": "达成"},
]
_TARGETS = ["≥95%", "≤12万元", "12月底前完成", "效果显著"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pool=st.lists(st.integers(0, len(_ENTRIES) - 1), min_size=1, max_size=3),
    given_=st.lists(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2)), max_size=5), min_size=2, max_size=4),
    fmt=st.sampled_from(["json", "yaml"]),
)
def test_entries_read_once_read_as_each_read_alone(
    tmp_path: Path, pool: list[int], given_: list[list[tuple[int, int]]], fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Projects repeating the same entries against the same targets (some warn, naming their place; some
    fail): the file reads the same, observation for observation and error for error, as when nothing is kept."""
    rows = [
        {"level1": "产出指标", "level2": "数量指标", "name": f"指标{n}", "target": t} for n, t in enumerate(_TARGETS)
    ]
    codes = [f"P{n}" for n in range(len(given_))]
    targets_data = {
        "year": 2024,
        "projects": [{"code": c, "name": c, "budget": "12", "indicators": rows} for c in codes],
    }
    (tmp_path / f"t.{fmt}").write_text(json.dumps(targets_data, ensure_ascii=False, indent=1), encoding="utf-8")
    projects = []
    for code, pairs in zip(codes, given_, strict=True):
        # 指标4 is no indicator of the targets (an error); a name given twice keeps the first
        indicators = {f"指标{n}": _ENTRIES[pool[e % len(pool)]] for n, e in pairs}
        projects.append({"code": code, "execution": {"spent": "10"}, "indicators": indicators})
    data = {"targets": f"t.{fmt}", "year": 2024, "projects": projects}
    _reads_alike_with_nothing_kept(tmp_path / f"a.{fmt}", data, _job, actuals, "_entry_key", monkeypatch)


def _job(path: Path) -> Any:
    try:
        job = load_job(path)
    except EvalEngineError as exc:
        return _said(exc)
    return repr(job.actuals), repr(job.where)


def test_a_repeated_entry_is_read_once(tmp_path: Path) -> None:
    """The fast path is taken: the second project's observation is the first's, and a warning (which
    names the entry's place) is never shared."""
    row = {"level1": "产出指标", "level2": "数量指标", "name": "a", "target": "≥95%"}
    other = {**row, "name": "b"}
    t = {"projects": [{"code": c, "name": c, "budget": "1", "indicators": [row, other]} for c in ("P1", "P2")]}
    (tmp_path / "t.json").write_text(json.dumps(t), encoding="utf-8")
    a = {
        "targets": "t.json",
        "year": 2024,
        "projects": [{"code": c, "indicators": {"a": "96%", "b": "0.96"}} for c in ("P1", "P2")],
    }
    (tmp_path / "a.json").write_text(json.dumps(a), encoding="utf-8")
    job = load_job(tmp_path / "a.json")
    first, second = job.actuals["P1"].indicators, job.actuals["P2"].indicators
    assert first["a"] is second["a"]
    assert first["b"].warnings != second["b"].warnings  # each names its own line


# Targets of every direction, some written alike in other units or places (≥95% and ≥95.0%), with actuals
# in the unit of each; numbers written with other exponents (90, 90.0, 9E+1), zeros signed or not.
_BY_DIRECTION = {
    "forward": ["≥95%", "≥95.0%", "≥12万元", "≥120000元"],
    "reverse": ["≤2%", "≤2.00%", "≤12万元"],
    "equality": ["=100%", "=100.0%"],
    "range": ["90%-100%", "90.0%-100%"],
    "tolerance": ["±5%", "±5.0%"],
}
_NUMBERS = ["90", "90.0", "9E+1", "0", "-0", "0.00", "2", "2.0", "3", "85", "95", "95.000", "100", "110", "130000"]


@settings(max_examples=100, deadline=None)
@given(
    direction=st.sampled_from(sorted(_BY_DIRECTION)),
    method=st.integers(0, 3),
    numbers=st.lists(st.sampled_from(_NUMBERS), min_size=1, max_size=3),
    cases=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.booleans()), min_size=1, max_size=12),
)
@example(direction="forward", method=0, numbers=["13"], cases=[(2, 0, False), (3, 0, False)])  # 13万元, 130000元
@example(direction="forward", method=0, numbers=["0", "-0"], cases=[(0, 0, False), (0, 1, False)])
def test_traces_and_actuals_written_once_are_written_as_each_alone(
    direction: str, method: int, numbers: list[str], cases: list[tuple[int, int, bool]]
) -> None:
    """The view's trace and actual, kept by the numbers' values and the target's identity, are the result's
    own for every method, whatever the exponent of the numbers or the sign of a zero."""
    names = METHODS[direction]
    pack = load_pack("mof-2020")
    pack = dataclasses.replace(
        pack, methods=dataclasses.replace(pack.methods, **{direction: names[method % len(names)]})
    )
    scorer = IndicatorScorer(pack)
    targets_ = [parse_target(t) for t in _BY_DIRECTION[direction]]
    view._TRACES.clear()
    view._ACTUALS.clear()
    for which, n, wide in cases:
        number, weight = numbers[n % len(numbers)], "12.50" if wide else "12.5"
        p = targets_[which % len(targets_)]
        bound = p.high if isinstance(p, Range) else p.quantity
        assert bound is not None
        a = Decimal(number) * (10000 if bound.unit == "元" else 1)  # the same for 12万元 and 120000元
        ind = Indicator("产出指标", "数量指标", "x", p.canonical(), p)
        result = scorer.indicator(
            ind,
            Decimal(weight),
            Observation(value=Quantity(a, bound.unit)),
            Project("P", "p", Decimal(100), ()),
            Execution(Decimal(90)),
            2024,
            [],
        )
        assert view.trace(result) == result.trace
        assert view.actual(result) == result.actual


def test_a_repeated_trace_is_written_once() -> None:
    view._TRACES.clear()
    p = parse_target("≥95%")
    scorer = IndicatorScorer(load_pack("mof-2020"))
    ind = Indicator("产出指标", "数量指标", "x", "≥95%", p)
    args = (Project("P", "p", Decimal(100), ()), Execution(Decimal(90)), 2024, [])
    first, second = (
        scorer.indicator(ind, Decimal("12.5"), Observation(value=Quantity(Decimal(a), "%")), *args)
        for a in ("90", "90.0")
    )
    assert view.trace(first) is view.trace(second)
    assert view.actual(first) is view.actual(second)


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zunhua-2024" / "actuals.yaml"


def _kept() -> int:
    return len(view._TRACES) + len(view._ACTUALS)


def test_the_sentences_kept_for_a_file_are_dropped_when_its_view_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file's kept sentences hold its targets' quantities: kept past the file, memory would grow with the
    files of a batch (50 files peaked at 1.7× 10 files while they were). Every way a view is written drops
    them when a file is done, and none drops them in the middle of a file."""
    from evalengine.pipeline import Scored, score_job
    from evalengine.reports.batch import score_part
    from evalengine.reports.ndjson import ndjson_lines

    job = load_job(EXAMPLE)
    kept: list[int] = []
    written = view.project_view

    def counting(*args: Any) -> Any:
        entry = written(*args)
        kept.append(_kept())
        return entry

    monkeypatch.setattr(view, "project_view", counting)
    view.build([Scored(job, score_job(job))])
    assert kept[-1] > 0 and _kept() == 0  # kept while the file's view was written, dropped after

    import evalengine.reports.batch as batch
    import evalengine.reports.ndjson as nd

    monkeypatch.setattr(batch, "project_view", counting)
    monkeypatch.setattr(nd, "project_view", counting)
    kept.clear()
    part = score_part(EXAMPLE, None, False, None, None, None, lambda entry: entry)
    assert not part.errors and part.entries
    assert kept[-1] > 0 and _kept() == 0

    kept.clear()
    lines = ndjson_lines(s for j in (job, load_job(EXAMPLE)) for s in (Scored(j, [c]) for c in score_job(j)))
    counts = []
    for line in lines:
        counts.append(_kept())
        assert line
    n = len(score_job(job))
    assert counts[n - 1] > 0  # the first file's sentences kept while its projects were written
    assert counts[n] == counts[0] < counts[n - 1]  # the second file begins without the first's
    assert _kept() == 0


def test_the_kept_sentences_are_emptied_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """A very large file keeps at most _KEPT sentences of each kind, and still writes each one right."""
    monkeypatch.setattr(view, "_KEPT", 2)
    view.forget()
    p = parse_target("≥95%")
    scorer = IndicatorScorer(load_pack("mof-2020"))
    ind = Indicator("产出指标", "数量指标", "x", "≥95%", p)
    args = (Project("P", "p", Decimal(100), ()), Execution(Decimal(90)), 2024, [])
    for a in ("90", "91", "92", "93", "94"):
        result = scorer.indicator(ind, Decimal("12.5"), Observation(value=Quantity(Decimal(a), "%")), *args)
        assert view.trace(result) == result.trace and view.actual(result) == result.actual
        assert 1 <= len(view._TRACES) <= 2 and 1 <= len(view._ACTUALS) <= 2
    view.forget()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_missing_summary_finding_reads_as_the_catalogue_writes_it(lang: str) -> None:
    """pipeline draws the missing-summary finding for every project of a file without summaries through a
    Template (no _() per project): the same text as _() in both languages, a Finding like any other."""
    message = "the year's overall goals have no actual results (summary:); that box of the form is left blank"
    set_language(lang)
    try:
        assert pipeline._NO_SUMMARY() == _(message)
        finding = tuple.__new__(Finding, ("warning", "missing-summary", None, pipeline._NO_SUMMARY()))
        assert (type(finding), finding) == (Finding, Finding("warning", "missing-summary", None, _(message)))
    finally:
        set_language(None)
