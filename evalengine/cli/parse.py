"""`evalengine parse`: show what a target string means."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from evalengine.cli.app import main, user_errors
from evalengine.errors import Location, TargetSyntaxError
from evalengine.i18n import _
from evalengine.language.parser import parse_target
from evalengine.language.predicates import SYMBOLS, Predicate, predicate_json
from evalengine.sources.documents import read_text, refuse_control


def _describe(predicate: Predicate) -> str:
    data = predicate.to_json()
    if "grades" in data:  # 优≥95% 良≥90%
        data["grades"] = " ".join(
            f"{g['grade']}{SYMBOLS[g['op']]}{g['value']}{g['unit'] or ''}" for g in data["grades"]
        )
    details = [f"{k}={v}" for k, v in data.items() if k != "kind" and v is not None]
    return f"{data['kind']} " + " ".join(details)


@main.command()
@click.argument("texts", nargs=-1)
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read targets from FILE, one per line (blank lines are not targets).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--encoding", default=None, help="Encoding of --file when it is not UTF-8 (e.g. gbk).")
@click.option("--rules", default=None, help="Read with this pack's vocabulary additions (a name or a YAML file).")
@user_errors
def parse(texts: tuple[str, ...], file: Path | None, fmt: str, encoding: str | None, rules: str | None) -> None:
    """Parse targets (指标值) and show the predicate each one means.

    Exit 0 when every target parses, 2 when any fails.
    """
    items: list[tuple[str, int | None]] = [(t, None) for t in texts]
    if file is not None:
        for number, raw in enumerate(read_text(file, encoding).splitlines(), start=1):
            if raw.strip():
                items.append((raw.strip(), number))
    if not items:
        raise click.UsageError(_("give at least one TEXT, or --file FILE"))
    for text, line in items:
        refuse_control(text, Location(str(file), line) if line is not None else Location(path="TEXT"), "the target")
    vocab = None
    if rules:
        from evalengine.packs.load import load_pack, resolve

        vocab = load_pack(resolve(rules, Path.cwd())).vocabulary
    failed = 0
    for text, line in items:
        where: dict[str, Any] = {"line": line} if line is not None else {}
        try:
            predicate = parse_target(text, vocab)
        except TargetSyntaxError as exc:
            failed += 1
            if fmt == "json":
                error = {"message": exc.message, "column": exc.column}
                click.echo(json.dumps({"input": text, **where, "error": error}, ensure_ascii=False))
            else:
                prefix = f"{file}:{line}: " if line is not None else ""  # the location, the same in every language
                click.echo(prefix + str(exc), err=True)
            continue
        if fmt == "json":
            out = predicate_json(text, predicate)
            click.echo(json.dumps({**out, **where} if where else out, ensure_ascii=False))
        else:
            # tab-separated fields for scripts: the predicate's own terms (kind, op=…), not prose
            click.echo("\t".join((text, _describe(predicate), f"canonical={predicate.canonical()}")))
    if failed:
        sys.exit(2)
