"""A lifecycle's status rendered for people: the state, its period, the ban (or, where
the text is silent on applying again, the reading applied), the timeline event by event
with the rule that fired and its citation, the duties, the authority's decisions and
mandatory acts due, and the notes on the source (Chinese or English).

:mod:`policykit.lifecycle` replays the history; this module only renders its
:class:`~policykit.lifecycle.LifecycleStatus`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from policykit.calendar import Duration
from policykit.explain.words import citation_text
from policykit.program import CheckedCitation, CheckedLifecycle, PolicyInfo

if TYPE_CHECKING:
    from policykit.lifecycle import LifecycleStatus, Step

__all__ = ["duration_en", "render_lifecycle"]

_ZH_DIGITS = "零一两三四五六七八九十"


def _zh_count(n: int) -> str:
    return _ZH_DIGITS[n] if 0 <= n <= 10 else str(n)


def _duration_zh(d: Duration) -> str:
    if d.days:
        return f"{d.days}日"
    if d.months % 12 == 0:
        n, unit = d.months // 12, "年"
    else:
        n, unit = d.months, "个月"
    word = _ZH_DIGITS[n] if n <= 10 else str(n)
    if n == 2 and unit == "个月":
        word = "两"
    return f"{word}{unit}"


def duration_en(d: Duration) -> str:
    if d.days:
        n, unit = d.days, "day"
    elif d.months % 12 == 0:
        n, unit = d.months // 12, "year"
    else:
        n, unit = d.months, "month"
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _cites(citations: tuple[CheckedCitation, ...], lang: str, info: PolicyInfo) -> str:
    parts = [citation_text(c, lang, info.source.zh) for c in citations]
    if not parts:
        return ""
    return f"（{'；'.join(parts)}）" if lang == "zh" else f" ({'; '.join(parts)})"


def _state(lc: CheckedLifecycle, name: str, lang: str) -> str:
    return lc.state(name).label.text(lang)


def _period_text(s: LifecycleStatus | Step, lc: CheckedLifecycle, state: str, lang: str,
                 info: PolicyInfo) -> str:
    from policykit.lifecycle import Step  # noqa: PLC0415 - policykit.lifecycle imports this

    period = s.period if isinstance(s, Step) else (
        (s.period_start, s.period_end) if s.period_start and s.period_end else None)
    if period is None:
        return ""
    zh = lang == "zh"
    sdef = lc.state(state)
    name = sdef.label.text(lang)
    ext = s.extensions
    if ext:
        inner = "、".join(f"含延期{_duration_zh(d)}，{_cites(c, lang, info)[1:-1]}"
                         for d, c in ext) if zh else \
            "; ".join(f"extended by {duration_en(d)},{_cites(c, lang, info)[:-1]}".replace(
                ", (", ", ").rstrip() for d, c in ext)
        tail = f"（{inner}）" if zh else f" ({inner})"
    else:
        tail = _cites(sdef.citations, lang, info)
    # A period starts on the day after the event that begins it (民法典 第二百零一条):
    # that day is what the text shows (the data keep the event's date).
    first = period[0] + timedelta(days=1)
    return (f"{name}期 {first.isoformat()} 至 {period[1].isoformat()}{tail}" if zh else
            f"{name} period {first.isoformat()} to {period[1].isoformat()}{tail}")


_HOLIDAY_UNKNOWN = {
    "zh": "（期限末日所在年度的法定节假日安排尚未收入节假日日历，"
          "未能适用民法典第二百零三条的顺延规则，请人工核对）",
    "en": " (the holiday calendar does not yet cover the year of the last day, so the "
          "Civil Code art. 203 extension could not be checked: verify by hand)",
}

_REASONS = {
    "zh": {
        "no_rule": "当前状态「{state}」下不适用，状态不变",
        "period_running": "期限至 {date} 届满，须期满后方可，状态不变",
        "barred": "禁止再次申请至 {date} 止，状态不变",
        "too_early": "须在 {date} 之后，状态不变",
        "too_late": "期限已于 {date} 届满，状态不变",
        "not_entered": "未记录进入「{state}」的日期，状态不变",
        "not_extended": "须在延长后的期限届满后方可（期限未曾延长），状态不变",
    },
    "en": {
        "no_rule": "not applicable in the state '{state}'; the state is unchanged",
        "period_running": "only after the period ends on {date}; the state is unchanged",
        "barred": "barred from reapplying until {date}; the state is unchanged",
        "too_early": "only after {date}; the state is unchanged",
        "too_late": "the deadline was {date}; the state is unchanged",
        "not_entered": "no date of entry into '{state}'; the state is unchanged",
        "not_extended": "only after an extended period ends, and the period was not "
                        "extended; the state is unchanged",
    },
}

# What a note on applying again says of the text, by its kind.
_NOTE_KIND = {
    "zh": {"silence": "条文未作规定", "ambiguity": "条文有歧义", "conflict": "条文之间不一致",
           "discretion": "由主管部门裁量"},
    "en": {"silence": "the text is silent", "ambiguity": "the text is ambiguous",
           "conflict": "the texts conflict", "discretion": "the authority decides"},
}


def _year_text(step: Step, lang: str) -> str:
    """The year counted towards consecutive years, and whether it was assumed."""
    if step.year is None:
        return ""
    if lang == "zh":
        return f"计入 {step.year} 年度" + (
            "（未载明所属年度，按事件日期所在年度计）" if step.year_assumed else "")
    return f"counted for {step.year}" + (
        " (the year it is for is not stated: taken to be the year of its date)"
        if step.year_assumed else "")


def _lead(step: Step, zh: bool) -> str:
    if not step.count:
        return ""
    return (f"连续{_ZH_DIGITS[step.count] if step.count <= 10 else step.count}年，" if zh
            else f"{step.count} consecutive years: ")


def _due_text(step: Step, lang: str, cites: str) -> str:
    """A decision (discretion) or a mandatory act that became due, or was due already."""
    assert step.decision is not None
    zh, lead, what = lang == "zh", _lead(step, lang == "zh"), step.decision.text(lang)
    since = step.reason_date.isoformat() if step.reason_date else ""
    again = step.reason == "already_due"
    if step.kind == "decision_due":
        tail = ((f"（自 {since} 起已待决定）" if zh else f" (due since {since})")
                if again else "")
        return (f"{lead}待主管部门决定：{what}{tail}，状态暂不变{cites}" if zh else
                f"{lead}the authority's decision is due: {what}{tail}; the state is unchanged "
                f"until it is recorded{cites}")
    if again:
        return (f"{lead}「{what}」已自 {since} 起应当办理，尚未记录{cites}" if zh else
                f"{lead}{what} has been due since {since} and is not yet recorded{cites}")
    on = step.on.isoformat()
    return (f"{lead}应当办理「{what}」（必须办理，非主管部门裁量），自 {on} 起；"
            f"状态自记录办理之日起改变{cites}" if zh else
            f"{lead}the authority must act: {what} (mandatory, not discretionary), due since "
            f"{on}; the state changes on the date the act is recorded{cites}")


def _step_text(step: Step, status: LifecycleStatus, lang: str) -> str:
    lc, info = status.lifecycle, status.info
    zh = lang == "zh"
    sep = "；" if zh else "; "
    head = f"{step.on.isoformat()} {step.event_label.text(lang)}"
    parts: list[str] = []
    if step.duty is not None and step.kind in {"missed", "transition", "decision_due",
                                                "act_due", "not_allowed"} \
            and step.due is not None \
            and step.event not in {e.name for e in lc.events}:
        head = (f"{step.on.isoformat()} 未按期完成「{step.duty.text(lang)}」"
                f"（应于 {step.due.isoformat()} 前）" if zh else
                f"{step.on.isoformat()} {step.duty.text(lang)} missed "
                f"(due by {step.due.isoformat()})")
    if step.decided is not None and step.decided_act:
        parts.append(f"记录主管部门办理「{step.decided.text(lang)}」" if zh else
                     f"records the authority's act: '{step.decided.text(lang)}'")
    elif step.decided is not None:
        parts.append(f"记录主管部门就「{step.decided.text(lang)}」作出的决定" if zh else
                     f"records the authority's decision on '{step.decided.text(lang)}'")
    cites = _cites(step.citations, lang, info)
    if step.kind == "transition":
        arrow = f"{_state(lc, step.source, lang)} → {_state(lc, step.target, lang)}"
        if step.count:
            arrow = (f"连续{_ZH_DIGITS[step.count] if step.count <= 10 else step.count}年，"
                     + arrow if zh else f"{step.count} consecutive years: " + arrow)
        if step.holiday_moved_from:
            arrow += (f"（期限末日 {step.holiday_moved_from.isoformat()} 为法定休假日，"
                      f"顺延，{_cites(lc.holidays or (), lang, info)[1:-1]}）" if zh else
                      f" (the last day {step.holiday_moved_from.isoformat()} is a statutory "
                      f"holiday, so the deadline moves on;"
                      f"{_cites(lc.holidays or (), lang, info)[:-1]})")
        if step.holiday_unknown:
            arrow += _HOLIDAY_UNKNOWN[lang]
        parts.append(arrow + cites)
        if step.period is not None:
            parts.append(_period_text(step, lc, step.target, lang, info))
        if step.ban is not None:
            d, until, bcites = step.ban
            parts.append(f"{_duration_zh(d)}内不得再次申请，至 {until.isoformat()} 止"
                         f"{_cites(bcites, lang, info)}" if zh else
                         f"may not reapply within {duration_en(d)}, until "
                         f"{until.isoformat()} inclusive{_cites(bcites, lang, info)}")
    elif step.kind == "extension":
        parts.append(_period_text(step, lc, step.source, lang, info))
    elif step.kind in {"decision_due", "act_due"}:
        parts.append(_due_text(step, lang, cites))
    elif step.kind == "recorded":
        if step.reason == "counting":
            nth = "第一年" if step.count == 1 else f"连续第{_zh_count(step.count)}年"
            parts.append(f"{nth}，连续{_zh_count(step.needed)}年方有后果{cites}" if zh else
                         f"year {step.count} in a row of the {step.needed} that have a "
                         f"consequence{cites}")
        elif step.duty is not None and step.reason == "late":
            parts.append(f"「{step.duty.text(lang)}」逾期提交（期限 {step.due}）{cites}" if zh
                         else f"{step.duty.text(lang)} done late (due by {step.due}){cites}")
        elif step.duty is not None and step.reason == "duty_due":
            # No date: due from now on. Not "及时" (promptly) unless the text says so, as
            # 上海 第七条 does and 湖南 第十五条 does not; a policy's note says which.
            parts.append(f"应办理「{step.duty.text(lang)}」（未规定期限）{cites}" if zh else
                         f"{step.duty.text(lang)} is now due (no date set){cites}")
        elif step.duty is not None:
            parts.append(f"履行「{step.duty.text(lang)}」{cites}" if zh else
                         f"{step.duty.text(lang)} done{cites}")
    elif step.kind == "missed":
        parts.append(f"记录在案{cites}" if zh else f"recorded{cites}")
    elif step.kind == "not_allowed":
        text = _REASONS[lang][step.reason].format(
            state=_state(lc, step.source, lang),
            date=step.reason_date.isoformat() if step.reason_date else "")
        if step.holiday_moved_from:
            text += (f"（末日 {step.holiday_moved_from.isoformat()} 为法定休假日，已顺延）"
                     if zh else f" (moved from the holiday {step.holiday_moved_from})")
        if step.holiday_unknown:
            text += _HOLIDAY_UNKNOWN[lang]
        parts.append(text + cites)
    parts.append(_year_text(step, lang))
    return head + ("：" if zh else ": ") + sep.join(p for p in parts if p)


def _reapply_lines(status: LifecycleStatus, lang: str) -> list[str]:
    """Applying again where the text is silent (or unclear): the reading applied."""
    zh, out = lang == "zh", []
    for note in status.reapply_notes:
        said = _NOTE_KIND[lang].get(note.kind, "")
        reading = note.prevails.text(lang) if note.prevails else note.text.text(lang)
        nc = _cites(note.citations, lang, status.info)
        out.append(f"  再次申请：{said}；本政策的处理：{reading}{nc}" if zh else
                   f"  Applying again: {said}; this policy applies: {reading}{nc}")
    return out


def _authority_lines(status: LifecycleStatus, lang: str) -> list[str]:
    """The authority's decisions due (its choice), then the acts the text requires of it,
    each with the earliest end of the ban it would start."""
    zh, info, out = lang == "zh", status.info, []
    chosen = [d for d in status.decisions_due if not d.mandatory]
    if chosen:
        out += ["", "待主管部门决定：" if zh else "Decisions due from the authority:"]
        for dec in chosen:
            c = _cites(dec.citations, lang, info)
            out.append(f"  {dec.label.text(lang)}（自 {dec.since.isoformat()}）{c}" if zh else
                       f"  {dec.label.text(lang)} (since {dec.since.isoformat()}){c}")
    acts = [d for d in status.decisions_due if d.mandatory]
    if acts:
        out += ["", "应由主管部门办理（必须）：" if zh else "Due from the authority (mandatory):"]
    for dec in acts:
        c, since = _cites(dec.citations, lang, info), dec.since.isoformat()
        text = (f"  {dec.label.text(lang)}：自 {since} 起应当办理，尚未记录{c}" if zh else
                f"  {dec.label.text(lang)}: due since {since}, not yet recorded{c}")
        if dec.ban is not None:
            length, end, bcites = dec.ban
            bc = _cites(bcites, lang, info)
            text += (f"；记录之日起{_duration_zh(length)}内不得再次申请，最早至 "
                     f"{end.isoformat()} 止{bc}" if zh else
                     f"; a ban of {duration_en(length)} runs from the date it is recorded, "
                     f"ending on {end.isoformat()} at the earliest{bc}")
        out.append(text)
    return out


def render_lifecycle(status: LifecycleStatus, lang: str) -> str:
    lc, info = status.lifecycle, status.info
    zh = lang == "zh"
    lines: list[str] = []
    title = lc.label.text(lang)
    lines.append(f"{title}（{info.id}）{_cites(lc.citations, lang, info)}" if zh
                 else f"{title} ({info.id}){_cites(lc.citations, lang, info)}")
    lines.append(f"评估日：{status.as_of.isoformat()}" if zh else
                 f"As of: {status.as_of.isoformat()}")
    since = f"（自 {status.entered_on.isoformat()}）" if zh and status.entered_on else \
        f" (since {status.entered_on.isoformat()})" if status.entered_on else ""
    lines.append(f"状态：{status.state_label.text(lang)}{since}" if zh else
                 f"State: {status.state_label.text(lang)}{since}")
    if status.period_end is not None:
        lines.append("  " + _period_text(status, lc, status.state, lang, info))
    if status.barred_until is not None:
        ban = lc.ban(status.state)
        bc = _cites(ban.citations, lang, info) if ban else ""
        lines.append(
            (f"  不得再次申请，至 {status.barred_until.isoformat()} 止{bc}" if zh else
             f"  may not reapply until {status.barred_until.isoformat()} inclusive{bc}")
            if not status.may_reapply else
            (f"  禁止再次申请的期限已于 {status.barred_until.isoformat()} 届满，可再次申请{bc}"
             if zh else f"  the ban ended on {status.barred_until.isoformat()}; may "
             f"reapply{bc}"))
    lines += _reapply_lines(status, lang)
    lines.append("")
    lines.append("时间线：" if zh else "Timeline:")
    if not status.timeline:
        lines.append("  （无事件）" if zh else "  (no events)")
    lines.extend("  " + _step_text(s, status, lang) for s in status.timeline)
    if status.duties:
        lines.append("")
        lines.append("应履行：" if zh else "Duties due:")
        for d in status.duties:
            c = _cites(d.citations, lang, info)
            if d.due is None:
                lines.append(f"  {d.label.text(lang)}：应办理，未规定期限{c}" if zh else
                             f"  {d.label.text(lang)}: due, no date set{c}")
            else:
                lines.append(f"  {d.label.text(lang)}：{d.due.isoformat()} 前{c}" if zh else
                             f"  {d.label.text(lang)}: by {d.due.isoformat()}{c}")
    lines += _authority_lines(status, lang)
    notes = {n.name: n for n in lc.notes}
    for dec in status.decisions_due:
        notes.update((n.name, n) for n in dec.notes)
    notes.update((n.name, n) for n in status.reapply_notes)
    due = {d.name for d in status.duties}
    for duty in lc.duties:
        if duty.name in due:
            notes.update((n.name, n) for n in duty.notes)
    if notes:
        lines.append("")
        lines.append("说明：" if zh else "Notes on the source:")
        for note in notes.values():
            where = _cites(note.citations, lang, info)
            lines.append(f"  {note.text.text(lang)}{where}")
            if note.prevails is not None:
                lines.append(("    本政策的处理：" if zh else "    This policy applies: ")
                             + note.prevails.text(lang))
    return "\n".join(lines).rstrip() + "\n"
