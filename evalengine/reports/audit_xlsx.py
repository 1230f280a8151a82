"""The audit as an Excel workbook: 复核结论 (one row a table), 问题分类, and 逐行复核 (every row of every
table with its printed and recomputed score, ready to filter on the verdict)."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from evalengine.audit.model import REASONS
from evalengine.reports.audit import MODE_ZH, VERDICT_ZH
from evalengine.reports.xlsx import _line, _print_on_a4, _row
from evalengine.sources.xlsx import finish

FILLS = {"inconsistent": "F8B4B4", "incomplete": "FAE3A0", "unchecked": "FAE3A0", "consistent": "B7E4C7"}


def audit_workbook_bytes(report: dict[str, Any]) -> bytes:
    s = report["summary"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "复核结论"
    heads = ["项目", "项目编码", "文件", "取整", "表中总分", "得分合计", "复算总分", "结论"]
    last = len(heads)
    title = f"{'、'.join(report['departments']) or '项目'} 项目支出绩效自评表复核"
    _row(ws, 1, [title] + [""] * (last - 1), head=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    _row(ws, 2, heads, head=True)
    r = 2
    for r, t in enumerate(report["tables"], start=3):
        total = t["total"]
        rounding = f"{t['rounding']['places']}位小数，{MODE_ZH[t['rounding']['mode']]}"
        _row(
            ws,
            r,
            [
                t["project"],
                t["code"],
                t["file"],
                rounding,
                total["printed"] or "",
                total["sum_of_printed"] or "",
                total["recomputed"] or "",
                VERDICT_ZH[t["verdict"]],
            ],
        )
        ws.cell(row=r, column=last).fill = PatternFill("solid", fgColor=FILLS[t["verdict"]])
    r += 2
    for label, text in (
        ("复核规则", f"{report['rules_title']}（{report['rules']}）"),
        ("自评表", "，".join(f"{VERDICT_ZH[v]} {n} 张" for v, n in s["verdicts"].items())),
        ("各行", "，".join(f"{VERDICT_ZH[v]} {n} 行" for v, n in s["rows"].items())),
    ):
        _line(ws, r, label, text, last)
        r += 1
    kinds = wb.create_sheet("问题分类")
    _row(kinds, 1, ["问题", "代码", "处数"], head=True)
    for r, (code, n) in enumerate(s["reasons"].items(), start=2):
        _row(kinds, r, [REASONS[code], code, n])
    rows = wb.create_sheet("逐行复核")
    heads = ["项目", "指标", "指标值", "实际完成值", "分值", "表中得分", "复算得分", "结论", "问题代码", "说明", "位置"]
    _row(rows, 1, heads, head=True)
    r = 1
    for t in report["tables"]:
        b = t["budget"]
        lines = [("预算执行率", "", b["rate"] or "", b["weight"] or "", b, "")]
        lines += [(x["name"], x["target"], x["actual"], x["weight"] or "", x, x["place"]) for x in t["rows"]]
        lines += [("总分", "", "", t["weights"]["printed"] or "", t["total"], "")]
        for name, target, actual, weight, check, place in lines:
            r += 1
            _row(
                rows,
                r,
                [
                    t["project"],
                    name,
                    target,
                    actual,
                    weight,
                    check["printed"] or "",
                    check["recomputed"] or "",
                    VERDICT_ZH[check["verdict"]],
                    " ".join(check["reasons"]),
                    check["explanation"] or "",
                    place,
                ],
            )
            rows.cell(row=r, column=8).fill = PatternFill("solid", fgColor=FILLS[check["verdict"]])
    for sheet, widths in (
        (ws, (30, 24, 30, 16, 10, 10, 10, 10)),
        (kinds, (30, 22, 8)),
        (rows, (24, 28, 14, 14, 8, 10, 10, 10, 22, 60, 16)),
    ):
        for col, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = width
        _print_on_a4(sheet)
    return finish(wb)
