"""Checked program to evaluator: closures and generated functions, built once at load.

Each condition compiles to two closures over the same primitive operations: ``decide``
returns only a :class:`~policykit.trace.Truth` and allocates nothing else, and
``explain`` returns a :class:`~policykit.trace.Trace` node. Each rule's decision is
then lowered by :mod:`policykit.codegen` into one Python function built as an ``ast``
tree (the parts it does not lower call these closures), and a third closure per
condition collects :attr:`~policykit.evaluator.Result.failures` along the decisive path.
Nothing from the policy text is ever turned into Python source text: no ``eval``, no
``exec`` of strings; values are bound as constants, and fields are read by the
attribute names the schema declared, resolved at check time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

import attrs

from policykit import program as p
from policykit import trace as t
from policykit.calendar import Duration, add_period, day_range
from policykit.codegen import FLIP, OPERATORS, lower_rule
from policykit.nodes import Label
from policykit.stdlib.units import Dim
from policykit.trace import Truth, sort_members
from policykit.types import EnumT, IntT, QuantityT, Type

__all__ = ["MISSING", "CompiledPolicy", "CompiledRule", "Ctx", "compile_program"]

MET, NOT_MET, UNKNOWN, AWAITING = Truth.MET, Truth.NOT_MET, Truth.UNKNOWN, Truth.AWAITING


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""What a value closure returns when a field on its path is absent."""


class _Beyond:
    """A period that ends after 9999-12-31, the last day a date can hold."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BEYOND"


BEYOND = _Beyond()


class SoFar:
    """A count in a year that is not over on the evaluation's date: at least ``count``,
    and more may come before the year ends."""

    __slots__ = ("count",)

    def __init__(self, count: int | Fraction) -> None:
        self.count = count

    def __repr__(self) -> str:
        return f"SoFar({self.count})"


class Ctx:
    """One evaluation: the record, the date, and the rules already decided."""

    __slots__ = ("as_of", "memo", "record")

    def __init__(self, record: Any, as_of: date) -> None:
        self.record = record
        self.as_of = as_of
        self.memo: dict[Any, Any] = {}


Decide = Callable[[Ctx], Truth]
Explain = Callable[[Ctx], t.Trace]
ValueFn = Callable[[Ctx], Any]
Found = dict[tuple[str, int], t.Failure]
Collect = Callable[[Ctx, str, Found, Truth], None]
"""Adds the failures on the decisive path below a condition, whose outcome it is
given, to the map keyed by (rule, node)."""


@attrs.define(eq=False)
class CompiledRule:
    """A rule ready to run. ``decide`` starts as a stub that generates the rule's
    decision function (:mod:`policykit.codegen`) on its first call and puts it in its
    own place, so a policy pays for generating only the rules it is asked about."""

    name: str
    kind: str
    label: Label
    citations: tuple[p.CheckedCitation, ...]
    notes: tuple[p.CheckedNote, ...]
    decide: Decide
    explain: Explain
    collect: Collect
    due: date | None = None  # a target's due date


@attrs.frozen
class CompiledPolicy:
    info: p.PolicyInfo
    subject_name: str
    subject_type: type[Any]
    rules: Mapping[str, CompiledRule]
    main: str
    notes: tuple[p.CheckedNote, ...]


def compile_program(program: p.Program) -> CompiledPolicy:
    """Compile every rule of a checked program, in dependency order."""
    compiler = _Compiler(program.info.id, _references(program.rules), dict(program.meanings))
    for rule in program.rules:
        compiler.rules[rule.name] = compiler.rule(rule)
        compiler.bodies[rule.name] = rule.body
    return CompiledPolicy(program.info, program.subject_name, program.subject_type,
                          dict(compiler.rules), program.main, program.notes)


# ---------------------------------------------------------------- primitives


def _and(values: list[Truth] | tuple[Truth, ...]) -> Truth:
    if NOT_MET in values:
        return NOT_MET
    if UNKNOWN in values:
        return UNKNOWN
    if AWAITING in values:
        return AWAITING
    return MET


def _or(values: list[Truth] | tuple[Truth, ...]) -> Truth:
    if MET in values:
        return MET
    if UNKNOWN in values:
        return UNKNOWN
    if AWAITING in values:
        return AWAITING
    return NOT_MET


_NEGATE = {MET: NOT_MET, NOT_MET: MET, UNKNOWN: UNKNOWN, AWAITING: AWAITING}



class Incomparable(Exception):
    """Two values that have no order between them (months against days)."""


def _key(value: Any) -> Any:
    """A value in a form Python compares exactly."""
    if isinstance(value, Duration):
        return value
    if isinstance(value, Enum) and hasattr(value, "rank"):
        return value.rank
    return value


def _compare(op: str, left: Any, right: Any) -> bool:
    if isinstance(left, Duration) or isinstance(right, Duration):
        if not left.comparable_with(right):
            return _compare_months_with_days(op, left, right)
        left, right = left.magnitude(), right.magnitude()
    elif isinstance(left, Fraction) or isinstance(right, Fraction):
        left, right = Fraction(left), Fraction(right)
    else:
        left, right = _key(left), _key(right)
    if op == ">=":
        return bool(left >= right)
    if op == ">":
        return bool(left > right)
    if op == "<=":
        return bool(left <= right)
    if op == "<":
        return bool(left < right)
    if op == "==":
        return bool(left == right)
    return bool(left != right)


def _compare_months_with_days(op: str, left: Duration, right: Duration) -> bool:
    """Months against days: decided only when every start date gives the same answer.

    N months span between a fewest and a most number of days (民法典 第二百零二条);
    when the comparison holds, or fails, at both ends, that is the answer.
    """
    left_range, right_range = day_range(left), day_range(right)
    if left_range is None or right_range is None:
        raise Incomparable
    answers = {_compare(op, Duration(days=a), Duration(days=b))
               for a in left_range for b in right_range}
    if len(answers) != 1:
        raise Incomparable
    return answers.pop()


def _direct_operator(op: str, left: p.TExpr, right: p.TExpr
                     ) -> Callable[[Any, Any], bool] | None:
    """Python's own operator when both sides' values are exact and of one kind: whole
    numbers (counts), or Decimals of an area or of money (records and constants hold
    those as Decimal). Everything else goes through :func:`_compare`."""
    kinds = {getattr(side, "type", None) for side in (left, right)}
    if any(isinstance(side, p.TOf) for side in (left, right)) or len(kinds) != 1:
        return None
    (kind,) = kinds
    if isinstance(kind, EnumT) and op in ("==", "!="):
        return OPERATORS[op]  # members of one enumeration: equal only to themselves
    if isinstance(kind, IntT) or (isinstance(kind, QuantityT) \
            and kind.dim in (Dim.AREA, Dim.MONEY)):
        return OPERATORS[op]
    return None


def _truth(flag: bool) -> Truth:
    return MET if flag else NOT_MET


def _fields(expr: p.TExpr) -> list[p.TField | p.TIndex]:
    """The facts an expression reads, in order (for naming missing facts)."""
    found: list[p.TField | p.TIndex] = []
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, p.TField | p.TIndex):
            found.append(node)
        elif isinstance(node, p.TOf):
            stack.append(node.base)
        elif isinstance(node, p.TLength):
            stack.append(node.operand)
        elif isinstance(node, p.TCount):
            found.append(node.collection)
        elif isinstance(node, p.TCountInYear):
            found.append(node.dates)  # an absent year means the last full year
    return found


# ---------------------------------------------------------------- compiler


def _references(rules: tuple[p.CheckedRule, ...]) -> dict[str, int]:
    """How many places refer to each rule (a rule referred to twice counts twice)."""
    counts = dict.fromkeys((r.name for r in rules), 0)
    for rule in rules:
        for node in p.walk(rule.body):
            if isinstance(node, p.TRuleRef):
                counts[node.name] = counts.get(node.name, 0) + 1
    return counts


def _compare_truth(op: str, left: Any, right: Any) -> Truth:
    try:
        return MET if _compare(op, left, right) else NOT_MET
    except Incomparable:
        return UNKNOWN


class _Compiler:
    def __init__(self, policy_id: str, references: dict[str, int],
                 meanings: dict[str, Label] | None = None) -> None:
        self.policy_id = policy_id
        self.references = references
        self.meanings = meanings or {}  # texts records use as codes -> their words
        self.rules: dict[str, CompiledRule] = {}
        self.bodies: dict[str, p.TExpr] = {}
        self._conds: dict[int, tuple[p.TExpr, tuple[Decide, Explain]]] = {}

    def rule(self, rule: p.CheckedRule) -> CompiledRule:
        _, explain_body = self.cond(rule.body)
        name, kind, label = rule.name, rule.kind, rule.label
        citations, notes = rule.citations, rule.notes
        due = rule.due if kind == "target" else None
        generated: list[Decide] = []

        def decide(ctx: Ctx) -> Truth:
            # First call: the decision as one generated function (a rule used in one
            # place only is written into that place), which then replaces this stub.
            if not generated:
                generated.append(self.lower(rule))
                compiled.decide = generated[0]
            return generated[0](ctx)

        def explain(ctx: Ctx) -> t.Trace:
            body = explain_body(ctx)
            # A rule that combines parts lists the parts as its own children.
            junction = body.kind in ("all", "any", "and", "or", "steps")
            return t.Trace(kind, body.outcome, rule.body.text,
                           body.children if junction else (body,), name=name, label=label,
                           citations=citations, notes=notes,
                           combine=body.kind if junction else None, due=due,
                           not_yet_due=t.is_not_yet_due(due, ctx.as_of, body.outcome))

        compiled = CompiledRule(name, kind, label, citations, notes, decide, explain,
                                self.collector(rule.body), due)
        return compiled

    def lower(self, rule: p.CheckedRule) -> Decide:
        """The generated decision of ``rule``; its closures if Python cannot compile it."""
        try:
            return lower_rule(rule, bodies=self.bodies,
                              inline=lambda ref: self.references.get(ref, 0) == 1,
                              closure=lambda expr: self.cond(expr)[0],
                              compare=_compare_truth, policy_id=self.policy_id)
        except (RecursionError, MemoryError):  # pragma: no cover - nesting is capped
            return self.cond(rule.body)[0]

    def compare_collector(self, expr: p.TCompare) -> Collect:
        """A comparison not met, with the values the explanation shows (the same
        operands, the same gap), read without building the explanation node."""
        left_expr, op, right_expr = expr.left, expr.op, expr.right
        if isinstance(left_expr, p.TConst) and not isinstance(right_expr, p.TConst):
            left_expr, right_expr, op = right_expr, left_expr, FLIP[op]
        left, right = self.value(left_expr), self.value(right_expr)
        key, path, text = id(expr), _fact_path(expr), expr.text
        # A share of a count is met by a whole count: the gap is to the least (or most)
        # whole number that meets it (2/3 of 7 members: 5), which includes itself.
        whole = isinstance(right_expr, p.TOf) and isinstance(right_expr.type, IntT) \
            and op not in ("==", "!=")
        gap_op = {">": ">=", "<": "<="}.get(op, op) if whole else op

        def collect(ctx: Ctx, rule: str, out: Found, outcome: Truth) -> None:
            if outcome is not NOT_MET or (rule, key) in out:
                return
            a, b = left(ctx), right(ctx)
            a = a.count if isinstance(a, SoFar) else a
            b = b.count if isinstance(b, SoFar) else b
            gap = _gap_value(gap_op, a, _whole_bound(op, b) if whole else b)
            out[rule, key] = t.Failure(rule, text, path, op, a, b, gap)

        return collect

    # ------------------------------------------------------------ values

    def value(self, expr: p.TExpr) -> ValueFn:
        if isinstance(expr, p.TConst):
            constant = expr.value
            return lambda ctx: constant
        if isinstance(expr, p.TField):
            return _field_reader(expr.steps)
        if isinstance(expr, p.TIndex):
            read_map = _field_reader(expr.base.steps)
            key = expr.key

            def entry(ctx: Ctx) -> Any:
                mapping = read_map(ctx)
                if mapping is MISSING:
                    return MISSING
                value = mapping.get(key)
                return MISSING if value is None else value

            return entry
        if isinstance(expr, p.TLength):
            text = self.value(expr.operand)

            def length(ctx: Ctx) -> Any:
                value = text(ctx)
                return MISSING if value is MISSING else len(value)

            return length
        if isinstance(expr, p.TOf):
            ratio = Fraction(expr.ratio.value)
            base = self.value(expr.base)

            def share(ctx: Ctx) -> Any:
                value = base(ctx)
                if value is MISSING:
                    return MISSING
                if isinstance(value, SoFar):  # a share of a count that can only grow
                    return SoFar(ratio * Fraction(value.count))
                return ratio * Fraction(value)

            return share
        if isinstance(expr, p.TCount):
            read_list = _field_reader(expr.collection.steps)
            wanted = expr.items

            def count(ctx: Ctx) -> Any:
                values = read_list(ctx)
                if values is MISSING:
                    return MISSING
                return sum(1 for v in values if v in wanted)

            return count
        if isinstance(expr, p.TCountInYear):
            read_dates = _field_reader(expr.dates.steps)
            year_of = self.value(expr.year)

            def count_in_year(ctx: Ctx) -> Any:
                dates = read_dates(ctx)
                if dates is MISSING:
                    return MISSING
                year = _year(ctx, year_of)
                as_of = ctx.as_of
                held = sum(1 for d in dates if d.year == year and d <= as_of)
                return held if year < as_of.year else SoFar(held)

            return count_in_year
        raise AssertionError(f"not a value: {type(expr).__name__}")  # pragma: no cover

    def label(self, expr: p.TExpr) -> Callable[[Ctx], Label]:
        """The label of a value in explanations; a count in a year names the year asked
        about and, when the record says, whose dates they are (理事会会议次数（2017年）)."""
        if isinstance(expr, p.TOf):
            return self.label(expr.base)
        if not isinstance(expr, p.TCountInYear):
            fixed = _label_of(expr)
            return lambda ctx: fixed
        year_of = self.value(expr.year)
        owner_of = self.value(expr.owner) if expr.owner is not None else None
        zh, en = expr.label.zh, expr.label.en or expr.label.zh

        def label(ctx: Ctx) -> Label:
            year = _year(ctx, year_of)
            owner = owner_of(ctx) if owner_of is not None else MISSING
            whose = "" if owner is MISSING else str(owner)
            return Label(f"{whose}{zh}（{year}年）",
                         f"{whose + ' ' if whose else ''}{en} in {year}")

        return label

    # ------------------------------------------------------------ conditions

    def cond(self, expr: p.TExpr) -> tuple[Decide, Explain]:
        """The two closures of a condition, built once per node of the program."""
        cached = self._conds.get(id(expr))
        if cached is not None and cached[0] is expr:
            return cached[1]
        method = getattr(self, f"c_{type(expr).__name__}")
        result: tuple[Decide, Explain] = method(expr)
        self._conds[id(expr)] = (expr, result)
        return result

    # ------------------------------------------------------------ failures

    def collector(self, expr: p.TExpr) -> Collect:
        """What :attr:`Result.failures` walks: the conditions not met on the path that
        decided the outcome, chosen as :func:`policykit.trace.decisive_children`
        chooses them in the explanation tree, without building the tree. A collector is
        given its condition's outcome, which its parent has already decided."""
        if isinstance(expr, p.TRuleRef):
            name = expr.name
            rules = self.rules

            def through_rule(ctx: Ctx, rule: str, out: Found, outcome: Truth) -> None:
                # A rule referred to in several places is walked once: its failures are
                # keyed by its own name, so a second walk would find the same ones (and
                # a chain of shared rules would be walked once per path through it).
                key = ("collected", name)
                if key not in ctx.memo:
                    ctx.memo[key] = True
                    rules[name].collect(ctx, name, out, outcome)

            return through_rule
        if isinstance(expr, p.TBoolOp | p.TCombination):
            parts = expr.operands if isinstance(expr, p.TBoolOp) else \
                tuple(b.expr for b in expr.branches)
            is_or = getattr(expr, "op", None) == "or" or \
                getattr(expr, "quantifier", None) == "any"
            return _junction_collector(is_or, [self.part_decide(e) for e in parts],
                                       [self.collector(e) for e in parts])
        if isinstance(expr, p.TNot):
            inner = self.collector(expr.operand)
            key, text, path = id(expr), expr.text, _fact_path(expr.operand)

            def negated(ctx: Ctx, rule: str, out: Found, outcome: Truth) -> None:
                # Not met because the condition under `not` held: that is the failure.
                if outcome is NOT_MET and (rule, key) not in out:
                    out[rule, key] = t.Failure(rule, text, path, "not", True, False)
                inner(ctx, rule, out, _NEGATE[outcome])

            return negated
        if isinstance(expr, p.TImplies):
            return _implies_collector(self.part_decide(expr.condition),
                                      self.part_decide(expr.consequence),
                                      self.collector(expr.condition),
                                      self.collector(expr.consequence))
        if isinstance(expr, p.TSteps):
            return _steps_collector([self.part_decide(s.expr) for s in expr.steps],
                                    [self.collector(s.expr) for s in expr.steps])
        if isinstance(expr, p.TUnsettled):
            return _collect_nothing
        if isinstance(expr, p.TCompare):
            return self.compare_collector(expr)
        return _leaf_collector(self.cond(expr)[1], id(expr), _fact_path(expr))

    def part_decide(self, expr: p.TExpr) -> Decide:
        """The decision of a part, for a collector: a rule used in this place only by
        its generated function directly (it is decided once per decision of its one
        user, so it needs no memo); anything else through its closure."""
        if isinstance(expr, p.TRuleRef) and self.references.get(expr.name, 0) == 1:
            return self.rules[expr.name].decide
        return self.cond(expr)[0]

    def c_TField(self, expr: p.TField) -> tuple[Decide, Explain]:
        return _yes_no_fact(_field_reader(expr.steps), expr.path, expr.label, expr.text)

    def c_TIndex(self, expr: p.TIndex) -> tuple[Decide, Explain]:
        return _yes_no_fact(self.value(expr), expr.path, expr.label, expr.text)

    def c_TConst(self, expr: p.TConst) -> tuple[Decide, Explain]:
        outcome = MET if expr.value else NOT_MET
        return (lambda ctx: outcome), (lambda ctx: t.Trace("constant", outcome, expr.text))

    def c_TRuleRef(self, expr: p.TRuleRef) -> tuple[Decide, Explain]:
        target = self.rules[expr.name]
        name = expr.name

        def decide(ctx: Ctx) -> Truth:
            memo = ctx.memo
            if name not in memo:
                memo[name] = target.decide(ctx)
            result: Truth = memo[name]
            return result

        def explain(ctx: Ctx) -> t.Trace:
            key = ("trace", name)
            if key not in ctx.memo:
                ctx.memo[key] = target.explain(ctx)
            node: t.Trace = ctx.memo[key]
            return node

        return decide, explain

    def c_TBoolOp(self, expr: p.TBoolOp) -> tuple[Decide, Explain]:
        parts = [self.cond(o) for o in expr.operands]
        return self._junction(expr.op, None, parts, expr.text, [None] * len(parts))

    def c_TCombination(self, expr: p.TCombination) -> tuple[Decide, Explain]:
        parts = [self.cond(b.expr) for b in expr.branches]
        op = "and" if expr.quantifier == "all" else "or"
        names = [b.name for b in expr.branches]
        return self._junction(op, expr.quantifier, parts, expr.text, names,
                              [b.text for b in expr.branches],
                              [b.label for b in expr.branches])

    def _junction(self, op: str, quantifier: str | None, parts: list[tuple[Decide, Explain]],
                  text: str, names: list[str | None],
                  texts: list[str] | None = None,
                  labels: list[Label | None] | None = None) -> tuple[Decide, Explain]:
        decides = tuple(d for d, _ in parts)
        explains = tuple(e for _, e in parts)
        combine = _and if op == "and" else _or
        kind = quantifier or op

        if op == "and":
            def decide(ctx: Ctx) -> Truth:
                result = MET
                for part in decides:
                    value = part(ctx)
                    if value is NOT_MET:
                        return NOT_MET
                    if value is UNKNOWN or (value is AWAITING and result is MET):
                        result = value
                return result
        else:
            def decide(ctx: Ctx) -> Truth:
                result = NOT_MET
                for part in decides:
                    value = part(ctx)
                    if value is MET:
                        return MET
                    if value is UNKNOWN or (value is AWAITING and result is NOT_MET):
                        result = value
                return result

        def explain(ctx: Ctx) -> t.Trace:
            children = []
            for index, part in enumerate(explains):
                child = part(ctx)
                if names[index] is not None:
                    child = t.Trace("branch", child.outcome,
                                    texts[index] if texts else child.condition, (child,),
                                    name=names[index],
                                    label=(labels[index] if labels else None)
                                    or Label(names[index] or ""),
                                    combine=kind)
                children.append(child)
            outcome = combine([c.outcome for c in children])
            return t.Trace("all" if kind == "all" else "any" if kind == "any" else op,
                           outcome, text, tuple(children))

        return decide, explain

    def c_TNot(self, expr: p.TNot) -> tuple[Decide, Explain]:
        inner_decide, inner_explain = self.cond(expr.operand)

        def decide(ctx: Ctx) -> Truth:
            return _NEGATE[inner_decide(ctx)]

        def explain(ctx: Ctx) -> t.Trace:
            child = inner_explain(ctx)
            return t.Trace("not", _NEGATE[child.outcome], expr.text, (child,))

        return decide, explain

    def c_TImplies(self, expr: p.TImplies) -> tuple[Decide, Explain]:
        cond_decide, cond_explain = self.cond(expr.condition)
        then_decide, then_explain = self.cond(expr.consequence)

        def decide(ctx: Ctx) -> Truth:
            condition = cond_decide(ctx)
            if condition is NOT_MET:
                return MET
            return _or((_NEGATE[condition], then_decide(ctx)))

        def explain(ctx: Ctx) -> t.Trace:
            condition = cond_explain(ctx)
            consequence = then_explain(ctx)
            outcome = _or((_NEGATE[condition.outcome], consequence.outcome))
            return t.Trace("implies", outcome, expr.text, (condition, consequence))

        return decide, explain

    def c_TCompare(self, expr: p.TCompare) -> tuple[Decide, Explain]:
        left_expr, op, right_expr = expr.left, expr.op, expr.right
        if isinstance(left_expr, p.TConst) and not isinstance(right_expr, p.TConst):
            left_expr, right_expr, op = right_expr, left_expr, FLIP[op]
        left, right = self.value(left_expr), self.value(right_expr)
        subject_of = self.label(left_expr)
        base_of = self.label(right_expr.base if isinstance(right_expr, p.TOf) else right_expr)

        direct = _direct_operator(op, left_expr, right_expr)
        if direct is not None:
            # Both sides are whole numbers, or both exact decimals of one dimension: Python
            # compares them exactly as they are, with no conversion on the hot path.
            def decide(ctx: Ctx) -> Truth:
                a = left(ctx)
                b = right(ctx)
                if a is MISSING or b is MISSING:
                    return UNKNOWN
                return MET if direct(a, b) else NOT_MET
        else:
            def decide(ctx: Ctx) -> Truth:
                a = left(ctx)
                b = right(ctx)
                if a is MISSING or b is MISSING:
                    return UNKNOWN
                try:
                    return MET if _compare(op, a, b) else NOT_MET
                except Incomparable:
                    return UNKNOWN

        if _counts_in_a_year(left_expr) or _counts_in_a_year(right_expr):
            exact = decide

            def decide(ctx: Ctx) -> Truth:
                a = left(ctx)
                b = right(ctx)
                if isinstance(a, SoFar) or isinstance(b, SoFar):
                    if a is MISSING or b is MISSING:
                        return UNKNOWN
                    return _compare_so_far(op, a, b)
                return exact(ctx)

        def explain(ctx: Ctx) -> t.Trace:
            a, b = left(ctx), right(ctx)
            outcome = decide(ctx)
            missing = _missing(ctx, [left_expr, right_expr])
            note = None
            if isinstance(a, SoFar) or isinstance(b, SoFar):
                note = "year_not_over" if outcome is UNKNOWN else None
                a = a.count if isinstance(a, SoFar) else a
                b = b.count if isinstance(b, SoFar) else b
            elif outcome is UNKNOWN and not missing:
                note = "months_vs_days"
                missing = tuple(t.Missing(f.path, f.label) for f in _fields(left_expr))
            detail = _comparison(left_expr, op, right_expr, a, b, outcome, note,
                                 subject_of(ctx), base_of(ctx))
            return t.Trace("compare", outcome, expr.text, detail=detail, missing=missing)

        return decide, explain

    def c_TMember(self, expr: p.TMember) -> tuple[Decide, Explain]:
        element, collection = self.value(expr.element), self.value(expr.collection)
        negated = expr.negated

        def decide(ctx: Ctx) -> Truth:
            a, b = element(ctx), collection(ctx)
            if a is MISSING or b is MISSING:
                return UNKNOWN
            return MET if (a in b) is not negated else NOT_MET

        subject = _label_of(expr.element)
        meanings = self.meanings

        def term(text: Any) -> Any:
            """A code the policy gives words for, as a :class:`~policykit.trace.Term`."""
            words = meanings.get(text) if isinstance(text, str) else None
            return text if words is None else t.Term(text, words)

        # A text looked up in a field that lists texts ("director" in pr.proposers) is
        # told from the field's side: what it holds, and the text it must (not) hold.
        listed = isinstance(expr.element, p.TConst) and not isinstance(expr.collection,
                                                                      p.TConst)
        if listed:
            subject = _label_of(expr.collection)

        def explain(ctx: Ctx) -> t.Trace:
            a, b = element(ctx), collection(ctx)
            outcome = decide(ctx)
            if listed:
                # The field's texts in a stable order (a set of texts would otherwise
                # print in the order of the process's string hashes).
                held = None if b is MISSING else tuple(
                    term(x) for x in (sort_members(b) if isinstance(b, frozenset | set) else b))
                detail = t.Membership(subject, "lacks" if negated else "has", held,
                                      frozenset({term(a)}))
            else:
                detail = t.Membership(subject, "not in" if negated else "in",
                                      None if a is MISSING else a,
                                      frozenset() if b is MISSING else frozenset(b))
            return t.Trace("member", outcome, expr.text, detail=detail,
                           missing=_missing(ctx, [expr.element, expr.collection]))

        return decide, explain

    def c_TIncludes(self, expr: p.TIncludes) -> tuple[Decide, Explain]:
        collection = self.value(expr.collection)
        items = frozenset(expr.items.value)
        every = expr.quantifier == "all"

        def decide(ctx: Ctx) -> Truth:
            have = collection(ctx)
            if have is MISSING:
                return UNKNOWN
            if every:
                return MET if items <= have else NOT_MET
            return NOT_MET if items.isdisjoint(have) else MET

        subject = _label_of(expr.collection)

        def explain(ctx: Ctx) -> t.Trace:
            have = collection(ctx)
            outcome = decide(ctx)
            actual = None if have is MISSING else frozenset(have)
            lacking = frozenset() if actual is None or not every else items - actual
            detail = t.Membership(subject, expr.quantifier, actual, items, lacking)
            return t.Trace("includes", outcome, expr.text, detail=detail,
                           missing=_missing(ctx, [expr.collection]))

        return decide, explain

    def c_TSince(self, expr: p.TSince) -> tuple[Decide, Explain]:
        start = self.value(expr.start)
        duration: Duration = expr.duration.value
        op = expr.op

        def end_of(ctx: Ctx) -> Any:
            begun = start(ctx)
            if begun is MISSING:
                return MISSING
            try:
                return add_period(begun, duration)
            except OverflowError:
                return BEYOND

        def decide(ctx: Ctx) -> Truth:
            end = end_of(ctx)
            if end is MISSING:
                return UNKNOWN
            if end is BEYOND:  # ends after every date: as_of is before its end
                return MET if _compare(op, date.min, date.max) else NOT_MET
            return MET if _compare(op, ctx.as_of, end.last_day) else NOT_MET

        subject = _label_of(expr.start)
        amount = t.Amount(duration, expr.duration.type.dim
                          if isinstance(expr.duration.type, QuantityT) else None,
                          expr.duration.unit)

        def explain(ctx: Ctx) -> t.Trace:
            end = end_of(ctx)
            outcome = decide(ctx)
            begun = start(ctx)
            short = over = None
            beyond = end is BEYOND
            if beyond:
                end = MISSING
            if outcome is NOT_MET and end is not MISSING and op in (">=", ">"):
                short = (end.last_day - ctx.as_of).days + (1 if op == ">" else 0)
            if outcome is NOT_MET and end is not MISSING and op in ("<=", "<"):
                over = (ctx.as_of - end.last_day).days + (1 if op == "<" else 0)
            detail = t.Elapsed(subject, op, None if begun is MISSING else begun, amount,
                               None if end is MISSING else end.last_day, ctx.as_of,
                               False if end is MISSING else end.clamped, short, over,
                               beyond=beyond)
            return t.Trace("since", outcome, expr.text, detail=detail,
                           missing=_missing(ctx, [expr.start]))

        return decide, explain

    def c_TSteps(self, expr: p.TSteps) -> tuple[Decide, Explain]:
        parts = [self.cond(step.expr) for step in expr.steps]
        decides = tuple(d for d, _ in parts)
        explains = tuple(e for _, e in parts)
        steps = expr.steps

        def decide(ctx: Ctx) -> Truth:
            # Every step passed: passes. A step failed: fails, whatever came before it.
            # Otherwise the first step not yet passed says why it is undetermined.
            first_open = MET
            for part in decides:
                value = part(ctx)
                if value is NOT_MET:
                    return NOT_MET
                if first_open is MET:
                    first_open = value
            return first_open

        def explain(ctx: Ctx) -> t.Trace:
            # A step after one that did not pass is not reached: it decides nothing, but
            # what the record says of it (a vote held, with its count) is still shown.
            # While no step has failed, every step may yet decide, so the facts every
            # open step lacks are all asked for, not only the first open step's.
            children = [part(ctx) for part in explains]
            outcomes = [c.outcome for c in children]
            cut = _first(outcomes, lambda o: o is NOT_MET)
            first_open = _first(outcomes, lambda o: o is not MET)
            outcome = NOT_MET if cut is not None else \
                (outcomes[first_open] if first_open is not None else MET)
            nodes = tuple(
                t.Trace("step", child.outcome, step.text, (child,),
                        name=step.name, label=step.label, reached=cut is None or index <= cut)
                for index, (step, child) in enumerate(zip(steps, children, strict=True)))
            return t.Trace("steps", outcome, expr.text, nodes)

        return decide, explain

    def c_TUnsettled(self, expr: p.TUnsettled) -> tuple[Decide, Explain]:
        return (lambda ctx: UNKNOWN), (lambda ctx: t.Trace("unsettled", UNKNOWN, expr.text))

    def c_TJudged(self, expr: p.TJudged) -> tuple[Decide, Explain]:
        read = _field_reader(expr.source.steps)
        key = expr.key
        pending = (t.Pending(key, expr.question),)

        def decide(ctx: Ctx) -> Truth:
            answers = read(ctx)
            if answers is MISSING:
                return AWAITING
            given = answers.get(key)
            if given is None:
                return AWAITING
            return MET if given else NOT_MET

        def explain(ctx: Ctx) -> t.Trace:
            outcome = decide(ctx)
            answers = read(ctx)
            given = None if answers is MISSING else answers.get(key)
            return t.Trace("judgement", outcome, expr.text,
                           detail=t.JudgementAsked(key, expr.question, given),
                           pending=pending if outcome is AWAITING else ())

        return decide, explain


# ---------------------------------------------------------------- failures


def _collect_nothing(ctx: Ctx, rule: str, out: Found, outcome: Truth) -> None:
    return None


def _leaf_collector(explain: Explain, key: int, path: str | None) -> Collect:
    def collect(ctx: Ctx, rule: str, out: Found, outcome: Truth) -> None:
        if outcome is NOT_MET and (rule, key) not in out:
            failure = t.failure_of(explain(ctx), rule, path)
            if failure is not None:
                out[rule, key] = failure

    return collect


_SETTLED = frozenset({MET, NOT_MET})


def _decisive(is_or: bool, outcome: Truth, value: Truth) -> bool:
    """:func:`policykit.trace.decisive_children` for one part of a junction."""
    if outcome is (NOT_MET if is_or else MET) or value is outcome:
        return True
    return outcome not in _SETTLED and value not in _SETTLED


def _junction_collector(is_or: bool, decides: list[Decide], collects: list[Collect]
                        ) -> Collect:
    every = NOT_MET if is_or else MET  # the outcome every part decides
    pairs = tuple(zip(decides, collects, strict=True))

    def collect(ctx: Ctx, rule: str, out: Found, outcome: Truth) -> None:
        settled = outcome in _SETTLED
        for decide, part in pairs:
            value = decide(ctx)
            if outcome is every or (value is outcome if settled else value not in _SETTLED):
                part(ctx, rule, out, value)

    return collect


def _implies_collector(cond_decide: Decide, then_decide: Decide, cond_collect: Collect,
                       then_collect: Collect) -> Collect:
    def collect(ctx: Ctx, rule: str, out: Found, outcome: Truth) -> None:
        condition, consequence = cond_decide(ctx), then_decide(ctx)
        if _decisive(True, outcome, _NEGATE[condition]):
            cond_collect(ctx, rule, out, condition)
        if _decisive(True, outcome, consequence):
            then_collect(ctx, rule, out, consequence)

    return collect


def _steps_collector(decides: list[Decide], collects: list[Collect]) -> Collect:
    def collect(ctx: Ctx, rule: str, out: Found, outcome: Truth) -> None:
        values = [decide(ctx) for decide in decides]
        cut = _first(values, lambda o: o is NOT_MET)
        reached = len(values) if cut is None else cut + 1  # steps after it decide nothing
        for part, value in zip(collects[:reached], values[:reached], strict=True):
            if _decisive(False, outcome, value):
                part(ctx, rule, out, value)

    return collect


def _fact_path(expr: p.TExpr) -> str | None:
    """The fact a condition is about, as failures name it."""
    if isinstance(expr, p.TJudged):
        return f"{expr.source.path}[{expr.key}]"
    if isinstance(expr, p.TCompare):
        left = expr.right if isinstance(expr.left, p.TConst) else expr.left
        found = _fields(left) or _fields(expr.right)
    elif isinstance(expr, p.TMember):
        listed = isinstance(expr.element, p.TConst)
        found = _fields(expr.collection if listed else expr.element)
    elif isinstance(expr, p.TIncludes):
        found = _fields(expr.collection)
    elif isinstance(expr, p.TSince):
        found = _fields(expr.start)
    else:
        found = _fields(expr)
    return found[0].path if found else None


# ---------------------------------------------------------------- helpers


def _yes_no_fact(read: ValueFn, path: str, label: Label, text: str
                 ) -> tuple[Decide, Explain]:
    """A yes/no fact used as a condition (a field or a map entry): unknown when absent."""
    missing = (t.Missing(path, label),)

    def decide(ctx: Ctx) -> Truth:
        value = read(ctx)
        if value is MISSING:
            return UNKNOWN
        return MET if value else NOT_MET

    def explain(ctx: Ctx) -> t.Trace:
        outcome = decide(ctx)
        return t.Trace("fact", outcome, text, label=label,
                       missing=missing if outcome is UNKNOWN else ())

    return decide, explain


def _field_reader(steps: tuple[str, ...]) -> ValueFn:
    """A closure reading ``record.a.b.c``; any absent step gives MISSING.

    The names were resolved against the record schema by the checker: no name that
    starts with ``_`` can reach here, and no name is looked up in anything but a record.
    """
    if len(steps) == 1:
        (first,) = steps

        def read1(ctx: Ctx) -> Any:
            value = getattr(ctx.record, first)
            return MISSING if value is None else value

        return read1
    if len(steps) == 2:
        first, second = steps

        def read2(ctx: Ctx) -> Any:
            inner = getattr(ctx.record, first)
            if inner is None:
                return MISSING
            value = getattr(inner, second)
            return MISSING if value is None else value

        return read2

    def read(ctx: Ctx) -> Any:
        value = ctx.record
        for step in steps:
            value = getattr(value, step)
            if value is None:
                return MISSING
        return value

    return read


def _counts_in_a_year(expr: p.TExpr) -> bool:
    """Whether a value may be a count of a year not yet over (:class:`SoFar`)."""
    return isinstance(expr, p.TCountInYear) or (
        isinstance(expr, p.TOf) and _counts_in_a_year(expr.base))


def _first(values: list[Truth], test: Callable[[Truth], bool]) -> int | None:
    return next((i for i, v in enumerate(values) if test(v)), None)


def _year(ctx: Ctx, year_of: ValueFn) -> int:
    """The year asked about, or the last full calendar year before the as-of date."""
    year = year_of(ctx)
    return ctx.as_of.year - 1 if year is MISSING else int(year)


def _compare_so_far(op: str, a: Any, b: Any) -> Truth:
    """``a op b`` where one side is a count of a year not yet over (it can only grow)."""
    if isinstance(a, SoFar) and isinstance(b, SoFar):
        return UNKNOWN
    if isinstance(b, SoFar):
        return _compare_so_far(FLIP[op], b, a)
    now = _compare(op, a.count, b)
    if op in (">=", ">"):  # reached already: more meetings cannot undo it
        return MET if now else UNKNOWN
    if op in ("<=", "<"):  # exceeded already: fewer cannot come back
        return UNKNOWN if now else NOT_MET
    if _compare(">", a.count, b):  # == or != against a count already passed
        return NOT_MET if op == "==" else MET
    return UNKNOWN


def _missing(ctx: Ctx, exprs: list[p.TExpr]) -> tuple[t.Missing, ...]:
    found: list[t.Missing] = []
    for expr in exprs:
        for fact in _fields(expr):
            if isinstance(fact, p.TIndex):
                mapping = _field_reader(fact.base.steps)(ctx)
                absent = mapping is MISSING or mapping.get(fact.key) is None
            else:
                absent = _field_reader(fact.steps)(ctx) is MISSING
            if absent:
                found.append(t.Missing(fact.path, fact.label))
    return tuple(found)


def _label_of(expr: p.TExpr) -> Label:
    if isinstance(expr, p.TField | p.TIndex | p.TLength | p.TCount | p.TCountInYear):
        return expr.label
    if isinstance(expr, p.TOf):
        return _label_of(expr.base)
    return Label(getattr(expr, "text", ""))



def _amount(expr: p.TExpr, value: Any) -> t.Amount:
    ty: Type | None = getattr(expr, "type", None)
    dim = ty.dim if isinstance(ty, QuantityT) else None
    unit = expr.unit if isinstance(expr, p.TConst) else None
    return t.Amount(value, dim, unit)


def _comparison(left: p.TExpr, op: str, right: p.TExpr, a: Any, b: Any, outcome: Truth,
                note: str | None, subject: Label, base_label: Label) -> t.Comparison:
    share = None
    whole_bound = None
    required_unit_expr = right
    if isinstance(right, p.TOf):
        base_amount = _amount(right.base, _base_of(b, right))
        share = (Fraction(right.ratio.value), base_label, base_amount)
        required_unit_expr = right.base
        if isinstance(right.type, IntT) and b is not MISSING and op not in ("==", "!="):
            whole_bound = _whole_bound(op, b)
    actual = None if a is MISSING else _amount(left, a)
    required_amount = _amount(required_unit_expr, None if b is MISSING else b)
    if actual is not None and required_unit_expr is not right:
        required_amount = attrs.evolve(required_amount, unit=actual.unit)
    if actual is not None and isinstance(right, p.TConst):
        actual = attrs.evolve(actual, unit=right.unit or actual.unit)
    gap = None
    if outcome is NOT_MET and a is not MISSING and b is not MISSING and note is None:
        if whole_bound is not None:  # the whole bound already includes itself
            gap = _gap({">": ">=", "<": "<="}.get(op, op), a, whole_bound, required_amount)
        else:
            gap = _gap(op, a, b, required_amount)
    return t.Comparison(subject, op, actual, required_amount, gap, share, whole_bound, note)


def _base_of(required: Any, right: p.TOf) -> Any:
    if required is MISSING:
        return None
    ratio = Fraction(right.ratio.value)
    return required / ratio if ratio else None


def _whole_bound(op: str, bound: Fraction | int) -> int:
    """The extreme whole count satisfying ``n op bound``: the least for ``>=`` and ``>``,
    the greatest for ``<=`` and ``<`` (2/3 of 7 members: at least 5)."""
    if op == ">=":
        return math.ceil(bound)
    if op == ">":
        return math.floor(bound) + 1
    if op == "<=":
        return math.floor(bound)
    return math.ceil(bound) - 1


def _gap(op: str, actual: Any, required: Any, shown: t.Amount) -> t.Amount | None:
    """How far ``actual`` is from meeting ``op required``, as an amount to show in the
    unit of ``shown`` (days for dates)."""
    value = _gap_value(op, actual, required)
    if value is None:
        return None
    if isinstance(actual, date) and isinstance(required, date):
        return t.Amount(value, Dim.DURATION, None)
    return attrs.evolve(shown, value=value)


def _gap_value(op: str, actual: Any, required: Any) -> Any:
    """How far ``actual`` is from meeting ``op required``: a number, a duration, or days
    for dates; None where a gap means nothing (equality, text, enumerations, sets)."""
    if op in ("==", "!="):
        return None
    if isinstance(actual, Duration) or isinstance(required, Duration):
        if not actual.comparable_with(required):
            return None
        diff: Any = abs(required.magnitude() - actual.magnitude())
        if op in (">", "<"):
            diff += 1  # whole months or days: one more than the bound
        return Duration(days=diff) if (actual.days or required.days) else \
            Duration(months=diff)
    if isinstance(actual, date) and isinstance(required, date):
        # Days too late (for an on-or-before bound) or too early (on-or-after).
        return Duration(days=abs((actual - required).days) + (1 if op in (">", "<") else 0))
    if not isinstance(actual, int | Decimal | Fraction) or isinstance(actual, bool) \
            or not isinstance(required, int | Decimal | Fraction):
        return None
    diff = Fraction(required) - Fraction(actual) if op in (">=", ">") else \
        Fraction(actual) - Fraction(required)
    if op in (">", "<") and isinstance(actual, int) and isinstance(required, int):
        diff += 1
    elif op in (">", "<") and diff == 0:
        return None  # equal to an exclusive bound: any amount beyond it would do
    if diff.denominator == 1 and isinstance(actual, int):
        return int(diff)
    return diff
