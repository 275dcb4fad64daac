"""The parser: text to AST, spans, friendly syntax errors, and the limits of hazards.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykit import nodes as n
from policykit.errors import PolicyError, PolicyLimitError, PolicySyntaxError
from policykit.parser import _EXAMPLES, _FULLWIDTH, Limits, parse
from policykit.source import Span

HEADER = 'policy t.x title "T" source "S" issued 2016-06-01 by "I" subject space: MakerSpace\n'
RULE = 'criterion a cites "x" = '


def body(text: str, limits: Limits | None = None) -> n.Expr:
    """The body of a one-criterion policy whose condition is ``text``."""
    policy = parse(HEADER + RULE + text, limits=limits or Limits())
    rule = policy.statements[0]
    assert isinstance(rule, n.Rule) and rule.kind == "criterion"
    return rule.body


def caret_line(col: int, width: int) -> str:
    """The line a snippet draws under an ASCII fault at ``col`` that is ``width`` wide."""
    return "     | " + " " * (col - 1) + "^" * width


def only(err: PolicyError) -> Any:
    assert len(err.diagnostics) == 1, err.codes
    return err.diagnostics[0]


def nodes_of(tree: object) -> Iterator[Any]:
    """Every AST node (attrs instance other than Span and Label) under ``tree``."""
    stack: list[object] = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(item)
        elif attrs.has(type(item)) and not isinstance(item, Span):
            yield item
            stack.extend(getattr(item, f.name) for f in attrs.fields(type(item)))


# ---------------------------------------------------------------- the AST


def test_a_small_policy() -> None:
    policy = parse(HEADER + RULE + "space.area >= 500 m2\ndecision d = all of (a)")
    assert policy.header == n.Header(
        "t.x", n.Label("T"), n.Label("S"), date(2016, 6, 1),
        n.Label("I"), None, None, "space", "MakerSpace", None, None,
    )
    assert policy.statements == (
        n.Rule("criterion", "a", None, (n.Citation("x"),), (),
               n.Compare(">=", n.Path(("space", "area")), n.QuantityLit(Decimal(500), "m2"))),
        n.Rule("decision", "d", None, (), (),
               n.Combination("all", (n.Branch(None, n.Path(("a",))),))),
    )


TEAMS, THREE = n.Path(("space", "teams")), n.NumberLit(Decimal(3))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("space.teams at least 3", n.Compare(">=", TEAMS, THREE)),
        ("space.teams at most 3", n.Compare("<=", TEAMS, THREE)),
        ("space.teams more than 3", n.Compare(">", TEAMS, THREE)),
        ("space.teams less than 3", n.Compare("<", TEAMS, THREE)),
        ("space.lease_term >= 半年", n.Compare(">=", n.Path(("space", "lease_term")),
                                              n.QuantityLit(Decimal(6), "个月"))),
        ("space.area >= 499.9平方米", n.Compare(">=", n.Path(("space", "area")),
                                              n.QuantityLit(Decimal("499.9"), "平方米"))),
        ("space.teams >= 2/3 of space.mentors",
         n.Compare(">=", n.Path(("space", "teams")),
                   n.Of(n.FractionLit(2, 3), n.Path(("space", "mentors"))))),
        ("not a and b or c",  # not binds tighter than and, and than or
         n.BoolOp("or", (n.BoolOp("and", (n.Not(n.Path(("a",))), n.Path(("b",)))),
                         n.Path(("c",))))),
        ("a or b or c", n.BoolOp("or", (n.Path(("a",)), n.Path(("b",)), n.Path(("c",))))),
        ("space.premises not in {owned}",
         n.Member(n.Path(("space", "premises")), n.SetLit((n.Path(("owned",)),)), negated=True)),
    ],
)
def test_expressions(text: str, expected: n.Expr) -> None:
    assert body(text) == expected


# ---------------------------------------------------------------- layout and spans

COMPACT = (
    'policy t.x title "T" en "Tee" source "S" issued 2016-06-01 by "I" '
    "subject space: MakerSpace judgements from space.operator.assessments "
    'criterion area "面积" cites "第五条(一)" quote "500平方米(含)以上" = space.area >= 500m2 '
    'criterion mix cites "x" from "y" = not ( space.premises == leased implies '
    "space.lease_term >= 3years ) and any of ( a : space.teams > 2 / 3 of space.mentors , "
    "time since space.established_on >= 半年 ) or space.services includes all of "
    '{ ip , finance } and space.name in { "a" , "b\\"c" } or space.premises not in { owned } '
    'or judged "q" en "Q" as k or true or false or space.established_on < 2016-01-01 '
    'or space.teams at least 3 note nt silence cites "c" says "s" en "e" applies "p" '
    "decision d see nt = all of ( area , mix , )"
)

SPREAD = """policy t.x   # a comment after the id
  title "T" en "Tee"
  source "S" issued 2016-06-01 by "I"
  subject space : MakerSpace
  judgements from space . operator . assessments

# 第五条(一)
criterion area "面积"
  cites "第五条(一)" quote "500平方米(含)以上"
  = space.area >= 500 m2

criterion mix cites "x" from "y"
  =   not (space.premises == leased
           implies space.lease_term >= 3 years)
  and any of (
        a: space.teams > 2/3 of space.mentors,   # a named branch
        time since space.established_on >= 半年
      )
  or space.services includes all of {ip, finance}
     and space.name in {"a", "b\\"c"}
  or space.premises not in {owned}
  or judged "q" en "Q" as k
  or true or false
  or space.established_on < 2016-01-01
  or space.teams at least 3
note nt silence cites "c"
  says "s" en "e"
  applies "p"
decision d see nt = all of (area, mix,)   # trailing comma
"""


def test_layout_and_comments_do_not_change_the_tree() -> None:
    assert parse(COMPACT) == parse(SPREAD)
    assert parse(SPREAD.replace("\n", "\r\n")) == parse(COMPACT)


def test_a_different_policy_is_a_different_tree() -> None:
    assert parse(COMPACT) != parse(COMPACT.replace("500m2", "501m2"))
    assert parse(COMPACT) != parse(COMPACT.replace("at least", "more than"))


_SEPARATORS = st.sampled_from([" ", "  ", "\n", "\t", "\r\n", " # 注释 (comment)\n", "\n\n  "])


@given(st.data())
@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
def test_any_layout_parses_to_the_same_tree(data: st.DataObject) -> None:
    # COMPACT has single spaces between tokens and none inside its strings.
    tokens = COMPACT.split(" ")
    text = tokens[0]
    for token in tokens[1:]:
        text += data.draw(_SEPARATORS) + token
    assert parse(text) == parse(COMPACT)


def test_every_span_is_the_text_it_came_from() -> None:
    policy = parse(SPREAD)
    found: dict[str, set[str]] = {}
    for node in nodes_of(policy):
        span = getattr(node, "span", None)
        if span is not None:
            found.setdefault(type(node).__name__, set()).add(" ".join(span.text.split()))
    assert found["Compare"] == {
        "space.area >= 500 m2", "space.premises == leased", "space.lease_term >= 3 years",
        "space.teams > 2/3 of space.mentors", "space.established_on < 2016-01-01",
        "space.teams at least 3",
    }
    assert found["QuantityLit"] == {"500 m2", "3 years", "半年"}
    assert found["Of"] == {"2/3 of space.mentors"}
    assert found["FractionLit"] == {"2/3"}
    assert found["Not"] == {"not (space.premises == leased implies space.lease_term >= 3 years)"}
    assert found["Implies"] == {"space.premises == leased implies space.lease_term >= 3 years"}
    assert found["Since"] == {"time since space.established_on >= 半年"}
    assert found["Includes"] == {"space.services includes all of {ip, finance}"}
    assert found["Member"] == {'space.name in {"a", "b\\"c"}', "space.premises not in {owned}"}
    assert found["SetLit"] == {"{ip, finance}", '{"a", "b\\"c"}', "{owned}"}
    assert found["TextLit"] == {'"a"', '"b\\"c"'}
    assert found["Judged"] == {'judged "q" en "Q" as k'}
    assert found["BoolLit"] == {"true", "false"}
    assert found["DateLit"] == {"2016-01-01"}
    assert found["NumberLit"] == {"3"}
    assert found["Citation"] == {'cites "第五条(一)" quote "500平方米(含)以上"',
                                 'cites "x" from "y"', 'cites "c"'}
    assert found["Branch"] == {
        "a: space.teams > 2/3 of space.mentors",
        "time since space.established_on >= 半年", "area", "mix",
    }
    assert found["Combination"] == {
        "any of ( a: space.teams > 2/3 of space.mentors, # a named branch time since "
        "space.established_on >= 半年 )",
        "all of (area, mix,)",
    }
    assert "decision d see nt = all of (area, mix,)" in found["Rule"]
    assert len(found["Rule"]) == 3  # two criteria and the decision
    assert found["Note"] == {'note nt silence cites "c" says "s" en "e" applies "p"'}
    assert found["Path"] == {
        "space . operator . assessments", "space.area", "space.premises", "leased",
        "space.lease_term", "space.teams", "space.mentors", "space.established_on",
        "space.services", "ip", "finance", "space.name", "owned", "area", "mix",
    }
    header = policy.header
    assert header.span is not None and header.span.text.startswith("policy t.x")
    assert header.span.text.endswith("space . operator . assessments")
    assert header.subject_span is not None
    assert header.subject_span.text == "subject space : MakerSpace"


def test_every_expression_span_reparses_to_the_same_node() -> None:
    policy = parse(SPREAD)
    checked = 0
    for node in nodes_of(policy):
        if isinstance(node, n.Branch | n.Citation | n.Rule | n.Note | n.Ref | n.Header
                      | n.Policy | n.Label):
            continue
        assert node.span is not None, node
        assert body(node.span.text) == node
        checked += 1
    assert checked > 40


def test_line_and_column_in_a_multi_line_policy() -> None:
    policy = parse(SPREAD)
    area, mix, note, decision = policy.statements
    assert isinstance(area, n.Rule) and isinstance(mix, n.Rule)
    assert area.kind == mix.kind == "criterion"
    assert area.span is not None and (area.span.line, area.span.column) == (8, 1)
    assert area.name_span is not None and (area.name_span.line, area.name_span.column) == (8, 11)
    assert area.body.span is not None
    assert (area.body.span.line, area.body.span.column) == (10, 5)
    assert mix.body.span is not None and (mix.body.span.line, mix.body.span.column) == (13, 7)
    since = next(x for x in nodes_of(mix) if isinstance(x, n.Since))
    assert since.span is not None and (since.span.line, since.span.column) == (17, 9)
    half = since.duration
    # 半年 follows `time since space.established_on >= ` on line 17: column 9 + 35.
    assert half.span is not None and (half.span.line, half.span.column) == (17, 44)
    assert note.span is not None and (note.span.line, note.span.column) == (26, 1)
    assert decision.span is not None and decision.span.location() == "<string>:29:1"


def test_the_filename_is_carried_into_spans() -> None:
    policy = parse(HEADER, "policies/x.policy")
    assert policy.span is not None and policy.span.location() == "policies/x.policy:1:1"


# ---------------------------------------------------------------- strings


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ('"plain"', "plain"),
        ('"第五条（一）：全角标点"', "第五条（一）：全角标点"),  # full-width text is fine in quotes
        ('"a\\"b"', 'a"b'),
        ('"a\\\\b"', "a\\b"),
        ('"a\\nb"', "a\nb"),
        ('"\\\\n"', "\\n"),        # an escaped backslash, then the letter n
        ('"\\\\\\""', '\\"'),      # backslash, then quote
        ('""', ""),
        ('"# not a comment"', "# not a comment"),
        ('"(((("', "(((("),        # brackets inside strings are not counted
    ],
)
def test_string_escapes(literal: str, value: str) -> None:
    assert body(f"space.name == {literal}") == n.Compare(
        "==", n.Path(("space", "name")), n.TextLit(value))


@pytest.mark.parametrize("literal", ['"a\\tb"', '"a\nb"', '"open'])
def test_bad_strings(literal: str) -> None:
    with pytest.raises(PolicySyntaxError) as info:
        body(f"space.name == {literal}")
    diag = only(info.value)
    assert diag.code == "PK102"
    assert (diag.line, diag.column) == (2, 39)
    assert diag.hint == ('close the text on the same line; the only escapes are '
                         '`\\"`, `\\\\` and `\\n`')


# ---------------------------------------------------------------- syntax errors


@pytest.mark.parametrize(
    ("label", "example"),
    [(label, example) for label, examples in _EXAMPLES.items() for example in examples],
)
def test_each_catalogued_example_gives_its_message(label: tuple[str, str], example: str) -> None:
    message, hint = label
    with pytest.raises(PolicySyntaxError) as info:
        parse(example)
    diag = only(info.value)
    assert diag.code in ("PK100", "PK101")
    assert message in diag.message
    assert diag.hint == hint
    assert diag.span is not None and diag.span.text.strip()
    assert f"error[{diag.code}]: " in str(info.value)


_OTHER_CONTEXT = (
    'policy p title "T" en "T" source "S" issued 2016-06-01 by "I" subject s: MakerSpace '
    'main d criterion z "z" cites "1" cites "2" = (s.y)\ndecision d = all of (z)\n'
)


@pytest.mark.parametrize(
    ("label", "example"),
    [(label, example) for label, examples in _EXAMPLES.items() for example in examples],
)
def test_each_catalogued_example_matches_in_another_context(label: tuple[str, str],
                                                            example: str) -> None:
    # The same mistake after more header items and statements: the parser's stack is
    # deeper, the mistake the same.
    prefix = "policy p subject s: MakerSpace "
    assert example.startswith(prefix)
    with pytest.raises(PolicySyntaxError) as info:
        parse(_OTHER_CONTEXT + example[len(prefix):])
    diag = only(info.value)
    assert label[0] in diag.message
    assert diag.hint == label[1]


def test_a_catalogued_message_needs_the_same_kind_of_token() -> None:
    # `s.premises = leased` is the catalogued `=` mistake; a name in the same place is not.
    with pytest.raises(PolicySyntaxError) as info:
        parse("policy p subject s: MakerSpace criterion a = s.premises leased")
    diag = only(info.value)
    assert diag.message == "unexpected `leased`"
    assert diag.hint is not None and diag.hint.startswith("expected one of")


def test_the_catalogue_is_not_empty() -> None:
    assert len(_EXAMPLES) >= 4
    assert all(examples for examples in _EXAMPLES.values())


def test_missing_equals_sign() -> None:
    text = HEADER + 'criterion a "面积" space.area >= 500 m2'
    with pytest.raises(PolicySyntaxError) as info:
        parse(text)
    diag = only(info.value)
    assert (diag.code, diag.line, diag.column) == ("PK100", 2, 18)
    assert diag.message == "a criterion needs `=` before its condition"
    assert diag.hint == 'write `criterion NAME "label" cites "article" = CONDITION`'
    rendered = str(info.value)
    assert "<string>:2:18: error[PK100]" in rendered
    # `criterion a "面积" ` is 17 characters, 19 columns in a terminal (面, 积 take two):
    # the caret under `space` is preceded by 19 spaces.
    snippet = '   2 | criterion a "面积" space.area >= 500 m2\n     | ' + " " * 19 + "^^^^^"
    assert snippet in rendered


@pytest.mark.parametrize("fullwidth", sorted(_FULLWIDTH))
def test_full_width_punctuation_gets_the_ascii_hint(fullwidth: str) -> None:
    with pytest.raises(PolicySyntaxError) as info:
        body(f"{fullwidth}space.area")
    diag = only(info.value)
    assert diag.code == "PK102"
    assert diag.message == f"unexpected character `{fullwidth}`"
    assert (diag.line, diag.column) == (2, 25)
    assert diag.hint == (f"write the ASCII `{_FULLWIDTH[fullwidth]}` instead of the "
                         f"full-width `{fullwidth}`")
    assert diag.span.text == fullwidth


def test_full_width_parenthesis_in_context() -> None:
    with pytest.raises(PolicySyntaxError) as info:
        body("space.area >= （500 m2)")
    rendered = str(info.value)
    assert "<string>:2:39: error[PK102]: unexpected character `（`" in rendered
    # A full-width character is two columns wide: two carets under it.
    assert caret_line(39, 2) in rendered.splitlines()
    assert "= hint: write the ASCII `(` instead of the full-width `（`" in rendered


def test_confusable_letters_are_refused() -> None:
    # `аrea` starts with the Cyrillic а (U+0430), not the Latin a.
    with pytest.raises(PolicySyntaxError) as info:
        body("space.\u0430rea >= 1 m2")
    diag = only(info.value)
    assert (diag.code, diag.column) == ("PK102", 31)
    assert diag.hint == "names are ASCII letters, digits and `_`; Chinese text goes inside quotes"


def test_end_of_input() -> None:
    with pytest.raises(PolicySyntaxError) as info:
        body("space.area >=   # to be continued\n\n")
    diag = only(info.value)
    assert diag.code == "PK101"
    assert diag.message.startswith("the policy ends in the middle of a statement")
    # The caret goes under the last token, `>=`, not under the comment.
    assert (diag.line, diag.column) == (2, 36)
    assert diag.span.text == ">="
    assert caret_line(36, 2) in str(info.value).splitlines()
    assert diag.hint == "complete it, e.g. `space.area >= 500 m2`"


def test_end_of_input_without_a_catalogued_example() -> None:
    with pytest.raises(PolicySyntaxError) as info:
        body("(space.area >= 1 m2")
    diag = only(info.value)
    assert diag.code == "PK101"
    assert diag.message == "the policy ends in the middle of a statement"
    assert diag.hint == "expected `)`"


@pytest.mark.parametrize("text", ["", "   \n", "# nothing but a comment\n"])
def test_an_empty_policy(text: str) -> None:
    with pytest.raises(PolicySyntaxError) as info:
        parse(text)
    diag = only(info.value)
    assert diag.code == "PK101"
    assert diag.hint == "expected `policy`"


def test_keywords_are_not_names() -> None:
    with pytest.raises(PolicySyntaxError) as info:
        body("space.area >= and")
    assert only(info.value).code == "PK100"
    with pytest.raises(PolicySyntaxError) as info:
        parse(HEADER + 'criterion of cites "x" = space.area >= 1 m2')
    diag = only(info.value)
    assert (diag.code, diag.span.text) == ("PK100", "of")


def test_an_invalid_date() -> None:
    with pytest.raises(PolicySyntaxError) as info:
        body("space.established_on >= 2016-02-30")
    diag = only(info.value)
    assert diag.code == "PK104"
    assert diag.message == "`2016-02-30` is not a date on the calendar"
    assert (diag.line, diag.column, diag.span.text) == (2, 49, "2016-02-30")
    assert caret_line(49, 10) in str(info.value).splitlines()
    assert diag.hint == "write a real date as YYYY-MM-DD, e.g. 2016-06-01"


def test_an_invalid_date_in_the_header() -> None:
    with pytest.raises(PolicySyntaxError) as info:
        parse(HEADER.replace("2016-06-01", "2016-13-01"))
    diag = only(info.value)
    assert (diag.code, diag.line, diag.column) == ("PK104", 1, 40)


def test_an_exponent() -> None:
    with pytest.raises(PolicySyntaxError) as info:
        body("space.area >= 1e999999999 m2")
    diag = only(info.value)
    assert diag.code == "PK105"
    assert diag.message == "numbers are written out in full, without an exponent"
    assert (diag.line, diag.column, diag.span.text) == (2, 40, "e999999999")
    assert caret_line(40, 10) in str(info.value).splitlines()
    assert diag.hint == "write the number in digits (at most 30 of them), e.g. 100万元"


def test_thirty_digits_are_a_number_and_thirty_one_are_not() -> None:
    assert body("space.teams >= " + "9" * 30) == n.Compare(
        ">=", n.Path(("space", "teams")), n.NumberLit(Decimal(10**30 - 1)))
    for text in ("space.teams >= " + "1" * 31, "space.area >= " + "1" * 31 + " m2",
                 "space.teams >= 1/" + "1" * 31, "space.area >= 0." + "1" * 31 + " m2"):
        with pytest.raises(PolicySyntaxError) as info:
            body(text)
        diag = only(info.value)  # one problem, one diagnostic
        assert diag.code == "PK105"
        assert "has more than 30 digits" in diag.message


def test_a_power_operator_does_not_exist() -> None:
    with pytest.raises(PolicySyntaxError) as info:
        body("space.teams >= 10**10**10")
    assert only(info.value).code == "PK102"


def test_a_fraction_over_zero() -> None:
    with pytest.raises(PolicySyntaxError) as info:
        body("space.teams >= 1/0 of space.mentors")
    diag = only(info.value)
    assert (diag.code, diag.span.text) == ("PK106", "1/0")


# ---------------------------------------------------------------- invisible characters


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b"])
@pytest.mark.parametrize(
    "where",
    [
        "space.area{c} >= 1 m2",                 # in the code
        "space.area >= 1 m2  # a comment{c}",    # in a comment
        'space.name == "text{c}"',              # in a string
    ],
)
def test_bidi_and_zero_width_characters_are_refused_anywhere(char: str, where: str) -> None:
    text = HEADER + RULE + where.format(c=char)
    with pytest.raises(PolicySyntaxError) as info:
        parse(text)
    diag = only(info.value)
    assert diag.code == "PK103"
    assert f"(U+{ord(char):04X}) is not allowed in a policy" in diag.message
    assert diag.span.start == text.index(char) and diag.span.text == char
    assert diag.line == 2
    assert diag.hint == ("delete it: invisible and direction-changing characters can hide "
                         "what a rule says")


def test_every_invisible_character_is_reported_at_once() -> None:
    text = HEADER + "\u202e" + RULE + "space.area\u2066 >= 1 m2 # \u200b"
    with pytest.raises(PolicySyntaxError) as info:
        parse(text)
    assert info.value.codes == ("PK103", "PK103", "PK103")
    # \u202e at column 1; `criterion a cites "x" = space.area` is columns 2-35;
    # then \u2066 at 36, ` >= 1 m2 # ` at 37-47 and \u200b at 48.
    assert [d.column for d in info.value.diagnostics] == [1, 36, 48]


def test_nul_and_lone_surrogates() -> None:
    with pytest.raises(PolicySyntaxError) as info:
        parse(HEADER + "\x00")
    assert only(info.value).code == "PK103"
    with pytest.raises(PolicySyntaxError) as info:
        parse(HEADER + RULE + 'space.name == "\ud800"')
    diag = only(info.value)
    assert (diag.code, diag.line, diag.column) == ("PK107", 2, 40)


# ---------------------------------------------------------------- limits (hazards.md)


def not_chain(count: int) -> str:
    return "not " * count + "space.ready_to_move_in"


def test_a_thousand_nested_parentheses() -> None:
    with pytest.raises(PolicyLimitError) as info:
        body("(" * 1000 + "space.ready_to_move_in" + ")" * 1000)
    diag = only(info.value)
    assert diag.code == "PK111"
    assert "64" in diag.message
    # The 65th bracket is the one over the limit: column 25 + 64.
    assert (diag.line, diag.column) == (2, 89)


def test_a_thousand_nested_nots() -> None:
    with pytest.raises(PolicyLimitError) as info:
        body(not_chain(1000))
    diag = only(info.value)
    assert diag.code == "PK111"
    assert diag.message == "expressions are nested more than 64 deep"
    assert diag.hint == "name the inner parts as criteria and refer to them by name"


def test_ten_thousand_chained_ors() -> None:
    with pytest.raises(PolicyLimitError) as info:
        body(" or ".join(["space.ready_to_move_in"] * 10_000))
    diag = only(info.value)
    assert diag.code == "PK112"
    assert diag.message == "one chain has 10000 parts, over the limit of 1000"
    assert (diag.line, diag.column) == (2, 25)


@pytest.mark.parametrize("unit", ["(", "not ", "{", "all of (", '"'])
def test_64_kib_of_one_thing_is_a_policy_error(unit: str) -> None:
    text = unit * (65_536 // len(unit))
    with pytest.raises(PolicyError):
        parse(text)
    with pytest.raises(PolicyError):
        parse(HEADER + RULE + text)


def test_depth_at_and_over_the_limit() -> None:
    limits = Limits(max_depth=5)
    # Five brackets, five `not`s, five nested `any of`: accepted. Six: refused.
    body("(" * 5 + "space.ready_to_move_in" + ")" * 5, limits)
    body(not_chain(5), limits)
    body("any of (" * 5 + "space.ready_to_move_in" + ")" * 5, limits)
    # Four `not`s over a comparison: 5 deep.
    body("not " * 4 + "space.area >= 1 m2", limits)
    for text, message in [
        ("(" * 6 + "space.ready_to_move_in" + ")" * 6, "brackets are nested more than 5 deep"),
        (not_chain(6), "expressions are nested more than 5 deep"),
        ("not " * 5 + "space.area >= 1 m2", "expressions are nested more than 5 deep"),
        ("any of (" * 6 + "space.ready_to_move_in" + ")" * 6,
         "brackets are nested more than 5 deep"),
    ]:
        with pytest.raises(PolicyLimitError) as info:
            body(text, limits)
        diag = only(info.value)
        assert (diag.code, diag.message) == ("PK111", message)


def test_chain_at_and_over_the_limit() -> None:
    limits = Limits(max_chain=3)
    body("a or b or c", limits)
    body("a and b and c", limits)
    body("all of (a, b, c)", limits)
    for text in ("a or b or c or d", "a and b and c and d", "all of (a, b, c, d)",
                 "any of (w: a, x: b, y: c, z: d,)"):
        with pytest.raises(PolicyLimitError) as info:
            body(text, limits)
        diag = only(info.value)
        assert (diag.code, diag.message) == ("PK112", "one chain has 4 parts, over the limit of 3")


def test_bytes_at_and_over_the_limit() -> None:
    text = HEADER + RULE + 'space.name == "湖南"'   # 湖 and 南 are 3 bytes each in UTF-8
    size = len(text.encode("utf-8"))
    assert size == len(text) + 4
    parse(text, limits=Limits(max_bytes=size))
    with pytest.raises(PolicyLimitError) as info:
        parse(text, limits=Limits(max_bytes=size - 1))
    diag = only(info.value)
    assert diag.code == "PK110"
    assert diag.message == f"the policy is {size} bytes, over the limit of {size - 1}"
    assert diag.hint == "split it, or raise Limits.max_bytes if this is a trusted policy"


def test_strings_at_and_over_the_limit() -> None:
    limits = Limits(max_string=5)
    # Characters, not bytes; an escape is one character.
    for literal in ('"12345"', '"中文字符五"', '"a\\"b\\"c"'):
        body(f"space.name == {literal}", limits)
    for literal in ('"123456"', '"中文字符五六"', '"a\\"b\\"cd"'):
        with pytest.raises(PolicyLimitError) as info:
            body(f"space.name == {literal}", limits)
        diag = only(info.value)
        assert diag.code == "PK113"
        assert diag.message == "a string is longer than 5 characters"
        assert diag.span.text == literal
    # The header's strings are counted too.
    with pytest.raises(PolicyLimitError) as info:
        parse(HEADER.replace('"T"', '"TTTTTT"'), limits=limits)
    assert only(info.value).code == "PK113"


def test_node_limit() -> None:
    text = HEADER + RULE + " or ".join(["space.ready_to_move_in"] * 50)
    parse(text)
    with pytest.raises(PolicyLimitError) as info:
        parse(text, limits=Limits(max_nodes=100))
    diag = only(info.value)
    assert (diag.code, diag.message) == ("PK112", "the policy has more than 100 parts")


# ---------------------------------------------------------------- properties

_VOCABULARY = [
    "policy", "t.x", "title", '"T"', "source", "issued", "2016-06-01", "by", "subject",
    "space", ":", "MakerSpace", "criterion", "decision", "note", "a", "b", "cites", '"x"',
    "quote", "=", "==", ">=", "<", "space.area", "space.teams", "500 m2", "半年", "3",
    "1.5", "2/3", "of", "and", "or", "not", "implies", "in", "includes", "all", "any",
    "(", ")", "{", "}", ",", "time", "since", "judged", "as", "true", "false", "at",
    "least", "#", "\n", "（", "1e5", "2016-02-30", "\u202e", "_x", "see", "says", "silence",
]


def assert_spans_in_bounds(err: PolicyError, text: str) -> None:
    for diag in err.diagnostics:
        if diag.span is not None:
            assert 0 <= diag.span.start <= diag.span.end <= len(text)
            assert diag.line is not None and diag.line >= 1
            assert diag.column is not None and diag.column >= 1
    assert str(err)  # renders without failing


def parse_anything(text: str) -> None:
    try:
        policy = parse(text)
    except PolicyError as err:
        assert_spans_in_bounds(err, text)
        return
    for node in nodes_of(policy):  # pragma: no cover - random text rarely parses
        span = getattr(node, "span", None)
        assert span is None or 0 <= span.start <= span.end <= len(text)


@given(st.text())
@settings(max_examples=300)
def test_arbitrary_text_raises_only_policy_error(text: str) -> None:
    parse_anything(text)


# st.text() leaves out lone surrogates: mix them in, with NUL and the characters that
# open strings, comments and brackets.
_HOSTILE_CHARS = st.one_of(
    st.characters(),
    st.integers(0xD800, 0xDFFF).map(chr),
    st.sampled_from(["\x00", "(", "{", '"', "#", "\n", "\u202e", "\ufeff", "（"]),
)


@given(st.text(_HOSTILE_CHARS))
@settings(max_examples=300)
def test_text_with_surrogates_and_nul_raises_only_policy_error(text: str) -> None:
    parse_anything(text)
    parse_anything(HEADER + RULE + text)


@given(st.lists(st.sampled_from(_VOCABULARY), max_size=40), st.booleans())
@settings(max_examples=300)
def test_token_soup_raises_only_policy_error(words: list[str], with_header: bool) -> None:
    text = (HEADER + RULE if with_header else "") + " ".join(words)
    try:
        policy = parse(text)
    except PolicyError as err:
        assert_spans_in_bounds(err, text)
        return
    for node in nodes_of(policy):
        span = getattr(node, "span", None)
        if span is not None:
            assert 0 <= span.start <= span.end <= len(text)
            assert span.text == text[span.start:span.end]


@given(st.binary(max_size=200))
def test_arbitrary_bytes_decoded_leniently_raise_only_policy_error(raw: bytes) -> None:
    text = raw.decode("utf-8", "surrogateescape")  # lone surrogates for invalid bytes
    try:
        parse(text)
    except PolicyError as err:
        assert_spans_in_bounds(err, text)


def test_a_policy_error_never_comes_from_python_internals() -> None:
    # A Lark tree never escapes the parser: the AST holds only our nodes.
    policy = parse(SPREAD)
    kinds = {type(x).__module__ for x in nodes_of(policy)}
    assert kinds == {"policykit.nodes"}
    assert not re.search(r"\blark\b", repr(policy))


def test_the_depth_limit_cannot_be_raised_past_what_the_stack_allows() -> None:
    # The parse, check and compile stages recurse once per level; 200 stays far below
    # Python's default recursion limit of 1000, so no setting can reach a RecursionError.
    with pytest.raises(ValueError, match="200"):
        Limits(max_depth=201)
    Limits(max_depth=200)
