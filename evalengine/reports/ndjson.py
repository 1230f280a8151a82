"""NDJSON: one line per scored project as it is scored, then the summary line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from evalengine.inputs.actuals import Job
from evalengine.pipeline import Scored
from evalengine.reports.view import (
    RunningSummary,
    project_view,
)
from evalengine.scoring.results import Scorecard


def ndjson_lines(stream: Iterator[tuple[Job, Scorecard]]) -> Iterator[str]:
    """One JSON object per scored project, then one {"summary": …} line."""
    summary = RunningSummary()
    for job, card in stream:
        summary.add(card, job)
        yield json.dumps(project_view(card, Scored(job, [card])), ensure_ascii=False) + "\n"
    yield json.dumps({"summary": summary.view()}, ensure_ascii=False) + "\n"
