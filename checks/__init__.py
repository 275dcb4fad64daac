"""Continuous checks (issue 12): fuzzing, hostile records, differential testing,
determinism across hash seeds and the cost of shared rules, run in CI with their counts
printed. ``python -m checks.run`` runs them all; each module here is one check.

Every check returns an :class:`Outcome`: how many inputs it tried, the failures it
found (each with a reproducer a maintainer can paste), and how long it took. A check
never raises for a fault of the library: it records it.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ROOT", "Failure", "Outcome", "Recorder", "signature"]

ROOT = Path(__file__).resolve().parent.parent
"""The repository root (checks read the bundled policies from ``policies/``)."""


@dataclass(frozen=True)
class Failure:
    """One fault: what went wrong (``summary``, one line) and how to see it again
    (``reproducer``: Python to paste, or the input and the steps)."""

    check: str
    summary: str
    reproducer: str
    key: str = ""  # failures with one key are one fault found many times

    def render(self) -> str:
        body = "\n".join("    " + line for line in self.reproducer.splitlines())
        return f"[{self.check}] {self.summary}\n{body}"


@dataclass
class Outcome:
    """What one check did: inputs tried, failures found, seconds taken."""

    name: str
    inputs: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    unit: str = "inputs"
    details: str = ""
    failing_inputs: int = 0  # inputs that failed (one fault may fail many inputs)

    @property
    def ok(self) -> bool:
        return not self.failures

    def line(self) -> str:
        faults = len(self.failures)
        text = (f"{self.name}: {self.inputs} {self.unit}, {self.failing_inputs} failures"
                f" ({self.seconds:.1f} s)")
        if faults and faults != self.failing_inputs:
            text += f" [{faults} distinct]"
        if self.details:
            text += f"; {self.details}"
        return text


class Recorder:
    """Collects the failures of one check, keeping the first of each kind (``key``)
    and counting the rest, so one fault hit 10,000 times prints once."""

    def __init__(self, outcome: Outcome, keep: int = 50) -> None:
        self.outcome = outcome
        self.keep = keep
        self._keys: set[str] = set()

    def fail(self, summary: str, reproducer: str | Callable[[], str], key: str = "") -> bool:
        """Record a failing input; True when it is a new kind (its reproducer kept)."""
        self.outcome.failing_inputs += 1
        key = key or summary
        if key in self._keys or len(self._keys) >= self.keep:
            return False
        self._keys.add(key)
        text = reproducer() if callable(reproducer) else reproducer
        self.outcome.failures.append(Failure(self.outcome.name, summary, text, key))
        return True

    def seen(self, key: str) -> bool:
        return key in self._keys


def signature(exc: BaseException) -> str:
    """A fault's identity: the exception type and the innermost frame in policykit
    (else the innermost frame), so the same bug found twice counts as one."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/policykit/" in f.filename.replace("\\", "/")]
    where = (ours or frames or [None])[-1]
    place = f"{Path(where.filename).name}:{where.lineno}" if where is not None else "?"
    return f"{type(exc).__name__} at {place}"


def describe(exc: BaseException) -> str:
    """The exception and its innermost frames, for a report."""
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-4)
    text = "".join(lines).rstrip()
    return text if len(text) < 3000 else text[:1500] + "\n…\n" + text[-1500:]


@contextmanager
def timed(outcome: Outcome) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        outcome.seconds = time.perf_counter() - start
