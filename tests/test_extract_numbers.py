"""Figures written in forms that need more than one clause word: lists with 分别, targets given with the
year-end total, labels before a colon, and figures whose digits were redacted or lost."""

import re

import pytest

from pipeline.extract import extract_facts
from pipeline.extract_text import _missing_count_re, rules


def rows(text: str) -> list[tuple]:
    return [(f.indicator, f.measure, f.value, f.status, f.is_redacted) for f in extract_facts(text)]


@pytest.mark.parametrize(
    "text",
    [
        "全县专利申请量和授权量分别为1230件和688件。",
        "全区发明专利申请、授权分别为1230件、688件，分别增长5%和8%。",
    ],
)
def test_measures_listed_before_respectively_go_to_the_counts_in_order(text):
    assert [(m, v) for _, m, v, _, _ in rows(text)] == [("applications", 1230), ("grants", 688)]


def test_thousands_separators_in_a_respective_list():
    text = "全市专利申请量、授权量分别为97,573件和52,100件。"
    assert [(m, v) for _, m, v, _, _ in rows(text)] == [("applications", 97_573), ("grants", 52_100)]


def test_year_end_total_against_its_target():
    text = "全年发明专利授权应完成指标数为35件，实际完成41件。"
    assert rows(text) == [("patent", "grants", 35, "target", False), ("patent", "grants", 41, "actual", False)]


def test_a_label_before_a_colon_names_the_indicator():
    text = "专利授权量：全年应完成指标数为147件，截至12月底完成152件。"
    assert rows(text) == [("patent", "grants", 147, "target", False), ("patent", "grants", 152, "actual", False)]


def test_traditional_classifier_counts_patents():
    assert [v for _, _, v, _, _ in rows("全年授权发明专利12件、实用新型48項。")] == [12, 48]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("获批省级项目资金xx.x万元。", [("funding", "amount_cny")]),
        ("争取上级资金（ ）万元，申请专利（ ）件。", [("funding", "amount_cny"), ("patent", "applications")]),
        ("获得省级科技项目扶持资金 万元。", [("funding", "amount_cny")]),
        ("全年新认定高新技术企业家，总数达到家。", [("high_tech", "enterprises"), ("high_tech", "enterprises")]),
        ("举办农业实用技术培训班期，培训农民人次。", [("training", "sessions"), ("training", "participants")]),
        ("全年专利申请件，授权件。", [("patent", "applications"), ("patent", "grants")]),
    ],
)
def test_figures_whose_digits_were_redacted_or_lost(text, expected):
    found = rows(text)
    assert [(i, m) for i, m, *_ in found] == expected
    assert all(value is None and redacted for _, _, value, _, redacted in found)


def test_counts_with_digits_are_not_read_as_lost_digits():
    found = rows("培训农民1200余人次，培训果农六百余人次。")
    assert [(v, redacted) for *_, v, _, redacted in found] == [(1200, False), (600, False)]


@pytest.mark.parametrize(
    "text",
    ["已为12家科技型企业发放贷款万元。", "共有30家企业申报了共计xx亿元研发费用。"],
)
def test_redacted_money_of_loans_and_research_spending(text):
    assert [(i, v, r) for i, _, v, _, r in rows(text)] == [("funding", None, True)]


def test_every_lost_digits_pattern_names_literal_units():
    """missing_counts skips a text holding none of a pattern's units, so the unit group must list words."""
    for entry in rules()["missing_digits"]:
        pattern, units = _missing_count_re(entry["pattern"])
        assert units and all(re.fullmatch(r"[\u4e00-\u9fff]+", unit) for unit in units), entry["pattern"]
        assert pattern.groupindex.keys() >= {"unit"}
