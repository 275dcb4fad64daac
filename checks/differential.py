"""Check 3, ``differential``: generated policies and records, every answer computed by
independent paths and compared.

Hypothesis draws a well-formed policy over ``MakerSpace`` (:func:`policies`): one to
eight criteria, each comparing fields with constants (areas, money, counts, dates,
durations, shares, enumerations, sets, texts, yes/no facts, reviewers' judgements),
combined with ``all of``/``any of``/``and``/``or``/``not``/``implies``, and referring to
earlier criteria (so references form a DAG, shared by several rules), then a decision
over some of them; and records from the schema (:mod:`checks.strategies`, the strategy
of ``tests/test_codegen.py``), texts taken from the policy so they match.

For every rule and record, these must agree (0 disagreements):

- the decision (``result.outcome``, the generated function) and the explanation tree's
  root (``result.trace.outcome``, the closures);
- ``result.failures`` non-empty exactly when the outcome is negative, and equal to the
  failures read off the explanation tree;
- the record as an attrs instance, as plain data (``records.unstructure``) and as
  ``policy.structure(plain)`` passed again to ``evaluate``: outcome, failures, missing,
  pending and (one in four) ``to_dict()``;
- ``evaluate_many`` over the records and ``evaluate`` one by one;
- a reference evaluator written here (three-valued logic over the generated expression,
  independent of the library), for rules whose conditions it models (all but
  durations, ``time since`` and shares).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import json
import operator
import time
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

import policykit
from checks import Outcome, Recorder, describe, signature, timed
from checks.strategies import DATES, failures_from_trace, failures_of, records
from policykit.records import (
    Facility,
    LegalForm,
    Level,
    MakerSpace,
    Premises,
    Service,
    System,
    unstructure,
)
from policykit.trace import Truth

__all__ = ["Generated", "oracle", "policies", "run"]

NAME = "differential"

HEADER = ('policy gen.p title "生成" en "Generated" source "生成办法" issued 2016-06-01 '
          'by "某厅"\n  subject space: MakerSpace\n  judgements from space.operator.assessments\n')

MET, NOT_MET, UNKNOWN, AWAITING = Truth.MET, Truth.NOT_MET, Truth.UNKNOWN, Truth.AWAITING

# ---------------------------------------------------------------- the generator

_AREA = ("space.area", "space.public_area")
_COUNTS = ("space.teams", "space.mentors", "space.staff", "space.investor_partners",
           "space.successful_investments", "space.activities_per_year")
_BOOLS = ("space.specialized", "space.ready_to_move_in", "space.free_or_low_cost_office",
          "space.public_tech_platform", "space.full_time_team", "space.online_platform",
          "space.in_national_hitech_zone")
_ENUMS = {"space.premises": Premises, "space.operator.legal_form": LegalForm}
_LEVELS = ("space.filing_level", "space.operator.recognition_level")
_SETS = {"space.services": Service, "space.facilities": Facility, "space.systems": System}
_TEXTS = ("space.name", "space.specialty", "space.operator.registered_province")
_OPS = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "==": "==", "!=": "!=",
        "at least": ">=", "at most": "<=", "more than": ">", "less than": "<"}
_TEXT_CONSTANTS = ("湖南", "湖南省", "上海", "a", "")


TEXTS = (*_TEXT_CONSTANTS, "x", "y", "k1", "k2", "k3", *(f"c{i}" for i in range(8)), "d")

# The words for every text a generated policy may use as a code (a map key): PK508.
CODES = "".join(f'code "{t}" means "代码{t}" en "code {t}"\n' for t in TEXTS if t) + "\n"
"""Every text and judgement key a generated policy may use (rule names are keys too)."""


@attrs.frozen
class Generated:
    """A generated policy: its text, its rules' expressions (for the reference
    evaluator), and the texts and judgement keys records should use."""

    text: str
    rules: tuple[tuple[str, Any], ...]
    texts: tuple[str, ...]


def _number(draw: Any, big: int) -> Decimal:
    whole = draw(st.sampled_from((0, 1, 3, 10, 30, 100, 499, 500, 501, big)))
    if draw(st.integers(0, 4)) == 0:
        return Decimal(whole) + Decimal(draw(st.sampled_from(("0.5", "0.01", "0.99"))))
    return Decimal(whole)


def _flip(draw: Any, left: str, right: str) -> tuple[str, str, bool]:
    """Constant on the right, usually; on the left sometimes (the operator mirrored)."""
    if draw(st.integers(0, 5)) == 0:
        return right, left, True
    return left, right, False


_MIRROR = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "==", "!=": "!="}


def _comparison(draw: Any, keys: list[str]) -> tuple[str, Any]:  # noqa: PLR0915 - a kind each
    kind = draw(st.sampled_from(("area", "money", "count", "bool", "enum", "level", "set",
                                 "member", "text", "date", "index", "judged", "fields",
                                 "duration", "since", "share")))
    word = draw(st.sampled_from(sorted(_OPS)))
    op = _OPS[word]
    if kind in ("area", "money", "count"):
        if kind == "area":
            path = draw(st.sampled_from(_AREA))
            value = _number(draw, 3000)
            const = f"{value} {draw(st.sampled_from(('m2', '平方米', '㎡')))}"
        elif kind == "money":
            path = "space.seed_fund"
            value = _number(draw, 2_000_000)
            if value == value.to_integral_value() and draw(st.booleans()):
                const, value = f"{int(value)}万元", value * 10_000
            else:
                const = f"{value} 元"
        else:
            path = draw(st.sampled_from(_COUNTS))
            value = Decimal(draw(st.sampled_from((0, 1, 2, 3, 5, 10, 40))))
            const = str(value)
        left, right, flipped = _flip(draw, path, const)
        return f"{left} {_mirror_word(word, flipped)} {right}", ("cmp", path, op, value)
    if kind == "bool":
        path = draw(st.sampled_from(_BOOLS))
        return path, ("bool", path)
    if kind == "enum":
        path = draw(st.sampled_from(sorted(_ENUMS)))
        members = list(_ENUMS[path])
        if draw(st.booleans()):
            member = draw(st.sampled_from(members))
            eq = draw(st.sampled_from(("==", "!=")))
            return f"{path} {eq} {member.value}", ("enum", path, eq, member)
        chosen = draw(st.lists(st.sampled_from(members), min_size=1, max_size=3, unique=True))
        negated = draw(st.booleans())
        text = f"{path} {'not in' if negated else 'in'} {{{', '.join(m.value for m in chosen)}}}"
        return text, ("in", path, frozenset(chosen), negated)
    if kind == "level":
        path = draw(st.sampled_from(_LEVELS))
        member = draw(st.sampled_from(list(Level)))
        return f"{path} {word} {member.value}", ("level", path, op, member)
    if kind in ("set", "member"):
        path = draw(st.sampled_from(sorted(_SETS)))
        members = list(_SETS[path])
        if kind == "member":
            member = draw(st.sampled_from(members))
            return f"{member.value} in {path}", ("has", path, member)
        chosen = draw(st.lists(st.sampled_from(members), min_size=1, max_size=4, unique=True))
        quantifier = draw(st.sampled_from(("all", "any")))
        text = f"{path} includes {quantifier} of {{{', '.join(m.value for m in chosen)}}}"
        return text, ("includes", path, quantifier, frozenset(chosen))
    if kind == "text":
        path = draw(st.sampled_from(_TEXTS))
        if draw(st.booleans()):
            const = draw(st.sampled_from(_TEXT_CONSTANTS))
            eq = draw(st.sampled_from(("==", "!=")))
            return f'{path} {eq} "{const}"', ("text", path, eq, const)
        chosen = draw(st.lists(st.sampled_from(_TEXT_CONSTANTS), min_size=1, max_size=3,
                               unique=True))
        quoted = ", ".join(f'"{c}"' for c in chosen)
        return f"{path} in {{{quoted}}}", ("in", path, frozenset(chosen), False)
    if kind == "date":
        day = draw(st.sampled_from((date(2016, 1, 1), date(2016, 2, 29), date(2012, 1, 1))))
        left, right, flipped = _flip(draw, "space.established_on", day.isoformat())
        node = ("cmp", "space.established_on", op, day)
        return f"{left} {_mirror_word(word, flipped)} {right}", node
    if kind == "index":
        key = draw(st.sampled_from(("x", "y", *keys)))
        return f'space.operator.assessments["{key}"]', ("index", key)
    if kind == "judged":
        key = draw(st.sampled_from(("k1", "k2", "k3")))
        keys.append(key)
        return f'judged "问题{key}" en "Question {key}" as {key}', ("judged", key)
    if kind == "fields":
        left, right = draw(st.sampled_from((("space.area", "space.public_area"),
                                            ("space.teams", "space.mentors"),
                                            ("space.staff", "space.mentors"))))
        return f"{left} {word} {right}", ("fields", left, op, right)
    if kind == "duration":
        path = draw(st.sampled_from(("space.lease_term", "space.free_residency")))
        const = draw(st.sampled_from(("3 years", "6 months", "半年", "30 days", "1095 days",
                                      "0 days")))
        return f"{path} {word} {const}", ("opaque",)
    if kind == "since":
        const = draw(st.sampled_from(("半年", "6 months", "1 year", "180 days")))
        op_word = draw(st.sampled_from((">=", ">", "<", "<=")))
        return f"time since space.established_on {op_word} {const}", ("opaque",)
    share = draw(st.sampled_from(("30%", "50%", "2/3", "0%", "100%")))
    return f"space.public_area {word} {share} of space.area", ("opaque",)


def _mirror_word(word: str, flipped: bool) -> str:
    if not flipped:
        return word
    return {"at least": "at most", "at most": "at least", "more than": "less than",
            "less than": "more than"}.get(word, _MIRROR.get(word, word))


def _expression(draw: Any, refs: list[str], keys: list[str], depth: int) -> tuple[str, Any]:
    if depth >= 3 or draw(st.integers(0, 2)) == 0:
        if refs and draw(st.integers(0, 2)) == 0:
            name = draw(st.sampled_from(refs))
            return name, ("ref", name)
        return _comparison(draw, keys)
    kind = draw(st.sampled_from(("all", "any", "and", "or", "not", "implies")))
    if kind == "not":
        text, node = _expression(draw, refs, keys, depth + 1)
        return f"not ({text})", ("not", node)
    if kind == "implies":
        a_text, a = _expression(draw, refs, keys, depth + 1)
        b_text, b = _expression(draw, refs, keys, depth + 1)
        return f"({a_text}) implies ({b_text})", ("or", [("not", a), b])
    parts = [_expression(draw, refs, keys, depth + 1)
             for _ in range(draw(st.integers(1 if kind in ("all", "any") else 2, 4)))]
    logic = "and" if kind in ("all", "and") else "or"
    if kind in ("and", "or"):
        return f" {kind} ".join(f"({t})" for t, _ in parts), (logic, [n for _, n in parts])
    branches = []
    for i, (text, _) in enumerate(parts):
        named = draw(st.integers(0, 3)) == 0
        label = f' "分支{i}" en "Branch {i}"' if _labelled_branches() else ""
        branches.append(f"b{i}{label}: {text}" if named else text)
    return f"{kind} of ({', '.join(branches)})", (logic, [n for _, n in parts])


@functools.cache
def _labelled_branches() -> bool:
    """Whether the language takes a label on a named branch (``b0 "中文" en "English":
    …``); where it does, the checker may require one."""
    try:
        policykit.loads(HEADER + 'criterion c0 cites "一" = any of (b0 "分支" en "Branch": '
                        "space.teams >= 1)\n")
    except policykit.PolicyError:
        return False
    return True


@st.composite
def policies(draw: Any) -> Generated:
    """A well-formed policy over MakerSpace, its rules' expressions and its texts."""
    count = draw(st.integers(1, 8))
    names: list[str] = []
    lines: list[str] = []
    rules: list[tuple[str, Any]] = []
    keys: list[str] = []
    for i in range(count):
        name = f"c{i}"
        text, node = _expression(draw, names, keys, 0)
        lines.append(f'criterion {name} "条件{i}" en "Condition {i}" cites "第{i + 1}条" '
                     f'quote "原文{i}"\n  = {text}')
        rules.append((name, node))
        names.append(name)
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4))
    combine = draw(st.sampled_from(("all", "any")))
    lines.append(f'decision d "决定" en "Decision" cites "第九条"\n  = {combine} of '
                 f"({', '.join(chosen)})")
    rules.append(("d", ("and" if combine == "all" else "or", [("ref", n) for n in chosen])))
    if draw(st.booleans()):
        lines = [lines[-1], *lines[:-1]]  # statement order does not matter
    return Generated(HEADER + CODES + "\n\n".join(lines) + "\n", tuple(rules), TEXTS)


# ---------------------------------------------------------------- the reference evaluator


class _Opaque(Exception):
    """An expression the reference evaluator does not model."""


def _get(record: Any, path: str) -> Any:
    value = record
    for part in path.split(".")[1:]:
        if value is None:
            return None
        value = getattr(value, part)
    return value


_OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
              "==": operator.eq, "!=": operator.ne}


def _compare(left: Any, op: str, right: Any) -> Truth:
    if left is None or right is None:
        return UNKNOWN
    return MET if _OPERATORS[op](left, right) else NOT_MET


def _truth(flag: bool) -> Truth:
    return MET if flag else NOT_MET


def _and(values: list[Truth]) -> Truth:
    for worst in (NOT_MET, UNKNOWN, AWAITING):
        if worst in values:
            return worst
    return MET


def _or(values: list[Truth]) -> Truth:
    for best in (MET, UNKNOWN, AWAITING):
        if best in values:
            return best
    return NOT_MET


def oracle(generated: Generated, rule: str, record: Any) -> Truth:
    """The outcome of ``rule`` by this module's own reading of the language; raises
    :class:`_Opaque` for a rule (or a rule it refers to) with an unmodelled condition."""
    bodies = dict(generated.rules)
    assessments = _get(record, "space.operator.assessments")

    def value(node: Any) -> Truth:
        kind = node[0]
        if kind == "opaque":
            raise _Opaque
        if kind == "ref":
            return value(bodies[node[1]])
        if kind == "and":
            return _and([value(n) for n in node[1]])
        if kind == "or":
            return _or([value(n) for n in node[1]])
        if kind == "not":
            inner = value(node[1])
            return {MET: NOT_MET, NOT_MET: MET}.get(inner, inner)
        if kind == "cmp":
            return _compare(_get(record, node[1]), node[2], node[3])
        if kind == "fields":
            return _compare(_get(record, node[1]), node[2], _get(record, node[3]))
        if kind == "level":
            return _compare(_get(record, node[1]), node[2], node[3])
        if kind == "bool":
            found = _get(record, node[1])
            return UNKNOWN if found is None else _truth(found)
        if kind in ("enum", "text"):
            return _compare(_get(record, node[1]), node[2], node[3])
        if kind == "in":
            found = _get(record, node[1])
            if found is None:
                return UNKNOWN
            return _truth((found in node[2]) != node[3])
        if kind == "has":
            found = _get(record, node[1])
            return UNKNOWN if found is None else _truth(node[2] in found)
        if kind == "includes":
            found = _get(record, node[1])
            if found is None:
                return UNKNOWN
            if node[2] == "all":
                return _truth(node[3] <= found)
            return _truth(bool(node[3] & found))
        if kind == "index":
            given = None if assessments is None else assessments.get(node[1])
            return UNKNOWN if given is None else _truth(given)
        if kind == "judged":
            given = None if assessments is None else assessments.get(node[1])
            return AWAITING if given is None else _truth(given)
        raise AssertionError(kind)  # pragma: no cover - every generated kind is above

    return value(bodies[rule])


# ---------------------------------------------------------------- one case


def _summary(result: policykit.Result) -> tuple[Any, ...]:
    return (result.outcome, sorted(failures_of(result), key=repr), result.missing,
            result.pending)


def compare_case(generated: Generated, policy: policykit.Policy, batch: list[Any],
                 as_of: date, *, full: bool, stats: dict[str, int] | None = None
                 ) -> list[str]:
    """Every disagreement between the paths, as messages (empty: all agree)."""
    problems: list[str] = []
    plains = [unstructure(record) for record in batch]
    for rule in policy.rule_names():
        many = list(policy.evaluate_many(plains, as_of=as_of, rule=rule))
        for i, record in enumerate(batch):
            where = f"rule {rule}, record {i}"
            result = policy.evaluate(record, as_of=as_of, rule=rule)
            if result.truth is not result.trace.outcome:
                problems.append(f"{where}: decision {result.truth.name}, explanation tree "
                                f"{result.trace.outcome.name}")
            if bool(result.failures) != (result.truth is NOT_MET):
                problems.append(f"{where}: outcome {result.outcome} with "
                                f"{len(result.failures)} failures")
            got, want = (sorted(failures_of(result), key=repr),
                         sorted(failures_from_trace(result), key=repr))
            if got != want:
                problems.append(f"{where}: failures {got} but the explanation says {want}")
            if result.truth.settled and (result.missing or result.pending):
                problems.append(f"{where}: settled, yet missing {result.missing} pending "
                                f"{result.pending}")
            plain = policy.evaluate(plains[i], as_of=as_of, rule=rule)
            again = policy.evaluate(policy.structure(plains[i], rule), as_of=as_of, rule=rule)
            first = _summary(result)
            for label, other in (("plain data", plain), ("structure(plain)", again),
                                 ("evaluate_many", many[i])):
                if _summary(other) != first:
                    problems.append(f"{where}: attrs record {first} but {label} "
                                    f"{_summary(other)}")
            if full:
                data = json.dumps(result.to_dict(), ensure_ascii=False, indent=1)
                for label, other in (("plain data", plain), ("structure(plain)", again)):
                    theirs = json.dumps(other.to_dict(), ensure_ascii=False, indent=1)
                    if theirs != data:
                        diff = difflib.unified_diff(data.splitlines(), theirs.splitlines(),
                                                    "attrs record", label, lineterm="", n=0)
                        shown = " | ".join(line.strip() for line in list(diff)[2:8])
                        problems.append(f"{where}: to_dict() differs for {label}: {shown}")
            try:
                expected = oracle(generated, rule, record)
            except _Opaque:
                continue
            if stats is not None:
                stats["oracle"] = stats.get("oracle", 0) + 1
            if expected is not result.truth:
                problems.append(f"{where}: outcome {result.truth.name}, the reference "
                                f"evaluator says {expected.name}")
    return problems


def reproducer(generated: Generated, batch: list[Any], as_of: date) -> str:
    plains = [unstructure(record) for record in batch]
    return ("import datetime, policykit\n"
            "from decimal import Decimal\n"
            "from policykit.calendar import Duration\n"
            "from policykit.records import *\n"
            f"policy = policykit.loads({generated.text!r})\n"
            f"records = {list(batch)!r}  # attrs records\n"
            f"plains = {plains!r}  # records.unstructure() of each\n"
            f"as_of = {as_of!r}\n"
            "# for each rule and record: evaluate; compare outcome with trace.outcome, "
            "failures, evaluate_many, the plain data and structure(plain)")


# ---------------------------------------------------------------- the check


def cases() -> st.SearchStrategy[tuple[Generated, list[Any], date]]:
    """A generated policy, one to six records, a date."""
    return st.tuples(policies(), st.lists(records(MakerSpace, list(TEXTS)), min_size=1,
                                          max_size=6), DATES)


def run(seconds: float = 60.0, *, max_cases: int | None = None, derandomize: bool = False,
        compare: Any = None) -> Outcome:
    """Generate policies and records for ``seconds`` (or ``max_cases`` policies)."""
    outcome = Outcome(NAME, unit="records")
    recorder = Recorder(outcome)
    compare = compare or compare_case
    stats = {"policies": 0, "evaluations": 0, "oracle": 0}
    with timed(outcome):
        deadline = time.monotonic() + seconds

        def probe(drawn: tuple[Generated, list[Any], date]) -> bool:
            if time.monotonic() > deadline or (max_cases is not None
                                               and stats["policies"] >= max_cases):
                return True
            generated, batch, as_of = drawn
            stats["policies"] += 1
            try:
                policy = policykit.loads(generated.text)
            except policykit.PolicyError as err:
                recorder.fail(f"a well-formed generated policy was refused: {err.codes}",
                              f"policykit.loads({generated.text!r})\n{err}",
                              f"refused {err.codes}")
                return False
            outcome.inputs += len(batch)
            stats["evaluations"] += len(batch) * len(policy.rule_names())
            try:
                problems = compare(generated, policy, batch, as_of,
                                   full=stats["policies"] % 4 == 0, stats=stats)
            except Exception as exc:  # any escape is the finding
                key = signature(exc)
                recorder.fail(key, reproducer(generated, batch, as_of) + "\n" + describe(exc),
                              key)
                return False
            if problems:
                key = problems[0].split(": ", 1)[1][:40]
                recorder.fail(problems[0], lambda: reproducer(generated, batch, as_of)
                              + "\n# " + "\n# ".join(problems[:5]), key)
            return False

        options = settings(max_examples=10**9, deadline=None, database=None,
                           phases=[Phase.generate], derandomize=derandomize,
                           suppress_health_check=list(HealthCheck))
        with contextlib.suppress(NoSuchExample):  # the deadline ends the search
            find(cases(), probe, settings=options)
    outcome.details = (f"{stats['policies']} generated policies, "
                       f"{stats['evaluations']} rule evaluations, {stats['oracle']} of them "
                       "also by the reference evaluator")
    return outcome
