"""Number parsing: Arabic, Chinese, mixed, units, approximation words, ranges, redactions."""

import pytest

from pipeline.numbers import find_quantities, parse_number


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("455.25", 455.25),
        ("1,250", 1250),
        ("1.5万", 15000),
        ("3千万", 30_000_000),
        ("两万", 20000),
        ("十二", 12),
        ("一千二百", 1200),
        ("百万", None),  # an adjective (百万元重大项目), not a number
        ("abc", None),
    ],
)
def test_parse_number(written, value):
    assert parse_number(written) == value


def one(text):
    (q,) = find_quantities(text)
    return q


@pytest.mark.parametrize(
    ("text", "value", "kind", "approx"),
    [
        ("拨付补助资金38.6万元", 386_000, "money", "exact"),
        ("获得贷款1.2亿元", 120_000_000, "money", "exact"),
        ("投入3千万元", 30_000_000, "money", "exact"),
        ("奖励两万元", 20000, "money", "exact"),
        ("融资超过5亿元", 500_000_000, "money", "at_least"),
        ("资金10多万元", 100_000, "money", "at_least"),
        ("高企26家以上", 26, "enterprises", "at_least"),
        ("举办培训十二期", 12, "sessions", "exact"),
        ("培训近800人次", 800, "participants", "about"),
        ("培训学员约50名左右", 50, "participants", "about"),
        ("专利1,050件", 1050, "patents", "exact"),
        ("逾百人", 100, "participants", "at_least"),  # a bare 百 after an approximation word
        ("百人计划", None, None, None),  # a bare 百 alone is not a count
    ],
)
def test_quantity(text, value, kind, approx):
    found = find_quantities(text)
    if value is None:
        assert found == ()
        return
    (q,) = found
    assert (q.value, q.kind, q.approx) == (value, kind, approx)


def test_range_keeps_lower_bound():
    q = one("培育3-5家")
    assert (q.value, q.approx) == (3, "at_least")


def test_redacted_numbers():
    q = one("资助xxxx万元")
    assert q.is_redacted and q.value is None and q.kind == "money"
    q = one("举办xx余场")
    assert q.is_redacted and q.approx == "at_least"


def test_not_quantities():
    # dates, document numbers, percentages, areas, tonnage, ordinals, headcount of livestock
    text = "3月10日召开会议，印发〔2020〕16号文件，增长12.5%，面积1.2万平方米，产量30吨，排名第1名，生猪500头"
    assert find_quantities(text) == ()


def test_span_covers_approx_words():
    text = "引导投入近3000万元。"
    q = one(text)
    assert text[q.start : q.end] == "近3000万元"
    assert text[q.num_start : q.end] == "3000万元"


def test_bare_wan_is_money_only_at_a_phrase_end():
    assert [(q.value, q.kind) for q in find_quantities("拨付专项经费85万，用于设备购置")] == [(850_000, "money")]
    assert [(q.value, q.kind) for q in find_quantities("落实资金120余万。")] == [(1_200_000, "money")]
    # a bare 万 scaling something counted stays a count (or nothing)
    assert [(q.value, q.kind) for q in find_quantities("服务群众1.6万人次")] == [(16_000, "participants")]
    assert find_quantities("发放明白纸2万余份，推广面积5万亩") == ()


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("实用新型48項", 48, "patents"),  # a traditional classifier left by a partial conversion
        ("获资助3.5萬元", 35_000, "money"),
        ("申请量97,573件", 97_573, "patents"),
        ("专利授权1 47件", 147, "patents"),  # a digit group a PDF copy broke with a space
    ],
)
def test_written_forms(text, value, kind):
    q = one(text)
    assert (q.value, q.kind) == (value, kind)


def test_a_year_before_a_count_is_not_joined_to_it():
    assert [q.value for q in find_quantities("截至2021 147件")] == [147]


@pytest.mark.parametrize("text", ["资金xx.x万元", "资金12.xx万元", "资金xx.5万元"])
def test_redacted_decimals(text):
    q = one(text)
    assert q.is_redacted and q.value is None and q.kind == "money"


@pytest.mark.parametrize("text", ["高新技术企业X家", "通过认定*家", "认定＊家"])
def test_lone_placeholders_before_a_unit_are_redactions(text):
    q = one(text)
    assert q.is_redacted and q.value is None and q.kind == "enterprises"


def test_a_lone_capital_x_elsewhere_is_no_figure():
    assert find_quantities("购置X射线检测设备，开展**等活动") == ()


@pytest.mark.parametrize(
    ("text", "value", "approx"),
    [
        ("培训农牧民万余人次", 10_000, "at_least"),
        ("培训人员近千人次", 1_000, "about"),
        ("开展活动千余场", 1_000, "at_least"),
        ("逾百家企业", 100, "at_least"),
    ],
)
def test_a_bare_scale_with_an_approximation_is_a_count(text, value, approx):
    (q,) = find_quantities(text)
    assert (q.value, q.approx) == (value, approx)


@pytest.mark.parametrize("text", ["千家万户", "上千人次", "百万元重大项目"])
def test_a_bare_scale_alone_is_an_adjective(text):
    assert find_quantities(text) == ()
