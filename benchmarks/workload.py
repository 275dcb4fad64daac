"""The benchmark workload: MakerSpace applications for ``hunan.recognition``.

Records are generated deterministically from ``random.Random(2016)``: about 30% meet
every condition of 第五条 as of 2016-09-01, most of the rest fail one to three
criteria, and about a tenth lack a fact or a reviewer's judgement (undetermined), some
of them failing a criterion as well. Values are written the way a filing portal
receives them: quantities as text with units (``"514.2 m2"``, ``"100万元"``, ``"3 years"``,
``"半年"``) or as bare numbers in the canonical unit (m2, 元, months), dates as ISO text,
enum values by English name or Chinese label. Borderline values are deliberate: areas of
exactly 500 m2, public areas of exactly 30% (514.2 and 154.26, which a float gets
wrong), openings exactly half a year before the assessment date and month ends.

:func:`iter_dicts` is lazy (10^5 and 10^6 records for the scale test never sit in
memory); :func:`dicts` and :func:`records` build the 10^4 workload as plain dicts and
as attrs records (:func:`policykit.records.structure`).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from policykit.records import (
    Facility,
    LegalForm,
    MakerSpace,
    Premises,
    Service,
    System,
    structure,
)

__all__ = [
    "AS_OF",
    "N_RECORDS",
    "POLICY_ID",
    "SEED",
    "dicts",
    "iter_dicts",
    "make_record",
    "records",
    "summary",
]

SEED = 2016
N_RECORDS = 10_000
AS_OF = date(2016, 9, 1)
POLICY_ID = "hunan.recognition"

FACILITIES = ("power", "water", "fire_safety", "telecom", "network")
SERVICES = ("rd_design", "tech_transfer", "certification_testing", "incubation", "ip",
            "consulting", "finance", "info_platform")
EXTRA_SERVICES = ("tech_intermediary", "results_trading")
SYSTEMS = ("entry_evaluation", "exit", "financial", "archive", "info_sharing",
           "secretary_contact")
EXTRA_SYSTEMS = ("graduation", "project_selection", "info_management", "mentor_workflow")
JUDGED = ("business_model", "staff_competence", "mentor_mechanism")

_LABELS: dict[str, str] = {
    m.value: m.label for enum in (Facility, Service, System, LegalForm, Premises) for m in enum
}
_CITIES = ("长沙", "株洲", "湘潭", "衡阳", "岳阳", "常德", "郴州")
_OTHER_PROVINCES = ("湖北", "广东省", "江西", "北京市")
_CENT = Decimal("0.01")
_LATEST_OPENING = date(2016, 3, 1)  # + 6 months = 2016-09-01: exactly half a year


Record = dict[str, Any]


def _name_or_label(rng: random.Random, value: str, chinese: bool) -> str:
    return _LABELS[value] if chinese else value


def _decimal(rng: random.Random, low: int, high: int) -> Decimal:
    """A number of m2 or 元 with zero, one or two decimals."""
    whole = rng.randint(low, high)
    places = rng.choice((0, 0, 0, 1, 2))
    if places == 0:
        return Decimal(whole)
    fraction = rng.randint(1, 10**places - 1)
    return Decimal(whole) + Decimal(fraction).scaleb(-places)


def _area_text(rng: random.Random, value: Decimal) -> Any:
    form = rng.random()
    if form < 0.45:
        return f"{value} m2"
    if form < 0.75:
        return f"{value}平方米"
    if form < 0.90 and value == value.to_integral_value():
        return int(value)
    return value  # a bare Decimal, as policykit.records.load_data reads JSON numbers


def _money_text(rng: random.Random, yuan: Decimal) -> Any:
    form = rng.random()
    wan = yuan / 10000
    if form < 0.6 and wan == wan.to_integral_value():
        return f"{int(wan)}万元"
    if form < 0.8:
        return f"{yuan} 元"
    if yuan == yuan.to_integral_value():
        return int(yuan)
    return yuan


def _months_text(rng: random.Random, months: int) -> Any:
    form = rng.random()
    if months == 6 and form < 0.25:
        return "半年"
    if months % 12 == 0 and form < 0.55:
        return rng.choice((f"{months // 12} years", f"{months // 12}年"))
    if form < 0.85:
        return rng.choice((f"{months} months", f"{months}个月"))
    return months  # a bare number of months


def _listed(rng: random.Random, listed: tuple[str, ...], extra: tuple[str, ...],
            chinese: bool, drop: int = 0) -> list[str]:
    kept = list(listed)
    for _ in range(drop):
        kept.remove(rng.choice(kept))
    kept += rng.sample(extra, rng.randint(0, min(2, len(extra))))
    rng.shuffle(kept)
    return [_name_or_label(rng, v, chinese) for v in kept]


def _opening(rng: random.Random) -> date:
    if rng.random() < 0.08:
        return _LATEST_OPENING  # exactly half a year before the assessment date
    return _LATEST_OPENING - timedelta(days=rng.randint(1, 6 * 365))


# ---------------------------------------------------------------- an eligible applicant


def _eligible(rng: random.Random, index: int) -> Record:
    chinese = rng.random() < 0.15
    area = Decimal(500) if rng.random() < 0.06 else _decimal(rng, 500, 5000)
    if rng.random() < 0.08 and area.as_tuple().exponent in (0, -1):
        public = area * 3 / 10  # exactly 30%: 514.2 -> 154.26
    else:
        least = (area * 3 / 10).quantize(_CENT, rounding=ROUND_CEILING)
        public = least + _decimal(rng, 0, int(area) // 3)
    operator: Record = {
        "name": f"湖南众创服务有限公司{index:07d}",
        "registered_province": rng.choice(("湖南", "湖南", "湖南省")),
        "registered_city": rng.choice(_CITIES),
        "legal_form": _name_or_label(rng, "legal_person", chinese),
        "nature": rng.choice(("private", "state_owned", "public_institution")),
        "kind": "maker_space",
        "assessments": dict.fromkeys(JUDGED, True),
    }
    record: Record = {
        "name": f"众创空间{index:07d}",
        "operator": operator,
        "established_on": _opening(rng).isoformat(),
        "area": _area_text(rng, area),
        "public_area": _area_text(rng, public),
        "ready_to_move_in": True,
        "teams": rng.choice((10, rng.randint(10, 80))),
        "mentors": rng.choice((3, rng.randint(3, 30))),
        "staff": rng.choice((5, rng.randint(5, 40))),
        "free_residency": _months_text(rng, rng.choice((6, 6, 12, 18, 24))),
        "facilities": _listed(rng, FACILITIES, (), chinese),
        "services": _listed(rng, SERVICES, EXTRA_SERVICES, chinese),
        "systems": _listed(rng, SYSTEMS, EXTRA_SYSTEMS, chinese),
    }
    if rng.random() < 0.7:
        record["premises"] = _name_or_label(rng, "leased", chinese)
        record["lease_term"] = _months_text(rng, rng.choice((36, 36, 48, 60, 40, 120)))
    else:
        record["premises"] = _name_or_label(rng, "owned", chinese)
    if rng.random() < 0.6:
        record["seed_fund"] = _money_text(rng, Decimal(rng.choice((100, 100, 150, 200, 500)))
                                          * 10000)
        record["investor_partners"] = rng.randint(0, 3)
        record["successful_investments"] = rng.randint(0, 5)
    else:  # the second way: investment partners with at least two successful investments
        if rng.random() < 0.5:
            record["seed_fund"] = _money_text(rng, _decimal(rng, 0, 999_999))
        record["investor_partners"] = rng.randint(1, 4)
        record["successful_investments"] = rng.randint(2, 9)
    # 第五条(二)(三) end their lists with 等: a reviewer may accept fewer than all.
    for field, listed, extra, key in (("services", SERVICES, EXTRA_SERVICES, "services_judged"),
                                      ("systems", SYSTEMS, EXTRA_SYSTEMS, "systems_judged"),
                                      ("facilities", FACILITIES, (), "facilities_judged")):
        if rng.random() < 0.05:
            record[field] = _listed(rng, listed, extra, chinese, drop=rng.randint(1, 3))
            operator["assessments"][key] = True
    if rng.random() < 0.3:
        record["activities_per_year"] = rng.randint(4, 60)
        record["online_platform"] = rng.random() < 0.5
        record["specialized"] = rng.random() < 0.3
    return record


# ---------------------------------------------------------------- failing one criterion

Fault = Callable[[random.Random, Record], None]


def _op(record: Record) -> Record:
    operator: Record = record["operator"]
    return operator


def _not_in_hunan(rng: random.Random, r: Record) -> None:
    _op(r)["registered_province"] = rng.choice(_OTHER_PROVINCES)


def _not_legal_person(rng: random.Random, r: Record) -> None:
    _op(r)["legal_form"] = rng.choice(("social_organization", "affiliated_unit",
                                       "unincorporated", "其他社会组织"))


def _short_lease(rng: random.Random, r: Record) -> None:
    r["premises"] = rng.choice(("leased", "租赁"))
    r["lease_term"] = _months_text(rng, rng.choice((35, 24, 12, 30)))


def _small(rng: random.Random, r: Record) -> None:
    r["area"] = _area_text(rng, rng.choice((Decimal("499.9"), Decimal("499.99"),
                                            _decimal(rng, 100, 499))))


def _few_teams(rng: random.Random, r: Record) -> None:
    r["teams"] = rng.randint(0, 9)


def _too_new(rng: random.Random, r: Record) -> None:
    # 2016-03-02 is one day short; 2016-03-31 + 6 months is clamped to 2016-09-30.
    opened = rng.choice((date(2016, 3, 2), date(2016, 3, 31),
                         _LATEST_OPENING + timedelta(days=rng.randint(1, 170))))
    r["established_on"] = opened.isoformat()


def _little_public(rng: random.Random, r: Record) -> None:
    area = Decimal("514.2") if rng.random() < 0.3 else _decimal(rng, 500, 3000)
    r["area"] = _area_text(rng, area)
    least = (area * 3 / 10).quantize(_CENT, rounding=ROUND_CEILING)
    short = rng.choice((_CENT, Decimal(1), (least / 2).quantize(_CENT)))
    r["public_area"] = _area_text(rng, least - short)


def _lacking(field: str, listed: tuple[str, ...], key: str) -> Fault:
    def fault(rng: random.Random, r: Record) -> None:
        r[field] = _listed(rng, listed, (), False, drop=rng.randint(1, 3))
        _op(r)["assessments"][key] = False  # the reviewer did not accept the shortfall

    return fault


def _not_ready(rng: random.Random, r: Record) -> None:
    r["ready_to_move_in"] = False


def _judged_no(key: str) -> Fault:
    def fault(rng: random.Random, r: Record) -> None:
        _op(r)["assessments"][key] = False

    return fault


def _few_mentors(rng: random.Random, r: Record) -> None:
    r["mentors"] = rng.randint(0, 2)


def _few_staff(rng: random.Random, r: Record) -> None:
    r["staff"] = rng.randint(0, 4)


def _no_funding(rng: random.Random, r: Record) -> None:
    r["seed_fund"] = _money_text(rng, rng.choice((Decimal("999999.99"), Decimal(800000),
                                                  _decimal(rng, 0, 999_999))))
    if rng.random() < 0.5:
        r["investor_partners"], r["successful_investments"] = 0, rng.randint(0, 5)
    else:
        r["investor_partners"], r["successful_investments"] = rng.randint(1, 3), 1


def _short_residency(rng: random.Random, r: Record) -> None:
    r["free_residency"] = _months_text(rng, rng.randint(0, 5))


FAULTS: dict[str, Fault] = {
    "registered_in_hunan": _not_in_hunan,
    "legal_person": _not_legal_person,
    "lease": _short_lease,
    "area": _small,
    "teams": _few_teams,
    "operating_half_year": _too_new,
    "public_area": _little_public,
    "facilities": _lacking("facilities", FACILITIES, "facilities_judged"),
    "ready_to_move_in": _not_ready,
    "services": _lacking("services", SERVICES, "services_judged"),
    "systems": _lacking("systems", SYSTEMS, "systems_judged"),
    "business_model": _judged_no("business_model"),
    "mentors": _few_mentors,
    "staff": _few_staff,
    "staff_competence": _judged_no("staff_competence"),
    "mentor_mechanism": _judged_no("mentor_mechanism"),
    "funding": _no_funding,
    "free_residency": _short_residency,
}
"""One way to fail each criterion of 第五条, by the criterion's name in the policy."""


# ---------------------------------------------------------------- a fact or judgement owed


def _unknown(rng: random.Random, r: Record) -> None:
    choice = rng.randrange(10)
    if choice == 0:
        del r["area"]  # area and public_area unknown
    elif choice == 1:
        del r["teams"]
    elif choice == 2:
        del r["established_on"]
    elif choice == 3:
        del _op(r)["registered_province"]
    elif choice == 4:  # leased, term not given
        r["premises"] = "leased"
        r.pop("lease_term", None)
    elif choice == 5:  # neither way of funding settled
        r.pop("seed_fund", None)
        r["investor_partners"] = 0
    elif choice == 6:  # a judgement still owed
        del _op(r)["assessments"][rng.choice(JUDGED)]
    elif choice == 7:  # fewer services than listed, and no judgement yet
        r["services"] = _listed(rng, SERVICES, (), False, drop=1)
        _op(r)["assessments"].pop("services_judged", None)
    elif choice == 8:  # no operator at all: province, legal form and judgements unknown
        del r["operator"]
    else:
        del r["ready_to_move_in"]


def _harmless_gap(rng: random.Random, r: Record) -> None:
    """An absent fact that does not matter: the policy decides without it."""
    if rng.random() < 0.5 and r.get("lease_term") is not None:
        del r["premises"]  # premises unknown, but the lease is long enough anyway
    elif "seed_fund" in r and int(r.get("successful_investments", 0)) >= 2 \
            and int(r.get("investor_partners", 0)) >= 1:
        del r["seed_fund"]  # the other way of funding holds
    else:
        r.pop("activities_per_year", None)


# ---------------------------------------------------------------- the generator


def make_record(rng: random.Random, index: int) -> Record:
    """One application, drawn from ``rng`` (the ``index`` only names it)."""
    record = _eligible(rng, index)
    draw = rng.random()
    if draw < 0.30:
        if rng.random() < 0.1:
            _harmless_gap(rng, record)
    elif draw < 0.885:
        for name in rng.sample(sorted(FAULTS), rng.choice((1, 1, 1, 2, 2, 3))):
            FAULTS[name](rng, record)
        if rng.random() < 0.1:
            _unknown(rng, record)
    else:
        _unknown(rng, record)
    return record


def iter_dicts(n: int, seed: int = SEED) -> Iterator[Record]:
    """``n`` applications as plain dicts, lazily; the first 10^4 are :func:`dicts`."""
    rng = random.Random(seed)
    for index in range(n):
        yield make_record(rng, index)


def dicts(n: int = N_RECORDS, seed: int = SEED) -> list[Record]:
    """The workload as plain dicts (JSON-like data, as a portal receives it)."""
    return list(iter_dicts(n, seed))


def records(data: list[Record]) -> list[MakerSpace]:
    """The same applications as attrs records, validated and converted once."""
    return [structure(d, MakerSpace, "space") for d in data]


def summary(outcomes: list[str]) -> dict[str, int]:
    """How many of each outcome, for the report."""
    return dict(sorted(Counter(outcomes).items()))
