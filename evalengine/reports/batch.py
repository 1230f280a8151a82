"""A batch scored file by file, in this process or in N, and written as it goes.

Each department file is read, then scored and turned into its projects' report entries (a view, or its
JSON bytes) project by project, each scorecard let go once its entry is made; then the file is dropped:
what stays for the whole run is the report's head (pack, year and department of each file), the running
summary and the project codes met. In this process the JSON and NDJSON entries go to a spool file as they
are made (taken back if the file turns out to have an error), not into a list. With `jobs` above 1,
worker processes score whole files and hand back their entries; the run takes them in the files'
order, so the output is the same bytes whatever the number of processes.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future  # ProcessPoolExecutor (and multiprocessing) only when --jobs asks
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from evalengine.errors import ErrorGroup, EvalEngineError, InputError
from evalengine.i18n import _, language, set_language
from evalengine.inputs.actuals import Job, load_job
from evalengine.language.parser import parser_for
from evalengine.pipeline import Place, Scored, Seen, places, quiet_gc, scorecards
from evalengine.reports import encode
from evalengine.reports.view import Head, RunningSummary, assemble, forget, project_line, project_view
from evalengine.scoring.results import Scorecard
from evalengine.sources import dispatch
from evalengine.sources.documents import Document, inputs_read, remember_inputs

Encoder = Callable[[dict[str, Any]], Any]  # a project's view to what the run keeps of it
Sink = Callable[[Any], object]  # where a file's entries go as they are made (in this process)


def json_entry(view: dict[str, Any]) -> bytes:
    """A project as it stands in the JSON report's "projects" list (two levels deep)."""
    entry = encode.nested(view, 2)
    return b"    " + encode.indented(view, 2) if entry is None else entry


def ndjson_entry(view: dict[str, Any]) -> bytes:
    return encode.line(view) + b"\n"


def view_entry(view: dict[str, Any]) -> dict[str, Any]:
    return view


def _ndjson_line(card: Scorecard, scored: Scored) -> bytes:
    return project_line(card, scored) + b"\n"


# Entries written straight from the scorecard, the same bytes as their encoder gives the project's view,
# without the view built first (view.project_line; tests/test_fast_view.py compares them)
_WRITTEN: dict[Encoder, Callable[[Scorecard, Scored], bytes]] = {ndjson_entry: _ndjson_line}


@dataclass
class Part:
    """What one file of the batch gives the run: its report entries and what the run keeps of it."""

    path: Path
    note: str = ""  # a folder's file passed over, and why
    head: Head | None = None
    targets: Path | None = None  # the targets file it read (resolved): never read again to recognise it
    places: list[Place] = field(default_factory=list)
    entries: list[Any] = field(default_factory=list)
    summary: RunningSummary = field(default_factory=RunningSummary)
    errors: list[EvalEngineError] = field(default_factory=list)
    inputs: frozenset[tuple[int, int]] = frozenset()


def _errors(exc: EvalEngineError) -> list[EvalEngineError]:
    return list(exc.errors) if isinstance(exc, ErrorGroup) else [exc]


def score_part(
    path: Path,
    doc: Document | None,
    in_folder: bool,
    rules: str | None,
    encoding: str | None,
    targets: str | None,
    entry: Encoder,
    sink: Sink | None = None,
) -> Part:
    """One file read (recognised first when it was found in a folder), scored and encoded.

    Project by project: each scorecard is summed up and encoded as it is scored, then let go, so a file
    holds one card alive, not all of them. The entries go to `sink` as they are made, or else into
    part.entries. A file with an error gives none: every scoring error of the file is gathered (as
    score_job gathers them) and part.entries is left empty, but a `sink` may already have had the
    entries of the projects before the first error: its owner takes them back (Run.take says when)."""
    part = Part(path)
    try:
        if in_folder and doc is None:
            doc, part.note = dispatch.recognise(path, encoding)
            if part.note:
                return part
        # read here (as load_job would) so that the parsed data can be let go once the job is made: the
        # job's deferred locations hold the document for its file name and marks, never its data
        doc = doc or dispatch.read_document(path, encoding)
        job = load_job(path, rules, encoding, doc, targets)
        doc.data = None
        part.head = Head.of(job)
        part.targets = job.targets.path.resolve()
        part.places = places(job)
    except EvalEngineError as exc:
        part.errors = _errors(exc)
        return part
    del doc
    part.summary.grades_of(job)
    scored = Scored(job, [])
    written = _WRITTEN.get(entry)
    keep = part.entries.append if sink is None else sink
    try:
        for card in _cards(job, part):
            part.summary.add(card, job)
            keep(entry(project_view(card, scored)) if written is None else written(card, scored))
    finally:
        forget()  # the sentences kept while this file's view was written hold its targets
    return part


def _cards(job: Job, part: Part) -> Iterator[Scorecard]:
    """The job's scorecards one by one; the file's scoring errors, raised once all its projects are scored,
    put into the part. Only the scoring's errors are caught here: one raised in the caller's loop (the
    view, the sink) is not thrown into this generator and goes on up, as it always did."""
    try:
        yield from scorecards(job)
    except EvalEngineError as exc:
        part.errors = _errors(exc)
        part.entries.clear()


def _worker_start(lang: str) -> None:
    """A worker process begins: in the run's language (a spawned worker, as on Windows, would otherwise
    choose again from the environment and lose --lang); the run's heap, inherited by the fork, was frozen
    just before it (and is never walked by a collection here), and no cyclic collection runs but the one
    after each file."""
    set_language(lang)
    gc.disable()
    gc.freeze()


def _in_worker(*args: Any) -> Part:
    """score_part in a worker process: errors made portable, and the files it read handed back.

    The heap is settled after each file as in a single process (collect, then freeze the survivors)
    and never unfrozen: unfreezing would hand the whole inherited heap back to the next collection,
    which then walked (and, touching it, copied) all of it once per file."""
    before = inputs_read()
    part = score_part(*args)
    part.errors = [_Carried(e) for e in part.errors]
    part.inputs = inputs_read() - before
    gc.collect()
    gc.freeze()
    return part


class _Carried(EvalEngineError):
    """Carries an error out of a worker process. An error pickles by its constructor's arguments, which
    differ between subclasses (TargetSyntaxError takes the text and column): this rebuilds the error's
    own class from its state, so the run shows it exactly as a single process would."""

    def __init__(self, exc: EvalEngineError):
        super().__init__(exc.message, exc.location, exc.hint)
        self.carried = exc

    def __reduce__(self) -> tuple[Any, ...]:
        exc = self.carried
        return (_rebuild, (type(exc), exc.args, dict(exc.__dict__)))


def _rebuild(cls: type[EvalEngineError], args: tuple[Any, ...], state: dict[str, Any]) -> EvalEngineError:
    exc = cls.__new__(cls)
    Exception.__init__(exc, *args)
    exc.__dict__.update(state)
    return exc


def parts(
    paths: Iterable[Path],
    rules: str | None,
    encoding: str | None,
    targets: str | None,
    entry: Encoder,
    jobs: int = 1,
    sink: Sink | None = None,
) -> Iterator[Part]:
    """The batch's parts in the files' order, scored here (jobs 1) or in `jobs` worker processes.

    Scored here, a part's entries go to `sink` (when given) as they are made, each part's before the part
    is yielded; a worker's come back in part.entries.

    A folder's file that an earlier actuals file of the run read as its targets is passed over
    without being read again (a targets file is never an actuals file: its keys are refused there).
    """
    known: set[Path] = set()

    def skip(path: Path, in_folder: bool) -> Part | None:
        if in_folder and dispatch.format_of(path) != "xlsx" and path.resolve() in known:
            return Part(path, note=dispatch.not_actuals(path))
        return None

    def learn(part: Part) -> Part:
        if part.targets is not None:
            known.add(part.targets)
        return part

    files = list(dispatch.candidates(paths))  # the names only: nothing is read before its turn
    # a worker costs a process, its warm-up and the copying of its entries back: never more workers than
    # files, and none for a single file, which one process scores as fast alone (measured: benchmarks/run.py)
    jobs = min(jobs, len(files))
    with quiet_gc() as settle:
        if jobs <= 1:
            for n, (path, in_folder) in enumerate(files, start=1):
                yield skip(path, in_folder) or learn(
                    score_part(path, None, in_folder, rules, encoding, targets, entry, sink)
                )
                if n < len(files):  # the heap is settled for the next file: after the last, none is to come
                    settle()
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        parser_for()  # built once here, before the fork, rather than once in every worker
        settle()  # and the heap the workers inherit frozen: never collected (nor copied) there
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_worker_start,
            initargs=(language(),),
        )
        try:
            window: deque[Future[Part] | Part] = deque()
            for path, in_folder in files:
                ready = skip(path, in_folder)
                args = (path, None, in_folder, rules, encoding, targets, entry)
                window.append(ready or pool.submit(_in_worker, *args))
                while len(window) > 2 * jobs:
                    yield _collect(window.popleft(), learn)
            while window:
                yield _collect(window.popleft(), learn)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _collect(item: Future[Part] | Part, learn: Callable[[Part], Part]) -> Part:
    part = item.result() if isinstance(item, Future) else item
    remember_inputs(part.inputs)
    return learn(part)


@dataclass
class Run:
    """What a batch keeps for the whole run: heads, the summary, the codes met, every error."""

    heads: list[Head] = field(default_factory=list)
    summary: RunningSummary = field(default_factory=RunningSummary)
    seen: Seen = field(default_factory=Seen)
    errors: list[EvalEngineError] = field(default_factory=list)

    def take(self, part: Part, note: Callable[[str], None] | None) -> bool:
        """Account for one part; whether its entries belong in the report (no error in it or before it)."""
        if part.note:
            if note is not None:
                note(part.note)
            return False
        errors = list(part.errors)
        if part.head is not None and not errors:
            self.seen.check_places(part.path, part.places, errors)
        if errors:
            self.errors += errors
            return False
        assert part.head is not None
        self.heads.append(part.head)
        self.summary.merge(part.summary)
        return not self.errors

    def raise_errors(self) -> None:
        if self.errors:
            raise self.errors[0] if len(self.errors) == 1 else ErrorGroup(self.errors)
        if not self.heads:
            raise InputError(_("no actuals file given"), hint=_("name an actuals file, or a directory holding them"))

    def report(self, projects: list[Any]) -> dict[str, Any]:
        return assemble(self.heads, projects, self.summary)


# the spools' buffer: an entry is a few KB, and the default (8 KB) made a write call for nearly every one
# (10,063 for one-10000's JSON report; with this, about a hundred)
_SPOOLED = 1 << 20


class _Spool:
    """The JSON report's entries, comma-separated, written to a file as they come; a file's entries are
    kept once the run takes its part (keep), or taken back (drop) when the file had an error or came
    after one: the spool then ends as it did after the last part kept."""

    def __init__(self, file: IO[bytes]):
        self.file = file
        self.first = True  # no entry kept yet: the next one needs no comma
        self.kept = (0, True)  # where the last part kept ends, and `first` there

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk if self.first else b",\n" + chunk)
        self.first = False

    def keep(self) -> None:
        self.kept = (self.file.tell(), self.first)

    def drop(self) -> None:
        at, self.first = self.kept
        if self.file.tell() != at:
            self.file.seek(at)
            self.file.truncate()


def write_json(
    out: IO[bytes],
    paths: Iterable[Path],
    rules: str | None,
    encoding: str | None,
    targets: str | None,
    note: Callable[[str], None] | None,
    jobs: int = 1,
) -> dict[str, Any]:
    """The JSON report, project by project: entries go to a spool file as scored, the head and summary
    (known at the end) around them. Every error of every file is raised before a byte reaches `out`.
    Returns the summary."""
    run = Run()
    with tempfile.TemporaryFile(buffering=_SPOOLED) as file:
        spool = _Spool(file)
        for part in parts(paths, rules, encoding, targets, json_entry, jobs, spool.write):
            if run.take(part, note):
                for chunk in part.entries:  # a worker's (scored here, they are in the spool already)
                    spool.write(chunk)
                spool.keep()
            else:
                spool.drop()
        run.raise_errors()
        whole = encode.indented(run.report([]))
        marker = b'\n  "projects": []'
        at = whole.index(marker)
        if spool.first:
            out.write(whole + b"\n")
        else:
            out.write(whole[:at] + b'\n  "projects": [\n')
            file.seek(0)
            shutil.copyfileobj(file, out, 1 << 20)
            out.write(b"\n  ]" + whole[at + len(marker) :] + b"\n")
    summary: dict[str, Any] = run.report([])["summary"]
    return summary


def write_ndjson(
    out: IO[bytes],
    paths: Iterable[Path],
    rules: str | None,
    encoding: str | None,
    targets: str | None,
    note: Callable[[str], None] | None,
    jobs: int = 1,
    stream: bool = False,
) -> dict[str, Any]:
    """One line per project, then the summary line. `stream` (standard output): a file's lines are written
    once it is scored, and the first file with an error ends the run there; otherwise (a file renamed
    into place at the end) every error of every file is gathered first. Returns the summary.

    A file scored in this process writes its lines to a spool file as they are made (not a list of them
    all), copied to `out` once the run takes the file, or emptied when it has an error."""
    run = Run()
    with tempfile.TemporaryFile(buffering=_SPOOLED) as spool:
        for part in parts(paths, rules, encoding, targets, ndjson_entry, jobs, spool.write):
            if run.take(part, note):
                if spool.tell():
                    spool.seek(0)
                    shutil.copyfileobj(spool, out, 1 << 20)
                out.writelines(part.entries)  # a worker's (scored here, they are in the spool)
                if stream:
                    out.flush()
            elif stream and run.errors:
                break
            spool.seek(0)
            spool.truncate()
    run.raise_errors()
    summary: dict[str, Any] = run.report([])["summary"]
    out.write(encode.line({"summary": summary}) + b"\n")
    return summary


def build_report(
    paths: Iterable[Path],
    rules: str | None,
    encoding: str | None,
    targets: str | None,
    note: Callable[[str], None] | None,
    jobs: int = 1,
) -> dict[str, Any]:
    """The whole report view (for Markdown, HTML, Excel, Word), its projects scored file by file."""
    run = Run()
    projects: list[Any] = []
    for part in parts(paths, rules, encoding, targets, view_entry, jobs):
        if run.take(part, note):
            projects += part.entries
    run.raise_errors()
    return run.report(projects)


def default_jobs() -> int:
    """The processes `--jobs 0` asks for: one per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
