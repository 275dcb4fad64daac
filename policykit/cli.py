"""The ``policykit`` command: the only module that prints.

Exit status: 0 for a result (whatever its outcome), 1 for an error in the input
(a policy that does not check, a malformed record, a failing policy test), 2 for a
usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from policykit.api import NotInForce, Policy, UnknownPolicy, bundled, bundled_ids, load
from policykit.errors import PolicyError, RecordError
from policykit.records import load_data

__all__ = ["main"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policykit", description="Evaluate and explain innovation-policy rules.")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("eval", help="evaluate a record and explain the verdict")
    ev.add_argument("policy", help="a .policy file or a bundled id such as hunan.recognition")
    ev.add_argument("record", help="a JSON or YAML record file, `-` for stdin, or `example` "
                    "for the example shipped with a bundled policy")
    ev.add_argument("--rule", help="a rule other than the policy's main one")
    ev.add_argument("--as-of", required=True, type=_date, help="the date to decide as of")
    ev.add_argument("--lang", choices=("zh", "en"), default="zh")
    ev.add_argument("--format", choices=("text", "json"), default="text")
    ck = sub.add_parser("check", help="parse and check policy files")
    ck.add_argument("files", nargs="+", type=Path)
    ts = sub.add_parser("test", help="run the policy tests next to policies")
    ts.add_argument("paths", nargs="*", type=Path,
                    help="suite files, policies or folders (default: the bundled policies)")
    sub.add_parser("list", help="list the bundled policies")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, stdin: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help exits 0, a usage error 2
        return int(exc.code or 0)
    if args.command == "eval":
        return _eval(args, out, err, stdin or sys.stdin)
    if args.command == "check":
        return _check(args.files, out, err)
    if args.command == "test":
        return _test(args.paths, out)
    return _list(out)


def _policy(ref: str) -> Policy:
    path = Path(ref)
    if ref.endswith(".policy") or path.exists():
        return load(path)
    return bundled(ref)


def _record(ref: str, policy: Policy, stdin: TextIO) -> Any:
    if ref == "-":
        text = stdin.read()
        return load_data(text, "json" if text.lstrip().startswith(("{", "[")) else "yaml")
    if ref == "example":
        if policy.path is None:
            raise FileNotFoundError("this policy ships no example record")
        path = policy.path.with_name(policy.path.name[: -len(".policy")] + ".example.yaml")
    else:
        path = Path(ref)
    return load_data(path.read_text("utf-8"), "json" if path.suffix == ".json" else "yaml")


def _eval(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    try:
        policy = _policy(args.policy)
        record = _record(args.record, policy, stdin)
        result = policy.evaluate(record, as_of=args.as_of, rule=args.rule)
        if args.format == "json":
            out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(result.explain(lang=args.lang))
    except (PolicyError, RecordError, UnknownPolicy, NotInForce) as exc:
        err.write(f"{exc}\n")
        return EXIT_INPUT
    except KeyError as exc:  # an unknown --rule
        err.write(f"{exc.args[0]}\n")
        return EXIT_INPUT
    except OSError as exc:
        err.write(f"cannot read {exc.filename or args.record}: {exc.strerror or exc}\n")
        return EXIT_INPUT
    return EXIT_OK


def _check(files: list[Path], out: TextIO, err: TextIO) -> int:
    status = EXIT_OK
    for file in files:
        try:
            policy = load(file)
        except PolicyError as exc:
            err.write(f"{exc}\n\n")
            status = EXIT_INPUT
            continue
        out.write(f"ok: {file} ({policy.id}, {len(policy.rule_names())} rules)\n")
    return status


def _default_test_paths() -> list[Path]:
    paths = []
    for pid in bundled_ids():
        file = bundled(pid).path
        if file is not None:
            paths.append(file)
    return paths


def _test(paths: list[Path], out: TextIO) -> int:
    from policykit.testing import SuiteError, run_paths  # noqa: PLC0415 - only `test` needs it

    passed = failed = 0
    try:
        for suite, case, problems in run_paths(paths or _default_test_paths()):
            if problems:
                failed += 1
                out.write(f"FAIL {suite}: {case}\n")
                for problem in problems:
                    out.write(f"  {problem}\n")
            else:
                passed += 1
    except SuiteError as exc:  # pragma: no cover - run_paths reports suite errors as failures
        out.write(f"{exc}\n")
        return EXIT_INPUT
    out.write(f"policy tests: {passed} passed, {failed} failed\n")
    return EXIT_INPUT if failed or not passed else EXIT_OK


def _list(out: TextIO) -> int:
    for pid in bundled_ids():
        info = bundled(pid).info
        out.write(f"{pid}\t{info.title.zh}\t{info.title.en or ''}\n")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
