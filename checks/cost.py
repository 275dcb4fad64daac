"""Check 5, ``cost``: shared rules must not make answers exponential.

The "diamond chain": ``n`` rules, each referring to the next twice (``criterion r1 = r2
and r2``, ..., ``r{n} = space.area >= 500 m2``), decided for ``r1`` on three records
(area 500: met through every reference; 499: not met; no area: unknown, so every
reference is walked for ``missing``). For each ``n`` of 10, 20, 40, 80 (fewer if the
checker refuses the chain as too deep, PK114), one child process loads the policy and
times ``evaluate``, ``failures``, ``missing``, ``explain("zh")``, ``explain("en")`` and
``to_dict()`` (``json.dumps``'d), and measures the size of each output. A child that
does not finish in ``timeout`` seconds is a failure (a tree of 2^40 nodes never will).

Linear means: doubling ``n`` multiplies each time and each size by at most ``growth``
(3 by default; 2 is exactly linear). Times are the best of five runs in each of two
child processes, with the garbage collector held off (other jobs share the machine);
times under ``floor`` seconds (5 ms) are noise and are compared as ``floor``: an
exponential tree is seconds at n = 20 already. The size of a text is counted without
the indentation that starts its lines: an indented tree of depth n spends about n
characters on each of its lines, quadratic in the depth (which the checker bounds,
PK114), whatever is shared; the raw size is reported as well.

``python -m checks.cost N`` prints the child's measurements for ``n = N`` as JSON.
"""

from __future__ import annotations

import gc
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from checks import ROOT, Outcome, Recorder, timed

__all__ = ["LEVELS", "diamond", "measure", "run"]

NAME = "cost"
LEVELS = (10, 20, 40, 80)
RECORDS: dict[str, dict[str, Any]] = {"met": {"area": "500 m2"},
                                      "not_met": {"area": "499 m2"}, "unknown": {}}
OPERATIONS = ("evaluate", "failures", "missing", "explain_zh", "explain_en", "to_dict")

Measurements = dict[str, dict[str, tuple[float, int]]]
"""record name -> operation -> (seconds, size of the output)."""


def diamond(levels: int) -> str:
    """The diamond chain of ``levels`` rules: each refers to the next twice."""
    lines = ['policy t.diamond title "菱形链" en "Diamond chain" source "测试" issued '
             '2016-06-01 by "某厅"', "  subject space: MakerSpace", "  main r1", ""]
    lines += [f'criterion r{i} "第{i}层" en "Level {i}" cites "第{i}条" = r{i + 1} and r{i + 1}'
              for i in range(1, levels)]
    lines.append(f'criterion r{levels} "面积" en "Area" cites "第{levels}条" '
                 "= space.area >= 500 m2")
    return "\n".join(lines) + "\n"


def _timed(call: Callable[[], Any], repeats: int = 5) -> tuple[float, Any]:
    """The best of ``repeats`` runs, with the garbage collector held off while timing."""
    best, value = float("inf"), None
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            value = call()
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best, value


def content_size(value: Any) -> int:
    """The size of an output: characters less the indentation that starts each line (an
    indented tree of depth n spends n * lines on it, quadratic in the depth the checker
    bounds: PK114); the items of a tuple."""
    if isinstance(value, str):
        return sum(len(line.lstrip(" ")) for line in value.splitlines())
    return len(value) if isinstance(value, tuple) else 0


def measure(levels: int, repeats: int = 5) -> Measurements | str:
    """Time and size of every operation on the chain of ``levels`` (in this process);
    the checker's refusal as text if it refuses the chain."""
    import policykit  # noqa: PLC0415 - the child process pays for the import

    try:
        policy = policykit.loads(diamond(levels))
    except policykit.PolicyError as err:
        return f"refused: {','.join(err.codes)}"
    found: Measurements = {}
    for name, record in RECORDS.items():
        row: dict[str, tuple[float, int]] = {}

        def fresh(rec: dict[str, Any] = record) -> policykit.Result:
            return policy.evaluate(rec, as_of=date(2016, 9, 1))

        seconds, _ = _timed(fresh, repeats)
        row["evaluate"] = (seconds, 1)
        calls: dict[str, Callable[[policykit.Result], Any]] = {
            "failures": lambda r: r.failures,
            "missing": lambda r: r.missing,
            "explain_zh": lambda r: r.explain("zh"),
            "explain_en": lambda r: r.explain("en"),
            "to_dict": lambda r: json.dumps(r.to_dict(), ensure_ascii=False),
        }
        for op, call in calls.items():
            # a fresh Result each time: nothing cached from the previous call
            seconds, value = _timed(lambda c=call: c(fresh()), repeats)  # type: ignore[misc]
            row[op] = (max(seconds - row["evaluate"][0], 0.0), content_size(value))
            if isinstance(value, str):
                row[op + "_raw"] = (0.0, len(value))
        found[name] = row
    return found


def _child(levels: int, timeout: float) -> Measurements | str:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        done = subprocess.run([sys.executable, "-m", "checks.cost", str(levels)], env=env,
                              capture_output=True, text=True, check=False, timeout=timeout,
                              cwd=ROOT)
    except subprocess.TimeoutExpired:
        return f"did not finish in {timeout:.0f} s"
    if done.returncode != 0:
        return "failed:\n" + done.stderr[-2000:]
    data = json.loads(done.stdout)
    if isinstance(data, str):
        return data
    return {name: {op: (v[0], v[1]) for op, v in row.items()} for name, row in data.items()}


def _best(first: Measurements, second: Measurements) -> Measurements:
    """Each time the smaller of two runs (sizes are the same)."""
    return {name: {op: (min(v[0], second[name][op][0]), v[1]) for op, v in row.items()}
            for name, row in first.items()}


def run(levels: Sequence[int] = LEVELS, *, timeout: float = 60.0, growth: float = 3.0,
        floor: float = 0.005, runs: int = 2,
        measure_in: Callable[[int, float], Measurements | str] | None = None) -> Outcome:
    """Measure the chain at each of ``levels`` and fail on growth faster than linear."""
    outcome = Outcome(NAME, unit="chains")
    recorder = Recorder(outcome)
    take = measure_in or _child
    with timed(outcome):
        previous: tuple[int, Measurements] | None = None
        largest = None
        for n in levels:
            outcome.inputs += 1
            found = take(n, timeout)
            for _ in range(runs - 1):
                again = take(n, timeout) if not isinstance(found, str) else found
                if not isinstance(again, str) and not isinstance(found, str):
                    found = _best(found, again)
            if isinstance(found, str):
                if found.startswith("refused: PK114"):
                    outcome.details = f"n = {n} refused as too deep (PK114); "
                    break
                recorder.fail(f"diamond chain of {n} levels: {found.splitlines()[0]}",
                              _reproducer(n) + "\n" + found, f"chain {found[:20]}")
                break
            largest = (n, found)
            if previous is not None:
                _compare(recorder, previous, (n, found), growth, floor)
            previous = (n, found)
        if largest is not None:
            n, found = largest
            worst = max(found.values(), key=lambda row: row["explain_en"][0])
            outcome.details += (f"largest n = {n}: explain('en') {worst['explain_en'][0]:.4f} s,"
                                f" {worst.get('explain_en_raw', (0, 0))[1]} characters "
                                f"({worst['explain_en'][1]} without indentation)")
    return outcome


def _compare(recorder: Recorder, before: tuple[int, Measurements],
             after: tuple[int, Measurements], growth: float, floor: float) -> None:
    (n1, first), (n2, second) = before, after
    allowed = growth ** math.log2(n2 / n1)  # growth per doubling
    for name, row in second.items():
        for op, (seconds, size) in row.items():
            if op.endswith("_raw"):
                continue
            then_seconds, then_size = first[name][op]
            time_ratio = max(seconds, floor) / max(then_seconds, floor)
            size_ratio = size / then_size if then_size else 1.0
            if time_ratio > allowed:
                recorder.fail(
                    f"{op} on the {name} record: {then_seconds:.4f} s at n = {n1}, "
                    f"{seconds:.4f} s at n = {n2} (x{time_ratio:.1f}, over x{allowed:.1f})",
                    _reproducer(n2, name, op), f"time {op}")
            if size_ratio > allowed:
                recorder.fail(
                    f"{op} on the {name} record: {then_size} characters at n = {n1}, "
                    f"{size} at n = {n2} (x{size_ratio:.1f}, over x{allowed:.1f})",
                    _reproducer(n2, name, op), f"size {op}")


def _reproducer(n: int, record: str = "unknown", op: str = "explain_en") -> str:
    call = {"evaluate": "r.outcome", "failures": "r.failures", "missing": "r.missing",
            "explain_zh": "r.explain('zh')", "explain_en": "r.explain('en')",
            "to_dict": "r.to_dict()"}[op]
    return ("import datetime, policykit\n"
            "from checks.cost import diamond\n"
            f"policy = policykit.loads(diamond({n}))  # r1 = r2 and r2, ..., "
            f"r{n} = space.area >= 500 m2\n"
            f"r = policy.evaluate({RECORDS[record]!r}, as_of=datetime.date(2016, 9, 1))\n"
            f"{call}")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    sys.stdout.write(json.dumps(measure(int(args[0]))))
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a child process
    raise SystemExit(main())
