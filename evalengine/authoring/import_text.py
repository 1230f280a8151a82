"""Read 绩效目标表 as published: text extracted from the PDF (the seed's layout) into a targets file.

The extracted text is a table flattened into lines. Cells wrap over several lines (补助覆盖率 / (%)),
share a line separated by spaces (人均补助标准 ≤2400 元), or are separated by blank lines; the 一级指标
is printed once per group; page numbers stray between tables. Rows are recovered from anchors: a
row ends with its 指标值确定依据 (年初工作计划), its 指标值 is the longest run of fragments just before
that which the target parser recognises, a 二级指标 is one of a known list. Whatever cannot be
placed is reported with its line number; nothing is dropped silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from evalengine.errors import KeyPath, Location, TargetSyntaxError
from evalengine.i18n import _
from evalengine.language.parser import parse_target
from evalengine.language.predicates import Qualitative, Reference
from evalengine.language.vocabulary import Vocabulary

LEVEL1 = (
    "产出指标",
    "效益指标",
    "满意度指标",
    "成本指标",
    # blocks of 项目/部门整体 evaluation tables, weighted by the table itself (issue 13)
    "项目决策",
    "项目过程",
    "项目管理",
    "项目产出",
    "项目效益",
    "部门整体",
    "履职效能",
    "管理效率",
    "部门决策",
    "部门管理",
)


LEVEL2 = (
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "经济成本指标",
    "社会成本指标",
    "生态环境成本指标",
    # under 项目决策 / 项目过程 / 项目管理 / 部门整体 …
    "项目立项",
    "绩效目标",
    "资金投入",
    "资金管理",
    "组织实施",
    "业务管理",
    "财务管理",
    "资产管理",
    "预算管理",
    "预算编制",
    "预算执行",
    "制度建设",
    "职责履行",
    "履职效果",
    "运行成本",
)


BASES = ("年初工作计划安排", "年初工作计划", "计划标准", "行业标准", "历史标准", "其他标准", "其他")


PROJECT = re.compile(r"^(\d+)\.(.+?)绩效目标表$")


UNIT_LINE = re.compile(r"^(\d{6})(\S+)\s+单位[:：](\S+)$")


ITEM = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$")


GOAL = re.compile(r"^\d+[.．、](.+)$")


@dataclass
class Line:
    number: int  # 1-based, in the source
    text: str
    blank_before: bool


@dataclass
class Fragment:
    """A piece of one line, split at spaces: the smallest unit a cell is made of."""

    text: str
    line: int
    first_on_line: bool
    blank_before: bool


@dataclass
class Imported:
    data: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    where: dict[KeyPath, Location] = field(default_factory=dict)  # projects[i] and their rows: line or cell
    tableless: int = 0  # sheets with no indicator table (each also a warning): a workbook of none is no table


def _lines(text: str) -> list[Line]:
    out: list[Line] = []
    blank = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        out.append(Line(number, stripped, blank))
        blank = False
    return out


def import_text(text: str, vocab: Vocabulary | None = None, source: str = "input") -> Imported:
    """The seed's layout: 第一部分 (department goals) and 第二部分 (one table per project)."""
    lines = _lines(text)
    result = Imported({})
    split = next((i for i, line in enumerate(lines) if line.text == "第二部分"), None)
    if split is None:
        result.warnings.append(_("{where}: no 第二部分 (the project tables) found", where=source))
        split = len(lines)
    part_one = lines[:split]
    part_two = lines[split + 1 :]
    goals = _department_goals(part_one, result, source)
    projects: list[dict[str, Any]] = []
    department: dict[str, str] = {}
    starts = [i for i, line in enumerate(part_two) if PROJECT.match(line.text)]
    for line in part_two[: starts[0] if starts else len(part_two)]:
        if line.text not in ("预算项目绩效目标",):
            result.warnings.append(_("{where}: not placed: {text}", where=f"{source}:{line.number}", text=line.text))
    for n, start in enumerate(starts):
        block = part_two[start : starts[n + 1] if n + 1 < len(starts) else len(part_two)]
        at: KeyPath = ("projects", len(projects))
        project = _project(block, result, source, vocab, department, at)
        if project:
            result.where[at] = Location(source, block[0].number)
            projects.append(project)
    data: dict[str, Any] = {}
    if department:
        data["department"] = department
    data["unit"] = "万元"
    if goals:
        data["goals"] = goals
    data["projects"] = projects
    result.data = data
    return result


def _department_goals(lines: list[Line], result: Imported, source: str) -> dict[str, Any]:
    section = ""
    overall: list[str] = []
    items: list[dict[str, str]] = []
    measures: list[str] = []
    field_name = ""
    for line in lines:
        text = line.text
        if text in ("第一部分", "部门整体绩效目标"):
            continue
        if text.startswith("一、"):
            section = "overall"
            continue
        if text.startswith("二、"):
            section = "items"
            continue
        if text.startswith("三、"):
            section = "measures"
            continue
        item = ITEM.match(text)
        if section == "items" and item:
            items.append({"title": item.group(2), "goal": "", "indicators": ""})
            field_name = ""
            continue
        if section == "measures" and item:
            measures.append(item.group(2))
            continue
        if section == "overall":
            overall.append(text)
        elif section == "items" and items:
            if text.startswith("绩效目标："):
                field_name, text = "goal", text.removeprefix("绩效目标：")
            elif text.startswith("绩效指标："):
                field_name, text = "indicators", text.removeprefix("绩效指标：")
            if field_name:
                items[-1][field_name] += text
            else:
                result.warnings.append(
                    _("{where}: not placed in 分项绩效目标: {text}", where=f"{source}:{line.number}", text=text)
                )
        elif section == "measures" and measures:
            measures[-1] += text
        else:
            result.warnings.append(_("{where}: not placed: {text}", where=f"{source}:{line.number}", text=text))
    out: dict[str, Any] = {}
    if overall:
        out["overall"] = "".join(overall)
    if items:
        out["items"] = items
    if measures:
        out["measures"] = measures
    return out


def _project(
    block: list[Line],
    result: Imported,
    source: str,
    vocab: Vocabulary | None,
    department: dict[str, str],
    at: KeyPath = (),
) -> dict[str, Any] | None:
    header = PROJECT.match(block[0].text)
    assert header
    title = header.group(2)
    where = f"{source}:{block[0].number}"
    i = 1
    project: dict[str, Any] = {}

    def take_until(stops: tuple[str, ...]) -> list[Line]:
        nonlocal i
        taken = []
        while i < len(block) and not block[i].text.startswith(stops):
            taken.append(block[i])
            i += 1
        return taken

    while i < len(block):
        text = block[i].text
        unit = UNIT_LINE.match(text)
        if unit:
            department.setdefault("code", unit.group(1))
            department.setdefault("name", unit.group(2))
            i += 1
        elif text == "项目编码":
            i += 1
            project["code"] = "".join(line.text for line in take_until(("项目名称",)))
        elif text.startswith("项目名称"):
            # the table's title states the name; wrapped lines count while they continue it
            name = text.removeprefix("项目名称").strip()
            i += 1
            for line in take_until(("预算规模及",)):
                if title.startswith(name + line.text):
                    name += line.text
                else:
                    result.warnings.append(_not_placed_in(f"{source}:{line.number}", title, line.text))
            project["name"] = name
        elif text in ("预算规模及", "资金用途"):
            i += 1
        elif text.startswith("预算数 "):
            total = text.removeprefix("预算数 ").strip()
            i += 1
            numbers = [line.text for line in take_until(("预算数", "资金支出计"))]
            joined = " ".join(numbers)
            fiscal = re.search(r"([\d.]+)\s*其他资金\s*([\d.]*)", joined)
            project["budget"] = {
                "total": total,
                "fiscal": fiscal.group(1) if fiscal else total,
                "other": (fiscal.group(2) or "0") if fiscal else "0",
            }
        elif text.startswith("预算数") and "budget" in project and "purpose" not in project:
            project["purpose"] = "".join(line.text for line in take_until(("资金支出计",)))
        elif text.startswith("资金支出计"):
            i += 1
            plan_lines = take_until(("绩效目标",))
            plan_text = [line.text for line in plan_lines if line.text != "划（%）"]
            labels = plan_text[0].split() if plan_text else []
            shares = plan_text[1].split() if len(plan_text) > 1 else []
            if len(labels) != len(shares):
                result.warnings.append(
                    _(
                        "{where}: the spending plan of {title} does not pair up: {plan}",
                        where=where,
                        title=title,
                        plan=plan_text,
                    )
                )
            project["spending_plan"] = dict(zip(labels, shares, strict=False))
        elif text == "绩效目标":
            i += 1
            goals: list[str] = []
            for line in take_until(("一级指标",)):
                match = GOAL.match(line.text)
                if match:
                    goals.append(match.group(1))
                elif goals:
                    goals[-1] += line.text
                else:
                    result.warnings.append(
                        _("{where}: not placed in 绩效目标: {text}", where=f"{source}:{line.number}", text=line.text)
                    )
            project["goals"] = goals
        elif text.startswith("一级指标"):
            i += 1
            while i < len(block) and block[i].text in ("指标值确定", "依据"):
                i += 1
            project["indicators"] = _rows(block[i:], result, source, vocab, (*at, "indicators"))
            i = len(block)
        else:
            result.warnings.append(_not_placed_in(f"{source}:{block[i].number}", title, text))
            i += 1
    if project.get("name") and project["name"] != title:
        result.warnings.append(title_differs(where, title, project["name"]))
    missing = [k for k in ("code", "name", "budget", "indicators") if not project.get(k)]
    if missing:
        result.warnings.append(
            _("{where}: {title}: could not read {keys}", where=where, title=title, keys=", ".join(missing))
        )
        return None
    keys = ("code", "name", "budget", "purpose", "spending_plan", "goals", "indicators")
    ordered: dict[str, Any] = {key: project[key] for key in keys if key in project}
    return ordered


def _not_placed_in(where: str, title: str, text: str) -> str:
    return _("{where}: not placed in {title}: {text}", where=where, title=title, text=text)


def title_differs(where: str, title: str, name: str) -> str:
    """The warning for a table whose title and 项目名称 name different projects."""
    return _("{where}: the title says {title} but 项目名称 says {name}", where=where, title=title, name=name)


def no_name(where: str, cells: object) -> str:
    """The warning for a row without 三级指标 (its cells' texts shown)."""
    return _("{where}: a row without 三级指标, not placed: {cells}", where=where, cells=cells)


def no_target(where: str, name: str) -> str:
    """The warning for a row without 指标值."""
    return _("{where}: {name} has no 指标值", where=where, name=name)


def _fragments(lines: list[Line], result: Imported, source: str) -> list[Fragment]:
    out = []
    for line in lines:
        if line.text.isdigit() and len(line.text) <= 3:  # a page number between tables
            result.notes.append(
                _("{where}: page number {page} passed over", where=f"{source}:{line.number}", page=line.text)
            )
            continue
        for k, part in enumerate(line.text.split()):
            out.append(Fragment(part, line.number, k == 0, line.blank_before and k == 0))
    return out


def _basis_end(frags: list[Fragment], start: int) -> int | None:
    """If a basis (年初工作计划 …) ends at frags[start + n], the index just after it."""
    for n in (1, 2, 3):
        joined = "".join(f.text for f in frags[start : start + n])
        if joined in BASES:
            longer = "".join(f.text for f in frags[start : start + n + 1])
            return start + n + (1 if longer in BASES else 0)
    return None


def _rows(
    lines: list[Line], result: Imported, source: str, vocab: Vocabulary | None, at: KeyPath = ()
) -> list[dict[str, Any]]:
    frags = _fragments(lines, result, source)
    rows: list[list[Fragment]] = []
    bases: list[str] = []
    current: list[Fragment] = []
    k = 0
    while k < len(frags):
        end = _basis_end(frags, k) if current else None
        if end is not None:
            rows.append(current)
            bases.append("".join(f.text for f in frags[k:end]))
            current = []
            k = end
            continue
        current.append(frags[k])
        k += 1
    for f in current:
        result.warnings.append(
            _("{where}: not placed (after the last indicator row): {text}", where=f"{source}:{f.line}", text=f.text)
        )
    out: list[dict[str, Any]] = []
    level1 = ""
    for row, basis in zip(rows, bases, strict=True):
        parsed = _row(row, basis, level1, result, source, vocab)
        if parsed:
            level1 = parsed["level1"]
            result.where[(*at, len(out))] = Location(source, row[0].line if row else None)
            out.append(parsed)
    return out


def _join(frags: list[Fragment]) -> str:
    """Cells wrapped over lines join directly; fragments on one line keep their space (≤2400 元)."""
    text = ""
    for n, f in enumerate(frags):
        text += (" " if n and not f.first_on_line else "") + f.text
    return text


def _row(
    row: list[Fragment], basis: str, level1: str, result: Imported, source: str, vocab: Vocabulary | None
) -> dict[str, Any] | None:
    line = row[0].line if row else 0

    def level2_at(k: int) -> tuple[str, int]:
        for n in (1, 2, 3):
            joined = "".join(f.text for f in row[k : k + n])
            if joined in LEVEL2:
                return joined, k + n
        return "", k

    # 成本指标 is a level 1 in 2021 forms and a level 2 under 产出指标 in older ones (the seed's):
    # a level-1 name counts as one only when a level-2 name follows it
    level2, k = level2_at(1) if row and row[0].text in LEVEL1 else ("", 0)
    if level2:
        level1 = row[0].text
    else:
        level2, k = level2_at(0)
    if not level1 or not level2:
        result.warnings.append(
            _("{where}: an indicator row without 一级/二级指标: {row}", where=f"{source}:{line}", row=_join(row))
        )
        return None
    rest = row[k:]
    target, cut = "", len(rest)
    # the longest run before the basis that reads as a target; a target wraps over lines but never
    # crosses a blank line (a cell boundary), and 按… reads anything, so it never beats a shorter target
    for n in range(1, min(6, len(rest)) + 1):
        run = rest[-n:]
        if any(f.blank_before for f in run[1:]):
            break
        candidate = _join(run)
        try:
            predicate = parse_target(candidate, vocab)
        except TargetSyntaxError:
            continue
        if isinstance(predicate, Reference) and target:
            break
        if not (isinstance(predicate, Qualitative) and not predicate.recognized):
            target, cut = candidate, len(rest) - n
    if not target and rest:  # an unknown phrase: the last cell, as the parser would read it
        n = 1
        while n < len(rest) and rest[-n].first_on_line and not rest[-n].blank_before and not rest[-n - 1].blank_before:
            n += 1
        target, cut = _join(rest[-1:]), len(rest) - 1
    try:
        parse_target(target, vocab)
    except TargetSyntaxError as exc:
        result.warnings.append(
            _(
                "{where}: 指标值 does not read: {message}",
                where=f"{source}:{rest[-1].line if rest else line}",
                message=exc.message,
            )
        )
    cells = rest[:cut]
    name, description = _name_and_description(cells, row[k - 1] if k else None)
    if not name:
        result.warnings.append(
            _("{where}: no 三级指标 name in the row: {row}", where=f"{source}:{line}", row=_join(row))
        )
    return {
        "level1": level1,
        "level2": level2,
        "name": name,
        "description": description,
        "target": target,
        "basis": basis,
    }


def _name_and_description(cells: list[Fragment], level2_last: Fragment | None) -> tuple[str, str]:
    if not cells:
        return "", ""
    if level2_last is not None and not cells[0].first_on_line and cells[0].line == level2_last.line:
        return cells[0].text, _join(cells[1:]).replace(" ", "") if len(cells) > 1 else ""  # 时效指标 时效性
    groups: list[list[Fragment]] = []
    for f in cells:
        if not groups or (f.blank_before and groups[-1]):
            groups.append([])
        groups[-1].append(f)
    if len(groups) >= 2:
        return "".join(f.text for f in groups[0]), _join([f for g in groups[1:] for f in g])
    only = groups[0]
    if len(only) >= 2 and not only[1].first_on_line:  # 社会满意度 受益人员满意度 on one line
        return only[0].text, _join(only[1:])
    return "".join(f.text for f in only), ""


def to_yaml(data: dict[str, Any], source: str, year: int | None = None) -> str:
    """The targets file, written the same way every time (the bundled example is this output)."""

    def q(value: Any) -> str:
        return json.dumps(str(value), ensure_ascii=False)

    projects = data.get("projects", [])
    count = sum(len(p.get("indicators", [])) for p in projects)
    out = [
        _(
            "# 绩效目标表 imported by `evalengine import` from {source}: {projects} projects, "
            "{indicator_count} indicators.",
            source=source,
            projects=len(projects),
            indicator_count=count,
        ),
        _("# Money is in 万元, as the tables print it."),
    ]
    if "department" in data:
        d = data["department"]
        out.append(f"department: {{code: {q(d.get('code', ''))}, name: {q(d.get('name', ''))}}}")
    if year is not None:
        out.append(f"year: {year}")
    out.append(f"unit: {data.get('unit', '万元')}")
    goals = data.get("goals") or {}
    if goals:
        out.append("goals:")
        if "overall" in goals:
            out.append(f"  overall: {q(goals['overall'])}")
        if goals.get("items"):
            out.append("  items:")
            out += [
                f"    - {{title: {q(i['title'])}, goal: {q(i['goal'])}, indicators: {q(i['indicators'])}}}"
                for i in goals["items"]
            ]
        if goals.get("measures"):
            out.append("  measures:")
            out += [f"    - {q(m)}" for m in goals["measures"]]
    out.append("projects:")
    for p in projects:
        out.append(f"  - code: {q(p['code'])}")
        out.append(f"    name: {q(p['name'])}")
        b = p["budget"]
        out.append(f"    budget: {{total: {b['total']}, fiscal: {b['fiscal']}, other: {b['other']}}}")
        if p.get("purpose"):
            out.append(f"    purpose: {q(p['purpose'])}")
        if p.get("spending_plan"):
            out.append("    spending_plan: {" + ", ".join(f"{k}: {v}" for k, v in p["spending_plan"].items()) + "}")
        if p.get("goals"):
            out.append("    goals:")
            out += [f"      - {q(g)}" for g in p["goals"]]
        out.append("    indicators:")
        for i in p["indicators"]:
            fields = ", ".join(
                f"{k}: {q(i[k])}"
                for k in ("level1", "level2", "name", "description", "target", "basis", "weight", "direction")
                if k in i  # weight and direction only where the table prints them
            )
            out.append(f"      - {{{fields}}}")
    return "\n".join(out) + "\n"
