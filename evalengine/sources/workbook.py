"""The filled Excel 自评表 form read back as an actuals document, every value located by sheet and cell."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from evalengine.errors import InputError, KeyPath, Location, ReadError
from evalengine.numbers import plain, to_decimal
from evalengine.sources.documents import Document, remember_input
from evalengine.sources.mapped import Grid

SETTINGS = "设置"


TIER_CHOICES = "达成,部分达成,未达成,不适用"


PLACEHOLDERS = {"", "—", "-", "－", "/", "*", "无", "——", "N/A", "n/a"}


COLUMNS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施", "佐证材料")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "date") and hasattr(value, "year"):  # a date typed into Excel
        return str(value.date() if hasattr(value, "hour") else value)
    text = str(value).strip()
    return None if text in PLACEHOLDERS else text


def _open(path: Path) -> Workbook:
    try:
        wb = load_workbook(path, data_only=True)
        remember_input(path)
        return wb
    except FileNotFoundError:
        raise ReadError(f"file not found: {path}", Location(str(path))) from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ReadError(f"cannot read {path} as an Excel workbook: {exc}", Location(str(path))) from None


def is_form(path: Path) -> bool:
    """Whether a workbook is an actuals form (`evalengine init -o x.xlsx` writes one): it has a 设置 sheet."""
    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # not a workbook at all: reading it properly will say so
        return True
    try:
        return SETTINGS in wb.sheetnames
    finally:
        wb.close()


def read_xlsx_actuals(path: Path, targets: str | None = None, rules: str | None = None) -> Document:
    """A filled 自评表 workbook as an actuals document, every value located by sheet and cell."""
    wb = _open(path)
    doc = Document({}, str(path))
    data: dict[str, Any] = {}
    if SETTINGS in wb.sheetnames:
        for row in wb[SETTINGS].iter_rows(min_row=1, max_col=2):
            key, value = _text(row[0].value), _text(row[1].value)
            if key in ("targets", "rules", "year") and value:
                data[key] = value
                doc.cells[(key,)] = f"{SETTINGS}!{row[1].coordinate}"
    if targets:
        data["targets"] = targets
    if rules:
        data["rules"] = rules
    projects: list[dict[str, Any]] = []
    for ws in wb.worksheets:
        if ws.title == SETTINGS:
            continue
        if _text(ws["A1"].value) != "项目编码":
            raise InputError(
                f"sheet {ws.title!r} is not a 自评表 sheet (A1 should read 项目编码)",
                Location(str(path), cell=f"{ws.title}!A1"),
            )
        i = len(projects)
        here: KeyPath = ("projects", i)
        project: dict[str, Any] = {"code": _text(ws["B1"].value) or ""}
        doc.cells[(*here, "code")] = f"{ws.title}!B1"
        doc.cells[here] = f"{ws.title}!A1"
        execution: dict[str, Any] = {}
        if _text(ws["E2"].value) is not None:
            execution["spent"] = _text(ws["E2"].value)
            doc.cells[(*here, "execution", "spent")] = f"{ws.title}!E2"
        if _text(ws["G2"].value) is not None:
            execution["explanation"] = _text(ws["G2"].value)
            doc.cells[(*here, "execution", "explanation")] = f"{ws.title}!G2"
        project["execution"] = execution
        if _text(ws["A3"].value) == "实际完成情况" and _text(ws["B3"].value) is not None:
            project["summary"] = _text(ws["B3"].value)
            doc.cells[(*here, "summary")] = f"{ws.title}!B3"
        indicators: dict[str, Any] = {}
        for row in ws.iter_rows(min_row=5, max_col=7):
            name = _text(row[2].value)
            if name is None:
                continue
            actual, explanation, evidence = (_text(c.value) for c in row[4:7])
            if isinstance(row[4].value, (int, float)) and "%" in (row[4].number_format or ""):
                # 96% typed into Excel is stored as 0.96 shown as a percentage: read what the evaluator saw
                actual = f"{plain(to_decimal(repr(row[4].value)) * 100)}%"
            entry: dict[str, Any] = {}
            if actual is not None:
                entry["value"] = actual
            if explanation:
                entry["explanation"] = explanation
            if evidence:
                entry["evidence"] = [e.strip() for e in re.split(r"[,，;；、\n]", evidence) if e.strip()]
            indicators[name] = entry or None
            doc.cells[(*here, "indicators", name)] = f"{ws.title}!E{row[0].row}"
        project["indicators"] = indicators
        projects.append(project)
    data["projects"] = projects
    doc.data = data
    return doc


def _merged_values(ws: Worksheet) -> dict[tuple[int, int], Any]:
    """Every cell of a merged range carries the value of its top-left cell."""
    out: dict[tuple[int, int], Any] = {}
    for rng in ws.merged_cells.ranges:
        value = ws.cell(row=rng.min_row, column=rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                out[(r, c)] = value
    return out


def display(cell: Any) -> str | None:
    """A cell's text as Excel shows it: 5 formatted 0.00 is 5.00, 0.3 formatted 0% is 30%, text as typed."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        text = _text(value) if not isinstance(value, str) else value.strip()
        return text if text else None
    number = to_decimal(repr(value))
    fmt = cell.number_format or "General"
    if fmt.endswith("%"):
        number *= 100
    places = re.search(r"0\.(0+)", fmt)
    text = f"{number:.{len(places.group(1))}f}" if places else plain(number)
    return text + ("%" if fmt.endswith("%") else "")


def workbook_grids(path: Path) -> tuple[list[str], Callable[[list[str]], list[Grid]]]:
    """A workbook's sheet names, and its sheets as grids of what each cell shows (merged cells repeated)."""

    wb = _open(path)

    def grids(names: list[str]) -> list[Grid]:
        out = []
        for name in names:
            ws = wb[name]
            merged: dict[tuple[int, int], str | None] = {}
            for rng in ws.merged_cells.ranges:
                top = display(ws.cell(row=rng.min_row, column=rng.min_col))
                for r in range(rng.min_row, rng.max_row + 1):
                    for c in range(rng.min_col, rng.max_col + 1):
                        merged[(r, c)] = top
            width = ws.max_column + 1
            rows = [
                [merged[(r, c)] if (r, c) in merged else display(ws.cell(row=r, column=c)) for c in range(1, width)]
                for r in range(1, ws.max_row + 1)
            ]
            out.append(Grid(name, rows, _namer(name)))
        return out

    return list(wb.sheetnames), grids


def _namer(sheet: str) -> Callable[[int, int], str]:
    from openpyxl.utils import get_column_letter

    return lambda r, c: f"{sheet}!{get_column_letter(c + 1)}{r + 1}"
