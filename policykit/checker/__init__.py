"""Check a parsed policy: names, types, units and citations, before any record is seen.

``check(policy, filename) -> Program`` or a :class:`~policykit.errors.PolicyError`
listing every problem of the file at once.
"""

from __future__ import annotations

from policykit.checker.rules import check

__all__ = ["check"]
