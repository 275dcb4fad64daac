"""The record vocabulary: enums, records, structuring plain data, and safe loading."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykit.calendar import Duration
from policykit.errors import RecordError, RecordProblem
from policykit.records import (
    RECORD_TYPES,
    Ballot,
    ChairTerm,
    CoopBaseApplicant,
    Document,
    Expense,
    Facility,
    FieldInfo,
    FilingApplication,
    FrozenMap,
    LegalForm,
    Level,
    MakerSpace,
    Meetings,
    Nature,
    Organization,
    OrgKind,
    Premises,
    Proposal,
    RegionStats,
    Route,
    Seating,
    Service,
    System,
    Term,
    load_data,
    schema_fields,
    structure,
    unstructure,
)
from policykit.stdlib.units import Dim
from policykit.types import (
    BOOL,
    DATE,
    INT,
    TEXT,
    EnumT,
    ListT,
    MapT,
    QuantityT,
    RecordT,
    SetT,
)


def problems(data: object, cls: type = MakerSpace, path: str = "space") -> list[RecordProblem]:
    with pytest.raises(RecordError) as info:
        structure(data, cls, path)
    return list(info.value.problems)


def only_problem(data: object, cls: type = MakerSpace, path: str = "space") -> RecordProblem:
    found = problems(data, cls, path)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------------------
# Enums


def test_enum_value_is_english_name_and_label_is_chinese() -> None:
    assert Service.rd_design.value == "rd_design"
    assert Service.rd_design.label == "研发设计"
    assert System.exit.label == "退出/淘汰"
    assert Route.self.value == "self"
    assert Route.self.label == "自行申请"


def test_enum_member_counts_match_the_spec() -> None:
    # The spec's members (spec/bundled-records.md), and the additions since (add-only):
    # Document.org_profile, 附件1 组织机构简介 of the intl.coop_base measures (issue 11).
    counts = {
        LegalForm: 4, Nature: 4, OrgKind: 15, Level: 5, Premises: 2, Service: 10,
        Facility: 5, System: 10, Document: 12 + 1, Route: 6,
    }
    assert {enum: len(enum) for enum in counts} == counts
    assert list(Document)[-1].value == "org_profile"  # added after the spec's twelve


def test_lookup_by_english_name_or_chinese_label() -> None:
    assert Service.lookup("ip") is Service.ip
    assert Service.lookup("知识产权") is Service.ip
    assert LegalForm.lookup("依托法人设立的相对独立机构") is LegalForm.affiliated_unit
    assert Service.lookup("IP") is None
    assert Service.lookup(" ip") is None
    assert Service.lookup(3) is None
    assert Service.lookup(["ip"]) is None


def test_level_is_ordered_by_rank() -> None:
    assert [level.rank for level in Level] == [0, 1, 2, 3, 4]
    assert Level.none < Level.county < Level.city < Level.provincial < Level.national
    assert Level.provincial >= Level.city
    assert not Level.city >= Level.provincial
    assert max(Level.city, Level.national, Level.county) is Level.national
    assert Level.national.rank == 4


def test_level_does_not_compare_with_other_enums() -> None:
    with pytest.raises(TypeError):
        _ = Level.city < Premises.owned


# ---------------------------------------------------------------------------
# Records and their schema


def test_every_field_defaults_to_none() -> None:
    for cls in RECORD_TYPES.values():
        record = cls()
        assert all(getattr(record, a.name) is None for a in attrs.fields(cls)), cls


def test_records_are_frozen_and_hashable() -> None:
    space = MakerSpace(area=Decimal(500), services=frozenset({Service.ip}))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        space.area = Decimal(1)  # type: ignore[misc]
    assert hash(space) == hash(MakerSpace(area=Decimal("500.0"), services=frozenset({Service.ip})))


def test_record_types_lists_every_record() -> None:
    assert set(RECORD_TYPES) == {
        "Organization", "CoopBaseApplicant", "MakerSpace", "FilingApplication", "Ballot",
        "Proposal", "Seating", "Meetings", "Term", "Procedure", "ChairTerm", "Expense",
        "RegionStats",
    }
    assert RECORD_TYPES["MakerSpace"] is MakerSpace


def test_coop_base_applicant_is_an_organization_with_more_fields() -> None:
    assert issubclass(CoopBaseApplicant, Organization)
    fields = schema_fields(CoopBaseApplicant)
    assert "legal_form" in fields
    assert fields["intl_platforms"].type == INT
    assert fields["overseas_plan"].label == "近期在海外设立相关机构的计划和行动"
    assert "intl_platforms" not in schema_fields(Organization)


def test_schema_fields_of_maker_space() -> None:
    fields = schema_fields(MakerSpace)
    assert list(fields)[:3] == ["name", "operator", "specialty"]
    assert fields["area"] == FieldInfo("area", "场地面积", "floor area", QuantityT(Dim.AREA))
    assert fields["seed_fund"].type == QuantityT(Dim.MONEY)
    assert fields["free_residency"].type == QuantityT(Dim.DURATION)
    assert fields["operator"].type == RecordT(Organization)
    assert fields["services"].type == SetT(Service)
    assert fields["premises"].type == EnumT(Premises)
    assert fields["teams"].type == INT
    assert fields["ready_to_move_in"].label == "具备“即入即开”条件"
    assert fields["in_national_hitech_zone"].type == BOOL
    assert fields["filing_level"] == FieldInfo(
        "filing_level", "备案级别", "filing level", EnumT(Level)
    )
    assert len(fields) == 27


def test_schema_fields_of_other_records() -> None:
    assert schema_fields(Organization)["assessments"].type == MapT(BOOL)
    assert schema_fields(Organization)["declarations"].type == ListT(TEXT)
    assert schema_fields(Organization)["recognition_level"].label == (
        "经科技主管部门认定（备案）的最高级别"
    )
    assert schema_fields(FilingApplication)["form"].type == MapT(TEXT)
    assert schema_fields(FilingApplication)["space"].type == RecordT(MakerSpace)
    assert schema_fields(Meetings)["held_on"].type == ListT(DATE)
    assert schema_fields(Seating)["seats"].type == MapT(INT)
    assert schema_fields(Expense)["amount"].type == QuantityT(Dim.MONEY)
    assert list(schema_fields(Ballot)) == [
        "body", "members", "present", "yes", "no", "abstain", "held_on"
    ]
    assert len(schema_fields(RegionStats)) == 11
    assert all(f.type == INT for f in schema_fields(RegionStats).values())
    assert schema_fields(ChairTerm)["summary_submitted"].type == BOOL
    assert list(schema_fields(Term)) == ["body", "role", "term_started"]
    assert schema_fields(Proposal)["proposers"].type == ListT(TEXT)


def test_schema_fields_returns_a_copy() -> None:
    schema_fields(MakerSpace).clear()
    assert "area" in schema_fields(MakerSpace)


def test_every_field_has_both_labels() -> None:
    for cls in RECORD_TYPES.values():
        for info in schema_fields(cls).values():
            assert info.label and info.label_en, (cls, info.name)


def test_frozen_map() -> None:
    m = FrozenMap({"b": True, "a": False})
    assert m["a"] is False
    assert m.get("c") is None
    assert list(m) == ["a", "b"]
    assert list(m.keys()) == ["a", "b"]
    assert list(m.items()) == [("a", False), ("b", True)]
    assert len(m) == 2
    assert m == FrozenMap([("a", False), ("b", True)])
    assert m == {"a": False, "b": True}
    assert m != {"a": False}
    assert hash(m) == hash(FrozenMap({"a": False, "b": True}))
    assert m.get("a", True) is False and m.get("c", 7) == 7
    assert "a" in m and "c" not in m
    with pytest.raises(AttributeError):
        m._items = ()


def test_frozen_map_copies_and_pickles() -> None:
    m = FrozenMap({"b": True, "a": False})
    for twin in (copy.copy(m), copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert twin == m and hash(twin) == hash(m) and list(twin) == ["a", "b"]
    record = MakerSpace(operator=Organization(assessments=m))
    assert copy.deepcopy(record) == record


# ---------------------------------------------------------------------------
# Structuring: the good cases


def test_structure_a_maker_space() -> None:
    data = {
        "name": "麓谷创客",
        "operator": {"name": "麓谷公司", "legal_form": "独立法人", "kind": "incubator",
                     "recognition_level": "省级", "documents": ["营业执照", "application_form"],
                     "assessments": {"staff": True}, "declarations": ["supports_charter"]},
        "established_on": "2016-03-01",
        "area": "500 m2",
        "public_area": "300平方米",
        "premises": "租赁",
        "lease_term": "3 years",
        "seed_fund": "100万元",
        "free_residency": "半年",
        "services": ["ip", "研发设计", "ip"],
        "teams": 10,
        "ready_to_move_in": True,
    }
    space = structure(data, MakerSpace)
    assert space == MakerSpace(
        name="麓谷创客",
        operator=Organization(
            name="麓谷公司", legal_form=LegalForm.legal_person, kind=OrgKind.incubator,
            recognition_level=Level.provincial,
            documents=frozenset({Document.business_license, Document.application_form}),
            assessments=FrozenMap({"staff": True}),
            declarations=frozenset({"supports_charter"}),
        ),
        established_on=date(2016, 3, 1),
        area=Decimal("500"),
        public_area=Decimal("300"),
        premises=Premises.leased,
        lease_term=Duration(months=36),
        seed_fund=Decimal("1000000"),
        free_residency=Duration(months=6),
        services=frozenset({Service.ip, Service.rd_design}),
        teams=10,
        ready_to_move_in=True,
    )
    assert space.specialty is None
    assert space.operator is not None
    assert space.operator.assessments is not None
    assert space.operator.assessments["staff"] is True


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("area", "500 m2", Decimal("500")),
        ("area", "500平方米", Decimal("500")),
        ("area", "499.9㎡", Decimal("499.9")),
        ("area", 500, Decimal("500")),
        ("area", Decimal("514.2"), Decimal("514.2")),
        ("area", 0.1, Decimal("0.1")),
        ("area", 514.2, Decimal("514.2")),
        ("area", "500", Decimal("500")),
        ("seed_fund", "100万元", Decimal("1000000")),
        ("seed_fund", "0.01亿元", Decimal("1000000")),
        ("seed_fund", "1000000 元", Decimal("1000000")),
        ("seed_fund", 1000000, Decimal("1000000")),
        ("free_residency", "半年", Duration(months=6)),
        ("free_residency", "6个月", Duration(months=6)),
        ("free_residency", "3 years", Duration(months=36)),
        ("free_residency", "35 months", Duration(months=35)),
        ("free_residency", "180 days", Duration(days=180)),
        ("free_residency", 6, Duration(months=6)),
        ("free_residency", Duration(days=90), Duration(days=90)),
    ],
)
def test_quantities(field: str, raw: object, expected: object) -> None:
    value = getattr(structure({field: raw}, MakerSpace), field)
    assert value == expected
    assert type(value) is type(expected)


def test_a_python_float_arrives_as_the_decimal_it_reads_as() -> None:
    area = structure({"area": 0.1}, MakerSpace).area
    assert area == Decimal("0.1")
    assert area != Decimal.from_float(0.1)  # not the binary value of the float


def test_dates_from_iso_text_or_date() -> None:
    assert structure({"established_on": "2016-02-29"}, MakerSpace).established_on == date(
        2016, 2, 29
    )
    assert structure({"established_on": date(2016, 9, 1)}, MakerSpace).established_on == date(
        2016, 9, 1
    )


def test_filing_level_of_a_maker_space() -> None:
    assert structure({"filing_level": "省级"}, MakerSpace).filing_level is Level.provincial
    assert structure({"filing_level": "national"}, MakerSpace).filing_level is Level.national
    assert structure({}, MakerSpace).filing_level is None


def test_chinese_enum_labels_are_accepted() -> None:
    space = structure({"premises": "自有", "facilities": ["供电", "network"]}, MakerSpace)
    assert space.premises is Premises.owned
    assert space.facilities == frozenset({Facility.power, Facility.network})


def test_enum_members_are_accepted_as_themselves() -> None:
    assert structure({"premises": Premises.leased}, MakerSpace).premises is Premises.leased


def test_sets_accept_lists_tuples_and_sets() -> None:
    for value in (["ip", "finance"], ("ip", "finance"), {"ip", "finance"},
                  frozenset({"ip", "finance"})):
        assert structure({"services": value}, MakerSpace).services == frozenset(
            {Service.ip, Service.finance}
        )


def test_absent_and_null_fields_are_unknown() -> None:
    assert structure({}, MakerSpace) == MakerSpace()
    assert structure({"area": None, "operator": None, "services": None}, MakerSpace) == (
        MakerSpace()
    )


def test_an_instance_is_returned_unchanged() -> None:
    space = MakerSpace(teams=3)
    assert structure(space, MakerSpace) is space


def test_a_nested_instance_is_kept() -> None:
    operator = Organization(name="x")
    assert structure({"operator": operator}, MakerSpace).operator is operator


def test_the_callers_data_is_not_mutated() -> None:
    data: dict[str, Any] = {
        "operator": {"legal_form": "独立法人", "assessments": {"staff": True},
                     "documents": ["营业执照"]},
        "services": ["ip", "ip"],
        "area": "500 m2",
        "teams": 3,
    }
    before = copy.deepcopy(data)
    structure(data, MakerSpace)
    assert data == before
    bad = {"area": "big", "operator": {"legal_form": "nope"}, "services": "ip"}
    bad_before = copy.deepcopy(bad)
    problems(bad)
    assert bad == bad_before


def test_governance_records() -> None:
    ballot = structure({"members": 20, "yes": 11, "no": 9, "abstain": 0}, Ballot)
    assert ballot == Ballot(members=20, yes=11, no=9, abstain=0)
    meetings = structure({"body": "理事会", "held_on": ["2020-01-10", "2020-07-01"]}, Meetings)
    assert meetings.held_on == (date(2020, 1, 10), date(2020, 7, 1))
    seating = structure({"body": "理事会", "seats": {"chair": 1, "director": 5}}, Seating)
    assert seating.seats == {"chair": 1, "director": 5}
    proposal = structure({"body": "大会", "proposers": ["chair", "member", "member"]}, Proposal)
    assert proposal.proposers == ("chair", "member", "member")
    expense = structure({"amount": "2万元", "purpose": "活动", "within_scope": True}, Expense)
    assert expense.amount == Decimal("20000")
    filing = structure(
        {"route": "所在地科技局", "form": {"leader_bio": "张三"}, "space": {"teams": 4}},
        FilingApplication,
    )
    assert filing.route is Route.city_science_bureau
    assert filing.form == {"leader_bio": "张三"}
    assert filing.space == MakerSpace(teams=4)
    coop = structure({"legal_form": "legal_person", "intl_platforms": 2}, CoopBaseApplicant)
    assert coop == CoopBaseApplicant(legal_form=LegalForm.legal_person, intl_platforms=2)


# ---------------------------------------------------------------------------
# Structuring: the errors


def test_bool_is_not_an_int() -> None:
    assert only_problem({"teams": True}) == RecordProblem(
        "space.teams", "expected a whole number, got true"
    )


def test_a_float_is_not_a_whole_number_even_when_integral() -> None:
    assert only_problem({"teams": 10.0}) == RecordProblem(
        "space.teams", "expected a whole number, got 10.0"
    )
    assert only_problem({"teams": Decimal("10")}).message == "expected a whole number, got 10"
    assert only_problem({"teams": "10"}).message == 'expected a whole number, got "10"'


def test_negative_and_huge_whole_numbers() -> None:
    assert only_problem({"teams": -1}).message == (
        "expected a whole number that is not negative, got -1"
    )
    assert only_problem({"teams": 10**30}).message.startswith(
        "expected a whole number of at most 30 digits"
    )
    assert structure({"teams": 10**30 - 1}, MakerSpace).teams == 10**30 - 1
    assert "at most 30 digits" in only_problem({"teams": 10**5000}).message


def test_bool_fields_take_only_booleans() -> None:
    for value, shown in (("yes", '"yes"'), (1, "1"), (0, "0"), ("true", '"true"')):
        assert only_problem({"specialized": value}) == RecordProblem(
            "space.specialized", f"expected true or false, got {shown}"
        )


def test_text_fields_take_only_text() -> None:
    assert only_problem({"name": 3}) == RecordProblem("space.name", "expected text, got 3")
    assert only_problem({"name": ["a"]}).message == 'expected text, got ["a"]'


def test_bad_dates() -> None:
    assert only_problem({"established_on": "2016-02-30"}) == RecordProblem(
        "space.established_on",
        'expected a date such as "2016-09-01", got "2016-02-30": there is no such day',
    )
    for value in ("20160301", "2016-3-1", "2016-W01-1", 20160301, "2016-03-01T00:00"):
        assert only_problem({"established_on": value}).message.startswith(
            'expected a date such as "2016-09-01", got'
        ), value
    assert only_problem({"established_on": datetime(2016, 3, 1, 12, 0)}).path == (
        "space.established_on"
    )


def test_a_quantity_that_does_not_parse() -> None:
    assert only_problem({"area": "big"}) == RecordProblem(
        "space.area", 'expected an area such as "500 m2", got "big"'
    )


def test_a_quantity_of_the_wrong_dimension() -> None:
    found = only_problem({"area": "100万元"})
    assert found.path == "space.area"
    assert found.message.startswith('expected an area such as "500 m2", got "100万元"')
    assert "amount of money" in found.message


def test_nan_and_infinity_are_refused() -> None:
    for value in (float("nan"), Decimal("NaN"), Decimal("sNaN")):
        assert only_problem({"area": value}).message.endswith(": not a number"), value
    for value in (float("inf"), float("-inf"), Decimal("Infinity")):
        assert only_problem({"area": value}).message.endswith(": not a finite number"), value
    assert only_problem({"area": "NaN"}).path == "space.area"
    assert only_problem({"area": "Infinity"}).path == "space.area"


def test_negative_quantities_are_refused() -> None:
    assert only_problem({"area": -5}) == RecordProblem(
        "space.area", 'expected an area such as "500 m2", got -5: a quantity is never negative'
    )
    assert only_problem({"seed_fund": Decimal("-0.5")}).path == "space.seed_fund"
    assert only_problem({"area": "-5 m2"}).path == "space.area"


def test_a_bool_is_not_a_quantity() -> None:
    assert only_problem({"area": True}).message == 'expected an area such as "500 m2", got true'


def test_huge_numbers_are_refused() -> None:
    assert "out of range" in only_problem({"area": Decimal("1e999999999")}).message
    text = only_problem({"area": "1e999999999"})
    assert text.path == "space.area"
    assert 'got "1e999999999"' in text.message
    assert "digits" in only_problem({"area": "1" * 31}).message
    assert "too long" in only_problem({"area": "1" * 500}).message
    assert "digits" in only_problem({"area": 10**5000}).message


def test_huge_number_from_json() -> None:
    data = load_data('{"area": 1e999999999, "teams": 1e999999999}', "json")
    found = problems(data)
    assert [p.path for p in found] == ["space.area", "space.teams"]
    assert "out of range" in found[0].message
    assert found[1].message == "expected a whole number, got 1E+999999999"


def test_a_duration_needs_whole_months_or_days() -> None:
    assert "whole number of months" in only_problem({"free_residency": 6.5}).message
    assert "whole number" in only_problem({"free_residency": "0.3 years"}).message
    assert structure({"free_residency": "0.5 years"}, MakerSpace).free_residency == (
        Duration(months=6)
    )


def test_a_bare_string_is_not_a_set() -> None:
    assert only_problem({"services": "ip"}) == RecordProblem(
        "space.services", 'expected a list of Service values, got "ip"'
    )
    assert only_problem({"operator": {"declarations": "x"}}).path == (
        "space.operator.declarations"
    )


def test_unknown_enum_values_list_the_allowed_names() -> None:
    found = only_problem({"premises": "rented"})
    assert found == RecordProblem(
        "space.premises",
        'expected a Premises (owned, leased, or its Chinese label), got "rented"',
    )
    assert only_problem({"premises": "Leased"}).message.endswith('; did you mean "leased"?')
    assert only_problem({"premises": 1}).message.endswith("got 1")


def test_set_items_are_reported_by_index() -> None:
    found = problems({"services": ["ip", "legal", 3]})
    assert [p.path for p in found] == ["space.services[1]", "space.services[2]"]
    assert found[0].message.startswith("expected a Service (rd_design, tech_transfer")
    assert found[0].message.endswith('got "legal"')
    assert found[1].message.endswith("got 3")


def test_map_values_are_reported_by_key() -> None:
    found = only_problem({"operator": {"assessments": {"staff": "yes", "plan": True}}})
    assert found == RecordProblem(
        "space.operator.assessments[staff]", 'expected true or false, got "yes"'
    )
    assert only_problem({"operator": {"assessments": ["staff"]}}).message == (
        'expected a mapping from text to true or false, got ["staff"]'
    )
    assert only_problem({"form": {"leader_bio": 5}}, FilingApplication, "app") == (
        RecordProblem("app.form[leader_bio]", "expected text, got 5")
    )
    assert only_problem({"seats": {"chair": -1}}, Seating, "s").path == "s.seats[chair]"
    assert only_problem({"seats": {3: 1}}, Seating, "s") == RecordProblem(
        "s.seats", "expected text keys, got 3"
    )


def test_lists_keep_order_and_report_by_index() -> None:
    found = only_problem({"held_on": ["2020-01-01", "2020-13-01"]}, Meetings, "m")
    assert found.path == "m.held_on[1]"
    assert only_problem({"held_on": "2020-01-01"}, Meetings, "m").message == (
        'expected a list of dates, got "2020-01-01"'
    )
    assert only_problem({"proposers": {"chair"}}, Proposal, "p").path == "p.proposers"


def test_nested_path() -> None:
    assert only_problem({"operator": {"legal_form": "company"}}).path == (
        "space.operator.legal_form"
    )
    found = only_problem({"space": {"operator": {"legal_form": "company"}}},
                         FilingApplication, "application")
    assert found.path == "application.space.operator.legal_form"


def test_a_nested_record_must_be_a_mapping() -> None:
    assert only_problem({"operator": "麓谷公司"}) == RecordProblem(
        "space.operator", 'expected a mapping of Organization fields, got "麓谷公司"'
    )


def test_the_record_itself_must_be_a_mapping() -> None:
    values: tuple[object, ...] = (None, [], "area: 500", 3)
    for value in values:
        found = only_problem(value)
        assert found.path == "space"
        assert found.message.startswith("expected a mapping of MakerSpace fields, got")


def test_unknown_key_with_did_you_mean() -> None:
    assert only_problem({"araa": "500 m2"}) == RecordProblem(
        "space.araa", 'expected a field of MakerSpace, got "araa"; did you mean "area"?'
    )
    assert only_problem({"zzz": 1}) == RecordProblem(
        "space.zzz", 'expected a field of MakerSpace, got "zzz"'
    )


def test_a_chinese_label_as_key_points_to_the_field() -> None:
    assert only_problem({"场地面积": "500 m2"}).message.endswith(
        '"场地面积" is the label of the field "area"'
    )


def test_underscore_keys_are_refused() -> None:
    assert only_problem({"__class__": {}}) == RecordProblem(
        "space.__class__", 'field names never start with "_", got "__class__"'
    )
    assert only_problem({"operator": {"_secret": 1}}).path == "space.operator._secret"


def test_non_text_keys_are_refused() -> None:
    assert only_problem({1: "x"}) == RecordProblem("space", "expected field names as text, got 1")


def test_all_problems_are_reported_together() -> None:
    data = {
        "operator": {"legal_form": "company", "assessments": {"staff": "yes"}},
        "area": "big",
        "teams": True,
        "services": "ip",
        "facilities": ["power", "gas"],
        "seed_fund": float("nan"),
        "araa": 1,
    }
    found = problems(data)
    assert [p.path for p in found] == [
        "space.operator.legal_form",
        "space.operator.assessments[staff]",
        "space.area",
        "space.teams",
        "space.seed_fund",
        "space.services",
        "space.facilities[1]",
        "space.araa",
    ]
    with pytest.raises(RecordError) as info:
        structure(data, MakerSpace, "space")
    assert info.value.path == "space.operator.legal_form"
    lines = str(info.value).splitlines()
    assert 'space.area: expected an area such as "500 m2", got "big"' in lines


def test_long_and_invisible_input_is_clipped_and_escaped() -> None:
    found = only_problem({"premises": "x" * 1000})
    assert "x" * 40 + "…" in found.message
    assert "x" * 41 not in found.message
    assert "\\u202e" in only_problem({"premises": "a\u202eb"}).message


def test_structure_refuses_a_class_that_is_not_a_record() -> None:
    with pytest.raises(TypeError):
        structure({"area": 1}, Duration)


# ---------------------------------------------------------------------------
# Unstructure and the round trip


def test_unstructure() -> None:
    space = MakerSpace(
        name="x",
        area=Decimal("500.0"),
        seed_fund=Decimal("1000000"),
        lease_term=Duration(days=180),
        free_residency=Duration(months=6),
        established_on=date(2016, 3, 1),
        premises=Premises.leased,
        services=frozenset({Service.rd_design, Service.ip}),
        operator=Organization(assessments=FrozenMap({"staff": True}),
                              declarations=frozenset({"b", "a"})),
    )
    assert unstructure(space) == {
        "name": "x",
        "area": "500 m2",
        "seed_fund": "1000000 元",
        "lease_term": "180 days",
        "free_residency": "6 months",
        "established_on": "2016-03-01",
        "premises": "leased",
        "services": ["ip", "rd_design"],
        "operator": {"assessments": {"staff": True}, "declarations": ["a", "b"]},
    }
    assert structure(json.loads(json.dumps(unstructure(space))), MakerSpace) == space


decimals = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False,
                       allow_infinity=False)
durations = st.one_of(
    st.integers(0, 600).map(lambda n: Duration(months=n)),
    st.integers(1, 3000).map(lambda n: Duration(days=n)),
)
counts = st.integers(min_value=0, max_value=10**30 - 1)
texts = st.text(max_size=20)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


organizations = st.builds(
    Organization,
    name=maybe(texts),
    registered_province=maybe(texts),
    legal_form=maybe(st.sampled_from(LegalForm)),
    nature=maybe(st.sampled_from(Nature)),
    kind=maybe(st.sampled_from(OrgKind)),
    recognition_level=maybe(st.sampled_from(Level)),
    established_on=maybe(dates),
    documents=maybe(st.frozensets(st.sampled_from(Document))),
    declarations=maybe(st.frozensets(texts, max_size=3)),
    assessments=maybe(st.dictionaries(texts, st.booleans(), max_size=3).map(FrozenMap)),
)

maker_spaces = st.builds(
    MakerSpace,
    name=maybe(texts),
    operator=maybe(organizations),
    specialty=maybe(texts),
    specialized=maybe(st.booleans()),
    established_on=maybe(dates),
    area=maybe(decimals),
    public_area=maybe(decimals),
    premises=maybe(st.sampled_from(Premises)),
    lease_term=maybe(durations),
    teams=maybe(counts),
    mentors=maybe(counts),
    seed_fund=maybe(decimals),
    free_residency=maybe(durations),
    services=maybe(st.frozensets(st.sampled_from(Service))),
    facilities=maybe(st.frozensets(st.sampled_from(Facility))),
    systems=maybe(st.frozensets(st.sampled_from(System))),
    online_platform=maybe(st.booleans()),
)


@given(maker_spaces)
@settings(max_examples=200)
def test_round_trip(space: MakerSpace) -> None:
    data = unstructure(space)
    assert structure(json.loads(json.dumps(data)), MakerSpace) == space


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
    | st.decimals(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=10,
)
field_names = st.sampled_from([*sorted(schema_fields(MakerSpace)), "_x", "araa"])


@given(st.dictionaries(field_names, json_values, max_size=6))
@settings(max_examples=300)
def test_arbitrary_data_gives_a_record_or_a_record_error(data: dict[str, Any]) -> None:
    before = copy.deepcopy(data)
    try:
        structure(data, MakerSpace)
    except RecordError as err:
        assert err.problems
        assert all(p.path.startswith("record") for p in err.problems)
    assert data == before


# ---------------------------------------------------------------------------
# Loading JSON and YAML


def test_json_float_arrives_as_decimal() -> None:
    data = load_data('{"area": 514.2, "teams": 10}', "json")
    assert data == {"area": Decimal("514.2"), "teams": 10}
    assert isinstance(data, dict)
    assert type(data["area"]) is Decimal
    assert structure(data, MakerSpace).area == Decimal("514.2")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(constant: str) -> None:
    with pytest.raises(RecordError) as info:
        load_data(f'{{"area": {constant}}}', "json")
    assert info.value.problems == (
        RecordProblem("<document>", f"{constant} is not a number a record may hold"),
    )


def test_json_duplicate_keys_are_refused() -> None:
    with pytest.raises(RecordError) as info:
        load_data('{"area": 1, "area": 2}', "json")
    assert info.value.problems == (RecordProblem("<document>", 'the key "area" is given twice'),)


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(RecordError) as info:
        load_data('{\n  "area": }', "json")
    assert info.value.problems[0].message.startswith("line 2, column 11:")


def test_json_huge_integer_literal_is_kept_for_the_field_to_refuse() -> None:
    data = load_data('{"teams": ' + "1" * 5000 + "}", "json")
    assert only_problem(data).message.startswith("expected a whole number of at most 30 digits")


def test_deep_nesting_is_refused() -> None:
    for fmt in ("json", "yaml"):
        with pytest.raises(RecordError) as info:
            load_data("[" * 100_000, fmt)
        assert info.value.path == "<document>"


def test_size_limit() -> None:
    assert load_data('{"a": "xx"}', "json", max_bytes=11) == {"a": "xx"}
    with pytest.raises(RecordError) as info:
        load_data('{"a": "xx"}', "json", max_bytes=10)
    assert "larger than 10 bytes" in info.value.problems[0].message
    with pytest.raises(RecordError):
        load_data('{"a": "名"}', "json", max_bytes=10)  # 8 characters but 10+ bytes


def test_yaml_record() -> None:
    text = """
name: 麓谷创客
area: 514.2
teams: 10
province_like: NO
specialized: true
established_on: 2016-03-01
services: [ip, 研发设计]
"""
    data = load_data(text, "yaml")
    assert data == {
        "name": "麓谷创客", "area": Decimal("514.2"), "teams": 10, "province_like": "NO",
        "specialized": True, "established_on": "2016-03-01", "services": ["ip", "研发设计"],
    }


def test_yaml_1_1_booleans_stay_strings() -> None:
    data = load_data("province: NO\na: yes\nb: on\nc: Off\nd: n\ne: true\nf: FALSE", "yaml")
    assert data == {"province": "NO", "a": "yes", "b": "on", "c": "Off", "d": "n",
                    "e": True, "f": False}
    org = structure(load_data("registered_province: NO", "yaml"), Organization)
    assert org.registered_province == "NO"


def test_yaml_sexagesimal_and_other_1_1_numbers_stay_strings() -> None:
    data = load_data("a: 1:30\nb: 0x1F\nc: 0o17\nd: 1_000\ne: 010\nf: .nan\ng: .inf", "yaml")
    assert data == {"a": "1:30", "b": "0x1F", "c": "0o17", "d": "1_000", "e": 10,
                    "f": ".nan", "g": ".inf"}


def test_yaml_floats_are_decimals() -> None:
    assert load_data("a: 0.1\nb: 1e3\nc: -2.5", "yaml") == {
        "a": Decimal("0.1"), "b": Decimal("1e3"), "c": Decimal("-2.5")
    }


def test_yaml_alias_bomb_is_refused() -> None:
    bomb = "\n".join(
        [
            'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
            "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
            "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
            "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
            "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
            "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
            "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
            "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
        ]
    )
    with pytest.raises(RecordError) as info:
        load_data(bomb, "yaml")
    assert info.value.problems == (
        RecordProblem(
            "<document>", "line 1, column 4: anchors (&name) are not allowed in a record"
        ),
    )


def test_yaml_alias_without_anchor_is_refused() -> None:
    with pytest.raises(RecordError) as info:
        load_data("a: *x", "yaml")
    assert "aliases" in info.value.problems[0].message


def test_yaml_python_tags_are_refused() -> None:
    for text in ('!!python/object/apply:os.system ["id"]',
                 "a: !!python/object/apply:os.system [id]",
                 "a: !!python/name:os.system"):
        with pytest.raises(RecordError) as info:
            load_data(text, "yaml")
        assert "is not allowed in a record" in info.value.problems[0].message, text


def test_yaml_other_tags_are_refused() -> None:
    for text in ("a: !!binary aGk=", "a: !!set {x}", "a: !custom 1", "a: !!timestamp 2016-01-01",
                 "a: !!float .inf", "a: !!int 0x10", "a: !!bool yes"):
        with pytest.raises(RecordError):
            load_data(text, "yaml")


def test_yaml_duplicate_keys_are_refused() -> None:
    with pytest.raises(RecordError) as info:
        load_data("area: 1\nteams: 2\narea: 3", "yaml")
    assert info.value.problems == (
        RecordProblem("<document>", 'line 3, column 1: the key "area" is given twice'),
    )


def test_yaml_merge_keys_are_plain_keys() -> None:
    data = load_data("<<: {teams: 1}", "yaml")
    assert data == {"<<": {"teams": 1}}
    assert only_problem(data).path == "space.<<"


def test_yaml_non_text_keys_are_refused() -> None:
    with pytest.raises(RecordError):
        load_data("1: a", "yaml")


def test_malformed_yaml_names_line_and_column() -> None:
    with pytest.raises(RecordError) as info:
        load_data("a: 1\nb: [1, 2", "yaml")
    assert info.value.problems[0].path == "<document>"
    assert info.value.problems[0].message.startswith("line 2, column ")
    with pytest.raises(RecordError):
        load_data("a: \x00", "yaml")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        load_data("{}", "toml")  # type: ignore[arg-type]


@given(st.text(max_size=200), st.sampled_from(["json", "yaml"]))
@settings(max_examples=300)
def test_arbitrary_text_loads_or_gives_a_record_error(text: str, fmt: str) -> None:
    try:
        load_data(text, fmt)  # type: ignore[arg-type]
    except RecordError as err:
        assert err.problems[0].path == "<document>"
