"""Check a lifecycle: states, events and duties declared, transitions between declared
states, periods that are durations, every transition cited, and the guards that need
something else of the lifecycle (``after period`` and ``after extension`` a period,
``when decided`` a decision the event records)."""

from __future__ import annotations

from collections.abc import Iterable

from policykit import nodes as n
from policykit import program as p
from policykit.calendar import Duration
from policykit.diagnostics import Collector, closest
from policykit.quantities import NumberError, canonical
from policykit.stdlib.units import Dim, Unit, unit_named

__all__ = ["check_lifecycle"]


def _cites(cites: tuple[n.Citation, ...], info: p.PolicyInfo) -> tuple[p.CheckedCitation, ...]:
    return tuple(p.CheckedCitation(c.instrument or info.source.zh, c.article, c.quote)
                 for c in cites)


class _LcChecker:
    def __init__(self, lc: n.Lifecycle, info: p.PolicyInfo, notes: dict[str, p.CheckedNote],
                 diags: Collector) -> None:
        self.lc = lc
        self.info = info
        self.notes = notes
        self.diags = diags
        self.states: dict[str, n.LcState] = {}
        self.events: dict[str, n.LcEvent] = {}
        self.duties: dict[str, n.LcDuty] = {}

    def declare(self) -> None:
        for st in self.lc.states:
            if st.name in self.states:
                self.diags.error("PK204", f"the state `{st.name}` is declared twice", st.span,
                                 "declare each once")
            self.states[st.name] = st
        for ev in self.lc.events:
            if ev.name in self.events:
                self.diags.error("PK204", f"the event `{ev.name}` is declared twice", ev.span,
                                 "declare each once")
            self.events[ev.name] = ev
        for duty in self.lc.duties:
            if duty.name in self.duties:
                self.diags.error("PK204", f"the duty `{duty.name}` is declared twice",
                                 duty.name_span, "give each duty its own name")
            self.duties[duty.name] = duty

    def ref(self, ref: n.Ref, kind: str, code: str) -> str:
        table: dict[str, object] = {"state": self.states, "event": self.events,
                                    "duty": self.duties}[kind]  # type: ignore[assignment]
        if ref.name not in table:
            suggestion = closest(ref.name, table)
            self.diags.error(
                code, f"unknown {kind} `{ref.name}` in the lifecycle `{self.lc.name}`",
                ref.span or self.lc.name_span,
                f"did you mean `{suggestion}`?" if suggestion else
                f"declare it: `{kind}s {ref.name} …`" if kind != "duty" else
                f"declare it: `duty {ref.name} in STATE: EVENT by 12-31 each year`")
        return ref.name

    def duration(self, lit: n.QuantityLit, what: str) -> tuple[Duration, Unit | None]:
        unit = unit_named(lit.unit)
        if unit is None or unit.dim is not Dim.DURATION:
            self.diags.error("PK306", f"{what} is `{lit.magnitude} {lit.unit}`, not a period "
                             "of time", lit.span or self.lc.name_span,
                             "write days, months or years, e.g. `2 years`")
            return Duration(), None
        try:
            value = canonical(lit.magnitude, unit)
        except NumberError as exc:
            self.diags.error("PK306", str(exc), lit.span, "write a whole number of days, "
                             "months or years")
            return Duration(), unit
        assert isinstance(value, Duration)
        return value, unit

    def see(self, refs: Iterable[n.Ref]) -> tuple[p.CheckedNote, ...]:
        found: list[p.CheckedNote] = []
        for ref in refs:
            note = self.notes.get(ref.name)
            if note is None:
                suggestion = closest(ref.name, self.notes)
                self.diags.error("PK206", f"unknown note `{ref.name}`", ref.span,
                                 f"did you mean `{suggestion}`?" if suggestion else
                                 "declare it with `note NAME discretion …`")
            else:
                found.append(note)
        return tuple(found)

    def cited(self, cites: tuple[n.Citation, ...], what: str, span: object) -> None:
        if not cites:
            self.diags.error("PK501", f"{what} in the lifecycle `{self.lc.name}` cites no "
                             "article", span,  # type: ignore[arg-type]
                             'add the article it encodes: `cites "第十二条(四)"`')

    def check(self) -> p.CheckedLifecycle:
        lc = self.lc
        self.declare()
        if not lc.states or lc.initial is None:
            self.diags.error("PK505", f"the lifecycle `{lc.name}` has no "
                             + ("states" if not lc.states else "initial state"),
                             lc.name_span, "declare `states a, b, c` and `initial a`")
        initial = self.ref(lc.initial, "state", "PK209") if lc.initial else ""
        states: list[p.LcStateDef] = []
        for st in lc.states:
            lasts, unit = self.duration(st.lasts, f"the period of `{st.name}`") \
                if st.lasts is not None else (None, None)
            states.append(p.LcStateDef(st.name, st.label or n.Label(st.name), lasts, unit,
                                       _cites(st.citations, self.info)))
        events = [p.LcEventDef(e.name, e.label or n.Label(e.name)) for e in lc.events]
        transitions = [self.transition(t) for t in lc.transitions]
        self.check_guards(lc.transitions)
        bans: list[p.LcBanDef] = []
        for ban in lc.bans:
            state = self.ref(ban.state, "state", "PK209")
            self.cited(ban.citations, f"the ban after `{state}`", ban.span)
            duration, unit = self.duration(ban.duration, f"the ban after `{state}`")
            bans.append(p.LcBanDef(state, duration, unit, _cites(ban.citations, self.info),
                                   self.see(ban.notes)))
        duties: list[p.LcDutyDef] = []
        for duty in lc.duties:
            self.cited(duty.citations, f"the duty `{duty.name}`", duty.name_span)
            duties.append(p.LcDutyDef(
                duty.name, duty.label or n.Label(duty.name),
                tuple(self.ref(s, "state", "PK209") for s in duty.states),
                self.ref(duty.event, "event", "PK210"), duty.month_day,
                self.ref(duty.after, "event", "PK210") if duty.after else None,
                _cites(duty.citations, self.info), self.see(duty.notes), duty.mostly))
        holidays = _cites(lc.holidays, self.info) if lc.holidays is not None else None
        if lc.holidays is not None:
            self.cited(lc.holidays, "`holidays extend deadlines`", lc.name_span)
        return p.CheckedLifecycle(
            lc.name, lc.label or n.Label(lc.name), _cites(lc.citations, self.info),
            self.see(lc.notes), tuple(states), initial, tuple(events), tuple(transitions),
            tuple(bans), tuple(duties), holidays)

    def transition(self, t: n.LcOn) -> p.LcTransitionDef:
        trigger = self.ref(t.trigger, "duty" if t.missed else "event",
                           "PK211" if t.missed else "PK210")
        source = self.ref(t.source, "state", "PK209")
        self.cited(t.citations, f"the transition on `{trigger}` from `{source}`", t.span)
        guard: p.LcGuardDef | None = None
        if t.guard is not None:
            g = t.guard
            if g.amount is not None:
                duration, unit = self.duration(g.amount, f"the time in `{g.kind.split('_')[0]}`")
                guard = p.LcGuardDef(g.kind, duration, unit)
            else:
                guard = p.LcGuardDef(g.kind, times=g.times)
            if g.kind == "consecutive" and g.times < 2:
                self.diags.error("PK306", "consecutive years are counted from 2", g.span,
                                 "write `twice consecutively` or `3 times consecutively`")
            if g.kind in {"after_period", "after_extension"} and source in self.states \
                    and self.states[source].lasts is None:
                self.diags.error("PK306", f"`{g.kind.replace('_', ' ')}`, but the state "
                                 f"`{source}` lasts no period", g.span,
                                 f"say how long it lasts: `{source} lasts 2 years`")
        target: str | None = None
        extend_by: Duration | None = None
        extend_unit: Unit | None = None
        if t.effect == "go" and t.target is not None:
            target = self.ref(t.target, "state", "PK209")
        elif t.effect == "extend" and t.extend_by is not None:
            extend_by, extend_unit = self.duration(t.extend_by, f"the extension of `{source}`")
            if source in self.states and self.states[source].lasts is None:
                self.diags.error("PK306", f"`{source}` extends, but lasts no period", t.span,
                                 f"say how long it lasts: `{source} lasts 2 years`")
        decided_by = tuple(self.ref(r, "event", "PK210") for r in t.decided_by)
        return p.LcTransitionDef(trigger, t.missed, guard, source, t.effect, target, t.decision,
                                 decided_by, extend_by, extend_unit,
                                 _cites(t.citations, self.info), self.see(t.notes),
                                 t.mandatory)

    def check_guards(self, transitions: tuple[n.LcOn, ...]) -> None:
        """``when decided`` needs a decision (or mandatory act) of its state that the event
        records; ``after extension`` a transition that extends the state's period."""
        for t in transitions:
            g = t.guard
            if g is None:
                continue
            source, trigger = t.source.name, t.trigger.name
            if g.kind == "when_decided" and not any(
                    o.effect == "decide" and o.source.name == source
                    and trigger in {r.name for r in o.decided_by} for o in transitions):
                self.diags.error("PK306", f"`when decided`, but no decision is decided by "
                                 f"`{trigger}` in the state `{source}`", g.span,
                                 f"add it to a decision: `on EVENT: {source} -> decision "
                                 f'"…" decided by {trigger}`')
            if g.kind == "after_extension" and source in self.states \
                    and self.states[source].lasts is not None and not any(
                        o.effect == "extend" and o.source.name == source for o in transitions):
                self.diags.error("PK306", f"`after extension`, but nothing extends the state "
                                 f"`{source}`", g.span,
                                 f"add an extension: `on EVENT: {source} extends 1 year`")


def check_lifecycle(lc: n.Lifecycle, info: p.PolicyInfo, notes: dict[str, p.CheckedNote],
                    diags: Collector) -> p.CheckedLifecycle:
    """The checked form of ``lc``; problems go to ``diags``."""
    return _LcChecker(lc, info, notes, diags).check()
