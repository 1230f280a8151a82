"""`evalengine review`: target tables checked before the year starts (绩效目标审核)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evalengine.cli.app import main, user_errors
from evalengine.cli.output import Year, _emit, _format_for, document_options
from evalengine.errors import ErrorGroup, EvalEngineError, InputError, Location
from evalengine.i18n import _, ngettext

FORMATS = ("md", "html", "json", "xlsx", "docx")


@main.command()
@click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--rules", default=None, help="Rule pack: a built-in name (mof-2020) or a YAML file; its review: section."
)
@document_options(FORMATS, "review")
@click.option("--year", type=Year(), default=None, help="The budget year, when the table does not say (deadlines).")
@click.option("--strict", is_flag=True, help="Exit 1 when any finding is an error.")
@click.option("--encoding", default=None, help="Encoding of the input files when not UTF-8 (e.g. gbk).")
@user_errors
def review(
    targets: tuple[Path, ...],
    rules: str | None,
    fmt: str | None,
    output: Path | None,
    year: int | None,
    strict: bool,
    encoding: str | None,
    template: Path | None,
) -> None:
    """Review 绩效目标表 before the year starts (绩效目标审核): funds, spending plan, indicators, targets.

    TARGETS are targets files (YAML, JSON), or what `evalengine import` reads (the PDF's text, an
    Excel 绩效目标表), or folders of them. Every finding has a code, a severity (error, warning,
    notice), its project, indicator and place in the file. Exit 0, 1 with --strict when a finding is
    an error, 2 on bad input.
    """
    from evalengine.authoring.tables import TARGET_SUFFIXES, read_table
    from evalengine.packs.load import load_pack
    from evalengine.reports.review import build_review
    from evalengine.review.checks import review_table

    fmt = _format_for(fmt, output, FORMATS, template, example="review")
    if year is not None and not 1900 <= year <= 2200:
        raise click.BadParameter(_("expected a year such as 2024, found {year}", year=year), param_hint="--year")
    pack = load_pack(rules or "mof-2020", Path.cwd())
    paths: list[Path] = []
    for path in targets:
        if not path.exists():
            raise InputError(_("no such file or directory: {path}", path=path), Location(str(path)))
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TARGET_SUFFIXES)
            paths += [p for p in found if not _is_actuals(p, encoding)]
        else:
            paths.append(path)
    if not paths:
        raise InputError(_("no target table to review in {paths}", paths=", ".join(map(str, targets))))
    tables, errors = [], []
    for path in paths:
        try:
            table = read_table(path, pack.vocabulary, encoding)
            tables.append(review_table(table.doc, pack, year, table.warnings))
        except ErrorGroup as group:
            errors += group.errors
        except EvalEngineError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    report = build_review(tables, pack)
    _emit(report, fmt, output, "review", template)
    n = report["summary"]["findings"]["error"]
    if strict and n:
        click.echo(ngettext("strict: {n} error finding, exit 1", "strict: {n} error findings, exit 1", n), err=True)
        sys.exit(1)


def _is_actuals(path: Path, encoding: str | None) -> bool:
    """An actuals file in a folder of targets: passed over, said so on stderr."""
    from evalengine.sources.dispatch import FORMATS as READABLE
    from evalengine.sources.dispatch import is_actuals, read_document

    if READABLE.get(path.suffix.lower()) not in ("yaml", "json"):
        return False
    if is_actuals(read_document(path, encoding)):
        click.echo(
            _("note: {note}", note=_("{path}: an actuals file, not a target table, passed over", path=path)), err=True
        )
        return True
    return False
