"""The format registry: one report view, rendered as Markdown, HTML, JSON, an Excel workbook or a Word document."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

Kind = Literal["report", "monitor", "review", "audit"]  # self-evaluation (score), monitoring, target review, audit
FORMATS = ("md", "html", "json", "xlsx", "docx")
BINARY = ("xlsx", "docx")  # formats that are files, never printed to a terminal


def render_as(view: dict[str, Any], fmt: str, kind: Kind = "report", template: Path | None = None) -> str | bytes:
    """`view` (render.view.build or build_monitor) in format `fmt`: text, or bytes for a workbook or a Word
    document. `template` replaces the built-in Word template (templates/{kind}.docx); docx only."""
    if template is not None and fmt != "docx":
        raise ValueError(f"a template is for docx output, not {fmt}")
    match fmt:
        case "json":
            from evalengine.reports.text import to_json

            return to_json(view)
        case "md" | "html":
            from evalengine.reports.text import render

            return render(view, f"{kind}.{fmt}.j2")
        case "xlsx":
            from evalengine.reports import xlsx  # openpyxl takes a tenth of a second to import: only when asked for

            if kind == "review":
                from evalengine.reports.review_xlsx import review_workbook_bytes

                return review_workbook_bytes(view)
            if kind == "audit":
                from evalengine.reports.audit_xlsx import audit_workbook_bytes

                return audit_workbook_bytes(view)
            return xlsx.workbook_bytes(view) if kind == "report" else xlsx.monitor_workbook_bytes(view)
        case "docx":
            from evalengine.reports.docx import docx_bytes  # docxtpl and lxml: only when asked for

            return docx_bytes(view, kind, template)
        case _:
            raise ValueError(f"unknown format {fmt!r}; the formats are {', '.join(FORMATS)}")
