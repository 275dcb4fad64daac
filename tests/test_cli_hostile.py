"""The ``policykit`` command on hostile input (issue 12): never a traceback.

Every run here ends with exit status 1 (an input error) or 2 (a usage error), a message
on standard error that names what was wrong, and no Python traceback; none reaches the
command's "internal error" branch, which is kept for bugs. A few runs go through a real
subprocess so that real stream encodings are exercised.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from policykit.cli import main

ROOT = Path(__file__).resolve().parents[1]
RECOGNITION = ROOT / "policies" / "hunan" / "recognition.policy"
AS_OF = ("--as-of", "2016-09-01")

# Terminal-hostile characters: C0 (but newline), DEL, C1, bidi overrides and isolates.
HOSTILE_CHARS = (
    [chr(c) for c in range(0x20) if c != 0x0A]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)


def run(*argv: str, stdin: bytes = b"") -> tuple[int, str, str]:
    """The command in-process; standard input has a byte buffer, as a real one does."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err,
                stdin=io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    return code, out.getvalue(), err.getvalue()


def run_process(*argv: str, stdin: bytes = b"", encoding: str = "utf-8",
                cwd: Path | None = None) -> tuple[int, bytes, bytes]:
    """The command as a real process, its streams in the given encoding."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "policykit.cli", *argv], input=stdin,
                          capture_output=True, env=env, cwd=cwd, timeout=120, check=False)
    return done.returncode, done.stdout, done.stderr


def write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def _deep_json(depth: int) -> bytes:
    return b'{"area": ' + b"[" * depth + b"]" * depth + b"}"


def _deep_yaml(depth: int) -> bytes:
    return "".join("  " * i + "a:\n" for i in range(depth)).encode()


def _suite(tmp: Path, body: str) -> str:
    suite = tmp / "x.tests.yaml"
    suite.write_text(f"policy: {RECOGNITION}\n{body}", encoding="utf-8")
    return str(suite)


_CASE = "cases:\n  - name: c\n    as_of: 2016-09-01\n    record: {area: 500 m2}\n"

# Each case: how to build the argv (given a temporary folder), standard input, the
# expected exit status, the stream the message is on, and a fragment of the message.
Build = Callable[[Path], tuple[str, ...]]
HOSTILE: dict[str, tuple[Build, bytes, int, str, str]] = {
    "empty json file": (
        lambda t: ("eval", "hunan.recognition", write(t / "r.json", b""), *AS_OF),
        b"", 1, "err", "r.json: line 1, column 1: Expecting value"),
    "empty yaml file": (
        lambda t: ("eval", "hunan.recognition", write(t / "r.yaml", b""), *AS_OF),
        b"", 1, "err", "r.yaml: space: expected a mapping"),
    "directory instead of a record file": (
        lambda t: ("eval", "hunan.recognition", str(t), *AS_OF),
        b"", 1, "err", "Is a directory"),
    "record file that does not exist": (
        lambda t: ("eval", "hunan.recognition", str(t / "nonexistent.json"), *AS_OF),
        b"", 1, "err", "nonexistent.json: No such file or directory"),
    "record file with a 0xff byte": (
        lambda t: ("eval", "hunan.recognition", write(t / "r.json", b"\xff{}"), *AS_OF),
        b"", 1, "err", "r.json: byte 0 is not valid UTF-8; save the file as UTF-8"),
    "binary record file": (
        lambda t: ("eval", "hunan.recognition",
                   write(t / "r.bin", b"\x00\x01" + bytes(range(128, 256)) * 8), *AS_OF),
        b"", 1, "err", "r.bin: byte 2 is not valid UTF-8"),
    "record file in GBK": (
        lambda t: ("eval", "hunan.recognition",
                   write(t / "r.yaml", "name: 麓谷创客空间\n".encode("gbk")), *AS_OF),
        # 麓 is C2 B4 in GBK, a valid UTF-8 sequence (U+00B4); 谷 begins with B9
        b"", 1, "err", "r.yaml: byte 8 is not valid UTF-8 (it looks like GBK)"),
    "record file in UTF-16": (
        lambda t: ("eval", "hunan.recognition",
                   write(t / "r.json", '{"area": "5 m2"}'.encode("utf-16")), *AS_OF),
        b"", 1, "err", "(it looks like UTF-16)"),
    "record on stdin not UTF-8": (
        lambda t: ("eval", "hunan.recognition", "-", *AS_OF),
        b"\xff{}", 1, "err", "<stdin>: byte 0 is not valid UTF-8"),
    "record over the size limit": (
        lambda t: ("eval", "hunan.recognition",
                   write(t / "r.yaml", b"# " + b"x" * 10_000_000 + b"\n"), *AS_OF),
        b"", 1, "err", "r.yaml: the record is larger than 10000000 bytes"),
    "record on stdin over the size limit": (
        lambda t: ("eval", "hunan.recognition", "-", *AS_OF),
        b" " * 10_000_001, 1, "err", "<stdin>: the record is larger than 10000000 bytes"),
    "yaml with a python tag": (
        lambda t: ("eval", "hunan.recognition",
                   write(t / "r.yaml", b'!!python/object/apply:os.system ["echo hi"]\n'),
                   *AS_OF),
        b"", 1, "err", "is not allowed in a record"),
    "yaml alias bomb": (
        lambda t: ("eval", "hunan.recognition",
                   write(t / "r.yaml", b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"),
                   *AS_OF),
        b"", 1, "err", "r.yaml:"),
    "json array instead of an object": (
        lambda t: ("eval", "hunan.recognition", write(t / "r.json", b"[1, 2]"), *AS_OF),
        b"", 1, "err", "expected a mapping of MakerSpace fields"),
    "json NaN": (
        lambda t: ("eval", "hunan.recognition", "-", *AS_OF),
        b'{"teams": NaN}', 1, "err", "<stdin>:"),
    "json duplicate keys": (
        lambda t: ("eval", "hunan.recognition", "-", *AS_OF),
        b'{"teams": 1, "teams": 2}', 1, "err", "<stdin>:"),
    "deeply nested json": (
        lambda t: ("eval", "hunan.recognition", write(t / "r.json", _deep_json(100_000)),
                   *AS_OF),
        b"", 1, "err", "r.json: the document is nested too deeply"),
    "deeply nested yaml": (
        lambda t: ("eval", "hunan.recognition", write(t / "r.yaml", _deep_yaml(3000)),
                   *AS_OF),
        b"", 1, "err", "r.yaml: the document is nested too deeply"),
    "null inside a list of dates": (
        lambda t: ("eval", "zhuzhou.alliance", write(t / "m.json", b'{"held_on": [null]}'),
                   "--rule", "exec_meetings", "--as-of", "2018-03-01"),
        b"", 1, "err", "m.json: "),
    "example of a policy that ships none": (
        lambda t: ("eval", write(t / "p.policy", RECOGNITION.read_bytes()), "example",
                   *AS_OF),
        b"", 1, "err", "p.example.yaml: No such file or directory"),
    "unknown bundled policy id": (
        lambda t: ("eval", "hunan.nope", "example", *AS_OF),
        b"", 1, "err", "no bundled policy 'hunan.nope'"),
    "unknown rule": (
        lambda t: ("eval", "hunan.recognition", "example", *AS_OF, "--rule", "nope"),
        b"", 1, "err", "hunan.recognition has no rule 'nope'"),
    "empty rule name": (
        lambda t: ("eval", "hunan.recognition", "example", *AS_OF, "--rule", ""),
        b"", 2, "err", "argument --rule"),
    "bad --lang": (
        lambda t: ("eval", "hunan.recognition", "example", *AS_OF, "--lang", "fr"),
        b"", 2, "err", "argument --lang"),
    "bad --format": (
        lambda t: ("eval", "hunan.recognition", "example", *AS_OF, "--format", "xml"),
        b"", 2, "err", "argument --format"),
    "missing --as-of": (
        lambda t: ("eval", "hunan.recognition", "example"),
        b"", 2, "err", "--as-of"),
    "--as-of without dashes": (
        lambda t: ("eval", "hunan.recognition", "example", "--as-of", "20160901"),
        b"", 2, "err", "'20160901' is not a date: write it as YYYY-MM-DD"),
    "--as-of as an ISO week date": (
        lambda t: ("eval", "hunan.recognition", "example", "--as-of", "2016-W01-1"),
        b"", 2, "err", "'2016-W01-1' is not a date: write it as YYYY-MM-DD"),
    "--as-of with full-width digits": (
        lambda t: ("eval", "hunan.recognition", "example", "--as-of", "２０１６-09-01"),
        b"", 2, "err", "is not a date: write it as YYYY-MM-DD"),
    "--as-of 30 February": (
        lambda t: ("eval", "hunan.recognition", "example", "--as-of", "2016-02-30"),
        b"", 2, "err", "'2016-02-30' is not a date: 2016-02 has 29 days"),
    "--as-of month 13": (
        lambda t: ("eval", "hunan.recognition", "example", "--as-of", "2016-13-01"),
        b"", 2, "err", "'2016-13-01' is not a date: there is no month 13"),
    "--as-of year 0": (
        lambda t: ("eval", "hunan.recognition", "example", "--as-of", "0000-01-01"),
        b"", 2, "err", "'0000-01-01' is not a date: years run from 0001 to 9999"),
    "policy file with a syntax error": (
        lambda t: ("eval", write(t / "p.policy", b'policy t.x title "T" source\n'), "-",
                   *AS_OF),
        b"{}", 1, "err", "p.policy:1:"),
    "policy file in GBK": (
        lambda t: ("eval", write(t / "p.policy", "# 面积\n".encode("gbk")), "-", *AS_OF),
        b"{}", 1, "err", "error[PK107]"),
    "policy file that is binary": (
        lambda t: ("eval", write(t / "p.policy", bytes(range(256))), "-", *AS_OF),
        b"{}", 1, "err", "error[PK"),
    "a .policy that is a directory": (
        lambda t: ("eval", str(Path(t, "d.policy").mkdir() or t / "d.policy"), "-", *AS_OF),
        b"{}", 1, "err", "error[PK502]"),
    "policy file that does not exist": (
        lambda t: ("eval", str(t / "nonexistent.policy"), "-", *AS_OF),
        b"{}", 1, "err", "error[PK502]"),
    "check a file that does not exist": (
        lambda t: ("check", str(t / "nonexistent.policy")),
        b"", 1, "err", "nonexistent.policy: error[PK502]"),
    "check a directory": (
        lambda t: ("check", str(t)),
        b"", 1, "err", "error[PK502]"),
    "test a path that does not exist": (
        lambda t: ("test", str(t / "nonexistent")),
        b"", 1, "err", "nonexistent: No such file or directory"),
    "test a folder without suites": (
        lambda t: ("test", str(t)),
        b"", 1, "err", "no policy tests found in"),
    "test a policy without a suite beside it": (
        lambda t: ("test", write(t / "p.policy", RECOGNITION.read_bytes())),
        b"", 1, "err", "no policy tests found in"),
    "test a suite that is not UTF-8": (
        lambda t: ("test", write(t / "x.tests.yaml", "policy: 面积\n".encode("gbk"))),
        b"", 1, "out", "x.tests.yaml: byte 8 is not valid UTF-8 (it looks like GBK)"),
    "test a suite that is a list": (
        lambda t: ("test", write(t / "x.tests.yaml", b"- 1\n- 2\n")),
        b"", 1, "out", "a suite is a mapping"),
    "test a suite case with an unknown rule": (
        lambda t: ("test", _suite(t, _CASE + "    rule: nope\n    expect: {outcome: met}\n")),
        b"", 1, "out", "has no rule 'nope'"),
    "test a suite case whose set is not a mapping": (
        lambda t: ("test", _suite(t, "cases:\n  - name: c\n    as_of: 2016-09-01\n"
                                  "    set: 5\n    expect: {outcome: met}\n")),
        b"", 1, "out", "`set` is a mapping"),
    "test a suite case whose expectations are malformed": (
        lambda t: ("test", _suite(t, _CASE + "    rule: area\n"
                                  "    expect: {outcome: met, rules: [1], missing: 5,"
                                  " explain: {zh: 5}}\n")),
        b"", 1, "out", "case 'c'"),
    "unknown command": (lambda t: ("frobnicate",), b"", 2, "err", "invalid choice"),
    "no command": (lambda t: (), b"", 2, "err", "the following arguments are required"),
}


def _check_run(code: int, out: str, err: str, status: int, where: str, fragment: str) -> None:
    assert code == status, (out, err)
    assert "Traceback" not in out + err
    assert "internal error" not in out + err
    message = err if where == "err" else out
    assert fragment in message
    if status == 1 and where == "err" and "error[PK" not in err:
        assert len(err.strip().splitlines()) == 1, err  # one line
    if status == 2:
        assert err.strip().splitlines()[-1].startswith("policykit"), err
        assert "error: " in err.strip().splitlines()[-1], err


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_runs_end_in_one_message_and_no_traceback(name: str, tmp_path: Path) -> None:
    build, stdin, status, where, fragment = HOSTILE[name]
    argv = build(tmp_path)
    code, out, err = run(*argv, stdin=stdin)
    _check_run(code, out, err, status, where, fragment)


@pytest.mark.parametrize(
    "name",
    ["record file with a 0xff byte", "null inside a list of dates", "record on stdin not UTF-8",
     "--as-of 30 February", "test a path that does not exist"],
)
@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_hostile_runs_in_a_real_process(name: str, encoding: str, tmp_path: Path) -> None:
    build, stdin, status, where, fragment = HOSTILE[name]
    code, out, err = run_process(*build(tmp_path), stdin=stdin, encoding=encoding)
    _check_run(code, out.decode(encoding), err.decode(encoding), status, where, fragment)


# ----------------------------------------------------------- item 1: reading and decoding


def test_a_record_file_with_a_utf8_bom_is_read(tmp_path: Path) -> None:
    record = write(tmp_path / "r.json", codecs.BOM_UTF8 + b'{"area": "500 m2"}')
    code, out, err = run("eval", "hunan.recognition", record, *AS_OF, "--rule", "area",
                         "--lang", "en")
    assert (code, err) == (0, "")
    assert "Outcome: met" in out


def test_a_record_on_stdin_with_a_utf8_bom_is_read() -> None:
    code, out, err = run("eval", "hunan.recognition", "-", *AS_OF, "--rule", "area",
                         "--lang", "en", stdin=codecs.BOM_UTF8 + b"area: 500 m2\n")
    assert (code, err) == (0, "")
    assert "Outcome: met" in out


def test_the_byte_offset_counts_the_bom(tmp_path: Path) -> None:
    record = write(tmp_path / "r.json", codecs.BOM_UTF8 + b'{"a": "\xff"}')
    code, _, err = run("eval", "hunan.recognition", record, *AS_OF)
    assert code == 1
    assert err == f"{record}: byte 10 is not valid UTF-8; save the file as UTF-8\n"


def test_a_record_on_a_text_only_stdin_is_read() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["eval", "hunan.recognition", "-", *AS_OF, "--rule", "area", "--lang", "en"],
                stdout=out, stderr=err, stdin=io.StringIO('{"area": "500 m2"}'))
    assert (code, err.getvalue()) == (0, "")
    assert "Outcome: met" in out.getvalue()


def test_a_lone_surrogate_in_a_record_never_reaches_the_stream_raw(tmp_path: Path) -> None:
    # JSON text may spell a lone surrogate; the record layer may refuse it (exit 1) or
    # take it (exit 0), but the command prints it escaped either way.
    record = write(tmp_path / "r.json", b'{"operator": {"registered_province": "\\ud800"}}')
    code, out, err = run("eval", "hunan.recognition", record, *AS_OF)
    assert code in (0, 1)
    assert "\ud800" not in out + err
    assert "\\ud800" in out + err
    assert "Traceback" not in out + err and "internal error" not in out + err
    for encoding in ("utf-8", "ascii"):
        code, raw_out, raw_err = run_process("eval", "hunan.recognition", record, *AS_OF,
                                             encoding=encoding)
        assert code in (0, 1)
        assert b"Traceback" not in raw_out + raw_err
        assert b"\\ud800" in raw_out + raw_err


def test_chinese_output_on_an_ascii_stream_is_escaped_not_a_crash() -> None:
    code, out, err = run_process("eval", "hunan.recognition", "example", *AS_OF,
                                 encoding="ascii")
    assert code == 0, err
    assert b"Traceback" not in out + err
    assert b"\\u7ed3\\u8bba" in out  # 结论


def test_an_unexpected_exception_is_one_line_asking_for_a_report(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import policykit.api  # noqa: PLC0415

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom\nsecond line")

    monkeypatch.setattr(policykit.api.Policy, "evaluate", boom)
    code, out, err = run("eval", "hunan.recognition", "example", *AS_OF)
    assert code == 1
    assert out == ""
    assert err == "internal error: ZeroDivisionError: boom second line (please report)\n"


# ----------------------------------------------------------- item 2: control characters


HOSTILE_TEXT = "湖" + "".join(HOSTILE_CHARS) + "南"


def _hostile_record(tmp_path: Path) -> str:
    return write(tmp_path / "r.json",
                 json.dumps({"operator": {"registered_province": HOSTILE_TEXT}}).encode())


def _strings(data: object) -> set[str]:
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return set().union(*(_strings(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_strings(v) for v in data))
    return set()


def _assert_clean(text: str) -> None:
    raw = [hex(ord(c)) for c in text if c in HOSTILE_CHARS]
    assert raw == [], raw


def test_control_characters_in_a_record_are_escaped_in_text(tmp_path: Path) -> None:
    code, out, err = run("eval", "hunan.recognition", _hostile_record(tmp_path), *AS_OF)
    assert (code, err) == (0, "")
    _assert_clean(out)
    assert "\\x1b" in out and "\\x7f" in out and "\\x85" in out and "\\x9f" in out
    assert "\\t" not in out and "\\x09" in out
    assert "\\u202e" in out and "\\u2066" in out
    assert "\n\n" in out  # the explanation's own newlines survive


def test_control_characters_in_a_record_are_escaped_in_json(tmp_path: Path) -> None:
    record = _hostile_record(tmp_path)
    code, out, err = run("eval", "hunan.recognition", record, *AS_OF, "--format", "json")
    assert (code, err) == (0, "")
    _assert_clean(out)
    assert "\\u001b" in out and "\\u0085" in out and "\\u202e" in out
    assert HOSTILE_TEXT in _strings(json.loads(out))  # still JSON, and the same data


def test_control_characters_in_an_error_are_escaped(tmp_path: Path) -> None:
    record = write(tmp_path / "r.json", b'{"area": "\\u001b[2J\\u202e big"}')
    code, _, err = run("eval", "hunan.recognition", record, *AS_OF)
    assert code == 1
    _assert_clean(err)
    assert err.startswith(f"{record}: space.area: expected an area")


def test_control_characters_reach_a_real_terminal_escaped(tmp_path: Path) -> None:
    code, out, err = run_process("eval", "hunan.recognition", _hostile_record(tmp_path),
                                 *AS_OF)
    assert code == 0, err
    for char in HOSTILE_CHARS:
        assert char.encode() not in out + err
    assert b"\\x1b" in out and b"\\u202e" in out


# ----------------------------------------------------------- writing, whatever the stream


def test_the_writer_escapes_and_never_fails_to_encode() -> None:
    from policykit.cli import _write  # noqa: PLC0415

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")  # errors="strict"
    _write(stream, "结论\x1b[2J\u202e\ud800\n")
    stream.flush()
    assert raw.getvalue() == b"\\u7ed3\\u8bba\\x1b[2J\\u202e\\ud800\n"


def test_help_goes_to_the_given_stream_and_exits_0() -> None:
    code, out, err = run("eval", "--help")
    assert (code, err) == (0, "")
    assert "--as-of AS_OF" in out and "YYYY-MM-DD" in out


def test_a_closed_pipe_ends_quietly() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "policykit.cli", "eval", "hunan.recognition", "example",
         *AS_OF], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the command writes
    assert process.wait(timeout=120) == 1
    assert process.stderr.read() == b""
    process.stderr.close()


def test_test_runs_the_paths_that_exist_and_names_the_others(tmp_path: Path) -> None:
    suite = ROOT / "policies" / "hunan" / "recognition.tests.yaml"
    code, out, err = run("test", str(tmp_path / "nonexistent"), str(suite))
    assert code == 1
    assert err == f"cannot read {tmp_path / 'nonexistent'}: No such file or directory\n"
    assert out.rstrip().endswith(" failed") and " 0 passed" not in out
