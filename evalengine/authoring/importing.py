"""What `evalengine import` (and `review`) reads, by the file's suffix: the PDF's extracted text (.txt and
any other text), a PDF, a Word document, or an Excel workbook (through a mapping, or evalengine's own layout)."""

from __future__ import annotations

from pathlib import Path

from evalengine.authoring.import_text import Imported, import_text
from evalengine.errors import InputError, Location
from evalengine.i18n import _
from evalengine.language.vocabulary import Vocabulary
from evalengine.sources.documents import read_text, refuse_control_lines
from evalengine.sources.mapping import load_mapping

DOCUMENT_SUFFIXES = (".pdf", ".docx")


def import_file(
    path: Path,
    mapping: str | None = None,
    *,
    encoding: str | None = None,
    vocab: Vocabulary | None = None,
    keep_empty: bool = False,
    source: str | None = None,
) -> Imported:
    """The 绩效目标表 in `path` as a targets file's data, with notes and located warnings.

    `mapping` (a built-in name or a path relative to the working folder) says how a workbook's or a
    document's tables are laid out; without it a workbook is read through the built-in mapping whose
    headers match best (a note says which), or evalengine's own layout.
    """
    suffix = path.suffix.lower()
    chosen = load_mapping(mapping, Path.cwd()) if mapping else None
    if suffix == ".xlsx":
        from evalengine.authoring.import_mapped import import_workbook  # openpyxl: only when a workbook is read

        imported = import_workbook(path, chosen, keep_empty=keep_empty)
        if imported is not None:
            return imported
        from evalengine.authoring.import_xlsx import import_xlsx

        return import_xlsx(path, keep_empty=keep_empty)
    if suffix == ".pdf":
        from evalengine.authoring.import_document import import_pdf

        return import_pdf(path, chosen)
    if suffix == ".docx":
        from evalengine.authoring.import_document import import_docx

        return import_docx(path, chosen)
    if suffix in (".doc", ".xls"):
        raise InputError(
            _("{suffix} is the old binary format, which evalengine does not read", suffix=suffix),
            Location(str(path)),
            hint=_(
                "save it as {suffix}x (or: soffice --headless --convert-to {format}x {name})",
                suffix=suffix,
                format=suffix[1:],
                name=path.name,
            ),
        )
    if chosen is not None:
        raise InputError(
            _("--mapping applies to .xlsx, .docx and .pdf tables, not to {name}", name=path.name), Location(str(path))
        )
    text = read_text(path, encoding)
    refuse_control_lines(text, path, allowed="\f")  # pdftotext separates pages with a form feed
    return import_text(text, vocab, source=source or path.name)
