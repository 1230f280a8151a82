"""What score and monitor share: output formats, atomic writes, progress, common options."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from evalengine.cli.app import F, os_reason
from evalengine.errors import Location, OutputError
from evalengine.i18n import N_, _, ngettext
from evalengine.reports.formats import BINARY, FORMATS, Kind, render_as
from evalengine.text import FULL_WIDTH_DIGITS

T = TypeVar("T")


SCORE_FORMATS = (*FORMATS, "ndjson")
__all__ = [
    "FORMATS",
    "SCORE_FORMATS",
    "atomic_file",
    "document_options",
    "report_options",
    "write_atomically",
    "wrote",
]


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """A file written beside `path` and renamed into place on success: never a half-written report.

    A character device or a pipe (/dev/null, /dev/stdout, a named pipe) is written in place, never
    replaced by a regular file; a directory, a block device or a socket is refused, and so is any file
    this run has read (the report would replace its own input). Every failure is an OutputError.
    """
    import os
    import stat
    import tempfile

    from evalengine.sources.documents import is_input

    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        with _writing(path):
            with open(path, mode, encoding=None if "b" in mode else "utf-8") as handle:
                yield handle
        return
    if st is not None and not stat.S_ISREG(st.st_mode):
        message = (
            _("cannot write the output here: it is a directory")
            if stat.S_ISDIR(st.st_mode)
            else _("cannot write the output here: it is not a regular file")
        )
        raise OutputError(
            message,
            Location(str(path)),
            hint=_("name a file (report.md), or a character device such as /dev/null"),
        )
    _refuse_input(path, is_input)
    tmp: str | None = None
    with _writing(path), _terminating_cleanly():
        real = path.resolve()
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        try:
            with open(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
                yield handle
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
            _refuse_input(path, is_input)  # an input read while the report was written (a streamed batch)
            os.replace(tmp, real)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _refuse_input(path: Path, is_input: Callable[[Path], bool]) -> None:
    if is_input(path):
        raise OutputError(
            _("refusing to write the output over one of this run's input files"),
            Location(str(path)),
            hint=_("name another output file with -o"),
        )


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    reason = os_reason(exc)
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        reason = _("a part of its folder path is a file, not a folder")
    return OutputError(_("cannot write the output here: {reason}", reason=reason), Location(str(path)))


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """OSError from writing `path` (a full disk, a read-only or missing place, a name too long) as an OutputError."""
    try:
        yield
    except OSError as exc:
        raise _cannot_write(path, exc) from None


@contextlib.contextmanager
def _terminating_cleanly() -> Iterator[None]:
    """SIGTERM and SIGHUP end the run through Python's unwinding, so a temporary file is removed, not left.

    (SIGINT already does: it raises KeyboardInterrupt. SIGKILL cannot be caught by anyone.)
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class Year(click.ParamType):  # type: ignore[type-arg]  # generic in the stubs of click ≥ 8.2 only
    """A budget year as --year takes it: four ASCII digits from 1900 to 2200, as a targets file's year:."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = str(value).strip().translate(FULL_WIDTH_DIGITS)  # ２０２４ from a Chinese IME is 2024
        if not (len(text) == 4 and text.isascii() and text.isdigit() and 1900 <= int(text) <= 2200):
            self.fail(_("expected a year from 1900 to 2200 such as 2024, found {value!r}", value=value), param, ctx)
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
    with click.progressbar(items, label=_("scoring"), file=sys.stderr) as bar:
        yield from bar


# -o's help by the document a command writes: whole sentences, each in the catalogue (translated when shown)
OUTPUT_HELP = {
    "report": N_("Write the report here (atomically) instead of to stdout."),
    "audit": N_("Write the audit here (atomically) instead of to stdout."),
    "review": N_("Write the review here (atomically) instead of to stdout."),
}


def document_options(formats: tuple[str, ...], what: str = "report") -> Callable[[F], F]:
    """How a command's document is written: --format, -o (atomically) and a Word --template."""

    def apply(func: F) -> F:
        for option in reversed(
            [
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
                    help=OUTPUT_HELP[what],
                ),
                click.option(
                    "--template",
                    type=click.Path(dir_okay=False, path_type=Path),
                    default=None,
                    help="A Word template (.docx) of your own for docx output, with the documented variables.",
                ),
            ]
        ):
            func = option(func)
        return func

    return apply


def report_options(formats: tuple[str, ...]) -> Callable[[F], F]:
    """The options `score` and `monitor` share: rules, the document options, input encoding, targets."""

    def apply(func: F) -> F:
        func = click.option(
            "--targets",
            default=None,
            help="The targets file (绩效目标表), overriding the actuals file's targets: (or an Excel form's).",
        )(func)
        func = click.option("--encoding", default=None, help="Encoding of the input files when not UTF-8 (e.g. gbk).")(
            func
        )
        func = document_options(formats)(func)
        return click.option(
            "--rules",
            default=None,
            help="Rule pack: a built-in name (mof-2020) or a YAML file. Overrides rules:.",
        )(func)

    return apply


def _emit(report: dict[str, Any], fmt: str, output: Path | None, kind: Kind, template: Path | None = None) -> None:
    """Render `report` in `fmt` (a Word `template` replacing the built-in one) to `output` (atomically) or stdout."""
    data = render_as(report, fmt, kind, template)
    if output is not None:
        write_atomically(output, data)
        click.echo(wrote(output, report["summary"]), err=True)
    else:
        assert isinstance(data, str)
        click.echo(data, nl=False)


def wrote(output: Path, summary: dict[str, Any]) -> str:
    """The line that says a report was written: its file, projects and error findings."""
    return _(
        "wrote {output} ({projects}, {errors})",
        output=output,
        projects=ngettext("{n} project", "{n} projects", summary["projects"]),
        errors=ngettext("{n} error finding", "{n} error findings", summary["findings"]["error"]),
    )


SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".xlsx": "xlsx",
    ".docx": "docx",
}


EXTENSIONS = {**SUFFIXES, ".ndjson": "ndjson", ".yaml": "yaml", ".yml": "yaml"}  # every format a command writes


def _format_for(
    fmt: str | None,
    output: Path | None,
    formats: tuple[str, ...] = SCORE_FORMATS,
    template: Path | None = None,
    *,
    what: str = N_("the report format"),
    default: str = "md",
    example: str = "report",
) -> str:
    """The output format: --format, else the -o file's extension, else `default`. An extension naming a
    format this command does not write (`review -o x.ndjson`, `init -o x.docx`) is a usage error listing
    the command's formats, and so is one that names no format: never a silent Markdown file called
    report.pdf. `what` (a message marked with N_) and `example` word the messages (the form's format,
    actuals.xlsx)."""
    if fmt is None and output is not None:
        fmt = EXTENSIONS.get(output.suffix.lower())
        known = " ".join(s for f in formats for s, g in EXTENSIONS.items() if g == f)
        if fmt is not None and fmt not in formats:
            command = _command()
            if command == "monitor" and fmt == "ndjson":
                raise click.UsageError(
                    _(
                        "{name}: monitor writes md, html, json, xlsx or docx, not ndjson: it ranks the whole"
                        " batch worst first, so there is nothing to stream (use .json)",
                        name=output.name,
                    )
                )
            raise click.UsageError(
                _(
                    "{name}: {command} does not write {fmt}; its formats are {formats} (extensions {extensions})",
                    name=output.name,
                    command=command,
                    fmt=fmt,
                    formats=", ".join(formats),
                    extensions=known,
                )
            )
        if fmt is None and not (output.suffix == "" and _is_device(output)):
            raise click.UsageError(
                _(
                    "{name}: cannot tell {what} from its extension; the formats are {formats} (extensions "
                    "{extensions}), or give --format",
                    name=output.name,
                    what=_(what),
                    formats=", ".join(formats),
                    extensions=known,
                )
            )
    fmt = fmt or ("docx" if template is not None and output is None else default)
    if fmt in BINARY and output is None:
        raise click.UsageError(_("--format {fmt} writes a file: give -o {example}.{fmt}", fmt=fmt, example=example))
    if template is not None and fmt != "docx":
        raise click.UsageError(
            _(
                "--template is a Word template: it needs docx output (-o {example}.docx), not {fmt}",
                example=example,
                fmt=fmt,
            )
        )
    return fmt


def _command() -> str:
    """The name of the command being run (score, review, import), for messages."""
    ctx = click.get_current_context(silent=True)
    return ctx.info_name if ctx is not None and ctx.info_name else _("this command")


def _is_device(path: Path) -> bool:
    """A character device or a pipe (/dev/null, /dev/stdout): written in place, Markdown unless told."""
    import os
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)
