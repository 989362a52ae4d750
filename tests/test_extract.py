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


# ---------------------------------------------------------------- enumerations: one item, one fact


def test_each_enumerated_figure_has_its_own_item_and_action():
    text = "组织31家企业申报高新技术企业，其中初次申报19家、重新认定12家。"
    facts = extract_facts(text)
    assert [(f.value, f.detail, f.is_component, f.evidence) for f in facts] == [
        (31, "apply", False, "组织31家企业申报高新技术企业"),
        (19, "apply", True, "其中初次申报19家"),
        (12, "reexamined", True, "重新认定12家"),
    ]
    for f in facts:
        assert text[f.span_start : f.span_end] == f.evidence


def test_redacted_items_of_one_clause_are_distinct_facts():
    facts = extract_facts("组织xx家企业申报高新技术企业，其中初次申报xx家、重新认定xx家。")
    assert len(facts) == len(set(facts)) == 3
    assert [(f.detail, f.is_redacted, f.is_component) for f in facts] == [
        ("apply", True, False),
        ("apply", True, False),
        ("reexamined", True, False),
    ]


def test_funding_parts_take_their_totals_kind_over_a_generic_money_word():
    text = "共兑现科技奖补资金260万元，其中高企认定奖励150万元、专利资助30万元、研发后补助80万元。"
    facts = extract_facts(text)
    assert [(f.value, f.detail, f.is_component, f.evidence) for f in facts] == [
        (2_600_000, "subsidy", False, "共兑现科技奖补资金260万元"),
        (1_500_000, "subsidy", True, "其中高企认定奖励150万元"),
        (300_000, "subsidy", True, "专利资助30万元"),
        (800_000, "subsidy", True, "研发后补助80万元"),
    ]


def test_a_part_with_its_own_kind_keeps_it():
    facts = extract_facts("全年到位资金3200万元，其中争取省级项目资金900万元、科技贷款1500万元。")
    assert [(f.value, f.detail) for f in facts] == [
        (32_000_000, "project_grant"),
        (9_000_000, "project_grant"),
        (15_000_000, "financing"),
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("兑现县级人才扶持资金85万元。", "subsidy"),  # 兑现 governs the generic 扶持资金
        ("争取省级扶持资金500万元。", "project_grant"),
        ("获省科技厅资助经费60万元。", "project_grant"),
        ("争取中央引导地方科技发展资金600万元。", "project_grant"),  # 引导 inside a programme name
        ("获批省引导性科技项目资金80万元。", "project_grant"),
        ("引导社会资本投入3.2亿元。", "leveraged_investment"),
        ("撬动社会资本2亿元。", "leveraged_investment"),
        ("全年带动企业研发投入5.6亿元。", "leveraged_investment"),
        ("全市研发投入达到18亿元。", "rd_expenditure"),
        ("为6家企业发放“人才贷”800万元。", "financing"),  # a quoted loan product without 贷款
        ("合作银行向科技企业放款2300万元。", "financing"),
        ("兑现科技创新券156万元。", "subsidy"),  # voucher money, no 资金 noun
    ],
)
def test_funding_kind_cues(text, kind):
    f = only(text)
    assert (f.indicator, f.detail) == ("funding", kind)


# ---------------------------------------------------------------- components in parentheses


def test_parenthesized_han_part_is_a_component():
    facts = extract_facts("全年专利授权1850件（含发明专利210件）。")
    assert [(f.measure, f.value, f.detail, f.is_component) for f in facts] == [
        ("grants", 1850, None, False),
        ("grants", 210, "invention", True),
    ]
    facts = extract_facts("争取项目资金约8600万元（含国家重点研发计划资金900万元），带动社会投入1.5亿元。")
    assert [(f.value, f.detail, f.is_component) for f in facts] == [
        (86_000_000, "project_grant", False),
        (9_000_000, "project_grant", True),
        (150_000_000, "leveraged_investment", False),  # after the closed parenthesis: no part
    ]


@pytest.mark.parametrize(
    "text",
    ["全年授权专利540件，其中发明专利62件。", "全年授权专利540件。其中发明专利六十二件。"],
)
def test_elliptical_part_inherits_the_patent_measure(text):
    facts = extract_facts(text)
    assert [(f.measure, f.value, f.detail, f.is_component) for f in facts] == [
        ("grants", 540, None, False),
        ("grants", 62, "invention", True),
    ]


def test_patent_without_measure_and_without_total_is_no_fact():
    assert rows("企业拥有发明专利62件的占比提高。") == []


# ---------------------------------------------------------------- high-tech scope


@pytest.mark.parametrize(
    "text",
    [
        "新建市级工程技术研究中心4家、高新技术企业研发中心2家。",  # 高新技术企业 modifies 研发中心
        "认定省级高新技术企业研究开发中心3家。",
        "新组建高新技术企业协会1个。",
        "对2020年认定、今年期满的11家高新技术企业开展复审辅导。",  # described, no action this period
        "为新认定的14家高企上门送政策。",
    ],
)
def test_high_tech_term_not_counting_enterprises(text):
    assert rows(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("高新技术企业培育库新入库企业23家。", 23),
        ("入库高新技术企业后备库企业15家。", 15),
        ("入库高新技术企业培育库12家。", 12),
    ],
)
def test_enterprises_entering_a_cultivation_library(text, value):
    assert rows(text) == [("high_tech", "enterprises", value, "actual", "exact", "cultivated")]


def test_own_stock_word_stops_carry_over():
    facts = extract_facts("新增高企四家，全区高新技术企业达到二十六家。")
    assert [(f.value, f.detail) for f in facts] == [(4, "new"), (26, "stock")]


def test_breakthrough_is_at_least():
    f = only("全市高企总数突破200家。")
    assert (f.value, f.approx, f.detail) == (200, "at_least", "stock")


# ---------------------------------------------------------------- rates, training cues


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("兑现研发奖励资金120万元（每家20万元）。", [1_200_000]),
        ("对新认定高企每家奖励10万元。", []),
        ("按每人300元标准发放培训补贴。", []),
        ("专利资助按每件2000元执行，全年兑现专利资助资金46万元。", [460_000]),
        ("培训农民户均1.5人次。", []),
    ],
)
def test_per_unit_rates_are_not_facts(text, values):
    assert [r[2] for r in rows(text)] == values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("参训学员320人次。", [("training", "participants", 320, "actual", "exact", None)]),
        ("开展科技下乡、农技培训等活动18场。", [("training", "sessions", 18, "actual", "exact", None)]),
        ("开展技术咨询、技术指导等服务35次。", []),  # no training in the list
    ],
)
def test_training_cues(text, expected):
    assert rows(text) == expected


def test_cultivation_entry_verb_after_the_term_is_no_library():
    assert rows("高企培育入库31家。") == [("high_tech", "enterprises", 31, "actual", "exact", "cultivated")]


def test_redacted_total_and_parenthesized_part_are_distinct_facts():
    text = "争取上级科技资金xx万元（含省级资金xx万元）。"
    facts = extract_facts(text)
    assert [(f.is_redacted, f.is_component, f.evidence) for f in facts] == [
        (True, False, "争取上级科技资金xx万元"),
        (True, False, "含省级资金xx万元"),
    ]
    for f in facts:
        assert text[f.span_start : f.span_end] == f.evidence


# ---------------------------------------------------------------- part lists, cues and rate lists


def parts(text):
    return [(f.indicator, f.value, f.detail, f.is_component) for f in extract_facts(text)]


def test_a_part_list_ends_at_its_semicolon():
    text = "全年到位省级以上科技资金2.4亿元，其中中央资金6000万元；兑现科技奖补资金850万元；研发投入预计达到31亿元。"
    assert parts(text) == [
        ("funding", 240_000_000, "project_grant", False),
        ("funding", 60_000_000, "project_grant", True),
        ("funding", 8_500_000, "subsidy", False),
        ("funding", 3_100_000_000, "rd_expenditure", False),
    ]
    text = "组织31家企业申报高新技术企业，其中首次申报19家；新认定高企14家。"
    assert [f.is_component for f in extract_facts(text)] == [False, True, False]


def test_a_colon_part_list_runs_on_across_semicolons_while_its_kind_holds():
    text = "兑现科技奖补资金420万元。其中：研发后补助260万元；高企认定奖励90万元；企业研发投入达到1.5亿元。"
    assert parts(text) == [
        ("funding", 4_200_000, "subsidy", False),
        ("funding", 2_600_000, "subsidy", True),
        ("funding", 900_000, "subsidy", True),
        ("funding", 150_000_000, "rd_expenditure", False),
    ]


def test_a_programme_noun_in_the_next_item_is_no_target():
    text = "共获批上级科技资金950万元，其中省级重点研发资金600万元、市级科技计划资金350万元。"
    assert [f.status for f in extract_facts(text)] == ["actual"] * 3
    assert only("计划新增高新技术企业6家。").status == "target"
    assert only("新增高新技术企业6家的计划已下达。").status == "target"


def test_a_parenthetical_breakdown_does_not_govern_the_figure_before_it():
    text = "全年共有37家企业通过高新技术企业认定（其中首次认定25家、重新认定12家）。"
    assert parts(text) == [
        ("high_tech", 37, "recognized", False),
        ("high_tech", 25, "recognized", True),
        ("high_tech", 12, "reexamined", True),
    ]
    names = "全年有华信、远航、中科等21家企业通过高新技术企业认定（其中复审通过8家）。"
    assert parts(names)[0] == ("high_tech", 21, "recognized", False)


def test_generic_enterprises_in_a_breakdown_of_a_high_tech_total():
    text = "组织22家企业申报高新技术企业，其中首次申报企业13家。"
    assert parts(text) == [("high_tech", 22, "apply", False), ("high_tech", 13, "apply", True)]
    assert parts("组织22家企业申报高新技术企业；另有科技企业13家完成备案。") == [("high_tech", 22, "apply", False)]


@pytest.mark.parametrize(
    "text",
    [
        "同期，相邻的长宁区新增高新技术企业148家。",
        "全区高企总数810家，而邻近的开发区则达1200余家。",
        "兄弟县区当年专利授权量普遍超过3000件。",
        "位居全省第一的江阴市新增高新技术企业300家。",
        "相比之下，市高新区争取上级资金2.1亿元。",
    ],
)
def test_another_regions_figures_are_no_facts(text):
    assert [f.value for f in extract_facts(text)] in ([], [810])


def test_own_figures_beside_comparison_words_stay():
    assert only("新增高新技术企业26家，与周边县区相比仍有差距。").value == 26
    assert [f.value for f in extract_facts("举办农技培训班8期，培训周边县区农民600人次。")] == [8, 600]
    assert len(extract_facts("原则上每年新增高新技术企业不少于5家。")) == 1


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("开展种植技术培训，培训果农、菜农、养殖户1200余人。", [1200]),
        ("举办电商培训班6期，服务企业员工700余人次。", [6, 700]),
        ("举办实用技术培训班9期，受益农户1300人。", [9, 1300]),
        # a 、-item with its own verb is no trainee kind; service with no training before it is no training
        ("开展技术培训、组织专家下乡服务群众3000人。", []),
        ("科技特派员服务企业人员500人次。", []),
        ("举办培训班4期，新增专利申请30件，服务群众900人。", [4]),
    ],
)
def test_trainees_after_a_list_or_an_attendance_word(text, values):
    got = [f.value for f in extract_facts(text) if f.indicator == "training"]
    assert got == values


@pytest.mark.parametrize(
    ("text", "rates"),
    [
        ("全年专利申请量3120件、授权量1875件，分别同比增长6.2%和下降1.4%。", [6.2, -1.4]),
        ("专利申请量3120件、授权量1875件，同比分别增长6.2%、9.8%。", [6.2, 9.8]),
        ("争取资金800万元、兑现奖励资金120万元，分别比上年减少3%和增长15%。", [-3.0, 15.0]),
        # rates not matching the figures one to one name nothing
        ("专利申请量3120件、授权量1875件，分别同比增长6.2%。", [None, None]),
        ("专利授权量1875件，占全市比重分别为12%和8%。", [None]),
    ],
)
def test_rates_given_respectively(text, rates):
    assert [f.yoy_pct for f in extract_facts(text)] == rates


@pytest.mark.parametrize(
    "text",
    [
        "全县高新技术企业达到96家，较去年同期增加21家。",
        "争取上级资金2800万元，比上年多争取300万元。",
        "专利授权量同比减少12件。",
    ],
)
def test_a_difference_from_an_earlier_period_is_no_count(text):
    assert [f.value for f in extract_facts(text)] in ([], [96], [28_000_000])


def test_a_bare_growth_rate_after_a_figure():
    assert only("全年发明专利授权528件，增长率12.5%。").yoy_pct == 12.5
    assert only("专利申请量1320件，增幅达8%。").yoy_pct == 8.0


# ---------------------------------------------------------------- plan headings run into their section


@pytest.mark.parametrize(
    "heading",
    [
        "二、2024年工作思路2024年，我局将抓好以下工作：",  # heading run into its body on one line
        "二、2024年工作思路 我局将抓好以下工作：",
        "二、下一步工作方案\n",  # a spinner's 方案 for 计划
        "三、明年工作打算 ",
        "二、2024年工作方案\n",
    ],
)
def test_plan_headings_without_their_own_line(heading):
    text = "一、主要成效\n全年新增高企6家。\n" + heading + "一是争取上级科技资金1200万元；二是举办农技培训不少于30期。"
    assert [(f.value, f.status) for f in extract_facts(text)] == [
        (6, "actual"),
        (12_000_000, "target"),
        (30, "target"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "按照年初工作计划，全年争取上级资金1200万元。",  # 计划 inside a sentence, not a heading
        "（二）出台高企培育实施方案，争取上级资金1200万元。",  # 方案 as an ordinary document
        "（二）制定科技特派员工作方案，争取上级资金1200万元。",  # 工作方案 without a forward cue
    ],
)
def test_plan_words_inside_report_sentences_are_no_plan_heading(sentence):
    assert only("一、主要成效\n" + sentence).status == "actual"


# ---------------------------------------------------------------- part lists across ；


def test_a_part_list_without_colon_runs_on_while_its_shape_repeats():
    text = (
        "全年争取省级以上科技项目20项，到位资金1500万元，其中重点研发项目8项，资金600万元；"
        "成果转化项目9项，资金520万元；科技特派员项目3项，资金90万元。"
    )
    assert parts(text) == [
        ("funding", 15_000_000, "project_grant", False),
        ("funding", 6_000_000, "project_grant", True),
        ("funding", 5_200_000, "project_grant", True),
        ("funding", 900_000, "project_grant", True),
    ]


@pytest.mark.parametrize(
    ("text", "last"),
    [
        # a new verb/kind after ；is a figure of its own
        ("到位资金1500万元，其中省级项目8项，资金600万元；兑现奖励项目5项，资金90万元。", ("subsidy", False)),
        ("到位资金1500万元，其中省级项目8项，资金600万元；已下达项目5项，资金90万元。", ("project_grant", False)),
        # another shape after ；is no repeated part
        ("到位资金1500万元，其中省级项目8项，资金600万元；科技贷款90万元。", ("financing", False)),
    ],
)
def test_a_part_list_without_colon_ends_at_a_new_verb_or_shape(text, last):
    assert parts(text)[-1][2:] == last


def test_a_total_named_after_the_parts_is_no_part():
    text = "全年认定高新技术企业30家，其中新认定18家、通过复审12家，全县高企总数达到95家。"
    assert parts(text) == [
        ("high_tech", 30, "recognized", False),
        ("high_tech", 18, "recognized", True),
        ("high_tech", 12, "reexamined", True),
        ("high_tech", 95, "stock", False),
    ]


def test_money_won_with_support_is_a_grant():
    assert only("获省科技创新引导专项资金支持800万元。").detail == "project_grant"


# ---------------------------------------------------------------- high-tech counts of plain 企业


@pytest.mark.parametrize(
    ("text", "value", "action"),
    [
        ("组织开展第一批高新技术企业认定工作，全市共受理申报企业120家。", 120, "apply"),
        ("全区高新技术企业总数达到88家，入库培育企业45家。", 45, "cultivated"),
        ("新认定高新技术企业6家，另有3家企业已提交申报材料。", 3, "apply"),
        ("下达高新技术企业培育库入库企业名单，新入库企业37家。", 37, "cultivated"),
        ("其中华兴科技、远大机械等5家企业已进入市高新技术企业培育库。", 5, "cultivated"),
        ("力争新增入库培育企业6家，全年高企总数达到40家。", 6, "cultivated"),  # the topic named after
    ],
)
def test_plain_enterprises_in_a_high_tech_sentence(text, value, action):
    assert (value, action) in [(f.value, f.detail) for f in extract_facts(text) if f.indicator == "high_tech"]


@pytest.mark.parametrize(
    "text",
    [
        "新认定高新技术企业6家，组织15家企业申报省级科技项目。",  # another thing counted
        "新认定高新技术企业6家，组织20家企业申报专利。",
        "新认定高新技术企业6家，走访企业30家。",  # no high-tech procedure verb
        "新认定高新技术企业6家，评价入库科技型中小企业40家，另有12家企业申报。",  # last kind named is other
        "组织12家企业申报认定。",  # no high-tech enterprises named
        "组织12家企业申报，新增科技型中小企业8家，高企6家。",  # the first kind named after is other
    ],
)
def test_plain_enterprises_outside_a_high_tech_procedure(text):
    assert [f.value for f in extract_facts(text) if f.indicator == "high_tech"] in ([], [6])


@pytest.mark.parametrize(
    "text",
    [
        "向全市52家高新技术企业兑现认定奖励资金共860万元。",
        "为12家高企发放研发后补助300万元。",
    ],
)
def test_recipients_of_a_payment_are_no_count(text):
    assert [f.indicator for f in extract_facts(text)] == ["funding"]


def test_a_year_pasted_as_sessions_is_suspect():
    facts = extract_facts("2021年举办科技培训2021场，新增高企6家。")
    assert [(f.value, f.is_suspect) for f in facts] == [(2021, True), (6, False)]


# ---------------------------------------------------------------- labelled breakdowns


def facts_of(text):
    return [(f.indicator, f.measure, f.value, f.detail, f.is_component, f.evidence) for f in extract_facts(text)]


def test_labelled_breakdown_of_a_money_total():
    text = "全区企业累计获得科技信贷6.3亿元，同比增长9%。分月份看，1-6月：2.2亿元；7-9月：4.1亿元。"
    assert facts_of(text) == [
        ("funding", "amount_cny", 630_000_000, "financing", False, "全区企业累计获得科技信贷6.3亿元"),
        ("funding", "amount_cny", 220_000_000, "financing", True, "1-6月：2.2亿元"),
        ("funding", "amount_cny", 410_000_000, "financing", True, "7-9月：4.1亿元"),
    ]


def test_labelled_training_items_and_their_total():
    text = (
        "三、农业技术培训。\n上半年：举办果树管理讲座4场，培训果农320人次；下半年：3场，260余人次。"
        "全年合计7场，580余人次。"
    )
    rows_ = [(f.measure, f.value, f.is_component, f.approx) for f in extract_facts(text)]
    assert rows_ == [
        ("sessions", 4, True, "exact"),
        ("participants", 320, True, "exact"),
        ("sessions", 3, True, "exact"),
        ("participants", 260, True, "at_least"),
        ("sessions", 7, False, "exact"),
        ("participants", 580, False, "at_least"),
    ]
    assert all(f.indicator == "training" for f in extract_facts(text))


def test_training_items_under_a_training_heading():
    text = "（二）科技人员培训情况\n第一季度：5期，240人；第二季度：4期，190人。"
    assert [(f.indicator, f.measure, f.value) for f in extract_facts(text)] == [
        ("training", "sessions", 5),
        ("training", "participants", 240),
        ("training", "sessions", 4),
        ("training", "participants", 190),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "开展科技下乡活动，一季度：4场；二季度：6场。",  # items of another activity
        "一季度：3场，150人次；二季度：2场，80人次。",  # nothing says it is training
        "举办培训班3期，培训200人次。开展技术指导，一季度：5次；二季度：4次。",
    ],
)
def test_bare_items_outside_a_training_context_are_no_training(text):
    assert [(f.measure, f.value) for f in extract_facts(text)] in ([], [("sessions", 3), ("participants", 200)])


def test_session_noun_with_trainees_is_training():
    assert rows("组织专利政策宣讲会3场，培训企业技术人员260人次。") == [
        ("training", "sessions", 3, "actual", "exact", None),
        ("training", "participants", 260, "actual", "exact", None),
    ]
    # without people trained in the same group, a meeting count is no training figure
    assert rows("召开项目对接会3场。") == []
    assert rows("开展科技下乡8次，技术指导12次，服务农户300人次。") == []


def test_progress_on_a_target_is_an_actual_figure_of_its_measure():
    assert rows("县下达全年发明专利授权任务数30件，上半年完成11件。") == [
        ("patent", "grants", 30, "target", "exact", "invention"),
        ("patent", "grants", 11, "actual", "exact", "invention"),
    ]
    # 完成 without a target before it names nothing
    assert rows("上半年完成11件。") == []


def test_money_in_wan_without_yuan():
    assert rows("兑现企业研发贴息资金215万，惠及企业23家。") == [
        ("funding", "amount_cny", 2_150_000, "actual", "exact", "subsidy"),
    ]
    assert rows("镇财政安排科技特派员工作经费60万，支持特派员服务。")[0][2] == 600_000
    # no money word governs it
    assert rows("全年接待来访群众12万，发放资料3万余份。") == []


def test_quantity_reaching_a_level_is_a_stock():
    assert rows("扎实推进高新技术企业申报工作，力争年底高企数量达到45家。") == [
        ("high_tech", "enterprises", 45, "target", "exact", "stock"),
    ]
    # the number applying is still an application count
    assert rows("高新技术企业申报数量达到12家。")[0][5] == "apply"


def test_review_of_high_tech_enterprises_is_a_reexamination():
    text = "全年组织9家企业申报高新技术企业，新认定高新技术企业6家，另有2家企业通过复核，全县高企总数达到31家。"
    assert rows(text)[2] == ("high_tech", "enterprises", 2, "actual", "exact", "reexamined")
    assert rows("高新技术企业复核通过4家。")[0][5] == "reexamined"
    # a review of other enterprises is no high-tech figure
    assert rows("评价入库科技型中小企业25家，另有3家企业通过复核。") == []


@pytest.mark.parametrize(
    "text",
    [
        "上半年全县共有27家企业提交高新技术企业认定申请。",
        "一季度共有8家企业完成国家高新技术企业认定申报材料网上填报。",
        "力争下半年新增申报高新技术企业xx家。",
    ],
)
def test_an_application_verb_governs_the_count(text):
    assert rows(text)[0][5] == "apply"


def test_have_and_new_without_an_application_verb():
    assert rows("全县共有高新技术企业52家。")[0][5] == "stock"
    assert rows("全年新增高新技术企业14家。")[0][5] == "new"


def test_money_sent_down_is_a_grant():
    assert rows("下拨本年度科技计划项目经费共760万元，支持项目31项。") == [
        ("funding", "amount_cny", 7_600_000, "actual", "exact", "project_grant"),
    ]


def test_training_class_under_another_name():
    assert rows("二是联合县农业农村局举办新型职业农民培育班5期，培养新型职业农民260名；三是开展科普活动6次。") == [
        ("training", "sessions", 5, "actual", "exact", None),
        ("training", "participants", 260, "actual", "exact", None),
    ]
    # 培养 outside a training context trains nobody
    assert rows("与省内高校联合培养研究生30名。") == []
    assert rows("组织科普讲座6场，培养研究生30名。") == []


def test_a_list_by_place_under_a_label_counts_what_the_label_names():
    text = "全市新增高新技术企业95家。\n附：部分县新增高新技术企业数：甲县12家；乙县9家；丙区6家。"
    facts = extract_facts(text)
    assert [(f.value, f.detail, f.is_component) for f in facts] == [
        (95, "new", False),
        (12, "new", True),
        (9, "new", True),
        (6, "new", True),
    ]
    # a label naming another kind of enterprise lists no high-tech enterprises
    assert rows("新增科技型中小企业数：甲县30家；乙县21家。") == []


def test_a_count_with_its_noun_left_out_continues_the_paragraphs_high_tech_figure():
    text = "上半年申报国家高新技术企业58家。目前评审尚在进行，预计通过认定45家左右。"
    assert rows(text)[1] == ("high_tech", "enterprises", 45, "expected", "about", "recognized")
    # another enterprise count between them, or a new paragraph, breaks the thread
    assert len(rows("申报高新技术企业58家，科技型中小企业入库120家。预计通过认定45家。")) == 1
    assert len(rows("申报高新技术企业58家。\n预计通过认定45家。")) == 1


def test_a_difference_is_no_count_and_no_less_than_is_at_least():
    assert [r[2] for r in rows("申报高新技术企业36家，较去年同期多出6家。")] == [36]
    assert rows("争取上级科技项目资金不低于1.4亿元。")[0][4] == "at_least"


def test_a_tutorial_is_training_and_coaching_one_applicant_is_not():
    assert rows("举办高企申报专题辅导4期，参加人员310人次。") == [
        ("training", "sessions", 4, "actual", "exact", None),
        ("training", "participants", 310, "actual", "exact", None),
    ]
    assert rows("开办科技政策辅导班2期。") == [("training", "sessions", 2, "actual", "exact", None)]
    assert rows("上门辅导企业申报项目35次。") == []


def test_patent_count_with_its_digits_lost():
    facts = extract_facts("一季度全县申请专利27件，授权专利件，其中发明专利授权3件。")
    lost = facts[1]
    assert (lost.measure, lost.value, lost.is_redacted, lost.evidence) == ("grants", None, True, "授权专利件")
    assert not facts[2].is_component  # the total is redacted: its part is the best figure there is
    assert rows("全年发明专利申请量为件。") == [("patent", "applications", None, "actual", "exact", "invention")]
    # 件数 is a noun, and 件 after other words is no patent count
    assert rows("统计企业授权专利件数。") == []
    assert rows("受理专利纠纷案件。") == []


def test_facts_ending_after_a_position_are_those_a_full_scan_finds() -> None:
    """Found.ending_after looks from the back only as far as an earlier figure could reach: the same facts,
    in the same order, as scanning them all, also when a figure ends before an earlier one."""
    from pipeline.extract_text import Found

    ends = [5, 9, 7, 20, 14, 30, 29, 31]
    found = Found()
    facts = [f"fact {i}" for i in range(len(ends))]  # any objects: only the order is looked at
    for fact, end in zip(facts, ends, strict=True):
        found.add(fact, end)
    for pos in range(-1, 33):
        assert found.ending_after(pos) == [f for f, end in zip(facts, ends, strict=True) if end > pos], pos
    assert list(found) == list(zip(facts, ends, strict=True))


def test_inside_is_membership_in_sorted_spans() -> None:
    from pipeline.extract_text import inside

    spans = [(3, 7), (7, 9), (12, 20)]
    for pos in range(-1, 23):
        assert inside(spans, pos) == any(s <= pos < e for s, e in spans), pos
    assert not inside([], 0)


def test_a_slogans_goal_marks_no_target():
    text = "2022年，全州紧扣“科技兴州”目标，全力推动创新，全年新增高新技术企业42家，有效高新技术企业达到231家。"
    assert [(f.value, f.status) for f in extract_facts(text)] == [(42, "actual"), (231, "actual")]
    assert [f.status for f in extract_facts("工作目标是新增高新技术企业20家以上。")] == ["target"]
