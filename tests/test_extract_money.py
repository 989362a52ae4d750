"""Money that is not S&T funding never becomes a funding fact; real S&T funding beside it stays."""

import pytest

from pipeline.extract import extract_facts


def funding(text: str) -> list[tuple[float | None, str | None]]:
    return [(f.value, f.detail) for f in extract_facts(text) if f.indicator == "funding"]


@pytest.mark.parametrize(
    ("money_class", "text"),
    [
        ("balance", "年末全市金融机构本外币存贷款余额38.7万亿元，同比增长9.1%。"),
        ("balance", "全县各项贷款余额达到356亿元，较年初增加41亿元。"),
        ("balance", "截至年末，全市科技型企业贷款余额达到52亿元。"),  # a stock, even of science loans
        ("credit_aggregate", "全年社会融资规模增量2.1万亿元，新增人民币贷款1.6万亿元。"),
        ("output", "全年实现地区生产总值1250亿元，增长6.5%。"),
        ("output", "高新技术产业产值突破600亿元，实现增加值185亿元。"),
        ("budget", "全年一般公共预算收入86.5亿元，一般公共预算支出210亿元。"),
        ("budget", "为企业减免税费12亿元，发行专项债券资金45亿元。"),
        ("investment_total", "签约项目32个，签约项目总投资280亿元。"),
        ("investment_total", "全年完成固定资产投资450亿元，实际利用外资3.2亿元。"),
        ("investment_total", "新建生产线建设投资2.6亿元，新厂房投资1.1亿元已投产。"),
        ("sales", "高新技术企业实现销售收入320亿元，营业收入增长15%，利润总额41亿元。"),
        ("sales", "全年技术合同成交额48亿元。"),
        ("fine", "违反本办法规定骗取补助资金的，处以10万元以上20万元以下的罚款。"),
        ("fine", "追回财政资金，没收违法所得，并处5万元罚款。"),
        ("price", "检测服务收费标准为每样品800元，购置设备单价120万元。"),
        ("cap", "对认定的高新技术企业给予最高不超过50万元的奖励。"),
        ("cap", "对新建省级重点实验室给予一次性最高100万元奖励资金。"),
        ("cap", "每年安排专项资金，单笔贴息上限200万元。"),
        ("fiscal", "全年市级财政科技支出25.3亿元，同比增长9.8%。"),
        ("fiscal", "今年县本级科技支出预算仅160万元。"),
        ("contract", "完成技术交易项目14项，合同金额1.6亿元。"),
        ("returned", "收回1个逾期未验收项目的结余资金18万元。"),
        ("loss_cover", "省级科技风险补偿资金为银行分担损失1.1亿元。"),
        ("budget", "全州规上工业企业研发费用加计扣除申报金额4.6亿元。"),
        ("industrial_upgrade", "争取省级工业技术改造专项资金420万元。"),
    ],
)
def test_money_that_is_not_science_funding_is_no_fact(money_class, text):
    assert funding(text) == [], money_class


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年兑现科技奖补资金1200万元。", [(12_000_000, "subsidy")]),
        ("争取上级科技项目资金3500万元。", [(35_000_000, "project_grant")]),
        ("发放科技贷款2.3亿元，为企业融资8000万元。", [(230_000_000, "financing"), (80_000_000, "financing")]),
        ("“科e贷”全年新增贷款12亿元，同比增长20%。", [(1_200_000_000, "financing")]),
        ("引导企业研发投入15亿元。", [(1_500_000_000, "leveraged_investment")]),
        ("帮助企业实现知识产权质押融资1.2亿元。", [(120_000_000, "financing")]),
        # 价值 is no price: a loan product named for knowledge value stays a loan
        ("知识价值信用贷款全年放款2.15亿元，惠及企业96家。", [(215_000_000, "financing")]),
        # money a government allocates to S&T projects is a grant (the contract's 安排), not a budget line
        ("州本级安排科技专项资金6000万元。", [(60_000_000, "project_grant")]),
        # an award for the R&D deduction is a subsidy, though 加计扣除 itself is a tax matter
        ("兑现研发费用加计扣除奖补415.8万元。", [(4_158_000, "subsidy")]),
    ],
)
def test_science_funding_beside_them_stays(text, expected):
    assert funding(text) == expected


def test_a_threshold_qualifying_a_noun_is_no_funding():
    assert funding("对研发投入超过1000万元的企业开展上门服务。") == []
    assert funding("争取到300万元的资金支持。") == [(3_000_000, "project_grant")]


GOVERNMENT_WORK_REPORT = (
    "各位代表：\n现在，我代表市人民政府向大会报告政府工作，请予审议，并请市政协委员提出意见。\n"
    "全市地区生产总值增长6%，一般公共预算收入增长7%。发放稳岗返还资金3.1亿元，统筹救助资金12亿元；"
    "全社会研发经费投入达到46亿元，兑现科技创新奖补资金1.2亿元。"
)


def test_a_government_work_report_keeps_only_its_science_money():
    assert funding(GOVERNMENT_WORK_REPORT) == [(4_600_000_000, "rd_expenditure"), (120_000_000, "subsidy")]


RULE = (
    "某县科技创新奖励办法\n第一条 为鼓励科技创新，制定本办法。\n"
    "第二条 对首次认定的高新技术企业给予20万元奖励，对重新认定的给予10万元奖励。\n"
    "第三条 新建省级重点实验室的，奖励标准为30万元。\n第四条 本办法自2023年1月1日起施行。"
)


def test_a_rules_award_terms_are_no_funding():
    assert funding(RULE) == []


def test_the_same_award_in_a_bureau_report_is_money_paid():
    text = "今年以来，我局对首次认定的8家高新技术企业给予奖励资金160万元。我局还组织企业申报项目。"
    assert funding(text) == [(1_600_000, "subsidy")]


def test_a_plans_figures_are_targets_but_its_baseline():
    text = (
        "某区科技创新行动方案\n现将本方案印发给你们，请认真贯彻执行。\n"
        "一、现状\n截至2022年底，全区研发经费投入2.1亿元。\n"
        "二、目标\n到2025年，全区研发经费投入达到3.5亿元。"
    )
    assert [(f.value, f.status) for f in extract_facts(text)] == [(210_000_000, "actual"), (350_000_000, "target")]
