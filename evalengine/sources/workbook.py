"""The filled Excel 自评表 form read back as an actuals document, every value located by sheet and cell."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from evalengine.errors import ErrorGroup, EvalEngineError, InputError, KeyPath, Location, ReadError
from evalengine.i18n import _
from evalengine.limits import (
    MAX_ERRORS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_SHEETS,
    MAX_WORKBOOK_BYTES,
    MAX_WORKBOOK_UNPACKED,
    MIB,
)
from evalengine.numbers import plain, to_decimal
from evalengine.sources.documents import CONTROL_HINT, Document, control_character, open_regular
from evalengine.sources.mapped import Grid

SETTINGS = "设置"


TIER_CHOICES = "达成,部分达成,未达成,不适用"


PLACEHOLDERS = {"", "—", "-", "－", "/", "*", "无", "——", "N/A", "n/a"}


COLUMNS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施", "佐证材料")


# What each filled column of an indicator row holds: (column, the key it is read into, its title in messages)
FILLED = ((5, "value", "实际完成值"), (6, "explanation", "偏差原因分析及改进措施"), (7, "evidence", "佐证材料"))


# 满意40、不满意1 typed into 实际完成值: answer counts, which the form has no columns for
_SURVEY = re.compile(r"满意\s*[:：]?\s*\d")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "date") and hasattr(value, "year"):  # a date typed into Excel
        return str(value.date() if hasattr(value, "hour") else value)
    text = str(value).strip()
    return None if text in PLACEHOLDERS else text


def _open(path: Path) -> Workbook:
    """A workbook read whole, after checks that keep a hostile one from taking minutes or memory:
    a regular file of bounded size, bounded once unzipped, no merged range beyond the sheet caps."""
    data = open_regular(path, MAX_WORKBOOK_BYTES)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReadError(
            _("cannot read {path} as an Excel workbook: it is not an .xlsx file", path=path), Location(str(path))
        ) from None
    with archive:
        _check_parts(path, archive)
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ReadError(
            _("cannot read {path} as an Excel workbook: {reason}", path=path, reason=exc), Location(str(path))
        ) from None


def is_form(path: Path) -> bool:
    """Whether a workbook is an actuals form (`evalengine init -o x.xlsx` writes one): it has a 设置 sheet.

    Only the workbook's list of sheets is read. A file that is no workbook counts as a form, so that
    reading it says what is wrong instead of passing it over.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(open_regular(path, MAX_WORKBOOK_BYTES))) as archive:
            return SETTINGS in _sheet_titles(archive).values() or not _sheet_titles(archive)
    except (InputError, zipfile.BadZipFile):
        return True


_CREATOR = re.compile(rb"<(?:\w+:)?creator\b[^>]*>\s*evalengine\s*</")


def written_by_evalengine(path: Path) -> tuple[str | None, list[str]]:
    """What a workbook evalengine wrote is, from its parts alone, and its sheets' titles: "form" (a
    自评表 to fill: it has a 设置 sheet), "report" (evalengine is its creator, which Excel keeps on saving),
    or None for any other workbook, or a file that is none."""
    try:
        with zipfile.ZipFile(io.BytesIO(open_regular(path, MAX_WORKBOOK_BYTES))) as archive:
            titles = list(_sheet_titles(archive).values())
            if SETTINGS in titles:
                return "form", titles
            try:
                core = archive.getinfo("docProps/core.xml")
            except KeyError:
                return None, titles
            created = archive.read(core) if core.file_size <= MIB else b""
    except (InputError, zipfile.BadZipFile):
        return None, []
    return ("report" if _CREATOR.search(created) else None), titles


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([^"]+)"')


_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")


_SHEET = re.compile(rb'<(?:\w+:)?sheet\s[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"')


_RELATION = re.compile(rb"<Relationship\s[^>]*>")


_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')


def _check_parts(path: Path, archive: zipfile.ZipFile) -> None:
    unpacked = sum(item.file_size for item in archive.infolist())
    if unpacked > MAX_WORKBOOK_UNPACKED:
        raise ReadError(
            _(
                "the workbook unpacks to {size} MiB; evalengine reads at most {limit} MiB "
                "(a 自评表 takes well under 1 MiB)",
                size=f"{unpacked / MIB:.0f}",
                limit=MAX_WORKBOOK_UNPACKED // MIB,
            ),
            Location(str(path)),
        )
    titles = _sheet_titles(archive)
    if len(titles) > MAX_SHEETS:
        raise ReadError(
            _("{n} sheets: evalengine reads at most {limit}", n=f"{len(titles):,}", limit=f"{MAX_SHEETS:,}"),
            Location(str(path)),
        )
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        body = archive.read(name)
        cells = len(_CELL.findall(body))
        if cells > MAX_SHEET_ROWS * MAX_SHEET_COLUMNS:  # a bound on openpyxl's work, counted at C speed
            raise InputError(
                _(
                    "the sheet holds {cells} cells; evalengine reads at most {rows} rows of {columns} columns "
                    "({limit} cells)",
                    cells=f"{cells:,}",
                    rows=f"{MAX_SHEET_ROWS:,}",
                    columns=MAX_SHEET_COLUMNS,
                    limit=f"{MAX_SHEET_ROWS * MAX_SHEET_COLUMNS:,}",
                ),
                Location(str(path), cell=titles.get(name, name)),
            )
        # openpyxl makes a cell object for every cell a merged range covers, before anything can stop it
        for ref in _MERGE.findall(body):
            text = ref.decode("ascii", "replace")
            try:
                _col, _row, max_col, max_row = range_boundaries(text)
            except ValueError:
                raise ReadError(
                    _("a merged range {text!r} that is not a range", text=text), Location(str(path))
                ) from None
            if (max_row or 0) > MAX_SHEET_ROWS or (max_col or 0) > MAX_SHEET_COLUMNS:
                raise InputError(
                    _(
                        "the merged range {text} reaches beyond the {rows} rows and {columns} columns "
                        "(A to {last}) evalengine reads",
                        text=text,
                        rows=f"{MAX_SHEET_ROWS:,}",
                        columns=MAX_SHEET_COLUMNS,
                        last=get_column_letter(MAX_SHEET_COLUMNS),
                    ),
                    Location(str(path), cell=f"{titles.get(name, name)}!{text}"),
                    hint=_("unmerge it, or merge only the cells the table uses"),
                )


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part (xl/worksheets/sheet1.xml) -> the title Excel shows, for messages."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in _RELATION.findall(rels):
        attributes = dict(_ATTRIBUTE.findall(tag))
        target = attributes.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
        targets[attributes.get(b"Id", b"")] = target if target.startswith("xl/") else f"xl/{target}"
    return {targets[rid]: title.decode("utf-8", "replace") for title, rid in _SHEET.findall(book) if rid in targets}


def used_cells(ws: Worksheet, path: Path) -> dict[tuple[int, int], Any]:
    """The cells of `ws` that hold a value, by (row, column); a value beyond the caps is an error.

    Only cells present in the file are visited, never the rectangle up to max_row × max_column, which
    one value in XFD1048576 stretches to seventeen billion cells.
    """
    out: dict[tuple[int, int], Any] = {}
    for (row, column), cell in ws._cells.items():
        if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            continue
        where = Location(str(path), cell=f"{ws.title}!{get_column_letter(column)}{row}")
        if row > MAX_SHEET_ROWS or column > MAX_SHEET_COLUMNS:
            raise InputError(
                _(
                    "a value beyond the {rows} rows and {columns} columns (A to {last}) evalengine reads from a sheet",
                    rows=f"{MAX_SHEET_ROWS:,}",
                    columns=MAX_SHEET_COLUMNS,
                    last=get_column_letter(MAX_SHEET_COLUMNS),
                ),
                where,
                hint=_("delete it, or move the table to the top left of the sheet"),
            )
        if isinstance(cell.value, str) and (bad := control_character(cell.value)) is not None:
            raise InputError(
                _("the cell holds the control character {bad}", bad=bad),
                where,
                hint=_(CONTROL_HINT),
            )
        out[(row, column)] = cell.value
    return out


def read_xlsx_actuals(
    path: Path, targets: str | None = None, rules: str | None = None, wb: Workbook | None = None
) -> Document:
    """A filled 自评表 workbook as an actuals document, every value located by sheet and cell (`wb`: the
    workbook already opened by `_open`)."""
    wb = wb or _open(path)
    doc = Document({}, str(path))
    data: dict[str, Any] = {}
    if SETTINGS in wb.sheetnames:
        settings = used_cells(wb[SETTINGS], path)
        for row in sorted({r for r, _c in settings}):
            key, value = _text(settings.get((row, 1))), _text(settings.get((row, 2)))
            if key in ("targets", "rules", "year") and value:
                data[key] = value
                doc.cells[(key,)] = f"{SETTINGS}!B{row}"
    if targets:
        data["targets"] = targets
    if rules:
        data["rules"] = rules
    projects: list[dict[str, Any]] = []
    errors: list[EvalEngineError] = []  # every bad cell of the workbook, reported together
    for ws in wb.worksheets:
        if ws.title == SETTINGS:
            continue
        cells = used_cells(ws, path)
        if _text(cells.get((1, 1))) != "项目编码":
            raise InputError(
                _("sheet {title!r} is not a 自评表 sheet (A1 should read 项目编码)", title=ws.title),
                Location(str(path), cell=f"{ws.title}!A1"),
            )
        i = len(projects)
        here: KeyPath = ("projects", i)
        project: dict[str, Any] = {"code": _text(cells.get((1, 2))) or ""}
        doc.cells[(*here, "code")] = f"{ws.title}!B1"
        doc.cells[here] = f"{ws.title}!A1"
        execution: dict[str, Any] = {}
        single: list[tuple[int, int, tuple[str, ...], str]] = [
            (2, 5, ("execution", "spent"), _("spent (全年执行数)")),
            (2, 7, ("execution", "explanation"), _("explanation (执行情况说明)")),
        ]
        if _text(cells.get((3, 1))) == "实际完成情况":
            single.append((3, 2, ("summary",), _("summary (实际完成情况)")))
        for r, column, keys, title in single:
            at = f"{ws.title}!{get_column_letter(column)}{r}"
            try:
                value = _checked(ws, cells, r, column, title)
            except InputError as exc:
                exc.location = Location(str(path), cell=at)
                errors.append(exc)
                continue
            if value is not None:
                (execution if keys[0] == "execution" else project)[keys[-1]] = value
                doc.cells[(*here, *keys)] = at
        project["execution"] = execution
        indicators: dict[str, Any] = {}
        for r in sorted({r for r, _c in cells if r >= 5}):
            name = _text(cells.get((r, 3)))
            if name is None:
                continue
            entry: dict[str, Any] = {}
            for column, key, title in FILLED:
                # every value is located by its own cell: 实际完成值 E, 偏差原因 F, 佐证材料 G
                at = f"{ws.title}!{get_column_letter(column)}{r}"
                doc.cells[(*here, "indicators", name, key)] = at
                try:
                    value = _filled(ws, cells, r, column, title, name)
                except InputError as exc:
                    exc.location = Location(str(path), cell=at)
                    errors.append(exc)
                    continue
                if value is None:
                    continue
                if key == "evidence":
                    entry[key] = [e.strip() for e in re.split(r"[,，;；、\n]", value) if e.strip()]
                else:
                    entry[key] = value
            indicators[name] = entry or None
            doc.cells[(*here, "indicators", name)] = f"{ws.title}!E{r}"
        project["indicators"] = indicators
        projects.append(project)
    if len(errors) > MAX_ERRORS:
        more = len(errors) - MAX_ERRORS
        errors = [
            *errors[:MAX_ERRORS],
            InputError(_("and {more} more bad cells in {path}; fix these and run again", more=f"{more:,}", path=path)),
        ]
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    data["projects"] = projects
    doc.data = data
    return doc


def _checked(ws: Worksheet, cells: dict[tuple[int, int], Any], r: int, column: int, what: str) -> str | None:
    """A filled cell as text; an InputError (to be located at the cell) for TRUE/FALSE or an Excel error."""
    raw = cells.get((r, column))
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise InputError(_("{what}: a TRUE/FALSE value; write the value itself (a number, a date or text)", what=what))
    if ws.cell(row=r, column=column).data_type == "e":  # a formula that failed: #N/A, #REF!, #DIV/0! …
        raise InputError(
            _("{what}: the cell shows the Excel error {error}", what=what, error=raw),
            hint=_("fix the formula, or type the value in (Paste Special → Values)"),
        )
    return _text(raw)


def _filled(ws: Worksheet, cells: dict[tuple[int, int], Any], r: int, column: int, title: str, name: str) -> str | None:
    """One filled cell of indicator row `r` as text, read as the evaluator saw it; an InputError (to be
    located at the cell) for a value that is no text or number, or survey counts."""
    raw = cells.get((r, column))
    text = _checked(ws, cells, r, column, _("{title} of {name}", title=title, name=name))
    if column != 5 or text is None:
        return text
    if isinstance(raw, (int, float)) and "%" in (ws.cell(row=r, column=5).number_format or ""):
        # 96% typed into Excel is stored as 0.96 shown as a percentage: read what the evaluator saw
        try:
            return f"{plain(to_decimal(repr(raw)) * 100)}%"
        except ValueError as exc:
            raise InputError(_("{title} of {name}: {reason}", title=title, name=name, reason=exc)) from None
    if _SURVEY.search(text):
        raise InputError(
            _(
                "{title} of {name}: survey counts ({text}) cannot be given in the Excel form, which has no columns "
                "for them",
                title=title,
                name=name,
                text=text,
            ),
            hint=_(
                "write the satisfaction rate (such as 92%), or give the counts as survey: {example} "
                "in a YAML or JSON actuals file",
                example="{满意: 40, 不满意: 1}",
            ),
        )
    return text


def _merged_values(ws: Worksheet, cells: dict[tuple[int, int], Any]) -> dict[tuple[int, int], Any]:
    """Every cell of a merged range carries the value of its top-left cell, within the used range only."""
    out: dict[tuple[int, int], Any] = {}
    last_row = max((r for r, _c in cells), default=0)
    last_col = max((c for _r, c in cells), default=0)
    for rng in ws.merged_cells.ranges:
        value = cells.get((rng.min_row, rng.min_col))
        for r in range(rng.min_row, min(rng.max_row, last_row) + 1):
            for c in range(rng.min_col, min(rng.max_col, last_col) + 1):
                out[(r, c)] = value
    return out


def display(cell: Any) -> str | None:
    """A cell's text as Excel shows it: 5 formatted 0.00 is 5.00, 0.3 formatted 0% is 30%, text as typed."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        text = _text(value) if not isinstance(value, str) else value.strip()
        return text if text else None
    number = to_decimal(repr(value))
    fmt = cell.number_format or "General"
    if fmt.endswith("%"):
        number *= 100
    places = re.search(r"0\.(0+)", fmt)
    text = f"{number:.{len(places.group(1))}f}" if places else plain(number)
    return text + ("%" if fmt.endswith("%") else "")


def workbook_grids(path: Path, wb: Workbook | None = None) -> tuple[list[str], Callable[[list[str]], list[Grid]]]:
    """A workbook's sheet names, and its sheets as grids of what each cell shows (merged cells repeated)."""

    wb = wb or _open(path)

    def grids(names: list[str]) -> list[Grid]:
        out = []
        for name in names:
            ws = wb[name]
            # the extent of the cells that hold values, within the caps: never max_row × max_column, which
            # one stray value in XFD1048576 stretches to seventeen billion cells
            used = used_cells(ws, path)
            last_row = max((r for r, _c in used), default=0)
            last_col = max((c for _r, c in used), default=0)
            merged: dict[tuple[int, int], str | None] = {}
            for rng in ws.merged_cells.ranges:
                top = display(ws.cell(row=rng.min_row, column=rng.min_col))
                for r in range(rng.min_row, min(rng.max_row, last_row) + 1):
                    for c in range(rng.min_col, min(rng.max_col, last_col) + 1):
                        merged[(r, c)] = top
            rows = [
                [
                    merged[(r, c)] if (r, c) in merged else display(ws.cell(row=r, column=c))
                    for c in range(1, last_col + 1)
                ]
                for r in range(1, last_row + 1)
            ]
            out.append(Grid(name, rows, _namer(name)))
        return out

    return list(wb.sheetnames), grids


def _namer(sheet: str) -> Callable[[int, int], str]:
    from openpyxl.utils import get_column_letter

    return lambda r, c: f"{sheet}!{get_column_letter(c + 1)}{r + 1}"
