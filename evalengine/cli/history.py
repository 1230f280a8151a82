"""`evalengine history list|show|replay|export`: the recorded years in a history file."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evalengine.cli.app import F, main, user_errors
from evalengine.i18n import N_, _

if TYPE_CHECKING:
    from evalengine.history.store import Store

DEFAULT = "evalengine-history.sqlite"


def history_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--history",
        "history_path",
        type=click.Path(path_type=Path),
        default=None,
        help=help_text,
    )


@contextmanager
def _opened(path: Path | None) -> Iterator[Store]:
    from evalengine.history.store import open_store

    store = open_store(path if path is not None else Path(DEFAULT))
    try:
        yield store
    finally:
        store.close()


def _out(view: dict[str, Any], fmt: str, markdown: Callable[[dict[str, Any]], str]) -> None:
    click.echo(json.dumps(view, ensure_ascii=False, indent=2) if fmt == "json" else markdown(view), nl=fmt == "json")


FORMAT = click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", help="Output format.")
WHERE = N_("The history file (default: evalengine-history.sqlite in the working folder).")  # names DEFAULT


@main.group()
def history() -> None:
    """The years recorded by `score --record`: list them, show a project across years, replay a year, export."""


@history.command("list")
@history_option(WHERE)
@click.option("--all", "everything", is_flag=True, help="Also the runs a later recording superseded.")
@FORMAT
@user_errors
def history_list(history_path: Path | None, everything: bool, fmt: str) -> None:
    """Departments and years recorded, with each year's current run."""
    from evalengine.history.views import listing, listing_md

    with _opened(history_path) as store:
        _out(listing(store, everything), fmt, listing_md)


@history.command("show")
@click.argument("code")
@history_option(WHERE)
@FORMAT
@user_errors
def history_show(code: str, history_path: Path | None, fmt: str) -> None:
    """Project CODE (项目编码) across the recorded years: totals, 同比, every indicator's actual and score."""
    from evalengine.history.views import project_years, project_years_md

    with _opened(history_path) as store:
        _out(project_years(store, code.strip()), fmt, project_years_md)


@history.command("replay")
@click.argument("year", type=int)
@history_option(WHERE)
@click.option("--department", default=None, help="Only this department's run (as `history list` names it).")
@FORMAT
@user_errors
def history_replay(year: int, history_path: Path | None, department: str | None, fmt: str) -> None:
    """Score YEAR's stored inputs again under the pack recorded then, and report every difference.

    Exit 0 when the results are as recorded, 1 when any differs (a changed engine, or a stored value
    altered since), 2 on bad input.
    """
    from evalengine.errors import InputError
    from evalengine.history.replay import replay
    from evalengine.history.views import replay_md, replay_view

    with _opened(history_path) as store:
        results = replay(store, year, department)
        if not results:
            what = f"{department} {year}" if department else str(year)
            raise InputError(
                _("nothing recorded for {what}", what=what), hint=_("evalengine history list shows what is recorded")
            )
        view = replay_view(results, year)
    _out(view, fmt, replay_md)
    if view["differences"]:
        click.echo(_("replay: {n} difference(s) from the record, exit 1", n=view["differences"]), err=True)
        sys.exit(1)


@history.command("export")
@history_option(WHERE)
@click.option(
    "--format", "fmt", type=click.Choice(["ndjson", "csv"]), required=True, help="ndjson or csv: a row per indicator."
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write here.")
@click.option("--all", "everything", is_flag=True, help="Also the runs a later recording superseded.")
@user_errors
def history_export(history_path: Path | None, fmt: str, output: Path | None, everything: bool) -> None:
    """Every recorded indicator as a flat row, for analysts (current runs unless --all)."""
    from evalengine.cli.output import write_atomically
    from evalengine.history.views import export_text

    with _opened(history_path) as store:
        text = export_text(store, fmt, everything)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomically(output, ("\ufeff" if fmt == "csv" else "") + text)  # the BOM tells Excel it is UTF-8
    click.echo(_("wrote {output}", output=output), err=True)
