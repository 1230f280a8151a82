"""`evalengine check`: validation, examples and properties of rule packs."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from evalengine.cli.app import main
from evalengine.errors import display_width
from evalengine.i18n import _


@main.command()
@click.argument("packs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the generated cases (reproducible).")
@click.option("--examples-only", is_flag=True, help="Validate and run the pack's examples; skip the properties.")
def check(packs: tuple[str, ...], fmt: str, seed: int, examples_only: bool) -> None:
    """Prove rule PACKS sound: validation, their examples, and generated properties.

    PACK is a built-in name (mof-2020) or a YAML file. Exit 0 when all pass, 1 when a check fails,
    2 when a pack cannot be read.
    """
    from evalengine.authoring.check import check_pack

    reports = [check_pack(ref, seed=seed, examples_only=examples_only) for ref in packs]
    if fmt == "json":
        click.echo(json.dumps({"packs": [r.to_json() for r in reports]}, ensure_ascii=False, indent=2))
        for c in (c for r in reports for c in r.checks if _input_error(c)):
            click.echo(_("error: {message}", message=c.message), err=True)
    else:
        for report in reports:
            if report.ok:
                click.echo(_("{pack}  ({file})  ok", pack=report.pack, file=report.file))
            else:
                click.echo(_("{pack}  ({file})  FAILED", pack=report.pack, file=report.file))
            for c in report.checks:
                mark = _("ok") if c.ok else _("FAIL")
                mark += " " * max(4 - display_width(mark), 0)  # ok and FAIL line up, 通过 and 失败 too
                first, *rest = c.message.splitlines() or [""]
                err = _input_error(c)  # a pack that cannot be used is bad input: said on stderr
                click.echo(_("  {mark}  {check}: {message}", mark=mark, check=_(c.name), message=first), err=err)
                for line in rest:
                    click.echo(" " * 8 + line, err=err)
                if c.counterexample:
                    click.echo(" " * 8 + _("counterexample, ready to paste into the pack:"))
                    for line in c.counterexample.splitlines():
                        click.echo(" " * 10 + line)
    if not all(r.readable for r in reports):
        sys.exit(2)
    if not all(r.ok for r in reports):
        sys.exit(1)


def _input_error(c: Any) -> bool:  # a Check; authoring.check imports hypothesis, too slow for every command
    return not c.ok and c.name in ("read", "validation")  # authoring.check's READ and VALIDATION
