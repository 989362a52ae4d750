"""One region: its years side by side, the report behind each year and why, every figure with its clause."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, ui
from dashboard.formatting import chart_scale, format_value, label, short_label

SOURCE = "marts.region_year_measures, marts.region_period_choice"


def _choose_region(regions: pd.DataFrame) -> data.Region | None:
    """The region named in the URL (?region=level|province|city|county), else the one picked here."""
    all_regions = [data.region_of_row(row) for _, row in regions.iterrows()]
    keys = [r.key for r in all_regions]
    titles = {r.key: f"{r.title} · {short_label('level', r.level)}" for r in all_regions}
    wanted = st.query_params.get("region")
    index = keys.index(wanted) if wanted in keys else 0
    if wanted and wanted not in keys:
        st.warning(f"No region {wanted!r} in this warehouse; showing another.")
    key = st.selectbox("地区 region", keys, index=index, format_func=titles.get)
    st.query_params["region"] = key
    return data.Region.from_key(key)


def _series(row: pd.Series) -> str:
    """The line's name within its chart: the funding kind, action or patent kind."""
    return (
        short_label("measure", row["measure"])
        if row["indicator"] == "training"
        else short_label("detail", row["detail"])
    )


def _years_side_by_side(measures: pd.DataFrame, status: str, wh_source: str) -> None:
    """One chart per indicator and measure (each in its own unit), a line per kind, then a table of years."""
    chosen = measures[(measures["status"] == status) & measures["total_value"].notna() & measures["year"].notna()]
    if chosen.empty:
        ui.empty(f"No dated {short_label('status', status)} figure for this region.")
        return
    chosen = chosen.assign(
        series=[_series(row) for _, row in chosen.iterrows()],
        year=chosen["year"].astype(int),
        value_text=[format_value(v, m) for v, m in zip(chosen["total_value"], chosen["measure"], strict=True)],
    )
    groups = list(chosen.groupby(["indicator", "measure"], sort=False))
    columns = st.columns(min(3, len(groups)))
    for i, ((indicator, measure), part) in enumerate(groups):
        divisor, unit = chart_scale(part["total_value"], measure)
        title = f"{short_label('indicator', indicator)} · {short_label('measure', measure)}"
        with columns[i % len(columns)]:
            st.vega_lite_chart(
                charts.year_lines(part.assign(display_value=part["total_value"] / divisor), unit, wh_source, title),
                width="stretch",
            )
    chosen = chosen.assign(
        row=[f"{short_label('indicator', i)} · {short_label('measure', m)}" + (f" · {s}" if i != "training" else "")
             for i, m, s in zip(chosen["indicator"], chosen["measure"], chosen["series"], strict=True)]
    )  # fmt: skip
    pivot = chosen.pivot_table(index="row", columns="year", values="value_text", aggfunc="first").fillna("—")
    st.dataframe(pivot.rename_axis(index="指标 figure", columns="年份 year"), width="stretch")


def _figures_and_text(wh, document_id: str) -> None:
    doc = data.document(wh, document_id)
    if doc is None:
        ui.empty("The report is no longer in the warehouse.")
        return
    figures = data.document_figures(wh, document_id)
    st.markdown(f"**{doc['title'] or '(untitled)'}** — `{doc['source_file']}` #{doc['segment_no']}, "
                f"{doc['n_chars']:,} characters")  # fmt: skip
    if figures.empty:
        ui.empty("No figure was read from this report.")
        st.html(f'<div class="sti-report">{data.highlight_spans(doc["text"], [])}</div>')
        return
    shown = pd.DataFrame(
        {
            "指标 indicator": [label("indicator", v) for v in figures["indicator"]],
            "度量 measure": [label("measure", v) for v in figures["measure"]],
            "类别 kind": [label("detail", d) if i != "training" else "—" for i, d in
                          zip(figures["indicator"], figures["detail"], strict=True)],
            "数值 value": [format_value(v, m) for v, m in zip(figures["value"], figures["measure"], strict=True)],
            "状态 status": [label("status", v) for v in figures["status"]],
            "近似 approx": [label("approx", v) for v in figures["approx"]],
            "分项 component": figures["is_component"],
            "隐去 redacted": figures["is_redacted"],
            "可疑 suspect": figures["is_suspect"],
            "依据 evidence": figures["evidence"],
        }
    )  # fmt: skip
    event = st.dataframe(shown, hide_index=True, on_select="rerun", selection_mode="single-row",
                         key=f"figures_{document_id}", width="stretch")  # fmt: skip
    rows = event.selection.get("rows", [])
    selected = None
    if rows:
        row = figures.iloc[rows[0]]
        selected = (int(row["span_start"]), int(row["span_end"]))
        st.caption(f"Highlighted: {row['evidence']}")
    else:
        st.caption("Every figure's clause is marked in the text; select a row to mark one more strongly.")
    spans = list(zip(figures["span_start"].astype(int), figures["span_end"].astype(int), strict=True))
    st.html(f'<div class="sti-report">{data.highlight_spans(doc["text"], spans, selected)}</div>')


def render() -> None:
    st.title("地区 Region")
    wh = ui.warehouse()
    if wh is None:
        return
    regions = data.regions(wh)
    if regions.empty:
        ui.empty("No report is placed in a region yet: there is no region to show.")
        return
    region = _choose_region(regions)
    st.header(region.title)
    measures = data.region_measures(wh, region)
    statuses = [s for s in ("actual", "target", "expected") if s in set(measures["status"])] or ["actual"]
    status = st.radio("状态 status", statuses, horizontal=True, format_func=lambda v: label("status", v))
    source = ui.source(wh, SOURCE)
    _years_side_by_side(measures, status, source)

    st.subheader("每年所用报告 The report behind each year")
    choice = data.region_choice(wh, region)
    if choice.empty:
        ui.empty("No report of this region is used by the comparisons.")
        return
    choice = choice.assign(
        year_text=[str(int(y)) if pd.notna(y) else "未知 unknown" for y in choice["year"]],
        period=[short_label("period", p) for p in choice["period_used"]],
        periods=[", ".join(short_label("period", p) for p in ps) if ps is not None else "" for ps in
                 choice["periods_reported"]],
        why=[data.why_chosen(row) for _, row in choice.iterrows()],
    )  # fmt: skip
    st.dataframe(
        choice[["year_text", "period", "periods", "n_reports", "title", "source_file", "why"]].rename(
            columns={
                "year_text": "年份 year",
                "period": "所用期间 period used",
                "periods": "已报期间 periods reported",
                "n_reports": "报告数 reports",
                "title": "所用报告 report used",
                "source_file": "文件 file",
                "why": "原因 why this report",
            }
        ),
        hide_index=True,
        width="stretch",
    )
    ui.caption_source(wh, "marts.region_period_choice, core.documents")

    st.subheader("数字与依据 Figures and their evidence")
    labels = dict(zip(choice["document_used"], choice["year_text"] + " · " + choice["period"], strict=True))
    document_id = st.selectbox("年份 year", list(labels), format_func=labels.get, key="figures_year")
    _figures_and_text(wh, document_id)
    ui.caption_source(wh, "core.indicator_observations, core.documents")


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
