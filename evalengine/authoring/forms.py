"""Forms for evaluators: actuals skeletons to fill (`evalengine init`) in YAML or Excel."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from evalengine.i18n import _
from evalengine.inputs.targets import TargetsFile
from evalengine.language.predicates import percent_bounds
from evalengine.model import Indicator, Project
from evalengine.numbers import plain
from evalengine.sources.mapping import PROJECT_FIELDS, Mapping
from evalengine.sources.workbook import (
    COLUMNS,
    SETTINGS,
    TIER_CHOICES,
)
from evalengine.sources.xlsx import finish

HEAD = PatternFill("solid", fgColor="DDE6F0")


FILL = PatternFill("solid", fgColor="FFF7D6")


# The 实际完成值 cell of a row whose target is a percentage: 96 typed shows as 96.00% (Excel stores 0.96, which
# the reader takes back as 96%); two places, so that 96.5 does not show as 97% while it is read as 96.5%.
PERCENT = "0.00%"


# YAML reads these as line breaks (\x85 \u2028 \u2029) or refuses them; json.dumps leaves them raw
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _q(text: Any) -> str:
    """A double-quoted scalar, readable as JSON and YAML alike, with no raw line break or control character."""
    return _UNSAFE.sub(_escape, json.dumps(str(text), ensure_ascii=False))


def _c(text: Any) -> str:
    """Text inside a `#` comment: a line break in a target's name must not end the comment and start a value."""
    return _UNSAFE.sub(_escape, str(text))


def init_yaml(targets: TargetsFile, targets_ref: str, rules: str, year: int | None) -> str:
    """An actuals file to fill: every project and indicator, each target shown as a comment."""
    out = [
        _(
            "# 实际完成情况 for {targets}: write each actual after its colon (96%, 12000元, 2024-12-20, 达成 …).",
            targets=_c(targets_ref),
        ),
        _(
            "# Or a mapping: {example}; 不适用 if not applicable.",
            example="{value: …, explanation: 偏差原因, evidence: [佐证材料]}",
        ),
        f"targets: {_q(targets_ref)}",
        f"rules: {_q(rules)}",
    ]
    if year or targets.year:
        out.append(f"year: {year or targets.year}")
    out.append("projects:")
    for p in targets.projects:
        out.append(f"  - code: {_q(p.code)}   # {_c(p.name)}，预算数{p.budget}万元")
        out.append("    execution: {spent: }   # 全年执行数，万元")
        goals = " ".join(" ".join(p.goals).split())  # one line: a newline in a goal must not end the comment
        out.append(f"    summary:    # 年度总体目标的实际完成情况；预期目标：{goals}")
        out.append("    indicators:")
        for ind in p.indicators:
            out.append(f"      {_q(ind.name)}:    # {_c(ind.target)}  ({_c(ind.level1)}/{_c(ind.level2)})")
    return "\n".join(out) + "\n"


def init_json(targets: TargetsFile, targets_ref: str, rules: str, year: int | None) -> str:
    """The YAML form's content as JSON (no comments, so no targets shown): for forms filled by programs."""
    form: dict[str, Any] = {"targets": targets_ref, "rules": rules}
    if year or targets.year:
        form["year"] = year or targets.year
    form["projects"] = [
        {"code": p.code, "execution": {"spent": None}, "indicators": {ind.name: None for ind in p.indicators}}
        for p in targets.projects
    ]
    return json.dumps(form, ensure_ascii=False, indent=2) + "\n"


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
        ws.cell(row=3, column=1, value="实际完成情况").font = Font(bold=True)  # 年度总体目标的; read back as summary:
        ws.cell(row=3, column=2).fill = FILL
        ws.cell(row=3, column=2).alignment = Alignment(wrap_text=True, vertical="center")
        ws.merge_cells("B3:G3")
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
            if ind.predicate.tiers != "never":  # a tier may be chosen: offer the drop-down
                tiers.add(f"E{r}")
            if percent_bounds(ind.predicate):
                ws.cell(row=r, column=5).number_format = PERCENT
        for col, width in enumerate((12, 16, 26, 16, 16, 36, 20), start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        for row in ws.iter_rows(min_row=4, max_row=4 + len(p.indicators)):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
    return finish(wb)


# --- a form in a mapping's layout (init --mapping) ---------------------------------------------------

SPLIT_TARGET = re.compile(r"^(≥|≤|>|<|＞|＜|=|≧|≦)?(\d+(?:\.\d+)?)(\D*)$")


SPLIT = ("operator", "value", "unit")


FILLED = ("actual", "explanation", "evidence")  # the indicator cells the evaluator fills


FILLED_PROJECT = ("spent", "summary", "execution_explanation")  # the project's


WIDTHS = {"name": 26, "description": 30, "target": 16, "basis": 20, "actual": 16, "explanation": 36, "evidence": 20}


def split_target(target: str) -> tuple[str, str, str]:
    """≥95% as (≥, 95, %); a target that does not recompose exactly (12月底前) stays whole in 指标值."""
    m = SPLIT_TARGET.match(target)
    if m and "".join(g or "" for g in m.groups()) == target and " " not in target:
        return m.group(1) or "", m.group(2), m.group(3)
    return "", target, ""


def _amount(value: Decimal | None, mapping: Mapping) -> str | None:
    if value is None:
        return None
    return format(value * 10000 if mapping.unit == "元" else value, "f")  # 5.00 stays 5.00


def _project_values(targets: TargetsFile, p: Project, mapping: Mapping) -> dict[str, str | None]:
    return {
        "code": p.code,
        "project": p.name,
        "department": targets.department or None,
        "budget": _amount(p.budget, mapping),
        "fiscal": _amount(p.fiscal if p.fiscal is not None else p.budget, mapping),
        "other": _amount(p.other if p.other is not None else Decimal(0), mapping),
        "purpose": p.purpose or None,
        "spending_plan": "；".join(f"{point.label}:{plain(point.share)}%" for point in p.spending_plan) or None,
        "goals": "\n".join(f"{n}.{g}" for n, g in enumerate(p.goals, start=1)) or None,
    }


def _row_values(ind: Indicator, mapping: Mapping) -> dict[str, str | None]:
    shown = ind.predicate.to_json()
    direction = {"forward": "正向", "reverse": "反向"}.get(str(shown.get("direction", "")))
    values: dict[str, str | None] = {
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "description": ind.description or None,
        "target": ind.target,
        "basis": ind.basis or None,
        "weight": plain(ind.weight) if ind.weight is not None else None,
        "direction": direction,
    }
    if "target" not in mapping.columns and "value" in mapping.columns:
        operator, value, unit = split_target(ind.target)
        values.update(operator=operator or None, value=value, unit=unit or None)
    return values


def _percent(ind: Indicator) -> bool:
    shown = ind.predicate.to_json()
    return shown.get("kind") in ("comparison", "range") and shown.get("unit") == "%"


class _Sheet:
    """A worksheet written top to bottom, every cell placed by (row, column)."""

    def __init__(self, ws: Worksheet, width: int):
        self.ws = ws
        self.width = max(width, 2)
        self.row = 1

    def put(self, row: int, col: int, value: Any, *, bold: bool = False, fill: bool = False) -> Any:
        cell = self.ws.cell(row=row, column=col, value=value)
        if bold:
            cell.font, cell.fill = Font(bold=True), HEAD
        if fill:
            cell.fill = FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        return cell

    def span(self, row: int, first: int, last: int, rows: int = 1) -> None:
        if last > first or rows > 1:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row + rows - 1, end_column=last)


def _labels_block(s: _Sheet, mapping: Mapping, values: dict[str, str | None]) -> None:
    """The project's labelled cells above the table, each where the mapping looks for it."""
    fields = [f for f in mapping.labels if f not in mapping.columns]
    for f in fields:  # right / last: the label, then its value across the rest of the row
        label = mapping.labels[f]
        if label.kind not in ("right", "last"):
            continue
        s.put(s.row, 1, mapping.written[f"label:{f}"], bold=True)
        s.put(s.row, 2, values.get(f), fill=f in FILLED_PROJECT)
        s.span(s.row, 2, s.width)
        s.row += 1
    grid = [f for f in fields if mapping.labels[f].kind == "grid"]
    if grid:  # row labels down column A, column labels along the top: 年度资金总额 × 全年预算数
        rows = list(dict.fromkeys(mapping.written[f"label:{f}"].split("|")[0] for f in grid))
        cols = list(dict.fromkeys(mapping.written[f"label:{f}"].split("|")[1] for f in grid))
        for k, col in enumerate(cols, start=2):
            s.put(s.row, k, col, bold=True)
        for k, row in enumerate(rows, start=1):
            s.put(s.row + k, 1, row, bold=True)
        for f in grid:
            row, col = mapping.written[f"label:{f}"].split("|")
            s.put(s.row + 1 + rows.index(row), 2 + cols.index(col), values.get(f), fill=f in FILLED_PROJECT)
        s.row += 1 + len(rows)
    below = [f for f in fields if mapping.labels[f].kind == "below"]
    if below:  # side by side, each value under its label (预期目标 | 实际完成情况), just above the table
        share = max(s.width // len(below), 1)
        for k, f in enumerate(below):
            first = 1 + k * share
            last = s.width if k == len(below) - 1 else first + share - 1
            s.put(s.row, first, mapping.written[f"label:{f}"], bold=True)
            s.span(s.row, first, last)
            s.put(s.row + 1, first, values.get(f), fill=f in FILLED_PROJECT)
            s.span(s.row + 1, first, last)
        s.row += 2


def _header(s: _Sheet, mapping: Mapping, fields: list[str]) -> None:
    """The header row (rows), each column named by its first alias; a split target grouped under 指标值."""
    depth = mapping.header_rows
    anchors = set(mapping.anchors)
    grouped = depth > 1 and not any(a in anchors for f in SPLIT for a in mapping.columns.get(f, ()))
    group = [k for k, f in enumerate(fields, start=1) if f in SPLIT] if grouped else []
    for k, f in enumerate(fields, start=1):
        if k in group:
            s.put(s.row + depth - 1, k, mapping.written[f], bold=True)
            continue
        s.put(s.row, k, mapping.written[f], bold=True)
        s.span(s.row, k, k, depth)
    if group:
        s.put(s.row, group[0], "指标值", bold=True)
        s.span(s.row, group[0], group[-1], depth - 1)
    s.row += depth


def missing_places(mapping: Mapping) -> list[str]:
    """What the evaluator fills that `mapping` has no place for (a form in its layout leaves it missing)."""
    where = {**mapping.columns, **mapping.labels}
    return [
        what for f, what in (("spent", "全年执行数 (spent)"), ("summary", "实际完成情况 (summary)")) if f not in where
    ]


def init_mapped_xlsx(
    targets: TargetsFile, targets_ref: str, rules: str, year: int | None, mapping: Mapping, mapping_ref: str
) -> bytes:
    """The 自评表 in `mapping`'s layout: the labelled cells above each table, the header its columns name,
    the targets filled in, yellow cells to fill (实际完成值, 偏差原因, 佐证材料, 全年执行数, 实际完成情况),
    percentages formatted as such and drop-downs for tiers; a 设置 sheet names the targets, rules, year
    and the mapping, so that `evalengine score` reads it back through the same mapping."""
    wb = Workbook()
    settings = wb.active
    assert settings is not None
    settings.title = SETTINGS
    for row, (key, value, note) in enumerate(
        [
            ("targets", targets_ref, "绩效目标表文件（相对本工作簿所在文件夹）"),
            ("rules", rules, "评分规则"),
            ("year", year or targets.year or "", "预算年度"),
            ("mapping", mapping_ref, f"表样：{mapping.title}"),
        ],
        start=1,
    ):
        settings.cell(row=row, column=1, value=key).font = Font(bold=True)
        settings.cell(row=row, column=2, value=value)
        settings.cell(row=row, column=3, value=note)
    settings.column_dimensions["B"].width = 30
    flat = "code" in mapping.columns or "project" in mapping.columns
    row_fields = [f for f in mapping.columns if flat or f not in PROJECT_FIELDS]
    shown_year = year or targets.year
    used = {SETTINGS}

    def table(s: _Sheet, projects: list[Project]) -> None:
        tiers = DataValidation(type="list", formula1=f'"{TIER_CHOICES}"', allow_blank=True)
        s.ws.add_data_validation(tiers)
        for p in projects:
            project = _project_values(targets, p, mapping)
            for n, ind in enumerate(p.indicators):
                values = {**project, **_row_values(ind, mapping)} if flat else _row_values(ind, mapping)
                for k, f in enumerate(row_fields, start=1):
                    fill = f in FILLED or (f in FILLED_PROJECT and n == 0)
                    cell = s.put(s.row, k, None if f in FILLED_PROJECT else values.get(f), fill=fill)
                    if f == "actual":
                        if _percent(ind):
                            cell.number_format = "0.00%"
                        if ind.predicate.tiers != "never":
                            tiers.add(cell.coordinate)
                s.row += 1
        for k, f in enumerate(row_fields, start=1):
            s.ws.column_dimensions[get_column_letter(k)].width = WIDTHS.get(f, 12)

    def top(s: _Sheet) -> None:
        s.put(1, 1, mapping.title, bold=True)
        s.span(1, 1, s.width)
        if shown_year:
            s.put(2, 1, f"（{shown_year}年度）")
            s.span(2, 1, s.width)
        s.row = 3

    if flat:
        s = _Sheet(wb.create_sheet("自评表"), len(row_fields))
        top(s)
        _header(s, mapping, row_fields)
        table(s, targets.projects)
    else:
        for n, p in enumerate(targets.projects, start=1):
            s = _Sheet(wb.create_sheet(_sheet_title(n, p.name, used)), len(row_fields))
            top(s)
            _labels_block(s, mapping, _project_values(targets, p, mapping))
            _header(s, mapping, row_fields)
            table(s, [p])
            if "总分" in mapping.stop:
                s.put(s.row, 1, "总分", bold=True)
    return finish(wb)
