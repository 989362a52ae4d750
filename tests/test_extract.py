"""Indicator extraction on hand-written report sentences (style of real bureau reports, not copies)."""

import pytest

from pipeline.extract import extract_facts


def rows(text, **kw):
    return [(f.indicator, f.measure, f.value, f.status, f.approx, f.detail) for f in extract_facts(text, **kw)]


def only(text):
    (fact,) = extract_facts(text)
    return fact


# ---------------------------------------------------------------- indicators and measures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "兑现科技创新奖补资金326.8万元。",
            ("funding", "amount_cny", 3_268_000, "actual", "exact", "subsidy"),
        ),
        (
            "全年争取上级科技项目资金1,250万元。",
            ("funding", "amount_cny", 12_500_000, "actual", "exact", "project_grant"),
        ),
        (
            "企业研发投入达到2.3亿元。",
            ("funding", "amount_cny", 230_000_000, "actual", "exact", "rd_expenditure"),
        ),
        (
            "R&D经费支出约1.8亿元。",
            ("funding", "amount_cny", 180_000_000, "actual", "about", "rd_expenditure"),
        ),
        (
            "帮助12家企业获得“科贷通”贷款4600万元。",
            ("funding", "amount_cny", 46_000_000, "actual", "exact", "financing"),
        ),
        (
            "项目实施带动社会投入8000余万元。",
            ("funding", "amount_cny", 80_000_000, "actual", "at_least", "leveraged_investment"),
        ),
        (
            "组织企业申报省级科技项目，申请资金600万元。",
            ("funding", "amount_cny", 6_000_000, "actual", "exact", "project_request"),
        ),
        ("新增国家高新技术企业11家。", ("high_tech", "enterprises", 11, "actual", "exact", "new")),
        ("全市高新技术企业总数达到156家。", ("high_tech", "enterprises", 156, "actual", "exact", "stock")),
        ("6家企业通过高新技术企业认定。", ("high_tech", "enterprises", 6, "actual", "exact", "recognized")),
        ("组织9户企业申报高新技术企业。", ("high_tech", "enterprises", 9, "actual", "exact", "apply")),
        ("4家高企通过重新认定。", ("high_tech", "enterprises", 4, "actual", "exact", "reexamined")),
        ("培育入库高企十二家。", ("high_tech", "enterprises", 12, "actual", "exact", "cultivated")),
        ("全年申请专利236件。", ("patent", "applications", 236, "actual", "exact", None)),
        ("获得专利授权88件。", ("patent", "grants", 88, "actual", "exact", None)),
        ("发明专利申请量45件。", ("patent", "applications", 45, "actual", "exact", "invention")),
        ("举办农业实用技术培训班15期。", ("training", "sessions", 15, "actual", "exact", None)),
        ("开展电商培训6场。", ("training", "sessions", 6, "actual", "exact", None)),
        ("培训新型职业农民1300余人次。", ("training", "participants", 1300, "actual", "at_least", None)),
        ("共培训基层农技人员近两百人。", ("training", "participants", 200, "actual", "about", None)),
    ],
)
def test_one_fact(text, expected):
    assert rows(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "全县新增科技型中小企业85家，入库瞪羚企业3家。",  # other kinds of enterprise
        "督促24家规上企业填报研发投入报表。",
        "全区高新技术产业产值达到95亿元，实现增加值21亿元。",  # output value is not funding
        "实现技术合同成交额3.5亿元，新经济营收12亿元。",
        "组织企业申报省级科技项目7项。",  # project counts are not patents
        "开展技术指导40次，发放资料3000余份。",  # not training
        "印发〔2021〕9号文件，4月15日召开推进会，同比增长12.5%，新建大棚2000平方米。",
        "联合115产学研平台走访企业。",
        "作为对比，高新区则有62家。",  # another region's figure
        "从四个方面开展高新技术企业培育工作。",  # 个 followed by another noun
        "两项技术专利正在申请中。",
    ],
)
def test_not_an_indicator(text):
    assert rows(text) == []


# ---------------------------------------------------------------- status


def test_marker_scope_covers_the_semicolon_group():
    text = "拟推荐申报国家高新技术企业25家，申报省高企培育入库企业40家；新增高企8家。"
    assert [(f.value, f.status, f.detail) for f in extract_facts(text)] == [
        (25, "target", "apply"),
        (40, "target", "cultivated"),
        (8, "actual", "new"),
    ]


def test_marker_after_the_count_in_its_clause():
    assert only("指导甲公司、乙公司等5家企业拟申报高新技术企业。").status == "target"


def test_nearest_marker_wins():
    text = "拟申报市级项目5项，预计获批资金120万元；已到位资金60万元。"
    assert [(f.value, f.status) for f in extract_facts(text)] == [
        (1_200_000, "expected"),
        (600_000, "actual"),
    ]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("力争全年新增高新技术企业6家。", "target"),
        ("确保完成专利授权120件。", "target"),
        ("市里下达专利申请任务数300件。", "target"),
        ("发明专利申请目标60件。", "target"),
        ("计划举办培训班4期。", "target"),
        ("预计全年研发投入可达1.2亿元。", "expected"),
        ("有望新增高企5家。", "expected"),
        ("项目建成后将带动企业投入2000万元。", "expected"),
        ("列入国家科技计划项目2项，争取资金300万元。", "actual"),  # 计划/争取 as ordinary words
    ],
)
def test_status_markers(text, status):
    assert only(text).status == status


def test_plan_section_makes_targets_until_next_heading():
    text = (
        "一、上半年工作\n新增高企3家。\n"
        "二、下半年工作计划\n1.新增高新技术企业5家。\n2.举办科技培训6期。\n"
        "三、存在问题\n专利授权30件。"
    )
    assert [(f.value, f.status) for f in extract_facts(text)] == [
        (3, "actual"),
        (5, "target"),
        (6, "target"),
        (30, "actual"),
    ]


def test_report_title_with_plan_words_is_not_a_plan_section():
    text = "县科技局年度工作总结暨明年工作打算\n全年新增高企7家。"
    assert only(text).status == "actual"


# ---------------------------------------------------------------- components


def test_parts_after_qizhong_are_components():
    text = "共拨付科技奖补资金530万元。其中：高企认定奖励300万元，专利80万元，研发后补助150万元。"
    facts = extract_facts(text)
    assert [(f.value, f.is_component, f.detail) for f in facts] == [
        (5_300_000, False, "subsidy"),
        (3_000_000, True, "subsidy"),
        (800_000, True, "subsidy"),
        (1_500_000, True, "subsidy"),
    ]


def test_parenthesized_part_is_a_component():
    facts = extract_facts("专利授权目标40件（其中发明专利授权8件）。")
    assert [(f.value, f.is_component, f.detail, f.status) for f in facts] == [
        (40, False, None, "target"),
        (8, True, "invention", "target"),
    ]


def test_parts_of_a_redacted_total_are_not_components():
    facts = extract_facts("获上级扶持资金xx万元，其中争取省级资金260万元，市级资金90万元。")
    assert [(f.value, f.is_redacted, f.is_component) for f in facts] == [
        (None, True, False),
        (2_600_000, False, False),
        (900_000, False, False),
    ]


# ---------------------------------------------------------------- redactions, suspects, yoy, names


@pytest.mark.parametrize(
    ("text", "indicator", "measure", "approx"),
    [
        ("新增高新技术企业xx家。", "high_tech", "enterprises", "exact"),
        ("兑现奖补资金xxxx万元。", "funding", "amount_cny", "exact"),
        ("举办专题培训xx余场。", "training", "sessions", "at_least"),
        ("落实科技扶持资金万元。", "funding", "amount_cny", "exact"),  # digits lost
        ("企业研发费用亿元。", "funding", "amount_cny", "exact"),
    ],
)
def test_redacted(text, indicator, measure, approx):
    f = only(text)
    assert (f.indicator, f.measure, f.value, f.is_redacted, f.approx) == (
        indicator,
        measure,
        None,
        True,
        approx,
    )


def test_year_pasted_as_a_count_is_suspect():
    text = "2024年全县举办科技培训2024期，新增高企6家，争取资金20240余万元。"
    assert [(f.value, f.is_suspect) for f in extract_facts(text)] == [
        (2024, True),
        (6, False),
        (202_400_000, True),
    ]


def test_damaged_span_is_suspect():
    text = "新增高企6家。"
    assert only(text).is_suspect is False
    assert extract_facts(text, damaged_spans=((4, 6),))[0].is_suspect is True


def test_yoy_pct():
    facts = extract_facts("全年申请专利320件，同比增长15.6%；授权专利150件，同比下降3.2%。")
    assert [(f.measure, f.value, f.yoy_pct) for f in facts] == [
        ("applications", 320, 15.6),
        ("grants", 150, -3.2),
    ]


def test_enterprise_names_listed_before_count():
    f = only("积极组织华创、远景电子、新源材料（复审）等3家企业申报高新技术企业。")
    assert f.enterprise_names == ("华创", "远景电子", "新源材料")
    assert f.detail == "apply"  # the (复审) note belongs to one name only


def test_enterprise_name_after_count():
    assert only("培育入库高企1家—南山环保科技有限公司。").enterprise_names == ("南山环保科技有限公司",)


def test_ellipsis_continues_previous_indicator():
    facts = extract_facts("确保通过高新技术企业认定6家，力争达到9家。")
    assert [(f.indicator, f.value, f.detail, f.status) for f in facts] == [
        ("high_tech", 6, "recognized", "target"),
        ("high_tech", 9, "recognized", "target"),
    ]
    facts = extract_facts("全年申请专利210件；授权96件。")
    assert [(f.measure, f.value) for f in facts] == [("applications", 210), ("grants", 96)]


def test_evidence_is_the_clause_span():
    text = "一、工作成效\n2.兑现奖补资金120万元，新增高企3家。"
    for f in extract_facts(text):
        assert text[f.span_start : f.span_end] == f.evidence
    assert [f.evidence for f in extract_facts(text)] == ["兑现奖补资金120万元", "新增高企3家"]


def test_repeated_clause_counts_once():
    text = "新增高企4家。\n（二）考核情况 新增高企4家。"
    assert len(extract_facts(text)) == 1


def test_personal_money_is_other():
    assert only("为困难户送去慰问金8000元。").detail == "other"
