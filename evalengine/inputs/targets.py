"""The targets file: the 绩效目标表 as YAML or JSON, validated into Projects."""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from evalengine.errors import EvalEngineError, InputError, KeyPath, Location, TargetSyntaxError
from evalengine.i18n import _
from evalengine.inputs.collect import Collector, cap, money, need_mapping, need_text, need_year, plain_amount
from evalengine.language.parser import parse_target
from evalengine.language.predicates import DIRECTIONS, Comparison, Deadline, Op, Predicate, Qualitative
from evalengine.language.vocabulary import Vocabulary
from evalengine.language.words import default_vocabulary
from evalengine.limits import MAX_INDICATORS, MAX_POINTS, MAX_PROJECTS
from evalengine.model import Finding, Indicator, PlanPoint, Project, TableWeights, made, made_plainly
from evalengine.numbers import NumberRangeError, plain, to_decimal
from evalengine.sources.dispatch import format_of, read_document
from evalengine.sources.documents import Document
from evalengine.text import nfkc, nfkc_unique

TARGETS_KEYS = ("department", "year", "unit", "goals", "projects")


PROJECT_KEYS = ("code", "name", "unit", "budget", "purpose", "spending_plan", "goals", "indicators", "weights")


INDICATOR_KEYS = (
    "level1",
    "level2",
    "name",
    "description",
    "target",
    "basis",
    "weight",
    "direction",  # 指标性质: forward / reverse (正向 / 反向), for a bare target such as 98%
    "operator",  # a target printed in three columns: operator, value, unit
    "value",
    "unit",
)


WEIGHTS_KEYS = ("execution", "level1")


# 指标性质 as printed: the operator a bare target (98%, 2万元) takes instead of =.
DIRECTIONS_WRITTEN: dict[str, Op] = {
    "forward": ">=",
    "正向": ">=",
    "正向指标": ">=",
    "reverse": "<=",
    "反向": "<=",
    "反向指标": "<=",
}


# What a table prints in an empty 指标值 cell.
PLACEHOLDERS = frozenset({"", "-", "--", "—", "——", "–", "/", "*", "\\"})


# A block label as printed: 一、产出指标（50分）, 产出指标 50分, 数量指标(10分) -> its name and its points.
_LABEL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\d+[、.]|\([一二三四五六七八九十\d]+\))?\s*(?P<name>.*?)\s*"
    r"(?:\(\s*(?P<bracketed>\d+(?:\.\d+)?)\s*分\s*\)|(?P<trailing>\d+(?:\.\d+)?)\s*分)?$"
)


class Notice(NamedTuple):
    """Something wrong with the table itself that does not stop it loading: a finding, and where it is."""

    finding: Finding
    where: Location


@functools.lru_cache(maxsize=4096)  # a batch repeats a handful of labels on every row
def split_label(text: str) -> tuple[str, Decimal | None]:
    """A level-1 or level-2 label as printed, as (name, points): 一、产出指标（50分） is (产出指标, 50)."""
    norm = nfkc(text).strip()
    match = _LABEL.match(norm)
    if not match or not match.group("name"):
        return norm, None
    points = match.group("bracketed") or match.group("trailing")
    return match.group("name"), Decimal(points) if points else None


@dataclass
class TargetsFile:
    path: Path
    department: str
    year: int | None
    projects: list[Project]
    where: Mapping[str, Location]  # project code -> where its entry starts (see Starts)
    notices: list[Notice] = field(default_factory=list)  # the tables' own problems, located


def read_project(
    doc: Document, entry: Any, path: KeyPath = (), vocab: Vocabulary | None = None
) -> tuple[Project | None, list[EvalEngineError], list[Notice]]:
    """One table (a project's mapping in `doc` at `path`) as a Project, with every located problem:
    the errors that stop it being scored, and the notices (warnings, findings) that do not."""
    c = Collector(doc)
    notices: list[Notice] = []
    # a table of any document (a workbook's cells may be numbers, and 1 == 1.0 == True): nothing kept
    project = c.attempt(_project, c, entry, path, vocab or default_vocabulary(), notices, Memo(keep=False))
    return project, c.errors, notices


def load_targets(path: Path, vocab: Vocabulary, encoding: str | None = None) -> TargetsFile:
    if format_of(path) in ("xlsx", "docx"):
        raise InputError(
            _("a targets file is YAML or JSON"),
            Location(str(path)),
            hint=_("read an Excel or Word 绩效目标表 with: evalengine import {path}", path=path),
        )
    doc = read_document(path, encoding)
    c = Collector(doc)
    data = need_mapping(c, doc.data, (), _("a targets file"))
    c.keys((), data, TARGETS_KEYS)
    department = data.get("department") or {}
    if isinstance(department, str):
        department = {"name": department}
    if not isinstance(department, dict):
        c.add(("department",), _("department: expected {example}", example="{code: …, name: …}"))
        department = {}
    year = c.attempt(need_year, c, data.get("year"), ("year",))
    projects: list[Project] = []
    where = Starts(doc)
    notices: list[Notice] = []
    entries = data.get("projects")
    if not isinstance(entries, list) or not entries:
        c.add(("projects",), _("projects: expected a list of the department's projects"))
        entries = []
    cap(c, entries, ("projects",), MAX_PROJECTS, _("projects"))
    memo = Memo()  # the file's projects repeat the same rows and plans
    for i, entry in enumerate(entries):
        project = c.attempt(_project, c, entry, ("projects", i), vocab, notices, memo)
        if project is None:
            continue
        if project.code in where:
            first = where[project.code]  # a JSON file has no lines to name: its key path, or a workbook's cell
            c.add(
                ("projects", i, "code"),
                _("project code {code} appears twice", code=project.code),
                _("first at line {line}", line=first.line)
                if first.line is not None
                else _("first at {first}", first=first.cell or first.keypath),
            )
            continue
        where.add(project.code, i, doc)
        projects.append(project)
    c.raise_if_any()
    return TargetsFile(path, str(department.get("name") or ""), year, projects, where, notices)


class Starts(Mapping[str, Location]):
    """TargetsFile.where: where each project's table starts, by code. A JSON document has no lines to look
    up: a project's place is made from its index when asked for (a project the actuals do not list, an
    error), not one Location kept for each of a file's tables; another document's are looked up as read.
    tests/test_fast_targets.py compares it with the dict of places it stands for."""

    def __init__(self, doc: Document):
        self.json = Document(None, doc.file)  # a document with no lines or cells: place() needs its name only
        self.at: dict[str, Location | int] = {}  # code -> the place, or the index of a JSON document's table

    def add(self, code: str, i: int, doc: Document) -> None:
        self.at[code] = doc.where(("projects", i)) if doc.marks or doc.cells else i

    def get(self, code: str, default: Any = None) -> Any:
        found = self.at.get(code)
        if type(found) is int:
            return place(self.json, ("projects", found))
        return default if found is None else found

    def __getitem__(self, code: str) -> Location:
        found = self.get(code)
        if found is None:
            raise KeyError(code)
        return found  # type: ignore[no-any-return]

    def __contains__(self, code: object) -> bool:
        return code in self.at

    def __iter__(self) -> Iterator[str]:
        return iter(self.at)

    def __len__(self) -> int:
        return len(self.at)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


# A row or a spending plan read without a word to say (no error, no notice), kept by its text: the same
# text read again gives the same, so a file's projects share what they repeat (产出指标 / 数量指标 / ≥98%).
TextKey = tuple[str | bool | None, ...]  # a mapping's keys and then its values (see _text_key)
# a row as read: the indicator, the points its level-1 and level-2 labels print, its name as NFKC (the name
# two rows of a project must not share), and whether it is plain: no weight, and not named 其中 (a table of
# plain rows has no 其中 rows, see _sub_rows), worked out once for every row alike
Read = tuple[Indicator, Decimal | None, Decimal | None, str, bool]


class Memo:
    """What the projects of one targets file (one vocabulary) have read without a word to say."""

    def __init__(self, keep: bool = True) -> None:
        self.rows: dict[TextKey, Read] = {}
        self.plans: dict[TextKey, tuple[PlanPoint, ...]] = {}
        self.key = _text_key if keep else _not_kept  # how a row or plan is looked up (None: it is not)


def _text_key(mapping: Any) -> TextKey | None:
    """A mapping of a YAML or JSON document as a key, else None: its keys, then its values, in one flat
    tuple (equal keys are equal mappings, in order: the length says where the keys end).

    Such a document's values are text (numbers too), true, false, null, or a list or mapping, and its keys
    text: no two of those are equal unless alike (1 == 1.0 == True is why only such documents are kept),
    and a list or mapping has no hash, so looking the key up raises TypeError: the row is then read as it
    is, not kept. Checking every cell's type instead cost as much as the lookup, on every row of the file."""
    if type(mapping) is not dict:
        return None
    return (*mapping, *mapping.values())


def _not_kept(mapping: Any) -> None:
    return None


def _project(c: Collector, entry: Any, path: KeyPath, vocab: Vocabulary, notices: list[Notice], memo: Memo) -> Project:
    data = entry if type(entry) is dict else need_mapping(c, entry, path, _("a project"))
    c.keys(path, data, PROJECT_KEYS)
    # need_text's usual case (text that is there) taken here, without its call: anything else goes to it
    code, name = data.get("code"), data.get("name")
    code = nfkc_unique((type(code) is str and code.strip()) or need_text(c, data, "code", path))
    name = (type(name) is str and name.strip()) or need_text(c, data, "name", path)
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
    total = plain_amount(budget)  # the usual budget (12.18): no call of money, no place made for a message
    if total is None:
        total = money(budget, c.later(total_path), "budget")
    if total <= 0:
        raise InputError(
            _("budget: a project's 预算数 must be above 0, found {budget}", budget=budget), c.where(total_path)
        )
    shares = data.get("spending_plan") or {}
    if not isinstance(shares, dict):
        c.add(
            (*path, "spending_plan"),
            _(
                "spending_plan: expected checkpoints with cumulative shares, {example}",
                example="{6月底: 50%, 12月底: 100%}",
            ),
        )
        shares = {}
    # keyed as memo.key keys it (_text_key, or nothing kept), written out here as the rows' keys are below
    plan_key = (*shares, *shares.values()) if type(shares) is dict and memo.key is not _not_kept else None
    try:
        plan = memo.plans.get(plan_key) if plan_key is not None else None
    except TypeError:  # a list or mapping among the cells (no hash): read as it is, not kept
        plan_key = plan = None
    if plan is None:
        errors_before = len(c.errors)
        plan = _plan(c, shares, path, vocab)
        if plan_key is not None and len(c.errors) == errors_before:  # a plan read without a word: any alike reads so
            memo.plans[plan_key] = plan
    goals = data.get("goals") or []
    indicators: list[tuple[Indicator, str, int]] = []  # each row, its name as NFKC, and its index
    seen: dict[str, int] = {}
    items = data.get("indicators")
    if not isinstance(items, list) or not items:
        raise InputError(_("indicators: expected the project's list of indicators"), c.where((*path, "indicators")))
    mine: list[Notice] = []
    labels: _Labels | None = None  # made at the first label printing points: most tables have none
    if len(items) > MAX_INDICATORS:
        cap(c, items, (*path, "indicators"), MAX_INDICATORS, _("indicators in one project"))
    at_items: KeyPath = (*path, "indicators")
    attempt = c.attempt
    errors = c.errors
    # rows are keyed as memo.key keys them (_text_key, or nothing kept), the key written out here: a call of
    # _text_key for each row cost about 270 instructions, 1,900 of a table's 104,600
    rows, keep = memo.rows, memo.key is not _not_kept
    plain_rows = True
    for j, item in enumerate(items):
        cells = (*item, *item.values()) if keep and type(item) is dict else None
        try:
            read = rows.get(cells) if cells is not None else None
        except TypeError:  # a list or mapping among the cells (no hash): read as it is, not kept
            cells = read = None
        if read is None:
            said = (len(errors), len(mine))
            found = attempt(_indicator, c, item, (*at_items, j), vocab, mine)
            if found is None:
                continue
            key = nfkc(found[0].name)
            read = (*found, key, found[0].weight is None and not key.startswith("其中"))
            if cells is not None and (len(errors), len(mine)) == said:  # nothing said: any row alike reads so
                rows[cells] = read
        ind, points1, points2, key, plain_row = read
        plain_rows = plain_rows and plain_row
        if points1 is not None or points2 is not None:  # the usual label prints no points: nothing to note
            labels = labels or _Labels(c)
            if points1 is not None:
                labels.note((ind.level1,), points1, (*at_items, j, "level1"))
            if points2 is not None:
                labels.note((ind.level1, ind.level2), points2, (*at_items, j, "level2"))
        if key in seen:
            c.add(
                (*path, "indicators", j, "name"),
                _("indicator {name!r} appears twice in project {code}", name=ind.name, code=code),
                _("indicator names must differ within a project: actuals are matched by name"),
            )
            continue
        seen[key] = j
        indicators.append((ind, key, j))
    written = data.get("weights")
    if written is None and labels is None:  # the usual table: no weights, no points in its labels
        weights = _NO_WEIGHTS
    else:
        weights = _weights(c, written, (*path, "weights"), labels or _Labels(c))
    # no row weighted and none named 其中: no 其中 row, every row as read (what _sub_rows would give)
    scored = tuple(map(_ROW, indicators)) if plain_rows else tuple(_sub_rows(c, indicators, at_items, mine))
    notices.extend(mine)
    return project(
        code,
        name,
        total,
        scored,
        fiscal,
        other,
        str(data.get("unit") or ""),
        str(data.get("purpose") or ""),
        plan,
        tuple(map(str, goals)),
        weights,
        tuple([n.finding for n in mine]) if mine else (),
    )


_ROW = operator.itemgetter(0)  # the indicator of (indicator, name, index)


def _plan(c: Collector, shares: dict[Any, Any], path: KeyPath, vocab: Vocabulary) -> tuple[PlanPoint, ...]:
    """The spending plan's checkpoints (资金支出计划: 6月底 60%), each wrong one said at its own key."""
    plan = []
    for label, share in shares.items():
        text = nfkc_unique(str(share)).strip()
        try:
            if isinstance(share, (dict, list)) or not text.endswith("%"):
                raise ValueError
            value = to_decimal(text[:-1], MAX_POINTS + 1)
        except NumberRangeError as exc:
            c.add((*path, "spending_plan", label), _("{reason} (a cumulative share is 0% to 100%)", reason=exc))
            continue
        except ValueError:
            c.add(
                (*path, "spending_plan", label),
                _("expected a cumulative share such as 30%, found {share!r}", share=share),
            )
            continue
        try:
            when = parse_target(f"{nfkc(str(label)).strip()}前", vocab)
        except TargetSyntaxError:
            when = None
        if not isinstance(when, Deadline):
            c.add(
                (*path, "spending_plan", label),
                _("spending plan checkpoint {label!r} is not a date such as 6月底", label=label),
            )
            continue
        plan.append(PlanPoint(str(label), value, when))
    return tuple(plan)


class _Labels:
    """Points printed in block labels (产出指标(50分)), which must agree wherever the label repeats."""

    def __init__(self, c: Collector):
        self.c = c
        self.points: dict[tuple[str, ...], tuple[Decimal, KeyPath]] = {}

    def note(self, block: tuple[str, ...], points: Decimal | None, path: KeyPath) -> None:
        if points is None or not block[-1]:
            return
        first = self.points.setdefault(block, (points, path))
        if first[0] != points:
            line = self.c.where(first[1]).line
            block_name, first_points, here_points = block[-1], plain(first[0]), plain(points)
            self.c.add(
                path,
                _(
                    "{block} is labelled {first}分 at line {line} and {points}分 here",
                    block=block_name,
                    first=first_points,
                    line=line,
                    points=here_points,
                )
                if line is not None
                else _(
                    "{block} is labelled {first}分 and {points}分 here",
                    block=block_name,
                    first=first_points,
                    points=here_points,
                ),
            )


_NO_WEIGHTS = TableWeights()  # frozen: one for every table without weights, as Project's own default


def _weights(c: Collector, value: Any, path: KeyPath, labels: _Labels) -> TableWeights:
    """The project's `weights:` ({execution: 20, level1: {产出指标: 60}}) merged with the labels' points."""
    if value is None and not labels.points:  # the usual table: no weights, no points in its labels
        return _NO_WEIGHTS
    level1 = {block[0]: points for block, (points, _) in labels.points.items() if len(block) == 1}
    level2 = [(*block, points) for block, (points, _) in labels.points.items() if len(block) == 2]
    execution = None
    if value is not None:
        data = need_mapping(c, value, path, "weights: {execution: 20, level1: {产出指标: 60, …}}")
        c.keys(path, data, WEIGHTS_KEYS)
        if data.get("execution") is not None:
            execution = c.attempt(_points, data["execution"], c.where((*path, "execution")), "execution")
        blocks = data.get("level1") or {}
        if not isinstance(blocks, dict):
            c.add((*path, "level1"), _("level1: expected block: points lines (产出指标: 60)"))
            blocks = {}
        for name, points in blocks.items():
            at: KeyPath = (*path, "level1", name)
            weight = c.attempt(_points, points, c.where(at), name)
            block = split_label(str(name))[0]
            if weight is None:
                continue
            if level1.get(block, weight) != weight:
                c.add(
                    at,
                    _(
                        "{block} weighs {weight} here but its label says {label}分",
                        block=block,
                        weight=plain(weight),
                        label=plain(level1[block]),
                    ),
                )
            level1[block] = weight
    return TableWeights(execution, tuple(level1.items()), tuple(level2))


def _points(value: Any, where: Location, what: str) -> Decimal:
    try:
        if isinstance(value, (bool, dict, list)):
            raise ValueError
        points = to_decimal(nfkc(str(value)).strip().removesuffix("分"), MAX_POINTS + 1)
    except NumberRangeError as exc:
        raise InputError(
            _("{what}: {reason}; points are at most {limit}", what=what, reason=exc, limit=MAX_POINTS), where
        ) from None
    except ValueError:
        raise InputError(
            _("{what}: expected points such as 20, found {value!r}", what=what, value=value), where
        ) from None
    if points < 0:
        raise InputError(_("{what}: points cannot be negative, found {value!r}", what=what, value=value), where)
    return points


def _sub_rows(
    c: Collector, rows: list[tuple[Indicator, str, int]], at: KeyPath, notices: list[Notice]
) -> list[Indicator]:
    """其中 rows carry no score: a row named 其中…, or a row without a weight under a weighted row of its
    level 2 in a block whose rows are weighted. `rows`: each row, its name as NFKC, its index under `at`."""
    weighted = {nfkc(ind.level1) for ind, _, _ in rows if ind.weight is not None}
    out: list[Indicator] = []
    parent: Indicator | None = None
    for ind, name, j in rows:
        sub = name.startswith("其中")
        if not sub and ind.weight is None and weighted and nfkc(ind.level1) in weighted and parent is not None:
            same = nfkc(parent.level1) == nfkc(ind.level1) and nfkc(ind.level2) in ("", nfkc(parent.level2))
            sub = same and parent.weight is not None
        if not sub:
            parent = ind
            out.append(ind)
            continue
        if ind.weight is not None:
            message = _(
                "{name} is a 其中 row and carries no score: its weight of {weight} is not counted",
                name=ind.name,
                weight=plain(ind.weight),
            )
            notices.append(Notice(Finding("warning", "sub-row-weight", ind.name, message), c.where((*at, j, "weight"))))
        out.append(dataclasses.replace(ind, weight=None, scored=False))
    return out


def _target(c: Collector, data: dict[str, Any], path: KeyPath) -> tuple[str, KeyPath]:
    """The target as written, or composed from the operator, value and unit columns (≥ 95 %)."""
    if "operator" in data or "value" in data or "unit" in data:  # the split form is rare: looked at only then
        split = [key for key in ("operator", "value", "unit") if data.get(key) not in (None, "")]
    else:
        split = []
    if not split:
        if isinstance(data.get("target"), (dict, list)):
            raise InputError(_("target: expected text such as ≥95%"), c.where((*path, "target")))
        return str(data.get("target") or ""), (*path, "target")
    if data.get("target") not in (None, ""):
        raise InputError(
            _("give target: or operator/value/unit, not both (found {keys} beside target)", keys=", ".join(split)),
            c.where((*path, split[0])),
        )
    if data.get("value") in (None, ""):
        raise InputError(_("value: a target split into operator, value and unit needs its value"), c.where(path))
    for key in split:
        if isinstance(data[key], (dict, list)):
            raise InputError(_("{key}: expected text", key=key), c.where((*path, key)))
    return "".join(nfkc(str(data.get(key) or "")).strip() for key in ("operator", "value", "unit")), (*path, "value")


def _directed(
    c: Collector, data: dict[str, Any], path: KeyPath, target: str, p: Predicate, name: str, notices: list[Notice]
) -> Predicate:
    """A bare target (98%) with `direction:` becomes ≥98% or ≤98%; an explicit operator keeps its own."""
    written = data.get("direction")
    if written in (None, ""):
        return p
    op = DIRECTIONS_WRITTEN.get(nfkc(str(written)).strip())
    if op is None:
        choices = ", ".join(DIRECTIONS_WRITTEN)
        raise InputError(
            _("direction: expected one of {choices}, found {written!r}", choices=choices, written=written),
            c.where((*path, "direction")),
        )
    if not isinstance(p, Comparison) or p.quantity is None:
        return p  # deadlines, ranges and phrases carry their own sense
    if p.op == "=" and not nfkc(target).lstrip().startswith("="):
        return dataclasses.replace(p, op=op)
    if p.op != "=" and DIRECTIONS[p.op] != DIRECTIONS[op]:
        message = _(
            "the direction of {name} is {written}, against its target {target}: it is scored by the target",
            name=name,
            written=written,
            target=target,
        )
        notices.append(Notice(Finding("warning", "direction-conflict", name, message), c.where((*path, "direction"))))
    return p


def _indicator(
    c: Collector, entry: Any, path: KeyPath, vocab: Vocabulary, notices: list[Notice]
) -> tuple[Indicator, Decimal | None, Decimal | None]:
    """One row, and the points its level-1 and level-2 labels print."""
    data = entry if type(entry) is dict else need_mapping(c, entry, path, _("an indicator"))
    c.keys(path, data, INDICATOR_KEYS)
    name = need_text(c, data, "name", path)
    level1, points1 = split_label(need_text(c, data, "level1", path))
    level2, points2 = split_label(need_text(c, data, "level2", path, required=False))
    target, target_path = _target(c, data, path)
    predicate: Predicate
    if nfkc(target).strip() in PLACEHOLDERS:
        predicate, target = Qualitative(nfkc(name).strip(), False), ""
        message = _("the target of {name} is empty: the indicator's name is scored as a qualitative target", name=name)
        notices.append(Notice(Finding("warning", "empty-target", name, message), c.where(target_path)))
    else:
        try:
            predicate = parse_target(target, vocab)
        except TargetSyntaxError as exc:
            exc.location = c.later(target_path)  # located only when it fails
            raise
        if data.get("direction") not in (None, ""):
            predicate = _directed(c, data, path, target, predicate, name, notices)
    weight = None
    if data.get("weight") not in (None, ""):  # 10 or 10分, as the 分值 column prints it
        weight = _points(data["weight"], c.where((*path, "weight")), "weight")
    indicator = row(
        level1,
        level2,
        name,
        target,
        predicate,
        need_text(c, data, "description", path, False),
        need_text(c, data, "basis", path, False),
        weight,
    )
    return indicator, points1, points2


made_plainly(Indicator, ("level1", "level2", "name", "target", "predicate", "description", "basis", "weight", "scored"))


def row(
    level1: str,
    level2: str,
    name: str,
    target: str,
    predicate: Predicate,
    description: str,
    basis: str,
    weight: Decimal | None,
) -> Indicator:
    """Indicator(...) of a scored row, made as its frozen __init__ makes it (every field, in order, in the
    instance's __dict__) without a call of object.__setattr__ per field: one is made for every row."""
    return made(
        Indicator,
        {
            "level1": level1,
            "level2": level2,
            "name": name,
            "target": target,
            "predicate": predicate,
            "description": description,
            "basis": basis,
            "weight": weight,
            "scored": True,
        },
    )


made_plainly(Location, ("file", "line", "column", "path", "cell"))


def place(doc: Document, path: KeyPath) -> Location:
    """doc.where(path) of a non-empty `path`, for a document with no lines or cells to look up (JSON) made as
    Location's frozen __init__ makes it (as row() makes an Indicator): one for every project of a file."""
    if doc.marks or doc.cells:
        return doc.where(path)
    return made(Location, {"file": doc.file, "line": None, "column": None, "path": path, "cell": None})


made_plainly(
    Project,
    ("code", "name", "budget", "indicators", "fiscal", "other", "unit", "purpose", "spending_plan", "goals")
    + ("weights", "findings"),
)


def project(
    code: str,
    name: str,
    budget: Decimal,
    indicators: tuple[Indicator, ...],
    fiscal: Decimal | None,
    other: Decimal | None,
    unit: str,
    purpose: str,
    spending_plan: tuple[PlanPoint, ...],
    goals: tuple[str, ...],
    weights: TableWeights,
    findings: tuple[Finding, ...],
) -> Project:
    """Project(...) made as its frozen __init__ makes it (as row() makes an Indicator): one per table."""
    return made(
        Project,
        {
            "code": code,
            "name": name,
            "budget": budget,
            "indicators": indicators,
            "fiscal": fiscal,
            "other": other,
            "unit": unit,
            "purpose": purpose,
            "spending_plan": spending_plan,
            "goals": goals,
            "weights": weights,
            "findings": findings,
        },
    )
