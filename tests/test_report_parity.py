"""Every format carries what the Markdown carries: the texts of the Markdown report, found in each other format."""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from evalengine.cli.app import main
from evalengine.reports.text import md
from evalengine.reports.view import SEVERITY_ZH
from evalengine.scoring.monitor import LIGHT_ZH

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zunhua-2024"
SCORE = ["score", str(EXAMPLE / "actuals.yaml")]
MONITOR = ["monitor", str(EXAMPLE / "monitoring" / "actuals-2024-06.yaml"), "--as-of", "2024-06-30"]
WORDS = {"light": LIGHT_ZH, "severity": SEVERITY_ZH}  # the Markdown shows these in Chinese


def _leaves(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(text as the JSON holds it, text as the other formats show it) for every string in the view."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k != "status":  # met/na/missing: the reports show the score or 不适用 instead
                yield from _leaves(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v, key)
    elif isinstance(value, str) and value:
        yield value, WORDS[key].get(value, value) if key in WORDS else value


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.rstrip("%"))
    except InvalidOperation:
        return None
    return value.normalize() if value.is_finite() else None


def _run(args: list[str], fmt: str, tmp_path: Path) -> Any:
    if fmt == "xlsx":
        out = tmp_path / "r.xlsx"
        result = CliRunner().invoke(main, [*args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        return openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    result = CliRunner().invoke(main, [*args, "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def _carried(value: Any, fmt: str) -> tuple[str, set[Decimal]]:
    """All the text a rendered report holds, and its numbers."""
    if fmt == "xlsx":
        cells = [c.value for ws in value for row in ws.iter_rows() for c in row if c.value is not None]
        numbers = {
            Decimal(str(c)).normalize() for c in cells if isinstance(c, (int, float)) and not isinstance(c, bool)
        }
        text = "\n".join(str(c) for c in cells)
    elif fmt == "html":
        text = html.unescape(value)
        numbers = set()
    else:
        text, numbers = value, set()
    numbers |= {n for n in (_number(t) for t in _tokens(text)) if n is not None}
    return text, numbers


def _tokens(text: str) -> Iterator[str]:
    import re

    yield from re.findall(r"-?\d+(?:\.\d+)?%?", text)


@pytest.mark.parametrize("fmt", ["html", "xlsx", "json"])
@pytest.mark.parametrize("command", [SCORE, MONITOR], ids=["score", "monitor"])
def test_every_format_carries_the_texts_of_the_markdown(command: list[str], fmt: str, tmp_path: Path) -> None:
    view = json.loads(_run(command, "json", tmp_path))
    markdown = _run(command, "md", tmp_path)
    shown = {(raw, t) for raw, t in _leaves(view) if md(t) in markdown}  # what the Markdown carries
    assert len(shown) > 50
    text, numbers = _carried(_run(command, fmt, tmp_path), fmt)
    flat = " ".join(text.split())
    missing = sorted(
        t
        for raw, t in shown
        if " ".join((raw if fmt == "json" else t).split()) not in flat and _number(t) not in numbers
    )
    assert not missing, f"{fmt} lacks {len(missing)} texts the Markdown shows: {missing[:12]}"


def test_the_monitor_workbook_shows_each_projects_spending_light(tmp_path: Path) -> None:
    view = json.loads(_run(MONITOR, "json", tmp_path))
    ws = _run(MONITOR, "xlsx", tmp_path)["总览"]
    head = [c.value for c in ws[2]]
    column = head.index("支出灯")
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[1]}
    for p in view["projects"]:
        assert rows[p["code"]][column] == LIGHT_ZH[p["spending"]["light"]]
