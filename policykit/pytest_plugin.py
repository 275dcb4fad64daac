"""Collects policy tests (``*.tests.yaml`` beside each policy) as pytest items.

Enabled by the repository's ``conftest.py`` (``pytest_plugins``); each case of a suite
becomes one test, named after the case.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policykit.testing import SUITE_SUFFIX, Case, Suite, SuiteError, load_suite, run_case

__all__ = ["pytest_collect_file"]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name.endswith(SUITE_SUFFIX):
        collector: pytest.Collector = PolicySuiteFile.from_parent(parent, path=file_path)
        return collector
    return None


class PolicySuiteFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            suite = load_suite(self.path)
        except SuiteError as err:
            raise self.CollectError(str(err)) from None
        for case in suite.cases:
            yield PolicyCase.from_parent(self, name=case.name, suite=suite, case=case)


class PolicyCase(pytest.Item):
    def __init__(self, *, suite: Suite, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite
        self.case = case

    def runtest(self) -> None:
        problems = run_case(self.suite, self.case)
        if problems:
            raise PolicyCaseFailure(problems)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, PolicyCaseFailure):
            why = f"\n  why: {self.case.why}" if self.case.why else ""
            return f"policy case {self.case.name!r} failed{why}\n" + "\n".join(
                f"  - {p}" for p in excinfo.value.problems)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"policy case: {self.case.name}"


class PolicyCaseFailure(Exception):
    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
