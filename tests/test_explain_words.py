"""The words explanations are made of: article numbers in English, empty texts."""

from __future__ import annotations

from datetime import date

import pytest

import policykit
from policykit.explain.words import article_en, chinese_number, citation_text, format_value
from policykit.program import CheckedCitation


@pytest.mark.parametrize(
    ("article", "english"),
    [
        ("第五条(一)", "Art. 5(1) [第五条(一)]"),
        ("第二十二条", "Art. 22 [第二十二条]"),  # 二十二 = 2 x 10 + 2
        ("三、(六)", "Part 3(6) [三、(六)]"),
        ("四、（一）", "Part 4(1) [四、（一）]"),  # full-width brackets as in the sources
        ("附件1", "Annex 1 [附件1]"),
        ("章程 第十四条", "章程 第十四条"),  # anything else is kept as written
    ],
)
def test_article_numbers_in_english(article: str, english: str) -> None:
    assert article_en(article) == english


@pytest.mark.parametrize(("text", "number"), [("一", 1), ("十", 10), ("十四", 14),
                                               ("二十二", 22), ("一百零一", 101)])
def test_chinese_numbers(text: str, number: int) -> None:
    assert chinese_number(text) == number


def test_an_empty_text_is_named_not_left_blank() -> None:
    assert format_value("", "zh") == "（空）"
    assert format_value("", "en") == "(empty)"


def test_note_citations_from_another_instrument_name_it() -> None:
    # 柳东: the rotating chair's term conflicts between the charter (第十四条, the policy's
    # source) and the formation plan (四、(四), cited `from` it).
    liudong = policykit.bundled("liudong.alliance")
    result = liudong.evaluate({"started_on": "2016-03-01", "activities_hosted": 1,
                               "summary_submitted": True},
                              as_of=date(2018, 6, 1), rule="chair_activities")
    assert "第十四条、《柳东新区（柳州高新区）孵化器联盟组建方案》四、(四)" in result.explain("zh")
    assert "The sources conflict (" in result.explain("en")


def test_a_citation_names_another_instrument_only() -> None:
    own = CheckedCitation("柳东章程", "第十四条", "每两年安排一名副理事长作为轮值理事长")
    other = CheckedCitation("组建方案", "四、(四)", None)
    assert citation_text(own, "zh", "柳东章程") == "第十四条"
    assert citation_text(own, "zh", "柳东章程", quote=True) == \
        "第十四条「每两年安排一名副理事长作为轮值理事长」"
    assert citation_text(other, "zh", "柳东章程") == "《组建方案》四、(四)"
    assert citation_text(other, "en", "柳东章程") == "组建方案 Part 4(4) [四、(四)]"


def test_an_explanation_shows_the_articles_it_cites_on_request() -> None:
    # 第五条(一) is cited by the area criterion: its whole article, 第五条 with its six
    # items, follows the explanation when asked for, from the texts shipped as package
    # data (issue 11 item 5); once, however many of its items are cited.
    policy = policykit.bundled("hunan.recognition")
    result = policy.evaluate({"area": "480 m2"}, as_of=date(2016, 9, 1))
    plain = result.explain("zh")
    assert "所引条文原文" not in plain
    full = result.explain("zh", articles=True)
    assert full.startswith(plain.rstrip("\n"))
    assert full.count("    第五条 申请认定湖南省众创空间的单位,应同时具备以下条件:") == 1
    assert "    (六)为创业实体提供不少于6个月免费入驻(包括免租金、免互联网费用等)服务。" in full
    assert "The articles cited, in full (as published):" in result.explain("en", articles=True)


def test_an_instrument_whose_text_is_not_shipped_is_named_as_such() -> None:
    policy = policykit.loads(
        'policy t.x title "T" source "某办法" issued 2016-06-01 by "I" subject space: MakerSpace\n'
        'criterion a cites "第一条" = space.teams >= 1\n')
    text = policy.evaluate({"teams": 0}, as_of=date(2016, 9, 1)).explain("zh", articles=True)
    assert text.endswith("所引条文原文：\n  第一条：\n    （原文未随附）\n")
