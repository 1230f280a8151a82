"""Forms for evaluators: actuals skeletons to fill (`evalengine init`), the filled Excel form read
back as an actuals document, and Excel target tables imported as a targets file.

A filled form becomes the same data an actuals YAML file holds, each value remembering its sheet
and cell, so it passes through the same validation and its errors name the cell.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .documents import TargetsFile
from .errors import InputError, Location, ReadError
from .importer import Imported
from .numbers import plain, to_decimal
from .predicates import Qualitative, Reference, Trend
from .sources import Document, KeyPath

SETTINGS = "设置"
TIER_CHOICES = "达成,部分达成,未达成,不适用"
PLACEHOLDERS = {"", "—", "-", "－", "/", "*", "无", "——", "N/A", "n/a"}
HEAD = PatternFill("solid", fgColor="DDE6F0")
FILL = PatternFill("solid", fgColor="FFF7D6")
COLUMNS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施", "佐证材料")


def _q(text: Any) -> str:
    return json.dumps(str(text), ensure_ascii=False)


# ---- init: YAML --------------------------------------------------------------------------------


def init_yaml(targets: TargetsFile, targets_ref: str, rules: str, year: int | None) -> str:
    """An actuals file to fill: every project and indicator, each target shown as a comment."""
    out = [
        f"# 实际完成情况 for {targets_ref}: write each actual after its colon (96%, 12000元, 2024-12-20, 达成 …).",
        "# Or a mapping: {value: …, explanation: 偏差原因, evidence: [佐证材料]}; 不适用 if not applicable.",
        f"targets: {_q(targets_ref)}",
        f"rules: {rules}",
    ]
    if year or targets.year:
        out.append(f"year: {year or targets.year}")
    out.append("projects:")
    for p in targets.projects:
        out.append(f"  - code: {_q(p.code)}   # {p.name}，预算数{p.budget}万元")
        out.append("    execution: {spent: }   # 全年执行数，万元")
        out.append("    indicators:")
        for ind in p.indicators:
            out.append(f"      {_q(ind.name)}:    # {ind.target}  ({ind.level1}/{ind.level2})")
    return "\n".join(out) + "\n"


# ---- init: Excel -------------------------------------------------------------------------------


def _sheet_title(n: int, name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", f"{n}.{name}")[:31]
    title, k = base, 2
    while title in used:
        title, k = f"{base[:28]}~{k}", k + 1
    used.add(title)
    return title


def init_xlsx(targets: TargetsFile, targets_ref: str, rules: str, year: int | None) -> bytes:
    """The 自评表 as a workbook to fill: targets in place, yellow cells to fill, tier drop-downs."""
    wb = Workbook()
    settings = wb.active
    assert settings is not None
    settings.title = SETTINGS
    for row, (key, value, note) in enumerate(
        [
            ("targets", targets_ref, "绩效目标表文件（相对本工作簿所在文件夹）"),
            ("rules", rules, "评分规则"),
            ("year", year or targets.year or "", "预算年度"),
        ],
        start=1,
    ):
        settings.cell(row=row, column=1, value=key).font = Font(bold=True)
        settings.cell(row=row, column=2, value=value)
        settings.cell(row=row, column=3, value=note)
    settings.column_dimensions["B"].width = 30
    used = {SETTINGS}
    for n, p in enumerate(targets.projects, start=1):
        ws = wb.create_sheet(_sheet_title(n, p.name, used))
        ws.cell(row=1, column=1, value="项目编码").font = Font(bold=True)
        ws.cell(row=1, column=2, value=p.code)
        ws.cell(row=1, column=4, value="项目名称").font = Font(bold=True)
        ws.cell(row=1, column=5, value=p.name)
        ws.cell(row=2, column=1, value="预算数（万元）").font = Font(bold=True)
        ws.cell(row=2, column=2, value=str(p.budget))
        ws.cell(row=2, column=4, value="全年执行数（万元）").font = Font(bold=True)
        ws.cell(row=2, column=5).fill = FILL
        ws.cell(row=2, column=6, value="执行情况说明").font = Font(bold=True)
        ws.cell(row=2, column=7).fill = FILL
        for col, title in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=4, column=col, value=title)
            cell.font, cell.fill = Font(bold=True), HEAD
        tiers = DataValidation(type="list", formula1=f'"{TIER_CHOICES}"', allow_blank=True)
        ws.add_data_validation(tiers)
        for r, ind in enumerate(p.indicators, start=5):
            for col, value in enumerate((ind.level1, ind.level2, ind.name, ind.target), start=1):
                ws.cell(row=r, column=col, value=value)
            for col in (5, 6, 7):
                ws.cell(row=r, column=col).fill = FILL
            if isinstance(ind.predicate, (Qualitative, Reference, Trend)):
                tiers.add(f"E{r}")
        for col, width in enumerate((12, 16, 26, 16, 16, 36, 20), start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        for row in ws.iter_rows(min_row=4, max_row=4 + len(p.indicators)):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---- a filled form, read back ---------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "date") and hasattr(value, "year"):  # a date typed into Excel
        return str(value.date() if hasattr(value, "hour") else value)
    text = str(value).strip()
    return None if text in PLACEHOLDERS else text


def _open(path: Path) -> Workbook:
    try:
        return load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise ReadError(f"file not found: {path}", Location(str(path))) from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ReadError(f"cannot read {path} as an Excel workbook: {exc}", Location(str(path))) from None


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
        project["execution"] = execution
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


# ---- Excel target tables, imported ----------------------------------------------------------------

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


def _merged_values(ws: Worksheet) -> dict[tuple[int, int], Any]:
    """Every cell of a merged range carries the value of its top-left cell."""
    out: dict[tuple[int, int], Any] = {}
    for rng in ws.merged_cells.ranges:
        value = ws.cell(row=rng.min_row, column=rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                out[(r, c)] = value
    return out


def import_xlsx(path: Path) -> Imported:
    """Excel target tables, one project a sheet: a header block (项目名称, 项目编码, 预算数 …) and the
    indicator table under a row naming its columns (一级指标 / 二级指标 / 三级指标 / 指标值 …)."""
    wb = _open(path)
    result = Imported({"unit": "万元", "projects": []})
    for ws in wb.worksheets:
        merged = _merged_values(ws)

        def value(r: int, c: int, ws: Worksheet = ws, merged: dict[tuple[int, int], Any] = merged) -> str | None:
            return _text(merged.get((r, c), ws.cell(row=r, column=c).value))

        project: dict[str, Any] = {}
        header_row, columns = None, {}
        for r in range(1, ws.max_row + 1):
            cells = [value(r, c) for c in range(1, ws.max_column + 1)]
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
        if header_row is None:
            result.warnings.append(
                f"{path.name} [{ws.title}]: no indicator table (a row naming 一级指标, 三级指标, 指标值)"
            )
            continue
        rows: list[dict[str, Any]] = []
        level1 = level2 = ""
        for r in range(header_row + 1, ws.max_row + 1):
            cell = {k: value(r, c) for k, c in columns.items()}
            if not any(cell.values()):
                continue
            level1 = cell.get("level1") or level1
            level2 = cell.get("level2") or level2
            where = f"{path.name} [{ws.title}!{get_column_letter(columns['target'])}{r}]"
            if not cell.get("name"):
                result.warnings.append(
                    f"{where}: a row without 三级指标, not placed: {[v for v in cell.values() if v]}"
                )
                continue
            if not cell.get("target"):
                result.warnings.append(f"{where}: {cell['name']} has no 指标值")
                continue
            row = {
                "level1": level1,
                "level2": level2,
                "name": cell["name"],
                "description": cell.get("description") or "",
                "target": cell["target"],
                "basis": cell.get("basis") or "",
            }
            if cell.get("weight"):
                row["weight"] = cell["weight"]
            rows.append(row)
        if not project.get("code") or not project.get("name"):
            result.warnings.append(f"{path.name} [{ws.title}]: the header block has no 项目编码 or 项目名称")
            continue
        budget = project.get("budget") or "0"
        result.data["projects"].append(
            {
                "code": project["code"],
                "name": project["name"],
                "budget": {
                    "total": budget,
                    "fiscal": project.get("fiscal") or budget,
                    "other": project.get("other") or "0",
                },
                "indicators": rows,
            }
        )
    return result
