"""A published 自评表 read for auditing through a mapping: a filled official layout (mof-2020: the
项目资金 block, the indicator rows, the 总分 row) in a workbook or a Word document, each value located
by its cell (sheet!B7, or table 1 row 10, column 6)."""

from __future__ import annotations

import re
from typing import Any

from evalengine.errors import KeyPath
from evalengine.sources.documents import Document
from evalengine.sources.filled import groups
from evalengine.sources.mapped import Grid, read_tables
from evalengine.sources.mapping import Mapping

_YEAR = re.compile(r"(\d{4})\s*年度")


# project field -> the key of an audit table's budget (the 资金 row)
BUDGET = {
    "initial_budget": "initial",
    "budget": "adjusted",
    "spent": "spent",
    "execution_rate": "rate",
    "execution_weight": "weight",
    "execution_score": "score",
    "execution_explanation": "explanation",
}


ROW = ("level1", "level2", "name", "description", "target", "basis", "weight", "direction", "operator", "value")
ROW_MORE = ("unit", "actual", "score", "explanation", "evidence")


def read_mapped(grids: list[Grid], mapping: Mapping, file: str, texts: list[str] | None = None) -> Document:
    """Every project table of `grids` as a table of an audit file (project, code, department, budget,
    indicators, total), and the year printed anywhere (（2024年度）)."""
    tables: list[dict[str, Any]] = []
    cells: dict[KeyPath, str] = {}
    year = None
    for text in [*(texts or []), *(t for g in grids for row in g.rows for t in row if t)]:
        if m := _YEAR.search(text):
            year = m.group(1)
            break
    for grid in grids:
        for table in read_tables(grid, mapping):
            for fields, where, rows in groups(table):
                at: KeyPath = ("tables", len(tables))
                cells[at] = where.get("project") or where.get("code") or table.where
                data: dict[str, Any] = {}
                for f in ("project", "code", "department"):
                    if fields.get(f):
                        data[f] = fields[f]
                        cells[(*at, f)] = where[f]
                if mapping.unit == "元":
                    data["unit"] = "元"
                budget: dict[str, Any] = {}
                for f, key in BUDGET.items():
                    if fields.get(f):
                        budget[key] = fields[f]
                        cells[(*at, "budget", key)] = where[f]
                if budget:
                    data["budget"] = budget
                indicators: list[dict[str, Any]] = []
                for row in rows:
                    values = {k: v for k, v in row.values.items() if v and k in (*ROW, *ROW_MORE)}
                    if row.values.get("adjusted_target"):
                        values["target"] = row.values["adjusted_target"]
                    if not values.get("name") and not values.get("score"):
                        continue
                    here: KeyPath = (*at, "indicators", len(indicators))
                    cells[here] = row.cells.get("name", row.where)
                    for key in values:
                        cells[(*here, key)] = row.cells.get(key, row.where)
                    indicators.append(values)
                data["indicators"] = indicators
                if table.total is not None and table.total.values.get("score"):
                    data["total"] = table.total.values["score"]
                    cells[(*at, "total")] = table.total.cells["score"]
                tables.append(data)
    out: dict[str, Any] = {"tables": tables}
    if year:
        out["year"] = year
    return Document(out, file, cells=cells)
