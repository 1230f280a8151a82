"""NDJSON: one line per scored project as it is scored, then the summary line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from evalengine.pipeline import Scored
from evalengine.reports.view import RunningSummary, forget, project_view


def ndjson_lines(stream: Iterator[Scored]) -> Iterator[str]:
    """One JSON object per scored project (each a Scored of one card), then one {"summary": …} line."""
    summary = RunningSummary()
    job: object = None
    for scored in stream:
        (card,) = scored.cards
        if scored.job is not job:  # a new file: the sentences kept for the last one hold its targets
            forget()
            job = scored.job
        summary.add(card, scored.job)
        yield json.dumps(project_view(card, scored), ensure_ascii=False) + "\n"
    forget()
    yield json.dumps({"summary": summary.view()}, ensure_ascii=False) + "\n"
