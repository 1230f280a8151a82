"""The report as an Excel workbook: an overview sheet, then one 自评表 sheet per project.

Numbers are written as exact decimals with a 0.00 format, so the spreadsheet's sums reconcile with
the report; merged cells follow the printed 自评表 layout.

The self-evaluation report is streamed, sheet by sheet, by reports/sheets.py (issue 19: thousands of
project sheets); the monitoring workbook, and the review and audit workbooks that share _row, _line and
_print_on_a4, are built in openpyxl.
"""

from __future__ import annotations

import re
import weakref
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from evalengine.reports.sheets import Book, Sheet, Style
from evalengine.sources.xlsx import finish

THIN = Side(style="thin", color="808080")


BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


HEAD = PatternFill("solid", fgColor="DDE6F0")


WRAP = Alignment(wrap_text=True, vertical="center")


CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


BOLD = Font(bold=True)


SEVERITY = {"error": "错误", "warning": "提示"}


WIDTHS = (12, 14, 22, 14, 14, 9, 9, 36)


LAG_FORMAT = '0.00;"超前 "0.00'  # a negative lag is ahead of plan


TWO_PLACES = "0.00"


HEAD_CELL = Style(font=BOLD, fill=HEAD, border=BOX, alignment=CENTER)


HEAD_NUMBER = HEAD_CELL.but(number_format=TWO_PLACES)


CELL = Style(border=BOX, alignment=WRAP)


NUMBER = CELL.but(number_format=TWO_PLACES)


LABEL = Style(font=BOLD, alignment=WRAP)


PLAIN_LABEL = LABEL.but(font=Font())  # a plain font of its own, as the findings' and trace lines' labels had


TEXT = Style(alignment=WRAP)


HEADING = Style(font=BOLD)


def _line(ws: Worksheet, row: int, label: str, text: str, last: int = 8) -> None:
    """A labelled line of text across the sheet: the label in A, the text wrapped over B to the last column."""
    ws.cell(row=row, column=1, value=label).font = BOLD
    ws.cell(row=row, column=1).alignment = WRAP
    ws.cell(row=row, column=2, value=text).alignment = WRAP
    _merge(ws, start_row=row, start_column=2, end_row=row, end_column=last)


def _compared(sheet: Sheet, report: dict[str, Any]) -> None:
    """With history: 上年总分 and 同比 in two columns after the overview's own, blank where not recorded."""
    for col, label in ((9, "上年总分"), (10, "同比")):
        sheet.put(2, col, label, HEAD_CELL)
        sheet.widths[col] = 10
    for row, p in enumerate(report["projects"], start=3):
        previous = p.get("previous")
        for col, value in ((9, _num(previous["total"]) if previous else "—"), (10, _num(p.get("change")) or "—")):
            sheet.put(row, col, value, NUMBER if isinstance(value, Decimal) else CELL)


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


class _Styles:
    """Each cell style of a workbook set through openpyxl once, then copied as its index array.

    openpyxl looks every style object up by a deep hash on each assignment, and re-borders each cell
    of a merged range the same way: that was nine tenths of writing a report workbook. The workbook
    holds the same style table and the same bytes either way (tests/test_throughput.py compares them).
    The report workbook itself is written by reports/sheets.py; the monitoring, review and audit
    workbooks still go through openpyxl and this.
    """

    def __init__(self) -> None:
        self.cells: dict[tuple[bool, bool], StyleArray] = {}
        self.merges: dict[tuple[Any, ...], list[tuple[int, ...]]] = {}

    def row_cell(self, cell: Any, head: bool, number: bool) -> None:
        known = self.cells.get((head, number))
        if known is not None:
            cell._style = StyleArray(known)
            return
        cell.border = BOX
        cell.alignment = CENTER if head else WRAP
        if head:
            cell.fill, cell.font = HEAD, BOLD
        if number:
            cell.number_format = "0.00"
        self.cells[(head, number)] = StyleArray(cell._style)

    def merge(self, ws: Worksheet, found: CellRange) -> None:
        """ws.merge_cells for `found`. A merge met before (the same size, the same styles at its first and
        last cell) leaves the same style arrays on its cells: they are copied, not computed again."""
        top, left, bottom, right = found.min_row, found.min_col, found.max_row, found.max_col
        cells: dict[tuple[int, int], Any] = ws._cells  # openpyxl's own map: its cells' style arrays are read
        start, end = cells.get((top, left)), cells.get((bottom, right))
        key = (
            bottom - top,
            right - left,
            tuple(start._style) if start is not None else None,
            tuple(end._style) if end is not None else None,
        )
        known = self.merges.get(key)
        if known is None or start is None:
            ws.merge_cells(found.coord)
            if start is not None:
                self.merges[key] = [
                    tuple(cells[(r, c)]._style) for r in range(top, bottom + 1) for c in range(left, right + 1)
                ]
            return
        merged = MergedCellRange.__new__(MergedCellRange)
        CellRange.__init__(merged, min_col=left, min_row=top, max_col=right, max_row=bottom)
        merged.ws, merged.start_cell = ws, start
        ws.merged_cells.ranges.add(merged)  # the layout never merges a range twice: no overlap to look for
        styles = iter(known)
        start._style = StyleArray(next(styles))
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if r == top and c == left:
                    continue
                cell: Any = MergedCell(ws, row=r, column=c)
                cell._style = StyleArray(next(styles))
                cells[(r, c)] = cell


_STYLES: weakref.WeakKeyDictionary[Workbook, _Styles] = weakref.WeakKeyDictionary()


def _styles(ws: Worksheet) -> _Styles:
    """The styles of the workbook `ws` belongs to (indexes into its own tables, so never shared)."""
    book: Any = ws.parent
    return _STYLES.setdefault(book, _Styles())


def _row(ws: Worksheet, row: int, values: list[Any], *, head: bool = False, numbers: tuple[int, ...] = ()) -> None:
    styles = _styles(ws)
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        styles.row_cell(cell, head, col in numbers and isinstance(value, Decimal))


def _merge(ws: Worksheet, cells: str = "", **bounds: int) -> None:
    """ws.merge_cells(cells or the bounds): the same cells and styles, faster (see _Styles)."""
    found = (
        CellRange(cells)
        if cells
        else CellRange(
            min_row=bounds["start_row"],
            min_col=bounds["start_column"],
            max_row=bounds["end_row"],
            max_col=bounds["end_column"],
        )
    )
    _styles(ws).merge(ws, found)


def _cells(sheet: Sheet, row: int, values: list[Any], *, head: bool = False, numbers: tuple[int, ...] = ()) -> None:
    """A bordered row of the report: a heading row, or values with the numbers of `numbers` as 0.00."""
    for col, value in enumerate(values, start=1):
        number = col in numbers and isinstance(value, Decimal)
        sheet.put(row, col, value, (HEAD_NUMBER if number else HEAD_CELL) if head else (NUMBER if number else CELL))


def _text_line(sheet: Sheet, row: int, label: str, text: str, *, bold: bool = True) -> None:
    """A labelled line of text across the sheet: the label in A, the text wrapped over B to H."""
    sheet.put(row, 1, label, LABEL if bold else PLAIN_LABEL)
    sheet.put(row, 2, text, TEXT)
    sheet.merge(row, 2, row, 8)


def _a4(sheet: Sheet) -> None:
    """Landscape A4, as wide as one page, as long as it needs (as _print_on_a4)."""
    sheet.a4_landscape = True


def _overview(sheet: Sheet, report: dict[str, Any]) -> None:
    s = report["summary"]
    title = f"{'、'.join(report['departments'])} {report['year'] or ''}年度项目支出绩效自评总览"
    _cells(sheet, 1, [title, "", "", "", "", "", "", ""], head=True)
    sheet.merge(1, 1, 1, 8)
    _cells(
        sheet,
        2,
        ["项目编码", "项目名称", "预算数（万元）", "全年执行数（万元）", "执行率（%）", "总分", "等级", "问题数"],
        head=True,
    )
    row = 3
    for p in report["projects"]:
        e = p["execution"]
        _cells(
            sheet,
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
        _compared(sheet, report)
    _cells(
        sheet,
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
    sheet.put(row, 1, "等级分布", HEADING)
    sheet.put(row, 2, "，".join(f"{g} {n}个" for g, n in s["grades"].items()))
    sheet.put(row + 1, 1, "评分规则", HEADING)
    sheet.put(row + 1, 2, f"{report['rules_title']}（{report['rules']}）")
    sheet.put(row + 2, 1, "问题", HEADING)
    sheet.put(row + 2, 2, f"错误 {s['findings']['error']} 条，提示 {s['findings']['warning']} 条")
    row += 4
    findings = [(p, f) for p in report["projects"] for f in p["findings"]]
    if findings:
        _cells(sheet, row, ["问题清单", "项目名称", "问题", "", "", "", "", "代码"], head=True)
        sheet.merge(row, 3, row, 7)
        for p, f in findings:
            row += 1
            _cells(sheet, row, [SEVERITY[f["severity"]], p["name"], f["message"], "", "", "", "", f["code"]])
            sheet.merge(row, 3, row, 7)
    for col, width in enumerate((24, 36, 14, 16, 12, 10, 10, 10), start=1):
        sheet.widths[col] = width
    sheet.freeze = (3, 1)  # A3: the title and the heading stay
    _a4(sheet)


def _print_on_a4(ws: Worksheet) -> None:
    """Landscape A4, as wide as one page, as long as it needs."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _project(sheet: Sheet, p: dict[str, Any], year: Any) -> None:
    e = p["execution"]
    _cells(sheet, 1, [f"项目支出绩效自评表（{year or ''}年度）", "", "", "", "", "", "", ""], head=True)
    _cells(sheet, 2, ["项目名称", p["name"], "", "主管部门", p["department"], "", "实施单位", p["unit"]])
    _cells(
        sheet,
        3,
        ["资金情况（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率（%）", "得分"],
        head=True,
    )
    _cells(
        sheet,
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
    _cells(sheet, 5, ["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", ""], head=True)
    _cells(sheet, 6, ["", "\n".join(p["goals"]), "", "", p["summary"] or "", "", "", ""])
    sheet.heights[6] = 48
    # A1:H1, B2:C2, E2:F2, A3:B4, A5:A6, B5:D5, E5:H5, B6:D6, E6:H6
    for bounds in ((1, 1, 1, 8), (2, 2, 2, 3), (2, 5, 2, 6), (3, 1, 4, 2), (5, 1, 6, 1)):
        sheet.merge(*bounds)
    for bounds in ((5, 2, 5, 4), (5, 5, 5, 8), (6, 2, 6, 4), (6, 5, 6, 8)):
        sheet.merge(*bounds)
    _cells(
        sheet,
        7,
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        head=True,
    )
    row = 8
    start = row
    indicators = p["indicators"]
    for i, ind in enumerate(indicators):
        score: Decimal | str = _num(ind["score"]) if ind["status"] != "na" else "不适用"
        _cells(
            sheet,
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
            sheet.merge(start, 1, row, 1)
        if last:
            start = row + 1
        row += 1
    _cells(sheet, row, ["总分", "", "", "", "", Decimal(100), _num(p["total"]), f"等级：{p['grade']}"], numbers=(6, 7))
    sheet.merge(row, 1, row, 5)
    total = sheet.style_of(row, 7)
    assert total is not None
    sheet.restyle(row, 7, total.but(font=BOLD))
    row += 2
    parts = [f"预算执行率 {e['score']}/{e['weight']}"] + [
        f"{lvl['name']} {lvl['score']}/{lvl['weight']}" for lvl in p["level1"]
    ]
    _text_line(sheet, row, "分项得分", "，".join(parts))
    if e["explanation"]:
        row += 1
        _text_line(sheet, row, "执行情况说明", e["explanation"])
    row += 2
    if p["findings"]:
        sheet.put(row, 1, "问题", HEADING)
        for f in p["findings"]:
            row += 1
            _text_line(sheet, row, SEVERITY[f["severity"]], f"{f['message']}（{f['code']}）", bold=False)
        row += 2
    sheet.put(row, 1, "评分过程", HEADING)
    lines = [("预算执行率", e["trace"])] + [(i["name"], i["trace"]) for i in indicators]
    lines += [("总分", n) for n in p["notes"]]
    for col, width in enumerate(WIDTHS, start=1):
        sheet.widths[col] = width
    for name, trace in lines:
        row += 1
        _text_line(sheet, row, name, trace, bold=False)
    _a4(sheet)


def workbook_bytes(report: dict[str, Any]) -> bytes:
    """The self-evaluation report: the overview, then one 自评表 per project, each written as it is laid out."""
    book = Book()
    overview = Sheet("总览")
    _overview(overview, report)
    book.add(overview)
    del overview
    used = {"总览"}
    for index, p in enumerate(report["projects"], start=1):
        sheet = Sheet(_sheet_name(index, p["name"], used))
        _project(sheet, p, report["year"])
        book.add(sheet)
    return book.close()


def monitor_workbook_bytes(report: dict[str, Any]) -> bytes:
    """The monitoring report: an overview sheet (worst first), every indicator's light, and the findings."""
    zh = {"red": "红", "yellow": "黄", "green": "绿", "blue": "蓝", None: "—"}
    fills = {"red": "F8B4B4", "yellow": "FAE3A0", "green": "B7E4C7", "blue": "B3D4F5"}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "总览"
    s = report["summary"]
    title = f"{'、'.join(report['departments'])} {report['year']}年度绩效运行监控（截至{report['as_of']}）"
    heads = [
        "灯",
        "项目编码",
        "项目名称",
        "预算数（万元）",
        "已支出（万元）",
        "实际进度（%）",
        "计划进度（%）",
        "进度差（百分点）",
        "进度比（%）",
        "支出灯",
        "计划依据",
        "偏差原因",
        "能否完成",
    ]
    last = len(heads)
    _row(ws, 1, [title] + [""] * (last - 1), head=True)
    _merge(ws, start_row=1, start_column=1, end_row=1, end_column=last)
    _row(ws, 2, heads, head=True)
    r = 2
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
                zh[m["light"]],
                m["basis"],
                m["cause"] or "",
                m["outlook"] or "",
            ],
            numbers=(4, 5, 6, 7, 8, 9),
        )
        ws.cell(row=r, column=8).number_format = LAG_FORMAT
        ws.cell(row=r, column=1).fill = PatternFill("solid", fgColor=fills[p["light"]])
        ws.cell(row=r, column=10).fill = PatternFill("solid", fgColor=fills[m["light"]])
    r += 2
    lights = "，".join(f"{zh[light]}灯 {n} 个" for light, n in s["lights"].items())
    spent = f"项目 {s['projects']} 个，预算合计 {s['budget']} 万元，已支出 {s['spent']} 万元（{s['actual']}%）"
    for label, text in (
        ("评分规则", f"{report['rules_title']}（{report['rules']}）"),
        ("合计", spent),
        ("灯色分布", lights),
        ("问题", f"错误 {s['findings']['error']} 条，提示 {s['findings']['warning']} 条"),
    ):
        _line(ws, r, label, text, last)
        r += 1
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
    problems = wb.create_sheet("问题")
    _row(problems, 1, ["类别", "项目名称", "项目编码", "指标", "问题", "代码"], head=True)
    r = 1
    for severity in ("error", "warning"):
        for p in report["projects"]:
            for f in p["findings"]:
                if f["severity"] == severity:
                    r += 1
                    _row(
                        problems,
                        r,
                        [SEVERITY[severity], p["name"], p["code"], f["indicator"] or "", f["message"], f["code"]],
                    )
    for sheet, widths in (
        (ws, (6, 24, 34, 12, 12, 12, 12, 12, 12, 8, 18, 24, 10)),
        (detail, (30, 26, 14, 14, 14, 10, 6, 20, 24, 10)),
        (problems, (6, 30, 24, 24, 60, 18)),
    ):
        for col, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = width
        _print_on_a4(sheet)
    return finish(wb)
