"""Data quality: what the comparisons leave out or rest on weakly, and why."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, ui
from dashboard.formatting import format_count, format_value, label


def _listing(frame: pd.DataFrame, what: str) -> None:
    """A list capped at data.LIST_LIMIT rows, saying how many there are in all."""
    if frame.empty:
        st.success(f"No {what}.")
        return
    total = int(frame["n_total"].iloc[0]) if "n_total" in frame else len(frame)
    shown = frame.drop(columns=["n_total"], errors="ignore")
    more = f" (showing the first {len(shown):,})" if total > len(shown) else ""
    st.markdown(f"**{total:,}** {what}{more}.")
    st.dataframe(shown, hide_index=True, width="stretch")


def _figures(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(
        indicator=[label("indicator", v) for v in frame["indicator"]],
        value=[format_value(v, m) for v, m in zip(frame["value"], frame["measure"], strict=True)],
        status=[label("status", v) for v in frame["status"]],
    )


def render() -> None:
    st.title("数据质量 Data quality")
    wh = ui.warehouse()
    if wh is None:
        return
    threshold, origin = data.confidence_threshold(wh)

    st.subheader("未定位或低置信度的地区 Unresolved and low-confidence regions")
    _listing(data.unresolved_reports(wh), "counted reports without a province (left out of every comparison)")
    st.markdown(f"Placements with `region_confidence` below **{threshold:g}** ({origin}):")
    _listing(data.low_confidence_reports(wh, threshold), "reports placed with low confidence")

    st.subheader("可疑与隐去的数字 Suspect and redacted figures")
    counts = data.flagged_counts(wh)
    if counts.empty:
        ui.empty("No figure in the warehouse.")
    else:
        counts = counts.assign(indicator=[label("indicator", v) for v in counts["indicator"]])
        st.dataframe(
            counts.rename(columns={"indicator": "指标", "n_suspect": "可疑 suspect", "n_redacted": "隐去 redacted",
                                   "n_figures": "全部 all figures"}),
            hide_index=True,
        )  # fmt: skip
    flagged_tables = data.quality_tables(wh)
    for name in flagged_tables:
        rows, total = data.quality_table_rows(wh, name)
        st.markdown(f"Flags with their reason, from `{name}`:")
        _listing(rows.assign(n_total=total), "flagged figures")
    suspect = data.flagged_figures(wh, suspect=True, redacted=False)
    if not suspect.empty:
        suspect = _figures(suspect)
    _listing(suspect, "suspect figures (never added by the marts)")
    redacted = data.flagged_figures(wh, suspect=False, redacted=True)
    if not redacted.empty:
        redacted = _figures(redacted)
    _listing(redacted, "redacted figures (the source hid the number)")

    st.subheader("隔离的输入 Rejected inputs")
    reasons, files = data.quarantine(wh)
    if reasons.empty:
        st.success("No raw file was rejected.")
    else:
        st.markdown(f"**{format_count(reasons['n_files'].sum())}** raw files rejected:")
        st.dataframe(files, hide_index=True, width="stretch")
    _listing(data.analysis_errors(wh), "reports the rules failed on (kept unplaced and without figures)")
    ui.caption_source(wh, "core.documents, core.indicator_observations, core.rejected_inputs"
                      + "".join(f", {n}" for n in flagged_tables))  # fmt: skip


if __name__ == "__main__":  # run by st.navigation as the page script
    render()
