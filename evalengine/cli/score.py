"""`evalengine score`: the self-evaluation (绩效自评) of one or more actuals files."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evalengine.cli.app import main, user_errors
from evalengine.cli.history import history_option
from evalengine.cli.output import (
    SCORE_FORMATS,
    _emit,
    _format_for,
    _progress,
    atomic_file,
    report_options,
    wrote,
)
from evalengine.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from evalengine.history.record import Stores
    from evalengine.pipeline import Scored


@main.command()
@click.argument("actuals", nargs=-1, required=True, type=click.Path(path_type=Path))
@report_options(SCORE_FORMATS)
@click.option("--strict", is_flag=True, help="Exit 1 when any finding is an error (missing actual, explanation …).")
@history_option(
    N_(
        "A history file (SQLite): missing baselines of trend targets come from last year's record, and the "
        "report shows last year's total and 同比. With --record, the run is recorded into it."
    )
)
@click.option(
    "--record",
    is_flag=True,
    # a literal, not built from history.DEFAULT: help is a message id (tests/test_cli_messages.py: they agree)
    help="Record this run in the history file (--history, default evalengine-history.sqlite beside the targets file).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Score the department files in this many processes (0: one per core). The output is the same.",
)
@click.option(
    "--mapping",
    default=None,
    help="The layout of a filled workbook or Word 自评表: a built-in mapping (evalengine mappings list) or a "
    "mapping file. Default: the form's 设置 sheet, evalengine's own form, or the built-in mapping whose headers match.",
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
    history_path: Path | None,
    record: bool,
    jobs: int,
    mapping: str | None,
) -> None:
    """Score the self-evaluation (绩效自评) in ACTUALS: actuals files, or directories holding them.

    Several files are scored together into one department or city overview, one file at a time:
    JSON and NDJSON reports are written project by project, so memory stays flat.
    Exit 0 on success, 1 with --strict when a finding is an error, 2 on bad input.
    """
    from evalengine.reports import batch

    fmt = _format_for(fmt, output, template=template)
    # filled workbooks and Word tables named on the command line take the whole-jobs path too: it says
    # which layout read them (a note the streaming batch does not carry)
    forms = any(path.suffix.lower() in (".xlsx", ".docx") for path in actuals)
    if history_path is not None or record or mapping is not None or forms:
        _score_whole(actuals, rules, fmt, output, strict, encoding, targets, template, history_path, record, mapping)
        return
    jobs = jobs or batch.default_jobs()

    def note(text: str) -> None:
        click.echo(_("note: {note}", note=text), err=True)

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


def _score_whole(
    actuals: tuple[Path, ...],
    rules: str | None,
    fmt: str,
    output: Path | None,
    strict: bool,
    encoding: str | None,
    targets: str | None,
    template: Path | None,
    history_path: Path | None,
    record: bool,
    mapping: str | None,
) -> None:
    """score with --history, --record or --mapping: baselines from last year, 同比, the run recorded, forms
    read through a mapping.

    It runs in one process and keeps each file's scored jobs whole (to record them), so --jobs does
    not apply; NDJSON still streams one file at a time.
    """
    from evalengine.pipeline import actuals_files, score_files
    from evalengine.reports.view import build

    stores = _stores(history_path, record)
    try:
        if fmt == "ndjson":
            summary = _stream_ndjson(actuals, rules, encoding, output, targets, stores, record, mapping)
        else:
            files, passed_over = actuals_files(actuals, encoding, mapping)
            for text in passed_over:
                click.echo(_("note: {note}", note=text), err=True)
            results = score_files(
                files, rules, encoding, progress=_progress, targets=targets, history=stores, mapping=mapping, note=_note
            )
            report = build(results)
            _emit(report, fmt, output, "report", template)
            if record and stores is not None:
                _record(stores, results, encoding)
            summary = report["summary"]
    finally:
        if stores is not None:
            stores.close()
    if strict:
        _strict_exit(summary["findings"]["error"])


def _note(text: str) -> None:
    click.echo(_("note: {note}", note=text), err=True)


def _stores(path: Path | None, record: bool) -> Stores | None:
    """The history files this run reads (and, with --record, writes): none unless asked for."""
    if path is None and not record:
        return None
    from evalengine.history.record import Stores

    return Stores(path, create=record)


def _record(stores: Stores, results: Iterable[Scored], encoding: str | None) -> None:
    from evalengine.history.record import record

    for path, run_id, new, scored in record(stores, results, encoding):
        job = scored.job
        what = f"{job.year} {job.targets.department or job.path}"
        if new:
            projects = ngettext("{n} project", "{n} projects", len(scored.cards))
            message = _(
                "recorded {what} ({projects}) in {path} as run {run_id}",
                what=what,
                projects=projects,
                path=path,
                run_id=run_id,
            )
        else:
            message = _(
                "{what}: already recorded in {path} as run {run_id} (same inputs); nothing added",
                what=what,
                path=path,
                run_id=run_id,
            )
        click.echo(message, err=True)


def _stream_ndjson(
    actuals: tuple[Path, ...],
    rules: str | None,
    encoding: str | None,
    output: Path | None,
    targets: str | None,
    stores: Stores | None,
    record: bool,
    mapping: str | None = None,
) -> dict[str, Any]:
    """NDJSON with history, each project written as it is scored. With -o the lines go to a temporary
    file renamed into place at the end; with --record, each file is recorded once its last project has
    been scored (memory holds one file's scorecards). Returns the summary."""
    import json

    from evalengine.pipeline import iter_scored
    from evalengine.reports.ndjson import ndjson_lines

    def note(text: str) -> None:
        click.echo(_("note: {note}", note=text), err=True)

    stream = iter_scored(actuals, rules, encoding, targets, note, stores, mapping)
    if record and stores is not None:
        stream = _recording(stream, stores, encoding)
    last = ""
    if output is None:
        for line in ndjson_lines(stream):
            sys.stdout.write(line)
            last = line
    else:
        with atomic_file(output, "w") as handle:
            for line in ndjson_lines(stream):
                handle.write(line)
                last = line
    summary: dict[str, Any] = json.loads(last)["summary"]
    if output is not None:
        _wrote(output, summary)
    return summary


def _wrote(output: Path, summary: dict[str, Any]) -> None:
    click.echo(wrote(output, summary), err=True)


def _recording(stream: Iterator[Scored], stores: Stores, encoding: str | None) -> Iterator[Scored]:
    """Pass the stream through, recording each file once all its projects have gone by."""
    from evalengine.pipeline import Scored

    job, cards = None, []
    for scored in stream:
        if scored.job is not job and job is not None:
            _record(stores, [Scored(job, cards)], encoding)
            cards = []
        job = scored.job
        cards += scored.cards
        yield scored
    if job is not None:
        _record(stores, [Scored(job, cards)], encoding)


def _strict_exit(errors: int) -> None:
    """--strict: exit 1 when any finding is an error, saying how many (the report itself may be in a file)."""
    if errors:
        click.echo(
            ngettext("strict: {n} error finding, exit 1", "strict: {n} error findings, exit 1", errors), err=True
        )
        sys.exit(1)
