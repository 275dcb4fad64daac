"""Policy tests: YAML cases next to each policy, run by ``policykit test`` and pytest.

A suite file ``NAME.tests.yaml`` beside ``NAME.policy``::

    policy: recognition.policy          # a path beside this file, or a bundled id
    base: recognition.example.yaml      # a record file beside this one, or a mapping
    cases:
      - name: area just under 500 m2
        why: 第五条(一) 500平方米(含)以上; 499.9 < 500, short by 500 - 499.9 = 0.1
        as_of: 2016-09-01
        set: {area: 499.9 m2}           # dotted paths replaced in the base record
        unset: [seed_fund]              # dotted paths removed from it
        rule: area                      # optional: a rule other than the main one
        expect:
          outcome: not_met
          rules: {funding: met}         # other rules on the same record
          missing: [space.seed_fund]    # exactly these, in any order
          pending: []
          unresolved: [listed_with_deng]
          explain: {zh: ["差 0.1 平方米"], en: ["short by 0.1 m2"]}
      - name: a lifecycle case replays a history instead of evaluating a record
        as_of: 2022-01-11
        lifecycle: coop_base            # optional when the policy declares one lifecycle
        history:
          - {on: 2019-03-01, event: approved}
          - {on: 2020-01-10, event: revoked}
        expect:
          state: revoked
          period_end: null
          may_reapply: true
          barred_until: 2022-01-10
          duties: {annual_summary: 2022-12-31}   # duty -> due date (null: no date set)
          decisions_due: []                      # the labels (zh) of decisions due
          explain: {zh: ["至 2022-01-10 止"]}

Every expected value is written by hand from the source text, with the arithmetic in
``why``; the runner only compares.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from policykit.api import Policy, UnknownPolicy, bundled, load
from policykit.cli import InputError, decode_utf8, parse_date
from policykit.errors import PolicyError, RecordError
from policykit.records import load_data

__all__ = ["Case", "CaseFailure", "Suite", "discover", "load_suite", "run_case", "run_paths"]

SUITE_SUFFIX = ".tests.yaml"


class SuiteError(Exception):
    """A suite file that cannot be read; the message names the file and what is wrong."""


@attrs.frozen
class Case:
    name: str
    why: str
    as_of: date
    record: Any
    rule: str | None
    expect: dict[str, Any]
    history: Any = None
    lifecycle: str | None = None


@attrs.frozen
class Suite:
    path: Path
    policy: Policy
    cases: tuple[Case, ...]


@attrs.frozen
class CaseFailure:
    case: str
    problems: tuple[str, ...]


def discover(paths: Iterable[Path]) -> list[Path]:
    """Suite files under the given files and folders, sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(path.rglob(f"*{SUITE_SUFFIX}"))
        elif path.name.endswith(SUITE_SUFFIX):
            found.add(path)
        elif path.suffix == ".policy":
            sibling = path.with_name(path.name[: -len(".policy")] + SUITE_SUFFIX)
            if sibling.exists():
                found.add(sibling)
    return sorted(found)


def _read(path: Path) -> str:
    """A suite or record file's text (UTF-8, a byte-order mark dropped); an unreadable
    or undecodable file is an InputError naming it."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None
    return decode_utf8(raw, str(path))


def load_suite(path: Path) -> Suite:
    try:
        data = load_data(_read(path), "yaml")
    except InputError as err:
        raise SuiteError(str(err)) from None
    except RecordError as err:
        raise SuiteError(f"{path}: {err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise SuiteError(f"{path}: a suite is a mapping with `policy`, `base` and `cases`")
    policy = _policy(path, data.get("policy"))
    base = _base(path, data.get("base"))
    cases = tuple(_case(path, i, raw, base) for i, raw in enumerate(data["cases"]))
    return Suite(path, policy, cases)


def _policy(path: Path, ref: object) -> Policy:
    if not isinstance(ref, str):
        raise SuiteError(f"{path}: `policy` names a .policy file or a bundled id")
    beside = path.parent / ref
    try:
        if ref.endswith(".policy"):
            return load(beside)
        return bundled(ref)
    except (PolicyError, UnknownPolicy) as err:
        raise SuiteError(f"{path}: the policy {ref!r} does not load:\n{err}") from None


def _base(path: Path, ref: object) -> dict[str, Any]:
    if ref is None:
        return {}
    if isinstance(ref, dict):
        return ref
    if isinstance(ref, str):
        file = path.parent / ref
        try:
            data = load_data(_read(file), "json" if ref.endswith(".json") else "yaml")
        except (InputError, RecordError) as err:
            raise SuiteError(f"{path}: the base record {ref!r} does not load: {err}") from None
        if isinstance(data, dict):
            return data
    raise SuiteError(f"{path}: `base` is a record file beside the suite, or a mapping")


def _case(path: Path, index: int, raw: object, base: dict[str, Any]) -> Case:
    where = f"{path}: case {index + 1}"
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise SuiteError(f"{where}: a case is a mapping with a `name`")
    where = f"{path}: case {raw['name']!r}"
    if not isinstance(raw.get("expect"), dict):
        raise SuiteError(f"{where}: `expect` is missing")
    _check_expect(where, raw["expect"])
    as_of = raw.get("as_of")
    if isinstance(as_of, str):
        try:
            as_of = parse_date(as_of)
        except ValueError as err:
            raise SuiteError(f"{where}: `as_of` {err}") from None
    if as_of is not None and not isinstance(as_of, date):
        raise SuiteError(f"{where}: `as_of` is not a date (YYYY-MM-DD): {as_of!r}")
    if not isinstance(as_of, date):
        raise SuiteError(f"{where}: `as_of` (YYYY-MM-DD) is required")
    for key in ("rule", "lifecycle"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise SuiteError(f"{where}: `{key}` is a name")
    if "history" in raw:
        return Case(raw["name"], str(raw.get("why", "")), as_of, None, None, raw["expect"],
                    history=raw["history"] or [], lifecycle=raw.get("lifecycle"))
    record = raw["record"] if "record" in raw else _patched(base, raw, where)
    return Case(raw["name"], str(raw.get("why", "")), as_of, record, raw.get("rule"),
                raw["expect"])


# The shape of each expectation: (what it must be, how a message says so).
_LIST = (list, "a list")
_MAPPING = (dict, "a mapping")
_EXPECT_SHAPES: dict[str, tuple[type, str]] = {
    "rules": _MAPPING, "missing": _LIST, "pending": _LIST, "unresolved": _LIST,
    "explain": _MAPPING, "duties": _MAPPING, "decisions_due": _LIST,
}


def _check_expect(where: str, expect: dict[str, Any]) -> None:
    """Refuse an ``expect`` the runner could not compare (a SuiteError naming the key)."""
    for key, (kind, words) in _EXPECT_SHAPES.items():
        if expect.get(key) is not None and not isinstance(expect[key], kind):
            raise SuiteError(f"{where}: `expect.{key}` is {words}")
    for lang, fragments in (expect.get("explain") or {}).items():
        if lang not in ("zh", "en"):
            raise SuiteError(f"{where}: `expect.explain` has languages zh and en, not {lang!r}")
        if not isinstance(fragments, list):
            raise SuiteError(f"{where}: `expect.explain.{lang}` is a list of texts")


def _patched(base: dict[str, Any], raw: dict[str, Any], where: str) -> dict[str, Any]:
    record = copy.deepcopy(base)
    if not isinstance(raw.get("set") or {}, dict):
        raise SuiteError(f"{where}: `set` is a mapping of dotted paths to values")
    if not isinstance(raw.get("unset") or [], list):
        raise SuiteError(f"{where}: `unset` is a list of dotted paths")
    for dotted, value in (raw.get("set") or {}).items():
        *parents, last = str(dotted).split(".")
        _container(record, parents, where)[last] = value
    for dotted in raw.get("unset") or []:
        *parents, last = str(dotted).split(".")
        container = _container(record, parents, where)
        if last not in container:
            raise SuiteError(f"{where}: cannot unset {dotted!r}: it is not in the record")
        del container[last]
    return record


def _container(record: dict[str, Any], parents: list[str], where: str) -> dict[str, Any]:
    node = record
    for name in parents:
        child = node.setdefault(name, {})
        if not isinstance(child, dict):
            raise SuiteError(f"{where}: {name!r} is not a mapping")
        node = child
    return node


def run_case(suite: Suite, case: Case) -> tuple[str, ...]:
    """The ways ``case`` fails (empty when it passes)."""
    if case.history is not None:
        return _run_lifecycle(suite, case)
    problems: list[str] = []
    expect = case.expect
    if case.rule is not None:
        try:
            suite.policy.rule_subject(case.rule)
        except KeyError as err:  # no such rule, with a hint
            return (f"rule: {err.args[0]}",)
    try:
        result = suite.policy.evaluate(case.record, as_of=case.as_of, rule=case.rule)
    except RecordError as err:
        wanted = expect.get("record_error")
        if wanted is not None and str(wanted) in str(err):
            return ()
        return (f"the record was refused: {err}",)
    if "record_error" in expect:
        problems.append("expected the record to be refused, but it was accepted")
    _equal(problems, "outcome", expect.get("outcome"), result.outcome)
    for key, actual in (("missing", result.missing), ("pending", result.pending),
                        ("unresolved", tuple(n.name for n in result.unresolved))):
        if key in expect:
            _equal(problems, key, sorted(expect[key] or []), sorted(actual))
    for rule, outcome in (expect.get("rules") or {}).items():
        try:
            other = suite.policy.evaluate(case.record, as_of=case.as_of, rule=str(rule))
        except (RecordError, KeyError) as err:  # another record type, or no such rule
            problems.append(f"rule {rule}: {err}")
            continue
        _equal(problems, f"rule {rule}", outcome, other.outcome)
    for lang, fragments in (expect.get("explain") or {}).items():
        text = result.explain(lang=str(lang))
        problems.extend(
            f"the {lang} explanation lacks {fragment!r}:\n{_indent(text)}"
            for fragment in fragments if str(fragment) not in text
        )
    return tuple(problems)


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _run_lifecycle(suite: Suite, case: Case) -> tuple[str, ...]:
    problems: list[str] = []
    expect = case.expect
    try:
        status = suite.policy.lifecycle(case.history, as_of=case.as_of, name=case.lifecycle)
    except (RecordError, KeyError) as err:
        message = err.args[0] if isinstance(err, KeyError) else str(err)
        wanted = expect.get("record_error")
        if wanted is not None and str(wanted) in message:
            return ()
        return (f"the history was refused: {message}",)
    if "record_error" in expect:
        problems.append("expected the history to be refused, but it was accepted")
    _equal(problems, "state", expect.get("state"), status.state)
    for key, actual in (("period_end", status.period_end), ("barred_until", status.barred_until),
                        ("may_reapply", status.may_reapply)):
        if key in expect and _iso(expect[key]) != _iso(actual):
            problems.append(f"{key}: expected {_iso(expect[key])!r}, got {_iso(actual)!r}")
    if "duties" in expect:
        wanted = {str(k): _iso(v) for k, v in (expect["duties"] or {}).items()}
        _equal(problems, "duties", wanted, {d.name: _iso(d.due) for d in status.duties})
    if "decisions_due" in expect:
        _equal(problems, "decisions_due", list(expect["decisions_due"] or []),
               [d.label.zh for d in status.decisions_due])
    for lang, fragments in (expect.get("explain") or {}).items():
        text = status.explain(lang=str(lang))
        problems.extend(
            f"the {lang} explanation lacks {fragment!r}:\n{_indent(text)}"
            for fragment in fragments if str(fragment) not in text
        )
    return tuple(problems)


def _equal(problems: list[str], what: str, expected: object, actual: object) -> None:
    if expected is not None and expected != actual:
        problems.append(f"{what}: expected {expected!r}, got {actual!r}")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def run_paths(paths: Iterable[Path]) -> Iterator[tuple[Path, str, tuple[str, ...]]]:
    """Run every case of every suite: (suite file, case name, problems)."""
    for path in discover(paths):
        try:
            suite = load_suite(path)
        except SuiteError as err:
            yield path, "<suite>", (str(err),)
            continue
        for case in suite.cases:
            yield path, case.name, run_case(suite, case)
