"""Run the continuous checks of issue 12: ``python -m checks.run`` from the repository root.

::

    python -m checks.run [--seconds-fuzz N] [--records N] [--seconds-differential N]
                         [--quick] [--only NAME ...]

Prints one line per check (``fuzz-parser: 11873 inputs, 0 failures (120.0 s); ...``),
then every failure's reproducer (at most 20), and exits with status 1 if any check found
a failure (2 for a usage error). ``--quick`` runs each check briefly (about a minute in
all), for a look before a commit; CI runs the defaults: 120 s of fuzzing, 10^5 hostile
records (at most 100 s), 45 s of differential testing, four hash seeds (a minute at most
per child process), diamond chains of 10 to 80 levels (30 s at most per chain): about
four minutes, six at worst.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from checks import Outcome

__all__ = ["CHECKS", "main"]

MAX_SHOWN = 20


def _fuzz(args: argparse.Namespace) -> Outcome:
    from checks import fuzz  # noqa: PLC0415 - each check imports what it needs

    return fuzz.run(args.seconds_fuzz)


def _hostile(args: argparse.Namespace) -> Outcome:
    from checks import hostile  # noqa: PLC0415

    return hostile.run(args.records, seconds=args.seconds_hostile)


def _differential(args: argparse.Namespace) -> Outcome:
    from checks import differential  # noqa: PLC0415

    return differential.run(args.seconds_differential)


def _determinism(args: argparse.Namespace) -> Outcome:
    from checks import determinism  # noqa: PLC0415

    return determinism.run(args.seeds, timeout=args.child_timeout)


def _cost(args: argparse.Namespace) -> Outcome:
    from checks import cost  # noqa: PLC0415

    return cost.run(args.levels, timeout=args.cost_timeout)


CHECKS: dict[str, Callable[[argparse.Namespace], Outcome]] = {
    "fuzz-parser": _fuzz,
    "hostile-records": _hostile,
    "differential": _differential,
    "determinism": _determinism,
    "cost": _cost,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m checks.run", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds-fuzz", type=float, default=None,
                        help="seconds of parser and checker fuzzing (default 120)")
    parser.add_argument("--records", type=int, default=None,
                        help="hostile records to try (default 100000)")
    parser.add_argument("--seconds-hostile", type=float, default=None,
                        help="at most this many seconds of hostile records (default 100)")
    parser.add_argument("--seconds-differential", type=float, default=None,
                        help="seconds of differential testing (default 45)")
    parser.add_argument("--quick", action="store_true",
                        help="a short run of every check (about a minute)")
    parser.add_argument("--only", nargs="+", choices=sorted(CHECKS), metavar="NAME",
                        help=f"run only these checks ({', '.join(CHECKS)})")
    return parser


def _defaults(args: argparse.Namespace) -> None:
    quick = args.quick
    for name, full, short in (("seconds_fuzz", 120.0, 10.0), ("records", 100_000, 5_000),
                              ("seconds_hostile", 100.0, 20.0),
                              ("seconds_differential", 45.0, 10.0)):
        if getattr(args, name) is None:
            setattr(args, name, short if quick else full)
    args.seeds = ("0", "1") if quick else ("0", "1", "2", "12345")
    args.levels = (10, 20, 40) if quick else (10, 20, 40, 80)
    args.cost_timeout = 30.0
    args.child_timeout = 60.0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    _defaults(args)
    names = args.only or list(CHECKS)
    outcomes: list[Outcome] = []
    start = time.perf_counter()
    for name in names:
        outcome = CHECKS[name](args)
        outcomes.append(outcome)
        out.write(outcome.line() + "\n")
        out.flush()
    failures = [f for o in outcomes for f in o.failures]
    total = time.perf_counter() - start
    if failures:
        out.write(f"\n{len(failures)} distinct failures; the first "
                  f"{min(len(failures), MAX_SHOWN)}:\n\n")
        for failure in failures[:MAX_SHOWN]:
            out.write(failure.render() + "\n\n")
        out.write(f"checks: FAILED ({', '.join(o.name for o in outcomes if not o.ok)}) "
                  f"in {total:.0f} s\n")
        return 1
    out.write(f"checks: all {len(outcomes)} passed in {total:.0f} s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
