"""Workbooks written as XML, sheet by sheet, straight into the zip: the self-evaluation report's writer.

openpyxl keeps every cell of every sheet as an object, looks each style up by a deep hash and writes
cell by cell through an XML tree; for a report of thousands of 自评表 sheets that was nine tenths of the
time. Here a sheet is a dict of (value, style) by row and column until it is done, then it becomes XML
text and goes into the zip, and only the next sheet is held. Styles are `Style` objects compared by
identity; openpyxl itself turns the few distinct ones into the style table (styles.xml) and writes the
theme, so fonts, fills, borders and alignments mean what they meant when openpyxl wrote every part.

What openpyxl would have written, kept: strings inline (never a formula, whatever they start with),
cut at 32,767 characters, control characters refused with openpyxl's own error; the cells of a merged
range after the first written empty, bordered as openpyxl borders them (MergedCellRange.format);
wrapped rows as tall as their text (evalengine.sources.xlsx.fit_rows' rule); document times and zip
dates pinned. Numbers: a Decimal is written with all its digits (openpyxl went through a float and
kept 16 significant digits).
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.stylesheet import write_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.writer.theme import theme_xml
from openpyxl.xml.functions import tostring

from evalengine.sources.xlsx import LINE_HEIGHT, PINNED, lines_needed

MAX_TEXT = 32767  # characters in a cell: openpyxl cut longer text there (and fit_rows measured the cut text)


UNSET_WIDTH = 13.0  # what fit_rows read for a column without a width (openpyxl's ColumnDimension default)


class Style:
    """A cell style: font, fill, border, alignment and number format (None: the workbook's default).

    Compared by identity, so a style is a module constant (or derived from one through `but`), never
    rebuilt per cell."""

    __slots__ = ("_variants", "alignment", "border", "fill", "font", "number_format", "wrap")

    def __init__(
        self,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        border: Border | None = None,
        alignment: Alignment | None = None,
        number_format: str | None = None,
    ) -> None:
        self.font, self.fill, self.border, self.alignment = font, fill, border, alignment
        self.number_format = number_format
        self.wrap = bool(alignment is not None and alignment.wrap_text)
        self._variants: dict[tuple[str, int], tuple[Any, Style]] = {}

    def but(self, **changes: Any) -> Style:
        """This style with one attribute replaced (the same object each time for the same change)."""
        ((name, value),) = changes.items()
        key = (name, id(value))
        found = self._variants.get(key)
        if found is None:
            fields = {f: getattr(self, f) for f in ("font", "fill", "border", "alignment", "number_format")}
            fields[name] = value
            found = self._variants[key] = (value, Style(**fields))  # the value kept alive: its id stays its own
        return found[1]


class Sheet:
    """One worksheet until it is written: cells, merged ranges, column widths, row heights, view, printing."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: dict[int, dict[int, tuple[Any, Style | int | None]]] = {}  # int: a cell format of a merge
        self.merges: list[tuple[int, int, int, int]] = []
        self.widths: dict[int, float] = {}
        self.heights: dict[int, float] = {}
        self.freeze: tuple[int, int] | None = None  # (row, column) of the first cell that scrolls
        self.a4_landscape = False  # one page wide, as long as it needs

    def put(self, row: int, col: int, value: Any, style: Style | None = None) -> None:
        self.rows.setdefault(row, {})[col] = (value, style)

    def restyle(self, row: int, col: int, style: Style | None) -> None:
        cells = self.rows.setdefault(row, {})
        cells[col] = (cells[col][0] if col in cells else None, style)

    def style_of(self, row: int, col: int) -> Style | None:
        found = self.rows.get(row, {}).get(col)
        return found[1] if found and isinstance(found[1], Style) else None

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        """Merge a range written beforehand (the layout never merges a range twice or overlapping)."""
        self.merges.append((top, left, bottom, right))


_REFUSE: Any = Cell  # a cell of no sheet: openpyxl checks its text on creation


def _text(value: str) -> str:
    """A string (already cut to MAX_TEXT) as openpyxl stores it, XML-escaped: control characters refused."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        _REFUSE(None, value=value)  # raises openpyxl's own IllegalCharacterError, as writing the cell there did
    if "\ufffe" in value or "\uffff" in value:  # not in openpyxl's list, yet no XML holds them (lxml refused)
        raise IllegalCharacterError(value)  # the readers refuse them first, located: never shown to a user
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")  # as lxml writes it: a bare CR would be read back as LF
    return value


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _number(value: Decimal) -> str:
    """Every digit of the Decimal, in a form a spreadsheet reads (no NaN or infinity: openpyxl wrote none)."""
    if not value.is_finite():
        return ""
    return format(value, "f")


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_DATA = "\x00"  # where a sheet's rows go: a character no text of a cell can hold


class Book:
    """A workbook written into a zip sheet by sheet: `add` each Sheet when it is complete, then `close`."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buffer, "w", zipfile.ZIP_DEFLATED)
        self._titles: list[str] = []
        self._styles: Any = Workbook()  # openpyxl's style tables only: its sheet is never written
        self._cell: Any = self._styles.worksheets[0].cell(row=1, column=1)
        self._xfs: dict[Style, int] = {}
        self._merges: dict[tuple[Style | None, int, int], list[int | None]] = {}
        self._letters = [""] + [get_column_letter(c) for c in range(1, 65)]

    def _write(self, name: str, text: str) -> None:
        info = zipfile.ZipInfo(name, date_time=PINNED.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        self._zip.writestr(info, text.encode("utf-8"))

    def xf(self, style: Style) -> int:
        """The index of `style` in the workbook's cell formats (cellXfs), added when first met."""
        found = self._xfs.get(style)
        if found is None:
            cell = self._cell
            cell._style = StyleArray()
            if style.font is not None:
                cell.font = style.font
            if style.fill is not None:
                cell.fill = style.fill
            if style.border is not None:
                cell.border = style.border
            if style.alignment is not None:
                cell.alignment = style.alignment
            if style.number_format is not None:
                cell.number_format = style.number_format
            found = self._xfs[style] = self._styles._cell_styles.add(StyleArray(cell._style))
        return found

    def _merged(self, start: Style | None, rows: int, cols: int) -> list[int | None]:
        """The cell formats of a merged range's other cells, row by row: openpyxl merges a range of that
        shape whose first cell has `start`'s style in a scratch sheet (once per shape and style), and its
        MergedCellRange.format borders them; None for a cell it leaves unstyled."""
        key = (start, rows, cols)
        found = self._merges.get(key)
        if found is None:
            ws: Any = self._styles.create_sheet()
            if start is not None:
                ws.cell(row=1, column=1)._style = StyleArray(self._styles._cell_styles[self.xf(start)])
            ws.merge_cells(start_row=1, start_column=1, end_row=rows, end_column=cols)
            found = []
            for r in range(1, rows + 1):
                for c in range(1, cols + 1):
                    if r > 1 or c > 1:
                        style = ws._cells[(r, c)]._style
                        found.append(self._styles._cell_styles.add(StyleArray(style)) if any(style) else None)
            self._styles.remove(ws)
            self._merges[key] = found
        return found

    def _letter(self, col: int) -> str:
        while col >= len(self._letters):
            self._letters.append(get_column_letter(len(self._letters)))
        return self._letters[col]

    def add(self, sheet: Sheet) -> None:
        """Write `sheet` into the workbook now; it is not needed afterwards."""
        rows = sheet.rows
        spans: dict[tuple[int, int], float] = {}
        for top, left, bottom, right in sheet.merges:
            width = sum(sheet.widths.get(c) or UNSET_WIDTH for c in range(left, right + 1))
            spans[(top, left)] = width / (bottom - top + 1)  # a tall merge shares its lines between rows
            start = rows.get(top, {}).get(left)
            start_style = start[1] if start else None
            assert not isinstance(start_style, int), "merged ranges never overlap"
            formats = iter(self._merged(start_style, bottom - top + 1, right - left + 1))
            for r in range(top, bottom + 1):
                cells = rows.setdefault(r, {})
                for c in range(left, right + 1):
                    if r > top or c > left:
                        cells[c] = (None, next(formats))
        heights = dict(sheet.heights)
        letters = self._letters
        max_row = max(heights, default=1)
        max_col = 1
        for r, row_cells in rows.items():
            written = [c for c, (value, style) in row_cells.items() if value is not None or style is not None]
            if written:
                max_row, max_col = max(max_row, r), max(max_col, *written)
        for _top, _left, bottom, right in sheet.merges:
            max_row, max_col = max(max_row, bottom), max(max_col, right)
        self._titles.append(sheet.title)
        info = zipfile.ZipInfo(f"xl/worksheets/sheet{len(self._titles)}.xml", date_time=PINNED.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        head, tail = self._sheet_xml(sheet, max_row, max_col).split(SHEET_DATA)
        part = self._zip.open(info, "w")
        part.write(head.encode("utf-8"))
        out: list[str] = []  # a few hundred rows at a time: an overview of 10,000 projects is never one string
        for r in sorted(rows.keys() | heights.keys()):
            cells = rows.get(r, {})
            parts: list[str] = []
            lines = 1
            for c in sorted(cells):
                value, style = cells[c]
                ref = f"{letters[c] if c < len(letters) else self._letter(c)}{r}"
                if style is None:
                    s = ""
                else:
                    s = f' s="{style if isinstance(style, int) else self.xf(style)}"'
                if isinstance(value, str):
                    if not value:
                        parts.append(f'<c r="{ref}"{s} t="inlineStr"/>')
                    else:
                        value = value[:MAX_TEXT]
                        text = _text(value)
                        space = ' xml:space="preserve"' if value.strip() != value else ""
                        parts.append(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>')
                        if isinstance(style, Style) and style.wrap:
                            width = spans.get((r, c)) or sheet.widths.get(c) or UNSET_WIDTH
                            if 2 * len(value) <= width - 1:  # no line can fill the cell: one row per line
                                lines = max(lines, value.count("\n") + 1)
                            else:
                                lines = max(lines, lines_needed(value, width))
                elif value is None:
                    if style is None:
                        continue
                    parts.append(f'<c r="{ref}"{s} t="n"/>')
                elif isinstance(value, bool):
                    parts.append(f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>')
                elif isinstance(value, Decimal):
                    parts.append(f'<c r="{ref}"{s} t="n"><v>{_number(value)}</v></c>')
                elif isinstance(value, int):
                    parts.append(f'<c r="{ref}"{s} t="n"><v>{value}</v></c>')
                else:
                    raise TypeError(f"a report cell holds text or a number, not {type(value).__name__}")
            height = heights.get(r, 0)
            if lines > 1 and lines * LINE_HEIGHT > height:
                height = lines * LINE_HEIGHT
            if not parts and not height:
                continue
            dims = f' ht="{height:g}" customHeight="1"' if height else ""
            out.append(f'<row r="{r}"{dims}>{"".join(parts)}</row>')
            if len(out) == 500:
                part.write("".join(out).encode("utf-8"))
                out.clear()
        part.write(("".join(out) + tail).encode("utf-8"))
        part.close()

    def _sheet_xml(self, sheet: Sheet, max_row: int, max_col: int) -> str:
        """The sheet's XML around its rows, which go where SHEET_DATA stands."""
        fit = '<pageSetUpPr fitToPage="1"/>' if sheet.a4_landscape else ""
        view = '<selection activeCell="A1" sqref="A1"/>'
        if sheet.freeze is not None:
            row, col = sheet.freeze
            split = (f' xSplit="{col - 1}"' if col > 1 else "") + (f' ySplit="{row - 1}"' if row > 1 else "")
            pane = {(True, True): "bottomRight", (True, False): "topRight", (False, True): "bottomLeft"}[
                (col > 1, row > 1)
            ]
            top_left = f"{self._letter(col)}{row}"
            view = (
                f'<pane{split} topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
                f'<selection pane="{pane}" activeCell="A1" sqref="A1"/>'
            )
        cols = "".join(
            f'<col width="{width:g}" customWidth="1" min="{col}" max="{col}"/>'
            for col, width in sorted(sheet.widths.items())
        )
        merges = "".join(
            f'<mergeCell ref="{self._letter(left)}{top}:{self._letter(right)}{bottom}"/>'
            for top, left, bottom, right in sheet.merges
        )
        setup = (
            '<pageSetup orientation="landscape" paperSize="9" fitToHeight="0" fitToWidth="1"/>'
            if sheet.a4_landscape
            else ""
        )
        return (
            f'{HEAD}<worksheet xmlns="{NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>{fit}</sheetPr>'
            f'<dimension ref="A1:{self._letter(max_col)}{max_row}"/>'
            f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
            '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + f"<sheetData>{SHEET_DATA}</sheetData>"
            + (f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>' if merges else "")
            + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
            + setup
            + "</worksheet>"
        )

    def close(self) -> bytes:
        """The rest of the package (workbook, styles, theme, properties, relationships) and the bytes."""
        n = len(self._titles)
        sheets = "".join(
            f'<sheet name="{_attr(title)}" sheetId="{i}" state="visible" r:id="rId{i}"/>'
            for i, title in enumerate(self._titles, start=1)
        )
        self._write(
            "xl/workbook.xml",
            f'{HEAD}<workbook xmlns="{NS}" xmlns:r="{REL}"><workbookPr/><bookViews><workbookView visibility="visible"'
            ' minimized="0" showHorizontalScroll="1" showVerticalScroll="1" showSheetTabs="1" tabRatio="600"'
            ' firstSheet="0" activeTab="0" autoFilterDateGrouping="1"/></bookViews>'
            f'<sheets>{sheets}</sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>',
        )
        rels = "".join(
            f'<Relationship Type="{REL}/worksheet" Target="/xl/worksheets/sheet{i}.xml" Id="rId{i}"/>'
            for i in range(1, n + 1)
        )
        self._write(
            "xl/_rels/workbook.xml.rels",
            f'{HEAD}<Relationships xmlns="{PKG}">{rels}'
            f'<Relationship Type="{REL}/styles" Target="styles.xml" Id="rId{n + 1}"/>'
            f'<Relationship Type="{REL}/theme" Target="theme/theme1.xml" Id="rId{n + 2}"/></Relationships>',
        )
        self._write("xl/styles.xml", HEAD + tostring(write_stylesheet(self._styles)).decode("utf-8"))
        self._write("xl/theme/theme1.xml", theme_xml)
        self._write(
            "docProps/app.xml",
            f'{HEAD}<Properties xmlns="{CT}/extended-properties"><Application>evalengine</Application></Properties>',
        )
        stamp = 'xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z'
        self._write(
            "docProps/core.xml",
            f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>evalengine</dc:creator>'
            f"<dcterms:created {stamp}</dcterms:created><dcterms:modified {stamp}</dcterms:modified>"
            "</cp:coreProperties>",
        )
        self._write(
            "_rels/.rels",
            f'{HEAD}<Relationships xmlns="{PKG}">'
            f'<Relationship Type="{REL}/officeDocument" Target="xl/workbook.xml" Id="rId1"/>'
            f'<Relationship Type="{PKG}/metadata/core-properties" Target="docProps/core.xml" Id="rId2"/>'
            f'<Relationship Type="{REL}/extended-properties" Target="docProps/app.xml" Id="rId3"/>'
            "</Relationships>",
        )
        sheet_type = f"{CT}.spreadsheetml.worksheet+xml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>' for i in range(1, n + 1)
        )
        self._write(
            "[Content_Types].xml",
            f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/theme/theme1.xml" ContentType="{CT}.theme+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
            'core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{CT}.extended-properties+xml"/>'
            f'{overrides}<Override PartName="/xl/workbook.xml" ContentType="{CT}.spreadsheetml.sheet.main+xml"/>'
            "</Types>",
        )
        self._zip.close()
        return self._buffer.getvalue()
