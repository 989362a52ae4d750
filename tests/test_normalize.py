"""Normalize: every kind of scraping noise, each on a fixture written for it, with the exact output."""

from pathlib import Path

import opencc
import pytest

from pipeline.ingest import decode_bytes
from pipeline.normalize import Report, normalize_document

FIXTURES = Path(__file__).parent / "fixtures" / "normalize"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def only(text: str) -> Report:
    reports = normalize_document(text)
    assert len(reports) == 1
    return reports[0]


def test_traditional_with_glosses_and_site_widgets():
    r = only(fixture("traditional_glosses.txt"))
    assert r == Report(
        segment_no=1,
        title="2019年县科技局上半年工作总结",
        text="2019年县科技局上半年工作总结\n"
        "今年以来，我局紧紧围绕创新驱动发展战略，争取上级科技项目资金560万元。\n"
        "一、高新技术企业培育\n"
        "新认定高新技术企业6家，其中华达（复审）1家。",
        was_traditional=True,
        rules=(
            "pinyin_gloss:23",
            "t2s",
            "boilerplate:推荐度:1",
            "boilerplate:相关推荐:1",
            "boilerplate:相关文章:1",
            "punct:4",
        ),
        damaged_spans=(),
    )
    assert opencc.OpenCC("t2s").convert(r.text) == r.text


def test_big5_bytes_end_to_end():
    raw = "縣科技局第三季度工作總結\n全縣爭取項目資金350萬元，新增國家高新技術企業4家。"
    r = only(decode_bytes(raw.encode("big5")).text)
    assert (r.title, r.was_traditional) == ("县科技局第三季度工作总结", True)
    assert r.text == "县科技局第三季度工作总结\n全县争取项目资金350万元，新增国家高新技术企业4家。"


def test_utf16_bytes_end_to_end():
    raw = "科技局工作汇报\r\n全年专利授权１２０件。"
    r = only(decode_bytes(raw.encode("utf-16")).text)
    assert r.text == "科技局工作汇报\n全年专利授权120件。"
    assert not r.was_traditional


def test_simplified_text_is_not_converted():
    r = only("科技局2020年工作总结\n乾坤湾景区干部着力发展旅游，后期投入资金300万元。")
    assert not r.was_traditional
    assert "t2s" not in r.rules
    assert r.text == "科技局2020年工作总结\n乾坤湾景区干部着力发展旅游，后期投入资金300万元。"


def test_glosses_removed_real_parentheses_kept():
    r = only("科技局2020年工作总结\n万里(复审)通过认定，(其中“千人计划”4人，研发(R&D)投入增长，干部(bù)队伍（wàn）。")
    assert r.text == ("科技局2020年工作总结\n万里（复审）通过认定，(其中“千人计划”4人，研发(R&D)投入增长，干部队伍。")
    assert r.rules == ("pinyin_gloss:2", "punct:1")


def test_site_boilerplate_removed():
    r = only(fixture("site_boilerplate.txt"))
    assert r.title == "区科技局第三季度工作总结"
    assert r.text == (
        "区科技局第三季度工作总结\n一、主要工作\n"
        "全区新增科技型中小企业入库32家，组织企业参加技术培训4期。\n"
        "二、下步打算\n力争全年专利授权突破300件。"
    )
    assert r.rules == (
        "boilerplate:upload_date:1",
        "boilerplate:upload_size:1",
        "boilerplate:page_count:1",
        "boilerplate:申明敬告:1",
        "boilerplate:文档介绍:1",
        "boilerplate:转载于:1",
        "boilerplate:page_mark:1",
        "boilerplate:文稿预览结束:1",
        "boilerplate:查看更多:1",
    )


def test_teaser_repeating_the_body_is_dropped():
    r = only(
        " 县科技局2021年工作总结 今年以来，全县争取资金1500万元，新增高企8家，专利授权...\n"
        "县科技局2021年工作总结\n今年以来，全县争取资金1500万元，新增高企8家，专利授权320件。"
    )
    assert r.text == "县科技局2021年工作总结\n今年以来，全县争取资金1500万元，新增高企8家，专利授权320件。"
    assert r.rules == ("teaser:1",)


def test_compilation_split_into_reports():
    reports = normalize_document(fixture("compilation.txt"))
    assert [(r.segment_no, r.title) for r in reports] == [
        (1, "科技工作总结1"),
        (2, "科技工作总结2"),
        (3, None),
        (4, None),
        (5, None),
    ]
    assert reports[0].text == (
        "科技工作总结1\n今年我局共组织申报省级科技计划项目9项，获批立项4项，争取资金210万元。同时加强项目验收管理。\n"
        "一是完善项目库建设。\n二是加强绩效评价。"
    )
    assert reports[0].rules == ("split:compilation", "teaser:1")
    assert reports[2].text == (
        "全镇上半年举办农业实用技术培训班12期，培训农民860人次，发放资料3000余份。\n"
        "一、存在的问题\n基层农技人员年龄偏大。\n二、下步打算\n继续加强农技推广。"
    )
    assert reports[4].text == (
        "今年以来，县科技局认真落实科技特派员制度，选派科技特派员25名，服务企业40家。\n下半年将继续扩大服务范围。"
    )


def test_indented_paragraphs_do_not_split_a_report():
    text = "\n".join(f"　　第{i}项工作，完成投资{i}0万元。" for i in range(1, 7))
    r = only("科技局工作总结\n" + text)
    assert r.text.count("\n") == 6


def test_repeated_paragraph_and_sentence_kept_once():
    r = only(
        "今年以来，我局组织申报高新技术企业12家，争取上级资金560万元。\n"
        "一、培育工作\n"
        "组织申报高新技术企业12家，争取上级资金560万元。完成了各项报表工作。\n"
        "今年以来，我局组织申报高新技术企业12家，争取上级资金560万元。\n"
        "完成了各项报表工作。"
    )
    assert r.text == (
        "今年以来，我局组织申报高新技术企业12家，争取上级资金560万元。\n一、培育工作\n"
        "完成了各项报表工作。\n完成了各项报表工作。"
    )
    assert r.rules == ("dedupe_sentence:1", "dedupe_paragraph:1")


def test_redactions_become_xx():
    r = only(
        "20_年，我县20__年__月认定XX家企业，**区获批ＸＸ项，××镇投入xxxx万元，众创空间x家。"
        "用Excel和XML报送，X射线检测1次。"
    )
    assert r.text == (
        "20xx年，我县20xx年xx月认定xx家企业，xx区获批xx项，xx镇投入xx万元，众创空间xx家。"
        "用Excel和XML报送，X射线检测1次。"
    )


def test_fullwidth_figures_and_spaces_inside_figures():
    r = only(
        "全年投入资金１２３４万元，增长１２．５％，合计１，２３４项，安排4543 万元，发放资料60000 余份，共 12家企业。"
    )
    assert r.text == ("全年投入资金1234万元，增长12.5%，合计1,234项，安排4543万元，发放资料60000余份，共12家企业。")
    assert r.rules == ("fullwidth:14", "figure_space:3")


def test_ascii_punctuation_becomes_chinese_outside_numbers():
    r = only("全年争取资金1,200万元,同比增长15%;完成情况如下:专利(含发明)授权12件,时间10:30。")
    assert r.text == "全年争取资金1,200万元，同比增长15%；完成情况如下：专利（含发明）授权12件，时间10:30。"


def test_broken_lines_joined_and_pasted_page_numbers_dropped():
    r = only(fixture("broken_lines.txt"))
    assert r.title == "县科技局年度工作总结"
    assert r.text == (
        "1、县科技局年度工作总结\n"
        "2021年，我局坚持创新驱动发展战略，认真落实各项工作任务，取得了较好成绩：\n"
        "1、争取项目资金。全年争取上级科技项目资金1500万元，其中省级项目8项、市级项目5项，"
        "有效支持了企业技术改造和新产品开发。\n"
        "2、加强专利工作。全年专利申请量达到230件，同比增长18.5%，发明专利授权12件，培训企业知识产权专员60人次。\n"
        "二、组织开展第十届科技活动周，开展科普进社区、进学校、进乡村活动，免费发放各类科普宣传资料5000份，受益群众2万人次。"
    )
    assert r.rules == ("join_lines:3", "para_break:3")


def test_short_headings_are_not_joined():
    r = only("一、主要工作\n（一）项目申报\n全年申报项目12项。\n沼气工作\n新建沼气池30个。")
    assert r.text == "一、主要工作\n（一）项目申报\n全年申报项目12项。\n沼气工作\n新建沼气池30个。"


@pytest.mark.parametrize(
    ("text", "damaged"),
    [
        (
            "全年争取项目资金200万元，支持东方畯杈剧數瀛愮?戞妧鍏开展技术攻关，补助共计13万元。",
            ["畯杈剧數瀛愮?戞妧鍏"],
        ),
        ("乙方\ufffd\ufffd公司获奖，奖励资金5万元。", ["\ufffd\ufffd"]),
    ],
    ids=["question-mark-mojibake", "replacement-char"],
)
def test_mojibake_flagged_not_repaired(text, damaged):
    r = only(text)
    assert r.text == text
    assert [r.text[a:b] for a, b in r.damaged_spans] == damaged


def test_real_question_mark_is_punctuation_not_mojibake():
    r = only("你知道吗?我们全年培训农民500人次。")
    assert r.text == "你知道吗？我们全年培训农民500人次。"
    assert r.damaged_spans == ()


def test_nothing_but_boilerplate_gives_no_report():
    assert normalize_document("- 2022-03-08 发布 |\n- 24.6 KB |\n文档介绍\n查看更多\n") == []


def test_word_cut_by_a_line_break_is_joined_even_in_a_short_line():
    text = "二、下半年工作打算\n（一）力争全年认定高新技术企\n业25家，推动高企扩量提质。\n（二）办好科技活动周。"
    assert only(text).text == (
        "二、下半年工作打算\n（一）力争全年认定高新技术企业25家，推动高企扩量提质。\n（二）办好科技活动周。"
    )


def test_heading_followed_by_a_new_line_is_not_joined():
    text = "一、主要工作\n全年争取项目资金300万元。"
    assert only(text).text == text


def test_page_title_above_a_compilation_is_not_a_report():
    reports = normalize_document(
        "科技局工作总结（精选3篇）\n"
        "科技局工作总结1\n今年以来，县科技局争取资金80万元。\n"
        "科技局工作总结2\n上半年，区科技局组织培训6期。\n"
        "科技局工作总结3\n一季度，市科技局新增高企3家。"
    )
    assert [r.title for r in reports] == ["科技局工作总结1", "科技局工作总结2", "科技局工作总结3"]
    assert "drop_page_title:1" in reports[0].rules


def test_article_header_of_a_government_site_is_dropped():
    header = "来源：某县人民政府网  发布时间：2024-01-18  浏览次数：1365  字号：大 中 小"
    text = f"{header}\n某县科技局2023年工作总结\n全年争取资金80万元。"
    assert only(text).text == "某县科技局2023年工作总结\n全年争取资金80万元。"


@pytest.mark.parametrize(
    "header",
    [
        "科技工作总结 篇{n}",
        "第{n}篇",
        "篇{cn}",
        "【篇{cn}】",
        "范文{n}",
        "工作总结范文（{cn}）",
        "科技局总结【第{cn}篇】",
    ],
)
def test_compilation_header_lines_split_and_are_dropped(header):
    bodies = [
        ("临湘市科技局2021年上半年工作总结", "上半年，全市争取上级科技资金320万元，新增高企3家。"),
        ("宁远县科学技术局2021年第三季度工作总结", "1-9月，全县组织农业技术培训14期，培训农民900人次。"),
    ]
    text = "科技局工作总结（精选2篇）\n时间：2021-11-02 作者：网友投稿 栏目：工作总结\n" + "".join(
        header.format(n=i, cn="一二"[i - 1]) + f"\n{title}\n{body}\n" for i, (title, body) in enumerate(bodies, 1)
    )
    reports = normalize_document(text)
    assert [(r.title, r.text) for r in reports] == [(t, f"{t}\n{b}") for t, b in bodies]
    assert "split_header:1" in reports[1].rules


def test_compilation_header_carrying_the_title_keeps_it():
    reports = normalize_document(
        "第1篇：溆浦县科技局2022年工作总结\n全年争取资金500万元。\n"
        "第2篇：沅陵县科技局2022年一季度工作汇报\n一季度新增科技型中小企业6家。"
    )
    assert [r.title for r in reports] == ["溆浦县科技局2022年工作总结", "沅陵县科技局2022年一季度工作汇报"]
    assert reports[1].text == "沅陵县科技局2022年一季度工作汇报\n一季度新增科技型中小企业6家。"


def test_a_count_of_articles_is_no_compilation_header():
    text = "科技局2022年工作总结\n全年在省级以上刊物发表论文12篇，出版专著2篇。\n编印科普读物第2篇、第3篇。"
    assert only(text).text == text


@pytest.mark.parametrize(
    "crumb",
    [
        "首页 > 文章中心 > 总结报告 > 单位工作总结",
        "当前位置：首页 > 党政文秘 > 工作汇报",
        "范文网 » 计划总结 » 年度总结",
    ],
)
def test_breadcrumb_is_boilerplate_not_the_title(crumb):
    text = f"{crumb}\n秭归县科技局2021年工作总结\n全年新增高新技术企业7家。"
    r = only(text)
    assert r.title == "秭归县科技局2021年工作总结"
    assert r.text == "秭归县科技局2021年工作总结\n全年新增高新技术企业7家。"
    assert "boilerplate:breadcrumb:1" in r.rules


def test_a_comparison_with_one_arrow_is_no_breadcrumb():
    text = "科技局工作总结\n研发投入强度 > 2.5%\n全年新增高企4家。"
    assert only(text).text == text


def test_essay_site_header_with_clock_time_and_bars_is_dropped():
    meta = "时间：2022-12-30 09:15:02 | 作者：佚名 | 点击：906次 | 下载文档"
    text = f"{meta}\n远安县科技局2022年工作总结\n全年争取资金80万元。"
    assert only(text).title == "远安县科技局2022年工作总结"


def test_related_box_takes_essay_site_link_titles_with_it():
    text = (
        "兴山县科技局2022年工作总结\n全年新增高企3家。\n本文由网友投稿，仅供参考。\n"
        "相关推荐：\n科技局年度工作总结（通用6篇）\n科技局上半年工作计划范文\n"
    )
    assert only(text).text == "兴山县科技局2022年工作总结\n全年新增高企3家。"


@pytest.mark.parametrize(
    "links",
    [
        "相关新闻：\n· 我县2022年新增高新技术企业14家\n· 县科技局召开企业座谈会\n",
        "相关链接：\n1. 全市高企总数突破900家\n2. 某县科技局2021年工作总结\n",
    ],
)
def test_a_portals_related_links_go_with_their_header(links):
    """Bulleted or numbered headline links under a portal's related box: their figures are other pages'."""
    text = f"某县科技局2023年工作总结\n全年新增高企3家。\n{links}主办：某县人民政府办公室\n"
    assert only(text).text.startswith("某县科技局2023年工作总结\n全年新增高企3家。")
    assert "14家" not in only(text).text and "900家" not in only(text).text


def test_a_plain_title_under_a_related_box_is_kept():
    """An unnumbered title right under the box may be the report itself: it ends the block."""
    text = "相关新闻：\n· 县科技局召开企业座谈会\n某县科技局2023年工作总结\n全年新增高企3家。\n"
    assert "全年新增高企3家。" in only(text).text


@pytest.mark.parametrize("title", ["某区科学技术委员会2022年前三季度工作小结", "某县科技局2022年度述职报告"])
def test_report_words_make_a_title(title):
    assert only(f"{title}\n一、主要工作\n新增高企5家。").title == title


@pytest.mark.parametrize(
    ("raw", "joined"),
    [
        ("全年有效发明专利拥有量达到2\n316件，同比增长8.1%。", "全年有效发明专利拥有量达到2316件，同比增长8.1%。"),
        ("研发投入强度提高到2\n.45%，居全省前列。", None),
        ("举办科技特派员培训1\n20期，培训农民5\n600人次。", "举办科技特派员培训120期，培训农民5600人次。"),
        ("兑现奖补资金1\n2,500万元。", "兑现奖补资金12,500万元。"),
    ],
)
def test_a_figure_cut_by_a_line_break_is_joined(raw, joined):
    text = f"某市科技局工作总结\n{raw}"
    r = only(text)
    if joined is None:  # a cut before the decimal point does not start with digits: left alone
        assert raw in r.text
    else:
        assert r.text == f"某市科技局工作总结\n{joined}"
        assert any(x.startswith("join_figure") for x in r.rules)


@pytest.mark.parametrize(
    "raw",
    [
        "（一）新增高新技术企业12家。\n2、科技投入持续加大。",
        "一、2022年主要工作\n2022年，新增高企5家。",
        "高新技术企业 12\n15家企业通过复审",
    ],
)
def test_list_numbers_and_table_cells_are_not_joined_as_figures(raw):
    r = only(f"某市科技局工作总结\n{raw}")
    assert not any(x.startswith("join_figure") for x in r.rules)


def test_title_spaced_from_a_number_is_a_compilation_header():
    reports = normalize_document(
        "县科技局工作总结（通用3篇）\n"
        "县科技局工作总结 1\n　　2020年第一季度，泸溪县科技局组织申报省级项目5项，争取资金90万元。\n"
        "县科技局工作总结 2\n　　2021年1-9月，凤凰县科技局新增科技型中小企业18家。\n"
        "县科技局工作总结 3\n　　本学期，我校组织学生科技讲座4场。"
    )
    assert [r.text[:4] for r in reports] == ["2020", "2021", "本学期，"]
    # The topic the site writes beside every number is the page's, not each report's title.
    assert [r.title for r in reports] == [None, None, None]
    assert all("工作总结" not in r.text for r in reports)


def test_a_title_spaced_from_a_number_once_splits_nothing():
    text = "科技局工作汇报 2\n今年以来，我局新增高企6家。\n全年培训农民 2\n组织活动12场。"
    assert "全年培训农民" in only(text).text


def test_teaser_running_over_the_page_title_into_the_first_report_is_dropped():
    reports = normalize_document(
        "科技工作总结（精选2篇） 科技工作总结（精选2篇） 总结是一段工作的回顾，能帮我们看清得失，科技工作总结 篇1 "
        "2021年，溆浦县科技局围绕产业发展抓创新...\n"
        "科技工作总结（精选2篇）\n"
        "总结是一段工作的回顾，下面是小编为大家整理的科技工作总结（精选2篇），欢迎阅读。\n"
        "科技工作总结 篇1\n2021年，溆浦县科技局围绕产业发展抓创新，全年新增高企7家。\n"
        "科技工作总结 篇2\n2021年，辰溪县科技局争取上级资金300万元。"
    )
    assert [r.text for r in reports] == [
        "2021年，溆浦县科技局围绕产业发展抓创新，全年新增高企7家。",
        "2021年，辰溪县科技局争取上级资金300万元。",
    ]


def test_line_ending_in_dots_whose_end_is_not_repeated_is_kept():
    text = "科技局工作总结\n今年组织了项目申报、成果登记、科普宣传等等...\n另外还开展了科技特派员服务。"
    assert "等等" in only(text).text


def test_a_report_pasted_twice_with_a_repost_note_normalizes_identically():
    first = "2022年，靖州县科技局新增高企4家，专利授权量58件，同比增长9.4%。"
    repost = "(转 载于: 某某范文网 : 科技局工作总结（通用3篇）)"
    second = first.replace("58件", f"58件{repost}")
    reports = normalize_document(f"科技局工作总结 1\n{first}\n科技局工作总结 2\n{second}")
    assert [r.text for r in reports] == [first, first]


def test_an_editor_intro_is_site_boilerplate():
    text = "某县科技局工作总结\n以下是小编精心整理的工作总结，供大家参考。\n全年编印科普资料3000份。"
    assert only(text).text == "某县科技局工作总结\n全年编印科普资料3000份。"


def test_page_title_site_suffix_and_upload_teaser_removed():
    r = only(
        "城关区科技局上半年工作总结_范文大全_某某写作网\n导语：本文由网友上传，仅供参考学习。\n"
        "上半年，区科技局组织企业申报省级科技项目5项，培训技术人员200人次。"
    )
    assert r.title == "城关区科技局上半年工作总结"
    assert "xx" not in r.text and "导语" not in r.text
    assert r.rules == ("boilerplate:site_suffix:1", "boilerplate:download_notice:1")


def test_an_underscore_inside_a_sentence_is_still_a_redaction():
    assert "20xx年" in only("区科技局20_年工作总结\n20_年，区科技局争取项目资金50万元。").text


def test_a_dropped_header_line_leaves_the_pages_publisher():
    text = "来源：某市某区融媒体中心　编辑：xx　2024-05-21\n某区举行签约仪式\n共签约项目18个。\n"
    (r,) = normalize_document(text)
    assert r.publisher == "某市某区融媒体中心" and "来源" not in r.text
    (r,) = normalize_document("某县科技局工作总结\n全年新增高企3家。\n")
    assert r.publisher is None


def test_a_spinners_swapped_domain_words_are_put_back():
    (r,) = normalize_document("某县科学技艺局工作总结\n全年新增高新技艺企业8家，专利受权120件，其中创造专利受权9件。\n")
    assert r.text.endswith("全年新增高新技术企业8家，专利授权120件，其中发明专利授权9件。")
    assert r.title == "某县科学技术局工作总结" and "spinner:5" in r.rules
    (r,) = normalize_document("某县科技局工作总结\n组织发明创造专利培训2期，中医技艺传承。\n")
    assert "发明创造专利" in r.text and "技艺传承" in r.text  # genuine words stay


@pytest.mark.parametrize("gloss", ["(zǒng jié)", "(zong3 jie2)", "(jié)"])
def test_glosses_with_tone_marks_or_digits(gloss):
    (r,) = normalize_document(f"某县科技局工作总结{gloss}\n全年新增高企3家。\n")
    assert r.title == "某县科技局工作总结"
    (r,) = normalize_document("某县科技局工作总结\n组织研发(bao)活动。\n")
    assert "(bao)" in r.text  # no tone: not a gloss


def test_a_labelled_preview_of_excerpts_is_a_teaser():
    text = (
        "导读：某县科学技术局2020年度工作总结　2020年，面对疫情冲击……全年新认定高新技术企业19家……\n"
        "某县科学技术局2020年度工作总结\n2020年，面对疫情冲击，我局主动服务企业。\n全年新认定高新技术企业19家。\n"
    )
    (r,) = normalize_document(text)
    assert r.title == "某县科学技术局2020年度工作总结" and r.text.count("19家") == 1


def test_a_printed_page_number_neither_stays_nor_splits_the_report():
    text = (
        "某旗科学技术局工作总结\n    全年新增高新技术企业5家，专利授权量达到\n98件。\n"
        "                 — 2 —\n    二、存在的问题\n企业研发投入不足。\n                 — 3 —\n"
    )
    (r,) = normalize_document(text)
    assert "专利授权量达到98件。" in r.text and "—" not in r.text


def test_an_update_time_and_reads_line_is_site_metadata():
    meta = "更新时间：2022-03-14 09:12　来源：网友投稿　阅读：2318次"
    (r,) = normalize_document(f"某县科技局工作总结\n{meta}\n全年新增高企3家。\n")
    assert "阅读" not in r.text and r.publisher == "网友投稿"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("全年新增高新技术企业○○家，争取资金□□万元。", "全年新增高新技术企业xx家，争取资金xx万元。"),
        ("新增高新技术企业X家，授权专利×件。", "新增高新技术企业xx家，授权专利xx件。"),
        (
            "开展X射线检测3次；二〇二三年新增高企5家。",
            "开展X射线检测3次；二〇二三年新增高企5家。",
        ),  # a letter, a Chinese zero
    ],
)
def test_redactions_written_with_symbols_or_one_letter_before_a_unit(raw: str, expected: str) -> None:
    assert normalize_document(raw)[0].text == expected


def test_a_flattened_tables_latest_year_cell_takes_its_rows_unit() -> None:
    raw = "指标 | 2020年 | 2021年 | 增长(%)\n高新技术企业数(家) | 62 | 78 | 25.8\n专利授权量(件) | 1011 | 1265 | 25.1\n"
    text = normalize_document("某市科技局2021年工作总结\n" + raw)[0].text
    assert "高新技术企业数（家） | 62 | 78家 | 25.8" in text and "专利授权量（件） | 1011 | 1265件 | 25.1" in text
