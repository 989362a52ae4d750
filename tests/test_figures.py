"""The report's figure model (pipeline/figures.py): relations between figures decide what a comparison adds."""

from pipeline.extract import extract_facts


def rows(text: str) -> list[tuple]:
    return [
        (f.indicator, f.value, f.detail, f.is_component, f.is_restatement, f.is_cumulative, f.recipient)
        for f in extract_facts(text)
    ]


def test_a_total_stated_again_under_its_heading_counts_once() -> None:
    text = "一、总体情况\n全年新增高新技术企业42家。\n二、企业培育\n组织申报58家，新增国家级高企42家。"
    got = rows(text)
    assert got[0] == ("high_tech", 42, "new", False, False, False, 0)
    assert got[1] == ("high_tech", 42, "new", False, True, False, 0)


def test_small_training_counts_of_two_programmes_are_two_figures() -> None:
    got = rows("举办农技培训班5期。开展科技下乡培训5期。")
    assert [r[4] for r in got] == [False, False]


def test_a_flow_summed_over_years_is_cumulative() -> None:
    got = rows("五年来累计兑现各类科技奖补资金3.2亿元。全年兑现科技奖补资金6800万元。")
    assert [(r[1], r[5]) for r in got] == [(320_000_000, True), (68_000_000, False)]
    # 累计 inside the report's own period is the period's flow
    assert rows("全年累计争取上级科技项目资金2300万元。")[0][5] is False
    # a stock is a level: 累计达到 is its usual wording
    assert rows("全县高新技术企业累计达到31家。")[0][2:6] == ("stock", False, False, False)


def test_a_part_given_as_a_share_of_the_total_is_a_component() -> None:
    got = rows("全市新增高新技术企业30家，其中制造业企业18家，占60%。")
    assert [(r[1], r[3]) for r in got] == [(30, False), (18, True)]
    # a region's own figure as a share of its parent's total is no part of anything in the report
    assert rows("全县新增高新技术企业12家，占全市的15%。")[0][3] is False


def test_project_money_in_the_sentences_after_a_total_are_its_parts() -> None:
    text = (
        "全年争取中央和省级科技资金2.43亿元。甲公司“海洋酶制剂关键技术研究”项目获省重点研发计划支持800万元；"
        "乙市模具共性技术研发平台项目获资金650万元。兑现科技奖补资金1200万元。"
    )
    got = rows(text)
    assert [(r[1], r[2], r[3]) for r in got] == [
        (243_000_000, "project_grant", False),
        (8_000_000, "project_grant", True),
        (6_500_000, "project_grant", True),
        (12_000_000, "subsidy", False),
    ]


def test_a_programme_paid_out_after_a_grant_won_is_a_figure_of_its_own() -> None:
    got = rows("争取自治区科技计划项目资金1260万元。拨付旗级科技计划项目资金480万元。")
    assert [r[3] for r in got] == [False, False]


def test_one_sum_to_each_of_several_recipients_is_one_figure_each() -> None:
    got = rows("全年兑现科技奖补资金1.05亿元。两家企业分别获得省科技进步奖配套奖励资金50万元。")
    assert [(r[1], r[3], r[6]) for r in got] == [(105_000_000, False, 0), (500_000, False, 1), (500_000, False, 2)]


def test_figures_of_the_regions_places_after_its_total_are_parts() -> None:
    text = "一、总体\n全市新增高新技术企业263家。\n二、区县\n湾沚区新增高企34家，繁昌区新增高企29家。"
    assert [(r[1], r[3]) for r in rows(text)] == [(263, False), (34, True), (29, True)]
    # without a whole-region total they are the report's own figures
    assert [r[3] for r in rows("湾沚区新增高企34家，繁昌区新增高企29家。")] == [False, False]


def test_named_recipients_of_one_sum_each() -> None:
    text = (
        "我局全年兑现科技奖补资金5000万元。东浦泵业有限公司和新锐机电有限公司分别获得市科学技术进步奖一等奖，"
        "各获奖励资金20万元。"
    )
    assert [(r[1], r[6]) for r in rows(text)] == [(50_000_000, 0), (200_000, 1), (200_000, 2)]


def test_a_count_whose_next_clause_only_hopes_is_expected() -> None:
    got = extract_facts("全市通过认定高新技术企业93家，另有27家企业已通过专家评审，有望在公示后获得认定。")
    assert [(f.value, f.status) for f in got] == [(93, "actual"), (27, "expected")]


def test_an_award_from_another_level_after_a_subsidy_total_is_no_part_of_it() -> None:
    text = "某县科技局2023年工作总结\n全年兑现县级科技奖补资金5000万元。华材新材料有限公司获得省级奖补资金100万元。"
    assert [(r[1], r[3]) for r in rows(text)] == [(50_000_000, False), (1_000_000, False)]
