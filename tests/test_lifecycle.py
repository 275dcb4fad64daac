"""Lifecycles: periods, bans, extensions, consecutive years, duties, discretion, replay."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policykit as pk
from policykit.calendar import Duration, add_period, holiday_deadline
from policykit.errors import PolicyError, RecordError

HEADER = '''policy demo.lc
  title "示例" en "Demo"
  source "示例办法" issued 2018-01-01 by "办公室"
  subject org: CoopBaseApplicant

criterion goals cites "第十条(一)" = org.international_goals
decision eligible = all of (goals)
'''

LIFECYCLE = '''
lifecycle base "国合孵化基地" en "incubation base" cites "第十二条" cites "第十四条"
  {holidays}
  states applicant "申请单位" en "applicant",
         pilot "试点" en "pilot" lasts {lasts} cites "第十二条(五)",
         base "基地" en "base",
         revoked "已取消" en "revoked"
  initial applicant
  events approved "批准" en "approved",
         summary_submitted "提交年度总结" en "annual summary submitted",
         report_filed "提交报告" en "report filed",
         acceptance_passed "验收通过" en "acceptance passed",
         acceptance_failed "验收未通过" en "acceptance failed",
         extended "延期" en "extended",
         evaluation_passed "考核合格" en "evaluation passed",
         evaluation_failed "考核不合格" en "evaluation failed",
         notified "通报" en "public notice",
         serious_violation "严重违纪违规" en "serious violation",
         revoked "取消资格" en "revoked",
         reapplied "再次申请" en "reapplied"
  on approved: applicant -> pilot cites "第十一条(六)"
  on report_filed within 3 months: pilot -> pilot cites "第十二条(一)"
  on acceptance_passed after period: pilot -> base cites "第十三条(三)"
  on acceptance_failed after period: pilot -> decision "延期或取消" en "extend or revoke"
     decided by extended, revoked cites "第十三条(三)"
  on extended: pilot extends 1 year cites "第十三条(三)"
  on revoked: pilot -> revoked cites "第十二条(四)"
  on revoked: base -> revoked cites "第十四条"
  on missed summary: pilot -> revoked cites "第十二条(四)"
  on evaluation_failed twice consecutively: base -> decision "通报或取消"
     en "public notice or revocation" decided by notified, revoked cites "第十四条"
  on serious_violation: base -> revoked cites "第十四条"
  on reapplied after ban: revoked -> applicant cites "第十二条(四)"
  revoked bars reapplication for 2 years cites "第十二条(四)"
  duty summary "年度总结" en "annual summary" in pilot: summary_submitted by 12-31 each year
     cites "第十二条(三)"
'''

HOLIDAYS = 'holidays extend deadlines cites "民法典 第二百零三条" from "中华人民共和国民法典"'


def policy(lasts: str = "2 years", holidays: bool = False) -> pk.Policy:
    return pk.loads(HEADER + LIFECYCLE.format(lasts=lasts,
                                              holidays=HOLIDAYS if holidays else ""))


POLICY = policy()


def ev(on: str, event: str, **more: Any) -> dict[str, Any]:
    return {"on": on, "event": event, **more}


def status(history: list[dict[str, Any]], as_of: str, p: pk.Policy = POLICY) -> Any:
    return p.lifecycle(history, as_of=date.fromisoformat(as_of))


def with_summaries(start: str, *years: int) -> list[dict[str, Any]]:
    return [ev(start, "approved"), *(ev(f"{y}-12-01", "summary_submitted") for y in years)]


# ---------------------------------------------------------------- periods


def test_a_pilot_period_ends_on_the_corresponding_day() -> None:
    s = status([ev("2019-03-01", "approved")], "2019-06-01")
    assert (s.state, s.period_start, s.period_end) == ("pilot", date(2019, 3, 1),
                                                       date(2021, 3, 1))
    assert s.may_reapply and s.barred_until is None
    assert "试点期 2019-03-02 至 2021-03-01（第十二条(五)）" in s.explain()


@pytest.mark.parametrize(("on", "state"), [
    ("2022-02-27", "pilot"),   # the day before the last day
    ("2022-02-28", "pilot"),   # the last day: the period still runs (第二百零三条, to 24:00)
    ("2022-03-01", "base"),    # the day after: 于建设期满后
])
def test_acceptance_only_after_a_leap_day_period(on: str, state: str) -> None:
    # 2020-02-29 + 2 years: 2022 has no 29 February, so the period ends on 2022-02-28.
    history = [*with_summaries("2020-02-29", 2020, 2021), ev(on, "acceptance_passed")]
    s = status(history, "2022-03-02")
    assert s.state == state
    if state == "pilot":
        assert s.period_end == date(2022, 2, 28)
        assert "期限至 2022-02-28 届满，须期满后方可，状态不变" in s.explain()
        assert "only after the period ends on 2022-02-28" in s.explain("en")
        assert s.timeline[-1].kind == "not_allowed"
    else:
        assert s.period_end is None
        assert s.entered_on == date(2022, 3, 1)


def test_a_month_end_period_is_clamped() -> None:
    p = policy(lasts="6 months")
    assert status([ev("2019-08-31", "approved")], "2019-09-01", p).period_end == \
        date(2020, 2, 29)
    assert status([ev("2018-08-31", "approved")], "2018-09-01", p).period_end == \
        date(2019, 2, 28)


def test_an_extension_then_a_pass() -> None:
    history = [*with_summaries("2019-03-01", 2019, 2020), ev("2021-03-02", "acceptance_failed"),
               ev("2021-04-01", "extended"), ev("2021-12-01", "summary_submitted")]
    s = status(history, "2021-06-01")
    assert s.state == "pilot"
    assert s.period_end == date(2022, 3, 1)
    assert s.decisions_due == ()  # the extension recorded the associations' decision
    text = s.explain()
    assert "试点期 2019-03-02 至 2022-03-01（含延期一年，第十三条(三)）" in text
    assert "待主管部门决定：延期或取消" in text
    assert "记录主管部门就「延期或取消」作出的决定" in text
    assert "extended by 1 year" in s.explain("en")
    early = status([*history, ev("2022-03-01", "acceptance_passed")], "2022-03-01")
    assert early.state == "pilot"
    late = status([*history, ev("2022-03-02", "acceptance_passed")], "2022-03-02")
    assert late.state == "base"


def test_a_failed_acceptance_leaves_the_decision_to_the_authority() -> None:
    history = [*with_summaries("2019-03-01", 2019, 2020), ev("2021-03-02", "acceptance_failed")]
    s = status(history, "2021-03-05")
    assert s.state == "pilot"
    assert [d.label.zh for d in s.decisions_due] == ["延期或取消"]
    assert s.decisions_due[0].decided_by == ("extended", "revoked")
    assert "延期或取消（自 2021-03-02）（第十三条(三)）" in s.explain()


# ---------------------------------------------------------------- bans


@pytest.mark.parametrize(("as_of", "may"), [
    ("2022-01-09", False), ("2022-01-10", False), ("2022-01-11", True)])
def test_a_ban_applies_on_its_last_day(as_of: str, may: bool) -> None:
    s = status([ev("2019-03-01", "approved"), ev("2019-12-01", "summary_submitted"),
                ev("2020-01-10", "revoked")], as_of)
    assert s.state == "revoked"
    assert s.barred_until == date(2022, 1, 10)
    assert s.may_reapply is may
    assert "2020-01-10 取消资格：试点 → 已取消（第十二条(四)）；两年内不得再次申请，" \
        "至 2022-01-10 止（第十二条(四)）" in s.explain()


@pytest.mark.parametrize(("on", "state"), [("2022-01-10", "revoked"),
                                           ("2022-01-11", "applicant")])
def test_reapplication_after_the_ban(on: str, state: str) -> None:
    history = [ev("2019-03-01", "approved"), ev("2019-12-01", "summary_submitted"),
               ev("2020-01-10", "revoked"), ev(on, "reapplied")]
    s = status(history, on)
    assert s.state == state
    if state == "revoked":
        assert "禁止再次申请至 2022-01-10 止，状态不变" in s.explain()


# ---------------------------------------------------------------- duties


@pytest.mark.parametrize(("as_of", "state"), [("2019-12-31", "pilot"),
                                              ("2020-01-01", "revoked")])
def test_a_missed_duty_is_known_only_after_its_date(as_of: str, state: str) -> None:
    s = status([ev("2019-03-01", "approved")], as_of)
    assert s.state == state
    if state == "pilot":
        assert [(d.name, d.due) for d in s.duties] == [("summary", date(2019, 12, 31))]
        assert "年度总结：2019-12-31 前（第十二条(三)）" in s.explain()
    else:
        assert s.barred_until == date(2022, 1, 1)
        assert "2020-01-01 未按期完成「年度总结」（应于 2019-12-31 前）：试点 → 已取消" \
            in s.explain()


def test_a_duty_done_on_its_last_day_counts() -> None:
    s = status([ev("2019-03-01", "approved"), ev("2019-12-31", "summary_submitted")],
               "2020-01-01")
    assert s.state == "pilot"
    assert [(d.name, d.due) for d in s.duties] == [("summary", date(2020, 12, 31))]


def test_a_late_duty_does_not_cure_the_miss_and_a_year_may_be_named() -> None:
    late = status([ev("2019-03-01", "approved"), ev("2020-01-05", "summary_submitted")],
                  "2020-01-06")
    assert late.state == "revoked"
    named = status([ev("2019-03-01", "approved"),
                    ev("2019-12-30", "summary_submitted", year=2019)], "2020-06-01")
    assert named.state == "pilot"


def test_a_leap_day_duty_falls_on_the_last_day_of_february() -> None:
    text = HEADER + '''
lifecycle lc "例" cites "1"
  states a "甲", b "乙"
  initial a
  events go "开始", report "报告"
  on go: a -> b cites "1"
  duty report_duty "报告" in b: report by 02-29 each year cites "2"
'''
    p = pk.loads(text)
    s = p.lifecycle([ev("2021-01-01", "go")], as_of=date(2021, 2, 1))
    assert [d.due for d in s.duties] == [date(2021, 2, 28)]
    s = p.lifecycle([ev("2023-03-01", "go")], as_of=date(2023, 3, 2))
    assert [d.due for d in s.duties] == [date(2024, 2, 29)]
    s = p.lifecycle([ev("2021-01-01", "go")], as_of=date(2021, 3, 1))
    assert "2021-03-01 未按期完成「报告」（应于 2021-02-28 前）：记录在案（2）" in s.explain()


# ---------------------------------------------------------------- consecutive years


def base_history(*failed: int, passed: tuple[int, ...] = ()) -> list[dict[str, Any]]:
    events = [*with_summaries("2019-03-01", 2019, 2020), ev("2021-03-02", "acceptance_passed")]
    results = [(y, "evaluation_failed") for y in failed] + \
        [(y, "evaluation_passed") for y in passed]
    events += [ev(f"{y}-11-01", e) for y, e in sorted(results)]
    return events


def test_two_consecutive_failed_years_make_a_decision_due() -> None:
    s = status(base_history(2021, 2022), "2023-01-01")
    assert s.state == "base"  # discretion: 通报或取消 is the authority's choice
    assert [d.label.zh for d in s.decisions_due] == ["通报或取消"]
    text = s.explain()
    assert "2021-11-01 考核不合格：第一年，连续两年方有后果（第十四条）" in text
    assert "2022-11-01 考核不合格：连续两年，待主管部门决定：通报或取消，状态暂不变（第十四条）" \
        in text
    assert "the authority's decision is due: public notice or revocation" in s.explain("en")
    assert "year 1 in a row of the 2 that have a consequence" in s.explain("en")
    decided = status([*base_history(2021, 2022), ev("2023-02-01", "revoked")], "2023-02-02")
    assert (decided.state, decided.barred_until) == ("revoked", date(2025, 2, 1))
    notified = status([*base_history(2021, 2022), ev("2023-02-01", "notified")], "2023-02-02")
    assert (notified.state, notified.decisions_due) == ("base", ())
    assert "记录主管部门就「通报或取消」作出的决定" in notified.explain()


@pytest.mark.parametrize(("failed", "passed"), [((2021, 2023), ()), ((2021, 2023), (2022,))])
def test_non_consecutive_failures_make_nothing_due(failed: tuple[int, ...],
                                                   passed: tuple[int, ...]) -> None:
    s = status(base_history(*failed, passed=passed), "2024-01-01")
    assert (s.state, s.decisions_due) == ("base", ())


def test_a_mandatory_consequence_after_consecutive_years() -> None:
    text = HEADER + '''
lifecycle recognition "认定" cites "第十五条"
  states recognised "已认定", removed "已撤销"
  initial recognised
  events approved "认定", evaluation_failed "考核不合格"
  on evaluation_failed twice consecutively: recognised -> removed cites "第十五条"
'''
    p = pk.loads(text)
    s = p.lifecycle([ev("2020-10-01", "evaluation_failed"), ev("2021-10-01", "evaluation_failed")],
                    as_of=date(2021, 10, 1))
    assert s.state == "removed"
    assert "连续两年，已认定 → 已撤销（第十五条）" in s.explain()
    apart = p.lifecycle([ev("2020-10-01", "evaluation_failed"),
                         ev("2022-10-01", "evaluation_failed")], as_of=date(2023, 1, 1))
    assert apart.state == "recognised"


def test_a_serious_violation_revokes_directly() -> None:
    s = status([*base_history(), ev("2022-05-05", "serious_violation")], "2022-05-06")
    assert (s.state, s.barred_until, s.may_reapply) == ("revoked", date(2024, 5, 5), False)


# ---------------------------------------------------------------- the holiday rule


def test_the_holiday_calendar() -> None:
    assert holiday_deadline(date(2021, 10, 1)).last_day == date(2021, 10, 8)
    assert holiday_deadline(date(2021, 10, 1)).moved_from == date(2021, 10, 1)
    assert holiday_deadline(date(2021, 10, 8)).moved_from is None  # a working day
    assert holiday_deadline(date(2021, 10, 9)).last_day == date(2021, 10, 9)  # make-up day
    far = holiday_deadline(date(2199, 1, 1))
    assert far.unknown and far.last_day == date(2199, 1, 1)


@pytest.mark.parametrize(("holidays", "on", "state_changes"), [
    (False, "2021-10-01", True),   # the last day itself
    (False, "2021-10-08", False),  # 2021-07-01 + 3 months = 2021-10-01: too late
    (True, "2021-10-08", True),    # 国庆 2021-10-01..07: the deadline moves to 2021-10-08
    (True, "2021-10-09", False),   # the day after the moved deadline
])
def test_a_deadline_on_a_holiday(holidays: bool, on: str, state_changes: bool) -> None:
    p = policy(holidays=holidays)
    s = p.lifecycle([ev("2021-07-01", "approved"), ev(on, "report_filed")],
                    as_of=date.fromisoformat(on))
    last = s.timeline[-1]
    assert last.kind == ("transition" if state_changes else "not_allowed")
    if holidays and state_changes:
        assert last.holiday_moved_from == date(2021, 10, 1)
        assert "为法定休假日，顺延" in s.explain()
    if not state_changes:
        deadline = "2021-10-08" if holidays else "2021-10-01"
        assert f"期限已于 {deadline} 届满，状态不变" in s.explain()


@pytest.mark.parametrize(("on", "state_changes"), [("2199-06-15", True), ("2199-06-16", False)])
def test_a_deadline_in_a_year_the_holiday_calendar_does_not_cover(on: str,
                                                                  state_changes: bool) -> None:
    # 2199-03-15 + 3 months = 2199-06-15, in a year no holiday schedule covers: the
    # deadline stays where it is, and the timeline says 第二百零三条 could not be checked.
    p = policy(holidays=True)
    s = p.lifecycle([ev("2199-03-15", "approved"), ev(on, "report_filed")],
                    as_of=date.fromisoformat(on))
    last = s.timeline[-1]
    assert last.kind == ("transition" if state_changes else "not_allowed")
    assert last.holiday_unknown is True
    assert "尚未收入节假日日历" in s.explain()
    assert "could not be checked" in s.explain(lang="en")
    assert last.to_dict()["holiday_calendar_missing"] is True


# ---------------------------------------------------------------- replay errors


def test_an_undeclared_event_is_an_error_naming_it() -> None:
    with pytest.raises(RecordError) as info:
        status([ev("2019-03-01", "approved"), ev("2019-04-01", "acceptance_pased")], "2020-01-01")
    assert info.value.path == "history[1].event"
    assert "`acceptance_pased`" in str(info.value)
    assert "did you mean `acceptance_passed`?" in str(info.value)


def test_events_out_of_order_are_an_error_naming_the_event() -> None:
    with pytest.raises(RecordError) as info:
        status([ev("2019-03-01", "approved"), ev("2019-12-01", "summary_submitted"),
                ev("2019-11-01", "revoked")], "2020-01-01")
    assert info.value.path == "history[2].on"
    assert "`revoked` on 2019-11-01" in str(info.value)


@pytest.mark.parametrize(("history", "path"), [
    ("approved", "history"), ([["2019-03-01", "approved"]], "history[0]"),
    ([{"on": "2019-02-30", "event": "approved"}], "history[0].on"),
    ([{"on": "2019-02-01", "event": "approved", "year": "x"}], "history[0].year"),
])
def test_a_malformed_history(history: Any, path: str) -> None:
    with pytest.raises(RecordError) as info:
        POLICY.lifecycle(history, as_of=date(2020, 1, 1))
    assert info.value.path == path


def refused(history: Any, as_of: date = date(2020, 1, 1)) -> RecordError:
    with pytest.raises(RecordError) as info:
        POLICY.lifecycle(history, as_of=as_of)
    str(info.value).encode("utf-8")  # printable
    return info.value


@pytest.mark.parametrize("on", [
    datetime(2019, 3, 1, 10, 0), datetime(2019, 3, 1),  # e.g. YAML 2019-03-01 10:00:00
])
def test_a_datetime_event_date_is_a_record_error(on: datetime) -> None:
    err = refused([ev("2019-01-01", "approved"), {"on": on, "event": "report_filed"}])
    assert err.path == "history[1].on"
    assert "time of day" in str(err)


@pytest.mark.parametrize("text", [
    "20190301", "2019-W09-5", "2019-060", "2019-03-01T00:00", "2019-03-01 10:00",
    " 2019-03-01", "2019-3-1", "+2019-03-01", "２０１９-03-01",
])
def test_event_dates_as_text_are_only_yyyy_mm_dd(text: str) -> None:
    err = refused([ev(text, "approved")])
    assert err.path == "history[0].on"
    assert "YYYY-MM-DD" in str(err)


def test_an_event_date_that_is_not_on_the_calendar() -> None:
    err = refused([ev("2019-02-29", "approved")])
    assert err.path == "history[0].on"
    assert "there is no such day" in str(err)


@pytest.mark.parametrize(("key", "hint"), [
    ("evnet", 'did you mean "event"?'), ("yaer", 'did you mean "year"?'),
    ("date", "the keys of an event are on, event, year"),
    ("note", "the keys of an event are on, event, year"),
])
def test_an_unknown_key_of_an_event_is_a_record_error(key: str, hint: str) -> None:
    err = refused([ev("2019-03-01", "approved"), {**ev("2019-04-01", "report_filed"), key: 1}])
    assert err.path == f"history[1].{key}"
    assert hint in str(err)


def test_an_unknown_key_of_an_event_that_is_not_text() -> None:
    err = refused([{**ev("2019-03-01", "approved"), 3: 1}])
    assert err.path == "history[0]"
    err = refused([{**ev("2019-03-01", "approved"), "o\ud800n": 1}])
    assert err.path == "history[0].o\\ud800n"


def test_an_event_name_that_is_not_valid_unicode_is_printable() -> None:
    err = refused([ev("2019-03-01", "appro\ud800ved")])
    assert err.path == "history[0].event"


@pytest.mark.parametrize("year", [0, -1, 10_000, 810_854, 10**100, True])
def test_an_event_year_is_on_the_calendar(year: int) -> None:
    err = refused([ev("2019-03-01", "approved"), ev("2019-12-01", "summary_submitted",
                                                      year=year)])
    assert err.path == "history[1].year"


@pytest.mark.parametrize("year", [1, 2019, 9999])
def test_an_event_year_within_the_calendar_is_taken(year: int) -> None:
    POLICY.lifecycle([ev("2019-03-01", "approved"),
                      ev("2019-12-01", "summary_submitted", year=year)], as_of=date(2020, 1, 1))


def test_as_of_must_be_a_date_not_a_datetime() -> None:
    with pytest.raises(TypeError, match=re.escape("as_of must be a datetime.date, not datetime")):
        POLICY.lifecycle([ev("2019-03-01", "approved")], as_of=datetime(2020, 1, 1))
    with pytest.raises(TypeError, match=re.escape("as_of must be a datetime.date, not str")):
        POLICY.lifecycle([ev("2019-03-01", "approved")], as_of="2020-01-01")  # type: ignore[arg-type]


def test_a_disallowed_event_is_reported_not_raised() -> None:
    s = status([ev("2019-03-01", "approved"), ev("2019-05-01", "evaluation_failed")],
               "2019-06-01")
    assert s.state == "pilot"
    assert s.timeline[-1].kind == "not_allowed"
    assert "2019-05-01 考核不合格：当前状态「试点」下不适用，状态不变" in s.explain()
    assert "not applicable in the state 'pilot'" in s.explain("en")


def test_events_after_as_of_are_checked_but_not_replayed() -> None:
    s = status([ev("2019-03-01", "approved"), ev("2019-12-01", "summary_submitted"),
                ev("2020-01-10", "revoked")], "2019-12-31")
    assert s.state == "pilot"
    with pytest.raises(RecordError):
        status([ev("2019-03-01", "approved"), ev("2030-01-01", "nope")], "2019-12-31")


def test_choosing_a_lifecycle_by_name() -> None:
    assert [lc.name for lc in POLICY.lifecycles] == ["base"]
    assert POLICY.lifecycle([], as_of=date(2020, 1, 1), name="base").state == "applicant"
    with pytest.raises(KeyError, match="did you mean 'base'"):
        POLICY.lifecycle([], as_of=date(2020, 1, 1), name="bases")
    with pytest.raises(TypeError):
        POLICY.lifecycle([], as_of="2020-01-01")  # type: ignore[arg-type]


def test_to_dict() -> None:
    s = status([ev("2019-03-01", "approved"), ev("2019-12-01", "summary_submitted"),
                ev("2020-01-10", "revoked")], "2021-01-01")
    d = s.to_dict()
    assert d["state"] == "revoked" and d["barred_until"] == "2022-01-10"
    assert d["may_reapply"] is False and d["period_end"] is None
    assert d["timeline"][-1] == {
        "on": "2020-01-10", "event": "revoked", "kind": "transition", "from": "pilot",
        "to": "revoked", "cites": ["第十二条(四)"],
        "ban": {"for": "2 years", "until": "2022-01-10", "cites": ["第十二条(四)"]}}
    assert d["duties"] == [] and d["decisions_due"] == []


# ---------------------------------------------------------------- the checker


@pytest.mark.parametrize(("snippet", "code", "words"), [
    ('on go: a -> c cites "1"', "PK209", "unknown state `c`"),
    ('on gone: a -> b cites "1"', "PK210", "unknown event `gone`"),
    ('on missed plan: a -> b cites "1"', "PK211", "unknown duty `plan`"),
    ('on go: a -> b', "PK501", "cites no article"),
    ('b bars reapplication for 2 m2 cites "1"', "PK306", "not a period of time"),
    ('on go after period: a -> b cites "1"', "PK306", "lasts no period"),
    ('on go sometimes: a -> b cites "1"', "PK100", "unexpected `sometimes`"),
    ('b bars entry for 2 years cites "1"', "PK100", "unexpected `entry`"),
    ('duty d in a: go by 02-30 each year cites "1"', "PK104", "not a day of the year"),
])
def test_lifecycle_diagnostics(snippet: str, code: str, words: str) -> None:
    text = HEADER + f'''
lifecycle lc "例" cites "1"
  states a "甲", b "乙"
  initial a
  events go "开始"
  {snippet}
'''
    with pytest.raises(PolicyError) as info:
        pk.loads(text)
    assert code in info.value.codes
    assert words in str(info.value)


def test_a_lifecycle_without_an_initial_state() -> None:
    with pytest.raises(PolicyError) as info:
        pk.loads(HEADER + 'lifecycle lc "例" states a "甲" events go')
    assert info.value.codes == ("PK505",)


def test_lifecycle_words_stay_free_as_names() -> None:
    text = HEADER.replace("criterion goals", "criterion after").replace("(goals)", "(after)")
    assert pk.loads(text).rule_names()[0] == "after"


# ---------------------------------------------------------------- properties

SMALL = pk.loads(HEADER + '''
lifecycle lc "例" cites "1"
  states a "甲", b "乙" lasts 2 years cites "2", c "丙", d "丁"
  initial a
  events go "开始", done "完成", stop "取消"
  on go: a -> b cites "1"
  on done after period: b -> c cites "3"
  on stop: b -> d cites "4"
  d bars reapplication for 2 years cites "4"
''')


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)))
def test_period_and_ban_boundaries_for_any_date(day: date) -> None:
    last = add_period(day, Duration(months=24)).last_day
    on, after = last.isoformat(), (last + timedelta(days=1)).isoformat()
    start = {"on": day.isoformat(), "event": "go"}
    assert SMALL.lifecycle([start, ev(on, "done")], as_of=last).state == "b"
    assert SMALL.lifecycle([start, ev(after, "done")], as_of=last + timedelta(days=1)).state \
        == "c"
    stopped = [start, {"on": day.isoformat(), "event": "stop"}]
    assert SMALL.lifecycle(stopped, as_of=last).may_reapply is False
    assert SMALL.lifecycle(stopped, as_of=last + timedelta(days=1)).may_reapply is True
    assert SMALL.lifecycle(stopped, as_of=last).barred_until == last


def test_a_period_past_the_calendar_is_a_record_error() -> None:
    with pytest.raises(RecordError) as info:
        SMALL.lifecycle([ev("9998-06-01", "go")], as_of=date(9999, 1, 1))
    assert "after the year 9999" in str(info.value)


# ---------------------------------------------------------------- fidelity (issue 11)
# The demo below follows 国际科技合作孵化基地管理办法 第十二–十四条 and 湖南 第十五条; every
# expected value is worked out by hand in the comment beside it.

FIDELITY = pk.loads(HEADER + '''
lifecycle base "国合孵化基地" en "incubation base" cites "第十二条"
  states applicant "申请单位" en "applicant",
         pilot "试点" en "pilot" lasts 2 years cites "第十二条(五)",
         base "基地" en "base",
         revoked "已取消" en "cancelled",
         removed "称号已取消" en "title removed"
  initial applicant
  events approved "批准" en "approved", plan_submitted "提交年度计划" en "plan submitted",
         not_executed "计划未执行" en "plan not carried out",
         acceptance_passed "验收通过" en "accepted",
         acceptance_failed "验收未通过" en "not accepted",
         extended "延期" en "extended", revoked "取消资格" en "cancelled",
         evaluation_failed "考核不合格" en "evaluation failed",
         title_removed "取消称号" en "title removed",
         reapplied "再次申请" en "applied again"
  on approved: applicant -> pilot cites "第十一条(六)"
  duty plan "年度计划" en "annual plan" in pilot:
    plan_submitted by 12-31 each year, mostly held cites "第十二条(一)"
  on missed plan: pilot -> mandatory "取消试点资格" en "cancellation of the pilot"
    done by revoked cites "第十二条(四)"
  on not_executed: pilot -> mandatory "取消试点资格" en "cancellation of the pilot"
    done by revoked cites "第十二条(四)"
  on acceptance_passed after period: pilot -> base cites "第十三条(三)"
  on acceptance_failed after extension: pilot -> mandatory "取消试点建设资格"
    en "cancellation after the extension" done by revoked cites "第十三条(三)"
  on acceptance_failed after period: pilot -> decision "延期或取消" en "extend or cancel"
    decided by extended, revoked cites "第十三条(三)"
  on extended when decided: pilot extends 1 year cites "第十三条(三)"
  on revoked: pilot -> revoked cites "第十二条(四)"
  revoked bars reapplication for 2 years cites "第十二条(四)"
  on reapplied after ban: revoked -> applicant cites "第十二条(四)"
  on evaluation_failed twice consecutively: base -> mandatory "取消称号" en "removal of the title"
    done by title_removed cites "第十五条"
  on title_removed: base -> removed cites "第十五条"
  on reapplied: removed -> applicant cites "第十五条" see no_ban

note no_ban silence
  cites "第十五条"
  says "条文未规定称号取消后能否再次申请。" en "The text does not say whether one may apply again."
  applies "不设禁止期限，可随即再次申请。" en "No ban: one may apply again at once."
''')


def fid(history: list[dict[str, Any]], as_of: str) -> Any:
    return FIDELITY.lifecycle(history, as_of=date.fromisoformat(as_of))


# accepted 2021-03-02 after plans for 2019 and 2020 (approved 2019-03-01, period to 2021-03-01)
FID_BASE = [ev("2019-03-01", "approved"), ev("2019-04-01", "plan_submitted"),
            ev("2020-04-01", "plan_submitted"), ev("2021-03-02", "acceptance_passed")]


# 1. 连续两年 counts the years assessed -----------------------------------------------

def test_consecutive_years_are_the_years_assessed() -> None:
    # The evaluation of 2021 held on 2022-01-20 and that of 2022 held on 2022-12-20: the
    # years 2021 and 2022 are consecutive, so the removal is due from 2022-12-20.
    s = fid([*FID_BASE, ev("2022-01-20", "evaluation_failed", year=2021),
             ev("2022-12-20", "evaluation_failed", year=2022)], "2022-12-21")
    assert [(d.label.zh, d.since, d.mandatory) for d in s.decisions_due] == \
        [("取消称号", date(2022, 12, 20), True)]
    text = s.explain()
    assert "计入 2021 年度" in text and "计入 2022 年度" in text
    assert "未载明所属年度" not in text


def test_consecutive_years_held_in_years_apart() -> None:
    # Held 2021-12-20 for 2021 and 2023-01-05 for 2022: 2021 and 2022 are consecutive,
    # although the dates are in 2021 and 2023.
    s = fid([*FID_BASE, ev("2021-12-20", "evaluation_failed", year=2021),
             ev("2023-01-05", "evaluation_failed", year=2022)], "2023-01-06")
    assert [d.label.zh for d in s.decisions_due] == ["取消称号"]


def test_without_a_year_the_year_of_the_date_is_assumed_and_said() -> None:
    # No year: both 2022-01-20 and 2022-12-20 are taken for 2022, one year, not two.
    s = fid([*FID_BASE, ev("2022-01-20", "evaluation_failed"),
             ev("2022-12-20", "evaluation_failed")], "2022-12-21")
    assert s.decisions_due == ()
    assert "计入 2022 年度（未载明所属年度，按事件日期所在年度计）" in s.explain()
    assert "counted for 2022 (the year it is for is not stated: taken to be the year of " \
        "its date)" in s.explain("en")
    step = s.to_dict()["timeline"][-1]
    assert (step["year"], step["year_assumed"]) == (2022, True)
    named = fid([*FID_BASE, ev("2022-01-20", "evaluation_failed", year=2021)], "2022-02-01")
    assert (named.to_dict()["timeline"][-1]["year"],
            "year_assumed" in named.to_dict()["timeline"][-1]) == (2021, False)


def test_a_late_record_of_the_year_before_completes_the_run() -> None:
    # Failed for 2022 (held 2022-11-01), then the failure for 2021 is recorded on
    # 2023-01-10: the run 2021-2022 is two years.
    s = fid([*FID_BASE, ev("2022-11-01", "evaluation_failed", year=2022),
             ev("2023-01-10", "evaluation_failed", year=2021)], "2023-01-11")
    assert [d.label.zh for d in s.decisions_due] == ["取消称号"]


# 2. one extension, only after a failed acceptance ---------------------------------------

def test_an_extension_mid_pilot_is_refused() -> None:
    with pytest.raises(RecordError) as info:
        fid([ev("2019-03-01", "approved"), ev("2019-04-01", "plan_submitted"),
             ev("2020-06-01", "extended")], "2020-07-01")
    assert info.value.path == "history[2]"
    assert "第十三条(三)" in str(info.value) and "延期或取消" in str(info.value)
    # checked after as_of too, as an undeclared event would be
    with pytest.raises(RecordError):
        fid([ev("2019-03-01", "approved"), ev("2020-06-01", "extended")], "2019-06-01")


EXTENDED = [*FID_BASE[:3], ev("2021-03-15", "acceptance_failed"), ev("2021-04-01", "extended"),
            ev("2021-04-02", "plan_submitted")]


def test_one_extension_after_a_failed_acceptance_then_a_second_is_refused() -> None:
    # 2019-03-01 + 2 years = 2021-03-01; extended by one year: 2022-03-01.
    s = fid(EXTENDED, "2021-05-01")
    assert (s.state, s.period_end, s.decisions_due) == ("pilot", date(2022, 3, 1), ())
    with pytest.raises(RecordError) as info:
        fid([*EXTENDED, ev("2021-05-01", "extended")], "2021-05-02")
    assert info.value.path == "history[6]"
    assert "第十三条(三)" in str(info.value) and "2021-04-01" in str(info.value)
    # a second failed acceptance after the extended period leaves only cancellation
    again = [*EXTENDED, ev("2022-03-05", "acceptance_failed")]
    s = fid(again, "2022-03-06")
    assert [(d.label.zh, d.mandatory) for d in s.decisions_due] == [("取消试点建设资格", True)]
    with pytest.raises(RecordError) as info:
        fid([*again, ev("2022-03-20", "extended")], "2022-03-21")
    assert info.value.path == "history[7]"


def test_a_failed_acceptance_during_the_extended_period_is_too_early() -> None:
    s = fid([*EXTENDED, ev("2022-03-01", "acceptance_failed")], "2022-03-02")
    assert s.decisions_due == ()
    assert "期限至 2022-03-01 届满，须期满后方可，状态不变" in s.explain()


# 3. a mandatory cancellation is an act with a date ----------------------------------------

def test_a_mandatory_cancellation_is_due_until_recorded() -> None:
    # The plan of 2019 was due by 2019-12-31: missed, known on 2020-01-01; the
    # cancellation is due from then, the state waits for it. Earliest end of the ban:
    # 2020-01-01 + 2 years = 2022-01-01.
    s = fid([ev("2019-03-01", "approved")], "2020-01-01")
    assert (s.state, s.barred_until, s.may_reapply) == ("pilot", None, True)
    (due,) = s.decisions_due
    assert (due.label.zh, due.since, due.mandatory, due.earliest_ban_end) == \
        ("取消试点资格", date(2020, 1, 1), True, date(2022, 1, 1))
    assert due.to_dict()["mandatory"] is True
    assert due.to_dict()["earliest_ban_end"] == "2022-01-01"
    text = s.explain()
    assert "2020-01-01 未按期完成「年度计划」（应于 2019-12-31 前）：应当办理「取消试点资格」" \
        "（必须办理，非主管部门裁量），自 2020-01-01 起；状态自记录办理之日起改变（第十二条(四)）" \
        in text
    assert "取消试点资格：自 2020-01-01 起应当办理，尚未记录（第十二条(四)）；记录之日起两年内" \
        "不得再次申请，最早至 2022-01-01 止（第十二条(四)）" in text
    assert "待主管部门决定" not in text
    en = s.explain("en")
    assert "the authority must act: cancellation of the pilot (mandatory, not " \
        "discretionary), due since 2020-01-01" in en
    assert "ending on 2022-01-01 at the earliest" in en
    assert s.to_dict()["timeline"][-1]["kind"] == "act_due"


def test_the_state_and_the_ban_start_on_the_date_the_act_is_recorded() -> None:
    # Recorded on 2020-02-10: cancelled that day, barred to 2020-02-10 + 2 years.
    s = fid([ev("2019-03-01", "approved"), ev("2020-02-10", "revoked")], "2020-02-11")
    assert (s.state, s.barred_until, s.decisions_due) == ("revoked", date(2022, 2, 10), ())
    assert "记录主管部门办理「取消试点资格」" in s.explain()


def test_a_mandatory_act_due_is_not_repeated() -> None:
    # Plans missed for 2019 (known 2020-01-01) and 2020 (known 2021-01-01): one act due,
    # since the first miss.
    s = fid([ev("2019-03-01", "approved")], "2021-01-02")
    assert [(d.label.zh, d.since) for d in s.decisions_due] == [("取消试点资格", date(2020, 1, 1))]
    assert "「取消试点资格」已自 2020-01-01 起应当办理，尚未记录" in s.explain()


def test_an_act_due_from_an_event() -> None:
    # 计划未执行 found on 2020-01-10: the cancellation is due that day; earliest ban end
    # 2020-01-10 + 2 years = 2022-01-10.
    s = fid([ev("2019-03-01", "approved"), ev("2019-04-01", "plan_submitted"),
             ev("2020-01-10", "not_executed")], "2020-01-10")
    assert [(d.since, d.earliest_ban_end) for d in s.decisions_due] == \
        [(date(2020, 1, 10), date(2022, 1, 10))]


# 4. the first year of a yearly duty, "mostly held" ----------------------------------------

@pytest.mark.parametrize(("approved", "first_due"), [
    # days from the day after approval to 31 December, against half the year
    ("2019-01-01", "2019-12-31"),   # 364 > 182.5
    ("2019-07-01", "2019-12-31"),   # 183 > 182.5
    ("2019-07-02", "2020-12-31"),   # 182 <= 182.5
    ("2019-12-30", "2020-12-31"),   # 1
    ("2020-06-30", "2020-12-31"),   # 184 > 183 (2020 has 366 days)
    ("2020-07-01", "2021-12-31"),   # 183 <= 183
])
def test_the_first_year_of_a_duty_is_a_year_mostly_held(approved: str, first_due: str) -> None:
    s = fid([ev(approved, "approved")], approved)
    assert [(d.name, d.due) for d in s.duties] == [("plan", date.fromisoformat(first_due))]


def test_approved_two_days_before_new_year_nothing_is_missed() -> None:
    s = fid([ev("2019-12-30", "approved")], "2020-01-01")
    assert (s.state, s.decisions_due, s.timeline[-1].event) == ("pilot", (), "approved")
    # a plan handed in on 2019-12-31 is the plan of 2020, the first year due
    early = fid([ev("2019-12-30", "approved"), ev("2019-12-31", "plan_submitted")], "2020-01-01")
    assert [(d.name, d.due) for d in early.duties] == [("plan", date(2021, 12, 31))]


# 6. re-application where the text is silent ------------------------------------------------

def test_reapplication_says_which_reading_applies() -> None:
    s = fid([*FID_BASE, ev("2021-11-01", "evaluation_failed"),
             ev("2022-11-01", "evaluation_failed"), ev("2022-12-01", "title_removed")],
            "2022-12-02")
    assert (s.state, s.may_reapply, s.barred_until) == ("removed", True, None)
    assert "再次申请：条文未作规定；本政策的处理：不设禁止期限，可随即再次申请。（第十五条）" \
        in s.explain()
    assert "Applying again: the text is silent; this policy applies: No ban: one may apply " \
        "again at once. (Art. 15" in s.explain("en")
    assert s.to_dict()["reapply_notes"] == ["no_ban"]


@pytest.mark.parametrize(("snippet", "code", "words"), [
    ('on go when decided: a -> b cites "1"', "PK306", "no decision is decided by `go`"),
    ('on go after extension: a -> b cites "1"', "PK306", "lasts no period"),
    ('on go: a -> mandatory "做" done for go cites "1"', "PK100", "unexpected `for`"),
    ('on go: a -> must "做" done by go cites "1"', "PK100", "unexpected `must`"),
    ('duty d in a: go by 12-31 each year, mostly hold cites "1"', "PK100", "unexpected `hold`"),
])
def test_fidelity_diagnostics(snippet: str, code: str, words: str) -> None:
    text = HEADER + f'''
lifecycle lc "例" cites "1"
  states a "甲", b "乙"
  initial a
  events go "开始"
  {snippet}
'''
    with pytest.raises(PolicyError) as info:
        pk.loads(text)
    assert code in info.value.codes
    assert words in str(info.value)
