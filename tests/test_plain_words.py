"""Explanations are for people: no identifier of the language or the records in them.

Every example and every policy test of every bundled policy is explained in Chinese and
in English, and each text is searched for what a case officer should never read: a rule,
branch, note or lifecycle name, a judgement key, a field path, an enum member's name, a
note kind, a code of the records (issue 11 item 14). What is allowed: the policy's id in
the header (its catalog number), words quoted from the source (inside 「」 and “”), and
texts that the record itself holds (the applicant's own words).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import policykit
from policykit.errors import RecordError
from policykit.records import load_data
from policykit.testing import Case, Suite, load_suite

ROOT = Path(__file__).resolve().parents[1]
SUITES = sorted((ROOT / "policies").glob("*/*.tests.yaml"))

# An identifier: a word of ASCII letters, digits and underscores, or a dotted path.
_TOKEN = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# Quoted words of the source are verbatim and may hold anything.
_QUOTED = re.compile(r"「[^」]*」|“[^”]*”|\"[^\"]*\"")


def _record_texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _record_texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _record_texts(item)


def _texts(suite: Suite, case: Case) -> dict[str, str] | None:
    try:
        if case.history is not None:
            status = suite.policy.lifecycle(case.history, as_of=case.as_of,
                                            name=case.lifecycle)
            return {lang: status.explain(lang) for lang in ("zh", "en")}
        result = suite.policy.evaluate(case.record, as_of=case.as_of, rule=case.rule)
    except RecordError:  # a case that tests a refusal: nothing is explained
        return None
    return {lang: result.explain(lang) for lang in ("zh", "en")}


def _identifiers(text: str, allowed: set[str], lang: str) -> list[str]:
    found = []
    for line in text.splitlines():
        for token in _TOKEN.findall(_QUOTED.sub("", line)):
            if token in allowed:
                continue
            # In Chinese any ASCII name is suspect; in English only what no English word
            # looks like: snake_case names and dotted paths.
            if lang == "zh" or "_" in token or "." in token:
                found.append(f"{token!r} in {line.strip()!r}")
    return found


@pytest.mark.parametrize("path", SUITES, ids=[p.parent.name + "/" + p.name for p in SUITES])
def test_no_identifier_in_any_explanation(path: Path) -> None:
    suite = load_suite(path)
    found: list[str] = []
    for case in suite.cases:
        texts = _texts(suite, case)
        if texts is None:
            continue
        # The policy's id, units written as the record writes them (m2), the source's
        # "限N字", "i.e.", and whatever texts the record itself holds.
        allowed = {suite.policy.id, "m2", "N", "i.e", *_record_texts(case.record),
                   *_record_texts(case.history)}
        for lang, text in texts.items():
            found += [f"{case.name} [{lang}]: {hit}" for hit in _identifiers(text, allowed, lang)]
    assert found == [], "\n".join(found[:20])


def test_the_search_finds_an_identifier() -> None:
    # The check itself: a branch name, a field path and a judgement key are caught.
    assert _identifiers("✓ seed_fund（其一）：满足", set(), "zh")
    assert _identifiers("- space.area (floor area)", set(), "en")
    assert _identifiers("评审意见（business_model）：…", set(), "zh")
    assert not _identifiers("✓ 场地面积 520 平方米，要求 500 平方米(含)以上", set(), "zh")
    assert not _identifiers("✓ floor area 520 m2; required 500 m2 or more", {"m2"}, "en")


EXAMPLES = sorted((ROOT / "policies").glob("*/*.example.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name + "/" + p.name for p in EXAMPLES])
def test_no_identifier_in_the_explanation_of_an_example(path: Path) -> None:
    # Each example names the day it is meant for on its first line (`# as_of: …`); every
    # rule of the policy is asked of it, in both languages.
    text = path.read_text("utf-8")
    as_of = date.fromisoformat(text.splitlines()[0].removeprefix("# as_of:").strip())
    record = load_data(text, "yaml")
    policy = policykit.bundled(f"{path.parent.name}.{path.name.split('.')[0]}")
    allowed = {policy.id, "m2", "N", "i.e", *_record_texts(record)}
    found: list[str] = []
    for rule in policy.rule_names():
        if policy.rule_subject(rule)[1] is not policy.subject_type:
            continue  # a rule over another record (a ballot, a term) does not read this one
        result = policy.evaluate(record, as_of=as_of, rule=rule)
        for lang in ("zh", "en"):
            found += [f"{rule} [{lang}]: {hit}"
                      for hit in _identifiers(result.explain(lang), allowed, lang)]
    assert found == [], "\n".join(found[:20])
