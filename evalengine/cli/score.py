"""`evalengine score`: the self-evaluation (绩效自评) of one or more actuals files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evalengine.cli.app import main, user_errors
from evalengine.cli.output import (
    SCORE_FORMATS,
    _emit,
    _format_for,
    _progress,
    atomic_file,
    report_options,
)
from evalengine.text import count


@main.command()
@click.argument("actuals", nargs=-1, required=True, type=click.Path(path_type=Path))
@report_options(SCORE_FORMATS)
@click.option("--strict", is_flag=True, help="Exit 1 when any finding is an error (missing actual, explanation …).")
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
) -> None:
    """Score the self-evaluation (绩效自评) in ACTUALS: actuals files, or directories holding them.

    Several files are scored together into one department or city overview.
    Exit 0 on success, 1 with --strict when a finding is an error, 2 on bad input.
    """
    from evalengine.pipeline import actuals_files, score_files
    from evalengine.reports.view import build

    fmt = _format_for(fmt, output, template=template)
    if fmt == "ndjson":
        _stream_ndjson(actuals, rules, encoding, output, strict, targets)
        return
    files, passed_over = actuals_files(actuals, encoding)
    for note in passed_over:
        click.echo(f"note: {note}", err=True)
    results = score_files(files, rules, encoding, progress=_progress, targets=targets)
    report = build(results)
    _emit(report, fmt, output, "report", template)
    if strict:
        _strict_exit(report["summary"]["findings"]["error"])


def _stream_ndjson(
    actuals: tuple[Path, ...],
    rules: str | None,
    encoding: str | None,
    output: Path | None,
    strict: bool,
    targets: str | None = None,
) -> None:
    """Write each project as it is scored: memory stays flat however large the batch.

    With -o the lines go to a temporary file renamed into place at the end, so an input error midway
    leaves nothing behind; on stdout an error ends the stream early with exit code 2.
    """
    from evalengine.pipeline import iter_scored
    from evalengine.reports.ndjson import ndjson_lines

    def note(text: str) -> None:
        click.echo(f"note: {text}", err=True)

    errors = 0
    if output is None:
        for line in ndjson_lines(iter_scored(actuals, rules, encoding, targets, note)):
            sys.stdout.write(line)
            if line.startswith('{"summary"'):
                errors = json.loads(line)["summary"]["findings"]["error"]
    else:
        with atomic_file(output, "w") as handle:
            for line in ndjson_lines(iter_scored(actuals, rules, encoding, targets, note)):
                handle.write(line)
                last = line
        summary = json.loads(last)["summary"]
        errors = summary["findings"]["error"]
        projects = count(summary["projects"], "project")
        click.echo(f"wrote {output} ({projects}, {count(errors, 'error finding')})", err=True)
    if strict:
        _strict_exit(errors)


def _strict_exit(errors: int) -> None:
    """--strict: exit 1 when any finding is an error, saying how many (the report itself may be in a file)."""
    if errors:
        click.echo(f"strict: {count(errors, 'error finding')}, exit 1", err=True)
        sys.exit(1)
