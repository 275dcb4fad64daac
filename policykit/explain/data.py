"""The explanation tree as plain JSON-ready data, for other systems."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from policykit.calendar import Duration
from policykit.explain.words import format_amount, format_ratio, format_value
from policykit.nodes import Label
from policykit.program import CheckedCitation, CheckedNote, PolicyInfo
from policykit.quantities import format_decimal
from policykit.trace import (
    RULE_KINDS,
    Amount,
    Caveat,
    Comparison,
    Elapsed,
    Failure,
    JudgementAsked,
    Membership,
    Trace,
    sort_members,
    word_of,
)

__all__ = ["failure_data", "render_data"]


def render_data(info: PolicyInfo, root: Trace, as_of: date, *, outcome: str,
                missing: Sequence[str], pending: Sequence[str],
                unresolved: Sequence[CheckedNote],
                failures: Sequence[Failure] = (),
                warnings: Sequence[Caveat] = ()) -> dict[str, Any]:
    """The result and its whole tree as dicts, lists, strings, numbers and booleans."""
    return {
        "policy": info.id,
        "title": _label(info.title),
        "source": _label(info.source),
        "issued": info.issued.isoformat() if info.issued else None,
        "issued_exact": info.issued_exact,
        "rule": root.name,
        "kind": root.kind,
        "as_of": as_of.isoformat(),
        "outcome": outcome,
        "warnings": [{"kind": w.kind, **_label_or_empty(w.text)} for w in warnings],
        "missing": list(missing),
        "pending": list(pending),
        "unresolved": [note_data(n) for n in unresolved],
        "failures": [failure_data(f) for f in failures],
        "tree": _node(root, set()),
    }


def failure_data(failure: Failure) -> dict[str, Any]:
    """One :class:`~policykit.trace.Failure` as plain data: numbers as exact decimal
    strings, durations with their unit, dates as ISO text, sets as sorted lists."""
    return {
        "rule": failure.rule, "condition": failure.condition, "path": failure.path,
        "op": failure.op, "actual": _value(failure.actual),
        "required": _value(failure.required), "gap": _value(failure.gap),
    }


def _value(value: Any) -> Any:
    if isinstance(value, Duration):
        return {"value": str(value.days or value.months),
                "unit": "days" if value.days else "months"}
    if isinstance(value, Decimal | Fraction | int) and not isinstance(value, bool):
        return format_decimal(value)
    return _plain(value)


def note_data(note: CheckedNote) -> dict[str, Any]:
    return {
        "name": note.name,
        "kind": note.kind,
        "citations": [_citation(c) for c in note.citations],
        "text": _label(note.text),
        "applies": _label(note.prevails) if note.prevails else None,
    }


def _label_or_empty(label: Label) -> dict[str, str]:
    return {"zh": label.zh, "en": label.en or label.zh}


def _label(label: Label | None) -> dict[str, str] | None:
    if label is None:
        return None
    return {"zh": label.zh, "en": label.en or label.zh}


def _citation(c: CheckedCitation) -> dict[str, Any]:
    return {"instrument": c.instrument, "article": c.article, "quote": c.quote}


def _node(node: Trace, shown: set[int]) -> dict[str, Any]:
    """One node and its subtree. A rule referred to in several places is one node of the
    tree: it is given whole where it first appears (depth first, in order) and, where it
    appears again, as ``{"kind", "outcome", "name", "label", "ref"}`` with ``ref`` the
    rule's name (unique in a policy), so the data grows with the policy, not with the
    paths through it (``shown`` holds the rules already given)."""
    data: dict[str, Any] = {
        "kind": node.kind,
        "outcome": word_of(node),
        "condition": node.condition,
    }
    if node.kind in RULE_KINDS:
        if id(node) in shown:
            data["name"] = node.name
            data["label"] = _label(node.label)
            data["ref"] = node.name
            return data
        shown.add(id(node))
    if node.combine is not None:
        data["combine"] = node.combine
    if not node.reached:
        data["reached"] = False
    if node.name is not None:
        data["name"] = node.name
    if node.label is not None:
        data["label"] = _label(node.label)
    if node.citations:
        data["citations"] = [_citation(c) for c in node.citations]
    if node.notes:
        data["notes"] = [n.name for n in node.notes]
    if node.missing:
        data["missing"] = [m.path for m in node.missing]
    if node.pending:
        data["pending"] = [pj.key for pj in node.pending]
    detail = node.detail
    if isinstance(detail, Comparison):
        data["comparison"] = _comparison(detail)
    elif isinstance(detail, Membership):
        data["membership"] = {
            "subject": _label(detail.subject), "quantifier": detail.quantifier,
            "actual": _plain(detail.actual), "expected": _plain(detail.expected),
            "lacking": _plain(detail.lacking),
        }
    elif isinstance(detail, Elapsed):
        data["elapsed"] = {
            "subject": _label(detail.subject), "op": detail.op,
            "start": _plain(detail.start), "duration": _amount(detail.duration),
            "period_end": _plain(detail.period_end), "as_of": detail.as_of.isoformat(),
            "month_end_rule": detail.clamped, "days_short": detail.days_short,
            "days_over": detail.days_over,
        }
        if detail.beyond:  # the period ends after 9999-12-31: period_end is null
            data["elapsed"]["ends_after_calendar"] = True
    elif isinstance(detail, JudgementAsked):
        data["judgement"] = {"key": detail.key, "question": _label(detail.question),
                             "given": detail.given}
    if node.children:
        data["children"] = [_node(c, shown) for c in node.children]
    return data


def _comparison(c: Comparison) -> dict[str, Any]:
    out: dict[str, Any] = {
        "subject": _label(c.subject),
        "op": c.op,
        "actual": _amount(c.actual),
        "required": _amount(c.required),
        "gap": _amount(c.gap),
    }
    if c.share is not None:
        ratio, base_label, base = c.share
        out["share"] = {"ratio": _fraction(Fraction(ratio)), "ratio_text":
                        {"zh": format_ratio(Fraction(ratio), "zh"),
                         "en": format_ratio(Fraction(ratio), "en")},
                        "of": _label(base_label), "base": _amount(base)}
    if c.whole_bound is not None:
        out["whole_bound"] = c.whole_bound
    if c.note is not None:
        out["note"] = c.note
    return out


def _fraction(value: Fraction) -> str:
    return format_decimal(value)


def _amount(amount: Amount | None) -> dict[str, Any] | None:
    if amount is None:
        return None
    value = amount.value
    unit: str | None = None
    if value is None:  # a value the record did not give
        plain: Any = None
        unit = {"area": "m2", "money": "CNY"}.get(amount.dim.value) if amount.dim else None
    elif isinstance(value, Duration):
        plain = str(value.days or value.months)
        unit = "days" if value.days else "months"
    elif amount.dim is not None:
        plain = format_decimal(value)
        unit = {"area": "m2", "money": "CNY", "ratio": None}.get(amount.dim.value)
    elif isinstance(value, int) and not isinstance(value, bool):
        plain = str(value)  # every amount's value is an exact decimal string
    else:
        plain = _plain(value)
    return {"value": plain, "unit": unit, "zh": format_amount(amount, "zh"),
            "en": format_amount(amount, "en")}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, frozenset | set):
        return [_plain(v) for v in sort_members(value)]
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, int):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return format_value(value, "en")
