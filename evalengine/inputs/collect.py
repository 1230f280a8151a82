"""Gathering every error of an input file, and the small readers the input files share."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from evalengine.errors import ErrorGroup, EvalEngineError, InputError, KeyPath, Location
from evalengine.i18n import _
from evalengine.language.parser import parse_actual
from evalengine.language.predicates import Quantity
from evalengine.limits import MAX_AMOUNT, MAX_ERRORS
from evalengine.numbers import WAN, NumberRangeError, is_short, to_decimal
from evalengine.sources.documents import Document
from evalengine.text import FULL_WIDTH_DIGITS, nfkc_unique, unknown_key

_FIELDS = frozenset({"file", "line", "column", "path", "cell"})


class Deferred(Location):
    """The location of the value at a key path, worked out only when something reads it.

    Every value read is handed its location, and nearly every one is read without error: building a
    Location (and looking its line up) for each would cost more than checking the value. This one
    resolves on first use (a message, a finding naming the place) and then behaves as the Location it
    stands for: equal to it, hashed, shown and pickled as it.
    """

    def __init__(self, doc: Document, path: KeyPath):
        object.__setattr__(self, "_at", (doc, path))

    def resolved(self) -> Location:
        """The Location itself, looked up once."""
        at: Location | tuple[Document, KeyPath] = object.__getattribute__(self, "_at")
        if isinstance(at, Location):
            return at
        loc = at[0].where(at[1])
        object.__setattr__(self, "_at", loc)  # the document is no longer held
        return loc

    def __getattribute__(self, name: str) -> Any:
        if name in _FIELDS:
            return getattr(object.__getattribute__(self, "resolved")(), name)
        return object.__getattribute__(self, name)

    def __eq__(self, other: object) -> bool:
        return self.resolved() == other

    def __hash__(self) -> int:
        return hash(self.resolved())

    def __repr__(self) -> str:
        return repr(self.resolved())

    def __reduce__(self) -> tuple[Any, ...]:
        loc = self.resolved()
        return (Location, (loc.file, loc.line, loc.column, loc.path, loc.cell))


_new = object.__new__
_set = object.__setattr__  # Location is frozen: its own __setattr__ refuses


_ALLOWED: dict[tuple[str, ...], frozenset[str]] = {}  # the keys allowed in a mapping, as a set (a few tuples)


class _Enough(ErrorGroup):
    """As many errors as one run reports."""


class Collector:
    """Gathers errors so that a file's every mistake is reported in one run."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.errors: list[EvalEngineError] = []

    def where(self, path: KeyPath) -> Location:
        return self.doc.where(path)

    def later(self, path: KeyPath) -> Location:
        """The location of `path`, worked out only if it is read (Deferred).

        Made as Deferred(self.doc, path) makes it, without the call of its __init__: one is made for
        every indicator entry of a file, and the call took half the time of making it."""
        made = _new(Deferred)
        _set(made, "_at", (self.doc, path))
        return made

    def add(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        self.errors.append(InputError(message, self.where(path), hint))
        self._enough()

    def attempt(self, fn: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        """fn(*args), or `default` with the error recorded."""
        try:
            return fn(*args)
        except _Enough:
            raise
        except ErrorGroup as group:
            self.errors.extend(_settled(e) for e in group.errors)
        except EvalEngineError as exc:
            self.errors.append(_settled(exc))
        self._enough()
        return default

    def _enough(self) -> None:
        """Stop at MAX_ERRORS: a file of 10,000 wrong codes would otherwise spend minutes on suggestions."""
        if len(self.errors) >= MAX_ERRORS:
            note = InputError(
                _("stopped after {n} errors in {file}; fix these and run again", n=MAX_ERRORS, file=self.doc.file)
            )
            raise _Enough([*self.errors[:MAX_ERRORS], note])

    def keys(self, path: KeyPath, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
        known = _ALLOWED.get(allowed)
        if known is None:
            known = _ALLOWED[allowed] = frozenset(allowed)
        if known.issuperset(data):  # the usual case, in one call: every key is allowed
            return
        for key in data:
            if key not in allowed:
                self.add((*path, key), *unknown_key(key, allowed))

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ErrorGroup(self.errors)


def _settled(exc: EvalEngineError) -> EvalEngineError:
    """An error kept for the report holds its Location itself, not the document a Deferred would."""
    if isinstance(exc.location, Deferred):
        exc.location = exc.location.resolved()
    return exc


def need_mapping(c: Collector, value: Any, path: KeyPath, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(_("expected {what} (a mapping of key: value lines)", what=what), c.where(path))
    return value


def cap(c: Collector, items: Any, path: KeyPath, limit: int, what: str) -> None:
    """Refuse a list or mapping longer than any real table has: the message says the cap."""
    if isinstance(items, (list, dict)) and len(items) > limit:
        raise InputError(
            _(
                "{n} {what}: evalengine reads at most {limit} in one file",
                n=f"{len(items):,}",
                what=what,
                limit=f"{limit:,}",
            ),
            c.where(path),
        )


def need_text(c: Collector, data: dict[str, Any], key: str, path: KeyPath, required: bool = True) -> str:
    value = data.get(key)
    if type(value) is str:  # the usual case, checked first: text that is there
        text = value.strip()
        if text:
            return text
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError(_("missing {key}:", key=key), c.where(path))
        return ""
    if isinstance(value, (dict, list)):
        raise InputError(_("{key}: expected text", key=key), c.where((*path, key)))
    return str(value).strip()


def plain_amount(value: Any) -> Decimal | None:
    """money(value, …) for the usual amount: text of ASCII digits with at most MAX_SCALE places (11.36, as a
    file's numbers reach here), below MAX_AMOUNT. Decimal(value), as to_decimal's short path reads it, without
    the type checks, the NFKC, the strip and the pattern (a regular expression's match cost more than the
    Decimal), and with no place made for a message; None for anything else, which money reads (or refuses)
    as before. tests/test_fast_actuals.py compares it with money."""
    if type(value) is not str or not is_short(value):  # to_decimal's short path: no other check can fail
        return None
    amount = Decimal(value)
    return amount if amount < MAX_AMOUNT else None


def money(value: Any, where: Location, what: str) -> Decimal:
    """An amount in 万元: a bare number, or a number with its unit (48500元, 4.85万元)."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise InputError(_("{what}: expected an amount such as 4.85 (万元) or 48500元", what=what), where)
    text = nfkc_unique(str(value)).strip()
    try:
        return to_decimal(text, MAX_AMOUNT)
    except NumberRangeError as exc:
        raise InputError(_("{what}: {reason} 万元", what=what, reason=exc), where) from None
    except ValueError:
        pass
    parsed = parse_actual(text, location=where)
    if not isinstance(parsed, Quantity) or parsed.unit != "元":
        raise InputError(
            _("{what}: expected an amount of money, found {found}", what=what, found=_short(value)),
            where,
            hint=_("write 万元 as a bare number (4.85) or give the unit (48500元)"),
        )
    if parsed.value >= MAX_AMOUNT * WAN:
        raise InputError(
            _(
                "{what}: {value} is out of range: an amount is below {limit} 万元",
                what=what,
                value=value,
                limit=f"{MAX_AMOUNT:,}",
            ),
            where,
        )
    return parsed.value / WAN


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else _("{start}… ({n} characters)", start=text[:30], n=len(text))


_YEAR = re.compile(r"[0-9]{4}")


def need_year(c: Collector, value: Any, path: KeyPath) -> int | None:
    if value is None:
        return None
    text = str(value).strip().translate(FULL_WIDTH_DIGITS)
    # ASCII digits only (full-width ones folded): int() also reads ²⁰²⁴'s neighbours such as ٢٠٢٤
    if not (_YEAR.fullmatch(text) and 1900 <= int(text) <= 2200):
        raise InputError(
            _("year: expected a year from 1900 to 2200 such as 2024, found {found}", found=_short(value)), c.where(path)
        )
    return int(text)
