"""Quantities: reading numbers and units exactly, bounding them, printing them back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policykit
from policykit.calendar import Duration
from policykit.quantities import (
    MAX_DIGITS,
    NumberError,
    Value,
    canonical,
    format_decimal,
    format_quantity,
    number_from_data,
    parse_number,
    parse_quantity,
)
from policykit.records import MakerSpace, structure
from policykit.stdlib.units import HALF_YEAR, UNITS, Dim, unit_named

# "2 <unit>" in the canonical unit of its dimension, worked out by hand:
# 1 万元 = 10,000 元, 1 亿元 = 100,000,000 元, 1 year = 12 months, 1% = 1/100.
TWO_OF: dict[str, Value] = {
    "m2": Decimal(2), "㎡": Decimal(2), "平方米": Decimal(2),
    "元": Decimal(2), "CNY": Decimal(2), "yuan": Decimal(2),
    "万元": Decimal(20_000),
    "亿元": Decimal(200_000_000),
    "days": Duration(days=2), "day": Duration(days=2), "天": Duration(days=2),
    "日": Duration(days=2),
    "months": Duration(months=2), "month": Duration(months=2), "个月": Duration(months=2),
    "月": Duration(months=2),
    "years": Duration(months=24), "year": Duration(months=24), "年": Duration(months=24),
    "%": Fraction(2, 100),
}


def test_the_hand_table_covers_every_unit_spelling() -> None:
    assert set(TWO_OF) == {u.spelling for u in UNITS}


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.spelling)
@pytest.mark.parametrize("layout", ["2 {}", "2{}", " 2  {} "])
def test_every_unit_spelling_parses(unit: object, layout: str) -> None:
    assert unit in UNITS
    spelling = unit.spelling  # type: ignore[attr-defined]
    value, written = parse_quantity(layout.format(spelling))
    assert value == TWO_OF[spelling]
    assert type(value) is type(TWO_OF[spelling])
    assert written == unit
    # With its own dimension given, the same text reads the same.
    assert parse_quantity(layout.format(spelling), unit.dim)[0] == TWO_OF[spelling]  # type: ignore[attr-defined]


def test_english_spellings_are_case_insensitive() -> None:
    assert parse_quantity("3 Years") == (Duration(months=36), unit_named("years"))
    assert parse_quantity("500 M2")[0] == Decimal(500)
    assert parse_quantity("10 cny")[0] == Decimal(10)


def test_half_a_year_is_six_months() -> None:
    assert parse_quantity(HALF_YEAR) == (Duration(months=6), unit_named("个月"))
    assert parse_quantity(" 半年 ", Dim.DURATION)[0] == Duration(months=6)
    with pytest.raises(NumberError, match="`半年` is a duration, not an area"):
        parse_quantity("半年", Dim.AREA)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100万元", Decimal(1_000_000)),          # 100 × 10,000
        ("0.01亿元", Decimal(1_000_000)),         # 0.01 × 100,000,000
        ("499.9 平方米", Decimal("499.9")),
        ("3 years", Duration(months=36)),         # 3 × 12
        ("0.5 years", Duration(months=6)),        # half of 12 months is whole
        ("6个月", Duration(months=6)),
        ("30%", Fraction(3, 10)),                 # 30/100
        ("12.5%", Fraction(1, 8)),                # 12.5/100 = 125/1000
        ("180天", Duration(days=180)),
    ],
)
def test_canonical_values_by_hand(text: str, expected: Value) -> None:
    value, _unit = parse_quantity(text)
    assert value == expected
    assert type(value) is type(expected)


def test_money_is_exact_not_float() -> None:
    # 0.1万元 is exactly 1000 元; binary floats would give 1000.0000000000001.
    value, _ = parse_quantity("0.1万元")
    assert value == Decimal(1000)
    assert isinstance(value, Decimal)


def test_a_bare_number_takes_the_canonical_unit_when_the_dimension_is_known() -> None:
    assert parse_quantity("500", Dim.AREA) == (Decimal(500), None)
    assert parse_quantity("100", Dim.MONEY) == (Decimal(100), None)
    assert parse_quantity("6", Dim.DURATION) == (Duration(months=6), None)
    assert parse_quantity("0.3", Dim.RATIO) == (Fraction(3, 10), None)
    with pytest.raises(NumberError, match="whole number of months"):
        parse_quantity("1.5", Dim.DURATION)
    with pytest.raises(NumberError, match="expected a number with a unit"):
        parse_quantity("500")


@pytest.mark.parametrize(
    ("text", "dim", "message"),
    [
        ("500 m2", Dim.MONEY, '`500 m2` is an area, not an amount of money such as "100万元"'),
        ("100万元", Dim.AREA, '`100万元` is an amount of money, not an area such as "500 m2"'),
        ("3 years", Dim.AREA, '`3 years` is a duration, not an area such as "500 m2"'),
        ("30%", Dim.DURATION, "`30%` is a percentage, not a duration such as"),
        ("6 months", Dim.RATIO, '`6 months` is a duration, not a percentage such as "30%"'),
    ],
)
def test_wrong_dimension(text: str, dim: Dim, message: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_quantity(text, dim)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5 acres", "unknown unit `acres` in `5 acres`"),
        ("big", "expected a number with a unit such as 500 m2, got `big`"),
        ("", "expected a number with a unit"),
        ("-5 m2", "expected a number with a unit"),
        ("1e3 m2", "expected a number with a unit such as 500 m2, got `1e3 m2`"),
        ("500", "expected a number with a unit such as 500 m2, got `500`"),
        ("1.5 months", "a duration is a whole number of months, not 1.5 months"),
        ("0.5天", "a duration is a whole number of days, not 0.5 天"),
    ],
)
def test_quantities_that_do_not_read(text: str, message: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_quantity(text)
    assert message in str(info.value)


def test_canonical_of_a_fractional_duration_is_refused() -> None:
    with pytest.raises(NumberError, match="whole number of months"):
        canonical(Decimal("0.1"), unit_named("years"))  # type: ignore[arg-type]
    assert canonical(Decimal("1.5"), unit_named("years")) == Duration(months=18)  # type: ignore[arg-type]


# ---------------------------------------------------------------- digit limits


def test_max_digits_is_thirty() -> None:
    assert MAX_DIGITS == 30


def test_thirty_digits_are_read_and_thirty_one_are_not() -> None:
    assert parse_number("9" * 30) == Decimal(10**30 - 1)
    with pytest.raises(NumberError, match="more than 30 digits"):
        parse_number("1" * 31)
    # Digits after the point count too: 15 + 15 = 30 is fine, 15 + 16 = 31 is not.
    assert parse_number("1" * 15 + "." + "2" * 15) == Decimal("1" * 15 + "." + "2" * 15)
    with pytest.raises(NumberError, match="more than 30 digits"):
        parse_number("1" * 15 + "." + "2" * 16)
    # Leading zeros add nothing to a number's size.
    assert parse_number("0" * 40 + "7") == Decimal(7)
    with pytest.raises(NumberError, match="more than 30 digits"):
        parse_quantity("1" * 31 + " m2")


@pytest.mark.parametrize(
    "text", ["1e5", "-5", "+5", "1,000", "５", "0x10", "NaN", "inf", ".5", "5."]
)
def test_only_plain_decimals_are_numbers(text: str) -> None:
    with pytest.raises(NumberError, match="not a plain decimal number"):
        parse_number(text)


def test_number_from_data_reads_exact_values() -> None:
    assert number_from_data(500) == Decimal(500)
    assert number_from_data("499.9") == Decimal("499.9")
    # A float is read from its shortest decimal string: 0.1, not 0.1000000000000000055….
    assert number_from_data(0.1) == Decimal("0.1")
    assert number_from_data(499.9) == Decimal("499.9")
    assert number_from_data(Decimal("1E+29")) == Decimal(10**29)  # 30 digits written out
    assert number_from_data(10**30 - 1) == Decimal(10**30 - 1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "not a finite number"),
        (float("inf"), "not a finite number"),
        (float("-inf"), "not a finite number"),
        (Decimal("NaN"), "not a finite number"),
        (Decimal("Infinity"), "not a finite number"),
        (-1, "out of range"),
        (-0.5, "negative"),
        (Decimal("-3"), "negative"),
        (True, "a boolean is not a number"),
        (False, "a boolean is not a number"),
        # 10**30 has 31 digits.
        (10**30, "out of range"),
        # Written out, 1E+30 is a 1 and thirty zeros: 31 digits.
        (Decimal("1E+30"), "more than 30 digits"),
        # 1e300 is read as 1E+300: 301 digits.
        (1e300, "more than 30 digits"),
        ("1e5", "not a plain decimal number"),
        ([1], "expected a number, got list"),
        (None, "expected a number, got NoneType"),
    ],
)
def test_number_from_data_refuses(value: object, message: str) -> None:
    with pytest.raises(NumberError) as info:
        number_from_data(value)
    assert message in str(info.value)


def test_a_huge_int_is_refused_without_converting_it_to_text() -> None:
    # Python refuses str() of an int with more than 4300 digits (a ValueError that is
    # not a NumberError); the size check must not depend on it.
    with pytest.raises(NumberError, match="out of range"):
        number_from_data(10**5000)


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=0))
def test_an_accepted_decimal_reads_back_through_parse_number(value: Decimal) -> None:
    # What number_from_data accepts, written out in full, is a number a policy may write.
    try:
        accepted = number_from_data(value)
    except NumberError:
        return
    if accepted.is_zero() and accepted.is_signed():
        return  # -0 has no plain spelling; it equals 0
    assert parse_number(format(accepted, "f")) == accepted


# ---------------------------------------------------------------- printing


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("500"), "500"),
        (Decimal("499.90"), "499.9"),
        (Decimal("1E+2"), "100"),
        (Decimal("0.10"), "0.1"),
        (Decimal("154.26"), "154.26"),
        (Decimal("0E-5"), "0"),
        (500, "500"),
        (Fraction(3, 1), "3"),
        (Fraction(1, 8), "0.125"),      # 8 = 2^3: a finite decimal
        (Fraction(3, 10), "0.3"),
        (Fraction(1, 3), "1/3"),        # no finite decimal expansion
        (Fraction(2, 3), "2/3"),
    ],
)
def test_format_decimal(value: Decimal | Fraction | int, text: str) -> None:
    assert format_decimal(value) == text


M2, WAN, YUAN, YEARS, MONTHS = (unit_named(s) for s in ("m2", "万元", "元", "years", "个月"))


@pytest.mark.parametrize(
    ("value", "dim", "unit", "lang", "text"),
    [
        (Decimal("499.9"), Dim.AREA, M2, "zh", "499.9 平方米"),
        (Decimal("499.9"), Dim.AREA, M2, "en", "499.9 m2"),
        (Decimal("80"), Dim.AREA, None, "zh", "80 平方米"),
        # 800,000 元 shown in 万元: 800000 / 10000 = 80.
        (Decimal(800_000), Dim.MONEY, WAN, "zh", "80 万元"),
        (Decimal(1_000_000), Dim.MONEY, WAN, "zh", "100 万元"),
        # English shows money in CNY with thousands separators, whatever the unit.
        (Decimal(1_000_000), Dim.MONEY, WAN, "en", "1,000,000 CNY"),
        (Decimal("1234567.5"), Dim.MONEY, YUAN, "en", "1,234,567.5 CNY"),
        (Decimal(200), Dim.MONEY, None, "en", "200 CNY"),
        (Decimal(200), Dim.MONEY, None, "zh", "200 元"),
        (Duration(months=36), Dim.DURATION, YEARS, "zh", "3 年"),
        (Duration(months=36), Dim.DURATION, YEARS, "en", "3 years"),
        (Duration(months=18), Dim.DURATION, YEARS, "en", "18 months"),
        (Duration(months=6), Dim.DURATION, MONTHS, "zh", "6 个月"),
        (Duration(days=30), Dim.DURATION, None, "zh", "30 天"),
        (Duration(days=30), Dim.DURATION, None, "en", "30 days"),
        (Fraction(3, 10), Dim.RATIO, None, "en", "30%"),
        (Fraction(2, 3), Dim.RATIO, None, "zh", "200/3%"),
        (12, None, None, "en", "12"),
        (12, Dim.AREA, M2, "zh", "12"),  # a count prints bare
    ],
)
def test_format_quantity(value: Value | int, dim: Dim | None, unit: object, lang: str,
                         text: str) -> None:
    assert format_quantity(value, dim, unit, lang) == text  # type: ignore[arg-type]


def test_english_money_keeps_the_sign_of_a_fraction_of_a_yuan() -> None:
    # -0.5 元 must not print as 0.5 (a sign lost to int("-0") == 0).
    assert format_quantity(Decimal("-0.5"), Dim.MONEY, None, "en") == "-0.5 CNY"
    assert format_quantity(Decimal("-1234.5"), Dim.MONEY, None, "en") == "-1,234.5 CNY"


@given(st.decimals(min_value=0, max_value=Decimal(10**12), places=2))
def test_money_printed_in_english_reads_back(value: Decimal) -> None:
    text = format_quantity(value, Dim.MONEY, WAN, "en")
    number, _, unit = text.partition(" ")
    assert unit == "CNY"
    assert parse_quantity(number.replace(",", "") + " 元")[0] == value


def test_a_unit_factor_is_applied_exactly_beyond_the_default_decimal_precision() -> None:
    # 1234567890123456789012345678.1 万元 = 12345678901234567890123456781000 元 (33
    # digits, over the default context's 28): 1000 元 more than the bound, so `>` holds.
    policy = policykit.loads(
        'policy t.x title "t" source "s" issued 2016-06-01 by "x"\n'
        'subject space: MakerSpace\n'
        'criterion fund cites "一" = space.seed_fund > 1234567890123456789012345678 万元\n')
    result = policy.evaluate({"seed_fund": "1234567890123456789012345678.1 万元"},
                             as_of=date(2016, 9, 1))
    assert result.outcome == "met"
    assert structure({"seed_fund": "1234567890123456789012345678.1 万元"}, MakerSpace
                     ).seed_fund == Decimal("12345678901234567890123456781000")
