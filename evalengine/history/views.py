"""What the history commands show: plain dicts (the JSON of `--format json`) and their Markdown tables."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from evalengine.errors import InputError
from evalengine.history.replay import Replayed
from evalengine.history.store import Store, all_rows
from evalengine.i18n import _, ngettext
from evalengine.numbers import ZERO, fixed, round_to
from evalengine.text import did_you_mean


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ") if value not in (None, "") else "—"


def _table(head: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def listing(store: Store, everything: bool = False) -> dict[str, Any]:
    """Departments and years recorded: the current run of each (every run with `everything`)."""
    counts = store.counts()
    runs = []
    for run in store.runs(everything=everything):
        projects = store.projects(run.id)
        budget = sum((Decimal(p["budget"]) for p in projects), ZERO)
        weighted = sum((Decimal(p["total"]) * Decimal(p["budget"]) for p in projects), ZERO)
        runs.append(
            {
                "department": run.department,
                "year": run.year,
                "run": run.id,
                "current": run.current,
                "runs": counts[(run.department, run.year)],
                "projects": run.projects,
                "average": fixed(round_to(weighted / budget, 2)) if budget else None,
                "rules": run.pack_name,
                "rules_hash": run.pack_hash,
                "engine": run.engine,
                "recorded_at": run.recorded_at,
            }
        )
    return {"history": str(store.path), "runs": runs}


def listing_md(view: dict[str, Any]) -> str:
    """`listing` as a Markdown table."""
    rows = [
        [
            r["department"],
            r["year"],
            r["projects"],
            r["average"],
            _run_cell(r),
            f"{r['rules']}（{r['rules_hash'][:12]}）",
            r["engine"],
            r["recorded_at"],
        ]
        for r in view["runs"]
    ]
    if not rows:
        return f"# 历史记录：{view['history']}\n\n" + _("Nothing recorded.") + "\n"
    head = ["部门", "年度", "项目数", "按预算加权平均分", "记录", "评分规则", "引擎版本", "记录时间"]
    return f"# 历史记录：{view['history']}\n\n" + _table(head, rows)


def _run_cell(r: dict[str, Any]) -> str:
    """The run's number, whether a later recording superseded it, and how many runs its year has."""
    if r["runs"] > 1:
        if r["current"]:
            return _("{run}, of {n} runs", run=r["run"], n=r["runs"])
        return _("{run} (superseded), of {n} runs", run=r["run"], n=r["runs"])
    return str(r["run"]) if r["current"] else _("{run} (superseded)", run=r["run"])


def project_years(store: Store, code: str) -> dict[str, Any]:
    """Project `code` in every year recorded: totals, 同比, and each indicator's actual and score."""
    found = store.across_years(code)
    if not found:
        raise InputError(
            _(
                "project {code!r} is in no recorded run{suggestion}",
                code=code,
                suggestion=did_you_mean(code, store.codes()),
            ),
            hint=_("evalengine history list shows what is recorded"),
        )
    years = []
    previous: Decimal | None = None
    for run, p in found:
        total = Decimal(p["total"])
        change = None if previous is None else total - previous
        indicators = [
            {
                "name": i["name"],
                "target": i["target"],
                "actual": i["actual"],
                "weight": i["weight"],
                "score": i["score"],
            }
            for i in store.indicators(run.id, code)
        ]
        years.append(
            {
                "year": run.year,
                "department": run.department,
                "name": p["name"],
                "total": p["total"],
                "grade": p["grade"],
                "change": None if change is None else ("+" if change > 0 else "") + str(change),
                "rate": fixed(round_to(Decimal(p["rate"]) * 100, 2)),
                "rules": run.pack_name,
                "run": run.id,
                "indicators": indicators,
            }
        )
        previous = total
    return {"code": code, "name": years[-1]["name"], "years": years}


def project_years_md(view: dict[str, Any]) -> str:
    """`project_years` as Markdown: the years, then each indicator across them."""
    years = view["years"]
    out = f"# {view['code']} {view['name']}\n\n"
    out += _table(
        ["年度", "部门", "总分", "等级", "同比", "执行率", "评分规则", "记录"],
        [
            [y["year"], y["department"], y["total"], y["grade"], y["change"], f"{y['rate']}%", y["rules"], y["run"]]
            for y in years
        ],
    )
    names: list[str] = []
    for y in years:
        names += [i["name"] for i in y["indicators"] if i["name"] not in names]
    rows = []
    for name in names:
        row: list[Any] = [name]
        for y in years:
            ind = next((i for i in y["indicators"] if i["name"] == name), None)
            row.append(f"{ind['actual'] or '—'}（{ind['score']}/{ind['weight']}）" if ind else None)
        rows.append(row)
    out += "\n## 指标（实际完成值（得分/分值））\n\n" + _table(["指标", *(f"{y['year']}年" for y in years)], rows)
    return out


def replay_view(results: list[Replayed], year: int) -> dict[str, Any]:
    """What replay found, as the JSON of `history replay --format json`."""
    return {
        "year": year,
        "runs": [
            {
                "department": r.run.department,
                "run": r.run.id,
                "recorded_at": r.run.recorded_at,
                "engine_recorded": r.run.engine,
                "engine_now": r.engine_now,
                "rules": r.run.pack_name,
                "rules_hash": r.run.pack_hash,
                "rules_changed": r.pack_changed,
                "projects": r.projects,
                "error": r.error,
                "differences": [d.__dict__ for d in r.differences],
            }
            for r in results
        ],
        "differences": sum(len(r.differences) + (r.error is not None) for r in results),
    }


def replay_md(view: dict[str, Any]) -> str:
    """`replay_view` as Markdown: per run, no difference or a table of them."""
    out = f"# 重算 {view['year']}年\n"
    if not view["runs"]:
        return out + "\n" + _("Nothing recorded for that year.") + "\n"
    for r in view["runs"]:
        out += (
            f"\n## {r['department'] or _('(no department)')}（记录 {r['run']}，{r['recorded_at']}）\n\n"
            + _(
                "Rules: {rules} ({hash}, replayed as recorded); engine: {recorded} when recorded, {now} now",
                rules=r["rules"],
                hash=r["rules_hash"][:12],
                recorded=r["engine_recorded"],
                now=r["engine_now"],
            )
            + "\n"
        )
        if r["rules_changed"]:
            out += "\n" + _("The rules of that name have changed since: {change}", change=r["rules_changed"]) + "\n"
        if r["error"]:
            out += "\n" + _("Cannot replay: {error}", error=r["error"]) + "\n"
        elif not r["differences"]:
            n = r["projects"]
            out += "\n" + ngettext("{n} project, exactly as recorded.", "{n} projects, exactly as recorded.", n) + "\n"
        else:
            n = len(r["differences"])
            out += "\n" + ngettext("{n} difference from the record:", "{n} differences from the record:", n) + "\n\n"
            out += _table(
                ["项目编码", "项目名称", "字段", "记录值", "重算值"],
                [[d["code"], d["project"], d["what"], d["stored"], d["now"]] for d in r["differences"]],
            )
    return out


EXPORT_COLUMNS = (
    "department",
    "year",
    "run",
    "current",
    "recorded_at",
    "rules",
    "rules_hash",
    "engine",
    "code",
    "project",
    "total",
    "grade",
    "level1",
    "level2",
    "indicator",
    "target",
    "written",
    "actual",
    "value",
    "unit",
    "baseline",
    "baseline_unit",
    "baseline_year",
    "weight",
    "score",
    "status",
    "tier",
)


def export_rows(store: Store, everything: bool = False) -> Iterator[dict[str, Any]]:
    """One flat row per recorded indicator: the analysts' table."""
    for run, p, i in all_rows(store, everything):
        yield {
            "department": run.department,
            "year": run.year,
            "run": run.id,
            "current": run.current,
            "recorded_at": run.recorded_at,
            "rules": run.pack_name,
            "rules_hash": run.pack_hash,
            "engine": run.engine,
            "code": p["code"],
            "project": p["name"],
            "total": p["total"],
            "grade": p["grade"],
            "level1": i["level1"],
            "level2": i["level2"],
            "indicator": i["name"],
            "target": i["target"],
            "written": i["written"],
            "actual": i["actual"],
            "value": i["value"],
            "unit": i["unit"],
            "baseline": i["baseline"],
            "baseline_unit": i["baseline_unit"],
            "baseline_year": i["baseline_year"],
            "weight": i["weight"],
            "score": i["score"],
            "status": i["status"],
            "tier": i["tier"],
        }


def export_text(store: Store, fmt: str, everything: bool = False) -> str:
    """The export as NDJSON (one JSON object a line) or CSV (a header row, then a row per indicator)."""
    rows = export_rows(store, everything)
    if fmt == "ndjson":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
