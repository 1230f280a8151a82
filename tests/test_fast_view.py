"""Issue 19, the report view's fast paths against the general ones they stand for: a project's JSON entry
written two lists deep by orjson (against the json module re-indented), NDJSON lines joined back by bytes
methods (against the json module's one line), a project's NDJSON line written straight from its scorecard
(against the json module's line of its view), and the view's numbers printed by numbers.fixer (against
format())."""

from __future__ import annotations

import dataclasses
import json
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalengine
from evalengine.language.parser import parse_target
from evalengine.language.predicates import Comparison, Quantity
from evalengine.model import Finding
from evalengine.pipeline import Prior, Scored, score_job
from evalengine.reports import encode
from evalengine.reports import view as view_module
from evalengine.reports.batch import json_entry, ndjson_entry, parts, write_ndjson
from evalengine.reports.view import _money, forget, project_line, project_view

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zunhua-2024" / "actuals.yaml"

# text the layout could be confused with: breaks, indentation, commas and brackets inside strings
_TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8),
    st.sampled_from(["", " ", "  x", ",\n  ", "\n", "[\n  ]", "{}", '", "', "\\", "中文，：", "\u2028", "\t "]),
)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), _TEXT)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=20,
)


@given(_JSON)
def test_a_line_is_what_the_json_module_writes(value: Any) -> None:
    assert encode.line(value) == json.dumps(value, ensure_ascii=False).encode("utf-8")


@given(_JSON, st.integers(0, 4))
def test_a_value_nested_is_the_json_module_reindented(value: Any, level: int) -> None:
    written = json.dumps(value, ensure_ascii=False, indent=2)
    assert encode.indented(value, level).decode("utf-8") == written.replace("\n", "\n" + "  " * level)
    nested = encode.nested(value, level)
    assert nested is None or nested.decode("utf-8") == "  " * level + written.replace("\n", "\n" + "  " * level)


@given(_JSON)
def test_an_entry_stands_in_the_report_as_the_json_module_writes_it(value: Any) -> None:
    report = json.dumps({"projects": [value]}, ensure_ascii=False, indent=2).encode("utf-8")
    entry = json_entry(value)
    assert report == b'{\n  "projects": [\n' + entry + b"\n  ]\n}"
    assert ndjson_entry(value) == json.dumps(value, ensure_ascii=False).encode("utf-8") + b"\n"


def test_every_project_of_the_example_is_encoded_as_the_json_module_writes_it() -> None:
    job = evalengine.load_job(str(EXAMPLE))
    scored = Scored(job, [])
    try:
        views = [project_view(card, scored) for card in score_job(job)]
    finally:
        forget()
    assert views
    for view in views:
        written = json.dumps(view, ensure_ascii=False, indent=2)
        assert json_entry(view).decode("utf-8") == "    " + written.replace("\n", "\n    ")
        assert ndjson_entry(view).decode("utf-8") == json.dumps(view, ensure_ascii=False) + "\n"


def _places(view: dict[str, Any]) -> set[int]:
    """The decimals of every fixed number of the view's indicators and level-1 rows."""
    rows = [*view["indicators"], *view["level1"]]
    return {len(row[k].partition(".")[2]) for row in rows for k in ("weight", "score")}


def test_the_view_prints_its_numbers_as_format_does() -> None:
    job = evalengine.load_job(str(EXAMPLE))
    places = job.pack.rounding.places
    scored = Scored(job, [])
    cards = score_job(job)
    try:
        views = [project_view(card, scored) for card in cards]
        assert view_module._FIXED  # weights and scores fixed once per number object, kept for the file
    finally:
        forget()
    assert not view_module._FIXED
    for card, view in zip(cards, views, strict=True):
        assert _places(view) == {places}
        for r, row in zip(card.indicators, view["indicators"], strict=True):
            assert (row["weight"], row["score"]) == (format(r.weight, f".{places}f"), format(r.score, f".{places}f"))
        assert view["total"] == format(card.total, f".{job.pack.rounding.total.places}f")


@pytest.mark.parametrize("text", ["0", "-0", "12.5", "12.345", "-0.005", "1E+3", "4040000", "0.125", "99.995"])
def test_money_is_rounded_then_fixed(text: str) -> None:
    from evalengine.numbers import round_to

    assert _money(Decimal(text)) == format(round_to(Decimal(text), 2), ".2f")
    assert _money(None) is None


def _line(card: Any, scored: Scored) -> bytes:
    return json.dumps(project_view(card, scored), ensure_ascii=False).encode("utf-8")


def test_every_project_of_the_example_is_written_straight_as_its_view_is_encoded() -> None:
    job = evalengine.load_job(str(EXAMPLE))
    cards = score_job(job)
    assert cards
    for priors in (None, {}, {c.project.code: Prior(2023, Decimal("81.5"), "良") for c in cards[::2]}):
        scored = Scored(job, [], priors)
        try:
            for card in cards:
                assert project_line(card, scored) == _line(card, scored)
        finally:
            forget()


def test_the_batch_writes_ndjson_lines_as_the_json_module_writes_the_views(tmp_path: Path) -> None:
    out = tmp_path / "out.ndjson"
    with out.open("wb") as handle:
        write_ndjson(handle, [EXAMPLE], None, None, None, None)
    views = next(iter(parts([EXAMPLE], None, None, None, lambda v: v))).entries
    lines = out.read_bytes().splitlines()
    assert lines[:-1] == [json.dumps(v, ensure_ascii=False).encode("utf-8") for v in views]


_WORDS = st.one_of(_TEXT, st.sampled_from(["产出指标", "达成", "实际99% ≥ 目标98%", "良"]))


@given(
    st.data(),
    st.lists(_WORDS, min_size=12, max_size=12),
    st.lists(st.lists(_WORDS, max_size=3), min_size=3, max_size=3),
    st.one_of(st.none(), _JSON),
    st.integers(-(2**70), 2**70),
)
def test_a_line_written_straight_quotes_every_text_as_the_json_module(
    data: st.DataObject, words: list[str], lists: list[list[str]], summary: Any, year: int
) -> None:
    """Any text where a project's table, actuals or findings put text, and the open values (summary,
    narrative, signoff, last year's total), written as the json module writes the view."""
    job = evalengine.load_job(str(EXAMPLE))
    card = data.draw(st.sampled_from(score_job(job)))
    code = card.project.code
    project = dataclasses.replace(card.project, name=words[0], unit=words[1], purpose=words[2], goals=tuple(lists[0]))
    indicators = tuple(
        r._replace(
            indicator=dataclasses.replace(
                r.indicator, level1=words[3], level2=words[4], name=words[5], description=words[6], basis=words[7]
            ),
            tier=data.draw(st.one_of(st.none(), _WORDS)),
            explanation=data.draw(st.one_of(st.none(), _WORDS)),
            evidence=tuple(lists[1]),
        )
        for r in card.indicators
    )
    findings = (*card.findings, Finding("warning", words[8], data.draw(st.one_of(st.none(), _WORDS)), words[9]))
    card = dataclasses.replace(
        card, project=project, indicators=indicators, findings=findings, notes=tuple(lists[2]), grade=words[10]
    )
    job = dataclasses.replace(
        job,
        year=year,
        summaries={code: summary} if summary is not None else {},
        narratives={code: {words[11]: words[0]}} if data.draw(st.booleans()) else {},
        signoffs={code: {"by": words[1]}} if data.draw(st.booleans()) else {},
    )
    scored = Scored(job, [], data.draw(st.sampled_from([None, {}, {code: Prior(2023, Decimal("80"), words[2])}])))
    try:
        assert project_line(card, scored) == _line(card, scored)
    finally:
        forget()


def test_what_a_line_keeps_is_dropped_with_the_sentences() -> None:
    """The quoted rows, names and numbers hold the file's targets, as the kept sentences do: forget() drops
    them all, and a line written after it (from other objects at perhaps the same ids) is still right."""
    job = evalengine.load_job(str(EXAMPLE))
    scored = Scored(job, [])
    for _ in range(2):
        cards = score_job(job)
        for card in cards:
            assert project_line(card, scored) == _line(card, scored)
        assert view_module._ROWS and view_module._QUOTED and view_module._NUMBERS
        forget()
        kept = (view_module._ROWS, view_module._QUOTED, view_module._NUMBERS, view_module._TRACES, view_module._ACTUALS)
        assert not any(kept) and not view_module._FIXED
        job = evalengine.load_job(str(EXAMPLE))
        scored = Scored(job, [])


def test_the_quoted_rows_and_numbers_are_emptied_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_module, "_KEPT", 2)
    job = evalengine.load_job(str(EXAMPLE))
    scored = Scored(job, [])
    try:
        for card in score_job(job):
            assert project_line(card, scored) == _line(card, scored)
            assert len(view_module._ROWS) <= 2 and len(view_module._QUOTED) <= 2
            assert all(len(n) <= 2 for n in view_module._NUMBERS.values())
    finally:
        forget()


_NUMBER = st.one_of(
    st.integers(0, 6).flatmap(
        lambda places: st.decimals(-(10**9), 10**9, allow_nan=False, allow_infinity=False, places=places)
    ),
    st.sampled_from([Decimal("0"), Decimal("-0"), Decimal("0.00"), Decimal("90"), Decimal("90.0"), Decimal("1E+3")]),
)


def _bound(target: str) -> Quantity:
    p = parse_target(target)
    assert isinstance(p, Comparison) and p.quantity is not None
    return p.quantity


_QUANTITIES = [_bound(t) for t in ("≥95%", "≤12万元", "≥120000元", "≥6次", "≤0.5万条", "≥35匹")]


@given(st.lists(st.tuples(st.sampled_from(range(len(_QUANTITIES))), _NUMBER, st.sampled_from([None, 0, 1, 2, 4]))))
def test_a_printer_writes_each_number_as_its_quantity(asked: list[tuple[int, Decimal, int | None]]) -> None:
    """The quantity's stand-in in a trace's formatter: each number written and its number part as the
    quantity writes them, asked once or again (kept), at any exponent or sign of a zero."""
    forget()
    try:
        for which, value, places in asked * 2:
            quantity = _QUANTITIES[which]
            printer = view_module._printer(quantity)
            assert printer is view_module._printer(quantity) and printer.quantity is quantity
            assert printer.written(value, places) == quantity.written(value, places)
            assert printer.number(value, places) == quantity.number(value, places)
            for name in (f.name for f in dataclasses.fields(Quantity)):  # the fields are the quantity's
                assert getattr(printer, name) is getattr(quantity, name)
            assert str(printer) == str(quantity)
    finally:
        forget()
    assert not (view_module._PRINTERS or view_module._NUMBERS_OF or view_module._ACTUALS)


def test_the_printers_and_their_texts_are_emptied_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_module, "_KEPT", 2)
    forget()
    quantity = _QUANTITIES[0]
    printer = view_module._printer(quantity)
    for n in range(1, 6):
        assert printer.written(Decimal(n), 2) == quantity.written(Decimal(n), 2)
        assert printer.number(Decimal(n), 2) == quantity.number(Decimal(n), 2)
        assert len(view_module._ACTUALS) <= 2 and len(view_module._NUMBERS_OF) <= 2
    for q in _QUANTITIES:
        view_module._printer(q)
        assert len(view_module._PRINTERS) <= 2
    forget()
    assert not (view_module._PRINTERS or view_module._NUMBERS_OF or view_module._ACTUALS)


def test_every_trace_and_actual_of_the_example_is_the_results_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sentences written by the printers and kept, against each result's own trace and actual, for
    every indicator of the example with its memos whole and with them emptied at every second entry."""
    job = evalengine.load_job(str(EXAMPLE))
    results = [r for card in score_job(job) for r in card.indicators]
    assert results
    for kept in (1 << 16, 2):
        monkeypatch.setattr(view_module, "_KEPT", kept)
        forget()
        try:
            for r in results * 2:
                assert view_module.actual(r) == r.actual
                assert view_module.trace(r) == r.trace
                assert view_module._trace_json(r) == json.dumps(r.trace, ensure_ascii=False).encode("utf-8")
        finally:
            forget()


@given(st.lists(st.sampled_from(["产出指标", "效益指标", "满意度指标", ""]), max_size=12), st.integers(1, 3))
def test_the_spans_kept_for_a_sequence_of_names_are_its_spans(names: list[str], times: int) -> None:
    card: Any = types.SimpleNamespace(
        indicators=[types.SimpleNamespace(indicator=types.SimpleNamespace(level1=n)) for n in names]
    )
    for _ in range(times):
        spans = view_module._rowspans(card)
        assert spans == view_module._runs(tuple(names))
        assert sum(spans) == len(names)


def test_a_results_score_stands_in_the_trace_key_as_its_text() -> None:
    """The result's own score is keyed by its exact text (a new number for nearly every indicator: hashing
    it cost more), in a tuple so that no text part of another `why` can stand for it."""
    from evalengine.scoring.explain import tier_default

    score = Decimal("8.75")
    why = (tier_default, "评价为", "部分达成", Decimal("0.7"), Decimal("12.50"), score)
    by_value = view_module._key(why, 2)
    assert by_value is not None
    assert view_module._key(why, 2, score) == (*by_value[:-1], ("8.75",))
    assert view_module._key((*why[:-1], "8.75"), 2, score) != view_module._key(why, 2, score)
    assert view_module._key((*why[:-1], Decimal("-0")), 2, Decimal("-0")) is None  # -0 is printed so


def _row(r: Any, span: int, places: int) -> dict[str, Any]:
    """An indicator's row of the view from its result, by the result's own fields and properties."""
    ind = r.indicator
    return {
        "level1": ind.level1,
        "level1_rows": span,
        "level2": ind.level2,
        "name": ind.name,
        "description": ind.description,
        "target": ind.target,
        "basis": ind.basis,
        "actual": r.actual,
        "weight": format(r.weight, f".{places}f"),
        "score": format(r.score, f".{places}f"),
        "status": r.status,
        "tier": r.tier,
        "explanation": r.explanation,
        "evidence": list(r.evidence),
        "trace": r.trace,
    }


@pytest.mark.parametrize("kept", [1 << 16, 2])
def test_every_row_of_the_example_is_its_results_own(monkeypatch: pytest.MonkeyPatch, kept: int) -> None:
    """A row is its indicator's kept head copied and the result's cells set (trace and actual found as
    trace() and actual() find them): against the row written from the result alone, keys in order, for every
    indicator of the example, with the memos whole and emptied at every second entry, and with each
    indicator's span changing from one view to the next (a head is made again for another span)."""
    monkeypatch.setattr(view_module, "_KEPT", kept)
    job = evalengine.load_job(str(EXAMPLE))
    places = job.pack.rounding.places
    scored = Scored(job, [])
    cards = score_job(job)
    real = view_module._rowspans
    for shift in (0, 1, 0):
        monkeypatch.setattr(view_module, "_rowspans", lambda card, by=shift: [(n + by) % 3 for n in real(card)])
        try:
            for card in cards * 2:
                rows = project_view(card, scored)["indicators"]
                spans = view_module._rowspans(card)
                expected = [_row(r, span, places) for r, span in zip(card.indicators, spans, strict=True)]
                assert [list(row.items()) for row in rows] == [list(row.items()) for row in expected]
                rows[0]["level1"] = rows[0]["name"] = "changed"  # a row of its own: the head it was copied from
                rows[0]["evidence"].append("changed")  # is left as it was, and so are the next rows
                assert len({id(row) for row in rows}) == len({id(row["evidence"]) for row in rows}) == len(rows)
        finally:
            forget()
        assert not view_module._HEADS


_SEVERITIES = st.lists(st.sampled_from(["error", "warning", "info"]), max_size=4)
_GRADES = [("优", "良", "中", "差"), ("A", "B"), ("良", "甲")]


@given(st.lists(st.tuples(st.sampled_from(range(len(_GRADES))), st.integers(0, 3), _NUMBER, _SEVERITIES), max_size=12))
def test_the_running_summary_adds_as_counted_afresh(
    added: list[tuple[int, int, Decimal, list[str]]],
) -> None:
    """RunningSummary.add (a pack's grades listed again only for another pack's, severities counted in C)
    against the summary counted afresh: projects, sums, grades earned and listed in order, severities."""
    from collections import Counter

    from evalengine.reports.view import RunningSummary

    packs = [types.SimpleNamespace(grades=tuple((g, None) for g in names)) for names in _GRADES]
    summary = RunningSummary()
    names: list[str] = []
    severities: Counter[str] = Counter()
    budget = spent = weighted = Decimal(0)
    for pack, grade, number, said in added:
        job: Any = types.SimpleNamespace(pack=packs[pack])
        card: Any = types.SimpleNamespace(
            execution=types.SimpleNamespace(budget=number + 1, spent=number),
            total=number,
            grade=_GRADES[pack][grade % len(_GRADES[pack])],
            findings=tuple(Finding(s, "code", None, "message") for s in said),
        )
        summary.add(card, job)
        names += [g for g in _GRADES[pack] if g not in names]
        severities.update(said)
        budget, spent, weighted = budget + number + 1, spent + number, weighted + number * (number + 1)
    assert summary.projects == len(added) and summary.grade_names == names and summary.severities == severities
    assert (summary.budget, summary.spent, summary.weighted) == (budget, spent, weighted)
    assert summary.grades == Counter(_GRADES[p][g % len(_GRADES[p])] for p, g, _, _ in added)


@given(_NUMBER, st.integers(0, 4), st.sampled_from([1, 1000, -1]))
def test_a_sentences_fixed_number_is_what_format_writes(value: Decimal, places: int, scale: int) -> None:
    """explain.fx (numbers.fixer, made once for each places: str() where the number is at its places) against
    the format specification it replaced, at any exponent or sign of a zero; and _pct likewise."""
    from evalengine.numbers import round_to
    from evalengine.scoring.explain import fx

    value = value.scaleb(-places) if scale == -1 else value * scale
    assert fx(value, places) == format(value, f".{places}f")
    rounded = round_to(value, places)
    assert fx(rounded, places) == format(rounded, f".{places}f")
    assert view_module._pct(value, places) == format(round_to(value * 100, places), f".{places}f")


_NONZERO = _NUMBER.filter(bool)  # a zero is a part of another kind, below
_PARTS = st.one_of(
    _NUMBER,
    st.sampled_from(["实际", "≥", "目标", "", "0"]),
    st.sampled_from(_QUANTITIES),
    st.sampled_from([None, 0, (1,)]),
)


def test_every_trace_of_the_example_is_keyed_as_the_loop_keys_it() -> None:
    """_key (its unpacked met and ratio, the loop for the rest) against _keyed's loop, for every `why`."""
    job = evalengine.load_job(str(EXAMPLE))
    results = [r for card in score_job(job) for r in card.indicators]
    assert {r.why[0].__name__ for r in results} >= {"met", "ratio"}
    for r in results:
        score = None if r.score is r.weight else r.score
        assert view_module._key(r.why, r.places, score) == view_module._keyed(r.why, r.places, score)


@given(st.data())
def test_a_met_or_ratio_trace_is_keyed_as_the_loop_keys_it(data: st.DataObject) -> None:
    """_key's unpacked met and ratio against _keyed's loop over the parts: the same key (or None) for whys
    of those formatters with parts of every kind (numbers, zeros, -0, text, quantities, other things) in
    every place, of other lengths, with the result's own score last, elsewhere or absent."""
    from evalengine.scoring.explain import met, ratio

    formatter, size = data.draw(
        st.sampled_from([(met, 7), (ratio, 10), (met, 7), (ratio, 10), (met, 10), (ratio, 7), (met, 8)])
    )
    parts = ["实际", _QUANTITIES[0], data.draw(_NONZERO), "≥", "目标", *[data.draw(_NONZERO) for _ in range(size - 5)]]
    for at in data.draw(st.lists(st.integers(0, size - 1), max_size=2)):  # a part or two of another kind
        parts[at] = data.draw(_PARTS)
    why = (formatter, *parts)
    usual = None if formatter is met else parts[-1]  # met is given no score, ratio its last part
    score = data.draw(st.sampled_from([usual, usual, usual, None, parts[-1], parts[2], parts[-2], Decimal("1")]))
    if not isinstance(score, Decimal):
        score = None
    assert view_module._key(why, 2, score) == view_module._keyed(why, 2, score)
