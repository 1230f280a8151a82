"""The merged 一级指标 cells of every 自评表 cover every indicator row, in JSON, HTML and xlsx.

Issue 22: with the last level-1 group two or more rows long, rowspans [2,0,1,1,0] instead of
[2,0,1,2,0] broke the HTML table; the bundled example never ends on such a group, so these projects
do. The checks live in report_tables.py, for the docx writer to reuse when it comes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from report_tables import (
    assert_level1_cells_cover_rows,
    docx_level1_cells,
    html_level1_cells,
    xlsx_level1_cells,
)

from evalengine.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zunhua-2024"

# project code -> the level 1 of each indicator row, in order
LAYOUTS = {
    "LAST-TWO": ["产出指标", "产出指标", "效益指标", "满意度指标", "满意度指标"],  # the issue's [2,0,1,2,0]
    "LAST-THREE": ["产出指标", "效益指标", "效益指标", "满意度指标", "满意度指标", "满意度指标"],
    "ONE-GROUP": ["产出指标", "产出指标", "产出指标"],  # the first group is the last
    "INTERLEAVED": ["产出指标", "效益指标", "产出指标", "满意度指标", "满意度指标"],
    "ONE-ROW-EACH": ["产出指标", "效益指标", "满意度指标"],
}


def _write_inputs(folder: Path) -> Path:
    projects, actuals = [], []
    for code, levels in LAYOUTS.items():
        rows = [
            {"level1": level1, "level2": "二级指标", "name": f"{code}-{n}", "target": "≥1"}
            for n, level1 in enumerate(levels)
        ]
        budget = {"total": 10, "fiscal": 10, "other": 0}
        projects.append({"code": code, "name": code, "budget": budget, "indicators": rows})
        actuals.append({"code": code, "execution": {"spent": 10}, "indicators": {r["name"]: 1 for r in rows}})
    targets = {"department": {"code": "1", "name": "测试部门"}, "year": 2024, "unit": "万元", "projects": projects}
    (folder / "targets.yaml").write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
    doc = {"targets": "targets.yaml", "rules": "mof-2020", "year": 2024, "projects": actuals}
    path = folder / "actuals.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(params=["groups-of-several-rows", "bundled-example"])
def scored(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, dict[str, list[str]]]:
    """An actuals file and, per project code, the level 1 of its rows as its targets file gives them."""
    actuals = _write_inputs(tmp_path) if request.param == "groups-of-several-rows" else EXAMPLE / "actuals.yaml"
    targets = yaml.safe_load((actuals.parent / "targets.yaml").read_text(encoding="utf-8"))
    levels = {str(p["code"]): [i["level1"] for i in p["indicators"]] for p in targets["projects"]}
    if request.param == "groups-of-several-rows":
        assert levels == LAYOUTS
    return actuals, levels


def _score(*args: str) -> str:
    result = CliRunner().invoke(main, ["score", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _report(actuals: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(_score(str(actuals), "--format", "json"))
    return report


def test_json_level1_rows_cover_every_row(scored: tuple[Path, dict[str, list[str]]]) -> None:
    actuals, levels = scored
    report = _report(actuals)
    assert sorted(p["code"] for p in report["projects"]) == sorted(levels)
    for p in report["projects"]:
        cells = [(n, i["level1_rows"], i["level1"]) for n, i in enumerate(p["indicators"]) if i["level1_rows"]]
        assert_level1_cells_cover_rows(levels[p["code"]], cells, p["code"])


def test_html_merged_cells_cover_every_row_of_every_table(
    scored: tuple[Path, dict[str, list[str]]], tmp_path: Path
) -> None:
    actuals, levels = scored
    out = tmp_path / "report.html"
    _score(str(actuals), "-o", str(out))
    tables = html_level1_cells(out.read_text(encoding="utf-8"))
    assert sorted(tables) == sorted(levels)  # one 自评表 per project, none skipped
    for code, cells in tables.items():
        assert_level1_cells_cover_rows(levels[code], cells, code)


def test_xlsx_merged_cells_cover_every_row_of_every_sheet(
    scored: tuple[Path, dict[str, list[str]]], tmp_path: Path
) -> None:
    actuals, levels = scored
    out = tmp_path / "report.xlsx"
    _score(str(actuals), "-o", str(out))
    sheets = xlsx_level1_cells(out.read_bytes())
    codes = [p["code"] for p in _report(actuals)["projects"]]  # the sheets follow the report's order
    assert len(sheets) == len(codes) == len(levels)
    for code, (title, cells) in zip(codes, sheets, strict=True):
        assert_level1_cells_cover_rows(levels[code], cells, f"{code} (sheet {title})")


def test_docx_merged_cells_cover_every_row_of_every_table(
    scored: tuple[Path, dict[str, list[str]]], tmp_path: Path
) -> None:
    actuals, levels = scored
    out = tmp_path / "report.docx"
    _score(str(actuals), "-o", str(out))
    tables = docx_level1_cells(out.read_bytes())
    codes = [p["code"] for p in _report(actuals)["projects"]]  # the 自评表 follow the report's order
    assert len(tables) == len(codes) == len(levels)
    for code, (name, cells) in zip(codes, tables, strict=True):
        assert_level1_cells_cover_rows(levels[code], cells, f"{code} (自评表 of {name})")


LAST_TWO = LAYOUTS["LAST-TWO"]


def test_the_check_passes_the_right_rowspans() -> None:
    assert_level1_cells_cover_rows(LAST_TWO, [(0, 2, "产出指标"), (2, 1, "效益指标"), (3, 2, "满意度指标")])


@pytest.mark.parametrize(
    "cells",
    [
        [(0, 2, "产出指标"), (2, 1, "效益指标"), (3, 1, "满意度指标")],  # [2,0,1,1,0]: the last row left bare
        [(0, 2, "产出指标"), (2, 1, "效益指标"), (3, 3, "满意度指标")],  # past the last row
        [(0, 2, "产出指标"), (2, 2, "效益指标"), (3, 2, "满意度指标")],  # a row covered twice, under the wrong name
        [(0, 2, "产出指标"), (2, 1, "效益指标"), (3, 1, "满意度指标"), (4, 1, "满意度指标")],  # covered, not merged
    ],
    ids=["last-row-bare", "past-the-end", "overlap", "unmerged"],
)
def test_the_check_rejects_wrong_rowspans(cells: list[tuple[int, int, str]]) -> None:
    with pytest.raises(AssertionError):
        assert_level1_cells_cover_rows(LAST_TWO, cells)


def test_the_html_reader_rejects_the_table_of_issue_22() -> None:
    """The table [2,0,1,1,0] produced: its last row is one cell short, and the reader says so."""
    spans = zip(LAST_TWO, [2, 0, 1, 1, 0], strict=True)
    level1 = [f'<td rowspan="{span}">{name}</td>' if span else "" for name, span in spans]
    rows = "".join(f"<tr>{cell}" + "<td>x</td>" * 7 + "</tr>" for cell in level1)
    head = "<tr>" + "<th>h</th>" * 8 + "</tr>"
    total = '<tr><th colspan="5">总分</th><td>100</td><td>1</td><td>g</td></tr>'
    html = f'<section data-code="X"><table class="indicators">{head}{rows}{total}</table></section>'
    with pytest.raises(AssertionError, match="row 5 of the 自评表 fills 7 of 8"):
        html_level1_cells(html)
    right = html.replace('<td rowspan="1">满意度指标</td>', '<td rowspan="2">满意度指标</td>')
    assert html_level1_cells(right) == {"X": [(0, 2, "产出指标"), (2, 1, "效益指标"), (3, 2, "满意度指标")]}
