"""Validation of a merged pack into a Pack: every error, with its file, line and key path."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from itertools import pairwise
from typing import Any

from evalengine.errors import ErrorGroup, EvalEngineError, InputError, Location
from evalengine.language.vocabulary import TIERS, Vocabulary, default_vocabulary, extend
from evalengine.numbers import HUNDRED, ROUNDING_MODES, ZERO, NumberRangeError, to_decimal
from evalengine.packs.model import Band, Pack, Tier
from evalengine.packs.schema import (
    DENOMINATORS,
    EQUALITY_METHODS,
    FORWARD_METHODS,
    NA_MODES,
    OVER_ACTIONS,
    RANGE_METHODS,
    REVERSE_METHODS,
    SCHEMA,
    SHARES,
)
from evalengine.sources.documents import Document, KeyPath, keypath_text
from evalengine.sources.limits import MAX_POINTS
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

    def check(self, fn: Callable[[], Any], default: Any = None) -> Any:
        try:
            return fn()
        except _Invalid:
            return default

    # -- kinds of value
    def number(self, path: KeyPath, value: Any, low: Decimal = ZERO, high: Decimal | None = MAX_POINTS) -> Decimal:
        """A number of points (a weight, a deduction, a cap): at most 100 unless `high` says otherwise."""
        if isinstance(value, bool) or not isinstance(value, str):
            raise self.fail(path, f"expected a number, found {_show(value)}")
        try:
            number = to_decimal(value)
        except NumberRangeError as exc:
            raise self.fail(path, str(exc)) from None
        except ValueError:
            raise self.fail(path, f"expected a number, found {_show(value)}") from None
        if number < low:
            raise self.fail(path, f"expected a number ≥ {low}, found {value}")
        if high is not None and number > high:
            raise self.fail(path, f"expected at most {high} points (of a total of 100), found {value}")
        return number

    def percent(self, path: KeyPath, value: Any) -> Decimal:
        text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value
        if not (isinstance(text, str) and text.endswith("%")):
            raise self.fail(path, f"expected a percentage such as 80%, found {_show(value)}", "write the % sign")
        return self.number(path, text[:-1], high=None) / HUNDRED

    def choice(self, path: KeyPath, value: Any, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            raise self.fail(
                path, f"expected one of {', '.join(allowed)}, found {_show(value)}{did_you_mean(str(value), allowed)}"
            )
        return str(value)

    def text(self, path: KeyPath, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(path, f"expected text, found {_show(value)}")
        return value

    def mapping(self, path: KeyPath, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a mapping (key: value lines), found {_show(value)}")
        return value

    def band(self, path: KeyPath, value: Any, percent: bool) -> Band:
        text = unicodedata.normalize("NFKC", value).replace(" ", "") if isinstance(value, str) else None
        match = _INTERVAL.match(text) if text else None
        example = '"[80%, 100%]"' if percent else '"[80, 90)"'
        if not match or (match.group(3) == "%") != percent or (match.group(5) == "%") != percent:
            raise self.fail(path, f"expected an interval such as {example}, found {_show(value)}")
        open_, low, _, high, _, close = match.groups()
        scale = HUNDRED if percent else Decimal(1)
        band = Band(Decimal(low) / scale, Decimal(high) / scale, open_ == "[", close == "]", value)
        if band.low > band.high or (band.low == band.high and not (band.low_closed and band.high_closed)):
            raise self.fail(path, f"the interval {value} is empty")
        return band

    def keys(self, path: KeyPath, data: dict[str, Any], allowed: Mapping[str, Any] | tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.fail((*path, key), *unknown_key(key, allowed))

    def section(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            raise self.fail((key,), f"missing section {key}:")
        return self.mapping((key,), value)

    def get(self, data: dict[str, Any], path: KeyPath) -> Any:
        node: Any = data
        for part in path:
            if not isinstance(node, dict) or part not in node:
                raise self.fail(path, f"missing key {keypath_text(path)}")
            node = node[part]
        return node

    # -- the pack
    def build(self, name: str, data: dict[str, Any]) -> Pack:
        self.keys((), data, SCHEMA)
        for key, spec in SCHEMA.items():
            if isinstance(spec, dict) and isinstance(data.get(key), dict):
                self._nested_keys((key,), data[key], spec)
        g = self.get
        c = self.check
        title = c(lambda: self.text(("title",), g(data, ("title",))), "")
        source = c(lambda: self.text(("source",), g(data, ("source",))), "")
        exec_weight = c(lambda: self.number(("weights", "execution"), g(data, ("weights", "execution"))))
        level1 = c(lambda: self._level1(g(data, ("weights", "level1"))), ())
        if level1 and exec_weight is not None and exec_weight + sum(w for _, w in level1) != HUNDRED:
            total = exec_weight + sum(w for _, w in level1)
            parts = " + ".join([f"execution {exec_weight}"] + [f"{n} {w}" for n, w in level1])
            self.fail(("weights",), f"weights must sum to 100, but {parts} = {total}")
        share = c(lambda: self.choice(("weights", "share"), g(data, ("weights", "share")), SHARES), "equal")

        def method(key: str, allowed: tuple[str, ...]) -> str:
            return str(c(lambda: self.choice(("methods", key), g(data, ("methods", key)), allowed), allowed[0]))

        tiers = c(lambda: self._tiers(g(data, ("tiers",))), ())
        tier_choice: Callable[[KeyPath], str] = lambda p: str(c(lambda: self.choice(p, g(data, p), TIERS), "未达成"))  # noqa: E731
        over = data.get("over_achievement") or {}
        threshold = c(lambda: self._optional_percent(("over_achievement", "threshold"), over.get("threshold")))
        if threshold is not None and threshold <= 1:
            self.fail(("over_achievement", "threshold"), "the over-achievement threshold must be above 100%")
        grades = c(lambda: self._grades(g(data, ("grades",))), ())
        vocab = c(lambda: self._vocabulary(data.get("vocabulary")), default_vocabulary())
        places = c(lambda: self._places(g(data, ("rounding", "places"))), 2)
        pack = Pack(
            name=name,
            title=title,
            source=source,
            execution_weight=exec_weight or ZERO,
            level1=level1,
            share=share,
            forward=method("forward", FORWARD_METHODS),
            reverse=method("reverse", REVERSE_METHODS),
            equality=method("equality", EQUALITY_METHODS),
            range=method("range", RANGE_METHODS),
            deadline_late=tier_choice(("methods", "deadline", "late")),
            deadline_missed=tier_choice(("methods", "deadline", "missed")),
            trend_equal=tier_choice(("methods", "trend", "equal")),
            bands=c(lambda: self._bands((data.get("methods") or {}).get("bands")), ()),
            stable_met=c(lambda: self.percent(p := ("methods", "trend", "stable", "达成"), g(data, p)), ZERO),
            stable_partial=c(lambda: self.percent(p := ("methods", "trend", "stable", "部分达成"), g(data, p)), ZERO),
            tiers=tiers,
            over_threshold=threshold,
            over_action=c(
                lambda: self.choice(("over_achievement", "action"), over.get("action", "explain"), OVER_ACTIONS),
                "explain",
            ),
            over_deduct=c(lambda: self.number(("over_achievement", "deduct"), over.get("deduct", "0")), ZERO),
            not_applicable=c(
                lambda: self.choice(("not_applicable",), g(data, ("not_applicable",)), NA_MODES), "rescale"
            ),
            exec_denominator=c(
                lambda: self.choice(p := ("execution", "denominator"), g(data, p), DENOMINATORS), "budget"
            ),
            exec_cap=c(lambda: self.percent(("execution", "cap"), g(data, ("execution", "cap"))), Decimal(1)),
            exec_explain_below=c(
                lambda: self._optional_percent(
                    ("execution", "explain_below"), (data.get("execution") or {}).get("explain_below")
                )
            ),
            caps=c(lambda: self._caps(data.get("caps") or []), ()),
            grades=grades,
            places=places,
            mode=c(
                lambda: self.choice(("rounding", "mode"), g(data, ("rounding", "mode")), tuple(ROUNDING_MODES)),
                "half_up",
            ),
            satisfied=c(
                lambda: self._words(("satisfaction", "satisfied"), g(data, ("satisfaction", "satisfied"))), frozenset()
            ),
            vocabulary=vocab,
            examples=c(lambda: self._examples(data.get("examples")), ()),
            monitor_checkpoint=c(
                lambda: self.choice(p := ("monitoring", "checkpoint"), g(data, p), ("last", "interpolate")), "last"
            ),
            monitor_red=c(lambda: self.percent(p := ("monitoring", "lights", "red"), g(data, p)), Decimal("0.6")),
            monitor_yellow=c(lambda: self.percent(p := ("monitoring", "lights", "yellow"), g(data, p)), Decimal("0.8")),
            monitor_blue=c(lambda: self.percent(p := ("monitoring", "lights", "blue"), g(data, p)), Decimal("1.2")),
            monitor_cumulative=c(
                lambda: self._words(p := ("monitoring", "cumulative"), g(data, p)), frozenset({"人", "次", "条"})
            ),
            origins=self.origins,
            data=data,
        )
        if "bands" in (pack.forward, pack.reverse) and not pack.bands:
            self.fail(("methods", "bands"), "forward or reverse: bands needs methods.bands: a list of {miss:, points:}")
        if not 0 < pack.monitor_red < pack.monitor_yellow < pack.monitor_blue:
            self.fail(("monitoring", "lights"), "the lights must rise: 0 < red < yellow < blue")
        if not 0 < pack.exec_cap <= 1:
            self.fail(
                ("execution", "cap"), f"the execution cap must lie in (0%, 100%], found {pack.exec_cap * HUNDRED:g}%"
            )
        if pack.over_action == "deduct" and pack.over_deduct == 0:
            self.fail(("over_achievement", "deduct"), "action: deduct needs deduct: N points above 0")
        if self.errors:
            raise self.errors[0] if len(self.errors) == 1 else ErrorGroup(self.errors)
        return pack

    def _nested_keys(self, path: KeyPath, data: dict[str, Any], spec: dict[str, Any]) -> None:
        self.keys(path, data, spec)
        for key, sub in spec.items():
            if isinstance(sub, dict) and isinstance(data.get(key), dict):
                self._nested_keys((*path, key), data[key], sub)

    def _optional_percent(self, path: KeyPath, value: Any) -> Decimal | None:
        return None if value is None else self.percent(path, value)

    def _places(self, value: Any) -> int:
        # ASCII digits: "²".isdigit() holds, and int() would refuse it with a traceback
        if not (isinstance(value, str) and re.fullmatch("[0-6]", value)):
            raise self.fail(("rounding", "places"), f"expected a whole number of decimal places 0-6, found {value}")
        return int(value)

    def _words(self, path: KeyPath, value: Any) -> frozenset[str]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(path, "expected a list of answer categories, e.g. [满意, 较满意]")
        return frozenset(unicodedata.normalize("NFKC", v) for v in value)

    def _level1(self, value: Any) -> tuple[tuple[str, Decimal], ...]:
        path: KeyPath = ("weights", "level1")
        weights = self.mapping(path, value)
        if not weights:
            raise self.fail(path, "name at least one level-1 indicator (产出指标: 50 …)")
        out = []
        for name, weight in weights.items():
            out.append((unicodedata.normalize("NFKC", name), self.number((*path, name), weight)))
        return tuple(out)

    def _tiers(self, value: Any) -> tuple[Tier, ...]:
        tiers = self.mapping(("tiers",), value)
        self.keys(("tiers",), tiers, TIERS)
        out = []
        for name in TIERS:
            path: KeyPath = ("tiers", name)
            spec = tiers.get(name)
            if spec is None:
                raise self.fail(path, f"missing tier {name}")
            spec = self.mapping(path, spec)
            self.keys(path, spec, ("band", "default"))
            band = self.band((*path, "band"), spec.get("band"), percent=True)
            default = self.percent((*path, "default"), spec.get("default"))
            if band.high > 1:
                raise self.fail((*path, "band"), f"a tier band cannot reach above 100% of the weight, found {band}")
            if default not in band:
                self.fail((*path, "default"), f"default {spec.get('default')} lies outside the tier's band {band}")
            out.append(Tier(name, band, default))
        self._coverage(("tiers",), [(t.name, t.band) for t in out], Decimal(1), "%")
        return tuple(out)

    def _grades(self, value: Any) -> tuple[tuple[str, Band], ...]:
        grades = self.mapping(("grades",), value)
        bands = [(name, self.band(("grades", name), band, percent=False)) for name, band in grades.items()]
        self._coverage(("grades",), bands, HUNDRED, "")
        return tuple(bands)

    def _bands(self, value: Any) -> tuple[tuple[Band, Decimal], ...]:
        """Deviation bands: how far an actual misses its target, and the share of the weight it keeps."""
        if value is None:
            return ()
        if not isinstance(value, list) or not value:
            raise self.fail(("methods", "bands"), 'expected a list such as - {miss: "(0%, 10%]", points: 80%}')
        out = []
        for i, item in enumerate(value):
            path: KeyPath = ("methods", "bands", i)
            item = self.mapping(path, item)
            self.keys(path, item, ("miss", "points"))
            band = self.band((*path, "miss"), item.get("miss"), percent=True)
            points = self.percent((*path, "points"), item.get("points"))
            if not 0 <= points <= 1:
                self.fail(
                    (*path, "points"), f"points are a share of the weight, 0% to 100%, found {item.get('points')}"
                )
            out.append((band, points))
        ordered = sorted(range(len(out)), key=lambda i: (out[i][0].low, not out[i][0].low_closed))
        first = out[ordered[0]][0]
        if first.low != 0 or first.low_closed:
            self.fail(
                ("methods", "bands", ordered[0]),
                f"the first band must start just above a 0% miss, as (0%, …]; found {first}",
            )
        for i, j in pairwise(ordered):
            a, b = out[i][0], out[j][0]
            if a.high != b.low or a.high_closed == b.low_closed:
                what = "overlap" if a.high > b.low or (a.high_closed and b.low_closed) else "leave a gap"
                self.fail(("methods", "bands", j), f"deviation bands {a} and {b} {what}")
        return tuple(out)

    def _examples(self, value: Any) -> tuple[tuple[KeyPath, dict[str, Any]], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(("examples",), "expected a list of example cases")
        out = []
        for i, case in enumerate(value):
            path: KeyPath = ("examples", i)
            if not isinstance(case, dict) or not ("target" in case or "rows" in case):
                self.fail(path, "an example is {target:, actual:, weight:, score:, status:} or a project with rows:")
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
            raise self.fail((*path, "year"), f"expected a year such as 2024, found {_show(case['year'])}")
        if not project:
            self.text((*path, "target"), case.get("target"))
            if isinstance(case.get("actual"), list):
                raise self.fail((*path, "actual"), "expected a value such as 96% or a mapping, found a list")
            return
        rows = case["rows"]
        if not isinstance(rows, list) or not rows:
            raise self.fail((*path, "rows"), "expected a list of rows, [level1, level2, name, target, weight?]")
        for j, row in enumerate(rows):
            if not (isinstance(row, list) and 4 <= len(row) <= 5 and all(isinstance(x, str) for x in row)):
                raise self.fail((*path, "rows", j), "expected a row [level1, level2, name, target, weight?]")
            if len(row) == 5:
                self.number((*path, "rows", j, 4), row[4], high=None)
        for key in ("actuals", "expect"):
            if case.get(key) is not None:
                self.mapping((*path, key), case[key])
        actuals = case.get("actuals") or {}
        for key in ("indicators", "execution"):
            if actuals.get(key) is not None:
                self.mapping((*path, "actuals", key), actuals[key])

    def _caps(self, value: Any) -> tuple[tuple[Band, Decimal], ...]:
        if not isinstance(value, list):
            raise self.fail(("caps",), "expected a list of {execution_rate: band, max_total: points}")
        out = []
        for i, item in enumerate(value):
            path: KeyPath = ("caps", i)
            item = self.mapping(path, item)
            self.keys(path, item, ("execution_rate", "max_total"))
            band = self.band((*path, "execution_rate"), item.get("execution_rate"), percent=True)
            cap = self.number((*path, "max_total"), item.get("max_total"))
            if cap > HUNDRED:
                self.fail((*path, "max_total"), f"a cap above 100 caps nothing, found {cap}")
            out.append((band, cap))
        ordered = sorted(range(len(out)), key=lambda i: (out[i][0].low, not out[i][0].low_closed))
        for i, j in pairwise(ordered):
            a, b = out[i][0], out[j][0]
            if a.high > b.low or (a.high == b.low and a.high_closed and b.low_closed):
                self.fail(("caps", max(i, j)), f"execution-rate bands {a} and {b} overlap")
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
            self.fail((*path, first_name), f"nothing covers {show(ZERO)} up to {first}: the bands leave a gap")
        for (name_a, a), (name_b, b) in pairwise(ordered):
            if a.high < b.low or (a.high == b.low and not a.high_closed and not b.low_closed):
                self.fail(
                    (*path, name_b),
                    f"gap between {name_a} {a} and {name_b} {b}: {show(a.high)} to {show(b.low)} belongs to no band",
                )
            elif a.high > b.low or (a.high == b.low and a.high_closed and b.low_closed):
                self.fail((*path, name_b), f"{name_a} {a} and {name_b} {b} overlap at {show(b.low)}")
        last_name, last = ordered[-1]
        if last.high < top or (last.high == top and not last.high_closed):
            self.fail((*path, last_name), f"nothing covers {last} up to {show(top)}: the bands leave a gap")
        if last.high > top:
            self.fail((*path, last_name), f"{last_name} {last} reaches above {show(top)}")

    def _vocabulary(self, value: Any) -> Vocabulary:
        if value is None:
            return default_vocabulary()
        probe = ("vocabulary",)
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
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}… ({len(text)} characters)"
