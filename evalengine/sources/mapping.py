"""Mapping files: how a province's (or a vendor's) table is laid out, declared in YAML.

A mapping names the sheets to read, the header row (by an anchor text), the aliases of each column,
the labelled cells above the table (项目名称 …, 年度资金总额 × 全年预算数), placeholders and the columns
filled down. `import`, `init --mapping` and `score` read and write tables through one. A mapping is
validated completely when loaded, like a rule pack: every unknown key (with "did you mean"), wrong kind
of value or missing column is an error naming the file, line and key. `python -m
evalengine.sources.mapping` prints the key reference (docs/mapping-keys.md is that output).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from evalengine.errors import ErrorGroup, EvalEngineError, InputError, KeyPath, Location
from evalengine.i18n import N_, _
from evalengine.resources import data_dir
from evalengine.sources.documents import Document, load_yaml
from evalengine.text import did_you_mean, nfkc, unknown_key

# The fields of a project, read from labelled cells above its table or from columns of a flat list.
PROJECT_FIELDS: dict[str, str] = {
    "code": "项目编码",
    "project": "项目名称",
    "department": "主管部门 (a leading code such as [216001] or 216001 is the department's code)",
    "budget": "预算数 / 年度资金总额 (万元 unless `unit:` says otherwise)",
    "fiscal": "其中：财政资金 / 财政拨款",
    "other": "其他资金",
    "purpose": "资金用途",
    "goals": "绩效目标 / 年度总体目标 (numbered lines 1.… 2.… are separate goals)",
    "spending_plan": "资金支出计划: checkpoints to the right of the label and shares under them, or 3月底:30%；…",
    "spent": "全年执行数 (a filled 自评表)",
    "summary": "年度总体目标 实际完成情况 (a filled 自评表)",
    "execution_explanation": "执行情况说明 / the execution row's 偏差原因 (a filled 自评表)",
    "initial_budget": "年初预算数 (a filled 自评表's 资金 row)",
    "execution_weight": "the 资金 row's 分值 (a filled 自评表, for audit)",
    "execution_rate": "the 资金 row's 执行率 (a filled 自评表, for audit)",
    "execution_score": "the 资金 row's 得分 (a filled 自评表, for audit)",
}


# The fields of an indicator row, read from the table's columns.
ROW_FIELDS: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "description": "绩效指标描述 / 指标解释",
    "target": "指标值 as one cell (≥95%)",
    "operator": "指标性质 / 计算符号 of a target printed in three cells (≥); 正向 / 反向 here read as direction",
    "value": "指标值 of a target printed in three cells (95)",
    "unit": "度量单位 / 计量单位 of a target printed in three cells (%)",
    "direction": "指标方向: 正向 / 反向 (forward / reverse)",
    "adjusted_target": "调整后指标值: when filled, the target scored (the original is named in a note)",
    "basis": "指标值确定依据",
    "weight": "分值 / 权重",
    "actual": "实际完成值 (a filled 自评表)",
    "score": "得分 (a filled 自评表; evalengine computes its own and shows both in the report)",
    "explanation": "偏差原因分析及改进措施 (a filled 自评表)",
    "evidence": "佐证材料 (a filled 自评表)",
}


LABEL_VALUES = ("right", "below", "last")


PLACEHOLDERS = ("—", "——", "-", "－", "/", "*", "\\", "无", "N/A", "n/a")


# Every key of a mapping file: (kind, default, meaning). Validation walks this table, and the
# reference in docs/mapping-keys.md is written from it.
KEYS: dict[str, tuple[str, Any, str]] = {
    "title": ("text", None, N_("What the layout is, as `mappings list` shows it (required).")),
    "source": ("text", "", "Where the layout comes from: the notice, the province, the system that exports it."),
    "sheets": (
        "patterns",
        ["*"],
        "Sheet names to read (shell patterns such as `*绩效*`); other sheets are named in a note.",
    ),
    "skip_sheets": ("patterns", ["设置", "说明", "填表说明"], "Sheet names never read."),
    "header": (
        "header",
        None,
        N_("`anchor:` the texts any one of which marks the header row; `rows:` how many rows the header takes (1-3)."),
    ),
    "columns": (
        "columns",
        None,
        N_("Field: the header texts naming its column (aliases, the first is written by `init`)."),
    ),
    "labels": ("labels", {}, "Project field: the labels of the cell above the table holding it (see README)."),
    "placeholders": ("words", list(PLACEHOLDERS), "Cell texts that mean empty."),
    "fill_down": (
        "fields",
        ["level1", "level2"],
        "Columns whose empty cell repeats the value above (merged cells are always filled).",
    ),
    "stop": (
        "words",
        ["总分", "合计", "总计"],
        "A row whose first text is one of these ends the indicator table (a note says so).",
    ),
    "unit": ("text", "万元", "The money unit of the workbook's amounts."),
}


HEADER_KEYS = ("anchor", "rows")


LabelKind = Literal["right", "below", "last", "grid"]


@dataclass(frozen=True)
class Label:
    """Where a project field stands: beside a label (right, below, last on its row) or at a row × column."""

    kind: LabelKind
    labels: tuple[str, ...]  # normalised texts; for grid: the row labels
    columns: tuple[str, ...] = ()  # grid only: the column labels


@dataclass(frozen=True)
class Mapping:
    """A validated mapping file."""

    name: str
    file: str
    title: str
    source: str
    sheets: tuple[str, ...]
    skip_sheets: tuple[str, ...]
    anchors: tuple[str, ...]
    header_rows: int
    columns: dict[str, tuple[str, ...]]  # field -> normalised aliases, in the order written
    labels: dict[str, Label]
    placeholders: frozenset[str]
    fill_down: tuple[str, ...]
    stop: frozenset[str]
    unit: str
    written: dict[str, str] = field(default_factory=dict)  # field -> the alias as written first (for init)


def norm(text: str) -> str:
    """A header or label as compared: NFKC, without any whitespace (headers wrap: 指标值确定\\n依据)."""
    return re.sub(r"\s+", "", nfkc(text))


def mappings_dir() -> Path:
    return data_dir("mappings")


def builtin_mappings() -> list[str]:
    """The built-in mapping names, sorted."""
    return sorted(p.stem for p in mappings_dir().glob("*.yaml"))


def resolve_mapping(name: str, base: Path | None = None) -> Path:
    """A built-in mapping's name or a path (relative to `base`, default the working folder)."""
    if name in builtin_mappings():
        return mappings_dir() / f"{name}.yaml"
    path = Path(name)
    if not path.is_absolute() and base is not None:
        path = base / path
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        return path
    raise InputError(
        _("no mapping {name!r}{suggestion}", name=name, suggestion=did_you_mean(name, builtin_mappings())),
        Location(name),
        hint=_("a built-in mapping ({names}) or the path of a .yaml mapping file", names=", ".join(builtin_mappings())),
    )


@cache
def _load_cached(path: Path) -> Mapping:
    return validate(load_yaml(path), path.stem)


def load_mapping(name_or_path: str | Path, base: Path | None = None) -> Mapping:
    """A mapping by built-in name or path, validated: every error in it raised together."""
    path = name_or_path if isinstance(name_or_path, Path) else resolve_mapping(name_or_path, base)
    return _load_cached(path.resolve())


class _Errors:
    def __init__(self, doc: Document):
        self.doc = doc
        self.errors: list[EvalEngineError] = []

    def add(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        self.errors.append(InputError(message, self.doc.where(path), hint))

    def texts(self, path: KeyPath, value: Any, what: str) -> tuple[str, ...] | None:
        """A text or a non-empty list of texts."""
        if isinstance(value, str) and value.strip():
            return (value,)
        if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(value)
        self.add(path, _("expected {what}: a text or a list of texts, found {found}", what=what, found=_show(value)))
        return None


def _show(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list") if value else _("an empty list")
    return repr(value)


def validate(doc: Document, name: str) -> Mapping:
    """The mapping in `doc`, or every problem in it at once (an ErrorGroup, or the one error)."""
    e = _Errors(doc)
    data = doc.data
    if not isinstance(data, dict):
        raise InputError(_("a mapping file is a YAML mapping (title:, header:, columns: …)"), Location(doc.file, 1))
    for key in data:
        if key not in KEYS:
            e.add((key,), *unknown_key(key, KEYS))
    for key, (_kind, default, meaning) in KEYS.items():
        if default is None and data.get(key) is None:
            e.add((key,) if key in data else (), _("{key}: required", key=key), _(meaning))
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        e.add(("title",), _("title: expected text, found {found}", found=_show(title)))
    source = data.get("source", "")
    if not isinstance(source, str):
        e.add(("source",), _("source: expected text, found {found}", found=_show(source)))
        source = ""
    unit = data.get("unit", "万元")
    if unit not in ("万元", "元"):
        e.add(
            ("unit",),
            _(
                "unit: expected 万元 or 元, found {found}{suggestion}",
                found=_show(unit),
                suggestion=did_you_mean(str(unit), ("万元", "元")),
            ),
        )
    sheets = e.texts(("sheets",), data.get("sheets", KEYS["sheets"][1]), _("sheet name patterns")) or ("*",)
    skip = e.texts(("skip_sheets",), data.get("skip_sheets", KEYS["skip_sheets"][1]), _("sheet name patterns")) or ()
    placeholders = e.texts(("placeholders",), data.get("placeholders", list(PLACEHOLDERS)), _("placeholders")) or ()
    stop = e.texts(("stop",), data.get("stop", KEYS["stop"][1]), _("texts")) or ()
    columns, written = _columns(e, data.get("columns"))
    labels = _labels(e, data.get("labels") or {}, written)
    fill: tuple[str, ...] = tuple(f for f in KEYS["fill_down"][1] if f in columns)  # the default: where mapped
    if "fill_down" in data:
        fill = e.texts(("fill_down",), data["fill_down"], _("fields")) or ()
    for n, f in enumerate(fill if "fill_down" in data else ()):
        if f not in columns:
            e.add(("fill_down", n) if isinstance(data.get("fill_down"), list) else ("fill_down",),
                  _("fill_down: {field!r} is not one of this mapping's columns{suggestion}", field=f,
                    suggestion=did_you_mean(f, columns)))  # fmt: skip
    anchors, rows = _header(e, data.get("header"), columns)
    if e.errors:
        raise e.errors[0] if len(e.errors) == 1 else ErrorGroup(e.errors)
    return Mapping(
        name,
        doc.file,
        str(title),
        source,
        tuple(sheets),
        tuple(skip),
        anchors,
        rows,
        columns,
        labels,
        frozenset(norm(p) for p in placeholders) | {""},
        tuple(fill),
        frozenset(norm(s) for s in stop),
        str(unit),
        written,
    )


def _columns(e: _Errors, value: Any) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    columns: dict[str, tuple[str, ...]] = {}
    written: dict[str, str] = {}
    if value is None:
        return columns, written
    if not isinstance(value, dict):
        e.add(("columns",), _("columns: expected field: [header texts] lines, found {found}", found=_show(value)))
        return columns, written
    allowed = {**ROW_FIELDS, **PROJECT_FIELDS}
    for key, aliases in value.items():
        if key not in allowed:
            e.add(
                ("columns", key),
                _("unknown field {key!r}{suggestion}", key=key, suggestion=did_you_mean(key, allowed)),
                _("the fields: {fields}", fields=", ".join(allowed)),
            )
            continue
        texts = e.texts(("columns", key), aliases, _("the header texts of {key}", key=key))
        if texts:
            columns[key] = tuple(norm(t) for t in texts)
            written[key] = texts[0]
    if value and not e.errors:
        if "name" not in columns:
            e.add(("columns",), _("columns: the name column (三级指标) is required"))
        if "target" not in columns and "value" not in columns and "actual" not in columns:
            e.add(("columns",), _("columns: a target column (指标值), or the value of a split target, is required"))
    seen: dict[str, str] = {}
    for key, aliases in columns.items():
        for alias in aliases:
            if alias in seen:
                e.add(
                    ("columns", key),
                    _("header {alias!r} names both {first} and {key}", alias=alias, first=seen[alias], key=key),
                )
            seen.setdefault(alias, key)
    return columns, written


def _labels(e: _Errors, value: Any, written: dict[str, str]) -> dict[str, Label]:
    labels: dict[str, Label] = {}
    if not isinstance(value, dict):
        e.add(("labels",), _("labels: expected field: [label texts] lines, found {found}", found=_show(value)))
        return labels
    for key, spec in value.items():
        at: KeyPath = ("labels", key)
        if key not in PROJECT_FIELDS:
            e.add(at, _("unknown project field {key!r}{suggestion}", key=key,
                        suggestion=did_you_mean(key, PROJECT_FIELDS)),
                  _("the project fields: {fields}", fields=", ".join(PROJECT_FIELDS)))  # fmt: skip
            continue
        if isinstance(spec, dict):
            allowed = ("row", "column") if "row" in spec or "column" in spec else ("labels", "value")
            bad = [k for k in spec if k not in allowed]
            for k in bad:
                e.add((*at, k), *unknown_key(k, allowed))
            if bad:
                continue
            if allowed == ("row", "column"):
                rows = e.texts((*at, "row"), spec.get("row"), _("the row's labels"))
                cols = e.texts((*at, "column"), spec.get("column"), _("the column's labels"))
                if rows and cols:
                    labels[key] = Label("grid", tuple(norm(t) for t in rows), tuple(norm(t) for t in cols))
                    written.setdefault(f"label:{key}", f"{rows[0]}|{cols[0]}")
                continue
            texts = e.texts((*at, "labels"), spec.get("labels"), _("labels"))
            kind = spec.get("value", "right")
            if kind not in LABEL_VALUES:
                e.add((*at, "value"), _("value: expected one of {choices}, found {found}{suggestion}",
                      choices=", ".join(LABEL_VALUES), found=_show(kind),
                      suggestion=did_you_mean(str(kind), LABEL_VALUES)))  # fmt: skip
                continue
            if texts:
                labels[key] = Label(kind, tuple(norm(t) for t in texts))
                written.setdefault(f"label:{key}", texts[0])
            continue
        texts = e.texts(at, spec, _("the labels of {key}", key=key))
        if texts:
            labels[key] = Label("right", tuple(norm(t) for t in texts))
            written.setdefault(f"label:{key}", texts[0])
    return labels


def _header(e: _Errors, value: Any, columns: dict[str, tuple[str, ...]]) -> tuple[tuple[str, ...], int]:
    if value is None:
        return (), 1
    if not isinstance(value, dict):
        e.add(("header",), _("header: expected {{anchor: 一级指标, rows: 1}}, found {found}", found=_show(value)))
        return (), 1
    for k in value:
        if k not in HEADER_KEYS:
            e.add(("header", k), *unknown_key(k, HEADER_KEYS))
    anchors = e.texts(("header", "anchor"), value.get("anchor"), _("the anchor texts of the header row")) or ()
    known = {a for aliases in columns.values() for a in aliases}
    for n, anchor in enumerate(anchors):
        if norm(anchor) not in known:
            at: KeyPath = ("header", "anchor", n) if isinstance(value.get("anchor"), list) else ("header", "anchor")
            e.add(
                at,
                _(
                    "anchor {anchor!r} is none of the columns' header texts{suggestion}",
                    anchor=anchor,
                    suggestion=did_you_mean(norm(anchor), known),
                ),
            )
    rows = value.get("rows", "1")
    if str(rows) not in ("1", "2", "3"):
        e.add(("header", "rows"), _("rows: expected 1, 2 or 3, found {found}", found=_show(rows)))
        rows = "1"
    return tuple(norm(a) for a in anchors), int(str(rows))


def reference() -> str:
    """docs/mapping-keys.md: every key of a mapping file and every field, from the tables above."""
    out = [
        "# Mapping keys",
        "",
        "Generated by `python -m evalengine.sources.mapping > docs/mapping-keys.md`; do not edit.",
        "",
        "| key | default | meaning |",
        "|---|---|---|",
    ]
    for key, (_kind, default, doc) in KEYS.items():
        shown = "required" if default is None else f"`{default}`"
        out.append(f"| `{key}` | {shown} | {doc} |")
    out += ["", "## Indicator fields (`columns:`)", "", "| field | what it holds |", "|---|---|"]
    out += [f"| `{k}` | {v} |" for k, v in ROW_FIELDS.items()]
    out += [
        "",
        "## Project fields (`labels:`, or `columns:` of a flat list)",
        "",
        "| field | what it holds |",
        "|---|---|",
    ]
    out += [f"| `{k}` | {v} |" for k, v in PROJECT_FIELDS.items()]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
