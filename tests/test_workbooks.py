"""The workbooks evalengine writes: text stays text, rows fit their text, the same input gives the same bytes."""

from __future__ import annotations

import math
import shutil
import time
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from evalengine.cli.app import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zunhua-2024"
HOSTILE = ('=HYPERLINK("http://evil.example/","点此")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)")


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "ex")
    monkeypatch.chdir(tmp_path / "ex")
    return tmp_path / "ex"


def _workbooks(folder: Path) -> dict[str, Path]:
    run("score", "actuals.yaml", "-o", "score.xlsx")
    run("monitor", "monitoring/actuals-2024-06.yaml", "--as-of", "2024-06-30", "-o", "monitor.xlsx")
    run("init", "targets.yaml", "-o", "form.xlsx")
    return {name: folder / f"{name}.xlsx" for name in ("score", "monitor", "form")}


def test_text_that_looks_like_a_formula_is_written_as_text(folder: Path) -> None:
    targets = folder / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    text = text.replace('name: "见义勇为专项资金"', f"name: '{HOSTILE[0]}'")
    text = text.replace('name: "中共遵化市委政法委本级"', "name: '" + HOSTILE[1].replace("'", "''") + "'", 1)
    targets.write_text(text, encoding="utf-8")
    actuals = folder / "actuals.yaml"
    text = actuals.read_text(encoding="utf-8")
    text = text.replace("explanation: 1人材料不全，已补正", f"explanation: '{HOSTILE[2]}'")
    text = text.replace("evidence: [表彰决定.pdf]", f"evidence: ['{HOSTILE[3]}']")
    text = text.replace("explanation: 2户救助金于次年初发放", f"explanation: '{HOSTILE[3]}'")
    actuals.write_text(text, encoding="utf-8")
    mid = folder / "monitoring" / "actuals-2024-06.yaml"
    cause = "cause: 救助申请集中在下半年审批"
    mid.write_text(mid.read_text(encoding="utf-8").replace(cause, f"cause: '{HOSTILE[0]}'"), encoding="utf-8")
    for name, path in _workbooks(folder).items():
        wb = openpyxl.load_workbook(path)
        risky = [
            c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+-@"
        ]
        seen = {c.value for c in risky}
        assert HOSTILE[0] in seen, name  # the hostile name reached every workbook
        assert all(c.data_type == "s" for c in risky), [
            (name, c.coordinate, c.value) for c in risky if c.data_type != "s"
        ]
    # the score report also carries the explanation and the department
    values = {c.value for ws in openpyxl.load_workbook(folder / "score.xlsx") for r in ws.iter_rows() for c in r}
    assert {HOSTILE[1], HOSTILE[2]} <= values and HOSTILE[3] in values


def test_the_same_input_gives_the_same_workbook_bytes(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = {name: path.read_bytes() for name, path in _workbooks(folder).items()}
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86400 * 400 + 3.5)  # another day, another second
    deadline = real() + 1.1
    while real() < deadline:  # and past a second boundary of the real clock, for what time.time does not reach
        time.sleep(0.1)
    second = {name: path.read_bytes() for name, path in _workbooks(folder).items()}
    for name in first:
        assert first[name] == second[name], f"{name}.xlsx differs between two runs"


def _columns_width(ws: openpyxl.worksheet.worksheet.Worksheet, first: int, last: int) -> float:
    letters = [openpyxl.utils.get_column_letter(c) for c in range(first, last + 1)]
    return sum(ws.column_dimensions[x].width or 8.43 for x in letters)


def test_rows_of_wrapped_text_are_tall_enough(folder: Path) -> None:
    run("score", "actuals.yaml", "-o", "score.xlsx")
    wb = openpyxl.load_workbook(folder / "score.xlsx")
    checked = 0
    for ws in wb.worksheets[1:]:
        for merged in ws.merged_cells.ranges:
            cell = ws.cell(row=merged.min_row, column=merged.min_col)
            if merged.min_row != merged.max_row or not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            # columns are measured in characters; a CJK character takes two
            chars = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in cell.value)
            lines = math.ceil(chars / (_columns_width(ws, merged.min_col, merged.max_col) - 1))
            height = ws.row_dimensions[merged.min_row].height
            if lines > 1:
                assert height is not None and height >= 15 * lines, (ws.title, cell.coordinate, cell.value)
                checked += 1
    assert checked >= 5  # long traces and explanations do wrap in the example
