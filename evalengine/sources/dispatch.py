"""The one place a file's name decides how it is read: YAML, JSON, or a filled Excel form.

Commands, directory scans and the public API all read through `read_document`, so a folder of
workbooks scores like a folder of YAML files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from evalengine.errors import InputError, Location
from evalengine.i18n import _
from evalengine.sources.documents import Document, parse_json, parse_yaml, read_text, read_text_bytes

Format = Literal["yaml", "json", "xlsx", "docx"]
# the formats a folder is scanned for; a Word 自评表 (.docx) is read only when named (a folder holds reports)
FORMATS: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xlsx": "xlsx"}


def format_of(path: Path) -> Format:
    """How `path` is read: by its suffix; any other name is read as YAML text."""
    if path.suffix.lower() == ".docx":
        return "docx"
    return FORMATS.get(path.suffix.lower(), "yaml")


def read_document(path: Path, encoding: str | None = None, mapping: str | None = None) -> Document:
    """The data of a YAML, JSON, Excel-form or Word 自评表 file, every value located (line, key path or cell).

    `mapping` (a built-in name, or a path relative to the working folder) is the layout of a filled
    workbook or Word table; without it a workbook's 设置 sheet names it, or the headers tell."""
    match format_of(path):
        case "xlsx":
            from evalengine.sources.filled import read_workbook_actuals  # openpyxl: only when a workbook is read

            return read_workbook_actuals(path, mapping)
        case "docx":
            from evalengine.sources.filled import read_docx_actuals

            return read_docx_actuals(path, mapping)
        case "json":
            text, raw = read_text_bytes(path, encoding)  # the bytes of UTF-8 are not encoded again
            return parse_json(text, str(path), raw)
        case "yaml":
            return parse_yaml(read_text(path, encoding), str(path))


def is_actuals(doc: Document) -> bool:
    """Whether a document is an actuals file: it names its targets and lists projects."""
    return isinstance(doc.data, dict) and "targets" in doc.data and "projects" in doc.data


def actuals_files(
    paths: Iterable[Path], encoding: str | None = None, mapping: str | None = None
) -> Iterator[tuple[Path, Document | None, str]]:
    """Each actuals file named, or found in a named folder, as (path, document or None, note).

    A file named on the command line is taken as it is (document None: read it when needed). A
    folder's files of a known format are read here to recognise them, so each is read once; one that
    is not an actuals file comes with a note saying so, and no document.
    """
    for path, in_folder in candidates(paths):
        if not in_folder:
            yield path, None, ""
            continue
        doc, note = recognise(path, encoding, mapping)
        yield path, doc, note


def candidates(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """Each file named, and each file of a known format in a named folder (True), in order, none read yet."""
    for path in paths:
        if not path.exists():
            raise InputError(_("no such file or directory: {path}", path=path), Location(str(path)))
        if not path.is_dir():
            yield path, False
            continue
        # a device or a pipe named like a data file is read, and so refused by name, never passed over
        for candidate in sorted(p for p in path.iterdir() if p.suffix.lower() in FORMATS and not p.is_dir()):
            yield candidate, True


def recognise(candidate: Path, encoding: str | None = None, mapping: str | None = None) -> tuple[Document | None, str]:
    """A folder's file read to tell whether it is an actuals file: its document, or a note saying why not."""
    if format_of(candidate) == "xlsx":
        from evalengine.sources.workbook import is_form

        if not is_form(candidate):
            return None, _("{path}: not an actuals form (no 设置 sheet), passed over", path=candidate)
    doc = read_document(candidate, encoding, mapping)
    if is_actuals(doc):
        return doc, ""
    return None, not_actuals(candidate)


def not_actuals(candidate: Path) -> str:
    """The note for a folder's YAML or JSON file that is not an actuals file (a targets file, say)."""
    return _("{path}: not an actuals file (no targets: and projects:), passed over", path=candidate)
