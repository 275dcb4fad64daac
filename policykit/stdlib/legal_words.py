"""Legal number words and the comparison each one means.

《中华人民共和国民法典》第一千二百五十九条: "以上、以下、以内、届满" include the number
itself; "不满、超过、以外" do not. 不少于 / 不低于 / 不超过 / 至少 are inclusive by their
plain meaning; 低于 / 少于 exclude.
"""

from __future__ import annotations

import attrs

__all__ = ["LEGAL_WORDS", "OPERATOR_WORDS", "LegalWord"]


@attrs.frozen
class LegalWord:
    word: str
    operator: str
    inclusive: bool
    example: str
    meaning_en: str


LEGAL_WORDS: tuple[LegalWord, ...] = (
    LegalWord("以上", ">=", True, "500平方米(含)以上 → area >= 500 m2", "or more"),
    LegalWord("不少于", ">=", True, "不少于100万元 → seed_fund >= 100万元", "at least"),
    LegalWord("不低于", ">=", True, "不低于30% → public_area >= 30% of area", "at least"),
    LegalWord("至少", ">=", True, "至少有3名以上 → mentors >= 3", "at least"),
    LegalWord("届满", ">=", True, "届满半年 → time since start >= 半年", "on completing"),
    LegalWord("以下", "<=", True, "200字以下 → length <= 200", "or less"),
    LegalWord("以内", "<=", True, "两年以内 → within 2 years, last day included", "within"),
    LegalWord("不超过", "<=", True, "不超过5个月 → <= 5 months", "at most"),
    LegalWord("超过", ">", False, "超过20人 → mentors > 20", "more than"),
    LegalWord("不满", "<", False, "不满半年 → < 半年", "less than"),
    LegalWord("低于", "<", False, "低于30% → < 30%", "less than"),
    LegalWord("少于", "<", False, "少于10个 → < 10", "fewer than"),
)
"""The table the documentation prints (docs/reference/number-words)."""

OPERATOR_WORDS: dict[str, tuple[str, str]] = {
    ">=": ("(含)以上", "or more"),
    ">": ("超过", "more than"),
    "<=": ("(含)以下", "or less"),
    "<": ("不满", "less than"),
    "==": ("等于", "equal to"),
    "!=": ("不等于", "other than"),
}
"""How an explanation words a required value for each operator, in zh and en."""
