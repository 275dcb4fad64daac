"""The fast path of ``structure()`` gives exactly what the detailed path gives.

``structure()`` first tries plain closures on a dict and, on any doubt, structures the
record again with the detailed cattrs path, which reports every problem. These tests
compare the two on valid and malformed data: the same record (field by field, types and
decimal exponents included) or the same :class:`RecordError` problems.
"""

from __future__ import annotations

import copy
import decimal
import random
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.workload import dicts
from policykit.calendar import Duration
from policykit.errors import RecordError
from policykit.records import (
    RECORD_TYPES,
    FrozenMap,
    LabeledEnum,
    Level,
    MakerSpace,
    Organization,
    Service,
    _structure_detailed,
    _structure_fast,
    schema_fields,
    structure,
    unstructure,
)
from policykit.stdlib.units import HALF_YEAR, UNITS, Dim
from policykit.types import (
    BoolT,
    DateT,
    EnumT,
    IntT,
    ListT,
    MapT,
    QuantityT,
    RecordT,
    SetT,
    TextT,
    Type,
)

# ---------------------------------------------------------------------------
# Comparing outcomes


def same(a: object, b: object) -> bool:
    """Equal, and of the same types all the way down (a Decimal with its exponent)."""
    if type(a) is not type(b):
        return False
    if attrs.has(type(a)):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)))
    if isinstance(a, Decimal):
        assert isinstance(b, Decimal)
        return a.as_tuple() == b.as_tuple()
    if isinstance(a, FrozenMap):
        assert isinstance(b, FrozenMap)
        return same(tuple(a.items()), tuple(b.items()))
    if isinstance(a, tuple):
        assert isinstance(b, tuple)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, frozenset):
        assert isinstance(b, frozenset)
        return a == b and {type(x) for x in a} == {type(x) for x in b}
    return a == b


def snapshot(value: object) -> object:
    """A copy of the containers a caller could change (a FrozenMap cannot be deep-copied)."""
    if type(value) is dict:
        return {k: snapshot(v) for k, v in value.items()}
    if type(value) is list:
        return [snapshot(v) for v in value]
    if type(value) is set:
        return set(value)
    return value


def outcome(fn: Callable[..., Any], data: object, cls: type) -> tuple[str, Any]:
    try:
        return "record", fn(data, cls, "r")
    except RecordError as err:
        return "error", err.problems


def assert_same_outcome(data: object, cls: type) -> tuple[str, Any]:
    """structure() and the detailed path agree; the fast path never disagrees."""
    before = snapshot(data)
    got = outcome(structure, data, cls)
    want = outcome(_structure_detailed, data, cls)
    assert got[0] == want[0], (got, want)
    if got[0] == "record":
        assert same(got[1], want[1]), (got[1], want[1])
    else:
        assert got[1] == want[1]
    try:
        fast = _structure_fast(data, cls)
    except Exception:  # the fast path may give up in any way
        pass
    else:
        assert want[0] == "record", f"the fast path accepted what the detailed refuses: {want}"
        assert same(fast, want[1])
    assert data == before  # never changed
    return want


# ---------------------------------------------------------------------------
# Strategies: plain data for each record type, valid or not

ENUMS: list[type[LabeledEnum]] = sorted(
    {ty.enum for c in RECORD_TYPES.values() for info in schema_fields(c).values()
     for ty in (info.type,) if isinstance(ty, EnumT | SetT)},
    key=lambda e: e.__name__,
)
SPELLINGS = sorted({u.spelling for u in UNITS} | {u.spelling.upper() for u in UNITS})

numbers_text = st.one_of(
    st.integers(0, 10**6).map(str),
    st.sampled_from(["0", "00", "500", "514.2", "514.20", "154.26", "0.5", "1.25", "007",
                     "1" * 30, "1" * 31, "9" * 29 + ".5", "1.", ".5", "1e3", "-5", "١٢"]),
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False).map(str),
)
quantity_texts = st.one_of(
    st.tuples(numbers_text, st.sampled_from(["", " ", "  ", "\t", "\u3000"]),
              st.sampled_from(SPELLINGS)).map("".join),
    numbers_text,
    st.sampled_from([HALF_YEAR, f" {HALF_YEAR} ", "半年半", " 500 m2", "500 m2 ", "500 m 2",
                     "500 平方米", "100万元", "3 years", "6个月", "180 days", "1.5 months",
                     "1.5 years", "500 ㎡", "500 M2", "5 CNY", "2 Years", "30%", "500 km2",
                     "500m2m2", "m2", "", "500 m2" + " " * 100, "1" * 101 + " m2"]),
)
bad_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([-1, 10**30 - 1, 10**30, 10**40, 2**64, -(10**40)]),
    st.floats(),
    st.decimals(),
    st.sampled_from([Decimal("-0"), Decimal("1E+50"), Decimal("1E-50"), Decimal("5.0"),
                     Decimal("NaN"), Decimal("-Infinity")]),
    st.text(max_size=6),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(list(Level) + list(Service) + [Duration(months=3)]),
)


def enum_words(enum: type[LabeledEnum]) -> st.SearchStrategy[Any]:
    members = list(enum)
    other = [m for e in ENUMS if e is not enum for m in e][:30]
    return st.one_of(
        st.sampled_from([m.value for m in members] + [m.label for m in members]),
        st.sampled_from(members),
        st.sampled_from([m.value.upper() for m in members] + [m.value + "x" for m in members]
                        + [m.value for m in other]),
        st.sampled_from(other),
    )


def good_value(ty: Type, unordered: bool, depth: int) -> st.SearchStrategy[Any]:
    match ty:
        case BoolT():
            return st.booleans() | st.none()
        case IntT():
            return st.integers(0, 10**6) | st.sampled_from([0, 10**30 - 1])
        case TextT():
            return st.text(max_size=8) | st.none()
        case DateT():
            return st.one_of(
                st.dates().map(date.isoformat),
                st.dates(),
                st.sampled_from(["2016-02-30", "2016-9-1", "20160901", "2016-09-01T00:00",
                                 "２０１６-09-01", "0000-01-01"]),
            )
        case QuantityT():
            return st.one_of(
                quantity_texts,
                st.integers(0, 10**6),
                st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False),
                st.floats(min_value=0, max_value=10**6),
                st.sampled_from([Duration(months=6), Duration(days=10), 10**30, 10**31]),
            )
        case EnumT(enum):
            return enum_words(enum)
        case SetT(enum):
            words = enum_words(enum)
            return st.one_of(
                st.lists(words, max_size=6),
                st.lists(st.sampled_from([m.value for m in enum]), max_size=len(enum)),
                st.lists(words, max_size=3).map(tuple),
                st.frozensets(st.sampled_from([m.value for m in enum]), max_size=3),
                st.sampled_from([m.value for m in enum]),  # a bare string
            )
        case MapT(item_type):
            item = good_value(item_type, False, depth) | bad_values
            return st.one_of(
                st.dictionaries(st.sampled_from(["a", "b", "business_model", "é", ""]),
                                item, max_size=4),
                st.dictionaries(st.text(max_size=4), good_value(item_type, False, depth),
                                max_size=4),
                st.dictionaries(st.integers(0, 3) | st.text(max_size=2), item, max_size=2),
                st.dictionaries(st.text(max_size=2), item, max_size=2).map(FrozenMap),
            )
        case ListT(item_type):
            item = good_value(item_type, False, depth)
            return st.one_of(
                st.lists(item, max_size=4),
                st.lists(item | bad_values, max_size=3),
                st.lists(item, max_size=3).map(tuple),
                st.frozensets(st.text(max_size=3), max_size=3),
                st.text(max_size=4),
            )
        case RecordT(cls):
            if depth >= 2:
                return st.none() | st.just({})
            return record_data(cls, depth + 1) | st.sampled_from([None, [], "x", cls()])
    raise AssertionError(ty)  # pragma: no cover


def record_data(cls: type, depth: int = 0) -> st.SearchStrategy[Any]:
    """A dict of field values, some of them of the wrong type or form, some keys unknown."""
    fields = schema_fields(cls)
    unordered = {a.name: a.metadata["unordered"] for a in attrs.fields(cls)}
    good = {name: good_value(info.type, unordered[name], depth)
            for name, info in fields.items()}
    mixed = {name: value | bad_values for name, value in good.items()}
    labels = [info.label for info in fields.values()]
    extra_keys = st.one_of(
        st.sampled_from(["_x", "araa", "nmae", "x", "", *labels[:3]]),
        st.text(max_size=4),
        st.integers(0, 3),
        st.none(),
    )
    with_extra = st.tuples(
        st.fixed_dictionaries({}, optional=good),
        st.dictionaries(extra_keys, bad_values, min_size=1, max_size=2),
    ).map(lambda pair: {**pair[1], **pair[0]})
    return st.one_of(
        st.fixed_dictionaries({}, optional=good),
        st.fixed_dictionaries({}, optional=mixed),
        with_extra,
    )


# Every value well-formed, in the forms a filing portal sends.
def clean_value(ty: Type, unordered: bool) -> st.SearchStrategy[Any]:
    match ty:
        case BoolT():
            return st.booleans()
        case IntT():
            return st.integers(0, 10**29)
        case TextT():
            return st.text(max_size=8)
        case DateT():
            return st.dates().map(date.isoformat)
        case QuantityT(dim):
            spellings = [u.spelling for u in UNITS if u.dim is dim]
            whole = st.integers(0, 10**6).map(str)
            number = whole if dim is Dim.DURATION else (
                whole | st.decimals(min_value=0, max_value=10**6, places=2,
                                    allow_nan=False).map(str))
            texts = st.tuples(number, st.sampled_from(["", " "]),
                              st.sampled_from(spellings)).map("".join)
            return texts | st.integers(0, 10**6)
        case EnumT(enum):
            return st.sampled_from([m.value for m in enum] + [m.label for m in enum])
        case SetT(enum):
            return st.lists(st.sampled_from([m.value for m in enum] + [m.label for m in enum]))
        case MapT(item_type):
            return st.dictionaries(st.text(max_size=6), clean_value(item_type, False),
                                   max_size=4)
        case ListT(item_type):
            return st.lists(clean_value(item_type, False), max_size=4)
        case RecordT(cls):
            return clean_record(cls)
    raise AssertionError(ty)  # pragma: no cover


def clean_record(cls: type) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={
        a.name: st.integers(1, 9999) if a.metadata.get("year")  # a calendar year
        else clean_value(a.metadata["type"], a.metadata["unordered"])
        for a in attrs.fields(cls)
    })


record_types = st.sampled_from(sorted(RECORD_TYPES.values(), key=lambda c: c.__name__))


# ---------------------------------------------------------------------------
# Properties


@given(st.data())
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_fast_and_detailed_agree_on_any_data(data: st.DataObject) -> None:
    cls = data.draw(record_types)
    value = data.draw(record_data(cls))
    assert_same_outcome(value, cls)


@given(record_data(MakerSpace))
@settings(max_examples=200)
def test_fast_and_detailed_agree_on_maker_spaces(value: dict[str, Any]) -> None:
    assert_same_outcome(value, MakerSpace)


@given(st.data())
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_the_fast_path_takes_well_formed_records(data: st.DataObject) -> None:
    cls = data.draw(record_types)
    value = data.draw(clean_record(cls))
    want = _structure_detailed(value, cls)
    assert same(_structure_fast(value, cls), want)
    assert same(structure(value, cls), want)


@given(st.data())
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_one_bad_field_is_reported_exactly_as_before(data: st.DataObject) -> None:
    cls = data.draw(record_types)
    value = dict(data.draw(clean_record(cls)))
    name = data.draw(st.sampled_from(sorted(schema_fields(cls))))
    value[name] = data.draw(bad_values)
    assert_same_outcome(value, cls)


# ---------------------------------------------------------------------------
# The benchmark's workload


def test_the_workload_takes_the_fast_path() -> None:
    for data in dicts(300):
        want = _structure_detailed(data, MakerSpace, "space")
        assert same(_structure_fast(data, MakerSpace), want)
        assert same(structure(data, MakerSpace, "space"), want)


def test_the_workload_spoiled_one_value_at_a_time() -> None:
    rng = random.Random(7)
    spoilers: list[object] = [None, True, 1.5, -1, 10**40, "big", [], {}, ["ip"], Decimal("NaN"),
                              "500 km2", "rd_desing", {"name": 1}, date(2016, 9, 1)]
    for data in dicts(200):
        spoiled = copy.deepcopy(data)
        target = spoiled if "operator" not in spoiled or rng.random() < 0.7 \
            else spoiled["operator"]
        key = rng.choice(sorted(target))
        target[key] = rng.choice(spoilers)
        assert_same_outcome(spoiled, MakerSpace)


# ---------------------------------------------------------------------------
# Hand-written cases over every record type


def sample_value(ty: Type, depth: int = 0) -> Any:
    """A well-formed plain value of each type, as a portal sends it."""
    match ty:
        case BoolT():
            return True
        case IntT():
            return 3
        case TextT():
            return "文字"
        case DateT():
            return "2016-09-01"
        case QuantityT(Dim.AREA):
            return "514.20 m2"
        case QuantityT(Dim.MONEY):
            return "100万元"
        case QuantityT(Dim.DURATION):
            return "3 years"
        case EnumT(enum):
            return next(iter(enum)).label
        case SetT(enum):
            return [m.value for m in enum][:3]
        case MapT(item_type):
            return {"b": sample_value(item_type), "a": sample_value(item_type)}
        case ListT(item_type):
            return [sample_value(item_type), sample_value(item_type)]
        case RecordT(cls):
            return full_record(cls, depth + 1) if depth < 2 else {}
    raise AssertionError(ty)  # pragma: no cover


def full_record(cls: type, depth: int = 0) -> dict[str, Any]:
    return {name: sample_value(info.type, depth) for name, info in schema_fields(cls).items()}


all_record_types = pytest.mark.parametrize(
    "cls", sorted(RECORD_TYPES.values(), key=lambda c: c.__name__), ids=lambda c: c.__name__
)


@all_record_types
def test_every_field_set(cls: type) -> None:
    data = full_record(cls)
    record = _structure_fast(data, cls)
    assert same(record, _structure_detailed(data, cls))
    assert all(getattr(record, name) is not None for name in schema_fields(cls))
    # and back: unstructure's own forms take the fast path too
    again = unstructure(record)
    assert same(_structure_fast(again, cls), _structure_detailed(again, cls))
    assert _structure_fast(again, cls) == record


@all_record_types
def test_empty_and_not_a_mapping(cls: type) -> None:
    assert same(structure({}, cls), cls())
    for value in (None, [], "x", 3, FrozenMap({})):
        assert_same_outcome(value, cls)


@all_record_types
def test_unknown_keys_are_refused(cls: type) -> None:
    first = next(iter(schema_fields(cls).values()))
    for key in ("_private", "nmae", first.label, 1, None, first.name.upper()):
        data = {**full_record(cls), key: "x"}
        kind, problems = assert_same_outcome(data, cls)
        assert kind == "error"
        assert len(problems) == 1


@all_record_types
def test_each_field_wrong_in_many_ways(cls: type) -> None:
    wrong: list[object] = [True, False, 1.0, 2.5, float("nan"), -1, 10**40, "", "x", [], [1],
                           {}, {"a": 1}, Decimal("-0"), datetime(2016, 9, 1, 8, 0),
                           Level.city, object()]
    for name in schema_fields(cls):
        for value in wrong:
            assert_same_outcome({**full_record(cls), name: value}, cls)


@all_record_types
def test_all_fields_wrong_at_once(cls: type) -> None:
    data = {name: [2.5] for name in schema_fields(cls)}
    kind, problems = assert_same_outcome({**data, "_x": 1}, cls)
    assert kind == "error"
    assert len(problems) == len(data) + 1


def test_bools_are_not_whole_numbers_nor_quantities() -> None:
    for name in ("teams", "area", "lease_term"):
        kind, problems = assert_same_outcome({name: True}, MakerSpace)
        assert kind == "error"
        assert problems[0].path == f"r.{name}"


def test_floats_are_read_as_the_decimal_they_print_as() -> None:
    kind, record = assert_same_outcome({"area": 514.2, "lease_term": 36.0}, MakerSpace)
    assert kind == "record"
    assert record.area == Decimal("514.2")
    kind, _ = assert_same_outcome({"teams": 10.0}, MakerSpace)
    assert kind == "error"


def test_quantity_forms() -> None:
    for text, want in [("514.20 m2", Decimal("514.20")), ("514.2平方米", Decimal("514.2")),
                       ("100万元", Decimal("1000000")), ("3 years", Duration(months=36)),
                       ("36个月", Duration(months=36)), ("180 days", Duration(days=180)),
                       (HALF_YEAR, Duration(months=6)), ("500 M2", Decimal(500)),
                       (" 500 m2 ", Decimal(500))]:
        field = "seed_fund" if "元" in text else (
            "area" if "m2" in text.lower() or "平方米" in text else "lease_term")
        kind, record = assert_same_outcome({field: text}, MakerSpace)
        assert kind == "record"
        assert same(getattr(record, field), want), (text, getattr(record, field))
    for text in ("1.5 months", "500 km2", "500 元", "-5 m2", "1" * 31 + " m2", "500 m 2"):
        kind, _ = assert_same_outcome({"area": text, "lease_term": text}, MakerSpace)
        assert kind == "error"


def test_numbers_as_quantities() -> None:
    for number, area, lease in [(Decimal("514.20"), Decimal("514.20"), None),
                                (Decimal("36"), Decimal("36"), Duration(months=36)),
                                (Decimal("3.6E+1"), Decimal("3.6E+1"), Duration(months=36)),
                                (36, Decimal(36), Duration(months=36)),
                                (0, Decimal(0), Duration(months=0)),
                                (Decimal("1E-30"), Decimal("1E-30"), None)]:
        kind, record = assert_same_outcome({"area": number}, MakerSpace)
        assert kind == "record"
        assert same(record.area, area)
        kind, record = assert_same_outcome({"lease_term": number}, MakerSpace)
        assert kind == ("error" if lease is None else "record")
        if lease is not None:
            assert same(record.lease_term, lease)
    for number in (Decimal("-0"), Decimal("-1"), Decimal("1E+30"), Decimal("1E-31"),
                   Decimal("sNaN"), Decimal("Infinity"), 10**30, -1, True):
        kind, _ = assert_same_outcome({"area": number, "seed_fund": number}, MakerSpace)
        assert kind == "error"


def test_quantities_are_exact_whatever_the_decimal_context() -> None:
    # 123.456万元 = 123.456 x 10,000 = 1,234,560 元, also under a 4-digit context.
    data = {"area": "123456.789 m2", "seed_fund": "123.456万元"}
    first = structure(data, MakerSpace)
    with decimal.localcontext() as ctx:
        ctx.prec = 4
        assert same(structure(data, MakerSpace), _structure_detailed(data, MakerSpace))
        assert structure(data, MakerSpace).seed_fund == Decimal("1234560")
    assert same(structure(data, MakerSpace), first)


def test_sets_and_maps() -> None:
    data = {"operator": {"assessments": {"b": True, "a": False},
                         "documents": ["申请表", "business_license", "申请表"],
                         "declarations": ["x", "y", "x"]}}
    for _ in range(2):  # the second time from what the fast path remembers
        kind, space = assert_same_outcome(data, MakerSpace)
        assert kind == "record"
        assert list(space.operator.assessments.items()) == [("a", False), ("b", True)]
        assert len(space.operator.documents) == 2
        assert space.operator.declarations == frozenset({"x", "y"})
    kind, problems = assert_same_outcome(
        {"operator": {"assessments": {"a": 1, "b": "yes"}}}, MakerSpace)
    assert kind == "error"
    assert [p.path for p in problems] == ["r.operator.assessments[a]", "r.operator.assessments[b]"]
    kind, problems = assert_same_outcome(
        {"operator": {"assessments": {"a": True, "c": None}}}, MakerSpace)
    assert kind == "error"  # issue 12: a null inside a container is refused
    assert [p.path for p in problems] == ["r.operator.assessments[c]"]


class Text(str):
    """A str subclass: never taken by the fast path's exact type checks, still accepted."""

    __slots__ = ()


def test_subclasses_of_the_plain_types_go_the_detailed_way() -> None:
    data = {Text("name"): Text("x"), "services": [Text("ip")], "premises": Text("leased"),
            "area": Text("500 m2"), "operator": {"assessments": {Text("a"): True}}}
    kind, record = assert_same_outcome(data, MakerSpace)
    assert kind == "record"
    assert record.services == frozenset({Service.ip})


class Unordered(str):
    """Text that refuses to be sorted."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        raise RuntimeError("no order")


def test_map_keys_that_cannot_be_sorted() -> None:
    data = {"operator": {"assessments": {Unordered("a"): True, Unordered("b"): False}}}
    kind, problems = assert_same_outcome(data, MakerSpace)
    assert kind == "error"
    assert problems[0].path == "r.operator.assessments"


def test_a_nested_instance_or_mapping_is_taken_as_before() -> None:
    operator = Organization(name="x")
    kind, record = assert_same_outcome({"operator": operator}, MakerSpace)
    assert kind == "record"
    assert record.operator is operator
    kind, record = assert_same_outcome({"operator": FrozenMap({"name": "y"})}, MakerSpace)
    assert kind == "record"
    assert record.operator == Organization(name="y")


def test_a_record_is_returned_unchanged_and_a_dict_subclass_is_taken() -> None:
    space = MakerSpace(name="x")
    assert structure(space, MakerSpace) is space

    class Data(dict[str, Any]):
        pass

    assert same(structure(Data(name="x"), MakerSpace), space)


def test_enum_members_in_lists() -> None:
    kind, record = assert_same_outcome({"services": [Service.ip, "finance"]}, MakerSpace)
    assert kind == "record"
    assert record.services == frozenset({Service.ip, Service.finance})


def test_every_enum_name_and_label() -> None:
    for cls in RECORD_TYPES.values():
        for name, info in schema_fields(cls).items():
            if isinstance(info.type, EnumT):
                enum: type[Enum] = info.type.enum
                for member in enum:
                    assert isinstance(member, LabeledEnum)
                    for word in (member.value, member.label):
                        kind, record = assert_same_outcome({name: word}, cls)
                        assert kind == "record"
                        assert getattr(record, name) is member
