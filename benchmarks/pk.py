"""The policykit side of the benchmark: the four ways a caller asks, and the checks.

(a) decision only: ``policy.evaluate(record, as_of=...).outcome``;
(b) decision and failed criteria with actual, required and gap:
    ``result.outcome`` and ``result.failures`` (:class:`policykit.trace.Failure`,
    collected along the decisive path without building the explanation tree);
(c) the full explanation tree: ``result.to_dict()``;
(d) the Chinese text: ``result.explain("zh")``.

:func:`failures` puts policykit's failures in the hand-written function's shape
(criterion, field, actual, required, gap) and :func:`normalised` in one comparable
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
from policykit.calendar import Duration

__all__ = ["failures", "normalised", "with_failures"]


def failures(result: Result) -> list[Failure]:
    """Each condition not met on the decisive path, in the hand-written shape."""
    out: list[Failure] = []
    for failure in result.failures:
        path = failure.path or ""
        field = path.rsplit("[", 1)[1].rstrip("]") if "[" in path else path.rsplit(".", 1)[-1]
        gap = failure.gap
        if failure.op.startswith("since") and isinstance(gap, Duration):
            gap = gap.days  # the hand-written function counts the days short
        out.append(Failure(failure.rule, field, failure.actual, failure.required, gap))
    return out


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
