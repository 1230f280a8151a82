"""`evalengine score`: the self-evaluation (绩效自评) of one or more actuals files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from evalengine.cli.app import main, user_errors
from evalengine.cli.output import (
    SCORE_FORMATS,
    _emit,
    _format_for,
    atomic_file,
    report_options,
)
from evalengine.text import count


@main.command()
@click.argument("actuals", nargs=-1, required=True, type=click.Path(path_type=Path))
@report_options(SCORE_FORMATS)
@click.option("--strict", is_flag=True, help="Exit 1 when any finding is an error (missing actual, explanation …).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Score the department files in this many processes (0: one per core). The output is the same.",
)
@user_errors
def score(
    actuals: tuple[Path, ...],
    rules: str | None,
    fmt: str | None,
    output: Path | None,
    strict: bool,
    encoding: str | None,
    targets: str | None,
    template: Path | None,
    jobs: int,
) -> None:
    """Score the self-evaluation (绩效自评) in ACTUALS: actuals files, or directories holding them.

    Several files are scored together into one department or city overview, one file at a time:
    JSON and NDJSON reports are written project by project, so memory stays flat.
    Exit 0 on success, 1 with --strict when a finding is an error, 2 on bad input.
    """
    from evalengine.reports import batch

    fmt = _format_for(fmt, output, template=template)
    jobs = jobs or batch.default_jobs()

    def note(text: str) -> None:
        click.echo(f"note: {text}", err=True)

    if fmt in ("json", "ndjson"):
        if output is None:
            stdout = sys.stdout.buffer
            if fmt == "json":
                summary = batch.write_json(stdout, actuals, rules, encoding, targets, note, jobs)
            else:
                summary = batch.write_ndjson(stdout, actuals, rules, encoding, targets, note, jobs, stream=True)
        else:
            with atomic_file(output, "wb") as handle:
                if fmt == "json":
                    summary = batch.write_json(handle, actuals, rules, encoding, targets, note, jobs)
                else:
                    summary = batch.write_ndjson(handle, actuals, rules, encoding, targets, note, jobs)
            _wrote(output, summary)
    else:
        report = batch.build_report(actuals, rules, encoding, targets, note, jobs)
        _emit(report, fmt, output, "report", template)
        summary = report["summary"]
    if strict:
        _strict_exit(summary["findings"]["error"])


def _wrote(output: Path, summary: dict[str, Any]) -> None:
    projects = count(summary["projects"], "project")
    click.echo(f"wrote {output} ({projects}, {count(summary['findings']['error'], 'error finding')})", err=True)


def _strict_exit(errors: int) -> None:
    """--strict: exit 1 when any finding is an error, saying how many (the report itself may be in a file)."""
    if errors:
        click.echo(f"strict: {count(errors, 'error finding')}, exit 1", err=True)
        sys.exit(1)
