"""What score and monitor share: output formats, atomic writes, progress, common options."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from evalengine.cli.app import F
from evalengine.text import FULL_WIDTH_DIGITS

T = TypeVar("T")


FORMATS = ("md", "html", "json", "xlsx")


SCORE_FORMATS = (*FORMATS, "ndjson")


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """A file written beside `path` and renamed into place on success: never a half-written report."""
    import os
    import tempfile

    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Year(click.ParamType):  # type: ignore[type-arg]  # generic in the stubs of click ≥ 8.2 only
    """A budget year as --year takes it: four ASCII digits from 1900 to 2200, as a targets file's year:."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = str(value).strip().translate(FULL_WIDTH_DIGITS)  # ２０２４ from a Chinese IME is 2024
        if not (len(text) == 4 and text.isascii() and text.isdigit() and 1900 <= int(text) <= 2200):
            self.fail(f"expected a year from 1900 to 2200 such as 2024, found {value!r}", param, ctx)
        return int(text)


def write_atomically(path: Path, data: str | bytes) -> None:
    with atomic_file(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def _progress(items: Iterable[T]) -> Iterator[T]:
    """A progress bar on stderr for large batches at a terminal; silent otherwise."""
    items = list(items)
    if len(items) < 50 or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, label="scoring", file=sys.stderr) as bar:
        yield from bar


def report_options(formats: tuple[str, ...]) -> Callable[[F], F]:
    """The options `score` and `monitor` share: rules, output format and file, input encoding."""

    def apply(func: F) -> F:
        for option in reversed(
            [
                click.option(
                    "--rules",
                    default=None,
                    help="Rule pack: a built-in name (mof-2020) or a YAML file. Overrides rules:.",
                ),
                click.option(
                    "--format",
                    "fmt",
                    type=click.Choice(formats),
                    default=None,
                    help="Output format (default: md, or from the -o file's extension).",
                ),
                click.option(
                    "-o",
                    "--output",
                    type=click.Path(dir_okay=False, path_type=Path),
                    default=None,
                    help="Write the report here (atomically) instead of to stdout.",
                ),
                click.option("--encoding", default=None, help="Encoding of the input files when not UTF-8 (e.g. gbk)."),
                click.option(
                    "--targets",
                    default=None,
                    help="The targets file (绩效目标表), overriding the actuals file's targets: (or an Excel form's).",
                ),
            ]
        ):
            func = option(func)
        return func

    return apply


def _emit(report: dict[str, Any], fmt: str, output: Path | None, template: str, workbook: str) -> None:
    """Render `report` in `fmt` and write it to `output` (atomically) or stdout."""
    from evalengine.render.text import render, to_json

    data: str | bytes
    if fmt == "json":
        data = to_json(report)
    elif fmt == "xlsx":
        from evalengine.render import xlsx  # openpyxl takes a tenth of a second to import: only when asked for

        data = getattr(xlsx, workbook)(report)
    else:
        data = render(report, f"{template}.{'html' if fmt == 'html' else 'md'}.j2")
    if output is not None:
        write_atomically(output, data)
        errors = report["summary"]["findings"]["error"]
        click.echo(f"wrote {output} ({report['summary']['projects']} projects, {errors} error findings)", err=True)
    else:
        assert isinstance(data, str)
        click.echo(data, nl=False)


def _format_for(fmt: str | None, output: Path | None) -> str:
    if fmt is None:
        suffix = output.suffix.lower() if output else ""
        fmt = {".html": "html", ".htm": "html", ".json": "json", ".xlsx": "xlsx", ".ndjson": "ndjson"}.get(suffix, "md")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a file: give -o report.xlsx")
    return fmt
