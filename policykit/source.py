"""Source texts and spans: where in which file a piece of policy came from.

A :class:`Span` knows its :class:`Source`, so any diagnostic can print its own line
and caret without the text being passed around again.
"""

from __future__ import annotations

import bisect
import codecs
import re
from functools import cached_property

import attrs

__all__ = ["Source", "Span", "encoding_hint"]


def encoding_hint(raw: bytes) -> str:
    """What bytes that are not UTF-8 look like, for the message that asks for UTF-8:
    `` (it looks like GBK)`` when they read as GB18030 with Chinese characters in them
    (the usual export of a Chinese office program), `` (it looks like UTF-16)`` after a
    UTF-16 byte-order mark, otherwise nothing."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return " (it looks like UTF-16)"
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    if re.search("[\u3400-\u4dbf\u4e00-\u9fff]", text):
        return " (it looks like GBK)"
    return ""


@attrs.frozen(eq=False)
class Source:
    """A policy text and the name it is known by (a path, or ``<string>``)."""

    name: str
    text: str

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(self.text) if ch == "\n")
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its newline."""
        starts = self._line_starts
        if not 1 <= line <= len(starts):
            return ""
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[starts[line - 1]:end].rstrip("\r")


@attrs.frozen(eq=False)
class Span:
    """A half-open range ``[start, end)`` of character offsets in a source."""

    source: Source
    start: int
    end: int

    @property
    def line(self) -> int:
        return self.source.position(self.start)[0]

    @property
    def column(self) -> int:
        return self.source.position(self.start)[1]

    @property
    def text(self) -> str:
        """The source text the span covers."""
        return self.source.text[self.start:self.end]

    def location(self) -> str:
        """``file:line:column``."""
        line, col = self.source.position(self.start)
        return f"{self.source.name}:{line}:{col}"

    def snippet(self) -> str:
        """The span's first line with a caret line under the span (at least one ``^``)."""
        line, col = self.source.position(self.start)
        text = self.source.line_text(line)
        end_line, end_col = self.source.position(self.end)
        width = (end_col - col) if end_line == line else len(text) - col + 1
        width = max(1, width)
        if len(text) > 100:  # show a window around the fault on a long line
            cut = max(0, col - 40)
            text = ("…" if cut else "") + text[cut:cut + 100]
            col = col - cut + (1 if cut else 0)
        gutter = f"{line:>4} | "
        pad = "".join("\t" if ch == "\t" else " " for ch in text[: col - 1])
        # Wide (CJK) characters take two columns in a terminal.
        pad = "".join(c + (" " if _wide(ch) else "") for c, ch in zip(pad, text, strict=False))
        carets = "^" * sum(2 if _wide(ch) else 1 for ch in text[col - 1: col - 1 + width]) \
            or "^"
        return f"{gutter}{text}\n{' ' * 4} | {pad}{carets}"


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x1100 and (
        0x1100 <= ord(ch) <= 0x115F or 0x2E80 <= ord(ch) <= 0xA4CF
        or 0xAC00 <= ord(ch) <= 0xD7A3 or 0xF900 <= ord(ch) <= 0xFAFF
        or 0xFE30 <= ord(ch) <= 0xFE4F or 0xFF00 <= ord(ch) <= 0xFF60
        or 0xFFE0 <= ord(ch) <= 0xFFE6
    )
