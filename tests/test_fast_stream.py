"""Issue 19, the batch written project by project: each file's scorecards encoded as they are scored and
its entries spooled as they are made (taken back when the file, or one before it, has an error), and the
parsed data of an actuals file let go once its job is made. Everything a run writes or raises is compared
with the batch as it was before (every card of a file scored, then encoded, its entries kept until the file
was taken), in one process and in two, on batches with errors in the middle of a file, in several files,
projects met twice, empty files; and errors raised late (in the scoring) keep their locations."""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evalengine.errors import ErrorGroup, EvalEngineError
from evalengine.inputs.actuals import load_job
from evalengine.pipeline import Scored, places, score_job
from evalengine.reports import batch
from evalengine.reports.batch import Part, _errors, _Spool, build_report, score_part, write_json, write_ndjson
from evalengine.reports.view import Head, forget, project_view
from evalengine.sources import dispatch

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zunhua-2024"


def _old_score_part(
    path: Path,
    doc: Any,
    in_folder: bool,
    rules: str | None,
    encoding: str | None,
    targets: str | None,
    entry: Any,
    sink: Any = None,
) -> Part:
    """score_part as it was before it streamed: every card of the file scored (score_job), then each
    encoded, the entries kept in the part; the document left as load_job leaves it. `sink` is not used."""
    part = Part(path)
    try:
        if in_folder and doc is None:
            doc, part.note = dispatch.recognise(path, encoding)
            if part.note:
                return part
        job = load_job(path, rules, encoding, doc, targets)
        part.head = Head.of(job)
        part.targets = job.targets.path.resolve()
        part.places = places(job)
        cards = score_job(job)
    except EvalEngineError as exc:
        part.errors = _errors(exc)
        return part
    part.summary.grades_of(job)
    scored = Scored(job, [])
    written = batch._WRITTEN.get(entry)
    try:
        for card in cards:
            part.summary.add(card, job)
            part.entries.append(entry(project_view(card, scored)) if written is None else written(card, scored))
    finally:
        forget()
    return part


def _generate(out: Path, departments: int, projects: int) -> None:
    spec = importlib.util.spec_from_file_location("bench_generate_stream", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.generate(out, departments, projects)


def _said(exc: EvalEngineError) -> list[tuple[str, str, str | None, str]]:
    errors = exc.errors if isinstance(exc, ErrorGroup) else [exc]
    return [(type(e).__name__, e.message, e.hint, repr(e.location)) for e in errors]


def _edit(path: Path, change: Callable[[Any], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _fail(*projects: int) -> Callable[[Any], None]:
    """An actuals file's change: a score given for a quantitative target, in each of `projects` (a scoring
    error, located at the indicator's entry, found only when that project is scored)."""

    def change(data: Any) -> None:
        for i in projects:
            indicators = data["projects"][i]["indicators"]
            indicators[next(iter(indicators))] = {"score": "999"}

    return change


def _no_projects(data: Any) -> None:
    data["projects"] = []


def _emptied(data: Any) -> None:
    """Marks a file to be written with nothing in it (_batch)."""


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four generated JSON department files of six projects, and the example (YAML, located by lines)."""
    folder = tmp_path_factory.mktemp("clean")
    _generate(folder, 4, 6)
    for name in ("actuals.yaml", "targets.yaml"):
        shutil.copy(EXAMPLE / name, folder / name)
    return folder


def _dept(n: int, kind: str = "actuals") -> str:
    return f"dept-{n:04d}-{kind}.json"


# each batch: (file name, its change) for the files changed, and any files added as copies of others
BATCHES: dict[str, list[tuple[str, Callable[[Any], None]]]] = {
    "clean": [],
    "an error in the middle of a file": [(_dept(2), _fail(3))],
    "errors in several files, first and last projects": [(_dept(1), _fail(0)), (_dept(3), _fail(2, 5))],
    "an error in the last file only": [(_dept(4), _fail(5))],
    "an actuals file with no projects": [(_dept(2), _no_projects)],
    "a targets file with no projects (refused)": [(_dept(2), _no_projects), (_dept(2, "targets"), _no_projects)],
    "an empty file": [(_dept(3), _fail(1)), (_dept(2), _emptied)],
    "an input error before a scoring error": [
        (_dept(2), lambda data: data.update(year=1800)),
        (_dept(3), _fail(1)),
    ],
}


def _batch(clean: Path, tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "batch"
    shutil.copytree(clean, folder)
    for file, change in BATCHES[name]:
        if change is _emptied:
            (folder / file).write_bytes(b"")
        elif file.endswith(".json"):
            _edit(folder / file, change)
    return folder


def _outcome(write: Callable[..., Any], paths: list[Path], **options: Any) -> tuple[Any, ...]:
    """What a writer gives: its bytes and summary and notes, or its errors (every field of each)."""
    out = io.BytesIO()
    notes: list[str] = []
    try:
        summary = write(out, paths, None, None, None, notes.append, **options)
    except EvalEngineError as exc:
        return ("error", _said(exc), out.getvalue(), notes)
    return ("written", out.getvalue(), summary, notes)


def _report(paths: list[Path], **options: Any) -> tuple[Any, ...]:
    notes: list[str] = []
    try:
        return ("report", build_report(paths, None, None, None, notes.append, **options), notes)
    except EvalEngineError as exc:
        return ("error", _said(exc), notes)


def _every_outcome(paths: list[Path], jobs: int) -> list[tuple[Any, ...]]:
    return [
        _outcome(write_json, paths, jobs=jobs),
        _outcome(write_ndjson, paths, jobs=jobs),
        _outcome(write_ndjson, paths, jobs=jobs, stream=True),
        _report(paths, jobs=jobs),
    ]


def _compare(paths: list[Path], monkeypatch: pytest.MonkeyPatch, processes: bool = True) -> list[tuple[Any, ...]]:
    with monkeypatch.context() as patched:
        patched.setattr(batch, "score_part", _old_score_part)
        before = _every_outcome(paths, 1)
    assert _every_outcome(paths, 1) == before
    if processes:  # workers hand back their entries as before: the writers' two ways to use them suffice
        assert [_outcome(write_json, paths, jobs=2), _outcome(write_ndjson, paths, jobs=2)] == before[:2]
    return before


@pytest.mark.parametrize("name", list(BATCHES))
def test_a_batch_writes_and_raises_what_it_did_before(
    name: str, clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _batch(clean, tmp_path, name)
    outcomes = _compare([folder], monkeypatch)
    assert (outcomes[0][0] == "written") is (name.startswith(("clean", "an actuals")))
    if name.startswith("an error") or name.startswith("errors"):
        assert {said[0] for said in outcomes[0][1]} == {"ScoringError"}


def test_files_named_in_turn_a_project_met_twice_and_a_file_given_twice(
    clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Errors the run finds once a file is scored (its codes met before): the file's entries, spooled
    already, are taken back; files named one by one, not found in a folder."""
    folder = _batch(clean, tmp_path, "clean")
    again = folder / "again-actuals.json"
    shutil.copy(folder / _dept(1), again)
    _edit(again, lambda data: data.update(targets=_dept(1, "targets")))
    files = [folder / _dept(2), folder / _dept(1), folder / "actuals.yaml", again, folder / _dept(3)]
    outcomes = _compare(files, monkeypatch)
    assert outcomes[0][0] == "error" and "is met twice in this run" in outcomes[0][1][0][1]
    outcomes = _compare([folder / _dept(1), folder / _dept(2), folder / _dept(1)], monkeypatch, processes=False)
    assert "given twice" in outcomes[0][1][0][1]


def test_the_spool_takes_back_a_files_entries() -> None:
    with io.BytesIO() as file:
        spool = _Spool(file)
        spool.write(b"a")
        spool.drop()
        assert file.getvalue() == b"" and spool.first
        spool.write(b"a")
        spool.write(b"b")
        spool.keep()
        spool.write(b"c")
        spool.drop()
        spool.drop()
        assert file.getvalue() == b"a,\nb" and not spool.first
        spool.write(b"d")
        spool.keep()
        assert file.getvalue() == b"a,\nb,\nd"


def _late_error(path: Path, in_folder: bool = False) -> list[tuple[str, str, str | None, str]]:
    part = score_part(path, None, in_folder, None, None, None, batch.json_entry)
    assert part.errors and not part.entries
    return _said(ErrorGroup(part.errors))


def _late_error_before(path: Path) -> list[tuple[str, str, str | None, str]]:
    """The scoring errors of a job whose document keeps all its data, as load_job leaves it."""
    job = load_job(path)
    with pytest.raises(EvalEngineError) as raised:
        score_job(job)
    return _said(raised.value)


def test_an_error_found_in_the_scoring_keeps_its_line_column_and_key(tmp_path: Path) -> None:
    """The job's locations are worked out when an error needs them, from the actuals document, whose
    parsed data is let go once the job is made: a YAML file's line and column, a JSON file's key path."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "actuals.yaml"
    text = path.read_text(encoding="utf-8")
    given = "对社会风气带来的影响: {tier: 达成, evidence: [表彰决定.pdf]}"
    path.write_text(text.replace(given, "对社会风气带来的影响: {score: 999}"), encoding="utf-8")
    said = _late_error(path)
    assert said == _late_error_before(path)
    assert said == _late_error(path, in_folder=True)
    [(kind, message, _, location)] = said
    assert kind == "ScoringError" and "score 999 is not within" in message
    key = ("projects", 0, "indicators", "对社会风气带来的影响")
    assert f"Location(file='{path}', line=18, column=7, path={key!r}, cell=None)" == location


def test_a_json_files_late_errors_keep_their_key_paths(clean: Path, tmp_path: Path) -> None:
    folder = _batch(clean, tmp_path, "errors in several files, first and last projects")
    path = folder / _dept(3)
    said = _late_error(path)
    assert said == _late_error_before(path) == _late_error(path, in_folder=True)
    assert [location.split("path=")[1].split(", cell")[0] for *_, location in said] == [
        "('projects', 2, 'indicators', '指标1')",
        "('projects', 5, 'indicators', '指标1')",
    ]


def test_a_file_scored_lets_its_parsed_data_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[Any] = []
    reading = dispatch.read_document

    def keeping(*args: Any) -> Any:
        read.append(reading(*args))
        return read[-1]

    monkeypatch.setattr(dispatch, "read_document", keeping)
    part = score_part(EXAMPLE / "actuals.yaml", None, False, None, None, None, batch.json_entry)
    assert not part.errors and part.entries
    actuals = [doc for doc in read if doc.file == str(EXAMPLE / "actuals.yaml")]
    assert actuals and actuals[0].data is None and actuals[0].marks
