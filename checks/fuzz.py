"""Check 1, ``fuzz-parser``: mutants of the bundled policies through parser and checker.

Hypothesis draws each mutant: a bundled policy (whole, or its header and a run of its
statements), then one to four mutations of it: byte flips, insertions, deletions and
copies (decoded with ``surrogateescape``, so invalid UTF-8 arrives as lone surrogates);
token deletion, duplication, swapping and replacement (by tokens of every bundled policy
and a list of hostile ones); numbers made extreme (counts, quantities, years, months and
days: ``0``, ``9999``, 30 and 31 digits); lines spliced in from another bundled policy;
deep nesting.
One mutant in 40 is written to a file and read with ``policykit.load``, so the bytes
path (invalid UTF-8, size) is fuzzed too.

The safe behaviour: ``policykit.loads`` raises nothing but ``PolicyError``. A mutant the
checker accepts is then evaluated (its main rule and one other, on its example record and
on ``{}``), its lifecycles replayed (no event; every event in order; in reverse, twice),
and each answer explained in zh and en, ``to_dict()``'d (no float anywhere) and
``json.dumps``'d, without an error other than ``RecordError`` (an example record or a
history that no longer fits).

Time-boxed: ``hypothesis.find`` draws mutants until the time is up (its condition
runs each mutant and says "stop" at the deadline); only generation runs, no shrinking.
A failing mutant is reduced afterwards (lines, then characters) while it fails the same
way, so the reproducer printed is short.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

import policykit
from checks import ROOT, Outcome, Recorder, describe, signature, timed
from checks.reduce import reduce_text
from policykit.errors import PolicyError, PolicyLimitError, PolicySyntaxError, RecordError
from policykit.records import load_data

__all__ = ["Seed", "corpus", "mutants", "run", "try_policy"]

NAME = "fuzz-parser"

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[A-Za-z_][A-Za-z0-9_]*|'
                    r"[0-9]+(?:\.[0-9]+)?|\s+|.", re.DOTALL)
_STATEMENT = re.compile(r"^(criterion|decision|target|vote|procedure|requirement|term|note|"
                        r"lifecycle)\b", re.MULTILINE)

HOSTILE_TOKENS = (
    "(", ")", "{", "}", "[", "]", '"', "\\", "\x00", "\ud800", "\udfff", "\u202e", "\u2066",
    "\u200b", "\ufeff", "а", "é", "𝟘", "999999999999999999999999", "1e999999", "10**10**10",
    "0", "0/0", "1/0", "0.0000000001", "not", "not not not", "all of (", "any of (", "and",
    "or", "implies", "criterion", "decision", "target", "vote", "note", "lifecycle", "=",
    "judged", "steps (", "count of", "length of", "time since", ":", ",", "->", "半年",
    "100万元", "0 m2", "0 days", "99999999999999999999 years", "2016-02-30", "9999-12-31",
    "0000-00-00", "9999-99-99", "12-31", "unsettled", "true", "false", "__class__",
    "space.__class__", "x.y.z.w", "in", "includes", "of", "main", "subject", "over",
    "cites", "quote", "see", "says", "applies", '"{0}"', '"%s"', "\n", "\r", "\t",
)
_INTERESTING_BYTES = (0x00, 0x0A, 0x0D, 0x20, 0x22, 0x23, 0x28, 0x29, 0x2C, 0x2E, 0x3A,
                      0x3D, 0x5C, 0x7B, 0x7D, 0x7F, 0x80, 0xBF, 0xC0, 0xE2, 0xED, 0xF0,
                      0xFE, 0xFF)


@dataclass(frozen=True)
class Seed:
    """A bundled policy text, its example record and the date its example is read at."""

    name: str
    text: str
    record: Any
    as_of: date


def _example(policy_file: Path) -> tuple[Any, date]:
    example = policy_file.with_name(policy_file.name[: -len(".policy")] + ".example.yaml")
    if not example.exists():
        return {}, date(2016, 9, 1)
    text = example.read_text("utf-8")
    found = re.search(r"^# as_of: (\d{4}-\d{2}-\d{2})", text, re.MULTILINE)
    as_of = date.fromisoformat(found.group(1)) if found else date(2016, 9, 1)
    return load_data(text, "yaml"), as_of


def corpus() -> list[Seed]:
    """Every bundled policy (``policies/*/*.policy``) with its example."""
    seeds = []
    for file in sorted((ROOT / "policies").glob("*/*.policy")):
        record, as_of = _example(file)
        seeds.append(Seed(f"{file.parent.name}/{file.name}", file.read_text("utf-8"),
                          record, as_of))
    return seeds


# ---------------------------------------------------------------- mutations


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _vocabulary(seeds: list[Seed]) -> list[str]:
    found: dict[str, None] = {}
    for seed in seeds:
        for tok in _tokens(seed.text):
            if not tok.isspace() and len(tok) < 200:
                found[tok] = None
    return sorted(found) + list(HOSTILE_TOKENS)


def _slice(draw: Any, text: str) -> str:
    """The header and a run of statements: a small policy, quick to parse."""
    starts = [m.start() for m in _STATEMENT.finditer(text)]
    if len(starts) < 2:
        return text
    first = draw(st.integers(0, len(starts) - 1))
    count = draw(st.integers(1, 4))
    end = starts[first + count] if first + count < len(starts) else len(text)
    return text[: starts[0]] + text[starts[first]:end]


def _mutate_bytes(draw: Any, text: str) -> str:
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    size = len(data)
    op = draw(st.sampled_from(("flip", "set", "insert", "delete", "copy")))
    at = draw(st.integers(0, max(size - 1, 0)))
    if op == "flip" and size:
        data[at] ^= 1 << draw(st.integers(0, 7))
    elif op == "set" and size:
        data[at] = draw(st.sampled_from(_INTERESTING_BYTES) | st.integers(0, 255))
    elif op == "insert":
        data[at:at] = draw(st.binary(min_size=1, max_size=8)
                           | st.sampled_from([b"\x00", b"\xff\xfe", b"\xed\xa0\x80",
                                              b"\xe2\x80\xae", b"(" * 300, b"\xc0\xaf"]))
    elif op == "delete":
        del data[at: at + draw(st.integers(1, 64))]
    else:
        length = draw(st.integers(1, 256))
        to = draw(st.integers(0, size))
        data[to:to] = data[at: at + length]
    return bytes(data).decode("utf-8", "surrogateescape")


def _mutate_tokens(draw: Any, text: str, vocabulary: list[str]) -> str:
    toks = _tokens(text)
    solid = [i for i, tok in enumerate(toks) if not tok.isspace()]
    if not solid:
        return text + draw(st.sampled_from(vocabulary))
    op = draw(st.sampled_from(("delete", "duplicate", "swap", "replace", "insert")))
    i = draw(st.sampled_from(solid))
    if op == "delete":
        count = draw(st.integers(1, 3))
        for j in sorted(solid[solid.index(i): solid.index(i) + count], reverse=True):
            del toks[j]
    elif op == "duplicate":
        toks[i] = " ".join([toks[i]] * draw(st.integers(2, 4)))
    elif op == "swap":
        j = draw(st.sampled_from(solid))
        toks[i], toks[j] = toks[j], toks[i]
    elif op == "replace":
        toks[i] = draw(st.sampled_from(vocabulary))
    else:
        toks[i] = toks[i] + " " + draw(st.sampled_from(vocabulary)) + " "
    return "".join(toks)


def _mutate_lines(draw: Any, text: str, seeds: list[Seed]) -> str:
    lines = text.split("\n")
    op = draw(st.sampled_from(("splice", "replace", "delete", "duplicate")))
    at = draw(st.integers(0, len(lines)))
    if op in ("splice", "replace"):
        other = draw(st.sampled_from(seeds)).text.split("\n")
        start = draw(st.integers(0, len(other) - 1))
        block = other[start: start + draw(st.integers(1, 8))]
        lines[at: at + (len(block) if op == "replace" else 0)] = block
    elif op == "delete":
        del lines[at: at + draw(st.integers(1, 5))]
    else:
        lines[at:at] = lines[at: at + draw(st.integers(1, 5))]
    return "\n".join(lines)


def _mutate_nesting(draw: Any, text: str) -> str:
    """Deep nesting where an expression starts: ``not`` or brackets, up to 2,000 deep."""
    starts = [m.end() for m in re.finditer(r"= ", text)]
    if not starts:
        return text
    at = draw(st.sampled_from(starts))
    depth = draw(st.sampled_from((10, 63, 64, 65, 199, 200, 201, 1000, 2000)))
    if draw(st.booleans()):
        return text[:at] + "not " * depth + text[at:]
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    return text[:at] + "(" * depth + text[at:end] + ")" * depth + text[end:]


_EXTREME_NUMBERS = ("0", "1", "2", "9999", "10000", "0001", "12", "13", "29", "30", "31",
                    "32", "100000", "0.000001", "999999999999999999999999999999",
                    "1000000000000000000000000000000", "99999999")


def _mutate_number(draw: Any, text: str) -> str:
    """A number (a count, a quantity, a year, a month, a day) made extreme: the text
    still parses and often checks, so evaluation meets it (a period of 99999999 years,
    a date in 9999, a share of 1000000%)."""
    toks = _tokens(text)
    numbers = [i for i, tok in enumerate(toks) if tok[:1].isdigit()]
    if not numbers:
        return text
    toks[draw(st.sampled_from(numbers))] = draw(st.sampled_from(_EXTREME_NUMBERS))
    return "".join(toks)


def mutants(seeds: list[Seed]) -> st.SearchStrategy[tuple[int, str, bool]]:
    """(index of the seed, mutant text, read from a file as bytes)."""
    vocabulary = _vocabulary(seeds)

    @st.composite
    def mutant(draw: Any) -> tuple[int, str, bool]:
        index = draw(st.integers(0, len(seeds) - 1))
        text = seeds[index].text
        if draw(st.integers(0, 3)):  # three in four: a slice, quick to parse
            text = _slice(draw, text)
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(("bytes", "tokens", "tokens", "lines", "nesting",
                                         "number", "number")))
            if kind == "number":
                text = _mutate_number(draw, text)
            elif kind == "bytes":
                text = _mutate_bytes(draw, text)
            elif kind == "tokens":
                text = _mutate_tokens(draw, text, vocabulary)
            elif kind == "lines":
                text = _mutate_lines(draw, text, seeds)
            else:
                text = _mutate_nesting(draw, text)
        as_file = draw(st.integers(0, 39)) == 0
        return index, text, as_file

    return mutant()


# ---------------------------------------------------------------- one mutant


def _walk_floats(value: Any, where: str = "") -> str | None:
    """The path of the first float in JSON-ready data, or None."""
    stack = [(value, where or "$")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, float):
            return path
        if isinstance(item, dict):
            stack.extend((v, f"{path}.{k}") for k, v in item.items())
        elif isinstance(item, list | tuple):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(item))
    return None


def find_float(value: Any) -> str | None:
    """Where a float is in ``value`` (a ``to_dict()``), or None."""
    return _walk_floats(value)


def _use_result(result: policykit.Result) -> None:
    """Everything a caller may ask of a result; raises what the library raises."""
    _ = (result.outcome, result.failures, result.missing, result.pending, result.unresolved)
    result.explain("zh")
    result.explain("en")
    data = result.to_dict()
    json.dumps(data, ensure_ascii=False)
    place = find_float(data)
    if place is not None:
        raise TypeError(f"a float in to_dict() at {place}")


def try_policy(text: str, record: Any, as_of: date, *, as_file: bool = False,
               rule_pick: int = 0, loads: Callable[[str], policykit.Policy] | None = None
               ) -> str:
    """Run one policy text through the pipeline and use what it answers. Returns
    ``"refused"`` (by the parser), ``"refused by the checker"`` or ``"accepted"``;
    raises whatever escapes that should not."""
    try:
        if as_file:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "mutant.policy"
                path.write_bytes(text.encode("utf-8", "surrogateescape"))
                policy = policykit.load(path)
        else:
            policy = (loads or policykit.loads)(text)
    except (PolicySyntaxError, PolicyLimitError):
        return "refused"  # by the parser
    except PolicyError:
        return "refused by the checker"
    names = policy.rule_names()
    rules = [None, names[rule_pick % len(names)]] if names else [None]
    for rule in rules:
        for rec in (record, {}):
            try:
                result = policy.evaluate(rec, as_of=as_of, rule=rule)
            except RecordError:
                continue
            _use_result(result)
    for lifecycle in policy.lifecycles:
        names = [event.name for event in lifecycle.events]
        for order in ([], names, names[::-1] * 2):
            history = [{"on": (date(2016, 1, 1) + timedelta(days=90 * i)).isoformat(),
                        "event": name} for i, name in enumerate(order)]
            try:
                status = policy.lifecycle(history, as_of=as_of, name=lifecycle.name)
            except RecordError:
                continue
            status.explain("zh")
            status.explain("en")
            json.dumps(status.to_dict(), ensure_ascii=False)
    return "accepted"


def reproducer(text: str, record: Any, as_of: date, as_file: bool) -> str:
    load = ("import pathlib; pathlib.Path('m.policy').write_bytes(TEXT.encode('utf-8', "
            "'surrogateescape')); policy = policykit.load('m.policy')" if as_file
            else "policy = policykit.loads(TEXT)")
    return (f"# python -c: a mutant ({len(text)} characters)\n"
            "import policykit, datetime\n"
            f"TEXT = {text!r}\n"
            f"{load}\n"
            f"# then: policy.evaluate({record!r}, as_of=datetime.{as_of!r}) and "
            "explain('zh'/'en'), to_dict()")


def _reduced(text: str, failing: Callable[[str], bool], seconds: float) -> str:
    try:
        return reduce_text(text, failing, seconds=seconds)
    except Exception:
        return text


# ---------------------------------------------------------------- the check


def run(seconds: float = 120.0, *, max_inputs: int | None = None, derandomize: bool = False,
        loads: Callable[[str], policykit.Policy] | None = None,
        reduce_seconds: float = 10.0) -> Outcome:
    """Fuzz for ``seconds`` (or ``max_inputs`` mutants, whichever comes first)."""
    outcome = Outcome(NAME)
    recorder = Recorder(outcome)
    said: dict[str, int] = {}
    with timed(outcome):
        seeds = corpus()
        deadline = time.monotonic() + seconds

        def probe(drawn: tuple[int, str, bool]) -> bool:
            if time.monotonic() > deadline or (max_inputs is not None
                                               and outcome.inputs >= max_inputs):
                return True  # time is up: "found", so find() stops
            index, text, as_file = drawn
            chosen = seeds[index]
            outcome.inputs += 1
            try:
                answer = try_policy(text, chosen.record, chosen.as_of, as_file=as_file,
                                    rule_pick=outcome.inputs, loads=loads)
                said[answer] = said.get(answer, 0) + 1
            except Exception as exc:
                key = signature(exc)
                if not recorder.seen(key):
                    _record(recorder, exc, key, text, chosen, as_file, loads, reduce_seconds)
                else:
                    recorder.fail(key, "", key)
            return False

        options = settings(max_examples=10**9, deadline=None, database=None,
                           phases=[Phase.generate], derandomize=derandomize,
                           suppress_health_check=list(HealthCheck))
        with contextlib.suppress(NoSuchExample):  # the deadline ends the search
            find(mutants(seeds), probe, settings=options)
    outcome.details = (f"{said.get('refused', 0)} refused by the parser, "
                       f"{said.get('refused by the checker', 0)} by the checker, "
                       f"{said.get('accepted', 0)} accepted, evaluated and explained")
    return outcome


def _record(recorder: Recorder, exc: BaseException, key: str, text: str, chosen: Seed,
            as_file: bool, loads: Callable[[str], policykit.Policy] | None,
            reduce_seconds: float) -> None:
    def same(candidate: str) -> bool:
        try:
            try_policy(candidate, chosen.record, chosen.as_of, as_file=as_file, loads=loads)
        except Exception as again:
            return signature(again) == key
        return False

    small = _reduced(text, same, reduce_seconds)
    recorder.fail(f"{key} (from {chosen.name})",
                  lambda: reproducer(small, chosen.record, chosen.as_of, as_file)
                  + "\n" + describe(exc), key)
