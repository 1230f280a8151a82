"""Read an Excel 绩效目标表 (one project per sheet, columns named in a header row) into a targets file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from evalengine.authoring.import_text import Imported, no_name, no_target
from evalengine.errors import KeyPath, Location
from evalengine.i18n import _
from evalengine.sources.mapped import Grid
from evalengine.sources.workbook import (
    _merged_values,
    _open,
    _text,
    used_cells,
)

_HEADER = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "绩效指标描述": "description",
    "指标描述": "description",
    "指标值": "target",
    "年度指标值": "target",
    "指标值确定依据": "basis",
    "确定依据": "basis",
    "权重": "weight",
    "分值": "weight",
}


_LABELS = {
    "项目名称": "name",
    "项目编码": "code",
    "预算数": "budget",
    "年度预算数": "budget",
    "预算金额": "budget",
    "其中：财政资金": "fiscal",
    "财政资金": "fiscal",
    "其他资金": "other",
}


def import_xlsx(path: Path, keep_empty: bool = False) -> Imported:
    """Excel target tables, one project a sheet: a header block (项目名称, 项目编码, 预算数 …) and the
    indicator table under a row naming its columns (一级指标 / 二级指标 / 三级指标 / 指标值 …).

    With `keep_empty` (for review), rows without 三级指标 or 指标值 are kept with the cell empty, not
    warned about and dropped: reviewing is where they are reported, by cell.
    """
    wb = _open(path)
    result = Imported({"unit": "万元", "projects": []})
    for ws in wb.worksheets:
        used = used_cells(ws, path)  # never the rectangle to max_row × max_column: one far value stretches it
        merged = _merged_values(ws, used)
        last_row = max((r for r, _ in used), default=0)
        last_col = max((c for _, c in used), default=0)

        def value(
            r: int, c: int, used: dict[tuple[int, int], Any] = used, merged: dict[tuple[int, int], Any] = merged
        ) -> str | None:
            return _text(merged.get((r, c), used.get((r, c))))

        project: dict[str, Any] = {}
        at: KeyPath = ("projects", len(result.data["projects"]))
        located: dict[KeyPath, Location] = {at: Location(str(path), cell=f"{ws.title}!A1")}
        header_row, columns = None, {}
        for r in range(1, last_row + 1):
            cells = [value(r, c) for c in range(1, last_col + 1)]
            found = {_HEADER[t]: c + 1 for c, t in enumerate(cells) if t in _HEADER}
            if {"level1", "name", "target"} <= set(found):
                header_row, columns = r, found
                break
            for c, text in enumerate(cells):
                key = _LABELS.get((text or "").replace(" ", ""))
                if key and key not in project:
                    nxt = next((v for v in cells[c + 1 :] if v is not None and v not in _LABELS), None)
                    if nxt is not None:
                        project[key] = nxt
                        money = {"budget": "total", "fiscal": "fiscal", "other": "other"}.get(key)
                        label = Location(str(path), cell=f"{ws.title}!{get_column_letter(c + 1)}{r}")
                        located[(*at, "budget", money) if money else (*at, key)] = label
                        if money == "total":
                            located[(*at, "budget")] = label
        if header_row is None:
            result.warnings.append(
                _(
                    "{where}: no indicator table (a row naming 一级指标, 三级指标, 指标值)",
                    where=f"{path.name} [{ws.title}]",
                )
            )
            result.tableless += 1
            continue
        rows: list[dict[str, Any]] = []
        level1 = level2 = ""
        for r in range(header_row + 1, last_row + 1):
            cell = {k: value(r, c) for k, c in columns.items()}
            if not any(cell.values()):
                continue
            level1 = cell.get("level1") or level1
            level2 = cell.get("level2") or level2
            where = f"{path.name} [{ws.title}!{get_column_letter(columns['target'])}{r}]"
            row_at: KeyPath = (*at, "indicators", len(rows))
            located[row_at] = Location(str(path), cell=f"{ws.title}!{get_column_letter(columns['name'])}{r}")
            for key, c in columns.items():
                located[(*row_at, key)] = Location(str(path), cell=f"{ws.title}!{get_column_letter(c)}{r}")
            if keep_empty:
                pass
            elif not cell.get("name"):
                result.warnings.append(no_name(where, [v for v in cell.values() if v]))
                continue
            elif not cell.get("target"):
                result.warnings.append(no_target(where, cell["name"] or ""))
                continue
            row = {
                "level1": level1,
                "level2": level2,
                "name": cell.get("name") or "",
                "description": cell.get("description") or "",
                "target": cell.get("target") or "",
                "basis": cell.get("basis") or "",
            }
            if cell.get("weight"):
                row["weight"] = cell["weight"] or ""
            rows.append(row)
        if (not project.get("code") or not project.get("name")) and not keep_empty:
            result.warnings.append(
                _("{where}: the header block has no 项目编码 or 项目名称", where=f"{path.name} [{ws.title}]")
            )
            continue
        budget = project.get("budget") or ("" if keep_empty else "0")
        result.where.update(located)
        result.data["projects"].append(
            {
                "code": project.get("code") or "",
                "name": project.get("name") or "",
                "budget": {
                    "total": budget,
                    "fiscal": project.get("fiscal") or budget,
                    "other": project.get("other") or "0",
                },
                "indicators": rows,
            }
        )
    return result


def own_layout_fields(grids: list[Grid]) -> int:
    """How many fields this layout's header row and labels find in the first sheet that has its header:
    a built-in mapping is chosen over it only when it finds more."""
    for grid in grids:
        labels: set[str] = set()
        for row in grid.rows:
            found = {_HEADER[t] for t in row if t in _HEADER}
            if {"level1", "name", "target"} <= found:
                return len(found) + len(labels)
            labels |= {_LABELS[t.replace(" ", "")] for t in row if t and t.replace(" ", "") in _LABELS}
    return 0
