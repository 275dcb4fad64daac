"""The public surface of ../shared/spec/api.md: names, bundled ids, versions by date."""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path

import pytest

import policykit
from policykit.api import _files_by_id


def test_public_names() -> None:
    # The contract of spec/api.md, plus the error subclasses it names.
    expected = {
        "load", "loads", "bundled", "bundled_ids", "Policy", "Result", "PolicyError",
        "RecordError", "PolicySyntaxError", "PolicyNameError", "PolicyTypeError",
        "PolicyUnitError", "PolicyLimitError", "NotInForce", "UnknownPolicy", "Limits",
        "RuleInfo", "Failure", "Caveat", "records", "__version__",
    }
    assert set(policykit.__all__) == expected
    for name in expected:
        assert hasattr(policykit, name), name


def test_error_hierarchy() -> None:
    for sub in (policykit.PolicySyntaxError, policykit.PolicyNameError,
                policykit.PolicyTypeError, policykit.PolicyUnitError,
                policykit.PolicyLimitError):
        assert issubclass(sub, policykit.PolicyError)


def test_bundled_ids_include_hunan_recognition() -> None:
    assert "hunan.recognition" in policykit.bundled_ids()


def test_unknown_bundled_id_suggests_the_nearest() -> None:
    hint = re.escape("did you mean 'hunan.recognition'")
    with pytest.raises(policykit.UnknownPolicy, match=hint):
        policykit.bundled("hunan.recogniton")


def test_version_in_force_by_date() -> None:
    # 湖南省促进众创空间发展与管理办法(试行) is dated 2016-06-01.
    assert policykit.bundled("hunan.recognition", on=date(2017, 1, 1)).id == "hunan.recognition"
    with pytest.raises(policykit.NotInForce, match="took effect on 2016-06-01") as err:
        policykit.bundled("hunan.recognition", on=date(2016, 5, 31))
    assert err.value.effective_from == date(2016, 6, 1)


def test_catalog_metadata_of_a_rule() -> None:
    rules = {r.name: r for r in policykit.bundled("hunan.recognition").rules()}
    area = rules["area"]
    assert area.kind == "criterion"
    assert area.reads == ("space.area",)
    assert area.citations[0].article == "第五条(一)"
    assert area.outcomes == ("met", "not_met", "unknown", "awaiting_judgement")
    assert rules["recognised"].outcomes == ("eligible", "ineligible", "undetermined")
    assert rules["staff_competence"].judgements == ("staff_competence",)
    assert rules["services_judged"].notes == ("listed_with_deng",)


def test_load_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "p.policy"
    path.write_text(
        'policy t.x title "T" source "S" issued 2016-06-01 by "I" subject space: MakerSpace\n'
        'criterion a cites "一" = space.area >= 500 m2\n', encoding="utf-8")
    policy = policykit.load(path)
    assert policy.id == "t.x"
    assert policy.evaluate({"area": 500}, as_of=date(2016, 9, 1)).outcome == "met"


def test_load_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "p.policy"
    path.write_bytes(b"policy t.x title \xff")
    with pytest.raises(policykit.PolicyError, match="PK107"):
        policykit.load(path)


def test_loading_never_runs_python_from_the_policy() -> None:
    # A string that would run code if spliced into Python source is only text.
    text = ('policy t.x title "T" source "S" issued 2016-06-01 by "I" subject space: MakerSpace\n'
            'criterion a cites "一" = space.name == "x\\" + __import__(\\"os\\").system(\\"id\\")'
            ' + \\""\n')
    policy = policykit.loads(text)
    assert policy.evaluate({"name": "y"}, as_of=date(2016, 9, 1)).outcome == "not_met"


def test_evaluate_many_streams_results_in_order() -> None:
    recognition = policykit.bundled("hunan.recognition")
    records = ({"area": f"{500 + delta} m2"} for delta in (-1, 0, 1))
    # 499 < 500 fails; 500 and 501 meet 500平方米(含)以上.
    outcomes = [r.outcome for r in recognition.evaluate_many(records, as_of=date(2016, 9, 1),
                                                            rule="area")]
    assert outcomes == ["not_met", "met", "met"]


def test_an_undated_instrument_says_its_date_is_only_a_lower_bound() -> None:
    # `issued not before DATE`: the text gives no date; explanations must not present
    # the lower bound as the date of issue.
    text = ('policy t.x title "T" source "方案" issued not before 2015-08-25 by "市"\n'
            'subject space: MakerSpace\ncriterion a cites "一" = space.area >= 500 m2\n')
    policy = policykit.loads(text)
    assert policy.info.issued == date(2015, 8, 25)
    assert policy.info.issued_exact is False
    result = policy.evaluate({"area": "500 m2"}, as_of=date(2016, 1, 1))
    assert "原文未载明发布日期，不早于 2015-08-25" in result.explain("zh")
    assert "date of issue not stated; not before 2015-08-25" in result.explain("en")
    assert result.to_dict()["issued_exact"] is False
    dated = policykit.bundled("hunan.recognition")
    assert dated.info.issued_exact is True


def test_every_bundled_file_holds_the_id_its_path_names() -> None:
    # bundled(id) reads only the files named after the id (hunan/recognition.policy is
    # hunan.recognition), so a header that says another id would be unreachable.
    for policy_id, files in _files_by_id().items():
        for file in files:
            header_id = policykit.loads(file.read_text("utf-8")).id
            assert header_id == policy_id, file


# ---------------------------------------------------------------- issue 12: type holes

TINY = ('policy t.x title "T" source "S" issued 2016-06-01 by "I" subject space: MakerSpace\n'
        'criterion a cites "一" = space.area >= 500 m2\n')


def test_as_of_must_be_a_date_not_a_datetime() -> None:
    # datetime is a subclass of date: it used to pass the check and crash later.
    policy = policykit.loads(TINY)
    message = "as_of must be a datetime.date, not datetime"
    with pytest.raises(TypeError, match=re.escape(message)):
        policy.evaluate({"area": 500}, as_of=datetime(2016, 9, 1, 8, 0))
    with pytest.raises(TypeError, match=re.escape(message)):
        policy.evaluate_many([{"area": 500}], as_of=datetime(2016, 9, 1))  # at the call
    with pytest.raises(TypeError, match=re.escape("as_of must be a datetime.date, not str")):
        policy.evaluate({"area": 500}, as_of="2016-09-01")  # type: ignore[arg-type]
    assert policy.evaluate({"area": 500}, as_of=date(2016, 9, 1)).outcome == "met"


def test_evaluate_many_checks_its_arguments_at_the_call() -> None:
    policy = policykit.loads(TINY)
    with pytest.raises(KeyError, match="no rule 'b'"):
        policy.evaluate_many([], as_of=date(2016, 9, 1), rule="b")


def test_loads_takes_utf8_bytes() -> None:
    policy = policykit.loads(TINY.encode("utf-8"))
    assert policy.id == "t.x"
    assert policy.evaluate({"area": 500}, as_of=date(2016, 9, 1)).outcome == "met"


def test_loads_refuses_bytes_that_are_not_utf8() -> None:
    with pytest.raises(policykit.PolicyError, match="PK107") as info:
        policykit.loads(TINY.encode("utf-8") + b"\xff", "p.policy")
    assert info.value.codes == ("PK107",)
    assert "p.policy" in str(info.value)


@pytest.mark.parametrize(("value", "name"), [
    (None, "NoneType"), (3, "int"), (bytearray(b"x"), "bytearray"),
    (Path("p.policy"), type(Path("p.policy")).__name__),
])
def test_loads_refuses_what_is_not_text_naming_its_type(value: object, name: str) -> None:
    with pytest.raises(TypeError, match=f"not {name}") as info:
        policykit.loads(value)  # type: ignore[arg-type]
    if isinstance(value, Path):
        assert "policykit.load()" in str(info.value)


def test_load_of_a_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    # The name decodes to a lone surrogate (\udcff); an error must still print.
    path = Path(os.fsdecode(bytes(tmp_path) + b"/p\xff.policy"))
    path.write_bytes(TINY.encode("utf-8").replace(b">= 500", b">= nope"))
    with pytest.raises(policykit.PolicyError) as info:
        policykit.load(path)
    str(info.value).encode("utf-8")
    assert "p\\udcff.policy" in str(info.value)


@pytest.mark.parametrize("path", ["a\x00b.policy", "\ud800.policy"])
def test_load_of_a_path_that_cannot_be_a_file_is_pk502(path: str) -> None:
    with pytest.raises(policykit.PolicyError) as info:
        policykit.load(path)
    assert info.value.codes == ("PK502",)
    shown = str(info.value)
    shown.encode("utf-8")  # printable: no NUL, no lone surrogate
    assert "\x00" not in shown
    assert "cannot read the policy file" in shown


def test_load_reads_no_more_than_the_limit_allows() -> None:
    # /dev/zero never ends: the file is read up to the limit and refused (it used to be
    # read whole, so `policykit check /dev/zero` never returned).
    with pytest.raises(policykit.PolicyLimitError) as caught:
        policykit.load("/dev/zero", limits=policykit.Limits(max_bytes=1000))
    (diag,) = caught.value.diagnostics
    assert (diag.code, diag.message) == ("PK110", "the policy is more than 1000 bytes, the limit")


def test_a_policy_file_in_gbk_is_named_as_such(tmp_path: Path) -> None:
    file = tmp_path / "gbk.policy"
    file.write_bytes('policy t.x title "众创空间" source "办法" issued 2016-06-01 by "厅"\n'
                     .encode("gbk"))
    with pytest.raises(policykit.PolicyError) as caught:
        policykit.load(file)
    (diag,) = caught.value.diagnostics
    assert diag.code == "PK107"
    assert diag.message.endswith("is not valid UTF-8 (it looks like GBK)")
    assert diag.hint == "save the file as UTF-8"


def test_a_target_with_a_due_date_lists_not_yet_due_among_its_outcomes() -> None:
    info = {r.name: r for r in policykit.bundled("qinzhou.targets_2020").rules()}
    assert info["jobs"].outcomes == ("met", "not_met", "undetermined", "not_yet_due")
    # A rule without a due date keeps the words of its kind.
    hunan = {r.name: r for r in policykit.bundled("hunan.recognition").rules()}
    assert hunan["area"].outcomes == ("met", "not_met", "unknown", "awaiting_judgement")
