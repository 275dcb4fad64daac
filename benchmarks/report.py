"""Print the figures of ``benchmarks/results/latest.json`` as reStructuredText tables.

``python -m benchmarks.report [path]``: the tables of the "Latest figures" section of
``docs/benchmarks.rst``, to paste there after a run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchmarks.run import RESULTS


def _table(title: str, header: list[str], rows: list[list[str]], widths: str) -> str:
    lines = [f".. list-table:: {title}", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *rows]:
        lines.append(f"   * - {row[0]}")
        lines.extend(f"     - {cell}".rstrip() for cell in row[1:])
    return "\n".join(lines) + "\n"


def _n(value: float) -> str:
    return f"{value:,.0f}"


def render(report: dict[str, Any]) -> str:
    out: list[str] = []
    rows = []
    for t in report["throughput"]:
        ratio = t.get("ratio_to_floor")
        rows.append([t["label"], t["input"], _n(t["records_per_s"]), f"{t['median_us']:.1f}",
                     f"{t['spread_pct']:.0f}%",
                     "1" if t["group"] == "floor" else "" if ratio is None else f"{ratio:.3f}"])
    out.append(_table("Records per second (median of the runs)",
                      ["path", "input", "records/s", "µs/record", "spread", "vs floor"],
                      rows, "44 8 12 10 8 10"))
    rows = [[p["peer"], p["version"], f"{p['decision_ratio']:.2f}", f"{p['failures_ratio']:.2f}"]
            for p in report["vs_peers"]]
    out.append(_table("policykit on plain dicts against each peer (above 1: policykit faster)",
                      ["peer", "version", "decision", "with failures"], rows, "50 14 18 18"))
    rows = [[f"{r['n']:,}", f"{r['per_record_us']:.1f}", f"{r['net_per_record_us']:.1f}",
             f"{r['ratio_to_reference']:.2f}" if "ratio_to_reference" in r else "",
             f"{r['peak_rss_mb']}", f"{r.get('traced_peak_kb', '')}"] for r in report["scale"]]
    out.append(_table("evaluate_many over generated plain dicts, each count in a fresh process",
                      ["records", "µs/record", "µs/record without generating",
                       "vs 10,000 in the same process", "peak RSS (MiB)", "traced peak (KiB)"],
                      rows, "12 12 20 20 16 20"))
    gov = report.get("governance")
    if gov:  # absent from the results of runs before it was added
        vote, cycle = gov["vote"], gov["lifecycle"]
        rows = []
        for t in vote["throughput"] + cycle["throughput"]:
            ratio = t.get("ratio_to_floor")
            per_event = t.get("median_us_per_event")
            label = t["label"] if per_event is None else \
                f"{t['label']} ({per_event:.1f} µs per event)"
            us = t["median_us"]
            rows.append([label, t["input"], _n(t["records_per_s"]),
                         f"{us:.2f}" if us < 10 else f"{us:.1f}", f"{t['spread_pct']:.0f}%",
                         "1" if t["group"] == "floor" else
                         "" if ratio is None else f"{ratio:.3f}"])
        events = cycle["workload"]["events"]
        out.append(_table(
            f"Governance: the vote ``{vote['rule']}`` of {vote['policy']} over "
            f"{vote['records']:,} ballots; the lifecycle ``{cycle['lifecycle']}`` of "
            f"{cycle['policy']} replayed over {cycle['histories']:,} histories of "
            f"{events['min']}–{events['max']} events (mean {events['mean']})",
            ["path", "input", "records/s", "µs/record", "spread", "vs floor"],
            rows, "44 8 12 10 8 10"))
    rows = [[t["target"], t["measured"], "met" if t["met"] else "**missed**"]
            for t in report["targets"]]
    out.append(_table("Targets of issue 7", ["target", "measured", "result"], rows, "50 38 12"))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else RESULTS
    print(render(json.loads(path.read_text("utf-8"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
