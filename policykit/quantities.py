"""Exact quantities: parsing numbers and units, and printing them back.

Runtime values by dimension (canonical units):

- area: :class:`~decimal.Decimal` square metres
- money: :class:`~decimal.Decimal` yuan
- duration: :class:`~policykit.calendar.Duration` (months or days)
- ratio: :class:`~fractions.Fraction`

No float ever reaches a comparison: a float that arrives in plain data is turned into
a Decimal from its shortest decimal string (``repr``), never from its binary value.
Numbers are bounded (digits and exponent) before any arithmetic.
"""

from __future__ import annotations

import math
import re
from decimal import Context, Decimal, Inexact, InvalidOperation
from fractions import Fraction

from policykit.calendar import Duration
from policykit.stdlib.units import HALF_YEAR, Dim, Unit, unit_named

__all__ = [
    "MAX_DIGITS",
    "NumberError",
    "Value",
    "as_fraction",
    "canonical",
    "format_decimal",
    "format_quantity",
    "parse_number",
    "parse_quantity",
]

MAX_DIGITS = 30
"""The most significant digits a number may have, in a policy or a record."""

Value = Decimal | Duration | Fraction
"""A quantity's runtime value in its dimension's canonical unit."""

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# The unit never starts with a digit or a point, so "500" is not read as "50" in unit "0".
_QUANTITY = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([^\s0-9.]\S*?)\s*")


class NumberError(ValueError):
    """A number or quantity that cannot be read; the message says what was expected."""


def parse_number(text: str) -> Decimal:
    """A plain decimal number (``500``, ``0.01``): no sign, no exponent, bounded digits."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise NumberError(f"`{_clip(text)}` is not a plain decimal number such as 500 or 0.01")
    if len(text.replace(".", "").lstrip("0")) > MAX_DIGITS:
        raise NumberError(f"`{_clip(text)}` has more than {MAX_DIGITS} digits")
    return Decimal(text)


def number_from_data(value: object) -> Decimal:
    """A number that arrived in plain data (int, float, Decimal or numeric string).

    Floats are read from their shortest decimal string; NaN, infinities, booleans,
    exponents beyond the digit limit and negative numbers are refused.
    """
    if isinstance(value, bool):
        raise NumberError("a boolean is not a number")
    if isinstance(value, int):
        # Compared, not converted: str() of an int over 4300 digits raises ValueError.
        if value < 0 or value >= 10**MAX_DIGITS:
            raise NumberError(
                f"{value if value.bit_length() < 128 else 'a number'} is out of range"
            )
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberError(f"{value!r} is not a finite number")
        return number_from_data(Decimal(repr(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError(f"{value} is not a finite number")
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # finite, checked above
        if sign:
            raise NumberError(f"{value} is negative")
        # Written out in full it must read back through parse_number: at most
        # MAX_DIGITS digits, counting the zeros an exponent stands for.
        written = max(len(digits), len(digits) + exponent, -exponent)
        if written > MAX_DIGITS:
            raise NumberError(
                f"{_clip(str(value))} is out of range: it has more than {MAX_DIGITS} digits"
            )
        return value
    if isinstance(value, str):
        return parse_number(value)
    raise NumberError(f"expected a number, got {type(value).__name__}")


# Products of a magnitude (at most MAX_DIGITS digits) and a unit's factor, exact whatever
# the thread's decimal context: the default context keeps 28 digits and would round.
_EXACT = Context(prec=2 * MAX_DIGITS + 20, traps=[Inexact, InvalidOperation])


def scaled(magnitude: Decimal, factor: Decimal) -> Decimal:
    """``magnitude * factor``, exactly (a unit's factor to the canonical unit)."""
    return _EXACT.multiply(magnitude, factor)


def canonical(magnitude: Decimal, unit: Unit) -> Value:
    """``magnitude`` ``unit`` in its dimension's canonical unit, exactly."""
    if unit.dim is Dim.DURATION:
        count = scaled(magnitude, unit.factor)
        if count != count.to_integral_value():
            raise NumberError(
                f"a duration is a whole number of {'days' if unit.in_days else 'months'}, "
                f"not {format_decimal(magnitude)} {unit.spelling}"
            )
        return Duration(days=int(count)) if unit.in_days else Duration(months=int(count))
    if unit.dim is Dim.RATIO:
        return Fraction(magnitude) * Fraction(unit.factor)
    return scaled(magnitude, unit.factor)


def parse_quantity(text: str, dim: Dim | None = None) -> tuple[Value, Unit | None]:
    """Read ``"500 m2"``, ``"100万元"``, ``"3 years"``, ``"半年"`` or ``"30%"``.

    With ``dim`` given, the unit must be of that dimension and a bare number is read
    in the canonical unit. Returns the canonical value and the unit as written.
    """
    stripped = text.strip()
    if stripped == HALF_YEAR:
        if dim not in (None, Dim.DURATION):
            raise NumberError(f"`{HALF_YEAR}` is a duration, not {_expected(dim)}")
        return Duration(months=6), unit_named("个月")
    if dim is not None and _NUMBER.fullmatch(stripped):
        return _bare(parse_number(stripped), dim), None
    match = _QUANTITY.fullmatch(text)
    if match is None:
        raise NumberError(f"expected {_expected(dim)}, got `{_clip(text)}`")
    unit = unit_named(match.group(2))
    if unit is None:
        raise NumberError(f"unknown unit `{_clip(match.group(2))}` in `{_clip(text)}`")
    if dim is not None and unit.dim is not dim:
        raise NumberError(
            f"`{_clip(text)}` is {_expected(unit.dim, article=True)}, not {_expected(dim)}"
        )
    return canonical(parse_number(match.group(1)), unit), unit


def _bare(magnitude: Decimal, dim: Dim) -> Value:
    if dim is Dim.DURATION:
        if magnitude != magnitude.to_integral_value():
            raise NumberError("a bare duration is a whole number of months")
        return Duration(months=int(magnitude))
    if dim is Dim.RATIO:
        return Fraction(magnitude)
    return magnitude


_EXAMPLES = {
    Dim.AREA: 'an area such as "500 m2"',
    Dim.MONEY: 'an amount of money such as "100万元"',
    Dim.DURATION: 'a duration such as "3 years" or "6个月"',
    Dim.RATIO: 'a percentage such as "30%"',
}


def _expected(dim: Dim | None, article: bool = False) -> str:
    if dim is None:
        return "a number with a unit such as 500 m2"
    text = _EXAMPLES[dim]
    return text.split(" such as")[0] if article else text


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def as_fraction(value: Decimal | Fraction | int) -> Fraction:
    """The exact rational value of a number (Decimal converts without rounding)."""
    return value if isinstance(value, Fraction) else Fraction(value)


def format_decimal(value: Decimal | Fraction | int) -> str:
    """A number without exponent or trailing zeros: 500, 499.9, 0.1, 154.26.

    A fraction that has no finite decimal expansion prints as ``a/b``.
    """
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        den = value.denominator
        while den % 2 == 0:
            den //= 2
        while den % 5 == 0:
            den //= 5
        if den != 1:
            return f"{value.numerator}/{value.denominator}"
        value = Decimal(value.numerator) / Decimal(value.denominator)
    try:
        text = format(value.normalize(), "f")
    except InvalidOperation:  # pragma: no cover - finite decimals always format
        text = str(value)
    return text


def format_quantity(value: Value | int, dim: Dim | None, unit: Unit | None, lang: str) -> str:
    """Print a canonical value in ``unit`` (or the dimension's default unit)."""
    if dim is None or (isinstance(value, int) and not isinstance(value, bool)):
        return format_decimal(value) if not isinstance(value, Duration) else str(value)
    if isinstance(value, Duration):
        return _format_duration(value, unit, lang)
    if dim is Dim.RATIO:
        percent = as_fraction(value) * 100
        return f"{format_decimal(percent)}%"
    # English explanations print money in yuan: 万元 and 亿元 have no English unit.
    keep = unit is not None and unit.dim is dim and (lang == "zh" or dim is not Dim.MONEY)
    shown = unit if keep else unit_named("平方米" if dim is Dim.AREA else "元")
    assert shown is not None
    magnitude = as_fraction(value) / as_fraction(shown.factor)
    name = shown.zh if lang == "zh" else shown.en
    number = format_decimal(magnitude)
    if lang == "en" and dim is Dim.MONEY and "/" not in number:
        sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
        whole, _, fraction = digits.partition(".")
        number = sign + f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return f"{number} {name}"


def _format_duration(value: Duration, unit: Unit | None, lang: str) -> str:
    if value.days:
        return f"{value.days} 天" if lang == "zh" else _plural(value.days, "day")
    months = value.months
    if unit is not None and unit.factor == 12 and months % 12 == 0:
        years = months // 12
        return f"{years} 年" if lang == "zh" else _plural(years, "year")
    return f"{months} 个月" if lang == "zh" else _plural(months, "month")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
