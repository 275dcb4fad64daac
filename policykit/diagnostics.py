"""Diagnostics: one style for every error a policy can have.

A diagnostic has a stable code, a one-sentence lowercase message with user input in
backticks, a span, and a hint. A stage collects all its diagnostics in a
:class:`Collector` passed to it explicitly, then fails once with all of them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from enum import Enum

import attrs

from policykit.source import Span

__all__ = ["CODES", "Category", "Collector", "Diagnostic", "closest"]


class Category(Enum):
    SYNTAX = "syntax"
    LIMIT = "limit"
    NAME = "name"
    TYPE = "type"
    UNIT = "unit"
    POLICY = "policy"


CODES: dict[str, tuple[Category, str]] = {
    "PK100": (Category.SYNTAX, "unexpected token"),
    "PK101": (Category.SYNTAX, "unexpected end of the policy"),
    "PK102": (Category.SYNTAX, "unexpected character"),
    "PK103": (Category.SYNTAX, "invisible or bidirectional control character"),
    "PK104": (Category.SYNTAX, "not a valid date"),
    "PK105": (Category.SYNTAX, "number out of range"),
    "PK106": (Category.SYNTAX, "not a valid quantity"),
    "PK107": (Category.SYNTAX, "the policy text is not valid UTF-8"),
    "PK110": (Category.LIMIT, "the policy is too large"),
    "PK111": (Category.LIMIT, "expressions are nested too deeply"),
    "PK112": (Category.LIMIT, "the policy has too many parts"),
    "PK113": (Category.LIMIT, "a string is too long"),
    "PK114": (Category.LIMIT, "conditions nested too deeply through rule references"),
    "PK201": (Category.NAME, "unknown field"),
    "PK202": (Category.NAME, "unknown rule"),
    "PK203": (Category.NAME, "unknown record type"),
    "PK204": (Category.NAME, "name defined twice"),
    "PK205": (Category.NAME, "unknown enum value"),
    "PK206": (Category.NAME, "unknown note"),
    "PK207": (Category.NAME, "rules refer to each other in a cycle"),
    "PK208": (Category.NAME, "unknown main rule"),
    "PK209": (Category.NAME, "unknown lifecycle state"),
    "PK210": (Category.NAME, "unknown lifecycle event"),
    "PK211": (Category.NAME, "unknown lifecycle duty"),
    "PK301": (Category.TYPE, "values of different types compared"),
    "PK302": (Category.TYPE, "operator not defined for this type"),
    "PK303": (Category.TYPE, "expected a yes/no condition"),
    "PK304": (Category.TYPE, "a reviewer's judgement outside a criterion"),
    "PK305": (Category.TYPE, "a rule over another record"),
    "PK306": (Category.TYPE, "a lifecycle period that is not a period of time"),
    "PK401": (Category.UNIT, "quantities of different dimensions compared"),
    "PK402": (Category.UNIT, "months compared with days"),
    "PK501": (Category.POLICY, "a rule without a citation"),
    "PK502": (Category.POLICY, "the policy header is incomplete"),
    "PK503": (Category.POLICY, "an empty combination"),
    "PK504": (Category.POLICY, "`unsettled` without a note on the source"),
    "PK505": (Category.POLICY, "a lifecycle without states or an initial state"),
    "PK506": (Category.POLICY, "a named branch without a label in both languages"),
    "PK507": (Category.POLICY, "a due date on a rule that is not a target"),
    "PK508": (Category.POLICY, "a text used as a code without its meaning in both languages"),
}
"""Every diagnostic code, its category and its title (docs/reference/errors)."""


@attrs.frozen
class Diagnostic:
    """One problem in a policy: where, what, and how to fix it."""

    code: str
    message: str
    span: Span | None = attrs.field(default=None, eq=False)
    hint: str | None = None
    filename: str = "<string>"

    @property
    def category(self) -> Category:
        return CODES[self.code][0]

    @property
    def line(self) -> int | None:
        return self.span.line if self.span else None

    @property
    def column(self) -> int | None:
        return self.span.column if self.span else None

    def render(self) -> str:
        """``file:line:col: error[CODE]: message``, the line with a caret, and the hint."""
        where = self.span.location() if self.span else self.filename
        parts = [f"{where}: error[{self.code}]: {self.message}"]
        if self.span is not None:
            parts.append(self.span.snippet())
        if self.hint:
            parts.append(f"  = hint: {self.hint}")
        return "\n".join(parts)


@attrs.define
class Collector:
    """Gathers a stage's diagnostics, so all of them are reported in one run."""

    diagnostics: list[Diagnostic] = attrs.field(factory=list)
    filename: str = "<string>"

    def error(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        assert code in CODES, code
        self.diagnostics.append(Diagnostic(code, message, span, hint, self.filename))

    def __bool__(self) -> bool:
        return bool(self.diagnostics)


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to ``name`` (for did-you-mean hints), if any is near."""
    found = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return found[0] if found else None
