"""The evalengine command line. The only module that prints or exits.

Exit codes: 0 success, 1 findings (with --strict), 2 bad input (never a traceback).
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from .errors import EvalEngineError, TargetSyntaxError
from .predicates import Predicate, predicate_json
from .sources import read_text
from .targets import parse_target

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


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
        raise click.UsageError("give at least one TEXT, or --file FILE")
    vocab = None
    if rules:
        from .packs import load_pack, resolve

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


@main.command()
@click.argument("actuals", nargs=-1, required=True, type=click.Path(path_type=Path))
@report_options(SCORE_FORMATS)
@click.option("--strict", is_flag=True, help="Exit 1 when any finding is an error (missing actual, explanation …).")
@user_errors
def score(
    actuals: tuple[Path, ...],
    rules: str | None,
    fmt: str | None,
    output: Path | None,
    strict: bool,
    encoding: str | None,
    targets: str | None,
) -> None:
    """Score the self-evaluation (绩效自评) in ACTUALS: actuals files, or directories holding them.

    Several files are scored together into one department or city overview.
    Exit 0 on success, 1 with --strict when a finding is an error, 2 on bad input.
    """
    from .report import build
    from .runner import actuals_files, score_files

    fmt = _format_for(fmt, output)
    if fmt == "ndjson":
        _stream_ndjson(actuals, rules, encoding, output, strict, targets)
        return
    files, passed_over = actuals_files(actuals, encoding)
    for note in passed_over:
        click.echo(f"note: {note}", err=True)
    results = score_files(files, rules, encoding, progress=_progress, targets=targets)
    report = build(results)
    _emit(report, fmt, output, "report", workbook="workbook_bytes")
    if strict and report["summary"]["findings"]["error"]:
        sys.exit(1)


def _emit(report: dict[str, Any], fmt: str, output: Path | None, template: str, workbook: str) -> None:
    """Render `report` in `fmt` and write it to `output` (atomically) or stdout."""
    from .report import render, to_json

    data: str | bytes
    if fmt == "json":
        data = to_json(report)
    elif fmt == "xlsx":
        from . import xlsx  # openpyxl takes a tenth of a second to import: only when asked for

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


def _stream_ndjson(
    actuals: tuple[Path, ...],
    rules: str | None,
    encoding: str | None,
    output: Path | None,
    strict: bool,
    targets: str | None = None,
) -> None:
    """Write each project as it is scored: memory stays flat however large the batch.

    With -o the lines go to a temporary file renamed into place at the end, so an input error midway
    leaves nothing behind; on stdout an error ends the stream early with exit code 2.
    """
    from .report import ndjson_lines
    from .runner import iter_scored

    errors = 0
    if output is None:
        for line in ndjson_lines(iter_scored(actuals, rules, encoding, targets)):
            sys.stdout.write(line)
            if line.startswith('{"summary"'):
                errors = json.loads(line)["summary"]["findings"]["error"]
    else:
        with atomic_file(output, "w") as handle:
            for line in ndjson_lines(iter_scored(actuals, rules, encoding, targets)):
                handle.write(line)
                last = line
        summary = json.loads(last)["summary"]
        errors = summary["findings"]["error"]
        click.echo(f"wrote {output} ({summary['projects']} projects, {errors} error findings)", err=True)
    if strict and errors:
        sys.exit(1)


def _format_for(fmt: str | None, output: Path | None) -> str:
    if fmt is None:
        suffix = output.suffix.lower() if output else ""
        fmt = {".html": "html", ".htm": "html", ".json": "json", ".xlsx": "xlsx", ".ndjson": "ndjson"}.get(suffix, "md")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx writes a file: give -o report.xlsx")
    return fmt


@main.command()
@click.argument("actuals", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", required=True, help="The monitoring date, e.g. 2024-06-30.")
@report_options(FORMATS)
@user_errors
def monitor(
    actuals: tuple[Path, ...],
    as_of: str,
    rules: str | None,
    fmt: str | None,
    output: Path | None,
    encoding: str | None,
    targets: str | None,
) -> None:
    """In-year monitoring (绩效运行监控): spending against plan and targets against what was due by --as-of.

    Lights: 红 red, 黄 yellow, 绿 green, 蓝 blue (ahead); projects listed worst first.
    Exit 0 on success, 2 on bad input.
    """
    from datetime import date

    from .report import build_monitor
    from .runner import actuals_files, monitor_files
    from .targets import parse_actual

    fmt = _format_for(fmt, output)
    try:
        when = parse_actual(as_of)
    except EvalEngineError as exc:
        raise click.BadParameter(str(exc), param_hint="--as-of") from None
    if not isinstance(when, date):
        raise click.BadParameter(f"expected a date such as 2024-06-30, found {as_of!r}", param_hint="--as-of")
    files, passed_over = actuals_files(actuals, encoding)
    for note in passed_over:
        click.echo(f"note: {note}", err=True)
    _emit(
        build_monitor(monitor_files(files, when, rules, encoding, targets), when),
        fmt,
        output,
        "monitor",
        workbook="monitor_workbook_bytes",
    )


@main.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the targets file here (atomically) instead of to stdout.",
)
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option("--year", type=int, default=None, help="The budget year, written into the targets file.")
@click.option("--strict", is_flag=True, help="Exit 1 when anything could not be placed.")
@click.option("--encoding", default=None, help="Encoding of SOURCE when it is not UTF-8 (e.g. gbk).")
@user_errors
def import_(source: Path, output: Path | None, fmt: str, year: int | None, strict: bool, encoding: str | None) -> None:
    """Read published 绩效目标表 (text extracted from the PDF) into a targets file.

    Prints what it read and a located warning for every line it could not place.
    Exit 0, 1 with --strict when anything was not placed, 2 when SOURCE cannot be read.
    """
    from .importer import import_text, to_yaml

    if source.suffix.lower() == ".xlsx":
        from .forms import import_xlsx

        imported = import_xlsx(source)
    else:
        imported = import_text(read_text(source, encoding), source=source.name)
    data = imported.data
    if not data.get("projects"):
        raise EvalEngineError(f"{source}: no project table (N.…绩效目标表) found", hint="is this the PDF's text?")
    for project in data["projects"]:
        click.echo(f"read {project['code']} {project['name']}: {len(project['indicators'])} indicators", err=True)
    total = sum(len(p["indicators"]) for p in data["projects"])
    click.echo(f"read {len(data['projects'])} projects, {total} indicators", err=True)
    for note in imported.notes:
        click.echo(f"note: {note}", err=True)
    for warning in imported.warnings:
        click.echo(f"warning: {warning}", err=True)
    if fmt == "json":
        text = json.dumps({**({"year": year} if year else {}), **data}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = to_yaml(data, source.name, year)
    if output is not None:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False)
    if strict and imported.warnings:
        sys.exit(1)


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
@click.option("--year", type=int, default=None, help="The budget year, when the targets file has none.")
@click.option("--encoding", default=None, help="Encoding of TARGETS when it is not UTF-8 (e.g. gbk).")
@user_errors
def init(targets: Path, output: Path | None, rules: str, year: int | None, encoding: str | None) -> None:
    """Write an actuals form to fill for every project and indicator of TARGETS.

    YAML shows each target as a comment beside an empty value; Excel is the 自评表 with the targets
    filled in, yellow cells to fill and drop-downs for tiers. `evalengine score` reads either back.
    """
    import os

    from .documents import load_targets
    from .forms import init_xlsx, init_yaml
    from .packs import load_pack, resolve

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
    from .checks import check_pack

    reports = [check_pack(ref, seed=seed, examples_only=examples_only) for ref in packs]
    if fmt == "json":
        click.echo(json.dumps({"packs": [r.to_json() for r in reports]}, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            click.echo(f"{report.pack}  ({report.file})  {'ok' if report.ok else 'FAILED'}")
            for c in report.checks:
                mark = "ok  " if c.ok else "FAIL"
                first, *rest = c.message.splitlines() or [""]
                click.echo(f"  {mark}  {c.name}: {first}")
                for line in rest:
                    click.echo(f"        {line}")
                if c.counterexample:
                    click.echo("        counterexample, ready to paste into the pack:")
                    for line in c.counterexample.splitlines():
                        click.echo(f"          {line}")
    if not all(r.readable for r in reports):
        sys.exit(2)
    if not all(r.ok for r in reports):
        sys.exit(1)


@main.group()
def rules() -> None:
    """The built-in rule packs, and the effective content of any pack."""


@rules.command("list")
def rules_list() -> None:
    """List the built-in packs with their title and source."""
    from .packs import builtin_packs, load_pack

    for name in builtin_packs():
        pack = load_pack(name)
        click.echo(f"{name}\n  {pack.title}\n  source: {pack.source}")


@rules.command("show")
@click.argument("pack")
@user_errors
def rules_show(pack: str) -> None:
    """Print PACK as it takes effect after extends:, each value with the file and line it comes from."""
    from .packs import load_pack, resolve

    loaded = load_pack(resolve(pack, Path.cwd()))
    click.echo(f"# {loaded.name}: {loaded.title}")
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
        return json.dumps(text, ensure_ascii=False) if any(c in text for c in ":#[]{},'\"") or not text else text

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
