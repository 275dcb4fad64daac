"""The explanation as a case officer reads it, in Chinese or English."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from policykit.explain.words import (
    MARKS,
    citation_text,
    format_amount,
    format_ratio,
    format_set,
    format_value,
    label_text,
    note_kind_text,
    outcome_text,
)
from policykit.program import CheckedCitation, CheckedNote, PolicyInfo
from policykit.trace import (
    RULE_KINDS,
    Caveat,
    Comparison,
    Elapsed,
    JudgementAsked,
    Membership,
    Trace,
    Truth,
    walk_nodes,
    word_of,
)

__all__ = ["render_text"]

_REQUIRED = {
    "zh": {">=": " {x}(含)以上", ">": "超过 {x}", "<=": " {x}(含)以下", "<": "不满 {x}",
           "==": "为 {x}", "!=": "不为 {x}"},
    "en": {">=": "{x} or more", ">": "more than {x}", "<=": "{x} or less",
           "<": "less than {x}", "==": "{x}", "!=": "other than {x}"},
}


def render_text(info: PolicyInfo, root: Trace, as_of: date, lang: str, *,
                decisive: set[int], missing: Sequence[str], pending: Sequence[str],
                unresolved: Sequence[CheckedNote], warnings: Sequence[Caveat] = (),
                articles: bool = False) -> str:
    """The whole explanation: verdict, the tree of rules with their facts, what is owed."""
    zh = lang == "zh"
    # What the caller must know about the question itself comes before anything else.
    lines: list[str] = [f"注意：{w.text.text(lang)}" if zh else f"Warning: {w.text.text(lang)}"
                        for w in warnings]
    title = info.title.text(lang)
    lines.append(f"{title}（{info.id}）" if zh else f"{title} ({info.id})")
    source = info.source.text(lang)
    issuer = info.issuer.text(lang) if info.issuer else ""
    issued = info.issued.isoformat() if info.issued else ""
    if issued and not info.issued_exact:
        issued = (f"（原文未载明发布日期，不早于 {issued}）" if zh else
                  f"(date of issue not stated; not before {issued})")
    lines.append(f"依据：《{source}》{issuer} {issued}".rstrip() if zh else
                 f"Source: {source}, {issuer} {issued}".rstrip(" ,"))
    lines.append(f"评估日：{as_of.isoformat()}" if zh else f"As of: {as_of.isoformat()}")
    word = outcome_text(word_of(root), lang, root.kind) + _due(root, lang)
    rule_label = label_text(root.label, lang)
    lines.append(f"结论：{word}（{rule_label}{_cites(root.citations, lang, info)}）" if zh else
                 f"Outcome: {word} ({rule_label}{_cites(root.citations, lang, info)})")
    lines.append("")
    _render_children(root, lines, 0, lang, info, decisive, root.kind, {id(root)})
    _owed(lines, root, lang, missing, pending, unresolved, info.source.zh)
    if articles:
        _articles(lines, root, lang, info.source.zh)
    return "\n".join(lines).rstrip() + "\n"


def _articles(lines: list[str], root: Trace, lang: str, source_title: str) -> None:
    """Every article the explanation cites, in full, from the source texts shipped with
    policykit (:mod:`policykit.sources`); one the texts do not hold is named as such."""
    from policykit.sources import article_text  # noqa: PLC0415 - read only on request

    cited: dict[tuple[str, str], None] = {}
    for node in walk_nodes(root):
        for citation in node.citations:
            cited.setdefault((citation.instrument, _article_of(citation.article)), None)
    if not cited:
        return
    lines.append("")
    lines.append("所引条文原文：" if lang == "zh" else
                 "The articles cited, in full (as published):")
    shown: set[str] = set()
    for instrument, article in cited:
        try:
            text = article_text(instrument, article)
        except KeyError:  # an instrument whose text policykit does not ship
            text = None
        if text is not None and text in shown:
            continue  # cited twice under two spellings (七 and 七、(一))
        if text is not None:
            shown.add(text)
        where = f"《{instrument}》{article}" if instrument != source_title else article
        lines.append(f"  {where}：" if lang == "zh" else f"  {where}:")
        if text is None:
            lines.append("    （原文未随附）" if lang == "zh" else "    (text not shipped)")
        else:
            lines.extend(f"    {line}" for line in text.splitlines())


def _article_of(cited: str) -> str:
    """The article a citation belongs to: 第五条(一) is in 第五条, 三、(六) in 三、."""
    for mark in ("条", "、"):
        if mark in cited:
            return cited[: cited.index(mark) + 1]
    return cited


def _render(node: Trace, lines: list[str], depth: int, lang: str, info: PolicyInfo,
            decisive: set[int], within: str, shown: set[int], step: int | None = None
            ) -> None:
    """One node and what is under it; ``within`` is the kind of the nearest rule above
    (a vote words its shares of a count in votes), ``step`` a step's place in order.

    A rule referred to in several places is one node of the tree (the evaluation builds
    it once): it is explained where it first appears and named, with its outcome, where
    it appears again, so the text grows with the policy, not with the paths through it
    (``shown`` holds the rules already explained)."""
    indent = "  " * depth
    if node.kind in RULE_KINDS and id(node) in shown:
        label = label_text(node.label, lang) or (node.name or "")
        word = outcome_text(word_of(node), lang, node.kind)
        lines.append(f"{indent}{MARKS[node.outcome]} {label}：{word}（见上文）" if lang == "zh"
                     else f"{indent}{MARKS[node.outcome]} {label}: {word} (see above)")
        return
    if node.kind == "not" and len(node.children) == 1 and node.children[0].kind in RULE_KINDS:
        # `not rule`: one line for the rule, its outcome and what this part requires of it
        # (a chain of "the following must not hold" lines reads as a riddle).
        negated = node.children[0]
        label = label_text(negated.label, lang) or (negated.name or "")
        word = outcome_text(word_of(negated), lang, negated.kind)
        again = id(negated) in shown
        cites = "" if again else _cites(negated.citations, lang, info)
        lines.append(f"{indent}{MARKS[node.outcome]} {label}：{word}（本项要求其不成立）{cites}"
                     if lang == "zh" else
                     f"{indent}{MARKS[node.outcome]} {label}: {word} (this part requires that "
                     f"it not hold){cites}")
        if not again:
            shown.add(id(negated))
            _render_children(negated, lines, depth + 1, lang, info, decisive,
                             negated.kind if negated.kind not in ("branch", "step") else within,
                             shown)
        return
    if node.kind in RULE_KINDS:
        shown.add(id(node))
    if node.is_rule:
        mark = "…" if node.not_yet_due else MARKS[node.outcome]
        label = label_text(node.label, lang) or (node.name or "")
        cites = _cites(node.citations, lang, info)
        word = outcome_text(word_of(node), lang, node.kind) + _due(node, lang)
        head = f"{indent}{mark} {label}"
        if node.kind == "branch" and node.combine == "any":
            head += "（其一）" if lang == "zh" else " (one way)"
        if step is not None:
            head += f"（第{step}步）" if lang == "zh" else f" (step {step})"
        lines.append(f"{head}：{word}{cites}" if lang == "zh" else f"{head}: {word}{cites}")
        inner = node.kind if node.kind not in ("branch", "step") else within
        _render_children(node, lines, depth + 1, lang, info, decisive, inner, shown)
        return
    detail = _detail(node, lang, within)
    if detail:
        lines.append(f"{indent}{MARKS[node.outcome]} {detail}")
    _render_children(node, lines, depth + 1 if detail else depth, lang, info, decisive, within,
                     shown)


def _render_children(node: Trace, lines: list[str], depth: int, lang: str, info: PolicyInfo,
                     decisive: set[int], within: str, shown: set[int]) -> None:
    either = node.kind == "any" or node.combine == "any"
    indent = "  " * depth
    for index, child in enumerate(node.children):
        label = label_text(child.label, lang) or child.name or child.condition
        if either and node.outcome is Truth.MET and child.outcome is not Truth.MET:
            # Another way is met: the ways not taken are listed, not explained.
            lines.append(f"{indent}· {label}：无需（另一途径已满足）" if lang == "zh"
                         else f"{indent}· {label}: not needed (another way is met)")
        elif child.kind == "step" and not child.reached:
            # An earlier step did not pass, so this one decides nothing. What the record
            # says of it is still told: a vote held is shown as held, with its count.
            failed = next(i for i, c in enumerate(node.children)
                          if c.reached and c.outcome is Truth.NOT_MET) + 1
            if child.outcome.settled:
                word = outcome_text(word_of(child), lang, child.kind)
                lines.append(f"{indent}· {label}（第{index + 1}步）：{word}（第{failed}步未通过，"
                             "本步不影响结论）" if lang == "zh" else
                             f"{indent}· {label} (step {index + 1}): {word} (step {failed} did "
                             "not pass, so this step does not change the outcome)")
                _render_children(child, lines, depth + 1, lang, info, decisive, within, shown)
            else:
                lines.append(f"{indent}· {label}（第{index + 1}步）：程序未进行到此步（第{failed}步"
                             "未通过）" if lang == "zh" else
                             f"{indent}· {label} (step {index + 1}): not reached (step "
                             f"{failed} did not pass)")
        else:
            _render(child, lines, depth, lang, info, decisive, within, shown,
                    index + 1 if child.kind == "step" else None)


def _due(node: Trace, lang: str) -> str:
    """A target not yet due: by when it is to be reached (the gaps below say how far)."""
    if not node.not_yet_due or node.due is None:
        return ""
    return (f"（到期日 {node.due.isoformat()}）" if lang == "zh" else
            f" (due {node.due.isoformat()})")


def _cites(citations: tuple[CheckedCitation, ...], lang: str, info: PolicyInfo) -> str:
    parts = [citation_text(c, lang, info.source.zh, quote=True) for c in citations]
    if not parts:
        return ""
    return f" —— {'；'.join(parts)}" if lang == "zh" else f" — {'; '.join(parts)}"


def _detail(node: Trace, lang: str, within: str = "") -> str:
    detail = node.detail
    if isinstance(detail, Comparison):
        if within in ("vote", "procedure") and detail.whole_bound is not None \
                and detail.share is not None and detail.note is None:
            return _votes(detail, lang)
        return _comparison(detail, lang, node)
    if isinstance(detail, Membership):
        return _membership(detail, lang)
    if isinstance(detail, Elapsed):
        return _elapsed(detail, lang)
    if isinstance(detail, JudgementAsked):
        return _judgement(detail, lang)
    if node.kind == "fact":
        label = label_text(node.label, lang)
        if node.outcome is Truth.UNKNOWN:
            return f"{label}：未提供" if lang == "zh" else f"{label}: not given"
        return f"{label}：{'是' if node.outcome is Truth.MET else '否'}" if lang == "zh" else \
            f"{label}: {'yes' if node.outcome is Truth.MET else 'no'}"
    if node.kind == "implies" and node.children and \
            node.children[0].outcome is Truth.NOT_MET:
        premise = node.children[0]
        # A premise that is a rule is named by its label; any other premise is shown on
        # the line below, with its values (never as the policy's expression).
        if premise.is_rule and (label_text(premise.label, lang) or premise.name):
            condition = label_text(premise.label, lang) or premise.name or ""
            return (f"前提（{condition}）不成立，本项不适用" if lang == "zh" else
                    f"its condition ({condition}) does not hold, so this does not apply")
        return ("适用前提不成立，本项不适用：" if lang == "zh" else
                "its condition does not hold, so this does not apply:")
    if node.kind == "not":
        return "以下情形不应成立：" if lang == "zh" else "the following must not hold:"
    if node.kind == "unsettled":
        return ("来源文本未规定（见说明）" if lang == "zh" else
                "the source does not settle this (see the note)")
    return ""


def _votes(c: Comparison, lang: str) -> str:
    """A share of a count in a vote, worded in votes: "需 20 票（30 名有表决权的成员的三分之二
    以上），实得 19 票，差 1 票" / "needs 20 of 30 members entitled to vote (two thirds or
    more), got 19, short by 1"."""
    zh = lang == "zh"
    assert c.share is not None and c.whole_bound is not None
    ratio, base_label, base_amount = c.share
    share = format_ratio(Fraction(ratio), lang)
    base = format_amount(base_amount, lang)
    noun = label_text(base_label, lang)
    if zh:
        noun = noun.removesuffix("人数").removesuffix("数") + ("人" if noun.endswith("人数")
                                                              else "")
    lower = c.op in (">=", ">")
    bound = c.whole_bound
    if zh:
        of = f"{base} 名{noun}的{share}"
        why = {">=": f"{of}以上", ">": f"超过 {of}", "<=": f"{of}以下", "<": f"不满 {of}"}[c.op]
        text = f"{'需' if lower else '至多'} {bound} 票（{why}）"
    else:
        why = {">=": f"{share} or more", ">": f"more than {share}",
               "<=": f"{share} or less", "<": f"less than {share}"}[c.op]
        text = f"{'needs' if lower else 'at most'} {bound} of {base} {noun} ({why})"
    subject = label_text(c.subject, lang)
    if c.actual is None:
        got = "实得：未提供" if zh else "got: not given"
    else:
        got = f"实得 {format_amount(c.actual, lang)} 票" if zh else \
            f"got {format_amount(c.actual, lang)}"
    text = f"{subject}：{text}，{got}" if zh else f"{subject}: {text}, {got}"
    if c.gap is not None:
        gap = format_amount(c.gap, lang)
        if zh:
            text += f"，{'差' if lower else '超出'} {gap} 票"
        else:
            text += f", {'short' if lower else 'over'} by {gap}"
    return text


def _comparison(c: Comparison, lang: str, node: Trace) -> str:
    zh = lang == "zh"
    subject = label_text(c.subject, lang)
    actual = format_amount(c.actual, lang)
    required = format_amount(c.required, lang)
    if c.share is not None:
        ratio, base_label, base_amount = c.share
        base = f"{label_text(base_label, lang)} {format_amount(base_amount, lang)}"
        share = format_ratio(Fraction(ratio), lang)
        if c.whole_bound is not None:
            # A share of a count, in the legal words, then the whole count it comes to.
            lower = c.op in (">=", ">")
            requirement = _SHARE[lang][c.op].format(base=base, share=share) + (
                f"，即{'至少' if lower else '至多'} {c.whole_bound}" if zh else
                f", i.e. {'at least' if lower else 'at most'} {c.whole_bound}")
        else:
            # A share of a quantity: the amount it comes to carries the bound.
            amount = _REQUIRED[lang][c.op].format(x=required)
            requirement = (f" {base} 的{share}，即{amount}" if zh else
                           f"{share} of {base}, i.e. {amount}")
    elif isinstance(c.required.value, date):
        requirement = _DATES[lang][c.op].format(x=required)
    elif c.op == ">" and c.required.dim is not None and c.required.value == 0:
        # "more than 0万元" says only that there is some: 设立投资基金 (a fund set up).
        requirement = "大于零" if zh else "more than zero"
    else:
        requirement = _REQUIRED[lang][c.op].format(x=required)
    if c.actual is None:
        return (f"{subject}：未提供，要求{requirement}" if zh else
                f"{subject}: not given; required {requirement}")
    if c.note == "year_not_over":
        return (f"{subject} {actual}，要求{requirement}：该年度尚未结束，截至评估日的次数"
                "不足以确定全年结果" if zh else
                f"{subject} {actual} so far; required {requirement}: the year is not over, "
                "and the count so far does not settle it")
    if c.note == "months_vs_days":
        return (f"{subject} {actual}，要求{requirement}：一方以月计、一方以天计，"
                "视起算日不同结论不同，无法判断；请以同一单位（月或年）填写" if zh else
                f"{subject} {actual}; required {requirement}: one counts months and the other "
                "days, and the answer depends on the start date; give it in months or years")
    text = (f"{subject} {actual}，要求{requirement}" if zh else
            f"{subject} {actual}; required {requirement}")
    if c.gap is not None:
        gap = format_amount(c.gap, lang)
        if isinstance(c.required.value, date):
            late = c.op in ("<=", "<")
            text += (f"，{'晚' if late else '早'} {gap}" if zh else
                     f"; {gap} {'late' if late else 'early'}")
        elif c.op in ("<=", "<"):
            text += f"，超出 {gap}" if zh else f"; over by {gap}"
        else:
            text += f"，差 {gap}" if zh else f"; short by {gap}"
    del node
    return text


_SHARE = {
    "zh": {">=": " {base} 的{share}以上", ">": "超过 {base} 的{share}",
           "<=": " {base} 的{share}以下", "<": "不满 {base} 的{share}",
           "==": "为 {base} 的{share}", "!=": "不为 {base} 的{share}"},
    "en": {">=": "{share} of {base} or more", ">": "more than {share} of {base}",
           "<=": "{share} of {base} or less", "<": "less than {share} of {base}",
           "==": "{share} of {base}", "!=": "other than {share} of {base}"},
}

_DATES = {
    "zh": {">=": " {x} 或之后", ">": " {x} 之后", "<=": " {x} 或之前", "<": " {x} 之前",
           "==": "为 {x}", "!=": "不为 {x}"},
    "en": {">=": "on or after {x}", ">": "after {x}", "<=": "on or before {x}",
           "<": "before {x}", "==": "{x}", "!=": "other than {x}"},
}


def _membership(m: Membership, lang: str) -> str:
    zh = lang == "zh"
    subject = label_text(m.subject, lang)
    expected = format_set(m.expected, lang)
    if m.actual is None:
        return f"{subject}：未提供" if zh else f"{subject}: not given"
    if m.quantifier in ("has", "lacks"):
        listed = ("、" if zh else ", ").join(format_value(v, lang) for v in m.actual) or \
            ("（无）" if zh else "(none)")
        if m.quantifier == "has":
            return (f"{subject}：{listed}；要求包含 {expected}" if zh else
                    f"{subject}: {listed}; required to include {expected}")
        return (f"{subject}：{listed}；要求不包含 {expected}" if zh else
                f"{subject}: {listed}; required not to include {expected}")
    actual = format_value(m.actual, lang)
    if m.quantifier == "in":
        return (f"{subject} 为 {actual}，要求为以下之一：{expected}" if zh else
                f"{subject} is {actual}; required one of: {expected}")
    if m.quantifier == "not in":
        return (f"{subject} 为 {actual}，要求不属于：{expected}" if zh else
                f"{subject} is {actual}; required none of: {expected}")
    if m.quantifier == "all":
        # What is required and what of it is lacking; not everything the record lists
        # (ten documents submitted, where one was asked for, would bury the one missing).
        if m.lacking:
            lacking = format_set(m.lacking, lang)
            return (f"{subject}：要求包含全部：{expected}；缺少：{lacking}" if zh else
                    f"{subject}: required all of: {expected}; lacking: {lacking}")
        return (f"{subject}：包含全部要求项：{expected}" if zh else
                f"{subject}: every required item present: {expected}")
    return (f"{subject}：{actual}；要求至少包含其一：{expected}" if zh else
            f"{subject}: {actual}; required at least one of: {expected}")


def _elapsed(e: Elapsed, lang: str) -> str:
    zh = lang == "zh"
    subject = label_text(e.subject, lang)
    duration = format_amount(e.duration, lang)
    if e.start is not None and e.beyond:
        return (f"{subject} {e.start.isoformat()}，满 {duration} 之日在 9999-12-31 之后，"
                f"超出可计算的日期范围；评估日 {e.as_of.isoformat()} 尚在期间之内" if zh else
                f"{subject} {e.start.isoformat()}; {duration} would be complete only after "
                f"9999-12-31, beyond the last date that can be counted; as of "
                f"{e.as_of.isoformat()} the period has not ended")
    if e.start is None or e.period_end is None:
        return (f"{subject}：未提供，要求满 {duration}" if zh else
                f"{subject}: not given; {duration} required")
    clamp = ""
    if e.clamped:
        clamp = ("；该月无对应日，以月末日为期间最后一日（民法典第二百零二条）" if zh else
                 "; that month has no such day, so the period ends on its last day "
                 "(Civil Code art. 202)")
    text = (f"{subject} {e.start.isoformat()}，满 {duration} 之日为 "
            f"{e.period_end.isoformat()}{clamp}；评估日 {e.as_of.isoformat()}" if zh else
            f"{subject} {e.start.isoformat()}; {duration} "
            f"{'is' if duration.startswith('1 ') else 'are'} complete on "
            f"{e.period_end.isoformat()}{clamp}; as of {e.as_of.isoformat()}")
    if e.days_short is not None:
        text += f"，尚差 {e.days_short} 天" if zh else \
            f", {e.days_short} day{'s' if e.days_short != 1 else ''} short"
    if e.days_over is not None:
        text += f"，已超出 {e.days_over} 天" if zh else \
            f", {e.days_over} day{'s' if e.days_over != 1 else ''} past it"
    return text


def _judgement(j: JudgementAsked, lang: str) -> str:
    zh = lang == "zh"
    question = j.question.text(lang)
    if j.given is None:
        return f"评审意见：{question} —— 尚未给出" if zh else \
            f"reviewer's judgement: {question} — not yet given"
    if j.given:
        return f"评审意见：{question} —— 认可" if zh else \
            f"reviewer's judgement: {question} — affirmed"
    return f"评审意见：{question} —— 不认可" if zh else \
        f"reviewer's judgement: {question} — refused"


def _owed(lines: list[str], root: Trace, lang: str, missing: Sequence[str],
          pending: Sequence[str], unresolved: Sequence[CheckedNote], source_title: str) -> None:
    zh = lang == "zh"
    if missing:
        labels = _missing_labels(root, lang)
        lines.append("")
        lines.append("需补充的事实：" if zh else "Facts to supply:")
        # The facts by their labels (the paths are in Result.missing and the data).
        lines.extend(f"  - {labels.get(path) or path}" for path in missing)
    if pending:
        questions = _pending_questions(root, lang)
        lines.append("")
        lines.append("评审人尚需作出的判断：" if zh else "Judgements a reviewer still owes:")
        lines.extend(f"  - {questions.get(key) or key}" for key in pending)
    if unresolved:
        lines.append("")
        lines.append("来源文本的说明（沉默、冲突或歧义）：" if zh else
                     "Notes on the source (silence, conflict or ambiguity):")
        for note in unresolved:
            where = ("、" if zh else ", ").join(
                citation_text(c, lang, source_title) for c in note.citations)
            kind = note_kind_text(note.kind, lang)
            lines.append(f"  - {kind}（{where}）：{note.text.text(lang)}" if zh else
                         f"  - {kind} ({where}): {note.text.text(lang)}")
            if note.prevails is not None:
                lines.append(f"    适用：{note.prevails.text(lang)}" if zh else
                             f"    Applied: {note.prevails.text(lang)}")


def _missing_labels(root: Trace, lang: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for node in walk_nodes(root):
        for m in node.missing:
            labels.setdefault(m.path, m.label.text(lang))
    return labels


def _pending_questions(root: Trace, lang: str) -> dict[str, str]:
    questions: dict[str, str] = {}
    for node in walk_nodes(root):
        for pj in node.pending:
            questions.setdefault(pj.key, pj.question.text(lang))
    return questions
