"""The floor: 第五条 of the Hunan measures written by hand in plain Python.

Two functions over attrs records (:class:`policykit.records.MakerSpace`) that are
already validated and converted, as fast as a careful programmer would write them and
exactly as the policy reads:

- :func:`decide` returns the decision only (``eligible``, ``ineligible`` or
  ``undetermined``) and stops at the first criterion not met;
- :func:`explain_failures` evaluates every criterion and returns the decision with each
  failure: the criterion, the field, the actual and required values and the gap.

Both keep policykit's semantics: an absent fact leaves its criterion unknown (never 0
or False); a reviewer's judgement not yet given is owed (undetermined, not failed);
``implies`` and ``any of`` are three-valued (Kleene); the listed facilities, services
and systems are met when all are present, else by the reviewer's judgement (the 等 of
第五条(二)(三)); funding is a seed fund of 100万元 *or* investment partners with two
successful investments. Arithmetic is exact: areas and money are Decimal, 30% of the
area is compared in integers (``public * 10 >= area * 3`` on integer ratios), and
"运营半年以上" counts months as 民法典 第二百零一–二百零二条 do, with the month-end rule
(:func:`policykit.calendar.add_period`; inlined in :func:`decide`, checked against it by
:func:`check_month_arithmetic`).
"""

from __future__ import annotations

import calendar as _cal
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, NamedTuple

from policykit.calendar import Duration, add_period, day_range
from policykit.records import Facility, LegalForm, MakerSpace, Premises, Service, System

__all__ = [
    "Failure",
    "check_month_arithmetic",
    "decide",
    "explain_failures",
]

ELIGIBLE, INELIGIBLE, UNDETERMINED = "eligible", "ineligible", "undetermined"

HUNAN = frozenset({"湖南", "湖南省"})
FACILITIES = frozenset(Facility)
SERVICES = frozenset(Service) - {Service.tech_intermediary, Service.results_trading}
SYSTEMS = frozenset({System.entry_evaluation, System.exit, System.financial, System.archive,
                     System.info_sharing, System.secretary_contact})
MIN_AREA = 500  # m2
MIN_TEAMS, MIN_MENTORS, MIN_STAFF = 10, 3, 5
SEED_FUND = 1_000_000  # 100万元
LEASE_MONTHS, RESIDENCY_MONTHS, OPERATING_MONTHS = 36, 6, 6
# A duration given in days is compared with N months only when every start date gives
# the same answer: at least the longest span of N months, or less than the shortest.
_LEASE_DAYS = day_range(Duration(months=LEASE_MONTHS)) or (0, 0)
_RESIDENCY_DAYS = day_range(Duration(months=RESIDENCY_MONTHS)) or (0, 0)

# Three-valued outcomes of one criterion (a judgement owed counts as unknown here: the
# decision is undetermined either way).
MET, NOT_MET, UNKNOWN = 1, 0, 2


def _months_at_least(value: Duration | None, months: int, days: tuple[int, int]) -> int:
    if value is None:
        return UNKNOWN
    if value.days:
        if value.days >= days[1]:
            return MET
        return NOT_MET if value.days < days[0] else UNKNOWN
    return MET if value.months >= months else NOT_MET


def _half_year_complete(opened: date, as_of: date) -> bool:
    """``as_of`` is on or after the day six months after ``opened`` (第二百零二条).

    The end falls in month ``opened + 6``, on ``opened``'s day or on that month's last
    day when it is shorter; comparing month numbers first leaves the day for the one
    month where it matters.
    """
    target = opened.year * 12 + opened.month + 5  # months since year 0, zero-based
    current = as_of.year * 12 + as_of.month - 1
    if current != target:
        return current > target
    return as_of.day >= opened.day or as_of.day == _cal.monthrange(as_of.year, as_of.month)[1]


def decide(s: MakerSpace, as_of: date) -> str:  # noqa: PLR0915 - straight-line on purpose
    """The decision of ``hunan.recognition`` for ``s`` as of ``as_of``, and nothing else."""
    undetermined = False
    op = s.operator
    assessments: Any = None
    # 第五条(一): registered in Hunan, an independent legal person
    if op is None:
        undetermined = True
    else:
        province = op.registered_province
        if province is None:
            undetermined = True
        elif province not in HUNAN:
            return INELIGIBLE
        form = op.legal_form
        if form is None:
            undetermined = True
        elif form is not LegalForm.legal_person:
            return INELIGIBLE
        assessments = op.assessments
    # a leased site is leased for 3 years or more (premises == leased implies ...)
    premises = s.premises
    if premises is not Premises.owned:
        lease = _months_at_least(s.lease_term, LEASE_MONTHS, _LEASE_DAYS)
        if lease == NOT_MET:
            if premises is Premises.leased:
                return INELIGIBLE
            undetermined = True
        elif lease == UNKNOWN:
            undetermined = True
    area = s.area
    if area is None:
        undetermined = True
    elif area < MIN_AREA:
        return INELIGIBLE
    teams = s.teams
    if teams is None:
        undetermined = True
    elif teams < MIN_TEAMS:
        return INELIGIBLE
    opened = s.established_on
    if opened is None or opened.year > 9998:  # add_period overflows: unknown
        undetermined = True
    elif not _half_year_complete(opened, as_of):
        return INELIGIBLE
    public = s.public_area
    if public is None or area is None:
        undetermined = True
    else:  # public >= 30% of area, exactly
        pn, pd = public.as_integer_ratio()
        an, ad = area.as_integer_ratio()
        if pn * ad * 10 < an * pd * 3:
            return INELIGIBLE
    # 第五条(二): facilities and services, all listed or accepted by the reviewer
    for have, listed, key in ((s.facilities, FACILITIES, "facilities_judged"),
                              (s.services, SERVICES, "services_judged")):
        if have is None or not listed <= have:
            judged = None if assessments is None else assessments.get(key)
            if judged is None or have is None:
                if judged is not True:
                    undetermined = True
            elif not judged:
                return INELIGIBLE
    ready = s.ready_to_move_in
    if ready is None:
        undetermined = True
    elif not ready:
        return INELIGIBLE
    # 第五条(三): management systems; a sustainable business model (judged)
    systems = s.systems
    if systems is None or not SYSTEMS <= systems:  # noqa: SIM300 - as the other two
        judged = None if assessments is None else assessments.get("systems_judged")
        if judged is None or systems is None:
            if judged is not True:
                undetermined = True
        elif not judged:
            return INELIGIBLE
    # 第五条(四): mentors, staff and two judgements (with business_model from (三))
    mentors = s.mentors
    if mentors is None:
        undetermined = True
    elif mentors < MIN_MENTORS:
        return INELIGIBLE
    staff = s.staff
    if staff is None:
        undetermined = True
    elif staff < MIN_STAFF:
        return INELIGIBLE
    if assessments is None:
        undetermined = True
    else:
        for key in ("business_model", "staff_competence", "mentor_mechanism"):
            judged = assessments.get(key)
            if judged is None:
                undetermined = True
            elif not judged:
                return INELIGIBLE
    # 第五条(五): a seed fund of 100万元, or partners with 2 successful investments
    seed = s.seed_fund
    if seed is None or seed < SEED_FUND:
        partners, successes = s.investor_partners, s.successful_investments
        if (partners is not None and partners < 1) or (successes is not None and successes < 2):
            if seed is not None:
                return INELIGIBLE
            undetermined = True
        elif partners is None or successes is None:
            undetermined = True
    # 第五条(六): six months' free residency
    residency = _months_at_least(s.free_residency, RESIDENCY_MONTHS, _RESIDENCY_DAYS)
    if residency == NOT_MET:
        return INELIGIBLE
    if residency == UNKNOWN:
        undetermined = True
    return UNDETERMINED if undetermined else ELIGIBLE


# ---------------------------------------------------------------- with the failures


class Failure(NamedTuple):
    """One condition not met: which, on what field, found, required, and how far apart.

    For a list of items the gap is the items lacking; for half a year of operation the
    required value is the day the half year is complete and the gap the days short.
    """

    criterion: str
    field: str
    actual: Any
    required: Any
    gap: Any


def _at_least(criterion: str, field: str, actual: Any, required: Any,
              out: list[Failure]) -> int:
    if actual is None:
        return UNKNOWN
    if actual >= required:
        return MET
    out.append(Failure(criterion, field, actual, required, Fraction(required) - Fraction(actual)))
    return NOT_MET


def _duration_at_least(criterion: str, field: str, actual: Duration | None, months: int,
                       days: tuple[int, int], out: list[Failure]) -> int:
    truth = _months_at_least(actual, months, days)
    if truth == NOT_MET and actual is not None:
        required = Duration(months=months)
        gap = None if actual.days else Duration(months=months - actual.months)
        out.append(Failure(criterion, field, actual, required, gap))
    return truth


def _judged(key: str, assessments: Any, out: list[Failure]) -> int:
    given = None if assessments is None else assessments.get(key)
    if given is None:
        return UNKNOWN
    if given:
        return MET
    out.append(Failure(key, key, False, True, None))
    return NOT_MET


def _listed_or_judged(name: str, field: str, have: frozenset[Any] | None,
                      listed: frozenset[Any], assessments: Any, out: list[Failure]) -> int:
    if have is not None and listed <= have:
        return MET
    lacking: list[Failure] = []
    if have is not None:
        lacking.append(Failure(f"{name}_listed", field, have, listed, listed - have))
    judged = _judged(f"{name}_judged", assessments, lacking)
    if judged == MET:
        return MET
    if have is None or judged == UNKNOWN:
        return UNKNOWN
    out.extend(lacking)
    return NOT_MET


def explain_failures(s: MakerSpace, as_of: date) -> tuple[str, list[Failure]]:  # noqa: PLR0915
    """The decision and every failure (not only the first), each with its numbers."""
    out: list[Failure] = []
    truths: list[int] = []
    add = truths.append
    op = s.operator
    assessments = None if op is None else op.assessments
    province = None if op is None else op.registered_province
    if province is None:
        add(UNKNOWN)
    elif province in HUNAN:
        add(MET)
    else:
        add(NOT_MET)
        out.append(Failure("registered_in_hunan", "registered_province", province, HUNAN, None))
    form = None if op is None else op.legal_form
    if form is None:
        add(UNKNOWN)
    elif form is LegalForm.legal_person:
        add(MET)
    else:
        add(NOT_MET)
        out.append(Failure("legal_person", "legal_form", form, LegalForm.legal_person, None))
    premises = s.premises
    if premises is Premises.owned:
        add(MET)
    else:
        lease: list[Failure] = []
        truth = _duration_at_least("lease", "lease_term", s.lease_term, LEASE_MONTHS,
                                   _LEASE_DAYS, lease)
        if truth == NOT_MET and premises is None:
            truth = UNKNOWN
        elif truth == NOT_MET:
            out.extend(lease)
        add(truth)
    area = s.area
    add(_at_least("area", "area", area, MIN_AREA, out))
    add(_at_least("teams", "teams", s.teams, MIN_TEAMS, out))
    opened = s.established_on
    if opened is None or opened.year > 9998:
        add(UNKNOWN)
    else:
        end = add_period(opened, Duration(months=OPERATING_MONTHS)).last_day
        if as_of >= end:
            add(MET)
        else:
            add(NOT_MET)
            out.append(Failure("operating_half_year", "established_on", opened, end,
                               (end - as_of).days))
    public = s.public_area
    if public is None or area is None:
        add(UNKNOWN)
    else:
        required = Fraction(area) * Fraction(3, 10)
        if public >= required:
            add(MET)
        else:
            add(NOT_MET)
            out.append(Failure("public_area", "public_area", public, required,
                               required - Fraction(public)))
    add(_listed_or_judged("facilities", "facilities", s.facilities, FACILITIES, assessments,
                          out))
    ready = s.ready_to_move_in
    if ready is None:
        add(UNKNOWN)
    elif ready:
        add(MET)
    else:
        add(NOT_MET)
        out.append(Failure("ready_to_move_in", "ready_to_move_in", False, True, None))
    add(_listed_or_judged("services", "services", s.services, SERVICES, assessments, out))
    add(_listed_or_judged("systems", "systems", s.systems, SYSTEMS, assessments, out))
    add(_judged("business_model", assessments, out))
    add(_at_least("mentors", "mentors", s.mentors, MIN_MENTORS, out))
    add(_at_least("staff", "staff", s.staff, MIN_STAFF, out))
    add(_judged("staff_competence", assessments, out))
    add(_judged("mentor_mechanism", assessments, out))
    funding: list[Failure] = []
    seed = _at_least("funding", "seed_fund", s.seed_fund, SEED_FUND, funding)
    partners = _at_least("funding", "investor_partners", s.investor_partners, 1, funding)
    successes = _at_least("funding", "successful_investments", s.successful_investments, 2,
                          funding)
    investors = NOT_MET if NOT_MET in (partners, successes) else \
        UNKNOWN if UNKNOWN in (partners, successes) else MET
    if MET in (seed, investors):
        add(MET)
    elif UNKNOWN in (seed, investors):
        add(UNKNOWN)
    else:
        add(NOT_MET)
        out.extend(funding)
    add(_duration_at_least("free_residency", "free_residency", s.free_residency,
                           RESIDENCY_MONTHS, _RESIDENCY_DAYS, out))
    if NOT_MET in truths:
        return INELIGIBLE, out
    return (UNDETERMINED if UNKNOWN in truths else ELIGIBLE), []


def check_month_arithmetic() -> int:
    """Disagreements of the inlined month arithmetic with add_period (must be 0).

    Every opening day of 2015-2017 against every assessment day from 2015-07 to 2018-06.
    """
    bad = 0
    half_year = Duration(months=OPERATING_MONTHS)
    opened = date(2015, 1, 1)
    while opened.year < 2018:
        end = add_period(opened, half_year).last_day
        for offset in (-2, -1, 0, 1, 2, 31):
            as_of = end + timedelta(days=offset)
            if _half_year_complete(opened, as_of) != (as_of >= end):
                bad += 1
        opened += timedelta(days=1)
    return bad
