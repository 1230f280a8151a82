"""The keys a rule pack may have: for each, the kind of value, its choices or default, and its meaning.

This one table drives validation (`packs.validate` walks it) and the key
reference in docs/pack-keys.md. The scoring methods' names live here too: `scoring.methods`
registers one formula under each name and refuses, when it is imported, a name this menu lacks or a
name it leaves without a formula.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from evalengine.language.vocabulary import GRADES, TIERS
from evalengine.numbers import ROUNDING_MODES

# How a shortfall is scored, by the target's direction. A menu, never code from the pack.
METHODS: Mapping[str, tuple[str, ...]] = {
    "forward": ("ratio", "binary", "bands"),
    "reverse": ("ratio", "linear", "binary", "bands"),
    "equality": ("forward", "binary"),
    "range": ("ratio", "binary"),
    "tolerance": ("ratio", "binary"),
}
GRADE_SHARES = (Decimal(1), Decimal("0.8"), Decimal("0.6"), Decimal(0))  # 优 良 中 差, unless a pack says otherwise
OVER_ACTIONS = ("flag", "explain", "deduct")
NA_MODES = ("rescale", "redistribute")
SHARES = ("equal", "by_level2")
DENOMINATORS = ("budget", "initial_budget", "adjusted_budget")
CHECKPOINTS = ("last", "interpolate")
# What `evalengine review` (绩效目标审核) checks: one code a check. `evalengine.review.checks` registers
# one function under each code and refuses, when it is imported, a code this list lacks or leaves out.
REVIEW_CHECKS: Mapping[str, str] = {
    "funds-unbalanced": "error",
    "plan-invalid": "error",
    "missing-level1": "error",
    "level1-unknown": "error",
    "level2-mismatch": "warning",
    "not-quantified": "warning",
    "qualitative-unrecognised": "notice",
    "placeholder": "error",
    "unreadable": "error",
    "rate-over-100": "error",
    "satisfaction-range": "warning",
    "direction-suspect": "warning",
    "cost-lower-bound": "notice",
    "unit-mismatch": "warning",
    "deadline-outside": "error",
    "cost-over-budget": "error",
    "duplicate-indicator": "error",
    "empty-description": "notice",
    "empty-basis": "notice",
}
REVIEW_SEVERITIES = ("error", "warning", "notice", "off")
PREDICATE_KINDS = ("comparison", "range", "deadline", "trend", "qualitative", "reference")
NOT_100 = ("rescale", "sum", "refuse")

Kind = Literal[
    "text",  # any text
    "number",  # a number ≥ 0
    "percent",  # 80% (the % sign required), read as the fraction 0.8
    "choice",  # one of `choices`
    "places",  # a whole number of decimal places, 0-6
    "rounding",  # {places, mode}, as rounding: itself
    "words",  # a non-empty list of words
    "level1",  # a mapping of level-1 names to weights
    "tiers",  # 达成 / 部分达成 / 未达成, each {band, default}
    "grades",  # grade name -> band of total points, covering [0, 100]
    "bands",  # deviation bands: a list of {miss, points}
    "caps",  # a list of {execution_rate, max_total}
    "vocabulary",  # additions to the target language
    "examples",  # the pack's own scoring cases
    "names",  # a non-empty list of words, in order
    "severities",  # review check code -> error / warning / notice / off
    "tree",  # level-1 name -> the level-2 names it may hold
    "interval",  # a band of percentages such as "[80%, 100%]"
    "kinds",  # a list of target kinds (comparison, range, deadline …)
]


@dataclass(frozen=True)
class Key:
    """A leaf key: what kind of value it takes, and what it means."""

    kind: Kind
    doc: str
    choices: tuple[str, ...] = ()
    required: bool = True
    default: Any = None  # the value, already read, when an optional key is absent


@dataclass(frozen=True)
class Section:
    """A mapping of keys."""

    doc: str
    keys: Mapping[str, Key | Section] = field(default_factory=dict)


def _tier(doc: str) -> Key:
    return Key("choice", doc, TIERS)


SCHEMA = Section(
    "a rule pack (评分规则)",
    {
        "title": Key("text", "the pack's title, shown in every report"),
        "source": Key("text", "where its rules come from: a document, a notice, a section of docs/"),
        "extends": Key("text", "a built-in pack name or a path whose keys this pack inherits", required=False),
        "weights": Section(
            "how the 100 points are split",
            {
                "execution": Key("number", "points for the execution rate (预算执行率)"),
                "level1": Key("level1", "points for each level-1 indicator (产出指标: 50 …)"),
                "share": Key("choice", "how a level-1 weight is shared by its indicators", SHARES),
                "not_100": Key(
                    "choice",
                    "a table whose own weights do not sum to 100 (a weights-not-100 finding): rescale the total"
                    " to 100, sum the scores as printed (at most 100), or refuse the project",
                    NOT_100,
                    False,
                    "rescale",
                ),
            },
        ),
        "methods": Section(
            "how a shortfall is scored",
            {
                "forward": Key("choice", "≥ / > targets: ratio, binary or bands", METHODS["forward"]),
                "reverse": Key("choice", "≤ / < targets: ratio, linear, binary or bands", METHODS["reverse"]),
                "equality": Key("choice", "= targets: like forward, or binary", METHODS["equality"]),
                "range": Key("choice", "range targets outside their range: ratio or binary", METHODS["range"]),
                "tolerance": Key(
                    "choice",
                    "±5% targets outside the tolerance: ratio (tolerance ÷ |deviation| × weight) or binary",
                    METHODS["tolerance"],
                    False,
                    "ratio",
                ),
                "graded": Section(
                    "graded targets (95%/90%/85%/80%（优/良/中/差）): the share of the weight each grade earns",
                    {
                        grade: Key("percent", f"the share earned by reaching {grade}", required=False, default=share)
                        for grade, share in zip(GRADES, GRADE_SHARES, strict=True)
                    },
                ),
                "bands": Key(
                    "bands", "deviation bands for the bands method (按偏离度分档)", required=False, default=()
                ),
                "deadline": Section(
                    "deadlines (12月底前)",
                    {
                        "late": _tier("the tier of work completed after its deadline"),
                        "missed": _tier("the tier of work not completed"),
                    },
                ),
                "trend": Section(
                    "trends (持续提高, 保持稳定)",
                    {
                        "equal": _tier("持续提高 / 逐年下降 with the actual equal to the baseline"),
                        "stable": Section(
                            "保持稳定: how far from the baseline each tier reaches",
                            {
                                "达成": Key("percent", "drift from the baseline still 达成"),
                                "部分达成": Key("percent", "drift from the baseline still 部分达成"),
                            },
                        ),
                    },
                ),
            },
        ),
        "tiers": Key("tiers", "qualitative tiers: bands and default points as shares of the weight"),
        "over_achievement": Section(
            "results far above a forward target (超目标)",
            {
                "threshold": Key("percent", "actual ≥ this share of the target is over-achievement", required=False),
                "action": Key("choice", "what follows: explain, flag or deduct", OVER_ACTIONS, False, "explain"),
                "deduct": Key("number", "points deducted with action: deduct", required=False, default=Decimal(0)),
            },
        ),
        "not_applicable": Key("choice", "不适用 rows: rescale the total, or redistribute the weight", NA_MODES),
        "execution": Section(
            "the execution rate (预算执行率)",
            {
                "denominator": Key("choice", "which budget the rate divides by", DENOMINATORS),
                "cap": Key("percent", "the rate counts up to this share"),
                "explain_below": Key("percent", "a rate below this must be explained", required=False),
            },
        ),
        "caps": Key("caps", "caps on the total by execution rate", required=False, default=()),
        "grades": Key("grades", "grade bands of the total (优 良 中 差)"),
        "rounding": Section(
            "rounding of the indicator scores (and of the execution score and the total, unless set apart)",
            {
                "places": Key("places", "decimal places of every score"),
                "mode": Key("choice", "half_up, half_even or down", tuple(ROUNDING_MODES)),
                "execution": Key(
                    "rounding", "{places, mode} of the execution score, when not as above", required=False
                ),
                "total": Key("rounding", "{places, mode} of the total, when not as above", required=False),
            },
        ),
        "satisfaction": Section(
            "satisfaction surveys",
            {"satisfied": Key("words", "answers counted as satisfied (满意, 较满意 …)")},
        ),
        "vocabulary": Key("vocabulary", "additions to the target language", required=False),
        "monitoring": Section(
            "in-year monitoring (evalengine monitor)",
            {
                "checkpoint": Key(
                    "choice", "planned spending: the last checkpoint passed, or interpolate", CHECKPOINTS
                ),
                "lights": Section(
                    "progress as a share of plan",
                    {
                        "red": Key("percent", "below this: 红"),
                        "yellow": Key("percent", "below this: 黄, else 绿"),
                        "blue": Key("percent", "a forward indicator this far ahead: 蓝"),
                    },
                ),
                "cumulative": Key("words", "units that accumulate through the year: targets in them are pro-rated"),
            },
        ),
        "review": Section(
            "target review before the year starts (绩效目标审核, evalengine review); every key has a default",
            {
                "checks": Key(
                    "severities",
                    "each check's severity: error, warning, notice, or off (not run); unnamed checks keep theirs",
                    REVIEW_SEVERITIES,
                    False,
                    dict(REVIEW_CHECKS),
                ),
                "required_level1": Key(
                    "names",
                    "the level-1 indicators every project must have (missing-level1)",
                    (),
                    False,
                    ("产出指标", "效益指标", "满意度指标"),
                ),
                "level2": Key(
                    "tree",
                    "the level-2 names each level 1 may hold (level2-mismatch)",
                    (),
                    False,
                    (
                        ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
                        ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
                        ("满意度指标", ("服务对象满意度指标",)),
                        ("成本指标", ("经济成本指标", "社会成本指标", "生态环境成本指标")),
                    ),
                ),
                "quantified": Key(
                    "kinds",
                    "which target kinds count as quantified (定量)",
                    PREDICATE_KINDS,
                    required=False,
                    default=frozenset(("comparison", "range", "deadline")),
                ),
                "quantified_share": Key(
                    "percent",
                    "a project needs at least this share of quantified indicators",
                    required=False,
                    default=Decimal("0.5"),
                ),
                "satisfaction": Key(
                    "interval",
                    "the range a satisfaction target must lie in (satisfaction-range)",
                    (),
                    False,
                    (Decimal("0.8"), Decimal(1)),
                ),
                "satisfaction_words": Key(
                    "names",
                    "a level 1 or indicator name holding one of these is about satisfaction",
                    (),
                    False,
                    ("满意",),
                ),
                "rate_words": Key(
                    "names", "a name or description holding one of these is a rate (rate-over-100)", (), False, ("率",)
                ),
                "placeholders": Key(
                    "names",
                    "text left as a placeholder (placeholder); symbols count in targets, or as a whole cell",
                    (),
                    False,
                    ("*", "**", "×", "XX", "待定"),
                ),
                "lower_is_better": Key(
                    "names",
                    "names that say lower is better (direction-suspect)",
                    (),
                    False,
                    ("故障率", "投诉率", "发生率", "差错率", "事故", "超支"),
                ),
                "higher_is_better": Key(
                    "names",
                    "names that say higher is better (direction-suspect)",
                    (),
                    False,
                    (
                        "满意度",
                        "满意率",
                        "覆盖率",
                        "合格率",
                        "完成率",
                        "及时率",
                        "达标率",
                        "知晓率",
                        "发放率",
                        "到位率",
                    ),
                ),
                "cost_words": Key(
                    "names", "a level 1 or level 2 holding one of these is a cost indicator", (), False, ("成本",)
                ),
                "per_unit": Key(
                    "names",
                    "a cost indicator named with one of these is a per-unit standard, not a total",
                    (),
                    False,
                    ("人均", "户均", "单价", "单位", "标准", "每"),
                ),
            },
        ),
        "examples": Key(
            "examples", "the pack's own scoring cases, run by evalengine check", required=False, default=()
        ),
    },
)


def walk(section: Section = SCHEMA, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Key | Section]]:
    """Every key and section of the schema with its path, depth first, in the schema's order."""
    for name, node in section.keys.items():
        here = (*path, name)
        yield here, node
        if isinstance(node, Section):
            yield from walk(node, here)


def reference() -> str:
    """The key reference as Markdown (docs/pack-keys.md is this text)."""
    lines = [
        "# Rule pack keys",
        "",
        "Every key a rule pack may have, generated from `evalengine/packs/schema.py` (the table",
        "validation reads). Regenerate with `python -m evalengine.packs.schema > docs/pack-keys.md`.",
        "",
        "| key | value | required | meaning |",
        "|---|---|---|---|",
    ]
    for path, node in walk():
        name = ".".join(path)
        if isinstance(node, Section):
            lines.append(f"| `{name}` | section | | {node.doc} |")
            continue
        value = " / ".join(node.choices) if node.choices else node.kind
        required = "yes" if node.required else "no"
        lines.append(f"| `{name}` | {value} | {required} | {node.doc} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
