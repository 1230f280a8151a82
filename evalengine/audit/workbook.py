"""An Excel 自评表 read for auditing: the workbook `evalengine score` writes, or a filled official layout.

Each sheet holding an indicator table (a row naming 三级指标, 分值 and 得分) is one table; its columns
are found by their headings, the 资金 row under the row naming 全年执行数 / 执行率, the project's name
beside 项目名称, the total on the 总分 row. Numbers are read as the sheet shows them (12.50 in a 0.00
cell has two decimals), so the table's rounding can be inferred as printed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evalengine.errors import KeyPath
from evalengine.i18n import _
from evalengine.sources.documents import Document
from evalengine.sources.workbook import _merged_values, _open, used_cells

_ROW_HEADS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "年度指标值": "target",
    "指标值": "target",
    "实际完成值": "actual",
    "全年实际值": "actual",
    "实际值": "actual",
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
    "偏差原因分析及改进措施": "explanation",
}


_FUND_HEADS = {
    "年初预算数": "initial",
    "全年预算数": "adjusted",
    "调整后预算数": "adjusted",
    "全年执行数": "spent",
    "分值": "weight",
    "执行率": "rate",
    "得分": "score",
}


_LABELS = {"项目名称": "project", "项目编码": "code", "主管部门": "department"}


_YEAR = re.compile(r"(\d{4})\s*年度")


def _head(value: Any) -> str:
    """A heading as printed, without spaces and the unit in brackets: 执行率（%） is 执行率."""
    text = re.sub(r"\s+", "", str(value or ""))
    return re.sub(r"[（(].*?[)）]$", "", text)


def _shown(cell: Cell | MergedCell, value: Any) -> Any:
    """A cell's value as the sheet shows it: numbers as text with the decimals of a 0.00 format."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        if not isinstance(value, bool) and hasattr(value, "year") and hasattr(value, "month"):
            return str(value.date() if hasattr(value, "hour") else value)
        return None if value is None or str(value).strip() == "" else str(value).strip()
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    fmt = str(getattr(cell, "number_format", "") or "")
    match = re.fullmatch(r"0(?:\.(0+))?%?", fmt)
    if match and not fmt.endswith("%"):
        places = len(match.group(1) or "")
        return format(number.quantize(Decimal(1).scaleb(-places)), "f") if places else format(number, "f")
    if fmt.endswith("%"):
        return f"{format(number * 100, 'f')}%"
    return format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")


def read_workbook(path: Path) -> tuple[Document, list[str]]:
    """Every 自评表 sheet of the workbook as a table of an audit file, each value located by its cell."""
    wb = _open(path)
    tables: list[dict[str, Any]] = []
    cells: dict[KeyPath, str] = {}
    notes: list[str] = []
    year: str | None = None
    for ws in wb.worksheets:
        table = _sheet(ws, len(tables), cells, path)
        if table is None:
            notes.append(
                _(
                    "{file} [{sheet}]: no 自评表 here (no row naming 三级指标, 分值 and 得分), passed over",
                    file=path.name,
                    sheet=ws.title,
                )
            )
            continue
        found, data = table
        year = year or found
        tables.append(data)
    out: dict[str, Any] = {"tables": tables}
    if year:
        out["year"] = year
    return Document(out, str(path), cells=cells), notes


def _sheet(ws: Worksheet, n: int, cells: dict[KeyPath, str], path: Path) -> tuple[str | None, dict[str, Any]] | None:
    used = used_cells(ws, path)  # the cells that hold values, within the caps: never the sheet's whole extent
    merged = _merged_values(ws, used)
    at: KeyPath = ("tables", n)

    def raw(r: int, c: int) -> Any:
        return merged.get((r, c), ws.cell(row=r, column=c).value)

    def shown(r: int, c: int) -> Any:
        return _shown(ws.cell(row=r, column=c), raw(r, c))

    def locate(path: KeyPath, r: int, c: int) -> None:
        cells[path] = f"{ws.title}!{get_column_letter(c)}{r}"

    last_col = max((c for _r, c in used), default=0)
    head_row, columns = None, {}
    fund_row, fund_cols = None, {}
    table: dict[str, Any] = {}
    year = None
    locate(at, 1, 1)
    for r in range(1, max((r for r, _c in used), default=0) + 1):
        heads = [_head(raw(r, c)) for c in range(1, last_col + 1)]
        for c in range(1, last_col + 1):
            if year is None and isinstance(raw(r, c), str) and (m := _YEAR.search(raw(r, c))):
                year = m.group(1)
        found = {}
        for c, text in enumerate(heads, start=1):
            key = _ROW_HEADS.get(text) or ("explanation" if text.startswith("偏差原因") else None)
            if key and key not in found:
                found[key] = c
        if {"name", "weight", "score"} <= set(found):
            head_row, columns = r, found
            break
        funds = {}
        for c, text in enumerate(heads, start=1):
            key = _FUND_HEADS.get(text)
            if key and key not in funds:
                funds[key] = c
        if {"weight", "score"} <= set(funds) and ({"spent", "rate"} & set(funds)):
            fund_row, fund_cols = r, funds
            continue
        for c, text in enumerate(heads, start=1):
            label = _LABELS.get(text)
            if label and label not in table:
                value = next(
                    (
                        (shown(r, k), k)
                        for k in range(c + 1, last_col + 1)
                        if shown(r, k) is not None and _head(raw(r, k)) != text
                    ),
                    None,
                )
                if value is not None:
                    table[label] = value[0]
                    locate((*at, label), r, value[1])
    if head_row is None:
        return None
    if fund_row is not None:
        budget: dict[str, Any] = {}
        for r in range(fund_row + 1, head_row):
            values = {key: shown(r, c) for key, c in fund_cols.items()}
            if any(v is not None for k, v in values.items() if k in ("spent", "rate", "score")):
                for key, c in fund_cols.items():
                    if values[key] is not None:
                        budget[key] = values[key]
                        locate((*at, "budget", key), r, c)
                locate((*at, "budget"), r, 1)
                break
        table["budget"] = budget
    rows: list[dict[str, Any]] = []
    for r in range(head_row + 1, max((r for r, _c in used), default=0) + 1):
        first = _head(raw(r, 1))
        if first.startswith("总分") or first.startswith("合计"):
            if "score" in columns:
                table["total"] = shown(r, columns["score"])
                locate((*at, "total"), r, columns["score"])
            break
        row = {key: shown(r, c) for key, c in columns.items()}
        if not any(row.values()):
            continue
        if row.get("name") is None and row.get("score") is None:
            continue
        here: KeyPath = (*at, "indicators", len(rows))
        locate(here, r, columns["name"])
        for key, c in columns.items():
            locate((*here, key), r, c)
        rows.append({key: value for key, value in row.items() if value is not None})
    table["indicators"] = rows
    return year, table


def read_tables_file(path: Path, mapping: str | None = None) -> tuple[Document, list[str]]:
    """A workbook or Word document of 自评表: through `mapping` when given; a workbook by its headings,
    else (no table found so) through the built-in mapping whose headers match; a Word document likewise."""
    from evalengine.audit.mapped import read_mapped
    from evalengine.sources.dispatch import format_of
    from evalengine.sources.filled import best_mapping, docx_tables
    from evalengine.sources.mapping import load_mapping
    from evalengine.sources.workbook import workbook_grids

    texts: list[str] = []
    if format_of(path) == "docx":
        grids, texts = docx_tables(path)
    else:
        if mapping is None:
            doc, notes = read_workbook(path)
            if doc.data["tables"]:
                return doc, notes
        names, grids_of = workbook_grids(path)
        grids = grids_of([n for n in names if n not in ("设置", "说明", "填表说明")])
    chosen = load_mapping(mapping, Path.cwd()) if mapping else best_mapping(grids, need="score")[0]
    if chosen is None:
        return Document({"tables": []}, str(path)), [
            _(
                "{file}: no 自评表 (no row naming 三级指标, 分值 and 得分) and no built-in mapping's layout",
                file=path.name,
            )
        ]
    doc = read_mapped(grids, chosen, str(path), texts)
    return doc, [
        _("{file}: read with the mapping {mapping} ({title})", file=path.name, mapping=chosen.name, title=chosen.title)
    ]
