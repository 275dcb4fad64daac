"""The continuous checks of issue 12 (``checks/``), each run briefly, and each shown able
to fail: a fault is injected (a loader that crashes, an evaluator that drops its
failures or answers MET whatever the tree says, a child whose output depends on the hash
seed, an explanation that doubles with each level) and the check must report it with a
reproducer.
"""

from __future__ import annotations

import io
import json
import re
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import policykit
from checks import Failure, Outcome, Recorder, cost, determinism, differential, fuzz, hostile
from checks import run as runner
from checks.reduce import reduce_text
from policykit.errors import RecordError, RecordProblem
from policykit.evaluator import Result
from policykit.records import MakerSpace, Organization
from policykit.trace import Truth

AS_OF = date(2016, 9, 1)

# ---------------------------------------------------------------- the harness


def test_an_outcome_prints_its_counts() -> None:
    outcome = Outcome("fuzz-parser", inputs=48213, seconds=120.44)
    assert outcome.line() == "fuzz-parser: 48213 inputs, 0 failures (120.4 s)"
    recorder = Recorder(outcome)
    assert recorder.fail("KeyError at x.py:1", "policykit.loads('x')")
    assert not recorder.fail("KeyError at x.py:1", "policykit.loads('y')")  # the same fault
    assert outcome.line() == "fuzz-parser: 48213 inputs, 2 failures (120.4 s) [1 distinct]"
    assert [f.reproducer for f in outcome.failures] == ["policykit.loads('x')"]
    assert not outcome.ok


def _fake_check(name: str, failures: int) -> Any:
    def check(_args: Any) -> Outcome:
        outcome = Outcome(name, inputs=10)
        for i in range(failures):
            outcome.failures.append(Failure(name, f"fault {i}", f"reproduce {i}"))
            outcome.failing_inputs += 1
        return outcome
    return check


def test_the_runner_exits_1_and_prints_at_most_20_reproducers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "CHECKS", {"good": _fake_check("good", 0),
                                           "bad": _fake_check("bad", 25)})
    out = io.StringIO()
    assert runner.main([], out) == 1
    text = out.getvalue()
    assert "good: 10 inputs, 0 failures" in text
    assert "bad: 10 inputs, 25 failures" in text
    assert "reproduce 19" in text and "reproduce 20" not in text
    assert "checks: FAILED (bad)" in text


def test_the_runner_exits_0_when_every_check_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "CHECKS", {"good": _fake_check("good", 0)})
    out = io.StringIO()
    assert runner.main(["--quick"], out) == 0
    assert out.getvalue().endswith("checks: all 1 passed in 0 s\n")
    assert runner.main(["--only", "nonsense"], io.StringIO()) == 2


def test_the_reducer_keeps_what_makes_it_fail() -> None:
    text = "\n".join(f"line {i}" for i in range(200)) + "\nBOOM here\n"
    small = reduce_text(text, lambda t: "BOOM" in t, seconds=5)
    assert small == "BOOM"


# ---------------------------------------------------------------- 1. fuzz-parser


def test_fuzz_runs_clean_on_the_library() -> None:
    outcome = fuzz.run(10, max_inputs=40, derandomize=True)
    assert outcome.inputs == 40
    assert outcome.failures == [], "\n".join(f.render() for f in outcome.failures)


def test_fuzz_reports_a_loader_that_crashes_with_a_reduced_reproducer() -> None:
    def broken(text: str) -> policykit.Policy:
        if "criterion" in text:
            raise KeyError("boom")
        return policykit.loads(text)

    outcome = fuzz.run(10, max_inputs=10, derandomize=True, loads=broken, reduce_seconds=5)
    assert outcome.failing_inputs >= 1
    (failure,) = outcome.failures
    assert failure.summary.startswith("KeyError at test_checks.py")
    # Reduced to the one word that makes it fail.
    assert "TEXT = 'criterion'" in failure.reproducer


def test_a_bundled_policy_is_accepted_and_garbage_refused() -> None:
    (seed,) = [s for s in fuzz.corpus() if s.name == "shanghai/filing.policy"]
    assert fuzz.try_policy(seed.text, seed.record, seed.as_of) == "accepted"
    assert fuzz.try_policy(seed.text[:-200] + "((((", seed.record, seed.as_of) == "refused"
    unknown = seed.text + '\ncriterion zz cites "一" = no_such_rule\n'
    assert fuzz.try_policy(unknown, seed.record, seed.as_of) == "refused by the checker"
    invalid_utf8 = b"policy \xff".decode("utf-8", "surrogateescape")
    assert fuzz.try_policy(invalid_utf8, {}, AS_OF, as_file=True) == "refused"


def test_fuzz_finds_floats_in_data() -> None:
    assert fuzz.find_float({"a": [1, {"b": 0.5}]}) == "$.a[1].b"
    assert fuzz.find_float({"a": [1, "0.5", Decimal("0.5")]}) is None


# ---------------------------------------------------------------- 2. hostile-records


def test_hostile_records_run_clean_on_the_library() -> None:
    outcome = hostile.run(400, seconds=30)
    assert outcome.inputs == 400
    assert outcome.failures == [], "\n".join(f.render() for f in outcome.failures)
    assert "refused with a RecordError" in outcome.details


def test_hostile_records_report_an_evaluator_that_crashes() -> None:
    def broken(record: Any, *, as_of: date, rule: str | None = None) -> Result:
        raise ZeroDivisionError("boom")

    outcome = hostile.run(50, seconds=30, evaluate=broken, reduce_seconds=2)
    assert outcome.failing_inputs > 0
    failure = outcome.failures[0]
    assert failure.summary.startswith("ZeroDivisionError")
    # Reduced: every field goes, since any record fails.
    assert "record = {}" in failure.reproducer or "load_data(" in failure.reproducer


def test_hostile_records_report_floats_and_problems_without_a_path() -> None:
    policy = policykit.bundled("hunan.recognition")

    class Floating:
        outcome, failures, missing = "met", (), ()

        def to_dict(self) -> dict[str, Any]:
            return {"actual": 499.9}

        def explain(self, lang: str = "zh") -> str:
            return ""

    def floating(record: Any, *, as_of: date, rule: str | None = None) -> Any:
        return Floating()

    def pathless(record: Any, *, as_of: date, rule: str | None = None) -> Any:
        raise RecordError([RecordProblem("", "bad")])

    target = hostile.Target("hunan.recognition", "area", "space", MakerSpace)
    assert policy.rule_subject("area") == ("space", MakerSpace)
    with pytest.raises(hostile.Unsafe, match=r"a float in to_dict\(\) at \$.actual"):
        hostile.probe(target, {}, AS_OF, full=True, evaluate=floating)
    with pytest.raises(hostile.Unsafe, match="without a path"):
        hostile.probe(target, {}, AS_OF, full=False, evaluate=pathless)


def test_a_hostile_probe_of_the_library() -> None:
    target = hostile.Target("hunan.recognition", "area", "space", MakerSpace)
    assert hostile.probe(target, {"area": "500 元"}, AS_OF, full=True) == "refused"
    assert hostile.probe(target, {"area": "500 m2"}, AS_OF, full=True) == "met"
    yaml_bomb = ("a: &a [x, x]\nb: &b [*a, *a]\narea: *b\n", "yaml")
    assert hostile.probe(target, None, AS_OF, full=True, text=yaml_bomb) == "refused"
    # A datetime `as_of` is refused by the API or answered; never a crash.
    assert hostile.probe(target, {"established_on": "2016-01-01"},
                         datetime(2016, 9, 1, 12), full=True) in ("refused", "met", "unknown")


def test_reproducers_are_python() -> None:
    record = {"area": hostile.BIG, "x": [hostile.DEEP_LIST], "t": float("nan"),
              "o": Organization(), "d": date(2016, 2, 29), "s": "a" * 1000}
    code = hostile.reproducer(hostile.targets()[0], record, AS_OF)
    assert "10**10000" in code and "deep_list(2000)" in code and "float('nan')" in code
    compile(code, "<reproducer>", "exec")


# ---------------------------------------------------------------- 3. differential


def test_differential_runs_clean_on_the_library() -> None:
    outcome = differential.run(20, max_cases=12, derandomize=True)
    assert outcome.inputs > 0
    assert outcome.failures == [], "\n".join(f.render() for f in outcome.failures)


def test_differential_catches_failures_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Result, "failures", property(lambda self: ()))
    outcome = differential.run(20, max_cases=25, derandomize=True)
    assert any("failures" in f.summary for f in outcome.failures), outcome.line()


def test_differential_catches_a_decision_that_disagrees(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Result, "truth", property(lambda self: Truth.MET))
    outcome = differential.run(20, max_cases=10, derandomize=True)
    assert any("explanation tree" in f.summary or "reference evaluator" in f.summary
               for f in outcome.failures), outcome.line()


def test_the_reference_evaluator_by_hand() -> None:
    generated = differential.Generated("", (
        ("c0", ("cmp", "space.area", ">=", Decimal(500))),
        ("c1", ("judged", "k1")),
        ("d", ("and", [("ref", "c0"), ("ref", "c1")])),
    ), differential.TEXTS)
    assessed = Organization(assessments=policykit.records.FrozenMap({"k1": True}))
    assert differential.oracle(generated, "c0", MakerSpace(area=Decimal(499))) is Truth.NOT_MET
    assert differential.oracle(generated, "c0", MakerSpace()) is Truth.UNKNOWN
    assert differential.oracle(generated, "d", MakerSpace(area=Decimal(500))) is Truth.AWAITING
    assert differential.oracle(generated, "d", MakerSpace(area=Decimal(500),
                                                          operator=assessed)) is Truth.MET


@given(differential.policies())
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_policies_are_well_formed(generated: differential.Generated) -> None:
    policy = policykit.loads(generated.text)
    assert set(policy.rule_names()) == {name for name, _ in generated.rules}


# ---------------------------------------------------------------- 4. determinism

_SEEDED = ("import json, sys\n"
           "if '--show' in sys.argv: print(json.dumps([str(hash('x')), '', '']))\n"
           "else: print(json.dumps({'case a': [str(hash('x')), '1', '2'], "
           "'case b': ['0', '1', '2']}))\n")
_STEADY = "import json; print(json.dumps({'case a': ['0', '1', '2']}))"


def test_determinism_catches_output_in_hash_order() -> None:
    outcome = determinism.run(("0", "1"), command=(sys.executable, "-c", _SEEDED))
    assert outcome.inputs == 2
    (failure,) = outcome.failures
    assert failure.summary == ("case a: to_dict() differ between PYTHONHASHSEED=0 and 1")
    assert "PYTHONHASHSEED=0" in failure.reproducer and "PYTHONHASHSEED=1" in failure.reproducer


def test_determinism_passes_steady_output_and_reports_a_broken_child() -> None:
    assert determinism.run(("0", "1"), command=(sys.executable, "-c", _STEADY)).ok
    broken = determinism.run(("0",), command=(sys.executable, "-c", "raise SystemExit(3)"))
    assert [f.summary for f in broken.failures] == [
        "the child under PYTHONHASHSEED=0 failed"]


def test_determinism_covers_every_example_and_policy_test() -> None:
    labels = [label for label, _ in determinism.cases()]
    assert sum(label.startswith("example ") for label in labels) == len(
        list(fuzz.ROOT.glob("policies/*/*.example.yaml")))
    assert any(label.startswith("test hunan/recognition.tests.yaml #0") for label in labels)
    assert any(label.startswith("survey ") for label in labels)
    first = next(make() for label, make in determinism.cases()
                 if label == "example hunan.recognition")
    assert json.loads(first[0])["outcome"] == "ineligible" and "480" in first[1]


# ---------------------------------------------------------------- 5. cost


def _fake_measure(size: Any, seconds: Any) -> Any:
    def take(n: int, _timeout: float) -> Any:
        row = {op: (seconds(n), size(n)) for op in cost.OPERATIONS}
        return {"unknown": row}
    return take


def test_cost_passes_linear_growth_and_fails_exponential_growth() -> None:
    linear = cost.run((10, 20, 40), measure_in=_fake_measure(lambda n: 100 * n,
                                                             lambda n: 0.01 * n))
    assert linear.ok, linear.line()
    exponential = cost.run((10, 20, 40), measure_in=_fake_measure(lambda n: 2**n,
                                                                  lambda n: 0.01 * n))
    assert {f.key for f in exponential.failures} == {f"size {op}" for op in cost.OPERATIONS}
    assert "x1024.0, over x3.0" in exponential.failures[0].summary
    slow = cost.run((10, 20), measure_in=_fake_measure(lambda n: n, lambda n: 1.5**n))
    assert {f.key for f in slow.failures} == {f"time {op}" for op in cost.OPERATIONS}


def test_cost_reports_a_chain_that_never_finishes_and_stops_at_pk114() -> None:
    hang = cost.run((10, 20), measure_in=lambda n, t: "did not finish in 60 s")
    assert hang.failures[0].summary == "diamond chain of 10 levels: did not finish in 60 s"
    refused = cost.run((10, 20), measure_in=lambda n, t: "refused: PK114")
    assert refused.ok and "PK114" in refused.details


def test_the_diamond_chain_is_measured() -> None:
    found = cost.measure(6, repeats=1)
    assert isinstance(found, dict)
    assert set(found) == {"met", "not_met", "unknown"}
    assert found["unknown"]["missing"][1] == 1  # space.area
    assert found["not_met"]["failures"][1] == 1  # space.area, once however often shared
    assert found["met"]["explain_en"][1] > 0
    assert policykit.loads(cost.diamond(6)).evaluate({}, as_of=AS_OF).outcome == "unknown"


# ---------------------------------------------------------------- the documentation

_DOC = fuzz.ROOT / "docs" / "reliability.rst"
_HAZARDS = fuzz.ROOT.parent / "shared" / "design" / "hazards.md"


def test_the_hazard_table_names_tests_that_exist() -> None:
    named = re.findall(r"``(test_\w+\.py)::(test_\w+)``", _DOC.read_text("utf-8"))
    assert len(named) > 50
    missing = [f"{file}::{name}" for file, name in named
               if not re.search(rf"^def {name}\(", (fuzz.ROOT / "tests" / file).read_text(
                   "utf-8"), re.MULTILINE)]
    assert missing == []


@pytest.mark.skipif(not _HAZARDS.exists(), reason="../shared is not beside the checkout")
def test_the_hazard_table_has_every_hazard_of_the_design_notes() -> None:
    rows = re.findall(r"^\| ([^|]+?) \|", _HAZARDS.read_text("utf-8"), re.MULTILINE)
    hazards = [row for row in rows if row not in ("hazard", "---")]
    assert len(hazards) == 21
    text = " ".join(_DOC.read_text("utf-8").split())
    assert [h for h in hazards if h.replace("`", "``") not in text] == []
