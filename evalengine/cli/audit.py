"""`evalengine audit`: published 自评表 recomputed under the rules, row by row (自评复核)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evalengine.cli.app import main, user_errors
from evalengine.cli.output import Year, _format_for, document_options, write_atomically
from evalengine.errors import ErrorGroup, EvalEngineError, InputError, Location
from evalengine.i18n import _, ngettext

FORMATS = ("md", "html", "json", "xlsx", "docx")
SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


@main.command()
@click.argument("tables", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rules", default=None, help="Rule pack: a built-in name (mof-2020) or a YAML file. Overrides rules:.")
@document_options(FORMATS, "audit")
@click.option("--year", type=Year(), default=None, help="The budget year, when the file does not say (deadlines).")
@click.option("--strict", is_flag=True, help="Exit 1 when any table is inconsistent.")
@click.option("--encoding", default=None, help="Encoding of the input files when not UTF-8 (e.g. gbk).")
@click.option(
    "--mapping",
    default=None,
    help="The layout of the workbooks or Word 自评表: a built-in mapping (evalengine mappings list) or a mapping "
    "file. Default: a workbook by its headings, else the built-in mapping whose headers match.",
)
@user_errors
def audit(
    tables: tuple[Path, ...],
    rules: str | None,
    fmt: str | None,
    output: Path | None,
    year: int | None,
    strict: bool,
    encoding: str | None,
    template: Path | None,
    mapping: str | None,
) -> None:
    """Audit published 自评表 (自评复核): recompute every printed score under the rules and say, row by
    row, where the table contradicts them.

    TABLES are files of published tables (YAML or JSON with tables:), Excel 自评表 workbooks (the
    one `evalengine score` writes, or the official layout filled in), Word 自评表 (.docx, named one
    by one), or folders of them. Every row,
    资金 row, weight sum and total gets a verdict (consistent, inconsistent, unchecked) and every
    inconsistency a reason code. Exit 0, 1 with --strict when a table is inconsistent, 2 on bad input.
    """
    from evalengine.audit.check import audit_table
    from evalengine.audit.read import read_audit_file
    from evalengine.packs.load import load_pack
    from evalengine.reports.audit import build_audit
    from evalengine.reports.formats import render_as

    fmt = _format_for(fmt, output, FORMATS, template, example="audit")
    if year is not None and not 1900 <= year <= 2200:
        raise click.BadParameter(_("expected a year such as 2024, found {year}", year=year), param_hint="--year")
    override = load_pack(rules, Path.cwd()) if rules else None
    paths: list[tuple[Path, bool]] = []  # (file, found in a folder)
    for path in tables:
        if not path.exists():
            raise InputError(_("no such file or directory: {path}", path=path), Location(str(path)))
        if path.is_dir():
            paths += [(p, True) for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES]
        else:
            paths.append((path, False))
    audited, errors, notes = [], [], []
    for path, in_folder in paths:
        try:
            if in_folder and not _is_audit_file(path, encoding):
                notes.append(_("{path}: not a file of published tables (no tables:), passed over", path=path))
                continue
            f = read_audit_file(path, encoding, year, mapping)
            notes += f.notes
            pack = override or load_pack(f.rules or "mof-2020", path.parent)
            audited += [(audit_table(f, at, pack), pack) for at in f.tables]
        except ErrorGroup as group:
            errors += group.errors
        except EvalEngineError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    if not audited:
        raise InputError(_("no published table to audit in {paths}", paths=", ".join(map(str, tables))))
    for note in notes:
        click.echo(_("note: {note}", note=note), err=True)
    report = build_audit(audited, notes)
    data = render_as(report, fmt, "audit", template)
    s = report["summary"]
    inconsistent = s["verdicts"]["inconsistent"]
    if output is not None:
        write_atomically(output, data)
        tables_written = ngettext("{n} table", "{n} tables", s["tables"])
        click.echo(
            _(
                "wrote {output} ({tables}, {inconsistent} inconsistent)",
                output=output,
                tables=tables_written,
                inconsistent=inconsistent,
            ),
            err=True,
        )
    else:
        assert isinstance(data, str)
        click.echo(data, nl=False)
    if strict and inconsistent:
        click.echo(
            ngettext("strict: {n} inconsistent table, exit 1", "strict: {n} inconsistent tables, exit 1", inconsistent),
            err=True,
        )
        sys.exit(1)


def _is_audit_file(path: Path, encoding: str | None) -> bool:
    """In a folder: a workbook, or a YAML/JSON file with tables: (actuals and targets files are passed over)."""
    from evalengine.sources.dispatch import format_of, read_document

    if format_of(path) == "xlsx":
        return True
    data = read_document(path, encoding).data
    return isinstance(data, dict) and "tables" in data
