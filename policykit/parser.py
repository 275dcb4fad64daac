"""Text to AST: the only module that sees Lark trees.

``parse(text, filename) -> nodes.Policy`` or a :class:`~policykit.errors.PolicyError`.
Limits (bytes, nesting depth, node count, string length) are checked before and
while building the AST, iteratively, so hostile input is rejected with an error that
names the limit, never a ``RecursionError`` or a hang.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from policykit import nodes as n
from policykit.diagnostics import Collector
from policykit.errors import policy_error
from policykit.grammar import load_parser
from policykit.quantities import MAX_DIGITS
from policykit.source import Source, Span

__all__ = ["DEFAULT_LIMITS", "Limits", "parse"]


@attrs.frozen
class Limits:
    """Bounds on a policy text, each checked before it can cost much.

    The defaults are far above any real instrument (the largest bundled policy is a
    few kilobytes, nested at most six deep).
    """

    max_bytes: int = 1_000_000
    max_depth: int = attrs.field(default=64, validator=attrs.validators.le(200))
    max_nodes: int = 200_000
    max_string: int = 10_000
    max_chain: int = 1_000


DEFAULT_LIMITS = Limits()

# Bidirectional controls (Trojan Source) and zero-width characters, refused anywhere:
# a policy never needs them, and in a comment or string they can hide what the text says.
_FORBIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff\x00]")


@functools.cache
def _lark() -> Lark:
    # The LALR tables are prebuilt (policykit/grammar/tables.json) and used when they
    # match policy.lark; otherwise the parser is built from the grammar, in strict mode.
    return load_parser()


def parse(text: str, filename: str = "<string>", limits: Limits = DEFAULT_LIMITS) -> n.Policy:
    """Parse a policy text into its AST, or raise :class:`PolicyError`."""
    source = Source(filename, text)
    diags = Collector(filename=filename)
    _precheck(source, limits, diags)
    if diags:
        raise policy_error(diags.diagnostics)
    tree = _parse_tree(source, diags)
    if tree is None:
        raise policy_error(diags.diagnostics)
    _check_shape(tree, source, limits, diags)
    if diags:
        raise policy_error(diags.diagnostics)
    policy = _Builder(source, limits, diags).policy(tree)
    if diags:
        raise policy_error(diags.diagnostics)
    return policy


def _precheck(source: Source, limits: Limits, diags: Collector) -> None:
    size = len(source.text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        diags.error(
            "PK110", f"the policy is {size} bytes, over the limit of {limits.max_bytes}",
            None, "split it, or raise Limits.max_bytes if this is a trusted policy",
        )
        return
    for match in _FORBIDDEN.finditer(source.text):
        ch = match.group()
        name = unicodedata.name(ch, f"U+{ord(ch):04X}")
        diags.error(
            "PK103", f"the character {name} (U+{ord(ch):04X}) is not allowed in a policy",
            Span(source, match.start(), match.end()),
            "delete it: invisible and direction-changing characters can hide what a rule says",
        )
    for i, ch in enumerate(source.text):
        if 0xD800 <= ord(ch) <= 0xDFFF:
            diags.error("PK107", "the text holds a lone surrogate, which is not valid UTF-8",
                        Span(source, i, i + 1), "re-save the file as UTF-8")
            break
    if not diags:
        _check_brackets(source, limits, diags)


_SCAN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|[(){}]')


def _check_brackets(source: Source, limits: Limits, diags: Collector) -> None:
    """Bracket nesting, counted outside strings and comments before parsing.

    The grammar drops parentheses from the tree, so their depth is measured here.
    """
    depth = 0
    for match in _SCAN.finditer(source.text):
        token = match.group()
        if token in "({":
            depth += 1
            if depth > limits.max_depth:
                diags.error(
                    "PK111", f"brackets are nested more than {limits.max_depth} deep",
                    Span(source, match.start(), match.end()),
                    "name the inner parts as criteria and refer to them by name",
                )
                return
        elif token in ")}":
            depth = max(0, depth - 1)


# A catalogue of broken examples, kept as data, each one tested (tests/test_parser.py).
_EXAMPLES: dict[tuple[str, str], list[str]] = {
    (
        "a criterion needs `=` before its condition",
        "write `criterion NAME \"label\" cites \"article\" = CONDITION`",
    ): [
        'policy p subject s: MakerSpace criterion a s.area >= 1 m2',
        'policy p subject s: MakerSpace criterion a "x" s.area >= 1 m2',
    ],
    (
        "a comparison needs a value on both sides",
        "complete it, e.g. `space.area >= 500 m2`",
    ): [
        'policy p subject s: MakerSpace criterion a = s.area >=',
        'policy p subject s: MakerSpace criterion a = s.area >= and',
    ],
    (
        "a citation is written `cites \"article\" quote \"text\"`",
        "put the word `quote` before the quoted text: `cites \"第五条(一)\" quote \"…\"`",
    ): [
        'policy p subject s: MakerSpace criterion a cites "x" "y" = s.a',
    ],
    (
        "`=` compares nothing here: write `==` for equality",
        "use `==` to compare, and `=` only after a rule's name",
    ): [
        'policy p subject s: MakerSpace criterion a = s.premises = leased',
    ],
}

_FULLWIDTH = {"（": "(", "）": ")", "，": ",", "：": ":", "“": '"', "”": '"', "　": " ",
              "＝": "=", "＞": ">", "＜": "<", "．": "."}

_CHAR_HINTS = {
    "_": "a name starts with an ASCII letter, never with `_`",
    '"': 'close the text on the same line; the only escapes are `\\"`, `\\\\` and `\\n`',
}


def _parse_tree(source: Source, diags: Collector) -> Tree[Token] | None:
    try:
        return _lark().parse(source.text)
    except UnexpectedInput as err:
        _syntax_error(err, source, diags)
        return None


def _syntax_error(err: UnexpectedInput, source: Source, diags: Collector) -> None:
    start = max(0, min(len(source.text), getattr(err, "pos_in_stream", None) or 0))
    matched = _match_example(err, source)
    if isinstance(err, UnexpectedCharacters):
        ch = source.text[start] if start < len(source.text) else ""
        hint = (f"write the ASCII `{_FULLWIDTH[ch]}` instead of the full-width `{ch}`"
                if ch in _FULLWIDTH else _CHAR_HINTS.get(
                    ch, "names are ASCII letters, digits and `_`; Chinese text goes inside quotes"))
        diags.error("PK102", f"unexpected character `{ch}`", Span(source, start, start + 1), hint)
    elif isinstance(err, UnexpectedEOF):
        _end_of_input(source, None, matched, err.expected, diags)
    elif isinstance(err, UnexpectedToken):
        tok = err.token
        if tok.type == "$END":
            _end_of_input(source, tok, matched, err.expected, diags)
            return
        span = Span(source, tok.start_pos or 0, tok.end_pos or (tok.start_pos or 0) + 1)
        before = source.text[: tok.start_pos or 0]
        if str(tok)[:1] in "eE" and before[-1:].isdigit():
            diags.error("PK105", "numbers are written out in full, without an exponent", span,
                        "write the number in digits (at most 30 of them), e.g. 100万元")
            return
        message = matched[0] if matched else f"unexpected `{tok}`"
        hint = matched[1] if matched else f"expected {_expected(err.expected)}"
        diags.error("PK100", message, span, hint)
    else:  # pragma: no cover - lark raises only the three kinds above
        diags.error("PK100", str(err).splitlines()[0], None)


def _end_of_input(source: Source, end: Token | None, matched: tuple[str, str] | None,
                  expected: Iterable[object], diags: Collector) -> None:
    # Lark's `$END` token borrows the position of the last token read: the caret goes
    # under it, not under a comment that may follow it.
    if end is not None and end.start_pos is not None and end.end_pos is not None:
        span = Span(source, end.start_pos, end.end_pos)
    else:
        stop = len(source.text.rstrip())
        span = Span(source, max(0, stop - 1), stop)
    message = "the policy ends in the middle of a statement"
    diags.error("PK101", f"{message}: {matched[0]}" if matched else message, span,
                matched[1] if matched else f"expected {_expected(expected)}")


_Fault = tuple[int, frozenset[str] | None, tuple[str, str] | None]
"""Where a parse failed: the LALR state, the tokens it accepts, the token found."""


def _fault(err: UnexpectedInput) -> _Fault | None:
    state: Any = getattr(err, "state", None)
    position = getattr(state, "position", None)
    if not isinstance(position, int):
        return None
    if isinstance(err, UnexpectedToken):
        return position, frozenset(err.accepts), (err.token.type, str(err.token))
    return position, None, None


@functools.cache
def _catalogue() -> tuple[tuple[tuple[str, str], _Fault], ...]:
    """Where each broken example of ``_EXAMPLES`` fails (computed once: the data is fixed)."""
    found: list[tuple[tuple[str, str], _Fault]] = []
    for label, examples in _EXAMPLES.items():
        for example in examples:
            try:
                _lark().parse(example)
            except UnexpectedInput as err:
                fault = _fault(err)
                if fault is not None:
                    found.append((label, fault))
    return tuple(found)


def _match_example(err: UnexpectedInput, source: Source) -> tuple[str, str] | None:
    # Lark's own `match_examples` also compares the depth of the parser's stack, so an
    # example would match only a policy with as many header items and clauses before
    # the fault. The LALR state, the tokens it accepts and the kind of token found are
    # what identify a mistake.
    fault = _fault(err)
    if fault is None:
        return None
    position, accepts, token = fault
    candidate: tuple[str, str] | None = None
    for label, (their_position, their_accepts, their_token) in _catalogue():
        if their_position != position or their_accepts != accepts:
            continue
        if (their_token is None) != (token is None) or \
                (their_token and token and their_token[0] != token[0]):
            continue  # the same place, but another kind of token: not this mistake
        if their_token == token:
            return label
        candidate = candidate or label
    return candidate


_TOKEN_WORDS = {
    "NAME": "a name", "STRING": "a quoted text", "DATE": "a date such as 2016-06-01",
    "QUANTITY": "a quantity such as 500 m2", "NUMBER": "a number", "HALF_YEAR": "半年",
    "EQUAL": "`=`", "LPAR": "`(`", "RPAR": "`)`", "COMMA": "`,`", "COLON": "`:`",
    "LBRACE": "`{`", "RBRACE": "`}`", "DOT": "`.`", "SLASH": "`/`",
}


def _expected(names: Iterable[object]) -> str:
    words = sorted({_TOKEN_WORDS.get(str(x), f"`{str(x).lower()}`") for x in names
                    if not str(x).startswith("_") and str(x) != "$END"})
    if len(words) > 8:
        words = [*words[:8], "…"]
    return "one of " + ", ".join(words) if len(words) > 1 else (words[0] if words else "more")


# The nodes that nest one expression inside another. The depth limit counts these
# only, so `not not x` is 2 deep however many statement levels stand above it, and
# `all of (…)` counts once (its branches are part of it).
_NESTING = frozenset({"implies", "or_", "and_", "not_", "compare", "member", "not_member",
                      "includes", "since", "of", "combination", "steps", "count",
                      "count_in_year"})


def _check_shape(tree: Tree[Token], source: Source, limits: Limits, diags: Collector) -> None:
    """Depth and size of the Lark tree, measured without recursion."""
    count = 0
    stack: list[tuple[Tree[Token] | Token, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > limits.max_nodes:
            diags.error("PK112", f"the policy has more than {limits.max_nodes} parts",
                        None, "split it into smaller policies")
            return
        # A combination's first child is its quantifier (`all`/`any`), not a part.
        parts = len(node.children) - (node.data == "combination") \
            if isinstance(node, Tree) else 0
        if isinstance(node, Tree) and node.data in ("or_", "and_", "combination", "steps") \
                and parts > limits.max_chain:
            diags.error(
                "PK112", f"one chain has {parts} parts, over the limit of "
                f"{limits.max_chain}", _tree_span(source, node),
                "group the parts into named criteria",
            )
            return
        if isinstance(node, Token):
            # The string as read: an escape such as `\"` is one character.
            if node.type == "STRING" and len(_unescape(str(node)[1:-1])) > limits.max_string:
                diags.error("PK113", f"a string is longer than {limits.max_string} characters",
                            _tok_span(source, node), "quote a shorter passage")
            continue
        if depth > limits.max_depth:
            diags.error(
                "PK111", f"expressions are nested more than {limits.max_depth} deep",
                _tree_span(source, node),
                "name the inner parts as criteria and refer to them by name",
            )
            return
        stack.extend((child, depth + (isinstance(child, Tree) and child.data in _NESTING))
                     for child in node.children if child is not None)


def _tok_span(source: Source, tok: Token) -> Span:
    start = tok.start_pos or 0
    return Span(source, start, tok.end_pos if tok.end_pos is not None else start)


def _tree_span(source: Source, tree: Tree[Token]) -> Span | None:
    meta = tree.meta
    if getattr(meta, "empty", True):
        return None
    return Span(source, meta.start_pos, meta.end_pos)


_RULE_KINDS = {kind: kind for kind in n.RULE_KINDS} | {"term_rule": "term"}
"""The rule kind of each rule statement of the grammar (``term_rule`` is ``term``)."""


@attrs.define
class _HeaderParts:
    title: n.Label | None = None
    source: n.Label | None = None
    issued: date | None = None
    issued_exact: bool = True
    issuer: n.Label | None = None
    in_force_from: date | None = None
    in_force_until: date | None = None
    subject_name: str | None = None
    subject_type: str | None = None
    judgements: n.Path | None = None
    main: str | None = None
    subject_span: Span | None = None
    main_span: Span | None = None


_ESCAPES = {'\\"': '"', "\\\\": "\\", "\\n": "\n"}


def _unescape(body: str) -> str:
    """The text of a string literal's body (between the quotes), escapes resolved."""
    return re.sub(r'\\["\\n]', lambda m: _ESCAPES[m.group()], body)


class _Builder:
    """Lark tree to AST. Runs only on trees whose depth is bounded by ``Limits``."""

    def __init__(self, source: Source, limits: Limits, diags: Collector) -> None:
        self.source = source
        self.limits = limits
        self.diags = diags

    def span(self, item: Tree[Token] | Token) -> Span | None:
        if isinstance(item, Token):
            return _tok_span(self.source, item)
        return _tree_span(self.source, item)

    # ------------------------------------------------------------ header + statements

    def policy(self, tree: Tree[Token]) -> n.Policy:
        header_tree, *statement_trees = tree.children
        assert isinstance(header_tree, Tree)
        header = self.header(header_tree)
        statements: list[n.Statement] = []
        for st in statement_trees:
            assert isinstance(st, Tree)
            statements.append(self.statement(st))
        return n.Policy(header, tuple(statements), span=self.span(tree))

    def header(self, tree: Tree[Token]) -> n.Header:
        dotted = tree.children[0]
        assert isinstance(dotted, Tree)
        h = _HeaderParts()
        seen: set[str] = set()
        for item in tree.children[1:]:
            assert isinstance(item, Tree)
            kind = str(item.data)
            if kind in seen:
                self.diags.error("PK502", f"the header gives `{kind}` twice", self.span(item),
                                 "keep one")
            seen.add(kind)
            kids = item.children
            if kind == "title":
                h.title = self.label(kids[0], kids[1])
            elif kind == "source":
                h.source = self.label(kids[0], kids[1])
                h.issued_exact = kids[2] is None  # `issued not before DATE`: a lower bound
                h.issued = self.date(kids[3])
                h.issuer = self.label(kids[4], kids[5])
            elif kind == "in_force":
                h.in_force_from = self.date(kids[0])
                until = kids[1]
                if isinstance(until, Tree):
                    h.in_force_until = self.date(until.children[0])
            elif kind == "subject":
                h.subject_name, h.subject_type = str(kids[0]), str(kids[1])
                h.subject_span = self.span(item)
            elif kind == "judgements":
                assert isinstance(kids[0], Tree)
                h.judgements = self.path(kids[0])
            elif kind == "main":
                assert isinstance(kids[0], Token)
                h.main, h.main_span = str(kids[0]), self.span(kids[0])
        return n.Header(
            ".".join(str(t) for t in dotted.children), h.title, h.source, h.issued, h.issuer,
            h.in_force_from, h.in_force_until, h.subject_name, h.subject_type, h.judgements,
            h.main, issued_exact=h.issued_exact, span=self.span(tree),
            subject_span=h.subject_span, main_span=h.main_span,
        )

    def label(self, zh: Tree[Token] | Token | None, en: Tree[Token] | Token | None) -> n.Label:
        assert isinstance(zh, Token)
        return n.Label(self.string(zh), self.english(en))

    def english(self, tree: Tree[Token] | Token | None) -> str | None:
        if tree is None:
            return None
        assert isinstance(tree, Tree)
        tok = tree.children[0]
        assert isinstance(tok, Token)
        return self.string(tok)

    def string(self, tok: Token) -> str:
        return _unescape(str(tok)[1:-1])

    def date(self, tok: Tree[Token] | Token | None) -> date:
        assert isinstance(tok, Token)
        try:
            return date.fromisoformat(str(tok))
        except ValueError:
            self.diags.error("PK104", f"`{tok}` is not a date on the calendar", self.span(tok),
                             "write a real date as YYYY-MM-DD, e.g. 2016-06-01")
            return date(1, 1, 1)

    def statement(self, tree: Tree[Token]) -> n.Statement:
        kind = str(tree.data)
        if kind == "meaning":
            text_tok, zh_tok, en = tree.children  # `code` and `means` are keywords
            assert isinstance(text_tok, Token)
            return n.Meaning(self.string(text_tok), self.label(zh_tok, en), span=self.span(tree))
        name_tok = tree.children[0]
        assert isinstance(name_tok, Token)
        name = str(name_tok)
        if kind == "note":
            return self.note(tree, name, name_tok)
        if kind == "lifecycle":
            return self.lifecycle(tree, name, name_tok)
        label: n.Label | None = None
        citations: list[n.Citation] = []
        notes: list[n.Ref] = []
        subject: n.Over | None = None
        due: date | None = None
        body: n.Expr | None = None
        for child in tree.children[1:]:
            if isinstance(child, Tree) and child.data == "due":
                due = self.date(child.children[0])
            elif isinstance(child, Tree) and child.data == "label":
                label = self.label(child.children[0], child.children[1])
            elif isinstance(child, Tree) and child.data == "cite":
                citations.append(self.cite(child))
            elif isinstance(child, Tree) and child.data == "see":
                notes.extend(n.Ref(str(t), span=self.span(t)) for t in child.children)
            elif isinstance(child, Tree) and child.data == "over":
                if subject is not None:
                    self.diags.error("PK204", f"the rule `{name}` says `over` twice",
                                     self.span(child), "a rule reads one record: keep one")
                subject = n.Over(str(child.children[0]), str(child.children[1]),
                                 span=self.span(child))
            elif child is not None:
                body = self.expr(child)
        assert body is not None
        span, name_span = self.span(tree), self.span(name_tok)
        return n.Rule(_RULE_KINDS[kind], name, label, tuple(citations), tuple(notes), body,
                      subject=subject, span=span, name_span=name_span, due=due)

    def note(self, tree: Tree[Token], name: str, name_tok: Token) -> n.Note:
        kind = ""
        citations: list[n.Citation] = []
        strings: list[str] = []
        prevails: n.Label | None = None
        for child in tree.children[1:]:
            if isinstance(child, Tree) and child.data == "note_kind":
                kind = str(child.children[0])
            elif isinstance(child, Tree) and child.data == "cite":
                citations.append(self.cite(child))
            elif isinstance(child, Tree) and child.data == "english":
                strings.append(self.english(child) or "")
            elif isinstance(child, Tree) and child.data == "prevails":
                prevails = self.label(child.children[0], child.children[1])
            elif isinstance(child, Token):
                strings.append(self.string(child))
        text = n.Label(strings[0], strings[1] if len(strings) > 1 else None)
        return n.Note(name, kind, tuple(citations), text, prevails,
                      span=self.span(tree), name_span=self.span(name_tok))

    # ------------------------------------------------------------ lifecycles

    def clauses(self, kids: list[Tree[Token] | Token | None]
                ) -> tuple[tuple[n.Citation, ...], tuple[n.Ref, ...]]:
        citations: list[n.Citation] = []
        notes: list[n.Ref] = []
        for child in kids:
            if isinstance(child, Tree) and child.data == "cite":
                citations.append(self.cite(child))
            elif isinstance(child, Tree) and child.data == "see":
                notes.extend(self.ref(t) for t in child.children if isinstance(t, Token))
        return tuple(citations), tuple(notes)

    def ref(self, tok: Tree[Token] | Token | None) -> n.Ref:
        assert isinstance(tok, Token)
        return n.Ref(str(tok), span=self.span(tok))

    def opt_label(self, tree: Tree[Token] | Token | None) -> n.Label | None:
        if isinstance(tree, Tree) and tree.data == "label":
            return self.label(tree.children[0], tree.children[1])
        return None

    def quantity(self, tok: Tree[Token] | Token | None) -> n.QuantityLit:
        assert isinstance(tok, Token)
        lit = self.x_quantity([tok], self.span(tok))
        assert isinstance(lit, n.QuantityLit)
        return lit

    def lifecycle(self, tree: Tree[Token], name: str, name_tok: Token) -> n.Lifecycle:
        label: n.Label | None = None
        head: list[Tree[Token] | Token | None] = []
        states: list[n.LcState] = []
        events: list[n.LcEvent] = []
        ons: list[n.LcOn] = []
        bans: list[n.LcBan] = []
        duties: list[n.LcDuty] = []
        initial: n.Ref | None = None
        holidays: tuple[n.Citation, ...] | None = None
        for child in tree.children[1:]:
            if not isinstance(child, Tree):
                continue
            kind = str(child.data)
            kids = child.children
            if kind == "label":
                label = self.opt_label(child)
            elif kind in {"cite", "see"}:
                head.append(child)
            elif kind == "lc_states":
                for st in kids:
                    assert isinstance(st, Tree)
                    lasts = st.children[2]
                    period: n.QuantityLit | None = None
                    cites: tuple[n.Citation, ...] = ()
                    if isinstance(lasts, Tree):
                        period = self.quantity(lasts.children[0])
                        cites, _ = self.clauses(list(lasts.children[1:]))
                    state_tok = st.children[0]
                    assert isinstance(state_tok, Token)
                    states.append(n.LcState(str(state_tok), self.opt_label(st.children[1]),
                                            period, cites, span=self.span(state_tok)))
            elif kind == "lc_initial":
                initial = self.ref(kids[0])
            elif kind == "lc_events":
                for ev in kids:
                    assert isinstance(ev, Tree)
                    ev_tok = ev.children[0]
                    assert isinstance(ev_tok, Token)
                    events.append(n.LcEvent(str(ev_tok), self.opt_label(ev.children[1]),
                                            span=self.span(ev_tok)))
            elif kind == "lc_on":
                ons.append(self.lc_on(child))
            elif kind == "lc_ban":
                self.words([k for k in kids[1:4] if isinstance(k, Token)],
                           "bars reapplication for", self.span(child))
                ban_cites, ban_notes = self.clauses(list(kids[5:]))
                bans.append(n.LcBan(self.ref(kids[0]), self.quantity(kids[4]), ban_cites,
                                    ban_notes, span=self.span(child)))
            elif kind == "lc_duty":
                duties.append(self.lc_duty(child))
            elif kind == "lc_holidays":
                self.words([k for k in kids[:2] if isinstance(k, Token)], "extend deadlines",
                           self.span(child))
                holidays, _ = self.clauses(list(kids[2:]))
        head_cites, head_notes = self.clauses(head)
        return n.Lifecycle(name, label, head_cites, head_notes, tuple(states), initial,
                           tuple(events), tuple(ons), tuple(bans), tuple(duties), holidays,
                           span=self.span(tree), name_span=self.span(name_tok))

    def words(self, toks: list[Token], expected: str, span: Span | None) -> bool:
        """Whether the name tokens ``toks`` read ``expected``; a PK100 error if not."""
        if " ".join(str(t) for t in toks) == expected:
            return True
        bad = next((t for t, w in zip(toks, expected.split(), strict=False) if str(t) != w),
                   toks[0] if toks else None)
        self.diags.error("PK100", f"unexpected `{bad}`" if bad is not None else
                         "unexpected words", self.span(bad) if bad is not None else span,
                         f"expected `{expected}`")
        return False

    def lc_on(self, tree: Tree[Token]) -> n.LcOn:
        kids = tree.children
        effect_at = next(i for i, k in enumerate(kids) if isinstance(k, Tree))
        words = [k for k in kids[: effect_at - 1] if isinstance(k, Token)]
        source, effect, rest = kids[effect_at - 1], kids[effect_at], kids[effect_at + 1:]
        assert isinstance(effect, Tree)
        missed = len(words) >= 2 and str(words[0]) == "missed" and words[1].type == "NAME"
        trigger_tok = words[1] if missed else words[0]
        guard = self.lc_guard(words[2 if missed else 1:], self.span(tree))
        e = str(effect.data)
        target: n.Ref | None = None
        decision: n.Label | None = None
        decided_by: tuple[n.Ref, ...] = ()
        extend_by: n.QuantityLit | None = None
        if e == "go":
            target = self.ref(effect.children[0])
        elif e == "decide":
            decision = self.label(effect.children[0], effect.children[1])
            word = effect.children[2]
            assert isinstance(word, Token)
            self.words([word], "decided", self.span(effect))
            decided_by = tuple(self.ref(t) for t in effect.children[3:] if isinstance(t, Token))
        elif e == "act":  # `-> mandatory "…" done by E`: an act the text requires
            first, word = effect.children[0], effect.children[3]
            assert isinstance(first, Token) and isinstance(word, Token)
            self.words([first], "mandatory", self.span(effect))
            self.words([word], "done", self.span(effect))
            decision = self.label(effect.children[1], effect.children[2])
            decided_by = tuple(self.ref(t) for t in effect.children[4:] if isinstance(t, Token))
        else:
            word = effect.children[0]
            assert isinstance(word, Token)
            self.words([word], "extends", self.span(effect))
            extend_by = self.quantity(effect.children[1])
        cites, notes = self.clauses(list(rest))
        return n.LcOn(self.ref(trigger_tok), missed, guard, self.ref(source),
                      "decide" if e == "act" else e, target, decision, decided_by, extend_by,
                      cites, notes, span=self.span(tree), mandatory=e == "act")

    _GUARDS = ("after period", "after ban", "after extension", "after 2 years",
               "within 3 months", "twice consecutively", "3 times consecutively",
               "when decided")

    def lc_guard(self, words: list[Token], span: Span | None) -> n.LcGuard | None:
        if not words:
            return None
        text = [str(w) for w in words]
        kinds = [w.type for w in words]
        gspan = Span(self.source, words[0].start_pos or 0, words[-1].end_pos or 0)
        if text in (["after", "period"], ["after", "ban"], ["after", "extension"]):
            return n.LcGuard(f"after_{text[1]}", span=gspan)
        if text == ["when", "decided"]:
            return n.LcGuard("when_decided", span=gspan)
        if len(words) == 2 and text[0] in {"after", "within"} and kinds[1] == "QUANTITY":
            kind = "after_time" if text[0] == "after" else "within_time"
            return n.LcGuard(kind, self.quantity(words[1]), span=gspan)
        if text == ["twice", "consecutively"]:
            return n.LcGuard("consecutive", times=2, span=gspan)
        if len(words) == 3 and kinds[0] == "NUMBER" and text[1:] == ["times", "consecutively"]:
            count = self.number_value(text[0], gspan)
            return n.LcGuard("consecutive", times=int(count), span=gspan)
        self.diags.error("PK100", f"unexpected `{' '.join(text)}` after the event", gspan,
                         "a transition may be guarded by "
                         + ", ".join(f"`{g}`" for g in self._GUARDS))
        return None

    def lc_duty(self, tree: Tree[Token]) -> n.LcDuty:
        name_tok, label_tree, *rest = tree.children
        assert isinstance(name_tok, Token)
        states: list[n.Ref] = []
        month_day: tuple[int, int] | None = None
        after: n.Ref | None = None
        mostly = False
        clause_trees: list[Tree[Token] | Token | None] = []
        for child in rest:
            if isinstance(child, Token):
                states.append(self.ref(child))
            elif isinstance(child, Tree) and child.data == "due_yearly":
                md, each = child.children[0], child.children[1]
                assert isinstance(md, Token) and isinstance(each, Token)
                self.words([each], "each", self.span(child))
                held = [k for k in child.children[3:] if isinstance(k, Token)]
                if held:  # `each year, mostly held`
                    mostly = self.words(held, "mostly held", self.span(child))
                month, day = (int(x) for x in str(md).split("-"))
                try:
                    date(2000, month, day)  # a leap year: 02-29 is a day of some years
                except ValueError:
                    self.diags.error("PK104", f"`{md}` is not a day of the year", self.span(md),
                                     "write the month and day as MM-DD, e.g. 12-31")
                month_day = (month, day)
            elif isinstance(child, Tree) and child.data == "due_after":
                word = child.children[0]
                assert isinstance(word, Token)
                self.words([word], "after", self.span(child))
                after = self.ref(child.children[1])
            else:
                clause_trees.append(child)
        event = states.pop()  # the last bare name before the due clause is the event
        cites, notes = self.clauses(clause_trees)
        return n.LcDuty(str(name_tok), self.opt_label(label_tree), tuple(states), event,
                        month_day, after, cites, notes, span=self.span(tree),
                        name_span=self.span(name_tok), mostly=mostly)

    def cite(self, tree: Tree[Token]) -> n.Citation:
        article_tok, instrument, quote = tree.children
        assert isinstance(article_tok, Token)
        return n.Citation(
            self.string(article_tok),
            quote=self._inner_string(quote),
            instrument=self._inner_string(instrument),
            span=self.span(tree),
        )

    def _inner_string(self, tree: Tree[Token] | Token | None) -> str | None:
        if tree is None:
            return None
        assert isinstance(tree, Tree)
        tok = tree.children[0]
        assert isinstance(tok, Token)
        return self.string(tok)

    # ------------------------------------------------------------ expressions

    def path(self, tree: Tree[Token]) -> n.Path:
        return n.Path(tuple(str(t) for t in tree.children), span=self.span(tree))

    def expr(self, item: Tree[Token] | Token) -> n.Expr:
        span = self.span(item)
        if isinstance(item, Token):
            return self.token_expr(item, span)
        kind = str(item.data)
        kids = item.children
        method = getattr(self, f"x_{kind}", None)
        if method is None:  # pragma: no cover - every grammar rule has a builder
            raise AssertionError(f"no builder for {kind}")
        result: n.Expr = method(kids, span)
        return result

    def token_expr(self, tok: Token, span: Span | None) -> n.Expr:
        if tok.type == "NAME":  # a lone name parsed as a one-part path
            return n.Path((str(tok),), span=span)
        raise AssertionError(tok.type)  # pragma: no cover - all other tokens come in trees

    def comp(self, tree: Tree[Token] | Token | None) -> str:
        assert isinstance(tree, Tree)
        words = " ".join(str(t) for t in tree.children)
        return {"at least": ">=", "at most": "<=", "more than": ">", "less than": "<"}.get(
            words, words)

    def x_path(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Path(tuple(str(t) for t in kids), span=span)

    def x_compare(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Compare(self.comp(kids[1]), self.expr(kids[0]), self.expr(kids[2]), span=span)

    def x_or_(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.BoolOp("or", tuple(self.expr(k) for k in kids), span=span)

    def x_and_(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.BoolOp("and", tuple(self.expr(k) for k in kids), span=span)

    def x_not_(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Not(self.expr(kids[0]), span=span)

    def x_implies(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Implies(self.expr(kids[0]), self.expr(kids[1]), span=span)

    def x_member(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Member(self.expr(kids[0]), self.expr(kids[1]), negated=False, span=span)

    def x_not_member(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Member(self.expr(kids[0]), self.expr(kids[1]), negated=True, span=span)

    def x_includes(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        quant = kids[1]
        assert isinstance(quant, Tree)
        return n.Includes(self.expr(kids[0]), str(quant.children[0]), self.expr(kids[2]),
                          span=span)

    def x_since(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Since(self.expr(kids[0]), self.comp(kids[1]), self.expr(kids[2]), span=span)

    def x_of(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Of(self.expr(kids[0]), self.expr(kids[1]), span=span)

    def x_quantity(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        text = str(kids[0])
        if text == "半年":
            return n.QuantityLit(Decimal(6), "个月", span=span)
        match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)[ \t]*(.+)", text)
        assert match is not None
        return n.QuantityLit(self.number_value(match.group(1), span), match.group(2), span=span)

    def number_value(self, text: str, span: Span | None) -> Decimal:
        if len(text.replace(".", "").lstrip("0")) > MAX_DIGITS:
            self.diags.error("PK105", f"`{text[:20]}…` has more than {MAX_DIGITS} digits", span,
                             "no threshold in an instrument needs that many")
            return Decimal(0)
        return Decimal(text)

    def x_number(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.NumberLit(self.number_value(str(kids[0]), span), span=span)

    def x_fraction(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        errors = len(self.diags.diagnostics)
        num, den = (self.number_value(str(k), span) for k in kids)
        if len(self.diags.diagnostics) > errors:  # a number too long, reported already
            return n.FractionLit(0, 1, span=span)
        if num != num.to_integral_value() or den != den.to_integral_value() or den == 0:
            self.diags.error("PK106", "a fraction is two whole numbers, the second not 0",
                             span, "write e.g. 2/3 or 1/2")
            return n.FractionLit(0, 1, span=span)
        return n.FractionLit(int(num), int(den), span=span)

    def x_text(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        tok = kids[0]
        assert isinstance(tok, Token)
        return n.TextLit(self.string(tok), span=span)

    def x_date(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.DateLit(self.date(kids[0]), span=span)

    def x_true(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.BoolLit(True, span=span)

    def x_false(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.BoolLit(False, span=span)

    def x_set_lit(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        items: list[n.Path | n.TextLit] = []
        for k in kids:
            if k is None:
                continue
            item = self.expr(k)
            assert isinstance(item, n.Path | n.TextLit)
            items.append(item)
        return n.SetLit(tuple(items), span=span)

    def x_combination(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        quant = kids[0]
        assert isinstance(quant, Tree)
        branches: list[n.Branch] = []
        for k in kids[1:]:
            assert isinstance(k, Tree)
            if k.data == "named_branch":
                name_tok, label, body = k.children
                assert body is not None
                branches.append(n.Branch(str(name_tok), self.expr(body), span=self.span(k),
                                         label=self.label(label.children[0], label.children[1])
                                         if isinstance(label, Tree) else None))
            else:
                branches.append(n.Branch(None, self.expr(k.children[0]), span=self.span(k)))
        return n.Combination(str(quant.children[0]), tuple(branches), span=span)

    def x_index(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        base, key = kids
        assert isinstance(base, Tree) and isinstance(key, Token)
        return n.Index(self.path(base), self.string(key), span=span)

    def x_length(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Length(self.expr(kids[0]), span=span)

    def x_steps(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        steps: list[n.Step] = []
        for k in kids:
            assert isinstance(k, Tree)
            name_tok, label, body = k.children
            assert isinstance(name_tok, Token) and body is not None
            steps.append(n.Step(str(name_tok),
                                self.label(label.children[0], label.children[1])
                                if isinstance(label, Tree) else None,
                                self.expr(body), span=self.span(k)))
        return n.Steps(tuple(steps), span=span)

    def x_unsettled(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Unsettled(span=span)

    def x_count(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.Count(self.expr(kids[0]), self.expr(kids[1]), span=span)

    def x_count_in_year(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        return n.CountInYear(self.expr(kids[0]), self.expr(kids[1]), span=span)

    def x_judged(self, kids: list[Tree[Token] | Token], span: Span | None) -> n.Expr:
        question = self.label(kids[0], kids[1])
        key_tree = kids[2]
        key = str(key_tree.children[0]) if isinstance(key_tree, Tree) else None
        return n.Judged(question, key, span=span)

