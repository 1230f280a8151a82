"""Target tables as `evalengine review` reads them: a targets file (YAML, JSON), or whatever
`evalengine import` reads (the PDF's text, an Excel 绩效目标表), each value located by line or cell."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evalengine.authoring.import_text import Imported, import_text
from evalengine.errors import InputError, Location
from evalengine.i18n import N_, _
from evalengine.language.vocabulary import Vocabulary
from evalengine.sources.documents import Document, parse_json, parse_yaml, read_text


@dataclass(frozen=True)
class Table:
    """A target table to review: its document, and the lines or rows an importer could not place."""

    doc: Document
    warnings: tuple[str, ...] = ()


TARGET_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".txt", ".pdf", ".docx")


NO_TABLE = {  # a file that holds no project table, by what it was read as
    ".xlsx": N_(
        "no project table found; expected an Excel 绩效目标表 (a sheet with a row naming 一级指标, 三级指标, 指标值)"
    ),
    ".pdf": N_("no project table found; expected a PDF 绩效目标表 with ruled tables"),
    ".docx": N_("no project table found; expected a Word 绩效目标表 with its tables as Word tables"),
    ".txt": N_("no project table found; expected the text of a published 绩效目标表 (N.…绩效目标表 tables)"),
}


def read_table(path: Path, vocab: Vocabulary | None = None, encoding: str | None = None) -> Table:
    """A targets file by its suffix: .yaml/.yml/.json as written, .xlsx and any other text as imported."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return Table(parse_yaml(read_text(path, encoding), str(path)))
    if suffix == ".json":
        return Table(parse_json(read_text(path, encoding), str(path)))
    if suffix in (".xlsx", ".pdf", ".docx"):
        from evalengine.authoring.importing import import_file  # openpyxl, pdfplumber: only when read

        imported = import_file(path, keep_empty=suffix == ".xlsx", vocab=vocab)
        doc = Document(imported.data, str(path), cells={k: v.cell for k, v in imported.where.items() if v.cell})
        what = NO_TABLE[suffix]
    else:
        imported = import_text(read_text(path, encoding), vocab, source=str(path))
        doc = Document(imported.data, str(path), marks=_lines(imported))
        what = NO_TABLE[".txt"]
    if not imported.data.get("projects"):
        raise InputError(_(what), Location(str(path)))
    return Table(doc, tuple(imported.warnings))


def _lines(imported: Imported) -> dict[tuple[str | int, ...], tuple[int, int]]:
    return {k: (v.line, 1) for k, v in imported.where.items() if v.line is not None}
