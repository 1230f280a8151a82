"""Forms for evaluators: actuals skeletons to fill (`evalengine init`) in YAML or Excel."""

from __future__ import annotations

import json
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from evalengine.inputs.targets import TargetsFile
from evalengine.language.predicates import percent_bounds
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
        f"# 实际完成情况 for {_c(targets_ref)}: write each actual after its colon (96%, 12000元, 2024-12-20, 达成 …).",
        "# Or a mapping: {value: …, explanation: 偏差原因, evidence: [佐证材料]}; 不适用 if not applicable.",
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
