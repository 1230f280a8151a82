"""Reviewing target tables before the year starts (绩效目标审核): each check a small registered function.

A table is read leniently: what the scorer would refuse (an empty cell, a placeholder, an indicator
twice, a target that does not read) is what a review must report, so every value that cannot be
used becomes a located finding and the rest of the table is still reviewed. Only a file that is not
a table at all (no projects: list) is an error. Each check is registered under a code of
`packs.schema.REVIEW_CHECKS`; the pack's `review:` section says which run and how severe they are.
Nothing here scores. Findings speak the language of the run (evalengine.i18n); the labels of the
table's columns are marked with N_ and translated where a message names them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from evalengine.errors import InputError, KeyPath, TargetSyntaxError
from evalengine.i18n import N_, _, ngettext
from evalengine.inputs.collect import money
from evalengine.inputs.targets import INDICATOR_KEYS, PROJECT_KEYS, TARGETS_KEYS
from evalengine.language.parser import parse_actual, parse_target
from evalengine.language.predicates import Comparison, Deadline, Predicate, Qualitative, Quantity, Range, Trend
from evalengine.numbers import HUNDRED, WAN, ZERO, fixed, plain, round_to, to_decimal
from evalengine.packs.model import Pack
from evalengine.packs.model import Review as ReviewRules
from evalengine.packs.schema import REVIEW_CHECKS
from evalengine.review.model import ProjectReview, ReviewFinding, ReviewSeverity, TableReview
from evalengine.sources.documents import Document
from evalengine.text import did_you_mean, nfkc


@dataclass(frozen=True)
class Row:
    """One indicator row as written; `predicate` is None when the target is empty, a placeholder or unreadable."""

    index: int
    level1: str
    level2: str
    name: str
    description: str
    basis: str
    target: str
    predicate: Predicate | None
    at: KeyPath


class Issue(NamedTuple):
    """What a check found, before the pack gives it a severity and the document a location."""

    path: KeyPath
    message: str
    indicator: str | None = None


@dataclass
class Sheet:
    """One project's table as read, with what could not be read."""

    at: KeyPath
    code: str = ""
    name: str = ""
    budget: Decimal | None = None
    budget_empty: bool = False
    fiscal: Decimal | None = None
    other: Decimal | None = None
    plan: list[tuple[str, Decimal, Deadline, KeyPath]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    unreadable: list[Issue] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What every check may read: the pack, its review rules, the budget year."""

    pack: Pack
    rules: ReviewRules
    year: int | None


Check = Callable[[Sheet, Context], Iterator[Issue]]
_CHECKS: dict[str, Check] = {}
TITLES: dict[str, str] = {}  # code -> what it is about, in the words of a 审核意见 (report vocabulary, Chinese)


def check(code: str, title: str) -> Callable[[Check], Check]:
    """Register a check under `code`, which must be one of packs.schema.REVIEW_CHECKS."""
    assert code in REVIEW_CHECKS, f"{code} is not a review check of packs.schema.REVIEW_CHECKS"

    def register(fn: Check) -> Check:
        assert code not in _CHECKS, f"{code} registered twice"
        _CHECKS[code] = fn
        TITLES[code] = title
        return fn

    return register


# -- reading


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def _series(names: list[str]) -> str:
    """Names listed in a sentence: 产出指标、效益指标 in Chinese, 产出指标, 效益指标 in English."""
    out = names[0] if names else ""
    for name in names[1:]:
        out = _("{names}, {name}", names=out, name=name)
    return out


# the columns of a target table, as messages name them (translated where used)
_CODE, _NAME, _BUDGET, _FISCAL, _OTHER = (
    N_("project code"),
    N_("project name"),
    N_("budget"),
    N_("fiscal funds"),
    N_("other funds"),
)
_LEVEL1, _LEVEL2, _LEVEL3 = N_("level 1 indicator"), N_("level 2 indicator"), N_("level 3 indicator")
_TARGET, _DESCRIPTION, _BASIS = N_("target"), N_("indicator description"), N_("basis of the target")


def _unknown_keys(sheet: Sheet, path: KeyPath, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for key in data:
        if key not in allowed:
            suggestion = did_you_mean(str(key), allowed)
            sheet.unreadable.append(
                Issue((*path, key), _("unknown key {key!r}, not read{suggestion}", key=str(key), suggestion=suggestion))
            )


def _field(sheet: Sheet, data: dict[str, Any], key: str, path: KeyPath, label: str) -> str:
    value = data.get(key)
    if isinstance(value, (dict, list)):
        sheet.unreadable.append(Issue((*path, key), _("{label} should be text; not read", label=_(label))))
        return ""
    return _text(value)


def _money(sheet: Sheet, value: Any, path: KeyPath, label: str, doc: Document) -> Decimal | None:
    if value is None or _text(value) == "":
        return None
    try:
        return money(value, doc.where(path), _(label))
    except InputError:
        sheet.unreadable.append(
            Issue(
                path,
                _(
                    "{label} {value!r} is not an amount of money (such as 5.00 万元 or 48500元)",
                    label=_(label),
                    value=_text(value),
                ),
            )
        )
        return None


def read_sheet(entry: dict[str, Any], at: KeyPath, doc: Document, ctx: Context) -> Sheet:
    """One project entry, read as far as it can be."""
    sheet = Sheet(at)
    _unknown_keys(sheet, at, entry, PROJECT_KEYS)
    sheet.code = nfkc(_field(sheet, entry, "code", at, _CODE))
    sheet.name = _field(sheet, entry, "name", at, _NAME)
    budget = entry.get("budget")
    total_at: KeyPath = (*at, "budget")
    if isinstance(budget, dict):
        _unknown_keys(sheet, total_at, budget, ("total", "fiscal", "other"))
        sheet.fiscal = _money(sheet, budget.get("fiscal"), (*at, "budget", "fiscal"), _FISCAL, doc)
        sheet.other = _money(sheet, budget.get("other"), (*at, "budget", "other"), _OTHER, doc)
        total_at, budget = (*at, "budget", "total"), budget.get("total")
    sheet.budget_empty = budget is None or _text(budget) == ""
    sheet.budget = _money(sheet, budget, total_at, _BUDGET, doc)
    plan = entry.get("spending_plan")
    if plan is not None and not isinstance(plan, dict):
        sheet.unreadable.append(
            Issue(
                (*at, "spending_plan"),
                _("the spending plan should be written as checkpoint: cumulative share, such as 6月底: 60%"),
            )
        )
        plan = None
    for label, share in (plan or {}).items():
        here: KeyPath = (*at, "spending_plan", label)
        text = nfkc(_text(share))
        try:
            value = to_decimal(text[:-1]) if text.endswith("%") else None
        except ValueError:
            value = None
        try:
            due = parse_target(f"{nfkc(str(label)).strip()}前", ctx.pack.vocabulary)
        except TargetSyntaxError:
            due = None
        if value is None:
            sheet.unreadable.append(
                Issue(
                    here,
                    _(
                        "spending plan {label}: {share!r} is not a cumulative share (such as 60%)",
                        label=str(label),
                        share=text,
                    ),
                )
            )
        elif not isinstance(due, Deadline):
            sheet.unreadable.append(
                Issue(here, _("spending plan checkpoint {label!r} is not a date (such as 6月底)", label=str(label)))
            )
        else:
            sheet.plan.append((str(label), value, due, here))
    items = entry.get("indicators")
    if items is not None and not isinstance(items, list):
        sheet.unreadable.append(
            Issue((*at, "indicators"), _("indicators should be a list, one indicator a line; not read"))
        )
        items = None
    for j, item in enumerate(items or []):
        here = (*at, "indicators", j)
        if not isinstance(item, dict):
            sheet.unreadable.append(Issue(here, _("indicator {n} is not written as key: value; not read", n=j + 1)))
            continue
        _unknown_keys(sheet, here, item, INDICATOR_KEYS)
        name = _field(sheet, item, "name", here, _LEVEL3)
        target = _field(sheet, item, "target", here, _TARGET)
        predicate = None
        if target and _placeholder(target, ctx.rules.placeholders, in_target=True) is None:
            try:
                predicate = parse_target(target, ctx.pack.vocabulary)
            except TargetSyntaxError as exc:
                why = _("target {target!r} cannot be read from character {column} on", target=target, column=exc.column)
                sheet.unreadable.append(Issue((*here, "target"), why, name or None))
        if item.get("weight") is not None:
            try:
                to_decimal(nfkc(_text(item["weight"])))
            except ValueError:
                why = _("weight {weight!r} is not a number", weight=_text(item["weight"]))
                sheet.unreadable.append(Issue((*here, "weight"), why, name or None))
        sheet.rows.append(
            Row(
                j,
                _field(sheet, item, "level1", here, _LEVEL1),
                _field(sheet, item, "level2", here, _LEVEL2),
                name,
                _field(sheet, item, "description", here, _DESCRIPTION),
                _field(sheet, item, "basis", here, _BASIS),
                target,
                predicate,
                here,
            )
        )
    return sheet


def _year(data: dict[str, Any]) -> tuple[int | None, bool]:
    """The targets file's year, and whether one was written but does not read."""
    value = data.get("year")
    if value is None:
        return None, False
    text = _text(value)
    if text.isdigit() and 1900 <= int(text) <= 2200:
        return int(text), False
    return None, True


def review_table(doc: Document, pack: Pack, year: int | None = None, warnings: tuple[str, ...] = ()) -> TableReview:
    """Review every project of a targets document; `year` overrides the file's, `warnings` are the
    importer's (lines or rows it could not place), each reported as an unreadable finding."""
    data = doc.data
    if not isinstance(data, dict):
        raise InputError(_("expected a targets file (department:, year:, projects: …)"), doc.where(()))
    entries = data.get("projects")
    if not isinstance(entries, list) or not entries:
        raise InputError(_("projects: expected a list of the department's projects"), doc.where(("projects",)))
    rules = pack.review
    file_issues: list[Issue] = []
    written, bad_year = _year(data)
    if bad_year:
        file_issues.append(
            Issue(("year",), _("budget year {year!r} is not a year (such as 2024)", year=_text(data.get("year"))))
        )
    ctx = Context(pack, rules, year or written)
    dropped = Sheet(())
    _unknown_keys(dropped, (), data, TARGETS_KEYS)
    file_issues += dropped.unreadable
    file_issues += [Issue((), _("not read on import: {warning}", warning=w)) for w in warnings]
    department = data.get("department")
    if isinstance(department, dict):
        department = department.get("name")
    projects = []
    for i, entry in enumerate(entries):
        at: KeyPath = ("projects", i)
        if not isinstance(entry, dict):
            file_issues.append(Issue(at, _("project {n} is not written as key: value; not reviewed", n=i + 1)))
            continue
        projects.append(_review_sheet(read_sheet(entry, at, doc, ctx), ctx, doc))
    severity = rules.severity("unreadable")
    findings = tuple(
        ReviewFinding("unreadable", severity, None, doc.where(issue.path), issue.message)  # type: ignore[arg-type]
        for issue in file_issues
        if severity != "off"
    )
    notes = []
    if ctx.year is None and rules.severity("deadline-outside") != "off":
        notes.append(
            _(
                "no budget year given (year: in the targets file, or --year): "
                "deadlines were not compared with the budget year"
            )
        )
    return TableReview(doc.file, _text(department), ctx.year, tuple(projects), findings, tuple(notes))


def _review_sheet(sheet: Sheet, ctx: Context, doc: Document) -> ProjectReview:
    found: list[tuple[int, int, ReviewFinding]] = []
    ranks = {"error": 0, "warning": 1, "notice": 2}
    for code, fn in _CHECKS.items():
        severity = ctx.rules.severity(code)
        if severity == "off":
            continue
        for issue in fn(sheet, ctx):
            finding = ReviewFinding(code, _severity(severity), issue.indicator, doc.where(issue.path), issue.message)
            found.append((_row_of(issue.path, sheet.at), ranks[severity], finding))
    found.sort(key=lambda t: (t[0], t[1]))
    quantified = sum(1 for r in sheet.rows if _quantified(r.predicate, ctx.rules))
    return ProjectReview(
        sheet.code,
        sheet.name,
        sheet.budget,
        len(sheet.rows),
        quantified,
        doc.where(sheet.at),
        tuple(f for _row, _rank, f in found),
    )


def _row_of(path: KeyPath, at: KeyPath) -> int:
    """The indicator row a path lies in (-1 for the project itself): findings are listed row by row."""
    rest = path[len(at) :]
    return rest[1] if len(rest) >= 2 and rest[0] == "indicators" and isinstance(rest[1], int) else -1


def _severity(name: str) -> ReviewSeverity:
    match name:
        case "error" | "warning" | "notice":
            return name
        case _:
            raise ValueError(name)


# -- what the checks share


def _has(text: str, words: tuple[str, ...]) -> str | None:
    """The first of `words` that `text` holds (NFKC), or None."""
    norm = nfkc(text)
    return next((w for w in words if w in norm), None)


def _placeholder(text: str, words: tuple[str, ...], in_target: bool = False) -> str | None:
    """The placeholder `text` holds, if any. Words (XX, 待定) count anywhere; symbols (*, ×) count in a
    target, where nothing multiplies, and elsewhere only as the whole cell (a description may well say
    故障时间/总运行时间*100%)."""
    norm = nfkc(text).strip()
    upper = norm.upper()
    for word in sorted(words, key=len, reverse=True):
        w = nfkc(word).upper()
        if any(ch.isalnum() for ch in w) or in_target:
            if w in upper:
                return word
    symbols = {ch for word in words for ch in nfkc(word) if not any(c.isalnum() for c in nfkc(word))}
    squeezed = "".join(norm.split())
    if squeezed and set(squeezed) <= symbols:
        return squeezed
    return None


def _quantified(predicate: Predicate | None, rules: ReviewRules) -> bool:
    if predicate is None or predicate.kind not in rules.quantified:
        return False
    return not (isinstance(predicate, Comparison) and predicate.quantity is None)  # 在预算范围内 names no number


def _quantities(predicate: Predicate | None) -> tuple[Quantity, ...]:
    """The numbers a target is written with: one for a comparison, both ends of a range."""
    if isinstance(predicate, Comparison) and predicate.quantity is not None:
        return (predicate.quantity,)
    if isinstance(predicate, Range):
        return (predicate.low, predicate.high)
    return ()


def _is_cost(row: Row, rules: ReviewRules) -> bool:
    return bool(_has(row.level1, rules.cost_words) or _has(row.level2, rules.cost_words))


_UNIT_IN_NAME = re.compile(r"[(]([^()]+)[)]\s*$")


def _bare_name(name: str) -> str:
    """The name without a trailing unit in brackets: 系统故障率（%） -> 系统故障率."""
    return _UNIT_IN_NAME.sub("", nfkc(name)).strip()


def _show_pct(fraction: Decimal) -> str:
    return plain(fraction * HUNDRED) + "%"


# -- the checks, in the order of REVIEW_CHECKS


@check("funds-unbalanced", "资金来源不平衡")
def _funds(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    if sheet.budget is None:
        return
    where: KeyPath = (*sheet.at, "budget")
    if sheet.budget <= 0:
        yield Issue(where, _("budget should be above 0; the table gives {budget} 万元", budget=plain(sheet.budget)))
    if sheet.fiscal is None and sheet.other is None:
        return
    fiscal, other = sheet.fiscal or ZERO, sheet.other or ZERO
    if fiscal + other != sheet.budget:
        yield Issue(
            where,
            _(
                "budget {budget} 万元 ≠ fiscal funds {fiscal} + other funds {other} = {total} 万元",
                budget=plain(sheet.budget),
                fiscal=plain(fiscal),
                other=plain(other),
                total=plain(fiscal + other),
            ),
        )


@check("plan-invalid", "资金支出计划不合理")
def _plan(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    year = ctx.year or 2024  # a leap year: 2月29日 is a date in some year
    points = sorted(sheet.plan, key=lambda p: p[2].resolve(year))
    previous: tuple[str, Decimal] | None = None
    for label, share, due, here in points:
        if due.year is not None and ctx.year is not None and due.year != ctx.year:
            yield Issue(
                here,
                _(
                    "spending plan checkpoint {label!r} is not in the budget year {year}",
                    label=label,
                    year=ctx.year,
                ),
            )
        if share > HUNDRED or share < 0:
            yield Issue(
                here,
                _(
                    "spending plan {label}: {share}% spent by then, should be within 0–100%",
                    label=label,
                    share=plain(share),
                ),
            )
        if previous is not None and share < previous[1]:
            yield Issue(
                here,
                _(
                    "spending plan {label}: {share}% spent by then, less than the {earlier_share}% of {earlier}",
                    label=label,
                    share=plain(share),
                    earlier=previous[0],
                    earlier_share=plain(previous[1]),
                ),
            )
        previous = (label, share)
    if points and points[-1][1] < HUNDRED:
        label, share, _due, here = points[-1]
        yield Issue(
            here,
            _(
                "spending plan reaches only {share}% by {label}: it should reach 100% by the year's end",
                share=plain(share),
                label=label,
            ),
        )


@check("missing-level1", "缺少一级指标")
def _missing_level1(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    present = {nfkc(r.level1) for r in sheet.rows}
    missing = [name for name in ctx.rules.required_level1 if name not in present]
    if missing:
        message = ngettext(
            "missing level 1 indicator: {names}",
            "missing level 1 indicators: {names}",
            len(missing),
            names=_series(missing),
        )
        yield Issue((*sheet.at, "indicators"), message)


@check("level1-unknown", "一级指标无分值")
def _level1_unknown(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    weighted = [name for name, _weight in ctx.pack.weights.level1]
    seen: set[str] = set()
    for row in sheet.rows:
        level1 = nfkc(row.level1)
        if not level1 or level1 in seen or ctx.pack.weights.level1_weight(level1) is not None:
            continue
        seen.add(level1)
        message = _(
            "level 1 indicator {level1!r} has no weight in the scoring rules ({weighted}): "
            "it cannot be scored at year end{suggestion}",
            level1=row.level1,
            weighted=_series(weighted),
            suggestion=did_you_mean(level1, weighted),
        )
        yield Issue((*row.at, "level1"), message, row.name or None)


@check("level2-mismatch", "二级指标与一级指标不符")
def _level2(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    tree = dict(ctx.rules.level2)
    for row in sheet.rows:
        level1, level2 = nfkc(row.level1), nfkc(row.level2)
        if level1 not in tree or not level2 or level2 in tree[level1]:
            continue
        home = [name for name, children in ctx.rules.level2 if level2 in children]
        allowed = _series(list(tree[level1]))
        if home:
            message = _(
                "level 2 indicator {level2!r} belongs to {home}, not to level 1 indicator {level1!r} "
                "(which takes {allowed})",
                level2=row.level2,
                home=_series(home),
                level1=row.level1,
                allowed=allowed,
            )
        else:
            message = _(
                "level 2 indicator {level2!r} does not belong to level 1 indicator {level1!r} (which takes {allowed})",
                level2=row.level2,
                level1=row.level1,
                allowed=allowed,
            )
        yield Issue((*row.at, "level2"), message, row.name or None)


@check("not-quantified", "定量指标不足")
def _not_quantified(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    n = len(sheet.rows)
    if not n:
        return
    quantified = sum(1 for r in sheet.rows if _quantified(r.predicate, ctx.rules))
    if quantified < ctx.rules.quantified_share * n:
        share = fixed(round_to(Decimal(quantified) * HUNDRED / n, 2))
        message = ngettext(
            "quantified: {quantified} of {n} indicator ({share}%), below the required {required}",
            "quantified: {quantified} of {n} indicators ({share}%), below the required {required}",
            n,
            quantified=quantified,
            share=share,
            required=_show_pct(ctx.rules.quantified_share),
        )
        yield Issue((*sheet.at, "indicators"), message)


@check("qualitative-unrecognised", "指标值表述无法识别")
def _unrecognised(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        if isinstance(row.predicate, Qualitative) and not row.predicate.recognized:
            message = _(
                "target {target!r} is not a wording evalengine recognises: write a measurable target "
                "(such as ≥95% or 12月底前) or a standard qualitative wording",
                target=row.target,
            )
            yield Issue((*row.at, "target"), message, row.name or None)


@check("placeholder", "占位符或空白")
def _placeholders(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    words = ctx.rules.placeholders

    def look(text: str, path: KeyPath, label: str, indicator: str | None, in_target: bool = False) -> Iterator[Issue]:
        if not text:
            yield Issue(path, _("{label} is empty", label=_(label)), indicator)
            return
        found = _placeholder(text, words, in_target)
        if found is not None:
            message = _(
                "{label} {text!r} is still a placeholder ({found}): fill in what is meant",
                label=_(label),
                text=text,
                found=found,
            )
            yield Issue(path, message, indicator)

    yield from look(sheet.code, (*sheet.at, "code"), _CODE, None)
    yield from look(sheet.name, (*sheet.at, "name"), _NAME, None)
    if sheet.budget_empty:
        yield Issue((*sheet.at, "budget"), _("{label} is empty", label=_(_BUDGET)))
    for row in sheet.rows:
        ind = row.name or None
        yield from look(row.level1, (*row.at, "level1"), _LEVEL1, ind)
        yield from look(row.level2, (*row.at, "level2"), _LEVEL2, ind)
        yield from look(row.name, (*row.at, "name"), _LEVEL3, ind)
        yield from look(row.target, (*row.at, "target"), _TARGET, ind, in_target=True)
        for text, key, label in (
            (row.description, "description", _DESCRIPTION),
            (row.basis, "basis", _BASIS),
        ):
            if text:  # an empty description or basis has a check of its own
                yield from look(text, (*row.at, key), label, ind)


@check("unreadable", "无法读取")
def _unreadable(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    yield from sheet.unreadable


@check("rate-over-100", "比率目标超过100%")
def _rate_over_100(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        if not (_has(row.name, ctx.rules.rate_words) or _has(row.description, ctx.rules.rate_words)):
            continue
        if any(q.unit == "%" and q.value > HUNDRED for q in _quantities(row.predicate)):
            message = _("{name!r} is a rate, but its target {target} is above 100%", name=row.name, target=row.target)
            yield Issue((*row.at, "target"), message, row.name or None)


@check("satisfaction-range", "满意度目标超出范围")
def _satisfaction(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    low, high = (x * HUNDRED for x in ctx.rules.satisfaction)
    for row in sheet.rows:
        words = ctx.rules.satisfaction_words
        if not (_has(row.level1, words) or _has(row.name, words)):
            continue
        percents = [q for q in _quantities(row.predicate) if q.unit == "%"]
        if any(not low <= q.value <= high for q in percents):
            message = _(
                "satisfaction target {target} is not within {low}%–{high}%",
                target=row.target,
                low=plain(low),
                high=plain(high),
            )
            yield Issue((*row.at, "target"), message, row.name or None)


def _direction(predicate: Predicate | None) -> str | None:
    """forward (a floor: more is better) or reverse (a ceiling), as the target is written."""
    if isinstance(predicate, Comparison) and predicate.quantity is not None and predicate.op != "=":
        return predicate.direction
    if isinstance(predicate, Trend):
        ways = {
            "increasing": "forward",
            "non_decreasing": "forward",
            "decreasing": "reverse",
            "non_increasing": "reverse",
        }
        return ways.get(predicate.trend)  # 保持稳定 has no direction
    return None


def _says(name: str, rules: ReviewRules) -> tuple[str, str] | None:
    """Which way the name says is better, and the word that says so: the word ending last wins, as the
    head of a Chinese noun comes last (事故处理及时率 is a 及时率)."""
    bare = _bare_name(name)
    best: tuple[int, int, str, str] | None = None
    for words, way in ((rules.lower_is_better, "reverse"), (rules.higher_is_better, "forward")):
        for word in words:
            at = bare.rfind(word)
            if at >= 0:
                key = (at + len(word), len(word), word, way)
                if best is None or key[:2] > best[:2]:
                    best = key
    return (best[3], best[2]) if best else None


@check("direction-suspect", "指标方向可疑")
def _direction_suspect(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        said = _says(row.name, ctx.rules)
        written = _direction(row.predicate)
        if said is None or written is None or said[0] == written:
            continue
        way, word = said
        if way == "reverse":
            message = _(
                "lower is better for {name!r} ({word}), but its target {target} is a floor: it should be ≤ or 只减不增",
                name=row.name,
                word=word,
                target=row.target,
            )
        else:
            message = _(
                "higher is better for {name!r} ({word}), but its target {target} is a ceiling: it should be ≥",
                name=row.name,
                word=word,
                target=row.target,
            )
        yield Issue((*row.at, "target"), message, row.name or None)


@check("cost-lower-bound", "成本指标只有下限")
def _cost_lower_bound(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        p = row.predicate
        if _is_cost(row, ctx.rules) and isinstance(p, Comparison) and p.quantity is not None and p.op in (">=", ">"):
            message = _(
                "cost indicator {name!r} has only a lower bound, {target}: a cost is usually capped (≤); "
                "keep the floor if it is a standard that must be met, such as a subsidy per person",
                name=row.name,
                target=row.target,
            )
            yield Issue((*row.at, "target"), message, row.name or None)


@check("unit-mismatch", "单位不一致")
def _unit_mismatch(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        match = _UNIT_IN_NAME.search(nfkc(row.name))
        quantities = _quantities(row.predicate)
        if match is None or not quantities or quantities[-1].unit is None:
            continue
        try:
            named = parse_actual(f"1{match.group(1).strip()}", ctx.pack.vocabulary)
        except TargetSyntaxError:
            continue  # (以民政局数据为准): brackets that hold no unit
        # only a unit the language knows: an open unit in brackets is a note (以民政局数据为准), not a unit
        if not (isinstance(named, Quantity) and named.unit is not None and named.known):
            continue
        if named.unit != quantities[-1].unit:
            message = _(
                "the indicator's name gives the unit {named!r}, but its target {target} is in {unit!r}",
                named=match.group(1),
                target=row.target,
                unit=quantities[-1].unit,
            )
            yield Issue((*row.at, "target"), message, row.name or None)


@check("deadline-outside", "完成时限超出预算年度")
def _deadline_outside(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    if ctx.year is None:
        return
    for row in sheet.rows:
        if not isinstance(row.predicate, Deadline):
            continue
        due = row.predicate.resolve(ctx.year)
        if due > date(ctx.year, 12, 31):
            message = _(
                "deadline {target} ({date}) falls after the end of the budget year {year}",
                target=row.target,
                date=due.isoformat(),
                year=ctx.year,
            )
        elif due < date(ctx.year, 1, 1):
            message = _(
                "deadline {target} ({date}) falls before the start of the budget year {year}",
                target=row.target,
                date=due.isoformat(),
                year=ctx.year,
            )
        else:
            continue
        yield Issue((*row.at, "target"), message, row.name or None)


@check("cost-over-budget", "成本目标超过预算")
def _cost_over_budget(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    if sheet.budget is None:
        return
    budget = sheet.budget * WAN  # 元
    for row in sheet.rows:
        if not _is_cost(row, ctx.rules) or _has(row.name, ctx.rules.per_unit):
            continue
        money = [q for q in _quantities(row.predicate) if q.unit == "元"]
        if any(q.value > budget for q in money):
            shown = plain(max(q.value for q in money) / WAN)
            message = _(
                "cost target {target} ({amount} 万元) is above the project's budget of {budget} 万元",
                target=row.target,
                amount=shown,
                budget=plain(sheet.budget),
            )
            yield Issue((*row.at, "target"), message, row.name or None)


@check("duplicate-indicator", "指标重复")
def _duplicates(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    seen: dict[str, Row] = {}
    for row in sheet.rows:
        key = nfkc(row.name).replace(" ", "")
        if not key:
            continue
        if key in seen:
            message = _(
                "indicator {name!r} is listed twice: indicator {first} has the same name",
                name=row.name,
                first=seen[key].index + 1,
            )
            yield Issue((*row.at, "name"), message, row.name)
        else:
            seen[key] = row


@check("empty-description", "指标描述为空")
def _empty_description(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        if not row.description:
            yield Issue((*row.at, "description"), _("{label} is empty", label=_(_DESCRIPTION)), row.name or None)


@check("empty-basis", "确定依据为空")
def _empty_basis(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        if not row.basis:
            yield Issue((*row.at, "basis"), _("{label} is empty", label=_(_BASIS)), row.name or None)


_missing = set(REVIEW_CHECKS) - set(_CHECKS)
assert not _missing, f"review checks without a function: {', '.join(sorted(_missing))}"
_CHECKS = {code: _CHECKS[code] for code in REVIEW_CHECKS}  # run in the order the pack lists them
