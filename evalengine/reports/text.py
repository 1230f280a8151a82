"""Text formats of the report view: JSON, and Markdown and HTML through Jinja2 templates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import jinja2

from evalengine.audit.model import REASONS
from evalengine.numbers import HUNDRED, ZERO, fixed, round_to
from evalengine.reports.audit import MODE_ZH
from evalengine.reports.audit import VERDICT_ZH as AUDIT_VERDICT_ZH
from evalengine.reports.review import REVIEW_SEVERITY_ZH, VERDICT_ZH
from evalengine.reports.view import (
    SEVERITY_ZH,
    STATUS_ZH,
)
from evalengine.resources import templates_dir
from evalengine.scoring.monitor import LIGHT_ZH


def to_json(report: dict[str, Any]) -> str:
    """The report as JSON, two spaces a level, non-ASCII as written (orjson's bytes, the json module's layout)."""
    from evalengine.reports.encode import document

    return document(report)


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\|<>*_`[]"})


def md(value: Any) -> str:
    """Text safe inside a Markdown table cell: no pipes, no raw HTML, no line breaks."""
    if value is None:
        return ""
    return " ".join(str(value).split()).translate(_MD_SPECIAL)


def lag(value: str, unit: str = "") -> str:
    """A lag in percentage points as the reports read it: 滞后 12.00, and 超前 40.00 for a negative lag."""
    if Decimal(value) < 0:
        return f"超前 {value[1:]}{unit}"
    return f"滞后 {value.lstrip('-')}{unit}"  # -0.00 (a lag rounded away) reads 滞后 0.00


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    env.filters["lag"] = lag
    env.globals.update(SEVERITY_ZH=SEVERITY_ZH, STATUS_ZH=STATUS_ZH, LIGHT_ZH=LIGHT_ZH)
    env.globals.update(REVIEW_SEVERITY_ZH=REVIEW_SEVERITY_ZH, VERDICT_ZH=VERDICT_ZH)
    env.globals.update(AUDIT_VERDICT_ZH=AUDIT_VERDICT_ZH, REASONS=REASONS, MODE_ZH=MODE_ZH)
    return env


_ENV: jinja2.Environment | None = None


def render(report: dict[str, Any], template: str) -> str:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    extra = chart_geometry(report) if template.startswith("report.") else {}
    return _ENV.get_template(template).render(report=report, **extra)


LEVEL_BAR = Decimal(140)  # px per level-1 bar in the HTML chart


RATE_BAR = Decimal(460)  # px for an execution rate of 120%


def chart_geometry(report: dict[str, Any]) -> dict[str, Any]:
    """Bar lengths (px, as strings) for the HTML report's SVG charts."""
    bars = []
    for p in report["projects"]:
        levels = []
        for lvl in p["level1"]:
            weight = Decimal(lvl["weight"])
            share = Decimal(lvl["score"]) / weight if weight else ZERO
            levels.append(
                {
                    "name": lvl["name"],
                    "share": fixed(round_to(share * HUNDRED, 1), 1),
                    "width": fixed(round_to(share * LEVEL_BAR, 1), 1),
                }
            )
        rate = min(Decimal(p["execution"]["rate"]), Decimal(120))
        bars.append(
            {
                "name": p["name"],
                "levels": levels,
                "rate": p["execution"]["rate"],
                "rate_width": fixed(round_to(rate / Decimal(120) * RATE_BAR, 1), 1),
            }
        )
    return {"bars": bars, "rate_100": fixed(round_to(Decimal(240) + RATE_BAR * 100 / 120, 1), 1)}
