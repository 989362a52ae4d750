"""Terms: how often each domain term is used per province, per 10,000 characters of report, side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, ui
from dashboard.formatting import format_count

SOURCE = "marts.region_term_usage"
DEFAULT_PROVINCES = 8
DEFAULT_TERMS = 15


def render() -> None:
    st.title("术语 Terms")
    wh = ui.warehouse()
    if wh is None:
        return
    usage = data.term_usage(wh)
    if usage.empty:
        ui.empty("No domain term was counted in any report.")
        return
    st.caption(
        "Mentions per 10,000 characters of each province's reports, so that provinces with many or long "
        "reports compare fairly with the rest. '(unresolved)' gathers the reports without a province."
    )
    reports = usage.groupby("province")["n_reports"].max().sort_values(ascending=False)
    mentions = usage.groupby("term")["n_mentions"].sum().sort_values(ascending=False)
    provinces = st.multiselect(
        "省份 provinces", list(reports.index), default=list(reports.index[:DEFAULT_PROVINCES]),
        format_func=lambda p: f"{p} ({format_count(reports[p])} 篇)",
    )  # fmt: skip
    terms = st.multiselect("术语 terms", list(mentions.index), default=list(mentions.index[:DEFAULT_TERMS]))
    chosen = usage[usage["province"].isin(provinces) & usage["term"].isin(terms)]
    if chosen.empty:
        ui.empty("Pick at least one province and one term that it uses.")
        return
    order = {name: i for i, name in enumerate([*provinces, *terms])}
    chosen = chosen.sort_values(["province", "term"], key=lambda column: column.map(order))
    st.vega_lite_chart(charts.term_heatmap(chosen, ui.source(wh, SOURCE)), width="stretch")
    table = chosen.pivot_table(index="term", columns="province", values="mentions_per_10k_chars")
    table = table.reindex(index=[t for t in terms if t in table.index], columns=[p for p in provinces if p in table])
    shown = table.map(lambda v: "—" if pd.isna(v) else f"{v:,.2f}").rename_axis(index="术语 term", columns="省份")
    st.dataframe(shown, width="stretch")
    ui.caption_source(wh, SOURCE)


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
