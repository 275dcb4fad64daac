"""What an evaluation records when it is asked to explain itself.

A :class:`Trace` mirrors the policy: one node per rule, branch and condition, each
with its outcome, its citation, and at each comparison the actual and required values
and the gap. The evaluator builds it; :mod:`policykit.explain` renders it. Rules of
all three kinds (eligibility, governance, lifecycle) share these node types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from enum import Enum, IntEnum
from typing import Any

import attrs

from policykit.calendar import Duration
from policykit.nodes import Label
from policykit.program import CheckedCitation, CheckedNote
from policykit.stdlib.units import Dim, Unit

__all__ = [
    "NOT_YET_DUE",
    "OUTCOME_WORDS",
    "RULE_KINDS",
    "Amount",
    "Caveat",
    "Comparison",
    "Elapsed",
    "Failure",
    "JudgementAsked",
    "Membership",
    "Missing",
    "Pending",
    "Term",
    "Trace",
    "Truth",
    "decisive_children",
    "is_not_yet_due",
    "outcome_word",
    "sort_members",
    "walk_decisive",
    "walk_nodes",
    "word_of",
]


class Truth(IntEnum):
    """A condition's outcome: three-valued, plus a reviewer's judgement not yet given."""

    NOT_MET = 0
    MET = 1
    UNKNOWN = 2
    AWAITING = 3

    @property
    def settled(self) -> bool:
        return self in (Truth.MET, Truth.NOT_MET)


@attrs.frozen
class Amount:
    """A value to show: the canonical value, its dimension, and the unit to print it in."""

    value: Any
    dim: Dim | None = None
    unit: Unit | None = None


@attrs.frozen
class Comparison:
    """``subject op required``: what was found, what is required, and how far apart."""

    subject: Label
    op: str
    actual: Amount | None
    required: Amount
    gap: Amount | None = None
    share: tuple[Any, Label, Amount] | None = None  # (ratio, base label, base amount)
    whole_bound: int | None = None  # a share of a count: the least (or most) whole count
    note: str | None = None  # why the values could not be compared, when they could not


@attrs.frozen
class Membership:
    """``subject in {…}`` / ``subject includes all of {…}``."""

    subject: Label
    quantifier: str  # "in", "not in", "all", "any"; "has"/"lacks": a text in a list field
    actual: Any
    expected: frozenset[Any]
    lacking: frozenset[Any] = frozenset()


@attrs.frozen
class Elapsed:
    """``time since start op duration`` counted per 民法典 第二百零一–二百零二条."""

    subject: Label
    op: str
    start: date | None
    duration: Amount
    period_end: date | None
    as_of: date
    clamped: bool
    days_short: int | None
    days_over: int | None = None  # `<=`/`<` not met: days past the period's last day
    beyond: bool = False  # the period ends after 9999-12-31 (period_end is then None)


@attrs.frozen
class JudgementAsked:
    key: str
    question: Label
    given: bool | None


class Term(str):
    """A text a record uses as a code (a role, a declaration), carrying the words the
    policy gives for it: explanations print ``label``, data keeps the code."""

    label: Label

    def __new__(cls, text: str, label: Label) -> Term:
        term = super().__new__(cls, text)
        term.label = label
        return term


@attrs.frozen
class Caveat:
    """What the caller should know about the question itself, not about the record: the
    policy was not yet, or no longer, in force on the date asked about. ``kind`` is
    ``not_yet_in_force`` or ``no_longer_in_force``; ``text`` says it in both languages."""

    kind: str
    text: Label


@attrs.frozen
class Missing:
    """A fact whose absence left a condition unknown."""

    path: str
    label: Label


@attrs.frozen
class Pending:
    """A reviewer's judgement that has not been given."""

    key: str
    question: Label


Detail = Comparison | Membership | Elapsed | JudgementAsked | None


@attrs.frozen
class Trace:
    """One node of an explanation tree."""

    kind: str
    outcome: Truth
    condition: str
    children: tuple[Trace, ...] = ()
    name: str | None = None
    label: Label | None = None
    citations: tuple[CheckedCitation, ...] = ()
    notes: tuple[CheckedNote, ...] = ()
    detail: Detail = None
    missing: tuple[Missing, ...] = ()
    pending: tuple[Pending, ...] = ()
    combine: str | None = None  # a rule whose body is `all of`/`any of`/`and`/`or`/`steps`
    reached: bool = True  # False for a step after one that did not pass (not reached)
    due: date | None = None  # a target's due date, when it has one
    not_yet_due: bool = False  # a target not reached, asked before its due date

    @property
    def is_rule(self) -> bool:
        """Rules, named branches and steps are what a case officer reads out."""
        return self.kind in RULE_KINDS or self.kind in ("branch", "step")


RULE_KINDS = ("criterion", "decision", "target", "vote", "procedure", "requirement", "term")
"""Every kind of rule a policy declares (``term`` is a term of office)."""

_PASSES = {Truth.MET: "passes", Truth.NOT_MET: "fails",
           Truth.UNKNOWN: "undetermined", Truth.AWAITING: "undetermined"}


OUTCOME_WORDS: dict[str, dict[Truth, str]] = {
    "criterion": {Truth.MET: "met", Truth.NOT_MET: "not_met", Truth.UNKNOWN: "unknown",
                  Truth.AWAITING: "awaiting_judgement"},
    "decision": {Truth.MET: "eligible", Truth.NOT_MET: "ineligible",
                 Truth.UNKNOWN: "undetermined", Truth.AWAITING: "undetermined"},
    "target": {Truth.MET: "met", Truth.NOT_MET: "not_met",
               Truth.UNKNOWN: "undetermined", Truth.AWAITING: "undetermined"},
    "vote": _PASSES,
    "procedure": _PASSES,
    "requirement": {Truth.MET: "compliant", Truth.NOT_MET: "noncompliant",
                    Truth.UNKNOWN: "undetermined", Truth.AWAITING: "undetermined"},
    "term": {Truth.MET: "active", Truth.NOT_MET: "expired",
             Truth.UNKNOWN: "undetermined", Truth.AWAITING: "undetermined"},
}
"""The outcome vocabulary of the public API (spec/api.md), by the kind of rule."""

_NODE_WORDS: dict[str, dict[Truth, str]] = {"step": _PASSES}


def is_not_yet_due(due: date | None, as_of: date, truth: Truth) -> bool:
    """A target with a due date, not reached, asked before that date (``due DATE``)."""
    return due is not None and as_of < due and truth is Truth.NOT_MET


def word_of(node: Trace) -> str:
    """The public word for a node's outcome: :func:`outcome_word`, except that a target
    not reached before its due date is ``not_yet_due``."""
    return NOT_YET_DUE if node.not_yet_due else outcome_word(node.kind, node.outcome)


NOT_YET_DUE = "not_yet_due"
"""The outcome of a target not reached, asked before its due date (``due DATE``)."""


def outcome_word(kind: str, truth: Truth) -> str:
    """The public word for an outcome of a rule or trace node of ``kind`` (a step of a
    procedure passes or fails; other nodes that are not rules use the criterion words)."""
    words = OUTCOME_WORDS.get(kind) or _NODE_WORDS.get(kind) or OUTCOME_WORDS["criterion"]
    return words[truth]



@attrs.frozen
class Failure:
    """A condition not met on the path that decided an outcome, as data.

    ``rule`` is the innermost rule it belongs to, ``condition`` its text in the policy,
    ``path`` the fact it reads (``space.area``; ``space.operator.assessments[key]`` for
    a reviewer's judgement; None for a condition that reads no fact). ``op`` says how
    ``actual`` was held against ``required``: a comparison (``>=``, ``<``, …), ``in``
    or ``not in``, ``includes all`` or ``includes any``, ``has`` or ``lacks`` (a text in
    a list), ``since >=`` and the like (``actual`` the start, ``required`` the period's
    last day), ``judged`` (``actual`` the reviewer's answer), ``is true`` (a yes/no
    fact) or ``not`` (the condition under ``not`` held: ``actual`` True, ``required``
    False). ``gap`` is how far apart they are, in the values' own kind (an area, a count,
    a :class:`~policykit.calendar.Duration` of days for dates, the items lacking for
    ``includes all``), or None where a distance means nothing.
    """

    rule: str
    condition: str
    path: str | None
    op: str
    actual: Any
    required: Any
    gap: Any = None


def failure_of(node: Trace, rule: str, path: str | None) -> Failure | None:
    """The :class:`Failure` a leaf of the explanation tree not met records, if any;
    ``path`` is the fact the leaf reads."""
    detail = node.detail
    if isinstance(detail, Comparison):
        return Failure(rule, node.condition, path, detail.op,
                       None if detail.actual is None else detail.actual.value,
                       detail.required.value, None if detail.gap is None else detail.gap.value)
    if isinstance(detail, Membership):
        op = {"all": "includes all", "any": "includes any"}.get(detail.quantifier,
                                                                detail.quantifier)
        lacking = detail.lacking if detail.quantifier == "all" else None
        return Failure(rule, node.condition, path, op, detail.actual, detail.expected,
                       lacking)
    if isinstance(detail, Elapsed):
        short = detail.days_short if detail.days_short is not None else detail.days_over
        return Failure(rule, node.condition, path, f"since {detail.op}", detail.start,
                       detail.period_end, None if short is None else Duration(days=short))
    if isinstance(detail, JudgementAsked):
        return Failure(rule, node.condition, path, "judged", detail.given, True)
    if node.kind == "not":
        return Failure(rule, node.condition, path, "not", True, False)
    if node.kind in ("fact", "constant"):
        return Failure(rule, node.condition, path, "is true", False, True)
    return None


def decisive_children(node: Trace) -> Iterator[Trace]:
    """The children whose outcome decided ``node``'s outcome.

    For an and-like node that is not met, the parts not met; for an or-like node that
    is met, the parts met; for an undetermined node, the undetermined parts; otherwise
    every part. An implication counts as ``not condition or consequence``.
    """
    outcome = node.outcome
    if node.kind == "implies":
        condition, consequence = node.children
        flipped = {Truth.MET: Truth.NOT_MET, Truth.NOT_MET: Truth.MET}
        pairs = [(condition, flipped.get(condition.outcome, condition.outcome)),
                 (consequence, consequence.outcome)]
        yield from _decisive_or(outcome, pairs)
        return
    pairs = [(child, child.outcome) for child in node.children]
    if node.kind == "steps" or node.combine == "steps":
        # Steps not reached (after one that did not pass) decide nothing.
        yield from _decisive_and(outcome, [(c, v) for c, v in pairs if c.reached])
        return
    if node.kind == "not":
        yield from node.children
    elif node.kind in ("or", "any") or node.combine in ("or", "any"):
        yield from _decisive_or(outcome, pairs)
    else:
        yield from _decisive_and(outcome, pairs)


def _decisive_and(outcome: Truth, pairs: list[tuple[Trace, Truth]]) -> Iterator[Trace]:
    for child, value in pairs:
        if outcome is Truth.MET or value is outcome or (
                not outcome.settled and not value.settled):
            yield child


def _decisive_or(outcome: Truth, pairs: list[tuple[Trace, Truth]]) -> Iterator[Trace]:
    for child, value in pairs:
        if outcome is Truth.NOT_MET or value is outcome or (
                not outcome.settled and not value.settled):
            yield child


def sort_members(values: Iterable[Any]) -> list[Any]:
    """Enum members in their declaration order, anything else by its text, so that no
    output depends on the order of a set (which follows the process's hash seed)."""
    items = list(values)
    if items and all(isinstance(v, Enum) for v in items):
        enum_type: type[Enum] = type(items[0])
        order: dict[Any, int] = {m: i for i, m in enumerate(enum_type)}
        return sorted(items, key=lambda m: order.get(m, 0))
    return sorted(items, key=str)


def _walk(root: Trace, children: Callable[[Trace], Iterable[Trace]]) -> Iterator[Trace]:
    """``root`` and what ``children`` reaches from it, depth first, each node once: a rule
    referred to in several places is one node, whose subtree is walked where it is first
    reached (the walk is linear in the tree's nodes, not in its paths)."""
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(reversed(tuple(children(node))))


def walk_nodes(root: Trace) -> Iterator[Trace]:
    """Every node of the tree under ``root`` (``root`` included), each once."""
    return _walk(root, lambda node: node.children)


def walk_decisive(root: Trace) -> Iterator[Trace]:
    """Every node on a decisive path from ``root`` (``root`` included), each once."""
    return _walk(root, decisive_children)
