"""Hostile and edge-case records (issue 12): every one is a RecordError naming a path.

The fields under test are found by walking the attrs record classes of
:data:`policykit.records.RECORD_TYPES` (nested records included), so a field added to
the vocabulary is covered without editing this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
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
from policykit.types import (
    BoolT,
    DateT,
    EnumT,
    IntT,
    ListT,
    MapT,
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
@pytest.mark.xfail(strict=True, reason=(
    "issue 12 asks for a null map value to be refused, but tests/test_structure_fast.py "
    "(test_sets_and_maps, not ours to edit) holds {'c': None} in assessments as accepted, "
    "and the evaluator reads a null judgement as awaiting: left to the owner"))
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


RECORD_YEARS_PENDING = pytest.mark.xfail(strict=True, reason=(
    "issue 12 item 4: bounding Meetings.year needs tests/test_structure_fast.py (not ours "
    "to edit) to draw clean years from 1 to 9999 (its clean_record draws 0 to 10**29); "
    "the change to records.py is ready, see the issue 12 report"))


def test_the_walk_finds_the_years() -> None:
    assert "Meetings.year" in set(map(str, YEARS))


@RECORD_YEARS_PENDING
def test_every_year_field_is_marked_a_year() -> None:
    # a year field is a whole number, marked as a year for the converter
    assert all(isinstance(fp.type, IntT) and fp.metadata.get("year") for fp in YEARS)


@years
@pytest.mark.parametrize("year", [0, 10_000, 810_854, 10**29])
@RECORD_YEARS_PENDING
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
