"""Check 2, ``hostile-records``: records a web form could send, against every bundled rule.

Records are generated from ``random.Random(seed)`` (a plain loop: 10^5 records in two
minutes leave no room for a strategy library's overhead), one bundled rule after the
other (:func:`policykit.bundled_ids`, ``policy.rules()``, ``policy.rule_subject``). Each
record is built from the subject's schema, each field absent, well formed or hostile:
wrong types, null in lists, sets and maps, NaN and Infinity (float and Decimal),
``10**10000`` and ``"1e999999"``, negative areas, units of another dimension (``"500
元"`` for an area), impossible dates (``"2016-02-30"``), datetimes where dates go, deep
nesting, unknown keys and keys that are not text. One record in eight is sent as text
through :func:`policykit.records.load_data` (JSON or YAML) with hostile text: YAML tags
(``!!python/object/apply:os.system``), anchors and aliases (an alias bomb), duplicate
keys, YAML 1.1 words, timestamps, sexagesimal numbers, ``NaN`` and ``1e999999`` in
JSON, deep brackets. ``as_of`` is sometimes a corner of the calendar (0001-01-01,
9999-12-31) or a datetime.

The safe behaviour: a :class:`RecordError` whose every problem names a path (at the
record root, ``<document>``, or under it) with a short message, or a :class:`Result`
whose ``outcome``, ``failures`` and ``missing`` answer; for one input in 20 also
``to_dict()`` (no float anywhere; ``json.dumps`` works) and ``explain("zh")`` and
``explain("en")``, the caller's record unchanged, and ``evaluate_many`` answering (or
refusing, with the same problems) as ``evaluate`` did. A ``TypeError`` naming ``as_of``
for a datetime ``as_of`` is accepted (the API's own check). Anything else is a failure,
printed with the record reduced (fields removed while it fails the same way).
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

import policykit
from checks import Outcome, Recorder, describe, signature, timed
from checks.fuzz import find_float
from policykit.calendar import Duration
from policykit.errors import RecordError
from policykit.records import (
    Ballot,
    Facility,
    FrozenMap,
    Level,
    MakerSpace,
    Organization,
    Service,
    load_data,
    schema_fields,
)
from policykit.stdlib.units import Dim
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

__all__ = ["Target", "pyrepr", "run", "targets"]

NAME = "hostile-records"

# ---------------------------------------------------------------- values and their code

_CODE: dict[int, str] = {}
"""Python code for values whose repr is too long or impossible (10**10000 has no
decimal repr past 4,300 digits), by id; the values are module constants, so ids last."""


def _named(value: Any, code: str) -> Any:
    _CODE[id(value)] = code
    return value


def _deep_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return _named(value, f"deep_list({depth})")


def _deep_dict(depth: int, key: str) -> Any:
    value: Any = {}
    for _ in range(depth):
        value = {key: value}
    return _named(value, f"deep_dict({depth}, {key!r})")


BIG = _named(10**10000, "10**10000")
NEG_BIG = _named(-(10**10000), "-10**10000")
LONG_TEXT = _named("a" * 100_000, "'a' * 100_000")
LONG_NUMBER = _named("9" * 5000, "'9' * 5000")
OBJECT = _named(object(), "object()")
DEEP_LIST = _deep_list(2000)
DEEP_DICT = _deep_dict(2000, "a")
DEEP_OPERATOR = _deep_dict(2000, "operator")

GENERIC: tuple[Any, ...] = (
    True, False, 0, -1, 1.5, -0.0, float("nan"), float("inf"), float("-inf"),
    Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"),
    Decimal("1e999999"), Decimal("-1e-999999"), Decimal("0.1"), Decimal("-5"), BIG, NEG_BIG,
    2**63, "1e999999", "NaN", "nan", "Infinity", "-Infinity", "", " ", "\x00", "\ud800",
    "\u202e湖南", LONG_TEXT, LONG_NUMBER, "10**10000", "true", "null", "None", [], {}, [None],
    [None, None], {"x": None}, {None: 1}, [[[]]], set(), frozenset({1}), (1, 2), b"\xff",
    bytearray(b"x"), OBJECT, date(2016, 2, 29), datetime(2016, 2, 29, 12, 0),
    clock(12, 0), timedelta(days=1), complex(1, 2), FrozenMap({}), range(3),
    DEEP_LIST, DEEP_DICT, "2016-02-30", "2016-13-01", "0000-01-01",
    "9999-12-31", "10000-01-01", "2016-2-3", "２０１６-０２-０１", "2016-02-29T12:00:00",
    "-500 m2", "500 元", "500 m2 m2", "m2", "五百平方米", "1e3 m2", "1e999999 m2",
    "NaN m2", "inf 元", "Infinity 万元", "0x10", "1_000", "٥٠٠ m2", "٥٠٠", "500 ㎡",
    "30%", "3 years", "-3 years", "99999999 years", "9" * 30 + " days", "1.5 years",
    "半年", "100万元", "-100万元", "0 m2", "0.000000000000000000000000000001 m2",
    "1" + "0" * 40 + " m2", Duration(months=10**9), Duration(days=10**9),
    "500\u3000m2", "５００ m2", "500 M2", " 500 m2 ", "500 m²", "500 m2\n", " leased",
    "LEASED", " 2016-01-01", "2016-01-01\n", Decimal("12"), Decimal("12.0"), "12",
    MakerSpace(), Organization(), Ballot(), Service.ip, Facility.power, Level.city,
    OrderedDict(a=1), defaultdict(list), FrozenMap({"a": None}),
)


def _text(rng: random.Random) -> str:
    return rng.choice(["湖南", "湖南省", "上海", "", "Hunan", "leased", "ip", "x" * 3,
                       "湖南\u200b", "湖\x00南", "\ud800"])


def _valid(ty: Type, rng: random.Random, depth: int, hostility: float = 0.3) -> Any:
    """A well-formed value as a form would send it."""
    if isinstance(ty, BoolT):
        return rng.random() < 0.5
    if isinstance(ty, IntT):
        return rng.choice([0, 1, 2, 3, 5, 10, 12, rng.randrange(10**6)])
    if isinstance(ty, TextT):
        return _text(rng)
    if isinstance(ty, DateT):
        day = date(2010, 1, 1) + timedelta(days=rng.randrange(4000))
        return rng.choice([day, day.isoformat(), "2016-02-29", "2015-08-31", "0001-01-01",
                           "9999-12-31"])
    if isinstance(ty, QuantityT):
        return _valid_quantity(ty.dim, rng)
    if isinstance(ty, EnumT):
        member = rng.choice(list(ty.enum))
        return rng.choice([member.value, getattr(member, "label", member.value), member])
    if isinstance(ty, SetT):
        members = list(ty.enum)
        chosen = rng.sample(members, rng.randrange(len(members) + 1))
        return [m.value for m in chosen]
    if isinstance(ty, ListT):
        return [_valid(ty.item, rng, depth) for _ in range(rng.randrange(4))]
    if isinstance(ty, MapT):
        return {rng.choice(["a", "business_model", "staff_competence", "k", "x"]):
                _valid(ty.value, rng, depth) for _ in range(rng.randrange(4))}
    if isinstance(ty, RecordT):
        return _record(ty.cls, rng, depth + 1, hostility)
    raise AssertionError(f"no values for {ty}")  # pragma: no cover - exhaustive


def _valid_quantity(dim: Dim, rng: random.Random) -> Any:
    number = rng.choice([0, 1, 30, 150, 300, 499, 500, 800, 10**6])
    if dim is Dim.AREA:
        return rng.choice([f"{number} m2", f"{number}.5 平方米", Decimal(number), number])
    if dim is Dim.MONEY:
        return rng.choice([f"{number}万元", f"{number} 元", Decimal(number), "100万元"])
    if dim is Dim.DURATION:
        return rng.choice(["3 years", "6个月", "半年", f"{number} days", 6,
                           Duration(months=rng.randrange(100))])
    return rng.choice(["30%", Decimal("0.3"), "100%"])


def _hostile(ty: Type, rng: random.Random, depth: int) -> Any:
    """A value of the wrong kind for ``ty``, or a container with a hostile item."""
    roll = rng.random()
    if roll < 0.25 and isinstance(ty, SetT | ListT):
        items = [_valid(ty.item, rng, depth) if isinstance(ty, ListT)
                 else rng.choice(list(ty.enum)).value for _ in range(rng.randrange(3))]
        items.insert(rng.randrange(len(items) + 1), rng.choice([None, *GENERIC]))
        return items if rng.random() < 0.8 else tuple(items)
    if roll < 0.25 and isinstance(ty, MapT):
        entries = {"business_model": _valid(ty.value, rng, depth)}
        entries[rng.choice(["staff_competence", "", "\ud800", "a" * 300])] = \
            rng.choice([None, *GENERIC])
        return entries
    if roll < 0.25 and isinstance(ty, RecordT) and depth < 3:
        return _record(ty.cls, rng, depth + 1, hostility=0.5)
    if roll < 0.35 and isinstance(ty, QuantityT):
        other = rng.choice([d for d in Dim if d is not ty.dim])
        return _valid_quantity(other, rng)
    return rng.choice(GENERIC)


_UNKNOWN_KEYS: tuple[Any, ...] = ("area_typo", "__class__", "_private", "", "\ud800", 1,
                                  None, ("a",), "operator.name", "a" * 1000)


def _record(cls: type, rng: random.Random, depth: int = 0, hostility: float = 0.3) -> Any:
    fields = schema_fields(cls)
    names = list(fields)
    record: dict[Any, Any] = {}
    for name in rng.sample(names, min(len(names), rng.randrange(1, 7))):
        ty = fields[name].type
        if rng.random() < hostility:
            record[name] = _hostile(ty, rng, depth)
        else:
            record[name] = _valid(ty, rng, depth, hostility)
    if hostility and rng.random() < 0.05:
        record[rng.choice(_UNKNOWN_KEYS)] = rng.choice([1, None, {}, "x"])
    return record


def _whole(cls: type, rng: random.Random) -> Any:
    """A record that is not a mapping at all, or a mapping of the wrong shape."""
    return rng.choice([None, [], [{}], "area: 500 m2", 5, Decimal("NaN"), float("nan"), BIG,
                       DEEP_LIST, DEEP_OPERATOR, OBJECT,
                       dict.fromkeys(schema_fields(cls)),
                       {"operator": DEEP_OPERATOR},
                       FrozenMap({}), {i: i for i in range(3)}])


# ---------------------------------------------------------------- texts for load_data

_YAML_SNIPPETS = (
    "{f}: !!python/object/apply:os.system ['echo owned']",
    "{f}: !!python/name:os.system",
    "{f}: !!python/object/new:type ['x', [], {{}}]",
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n{f}: [*e, *e, *e, *e, *e, *e, *e, *e, *e]",
    "{f}: &x 500 m2\nname: *x",
    "<<: {{{f}: 1}}",
    "{f}: NO", "{f}: yes", "{f}: on", "{f}: ~", "{f}: 1:30", "{f}: 0x1F", "{f}: 0o17",
    "{f}: 1_000", "{f}: +12", "{f}: 1e3", "{f}: .nan", "{f}: .inf", "{f}: -.inf",
    "{f}: 2016-02-30", "{f}: 2016-02-29 12:00:00", "{f}: 2001-12-14t21:59:43.10-05:00",
    "{f}: !!timestamp 2016-02-29", "{f}: !!float nan", "{f}: !!binary aGVsbG8=",
    "{f}: !!set {{ip, finance}}", "{f}: !!omap [a: 1]", "{f}: !!str 500 m2",
    "{f}: 1" + "0" * 5000, "{f}: " + "[" * 300 + "]" * 300,
    "{f}: 500 m2\n{f}: 400 m2", "? [a, b]\n: 1", "{f}:\n\t- x", "{f}: \x00",
    "\ufeff{f}: 1", "%YAML 1.2\n---\n{f}: 1", "{f}: 1\n---\n{f}: 2", "{f}: '\\ud800'",
    "{f}: \"\\ud800\"", "{f}: [null, null]", "{f}: {{a: null}}", "{f}: {{null: 1}}",
    "{f}: !custom 1", "{f}: *undefined",
)
_SLOW_SNIPPETS = (
    # PyYAML's pure-Python scanner is quadratic in open flow brackets: about 2 s for
    # 2,000 of them before the depth limit refuses the document. Drawn rarely.
    ("{f}: " + "[" * 20000, "yaml"), ('{{"{f}": ' + "[" * 100_000 + "}}", "json"),
)
_JSON_SNIPPETS = (
    '"{f}": NaN', '"{f}": Infinity', '"{f}": -Infinity', '"{f}": 1e999999',
    '"{f}": -1e999999', '"{f}": 1' + "0" * 5000, '"{f}": 1.0e400', '"{f}": 0.1',
    '"{f}": "\\ud800"', '"{f}": [null]', '"{f}": {{"a": null}}', '"{f}": ' + "[" * 5000,
    '"{f}": ' + "[" * 200 + "]" * 200, '"{f}": 1, "{f}": 2', '"{f}": -0', '"{f}": 1.5e3',
    '"{f}": true', '"{f}": "2016-02-30"', '"{f}": {{}}',
)


def _json_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _as_text(cls: type, rng: random.Random) -> tuple[str, str]:
    """A JSON or YAML document with a hostile part (a snippet about one field)."""
    field = rng.choice(list(schema_fields(cls)))
    if rng.random() < 0.002:
        text, fmt = rng.choice(_SLOW_SNIPPETS)
        return text.format(f=field), fmt
    base = {k: v for k, v in _record(cls, rng, hostility=0.0).items() if isinstance(k, str)}
    if rng.random() < 0.5:
        parts = [f"{json.dumps(k)}: {_json_value(v)}" for k, v in base.items()]
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(_JSON_SNIPPETS).format(f=field))
        return "{" + ", ".join(parts) + "}", "json"
    lines = [f"{k}: {_json_value(v)}" for k, v in base.items()]
    lines.insert(rng.randrange(len(lines) + 1), rng.choice(_YAML_SNIPPETS).format(f=field))
    return "\n".join(lines) + "\n", "yaml"


# ---------------------------------------------------------------- targets and checks


class Target:
    """One bundled rule and the record class it reads."""

    def __init__(self, policy_id: str, rule: str, subject: str, cls: type) -> None:
        self.policy_id = policy_id
        self.rule = rule
        self.subject = subject
        self.cls = cls

    @property
    def policy(self) -> policykit.Policy:
        return policykit.bundled(self.policy_id)


def targets() -> list[Target]:
    """Every rule of every bundled policy."""
    found = []
    for pid in policykit.bundled_ids():
        policy = policykit.bundled(pid)
        for info in policy.rules():
            subject, cls = policy.rule_subject(info.name)
            found.append(Target(pid, info.name, subject, cls))
    return found


AS_OF: tuple[date, ...] = (date(2016, 9, 1), date(2016, 9, 1), date(2016, 9, 1),
                           date(2018, 3, 1), date(2020, 12, 31), date(2016, 2, 29),
                           date(1, 1, 1), date(9999, 12, 31))


class Unsafe(Exception):
    """A behaviour that is not an exception but is still unsafe (a float in the data, a
    problem without a path, the caller's record changed)."""


def _check_record_error(err: RecordError, root: str) -> None:
    if not err.problems:
        raise Unsafe("a RecordError with no problems")
    for problem in err.problems:
        path = problem.path
        if not isinstance(path, str) or not path:
            raise Unsafe(f"a record problem without a path: {problem!r}")
        if path != "<document>" and not (path == root or path.startswith((root + ".",
                                                                          root + "["))):
            raise Unsafe(f"a record problem whose path is not under {root!r}: {path!r}")
        if not problem.message or len(problem.message) > 1000:
            raise Unsafe(f"a record problem message of {len(problem.message)} characters")
    str(err)


def probe(target: Target, record: Any, as_of: date, *, full: bool,
          text: tuple[str, str] | None = None,
          evaluate: Callable[..., policykit.Result] | None = None) -> str:
    """One hostile input through the API. Returns "refused" or the outcome; raises what
    escapes (an :class:`Unsafe` for a safety property broken without an exception)."""
    if text is not None:
        try:
            record = load_data(text[0], text[1])  # type: ignore[arg-type]
        except RecordError as err:
            _check_record_error(err, target.subject)
            return "refused"
    before = pyrepr(record) if full else None
    policy = target.policy
    try:
        result = (evaluate or policy.evaluate)(record, as_of=as_of, rule=target.rule)
    except RecordError as err:
        _check_record_error(err, target.subject)
        if full and evaluate is None:
            _same_refusal(policy, target, record, as_of, err)
        if full and pyrepr(record) != before:
            raise Unsafe("the caller's record was changed (and refused)") from None
        return "refused"
    except TypeError as err:
        if isinstance(as_of, datetime) and "as_of" in str(err):
            return "refused"
        raise
    outcome = result.outcome
    _ = (result.failures, result.missing)
    if full:
        data = result.to_dict()
        place = find_float(data)
        if place is not None:
            raise Unsafe(f"a float in to_dict() at {place}")
        json.dumps(data, ensure_ascii=False)
        result.explain("zh")
        result.explain("en")
        if pyrepr(record) != before:
            raise Unsafe("the caller's record was changed")
        if evaluate is None:
            _same_answer(policy, target, record, as_of, result)
    return outcome


def _same_answer(policy: policykit.Policy, target: Target, record: Any, as_of: date,
                 result: policykit.Result) -> None:
    """``evaluate_many`` answers a record as ``evaluate`` did."""
    try:
        (other,) = policy.evaluate_many([record], as_of=as_of, rule=target.rule)
    except RecordError as err:
        raise Unsafe(f"evaluate_many refused a record evaluate answered: {err}") from None
    if (other.outcome, other.failures, other.missing) != (result.outcome, result.failures,
                                                          result.missing):
        raise Unsafe("evaluate_many answered differently from evaluate")


def _same_refusal(policy: policykit.Policy, target: Target, record: Any, as_of: date,
                  err: RecordError) -> None:
    """``evaluate_many`` refuses a record as ``evaluate`` did, with the same problems."""
    try:
        list(policy.evaluate_many([record], as_of=as_of, rule=target.rule))
    except RecordError as again:
        if again.problems != err.problems:
            raise Unsafe("evaluate_many and evaluate report different problems") from None
        return
    raise Unsafe("evaluate_many answered a record evaluate refused")


def inputs(rng: random.Random, every: list[Target]) -> Iterator[tuple[Target, Any, date,
                                                                      tuple[str, str] | None]]:
    """Hostile inputs, one bundled rule after the other, forever."""
    while True:
        for target in every:
            roll = rng.random()
            as_of = rng.choice(AS_OF)
            if rng.random() < 0.01:
                as_of = datetime(as_of.year, as_of.month, as_of.day, 12)
            if roll < 0.125:
                yield target, None, as_of, _as_text(target.cls, rng)
            elif roll < 0.15:
                yield target, _whole(target.cls, rng), as_of, None
            else:
                hostility = rng.choice((0.0, 0.0, 0.15, 0.15, 0.3, 0.6))
                yield target, _record(target.cls, rng, hostility=hostility), as_of, None


def run(records: int = 100_000, *, seconds: float = 110.0, seed: int = 12,
        evaluate: Callable[..., policykit.Result] | None = None,
        reduce_seconds: float = 5.0, slow: float = 5.0) -> Outcome:
    """Try ``records`` hostile inputs (fewer if ``seconds`` run out first); one input
    that takes more than ``slow`` seconds is a failure too."""
    outcome = Outcome(NAME, unit="records")
    recorder = Recorder(outcome)
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    slowest = (0.0, "")
    with timed(outcome):
        every = targets()
        deadline = time.monotonic() + seconds
        for target, record, as_of, text in inputs(rng, every):
            if outcome.inputs >= records or time.monotonic() > deadline:
                break
            outcome.inputs += 1
            full = outcome.inputs % 20 == 0
            began = time.perf_counter()
            try:
                said = probe(target, record, as_of, full=full, text=text, evaluate=evaluate)
                kind = "refused" if said == "refused" else "answered"
                counts[kind] = counts.get(kind, 0) + 1
                took = time.perf_counter() - began
                if took > slowest[0]:
                    slowest = (took, f"{target.policy_id}:{target.rule}")
                if took > slow:
                    recorder.fail(f"one input took {took:.1f} s (over {slow} s)",
                                  reproducer(target, record, as_of, text), "slow")
            except Exception as exc:
                key = signature(exc) if not isinstance(exc, Unsafe) else str(exc)[:80]
                if recorder.seen(key):
                    recorder.fail(key, "", key)
                    continue
                small = record if text is not None else _reduce(
                    target, record, as_of, full, key, evaluate, reduce_seconds)
                recorder.fail(
                    f"{key} ({target.policy_id}:{target.rule})",
                    lambda t=target, r=small, a=as_of, x=text, e=exc:  # type: ignore[misc]
                    reproducer(t, r, a, x) + "\n" + describe(e), key)
    short = " (time ran out first)" if outcome.inputs < records else ""
    outcome.details = (f"{counts.get('refused', 0)} refused with a RecordError, "
                       f"{counts.get('answered', 0)} answered, across {len(every)} rules; "
                       f"slowest input {slowest[0]:.2f} s ({slowest[1]})" + short)
    return outcome


def _reduce(target: Target, record: Any, as_of: date, full: bool, key: str,
            evaluate: Callable[..., policykit.Result] | None, seconds: float) -> Any:
    """Remove fields (and nested fields) while the record fails the same way."""
    if not isinstance(record, dict):
        return record

    def same(candidate: Any) -> bool:
        try:
            probe(target, candidate, as_of, full=full, evaluate=evaluate)
        except Exception as exc:
            again = signature(exc) if not isinstance(exc, Unsafe) else str(exc)[:80]
            return again == key
        return False

    deadline = time.monotonic() + seconds
    current = dict(record)
    for name in list(current):
        if time.monotonic() > deadline:
            break
        candidate = {k: v for k, v in current.items() if k != name}
        if same(candidate):
            current = candidate
    for name, value in list(current.items()):
        if isinstance(value, dict) and time.monotonic() < deadline:
            for inner in list(value):
                smaller = {k: v for k, v in current[name].items() if k != inner}
                if same({**current, name: smaller}):
                    current = {**current, name: smaller}
    return current


# ---------------------------------------------------------------- reproducers


def pyrepr(value: Any, depth: int = 0) -> str:
    """Python code for ``value`` (exact for every value the generator makes)."""
    code = _CODE.get(id(value))
    if code is not None:
        return code
    if depth > 60:
        return "..."
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value) if value.bit_length() < 4000 else f"int({hex(value)!r}, 16)"
    if isinstance(value, float):
        return f"float({str(value)!r})" if not math.isfinite(value) else repr(value)
    if isinstance(value, Decimal):
        return f"Decimal({str(value)!r})"
    if isinstance(value, str):
        if len(value) > 300 and value == value[0] * len(value):
            return f"{value[0]!r} * {len(value)}"
        return repr(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{pyrepr(k, depth + 1)}: {pyrepr(v, depth + 1)}"
                          for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, FrozenMap):
        return f"FrozenMap({pyrepr(dict(value.items()), depth + 1)})"
    if isinstance(value, list):
        return "[" + ", ".join(pyrepr(v, depth + 1) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(pyrepr(v, depth + 1) + ", " for v in value) + ")"
    if isinstance(value, frozenset | set):
        items = sorted(pyrepr(v, depth + 1) for v in value)
        kind = "frozenset" if isinstance(value, frozenset) else "set"
        return f"{kind}([{', '.join(items)}])"
    if isinstance(value, Enum):
        return f"policykit.records.{type(value).__name__}.{value.name}"
    if attrs.has(type(value)):
        return f"policykit.records.{value!r}"
    if isinstance(value, defaultdict):
        return f"collections.defaultdict(list, {pyrepr(dict(value), depth + 1)})"
    if isinstance(value, OrderedDict):
        return f"collections.OrderedDict({pyrepr(dict(value), depth + 1)})"
    if isinstance(value, Duration):
        return f"Duration(months={value.months}, days={value.days})"
    return repr(value)


_PREAMBLE = """import collections, datetime
from decimal import Decimal
import policykit
from policykit.calendar import Duration
from policykit.records import FrozenMap, load_data
def deep_list(n):
    v = []
    for _ in range(n): v = [v]
    return v
def deep_dict(n, key):
    v = {}
    for _ in range(n): v = {key: v}
    return v
"""


def reproducer(target: Target, record: Any, as_of: date,
               text: tuple[str, str] | None = None) -> str:
    code = (f"record = load_data({text[0]!r}, {text[1]!r})" if text is not None
            else f"record = {pyrepr(record)}")
    preamble = _PREAMBLE if "deep_" in code else _PREAMBLE.split("def deep_list", maxsplit=1)[0]
    lines = [preamble.rstrip(), code]
    stamp = repr(as_of)
    lines.append(f"result = policykit.bundled({target.policy_id!r}).evaluate(record, "
                 f"as_of={stamp}, rule={target.rule!r})")
    lines.append("result.outcome, result.failures, result.missing, result.to_dict(), "
                 "result.explain('zh'), result.explain('en')")
    text_out = "\n".join(lines)
    return text_out if len(text_out) < 6000 else text_out[:5000] + "\n… (cut)"
