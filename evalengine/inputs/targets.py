"""The targets file: the 绩效目标表 as YAML or JSON, validated into Projects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalengine.errors import InputError, Location
from evalengine.inputs.collect import Collector, cap, money, need_mapping, need_text, need_year
from evalengine.language.parser import parse_target
from evalengine.language.vocabulary import Vocabulary
from evalengine.model import Indicator, Project
from evalengine.numbers import NumberRangeError, to_decimal
from evalengine.sources.documents import KeyPath, load_yaml
from evalengine.sources.limits import MAX_INDICATORS, MAX_POINTS, MAX_PROJECTS
from evalengine.text import nfkc

TARGETS_KEYS = ("department", "year", "unit", "goals", "projects")


PROJECT_KEYS = ("code", "name", "unit", "budget", "purpose", "spending_plan", "goals", "indicators")


INDICATOR_KEYS = ("level1", "level2", "name", "description", "target", "basis", "weight")


@dataclass
class TargetsFile:
    path: Path
    department: str
    department_code: str
    year: int | None
    projects: list[Project]
    where: dict[str, Location]  # project code -> where its entry starts


def load_targets(path: Path, vocab: Vocabulary, encoding: str | None = None) -> TargetsFile:
    doc = load_yaml(path, encoding)
    c = Collector(doc)
    data = need_mapping(c, doc.data, (), "a targets file")
    c.keys((), data, TARGETS_KEYS)
    department = data.get("department") or {}
    if isinstance(department, str):
        department = {"name": department}
    if not isinstance(department, dict):
        c.add(("department",), "department: expected {code: …, name: …}")
        department = {}
    year = c.attempt(need_year, c, data.get("year"), ("year",))
    projects: list[Project] = []
    where: dict[str, Location] = {}
    entries = data.get("projects")
    if not isinstance(entries, list) or not entries:
        c.add(("projects",), "projects: expected a list of the department's projects")
        entries = []
    cap(c, entries, ("projects",), MAX_PROJECTS, "projects")
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


def _project(c: Collector, entry: Any, path: KeyPath, vocab: Vocabulary) -> Project:
    data = need_mapping(c, entry, path, "a project")
    c.keys(path, data, PROJECT_KEYS)
    code = nfkc(need_text(c, data, "code", path))
    name = need_text(c, data, "name", path)
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
    shares = data.get("spending_plan") or {}
    if not isinstance(shares, dict):
        c.add(
            (*path, "spending_plan"),
            "spending_plan: expected checkpoints with cumulative shares, {6月底: 50%, 12月底: 100%}",
        )
        shares = {}
    for label, share in shares.items():
        text = nfkc(str(share)).strip()
        try:
            if isinstance(share, (dict, list)) or not text.endswith("%"):
                raise ValueError
            plan.append((str(label), to_decimal(text[:-1], MAX_POINTS + 1)))
        except NumberRangeError as exc:
            c.add((*path, "spending_plan", label), f"{exc} (a cumulative share is 0% to 100%)")
        except ValueError:
            c.add((*path, "spending_plan", label), f"expected a cumulative share such as 30%, found {share!r}")
    goals = data.get("goals") or []
    indicators = []
    seen: dict[str, int] = {}
    items = data.get("indicators")
    if not isinstance(items, list) or not items:
        raise InputError("indicators: expected the project's list of indicators", c.where((*path, "indicators")))
    cap(c, items, (*path, "indicators"), MAX_INDICATORS, "indicators in one project")
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


def _indicator(c: Collector, entry: Any, path: KeyPath, vocab: Vocabulary) -> Indicator:
    data = need_mapping(c, entry, path, "an indicator")
    c.keys(path, data, INDICATOR_KEYS)
    target = need_text(c, data, "target", path)
    predicate = parse_target(target, vocab, c.where((*path, "target")))
    weight = None
    if data.get("weight") is not None:
        where = c.where((*path, "weight"))
        try:
            weight = to_decimal(str(data["weight"]), MAX_POINTS + 1)
        except NumberRangeError as exc:
            raise InputError(f"weight: {exc}; a weight is at most {MAX_POINTS} points", where) from None
        except ValueError:
            raise InputError(f"weight: expected a number, found {data['weight']!r}", where) from None
    return Indicator(
        need_text(c, data, "level1", path),
        need_text(c, data, "level2", path, required=False),
        need_text(c, data, "name", path),
        target,
        predicate,
        need_text(c, data, "description", path, False),
        need_text(c, data, "basis", path, False),
        weight,
    )
