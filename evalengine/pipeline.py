"""Score one or more actuals files: load everything, check everything, then score.

No output is produced until every file has been read and every project scored without an input
error, so a bad file never leaves a half-written report behind.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from evalengine.errors import ErrorGroup, EvalEngineError, InputError, Location
from evalengine.inputs.actuals import Job, load_job
from evalengine.model import Finding, Project, Scorecard
from evalengine.monitoring import MonitorCard, monitor_project
from evalengine.scoring.engine import ScoringError, scorer_for
from evalengine.sources.documents import Document, load_yaml
from evalengine.text import nfkc

Progress = Callable[[Iterable[tuple[Job, Project]]], Iterator[tuple[Job, Project]]]


@dataclass
class Scored:
    job: Job
    cards: list[Scorecard]


def actuals_files(
    paths: Iterable[Path], encoding: str | None = None
) -> tuple[list[tuple[Path, Document | None]], list[str]]:
    """Expand directories into the actuals files inside them; say what was passed over and why.

    Files found in a directory come with the document read to recognise them, so it is read once.
    """
    files: list[tuple[Path, Document | None]] = []
    notes: list[str] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"no such file or directory: {path}", Location(str(path)))
        if path.is_file():
            files.append((path, None))
            continue
        _need_folder(path)
        for candidate in sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json")):
            doc = load_yaml(candidate, encoding)
            if isinstance(doc.data, dict) and "targets" in doc.data and "projects" in doc.data:
                files.append((candidate, doc))
            else:
                notes.append(f"{candidate}: not an actuals file (no targets: and projects:), passed over")
    if not files:
        raise InputError("no actuals file given", hint="name an actuals file, or a directory holding them")
    return files, notes


def _need_folder(path: Path) -> None:
    if not path.is_dir():  # a device or a pipe: never opened, it might not end
        raise InputError(
            f"{path} is not a regular file (a device, a pipe or a socket); give a file", Location(str(path))
        )


def _load_jobs(
    paths: Iterable[Path | tuple[Path, Document | None]],
    rules: str | None,
    encoding: str | None,
    targets: str | None = None,
) -> tuple[list[Job], list[EvalEngineError]]:
    """Every actuals file with what it names, and every error found on the way."""
    errors: list[EvalEngineError] = []
    jobs: list[Job] = []
    for item in paths:
        path, doc = item if isinstance(item, tuple) else (item, None)
        try:
            jobs.append(load_job(path, rules, encoding, doc, targets))
        except ErrorGroup as group:
            errors.extend(group.errors)
        except EvalEngineError as exc:
            errors.append(exc)
    return jobs, errors


def _score_one(job: Job, project: Project) -> Scorecard:
    """One project's scorecard; a scoring error comes back located at the actuals entry that caused it."""
    code = project.code
    try:
        card = scorer_for(job.pack).score(project, job.actuals[code], job.year)
    except ScoringError as exc:
        key = (code, nfkc(exc.indicator).strip() if exc.indicator else "")
        exc.location = job.where.get(key) or job.where.get((code, "")) or job.targets.where.get(code)
        exc.message = f"project {code}: {exc.message}"
        raise
    if code in job.missing:
        finding = Finding("error", "missing-project", None, f"实际完成情况文件中没有项目{code}，全部指标计0分")
        card = dataclasses.replace(card, findings=(finding, *card.findings))
    return card


def _raise(errors: list[EvalEngineError]) -> None:
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)


def score_files(
    paths: Iterable[Path | tuple[Path, Document | None]],
    rules: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    targets: str | None = None,
) -> list[Scored]:
    jobs, errors = _load_jobs(paths, rules, encoding, targets)
    _raise(errors)
    work = [(job, project) for job in jobs for project in job.targets.projects]
    cards: dict[int, list[Scorecard]] = {id(job): [] for job in jobs}
    for job, project in progress(work) if progress else work:
        try:
            cards[id(job)].append(_score_one(job, project))
        except ScoringError as exc:
            errors.append(exc)
    _raise(errors)
    return [Scored(job, cards[id(job)]) for job in jobs]


@dataclass
class Monitored:
    job: Job
    cards: list[MonitorCard]


def monitor_files(
    paths: Iterable[Path | tuple[Path, Document | None]],
    as_of: date,
    rules: str | None = None,
    encoding: str | None = None,
    targets: str | None = None,
) -> list[Monitored]:
    """In-year lights for every project of every actuals file, all input errors gathered first."""
    loaded, errors = _load_jobs(paths, rules, encoding, targets)
    jobs = []
    for job in loaded:
        if as_of.year != job.year:
            errors.append(
                InputError(
                    f"--as-of {as_of} is outside the budget year {job.year} of this file",
                    Location(str(job.path)),
                    hint=f"monitor {job.year} with a date in {job.year}",
                )
            )
        else:
            jobs.append(job)
    results = []
    for job in jobs:
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
    paths: Iterable[Path], rules: str | None = None, encoding: str | None = None, targets: str | None = None
) -> Iterator[tuple[Job, Scorecard]]:
    """Score file after file, yielding each project as it is scored: memory holds one file at a time.

    Each file is read and checked whole before its first project is yielded; an input error stops the
    stream there, with every error of that file.
    """
    for path, doc in _each_actuals_file(paths, encoding):
        job = load_job(path, rules, encoding, doc, targets)
        cards: list[Scorecard] = []
        errors: list[EvalEngineError] = []
        for project in job.targets.projects:
            try:
                cards.append(_score_one(job, project))
            except ScoringError as exc:
                errors.append(exc)
        _raise(errors)
        for card in cards:
            yield job, card


def _each_actuals_file(paths: Iterable[Path], encoding: str | None) -> Iterator[tuple[Path, Document | None]]:
    """Like actuals_files, lazily: a directory's files are read one by one as the stream reaches them."""
    for path in paths:
        if not path.exists():
            raise InputError(f"no such file or directory: {path}", Location(str(path)))
        if path.is_file():
            yield path, None
            continue
        _need_folder(path)
        for candidate in sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json")):
            doc = load_yaml(candidate, encoding)
            if isinstance(doc.data, dict) and "targets" in doc.data and "projects" in doc.data:
                yield candidate, doc
