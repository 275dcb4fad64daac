"""Explanation trees rendered for people (Chinese, English) and for systems (data).

The evaluator builds a :class:`~policykit.trace.Trace`; this package only renders it.
Nothing here prints: the CLI prints what these functions return.
"""

from __future__ import annotations

from policykit.explain.data import render_data
from policykit.explain.text import render_text

__all__ = ["render_data", "render_text"]
