"""Evaluation semantics through the public API: outcomes, missing facts, judgements,
exact arithmetic, records as attrs instances or plain data, and the explanation data."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policykit
from policykit.calendar import Duration
from policykit.records import LegalForm, MakerSpace, Organization, Premises

HEADER = """policy t.x title "测试" en "Test" source "测试办法" issued 2016-06-01 by "某厅"
subject space: MakerSpace judgements from space.operator.assessments
"""

AS_OF = date(2016, 9, 1)


def policy(body: str) -> policykit.Policy:
    return policykit.loads(HEADER + body)


# ---------------------------------------------------------------- three-valued logic

LOGIC = policy("""
criterion big cites "一" = space.area >= 500 m2
criterion many cites "二" = space.teams >= 10
criterion ok cites "三" = judged "好吗"
decision all_three = all of (big, many, ok)
decision any_three = any of (big, many, ok)
""")


@pytest.mark.parametrize(
    ("record", "all_outcome", "any_outcome"),
    [
        # area 400 < 500 fails; teams absent; judgement absent.
        ({"area": 400}, "ineligible", "undetermined"),
        # area 600 >= 500 meets; the rest absent: any is met at once.
        ({"area": 600}, "undetermined", "eligible"),
        # everything met.
        ({"area": 600, "teams": 10, "operator": {"assessments": {"ok": True}}},
         "eligible", "eligible"),
        # everything not met.
        ({"area": 1, "teams": 1, "operator": {"assessments": {"ok": False}}},
         "ineligible", "ineligible"),
    ],
)
def test_all_of_and_any_of(record: dict[str, Any], all_outcome: str, any_outcome: str) -> None:
    assert LOGIC.evaluate(record, as_of=AS_OF, rule="all_three").outcome == all_outcome
    assert LOGIC.evaluate(record, as_of=AS_OF, rule="any_three").outcome == any_outcome


def test_undetermined_lists_exactly_the_missing_facts_and_pending_judgements() -> None:
    # area 600 meets; teams absent -> missing; judgement absent -> pending.
    result = LOGIC.evaluate({"area": 600}, as_of=AS_OF, rule="all_three")
    assert result.outcome == "undetermined"
    assert result.missing == ("space.teams",)
    assert result.pending == ("ok",)


def test_settled_results_list_nothing_missing() -> None:
    # area 400 fails: the decision is settled whatever teams and the judgement are.
    result = LOGIC.evaluate({"area": 400}, as_of=AS_OF, rule="all_three")
    assert (result.missing, result.pending) == ((), ())


def test_criterion_outcome_words() -> None:
    assert LOGIC.evaluate({"area": 500}, as_of=AS_OF, rule="big").outcome == "met"
    assert LOGIC.evaluate({"area": 499}, as_of=AS_OF, rule="big").outcome == "not_met"
    assert LOGIC.evaluate({}, as_of=AS_OF, rule="big").outcome == "unknown"
    assert LOGIC.evaluate({}, as_of=AS_OF, rule="ok").outcome == "awaiting_judgement"


def test_not_and_implies() -> None:
    p = policy("""
criterion owned cites "一" = not (space.premises == leased)
criterion lease cites "二" = space.premises == leased implies space.lease_term >= 3 years
""")
    assert p.evaluate({"premises": "owned"}, as_of=AS_OF, rule="owned").outcome == "met"
    assert p.evaluate({"premises": "leased"}, as_of=AS_OF, rule="owned").outcome == "not_met"
    assert p.evaluate({}, as_of=AS_OF, rule="owned").outcome == "unknown"
    # Owned premises: the implication holds whatever the lease term.
    assert p.evaluate({"premises": "owned"}, as_of=AS_OF, rule="lease").outcome == "met"
    # Premises unknown but lease term 5 years: the consequence holds, so it is met.
    assert p.evaluate({"lease_term": "5 years"}, as_of=AS_OF, rule="lease").outcome == "met"
    # Premises unknown, lease 1 year: undetermined, and only premises is missing.
    result = p.evaluate({"lease_term": "1 year"}, as_of=AS_OF, rule="lease")
    assert result.outcome == "unknown"
    assert result.missing == ("space.premises",)


# ---------------------------------------------------------------- exact arithmetic

def test_floats_in_plain_data_are_read_from_their_decimal_string() -> None:
    # 514.2 x 30% = 154.26 exactly; as binary floats 514.2 * 0.3 = 154.26000000000002.
    p = policy('criterion share cites "一" = space.public_area >= 30% of space.area\n')
    result = p.evaluate({"area": 514.2, "public_area": 154.26}, as_of=AS_OF)
    assert result.outcome == "met"
    # 154.25 is 0.01 short of 154.26.
    short = p.evaluate({"area": 514.2, "public_area": 154.25}, as_of=AS_OF)
    assert short.outcome == "not_met"
    gap = short.to_dict()["tree"]["children"][0]["comparison"]["gap"]
    assert gap["value"] == "0.01"
    assert gap["unit"] == "m2"


@pytest.mark.parametrize(
    ("members", "needed"),
    # 2/3 of 7 = 4.67 -> 5; of 12 = 8; of 30 = 20; of 1 = 0.67 -> 1.
    [(7, 5), (12, 8), (30, 20), (1, 1)],
)
def test_share_of_a_count_is_exact(members: int, needed: int) -> None:
    p = policykit.loads(
        'policy v.x title "表决" source "章程" issued 2016-01-01 by "联盟" subject b: Ballot\n'
        'criterion dissolve cites "第十九条" quote "三分之二以上" = b.yes >= 2/3 of b.members\n'
    )
    base = {"members": members, "no": 0, "abstain": 0}
    assert p.evaluate({**base, "yes": needed}, as_of=AS_OF).outcome == "met"
    below = p.evaluate({**base, "yes": needed - 1}, as_of=AS_OF)
    assert below.outcome == "not_met"
    comparison = below.to_dict()["tree"]["children"][0]["comparison"]
    assert comparison["whole_bound"] == needed
    assert comparison["gap"]["value"] == "1"


def test_months_against_days_decided_only_when_every_start_agrees() -> None:
    # Six months span 181 to 184 days (民法典 第二百零二条; the shortest is Feb-Jul of a
    # common year: 28+31+30+31+30+31 = 181). 180 days is less whatever the start;
    # 182 days may be more or less, so it is not guessed.
    p = policy('criterion free cites "六" = space.free_residency >= 6 months\n')
    assert p.evaluate({"free_residency": "180 days"}, as_of=AS_OF).outcome == "not_met"
    assert p.evaluate({"free_residency": "185 days"}, as_of=AS_OF).outcome == "met"
    result = p.evaluate({"free_residency": "182 days"}, as_of=AS_OF)
    assert result.outcome == "unknown"
    assert result.missing == ("space.free_residency",)
    assert "视起算日不同结论不同" in result.explain("zh")


def test_time_since_counts_per_civil_code() -> None:
    # 2016-08-31 + 6 months: February 2017 has no 31st, so the period ends 2017-02-28.
    p = policy('criterion half cites "一" = time since space.established_on >= 半年\n')
    record = {"established_on": "2016-08-31"}
    assert p.evaluate(record, as_of=date(2017, 2, 27)).outcome == "not_met"
    assert p.evaluate(record, as_of=date(2017, 2, 28)).outcome == "met"
    data = p.evaluate(record, as_of=date(2017, 2, 27)).to_dict()
    elapsed = data["tree"]["children"][0]["elapsed"]
    assert elapsed["period_end"] == "2017-02-28"
    assert elapsed["month_end_rule"] is True
    assert elapsed["days_short"] == 1


def test_more_than_is_exclusive() -> None:
    # 超过20人: 20 is not more than 20; 21 is.
    p = policy('criterion mentors cites "一" quote "超过20人" = space.mentors > 20\n')
    assert p.evaluate({"mentors": 20}, as_of=AS_OF).outcome == "not_met"
    assert p.evaluate({"mentors": 21}, as_of=AS_OF).outcome == "met"
    # 20 needs one more to exceed 20.
    gap = p.evaluate({"mentors": 20}, as_of=AS_OF).to_dict()["tree"]["children"][0]
    assert gap["comparison"]["gap"]["value"] == "1"


# ---------------------------------------------------------------- records

def test_attrs_records_and_plain_data_agree() -> None:
    recognition = policykit.bundled("hunan.recognition")
    plain = {"area": "499.9 m2", "premises": "leased", "lease_term": "3 years",
             "operator": {"registered_province": "湖南", "legal_form": "legal_person"}}
    record = MakerSpace(
        area=Decimal("499.9"), premises=Premises.leased, lease_term=Duration(months=36),
        operator=Organization(registered_province="湖南", legal_form=LegalForm.legal_person),
    )
    a = recognition.evaluate(plain, as_of=AS_OF)
    b = recognition.evaluate(record, as_of=AS_OF)
    assert a.outcome == b.outcome == "ineligible"
    assert a.to_dict() == b.to_dict()


def test_a_record_of_the_wrong_shape_names_the_field() -> None:
    recognition = policykit.bundled("hunan.recognition")
    with pytest.raises(policykit.RecordError) as err:
        recognition.evaluate({"area": "big", "teams": True}, as_of=AS_OF)
    paths = [p.path for p in err.value.problems]
    assert paths == ["space.area", "space.teams"]
    assert 'space.area: expected an area such as "500 m2"' in str(err.value)


def test_the_callers_record_is_not_mutated() -> None:
    record = {"area": 514.2, "services": ["ip", "finance"], "operator": {"assessments": {}}}
    before = copy.deepcopy(record)
    policykit.bundled("hunan.recognition").evaluate(record, as_of=AS_OF).explain("en")
    assert record == before


def test_as_of_is_required_and_must_be_a_date() -> None:
    recognition = policykit.bundled("hunan.recognition")
    with pytest.raises(TypeError):
        recognition.evaluate({}, as_of="2016-09-01")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        recognition.evaluate({})  # type: ignore[call-arg]


def test_an_unknown_rule_is_refused_with_a_suggestion() -> None:
    with pytest.raises(KeyError, match="did you mean 'area'"):
        policykit.bundled("hunan.recognition").evaluate({}, as_of=AS_OF, rule="aera")


# ---------------------------------------------------------------- explanation data

def test_to_dict_is_json_ready_and_carries_citations() -> None:
    result = policykit.bundled("hunan.recognition").evaluate({"area": "480 m2"}, as_of=AS_OF)
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["outcome"] == "ineligible"
    area = next(n for n in data["tree"]["children"] if n.get("name") == "area")
    assert area["outcome"] == "not_met"
    assert area["citations"] == [{"instrument": "湖南省促进众创空间发展与管理办法(试行)",
                                  "article": "第五条(一)",
                                  "quote": "众创空间面积在500平方米(含)以上"}]
    comparison = area["children"][0]["comparison"]
    # 500 - 480 = 20 m2.
    assert comparison["actual"]["zh"] == "480 平方米"
    assert comparison["required"]["en"] == "500 m2"
    assert comparison["gap"] == {"value": "20", "unit": "m2", "zh": "20 平方米", "en": "20 m2"}


def test_explain_rejects_an_unknown_language() -> None:
    result = policykit.bundled("hunan.recognition").evaluate({}, as_of=AS_OF)
    with pytest.raises(ValueError, match="lang"):
        result.explain(lang="fr")


# ------------------------------------------------ the fast path agrees with the trace

_amounts = st.one_of(st.none(), st.decimals(min_value=0, max_value=2000, places=2))
_counts = st.one_of(st.none(), st.integers(min_value=0, max_value=30))
_flags = st.one_of(st.none(), st.booleans())


@st.composite
def maker_spaces(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {
        "area": draw(_amounts), "public_area": draw(_amounts), "teams": draw(_counts),
        "mentors": draw(_counts), "staff": draw(_counts),
        "seed_fund": draw(st.one_of(st.none(), st.integers(0, 3_000_000))),
        "investor_partners": draw(_counts), "successful_investments": draw(_counts),
        "premises": draw(st.sampled_from([None, "owned", "leased"])),
        "lease_term": draw(st.one_of(st.none(), st.integers(0, 60))),
        "free_residency": draw(st.one_of(st.none(), st.integers(0, 12))),
        "established_on": draw(st.one_of(st.none(), st.dates(date(2015, 1, 1),
                                                              date(2016, 12, 31)))),
        "ready_to_move_in": draw(_flags),
        "services": draw(st.one_of(st.none(), st.lists(st.sampled_from(
            ["rd_design", "tech_transfer", "certification_testing", "incubation", "ip",
             "consulting", "finance", "info_platform"])))),
        "operator": {
            "registered_province": draw(st.sampled_from([None, "湖南", "天津"])),
            "legal_form": draw(st.sampled_from([None, "legal_person", "unincorporated"])),
            "assessments": draw(st.dictionaries(
                st.sampled_from(["staff_competence", "business_model", "services_judged"]),
                st.booleans())),
        },
    }
    return {k: v for k, v in record.items() if v is not None}


@settings(max_examples=150, deadline=None)
@given(maker_spaces(), st.dates(date(2015, 6, 1), date(2018, 1, 1)))
def test_decision_path_and_explanation_agree(record: dict[str, Any], as_of: date) -> None:
    recognition = policykit.bundled("hunan.recognition")
    for rule in recognition.rule_names():
        result = recognition.evaluate(record, as_of=as_of, rule=rule)
        assert result.truth is result.trace.outcome, rule
        if result.outcome in ("eligible", "ineligible", "met", "not_met"):
            assert result.missing == () and result.pending == ()
        elif result.outcome in ("undetermined", "unknown"):
            assert result.missing or result.pending


# ---------------------------------------------------------------- targets, texts and maps

TARGETS = policykit.loads(
    'policy q.x title "目标" source "方案" issued 2016-01-01 by "市" subject region: RegionStats\n'
    'target mentors "创业导师" cites "一、(二)" quote "选聘创业导师、咨询师超过20人"\n'
    '  = region.mentors > 20\n'
    'target jobs "就业" cites "一、(二)" quote "带动就业5000人以上" = region.jobs >= 5000\n'
    'target all_2020 cites "一、(二)" = all of (mentors, jobs)\n'
)


def test_targets_use_their_own_outcome_words() -> None:
    # 超过20人 excludes 20: 21 meets it; 5000人以上 includes 5000.
    met = TARGETS.evaluate({"mentors": 21, "jobs": 5000}, as_of=AS_OF)
    assert met.outcome == "met"
    assert TARGETS.evaluate({"mentors": 20, "jobs": 5000}, as_of=AS_OF).outcome == "not_met"
    undetermined = TARGETS.evaluate({"mentors": 21}, as_of=AS_OF)
    assert undetermined.outcome == "undetermined"
    assert undetermined.missing == ("region.jobs",)
    assert {r.name: r.outcomes for r in TARGETS.rules()}["jobs"] == (
        "met", "not_met", "undetermined")


FORM = policykit.loads(
    'policy f.x title "表" source "通知" issued 2016-04-08 by "厅" subject app: FilingApplication\n'
    'code "leader_bio" means "主要负责人简介" en "the leader\'s profile"\n'
    'code "supports_charter" means "拥护章程的声明" en "support for the charter"\n'
    'criterion bio cites "附件1" quote "主要负责人简介（限200字）"\n'
    '  = length of app.form["leader_bio"] <= 200\n'
    'criterion charter cites "第十七条(四)"\n'
    '  = "supports_charter" in app.space.operator.declarations\n'
)


def test_length_of_a_form_text_counts_characters() -> None:
    # 限200字: 200 Chinese characters are within the limit, 201 exceed it by 1.
    assert FORM.evaluate({"form": {"leader_bio": "字" * 200}}, as_of=AS_OF,
                         rule="bio").outcome == "met"
    over = FORM.evaluate({"form": {"leader_bio": "字" * 201}}, as_of=AS_OF, rule="bio")
    assert over.outcome == "not_met"
    assert "基本信息表文字栏「主要负责人简介」字数 201，要求 200(含)以下，超出 1" in \
        over.explain("zh")
    absent = FORM.evaluate({"form": {}}, as_of=AS_OF, rule="bio")
    assert absent.outcome == "unknown"
    assert absent.missing == ("app.form[leader_bio]",)


def test_a_text_in_a_set_of_texts() -> None:
    yes = {"space": {"operator": {"declarations": ["supports_charter"]}}}
    no = {"space": {"operator": {"declarations": []}}}
    assert FORM.evaluate(yes, as_of=AS_OF, rule="charter").outcome == "met"
    refused = FORM.evaluate(no, as_of=AS_OF, rule="charter")
    assert refused.outcome == "not_met"
    # The code is printed in the policy's words for it (issue 11 item 14).
    assert "申请人声明：（无）；要求包含 拥护章程的声明" in refused.explain("zh")
    assert "required to include support for the charter" in refused.explain("en")
    assert FORM.evaluate({}, as_of=AS_OF, rule="charter").outcome == "unknown"


def test_a_missed_date_says_how_many_days_late_or_early() -> None:
    # 于2016年4月14日前报送 read as on or before 14 April: the 15th is 1 day late, the 20th
    # 6 days; `after 14 April` needs the 15th, so the 14th is 1 day early.
    p = policykit.loads(
        'policy d.x title "t" source "s" issued 2016-04-08 by "i" subject app: FilingApplication\n'
        'criterion deadline cites "三" = app.submitted_on <= 2016-04-14\n'
        'criterion after cites "三" = app.submitted_on > 2016-04-14\n')
    def line(rule: str, day: str, lang: str) -> str:
        result = p.evaluate({"submitted_on": day}, as_of=date(2016, 5, 1), rule=rule)
        return result.explain(lang).splitlines()[-1]
    assert line("deadline", "2016-04-15", "zh").endswith("要求 2016-04-14 或之前，晚 1 天")
    assert line("deadline", "2016-04-20", "en").endswith("on or before 2016-04-14; 6 days late")
    assert line("after", "2016-04-14", "en").endswith("after 2016-04-14; 1 day early")


# ------------------------------------------------ a period that ends past the calendar

_SINCE = '''policy t.period title "t" source "s" issued 2016-06-01 by "x"
subject space: MakerSpace

criterion half_year "运营半年以上" cites "一" = time since space.established_on >= 半年
criterion within_ten_years "成立十年以内" cites "一" = time since space.established_on <= 10 years
'''


@pytest.mark.parametrize(("established", "rule", "outcome"), [
    # 9999-07-01 + 6 months = 10000-01-01 (第二百零二条), after the last day a date can
    # hold: on 2016-09-01 the half year has not run, so `>=` is not met and `<=` is met.
    ("9999-07-01", "half_year", "not_met"),
    ("9999-12-31", "half_year", "not_met"),
    ("9999-12-31", "within_ten_years", "met"),
])
def test_a_period_ending_after_9999_is_decided_not_reported_missing(
        established: str, rule: str, outcome: str) -> None:
    # Before: the period's end overflowed and the criterion was unknown with nothing
    # missing, the explanation saying the date was "not given".
    policy = policykit.loads(_SINCE)
    result = policy.evaluate({"established_on": established}, as_of=date(2016, 9, 1),
                             rule=rule)
    assert result.outcome == outcome
    assert result.missing == ()
    zh, en = result.explain("zh"), result.explain("en")
    assert "未提供" not in zh and "not given" not in en
    assert "9999-12-31 之后" in zh and "after 9999-12-31" in en
    elapsed = result.to_dict()["tree"]["children"][0]["elapsed"]
    assert elapsed["period_end"] is None and elapsed["ends_after_calendar"] is True


def test_the_last_period_the_calendar_holds_is_counted_to_the_day() -> None:
    # 9999-06-30 + 6 months = 9999-12-30: representable, so counted as any other.
    # From 2016-09-01 to 9999-12-30 is date(9999, 12, 30) - date(2016, 9, 1) days.
    policy = policykit.loads(_SINCE)
    result = policy.evaluate({"established_on": "9999-06-30"}, as_of=date(2016, 9, 1),
                             rule="half_year")
    (failure,) = result.failures
    assert failure.required == date(9999, 12, 30)
    assert failure.gap.days == (date(9999, 12, 30) - date(2016, 9, 1)).days


# ------------------------------------------------ questions asked outside the policy's force

_IN_FORCE = '''policy t.inforce title "t" source "s" issued 2016-06-01 by "x"
  in force from 2016-06-01 until 2018-01-01
subject space: MakerSpace

criterion area "面积" cites "一" = space.area >= 500 m2
'''


@pytest.mark.parametrize(("as_of", "kind"), [
    (date(2016, 5, 31), "not_yet_in_force"),   # the day before `in force from`
    (date(2016, 6, 1), None),                  # its first day
    (date(2017, 12, 31), None),                # the last day before `until`
    (date(2018, 1, 1), "no_longer_in_force"),  # `until` is the first day it no longer applies
])
def test_a_question_outside_the_policy_s_force_is_answered_with_a_warning(
        as_of: date, kind: str | None) -> None:
    policy = policykit.loads(_IN_FORCE)
    result = policy.evaluate({"area": "480 m2"}, as_of=as_of)
    assert result.outcome == "not_met"  # still answered, by the text
    assert [w.kind for w in result.warnings] == ([kind] if kind else [])
    assert [w["kind"] for w in result.to_dict()["warnings"]] == ([kind] if kind else [])
    zh, en = result.explain("zh"), result.explain("en")
    if kind is None:
        assert "注意" not in zh and "Warning" not in en
    else:  # the first line of the explanation
        assert zh.startswith("注意：本政策") and en.startswith("Warning: This policy")
        assert ("尚未施行" in zh) is (kind == "not_yet_in_force")
        assert ("不再施行" in zh) is (kind == "no_longer_in_force")
