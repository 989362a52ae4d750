"""Year and period resolution on hand-written report fragments."""

import pytest

from pipeline.periods import resolve_period


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("科技局2022年第一季度工作总结", "Q1"),
        ("科技局2022年一季度工作汇报", "Q1"),
        ("科技局2022年1-3月工作总结", "Q1"),
        ("科技局2022年第二季度工作总结", "Q2"),
        ("科技局2022年上半年工作总结", "H1"),
        ("科技局2022年1-6月工作情况", "H1"),
        ("科技局2022年前三季度工作总结", "Q3"),
        ("科技局2022年1-9月工作总结", "Q3"),
        ("科技局2022年第四季度工作总结", "Q4"),
        ("科技局2022年下半年工作总结", "H2"),
        ("科技局2022年度工作总结", "annual"),
        ("科技局2022年工作总结暨2023年工作打算", "annual"),
    ],
)
def test_title_period(title, period):
    assert resolve_period(title, "现将有关情况汇报如下。").period == period


def test_body_period_when_title_is_silent():
    text = "上半年，我局扎实推进各项工作。今年1-6月，共组织培训12期。下半年工作计划如下。"
    assert resolve_period(None, text).period == "H1"


def test_body_annual_from_summing_up_phrase():
    text = "全年，新增高新技术企业15家。全年共争取上级资金800万元。"
    assert resolve_period(None, text).period == "annual"


def test_plan_phrase_does_not_override_covered_period():
    text = "现将我局2021年第一季度工作总结如下。三、第二季度工作安排：继续走访企业。"
    assert resolve_period("2021年科技局第一季度工作总结", text).period == "Q1"


def test_half_year_as_a_duration_is_not_a_period():
    assert resolve_period(None, "经过近半年的精心组织，帮助企业准备申报材料。").period is None


def test_summary_and_plan_title_covers_the_first_year():
    text = "2019年，我局新增高新技术企业6家。2020年将继续努力。"
    r = resolve_period("2019年工作总结和2020年工作计划", text)
    assert r.year == 2019


def test_redacted_year_is_null():
    r = resolve_period("科技局20xx年一季度工作总结", "20xx年1-3月，我局积极推进科技创新。")
    assert r.year is None and r.period == "Q1"


def test_site_substituted_year_is_null():
    text = "2024年，我县科技工作成效明显。全年有2024家企业开展产学研合作，举办培训2024期，争取资金20240余万元。"
    r = resolve_period("科学技术局年度工作总结", text)
    assert r.year is None
    assert "substitution" in r.evidence


def test_site_header_date_is_ignored():
    text = "- 2022-03-15 发布 |\n科技局上半年工作总结\n今年以来，我局组织申报2021年度省科技计划项目16项。"
    r = resolve_period(None, text)
    assert r.year == 2021


def test_year_from_body_when_title_has_none():
    text = "2020年3月，组织申报省科技计划项目。落实2020年度奖补资金。"
    assert resolve_period("科技局上半年工作总结", text).year == 2020
