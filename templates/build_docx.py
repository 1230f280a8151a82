"""Build the Word templates `templates/report.docx`, `monitor.docx`, `review.docx` and `audit.docx` from
this readable source.

    python templates/build_docx.py            # rebuild all four, in place
    python templates/build_docx.py OUT_DIR    # build into another folder

The templates are docxtpl documents: Jinja2 tags in the text of paragraphs and cells, rendered with
the report view (the JSON contract) as `report`. Besides docxtpl's own tags (`{%p %}` a paragraph,
`{%tr %}` a table row), `{% vmerge EXPR %}` in a cell starts a vertically merged cell where EXPR is
true and continues the one above where it is false (evalengine.reports.docx does this). A change of
layout is a change here; tests/test_docx.py checks the committed files equal a fresh build.

Typography: A4, body 仿宋_GB2312, headings 黑体, table text 宋体 小五 (9 pt), set as East Asian fonts
(w:eastAsia) so Word and LibreOffice use them for Chinese; the page number centred in the footer.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
PINNED = (1980, 1, 1, 0, 0, 0)  # zip entry dates: the same source gives the same file
BODY, HEADING, TABLE = "仿宋_GB2312", "黑体", "宋体"
LATIN = "Times New Roman"


# ---- styles and page ------------------------------------------------------------------------------


def _fonts(style: BaseStyle, east_asia: str, size: float, *, bold: bool = False) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name, font.size, font.bold = LATIN, Pt(size), bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the names above
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)


def _styles(doc: DocumentObject) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal, BODY, 12)
    normal.paragraph_format.line_spacing = 1.25  # type: ignore[attr-defined]
    normal.paragraph_format.space_after = Pt(0)  # type: ignore[attr-defined]
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    for name, size, before, after in (("Title", 18, 0, 6), ("Heading 1", 14, 12, 6), ("Heading 2", 12, 6, 3)):
        style = styles[name]
        _fonts(style, HEADING, size, bold=False)
        fmt = style.paragraph_format  # type: ignore[attr-defined]
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = True
        if name == "Title":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            ppr = style.element.get_or_add_pPr()
            border = ppr.find(qn("w:pBdr"))
            if border is not None:
                ppr.remove(border)
    body = styles.add_style("Body Text Indent 2", WD_STYLE_TYPE.PARAGRAPH)  # 正文, first line indented two characters
    body.base_style = normal
    ind = OxmlElement("w:ind")
    ind.set(qn("w:firstLineChars"), "200")
    ind.set(qn("w:firstLine"), "480")
    body.element.get_or_add_pPr().append(ind)
    center = styles.add_style("Subtitle Center", WD_STYLE_TYPE.PARAGRAPH)
    center.base_style = normal
    center.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(center, BODY, 12)
    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    _fonts(cell, TABLE, 9)
    cell.paragraph_format.line_spacing = 1.0
    head = styles.add_style("Table Head", WD_STYLE_TYPE.PARAGRAPH)
    head.base_style = cell
    _fonts(head, HEADING, 9)
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = styles.add_style("Table Number", WD_STYLE_TYPE.PARAGRAPH)
    number.base_style = cell
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _page(doc: DocumentObject, *, landscape: bool) -> float:
    """A4 with the page number in the footer; the usable width in cm."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
    section.top_margin = section.bottom_margin = Cm(2.5 if not landscape else 2.0)
    section.left_margin = section.right_margin = Cm(2.2 if not landscape else 2.0)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" —")
    return (29.7 - 4.0) if landscape else (21.0 - 4.4)


# ---- content helpers ------------------------------------------------------------------------------


def para(doc: DocumentObject | _Cell, text: str, style: str = "Body Text Indent 2") -> Paragraph:
    return doc.add_paragraph(text, style=style)


def tag(doc: DocumentObject | _Cell, text: str) -> None:
    """A paragraph that holds only a docxtpl paragraph tag ({%p … %}); it vanishes when rendered."""
    doc.add_paragraph(text, style="Normal")


def table(doc: DocumentObject, widths: Sequence[float]) -> Table:
    """A bordered table of fixed column widths (cm), starting with no rows."""
    t = doc.add_table(rows=0, cols=len(widths))
    t.style = doc.styles["Table Grid"]
    t.autofit = False
    grid = t._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    t._widths = widths  # type: ignore[attr-defined]
    return t


def row(t: Table, cells: Sequence[str], *, head: bool = False, numbers: Sequence[int] = ()) -> list[_Cell]:
    """A row: one text per column ("" for a cell merged into its neighbour later)."""
    r = t.add_row()
    for n, (cell, text) in enumerate(zip(r.cells, cells, strict=True)):
        cell.width = Cm(t._widths[n])  # type: ignore[attr-defined]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.style = t.part.document.styles["Table Head" if head else ("Table Number" if n in numbers else "Table Text")]
        if text:
            p.add_run(text)
    return list(r.cells)


def tag_row(t: Table, text: str) -> None:
    """A row that holds only a docxtpl row tag ({%tr … %}); it vanishes when rendered."""
    r = t.add_row()
    r.cells[0].paragraphs[0].add_run(text)


def merge(cells: list[_Cell], first: int, last: int) -> None:
    """Merge cells[first..last] of one row into one (the text of the first)."""
    cells[first].merge(cells[last])


def vmerge(cell: _Cell, *, restart: bool) -> None:
    """Start (restart) or continue a vertically merged cell, in the place the schema gives w:vMerge."""
    props = cell._tc.get_or_add_tcPr()
    mark = OxmlElement("w:vMerge")
    if restart:
        mark.set(qn("w:val"), "restart")
    before = [c for c in props if c.tag in (qn("w:cnfStyle"), qn("w:tcW"), qn("w:gridSpan"), qn("w:hMerge"))]
    if before:
        before[-1].addnext(mark)
    else:
        props.insert(0, mark)


def page_break(doc: DocumentObject) -> None:
    doc.add_paragraph(style="Normal").add_run().add_break(WD_BREAK.PAGE)


def heading(doc: DocumentObject, text: str, level: int, *, new_page: bool = False) -> None:
    p = doc.add_heading(text, level)
    if new_page:
        p.paragraph_format.page_break_before = True


# ---- the self-evaluation report -------------------------------------------------------------------

SIGN_OFF = (  # under the 自评表, to be signed and stamped
    "填报人：{{ p.signoff.preparer or '____________' }}　　联系电话：{{ p.signoff.phone or '____________' }}",
    "填报日期：{{ p.signoff.date or '____________' }}　　单位负责人：{{ p.signoff.head or '____________' }}",
)
BLANK = "【待填写：{}】"  # text only the evaluator can write, left marked


def _overview(doc: DocumentObject, width: float) -> None:
    doc.add_heading("{{ report.departments | join('、') or '项目' }}{{ report.year or '' }}年度项目支出绩效自评报告", 0)
    para(doc, "评分规则：{{ report.rules_title }}（{{ report.rules }}）", "Subtitle Center")
    heading(doc, "一、总体情况", 1)
    para(
        doc,
        "本次自评项目 {{ report.summary.projects }} 个，预算合计 {{ report.summary.budget }} 万元，"
        "全年执行 {{ report.summary.spent }} 万元，总体预算执行率 {{ report.summary.rate or '—' }}%，"
        "按预算加权平均分 {{ report.summary.average or '—' }} 分。等级分布："
        "{% for g, n in report.summary.grades.items() %}{{ g }} {{ n }} 个{{ '，' if not loop.last else '。' }}"
        "{% endfor %}",
    )
    tag(doc, "{%p if report.history is defined %}")  # scored with a history file: 上年总分 and 同比 too
    _overview_table(doc, width, compared=True)
    tag(doc, "{%p else %}")
    _overview_table(doc, width, compared=False)
    tag(doc, "{%p endif %}")
    heading(doc, "二、问题清单", 1)
    para(
        doc,
        "错误 {{ report.summary.findings.error }} 条，提示 {{ report.summary.findings.warning }} 条"
        "{{ '：' if report.summary.findings.error + report.summary.findings.warning else '。' }}",
    )
    tag(doc, "{%p for p in report.projects %}")
    tag(doc, "{%p for f in p.findings %}")
    para(doc, "【{{ SEVERITY_ZH[f.severity] }}】{{ p.name }}：{{ f.message }}（{{ f.code }}）")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")


def _overview_table(doc: DocumentObject, width: float, *, compared: bool) -> None:
    """The department's overview table; `compared`: with 上年总分 and 同比 (history) before 问题."""
    history = ["上年总分", "同比"] if compared else []
    widths = (1.0, 5.6, 2.1, 2.1, 1.7, 1.5, 1.2, *((1.5, 1.4) if compared else ()), 1.2)
    t = table(doc, _scaled(widths, width))
    row(
        t,
        ["序号", "项目名称", "预算数（万元）", "全年执行数（万元）", "执行率（%）", "总分", "等级", *history, "问题"],
        head=True,
    )
    tag_row(t, "{%tr for p in report.projects %}")
    previous = ["{{ p.previous.total if p.previous else '—' }}", "{{ p.change or '—' }}"] if compared else []
    row(
        t,
        [
            "{{ loop.index }}",
            "{{ p.name }}",
            "{{ p.execution.budget }}",
            "{{ p.execution.spent or '—' }}",
            "{{ p.execution.rate }}",
            "{{ p.total }}",
            "{{ p.grade }}",
            *previous,
            "{{ p.findings | length }}",
        ],
        numbers=(2, 3, 4, 5, 7, 8, 9) if compared else (2, 3, 4, 5, 7),
    )
    tag_row(t, "{%tr endfor %}")
    total = row(
        t,
        [
            "合计",
            "",
            "{{ report.summary.budget }}",
            "{{ report.summary.spent }}",
            "{{ report.summary.rate or '—' }}",
            "{{ report.summary.average or '—' }}",
            "加权平均",
            *(["", ""] if compared else []),
            "",
        ],
        numbers=(2, 3, 4, 5),
    )
    merge(total, 0, 1)


def _project_report(doc: DocumentObject) -> None:
    heading(doc, "{{ p.name }}绩效自评报告", 0)
    doc.paragraphs[-1].paragraph_format.page_break_before = True
    para(doc, "（项目编码 {{ p.code }}）", "Subtitle Center")
    heading(doc, "一、基本情况", 1)
    heading(doc, "（一）项目概况", 2)
    para(
        doc,
        "{{ p.name }}（项目编码 {{ p.code }}）由{{ p.department }}主管，{{ p.unit }}实施。"
        "{{ p.purpose or '' }}{{ p.narrative.overview or '' }}",
    )
    heading(doc, "（二）资金情况", 2)
    para(
        doc,
        "年初预算数 {{ p.budget.total or '—' }} 万元"
        "{% if p.budget.fiscal is not none %}（其中财政拨款 {{ p.budget.fiscal }} 万元"
        "{% if p.budget.other is not none %}，其他资金 {{ p.budget.other }} 万元{% endif %}）{% endif %}，"
        "全年预算数 {{ p.execution.budget }} 万元，全年执行数 {{ p.execution.spent or '—' }} 万元，"
        "预算执行率 {{ p.execution.rate }}%。{{ p.execution.explanation or '' }}",
    )
    heading(doc, "（三）绩效目标", 2)
    tag(doc, "{%p for g in p.goals %}")
    para(doc, "{{ g }}")
    tag(doc, "{%p endfor %}")
    para(
        doc,
        "设置绩效指标 {{ p.indicators | length }} 个，其中"
        "{% for l in p.level1 %}{{ l.name }} "
        "{{ p.indicators | selectattr('level1', 'equalto', l.name) | list | length }} 个"
        "{{ '，' if not loop.last else '。' }}{% endfor %}",
    )
    heading(doc, "二、绩效自评工作开展情况", 1)
    tag(doc, "{%p if p.narrative.work %}")
    para(doc, "{{ p.narrative.work }}")
    tag(doc, "{%p else %}")
    para(doc, BLANK.format("自评工作的组织、依据、方法和过程"))
    tag(doc, "{%p endif %}")
    heading(doc, "三、综合评价结论", 1)
    para(
        doc,
        "按照{{ report.rules_title }}评分，项目自评总分 {{ p.total }} 分，等级为“{{ p.grade }}”。"
        "其中预算执行率得分 {{ p.execution.score }} 分（分值 {{ p.execution.weight }} 分）"
        "{% for l in p.level1 %}，{{ l.name }}得分 {{ l.score }} 分（分值 {{ l.weight }} 分）{% endfor %}。"
        "{% if p.previous is defined and p.previous %}上年（{{ p.previous.year }}年）总分 {{ p.previous.total }} 分，"
        "同比 {{ p.change }} 分。{% endif %}",
    )
    heading(doc, "四、绩效指标完成情况分析", 1)
    heading(doc, "（一）预算执行情况", 2)
    para(
        doc,
        "全年预算数 {{ p.execution.budget }} 万元，全年执行数 {{ p.execution.spent or '—' }} 万元，"
        "预算执行率 {{ p.execution.rate }}%，得分 {{ p.execution.score }} 分（分值 {{ p.execution.weight }} 分）。"
        "{{ p.execution.explanation or '' }}",
    )
    tag(doc, "{%p for l in p.level1 %}")
    heading(doc, "（{{ '二三四五六七八九十'[loop.index0] }}）{{ l.name }}", 2)
    para(doc, "{{ l.name }}得分 {{ l.score }} 分（分值 {{ l.weight }} 分）。")
    tag(doc, "{%p for i in p.indicators if i.level1 == l.name %}")
    para(
        doc,
        "{{ loop.index }}. {{ i.name }}：年度指标值 {{ i.target }}，实际完成值 {{ i.actual or '—' }}，"
        "{% if i.status == 'na' %}不适用。{% else %}得分 {{ i.score }} 分（分值 {{ i.weight }} 分）。{% endif %}"
        "{% if i is deviation %}偏差原因：{{ i.explanation or '" + BLANK.format("偏差原因分析及改进措施") + "' }}"
        "{% endif %}",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    heading(doc, "五、存在的问题及原因", 1)
    tag(doc, "{%p if p.narrative.problems %}")
    para(doc, "{{ p.narrative.problems }}")
    tag(doc, "{%p else %}")
    para(doc, BLANK.format("存在的问题及原因"))
    tag(doc, "{%p endif %}")
    heading(doc, "六、有关建议", 1)
    tag(doc, "{%p if p.narrative.suggestions %}")
    para(doc, "{{ p.narrative.suggestions }}")
    tag(doc, "{%p else %}")
    para(doc, BLANK.format("改进建议"))
    tag(doc, "{%p endif %}")


# 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施
FORM_WIDTHS = (1.8, 1.7, 2.7, 1.9, 2.0, 1.4, 1.6, 3.5)


def _form(doc: DocumentObject, width: float) -> None:
    """The 项目支出绩效自评表 in the layout of 财预〔2020〕10号, as the annex of the project's report."""
    heading(doc, "附件：项目支出绩效自评表", 1)
    doc.paragraphs[-1].paragraph_format.page_break_before = True
    para(doc, "项目支出绩效自评表", "Title")
    para(doc, "（{{ report.year or p.year }}年度）", "Subtitle Center")
    t = table(doc, _scaled(FORM_WIDTHS, width))
    cells = row(t, ["项目名称", "{{ p.name }}", "", "", "", "", "", ""])
    merge(cells, 1, 7)
    cells = row(t, ["主管部门", "{{ p.department }}", "", "", "实施单位", "{{ p.unit }}", "", ""])
    merge(cells, 1, 3)
    merge(cells, 5, 7)
    funds = [
        row(t, ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], head=True)
    ]
    funds.append(
        row(
            t,
            [
                "",
                "年度资金总额",
                "{{ p.budget.total or '' }}",
                "{{ p.execution.budget }}",
                "{{ p.execution.spent or '' }}",
                "{{ p.execution.weight }}",
                "{{ p.execution.rate }}%",
                "{{ p.execution.score }}",
            ],
            numbers=(2, 3, 4, 5, 6, 7),
        )
    )
    for label, key in (("其中：财政拨款", "fiscal"), ("其他资金", "other")):
        tag_row(t, f"{{%tr if p.budget.{key} is not none %}}")
        funds.append(row(t, ["", label, f"{{{{ p.budget.{key} }}}}", "", "", "—", "", "—"], numbers=(2, 3, 4, 5, 6, 7)))
        tag_row(t, "{%tr endif %}")
    # the label spans the funds rows; set by hand, as merge() would pull the {%tr %} rows between into it
    for n, cells in enumerate(funds):
        vmerge(cells[0], restart=n == 0)
    cells = row(t, ["年度总体目标", "预期目标", "", "", "", "实际完成情况", "", ""], head=True)
    merge(cells, 1, 4)
    merge(cells, 5, 7)
    goals = row(t, ["", "", "", "", "", "{{ p.summary or '" + BLANK.format("实际完成情况") + "' }}", "", ""])
    goal_cell = goals[1]
    goal_cell.paragraphs[0].add_run("{%p for g in p.goals %}")
    goal_cell.add_paragraph("{{ g }}", style="Table Text")
    goal_cell.add_paragraph("{%p endfor %}", style="Table Text")
    merge(goals, 1, 4)
    merge(goals, 5, 7)
    cells[0].merge(goals[0])
    row(
        t,
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        head=True,
    )
    tag_row(t, "{%tr for i in p.indicators %}")
    row(
        t,
        [
            "{{ i.level1 }}{% vmerge i.level1_rows %}",
            "{{ i.level2 }}{% vmerge i.level1_rows or loop.previtem.level2 != i.level2 %}",
            "{{ i.name }}",
            "{{ i.target }}",
            "{{ i.actual or '' }}",
            "{{ i.weight }}",
            "{{ i.score if i.status != 'na' else '不适用' }}",
            "{{ i.explanation or '' }}",
        ],
        numbers=(5, 6),
    )
    tag_row(t, "{%tr endfor %}")
    cells = row(t, ["总分", "", "", "", "", "100", "{{ p.total }}", "等级：{{ p.grade }}"], head=True)
    merge(cells, 0, 4)
    para(doc, "")
    for line in SIGN_OFF:
        para(doc, line, "Normal")


def _scaled(widths: Sequence[float], width: float) -> tuple[float, ...]:
    total = sum(widths)
    return tuple(round(w * width / total, 2) for w in widths)


def report_template() -> DocumentObject:
    doc = Document()
    _styles(doc)
    width = _page(doc, landscape=False)
    doc._body.clear_content()
    _overview(doc, width)
    tag(doc, "{%p for p in report.projects %}")
    _project_report(doc)
    _form(doc, width)
    tag(doc, "{%p endfor %}")
    return doc


# ---- in-year monitoring ---------------------------------------------------------------------------


def monitor_template() -> DocumentObject:
    doc = Document()
    _styles(doc)
    width = _page(doc, landscape=True)
    doc._body.clear_content()
    doc.add_heading(
        "{{ report.departments | join('、') }}{{ report.year }}年度绩效运行监控报告（截至{{ report.as_of }}）", 0
    )
    para(doc, "评分规则：{{ report.rules_title }}（{{ report.rules }}）", "Subtitle Center")
    heading(doc, "一、总体情况", 1)
    para(
        doc,
        "监控项目 {{ report.summary.projects }} 个，预算合计 {{ report.summary.budget }} 万元，"
        "已支出 {{ report.summary.spent }} 万元（{{ report.summary.actual or '—' }}%）。灯色："
        "{% for light, n in report.summary.lights.items() %}{{ LIGHT_ZH[light] }} {{ n }} 个"
        "{{ '，' if not loop.last else '。' }}{% endfor %}",
    )
    heading(doc, "二、项目总览（按灯色由重到轻）", 1)
    t = table(doc, _scaled((0.9, 5.0, 1.9, 1.9, 1.6, 1.6, 2.0, 1.6, 1.1, 3.0, 3.0, 1.7), width))
    row(
        t,
        [
            "灯",
            "项目名称",
            "预算数（万元）",
            "已支出（万元）",
            "实际进度",
            "计划进度",
            "进度差（百分点）",
            "进度比",
            "支出灯",
            "计划依据",
            "偏差原因",
            "能否完成",
        ],
        head=True,
    )
    tag_row(t, "{%tr for p in report.projects %}")
    row(
        t,
        [
            "{{ LIGHT_ZH[p.light] }}",
            "{{ p.name }}",
            "{{ p.spending.budget }}",
            "{{ p.spending.spent }}",
            "{{ p.spending.actual }}%",
            "{{ p.spending.planned }}%",
            "{{ p.spending.lag | lag }}",
            "{{ (p.spending.ratio ~ '%') if p.spending.ratio else '—' }}",
            "{{ LIGHT_ZH[p.spending.light] }}",
            "{{ p.spending.basis }}",
            "{{ p.spending.cause or '' }}",
            "{{ p.spending.outlook or '' }}",
        ],
        numbers=(2, 3, 4, 5, 7),
    )
    tag_row(t, "{%tr endfor %}")
    heading(doc, "三、需要处理的问题", 1)
    para(
        doc,
        "错误 {{ report.summary.findings.error }} 条，提示 {{ report.summary.findings.warning }} 条"
        "{{ '：' if report.summary.findings.error + report.summary.findings.warning else '。' }}",
    )
    tag(doc, "{%p for severity in ('error', 'warning') %}")
    tag(doc, "{%p for p in report.projects %}")
    tag(doc, "{%p for f in p.findings if f.severity == severity %}")
    para(doc, "【{{ SEVERITY_ZH[f.severity] }}】{{ p.name }}：{{ f.message }}（{{ f.code }}）")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    heading(doc, "四、各项目指标监控", 1)
    tag(doc, "{%p for p in report.projects %}")
    heading(doc, "{{ loop.index }}. {{ p.name }}（{{ p.code }}）　{{ LIGHT_ZH[p.light] }}灯", 2)
    para(
        doc,
        "支出进度：实际 {{ p.spending.actual }}%，计划 {{ p.spending.planned }}%（{{ p.spending.basis }}），"
        "{{ p.spending.lag | lag(' 个百分点') }}，{{ LIGHT_ZH[p.spending.light] }}灯"
        "{% if p.spending.cause %}；原因：{{ p.spending.cause }}{% endif %}"
        "{% if p.spending.outlook %}；能否完成：{{ p.spending.outlook }}{% endif %}。",
    )
    t = table(doc, _scaled((5.0, 2.4, 2.2, 2.2, 1.6, 1.0, 4.4, 3.4, 1.6), width))
    row(t, ["指标", "年度指标值", "当前值", "应达到", "完成比", "灯", "说明", "偏差原因", "能否完成"], head=True)
    tag_row(t, "{%tr for i in p.indicators %}")
    row(
        t,
        [
            "{{ i.name }}",
            "{{ i.target }}",
            "{{ i.actual or '—' }}",
            "{{ i.expected }}",
            "{{ (i.progress ~ '%') if i.progress else '' }}",
            "{{ LIGHT_ZH[i.light] if i.light else '—' }}",
            "{{ i.note }}",
            "{{ i.cause or '' }}",
            "{{ i.outlook or '' }}",
        ],
        numbers=(4,),
    )
    tag_row(t, "{%tr endfor %}")
    tag(doc, "{%p endfor %}")
    return doc


# ---- target review (绩效目标审核) -------------------------------------------------------------------

REVIEW_SIGN_OFF = ("审核单位（盖章）：____________", "审核人：____________　　审核日期：____________")


def review_template() -> DocumentObject:
    """The 审核意见 a finance bureau sends back: the verdict per project, findings by code, each project's
    findings with their places. The outline of templates/review.md.j2; A4 portrait, a letter."""
    doc = Document()
    _styles(doc)
    width = _page(doc, landscape=False)
    doc._body.clear_content()
    year = "{{ (report.year ~ '年度') if report.year else '' }}"
    doc.add_heading("{{ report.departments | join('、') }}" + year + "项目绩效目标审核意见", 0)
    para(doc, "审核规则：{{ report.rules_title }}（{{ report.rules }}）", "Subtitle Center")
    para(
        doc,
        "本次审核项目 {{ report.summary.projects }} 个，指标 {{ report.summary.indicators }} 个，其中定量指标 "
        "{{ report.summary.quantified }} 个（{{ (report.summary.quantified_share ~ '%') "
        "if report.summary.quantified_share else '—' }}）。审核意见："
        "{% for v, n in report.summary.verdicts.items() %}{{ VERDICT_ZH[v] }} {{ n }} 个"
        "{{ '，' if not loop.last else '；' }}{% endfor %}问题："
        "{% for sev, n in report.summary.findings.items() %}{{ REVIEW_SEVERITY_ZH[sev] }} {{ n }} 条"
        "{{ '，' if not loop.last else '。' }}{% endfor %}",
    )
    heading(doc, "一、审核结论", 1)
    t = table(doc, _scaled((4.3, 4.0, 1.5, 1.0, 1.5, 0.95, 0.95, 0.95, 1.45), width))
    row(
        t,
        ["项目编码", "项目名称", "预算数（万元）", "指标数", "定量指标占比（%）", "错误", "提示", "关注", "审核意见"],
        head=True,
    )
    tag_row(t, "{%tr for p in report.projects %}")
    row(
        t,
        [
            "{{ p.code }}",
            "{{ p.name }}",
            "{{ p.budget or '—' }}",
            "{{ p.indicators }}",
            "{{ p.quantified_share or '—' }}",
            "{{ p.counts.error }}",
            "{{ p.counts.warning }}",
            "{{ p.counts.notice }}",
            "{{ VERDICT_ZH[p.verdict] }}",
        ],
        numbers=(2, 3, 4, 5, 6, 7),
    )
    tag_row(t, "{%tr endfor %}")
    heading(doc, "二、问题分类统计", 1)
    tag(doc, "{%p if report.summary.by_code %}")
    t = table(doc, _scaled((7.0, 4.6, 1.6, 1.4), width))
    row(t, ["问题", "代码", "级别", "条数"], head=True)
    tag_row(t, "{%tr for c in report.summary.by_code %}")
    row(t, ["{{ c.title }}", "{{ c.code }}", "{{ REVIEW_SEVERITY_ZH[c.severity] }}", "{{ c.count }}"], numbers=(3,))
    tag_row(t, "{%tr endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "无。")
    tag(doc, "{%p endif %}")
    heading(doc, "三、各项目审核意见", 1)
    tag(doc, "{%p for p in report.projects %}")
    heading(
        doc,
        "{{ loop.index }}. {{ p.name or '（未填项目名称）' }}（{{ p.code or '未填编码' }}）："
        "{{ VERDICT_ZH[p.verdict] }}",
        2,
    )
    tag(doc, "{%p if report.summary.files != 1 %}")
    para(doc, "文件：{{ p.file }}")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "预算数 {{ p.budget or '—' }} 万元，指标 {{ p.indicators }} 个，其中定量指标 {{ p.quantified }} 个"
        "（{{ (p.quantified_share ~ '%') if p.quantified_share else '—' }}）。",
    )
    tag(doc, "{%p if p.findings %}")
    t = table(doc, _scaled((1.0, 1.0, 2.8, 6.2, 2.6, 3.0), width))
    row(t, ["序号", "级别", "指标", "审核意见", "代码", "位置"], head=True)
    tag_row(t, "{%tr for f in p.findings %}")
    row(
        t,
        [
            "{{ loop.index }}",
            "{{ REVIEW_SEVERITY_ZH[f.severity] }}",
            "{{ f.indicator or '' }}",
            "{{ f.message }}",
            "{{ f.code }}",
            "{{ f.location.place or f.location.text }}",
        ],
        numbers=(0,),
    )
    tag_row(t, "{%tr endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "未发现问题。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if report.tables | selectattr('notes') | list or report.tables | selectattr('findings') | list %}")
    heading(doc, "四、说明", 1)
    tag(doc, "{%p for t in report.tables %}")
    tag(doc, "{%p for n in t.notes %}")
    para(doc, "{{ t.file }}：{{ n }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for f in t.findings %}")
    para(
        doc,
        "【{{ REVIEW_SEVERITY_ZH[f.severity] }}】{{ f.message }}"
        "（{{ f.code }}，{{ f.location.place or f.location.text }}）",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "")
    for line in REVIEW_SIGN_OFF:
        para(doc, line, "Normal")
    return doc


# ---- audit of published 自评表 (自评复核) -------------------------------------------------------------

AUDIT_SIGN_OFF = "复核单位（盖章）：____________　　复核人：____________　　复核日期：____________"
AUDIT_HEADS = "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 表中得分 复算得分 结论 说明".split()
AUDIT_WIDTHS = (2.0, 2.0, 3.6, 2.2, 2.2, 1.2, 1.4, 1.4, 2.4, 7.3)
VERDICT = "{{{{ AUDIT_VERDICT_ZH[{0}.verdict] }}}}{{% for code in {0}.reasons %}} {{{{ code }}}}{{% endfor %}}"


def audit_template() -> DocumentObject:
    """The 复核 of published 自评表: tables by verdict, reasons, then every table row by row with its printed
    and recomputed scores, 一级 and 二级 cells merged per group as the 自评表 prints them. The outline of
    templates/audit.md.j2; A4 landscape, as wide as the 自评表 with two more columns."""
    doc = Document()
    _styles(doc)
    width = _page(doc, landscape=True)
    doc._body.clear_content()
    doc.add_heading("{{ report.departments | join('、') }}项目支出绩效自评表复核", 0)
    para(doc, "复核规则：{{ report.rules_title }}（{{ report.rules }}）", "Subtitle Center")
    para(
        doc,
        "自评表 {{ report.summary.tables }} 张："
        "{% for v, n in report.summary.verdicts.items() %}{{ AUDIT_VERDICT_ZH[v] }} {{ n }} 张"
        "{{ '，' if not loop.last else '；' }}{% endfor %}各行："
        "{% for v, n in report.summary.rows.items() %}{{ AUDIT_VERDICT_ZH[v] }} {{ n }} 行"
        "{{ '，' if not loop.last else '。' }}{% endfor %}"
        "{% if report.summary.average.tables %}平均总分：表中 {{ report.summary.average.printed }}，按规则复算 "
        "{{ report.summary.average.recomputed }}（{{ report.summary.average.tables }} 张可复算）。{% endif %}",
    )
    heading(doc, "一、复核结论", 1)
    t = table(doc, _scaled((6.0, 1.6, 3.0, 1.7, 1.7, 1.7, 1.4, 1.4), width))
    row(t, ["项目", "结论", "取整", "表中总分", "得分合计", "复算总分", "不一致", "无法核对"], head=True)
    tag_row(t, "{%tr for t in report.tables %}")
    row(
        t,
        [
            "{{ t.project or '（未填项目名称）' }}",
            "{{ AUDIT_VERDICT_ZH[t.verdict] }}",
            "{{ t.rounding.places }}位小数，{{ MODE_ZH[t.rounding.mode] }}",
            "{{ t.total.printed or '—' }}",
            "{{ t.total.sum_of_printed or '—' }}",
            "{{ t.total.recomputed or '—' }}",
            "{{ ([t.budget] + t.rows) | selectattr('verdict', 'equalto', 'inconsistent') | list | length }}",
            "{{ ([t.budget] + t.rows) | selectattr('verdict', 'equalto', 'unchecked') | list | length }}",
        ],
        numbers=(3, 4, 5, 6, 7),
    )
    tag_row(t, "{%tr endfor %}")
    heading(doc, "二、问题分类", 1)
    tag(doc, "{%p if report.summary.reasons %}")
    t = table(doc, _scaled((8.0, 4.0, 1.5), width / 2))
    row(t, ["问题", "代码", "处数"], head=True)
    tag_row(t, "{%tr for code, n in report.summary.reasons.items() %}")
    row(t, ["{{ REASONS[code] }}", "{{ code }}", "{{ n }}"], numbers=(2,))
    tag_row(t, "{%tr endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "未发现与评分规则不符之处。")
    tag(doc, "{%p endif %}")
    heading(doc, "三、逐表复核", 1)
    tag(doc, "{%p for t in report.tables %}")
    heading(
        doc,
        "{{ loop.index }}. {{ t.project or '（未填项目名称）' }}{{ ('（' ~ t.code ~ '）') if t.code else '' }}："
        "{{ AUDIT_VERDICT_ZH[t.verdict] }}",
        2,
    )
    para(
        doc,
        "{{ ('文件：' ~ t.file ~ '　') if report.tables | length != 1 else '' }}"
        "取整：{{ t.rounding.places }}位小数，{{ MODE_ZH[t.rounding.mode] }}（与表中得分相符的行：四舍五入 "
        "{{ t.rounding.agreeing.half_up }}，截尾 {{ t.rounding.agreeing.down }}）",
    )
    t = table(doc, _scaled(AUDIT_WIDTHS, width))
    row(t, AUDIT_HEADS, head=True)
    cells = row(
        t,
        [
            "预算执行率",
            "",
            "",
            "—",
            "{{ t.budget.rate or '—' }}",
            "{{ t.budget.weight or '—' }}",
            "{{ t.budget.printed or '—' }}",
            "{{ t.budget.recomputed or '—' }}",
            VERDICT.format("t.budget"),
            "{{ t.budget.explanation or '' }}",
        ],
        numbers=(5, 6, 7),
    )
    merge(cells, 0, 2)
    tag_row(t, "{%tr for r in t.rows %}")
    row(
        t,
        [
            "{{ r.level1 }}{% vmerge loop.first or loop.previtem.level1 != r.level1 %}",
            "{{ r.level2 }}{% vmerge loop.first or loop.previtem.level1 != r.level1 "
            "or loop.previtem.level2 != r.level2 %}",
            "{{ r.name }}",
            "{{ r.target }}",
            "{{ r.actual }}",
            "{{ r.weight or '—' }}",
            "{{ r.printed or '—' }}",
            "{{ r.recomputed or '—' }}",
            VERDICT.format("r"),
            "{{ r.explanation or '' }}",
        ],
        numbers=(5, 6, 7),
    )
    tag_row(t, "{%tr endfor %}")
    cells = row(
        t,
        [
            "总分",
            "",
            "",
            "",
            "",
            "{{ t.weights.printed or '—' }}",
            "{{ t.total.printed or '—' }}",
            "{{ t.total.recomputed or '—' }}",
            VERDICT.format("t.total"),
            "{{ t.total.explanation or '' }}",
        ],
        numbers=(5, 6, 7),
    )
    merge(cells, 0, 4)
    tag(doc, "{%p if t.weights.reason %}")
    para(doc, "{{ REASONS[t.weights.reason] }}（{{ t.weights.reason }}）：{{ t.weights.explanation }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if t.problems %}")
    para(doc, "无法读取的内容：")
    tag(doc, "{%p for p in t.problems %}")
    para(doc, "{{ p.message }}（{{ p.place }}）")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if t.notes %}")
    para(doc, "说明：")
    tag(doc, "{%p for n in t.notes %}")
    para(doc, "{{ n.message }}（{{ n.place }}）")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "")
    para(doc, AUDIT_SIGN_OFF, "Normal")
    return doc


# ---- writing --------------------------------------------------------------------------------------


def _bytes(doc: DocumentObject) -> bytes:
    """The document's bytes, the same for the same source: pinned properties and zip dates, no thumbnail."""
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rid]
    props = doc.core_properties
    props.author = props.last_modified_by = "evalengine"
    props.title, props.comments = "evalengine report template", "built by templates/build_docx.py"
    props.revision = 1
    from datetime import datetime

    props.created = props.modified = datetime(1980, 1, 1)
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=PINNED)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


TEMPLATES = {
    "report.docx": report_template,
    "monitor.docx": monitor_template,
    "review.docx": review_template,
    "audit.docx": audit_template,
}


def build(out_dir: Path = HERE) -> list[Path]:
    written = []
    for name, make in TEMPLATES.items():
        path = out_dir / name
        path.write_bytes(_bytes(make()))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"wrote {path}")
