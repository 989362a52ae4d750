"""Compare regions: one figure of one level and year, ranked, as bars and on a map of China by province."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, ui
from dashboard.formatting import chart_scale, format_value, label, short_label

SOURCE = "marts.region_year_measures"
UNKNOWN_YEAR = "unknown"


def _pick(column: st.delta_generator.DeltaGenerator, title: str, kind: str, values: list, key: str, default=None):
    """A selectbox over codes shown by their labels; `default` is preselected when offered."""
    index = values.index(default) if default in values else 0
    return column.selectbox(title, values, index=index, key=key, format_func=lambda v: label(kind, v))


def _year_label(year: object) -> str:
    return "未知年份 unknown year" if year == UNKNOWN_YEAR else str(year)


def selection(options: pd.DataFrame) -> dict[str, object]:
    """The figure to compare, offered only where a figure exists; actual status and the latest year first."""
    options = options.astype(object).where(options.notna(), None)
    cols = st.columns(6)
    indicator = _pick(cols[0], "指标 indicator", "indicator", sorted(options["indicator"].unique()), "indicator")
    options = options[options["indicator"] == indicator]
    measure = _pick(cols[1], "度量 measure", "measure", sorted(options["measure"].unique()), "measure")
    options = options[options["measure"] == measure]
    details = sorted(options["detail"].unique(), key=lambda d: (d is not None, d or ""))
    most = options.groupby("detail", dropna=False)["n_regions"].sum()
    detail = _pick(cols[2], "类别 kind", "detail", details, "detail", most.idxmax() if len(most) else None)
    options = options[options["detail"].map(lambda d: d == detail)]
    status = _pick(cols[3], "状态 status", "status", sorted(options["status"].unique()), "status", "actual")
    options = options[options["status"] == status]
    per_level = options.groupby("region_level")["n_regions"].sum()
    levels = [lvl for lvl in data.LEVELS if lvl in per_level.index]
    level = _pick(cols[4], "级别 level", "level", levels, "level", per_level.idxmax())
    options = options[options["region_level"] == level]
    per_year = options.assign(year=options["year"].map(lambda y: UNKNOWN_YEAR if y is None else int(y)))
    per_year = per_year.groupby("year")["n_regions"].sum()
    years = sorted((y for y in per_year.index if y != UNKNOWN_YEAR), reverse=True)
    years += [UNKNOWN_YEAR] if UNKNOWN_YEAR in per_year.index else []
    # The year most regions reported (the latest of those): a ranking of one region compares nothing.
    default = max(years, key=lambda y: (per_year[y], y != UNKNOWN_YEAR, y if y != UNKNOWN_YEAR else 0))
    year = cols[5].selectbox("年份 year", years, index=years.index(default), key="year", format_func=_year_label)
    return {
        "indicator": indicator,
        "measure": measure,
        "detail": detail,
        "status": status,
        "level": level,
        "year": None if year == UNKNOWN_YEAR else year,
    }


def _open_region(key: str) -> None:
    from dashboard import nav

    st.switch_page(nav.page("region"), query_params={"region": key})


def _flags(row: pd.Series) -> str:
    marks = []
    if row["includes_lower_bounds"]:
        marks.append("含下限 lower bound (余/以上)")
    if row["includes_estimates"]:
        marks.append("含约数 estimate (约/近)")
    if row["n_redacted"]:
        marks.append(f"{int(row['n_redacted'])} 个隐去 redacted")
    return "; ".join(marks)


def render() -> None:
    st.title("地区比较 Compare regions")
    wh = ui.warehouse()
    if wh is None:
        return
    options = data.compare_options(wh)
    if options.empty:
        ui.empty("No region has a figure yet: nothing to compare (see Data quality for why).")
        return
    chosen = selection(options)
    ranked = data.ranking(wh, chosen["indicator"], chosen["measure"], chosen["detail"], chosen["status"],
                          chosen["year"], chosen["level"])  # fmt: skip
    what = " · ".join(
        short_label(kind, chosen[kind]) for kind in ("indicator", "measure", "detail", "status")
    )  # fmt: skip
    year_text = chosen["year"] if chosen["year"] is not None else "未知年份"
    value_title = f"{what}（{year_text}）"
    if ranked.empty:
        ui.empty(f"No {short_label('level', chosen['level'])} region reported {value_title}.")
        return
    divisor, unit = chart_scale(ranked["total_value"], chosen["measure"])
    regions = [data.region_of_row(row) for _, row in ranked.iterrows()]
    ranked = ranked.assign(
        key=[r.key for r in regions],
        region_label=[r.title for r in regions],
        display_value=ranked["total_value"] / divisor,
        value_text=[format_value(v, chosen["measure"]) for v in ranked["total_value"]],
        period=[short_label("period", p) for p in ranked["period_used"]],
        flags=[_flags(row) for _, row in ranked.iterrows()],
    )
    source = ui.source(wh, SOURCE)
    top = ranked.iloc[0]
    st.markdown(
        f"**{value_title}**: {len(ranked)} {short_label('level', chosen['level'])} regions reported; "
        f"first **{top['region_label']}** with **{top['value_text']}**."
    )

    left, right = st.columns([3, 2])
    with right:
        provinces = data.by_province(ranked)
        provinces = provinces.assign(
            display_value=provinces["total_value"] / divisor,
            value_text=[format_value(v, chosen["measure"]) for v in provinces["total_value"]],
        )
        map_event = st.vega_lite_chart(
            charts.province_map(provinces, value_title, unit, source),
            key="province_map",
            on_select="rerun",
            width="stretch",
        )
        picked = [p.get("properties.name") for p in map_event.selection.get("province_pick", [])]
        picked = [p for p in picked if p]
        st.caption(
            f"{len(provinces)} provinces with a figure; each is the sum over its "
            f"{short_label('level', chosen['level'])} regions that reported (grey: none). Click a province to filter."
        )
    with left:
        shown = ranked[ranked["province"].isin(picked)] if picked else ranked
        if picked:
            st.markdown(f"Showing **{'、'.join(picked)}** only; click the map again to clear.")
        bar_event = st.vega_lite_chart(
            charts.ranking_bars(shown, value_title, unit, source), key="ranking_bars", on_select="rerun",
            width="stretch",
        )  # fmt: skip
        for point in bar_event.selection.get("pick", []):
            if point.get("key"):
                _open_region(point["key"])
    table = shown[["rank", "region_label", "province", "value_text", "period", "flags", "n_figures_added"]]
    st.markdown(f"**排名 Ranking** — {len(shown)} regions. Select a row, or click a bar, to open the region.")
    table_event = st.dataframe(
        table.rename(
            columns={
                "rank": "名次",
                "region_label": "地区 region",
                "province": "省份",
                "value_text": value_title,
                "period": "期间 period used",
                "flags": "说明 notes",
                "n_figures_added": "相加数字 figures added",
            }
        ),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="ranking_table",
        width="stretch",
    )
    for row in table_event.selection.get("rows", []):
        _open_region(shown.iloc[row]["key"])
    ui.caption_source(wh, SOURCE)
    names = dict(zip(shown["key"], shown["region_label"], strict=True))
    choice = st.selectbox("打开地区 open a region", shown["key"], format_func=names.get, key="open_region")
    from dashboard import nav

    st.page_link(nav.page("region"), label="→ open its page", query_params={"region": choice})


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
