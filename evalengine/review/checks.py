"""Reviewing target tables before the year starts (绩效目标审核): each check a small registered function.

A table is read leniently: what the scorer would refuse (an empty cell, a placeholder, an indicator
twice, a target that does not read) is what a review must report, so every value that cannot be
used becomes a located finding and the rest of the table is still reviewed. Only a file that is not
a table at all (no projects: list) is an error. Each check is registered under a code of
`packs.schema.REVIEW_CHECKS`; the pack's `review:` section says which run and how severe they are.
Nothing here scores.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from evalengine.errors import InputError, KeyPath, TargetSyntaxError
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
TITLES: dict[str, str] = {}  # code -> what it is about, in the words of a 审核意见


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


def _unknown_keys(sheet: Sheet, path: KeyPath, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for key in data:
        if key not in allowed:
            hint = did_you_mean(str(key), allowed).strip()
            sheet.unreadable.append(
                Issue((*path, key), f"未知字段“{key}”，未读取{('（' + hint + '）') if hint else ''}")
            )


def _field(sheet: Sheet, data: dict[str, Any], key: str, path: KeyPath, label: str) -> str:
    value = data.get(key)
    if isinstance(value, (dict, list)):
        sheet.unreadable.append(Issue((*path, key), f"{label}应为文字，未能读取"))
        return ""
    return _text(value)


def _money(sheet: Sheet, value: Any, path: KeyPath, label: str, doc: Document) -> Decimal | None:
    if value is None or _text(value) == "":
        return None
    try:
        return money(value, doc.where(path), label)
    except InputError:
        sheet.unreadable.append(Issue(path, f"{label}“{_text(value)}”不是金额（如 5.00 万元或 48500元）"))
        return None


def read_sheet(entry: dict[str, Any], at: KeyPath, doc: Document, ctx: Context) -> Sheet:
    """One project entry, read as far as it can be."""
    sheet = Sheet(at)
    _unknown_keys(sheet, at, entry, PROJECT_KEYS)
    sheet.code = nfkc(_field(sheet, entry, "code", at, "项目编码"))
    sheet.name = _field(sheet, entry, "name", at, "项目名称")
    budget = entry.get("budget")
    total_at: KeyPath = (*at, "budget")
    if isinstance(budget, dict):
        _unknown_keys(sheet, total_at, budget, ("total", "fiscal", "other"))
        sheet.fiscal = _money(sheet, budget.get("fiscal"), (*at, "budget", "fiscal"), "财政资金", doc)
        sheet.other = _money(sheet, budget.get("other"), (*at, "budget", "other"), "其他资金", doc)
        total_at, budget = (*at, "budget", "total"), budget.get("total")
    sheet.budget_empty = budget is None or _text(budget) == ""
    sheet.budget = _money(sheet, budget, total_at, "预算数", doc)
    plan = entry.get("spending_plan")
    if plan is not None and not isinstance(plan, dict):
        sheet.unreadable.append(Issue((*at, "spending_plan"), "资金支出计划应为“节点: 累计比例”，如 6月底: 60%"))
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
            sheet.unreadable.append(Issue(here, f"资金支出计划 {label} 的“{text}”不是累计比例（如 60%）"))
        elif not isinstance(due, Deadline):
            sheet.unreadable.append(Issue(here, f"资金支出计划节点“{label}”不是日期（如 6月底）"))
        else:
            sheet.plan.append((str(label), value, due, here))
    items = entry.get("indicators")
    if items is not None and not isinstance(items, list):
        sheet.unreadable.append(Issue((*at, "indicators"), "指标应为一行一个的列表，未能读取"))
        items = None
    for j, item in enumerate(items or []):
        here = (*at, "indicators", j)
        if not isinstance(item, dict):
            sheet.unreadable.append(Issue(here, f"第 {j + 1} 个指标不是“键: 值”形式，未能读取"))
            continue
        _unknown_keys(sheet, here, item, INDICATOR_KEYS)
        name = _field(sheet, item, "name", here, "三级指标")
        target = _field(sheet, item, "target", here, "指标值")
        predicate = None
        if target and _placeholder(target, ctx.rules.placeholders, in_target=True) is None:
            try:
                predicate = parse_target(target, ctx.pack.vocabulary)
            except TargetSyntaxError as exc:
                sheet.unreadable.append(
                    Issue((*here, "target"), f"指标值“{target}”第 {exc.column} 个字符起无法识别", name or None)
                )
        if item.get("weight") is not None:
            try:
                to_decimal(nfkc(_text(item["weight"])))
            except ValueError:
                sheet.unreadable.append(
                    Issue((*here, "weight"), f"分值“{_text(item['weight'])}”不是数字", name or None)
                )
        sheet.rows.append(
            Row(
                j,
                _field(sheet, item, "level1", here, "一级指标"),
                _field(sheet, item, "level2", here, "二级指标"),
                name,
                _field(sheet, item, "description", here, "绩效指标描述"),
                _field(sheet, item, "basis", here, "指标值确定依据"),
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
        raise InputError("expected a targets file (department:, year:, projects: …)", doc.where(()))
    entries = data.get("projects")
    if not isinstance(entries, list) or not entries:
        raise InputError("projects: expected a list of the department's projects", doc.where(("projects",)))
    rules = pack.review
    file_issues: list[Issue] = []
    written, bad_year = _year(data)
    if bad_year:
        file_issues.append(Issue(("year",), f"预算年度“{_text(data.get('year'))}”不是年份（如 2024）"))
    ctx = Context(pack, rules, year or written)
    dropped = Sheet(())
    _unknown_keys(dropped, (), data, TARGETS_KEYS)
    file_issues += dropped.unreadable
    file_issues += [Issue((), f"导入时未能读取：{w}") for w in warnings]
    department = data.get("department")
    if isinstance(department, dict):
        department = department.get("name")
    projects = []
    for i, entry in enumerate(entries):
        at: KeyPath = ("projects", i)
        if not isinstance(entry, dict):
            file_issues.append(Issue(at, f"第 {i + 1} 个项目不是“键: 值”形式，未能审核"))
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
        notes.append("未给出预算年度（targets 文件的 year:，或 --year），完成时限未与预算年度比较")
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
        tuple(f for _, _, f in found),
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
        yield Issue(where, f"预算数应大于 0，表中为 {plain(sheet.budget)} 万元")
    if sheet.fiscal is None and sheet.other is None:
        return
    fiscal, other = sheet.fiscal or ZERO, sheet.other or ZERO
    if fiscal + other != sheet.budget:
        yield Issue(
            where,
            f"预算数 {plain(sheet.budget)} 万元 ≠ 财政资金 {plain(fiscal)} + 其他资金 {plain(other)}"
            f" = {plain(fiscal + other)} 万元",
        )


@check("plan-invalid", "资金支出计划不合理")
def _plan(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    year = ctx.year or 2024  # a leap year: 2月29日 is a date in some year
    points = sorted(sheet.plan, key=lambda p: p[2].resolve(year))
    previous: tuple[str, Decimal] | None = None
    for label, share, due, here in points:
        if due.year is not None and ctx.year is not None and due.year != ctx.year:
            yield Issue(here, f"资金支出计划节点“{label}”不在预算年度 {ctx.year} 年内")
        if share > HUNDRED or share < 0:
            yield Issue(here, f"资金支出计划 {label} 累计 {plain(share)}%，应在 0–100% 之间")
        if previous is not None and share < previous[1]:
            yield Issue(
                here, f"资金支出计划 {label} 累计 {plain(share)}%，低于此前 {previous[0]} 的 {plain(previous[1])}%"
            )
        previous = (label, share)
    if points and points[-1][1] < HUNDRED:
        label, share, _, here = points[-1]
        yield Issue(here, f"资金支出计划到 {label} 只累计 {plain(share)}%，年底前应达到 100%")


@check("missing-level1", "缺少一级指标")
def _missing_level1(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    present = {nfkc(r.level1) for r in sheet.rows}
    missing = [name for name in ctx.rules.required_level1 if name not in present]
    if missing:
        yield Issue((*sheet.at, "indicators"), f"缺少一级指标：{'、'.join(missing)}")


@check("level1-unknown", "一级指标无分值")
def _level1_unknown(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    weighted = [name for name, _ in ctx.pack.weights.level1]
    seen: set[str] = set()
    for row in sheet.rows:
        level1 = nfkc(row.level1)
        if not level1 or level1 in seen or ctx.pack.weights.level1_weight(level1) is not None:
            continue
        seen.add(level1)
        close = did_you_mean(level1, weighted).replace(" (did you mean ", "，是否为 ").replace("?)", "？")
        yield Issue(
            (*row.at, "level1"),
            f"一级指标“{row.level1}”不在评分规则的分值中（{'、'.join(weighted)}），年终无法评分{close}",
            row.name or None,
        )


@check("level2-mismatch", "二级指标与一级指标不符")
def _level2(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    tree = dict(ctx.rules.level2)
    for row in sheet.rows:
        level1, level2 = nfkc(row.level1), nfkc(row.level2)
        if level1 not in tree or not level2 or level2 in tree[level1]:
            continue
        home = [name for name, children in ctx.rules.level2 if level2 in children]
        belongs = f"“{row.level2}”属于{'、'.join(home)}，" if home else ""
        yield Issue(
            (*row.at, "level2"),
            f"{belongs}二级指标“{row.level2}”不属于一级指标“{row.level1}”（应为 {'、'.join(tree[level1])}）",
            row.name or None,
        )


@check("not-quantified", "定量指标不足")
def _not_quantified(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    n = len(sheet.rows)
    if not n:
        return
    quantified = sum(1 for r in sheet.rows if _quantified(r.predicate, ctx.rules))
    if quantified < ctx.rules.quantified_share * n:
        share = fixed(round_to(Decimal(quantified) * HUNDRED / n, 2))
        yield Issue(
            (*sheet.at, "indicators"),
            f"定量指标 {quantified} 个，占全部 {n} 个指标的 {share}%，"
            f"低于要求的 {_show_pct(ctx.rules.quantified_share)}",
        )


@check("qualitative-unrecognised", "指标值表述无法识别")
def _unrecognised(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        if isinstance(row.predicate, Qualitative) and not row.predicate.recognized:
            yield Issue(
                (*row.at, "target"),
                f"指标值“{row.target}”不是可识别的表述：请写成可衡量的目标（如 ≥95%、12月底前）或标准定性表述",
                row.name or None,
            )


@check("placeholder", "占位符或空白")
def _placeholders(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    words = ctx.rules.placeholders

    def look(text: str, path: KeyPath, label: str, indicator: str | None, in_target: bool = False) -> Iterator[Issue]:
        if not text:
            yield Issue(path, f"{label}为空", indicator)
            return
        found = _placeholder(text, words, in_target)
        if found is not None:
            yield Issue(path, f"{label}“{text}”仍是占位符（{found}），请填写实际内容", indicator)

    yield from look(sheet.code, (*sheet.at, "code"), "项目编码", None)
    yield from look(sheet.name, (*sheet.at, "name"), "项目名称", None)
    if sheet.budget_empty:
        yield Issue((*sheet.at, "budget"), "预算数为空")
    for row in sheet.rows:
        ind = row.name or None
        yield from look(row.level1, (*row.at, "level1"), "一级指标", ind)
        yield from look(row.level2, (*row.at, "level2"), "二级指标", ind)
        yield from look(row.name, (*row.at, "name"), "三级指标", ind)
        yield from look(row.target, (*row.at, "target"), "指标值", ind, in_target=True)
        for text, key, label in (
            (row.description, "description", "绩效指标描述"),
            (row.basis, "basis", "指标值确定依据"),
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
            yield Issue((*row.at, "target"), f"“{row.name}”是比率，指标值 {row.target} 超过 100%", row.name or None)


@check("satisfaction-range", "满意度目标超出范围")
def _satisfaction(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    low, high = (x * HUNDRED for x in ctx.rules.satisfaction)
    for row in sheet.rows:
        words = ctx.rules.satisfaction_words
        if not (_has(row.level1, words) or _has(row.name, words)):
            continue
        percents = [q for q in _quantities(row.predicate) if q.unit == "%"]
        if any(not low <= q.value <= high for q in percents):
            yield Issue(
                (*row.at, "target"),
                f"满意度指标值 {row.target} 不在 {plain(low)}%–{plain(high)}% 之间",
                row.name or None,
            )


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
            message = f"“{row.name}”（{word}）越低越好，指标值 {row.target} 却是下限：应为 ≤ 或“只减不增”"
        else:
            message = f"“{row.name}”（{word}）越高越好，指标值 {row.target} 却是上限：应为 ≥"
        yield Issue((*row.at, "target"), message, row.name or None)


@check("cost-lower-bound", "成本指标只有下限")
def _cost_lower_bound(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        p = row.predicate
        if _is_cost(row, ctx.rules) and isinstance(p, Comparison) and p.quantity is not None and p.op in (">=", ">"):
            yield Issue(
                (*row.at, "target"),
                f"成本指标“{row.name}”只有下限 {row.target}：成本一般设上限（≤）；若是人均补助等不得低于的标准，可保留",
                row.name or None,
            )


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
            yield Issue(
                (*row.at, "target"),
                f"指标名称标明单位“{match.group(1)}”，指标值 {row.target} 的单位却是“{quantities[-1].unit}”",
                row.name or None,
            )


@check("deadline-outside", "完成时限超出预算年度")
def _deadline_outside(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    if ctx.year is None:
        return
    for row in sheet.rows:
        if not isinstance(row.predicate, Deadline):
            continue
        due = row.predicate.resolve(ctx.year)
        if due > date(ctx.year, 12, 31):
            where = f"晚于预算年度 {ctx.year} 年年末"
        elif due < date(ctx.year, 1, 1):
            where = f"早于预算年度 {ctx.year} 年年初"
        else:
            continue
        yield Issue((*row.at, "target"), f"完成时限 {row.target}（{due.isoformat()}）{where}", row.name or None)


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
            yield Issue(
                (*row.at, "target"),
                f"成本指标值 {row.target}（{shown} 万元）超过项目预算数 {plain(sheet.budget)} 万元",
                row.name or None,
            )


@check("duplicate-indicator", "指标重复")
def _duplicates(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    seen: dict[str, Row] = {}
    for row in sheet.rows:
        key = nfkc(row.name).replace(" ", "")
        if not key:
            continue
        if key in seen:
            yield Issue((*row.at, "name"), f"指标“{row.name}”重复，与第 {seen[key].index + 1} 个指标同名", row.name)
        else:
            seen[key] = row


@check("empty-description", "指标描述为空")
def _empty_description(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        if not row.description:
            yield Issue((*row.at, "description"), "绩效指标描述为空", row.name or None)


@check("empty-basis", "确定依据为空")
def _empty_basis(sheet: Sheet, ctx: Context) -> Iterator[Issue]:
    for row in sheet.rows:
        if not row.basis:
            yield Issue((*row.at, "basis"), "指标值确定依据为空", row.name or None)


_missing = set(REVIEW_CHECKS) - set(_CHECKS)
assert not _missing, f"review checks without a function: {', '.join(sorted(_missing))}"
_CHECKS = {code: _CHECKS[code] for code in REVIEW_CHECKS}  # run in the order the pack lists them
