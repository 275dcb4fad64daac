"""Check 4, ``determinism``: the same bytes under every hash seed.

One child process per ``PYTHONHASHSEED`` (0, 1, 2 and 12345 by default) evaluates every
bundled example (``policies/*/*.example.yaml`` under its policy, as ``policykit eval ID
example`` reads it, at the date in its ``# as_of:`` line), every case of every policy test
file (``policies/*/*.tests.yaml``, read by :mod:`policykit.testing`; lifecycle cases
replayed) and every record of ``policies/examples/`` under each maker-space policy, and
prints, per case, a sha256 of ``json.dumps(to_dict())`` (``sort_keys=False``: key order
counts), of ``explain("zh")`` and of ``explain("en")``. The parent compares the digests:
any case whose output differs between two seeds is a failure, printed with the first
lines that differ.

Run as ``python -m checks.determinism`` to print the digests of this process (the child's
side); ``--show CASE`` prints that case's outputs in full.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from checks import ROOT, Outcome, Recorder, timed

__all__ = ["SEEDS", "cases", "outputs", "run"]

NAME = "determinism"
SEEDS = ("0", "1", "2", "12345")


def cases() -> Iterator[tuple[str, Any]]:
    """(case id, a function giving the case's three outputs), for every case."""
    import policykit  # noqa: PLC0415 - the child imports policykit under its hash seed
    from policykit.errors import RecordError  # noqa: PLC0415
    from policykit.records import load_data  # noqa: PLC0415
    from policykit.testing import SuiteError, discover, load_suite  # noqa: PLC0415

    def result_outputs(result: Any) -> tuple[str, str, str]:
        return (json.dumps(result.to_dict(), ensure_ascii=False), result.explain("zh"),
                result.explain("en"))

    def evaluate(policy: Any, record: Any, as_of: date, rule: str | None) -> Any:
        def run() -> tuple[str, str, str]:
            try:
                return result_outputs(policy.evaluate(record, as_of=as_of, rule=rule))
            except (RecordError, KeyError) as err:
                return (f"{type(err).__name__}: {err}", "", "")
        return run

    makerspace = []
    for pid in policykit.bundled_ids():
        policy = policykit.bundled(pid)
        path = policy.path
        if policy.subject_type is policykit.records.MakerSpace:
            makerspace.append(policy)
        if path is None:
            continue
        example = path.with_name(path.name[: -len(".policy")] + ".example.yaml")
        if example.exists():
            text = example.read_text("utf-8")
            found = re.search(r"^# as_of: (\d{4}-\d{2}-\d{2})", text, re.MULTILINE)
            as_of = date.fromisoformat(found.group(1)) if found else date(2016, 9, 1)
            yield f"example {pid}", evaluate(policy, load_data(text, "yaml"), as_of, None)
    for suite_path in discover([ROOT / "policies"]):
        try:
            suite = load_suite(suite_path)
        except SuiteError as err:
            message = str(err)
            yield f"suite {suite_path.name}", lambda m=message: (m, "", "")
            continue
        for i, case in enumerate(suite.cases):
            label = f"test {suite_path.parent.name}/{suite_path.name} #{i} {case.name}"
            if case.history is not None:
                def replay(s: Any = suite, c: Any = case) -> tuple[str, str, str]:
                    try:
                        status = s.policy.lifecycle(c.history, as_of=c.as_of,
                                                    name=c.lifecycle)
                    except (RecordError, KeyError) as err:
                        return (f"{type(err).__name__}: {err}", "", "")
                    return (json.dumps(status.to_dict(), ensure_ascii=False),
                            status.explain("zh"), status.explain("en"))
                yield label, replay
            else:
                yield label, evaluate(suite.policy, case.record, case.as_of, case.rule)
    for file in sorted((ROOT / "policies" / "examples").glob("*/*.yaml")):
        record = load_data(file.read_text("utf-8"), "yaml")
        for policy in makerspace:
            yield (f"survey {file.parent.name}/{file.name} under {policy.id}",
                   evaluate(policy, record, date(2017, 6, 30), None))


def outputs() -> Iterator[tuple[str, tuple[str, str, str]]]:
    for label, make in cases():
        yield label, make()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def emit(show: str | None = None) -> None:
    """The child's side: one JSON object, case id to [sha256 of data, zh, en]."""
    found: dict[str, list[str]] = {}
    for label, parts in outputs():
        if show is not None:
            if label == show:
                sys.stdout.write(json.dumps(parts, ensure_ascii=False))
                return
            continue
        found[label] = [_digest(part) for part in parts]
    sys.stdout.write(json.dumps(found, ensure_ascii=False))


def _child(command: Sequence[str], seed: str, timeout: float) -> tuple[dict[str, Any], str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(list(command), env=env, capture_output=True, text=True,
                          check=False, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        return {}, f"exit status {done.returncode}\n{done.stderr[-3000:]}"
    try:
        data: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {}, "the child printed no JSON:\n" + done.stdout[-2000:]
    return data, ""


DEFAULT_COMMAND = (sys.executable, "-m", "checks.determinism")
_PARTS = ("to_dict()", "explain('zh')", "explain('en')")


def run(seeds: Sequence[str] = SEEDS, *, command: Sequence[str] = DEFAULT_COMMAND,
        timeout: float = 300.0) -> Outcome:
    """Run the child under each seed and compare every case's digests."""
    outcome = Outcome(NAME, unit="cases")
    recorder = Recorder(outcome)
    with timed(outcome):
        runs: dict[str, dict[str, Any]] = {}
        for seed in seeds:
            data, error = _child(command, seed, timeout)
            if error:
                recorder.fail(f"the child under PYTHONHASHSEED={seed} failed",
                              f"PYTHONHASHSEED={seed} {' '.join(command)}\n{error}",
                              f"child {seed}")
            runs[seed] = data
        first_seed = seeds[0]
        first = runs[first_seed]
        labels = sorted(set().union(*(set(r) for r in runs.values())))
        outcome.inputs = len(labels)
        for label in labels:
            for seed in seeds[1:]:
                mine, theirs = first.get(label), runs[seed].get(label)
                if mine == theirs or not runs[seed] or not first:
                    continue
                parts = [name for i, name in enumerate(_PARTS)
                         if mine is None or theirs is None or mine[i] != theirs[i]]
                which = ", ".join(parts)
                key = f"{label.split(' #')[0]}: {which}"
                recorder.fail(
                    f"{label}: {which} differ between PYTHONHASHSEED={first_seed} and {seed}",
                    lambda lb=label, s=seed: _show_difference(command, lb, first_seed, s,
                                                              timeout), key)
                break
    outcome.details = f"{len(seeds)} hash seeds ({', '.join(seeds)}), 3 outputs per case"
    return outcome


def _show_difference(command: Sequence[str], label: str, a: str, b: str,
                     timeout: float) -> str:
    """The case's outputs under both seeds, as a unified diff of the first differences."""
    texts = []
    for seed in (a, b):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([*command, "--show", label], env=env, capture_output=True,
                              text=True, check=False, timeout=timeout, cwd=ROOT)
        try:
            texts.append(json.loads(done.stdout))
        except json.JSONDecodeError:
            texts.append(["", "", ""])
    lines = [f"# reproduce: for s in {a} {b}; do PYTHONHASHSEED=$s python -m "
             f"checks.determinism --show {label!r}; done"]
    for name, mine, theirs in zip(_PARTS, texts[0], texts[1], strict=False):
        if mine == theirs:
            continue
        left, right = (_pretty(mine), _pretty(theirs)) if name == "to_dict()" else (mine,
                                                                                    theirs)
        diff = list(difflib.unified_diff(left.splitlines(), right.splitlines(),
                                         f"{name} PYTHONHASHSEED={a}",
                                         f"{name} PYTHONHASHSEED={b}", lineterm="", n=1))
        lines.extend(diff[:14])
        if len(diff) > 14:
            lines.append(f"… ({len(diff) - 14} more diff lines)")
    return "\n".join(lines)


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    except json.JSONDecodeError:
        return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checks.determinism",
                                     description="print a digest of every case's outputs")
    parser.add_argument("--show", help="print the outputs of one case instead")
    args = parser.parse_args(argv)
    emit(args.show)
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a child process
    raise SystemExit(main())
