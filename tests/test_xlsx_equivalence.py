"""Issue 19: the streamed report workbook (reports/sheets.py) holds what openpyxl wrote, cell for cell.

The reference is the writer as it was (tests/xlsx_reference.py: openpyxl's own calls). Both workbooks are
opened with openpyxl and compared sheet by sheet: every cell's value, data type, number format, font,
fill, border, alignment and protection; merged ranges; column widths; row heights; freeze panes and the
sheet view; print settings; data validations, conditional formats, filters; defined names and document
properties. openpyxl re-derives the cells of a merged range from its first cell when it reads them, so
each sheet's XML is also read directly: every written cell, its type, its number and its style as the
style table resolves it. The bytes differ (another XML writer); byte identity is not claimed.
"""

from __future__ import annotations

import copy
import importlib.util
import io
import posixpath
import sys
import weakref
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
import xlsx_reference
from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.xml.functions import tostring

from evalengine.pipeline import score_files
from evalengine.reports import sheets, xlsx
from evalengine.reports.view import build
from evalengine.sources.xlsx import LINE_HEIGHT, lines_needed

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("bench_generate_eq", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("batch")
    module.generate(out, 2, 15)
    return build(score_files(sorted(out.glob("*-actuals.json"))))


def _example() -> dict[str, Any]:
    return build(score_files([EXAMPLE / "actuals.yaml"]))


def _awkward(view: dict[str, Any]) -> dict[str, Any]:
    """The view with history beside it and the text a report can carry: markup characters, edge spaces,
    a carriage return, formula-like names, over-long text, a blank summary, a zero and a missing change."""
    view = copy.deepcopy(view)
    view["history"] = {"compared_with": [2023]}
    changes = ["+1.50", "0.00", None, "-2.25"]
    for i, p in enumerate(view["projects"]):
        change = changes[i % len(changes)]
        p["change"] = change
        p["previous"] = {"year": 2023, "total": "80.00", "grade": "良"} if change is not None else None
    first, second = view["projects"][0], view["projects"][1]
    first["name"] = ' <项目> & "引号" '
    first["summary"] = None
    first["goals"] = ["第一行\r\n第二行", "  缩进的目标", "长" * 40000]
    second["name"] = '=HYPERLINK("http://evil.example/","点此")'
    second["execution"]["explanation"] = "说明" * 300
    second["indicators"][0]["explanation"] = "偏差原因\n" * 12
    return view


def _parts(data: bytes) -> dict[str, ElementTree.Element]:
    """Each sheet's XML by sheet name, found through the workbook and its relationships."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{RELS}Relationship")}
        parts = {}
        for sheet in book.iter(f"{MAIN}sheet"):
            target = targets[sheet.get(R_ID)]
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            parts[sheet.get("name", "")] = ElementTree.fromstring(z.read(path))
        return parts


def _styles(wb: Any) -> list[tuple[Any, ...]]:
    """Each cell format (cellXfs) of the workbook as the style it gives a cell."""
    sheet = wb.worksheets[0]
    return [_look(Cell(sheet, row=1, column=1, style_array=StyleArray(xf))) for xf in wb._cell_styles]


def _look(cell: Any) -> tuple[Any, ...]:
    """The cell's number format, font, fill, border, alignment and protection, as objects of the style tables
    (openpyxl's cell.font and the rest are proxies, which never compare equal to each other)."""
    a, wb = cell._style or StyleArray(), cell.parent.parent
    tables = (wb._fonts[a.fontId], wb._fills[a.fillId], wb._borders[a.borderId], wb._alignments[a.alignmentId])
    return (cell.number_format, *tables, wb._protections[a.protectionId])


def _written(wb: Any, part: ElementTree.Element) -> dict[str, Any]:
    """Every cell element of a sheet's XML: type, value and resolved style. A number is compared as the
    double a spreadsheet reads: openpyxl wrote 78.74 as 78.73999999999999 (16 digits of the float), the
    streamed writer writes the Decimal's own digits (test_a_decimal_keeps_every_digit); both read as 78.74."""
    styles = _styles(wb)
    out: dict[str, Any] = {"dimension": part.find(f"{MAIN}dimension").get("ref")}  # type: ignore[union-attr]
    for row in part.iter(f"{MAIN}row"):
        settings = {k: v for k, v in row.attrib.items() if k != "r"}
        if settings:  # openpyxl also wrote <row r="38"/> for a blank row: nothing to compare
            out[f"row {row.get('r')}"] = settings
        for c in row.iter(f"{MAIN}c"):
            kind = c.get("t", "n")
            v = c.findtext(f"{MAIN}v")
            if kind == "inlineStr":
                value: Any = "".join(t.text or "" for t in c.iter(f"{MAIN}t")) if c.find(f"{MAIN}is") else None
            elif kind == "n":
                value = float(v) if v else None
            else:
                value = v
            out[c.get("r", "")] = (kind, value, styles[int(c.get("s", 0))])
    return out


def _xml(setting: Any) -> bytes:
    """A setting as openpyxl would write it (some of its objects do not compare by content)."""
    return bytes(tostring(setting.to_tree()))


def _sheet_settings(ws: Any) -> dict[str, Any]:
    return {
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": {k: (d.width, d.customWidth, d.min, d.max) for k, d in ws.column_dimensions.items()},
        "heights": {k: (d.height, d.customHeight) for k, d in ws.row_dimensions.items() if d.height is not None},
        "freeze": ws.freeze_panes,
        "view": _xml(ws.sheet_view),
        "format": _xml(ws.sheet_format),
        "properties": _xml(ws.sheet_properties),
        "print options": _xml(ws.print_options),
        "page setup": _xml(ws.page_setup),
        "margins": _xml(ws.page_margins),
        "header and footer": _xml(ws.HeaderFooter),
        "print titles": (ws.print_title_rows, ws.print_title_cols),
        "print area": ws.print_area,
        "validations": ws.data_validations.dataValidation,
        "conditional": [(str(k.sqref), k.rules) for k in ws.conditional_formatting],
        "filter": ws.auto_filter.ref,
        "protection": _xml(ws.protection),
        "state": ws.sheet_state,
        "size": (ws.max_row, ws.max_column),
    }


def assert_same_workbook(new: bytes, old: bytes) -> None:
    a, b = openpyxl.load_workbook(io.BytesIO(new)), openpyxl.load_workbook(io.BytesIO(old))
    assert a.sheetnames == b.sheetnames
    assert dict(a.defined_names) == dict(b.defined_names)
    for attr in ("creator", "created", "modified", "lastModifiedBy", "title"):
        assert getattr(a.properties, attr) == getattr(b.properties, attr), attr
    assert a.active.title == b.active.title  # type: ignore[union-attr]
    parts_a, parts_b = _parts(new), _parts(old)
    for ws, other in zip(a.worksheets, b.worksheets, strict=True):
        assert _sheet_settings(ws) == _sheet_settings(other), ws.title
        for row in range(1, max(ws.max_row, other.max_row) + 1):
            for col in range(1, max(ws.max_column, other.max_column) + 1):
                x, y = ws.cell(row, col), other.cell(row, col)
                where = f"{ws.title}!{x.coordinate}"
                assert (type(x), x.value, x.data_type) == (type(y), y.value, y.data_type), where
                assert _look(x) == _look(y), where
        written_a, written_b = _written(a, parts_a[ws.title]), _written(b, parts_b[ws.title])
        for key in written_a.keys() | written_b.keys():
            assert written_a.get(key) == written_b.get(key), f"{ws.title}!{key}"


@pytest.mark.parametrize("which", ["generated", "example", "awkward"])
def test_the_streamed_workbook_holds_what_openpyxl_wrote(which: str, generated: dict[str, Any]) -> None:
    view = {"generated": generated, "example": _example(), "awkward": _awkward(generated)}[which]
    assert_same_workbook(xlsx.workbook_bytes(view), xlsx_reference.workbook_bytes(view))


def test_the_comparison_sees_a_merged_cells_border(generated: dict[str, Any]) -> None:
    """openpyxl redraws a merged range's borders when it reads it: the XML comparison must still see them."""
    old = xlsx_reference.workbook_bytes(generated)
    with zipfile.ZipFile(io.BytesIO(xlsx.workbook_bytes(generated))) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet2.xml"].decode("utf-8")
    cell = sheet.index('<c r="H1" s="')  # the last cell of the title's merge: its top, bottom and right borders
    unstyled = sheet[:cell] + '<c r="H1" t="n"/>' + sheet[sheet.index("/>", cell) + 2 :]
    parts["xl/worksheets/sheet2.xml"] = unstyled.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    with pytest.raises(AssertionError, match="H1"):
        assert_same_workbook(out.getvalue(), old)


def test_a_decimal_keeps_every_digit(generated: dict[str, Any]) -> None:
    view = copy.deepcopy(generated)
    view["projects"][0]["execution"]["budget"] = "1234567890123456.78"  # openpyxl wrote 1234567890123457
    view["summary"]["budget"] = "0.000000012345678901234567"
    with zipfile.ZipFile(io.BytesIO(xlsx.workbook_bytes(view))) as z:
        overview = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        project = z.read("xl/worksheets/sheet2.xml").decode("utf-8")
    assert '<c r="C3" s="' in overview and "<v>1234567890123456.78</v>" in overview
    assert "<v>0.000000012345678901234567</v>" in overview
    assert "<v>1234567890123456.78</v>" in project


def test_the_same_report_is_the_same_bytes(generated: dict[str, Any]) -> None:
    data = xlsx.workbook_bytes(generated)
    assert xlsx.workbook_bytes(copy.deepcopy(generated)) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"1980-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_control_characters_are_refused_as_openpyxl_refused_them(generated: dict[str, Any]) -> None:
    view = copy.deepcopy(generated)
    view["projects"][0]["summary"] = "bell\x07"
    with pytest.raises(IllegalCharacterError):
        xlsx_reference.workbook_bytes(view)
    with pytest.raises(IllegalCharacterError):
        xlsx.workbook_bytes(view)


@pytest.mark.parametrize("bad", ["\ufffe", "\uffff"])
def test_noncharacters_are_refused_as_lxml_refused_them(generated: dict[str, Any], bad: str) -> None:
    """Not in openpyxl's list of illegal characters, yet no XML can hold them: the old writer's lxml
    refused them, and written raw they made a sheet Excel cannot open (the readers refuse them first)."""
    view = copy.deepcopy(generated)
    view["projects"][0]["name"] = "项目" + bad
    with pytest.raises(ValueError):
        xlsx_reference.workbook_bytes(view)
    with pytest.raises(IllegalCharacterError):
        xlsx.workbook_bytes(view)


def test_a_written_sheet_is_not_kept() -> None:
    book = sheets.Book()
    sheet = sheets.Sheet("one")
    sheet.put(1, 1, "text", xlsx.CELL)
    gone = weakref.ref(sheet)
    book.add(sheet)
    del sheet
    assert gone() is None
    assert openpyxl.load_workbook(io.BytesIO(book.close())).active["A1"].value == "text"  # type: ignore[index]


def test_a_cell_of_another_type_is_refused() -> None:
    sheet = sheets.Sheet("one")
    sheet.put(1, 1, 1.5)  # a float would be a rounded number: the report holds Decimals
    with pytest.raises(TypeError, match="float"):
        sheets.Book().add(sheet)


@pytest.mark.parametrize("width", [1.5, 4.5, 9, 9.5, 13])
def test_a_wrapped_rows_height_is_what_fit_rows_gives(width: float) -> None:
    """Short text skips the measuring (it cannot fill a line): the heights must not change for it."""
    texts = ["ab", "中文", "中文中文", "中文中文中", "a\nb", "中\n文中文中文", "abcdefgh", "abcdefghi", "a" * 40]
    book, sheet = sheets.Book(), sheets.Sheet("heights")
    sheet.widths[1] = width
    for row, text in enumerate(texts, start=1):
        sheet.put(row, 1, text, xlsx.TEXT)
    book.add(sheet)
    ws = openpyxl.load_workbook(io.BytesIO(book.close())).active
    assert ws is not None
    for row, text in enumerate(texts, start=1):
        lines = lines_needed(text, width)
        assert ws.row_dimensions[row].height == (lines * LINE_HEIGHT if lines > 1 else None), (text, width)


def test_text_that_spells_an_excel_error_stays_text(generated: dict[str, Any]) -> None:
    """openpyxl stored a cell text such as #N/A as an error cell (finish undid formulas only); the
    streamed writer keeps every text a text."""
    view = copy.deepcopy(generated)
    view["projects"][0]["name"] = "#N/A"
    view["projects"][0]["unit"] = "#REF!"
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.workbook_bytes(view))).worksheets[1]
    assert (ws["B2"].value, ws["B2"].data_type) == ("#N/A", "s")
    assert (ws["H2"].value, ws["H2"].data_type) == ("#REF!", "s")
    old = openpyxl.load_workbook(io.BytesIO(xlsx_reference.workbook_bytes(view))).worksheets[1]
    assert old["B2"].data_type == "e"  # what it was
