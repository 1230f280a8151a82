"""Filled 自评表 in a mapping's layout (a province's workbook, the national form, a Word document) read
back as an actuals document, every value located by sheet and cell (or Word table, row and column).

`evalengine init --mapping NAME -o form.xlsx` writes such a workbook (with a 设置 sheet naming the
targets, the rules, the year and the mapping); a department's own filled form is read the same way
when `--mapping` names its layout or a built-in mapping's headers match it. evalengine's own form
(`init -o form.xlsx`) is still read by `workbook.read_xlsx_actuals`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evalengine.errors import ErrorGroup, EvalEngineError, InputError, KeyPath, Location, ReadError
from evalengine.i18n import _
from evalengine.limits import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_UNPACKED, MIB
from evalengine.sources.documents import CONTROL_HINT, Document, control_character, open_regular
from evalengine.sources.mapped import Grid, Row, Table, choose_mapping, read_tables
from evalengine.sources.mapping import PROJECT_FIELDS, Mapping, builtin_mappings, load_mapping
from evalengine.text import nfkc

SETTINGS = "设置"


SETTING_KEYS = ("targets", "rules", "year", "mapping")


# the fields a filled table gives the actuals file; the rest (targets, 分值, 得分 …) is the targets file's
EVIDENCE_SPLIT = re.compile(r"[,，;；、\n]")


def best_mapping(grids: list[Grid], need: str = "actual") -> tuple[Mapping | None, list[str]]:
    """The built-in mapping with a `need` column whose header row and labels find the most fields."""
    candidates = [load_mapping(name) for name in builtin_mappings()]
    return choose_mapping(grids, [m for m in candidates if need in m.columns])


def need_actuals(mapping: Mapping, where: Location) -> None:
    """A mapping that lays out targets only has no place for the year's results."""
    if "actual" not in mapping.columns:
        raise InputError(
            _(
                "the mapping {name} has no 实际完成值 column (actual): it lays out target tables only",
                name=mapping.name,
            ),
            where,
            hint=_(
                "give a mapping with an actual: column, such as mof-2020 or split-target (evalengine mappings list)"
            ),
        )


def actuals_document(
    grids: list[Grid],
    mapping: Mapping,
    file: str,
    settings: dict[str, str] | None = None,
    settings_cells: dict[str, str] | None = None,
) -> Document:
    """Every project table of `grids` as an actuals document: code (or 项目名称), 全年执行数, 实际完成情况,
    and each indicator's 实际完成值, 偏差原因 and 佐证材料, each located by its cell."""
    doc = Document({}, file)
    data: dict[str, Any] = {}
    for key, value in (settings or {}).items():
        data[key] = value
        doc.cells[(key,)] = (settings_cells or {}).get(key, "")
    data.pop("mapping", None)
    projects: list[dict[str, Any]] = []
    errors: list[EvalEngineError] = []
    found_table = False
    for grid in grids:
        for table in read_tables(grid, mapping):
            found_table = True
            for fields, cells, rows in groups(table):
                _project(doc, projects, fields, cells, rows, table, file, errors)
    if not found_table:
        names = ", ".join(mapping.written.get(f, f) for f in ("name", "actual") if f in mapping.written)
        raise InputError(
            _(
                "no table in the layout of the mapping {name} (no header row naming {names})",
                name=mapping.name,
                names=names,
            ),
            Location(file),
            hint=_("give the mapping of the form's layout with --mapping (evalengine mappings list)"),
        )
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    data["projects"] = projects
    doc.data = data
    return doc


def groups(table: Table) -> list[tuple[dict[str, str], dict[str, str], list[Row]]]:
    """A table's projects: the table itself, or a flat list's rows grouped by their 项目编码 (项目名称)."""
    if "code" not in table.columns and "project" not in table.columns:
        return [(dict(table.fields), dict(table.cells), table.rows)]
    groups: dict[str, list[Row]] = {}
    for row in table.rows:
        key = row.values.get("code") or row.values.get("project") or ""
        if not key and groups:
            key = list(groups)[-1]  # a code merged down over its project's rows
        groups.setdefault(key, []).append(row)
    out = []
    for rows in groups.values():
        fields, cells = dict(table.fields), dict(table.cells)
        for f in PROJECT_FIELDS:
            for row in rows:
                if row.values.get(f):
                    fields[f], cells[f] = row.values[f], row.cells[f]
                    break
        out.append((fields, cells, rows))
    return out


def _project(
    doc: Document,
    projects: list[dict[str, Any]],
    fields: dict[str, str],
    cells: dict[str, str],
    rows: list[Row],
    table: Table,
    file: str,
    errors: list[EvalEngineError],
) -> None:
    here: KeyPath = ("projects", len(projects))
    project: dict[str, Any] = {}
    if fields.get("code"):
        project["code"] = fields["code"]
        doc.cells[(*here, "code")] = cells["code"]
    elif fields.get("project"):
        project["name"] = fields["project"]  # matched to the targets by 项目名称
        doc.cells[(*here, "name")] = cells["project"]
    else:
        errors.append(
            InputError(
                _("a table without 项目编码 or 项目名称: its project cannot be told"),
                Location(file, cell=table.where),
                hint=_("fill in the 项目编码 (or 项目名称) of the table as the targets file writes it"),
            )
        )
        return
    doc.cells[here] = cells.get("code") or cells.get("project") or table.where
    execution: dict[str, Any] = {}
    for f, key in (("spent", "spent"), ("execution_explanation", "explanation")):
        if fields.get(f):
            execution[key] = fields[f]
            doc.cells[(*here, "execution", key)] = cells[f]
    project["execution"] = execution
    if fields.get("summary"):
        project["summary"] = fields["summary"]
        doc.cells[(*here, "summary")] = cells["summary"]
    indicators: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for row in rows:
        name = row.values.get("name", "")
        if not name:
            continue
        at: KeyPath = (*here, "indicators", name)
        cell = row.cells.get("actual") or row.cells.get("name") or row.where
        key = nfkc(name).strip()
        if key in seen:
            errors.append(
                InputError(
                    _("indicator {name!r} is given twice in this table; first at {first}", name=name, first=seen[key]),
                    Location(file, path=at, cell=cell),
                )
            )
            continue
        seen[key] = cell
        entry: dict[str, Any] = {}
        if row.values.get("actual"):
            entry["value"] = row.values["actual"]
        if row.values.get("explanation"):
            entry["explanation"] = row.values["explanation"]
        if row.values.get("evidence"):
            entry["evidence"] = [e.strip() for e in EVIDENCE_SPLIT.split(row.values["evidence"]) if e.strip()]
        indicators[name] = entry or None
        doc.cells[at] = cell
        for f, key in (("actual", "value"), ("explanation", "explanation"), ("evidence", "evidence")):
            if f in row.cells:
                doc.cells[(*at, key)] = row.cells[f]
    project["indicators"] = indicators
    doc.cells[(*here, "indicators")] = doc.cells[here]
    projects.append(project)


def _mapping(name: str | None, base: Path | None, where: Location) -> Mapping | None:
    if not name:
        return None
    mapping = load_mapping(name, base)
    need_actuals(mapping, where)
    return mapping


def read_workbook_actuals(path: Path, mapping: str | None = None) -> Document:
    """A filled workbook: evalengine's own form, or a form in a mapping's layout (named by `mapping`, by
    the 设置 sheet's mapping row, or found by matching the built-in mappings' headers)."""
    from evalengine.sources.workbook import _open, read_xlsx_actuals, used_cells, workbook_grids

    wb = _open(path)
    settings: dict[str, str] = {}
    settings_cells: dict[str, str] = {}
    if SETTINGS in wb.sheetnames:
        cells = used_cells(wb[SETTINGS], path)
        for row in sorted({r for r, _ in cells}):
            key, value = cells.get((row, 1)), cells.get((row, 2))
            if isinstance(key, str) and key.strip() in SETTING_KEYS and value is not None and str(value).strip():
                settings[key.strip()] = str(value).strip()
                settings_cells[key.strip()] = f"{SETTINGS}!B{row}"
    chosen = _mapping(mapping, Path.cwd(), Location(str(path)))
    if chosen is None and "mapping" in settings:
        chosen = _mapping(settings["mapping"], path.parent, Location(str(path), cell=settings_cells["mapping"]))
    sheets = [name for name in wb.sheetnames if name != SETTINGS]
    if chosen is None:
        if SETTINGS in wb.sheetnames or _own_layout(wb, sheets, path):
            return read_xlsx_actuals(path, wb=wb)
        _names, grids_of = workbook_grids(path, wb=wb)
        chosen, _found = best_mapping(grids_of(sheets))
        if chosen is None:
            raise InputError(
                _(
                    "neither evalengine's form (A1 reads 项目编码, a 设置 sheet) nor the layout of a built-in mapping "
                    "with a 实际完成值 column"
                ),
                Location(str(path)),
                hint=_(
                    "give the layout with --mapping (evalengine mappings list), or write a form with "
                    "evalengine init targets.yaml -o form.xlsx"
                ),
            )
    from fnmatch import fnmatchcase

    read = [
        s
        for s in sheets
        if any(fnmatchcase(s, p) for p in chosen.sheets) and not any(fnmatchcase(s, p) for p in chosen.skip_sheets)
    ]
    _names, grids_of = workbook_grids(path, wb=wb)
    doc = actuals_document(grids_of(read), chosen, str(path), settings, settings_cells)
    doc.notes.append(
        _("{file}: read with the mapping {mapping} ({title})", file=path.name, mapping=chosen.name, title=chosen.title)
    )
    return doc


def _own_layout(wb: Any, sheets: list[str], path: Path) -> bool:
    """evalengine's own form: its first sheet's A1 reads 项目编码."""
    if not sheets:
        return True
    value = wb[sheets[0]]["A1"].value
    return isinstance(value, str) and value.strip() == "项目编码"


def read_docx_actuals(path: Path, mapping: str | None = None) -> Document:
    """A filled 自评表 in Word: its tables through `mapping`, or the built-in mapping whose headers match."""
    grids = docx_grids(path)
    chosen = _mapping(mapping, Path.cwd(), Location(str(path)))
    if chosen is None:
        chosen, _found = best_mapping(grids)
        if chosen is None:
            raise InputError(
                _("no table in the layout of a built-in mapping with a 实际完成值 column (such as mof-2020)"),
                Location(str(path)),
                hint=_("give the table's layout with --mapping (evalengine mappings list)"),
            )
    doc = actuals_document(grids, chosen, str(path))
    doc.notes.append(
        _("{file}: read with the mapping {mapping} ({title})", file=path.name, mapping=chosen.name, title=chosen.title)
    )
    return doc


def docx_grids(path: Path) -> list[Grid]:
    """Every table of a Word document as a grid, merged cells (across and down) repeating their text."""
    return docx_tables(path)[0]


def docx_tables(path: Path) -> tuple[list[Grid], list[str]]:
    """Every table of a Word document as a grid, merged cells (across and down) repeating their text, and
    the text of its paragraphs outside the tables (a title such as （2024年度）).

    The file is read within the workbook caps: a regular file of at most 32 MiB, unpacking to at most
    64 MiB, a table of at most 5,000 rows and 64 columns; control characters in a cell are refused."""
    from docx import Document as open_docx

    data = open_regular(path, MAX_WORKBOOK_BYTES)  # a regular file of bounded size, never a device
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile:
        raise ReadError(_("cannot read {path} as a Word document (.docx)", path=path), Location(str(path))) from None
    if unpacked > MAX_WORKBOOK_UNPACKED:
        raise ReadError(
            _(
                "the document unpacks to {size} MiB; evalengine reads at most {limit} MiB",
                size=f"{unpacked / MIB:.0f}",
                limit=MAX_WORKBOOK_UNPACKED // MIB,
            ),
            Location(str(path)),
        )
    try:
        document = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a file that is not a Word document
        raise ReadError(
            _("cannot read {path} as a Word document (.docx): {reason}", path=path, reason=exc), Location(str(path))
        ) from None
    grids: list[Grid] = []
    for n, table in enumerate(document.tables, start=1):
        rows: list[list[str | None]] = []
        if len(table.rows) > MAX_SHEET_ROWS or len(table.columns) > MAX_SHEET_COLUMNS:
            raise InputError(
                _(
                    "table {n} has {rows} rows and {columns} columns; evalengine reads at most {max_rows} rows "
                    "of {max_columns} columns",
                    n=n,
                    rows=f"{len(table.rows):,}",
                    columns=len(table.columns),
                    max_rows=f"{MAX_SHEET_ROWS:,}",
                    max_columns=MAX_SHEET_COLUMNS,
                ),
                Location(str(path), cell=f"table {n}"),
            )
        for r, row in enumerate(table.rows):
            texts: list[str | None] = []
            for c, cell in enumerate(row.cells):
                text = cell.text.strip()
                if (bad := control_character(text)) is not None:
                    raise InputError(
                        _("the cell holds the control character {bad}", bad=bad),
                        Location(str(path), cell=_docx_cell(n)(r, c)),
                        hint=_(CONTROL_HINT),
                    )
                texts.append(text or None)
            rows.append(texts)
        grids.append(Grid(f"table {n}", rows, _docx_cell(n)))
    return grids, [p.text.strip() for p in document.paragraphs if p.text.strip()]


def _docx_cell(n: int) -> Callable[[int, int], str]:
    return lambda r, c: f"table {n} row {r + 1}, column {c + 1}"
