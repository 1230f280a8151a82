"""The self-evaluation workbook as evalengine wrote it through openpyxl before issue 19's streamed writer:
the reference that tests/test_xlsx_equivalence.py compares the package's workbook with.

openpyxl's own calls throughout (plain style assignments, ws.merge_cells), then sources.xlsx.finish,
as evalengine.reports.xlsx wrote it at 72515cd (the faster _row and _merge there wrote the same bytes).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from evalengine.reports.xlsx import BOLD, BOX, CENTER, HEAD, SEVERITY, WIDTHS, WRAP, _num, _sheet_name
from evalengine.sources.xlsx import finish


def _row(ws: Worksheet, row: int, values: list[Any], *, head: bool = False, numbers: tuple[int, ...] = ()) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.border = BOX
        cell.alignment = CENTER if head else WRAP
        if head:
            cell.fill, cell.font = HEAD, BOLD
        if col in numbers and isinstance(value, Decimal):
            cell.number_format = "0.00"


def _merge(ws: Worksheet, cells: str = "", **bounds: int) -> None:
    ws.merge_cells(cells or None, **bounds)


def _print_on_a4(ws: Worksheet) -> None:
    """Landscape A4, as wide as one page, as long as it needs."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _line(ws: Worksheet, row: int, label: str, text: str, last: int = 8) -> None:
    """A labelled line of text across the sheet: the label in A, the text wrapped over B to the last column."""
    ws.cell(row=row, column=1, value=label).font = BOLD
    ws.cell(row=row, column=1).alignment = WRAP
    ws.cell(row=row, column=2, value=text).alignment = WRAP
    _merge(ws, start_row=row, start_column=2, end_row=row, end_column=last)


def _compared(ws: Worksheet, report: dict[str, Any]) -> None:
    """With history: 上年总分 and 同比 in two columns after the overview's own, blank where not recorded."""
    for col, label in ((9, "上年总分"), (10, "同比")):
        cell = ws.cell(row=2, column=col, value=label)
        cell.fill, cell.font, cell.border, cell.alignment = HEAD, BOLD, BOX, CENTER
        ws.column_dimensions[get_column_letter(col)].width = 10
    for row, p in enumerate(report["projects"], start=3):
        previous = p.get("previous")
        _row_cells(ws, row, {9: _num(previous["total"]) if previous else "—", 10: _num(p.get("change")) or "—"})


def _row_cells(ws: Worksheet, row: int, values: dict[int, Any]) -> None:
    for col, value in values.items():
        cell = ws.cell(row=row, column=col, value=value)
        cell.border, cell.alignment = BOX, WRAP
        if isinstance(value, Decimal):
            cell.number_format = "0.00"


def _overview(ws: Worksheet, report: dict[str, Any]) -> None:
    s = report["summary"]
    title = f"{'、'.join(report['departments'])} {report['year'] or ''}年度项目支出绩效自评总览"
    _row(ws, 1, [title, "", "", "", "", "", "", ""], head=True)
    _merge(ws, "A1:H1")
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
    if report.get("history"):
        _compared(ws, report)
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
    ws.cell(row=row + 2, column=1, value="问题").font = BOLD
    ws.cell(row=row + 2, column=2, value=f"错误 {s['findings']['error']} 条，提示 {s['findings']['warning']} 条")
    row += 4
    findings = [(p, f) for p in report["projects"] for f in p["findings"]]
    if findings:
        _row(ws, row, ["问题清单", "项目名称", "问题", "", "", "", "", "代码"], head=True)
        _merge(ws, start_row=row, start_column=3, end_row=row, end_column=7)
        for p, f in findings:
            row += 1
            _row(ws, row, [SEVERITY[f["severity"]], p["name"], f["message"], "", "", "", "", f["code"]])
            _merge(ws, start_row=row, start_column=3, end_row=row, end_column=7)
    for col, width in enumerate((24, 36, 14, 16, 12, 10, 10, 10), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A3"
    _print_on_a4(ws)


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
        _merge(ws, cells)
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
            _merge(ws, start_row=start, start_column=1, end_row=row, end_column=1)
        if last:
            start = row + 1
        row += 1
    _row(ws, row, ["总分", "", "", "", "", Decimal(100), _num(p["total"]), f"等级：{p['grade']}"], numbers=(6, 7))
    _merge(ws, start_row=row, start_column=1, end_row=row, end_column=5)
    ws.cell(row=row, column=7).font = BOLD
    row += 2
    parts = [f"预算执行率 {e['score']}/{e['weight']}"] + [
        f"{lvl['name']} {lvl['score']}/{lvl['weight']}" for lvl in p["level1"]
    ]
    _line(ws, row, "分项得分", "，".join(parts))
    if e["explanation"]:
        row += 1
        _line(ws, row, "执行情况说明", e["explanation"])
    row += 2
    if p["findings"]:
        ws.cell(row=row, column=1, value="问题").font = BOLD
        for f in p["findings"]:
            row += 1
            _line(ws, row, SEVERITY[f["severity"]], f"{f['message']}（{f['code']}）")
            ws.cell(row=row, column=1).font = Font()
        row += 2
    ws.cell(row=row, column=1, value="评分过程").font = BOLD
    lines = [("预算执行率", e["trace"])] + [(i["name"], i["trace"]) for i in indicators]
    lines += [("总分", n) for n in p["notes"]]
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for name, trace in lines:
        row += 1
        _line(ws, row, name, trace)
        ws.cell(row=row, column=1).font = Font()
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
    return finish(wb)
