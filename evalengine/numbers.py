"""Decimal arithmetic: parsing, formatting, and the one place where rounding happens."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from evalengine.i18n import _
from evalengine.limits import MAX_NUMBER, MAX_NUMBER_CHARACTERS, MAX_SCALE, MAX_SIGNIFICANT_DIGITS

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}


ZERO = Decimal(0)


ONE = Decimal(1)


HUNDRED = Decimal(100)
WAN = Decimal(10000)  # 万: money in the tables is in 万元


_EXPONENTS: dict[int, Decimal] = {}


# ASCII digits only: Decimal() also reads ١٢ and ১২, and int() reads them too, but nobody types them here
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


def is_short(text: str) -> bool:
    """Whether `text` is a number none of to_decimal's bounds but its limit can refuse: ASCII digits, then
    perhaps a point and 1 to MAX_SCALE more (no sign, no exponent), at most MAX_SIGNIFICANT_DIGITS characters
    long (so no more digits than that). The pattern [0-9]+(\\.[0-9]{1,MAX_SCALE})? checked with str methods:
    its regular expression cost about 2,900 instructions a number (isdigit is [0-9] once the text is
    ASCII). tests/test_fast_targets.py compares it with the pattern."""
    if len(text) > MAX_SIGNIFICANT_DIGITS or not text.isascii():
        return False
    whole, dot, places = text.partition(".")
    return whole.isdigit() and (not dot or (places.isdigit() and len(places) <= MAX_SCALE))


class NumberRangeError(ValueError):
    """A number that reads, but lies outside what evalengine computes with exactly; the message says the bound."""


def to_decimal(text: str, limit: Decimal = MAX_NUMBER) -> Decimal:
    """Read a plain number (thousands separators allowed) below `limit` in size; raises ValueError otherwise.

    NumberRangeError (a ValueError) says which bound a number that does read breaks.
    """
    if is_short(text):  # the usual number: no check but the limit can fail
        value = Decimal(text)
        if value < limit:
            return value
    bare = text.replace(",", "")
    if not _PLAIN.fullmatch(bare):
        raise ValueError(_("not a number: {text!r}", text=text[:40]))
    short = (
        text if len(text) <= 24 else _("{head}…{tail} ({n} characters)", head=text[:12], tail=text[-6:], n=len(text))
    )
    if len(bare) > MAX_NUMBER_CHARACTERS:
        raise NumberRangeError(
            _(
                "{number} is too long: a number has at most {digits} significant digits",
                number=short,
                digits=MAX_SIGNIFICANT_DIGITS,
            )
        )
    value = Decimal(bare)
    if len(value.normalize().as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        raise NumberRangeError(
            _("{number} has more than {digits} significant digits", number=short, digits=MAX_SIGNIFICANT_DIGITS)
        )
    if abs(value) >= limit:
        raise NumberRangeError(
            _("{number} is out of range: it must be smaller than {limit}", number=short, limit=_power(limit))
        )
    if value and (value.adjusted() < -MAX_SCALE or int(value.normalize().as_tuple().exponent) < -MAX_SCALE):
        raise NumberRangeError(_("{number} has more than {places} decimal places", number=short, places=MAX_SCALE))
    return value


def _power(limit: Decimal) -> str:
    return f"10^{limit.adjusted()}" if limit == Decimal(10) ** limit.adjusted() else plain(limit)


def round_to(value: Decimal, places: int = 2, mode: str = "half_up") -> Decimal:
    """Round `value` to `places` decimals; the only rounding in evalengine goes through here."""
    exponent = _EXPONENTS.get(places)
    if exponent is None:
        exponent = _EXPONENTS[places] = Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=ROUNDING_MODES[mode])


def rounder(places: int = 2, mode: str = "half_up") -> Callable[[Decimal], Decimal]:
    """`round_to` with its places and mode fixed once, for a scorer that rounds every value of a batch alike
    (the same quantize, without looking the exponent and the mode up for each value)."""
    exponent = Decimal(1).scaleb(-places)
    rounding = ROUNDING_MODES[mode]

    def rounded(value: Decimal) -> Decimal:
        return value.quantize(exponent, rounding)

    return rounded


def plain(value: Decimal) -> str:
    """Print a Decimal without exponent or trailing zeros: 4040000, 95, 0.5."""
    text = format(value, "f")  # no exponent; a whole number (95.00, 1E+3) loses its zeros after the point
    return text.rstrip("0").rstrip(".") if "." in text else text


def fixed(value: Decimal, places: int = 2) -> str:
    """Print an already rounded Decimal with exactly `places` decimals (12.50)."""
    return format(value, f".{places}f")


def fixer(places: int = 2) -> Callable[[Decimal], str]:
    """`fixed` with its places fixed once, for a scorer that prints every score of a batch alike (the format
    specification is written once, not for each value). Made once for each number of places and shared: the
    report view asks for it for every project, the trace sentences for every sentence."""
    made = _FIXERS.get(places)
    if made is None:
        made = _FIXERS[places] = _fixer(places)
    return made


_FIXERS: dict[int, Callable[[Decimal], str]] = {}  # fixer's, by places (a pack prints at 0 to a few places)


def _fixer(places: int) -> Callable[[Decimal], str]:
    spec = f".{places}f"
    point = places + 1  # where the point of a number printed with `places` decimals stands, from the end

    def fixed_at(value: Decimal) -> str:
        # a value already at `places` decimals (a rounded score) prints the same with str(), which skips
        # parsing the format specification: its point `places` from the end, and no exponent
        text = str(value)
        if places > 0 and text[-point:-places] == "." and "E" not in text and "e" not in text:
            return text
        return format(value, spec)

    return fixed_at
