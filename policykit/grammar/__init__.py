"""The policy grammar (``policy.lark``) and its LALR parser, prebuilt.

Building the LALR(1) tables from the grammar costs a few hundred milliseconds, more
than parsing, checking, evaluating and explaining a policy together. So the built
parser is shipped as generated package data, ``tables.json`` (written by
``python -m policykit.grammar.build``), and :func:`load_parser` turns it back into a
parser in a few milliseconds.

The tables are used only when they were built from this very grammar text, by the Lark
version installed, with :data:`LARK_OPTIONS`; otherwise :func:`load_parser` builds the
parser from the grammar, as if there were no tables. An edited grammar is therefore
never parsed with stale tables, only more slowly until they are regenerated (and
``tests/test_grammar_tables.py`` fails meanwhile).

Nothing is unpickled and no code is generated: the tables are JSON, Lark's own
serialised form of a parser (the one ``lark.tools.standalone`` embeds), read back by
Lark's ``Serialize`` machinery.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any

import lark
from lark import Lark

__all__ = [
    "FORMAT",
    "LARK_OPTIONS",
    "TABLES",
    "build_parser",
    "grammar_sha256",
    "grammar_text",
    "lark_data",
    "load_parser",
    "read_tables",
    "tables_match",
]

LARK_OPTIONS: MappingProxyType[str, Any] = MappingProxyType({
    "parser": "lalr",
    # The basic lexer reserves every keyword: `and`, `of`, `in`… are never names, so
    # `space.area >= and` is a syntax error, not a reference to a rule called `and`.
    "lexer": "basic",
    "propagate_positions": True,
    "maybe_placeholders": True,
    # A shift/reduce conflict or two colliding terminals introduced by an edit fail the
    # build (and so the generation of the tables) instead of parsing some texts wrongly.
    "strict": True,
    # Lark's own cache unpickles from a shared temporary directory: never used.
    "cache": False,
})
"""The options the parser is built with (and the tables were generated with)."""


def grammar_text() -> str:
    """The text of ``policy.lark``."""
    return resources.files(__name__).joinpath("policy.lark").read_text("utf-8")


def grammar_sha256(text: str) -> str:
    """The fingerprint of a grammar text the tables record and are checked against."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_parser(text: str | None = None) -> Lark:
    """The parser built from the grammar (slow: the LALR analysis runs)."""
    return Lark(grammar_text() if text is None else text, **LARK_OPTIONS)


TABLES = "tables.json"
"""The generated tables, a file of this package."""

FORMAT = 1
"""The layout of ``tables.json`` (see :func:`lark_data`); bumped when it changes."""


def tables_match(text: str, tables: Mapping[str, Any]) -> bool:
    """Whether the decoded ``tables.json`` was generated from the grammar ``text`` by
    the Lark version installed, with :data:`LARK_OPTIONS`."""
    try:
        options = tables["data"]["options"]
        return bool(
            tables["format"] == FORMAT
            and tables["grammar_sha256"] == grammar_sha256(text)
            and tables["lark_version"] == lark.__version__
            and all(options.get(key) == value for key, value in LARK_OPTIONS.items())
        )
    except (KeyError, TypeError, AttributeError):  # not the shape the generator writes
        return False


def read_tables() -> dict[str, Any] | None:
    """The decoded ``tables.json``, or None if the package has none (or a damaged one)."""
    try:
        tables = json.loads(resources.files(__name__).joinpath(TABLES).read_bytes())
    except (FileNotFoundError, ValueError):  # ValueError: not UTF-8, or not JSON
        return None
    return tables if isinstance(tables, dict) else None


def lark_data(tables: Mapping[str, Any]) -> tuple[dict[str, Any], dict[int, Any]]:
    """Lark's serialised parser (``data``, ``memo``) from the layout of ``tables.json``.

    JSON has no integer keys and no tuples, so the generator writes the two tables keyed
    by numbers 0…n-1 as lists (``states``: one list of ``[token, action, argument]`` per
    LALR state; ``memo``: the terminals and rules) and the parse table's ``tokens`` as a
    list; rules' ``empty_indices`` are tuples again here, as Lark makes them. ``tables``
    is left as it was.
    """
    frontend = tables["data"]["parser"]
    table = {
        **frontend["parser"],
        "tokens": dict(enumerate(frontend["parser"]["tokens"])),
        "states": {state: {token: (action, arg) for token, action, arg in actions}
                   for state, actions in enumerate(tables["states"])},
    }
    data = {**tables["data"], "parser": {**frontend, "parser": table}}
    memo = {i: _lark_item(item) for i, item in enumerate(tables["memo"])}
    return data, memo


def _lark_item(item: dict[str, Any]) -> dict[str, Any]:
    if item.get("__type__") != "Rule":
        return item
    options = item["options"]
    return {**item, "options": {**options, "empty_indices": tuple(options["empty_indices"])}}


def load_parser() -> Lark:
    """The parser: from the prebuilt tables if they match the grammar, else built."""
    text = grammar_text()
    tables = read_tables()
    if tables is None or not tables_match(text, tables):
        return build_parser(text)
    data, memo = lark_data(tables)
    # What lark.tools.standalone's output does with its DATA and MEMO (untyped in Lark).
    parser: Lark = Lark._load_from_dict(data, memo)  # type: ignore[no-untyped-call]
    return parser
