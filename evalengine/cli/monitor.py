"""`evalengine monitor`: in-year lights (绩效运行监控)."""

from __future__ import annotations

from pathlib import Path

import click

from evalengine.cli.app import main, user_errors
from evalengine.cli.history import history_option
from evalengine.cli.output import (
    FORMATS,
    _emit,
    _format_for,
    report_options,
)
from evalengine.errors import EvalEngineError
from evalengine.i18n import N_, _


@main.command()
@click.argument("actuals", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", required=True, help="The monitoring date, e.g. 2024-06-30.")
@report_options(FORMATS)
@history_option(N_("A history file (SQLite): trend targets without a baseline are judged against last year's record."))
@user_errors
def monitor(
    actuals: tuple[Path, ...],
    as_of: str,
    rules: str | None,
    fmt: str | None,
    output: Path | None,
    encoding: str | None,
    targets: str | None,
    template: Path | None,
    history_path: Path | None,
) -> None:
    """In-year monitoring (绩效运行监控): spending against plan and targets against what was due by --as-of.

    Lights: 红 red, 黄 yellow, 绿 green, 蓝 blue (ahead); projects listed worst first.
    Exit 0 on success, 2 on bad input.
    """
    from datetime import date

    from evalengine.language.parser import parse_actual
    from evalengine.pipeline import actuals_files, monitor_files
    from evalengine.reports.view import build_monitor

    fmt = _format_for(fmt, output, FORMATS, template)
    try:
        when = parse_actual(as_of)
    except EvalEngineError as exc:
        raise click.BadParameter(str(exc), param_hint="--as-of") from None
    if not isinstance(when, date):
        raise click.BadParameter(
            _("expected a date such as 2024-06-30, found {value!r}", value=as_of), param_hint="--as-of"
        )
    files, passed_over = actuals_files(actuals, encoding)
    for note in passed_over:
        click.echo(_("note: {note}", note=note), err=True)
    stores = None
    if history_path is not None:
        from evalengine.history.record import Stores

        stores = Stores(history_path, create=False)
    try:
        results = monitor_files(files, when, rules, encoding, targets, stores)
    finally:
        if stores is not None:
            stores.close()
    _emit(build_monitor(results, when), fmt, output, "monitor", template)
