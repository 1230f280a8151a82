"""Loading the vocabulary: grammar/vocabulary.yaml, and a pack's `vocabulary:` additions, validated."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from evalengine.errors import InputError, KeyPath
from evalengine.i18n import N_, _
from evalengine.language.vocabulary import GRADES, OPS, SECTIONS, TIERS, TRENDS, Vocabulary
from evalengine.numbers import NumberRangeError, to_decimal
from evalengine.resources import vocabulary_path
from evalengine.sources.documents import Document, load_yaml
from evalengine.text import did_you_mean, nfkc


def _words(doc: Document, value: Any, path: KeyPath) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(_("expected a list of words"), doc.where(path))
    return [nfkc(v.strip()) for v in value]


def _mapping(doc: Document, value: Any, path: KeyPath) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(_("expected a mapping"), doc.where(path))
    return value


def _number(doc: Document, value: Any, path: KeyPath) -> Decimal:
    try:
        result = to_decimal(str(value))
    except NumberRangeError as exc:
        raise InputError(str(exc), doc.where(path)) from None
    except ValueError:
        raise InputError(_("expected a number, found {value!r}", value=value), doc.where(path)) from None
    if result <= 0:
        raise InputError(_("expected a positive number, found {value!r}", value=value), doc.where(path))
    return result


def _choice(doc: Document, key: str, allowed: tuple[str, ...], path: KeyPath) -> str:
    if key not in allowed:
        raise InputError(
            _(
                "unknown key {key!r}; expected one of {choices}{suggestion}",
                key=key,
                choices=", ".join(allowed),
                suggestion=did_you_mean(key, allowed),
            ),
            doc.where(path),
        )
    return key


def extend(base: Vocabulary | None, doc: Document, data: Any, path: KeyPath = ()) -> Vocabulary:
    """Add the words in `data` (a vocabulary mapping, e.g. from a pack) to `base`."""
    data = _mapping(doc, data, path)
    comparators = list(base.comparators) if base else []
    postfix = list(base.postfix) if base else []
    magnitudes = list(base.magnitudes) if base else []
    units = list(base.units) if base else []
    phrases = list(base.phrases) if base else []
    references = list(base.references) if base else []
    tiers = list(base.tiers) if base else []
    grades = list(base.grades) if base else []
    tolerance = list(base.tolerance) if base else []
    change_bases = list(base.change_bases) if base else []
    for section, value in data.items():
        here = path + (section,)
        _choice(doc, section, SECTIONS, here)
        if section in ("comparators", "postfix"):
            target = comparators if section == "comparators" else postfix
            for op, words in _mapping(doc, value, here).items():
                _choice(doc, op, OPS, here + (op,))
                target.extend((w, op) for w in _words(doc, words, here + (op,)))
        elif section == "magnitudes":
            for word, factor in _mapping(doc, value, here).items():
                magnitudes.append((nfkc(word), _number(doc, factor, here + (word,))))
        elif section == "units":
            for unit, spec in _mapping(doc, value, here).items():
                where = here + (unit,)
                if not (isinstance(spec, list) and len(spec) == 2 and isinstance(spec[0], str)):
                    raise InputError(_("expected [base unit, factor], e.g. [元, 1]"), doc.where(where))
                units.append((nfkc(unit), nfkc(spec[0]), _number(doc, spec[1], where + (1,))))
        elif section == "trends":
            for trend, words in _mapping(doc, value, here).items():
                _choice(doc, trend, TRENDS, here + (trend,))
                phrases.extend((w, "trend", trend) for w in _words(doc, words, here + (trend,)))
        elif section == "qualitative":
            phrases.extend((w, "qualitative", w) for w in _words(doc, value, here))
        elif section == "budget":
            phrases.extend((w, "budget", "budget") for w in _words(doc, value, here))
        elif section == "deadlines":
            for word, month in _mapping(doc, value, here).items():
                m = str(month).replace(" ", "")
                months = m.split("-") if m.count("-") == 1 else [m]
                if not all(x.isdigit() and 1 <= int(x) <= 12 for x in months) or int(months[0]) > int(months[-1]):
                    raise InputError(
                        _("expected a month 1-12 or a period such as 1-12, found {month!r}", month=month),
                        doc.where(here + (word,)),
                    )
                phrases.append((nfkc(word), "deadline", m))
        elif section == "on_schedule":
            phrases.extend((w, "plan", "plan") for w in _words(doc, value, here))
        elif section == "grades":
            for grade, words in _mapping(doc, value, here).items():
                _choice(doc, grade, GRADES, here + (grade,))
                grades.extend((w, grade) for w in _words(doc, words, here + (grade,)))
        elif section == "tolerance":
            tolerance.extend(_words(doc, value, here))
        elif section == "change_bases":
            change_bases.extend(_words(doc, value, here))
        elif section == "references":
            references.extend(_words(doc, value, here))
        elif section == "tiers":
            for tier, words in _mapping(doc, value, here).items():
                _choice(doc, tier, TIERS, here + (tier,))
                tiers.extend((w, tier) for w in _words(doc, words, here + (tier,)))
    vocab = Vocabulary(
        tuple(dict.fromkeys(comparators)),
        tuple(dict.fromkeys(postfix)),
        tuple(dict.fromkeys(magnitudes)),
        tuple(dict.fromkeys(units)),
        tuple(dict.fromkeys(phrases)),
        tuple(dict.fromkeys(references)),
        tuple(dict.fromkeys(tiers)),
        tuple(dict.fromkeys(grades)),
        tuple(dict.fromkeys(tolerance)),
        tuple(dict.fromkeys(change_bases)),
    )
    _check_unambiguous(vocab, doc, path)
    return vocab


def _check_unambiguous(vocab: Vocabulary, doc: Document, path: KeyPath) -> None:
    """A word may mean one thing (a phrase starting a longer word, 高 and 高于, is read where that word is not)."""
    meanings: dict[str, str] = {}
    for word, meaning in (
        [(w, _("comparator {op}", op=op)) for w, op in vocab.comparators]
        + [(p, _("{kind} phrase", kind=kind)) for p, kind, _meaning in vocab.phrases]
        + [(r, _("reference word")) for r in vocab.references]
    ):
        if meanings.setdefault(word, meaning) != meaning:
            raise InputError(
                _("{word!r} is both a {first} and a {second}", word=word, first=meanings[word], second=meaning),
                doc.where(path),
            )
    for table, what in (
        (vocab.postfix, N_("postfix word {word!r} has two meanings: {first} and {second}")),
        (vocab.tiers, N_("tier label {word!r} has two meanings: {first} and {second}")),
        (vocab.grades, N_("grade label {word!r} has two meanings: {first} and {second}")),
    ):
        seen: dict[str, str] = {}
        for word, meaning in table:
            if seen.setdefault(word, meaning) != meaning:
                raise InputError(_(what, word=word, first=seen[word], second=meaning), doc.where(path))
    bases: dict[str, tuple[str, Decimal]] = {}
    for unit, base, factor in vocab.units:
        if bases.setdefault(unit, (base, factor)) != (base, factor):
            raise InputError(_("unit {unit!r} is defined twice differently", unit=unit), doc.where(path))


@cache
def default_vocabulary() -> Vocabulary:
    """The vocabulary of grammar/vocabulary.yaml, read and validated once."""
    path = vocabulary_path()
    doc = load_yaml(path)
    return extend(None, doc, doc.data)
