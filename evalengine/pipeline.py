"""Score one or more actuals files: load everything, check everything, then score.

No output is produced until every file has been read and every project scored without an input
error, so a bad file never leaves a half-written report behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import Any, Protocol

from evalengine.errors import ErrorGroup, EvalEngineError, InputError, Location, ScoringError
from evalengine.i18n import N_, Template, _
from evalengine.inputs.actuals import Job, load_job
from evalengine.language.parser import parse_actual
from evalengine.language.predicates import Quantity, uses_baseline
from evalengine.model import Finding, Project, ProjectActuals
from evalengine.scoring.engine import Scorer, scorer_for
from evalengine.scoring.monitor import MonitorCard, monitor_project
from evalengine.scoring.results import Scorecard
from evalengine.sources import dispatch
from evalengine.sources.documents import Document
from evalengine.text import nfkc

Progress = Callable[[Iterable[tuple[Job, Project]]], Iterator[tuple[Job, Project]]]


@dataclass(frozen=True)
class Baseline:
    """An indicator's actual as recorded for an earlier year: the baseline of a trend or change target."""

    year: int
    value: Decimal  # in the base unit (元, not 万元)
    unit: str | None
    text: str  # as it was written or shown: 88%, 1.2万元


@dataclass(frozen=True)
class Prior:
    """A project's recorded total in an earlier year, for 同比."""

    year: int
    total: Decimal
    grade: str


class History(Protocol):
    """Earlier years' results (evalengine.history's store is one): the pipeline reads, never writes."""

    def baseline(self, code: str, indicator: str, year: int) -> Baseline | None:
        """The actual recorded in `year` for project `code`'s indicator (its NFKC name), if a number."""
        ...

    def prior(self, code: str, year: int) -> Prior | None:
        """Project `code`'s recorded total in `year`."""
        ...


HistoryFor = Callable[[Job], "History | None"]  # the history a job reads (a store per targets folder …)


@dataclass
class Scored:
    """One actuals file's job and the scorecards of its projects."""

    job: Job
    cards: list[Scorecard]
    priors: dict[str, Prior | None] | None = None  # last year's totals by project code, when history was read


def fill_baselines(job: Job, history: History | None) -> Job:
    """`job` with every missing baseline that a target needs taken from the year before's recorded actual.

    The one place baselines come from history: any predicate kind that says it `uses_baseline` is covered.
    A baseline written in the actuals file wins; an indicator with no value (judged by its tier) needs none.
    """
    if history is None:
        return job
    last = job.year - 1
    actuals = dict(job.actuals)
    for project in job.targets.projects:
        given = job.actuals[project.code]
        filled = dict(given.indicators)
        for ind in project.indicators:
            key = nfkc(ind.name)
            obs = filled.get(key)
            if obs is None or obs.na or obs.baseline is not None or not isinstance(obs.value, Quantity):
                continue
            if not uses_baseline(ind.predicate):
                continue
            found = history.baseline(project.code, key.strip(), last)
            if found is not None:
                filled[key] = dataclasses.replace(obs, baseline=_quantity(found, job), baseline_year=found.year)
        if filled != given.indicators:
            actuals[project.code] = ProjectActuals(given.code, given.execution, filled)
    return dataclasses.replace(job, actuals=actuals)


def _quantity(found: Baseline, job: Job) -> Quantity:
    """The recorded value as a Quantity, shown as it was written (88%, 1.2万元) when its text still reads so."""
    try:
        read = parse_actual(found.text, job.pack.vocabulary)
    except EvalEngineError:
        read = None
    if isinstance(read, Quantity) and read.value == found.value and read.unit == found.unit:
        return read
    return Quantity(found.value, found.unit)


def priors(job: Job, history: History | None) -> dict[str, Prior | None] | None:
    """Each project's total of the year before, as recorded (None where it is not); None without history."""
    if history is None:
        return None
    return {p.code: history.prior(p.code, job.year - 1) for p in job.targets.projects}


def actuals_files(
    paths: Iterable[Path], encoding: str | None = None, mapping: str | None = None
) -> tuple[list[tuple[Path, Document | None]], list[str]]:
    """Expand folders into the actuals files inside them; say what was passed over and why.

    Files found in a folder come with the document read to recognise them, so each is read once.
    """
    files: list[tuple[Path, Document | None]] = []
    notes: list[str] = []
    for path, doc, note in dispatch.actuals_files(paths, encoding, mapping):
        if note:
            notes.append(note)
        else:
            files.append((path, doc))
    if not files:
        raise InputError(_("no actuals file given"), hint=_("name an actuals file, or a directory holding them"))
    return files, notes


def _load_jobs(
    paths: Iterable[Path | tuple[Path, Document | None]],
    rules: str | None,
    encoding: str | None,
    targets: str | None = None,
    mapping: str | None = None,
    note: Callable[[str], None] | None = None,
) -> tuple[list[Job], list[EvalEngineError]]:
    """Every actuals file with what it names, and every error found on the way. `mapping` is the layout of
    filled workbooks and Word tables; `note` hears how each was read (the mapping found by its headers)."""
    errors: list[EvalEngineError] = []
    jobs: list[Job] = []
    for item in paths:
        path, doc = item if isinstance(item, tuple) else (item, None)
        try:
            doc = doc or dispatch.read_document(path, encoding, mapping)
            for said in doc.notes:
                if note is not None:
                    note(said)
            jobs.append(load_job(path, rules, encoding, doc, targets))
        except ErrorGroup as group:
            errors.extend(group.errors)
        except EvalEngineError as exc:
            errors.append(exc)
    return jobs, errors


class _Seen:
    """Project codes already met in this run, with where: the same project scored twice is an input error
    (a folder holding both the year's actuals and the mid-year monitoring file, or one file listed twice)."""

    def __init__(self) -> None:
        # code -> where it was first met: the text naming a targets file, or the Location's fields. Kept for
        # the whole run, one a project: as a tuple a place takes about a third of a Location's memory (50
        # files of 1,000 projects peaked at 73 MiB keeping Locations, 56 MiB keeping nothing)
        self.places: dict[str, str | tuple[Any, ...]] = {}
        self.files: set[Path] = set()

    def check(self, job: Job, errors: list[EvalEngineError]) -> None:
        self.check_places(job.path, places(job), errors)

    def check_places(self, file: Path, found: list[Place], errors: list[EvalEngineError]) -> None:
        """`check` for a file scored elsewhere (another process), from its `places`."""
        path = file.resolve()
        if path in self.files:
            errors.append(InputError(_("this file is given twice in one run"), Location(str(file))))
            return
        self.files.add(path)
        for code, here, entry in found:
            first: str | tuple[Any, ...] | Location | None = self.places.get(code)
            if first is None:
                self.places[code] = here if isinstance(here, str) else _fields_of(here)
                continue
            if isinstance(first, tuple):
                first = Location(*first)
            errors.append(
                InputError(
                    _("project {code} is met twice in this run: here and at {first}", code=code, first=first),
                    entry or Location(str(file)),
                    hint=_(
                        "give each project's actuals once: keep other files (such as mid-year monitoring) "
                        "in another folder"
                    ),
                )
            )


Seen = _Seen
# a Location's fields in order, as Location(*fields) takes them
_fields_of = attrgetter(*(f.name for f in dataclasses.fields(Location)))
# a project's code, where it is met (its entry, shown as text only in the message of a project met twice; or
# the text naming the targets file for a project the actuals do not list), its actuals entry
Place = tuple[str, str | Location, Location | None]


def places(job: Job) -> list[Place]:
    """Where each project of a job is met, for `Seen`: its actuals entry, or the targets file naming it."""
    found: list[Place] = []
    for project in job.targets.projects:
        entry = job.where.get((project.code, ""))
        here = (
            entry
            if entry
            else _(
                "{path} (not listed; from {source})",
                path=job.path,
                source=job.targets.where.get(project.code) or job.targets.path,
            )
        )
        found.append((project.code, here, entry))
    return found


def _score_one(
    job: Job, project: Project, scorer: Scorer | None = None, missing: Container[str] | None = None
) -> Scorecard:
    """One project's scorecard; a scoring error comes back located at the actuals entry that caused it.
    `scorer`: the job's pack's (scorer_for), and `missing`: job.missing as a set, when the caller has them
    (job.missing is a list: looking each project up in it made a file missing many projects quadratic)."""
    code = project.code
    first: tuple[Finding, ...] = ()
    last: tuple[Finding, ...] = ()
    if code in (job.missing if missing is None else missing):
        message = _("the actuals give nothing for project {code}: every indicator scores 0", code=code)
        first = (Finding("error", "missing-project", None, message),)
    elif not job.summaries.get(code, "").strip():
        # drawn for every project of a file without summaries: the message by its Template (one lookup per
        # language, not _()'s), the finding made without the named tuple's Python-level __new__
        last = (tuple.__new__(Finding, ("warning", "missing-summary", None, _NO_SUMMARY())),)
    try:
        return (scorer or scorer_for(job.pack)).score(project, job.actuals[code], job.year, first, last)
    except ScoringError as exc:
        key = (code, nfkc(exc.indicator).strip() if exc.indicator else "")
        exc.location = job.where.get(key) or job.where.get((code, "")) or job.targets.where.get(code)
        exc.message = _("project {code}: {message}", code=code, message=exc.message)
        raise


_NO_SUMMARY = Template(
    N_("the year's overall goals have no actual results (summary:); that box of the form is left blank")
)


def score_job(job: Job, history: History | None = None) -> list[Scorecard]:
    """Every project of one job scored, in the targets file's order; every scoring error raised together.

    With `history`, baselines missing from the actuals are filled from the year before (fill_baselines)."""
    return list(scorecards(job, history))


def scorecards(job: Job, history: History | None = None) -> Iterator[Scorecard]:
    """score_job one card at a time, for a caller that writes each card out and lets it go (a batch holds
    one card of a file alive, not all of them). Once a project fails, no card is given any more (a file
    with a scoring error reports none of its projects), but every project is still scored, so that every
    scoring error of the file is raised together at the end, as score_job raises them."""
    job = fill_baselines(job, history)
    errors: list[EvalEngineError] = []
    scorer = scorer_for(job.pack)
    missing = set(job.missing)
    for project in job.targets.projects:
        try:
            card = _score_one(job, project, scorer, missing)
        except ScoringError as exc:
            errors.append(exc)
            continue
        if not errors:
            yield card
    _raise(errors)


def _raise(errors: list[EvalEngineError]) -> None:
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)


def score_files(
    paths: Iterable[Path | tuple[Path, Document | None]],
    rules: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    targets: str | None = None,
    history: HistoryFor | None = None,
    mapping: str | None = None,
    note: Callable[[str], None] | None = None,
) -> list[Scored]:
    """Every project of every actuals file scored; every input and scoring error raised together.

    With `history`, each job's missing baselines come from the year before and its projects carry that
    year's totals (Scored.priors)."""
    jobs, errors = _load_jobs(paths, rules, encoding, targets, mapping, note)
    seen = _Seen()
    for job in jobs:
        seen.check(job, errors)
    _raise(errors)
    stores = {id(job): history(job) if history else None for job in jobs}
    jobs = [fill_baselines(job, stores[id(job)]) for job in jobs]
    stores = {id(job): store for job, store in zip(jobs, stores.values(), strict=True)}
    work = [(job, project) for job in jobs for project in job.targets.projects]
    cards: dict[int, list[Scorecard]] = {id(job): [] for job in jobs}
    missing = {id(job): set(job.missing) for job in jobs}
    for job, project in progress(work) if progress else work:
        try:
            cards[id(job)].append(_score_one(job, project, None, missing[id(job)]))
        except ScoringError as exc:
            errors.append(exc)
    _raise(errors)
    return [Scored(job, cards[id(job)], priors(job, stores[id(job)])) for job in jobs]


@dataclass
class Monitored:
    """One actuals file's job and the monitoring cards of its projects."""

    job: Job
    cards: list[MonitorCard]


def monitor_files(
    paths: Iterable[Path | tuple[Path, Document | None]],
    as_of: date,
    rules: str | None = None,
    encoding: str | None = None,
    targets: str | None = None,
    history: HistoryFor | None = None,
) -> list[Monitored]:
    """In-year lights for every project of every actuals file, all input errors gathered first; with
    `history`, trends without a written baseline are judged against the year before's recorded actual."""
    loaded, errors = _load_jobs(paths, rules, encoding, targets)
    jobs = []
    for job in loaded:
        if as_of.year != job.year:
            errors.append(
                InputError(
                    _("--as-of {as_of} is outside the budget year {year} of this file", as_of=as_of, year=job.year),
                    Location(str(job.path)),
                    hint=_("monitor {year} with a date in {year}", year=job.year),
                )
            )
        else:
            jobs.append(job)
    seen = _Seen()
    for job in jobs:
        seen.check(job, errors)
    results = []
    for job in jobs:
        if history is not None:
            job = fill_baselines(job, history(job))
        cards = []
        for project in job.targets.projects:
            try:
                cards.append(monitor_project(project, job.actuals[project.code], job.pack, as_of))
            except InputError as exc:
                exc.location = exc.location or job.where.get((project.code, "")) or job.targets.where.get(project.code)
                errors.append(exc)
        results.append(Monitored(job, cards))
    _raise(errors)
    return results


def iter_scored(
    paths: Iterable[Path],
    rules: str | None = None,
    encoding: str | None = None,
    targets: str | None = None,
    note: Callable[[str], None] | None = None,
    history: HistoryFor | None = None,
    mapping: str | None = None,
) -> Iterator[Scored]:
    """Score file after file, yielding each project as it is scored (a Scored of one card): memory holds
    one file at a time.

    Each file is read and checked whole before its first project is yielded; an input error stops the
    stream there, with every error of that file. A folder's file that is not an actuals file is passed
    over and said through `note`.
    """
    seen = _Seen()
    for path, doc, passed_over in dispatch.actuals_files(paths, encoding, mapping):
        if passed_over:
            if note is not None:
                note(passed_over)
            continue
        doc = doc or dispatch.read_document(path, encoding, mapping)
        for said in doc.notes:
            if note is not None:
                note(said)
        job = load_job(path, rules, encoding, doc, targets)
        errors: list[EvalEngineError] = []
        seen.check(job, errors)
        _raise(errors)
        store = history(job) if history is not None else None
        job = fill_baselines(job, store)
        before = priors(job, store)
        for card in score_job(job):
            code = card.project.code
            yield Scored(job, [card], None if before is None else {code: before[code]})


@contextlib.contextmanager
def quiet_gc() -> Iterator[Callable[[], None]]:
    """No cyclic garbage collection while a batch runs; the caller settles the heap between files.

    A batch allocates millions of objects that live until their file is written, and CPython's
    collector would walk them again and again (a fifth of the time of a large run). Reference
    counting still frees everything a file leaves behind; `settle()`, called once a file is done,
    collects the few cycles (a caught exception's frames) and freezes the survivors, so no later
    collection walks them again.
    """
    enabled = gc.isenabled()
    gc.disable()

    def settle() -> None:
        gc.collect()
        gc.freeze()

    try:
        yield settle
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
