"""The policy as a whole: header, rule table, notes, citations, cycles, main rule."""

from __future__ import annotations

from typing import Any

import attrs

from policykit import nodes as n
from policykit import program as p
from policykit.checker.expressions import ExprChecker, RuleScope
from policykit.checker.lifecycle import check_lifecycle
from policykit.diagnostics import Collector, closest
from policykit.errors import policy_error
from policykit.records import RECORD_TYPES
from policykit.source import Span
from policykit.types import BOOL, MapT

__all__ = ["check"]


def check(policy: n.Policy, filename: str = "<string>") -> p.Program:
    """Resolve and type every rule of ``policy``; raise PolicyError with all problems."""
    diags = Collector(filename=filename)
    header = policy.header
    rules_by_name = _rule_table(policy, diags)
    info = _info(header, rules_by_name, diags)
    header_type = _record_type(header.subject_type, header.subject_span, diags) \
        if header.subject_type is not None else None
    header_subject = (header.subject_name, header_type) \
        if header.subject_name is not None and header_type is not None else None
    notes = _notes(policy, info, diags)
    meanings = _meanings(policy, diags)
    subjects = {name: _rule_subject(rule, header_subject, diags)
                for name, rule in rules_by_name.items()}
    scope = RuleScope({name: _kind(rule) for name, rule in rules_by_name.items()}, None,
                      subjects, header_subject, meanings)
    if header_subject is not None:
        scope.judgements = _judgements(
            header, ExprChecker(header_subject[0], header_subject[1], diags, scope), diags)
    checked: dict[str, p.CheckedRule] = {}
    for rule in rules_by_name.values():
        subject = subjects[rule.name]
        if subject is None:
            continue  # its subject is unknown: reported already
        checker = ExprChecker(subject[0], subject[1], diags, scope)
        result = _rule(rule, info, notes, checker, diags)
        if result is not None:
            checked[rule.name] = result
    lifecycles = _lifecycles(policy, info, notes, diags)
    main = _main(header, rules_by_name, diags)
    ordered = _order(checked, rules_by_name, diags)
    if not diags:
        _depth_through_rules(ordered, rules_by_name, diags)
    if diags:
        raise policy_error(diags.diagnostics)
    assert main is not None
    subject_name, subject_type = header_subject or subjects[main] or ("", object)
    return p.Program(info, subject_name, subject_type, ordered, tuple(notes.values()), main,
                     lifecycles=lifecycles, meanings=tuple(meanings.items()))


def _meanings(policy: n.Policy, diags: Collector) -> dict[str, n.Label]:
    """The words for each text the policy uses as a code (``"x" means "…" en "…"``)."""
    found: dict[str, n.Label] = {}
    for st in policy.statements:
        if not isinstance(st, n.Meaning):
            continue
        if st.text in found:
            diags.error("PK204", f"the text \"{st.text}\" is given a meaning twice", st.span,
                        "keep one")
        elif not st.label.en:
            diags.error("PK508", f"the text \"{st.text}\" has no meaning in English",
                        st.span, f'code "{st.text}" means "中文" en "English"')
        found.setdefault(st.text, st.label)
    return found


def _lifecycles(policy: n.Policy, info: p.PolicyInfo, notes: dict[str, p.CheckedNote],
                diags: Collector) -> tuple[p.CheckedLifecycle, ...]:
    found: dict[str, p.CheckedLifecycle] = {}
    for st in policy.statements:
        if not isinstance(st, n.Lifecycle):
            continue
        if st.name in found:
            diags.error("PK204", f"the lifecycle `{st.name}` is defined twice", st.name_span,
                        "give each lifecycle its own name")
            continue
        found[st.name] = check_lifecycle(st, info, notes, diags)
    return tuple(found.values())


def _kind(rule: n.Rule) -> str:
    return rule.kind


def _rule_subject(rule: n.Rule, header_subject: tuple[str, type[Any]] | None,
                  diags: Collector) -> tuple[str, type[Any]] | None:
    """The record a rule reads: its own ``over NAME: Type``, else the header's subject."""
    if rule.subject is None:
        return header_subject
    cls = _record_type(rule.subject.type_name, rule.subject.span, diags)
    return None if cls is None else (rule.subject.name, cls)


def _info(header: n.Header, rules: dict[str, n.Rule], diags: Collector) -> p.PolicyInfo:
    # The header's subject may be left out when every rule says what it is `over`.
    subject = header.subject_name or (
        "over" if rules and all(r.subject is not None for r in rules.values()) else None)
    missing = [word for word, value in (
        ("title", header.title), ("source", header.source), ("subject", subject),
    ) if value is None]
    if missing:
        diags.error(
            "PK502", f"the header of `{header.id}` lacks {', '.join(f'`{m}`' for m in missing)}",
            header.span,
            'a header names its title, its source instrument and its subject, e.g. '
            '`title "…" en "…" source "…" issued 2016-06-01 by "…" subject space: MakerSpace`'
            + ("; or every rule names the record it reads: `over b: Ballot`"
               if "subject" in missing else ""),
        )
    return p.PolicyInfo(
        header.id, header.title or n.Label(header.id), header.source or n.Label(""),
        header.issued, header.issuer, header.in_force_from or header.issued,
        header.in_force_until, header.issued_exact,
    )


def _record_type(name: str, span: Span | None, diags: Collector) -> type[Any] | None:
    cls = RECORD_TYPES.get(name)
    if cls is None:
        suggestion = closest(name, RECORD_TYPES)
        diags.error(
            "PK203", f"unknown record type `{name}`", span,
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
        if isinstance(st, n.Note | n.Lifecycle | n.Meaning):
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
    if kind != "decision" and not rule.citations:
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
    if rule.due is not None and kind != "target":
        diags.error("PK507", f"the {kind} `{rule.name}` has a due date; only a target has one",
                    rule.name_span, "a target is reached by a date; make it a `target`, or "
                    "remove `due`")
    checker.refs = []
    body = checker.condition(rule.body, rule.name if kind != "decision" else None)
    if body is None:
        return None
    if not rule.notes and _unsettled(body):
        diags.error(
            "PK504", f"the {kind} `{rule.name}` is `unsettled` somewhere, and sees no note",
            rule.name_span, "say what the source leaves open: `note NAME silence cites "
            '"…" says "…"`, then `see NAME` in this rule',
        )
    return p.CheckedRule(rule.name, kind, rule.label or n.Label(rule.name),
                         _citations(rule.citations, info), tuple(attached), body,
                         tuple(dict.fromkeys(checker.refs)), checker.subject_name,
                         checker.subject_type, rule.due)


def _unsettled(expr: p.TExpr) -> bool:
    """Whether ``unsettled`` stands anywhere in a condition (not through other rules)."""
    stack: list[object] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, p.TUnsettled):
            return True
        if isinstance(node, p.TBoolOp):
            stack.extend(node.operands)
        elif isinstance(node, p.TNot):
            stack.append(node.operand)
        elif isinstance(node, p.TImplies):
            stack.extend((node.condition, node.consequence))
        elif isinstance(node, p.TCombination):
            stack.extend(b.expr for b in node.branches)
        elif isinstance(node, p.TSteps):
            stack.extend(step.expr for step in node.steps)
    return False


def _main(header: n.Header, rules: dict[str, n.Rule], diags: Collector) -> str | None:
    if header.main is not None:
        if header.main not in rules:
            suggestion = closest(header.main, rules)
            diags.error("PK208", f"the main rule `{header.main}` is not defined",
                        header.main_span, f"did you mean `{suggestion}`?" if suggestion else
                        "name a decision defined in this policy")
            return None
        return header.main
    decisions = [name for name, rule in rules.items() if rule.kind == "decision"]
    if decisions:
        return decisions[-1]
    if rules:
        return next(reversed(rules))
    diags.error("PK208", f"the policy `{header.id}` defines no rule", header.span,
                "add a criterion and a decision")
    return None


MAX_DEPTH_THROUGH_RULES = 450
"""How deep conditions may nest counting through rule references (a rule that refers to
a rule that refers to …): the explanation follows every level, and Python's own stack
is the bound. A chain of 150 rules of ``all of (previous, …)`` reaches it."""


def _depth_through_rules(ordered: tuple[p.CheckedRule, ...], rules: dict[str, n.Rule],
                         diags: Collector) -> None:
    depths: dict[str, int] = {}

    def depth(node: Any) -> int:
        if isinstance(node, p.TRuleRef):
            return 1 + depths.get(node.name, 0)
        if isinstance(node, tuple):
            return max((depth(item) for item in node), default=0)
        if attrs.has(type(node)):
            return 1 + max((depth(getattr(node, f.name)) for f in attrs.fields(type(node))
                            if f.name not in ("span", "type", "label", "question")),
                           default=0)
        return 0

    for rule in ordered:  # dependency order: a rule's references are measured first
        depths[rule.name] = depth(rule.body)
        if depths[rule.name] > MAX_DEPTH_THROUGH_RULES:
            diags.error("PK114", f"`{rule.name}` nests conditions {depths[rule.name]} deep "
                        f"counting through the rules it refers to (at most "
                        f"{MAX_DEPTH_THROUGH_RULES})", rules[rule.name].name_span,
                        "combine a long chain of rules into one `all of (...)` or "
                        "`any of (...)`")
            return


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
