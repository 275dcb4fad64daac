"""Governance: rules over their own records, votes, procedures, requirements, terms,
ordered steps, `unsettled`, counting, and the bundled zhuzhou.alliance votes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policykit
from policykit.errors import PolicyError, RecordError
from policykit.records import Ballot, Meetings, Procedure, structure, unstructure
from policykit.trace import OUTCOME_WORDS, Truth

AS_OF = date(2018, 3, 1)
HEADER = 'policy g.x title "联盟" en "Alliance" source "章程" issued 2016-01-01 by "联盟"\n'


# The words for the codes the records of these tests use (roles, declarations): PK508.
CODES = "".join(f'code "{code}" means "{zh}" en "{en}"\n' for code, zh, en in (
    ("rotating_chair", "轮值理事长", "rotating chair"), ("chair", "理事长", "chair"),
    ("vice_chair", "副理事长", "vice-chair"), ("councillor", "理事", "councillor"),
    ("director", "主任", "director"), ("deputy_director", "副主任", "deputy director"),
    ("member", "执委", "member"), ("supports_charter", "承认章程的声明", "support for the charter"),
    ("x", "某项", "an item")))


def policy(text: str, subject: str = "org: Organization") -> policykit.Policy:
    return policykit.loads(HEADER + (f"  subject {subject}\n" if subject else "") + text
                           + "\n" + CODES)


def errors(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        policykit.loads(HEADER + text, "g.policy")
    return info.value


# ---------------------------------------------------------------- over: a rule's own record


VOTE = 'vote dissolve "终止" over b: Ballot cites "第十九条" = b.yes >= 2/3 of b.members\n'


def test_a_rule_over_another_record_reads_that_record() -> None:
    p = policy(VOTE + 'criterion charter cites "第六条" = "supports_charter" in org.declarations\n')
    result = p.evaluate({"members": 12, "yes": 8}, as_of=AS_OF, rule="dissolve")
    assert (result.outcome, result.kind) == ("passes", "vote")
    assert p.evaluate({"declarations": []}, as_of=AS_OF, rule="charter").outcome == "not_met"
    assert p.evaluate({"members": 12}, as_of=AS_OF, rule="dissolve").missing == ("b.yes",)
    with pytest.raises(RecordError, match=r"b\.yes: expected a whole number"):
        p.evaluate({"yes": "many"}, as_of=AS_OF, rule="dissolve")
    assert p.rule_subject("dissolve") == ("b", Ballot)
    assert p.structure({"yes": 3}, "dissolve") == Ballot(yes=3)


def test_rule_info_names_the_record_each_rule_reads() -> None:
    p = policy(VOTE + 'criterion charter cites "第六条" = "supports_charter" in org.declarations\n')
    info = {r.name: r for r in p.rules()}
    assert (info["dissolve"].subject_name, info["dissolve"].subject_type) == ("b", Ballot)
    assert info["dissolve"].outcomes == ("passes", "fails", "undetermined")
    assert info["dissolve"].reads == ("b.yes", "b.members")
    assert info["charter"].subject_type.__name__ == "Organization"


def test_the_header_subject_is_optional_when_every_rule_says_over() -> None:
    p = policy(VOTE, subject="")
    assert (p.subject_name, p.subject_type, p.main) == ("b", Ballot, "dissolve")
    assert p.evaluate({"members": 7, "yes": 4}, as_of=AS_OF).outcome == "fails"
    err = errors(VOTE + 'criterion c cites "x" = 1 >= 0\n')
    assert err.codes == ("PK502",)
    assert "lacks `subject`" in str(err)


def test_pk305_a_rule_may_refer_only_to_rules_over_the_same_record() -> None:
    err = errors("  subject org: Organization\n" + VOTE + 'criterion c cites "x" = dissolve\n')
    assert err.codes == ("PK305",)
    diag = err.diagnostics[0]
    assert diag.message == ("`dissolve` is a rule over `b: Ballot`, and this rule is over "
                            "`org: Organization`")
    assert diag.hint is not None and "over b: Ballot" in diag.hint
    assert (diag.line, diag.span.text if diag.span else "") == (4, "dissolve")
    assert isinstance(err, policykit.PolicyTypeError)
    # The same name and type: allowed.
    p = policy(VOTE + 'vote again over b: Ballot cites "x" = dissolve\n', subject="")
    assert p.evaluate({"members": 3, "yes": 2}, as_of=AS_OF, rule="again").outcome == "passes"
    # The same type under another name is another subject.
    assert errors(VOTE + 'vote again over c: Ballot cites "x" = dissolve\n').codes == ("PK305",)


def test_over_names_a_known_record_type_once() -> None:
    err = errors('vote v over b: Balot cites "x" = b.yes >= 1\n')
    assert err.codes == ("PK203",)
    assert "did you mean `Ballot`?" in str(err)
    assert errors('vote v over b: Ballot over c: Ballot cites "x" = b.yes >= 1\n').codes == (
        "PK204",)


def test_judgements_belong_to_the_header_subject() -> None:
    err = errors("  subject org: Organization judgements from org.assessments\n"
                 'vote v over b: Ballot cites "x" = judged "q"\n')
    assert err.codes == ("PK304",)
    assert "judgements are recorded on `org: Organization`" in str(err)


# ---------------------------------------------------------------- the new rule kinds


def test_each_kind_answers_in_its_own_words() -> None:
    p = policy('''
vote v over b: Ballot cites "x" = b.yes >= 1/2 of b.members
procedure pr over p: Procedure cites "x" = steps (a: p.application_submitted)
requirement r over e: Expense cites "x" = e.within_scope
term t over t: Term cites "x" = time since t.term_started <= 4 years
''', subject="")
    cases = {
        "v": [({"members": 4, "yes": 2}, "passes"), ({"members": 4, "yes": 1}, "fails"),
              ({}, "undetermined")],
        "pr": [({"application_submitted": True}, "passes"),
               ({"application_submitted": False}, "fails"), ({}, "undetermined")],
        "r": [({"within_scope": True}, "compliant"), ({"within_scope": False}, "noncompliant"),
              ({}, "undetermined")],
        "t": [({"term_started": "2016-03-01"}, "active"),
              ({"term_started": "2010-03-01"}, "expired"), ({}, "undetermined")],
    }
    for rule, expected in cases.items():
        assert [p.evaluate(rec, as_of=AS_OF, rule=rule).outcome for rec, _ in expected] == \
            [word for _, word in expected], rule
    assert OUTCOME_WORDS["requirement"][Truth.NOT_MET] == "noncompliant"
    assert OUTCOME_WORDS["term"][Truth.MET] == "active"
    words = {r.name: r.outcomes for r in p.rules()}
    assert words == {"v": ("passes", "fails", "undetermined"),
                     "pr": ("passes", "fails", "undetermined"),
                     "r": ("compliant", "noncompliant", "undetermined"),
                     "t": ("active", "expired", "undetermined")}


@pytest.mark.parametrize(("record", "zh", "en"), [
    ({"within_scope": True}, "结论：符合（", "Outcome: compliant ("),
    ({"within_scope": False}, "结论：不符合（", "Outcome: not compliant ("),
])
def test_requirement_outcomes_in_words(record: dict[str, bool], zh: str, en: str) -> None:
    p = policy('requirement r over e: Expense cites "第十八条" = e.within_scope\n', subject="")
    result = p.evaluate(record, as_of=AS_OF)
    assert zh in result.explain("zh")
    assert en in result.explain("en")


def test_every_governance_rule_cites_its_article() -> None:
    for kind in ("vote", "procedure", "requirement", "term"):
        err = errors(f"{kind} k over b: Ballot = b.yes >= 1\n")
        assert err.codes == ("PK501",), kind
        assert f"the {kind} `k` cites no article" in str(err)


def test_a_term_is_active_on_its_last_day_and_expired_the_day_after() -> None:
    # 民法典 第二百零一、二百零二条: started 2016-03-01, four years end on 2020-03-01.
    p = policy('term t over t: Term cites "第十条" quote "每届任期四年" '
               '= time since t.term_started <= 4 years\n', subject="")
    record = {"term_started": "2016-03-01"}
    assert p.evaluate(record, as_of=date(2020, 3, 1)).outcome == "active"
    expired = p.evaluate(record, as_of=date(2020, 3, 2))
    assert expired.outcome == "expired"
    assert "满 4 年 之日为 2020-03-01；评估日 2020-03-02，已超出 1 天" in expired.explain("zh")
    assert expired.to_dict()["tree"]["children"][0]["elapsed"]["days_over"] == 1
    # A month without the day: 2016-08-31 + 6 months ends on 2017-02-28.
    half = policy('term h over t: Term cites "x" = time since t.term_started <= 6 months\n',
                  subject="")
    assert half.evaluate({"term_started": "2016-08-31"}, as_of=date(2017, 2, 28)).outcome == \
        "active"
    assert half.evaluate({"term_started": "2016-08-31"}, as_of=date(2017, 3, 1)).outcome == \
        "expired"


# ---------------------------------------------------------------- votes in words


def test_a_vote_shows_its_arithmetic_in_votes() -> None:
    p = policy(VOTE, subject="")
    result = p.evaluate({"members": 30, "yes": 19}, as_of=AS_OF)
    assert "赞成票数：需 20 票（30 名有表决权的成员的三分之二以上），实得 19 票，差 1 票" in \
        result.explain("zh")
    assert ("votes for: needs 20 of 30 members entitled to vote (two thirds or more), got 19, "
            "short by 1") in result.explain("en")
    assert "实得 20 票" in p.evaluate({"members": 30, "yes": 20}, as_of=AS_OF).explain("zh")
    assert "实得：未提供" in p.evaluate({"members": 30}, as_of=AS_OF).explain("zh")


def test_a_vote_of_those_present_and_a_cap() -> None:
    p = policy('vote v over b: Ballot cites "x" = b.yes > 1/2 of b.present\n'
               'vote cap over b: Ballot cites "x" = b.no <= 1/3 of b.members\n', subject="")
    shown = p.evaluate({"present": 20, "yes": 10}, as_of=AS_OF, rule="v").explain("zh")
    assert "需 11 票（超过 20 名出席人的一半），实得 10 票，差 1 票" in shown
    capped = p.evaluate({"members": 30, "no": 12}, as_of=AS_OF, rule="cap")
    assert capped.outcome == "fails"
    assert "反对票数：至多 10 票（30 名有表决权的成员的三分之一以下），实得 12 票，超出 2 票" in \
        capped.explain("zh")
    assert "at most 10 of 30 members entitled to vote (one third or less), got 12, over by 2" in \
        capped.explain("en")


def test_other_kinds_keep_their_wording_of_shares() -> None:
    p = policy('criterion c over b: Ballot cites "x" = b.yes >= 2/3 of b.members\n', subject="")
    shown = p.evaluate({"members": 7, "yes": 4}, as_of=AS_OF).explain("zh")
    assert "赞成票数 4，要求 有表决权的成员数 7 的三分之二以上，即至少 5，差 1" in shown


# ---------------------------------------------------------------- steps


ADMIT = '''
procedure admit "入会" over p: Procedure cites "第六条"
  = steps (
      application "提出申请" en "Application": p.application_submitted,
      review "执行委员会审查通过" en "Review": p.review_approved,
      vote_step "会员大会表决": p.assembly.yes >= 1/2 of p.assembly.members,
    )
'''


def admit(record: dict[str, object]) -> policykit.Result:
    return policy(ADMIT, subject="").evaluate(record, as_of=AS_OF)


def test_a_procedure_passes_when_every_step_passed() -> None:
    result = admit({"application_submitted": True, "review_approved": True,
                    "assembly": {"members": 20, "yes": 10}})
    assert (result.outcome, result.missing) == ("passes", ())
    text = result.explain("zh")
    assert "✓ 提出申请（第1步）：通过" in text
    assert "✓ 会员大会表决（第3步）：通过" in text
    assert "需 10 票（20 名有表决权的成员的一半以上），实得 10 票" in text


def test_a_failed_step_fails_it_and_the_steps_after_are_not_reached() -> None:
    result = admit({"application_submitted": True, "review_approved": False})
    assert (result.outcome, result.missing) == ("fails", ())
    assert "✗ 执行委员会审查通过（第2步）：未通过" in result.explain("zh")
    assert "· 会员大会表决（第3步）：程序未进行到此步（第2步未通过）" in result.explain("zh")
    assert "· vote_step (step 3): not reached" not in result.explain("en")
    assert "· 会员大会表决 (step 3): not reached (step 2 did not pass)" in result.explain("en")
    steps = result.to_dict()["tree"]["children"]
    assert [s.get("reached", True) for s in steps] == [True, True, False]
    assert [s["outcome"] for s in steps[:2]] == ["passes", "fails"]


def test_unknown_steps_name_every_fact_still_open() -> None:
    # No step has failed, so every open step may still decide: the review and the vote
    # after it are both asked for (issue 11 item 16; it was the review alone).
    result = admit({"application_submitted": True})
    assert (result.outcome, result.missing) == (
        "undetermined", ("p.review_approved", "p.assembly.yes", "p.assembly.members"))
    assert admit({}).missing == ("p.application_submitted", "p.review_approved",
                                 "p.assembly.yes", "p.assembly.members")
    assert admit({"application_submitted": True, "review_approved": True}).missing == \
        ("p.assembly.yes", "p.assembly.members")


def test_a_failed_step_decides_even_after_an_unknown_one() -> None:
    result = admit({"review_approved": False, "assembly": {"members": 20, "yes": 20}})
    assert (result.outcome, result.missing) == ("fails", ())
    text = result.explain("zh")
    assert "? 提出申请（第1步）：尚无法确定" in text
    assert "✗ 执行委员会审查通过（第2步）：未通过" in text
    # The vote was held (20 of 20 for): shown as held, with its count, deciding nothing.
    assert "· 会员大会表决（第3步）：通过（第2步未通过，本步不影响结论）" in text
    assert "实得 20 票" in text


def test_steps_awaiting_a_judgement_and_inside_other_conditions() -> None:
    p = policy('''
criterion ok cites "x" = steps (a: org.legal_form == legal_person, b: judged "q" as q_key)
  and "supports_charter" in org.declarations
''', subject="org: Organization judgements from org.assessments")
    result = p.evaluate({"legal_form": "legal_person", "declarations": ["supports_charter"]},
                        as_of=AS_OF)
    assert (result.outcome, result.pending) == ("awaiting_judgement", ("q_key",))


def test_step_names_are_unique_and_steps_are_conditions() -> None:
    err = errors('procedure p over r: Procedure cites "x" = steps (a: r.review_approved, '
                 "a: r.application_submitted)\n")
    assert err.codes == ("PK204",)
    assert "the step name `a` is used twice" in str(err)
    assert errors('procedure p over r: Procedure cites "x" = steps (a: 3)\n').codes == ("PK303",)


# ---------------------------------------------------------------- unsettled


SILENT = '''
note no_majority silence cites "第二十二条"
  says "终止须经理事会和会员大会表决，未规定通过比例。" en "No majority is named."
vote terminate over b: Ballot cites "第二十二条" see no_majority = unsettled
'''


def test_unsettled_is_undetermined_with_only_the_note_to_show() -> None:
    p = policy(SILENT, subject="")
    result = p.evaluate({"members": 30, "yes": 30}, as_of=AS_OF, rule="terminate")
    assert (result.outcome, result.missing, result.pending) == ("undetermined", (), ())
    assert [n.name for n in result.unresolved] == ["no_majority"]
    assert "? 来源文本未规定（见说明）" in result.explain("zh")
    assert "? the source does not settle this (see the note)" in result.explain("en")
    assert "原文未规定（第二十二条）：终止须经理事会和会员大会表决，未规定通过比例。" in \
        result.explain("zh")
    assert result.to_dict()["tree"]["children"][0]["kind"] == "unsettled"


def test_unsettled_inside_a_larger_condition() -> None:
    p = policy(SILENT.replace("= unsettled", "= b.yes >= 1 and unsettled"), subject="")
    assert p.evaluate({"yes": 0}, as_of=AS_OF).outcome == "fails"
    result = p.evaluate({"yes": 3}, as_of=AS_OF)
    assert (result.outcome, result.missing) == ("undetermined", ())


def test_pk504_unsettled_needs_a_note() -> None:
    err = errors('vote v over b: Ballot cites "x" = unsettled\n')
    assert err.codes == ("PK504",)
    assert "see NAME" in str(err)


# ---------------------------------------------------------------- counting


CONVENE = '''requirement convene over pr: Proposal cites "第十三条"
  = any of (chair "轮值理事长提议" en "The rotating chair": "rotating_chair" in pr.proposers,
            councillors "四名以上理事提议" en "Four councillors":
              count of "councillor" in pr.proposers >= 4)
requirement two over pr: Proposal cites "第十条"
  = count of {"deputy_director", "member"} in pr.proposers >= 2
'''


def test_count_of_a_text_in_a_list() -> None:
    p = policy(CONVENE, subject="")
    outcome = lambda record: p.evaluate(record, as_of=AS_OF, rule="convene").outcome  # noqa: E731
    assert outcome({"proposers": ["councillor"] * 4}) == "compliant"
    assert outcome({"proposers": ["councillor"] * 3 + ["member"]}) == "noncompliant"
    assert outcome({"proposers": ["rotating_chair"]}) == "compliant"
    result = p.evaluate({"proposers": ["councillor"] * 3}, as_of=AS_OF, rule="convene")
    assert "提议人中为「理事」的个数 3，要求 4(含)以上，差 1" in result.explain("zh")
    assert 'proposers that are "councillor" 3; required 4 or more; short by 1' in \
        result.explain("en")
    assert p.evaluate({}, as_of=AS_OF, rule="convene").missing == ("pr.proposers",)
    both = p.evaluate({"proposers": ["member", "deputy_director", "councillor"]}, as_of=AS_OF,
                      rule="two")
    assert both.outcome == "compliant"
    assert "提议人中为「副主任」、「执委」之一的个数 2" in both.explain("zh")


MEETINGS = '''  main cadence
requirement cadence over m: Meetings cites "第十条"
  = count of m.held_on in year m.year >= 1
requirement at_most_two over m: Meetings cites "第十二条"
  = count of m.held_on in year m.year <= 2
'''


def test_count_of_dates_in_the_last_full_year_by_default() -> None:
    p = policy(MEETINGS, subject="")
    record = {"body": "理事会", "held_on": ["2017-06-01", "2018-01-05"]}
    result = p.evaluate(record, as_of=AS_OF)
    assert result.outcome == "compliant"
    assert "✓ 理事会会议次数（2017年） 1，要求 1(含)以上" in result.explain("zh")
    assert "理事会 meetings held in 2017 1; required 1 or more" in result.explain("en")
    # On 31 December the year is not yet full: the last full year is the one before.
    assert p.evaluate(record, as_of=date(2017, 12, 31)).outcome == "noncompliant"
    assert p.evaluate({"held_on": ["2016-03-01"], "year": 2016}, as_of=AS_OF).outcome == \
        "compliant"
    assert p.evaluate({"year": 2016}, as_of=AS_OF).missing == ("m.held_on",)
    assert p.evaluate({"held_on": []}, as_of=date(2018, 1, 1)).explain("zh").count(
        "会议次数（2017年） 0") == 1


def test_extraordinary_meetings_are_recorded_apart() -> None:
    p = policy(MEETINGS, subject="")
    record = {"held_on": [], "extraordinary_on": ["2017-02-01", "2017-05-01"]}
    assert p.evaluate(record, as_of=AS_OF).outcome == "noncompliant"
    meetings = structure(record, Meetings)
    assert meetings.extraordinary_on == (date(2017, 2, 1), date(2017, 5, 1))
    assert unstructure(meetings) == {"held_on": [],
                                     "extraordinary_on": ["2017-02-01", "2017-05-01"]}


def test_a_year_not_yet_over_decides_only_what_cannot_change() -> None:
    p = policy(MEETINGS, subject="")
    so_far = {"held_on": ["2018-01-10"], "year": 2018}
    assert p.evaluate(so_far, as_of=AS_OF).outcome == "compliant"  # held already
    assert p.evaluate(so_far, as_of=AS_OF, rule="at_most_two").outcome == "undetermined"
    three = {"held_on": ["2018-01-10", "2018-02-01", "2018-02-20"], "year": 2018}
    assert p.evaluate(three, as_of=AS_OF, rule="at_most_two").outcome == "noncompliant"
    none_yet = p.evaluate({"held_on": [], "year": 2018}, as_of=AS_OF)
    assert (none_yet.outcome, none_yet.missing, none_yet.pending) == ("undetermined", (), ())
    assert "该年度尚未结束" in none_yet.explain("zh")
    # A meeting recorded after the as-of date has not been held yet.
    later = p.evaluate({"held_on": ["2018-06-01"], "year": 2018}, as_of=AS_OF)
    assert later.outcome == "undetermined"


def test_counting_checks_its_operands() -> None:
    assert errors('requirement r over m: Meetings cites "x" = count of "a" in m.held_on >= 1\n'
                  ).codes == ("PK302",)
    assert errors('requirement r over m: Meetings cites "x" '
                  "= count of m.held_on in year m.body >= 1\n").codes == ("PK301",)
    assert errors('requirement r over m: Meetings cites "x" '
                  "= count of m.body in year m.year >= 1\n").codes == ("PK302",)
    assert errors('requirement r over p: Proposal cites "x" = count of p.body in p.proposers\n'
                  ).codes == ("PK302",)


# ---------------------------------------------------------------- records


def test_procedure_records_structure_and_unstructure() -> None:
    data = {"application_submitted": True, "review_approved": True,
            "assembly": {"members": 20, "yes": 11, "no": 9, "abstain": 0}}
    record = structure(data, Procedure)
    assert record.assembly == Ballot(members=20, yes=11, no=9, abstain=0)
    assert unstructure(record) == data
    with pytest.raises(RecordError, match=r"p\.assembly\.yes: expected a whole number"):
        structure({"assembly": {"yes": "x"}}, Procedure, "p")


# ---------------------------------------------------------------- the bundled zhuzhou votes


ZHUZHOU = policykit.bundled("zhuzhou.alliance")


def zhuzhou_votes(members: int, yes: int) -> dict[str, tuple[bool, bool]]:
    """For each bundled vote: (its verdict, the charter's exact-fraction comparison)."""
    ballot = Ballot(members=members, yes=yes, no=members - yes, abstain=0)
    termination = ZHUZHOU.evaluate(ballot, as_of=AS_OF, rule="termination").outcome
    admits = ZHUZHOU.evaluate(Procedure(assembly=ballot), as_of=AS_OF,
                              rule="assembly_admits").outcome
    return {
        # 第十九条 三分之二以上成员: yes / members >= 2/3.
        "termination": (termination == "passes", 3 * yes >= 2 * members),
        # 第六条 会员大会一半以上: yes / members >= 1/2.
        "assembly_admits": (admits == "passes", 2 * yes >= members),
    }


def test_every_bundled_vote_is_its_exact_fraction_for_every_count() -> None:
    assert {r.name for r in ZHUZHOU.rules() if r.kind == "vote"} == {
        "termination", "assembly_admits"}
    for members in range(1, 501):
        for yes in range(members + 1):
            for name, (verdict, expected) in zhuzhou_votes(members, yes).items():
                assert verdict == expected, (name, members, yes)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 500).flatmap(lambda m: st.tuples(st.just(m), st.integers(0, m))))
def test_bundled_votes_and_their_explanations_agree_with_the_charter(
        counts: tuple[int, int]) -> None:
    members, yes = counts
    record = {"members": members, "yes": yes, "no": members - yes, "abstain": 0}
    for rule, record_of, (num, den) in (
            ("termination", record, (2, 3)),
            ("assembly_admits", {"assembly": record}, (1, 2))):
        result = ZHUZHOU.evaluate(record_of, as_of=AS_OF, rule=rule)
        needed = -(-num * members // den)  # the least whole count >= num/den of members
        assert result.outcome == ("passes" if den * yes >= num * members else "fails")
        comparison = result.to_dict()["tree"]["children"][0]["comparison"]
        assert comparison["whole_bound"] == needed
        if yes < needed:
            assert comparison["gap"]["value"] == str(needed - yes)
            assert f"实得 {yes} 票，差 {needed - yes} 票" in result.explain("zh")
        else:
            assert comparison["gap"] is None


@pytest.mark.parametrize(("members", "needed"), [(7, 5), (12, 8), (30, 20), (1, 1), (2, 2)])
def test_termination_needs_two_thirds_of_all_members(members: int, needed: int) -> None:
    ballot = {"members": members, "present": members, "no": 0, "abstain": 0}
    assert ZHUZHOU.evaluate({**ballot, "yes": needed}, as_of=AS_OF,
                            rule="termination").outcome == "passes"
    assert ZHUZHOU.evaluate({**ballot, "yes": needed - 1}, as_of=AS_OF,
                            rule="termination").outcome == "fails"
