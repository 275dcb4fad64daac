"""The ``policykit`` command: the only module that prints.

Exit status: 0 for a result (whatever its outcome), 1 for an error in the input
(a policy that does not check, a malformed record, a failing policy test), 2 for a
usage error.

Whatever the input, the command ends with a message, never a traceback: every error in
the input is one line naming the file (or, for a policy, the diagnostics of
``policykit check``); anything else is a bug, reported in one line as ``internal error:
... (please report)``. Everything written goes through :func:`_write`, which escapes
the characters that would act on a terminal rather than show (C0 and C1 controls but
the newline, DEL, bidirectional overrides and isolates, lone surrogates) and
backslash-escapes what the stream cannot encode.
"""

from __future__ import annotations

import argparse
import calendar
import codecs
import contextlib
import io
import json
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal, TextIO

from policykit.api import NotInForce, Policy, UnknownPolicy, bundled, bundled_ids, load
from policykit.errors import PolicyError, RecordError
from policykit.records import load_data
from policykit.source import encoding_hint

__all__ = ["main"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2

#: The largest record file read (the default limit of :func:`load_data`).
MAX_RECORD_BYTES = 10_000_000


class InputError(Exception):
    """An input the command refuses; the message names it and says what is wrong."""


# ---------------------------------------------------------------- writing


# What must not reach a terminal raw: C0 controls but the newline, DEL, C1 controls,
# bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), and
# lone surrogates (which no stream can encode).
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# In JSON text the C0 controls are already escaped by json.dumps, and every other
# character of _UNSAFE can only stand inside a string, where \\uXXXX means the same.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape(text: str, keep: str = "\n") -> str:
    """``text`` with the characters that act on a terminal written as ``\\x1b`` or
    ``\\u202e``, but those in ``keep``."""

    def one(match: re.Match[str]) -> str:
        char = match.group()
        if char in keep:
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(one, text)


def _json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _write(stream: TextIO, text: str, *, keep: str = "\n", escaped: bool = False) -> None:
    """The one place the command writes: ``text`` escaped (unless it already is), and
    what the stream cannot encode written as backslash escapes."""
    if not escaped:
        text = escape(text, keep)
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- reading


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD, and only so; ValueError says what is wrong."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if match is None:
        raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2016-09-01")
    year, month, day = (int(part) for part in match.groups())
    if year < 1:
        raise ValueError(f"{text!r} is not a date: years run from 0001 to 9999")
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} is not a date: there is no month {month}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(f"{text!r} is not a date: {year:04d}-{month:02d} has {days} days")
    return date(year, month, day)


def decode_utf8(raw: bytes, name: str) -> str:
    """The text of a file's bytes: UTF-8, a leading byte-order mark dropped. Anything
    else raises InputError naming the file and the first bad byte, and saying which
    encoding the bytes look like when that is GBK or UTF-16."""
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[start:].decode("utf-8")
    except UnicodeDecodeError as err:
        where = start + err.start
        raise InputError(f"{name}: byte {where} is not valid UTF-8{encoding_hint(raw)}; "
                         "save the file as UTF-8") from None


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_RECORD_BYTES + 1)
    except OSError as err:
        raise InputError(f"cannot read {name}: {err.strerror or err}") from None
    return raw


def _too_large(size: int, name: str) -> None:
    if size > MAX_RECORD_BYTES:
        raise InputError(f"{name}: the record is larger than {MAX_RECORD_BYTES} bytes")


# ---------------------------------------------------------------- the command


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _rule(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("a rule name is required")
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policykit", description="Evaluate and explain innovation-policy rules.")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("eval", help="evaluate a record and explain the verdict")
    ev.add_argument("policy", help="a .policy file or a bundled id such as hunan.recognition")
    ev.add_argument("record", help="a JSON or YAML record file, `-` for stdin, or `example` "
                    "for the example shipped with a bundled policy")
    ev.add_argument("--rule", type=_rule, help="a rule other than the policy's main one")
    ev.add_argument("--as-of", required=True, type=_date,
                    help="the date to decide as of (YYYY-MM-DD)")
    ev.add_argument("--lang", choices=("zh", "en"), default="zh")
    ev.add_argument("--format", choices=("text", "json"), default="text")
    ev.add_argument("--articles", action="store_true",
                    help="follow the explanation with every article it cites, in full")
    ck = sub.add_parser("check", help="parse and check policy files")
    ck.add_argument("files", nargs="+", type=Path)
    ts = sub.add_parser("test", help="run the policy tests next to policies")
    ts.add_argument("paths", nargs="*", type=Path,
                    help="suite files, policies or folders (default: the bundled policies)")
    sub.add_parser("list", help="list the bundled policies")
    return parser


def _parse(argv: Sequence[str] | None, out: TextIO, err: TextIO
           ) -> argparse.Namespace | int:
    """The parsed arguments, or the exit status when argparse ends the run (--help 0,
    a usage error 2); what it prints goes through :func:`_write`."""
    said, complained = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(complained):
            return _parser().parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    finally:
        _write(out, said.getvalue())
        _write(err, complained.getvalue())


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, stdin: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parse(argv, out, err)
        if isinstance(args, int):
            return args
        if args.command == "eval":
            return _eval(args, out, err, stdin or sys.stdin)
        if args.command == "check":
            return _check(args.files, out, err)
        if args.command == "test":
            return _test(args.paths, out, err)
        return _list(out)
    except BrokenPipeError:  # the reader went away (`policykit list | head -1`)
        _quiet_stdout(out)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line, never a traceback
        _write(err, f"internal error: {type(exc).__name__}: {_one_line(str(exc))} "
                    "(please report)\n")
        return EXIT_INPUT


def _quiet_stdout(out: TextIO) -> None:
    """After a broken pipe, point standard output at /dev/null so that Python's own
    flush at exit does not complain about it again."""
    if out is sys.stdout:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())


def _policy(ref: str) -> Policy:
    path = Path(ref)
    if ref.endswith(".policy") or path.exists():
        return load(path)
    return bundled(ref)


def _record(ref: str, policy: Policy, stdin: TextIO) -> tuple[str, Any]:
    """The record's name (for messages) and its data."""
    fmt: Literal["json", "yaml"]
    if ref == "-":
        name = "<stdin>"
        buffer = getattr(stdin, "buffer", None)
        if buffer is not None:
            raw = buffer.read(MAX_RECORD_BYTES + 1)
            _too_large(len(raw), name)
            text = decode_utf8(raw, name)
        else:  # a text stream only (a StringIO)
            text = stdin.read(MAX_RECORD_BYTES + 1).removeprefix("\ufeff")
            _too_large(len(text), name)
        fmt = "json" if text.lstrip().startswith(("{", "[")) else "yaml"
    else:
        if ref == "example":
            if policy.path is None:
                raise InputError(f"{policy.id} ships no example record")
            path = policy.path.with_name(policy.path.name[: -len(".policy")] + ".example.yaml")
        else:
            path = Path(ref)
        name = str(path)
        raw = _read_bytes(path, name)
        _too_large(len(raw), name)
        text = decode_utf8(raw, name)
        fmt = "json" if path.suffix == ".json" else "yaml"
    try:
        return name, load_data(text, fmt, max_bytes=MAX_RECORD_BYTES)
    except RecordError as exc:
        raise InputError(_record_message(name, exc)) from None


def _record_message(name: str, exc: RecordError) -> str:
    lines = []
    for problem in exc.problems:
        where = "" if problem.path == "<document>" else f"{problem.path}: "
        lines.append(f"{name}: {where}{_one_line(problem.message)}")
    return "\n".join(lines) or f"{name}: {_one_line(str(exc))}"


def _eval(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    try:
        policy = _policy(args.policy)
        if args.rule is not None:
            policy.rule_subject(args.rule)  # a KeyError with a hint for a wrong name
        name, record = _record(args.record, policy, stdin)
        try:
            result = policy.evaluate(record, as_of=args.as_of, rule=args.rule)
        except RecordError as exc:
            raise InputError(_record_message(name, exc)) from None
    except (PolicyError, UnknownPolicy, NotInForce, InputError) as exc:
        _write(err, f"{exc}\n")
        return EXIT_INPUT
    except KeyError as exc:  # an unknown --rule, from rule_subject only
        _write(err, f"{exc.args[0]}\n")
        return EXIT_INPUT
    for warning in result.warnings:  # also first in the explanation and in the JSON
        _write(err, f"warning: {warning.text.text(args.lang)}\n")
    if args.format == "json":
        _write(out, _json(result.to_dict()), escaped=True)
    else:
        _write(out, result.explain(lang=args.lang, articles=args.articles))
    return EXIT_OK


def _check(files: list[Path], out: TextIO, err: TextIO) -> int:
    status = EXIT_OK
    for file in files:
        try:
            policy = load(file)
        except PolicyError as exc:
            _write(err, f"{exc}\n\n")
            status = EXIT_INPUT
            continue
        _write(out, f"ok: {file} ({policy.id}, {len(policy.rule_names())} rules)\n")
    return status


def _default_test_paths(err: TextIO) -> tuple[list[Path], int]:
    """The bundled policies' files, and how many of them do not load (each reported)."""
    paths, broken = [], 0
    for pid in bundled_ids():
        try:
            file = bundled(pid).path
        except PolicyError as exc:  # a bundled policy being edited: a failure, not a crash
            _write(err, f"{exc}\n")
            broken += 1
            continue
        if file is not None:
            paths.append(file)
    return paths, broken


def _test(paths: list[Path], out: TextIO, err: TextIO) -> int:
    from policykit.testing import discover, run_paths  # noqa: PLC0415 - only `test` needs it

    status = EXIT_OK
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            _write(err, f"cannot read {path}: No such file or directory\n")
            status = EXIT_INPUT
        elif not discover([path]):
            _write(err, f"no policy tests found in {path} (a suite is NAME.tests.yaml "
                        "beside NAME.policy)\n")
            status = EXIT_INPUT
        else:
            found.append(path)
    if status != EXIT_OK and not found:
        return status
    passed = failed = 0
    if not found:
        found, failed = _default_test_paths(err)
    for suite, case, problems in run_paths(found):
        if problems:
            failed += 1
            _write(out, f"FAIL {suite}: {case}\n")
            for problem in problems:
                _write(out, f"  {problem}\n")
        else:
            passed += 1
    _write(out, f"policy tests: {passed} passed, {failed} failed\n")
    return EXIT_INPUT if failed or not passed or status != EXIT_OK else EXIT_OK


def _list(out: TextIO) -> int:
    for pid in bundled_ids():
        info = bundled(pid).info
        _write(out, f"{pid}\t{info.title.zh}\t{info.title.en or ''}\n", keep="\n\t")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
