"""Decimal arithmetic: parsing, formatting, and the one place where rounding happens."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}


ZERO = Decimal(0)


ONE = Decimal(1)


HUNDRED = Decimal(100)
WAN = Decimal(10000)  # 万: money in the tables is in 万元


_EXPONENTS: dict[int, Decimal] = {}


def to_decimal(text: str) -> Decimal:
    """Read a plain number (thousands separators allowed); raises ValueError on anything else."""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return value


def round_to(value: Decimal, places: int = 2, mode: str = "half_up") -> Decimal:
    """Round `value` to `places` decimals; the only rounding in evalengine goes through here."""
    exponent = _EXPONENTS.get(places)
    if exponent is None:
        exponent = _EXPONENTS[places] = Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=ROUNDING_MODES[mode])


def plain(value: Decimal) -> str:
    """Print a Decimal without exponent or trailing zeros: 4040000, 95, 0.5."""
    if value == value.to_integral_value():
        return str(value.quantize(ONE))
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fixed(value: Decimal, places: int = 2) -> str:
    """Print an already rounded Decimal with exactly `places` decimals (12.50)."""
    return format(value, f".{places}f")
