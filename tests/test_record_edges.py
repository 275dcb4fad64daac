"""Hostile and edge-case records (issue 12): every one is a RecordError naming a path.

The fields under test are found by walking the attrs record classes of
:data:`policykit.records.RECORD_TYPES` (nested records included), so a field added to
the vocabulary is covered without editing this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

import policykit
from policykit.errors import RecordError
from policykit.records import (
    RECORD_TYPES,
    MakerSpace,
    Meetings,
    _structure_detailed,
    _structure_fast,
    load_data,
    structure,
)
from policykit.stdlib.units import Dim
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
# Walking the vocabulary


@attrs.frozen
class FieldPath:
    """A field reached from a record class through nested records."""

    cls: type
    names: tuple[str, ...]
    type: Type
    unordered: bool
    metadata: Any = attrs.field(eq=False, repr=False)

    @property
    def dotted(self) -> str:
        return ".".join(self.names)

    def data(self, value: object) -> dict[str, Any]:
        """A record of ``cls`` holding ``value`` at this path, every other field absent."""
        out: Any = value
        for name in reversed(self.names):
            out = {name: out}
        return dict(out)

    def __str__(self) -> str:
        return f"{self.cls.__name__}.{self.dotted}"


def field_paths(cls: type, prefix: tuple[str, ...] = (), seen: tuple[type, ...] = ()
                ) -> Iterator[FieldPath]:
    for a in attrs.fields(cls):
        ty: Type = a.metadata["type"]
        names = (*prefix, a.name)
        if isinstance(ty, RecordT):
            if ty.cls not in seen:  # the vocabulary has no cycles; guard all the same
                yield from field_paths(ty.cls, names, (*seen, cls))
        else:
            yield FieldPath(cls, names, ty, a.metadata["unordered"], a.metadata)


def every_field_path() -> list[FieldPath]:
    found: list[FieldPath] = []
    for cls in sorted(RECORD_TYPES.values(), key=lambda c: c.__name__):
        for fp in field_paths(cls):
            found.append(attrs.evolve(fp, cls=cls))
    return found


FIELD_PATHS = every_field_path()
CONTAINERS = [fp for fp in FIELD_PATHS if isinstance(fp.type, ListT | SetT | MapT)]
LISTS = [fp for fp in CONTAINERS if not isinstance(fp.type, MapT)]
MAPS = [fp for fp in CONTAINERS if isinstance(fp.type, MapT)]


def good_item(ty: Type) -> Any:
    """A well-formed item of a container of type ``ty``."""
    match ty:
        case SetT(enum):
            return next(iter(enum)).value
        case ListT(item) | MapT(item):
            match item:
                case BoolT():
                    return True
                case IntT():
                    return 1
                case TextT():
                    return "文字"
                case DateT():
                    return "2016-09-01"
                case EnumT(enum):
                    return next(iter(enum)).value
    raise AssertionError(f"no sample item for {ty!r}")  # a new container type: add it


def refused(data: object, cls: type) -> RecordError:
    """The error structure() gives for ``data``; the detailed path agrees and the fast
    path does not accept it."""
    with pytest.raises(RecordError) as info:
        structure(data, cls, "r")
    with pytest.raises(RecordError) as detailed:
        _structure_detailed(data, cls, "r")
    assert detailed.value.problems == info.value.problems
    with pytest.raises(Exception):  # noqa: B017 - the fast path gives up in any way
        _structure_fast(data, cls)
    str(info.value).encode("utf-8")  # printable
    return info.value


def test_the_walk_finds_the_containers() -> None:
    found = {str(fp) for fp in CONTAINERS}
    # A few known ones; the tests below take whatever the walk finds.
    assert {"Meetings.held_on", "MakerSpace.services", "MakerSpace.operator.assessments",
            "FilingApplication.space.operator.declarations", "Seating.seats",
            "FilingApplication.form", "Proposal.proposers"} <= found
    assert len(found) >= 19
    assert LISTS and MAPS


# ---------------------------------------------------------------------------
# Item 1: null inside a container


lists = pytest.mark.parametrize("fp", LISTS, ids=str)
maps = pytest.mark.parametrize("fp", MAPS, ids=str)


@lists
def test_a_null_item_in_a_list_or_set_is_refused_at_its_index(fp: FieldPath) -> None:
    err = refused(fp.data([good_item(fp.type), None]), fp.cls)
    assert [p.path for p in err.problems] == [f"r.{fp.dotted}[1]"]
    assert "got null" in err.problems[0].message


@lists
def test_a_null_item_in_a_python_set_or_tuple_is_refused(fp: FieldPath) -> None:
    err = refused(fp.data((None,)), fp.cls)
    assert [p.path for p in err.problems] == [f"r.{fp.dotted}[0]"]
    if isinstance(fp.type, SetT) or fp.unordered:
        err = refused(fp.data({None, good_item(fp.type)}), fp.cls)
        # a set has no order, hence no index: the path is the field's
        assert [p.path for p in err.problems] == [f"r.{fp.dotted}"]
        assert "got null" in err.problems[0].message


@maps
def test_a_null_map_value_is_refused_at_its_key(fp: FieldPath) -> None:
    err = refused(fp.data({"a": good_item(fp.type), "b": None}), fp.cls)
    assert [p.path for p in err.problems] == [f"r.{fp.dotted}[b]"]
    assert "got null" in err.problems[0].message


@maps
def test_a_null_map_key_is_refused(fp: FieldPath) -> None:
    err = refused(fp.data({None: good_item(fp.type)}), fp.cls)
    assert [p.path for p in err.problems] == [f"r.{fp.dotted}"]
    assert "got null" in err.problems[0].message


def test_a_null_meeting_date_is_a_record_error_not_a_crash() -> None:
    policy = policykit.bundled("liudong.alliance")
    with pytest.raises(RecordError) as info:
        policy.evaluate({"held_on": [None], "year": 2016}, as_of=date(2017, 1, 1),
                        rule="council_meetings")
    name = policy.rule_subject("council_meetings")[0]
    assert info.value.path == f"{name}.held_on[0]"


def test_a_whole_container_may_still_be_null() -> None:
    # null for the field itself is an unknown fact, as before
    assert structure({"held_on": None}, Meetings) == Meetings()


# ---------------------------------------------------------------------------
# Item 2: text that is not valid Unicode (a lone surrogate)

LONE = ["\ud800", "a\udfff", "名\udc80字", "\ud83d\ude00"]  # the last: a pair, still two lone
TEXTS = [fp for fp in FIELD_PATHS if isinstance(fp.type, TextT)]
TEXT_LISTS = [fp for fp in LISTS if isinstance(fp.type, ListT) and isinstance(fp.type.item,
                                                                               TextT)]
TEXT_MAPS = [fp for fp in MAPS if isinstance(fp.type, MapT) and isinstance(fp.type.value, TextT)]


def test_the_walk_finds_the_texts() -> None:
    assert {"MakerSpace.name", "MakerSpace.operator.registered_province"} <= set(map(str, TEXTS))
    assert {"Proposal.proposers", "Organization.declarations"} <= set(map(str, TEXT_LISTS))
    assert {"FilingApplication.form"} <= set(map(str, TEXT_MAPS))


def not_unicode(err: RecordError, path: str) -> None:
    assert [p.path for p in err.problems] == [path]
    assert "not valid Unicode" in err.problems[0].message
    assert "\\u" in err.problems[0].message  # the surrogate shown escaped


@pytest.mark.parametrize("fp", TEXTS, ids=str)
@pytest.mark.parametrize("text", LONE)
def test_a_text_value_with_a_lone_surrogate_is_refused(fp: FieldPath, text: str) -> None:
    not_unicode(refused(fp.data(text), fp.cls), f"r.{fp.dotted}")


@pytest.mark.parametrize("fp", TEXT_LISTS, ids=str)
def test_a_text_item_with_a_lone_surrogate_is_refused(fp: FieldPath) -> None:
    not_unicode(refused(fp.data(["文字", "\ud800"]), fp.cls), f"r.{fp.dotted}[1]")


@pytest.mark.parametrize("fp", MAPS, ids=str)
def test_a_map_key_with_a_lone_surrogate_is_refused(fp: FieldPath) -> None:
    data = fp.data({"a": good_item(fp.type), "b\udfff": good_item(fp.type)})
    not_unicode(refused(data, fp.cls), f"r.{fp.dotted}[b\\udfff]")


@pytest.mark.parametrize("fp", TEXT_MAPS, ids=str)
def test_a_map_text_value_with_a_lone_surrogate_is_refused(fp: FieldPath) -> None:
    not_unicode(refused(fp.data({"a": "x\ud800"}), fp.cls), f"r.{fp.dotted}[a]")


def test_a_record_key_with_a_lone_surrogate_is_refused_and_printable() -> None:
    err = refused({"na\ud800me": "x"}, Meetings)
    assert err.problems[0].path == "r.na\\ud800me"


def test_json_escapes_of_a_lone_surrogate_are_refused_when_structured() -> None:
    data = load_data('{"name": "\\ud800", "services": ["ip"]}', "json")
    err = refused(data, MakerSpace)
    not_unicode(err, "r.name")
    policy = policykit.bundled("hunan.recognition")
    with pytest.raises(RecordError) as info:
        policy.evaluate(data, as_of=date(2016, 9, 1))
    assert info.value.path == "space.name"
    str(info.value).encode("utf-8")


def test_valid_texts_are_kept() -> None:
    # astral characters (one code point each in Python) are valid Unicode
    record = structure({"name": "创客😀𠀋", "operator": {"declarations": ["é"]}}, MakerSpace)
    assert record.name == "创客😀𠀋"


# ---------------------------------------------------------------------------
# Item 4: years are on the calendar (1 to 9999, the years of datetime.date)


def is_year(fp: FieldPath) -> bool:
    """A year by its name (``year``, ``founding_year``, ``year_founded``; not a count
    ``activities_per_year``) or by its type (marked a year in the field's metadata)."""
    name = fp.names[-1]
    named = name == "year" or name.startswith("year_") or (
        name.endswith("_year") and not name.endswith("per_year"))
    return named or bool(fp.metadata.get("year"))


YEARS = [fp for fp in FIELD_PATHS if is_year(fp)]
years = pytest.mark.parametrize("fp", YEARS, ids=str)


def test_the_walk_finds_the_years() -> None:
    assert "Meetings.year" in set(map(str, YEARS))


def test_every_year_field_is_marked_a_year() -> None:
    # a year field is a whole number, marked as a year for the converter
    assert all(isinstance(fp.type, IntT) and fp.metadata.get("year") for fp in YEARS)


@years
@pytest.mark.parametrize("year", [0, 10_000, 810_854, 10**29])
def test_a_year_off_the_calendar_is_refused(fp: FieldPath, year: int) -> None:
    err = refused(fp.data(year), fp.cls)
    assert [p.path for p in err.problems] == [f"r.{fp.dotted}"]
    assert "1 to 9999" in err.problems[0].message


@years
@pytest.mark.parametrize("year", [1, 2016, 9999])
def test_a_year_on_the_calendar_is_taken(fp: FieldPath, year: int) -> None:
    record = structure(fp.data(year), fp.cls)
    for name in fp.names:
        record = getattr(record, name)
    assert record == year
    assert _structure_fast(fp.data(year), fp.cls) == _structure_detailed(fp.data(year), fp.cls)


# ---------------------------------------------------------------------------
# Item 5: hostile values, for every field of each kind the walk finds

QUANTITIES = [fp for fp in FIELD_PATHS if isinstance(fp.type, QuantityT)]
INTS = [fp for fp in FIELD_PATHS if isinstance(fp.type, IntT)]
DATES = [fp for fp in FIELD_PATHS if isinstance(fp.type, DateT)]
DATE_LISTS = [fp for fp in LISTS if isinstance(fp.type, ListT) and isinstance(fp.type.item,
                                                                               DateT)]
RECORDS = sorted({(fp.cls, fp.names[:i]) for fp in FIELD_PATHS for i in range(len(fp.names))},
                 key=lambda pair: (pair[0].__name__, pair[1]))

NOT_FINITE = [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("sNaN"),
              Decimal("Infinity"), Decimal("-Infinity"), "NaN", "Infinity", "NaN m2", "inf 元"]
TOO_BIG = [10**10000, 10**31, Decimal("1e10000"), Decimal("1e-10000"), "1e10000 m2",
           "1" * 5000 + " m2", "9" * 40 + "元"]
NEGATIVE = [-1, Decimal("-0.5"), Decimal("-0"), "-5 m2", "-3 months", "-100万元"]
BY_DIMENSION = {Dim.AREA: "500 m2", Dim.MONEY: "100万元", Dim.DURATION: "3 years",
                Dim.RATIO: "30%"}
IMPOSSIBLE_DATES = ["2016-02-30", "2015-02-29", "2016-13-01", "2016-00-10", "0000-01-01",
                    "10000-01-01", "2016-9-1", "20160901", "2016-W01-1", "2016-09-01T00:00",
                    datetime(2016, 9, 1, 8, 0), 20160901]


def short(value: object) -> str:
    """A test id: repr, cut (a 10**10000 has no repr at all by default)."""
    if isinstance(value, int) and value > 10**100:
        return "huge-int"
    return repr(value)[:30]


def only_at(err: RecordError, path: str) -> None:
    assert [p.path for p in err.problems] == [path]


@pytest.mark.parametrize("fp", QUANTITIES, ids=str)
@pytest.mark.parametrize("value", NOT_FINITE + TOO_BIG + NEGATIVE, ids=short)
def test_hostile_quantities(fp: FieldPath, value: object) -> None:
    only_at(refused(fp.data(value), fp.cls), f"r.{fp.dotted}")


@pytest.mark.parametrize("fp", QUANTITIES, ids=str)
def test_quantities_of_another_dimension(fp: FieldPath) -> None:
    assert isinstance(fp.type, QuantityT)
    for dim, text in BY_DIMENSION.items():
        if dim is not fp.type.dim:
            err = refused(fp.data(text), fp.cls)
            only_at(err, f"r.{fp.dotted}")
            assert "not a" in err.problems[0].message or "expected" in err.problems[0].message


@pytest.mark.parametrize("fp", INTS, ids=str)
@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN"),
                                   Decimal("Infinity"), 10**10000, Decimal("1e10000"), -1,
                                   1.5, Decimal("2.5"), True, "3"], ids=short)
def test_hostile_whole_numbers(fp: FieldPath, value: object) -> None:
    only_at(refused(fp.data(value), fp.cls), f"r.{fp.dotted}")


@pytest.mark.parametrize("fp", DATES, ids=str)
@pytest.mark.parametrize("value", IMPOSSIBLE_DATES, ids=short)
def test_impossible_dates(fp: FieldPath, value: object) -> None:
    only_at(refused(fp.data(value), fp.cls), f"r.{fp.dotted}")


@pytest.mark.parametrize("fp", DATE_LISTS, ids=str)
@pytest.mark.parametrize("value", IMPOSSIBLE_DATES, ids=short)
def test_impossible_dates_in_a_list(fp: FieldPath, value: object) -> None:
    only_at(refused(fp.data(["2016-09-01", value]), fp.cls), f"r.{fp.dotted}[1]")


def nested(depth: int, leaf: object, kind: str) -> object:
    value = leaf
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


@pytest.mark.parametrize("fp", FIELD_PATHS, ids=str)
@pytest.mark.parametrize("kind", ["list", "dict"])
def test_deeply_nested_values(fp: FieldPath, kind: str) -> None:
    # far deeper than the recursion limit: nothing may recurse into a value
    err = refused(fp.data(nested(5000, "x", kind)), fp.cls)
    assert len(err.problems) == 1
    assert err.path.startswith(f"r.{fp.dotted}")
    assert len(str(err)) < 2000


@pytest.mark.parametrize(("cls", "names"), RECORDS,
                         ids=[".".join((c.__name__, *n)) for c, n in RECORDS])
@pytest.mark.parametrize("key", ["nmae", "_x", "名称", "", "NAME"])
def test_unknown_keys_at_every_level(cls: type, names: tuple[str, ...], key: str) -> None:
    data: Any = {key: 1}
    for name in reversed(names):
        data = {name: data}
    err = refused(data, cls)
    assert err.path == ".".join(("r", *names, key))


@pytest.mark.parametrize(("text", "fmt"), [
    ('{"area": NaN}', "json"), ('{"area": Infinity}', "json"), ('{"area": -Infinity}', "json"),
    ('{"area": 1, "area": 2}', "json"), ('{"operator": {"name": "a", "name": "b"}}', "json"),
    ("[" * 100_000, "json"), ('{"a":' * 100_000, "json"),
    ("area: 1\narea: 2", "yaml"), ("operator: {name: a, name: b}", "yaml"),
    ("a: &x 1\nb: *x", "yaml"), ("a: *x", "yaml"), ("a: !!python/object/apply:os.system [id]",
                                                     "yaml"),
    ("a: !!timestamp 2016-01-01", "yaml"), ("a: !custom 1", "yaml"), ("a: !!binary aGk=", "yaml"),
    ("a: !!float .nan", "yaml"), ("a: !!set {x}", "yaml"), ("[" * 100_000, "yaml"),
    ("a:\n" + "".join(" " * i + "- \n" for i in range(1, 3000)), "yaml"),
])
def test_hostile_documents_are_refused_at_the_document(text: str, fmt: str) -> None:
    with pytest.raises(RecordError) as info:
        load_data(text, fmt)  # type: ignore[arg-type]
    assert info.value.path == "<document>"
    str(info.value).encode("utf-8")


def test_deep_yaml_flow_nesting_is_refused_before_it_is_scanned() -> None:
    # PyYAML's scanner takes time quadratic in unclosed flow collections (2,000 `[` in a
    # 2 KB document took about 1.5 s): more than 200 levels are refused first. Brackets
    # inside a quoted text are text, and 150 closed levels are read as usual.
    with pytest.raises(RecordError, match="nested too deeply"):
        load_data("a: " + "[" * 2000, "yaml")
    assert load_data('a: "' + "[" * 3000 + '"', "yaml") == {"a": "[" * 3000}
    nested = load_data("a: " + "[" * 150 + "]" * 150, "yaml")
    assert isinstance(nested, dict)
