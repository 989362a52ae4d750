"""Altair (Vega-Lite) charts: every chart states its unit and its source in its title.

Vega draws in the page from data sent with the chart, the map's polygons included, so nothing is
loaded from the internet when a page is viewed. Builders return Vega-Lite specs for
`st.vega_lite_chart`, made without Altair's schema validation: validating costs a tenth of a second
per chart on every page load, so the tests validate every builder's spec instead.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard import geo

FONT = "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"
NO_DATA_COLOUR = "#d9d9d9"
# Streamlit fits a chart into its height, title, subtitles and axes included: room for those, in pixels.
FRAME = 170
ROW = 26


def _title(text: str, unit: str, source: str) -> alt.TitleParams:
    return alt.TitleParams(text, subtitle=[f"单位 unit: {unit}", f"来源 source: {source}"], anchor="start")


def _spec(chart: alt.TopLevelMixin) -> dict:
    configured = chart.configure(font=FONT).configure_title(fontSize=14, subtitleFontSize=11, subtitleColor="#666")
    return configured.to_dict(validate=False)


def ranking_bars(frame: pd.DataFrame, value_title: str, unit: str, source: str, top: int = 30) -> dict:
    """Horizontal bars of the top regions; `frame` has region_label, display_value, value_text, key.

    Clicking a bar selects its region (the page opens that region).
    """
    shown = frame.head(top)
    pick = alt.selection_point(name="pick", fields=["key"], on="click")
    return _spec(
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("region_label:N", sort=None, title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X("display_value:Q", title=f"{value_title}（{unit}）"),
            color=alt.condition(pick, alt.value("#2b6cb0"), alt.value("#a0aec0")),
            tooltip=[alt.Tooltip("region_label:N", title="地区"), alt.Tooltip("value_text:N", title=value_title)],
        )
        .add_params(pick)
        .properties(title=_title(f"{value_title}：前 {len(shown)} 名", unit, source), height=FRAME + ROW * len(shown))
    )


def province_map(frame: pd.DataFrame, value_title: str, unit: str, source: str) -> dict:
    """China by province, coloured by `display_value` (provinces without a figure stay grey), as a
    Vega-Lite spec for `st.vega_lite_chart`.

    `frame` has province, display_value, value_text, n_regions. Clicking a province selects it
    (selection `province_pick`). The polygons are attached as named datasets after Altair has built
    the spec: passed through Altair's object model, 250 KB of coordinates cost about a second per page.
    """
    provinces, lines = geo.province_shapes()
    by_name = frame.set_index("province").to_dict("index")
    features = []
    for feature in provinces:
        name = feature["properties"]["name"]
        row = by_name.get(name, {})
        properties = {
            "name": name,
            "display_value": row.get("display_value"),
            "value_text": row.get("value_text", "无数据 no figure"),
            "n_regions": int(row.get("n_regions", 0)),
        }
        features.append({**feature, "properties": properties})
    pick = alt.selection_point(name="province_pick", fields=["properties.name"], on="click")
    # Vega-Lite drops marks whose colour field is empty, so every province is first drawn grey.
    background = (
        alt.Chart(alt.Data(name="provinces"))
        .project(type="mercator")
        .mark_geoshape(fill=NO_DATA_COLOUR, stroke="white", strokeWidth=0.5)
        .encode(tooltip=[alt.Tooltip("properties.name:N", title="省份"),
                         alt.Tooltip("properties.value_text:N", title=value_title)])
    )  # fmt: skip
    filled = (
        alt.Chart(alt.Data(name="provinces"))
        .project(type="mercator")
        .mark_geoshape(stroke="white", strokeWidth=0.5)
        .encode(
            color=alt.Color("properties.display_value:Q", title=unit, scale=alt.Scale(scheme="blues")),
            tooltip=[
                alt.Tooltip("properties.name:N", title="省份"),
                alt.Tooltip("properties.value_text:N", title=value_title),
                alt.Tooltip("properties.n_regions:Q", title="报告地区数"),
            ],
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.6)),
        )
        .add_params(pick)
    )
    boundary = (
        alt.Chart(alt.Data(name="boundaries"))
        .project(type="mercator")
        .mark_geoshape(filled=False, stroke="#888", strokeWidth=0.6)
    )
    chart = alt.layer(background, filled, boundary).properties(
        title=_title(f"{value_title}：各省合计", unit, source), height=480
    )
    spec = _spec(chart)
    spec["datasets"] = {"provinces": features, "boundaries": lines}
    return spec


def year_lines(frame: pd.DataFrame, unit: str, source: str, title: str) -> dict:
    """A line per measure over the years; `frame` has year, series, display_value, value_text."""
    return _spec(
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="年份 year"),
            y=alt.Y("display_value:Q", title=unit),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=360)),
            tooltip=[
                alt.Tooltip("year:O", title="年份"),
                alt.Tooltip("series:N", title="指标"),
                alt.Tooltip("value_text:N", title="数值"),
            ],
        )
        .properties(title=_title(title, unit, source), height=FRAME + 200 + 20 * frame["series"].nunique())
    )


def term_heatmap(frame: pd.DataFrame, source: str) -> dict:
    """Provinces × terms, mentions per 10,000 characters."""
    return _spec(
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("term:N", title=None, sort=None, axis=alt.Axis(labelAngle=-45, labelOverlap=False)),
            y=alt.Y("province:N", title=None, sort=None),
            color=alt.Color("mentions_per_10k_chars:Q", title="次/万字", scale=alt.Scale(scheme="oranges")),
            tooltip=[
                alt.Tooltip("province:N", title="省份"),
                alt.Tooltip("term:N", title="术语"),
                alt.Tooltip("mentions_per_10k_chars:Q", title="每万字次数", format=",.2f"),
                alt.Tooltip("n_mentions:Q", title="次数", format=","),
                alt.Tooltip("n_reports_using:Q", title="使用的报告数", format=","),
            ],
        )
        .properties(
            title=_title("术语使用强度 term use", "次/万字 mentions per 10,000 characters", source),
            height=FRAME + 60 + ROW * frame["province"].nunique(),
        )
    )


def year_bars(frame: pd.DataFrame, source: str) -> dict:
    """Counted reports per year, stacked by period; `frame` has year_label, period_label, n_reports."""
    return _spec(
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("year_label:N", title="年份 year", sort=None),
            y=alt.Y("n_reports:Q", title="篇 reports"),
            color=alt.Color("period_label:N", title="期间 period"),
            tooltip=[
                alt.Tooltip("year_label:N", title="年份"),
                alt.Tooltip("period_label:N", title="期间"),
                alt.Tooltip("n_reports:Q", title="报告数", format=","),
            ],
        )
        .properties(title=_title("各年份报告数 reports per year", "篇 reports", source), height=340)
    )
