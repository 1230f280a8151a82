"""Target tables read through a mapping (a province's Excel, a Word or PDF table) into a targets file.

Every project field and indicator row the mapping finds is placed; every row or cell that cannot be
placed is a located warning, and the rest is still imported.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from evalengine.authoring.import_text import Imported, no_name, no_target
from evalengine.errors import KeyPath, Location
from evalengine.i18n import _
from evalengine.numbers import to_decimal
from evalengine.sources.mapped import Row, Table, choose_mapping, read_tables
from evalengine.sources.mapping import Mapping, builtin_mappings, load_mapping
from evalengine.text import nfkc

GOAL = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[.．、]\s*(.+)$")


PLAN_PAIR = re.compile(r"([^:：；;,，\s]+)\s*[:：]\s*([\d.]+\s*[%％])")


DIRECTION_WORDS = ("正向", "反向", "正向指标", "反向指标", "forward", "reverse")


KIND_WORDS = ("定量", "定性", "定量指标", "定性指标")


def sheets_to_read(names: list[str], mapping: Mapping) -> tuple[list[str], list[str]]:
    """The sheets `mapping` reads, and those it passes over."""
    read, passed = [], []
    for name in names:
        if any(fnmatchcase(name, p) for p in mapping.skip_sheets) or not any(
            fnmatchcase(name, p) for p in mapping.sheets
        ):
            passed.append(name)
        else:
            read.append(name)
    return read, passed


def builtin_candidates() -> list[Mapping]:
    return [load_mapping(name) for name in builtin_mappings()]


def import_tables(
    tables: list[Table], mapping: Mapping, file: str, result: Imported, *, keep_empty: bool = False
) -> list[dict[str, Any]]:
    """Projects from mapped tables: a table a project, or a flat list grouped by its 项目编码 column.

    They are located as the projects that follow those already in `result.data["projects"]`."""
    projects: list[dict[str, Any]] = []
    first = len(result.data.get("projects") or [])
    for table in tables:
        for note in table.notes:
            result.notes.append(f"{Path(file).name} {note}")
        if "code" in table.columns or "project" in table.columns:
            groups: dict[str, list[Row]] = {}
            for row in table.rows:
                key = row.values.get("code") or row.values.get("project") or ""
                if not key and groups:
                    key = list(groups)[-1]  # a code merged down over its project's rows
                groups.setdefault(key, []).append(row)
            for rows in groups.values():
                fields = dict(table.fields)
                cells = dict(table.cells)
                for f in (
                    "code",
                    "project",
                    "department",
                    "budget",
                    "fiscal",
                    "other",
                    "purpose",
                    "goals",
                    "spending_plan",
                ):
                    for row in rows:
                        if row.values.get(f):
                            fields[f], cells[f] = row.values[f], row.cells[f]
                            break
                _project(fields, cells, rows, table, mapping, file, result, projects, keep_empty, first)
        else:
            fields, cells = dict(table.fields), dict(table.cells)
            _project(fields, cells, table.rows, table, mapping, file, result, projects, keep_empty, first)
    return projects


def _loc(file: str, cell: str) -> Location:
    return Location(file, cell=cell)


def _project(
    fields: dict[str, str],
    cells: dict[str, str],
    rows: list[Row],
    table: Table,
    mapping: Mapping,
    file: str,
    result: Imported,
    projects: list[dict[str, Any]],
    keep_empty: bool,
    first: int = 0,
) -> None:
    name = Path(file).name
    at: KeyPath = ("projects", first + len(projects))
    where = table.where
    located: dict[KeyPath, Location] = {at: _loc(file, cells.get("code") or cells.get("project") or where)}
    if fields.get("department"):
        code_name = re.match(r"^[\[【(（]?(\d{3,})[\]】)）]?\s*(.+)$", fields["department"])
        department = (
            {"code": code_name.group(1), "name": code_name.group(2)} if code_name else {"name": fields["department"]}
        )
        result.data.setdefault("department", department)
    code = fields.get("code", "")
    title = fields.get("project", "")
    if not code and title and not keep_empty:
        code = title
        result.warnings.append(
            _(
                "{where}: no 项目编码; the 项目名称 {title} stands as the code",
                where=f"{name} [{cells.get('project', where)}]",
                title=title,
            )
        )
    if not code and not keep_empty:
        result.warnings.append(
            _(
                "{where}: a table without 项目编码 or 项目名称, not placed ({n} rows)",
                where=f"{name} [{where}]",
                n=len(rows),
            )
        )
        return
    project: dict[str, Any] = {"code": code, "name": title}
    for f in ("code", "project"):
        if f in cells:
            located[(*at, "name" if f == "project" else "code")] = _loc(file, cells[f])
    budget = _money(fields, cells, "budget", name, result) or ("" if keep_empty else "0")
    if "budget" not in fields and not keep_empty:
        result.warnings.append(
            _("{where}: {project}: no 预算数 found; written as 0", where=f"{name} [{where}]", project=title or code)
        )
    project["budget"] = {
        "total": budget,
        "fiscal": _money(fields, cells, "fiscal", name, result) or budget,
        "other": _money(fields, cells, "other", name, result) or "0",
    }
    for f, key in (("budget", "total"), ("fiscal", "fiscal"), ("other", "other")):
        if f in cells:
            located[(*at, "budget", key)] = _loc(file, cells[f])
    if "budget" in cells:
        located[(*at, "budget")] = _loc(file, cells["budget"])
    if fields.get("purpose"):
        project["purpose"] = fields["purpose"]
    if fields.get("spending_plan"):
        plan = dict(PLAN_PAIR.findall(fields["spending_plan"]))
        if plan:
            project["spending_plan"] = plan
        else:
            result.warnings.append(
                _(
                    "{where}: 资金支出计划 does not read as checkpoints and shares: {text}",
                    where=f"{name} [{cells['spending_plan']}]",
                    text=fields["spending_plan"],
                )
            )
    if fields.get("goals"):
        project["goals"] = _goals(fields["goals"])
    indicators: list[dict[str, Any]] = []
    for row in rows:
        read = _row(row, mapping, name, result, keep_empty)
        if read is None:
            continue
        row_at: KeyPath = (*at, "indicators", len(indicators))
        located[row_at] = _loc(file, row.cells.get("name", row.where))
        for key, cell in row.cells.items():
            located[(*row_at, key)] = _loc(file, cell)
        indicators.append(read)
    if not indicators and not keep_empty:
        result.warnings.append(
            _(
                "{where}: {project}: no indicator row could be read; not placed",
                where=f"{name} [{where}]",
                project=title or code,
            )
        )
        return
    project["indicators"] = indicators
    result.where.update(located)
    projects.append(project)


def _money(fields: dict[str, str], cells: dict[str, str], f: str, name: str, result: Imported) -> str:
    text = fields.get(f, "")
    if not text:
        return ""
    amount = nfkc(text).replace(",", "").strip().removesuffix("万元").strip()
    try:
        to_decimal(amount)
    except ValueError:
        result.warnings.append(
            _(
                "{where}: {key}: {text!r} is not an amount; written as it is",
                where=f"{name} [{cells[f]}]",
                key=f,
                text=text,
            )
        )
        return text
    return amount


def _goals(text: str) -> list[str]:
    """Numbered lines (1.… 2.…) are separate goals; a line without a number continues the one before."""
    goals: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        numbered = GOAL.match(line)
        if numbered:
            goals.append(numbered.group(1).strip())
        elif goals:
            goals[-1] += line
        else:
            goals.append(line)
    return goals


def _row(row: Row, mapping: Mapping, name: str, result: Imported, keep_empty: bool) -> dict[str, Any] | None:
    v = row.values
    where = row.cells.get("target") or row.cells.get("value") or row.where
    target = v.get("target", "")
    operator = v.get("operator", "")
    direction = v.get("direction", "")
    if operator in DIRECTION_WORDS:  # 指标性质 printed as 正向 / 反向
        direction, operator = direction or operator, ""
    elif operator in KIND_WORDS:  # 指标性质 printed as 定量 / 定性: says nothing of the target
        operator = ""
    if not target and (v.get("value") or operator):
        target = f"{operator}{v.get('value', '')}{v.get('unit', '')}".strip()
    if v.get("adjusted_target"):
        at = f"{name} [{row.cells['adjusted_target']}]"
        adjusted = v["adjusted_target"]
        result.notes.append(
            _(
                "{where}: {name}: the adjusted target {adjusted} is scored (the table's 指标值 was {target})",
                where=at,
                name=v.get("name", ""),
                adjusted=adjusted,
                target=target,
            )
            if target
            else _(
                "{where}: {name}: the adjusted target {adjusted} is scored (the table's 指标值 was empty)",
                where=at,
                name=v.get("name", ""),
                adjusted=adjusted,
            )
        )
        target = v["adjusted_target"]
    mapped = [x for x in v.values() if x]
    if not keep_empty:
        if not v.get("name"):
            if mapped or row.texts:
                result.warnings.append(no_name(f"{name} [{row.where}]", row.texts))
            return None
        if not target:
            result.warnings.append(no_target(f"{name} [{where}]", v["name"]))
            return None
    out: dict[str, Any] = {
        "level1": v.get("level1", ""),
        "level2": v.get("level2", ""),
        "name": v.get("name", ""),
        "description": v.get("description", ""),
        "target": target,
        "basis": v.get("basis", ""),
    }
    if v.get("weight"):
        out["weight"] = v["weight"]
    if direction:
        out["direction"] = direction
    return out


def import_workbook(path: Path, mapping: Mapping | None = None, keep_empty: bool = False) -> Imported | None:
    """An Excel 绩效目标表 through `mapping`, or through the built-in mapping whose headers match best.

    Without a mapping and with none matching, None: the caller reads evalengine's own layout.
    """
    from evalengine.sources.workbook import workbook_grids

    names, grids_of = workbook_grids(path)
    result = Imported({"unit": "万元", "projects": []})
    if mapping is None:
        everything = grids_of(names)
        chosen, found = choose_mapping(everything, builtin_candidates())
        if chosen is None:
            return None
        from evalengine.authoring.import_xlsx import own_layout_fields

        if len(found) <= own_layout_fields(everything):
            return None  # evalengine's own layout reads it at least as well: keep reading it that way
        mapping = chosen
        result.notes.append(
            _(
                "read with the built-in mapping {mapping} ({title}): found {fields}",
                mapping=mapping.name,
                title=mapping.title,
                fields=", ".join(found),
            )
        )
    read, passed = sheets_to_read(names, mapping)
    for sheet in passed:
        result.notes.append(
            _(
                "{where}: sheet not read (the mapping {mapping} reads {sheets})",
                where=f"{path.name} [{sheet}]",
                mapping=mapping.name,
                sheets=", ".join(mapping.sheets),
            )
        )
    for grid in grids_of(read):
        tables = read_tables(grid, mapping)
        if not tables:
            headers = ", ".join(mapping.written.get(f, f) for f in ("name", "target") if f in mapping.written)
            result.warnings.append(
                _(
                    "{where}: no indicator table (no header row naming {names})",
                    where=f"{path.name} [{grid.name}]",
                    names=headers,
                )
            )
            result.tableless += 1
            continue
        result.data["projects"] += import_tables(tables, mapping, str(path), result, keep_empty=keep_empty)
    if mapping.unit == "元":
        result.data["unit"] = "元"
    return result
