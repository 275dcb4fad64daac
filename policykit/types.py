"""The types of the policy language, shared by the record schema and the checker.

A record field declares its type with one of these descriptors (in its attrs
metadata); the checker types every expression with them. They are plain frozen
values: two descriptors are the same type when they are equal.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import attrs

from policykit.stdlib.units import Dim

__all__ = [
    "BOOL",
    "DATE",
    "INT",
    "TEXT",
    "BoolT",
    "DateT",
    "EnumT",
    "IntT",
    "ListT",
    "MapT",
    "QuantityT",
    "RecordT",
    "SetT",
    "TextT",
    "Type",
    "describe",
]


@attrs.frozen
class BoolT:
    pass


@attrs.frozen
class IntT:
    pass


@attrs.frozen
class TextT:
    pass


@attrs.frozen
class DateT:
    pass


@attrs.frozen
class QuantityT:
    """A quantity of one dimension; durations say whether they count months or days."""

    dim: Dim


@attrs.frozen
class EnumT:
    enum: type[Enum]


@attrs.frozen
class SetT:
    """A set of enum members (the record vocabulary has no other sets)."""

    enum: type[Enum]


@attrs.frozen
class RecordT:
    cls: type[Any]


@attrs.frozen
class MapT:
    """A map from text keys to values of one type (assessments, form texts)."""

    value: Type


@attrs.frozen
class ListT:
    item: Type


Type = BoolT | IntT | TextT | DateT | QuantityT | EnumT | SetT | RecordT | MapT | ListT

BOOL = BoolT()
INT = IntT()
TEXT = TextT()
DATE = DateT()


def describe(ty: Type) -> str:
    """A short English name of a type for diagnostics: ``area``, ``set of Service``."""
    match ty:
        case BoolT():
            return "yes/no"
        case IntT():
            return "whole number"
        case TextT():
            return "text"
        case DateT():
            return "date"
        case QuantityT(dim):
            return dim.value
        case EnumT(enum):
            return enum.__name__
        case SetT(enum):
            return f"set of {enum.__name__}"
        case RecordT(cls):
            return str(cls.__name__)
        case MapT(value):
            return f"map of text to {describe(value)}"
        case ListT(item):
            return f"list of {describe(item)}"
    raise AssertionError(ty)  # pragma: no cover - the match is exhaustive
