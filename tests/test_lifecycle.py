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
    assert "试点期 2019-03-01 至 2021-03-01（第十二条(五)）" in s.explain()


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
    assert "试点期 2019-03-01 至 2022-03-01（含延期一年，第十三条(三)）" in text
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
