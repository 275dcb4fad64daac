"""第五条 of the Hunan measures in the rule engines a Python programmer would pick instead.

Each peer gets the same criteria, faithfully encoded, compiled once, and is called the
way a portal that receives JSON would call it: per record, build the engine's request
from the plain dict (:func:`flatten`), call the engine, read the decision (and, for the
"with failures" path, which criteria failed, then the actual, required and gap of each).

**One table, five syntaxes.** The criteria are written once below (:data:`CRITERIA`) as
small expression trees, and rendered to Cedar, CEL, ZEN (GoRules), rule-engine and
JsonLogic text; :func:`rule_texts` shows what each engine is given. Every criterion has
two boolean conditions over the request: *met* and *not met*; a fact that is absent
makes both false. So the three-valued logic of policykit (an unknown fact, a judgement
owed) is kept exactly with plain booleans: ``eligible`` when every criterion is met,
``ineligible`` when any is not met, ``undetermined`` otherwise; ``A or B`` is met when
either is met and not met when both are not; ``A implies B`` is met when A is not met
or B is met, and not met when A is met and B is not (Kleene logic).

**What no peer can say exactly, and how it is handled** (in :func:`flatten`, whose cost
is counted in every peer's time):

- *Decimal quantities.* CEL has only doubles, JsonLogic works in floats, Cedar's
  ``decimal`` has four places and no multiplication. Areas are passed as integer
  hundredths of a m2 and money as integer fen (分), so ``public >= 30% of area`` is
  ``public_c * 10 >= area_c * 3`` in integers, exact. The builder refuses a value with
  more than two decimals (none in the workload). In floats 154.26 >= 30% x 514.2 is false.
- *民法典 month arithmetic.* No peer has calendar months with the month-end rule. The
  builder splits the opening date and the assessment date into year, month and day
  (plus "is the assessment date a month's last day"), and the rule does the arithmetic:
  half a year is complete when ``asof_y*12+asof_m > est_y*12+est_m+6``, or in that month
  when ``asof_d >= est_d`` or the assessment date is the month's last day (the clamped
  end of 第二百零二条). This is exact; the last day of the period, shown with a failure,
  is computed in Python (:func:`policykit.calendar.add_period`).
- *Durations in days.* A duration of N days against N months needs the day range of
  N months; the workload gives durations in months and years only, and the builder
  refuses days.
- *Units and labels.* ``"100万元"``, ``"3 years"``, ``"半年"`` and Chinese enum labels
  are read by a small hand-written parser; it validates only what it converts (policykit
  validates every field of the record against its schema).
- *JsonLogic null.* panzi-json-logic's ``==`` treats ``null`` as 0 when compared with a
  number (``{"==": [0, null]}`` is true), so presence tests use ``===``/``!==``.

The JsonLogic implementation is ``panzi-json-logic`` (import ``json_logic``): pure
Python 3, typed, it implements every operation of the JsonLogic spec and passes its
official test suite; ``json-logic-qubit`` is a 2018 fork of the original ``json-logic``
with no release since. ZEN is measured twice: through a decision graph (JDM, the way
GoRules documents it) and as compiled standalone expressions (``zen.compile_expression``),
much faster.
"""

from __future__ import annotations

import calendar as _cal
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from importlib import metadata
from typing import Any

from benchmarks.handwritten import FACILITIES, HUNAN, SERVICES, SYSTEMS, Failure
from policykit.calendar import Duration, add_period
from policykit.records import Facility, LegalForm, Premises, Service, System

__all__ = [
    "CRITERIA",
    "Peer",
    "as_of_fields",
    "flatten",
    "load_peers",
    "rule_texts",
]

Record = dict[str, Any]
Expr = tuple[Any, ...]

# ---------------------------------------------------------------- the request builder

_NAMES: dict[str, str] = {}
for _enum in (Facility, Service, System, LegalForm, Premises):
    for _m in _enum:
        _NAMES[_m.value] = _m.value
        _NAMES[_m.label] = _m.value

_QUANTITY = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(\S*?)\s*")
_AREA_UNITS = {"m2": 1, "㎡": 1, "平方米": 1}
_MONEY_UNITS = {"元": 1, "CNY": 1, "yuan": 1, "万元": 10_000, "亿元": 100_000_000}
_MONTH_UNITS = {"months": 1, "month": 1, "个月": 1, "月": 1, "years": 12, "year": 12, "年": 12}


def _scaled(value: Any, units: dict[str, int], scale: int) -> int:
    """A quantity in the canonical unit times ``scale``, as an exact integer."""
    if isinstance(value, str):
        match = _QUANTITY.fullmatch(value)
        if match is None or match.group(2) not in units:
            raise ValueError(f"not a quantity: {value!r}")
        number = Decimal(match.group(1)) * units[match.group(2)]
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        raise ValueError(f"not a number: {value!r}")
    scaled = number * scale
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value!r} has more decimals than the request can carry exactly")
    return int(scaled)


def _months(value: Any) -> int:
    if value == "半年":
        return 6
    if isinstance(value, str):
        match = _QUANTITY.fullmatch(value)
        if match is None or match.group(2) not in _MONTH_UNITS:
            raise ValueError(f"not a duration in months or years: {value!r}")
        months = Decimal(match.group(1)) * _MONTH_UNITS[match.group(2)]
    elif isinstance(value, int) and not isinstance(value, bool):
        months = Decimal(value)
    else:
        raise ValueError(f"not a duration: {value!r}")
    if months != months.to_integral_value():
        raise ValueError(f"not a whole number of months: {value!r}")
    return int(months)


def as_of_fields(as_of: date) -> Record:
    """The assessment date as the request carries it."""
    last = _cal.monthrange(as_of.year, as_of.month)[1]
    return {"asof_y": as_of.year, "asof_m": as_of.month, "asof_d": as_of.day,
            "asof_last": as_of.day == last}


def flatten(d: Record, as_of: Record) -> Record:
    """The engine-neutral request for one plain-dict record: absent facts are left out."""
    r: Record = dict(as_of)
    op = d.get("operator")
    if op is not None:
        if (v := op.get("registered_province")) is not None:
            r["province"] = v
        if (v := op.get("legal_form")) is not None:
            r["legal_form"] = _NAMES[v]
        if (judged := op.get("assessments")) is not None:
            for key, given in judged.items():
                r[key] = given
    if (v := d.get("premises")) is not None:
        r["premises"] = _NAMES[v]
    if (v := d.get("lease_term")) is not None:
        r["lease_months"] = _months(v)
    if (v := d.get("area")) is not None:
        r["area_c"] = _scaled(v, _AREA_UNITS, 100)
    if (v := d.get("public_area")) is not None:
        r["public_c"] = _scaled(v, _AREA_UNITS, 100)
    if (v := d.get("established_on")) is not None:
        opened = date.fromisoformat(v)
        if opened.year < 9999:  # the half year would end past 9999: unknown
            r["est_y"], r["est_m"], r["est_d"] = opened.year, opened.month, opened.day
    if (v := d.get("seed_fund")) is not None:
        r["seed_fen"] = _scaled(v, _MONEY_UNITS, 100)
    if (v := d.get("free_residency")) is not None:
        r["free_months"] = _months(v)
    for key in ("teams", "mentors", "staff", "investor_partners", "successful_investments",
                "ready_to_move_in"):
        if (v := d.get(key)) is not None:
            r[key] = v
    for key in ("facilities", "services", "systems"):
        if (v := d.get(key)) is not None:
            r[key] = [_NAMES[x] for x in v]
    return r


# ---------------------------------------------------------------- the criteria, once


def has(f: str) -> Expr:
    return ("has", f)


def var(f: str) -> Expr:
    return ("var", f)


def num(n: int) -> Expr:
    return ("num", n)


def cmp(op: str, a: Expr, b: Expr) -> Expr:
    return ("cmp", op, a, b)


def and_(*xs: Expr) -> Expr:
    return ("and", *xs)


def or_(*xs: Expr) -> Expr:
    return ("or", *xs)


def not_(x: Expr) -> Expr:
    return ("not", x)


def at_least(f: str, n: int) -> tuple[Expr, Expr]:
    """``f >= n``: met, not met (neither when f is absent)."""
    return (and_(has(f), cmp(">=", var(f), num(n))), and_(has(f), cmp("<", var(f), num(n))))


def flag(f: str) -> tuple[Expr, Expr]:
    """A yes/no fact or a reviewer's judgement: met when true, not met when false."""
    return (and_(has(f), cmp("==", var(f), ("bool", True))),
            and_(has(f), cmp("==", var(f), ("bool", False))))


def equals(f: str, value: str) -> tuple[Expr, Expr]:
    return (and_(has(f), cmp("==", var(f), ("str", value))),
            and_(has(f), cmp("!=", var(f), ("str", value))))


def any_of(*parts: tuple[Expr, Expr]) -> tuple[Expr, Expr]:
    return (or_(*(m for m, _ in parts)), and_(*(n for _, n in parts)))


def all_of(*parts: tuple[Expr, Expr]) -> tuple[Expr, Expr]:
    return (and_(*(m for m, _ in parts)), or_(*(n for _, n in parts)))


def implies(a: tuple[Expr, Expr], b: tuple[Expr, Expr]) -> tuple[Expr, Expr]:
    return (or_(a[1], b[0]), and_(a[0], b[1]))


def listed_or_judged(f: str, items: frozenset[Any], judged: str) -> tuple[Expr, Expr]:
    names = sorted(i.value for i in items)
    listed = (and_(has(f), ("all_in", f, names)), and_(has(f), not_(("all_in", f, names))))
    return any_of(listed, flag(judged))


_HALF_YEAR = or_(
    cmp(">", ("add", ("mul", var("asof_y"), 12), var("asof_m")),
        ("add", ("mul", var("est_y"), 12), var("est_m"), num(6))),
    and_(cmp("==", ("add", ("mul", var("asof_y"), 12), var("asof_m")),
             ("add", ("mul", var("est_y"), 12), var("est_m"), num(6))),
         or_(cmp(">=", var("asof_d"), var("est_d")),
             cmp("==", var("asof_last"), ("bool", True)))),
)

CRITERIA: dict[str, tuple[Expr, Expr]] = {
    "registered_in_hunan": (and_(has("province"), ("in", "province", sorted(HUNAN))),
                            and_(has("province"), not_(("in", "province", sorted(HUNAN))))),
    "legal_person": equals("legal_form", "legal_person"),
    "lease": implies(equals("premises", "leased"), at_least("lease_months", 36)),
    "area": at_least("area_c", 500 * 100),
    "teams": at_least("teams", 10),
    "operating_half_year": (and_(has("est_y"), _HALF_YEAR), and_(has("est_y"), not_(_HALF_YEAR))),
    "public_area": (and_(has("public_c"), has("area_c"),
                         cmp(">=", ("mul", var("public_c"), 10), ("mul", var("area_c"), 3))),
                    and_(has("public_c"), has("area_c"),
                         cmp("<", ("mul", var("public_c"), 10), ("mul", var("area_c"), 3)))),
    "facilities": listed_or_judged("facilities", FACILITIES, "facilities_judged"),
    "ready_to_move_in": flag("ready_to_move_in"),
    "services": listed_or_judged("services", SERVICES, "services_judged"),
    "systems": listed_or_judged("systems", SYSTEMS, "systems_judged"),
    "business_model": flag("business_model"),
    "mentors": at_least("mentors", 3),
    "staff": at_least("staff", 5),
    "staff_competence": flag("staff_competence"),
    "mentor_mechanism": flag("mentor_mechanism"),
    "funding": any_of(at_least("seed_fen", 1_000_000 * 100),
                      all_of(at_least("investor_partners", 1),
                             at_least("successful_investments", 2))),
    "free_residency": at_least("free_months", 6),
}
"""Each criterion of 第五条 as (met, not met), in the policy's order."""

ELIGIBLE = and_(*(met for met, _ in CRITERIA.values()))
INELIGIBLE = or_(*(not_met for _, not_met in CRITERIA.values()))


# ---------------------------------------------------------------- five syntaxes


def _text_renderer(*, var_: Callable[[str], str], has_: Callable[[str], str], and_op: str,
                   or_op: str, not_op: str, true: str, false: str, quote: Callable[[str], str],
                   in_: Callable[[str, str], str], all_in: Callable[[str, list[str]], str],
                   eq: str = "==") -> Callable[[Expr], str]:
    def render(e: Expr) -> str:
        kind = e[0]
        if kind == "has":
            return has_(e[1])
        if kind == "var":
            return var_(e[1])
        if kind == "num":
            return str(e[1])
        if kind == "str":
            return quote(e[1])
        if kind == "bool":
            return true if e[1] else false
        if kind == "mul":
            return f"{render(e[1])} * {e[2]}"
        if kind == "add":
            return " + ".join(render(x) for x in e[1:])
        if kind == "cmp":
            op = eq if e[1] == "==" else e[1]
            return f"{render(e[2])} {op} {render(e[3])}"
        if kind == "in":
            return in_(var_(e[1]), "[" + ", ".join(quote(s) for s in e[2]) + "]")
        if kind == "all_in":
            return all_in(e[1], e[2])
        if kind == "not":
            return f"{not_op}({render(e[1])})"
        joiner = f" {and_op} " if kind == "and" else f" {or_op} "
        return "(" + joiner.join(render(x) for x in e[1:]) + ")"

    return render


def _dq(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _sq(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


cel_text = _text_renderer(
    var_=lambda f: f"r.{f}", has_=lambda f: f"has(r.{f})", and_op="&&", or_op="||",
    not_op="!", true="true", false="false", quote=_dq,
    in_=lambda x, xs: f"{x} in {xs}",
    all_in=lambda f, xs: "[" + ", ".join(map(_dq, xs)) + f"].all(x, x in r.{f})")

cedar_text = _text_renderer(
    var_=lambda f: f"context.{f}", has_=lambda f: f"context has {f}", and_op="&&",
    or_op="||", not_op="!", true="true", false="false", quote=_dq,
    in_=lambda x, xs: f"{xs}.contains({x})",
    all_in=lambda f, xs: f"context.{f}.containsAll([" + ", ".join(map(_dq, xs)) + "])")

zen_text = _text_renderer(
    var_=lambda f: f, has_=lambda f: f"{f} != null", and_op="and", or_op="or",
    not_op="not ", true="true", false="false", quote=_sq,
    in_=lambda x, xs: f"{x} in {xs}",
    all_in=lambda f, xs: "all([" + ", ".join(map(_sq, xs)) + f"], # in {f})")

rule_engine_text = _text_renderer(
    var_=lambda f: f, has_=lambda f: f"{f} != null", and_op="and", or_op="or",
    not_op="not ", true="true", false="false", quote=_sq,
    in_=lambda x, xs: f"{x} in {xs}",
    all_in=lambda f, xs: "(" + " and ".join(f"{_sq(x)} in {f}" for x in xs) + ")")


def jsonlogic(e: Expr) -> Any:
    """The expression as a JsonLogic tree."""
    kind = e[0]
    if kind == "has":
        return {"!==": [{"var": e[1]}, None]}
    if kind == "var":
        return {"var": e[1]}
    if kind in ("num", "str", "bool"):
        return e[1]
    if kind == "mul":
        return {"*": [jsonlogic(e[1]), e[2]]}
    if kind == "add":
        return {"+": [jsonlogic(x) for x in e[1:]]}
    if kind == "cmp":
        op = {"==": "===", "!=": "!=="}.get(e[1], e[1])
        return {op: [jsonlogic(e[2]), jsonlogic(e[3])]}
    if kind == "in":
        return {"in": [{"var": e[1]}, list(e[2])]}
    if kind == "all_in":
        return {"and": [{"in": [x, {"var": e[1]}]} for x in e[2]]}
    if kind == "not":
        return {"!": [jsonlogic(e[1])]}
    return {kind: [jsonlogic(x) for x in e[1:]]}


def _decision_text(render: Callable[[Expr], str], ternary: Callable[[str, str, str], str],
                   quote: Callable[[str], str]) -> str:
    return ternary(render(ELIGIBLE), quote("eligible"),
                   ternary(render(INELIGIBLE), quote("ineligible"), quote("undetermined")))


def _c_ternary(c: str, a: str, b: str) -> str:
    return f"{c} ? {a} : ({b})"


def cedar_policies() -> tuple[str, list[str]]:
    """A permit for "every criterion met" and one forbid per criterion "not met"."""
    head = '(principal, action == Action::"recognise", resource)'
    parts = [f'@id("eligible")\npermit {head}\nwhen {{ {cedar_text(ELIGIBLE)} }};']
    names: list[str] = []
    for name, (_met, not_met) in CRITERIA.items():
        parts.append(f'@id("{name}")\nforbid {head}\nwhen {{ {cedar_text(not_met)} }};')
        names.append(name)
    return "\n\n".join(parts) + "\n", names


def rule_texts() -> dict[str, str]:
    """What each engine is given, as text (JsonLogic as JSON)."""
    cel_failures = "{" + ", ".join(f"{_dq(n)}: {cel_text(nm)}"
                                   for n, (_m, nm) in CRITERIA.items()) + \
        f', "eligible": {cel_text(ELIGIBLE)}}}'
    return {
        "cedar": cedar_policies()[0],
        "cel (decision)": _decision_text(cel_text, _c_ternary, _dq),
        "cel (failures)": cel_failures,
        "zen (decision)": _decision_text(zen_text, _c_ternary, _sq),
        "rule-engine (decision)": _decision_text(rule_engine_text, _c_ternary, _sq),
        "jsonlogic (decision)": json.dumps(_jsonlogic_decision(), ensure_ascii=False, indent=1),
    }


def _jsonlogic_decision() -> Any:
    return {"if": [jsonlogic(ELIGIBLE), "eligible",
                   jsonlogic(INELIGIBLE), "ineligible", "undetermined"]}


# ---------------------------------------------------------------- failures, in Python


def details(r: Record, failed: list[str], as_of: date) -> list[Failure]:
    """Actual, required and gap for each failed criterion, from the request.

    An engine that says *which* criteria failed leaves the numbers to its caller; this
    is what the caller writes (and pays for) to show them.
    """
    out: list[Failure] = []
    for name in failed:
        if name == "registered_in_hunan":
            out.append(Failure(name, "registered_province", r["province"], HUNAN, None))
        elif name == "legal_person":
            out.append(Failure(name, "legal_form", r["legal_form"], "legal_person", None))
        elif name in ("lease", "free_residency"):
            key, least = ("lease_months", 36) if name == "lease" else ("free_months", 6)
            got = r[key]
            out.append(Failure(name, "lease_term" if name == "lease" else name,
                               Duration(months=got), Duration(months=least),
                               Duration(months=least - got)))
        elif name in ("area", "public_area"):
            actual = Fraction(r[f"{name.split('_')[0]}_c"], 100)
            required = Fraction(500) if name == "area" else Fraction(r["area_c"] * 3, 1000)
            out.append(Failure(name, name, actual, required, required - actual))
        elif name in ("teams", "mentors", "staff"):
            least = {"teams": 10, "mentors": 3, "staff": 5}[name]
            out.append(Failure(name, name, r[name], least, least - r[name]))
        elif name == "operating_half_year":
            opened = date(r["est_y"], r["est_m"], r["est_d"])
            end = add_period(opened, Duration(months=6)).last_day
            out.append(Failure(name, "established_on", opened, end, (end - as_of).days))
        elif name in ("facilities", "services", "systems"):
            listed = {"facilities": FACILITIES, "services": SERVICES, "systems": SYSTEMS}[name]
            wanted = frozenset(m.value for m in listed)
            have = frozenset(r[name])
            out.append(Failure(f"{name}_listed", name, have, wanted, wanted - have))
            out.append(Failure(f"{name}_judged", f"{name}_judged", False, True, None))
        elif name == "funding":
            for key, least in (("seed_fen", 100_000_000), ("investor_partners", 1),
                               ("successful_investments", 2)):
                got = r.get(key)
                if got is not None and got < least:
                    if key == "seed_fen":
                        out.append(Failure(name, "seed_fund", Fraction(got, 100),
                                           Fraction(least, 100), Fraction(least - got, 100)))
                    else:
                        out.append(Failure(name, key, got, least, least - got))
        else:  # ready_to_move_in and the judgements
            out.append(Failure(name, name, False, True, None))
    return out


def _outcome(failed: list[str], eligible: bool) -> str:
    if failed:
        return "ineligible"
    return "eligible" if eligible else "undetermined"


# ---------------------------------------------------------------- the peers


@dataclass
class Peer:
    """One engine, ready: ``decide(record)`` and ``with_failures(record)`` on plain dicts."""

    name: str
    package: str
    decide: Callable[[Record], str]
    with_failures: Callable[[Record], tuple[str, list[Failure]]]
    notes: list[str] = field(default_factory=list)

    @property
    def version(self) -> str:
        return metadata.version(self.package)


def _cedar(as_of: date) -> Peer:
    import cedarpy  # noqa: PLC0415 - optional: the bench extra

    text, names = cedar_policies()
    policies = cedarpy.PolicySet.from_str(text)
    entities = cedarpy.Entities.from_json_str("[]")
    ids = {f"policy{i + 1}": n for i, n in enumerate(names)}  # policy0 is the permit
    fixed = as_of_fields(as_of)
    authorize, allow = cedarpy.is_authorized, cedarpy.Decision.Allow
    order = list(CRITERIA)

    def request(d: Record) -> dict[str, Any]:
        return {"principal": 'Applicant::"a"', "action": 'Action::"recognise"',
                "resource": 'Policy::"hunan.recognition"', "context": flatten(d, fixed)}

    def decide(d: Record) -> str:
        result = authorize(request(d), policies, entities)
        if result.decision == allow:
            return "eligible"
        return "ineligible" if result.diagnostics.reasons else "undetermined"

    def with_failures(d: Record) -> tuple[str, list[Failure]]:
        req = request(d)
        result = authorize(req, policies, entities)
        if result.decision == allow:
            return "eligible", []
        failed = sorted((ids[p] for p in result.diagnostics.reasons), key=order.index)
        return _outcome(failed, False), details(req["context"], failed, as_of)

    return Peer("cedarpy (Cedar)", "cedarpy", decide, with_failures, [
        "one permit (every criterion met) and one forbid per criterion (not met): Allow is "
        "eligible, Deny with forbids is ineligible (the forbids are the failures), Deny "
        "without is undetermined; one request per record",
        "cedarpy serialises the context dict to JSON on every call (part of the caller's "
        "cost)"])


def _cel(as_of: date) -> Peer:
    import cel  # noqa: PLC0415 - optional: the bench extra

    decision = cel.compile(_decision_text(cel_text, _c_ternary, _dq))
    failures = cel.compile(rule_texts()["cel (failures)"])
    names = list(CRITERIA)
    fixed = as_of_fields(as_of)

    def decide(d: Record) -> str:
        result: str = decision.execute({"r": flatten(d, fixed)})
        return result

    def with_failures(d: Record) -> tuple[str, list[Failure]]:
        r = flatten(d, fixed)
        found = failures.execute({"r": r})
        failed = [n for n in names if found[n]]
        return _outcome(failed, found["eligible"]), details(r, failed, as_of)

    return Peer("common-expression-language (CEL)", "common-expression-language", decide,
                with_failures, ["one compiled expression for the decision (met ? ... : "
                                "not met ? ... : ...), one returning a map of criterion to "
                                "'not met' for the failures"])


def _zen_graph(expressions: list[tuple[str, str]]) -> str:
    return json.dumps({
        "nodes": [
            {"id": "request", "type": "inputNode", "name": "request",
             "position": {"x": 0, "y": 0}},
            {"id": "criteria", "type": "expressionNode", "name": "第五条",
             "position": {"x": 300, "y": 0},
             "content": {"expressions": [{"id": f"e{i}", "key": k, "value": v}
                                         for i, (k, v) in enumerate(expressions)]}},
            {"id": "response", "type": "outputNode", "name": "response",
             "position": {"x": 600, "y": 0}},
        ],
        "edges": [{"id": "in", "sourceId": "request", "targetId": "criteria", "type": "edge"},
                  {"id": "out", "sourceId": "criteria", "targetId": "response",
                   "type": "edge"}],
    }, ensure_ascii=False)


def _zen_failure_expressions() -> list[tuple[str, str]]:
    return [(n, zen_text(nm)) for n, (_m, nm) in CRITERIA.items()] + \
        [("eligible", zen_text(ELIGIBLE))]


def _zen_graph_peer(as_of: date) -> Peer:
    import zen  # noqa: PLC0415 - optional: the bench extra

    engine = zen.ZenEngine()
    decision = engine.create_decision(
        _zen_graph([("outcome", _decision_text(zen_text, _c_ternary, _sq))]))
    failures = engine.create_decision(_zen_graph(_zen_failure_expressions()))
    names = list(CRITERIA)
    fixed = as_of_fields(as_of)

    def decide(d: Record) -> str:
        result: str = decision.evaluate(flatten(d, fixed))["result"]["outcome"]
        return result

    def with_failures(d: Record) -> tuple[str, list[Failure]]:
        r = flatten(d, fixed)
        found = failures.evaluate(r)["result"]
        failed = [n for n in names if found[n]]
        return _outcome(failed, found["eligible"]), details(r, failed, as_of)

    return Peer("zen-engine (GoRules, JDM graph)", "zen-engine", decide, with_failures,
                ["a decision graph: input -> expression node -> output, created once with "
                 "ZenEngine.create_decision; ZenDecision.evaluate per record"])


def _zen_expression_peer(as_of: date) -> Peer:
    import zen  # noqa: PLC0415 - optional: the bench extra

    decision = zen.compile_expression(_decision_text(zen_text, _c_ternary, _sq))
    failures = zen.compile_expression(
        "{" + ", ".join(f"{n}: {t}" for n, t in _zen_failure_expressions()) + "}")
    names = list(CRITERIA)
    fixed = as_of_fields(as_of)

    def decide(d: Record) -> str:
        result: str = decision.evaluate(flatten(d, fixed))
        return result

    def with_failures(d: Record) -> tuple[str, list[Failure]]:
        r = flatten(d, fixed)
        found = failures.evaluate(r)
        failed = [n for n in names if found[n]]
        return _outcome(failed, found["eligible"]), details(r, failed, as_of)

    return Peer("zen-engine (GoRules, compiled expressions)", "zen-engine", decide,
                with_failures, ["zen.compile_expression once: the decision as one "
                                "expression, the failures as one object literal "
                                "{criterion: not met, ...}"])


def _rule_engine(as_of: date) -> Peer:
    import rule_engine  # noqa: PLC0415 - optional: the bench extra

    context = rule_engine.Context(default_value=None)
    decision = rule_engine.Rule(_decision_text(rule_engine_text, _c_ternary, _sq),
                                context=context)
    failures = rule_engine.Rule(
        "{" + ", ".join(f"{_sq(n)}: {rule_engine_text(nm)}"
                        for n, (_m, nm) in CRITERIA.items())
        + f", 'eligible': {rule_engine_text(ELIGIBLE)}}}", context=context)
    names = list(CRITERIA)
    fixed = as_of_fields(as_of)

    def decide(d: Record) -> str:
        result: str = decision.evaluate(flatten(d, fixed))
        return result

    def with_failures(d: Record) -> tuple[str, list[Failure]]:
        r = flatten(d, fixed)
        found = failures.evaluate(r)
        failed = [n for n in names if found[n]]
        return _outcome(failed, found["eligible"]), details(r, failed, as_of)

    return Peer("rule-engine", "rule-engine", decide, with_failures,
                ["Rule parsed once; absent facts resolve to null "
                 "(Context(default_value=None)); numbers are Decimal inside rule-engine"])


def _jsonlogic(as_of: date) -> Peer:
    from json_logic import jsonLogic  # noqa: PLC0415 - optional: the bench extra

    decision = _jsonlogic_decision()
    names = list(CRITERIA)
    failures = [jsonlogic(nm) for _m, nm in CRITERIA.values()] + [jsonlogic(ELIGIBLE)]
    fixed = as_of_fields(as_of)

    def decide(d: Record) -> str:
        result: str = jsonLogic(decision, flatten(d, fixed))
        return result

    def with_failures(d: Record) -> tuple[str, list[Failure]]:
        r = flatten(d, fixed)
        found = jsonLogic(failures, r)  # an array of rules gives an array of results
        failed = [n for n, hit in zip(names, found, strict=False) if hit]
        return _outcome(failed, bool(found[-1])), details(r, failed, as_of)

    return Peer("panzi-json-logic (JsonLogic)", "panzi-json-logic", decide, with_failures,
                ["an interpreter of the JSON tree (nothing to compile); presence tests use "
                 "=== / !== because its == treats null as 0"])


_FACTORIES: list[tuple[str, Callable[[date], Peer]]] = [
    ("cedarpy", _cedar),
    ("zen-engine (graph)", _zen_graph_peer),
    ("zen-engine (expressions)", _zen_expression_peer),
    ("common-expression-language", _cel),
    ("rule-engine", _rule_engine),
    ("panzi-json-logic", _jsonlogic),
]


def load_peers(as_of: date) -> tuple[list[Peer], dict[str, str]]:
    """The peers that import and compile here, and why each of the others did not."""
    peers: list[Peer] = []
    missing: dict[str, str] = {}
    for name, factory in _FACTORIES:
        try:
            peers.append(factory(as_of))
        except Exception as err:  # an absent or broken optional package: record, go on
            missing[name] = f"{type(err).__name__}: {err}"
    return peers, missing


if __name__ == "__main__":  # python -m benchmarks.peers: print what each engine is given
    for title, text in rule_texts().items():
        print(f"==== {title}\n{text}\n")
