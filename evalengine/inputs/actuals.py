"""The actuals file (the year's results), resolved into a Job: its pack, its targets, its actuals.

Everything is validated before anything is scored, and every error found is reported together,
each with its file, line and key path. Money is in 万元 unless a unit is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import Any

from evalengine.errors import InputError, KeyPath, Location
from evalengine.i18n import _
from evalengine.inputs.collect import Collector, cap, money, need_mapping, need_year, plain_amount
from evalengine.inputs.observations import observation, outlook, plain_survey
from evalengine.inputs.targets import (
    TargetsFile,
    load_targets,
    place,
)
from evalengine.language.parser import parse_actual
from evalengine.language.predicates import Predicate
from evalengine.limits import MAX_PACK_BYTES, MAX_PROJECTS, MAX_TEXT_BYTES
from evalengine.model import Execution, Observation, Project, ProjectActuals, made, made_plainly
from evalengine.numbers import HUNDRED, to_decimal
from evalengine.packs.load import load_pack, resolve
from evalengine.packs.model import Pack
from evalengine.sources.dispatch import read_document
from evalengine.sources.documents import Document, open_regular
from evalengine.text import did_you_mean, nfkc, nfkc_unique

ACTUALS_KEYS = ("targets", "rules", "year", "projects", "signoff")


ACTUAL_PROJECT_KEYS = ("code", "name", "execution", "indicators", "summary", "narrative", "signoff")


# The 自评报告's text in the evaluator's own words (项目概况 beyond the targets, 自评工作开展情况, 存在的问题及原因,
# 有关建议) and the sign-off under the 自评表 (填报人, 联系电话, 填报日期, 单位负责人): optional, shown as written.
NARRATIVE_KEYS = ("overview", "work", "problems", "suggestions")


SIGNOFF_KEYS = ("preparer", "phone", "date", "head")


EXECUTION_KEYS = ("spent", "budget", "initial_budget", "adjusted_budget", "rate", "explanation", "cause", "outlook")


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
    where: Mapping[tuple[str, str], Location] = field(default_factory=dict)  # (code, indicator or "") -> entry
    narratives: dict[str, dict[str, str]] = field(default_factory=dict)  # 自评报告 text, by project code
    signoffs: dict[str, dict[str, str]] = field(default_factory=dict)  # the file's signoff: under each project's


def load_job(
    path: Path,
    rules: str | None = None,
    encoding: str | None = None,
    doc: Document | None = None,
    targets_override: str | None = None,
) -> Job:
    """Read an actuals file (YAML, JSON, or a filled Excel form) and everything it names: the pack and
    the targets (`targets_override` replaces the file's, relative to the working folder). All errors together."""
    doc = doc or read_document(path, encoding)
    c = Collector(doc)
    data = need_mapping(c, doc.data, (), _("an actuals file (targets:, year:, projects:)"))
    c.keys((), data, ACTUALS_KEYS)
    base = path.parent
    pack_ref = rules or data.get("rules") or "mof-2020"
    # a path on the command line is relative to the working folder; a path inside the file, to the file's folder
    pack = load_pack(str(pack_ref)) if rules else _pack(c, str(pack_ref), base)
    targets_ref = targets_override or data.get("targets")
    if not isinstance(targets_ref, str) or not targets_ref.strip():
        raise InputError(
            _("targets: name the targets file (绩效目标表), e.g. targets: targets.yaml (or --targets)"),
            c.where(("targets",)),
        )
    targets_path = Path(targets_ref) if targets_override else base / targets_ref
    if not targets_path.is_file():  # say why: missing, a device, a folder
        try:
            open_regular(targets_path, MAX_TEXT_BYTES, None if targets_override else c.where(("targets",)))
        except InputError as exc:
            if targets_override:
                exc.message = f"--targets: {exc.message}"
                exc.hint = exc.hint or _("the path is relative to the working folder")
            elif exc.message == _("file not found: {path}", path=targets_path):
                exc.message = _("targets file not found: {path}", path=targets_path)
                exc.hint = _("the path is relative to the actuals file")
            raise
    targets = load_targets(targets_path, pack.vocabulary, encoding)
    year = c.attempt(need_year, c, data.get("year"), ("year",))
    if year and targets.year and year != targets.year:
        c.add(
            ("year",),
            _("year {year} differs from the targets file's year {targets_year}", year=year, targets_year=targets.year),
        )
    year = year or targets.year
    if year is None:
        c.add(("year",), _("year: give the budget year (it resolves deadlines such as 12月底前)"))
    signoff = _texts(c, data, (), "signoff", SIGNOFF_KEYS)
    narratives: dict[str, dict[str, str]] = {}
    signoffs: dict[str, dict[str, str]] = {}
    by_code = {p.code: p for p in targets.projects}
    actuals: dict[str, ProjectActuals] = {}
    summaries: dict[str, str] = {}
    where = Places(doc)
    read: Read = {}  # the file's projects repeat the same entries against the same targets
    # the file's projects repeat the same few indicator names: each folded once per file (see _Folded)
    folded = _Folded(_name_key)
    titled = _Folded(nfkc)  # the targets' indicator names, as _actuals matches them
    entries = data.get("projects")
    if not isinstance(entries, list):
        c.add(("projects",), _("projects: expected a list of projects with their actual results"))
        entries = []
    cap(c, entries, ("projects",), MAX_PROJECTS, _("projects"))
    for i, entry in enumerate(entries):
        here: KeyPath = ("projects", i)
        if not isinstance(entry, dict):
            c.add(here, _("expected a project (code:, execution:, indicators:)"))
            continue
        c.keys(here, entry, ACTUAL_PROJECT_KEYS)
        code = nfkc_unique(str(entry.get("code") or "")).strip()  # codes are unique: kept out of nfkc's cache
        project = by_code.get(code)
        if project is None and not code and entry.get("name"):  # a filled table without 项目编码: by 项目名称
            named = nfkc(str(entry["name"])).strip()
            found = [p for p in targets.projects if nfkc(p.name).strip() == named]
            if len(found) != 1:
                titles = [p.name for p in targets.projects]
                c.add(
                    (*here, "name"),
                    _("no project named {name!r}{suggestion}", name=named, suggestion=did_you_mean(named, titles))
                    if not found
                    else _("{n} projects are named {name!r}: give the 项目编码", n=len(found), name=named),
                    _(
                        "the targets file has: {names}",
                        names=", ".join(titles[:12]) + (" …" if len(titles) > 12 else ""),
                    ),
                )
                continue
            project, code = found[0], found[0].code
        if project is None:
            known = list(by_code)
            hint = _("the targets file has: {names}", names=", ".join(known[:12]) + (" …" if len(known) > 12 else ""))
            c.add(
                (*here, "code"),
                _("unknown project code {code!r}{suggestion}", code=code, suggestion=did_you_mean(code, known))
                if code
                else _("missing code: (the project's 项目编码)"),
                hint,
            )
            continue
        if code in where.projects:
            first = where[code, ""]
            at = _("line {line}", line=first.line) if first.line is not None else str(first)
            c.add(
                (*here, "code"),
                _(
                    "project {code} appears twice in this file; first at {at} ({keypath})",
                    code=code,
                    at=at,
                    keypath=first.keypath,
                ),
            )
            continue
        names = entry.get("indicators") or {}
        names = names if isinstance(names, dict) else {}  # anything else is refused by _actuals
        keys = list(map(folded.__getitem__, names))  # each name as the targets' names are matched: once
        where.add(code, here, list(names), keys)
        result = c.attempt(_actuals, c, entry, here, project, pack, keys, read, titled.__getitem__)
        if result is not None:
            actuals[code] = result
            if entry.get("summary"):
                summaries[code] = str(entry["summary"])
            # most entries have neither: _texts gives nothing for a key that is not there, so it is not called
            if "narrative" in entry and (narrative := _texts(c, entry, here, "narrative", NARRATIVE_KEYS)):
                narratives[code] = narrative
            own = _texts(c, entry, here, "signoff", SIGNOFF_KEYS) if "signoff" in entry else {}
            if signoff or own:
                signoffs[code] = {**signoff, **own}
    c.raise_if_any()
    assert year is not None
    missing = [p.code for p in targets.projects if p.code not in actuals]
    for code in missing:
        actuals[code] = ProjectActuals(code, Execution(None), {})
        if signoff:
            signoffs[code] = dict(signoff)
    return Job(path, pack, targets, year, actuals, summaries, missing, where, narratives, signoffs)


def _texts(c: Collector, parent: dict[str, Any], at: KeyPath, name: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """The mapping of short texts parent[name] (narrative:, signoff:), each scalar as written; empty when absent."""
    value = parent.get(name)
    path: KeyPath = (*at, name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        c.add(path, _("{name}: expected a mapping with any of {keys}", name=name, keys=", ".join(allowed)))
        return {}
    c.keys(path, value, allowed)
    out: dict[str, str] = {}
    for key in allowed:
        text = value.get(key)
        if isinstance(text, (dict, list)):
            c.add(
                (*path, key),
                _("{key}: expected text, found a mapping", key=key)
                if isinstance(text, dict)
                else _("{key}: expected text, found a list", key=key),
            )
        elif text is not None and str(text).strip():
            out[key] = str(text).strip()
    return out


def _history(c: Collector, items: list[Any], path: KeyPath) -> tuple[tuple[date, Decimal], ...]:
    """spent: [{date: 2024-03-31, amount: 1.2}, …] — cumulative amounts (万元) by date, in order."""
    out: list[tuple[date, Decimal]] = []
    for i, item in enumerate(items):
        here = (*path, i)
        if not isinstance(item, dict) or set(item) != {"date", "amount"}:
            raise InputError(_("expected {example}", example="{date: 2024-06-30, amount: 2.5}"), c.where(here))
        when = parse_actual(str(item["date"]), location=c.where((*here, "date")))
        if not isinstance(when, date):
            raise InputError(
                _("date: expected a date such as 2024-06-30, found {date!r}", date=item["date"]), c.where(here)
            )
        amount = money(item["amount"], c.where((*here, "amount")), "amount")
        if out and (when <= out[-1][0] or amount < out[-1][1]):
            raise InputError(_("cumulative amounts must come in date order and never fall"), c.where(here))
        out.append((when, amount))
    if not out:
        raise InputError(_("spent: the list of dated amounts is empty"), c.where(path))
    return tuple(out)


def _rate(value: Any, where: Location) -> Decimal:
    """执行率 as printed (76%, 76.5％), as a fraction."""
    text = nfkc(str(value)).strip() if not isinstance(value, (bool, dict, list)) else ""
    try:
        if not text.endswith("%"):
            raise ValueError
        rate = to_decimal(text[:-1]) / HUNDRED
    except ValueError:
        raise InputError(_("rate: expected a percentage such as 76%, found {value!r}", value=value), where) from None
    if rate < 0:
        raise InputError(_("rate: an execution rate cannot be negative, found {value!r}", value=value), where)
    return rate


def _pack(c: Collector, ref: str, base: Path) -> Pack:
    try:
        path = resolve(ref, base)
        if not path.is_file():  # missing, a folder or a device: said at the rules: line of this file
            open_regular(path, MAX_PACK_BYTES, c.where(("rules",)))
        return load_pack(path)
    except InputError as exc:
        if exc.location is None:
            exc.location = c.where(("rules",))
        raise


# An entry read without a word to say (no error, no warning: a warning names the entry's place), by its
# text and the target it was read for: the same text read again for the same target gives the same.
# The target is held beside its Observation, so its id is not reused while the file is read.
Read = dict[tuple[Any, int], tuple[Predicate, Observation]]


_NAME = attrgetter("name")


# Execution and ProjectActuals hold nothing an __init__ would check or work out: model.made may fill them
# (tests/test_fast_actuals.py checks that what it makes is what the constructors make, field for field)
made_plainly(Execution, tuple(f.name for f in fields(Execution)))
made_plainly(ProjectActuals, tuple(f.name for f in fields(ProjectActuals)))


def _name_key(name: str) -> str:
    """An indicator's name as an actuals entry names it: NFKC, stripped (as the targets' names are matched)."""
    return nfkc(name).strip()


class _Folded(dict[str, str]):
    """Names by what `fold` makes of them, each worked out the first time it is met (__missing__): a file's
    projects repeat the same few names, and __getitem__, mapped from C, costs no Python call per name where
    nfkc's lru_cache cost one. Kept for one file only (nfkc's cache is bounded; this need not be)."""

    def __init__(self, fold: Callable[[str], str]):
        super().__init__()
        self.fold = fold

    def __missing__(self, name: str) -> str:
        folded = self[name] = self.fold(name)
        return folded


class Places(Mapping[tuple[str, str], Location]):
    """Job.where: the place of each project's entry, (code, ""), and of each of its indicator entries,
    (code, name folded as _name_key folds it), in the order a dict filled entry by entry would hold them (a
    name repeated after folding keeps its first place in the order and names its last entry).

    A project's place and an indicator entry's are made only when asked for (a project given twice, a
    scoring error names it), from the project's key path and the entry's names: one Location (with its key
    path) made and kept for each of a file's tens of thousands of entries cost more than reading most of
    them, and nearly all are never asked for (a project's alone cost two calls and ~4,400 instructions). A
    JSON document has no lines to look up: only its file name is kept, not the data it was read into.
    tests/test_fast_actuals.py compares it with the dict it stands for."""

    def __init__(self, doc: Document):
        self.doc = doc if doc.marks or doc.cells else Document(None, doc.file)
        # code -> the project's entry: its key path, made a place when asked for (project), or its place
        self.projects: dict[str, KeyPath | Location] = {}
        self.entries: dict[str, tuple[KeyPath, list[Any], list[str]]] = {}  # code -> (place, names, folded)

    def add(self, code: str, here: KeyPath, names: list[Any], keys: list[str]) -> None:
        """Project `code` read at `here`, its indicators' names as written and as folded, in order."""
        self.projects[code] = here
        self.entries[code] = (here, names, keys)
        if "" in keys:  # an indicator named "" (or only spaces) stands at the project's own key
            self.projects[code] = self._entry(here, names, keys, "")

    def project(self, code: str) -> Location | None:
        """The place of project `code`'s entry (None for a code not read)."""
        found = self.projects.get(code)
        return place(self.doc, found) if isinstance(found, tuple) else found

    def _entry(self, here: KeyPath, names: list[Any], keys: list[str], key: str) -> Location:
        last = len(keys) - 1 - keys[::-1].index(key)  # the last entry of the name
        return self.doc.where((*here, "indicators", names[last]))

    def get(self, key: tuple[str, str], default: Any = None) -> Any:
        code, name = key
        if not name:
            found = self.project(code)
            return default if found is None else found
        read = self.entries.get(code)
        if read is None or name not in read[2]:
            return default
        return self._entry(*read, name)

    def __getitem__(self, key: tuple[str, str]) -> Location:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self.get(key) is not None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for code, entry in self.entries.items():
            keys = entry[2]
            yield (code, "")
            yield from ((code, key) for key in dict.fromkeys(keys) if key)

    def __len__(self) -> int:
        return sum(1 + len(set(entry[2]) - {""}) for entry in self.entries.values())

    def __repr__(self) -> str:
        return repr(dict(self.items()))


def _entry_key(value: Any) -> Any:
    """An entry as a key when it is text, or a mapping of text (one level of mappings of text within, as
    survey: is), so that equal keys are equal entries; else None."""
    if type(value) is str:
        return value
    if type(value) is not dict:
        return None
    flat = tuple(value.items())
    for key, item in flat:  # the usual entry, {value: 96%, explanation: …}: text by text, its own key
        if type(key) is not str or type(item) is not str:
            break
    else:
        return (flat,)  # what the loop below makes of it, without a pair made again for each item
    items: list[tuple[str, Any]] = []
    for key, item in value.items():
        if type(key) is not str:
            return None
        if type(item) is dict:
            inner = tuple(item.items())
            for k, v in inner:
                if type(k) is not str or type(v) is not str:
                    return None
            items.append((key, (inner,)))  # a mapping within, as a tuple in a tuple: never equal to text
        elif type(item) is str:
            items.append((key, item))
        else:
            return None
    return (tuple(items),)  # a mapping, as a tuple: never equal to text


def _execution(c: Collector, ex: Any, here: KeyPath) -> Execution:
    """A project's execution: (its spending), read and checked; `here` is the project's entry."""
    ex_path = (*here, "execution")
    if not isinstance(ex, dict):
        raise InputError(_("execution: expected {example}", example="{spent: …}"), c.where(ex_path))
    c.keys(ex_path, ex, EXECUTION_KEYS)
    amounts: dict[str, Decimal | None] = {}
    history: tuple[tuple[date, Decimal], ...] = ()
    if isinstance(ex.get("spent"), list):  # dated cumulative amounts: the latest is the year's spending
        history = c.attempt(_history, c, ex["spent"], (*ex_path, "spent"), default=())
        ex = {**ex, "spent": None}
    for key in ("spent", "budget", "initial_budget", "adjusted_budget"):
        value = ex.get(key)
        if value is None:
            amounts[key] = None
            continue
        amount = plain_amount(value)  # the usual amount: no call of money, and no place made for a message
        if amount is None:
            amount = c.attempt(money, value, c.later((*ex_path, key)), key)
        amounts[key] = amount
        # 年初预算数 may be 0 (a project funded during the year); the budget a rate divides by may not
        if amount is not None and (amount < 0 or (key in ("budget", "adjusted_budget") and amount == 0)):
            c.add((*ex_path, key), _("{key}: {value} is not a usable amount; it must be above 0", key=key, value=value))
    rate = c.attempt(_rate, ex["rate"], c.where((*ex_path, "rate"))) if ex.get("rate") is not None else None
    outlook_value = c.attempt(outlook, ex["outlook"], c.where((*ex_path, "outlook"))) if ex.get("outlook") else None
    return made(
        Execution,
        {
            "spent": history[-1][1] if history else amounts["spent"],
            "budget": amounts["budget"],
            "initial_budget": amounts["initial_budget"],
            "adjusted_budget": amounts["adjusted_budget"],
            "explanation": str(ex["explanation"]) if ex.get("explanation") else None,
            "history": history,
            "cause": str(ex["cause"]) if ex.get("cause") else None,
            "outlook": outlook_value,
            "rate": rate,
        },
    )


# An Execution's fields but spent, as an execution: that gives nothing else leaves them (their defaults)
_NOTHING_SPENT: dict[str, Any] = {
    f.name: None if f.default is MISSING else f.default for f in fields(Execution) if f.name != "spent"
}


def _spent_only(ex: Any) -> Execution | None:
    """_execution(c, ex, …) for the usual execution, {spent: 11.36} and no other key, its amount plain (see
    plain_amount): nothing in it to check or to say, so made at once; None for any other, which _execution
    reads (and refuses) as before. tests/test_fast_actuals.py compares the two."""
    if type(ex) is not dict or len(ex) != 1:
        return None
    spent = plain_amount(ex.get("spent"))  # None for a missing spent:, as for one not plain
    return None if spent is None else made(Execution, {"spent": spent, **_NOTHING_SPENT})


def _actuals(
    c: Collector,
    entry: dict[str, Any],
    here: KeyPath,
    project: Project,
    pack: Pack,
    keys: list[str],
    read: Read,
    named: Callable[[str], str] = nfkc,
) -> ProjectActuals:
    """One project's entry; `keys` holds each of its indicators' names folded (nfkc, stripped), in order;
    `named` folds the targets' names (nfkc, or the file's _Folded)."""
    ex = entry.get("execution") or {}
    execution = _spent_only(ex)  # the usual {spent: 11.36}: nothing in it to check
    if execution is None:
        execution = _execution(c, ex, here)
    observations: dict[str, Observation] = {}
    # {nfkc(ind.name): ind for ind in project.indicators}, in calls made from C: one per project of a file
    by_name = dict(zip(map(named, map(_NAME, project.indicators)), project.indicators, strict=True))
    items = entry.get("indicators") or {}
    if not isinstance(items, dict):
        raise InputError(
            _(
                "indicators: expected name: actual lines, found {found}",
                found=_("a list") if isinstance(items, list) else repr(items),
            ),
            c.where((*here, "indicators")),
            hint=_("write each indicator as 补助覆盖率(%): 96%, not as a list item (- …)"),
        )
    vocab = pack.vocabulary
    for (name, value), key in zip(items.items(), keys, strict=True):
        ind = by_name.get(key)
        if ind is not None and key not in observations:
            if type(value) is str:  # text, the usual entry: no call
                text = value
            elif type(value) is dict and (survey := plain_survey(value)) is not None:
                # a survey's counts seldom repeat (2 of 3 were new in a file of 10,000 projects): read at
                # once, not keyed for the memo first (the key cost more than the reading) nor kept in it
                observations[key] = survey
                continue
            else:
                text = _entry_key(value)
            if text is not None:
                known = read.get((text, id(ind.predicate)))
                if known is not None:
                    observations[key] = known[1]
                    continue
        else:
            text = None
        if ind is None:
            c.add(
                (*here, "indicators", name),
                _(
                    "project {code} has no indicator {name!r}{suggestion}",
                    code=project.code,
                    name=name,
                    suggestion=did_you_mean(key, list(by_name)),
                ),
                _("its indicators: {names}", names=", ".join(i.name for i in project.indicators)),
            )
            continue
        at: KeyPath = (*here, "indicators", name)
        if key in observations:
            c.add(
                at, _("indicator {name!r} is given twice (names match after full-width/half-width folding)", name=name)
            )
            continue
        # each key of an entry at its own place: its line, or in a filled form its own cell (偏差原因 F, 佐证材料 G)
        locate = lambda key, at=at: c.later((*at, key))  # noqa: E731
        # the entry's place made only for an entry read afresh (see Places)
        obs = c.attempt(observation, value, ind.predicate, vocab, c.later(at), locate)
        if obs is not None:
            observations[key] = obs
            if text is not None and not obs.warnings:
                read[(text, id(ind.predicate))] = (ind.predicate, obs)
    return made(ProjectActuals, {"code": project.code, "execution": execution, "indicators": observations})
