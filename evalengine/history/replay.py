"""Replay: the stored inputs of a recorded year scored again, under the pack recorded then, and compared.

A difference means the engine (or the stored results) changed since: each is named down to the field.
Baselines that came from history are taken as recorded, so a year replays as it was scored.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from evalengine.errors import ErrorGroup, EvalEngineError
from evalengine.history.record import _project, engine_version, pack_content, sha256
from evalengine.history.store import INDICATOR_COLUMNS, Run, Store
from evalengine.i18n import LANGUAGES, _, language, set_language
from evalengine.inputs.actuals import Job, load_job
from evalengine.packs.load import load_pack
from evalengine.pipeline import Baseline, Prior, fill_baselines, score_job
from evalengine.scoring.results import Scorecard

PROJECT_FIELDS = ("name", "total", "grade", "budget", "spent", "rate", "execution_weight", "execution_score")


@dataclass
class Difference:
    """One stored value that replay computes differently."""

    code: str
    project: str
    what: str  # total, or 补助覆盖率(%).score …
    stored: str
    now: str


@dataclass
class Replayed:
    """One recorded run replayed."""

    run: Run
    engine_now: str
    pack_changed: str | None = None  # the pack of that name now has another effective content
    error: str | None = None  # the stored inputs no longer load or score
    differences: list[Difference] = field(default_factory=list)
    projects: int = 0


class _Recorded:
    """The baselines a run read from history, as it recorded them (pipeline.History)."""

    def __init__(self, rows: list[Any]):
        self.rows = {(r["code"], r["name_key"], r["baseline_year"]): r for r in rows if r["baseline_year"] is not None}

    def baseline(self, code: str, indicator: str, year: int) -> Baseline | None:
        row = self.rows.get((code, indicator, year))
        if row is None:
            return None
        return Baseline(year, Decimal(row["baseline"]), row["baseline_unit"], row["baseline_text"] or "")

    def prior(self, code: str, year: int) -> Prior | None:
        return None


def replay(store: Store, year: int, department: str | None = None) -> list[Replayed]:
    """Every current run of `year` (of one department) replayed."""
    return [replay_run(store, run) for run in store.runs(year=year, department=department)]


def replay_run(store: Store, run: Run) -> Replayed:
    """One recorded run's inputs scored again under its recorded pack, compared field by field."""
    out = Replayed(run, engine_version(), projects=run.projects)
    stored_pack = store.pack(run.id)
    out.pack_changed = _pack_changed(run)
    inputs = store.inputs(run.id)
    with tempfile.TemporaryDirectory(prefix="evalengine-replay-") as tmp:
        folder = Path(tmp)
        paths = {}
        for role, row in inputs.items():
            path = folder / role / Path(row["path"]).name
            path.parent.mkdir()
            path.write_bytes(row["content"])
            paths[role] = path
        pack_path = folder / "pack.yaml"
        pack_path.write_text(stored_pack, encoding="utf-8")  # JSON is YAML: the schema reads it as written
        try:
            job = load_job(paths["actuals"], str(pack_path), run.encoding, targets_override=str(paths["targets"]))
            job = fill_baselines(job, _Recorded(store.indicators(run.id)))
            cards = score_job(job)
        except ErrorGroup as group:
            out.error = "; ".join(e.message for e in group.errors[:3])
            return out
        except EvalEngineError as exc:
            out.error = exc.message
            return out
    out.differences = _differences(store, run, job, cards)
    if any(d.what.startswith("finding ") for d in out.differences):
        # findings' messages are recorded in the language of the run that recorded them: a year recorded in
        # Chinese and replayed in English differs in words only, so the other languages are tried as well
        speaking = language()
        for lang in LANGUAGES:
            if lang == speaking:
                continue
            set_language(lang)
            try:
                said = score_job(job)  # the findings in `lang`; the differences are still told in `speaking`
            finally:
                set_language(speaking)
            other = _differences(store, run, job, said)
            if len(other) < len(out.differences):
                out.differences = other
    return out


def _differences(store: Store, run: Run, job: Job, cards: list[Scorecard]) -> list[Difference]:
    """The recorded run's projects against `cards`, field by field."""
    out: list[Difference] = []
    now = {card.project.code: _project(card, job) for card in cards}
    for stored in store.projects(run.id):
        code = stored["code"]
        fresh = now.pop(code, None)
        if fresh is None:
            out.append(Difference(code, stored["name"], "project", _("recorded"), _("not scored now")))
            continue
        out += _compare(store, run.id, stored, fresh)
    for code, fresh in now.items():
        out.append(Difference(code, fresh["name"], "project", _("not recorded"), _("scored now")))
    return out


def _compare(store: Store, run_id: int, stored: Any, fresh: dict[str, Any]) -> list[Difference]:
    code, name = stored["code"], stored["name"]
    out = [Difference(code, name, f, stored[f], fresh[f]) for f in PROJECT_FIELDS if stored[f] != fresh[f]]
    if json.loads(stored["notes"]) != fresh["notes"]:
        out.append(Difference(code, name, "notes", stored["notes"], json.dumps(fresh["notes"], ensure_ascii=False)))
    rows = store.indicators(run_id, code)
    for n in range(max(len(rows), len(fresh["indicators"]))):
        if n >= len(rows) or n >= len(fresh["indicators"]):
            label = (rows[n]["name"] if n < len(rows) else fresh["indicators"][n]["name"]) + ".indicator"
            there = _("recorded") if n < len(rows) else _("not recorded")
            out.append(Difference(code, name, label, there, _("not scored now") if n < len(rows) else _("scored now")))
            continue
        row, now = rows[n], fresh["indicators"][n]
        for column in INDICATOR_COLUMNS:
            if _text(row[column]) != _text(now[column]):
                out.append(Difference(code, name, f"{row['name']}.{column}", _text(row[column]), _text(now[column])))
    recorded = [
        tuple(f[k] for k in ("severity", "finding", "indicator", "message")) for f in store.findings(run_id, code)
    ]
    for finding in recorded:
        if finding not in fresh["findings"]:
            out.append(Difference(code, name, f"finding {finding[1]}", finding[3], _("absent")))
    for finding in fresh["findings"]:
        if finding not in recorded:
            out.append(Difference(code, name, f"finding {finding[1]}", _("absent"), finding[3]))
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _pack_changed(run: Run) -> str | None:
    """Whether the pack named as the run's now has other content (it is replayed as recorded anyway)."""
    try:
        now = sha256(pack_content(dict(load_pack(run.pack_name).data)).encode("utf-8"))
    except (EvalEngineError, OSError):
        return _("it no longer loads under that name")
    if now == run.pack_hash:
        return None
    return _("its content now hashes to {now}, recorded {recorded}", now=now[:12], recorded=run.pack_hash[:12])
