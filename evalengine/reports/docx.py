"""The report as a Word document: a docxtpl template (templates/report.docx, monitor.docx, review.docx,
audit.docx, or the user's own `--template`) rendered with the report view.

The template sees `report` (the JSON contract, as the HTML report does), the names the HTML templates
have (SEVERITY_ZH, STATUS_ZH, LIGHT_ZH; REVIEW_SEVERITY_ZH and VERDICT_ZH for a review;
AUDIT_VERDICT_ZH, REASONS and MODE_ZH for an audit), the `lag` filter and the `deviation` test
(`{% if i is deviation %}`: an indicator scored below its weight). In a self-evaluation or monitoring
report every project also has `narrative` (overview, work, problems, suggestions) and `signoff`
(preparer, phone, date, head), their values null where the actuals file gives none.

Templates run in Jinja2's sandbox (a template from elsewhere calls no Python), every value is
escaped for XML (`<2400元` and `&` come out as written), and a template error names the template, the
tag and the paragraph. The same report is the same bytes: core properties and zip dates pinned.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from evalengine.audit.model import REASONS
from evalengine.errors import InputError, Location, ReadError
from evalengine.i18n import _
from evalengine.reports.audit import MODE_ZH
from evalengine.reports.audit import VERDICT_ZH as AUDIT_VERDICT_ZH
from evalengine.reports.review import REVIEW_SEVERITY_ZH, VERDICT_ZH
from evalengine.reports.text import lag
from evalengine.reports.view import SEVERITY_ZH, STATUS_ZH
from evalengine.resources import templates_dir
from evalengine.scoring.monitor import LIGHT_ZH
from evalengine.sources.xlsx import PINNED, pin_zip

NARRATIVE = ("overview", "work", "problems", "suggestions")  # 自评报告 text in the evaluator's own words
SIGNOFF = ("preparer", "phone", "date", "head")  # 填报人, 联系电话, 填报日期, 单位负责人

# characters XML 1.0 cannot hold: a control character in a field would make the document unreadable
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def _deviation(indicator: Any) -> bool:
    """An indicator the evaluator must explain: scored below its weight, or without an actual."""
    if not isinstance(indicator, dict) or indicator.get("status") == "na":
        return False
    if indicator.get("status") in ("partial", "unmet", "missing"):
        return True
    try:
        return Decimal(indicator["score"]) < Decimal(indicator["weight"])
    except (KeyError, TypeError, InvalidOperation):
        return False


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_finalize)
    env.filters["lag"] = lag
    env.tests["deviation"] = _deviation
    env.globals.update(SEVERITY_ZH=SEVERITY_ZH, STATUS_ZH=STATUS_ZH, LIGHT_ZH=LIGHT_ZH)
    env.globals.update(REVIEW_SEVERITY_ZH=REVIEW_SEVERITY_ZH, VERDICT_ZH=VERDICT_ZH)
    env.globals.update(AUDIT_VERDICT_ZH=AUDIT_VERDICT_ZH, REASONS=REASONS, MODE_ZH=MODE_ZH)
    return env


# `{% vmerge EXPR %}` in a cell: w:vMerge restart where EXPR is true, continue (and no text) where false
_VMERGE_CELL = re.compile(r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*vmerge\s.*?</w:tc>", re.S)
_VMERGE_TAG = re.compile(r"{%\s*vmerge\s+(.+?)\s*%}", re.S)
_TEXT = re.compile(r"(<w:t(?: [^>]*)?>)(.*?)(</w:t>)", re.S)
_AFTER = re.compile(  # w:vMerge comes after these in w:tcPr (the schema's order; Word is strict about it)
    r"(<w:tcPr>|<w:tcPr [^>]*>)((?:<w:cnfStyle[^>]*/>|<w:tcW[^>]*/>|<w:gridSpan[^>]*/>|<w:hMerge[^>]*/>)*)"
)


def _vmerge_cell(match: re.Match[str]) -> str:
    cell = match.group(0)
    found = _VMERGE_TAG.search(cell)
    assert found is not None
    expr = found.group(1)
    cell = _VMERGE_TAG.sub("", cell)
    mark = f'<w:vMerge w:val="{{% if {expr} %}}restart{{% else %}}continue{{% endif %}}"/>'
    if _AFTER.search(cell):
        cell = _AFTER.sub(lambda m: m.group(1) + m.group(2) + mark, cell, count=1)
    else:
        cell = re.sub(r"(<w:tc(?: [^>]*)?>)", lambda m: m.group(1) + f"<w:tcPr>{mark}</w:tcPr>", cell, count=1)
    return _TEXT.sub(lambda m: f"{m.group(1)}{{% if {expr} %}}{m.group(2)}{{% endif %}}{m.group(3)}", cell)


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl with `{% vmerge EXPR %}`, and the XML of the part being rendered kept for error messages."""

    source = ""

    def patch_xml(self, src_xml: str) -> str:
        return _VMERGE_CELL.sub(_vmerge_cell, super().patch_xml(src_xml))

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> str:
        self.source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)  # the line numbering docxtpl renders with
        self.part_name = str(getattr(part, "partname", "word/document.xml")).lstrip("/")
        return str(super().render_xml_part(src_xml, part, context, jinja_env))


def _context(view: dict[str, Any], kind: str) -> dict[str, Any]:
    if kind not in ("report", "monitor"):  # a review's or an audit's projects have no evaluator's words
        return {"report": view}
    report = copy.copy(view)
    report["projects"] = [
        {
            **p,
            "narrative": {key: (p.get("narrative") or {}).get(key) for key in NARRATIVE},
            "signoff": {key: (p.get("signoff") or {}).get(key) for key in SIGNOFF},
        }
        for p in view["projects"]
    ]
    return {"report": report}


def _template_line(exc: BaseException, template: _Template) -> int | None:
    """The line of the rendered XML where a template failed: from the error, else from the traceback."""
    line = getattr(exc, "lineno", None)
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line if isinstance(line, int) else None


def _unclosed(template: _Template) -> int | None:
    """The first paragraph with a tag opened and not closed (Jinja2 reports it at the end of the document)."""
    for n, line in enumerate(template.source.splitlines(), start=1):
        text = re.sub(r"<[^>]+>", "", line)
        if text.count("{{") > text.count("}}") or text.count("{%") > text.count("%}"):
            return n
    return None


def _paragraph(template: _Template, line: int | None) -> str | None:
    if line is None:
        return None
    lines = template.source.splitlines()
    if not 0 < line <= len(lines):
        return None
    text = re.sub(r"<[^>]+>", "", lines[line - 1])
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()
    return text[:120] + ("…" if len(text) > 120 else "") if text else None


def _template_error(exc: Exception, path: Path, template: _Template) -> InputError:
    line = _template_line(exc, template)
    if isinstance(exc, jinja2.TemplateSyntaxError) and "unexpected end of template" in str(exc):
        line = _unclosed(template) or line
    paragraph = _paragraph(template, line)
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    part = getattr(template, "part_name", "word/document.xml")
    part_note = "" if part == "word/document.xml" else f" ({part})"
    if paragraph:
        said = _(
            "the Word template does not render{part}: {message} in the paragraph “{paragraph}”",
            part=part_note,
            message=message,
            paragraph=paragraph,
        )
    else:
        said = _("the Word template does not render{part}: {message}", part=part_note, message=message)
    return InputError(
        said,
        Location(str(path)),
        hint=_(
            "tags are Jinja2 as docxtpl reads them: {tags}; the variables are those of the JSON report"
            " (README: Word output)",
            tags="{{ p.name }}, {%p for p in report.projects %}, {%tr for i in p.indicators %}",
        ),
    )


def docx_bytes(view: dict[str, Any], kind: str = "report", template: Path | None = None) -> bytes:
    """`view` rendered through the Word template for `kind` (templates/{kind}.docx) or the user's `template`."""
    path = template if template is not None else templates_dir() / f"{kind}.docx"
    if not path.is_file():
        raise ReadError(
            _("template file not found") if not path.exists() else _("the template is not a file"), Location(str(path))
        )
    try:
        doc = _Template(str(path))
        doc.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(
            _("not a Word document (.docx): {error}", error=exc),
            Location(str(path)),
            hint=_("save the template from Word as .docx"),
        ) from None
    try:
        doc.render(_context(view, kind), _environment(), autoescape=True)
    except Exception as exc:  # a user's template may fail in any way Jinja2 can: name it, never a traceback
        raise _template_error(exc, path, doc) from None
    props = doc.docx.core_properties
    props.author = props.last_modified_by = "evalengine"
    props.revision = 1
    props.created = props.modified = PINNED
    buffer = io.BytesIO()
    doc.save(buffer)
    return pin_zip(buffer.getvalue())
