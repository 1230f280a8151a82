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
from evalengine.numbers import WAN, NumberRangeError, to_decimal
from evalengine.sources.documents import Document
from evalengine.text import FULL_WIDTH_DIGITS, nfkc, unknown_key


class _Enough(ErrorGroup):
    """As many errors as one run reports."""


class Collector:
    """Gathers errors so that a file's every mistake is reported in one run."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.errors: list[EvalEngineError] = []

    def where(self, path: KeyPath) -> Location:
        return self.doc.where(path)

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
            self.errors.extend(group.errors)
        except EvalEngineError as exc:
            self.errors.append(exc)
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
        for key in data:
            if key not in allowed:
                self.add((*path, key), *unknown_key(key, allowed))

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ErrorGroup(self.errors)


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
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError(_("missing {key}:", key=key), c.where(path))
        return ""
    if isinstance(value, (dict, list)):
        raise InputError(_("{key}: expected text", key=key), c.where((*path, key)))
    return str(value).strip()


def money(value: Any, where: Location, what: str) -> Decimal:
    """An amount in 万元: a bare number, or a number with its unit (48500元, 4.85万元)."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise InputError(_("{what}: expected an amount such as 4.85 (万元) or 48500元", what=what), where)
    text = nfkc(str(value)).strip()
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
