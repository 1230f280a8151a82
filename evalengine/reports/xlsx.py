"""The report as an Excel workbook: an overview sheet, then one 自评表 sheet per project.

Numbers are written as exact decimals with a 0.00 format, so the spreadsheet's sums reconcile with
the report; merged cells follow the printed 自评表 layout.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

THIN = Side(style="thin", color="808080")


BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


HEAD = PatternFill("solid", fgColor="DDE6F0")


WRAP = Alignment(wrap_text=True, vertical="center")


CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


BOLD = Font(bold=True)


WIDTHS = (12, 14, 22, 14, 14, 9, 9, 36)


def _num(text: str | None) -> Decimal | str:
    return Decimal(text) if text else ""


def _sheet_name(index: int, name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", f"{index}.{name}")[:31]
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base[:28]}~{n}"
        n += 1
    used.add(candidate)
    return candidate


def _row(ws: Worksheet, row: int, values: list[Any], *, head: bool = False, numbers: tuple[int, ...] = ()) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.border = BOX
        cell.alignment = CENTER if head else WRAP
        if head:
            cell.fill, cell.font = HEAD, BOLD
        if col in numbers and isinstance(value, Decimal):
            cell.number_format = "0.00"


def _overview(ws: Worksheet, report: dict[str, Any]) -> None:
    s = report["summary"]
    title = f"{'、'.join(report['departments'])} {report['year'] or ''}年度项目支出绩效自评总览"
    _row(ws, 1, [title, "", "", "", "", "", "", ""], head=True)
    ws.merge_cells("A1:H1")
    _row(
        ws,
        2,
        ["项目编码", "项目名称", "预算数（万元）", "全年执行数（万元）", "执行率（%）", "总分", "等级", "问题数"],
        head=True,
    )
    row = 3
    for p in report["projects"]:
        e = p["execution"]
        _row(
            ws,
            row,
            [
                p["code"],
                p["name"],
                _num(e["budget"]),
                _num(e["spent"]),
                _num(e["rate"]),
                _num(p["total"]),
                p["grade"],
                len(p["findings"]),
            ],
            numbers=(3, 4, 5, 6),
        )
        row += 1
    _row(
        ws,
        row,
        [
            "合计",
            f"{s['projects']}个项目",
            _num(s["budget"]),
            _num(s["spent"]),
            _num(s["rate"]),
            _num(s["average"]),
            "加权平均",
            s["findings"]["error"],
        ],
        numbers=(3, 4, 5, 6),
    )
    row += 2
    ws.cell(row=row, column=1, value="等级分布").font = BOLD
    ws.cell(row=row, column=2, value="，".join(f"{g} {n}个" for g, n in s["grades"].items()))
    ws.cell(row=row + 1, column=1, value="评分规则").font = BOLD
    ws.cell(row=row + 1, column=2, value=f"{report['rules_title']}（{report['rules']}）")
    for col, width in enumerate((24, 36, 14, 16, 12, 10, 10, 10), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A3"
    _print_on_a4(ws)


def _print_on_a4(ws: Worksheet) -> None:
    """Landscape A4, as wide as one page, as long as it needs."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _project(ws: Worksheet, p: dict[str, Any], year: Any) -> None:
    e = p["execution"]
    # write every cell first, merge afterwards: openpyxl makes merged cells read-only
    _row(ws, 1, [f"项目支出绩效自评表（{year or ''}年度）", "", "", "", "", "", "", ""], head=True)
    _row(ws, 2, ["项目名称", p["name"], "", "主管部门", p["department"], "", "实施单位", p["unit"]])
    _row(
        ws,
        3,
        ["资金情况（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率（%）", "得分"],
        head=True,
    )
    _row(
        ws,
        4,
        [
            "",
            "",
            _num(p["budget"]["total"]),
            _num(e["budget"]),
            _num(e["spent"]),
            _num(e["weight"]),
            _num(e["rate"]),
            _num(e["score"]),
        ],
        numbers=(3, 4, 5, 6, 7, 8),
    )
    _row(ws, 5, ["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", ""], head=True)
    _row(ws, 6, ["", "\n".join(p["goals"]), "", "", p["summary"] or "", "", "", ""])
    ws.row_dimensions[6].height = 48
    for cells in ("A1:H1", "B2:C2", "E2:F2", "A3:B4", "A5:A6", "B5:D5", "E5:H5", "B6:D6", "E6:H6"):
        ws.merge_cells(cells)
    _row(
        ws,
        7,
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        head=True,
    )
    row = 8
    start = row
    indicators = p["indicators"]
    for i, ind in enumerate(indicators):
        score: Decimal | str = _num(ind["score"]) if ind["status"] != "na" else "不适用"
        _row(
            ws,
            row,
            [
                ind["level1"],
                ind["level2"],
                ind["name"],
                ind["target"],
                ind["actual"],
                _num(ind["weight"]),
                score,
                ind["explanation"] or "",
            ],
            numbers=(6, 7),
        )
        last = i + 1 == len(indicators) or indicators[i + 1]["level1"] != ind["level1"]
        if last and row > start:
            ws.merge_cells(start_row=start, start_column=1, end_row=row, end_column=1)
        if last:
            start = row + 1
        row += 1
    _row(ws, row, ["总分", "", "", "", "", Decimal(100), _num(p["total"]), f"等级：{p['grade']}"], numbers=(6, 7))
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    ws.cell(row=row, column=7).font = BOLD
    row += 2
    if p["findings"]:
        ws.cell(row=row, column=1, value="问题").font = BOLD
        for f in p["findings"]:
            row += 1
            ws.cell(row=row, column=1, value="错误" if f["severity"] == "error" else "提示")
            ws.cell(row=row, column=2, value=f["message"])
        row += 2
    ws.cell(row=row, column=1, value="评分过程").font = BOLD
    lines = [("预算执行率", e["trace"])] + [(i["name"], i["trace"]) for i in indicators]
    lines += [("总分", n) for n in p["notes"]]
    for name, trace in lines:
        row += 1
        ws.cell(row=row, column=1, value=name)
        ws.cell(row=row, column=2, value=trace)
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    _print_on_a4(ws)


def workbook_bytes(report: dict[str, Any]) -> bytes:
    wb = Workbook()
    overview = wb.active
    assert overview is not None
    overview.title = "总览"
    _overview(overview, report)
    used = {"总览"}
    for index, p in enumerate(report["projects"], start=1):
        _project(wb.create_sheet(_sheet_name(index, p["name"], used)), p, report["year"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def monitor_workbook_bytes(report: dict[str, Any]) -> bytes:
    """The monitoring report: an overview sheet (worst first) and a sheet of every indicator's light."""
    zh = {"red": "红", "yellow": "黄", "green": "绿", "blue": "蓝", None: "—"}
    fills = {"red": "F8B4B4", "yellow": "FAE3A0", "green": "B7E4C7", "blue": "B3D4F5"}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "总览"
    title = f"{'、'.join(report['departments'])} {report['year']}年度绩效运行监控（截至{report['as_of']}）"
    _row(ws, 1, [title] + [""] * 9, head=True)
    ws.merge_cells("A1:J1")
    _row(
        ws,
        2,
        [
            "灯",
            "项目编码",
            "项目名称",
            "预算数（万元）",
            "已支出（万元）",
            "实际进度（%）",
            "计划进度（%）",
            "滞后（百分点）",
            "进度比（%）",
            "计划依据",
        ],
        head=True,
    )
    for r, p in enumerate(report["projects"], start=3):
        m = p["spending"]
        _row(
            ws,
            r,
            [
                zh[p["light"]],
                p["code"],
                p["name"],
                _num(m["budget"]),
                _num(m["spent"]),
                _num(m["actual"]),
                _num(m["planned"]),
                _num(m["lag"]),
                _num(m["ratio"]),
                m["basis"],
            ],
            numbers=(4, 5, 6, 7, 8, 9),
        )
        ws.cell(row=r, column=1).fill = PatternFill("solid", fgColor=fills[p["light"]])
    detail = wb.create_sheet("指标")
    _row(
        detail,
        1,
        ["项目名称", "指标", "年度指标值", "当前值", "应达到", "完成比（%）", "灯", "说明", "偏差原因", "能否完成"],
        head=True,
    )
    r = 2
    for p in report["projects"]:
        for i in p["indicators"]:
            _row(
                detail,
                r,
                [
                    p["name"],
                    i["name"],
                    i["target"],
                    i["actual"],
                    i["expected"],
                    _num(i["progress"]),
                    zh[i["light"]],
                    i["note"],
                    i["cause"] or "",
                    i["outlook"] or "",
                ],
                numbers=(6,),
            )
            if i["light"]:
                detail.cell(row=r, column=7).fill = PatternFill("solid", fgColor=fills[i["light"]])
            r += 1
    for sheet, widths in (
        (ws, (6, 24, 34, 12, 12, 12, 12, 12, 12, 18)),
        (detail, (30, 26, 14, 14, 14, 10, 6, 20, 24, 10)),
    ):
        for col, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = width
        _print_on_a4(sheet)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
