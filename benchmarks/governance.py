"""The governance workloads: a vote and a lifecycle replay (issue 7, "later bundled
policies").

**The vote**: ``termination`` of ``zhuzhou.alliance`` (第十九条 经三分之二以上成员表决通过:
``b.yes >= 2/3 of b.members``, over :class:`policykit.records.Ballot`), as of 2018-03-01.
Ballots are generated deterministically from ``random.Random(VOTE_SEED)``: bodies of 1
to 600 members; a quarter of the counts sit exactly on the threshold (exactly two thirds
where the members divide by three, the least count above it where they do not) or one
short of it, some are exactly half or two thirds of those present (both fail: the base is
all the members), some unanimous or none, the rest uniform; about an eighth lack the
count of yes votes, the members or both (undetermined). Present, against, abstentions,
the body and the date are filled in as a secretariat records them, and never read.

:func:`decide` and :func:`decide_with_failures` are the floor: the vote written by hand
over attrs records, in exact integer arithmetic (``3 * yes >= 2 * members``) and
three-valued as policykit is (an absent count leaves the vote undetermined, never 0);
the failure carries what :class:`policykit.Failure` does: the votes got, the exact two
thirds required (a Fraction) and the votes short (whole votes: ``ceil(2m/3) - yes``).

**The lifecycle**: ``pilot_base`` of ``intl.coop_base`` (第十二–十四条), the bundled
lifecycle that uses every feature of the replay: a state with a period (2 years) and
extensions, yearly duties whose miss makes the cancellation due, a guard after the
period, two decisions left to the associations and mandatory cancellations recorded when
made, a count of consecutive failed years, bans on reapplying.
Histories are generated from ``random.Random(LIFECYCLE_SEED)`` by walking the lifecycle
as an applicant would (approved; plans and summaries each year, now and then one
forgotten, and the pilot cancelled from 1 January, recorded within 30 days; acceptance
after the period, passed, or failed and then extended once or revoked; a base evaluated
every year, noticed or revoked after two failed years, or cancelled for a serious
violation; reapplying after the ban),
cut at 1 to 12 events. Some carry events the state does not allow, which the replay
reports and does not apply (an acceptance on the last day of the period, a reapplication
on the last day of the ban, and, in about one history in seven, an event of another
state; also every passed evaluation of a base: the policy declares the event and has no
rule for it, so the replay reports it as not applicable); the date asked about is up to
400 days after the last event, or, for one history in ten, before some of them (those
are checked and not replayed). A date up to 400 days on often passes a year end, so
missed duties (and the revocations they cause) are part of the replay too.

:func:`prepare` builds both workloads, checks the floor against policykit on every
ballot, replays every history once, and returns the paths to time (:class:`Path`, the
fields of ``benchmarks.run.Case``); :func:`print_report` prints the section of the
report ``benchmarks.run`` writes.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from statistics import fmean
from typing import Any, NamedTuple

import policykit
from policykit.calendar import Duration, add_period
from policykit.errors import RecordError
from policykit.records import Ballot, structure

__all__ = [
    "LIFECYCLE_POLICY",
    "LIFECYCLE_SEED",
    "VOTE_AS_OF",
    "VOTE_POLICY",
    "VOTE_RULE",
    "VOTE_SEED",
    "Path",
    "Section",
    "ballot_records",
    "ballots",
    "decide",
    "decide_with_failures",
    "disagreements",
    "histories",
    "prepare",
    "print_report",
]

VOTE_POLICY = "zhuzhou.alliance"
VOTE_RULE = "termination"
VOTE_AS_OF = date(2018, 3, 1)
VOTE_SEED = 1919  # 第十九条
LIFECYCLE_POLICY = "intl.coop_base"
LIFECYCLE_SEED = 2019
MAX_EVENTS = 12

Record = dict[str, Any]
History = tuple[list[dict[str, str]], date]  # the events, and the date asked about


# ---------------------------------------------------------------- the vote: ballots

_BODIES = ("联盟全体会议", "会员大会", "联盟全体会议（临时）")


def _least_passing(members: int) -> int:
    """The fewest yes votes that are two thirds of ``members`` or more: ceil(2m/3)."""
    return -(-2 * members // 3)


def _counts(rng: random.Random) -> tuple[int, int, int | None]:
    """The members entitled to vote, the yes votes, and those present (None: not
    recorded)."""
    size = rng.random()
    if size < 0.03:
        members = rng.randint(1, 2)
    elif size < 0.45:
        members = rng.randint(3, 30)
    elif size < 0.85:
        members = rng.randint(31, 120)
    else:
        members = rng.randint(121, 600)
    kind = rng.random()
    if kind < 0.05:  # two thirds of those present, not of the members
        present = members - rng.randint(1, max(1, members // 2))
        return members, min(present, _least_passing(present)), present
    if kind < 0.15:  # exactly two thirds
        members += -members % 3
        yes = 2 * members // 3
    elif kind < 0.23:  # the least count that passes (5 of 7, 8 of 12, 20 of 30)
        yes = _least_passing(members)
    elif kind < 0.33:  # one vote short
        yes = _least_passing(members) - 1
    elif kind < 0.40:  # exactly half: 一半以上 would pass, 三分之二以上 does not
        members += members % 2
        yes = members // 2
    elif kind < 0.45:  # unanimous, or no vote for
        yes = members if rng.random() < 0.6 else 0
    else:
        yes = rng.randint(0, members)
    recorded = rng.random() < 0.7
    return members, yes, members - rng.randint(0, members - yes) if recorded else None


def make_ballot(rng: random.Random) -> Record:
    """One ballot, drawn from ``rng``, as a plain dict."""
    members, yes, present = _counts(rng)
    record: Record = {"members": members, "yes": yes}
    if present is not None:
        record["present"] = present
    if rng.random() < 0.8:
        voted = members if present is None else present
        record["no"] = against = rng.randint(0, voted - yes)
        record["abstain"] = voted - yes - against
    if rng.random() < 0.8:
        record["body"] = rng.choice(_BODIES)
    if rng.random() < 0.9:
        held = date(2003, 1, 1) + timedelta(days=rng.randint(0, 5537))  # to 2018-02-28
        record["held_on"] = held.isoformat()
    gap = rng.random()
    if gap < 0.06:
        del record["yes"]
    elif gap < 0.10:
        del record["members"]
    elif gap < 0.12:
        del record["yes"], record["members"]
    return record


def ballots(n: int, seed: int = VOTE_SEED) -> list[Record]:
    """``n`` ballots as plain dicts (the first ``n`` of the seed's sequence)."""
    rng = random.Random(seed)
    return [make_ballot(rng) for _ in range(n)]


def ballot_records(data: list[Record]) -> list[Ballot]:
    """The same ballots as attrs records, validated and converted once."""
    return [structure(d, Ballot, "b") for d in data]


def ballot_kinds(data: Iterable[Record]) -> dict[str, int]:
    """How many ballots of each kind, boundaries first, for the report."""
    kinds: Counter[str] = Counter()
    for d in data:
        yes, members = d.get("yes"), d.get("members")
        if yes is None or members is None:
            kinds["a count missing"] += 1
        elif 3 * yes == 2 * members:
            kinds["exactly two thirds"] += 1
        elif yes == _least_passing(members):
            kinds["the least count above two thirds"] += 1
        elif yes == _least_passing(members) - 1:
            kinds["one vote short"] += 1
        elif 2 * yes == members:
            kinds["exactly half"] += 1
        elif 3 * yes > 2 * members:
            kinds["more than two thirds"] += 1
        else:
            kinds["fewer than two thirds"] += 1
    return dict(sorted(kinds.items()))


# ---------------------------------------------------------------- the vote: the floor

PASSES, FAILS, UNDETERMINED = "passes", "fails", "undetermined"
_CONDITION = "b.yes >= 2/3 of b.members"


class VoteFailure(NamedTuple):
    """The vote not carried: the fields of :class:`policykit.Failure`."""

    rule: str
    condition: str
    path: str
    op: str
    actual: int
    required: Fraction
    gap: int


def decide(b: Ballot) -> str:
    """三分之二以上成员表决通过 (inclusive, of all the members), three-valued."""
    yes, members = b.yes, b.members
    if yes is None or members is None:
        return UNDETERMINED
    return PASSES if 3 * yes >= 2 * members else FAILS


def decide_with_failures(b: Ballot) -> tuple[str, tuple[VoteFailure, ...]]:
    """The decision and, when the vote fails, the count got, required and short."""
    yes, members = b.yes, b.members
    if yes is None or members is None:
        return UNDETERMINED, ()
    if 3 * yes >= 2 * members:
        return PASSES, ()
    return FAILS, (VoteFailure(VOTE_RULE, _CONDITION, "b.yes", ">=", yes,
                               Fraction(2 * members, 3), -(-2 * members // 3) - yes),)


def _failure_fields(failures: Iterable[Any]) -> tuple[tuple[Any, ...], ...]:
    return tuple((f.rule, f.condition, f.path, f.op, f.actual, f.required, f.gap)
                 for f in failures)


def vote_agreement(policy: policykit.Policy, rows: list[Ballot], data: list[Record],
                   log: Callable[[str], None]) -> dict[str, int]:
    """Disagreements with policykit on every ballot: decisions, and failures field by field
    (numbers compared by value: 20 == Fraction(20))."""
    evaluate = policy.evaluate
    reference = [evaluate(r, as_of=VOTE_AS_OF, rule=VOTE_RULE) for r in rows]
    expected = [(res.outcome, _failure_fields(res.failures)) for res in reference]
    counts: dict[str, int] = {}

    def count(name: str, got: Iterable[Any], want: Iterable[Any]) -> None:
        bad = [(i, g, w) for i, (g, w) in enumerate(zip(got, want, strict=True)) if g != w]
        counts[name] = len(bad)
        for i, g, w in bad[:3]:
            log(f"  DISAGREEMENT {name} on ballot {i} ({data[i]}): got {g!r}, policykit {w!r}")

    count("vote: policykit on dicts vs on attrs records: decision + failures",
          ((res.outcome, _failure_fields(res.failures)) for res in
           (evaluate(d, as_of=VOTE_AS_OF, rule=VOTE_RULE) for d in data)), expected)
    count("vote: hand-written: decision", (decide(r) for r in rows), (o for o, _ in expected))
    count("vote: hand-written: decision + failures (actual, required, gap)",
          ((o, _failure_fields(f)) for o, f in (decide_with_failures(r) for r in rows)),
          expected)
    return counts


# ---------------------------------------------------------------- the lifecycle: histories

_TWO_YEARS, _ONE_YEAR = Duration(months=24), Duration(months=12)
# Events the lifecycle has no rule for in a state: the replay reports them, unapplied.
_NOT_IN = {
    "applicant": ("acceptance_passed", "evaluation_passed", "extended", "notified"),
    "pilot": ("evaluation_failed", "evaluation_passed", "notified", "serious_violation",
              "reapplied"),
    "base": ("approved", "plan_not_executed", "acceptance_failed", "reapplied", "extended"),
    "pilot_revoked": ("approved", "evaluation_passed", "annual_plan_submitted", "extended"),
    "base_revoked": ("approved", "evaluation_failed", "annual_summary_submitted", "notified"),
}


def _between(rng: random.Random, low: date, high: date) -> date:
    return low + timedelta(days=rng.randint(0, max(0, (high - low).days)))


class _Life:
    """One organisation's life under ``pilot_base``, as the generator models it.

    The model follows the policy's transitions closely enough that almost every event it
    writes is allowed; the replay, not this model, is what the benchmark measures.
    """

    def __init__(self, rng: random.Random, start: date) -> None:
        self.rng = rng
        self.on = start
        self.state = "applicant"
        self.events: list[tuple[date, str, str]] = []  # (on, event, state after, modelled)
        self.approved_on = start
        self.extensions = 0
        self.period_end = start
        self.ban_end = start
        self.failed_year: int | None = None  # a base's last failed evaluation

    def emit(self, on: date, event: str, state: str | None = None) -> None:
        self.on = max(self.on, on)
        if state is not None:
            self.state = state
        self.events.append((self.on, event, self.state))

    def revoke(self, on: date, state: str, event: str | None) -> None:
        """The ground (``event``, or a duty missed: known on ``on``), then the cancellation
        recorded by ``revoked`` (that day when ``event`` is ``revoked``, the associations'
        decision; else within 30 days): the state changes and the ban starts on its date."""
        if event != "revoked":
            if event is not None:
                self.emit(on, event)
            on += timedelta(days=self.rng.randint(0, 30))
        self.emit(on, "revoked", state)
        self.ban_end = add_period(on, _TWO_YEARS).last_day

    def step(self) -> None:
        """Live on until the next event or change of state."""
        {"applicant": self.apply, "pilot": self.pilot_year, "base": self.base_year,
         "pilot_revoked": self.reapply, "base_revoked": self.reapply}[self.state]()

    def apply(self) -> None:
        rng = self.rng
        on = self.on + timedelta(days=rng.randint(20, 200))
        self.emit(on, "approved", "pilot")
        self.approved_on, self.extensions = on, 0
        self.period_end = add_period(on, _TWO_YEARS).last_day

    def pilot_year(self) -> None:
        rng, y = self.rng, self.on.year
        if rng.random() < 0.04:  # a plan or a summary forgotten: revoked on 1 January
            self.revoke(date(y + 1, 1, 1), "pilot_revoked", None)
            return
        planned: list[tuple[date, str]] = []
        accept_on = None
        if self.period_end.year == y:
            accept_on = min(self.period_end + timedelta(days=rng.randint(1, 60)),
                            max(self.period_end + timedelta(days=1), date(y, 12, 10)))
            if rng.random() < 0.08:  # on the last day of the period: too early
                planned.append((self.period_end, "acceptance_passed"))
        plan_on = _between(rng, max(self.on, date(y, 1, 10)), max(self.on, date(y, 6, 30)))
        summary_on = _between(rng, max(plan_on, date(y, 11, 1)), date(y, 12, 20))
        for on, event in ((plan_on, "annual_plan_submitted"),
                          (summary_on, "annual_summary_submitted")):
            if accept_on is None or on < accept_on:
                planned.append((on, event))
        if accept_on is None and rng.random() < 0.03:
            planned.append((_between(rng, plan_on, summary_on), "plan_not_executed"))
        for on, event in sorted(planned):
            if event == "plan_not_executed":
                self.revoke(on, "pilot_revoked", event)
                return
            self.emit(on, event)
        if accept_on is None:
            self.on = date(y + 1, 1, 1)
            return
        if rng.random() < 0.65:
            self.emit(accept_on, "acceptance_passed", "base")
            return
        self.emit(accept_on, "acceptance_failed")
        decided = min(accept_on + timedelta(days=rng.randint(5, 40)),
                      max(accept_on, date(y, 12, 15)))
        if self.extensions or rng.random() < 0.45:  # extended once at most (第十三条(三))
            self.revoke(decided, "pilot_revoked", "revoked")
            return
        self.emit(decided, "extended")
        self.extensions += 1
        self.period_end = add_period(self.approved_on,
                                     Duration(months=24 + 12 * self.extensions)).last_day
        if decided.year == y:  # this year's duties are still owed
            for on, event in ((plan_on, "annual_plan_submitted"),
                              (summary_on, "annual_summary_submitted")):
                if accept_on <= on:
                    self.emit(_between(rng, decided, date(y, 12, 31)), event)
            self.on = date(y + 1, 1, 1)

    def base_year(self) -> None:
        rng, y = self.rng, self.on.year
        planned = [(_between(rng, max(self.on, date(y, 1, 10)), max(self.on, date(y, 6, 30))),
                    "annual_plan_submitted")]
        evaluated = _between(rng, max(self.on, date(y, 9, 1)), max(self.on, date(y, 11, 30)))
        failed = rng.random() < 0.3
        planned.append((evaluated, "evaluation_failed" if failed else "evaluation_passed"))
        planned.append((_between(rng, max(self.on, date(y, 12, 1)), date(y, 12, 20)),
                        "annual_summary_submitted"))
        if rng.random() < 0.1:  # a plan or summary not submitted: recorded, nothing more
            planned.pop(rng.choice((0, 2)))
        if rng.random() < 0.03:
            planned.append((_between(rng, self.on, date(y, 12, 31)), "serious_violation"))
        failed_before = self.failed_year == y - 1
        for on, event in sorted(planned):
            if event == "serious_violation":
                self.revoke(on, "base_revoked", event)
                return
            self.emit(on, event)
            if event == "evaluation_failed" and failed_before:  # the associations decide
                decided = _between(rng, on, on + timedelta(days=30))
                if rng.random() < 0.5:
                    self.revoke(decided, "base_revoked", "revoked")
                    return
                self.emit(decided, "notified")
        self.failed_year = y if failed else None
        self.on = max(self.on, date(y + 1, 1, 1))

    def reapply(self) -> None:
        rng = self.rng
        if rng.random() < 0.15:  # on the ban's last day: still barred
            self.emit(max(self.on, self.ban_end), "reapplied")
        self.emit(self.ban_end + timedelta(days=rng.randint(1, 200)), "reapplied", "applicant")
        self.failed_year = None


def make_history(rng: random.Random) -> History:
    """One history of 1 to ``MAX_EVENTS`` events and the date it is asked about."""
    length = rng.randint(1, MAX_EVENTS)
    life = _Life(rng, date(2016, 1, 1) + timedelta(days=rng.randint(0, 8 * 365)))
    while len(life.events) < length:
        life.step()
    events = life.events[:length]
    if rng.random() < 0.15:  # an event of another state, the same day as one before it
        at = rng.randrange(len(events))
        on, _, state = events[at]
        events.insert(at + 1, (on, rng.choice(_NOT_IN[state]), state))
        del events[length:]
    last = events[-1][0]
    if len(events) > 1 and rng.random() < 0.1:  # some events after the date asked about
        at = rng.randrange(len(events) - 1)
        as_of = _between(rng, events[at][0], events[at + 1][0] - timedelta(days=1))
        as_of = max(as_of, events[at][0])
    else:
        as_of = last + timedelta(days=rng.randint(0, 400))
    return [{"on": on.isoformat(), "event": event} for on, event, _ in events], as_of


def histories(n: int, seed: int = LIFECYCLE_SEED) -> list[History]:
    """``n`` histories (each a list of ``{"on": ..., "event": ...}`` dicts, and a date)."""
    rng = random.Random(seed)
    return [make_history(rng) for _ in range(n)]


def lifecycle_summary(policy: policykit.Policy, items: list[History]
                      ) -> tuple[dict[str, Any], int]:
    """One untimed replay of every history: what the workload holds, and how many
    histories the replay refused (each must replay)."""
    states: Counter[str] = Counter()
    steps: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    refused = 0
    for history, as_of in items:
        try:
            status = policy.lifecycle(history, as_of=as_of)
        except RecordError:
            refused += 1
            continue
        states[status.state] += 1
        kinds = Counter(step.kind for step in status.timeline)
        steps.update(kinds)
        flags["with an event the state does not allow"] += bool(kinds["not_allowed"])
        flags["with a duty missed"] += bool(kinds["missed"])
        flags["with a decision due on the date asked about"] += bool(status.decisions_due)
        flags["barred from reapplying on the date asked about"] += not status.may_reapply
        flags["with events after the date asked about"] += \
            history[-1]["on"] > as_of.isoformat()
    lengths = [len(history) for history, _ in items]
    return {"final states": dict(sorted(states.items())),
            "timeline steps": dict(sorted(steps.items())),
            "histories": dict(flags),
            "events": {"total": sum(lengths), "mean": round(fmean(lengths), 2),
                       "min": min(lengths), "max": max(lengths)}}, refused


# ---------------------------------------------------------------- the section


class Path(NamedTuple):
    """A path to time: the fields of ``benchmarks.run.Case``, in its order."""

    key: str
    label: str
    group: str
    input: str
    fn: Callable[[Any], Any]
    records: list[Any]
    floor: str | None = None


@dataclass
class Section:
    """Both workloads, generated and checked, with the paths to time."""

    vote: dict[str, Any]
    lifecycle: dict[str, Any]
    paths: list[Path]

    def report(self, throughput: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """The JSON section, given each path's timing summary by key."""
        vote = dict(self.vote, throughput=[throughput[p.key] for p in self.paths
                                           if p.key.startswith("vote.")])
        mean = self.lifecycle["workload"]["events"]["mean"]
        lifecycle = dict(self.lifecycle, throughput=[
            dict(throughput[p.key], median_us_per_event=round(
                throughput[p.key]["median_us"] / mean, 3))
            for p in self.paths if p.key.startswith("lifecycle.")])
        return {"vote": vote, "lifecycle": lifecycle}


def _vote_paths(policy: policykit.Policy, rows: list[Ballot], data: list[Record]
                ) -> list[Path]:
    evaluate = policy.evaluate

    def decision(r: Any) -> str:
        return evaluate(r, as_of=VOTE_AS_OF, rule=VOTE_RULE).outcome

    def with_failures(r: Any) -> Any:
        result = evaluate(r, as_of=VOTE_AS_OF, rule=VOTE_RULE)
        return result.outcome, result.failures

    def text(r: Any) -> str:
        return evaluate(r, as_of=VOTE_AS_OF, rule=VOTE_RULE).explain("zh")

    paths = [
        Path("vote.floor.decide", "vote, hand-written: decision", "floor", "attrs", decide,
             rows),
        Path("vote.floor.failures", "vote, hand-written: decision + failures", "floor",
             "attrs", decide_with_failures, rows),
    ]
    for inp, recs in (("attrs", rows), ("dicts", data)):
        paths += [
            Path(f"vote.pk.{inp}.a", "vote, policykit (a) decision", "policykit", inp,
                 decision, recs, "vote.floor.decide"),
            Path(f"vote.pk.{inp}.b", "vote, policykit (b) decision + failures", "policykit",
                 inp, with_failures, recs, "vote.floor.failures"),
            Path(f"vote.pk.{inp}.d", "vote, policykit (d) explain('zh')", "policykit", inp,
                 text, recs, "vote.floor.failures"),
        ]
    return paths


def _lifecycle_paths(policy: policykit.Policy, items: list[History]) -> list[Path]:
    lifecycle = policy.lifecycle

    def state(item: History) -> Any:
        status = lifecycle(item[0], as_of=item[1])
        return (status.state, status.period_end, status.barred_until, status.may_reapply,
                status.duties, status.decisions_due)

    def text(item: History) -> str:
        return lifecycle(item[0], as_of=item[1]).explain("zh")

    return [
        Path("lifecycle.pk.state", "lifecycle, policykit: replay, state and summary",
             "policykit", "dicts", state, items),
        Path("lifecycle.pk.d", "lifecycle, policykit: replay + explain('zh')", "policykit",
             "dicts", text, items),
    ]


def prepare(n: int, log: Callable[[str], None]) -> Section:
    """Generate both workloads, check them, and list the paths to time."""
    log(f"governance: generating {n:,} ballots (seed {VOTE_SEED}) and {n:,} histories "
        f"(seed {LIFECYCLE_SEED})")
    data = ballots(n)
    rows = ballot_records(data)
    voting = policykit.bundled(VOTE_POLICY)
    outcomes = dict(sorted(Counter(
        voting.evaluate(r, as_of=VOTE_AS_OF, rule=VOTE_RULE).outcome for r in rows).items()))
    kinds = ballot_kinds(data)
    log(f"  vote {VOTE_POLICY} {VOTE_RULE}: {outcomes}; {kinds}")
    agreement = vote_agreement(voting, rows, data, log)
    log(f"  vote disagreements: {sum(agreement.values())} in total")
    items = histories(n)
    living = policykit.bundled(LIFECYCLE_POLICY)
    name = living.lifecycles[0].name
    summary, refused = lifecycle_summary(living, items)
    log(f"  lifecycle {LIFECYCLE_POLICY} {name}: final states {summary['final states']}; "
        f"{summary['events']['mean']} events a history; refused: {refused}")
    vote = {"policy": VOTE_POLICY, "rule": VOTE_RULE, "condition": _CONDITION,
            "as_of": VOTE_AS_OF.isoformat(), "records": n, "seed": VOTE_SEED,
            "workload": outcomes, "kinds": kinds, "agreement": agreement}
    cycle = {"policy": LIFECYCLE_POLICY, "lifecycle": name, "histories": n,
             "seed": LIFECYCLE_SEED, "workload": summary,
             "agreement": {"lifecycle: histories the replay refused (RecordError)": refused}}
    return Section(vote, cycle, _vote_paths(voting, rows, data) + _lifecycle_paths(living,
                                                                                   items))


def disagreements(section: dict[str, Any]) -> int:
    """All the disagreements (and refused histories) of a report's section."""
    return sum(sum(part["agreement"].values()) for part in section.values())


def print_report(section: dict[str, Any]) -> None:
    """The section of the console report."""
    vote, cycle = section["vote"], section["lifecycle"]
    print(f"governance: vote `{vote['rule']}` of {vote['policy']} ({vote['condition']}) over "
          f"{vote['records']:,} ballots as of {vote['as_of']}: {vote['workload']}")
    print(f"  ballots: {vote['kinds']}")
    events = cycle["workload"]["events"]
    print(f"governance: lifecycle `{cycle['lifecycle']}` of {cycle['policy']} over "
          f"{cycle['histories']:,} histories of {events['min']}-{events['max']} events "
          f"(mean {events['mean']}): final states {cycle['workload']['final states']}")
    print(f"  histories: {cycle['workload']['histories']}")
    print()
    header = f"{'path':<58} {'input':<6} {'records/s':>10} {'us/rec':>9} {'spread':>7} " \
             f"{'vs floor':>8}"
    print(header)
    print("-" * len(header))
    for t in vote["throughput"] + cycle["throughput"]:
        ratio = "1" if t["group"] == "floor" else \
            f"{t['ratio_to_floor']:.3f}" if "ratio_to_floor" in t else ""
        print(f"{t['label']:<58} {t['input']:<6} {t['records_per_s']:>10,} "
              f"{t['median_us']:>9.2f} {t['spread_pct']:>6.1f}% {ratio:>8}")
    for t in cycle["throughput"]:
        print(f"  {t['label']}: {t['median_us_per_event']:.2f} us per event")
    print()
    print("governance agreement with policykit (each must be 0):")
    for part in (vote, cycle):
        for name, bad in part["agreement"].items():
            print(f"  {bad:>5}  {name}")
