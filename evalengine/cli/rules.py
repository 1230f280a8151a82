"""`evalengine rules list|show`: the built-in packs and any pack's effective content."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from evalengine.cli.app import main, user_errors
from evalengine.i18n import _


@main.group()
def rules() -> None:
    """The built-in rule packs, and the effective content of any pack."""


@rules.command("list")
def rules_list() -> None:
    """List the built-in packs with their title and source."""
    from evalengine.packs.load import builtin_packs, load_pack

    for name in builtin_packs():
        pack = load_pack(name)
        click.echo(_("{name}\n  {title}\n  source: {source}", name=name, title=pack.title, source=pack.source))


@rules.command("show")
@click.argument("pack")
@user_errors
def rules_show(pack: str) -> None:
    """Print PACK as it takes effect after extends:, each value with the file and line it comes from."""
    from evalengine.packs.load import load_pack, resolve

    loaded = load_pack(resolve(pack, Path.cwd()))
    click.echo(_("# {name}: {title}", name=loaded.name, title=loaded.title))
    for line in _annotated(loaded.data, loaded.origins, ()):
        click.echo(line)


def _annotated(data: Any, origins: Any, path: tuple[Any, ...], indent: str = "") -> Iterator[str]:
    """YAML lines of `data`, each leaf annotated with `# file:line` from `origins`."""

    def origin(p: tuple[Any, ...]) -> str:
        loc = origins.get(p)
        return f"  # {Path(loc.file).name}:{loc.line}" if loc is not None and loc.file else ""

    def scalar(value: Any) -> str:
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        text = str(value)
        special = any(c in text for c in ":#[]{},'\"") or text[:1] in ("*", "&", "!", "|", ">", "@", "`")
        return json.dumps(text, ensure_ascii=False) if special or not text else text

    if isinstance(data, dict):
        for key, value in data.items():
            here = (*path, key)
            if isinstance(value, list) and value and not any(isinstance(v, (dict, list)) for v in value):
                yield f"{indent}{key}: [{', '.join(scalar(v) for v in value)}]{origin(here)}"
            elif isinstance(value, (dict, list)) and value:
                yield f"{indent}{key}:{origin(here)}"
                yield from _annotated(value, origins, here, indent + "  ")
            else:
                empty = "{}" if isinstance(value, dict) else "[]" if isinstance(value, list) else scalar(value)
                yield f"{indent}{key}: {empty}{origin(here)}"
    elif isinstance(data, list):
        for i, value in enumerate(data):
            here = (*path, i)
            if isinstance(value, dict):
                inline = ", ".join(f"{k}: {scalar(v)}" for k, v in value.items() if not isinstance(v, (dict, list)))
                if all(not isinstance(v, (dict, list)) for v in value.values()):
                    yield f"{indent}- {{{inline}}}{origin(here)}"
                    continue
                yield f"{indent}-{origin(here)}"
                yield from _annotated(value, origins, here, indent + "  ")
            elif isinstance(value, list):
                yield f"{indent}- [{', '.join(scalar(v) for v in value)}]{origin(here)}"
            else:
                yield f"{indent}- {scalar(value)}{origin(here)}"
