"""Run the benchmarks: ``python -m benchmarks.run [--quick]`` from the repository root.

Measures, in one process (timing loops interleaved, repeated, median and spread):

- policykit (a) decision only, (b) decision + failures with actual/required/gap,
  (c) ``to_dict()``, (d) ``explain("zh")``, on attrs records and on plain dicts
  (validation and conversion included);
- the hand-written floor (decision; decision + failures) on the same attrs records;
- each peer engine on the plain dicts (request building included), decision and failures;
- one-time costs: load + check + compile of each bundled policy, ``import policykit``,
  one ``policykit eval`` command end to end; memory per compiled policy and per result;
- the per-record cost and peak memory of ``evaluate_many`` over 10^4, 10^5 and 10^6
  records (10^6 without ``--quick`` only), each in a fresh child process;
- governance (``benchmarks/governance.py``), as many records as the main workload: a
  vote (zhuzhou.alliance ``termination`` over Ballot records; policykit (a), (b), (d) on
  attrs records and dicts against a hand-written floor) and a lifecycle replay
  (intl.coop_base ``pilot_base``; state and summary, and ``explain("zh")``), under the
  key ``governance`` of the JSON file.

Every engine's decision (and failures) is checked against policykit's on every timed
record first; the counts of disagreements are printed and must be 0. Results go to
``benchmarks/results/latest.json`` (``--json`` to change). Needs the ``bench`` extra
(``pip install -e '.[bench]'``); a peer that does not import is reported and skipped.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import policykit
from benchmarks import governance, handwritten, pk, workload
from benchmarks.peers import Peer, as_of_fields, flatten, load_peers
from policykit.api import bundled_path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
AS_OF = workload.AS_OF
CORE_PACKAGES = ("policykit", "lark", "attrs", "cattrs", "PyYAML")
PEER_PACKAGES = ("cedarpy", "zen-engine", "common-expression-language", "rule-engine",
                 "panzi-json-logic")


# ---------------------------------------------------------------- the machine


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": affinity,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def source_label() -> str:
    """Which policykit was measured: its git commit, and whether it had local changes."""
    package = Path(policykit.__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(package), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(package), "status", "--porcelain", "."],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"{package} (not a git checkout)"
    return f"commit {commit}" + (" with local changes to policykit/" if dirty else "")


def versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in CORE_PACKAGES + PEER_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


# ---------------------------------------------------------------- timing


@dataclass
class Case:
    """One timed path: a function applied to each record of a list."""

    key: str
    label: str
    group: str  # policykit, floor, peer, reference
    input: str  # attrs or dicts
    fn: Callable[[Any], Any]
    records: list[Any]
    floor: str | None = None  # the key of the hand-written case to compare with
    samples: list[float] = field(default_factory=list)  # microseconds per record
    passes: int = 1  # passes over the records per sample, so a sample lasts long enough

    def run_once(self) -> None:
        fn, records = self.fn, self.records
        gc.collect()
        start = time.perf_counter()
        for _ in range(self.passes):
            for record in records:
                fn(record)
        elapsed = time.perf_counter() - start
        self.samples.append(elapsed / (len(records) * self.passes) * 1e6)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def summary(self) -> dict[str, Any]:
        med = self.median
        return {"key": self.key, "label": self.label, "group": self.group,
                "input": self.input, "median_us": round(med, 3),
                "min_us": round(min(self.samples), 3), "max_us": round(max(self.samples), 3),
                "spread_pct": round((max(self.samples) - min(self.samples)) / med * 100, 1),
                "passes_per_sample": self.passes,
                "records_per_s": round(1e6 / med), "samples_us": [round(s, 3)
                                                                   for s in self.samples]}


MIN_SAMPLE_SECONDS = 0.25


def run_cases(cases: list[Case], repeats: int, log: Callable[[str], None]) -> None:
    """Warm each case up, then time them round-robin ``repeats`` times.

    A fast path makes several passes over the records per sample, so that no sample
    is shorter than a quarter of a second (scheduler noise on a shared machine).
    """
    for case in cases:  # a warm-up round on a fifth of the records, not timed
        warm = case.records[:max(50, len(case.records) // 5)]
        start = time.perf_counter()
        for record in warm:
            case.fn(record)
        per_pass = (time.perf_counter() - start) / len(warm) * len(case.records)
        case.passes = max(1, min(100, round(MIN_SAMPLE_SECONDS / per_pass)))
    for rep in range(repeats):
        started = time.perf_counter()
        for case in cases:
            case.run_once()
        log(f"  run {rep + 1}/{repeats}: {time.perf_counter() - started:.1f} s")


# ---------------------------------------------------------------- agreement


def check_agreement(policy: policykit.Policy, rows: list[Any], data: list[dict[str, Any]],
                    peers: list[Peer], log: Callable[[str], None]) -> dict[str, int]:
    """Disagreements with policykit, per engine and path, over every record."""
    reference = [pk.with_failures(policy, r, AS_OF) for r in rows]
    expected = [(o, pk.normalised(f)) for o, f in reference]
    counts: dict[str, int] = {"hand-written month arithmetic vs add_period":
                              handwritten.check_month_arithmetic()}

    def count(name: str, got: Iterable[Any], want: Iterable[Any]) -> None:
        bad = [(i, g, w) for i, (g, w) in enumerate(zip(got, want, strict=True)) if g != w]
        counts[name] = len(bad)
        for i, g, w in bad[:3]:
            log(f"  DISAGREEMENT {name} on record {i}: got {g!r}, policykit {w!r}")

    count("policykit on dicts vs on attrs records: decision",
          (policy.evaluate(d, as_of=AS_OF).outcome for d in data), (o for o, _ in expected))
    count("hand-written: decision", (handwritten.decide(r, AS_OF) for r in rows),
          (o for o, _ in expected))
    count("hand-written: decision + failures (actual, required, gap)",
          ((o, pk.normalised(f)) for o, f in
           (handwritten.explain_failures(r, AS_OF) for r in rows)), expected)
    for peer in peers:
        count(f"{peer.name}: decision", (peer.decide(d) for d in data),
              (o for o, _ in expected))
        count(f"{peer.name}: decision + failures (actual, required, gap)",
              ((o, pk.normalised(f)) for o, f in (peer.with_failures(d) for d in data)),
              expected)
    return counts


# ---------------------------------------------------------------- one-time costs


def _installed_env() -> dict[str, str]:
    """The environment of a process as an installation runs it: bytecode cached (pip
    compiles it at install; a shell that sets PYTHONDONTWRITEBYTECODE recompiles every
    module of policykit in every process instead)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _subprocess_seconds(argv: list[str], repeats: int, env: dict[str, str] | None = None
                        ) -> tuple[list[float], str]:
    times: list[float] = []
    output = ""
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False,
                              env=env)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr[-2000:]}")
        output = done.stdout
    return times, output


def _child_floats(code: str, repeats: int) -> list[float]:
    """Run ``code`` in fresh interpreters; each prints one float (seconds)."""
    values: list[float] = []
    for _ in range(repeats):
        _, out = _subprocess_seconds([sys.executable, "-c", code], 1, _installed_env())
        values.append(float(out.strip().splitlines()[-1]))
    return values


def _stats_ms(seconds: list[float]) -> dict[str, Any]:
    ms = [s * 1000 for s in seconds]
    return {"median_ms": round(statistics.median(ms), 2), "min_ms": round(min(ms), 2),
            "max_ms": round(max(ms), 2), "n": len(ms)}


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("policykit")
    if script.exists():
        return [str(script)]
    found = shutil.which("policykit")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from policykit.cli import main; sys.exit(main())"]


def one_time_costs(repeats: int, log: Callable[[str], None]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    env = _installed_env()
    # One untimed run writes the bytecode an installed package already has.
    _subprocess_seconds([sys.executable, "-c", "import policykit.cli"], 1, env)
    interpreter, _ = _subprocess_seconds([sys.executable, "-c", "pass"], repeats, env)
    out["python_startup"] = _stats_ms(interpreter)
    out["import_policykit"] = _stats_ms(_child_floats(
        "import time; t = time.perf_counter(); import policykit; "
        "print(time.perf_counter() - t)", repeats))
    log(f"  import policykit: {out['import_policykit']['median_ms']} ms")
    command = [*_console_script(), "eval", workload.POLICY_ID, "example", "--as-of",
               AS_OF.isoformat()]
    wall, _ = _subprocess_seconds(command, repeats, env)
    out["eval_command"] = {**_stats_ms(wall), "command": " ".join(
        ["policykit", *command[-5:]]), "bytecode": "cached, as after pip install"}
    log(f"  policykit eval (end to end): {out['eval_command']['median_ms']} ms")

    ids = policykit.bundled_ids()
    texts = {pid: Path(str(bundled_path(pid))).read_text("utf-8") for pid in ids}
    first = next(iter(texts.values()))
    path = str(bundled_path(workload.POLICY_ID))
    out["first_load_in_fresh_process"] = {**_stats_ms(_child_floats(
        f"import time, policykit; text = open({path!r}, encoding='utf-8').read(); "
        "t = time.perf_counter(); policykit.loads(text); print(time.perf_counter() - t)",
        max(3, repeats // 2))), "policy": workload.POLICY_ID}
    policykit.loads(first)  # the grammar's tables are built once per process, then cached
    per_policy: dict[str, Any] = {}
    for pid, text in texts.items():
        samples = []
        for _ in range(max(20, repeats * 4)):
            start = time.perf_counter()
            policykit.loads(text)
            samples.append(time.perf_counter() - start)
        per_policy[pid] = _stats_ms(samples)
    out["load_check_compile"] = per_policy
    together = []
    for _ in range(max(10, repeats * 2)):
        start = time.perf_counter()
        for text in texts.values():
            policykit.loads(text)
        together.append(time.perf_counter() - start)
    out["load_check_compile_all_bundled"] = {**_stats_ms(together), "policies": list(ids)}
    log(f"  load+check+compile of all {len(ids)} bundled policies (grammar cached): "
        f"{out['load_check_compile_all_bundled']['median_ms']} ms")
    return out


def memory(rows: list[Any], log: Callable[[str], None]) -> dict[str, Any]:
    """tracemalloc: bytes retained by a compiled policy and by each result."""
    out: dict[str, Any] = {"compiled_policy_bytes": {}}
    for pid in policykit.bundled_ids():
        text = Path(str(bundled_path(pid))).read_text("utf-8")
        policykit.loads(text)  # grammar built outside the measurement
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = policykit.loads(text)
        gc.collect()
        out["compiled_policy_bytes"][pid] = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        del kept
    policy = policykit.bundled(workload.POLICY_ID)
    sample = rows[:1000]
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    results = [policy.evaluate(r, as_of=AS_OF) for r in sample]
    gc.collect()
    decided = tracemalloc.get_traced_memory()[0]
    for result in results:
        _ = result.trace
    gc.collect()
    traced = tracemalloc.get_traced_memory()[0]
    dicts = [result.to_dict() for result in results]
    gc.collect()
    as_dicts = tracemalloc.get_traced_memory()[0]
    texts = [result.explain("zh") for result in results]
    gc.collect()
    explained = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    n = len(sample)
    out["result_bytes"] = {
        "decision (Result, no tree)": round((decided - base) / n),
        "explanation tree (result.trace, cached on the Result)": round((traced - decided) / n),
        "to_dict() output": round((as_dicts - traced) / n),
        "explain('zh') text and the Result's cached missing/pending/unresolved":
            round((explained - as_dicts) / n),
        "records": n,
    }
    del results, dicts, texts
    log(f"  memory: {out['compiled_policy_bytes']} bytes per compiled policy; "
        f"{out['result_bytes']['decision (Result, no tree)']} bytes per result")
    return out


# ---------------------------------------------------------------- scale


def _status_kb(key: str) -> int:
    """A ``VmRSS``/``VmHWM`` line of /proc/self/status, in KiB (0 where there is none).

    VmHWM is the peak RSS of this process image: unlike ``ru_maxrss`` it does not carry
    over the parent's peak across fork and exec.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


REFERENCE_COUNT = 10_000


class _TimedRecords:
    """The generated records, timing their own generation as they are drawn, so that
    the time generating them is subtracted from the same pass (not from a separate
    run, whose machine load may differ)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.generating = 0.0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        records = workload.iter_dicts(self.n)
        clock = time.perf_counter
        while True:
            start = clock()
            record = next(records, None)
            self.generating += clock() - start
            if record is None:
                return
            yield record


def _timed_pass(policy: policykit.Policy, n: int, outcomes: Counter[str] | None = None
                ) -> tuple[float, float]:
    """(seconds in all, seconds generating) of evaluate_many over ``n`` records."""
    records = _TimedRecords(n)
    start = time.perf_counter()
    for result in policy.evaluate_many(records, as_of=AS_OF):
        if outcomes is not None:
            outcomes[result.outcome] += 1
    return time.perf_counter() - start, records.generating


def _net_per_record(policy: policykit.Policy, n: int) -> float:
    """Microseconds per record of evaluate_many over ``n`` records, less generating them."""
    total, generating = _timed_pass(policy, n)
    return (total - generating) / n * 1e6


def _reference(policy: policykit.Policy) -> float:
    """The net cost per record of 10^4 records: the median of three passes."""
    return statistics.median(_net_per_record(policy, REFERENCE_COUNT) for _ in range(3))


def scale_child(n: int, runs: int, traced: bool) -> dict[str, Any]:
    """In a fresh process: evaluate_many over ``n`` generated records, streaming.

    For more than 10^4 records, 10^4 are also timed just before and just after in the
    same process, so that the ratio of the two per-record costs is not a change of the
    machine's load (the figures of separate processes minutes apart can be).
    """
    policy = policykit.bundled(workload.POLICY_ID)
    for _ in policy.evaluate_many(workload.iter_dicts(1000, seed=1), as_of=AS_OF):
        pass
    before = _reference(policy) if n > REFERENCE_COUNT else 0.0
    gc.collect()
    rss_before = _status_kb("VmRSS")
    try:  # start the peak (VmHWM) afresh, so that it is the loop's own
        Path("/proc/self/clear_refs").write_text("5")
        reset = True
    except OSError:
        reset = False
    outcomes: Counter[str] = Counter()
    totals: list[float] = []
    peak_kb = 0
    generating: list[float] = []
    for _ in range(runs):
        outcomes.clear()
        total, generate = _timed_pass(policy, n, outcomes)
        totals.append(total)
        generating.append(generate)
        peak_kb = peak_kb or _status_kb("VmHWM") or \
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_after = _status_kb("VmRSS")
    total, generate = statistics.median(totals), statistics.median(generating)
    if n > REFERENCE_COUNT:  # 10^4 records just after, in this process: same machine load
        after = _reference(policy)
    out: dict[str, Any] = {
        "n": n, "runs": runs, "seconds": round(total, 3), "generate_seconds": round(generate, 3),
        "per_record_us": round(total / n * 1e6, 3),
        "generate_per_record_us": round(generate / n * 1e6, 3),
        "net_per_record_us": round((total - generate) / n * 1e6, 3),
        "samples_s": [round(t, 3) for t in totals],
        "rss_before_loop_mb": round(rss_before / 1024, 1),
        "rss_after_loop_mb": round(rss_after / 1024, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "peak_rss_is_the_loops": reset,
        "outcomes": dict(sorted(outcomes.items())),
    }
    if n > REFERENCE_COUNT:
        reference = (before + after) / 2
        out["reference_net_per_record_us"] = round(reference, 3)
        out["ratio_to_reference"] = round(out["net_per_record_us"] / reference, 3)
    if traced:  # the peak of Python's allocations, and of each tenth of the run
        gc.collect()
        tracemalloc.start()
        tenth, chunks, overall = max(1, n // 10), [], 0
        for i, result in enumerate(policy.evaluate_many(workload.iter_dicts(n), as_of=AS_OF)):
            outcomes[result.outcome] += 1
            if i % tenth == tenth - 1:
                peak = tracemalloc.get_traced_memory()[1]
                chunks.append(round(peak / 1024, 1))
                overall = max(overall, peak)
                tracemalloc.reset_peak()
        out["traced_peak_kb"] = round(overall / 1024, 1)
        out["traced_peak_per_tenth_kb"] = chunks
        tracemalloc.stop()
    return out


def scale(plan: list[tuple[int, int, bool]], log: Callable[[str], None]
          ) -> list[dict[str, Any]]:
    """Each (count, runs, traced) in a fresh child process, one after the other."""
    rows: list[dict[str, Any]] = []
    for n, runs, traced in plan:
        argv = [sys.executable, "-m", "benchmarks.run", "--scale-child", str(n),
                "--runs", str(runs)]
        if traced:
            argv.append("--traced")
        _, out = _subprocess_seconds(argv, 1)
        row = json.loads(out.strip().splitlines()[-1])
        rows.append(row)
        shown = f", traced peak {row['traced_peak_kb']} KiB" if "traced_peak_kb" in row else ""
        ratio = f", {row['ratio_to_reference']:.2f}x the cost of 10,000 in the same process" \
            if "ratio_to_reference" in row else ""
        log(f"  {n:>9,} records: {row['per_record_us']:.1f} us/record "
            f"({row['net_per_record_us']:.1f} without generating them{ratio}), "
            f"peak RSS {row['peak_rss_mb']} MiB{shown}")
    return rows


# ---------------------------------------------------------------- governance


def measure_governance(n: int, repeats: int, log: Callable[[str], None]) -> dict[str, Any]:
    """The governance section: ``n`` ballots and ``n`` lifecycle histories, checked, then
    their paths timed round-robin like the others (see ``benchmarks/governance.py``)."""
    section = governance.prepare(n, log)
    cases = [Case(**path._asdict()) for path in section.paths]
    log(f"timing {len(cases)} governance paths, {repeats} runs each")
    run_cases(cases, repeats, log)
    by_key = {c.key: c for c in cases}
    return section.report({c.key: dict(c.summary(), **({"ratio_to_floor": _ratio(
        by_key[c.floor].median, c.median)} if c.floor else {})) for c in cases})


# ---------------------------------------------------------------- profile


def profile(fn: Callable[[Any], Any], records: list[Any], top: int = 12
            ) -> list[dict[str, Any]]:
    profiler = cProfile.Profile()
    profiler.enable()
    for record in records:
        fn(record)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    entries = stats.stats  # type: ignore[attr-defined]
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in sorted(
            entries.items(), key=lambda kv: -kv[1][2])[:top]:
        where = filename.replace(str(ROOT) + os.sep, "").replace(sys.prefix, "<venv>")
        rows.append({"function": f"{where}:{line}({name})", "calls": calls,
                     "tottime_pct": round(tottime / total * 100, 1),
                     "cumtime_pct": round(cumtime / total * 100, 1)})
    return rows


# ---------------------------------------------------------------- the report


def _ratio(a: float, b: float) -> float:
    return round(a / b, 3)


def build_cases(policy: policykit.Policy, rows: list[Any], data: list[dict[str, Any]],
                peers: list[Peer]) -> list[Case]:
    evaluate = policy.evaluate

    def decision(r: Any) -> str:
        return evaluate(r, as_of=AS_OF).outcome

    def with_failures(r: Any) -> Any:
        result = evaluate(r, as_of=AS_OF)
        return result.outcome, result.failures

    def tree(r: Any) -> Any:
        return evaluate(r, as_of=AS_OF).to_dict()

    def text(r: Any) -> str:
        return evaluate(r, as_of=AS_OF).explain("zh")

    fixed = as_of_fields(AS_OF)
    cases = [
        Case("floor.decide", "hand-written: decision", "floor", "attrs",
             lambda r: handwritten.decide(r, AS_OF), rows),
        Case("floor.failures", "hand-written: decision + failures", "floor", "attrs",
             lambda r: handwritten.explain_failures(r, AS_OF), rows),
    ]
    for inp, recs in (("attrs", rows), ("dicts", data)):
        cases += [
            Case(f"pk.{inp}.a", "policykit (a) decision", "policykit", inp, decision, recs,
                 "floor.decide"),
            Case(f"pk.{inp}.b", "policykit (b) decision + failures", "policykit", inp,
                 with_failures, recs, "floor.failures"),
            Case(f"pk.{inp}.c", "policykit (c) to_dict()", "policykit", inp, tree, recs,
                 "floor.failures"),
            Case(f"pk.{inp}.d", "policykit (d) explain('zh')", "policykit", inp, text, recs,
                 "floor.failures"),
        ]
    cases += [
        Case("ref.structure", "reference: policykit.records.structure only", "reference",
             "dicts", policy.structure, data),
        Case("ref.flatten", "reference: peers' request building only", "reference",
             "dicts", lambda d: flatten(d, fixed), data),
    ]
    for peer in peers:
        cases += [
            Case(f"peer.{peer.name}.a", f"{peer.name}: decision", "peer", "dicts",
                 peer.decide, data),
            Case(f"peer.{peer.name}.b", f"{peer.name}: decision + failures", "peer", "dicts",
                 peer.with_failures, data),
        ]
    return cases


def targets(by_key: dict[str, Case], peers: list[Peer], one_time: dict[str, Any],
            scale_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def rate(key: str) -> float:
        return 1e6 / by_key[key].median

    for path, floor, what in (("a", "floor.decide", "decision only"),
                              ("b", "floor.failures", "decision + failures")):
        ratio = rate(f"pk.attrs.{path}") / rate(floor)
        out.append({"target": f"attrs records, {what}: at least half the rate of the "
                              f"hand-written function", "measured": f"{ratio:.2f}x its rate",
                    "met": ratio >= 0.5})
    for path, what in (("a", "decision only"), ("b", "decision + failures")):
        mine = rate(f"pk.dicts.{path}")
        best = max(((rate(f"peer.{p.name}.{path}"), p.name) for p in peers), default=None)
        if best is None:
            continue
        out.append({"target": f"plain dicts, {what}: ahead of every peer",
                    "measured": f"{mine:,.0f}/s vs the fastest peer, {best[1]}, "
                                f"{best[0]:,.0f}/s ({mine / best[0]:.2f}x)",
                    "met": mine > best[0]})
    if len(scale_rows) >= 2:
        first, last = scale_rows[0], scale_rows[-1]
        ratios = [r["ratio_to_reference"] for r in scale_rows if "ratio_to_reference" in r]
        out.append({"target": f"per-record cost flat within 10% from {first['n']:,} to "
                              f"{last['n']:,} records",
                    "measured": ", ".join(
                        f"{r['n']:,}: {r['ratio_to_reference']:.2f}x" for r in scale_rows
                        if "ratio_to_reference" in r)
                    + f" the cost of {REFERENCE_COUNT:,} in the same process (fresh "
                      f"processes: {first['net_per_record_us']:.1f} -> "
                      f"{last['net_per_record_us']:.1f} us/record)",
                    "met": all(abs(r - 1) <= 0.10 for r in ratios)})
        peaks = [r["peak_rss_mb"] for r in scale_rows]
        growth = max(peaks) - min(peaks)
        out.append({"target": "peak memory independent of the count",
                    "measured": "peak RSS " + ", ".join(f"{p} MiB" for p in peaks)
                                + (" ; traced peaks " + ", ".join(
                                    f"{r['traced_peak_kb']} KiB" for r in scale_rows
                                    if "traced_peak_kb" in r)),
                    "met": growth <= max(2.0, 0.05 * min(peaks))})
    command = one_time["eval_command"]["median_ms"]
    out.append({"target": "policykit eval of a bundled policy, end to end: under 300 ms",
                "measured": f"{command:.0f} ms", "met": command < 300})
    loads = one_time["load_check_compile_all_bundled"]["median_ms"]
    out.append({"target": "load + check + compile of every bundled policy (grammar cached): "
                          "under 100 ms", "measured": f"{loads:.1f} ms", "met": loads < 100})
    return out


def print_report(report: dict[str, Any], cases: list[Case], peers: list[Peer]) -> None:
    by_key = {c.key: c for c in cases}
    m = report["machine"]
    print()
    print(f"policykit benchmarks, {report['date']} ({report['mode']}): {m['cpu']}, "
          f"{m['cpu_count']} CPUs, {m['python']}, {m['platform']}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items())
          + f"; policykit {report['policykit_source']}")
    print(f"workload: {report['records']:,} records {report['workload']}, as of "
          f"{AS_OF}; {report['repeats']} runs each, median (spread = (max-min)/median)")
    print()
    header = f"{'path':<58} {'input':<6} {'records/s':>10} {'us/rec':>9} {'spread':>7} " \
             f"{'vs floor':>8}"
    print(header)
    print("-" * len(header))
    for case in cases:
        ratio = ""
        if case.floor:
            ratio = f"{by_key[case.floor].median / case.median:.3f}"
        elif case.group == "floor":
            ratio = "1"
        s = case.summary()
        print(f"{case.label:<58} {case.input:<6} {s['records_per_s']:>10,} "
              f"{s['median_us']:>9.2f} {s['spread_pct']:>6.1f}% {ratio:>8}")
    if peers:
        print()
        print("policykit on plain dicts against each peer (ratio > 1: policykit is faster)")
        print(f"{'peer':<46} {'decision':>10} {'ratio':>7} {'failures':>10} {'ratio':>7}")
        for peer in peers:
            a, b = by_key[f"peer.{peer.name}.a"], by_key[f"peer.{peer.name}.b"]
            print(f"{peer.name:<46} {1e6 / a.median:>10,.0f} "
                  f"{a.median / by_key['pk.dicts.a'].median:>7.2f} "
                  f"{1e6 / b.median:>10,.0f} {b.median / by_key['pk.dicts.b'].median:>7.2f}")
    print()
    print("agreement with policykit (disagreements; each must be 0):")
    for name, bad in report["agreement"].items():
        print(f"  {bad:>5}  {name}")
    for name, why in report["peers_missing"].items():
        print(f"  peer not measured: {name}: {why}")
    print()
    ot = report["one_time"]
    print(f"import policykit: {ot['import_policykit']['median_ms']} ms (python itself starts "
          f"in {ot['python_startup']['median_ms']} ms); `{ot['eval_command']['command']}`: "
          f"{ot['eval_command']['median_ms']} ms end to end")
    print("load + check + compile (grammar cached): " + ", ".join(
        f"{k} {v['median_ms']} ms" for k, v in ot["load_check_compile"].items())
        + f"; first load in a fresh process (grammar built): "
          f"{ot['first_load_in_fresh_process']['median_ms']} ms")
    mem = report["memory"]
    print("memory: compiled policy " + ", ".join(
        f"{k} {v / 1024:.0f} KiB" for k, v in mem["compiled_policy_bytes"].items())
        + "; per result " + ", ".join(f"{k}: {v:,} B" for k, v in mem["result_bytes"].items()
                                     if k != "records"))
    print()
    if report["scale"]:
        print("evaluate_many over generated plain dicts (fresh process each):")
        for row in report["scale"]:
            traced = f", traced peak {row['traced_peak_kb']} KiB" if "traced_peak_kb" in row \
                else ""
            ratio = f" ({row['ratio_to_reference']:.2f}x 10,000 in the same process)" \
                if "ratio_to_reference" in row else ""
            print(f"  {row['n']:>9,}: {row['per_record_us']:.1f} us/record, "
                  f"{row['net_per_record_us']:.1f} without generating{ratio}, "
                  f"peak RSS {row['peak_rss_mb']} MiB{traced}")
        print()
    print("profile of the decision path on attrs records (cProfile, by own time):")
    for row in report["profile"]["attrs decision"][:8]:
        print(f"  {row['tottime_pct']:>5.1f}% own {row['cumtime_pct']:>5.1f}% cum  "
              f"{row['calls']:>8,}  {row['function']}")
    print()
    if report.get("governance"):
        governance.print_report(report["governance"])
        print()
    print("targets:")
    for t in report["targets"]:
        print(f"  [{'met' if t['met'] else 'MISSED'}] {t['target']}: {t['measured']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="1,000 records, 3 runs, scale up to 10^5 (under 2 minutes)")
    parser.add_argument("--repeats", type=int, help="timed runs of each path")
    parser.add_argument("--records", type=int, help="records in the timed workload")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write results")
    parser.add_argument("--source-label",
                        help="which policykit is measured (default: from git)")
    parser.add_argument("--scale-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale_child:
        print(json.dumps(scale_child(args.scale_child, args.runs, args.traced)))
        return 0

    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)

    n = args.records or (1_000 if args.quick else workload.N_RECORDS)
    repeats = args.repeats or (3 if args.quick else 5)
    log(f"generating {n:,} records (seed {workload.SEED})")
    data = workload.dicts(n)
    rows = workload.records(data)
    policy = policykit.bundled(workload.POLICY_ID)
    outcomes = workload.summary([policy.evaluate(r, as_of=AS_OF).outcome for r in rows])
    log(f"workload: {outcomes}")
    peers, missing = load_peers(AS_OF)
    for name, why in missing.items():
        log(f"peer not available: {name}: {why}")
    log("checking every engine against policykit on every record")
    agreement = check_agreement(policy, rows, data, peers, log)
    log(f"disagreements: {sum(agreement.values())} in total")
    cases = build_cases(policy, rows, data, peers)
    log(f"timing {len(cases)} paths, {repeats} runs each")
    run_cases(cases, repeats, log)
    by_key = {c.key: c for c in cases}
    log("profiling the decision path")
    prof = {"attrs decision": profile(by_key["pk.attrs.a"].fn, rows),
            "dicts decision": profile(by_key["pk.dicts.a"].fn, data)}
    gov = measure_governance(n, repeats, log)
    log("one-time costs")
    one_time = one_time_costs(3 if args.quick else 7, log)
    mem = memory(rows, log)
    plan = [(10_000, 3, True), (100_000, 1, False)] if args.quick else \
        [(10_000, 5, True), (100_000, 3, True), (1_000_000, 1, False)]
    log(f"scale: evaluate_many over {', '.join(f'{c:,}' for c, _, _ in plan)} records")
    scale_rows = scale(plan, log)

    report: dict[str, Any] = {
        "date": date.today().isoformat(),
        "mode": "quick" if args.quick else "full",
        "machine": machine(),
        "policykit_source": args.source_label or source_label(),
        "versions": versions(),
        "records": n,
        "repeats": repeats,
        "as_of": AS_OF.isoformat(),
        "workload": outcomes,
        "agreement": agreement,
        "peers_missing": missing,
        "peer_notes": {p.name: p.notes for p in peers},
        "policykit_b_uses": "result.outcome + result.failures (collected along the "
                            "decisive path, no explanation tree built)",
        "throughput": [dict(c.summary(), **({"ratio_to_floor": _ratio(
            by_key[c.floor].median, c.median)} if c.floor else {})) for c in cases],
        "one_time": one_time,
        "memory": mem,
        "scale": scale_rows,
        "profile": prof,
        "governance": gov,
    }
    report["vs_peers"] = [
        {"peer": p.name, "version": p.version,
         "decision_ratio": _ratio(by_key[f"peer.{p.name}.a"].median,
                                  by_key["pk.dicts.a"].median),
         "failures_ratio": _ratio(by_key[f"peer.{p.name}.b"].median,
                                  by_key["pk.dicts.b"].median)} for p in peers]
    report["targets"] = targets(by_key, peers, one_time, scale_rows)
    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    print_report(report, cases, peers)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    shown = args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json
    print(f"\nwritten {shown} in {report['wall_seconds']} s")
    return 1 if any(agreement.values()) or governance.disagreements(gov) else 0


if __name__ == "__main__":
    raise SystemExit(main())
