"""The checked program: what the checker hands to the compiler.

Every name is resolved (fields to schema steps with their labels, rules to rules,
enum names to members), every expression typed, every constant in its canonical
unit. The compiler reads only this module's classes, never the AST or the schema.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import attrs

from policykit.nodes import Label
from policykit.source import Span
from policykit.stdlib.units import Unit
from policykit.types import Type

__all__ = [
    "CheckedCitation",
    "CheckedNote",
    "CheckedRule",
    "PolicyInfo",
    "Program",
    "TBoolOp",
    "TCombination",
    "TCompare",
    "TConst",
    "TExpr",
    "TField",
    "TImplies",
    "TIncludes",
    "TIndex",
    "TJudged",
    "TLength",
    "TMember",
    "TNot",
    "TOf",
    "TRuleRef",
    "TSince",
]


def _span() -> Span | None:
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)  # type: ignore[no-any-return]


@attrs.frozen
class CheckedCitation:
    instrument: str
    article: str
    quote: str | None


@attrs.frozen
class CheckedNote:
    name: str
    kind: str
    citations: tuple[CheckedCitation, ...]
    text: Label
    prevails: Label | None


@attrs.frozen
class TField:
    """A field path from the subject: attribute ``steps``, shown as ``path`` (``space.area``)."""

    steps: tuple[str, ...]
    path: str
    type: Type
    label: Label
    text: str
    span: Span | None = _span()


@attrs.frozen
class TIndex:
    """One entry of a map field: ``app.form["leader_bio"]``, shown as ``path``."""

    base: TField
    key: str
    path: str
    type: Type
    label: Label
    text: str
    span: Span | None = _span()


@attrs.frozen
class TLength:
    """The number of characters of a text value (字数)."""

    operand: TExpr
    type: Type
    label: Label
    text: str
    span: Span | None = _span()


@attrs.frozen
class TConst:
    """A constant in canonical units, with the unit it was written in."""

    value: Any
    type: Type
    unit: Unit | None
    text: str
    span: Span | None = _span()


@attrs.frozen
class TOf:
    """``ratio of base``: the base's type, scaled by an exact fraction."""

    ratio: TConst
    base: TExpr
    type: Type
    text: str
    span: Span | None = _span()


@attrs.frozen
class TCompare:
    op: str
    left: TExpr
    right: TExpr
    type: Type
    text: str
    span: Span | None = _span()


@attrs.frozen
class TBoolOp:
    op: str
    operands: tuple[TExpr, ...]
    text: str
    span: Span | None = _span()


@attrs.frozen
class TNot:
    operand: TExpr
    text: str
    span: Span | None = _span()


@attrs.frozen
class TImplies:
    condition: TExpr
    consequence: TExpr
    text: str
    span: Span | None = _span()


@attrs.frozen
class TMember:
    """``element in collection``; either side may be the constant set."""

    element: TExpr
    collection: TExpr
    negated: bool
    text: str
    span: Span | None = _span()


@attrs.frozen
class TIncludes:
    collection: TExpr
    quantifier: str
    items: TConst
    text: str
    span: Span | None = _span()


@attrs.frozen
class TSince:
    start: TExpr
    op: str
    duration: TConst
    text: str
    span: Span | None = _span()


@attrs.frozen
class TBranch:
    name: str | None
    expr: TExpr
    text: str


@attrs.frozen
class TCombination:
    quantifier: str
    branches: tuple[TBranch, ...]
    text: str
    span: Span | None = _span()


@attrs.frozen
class TJudged:
    """A reviewer's judgement looked up by ``key`` in the map at ``source``."""

    key: str
    question: Label
    source: TField
    text: str
    span: Span | None = _span()


@attrs.frozen
class TRuleRef:
    name: str
    text: str
    span: Span | None = _span()


TExpr = (
    TField | TConst | TOf | TCompare | TBoolOp | TNot | TImplies | TMember | TIncludes
    | TSince | TCombination | TJudged | TRuleRef | TIndex | TLength
)


@attrs.frozen
class CheckedRule:
    name: str
    kind: str  # "criterion" | "decision" | "target"
    label: Label
    citations: tuple[CheckedCitation, ...]
    notes: tuple[CheckedNote, ...]
    body: TExpr
    depends_on: tuple[str, ...]


@attrs.frozen
class PolicyInfo:
    id: str
    title: Label
    source: Label
    issued: date | None
    issuer: Label | None
    in_force_from: date | None
    in_force_until: date | None


@attrs.frozen
class Program:
    """A checked policy: its header, subject, rules in dependency order and notes."""

    info: PolicyInfo
    subject_name: str
    subject_type: type[Any]
    rules: tuple[CheckedRule, ...]
    notes: tuple[CheckedNote, ...]
    main: str
    enums: tuple[type[Enum], ...] = ()

    def rule(self, name: str) -> CheckedRule | None:
        for rule in self.rules:
            if rule.name == name:
                return rule
        return None
