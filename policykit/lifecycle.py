"""Replay an organisation's event history through a lifecycle, at an ``as_of`` date.

``replay(info, lifecycle, history, as_of) -> LifecycleStatus``. The status gives the
state, the end of the current period (after extensions), whether the unit may reapply
and until when it is barred, the duties due next, the authority's decisions due, and a
timeline of every event with the rule that fired and its citation.

Periods count as 民法典 第二百零一–二百零三条 do (see :mod:`policykit.calendar`): a
period starts the day after its event and ends on the corresponding day (month ends
clamped); a ban "within two years" still applies on its last day. Discretion is data:
where the text lets the authority choose, a transition ``-> decision "…"`` reports the
decision as due and changes nothing; a later event records what was decided. A mandatory
act (将取消, ``-> mandatory "…" done by E``) is due in the same way, marked mandatory, with
the earliest end of the ban it would start: the state changes, and the ban starts, on the
date the act is recorded. Consecutive years are the years events are for (an event's
``year``, else the year of its date, which the explanation then says was assumed).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from typing import Any

import attrs

from policykit.calendar import Deadline, Duration, add_period, holiday_deadline
from policykit.diagnostics import closest
from policykit.errors import RecordError, RecordProblem
from policykit.explain.lifecycle_text import duration_en, render_lifecycle
from policykit.nodes import Label
from policykit.program import (
    CheckedCitation,
    CheckedLifecycle,
    CheckedNote,
    LcDutyDef,
    LcStateDef,
    LcTransitionDef,
    PolicyInfo,
)
from policykit.records import _clip, _printable, _show

__all__ = ["DecisionDue", "DutyDue", "HistoryEvent", "LifecycleStatus", "Step", "replay"]


@attrs.frozen
class HistoryEvent:
    """One event of a history: its date, its declared name, and the year it is for."""

    on: date
    event: str
    year: int | None = None
    index: int = 0


@attrs.frozen
class DutyDue:
    """A duty of the current state: what must happen, by when (None: no date is set)."""

    name: str
    label: Label
    event: str
    due: date | None
    citations: tuple[CheckedCitation, ...]
    since: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"duty": self.name, "label": {"zh": self.label.zh, "en": self.label.en},
                "event": self.event, "due": self.due.isoformat() if self.due else None,
                "since": self.since.isoformat() if self.since else None,
                "cites": [c.article for c in self.citations]}


@attrs.frozen
class DecisionDue:
    """A decision the text leaves to the authority, due since ``since``; or, when
    ``mandatory``, an act the text requires of it (将取消: a cancellation), due since
    ``since`` and not yet recorded. ``ban``: the ban the act would start (its length, the
    earliest day it could end — counted from ``since``, the earliest day the act could be
    recorded — and its citations)."""

    label: Label
    since: date
    decided_by: tuple[str, ...]
    citations: tuple[CheckedCitation, ...]
    notes: tuple[CheckedNote, ...] = ()
    mandatory: bool = False
    ban: tuple[Duration, date, tuple[CheckedCitation, ...]] | None = None

    @property
    def earliest_ban_end(self) -> date | None:
        """The last day of the ban if the act were recorded today at the earliest (on
        ``since``); None if it starts no ban."""
        return self.ban[1] if self.ban else None

    def to_dict(self) -> dict[str, Any]:
        return {"decision": {"zh": self.label.zh, "en": self.label.en},
                "since": self.since.isoformat(), "decided_by": list(self.decided_by),
                "mandatory": self.mandatory,
                "earliest_ban_end": self.ban[1].isoformat() if self.ban else None,
                "cites": [c.article for c in self.citations]}


@attrs.frozen
class Step:
    """One line of the timeline.

    ``kind``: ``transition`` (state changed or stayed by a rule), ``extension``,
    ``decision_due``, ``act_due`` (a mandatory act due; ``reason`` ``already_due`` when it
    was due before), ``recorded`` (a duty done, a decision recorded, a year counted),
    ``missed`` (a duty not done by its date; known the day after), ``not_allowed`` (the
    state does not allow the event; ``reason`` says why), ``future`` is never recorded.
    """

    on: date
    event: str
    event_label: Label
    kind: str
    source: str
    target: str
    citations: tuple[CheckedCitation, ...] = ()
    reason: str = ""
    reason_date: date | None = None
    period: tuple[date, date] | None = None
    extensions: tuple[tuple[Duration, tuple[CheckedCitation, ...]], ...] = ()
    ban: tuple[Duration, date, tuple[CheckedCitation, ...]] | None = None
    decision: Label | None = None
    decided: Label | None = None
    duty: Label | None = None
    due: date | None = None
    count: int = 0
    needed: int = 0
    holiday_moved_from: date | None = None
    holiday_unknown: bool = False  # the holiday calendar does not cover the deadline's year
    decided_act: bool = False  # ``decided`` is a mandatory act, now recorded
    year: int | None = None  # the year counted towards consecutive years
    year_assumed: bool = False  # ``year`` is the year of the date: the event named none

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "on": self.on.isoformat(), "event": self.event, "kind": self.kind,
            "from": self.source, "to": self.target,
            "cites": [c.article for c in self.citations],
        }
        if self.reason:
            out["reason"] = self.reason
        if self.reason_date:
            out["reason_date"] = self.reason_date.isoformat()
        if self.period:
            out["period"] = [self.period[0].isoformat(), self.period[1].isoformat()]
        if self.extensions:
            out["extensions"] = [{"by": duration_en(d), "cites": [c.article for c in cs]}
                                 for d, cs in self.extensions]
        if self.ban:
            out["ban"] = {"for": duration_en(self.ban[0]), "until": self.ban[1].isoformat(),
                          "cites": [c.article for c in self.ban[2]]}
        if self.decision:
            out["act_due" if self.kind == "act_due" else "decision_due"] = {
                "zh": self.decision.zh, "en": self.decision.en}
        if self.decided:
            out["decided"] = {"zh": self.decided.zh, "en": self.decided.en}
            if self.decided_act:
                out["decided_mandatory"] = True
        if self.year is not None:
            out["year"] = self.year
            if self.year_assumed:
                out["year_assumed"] = True
        if self.duty:
            out["duty"] = {"zh": self.duty.zh, "en": self.duty.en}
        if self.due:
            out["due"] = self.due.isoformat()
        if self.count:
            out["consecutive_years"] = self.count
        if self.holiday_moved_from:
            out["holiday_moved_from"] = self.holiday_moved_from.isoformat()
        if self.holiday_unknown:
            out["holiday_calendar_missing"] = True
        return out


@attrs.frozen
class LifecycleStatus:
    """Where a history leaves an organisation on ``as_of`` (see ``policy.lifecycle``)."""

    info: PolicyInfo = attrs.field(repr=False)
    lifecycle: CheckedLifecycle = attrs.field(repr=False)
    as_of: date
    state: str
    state_label: Label
    entered_on: date | None
    period_start: date | None
    period_end: date | None
    """The last day of the current state's period, after extensions; None if it has none."""
    extensions: tuple[tuple[Duration, tuple[CheckedCitation, ...]], ...]
    barred_until: date | None
    """The last day of the ban the current state imposes (inclusive), or None."""
    duties: tuple[DutyDue, ...]
    decisions_due: tuple[DecisionDue, ...]
    timeline: tuple[Step, ...]

    @property
    def may_reapply(self) -> bool:
        """False while a ban runs: up to and including its last day."""
        return self.barred_until is None or self.as_of > self.barred_until

    @property
    def reapply_notes(self) -> tuple[CheckedNote, ...]:
        """The notes on applying again from the current state (where the text is silent,
        the reading applied): those of the transitions from it back to the initial state."""
        lc = self.lifecycle
        found: dict[str, CheckedNote] = {}
        for t in lc.transitions:
            if t.source == self.state != lc.initial and t.effect == "go" \
                    and t.target == lc.initial:
                found.update((n.name, n) for n in t.notes)
        return tuple(found.values())

    def explain(self, lang: str = "zh") -> str:
        """The timeline, event by event, with the rule that fired and its citation."""
        return render_lifecycle(self, lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.info.id, "lifecycle": self.lifecycle.name,
            "as_of": self.as_of.isoformat(), "state": self.state,
            "state_label": {"zh": self.state_label.zh, "en": self.state_label.en},
            "entered_on": self.entered_on.isoformat() if self.entered_on else None,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "extensions": [{"by": duration_en(d), "cites": [c.article for c in cs]}
                           for d, cs in self.extensions],
            "may_reapply": self.may_reapply,
            "barred_until": self.barred_until.isoformat() if self.barred_until else None,
            "reapply_notes": [n.name for n in self.reapply_notes],
            "duties": [d.to_dict() for d in self.duties],
            "decisions_due": [d.to_dict() for d in self.decisions_due],
            "timeline": [s.to_dict() for s in self.timeline],
        }


# ---------------------------------------------------------------- the history


_EVENT_KEYS = ("on", "event", "year")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EXPECTED_DATE = 'expected a date such as "2019-03-01" (YYYY-MM-DD)'


def _date(value: object, where: str) -> date:
    """An event's ``on``: a date, or text exactly ``YYYY-MM-DD`` (not ``20190301``, not
    ``2019-W09-5``, which date.fromisoformat also reads); RecordError otherwise."""
    if isinstance(value, datetime):
        raise RecordError([RecordProblem(
            where, f"{_EXPECTED_DATE}, got {_show(value)}: a date has no time of day")])
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise RecordError([RecordProblem(
                where, f"{_EXPECTED_DATE}, got {_show(value)}: there is no such day")]
            ) from None
    raise RecordError([RecordProblem(where, f"{_EXPECTED_DATE}, got {_show(value)}")])


def _unknown_key(where: str, key: object) -> RecordError:
    if not isinstance(key, str):
        return RecordError([RecordProblem(
            where, f"expected the keys of an event as text, got {_show(key)}")])
    near = closest(key, _EVENT_KEYS)
    return RecordError([RecordProblem(
        f"{where}.{_printable(_clip(key))}",
        f"an event has no key {_show(key)}; "
        + (f'did you mean "{near}"?' if near else
           f"the keys of an event are {', '.join(_EVENT_KEYS)}"))])


def parse_history(lc: CheckedLifecycle, history: object) -> tuple[HistoryEvent, ...]:
    """The events of ``history``, checked: only the keys ``on``, ``event`` and ``year``,
    declared names, real dates, in date order."""
    if isinstance(history, str | bytes) or not isinstance(history, Sequence):
        raise RecordError([RecordProblem("history", "expected a list of events such as "
                                         '{"on": "2019-03-01", "event": "approved"}')])
    names = [e.name for e in lc.events]
    events: list[HistoryEvent] = []
    for i, item in enumerate(history):
        where = f"history[{i}]"
        if not isinstance(item, Mapping):
            raise RecordError([RecordProblem(where, "expected an event such as "
                                             '{"on": "2019-03-01", "event": "approved"}')])
        for key in item:
            if key not in _EVENT_KEYS:
                raise _unknown_key(where, key)
        on = _date(item.get("on"), f"{where}.on")
        name = item.get("event")
        if not isinstance(name, str) or name not in names:
            near = closest(name, names) if isinstance(name, str) else None
            shown = _printable(_clip(name)) if isinstance(name, str) else _show(name)
            raise RecordError([RecordProblem(
                f"{where}.event",
                f"`{shown}` is not an event of the lifecycle `{lc.name}`"
                + (f"; did you mean `{near}`?" if near else
                   f"; its events are {', '.join(names)}"))])
        year = item.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)
                                 or not MINYEAR <= year <= MAXYEAR):
            raise RecordError([RecordProblem(
                f"{where}.year", f"expected a year such as 2020 (from {MINYEAR} to "
                f"{MAXYEAR}), got {_show(year)}")])
        if events and on < events[-1].on:
            prev = events[-1]
            raise RecordError([RecordProblem(
                f"{where}.on",
                f"`{name}` on {on.isoformat()} comes after `{prev.event}` on "
                f"{prev.on.isoformat()} in the history: list events in date order")])
        events.append(HistoryEvent(on, name, year, i))
    return tuple(events)


# ---------------------------------------------------------------- replay


def _yearly_due(year: int, month_day: tuple[int, int]) -> date | None:
    month, day = month_day
    if not 1 <= year <= 9999:
        return None
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        day = 28
    return date(year, month, day)


class _Run:
    def __init__(self, info: PolicyInfo, lc: CheckedLifecycle) -> None:
        self.info = info
        self.lc = lc
        self.state = lc.initial
        self.entered: date | None = None
        self.period: tuple[date, date] | None = None
        self.base_period: Duration | None = None
        self.extensions: list[tuple[Duration, tuple[CheckedCitation, ...]]] = []
        self.ban_until: date | None = None
        self.years: dict[str, set[int]] = {}
        self.decisions: list[DecisionDue] = []
        self.steps: list[Step] = []
        self.active: dict[str, date] = {}  # duty -> since
        self.next_year: dict[str, int] = {}
        self.first_year: dict[str, int] = {}  # the first year a yearly duty is due
        self.done: dict[str, set[int]] = {}
        self.triggered: dict[str, date] = {}  # duty due after an event -> since
        self.fired: dict[int, date] = {}  # id of a transition -> when it last fired here

    # -------------------------------------------------------- duties

    def _due(self, duty: LcDutyDef, year: int) -> date | None:
        assert duty.month_day is not None
        return _yearly_due(year, duty.month_day)

    def _first_year(self, duty: LcDutyDef, since: date) -> int:
        due = self._due(duty, since.year)
        first = since.year if due is not None and since < due else since.year + 1
        if duty.mostly and first == since.year:
            # `each year, mostly held`: the year of entry only if the greater part of it
            # is left, counted from the day after entry (第二百零一条) to 31 December
            left = (date(since.year, 12, 31) - since).days
            if 2 * left <= (366 if calendar.isleap(since.year) else 365):
                first += 1
        return first

    def _update_duties(self, on: date | None) -> None:
        for duty in self.lc.duties:
            inside = self.state in duty.states
            if inside and duty.name not in self.active and on is not None:
                self.active[duty.name] = on
                self.done[duty.name] = set()
                if duty.month_day is not None:
                    first = self._first_year(duty, on)
                    self.next_year[duty.name] = self.first_year[duty.name] = first
            elif not inside:
                self.active.pop(duty.name, None)
                self.triggered.pop(duty.name, None)

    def advance_to(self, before: date) -> None:
        """Report every yearly duty whose date passed before ``before`` undone."""
        while True:
            best: tuple[date, LcDutyDef, int] | None = None
            for duty in self.lc.duties:
                if duty.name not in self.active or duty.month_day is None:
                    continue
                year = self.next_year[duty.name]
                while True:
                    due = self._due(duty, year)
                    if due is None or due >= before:
                        break
                    if year in self.done[duty.name]:
                        year += 1
                        continue
                    if best is None or due < best[0]:
                        best = (due, duty, year)
                    break
                self.next_year[duty.name] = year
            if best is None:
                return
            due, duty, year = best
            self.next_year[duty.name] = year + 1
            self._missed(due, duty)

    def _missed(self, due: date, duty: LcDutyDef) -> None:
        on = due + timedelta(days=1)
        event = HistoryEvent(on, duty.name)
        rules = [t for t in self.lc.transitions
                 if t.missed and t.trigger == duty.name and t.source == self.state]
        if not rules:
            self.steps.append(Step(on, duty.name, duty.label, "missed", self.state, self.state,
                                   duty.citations, duty=duty.label, due=due))
            return
        self._fire(event, duty.label, rules, missed=(duty, due))

    def _duty_event(self, ev: HistoryEvent) -> Step | None:
        for duty in self.lc.duties:
            if duty.name not in self.active:
                continue
            if duty.after is not None and ev.event == duty.after:
                self.triggered[duty.name] = ev.on
            if duty.event != ev.event:
                continue
            if duty.month_day is None:
                if duty.name in self.triggered:
                    del self.triggered[duty.name]
                    return Step(ev.on, ev.event, self.lc.event(ev.event).label, "recorded",
                                self.state, self.state, duty.citations, duty=duty.label)
                continue
            year = ev.year if ev.year is not None else ev.on.year
            if ev.year is None and year < self.first_year[duty.name]:
                year = self.first_year[duty.name]  # done early: for the first year due
            due = self._due(duty, year)
            if due is not None and ev.on <= due and year >= self.next_year[duty.name]:
                self.done[duty.name].add(year)
                return Step(ev.on, ev.event, self.lc.event(ev.event).label, "recorded",
                            self.state, self.state, duty.citations, duty=duty.label, due=due)
            return Step(ev.on, ev.event, self.lc.event(ev.event).label, "recorded",
                        self.state, self.state, duty.citations, reason="late",
                        duty=duty.label, due=due)
        return None

    # -------------------------------------------------------- events

    def apply(self, ev: HistoryEvent) -> None:
        label = self.lc.event(ev.event).label
        decided: Label | None = None
        act = False
        for d in self.decisions:
            if ev.event in d.decided_by:
                decided, act = d.label, d.mandatory
                self.decisions.remove(d)
                break
        duty_step = self._duty_event(ev)
        rules = [t for t in self.lc.transitions
                 if not t.missed and t.trigger == ev.event and t.source == self.state]
        if rules:
            self._fire(ev, label, rules, decided=decided, act=act)
            return
        if duty_step is not None:
            self.steps.append(attrs.evolve(duty_step, decided=decided, decided_act=act))
        elif decided is not None:
            self.steps.append(Step(ev.on, ev.event, label, "recorded", self.state, self.state,
                                   decided=decided, decided_act=act))
        elif any(d.after == ev.event for d in self.lc.duties if d.name in self.triggered):
            duty = next(d for d in self.lc.duties if d.after == ev.event)
            self.steps.append(Step(ev.on, ev.event, label, "recorded", self.state, self.state,
                                   duty.citations, reason="duty_due", duty=duty.label))
        else:
            self.steps.append(Step(ev.on, ev.event, label, "not_allowed", self.state,
                                   self.state, reason="no_rule"))

    def _guard(self, t: LcTransitionDef, on: date, key: str, year: int, decided: bool
               ) -> tuple[bool, str, date | None, int, Deadline | None]:
        """Whether ``t`` may fire on ``on``: (ok, reason, date, count, the deadline of a
        ``within`` guard, with 第二百零三条 applied when the policy asks for it). ``year``
        is the year the event is for; ``decided`` whether it records a decision due."""
        g = t.guard
        if g is None:
            return True, "", None, 0, None
        if g.kind == "after_period":
            end = self.period[1] if self.period else None
            return (end is not None and on > end), "period_running", end, 0, None
        if g.kind == "after_extension":
            end = self.period[1] if self.period else None
            if end is not None and on <= end:
                return False, "period_running", end, 0, None
            return bool(self.extensions) and end is not None, "not_extended", end, 0, None
        if g.kind == "when_decided":
            return decided, "not_decided", self.fired.get(id(t)), 0, None
        if g.kind == "after_ban":
            ok = self.ban_until is None or on > self.ban_until
            return ok, "barred", self.ban_until, 0, None
        if g.kind in {"after_time", "within_time"}:
            assert g.duration is not None
            if self.entered is None:
                return False, "not_entered", None, 0, None
            last = add_period(self.entered, g.duration).last_day
            if g.kind == "after_time":
                return on > last, "too_early", last, 0, None
            deadline = Deadline(last)
            if self.lc.holidays is not None:
                deadline = holiday_deadline(last)
            return (on <= deadline.last_day, "too_late", deadline.last_day, 0, deadline)
        # consecutive years, each the year an event is for, counted since entry into the
        # state: the run of years that holds this one (a late record can close a gap)
        years = self.years.setdefault(key, set())
        years.add(year)
        low, high = year, year
        while low - 1 in years:
            low -= 1
        while high + 1 in years:
            high += 1
        count = high - low + 1
        return count >= g.times, "counting", None, count, None

    def _fire(self, ev: HistoryEvent, label: Label, rules: list[LcTransitionDef], *,
              decided: Label | None = None, act: bool = False,
              missed: tuple[LcDutyDef, date] | None = None) -> None:
        key = ("missed:" if missed else "") + ev.event
        # the year the event is for: a missed duty's, else the event's own, else (assumed,
        # and the explanation says so) the year of its date
        year = missed[1].year if missed else ev.year if ev.year is not None else ev.on.year
        counted = any(t.guard is not None and t.guard.kind == "consecutive" for t in rules)
        shown = (year if counted else None, counted and not missed and ev.year is None)
        failure: Step | None = None
        counting: Step | None = None
        for t in rules:
            ok, reason, when, count, deadline = self._guard(t, ev.on, key, year,
                                                            decided is not None)
            moved = deadline.moved_from if deadline else None
            unknown = deadline.unknown if deadline else False
            if ok:
                self._effect(t, ev, label, decided, missed, count, moved, unknown, act=act,
                             shown=shown)
                return
            if reason == "not_decided":
                raise self._not_decided(t, ev, when)
            if reason == "counting":
                assert t.guard is not None
                counting = counting or Step(ev.on, ev.event, label, "recorded", self.state,
                                            self.state, t.citations, reason="counting",
                                            count=count, needed=t.guard.times, decided=decided,
                                            decided_act=act, year=shown[0],
                                            year_assumed=shown[1])
            elif failure is None:
                failure = Step(ev.on, ev.event, label, "not_allowed", self.state, self.state,
                               t.citations, reason=reason, reason_date=when, decided=decided,
                               holiday_moved_from=moved, holiday_unknown=unknown,
                               decided_act=act, year=shown[0], year_assumed=shown[1])
        failure = counting or failure
        assert failure is not None
        if missed:
            failure = attrs.evolve(failure, kind="missed" if failure.kind == "recorded"
                                   else failure.kind, duty=missed[0].label, due=missed[1])
        self.steps.append(failure)

    def _not_decided(self, t: LcTransitionDef, ev: HistoryEvent, before: date | None
                     ) -> RecordError:
        """A ``when decided`` event that records no decision due: the history contradicts
        the text (an extension nobody could grant), so it is refused."""
        labels = "」或「".join(dict.fromkeys(
            o.decision.zh for o in self.lc.transitions
            if o.effect == "decide" and o.decision is not None and o.source == self.state
            and ev.event in o.decided_by))
        articles = "、".join(c.article for c in t.citations)
        return RecordError([RecordProblem(
            f"history[{ev.index}]",
            f"`{ev.event}` on {ev.on.isoformat()} is refused: under {articles} it only "
            f"records the decision 「{labels}」 when that is due, and none is due"
            + (f"; `{ev.event}` was already recorded on {before.isoformat()}" if before
               else ""))])

    def _act_ban(self, t: LcTransitionDef, since: date
                 ) -> tuple[Duration, date, tuple[CheckedCitation, ...]] | None:
        """The ban a mandatory act would start, counted from ``since`` (the earliest day it
        could be recorded): that of the state its recording event leads to."""
        for o in self.lc.transitions:
            if o.effect == "go" and not o.missed and o.source == self.state \
                    and o.trigger in t.decided_by and o.target not in {None, self.state}:
                assert o.target is not None
                ban = self.lc.ban(o.target)
                if ban is not None:
                    return ban.duration, add_period(since, ban.duration).last_day, ban.citations
        return None

    def _effect(self, t: LcTransitionDef, ev: HistoryEvent, label: Label, decided: Label | None,
                missed: tuple[LcDutyDef, date] | None, count: int, moved: date | None,
                unknown: bool = False, *, act: bool = False,
                shown: tuple[int | None, bool] = (None, False)) -> None:
        duty, due = (missed[0].label, missed[1]) if missed else (None, None)
        base = Step(ev.on, ev.event, label, "transition", self.state, self.state, t.citations,
                    decided=decided, duty=duty, due=due, count=count, holiday_moved_from=moved,
                    holiday_unknown=unknown, decided_act=act, year=shown[0],
                    year_assumed=shown[1])
        self.fired[id(t)] = ev.on
        if t.effect == "decide":
            assert t.decision is not None
            kind = "act_due" if t.mandatory else "decision_due"
            before = next((d for d in self.decisions if d.label == t.decision
                           and d.mandatory == t.mandatory), None)
            if before is not None:  # due already: not due twice
                self.steps.append(attrs.evolve(base, kind=kind, decision=t.decision,
                                               reason="already_due", reason_date=before.since))
                return
            self.decisions.append(DecisionDue(
                t.decision, ev.on, t.decided_by, t.citations, t.notes, t.mandatory,
                self._act_ban(t, ev.on) if t.mandatory else None))
            self.steps.append(attrs.evolve(base, kind=kind, decision=t.decision))
            return
        if t.effect == "extend":
            assert t.extend_by is not None and self.period is not None
            self.extensions.append((t.extend_by, t.citations))
            self.period = (self.period[0], self._period_end())
            self.steps.append(attrs.evolve(base, kind="extension", period=self.period,
                                           extensions=tuple(self.extensions)))
            return
        assert t.target is not None
        source = self.state
        if t.target != source:
            self._enter(self.lc.state(t.target), ev.on)
        ban = self.lc.ban(self.state) if t.target != source else None
        self.steps.append(attrs.evolve(
            base, target=self.state, period=self.period if t.target != source else None,
            ban=(ban.duration, self.ban_until, ban.citations)
            if ban is not None and self.ban_until is not None else None))

    def _period_end(self) -> date:
        assert self.period is not None and self.base_period is not None
        total = self.base_period
        for d, _ in self.extensions:
            if not total.comparable_with(d):
                end = self.period[1]
                for d2, _ in self.extensions:
                    end = add_period(end, d2).last_day
                return end
            total = total + d
        return add_period(self.period[0], total).last_day

    def _enter(self, state: LcStateDef, on: date) -> None:
        self.state = state.name
        self.entered = on
        self.extensions = []
        self.years = {}
        self.decisions = []
        self.fired = {}
        self.base_period = state.lasts
        self.period = (on, add_period(on, state.lasts).last_day) if state.lasts else None
        ban = self.lc.ban(state.name)
        self.ban_until = add_period(on, ban.duration).last_day if ban else None
        self._update_duties(on)

    # -------------------------------------------------------- the result

    def duties_due(self, as_of: date) -> tuple[DutyDue, ...]:
        due: list[DutyDue] = []
        for duty in self.lc.duties:
            if duty.name not in self.active:
                continue
            if duty.month_day is None:
                if duty.name in self.triggered:
                    due.append(DutyDue(duty.name, duty.label, duty.event, None, duty.citations,
                                       since=self.triggered[duty.name]))
                continue
            year = max(self.next_year[duty.name], as_of.year)
            while year in self.done[duty.name]:
                year += 1
            when = self._due(duty, year)
            while when is not None and when < as_of:
                year += 1
                when = self._due(duty, year)
            due.append(DutyDue(duty.name, duty.label, duty.event, when, duty.citations))
        return tuple(sorted(due, key=lambda d: (d.due or date.max, d.name)))


def _run(info: PolicyInfo, lc: CheckedLifecycle, events: tuple[HistoryEvent, ...],
         until: date, *, checking: bool = False) -> _Run:
    """``events`` replayed up to and including ``until``; a RecordError where the history
    contradicts the lifecycle (an event ``when decided`` that records no decision due).
    ``checking`` (the events after as_of): a period past the calendar is no error."""
    run = _Run(info, lc)
    try:
        for ev in events:
            if ev.on > until:
                break
            run.advance_to(ev.on)
            run.apply(ev)
        run.advance_to(until)
    except OverflowError:
        if checking:
            return run
        raise RecordError([RecordProblem(
            "history", "a period counted from this history ends after the year 9999")]) from None
    return run


def replay(info: PolicyInfo, lc: CheckedLifecycle, history: object, as_of: date
           ) -> LifecycleStatus:
    """Replay ``history`` through ``lc`` up to and including ``as_of``."""
    if not isinstance(as_of, date) or isinstance(as_of, datetime):
        raise TypeError(f"as_of must be a datetime.date, not {type(as_of).__name__}")
    events = parse_history(lc, history)
    if events and events[-1].on > as_of:
        _run(info, lc, events, events[-1].on, checking=True)  # events after as_of too
    run = _run(info, lc, events, as_of)
    return LifecycleStatus(
        info, lc, as_of, run.state, lc.state(run.state).label, run.entered,
        run.period[0] if run.period else None, run.period[1] if run.period else None,
        tuple(run.extensions), run.ban_until, run.duties_due(as_of), tuple(run.decisions),
        tuple(run.steps))
