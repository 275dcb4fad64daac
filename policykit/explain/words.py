"""Words and value formatting shared by the text and data renderers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from enum import Enum
from fractions import Fraction
from typing import Any

from policykit.calendar import Duration
from policykit.nodes import Label
from policykit.program import CheckedCitation
from policykit.quantities import format_decimal, format_quantity
from policykit.stdlib.units import Dim
from policykit.trace import Amount, Term, Truth, sort_members

__all__ = [
    "RULE_WORDS",
    "article_en",
    "citation_text",
    "format_amount",
    "format_ratio",
    "format_value",
    "note_kind_text",
    "outcome_text",
]

RULE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "eligible": "符合条件", "ineligible": "不符合条件", "undetermined": "尚无法确定",
        "met": "满足", "not_met": "不满足", "unknown": "无法判断",
        "awaiting_judgement": "待评审",
        "passes": "通过", "fails": "未通过", "compliant": "符合", "noncompliant": "不符合",
        "active": "在任", "expired": "已届满", "not_yet_due": "尚未达到，未到期",
    },
    "en": {
        "eligible": "eligible", "ineligible": "ineligible", "undetermined": "undetermined",
        "met": "met", "not_met": "not met", "unknown": "unknown",
        "awaiting_judgement": "awaiting judgement",
        "passes": "passes", "fails": "fails", "compliant": "compliant",
        "noncompliant": "not compliant", "active": "active", "expired": "expired",
        "not_yet_due": "not yet reached, not yet due",
    },
}

MARKS = {Truth.MET: "✓", Truth.NOT_MET: "✗", Truth.UNKNOWN: "?", Truth.AWAITING: "…"}

_CN_DIGITS = "零一二三四五六七八九十"


_TARGET_WORDS = {"zh": {"met": "达到", "not_met": "未达到"},
                 "en": {"met": "reached", "not_met": "not reached"}}


def outcome_text(word: str, lang: str, kind: str = "") -> str:
    """An outcome word as a case officer reads it; a target is reached (达到), not met."""
    if kind == "target" and word in _TARGET_WORDS[lang]:
        return _TARGET_WORDS[lang][word]
    return RULE_WORDS[lang].get(word, word)


def format_ratio(ratio: Fraction, lang: str) -> str:
    """30%, 一半 / half, 三分之二 / two thirds, or a/b."""
    if (100 * ratio).denominator == 1 and ratio.denominator not in {2, 3}:
        return f"{format_decimal(100 * ratio)}%"
    if lang == "zh":
        if ratio == Fraction(1, 2):
            return "一半"
        if ratio.numerator <= 10 and ratio.denominator <= 10:
            return f"{_CN_DIGITS[ratio.denominator]}分之{_CN_DIGITS[ratio.numerator]}"
        return f"{ratio.numerator}/{ratio.denominator}"
    named = {Fraction(1, 2): "half", Fraction(2, 3): "two thirds", Fraction(1, 3): "one third",
             Fraction(3, 4): "three quarters"}
    return named.get(ratio, f"{ratio.numerator}/{ratio.denominator}")


NOTE_KINDS: dict[str, dict[str, str]] = {
    "zh": {"silence": "原文未规定", "conflict": "原文相互矛盾", "ambiguity": "原文有歧义",
           "discretion": "由主管部门裁量"},
    "en": {"silence": "The source is silent", "conflict": "The sources conflict",
           "ambiguity": "The source is ambiguous", "discretion": "Left to the authority"},
}
"""How a note's kind is read out (a note's kind is a word of the language)."""


def note_kind_text(kind: str, lang: str) -> str:
    """``silence`` → 原文未规定 / The source is silent, and so on."""
    return NOTE_KINDS["zh" if lang == "zh" else "en"].get(kind, kind)


def format_value(value: Any, lang: str) -> str:
    """Any runtime value as text, without a unit."""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, Term):  # a code of the records: the policy's words for it
        return value.label.text(lang)
    if isinstance(value, Enum):  # its label, never the name records use
        label = getattr(value, "label" if lang == "zh" else "label_en", None)
        return str(label) if label else str(value.value)
    if isinstance(value, frozenset | set):
        return format_set(value, lang)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Duration):
        return format_quantity(value, Dim.DURATION, None, lang)
    if isinstance(value, int | Fraction):
        return format_decimal(value)
    if value == "":
        return "（空）" if lang == "zh" else "(empty)"
    return str(value)


def format_set(values: Iterable[Any], lang: str) -> str:
    items = sort_members(values)
    if not items:
        return "（无）" if lang == "zh" else "(none)"
    return ("、" if lang == "zh" else ", ").join(format_value(v, lang) for v in items)


def format_amount(amount: Amount | None, lang: str) -> str:
    if amount is None:
        return "未提供" if lang == "zh" else "not given"
    if amount.value is None:
        return "（未提供）" if lang == "zh" else "(not given)"
    if amount.dim is not None:
        if amount.dim is Dim.RATIO:
            return format_ratio(Fraction(amount.value), lang)
        return format_quantity(amount.value, amount.dim, amount.unit, lang)
    return format_value(amount.value, lang)


def label_text(label: Label | None, lang: str) -> str:
    if label is None:
        return ""
    return label.text(lang)


_CN_NUMBER = {ch: i for i, ch in enumerate("零一二三四五六七八九")}
_ARTICLE = re.compile(r"第([零一二三四五六七八九十百]+)条((?:[(（][一二三四五六七八九十]+[)）])*)")


def chinese_number(text: str) -> int | None:
    """一 → 1, 十四 → 14, 二十二 → 22, 一百零一 → 101; None for anything else."""
    total, current = 0, 0
    for ch in text:
        if ch in _CN_NUMBER:
            current = _CN_NUMBER[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


_PART = re.compile(r"([一二三四五六七八九十]+)、\s*((?:[(（][一二三四五六七八九十]+[)）])*)")
_ANNEX = re.compile(r"附件\s*([0-9]+)")


def article_en(article: str) -> str:
    """``第五条(一)`` → ``Art. 5(1) [第五条(一)]``, ``三、(六)`` → ``Part 3(6) [三、(六)]``,
    ``附件1`` → ``Annex 1 [附件1]``; other citations are kept as written."""
    text = article.strip()
    part = _PART.fullmatch(text)
    if part is not None:
        items = re.findall(r"[(（]([一二三四五六七八九十]+)[)）]", part.group(2))
        subs = "".join(f"({chinese_number(i)})" for i in items)
        return f"Part {chinese_number(part.group(1))}{subs} [{article}]"
    annex = _ANNEX.fullmatch(text)
    if annex is not None:
        return f"Annex {annex.group(1)} [{article}]"
    match = _ARTICLE.fullmatch(text)
    if match is None:
        return article
    number = chinese_number(match.group(1))
    items = re.findall(r"[(（]([一二三四五六七八九十]+)[)）]", match.group(2))
    subs = "".join(f"({chinese_number(i)})" for i in items)
    return f"Art. {number}{subs} [{article}]"


def citation_text(citation: CheckedCitation, lang: str, own_source: str,
                  quote: bool = False) -> str:
    """One citation as explanations print it: the article (in English with its number,
    ``Art. 5(1) [第五条(一)]``), preceded by the instrument only when it is not the
    policy's own source, and followed by the quoted words when ``quote`` is set."""
    other = citation.instrument if citation.instrument != own_source else ""
    words = citation.quote if quote and citation.quote else ""
    if lang == "zh":
        return (f"《{other}》" if other else "") + citation.article + \
            (f"「{words}」" if words else "")
    return (f"{other} " if other else "") + article_en(citation.article) + \
        (f" 「{words}」" if words else "")
