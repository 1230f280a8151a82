"""The public Python API: what `evalengine score` does, one step at a time, for scripts and batches.

    import evalengine

    job = evalengine.load_job("examples/zunhua-2024/actuals.yaml")
    cards = evalengine.score(job)
    report = evalengine.render(cards, "md")

Every step raises the errors in `evalengine.errors` (all `EvalEngineError`) on bad input, each with
its location; nothing prints or exits. Paths given here resolve against the working folder; paths
written inside a file resolve against that file's folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evalengine.errors import ErrorGroup, EvalEngineError
from evalengine.inputs.actuals import Job
from evalengine.inputs.actuals import load_job as _load_job
from evalengine.language.parser import parse_target as _parse_target
from evalengine.language.predicates import Predicate
from evalengine.packs.load import load_pack as _load_pack
from evalengine.packs.load import resolve
from evalengine.packs.model import Pack
from evalengine.pipeline import Scored, score_job
from evalengine.reports.formats import render_as
from evalengine.reports.view import build
from evalengine.scoring.results import Scorecard


class Results(list[Scorecard]):
    """The scorecards of one job, in the targets file's order, remembering the job they came from."""

    def __init__(self, job: Job, cards: Sequence[Scorecard]):
        super().__init__(cards)
        self.job = job


def parse_target(text: str, pack: Pack | None = None) -> Predicate:
    """A target (指标值) such as `≥95%` as a predicate; with `pack`, read with the pack's own words."""
    return _parse_target(text, pack.vocabulary if pack else None)


def load_pack(name_or_path: str | Path) -> Pack:
    """A built-in pack by name (mof-2020) or a pack file, merged along `extends:` and validated."""
    return _load_pack(resolve(str(name_or_path), Path.cwd()))


def load_job(
    actuals_path: str | Path,
    *,
    targets: str | Path | None = None,
    rules: str | Path | None = None,
    encoding: str | None = None,
) -> Job:
    """An actuals file (YAML, JSON or a filled Excel form) with its targets and its pack, all validated.

    `targets` and `rules` override what the file names.
    """
    rules_ref = str(resolve(str(rules), Path.cwd())) if rules is not None else None
    targets_ref = str(Path(targets).resolve()) if targets is not None else None
    return _load_job(Path(actuals_path), rules_ref, encoding, targets_override=targets_ref)


def score(job: Job) -> Results:
    """Every project of the job scored. Raises ErrorGroup with every scoring error found."""
    return Results(job, score_job(job))


def render(results: Results | Sequence[Results], format: str = "md") -> str | bytes:
    """One or more jobs' results as a report: md, html, json (text) or xlsx (bytes)."""
    batches = [results] if isinstance(results, Results) else list(results)
    return render_as(build([Scored(r.job, list(r)) for r in batches]), format)


__all__ = ["ErrorGroup", "EvalEngineError", "Results", "load_job", "load_pack", "parse_target", "render", "score"]
