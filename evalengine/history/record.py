"""A scored actuals file as the rows the history keeps: inputs, pack, every project and indicator.

What is kept is what a reviewer asks years later: which files were scored (their bytes and hashes),
under which rules (the pack's effective content and its hash) and which engine, and every number as
the engine computed it (Decimals as their exact text).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from evalengine.history.store import DEFAULT_NAME, RunRecord, Store, open_store
from evalengine.inputs.actuals import Job
from evalengine.language.predicates import Quantity
from evalengine.model import Observation
from evalengine.pipeline import History, Scored
from evalengine.scoring.results import IndicatorResult, Scorecard
from evalengine.text import nfkc


def engine_version() -> str:
    """The installed evalengine's version: recorded with every run, compared by replay."""
    try:
        return metadata.version("evalengine")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def pack_content(data: Any) -> str:
    """A pack's effective content (merged along extends:) as canonical JSON: what its hash is taken of."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)  # order matters (grades)


def sha256(data: bytes) -> str:
    """The hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def run_record(scored: Scored, encoding: str | None = None) -> RunRecord:
    """The rows of one scored actuals file (its job as scored: baselines from history filled in)."""
    job = scored.job
    inputs = [(role, path, _read(path)) for role, path in (("actuals", job.path), ("targets", job.targets.path))]
    pack = pack_content(dict(job.pack.data))
    pack_hash = sha256(pack.encode("utf-8"))
    projects = [_project(card, job) for card in scored.cards]
    read_from_history = sorted(
        (p["code"], i["name_key"], i["baseline"], i["baseline_unit"], i["baseline_year"])
        for p in projects
        for i in p["indicators"]
        if i["baseline_year"] is not None
    )
    identity = sha256(
        json.dumps(
            [[sha256(content) for _, _, content in inputs], pack_hash, encoding, read_from_history],
            ensure_ascii=False,
        ).encode("utf-8")
    )
    return RunRecord(
        department=job.targets.department or "",
        year=job.year,
        identity=identity,
        recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        engine=engine_version(),
        pack_name=job.pack.name,
        pack_hash=pack_hash,
        pack_content=pack,
        encoding=encoding,
        inputs=[(role, str(path), sha256(content), content) for role, path, content in inputs],
        projects=projects,
    )


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _project(card: Scorecard, job: Job) -> dict[str, Any]:
    ex = card.execution
    observations = job.actuals[card.project.code].indicators
    return {
        "code": card.project.code,
        "name": card.project.name,
        "total": str(card.total),
        "grade": card.grade,
        "budget": str(ex.budget),
        "spent": str(ex.spent),
        "rate": str(ex.rate),
        "execution_weight": str(ex.weight),
        "execution_score": str(ex.score),
        "notes": list(card.notes),
        "indicators": [_indicator(r, observations.get(nfkc(r.indicator.name))) for r in card.indicators],
        "findings": [(f.severity, f.code, f.indicator, f.message) for f in card.findings],
    }


def _indicator(r: IndicatorResult, obs: Observation | None) -> dict[str, Any]:
    ind = r.indicator
    value: Quantity | None = None
    value_text: str | None = None
    if obs is not None and isinstance(obs.value, Quantity):
        value, value_text = obs.value, str(obs.value)
    elif isinstance(r.seen, tuple):  # a rate from counts or a survey: the number it was judged as
        bound, number = r.seen
        value, value_text = Quantity(number, bound.unit), r.actual
    base = obs.baseline if obs is not None else None
    return {
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "name_key": nfkc(ind.name).strip(),
        "target": ind.target,
        "written": obs.text if obs is not None else "",
        "actual": r.actual,
        "value": None if value is None else str(value.value),
        "unit": None if value is None else value.unit,
        "value_text": value_text,
        "baseline": None if base is None else str(base.value),
        "baseline_unit": None if base is None else base.unit,
        "baseline_text": None if base is None else str(base),
        "baseline_year": obs.baseline_year if obs is not None else None,
        "weight": str(r.weight),
        "score": str(r.score),
        "status": r.status,
        "tier": r.tier,
    }


class Stores:
    """The history files one command uses: the one named by --history, else each targets file's own
    (`evalengine-history.sqlite` beside it). Opened once each, closed together."""

    def __init__(self, path: Path | None, *, create: bool):
        self.path = path
        self.create = create
        self.open: dict[Path, Store] = {}

    def path_for(self, job: Job) -> Path:
        """The history file of `job`."""
        return self.path if self.path is not None else job.targets.path.parent / DEFAULT_NAME

    def store(self, path: Path) -> Store:
        """The store at `path`, opened on first use."""
        key = path.resolve()
        if key not in self.open:
            self.open[key] = open_store(path, create=self.create)
        return self.open[key]

    def __call__(self, job: Job) -> History:
        """The history `job` reads (pipeline.HistoryFor)."""
        return self.store(self.path_for(job))

    def close(self) -> None:
        """Close every store opened."""
        for store in self.open.values():
            store.close()
        self.open.clear()


def record(stores: Stores, results: Iterable[Scored], encoding: str | None) -> list[tuple[Path, int, bool, Scored]]:
    """Record every scored file, each in its own transaction: (file, run id, new?, what was recorded)."""
    out = []
    for scored in results:
        path = stores.path_for(scored.job)
        run_id, new = stores.store(path).record(run_record(scored, encoding))
        out.append((path, run_id, new, scored))
    return out
