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


def test_clause_opening_with_whole_year_sums_up_the_year():
    text = "今年，我局扎实推进科技创新。全年认定高新技术企业12家，申请专利230件。"
    assert resolve_period(None, text).period == "annual"


def test_whole_year_target_inside_a_clause_is_no_annual_report():
    text = "今年以来，我局新增高企5家，完成全年任务的60%，力争全年新增10家。"
    assert resolve_period(None, text).period is None


def test_the_year_opening_the_report_beats_its_plan():
    text = (
        "2020年，我区科技局新增高企9家。二、2021年工作方案\n2021年，我局将围绕十四五开局抓好工作。"
        "2021年，力争新增高企12家。"
    )
    assert resolve_period(None, text).year == 2020


def test_year_of_a_plan_does_not_outvote_the_year_covered():
    text = "今年以来，我局组织申报2019年度项目8项。三、2020年工作计划\n继续组织2020年工作打算的落实。"
    assert resolve_period(None, text).year == 2019


def test_summary_and_thoughts_title_gives_the_summary_year():
    title = "县科技局2022年工作总结及2023年工作思路"
    text = f"{title}\n2022年，我局新增高企6家。二、2023年工作思路\n2023年，我局将继续努力。"
    assert resolve_period(title, text).year == 2022


def test_one_count_equal_to_the_year_is_no_site_substitution():
    text = "2021年，我县组织农业技术培训56期，培训农民2021人次，新增高企3家。"
    r = resolve_period("县科技局2021年工作总结", text)
    assert r.year == 2021


def test_title_year_contradicted_by_the_body_is_still_null():
    text = "2017年，我局新增高企5家。2017年共争取资金300万元。2017年组织培训12期。"
    assert resolve_period("县科技局2021年工作总结", text).year is None


def test_one_whole_year_clause_does_not_outweigh_a_stated_half_year():
    text = "上半年，全市新增高企8家。一是加强统计监测，全年上报研发费用3亿元。"
    assert resolve_period(None, text).period == "H1"


@pytest.mark.parametrize(
    "title",
    [
        "某市科技型企业梯度培育实施方案（2023—2025年）",
        "某县科技创新奖励办法",
        "某省促进科技成果转化条例",
        "某市人民政府办公室关于印发《某市科技创新券管理办法》的通知",
    ],
)
def test_plans_and_rules_cover_no_period(title):
    found = resolve_period(title, f"{title}\n第一条 为鼓励企业全年加大研发投入，2023年起设立专项资金。")
    assert found.period is None


def test_a_summary_that_says_report_is_still_a_report():
    assert resolve_period("某县科技局关于2022年工作情况的报告", "全年，我局争取资金120万元。").period == "annual"


def test_a_government_work_report_covers_the_year_it_reviews():
    text = (
        "政府工作报告\n——2024年1月15日在某市第十届人民代表大会第三次会议上\n各位代表：\n"
        "一、2023年工作回顾\n全市地区生产总值增长5%，新增高新技术企业40家。\n二、2024年主要任务\n"
    )
    found = resolve_period("政府工作报告", text)
    assert (found.year, found.period) == (2023, "annual")


def test_past_years_reviewed_are_counted_back_from_the_year_delivered():
    text = "各位代表：\n一、过去五年工作回顾\n五年来，全省高新技术企业总数达到1.2万家。\n二、2023年工作安排\n"
    found = resolve_period("某省2023年政府工作报告", text)
    assert (found.year, found.period) == (2022, "annual")


def test_a_yearbook_volume_records_the_year_before():
    text = "某县年鉴（2022）·科学技术\n【概况】 2021年，县科技局组织申报高新技术企业6家。"
    found = resolve_period(None, text)
    assert (found.year, found.period) == (2021, "annual")


def test_news_of_a_government_work_report_covers_the_year_before_its_date():
    text = "2019-01-28 来源：某某日报\n28日，某省十三届人大二次会议开幕，省长作政府工作报告。报告回顾了过去一年的工作。"
    found = resolve_period("省长作政府工作报告", text)
    assert (found.year, found.period) == (2018, "annual")


def test_a_bureau_report_citing_the_government_work_report_is_not_one():
    text = "2022年上半年，县科技局认真落实县政府工作报告部署，争取资金80万元。"
    found = resolve_period("某县科技局2022年上半年工作总结", text)
    assert (found.year, found.period) == (2022, "H1")


def test_a_report_naming_no_part_of_a_year_covers_the_whole_year():
    found = resolve_period("某县科技局2022年工作总结", "2022年，县科技局争取项目资金300万元，认定高新技术企业5家。")
    assert (found.year, found.period) == (2022, "annual")


def test_work_still_under_way_tells_no_period():
    text = "2023年以来，县科技局争取项目资金80万元。今年以来，已培训农民600人次。"
    assert resolve_period("县科技局工作情况", text).period is None


@pytest.mark.parametrize(("phrase", "period"), [("截至6月底", "H1"), ("截止到9月末", "Q3"), ("截至3月底", "Q1")])
def test_figures_as_of_the_end_of_a_quarter(phrase, period):
    assert resolve_period("县科技局工作情况", f"2022年{phrase}，全县累计申请专利120件。").period == period


def test_a_yearbook_volume_named_by_its_number():
    found = resolve_period(None, "2012卷 【某省科学技术厅】\n【概况】 全年组织实施科技项目136项。")
    assert (found.year, found.period) == (2011, "annual")


def test_a_news_item_without_a_year_covers_its_publication_year():
    text = "记者从县科技局获悉，今年上半年，全县新申报高新技术企业32家。"
    assert resolve_period(None, text, published="2024-07-16").year == 2024
    assert resolve_period(None, "去年全县新增高新技术企业12家。", published="2024-01-20").year == 2023
    assert resolve_period(None, text).year is None  # no date: no year
