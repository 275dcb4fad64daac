"""The policy as a whole: header, rule table, notes, citations, cycles, main rule."""

from __future__ import annotations

from typing import Any

from policykit import nodes as n
from policykit import program as p
from policykit.checker.expressions import ExprChecker, RuleScope
from policykit.diagnostics import Collector, closest
from policykit.errors import policy_error
from policykit.records import RECORD_TYPES
from policykit.types import BOOL, MapT

__all__ = ["check"]


def check(policy: n.Policy, filename: str = "<string>") -> p.Program:
    """Resolve and type every rule of ``policy``; raise PolicyError with all problems."""
    diags = Collector(filename=filename)
    header = policy.header
    info = _info(header, diags)
    subject_type = _subject(header, diags)
    notes = _notes(policy, info, diags)
    rules_by_name = _rule_table(policy, diags)
    if subject_type is None or header.subject_name is None:
        raise policy_error(diags.diagnostics)
    scope = RuleScope({name: _kind(rule) for name, rule in rules_by_name.items()}, None)
    checker = ExprChecker(header.subject_name, subject_type, diags, scope)
    scope.judgements = _judgements(header, checker, diags)
    checked: dict[str, p.CheckedRule] = {}
    for rule in rules_by_name.values():
        result = _rule(rule, info, notes, checker, diags)
        if result is not None:
            checked[rule.name] = result
    main = _main(header, rules_by_name, diags)
    ordered = _order(checked, rules_by_name, diags)
    if diags:
        raise policy_error(diags.diagnostics)
    assert main is not None
    return p.Program(info, header.subject_name, subject_type, ordered,
                     tuple(notes.values()), main)


def _kind(rule: n.Rule) -> str:
    if isinstance(rule, n.Criterion):
        return "criterion"
    return "target" if isinstance(rule, n.Target) else "decision"


def _info(header: n.Header, diags: Collector) -> p.PolicyInfo:
    missing = [word for word, value in (
        ("title", header.title), ("source", header.source), ("subject", header.subject_name),
    ) if value is None]
    if missing:
        diags.error(
            "PK502", f"the header of `{header.id}` lacks {', '.join(f'`{m}`' for m in missing)}",
            header.span,
            'a header names its title, its source instrument and its subject, e.g. '
            '`title "…" en "…" source "…" issued 2016-06-01 by "…" subject space: MakerSpace`',
        )
    return p.PolicyInfo(
        header.id, header.title or n.Label(header.id), header.source or n.Label(""),
        header.issued, header.issuer, header.in_force_from or header.issued,
        header.in_force_until,
    )


def _subject(header: n.Header, diags: Collector) -> type[Any] | None:
    if header.subject_type is None:
        return None
    cls = RECORD_TYPES.get(header.subject_type)
    if cls is None:
        suggestion = closest(header.subject_type, RECORD_TYPES)
        diags.error(
            "PK203", f"unknown record type `{header.subject_type}`", header.subject_span,
            f"did you mean `{suggestion}`?" if suggestion else
            f"the record types are {', '.join(sorted(RECORD_TYPES))}",
        )
    return cls


def _citations(cites: tuple[n.Citation, ...], info: p.PolicyInfo) -> tuple[p.CheckedCitation, ...]:
    return tuple(p.CheckedCitation(c.instrument or info.source.zh, c.article, c.quote)
                 for c in cites)


def _notes(policy: n.Policy, info: p.PolicyInfo, diags: Collector) -> dict[str, p.CheckedNote]:
    notes: dict[str, p.CheckedNote] = {}
    for st in policy.statements:
        if not isinstance(st, n.Note):
            continue
        if st.name in notes:
            diags.error("PK204", f"the note `{st.name}` is defined twice", st.name_span,
                        "give each note its own name")
            continue
        if not st.citations:
            diags.error("PK501", f"the note `{st.name}` cites no article", st.name_span,
                        'say where the source is silent or contradicts itself: `cites "第十四条"`')
        notes[st.name] = p.CheckedNote(st.name, st.kind, _citations(st.citations, info), st.text,
                                       st.prevails)
    return notes


def _rule_table(policy: n.Policy, diags: Collector) -> dict[str, n.Rule]:
    rules: dict[str, n.Rule] = {}
    for st in policy.statements:
        if isinstance(st, n.Note):
            continue
        if st.name in rules:
            first = rules[st.name].name_span
            diags.error(
                "PK204", f"the rule `{st.name}` is defined twice", st.name_span,
                f"it is first defined at line {first.line}" if first else "rename one of them",
            )
            continue
        rules[st.name] = st
    return rules


def _judgements(header: n.Header, checker: ExprChecker, diags: Collector) -> p.TField | None:
    if header.judgements is None:
        return None
    typed = checker.field(header.judgements)
    if typed is None:
        return None
    if typed.type != MapT(BOOL):
        diags.error(
            "PK301", f"`{typed.path}` does not map criteria to yes/no judgements",
            header.judgements.span, "point it at a field such as `space.operator.assessments`",
        )
        return None
    return typed


def _rule(rule: n.Rule, info: p.PolicyInfo, notes: dict[str, p.CheckedNote],
          checker: ExprChecker, diags: Collector) -> p.CheckedRule | None:
    kind = _kind(rule)
    if kind in ("criterion", "target") and not rule.citations:
        diags.error(
            "PK501", f"the {kind} `{rule.name}` cites no article", rule.name_span,
            f'add the article it encodes: `{kind} {rule.name} cites "第五条(一)" quote "…"`',
        )
    attached: list[p.CheckedNote] = []
    for ref in rule.notes:
        name = ref.name
        note = notes.get(name)
        if note is None:
            suggestion = closest(name, notes)
            diags.error("PK206", f"unknown note `{name}`", ref.span or rule.span,
                        f"did you mean `{suggestion}`?" if suggestion else
                        "declare it with `note NAME silence|conflict|ambiguity|discretion …`")
        else:
            attached.append(note)
    checker.refs = []
    body = checker.condition(rule.body, rule.name if kind != "decision" else None)
    if body is None:
        return None
    return p.CheckedRule(rule.name, kind, rule.label or n.Label(rule.name),
                         _citations(rule.citations, info), tuple(attached), body,
                         tuple(dict.fromkeys(checker.refs)))


def _main(header: n.Header, rules: dict[str, n.Rule], diags: Collector) -> str | None:
    if header.main is not None:
        if header.main not in rules:
            suggestion = closest(header.main, rules)
            diags.error("PK208", f"the main rule `{header.main}` is not defined",
                        header.main_span, f"did you mean `{suggestion}`?" if suggestion else
                        "name a decision defined in this policy")
            return None
        return header.main
    decisions = [name for name, rule in rules.items() if isinstance(rule, n.Decision)]
    if decisions:
        return decisions[-1]
    if rules:
        return next(reversed(rules))
    diags.error("PK208", f"the policy `{header.id}` defines no rule", header.span,
                "add a criterion and a decision")
    return None


def _order(checked: dict[str, p.CheckedRule], rules: dict[str, n.Rule],
           diags: Collector) -> tuple[p.CheckedRule, ...]:
    """Rules in dependency order; a cycle is reported once, at one of its rules."""
    order: list[p.CheckedRule] = []
    state: dict[str, int] = {}  # 1 = in progress, 2 = done
    for root in checked:
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            name, index = stack.pop()
            if index == 0:
                if state.get(name) == 2:
                    continue
                state[name] = 1
            deps = checked[name].depends_on if name in checked else ()
            if index < len(deps):
                stack.append((name, index + 1))
                dep = deps[index]
                if state.get(dep) == 1:
                    diags.error("PK207", f"`{name}` refers to itself" if dep == name else
                                f"`{name}` depends on `{dep}`, which depends on it",
                                rules[name].name_span,
                                "a rule may not refer to itself, directly or through others")
                    continue  # report other cycles too: one run, every error
                if state.get(dep) != 2:
                    stack.append((dep, 0))
                continue
            state[name] = 2
            if name in checked:
                order.append(checked[name])
    return tuple(order)
