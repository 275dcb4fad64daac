"""Periods and dates as the Civil Code (民法典) counts them.

第二百零一条: a period counted in years, months or days starts on the day after the
event. 第二百零二条: a period counted in years or months ends on the corresponding
day of its final month, or on that month's last day where the month has no such day.
So the *last day* of a period of ``n`` months started by an event on ``d`` is
``add(d, n months)`` rounded down to the month's end: 2016-08-31 + 6 months ends on
2017-02-28, and 2020-02-29 + 2 years ends on 2022-02-28.

A :class:`Duration` keeps months and days apart: a month is not a fixed number of
days, so ``6 months`` and ``180 days`` are never silently compared.
"""

from __future__ import annotations

import calendar as _cal
import functools
from datetime import date, timedelta

import attrs

__all__ = [
    "Deadline",
    "Duration",
    "PeriodEnd",
    "add_period",
    "day_range",
    "holiday_deadline",
    "last_day_of_month",
    "period_end",
    "period_last_day",
]


@attrs.frozen(order=False)
class Duration:
    """A span of calendar time: whole months (a year is 12) or whole days, never both."""

    months: int = 0
    days: int = 0

    def __attrs_post_init__(self) -> None:
        if self.months and self.days:
            raise ValueError("a duration counts months or days, not both")
        if self.months < 0 or self.days < 0:
            raise ValueError("a duration is never negative")

    @property
    def in_months(self) -> bool:
        """True when this duration is counted in months (or years), or is zero."""
        return self.days == 0

    def comparable_with(self, other: Duration) -> bool:
        """Two durations compare only when both count months or both count days."""
        if self.months == 0 and self.days == 0:
            return True
        if other.months == 0 and other.days == 0:
            return True
        return self.in_months == other.in_months

    def magnitude(self) -> int:
        """The count in this duration's own unit (months or days)."""
        return self.days if self.days else self.months

    def __add__(self, other: object) -> Duration:
        if not isinstance(other, Duration):
            return NotImplemented
        if not self.comparable_with(other):
            raise ValueError("cannot add months to days")
        return Duration(self.months + other.months, self.days + other.days)


@attrs.frozen
class PeriodEnd:
    """The last day of a period, and whether 第二百零二条's month-end rule was needed."""

    last_day: date
    clamped: bool


def last_day_of_month(year: int, month: int) -> int:
    """The number of the last day of ``month`` in ``year``."""
    return _cal.monthrange(year, month)[1]


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def period_last_day(start: date, months: int, days: int) -> date:
    """The day ``months`` months (or ``days`` days) after ``start``: the same day of the
    month, or that month's last day when it has none (第二百零二条).

    Raises ``OverflowError`` when the result is outside the years 1..9999. Called on
    every ``time since`` of a decision, so it builds nothing but the date.
    """
    if days:
        return start + timedelta(days=days)
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    month = month0 + 1
    last = _DAYS_IN_MONTH[month]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return date(year, month, start.day if start.day <= last else last)


def add_period(start: date, duration: Duration) -> PeriodEnd:
    """``start`` plus ``duration``, rounding down to the month's last day (第二百零二条).

    Raises ``OverflowError`` when the result is outside the years 1..9999.
    """
    last = period_last_day(start, duration.months, duration.days)
    return PeriodEnd(last, clamped=not duration.days and last.day != start.day)


def period_end(event_on: date, duration: Duration) -> PeriodEnd:
    """The last day of a period of ``duration`` started by an event on ``event_on``.

    The period starts on the next day (第二百零一条) and ends on the day that
    corresponds to ``event_on`` in its final month (第二百零二条): the same date as
    :func:`add_period` gives.
    """
    return add_period(event_on, duration)


_MAX_RANGE_MONTHS = 1200


@functools.lru_cache(maxsize=256)
def _day_range(months: int) -> tuple[int, int]:
    # Leap years repeat every 400 years (2100 has no 29 February), so every start month
    # of one such cycle is tried. Within a month, days 1-28 span the same number of days
    # (the longest); only the 29th-31st can be clamped to a shorter month's end.
    spans = [
        (add_period(start, Duration(months=months)).last_day - start).days
        for year in range(2000, 2400) for month in range(1, 13)
        for day in (1, 29, 30, 31) if day <= last_day_of_month(year, month)
        for start in (date(year, month, day),)
    ]
    return min(spans), max(spans)


def day_range(duration: Duration) -> tuple[int, int] | None:
    """The fewest and most days a period of ``duration`` can span, whatever its start.

    A period of months ends per 第二百零二条, so its length in days depends on where
    it starts: one month spans 28 to 31 days, six months 181 to 184, four years 1460
    (across 2100) to 1461. None beyond 100 years.
    """
    if duration.days or duration.months == 0:
        return duration.days, duration.days
    if duration.months > _MAX_RANGE_MONTHS:
        return None
    return _day_range(duration.months)


@attrs.frozen
class Deadline:
    """The last day of a period for doing an act, after 第二百零三条 when it applies.

    ``moved_from`` is the original last day when it fell on a statutory holiday and the
    deadline moved to the day after the holiday; ``unknown`` when the holiday calendar
    does not cover that year (the deadline is then left where it was).
    """

    last_day: date
    moved_from: date | None = None
    unknown: bool = False


def holiday_deadline(last_day: date) -> Deadline:
    """``last_day``, or the first working day after it when it is a statutory rest day.

    第二百零三条: "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日".
    Rest days are those of the State Council's yearly schedule, weekends included and
    make-up working days excluded, as the ``chinese_calendar`` package publishes them.
    """
    # Imported here, not with policykit: only policies with the holiday rule need it.
    import chinese_calendar  # type: ignore[import-untyped]  # noqa: PLC0415  # no type information

    day = last_day
    try:
        while chinese_calendar.is_holiday(day):
            day += timedelta(days=1)
    except NotImplementedError:
        return Deadline(last_day, None, unknown=True)
    return Deadline(day, last_day if day != last_day else None)
