"""Turn one indicator entry of an actuals file into an Observation, reading it as its target asks.

An entry is a scalar (`96%`, `2024-12-20`, `达成`, `不适用`) or a mapping with any of: value,
numerator/denominator, survey, tier, score, baseline, na, completed, explanation, evidence.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from evalengine.errors import InputError, Location, TargetSyntaxError
from evalengine.i18n import _
from evalengine.language.parser import parse_actual, parse_target
from evalengine.language.predicates import (
    SYMBOLS,
    Comparison,
    Completion,
    Deadline,
    Predicate,
    Qualitative,
    Quantity,
    Reference,
    percent_bounds,
)
from evalengine.language.vocabulary import Vocabulary
from evalengine.limits import MAX_NUMBER, MAX_SIGNIFICANT_DIGITS
from evalengine.model import Observation, made, made_plainly
from evalengine.numbers import NumberRangeError, plain, to_decimal
from evalengine.text import did_you_mean, unknown_key

OUTLOOKS = ("确定能", "有可能", "完全不可能")  # can the target still be met? (monitoring)


KEYS = (
    "value",
    "numerator",
    "denominator",
    "survey",
    "tier",
    "score",
    "baseline",
    "na",
    "completed",
    "explanation",
    "evidence",
    "cause",
    "outlook",
)


_KEY_SET = frozenset(KEYS)


NA_WORDS = frozenset({"不适用", "na", "n/a", "NA", "N/A"})


NOT_DONE = frozenset({"未完成", "没有完成", "未按期完成"})


# Deadline actuals that say the work was done in time, without a date (the parser reads the dated forms).


# Answers to a yes/no target (是否发生安全事故: 否): the other word of the pair does not meet it.
OPPOSITES = {"是": "否", "否": "是", "有": "无", "无": "有"}


NEGATIONS = ("不", "未", "没有", "无")  # 不合格 against 合格: the target's own word, negated


def tier_label(text: str, vocab: Vocabulary) -> str | None:
    """The canonical tier (达成 / 部分达成 / 未达成) for any label evaluators write, or None."""
    norm = unicodedata.normalize("NFKC", text).strip()
    for label, tier in vocab.tiers:
        if label == norm:
            return tier
    return None


Locate = Callable[[str], Location]  # the place of one key of an entry: its own line, or its own cell


_OBSERVATION_FIELDS = dataclasses.fields(Observation)
assert all(f.default is not dataclasses.MISSING and f.init for f in _OBSERVATION_FIELDS)
made_plainly(Observation, tuple(f.name for f in _OBSERVATION_FIELDS))  # what `made` relies on
_NOTHING_OBSERVED = {f.name: f.default for f in _OBSERVATION_FIELDS}


def observed(**fields: Any) -> Observation:
    """Observation(**fields), made as its frozen __init__ makes it (every field, in order, in the instance's
    __dict__) without a call of object.__setattr__ per field: one is made for every indicator of a batch."""
    if not _NOTHING_OBSERVED.keys() >= fields.keys():
        return Observation(**fields)  # the constructor's own TypeError
    return made(Observation, {**_NOTHING_OBSERVED, **fields})


def observation(
    entry: Any, predicate: Predicate, vocab: Vocabulary, where: Location, locate: Locate | None = None
) -> Observation:
    """Read `entry` for a target `predicate`; errors name `where` (file, line, key path), or for a key of a
    mapping entry `locate(key)` where given (a filled form's 偏差原因 is in a cell of its own)."""
    if entry is None or (isinstance(entry, str) and not entry.strip()):
        return observed()
    if isinstance(entry, dict):
        return need_mapping(entry, predicate, vocab, where, locate)
    if isinstance(entry, (str, int)) and not isinstance(entry, bool):
        return _scalar(str(entry), predicate, vocab, where)
    raise InputError(_("expected a value such as 96% or a mapping, found {found}", found=_kind(entry)), where)


def _scalar(text: str, predicate: Predicate, vocab: Vocabulary, where: Location) -> Observation:
    norm = unicodedata.normalize("NFKC", text).strip()
    if norm in NA_WORDS:
        return observed(na=True, text=text)
    if isinstance(predicate, Deadline) and norm in NOT_DONE:
        return observed(completed=False, text=text)
    if predicate.tiers != "never":
        tier = tier_label(norm, vocab)
        if tier is not None:
            return observed(tier=tier, text=text)
        if isinstance(predicate, (Qualitative, Reference)):
            tier = _answer(norm, predicate)
            if tier is not None:
                return observed(tier=tier, text=text)
        if predicate.tiers == "only":
            labels = sorted({label for label, _ in vocab.tiers})
            raise InputError(
                _("{text!r} is not a tier{suggestion}", text=text, suggestion=did_you_mean(norm, labels)),
                where,
                hint=_("write 达成, 部分达成 or 未达成 (or 不适用)"),
            )
    value, notes = _value(text, vocab, where)
    if isinstance(predicate, Deadline):
        if isinstance(value, Quantity) and value.unit == "月" and value.value in range(1, 13):
            value = Completion(True, month=int(value.value), text=text)  # 7月: completed in July
    elif isinstance(value, Completion):
        raise InputError(
            _("{text!r} says when or whether work was done; this target needs a value such as 96%", text=text), where
        )
    return observed(value=value, text=text, notes=notes, warnings=_fraction(value, text, predicate, where))


FRACTION_BELOW = Decimal("1.5")  # a bare number under this, against a target in %, may be a fraction (0.96)


def _fraction(value: Any, text: str, predicate: Predicate, where: Location) -> tuple[tuple[str, str], ...]:
    """A `looks-like-fraction` warning for a bare number such as 0.96 against a target in % (≥95%).

    A bare number is read in the target's unit, so 0.96 is 0.96% and scores as written; but a share typed
    as a fraction (or a percent cell read as General) meant 96%. Only when the number is also under a tenth
    of the target's smallest bound: 0.5 against ≤1% (a 故障率) is a plausible 0.5%, and no warning.
    """
    if not isinstance(value, Quantity) or value.unit is not None or value.scale != 1:
        return ()
    bounds = percent_bounds(predicate)
    if not bounds or not 0 < value.value < FRACTION_BELOW or value.value * 10 >= min(bounds):
        return ()
    message = _(
        "the actual value {text!r} has no %, so it is read as {value}%; it looks like a fraction: "
        "was {percent}% meant? (at {place})",
        text=text.strip(),
        value=plain(value.value),
        percent=plain(value.value * 100),
        place=_place(where),
    )
    return (("looks-like-fraction", message),)


def _place(where: Location) -> str:
    """Where a value was written, for a finding's message: the workbook's cell, or the file's line and key."""
    if where.cell:
        return f"{where.file} {where.cell}"
    head = _("{file} line {line}", file=where.file, line=where.line) if where.line is not None else where.file
    return f"{head} {where.keypath or ''}".strip()


def _answer(norm: str, predicate: Qualitative | Reference) -> str | None:
    """An actual that answers a qualitative target in its own words: 合格 for 合格 is 达成, 否 for 是 and
    不合格 for 合格 are 未达成. None when the words do not answer it."""
    target = unicodedata.normalize("NFKC", predicate.canonical()).strip()
    if norm == target:
        return "达成"
    if OPPOSITES.get(target) == norm or any(norm == word + target for word in NEGATIONS):
        return "未达成"
    return None


def _value(text: str, vocab: Vocabulary, where: Location) -> tuple[Quantity | date | Completion, tuple[str, ...]]:
    """The value, read with the pack's words; a comparator written in it (≥90%) is read as the value, noted."""
    try:
        return parse_actual(text, vocab, where), ()
    except TargetSyntaxError:
        try:
            written = parse_target(text, vocab)
        except TargetSyntaxError:
            written = None
        if not isinstance(written, Comparison) or written.quantity is None:
            raise
        shown = str(written.quantity)
        note = _(
            "the actual value {text!r} holds the comparison {symbol}: it is read as {shown}",
            text=text.strip(),
            symbol=SYMBOLS[written.op],
            shown=shown,
        )
        return written.quantity, (note,)


def _number(value: Any, where: Location, key: str) -> Decimal:
    try:
        if isinstance(value, bool):
            raise ValueError
        return to_decimal(unicodedata.normalize("NFKC", str(value)).strip())
    except NumberRangeError as exc:
        raise InputError(_("{key}: {reason}", key=key, reason=exc), where) from None
    except ValueError:
        shown = repr(value) if len(repr(value)) <= 40 else f"{repr(value)[:30]}…"
        raise InputError(_("{key}: expected a number, found {found}", key=key, found=shown), where) from None


# digits a count may have and still be below MAX_NUMBER (10**15) within MAX_SIGNIFICANT_DIGITS: to_decimal
# reads such a count on its short path, as Decimal(text)
_COUNT_DIGITS = min(MAX_NUMBER.adjusted(), MAX_SIGNIFICANT_DIGITS)


def _count(value: Any) -> Decimal | None:
    """_number(value, …) for the usual survey count, written as ASCII digits (a file's numbers reach here as
    text): Decimal(value), as to_decimal reads it, without the NFKC, the pattern or the key's name for a
    message made; None for anything else, which _number reads (and refuses) as before."""
    if type(value) is str and len(value) <= _COUNT_DIGITS and value.isdigit() and value.isascii():
        return Decimal(value)
    return None


def plain_survey(entry: dict[str, Any]) -> Observation | None:
    """need_mapping(entry, …) for the usual survey entry, {survey: {满意: 40, …}} and no other key, every count
    plain (see _count): the same Observation, without a look at each of the other keys, a message's place
    made or the predicate consulted (a survey reads alike for any target). None for any other entry, which
    need_mapping reads (and refuses) as before. Nearly every survey is met once: counts seldom repeat, so the
    file's memo of entries misses them. tests/test_fast_actuals.py compares it with need_mapping."""
    if len(entry) != 1:
        return None
    survey = entry.get("survey")
    if type(survey) is not dict or not survey:
        return None
    try:
        # the usual survey: every count a short one met before (a survey's counts are a few small numbers,
        # 40 and 6 again and again: one Decimal each, shared) and every answer text, each looked up and joined
        # from C, without a Python step per count (_plain_survey_read's loop: 23,700 instructions a survey of
        # four counts, this 21,000)
        counted = tuple(zip(survey, map(_SMALL_COUNTS.__getitem__, survey.values()), strict=True))
        # str.__add__ refuses an answer that is not text, which _plain_survey_read names as str() does
        text = "、".join(map(str.__add__, survey, survey.values()))
    except (KeyError, TypeError):  # a count not met before, not text (no hash), or an answer not text
        return _plain_survey_read(survey)
    # what observed(survey=…, text=…) makes, without its keyword call: the fields in order, two filled
    return made(Observation, {**_NOTHING_OBSERVED, "survey": counted, "text": text})


def _plain_survey_read(survey: dict[Any, Any]) -> Observation | None:
    """plain_survey of a survey whose counts were not all met before, or not all plain (then None)."""
    counted: list[tuple[str, Decimal]] = []
    for k, v in survey.items():
        if type(v) is not str:  # no plain count (_count reads text only), and perhaps no hash
            return None
        n = _SMALL_COUNTS.get(v)
        if n is None:
            n = _count(v)
            if n is None:  # not a plain count: need_mapping reads it, or says what is wrong with it
                return None
            if len(v) <= 3:  # at most 1,110 such texts: the memo stays small whatever a file holds
                _SMALL_COUNTS[v] = n
        counted.append((str(k), n))
    # what observed(survey=…, text=…) makes, without its keyword call: the fields in order, two filled
    text = "、".join(map("{}{}".format, survey, survey.values()))
    return made(Observation, {**_NOTHING_OBSERVED, "survey": tuple(counted), "text": text})


_SMALL_COUNTS: dict[Any, Decimal] = {}  # a plain count of at most three digits, as text -> its Decimal


def need_mapping(
    entry: dict[str, Any], predicate: Predicate, vocab: Vocabulary, where: Location, locate: Locate | None = None
) -> Observation:
    def _at(where: Location, key: str) -> Location:
        return locate(key) if locate is not None else _key(where, key)

    for key in entry if not _KEY_SET.issuperset(entry) else ():
        if key not in KEYS:
            message, hint = unknown_key(key, KEYS)
            raise InputError(message, _at(where, key), hint=hint)
    fields: dict[str, Any] = {}
    if entry.get("value") is not None:
        inner = _scalar(str(entry["value"]), predicate, vocab, _at(where, "value"))
        fields.update(
            value=inner.value,
            tier=inner.tier,
            na=inner.na,
            completed=inner.completed,
            text=inner.text,
            notes=inner.notes,
            warnings=inner.warnings,
        )
    for key in ("numerator", "denominator", "score"):
        if entry.get(key) is not None:
            fields[key] = _number(entry[key], _at(where, key), key)
    if entry.get("survey") is not None:
        survey = entry["survey"]
        if not isinstance(survey, dict) or not survey:
            raise InputError(
                _("survey: expected answer counts, e.g. {example}", example="{满意: 40, 较满意: 6, 不满意: 1}"),
                _at(where, "survey"),
            )
        at_survey = _at(where, "survey")
        counted: list[tuple[str, Decimal]] = []
        negative = False
        for k, v in survey.items():
            n = _count(v)
            if n is None:  # anything but a plain count: read, and refused, as any number is
                n = _number(v, at_survey, f"survey.{k}")
                negative = negative or n < 0
            counted.append((str(k), n))
        if negative:
            raise InputError(_("survey: counts cannot be negative"), _at(where, "survey"))
        fields["survey"] = tuple(counted)
        fields.setdefault("text", "、".join(f"{k}{v}" for k, v in survey.items()))
    if entry.get("tier") is not None:
        tier = tier_label(str(entry["tier"]), vocab)
        if tier is None:
            labels = sorted({label for label, _ in vocab.tiers})
            raise InputError(
                _(
                    "tier: {tier!r} is not a tier{suggestion}",
                    tier=entry["tier"],
                    suggestion=did_you_mean(str(entry["tier"]), labels),
                ),
                _at(where, "tier"),
                hint=_("write 达成, 部分达成 or 未达成"),
            )
        fields["tier"] = tier
    if entry.get("baseline") is not None:
        base, notes = _value(str(entry["baseline"]), vocab, _at(where, "baseline"))
        fields["notes"] = (*fields.get("notes", ()), *notes)
        if not isinstance(base, Quantity):
            raise InputError(_("baseline: expected a number such as 5次"), _at(where, "baseline"))
        fields["baseline"] = base
    for key in ("na", "completed"):
        if entry.get(key) is not None:
            if not isinstance(entry[key], bool):
                raise InputError(
                    _("{key}: expected true or false, found {value!r}", key=key, value=entry[key]), _at(where, key)
                )
            fields[key] = entry[key] if key == "completed" else (entry[key] or fields.get("na", False))
    for key in ("explanation", "cause"):
        if entry.get(key) is not None:
            fields[key] = _words(entry[key], key, _at(where, key)) or None
    if entry.get("outlook") is not None:
        fields["outlook"] = outlook(entry["outlook"], _at(where, "outlook"))
    evidence = entry.get("evidence")
    if evidence is not None:
        items = evidence if isinstance(evidence, list) else [evidence]
        fields["evidence"] = tuple(w for e in items if (w := _words(e, "evidence", _at(where, "evidence"))))
    if "numerator" in fields and "text" not in fields:
        fields["text"] = f"{fields['numerator']}/{fields.get('denominator', '?')}"
    return observed(**fields)


def outlook(value: Any, where: Location) -> str:
    """确定能 / 有可能 / 完全不可能: whether a lagging target can still be met this year."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text not in OUTLOOKS:
        raise InputError(
            _(
                "outlook: expected one of {choices}, found {value!r}{suggestion}",
                choices=" / ".join(OUTLOOKS),
                value=value,
                suggestion=did_you_mean(text, OUTLOOKS),
            ),
            where,
        )
    return text


def _words(value: Any, key: str, where: Location) -> str:
    """Text the evaluator wrote (偏差原因, a 佐证材料's name): a scalar, never true/false, a mapping or a list."""
    if value is None:
        return ""
    if isinstance(value, (bool, dict, list)):
        found = {bool: "true/false", dict: _("a mapping"), list: _("a list")}[type(value)]
        shape = _("a file name, or a list of them") if key == "evidence" else _("text")
        raise InputError(_("{key}: expected {shape}, found {found}", key=key, shape=shape, found=found), where)
    return str(value).strip()


def _key(where: Location, key: str) -> Location:
    base = where.path if isinstance(where.path, tuple) else ((where.path,) if where.path else ())
    return Location(where.file, where.line, where.column, (*base, key), where.cell)  # a workbook's cell stays


def _kind(value: Any) -> str:
    return _("a list") if isinstance(value, list) else repr(value)
