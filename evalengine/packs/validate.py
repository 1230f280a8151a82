"""Validation of a merged pack into a Pack: every error, with its file, line and key path."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from itertools import pairwise
from typing import Any, assert_never

from evalengine.errors import ErrorGroup, EvalEngineError, InputError, KeyPath, Location, keypath_text
from evalengine.i18n import _
from evalengine.language.predicates import TrendRules
from evalengine.language.vocabulary import TIERS, Vocabulary
from evalengine.language.words import default_vocabulary, extend
from evalengine.limits import MAX_POINTS
from evalengine.numbers import HUNDRED, ROUNDING_MODES, ZERO, NumberRangeError, to_decimal
from evalengine.packs.model import (
    Band,
    DeadlineRules,
    ExecutionRules,
    Lights,
    Methods,
    Monitoring,
    OverAchievement,
    Pack,
    Review,
    Rounding,
    Satisfaction,
    Tier,
    Weights,
)
from evalengine.packs.schema import REVIEW_CHECKS, SCHEMA, Key, Section
from evalengine.sources.documents import Document
from evalengine.text import did_you_mean, unknown_key

_INTERVAL = re.compile(r"^([\[(])\s*(-?\d+(?:\.\d+)?)(%?)\s*,\s*(-?\d+(?:\.\d+)?)(%?)\s*([\])])$")


_INDICATOR_EXAMPLE = (
    "id",
    "target",
    "actual",
    "weight",
    "score",
    "status",
    "tier",
    "findings",
    "budget",
    "spent",
    "year",
    "error",
)


_PROJECT_EXAMPLE = ("id", "budget", "rows", "actuals", "expect", "year", "error")


class _Invalid(Exception):
    """One value is wrong; already recorded, stop reading this part."""


class _Validator:
    def __init__(self, origins: Mapping[KeyPath, Location], file: str):
        self.origins = origins
        self.file = file
        self.errors: list[EvalEngineError] = []

    def where(self, path: KeyPath) -> Location:
        probe = path
        while probe and probe not in self.origins:
            probe = probe[:-1]
        loc = self.origins.get(probe, Location(self.file))
        return Location(loc.file, loc.line, loc.column, path or None)

    def fail(self, path: KeyPath, message: str, hint: str | None = None) -> _Invalid:
        self.errors.append(InputError(message, self.where(path), hint))
        return _Invalid()

    # -- kinds of value
    def number(self, path: KeyPath, value: Any, low: Decimal = ZERO, high: Decimal | None = MAX_POINTS) -> Decimal:
        """A number of points (a weight, a deduction, a cap): at most 100 unless `high` says otherwise."""
        if isinstance(value, bool) or not isinstance(value, str):
            raise self.fail(path, _("expected a number, found {value}", value=_show(value)))
        try:
            number = to_decimal(value)
        except NumberRangeError as exc:
            raise self.fail(path, str(exc)) from None
        except ValueError:
            raise self.fail(path, _("expected a number, found {value}", value=_show(value))) from None
        if number < low:
            raise self.fail(path, _("expected a number ≥ {low}, found {value}", low=low, value=value))
        if high is not None and number > high:
            raise self.fail(
                path, _("expected at most {high} points (of a total of 100), found {value}", high=high, value=value)
            )
        return number

    def percent(self, path: KeyPath, value: Any) -> Decimal:
        text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value
        if not (isinstance(text, str) and text.endswith("%")):
            raise self.fail(
                path, _("expected a percentage such as 80%, found {value}", value=_show(value)), _("write the % sign")
            )
        return self.number(path, text[:-1], high=None) / HUNDRED

    def choice(self, path: KeyPath, value: Any, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            raise self.fail(
                path,
                _(
                    "expected one of {allowed}, found {value}{suggestion}",
                    allowed=", ".join(allowed),
                    value=_show(value),
                    suggestion=did_you_mean(str(value), allowed),
                ),
            )
        return str(value)

    def text(self, path: KeyPath, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(path, _("expected text, found {value}", value=_show(value)))
        return value

    def mapping(self, path: KeyPath, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, _("expected a mapping (key: value lines), found {value}", value=_show(value)))
        return value

    def band(self, path: KeyPath, value: Any, percent: bool) -> Band:
        text = unicodedata.normalize("NFKC", value).replace(" ", "") if isinstance(value, str) else None
        match = _INTERVAL.match(text) if text else None
        example = '"[80%, 100%]"' if percent else '"[80, 90)"'
        if not match or (match.group(3) == "%") != percent or (match.group(5) == "%") != percent:
            raise self.fail(
                path, _("expected an interval such as {example}, found {value}", example=example, value=_show(value))
            )
        open_, low, _unit, high, _unit, close = match.groups()
        scale = HUNDRED if percent else Decimal(1)
        band = Band(Decimal(low) / scale, Decimal(high) / scale, open_ == "[", close == "]", value)
        if band.low > band.high or (band.low == band.high and not (band.low_closed and band.high_closed)):
            raise self.fail(path, _("the interval {value} is empty", value=value))
        return band

    def keys(self, path: KeyPath, data: dict[str, Any], allowed: Mapping[str, Any] | tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.fail((*path, key), *unknown_key(key, allowed))

    # -- the pack, read by walking the schema
    def read(self, section: Section, data: dict[str, Any], path: KeyPath = ()) -> dict[str, Any]:
        """Every key of `section` read by its kind: unknown keys, missing keys and bad values recorded.

        A value that could not be read is left out of the result; `build` then stops before it would
        be needed.
        """
        self.keys(path, data, section.keys)
        out: dict[str, Any] = {}
        for name, node in section.keys.items():
            here = (*path, name)
            value = data.get(name)
            if isinstance(node, Section):
                if value is None:
                    out[name] = self.read(node, {}, here)  # reports each missing key
                elif isinstance(value, dict):
                    out[name] = self.read(node, value, here)
                else:
                    self.fail(here, _("expected a mapping (key: value lines), found {value}", value=_show(value)))
                continue
            if value is None:
                if node.required:
                    self.fail(here, _("missing key {key}", key=keypath_text(here)))
                else:
                    out[name] = node.default
                continue
            try:
                out[name] = self.value(node, here, value)
            except _Invalid:
                pass
        return out

    def value(self, key: Key, path: KeyPath, value: Any) -> Any:
        """One value, read as its kind says."""
        match key.kind:
            case "text":
                return self.text(path, value)
            case "number":
                return self.number(path, value)
            case "percent":
                return self.percent(path, value)
            case "choice":
                return self.choice(path, value, key.choices)
            case "places":
                return self._places(path, value)
            case "rounding":
                return self._rounding(path, value)
            case "words":
                return self._words(path, value)
            case "level1":
                return self._level1(path, value)
            case "tiers":
                return self._tiers(path, value)
            case "grades":
                return self._grades(path, value)
            case "bands":
                return self._bands(path, value)
            case "caps":
                return self._caps(path, value)
            case "vocabulary":
                return self._vocabulary(path, value)
            case "examples":
                return self._examples(path, value)
            case "names":
                return self._names(path, value)
            case "severities":
                return self._severities(path, value, key.choices)
            case "tree":
                return self._tree(path, value)
            case "interval":
                band = self.band(path, value, percent=True)
                if not (band.low_closed and band.high_closed):
                    raise self.fail(
                        path, _("write the range with both ends included, as [80%, 100%]; found {value}", value=value)
                    )
                return (band.low, band.high)
            case "kinds":
                names = self._names(path, value)
                for name in names:
                    if name not in key.choices:
                        self.fail(
                            path,
                            _(
                                "{name!r} is not a kind of target; the kinds are {kinds}",
                                name=name,
                                kinds=", ".join(key.choices),
                            ),
                        )
                return frozenset(names)
            case _:
                assert_never(key.kind)

    def build(self, name: str, data: dict[str, Any]) -> Pack:
        v = self.read(SCHEMA, data)
        self._relations(v)
        if self.errors:
            raise self.errors[0] if len(self.errors) == 1 else ErrorGroup(self.errors)
        w, m, over, ex, r, mon = (
            v["weights"],
            v["methods"],
            v["over_achievement"],
            v["execution"],
            v["rounding"],
            v["monitoring"],
        )
        stable = m["trend"]["stable"]
        return Pack(
            name=name,
            title=v["title"],
            source=v["source"],
            weights=Weights(w["execution"], w["level1"], w["share"], w["not_100"]),
            methods=Methods(
                forward=m["forward"],
                reverse=m["reverse"],
                equality=m["equality"],
                range=m["range"],
                bands=m["bands"],
                deadline=DeadlineRules(m["deadline"]["late"], m["deadline"]["missed"]),
                trend=TrendRules(m["trend"]["equal"], stable["达成"], stable["部分达成"]),
                tolerance=m["tolerance"],
                graded=tuple(m["graded"].items()),
            ),
            tiers=v["tiers"],
            over_achievement=OverAchievement(over["threshold"], over["action"], over["deduct"]),
            not_applicable=v["not_applicable"],
            execution=ExecutionRules(ex["denominator"], ex["cap"], ex["explain_below"]),
            caps=v["caps"],
            grades=v["grades"],
            rounding=Rounding(r["places"], r["mode"], r["execution"], r["total"]),
            satisfaction=Satisfaction(v["satisfaction"]["satisfied"]),
            vocabulary=v.get("vocabulary") or default_vocabulary(),
            monitoring=Monitoring(mon["checkpoint"], Lights(**mon["lights"]), mon["cumulative"]),
            review=Review(**v["review"]),
            examples=v["examples"],
            origins=self.origins,
            data=data,
        )

    def _relations(self, v: dict[str, Any]) -> None:
        """What no single key can say: weights sum to 100, bands exist when used, lights rise …"""
        w, m, over, ex = v["weights"], v["methods"], v["over_achievement"], v["execution"]
        if "execution" in w and "level1" in w:
            total = w["execution"] + sum(x for _, x in w["level1"])
            if total != HUNDRED:
                parts = " + ".join([f"execution {w['execution']}"] + [f"{n} {x}" for n, x in w["level1"]])
                self.fail(("weights",), _("weights must sum to 100, but {parts} = {total}", parts=parts, total=total))
        if "bands" in (m.get("forward"), m.get("reverse")) and not m.get("bands"):
            self.fail(
                ("methods", "bands"),
                _("forward or reverse: bands needs methods.bands: a list of {shape}", shape="{miss:, points:}"),
            )
        shares = list(m.get("graded", {}).items())
        for (better, a), (worse, b) in pairwise(shares):
            if b > a:
                self.fail(
                    ("methods", "graded", worse),
                    _(
                        "{worse} earns {b} of the weight, more than {better}'s {a}",
                        worse=worse,
                        b=f"{b:%}",
                        better=better,
                        a=f"{a:%}",
                    ),
                )
        for grade, share in shares:
            if share > 1:
                self.fail(
                    ("methods", "graded", grade),
                    _("a grade's share cannot exceed 100% of the weight, found {share}", share=f"{share:%}"),
                )
        threshold = over.get("threshold")
        if threshold is not None and threshold <= 1:
            self.fail(("over_achievement", "threshold"), _("the over-achievement threshold must be above 100%"))
        if over.get("action") == "deduct" and over.get("deduct") == 0:
            self.fail(("over_achievement", "deduct"), _("action: deduct needs deduct: N points above 0"))
        cap = ex.get("cap")
        if cap is not None and not 0 < cap <= 1:
            self.fail(
                ("execution", "cap"),
                _("the execution cap must lie in (0%, 100%], found {cap}%", cap=f"{cap * HUNDRED:g}"),
            )
        lights = v["monitoring"]["lights"]
        if len(lights) == 3 and not 0 < lights["red"] < lights["yellow"] < lights["blue"]:
            self.fail(("monitoring", "lights"), _("the lights must rise: 0 < red < yellow < blue"))
        share = v["review"].get("quantified_share")
        if share is not None and share > 1:
            self.fail(
                ("review", "quantified_share"),
                _("a share of indicators cannot exceed 100%, found {share}%", share=f"{share * HUNDRED:g}"),
            )

    def _places(self, path: KeyPath, value: Any) -> int:
        # ASCII digits: "²".isdigit() holds, and int() would refuse it with a traceback
        if not (isinstance(value, str) and re.fullmatch("[0-6]", value)):
            raise self.fail(path, _("expected a whole number of decimal places 0-6, found {value}", value=value))
        return int(value)

    def _rounding(self, path: KeyPath, value: Any) -> Rounding:
        data = self.mapping(path, value)
        self.keys(path, data, ("places", "mode"))
        places = self._places((*path, "places"), data.get("places"))
        mode = self.choice((*path, "mode"), data.get("mode"), tuple(ROUNDING_MODES))
        return Rounding(places, mode)

    def _words(self, path: KeyPath, value: Any) -> frozenset[str]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(path, _("expected a list of answer categories, e.g. [满意, 较满意]"))
        return frozenset(unicodedata.normalize("NFKC", v) for v in value)

    def _names(self, path: KeyPath, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(
                path, _("expected a list of words such as [产出指标, 效益指标], found {value}", value=_show(value))
            )
        return tuple(unicodedata.normalize("NFKC", v).strip() for v in value)

    def _severities(self, path: KeyPath, value: Any, allowed: tuple[str, ...]) -> dict[str, str]:
        """Check code -> severity; checks left unnamed keep their national severity."""
        given = self.mapping(path, value)
        self.keys(path, given, tuple(REVIEW_CHECKS))
        out = dict(REVIEW_CHECKS)
        for code, severity in given.items():
            if code not in REVIEW_CHECKS:
                continue
            if severity is False:  # YAML reads a bare `off` as false
                severity = "off"
            try:
                out[code] = self.choice((*path, code), severity, allowed)
            except _Invalid:
                pass
        return out

    def _tree(self, path: KeyPath, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        tree = self.mapping(path, value)
        if not tree:
            raise self.fail(path, _("name at least one level 1 and its level 2s (产出指标: [数量指标, …])"))
        out = []
        for name, children in tree.items():
            try:
                out.append((unicodedata.normalize("NFKC", name), self._names((*path, name), children)))
            except _Invalid:
                pass
        return tuple(out)

    def _level1(self, path: KeyPath, value: Any) -> tuple[tuple[str, Decimal], ...]:
        weights = self.mapping(path, value)
        if not weights:
            raise self.fail(path, _("name at least one level-1 indicator (产出指标: 50 …)"))
        out = []
        for name, weight in weights.items():
            out.append((unicodedata.normalize("NFKC", name), self.number((*path, name), weight)))
        return tuple(out)

    def _tiers(self, at: KeyPath, value: Any) -> tuple[Tier, ...]:
        tiers = self.mapping(at, value)
        self.keys(at, tiers, TIERS)
        out = []
        for name in TIERS:
            path: KeyPath = (*at, name)
            spec = tiers.get(name)
            if spec is None:
                raise self.fail(path, _("missing tier {name}", name=name))
            spec = self.mapping(path, spec)
            self.keys(path, spec, ("band", "default"))
            band = self.band((*path, "band"), spec.get("band"), percent=True)
            default = self.percent((*path, "default"), spec.get("default"))
            if band.high > 1:
                raise self.fail(
                    (*path, "band"), _("a tier band cannot reach above 100% of the weight, found {band}", band=band)
                )
            if default not in band:
                self.fail(
                    (*path, "default"),
                    _("default {default} lies outside the tier's band {band}", default=spec.get("default"), band=band),
                )
            out.append(Tier(name, band, default))
        self._coverage(at, [(t.name, t.band) for t in out], Decimal(1), "%")
        return tuple(out)

    def _grades(self, path: KeyPath, value: Any) -> tuple[tuple[str, Band], ...]:
        grades = self.mapping(path, value)
        bands = [(name, self.band((*path, name), band, percent=False)) for name, band in grades.items()]
        self._coverage(path, bands, HUNDRED, "")
        return tuple(bands)

    def _bands(self, at: KeyPath, value: Any) -> tuple[tuple[Band, Decimal], ...]:
        """Deviation bands: how far an actual misses its target, and the share of the weight it keeps."""
        if not isinstance(value, list) or not value:
            raise self.fail(at, _("expected a list such as {example}", example='- {miss: "(0%, 10%]", points: 80%}'))
        out = []
        for i, item in enumerate(value):
            path: KeyPath = (*at, i)
            item = self.mapping(path, item)
            self.keys(path, item, ("miss", "points"))
            band = self.band((*path, "miss"), item.get("miss"), percent=True)
            points = self.percent((*path, "points"), item.get("points"))
            if not 0 <= points <= 1:
                self.fail(
                    (*path, "points"),
                    _("points are a share of the weight, 0% to 100%, found {points}", points=item.get("points")),
                )
            out.append((band, points))
        ordered = sorted(range(len(out)), key=lambda i: (out[i][0].low, not out[i][0].low_closed))
        first = out[ordered[0]][0]
        if first.low != 0 or first.low_closed:
            self.fail(
                (*at, ordered[0]),
                _("the first band must start just above a 0% miss, as (0%, …]; found {first}", first=first),
            )
        for i, j in pairwise(ordered):
            a, b = out[i][0], out[j][0]
            if a.high != b.low or a.high_closed == b.low_closed:
                if a.high > b.low or (a.high_closed and b.low_closed):
                    self.fail((*at, j), _("deviation bands {a} and {b} overlap", a=a, b=b))
                else:
                    self.fail((*at, j), _("deviation bands {a} and {b} leave a gap", a=a, b=b))
        return tuple(out)

    def _examples(self, at: KeyPath, value: Any) -> tuple[tuple[KeyPath, dict[str, Any]], ...]:
        if not isinstance(value, list):
            raise self.fail(at, _("expected a list of example cases"))
        out = []
        for i, case in enumerate(value):
            path: KeyPath = (*at, i)
            if not isinstance(case, dict) or not ("target" in case or "rows" in case):
                self.fail(
                    path,
                    _(
                        "an example is {shape} or a project with rows:",
                        shape="{target:, actual:, weight:, score:, status:}",
                    ),
                )
                continue
            try:
                self._example(path, case)
            except _Invalid:
                continue
            out.append((path, case))
        return tuple(out)

    def _example(self, path: KeyPath, case: dict[str, Any]) -> None:
        """The shape of one example, so that `check` reports a malformed one where it is written."""
        project = "rows" in case
        self.keys(path, case, _PROJECT_EXAMPLE if project else _INDICATOR_EXAMPLE)
        for key in ("weight", "score", "budget", "spent"):
            if case.get(key) is not None:
                self.number((*path, key), str(case[key]) if isinstance(case[key], str) else case[key], high=None)
        if case.get("year") is not None and not re.fullmatch("[0-9]{4}", str(case["year"])):
            raise self.fail(
                (*path, "year"), _("expected a year such as 2024, found {value}", value=_show(case["year"]))
            )
        if not project:
            self.text((*path, "target"), case.get("target"))
            if isinstance(case.get("actual"), list):
                raise self.fail((*path, "actual"), _("expected a value such as 96% or a mapping, found a list"))
            return
        rows = case["rows"]
        if not isinstance(rows, list) or not rows:
            raise self.fail((*path, "rows"), _("expected a list of rows, [level1, level2, name, target, weight?]"))
        for j, row in enumerate(rows):
            if not (isinstance(row, list) and 4 <= len(row) <= 5 and all(isinstance(x, str) for x in row)):
                raise self.fail((*path, "rows", j), _("expected a row [level1, level2, name, target, weight?]"))
            if len(row) == 5:
                self.number((*path, "rows", j, 4), row[4], high=None)
        for key in ("actuals", "expect"):
            if case.get(key) is not None:
                self.mapping((*path, key), case[key])
        actuals = case.get("actuals") or {}
        for key in ("indicators", "execution"):
            if actuals.get(key) is not None:
                self.mapping((*path, "actuals", key), actuals[key])

    def _caps(self, at: KeyPath, value: Any) -> tuple[tuple[Band, Decimal], ...]:
        if not isinstance(value, list):
            raise self.fail(at, _("expected a list of {shape}", shape="{execution_rate: band, max_total: points}"))
        out = []
        for i, item in enumerate(value):
            path: KeyPath = (*at, i)
            item = self.mapping(path, item)
            self.keys(path, item, ("execution_rate", "max_total"))
            band = self.band((*path, "execution_rate"), item.get("execution_rate"), percent=True)
            cap = self.number((*path, "max_total"), item.get("max_total"))
            if cap > HUNDRED:
                self.fail((*path, "max_total"), _("a cap above 100 caps nothing, found {cap}", cap=cap))
            out.append((band, cap))
        ordered = sorted(range(len(out)), key=lambda i: (out[i][0].low, not out[i][0].low_closed))
        for i, j in pairwise(ordered):
            a, b = out[i][0], out[j][0]
            if a.high > b.low or (a.high == b.low and a.high_closed and b.low_closed):
                self.fail((*at, max(i, j)), _("execution-rate bands {a} and {b} overlap", a=a, b=b))
        return tuple(out)

    def _coverage(self, path: KeyPath, bands: list[tuple[str, Band]], top: Decimal, unit: str) -> None:
        """Bands must cover [0, top] exactly once: no gap, no overlap."""
        if not bands:
            return
        scale = HUNDRED if unit == "%" else Decimal(1)

        def show(x: Decimal) -> str:
            return f"{x * scale:g}{unit}"

        ordered = sorted(bands, key=lambda nb: (nb[1].low, not nb[1].low_closed))
        first_name, first = ordered[0]
        if first.low > 0 or (first.low == 0 and not first.low_closed):
            self.fail(
                (*path, first_name),
                _("nothing covers {low} up to {band}: the bands leave a gap", low=show(ZERO), band=first),
            )
        for (name_a, a), (name_b, b) in pairwise(ordered):
            if a.high < b.low or (a.high == b.low and not a.high_closed and not b.low_closed):
                self.fail(
                    (*path, name_b),
                    _(
                        "gap between {name_a} {a} and {name_b} {b}: {high} to {low} belongs to no band",
                        name_a=name_a,
                        a=a,
                        name_b=name_b,
                        b=b,
                        high=show(a.high),
                        low=show(b.low),
                    ),
                )
            elif a.high > b.low or (a.high == b.low and a.high_closed and b.low_closed):
                self.fail(
                    (*path, name_b),
                    _(
                        "{name_a} {a} and {name_b} {b} overlap at {low}",
                        name_a=name_a,
                        a=a,
                        name_b=name_b,
                        b=b,
                        low=show(b.low),
                    ),
                )
        last_name, last = ordered[-1]
        if last.high < top or (last.high == top and not last.high_closed):
            self.fail(
                (*path, last_name),
                _("nothing covers {band} up to {top}: the bands leave a gap", band=last, top=show(top)),
            )
        if last.high > top:
            self.fail(
                (*path, last_name), _("{name} {band} reaches above {top}", name=last_name, band=last, top=show(top))
            )

    def _vocabulary(self, probe: KeyPath, value: Any) -> Vocabulary:
        loc = self.where(probe)
        doc = Document(value, loc.file or self.file, {})
        for path, location in self.origins.items():
            if path[:1] == probe and location.line is not None:
                doc.marks[path] = (location.line, location.column or 1)
        try:
            return extend(default_vocabulary(), doc, value, probe)
        except InputError as exc:
            self.errors.append(exc)
            raise _Invalid() from None


def _show(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    text = repr(value)
    return text if len(text) <= 40 else _("{start}… ({n} characters)", start=text[:30], n=len(text))
