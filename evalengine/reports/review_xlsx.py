"""The review (绩效目标审核意见) as an Excel workbook: a 审核结论 sheet, the findings by category, and
every finding with its place in the table, ready to filter and send back to the department."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from evalengine.reports.review import REVIEW_SEVERITY_ZH, VERDICT_ZH
from evalengine.reports.xlsx import _line, _print_on_a4, _row
from evalengine.sources.xlsx import finish

FILLS = {"return": "F8B4B4", "confirm": "FAE3A0", "pass": "B7E4C7"}


def review_workbook_bytes(report: dict[str, Any]) -> bytes:
    """审核结论 (one row a project), 问题分类 (counts by check) and 问题清单 (every finding, located)."""
    s = report["summary"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "审核结论"
    year = f"{report['year']}年度" if report["year"] else ""
    title = f"{'、'.join(report['departments']) or '项目'} {year}项目绩效目标审核意见"
    heads = [
        "项目编码",
        "项目名称",
        "预算数（万元）",
        "指标数",
        "定量指标占比（%）",
        "错误",
        "提示",
        "关注",
        "审核意见",
    ]
    last = len(heads)
    _row(ws, 1, [title] + [""] * (last - 1), head=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    _row(ws, 2, heads, head=True)
    r = 2
    for r, p in enumerate(report["projects"], start=3):
        share = p["quantified_share"]
        _row(
            ws,
            r,
            [
                p["code"],
                p["name"],
                p["budget"] or "",
                p["indicators"],
                share or "",
                p["counts"]["error"],
                p["counts"]["warning"],
                p["counts"]["notice"],
                VERDICT_ZH[p["verdict"]],
            ],
        )
        ws.cell(row=r, column=last).fill = PatternFill("solid", fgColor=FILLS[p["verdict"]])
    r += 2
    verdicts = "，".join(f"{VERDICT_ZH[v]} {n} 个" for v, n in s["verdicts"].items())
    found = "，".join(f"{REVIEW_SEVERITY_ZH[sev]} {n} 条" for sev, n in s["findings"].items())
    share = f"{s['quantified_share']}%" if s["quantified_share"] else "—"
    for label, text in (
        ("审核规则", f"{report['rules_title']}（{report['rules']}）"),
        ("合计", f"项目 {s['projects']} 个，指标 {s['indicators']} 个，其中定量指标 {s['quantified']} 个（{share}）"),
        ("审核意见", verdicts),
        ("问题", found),
    ):
        _line(ws, r, label, text, last)
        r += 1
    kinds = wb.create_sheet("问题分类")
    _row(kinds, 1, ["问题", "代码", "级别", "条数"], head=True)
    for r, c in enumerate(s["by_code"], start=2):
        _row(kinds, r, [c["title"], c["code"], REVIEW_SEVERITY_ZH[c["severity"]], c["count"]])
    items = wb.create_sheet("问题清单")
    _row(items, 1, ["级别", "项目编码", "项目名称", "指标", "问题", "代码", "位置"], head=True)
    r = 1
    for p in report["projects"]:
        for f in p["findings"]:
            r += 1
            where = f["location"]
            place = where["cell"] or (f"第 {where['line']} 行" if where["line"] else "") or where["path"] or ""
            _row(
                items,
                r,
                [
                    REVIEW_SEVERITY_ZH[f["severity"]],
                    p["code"],
                    p["name"],
                    f["indicator"] or "",
                    f["message"],
                    f["code"],
                    place,
                ],
            )
    for t in report["tables"]:
        for f in t["findings"]:
            r += 1
            _row(items, r, [REVIEW_SEVERITY_ZH[f["severity"]], "", t["file"], "", f["message"], f["code"], ""])
    for sheet, widths in (
        (ws, (24, 34, 12, 8, 12, 6, 6, 6, 10)),
        (kinds, (26, 26, 8, 8)),
        (items, (6, 24, 30, 24, 60, 22, 24)),
    ):
        for col, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = width
        _print_on_a4(sheet)
    return finish(wb)
