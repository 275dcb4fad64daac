"""Regenerate ``policykit/grammar/tables.json``, the prebuilt parser, from ``policy.lark``.

Run after editing the grammar (or upgrading Lark)::

    python -m policykit.grammar.build           # rewrite tables.json
    python -m policykit.grammar.build --check   # exit 1 if tables.json is stale

The output is deterministic: Lark numbers its LALR states in an order that varies with
Python's hash seed, so the states are renumbered here in breadth-first order from the
start state, and the tokens by name. Regenerating from an unchanged grammar gives the
same file, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import lark
from lark import Lark
from lark.grammar import Rule
from lark.lexer import TerminalDef

from policykit.grammar import FORMAT, TABLES, build_parser, grammar_sha256, grammar_text

__all__ = ["TABLES_PATH", "main", "render", "serialize"]

TABLES_PATH = Path(__file__).with_name(TABLES)
"""Where the generated tables live: inside the package, so the wheel ships them."""


def serialize(parser: Lark) -> tuple[dict[str, Any], dict[int, Any]]:
    """``parser`` as Lark's plain data (``DATA``, ``MEMO``), its parse table canonical."""
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["parser"]["parser"] = _canonical_table(data["parser"]["parser"])
    return data, memo


def _canonical_table(table: dict[str, Any]) -> dict[str, Any]:
    """Lark's serialised LALR table with states and tokens numbered independently of the
    hash seed: tokens in name order, states breadth first from the start states."""
    names: dict[int, str] = table["tokens"]
    token_index = {name: i for i, name in enumerate(sorted(names.values()))}
    states: dict[int, dict[int, tuple[int, Any]]] = table["states"]

    def actions(state: int) -> list[tuple[str, tuple[int, Any]]]:
        return sorted((names[token], action) for token, action in states[state].items())

    number: dict[int, int] = {}
    queue: deque[int] = deque()
    for start in sorted(table["start_states"]):
        state = table["start_states"][start]
        if state not in number:
            number[state] = len(number)
            queue.append(state)
    while queue:
        for _name, (kind, target) in actions(queue.popleft()):
            if kind == 0 and target not in number:  # a shift (or goto): another state
                number[target] = len(number)
                queue.append(target)
    if len(number) != len(states):  # pragma: no cover - every LR state is reachable
        raise AssertionError("the LALR table has states the start state does not reach")
    old_of = {new: old for old, new in number.items()}
    return {
        "tokens": {i: name for name, i in token_index.items()},
        "states": {
            new: {token_index[name]: (kind, number[arg] if kind == 0 else arg)
                  for name, (kind, arg) in actions(old_of[new])}
            for new in range(len(old_of))
        },
        "start_states": {k: number[v] for k, v in sorted(table["start_states"].items())},
        "end_states": {k: number[v] for k, v in sorted(table["end_states"].items())},
    }


def render(text: str | None = None) -> str:
    """The text of ``tables.json`` for the grammar ``text`` (default: ``policy.lark``).

    One line per LALR state and per terminal or rule, so a change to the grammar shows
    in a diff as the lines it changes.
    """
    text = grammar_text() if text is None else text
    data, memo = serialize(build_parser(text))
    table = data["parser"]["parser"]
    states = table.pop("states")
    table["tokens"] = [table["tokens"][i] for i in range(len(table["tokens"]))]
    if sorted(memo) != list(range(len(memo))):  # pragma: no cover - Lark numbers from 0
        raise AssertionError("Lark's memo is not numbered 0…n-1")

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def rows(items: list[str]) -> str:
        return "[\n" + ",\n".join(items) + "\n]"

    head = {
        "generated": "by `python -m policykit.grammar.build` from policy.lark: do not edit",
        "format": FORMAT,
        "grammar_sha256": grammar_sha256(text),
        "lark_version": lark.__version__,
    }
    fields = [f"{dump(key)}:{dump(value)}" for key, value in head.items()]
    fields.append(f'"data":{dump(data)}')
    fields.append('"states":' + rows([
        dump([[token, kind, arg] for token, (kind, arg) in states[i].items()])
        for i in range(len(states))
    ]))
    fields.append('"memo":' + rows([dump(memo[i]) for i in range(len(memo))]))
    return "{\n" + ",\n".join(fields) + "\n}\n"


def main(argv: Sequence[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m policykit.grammar.build",
                                  description="Regenerate the prebuilt grammar tables.")
    cli.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 if the tables are not current")
    args = cli.parse_args(argv)
    source = render()
    current = TABLES_PATH.read_text("utf-8") if TABLES_PATH.exists() else None
    if args.check:
        if current == source:
            print(f"{TABLES_PATH.name} is current")
            return 0
        print(f"{TABLES_PATH.name} is stale: run `python -m policykit.grammar.build`",
              file=sys.stderr)
        return 1
    if current != source:
        TABLES_PATH.write_text(source, "utf-8")
        print(f"wrote {TABLES_PATH}")
    else:
        print(f"{TABLES_PATH.name} was current")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
