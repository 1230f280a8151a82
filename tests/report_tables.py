"""The 一级指标 column of a 自评表, read back from each output format and checked against the rows.

Each format's reader gives, per 自评表, the level-1 cells as (first indicator row, rows spanned, text),
counted from 0 at the first indicator row; `assert_level1_cells_cover_rows` then checks them against
the level 1 of every indicator row. A format added later (docx) needs only its own reader: take the
vertically merged cells (w:vMerge restart/continue) of the first column of the indicator table and
call the same check.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from html.parser import HTMLParser
from itertools import groupby

import openpyxl

Cell = tuple[int, int, str]  # (first indicator row, rows spanned, text)


def assert_level1_cells_cover_rows(level1: Sequence[str], cells: Sequence[Cell], where: str = "") -> None:
    """Every indicator row is covered by exactly one level-1 cell, which shows that row's level 1, and
    each cell merges one whole run of consecutive rows with the same level 1 (the printed layout)."""
    covered = [0] * len(level1)
    for start, span, text in cells:
        assert span >= 1, f"{where}: a level-1 cell spanning {span} rows at row {start}"
        assert 0 <= start and start + span <= len(level1), (
            f"{where}: the cell {text!r} spans rows {start}–{start + span - 1}, past the {len(level1)} indicator rows"
        )
        for row in range(start, start + span):
            covered[row] += 1
            assert level1[row] == text, f"{where}: row {row} is under {level1[row]!r} but its cell says {text!r}"
    uncovered = [row for row, n in enumerate(covered) if n == 0]
    twice = [row for row, n in enumerate(covered) if n > 1]
    assert not uncovered and not twice, f"{where}: rows without a level-1 cell {uncovered}, covered twice {twice}"
    runs, row = [], 0
    for name, group in groupby(level1):
        n = len(list(group))
        runs.append((row, n, name))
        row += n
    assert sorted(cells) == runs, f"{where}: level-1 cells {sorted(cells)}, the rows' runs {runs}"


# ---- HTML -----------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every <table class="indicators">: its rows, each a list of (tag, rowspan, colspan, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[tuple[str, int, int, str]]]]] = []
        self.code = ""
        self.depth = 0  # inside an indicators table
        self.cell: list[str] | None = None
        self.cell_tag = ""
        self.spans = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("data-code"):
            self.code = a["data-code"] or ""
        if tag == "table":
            if self.depth or a.get("class") == "indicators":
                self.depth += 1
                if self.depth == 1:
                    self.tables.append((self.code, []))
        elif self.depth and tag == "tr":
            self.tables[-1][1].append([])
        elif self.depth and tag in ("td", "th"):
            self.cell, self.cell_tag = [], tag
            self.spans = (int(a.get("rowspan") or 1), int(a.get("colspan") or 1))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.tables[-1][1][-1].append((self.cell_tag, *self.spans, "".join(self.cell).strip()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def html_level1_cells(html: str, columns: int = 8) -> dict[str, list[Cell]]:
    """Per project code, the level-1 cells of its 自评表 indicator table. Lays the whole table out on a
    grid first: a row that is not exactly `columns` wide once the cells spanning down from above are
    counted, or a cell spanning below the table's last row, is a broken table and fails here."""
    parser = _Tables()
    parser.feed(html)
    out: dict[str, list[Cell]] = {}
    for code, rows in parser.tables:
        held = [0] * columns  # rows still covered, per column, by a cell from a row above
        first: list[tuple[int, int, int, str]] = []  # (row, column, rowspan, text) of each cell placed
        for r, row in enumerate(rows):
            col = 0
            for _tag, rowspan, colspan, text in row:
                while col < columns and held[col]:
                    col += 1
                assert col + colspan <= columns, f"{code}: row {r} of the 自评表 is wider than {columns} columns"
                first.append((r, col, rowspan, text))
                for c in range(col, col + colspan):
                    held[c] = rowspan
                col += colspan
            while col < columns and held[col]:
                col += 1
            assert col == columns and all(held), (
                f"{code}: row {r} of the 自评表 fills {sum(map(bool, held))} of {columns}"
            )
            held = [h - 1 for h in held]
        assert not any(held), f"{code}: a cell spans below the last row of the 自评表"
        # row 0 is the header, the last row the 总分 line: indicator rows lie between
        out[code] = [(r - 1, span, text) for r, col, span, text in first if col == 0 and 0 < r < len(rows) - 1]
    return out


# ---- xlsx -----------------------------------------------------------------------------------------


def xlsx_level1_cells(data: bytes) -> list[tuple[str, list[Cell]]]:
    """Per project sheet, in order, its title and the level-1 cells of its 自评表: column A from the row after the
    一级指标 header to the row before 总分; a merged range counts once, with its top cell's text."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    out: list[tuple[str, list[Cell]]] = []
    for ws in wb.worksheets[1:]:
        column = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
        head = column.index("一级指标") + 2  # first indicator row, 1-based
        end = column.index("总分") + 1  # the 总分 row, 1-based
        merged = {}
        for rng in ws.merged_cells.ranges:
            if rng.min_col <= 1 <= rng.max_col and rng.max_row >= head and rng.min_row < end:
                assert rng.min_col == rng.max_col == 1, f"{ws.title}: {rng} merges the level-1 column sideways"
                merged[rng.min_row] = rng.max_row - rng.min_row + 1
        cells: list[Cell] = []
        r = head
        while r < end:
            span = merged.get(r, 1)
            cells.append((r - head, span, str(ws.cell(row=r, column=1).value or "")))
            r += span
        assert r == end, f"{ws.title}: a merged level-1 cell runs into the 总分 row"
        assert all(head <= start for start in merged), f"{ws.title}: a merged level-1 cell starts above the rows"
        out.append((ws.title, cells))
    return out


# ---- docx -----------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_tables(data: bytes) -> list[list[list[tuple[str, int, str | None]]]]:
    """Every table of a Word document as rows of cells (text, columns spanned, w:vMerge value or None:
    "restart", "continue"), read from the XML as Word reads it. A cell's paragraphs join with newlines."""
    import docx

    out = []
    for table in docx.Document(io.BytesIO(data)).tables:
        rows = []
        for tr in table._tbl.findall(f"{W}tr"):
            cells = []
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                vmerge = None if merge is None else (merge.get(f"{W}val") or "continue")
                text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.findall(f"{W}p"))
                cells.append((text, int(span.get(f"{W}val")) if span is not None else 1, vmerge))
            rows.append(cells)
        out.append(rows)
    return out


def docx_merged_column(rows: list[list[tuple[str, int, str | None]]], column: int) -> list[Cell]:
    """The vertically merged cells of one column over `rows` (a restart cell and the continue cells under it
    count once, with the restart cell's text): (first row, rows spanned, text). A continue cell with no
    restart above it, or a cell that is not at `column` in every row, fails here."""
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        col, found = 0, None
        for text, span, vmerge in row:
            if col == column:
                found = (text, vmerge)
            col += span
        assert found is not None, f"row {r} has no cell starting at column {column}"
        text, vmerge = found
        if vmerge == "continue":
            assert cells, f"row {r}: a merged cell continues with nothing above it"
            start, span, first = cells[-1]
            cells[-1] = (start, span + 1, first)
        else:
            cells.append((r, 1, text))
    return cells


def docx_level1_cells(data: bytes) -> list[tuple[str, list[Cell]]]:
    """Per 自评表 (a table whose first cell is 项目名称), in order, the project's name and the level-1 cells
    of its indicator rows: the rows after the 一级指标 header and before 总分."""
    out = []
    for rows in docx_tables(data):
        if not rows or rows[0][0][0] != "项目名称":
            continue
        firsts = [row[0][0] for row in rows]
        head, end = firsts.index("一级指标") + 1, firsts.index("总分")
        out.append((rows[0][1][0], docx_merged_column(rows[head:end], 0)))
    return out
