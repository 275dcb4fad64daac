"""Shrink a failing input while it fails the same way, so a reproducer is short.

A greedy delta debugging over lines, then tokens of characters, then single
characters: try removing chunks, halving the chunk size when nothing can go; stop at the
time limit with the smallest input found so far."""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["reduce_text"]


def _chunks(parts: list[str], failing: Callable[[str], bool], joiner: str,
            deadline: float) -> list[str]:
    size = max(len(parts) // 2, 1)
    while size >= 1 and time.monotonic() < deadline:
        start = 0
        removed = False
        while start < len(parts) and time.monotonic() < deadline:
            candidate = parts[:start] + parts[start + size:]
            if candidate != parts and failing(joiner.join(candidate)):
                parts = candidate
                removed = True
            else:
                start += size
        if not removed:
            if size == 1:
                break
            size //= 2
    return parts


def reduce_text(text: str, failing: Callable[[str], bool], *, seconds: float = 10.0) -> str:
    """The smallest text found in ``seconds`` for which ``failing`` still holds
    (``text`` itself when it does not fail when tried again)."""
    deadline = time.monotonic() + seconds
    if not failing(text):
        return text
    lines = _chunks(text.split("\n"), failing, "\n", deadline)
    text = "\n".join(lines)
    chars = _chunks(list(text), failing, "", deadline)
    return "".join(chars)
