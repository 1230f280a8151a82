"""The targets file: the 绩效目标表 as YAML or JSON, validated into Projects."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from evalengine.errors import InputError, KeyPath, Location, TargetSyntaxError
from evalengine.inputs.collect import Collector, money, need_mapping, need_text, need_year
from evalengine.language.parser import parse_target
from evalengine.language.predicates import Deadline
from evalengine.language.vocabulary import Vocabulary
from evalengine.model import Indicator, PlanPoint, Project
from evalengine.numbers import to_decimal
from evalengine.sources.dispatch import format_of, read_document
from evalengine.text import nfkc

TARGETS_KEYS = ("department", "year", "unit", "goals", "projects")


PROJECT_KEYS = ("code", "name", "unit", "budget", "purpose", "spending_plan", "goals", "indicators")


INDICATOR_KEYS = ("level1", "level2", "name", "description", "target", "basis", "weight")


@dataclass
class TargetsFile:
    path: Path
    department: str
    year: int | None
    projects: list[Project]
    where: dict[str, Location]  # project code -> where its entry starts


def load_targets(path: Path, vocab: Vocabulary, encoding: str | None = None) -> TargetsFile:
    if format_of(path) == "xlsx":
        raise InputError(
            "a targets file is YAML or JSON",
            Location(str(path)),
            hint=f"read an Excel 绩效目标表 with: evalengine import {path}",
        )
    doc = read_document(path, encoding)
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
    return TargetsFile(path, str(department.get("name") or ""), year, projects, where)


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
    for label, share in (data.get("spending_plan") or {}).items():
        text = nfkc(str(share)).strip()
        if not text.endswith("%"):
            c.add((*path, "spending_plan", label), f"expected a cumulative share such as 30%, found {share!r}")
            continue
        try:
            when = parse_target(f"{nfkc(str(label)).strip()}前", vocab)
        except TargetSyntaxError:
            when = None
        if not isinstance(when, Deadline):
            c.add((*path, "spending_plan", label), f"spending plan checkpoint {label!r} is not a date such as 6月底")
            continue
        plan.append(PlanPoint(str(label), c.attempt(to_decimal, text[:-1], default=Decimal(0)), when))
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


def _indicator(c: Collector, entry: Any, path: KeyPath, vocab: Vocabulary) -> Indicator:
    data = need_mapping(c, entry, path, "an indicator")
    c.keys(path, data, INDICATOR_KEYS)
    target = need_text(c, data, "target", path)
    predicate = parse_target(target, vocab, c.where((*path, "target")))
    weight = None
    if data.get("weight") is not None:
        try:
            weight = to_decimal(str(data["weight"]))
        except ValueError:
            where = c.where((*path, "weight"))
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
