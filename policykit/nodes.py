"""The policy AST: frozen attrs nodes, each carrying its source span.

The span never takes part in equality or repr, so two texts that differ only in
layout parse to equal trees. Nodes hold only what the text says; names are resolved
and types checked by :mod:`policykit.checker`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from policykit.source import Span

__all__ = [
    "RULE_KINDS",
    "BoolLit",
    "BoolOp",
    "Branch",
    "Citation",
    "Combination",
    "Compare",
    "Count",
    "CountInYear",
    "DateLit",
    "Expr",
    "FractionLit",
    "Header",
    "Implies",
    "Includes",
    "Index",
    "Judged",
    "Label",
    "LcBan",
    "LcDuty",
    "LcEvent",
    "LcGuard",
    "LcOn",
    "LcState",
    "Length",
    "Lifecycle",
    "Member",
    "Not",
    "Note",
    "NumberLit",
    "Of",
    "Over",
    "Path",
    "Policy",
    "QuantityLit",
    "Ref",
    "Rule",
    "SetLit",
    "Since",
    "Statement",
    "Step",
    "Steps",
    "TextLit",
    "Unsettled",
]


def _span() -> Span | None:
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)  # type: ignore[no-any-return]


# ---------------------------------------------------------------- expressions


@attrs.frozen
class Path:
    """A dotted name: ``space.area`` (a field path) or ``area`` (a rule or enum value)."""

    names: tuple[str, ...]
    span: Span | None = _span()

    @property
    def dotted(self) -> str:
        return ".".join(self.names)


@attrs.frozen
class NumberLit:
    value: Decimal
    span: Span | None = _span()


@attrs.frozen
class QuantityLit:
    """``500 m2``, ``100万元``, ``3 years``, ``半年``, ``30%``: a number and a unit spelling."""

    magnitude: Decimal
    unit: str
    span: Span | None = _span()


@attrs.frozen
class FractionLit:
    """``2/3``: an exact ratio."""

    numerator: int
    denominator: int
    span: Span | None = _span()


@attrs.frozen
class TextLit:
    value: str
    span: Span | None = _span()


@attrs.frozen
class DateLit:
    value: date
    span: Span | None = _span()


@attrs.frozen
class BoolLit:
    value: bool
    span: Span | None = _span()


@attrs.frozen
class SetLit:
    """``{ip, finance}`` or ``{"湖南", "湖南省"}``: enum values or texts."""

    items: tuple[Path | TextLit, ...]
    span: Span | None = _span()


@attrs.frozen
class Compare:
    """``left op right`` with op one of ``>= > <= < == !=``."""

    op: str
    left: Expr
    right: Expr
    span: Span | None = _span()


@attrs.frozen
class BoolOp:
    """``a and b and c`` / ``a or b``: a flat list, so long chains never nest deeply."""

    op: str
    operands: tuple[Expr, ...]
    span: Span | None = _span()


@attrs.frozen
class Not:
    operand: Expr
    span: Span | None = _span()


@attrs.frozen
class Implies:
    """``condition implies consequence``: met when the condition does not hold."""

    condition: Expr
    consequence: Expr
    span: Span | None = _span()


@attrs.frozen
class Member:
    """``x in {a, b}`` or ``x not in {a, b}``."""

    element: Expr
    collection: Expr
    negated: bool
    span: Span | None = _span()


@attrs.frozen
class Includes:
    """``s includes all of {a, b}`` / ``s includes any of {a, b}``."""

    collection: Expr
    quantifier: str
    items: Expr
    span: Span | None = _span()


@attrs.frozen
class Since:
    """``time since start >= duration``: a period counted per 民法典 第二百零一–二百零二条."""

    start: Expr
    op: str
    duration: Expr
    span: Span | None = _span()


@attrs.frozen
class Of:
    """``30% of space.area`` / ``2/3 of members``: a ratio of a quantity or count."""

    ratio: Expr
    base: Expr
    span: Span | None = _span()


@attrs.frozen
class Branch:
    """One part of ``all of (...)`` / ``any of (...)``, optionally named; a named part
    has a label (``city "经所在地科技局" en "Through the city's bureau": …``), which is
    what explanations print."""

    name: str | None
    expr: Expr
    span: Span | None = _span()
    label: Label | None = None


@attrs.frozen
class Combination:
    """``all of (a, b)`` / ``any of (x: ..., y: ...)``."""

    quantifier: str
    branches: tuple[Branch, ...]
    span: Span | None = _span()


@attrs.frozen
class Index:
    """``app.form["leader_bio"]``: one entry of a map field."""

    base: Path
    key: str
    span: Span | None = _span()


@attrs.frozen
class Length:
    """``length of x``: the number of characters of a text (字数)."""

    operand: Expr
    span: Span | None = _span()


@attrs.frozen
class Judged:
    """``judged "question" en "question"``: a reviewer's judgement, keyed by ``key``
    (the enclosing criterion's name when not given)."""

    question: Label
    key: str | None
    span: Span | None = _span()


@attrs.frozen
class Step:
    """One step of ``steps (…)``: always named, optionally labelled."""

    name: str
    label: Label | None
    expr: Expr
    span: Span | None = _span()


@attrs.frozen
class Steps:
    """``steps (apply: …, review: …, vote: …)``: a procedure's steps, in order."""

    steps: tuple[Step, ...]
    span: Span | None = _span()


@attrs.frozen
class Unsettled:
    """``unsettled``: the source settles nothing here (always undetermined)."""

    span: Span | None = _span()


@attrs.frozen
class Count:
    """``count of "councillor" in pr.proposers``: how many items of a list are the text
    (or one of the texts of a set)."""

    item: Expr
    collection: Expr
    span: Span | None = _span()


@attrs.frozen
class CountInYear:
    """``count of m.held_on in year m.year``: how many dates of a list fall in a year."""

    dates: Expr
    year: Expr
    span: Span | None = _span()


Expr = (
    Path | NumberLit | QuantityLit | FractionLit | TextLit | DateLit | BoolLit | SetLit
    | Compare | BoolOp | Not | Implies | Member | Includes | Since | Of | Combination | Judged
    | Index | Length | Steps | Unsettled | Count | CountInYear
)


# ---------------------------------------------------------------- statements


@attrs.frozen
class Label:
    """A text in Chinese, with its English rendering when the policy gives one."""

    zh: str
    en: str | None = None

    def text(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh


@attrs.frozen
class Citation:
    """An article of an instrument, and the words it quotes from it."""

    article: str
    quote: str | None = None
    instrument: str | None = None
    span: Span | None = _span()


@attrs.frozen
class Ref:
    """A name that refers to a declaration, e.g. a note in ``see NAME``."""

    name: str
    span: Span | None = _span()


@attrs.frozen
class Over:
    """``over b: Ballot``: the record a rule reads, and the name its paths start from."""

    name: str
    type_name: str
    span: Span | None = _span()


def _over() -> Over | None:
    return attrs.field(default=None, kw_only=True)  # type: ignore[no-any-return]


RULE_KINDS = ("criterion", "decision", "target", "vote", "procedure", "requirement", "term")
"""The kinds of rule the language has; the kind decides a rule's outcome words only."""


@attrs.frozen
class Rule:
    """A named rule: ``criterion``, ``decision``, ``target`` (eligibility and goals),
    ``vote``, ``procedure``, ``requirement``, ``term`` (governance). All have one form:
    a label, citations, notes, an optional record of their own (``over``) and a body."""

    kind: str
    name: str
    label: Label | None
    citations: tuple[Citation, ...]
    notes: tuple[Ref, ...]
    body: Expr
    subject: Over | None = _over()
    span: Span | None = _span()
    name_span: Span | None = _span()
    due: date | None = None  # a target's due date (``due 2020-12-31``)


@attrs.frozen
class Note:
    """Where the source is silent, contradicts itself, is ambiguous or leaves discretion.

    ``prevails`` says which text or reading the policy applies, and why.
    """

    name: str
    kind: str
    citations: tuple[Citation, ...]
    text: Label
    prevails: Label | None
    span: Span | None = _span()
    name_span: Span | None = _span()


@attrs.frozen
class LcState:
    """A state of a lifecycle, and the period it lasts from entry (``lasts 2 years``)."""

    name: str
    label: Label | None
    lasts: QuantityLit | None
    citations: tuple[Citation, ...]
    span: Span | None = _span()


@attrs.frozen
class LcEvent:
    name: str
    label: Label | None
    span: Span | None = _span()


@attrs.frozen
class LcGuard:
    """When a transition may fire: ``after period``, ``after ban``, ``after 2 years``,
    ``within 3 months``, ``twice consecutively`` (``times`` consecutive years),
    ``after extension`` (after a period that was extended), ``when decided`` (only as the
    record of a decision or act due)."""

    kind: str  # after_period, after_ban, after_time, within_time, consecutive,
    #            after_extension, when_decided
    amount: QuantityLit | None = None
    times: int = 0
    span: Span | None = _span()


@attrs.frozen
class LcOn:
    """``on EVENT [guard]: FROM -> TO`` (or ``-> decision "…" decided by E``, or
    ``-> mandatory "…" done by E``, or ``FROM extends PERIOD``); ``missed`` when the
    trigger is a missed duty; ``mandatory`` for an act the text requires (将取消)."""

    trigger: Ref
    missed: bool
    guard: LcGuard | None
    source: Ref
    effect: str  # go, decide, extend
    target: Ref | None
    decision: Label | None
    decided_by: tuple[Ref, ...]
    extend_by: QuantityLit | None
    citations: tuple[Citation, ...]
    notes: tuple[Ref, ...]
    span: Span | None = _span()
    mandatory: bool = False


@attrs.frozen
class LcBan:
    """``revoked bars reapplication for 2 years``: counted from entry into the state."""

    state: Ref
    duration: QuantityLit
    citations: tuple[Citation, ...]
    notes: tuple[Ref, ...]
    span: Span | None = _span()


@attrs.frozen
class LcDuty:
    """``duty NAME in S…: EVENT by MM-DD each year[, mostly held]`` or ``…: EVENT after
    TRIGGER``; ``mostly``: the year of entry counts only if the greater part of it is left."""

    name: str
    label: Label | None
    states: tuple[Ref, ...]
    event: Ref
    month_day: tuple[int, int] | None
    after: Ref | None
    citations: tuple[Citation, ...]
    notes: tuple[Ref, ...]
    span: Span | None = _span()
    name_span: Span | None = _span()
    mostly: bool = False


@attrs.frozen
class Lifecycle:
    """States an organisation moves through over time (生命周期), checked as a whole."""

    name: str
    label: Label | None
    citations: tuple[Citation, ...]
    notes: tuple[Ref, ...]
    states: tuple[LcState, ...]
    initial: Ref | None
    events: tuple[LcEvent, ...]
    transitions: tuple[LcOn, ...]
    bans: tuple[LcBan, ...]
    duties: tuple[LcDuty, ...]
    holidays: tuple[Citation, ...] | None
    span: Span | None = _span()
    name_span: Span | None = _span()


@attrs.frozen
class Meaning:
    """``"councillor" means "理事" en "councillor"``: the words for a text that records
    use as a code."""

    text: str
    label: Label
    span: Span | None = _span()


Statement = Rule | Note | Lifecycle | Meaning


@attrs.frozen
class Header:
    id: str
    title: Label | None
    source: Label | None
    issued: date | None
    issuer: Label | None
    in_force_from: date | None
    in_force_until: date | None
    subject_name: str | None
    subject_type: str | None
    judgements: Path | None
    main: str | None
    issued_exact: bool = attrs.field(default=True, kw_only=True)
    span: Span | None = _span()
    subject_span: Span | None = _span()
    main_span: Span | None = _span()


@attrs.frozen
class Policy:
    header: Header
    statements: tuple[Statement, ...]
    span: Span | None = _span()
