"""Tables read through a mapping: a grid of cell texts (a worksheet, a Word table, a PDF table stitched
across pages) into project fields and indicator rows, every value with the cell it came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from evalengine.i18n import _
from evalengine.sources.mapping import Label, Mapping, norm


@dataclass
class Grid:
    """A table as printed: rows of cell texts (None where nothing is printed, or a merge covers the cell)."""

    name: str  # the sheet's title, or where a document's table starts (page 3, table 2)
    rows: list[list[str | None]]
    cell_name: Callable[[int, int], str]  # (row, column), 0-based -> how a message names the cell
    breaks: frozenset[int] = frozenset()  # rows that start a page's part of a table broken across pages


@dataclass
class Row:
    """One indicator row: the mapped fields' texts ("" for an empty or placeholder cell) and their cells."""

    values: dict[str, str]
    cells: dict[str, str]
    where: str  # the row's first cell
    texts: list[str]  # every text printed on the row, mapped or not


@dataclass
class Table:
    """A project's table: the fields of its labelled cells, and its indicator rows."""

    grid: Grid
    where: str
    fields: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total: Row | None = None  # the stop row (总分) that ends it, read as a row: the printed total under 得分


def header_columns(grid: Grid, r: int, mapping: Mapping) -> dict[str, int] | None:
    """The mapped fields' columns if row `r` is the header row (its anchor there, name and target found)."""
    rows = grid.rows[r : r + mapping.header_rows]
    texts = [norm(t) for t in rows[0] if t]
    cell: str | None
    if mapping.anchors and not any(a in texts for a in mapping.anchors):
        return None
    aliases = {a: f for f, names in mapping.columns.items() for a in names}
    found: dict[str, int] = {}
    width = max(len(row) for row in rows)
    for c in range(width):
        for row in reversed(rows):  # the lowest header row is the most specific (计算符号 under 指标值)
            cell = row[c] if c < len(row) else None
            text = norm(cell) if cell else ""
            f = aliases.get(text)
            if f is not None:
                if f not in found:
                    found[f] = c
                break
    if "name" not in found or not ({"target", "value", "actual"} & set(found)):
        return None
    return found


def match(grids: list[Grid], mapping: Mapping) -> tuple[int, list[str]]:
    """How well `mapping` fits: the fields its header row and labels find in the first table that has one."""
    for grid in grids:
        for r in range(len(grid.rows)):
            columns = header_columns(grid, r, mapping)
            if columns is None:
                continue
            block = grid.rows[:r]
            labels = [f for f, label in mapping.labels.items() if _label(block, label, mapping) is not None]
            return len(columns) + len(labels), [*columns, *labels]
    return 0, []


def choose_mapping(grids: list[Grid], candidates: list[Mapping]) -> tuple[Mapping | None, list[str]]:
    """The mapping whose header and labels find the most fields (the first on a tie), and what it found."""
    best: tuple[int, Mapping | None, list[str]] = (0, None, [])
    for mapping in candidates:
        score, found = match(grids, mapping)
        if score > best[0]:
            best = (score, mapping, found)
    return best[1], best[2]


def _all_labels(mapping: Mapping) -> frozenset[str]:
    out: set[str] = set()
    for label in mapping.labels.values():
        out |= set(label.labels) | set(label.columns)
    return frozenset(out)


def _label(block: list[list[str | None]], label: Label, mapping: Mapping) -> tuple[int, int] | None:
    """Where the value of a labelled field stands in the rows above a table: (row, column), or None."""
    others = _all_labels(mapping)
    texts = [[norm(t) if t else "" for t in row] for row in block]
    if label.kind == "grid":
        at_row = next((r for r, row in enumerate(texts) if any(t in label.labels for t in row)), None)
        at_col = next((c for row in texts for c, t in enumerate(row) if t in label.columns), None)
        if at_row is None or at_col is None or at_col >= len(block[at_row]):
            return None
        return at_row, at_col
    for r, row in enumerate(texts):
        for c, t in enumerate(row):
            if t not in label.labels:
                continue
            if label.kind == "right":
                for k in range(c + 1, len(row)):
                    if row[k] == t or (block[r][k] is None):
                        continue
                    return None if row[k] in others else (r, k)
                return None
            if label.kind == "last":
                last = max((k for k in range(c + 1, len(row)) if row[k] and row[k] != t), default=None)
                return None if last is None else (r, last)
            for k in range(r + 1, min(r + 4, len(texts))):  # below: past a label merged downwards
                if c < len(texts[k]) and block[k][c] is not None and texts[k][c] != t:
                    return None if texts[k][c] in others else (k, c)
            return None
    return None


def join_lines(text: str) -> str:
    """A cell's lines as one text: wrapped Chinese joins without a space, Latin words and numbers keep one."""
    out = ""
    for line in (part.strip() for part in text.splitlines()):
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out


KEEP_LINES = ("goals", "spending_plan")  # numbered goals and plan pairs are told apart by their lines


def _value(text: str | None, mapping: Mapping, keep_lines: bool = False) -> str:
    if text is None:
        return ""
    text = text.strip() if keep_lines else join_lines(text)
    return "" if norm(text) in mapping.placeholders else text


def read_tables(grid: Grid, mapping: Mapping) -> list[Table]:
    """Every project table in `grid`: label rows, a header row, indicator rows, until a stop row, the
    next project's labels or the end. A header row printed again (a page's repeated header) is passed over."""
    tables: list[Table] = []
    starters = {a for f in ("code", "project") if f in mapping.labels for a in mapping.labels[f].labels}
    start, header, columns = 0, -1, {}
    table: Table | None = None
    r = 0
    n = len(grid.rows)
    while r < n:
        if table is None:
            found = header_columns(grid, r, mapping)
            if found is not None:
                header, columns = r, found
                table = _open(grid, mapping, start, header, columns)
                tables.append(table)
                r += mapping.header_rows
                continue
            r += 1
            continue
        row = grid.rows[r]
        texts = [norm(t) for t in row if t and norm(t)]
        if not texts:
            r += 1
            continue
        if header_columns(grid, r, mapping) == columns:
            r += mapping.header_rows
            continue
        if texts[0] in mapping.stop:
            table.notes.append(_("[{cell}]: {text} ends the indicator table", cell=grid.cell_name(r, 0), text=texts[0]))
            table.total = Row(
                {f: _value(row[c] if c < len(row) else None, mapping) for f, c in columns.items()},
                {f: grid.cell_name(r, c) for f, c in columns.items()},
                grid.cell_name(r, 0),
                [t.strip() for t in row if t and t.strip()],
            )
            table, start = None, r + 1
            r += 1
            continue
        if starters & set(texts):
            table, start = None, r
            continue
        if r in grid.breaks and table.rows and _continues(row, columns, mapping):
            last = table.rows[-1]
            for f, c in columns.items():
                text = _value(row[c] if c < len(row) else None, mapping, f in KEEP_LINES)
                if text:
                    last.values[f] = join_lines(f"{last.values.get(f, '')}\n{text}")
            last.texts += [t.strip() for t in row if t and t.strip()]
            table.notes.append(
                _("[{cell}]: a row broken by the page goes on here; joined to the row above", cell=grid.cell_name(r, 0))
            )
            r += 1
            continue
        values: dict[str, str] = {}
        cells: dict[str, str] = {}
        for f, c in columns.items():
            values[f] = _value(row[c] if c < len(row) else None, mapping, f in KEEP_LINES)
            cells[f] = grid.cell_name(r, c)
        for f in mapping.fill_down:
            if (
                f in values
                and not values[f]
                and table.rows
                and (c := columns[f]) < len(row)
                and not (row[c] or "").strip()
            ):
                values[f] = table.rows[-1].values.get(f, "")
        table.rows.append(Row(values, cells, grid.cell_name(r, 0), [t.strip() for t in row if t and t.strip()]))
        r += 1
    return tables


def _continues(row: list[str | None], columns: dict[str, int], mapping: Mapping) -> bool:
    """Whether a page's first row is the rest of the row above, cut by the page: no 一级, 二级 or 三级 of its own."""
    keys = [f for f in ("level1", "level2", "name") if f in columns]
    return all(not (row[columns[f]] or "").strip() if columns[f] < len(row) else True for f in keys)


def _open(grid: Grid, mapping: Mapping, start: int, header: int, columns: dict[str, int]) -> Table:
    block = grid.rows[start:header]
    table = Table(grid, grid.cell_name(start, 0), columns=columns)
    for f, label in mapping.labels.items():
        at = _label(block, label, mapping)
        if at is None:
            continue
        r, c = at
        if f == "spending_plan":
            table.fields[f] = _plan(block, r, c, mapping)
        else:
            table.fields[f] = _value(block[r][c], mapping, f in KEEP_LINES)
        table.cells[f] = grid.cell_name(start + r, c)
    return table


def _plan(block: list[list[str | None]], r: int, c: int, mapping: Mapping) -> str:
    """资金支出计划: checkpoints on the label's row and their shares under them, as 3月底:30%；6月底:60%."""
    labels = block[r]
    shares = block[r + 1] if r + 1 < len(block) else []
    pairs: list[str] = []
    for k in range(c, len(labels)):
        label, share = _value(labels[k], mapping), _value(shares[k] if k < len(shares) else None, mapping)
        if not label or (pairs and pairs[-1] == f"{label}:{share}"):
            continue
        pairs.append(f"{label}:{share}")
    if len(pairs) == 1 and not pairs[0].endswith("%"):  # one cell holding the whole plan
        return pairs[0].removesuffix(":")
    return "；".join(pairs)
