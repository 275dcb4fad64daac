"""The record vocabulary of the bundled policies, and how plain data becomes records.

Every record is a frozen attrs class whose fields all default to ``None``: an absent
field is an *unknown* fact, never 0, ``False`` or empty. Each field carries, in its
attrs metadata, its Chinese label (as on the official form), a short English label
and its policykit type (:mod:`policykit.types`); :func:`schema_fields` lists them.

Plain data (a dict, or JSON / YAML read with :func:`load_data`) becomes a record with
:func:`structure`, which checks every value against the field's type without silent
coercion and reports *all* the problems of a record in one
:class:`~policykit.errors.RecordError` (a well-formed dict takes a fast path; anything
else goes through the detailed converter, which gives the same records and reports the
problems); :func:`unstructure` turns a record back into JSON-ready data. The field
names, enum names and labels are a public contract (``shared/spec/bundled-records.md``).
"""

# The record fields are declared with `fld`, a wrapper of attrs.field (not a dataclass call):

from __future__ import annotations

import functools
import json
import math
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import MAXYEAR, MINYEAR, date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, TypeVar, cast

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError, ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from policykit.calendar import Duration
from policykit.diagnostics import closest
from policykit.errors import RecordError, RecordProblem
from policykit.quantities import (
    MAX_DIGITS,
    NumberError,
    format_decimal,
    number_from_data,
    parse_quantity,
    scaled,
)
from policykit.stdlib.units import HALF_YEAR, UNITS, Dim, Unit, unit_named
from policykit.types import (
    BOOL,
    DATE,
    INT,
    TEXT,
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

if TYPE_CHECKING:
    import yaml

__all__ = [
    "RECORD_TYPES",
    "Ballot",
    "ChairTerm",
    "CoopBaseApplicant",
    "Document",
    "Expense",
    "Facility",
    "FieldInfo",
    "FilingApplication",
    "FrozenMap",
    "LabeledEnum",
    "LegalForm",
    "Level",
    "MakerSpace",
    "Meetings",
    "Nature",
    "OrgKind",
    "Organization",
    "Premises",
    "Procedure",
    "Proposal",
    "RegionStats",
    "Route",
    "Seating",
    "Service",
    "System",
    "Term",
    "fld",
    "load_data",
    "schema_fields",
    "structure",
    "unstructure",
]

T = TypeVar("T")
V = TypeVar("V")

# ---------------------------------------------------------------------------
# Enums


class LabeledEnum(Enum):
    """An enum whose value is its name in records, whose ``label`` is the Chinese name
    and ``label_en`` the English one, as explanations print them (never the value).

    Members are declared as ``rd_design = "rd_design", "研发设计", "R&D and design"``.
    """

    _value_: str
    label: str
    label_en: str

    def __new__(cls, name: str, label: str, label_en: str) -> Self:
        member = object.__new__(cls)
        member._value_ = name
        member.label = label
        member.label_en = label_en
        return member

    @classmethod
    def lookup(cls, text: object) -> Self | None:
        """The member whose English name or Chinese label is exactly ``text``, or None."""
        if not isinstance(text, str):
            return None
        return cast("Self | None", _lookup_table(cls).get(text))

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.value}"


_LOOKUP_TABLES: dict[type[LabeledEnum], dict[str, LabeledEnum]] = {}


def _lookup_table(enum: type[LabeledEnum]) -> dict[str, LabeledEnum]:
    table = _LOOKUP_TABLES.get(enum)
    if table is None:
        table = {m.value: m for m in enum}
        table.update({m.label: m for m in enum})
        _LOOKUP_TABLES[enum] = table  # one entry per enum class: bounded
    return table


class LegalForm(LabeledEnum):
    legal_person = "legal_person", "独立法人", "independent legal person"
    social_organization = "social_organization", "其他社会组织", "other social organization"
    affiliated_unit = (
        "affiliated_unit", "依托法人设立的相对独立机构",
        "relatively independent unit set up by a legal person",
    )
    unincorporated = "unincorporated", "非法人", "unincorporated"


class Nature(LabeledEnum):
    public_institution = "public_institution", "事业单位", "public institution"
    state_owned = "state_owned", "国有企业", "state-owned enterprise"
    private = "private", "民营企业", "private enterprise"
    other = "other", "其他", "other"


class OrgKind(LabeledEnum):
    incubator = "incubator", "科技企业孵化器", "technology business incubator"
    maker_space = "maker_space", "众创空间", "maker space"
    accelerator = "accelerator", "加速器", "accelerator"
    science_park = "science_park", "科技园区", "science park"
    university_science_park = "university_science_park", "大学科技园", "university science park"
    tech_enterprise = "tech_enterprise", "科技企业", "technology enterprise"
    university = "university", "高校", "university"
    research_institute = "research_institute", "科研院所", "research institute"
    industrial_park = "industrial_park", "园区", "industrial park"
    sme_service_center = "sme_service_center", "中小企业服务中心", "SME service centre"
    public_service_platform = (
        "public_service_platform", "中小企业公共服务平台",
        "SME public service platform",
    )
    industry_window_platform = (
        "industry_window_platform", "产业集群窗口平台", "industry cluster window platform"
    )
    service_agency = "service_agency", "服务机构", "service agency"
    innovation_base = "innovation_base", "创业创新基地", "innovation and entrepreneurship base"
    enterprise = "enterprise", "企业", "enterprise"


class Level(LabeledEnum):
    """A recognition level, ordered: none < county < city < provincial < national."""

    none = "none", "未认定", "not recognised"
    county = "county", "县级", "county level"
    city = "city", "市级", "city level"
    provincial = "provincial", "省级", "provincial level"
    national = "national", "国家级", "national level"

    @property
    def rank(self) -> int:
        """0 for ``none`` up to 4 for ``national``."""
        return _LEVEL_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank


_LEVEL_RANK: dict[Level, int] = {level: i for i, level in enumerate(Level)}


class Premises(LabeledEnum):
    owned = "owned", "自有", "owned"
    leased = "leased", "租赁", "leased"


class Service(LabeledEnum):
    rd_design = "rd_design", "研发设计", "R&D and design"
    tech_transfer = "tech_transfer", "技术转移", "technology transfer"
    certification_testing = "certification_testing", "认证检测", "certification and testing"
    incubation = "incubation", "创业孵化", "incubation"
    ip = "ip", "知识产权", "intellectual property"
    consulting = "consulting", "科技咨询", "S&T consulting"
    finance = "finance", "科技金融", "S&T finance"
    info_platform = "info_platform", "信息平台", "information platform"
    tech_intermediary = "tech_intermediary", "科技中介", "S&T intermediary services"
    results_trading = "results_trading", "成果交易", "trading of research results"


class Facility(LabeledEnum):
    power = "power", "供电", "power supply"
    water = "water", "供水", "water supply"
    fire_safety = "fire_safety", "消防", "fire safety"
    telecom = "telecom", "通讯", "telecommunications"
    network = "network", "网络", "network access"


class System(LabeledEnum):
    entry_evaluation = "entry_evaluation", "评估准入", "entry evaluation"
    graduation = "graduation", "毕业", "graduation"
    exit = "exit", "退出/淘汰", "exit or removal"
    financial = "financial", "财务管理", "financial management"
    archive = "archive", "信息档案管理", "records and archives"
    info_sharing = "info_sharing", "信息开放共享", "open sharing of information"
    secretary_contact = (
        "secretary_contact", "商务秘书和联系人",
        "business secretary and contact person",
    )
    project_selection = "project_selection", "项目遴选", "project selection"
    info_management = "info_management", "信息管理", "information management"
    mentor_workflow = "mentor_workflow", "导师工作机制", "mentor working mechanism"


class Document(LabeledEnum):
    application_form = "application_form", "申请表", "application form"
    business_license = "business_license", "营业执照", "business licence"
    org_code_certificate = "org_code_certificate", "组织机构代码证", "organization code certificate"
    legal_rep_id = "legal_rep_id", "法人代表身份证明", "legal representative's identity document"
    seed_fund_proof = "seed_fund_proof", "种子资金证明", "proof of seed funds"
    property_or_lease = "property_or_lease", "产权证明或租赁协议", "property certificate or lease"
    management_structure = (
        "management_structure", "管理机构设置文件",
        "document setting up the management",
    )
    entry_exit_rules = "entry_exit_rules", "入孵条件及退出办法", "entry conditions and exit rules"
    team_roster = "team_roster", "入驻团队名单及协议", "list of resident teams and their agreements"
    staff_credentials = (
        "staff_credentials", "管理团队学历培训证明",
        "management team's education and training certificates",
    )
    mentor_appointments = (
        "mentor_appointments", "导师聘书及记录", "mentors' letters of appointment and records"
    )
    activity_records = "activity_records", "活动记录", "records of activities"
    org_profile = "org_profile", "组织机构简介", "profile of the organisation"


class Route(LabeledEnum):
    city_science_bureau = (
        "city_science_bureau", "所在地科技局", "the city's science and technology bureau"
    )
    hitech_zone_committee = (
        "hitech_zone_committee", "国家高新区管委会",
        "the national high-tech zone's management committee",
    )
    recommending_unit = "recommending_unit", "推荐单位", "a recommending unit"
    alliance = "alliance", "众创空间联盟", "the maker-space alliance"
    association = "association", "孵化器协会推荐", "recommended by the incubator association"
    self = "self", "自行申请", "applying directly"


# ---------------------------------------------------------------------------
# A read-only map for map-typed fields


_first = operator.itemgetter(0)


class FrozenMap(Mapping[str, V]):
    """An immutable, hashable map from text to values (equal to any equal mapping)."""

    __slots__ = ("_data", "_sorted")

    _data: dict[str, V]
    _sorted: tuple[tuple[str, V], ...]

    def __init__(self, items: Mapping[str, V] | Iterable[tuple[str, V]] = ()) -> None:
        data = dict(items)
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_sorted", tuple(sorted(data.items(), key=_first)))

    @classmethod
    def _owning(cls, data: dict[str, V]) -> FrozenMap[V]:
        """The map of ``data``, a dict no one else holds, whose keys are all text.

        ``__init__`` without the copy, and with the items sorted only when first needed
        (a lookup by key never needs them).
        """
        self = object.__new__(cls)
        object.__setattr__(self, "_data", data)
        return self

    @property
    def _items(self) -> tuple[tuple[str, V], ...]:
        """The items in key order."""
        try:
            return self._sorted
        except AttributeError:
            items = tuple(sorted(self._data.items(), key=_first))
            object.__setattr__(self, "_sorted", items)
            return items

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a FrozenMap cannot be changed")

    def __getitem__(self, key: str) -> V:
        return self._data[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default`` (one dict lookup: judgements are read
        this way on every evaluation)."""
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __reduce__(self) -> tuple[Any, ...]:
        # copy, deepcopy and pickle rebuild the map through __init__ (it refuses
        # attribute assignment, which their default protocol uses).
        return (type(self), (dict(self._data),))

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self._items)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._items == other._items
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self._items)!r})"


# ---------------------------------------------------------------------------
# Field metadata


AREA = QuantityT(Dim.AREA)
MONEY = QuantityT(Dim.MONEY)
DURATION = QuantityT(Dim.DURATION)


def fld(label: str, label_en: str, ty: Type, *, unordered: bool = False,
        year: bool = False) -> Any:
    """A record field defaulting to None, with its labels and policykit type as metadata.

    ``unordered`` marks a ``ListT(TEXT)`` field that holds a set of texts (a frozenset);
    ``year`` an ``INT`` field that holds a calendar year (1 to 9999, the years of
    ``datetime.date``).
    """
    metadata = {"label": label, "label_en": label_en, "type": ty, "unordered": unordered,
                "year": year}
    return attrs.field(default=None, metadata=metadata)


@attrs.frozen
class FieldInfo:
    """What the checker and explanations know about one record field."""

    name: str
    label: str
    label_en: str
    type: Type


# ---------------------------------------------------------------------------
# Records


@attrs.frozen(kw_only=True)
class Organization:
    """申请单位 / 运营机构."""

    name: str | None = fld("名称", "name", TEXT)
    registered_province: str | None = fld("注册省份", "province of registration", TEXT)
    registered_city: str | None = fld("注册城市", "city of registration", TEXT)
    registered_district: str | None = fld("所在区 / 园区", "district or park", TEXT)
    legal_form: LegalForm | None = fld("法人资格", "legal form", EnumT(LegalForm))
    nature: Nature | None = fld("机构性质", "nature", EnumT(Nature))
    kind: OrgKind | None = fld("机构类型", "kind of organization", EnumT(OrgKind))
    recognition_level: Level | None = fld(
        "经科技主管部门认定（备案）的最高级别", "highest recognition level", EnumT(Level)
    )
    established_on: date | None = fld("成立时间", "established on", DATE)
    documents: frozenset[Document] | None = fld(
        "已提交材料", "documents submitted", SetT(Document)
    )
    declarations: frozenset[str] | None = fld(
        "申请人声明", "declarations", ListT(TEXT), unordered=True
    )
    assessments: FrozenMap[bool] | None = fld("评审意见", "assessments", MapT(BOOL))


@attrs.frozen(kw_only=True)
class CoopBaseApplicant(Organization):
    """国际科技合作孵化基地试点申请单位 (国合 第十条)."""

    international_goals: bool | None = fld(
        "具有国际化发展目标", "international development goals", BOOL
    )
    service_system: bool | None = fld(
        "完善的孵化服务体系", "complete incubation service system", BOOL
    )
    intl_channels: bool | None = fld(
        "国际科技合作渠道", "international cooperation channels", BOOL
    )
    full_time_team: bool | None = fld("专职服务团队", "full-time service team", BOOL)
    intl_tech_transfer_cases: int | None = fld(
        "技术引进、孵化、转化及国际人才引进的服务业绩（件）",
        "international transfer and talent cases",
        INT,
    )
    intl_platforms: int | None = fld(
        "在国内或海外建立的国际合作平台或基地数", "international cooperation platforms", INT
    )
    overseas_plan: bool | None = fld(
        "近期在海外设立相关机构的计划和行动", "plan to set up overseas", BOOL
    )


@attrs.frozen(kw_only=True)
class MakerSpace:
    """众创空间."""

    name: str | None = fld("众创空间名称", "name", TEXT)
    operator: Organization | None = fld("运营机构", "operator", RecordT(Organization))
    specialty: str | None = fld("发展方向 / 专业方向", "specialty", TEXT)
    specialized: bool | None = fld(
        "专注特定产业或技术领域", "focused on an industry or technology", BOOL
    )
    established_on: date | None = fld("成立时间", "established on", DATE)
    area: Decimal | None = fld("场地面积", "floor area", AREA)
    public_area: Decimal | None = fld("公共场地面积", "public floor area", AREA)
    premises: Premises | None = fld("场地性质", "premises", EnumT(Premises))
    lease_term: Duration | None = fld("租期", "lease term", DURATION)
    ready_to_move_in: bool | None = fld("具备“即入即开”条件", "ready to move in", BOOL)
    free_or_low_cost_office: bool | None = fld(
        "免费或低成本开放式办公空间", "free or low-cost open office", BOOL
    )
    public_tech_platform: bool | None = fld(
        "研究开发、检验测试等公共技术平台", "public technology platform", BOOL
    )
    teams: int | None = fld("入驻创业团队和初创企业数", "resident teams and start-ups", INT)
    mentors: int | None = fld("创业导师 (兼职可)", "mentors", INT)
    staff: int | None = fld("管理服务人员", "management staff", INT)
    full_time_team: bool | None = fld("专职运营服务团队", "full-time operating team", BOOL)
    seed_fund: Decimal | None = fld("种子基金 / 投资基金", "seed fund", MONEY)
    investor_partners: int | None = fld(
        "密切合作的天使投资、创投、私募、担保机构数", "partner investors", INT
    )
    successful_investments: int | None = fld("成功投资实例", "successful investments", INT)
    free_residency: Duration | None = fld(
        "免费入驻期 (免租金、免网费)", "free residency period", DURATION
    )
    services: frozenset[Service] | None = fld("提供的专业服务", "services", SetT(Service))
    facilities: frozenset[Facility] | None = fld(
        "配套基础设施", "facilities", SetT(Facility)
    )
    systems: frozenset[System] | None = fld("管理制度", "management systems", SetT(System))
    activities_per_year: int | None = fld("组织活动次数", "activities per year", INT)
    online_platform: bool | None = fld(
        "线上服务平台 (线上线下结合)", "online service platform", BOOL
    )
    in_national_hitech_zone: bool | None = fld(
        "位于国家高新区", "in a national high-tech zone", BOOL
    )
    filing_level: Level | None = fld("备案级别", "filing level", EnumT(Level))


@attrs.frozen(kw_only=True)
class FilingApplication:
    """备案 / 认定申请."""

    space: MakerSpace | None = fld("申请的众创空间", "maker space", RecordT(MakerSpace))
    route: Route | None = fld("申报渠道", "route", EnumT(Route))
    submitted_on: date | None = fld("报送日期", "submitted on", DATE)
    district_recommendation: bool | None = fld(
        "区(县)科技主管部门推荐意见", "district recommendation", BOOL
    )
    filed_in_first_batch: bool | None = fld("已在首批报送", "filed in the first batch", BOOL)
    form: FrozenMap[str] | None = fld("基本信息表文字栏", "form texts", MapT(TEXT))


@attrs.frozen(kw_only=True)
class Ballot:
    """表决."""

    body: str | None = fld("表决机构", "body", TEXT)
    members: int | None = fld("有表决权的成员数", "members entitled to vote", INT)
    present: int | None = fld("出席人数", "members present", INT)
    yes: int | None = fld("赞成票数", "votes for", INT)
    no: int | None = fld("反对票数", "votes against", INT)
    abstain: int | None = fld("弃权票数", "abstentions", INT)
    held_on: date | None = fld("表决日期", "held on", DATE)


@attrs.frozen(kw_only=True)
class Proposal:
    """提议."""

    body: str | None = fld("提议机构", "body", TEXT)
    proposers: tuple[str, ...] | None = fld("提议人", "proposers", ListT(TEXT))


@attrs.frozen(kw_only=True)
class Seating:
    """组成."""

    body: str | None = fld("机构", "body", TEXT)
    seats: FrozenMap[int] | None = fld("各职务人数", "seats by role", MapT(INT))
    term_started: date | None = fld("本届任期开始日期", "term started on", DATE)


@attrs.frozen(kw_only=True)
class Meetings:
    """Meetings a body held (会议)."""

    body: str | None = fld("机构", "body", TEXT)
    held_on: tuple[date, ...] | None = fld("会议日期", "meetings held on", ListT(DATE))
    year: int | None = fld("考察年度", "year", INT, year=True)
    extraordinary_on: tuple[date, ...] | None = fld(
        "临时会议日期", "extraordinary meetings held on", ListT(DATE)
    )


@attrs.frozen(kw_only=True)
class Term:
    """任期: of a body or of a role."""

    body: str | None = fld("机构", "body", TEXT)
    role: str | None = fld("职务", "role", TEXT)
    term_started: date | None = fld("任期开始日期", "term started on", DATE)


@attrs.frozen(kw_only=True)
class Procedure:
    """程序: the steps of a procedure, one field per step (a yes/no for an approval, a
    Ballot for a vote)."""

    application_submitted: bool | None = fld("提出申请", "application submitted", BOOL)
    review_approved: bool | None = fld(
        "执行委员会审查通过", "approved on review by the executive committee", BOOL
    )
    secretariat_verified: bool | None = fld(
        "秘书处核实", "verified by the secretariat", BOOL
    )
    plenary_meeting_held: bool | None = fld(
        "已召开联盟全体会议讨论", "discussed at a meeting of the whole alliance", BOOL
    )
    assembly: Ballot | None = fld("会员大会表决", "vote of the assembly", RecordT(Ballot))
    council: Ballot | None = fld("理事会表决", "vote of the council", RecordT(Ballot))


@attrs.frozen(kw_only=True)
class ChairTerm:
    """轮值理事长任期."""

    started_on: date | None = fld("任期开始日期", "started on", DATE)
    ended_on: date | None = fld("任期结束日期", "ended on", DATE)
    activities_hosted: int | None = fld("主办活动次数", "activities hosted", INT)
    summary_submitted: bool | None = fld("已提交工作总结", "summary submitted", BOOL)


@attrs.frozen(kw_only=True)
class Expense:
    """经费支出."""

    amount: Decimal | None = fld("金额", "amount", MONEY)
    purpose: str | None = fld("用途", "purpose", TEXT)
    within_scope: bool | None = fld("在经费使用范围内", "within the permitted scope", BOOL)
    distributed_to_members: bool | None = fld(
        "在会员中分配", "distributed to members", BOOL
    )


@attrs.frozen(kw_only=True)
class RegionStats:
    """A region's counts against the 钦州 2020 targets."""

    maker_spaces: int | None = fld("众创空间数", "maker spaces", INT)
    maker_spaces_in_hitech_zone: int | None = fld(
        "高新区众创空间数", "maker spaces in the high-tech zone", INT
    )
    incubators: int | None = fld("科技企业孵化器数", "incubators", INT)
    university_science_parks: int | None = fld(
        "大学科技园数", "university science parks", INT
    )
    student_bases: int | None = fld("大学生创业示范基地数", "student start-up bases", INT)
    micro_enterprise_bases: int | None = fld(
        "小微企业创业孵化基地数", "micro-enterprise incubation bases", INT
    )
    consulting_agencies: int | None = fld(
        "创业咨询专业机构数", "start-up consulting agencies", INT
    )
    mentors: int | None = fld("创业导师、咨询师人数", "mentors and consultants", INT)
    talents: int | None = fld("创新创业人才数", "innovation and start-up talents", INT)
    incubated_enterprises: int | None = fld(
        "累计孵化创业企业数", "enterprises incubated", INT
    )
    jobs: int | None = fld("带动就业人数", "jobs created", INT)


RECORD_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Organization,
        CoopBaseApplicant,
        MakerSpace,
        FilingApplication,
        Ballot,
        Proposal,
        Seating,
        Meetings,
        Term,
        Procedure,
        ChairTerm,
        Expense,
        RegionStats,
    )
}
"""Every record type by its name."""


def _field_infos(cls: type) -> dict[str, FieldInfo]:
    infos: dict[str, FieldInfo] = {}
    for a in attrs.fields(cls):
        meta = a.metadata
        if "type" not in meta:
            raise TypeError(f"{cls.__name__}.{a.name} has no policykit type")
        infos[a.name] = FieldInfo(a.name, meta["label"], meta["label_en"], meta["type"])
    return infos


_SCHEMAS: dict[type, dict[str, FieldInfo]] = {
    cls: _field_infos(cls) for cls in RECORD_TYPES.values()
}


def schema_fields(cls: type) -> dict[str, FieldInfo]:
    """The fields of a record type by name, in declaration order."""
    infos = _SCHEMAS.get(cls)
    if infos is None:
        if not attrs.has(cls):
            raise TypeError(f"{cls!r} is not a record type")
        infos = _field_infos(cls)
    return dict(infos)


# ---------------------------------------------------------------------------
# Showing offending input in messages

_CLIP = 40
_SHOWN_INT_LIMIT = 10**4000  # str() of an int refuses more than 4300 digits


def _printable(text: str) -> str:
    """``text`` with invisible, control, bidi and surrogate characters escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _clip(text: str, limit: int = _CLIP) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _show(value: object, depth: int = 0) -> str:
    """A short, safe rendering of an input value: ``"big"``, ``true``, ``NaN``, ``[…]``."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return '"' + _printable(_clip(value)) + '"'
    if isinstance(value, int):
        if abs(value) < _SHOWN_INT_LIMIT:
            return _clip(str(value))
        return "a number of thousands of digits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return _clip(str(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return _clip(f"{type(value).__name__}.{value.name}")
    if isinstance(value, Mapping):
        if depth:
            return "{…}"
        shown = [f"{_show(k, 1)}: {_show(v, 1)}" for k, v in list(value.items())[:3]]
        more = ", …" if len(value) > 3 else ""
        return _clip("{" + ", ".join(shown) + more + "}", 2 * _CLIP)
    if isinstance(value, list | tuple | set | frozenset):
        if depth:
            return "[…]"
        items = list(value)[:3] if isinstance(value, list | tuple) else sorted(map(_show, value))
        shown = [x if isinstance(value, set | frozenset) else _show(x, 1) for x in items[:3]]
        more = ", …" if len(value) > 3 else ""
        return _clip("[" + ", ".join(str(s) for s in shown) + more + "]", 2 * _CLIP)
    return f"a value of type {_printable(_clip(type(value).__name__))}"


# ---------------------------------------------------------------------------
# Structure hooks, one per policykit type


class _Invalid(Exception):
    """Problems found by a hook: (path suffix such as ``[2]``, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def _fail(message: str) -> _Invalid:
    return _Invalid([("", message)])


Hook = Callable[[Any, Any], Any]
"""A cattrs structure hook: (value, declared type) to the field's value."""

_INT_LIMIT = 10**MAX_DIGITS
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MAX_QUANTITY_TEXT = 100
_EXAMPLES = {
    Dim.AREA: 'an area such as "500 m2"',
    Dim.MONEY: 'an amount of money such as "100万元"',
    Dim.DURATION: 'a duration such as "3 years" or "6个月"',
    Dim.RATIO: 'a percentage such as "30%"',
}


def _bool_hook(value: Any, _t: Any = None) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _fail(f"expected true or false, got {_show(value)}")


def _int_hook(value: Any, _t: Any = None) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise _fail(f"expected a whole number that is not negative, got {_show(value)}")
        if value >= _INT_LIMIT:
            raise _fail(f"expected a whole number of at most {MAX_DIGITS} digits, "
                        f"got {_show(value)}")
        return value
    if isinstance(value, Decimal) and value.is_finite():
        _sign, digits, exponent = value.as_tuple()
        if isinstance(exponent, int) and exponent >= 0 and len(digits) > MAX_DIGITS:
            raise _fail(f"expected a whole number of at most {MAX_DIGITS} digits, "
                        f"got {_show(value)}")
    raise _fail(f"expected a whole number, got {_show(value)}")


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _valid_text(text: str) -> bool:
    """Whether ``text`` is valid Unicode: it holds no lone surrogate (U+D800–U+DFFF),
    which JSON's ``"\\ud800"`` escape gives and which no output can encode.

    A surrogate is not printable, so the two cheap tests settle almost every text (a
    Chinese name in a third of the time of the search).
    """
    return text.isascii() or text.isprintable() or _SURROGATE.search(text) is None


def _not_unicode(text: str, what: str = "the text") -> str:
    found = _SURROGATE.search(text)
    code = f"U+{ord(found.group()):04X}" if found else "a surrogate"
    return (f"{what} {_show(text)} is not valid Unicode: it holds a lone surrogate "
            f"({code})")


def _year_hook(value: Any, _t: Any = None) -> int | None:
    """A calendar year: MINYEAR to MAXYEAR (1 to 9999), the years of datetime.date, the
    calendar a policy can reason about."""
    if isinstance(value, int) and not isinstance(value, bool):
        if MINYEAR <= value <= MAXYEAR:
            return value
        raise _fail(f"expected a year from {MINYEAR} to {MAXYEAR}, got {_show(value)}")
    return _int_hook(value)  # null, or the whole-number message for anything else


def _text_hook(value: Any, _t: Any = None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        if value.isascii() or value.isprintable() or _SURROGATE.search(value) is None:
            return value  # _valid_text(value), inline: this runs for every text field
        raise _fail(_not_unicode(value))
    raise _fail(f"expected text, got {_show(value)}")


def _date_hook(value: Any, _t: Any = None) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    expected = 'expected a date such as "2016-09-01"'
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _fail(f"{expected}, got {_show(value)}: there is no such day") from None
    raise _fail(f"{expected}, got {_show(value)}")


def _quantity_hook(dim: Dim) -> Hook:
    expected = f"expected {_EXAMPLES[dim]}"

    def hook(value: Any, _t: Any = None) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            if len(value) > _MAX_QUANTITY_TEXT:
                raise _fail(f"{expected}, got {_show(value)}: the text is too long")
            try:
                quantity, _unit = parse_quantity(value, dim)
            except NumberError as err:
                detail = str(err)
                raise _bad(value, "" if detail.startswith("expected") else detail) from None
            return quantity
        if dim is Dim.DURATION and isinstance(value, Duration):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise _bad(value, "")
        if isinstance(value, int):
            if value >= _INT_LIMIT:
                raise _bad(value, f"more than {MAX_DIGITS} digits")
        elif math.isnan(value) if isinstance(value, float) else value.is_nan():
            raise _bad(value, "not a number")
        elif math.isinf(value) if isinstance(value, float) else value.is_infinite():
            raise _bad(value, "not a finite number")
        if value < 0:
            raise _bad(value, "a quantity is never negative")
        try:
            number = number_from_data(value)
        except NumberError as err:
            raise _bad(value, str(err)) from None
        if dim is Dim.DURATION:
            if number != number.to_integral_value():
                raise _bad(value, "a bare duration is a whole number of months")
            return Duration(months=int(number))
        return number

    def _bad(value: object, detail: str) -> _Invalid:
        got = f"{expected}, got {_show(value)}"
        return _fail(f"{got}: {detail}" if detail else got)

    return hook


def _enum_message(enum: type[LabeledEnum], value: object) -> str:
    names = ", ".join(m.value for m in enum)
    message = (f"expected a {enum.__name__} ({names}, or its Chinese label), "
               f"got {_show(value)}")
    if isinstance(value, str):
        guess = closest(value, _lookup_table(enum))
        if guess is not None:
            message += f'; did you mean "{_lookup_table(enum)[guess].value}"?'
    return message


def _enum_hook(enum: type[LabeledEnum]) -> Hook:
    table = _lookup_table(enum)

    def hook(value: Any, _t: Any = None) -> Any:
        if value is None or isinstance(value, enum):
            return value
        if isinstance(value, str):
            member = table.get(value)
            if member is not None:
                return member
        raise _fail(_enum_message(enum, value))

    return hook


def _items_hook(item: Hook, what: str, one: str, *, ordered: bool, result: type) -> Hook:
    """A list (or set) of items, each checked by ``item``; a bare string is refused, and
    so is a null item (``one`` names an item in the message)."""
    accepted: tuple[type, ...] = (list, tuple) if ordered else (list, tuple, set, frozenset)
    null_item = f"expected {one}, got null: leave an unknown item out of the list"

    def hook(value: Any, _t: Any = None) -> Any:
        if value is None:
            return None
        if not isinstance(value, accepted):
            raise _fail(f"expected a list of {what}, got {_show(value)}")
        items: list[Any] = []
        problems: list[tuple[str, str]] = []
        indexed = isinstance(value, list | tuple)
        given = cast("Iterable[Any]", value)
        for i, x in enumerate(given if indexed else sorted(given, key=_show)):
            suffix = f"[{i}]" if indexed else ""
            if x is None:
                problems.append((suffix, null_item))
                continue
            try:
                items.append(item(x, None))
            except _Invalid as exc:
                problems.extend((suffix + s, m) for s, m in exc.problems)
        if problems:
            raise _Invalid(problems)
        return result(items)

    return hook


def _map_hook(item: Hook, what: str) -> Hook:
    """A map from text to values each checked by ``item``; a null key or value is
    refused (``what`` names a value in the message)."""
    null_value = f"expected {what}, got null: leave an unknown entry out of the map"

    def hook(value: Any, _t: Any = None) -> Any:
        if value is None:
            return None
        if isinstance(value, FrozenMap):
            value = value._data
        if not isinstance(value, Mapping):
            raise _fail(f"expected a mapping from text to {what}, got {_show(value)}")
        entries: list[tuple[str, Any]] = []
        problems: list[tuple[str, str]] = []
        for key, x in value.items():
            if not isinstance(key, str):
                problems.append(("", f"expected text keys, got {_show(key)}"))
                continue
            suffix = f"[{_printable(_clip(key))}]"
            if not _valid_text(key):
                problems.append((suffix, _not_unicode(key, "the key")))
                continue
            if x is None:
                problems.append((suffix, null_value))
                continue
            try:
                entries.append((key, item(x, None)))
            except _Invalid as exc:
                problems.extend((suffix + s, m) for s, m in exc.problems)
        if problems:
            raise _Invalid(problems)
        return FrozenMap(entries)

    return hook


def _structure_hook(ty: Type, unordered: bool, records: Mapping[type, Hook]) -> Hook:
    match ty:
        case BoolT():
            return _bool_hook
        case IntT():
            return _int_hook
        case TextT():
            return _text_hook
        case DateT():
            return _date_hook
        case QuantityT(dim):
            return _quantity_hook(dim)
        case EnumT(enum):
            return _enum_hook(cast("type[LabeledEnum]", enum))
        case SetT(enum):
            return _items_hook(
                _enum_hook(cast("type[LabeledEnum]", enum)),
                f"{enum.__name__} values",
                ("an " if enum.__name__[0] in "AEIOU" else "a ") + enum.__name__,
                ordered=False,
                result=frozenset,
            )
        case RecordT(cls):

            def record(value: Any, _t: Any = None) -> Any:
                return records[cls](value, cls)

            return record
        case MapT(value_type):
            return _map_hook(_structure_hook(value_type, False, records), _what(value_type))
        case ListT(item_type):
            return _items_hook(
                _structure_hook(item_type, False, records),
                _what(item_type, plural=True),
                _what(item_type),
                ordered=not unordered,
                result=frozenset if unordered else tuple,
            )
    raise TypeError(f"no structure hook for {ty!r}")  # pragma: no cover - exhaustive


def _what(ty: Type, plural: bool = False) -> str:
    match ty:
        case BoolT():
            return "true or false"
        case IntT():
            return "whole numbers" if plural else "a whole number"
        case DateT():
            return "dates" if plural else "a date"
        case TextT():
            return "texts" if plural else "text"
    return str(ty)  # pragma: no cover - the vocabulary has no other item types


def _record_hook(cls: type, generated: Callable[[Any, type], Any]) -> Hook:
    def hook(value: Any, _t: Any = None) -> Any:
        if value is None or isinstance(value, cls):
            return value
        if not isinstance(value, Mapping):
            raise _fail(f"expected a mapping of {cls.__name__} fields, got {_show(value)}")
        return generated(value, cls)

    return hook


# ---------------------------------------------------------------------------
# Unstructure hooks


Unhook = Callable[[Any], Any]

_UNIT_TEXT = {Dim.AREA: "m2", Dim.MONEY: "元"}


def _identity(value: Any) -> Any:
    return value


def _unstructure_hook(ty: Type, unordered: bool, converter: cattrs.Converter) -> Unhook:
    match ty:
        case BoolT() | IntT() | TextT():
            return _identity
        case DateT():
            return lambda value: value.isoformat()
        case QuantityT(Dim.DURATION):
            return lambda d: f"{d.days} days" if d.days else f"{d.months} months"
        case QuantityT(dim):
            unit = _UNIT_TEXT[dim]
            return lambda value: f"{format_decimal(value)} {unit}"
        case EnumT():
            return lambda member: member.value
        case SetT():
            return lambda members: sorted(m.value for m in members)
        case RecordT():
            return converter.unstructure
        case MapT(value_type):
            inner = _unstructure_hook(value_type, False, converter)
            return lambda mapping: {k: inner(v) for k, v in mapping.items()}
        case ListT(item_type):
            each = _unstructure_hook(item_type, False, converter)
            if unordered:
                return lambda values: sorted(each(v) for v in values)
            return lambda values: [each(v) for v in values]
    raise TypeError(f"no unstructure hook for {ty!r}")  # pragma: no cover - exhaustive


# ---------------------------------------------------------------------------
# The converter


@functools.cache
def _conversion() -> tuple[cattrs.Converter, dict[type, Hook]]:
    """The records' own converter and its record hooks, built once."""
    converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)
    records: dict[type, Hook] = {}
    for cls in RECORD_TYPES.values():
        struct_overrides: dict[str, Any] = {}
        unstruct_overrides: dict[str, Any] = {}
        for a in attrs.fields(cls):
            ty: Type = a.metadata["type"]
            unordered: bool = a.metadata["unordered"]
            struct_overrides[a.name] = override(
                struct_hook=_year_hook if a.metadata["year"]
                else _structure_hook(ty, unordered, records)
            )
            unstruct_overrides[a.name] = override(
                unstruct_hook=_unstructure_hook(ty, unordered, converter)
            )
        generated: Callable[[Any, type], Any] = make_dict_structure_fn(
            cls,
            converter,
            _cattrs_forbid_extra_keys=True,
            _cattrs_detailed_validation=True,
            **struct_overrides,
        )
        records[cls] = _record_hook(cls, generated)
        converter.register_structure_hook(cls, records[cls])
        converter.register_unstructure_hook(
            cls,
            make_dict_unstructure_fn(
                cls, converter, _cattrs_omit_if_default=True, **unstruct_overrides
            ),
        )
    return converter, records


def _converter() -> cattrs.Converter:
    """The records' own converter (never cattrs' global one), built once."""
    return _conversion()[0]


# ---------------------------------------------------------------------------
# The fast path
#
# Well-formed records, as a filing portal sends them, are structured by plain closures
# built once per record class: a dict whose keys are all fields, each value converted by
# a cheap check of its common form (an enum name, "500 m2", a list of enum names) or
# else by the field's own structure hook above. The fast path never reports a problem:
# on any doubt (an unknown key, a value a hook refuses, any exception at all) it gives
# up, and the detailed cattrs path structures the record again from the start, so that
# errors and their messages are the detailed path's alone. It only ever returns what the
# detailed path returns: each shortcut is the hook's own logic for the one form it takes.
# What it keeps between records (the memos below, each bounded) is immutable, does not
# depend on the decimal context, and holds only short, valid texts (quantities, dates,
# sets of enum names), never other input.

FastHook = Callable[[Any], Any]
"""A fast-path conversion of one value: the field's value, or an exception."""

_MEMO_LIMIT = 2048  # entries per memo: each stops growing when full
_ONLY_TEXT = frozenset({str})

# The form the quantity shortcut takes: a plain decimal number, an optional single space
# and a unit, with no space before or after. parse_quantity() does not read such text as
# a bare number (it has a unit), and its number-and-unit pattern splits it the same way:
# the number ends at the first character that is neither a digit nor a point.
_FAST_QUANTITY = re.compile(r"([0-9]+(?:\.[0-9]+)?) ?([^\s0-9.]\S*)")
_HALF_YEAR_VALUE = Duration(months=6)

Parsed = tuple[Decimal, Unit]
"""A quantity text read as its number and unit."""

# Texts already read, by dimension. Only the number and the unit are kept (reading them
# does not depend on the decimal context); canonical()'s arithmetic, which does, is
# done again each time.
_PARSED: dict[Dim, dict[str, Parsed]] = {dim: {} for dim in Dim}
_DURATIONS: dict[bool, dict[int, Duration]] = {False: {}, True: {}}  # by in_days
_DATES: dict[str, date] = {}


def _duration(count: int, in_days: bool) -> Duration:
    """``Duration(days=count)`` or ``Duration(months=count)``, shared (it is frozen)."""
    known = _DURATIONS[in_days]
    duration = known.get(count)
    if duration is None:
        duration = Duration(days=count) if in_days else Duration(months=count)
        if len(known) < _MEMO_LIMIT:
            known[count] = duration
    return duration


def _fast_int(value: Any) -> Any:
    if type(value) is int and 0 <= value < _INT_LIMIT:
        return value
    return _int_hook(value)


def _fast_year(value: Any) -> Any:
    if type(value) is int and MINYEAR <= value <= MAXYEAR:
        return value
    return _year_hook(value)


def _fast_date(value: Any) -> Any:
    if type(value) is str:
        day = _DATES.get(value)
        if day is None:
            day = _date_hook(value)
            if day is not None and len(_DATES) < _MEMO_LIMIT:
                _DATES[value] = day
        return day
    return _date_hook(value)


def _parse_simple(text: str, units: Mapping[str, Unit]) -> Parsed | None:
    """``text`` as parse_quantity() reads it when in one of the simple forms, else None."""
    if len(text) > _MAX_QUANTITY_TEXT:
        return None
    match = _FAST_QUANTITY.fullmatch(text)
    if match is None:
        return None
    number, spelling = match.groups()
    if len(number) > MAX_DIGITS:  # parse_number() may refuse it
        return None
    unit = units.get(spelling)
    return None if unit is None else (Decimal(number), unit)


def _fast_quantity(dim: Dim, exact: Hook) -> FastHook:
    # The units of the dimension by the spellings unit_named() gives them for.
    units = {
        key: unit
        for u in UNITS
        for key in (u.spelling, u.spelling.lower())
        if (unit := unit_named(key)) is not None and unit.dim is dim
    }
    parsed_texts = _PARSED[dim]
    plain = dim in (Dim.AREA, Dim.MONEY)  # canonical() multiplies by the unit's factor
    duration = dim is Dim.DURATION

    def fast(value: Any) -> Any:
        if type(value) is str:
            parsed = parsed_texts.get(value)
            if parsed is None:
                parsed = _parse_simple(value, units)
                if parsed is None:
                    if duration and value == HALF_YEAR:
                        return _HALF_YEAR_VALUE
                    return exact(value, None)
                if len(parsed_texts) < _MEMO_LIMIT:
                    parsed_texts[value] = parsed
            magnitude, unit = parsed
            if plain:
                return scaled(magnitude, unit.factor)
            if duration:  # canonical(), the Duration shared
                count = scaled(magnitude, unit.factor)
                if count == count.to_integral_value():
                    return _duration(int(count), unit.in_days)
        elif type(value) is int and 0 <= value < _INT_LIMIT:
            return _duration(value, False) if duration else Decimal(value)
        elif type(value) is Decimal and value.is_finite():  # number_from_data()'s checks
            sign, digits, exponent = value.as_tuple()
            assert isinstance(exponent, int)  # finite
            if not sign and max(len(digits), len(digits) + exponent, -exponent) <= MAX_DIGITS:
                if plain:
                    return value
                if duration and value == value.to_integral_value():
                    return _duration(int(value), False)
        return exact(value, None)

    return fast


def _fast_enum(enum: type[LabeledEnum], exact: Hook) -> FastHook:
    table = _lookup_table(enum)

    def fast(value: Any) -> Any:
        if type(value) is str:
            member = table.get(value)
            if member is not None:
                return member
        return exact(value, None)

    return fast


def _fast_enum_set(enum: type[LabeledEnum], exact: Hook) -> FastHook:
    lookup = _lookup_table(enum).__getitem__
    # The members by the set of names: a frozenset of members hashes each member in
    # Python code (Enum.__hash__), a frozenset of texts does not.
    memo: dict[frozenset[str], frozenset[LabeledEnum]] = {}

    def fast(value: Any) -> Any:
        if type(value) is list and _ONLY_TEXT.issuperset(map(type, value)):
            names = frozenset(value)
            members = memo.get(names)
            if members is None:
                members = frozenset(map(lookup, names))  # KeyError for an unknown name
                if len(memo) < _MEMO_LIMIT:
                    memo[names] = members
            return members
        return exact(value, None)

    return fast


def _fast_items(item: FastHook, result: type, exact: Hook) -> FastHook:
    def fast(value: Any) -> Any:
        # A null item is refused (the item hooks take null, as a field's value).
        if type(value) is list and None not in value:
            return result(map(item, value))
        return exact(value, None)

    return fast


def _fast_map(item: FastHook, kept: frozenset[type], exact: Hook) -> FastHook:
    """A map from text; values of the ``kept`` types are their own structured value."""

    def fast(value: Any) -> Any:
        # Keys exactly str: the hook takes any text, but only for str is sorting the
        # items (now or later, see FrozenMap._owning) certain to work. All the keys are
        # checked for lone surrogates at once: joining texts never pairs them up.
        if (type(value) is dict and _ONLY_TEXT.issuperset(map(type, value))
                and _valid_text("".join(value))):
            if kept.issuperset(map(type, value.values())):
                return FrozenMap._owning(dict(value))
            if None not in value.values():  # a null value is refused
                return FrozenMap._owning({key: item(x) for key, x in value.items()})
        return exact(value, None)

    return fast


# The types whose values a map's item hook returns unchanged (null is refused; not
# text: each one is checked for lone surrogates).
_KEPT: dict[type[Type], frozenset[type]] = {
    BoolT: frozenset({bool}),
}


def _fast_hook(ty: Type, unordered: bool, records: Mapping[type, Hook],
               fast_records: Mapping[type, FastHook]) -> FastHook:
    """The fast conversion of a value of type ``ty``."""
    exact = _structure_hook(ty, unordered, records)
    match ty:
        case BoolT():
            return _bool_hook
        case IntT():
            return _fast_int
        case TextT():
            return _text_hook
        case DateT():
            return _fast_date
        case QuantityT(dim):
            return _fast_quantity(dim, exact)
        case EnumT(enum):
            return _fast_enum(cast("type[LabeledEnum]", enum), exact)
        case SetT(enum):
            return _fast_enum_set(cast("type[LabeledEnum]", enum), exact)
        case RecordT(cls):
            return fast_records[cls]
        case MapT(value_type):
            item = _fast_hook(value_type, False, records, fast_records)
            return _fast_map(item, _KEPT.get(type(value_type), frozenset()), exact)
        case ListT(item_type):
            item = _fast_hook(item_type, False, records, fast_records)
            return _fast_items(item, frozenset if unordered else tuple, exact)
    raise TypeError(f"no fast hook for {ty!r}")  # pragma: no cover - exhaustive


def _fast_record(cls: type, fields: Mapping[str, FastHook], exact: Hook) -> FastHook:
    def fast(value: Any) -> Any:
        if type(value) is dict:
            # An unknown key raises KeyError: the detailed path reports it.
            return cls(**{name: fields[name](x) for name, x in value.items()})
        return exact(value, cls)

    return fast


_FAST_RECORDS: dict[type, FastHook] = {}


def _fast_records() -> dict[type, FastHook]:
    """The fast structuring function of each record type; built on first use."""
    if not _FAST_RECORDS:
        records = _conversion()[1]
        fast_records: dict[type, FastHook] = {}
        fields: dict[type, dict[str, FastHook]] = {}
        for cls in RECORD_TYPES.values():
            fields[cls] = {}
            fast_records[cls] = _fast_record(cls, fields[cls], records[cls])
        for cls in RECORD_TYPES.values():
            for a in attrs.fields(cls):
                fields[cls][a.name] = _fast_year if a.metadata["year"] else _fast_hook(
                    a.metadata["type"], a.metadata["unordered"], records, fast_records
                )
        _FAST_RECORDS.update(fast_records)  # complete, or not at all
    return _FAST_RECORDS


def _structure_fast(data: object, cls: type[T]) -> T:
    """``data``, a dict, as a record by the fast path alone; raises (anything) in doubt."""
    if type(data) is not dict:
        raise TypeError("the fast path takes a dict")
    return cast("T", (_FAST_RECORDS or _fast_records())[cls](data))


# ---------------------------------------------------------------------------
# Structuring


def structure(data: object, cls: type[T], path: str = "record") -> T:
    """``data`` (a mapping of plain values) as a record of type ``cls``.

    An instance of ``cls`` is returned unchanged. Every problem of the record is
    reported in one :class:`RecordError`, each with its dotted path from ``path``
    (``space.operator.legal_form``, ``space.services[2]``). ``data`` is never changed.
    """
    if isinstance(data, cls):
        return data
    if cls not in _SCHEMAS:
        raise TypeError(f"{cls!r} is not a record type of policykit.records")
    if type(data) is dict:
        try:
            return _structure_fast(data, cls)
        except Exception:  # any doubt at all: the detailed path decides
            pass
    return _structure_detailed(data, cls, path)


def _structure_detailed(data: object, cls: type[T], path: str = "record") -> T:
    """:func:`structure` by the detailed path alone, which reports every problem."""
    if isinstance(data, cls):
        return data
    if cls not in _SCHEMAS:
        raise TypeError(f"{cls!r} is not a record type of policykit.records")
    if data is None:
        raise RecordError(
            [RecordProblem(path, f"expected a mapping of {cls.__name__} fields, got null")]
        )
    try:
        return _converter().structure(data, cls)
    except (_Invalid, ClassValidationError) as exc:
        problems: list[RecordProblem] = []
        _collect(exc, path, problems)
        raise RecordError(problems) from None


def _collect(exc: BaseException, path: str, out: list[RecordProblem]) -> None:
    if isinstance(exc, _Invalid):
        out.extend(RecordProblem(path + suffix, message) for suffix, message in exc.problems)
    elif isinstance(exc, ClassValidationError):
        for sub in exc.exceptions:
            names = [n.name for n in getattr(sub, "__notes__", ())
                     if isinstance(n, AttributeValidationNote)]
            _collect(sub, f"{path}.{names[-1]}" if names else path, out)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields, key=_show):
            out.append(_extra_key_problem(path, key, exc.cl))
    else:  # pragma: no cover - every hook raises _Invalid; kept so nothing else escapes
        out.append(RecordProblem(path, f"invalid value ({type(exc).__name__})"))


def _extra_key_problem(path: str, key: object, cls: type) -> RecordProblem:
    if not isinstance(key, str):
        return RecordProblem(path, f"expected field names as text, got {_show(key)}")
    where = f"{path}.{_printable(_clip(key))}"
    if key.startswith("_"):
        return RecordProblem(where, f'field names never start with "_", got {_show(key)}')
    message = f"expected a field of {cls.__name__}, got {_show(key)}"
    fields = _SCHEMAS.get(cls, {})
    by_label = {info.label: name for name, info in fields.items()}
    if key in by_label:
        message += f'; "{key}" is the label of the field "{by_label[key]}"'
    else:
        guess = closest(key, fields)
        if guess is not None:
            message += f'; did you mean "{guess}"?'
    return RecordProblem(where, message)


def unstructure(record: object) -> dict[str, Any]:
    """A record as JSON-ready data that :func:`structure` reads back to an equal record.

    Absent fields are left out; areas read ``"500 m2"``, money ``"1000000 元"``,
    durations ``"6 months"`` or ``"180 days"``, dates ISO, enums their English names,
    sets sorted lists.
    """
    if type(record) not in _SCHEMAS:
        raise TypeError(f"{type(record)!r} is not a record type of policykit.records")
    return cast("dict[str, Any]", _converter().unstructure(record))


# ---------------------------------------------------------------------------
# Loading JSON and YAML safely


class _LoadError(Exception):
    pass


def _document_error(message: str) -> RecordError:
    return RecordError([RecordProblem("<document>", message)])


def _parse_int(text: str) -> int | Decimal:
    # Too many digits for a record: keep it a Decimal so that the field reports it.
    return int(text) if len(text) <= MAX_DIGITS + 1 else Decimal(text)


def _refuse_constant(name: str) -> object:
    raise _LoadError(f"{name} is not a number a record may hold")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _LoadError(f"the key {_show(key)} is given twice")
        data[key] = value
    return data


_INT_TEXT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT_TEXT = re.compile(
    r"[-+]?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)\Z"
)
_BOOL_TEXT = {"true": True, "True": True, "TRUE": True,
              "false": False, "False": False, "FALSE": False}


@functools.cache
def _strict_loader() -> type[yaml.SafeLoader]:
    """The YAML loader for records, built on first use: PyYAML is imported only then."""
    import yaml  # noqa: PLC0415 - only YAML documents need PyYAML, not `import policykit`
    from yaml.constructor import ConstructorError  # noqa: PLC0415
    from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode  # noqa: PLC0415

    class _StrictLoader(yaml.SafeLoader):
        """A safe loader for records: no aliases, no duplicate keys, YAML 1.2 core scalars.

        Only null, true/false (not yes/no/on/off), decimal integers and decimal floats
        (read as Decimal from their text) are resolved; everything else, ``1:30`` and
        ``2016-09-01`` included, stays a string. Unknown tags are refused.
        """

        yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's class registry
        yaml_constructors: ClassVar[dict[str | None, Any]] = {}
        yaml_multi_constructors: ClassVar[dict[str | None, Any]] = {}

        def compose_node(self, parent: Node | None, index: int) -> Node | None:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            mark = cast("yaml.error.Mark | None", getattr(event, "start_mark", None))
            if isinstance(event, yaml.AliasEvent):
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed in a record", mark
                )
            if getattr(event, "anchor", None) is not None:
                raise yaml.composer.ComposerError(
                    None, None, "anchors (&name) are not allowed in a record", mark
                )
            return super().compose_node(parent, index)

    def scalar(loader: _StrictLoader, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise ConstructorError(None, None, f"expected a scalar for {node.tag}",
                                   node.start_mark)
        return loader.construct_scalar(node)

    def null(loader: _StrictLoader, node: Node) -> None:
        scalar(loader, node)

    def boolean(loader: _StrictLoader, node: Node) -> bool:
        text = scalar(loader, node)
        if text not in _BOOL_TEXT:
            raise ConstructorError(None, None, f"{_show(text)} is not true or false",
                                   node.start_mark)
        return _BOOL_TEXT[text]

    def integer(loader: _StrictLoader, node: Node) -> int | Decimal:
        text = scalar(loader, node)
        if not _INT_TEXT.match(text):
            raise ConstructorError(None, None, f"{_show(text)} is not a decimal whole number",
                                   node.start_mark)
        return _parse_int(text)

    def number(loader: _StrictLoader, node: Node) -> Decimal:
        text = scalar(loader, node)
        if not _FLOAT_TEXT.match(text):
            raise ConstructorError(None, None, f"{_show(text)} is not a decimal number",
                                   node.start_mark)
        return Decimal(text)

    def string(loader: _StrictLoader, node: Node) -> str:
        return scalar(loader, node)

    def sequence(loader: _StrictLoader, node: Node) -> list[Any]:
        if not isinstance(node, SequenceNode):
            raise ConstructorError(None, None, "expected a sequence", node.start_mark)
        return loader.construct_sequence(node, deep=True)

    def mapping(loader: _StrictLoader, node: Node) -> dict[str, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise ConstructorError(None, None, f"expected text keys, got {_show(key)}",
                                       key_node.start_mark)
            if key in data:
                raise ConstructorError(None, None, f"the key {_show(key)} is given twice",
                                       key_node.start_mark)
            data[key] = loader.construct_object(value_node, deep=True)
        return data

    def undefined(loader: _StrictLoader, node: Node) -> Any:
        tag = _printable(_clip(str(node.tag), 80))
        raise ConstructorError(None, None, f"the tag {tag} is not allowed in a record",
                               node.start_mark)

    _StrictLoader.add_implicit_resolver(
        "tag:yaml.org,2002:null", re.compile(r"(?:~|null|Null|NULL|)\Z"), ["~", "n", "N", ""]
    )
    _StrictLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"),
        list("tTfF"),
    )
    _StrictLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT_TEXT,
                                        list("-+0123456789"))
    _StrictLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_TEXT,
                                        list("-+.0123456789"))
    for tag, constructor in (
        ("tag:yaml.org,2002:null", null),
        ("tag:yaml.org,2002:bool", boolean),
        ("tag:yaml.org,2002:int", integer),
        ("tag:yaml.org,2002:float", number),
        ("tag:yaml.org,2002:str", string),
        ("tag:yaml.org,2002:seq", sequence),
        ("tag:yaml.org,2002:map", mapping),
        (None, undefined),
    ):
        _StrictLoader.add_constructor(tag, constructor)
    return _StrictLoader


def _load_yaml(text: str) -> object:
    import yaml  # noqa: PLC0415 - see _strict_loader

    try:
        return yaml.load(text, Loader=_strict_loader())  # a SafeLoader subclass
    except yaml.YAMLError as err:
        raise _LoadError(_yaml_message(err)) from None


def _yaml_message(err: yaml.YAMLError) -> str:
    import yaml  # noqa: PLC0415 - see _strict_loader

    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "malformed YAML"
        if mark is not None:
            return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
        return str(problem)
    return " ".join(str(err).split())


_MAX_FLOW_DEPTH = 200
_FLOW = re.compile(r"""'[^']*'|"(?:[^"\\]|\\.)*"|[\[\]{}]""")


def _flow_depth(text: str) -> int:
    """How deeply YAML flow collections (``[…]``, ``{…}``) nest, quoted texts skipped.
    PyYAML's scanner takes time quadratic in the depth of unclosed ones (2,000 ``[`` in
    2 KB cost it about 1.5 s), so a deeper document is refused before it is scanned."""
    depth = deepest = 0
    for match in _FLOW.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def load_data(
    text: str, fmt: Literal["json", "yaml"], *, max_bytes: int = 10_000_000
) -> object:
    """Plain data from JSON or YAML text, read safely for :func:`structure`.

    Numbers with a fraction arrive as Decimal; NaN and Infinity, duplicate keys, YAML
    aliases and anchors, and any YAML tag beyond the core ones are refused; YAML
    ``NO``, ``yes``, ``on`` and ``1:30`` stay strings. Malformed input raises a
    :class:`RecordError` at ``<document>`` with the line and column.
    """
    if fmt not in ("json", "yaml"):
        raise ValueError(f"unknown format {fmt!r}: expected 'json' or 'yaml'")
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise _document_error(f"the document is larger than {max_bytes} bytes")
    if fmt == "yaml" and _flow_depth(text) > _MAX_FLOW_DEPTH:
        raise _document_error("the document is nested too deeply")
    try:
        if fmt == "json":
            return json.loads(
                text,
                parse_float=Decimal,
                parse_int=_parse_int,
                parse_constant=_refuse_constant,
                object_pairs_hook=_json_object,
            )
        return _load_yaml(text)
    except _LoadError as err:  # a YAMLError too, with its message
        raise _document_error(str(err)) from None
    except json.JSONDecodeError as err:
        raise _document_error(f"line {err.lineno}, column {err.colno}: {err.msg}") from None
    except RecursionError:
        raise _document_error("the document is nested too deeply") from None
    except ValueError as err:  # pragma: no cover - defensive: no other ValueError is known
        raise _document_error(" ".join(str(err).split())) from None
