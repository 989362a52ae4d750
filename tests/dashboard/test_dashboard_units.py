"""The dashboard's plain functions: number formats, region keys, the report highlighting, the map's shapes,
and that every chart builder makes a valid Vega-Lite spec with its unit and source."""

import csv
import gzip
import json

import altair as alt
import jsonschema
import pandas as pd
import pytest

from dashboard import charts, data, formatting, geo
from tests.conftest import PROJECT_DIR


@pytest.mark.parametrize(
    ("yuan", "text"),
    [
        (386_0000, "386 万元"),
        (38_600_000, "3,860 万元"),
        (1_234_500, "123.45 万元"),
        (123_456_789, "1.23 亿元"),
        (2_500_000_000_000, "25,000 亿元"),
        (8_600, "8,600 元"),
        (None, "—"),
        (float("nan"), "—"),
    ],
)
def test_money_reads_as_wan_and_yi(yuan: float | None, text: str) -> None:
    assert formatting.format_money(yuan) == text


def test_counts_carry_their_unit_and_separators() -> None:
    assert formatting.format_value(12000.0, "participants") == "12,000 人次"
    assert formatting.format_value(47.0, "enterprises") == "47 家"
    assert formatting.format_value(1.5, "grants") == "1.5 件"
    assert formatting.format_value(38_600_000.0, "amount_cny") == "3,860 万元"


def test_a_chart_takes_one_money_unit_from_its_largest_figure() -> None:
    assert formatting.chart_scale([5e6, 3e8], "amount_cny") == (1e8, "亿元")
    assert formatting.chart_scale([5e6, None], "amount_cny") == (1e4, "万元")
    assert formatting.chart_scale([3.0], "sessions") == (1.0, "期")


def test_every_code_of_the_contract_has_a_label() -> None:
    """The enumerations of ../shared/CONTRACT.md, as the warehouse's SQL writes them."""
    codes = {
        "indicator": ["funding", "high_tech", "patent", "training"],
        "measure": ["amount_cny", "enterprises", "applications", "grants", "sessions", "participants"],
        "status": ["actual", "target", "expected"],
        "approx": ["exact", "at_least", "about"],
        "detail": ["subsidy", "project_grant", "project_request", "financing", "rd_expenditure",
                   "leveraged_investment", "in_kind", "other", "apply", "recognized", "reexamined",
                   "cultivated", "new", "stock", "invention"],
        "period": ["Q1", "Q2", "Q3", "Q4", "H1", "H2", "annual"],
        "level": ["province", "city", "county"],
    }  # fmt: skip
    for kind, values in codes.items():
        for code in values:
            assert formatting.labels()[kind].get(code), (kind, code)
    assert formatting.label("detail", None) == "全部专利 (all_kinds)"


def test_region_keys_survive_the_url() -> None:
    region = data.Region("county", "重庆市", "重庆市", "璧山区")
    assert data.Region.from_key(region.key) == region
    assert region.title == "璧山区（重庆市）"
    city = data.Region("city", "安徽省", "芜湖市")
    assert data.Region.from_key(city.key) == city and city.name == "芜湖市"
    assert data.Region.from_key("village|x|y|z") is None
    assert data.Region.from_key("garbage") is None


def test_highlight_marks_each_clause_once_and_escapes_the_text() -> None:
    text = "甲<b>乙，争取资金2380万元，其中奖补386万元。"
    spans = [(8, 17), (12, 17), (20, 26), (40, 45)]  # nested, separate, and out of range
    html = data.highlight_spans(text, spans, selected=(20, 26))
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert html.count("<mark") == 2
    assert '<mark class="sti-mark sti-selected">' in html
    plain = html.replace('<mark class="sti-mark sti-selected">', "").replace('<mark class="sti-mark">', "")
    assert plain.replace("</mark>", "").replace("&lt;", "<").replace("&gt;", ">") == text


def test_why_a_report_was_chosen() -> None:
    one = pd.Series({"periods_reported": ["annual"], "n_reports": 1})
    assert data.why_chosen(one) == "the only report of this region and year"
    wider = pd.Series({"periods_reported": ["H1", "Q1", "annual"], "n_reports": 3})
    assert "widest period among H1, Q1, annual" in data.why_chosen(wider)
    longer = pd.Series({"periods_reported": ["annual"], "n_reports": 2})
    assert "longest" in data.why_chosen(longer)


def test_the_map_adds_regions_of_one_level_per_province() -> None:
    ranked = pd.DataFrame(
        {"province": ["浙江省", "浙江省", "重庆市"], "region_name": ["德清县", "安吉县", "璧山区"],
         "total_value": [3e7, 1e7, 9.6e6]}
    )  # fmt: skip
    provinces = data.by_province(ranked).set_index("province")
    assert provinces.loc["浙江省", "total_value"] == 4e7 and provinces.loc["浙江省", "n_regions"] == 2
    assert data.by_province(ranked.iloc[0:0]).empty


def test_the_map_has_every_province_the_gazetteer_knows() -> None:
    """The boundaries come from the installed package and name provinces as the warehouse does."""
    with gzip.open(PROJECT_DIR / "pipeline" / "data" / "gazetteer.csv.gz", "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    province_column = next(c for c in rows[0] if "province" in c)
    known = {row[province_column] for row in rows if row[province_column]}
    names = set(geo.province_names())
    assert len(names) == 34
    assert known <= names, sorted(known - names)
    provinces, lines = geo.province_shapes()
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in provinces)
    assert lines and all(f["geometry"]["type"].endswith("LineString") for f in lines)
    assert len(json.dumps(provinces)) < 150_000, "simplified for the page"


def _vega_lite_schema() -> dict:
    from altair.vegalite.v6.schema import load_schema

    return load_schema()


def _assert_valid(spec: dict, source: str, unit: str) -> None:
    jsonschema.validate(spec, _vega_lite_schema())
    assert spec["title"]["subtitle"] == [f"单位 unit: {unit}", f"来源 source: {source}"]


def test_every_chart_is_valid_vega_lite_with_unit_and_source() -> None:
    ranked = pd.DataFrame(
        {"region_label": ["德清县（浙江省 湖州市）"], "display_value": [3860.0], "value_text": ["3,860 万元"],
         "key": ["county|浙江省|湖州市|德清县"]}
    )  # fmt: skip
    _assert_valid(charts.ranking_bars(ranked, "资金", "万元", "src"), "src", "万元")
    provinces = pd.DataFrame(
        {"province": ["浙江省"], "display_value": [3860.0], "value_text": ["3,860 万元"], "n_regions": [1]}
    )
    spec = charts.province_map(provinces, "资金", "万元", "src")
    _assert_valid(spec, "src", "万元")
    painted = {f["properties"]["name"]: f["properties"] for f in spec["datasets"]["provinces"]}
    assert painted["浙江省"]["display_value"] == 3860.0 and painted["江苏省"]["display_value"] is None
    lines = pd.DataFrame({"year": [2022, 2023], "series": ["奖补"] * 2, "display_value": [1.0, 2.0],
                          "value_text": ["1 万元", "2 万元"]})  # fmt: skip
    _assert_valid(charts.year_lines(lines, "万元", "src", "资金"), "src", "万元")
    terms = pd.DataFrame({"province": ["浙江省"], "term": ["高新技术企业"], "mentions_per_10k_chars": [3.2],
                          "n_mentions": [4], "n_reports_using": [1]})  # fmt: skip
    _assert_valid(charts.term_heatmap(terms, "src"), "src", "次/万字 mentions per 10,000 characters")
    years = pd.DataFrame({"year_label": ["2023"], "period_label": ["全年"], "n_reports": [3]})
    _assert_valid(charts.year_bars(years, "src"), "src", "篇 reports")


def test_an_invalid_spec_is_caught_by_the_schema_check() -> None:
    """The validation above can fail: a chart with an unknown mark does."""
    bad = alt.Chart(pd.DataFrame({"a": [1]})).mark_bar().encode(x="a:Q").to_dict(validate=False)
    bad["mark"] = {"type": "no_such_mark"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, _vega_lite_schema())
