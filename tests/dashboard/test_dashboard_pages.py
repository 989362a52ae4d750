"""Every page of the dashboard, run in Streamlit's test harness on a warehouse the pipeline built."""

import json
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import DEQING, WUHU


def texts(app: AppTest) -> str:
    """Everything the page writes as text: titles, markdown, captions, alerts, metrics."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                                  "success", "error") for e in getattr(app, kind)]  # fmt: skip
    parts += [f"{m.label}={m.value}" for m in app.metric]
    return "\n".join(str(p) for p in parts)


def charts(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]


def frames(app: AppTest) -> list:
    return [frame.value for frame in app.dataframe]


def frame_with(app: AppTest, column: str):
    """The first table on the page that has this column."""
    found = [frame for frame in frames(app) if column in frame.columns]
    assert found, f"no table with {column!r}"
    return found[0]


def assert_charts_state_unit_and_source(app: AppTest) -> None:
    for spec in charts(app):
        subtitle = spec["title"]["subtitle"]
        assert subtitle[0].startswith("单位 unit: ") and len(subtitle[0]) > len("单位 unit: ")
        assert subtitle[1].startswith("来源 source: ") and "warehouse.duckdb published" in subtitle[1]


def test_overview(open_app: Callable[..., AppTest], warehouse: Path) -> None:
    app = open_app(warehouse)
    shown = texts(app)
    metrics = {m.label: m.value for m in app.metric}
    # data/README.md: 11 reports, one of which a duplicate; 8 raw files read and one quarantined. The regions
    # compared are 8: the report of a redacted county (xx县) speaks as a county it does not name, so it is
    # kept out of the comparison rather than shown as its city's.
    assert metrics["报告 reports"] == "10" and metrics["地区 regions"] == "8" and metrics["年份 years"] == "2021–2024"
    assert metrics["无省份 without a province"] == "1（10.0%）"
    assert "from **9** raw files" in shown and "1** raw files could not be read" in shown
    assert list(frame_with(app, "原因 reason")["原因 reason"]) == ["empty file"]
    assert "Counted reports exclude 1 duplicate copies" in shown
    assert_charts_state_unit_and_source(app)


def test_compare_ranks_regions_and_maps_provinces(open_app: Callable[..., AppTest], warehouse: Path) -> None:
    app = open_app(warehouse, "compare")
    picked = {box.label: box.value for box in app.selectbox}
    assert picked["状态 status"] == "actual", "actual figures by default"
    ranking = frame_with(app, "名次")
    assert len(ranking) >= 2 and list(ranking["名次"]) == list(range(1, len(ranking) + 1))
    values = [v for v in ranking.iloc[:, 3]]
    assert all(v.endswith("万元") or v.endswith("亿元") for v in values)
    bars, china = charts(app)
    assert bars["title"]["text"].endswith(f"前 {len(ranking)} 名")
    assert china["datasets"]["provinces"] and len(china["datasets"]["provinces"]) == 34
    painted = [f["properties"] for f in china["datasets"]["provinces"] if f["properties"]["display_value"]]
    assert {p["name"] for p in painted} == set(ranking["省份"])
    assert_charts_state_unit_and_source(app)
    links = [link.proto for link in app.get("page_link")]
    assert links and links[0].page == "region" and "region=" in links[0].query_string


def test_compare_follows_the_pickers(open_app: Callable[..., AppTest], warehouse: Path) -> None:
    """Project money won by counties in 2023 (data/README.md): 德清县 3,860 万元 over 璧山区."""
    app = open_app(warehouse, "compare")
    boxes = {box.label: box for box in app.selectbox}
    boxes["指标 indicator"].set_value("funding").run()
    boxes = {box.label: box for box in app.selectbox}
    boxes["类别 kind"].set_value("project_grant").run()
    boxes = {box.label: box for box in app.selectbox}
    boxes["级别 level"].set_value("county").run()
    boxes = {box.label: box for box in app.selectbox}
    boxes["年份 year"].set_value(2023).run()
    ranking = frame_with(app, "名次")
    assert ranking.iloc[0]["地区 region"] == "德清县（浙江省 湖州市）"
    assert ranking.iloc[0].iloc[3] == "3,860 万元"
    assert "first **德清县（浙江省 湖州市）** with **3,860 万元**" in texts(app)
    boxes = {box.label: box for box in app.selectbox}
    boxes["状态 status"].set_value("target").run()
    assert not app.exception


def test_region_page(open_app: Callable[..., AppTest], warehouse: Path) -> None:
    app = open_app(warehouse, "region", region=DEQING)
    shown = texts(app)
    assert "德清县（浙江省 湖州市）" in shown
    choice = frame_with(app, "原因 why this report")
    assert list(choice["年份 year"]) == ["2023"] and choice.iloc[0]["所用期间 period used"] == "全年"
    assert choice.iloc[0]["原因 why this report"] == "the only report of this region and year"
    assert choice.iloc[0]["文件 file"] == "2023_huzhou_deqing_annual.txt"
    figures = frame_with(app, "依据 evidence")
    assert {"实际完成 (actual)", "目标 (target)"} <= set(figures["状态 status"])
    assert figures["依据 evidence"].str.len().min() > 0
    report = [h.proto.body for h in app.get("html") if h.proto.body.startswith('<div class="sti-report"')]
    assert len(report) == 1 and report[0].count('<mark class="sti-mark') >= len(figures) // 2
    assert_charts_state_unit_and_source(app)
    assert app.query_params["region"] == DEQING


def test_region_page_for_a_city_and_an_unknown_region(open_app: Callable[..., AppTest], warehouse: Path) -> None:
    app = open_app(warehouse, "region", region=WUHU)
    assert "芜湖市（安徽省）" in texts(app)
    assert "上半年" in set(frame_with(app, "所用期间 period used")["所用期间 period used"])
    app = open_app(warehouse, "region", region="county|无此省|无此市|无此县")
    assert "No region 'county|无此省|无此市|无此县'" in texts(app)


def test_terms(open_app: Callable[..., AppTest], warehouse: Path) -> None:
    app = open_app(warehouse, "terms")
    (heat,) = charts(app)
    assert heat["title"]["subtitle"][0] == "单位 unit: 次/万字 mentions per 10,000 characters"
    table = frames(app)[0]
    assert table.shape[0] >= 5 and table.shape[1] >= 5, "terms by provinces"
    assert_charts_state_unit_and_source(app)
    app.multiselect[0].set_value([]).run()
    assert "Pick at least one province" in texts(app)


def test_data_quality(open_app: Callable[..., AppTest], warehouse: Path) -> None:
    app = open_app(warehouse, "quality")
    shown = texts(app)
    assert "**1** counted reports without a province" in shown
    assert "below **0.8** (the dashboard's default" in shown
    assert "redacted figures (the source hid the number)" in shown
    counts = frame_with(app, "隐去 redacted").set_index("指标")
    assert counts["隐去 redacted"].sum() >= 1 and counts["可疑 suspect"].sum() == 0
    assert list(frames(app)[-1]["source_file"]) == ["empty_download.txt"]
    assert "No reports the rules failed on (kept unplaced and without figures)." in shown


def test_data_quality_lists_reports_the_rules_failed_on(
    open_app: Callable[..., AppTest], edited_warehouse: Callable[[str], Path]
) -> None:
    warehouse = edited_warehouse(
        "update core.documents set analysis_error = 'analysis failed: ValueError()'"
        " where document_id = (select min(document_id) from core.documents)"
    )
    app = open_app(warehouse, "quality")
    assert "**1** reports the rules failed on (kept unplaced and without figures)" in texts(app)
    assert list(frames(app)[-1]["analysis_error"]) == ["analysis failed: ValueError()"]


def test_data_quality_uses_a_quality_table_and_threshold_when_published(
    open_app: Callable[..., AppTest], edited_warehouse: Callable[[str], Path]
) -> None:
    """Flagged figures are listed with their reason from core.quality_flags; a threshold published with the
    marts is the one the page uses. The flagged figure is one the marts count (not a duplicate report's):
    the core tables have no row order, so `limit 1` on the fact table alone could pick either."""
    warehouse = edited_warehouse(
        """
        insert into core.quality_flags
            select fact_id, document_id, 'funding', 'money_plausible', 'money above the county ceiling', evidence
            from core.indicator_observations where indicator = 'funding' order by fact_id limit 1;
        update core.fact_funding set is_suspect = true where fact_id in (select fact_id from core.quality_flags);
        create table marts.region_confidence_policy as select 0.95::double as region_confidence_threshold;
        """
    )
    app = open_app(warehouse, "quality")
    shown = texts(app)
    assert "from `core.quality_flags`" in shown
    assert "below **0.95** (marts.region_confidence_policy.region_confidence_threshold)" in shown
    assert "**1** suspect figures" in shown
    flagged = [f for f in frames(app) if "reason" in f.columns]
    assert flagged and list(flagged[0]["reason"]) == ["money above the county ceiling"]


def test_empty_warehouse_says_so(open_app: Callable[..., AppTest], edited_warehouse: Callable[[str], Path]) -> None:
    warehouse = edited_warehouse(
        "delete from marts.region_year_measures; delete from marts.region_period_choice;"
        " delete from marts.region_term_usage"
    )
    assert "No region has a figure yet" in texts(open_app(warehouse, "compare"))
    assert "there is no region to show" in texts(open_app(warehouse, "region"))
    assert "No domain term was counted" in texts(open_app(warehouse, "terms"))


def test_no_warehouse_yet(open_app: Callable[..., AppTest], tmp_path: Path) -> None:
    for page in ("overview", "compare", "region", "terms", "quality"):
        app = open_app(tmp_path / "missing.duckdb", page)
        assert "run `make run` first" in "\n".join(e.value for e in app.error)
