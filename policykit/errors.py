"""The exceptions policykit raises: :class:`PolicyError` and :class:`RecordError`."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from policykit.diagnostics import Category, Diagnostic

__all__ = [
    "PolicyError",
    "PolicyLimitError",
    "PolicyNameError",
    "PolicySyntaxError",
    "PolicyTypeError",
    "PolicyUnitError",
    "RecordError",
    "RecordProblem",
    "policy_error",
]


class PolicyError(Exception):
    """A policy that cannot be parsed or checked; ``diagnostics`` lists every problem.

    ``str()`` gives, for each problem, the file, line, column, the line itself with a
    caret under the fault, and a hint.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("\n\n".join(d.render() for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[PolicyError], tuple[tuple[Diagnostic, ...]]]:
        return (type(self), (self.diagnostics,))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.diagnostics)


class PolicySyntaxError(PolicyError):
    """The text does not follow the grammar (or holds a forbidden character)."""


class PolicyLimitError(PolicyError):
    """The policy exceeds a size, depth or length limit."""


class PolicyNameError(PolicyError):
    """A name does not resolve: a field, rule, record type, enum value or note."""


class PolicyTypeError(PolicyError):
    """An expression combines values of types that do not go together."""


class PolicyUnitError(PolicyError):
    """Quantities of different dimensions (area and money, months and days) meet."""


_BY_CATEGORY: dict[Category, type[PolicyError]] = {
    Category.SYNTAX: PolicySyntaxError,
    Category.LIMIT: PolicyLimitError,
    Category.NAME: PolicyNameError,
    Category.TYPE: PolicyTypeError,
    Category.UNIT: PolicyUnitError,
}


def policy_error(diagnostics: Sequence[Diagnostic]) -> PolicyError:
    """The most specific :class:`PolicyError` subclass that covers all diagnostics."""
    categories = {d.category for d in diagnostics}
    if len(categories) == 1:
        return _BY_CATEGORY.get(categories.pop(), PolicyError)(diagnostics)
    return PolicyError(diagnostics)


@attrs.frozen
class RecordProblem:
    """One field of a record that is not of the expected shape."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class RecordError(ValueError):
    """A record of the wrong shape; ``problems`` names every field path and what was wrong.

    ``str()`` reads like ``space.area: expected an area such as "500 m2", got "big"``.
    """

    def __init__(self, problems: Sequence[RecordProblem]) -> None:
        self.problems: tuple[RecordProblem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[RecordError], tuple[tuple[RecordProblem, ...]]]:
        return (type(self), (self.problems,))

    @property
    def path(self) -> str:
        """The path of the first problem."""
        return self.problems[0].path if self.problems else ""
