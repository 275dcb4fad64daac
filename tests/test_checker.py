"""The checker: names, types, units and citations, each error with its code, place and hint.

Every test builds a small policy with ``policykit.loads`` and asserts the diagnostic
code, the exception class, the line and column, the line itself with a caret under
the fault in ``str(err)``, and the hint.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import policykit
from policykit.errors import (
    PolicyError,
    PolicyNameError,
    PolicySyntaxError,
    PolicyTypeError,
    PolicyUnitError,
)

HEADER = 'policy t.x title "T" source "S" issued 2016-06-01 by "I" subject space: MakerSpace\n'
JUDGED_HEADER = HEADER.rstrip("\n") + " judgements from space.operator.assessments\n"
RULE = 'criterion a cites "x" = '  # 24 characters: a body starts at column 25


def expect(
    text: str,
    cls: type[PolicyError],
    code: str,
    line: int,
    column: int,
    carets: str,
    hint: str,
    message: str | None = None,
) -> PolicyError:
    """Load ``text``; it must fail with exactly one diagnostic as described."""
    with pytest.raises(PolicyError) as info:
        policykit.loads(text)
    err = info.value
    assert type(err) is cls
    assert err.codes == (code,)
    diag = err.diagnostics[0]
    assert (diag.line, diag.column) == (line, column)
    assert diag.hint == hint
    if message is not None:
        assert diag.message == message
    rendered = str(err).splitlines()
    source_line = text.splitlines()[line - 1]
    assert rendered[0] == f"<string>:{line}:{column}: error[{code}]: {diag.message}"
    assert rendered[1] == f"{line:>4} | {source_line}"
    # Columns before the fault are ASCII in these tests: one space each.
    assert rendered[2] == "     | " + " " * (column - 1) + carets
    assert rendered[3] == f"  = hint: {hint}"
    return err


# ---------------------------------------------------------------- names (PK2xx)


def test_pk201_unknown_field_with_did_you_mean() -> None:
    expect(HEADER + RULE + "space.seed_fnd >= 1万元", PolicyNameError, "PK201", 2, 25,
           "^" * len("space.seed_fnd"), "did you mean `seed_fund`?",
           "`space` (MakerSpace) has no field `seed_fnd`")


def test_pk201_unknown_field_of_a_nested_record() -> None:
    expect(HEADER + RULE + 'space.operator.nme == "x"', PolicyNameError, "PK201", 2, 25,
           "^" * len("space.operator.nme"), "did you mean `name`?",
           "`space.operator` (Organization) has no field `nme`")


def test_pk201_a_path_that_does_not_start_from_the_subject() -> None:
    expect(HEADER + RULE + "place.area >= 1 m2", PolicyNameError, "PK201", 2, 25,
           "^" * len("place.area"), "write `space.area`",
           "`place.area` does not start from the subject `space`")


def test_pk201_a_field_of_a_plain_value() -> None:
    # No walking from a value into its Python attributes: text has no fields.
    expect(HEADER + RULE + 'space.name.upper == "X"', PolicyNameError, "PK201", 2, 25,
           "^" * len("space.name.upper"), "remove the part after it",
           "`space.name` is text and has no fields")


def test_pk202_unknown_rule() -> None:
    expect(HEADER + RULE + "b", PolicyNameError, "PK202", 2, 25, "^",
           "fields are written from the subject, e.g. `space.b`", "unknown rule `b`")


def test_pk202_unknown_rule_with_did_you_mean() -> None:
    text = (HEADER + 'criterion area cites "x" = space.area >= 1 m2\n'
            "decision d = all of (area, aera)")
    # `decision d = all of (area, ` is 27 characters: `aera` at column 28.
    expect(text, PolicyNameError, "PK202", 3, 28, "^^^^", "did you mean `area`?")


def test_pk203_unknown_record_type() -> None:
    text = HEADER.replace("MakerSpace", "MakerSpaec") + RULE + "space.area >= 1 m2"
    # `subject space: MakerSpaec` starts at column 58 of the header line.
    expect(text, PolicyNameError, "PK203", 1, 58, "^" * len("subject space: MakerSpaec"),
           "did you mean `MakerSpace`?", "unknown record type `MakerSpaec`")


def test_pk204_rule_defined_twice() -> None:
    text = HEADER + RULE + "space.area >= 1 m2\n" + RULE + "space.area >= 2 m2"
    expect(text, PolicyNameError, "PK204", 3, 11, "^", "it is first defined at line 2",
           "the rule `a` is defined twice")


def test_pk204_branch_name_used_twice() -> None:
    text = HEADER + RULE + ('any of (x "a" en "a": space.teams >= 1, '
                            'x "b" en "b": space.mentors >= 1)')
    # `any of (x "a" en "a": space.teams >= 1, ` is 40 characters: the second branch at
    # 25 + 40.
    expect(text, PolicyNameError, "PK204", 2, 65,
           "^" * len('x "b" en "b": space.mentors >= 1'),
           "give each branch its own name", "the branch name `x` is used twice")


def test_pk205_unknown_enum_value_with_suggestion() -> None:
    # `space.premises == ` is 18 characters: `leasd` at column 25 + 18.
    expect(HEADER + RULE + "space.premises == leasd", PolicyNameError, "PK205", 2, 43,
           "^^^^^", "did you mean `leased`?", "`leasd` is not a value of Premises")


def test_pk205_unknown_value_in_a_set() -> None:
    text = HEADER + RULE + "space.services includes all of {ip, finanse}"
    # `space.services includes all of {ip, ` is 36 characters.
    expect(text, PolicyNameError, "PK205", 2, 61, "^^^^^^^", "did you mean `finance`?",
           "`finanse` is not a value of Service")


def test_pk206_unknown_note() -> None:
    text = (HEADER + 'note nt silence cites "c" says "s"\n'
            'criterion nte "see nte" cites "x" quote "nte"  # see nte\n'
            "  see nt, nte\n"
            "  = space.area >= 1 m2")
    # Under the name in the `see` clause, not under a string or comment that holds it.
    expect(text, PolicyNameError, "PK206", 4, 11, "^^^", "did you mean `nt`?",
           "unknown note `nte`")


def test_pk207_a_cycle_of_two_rules() -> None:
    text = HEADER + RULE + "b\n" + 'criterion b cites "y" = a'
    expect(text, PolicyNameError, "PK207", 3, 11, "^",
           "a rule may not refer to itself, directly or through others",
           "`b` depends on `a`, which depends on it")


def test_pk207_a_rule_that_refers_to_itself() -> None:
    expect(HEADER + RULE + "a or space.teams >= 1", PolicyNameError, "PK207", 2, 11, "^",
           "a rule may not refer to itself, directly or through others",
           "`a` refers to itself")


def test_pk207_every_cycle_is_reported() -> None:
    text = (HEADER + RULE + "a\n" + 'criterion c cites "x" = d\n'
            'criterion d cites "x" = c\n' + "decision e = all of (a, c)")
    with pytest.raises(PolicyNameError) as info:
        policykit.loads(text)
    assert info.value.codes == ("PK207", "PK207")
    assert [d.line for d in info.value.diagnostics] == [2, 4]


def test_pk208_unknown_main_rule() -> None:
    text = (HEADER.replace("subject", "main recognisd subject") + RULE + "space.area >= 1 m2\n"
            "decision recognised = all of (a)")
    # `main recognisd`: the name starts at column 63 of the header line.
    expect(text, PolicyNameError, "PK208", 1, 63, "^" * len("recognisd"),
           "did you mean `recognised`?", "the main rule `recognisd` is not defined")


def test_three_unknown_names_give_three_diagnostics_in_one_error() -> None:
    text = (HEADER + RULE
            + "space.seed_fnd >= 1万元\n  and space.aera >= 1 m2\n  and space.temas >= 1")
    with pytest.raises(PolicyNameError) as info:
        policykit.loads(text)
    err = info.value
    assert err.codes == ("PK201", "PK201", "PK201")
    assert [(d.line, d.column) for d in err.diagnostics] == [(2, 25), (3, 7), (4, 7)]
    assert [d.hint for d in err.diagnostics] == [
        "did you mean `seed_fund`?", "did you mean `area`?", "did you mean `teams`?"]
    rendered = str(err)
    for source_line in ("   2 | criterion a cites", "   3 |   and space.aera",
                        "   4 |   and space.temas"):
        assert source_line in rendered


def test_errors_of_different_kinds_come_together_as_a_policy_error() -> None:
    text = HEADER + RULE + 'space.aera >= 1 m2 and space.name == 3\ncriterion b = space.teams >= 1'
    with pytest.raises(PolicyError) as info:
        policykit.loads(text)
    assert type(info.value) is PolicyError
    assert sorted(info.value.codes) == ["PK201", "PK301", "PK501"]


# ---------------------------------------------------------------- types (PK3xx)


def test_pk301_text_compared_with_a_number() -> None:
    expect(HEADER + RULE + "space.name == 3", PolicyTypeError, "PK301", 2, 25,
           "^" * len("space.name == 3"), "compare values of the same kind",
           "`space.name` is text but `3` is a whole number")


def test_pk301_judgements_from_a_field_that_is_not_a_map() -> None:
    text = HEADER + "  judgements from space.name\n" + RULE + "space.teams >= 1"
    expect(text, PolicyTypeError, "PK301", 2, 19, "^" * len("space.name"),
           "point it at a field such as `space.operator.assessments`",
           "`space.name` does not map criteria to yes/no judgements")


def test_pk302_ordering_on_a_type_without_order() -> None:
    expect(HEADER + RULE + "space.premises >= leased", PolicyTypeError, "PK302", 2, 25,
           "^" * len("space.premises >= leased"),
           "use `==` or `!=`, or `in {…}` for several values",
           "`>=` does not apply to a Premises")


def test_pk302_a_share_of_a_date() -> None:
    text = HEADER + RULE + "space.teams >= 30% of space.established_on"
    # `space.teams >= 30% of ` is 22 characters.
    expect(text, PolicyTypeError, "PK302", 2, 47, "^" * len("space.established_on"),
           "take a share of a count, an area or money", "a share of a date means nothing")


@pytest.mark.parametrize(
    ("body", "fault"),
    [
        ('space.ready_to_move_in == judged "q"', 'judged "q"'),
        ("space.ready_to_move_in == b", "b"),
        ("true != (space.area >= 1 m2)", "space.area >= 1 m2"),
    ],
)
def test_pk302_a_condition_is_not_a_value_to_compare(body: str, fault: str) -> None:
    # Found by the odd-policy property of test_hazards.py: the compiler has no value for
    # a rule, a judgement or a comparison, so the checker must refuse `==` on one.
    text = JUDGED_HEADER + 'criterion b cites "y" = space.teams >= 1\n' + RULE + body
    op = "!=" if "!=" in body else "=="
    expect(text, PolicyTypeError, "PK302", 3, 25 + body.index(fault),
           "^" * len(fault), "combine conditions with `and`, `or`, `not` or `implies`",
           f"`{fault}` is a condition, and `{op}` compares values")


def test_a_yes_no_field_compares_with_true() -> None:
    policy = policykit.loads(HEADER + RULE + "space.ready_to_move_in == false")
    assert policy.evaluate({"ready_to_move_in": False}, as_of=date(2016, 9, 1)).outcome == "met"


def test_pk303_a_body_that_is_not_a_condition() -> None:
    expect(HEADER + RULE + "space.area", PolicyTypeError, "PK303", 2, 25, "^" * 10,
           "compare it with something, e.g. `space.area >= 500 m2`",
           "`space.area` is an area, not a yes/no condition")


def test_pk303_inside_a_combination() -> None:
    text = HEADER + RULE + "all of (space.teams >= 1, space.mentors)"
    expect(text, PolicyTypeError, "PK303", 2, 51, "^" * len("space.mentors"),
           "compare it with something, e.g. `space.area >= 500 m2`",
           "`space.mentors` is a whole number, not a yes/no condition")


def test_pk304_judgement_without_a_judgements_header() -> None:
    expect(HEADER + RULE + 'judged "团队具备一定行业背景"', PolicyTypeError, "PK304", 2, 25,
           # 团队具备一定行业背景: ten characters, two columns each.
           "^" * len('judged "') + "^^" * 10 + "^",
           "add `judgements from space.operator.assessments` to the header",
           "the policy does not say where reviewers' judgements are recorded")


def test_pk304_judgement_in_a_decision() -> None:
    expect(JUDGED_HEADER + 'decision d = judged "q"', PolicyTypeError, "PK304", 2, 14,
           "^" * len('judged "q"'),
           "move it into a `criterion`, or give its key: `judged \"…\" as key`",
           "a reviewer's judgement stands inside a criterion")


def test_a_judgement_with_the_header_loads() -> None:
    policy = policykit.loads(JUDGED_HEADER + RULE + 'judged "q"')
    result = policy.evaluate({}, as_of=date(2016, 9, 1))
    assert result.outcome == "awaiting_judgement"


# ---------------------------------------------------------------- units (PK4xx)


def test_pk401_area_compared_with_money() -> None:
    # 万 and 元 are two columns wide each: 17 ASCII carets, then 4.
    expect(HEADER + RULE + "space.area >= 100万元", PolicyUnitError, "PK401", 2, 25,
           "^" * 17 + "^^^^", "compare area with area, e.g. `space.area >= 500 m2`",
           "`space.area` is an area but `100万元` is money")


def test_pk401_a_count_compared_with_a_quantity() -> None:
    expect(HEADER + RULE + "space.teams >= 5 m2", PolicyUnitError, "PK401", 2, 25,
           "^" * len("space.teams >= 5 m2"),
           "give both sides the same kind: a count, or a quantity with a unit",
           "a count is compared with an area in `space.teams >= 5 m2`")


def test_pk401_a_period_that_is_not_a_duration() -> None:
    text = HEADER + RULE + "time since space.established_on >= 500 m2"
    # `time since space.established_on >= ` is 35 characters.
    expect(text, PolicyUnitError, "PK401", 2, 60, "^^^^^^",
           "write a period such as `半年`, `6 months` or `3 years`", "`500 m2` is not a duration")


def test_pk402_months_compared_with_days() -> None:
    expect(HEADER + RULE + "6 months >= 180 days", PolicyUnitError, "PK402", 2, 25,
           "^" * len("6 months >= 180 days"),
           "a month has no fixed number of days: count both in months or both in days",
           "months and days are compared in `6 months >= 180 days`")


def test_a_duration_field_against_days_is_decided_by_the_record() -> None:
    # A duration field may hold months or days: only the record tells, so the checker
    # lets `space.lease_term >= 30 days` pass (PK402 is for two literals). Evaluation
    # never guesses: one month spans 28 to 31 days (民法典 第二百零二条), so whether it is
    # 30 days or more depends on the start date, which the comparison does not have.
    policy = policykit.loads(HEADER + RULE + "space.lease_term >= 30 days")
    assert policy.evaluate({"lease_term": "40 days"}, as_of=date(2017, 1, 1)).outcome == "met"
    assert policy.evaluate({"lease_term": "20天"}, as_of=date(2017, 1, 1)).outcome == "not_met"
    assert policy.evaluate({"lease_term": "1 month"}, as_of=date(2017, 1, 1)).outcome == "unknown"


def test_pk106_a_fraction_of_a_month() -> None:
    expect(HEADER + RULE + "space.lease_term >= 1.5 months", PolicySyntaxError, "PK106",
           2, 45, "^" * len("1.5 months"),
           "write whole months or days, e.g. `6 months` or `半年`",
           "a duration is a whole number of months, not 1.5 months")


def test_pk106_a_count_with_a_fraction() -> None:
    expect(HEADER + RULE + "space.teams >= 1.5", PolicySyntaxError, "PK106", 2, 40, "^^^",
           "give the unit, e.g. `499.9 m2`, or write a percentage such as `30%`",
           "`1.5` has no unit, and a count is a whole number")


# ---------------------------------------------------------------- policy (PK5xx)


def test_pk501_criterion_without_a_citation() -> None:
    expect(HEADER + "criterion a = space.area >= 1 m2", PolicyError, "PK501", 2, 11, "^",
           'add the article it encodes: `criterion a cites "第五条(一)" quote "…"`',
           "the criterion `a` cites no article")


def test_pk501_note_without_a_citation() -> None:
    text = HEADER + 'note quiet silence says "无"\n' + RULE + "space.area >= 1 m2"
    expect(text, PolicyError, "PK501", 2, 6, "^^^^^",
           'say where the source is silent or contradicts itself: `cites "第十四条"`',
           "the note `quiet` cites no article")


def test_pk502_header_without_title_and_source() -> None:
    text = "policy t.x subject space: MakerSpace\n" + RULE + "space.area >= 1 m2"
    expect(text, PolicyError, "PK502", 1, 1, "^" * len("policy t.x subject space: MakerSpace"),
           'a header names its title, its source instrument and its subject, e.g. '
           '`title "…" en "…" source "…" issued 2016-06-01 by "…" subject space: MakerSpace`',
           "the header of `t.x` lacks `title`, `source`")


def test_pk502_header_item_given_twice() -> None:
    text = HEADER.rstrip("\n") + ' title "U"\n' + RULE + "space.area >= 1 m2"
    expect(text, PolicyError, "PK502", 1, 84, '^^^^^^^^^', "keep one",
           "the header gives `title` twice")


def test_a_valid_policy_loads() -> None:
    text = (JUDGED_HEADER + 'criterion area "面积" cites "第五条(一)" = space.area >= 500 m2\n'
            'criterion team cites "第五条(四)" = judged "团队背景"\n'
            "decision d = all of (area, team)")
    policy = policykit.loads(text)
    assert policy.rule_names() == ("area", "team", "d")
    assert policy.main == "d"


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    ("path", "column"),
    [("space.__class__", 31), ("space._x", 31), ("space.operator.__init__.__globals__", 40)],
)
def test_names_starting_with_underscore_are_a_syntax_error(path: str, column: int) -> None:
    expect(HEADER + RULE + f"{path} == 1", PolicySyntaxError, "PK102", 2, column, "^",
           "a name starts with an ASCII letter, never with `_`", "unexpected character `_`")


def test_a_string_literal_is_only_text(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    hostile = f'x" + __import__("os").system("touch {marker}") + "'
    literal = '"' + hostile.replace('"', '\\"') + '"'
    policy = policykit.loads(HEADER + RULE + f"space.name == {literal}")
    as_of = date(2016, 9, 1)
    result = policy.evaluate({"name": "abc"}, as_of=as_of)
    assert result.outcome == "not_met"
    assert hostile in result.explain(lang="en")
    # The same characters in the record compare equal: it is text, nothing more.
    assert policy.evaluate({"name": hostile}, as_of=as_of).outcome == "met"
    assert not marker.exists()


def test_pk506_a_named_branch_needs_a_label_in_both_languages() -> None:
    # Explanations print a branch by its label, never by its name (issue 11 item 14).
    text = HEADER + RULE + 'any of (fund "fund": space.teams >= 1, ok "ok" en "ok": true)'
    # `any of (` is 8 characters: the first branch at 25 + 8; it has no English label.
    expect(text, PolicyError, "PK506", 2, 33, "^" * len('fund "fund": space.teams >= 1'),
           'give it one: fund "中文" en "English": …',
           "the branch `fund` has no label in both languages")


def test_pk507_only_a_target_has_a_due_date() -> None:
    # 到2020年 is a date by which a target is reached; a criterion holds or not today.
    text = HEADER + 'criterion a due 2020-12-31 cites "x" = space.teams >= 1'
    expect(text, PolicyError, "PK507", 2, 11, "^",
           "a target is reached by a date; make it a `target`, or remove `due`",
           "the criterion `a` has a due date; only a target has one")
