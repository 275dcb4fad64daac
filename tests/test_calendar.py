"""The calendar: periods per 民法典 第二百零一–二百零三条, checked against Catala's tables.

The three CSV tables of CatalaLang/dates-calc live beside the repository in
``shared/conformance/catala-dates-calc`` (see its README). Every row must hold: the exact
table as written, the ambiguous table in its round-*down* column (民法典 第二百零二条:
"没有对应日的，月末日为期间的最后一日"), and the first/last day of a month.
"""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policykit.calendar import (
    Duration,
    PeriodEnd,
    add_period,
    day_range,
    last_day_of_month,
    period_end,
)

CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "catala-dates-calc"

_PERIOD = re.compile(r"\[\s*(\d+) years,\s*(\d+) months,\s*(\d+) days\s*\]")


def _table(name: str) -> list[list[str]] | None:
    """The data rows of one CSV table (header dropped, cells stripped), or None if absent."""
    path = CONFORMANCE / name
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as f:
        rows = [[cell.strip() for cell in row] for row in csv.reader(f, delimiter=";")]
    return [row for row in rows[1:] if any(row)]


def _rows(name: str) -> list[list[str] | None]:
    # A missing table gives one `None` row, so the test FAILS (an empty parameter set
    # would only be skipped).
    rows = _table(name)
    return [None] if rows is None else list(rows)


def _need(row: list[str] | None, name: str) -> list[str]:
    if row is None:
        pytest.fail(
            f"conformance table {name} not found in {CONFORMANCE}: the repository must be "
            "cloned with `shared/` beside it (../shared/conformance/catala-dates-calc)"
        )
    return row


def _period(text: str) -> Duration:
    match = _PERIOD.fullmatch(text)
    assert match is not None, f"cannot read the period {text!r}"
    years, months, days = (int(g) for g in match.groups())
    # The README: "no row mixes units"; a Duration never mixes months and days either.
    assert not ((years or months) and days), f"a row mixes months and days: {text!r}"
    return Duration(days=days) if days else Duration(months=12 * years + months)


def _day(text: str) -> date:
    return date.fromisoformat(text)


def test_the_conformance_tables_are_present_and_complete() -> None:
    for name, columns in (("exact_computations.csv", 3), ("ambiguous_computations.csv", 4),
                          ("first_last_day_of_month.csv", 3)):
        rows = _table(name)
        if rows is None:
            pytest.fail(f"conformance table {name} not found in {CONFORMANCE}: clone the "
                        "repository with `shared/` beside it")
        assert rows, f"{name} has no data rows"
        assert all(len(row) == columns for row in rows), name
        # Every non-empty line after the header is a row we read (none silently dropped).
        lines = (CONFORMANCE / name).read_text("utf-8").splitlines()
        assert len(rows) == len([line for line in lines[1:] if line.strip()])


@pytest.mark.parametrize("row", _rows("exact_computations.csv"))
def test_exact_computations(row: list[str] | None) -> None:
    start, period, expected = _need(row, "exact_computations.csv")
    result = add_period(_day(start), _period(period))
    assert result == PeriodEnd(_day(expected), clamped=False)


@pytest.mark.parametrize("row", _rows("ambiguous_computations.csv"))
def test_ambiguous_computations_round_down(row: list[str] | None) -> None:
    start, period, up, down = _need(row, "ambiguous_computations.csv")
    result = add_period(_day(start), _period(period))
    assert result.last_day == _day(down)
    assert result.last_day != _day(up)
    assert result.clamped is True
    # Rounding down lands on the last day of the target month.
    assert result.last_day.day == last_day_of_month(result.last_day.year, result.last_day.month)


@pytest.mark.parametrize("row", _rows("first_last_day_of_month.csv"))
def test_first_and_last_day_of_month(row: list[str] | None) -> None:
    day, first, last = (_day(x) for x in _need(row, "first_last_day_of_month.csv"))
    assert first == day.replace(day=1)
    assert date(day.year, day.month, last_day_of_month(day.year, day.month)) == last


@pytest.mark.parametrize(
    ("year", "month", "last"),
    [
        (2016, 2, 29),  # 2016 divisible by 4
        (2017, 2, 28),
        (1900, 2, 28),  # divisible by 100, not by 400
        (2000, 2, 29),  # divisible by 400
        (2016, 4, 30),
        (2016, 12, 31),
    ],
)
def test_last_day_of_month_by_hand(year: int, month: int, last: int) -> None:
    assert last_day_of_month(year, month) == last


# ---------------------------------------------------------------- 民法典 第二百零二条


def test_six_months_from_the_31st_of_august_ends_on_the_28th_of_february() -> None:
    # ../shared/sources/README.md: "2016-08-31 + 6 months ends on 2017-02-28" (2017 is not
    # a leap year, so February has no 31st: its last day is the period's last day).
    assert add_period(date(2016, 8, 31), Duration(months=6)) == PeriodEnd(date(2017, 2, 28), True)
    assert period_end(date(2016, 8, 31), Duration(months=6)) == PeriodEnd(date(2017, 2, 28), True)


def test_two_years_from_the_29th_of_february_ends_on_the_28th() -> None:
    # "2020-02-29 + 2 years ends on 2022-02-28"; 2 years are 24 months.
    assert add_period(date(2020, 2, 29), Duration(months=24)) == PeriodEnd(date(2022, 2, 28), True)


def test_a_corresponding_day_is_not_clamped() -> None:
    # 2016-01-15 + 半年 (6 months) = 2016-07-15: July has a 15th.
    assert add_period(date(2016, 1, 15), Duration(months=6)) == PeriodEnd(date(2016, 7, 15), False)
    # Four years from a 29 February lands on another 29 February.
    assert add_period(date(2012, 2, 29), Duration(months=48)) == PeriodEnd(date(2016, 2, 29), False)


def test_days_are_counted_one_by_one() -> None:
    # 2016-02-20 + 10 days: 21..29 February is 9 days (leap year), then 1 March.
    assert add_period(date(2016, 2, 20), Duration(days=10)) == PeriodEnd(date(2016, 3, 1), False)
    # 31 days from 31 January is 3 March in 2017 (28 days of February).
    assert add_period(date(2017, 1, 31), Duration(days=31)) == PeriodEnd(date(2017, 3, 3), False)


def test_a_zero_period_ends_on_the_day_itself() -> None:
    assert add_period(date(2016, 8, 31), Duration()) == PeriodEnd(date(2016, 8, 31), False)


def test_out_of_range_results_raise_overflow_error() -> None:
    with pytest.raises(OverflowError):
        add_period(date(9999, 12, 1), Duration(months=1))
    with pytest.raises(OverflowError):
        add_period(date(9999, 12, 31), Duration(days=1))


@given(
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9000, 12, 31)),
    months=st.integers(min_value=0, max_value=12 * 900),
)
def test_adding_months_lands_on_the_same_or_the_last_day(start: date, months: int) -> None:
    result = add_period(start, Duration(months=months))
    end = result.last_day
    # In the right month: `months` months after the start's month.
    index = start.year * 12 + start.month - 1 + months
    assert (end.year, end.month) == (index // 12, index % 12 + 1)
    # Never after the corresponding day; clamped exactly when the day changed, and then
    # to the month's last day.
    assert end.day <= start.day
    assert result.clamped == (end.day != start.day)
    if result.clamped:
        assert end.day == last_day_of_month(end.year, end.month)
    assert period_end(start, Duration(months=months)) == result


@given(
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9000, 12, 31)),
    days=st.integers(min_value=0, max_value=300_000),
)
def test_adding_days_is_never_clamped(start: date, days: int) -> None:
    assert add_period(start, Duration(days=days)) == PeriodEnd(start + timedelta(days=days), False)


# ---------------------------------------------------------------- Duration


def test_a_duration_never_mixes_months_and_days() -> None:
    with pytest.raises(ValueError, match="months or days, not both"):
        Duration(months=1, days=1)


def test_a_duration_is_never_negative() -> None:
    with pytest.raises(ValueError, match="never negative"):
        Duration(months=-1)
    with pytest.raises(ValueError, match="never negative"):
        Duration(days=-1)


def test_comparable_with() -> None:
    six_months, three_years = Duration(months=6), Duration(months=36)
    thirty_days, zero = Duration(days=30), Duration()
    assert six_months.comparable_with(three_years)
    assert thirty_days.comparable_with(Duration(days=180))
    # A month has no fixed number of days: 6 months and 180 days never compare.
    assert not six_months.comparable_with(Duration(days=180))
    assert not thirty_days.comparable_with(six_months)
    # Zero is zero in any unit.
    assert zero.comparable_with(thirty_days)
    assert six_months.comparable_with(zero)


def test_in_months_and_magnitude() -> None:
    assert Duration(months=36).in_months and Duration(months=36).magnitude() == 36
    assert not Duration(days=30).in_months and Duration(days=30).magnitude() == 30
    assert Duration().in_months and Duration().magnitude() == 0


def test_adding_durations() -> None:
    assert Duration(months=6) + Duration(months=12) == Duration(months=18)
    assert Duration(days=10) + Duration(days=5) == Duration(days=15)
    assert Duration() + Duration(days=5) == Duration(days=5)
    with pytest.raises(ValueError, match="cannot add months to days"):
        Duration(months=1) + Duration(days=1)


def test_durations_are_equal_by_unit_not_by_length() -> None:
    assert Duration(months=12) == Duration(months=12)
    assert Duration(months=1) != Duration(days=30)
    # No order between durations: comparing them is a decision for the caller.
    with pytest.raises(TypeError):
        _ = Duration(months=1) < Duration(months=2)  # type: ignore[operator]


# ---------------------------------------------------------------- day_range


def _span(start: date, months: int) -> int:
    return (add_period(start, Duration(months=months)).last_day - start).days


def test_day_range_by_hand() -> None:
    # One month: 1 February → 1 March in a common year is 28 days (so is 31 January →
    # 28 February, clamped); 1 January → 1 February is 31.
    assert day_range(Duration(months=1)) == (28, 31)
    # Six months: 1 January → 1 July of a common year, 31+28+31+30+31+30 = 181;
    # 1 July → 1 January, 31+31+30+31+30+31 = 184.
    assert day_range(Duration(months=6)) == (181, 184)
    assert day_range(Duration(months=12)) == (365, 366)
    assert day_range(Duration(days=30)) == (30, 30)
    assert day_range(Duration()) == (0, 0)
    assert day_range(Duration(months=1201)) is None


def test_day_range_knows_centuries_without_a_29th_of_february() -> None:
    # Four years hold one 29 February, except across 2100 (divisible by 100, not by 400):
    # 2098-03-01 + 48 months = 2102-03-01, 4 × 365 = 1460 days. From 2000: 1461.
    assert _span(date(2098, 3, 1), 48) == 1460
    assert _span(date(2000, 1, 1), 48) == 1461
    assert day_range(Duration(months=48)) == (1460, 1461)


@given(
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9000, 12, 31)),
    months=st.integers(min_value=1, max_value=1200),
)
def test_day_range_bounds_every_start(start: date, months: int) -> None:
    bounds = day_range(Duration(months=months))
    assert bounds is not None
    low, high = bounds
    assert low <= _span(start, months) <= high
