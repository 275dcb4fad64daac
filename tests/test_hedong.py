"""The six real maker spaces of the Hedong survey (天津河东区政协, 2017) against the
bundled policies. Each record holds only what the survey says of that space."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import policykit
from policykit.records import load_data

HEDONG = Path(__file__).resolve().parents[1] / "policies" / "examples" / "hedong-2017"
AS_OF = date(2017, 8, 31)  # 截至2017年8月, the date of the survey's figures

# Seed funds from the survey (二(二)): 300万元 for M3, 电气院, 宜棠熙悦 and 勤坊, 200万元 for
# 纳什空间; none stated for 手牵手.
SEED_FUND = {"m3": 3_000_000, "dianqiyuan": 3_000_000, "yitang": 3_000_000,
             "qinfang": 3_000_000, "nash": 2_000_000, "shouqianshou": None}


def record(name: str) -> object:
    return load_data((HEDONG / f"{name}.yaml").read_text("utf-8"), "yaml")


@pytest.mark.parametrize("name", sorted(SEED_FUND))
def test_hunan_recognition_fails_on_registration_outside_hunan(name: str) -> None:
    # 第五条(一): 湖南省境内注册. Every Hedong space is registered in Tianjin, so the
    # decision is settled (ineligible) however many other facts are unknown.
    recognition = policykit.bundled("hunan.recognition")
    result = recognition.evaluate(record(name), as_of=AS_OF)
    assert result.outcome == "ineligible"
    assert result.missing == ()
    region = recognition.evaluate(record(name), as_of=AS_OF, rule="registered_in_hunan")
    assert region.outcome == "not_met"
    assert "注册省份 为 天津" in region.explain("zh")


@pytest.mark.parametrize(("name", "fund"), sorted(SEED_FUND.items()))
def test_what_else_would_hold_under_hunan_recognition(name: str, fund: int | None) -> None:
    # 第五条(五): 不少于100万元的种子基金. 200万元 and 300万元 both meet it; with no seed fund
    # and no investor figures for 手牵手 the criterion is unknown. The survey gives area
    # only for the six together (16300 平方米), so each space's area is unknown.
    recognition = policykit.bundled("hunan.recognition")
    funding = recognition.evaluate(record(name), as_of=AS_OF, rule="funding")
    assert funding.outcome == ("unknown" if fund is None else "met")
    area = recognition.evaluate(record(name), as_of=AS_OF, rule="area")
    assert area.outcome == "unknown"
    assert area.missing == ("space.area",)


def test_the_two_nationally_filed_spaces() -> None:
    # 二(一): M3创空间与天津电气院智能电气众创空间还通过了科技部第二批众创空间备案.
    levels = {name: record(name).get("filing_level")  # type: ignore[attr-defined]
              for name in SEED_FUND}
    assert {n for n, level in levels.items() if level} == {"m3", "dianqiyuan"}


@pytest.mark.parametrize("name", sorted(SEED_FUND))
def test_shanghai_filing_fails_on_registration_outside_shanghai(name: str) -> None:
    # 第四条(一): 运营管理机构须是在本市注册的独立法人. A Tianjin operator fails it, so the
    # filing is ineligible whatever else is unknown; Shanghai sets no numeric minimums, so
    # the seed funds play no part.
    shanghai = policykit.bundled("shanghai.filing")
    application = {"space": record(name)}
    result = shanghai.evaluate(application, as_of=AS_OF)
    assert result.outcome == "ineligible"
    assert result.missing == ()
    registered = shanghai.evaluate(application, as_of=AS_OF, rule="registered_in_shanghai")
    assert registered.outcome == "not_met"
