"""The policykit side of the benchmark: the four ways a caller asks, and the checks.

(a) decision only: ``policy.evaluate(record, as_of=...).outcome``;
(b) decision and failed criteria with actual, required and gap: the public API has no
    call for just that, so :func:`failures` walks ``result.trace`` (the explanation
    tree, built on first use) along :func:`policykit.trace.decisive_children`, which is
    the cheapest route the API offers today;
(c) the full explanation tree: ``result.to_dict()``;
(d) the Chinese text: ``result.explain("zh")``.

:func:`normalised` puts policykit's and the hand-written failures in one comparable
form, so the agreement check covers the numbers as well as the decisions.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from benchmarks.handwritten import Failure
from policykit import Policy, Result
from policykit.records import MakerSpace, Organization, schema_fields
from policykit.trace import (
    Comparison,
    Elapsed,
    JudgementAsked,
    Membership,
    Trace,
    Truth,
    decisive_children,
)

__all__ = ["failures", "normalised", "with_failures"]

_FIELD_BY_LABEL: dict[str, str] = {
    info.label_en: name
    for cls in (Organization, MakerSpace) for name, info in schema_fields(cls).items()
}


def failures(result: Result) -> list[Failure]:
    """Each condition not met on the decisive path, with actual, required and gap."""
    out: list[Failure] = []
    if result.truth is not Truth.NOT_MET:
        return out
    stack: list[tuple[Trace, str]] = [(result.trace, result.rule)]
    while stack:
        node, rule = stack.pop()
        if node.kind == "criterion" and node.name is not None:
            rule = node.name
        if node.outcome is Truth.NOT_MET:
            failure = _failure(node, rule)
            if failure is not None:
                out.append(failure)
        stack.extend((child, rule) for child in reversed(tuple(decisive_children(node))))
    return out


def _failure(node: Trace, rule: str) -> Failure | None:
    detail = node.detail
    if isinstance(detail, Comparison):
        gap = None if detail.gap is None else detail.gap.value
        actual = None if detail.actual is None else detail.actual.value
        return Failure(rule, _FIELD_BY_LABEL[detail.subject.en or ""], actual,
                       detail.required.value, gap)
    if isinstance(detail, Membership):
        gap = detail.lacking if detail.quantifier == "all" else None
        return Failure(rule, _FIELD_BY_LABEL[detail.subject.en or ""], detail.actual,
                       detail.expected, gap)
    if isinstance(detail, Elapsed):
        return Failure(rule, _FIELD_BY_LABEL[detail.subject.en or ""], detail.start,
                       detail.period_end, detail.days_short)
    if isinstance(detail, JudgementAsked):
        return Failure(rule, detail.key, detail.given, True, None)
    if node.kind == "fact" and node.label is not None:
        return Failure(rule, _FIELD_BY_LABEL[node.label.en or ""], False, True, None)
    return None


def with_failures(policy: Policy, record: Any, as_of: date) -> tuple[str, list[Failure]]:
    """Path (b): the outcome and the failures."""
    result = policy.evaluate(record, as_of=as_of)
    return result.outcome, failures(result)


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | Decimal | Fraction):
        return Fraction(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return tuple(sorted(_plain(v) for v in value))
    return value


def normalised(found: list[Failure]) -> list[tuple[Any, ...]]:
    """Failures as sorted tuples of plain values (numbers as Fractions, enums by name)."""
    return sorted((tuple(_plain(v) for v in f) for f in found), key=repr)
