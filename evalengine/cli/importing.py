"""`evalengine import`: published 绩效目标表 into a targets file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evalengine.cli.app import main, user_errors
from evalengine.cli.output import Year, _format_for, write_atomically
from evalengine.errors import EvalEngineError, InputError, Location
from evalengine.i18n import N_, _, ngettext

TARGET_FORMATS = ("yaml", "json")


@main.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the targets file here (atomically) instead of to stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(TARGET_FORMATS),
    default=None,
    help="The targets file's format (default: from the -o file's extension, else yaml).",
)
@click.option("--year", type=Year(), default=None, help="The budget year, written into the targets file.")
@click.option("--strict", is_flag=True, help="Exit 1 when anything could not be placed.")
@click.option("--encoding", default=None, help="Encoding of SOURCE when it is not UTF-8 (e.g. gbk).")
@click.option(
    "--mapping",
    default=None,
    help="How the tables are laid out: a built-in mapping (evalengine mappings list) or a mapping file. "
    "Default: for .xlsx the built-in mapping whose headers match; for .pdf/.docx budget-disclosure.",
)
@user_errors
def import_(
    source: Path,
    output: Path | None,
    fmt: str | None,
    year: int | None,
    strict: bool,
    encoding: str | None,
    mapping: str | None,
) -> None:
    """Read published 绩效目标表 into a targets file: the PDF (or its extracted .txt), a Word document,
    or an Excel workbook (each province's layout through a mapping).

    Prints what it read and a located warning for every line, row or cell it could not place.
    Exit 0, 1 with --strict when anything was not placed, 2 when SOURCE cannot be read.
    """
    from evalengine.authoring.import_text import to_yaml
    from evalengine.authoring.importing import import_file

    fmt = _format_for(
        fmt, output, TARGET_FORMATS, what=N_("the targets file's format"), default="yaml", example="targets"
    )
    imported = import_file(source, mapping, encoding=encoding)
    if source.suffix.lower() == ".xlsx":  # evalengine's own form or report, or no table at all: say so
        _not_a_target_table(source, imported.data.get("projects"), imported.warnings, imported.tableless)
    data = imported.data
    if not data.get("projects"):
        hint = NO_TABLE_HINTS.get(source.suffix.lower())
        if hint is not None:
            raise EvalEngineError(_("{source}: no project table (N.…绩效目标表) found", source=source), hint=_(hint))
        raise InputError(
            _(
                "no project table found: expected the text of a published 绩效目标表, each table headed "
                "N.<项目名称>绩效目标表 (1.见义勇为专项资金绩效目标表) with its 项目名称, 项目编码 and 预算数 and the "
                "indicator rows 一级指标 / 二级指标 / 三级指标 / 指标值"
            ),
            Location(str(source)),
            hint=_("a YAML or JSON targets file needs no import: name it as targets: in the actuals file")
            if source.suffix.lower() in (".yaml", ".yml", ".json")
            else _(
                "extract the PDF's text with `pdftotext -layout tables.pdf tables.txt`, or import a table "
                "(.pdf, .docx, .xlsx)"
            ),
        )
    for project in data["projects"]:
        said = _(
            "read {code} {name}: {n} indicators",
            code=project["code"],
            name=project["name"],
            n=len(project["indicators"]),
        )
        click.echo(said, err=True)
    total = sum(len(p["indicators"]) for p in data["projects"])
    budget = _budget(data["projects"])
    projects = ngettext("{n} project", "{n} projects", len(data["projects"]))
    indicators = ngettext("{n} indicator", "{n} indicators", total)
    if budget:
        unit = data.get("unit", "万元")
        said = _(
            "read {projects}, {indicator_count}, 预算数 {budget}{unit} in all",
            projects=projects,
            indicator_count=indicators,
            budget=budget,
            unit=unit,
        )
    else:
        said = _("read {projects}, {indicator_count}", projects=projects, indicator_count=indicators)
    click.echo(said, err=True)
    for note in imported.notes:
        click.echo(_("note: {note}", note=note), err=True)
    for warning in imported.warnings:
        click.echo(_("warning: {warning}", warning=warning), err=True)
    if fmt == "json":
        text = json.dumps({**({"year": year} if year else {}), **data}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = to_yaml(data, source.name, year)
    if output is not None:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False)
    if strict and imported.warnings:
        said = ngettext(
            "strict: {n} warning (lines or rows not placed), exit 1",
            "strict: {n} warnings (lines or rows not placed), exit 1",
            len(imported.warnings),
        )
        click.echo(said, err=True)
        sys.exit(1)


def _budget(projects: list[dict[str, object]]) -> str:
    """The projects' 预算数 added up, as read; empty when one does not read as an amount."""
    from evalengine.numbers import plain, to_decimal

    total = to_decimal("0")
    for project in projects:
        budget = project.get("budget")
        try:
            total += to_decimal(str(budget.get("total") if isinstance(budget, dict) else budget))
        except ValueError:
            return ""
    return plain(total)


NO_TABLE_HINTS = {
    ".xlsx": N_(
        "a sheet with a row naming 三级指标 and 指标值; for another layout give --mapping (evalengine mappings list)"
    ),
    ".pdf": N_("a PDF whose tables are ruled and whose text can be selected; give --mapping for another layout"),
    ".docx": N_("a Word document with its tables as Word tables; give --mapping for another layout"),
}


TARGET_TABLE = N_(
    "a 绩效目标表: one project a sheet, 项目名称, 项目编码 and 预算数 above a header row naming the columns "
    "一级指标, 二级指标, 三级指标 and 指标值 (绩效指标描述, 指标值确定依据 and 分值 are read too)"
)


def _not_a_target_table(source: Path, projects: object, warnings: list[str], tableless: int = 0) -> None:
    """Refuse a workbook that is not a 绩效目标表, saying what was expected: evalengine's own 自评表 form
    (scored, not imported) or report, or a workbook in which no sheet holds a target table."""
    from evalengine.sources.workbook import written_by_evalengine

    kind, titles = written_by_evalengine(source)
    where = Location(str(source))
    sheets = ", ".join(titles[:3]) + (" …" if len(titles) > 3 else "")
    expected = _(TARGET_TABLE)
    if kind == "form":
        raise InputError(
            _(
                "this is a 自评表 form to fill (it has a 设置 sheet, as `evalengine init` writes), not a "
                "绩效目标表; import reads {expected}",
                expected=expected,
            ),
            where,
            hint=_("score a filled form with: evalengine score {source}", source=source),
        )
    if kind == "report":  # its 自评表 sheets look like tables, but it is what scoring wrote, never a source
        raise InputError(
            _(
                "this is a report evalengine wrote (sheets {sheets}), not a 绩效目标表; import reads {expected}",
                sheets=sheets,
                expected=expected,
            ),
            where,
            hint=_("import the 绩效目标表 the report was made from, or score its actuals file again"),
        )
    if projects:
        return
    reasons = "".join(f"\n  {w}" for w in warnings[:10]) + ("\n  …" if len(warnings) > 10 else "")
    # every warning says a sheet has no indicator table (counted where said: the words follow the language)
    if not titles or (tableless == len(warnings) == len(titles)):
        message = _(
            "no 绩效目标表 found: no sheet has a header row naming 一级指标, 三级指标 and 指标值; "
            "import reads {expected}{reasons}",
            expected=expected,
            reasons=reasons,
        )
    else:
        message = _(
            "no 绩效目标表 found: no sheet holds a project (see why below); import reads {expected}{reasons}",
            expected=expected,
            reasons=reasons,
        )
    raise InputError(
        message,
        where,
        hint=_("a filled 自评表 form is scored, not imported: evalengine score {source}", source=source),
    )
