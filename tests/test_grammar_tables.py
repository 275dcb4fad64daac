"""The prebuilt parser (policykit/grammar/tables.json) against the grammar it came from.

The tables must be current (regenerated after every edit of policy.lark), must be used
only when they match the grammar, and the parser read from them must behave exactly as
the one Lark builds from the grammar: the same trees, with the same positions, for every
bundled policy, and the same syntax errors.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput, UnexpectedToken

from policykit import grammar, parser
from policykit.errors import PolicyError
from policykit.grammar import build as generator

ROOT = Path(__file__).resolve().parent.parent
POLICIES = sorted((ROOT / "policies").rglob("*.policy"))
HEADER = 'policy t.x title "T" source "S" issued 2016-06-01 by "I" subject space: MakerSpace\n'

BUILD = grammar.build_parser  # before any test replaces it

BROKEN = [
    "",
    "policy",
    "policy p subject s:",
    HEADER + "criterion a = ",
    HEADER + 'criterion a cites "1" = space.area >= 500 m2 and',
    HEADER + 'criterion a cites "1" = space.area >= 500 m2 )',
    HEADER + 'criterion a cites "1" = space.area >= 5e3 m2',
    HEADER + 'criterion a cites "1" = space.area （ 500 m2',
    HEADER + 'criterion a cites "1" = _area >= 500 m2',
    HEADER + 'criterion a cites "1" = space.name == "unterminated',
    HEADER + 'criterion a cites "1" = all of (',
    HEADER + 'criterion a cites "1" = all of (x, y',
    HEADER + 'lifecycle l "L" states { a "A" } initial',
    *[text for texts in parser._EXAMPLES.values() for text in texts],
]


@functools.cache
def built() -> Lark:
    """A parser built from the grammar now, not read from the tables."""
    return BUILD()


@functools.cache
def loaded() -> Lark:
    """The parser read from the shipped tables (never built: that would hide staleness)."""
    tables = grammar.read_tables()
    assert tables is not None, "policykit/grammar/tables.json is missing"
    assert grammar.tables_match(grammar.grammar_text(), tables), (
        "tables.json is stale: run `python -m policykit.grammar.build`")
    data, memo = grammar.lark_data(tables)
    parser_: Lark = Lark._load_from_dict(data, memo)
    return parser_


def shape(tree: Tree[Token]) -> list[tuple[Any, ...]]:
    """The tree in pre-order, every node with its kind, text and position."""
    rows: list[tuple[Any, ...]] = []
    stack: list[Tree[Token] | Token | None] = [tree]
    while stack:
        item = stack.pop()
        if item is None:  # a placeholder of an absent optional part (maybe_placeholders)
            rows.append(("None",))
        elif isinstance(item, Token):
            rows.append(("token", item.type, str(item), item.start_pos, item.end_pos,
                         item.line, item.column, item.end_line, item.end_column))
        else:
            meta = item.meta
            rows.append(("tree", str(item.data), len(item.children), meta.empty,
                         *(getattr(meta, k, None) for k in (
                             "start_pos", "end_pos", "line", "column", "end_line",
                             "end_column"))))
            stack.extend(reversed(item.children))
    return rows


def failure(lark: Lark, text: str) -> tuple[Any, ...]:
    """What ``lark`` reports for the broken ``text`` (all but the LALR state's number,
    which is numbered differently in the tables)."""
    with pytest.raises(UnexpectedInput) as info:
        lark.parse(text)
    err = info.value
    found: tuple[Any, ...] = (type(err).__name__, getattr(err, "pos_in_stream", None),
                              err.line, err.column, sorted(getattr(err, "expected", ()) or ()),
                              sorted(getattr(err, "allowed", ()) or ()))
    if isinstance(err, UnexpectedToken):
        found += (err.token.type, str(err.token), sorted(err.accepts or ()))
    return found


def messages(text: str) -> list[str]:
    """The diagnostics :func:`policykit.parser.parse` reports for ``text``."""
    with pytest.raises(PolicyError) as info:
        parser.parse(text)
    return [f"{d.code} {d.message} | {d.hint}" for d in info.value.diagnostics]


# ---------------------------------------------------------------- the shipped tables


def test_the_shipped_tables_are_current() -> None:
    shipped = (ROOT / "policykit" / "grammar" / grammar.TABLES).read_text("utf-8")
    tables = json.loads(shipped)
    assert tables["grammar_sha256"] == grammar.grammar_sha256(grammar.grammar_text()), (
        "policy.lark changed since tables.json was generated: "
        "run `python -m policykit.grammar.build`")
    # Regenerating gives the very same file: the tables are those of this grammar and of
    # this Lark, and their numbering does not depend on the hash seed of the process.
    assert generator.render() == shipped, "run `python -m policykit.grammar.build`"


def test_the_package_carries_the_tables_the_parser_uses() -> None:
    tables = grammar.read_tables()
    assert tables is not None
    assert tables["format"] == grammar.FORMAT
    assert tables["data"]["options"]["strict"] is True
    assert grammar.tables_match(grammar.grammar_text(), tables)


def test_the_parser_is_read_from_the_tables_not_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str | None = None) -> Lark:
        raise AssertionError("the parser was built although the tables are current")

    monkeypatch.setattr(grammar, "build_parser", refuse)
    lark = grammar.load_parser()
    assert lark.options.parser == "lalr"
    assert lark.options.lexer == "basic"
    assert lark.options.strict is True
    assert lark.options.propagate_positions is True
    assert lark.options.maybe_placeholders is True
    assert lark.parse(POLICIES[0].read_text("utf-8")).data == "start"


def test_regenerating_twice_writes_the_same_file_and_check_tells_stale_from_current(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "tables.json"
    monkeypatch.setattr(generator, "TABLES_PATH", target)
    assert generator.main(["--check"]) == 1  # no file yet
    assert generator.main([]) == 0
    first = target.read_text("utf-8")
    assert first == (ROOT / "policykit" / "grammar" / grammar.TABLES).read_text("utf-8")
    assert generator.main([]) == 0
    assert target.read_text("utf-8") == first
    assert generator.main(["--check"]) == 0
    target.write_text(first.replace(grammar.grammar_sha256(grammar.grammar_text()), "0" * 64),
                      "utf-8")
    assert generator.main(["--check"]) == 1
    assert "stale" in capsys.readouterr().err


def test_the_command_regenerates_alike_under_another_hash_seed() -> None:
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-m", "policykit.grammar.build", "--check"],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert "current" in done.stdout


# ---------------------------------------------------------------- never stale tables


def _record_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built_from: list[str] = []

    def build(text: str | None = None) -> Lark:
        built_from.append(text or "")
        return built()

    monkeypatch.setattr(grammar, "build_parser", build)
    return built_from


def test_an_edited_grammar_is_built_not_read_from_stale_tables(
        monkeypatch: pytest.MonkeyPatch) -> None:
    edited = grammar.grammar_text() + "\n// an edit\n"
    monkeypatch.setattr(grammar, "grammar_text", lambda: edited)
    built_from = _record_builds(monkeypatch)
    assert grammar.load_parser() is built()
    assert built_from == [edited]


def test_missing_tables_mean_building(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grammar, "read_tables", lambda: None)
    built_from = _record_builds(monkeypatch)
    assert grammar.load_parser() is built()
    assert built_from == [grammar.grammar_text()]


@pytest.mark.parametrize("change", [
    lambda t: t.update(lark_version="0.0.1"),
    lambda t: t.update(format=grammar.FORMAT + 1),
    lambda t: t.update(grammar_sha256="0" * 64),
    lambda t: t["data"]["options"].update(strict=False),
    lambda t: t["data"]["options"].update(lexer="contextual"),
    lambda t: t["data"].pop("options"),
    lambda t: t.pop("grammar_sha256"),
    lambda t: t.update(data=[]),
], ids=["lark version", "format", "grammar", "strict", "lexer", "no options", "no hash",
        "malformed"])
def test_tables_from_another_grammar_lark_or_options_do_not_match(change: Any) -> None:
    tables = grammar.read_tables()
    assert tables is not None
    text = grammar.grammar_text()
    assert grammar.tables_match(text, tables)
    change(tables)
    assert not grammar.tables_match(text, tables)


@pytest.mark.parametrize("name", ["policy.lark", "no-such-tables.json"])
def test_damaged_or_absent_tables_read_as_none(name: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grammar, "TABLES", name)  # policy.lark: a file that is not JSON
    assert grammar.read_tables() is None
    built_from = _record_builds(monkeypatch)
    assert grammar.load_parser() is built()
    assert len(built_from) == 1


def test_decoding_the_tables_leaves_them_as_read() -> None:
    tables = grammar.read_tables()
    assert tables is not None
    before = json.dumps(tables, sort_keys=True)
    data, memo = grammar.lark_data(tables)
    assert json.dumps(tables, sort_keys=True) == before
    assert sorted(memo) == list(range(len(tables["memo"])))
    assert len(data["parser"]["parser"]["states"]) == len(tables["states"])
    rules = [item for item in memo.values() if item["__type__"] == "Rule"]
    assert rules
    assert all(isinstance(rule["options"]["empty_indices"], tuple) for rule in rules)


def test_stale_tables_fall_back_to_building(monkeypatch: pytest.MonkeyPatch) -> None:
    stale = grammar.read_tables()
    assert stale is not None
    stale["lark_version"] = "0.0.1"
    monkeypatch.setattr(grammar, "read_tables", lambda: stale)
    built_from = _record_builds(monkeypatch)
    assert grammar.load_parser() is built()
    assert built_from == [grammar.grammar_text()]


# ---------------------------------------------------------------- the same parser


def test_there_are_bundled_policies_to_compare() -> None:
    assert len(POLICIES) >= 5


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: str(p.relative_to(ROOT / "policies")))
def test_read_and_built_parsers_give_the_same_tree(path: Path) -> None:
    text = path.read_text("utf-8")
    from_tables = shape(loaded().parse(text))
    assert from_tables == shape(built().parse(text))
    assert len(from_tables) > 50  # a real policy, not an empty parse
    assert from_tables[0][:2] == ("tree", "start")


@pytest.mark.parametrize("text", BROKEN)
def test_read_and_built_parsers_fail_alike(text: str) -> None:
    assert failure(loaded(), text) == failure(built(), text)


def test_syntax_errors_read_alike_with_either_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    # The catalogue of broken examples is keyed by LALR state numbers, which differ
    # between the tables and a fresh build: it is recomputed with each, and must name
    # the same mistakes with the same words.
    with_tables = [messages(text) for text in BROKEN]
    assert any("a comparison needs a value on both sides" in m for ms in with_tables for m in ms)
    parser._catalogue.cache_clear()
    monkeypatch.setattr(parser, "_lark", built)
    try:
        assert [messages(text) for text in BROKEN] == with_tables
    finally:
        parser._catalogue.cache_clear()


def test_the_running_parser_is_the_one_from_the_tables() -> None:
    # policykit.parser keeps one parser per process; with current tables it is read from
    # them, so its LALR states are numbered as in tables.json (a fresh build numbers them
    # in an order that varies with the hash seed).
    tables = grammar.read_tables()
    assert tables is not None
    names = tables["data"]["parser"]["parser"]["tokens"]
    running = parser._lark().parser.parser._parse_table.states
    assert len(running) == len(tables["states"]) > 100
    for number, actions in enumerate(tables["states"]):
        assert set(running[number]) == {names[token] for token, _kind, _arg in actions}
