"""Issue 19, the report view's fast paths against the general ones they stand for: a project's JSON entry
written two lists deep by orjson (against the json module re-indented), NDJSON lines joined back by bytes
methods (against the json module's one line), and the view's numbers printed by numbers.fixer (against
format())."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalengine
from evalengine.pipeline import Scored, score_job
from evalengine.reports import encode
from evalengine.reports.batch import json_entry, ndjson_entry
from evalengine.reports.view import _money, forget, project_view

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
    finally:
        forget()
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
