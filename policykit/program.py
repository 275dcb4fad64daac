"""The checked program: what the checker hands to the compiler.

Every name is resolved (fields to schema steps with their labels, rules to rules,
enum names to members), every expression typed, every constant in its canonical
unit. The compiler reads only this module's classes, never the AST or the schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from enum import Enum
from typing import Any

import attrs

from policykit.calendar import Duration
from policykit.nodes import Label
from policykit.source import Span
from policykit.stdlib.units import Unit
from policykit.types import Type

__all__ = [
    "CheckedCitation",
    "CheckedLifecycle",
    "CheckedNote",
    "CheckedRule",
    "PolicyInfo",
    "Program",
    "TBoolOp",
    "TCombination",
    "TCompare",
    "TConst",
    "TCount",
    "TCountInYear",
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
    "TStep",
    "TSteps",
    "TUnsettled",
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
    label: Label | None = None


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


@attrs.frozen
class TStep:
    """One step of a procedure, by name (and label, when the policy gives one)."""

    name: str
    label: Label
    expr: TExpr
    text: str


@attrs.frozen
class TSteps:
    """A procedure's steps in order: passes only when every step passed."""

    steps: tuple[TStep, ...]
    text: str
    span: Span | None = _span()


@attrs.frozen
class TUnsettled:
    """The source settles nothing here: always undetermined, with no fact missing."""

    text: str
    span: Span | None = _span()


@attrs.frozen
class TCount:
    """How many items of a list of texts are ``items`` (one text, or any of a set)."""

    items: frozenset[str]
    collection: TField
    type: Type
    label: Label
    text: str
    span: Span | None = _span()


@attrs.frozen
class TCountInYear:
    """How many dates of a list fall in a calendar year (by default the last full year
    before the evaluation's date). ``owner`` is the text naming whose dates they are
    (a Meetings record's ``body``), used only in explanations."""

    dates: TField
    year: TExpr
    owner: TField | None
    type: Type
    label: Label
    text: str
    span: Span | None = _span()


TExpr = (
    TField | TConst | TOf | TCompare | TBoolOp | TNot | TImplies | TMember | TIncludes
    | TSince | TCombination | TJudged | TRuleRef | TIndex | TLength | TSteps | TUnsettled
    | TCount | TCountInYear
)


@attrs.frozen
class CheckedRule:
    name: str
    kind: str  # criterion, decision, target, vote, procedure, requirement, term
    label: Label
    citations: tuple[CheckedCitation, ...]
    notes: tuple[CheckedNote, ...]
    body: TExpr
    depends_on: tuple[str, ...]
    subject_name: str = ""
    subject_type: type[Any] = object
    due: date | None = None  # a target: before this day, not reached is not yet due


@attrs.frozen
class LcStateDef:
    name: str
    label: Label
    lasts: Duration | None
    lasts_unit: Unit | None
    citations: tuple[CheckedCitation, ...]


@attrs.frozen
class LcEventDef:
    name: str
    label: Label


@attrs.frozen
class LcGuardDef:
    """``after_period``, ``after_ban``, ``after_time``/``within_time`` (``duration`` from
    entry into the state), ``consecutive`` (``times`` consecutive years, each the year an
    event is for), ``after_extension`` (after the end of a period that was extended) or
    ``when_decided`` (the event only records a decision or act due; else a RecordError)."""

    kind: str
    duration: Duration | None = None
    unit: Unit | None = None
    times: int = 0


@attrs.frozen
class LcTransitionDef:
    trigger: str
    missed: bool
    guard: LcGuardDef | None
    source: str
    effect: str  # go, decide, extend
    target: str | None
    decision: Label | None
    decided_by: tuple[str, ...]
    extend_by: Duration | None
    extend_unit: Unit | None
    citations: tuple[CheckedCitation, ...]
    notes: tuple[CheckedNote, ...]
    mandatory: bool = False
    """For ``decide``: an act the text requires (``-> mandatory "…" done by E``), not a
    choice left to the authority."""


@attrs.frozen
class LcBanDef:
    state: str
    duration: Duration
    unit: Unit | None
    citations: tuple[CheckedCitation, ...]
    notes: tuple[CheckedNote, ...]


@attrs.frozen
class LcDutyDef:
    name: str
    label: Label
    states: tuple[str, ...]
    event: str
    month_day: tuple[int, int] | None
    after: str | None
    citations: tuple[CheckedCitation, ...]
    notes: tuple[CheckedNote, ...]
    mostly: bool = False
    """``each year, mostly held``: the year of entry is due only if the greater part of it
    is left after the day of entry."""


@attrs.frozen
class CheckedLifecycle:
    """A checked lifecycle: every state, event and duty it names is declared."""

    name: str
    label: Label
    citations: tuple[CheckedCitation, ...]
    notes: tuple[CheckedNote, ...]
    states: tuple[LcStateDef, ...]
    initial: str
    events: tuple[LcEventDef, ...]
    transitions: tuple[LcTransitionDef, ...]
    bans: tuple[LcBanDef, ...]
    duties: tuple[LcDutyDef, ...]
    holidays: tuple[CheckedCitation, ...] | None
    """The citations for 第二百零三条 when the policy applies it to deadlines, else None."""

    def state(self, name: str) -> LcStateDef:
        return next(s for s in self.states if s.name == name)

    def event(self, name: str) -> LcEventDef:
        return next(e for e in self.events if e.name == name)

    def ban(self, state: str) -> LcBanDef | None:
        return next((b for b in self.bans if b.state == state), None)


@attrs.frozen
class PolicyInfo:
    id: str
    title: Label
    source: Label
    issued: date | None
    issuer: Label | None
    in_force_from: date | None
    in_force_until: date | None
    issued_exact: bool = True
    """False when the instrument gives no date and ``issued`` is only a lower bound."""


@attrs.frozen
class Program:
    """A checked policy: its header, subject, rules in dependency order and notes.

    ``subject_name``/``subject_type`` are the header's subject, or the main rule's when
    the header names none; each rule carries its own.
    """

    info: PolicyInfo
    subject_name: str
    subject_type: type[Any]
    rules: tuple[CheckedRule, ...]
    notes: tuple[CheckedNote, ...]
    main: str
    enums: tuple[type[Enum], ...] = ()
    lifecycles: tuple[CheckedLifecycle, ...] = ()
    meanings: tuple[tuple[str, Label], ...] = ()  # texts records use as codes, in words

    def rule(self, name: str) -> CheckedRule | None:
        for rule in self.rules:
            if rule.name == name:
                return rule
        return None


def walk(expr: TExpr) -> Iterator[Any]:
    """Every node of a typed expression, in source order."""
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        yield node
        children: list[Any] = []
        for field in attrs.fields(type(node)):
            if isinstance(node, TCountInYear) and field.name == "owner":
                continue  # read only to name whose meetings are counted
            value = getattr(node, field.name)
            if isinstance(value, tuple):
                children.extend(v.expr if isinstance(v, TBranch) else v
                                for v in value if attrs.has(type(v)))
            elif attrs.has(type(value)) and not isinstance(value, CheckedCitation):
                children.append(value)
        stack.extend(reversed(children))
