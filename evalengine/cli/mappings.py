"""`evalengine mappings list|show|check`: the built-in table layouts, and any mapping file validated."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evalengine.cli.app import main, user_errors
from evalengine.i18n import _


@main.group()
def mappings() -> None:
    """Mapping files: how a province's or a vendor's table is laid out (for import, init and score)."""


@mappings.command("list")
def mappings_list() -> None:
    """List the built-in mappings with their title and source."""
    from evalengine.sources.mapping import builtin_mappings, load_mapping

    for name in builtin_mappings():
        mapping = load_mapping(name)
        click.echo(_("{name}\n  {title}\n  source: {source}", name=name, title=mapping.title, source=mapping.source))


@mappings.command("show")
@click.argument("mapping")
@user_errors
def mappings_show(mapping: str) -> None:
    """Print MAPPING (a built-in name or a file) as it is written: a start for a province's own."""
    from evalengine.sources.mapping import load_mapping

    loaded = load_mapping(mapping, Path.cwd())  # validated first: show only what reads
    click.echo(_("# {name}: {title} ({file})", name=loaded.name, title=loaded.title, file=loaded.file))
    click.echo(Path(loaded.file).read_text(encoding="utf-8"), nl=False)


@mappings.command("check")
@click.argument("files", nargs=-1, required=True)
def mappings_check(files: tuple[str, ...]) -> None:
    """Validate mapping FILES (or built-in names): every error with its file, line and key.

    Exit 0 when all are valid, 2 when one is not.
    """
    from evalengine.errors import ErrorGroup, EvalEngineError
    from evalengine.sources.mapping import load_mapping

    bad = 0
    for name in files:
        try:
            mapping = load_mapping(name, Path.cwd())
        except EvalEngineError as exc:
            bad += 1
            errors = exc.errors if isinstance(exc, ErrorGroup) else [exc]
            click.echo(_("{name}  FAILED", name=name), err=True)
            for error in errors:
                click.echo("  " + _("error: {message}", message=error), err=True)
            continue
        said = _(
            "{name}  ok  ({title}; columns: {columns}; labels: {labels})",
            name=name,
            title=mapping.title,
            columns=", ".join(mapping.columns),
            labels=", ".join(mapping.labels) or _("none"),
        )
        click.echo(said)
    if bad:
        sys.exit(2)
