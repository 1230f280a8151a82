"""The evalengine command line. The only module that prints or exits.

Exit codes: 0 success, 1 findings (with --strict), 2 bad input (never a traceback).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import EvalEngineError, TargetSyntaxError
from .predicates import Predicate, predicate_json
from .sources import read_text
from .targets import parse_target

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn evalengine's input errors into a message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EvalEngineError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evalengine")
def main() -> None:
    """Score performance self-evaluations (绩效自评) of public budget projects."""


def _describe(predicate: Predicate) -> str:
    data = predicate.to_json()
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
@user_errors
def parse(texts: tuple[str, ...], file: Path | None, fmt: str, encoding: str | None) -> None:
    """Parse targets (指标值) and show the predicate each one means.

    Exit 0 when every target parses, 2 when any fails.
    """
    items: list[tuple[str, int | None]] = [(t, None) for t in texts]
    if file is not None:
        for number, raw in enumerate(read_text(file, encoding).splitlines(), start=1):
            if raw.strip():
                items.append((raw.strip(), number))
    if not items:
        raise click.UsageError("give at least one TEXT, or --file FILE")
    failed = 0
    for text, line in items:
        where: dict[str, Any] = {"line": line} if line is not None else {}
        try:
            predicate = parse_target(text)
        except TargetSyntaxError as exc:
            failed += 1
            if fmt == "json":
                error = {"message": exc.message, "column": exc.column}
                click.echo(json.dumps({"input": text, **where, "error": error}, ensure_ascii=False))
            else:
                prefix = f"{file}:{line}: " if line is not None else ""
                click.echo(f"{prefix}{exc}", err=True)
            continue
        if fmt == "json":
            out = predicate_json(text, predicate)
            click.echo(json.dumps({**out, **where} if where else out, ensure_ascii=False))
        else:
            click.echo(f"{text}\t{_describe(predicate)}\tcanonical={predicate.canonical()}")
    if failed:
        sys.exit(2)
