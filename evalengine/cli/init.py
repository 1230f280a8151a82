"""`evalengine init`: an actuals form (YAML or Excel) to fill for a targets file."""

from __future__ import annotations

from pathlib import Path

import click

from evalengine.cli.app import main, user_errors
from evalengine.cli.output import Year, _format_for, write_atomically
from evalengine.errors import Location
from evalengine.i18n import N_, _

FORM_FORMATS = ("yaml", "json", "xlsx")


@main.command()
@click.argument("targets", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="actuals.yaml (default: YAML to stdout), actuals.json, or actuals.xlsx (the 自评表 to fill in Excel).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORM_FORMATS),
    default=None,
    help="The form's format (default: from the -o file's extension, else yaml).",
)
@click.option("--rules", default="mof-2020", show_default=True, help="The rule pack the form names.")
@click.option("--year", type=Year(), default=None, help="The budget year, when the targets file has none.")
@click.option("--encoding", default=None, help="Encoding of TARGETS when it is not UTF-8 (e.g. gbk).")
@click.option(
    "--mapping",
    default=None,
    help="Write the Excel form in this layout: a built-in mapping with an actual column (mof-2020, "
    "split-target, vendor-export) or a mapping file. `score` reads it back through the same mapping.",
)
@user_errors
def init(
    targets: Path,
    output: Path | None,
    fmt: str | None,
    rules: str,
    year: int | None,
    encoding: str | None,
    mapping: str | None,
) -> None:
    """Write an actuals form to fill for every project and indicator of TARGETS.

    YAML shows each target as a comment beside an empty value; JSON is the same form without the
    comments; Excel is the 自评表 with the targets filled in, yellow cells to fill and drop-downs for
    tiers; with --mapping, in that mapping's layout. `evalengine score` reads any of them back. Paths are
    written relative to the form's folder.
    """
    from evalengine.authoring.forms import init_json, init_mapped_xlsx, init_xlsx, init_yaml
    from evalengine.inputs.targets import load_targets
    from evalengine.packs.load import builtin_packs, load_pack, resolve
    from evalengine.sources.filled import need_actuals
    from evalengine.sources.mapping import builtin_mappings, load_mapping, resolve_mapping

    fmt = _format_for(fmt, output, FORM_FORMATS, what=N_("the form's format"), default="yaml", example="actuals")
    if mapping is not None and fmt != "xlsx":
        raise click.UsageError(_("--mapping lays out an Excel form: give -o form.xlsx, not a {fmt} form", fmt=fmt))
    layout = None
    if mapping is not None:  # checked before the targets are read: a wrong layout is said first
        layout = load_mapping(mapping, Path.cwd())
        need_actuals(layout, Location(layout.file))
    pack_path = resolve(rules, Path.cwd())
    pack = load_pack(pack_path)
    loaded = load_targets(targets, pack.vocabulary, encoding)
    # paths given on the command line are relative to the working folder; inside the form, to the form's folder
    rules_ref = rules if rules in builtin_packs() else _relative(pack_path, output)
    ref = _relative(targets, output)
    form: str | bytes
    if fmt == "xlsx" and layout is not None:
        assert mapping is not None
        mapping_ref = mapping if mapping in builtin_mappings() else _relative(resolve_mapping(mapping), output)
        form = init_mapped_xlsx(loaded, ref, rules_ref, year, layout, mapping_ref)
    elif fmt == "xlsx":
        form = init_xlsx(loaded, ref, rules_ref, year)
    else:
        form = (init_json if fmt == "json" else init_yaml)(loaded, ref, rules_ref, year)
    if output is not None:
        write_atomically(output, form)
    else:
        assert isinstance(form, str)
        click.echo(form, nl=False)
    count = sum(len(p.indicators) for p in loaded.projects)
    if layout is not None:
        from evalengine.authoring.forms import missing_places

        for what in missing_places(layout):
            said = _(
                "note: the mapping {mapping} has no place for {what}; it stays missing in the form",
                mapping=layout.name,
                what=what,
            )
            click.echo(said, err=True)
    said = _("form for {projects} projects, {indicators} indicators", projects=len(loaded.projects), indicators=count)
    click.echo(said, err=True)


def _relative(path: Path, output: Path | None) -> str:
    """`path` (relative to the working folder) as the form must write it: relative to the form's folder."""
    import os

    if output is None:
        return str(path)
    return Path(os.path.relpath(path.resolve(), output.resolve().parent)).as_posix()
