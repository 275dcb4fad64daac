"""The units a policy or a record may write, by dimension.

Each unit maps to the dimension's canonical unit: square metres for area, yuan for
money, months or days for durations, and the plain fraction for a percentage.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import attrs

__all__ = ["HALF_YEAR", "UNITS", "Dim", "Unit", "unit_named"]


class Dim(Enum):
    """A physical or legal dimension a quantity has."""

    AREA = "area"
    MONEY = "money"
    DURATION = "duration"
    RATIO = "ratio"

    @property
    def zh(self) -> str:
        return _DIM_ZH[self]


_DIM_ZH = {Dim.AREA: "面积", Dim.MONEY: "金额", Dim.DURATION: "期限", Dim.RATIO: "比例"}


@attrs.frozen
class Unit:
    """One unit spelling: its dimension and how many canonical units it is.

    For durations ``factor`` counts months, or days when ``in_days`` is set.
    ``zh`` and ``en`` are how the unit is printed in explanations.
    """

    spelling: str
    dim: Dim
    factor: Decimal
    zh: str
    en: str
    in_days: bool = False


def _u(spellings: tuple[str, ...], dim: Dim, factor: str, zh: str, en: str,
       in_days: bool = False) -> list[Unit]:
    return [Unit(s, dim, Decimal(factor), zh, en, in_days) for s in spellings]


UNITS: tuple[Unit, ...] = tuple(
    _u(("m2", "㎡", "平方米"), Dim.AREA, "1", "平方米", "m2")
    + _u(("元", "CNY", "yuan"), Dim.MONEY, "1", "元", "CNY")
    + _u(("万元",), Dim.MONEY, "10000", "万元", "×10k CNY")
    + _u(("亿元",), Dim.MONEY, "100000000", "亿元", "×100M CNY")
    + _u(("days", "day", "天", "日"), Dim.DURATION, "1", "天", "days", in_days=True)
    + _u(("months", "month", "个月", "月"), Dim.DURATION, "1", "个月", "months")
    + _u(("years", "year", "年"), Dim.DURATION, "12", "年", "years")
    + _u(("%",), Dim.RATIO, "0.01", "%", "%")
)
"""Every unit spelling, in the order the documentation lists them."""

HALF_YEAR = "半年"
"""``半年`` (half a year) stands alone, without a number: six months."""

_BY_SPELLING = {u.spelling.lower(): u for u in UNITS}


def unit_named(spelling: str) -> Unit | None:
    """The unit spelled ``spelling`` (English spellings case-insensitive), or None."""
    return _BY_SPELLING.get(spelling.strip().lower())
