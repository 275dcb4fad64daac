"""Names, types and units of expressions, checked before any record is seen.

:class:`ExprChecker` turns an AST expression into a typed ``program`` expression,
reporting every problem to the collector and returning ``None`` for a part it could
not type, so that one run reports all the errors of a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from fractions import Fraction
from typing import Any

from policykit import nodes as n
from policykit import program as p
from policykit.diagnostics import Collector, closest
from policykit.quantities import NumberError, canonical
from policykit.records import FieldInfo, schema_fields
from policykit.source import Span
from policykit.stdlib.units import Dim, unit_named
from policykit.types import (
    BOOL,
    DATE,
    INT,
    TEXT,
    DateT,
    EnumT,
    IntT,
    ListT,
    MapT,
    QuantityT,
    RecordT,
    SetT,
    Type,
    describe,
)

__all__ = ["ExprChecker", "RuleScope"]

_ORDER_OPS = (">=", ">", "<=", "<")
_ALL_OPS = (*_ORDER_OPS, "==", "!=")


class RuleScope:
    """What an expression may refer to besides fields: rules, and the judgement map.

    ``subjects`` gives the record each rule reads (None where it is unknown), and
    ``judgements_subject`` the record the judgement map belongs to (the header's).
    """

    def __init__(self, rule_names: Mapping[str, str], judgements: p.TField | None,
                 subjects: Mapping[str, tuple[str, type[Any]] | None] | None = None,
                 judgements_subject: tuple[str, type[Any]] | None = None,
                 meanings: Mapping[str, n.Label] | None = None) -> None:
        self.rule_names = rule_names  # name -> kind
        self.judgements = judgements
        self.subjects = subjects or {}
        self.judgements_subject = judgements_subject
        self.meanings = meanings or {}  # a text used as a code -> its words


def _text(expr: n.Expr | n.Branch) -> str:
    return " ".join(expr.span.text.split()) if expr.span is not None else ""


class ExprChecker:
    """Types the expressions of one policy against its subject's record type."""

    def __init__(self, subject_name: str, subject_type: type[Any], diags: Collector,
                 scope: RuleScope) -> None:
        self.subject_name = subject_name
        self.subject_type = subject_type
        self.diags = diags
        self.scope = scope
        self.criterion: str | None = None
        self.refs: list[str] = []

    # ------------------------------------------------------------ entry points

    def meaning(self, text: str, span: Span | None) -> n.Label:
        """The words for ``text`` where a record uses it as a code; PK508 when the policy
        gives none (explanations print words, never codes)."""
        words = self.scope.meanings.get(text)
        if words is None:
            self.diags.error(
                "PK508", f"the text \"{text}\" is a code of the records, and the policy "
                "does not say what it means", span,
                f'say it once in the policy: code "{text}" means "中文" en "English"')
            return n.Label(text, text)
        return words

    def condition(self, expr: n.Expr, criterion: str | None) -> p.TExpr | None:
        """A yes/no condition (the body of a rule)."""
        self.criterion = criterion
        return self.boolean(expr)

    def boolean(self, expr: n.Expr) -> p.TExpr | None:
        typed = self.expr(expr)
        if typed is None:
            return None
        if _is_condition(typed):
            return typed
        self.diags.error(
            "PK303",
            f"`{_text(expr)}` is {_an(describe(_type_of(typed)))}, not a yes/no condition",
            expr.span, "compare it with something, e.g. `space.area >= 500 m2`",
        )
        return None

    # ------------------------------------------------------------ dispatch

    def expr(self, expr: n.Expr, enum_hint: type[Enum] | None = None) -> p.TExpr | None:
        handler = self._handlers().get(type(expr))
        assert handler is not None, type(expr)
        return handler(expr, enum_hint)

    def _handlers(self) -> dict[type, Callable[[Any, type[Enum] | None], p.TExpr | None]]:
        return {
            n.Path: self.path,
            n.NumberLit: self.number,
            n.QuantityLit: self.quantity,
            n.FractionLit: self.fraction,
            n.TextLit: lambda e, _h: p.TConst(e.value, TEXT, None, _text(e), span=e.span),
            n.DateLit: lambda e, _h: p.TConst(e.value, DATE, None, _text(e), span=e.span),
            n.BoolLit: lambda e, _h: p.TConst(e.value, BOOL, None, _text(e), span=e.span),
            n.SetLit: self.set_lit,
            n.Compare: self.compare,
            n.BoolOp: self.bool_op,
            n.Not: self.not_,
            n.Implies: self.implies,
            n.Member: self.member,
            n.Includes: self.includes,
            n.Since: self.since,
            n.Of: self.of,
            n.Combination: self.combination,
            n.Judged: self.judged,
            n.Index: self.index,
            n.Length: self.length,
            n.Steps: self.steps,
            n.Unsettled: lambda e, _h: p.TUnsettled(_text(e), span=e.span),
            n.Count: self.count,
            n.CountInYear: self.count_in_year,
        }

    # ------------------------------------------------------------ names

    def path(self, expr: n.Path, enum_hint: type[Enum] | None) -> p.TExpr | None:
        names = expr.names
        if names[0] == self.subject_name:
            return self.field(expr)
        if len(names) == 1:
            name = names[0]
            if enum_hint is not None:
                return self.enum_member(expr, enum_hint)
            if name in self.scope.rule_names:
                return self.rule_ref(expr, name)
            suggestion = closest(name, [*self.scope.rule_names, self.subject_name])
            self.diags.error(
                "PK202", f"unknown rule `{name}`", expr.span,
                f"did you mean `{suggestion}`?" if suggestion else
                f"fields are written from the subject, e.g. `{self.subject_name}.{name}`",
            )
            return None
        self.diags.error(
            "PK201", f"`{expr.dotted}` does not start from the subject `{self.subject_name}`",
            expr.span, f"write `{self.subject_name}.{'.'.join(names[1:])}`",
        )
        return None

    def rule_ref(self, expr: n.Path, name: str) -> p.TRuleRef | None:
        other = self.scope.subjects.get(name)
        if other is not None and other != (self.subject_name, self.subject_type):
            self.diags.error(
                "PK305", f"`{name}` is a rule over `{other[0]}: {other[1].__name__}`, and this "
                f"rule is over `{self.subject_name}: {self.subject_type.__name__}`", expr.span,
                "a rule reads one record: refer only to rules over the same record, or give "
                f"this rule `over {other[0]}: {other[1].__name__}`",
            )
            return None
        self.refs.append(name)
        return p.TRuleRef(name, name, span=expr.span)

    def field(self, expr: n.Path) -> p.TField | None:
        cls: type[Any] = self.subject_type
        info: FieldInfo | None = None
        walked = [self.subject_name]
        for name in expr.names[1:]:
            fields = schema_fields(cls)
            info = fields.get(name)
            if info is None:
                suggestion = closest(name, fields)
                where = ".".join(walked)
                self.diags.error(
                    "PK201", f"`{where}` ({cls.__name__}) has no field `{name}`", expr.span,
                    f"did you mean `{suggestion}`?" if suggestion else
                    f"the fields of {cls.__name__} are listed in the record reference",
                )
                return None
            walked.append(name)
            if isinstance(info.type, RecordT):
                cls = info.type.cls
            elif name != expr.names[-1]:
                self.diags.error(
                    "PK201",
                    f"`{'.'.join(walked)}` is {_an(describe(info.type))} and has no fields",
                    expr.span, "remove the part after it",
                )
                return None
        if info is None:
            self.diags.error("PK201", f"`{self.subject_name}` is the whole record, not a field",
                             expr.span, f"name a field, e.g. `{self.subject_name}.name`")
            return None
        label = n.Label(info.label, info.label_en)
        return p.TField(expr.names[1:], expr.dotted, info.type, label, _text(expr),
                        span=expr.span)

    def enum_member(self, expr: n.Path, enum: type[Enum]) -> p.TConst | None:
        name = expr.names[-1] if len(expr.names) == 1 else expr.dotted
        member = _enum_lookup(enum, name)
        if member is None:
            names = [str(m.value) for m in enum]
            suggestion = closest(name, names)
            self.diags.error(
                "PK205", f"`{name}` is not a value of {enum.__name__}", expr.span,
                f"did you mean `{suggestion}`?" if suggestion else
                f"the values are {', '.join(names)}",
            )
            return None
        return p.TConst(member, EnumT(enum), None, _text(expr), span=expr.span)

    # ------------------------------------------------------------ literals

    def number(self, expr: n.NumberLit, _hint: type[Enum] | None) -> p.TExpr | None:
        if expr.value != expr.value.to_integral_value():
            self.diags.error(
                "PK106", f"`{_text(expr)}` has no unit, and a count is a whole number", expr.span,
                "give the unit, e.g. `499.9 m2`, or write a percentage such as `30%`",
            )
            return None
        return p.TConst(int(expr.value), INT, None, _text(expr), span=expr.span)

    def quantity(self, expr: n.QuantityLit, _hint: type[Enum] | None) -> p.TExpr | None:
        unit = unit_named(expr.unit)
        if unit is None:  # pragma: no cover - the grammar admits only known units
            self.diags.error("PK106", f"unknown unit `{expr.unit}`", expr.span)
            return None
        try:
            value = canonical(expr.magnitude, unit)
        except NumberError as err:
            self.diags.error("PK106", str(err), expr.span,
                             "write whole months or days, e.g. `6 months` or `半年`")
            return None
        return p.TConst(value, QuantityT(unit.dim), unit, _text(expr), span=expr.span)

    def fraction(self, expr: n.FractionLit, _hint: type[Enum] | None) -> p.TExpr | None:
        value = Fraction(expr.numerator, expr.denominator)
        return p.TConst(value, QuantityT(Dim.RATIO), unit_named("%"), _text(expr), span=expr.span)

    def set_lit(self, expr: n.SetLit, enum_hint: type[Enum] | None) -> p.TExpr | None:
        texts = [item for item in expr.items if isinstance(item, n.TextLit)]
        if texts:
            if len(texts) != len(expr.items) or enum_hint is not None:
                self.diags.error(
                    "PK301", "a set mixes texts with other values", expr.span,
                    "list only texts for a text field, only names for an enumeration",
                )
                return None
            return p.TConst(frozenset(t.value for t in texts), ListT(TEXT), None, _text(expr),
                            span=expr.span)
        if enum_hint is None:
            self.diags.error(
                "PK302", "a set of values needs something to compare it with", expr.span,
                "use it as `space.x in {a, b}` or `space.services includes all of {a, b}`",
            )
            return None
        members = [self.enum_member(item, enum_hint) for item in expr.items
                   if isinstance(item, n.Path)]
        if any(m is None for m in members):
            return None
        values = frozenset(m.value for m in members if m is not None)
        return p.TConst(values, SetT(enum_hint), None, _text(expr), span=expr.span)

    # ------------------------------------------------------------ operators

    def compare(self, expr: n.Compare, _hint: type[Enum] | None) -> p.TExpr | None:
        left, right = self._pair(expr.left, expr.right)
        if left is None or right is None:
            return None
        # Only values compare (fields, constants, shares): a rule, a judgement or another
        # condition on either side has no value to compare, only an outcome.
        conditions = [node for node, typed in ((expr.left, left), (expr.right, right))
                      if not isinstance(typed, _VALUES)]
        for node in conditions:
            self.diags.error(
                "PK302", f"`{_text(node)}` is a condition, and `{expr.op}` compares values",
                node.span, "combine conditions with `and`, `or`, `not` or `implies`",
            )
        if conditions:
            return None
        lt, rt = _type_of(left), _type_of(right)
        if not self._comparable(expr, lt, rt, expr.op, left, right):
            return None
        return p.TCompare(expr.op, left, right, lt, _text(expr), span=expr.span)

    def _pair(self, a: n.Expr, b: n.Expr) -> tuple[p.TExpr | None, p.TExpr | None]:
        """Type two operands; a bare name on one side may be a value of the other's enum."""
        first = self.expr(a) if not _bare_name(a) else None
        second = self.expr(b, _enum_of(first)) if first is not None else None
        if first is None and _bare_name(a):
            second = self.expr(b)
            first = self.expr(a, _enum_of(second)) if second is not None else None
        return first, second

    def _comparable(self, expr: n.Expr, lt: Type, rt: Type, op: str,
                    left: p.TExpr, right: p.TExpr) -> bool:
        if isinstance(lt, QuantityT) and isinstance(rt, QuantityT):
            if lt.dim is not rt.dim:
                self.diags.error(
                    "PK401", f"`{_short(left)}` is {_an(lt.dim.value)} but `{_short(right)}` "
                    f"is {_an(rt.dim.value)}", expr.span,
                    f"compare {lt.dim.value} with {lt.dim.value}, e.g. `{_example(lt.dim)}`",
                )
                return False
            return self._same_duration_kind(expr, left, right)
        if (isinstance(lt, IntT) and isinstance(rt, QuantityT)) or \
                (isinstance(lt, QuantityT) and isinstance(rt, IntT)):
            q = lt if isinstance(lt, QuantityT) else rt
            assert isinstance(q, QuantityT)
            self.diags.error(
                "PK401", f"a count is compared with {_an(q.dim.value)} in `{_text(expr)}`",
                expr.span, "give both sides the same kind: a count, or a quantity with a unit",
            )
            return False
        if lt != rt:
            self.diags.error(
                "PK301", f"`{_short(left)}` is {_an(describe(lt))} but `{_short(right)}` is "
                f"{_an(describe(rt))}", expr.span, "compare values of the same kind",
            )
            return False
        if op in _ORDER_OPS and not _ordered(lt):
            self.diags.error(
                "PK302", f"`{op}` does not apply to {_an(describe(lt))}", expr.span,
                "use `==` or `!=`, or `in {…}` for several values",
            )
            return False
        return True

    def _same_duration_kind(self, expr: n.Expr, left: p.TExpr, right: p.TExpr) -> bool:
        kinds = {c.unit.in_days for c in (left, right)
                 if isinstance(c, p.TConst) and c.unit is not None
                 and c.unit.dim is Dim.DURATION}
        if len(kinds) > 1:
            self.diags.error(
                "PK402", f"months and days are compared in `{_text(expr)}`", expr.span,
                "a month has no fixed number of days: count both in months or both in days",
            )
            return False
        return True

    def bool_op(self, expr: n.BoolOp, _hint: type[Enum] | None) -> p.TExpr | None:
        operands = [self.boolean(o) for o in expr.operands]
        if any(o is None for o in operands):
            return None
        return p.TBoolOp(expr.op, tuple(o for o in operands if o is not None), _text(expr),
                         span=expr.span)

    def not_(self, expr: n.Not, _hint: type[Enum] | None) -> p.TExpr | None:
        operand = self.boolean(expr.operand)
        return None if operand is None else p.TNot(operand, _text(expr), span=expr.span)

    def implies(self, expr: n.Implies, _hint: type[Enum] | None) -> p.TExpr | None:
        condition = self.boolean(expr.condition)
        consequence = self.boolean(expr.consequence)
        if condition is None or consequence is None:
            return None
        return p.TImplies(condition, consequence, _text(expr), span=expr.span)

    def member(self, expr: n.Member, _hint: type[Enum] | None) -> p.TExpr | None:
        if isinstance(expr.collection, n.SetLit):
            element = self.expr(expr.element)
            if element is None:
                return None
            enum = _enum_of(element)
            if enum is None and _type_of(element) == TEXT:
                collection = self.expr(expr.collection)
                if collection is not None and _type_of(collection) != ListT(TEXT):
                    self.diags.error("PK301", f"`{_short(element)}` is text; list texts in "
                                     "quotes", expr.collection.span, 'e.g. `{"湖南", "湖南省"}`')
                    return None
                if collection is None:
                    return None
                return p.TMember(element, collection, expr.negated, _text(expr), span=expr.span)
            if enum is None:
                self.diags.error(
                    "PK302", f"`{_short(element)}` is {_an(describe(_type_of(element)))}; "
                    "`in {…}` lists values of an enumeration", expr.span,
                    "compare text with `==`",
                )
                return None
            collection = self.expr(expr.collection, enum)
        else:
            collection = self.expr(expr.collection)
            if collection is None:
                return None
            ctype = _type_of(collection)
            if ctype == ListT(TEXT):  # "supports_charter" in org.declarations
                element = self.expr(expr.element)
                if element is None:
                    return None
                if _type_of(element) != TEXT:
                    self.diags.error("PK301", f"`{_short(collection)}` holds texts, but "
                                     f"`{_short(element)}` is not a text", expr.span,
                                     'write the text in quotes, e.g. `"supports_charter"`')
                    return None
                if isinstance(element, p.TConst) and isinstance(element.value, str):
                    self.meaning(element.value, expr.element.span)
                return p.TMember(element, collection, expr.negated, _text(expr), span=expr.span)
            if not isinstance(ctype, SetT):
                self.diags.error("PK302", f"`{_short(collection)}` is not a set", expr.span,
                                 "write the values in braces: `{a, b}`")
                return None
            element = self.expr(expr.element, ctype.enum)
            if element is not None and _type_of(element) != EnumT(ctype.enum):
                self.diags.error("PK301", f"`{_short(element)}` is not a {ctype.enum.__name__}",
                                 expr.span, "compare values of the same kind")
                return None
        if element is None or collection is None:
            return None
        return p.TMember(element, collection, expr.negated, _text(expr), span=expr.span)

    def includes(self, expr: n.Includes, _hint: type[Enum] | None) -> p.TExpr | None:
        collection = self.expr(expr.collection)
        if collection is None:
            return None
        ctype = _type_of(collection)
        if not isinstance(ctype, SetT):
            self.diags.error(
                "PK302", f"`{_short(collection)}` is {_an(describe(ctype))}, not a set",
                expr.span, "`includes` applies to sets such as `space.services`",
            )
            return None
        items = self.expr(expr.items, ctype.enum)
        if items is None:
            return None
        if not isinstance(items, p.TConst):
            self.diags.error("PK302", "`includes` takes the values in braces", expr.items.span,
                             "write e.g. `includes all of {ip, finance}`")
            return None
        return p.TIncludes(collection, expr.quantifier, items, _text(expr), span=expr.span)

    def since(self, expr: n.Since, _hint: type[Enum] | None) -> p.TExpr | None:
        start = self.expr(expr.start)
        duration = self.expr(expr.duration)
        if start is None or duration is None:
            return None
        if _type_of(start) != DATE:
            self.diags.error("PK301", f"`{_short(start)}` is not a date", expr.start.span,
                             "`time since` counts from a date, e.g. `space.established_on`")
            return None
        if not (isinstance(duration, p.TConst) and duration.type == QuantityT(Dim.DURATION)):
            self.diags.error("PK401", f"`{_short(duration)}` is not a duration", expr.duration.span,
                             "write a period such as `半年`, `6 months` or `3 years`")
            return None
        return p.TSince(start, expr.op, duration, _text(expr), span=expr.span)

    def of(self, expr: n.Of, _hint: type[Enum] | None) -> p.TExpr | None:
        ratio = self.expr(expr.ratio)
        base = self.expr(expr.base)
        if ratio is None or base is None:
            return None
        if not (isinstance(ratio, p.TConst) and ratio.type == QuantityT(Dim.RATIO)):
            self.diags.error("PK302", f"`{_short(ratio)}` is not a ratio", expr.ratio.span,
                             "write a percentage or fraction: `30% of …`, `2/3 of …`")
            return None
        btype = _type_of(base)
        if not (isinstance(btype, IntT) or (isinstance(btype, QuantityT)
                and btype.dim in (Dim.AREA, Dim.MONEY))):
            self.diags.error("PK302", f"a share of {_an(describe(btype))} means nothing",
                             expr.base.span, "take a share of a count, an area or money")
            return None
        return p.TOf(ratio, base, btype, _text(expr), span=expr.span)

    def combination(self, expr: n.Combination, _hint: type[Enum] | None) -> p.TExpr | None:
        if not expr.branches:  # pragma: no cover - the grammar requires one branch
            self.diags.error("PK503", "an empty combination", expr.span)
            return None
        seen: set[str] = set()
        branches: list[p.TBranch] = []
        failed = False
        for branch in expr.branches:
            if branch.name is not None:
                if branch.name in seen:
                    self.diags.error("PK204", f"the branch name `{branch.name}` is used twice",
                                     branch.span, "give each branch its own name")
                seen.add(branch.name)
                if branch.label is None or not branch.label.en:
                    self.diags.error(
                        "PK506", f"the branch `{branch.name}` has no label in both languages",
                        branch.span, f'give it one: {branch.name} "中文" en "English": …')
            typed = self.boolean(branch.expr)
            if typed is None:
                failed = True
                continue
            branches.append(p.TBranch(branch.name, typed, _text(branch.expr), branch.label))
        if failed:
            return None
        return p.TCombination(expr.quantifier, tuple(branches), _text(expr), span=expr.span)

    def index(self, expr: n.Index, _hint: type[Enum] | None) -> p.TExpr | None:
        base = self.field(expr.base)
        if base is None:
            return None
        if not isinstance(base.type, MapT):
            self.diags.error(
                "PK302", f"`{base.path}` is {_an(describe(base.type))}, not a map", expr.span,
                "only map fields such as `app.form` take a key in brackets",
            )
            return None
        words = self.meaning(expr.key, expr.span)
        label = n.Label(f"{base.label.zh}「{words.zh}」",
                        f"{base.label.en or base.label.zh} [{words.en or words.zh}]")
        return p.TIndex(base, expr.key, f"{base.path}[{expr.key}]", base.type.value, label,
                        _text(expr), span=expr.span)

    def length(self, expr: n.Length, _hint: type[Enum] | None) -> p.TExpr | None:
        operand = self.expr(expr.operand)
        if operand is None:
            return None
        if _type_of(operand) != TEXT:
            self.diags.error(
                "PK302", f"`{_short(operand)}` is {_an(describe(_type_of(operand)))}; "
                "`length of` counts the characters of a text", expr.span,
                "apply it to a text, e.g. `length of app.form[\"leader_bio\"]`",
            )
            return None
        base = operand.label if isinstance(operand, p.TField | p.TIndex) else \
            n.Label(_short(operand))
        label = n.Label(f"{base.zh}字数", f"characters in {base.en or base.zh}")
        return p.TLength(operand, INT, label, _text(expr), span=expr.span)

    def judged(self, expr: n.Judged, _hint: type[Enum] | None) -> p.TExpr | None:
        key = expr.key or self.criterion
        if key is None:
            self.diags.error(
                "PK304", "a reviewer's judgement stands inside a criterion", expr.span,
                "move it into a `criterion`, or give its key: `judged \"…\" as key`",
            )
            return None
        source = self.scope.judgements
        owner = self.scope.judgements_subject
        if source is not None and owner is not None and \
                owner != (self.subject_name, self.subject_type):
            self.diags.error(
                "PK304", f"judgements are recorded on `{owner[0]}: {owner[1].__name__}`, and "
                f"this rule is over `{self.subject_name}: {self.subject_type.__name__}`",
                expr.span, "judge the record the judgements belong to, in a rule over it",
            )
            return None
        if source is None:
            self.diags.error(
                "PK304", "the policy does not say where reviewers' judgements are recorded",
                expr.span, f"add `judgements from {self.subject_name}.operator.assessments` "
                "to the header",
            )
            return None
        return p.TJudged(key, expr.question, source, _text(expr), span=expr.span)

    # ------------------------------------------------------------ governance

    def steps(self, expr: n.Steps, _hint: type[Enum] | None) -> p.TExpr | None:
        seen: set[str] = set()
        steps: list[p.TStep] = []
        failed = False
        for step in expr.steps:
            if step.name in seen:
                self.diags.error("PK204", f"the step name `{step.name}` is used twice",
                                 step.span, "give each step its own name")
            seen.add(step.name)
            typed = self.boolean(step.expr)
            if typed is None:
                failed = True
                continue
            steps.append(p.TStep(step.name, step.label or n.Label(step.name), typed,
                                 _text(step.expr)))
        if failed:
            return None
        return p.TSteps(tuple(steps), _text(expr), span=expr.span)

    def count(self, expr: n.Count, _hint: type[Enum] | None) -> p.TExpr | None:
        items = self.expr(expr.item)
        collection = self.expr(expr.collection)
        if items is None or collection is None:
            return None
        if not (isinstance(items, p.TConst) and _type_of(items) in (TEXT, ListT(TEXT))):
            self.diags.error(
                "PK302", f"`{_short(items)}` is not a text in quotes or a set of texts",
                expr.item.span, 'count a role, e.g. `count of "councillor" in pr.proposers`',
            )
            return None
        if not (isinstance(collection, p.TField) and collection.type == ListT(TEXT)):
            self.diags.error(
                "PK302", f"`{_short(collection)}` is {_an(describe(_type_of(collection)))}, "
                "not a list of texts", expr.collection.span,
                "count in a field that lists texts, such as `pr.proposers`",
            )
            return None
        values = frozenset(items.value) if isinstance(items.value, frozenset) else \
            frozenset({items.value})
        words = [self.meaning(v, expr.item.span) for v in sorted(values)]
        shown = "、".join(f"「{w.zh}」" for w in words)
        shown_en = ", ".join(f'"{w.en or w.zh}"' for w in words)
        base = collection.label
        either = len(values) > 1
        label = n.Label(f"{base.zh}中为{shown}{'之一' if either else ''}的个数",
                        f"{base.en or base.zh} that are {'one of ' if either else ''}"
                        f"{shown_en}")
        return p.TCount(values, collection, INT, label, _text(expr), span=expr.span)

    def count_in_year(self, expr: n.CountInYear, _hint: type[Enum] | None) -> p.TExpr | None:
        dates = self.expr(expr.dates)
        year = self.expr(expr.year)
        if dates is None or year is None:
            return None
        if not (isinstance(dates, p.TField) and dates.type == ListT(DATE)):
            self.diags.error(
                "PK302", f"`{_short(dates)}` is {_an(describe(_type_of(dates)))}, not a list "
                "of dates", expr.dates.span,
                "count the dates of a field that lists them, such as `m.held_on`",
            )
            return None
        if not (isinstance(year, p.TField | p.TConst) and _type_of(year) == INT):
            self.diags.error(
                "PK301", f"`{_short(year)}` is {_an(describe(_type_of(year)))}, not a year",
                expr.year.span, "give the year as a whole number, e.g. `m.year` or `2017`",
            )
            return None
        owner = self._owner(dates)
        base = dates.label
        zh = base.zh.removesuffix("日期").removesuffix("时间") or base.zh
        en = (base.en or base.zh).removesuffix(" on")
        return p.TCountInYear(dates, year, owner, INT, n.Label(f"{zh}次数", en), _text(expr),
                              span=expr.span)

    def _owner(self, dates: p.TField) -> p.TField | None:
        """The ``body`` text of the record that holds a list of dates, if it has one."""
        cls: type[Any] = self.subject_type
        for name in dates.steps[:-1]:
            info = schema_fields(cls).get(name)
            assert info is not None and isinstance(info.type, RecordT)
            cls = info.type.cls
        body = schema_fields(cls).get("body")
        if body is None or body.type != TEXT:
            return None
        path = ".".join((self.subject_name, *dates.steps[:-1], "body"))
        return p.TField((*dates.steps[:-1], "body"), path, TEXT, n.Label(body.label,
                        body.label_en), path)


# ---------------------------------------------------------------- helpers


def _bare_name(expr: n.Expr) -> bool:
    return (isinstance(expr, n.Path) and len(expr.names) == 1) or isinstance(expr, n.SetLit)


def _type_of(expr: p.TExpr) -> Type:
    if isinstance(expr, _VALUES):
        return expr.type
    return BOOL


_VALUES = (p.TField, p.TConst, p.TOf, p.TIndex, p.TLength, p.TCount, p.TCountInYear)
"""The typed expressions that have a value (the rest have only an outcome)."""


def _is_condition(expr: p.TExpr) -> bool:
    return _type_of(expr) == BOOL


def _enum_of(expr: p.TExpr | None) -> type[Enum] | None:
    if expr is None:
        return None
    ty = _type_of(expr)
    if isinstance(ty, EnumT | SetT):
        return ty.enum
    return None


def _enum_lookup(enum: type[Enum], name: str) -> Enum | None:
    for member in enum:
        if name in (member.value, member.name):
            return member
    return None


def _ordered(ty: Type) -> bool:
    if isinstance(ty, IntT | QuantityT | DateT):
        return True
    return isinstance(ty, EnumT) and all(hasattr(m, "rank") for m in ty.enum)


def _short(expr: p.TExpr) -> str:
    return getattr(expr, "text", "") or "this"


def _an(word: str) -> str:
    if word in ("money", "text"):  # uncountable: "is money", not "is a money"
        return word
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _example(dim: Dim) -> str:
    return {Dim.AREA: "space.area >= 500 m2", Dim.MONEY: "space.seed_fund >= 100万元",
            Dim.DURATION: "space.lease_term >= 3 years",
            Dim.RATIO: "space.public_area >= 30% of space.area"}[dim]

