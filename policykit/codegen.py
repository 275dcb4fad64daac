"""The decision path of a rule as one Python function, built as an ``ast`` tree.

:mod:`policykit.compiler` turns every condition into closures; calling a tree of
closures costs a Python call per node. For the question asked most often, *what is the
outcome*, this module lowers a rule's checked body into the statements a careful
programmer would write by hand: fields read with attribute access, comparisons with
Python's own operators where both sides are exact and of one kind, junctions as flat
``if`` blocks that stop at the first condition that settles them, and a rule referred
to from one place only written into that place.

Nothing from the policy text becomes Python text. The tree is made of ``ast`` nodes;
every value from the policy (a number, a set of enumeration members, a duration) is
bound to a generated name (``k0``, ``k1``, …) in the function's namespace, never
written as source; attribute names are the schema's field names, resolved by the
checker and checked again here. What this module does not lower (counts in a year, map
entries, lengths, a rule referred to from several places) is called through the
closure :mod:`policykit.compiler` built for it, so every construct keeps one meaning.

The outcome is the same as the closures' for every record: the policy tests and a
property test over generated records (``tests/test_codegen.py``) hold the two together.
"""

from __future__ import annotations

import ast
import keyword
import operator
import sys
from collections.abc import Callable, Mapping
from datetime import date
from fractions import Fraction
from typing import Any

import attrs

from policykit import program as p
from policykit.calendar import Duration, period_last_day
from policykit.stdlib.units import Dim
from policykit.trace import Truth
from policykit.types import EnumT, IntT, QuantityT

__all__ = ["FLIP", "OPERATORS", "FastDecide", "lower_rule"]

MET, NOT_MET, UNKNOWN, AWAITING = Truth.MET, Truth.NOT_MET, Truth.UNKNOWN, Truth.AWAITING

FastDecide = Callable[[Any], Truth]
"""A generated decision: takes the evaluation's context, returns the outcome."""

# Inlining stops at this depth of nested blocks; deeper parts are called as closures,
# so a deeply nested policy never meets the limits of Python's own compiler.
MAX_NESTING = 40

_AST_OPS: dict[str, ast.cmpop] = {
    ">=": ast.GtE(), ">": ast.Gt(), "<=": ast.LtE(), "<": ast.Lt(),
    "==": ast.Eq(), "!=": ast.NotEq(),
}
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {  # also the closures' (compiler.py)
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
    "==": operator.eq, "!=": operator.ne,
}
FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}


class _Unsupported(Exception):
    """A construct this module leaves to the closures."""


def lower_rule(rule: p.CheckedRule, *, bodies: Mapping[str, p.TExpr],
               inline: Callable[[str], bool], closure: Callable[[p.TExpr], Callable[[Any], Truth]],
               compare: Callable[[str, Any, Any], Truth], policy_id: str) -> FastDecide:
    """The decision of ``rule`` as one generated function of the evaluation context.

    ``bodies`` gives the checked body of every rule already compiled; ``inline(name)``
    says whether a referenced rule is written into its one place of use; ``closure``
    compiles a part this module leaves to :mod:`policykit.compiler`; ``compare`` is that
    module's comparison of two values of any kind, answering a :class:`Truth`.
    """
    lowering = _Lowering(bodies, inline, closure, compare)
    body = lowering.cond(rule.body, "r", returns=True, depth=0)
    prologue: list[ast.stmt] = [
        _assign("rec", ast.Attribute(_name("ctx"), "record", ast.Load())),
        _assign("as_of", ast.Attribute(_name("ctx"), "as_of", ast.Load())),
    ]
    function = ast.FunctionDef(
        name="decide",
        args=ast.arguments(posonlyargs=[], args=[ast.arg("ctx")], kwonlyargs=[],
                           kw_defaults=[], defaults=[]),
        body=[*prologue, *body, ast.Return(_name("r"))],
        decorator_list=[], returns=None, type_comment=None,
    )
    if sys.version_info >= (3, 12):
        function.type_params = []
    module = ast.Module(body=[function], type_ignores=[])
    ast.fix_missing_locations(module)
    code = compile(module, f"<policykit {policy_id}:{rule.name}>", "exec")
    namespace: dict[str, Any] = dict(lowering.names)
    namespace["__builtins__"] = {}
    exec(code, namespace)  # a code object compiled from the tree above, not text
    decide: FastDecide = namespace["decide"]
    return decide


# ---------------------------------------------------------------- ast helpers


def _name(identifier: str) -> ast.Name:
    return ast.Name(identifier, ast.Load())


def _assign(target: str, value: ast.expr) -> ast.Assign:
    return ast.Assign([ast.Name(target, ast.Store())], value)


def _is(left: str, right: str, negated: bool = False) -> ast.Compare:
    return ast.Compare(_name(left), [ast.IsNot() if negated else ast.Is()], [_name(right)])


def _if(test: ast.expr, body: list[ast.stmt], orelse: list[ast.stmt] | None = None) -> ast.If:
    return ast.If(test, body, orelse or [])


def _truth_of(test: ast.expr) -> ast.IfExp:
    """``MET if test else NOT_MET``."""
    return ast.IfExp(test, _name("MET"), _name("NOT_MET"))


def _unknown_if_none(variables: list[str], then: ast.expr, absent: str = "UNKNOWN"
                     ) -> ast.expr:
    """``UNKNOWN if a is None or b is None else then`` (or another outcome for absent)."""
    tests: list[ast.expr] = [ast.Compare(_name(v), [ast.Is()], [ast.Constant(None)])
                             for v in variables]
    if not tests:
        return then
    test = tests[0] if len(tests) == 1 else ast.BoolOp(ast.Or(), tests)
    return ast.IfExp(test, _name(absent), then)


def _attribute_name(step: str) -> str:
    if not step.isidentifier() or step.startswith("_") or keyword.iskeyword(step):
        raise _Unsupported(step)  # the checker resolves fields; never reached
    return step


# ---------------------------------------------------------------- lowering


class _Lowering:
    def __init__(self, bodies: Mapping[str, p.TExpr], inline: Callable[[str], bool],
                 closure: Callable[[p.TExpr], Callable[[Any], Truth]],
                 compare: Callable[[str, Any, Any], Truth]) -> None:
        self.bodies = bodies
        self.inline = inline
        self.closure = closure
        self.names: dict[str, Any] = {
            "MET": MET, "NOT_MET": NOT_MET, "UNKNOWN": UNKNOWN, "AWAITING": AWAITING,
            "compare": compare, "share": _share, "since": _since,
        }
        self.counter = 0

    def fresh(self, prefix: str = "v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def constant(self, value: Any) -> str:
        name = self.fresh("k")
        self.names[name] = value
        return name

    # ------------------------------------------------------------ conditions

    def cond(self, expr: p.TExpr, target: str, *, returns: bool, depth: int
             ) -> list[ast.stmt]:
        """Statements leaving ``expr``'s outcome in ``target``; with ``returns``, they
        may return it from the function at once (the value is the function's)."""
        if depth < MAX_NESTING:
            method = getattr(self, f"c_{type(expr).__name__}", None)
            if method is not None:
                try:
                    stmts: list[ast.stmt] = method(expr, target, returns, depth)
                    return stmts
                except _Unsupported:
                    pass
        return self.call_closure(expr, target)

    def call_closure(self, expr: p.TExpr, target: str) -> list[ast.stmt]:
        function = self.constant(self.closure(expr))
        return [_assign(target, ast.Call(_name(function), [_name("ctx")], []))]

    def c_TRuleRef(self, expr: p.TRuleRef, target: str, returns: bool, depth: int
                   ) -> list[ast.stmt]:
        if not self.inline(expr.name):
            raise _Unsupported(expr.name)  # memoised through the closure
        return self.cond(self.bodies[expr.name], target, returns=returns, depth=depth)

    def c_TBoolOp(self, expr: p.TBoolOp, target: str, returns: bool, depth: int
                  ) -> list[ast.stmt]:
        return self.junction(expr.op, expr.operands, target, returns, depth)

    def c_TCombination(self, expr: p.TCombination, target: str, returns: bool, depth: int
                       ) -> list[ast.stmt]:
        op = "and" if expr.quantifier == "all" else "or"
        return self.junction(op, tuple(b.expr for b in expr.branches), target, returns, depth)

    def junction(self, op: str, parts: tuple[p.TExpr, ...], target: str, returns: bool,
                 depth: int) -> list[ast.stmt]:
        """``all``: the first part not met settles it; else unknown before awaiting
        before met. ``any`` is the mirror image."""
        settles, neutral = ("NOT_MET", "MET") if op == "and" else ("MET", "NOT_MET")
        out: list[ast.stmt] = [_assign(target, _name(neutral))]
        for index, part in enumerate(parts):
            settled: list[ast.stmt] = [ast.Return(_name(settles))] if returns else \
                [_assign(target, _name(settles))]
            block = self.leaf_part(part, op, target, settled, neutral, depth)
            if block is None:
                value = self.fresh()
                block = self.cond(part, value, returns=False, depth=depth + 1)
                block.append(_if(_is(value, settles), settled, [
                    _if(_is(value, "UNKNOWN"), [_assign(target, _name("UNKNOWN"))], [
                        _if(ast.BoolOp(ast.And(), [_is(value, "AWAITING"),
                                                   _is(target, neutral)]),
                            [_assign(target, _name("AWAITING"))])])]))
            if index and not returns:  # stop once settled
                out.append(_if(_is(target, settles, negated=True), block))
            else:
                out.extend(block)
        return out

    def leaf_part(self, part: p.TExpr, op: str, target: str, settled: list[ast.stmt],
                  neutral: str, depth: int) -> list[ast.stmt] | None:
        """A leaf inside a junction, merged as a programmer would write it: absent,
        the junction is unknown (or awaiting) unless settled later; a boolean test
        settles it or leaves it as it was."""
        part = self.through_refs(part)
        if depth + 1 >= MAX_NESTING:
            return None
        try:
            leaf = self.leaf(part)
        except _Unsupported:
            return None
        orelse: list[ast.stmt]
        if leaf.boolean:
            test = leaf.test if op == "or" else ast.UnaryOp(ast.Not(), leaf.test)
            orelse = [_if(test, settled)]
        else:
            value = self.fresh()
            orelse = [_assign(value, leaf.test),
                      _if(_is(value, "MET" if op == "or" else "NOT_MET"), settled, [
                          _if(_is(value, "UNKNOWN"), [_assign(target, _name("UNKNOWN"))])])]
        if not leaf.nones:
            return [*leaf.reads, *orelse]
        if leaf.absent == "UNKNOWN":
            absent: list[ast.stmt] = [_assign(target, _name("UNKNOWN"))]
        else:  # owed: awaiting, unless something already made it unknown
            absent = [_if(_is(target, neutral), [_assign(target, _name("AWAITING"))])]
        nones: list[ast.expr] = [ast.Compare(_name(v), [ast.Is()], [ast.Constant(None)])
                                 for v in leaf.nones]
        test_none = nones[0] if len(nones) == 1 else ast.BoolOp(ast.Or(), nones)
        return [*leaf.reads, _if(test_none, absent, orelse)]

    def through_refs(self, expr: p.TExpr) -> p.TExpr:
        """A reference to a rule written into its one place of use, followed."""
        seen = 0
        while isinstance(expr, p.TRuleRef) and self.inline(expr.name) and seen < 1000:
            expr = self.bodies[expr.name]
            seen += 1
        return expr

    def c_TSteps(self, expr: p.TSteps, target: str, returns: bool, depth: int
                 ) -> list[ast.stmt]:
        # A step failed: fails. Otherwise the first step not passed gives the outcome.
        out: list[ast.stmt] = [_assign(target, _name("MET"))]
        for index, step in enumerate(expr.steps):
            value = self.fresh()
            block = self.cond(step.expr, value, returns=False, depth=depth + 1)
            failed: list[ast.stmt] = [ast.Return(_name("NOT_MET"))] if returns else \
                [_assign(target, _name("NOT_MET"))]
            block.append(_if(_is(value, "NOT_MET"), failed, [
                _if(_is(target, "MET"), [_assign(target, _name(value))])]))
            if index and not returns:
                out.append(_if(_is(target, "NOT_MET", negated=True), block))
            else:
                out.extend(block)
        return out

    def c_TNot(self, expr: p.TNot, target: str, returns: bool, depth: int
               ) -> list[ast.stmt]:
        value = self.fresh()
        out = self.cond(expr.operand, value, returns=False, depth=depth + 1)
        out.append(_assign(target, ast.IfExp(
            _is(value, "MET"), _name("NOT_MET"),
            ast.IfExp(_is(value, "NOT_MET"), _name("MET"), _name(value)))))
        return out

    def c_TImplies(self, expr: p.TImplies, target: str, returns: bool, depth: int
                   ) -> list[ast.stmt]:
        # not condition or consequence, three-valued: a condition not met settles it.
        condition, consequence = self.fresh(), self.fresh()
        out = self.cond(expr.condition, condition, returns=False, depth=depth + 1)
        then = self.cond(expr.consequence, consequence, returns=False, depth=depth + 1)
        # consequence met: met; condition met: the consequence's outcome; otherwise the
        # condition is open (unknown or awaiting) and so is the answer: unknown wins.
        then.append(_assign(target, ast.IfExp(
            ast.BoolOp(ast.Or(), [_is(consequence, "MET"), _is(condition, "MET")]),
            _name(consequence),
            ast.IfExp(ast.BoolOp(ast.Or(), [_is(condition, "UNKNOWN"),
                                            _is(consequence, "UNKNOWN")]),
                      _name("UNKNOWN"), _name("AWAITING")))))
        out.append(_if(_is(condition, "NOT_MET"), [_assign(target, _name("MET"))], then))
        return out

    def c_TConst(self, expr: p.TConst, target: str, returns: bool, depth: int
                 ) -> list[ast.stmt]:
        return [_assign(target, _name("MET" if expr.value else "NOT_MET"))]

    def c_TUnsettled(self, expr: p.TUnsettled, target: str, returns: bool, depth: int
                     ) -> list[ast.stmt]:
        return [_assign(target, _name("UNKNOWN"))]

    def leaf_cond(self, expr: p.TExpr, target: str, returns: bool, depth: int
                  ) -> list[ast.stmt]:
        leaf = self.leaf(expr)
        outcome = _truth_of(leaf.test) if leaf.boolean else leaf.test
        return [*leaf.reads,
                _assign(target, _unknown_if_none(leaf.nones, outcome, leaf.absent))]

    c_TField = c_TJudged = c_TMember = c_TIncludes = c_TSince = c_TCompare = leaf_cond

    def leaf(self, expr: p.TExpr) -> _Leaf:
        """A condition on values read from the record: the reads, the variables whose
        absence leaves it unknown (or, for a judgement, owed), and the test."""
        method = getattr(self, f"l_{type(expr).__name__}", None)
        if method is None:
            raise _Unsupported(type(expr).__name__)
        leaf: _Leaf = method(expr)
        return leaf

    def l_TField(self, expr: p.TField) -> _Leaf:
        value = self.fresh()
        return _Leaf(self.read(expr, value), [value], _name(value), boolean=True)

    def l_TJudged(self, expr: p.TJudged) -> _Leaf:
        # No answers, or no answer to this question: the reviewer's judgement is owed.
        answers, given = self.fresh(), self.fresh()
        reads = self.read(expr.source, answers)
        key = self.constant(expr.key)
        lookup = ast.Call(ast.Attribute(_name(answers), "get", ast.Load()), [_name(key)], [])
        reads.append(_assign(given, ast.IfExp(
            ast.Compare(_name(answers), [ast.Is()], [ast.Constant(None)]),
            ast.Constant(None), lookup)))
        return _Leaf(reads, [given], _name(given), boolean=True, absent="AWAITING")

    def l_TMember(self, expr: p.TMember) -> _Leaf:
        reads: list[ast.stmt] = []
        element, elem_vars = self.operand(expr.element, reads)
        collection, coll_vars = self.operand(expr.collection, reads)
        test = ast.Compare(element, [ast.NotIn() if expr.negated else ast.In()], [collection])
        return _Leaf(reads, elem_vars + coll_vars, test, boolean=True)

    def l_TIncludes(self, expr: p.TIncludes) -> _Leaf:
        have = self.fresh()
        reads = self.read(self.field(expr.collection), have)
        items = self.constant(frozenset(expr.items.value))
        test: ast.expr
        if expr.quantifier == "all":
            test = ast.Compare(_name(items), [ast.LtE()], [_name(have)])
        else:
            test = ast.UnaryOp(ast.Not(), ast.Call(
                ast.Attribute(_name(items), "isdisjoint", ast.Load()), [_name(have)], []))
        return _Leaf(reads, [have], test, boolean=True)

    def l_TSince(self, expr: p.TSince) -> _Leaf:
        begun = self.fresh()
        reads = self.read(self.field(expr.start), begun)
        duration = expr.duration.value
        if not isinstance(duration, Duration):
            raise _Unsupported("duration")
        call = ast.Call(_name("since"), [
            _name(self.constant(OPERATORS[expr.op])), _name(begun),
            ast.Constant(duration.months), ast.Constant(duration.days), _name("as_of")], [])
        return _Leaf(reads, [begun], call, boolean=False)

    def l_TCompare(self, expr: p.TCompare) -> _Leaf:
        left, op, right = expr.left, expr.op, expr.right
        if isinstance(left, p.TConst) and not isinstance(right, p.TConst):
            left, right, op = right, left, FLIP[op]
        reads: list[ast.stmt] = []
        if isinstance(right, p.TOf):
            if not (_exact(left) and _exact(right.base)):
                raise _Unsupported("share")
            a, a_vars = self.operand(left, reads)
            base, base_vars = self.operand(right.base, reads)
            ratio = Fraction(right.ratio.value)
            call = ast.Call(_name("share"), [
                _name(self.constant(OPERATORS[op])), a, ast.Constant(ratio.numerator),
                ast.Constant(ratio.denominator), base], [])
            return _Leaf(reads, a_vars + base_vars, call, boolean=True)
        a, a_vars = self.operand(left, reads)
        b, b_vars = self.operand(right, reads)
        if _direct(op, left, right):
            return _Leaf(reads, a_vars + b_vars, ast.Compare(a, [_AST_OPS[op]], [b]),
                         boolean=True)
        general = ast.Call(_name("compare"), [ast.Constant(op), a, b], [])
        constant = right.value if isinstance(right, p.TConst) else None
        if isinstance(constant, Duration) and isinstance(a, ast.Name):
            # A duration against a fixed one: in the same unit, compare the counts;
            # months against days goes the long way (民法典 第二百零二条 ranges).
            unit, other = ("months", "days") if constant.days == 0 else ("days", "months")
            count = ast.Constant(constant.months if unit == "months" else constant.days)
            same_unit = ast.Compare(ast.Attribute(a, other, ast.Load()), [ast.Eq()],
                                    [ast.Constant(0)])
            fast = _truth_of(ast.Compare(ast.Attribute(a, unit, ast.Load()), [_AST_OPS[op]],
                                         [count]))
            return _Leaf(reads, a_vars + b_vars, ast.IfExp(same_unit, fast, general),
                         boolean=False)
        return _Leaf(reads, a_vars + b_vars, general, boolean=False)

    # ------------------------------------------------------------ values

    def field(self, expr: p.TExpr) -> p.TField:
        if not isinstance(expr, p.TField):
            raise _Unsupported(type(expr).__name__)
        return expr

    def operand(self, expr: p.TExpr, out: list[ast.stmt]) -> tuple[ast.expr, list[str]]:
        """A field read into a fresh variable (which may be None), or a constant."""
        if isinstance(expr, p.TConst):
            return _name(self.constant(expr.value)), []
        value = self.fresh()
        out.extend(self.read(self.field(expr), value))
        return _name(value), [value]

    def read(self, expr: p.TField, target: str) -> list[ast.stmt]:
        """``target = rec.a.b.c``, None as soon as a step is absent."""
        steps = [_attribute_name(step) for step in expr.steps]
        out: list[ast.stmt] = [_assign(target, ast.Attribute(_name("rec"), steps[0],
                                                             ast.Load()))]
        for step in steps[1:]:
            out.append(_if(ast.Compare(_name(target), [ast.IsNot()], [ast.Constant(None)]),
                           [_assign(target, ast.Attribute(_name(target), step, ast.Load()))]))
        return out


@attrs.define
class _Leaf:
    reads: list[ast.stmt]
    nones: list[str]
    test: ast.expr
    boolean: bool  # the test is a bool; otherwise it answers a Truth
    absent: str = "UNKNOWN"  # the outcome when a variable in ``nones`` is None


def _exact(expr: p.TExpr) -> bool:
    """A whole number, or a Decimal area or sum of money: exact in Python's arithmetic."""
    if not isinstance(expr, p.TField | p.TConst):
        return False
    kind = expr.type
    return isinstance(kind, IntT) or (
        isinstance(kind, QuantityT) and kind.dim in (Dim.AREA, Dim.MONEY))


def _direct(op: str, left: p.TExpr, right: p.TExpr) -> bool:
    """Python's own operator gives the policy's answer: both sides exact and of one
    kind, or members of one enumeration tested for equality."""
    if getattr(left, "type", None) != getattr(right, "type", None):
        return False
    if isinstance(left.type, EnumT) and op in ("==", "!="):  # type: ignore[union-attr]
        return True
    return _exact(left) and _exact(right)


def _share(holds: Callable[[int, int], bool], actual: Any, numerator: int,
           denominator: int, base: Any) -> bool:
    """``actual op numerator/denominator × base``, in whole numbers (both are exact:
    ints or Decimals, whose ``as_integer_ratio`` is exact)."""
    a_num, a_den = actual.as_integer_ratio()
    b_num, b_den = base.as_integer_ratio()
    return holds(a_num * b_den * denominator, numerator * b_num * a_den)


def _since(holds: Callable[[date, date], bool], begun: date, months: int, days: int,
           as_of: date) -> Truth:
    """``time since begun op duration`` on ``as_of``: the period ends on the day
    :func:`~policykit.calendar.period_last_day` gives (民法典 第二百零二条). A period
    ending after 9999-12-31, the last day a date can hold, ends after every ``as_of``:
    it is held as any day before its end is (the first day against the last)."""
    try:
        end = period_last_day(begun, months, days)
    except OverflowError:
        return MET if holds(date.min, date.max) else NOT_MET
    return MET if holds(as_of, end) else NOT_MET
