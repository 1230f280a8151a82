"""The user's files: the targets file (绩效目标表 as YAML) and the actuals file (the year's results).

Everything is validated before anything is scored, and every error found is reported together,
each with its file, line and key path. Money in both files is in 万元 unless a unit is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import ErrorGroup, EvalEngineError, InputError, Location
from .models import Execution, Indicator, Observation, Project, ProjectActuals
from .numbers import to_decimal
from .observations import observation, outlook
from .packs import Pack, load_pack
from .predicates import Quantity
from .sources import Document, KeyPath, load_yaml
from .suggest import did_you_mean, unknown_key
from .targets import parse_actual, parse_target
from .vocabulary import Vocabulary, nfkc

TARGETS_KEYS = ("department", "year", "unit", "goals", "projects")
PROJECT_KEYS = ("code", "name", "unit", "budget", "purpose", "spending_plan", "goals", "indicators")
INDICATOR_KEYS = ("level1", "level2", "name", "description", "target", "basis", "weight")
ACTUALS_KEYS = ("targets", "rules", "year", "projects")
ACTUAL_PROJECT_KEYS = ("code", "name", "execution", "indicators", "summary")
EXECUTION_KEYS = ("spent", "budget", "initial_budget", "adjusted_budget", "explanation", "cause", "outlook")
WAN = Decimal(10000)


@dataclass
class TargetsFile:
    path: Path
    department: str
    department_code: str
    year: int | None
    projects: list[Project]
    where: dict[str, Location]  # project code -> where its entry starts


@dataclass
class Job:
    """One actuals file, resolved: its pack, its targets, and each project's actuals."""

    path: Path
    pack: Pack
    targets: TargetsFile
    year: int
    actuals: dict[str, ProjectActuals]  # by project code
    summaries: dict[str, str] = field(default_factory=dict)  # 实际完成情况, by project code
    missing: list[str] = field(default_factory=list)  # target projects the actuals file does not mention
    where: dict[tuple[str, str], Location] = field(default_factory=dict)  # (code, indicator or "") -> entry


class _Collector:
    """Gathers errors so that a file's every mistake is reported in one run."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.errors: list[EvalEngineError] = []

    def where(self, path: KeyPath) -> Location:
        return self.doc.where(path)

    def add(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        self.errors.append(InputError(message, self.where(path), hint))

    def attempt(self, fn: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        """fn(*args), or `default` with the error recorded."""
        try:
            return fn(*args)
        except ErrorGroup as group:
            self.errors.extend(group.errors)
        except EvalEngineError as exc:
            self.errors.append(exc)
        return default

    def keys(self, path: KeyPath, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.add((*path, key), *unknown_key(key, allowed))

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ErrorGroup(self.errors)


def _mapping(c: _Collector, value: Any, path: KeyPath, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"expected {what} (a mapping of key: value lines)", c.where(path))
    return value


def _text(c: _Collector, data: dict[str, Any], key: str, path: KeyPath, required: bool = True) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError(f"missing {key}:", c.where(path))
        return ""
    if isinstance(value, (dict, list)):
        raise InputError(f"{key}: expected text", c.where((*path, key)))
    return str(value).strip()


def money(value: Any, where: Location, what: str) -> Decimal:
    """An amount in 万元: a bare number, or a number with its unit (48500元, 4.85万元)."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise InputError(f"{what}: expected an amount such as 4.85 (万元) or 48500元", where)
    text = nfkc(str(value)).strip()
    try:
        return to_decimal(text)
    except ValueError:
        pass
    parsed = parse_actual(text, location=where)
    if not isinstance(parsed, Quantity) or parsed.unit != "元":
        raise InputError(
            f"{what}: expected an amount of money, found {value!r}",
            where,
            hint="write 万元 as a bare number (4.85) or give the unit (48500元)",
        )
    return parsed.value / WAN


def _year(c: _Collector, value: Any, path: KeyPath) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if not (text.isdigit() and 1900 <= int(text) <= 2200):
        raise InputError(f"year: expected a year such as 2024, found {value!r}", c.where(path))
    return int(text)


# ---- targets -------------------------------------------------------------------------------------


def load_targets(path: Path, vocab: Vocabulary, encoding: str | None = None) -> TargetsFile:
    doc = load_yaml(path, encoding)
    c = _Collector(doc)
    data = _mapping(c, doc.data, (), "a targets file")
    c.keys((), data, TARGETS_KEYS)
    department = data.get("department") or {}
    if isinstance(department, str):
        department = {"name": department}
    if not isinstance(department, dict):
        c.add(("department",), "department: expected {code: …, name: …}")
        department = {}
    year = c.attempt(_year, c, data.get("year"), ("year",))
    projects: list[Project] = []
    where: dict[str, Location] = {}
    entries = data.get("projects")
    if not isinstance(entries, list) or not entries:
        c.add(("projects",), "projects: expected a list of the department's projects")
        entries = []
    for i, entry in enumerate(entries):
        project = c.attempt(_project, c, entry, ("projects", i), vocab)
        if project is None:
            continue
        if project.code in where:
            c.add(
                ("projects", i, "code"),
                f"project code {project.code} appears twice",
                f"first at line {where[project.code].line}",
            )
            continue
        where[project.code] = c.where(("projects", i))
        projects.append(project)
    c.raise_if_any()
    return TargetsFile(
        path, str(department.get("name") or ""), str(department.get("code") or ""), year, projects, where
    )


def _project(c: _Collector, entry: Any, path: KeyPath, vocab: Vocabulary) -> Project:
    data = _mapping(c, entry, path, "a project")
    c.keys(path, data, PROJECT_KEYS)
    code = nfkc(_text(c, data, "code", path))
    name = _text(c, data, "name", path)
    budget = data.get("budget")
    fiscal = other = None
    if isinstance(budget, dict):
        c.keys((*path, "budget"), budget, ("total", "fiscal", "other"))
        fiscal = c.attempt(money, budget.get("fiscal"), c.where((*path, "budget", "fiscal")), "fiscal")
        other = c.attempt(money, budget.get("other"), c.where((*path, "budget", "other")), "other")
        total_path: KeyPath = (*path, "budget", "total")
        budget = budget.get("total")
    else:
        total_path = (*path, "budget")
    total = money(budget, c.where(total_path), "budget")
    if total <= 0:
        raise InputError(f"budget: a project's 预算数 must be above 0, found {budget}", c.where(total_path))
    plan = []
    for label, share in (data.get("spending_plan") or {}).items():
        text = nfkc(str(share)).strip()
        if not text.endswith("%"):
            c.add((*path, "spending_plan", label), f"expected a cumulative share such as 30%, found {share!r}")
            continue
        plan.append((str(label), c.attempt(to_decimal, text[:-1], default=Decimal(0))))
    goals = data.get("goals") or []
    indicators = []
    seen: dict[str, int] = {}
    items = data.get("indicators")
    if not isinstance(items, list) or not items:
        raise InputError("indicators: expected the project's list of indicators", c.where((*path, "indicators")))
    for j, item in enumerate(items):
        ind = c.attempt(_indicator, c, item, (*path, "indicators", j), vocab)
        if ind is None:
            continue
        key = nfkc(ind.name)
        if key in seen:
            c.add(
                (*path, "indicators", j, "name"),
                f"indicator {ind.name!r} appears twice in project {code}",
                "indicator names must differ within a project: actuals are matched by name",
            )
            continue
        seen[key] = j
        indicators.append(ind)
    return Project(
        code,
        name,
        total,
        tuple(indicators),
        fiscal,
        other,
        str(data.get("unit") or ""),
        str(data.get("purpose") or ""),
        tuple(plan),
        tuple(str(g) for g in goals),
    )


def _indicator(c: _Collector, entry: Any, path: KeyPath, vocab: Vocabulary) -> Indicator:
    data = _mapping(c, entry, path, "an indicator")
    c.keys(path, data, INDICATOR_KEYS)
    target = _text(c, data, "target", path)
    predicate = parse_target(target, vocab, c.where((*path, "target")))
    weight = None
    if data.get("weight") is not None:
        try:
            weight = to_decimal(str(data["weight"]))
        except ValueError:
            where = c.where((*path, "weight"))
            raise InputError(f"weight: expected a number, found {data['weight']!r}", where) from None
    return Indicator(
        _text(c, data, "level1", path),
        _text(c, data, "level2", path, required=False),
        _text(c, data, "name", path),
        target,
        predicate,
        _text(c, data, "description", path, False),
        _text(c, data, "basis", path, False),
        weight,
    )


# ---- actuals -------------------------------------------------------------------------------------


def load_job(
    path: Path,
    rules: str | None = None,
    encoding: str | None = None,
    doc: Document | None = None,
    targets_override: str | None = None,
) -> Job:
    """Read an actuals file (YAML, JSON, or a filled Excel form) and everything it names: the pack and
    the targets (`targets_override` replaces the file's, relative to the working folder). All errors together."""
    if doc is None and path.suffix.lower() == ".xlsx":
        from .forms import read_xlsx_actuals

        doc = read_xlsx_actuals(path)
    doc = doc or load_yaml(path, encoding)
    c = _Collector(doc)
    data = _mapping(c, doc.data, (), "an actuals file (targets:, year:, projects:)")
    c.keys((), data, ACTUALS_KEYS)
    base = path.parent
    pack_ref = rules or data.get("rules") or "mof-2020"
    pack = load_pack(str(pack_ref), base) if rules else _pack(c, str(pack_ref), base)
    targets_ref = targets_override or data.get("targets")
    if not isinstance(targets_ref, str) or not targets_ref.strip():
        raise InputError(
            "targets: name the targets file (绩效目标表), e.g. targets: targets.yaml (or --targets)",
            c.where(("targets",)),
        )
    targets_path = Path(targets_ref) if targets_override else base / targets_ref
    if not targets_path.is_file():
        raise InputError(
            f"targets file not found: {targets_path}",
            c.where(("targets",)),
            hint="the path is relative to the actuals file",
        )
    targets = load_targets(targets_path, pack.vocabulary, encoding)
    year = c.attempt(_year, c, data.get("year"), ("year",))
    if year and targets.year and year != targets.year:
        c.add(("year",), f"year {year} differs from the targets file's year {targets.year}")
    year = year or targets.year
    if year is None:
        c.add(("year",), "year: give the budget year (it resolves deadlines such as 12月底前)")
    by_code = {p.code: p for p in targets.projects}
    actuals: dict[str, ProjectActuals] = {}
    summaries: dict[str, str] = {}
    where: dict[tuple[str, str], Location] = {}
    entries = data.get("projects")
    if not isinstance(entries, list):
        c.add(("projects",), "projects: expected a list of projects with their actual results")
        entries = []
    for i, entry in enumerate(entries):
        here: KeyPath = ("projects", i)
        if not isinstance(entry, dict):
            c.add(here, "expected a project (code:, execution:, indicators:)")
            continue
        c.keys(here, entry, ACTUAL_PROJECT_KEYS)
        code = nfkc(str(entry.get("code") or "")).strip()
        project = by_code.get(code)
        if project is None:
            known = list(by_code)
            hint = f"the targets file has: {', '.join(known[:12])}{' …' if len(known) > 12 else ''}"
            c.add(
                (*here, "code"),
                f"unknown project code {code!r}{did_you_mean(code, known)}"
                if code
                else "missing code: (the project's 项目编码)",
                hint,
            )
            continue
        if code in actuals:
            c.add((*here, "code"), f"project {code} appears twice in this file")
            continue
        where[(code, "")] = c.where(here)
        for name in entry.get("indicators") or {}:
            where[(code, nfkc(name).strip())] = c.where((*here, "indicators", name))
        result = c.attempt(_actuals, c, entry, here, project, pack)
        if result is not None:
            actuals[code] = result
            if entry.get("summary"):
                summaries[code] = str(entry["summary"])
    c.raise_if_any()
    assert year is not None
    missing = [p.code for p in targets.projects if p.code not in actuals]
    for code in missing:
        actuals[code] = ProjectActuals(code, Execution(None), {})
    return Job(path, pack, targets, year, actuals, summaries, missing, where)


def _history(c: _Collector, items: list[Any], path: KeyPath) -> tuple[tuple[date, Decimal], ...]:
    """spent: [{date: 2024-03-31, amount: 1.2}, …] — cumulative amounts (万元) by date, in order."""
    out: list[tuple[date, Decimal]] = []
    for i, item in enumerate(items):
        here = (*path, i)
        if not isinstance(item, dict) or set(item) != {"date", "amount"}:
            raise InputError("expected {date: 2024-06-30, amount: 2.5}", c.where(here))
        when = parse_actual(str(item["date"]), location=c.where((*here, "date")))
        if not isinstance(when, date):
            raise InputError(f"date: expected a date such as 2024-06-30, found {item['date']!r}", c.where(here))
        amount = money(item["amount"], c.where((*here, "amount")), "amount")
        if out and (when <= out[-1][0] or amount < out[-1][1]):
            raise InputError("cumulative amounts must come in date order and never fall", c.where(here))
        out.append((when, amount))
    if not out:
        raise InputError("spent: the list of dated amounts is empty", c.where(path))
    return tuple(out)


def _pack(c: _Collector, ref: str, base: Path) -> Pack:
    try:
        return load_pack(ref, base)
    except InputError as exc:
        if exc.location is None:
            exc.location = c.where(("rules",))
        raise


def _actuals(c: _Collector, entry: dict[str, Any], here: KeyPath, project: Project, pack: Pack) -> ProjectActuals:
    ex = entry.get("execution") or {}
    ex_path = (*here, "execution")
    if not isinstance(ex, dict):
        raise InputError("execution: expected {spent: …}", c.where(ex_path))
    c.keys(ex_path, ex, EXECUTION_KEYS)
    amounts: dict[str, Decimal | None] = {}
    history: tuple[tuple[date, Decimal], ...] = ()
    if isinstance(ex.get("spent"), list):  # dated cumulative amounts: the latest is the year's spending
        history = c.attempt(_history, c, ex["spent"], (*ex_path, "spent"), default=())
        ex = {**ex, "spent": None}
    for key in ("spent", "budget", "initial_budget", "adjusted_budget"):
        value = ex.get(key)
        amounts[key] = None if value is None else c.attempt(money, value, c.where((*ex_path, key)), key)
        amount = amounts[key]
        if amount is not None and (amount < 0 or (key != "spent" and amount == 0)):
            c.add((*ex_path, key), f"{key}: {value} is not a usable amount; it must be above 0")
    outlook_value = c.attempt(outlook, ex["outlook"], c.where((*ex_path, "outlook"))) if ex.get("outlook") else None
    execution = Execution(
        history[-1][1] if history else amounts["spent"],
        amounts["budget"],
        amounts["initial_budget"],
        amounts["adjusted_budget"],
        str(ex["explanation"]) if ex.get("explanation") else None,
        history,
        str(ex["cause"]) if ex.get("cause") else None,
        outlook_value,
    )
    observations: dict[str, Observation] = {}
    by_name = {nfkc(ind.name): ind for ind in project.indicators}
    items = entry.get("indicators") or {}
    if not isinstance(items, dict):
        raise InputError("indicators: expected name: actual lines", c.where((*here, "indicators")))
    for name, value in items.items():
        at: KeyPath = (*here, "indicators", name)
        key = nfkc(name).strip()
        ind = by_name.get(key)
        if ind is None:
            c.add(
                at,
                f"project {project.code} has no indicator {name!r}{did_you_mean(key, list(by_name))}",
                f"its indicators: {', '.join(i.name for i in project.indicators)}",
            )
            continue
        if key in observations:
            c.add(at, f"indicator {name!r} is given twice (names match after full-width/half-width folding)")
            continue
        obs = c.attempt(observation, value, ind.predicate, pack.vocabulary, c.where(at))
        if obs is not None:
            observations[key] = obs
    return ProjectActuals(project.code, execution, observations)
