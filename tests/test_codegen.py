"""The generated decision functions (policykit.codegen) against the explanation closures.

A rule's outcome is computed twice by independent code: the decision path (one Python
function per rule, built as an ``ast`` tree) and the explanation tree (closures that
record every node). A property over records generated from the schema, for every
bundled policy and every rule, holds them together; hand-derived cases pin the corners
of the lowering (three-valued ``implies``, ``steps``, month-end periods, months against
days, shares, very deep nesting).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policykit
from checks import strategies
from policykit.calendar import Duration
from policykit.records import MakerSpace, Service

AS_OF = date(2016, 9, 1)

# ------------------------------------------------ records generated from the schema
# The strategies are the continuous checks' (checks/strategies.py): one copy for both.

_texts_of, _records, _DATES = strategies.texts_of, strategies.records, strategies.DATES
_failures_from_trace = strategies.failures_from_trace


CASES = [(pid, rule) for pid in policykit.bundled_ids()
         for rule in policykit.bundled(pid).rule_names()]


@pytest.mark.parametrize(("policy_id", "rule"), CASES, ids=[f"{a}:{b}" for a, b in CASES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), as_of=_DATES)
def test_decision_and_failures_agree_with_the_explanation(
        policy_id: str, rule: str, data: st.DataObject, as_of: date) -> None:
    policy = policykit.bundled(policy_id)
    _, cls = policy.rule_subject(rule)
    record = data.draw(_records(cls, _texts_of(policy)))
    result = policy.evaluate(record, as_of=as_of, rule=rule)
    assert result.truth is result.trace.outcome
    got = [attrs.astuple(attrs.evolve(f, path=None), recurse=False) for f in result.failures]
    assert sorted(got, key=repr) == sorted(_failures_from_trace(result), key=repr)


# ------------------------------------------------ corners, by hand

HEADER = """policy t.x title "测试" en "Test" source "测试办法" issued 2016-06-01 by "某厅"
subject space: MakerSpace judgements from space.operator.assessments
"""


def _policy(body: str) -> policykit.Policy:
    return policykit.loads(HEADER + body)


IMPLIES = _policy("""
criterion owned cites "一" = space.premises == leased implies judged "可以吗"
""")

# Kleene implication, (not a) or b, with a judgement owed counted as open like unknown
# but weaker: a condition not met makes it met; a consequence met makes it met;
# a condition met gives the consequence; otherwise unknown beats awaiting.
_KLEENE = [
    ({"premises": "owned"}, "met"),  # condition not met
    ({"premises": "owned", "operator": {"assessments": {"owned": False}}}, "met"),
    ({"premises": "leased"}, "awaiting_judgement"),  # condition met, consequence owed
    ({"premises": "leased", "operator": {"assessments": {"owned": True}}}, "met"),
    ({"premises": "leased", "operator": {"assessments": {"owned": False}}}, "not_met"),
    ({}, "unknown"),  # condition unknown, consequence owed: unknown beats awaiting
    ({"operator": {"assessments": {"owned": True}}}, "met"),  # consequence met
    ({"operator": {"assessments": {"owned": False}}}, "unknown"),
]


@pytest.mark.parametrize(("record", "outcome"), _KLEENE)
def test_implies_is_three_valued(record: dict[str, Any], outcome: str) -> None:
    result = IMPLIES.evaluate(record, as_of=AS_OF)
    assert result.outcome == outcome
    assert result.truth is result.trace.outcome


HALF_YEAR = _policy("criterion half cites \"一\" = time since space.established_on >= 6 months\n")


@pytest.mark.parametrize(
    ("opened", "as_of", "outcome"),
    [
        # 民法典 第二百零二条: six months from 2016-02-29 end on 2016-08-29.
        (date(2016, 2, 29), date(2016, 8, 28), "not_met"),
        (date(2016, 2, 29), date(2016, 8, 29), "met"),
        # From 2015-08-31: February 2016 has no 31st, so the period ends on its last
        # day, 2016-02-29 (a leap year).
        (date(2015, 8, 31), date(2016, 2, 28), "not_met"),
        (date(2015, 8, 31), date(2016, 2, 29), "met"),
        # From 2014-08-31: February 2015 ends on the 28th.
        (date(2014, 8, 31), date(2015, 2, 28), "met"),
        (date(2014, 8, 31), date(2015, 2, 27), "not_met"),
        # Six months from 9999-07-01 end on 10000-01-01, after the last day a date can
        # hold, so after any evaluation date: the half year has not run (issue 12).
        (date(9999, 7, 1), date(9999, 12, 31), "not_met"),
    ],
)
def test_time_since_counts_months_by_the_civil_code(opened: date, as_of: date,
                                                    outcome: str) -> None:
    result = HALF_YEAR.evaluate({"established_on": opened}, as_of=as_of)
    assert result.outcome == outcome
    assert result.truth is result.trace.outcome


LEASE = _policy("criterion lease cites \"一\" = space.lease_term >= 3 years\n")


@pytest.mark.parametrize(
    ("term", "outcome"),
    [
        ("36 months", "met"), ("35 months", "not_met"), ("3 years", "met"),
        # 36 months are 1095 days (2016-03-01 to 2019-03-01, no 29 February) or 1096
        # (2015-03-01 to 2018-03-01, across 2016-02-29), by the start date: 1096 days
        # always cover them, 1094 never; 1095 depends on the start date, which a lease
        # term does not give.
        ("1096 days", "met"), ("1094 days", "not_met"), ("1095 days", "unknown"),
    ],
)
def test_a_duration_against_a_fixed_one(term: str, outcome: str) -> None:
    result = LEASE.evaluate({"lease_term": term}, as_of=AS_OF)
    assert result.outcome == outcome
    assert result.truth is result.trace.outcome


SHARE = _policy("criterion public cites \"一\" = space.public_area >= 30% of space.area\n")


@pytest.mark.parametrize(
    ("public", "area", "outcome"),
    [
        # 30% of 1000.01 m2 is 300.003 m2: 300.00 falls short, 300.01 meets it.
        ("300.00 m2", "1000.01 m2", "not_met"),
        ("300.01 m2", "1000.01 m2", "met"),
        ("150 m2", "500 m2", "met"),  # exactly 30%
        ("0 m2", "0 m2", "met"),
    ],
)
def test_a_share_is_compared_exactly(public: str, area: str, outcome: str) -> None:
    result = SHARE.evaluate({"public_area": public, "area": area}, as_of=AS_OF)
    assert result.outcome == outcome
    assert result.truth is result.trace.outcome


def test_a_rule_used_in_several_places() -> None:
    twice = _policy("""
criterion big cites "一" = space.area >= 500 m2
criterion both cites "二" = all of (big, big)
decision overall = any of (both, big)
""")
    assert twice.evaluate({"area": 500}, as_of=AS_OF).outcome == "eligible"
    assert twice.evaluate({"area": 499}, as_of=AS_OF).outcome == "ineligible"
    assert twice.evaluate({}, as_of=AS_OF).outcome == "undetermined"


def test_nesting_deeper_than_the_lowering_goes_is_still_decided() -> None:
    # 120 rules, each "the previous one and teams >= 10": all met only when teams >= 10
    # and the area condition at the bottom holds.
    lines = ['criterion r0 cites "一" = space.area >= 500 m2']
    lines += [f'criterion r{i} cites "一" = all of (r{i - 1}, space.teams >= 10)'
              for i in range(1, 120)]
    deep = _policy("\n".join(lines) + "\ndecision overall = r119\n")
    assert deep.evaluate({"area": 500, "teams": 10}, as_of=AS_OF).outcome == "eligible"
    assert deep.evaluate({"area": 499, "teams": 10}, as_of=AS_OF).outcome == "ineligible"
    assert deep.evaluate({"area": 500}, as_of=AS_OF).outcome == "undetermined"


def test_text_in_a_policy_stays_data() -> None:
    # A text constant that looks like Python is compared as text, never run.
    sneaky = '" + __import__("os").system("echo owned") + "'
    policy = _policy('criterion where cites "一" = space.operator.registered_province in {'
                     + '"' + sneaky.replace('"', '\\"') + '"}\n')
    assert policy.evaluate({"operator": {"registered_province": sneaky}},
                           as_of=AS_OF).outcome == "met"
    assert policy.evaluate({"operator": {"registered_province": "湖南"}},
                           as_of=AS_OF).outcome == "not_met"


def test_money_and_counts_compare_as_exact_values() -> None:
    fund = _policy("criterion fund cites \"一\" = space.seed_fund >= 100万元\n")
    # 100万元 = 1,000,000 yuan; one fen short fails.
    assert fund.evaluate({"seed_fund": "999999.99 元"}, as_of=AS_OF).outcome == "not_met"
    assert fund.evaluate({"seed_fund": Decimal("1000000")}, as_of=AS_OF).outcome == "met"


# ------------------------------------------------ failures by hand


def _hunan_base() -> dict[str, Any]:
    # The base record of policies/hunan/recognition.tests.yaml: every condition met.
    return {
        "operator": {"registered_province": "湖南", "legal_form": "legal_person",
                     "assessments": {"business_model": True, "staff_competence": True,
                                     "mentor_mechanism": True}},
        "established_on": "2016-01-15", "area": "800 m2", "public_area": "300 m2",
        "premises": "leased", "lease_term": "5 years", "ready_to_move_in": True,
        "teams": 15, "mentors": 5, "staff": 8, "seed_fund": "200万元",
        "investor_partners": 0, "successful_investments": 0, "free_residency": "12 months",
        "services": ["rd_design", "tech_transfer", "certification_testing", "incubation",
                     "ip", "consulting", "finance", "info_platform"],
        "facilities": ["power", "water", "fire_safety", "telecom", "network"],
        "systems": ["entry_evaluation", "exit", "financial", "archive", "info_sharing",
                    "secretary_contact"],
    }


def test_failures_of_a_hunan_application_by_hand() -> None:
    record = _hunan_base() | {"area": "400 m2", "teams": 8, "established_on": "2016-05-01"}
    record["operator"]["assessments"]["business_model"] = False
    result = policykit.bundled("hunan.recognition").evaluate(record, as_of=AS_OF)
    assert result.outcome == "ineligible"
    got = {f.rule: f for f in result.failures}
    # 第五条(一) 500平方米(含)以上: 400 m2, short by 500 - 400 = 100 m2.
    assert (got["area"].path, got["area"].op, got["area"].actual, got["area"].required,
            got["area"].gap) == ("space.area", ">=", Decimal(400), Decimal(500), 100)
    # 入驻10个(含)以上: 8 teams, short by 2.
    assert (got["teams"].actual, got["teams"].required, got["teams"].gap) == (8, 10, 2)
    # 运营半年以上: opened 2016-05-01, the half year is complete on 2016-11-01
    # (第二百零二条), 30 + 31 = 61 days after 2016-09-01.
    half = got["operating_half_year"]
    assert (half.op, half.actual, half.required, half.gap) == (
        "since >=", date(2016, 5, 1), date(2016, 11, 1), Duration(days=61))
    # 公共场地不低于30%: 300 m2 of 400 m2 is 75%, met: not a failure.
    assert "public_area" not in got
    # The reviewer said no to the business model: a judgement, not a fact.
    model = got["business_model"]
    assert (model.path, model.op, model.actual) == (
        "space.operator.assessments[business_model]", "judged", False)
    assert set(got) == {"area", "teams", "operating_half_year", "business_model"}
    # Nothing fails when the outcome is not negative.
    assert policykit.bundled("hunan.recognition").evaluate(
        _hunan_base(), as_of=AS_OF).failures == ()


def test_a_rules_function_is_generated_when_it_is_first_asked() -> None:
    # Loading generates nothing (a policy pays only for the rules it is asked about);
    # the first decision replaces the rule's stub with its generated function.
    policy = _policy("criterion big cites \"一\" = space.area >= 500 m2\n"
                     "criterion many cites \"二\" = space.teams >= 10\n")
    rules = policy._compiled.rules
    assert not rules["big"].decide.__code__.co_filename.startswith("<policykit")
    assert policy.evaluate({"area": 500}, as_of=AS_OF, rule="big").outcome == "met"
    assert rules["big"].decide.__code__.co_filename == "<policykit t.x:big>"
    assert not rules["many"].decide.__code__.co_filename.startswith("<policykit")
    assert policy.evaluate({"area": 499}, as_of=AS_OF, rule="big").outcome == "not_met"


def test_a_condition_under_not_that_held_is_the_failure() -> None:
    # `not space.in_national_hitech_zone` for a space in the zone: not met, because the
    # condition under `not` held.
    policy = _policy('criterion outside cites "一" = not space.in_national_hitech_zone\n'
                     'criterion smaller cites "二" = not (space.area >= 500 m2)\n')
    inside = policy.evaluate({"in_national_hitech_zone": True}, as_of=AS_OF, rule="outside")
    assert inside.outcome == "not_met"
    assert [(f.rule, f.path, f.op, f.actual, f.required) for f in inside.failures] == [
        ("outside", "space.in_national_hitech_zone", "not", True, False)]
    big = policy.evaluate({"area": 600}, as_of=AS_OF, rule="smaller")
    assert [(f.path, f.op) for f in big.failures] == [("space.area", "not")]
    assert policy.evaluate({"area": 400}, as_of=AS_OF, rule="smaller").failures == ()


def test_includes_any_reads_any_collection_the_same_way_on_both_paths() -> None:
    # A record built by hand with a list where the schema has a set: `includes any of`
    # holds when one listed item is there, in the decision and in the explanation alike.
    policy = _policy('criterion some cites "一" = space.services includes any of {finance, ip}\n')
    result = policy.evaluate(MakerSpace(services=[Service.ip]),  # type: ignore[arg-type]
                             as_of=AS_OF)
    assert result.outcome == "met"
    assert result.trace.outcome is result.truth
