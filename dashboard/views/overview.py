"""Overview: what the warehouse covers, when it was published, what was quarantined and what lacks a place or year."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, ui
from dashboard.formatting import format_count, short_label


def render() -> None:
    st.title("概览 Overview")
    wh = ui.warehouse()
    if wh is None:
        return
    facts = data.overview(wh)
    published = facts["published_at"].astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
    years = f"{facts['first_year']}–{facts['last_year']}" if facts["first_year"] is not None else "none dated"
    st.markdown(f"Published **{published}** from **{format_count(facts['n_source_files'])}** raw files (`{wh.path}`).")
    cols = st.columns(5)
    cols[0].metric("报告 reports", format_count(facts["n_reports"]))
    cols[1].metric("科技局报告 bureau reports", format_count(facts["n_bureau_reports"]))
    cols[2].metric("地区 regions", format_count(facts["n_regions"]))
    cols[3].metric("省份 provinces", format_count(facts["n_provinces"]))
    cols[4].metric("年份 years", years)
    st.caption(
        f"Counted reports exclude {format_count(facts['n_duplicates'])} duplicate copies. "
        "Regions are those comparisons can use: bureau reports placed in a province, city or county."
    )

    st.subheader("覆盖 Coverage")
    cols = st.columns(3)
    total = facts["n_reports"] or 0
    for col, key, what in zip(
        cols,
        ("n_without_province", "n_without_year", "n_without_period"),
        ("无省份 without a province", "无年份 without a year", "无期间 without a period"),
        strict=True,
    ):
        share = f"（{facts[key] / total:.1%}）" if total else ""
        col.metric(what, f"{format_count(facts[key])}{share}")
    levels = data.region_levels(wh)
    if not levels.empty:
        levels = levels.assign(region_level=[short_label("level", v) for v in levels["region_level"]])
        st.dataframe(
            levels.rename(
                columns={
                    "region_level": "级别 level",
                    "n_regions": "地区 regions",
                    "n_region_years": "地区-年份 region-years",
                    "n_undated_reports": "未注明年份的报告 undated reports",
                }
            ),
            hide_index=True,
        )
    per_year = data.reports_per_year(wh)
    if per_year.empty:
        ui.empty("No reports in this warehouse.")
    else:
        per_year = per_year.assign(
            year_label=[("未知 unknown" if pd.isna(y) else str(int(y))) for y in per_year["year"]],
            period_label=[short_label("period", p) if p != "unknown" else "未知 unknown" for p in per_year["period"]],
        )
        st.vega_lite_chart(charts.year_bars(per_year, ui.source(wh, "core.documents")), width="stretch")
    coverage = data.coverage_by_province(wh)
    with st.expander("各省覆盖 coverage by province (marts.region_resolution_coverage)", expanded=False):
        st.dataframe(coverage, hide_index=True)

    st.subheader("隔离 Quarantine")
    reasons, files = data.quarantine(wh)
    if reasons.empty:
        st.success("No raw file was quarantined: every file was read.")
    else:
        st.markdown(f"**{format_count(facts['n_rejected'])}** raw files could not be read and were left out:")
        st.dataframe(reasons.rename(columns={"reason": "原因 reason", "n_files": "文件 files"}), hide_index=True)
        with st.expander("files"):
            st.dataframe(files, hide_index=True)
    ui.caption_source(wh, "core.documents, core.rejected_inputs, core.load_state, marts.region_period_choice")


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
