"""`evalengine init`: an actuals form (YAML or Excel) to fill for a targets file."""

from __future__ import annotations

from pathlib import Path

import click

from evalengine.cli.app import main, user_errors
from evalengine.cli.output import (
    Year,
    write_atomically,
)


@main.command()
@click.argument("targets", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="actuals.yaml (default: YAML to stdout) or actuals.xlsx (the 自评表 to fill in Excel).",
)
@click.option("--rules", default="mof-2020", show_default=True, help="The rule pack the form names.")
@click.option("--year", type=Year(), default=None, help="The budget year, when the targets file has none.")
@click.option("--encoding", default=None, help="Encoding of TARGETS when it is not UTF-8 (e.g. gbk).")
@user_errors
def init(targets: Path, output: Path | None, rules: str, year: int | None, encoding: str | None) -> None:
    """Write an actuals form to fill for every project and indicator of TARGETS.

    YAML shows each target as a comment beside an empty value; Excel is the 自评表 with the targets
    filled in, yellow cells to fill and drop-downs for tiers. `evalengine score` reads either back.
    """
    import os

    from evalengine.authoring.forms import init_xlsx, init_yaml
    from evalengine.inputs.targets import load_targets
    from evalengine.packs.load import load_pack, resolve

    pack = load_pack(resolve(rules, Path.cwd()))
    loaded = load_targets(targets, pack.vocabulary, encoding)
    ref = os.path.relpath(targets.resolve(), output.resolve().parent) if output else str(targets)
    if output is not None and output.suffix.lower() == ".xlsx":
        write_atomically(output, init_xlsx(loaded, ref, rules, year))
    elif output is not None:
        write_atomically(output, init_yaml(loaded, ref, rules, year))
    else:
        click.echo(init_yaml(loaded, ref, rules, year), nl=False)
    count = sum(len(p.indicators) for p in loaded.projects)
    click.echo(f"form for {len(loaded.projects)} projects, {count} indicators", err=True)
