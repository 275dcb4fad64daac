"""Hypothesis strategies shared by the checks: records generated from the schema (the
strategy of ``tests/test_codegen.py``, with the same choices) and the failures read off
an explanation tree, to hold the generated decision functions to it."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
from hypothesis import strategies as st

import policykit
from policykit import program as p
from policykit.calendar import Duration
from policykit.records import FrozenMap, schema_fields
from policykit.stdlib.units import Dim
from policykit.trace import RULE_KINDS, Trace, Truth, decisive_children, failure_of
from policykit.types import (
    BoolT,
    DateT,
    EnumT,
    IntT,
    ListT,
    MapT,
    QuantityT,
    RecordT,
    SetT,
    TextT,
    Type,
)

__all__ = ["DATES", "failures_from_trace", "records", "texts_of"]

DATES = st.one_of(st.dates(date(2012, 1, 1), date(2020, 12, 31)),
                  st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(2016, 2, 29),
                                   date(2016, 3, 1), date(2015, 8, 31)]))
"""Dates around the bundled policies, and the corners of the calendar."""


def texts_of(policy: policykit.Policy) -> list[str]:
    """Every text constant, judgement key and rule name of a policy, so generated texts
    can match what the policy compares them with."""
    found: set[str] = set(policy.rule_names())
    for rule in policy._program.rules:
        for node in p.walk(rule.body):
            if isinstance(node, p.TConst):
                values = node.value if isinstance(node.value, frozenset | tuple) \
                    else (node.value,)
                found.update(v for v in values if isinstance(v, str))
            elif isinstance(node, p.TJudged | p.TIndex):
                found.add(node.key)
            elif isinstance(node, p.TCount):
                found.update(node.items)
    return sorted(found)


def values(ty: Type, texts: list[str], depth: int = 0) -> st.SearchStrategy[Any]:
    """Well-typed values of a schema type (as the record classes hold them)."""
    text = st.sampled_from(texts) | st.text(max_size=3) if texts else st.text(max_size=3)
    if isinstance(ty, BoolT):
        return st.booleans()
    if isinstance(ty, IntT):
        return st.integers(0, 40) | st.integers(0, 10**6)
    if isinstance(ty, TextT):
        return text
    if isinstance(ty, DateT):
        return DATES
    if isinstance(ty, QuantityT) and ty.dim is Dim.DURATION:
        return st.builds(Duration, months=st.integers(0, 60)) | \
            st.builds(Duration, days=st.integers(0, 2000))
    if isinstance(ty, QuantityT):
        return st.decimals(0, 3_000_000, places=2)
    if isinstance(ty, EnumT):
        return st.sampled_from(list(ty.enum))
    if isinstance(ty, SetT):
        return st.frozensets(st.sampled_from(list(ty.enum)))
    if isinstance(ty, ListT):
        return st.lists(values(ty.item, texts, depth), max_size=6).map(tuple)
    if isinstance(ty, MapT):
        return st.dictionaries(text, values(ty.value, texts, depth), max_size=6
                               ).map(FrozenMap)
    if isinstance(ty, RecordT):
        return records(ty.cls, texts, depth + 1)
    raise AssertionError(f"no strategy for {ty}")


def records(cls: type, texts: list[str], depth: int = 0) -> st.SearchStrategy[Any]:
    """Instances of the record class ``cls``, each field absent or well typed."""
    if depth > 3:
        return st.none()
    fields = {name: st.none() | values(info.type, texts, depth)
              for name, info in schema_fields(cls).items()}
    return st.builds(cls, **fields)


def failures_from_trace(result: policykit.Result) -> list[tuple[Any, ...]]:
    """The failures read off the explanation tree: every leaf not met on the decisive
    path, under the innermost rule that holds it (paths left out: the tree does not
    carry them)."""
    found: list[tuple[Any, ...]] = []
    if result.truth is not Truth.NOT_MET:
        return found
    seen: set[tuple[str, int]] = set()
    stack: list[tuple[Trace, str]] = [(result.trace, result.rule)]
    while stack:
        node, rule = stack.pop()
        if node.kind in RULE_KINDS and node.name is not None:
            rule = node.name
        if node.outcome is Truth.NOT_MET and (rule, id(node)) not in seen:
            seen.add((rule, id(node)))
            failure = failure_of(node, rule, None)
            if failure is not None:
                found.append(attrs.astuple(attrs.evolve(failure, path=None), recurse=False))
        stack.extend((child, rule) for child in reversed(tuple(decisive_children(node))))
    return found


def failures_of(result: policykit.Result) -> list[tuple[Any, ...]]:
    """``result.failures`` in the form of :func:`failures_from_trace`."""
    return [attrs.astuple(attrs.evolve(f, path=None), recurse=False) for f in result.failures]
