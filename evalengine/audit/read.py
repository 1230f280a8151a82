"""The 自评表 as published, read for auditing: a YAML/JSON file of tables, or an Excel 自评表 workbook.

Both become one Document of the same shape (year, rules, department, tables: [{project, budget,
indicators, total}]), every value located by line or cell, so one audit reads them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from evalengine.errors import InputError, Location
from evalengine.i18n import _
from evalengine.inputs.collect import Collector, need_mapping, need_year
from evalengine.sources.dispatch import format_of
from evalengine.sources.documents import Document, parse_json, parse_yaml, read_text
from evalengine.text import nfkc

FILE_KEYS = ("year", "rules", "department", "tables")


TABLE_KEYS = ("project", "code", "department", "unit", "budget", "indicators", "total")


BUDGET_KEYS = ("initial", "adjusted", "spent", "rate", "weight", "score", "explanation")


# the target table's keys (language of targets files) plus what a published 自评表 prints beside them
ROW_KEYS = (
    "level1",
    "level2",
    "name",
    "description",
    "target",
    "basis",
    "weight",
    "direction",
    "operator",
    "value",
    "unit",
    "actual",
    "score",
    "explanation",
    "evidence",
)


@dataclass
class AuditFile:
    """One file of published tables: its document and what it says for all its tables."""

    path: Path
    doc: Document
    year: int | None
    rules: str | None
    department: str
    tables: list[tuple[str, int]] = field(default_factory=list)  # where each table's mapping is
    notes: list[str] = field(default_factory=list)  # sheets passed over, and why


def read_audit_file(
    path: Path, encoding: str | None = None, year: int | None = None, mapping: str | None = None
) -> AuditFile:
    """A file of published tables (YAML, JSON, an Excel or Word 自评表). Only a file that holds no table at
    all, or is not a mapping of tables, is an input error: one odd table is audited as far as it reads.

    `mapping` (a built-in name or a path relative to the working folder) reads a workbook or Word
    document in that layout; without it a workbook is read by its headings (the workbook `score` writes,
    or an official layout printing them) and, when they find no table, through the built-in mapping whose
    headers match; a Word document through the built-in mapping whose headers match."""
    if format_of(path) in ("xlsx", "docx"):
        from evalengine.audit.workbook import read_tables_file  # openpyxl, python-docx: only when read

        doc, notes = read_tables_file(path, mapping)
    else:
        text = read_text(path, encoding)
        doc = parse_json(text, str(path)) if format_of(path) == "json" else parse_yaml(text, str(path))
        notes = []
    c = Collector(doc)
    data = need_mapping(c, doc.data, (), "a file of published tables (year:, rules:, tables:)")
    c.keys((), data, FILE_KEYS)
    c.raise_if_any()
    file_year = c.attempt(need_year, c, data.get("year"), ("year",))
    c.raise_if_any()
    if year is not None and file_year is not None and year != file_year:
        raise InputError(
            _("--year {year} differs from the file's year {file_year}", year=year, file_year=file_year),
            c.where(("year",)),
        )
    tables = data.get("tables")
    if not isinstance(tables, list) or not tables:
        what = _("no 自评表 sheet found (a sheet with 三级指标, 分值 and 得分 columns)") if not notes else notes[0]
        if format_of(path) in ("xlsx", "docx"):
            raise InputError(what, Location(str(path)))
        raise InputError(_("tables: expected a list of published 自评表 tables"), c.where(("tables",)))
    rules = data.get("rules")
    if rules is not None and not isinstance(rules, str):
        raise InputError(_("rules: expected a built-in pack name or a path"), c.where(("rules",)))
    department = data.get("department")
    department = "" if department is None or isinstance(department, (dict, list)) else str(department).strip()
    return AuditFile(
        path,
        doc,
        year or file_year,
        rules,
        department,
        [("tables", i) for i in range(len(tables))],
        notes,
    )


# --- printed numbers -------------------------------------------------------------------------------

NA_WORDS = frozenset({"不适用", "na", "n/a"})
EMPTY = frozenset({"", "-", "--", "—", "——", "–", "/", "\\", "*"})
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Printed:
    """A number as a table prints it: its value, the decimals written, and the text shown back."""

    value: Decimal | None  # None: the cell is empty
    places: int = 0
    text: str | None = None
    na: bool = False  # 不适用


def printed_number(value: Any, where: Location, what: str, unit: str = "分") -> Printed:
    """A printed score or weight (20, 19.6, 19.60, 20分), an empty cell, or 不适用."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise InputError(_("{what}: expected a number, found {value!r}", what=what, value=value), where)
        return Printed(None)
    if isinstance(value, dict):
        raise InputError(_("{what}: expected a number, found a mapping", what=what), where)
    if isinstance(value, list):
        raise InputError(_("{what}: expected a number, found a list", what=what), where)
    text = nfkc(str(value)).strip().replace(",", "")
    if text in EMPTY:
        return Printed(None)
    if text.lower() in NA_WORDS:
        return Printed(None, 0, "不适用", na=True)
    number = text.removesuffix(unit).strip() if unit else text
    if not _NUMBER.match(number):
        raise InputError(_("{what}: expected a number such as 19.6, found {value!r}", what=what, value=value), where)
    places = len(number.split(".", 1)[1]) if "." in number else 0
    return Printed(Decimal(number), places, number)


def printed_rate(value: Any, where: Location) -> Printed:
    """执行率 as printed: 97%, 97.5％, or a bare 97 (the 执行率（%） column); the value is a fraction."""
    if value is None:
        return Printed(None)
    text = nfkc(str(value)).strip() if not isinstance(value, (dict, list, bool)) else "?"
    if text in EMPTY:
        return Printed(None)
    number = text.removesuffix("%").strip()
    if not _NUMBER.match(number) or number.startswith("-"):
        raise InputError(_("rate: expected a percentage such as 97%, found {value!r}", value=value), where)
    return Printed(Decimal(number) / 100, 0, f"{number}%")
