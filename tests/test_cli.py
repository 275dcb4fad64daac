"""The ``policykit`` command: outputs and exit statuses (0 result, 1 input error, 2 usage)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import policykit
from policykit.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "policies" / "hunan" / "recognition.example.yaml"


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_eval_bundled_example_in_chinese() -> None:
    # The example has 480 m2: short of 500 m2 by 20 m2 (第五条(一)).
    code, out, _ = run("eval", "hunan.recognition", "example", "--as-of", "2016-09-01")
    assert code == 0
    assert "结论：不符合条件" in out
    assert "场地面积 480 平方米，要求 500 平方米(含)以上，差 20 平方米" in out
    assert "第五条(一)「众创空间面积在500平方米(含)以上」" in out


def test_eval_record_file_in_english_as_json() -> None:
    code, out, _ = run("eval", "hunan.recognition", str(EXAMPLE), "--as-of", "2016-09-01",
                       "--lang", "en", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["outcome"] == "ineligible"
    assert data["policy"] == "hunan.recognition"


def test_eval_a_named_rule_from_stdin() -> None:
    code, out, _ = run("eval", "hunan.recognition", "-", "--as-of", "2016-09-01",
                       "--rule", "area", "--lang", "en", stdin='{"area": "500 m2"}')
    assert code == 0
    assert "Outcome: met" in out


def test_eval_a_policy_file_by_path() -> None:
    policy = ROOT / "policies" / "hunan" / "recognition.policy"
    code, out, _ = run("eval", str(policy), "-", "--as-of", "2016-09-01", "--rule", "teams",
                       stdin="teams: 9\n")
    assert code == 0
    assert "差 1" in out  # 9 teams, 10 required


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (("eval", "hunan.recognitoin", "-", "--as-of", "2016-09-01"), "{}",
         "did you mean 'hunan.recognition'"),
        (("eval", "hunan.recognition", "-", "--as-of", "2016-09-01"), '{"area": "big"}',
         "space.area: expected an area"),
        (("eval", "hunan.recognition", "-", "--as-of", "2016-09-01"), "a: [1, *x]",
         "<stdin>: line 1, column 8: aliases"),
        (("eval", "hunan.recognition", "/nonexistent.yaml", "--as-of", "2016-09-01"), "",
         "cannot read"),
        (("eval", "hunan.recognition", "-", "--as-of", "2016-09-01", "--rule", "nope"), "{}",
         "has no rule 'nope'"),
    ],
)
def test_input_errors_exit_1(argv: tuple[str, ...], stdin: str, message: str) -> None:
    code, _, err = run(*argv, stdin=stdin)
    assert code == 1
    assert message in err


@pytest.mark.parametrize(
    "argv",
    [
        ("eval", "hunan.recognition", "example"),  # --as-of is required
        ("eval", "hunan.recognition", "example", "--as-of", "2016-02-30"),
        ("eval", "hunan.recognition", "example", "--as-of", "2016-09-01", "--lang", "fr"),
        ("frobnicate",),
        (),
    ],
)
def test_usage_errors_exit_2(argv: tuple[str, ...]) -> None:
    code, _, _ = run(*argv)
    assert code == 2


def test_check_reports_every_error_with_caret_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.policy"
    bad.write_text(
        'policy t.x title "T" source "S" issued 2016-06-01 by "I" subject space: MakerSpace\n'
        'criterion a cites "一" = space.aera >= 500 m2\n'
        'criterion b cites "二" = space.seed_fnd >= 100万元\n',
        encoding="utf-8",
    )
    code, out, err = run("check", str(bad))
    assert code == 1
    assert out == ""
    assert f"{bad}:2:25: error[PK201]" in err
    assert "did you mean `area`?" in err
    assert f"{bad}:3:25: error[PK201]" in err
    assert "did you mean `seed_fund`?" in err
    assert "^^^^^^^^^^" in err


def test_check_a_good_policy_exits_0() -> None:
    code, out, _ = run("check", str(ROOT / "policies" / "hunan" / "recognition.policy"))
    assert code == 0
    assert out.startswith("ok: ")


def test_test_runs_the_bundled_policy_tests() -> None:
    code, out, _ = run("test")
    assert code == 0
    assert out.rstrip().endswith("0 failed")


def test_test_reports_a_failing_case_and_exits_1(tmp_path: Path) -> None:
    policy = ROOT / "policies" / "hunan" / "recognition.policy"
    suite = tmp_path / "x.tests.yaml"
    suite.write_text(
        f"policy: {policy}\n"
        "cases:\n"
        "  - name: wrong on purpose\n"
        "    as_of: 2016-09-01\n"
        "    record: {area: 499 m2}\n"
        "    rule: area\n"
        "    expect: {outcome: met}\n",
        encoding="utf-8",
    )
    code, out, _ = run("test", str(suite))
    assert code == 1
    assert "FAIL" in out
    assert "expected 'met', got 'not_met'" in out
    assert out.rstrip().endswith("0 passed, 1 failed")


def test_list_prints_ids_and_titles_in_both_languages() -> None:
    code, out, _ = run("list")
    assert code == 0
    assert "hunan.recognition\t湖南省众创空间认定条件\tHunan maker-space recognition" in out


def test_eval_before_the_policy_is_in_force_warns_on_stderr_and_answers() -> None:
    # hunan.recognition is in force from 2016-06-01 (its header); asked on 2016-05-31
    # it still answers by its text, and says so first (issue 11 item 13).
    code, out, err = run("eval", "hunan.recognition", "example", "--as-of", "2016-05-31")
    assert code == 0
    assert err.startswith("warning: 本政策自 2016-06-01 起施行")
    assert out.startswith("注意：本政策自 2016-06-01 起施行，评估日 2016-05-31 尚未施行")
    assert "结论：不符合条件" in out
    code, out, err = run("eval", "hunan.recognition", "example", "--as-of", "2016-06-01",
                         "--format", "json")
    assert (code, err, json.loads(out)["warnings"]) == (0, "", [])


def test_eval_with_articles_prints_the_articles_cited() -> None:
    # The example fails 第五条(一) (480 m2 < 500 m2); --articles adds 第五条 as published.
    code, out, _ = run("eval", "hunan.recognition", "example", "--as-of", "2016-09-01",
                       "--articles")
    assert code == 0
    assert "所引条文原文：" in out
    assert "第五条 申请认定湖南省众创空间的单位,应同时具备以下条件:" in out


def test_test_counts_a_bundled_policy_that_does_not_load_as_a_failure(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # While a bundled policy is being edited it may not load: `policykit test` reports
    # it and fails (it used to end in "internal error").
    from policykit import cli  # noqa: PLC0415

    real = cli.bundled

    def bundled(pid: str) -> object:
        if pid == "qinzhou.targets_2020":
            policykit.loads("policy broken")
        return real(pid)

    monkeypatch.setattr(cli, "bundled", bundled)
    code, out, err = run("test")
    assert code == 1
    assert "error[PK502]" in err and "internal error" not in err
    last = out.splitlines()[-1]
    assert last.startswith("policy tests:") and not last.endswith(" 0 failed")
