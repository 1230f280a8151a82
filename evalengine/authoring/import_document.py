"""Published 绩效目标表 as PDF or Word: the department's goals (第一部分) from the text, and every project
table (第二部分) read through a mapping (default: budget-disclosure, the bundled department's layout).

A document is read as a sequence of blocks, text lines and tables, in reading order. A title
`N.…绩效目标表` starts a project; every table after it, until the next title, is part of that
project's table: a table broken across pages goes on in the next page's table, whose repeated header
row is passed over and whose empty 一级/二级 cells continue the group above.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalengine.authoring.import_mapped import import_tables
from evalengine.authoring.import_text import PROJECT, UNIT_LINE, Imported, Line, _department_goals, title_differs
from evalengine.errors import InputError, Location
from evalengine.i18n import N_, _
from evalengine.limits import MAX_WORKBOOK_BYTES
from evalengine.sources.documents import open_regular
from evalengine.sources.mapped import Grid, read_tables
from evalengine.sources.mapping import Mapping, load_mapping

DEFAULT_MAPPING = "budget-disclosure"


@dataclass
class Text:
    """A line (PDF) or paragraph (Word) outside any table; `number` counts them from 1."""

    text: str
    number: int
    place: str  # page 3 / paragraph 12


@dataclass
class Rows:
    """A table as extracted: cell texts, and where each row is (page 3 table 1 row 4)."""

    rows: list[list[str | None]]
    places: list[str] = field(default_factory=list)


Block = Text | Rows


def import_blocks(blocks: list[Block], path: Path, mapping: Mapping | None = None) -> Imported:
    """第一部分 from the text before 第二部分, and a project for each titled group of tables."""
    mapping = mapping or load_mapping(DEFAULT_MAPPING)
    name = path.name
    result = Imported({})
    split = next((i for i, b in enumerate(blocks) if isinstance(b, Text) and b.text == "第二部分"), None)
    if split is None:  # no 第二部分: part one is whatever text comes before the first table or title
        split = next((i for i, b in enumerate(blocks) if isinstance(b, Rows) or PROJECT.match(b.text)), len(blocks))
        part_one = [b for b in blocks[:split] if isinstance(b, Text)]
        lines = [Line(b.number, b.text, False) for b in part_one]
        goals = _department_goals(lines, result, name) if any(b.text == "第一部分" for b in part_one) else {}
        if not goals:
            for b in part_one:
                result.warnings.append(_not_placed(name, b))
    else:
        part_one = [b for b in blocks[:split] if isinstance(b, Text)]
        goals = _department_goals([Line(b.number, b.text, False) for b in part_one], result, name)
        split += 1
    department: dict[str, str] = {}
    groups: list[tuple[Text | None, list[Rows]]] = []
    for block in blocks[split:]:
        if isinstance(block, Rows):
            if not groups:
                groups.append((None, []))
            groups[-1][1].append(block)
            continue
        title = PROJECT.match(block.text)
        unit = UNIT_LINE.match(block.text)
        if title:
            groups.append((block, []))
        elif unit:
            department.setdefault("code", unit.group(1))
            department.setdefault("name", unit.group(2))
        elif block.text.isdigit() and len(block.text) <= 3:
            result.notes.append(
                _(
                    "{where}: page number {page} passed over ({place})",
                    where=f"{name}:{block.number}",
                    page=block.text,
                    place=block.place,
                )
            )
        elif block.text not in ("预算项目绩效目标",):
            result.warnings.append(_not_placed(name, block))
    projects: list[dict[str, Any]] = result.data.setdefault("projects", [])
    for heading, tables in groups:
        if not tables:
            assert heading is not None
            result.warnings.append(
                _(
                    "{where}: {title} has no table ({place})",
                    where=f"{name}:{heading.number}",
                    title=heading.text,
                    place=heading.place,
                )
            )
            continue
        grid = _stitch(tables)
        read = read_tables(grid, mapping)
        if not read:
            result.warnings.append(
                _("{where}: a table without a header row, not placed", where=f"{name} [{grid.cell_name(0, 0)}]")
            )
            continue
        found = import_tables(read, mapping, str(path), result)
        expected = PROJECT.match(heading.text) if heading else None
        if heading and expected and found and found[0]["name"] and found[0]["name"] != expected.group(2):
            result.warnings.append(title_differs(f"{name}:{heading.number}", expected.group(2), found[0]["name"]))
        projects += found
    data: dict[str, Any] = {}
    projects = result.data.pop("projects")
    if department or result.data.get("department"):
        data["department"] = department or result.data["department"]
    data["unit"] = "万元"
    if goals:
        data["goals"] = goals
    data["projects"] = projects
    result.data = data
    return result


def _not_placed(name: str, block: Text) -> str:
    # the place (page 3, paragraph 12) is part of the location: written the same in every language
    return _(
        "{where}: not placed ({place}): {text}", where=f"{name}:{block.number}", place=block.place, text=block.text
    )


def _stitch(tables: list[Rows]) -> Grid:
    """One grid of a project's tables in order (pages of one table, or a table and its continuation)."""
    rows: list[list[str | None]] = []
    places: list[str] = []
    breaks: set[int] = set()
    for n, table in enumerate(tables):
        if n:
            breaks.add(len(rows))
        rows += table.rows
        places += table.places
    return Grid(places[0] if places else "", rows, lambda r, c: f"{places[r]}, column {c + 1}", frozenset(breaks))


def import_docx(path: Path, mapping: Mapping | None = None) -> Imported:
    """A Word document: paragraphs and tables in the order they stand, merged cells read as printed."""
    from docx import Document as open_docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    data = open_regular(path, MAX_WORKBOOK_BYTES)  # a regular file of bounded size, never a device
    try:
        document = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a file that is not a Word document
        raise InputError(
            _("cannot read {path} as a Word document (.docx): {reason}", path=path, reason=exc), Location(str(path))
        ) from None
    blocks: list[Block] = []
    paragraphs = tables = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs += 1
            text = Paragraph(child, document).text.strip()
            if text:
                blocks.append(Text(text, paragraphs, f"paragraph {paragraphs}"))
        elif tag == "tbl":
            tables += 1
            table = DocxTable(child, document)
            rows: list[list[str | None]] = []
            for row in table.rows:
                rows.append([cell.text for cell in row.cells])
            blocks.append(Rows(rows, [f"table {tables} row {r + 1}" for r in range(len(rows))]))
    return import_blocks(blocks, path, mapping)


PDF_MISSING = N_("reading PDF needs pdfplumber: pip install 'evalengine[pdf]'")


def import_pdf(path: Path, mapping: Mapping | None = None) -> Imported:
    """A PDF: each page's ruled tables and the text lines outside them, top to bottom."""
    try:
        import pdfplumber
    except ImportError:
        raise InputError(
            _(PDF_MISSING), Location(str(path)), hint=_("or extract the text (pdftotext) and import the .txt")
        ) from None
    data = open_regular(path, MAX_WORKBOOK_BYTES)  # a regular file of bounded size, never a device
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds for a file that is not a PDF
        raise InputError(
            _("cannot read {path} as a PDF: {reason}", path=path, reason=exc), Location(str(path))
        ) from None
    blocks: list[tuple[int, float, Block]] = []
    lines = 0
    with pdf:
        for n, page in enumerate(pdf.pages, start=1):
            found = page.find_tables()
            boxes = [t.bbox for t in found]

            def outside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]] = boxes) -> bool:
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            for line in page.filter(outside).extract_text_lines():
                text = re.sub(r"\s+", " ", line["text"]).strip()
                if text:
                    lines += 1
                    blocks.append((n, float(line["top"]), Text(text, lines, f"page {n}")))
            for k, table in enumerate(found, start=1):
                rows = [list(row) for row in table.extract()]
                places = [f"page {n} table {k} row {r + 1}" for r in range(len(rows))]
                blocks.append((n, float(table.bbox[1]), Rows(rows, places)))
    blocks.sort(key=lambda b: (b[0], b[1]))
    return import_blocks([b for _, _, b in blocks], path, mapping)
