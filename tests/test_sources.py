"""Every quote of every bundled policy is verbatim: it occurs, character for character,
in the article it cites, in the official text shipped with the package
(policykit/sources/texts, read through policykit.sources)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import attrs
import pytest

import policykit
from policykit.program import CheckedCitation
from policykit.sources import INSTRUMENTS, article_text, instrument_text, quote_found

ROOT = Path(__file__).resolve().parents[1]
HUNAN = "湖南省促进众创空间发展与管理办法(试行)"
NOTICE = "关于开展众创空间备案工作的通知"
HEDONG = "关于河东区众创空间建设与发展的调研报告"


def _walk(node: object, seen: set[int]) -> Iterator[CheckedCitation]:
    """Every citation in a checked program: rules, notes (also those attached to rules,
    transitions, bans and duties), lifecycles, their states, transitions, bans, duties,
    extensions and holiday rule: any attrs instance, tuple or dict reached from it."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CheckedCitation):
        yield node
    elif attrs.has(type(node)):
        for field in attrs.fields(type(node)):
            yield from _walk(getattr(node, field.name), seen)
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _walk(item, seen)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _walk(item, seen)


def _citations() -> list[tuple[str, CheckedCitation]]:
    found: dict[tuple[str, CheckedCitation], None] = {}
    for pid in policykit.bundled_ids():
        policy = policykit.bundled(pid)
        for citation in _walk(policy._program, set()):
            found[pid, citation] = None
    return list(found)


CITATIONS = _citations()


def _ids(cases: list[tuple[str, CheckedCitation]]) -> list[str]:
    # ASCII ids (pytest escapes the rest): the policy and the citation's place in it.
    count: dict[str, int] = {}
    ids = []
    for pid, _ in cases:
        count[pid] = count.get(pid, 0) + 1
        ids.append(f"{pid}-{count[pid]}")
    return ids


def test_the_walk_reaches_every_kind_of_citation() -> None:
    # Rules (RuleInfo.citations), notes and lifecycles are all reached, so a quote added
    # anywhere in a policy is checked.
    walked = {(pid, c) for pid, c in CITATIONS}
    for pid in policykit.bundled_ids():
        policy = policykit.bundled(pid)
        for rule in policy.rules():
            assert {(pid, c) for c in rule.citations} <= walked
        for note in policy.notes:
            assert {(pid, c) for c in note.citations} <= walked
    lifecycle = policykit.bundled("hunan.recognition")._program.lifecycles[0]
    assert {("hunan.recognition", c) for t in lifecycle.transitions for c in t.citations} <= walked
    assert len({pid for pid, _ in CITATIONS}) == len(policykit.bundled_ids())


@pytest.mark.parametrize("case", CITATIONS, ids=_ids(CITATIONS))
def test_every_citation_names_a_bundled_text_and_an_article_in_it(
        case: tuple[str, CheckedCitation]) -> None:
    pid, c = case
    assert c.instrument in INSTRUMENTS, f"{pid}: no source text for {c.instrument}"
    assert article_text(c.instrument, c.article) is not None, (
        f"{pid}: {c.instrument} has no {c.article}")


QUOTED = [c for c in CITATIONS if c[1].quote is not None]


@pytest.mark.parametrize("case", QUOTED, ids=_ids(QUOTED))
def test_every_quote_is_verbatim_in_its_article(case: tuple[str, CheckedCitation]) -> None:
    # Character for character in the cited article, not merely somewhere in the file:
    # "，" is not ",", "（" is not "(", and "…" joining two sentences is in no text. Where
    # the citation names a sub-item (第五条(一), 一、基本条件 1, 四、(四)3, 附件2 第1项) the
    # quote must be in that item. A passage's lines are compared joined: the Zhuzhou
    # charter sets the three steps of 第六条 one a line and the policy quotes them as one
    # passage; no quote runs into the next item or article. The preamble cited as 序言 /
    # 正文首段 is the opening paragraph, after the title and the addressees.
    pid, c = case
    assert c.quote is not None
    assert quote_found(c.instrument, c.article, c.quote), (
        f"{pid}: {c.instrument} {c.article} {c.quote!r} is not in\n"
        f"{article_text(c.instrument, c.article)}")


def test_no_quote_leaves_words_out() -> None:
    # An ellipsis would be found in no text anyway; this names the mistake outright.
    elided = [(pid, c.quote) for pid, c in CITATIONS
              if c.quote and ("…" in c.quote or "..." in c.quote)]
    assert elided == []


# ---------------------------------------------------------------- the texts and the module


def test_the_hunan_recognition_quotes_keep_the_source_commas() -> None:
    # The measures are punctuated with ASCII "," (a converted text, as published); a
    # quote with the full-width "，" is not verbatim.
    assert quote_found(HUNAN, "第五条", "申请认定湖南省众创空间的单位,应同时具备以下条件")
    assert not quote_found(HUNAN, "第五条", "申请认定湖南省众创空间的单位，应同时具备以下条件")


def test_a_quote_is_looked_for_in_the_sub_item_cited() -> None:
    assert quote_found(HUNAN, "第五条(一)", "运营半年以上")
    assert quote_found(HUNAN, "第五条", "运营半年以上")
    assert not quote_found(HUNAN, "第五条(二)", "运营半年以上")
    plan = "柳东新区（柳州高新区）孵化器联盟组建方案"
    assert quote_found(plan, "四、(四)3", "在轮值期内承办两次联盟成员活动")
    assert not quote_found(plan, "四、(四)4", "在轮值期内承办两次联盟成员活动")
    assert not quote_found(plan, "四、(三)", "在轮值期内承办两次联盟成员活动")
    assert not quote_found(HUNAN, "第五条(一)", "")


def test_article_text_is_the_whole_article() -> None:
    text = article_text(HUNAN, "第五条(四)")
    assert text is not None
    assert text == article_text(HUNAN, "第五条")
    assert text.startswith("第五条 申请认定湖南省众创空间的单位,应同时具备以下条件:\n(一)")
    assert text.endswith("(六)为创业实体提供不少于6个月免费入驻(包括免租金、免互联网费用等)服务。")
    # A chapter heading run into the end of an article is not part of it.
    assert article_text(HUNAN, "第六条") is not None
    assert not article_text(HUNAN, "第六条").endswith("管理与扶持")  # type: ignore[union-attr]
    assert article_text(HUNAN, "第五条(七)") is None
    assert article_text(HUNAN, "第十七条") is None
    assert article_text(HUNAN, "第五章") is None


def test_article_text_reads_sections_attachments_and_preambles() -> None:
    section = article_text(NOTICE, "二、组织申报 2")
    assert section is not None and section.startswith("二、组织申报\n1、")
    assert article_text(NOTICE, "二、组织申报 4") is None
    assert article_text(NOTICE, "二、基本条件") is None  # the heading does not match
    annex = article_text(NOTICE, "附件2 第9项")
    assert annex is not None and annex.startswith("附件2：\n相关证明文件\n1、")
    assert article_text(NOTICE, "正文首段") == (
        "为深入贯彻《国务院办公厅关于发展众创空间推进大众创新创业的指导意见》（国办发〔2015〕9号）"
        "、《国务院办公厅关于加快众创空间发展服务实体经济转型升级的指导意见》（国办发〔2016〕7号）"
        "，按照科技部火炬中心《关于开展众创空间备案工作的通知》要求，结合我省众创空间发展实际，"
        "现组织开展我省2016年度第二批众创空间备案工作。\xa0本次备案工作旨在择优向科技部推荐备案一批"
        "众创空间。")
    plan = "柳东新区（柳州高新区）孵化器联盟组建方案"
    assert article_text(plan, "四、(四)3") == article_text(plan, "四")
    assert article_text(plan, "四、(四)7") is None
    assert article_text(plan, "十、附件") == "十、附件\n柳东新区（柳州高新区）孵化器联盟章程"
    # The attachments listed after 第二十条 are not the attachments themselves.
    intl = "国际科技合作孵化基地管理办法（试行版）"
    assert article_text(intl, "第二十条") == "第二十条 本办法自发布之日起实施。"
    assert (article_text(intl, "附件2") or "").startswith("附件2：\n国际科技合作孵化基地试点单位")


def test_the_liudong_file_holds_two_instruments() -> None:
    plan = instrument_text("柳东新区（柳州高新区）孵化器联盟组建方案")
    charter = instrument_text("柳东新区（柳州高新区）孵化器联盟章程")
    assert plan.endswith("十、附件\n柳东新区（柳州高新区）孵化器联盟章程")
    assert "第一条" not in plan and "七、加盟条件" not in charter
    assert article_text("柳东新区（柳州高新区）孵化器联盟章程", "七") is None
    assert article_text("柳东新区（柳州高新区）孵化器联盟组建方案", "第十七条") is None


def test_page_numbers_are_taken_out_of_the_qinzhou_plan() -> None:
    # The page number "-1-" is printed into 一、(二) between 众创空 and 间.
    title = "钦州市大力促进众创空间发展工作方案"
    assert "众创空\n-1- 间" in instrument_text(title)
    text = article_text(title, "一、(二)")
    assert text is not None and "全市建成3个以上众创空间,其中钦州高新区" in text
    for article in ("一、", "二、", "三、", "序言"):
        assert re.search(r"-\d+-", article_text(title, article) or "") is None
    # A page number between two paragraphs keeps them apart.
    assert "财政局)\n鼓励和支持农民工创业" in (article_text(title, "二、") or "")


def test_unknown_titles_are_a_key_error() -> None:
    with pytest.raises(KeyError, match="no bundled source text"):
        article_text("湖南省促进众创空间发展与管理办法", "第五条")


def test_every_text_is_shipped_and_used() -> None:
    texts = resources.files("policykit.sources").joinpath("texts")
    shipped = sorted(t.name for t in texts.iterdir() if t.name.endswith(".txt"))
    assert shipped == sorted({i.file for i in INSTRUMENTS.values()})
    shared = ROOT.parent / "shared" / "sources"
    if shared.is_dir():  # beside a checkout: the shipped copies are the published texts
        for name in shipped:
            assert texts.joinpath(name).read_bytes() == (shared / name).read_bytes(), name
    for title in INSTRUMENTS:
        assert article_text(title, "第一条") or article_text(title, "一、"), title


def test_hedong_example_quotes_are_verbatim() -> None:
    # The example records quote the survey in their comments: section, then "...".
    for file in sorted((ROOT / "policies" / "examples" / "hedong-2017").glob("*.yaml")):
        comment = "".join(line.removeprefix("#").strip()
                          for line in file.read_text("utf-8").splitlines()
                          if line.startswith("#"))
        section = None
        for m in re.finditer(r'([一二三四](?:\([一二三四]\))?): |"([^"]+)"', comment):
            if m.group(1):
                section = m.group(1)
            else:
                assert section is not None, file.name
                assert quote_found(HEDONG, section, m.group(2)), (file.name, m.group(2))


def test_article_text_reads_the_package_data_not_the_checkout(tmp_path: Path) -> None:
    # A copy of the package far from ../shared: the texts come with it, through
    # importlib.resources (as from an installed wheel).
    shutil.copytree(ROOT / "policykit", tmp_path / "policykit",
                    ignore=shutil.ignore_patterns("__pycache__", "_bundled"))
    code = (
        "import policykit.sources as s\n"
        "print(s.__file__)\n"
        f"print(s.article_text({HUNAN!r}, '第五条(六)').splitlines()[-1])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    assert out[0].startswith(str(tmp_path))
    assert out[1] == "(六)为创业实体提供不少于6个月免费入驻(包括免租金、免互联网费用等)服务。"
