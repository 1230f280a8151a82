"""`evalengine check`: prove a rule pack sound before anyone is scored with it.

Three stages, each reported: validation (everything the loader checks), the pack's own `examples:`,
and properties that hypothesis tries to break with generated targets, actuals and projects. A
broken property comes back shrunk to its smallest case, written as `examples:` entries an auditor
can paste into the pack, fix the expected score, and keep as a regression test.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from evalengine.authoring.cases import check_indicator, check_project, score_indicator, score_project
from evalengine.errors import ErrorGroup, EvalEngineError, InputError, ReadError
from evalengine.i18n import N_, _
from evalengine.limits import MAX_PACK_BYTES
from evalengine.numbers import HUNDRED, ZERO, plain
from evalengine.packs.load import _chain, load_pack, resolve
from evalengine.packs.model import Pack
from evalengine.sources.documents import open_regular

TIERS = ("达成", "部分达成", "未达成")


# The names of the checks: English identifiers in JSON, each a message (N_) the text output translates
READ, VALIDATION, EXAMPLES = N_("read"), N_("validation"), N_("examples")


@dataclass
class Check:
    name: str
    ok: bool
    message: str = ""
    counterexample: str | None = None


@dataclass
class PackReport:
    pack: str
    file: str
    readable: bool = True
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.readable and all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "file": self.file,
            "ok": self.ok,
            "readable": self.readable,
            "checks": [dataclasses.asdict(c) for c in self.checks],
        }


def check_pack(ref: str, seed: int = 0, examples_only: bool = False, max_examples: int = 300) -> PackReport:
    try:
        path = resolve(ref, Path.cwd())
        if not path.exists():
            raise ReadError(_("no such pack file: {path}", path=path))
        if not path.is_file():
            open_regular(path, MAX_PACK_BYTES)  # a folder or a device: says which
    except (ReadError, InputError) as exc:
        return PackReport(ref, ref, False, [Check(READ, False, str(exc))])
    report = PackReport(ref, str(path))
    try:
        pack = load_pack(path)
    except ReadError as exc:
        report.readable = False
        report.checks.append(Check(READ, False, str(exc)))
        return report
    except ErrorGroup as group:
        report.checks.append(Check(VALIDATION, False, str(group)))
        return report
    except EvalEngineError as exc:
        report.checks.append(Check(VALIDATION, False, str(exc)))
        return report
    report.pack = pack.name
    report.checks.append(_validation(pack, path))
    report.checks.append(_examples(pack))
    if not examples_only:
        rng = random.Random(seed)
        for prop in PROPERTIES:
            report.checks.append(prop(pack, rng, max_examples))
    return report


def _validation(pack: Pack, path: Path) -> Check:
    chain = " → ".join(Path(doc.file).stem for doc in _chain(path))
    weights = " + ".join([plain(pack.weights.execution)] + [plain(w) for _, w in pack.weights.level1])
    return Check(
        VALIDATION,
        True,
        _(
            "weights {weights} = 100; grade and tier bands cover 0–100% without gaps or overlaps; "
            "extends chain ends: {chain}",
            weights=weights,
            chain=chain,
        ),
    )


def _examples(pack: Pack) -> Check:
    failures = []
    for path, case in pack.examples:
        where = pack.origins.get(path)
        try:
            problems = check_project(pack, case, where) if "rows" in case else check_indicator(pack, case, where)
        except EvalEngineError as exc:
            problems = [_("cannot be scored: {error}", error=exc)]
        if problems:
            label = case.get("id") or case.get("target")
            head = _("{where}: example {label}:", where=where, label=label)
            failures.append(head + "\n    " + "\n    ".join(problems))
    if failures:
        head = _("{failed} of {total} examples fail:", failed=len(failures), total=len(pack.examples))
        return Check(EXAMPLES, False, head + "\n" + "\n".join(failures))
    return Check(EXAMPLES, True, _("{n} examples hold", n=len(pack.examples)))


def _search(strategy: st.SearchStrategy[Any], broken: Callable[[Any], bool], rng: random.Random, n: int) -> Any:
    """The smallest generated value for which `broken` holds, or None when hypothesis finds none."""
    try:
        return find(
            strategy,
            broken,
            settings=settings(max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck)),
            random=rng,
        )
    except NoSuchExample:
        return None


def _paste(cases: list[dict[str, Any]], why: str) -> str:
    lines = [f"# {why}", "examples:"]
    for case in cases:
        lines.append(
            "  - "
            + yaml.safe_dump(case, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10_000).strip()
        )
    return "\n".join(lines)


def _as_case(target: str, actual: Any, weight: Decimal, pack: Pack) -> dict[str, Any]:
    case: dict[str, Any] = {"target": target, "actual": actual, "weight": plain(weight)}
    result, findings = score_indicator(pack, case)
    case.update(score=str(result.score), status=result.status)
    if result.tier:
        case["tier"] = result.tier
    if findings:
        case["findings"] = sorted(f.code for f in findings)
    return case


money = st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2)


amount = st.decimals(min_value=0, max_value=2000, places=2)


weight = st.decimals(min_value=1, max_value=50, places=2)


def _without_over(pack: Pack) -> Pack:
    # Over-achievement rules (a deduction at 130% of target) are penalties by design, not the formula
    over = dataclasses.replace(pack.over_achievement, threshold=None)
    return dataclasses.replace(pack, over_achievement=over)


def _scan(pack: Pack) -> tuple[str, Decimal, str, Decimal, Decimal, Decimal] | None:
    """Every actual from 0% to 300% of a target in 0.5% steps, neighbours compared: catches any table or
    threshold that makes a worse actual score more, at a resolution random search rarely reaches."""
    t, w = Decimal(100), Decimal(10)
    steps = [Decimal(i) / 200 for i in range(601)]
    for op in ("≥", ">", "=", "≤", "<"):
        target = f"{op}100%"
        scores = [
            score_indicator(pack, {"target": target, "actual": f"{plain(t * r)}%", "weight": w})[0].score for r in steps
        ]
        for i in range(len(steps) - 1):
            low, high = scores[i], scores[i + 1]  # actual steps[i] < steps[i + 1]
            forward_broken = op in "≥>=" and low > high and not (op == "=" and t == 0)
            if forward_broken or (op in "≤<" and high > low):
                return (op, t, "%", steps[i], steps[i + 1], w)
    return None


def better_never_scores_lower(pack: Pack, rng: random.Random, n: int) -> Check:
    name = N_("a better actual never scores lower (forward, reverse, equality)")
    plain_pack = _without_over(pack)
    # actuals as multiples of the target (0–300%), where every band boundary and threshold lives
    near = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("1.5"), places=2)
    ratio = st.one_of(near, near, st.decimals(min_value=0, max_value=3, places=2))
    ops = st.sampled_from(["≥", ">", "=", "≤", "<"])
    pairs = st.tuples(ops, money, st.sampled_from(["%", "万元", "次"]), ratio, ratio, weight)

    def scores(p: tuple[str, Decimal, str, Decimal, Decimal, Decimal]) -> tuple[str, str, str, Decimal, Decimal]:
        op, t, unit, ra, rb, w = p
        a, b = t * ra, t * rb
        target = f"{op}{plain(t)}{unit}"
        worse, better = (max(a, b), min(a, b)) if op in "≤<" else (min(a, b), max(a, b))
        s_worse = score_indicator(plain_pack, {"target": target, "actual": f"{plain(worse)}{unit}", "weight": w})
        s_better = score_indicator(plain_pack, {"target": target, "actual": f"{plain(better)}{unit}", "weight": w})
        return target, f"{plain(worse)}{unit}", f"{plain(better)}{unit}", s_worse[0].score, s_better[0].score

    found = _scan(plain_pack) or _search(pairs, lambda p: scores(p)[3] > scores(p)[4], rng, n)
    if found is None:
        return Check(name, True, _("held for {n} generated pairs", n=n))
    target, worse, better, s_worse, s_better = scores(found)
    w = found[5]
    return Check(
        name,
        False,
        _(
            "for target {target}, the worse actual {worse} scored {worse_score} but the better {better} scored "
            "{better_score}",
            target=target,
            worse=worse,
            worse_score=s_worse,
            better=better,
            better_score=s_better,
        ),
        _paste(
            [_as_case(target, better, w, plain_pack), _as_case(target, worse, w, plain_pack)],
            _(
                "a worse actual scores higher under {pack}: set the scores these should get, then fix the pack",
                pack=pack.name,
            ),
        ),
    )


def deadlines_are_ordered(pack: Pack, rng: random.Random, n: int) -> Check:
    name = N_("deadlines: on time ≥ late ≥ not completed")
    w = Decimal(10)
    on_time = score_indicator(pack, {"target": "12月底前", "actual": "2024-12-20", "weight": w})[0].score
    late = score_indicator(pack, {"target": "12月底前", "actual": "2025-01-10", "weight": w})[0].score
    missed = score_indicator(pack, {"target": "12月底前", "actual": "未完成", "weight": w})[0].score
    said = _("on time {on_time}, late {late}, not completed {missed} of 10", on_time=on_time, late=late, missed=missed)
    if on_time >= late >= missed:
        return Check(name, True, said)
    cases = [_as_case("12月底前", a, w, pack) for a in ("2024-12-20", "2025-01-10", "未完成")]
    return Check(
        name, False, said, _paste(cases, _("deadline tiers are out of order (methods.deadline.late / missed)"))
    )


def tiers_are_ordered(pack: Pack, rng: random.Random, n: int) -> Check:
    name = N_("tiers: 达成 ≥ 部分达成 ≥ 未达成 (default points)")
    points = [pack.tier(t).default for t in TIERS]
    message = "，".join(f"{t} {plain(p * HUNDRED)}%" for t, p in zip(TIERS, points, strict=True))
    if points[0] >= points[1] >= points[2]:
        return Check(name, True, message)
    return Check(
        name,
        False,
        message,
        _paste([_as_case("积极向上", t, Decimal(10), pack) for t in TIERS], _("tier defaults are out of order")),
    )


ROW_TARGETS = [
    "≥95%",
    "≤404万元",
    "<2%",
    "=100%",
    "90%-100%",
    "12月底前",
    "只减不增",
    "保持稳定",
    "积极向上",
    "在预算范围内",
    "≥610人",
    "按合同约定",
]


def _projects_for(pack: Pack) -> st.SearchStrategy[dict[str, Any]]:
    names = [name for name, _ in pack.weights.level1]

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        rows, entries = [], {}
        for i in range(draw(st.integers(1, 8))):
            target = draw(st.sampled_from(ROW_TARGETS))
            rows.append([draw(st.sampled_from(names)), "二级指标", f"指标{i + 1}", target])
            entries[f"指标{i + 1}"] = draw(_actual_for(target))
        budget = draw(money)
        spent = draw(st.one_of(st.none(), amount))
        execution = {"spent": plain(spent)} if spent is not None else {}
        return {"budget": plain(budget), "rows": rows, "actuals": {"execution": execution, "indicators": entries}}

    return build()


def _actual_for(target: str) -> st.SearchStrategy[Any]:
    na = st.just("不适用")
    if target in ("12月底前",):
        dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
        return st.one_of(dates.map(lambda d: d.isoformat()), st.just("未完成"), na)
    if target in ("只减不增", "保持稳定"):
        return st.one_of(
            st.builds(lambda a, b: {"value": plain(a), "baseline": plain(b)}, amount, amount),
            st.sampled_from(TIERS),
            na,
        )
    if target in ("积极向上", "按合同约定"):
        return st.one_of(st.sampled_from(TIERS), na)
    unit = "%" if "%" in target else ("人" if "人" in target else "万元")
    return st.one_of(amount.map(lambda a: f"{plain(a)}{unit}"), na, st.none())


def totals_stay_in_bounds(pack: Pack, rng: random.Random, n: int) -> Check:
    name = N_("every score lies in [0, weight], every total in [0, 100], and scoring is deterministic")

    def broken(case: dict[str, Any]) -> bool:
        card = score_project(pack, case)
        if not ZERO <= card.total <= HUNDRED or card.grade not in {g for g, _ in pack.grades}:
            return True
        if any(not ZERO <= r.score <= r.weight for r in card.indicators):
            return True
        return score_project(pack, case) != card

    found = _search(_projects_for(pack), broken, rng, n)
    if found is None:
        return Check(name, True, _("held for {n} generated projects", n=n))
    card = score_project(pack, found)
    found["expect"] = {"total": str(card.total), "grade": card.grade}
    return Check(
        name,
        False,
        _("a project scored a total of {total}", total=card.total),
        _paste([found], _("a project whose scores leave their bounds: set the expected total, then fix the pack")),
    )


PROPERTIES: list[Callable[[Pack, random.Random, int], Check]] = [
    better_never_scores_lower,
    deadlines_are_ordered,
    tiers_are_ordered,
    totals_stay_in_bounds,
]
