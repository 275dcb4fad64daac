"""The official texts of the instruments the bundled policies encode, shipped with the package.

Every rule of a bundled policy cites an article of its source instrument and quotes its
words (``cites "第五条(一)" quote "..."``). The texts themselves, as published, are
package data (``policykit/sources/texts/*.txt``, one file an instrument, two in the
Liudong file), read with :mod:`importlib.resources`, so an installed wheel has them::

    >>> from policykit.sources import article_text, quote_found
    >>> article_text("湖南省促进众创空间发展与管理办法(试行)", "第五条(五)")[:15]
    '第五条 申请认定湖南省众创空间的单位'
    >>> quote_found("湖南省促进众创空间发展与管理办法(试行)", "第五条(一)", "运营半年以上")
    True

An instrument is named by its title as the policies name it (their ``source "..."``
header and ``from "..."`` citations): :data:`INSTRUMENTS`. A cited article is what the
instrument numbers: an article ``第五条``, a section ``三、`` (``三、相关要求``,
``三、(六)``, ``七``), an attachment ``附件1``, or the preamble ``序言`` / ``正文首段``; a
citation of a sub-item (``第五条(一)``, ``一、基本条件 1``, ``四、(四)3``, ``附件2 第1项``)
is answered with the whole enclosing article, once the sub-item is found in it.

What is read as layout, not text, when articles are cut out of a file: the indentation
and blank lines around each line; the ``[bookmark: ...]`` marks left by the conversion
from Word; in the Qinzhou plan the page numbers (``-1-``) printed into the text, which
sometimes cut a word (``众创空\\n-1- 间``). :func:`quote_found` looks for a quote in the
passage cited, the sub-item where one is named, its lines joined: a quote may run from
one line to the next (the Zhuzhou charter sets the steps of 第六条 one a line).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from importlib import resources

import attrs

__all__ = [
    "INSTRUMENTS",
    "Instrument",
    "article_text",
    "instrument_text",
    "quote_found",
]


@attrs.frozen
class Instrument:
    """One instrument: its title, the file that holds it, and how it numbers its text."""

    title: str
    file: str
    scheme: str
    """``articles`` (第一条, 第二条, ... under 第一章 headings) or ``sections`` (一、 二、 ...)."""
    begin: str | None = None
    """The line the instrument starts with, where its file holds more than one."""
    end: str | None = None
    """The line the next instrument starts with (not part of this one)."""
    preamble: str | None = None
    """How the preamble (序言, 正文首段) begins, where a title and address come before it."""
    page_marks: bool = False
    """Whether page numbers (``-3-``) are printed into the text and must be taken out."""


# The charter's title line, after the plan's 十、附件 (which names it on the line before).
_LIUDONG_CHARTER = " 柳东新区（柳州高新区）孵化器联盟章程"

INSTRUMENTS: Mapping[str, Instrument] = {
    i.title: i
    for i in (
        Instrument("关于开展众创空间备案工作的通知",
                   "hunan-maker-space-filing-notice-2016.txt", "sections", preamble="为深入贯彻"),
        Instrument("湖南省促进众创空间发展与管理办法(试行)",
                   "hunan-maker-space-measures-2016.txt", "articles"),
        Instrument("上海市众创空间发展实施细则", "shanghai-maker-space-rules.txt", "articles"),
        Instrument("众创空间建设工作方案",
                   "jiangsu-maker-space-construction-plan.txt", "sections", preamble="为贯彻落实"),
        Instrument("柳东新区（柳州高新区）孵化器联盟组建方案",
                   "liudong-incubator-alliance-plan-and-charter.txt", "sections",
                   begin="柳东新区（柳州高新区）孵化器联盟", end=_LIUDONG_CHARTER),
        Instrument("柳东新区（柳州高新区）孵化器联盟章程",
                   "liudong-incubator-alliance-plan-and-charter.txt", "articles",
                   begin=_LIUDONG_CHARTER),
        Instrument("株洲市企业服务联盟章程",
                   "zhuzhou-enterprise-service-alliance-charter.txt", "articles"),
        Instrument("国际科技合作孵化基地管理办法（试行版）",
                   "intl-cooperation-incubation-base-measures.txt", "articles"),
        Instrument("钦州市大力促进众创空间发展工作方案",
                   "qinzhou-maker-space-work-plan.txt", "sections",
                   preamble="众创空间是政府集成", page_marks=True),
        # Cited by the Hedong example records (policies/examples/hedong-2017), not by a rule.
        Instrument("关于河东区众创空间建设与发展的调研报告",
                   "hedong-maker-space-survey-2017.txt", "sections", preamble="2015年1月28日"),
    )
}
"""Every bundled instrument by its title, as the policies name it."""

_PREAMBLE = ("序言", "正文首段")
_NUM = "[一二三四五六七八九十百零〇]+"
_ARTICLE = re.compile(rf"第{_NUM}条")
_CHAPTER = re.compile(rf"第{_NUM}章")
_SECTION = re.compile(rf"({_NUM})、")
_ANNEX = re.compile(r"附件(\d*)[：:]?")
# A heading run into the end of the article before it ("...授牌。第四章 管理与扶持").
_GLUED = re.compile(rf"(?<=[。；])(?=第{_NUM}[条章])")
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_PAGE_MARK = re.compile(r"\s*-\d+-\s*")
_ENDS_PARAGRAPH = "。；;：:)）"

_CITE_ARTICLE = re.compile(rf"(第{_NUM}条)\s*(.*)")
_CITE_ANNEX = re.compile(r"(附件\d+)\s*(.*)")
_CITE_SECTION = re.compile(rf"({_NUM})、?([^\s(（]*)\s*(.*)")
_CITE_ITEM = re.compile(rf"(?:[(（]({_NUM})[)）])?\s*(?:第?(\d+)项?)?")
_ITEM_NUM = re.compile(rf"[(（]{_NUM}[)）]")
_ITEM_DIGIT = re.compile(r"\d+[、.．]")


@attrs.frozen
class _Parsed:
    preamble: tuple[str, ...]
    units: Mapping[str, tuple[str, ...]]
    """Each citable article, section or attachment by its key (第五条, 三、, 附件1): lines."""


def _instrument(title: str) -> Instrument:
    try:
        return INSTRUMENTS[title]
    except KeyError:
        raise KeyError(f"no bundled source text for {title!r}") from None


# Cached by file (nine) here and by title (ten) in _parsed: a bound of 16 holds them all.
@functools.lru_cache(maxsize=16)
def _file_text(file: str) -> str:
    return resources.files(__name__).joinpath("texts", file).read_text("utf-8")


def _cut(text: str, inst: Instrument) -> str:
    lines = text.split("\n")
    start = 0 if inst.begin is None else next(
        n for n, line in enumerate(lines) if line.rstrip() == inst.begin)
    stop = len(lines) if inst.end is None else next(
        n for n, line in enumerate(lines) if n > start and line.rstrip() == inst.end)
    return "\n".join(lines[start:stop])


def instrument_text(title: str) -> str:
    """The text of the instrument named ``title``, as published (its part of the file where
    the file holds two). KeyError for a title not in :data:`INSTRUMENTS`."""
    inst = _instrument(title)
    return _cut(_file_text(inst.file), inst)


def _drop_page_mark(match: re.Match[str]) -> str:
    before = match.string[match.start() - 1] if match.start() else ""
    return "\n" if "\n" in match.group() and before in _ENDS_PARAGRAPH else ""


def _lines(title: str) -> list[str]:
    inst = _instrument(title)
    text = _BOOKMARK.sub("", instrument_text(title))
    if inst.page_marks:
        text = _PAGE_MARK.sub(_drop_page_mark, text)
    text = _GLUED.sub("\n", text)
    return [s for line in text.split("\n") if (s := line.strip())]


def _heading(line: str, scheme: str, started: bool) -> tuple[bool, str | None] | None:
    """``(True, key)`` for a line that starts a citable unit, ``(True, None)`` for one that
    ends the unit before it (a chapter heading), None for any other line. Attachments
    count only once the body has begun (a file may open with the ``附件3：`` of an outer
    document)."""
    if scheme == "articles":
        if m := _ARTICLE.match(line):
            return True, m.group()
        if _CHAPTER.match(line):
            return True, None
    elif m := _SECTION.match(line):
        return True, m.group()
    if started and (m := _ANNEX.fullmatch(line)):
        return True, f"附件{m.group(1)}" if m.group(1) else None
    return None


@functools.lru_cache(maxsize=16)
def _parsed(title: str) -> _Parsed:
    inst = _instrument(title)
    preamble: list[str] = []
    units: dict[str, list[str]] = {}
    current: list[str] | None = preamble
    for line in _lines(title):
        heading = _heading(line, inst.scheme, started=current is not preamble)
        if heading is not None:
            key = heading[1]
            current = None
            if key is not None:
                if key in units:
                    raise ValueError(f"{inst.file}: {key} numbered twice")
                current = units[key] = []
        if current is not None:
            current.append(line)
    if inst.preamble is not None:
        start = next(n for n, line in enumerate(preamble) if line.startswith(inst.preamble))
        preamble = preamble[start:]
    return _Parsed(tuple(preamble), {k: tuple(v) for k, v in units.items()})


def _item(lines: tuple[str, ...], item: str) -> tuple[str, ...] | None:
    """The lines of the sub-item ``item`` (``(一)``, ``1``, ``第1项``, ``(四)3``) of an
    article: from the line numbered ``(一)``/``（一）`` (then, within it, ``3.``/``3、``)
    to the next line numbered at the same level. None where it is not numbered."""
    m = _CITE_ITEM.fullmatch(item)
    if m is None:
        return None
    for number, marks, level in (
        (m.group(1), (f"({m.group(1)})", f"（{m.group(1)}）"), _ITEM_NUM),
        (m.group(2), tuple(f"{m.group(2)}{sep}" for sep in "、.．"), _ITEM_DIGIT),
    ):
        if number:
            start = next((n for n, line in enumerate(lines) if line.startswith(marks)), None)
            if start is None:
                return None
            stop = next((n for n in range(start + 1, len(lines)) if level.match(lines[n])),
                        len(lines))
            lines = lines[start:stop]
    return lines


def _cited(title: str, article: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The lines of the article cited as ``article`` and of the passage it names (the
    sub-item, else the whole article)."""
    parsed = _parsed(title)
    article = article.strip()
    if article in _PREAMBLE:
        return (parsed.preamble, parsed.preamble) if parsed.preamble else None
    if m := _CITE_ARTICLE.fullmatch(article) or _CITE_ANNEX.fullmatch(article):
        key, heading, item = m.group(1), "", m.group(2)
    elif m := _CITE_SECTION.fullmatch(article):
        key, heading, item = f"{m.group(1)}、", m.group(2), m.group(3)
    else:
        return None
    lines = parsed.units.get(key)
    if lines is None or not lines[0].removeprefix(key).startswith(heading):
        return None
    passage = _item(lines, item) if item else lines
    return None if passage is None else (lines, passage)


def article_text(title: str, article: str) -> str | None:
    """The whole text of ``article`` of the instrument ``title``, one line a paragraph.

    ``article`` is written as the policies cite it: ``第五条``, ``第五条(一)``,
    ``一、基本条件 1``, ``三、(六)``, ``七``, ``十、附件``, ``附件1``, ``附件2 第1项``,
    ``序言``. A sub-item is answered with the whole article holding it. None where the
    instrument has no such article (or the article no such sub-item); KeyError for a
    title not in :data:`INSTRUMENTS`.
    """
    cited = _cited(title, article)
    return None if cited is None else "\n".join(cited[0])


def quote_found(title: str, article: str, quote: str) -> bool:
    """Whether ``quote`` occurs, character for character, in ``article`` of ``title``:
    in the sub-item where the citation names one (``第五条(一)``: in its item (一)).

    The passage's lines are compared joined, so a quote may run from one line to the
    next (never into the next item or article). An empty quote is not found.
    """
    cited = _cited(title, article)
    return cited is not None and bool(quote) and quote in "".join(cited[1])
