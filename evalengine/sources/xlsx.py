"""Workbooks written safely: text never becomes a formula, wrapped rows are tall enough, and the same
content is the same bytes (document times and zip entry dates pinned). Every workbook evalengine
writes (reports, init forms) is finished here.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evalengine.errors import display_width

LINE_HEIGHT = 15  # points per line of 11pt text, Excel's and LibreOffice's default row height


PINNED = datetime(1980, 1, 1)  # the earliest zip date: the same inputs give byte-identical workbooks


def finish(wb: Workbook) -> bytes:
    """The workbook's bytes, made safe and reproducible.

    Every text cell stays text: openpyxl would turn a name such as =HYPERLINK(…) into a live formula
    (evalengine writes no formulas of its own). Wrapped rows get heights for their text, and the
    document times and zip entry dates are pinned so that the same report is the same bytes.
    """
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
        fit_rows(ws)
    wb.properties.creator = "evalengine"
    wb.properties.created = wb.properties.modified = PINNED
    buffer = io.BytesIO()
    wb.save(buffer)
    return pin_zip(buffer.getvalue())


def pin_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time over `modified`
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>1980-01-01T00:00:00Z", body)
            pinned = zipfile.ZipInfo(info.filename, date_time=PINNED.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            dst.writestr(pinned, body)
    return out.getvalue()


def _width(ws: Worksheet, col: int) -> float:
    width = ws.column_dimensions[get_column_letter(col)].width
    return float(width) if width else 8.43  # the default column width, in characters


def lines_needed(text: str, width: float) -> int:
    """How many lines `text` takes in a wrapped cell `width` characters wide (CJK characters count two)."""
    usable = max(width - 1, 1)  # the cell's padding
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))


def fit_rows(ws: Worksheet) -> None:
    """Give each row holding wrapped text the height its longest cell needs (merged cells: their width)."""
    spans: dict[tuple[int, int], float] = {}
    for merged in ws.merged_cells.ranges:
        width = sum(_width(ws, c) for c in range(merged.min_col, merged.max_col + 1))
        rows = merged.max_row - merged.min_row + 1
        spans[(merged.min_row, merged.min_col)] = width / rows  # a tall merge shares its lines between rows
    # the cells of ws[number], without openpyxl recounting the sheet's columns for every row or building
    # a style proxy for every cell: a missing cell is still created, as ws[number] creates it
    columns = range(1, ws.max_column + 1)
    book: Any = ws.parent
    cells: dict[tuple[int, int], Any] = ws._cells
    wraps = [bool(a.wrap_text) for a in book._alignments]
    for number in range(1, ws.max_row + 1):
        lines = 1
        for c in columns:
            cell: Any = cells.get((number, c)) or ws.cell(row=number, column=c)
            if not isinstance(cell.value, str) or not (cell._style and wraps[cell._style.alignmentId]):
                continue
            width = spans.get((number, c), _width(ws, c))
            lines = max(lines, lines_needed(cell.value, width))
        current = ws.row_dimensions[number].height or 0
        if lines > 1 and lines * LINE_HEIGHT > current:
            ws.row_dimensions[number].height = lines * LINE_HEIGHT
