"""Run a compiled rule on a record at a date, and answer with a :class:`Result`.

The outcome is computed at once by the rule's ``decide`` closure, which builds no
explanation. The explanation tree is built only when something asks for it
(``missing``, ``pending``, ``unresolved``, ``explain``, ``to_dict``), from the same
record, which is immutable, so the two always agree.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any

from policykit import trace as t
from policykit.compiler import CompiledPolicy, CompiledRule, Ctx
from policykit.explain import render_data, render_text
from policykit.nodes import Label
from policykit.program import CheckedNote, PolicyInfo
from policykit.trace import Caveat, Truth, outcome_word

__all__ = ["Result", "caveats", "evaluate"]

def caveats(info: PolicyInfo, as_of: date) -> tuple[Caveat, ...]:
    """The warnings about asking ``info``'s policy a question as of ``as_of``."""
    start, until = info.in_force_from, info.in_force_until
    if start is not None and as_of < start:
        return (Caveat("not_yet_in_force", Label(
            f"本政策自 {start.isoformat()} 起施行，评估日 {as_of.isoformat()} 尚未施行；"
            "以下结论按其条文推算，不是当日有效的结论。",
            f"This policy is in force from {start.isoformat()}; on {as_of.isoformat()} it "
            "was not yet in force. The answer below applies its text all the same and is "
            "not an answer that held on that day.")),)
    if until is not None and as_of >= until:
        return (Caveat("no_longer_in_force", Label(
            f"本政策自 {until.isoformat()} 起不再施行，评估日 {as_of.isoformat()} 已失效；"
            "以下结论按其条文推算，不是当日有效的结论。",
            f"This policy ceased to be in force on {until.isoformat()}; on "
            f"{as_of.isoformat()} it no longer applied. The answer below applies its text "
            "all the same and is not an answer that held on that day.")),)
    return ()


def evaluate(compiled: CompiledPolicy, record: Any, as_of: date, rule: str | None = None
             ) -> Result:
    """Decide ``rule`` (the policy's main rule when None) for an already structured record."""
    target = compiled.rules[rule or compiled.main]
    ctx = Ctx(record, as_of)
    truth = target.decide(ctx)
    return Result(compiled, target, record, as_of, truth)


class Result:
    """The answer to one question: the outcome, and on demand why.

    ``outcome`` is a plain word (``eligible``, ``not_met``, …). ``missing`` lists the
    facts whose absence left the answer undetermined, ``pending`` the reviewers'
    judgements still owed, ``unresolved`` the notes on silence or conflict in the
    source that the answer depends on.
    """

    __slots__ = ("__dict__", "_compiled", "_record", "_rule", "_truth", "as_of")

    def __init__(self, compiled: CompiledPolicy, rule: CompiledRule, record: Any,
                 as_of: date, truth: Truth) -> None:
        self._compiled = compiled
        self._rule = rule
        self._record = record
        self._truth = truth
        self.as_of = as_of

    def __repr__(self) -> str:
        return f"<Result {self.policy_id}:{self.rule} {self.outcome} as of {self.as_of}>"

    @property
    def policy_id(self) -> str:
        """The id of the policy that answered."""
        return self._compiled.info.id

    @property
    def rule(self) -> str:
        """The name of the rule that was evaluated."""
        return self._rule.name

    @property
    def kind(self) -> str:
        """The kind of the rule evaluated: ``criterion``, ``decision``, ``target``,
        ``vote``, ``procedure``, ``requirement`` or ``term``."""
        return self._rule.kind

    @property
    def outcome(self) -> str:
        """The outcome word: ``eligible``/``ineligible``/``undetermined`` for a decision,
        ``met``/``not_met``/``unknown``/``awaiting_judgement`` for a criterion,
        ``met``/``not_met``/``undetermined`` for a target, ``passes``/``fails``/
        ``undetermined`` for a vote or a procedure, ``compliant``/``noncompliant``/
        ``undetermined`` for a requirement, ``active``/``expired``/``undetermined`` for a
        term of office. A target with a due date (``due 2020-12-31``) not reached before
        that day is ``not_yet_due``, never ``not_met``: its failures say how much is left."""
        if t.is_not_yet_due(self._rule.due, self.as_of, self._truth):
            return t.NOT_YET_DUE
        return outcome_word(self._rule.kind, self._truth)

    @property
    def truth(self) -> Truth:
        """The outcome as a :class:`~policykit.trace.Truth` value."""
        return self._truth

    @cached_property
    def warnings(self) -> tuple[Caveat, ...]:
        """What the caller should know about the question itself: the policy was not yet
        in force on ``as_of`` (before its ``in force from`` date), or had ceased to be.
        The answer is still given, by the policy's text, and the warning comes first in
        :meth:`explain` and in :meth:`to_dict`."""
        return caveats(self._compiled.info, self.as_of)

    @cached_property
    def trace(self) -> t.Trace:
        """The explanation tree (built on first use)."""
        return self._rule.explain(Ctx(self._record, self.as_of))

    @cached_property
    def failures(self) -> tuple[t.Failure, ...]:
        """The conditions not met that decided a negative outcome (``ineligible``,
        ``not_met``, ``fails``, …), each with what was found, what was required and the
        gap, in the policy's order; empty for any other outcome. The same conditions the
        explanation marks as decisive, computed without building the explanation."""
        if self._truth is not Truth.NOT_MET:
            return ()
        found: dict[tuple[str, int], t.Failure] = {}
        self._rule.collect(Ctx(self._record, self.as_of), self._rule.name, found, self._truth)
        return tuple(found.values())

    @cached_property
    def _decisive(self) -> tuple[t.Trace, ...]:
        return tuple(t.walk_decisive(self.trace))

    @cached_property
    def missing(self) -> tuple[str, ...]:
        """Field paths whose absence left the outcome undetermined (empty when settled)."""
        if self._truth.settled:
            return ()
        seen = dict.fromkeys(m.path for node in self._decisive for m in node.missing)
        return tuple(seen)

    @cached_property
    def pending(self) -> tuple[str, ...]:
        """Keys of the reviewers' judgements still owed (empty when settled)."""
        if self._truth.settled:
            return ()
        seen = dict.fromkeys(pj.key for node in self._decisive for pj in node.pending)
        return tuple(seen)

    @cached_property
    def unresolved(self) -> tuple[CheckedNote, ...]:
        """The policy's notes on silence, conflict or ambiguity this outcome depends on."""
        seen: dict[str, CheckedNote] = {}
        for node in self._decisive:
            for note in node.notes:
                seen.setdefault(note.name, note)
        return tuple(seen.values())

    def explain(self, lang: str = "zh", *, articles: bool = False) -> str:
        """The explanation as a case officer reads it, in ``zh`` or ``en``; with
        ``articles``, followed by every article it cites in full, as published (the
        source texts ship with policykit)."""
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        return render_text(self._compiled.info, self.trace, self.as_of, lang,
                           warnings=self.warnings, articles=articles,
                           decisive=set(map(id, self._decisive)),
                           missing=self.missing, pending=self.pending,
                           unresolved=self.unresolved)

    def to_dict(self) -> dict[str, Any]:
        """The same tree as plain JSON-ready data."""
        return render_data(self._compiled.info, self.trace, self.as_of,
                           outcome=self.outcome, warnings=self.warnings,
                           missing=self.missing, pending=self.pending,
                           unresolved=self.unresolved, failures=self.failures)
